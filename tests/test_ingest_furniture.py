"""Web pages, WeChat posts, portals and newspaper pages: the furniture stays out of the record,
and what it states (authors, publication, date) goes into it (cases/ingest/furniture.py)."""

from datetime import date
from decimal import Decimal

import pytest

from cases.ingest.furniture import lead_authors, read_furniture
from cases.ingest.normalise import clean_lines
from cases.ingest.pipeline import process_bytes


def furniture(text):
    lines, metas = read_furniture(clean_lines(text))
    return {line.text: line.noise for line in lines}, metas


def test_breadcrumbs_share_bars_and_footers_are_noise_and_the_text_is_not():
    noise, _ = furniture(
        "首页 > 新闻中心 > 乡镇动态\n某镇建成共富工坊\n【字体：大 中 小】 打印本页 关闭窗口\n"
        "（资料图片仅供参考）\n近日，该镇建成共富工坊12家，带动村民就业300余人。\n"
        "上一篇：某县召开会议\n版权所有：某县人民政府 浙ICP备05012345号\n"
    )
    assert noise["首页 > 新闻中心 > 乡镇动态"] and noise["（资料图片仅供参考）"]
    assert noise["上一篇：某县召开会议"] and noise["版权所有：某县人民政府 浙ICP备05012345号"]
    assert not noise["某镇建成共富工坊"]
    assert not noise["近日，该镇建成共富工坊12家，带动村民就业300余人。"]


@pytest.mark.parametrize(
    "line, authors, source, day",
    [
        ("发布时间：2025-03-18 09:32  来源：开化县融媒体中心  作者：记者 王晓东 通讯员 陈丽",
         ["王晓东", "陈丽"], "开化县融媒体中心", date(2025, 3, 18)),
        ("2024年10月08日 10:05  来源：江山市融媒体中心  记者 毛丽娟", ["毛丽娟"], "江山市融媒体中心", date(2024, 10, 8)),
        ("来源 | 德清县融媒体中心", [], "德清县融媒体中心", None),
        ("记者 李明 通讯员 赵华 俞佳", ["李明", "赵华", "俞佳"], "", None),
        ("□ 陈思远", ["陈思远"], "", None),
        ("文/图 记者 周晓云", ["周晓云"], "", None),
        ("（执笔：吴海燕 郑凯）", ["吴海燕", "郑凯"], "", None),
        ("文字 | 邵佳宁  图片 | 陈浩", ["邵佳宁"], "", None),
        ("本报评论员", ["本报评论员"], "", None),
        ("浙江在线记者 张三 通讯员 李四", ["张三", "李四"], "", None),
    ],
)
def test_meta_lines_say_who_wrote_and_published_it_and_when(line, authors, source, day):
    noise, metas = furniture(f"标题\n{line}\n正文第一句写得足够长，说明了这件事的来龙去脉。\n")
    assert noise[line]
    meta = next(iter(metas.values()))
    assert (meta.authors, meta.source, meta.published_on) == (authors, source, day)


def test_editors_are_not_authors():
    _, metas = furniture("标题\n编辑：孙悦  责任编辑：黄平\n")
    meta = next(iter(metas.values()))
    assert meta.authors == [] and meta.editors == ["孙悦", "黄平"]


def test_a_news_lede_names_its_reporters():
    assert lead_authors("本报讯（记者 郑一鸣 通讯员 沈婷）记者日前获悉，…") == ["郑一鸣", "沈婷"]
    assert lead_authors("新华社杭州5月20日电（记者 张三 李四）浙江日前…") == ["张三", "李四"]
    assert lead_authors("本报讯（杭州）近日，…") == []


def test_a_sentence_that_mentions_a_source_is_still_text():
    noise, metas = furniture("标题\n据介绍，来源于本地的资金占比达到六成，这一做法值得推广。\n")
    assert not noise["据介绍，来源于本地的资金占比达到六成，这一做法值得推广。"] and not metas


PAGE = """浙江新闻客户端
共富路上看变化
一座老桥串起三个村
——某地探索片区组团发展纪实
2024-09-09 07:30:12  来源：浙江日报
记者 李明 通讯员 赵华
清晨，老石桥上已有游客往来。三个村抱团后新开农家乐23家，去年村集体经营性收入合计达到390万元。
编辑：孙悦  责任编辑：黄平
"""


