"""The public pages as a researcher uses them: search, facets, articles, regions, metrics, CSV."""

import csv
import io
import re

import pytest
from django.contrib.staticfiles import finders

from cases.models import Figure

from . import pages_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(zhejiang_tree):
    return pages_data.build(zhejiang_tree, n_articles=6)


def text_of(response) -> str:
    """The visible text, tags dropped, for assertions a reader would make."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def result_titles(response) -> list[str]:
    return re.findall(r'<li class="result">\s*<h3><a href="[^"]+">([^<]+)</a>', response.content.decode())


# --- home and search ---------------------------------------------------------------------------

def test_home_lists_published_cases_only(client, world):
    response = client.get("/")
    assert response.status_code == 200
    titles = result_titles(response)
    assert len(titles) == 6
    assert "未审核的草稿文章" not in response.content.decode()
    assert "共 6 篇" in text_of(response)


def test_pages_are_chinese_and_self_contained(client, world):
    html = client.get("/").content.decode()
    assert '<html lang="zh-Hans">' in html
    assert '<label for="q">' in html
    # every script, stylesheet and icon comes from our own static files
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/") for a in assets), assets
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset


def test_search_highlights_the_terms(client, world):
    response = client.get("/", {"q": "甘霖镇"})
    titles = result_titles(response)
    assert titles and all("甘霖镇" in t for t in titles)
    assert "<mark>甘霖镇</mark>" in response.content.decode()


def test_search_offers_matching_regions_initiatives_and_metrics(client, world):
    html = client.get("/", {"q": "七星街道"}).content.decode()
    related = re.search(r'<dl class="related".*?</dl>', html, flags=re.S).group(0)
    assert 'href="/regions/330624003000/">七星街道</a>' in related
    html = client.get("/", {"q": "网格"}).content.decode()
    related = re.search(r'<dl class="related".*?</dl>', html, flags=re.S).group(0)
    assert f'href="/initiatives/{world["wangge"].pk}/">网格智治</a>' in related
    assert 'href="/metrics/grid-count/">网格数</a>' in related
    html = client.get("/", {"q": "只在草稿里的做法"}).content.decode()
    assert f'/initiatives/{world["secret_initiative"].pk}/' not in html


def test_bad_query_is_a_clear_error(client, world):
    response = client.get("/", {"q": '"网格'})
    assert response.status_code == 400
    assert "引号不成对" in text_of(response)
    assert result_titles(response) == []
    too_long = client.get("/", {"q": "网" * 500})
    assert too_long.status_code == 400 and "200" in text_of(too_long)


def test_unknown_filter_value_is_a_clear_error_not_everything(client, world):
    response = client.get("/", {"theme": "no-such-theme"})
    assert response.status_code == 400
    assert "主题" in text_of(response)
    assert result_titles(response) == []


def test_facets_count_and_narrow(client, world):
    response = client.get("/")
    html = response.content.decode()
    text = text_of(response)
    # region tree 市 › 县 › 乡镇 with distinct article counts: 4 in 绍兴市 (七星 2, 甘霖 2, each
    # 甘霖 article also mentions 新昌县), 2 in 杭州市
    assert re.search(r'region=330600000000">绍兴市</a>\s*<span class="count"[^>]*>4<', html)
    assert re.search(r'region=330624000000">新昌县</a>\s*<span class="count"[^>]*>4<', html)
    assert re.search(r'region=330683000000">嵊州市</a>\s*<span class="count"[^>]*>2<', html)
    assert re.search(r'region=330624003000">七星街道</a>\s*<span class="count"[^>]*>2<', html)
    assert re.search(r'region=330100000000">杭州市</a>\s*<span class="count"[^>]*>2<', html)
    assert "案例 3" in text and "专题报道 3" in text
    assert "共富工坊 3" in text
    # follow the 嵊州市 link, as a user would
    link = re.search(r'href="(\?[^"]*region=330683000000)"', html).group(1).replace("&amp;", "&")
    narrowed = client.get("/" + link)
    titles = result_titles(narrowed)
    assert len(titles) == 2 and all("甘霖镇" in t for t in titles)
    assert "地区：嵊州市" in text_of(narrowed)


def test_filters_combine_with_the_query_and_stay_in_the_url(client, world):
    response = client.get("/", {"q": "网格", "kind": "feature"})
    html = response.content.decode()
    year_link = re.search(r'href="(\?[^"]+)" data-facet="year">2022年<', html).group(1).replace("&amp;", "&")
    assert "year_min=2022" in year_link and "year_max=2022" in year_link
    response = client.get("/" + year_link)
    assert result_titles(response) == ["甘霖镇的网格智治（2）"]
    assert "年份：2022年" in text_of(response) and "体裁：专题报道" in text_of(response)
    html = response.content.decode()
    # the search box keeps the filters; the CSV link carries them all
    assert '<input type="hidden" name="kind" value="feature">' in html
    csv_link = re.search(r'href="(/api/v1/articles/\?format=csv[^"]+)"', html).group(1).replace("&amp;", "&")
    assert "q=" in csv_link and "kind=feature" in csv_link and "year_min=2022" in csv_link


def test_paging_keeps_the_filters(client, zhejiang_tree):
    pages_data.build(zhejiang_tree, n_articles=25)
    first = client.get("/", {"theme": "grid-governance"})
    assert len(result_titles(first)) == 20
    next_link = re.search(r'<a rel="next" href="([^"]+)"', first.content.decode()).group(1).replace("&amp;", "&")
    assert "theme=grid-governance" in next_link and "page=2" in next_link
    second = client.get("/" + next_link)
    assert len(result_titles(second)) == 5
    assert set(result_titles(second)).isdisjoint(result_titles(first))


def test_csv_link_downloads_the_same_results(client, world):
    page = client.get("/", {"region": "330683000000"})
    html, on_screen = page.content.decode(), result_titles(page)
    assert len(on_screen) == 2
    link = re.search(r'href="(/api/v1/articles/\?format=csv[^"]*)"', html).group(1).replace("&amp;", "&")
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert sorted(r["标题"] for r in rows) == sorted(on_screen)  # people's download: Chinese headers
    everything = b"".join(client.get("/api/v1/articles/?format=csv").streaming_content).decode()
    assert "未审核的草稿文章" not in everything


def test_a_result_longer_than_one_csv_file_offers_every_part(client, world, settings):
    settings.API_CSV_MAX_ROWS = 1
    page = client.get("/", {"region": "330683000000"})
    html = page.content.decode()
    links = [m.replace("&amp;", "&") for m in re.findall(r'href="(/api/v1/articles/\?format=csv[^"]*)"', html)]
    assert len(links) == 2 and "分 2 个 CSV 文件下载" in text_of(page)
    titles = []
    for link in links:
        body = b"".join(client.get(link).streaming_content).decode("utf-8")
        titles += [r["标题"] for r in csv.DictReader(io.StringIO(body.lstrip("\ufeff")))]
    assert sorted(titles) == sorted(result_titles(page))


# --- article ------------------------------------------------------------------------------------

def test_article_shows_source_figures_and_highlighted_quotes(client, world):
    article = world["articles"][1]
    response = client.get(f"/articles/{article.pk}/")
    assert response.status_code == 200
    text = text_of(response)
    html = response.content.decode()
    assert article.title in text
    assert "浙江日报 · 2023年6月1日 · 第 2 篇" in text
    assert "甘霖镇" in text and "新昌县" in text and "网格化治理" in text and "共富工坊" in text
    population = article.figures.get(label="常住人口")
    # the figures table: as written, normalised, qualifier, year, region, metric
    row = re.search(rf'<tr id="fig-{population.pk}">(.*?)</tr>', html, flags=re.S).group(1)
    row_text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))
    assert "约6万人" in row_text and "60,000 人" in row_text and "约数" in row_text
    assert "2022" in row_text and "甘霖镇" in row_text and "常住人口" in row_text
    assert f'href="#q-{population.pk}"' in row
    # the quote is highlighted in the text with the anchor the table links to
    assert re.search(rf'<mark class="quote" id="q-{population.pk}"[^>]*>常住人口约6万人', html)


def test_drafts_are_not_public(client, world):
    assert client.get(f"/articles/{world['draft'].pk}/").status_code == 404
    assert client.get("/articles/999999/").status_code == 404
    assert "页面不存在" in text_of(client.get("/articles/999999/"))


def test_staff_may_preview_a_draft(client, world):
    client.force_login(world["reviewer"])
    response = client.get(f"/articles/{world['draft'].pk}/")
    assert response.status_code == 200
    assert "尚未发布" in text_of(response)


# --- region, initiative, metric, about ----------------------------------------------------------

def test_region_page(client, world):
    response = client.get("/regions/330624003000/")
    assert response.status_code == 200
    html = response.content.decode()
    crumbs = re.findall(r'<li><a href="/regions/\d{12}/"[^>]*>([^<]+)</a></li>', html.split("</nav>", 2)[1])
    assert crumbs == ["浙江省", "绍兴市", "新昌县", "七星街道"]
    text = text_of(response)
    assert "共有 2 篇已发布的案例" in text
    assert "网格智治" in text  # its initiative
    # every figure shows its quote and offsets inline (no tooltip to hover for)
    figure = Figure.objects.get(article=world["articles"][0], label="网格")
    row = re.search(rf'<tr id="fig-{figure.pk}">(.*?)</tr>', response.content.decode(), flags=re.S).group(1)
    assert "<q class=\"quote-text\">全域划分100个网格</q>" in row and f"第 {figure.start}–{figure.end} 字" in row
    assert "100个" in text
    county = text_of(client.get("/regions/330624000000/"))
    assert "七星街道 2" in county  # a sub-region with its count of cases
    city = client.get("/regions/330600000000/").content.decode()
    assert re.search(r'/regions/330683000000/">嵊州市</a>\s*<span class="count"[^>]*>2<', city)
    assert client.get("/regions/330000000099/").status_code == 404
    assert client.get("/regions/not-a-code/").status_code == 404
    assert client.get("/regions/3306/")["Location"] == "/regions/330600000000/"


def test_initiative_page(client, world):
    response = client.get(f"/initiatives/{world['gongfang'].pk}/")
    assert response.status_code == 200
    text = text_of(response)
    assert "嵊州市" in text
    assert "相关文章（3）" in text
    assert "未审核" not in text
    assert client.get(f"/initiatives/{world['secret_initiative'].pk}/").status_code == 404


def test_metric_page_charts_have_tooltips_and_a_table(client, world):
    response = client.get("/metrics/grid-count/")
    assert response.status_code == 200
    html = response.content.decode()
    bars = re.search(r'<svg class="bar-chart".*?</svg>', html, flags=re.S).group(0)
    # one bar per region, the latest year's value, with the quote in its tooltip
    assert bars.count("<rect") == 3
    assert "七星街道 · 2023年：175个" in bars and "“全域划分175个网格”" in bars
    assert "999" not in bars  # the draft's figure stays out
    lines = re.search(r'<svg class="line-chart".*?</svg>', html, flags=re.S).group(0)
    assert lines.count("<polyline") == 3 and lines.count("<circle") == 6
    assert "全部数字（6）" in text_of(response)
    # every figure of the metric, as CSV from the API
    link = re.search(r'href="(/api/v1/figures/\?format=csv[^"]+)"', html).group(1).replace("&amp;", "&")
    rows = list(csv.DictReader(io.StringIO(b"".join(client.get(link).streaming_content).decode().lstrip("\ufeff"))))
    assert len(rows) == 6
    assert client.get("/metrics/no-such-metric/").status_code == 404
    listing = text_of(client.get("/metrics/"))
    assert "网格数" in listing and "常住人口" in listing


def test_about_page_codebook_comes_from_the_models(client, world):
    text = text_of(client.get("/about/"))
    assert str(Figure._meta.get_field("normalized_value").help_text) in text
    assert "normalized_value" in text and "归一化数值" in text
    assert "确数" in text and "约数" in text  # choices
    assert "CC BY 4.0" in text and "引用格式" in text
    assert "公开 6 篇案例文章" in text


def _facet_link(html: str, facet: str, label: str) -> str:
    match = re.search(rf'href="(\?[^"]*)" data-facet="{facet}"[^>]*>(?:<span[^>]*>[^<]*</span> )?{re.escape(label)}<', html)
    assert match, f"no {facet} link {label}"
    return match.group(1).replace("&amp;", "&")


def test_several_themes_can_be_chosen_and_dropped(client, world):
    html = client.get("/").content.decode()
    income = client.get("/" + _facet_link(html, "theme", "缩小收入差距"))
    assert len(result_titles(income)) == 3
    html = income.content.decode()
    # the theme facet stays, the chosen theme ticked, the others counted over the results without it
    assert re.search(r'aria-checked="true"><span[^>]*>☑</span> 缩小收入差距<', html)
    both = client.get("/" + _facet_link(html, "theme", "网格化治理"))
    assert len(result_titles(both)) == 6  # either theme: every case
    assert "theme=income-gap" in both.request["QUERY_STRING"] and "theme=grid-governance" in both.request["QUERY_STRING"]
    # clicking a ticked theme drops it, keeping the other
    only_grid = client.get("/" + _facet_link(both.content.decode(), "theme", "缩小收入差距"))
    assert only_grid.request["QUERY_STRING"] == "theme=grid-governance"


def test_results_can_be_sorted_and_the_csv_sorts_the_same_way(client, world):
    newest = result_titles(client.get("/"))
    number = re.compile(r"（(\d)）$")
    assert {number.search(t).group(1) for t in newest[:3]} == {"4", "5", "6"}  # the 2023 cases before 2022's
    html = client.get("/").content.decode()
    assert '<strong aria-current="true">最新发表</strong>' in html and "相关度" not in text_of(client.get("/"))
    oldest_link = re.search(r'href="(\?[^"]*)" data-sort="date"', html).group(1).replace("&amp;", "&")
    oldest = client.get("/" + oldest_link)
    assert {number.search(t).group(1) for t in result_titles(oldest)[:3]} == {"1", "2", "3"}
    csv_link = re.search(r'href="(/api/v1/articles/\?format=csv[^"]+)"', oldest.content.decode()).group(1)
    assert "ordering=date" in csv_link.replace("&amp;", "&")
    # searching, relevance comes first and can be switched to a date order
    searched = client.get("/", {"q": "甘霖镇"}).content.decode()
    assert '<strong aria-current="true">相关度</strong>' in searched
    by_title = client.get("/", {"q": "网格", "ordering": "title"})
    assert result_titles(by_title) == sorted(result_titles(by_title))


def test_a_result_without_its_text_shows_its_figure_quotes(client, world):
    article = world["articles"][0]
    article.body = ""
    article.save()
    html = client.get("/", {"q": "网格"}).content.decode()
    item = re.search(rf'<h3><a href="/articles/{article.pk}/">.*?</li>', html, flags=re.S).group(0)
    assert "引文：" in item and "全域划分100个<mark>网格</mark>" in item
    # other results keep their body passage
    assert "推进<mark>网格</mark>智治" in html


def test_places_outside_zhejiang_are_named_with_their_province(client, world):
    from cases.models import ArticleRegion
    from regions.models import Level, Region

    shanghai = Region.objects.create(code="310000000000", name="上海市", level=Level.PROVINCE, edition="test")
    placeholder = Region.objects.create(code="310100000000", name="市辖区", level=Level.CITY, parent=shanghai, edition="test")
    songjiang = Region.objects.create(code="310117000000", name="松江区", level=Level.COUNTY, parent=placeholder, edition="test")
    heilongjiang = Region.objects.create(code="230000000000", name="黑龙江省", level=Level.PROVINCE, edition="test")
    daqing = Region.objects.create(code="230600000000", name="大庆市", level=Level.CITY, parent=heilongjiang, edition="test")
    for region in (songjiang, daqing):
        ArticleRegion.objects.create(article=world["articles"][0], region=region, role=ArticleRegion.Role.MENTIONED)
    html = client.get("/").content.decode()
    tree = re.search(r'<ul class="tree">.*</ul>', html, flags=re.S).group(0)
    cities = re.findall(r'region=(\d+)">([^<]+)</a>', tree)
    names = [name for _code, name in cities]
    assert "上海市" in names and "黑龙江省大庆市" in names and "市辖区" not in names and "大庆市" not in names
    # Zhejiang's own cities come first
    assert names.index("绍兴市") < names.index("上海市")


def test_initiatives_of_one_name_are_told_apart_by_place(client, world):
    from cases.models import Initiative

    here = Initiative.objects.create(name="1+3+N模式", region=world["town"])
    there = Initiative.objects.create(name="1+3+N模式", region=world["xihu"])
    here.articles.add(world["articles"][0])
    there.articles.add(world["articles"][2])
    text = text_of(client.get("/"))
    assert "1+3+N模式（七星街道） 1" in text and "1+3+N模式（西湖区） 1" in text


# --- queries do not grow with rows --------------------------------------------------------------

@pytest.mark.parametrize("rows", [2, 20])
def test_query_count_is_constant(client, zhejiang_tree, django_assert_max_num_queries, rows):
    world = pages_data.build(zhejiang_tree, n_articles=rows)
    article = world["articles"][0]
    # The numbers measured with 2 rows; they must not grow with 20. A query also looks up initiatives,
    # regions and metrics for the related-records line (search_records: no second article ranking);
    # on PostgreSQL the results page takes the engine's ranked-page path (places, candidates, ranked
    # ids, page, the rest);
    # a chosen theme adds one: the theme facet is counted over the results without the theme filter;
    # facets are counted then labelled by id (so kept counts can be labelled), three name lookups;
    # on PostgreSQL the filtered ids are fetched once for all facets (pages.facets.pinned); region and
    # metric pages read their content version first (pages.cache), creating it on the first visit.
    urls = {
        "/": 12, "/?q=网格&region=330600000000&theme=grid-governance": 27,
        f"/articles/{article.pk}/": 7, "/regions/330600000000/": 16, f"/initiatives/{world['wangge'].pk}/": 9,
        "/metrics/": 3, "/metrics/grid-count/": 8, "/metrics/grid-count/?region=3306&region_level=county": 9,
        "/about/": 5,
    }
    # The home page counts the whole collection's facets once per data version (pages.summary):
    # the first visit counts and keeps them, later ones read them back.
    with django_assert_max_num_queries(32):
        assert client.get("/").status_code == 200
    for url, limit in urls.items():
        with django_assert_max_num_queries(limit):
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        assert response.status_code == 200, url
