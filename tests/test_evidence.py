"""Every figure shows its evidence where it is listed: the quote as printed and its offsets in the text.

A fresh clone loads the shipped release, which has no article text: the pages say so in plain
Chinese instead of an empty 正文 and links to nothing.
"""

import re

import pytest

from cases.models import Figure

from . import pages_data
from .test_pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(zhejiang_tree):
    return pages_data.build(zhejiang_tree, n_articles=6)


def row_of(html: str, figure) -> str:
    row = re.search(rf'<tr id="fig-{figure.pk}">(.*?)</tr>', html, flags=re.S).group(1)
    return row


def assert_evidence(html: str, figure):
    row = row_of(html, figure)
    assert f'<q class="quote-text">{figure.quote}</q>' in row
    assert f"第 {figure.start}–{figure.end} 字" in row


def test_article_page_shows_each_quote_and_its_offsets(client, world):
    article = world["articles"][0]
    html = client.get(f"/articles/{article.pk}/").content.decode()
    for figure in article.figures.all():
        assert_evidence(html, figure)
        assert article.body[figure.start:figure.end] == figure.quote
        assert f'href="#q-{figure.pk}"' in row_of(html, figure)  # the text is here: jump to it
    assert "不含这篇文章的正文" not in text_of(client.get(f"/articles/{article.pk}/"))


def test_without_the_text_the_article_page_says_so_and_links_to_nothing(client, world):
    article = world["articles"][0]
    figures = list(article.figures.all())
    article.body = ""  # as the shipped release loads it
    article.save(update_fields=["body"])
    response = client.get(f"/articles/{article.pk}/")
    html, text = response.content.decode(), text_of(response)
    assert "不含这篇文章的正文" in text and "今日浙江 2024年第1期" in text
    assert 'class="body-text"' not in html
    for figure in figures:
        assert_evidence(html, figure)  # the evidence is still all there
        assert f'href="#q-{figure.pk}"' not in html and "在正文中查看" not in row_of(html, figure)


@pytest.mark.parametrize("page", ["region", "initiative", "metric"])
def test_lists_of_figures_show_quotes_inline_and_link_only_to_text_that_exists(client, world, page):
    url = {"region": "/regions/330600000000/", "initiative": f"/initiatives/{world['wangge'].pk}/",
           "metric": "/metrics/grid-count/"}[page]
    without_text = world["articles"][1]
    without_text.body = ""
    without_text.save(update_fields=["body"])
    html = client.get(url).content.decode()
    shown = list(Figure.objects.filter(article__in=world["articles"], metric=world["grids"]))
    if page == "region":
        shown = [f for f in shown if f.region.code.startswith("3306")]
    assert shown
    for figure in shown:
        assert_evidence(html, figure)
        link = f'/articles/{figure.article_id}/#q-{figure.pk}'
        assert (link in row_of(html, figure)) == (figure.article_id != without_text.pk)
    assert 'title="全域划分' not in html  # not hidden in a tooltip


def test_api_figures_carry_quote_and_offsets_even_brief(client, world):
    article = world["articles"][0]
    for query in ("", "&brief=1"):
        rows = client.get(f"/api/v1/figures/?article={article.pk}{query}").json()["results"]
        assert rows
        for row in rows:
            assert article.body[row["start"]:row["end"]] == row["quote"]
    nested = client.get(f"/api/v1/articles/{article.pk}/").json()["figures"]
    assert all({"quote", "start", "end"} <= set(f) for f in nested)
