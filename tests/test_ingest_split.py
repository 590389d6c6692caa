"""Splitting into articles, on small synthetic documents in each layout."""

from cases.ingest.normalise import clean_lines, join_lines
from cases.ingest.split import detect_layout, split_document, split_names


def pdf(*lines: str) -> str:
    """PDF text as the magazines come: a blank line after every line."""
    return "\n\n".join(lines) + "\n"


def split(text: str):
    lines = clean_lines(text)
    return detect_layout(lines), split_document(lines)


BODY_A = ["七星街道是新昌的发展", "要地，常住人口约15万，", "有工业企业762家，商", "贸业11477家。辖区共划", "分175个网格，形成了", "完整的治理体系。"]
BODY_B = ["城南乡地处新昌县南部，", "区域面积77平方公里，", "下辖17个行政村，户籍", "人口约2.3万人，常住", "人口1.5万人，集镇人", "口占了80%。"]


def magazine() -> str:
    contents = [
        " 12 网格智治的七星实践/本刊记者 马跃明 袁 卫",
        "18 城南乡的共富路",
        "——山区乡镇的探索/沈 林",
        ">>今浙论坛",
        "01 在建设现代社区中展现担当作为/本刊评论员",
        "20 高质量推进城乡现代社区建设/沈铭权",
    ]
    brief = ["浙江发布“三农”工作任务单", "日前，省委农办印发了今年的“三农”工作任务单，涉及", "8个方面共40项重点任务，全省各地正在抓紧落实。"]
    return pdf(
        *contents,
        *brief,
        " ■马跃明 袁 卫", "本刊记者", *BODY_A,
        " ■沈 林", *BODY_B,
    )


def test_magazine_articles_start_at_bylines_and_take_titles_from_the_contents_page():
    layout, drafts = split(magazine())
    assert layout == "magazine"
    titles = [d.title for d in drafts]
    assert "网格智治的七星实践" in titles
    assert "城南乡的共富路" in titles
    first = drafts[titles.index("网格智治的七星实践")]
    assert first.authors == ["马跃明", "袁卫"]
    second = drafts[titles.index("城南乡的共富路")]
    assert second.subtitle == "山区乡镇的探索"
    assert second.authors == ["沈林"]
    # the byline and the "本刊记者" role are not body text
    assert join_lines(first.lines).text.startswith("七星街道是新昌的发展要地")


def test_contents_page_is_not_an_article_but_news_briefs_are():
    _, drafts = split(magazine())
    titles = [d.title for d in drafts]
    assert not any("在建设现代社区中展现担当作为" in t for t in titles)
    assert "浙江发布“三农”工作任务单" in titles


def test_line_ranges_are_file_lines():
    text = magazine()
    _, drafts = split(text)
    file_lines = text.split("\n")
    first = next(d for d in drafts if d.title == "网格智治的七星实践")
    assert file_lines[first.line_start - 1].strip().startswith("■马跃明")
    assert file_lines[first.line_end - 1] == "完整的治理体系。"


def test_a_years_index_is_not_an_article():
    index = []
    for n in range(40):
        index += [f"第{n}篇文章的标题写在这里", f"/作者{'甲乙丙丁戊己庚辛'[n % 8]}"]
    text = magazine() + pdf("2024年总目录", *index)
    _, drafts = split(text)
    assert not any("第1篇文章" in d.title or "第1篇文章" in join_lines(d.lines).text for d in drafts)


def test_report_with_numbered_sections_ends_at_the_author_note():
    text = pdf(
        *BODY_A, "一、主要做法", "（一）健全网格体系。", "1、划细网格，一是", "明确责任，二是压实", "任务。",
        "（作者系七星街道党工委书记）",
        *BODY_B, "（作者系城南乡党委书记）",
    )
    layout, drafts = split(text)
    assert layout == "report"
    assert len(drafts) == 2
    assert drafts[0].line_start == 1
    assert "作者系七星街道" in text.split("\n")[drafts[0].line_end - 1]
    assert drafts[1].title  # made from the text, as the reports have none


