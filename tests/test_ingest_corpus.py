"""The real corpus through the pure pipeline (no database): splits, quotes and line maps hold."""

import pytest

from cases.ingest.pipeline import process_bytes

pytestmark = pytest.mark.corpus


def run(corpus_dir, prefix):
    path = next(corpus_dir.glob(f"{prefix}_*.txt"))
    return path, process_bytes(path.read_bytes(), path.name, with_places=False)


def test_reports_split_at_the_author_notes(corpus_dir):
    _, document = run(corpus_dir, "002")
    assert [(a.draft.line_start, a.draft.line_end) for a in document.articles] == [(1, 416), (418, 822)]


def test_markdown_page_has_its_fifteen_items(corpus_dir):
    _, document = run(corpus_dir, "004")
    titles = [a.draft.title for a in document.articles]
    assert len(titles) == 15
    assert titles[0] == '上城区:强基赋能 凝"新"聚力'
    assert document.articles[0].draft.authors == ["周静", "严琰"]


def test_newspaper_page_has_eight_items_and_no_ad(corpus_dir):
    _, document = run(corpus_dir, "003")
    assert len(document.articles) == 8
    assert document.publication == "浙江日报"
    assert not any("社会主义核心价值观" in a.body.text for a in document.articles)


def test_magazine_issue_articles_and_the_years_index(corpus_dir):
    _, document = run(corpus_dir, "001")
    assert (document.publication, document.issue_label) == ("今日浙江", "2024年第24期")  # from the year's index
    titles = {a.draft.title for a in document.articles}
    assert "做大分好共同富裕的“蛋糕”" in titles
    assert "磐安县尖山镇：推进缩小“三大差距”镇域先行" in titles  # named from the year's index
    # the index of ~530 entries is not an article, and no article runs through it
    assert not any(a.draft.line_start < 10000 < a.draft.line_end for a in document.articles)


def test_magazine_bylines_and_contents_page(corpus_dir):
    _, document = run(corpus_dir, "000")
    assert 40 <= len(document.articles) <= 60
    by_title = {a.draft.title: a for a in document.articles}
    overview = by_title["高质量打造共同富裕现代化基本单元"]
    assert overview.draft.authors == ["马跃明", "袁卫"] and overview.draft.kind == "overview"
    assert "频踩“红线”跌深渊" in by_title  # only in the contents page
    assert not any(a.draft.line_start <= 200 <= a.draft.line_end for a in document.articles)  # contents page


def test_every_quote_is_where_its_offsets_say_and_maps_to_its_file_line(corpus_dir):
    for prefix in ("000", "001", "002", "003", "004"):
        path, document = run(corpus_dir, prefix)
        raw_lines = path.read_text(encoding="utf-8").split("\n")
        for article in document.articles:
            body = article.body
            for figure in article.figures:
                assert body.text[figure.start:figure.end] == figure.quote
                number = body.line_at(figure.start)
                assert article.draft.line_start <= number <= article.draft.line_end
                raw = "".join(raw_lines[number - 1].split())
                assert body.text[figure.start] in raw or figure.quote[0] in raw


def test_no_fake_numbers_from_doubled_captions(corpus_dir):
    _, document = run(corpus_dir, "001")
    quotes = [f.quote for a in document.articles for f in a.figures]
    assert not any("44条" in q or "GG11" in q for q in quotes)
