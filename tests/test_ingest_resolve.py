"""Which places an article is about, and which place each figure describes (pure functions)."""

from dataclasses import dataclass

from cases.ingest.resolve import RegionRef, attribute, merge_initiatives, plausible, region_roles


@dataclass(frozen=True)
class M:  # the shape of regions.recognizer.PlaceMention
    code: str | None
    name: str | None
    level: str | None
    start: int
    end: int
    surface: str
    confidence: float = 0.9
    candidates: tuple = ()


XINCHANG, QIXING, SHANGYU, KAIHUA = "330624000000", "330624003000", "330102000000", "330824000000"


def mention(body, surface, code, name, level, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = body.index(surface, start + 1)
    return M(code, name, level, start, start + len(surface), surface)


def test_title_and_most_mentioned_place_are_main():
    body = "七星街道是新昌的发展要地。七星街道共划分175个网格。七星街道网格员546名。"
    mentions = [mention(body, "七星街道", QIXING, "七星街道", "town", i) for i in range(3)]
    mentions.append(mention(body, "新昌", XINCHANG, "新昌县", "county"))
    title = [M(XINCHANG, "新昌县", "county", 0, 2, "新昌")]
    roles = {r.name: r.role for r in region_roles(title, mentions)}
    assert roles == {"七星街道": "main", "新昌县": "main"}


def test_figure_goes_to_the_subject_not_to_a_comparison_with_the_county():
    body = "七星街道是新昌的发展要地，常住人口约15万，占全县人口三分之一。"
    mentions = [mention(body, "七星街道", QIXING, "七星街道", "town"), mention(body, "新昌", XINCHANG, "新昌县", "county")]
    regions = [RegionRef(QIXING, "七星街道", "town", "main", 3), RegionRef(XINCHANG, "新昌县", "county", "main", 1)]
    assert attribute(body, body.index("15万"), mentions, regions) == (QIXING, "七星街道")
    assert attribute(body, body.index("三分之一"), mentions, regions) == (QIXING, "七星街道")


def test_a_place_outside_the_article_does_not_take_its_figures():
    body = "上城区组织赴山海协作地区衢州开化县举办培训班，累计开展走读活动60余场。"
    mentions = [mention(body, "上城区", SHANGYU, "上城区", "county"), mention(body, "开化县", KAIHUA, "开化县", "county")]
    regions = [RegionRef(SHANGYU, "上城区", "county", "main", 5), RegionRef(KAIHUA, "开化县", "county", "mentioned", 1)]
    assert attribute(body, body.index("60余场"), mentions, regions) == (SHANGYU, "上城区")


def test_a_place_inside_the_article_region_named_in_the_sentence_wins():
    body = "全区推广经验。七星街道上礼泉村建成3个共富工坊。"
    village = "330624003222"
    mentions = [mention(body, "上礼泉村", village, "上礼泉村", "village")]
    regions = [RegionRef(XINCHANG, "新昌县", "county", "main", 2)]
    assert attribute(body, body.index("3个"), mentions, regions) == (village, "上礼泉村")


def test_no_place_at_all_gives_no_region():
    assert attribute("共划分175个网格。", 3, [], []) is None


def test_short_town_names_need_their_county_in_the_article():
    body = "医疗卫生服务通过完善基础设施建设推进。"
    jianshe = M("330402007000", "建设街道", "town", body.index("建设"), body.index("建设") + 2, "建设")
    assert plausible([jianshe]) == []
    assert plausible([jianshe], context=["330402000000"]) == [jianshe]


def test_initiatives_merge_within_an_article():
    assert merge_initiatives(["“1+3+N”", "1+3+N", "一张网格管治理", "“一张网格管治理”"]) == ["1+3+N", "一张网格管治理"]


def test_a_county_institution_or_zone_does_not_take_the_towns_figures():
    jianshan, pan_an = "330727109000", "330727000000"
    body = "尖山镇是山区中心镇。在磐安经济开发区，签约招商项目11个。磐安县委部署了新任务，完成投资2亿元。"
    mentions = [mention(body, "尖山镇", jianshan, "尖山镇", "town"), mention(body, "磐安", pan_an, "磐安县", "county"),
                mention(body, "磐安县", pan_an, "磐安县", "county")]
    regions = [RegionRef(jianshan, "尖山镇", "town", "main", 3), RegionRef(pan_an, "磐安县", "county", "main", 2)]
    assert attribute(body, body.index("11个"), mentions, regions) == (jianshan, "尖山镇")
    assert attribute(body, body.index("2亿元"), mentions, regions) == (jianshan, "尖山镇")
