"""Each filter of each resource, as a researcher would use it, and bad values as 400s."""

import pytest

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def codes(response):
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


# --- articles ------------------------------------------------------------------------------


def test_region_matches_the_whole_subtree_and_region_exact_only_itself(api, world):
    xc = world["xinchang"].pk
    assert ids(api.get("/api/v1/articles/?region=330600")) == {xc}          # 绍兴市 ⊃ 七星街道
    assert ids(api.get("/api/v1/articles/?region=330600000000")) == {xc}
    assert ids(api.get("/api/v1/articles/?region=33")) == {xc, world["shangcheng_article"].pk}
    assert ids(api.get("/api/v1/articles/?region_exact=330600")) == set()
    assert ids(api.get("/api/v1/articles/?region_exact=330624003000")) == {xc}


def test_region_role_narrows_region_filters(api, world):
    # 七星街道's article only mentions 杭州市.
    assert ids(api.get("/api/v1/articles/?region=330100")) == {world["xinchang"].pk, world["shangcheng_article"].pk}
    assert ids(api.get("/api/v1/articles/?region=330100&region_role=main")) == {world["shangcheng_article"].pk}
    assert ids(api.get("/api/v1/articles/?region_exact=330100&region_role=mentioned")) == {world["xinchang"].pk}


def test_region_level_is_the_level_of_the_main_region(api, world):
    assert ids(api.get("/api/v1/articles/?region_level=town")) == {world["xinchang"].pk}
    assert ids(api.get("/api/v1/articles/?region_level=county")) == {world["shangcheng_article"].pk}
    assert ids(api.get("/api/v1/articles/?region_level=city")) == set()


def test_theme_kind_publication_source(api, world):
    assert ids(api.get("/api/v1/articles/?theme=grassroots-governance")) == {world["xinchang"].pk}
    assert len(ids(api.get("/api/v1/articles/?theme=grassroots-governance&theme=test-culture"))) == 2
    assert ids(api.get("/api/v1/articles/?kind=feature")) == {world["shangcheng_article"].pk}
    assert len(ids(api.get(f"/api/v1/articles/?publication={world['publication'].pk}"))) == 2
    assert len(ids(api.get(f"/api/v1/articles/?source={world['source'].pk}"))) == 2


def test_year_range(api, world):
    assert ids(api.get("/api/v1/articles/?year_min=2023")) == {world["xinchang"].pk}
    assert ids(api.get("/api/v1/articles/?year_max=2023")) == {world["shangcheng_article"].pk}
    assert ids(api.get("/api/v1/articles/?year_min=2022&year_max=2022")) == {world["shangcheng_article"].pk}
    assert ids(api.get("/api/v1/articles/?published_after=2024-01-01")) == {world["xinchang"].pk}


def test_initiative_metric_has_figures(api, world):
    assert ids(api.get(f"/api/v1/articles/?initiative={world['initiative'].pk}")) == {world["xinchang"].pk}
    assert ids(api.get("/api/v1/articles/?metric=resident-population")) == {world["xinchang"].pk}
    assert len(ids(api.get("/api/v1/articles/?metric=grid-count"))) == 2
    assert len(ids(api.get("/api/v1/articles/?has_figures=true"))) == 2
    assert ids(api.get("/api/v1/articles/?has_figures=false")) == set()


def test_full_text_search_with_snippet(api, world):
    response = api.get("/api/v1/articles/?q=网格智治")
    assert ids(response) == {world["xinchang"].pk}
    snippet = response.json()["results"][0]["snippet"]
    assert "<mark>" in snippet and "网格" in snippet
    assert world["draft"].pk not in ids(api.get("/api/v1/articles/?q=草稿"))   # drafts are not searchable publicly
    assert api.get("/api/v1/articles/").json()["results"][0]["snippet"] is None


