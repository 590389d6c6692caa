"""Lists built from ``.values()`` rows (config/api/values.py) say exactly what the serializers say.

Each list is fetched twice: as served, and with the values path switched off (model
instances through the serializer, the way every detail view still works). A figure with
no region, metric or initiative, a verified time, decimals and choices are in the world.
"""

import pytest

from cases.models import Figure
from config.api.views import BaseViewSetMixin

LISTS = [
    "/api/v1/figures/",
    "/api/v1/figures/?brief=1",
    "/api/v1/figures/?fields=id,region,value,verified_at",
    "/api/v1/figures/?region=330624&ordering=-value",
    "/api/v1/regions/",
    "/api/v1/regions/?level=county",
    "/api/v1/metrics/",
    "/api/v1/themes/",
    "/api/v1/publications/",
    "/api/v1/sources/",
    "/api/v1/initiatives/?brief=1",
    "/api/v1/articles/?brief=1",
    "/api/v1/articles/",
    "/api/v1/articles/?region=330624",
    "/api/v1/articles/?fields=id,regions,publication",
    "/api/v1/articles/?fields=title,snippet",
]


@pytest.fixture
def unplaced_figure(world):
    article = world["xinchang"]
    quote = "划分175个网格"
    start = article.body.index(quote)
    return Figure.objects.create(article=article, label="网格", value=175, unit="个", normalized_value=175,
                                 base_unit="个", quote=quote, start=start, end=start + len(quote))


def object_path_only(monkeypatch):
    from cases.api.views import ArticleViewSet

    monkeypatch.setattr(BaseViewSetMixin, "values_plan", lambda self, queryset: None)
    monkeypatch.setattr(ArticleViewSet, "values_plan", lambda self, queryset: None)


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_values_rows_equal_serialized_instances(api, world, unplaced_figure, monkeypatch, url, fmt):
    url = f"{url}{'&' if '?' in url else '?'}format={fmt}"
    served = api.get(url)
    assert served.status_code == 200, served.content[:300]
    served_body = served.json() if fmt == "json" else b"".join(served.streaming_content).decode()

    object_path_only(monkeypatch)
    expected = api.get(url)
    expected_body = expected.json() if fmt == "json" else b"".join(expected.streaming_content).decode()
    assert served_body == expected_body
    if fmt == "json":
        assert served_body["results"], "the comparison needs rows"


def test_lists_take_the_values_path(api, world, monkeypatch):
    """The fast path must not silently stop applying (a new method field would do that)."""
    from cases.api.views import ArticleViewSet

    used = []

    def spy_on(cls):
        original = cls.values_plan

        def spy(self, queryset):
            plan = original(self, queryset)
            used.append((self.basename, plan is not None))
            return plan

        monkeypatch.setattr(cls, "values_plan", spy)

    spy_on(BaseViewSetMixin)
    spy_on(ArticleViewSet)
    for url in ("/api/v1/figures/", "/api/v1/figures/?format=csv", "/api/v1/regions/", "/api/v1/articles/",
                "/api/v1/articles/?format=csv", "/api/v1/articles/?q=网格"):
        response = api.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    # A search keeps model instances: its pages are ranked by the engine and carry snippets.
    assert used == [("figure", True), ("figure", True), ("region", True), ("article", True), ("article", True),
                    ("article", False)]


def test_a_figure_without_region_metric_or_initiative_has_nulls(api, world, unplaced_figure):
    rows = api.get("/api/v1/figures/?limit=100").json()["results"]
    row = next(r for r in rows if r["id"] == unplaced_figure.pk)
    assert row["region"] is None and row["metric"] is None and row["initiative"] is None
    assert row["article"]["id"] == world["xinchang"].pk and row["article"]["url"].endswith(
        f"/api/v1/articles/{world['xinchang'].pk}/")
