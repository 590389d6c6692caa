"""The public pages in a real browser (Debian's headless chromium, driven by Playwright).

Covers what a researcher does: search, narrow by a facet, download the results as CSV, open
an article, click a figure to its quote, open a metric chart; on a desktop and a phone.
With ``PAGES_SCREENSHOTS=docs`` the tests also save the screenshots linked from the README.
"""

import csv
import io
import os
import re
from pathlib import Path

import pytest

from . import pages_data

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]


@pytest.fixture
def world(transactional_db, zhejiang_tree):
    return pages_data.build(zhejiang_tree, n_articles=6)


@pytest.fixture
def screenshots(tmp_path):
    folder = Path(os.environ.get("PAGES_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)

    def save(page, name):
        path = folder / f"page-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000  # a rendered page, not a blank one
        return path

    return save


@pytest.fixture
def browser(world, live_server):
    # Data first, browser second: Playwright's event loop must not be running while the ORM is used.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="zh-CN")
    tab = context.new_page()
    external = []
    tab.on("request", lambda request: external.append(request.url) if not request.url.startswith(("http://localhost", "data:")) else None)
    yield tab
    context.close()
    assert external == [], f"requests outside the site: {external}"


A11Y_CHECK = """() => {
  const problems = [];
  const ids = [...document.querySelectorAll("[id]")].map(e => e.id);
  ids.filter((id, i) => ids.indexOf(id) !== i).forEach(id => problems.push("duplicate id " + id));
  if (document.querySelectorAll("h1").length !== 1) problems.push("h1 count " + document.querySelectorAll("h1").length);
  document.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(e => {
    if (!(e.labels && e.labels.length) && !e.getAttribute("aria-label")) problems.push("unlabelled " + e.name);
  });
  document.querySelectorAll("a[href]").forEach(a => {
    if (!a.textContent.trim() && !a.getAttribute("aria-label") && !a.querySelector("title")) problems.push("empty link " + a.href);
  });
  document.querySelectorAll("a[href^='#']").forEach(a => {
    if (a.getAttribute("href").length > 1 && !document.getElementById(a.getAttribute("href").slice(1))) problems.push("dangling " + a.href);
  });
  return problems;
}"""


def test_every_page_kind_passes_basic_accessibility_checks(page, live_server, world):
    for path in ["/", "/?q=网格&kind=case", f"/articles/{world['articles'][0].pk}/", "/regions/330600000000/",
                 f"/initiatives/{world['wangge'].pk}/", "/metrics/", "/metrics/grid-count/", "/about/",
                 "/articles/999999/"]:
        page.goto(live_server.url + path)
        assert page.evaluate(A11Y_CHECK) == [], path
        assert page.locator("html").get_attribute("lang") == "zh-Hans"


def test_search_narrow_download_open_article_and_jump_to_quote(page, live_server, world, screenshots):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    screenshots(page, "home")

    page.get_by_label("检索案例").fill("网格")
    page.get_by_label("检索案例").press("Enter")
    page.wait_for_url(re.compile(r"q="))
    assert page.locator("#results-heading").inner_text().endswith("共 6 篇")
    assert page.locator(".snippet mark").first.inner_text() == "网格"
    screenshots(page, "search")

    # narrow by a facet: the region tree, 嵊州市
    page.locator(".facets").get_by_role("link", name="嵊州市").click()
    page.wait_for_url(re.compile(r"region=330683000000"))
    assert page.locator("#results-heading").inner_text().endswith("共 2 篇")
    assert "q=" in page.url  # the query survives narrowing
    assert page.locator(".chips").inner_text().count("嵊州市") == 1

    # download these results: the CSV has exactly the two rows on screen
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载这些结果（CSV）").click()
    download = download_info.value
    assert re.fullmatch(r"浙江案例库-文章-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    on_screen = page.locator(".result h3 a").all_inner_texts()
    assert sorted(r["标题"] for r in rows) == sorted(on_screen)  # headers as people read them
    assert all(len(code) == 12 for r in rows for code in r["主要地区代码"].split("; ") if code)

    # open an article and click a figure to its quote
    page.locator(".result h3 a").first.click()
    page.wait_for_url(re.compile(r"/articles/\d+/$"))
    link = page.locator("table.figures a.to-quote").last
    quote_id = link.get_attribute("data-quote")
    quote = page.locator(f"#{quote_id}")
    link.click()
    page.wait_for_url(re.compile(rf"#{quote_id}$"))
    page.wait_for_function("id => document.activeElement && document.activeElement.id === id", arg=quote_id)
    assert "常住人口约" in quote.inner_text()
    assert "is-current" in quote.get_attribute("class")
    box = quote.bounding_box()
    assert box and 0 <= box["y"] <= page.viewport_size["height"]
    screenshots(page, "article")


def test_metric_chart_bars_have_quotes_and_lead_to_the_source(page, live_server, world, screenshots):
    page.goto(live_server.url + "/metrics/")
    page.get_by_role("link", name="网格数").click()
    page.wait_for_url(re.compile(r"/metrics/grid-count/$"))
    bars = page.locator("svg.bar-chart rect.bar")
    assert bars.count() == 3
    assert all(bars.nth(i).bounding_box()["width"] > 0 for i in range(3))
    tooltips = page.locator("svg.bar-chart rect.bar > title").all_text_contents()
    assert any("七星街道 · 2023年：175个" in t and "全域划分175个网格" in t for t in tooltips)
    assert page.locator("svg.line-chart polyline").count() == 3
    screenshots(page, "metric")
    # the biggest bar (西湖区, 225 in 2023) opens its article at the quote
    bars.first.hover()
    bars.first.click()
    page.wait_for_url(re.compile(r"/articles/\d+/#q-\d+$"))
    assert page.locator("mark.quote.is-current").inner_text().startswith("全域划分225个网格")


@pytest.fixture
def wide_world(world):
    """产值 from 1万元 (a town) to 3216亿元 (a county): the range that made axis labels overlap."""
    from decimal import Decimal

    from cases.models import Article, Metric

    # get_or_create: a transactional test before this one flushed the seeded metrics
    output, _ = Metric.objects.get_or_create(slug="output-value", defaults={"name": "产值", "quantity": "money",
                                                                           "base_unit": "元"})
    places = [(world["town"], 10_000), (world["ganlin"], 30_000_000), (world["xihu"], 321_600_000_000),
              (world["shengzhou"], 11_530_000_000)]
    for i, (place, value) in enumerate(places):
        text = f"{place.name}去年产值{value}元。"
        article = Article.objects.create(source=world["articles"][0].source, position=80 + i, title=f"{place.name}的产值",
                                         body=text, status="published", reviewed_by=world["reviewer"],
                                         reviewed_at=world["articles"][0].reviewed_at)
        pages_data.add_figure(article, f"产值{value}元", "产值", Decimal(value), "元", normalized=value, base_unit="元",
                              metric=output, region=place, year=2024)
    return world


def test_wide_ranges_read_cleanly_no_label_overlaps_or_is_cut(wide_world, page, live_server, screenshots):
    page.goto(live_server.url + "/metrics/output-value/?region_level=county")
    assert "对数刻度" in page.locator(".chart-meta").first.inner_text()
    svg = page.locator("svg.bar-chart").bounding_box()
    boxes = [page.locator("svg.bar-chart text.tick").nth(i).bounding_box()
             for i in range(page.locator("svg.bar-chart text.tick").count())]
    assert len(boxes) >= 3
    for left, right in zip(boxes, boxes[1:], strict=False):
        assert left["x"] + left["width"] <= right["x"]  # never overlapping
    for text in page.locator("svg.bar-chart text").all():
        box = text.bounding_box()
        assert svg["x"] - 1 <= box["x"] and box["x"] + box["width"] <= svg["x"] + svg["width"] + 1  # never cut
    labels = page.locator("svg.bar-chart text.tick").all_text_contents()
    assert any(label.endswith("亿") for label in labels) and any(label.endswith("万") for label in labels)
    values = page.locator("svg.bar-chart text.value").all_text_contents()
    assert "3216亿元" in values and "新昌县·七星街道" in page.locator("svg.bar-chart text.label").all_text_contents()
    screenshots(page, "metric-compare")


def test_choose_two_themes_then_sort_oldest_first(page, live_server, world):
    page.goto(live_server.url + "/")
    themes = page.locator("section[aria-labelledby=f-theme]")
    themes.get_by_role("checkbox", name="缩小收入差距").click()
    page.wait_for_url(re.compile(r"theme=income-gap"))
    assert page.locator("#results-heading").inner_text().endswith("共 3 篇")
    # the theme list is still there, the choice ticked; a second theme widens the results
    assert themes.get_by_role("checkbox", name="缩小收入差距").get_attribute("aria-checked") == "true"
    themes.get_by_role("checkbox", name="网格化治理").click()
    page.wait_for_url(re.compile(r"theme=grid-governance"))
    assert page.locator("#results-heading").inner_text().endswith("共 6 篇")
    assert page.locator(".chips").inner_text().count("缩小收入差距") == 1
    page.locator("nav.sort").get_by_role("link", name="最早发表").click()
    page.wait_for_url(re.compile(r"ordering=date"))
    dates = page.locator(".result time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert dates == sorted(dates) and dates[0] < dates[-1]
    assert page.locator("nav.sort [aria-current]").inner_text() == "最早发表"


def test_region_and_initiative_pages(page, live_server, world, screenshots):
    page.goto(live_server.url + "/regions/330624003000/")
    crumbs = page.locator("nav.breadcrumb li").all_inner_texts()
    assert [c.strip() for c in crumbs] == ["浙江省", "绍兴市", "新昌县", "七星街道"]
    page.goto(live_server.url + "/regions/330600000000/")
    assert page.get_by_role("heading", name="下辖区划").is_visible()
    screenshots(page, "region")
    page.get_by_role("link", name="网格智治").first.click()
    page.wait_for_url(re.compile(r"/initiatives/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "网格智治"
    screenshots(page, "initiative")


def test_keyboard_and_phone(browser, live_server, world):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    for path in ["/", "/regions/330600000000/", "/metrics/grid-count/", f"/articles/{world['articles'][0].pk}/",
                 "/about/"]:
        page.goto(live_server.url + path)
        # nothing wider than the phone's screen (wide tables scroll inside their own box)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
    # on a phone the filters start folded, and every figure's "在正文中查看" is on screen and works
    page.goto(live_server.url + "/")
    assert page.locator("details.facets-box").get_attribute("open") is None
    page.goto(live_server.url + f"/articles/{world['articles'][0].pk}/")
    link = page.locator("table.figures a.to-quote").last
    link.scroll_into_view_if_needed()
    box = link.bounding_box()
    assert box["x"] + box["width"] <= 390
    link.tap()
    quote = page.locator("mark.quote.is-current")
    quote.wait_for()
    assert 0 <= quote.bounding_box()["y"] <= 844
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    context.close()
