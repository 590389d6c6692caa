"""The contract: who reads what, who writes what, and that writes are validated and recorded."""

import pytest
from rest_framework.test import APIClient

from cases.models import Article, Figure, Initiative
from regions.models import RegionAlias

from .conftest import token_client

pytestmark = pytest.mark.django_db


def detail_urls(world):
    return {
        "draft": f"/api/v1/articles/{world['draft'].pk}/",
        "rejected": f"/api/v1/articles/{world['rejected'].pk}/",
        "draft_figure": f"/api/v1/figures/{world['figures']['draft_grid'].pk}/",
        "rejected_figure": f"/api/v1/figures/{world['figures']['rejected_grid'].pk}/",
        "secret_initiative": f"/api/v1/initiatives/{world['secret_initiative'].pk}/",
    }


def test_anonymous_and_non_staff_never_see_unpublished_content(api, world, users):
    for client in (api, token_client(users["editor"]), token_client(users["reviewer"])):
        for url in detail_urls(world).values():
            response = client.get(url)
            assert response.status_code == 404, url          # not 403: it does not exist for them
        assert client.get("/api/v1/articles/").json()["count"] == 2
        assert client.get("/api/v1/figures/").json()["count"] == 3
        assert "秘密做法" not in client.get("/api/v1/initiatives/").content.decode()
        assert client.get("/api/v1/articles/?status=draft").json()["count"] == 0
        assert client.get("/api/v1/figures/?status=draft").json()["count"] == 0


def test_staff_see_everything(world, users):
    staff = token_client(users["staff"])
    for url in detail_urls(world).values():
        assert staff.get(url).status_code == 200, url
    assert staff.get("/api/v1/articles/").json()["count"] == 4
    assert staff.get("/api/v1/figures/").json()["count"] == 5


def test_drafts_do_not_leak_through_counts_or_nested_lists(api, world):
    assert api.get("/api/v1/regions/330624001000/").json()["article_count"] == 1
    initiative = api.get(f"/api/v1/initiatives/{world['initiative'].pk}/").json()
    assert [a["id"] for a in initiative["articles"]] == [world["xinchang"].pk]
    world["initiative"].articles.add(world["draft"])
    initiative = api.get(f"/api/v1/initiatives/{world['initiative'].pk}/").json()
    assert initiative["article_count"] == 1 and len(initiative["articles"]) == 1


def new_article_payload(world):
    return {"title": "新案例：共富工坊", "body": "某村建成共富工坊3家，带动就业120人。", "kind": "case",
            "themes": ["grassroots-governance"], "source": world["source"].pk}


def test_anonymous_writes_are_401_and_read_only_users_403(api, world, users):
    assert api.post("/api/v1/articles/", new_article_payload(world), format="json").status_code == 401
    assert api.delete(f"/api/v1/articles/{world['xinchang'].pk}/").status_code == 401
    reviewer = token_client(users["reviewer"])       # may change articles, not add them
    assert reviewer.post("/api/v1/articles/", new_article_payload(world), format="json").status_code == 403
    assert reviewer.post("/api/v1/initiatives/", {"name": "x"}, format="json").status_code == 403
    nobody = token_client(users["nobody"])
    assert nobody.patch(f"/api/v1/articles/{world['xinchang'].pk}/", {"title": "改"}, format="json").status_code == 403
    editor = token_client(users["editor"])           # no delete permission
    assert editor.delete(f"/api/v1/figures/{world['figures']['grid'].pk}/").status_code == 403
    assert Article.objects.count() == 4 and Figure.objects.count() == 5


def test_session_login_cannot_write_tokens_are_required(world, users):
    client = APIClient(enforce_csrf_checks=False)
    client.force_login(users["staff"])
    response = client.post("/api/v1/articles/", new_article_payload(world), format="json")
    assert response.status_code == 403
    assert "Token" in response.json()["detail"]


def test_editor_creates_an_article_recorded_in_history_with_the_user(world, users):
    editor = token_client(users["editor"])
    response = editor.post("/api/v1/articles/", new_article_payload(world), format="json")
    assert response.status_code == 201, response.content
    created = Article.objects.get(pk=response.json()["id"])
    assert created.status == "draft" and created.origin == "editor" and created.edited_by == users["editor"]
    assert [t.slug for t in created.themes.all()] == ["grassroots-governance"]
    record = created.history.latest()
    assert record.history_type == "+" and record.history_user == users["editor"]


