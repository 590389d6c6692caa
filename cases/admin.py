"""The editors' admin: a review queue, the article review page, the workflow.

Editors (group 编辑) correct drafts and send them to review; reviewers (审核)
publish or reject. The article page shows the body with every extracted span
marked beside the figures as inline rows (see templates/admin/cases/article/
and static/cases/admin/). Every save keeps a history entry with its reason;
saves over a newer version are refused (optimistic locking, admin_forms.py).
"""

import json

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, TextField
from django.db.models.functions import Cast
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import bulk_update_with_history

from . import workflow
from .admin_filters import (
    ArticleCityFilter,
    ArticleCountyFilter,
    CityFilter,
    CountyFilter,
    SourceFilter,
    UnverifiedFiguresFilter,
)
from .admin_forms import (
    ArticleAdminForm,
    ArticleRegionInlineForm,
    AssignThemesForm,
    FigureAdminForm,
    FigureInlineForm,
    InitiativeAdminForm,
)
from .admin_widgets import LabelledAutocompleteJsonView, PrefetchedAutocompleteMixin, speed_up_widgets
from .figure_edits import apply_editor_changes
from .history import deleted_figures, restore_figure
from .merge import merge_initiatives
from .models import Article, ArticleRegion, Figure, Initiative, Metric, Origin, Publication, Source, Theme
from .resources import FigureResource, InitiativeResource, MetricResource
from .spans import FIGURE, INITIATIVE, PLACE, Span, name_spans, render_marked_body

try:  # the gazetteer branch's recogniser; without it places are the article's linked regions
    from regions.recognizer import find_places
except ImportError:  # pragma: no cover - depends on which branches are merged
    find_places = None


def _site_autocomplete(request):
    return LabelledAutocompleteJsonView.as_view(admin_site=admin.site)(request)


# Region results need their code beside the name (see LabelledAutocompleteJsonView).
admin.site.autocomplete_view = _site_autocomplete


def as_written(value):
    """A decimal as the text wrote it: 8, not 8.000000; 1.25, not 1.250000."""
    if value is None:
        return "-"
    return format(value.normalize(), "f")


class AsWrittenMixin:
    """Read-only views and lists show figure values as written (8, not 8.000000).

    Django formats a DecimalField with all its decimal places; in read-only views the value
    fields are swapped for methods that drop the trailing zeros.
    """

    as_written_fields = ("value", "value_max", "normalized_value", "normalized_value_max")

    def _read_only(self, request, obj):
        return obj is not None and not self.has_change_permission(request, obj)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self._read_only(request, obj):
            return [f"{f}_as_written" if f in self.as_written_fields else f for f in fields]
        return fields

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self._read_only(request, obj):
            fields += [f"{f}_as_written" for f in self.as_written_fields]
        return fields

    @admin.display(description=gettext_lazy("数值"), ordering="value")
    def value_as_written(self, obj):
        return as_written(obj.value)

    @admin.display(description=gettext_lazy("区间上限"), ordering="value_max")
    def value_max_as_written(self, obj):
        return as_written(obj.value_max)

    @admin.display(description=gettext_lazy("归一化数值"), ordering="normalized_value")
    def normalized_value_as_written(self, obj):
        return as_written(obj.normalized_value)

    @admin.display(description=gettext_lazy("归一化上限"), ordering="normalized_value_max")
    def normalized_value_max_as_written(self, obj):
        return as_written(obj.normalized_value_max)


def _reason(request_or_form, default):
    data = getattr(request_or_form, "cleaned_data", None) or {}
    return (data.get("change_reason") or "").strip() or default


# ---------------------------------------------------------------- bulk actions shared by models