def test_ordering_by_date_title_and_relevance(api, world):
    by_date = [r["id"] for r in api.get("/api/v1/articles/?ordering=date").json()["results"]]
    assert by_date == [world["shangcheng_article"].pk, world["xinchang"].pk]
    by_date_desc = [r["id"] for r in api.get("/api/v1/articles/?ordering=-date").json()["results"]]
    assert by_date_desc == by_date[::-1]
    titles = [r["title"] for r in api.get("/api/v1/articles/?ordering=title").json()["results"]]
    assert titles == sorted(titles)
    relevance = api.get("/api/v1/articles/?q=网格智治&ordering=-relevance")
    assert ids(relevance) == {world["xinchang"].pk}
    without_q = api.get("/api/v1/articles/?ordering=-relevance")
    assert without_q.status_code == 400 and "q" in without_q.json()["ordering"][0]


def test_staff_filter_by_status(world, users):
    from .conftest import token_client

    staff = token_client(users["staff"])
    assert ids(staff.get("/api/v1/articles/?status=draft")) == {world["draft"].pk}
    assert ids(staff.get("/api/v1/articles/?status=rejected&status=draft")) == {world["draft"].pk, world["rejected"].pk}


@pytest.mark.parametrize("query, field", [
    ("region=abc", "region"),
    ("region=3306x", "region"),
    ("region=999999", "region"),                 # well-formed but no such region
    ("region_level=planet", "region_level"),
    ("year_min=99999", "year_min"),
    ("year_max=abc", "year_max"),
    ("kind=poem", "kind"),
    ("theme=no-such-theme", "theme"),
    ("initiative=abc", "initiative"),
    ("has_figures=maybe", "has_figures"),
    ("q=" + "网" * 10_000, "q"),
    ("ordering=body", "ordering"),
    ("limit=abc", "limit"),
    ("offset=-1", "offset"),
    ("fields=title,secret", "fields"),
    ("published_after=2024-13-45", "published_after"),
])
def test_bad_article_filters_are_400_with_a_message(api, world, query, field):
    response = api.get("/api/v1/articles/?" + query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert field in body and body[field], body


def test_q_with_only_spaces_is_ignored_not_an_error(api, world):
    assert len(ids(api.get("/api/v1/articles/?q=%20%20"))) == 2


# --- figures ---------------------------------------------------------------------------------


def test_figure_filters(api, world):
    f = world["figures"]
    assert ids(api.get("/api/v1/figures/?metric=grid-count")) == {f["grid"].pk, f["hz_grid"].pk}
    assert ids(api.get("/api/v1/figures/?region=330600")) == {f["grid"].pk, f["people"].pk}
    assert ids(api.get("/api/v1/figures/?region_exact=330102")) == {f["hz_grid"].pk}
    assert ids(api.get("/api/v1/figures/?region_level=county")) == {f["hz_grid"].pk}
    assert ids(api.get("/api/v1/figures/?value_min=100")) == {f["grid"].pk, f["people"].pk}
    assert ids(api.get("/api/v1/figures/?value_min=100&value_max=1000")) == {f["grid"].pk}
    assert ids(api.get("/api/v1/figures/?unit=万")) == {f["people"].pk}
    assert ids(api.get("/api/v1/figures/?unit=人")) == {f["people"].pk}      # the base unit matches too
    assert ids(api.get("/api/v1/figures/?qualifier=approx")) == {f["people"].pk}
    assert ids(api.get("/api/v1/figures/?year=2023")) == {f["people"].pk}
    assert ids(api.get("/api/v1/figures/?year_min=2023&year_max=2024")) == {f["grid"].pk, f["people"].pk}
    assert ids(api.get("/api/v1/figures/?is_target=true")) == {f["hz_grid"].pk}
    assert ids(api.get("/api/v1/figures/?verified=true")) == {f["grid"].pk}
    assert ids(api.get(f"/api/v1/figures/?article={world['shangcheng_article'].pk}")) == {f["hz_grid"].pk}
    assert ids(api.get("/api/v1/figures/?label=常住")) == {f["people"].pk}
    ordered = [r["normalized_value"] for r in api.get("/api/v1/figures/?ordering=-value").json()["results"]]
    assert ordered == [150000, 175, 32]


def test_figure_of_a_draft_cannot_be_used_as_a_filter_value_by_the_public(api, world):
    response = api.get(f"/api/v1/figures/?article={world['draft'].pk}")
    assert response.status_code == 400   # as unknown as an id that does not exist


@pytest.mark.parametrize("query", ["value_min=abc", "value_min=1e400", "value_max=NaN", "year=1800",
                                   "qualifier=roughly", "region=12345678901234", "verified=perhaps"])
def test_bad_figure_filters_are_400(api, world, query):
    assert api.get("/api/v1/figures/?" + query).status_code == 400


def test_summary_per_region_year_and_level(api, world, users):
    from .conftest import token_client

    response = api.get("/api/v1/figures/summary/?metric=grid-count&group_by=year")
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"year": 2022, "count": 1, "min": 32.0, "max": 32.0, "median": 32.0},
        {"year": 2024, "count": 1, "min": 175.0, "max": 175.0, "median": 175.0},
    ]
    # Staff also see the draft's 12 and the rejected article's 8: medians of 2 and 3 values.
    staff = token_client(users["staff"])
    by_level = staff.get("/api/v1/figures/summary/?metric=grid-count&group_by=region_level").json()["results"]
    assert {r["region_level"]: (r["count"], r["median"]) for r in by_level} == {
        "county": (2, 20.0), "town": (2, 93.5)}
    grid = staff.get("/api/v1/figures/summary/?metric=grid-count&group_by=region&region=330600").json()
    assert grid["base_unit"] == "个"
    assert [(r["region"]["name"], r["count"], r["min"], r["max"]) for r in grid["results"]] == [
        ("新昌县", 1, 8.0, 8.0), ("七星街道", 2, 12.0, 175.0)]


