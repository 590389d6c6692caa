"""Merging initiatives, spreadsheet round trips and the figure rules behind them."""

import io
from decimal import Decimal

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import figure_edits
from cases.merge import merge_initiatives
from cases.models import Article, Figure, Initiative, Metric, Origin, Theme
from cases.resources import FigureResource, InitiativeResource, MetricResource
from tests.admin_fixtures import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def history_counts():
    return {f.pk: f.history.count() for f in Figure.objects.all()}


# ---------------------------------------------------------------- merging


def test_merge_moves_articles_figures_aliases_and_records_it(client, editor, draft, cities):
    survivor = Initiative.objects.get(name="网格智治")
    dup = Initiative.objects.create(name="网格化智治", aliases=["网格智理"], region=cities["town"])
    dup.themes.add(Theme.objects.get(slug="grid-governance"))
    other_article = Article.objects.create(title="另一篇", body="网格化智治的另一篇报道")
    dup.articles.add(other_article)
    figure = draft.figures.first()
    figure.initiative = dup
    figure.save()

    login(client, editor)
    url = reverse("admin:cases_initiative_changelist")
    data = {"action": "merge", "_selected_action": [survivor.pk, dup.pk]}
    page = client.post(url, data).content.decode()
    assert "合并重复的做法/项目" in page and "网格化智治" in page
    response = client.post(url, {**data, "apply": "1", "survivor": survivor.pk}, follow=True)
    assert "已将 1 个做法/项目合并入“网格智治”" in response.content.decode()

    survivor.refresh_from_db()
    assert not Initiative.objects.filter(pk=dup.pk).exists()
    assert survivor.aliases == ["网格化智治", "网格智理"]
    assert set(survivor.articles.all()) == {draft, other_article}
    assert list(survivor.themes.values_list("slug", flat=True)) == ["grid-governance"]
    figure.refresh_from_db()
    assert figure.initiative == survivor
    reason = "合并做法/项目：网格化智治 → 网格智治"
    assert survivor.history.first().history_change_reason == reason
    assert Initiative.history.get(id=dup.pk, history_type="-").history_change_reason == reason
    assert figure.history.first().history_change_reason == reason


def test_merge_is_all_or_nothing(editor, draft, monkeypatch):
    survivor = Initiative.objects.get(name="网格智治")
    dup = Initiative.objects.create(name="网格化智治")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Initiative, "delete", boom)
    with pytest.raises(RuntimeError):
        merge_initiatives(survivor, [dup], editor)
    survivor.refresh_from_db()
    assert survivor.aliases == [] and Initiative.objects.filter(pk=dup.pk).exists()


# ---------------------------------------------------------------- figures: normalising and verifying


def test_changed_value_renormalises_with_the_unit_table(draft, editor, monkeypatch):
    monkeypatch.setattr(figure_edits, "normalize", lambda value, unit: (value * 10000, "人") if unit == "万人"
                        else (value, unit))
    figure = draft.figures.get(label="常住人口")
    figure.unit = "万人"
    figure_edits.apply_editor_changes(figure, ["unit"], editor)
    assert figure.normalized_value == Decimal("150000") and figure.base_unit == "人"
    # A normalised value the editor typed is theirs.
    figure.value, figure.normalized_value = Decimal("16"), Decimal("158000")
    figure_edits.apply_editor_changes(figure, ["value", "normalized_value"], editor)
    assert figure.normalized_value == Decimal("158000")


def test_without_the_unit_table_the_normalised_value_stays_as_entered(draft, editor, monkeypatch):
    monkeypatch.setattr(figure_edits, "normalize", None)
    figure = draft.figures.get(label="常住人口")
    figure.normalized_value = Decimal("150000")
    figure.value = Decimal("16")
    figure_edits.apply_editor_changes(figure, ["value"], editor)
    assert figure.normalized_value == Decimal("150000") and figure.edited_by == editor