def test_a_feature_page_gives_headline_subtitle_kicker_byline_source_and_date():
    document = process_bytes(PAGE.encode(), "page.txt", with_places=False)
    [article] = document.articles
    draft = article.draft
    assert (draft.kicker, draft.title, draft.subtitle) == ("共富路上看变化", "一座老桥串起三个村", "某地探索片区组团发展纪实")
    assert draft.authors == ["李明", "赵华"]
    assert (article.publication, article.published_on) == ("浙江日报", date(2024, 9, 9))
    assert draft.kind == "feature"
    assert "编辑" not in article.body.text and "来源" not in article.body.text
    assert {f.value for f in article.figures} == {23, 390}


def test_a_gb18030_newspaper_page_gives_each_item_the_page_date_and_its_reporters():
    page = ("嘉兴日报  2024年5月20日 星期一  第3版  要闻\n责任编辑：许文\n"
            "许村镇小区加装290台电梯\n本报讯（记者 郑一鸣 通讯员 沈婷）该镇今年已在12个老旧小区加装电梯290台，惠及居民3600余户。\n"
            "当湖街道建成养老服务站点\n本报讯（记者 朱小燕）街道日前新增养老服务站点9个、托育点6个，方便了居民。\n")
    document = process_bytes(page.encode("gb18030"), "page.txt", with_places=False)
    assert [a.draft.title for a in document.articles] == ["许村镇小区加装290台电梯", "当湖街道建成养老服务站点"]
    assert [a.draft.authors for a in document.articles] == [["郑一鸣", "沈婷"], ["朱小燕"]]
    assert {a.published_on for a in document.articles} == {date(2024, 5, 20)}
    assert document.publication == "嘉兴日报"


@pytest.mark.parametrize(
    "text, kind",
    [
        ("某县农业农村局关于印发《某县强村富民扶持办法》的通知\n各乡镇人民政府：\n现将《某县强村富民扶持办法》印发给你们，请认真贯彻执行。\n", "policy"),
        ("在全县乡村振兴工作会议上的讲话\n同志们：\n今天召开全县乡村振兴工作会议，主要任务是总结去年工作，部署今年重点任务。\n", "speech"),
        ("三衢时评\n让小网格托起大民生\n□ 陈思远\n网格是社会治理的最小单元，也是服务群众的最后一米，要把网格做实做细。\n", "commentary"),
        ("某地新闻网 > 人物\n蚕桑状元的三十年\n他从父亲手里接过桑园，三十年来摸索出一套小蚕共育的办法，带动了周边农户。\n", "profile"),
        ("典型案例\n某镇：一老一小幸福家园建设\n一、基本情况\n该镇位于山区，辖14个行政村，老年人占比较高。\n二、主要做法\n建成幸福食堂11家，为老人提供助餐服务。\n", "case"),
        ("《某市关于推进小微企业园高质量发展的实施意见》政策解读\n一、出台背景\n我市现有小微企业园42个，部分园区存在管理服务不优等问题。\n", "policy"),
        ("某乡2023年工作总结\n2023年，某乡围绕产业强乡目标，各项工作取得新成效，农业总产值稳步增长。\n", "case"),
        ("某镇党委书记：让老旧小区焕新\n记者：这几年在老旧小区改造上做了哪些工作？\n答：我们累计改造小区21个。\n记者：资金从哪里来？\n答：引导居民出资。\n", "feature"),
        ("某省印发就业见习管理办法\n近日，某省人力社保厅印发就业见习管理办法，明确了见习补贴标准和申领流程。\n", "news"),
    ],
)
def test_kind_comes_from_the_form_of_the_text(text, kind):
    [article] = process_bytes(text.encode(), "page.txt", with_places=False).articles
    assert article.draft.kind == kind


def test_a_notice_and_the_measure_it_issues_are_one_article():
    text = ("索引号：113305/2024-00321\n发布机构：某县农业农村局\n成文日期：2024-04-12\n发布日期：2024-04-15\n"
            "某县农业农村局关于印发《某县强村富民扶持办法》的通知\n各乡镇人民政府：\n"
            "现将《某县强村富民扶持办法》印发给你们，请认真贯彻执行。\n某县农业农村局\n2024年4月12日\n"
            "某县强村富民扶持办法\n第一条 为推动村集体经济持续增收，制定本办法。\n第二条 每家补助不超过50万元。\n")
    [article] = process_bytes(text.encode(), "notice.txt", with_places=False).articles
    assert article.draft.title.endswith("的通知") and article.draft.kind == "policy"
    assert article.publication == "某县农业农村局"
    assert article.published_on == date(2024, 4, 15)  # published, not signed
    [figure] = article.figures
    assert (figure.value, figure.qualifier, figure.qualifier_kind) == (50, "不超过", "under")