def test_summary_median_of_odd_and_even_groups(api, world):
    from decimal import Decimal

    from cases.models import Figure

    base = world["figures"]["grid"]
    for value in ("1", "2", "1000"):
        Figure.objects.create(article=base.article, label="网格", value=Decimal(value), normalized_value=Decimal(value),
                              metric=base.metric, region=base.region, quote=base.quote, start=base.start, end=base.end,
                              year=2021)
    rows = {r["year"]: r for r in api.get("/api/v1/figures/summary/?metric=grid-count&group_by=year").json()["results"]}
    assert rows[2021]["median"] == 2.0 and rows[2021]["count"] == 3
    Figure.objects.create(article=base.article, label="网格", value=Decimal("5"), normalized_value=Decimal("5"),
                          metric=base.metric, region=base.region, quote=base.quote, start=base.start, end=base.end,
                          year=2021)
    rows = {r["year"]: r for r in api.get("/api/v1/figures/summary/?metric=grid-count&group_by=year").json()["results"]}
    assert rows[2021]["median"] == 3.5 and rows[2021]["count"] == 4


@pytest.mark.parametrize("query", ["group_by=region", "metric=grid-count", "metric=grid-count&group_by=planet",
                                   "metric=nope&group_by=year", "metric=grid-count&metric=resident-population&group_by=year"])
def test_summary_needs_one_metric_and_a_grouping(api, world, query):
    assert api.get("/api/v1/figures/summary/?" + query).status_code == 400


# --- regions, initiatives, vocabularies ---------------------------------------------------------


def test_region_filters(api, world):
    assert codes(api.get("/api/v1/regions/?code=330600")) == ["330600000000"]
    assert codes(api.get("/api/v1/regions/?level=city")) == ["330100000000", "330600000000"]
    assert codes(api.get("/api/v1/regions/?parent=330624")) == ["330624003000"]
    assert codes(api.get("/api/v1/regions/?within=330600")) == ["330624000000", "330624003000", "330624003222"]
    assert codes(api.get("/api/v1/regions/?name=新昌")) == ["330624000000"]          # short name
    assert codes(api.get("/api/v1/regions/?name=江干区")) == ["330102000000"]        # former name
    assert codes(api.get("/api/v1/regions/?former_name=江干区")) == ["330102000000"]
    assert codes(api.get("/api/v1/regions/?former_name=上城区")) == []
    assert codes(api.get("/api/v1/regions/?q=七星")) == ["330624003000"]
    assert api.get("/api/v1/regions/?level=planet").status_code == 400
    assert api.get("/api/v1/regions/?code=33x").status_code == 400
    assert api.get("/api/v1/regions/?parent=000").status_code == 400


