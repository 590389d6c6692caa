"""The place recogniser on the real gazetteer: the cases from issue 3."""

from regions.models import AliasKind, Region, RegionAlias
from regions.recognizer import HIGH_CONFIDENCE, find_places, reset_gazetteer

XINCHANG = "330624000000"
QIXING_XINCHANG = "330624003000"
QIXING_NANHU = "330402015000"


def places(text, context=()):
    return [(m.surface, m.code) for m in find_places(text, context)]


def resolved(text, context=()):
    return {m.surface: m.code for m in find_places(text, context) if m.code}


def test_nested_address_gives_three_places(gazetteer):
    mentions = find_places("海宁硖石街道西山社区")
    assert [(m.surface, m.name, m.level, m.start, m.end) for m in mentions] == [
        ("海宁", "海宁市", "county", 0, 2),
        ("硖石街道", "硖石街道", "town", 2, 6),
        ("西山社区", "西山社区", "village", 6, 10),
    ]
    assert [m.code for m in mentions] == ["330481000000", "330481001000", "330481001009"]
    assert all(m.confidence >= HIGH_CONFIDENCE for m in mentions)


def test_qixing_is_resolved_from_the_county_named_in_the_text(gazetteer):
    assert resolved("七星街道是新昌的发展要地。")["七星街道"] == QIXING_XINCHANG
    assert resolved("嘉兴市南湖区七星街道湘城社区")["七星街道"] == QIXING_NANHU


def test_qixing_is_resolved_from_context_codes(gazetteer):
    assert resolved("七星街道坚持党建统领。", context=[XINCHANG])["七星街道"] == QIXING_XINCHANG


def test_unresolvable_ambiguity_stays_unresolved(gazetteer):
    (mention,) = find_places("七星街道坚持党建统领。")
    assert mention.code is None
    assert mention.confidence < HIGH_CONFIDENCE
    assert set(mention.candidates) == {QIXING_XINCHANG, QIXING_NANHU}
    (mention,) = find_places("凤凰社区开展了邻里节活动。")
    assert mention.code is None and len(mention.candidates) > 10


def test_chengnan_xiang_in_xinchang(gazetteer):
    assert resolved("以城南乡为例，该乡地处新昌县中南部。")["城南乡"] == "330624200000"


def test_west_lake_is_not_xihu_district(gazetteer):
    assert places("杭州西湖边游人如织。") == [("杭州", "330100000000")]
    assert resolved("杭州市西湖区三墩镇")["西湖区"] == "330106000000"


def test_changan_is_not_always_changan_town(gazetteer):
    assert places("长安自古是帝王之都。") == []
    assert resolved("海宁市长安镇是工业强镇。")["长安镇"] == "330481103000"


def test_former_names_resolve_to_successors(gazetteer):
    mentions = {m.surface: m for m in find_places("江干区、下城区和绍兴县都已撤销。")}
    assert mentions["江干区"].name == "上城区"
    assert mentions["下城区"].name == "拱墅区"
    assert mentions["绍兴县"].name == "柯桥区"


def test_rare_character_written_both_ways(gazetteer):
    found = resolved("定海区干𬒗镇，也写作干览镇。")
    assert found["干𬒗镇"] == found["干览镇"] == "330902105000"


def test_yucun_and_the_da_yucun_cluster(gazetteer):
    # 余村 in 安吉 is the village 余村村; 大余村 is the cluster around it, not 天台县's 大余村.
    found = resolved("安吉余村带动周边村庄，组成大余村。")
    assert found["余村"] == "330523108204"
    assert "大余村" not in found
    assert "大余村" not in resolved("淳安大下姜、安吉大余村、义乌大李祖等组团出圈。")
    assert resolved("安吉县天荒坪镇余村村")["余村村"] == "330523108204"
    (yucun,) = find_places("余村村的青年越来越多。")  # three 余村村 in Zhejiang
    assert yucun.code is None and len(yucun.candidates) == 3


def test_short_names_of_one_character_and_common_words_are_guarded(gazetteer):
    assert places("一座座路桥连通了山区。") == []
    assert places("社会主义新农村建设让城中村改造提速。") == []
    assert places("全力打造习近平山区共同富裕重要论述先行实践地。") == []


def test_ambiguous_names_are_never_confidently_wrong_across_provinces(gazetteer):
    shanghai = resolved("上海市普陀区与舟山市普陀区同名。")
    mentions = find_places("上海市普陀区与舟山市普陀区同名。")
    assert [m.code for m in mentions if m.surface == "普陀区"] == ["310107000000", "330903000000"]
    assert shanghai["上海市"] == "310000000000"


def test_editorial_alias_is_recognised_after_reset(gazetteer):
    xinchang = Region.objects.get(code=XINCHANG)
    RegionAlias.objects.create(region=xinchang, name="天姥山下", kind=AliasKind.OTHER, is_editorial=True)
    reset_gazetteer()
    assert resolved("天姥山下的茶园")["天姥山下"] == XINCHANG


def test_offsets_point_at_the_surface(gazetteer):
    text = "近年来，桐乡市崇福镇语溪社区探索四治融合。"
    for m in find_places(text):
        assert text[m.start : m.end] == m.surface


def test_text_without_places(gazetteer):
    for text in ["", "没有任何地名的一句话。", "abc 123", "\n\n"]:
        assert find_places(text) == []


def test_empty_gazetteer_finds_nothing_instead_of_failing(db):
    reset_gazetteer()
    assert find_places("新昌县七星街道") == []
    reset_gazetteer()


def test_pdf_line_breaks_inside_names(gazetteer):
    text = "七星街\n\n道是新昌的发展要地"
    qixing, xinchang = find_places(text)
    assert (qixing.surface, qixing.start, qixing.end, qixing.code) == ("七星街\n\n道", 0, 6, "330624003000")
    assert xinchang.surface == "新昌" and text[xinchang.start : xinchang.end] == "新昌"