NEWS_PAGE = """\
同心共筑“石榴红”家园

海宁硖石街道创建民族团结进步示范点

中秋那天,西山社区的家园里办起了趣味运动会,各族居民纷纷参与其中,热闹非凡。

近年来,硖石街道深入贯彻落实中央民族工作会议精神,打造民族工作示范点硖石样板。(孙亦男)

淘汰置换 打通“最后一米”

为解决旧电动自行车回收难的问题,青田县设立回收点,以新办法打通淘汰置换的最后一米。

目前,辖区电动自行车已100%赋码,选取3家车行作为电动自行车上牌授权点。(罗昕怡 陈郁阳)

吴兴：“数字家庭”开启智慧生活

杨斌英 李则名

“家里装了智能水表和烟感,有事一键呼叫,很快就有人上门。”近日,吴兴区爱山街道的一位老人说。

吴兴区全区总共建成83个智安小区、279个智慧小区,全域拥有信息化基础小区数量超过80%。
"""


def test_newspaper_items_end_with_their_authors():
    layout, drafts = split(NEWS_PAGE)
    assert layout == "page"
    assert [d.title for d in drafts] == ["同心共筑“石榴红”家园", "淘汰置换 打通“最后一米”", "吴兴：“数字家庭”开启智慧生活"]
    assert drafts[0].subtitle == "海宁硖石街道创建民族团结进步示范点"
    assert drafts[0].authors == ["孙亦男"]
    assert drafts[1].authors == ["罗昕怡", "陈郁阳"]
    assert drafts[2].authors == ["杨斌英", "李则名"]
    assert drafts[2].line_end == NEWS_PAGE.count("\n") - 0


MARKDOWN = """\
# 上城区:强基赋能 凝"新"聚力

今年以来,杭州市上城区立足丰厚的资源禀赋,守正创新,累计开展走读活动60余场,参与者超千人。(周静 严琰)

## 乡贤回归 助企纾困

这是近日发生在杭州市富阳区春建乡乡贤活动中的一幕,累计投资金额达7.05亿元。(余明艳)

近日,2023年中国浙江海洋经济人才峰会——智慧海洋分论坛开幕式在定海举行,集聚人才70余位。(朱琰星)

#### 社区合伙 共建共享

马溪社区常住人口近万人,党群服务中心总面积4639平方米,社区只保留60平方米办公用房,其余空间全部交给居民共建共享。
"""


def test_markdown_headings_and_an_item_without_heading():
    layout, drafts = split(MARKDOWN)
    assert layout == "markdown"
    assert len(drafts) == 4
    assert drafts[0].title == '上城区:强基赋能 凝"新"聚力'
    assert drafts[0].authors == ["周静", "严琰"]
    assert drafts[2].authors == ["朱琰星"]
    assert "海洋经济人才峰会" in drafts[2].title
    assert drafts[3].title == "社区合伙 共建共享"
    assert [d.kind for d in drafts] == ["news"] * 4


def test_names_pair_up_when_letter_spaced():
    assert split_names("马跃明 袁 卫") == ["马跃明", "袁卫"]
    assert split_names("沈 林 胡 鸽 朱灵洁 郑 晨") == ["沈林", "胡鸽", "朱灵洁", "郑晨"]
    assert split_names("本刊记者 叶 慧 刘 婷") == ["叶慧", "刘婷"]


def test_publication_and_issue_are_guessed_from_the_text():
    from cases.ingest.pipeline import guess_issue_label, guess_publication

    assert guess_publication("《今日浙江》杂志社 主办") == "今日浙江"
    assert guess_publication("没有刊名的文字") is None
    assert guess_issue_label("今日浙江 2024 年第 ２4 期".replace("２", "2")) == "2024年第24期"
    index = "\n".join(f"第{n}期\n标题{n}/作者" for n in range(1, 25))
    assert guess_issue_label("2024年全年总目录\n" + index) == "2024年第24期"
    assert guess_issue_label("2024年5月，没有期号。") == ""


def test_report_title_line_and_notes_on_a_wide_page():
    text = (
        "七星街道党建统领推进网格智治的实践与思考\n\n"
        "七星街道是新昌的发展要地，辖区内常住人口约15万，有工业企业762家，商贸业11477家，经济总量约占全县一半。\n\n"
        "（作者系七星街道党工委书记）\n\n"
        "城南乡地处新昌县南部，区域面积77平方公里，下辖17个行政村，户籍人口约2.3万人，常住人口1.5万人。\n"
    )
    _, drafts = split(text)
    assert [d.title for d in drafts][0] == "七星街道党建统领推进网格智治的实践与思考"
    assert len(drafts) == 2
    assert join_lines(drafts[0].lines).text.startswith("七星街道是新昌的发展要地")