def test_region_detail_breadcrumb_and_counts(api, world):
    body = api.get("/api/v1/regions/330624003000/").json()
    assert [a["name"] for a in body["ancestors"]] == ["浙江省", "绍兴市", "新昌县"]
    assert body["path_name"] == "浙江省 › 绍兴市 › 新昌县 › 七星街道"
    assert body["children_count"] == 1
    assert body["article_count"] == 1              # the published one; the draft there is not counted
    assert api.get("/api/v1/regions/330102/").json()["aliases"][0]["name"] == "江干区"
    children = api.get("/api/v1/regions/330000/children/").json()
    assert [c["name"] for c in children["results"]] == ["杭州市", "绍兴市"]
    assert api.get("/api/v1/regions/339999/").status_code == 404
    assert api.get("/api/v1/regions/abc/").status_code == 404


def test_initiative_filters(api, world):
    pk = world["initiative"].pk
    assert ids(api.get("/api/v1/initiatives/?q=网格")) == {pk}
    assert ids(api.get("/api/v1/initiatives/?region=330600")) == {pk}
    assert ids(api.get("/api/v1/initiatives/?region_exact=330624003000")) == set()
    assert ids(api.get("/api/v1/initiatives/?theme=grassroots-governance")) == {pk}
    assert ids(api.get(f"/api/v1/initiatives/?article={world['xinchang'].pk}")) == {pk}


def test_initiative_alias_search_on_both_databases(api, world):
    world["initiative"].aliases = ["一张网格管治理"]
    world["initiative"].save()
    assert ids(api.get("/api/v1/initiatives/?q=一张网格")) == {world["initiative"].pk}


def test_vocabulary_filters(api, world):
    # The seeded vocabulary (cases.0003) holds other grid metrics too: each result must match.
    grids = api.get("/api/v1/metrics/?q=网格").json()["results"]
    assert "grid-count" in [m["slug"] for m in grids]
    assert all("网格" in m["name"] for m in grids)
    people = api.get("/api/v1/metrics/?quantity=population").json()["results"]
    assert "resident-population" in [m["slug"] for m in people]
    assert {m["quantity"] for m in people} == {"population"}
    assert [t["slug"] for t in api.get("/api/v1/themes/?q=测试").json()["results"]] == ["test-culture"]
    assert [p["name"] for p in api.get("/api/v1/publications/?kind=newspaper").json()["results"]] == ["浙江日报"]
    assert len(api.get("/api/v1/sources/?q=2024年第24期").json()["results"]) == 1
    assert api.get("/api/v1/sources/?year_min=2025").json()["count"] == 0


def test_brief_and_sparse_fields(api, world):
    brief = api.get("/api/v1/articles/?brief=1").json()["results"][0]
    assert set(brief) == {"id", "url", "title", "published_on"}
    sparse = api.get("/api/v1/articles/?fields=id,title,regions").json()["results"][0]
    assert set(sparse) == {"id", "title", "regions"}
    region = api.get("/api/v1/figures/").json()["results"][0]["region"]
    assert set(region) == {"code", "name", "level", "url"}
    assert set(api.get("/api/v1/regions/?brief=true").json()["results"][0]) == {"code", "name", "level", "url"}


def test_paging_has_a_maximum_and_stable_order(api, world):
    response = api.get("/api/v1/regions/?limit=100000")
    assert response.status_code == 200
    page1 = codes(api.get("/api/v1/regions/?limit=3&ordering=level"))
    page2 = codes(api.get("/api/v1/regions/?limit=3&offset=3&ordering=level"))
    assert not set(page1) & set(page2)


