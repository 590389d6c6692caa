"""The editors' admin pages as an editor meets them: queue, filters, search, review page."""

import pytest
from django.urls import reverse

from cases.models import Article, Figure, Theme
from tests.admin_fixtures import PASSWORD, add_figure, make_article

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:cases_article_changelist")


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def titles(response):
    return {a.title for a in response.context["cl"].result_list}


def test_review_queue_filters_by_status_and_unverified(client, editor, draft):
    other = make_article(title="已核实的文章", status=Article.Status.DRAFT)
    add_figure(other, "共富工坊12家", "共富工坊", "12", "家", verified=True,
               verified_at="2024-01-01T00:00:00Z")
    login(client, editor)
    response = client.get(CHANGELIST, {"unverified": "yes"})
    assert titles(response) == {draft.title}
    response = client.get(CHANGELIST, {"unverified": "no"})
    assert titles(response) == {other.title}
    response = client.get(CHANGELIST, {"status__exact": "published"})
    assert titles(response) == set()
    page = client.get(CHANGELIST).content.decode()
    for label in ["草稿", "有未核实的数字", "地级市", "刊物", "主题", "体裁", "送审所选文章"]:
        assert label in page


def test_region_filter_offers_cities_then_only_that_citys_counties(client, editor, draft, cities):
    make_article(title="上城区的文章", region=cities["shangcheng"])
    login(client, editor)
    response = client.get(CHANGELIST)
    page = response.content.decode()
    assert "杭州市" in page and "绍兴市" in page
    assert "上城区" not in page.split('id="changelist-filter"')[1]  # no counties before a city is chosen
    response = client.get(CHANGELIST, {"city": "330100000000"})
    filters = response.content.decode().split('id="changelist-filter"')[1]
    assert "上城区" in filters and "西湖区" in filters and "新昌县" not in filters
    assert titles(response) == {"上城区的文章"}
    assert titles(client.get(CHANGELIST, {"city": "330600000000", "county": "330624000000"})) == {draft.title}
    assert titles(client.get(CHANGELIST, {"city": "330100000000", "county": "330106000000"})) == set()


def test_search_by_title_author_and_text(client, editor, draft):
    make_article(title="另一篇", authors=["王五"], body="一段别的正文。")
    login(client, editor)
    assert titles(client.get(CHANGELIST, {"q": "网格智治"})) == {draft.title}
    assert titles(client.get(CHANGELIST, {"q": "李四"})) == {draft.title}
    assert titles(client.get(CHANGELIST, {"q": "王五"})) == {"另一篇"}
    assert titles(client.get(CHANGELIST, {"q": "40311元"})) == {draft.title}


def test_review_page_marks_figures_places_and_initiatives(client, editor, draft):
    login(client, editor)
    response = client.get(reverse("admin:cases_article_change", args=[draft.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    figure = draft.figures.get(label="网格")
    assert f'data-figures="{figure.pk}"' in page
    assert 'class="mark-place"' in page  # 七星街道 / 新昌县 (linked regions)
    assert "mark-initiative" in page  # 网格智治
    assert "cases/admin/article.js" in page
    assert "修改说明" in page
    # inline rows in text order, with the fields editors correct
    ids = [f.pk for f in response.context["inline_admin_formsets"][0].formset.queryset]
    assert ids == list(draft.figures.order_by("start").values_list("pk", flat=True))
    for field in ["figures-0-value", "figures-0-unit", "figures-0-normalized_value", "figures-0-year",
                  "figures-0-region", "figures-0-metric", "figures-0-is_target", "figures-0-verified"]:
        assert f'name="{field}"' in page
    # autocomplete, never a select of every region
    assert 'data-ajax--url="/admin/autocomplete/"' in page


def test_region_autocomplete_shows_code_and_level(client, editor, draft):
    login(client, editor)
    response = client.get("/admin/autocomplete/", {
        "term": "七星", "app_label": "cases", "model_name": "figure", "field_name": "region"})
    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(draft.figures.first().article.regions.first().pk),
                                           "text": "七星街道（乡级 330624001000）"}]


def test_bulk_assign_themes(client, editor, draft):
    theme = Theme.objects.get(slug="grid-governance")
    login(client, editor)
    data = {"action": "assign_themes", "_selected_action": [draft.pk]}
    page = client.post(CHANGELIST, data)
    assert "批量设置主题" in page.content.decode()
    response = client.post(CHANGELIST, {**data, "apply": "1", "themes": [theme.pk]}, follow=True)
    assert "已为 1 条记录加上主题：网格化治理" in response.content.decode()
    assert list(draft.themes.all()) == [theme]


def test_bulk_verify_figures_records_who(client, editor, draft):
    login(client, editor)
    response = client.post(reverse("admin:cases_figure_changelist"), {
        "action": "mark_verified", "_selected_action": list(draft.figures.values_list("pk", flat=True)[:2])},
        follow=True)
    assert "已核实 2 个数字" in response.content.decode()
    verified = Figure.objects.filter(verified=True)
    assert verified.count() == 2
    assert {f.verified_by for f in verified} == {editor}
    assert all(f.history.first().history_change_reason == "批量核实" for f in verified)


def test_regions_are_read_only_except_notes_and_aliases(client, editor, cities):
    login(client, editor)
    town = cities["town"]
    url = reverse("admin:regions_region_change", args=[town.pk])
    page = client.get(url).content.decode()
    assert 'name="notes"' in page and 'name="name"' not in page and 'name="code"' not in page
    response = client.post(url, {
        "notes": "2019年由镇改街道", "name": "改名", "change_reason": "补充备注",
        "aliases-TOTAL_FORMS": "1", "aliases-INITIAL_FORMS": "0", "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
        "aliases-0-name": "七星镇", "aliases-0-kind": "former", "aliases-0-valid_until": "2019", "aliases-0-note": "",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    town.refresh_from_db()
    assert town.name == "七星街道" and town.notes == "2019年由镇改街道"
    alias = town.aliases.get()
    assert alias.name == "七星镇" and alias.is_editorial
    assert town.history.first().history_change_reason == "补充备注"
    assert client.get(reverse("admin:regions_region_add")).status_code == 403
    assert client.post(reverse("admin:regions_region_delete", args=[town.pk]), {"post": "yes"}).status_code == 403