def test_reviewer_edits_with_optimistic_locking(world, users):
    reviewer = token_client(users["reviewer"])
    url = f"/api/v1/articles/{world['xinchang'].pk}/"
    response = reviewer.patch(url, {"subtitle": "副标题", "version": 1}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    stale = reviewer.patch(url, {"subtitle": "覆盖", "version": 1}, format="json")
    assert stale.status_code == 409
    world["xinchang"].refresh_from_db()
    assert world["xinchang"].subtitle == "副标题"
    assert world["xinchang"].history.latest().history_user == users["reviewer"]


def test_status_cannot_be_changed_through_the_api(world, users):
    staff = token_client(users["staff"])
    response = staff.patch(f"/api/v1/articles/{world['draft'].pk}/", {"status": "published"}, format="json")
    assert response.status_code == 200
    world["draft"].refresh_from_db()
    assert world["draft"].status == "draft"


def test_writes_are_validated_by_the_model(world, users):
    editor = token_client(users["editor"])
    empty_title = editor.post("/api/v1/articles/", {**new_article_payload(world), "title": ""}, format="json")
    assert empty_title.status_code == 400 and "title" in empty_title.json()
    article = world["xinchang"]
    figure = {"article": article.pk, "label": "网格", "value": 5, "value_max": 3, "unit": "个",
              "quote": "175个网格", "start": article.body.index("175"), "end": article.body.index("175") + 6}
    bad_range = editor.post("/api/v1/figures/", figure, format="json")
    assert bad_range.status_code == 400, bad_range.content        # CheckConstraint value_max >= value
    assert "non_field_errors" in bad_range.json()
    bad_offsets = editor.post("/api/v1/figures/", {**figure, "value_max": None, "end": figure["start"]}, format="json")
    assert bad_offsets.status_code == 400
    bad_quote = editor.post("/api/v1/figures/", {**figure, "value_max": None, "quote": "别的句子"}, format="json")
    assert bad_quote.status_code == 400 and "quote" in bad_quote.json()
    bad_year = editor.post("/api/v1/figures/", {**figure, "value_max": None, "year": 1800}, format="json")
    assert bad_year.status_code == 400 and "year" in bad_year.json()
    assert Figure.objects.count() == 5


def test_editor_adds_and_verifies_a_figure_on_a_published_article_only(world, users):
    editor = token_client(users["editor"])
    article = world["xinchang"]
    start = article.body.index("175")
    payload = {"article": article.pk, "label": "网格", "value": "175", "unit": "个", "metric": "grid-count",
               "region": "330624001000", "quote": "175个网格", "start": start, "end": start + 6, "verified": True}
    response = editor.post("/api/v1/figures/", payload, format="json")
    assert response.status_code == 201, response.content
    figure = Figure.objects.get(pk=response.json()["id"])
    assert figure.verified and figure.verified_at and figure.verified_by == users["editor"]
    assert figure.origin == "editor" and figure.region.code == "330624001000"
    assert figure.history.latest().history_user == users["editor"]
    on_draft = editor.post("/api/v1/figures/", {**payload, "article": world["draft"].pk}, format="json")
    assert on_draft.status_code == 400 and "article" in on_draft.json()
    unknown_region = editor.post("/api/v1/figures/", {**payload, "region": "339999999999"}, format="json")
    assert unknown_region.status_code == 400 and "region" in unknown_region.json()


def test_initiative_writes_and_unique_names(world, users):
    editor = token_client(users["editor"])
    response = editor.post("/api/v1/initiatives/", {"name": "共富工坊", "region": "330624000000",
                                                     "themes": ["grassroots-governance"]}, format="json")
    assert response.status_code == 201, response.content
    assert Initiative.objects.get(name="共富工坊").history.latest().history_user == users["editor"]
    # Editor-made initiatives are public even before an article mentions them.
    assert APIClient().get(response.json()["url"]).status_code == 200
    duplicate = editor.post("/api/v1/initiatives/", {"name": "共富工坊", "region": "330624000000"}, format="json")
    assert duplicate.status_code == 400


def test_staff_delete_is_recorded(world, users):
    staff = token_client(users["staff"])
    figure = world["figures"]["draft_grid"]
    assert staff.delete(f"/api/v1/figures/{figure.pk}/").status_code == 204
    record = Figure.history.filter(id=figure.pk).latest()
    assert record.history_type == "-" and record.history_user == users["staff"]


def test_region_alias_writes_are_editorial(world, users):
    editor = token_client(users["editor"])
    response = editor.post("/api/v1/region-aliases/", {"region": "330624001000", "name": "七星", "kind": "short"},
                           format="json")
    assert response.status_code == 201, response.content
    alias = RegionAlias.objects.get(name="七星")
    assert alias.is_editorial and alias.history.latest().history_user == users["editor"]
    again = editor.post("/api/v1/region-aliases/", {"region": "330624001000", "name": "七星"}, format="json")
    assert again.status_code == 400
    assert APIClient().post("/api/v1/region-aliases/", {"region": "330624001000", "name": "x"}).status_code == 401


def test_update_responses_show_the_saved_relations(world, users):
    editor = token_client(users["editor"])
    url = f"/api/v1/articles/{world['xinchang'].pk}/"
    response = editor.patch(url, {"themes": ["test-culture"]}, format="json")
    assert response.status_code == 200, response.content
    assert [t["slug"] for t in response.json()["themes"]] == ["test-culture"]
    assert [t["slug"] for t in editor.get(url).json()["themes"]] == ["test-culture"]


def test_editor_verifies_an_existing_figure(world, users):
    editor = token_client(users["editor"])
    figure = world["figures"]["people"]
    response = editor.patch(f"/api/v1/figures/{figure.pk}/", {"verified": True, "year": 2024}, format="json")
    assert response.status_code == 200, response.content
    figure.refresh_from_db()
    assert figure.verified and figure.verified_by == users["editor"] and figure.year == 2024
    assert figure.quote == "常住人口约15万"                      # untouched fields keep their values
    assert figure.history.latest().history_user == users["editor"]
