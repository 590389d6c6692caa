"""Roles, workflow, optimistic locking and history on the article page."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cases.models import Article, Figure, Origin
from cases.roles import EDITOR_GROUP, REVIEWER_GROUP
from tests.admin_fixtures import PASSWORD, change_form_data, figure_row, make_user

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def change_url(article):
    return reverse("admin:cases_article_change", args=[article.pk])


def transition(client, article, name, version=None, reason=""):
    article.refresh_from_db()
    return client.post(reverse("admin:cases_article_transition", args=[article.pk, name]),
                       {"version": version if version is not None else article.version, "reason": reason},
                       follow=True)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_groups_come_from_the_migration():
    editor_perms = set(Group.objects.get(name=EDITOR_GROUP).permissions.values_list("codename", flat=True))
    reviewer_perms = set(Group.objects.get(name=REVIEWER_GROUP).permissions.values_list("codename", flat=True))
    assert {"change_article", "change_figure", "delete_figure", "add_regionalias"} <= editor_perms
    assert "publish_article" not in editor_perms
    assert "publish_article" in reviewer_perms and editor_perms <= reviewer_perms


def test_editor_corrects_a_figure_with_a_reason_and_the_article_is_marked_edited(client, editor, draft):
    login(client, editor)
    data = change_form_data(client.get(change_url(draft)))
    figure = draft.figures.get(label="网格")
    row = figure_row(data, figure.pk)
    data[f"{row}-value"] = "176"
    data[f"{row}-verified"] = "on"
    data["change_reason"] = "原文为176个网格"
    response = client.post(change_url(draft), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    figure.refresh_from_db()
    draft.refresh_from_db()
    assert figure.value == Decimal("176") and figure.verified and figure.verified_by == editor
    assert figure.verified_at is not None and figure.edited_by == editor
    assert draft.edited_by == editor and draft.edited_at is not None and draft.version == 2
    assert not draft.is_machine_draft
    assert figure.history.first().history_change_reason == "原文为176个网格"
    assert figure.history.first().history_user == editor
    assert draft.history.first().history_change_reason == "原文为176个网格"


def test_saving_without_changes_touches_nothing(client, editor, draft):
    login(client, editor)
    data = change_form_data(client.get(change_url(draft)))
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.version == 1 and draft.edited_by is None and draft.history.count() == 1


def test_adding_a_missed_figure_from_its_quote_and_deleting_a_false_one(client, editor, draft):
    login(client, editor)
    data = change_form_data(client.get(change_url(draft)))
    false_one = draft.figures.get(label="网格")
    data[f"{figure_row(data, false_one.pk)}-DELETE"] = "on"
    n = int(data["figures-TOTAL_FORMS"])
    quote = "建成共富工坊12家"
    start = draft.body.index(quote)
    data.update({
        "figures-TOTAL_FORMS": str(n + 1),
        f"figures-{n}-label": "共富工坊", f"figures-{n}-value": "12", f"figures-{n}-unit": "家",
        f"figures-{n}-quote": quote, f"figures-{n}-start": str(start), f"figures-{n}-end": str(start + len(quote)),
        f"figures-{n}-qualifier_kind": "exact", f"figures-{n}-article": str(draft.pk),
    })
    data["change_reason"] = "补漏删误"
    response = client.post(change_url(draft), data)
    assert response.status_code == 302, response.context["errors"]
    added = draft.figures.get(label="共富工坊")
    assert added.origin == Origin.EDITOR and added.edited_by == editor and added.quote == quote
    assert not draft.figures.filter(pk=false_one.pk).exists()
    deleted = Figure.history.filter(id=false_one.pk, history_type="-").get()
    assert deleted.history_change_reason == "补漏删误" and deleted.history_user == editor


def test_a_quote_that_is_not_at_its_offsets_is_refused(client, editor, draft):
    login(client, editor)
    data = change_form_data(client.get(change_url(draft)))
    row = figure_row(data, draft.figures.get(label="网格").pk)
    data[f"{row}-start"] = "0"
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "引文与正文不符" in response.content.decode()


def test_second_concurrent_save_is_refused_and_loses_nothing(client, editor, editor2, draft):
    first, second = client, type(client)()
    login(first, editor)
    login(second, editor2)
    data_first = change_form_data(first.get(change_url(draft)))
    data_second = change_form_data(second.get(change_url(draft)))
    data_first["title"] = "第一位编辑的标题"
    assert first.post(change_url(draft), data_first).status_code == 302
    data_second["title"] = "第二位编辑的标题"
    response = second.post(change_url(draft), data_second)
    assert response.status_code == 200
    page = response.content.decode()
    assert "二人同时编辑" in page
    assert "第二位编辑的标题" in page  # the form keeps what they typed
    draft.refresh_from_db()
    assert draft.title == "第一位编辑的标题" and draft.version == 2 and draft.edited_by == editor


def test_editor_sends_to_review_but_cannot_publish(client, editor, draft):
    login(client, editor)
    response = transition(client, draft, "publish")
    assert any("没有“发布”的权限" in m for m in messages_of(response))
    response = transition(client, draft, "send_to_review")
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW
    assert draft.history.first().history_change_reason == "送审"
    # in review, the content is read-only for the editor
    page = client.get(change_url(draft)).content.decode()
    assert 'name="title"' not in page
    assert client.post(change_url(draft), {"title": "x"}).status_code == 403


def test_reviewer_publishes_unless_they_made_the_last_edit(client, editor, reviewer, draft):
    login(client, reviewer)
    data = change_form_data(client.get(change_url(draft)))
    data["summary"] = "审核人顺手改的摘要"
    assert client.post(change_url(draft), data).status_code == 302
    transition(client, draft, "send_to_review")
    response = transition(client, draft, "publish")
    assert any("最后编辑人" in m for m in messages_of(response))
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW

    # Another reviewer may publish it.
    other = make_user("reviewer2", REVIEWER_GROUP)
    login(client, other)
    response = transition(client, draft, "publish")
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.reviewed_by == other and draft.reviewed_at is not None
    assert client.get("/api/v1/articles/").json()["count"] == 1


def test_reject_needs_a_reason_and_returns_the_article_to_the_editor(client, editor, reviewer, draft):
    login(client, editor)
    transition(client, draft, "send_to_review")
    login(client, reviewer)
    response = transition(client, draft, "reject", reason="")
    assert any("必须填写理由" in m for m in messages_of(response))
    transition(client, draft, "reject", reason="第二个数字与原文不符")
    draft.refresh_from_db()
    assert draft.status == Article.Status.REJECTED and draft.review_note == "第二个数字与原文不符"
    login(client, editor)
    page = client.get(change_url(draft)).content.decode()
    assert "第二个数字与原文不符" in page and 'name="title"' in page


def test_a_transition_on_a_stale_page_is_refused(client, editor, reviewer, draft):
    login(client, editor)
    transition(client, draft, "send_to_review")
    login(client, reviewer)
    response = transition(client, draft, "publish", version=1)
    assert any("二人同时编辑" in m for m in messages_of(response))
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW


def test_status_cannot_be_forged_through_the_form(client, editor, draft):
    login(client, editor)
    data = change_form_data(client.get(change_url(draft)))
    data.update(status="published", title="新标题")
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and draft.title == "新标题"


def test_history_shows_diff_and_reverts(client, editor, draft):
    login(client, editor)
    data = change_form_data(client.get(change_url(draft)))
    data.update(title="改错的标题", change_reason="试改")
    client.post(change_url(draft), data)
    history = client.get(reverse("admin:cases_article_history", args=[draft.pk])).content.decode()
    assert "试改" in history and "改错的标题" in history and "七星街道网格智治" in history
    first = draft.history.earliest()
    revert_url = reverse("admin:cases_article_simple_history", args=[draft.pk, first.history_id])
    revert_page = client.get(revert_url)
    data = change_form_data(revert_page)
    assert data["version"] == "2"
    response = client.post(revert_url, data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "七星街道网格智治" and draft.version == 3
    assert draft.history.first().history_change_reason == "恢复到历史版本"


def test_deleted_figures_are_listed_and_restored(client, editor, draft):
    figure = draft.figures.get(label="网格")
    figure_id = figure.pk
    figure._change_reason = "误删"
    figure.delete()
    login(client, editor)
    assert "已删除的数字（1）" in client.get(change_url(draft)).content.decode()
    url = reverse("admin:cases_article_deleted_figures", args=[draft.pk])
    page = client.get(url).content.decode()
    assert "划分175个网格" in page and "误删" in page
    record = Figure.history.get(id=figure_id, history_type="-")
    response = client.post(url, {"history_id": record.history_id}, follow=True)
    assert "已恢复数字" in response.content.decode()
    restored = Figure.objects.get(pk=figure_id)
    assert restored.quote == "划分175个网格" and restored.value == Decimal("175")
    assert restored.history.first().history_change_reason == "恢复已删除的数字"
    assert "没有已删除的数字" in client.get(url).content.decode()


def test_correcting_value_or_unit_recomputes_the_normalised_value(client, editor, draft):
    pytest.importorskip("cases.ingest.units")
    login(client, editor)
    data = change_form_data(client.get(change_url(draft)))
    figure = draft.figures.get(label="常住人口")
    row = figure_row(data, figure.pk)
    data[f"{row}-value"] = "16"
    data[f"{row}-unit"] = "万人"
    assert client.post(change_url(draft), data).status_code == 302
    figure.refresh_from_db()
    assert figure.normalized_value == Decimal("160000") and figure.base_unit == "人"
