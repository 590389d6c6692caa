"""The review page in a real browser when an article has no body, and its read-only form.

Every control of a figure row (已核实 and 删除 too) must be reachable without sideways
scrolling; values read as written (175, not 175.000000); read-only cells never wrap one
character per line. Plus the queue's source filter and the figures list (no browser).
"""

import pytest
from django.urls import reverse

from cases.models import Article, Figure, Publication, Source
from tests.admin_fixtures import PASSWORD, make_article
from tests.browser_fixtures import log_in

# Where each figure row's controls and the figures panel sit (CSS pixels).
GEOMETRY = """() => {
  const panel = document.querySelector('.article-figures').getBoundingClientRect();
  const box = document.querySelector('.article-figures');
  const rows = [...document.querySelectorAll('#figures-group tr.form-row.has_original')].map(row => {
    const right = sel => { const el = row.querySelector(sel); return el ? el.getBoundingClientRect().right : null; };
    return {verified: right('input[name$="-verified"]'), delete: right('input[name$="-DELETE"]')};
  });
  return {panelRight: panel.right, overflow: box.scrollWidth - box.clientWidth,
          pageOverflow: document.documentElement.scrollWidth - window.innerWidth, rows};
}"""


def assert_fits(geometry, n_rows):
    assert len(geometry["rows"]) == n_rows
    assert geometry["overflow"] <= 1 and geometry["pageOverflow"] <= 1, geometry
    for row in geometry["rows"]:
        for control in ("verified", "delete"):
            if row[control] is not None:
                assert row[control] <= geometry["panelRight"] + 1, geometry


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_article_without_body_can_be_reviewed_without_sideways_scrolling(browser, live_server, editor, cities):
    article = make_article(title="只有标题的条目", body="")
    one = Figure.objects.create(article=article, label="网格", value=175, unit="个", quote="划分175个网格",
                                start=0, end=8)
    two = Figure.objects.create(article=article, label="共富工坊", value=12, unit="家", quote="共富工坊12家",
                                start=0, end=7)
    page = log_in(browser, live_server, editor, f"/admin/cases/article/{article.pk}/change/")
    assert "本文没有正文" in page.locator(".article-review").inner_text()
    assert page.locator("#article-body").count() == 0
    assert_fits(page.evaluate(GEOMETRY), 2)
    rows = page.locator("#figures-group tr.form-row.has_original")
    rows.nth(0).locator('input[name$="-verified"]').check()
    rows.nth(1).locator('input[name$="-DELETE"]').check()
    page.fill("#id_change_reason", "核对来源文件")
    page.click('input[name="_continue"]')
    page.wait_for_selector(".messagelist .success")
    assert page.locator(".errornote").count() == 0
    one.refresh_from_db()
    assert one.verified and one.verified_by == editor
    assert not Figure.objects.filter(pk=two.pk).exists()
    page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_figure_rows_fit_beside_the_text_and_read_only_values_read_as_written(browser, live_server, editor,
                                                                              reviewer, draft):
    page = log_in(browser, live_server, editor, f"/admin/cases/article/{draft.pk}/change/")
    assert page.locator("#article-body").is_visible()
    assert_fits(page.evaluate(GEOMETRY), 3)
    assert page.locator('#figures-group input[name$="-value"]').first.input_value() == "175"
    page.context.close()

    Article.objects.filter(pk=draft.pk).update(status=Article.Status.IN_REVIEW)
    page = log_in(browser, live_server, reviewer, f"/admin/cases/article/{draft.pk}/change/")
    figures = page.locator("#figures-group").inner_text()
    assert "40311" in figures and "150000" in figures
    assert ".000000" not in figures
    assert "张三、李四" in page.locator(".field-authors_as_written").inner_text()
    # No read-only cell is a column of single characters: each is at most two lines high.
    heights = page.evaluate("""() => [...document.querySelectorAll('.article-figures td p')]
        .filter(p => p.innerText.trim().length > 1)
        .map(p => [p.innerText, p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight || 16)])""")
    assert heights and all(lines < 2.5 for _, lines in heights), heights
    page.context.close()


@pytest.mark.django_db
def test_figures_list_shows_values_as_written(client, editor, draft):
    assert client.login(username=editor.username, password=PASSWORD)
    page = client.get(reverse("admin:cases_figure_changelist")).content.decode()
    assert ">40311<" in page and ">150000<" in page
    assert "40311.000000" not in page


@pytest.mark.django_db
def test_source_filter_names_publication_issue_and_first_article(client, editor, draft, django_assert_max_num_queries):
    hashed = Source.objects.create(sha256="b" * 64, file_name="003_d57086aae91928c5.txt", encoding="utf-8",
                                   publication=Publication.objects.get(name="今日浙江"), issue_label="2024年第24期")
    Article.objects.create(title="余村的绿色发展之路", body="正文。", source=hashed)
    assert client.login(username=editor.username, password=PASSWORD)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("admin:cases_article_changelist"))
    filters = response.content.decode().split('id="changelist-filter"')[1]
    assert "今日浙江 2024年第24期 · 余村的绿色发展之路" in filters
    assert "今日浙江 · 七星街道网格智治" in filters
    assert "d57086aae91928c5" not in filters and "test.txt" not in filters
    chosen = client.get(reverse("admin:cases_article_changelist"), {"source__id__exact": hashed.pk})
    assert {a.title for a in chosen.context["cl"].result_list} == {"余村的绿色发展之路"}