def test_unticking_verified_clears_who_and_when(draft, editor):
    figure = draft.figures.first()
    figure.verified = True
    figure_edits.apply_editor_changes(figure, ["verified"], editor)
    assert figure.verified_by == editor and figure.verified_at
    figure.verified = False
    figure_edits.apply_editor_changes(figure, ["verified"], editor)
    assert figure.verified_by is None and figure.verified_at is None


# ---------------------------------------------------------------- spreadsheets


def preview_import(client, model, content, name, fmt_index):
    """Upload a file: the admin shows a preview and a confirmation form, and writes nothing."""
    url = reverse(f"admin:cases_{model}_import")
    preview = client.post(url, {"import_file": SimpleUploadedFile(name, content), "format": fmt_index,
                                "resource": 0})
    assert preview.status_code == 200
    assert preview.context["confirm_form"] is not None, preview.content.decode()[:2000]
    return preview


def confirm_import(client, model, preview):
    return client.post(reverse(f"admin:cases_{model}_process_import"), preview.context["confirm_form"].initial,
                       follow=True)


def test_figure_csv_round_trip_changes_exactly_what_was_edited(client, editor, draft, cities):
    before = {f.pk: (f.value, f.unit, f.label, f.updated_at) for f in Figure.objects.all()}
    counts = history_counts()
    dataset = FigureResource().export()
    assert "region" in dataset.headers and dataset.dict[0]["article_title"] == draft.title

    edited = draft.figures.get(label="网格")
    rows = dataset.dict
    for row in rows:
        if str(row["id"]) == str(edited.pk):
            row["value"] = "176"
            row["region"] = cities["town"].code
    csv_text = tablib.Dataset(*[list(r.values()) for r in rows], headers=dataset.headers).export("csv")

    login(client, editor)
    preview = preview_import(client, "figure", csv_text.encode("utf-8"), "figures.csv", 0)
    result = preview.context["result"]
    assert result.totals["update"] == 1 and result.totals["skip"] == 2
    assert Figure.objects.get(pk=edited.pk).value == Decimal("175")  # nothing written before confirming
    assert confirm_import(client, "figure", preview).status_code == 200

    for figure in Figure.objects.all():
        if figure.pk == edited.pk:
            assert figure.value == Decimal("176") and figure.region == cities["town"]
            assert figure.edited_by == editor
            assert figure.history.count() == counts[figure.pk] + 1
            assert figure.history.first().history_change_reason == "表格导入"
        else:
            assert (figure.value, figure.unit, figure.label, figure.updated_at) == before[figure.pk]
            assert figure.history.count() == counts[figure.pk]
    draft.refresh_from_db()
    assert draft.edited_by == editor


