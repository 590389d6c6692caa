"""The editors' journey in a real browser (Debian's chromium, headless, driven by Playwright).

An editor opens a draft, checks a figure against its quote, corrects it, adds a
figure the pipeline missed by selecting its quote, saves with a reason and sends
the article to review; a reviewer publishes it; the public API then lists it.
Set SAVE_SCREENSHOTS=1 to refresh docs/admin-*.png (from the fixture article,
never from corpus text).
"""

import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from cases.models import Article, Figure
from tests.browser_fixtures import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parent.parent / "docs"


SELECT_TEXT = """(quote) => {
  const body = document.getElementById("article-body");
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  const nodes = []; let text = "";
  while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
  const at = text.indexOf(quote);
  if (at < 0) { return false; }
  const locate = (pos) => { for (let i = nodes.length - 1; i >= 0; i--) { if (nodes[i][1] <= pos) {
      return [nodes[i][0], pos - nodes[i][1]]; } } };
  const range = document.createRange();
  range.setStart(...locate(at)); range.setEnd(...locate(at + quote.length));
  const selection = window.getSelection(); selection.removeAllRanges(); selection.addRange(range);
  return true;
}"""


def editor_corrects_and_sends(browser, live_server, editor, article, figure, new_value, missed_quote=None,
                              screenshots=None):
    change_path = f"/admin/cases/article/{article.pk}/change/"
    page = log_in(browser, live_server, editor, change_path)
    assert page.locator("#article-body").is_visible()
    row = page.locator(f'#figures-group tr[data-figure="{figure.pk}"]')
    # Clicking a figure row shows its quote in the text.
    row.locator('input[name$="-value"]').click()
    active = page.locator("#article-body .is-active")
    assert active.count() >= 1
    assert figure.quote.startswith(active.first.inner_text()) or active.first.inner_text() in figure.quote
    if screenshots:
        if page.locator("#toggle-nav-sidebar").is_visible():
            page.click("#toggle-nav-sidebar")
        page.locator(".article-review").evaluate("el => window.scrollTo(0, el.offsetTop - 8)")
        page.screenshot(path=str(screenshots / "admin-article.png"), full_page=False)
    row.locator('input[name$="-value"]').fill(new_value)
    row.locator('input[name$="-verified"]').check()

    if missed_quote:
        assert page.evaluate(SELECT_TEXT, missed_quote)
        button = page.locator("#add-figure-from-selection")
        button.wait_for(state="visible")
        page.wait_for_function("!document.getElementById('add-figure-from-selection').disabled")
        button.click()
        new_row = page.locator("#figures-group tr.form-row.is-new")
        assert new_row.locator('input[name$="-quote"]').input_value() == missed_quote
        start = int(new_row.locator('input[name$="-start"]').input_value())
        end = int(new_row.locator('input[name$="-end"]').input_value())
        assert article.body[start:end] == missed_quote
        new_row.locator('input[name$="-label"]').fill("共富工坊")
        new_row.locator('input[name$="-unit"]').fill("家")
        if screenshots:
            page.screenshot(path=str(screenshots / "admin-article-add-figure.png"), full_page=False)

    page.fill("#id_change_reason", "按原文更正数字")
    page.click('input[name="_continue"]')
    page.wait_for_selector(".messagelist .success")
    assert page.locator(".errornote").count() == 0
    page.click("button.workflow-send_to_review")
    page.wait_for_selector(".messagelist .success")
    assert "待审核" in page.locator("#workflow-panel").inner_text()
    page.context.close()


def reviewer_publishes(browser, live_server, reviewer, article, screenshots=None):
    change_path = f"/admin/cases/article/{article.pk}/change/"
    page = log_in(browser, live_server, reviewer, change_path)
    if screenshots:
        page.screenshot(path=str(screenshots / "admin-article-review.png"), full_page=False)
    page.click("button.workflow-publish")
    page.wait_for_selector(".messagelist .success")
    assert "已发布" in page.locator(".messagelist").inner_text()
    page.context.close()


def public_api_lists(browser, live_server, title):
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(f"{live_server.url}/api/v1/articles/?format=json")
    assert response.ok
    titles = [a["title"] for a in response.json()["results"]]
    context.close()
    return title in titles


def test_editor_corrects_and_reviewer_publishes_a_draft(browser, live_server, editor, reviewer, draft, tmp_path):
    figure = draft.figures.get(label="网格")
    shots = tmp_path
    assert not public_api_lists(browser, live_server, draft.title)
    editor_corrects_and_sends(browser, live_server, editor, draft, figure, "176",
                              missed_quote="共富工坊12家", screenshots=shots)
    figure.refresh_from_db()
    draft.refresh_from_db()
    assert figure.value == Decimal("176") and figure.verified_by == editor
    assert figure.history.first().history_change_reason == "按原文更正数字"
    added = draft.figures.get(label="共富工坊")
    assert added.value == Decimal("12") and added.quote == "共富工坊12家"
    assert draft.status == Article.Status.IN_REVIEW and draft.edited_by == editor

    reviewer_publishes(browser, live_server, reviewer, draft, screenshots=shots)
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED and draft.reviewed_by == reviewer
    assert public_api_lists(browser, live_server, draft.title)
    if os.environ.get("SAVE_SCREENSHOTS"):
        for png in shots.glob("*.png"):
            shutil.copy(png, DOCS / png.name)


@pytest.mark.corpus
def test_a_corpus_draft_goes_from_ingest_to_the_public_api(browser, live_server, editor, reviewer, gazetteer,
                                                           corpus_dir):
    path = min(corpus_dir.glob("*.txt"), key=lambda p: p.stat().st_size)
    call_command("ingest", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    figure = (Figure.objects.filter(article__status=Article.Status.DRAFT, qualifier="")
              .order_by("article_id", "start").first())
    assert figure is not None, "the ingest made no figures"
    article = figure.article
    new_value = str(figure.value.normalize() + 1)
    editor_corrects_and_sends(browser, live_server, editor, article, figure, new_value)
    figure.refresh_from_db()
    assert figure.value == Decimal(new_value) and figure.edited_by == editor
    reviewer_publishes(browser, live_server, reviewer, article)
    assert public_api_lists(browser, live_server, article.title)
