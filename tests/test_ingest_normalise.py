"""Normalising PDF text: each known artefact, on short strings, with the line map kept true."""

from cases.ingest.normalise import clean_lines, despace, join_lines, normalise_lines, to_halfwidth, undouble


def body_of(text: str):
    return join_lines(clean_lines(text))


def test_sentence_and_number_continue_across_line_breaks():
    text = "全年实现营业收入3.2\n\n亿元，商\n\n贸业11477家，同比增\n\n长12%。\n"
    body = body_of(text)
    assert "3.2亿元" in body.text
    assert "商贸业11477家" in body.text
    assert "\n" not in body.text.strip()


def test_spaces_inside_numbers_and_units_are_removed():
    assert despace("总投资 191.41 亿 元") == "总投资191.41亿元"
    assert despace("户籍人口约 2.3 万人") == "户籍人口约2.3万人"
    assert despace("2024年 11月 26日") == "2024年11月26日"


def test_two_numbers_side_by_side_stay_apart():
    assert despace("2000 3000") == "2000 3000"


def test_latin_words_keep_their_spaces():
    assert despace("AI Agent 平台") == "AI Agent平台"


def test_full_width_digits_become_ascii_with_the_same_length():
    assert to_halfwidth("第８批次，增长１２．５％") == "第8批次，增长12.5%"


def test_letter_spaced_names_are_joined():
    assert body_of("本刊记者 袁 卫 报道，这里\n\n是七星街道。\n").text == "本刊记者袁卫报道，这里是七星街道。"


def test_doubled_title_is_printed_once():
    assert undouble("醉在西湖传说醉在西湖传说") == "醉在西湖传说"


def test_doubled_caption_runs_do_not_make_fake_numbers():
    once = undouble("舟山市普陀区舟山市普陀区44条无人机航线常态化飞行条无人机航线常态化飞行")
    assert once == "舟山市普陀区4条无人机航线常态化飞行"
    assert undouble("杭州宇树科技杭州宇树科技GG11型机器人型机器人") == "杭州宇树科技G1型机器人"


def test_ordinary_text_is_not_undoubled():
    assert undouble("谢谢大家，天天向上") is None
    assert undouble("常常来往的人") is None


def test_doubled_lines_are_left_out_of_the_body():
    text = "社区服务综合体共有150余个。\n\n舟山市普陀区舟山市普陀区44条航线条航线\n\n居民满意度明显提升。\n"
    body = body_of(text)
    assert "44" not in body.text and "航线" not in body.text
    assert "150余个" in body.text


def test_running_heads_inserted_mid_sentence_are_removed():
    text = "以未来社区和未来乡村建\n\n领导要论\n\n⑧\n\n设为突破口，以党建为统领。\n\n高 层 要 论\n"
    assert body_of(text).text == "以未来社区和未来乡村建设为突破口，以党建为统领。"


def test_repeated_column_head_of_the_document_is_removed():
    text = "本期关注\n\n第一段文字到这里结束了。\n\n本期关注\n\n第二段继续\n\n本期关注\n\n写完了。\n"
    assert "本期关注" not in body_of(text).text


def test_photo_caption_glued_to_text_is_cut():
    text = "必将提供坚强支撑！▲宁波市望春街道社工为隔离点居民送生活物资\n\n▲下应街道海创社区智慧健康站\n"
    body = body_of(text)
    assert body.text == "必将提供坚强支撑！"
    assert clean_lines(text)[0].caption == "宁波市望春街道社工为隔离点居民送生活物资"


def test_line_map_points_back_to_the_file_lines():
    text = "标题\n\n常住人口约15\n\n万，有工业企业\n\n762家。\n"
    lines = [line for line in clean_lines(text) if line.number >= 3]
    body = join_lines(lines)
    assert body.text == "常住人口约15万，有工业企业762家。"
    assert body.line_map == [[0, 3], [7, 5], [14, 7]]
    assert body.line_at(body.text.index("762")) == 7
    assert body.line_at(body.text.index("15")) == 3


def test_normalise_lines_for_labelled_ranges():
    assert normalise_lines(["户籍人口约 2.3 \n", "\n", "万人。\n"]) == "户籍人口约2.3万人。"