def test_summary_by_county_rolls_town_figures_up_by_code_prefix(api, world, users):
    from .conftest import token_client

    # 新昌县's only public 网格数 is 七星街道's (a town): the county must not drop out.
    rows = api.get("/api/v1/figures/summary/?metric=grid-count&group_by=region&region_level=county").json()["results"]
    by_name = {r["region"]["name"]: r for r in rows}
    assert by_name["新昌县"]["region"]["level"] == "county"
    assert (by_name["新昌县"]["count"], by_name["新昌县"]["max"], by_name["新昌县"]["rolled_up"]) == (1, 175.0, 1)
    assert all(r["region"]["level"] == "county" for r in rows)
    # staff also see the county's own 8 and the draft's 12 at the town: three figures, two rolled up
    staff = token_client(users["staff"])
    rows = staff.get("/api/v1/figures/summary/?metric=grid-count&group_by=region&region_level=county&region=3306").json()
    assert [(r["region"]["name"], r["count"], r["rolled_up"], r["median"]) for r in rows["results"]] == [
        ("新昌县", 3, 2, 12.0)]
    # the plain figure list keeps region_level as the figure's own level
    assert api.get("/api/v1/figures/?metric=grid-count&region_level=county&region=3306").json()["count"] == 0


def test_only_the_filters_a_request_names_are_applied(api, world, monkeypatch):
    """A filter nobody asked for changes nothing, so it is not run (its empty value costs a query compile)."""
    from cases.filtersets import ArticleFilterSet

    applied = []
    for name in ("filter_region", "filter_theme", "filter_metric"):
        original = getattr(ArticleFilterSet, name)

        def spy(self, queryset, field, value, original=original, name=name):
            applied.append(name)
            return original(self, queryset, field, value)

        monkeypatch.setattr(ArticleFilterSet, name, spy)
    assert ids(api.get("/api/v1/articles/?region=330600&kind=case")) == {world["xinchang"].pk}
    assert applied == ["filter_region"]
    applied.clear()
    assert ids(api.get("/api/v1/articles/?theme=grassroots-governance&region=330600")) <= {world["xinchang"].pk}
    assert sorted(applied) == ["filter_region", "filter_theme"]


def test_metric_and_theme_filters_compare_ids_not_slugs(api, world):
    """The form has fetched the chosen metrics and themes; the list query names their ids, so the
    database can read a metric's figures in a region from ``figure_region_metric_idx`` instead of
    joining the metrics table to compare slugs (a county's figures of one metric: 15 → 3 ms)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    grid_count = world["figures"]["grid"].metric
    with CaptureQueriesContext(connection) as ctx:
        assert ids(api.get("/api/v1/figures/?metric=grid-count")) == {world["figures"]["grid"].pk,
                                                                      world["figures"]["hz_grid"].pk}
    listed = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT COUNT(*) AS "__count"') and "cases_figure" in q["sql"]]
    assert listed and all(f'"metric_id" IN ({grid_count.pk})' in sql for sql in listed), listed
    assert all('"cases_metric"."slug"' not in sql for sql in listed)
    with CaptureQueriesContext(connection) as ctx:
        assert ids(api.get("/api/v1/articles/?theme=grassroots-governance")) == {world["xinchang"].pk}
    listed = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT COUNT(*) AS "__count"') and "cases_article_themes" in q["sql"]]
    assert listed and all('"cases_theme"' not in sql for sql in listed), listed


def test_the_api_builds_a_form_of_the_named_filters_only(api, world, monkeypatch):
    """Every filter's form field was built, copied and cleaned per request though all but the
    named ones were empty; the API's form now holds the named ones, the pages' form all of them."""
    from django.http import QueryDict

    from cases.filtersets import FigureFilterSet
    from config.filtersets import BaseFilterSet

    data = QueryDict("metric=grid-count&year_min=2020&value_max=5000")
    assert set(FigureFilterSet(data, named_only=True).form.fields) == {"metric", "year_min", "value_max"}
    assert set(FigureFilterSet(data).form.fields) == set(FigureFilterSet.base_filters)
    built = []
    original = BaseFilterSet.get_form_class
    monkeypatch.setattr(BaseFilterSet, "get_form_class", lambda self: built.append(self.named_only) or original(self))
    assert api.get("/api/v1/figures/?metric=grid-count&year=abc").status_code == 400  # named values still validated
    assert ids(api.get("/api/v1/figures/?metric=grid-count")) == {world["figures"]["grid"].pk, world["figures"]["hz_grid"].pk}
    assert built == [True, True]
