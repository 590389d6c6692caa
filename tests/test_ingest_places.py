"""Places in texts the corpus lacks: villages listed by short name, "我市", rivers, photo captions
(the real gazetteer; cases/ingest/resolve.py through the pipeline)."""

from decimal import Decimal

from cases.ingest.pipeline import process_bytes
from cases.ingest.resolve import subject_region


def article_of(text, name="page.txt"):
    [article] = process_bytes(text.encode(), name).articles
    return article


def names(article):
    return {r.name for r in article.regions}


def test_villages_listed_by_short_name_resolve_under_the_town_named_nearby(gazetteer):
    article = article_of("马金镇溪畔共富带\n近日，开化县马金镇的霞田、石柱、高岭、金溪4个村联合成立强村公司，统一运营闲置农房。\n")
    codes = {r.name: r.code for r in article.regions}
    # 石柱村 exists in several Zhejiang towns; the list is 马金镇's
    assert codes["石柱村"].startswith("330824116") and codes["金溪村"].startswith("330824116")
    assert {"霞田村", "高岭村"} <= names(article)
    assert [f.value for f in article.figures if f.unit == "个"] == [4]


def test_wo_shi_is_the_city_of_the_publication(gazetteer):
    text = ("前三季度我市经济运行稳中向好\n来源：嘉兴市统计局    发布时间：2024-10-25\n"
            "前三季度，我市地区生产总值5386.2亿元，同比增长5.9%。海宁市许村镇规上工业产值突破300亿元。\n")
    article = article_of(text)
    main = {r.name for r in article.regions if r.role == "main"}
    assert "嘉兴市" in main
    by_value = {f.value: f.region[1] for f in article.figures}
    assert by_value[Decimal("5386.2")] == "嘉兴市" and by_value[300] == "许村镇"


def test_a_river_named_after_a_district_is_not_the_district(gazetteer):
    article = article_of("龙游县溪口镇幸福家园\n溪口镇位于龙游县南部山区，衢江支流灵山港穿镇而过，辖14个行政村。\n")
    assert "衢江区" not in names(article)
    assert {"龙游县", "溪口镇"} <= names(article)
    assert next(r.code for r in article.regions if r.name == "溪口镇").startswith("330825")  # not 奉化's


def test_a_figure_before_its_place_in_the_sentence_goes_to_that_place(gazetteer):
    text = ("一座老桥串起三个村\n——嵊州市甘霖镇探索片区组团发展纪实\n"
            "甘霖镇的老石桥连着黄箭坂、柳岸、江田三个村，合作社去年销售额1200万元。\n55年来，黄箭坂村一直有唱越剧的传统。\n"
            "片区三个村村集体经营性收入合计达到390万元。\n")
    article = article_of(text)
    assert {"黄箭坂村", "柳岸村", "江田村"} <= names(article)
    by_value = {f.value: f.region[1] for f in article.figures}
    assert by_value[55] == "黄箭坂村"
    # the article is about the headline's town, though one village of it is talked of more
    assert subject_region(article.regions).name == "甘霖镇"


def test_a_county_portal_names_the_county_of_a_town_story(gazetteer):
    text = ("天台县人民政府\n首页 » 乡镇街道 » 白鹤镇 » 工作动态\n白鹤镇建成共富工坊\n信息来源：白鹤镇人民政府   发布日期：2024-07-16\n"
            "白鹤镇依托传统手工艺，在全镇建成共富工坊18家，吸纳低收入农户560余人就业。\n")
    article = article_of(text)
    roles = {r.name: r.role for r in article.regions}
    assert roles["白鹤镇"] == "main" and roles["天台县"] == "mentioned"
    assert next(r.code for r in article.regions if r.name == "白鹤镇").startswith("331023")


def test_places_in_a_photo_caption_are_mentions(gazetteer):
    text = ("马金镇溪畔共富带\n近日，开化县马金镇沿溪的四个村联合成立强村公司，统一运营闲置农房。▲图为马金镇霞田村的民宿集群\n"
            "强村公司注册资本300万元。\n")
    article = article_of(text)
    roles = {r.name: r.role for r in article.regions}
    assert roles.get("霞田村") == "mentioned"
    assert "霞田" not in article.body.text  # the caption is not body text