def test_a_big_number_box_is_titled_by_the_clause_that_reports_it():
    text = "22家\n浙江省拥有国家5A级旅游景区22家，数量居全国前列。\n"
    [article] = process_bytes(text.encode(), "box.txt", with_places=False).articles
    assert article.draft.title == "浙江省拥有国家5A级旅游景区22家"


def test_an_issue_label_dates_a_fortnightly_issue():
    from cases.ingest.pipeline import issue_date

    assert issue_date("2024年第24期") == date(2024, 12, 16)
    assert issue_date("2022年第11期") == date(2022, 6, 1)
    assert issue_date("2024年第38期") is None  # not a fortnightly: the month is unknown


def test_a_figure_only_the_headline_reports_is_kept_with_the_headline_as_its_quote():
    text = "许村镇小区加装290台电梯\n本报讯（记者 郑一鸣）该镇把加装电梯纳入民生实事，群众满意率达到98%。\n"
    [article] = process_bytes(text.encode(), "page.txt", with_places=False).articles
    figure = next(f for f in article.figures if f.value == 290)
    assert figure.unit == "台" and article.body.text[figure.start:figure.end] == figure.quote
    assert article.body.line_at(figure.start) == 1  # the headline's line in the file
    assert article.draft.title == "许村镇小区加装290台电梯"


def test_bracketed_footers_and_chinese_numeral_dates():
    from cases.ingest.furniture import parse_date

    noise, metas = furniture("标题\n正文第一句写得足够长，说明了这件事的来龙去脉。\n【责任编辑：刘洋】\n（完）\n")
    assert noise["【责任编辑：刘洋】"] and noise["（完）"]
    assert [m.editors for m in metas.values()] == [["刘洋"]]
    assert parse_date("二〇二四年四月十二日") == date(2024, 4, 12)
    assert parse_date("二〇二三年十二月三十一日") == date(2023, 12, 31)
    assert parse_date("发布日期：2024/4/15") == date(2024, 4, 15)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PIECES = st.sampled_from([
    "首页 > 新闻", "来源：某县融媒体中心", "记者 王晓东", "编辑 | 沈晓", "2024-06-12 18:00", "（资料图片仅供参考）",
    "某镇建成共富工坊12家", "——副标题", "一、基本情况", "本报讯（记者 朱小燕）街道新增站点9个。", "同志们：",
    "分享 收藏 点赞 在看", "版权所有", "□ 陈思远", "22家", "近日，该镇吸纳就业300余人，人均增收1800元。", "",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=14).filter(lambda p: "".join(p).strip()))
def test_any_page_of_furniture_and_text_gives_records_whose_quotes_are_in_their_bodies(pieces):
    document = process_bytes("\n".join(pieces).encode(), "page.txt", with_places=False)
    for article in document.articles:
        assert article.draft.title
        for figure in article.figures:
            assert article.body.text[figure.start:figure.end] == figure.quote


def test_a_markdown_web_clip_and_a_wire_story():
    clip = ("# 桐乡乌镇：数字赋能古镇治理\n\n> 来源：桐乡发布 | 2024-09-18 | 作者：沈佳\n\n![](https://example.com/a.jpg)\n\n"
            "近日，乌镇镇上线治理平台，接入摄像头1200余个，已处置各类事件3400件。\n\n*责任编辑：王丽*\n")
    [article] = process_bytes(clip.encode(), "clip.md", with_places=False).articles
    assert (article.draft.title, article.draft.authors) == ("桐乡乌镇：数字赋能古镇治理", ["沈佳"])
    assert (article.publication, article.published_on) == ("桐乡发布", date(2024, 9, 18))
    assert "example.com" not in article.body.text and "王丽" not in article.body.text
    wire = "新华社杭州5月20日电（记者 张三 李四）记者从省农业农村厅获悉，今年以来新建和美乡村示范村300个。\n"
    [article] = process_bytes(wire.encode(), "wire.txt", with_places=False).articles
    assert article.draft.authors == ["张三", "李四"] and article.publication == "新华社"
    assert not article.draft.title.startswith("新华社")