def _assign_themes(modeladmin, request, queryset, template):
    """Intermediate page: pick themes, then add them to every selected object."""
    if "apply" in request.POST:
        form = AssignThemesForm(request.POST)
        if form.is_valid():
            themes = list(form.cleaned_data["themes"])
            with transaction.atomic():
                for obj in queryset:
                    obj.themes.add(*themes)
            modeladmin.message_user(
                request,
                _("已为 %(n)d 条记录加上主题：%(themes)s。")
                % {"n": queryset.count(), "themes": "、".join(t.name for t in themes)},
                messages.SUCCESS,
            )
            return None
    else:
        form = AssignThemesForm()
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("批量设置主题"),
        "opts": modeladmin.model._meta,
        "objects": queryset,
        "form": form,
        "action": request.POST.get("action"),
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, template, context)


class SpreadsheetMixin(ImportExportMixin):
    """CSV and XLSX import (with a preview before anything is written) and export.

    Import needs add and change permission on the model, export view permission;
    django-import-export would otherwise let any staff user import.
    """

    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)


# ---------------------------------------------------------------- simple registrations


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "publisher"]
    search_fields = ["name"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["file_name", "publication", "issue_label", "file_format", "page_count", "encoding", "imported_at"]
    list_select_related = ["publication"]
    list_filter = ["publication"]
    search_fields = ["file_name", "issue_label", "sha256"]
    show_full_result_count = False


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "sort_order"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]


@admin.register(Metric)
class MetricAdmin(SpreadsheetMixin, admin.ModelAdmin):
    resource_classes = [MetricResource]
    list_display = ["name", "slug", "quantity", "base_unit"]
    list_filter = ["quantity"]
    search_fields = ["name", "slug"]


# ---------------------------------------------------------------- the article review page