def test_figure_xlsx_round_trip(draft):
    counts = history_counts()
    content = FigureResource().export().export("xlsx")
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    target = draft.figures.get(label="常住人口")
    for row in sheet.iter_rows(min_row=2):
        if str(row[headers.index("id")].value) == str(target.pk):
            row[headers.index("label")].value = "户籍人口"
    out = io.BytesIO()
    book.save(out)
    result = FigureResource().import_data(tablib.Dataset().load(out.getvalue(), format="xlsx"), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["update"] == 1 and result.totals["skip"] == 2
    target.refresh_from_db()
    assert target.label == "户籍人口" and target.value == Decimal("15")
    assert history_counts() == {**counts, target.pk: counts[target.pk] + 1}


def test_importing_into_a_published_article_is_refused(draft, reviewer):
    Article.objects.filter(pk=draft.pk).update(status="published", reviewed_by=reviewer,
                                                reviewed_at="2024-01-01T00:00:00Z")
    dataset = FigureResource().export()
    rows = dataset.dict
    rows[0]["value"] = "999"
    data = tablib.Dataset(*[list(r.values()) for r in rows], headers=dataset.headers)
    result = FigureResource().import_data(data, dry_run=False)
    assert result.has_errors()
    assert "已送审或发布" in str(result.row_errors()[0][1][0].error)
    assert not Figure.objects.filter(value=999).exists()


def test_initiatives_and_metrics_round_trip_in_readable_chinese(draft):
    initiative = Initiative.objects.get(name="网格智治")
    initiative.aliases = ["一张网"]
    initiative.save()
    dataset = InitiativeResource().export()
    csv_text = dataset.export("csv")
    assert '"[""一张网""]"' in csv_text  # CSV-quoted JSON, not \u escapes
    rows = dataset.dict
    rows[0]["description"] = "以网格为单元的基层治理"
    data = tablib.Dataset(*[list(r.values()) for r in rows], headers=dataset.headers)
    result = InitiativeResource().import_data(data, dry_run=False)
    assert result.totals["update"] == 1
    initiative.refresh_from_db()
    assert initiative.description == "以网格为单元的基层治理" and initiative.aliases == ["一张网"]

    metric_data = MetricResource().export()
    rows = metric_data.dict
    rows.append({**rows[0], "id": "", "name": "测试用新指标", "slug": "test-new-metric", "labels": '["测试说法"]',
                 "base_unit": "个"})
    data = tablib.Dataset(*[list(r.values()) for r in rows], headers=metric_data.headers)
    result = MetricResource().import_data(data, dry_run=False)
    problems = [(r.number, r.error) for r in result.invalid_rows] + [e.error for _, es in result.row_errors() for e in es]
    assert result.totals["new"] == 1 and result.totals["skip"] == len(rows) - 1, (result.totals, problems)
    assert Metric.objects.get(slug="test-new-metric").labels == ["测试说法"]


def test_import_needs_add_and_change_permission(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", password=PASSWORD, is_staff=True)
    from django.contrib.auth.models import Permission
    user.user_permissions.add(Permission.objects.get(codename="view_figure"))
    login(client, user)
    assert client.get(reverse("admin:cases_figure_import")).status_code == 403
    assert client.get(reverse("admin:cases_figure_export")).status_code == 200


def test_new_figure_from_import_is_marked_as_editor_made(draft):
    dataset = FigureResource().export()
    rows = dataset.dict
    quote = "共富工坊12家"
    start = draft.body.index(quote)
    rows.append({**rows[0], "id": "", "label": "共富工坊", "value": "12", "unit": "家", "quote": quote,
                 "start": start, "end": start + len(quote), "verified": "0", "region": "", "metric": ""})
    data = tablib.Dataset(*[list(r.values()) for r in rows], headers=dataset.headers)
    result = FigureResource().import_data(data, dry_run=False)
    assert result.totals["new"] == 1, [e.error for _, errs in result.row_errors() for e in errs]
    assert Figure.objects.get(label="共富工坊").origin == Origin.EDITOR


def test_figure_page_refuses_a_wrong_quote_and_published_articles(client, editor, reviewer, draft):
    login(client, editor)
    url = reverse("admin:cases_figure_add")
    quote = "共富工坊12家"
    start = draft.body.index(quote)
    data = {"article": draft.pk, "label": "共富工坊", "value": "12", "unit": "家", "qualifier_kind": "exact",
            "quote": quote, "start": start + 1, "end": start + 1 + len(quote)}
    response = client.post(url, data)
    assert response.status_code == 200 and "引文与正文不符" in response.content.decode()
    response = client.post(url, {**data, "start": start, "end": start + len(quote)})
    assert response.status_code == 302
    figure = Figure.objects.get(label="共富工坊")
    assert figure.origin == Origin.EDITOR and figure.edited_by == editor
    draft.refresh_from_db()
    assert draft.edited_by == editor  # a figure edit is an edit of its article
    Article.objects.filter(pk=draft.pk).update(status="published", reviewed_by=reviewer,
                                                reviewed_at="2024-01-01T00:00:00Z")
    response = client.post(url, {**data, "label": "另一个", "start": start, "end": start + len(quote)})
    assert "已送审或发布" in response.content.decode()
    assert client.get(reverse("admin:cases_figure_change", args=[figure.pk])).content.decode().count(
        'name="value"') == 0  # read-only now