def test_the_city_a_wire_story_was_filed_from_is_not_its_subject(gazetteer):
    wire = "新华社杭州5月20日电（记者 张三）记者从浙江省农业农村厅获悉，今年以来浙江新建和美乡村示范村300个。\n"
    [article] = process_bytes(wire.encode(), "wire.txt").articles
    assert "杭州市" not in {r.name for r in article.regions}


def test_subheadings_of_a_web_article_stay_in_it():
    page = ("首页 > 专题专栏\n常山县：打造共富样板\n2024-11-02 来源：常山县融媒体中心\n"
            "常山县地处浙西，近年来推动胡柚产业全链条发展，带动了一方百姓增收致富。\n做强胡柚产业\n"
            "全县胡柚种植面积达10.5万亩，年产量14万吨，全产业链产值突破50亿元。\n拓宽增收渠道\n"
            "依托两山合作社，常山县带动村集体经济增收4800万元，农户参与热情高涨。\n（编辑：徐敏）\n")
    [article] = process_bytes(page.encode(), "page.txt", with_places=False).articles
    assert article.draft.title == "常山县：打造共富样板"
    assert "做强胡柚产业" in article.body.text and {f.value for f in article.figures} >= {Decimal("10.5"), 14, 50, 4800}


def test_a_title_made_from_the_first_clause_is_read_across_pdf_line_breaks():
    from cases.ingest.normalise import clean_lines
    from cases.ingest.split import first_clause

    lines = clean_lines(" 城乡社区是人民群众安居乐业的\n\n家园，是党和国家许多政策措施落实的\n\n“最后一公里”。\n")
    assert first_clause(lines) == "城乡社区是人民群众安居乐业的家园"
    long = clean_lines("这是一个非常非常长的没有任何标点符号的句子它一直写下去直到超过了三十个字的限制为止才结束。\n")
    assert first_clause(long).endswith("…") and len(first_clause(long)) <= 40
    # cut between words, not inside one ("…建设上发挥示…" was cut mid-word)
    headline = clean_lines("中共中央政治局召开民主生活会强调在加强党的纪律建设上发挥示范作用以及党的其他各项建设\n")
    assert first_clause(headline) == "中共中央政治局召开民主生活会强调在加强党的纪律建设上发挥示范作用以及党的其他…"


def test_a_column_before_the_headline_is_the_column():
    text = "海宁新闻网\n访谈｜许村镇党委书记：让老旧小区“焕新”\n2024-04-18 来源：海宁日报\n记者：许村镇这几年在老旧小区改造上做了哪些工作，群众反响怎么样？\n答：我们把老旧小区改造作为头号民生工程，三年来累计改造小区21个，惠及居民8600户。\n"
    [article] = process_bytes(text.encode(), "page.txt", with_places=False).articles
    assert (article.draft.column, article.draft.title) == ("访谈", "许村镇党委书记：让老旧小区“焕新”")
    digest = ("丽水日报 2024年3月15日 第2版\n要闻速览\n大东坝镇茶园喜开采\n本报讯 3月13日，全镇茶园面积2.3万亩，预计春茶产值1.5亿元。（记者 叶青）\n"
              "大均乡举办畲族文化节\n本报讯 大均乡日前举办第八届畲族文化节，吸引游客3万余人次。（通讯员 蓝天）\n")
    articles = process_bytes(digest.encode(), "page.txt", with_places=False).articles
    assert [(a.draft.title, a.draft.line_start, a.draft.column) for a in articles] == [
        ("大东坝镇茶园喜开采", 3, "要闻速览"), ("大均乡举办畲族文化节", 5, "")]


def test_a_navigation_bar_is_not_the_headline():
    page = ("首页 政务公开 新闻中心 办事服务 互动交流\n乌镇镇上线数字治理平台\n发布时间：2024-09-18 来源：桐乡市融媒体中心\n"
            "近日，乌镇镇上线数字治理平台，接入摄像头1200余个，已处置各类事件3400件，群众满意率达到97.5%。\n")
    [article] = process_bytes(page.encode(), "page.txt", with_places=False).articles
    assert article.draft.title == "乌镇镇上线数字治理平台"