class ArticleChildFormSet(BaseInlineFormSet):
    """Rows share the article object instead of each loading it again (str(), validation)."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.instance.pk and form.instance.article_id == self.instance.pk:
            form.instance.article = self.instance
        form.article_body = self.instance.body
        return form

    def add_fields(self, form, index):
        super().add_fields(form, index)  # adds id, article and DELETE after the form's __init__
        speed_up_widgets(form)


class EditableArticleInlineMixin(PrefetchedAutocompleteMixin):
    """Inline rows are editable only while the article is (draft or rejected)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
            # No add/change/view buttons on every row: each costs URL reversing and a template.
            field.widget = field.widget.widget
        return field

    def _editable(self, obj):
        return obj is None or workflow.is_editable(obj)

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class ArticleRegionInline(EditableArticleInlineMixin, admin.TabularInline):
    model = ArticleRegion
    form = ArticleRegionInlineForm
    formset = ArticleChildFormSet
    extra = 0
    autocomplete_fields = ["region"]
    fields = ["region", "role", "mentions"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("region")


class FigureInline(AsWrittenMixin, EditableArticleInlineMixin, admin.TabularInline):
    model = Figure
    # Each figure is a card of wrapped cells (article.css), so the rows fit beside the text.
    template = "admin/cases/article/figure_inline.html"
    form = FigureInlineForm
    formset = ArticleChildFormSet
    extra = 0
    fields = ["label", "qualifier", "value", "value_max", "unit", "normalized_value", "base_unit", "year",
              "region", "metric", "is_target", "verified", "quote", "start", "end", "page"]
    autocomplete_fields = ["region", "metric"]
    ordering = ["start", "id"]
    classes = ["figure-inline"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("region", "metric")


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/cases/article/change_form.html"
    list_display = ["title", "status_badge", "kind", "publication", "published_on", "figure_counts",
                    "edited_by", "edited_at"]
    list_filter = ["status", ArticleCityFilter, ArticleCountyFilter, "source__publication",
                   SourceFilter, "themes", "kind", UnverifiedFiguresFilter]
    list_select_related = ["source__publication", "edited_by"]
    search_fields = ["title", "authors", "body"]
    search_help_text = gettext_lazy("按标题、作者、正文检索")
    autocomplete_fields = ["themes", "source"]
    inlines = [FigureInline, ArticleRegionInline]
    show_full_result_count = False
    list_per_page = 50
    actions = ["send_to_review", "publish", "verify_all_figures", "assign_themes"]
    readonly_fields = ["status", "origin", "edited_by", "edited_at", "reviewed_by", "reviewed_at", "review_note"]
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "authors", "column", "kind", "published_on", "themes",
                           "summary", "change_reason", "version"]}),
        (gettext_lazy("来源"), {"fields": ["source", "position", "page", "line_start", "line_end"],
                              "classes": ["collapse"]}),
        (gettext_lazy("审核记录"), {"fields": ["status", "origin", "edited_by", "edited_at", "reviewed_by",
                                           "reviewed_at", "review_note"], "classes": ["collapse"]}),
    ]
    history_list_display = ["status", "version"]

    class Media:
        css = {"all": ["cases/admin/article.css"]}

    # ---- the queue

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source__publication", "edited_by", "reviewed_by")

    def get_changelist_instance(self, request):
        """Figure counts for the page's rows only: one grouped query, not a subquery per article."""
        changelist = super().get_changelist_instance(request)
        articles = list(changelist.result_list)
        counts = {
            row["article_id"]: row
            for row in Figure.objects.filter(article_id__in=[a.pk for a in articles]).order_by()
            .values("article_id").annotate(n=Count("pk"), unverified=Count("pk", filter=Q(verified=False)))
        }
        for article in articles:
            row = counts.get(article.pk, {})
            article.n_figures, article.n_unverified = row.get("n", 0), row.get("unverified", 0)
        changelist.result_list = articles
        return changelist

    def get_search_results(self, request, queryset, search_term):
        """Title, author and text; every word must match.

        Authors are a JSON list, which SQLite stores with \\u escapes, so each
        word is also looked for in its escaped form.
        """
        terms = search_term.split()
        if not terms:
            return queryset, False
        queryset = queryset.annotate(authors_text=Cast("authors", TextField()))
        for term in terms:
            escaped = json.dumps(term)[1:-1]
            queryset = queryset.filter(
                Q(title__icontains=term) | Q(body__icontains=term)
                | Q(authors_text__icontains=term) | Q(authors_text__icontains=escaped)
            )
        return queryset, False

    @admin.display(description=gettext_lazy("状态"), ordering="status")
    def status_badge(self, obj):
        return format_html('<span class="status status-{}">{}</span>', obj.status, obj.get_status_display())

    @admin.display(description=gettext_lazy("刊物"), ordering="source__publication__name")
    def publication(self, obj):
        return obj.source.publication if obj.source_id and obj.source.publication_id else "—"

    @admin.display(description=gettext_lazy("数字（未核实）"))
    def figure_counts(self, obj):
        return f"{obj.n_figures}（{obj.n_unverified}）"

    # ---- permissions: content is editable in draft and rejected only

    def has_change_permission(self, request, obj=None):
        if obj is not None and not workflow.is_editable(obj):
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("body")  # figure offsets point into it
            if not self.has_change_permission(request, obj):
                fields.append("authors_as_written")
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = [list(f) for f in super().get_fieldsets(request, obj)]
        first = fieldsets[0][1]
        if obj is None:
            fieldsets[0][1] = {**first, "fields": [*first["fields"], "body"]}
        elif not self.has_change_permission(request, obj):  # read-only view: nothing to save
            fields = ["authors_as_written" if f == "authors" else f for f in first["fields"]]
            fieldsets[0][1] = {**first, "fields": [f for f in fields if f not in ("change_reason", "version")]}
        return fieldsets

    @admin.display(description=gettext_lazy("作者"))
    def authors_as_written(self, obj):
        return "、".join(obj.authors or []) or "-"

    # ---- saving: locking, who and why

    def _create_formsets(self, request, obj, change):
        formsets, inlines = super()._create_formsets(request, obj, change)
        request._article_formsets = formsets
        return formsets, inlines

    def save_model(self, request, obj, form, change):
        formsets = getattr(request, "_article_formsets", [])
        reverting = getattr(request, "_article_current_version", None) is not None
        touched = reverting or form.has_changed() or any(fs.has_changed() for fs in formsets)
        if change:
            current = Article.objects.select_for_update().get(pk=obj.pk)
            # Status and review fields move only through the workflow, never through this form
            # (nor through reverting to an old version).
            for name in ("status", "reviewed_by_id", "reviewed_at", "review_note", "origin"):
                setattr(obj, name, getattr(current, name))
            if not touched:
                obj.version = current.version
                return
            obj.version = current.version + 1
        else:
            obj.origin = Origin.EDITOR
        obj.edited_by = request.user
        obj.edited_at = timezone.now()
        obj._change_reason = _reason(form, _("编辑") if change else _("新建"))
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        reason = _reason(form, _("编辑"))
        if formset.model is not Figure:
            for inline_form in formset.forms:
                inline_form.instance._change_reason = reason
            return super().save_formset(request, form, formset, change)
        now = timezone.now()
        instances = formset.save(commit=False)
        changed_forms = {id(f.instance): f for f in formset.forms if f.has_changed()}
        for figure in instances:
            f = changed_forms.get(id(figure))
            apply_editor_changes(figure, f.changed_data if f else [], request.user, now, is_new=figure.pk is None)
            figure._change_reason = reason
            figure._history_user = request.user
            figure.save()
        for figure in formset.deleted_objects:
            figure._change_reason = reason
            figure._history_user = request.user
            figure.delete()
        formset.save_m2m()

    # ---- the review page

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/transition/<str:name>/", wrap(self.transition_view), name=f"{name}_transition"),
            path("<int:object_id>/deleted-figures/", wrap(self.deleted_figures_view),
                 name=f"{name}_deleted_figures"),
            *super().get_urls(),
        ]

    def marked_body(self, article):
        """The body with figures, places and initiatives marked (spans.py), and the figure ids in order."""
        body = article.body
        figures = list(Figure.objects.filter(article=article).order_by("start", "id")
                       .only("start", "end", "label", "qualifier", "value", "unit"))
        spans = [
            Span(f.start, f.end, FIGURE, str(f.pk), f"{f.label} {f.qualifier}{f.value.normalize():f}{f.unit}")
            for f in figures
        ]
        initiative_names = {}
        for initiative in article.initiatives.only("pk", "name", "aliases"):
            for name in [initiative.name, *initiative.aliases]:
                initiative_names.setdefault(name, (str(initiative.pk), initiative.name))
        spans += name_spans(body, initiative_names, INITIATIVE)
        links = list(article.region_links.select_related("region"))
        if find_places is not None:
            spans += [
                Span(p.start, p.end, PLACE, p.code or "", p.name or p.surface)
                for p in find_places(body, context=[link.region.code for link in links])
            ]
        else:
            place_names = {}
            for link in links:
                for name in (link.region.name, link.region.short_name):
                    if name and len(name) > 1:
                        place_names.setdefault(name, (link.region.code, link.region.name))
            spans += name_spans(body, place_names, PLACE)
        return render_marked_body(body, spans), [f.pk for f in figures]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        article = self.get_object(request, object_id)
        request._article_object = article  # super() would load it again
        if article is not None and self.has_view_or_change_permission(request, article):
            marked_body, figure_ids = self.marked_body(article)
            extra_context.update(
                marked_body=marked_body,
                figure_ids=figure_ids,
                transitions=workflow.available_transitions(article, request.user),
                n_deleted_figures=deleted_figures(article.pk).order_by().values("id").distinct().count(),
                article_version=article.version,
                is_editable=workflow.is_editable(article),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_object(self, request, object_id, from_field=None):
        cached = getattr(request, "_article_object", None)
        if cached is not None and from_field is None and str(cached.pk) == str(object_id):
            return cached
        return super().get_object(request, object_id, from_field)

    def transition_view(self, request, object_id, name):
        """POST only: send to review, publish, reject or withdraw (workflow.py)."""
        article = get_object_or_404(Article, pk=object_id)
        change_url = reverse("admin:cases_article_change", args=[article.pk])
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        try:
            seen = int(request.POST.get("version", ""))
        except ValueError:
            self.message_user(request, _("请求缺少版本号，请刷新页面后重试。"), messages.ERROR)
            return HttpResponseRedirect(change_url)
        try:
            article = workflow.apply_transition(article, request.user, name, seen_version=seen,
                                                reason=request.POST.get("reason", ""))
        except workflow.TransitionError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(change_url)
        self.message_user(
            request, _("“%(title)s”已%(action)s，当前状态：%(status)s。")
            % {"title": article.title, "action": workflow.TRANSITIONS[name].label,
               "status": article.get_status_display()},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(change_url if workflow.is_editable(article) or name != "publish"
                                    else reverse("admin:cases_article_changelist"))

    def deleted_figures_view(self, request, object_id):
        """The article's deleted figures from the history, each with a restore button."""
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        can_restore = workflow.is_editable(article) and request.user.has_perm("cases.add_figure")
        if request.method == "POST":
            if not can_restore:
                raise PermissionDenied
            record = get_object_or_404(Figure.history.model, history_id=request.POST.get("history_id"),
                                       article_id=article.pk, history_type="-")
            try:
                figure = restore_figure(record, request.user)
            except ValueError as error:
                self.message_user(request, str(error), messages.WARNING)
            else:
                self.message_user(request, _("已恢复数字“%s”。") % figure, messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        records, seen = [], set()
        for record in deleted_figures(article.pk):
            if record.id not in seen:  # latest deletion of each figure
                seen.add(record.id)
                records.append(record)
        context = {
            **self.admin_site.each_context(request),
            "title": _("已删除的数字：%s") % article.title,
            "opts": self.model._meta,
            "original": article,
            "records": records,
            "can_restore": can_restore,
        }
        return TemplateResponse(request, "admin/cases/article/deleted_figures.html", context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting is a save like any other: only while editable, with the current version."""
        current = get_object_or_404(Article, pk=object_id)
        if request.method == "POST" and not self.has_change_permission(request, current):
            raise PermissionDenied
        request._article_current_version = current.version
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        current_version = getattr(request, "_article_current_version", None)
        if current_version is None:
            return form_class

        class RevertForm(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                self.initial["version"] = current_version
                self.initial.setdefault("change_reason", _("恢复到历史版本"))

        return RevertForm

    # ---- bulk actions

    def _bulk_transition(self, request, queryset, name):
        done, refused = 0, []
        for article in queryset:
            try:
                workflow.apply_transition(article, request.user, name, seen_version=article.version)
                done += 1
            except workflow.TransitionError as error:
                refused.append(f"“{article.title}”：{error}")
        if done:
            self.message_user(request, _("已%(action)s %(n)d 篇文章。")
                              % {"action": workflow.TRANSITIONS[name].label, "n": done}, messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    @admin.action(description=gettext_lazy("送审所选文章"), permissions=["change"])
    def send_to_review(self, request, queryset):
        self._bulk_transition(request, queryset, "send_to_review")

    @admin.action(description=gettext_lazy("发布所选文章"), permissions=["publish"])
    def publish(self, request, queryset):
        self._bulk_transition(request, queryset, "publish")

    def has_publish_permission(self, request):
        return request.user.has_perm("cases.publish_article")

    @admin.action(description=gettext_lazy("将所选文章的数字全部标为已核实"), permissions=["change"])
    def verify_all_figures(self, request, queryset):
        figures = Figure.objects.filter(article__in=queryset, verified=False)
        n = _verify(figures, request.user)
        self.message_user(request, _("已核实 %d 个数字。") % n, messages.SUCCESS)

    @admin.action(description=gettext_lazy("为所选文章批量设置主题"), permissions=["change"])
    def assign_themes(self, request, queryset):
        return _assign_themes(self, request, queryset, "admin/cases/assign_themes.html")


def _verify(figures, user):
    now = timezone.now()
    figures = list(figures)
    for figure in figures:
        figure.verified, figure.verified_by, figure.verified_at = True, user, now
    if figures:
        bulk_update_with_history(figures, Figure, ["verified", "verified_by", "verified_at"],
                                 default_user=user, default_change_reason=_("批量核实"))
    return len(figures)


# ---------------------------------------------------------------- initiatives and figures


@admin.register(Initiative)
class InitiativeAdmin(SpreadsheetMixin, PrefetchedAutocompleteMixin, SimpleHistoryAdmin):
    resource_classes = [InitiativeResource]
    list_display = ["name", "region", "origin", "n_articles", "updated_at"]
    list_select_related = ["region"]
    list_filter = [CityFilter, CountyFilter, "themes", "origin"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["region", "themes", "articles"]
    actions = ["merge", "assign_themes"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_articles=Count("articles", distinct=True))

    @admin.display(description=gettext_lazy("文章数"), ordering="n_articles")
    def n_articles(self, obj):
        return obj.n_articles

    @admin.action(description=gettext_lazy("合并所选的重复做法/项目"), permissions=["change", "delete"])
    def merge(self, request, queryset):
        selected = list(queryset.select_related("region").annotate(n_figures=Count("figures", distinct=True)))
        if len(selected) < 2:
            self.message_user(request, _("请至少选择两个做法/项目再合并。"), messages.WARNING)
            return None
        if "apply" in request.POST:
            survivor = next((i for i in selected if str(i.pk) == request.POST.get("survivor")), None)
            if survivor is None:
                self.message_user(request, _("请选择保留哪一个。"), messages.ERROR)
            else:
                merged = merge_initiatives(survivor, [i for i in selected if i.pk != survivor.pk], request.user)
                self.message_user(request, _("已将 %(n)d 个做法/项目合并入“%(name)s”。")
                                  % {"n": len(selected) - 1, "name": merged.name}, messages.SUCCESS)
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("合并重复的做法/项目"),
            "opts": self.model._meta,
            "objects": selected,
            "action": request.POST.get("action"),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/cases/initiative/merge.html", context)

    @admin.action(description=gettext_lazy("为所选做法/项目批量设置主题"), permissions=["change"])
    def assign_themes(self, request, queryset):
        return _assign_themes(self, request, queryset, "admin/cases/assign_themes.html")

    form = InitiativeAdminForm

    def save_model(self, request, obj, form, change):
        if not change:
            obj.origin = Origin.EDITOR
        obj._change_reason = _reason(form, _("编辑") if change else _("新建"))
        super().save_model(request, obj, form, change)


@admin.register(Figure)
class FigureAdmin(AsWrittenMixin, SpreadsheetMixin, PrefetchedAutocompleteMixin, SimpleHistoryAdmin):
    resource_classes = [FigureResource]
    list_display = ["label", "qualifier", "value_as_written", "unit", "normalized_value_as_written", "base_unit",
                    "year", "region", "metric", "article", "is_target", "verified"]
    list_select_related = ["region", "article", "metric"]
    list_filter = ["verified", "is_target", "qualifier_kind", "origin", CityFilter, CountyFilter]
    search_fields = ["label", "quote"]
    autocomplete_fields = ["region", "metric", "initiative", "article"]
    readonly_fields = ["verified_by", "verified_at", "edited_by", "origin"]
    actions = ["mark_verified"]
    show_full_result_count = False
    list_per_page = 100

    form = FigureAdminForm

    def has_change_permission(self, request, obj=None):
        if obj is not None and not workflow.is_editable(obj.article):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not workflow.is_editable(obj.article):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        apply_editor_changes(obj, form.changed_data, request.user, is_new=not change)
        obj._change_reason = _reason(form, _("编辑") if change else _("新建"))
        super().save_model(request, obj, form, change)
        # A figure edit is an edit of its article: the editor may not publish it themselves.
        Article.objects.filter(pk=obj.article_id).update(edited_by=request.user, edited_at=timezone.now())

    def delete_model(self, request, obj):
        obj._change_reason = _("删除")
        super().delete_model(request, obj)

    @admin.action(description=gettext_lazy("标记为已核实"), permissions=["change"])
    def mark_verified(self, request, queryset):
        n = _verify(queryset.filter(verified=False), request.user)
        self.message_user(request, _("已核实 %d 个数字。") % n, messages.SUCCESS)


from . import admin_upload  # noqa: E402,F401  (registers the upload page)
