"""The admin's upload page: editors bring in a new issue (PDF, Word, web page, text) themselves.

"增加上传任务" is a form of files plus publication, issue and date; saving stores the files
and enqueues the job (cases/uploads.py) for the worker. A job's page shows its progress bar,
each file's outcome with links to the drafts it made, and the log; it polls ``progress/``
while the worker runs. Editors and reviewers have ``add_uploadjob``; nobody edits a job.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import uploads
from .models import Publication, UploadJob

ACCEPT = ".pdf,.docx,.html,.htm,.txt,.md,.markdown,.text"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)) and data:
            return [single(item, initial) for item in data]
        if isinstance(data, (list, tuple)):
            data = None  # nothing chosen: the field's "required" message
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=gettext_lazy("文件"),
        help_text=gettext_lazy("可多选：PDF（须有文字层）、Word（.docx）、网页（.html）、文本或 Markdown（UTF-8 或 GB18030）。"
                               "每个文件不超过 %(mb)d MB。"),
    )
    publication = forms.CharField(label=gettext_lazy("刊物"), max_length=100, required=False,
                                  help_text=gettext_lazy("如“今日浙江”；不填则从正文推断。"),
                                  widget=forms.TextInput(attrs={"list": "known-publications"}))
    issue_label = forms.CharField(label=gettext_lazy("期号"), max_length=50, required=False,
                                  help_text=gettext_lazy("如“2024年第24期”；不填则从正文推断。"))
    published_on = forms.DateField(label=gettext_lazy("出版日期"), required=False,
                                   help_text=gettext_lazy("YYYY-MM-DD；用于正文未写明日期的文章。"),
                                   widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = self.fields["files"].help_text % {"mb": settings.UPLOAD_MAX_FILE_BYTES // 2**20}

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > settings.UPLOAD_MAX_FILES:
            raise forms.ValidationError(_("一次最多上传 %(n)d 个文件。") % {"n": settings.UPLOAD_MAX_FILES})
        return files


@admin.register(UploadJob)
class UploadJobAdmin(admin.ModelAdmin):
    list_display = ["__str__", "state_badge", "progress", "articles_created", "figures_found", "created_by", "created_at"]
    list_select_related = ["created_by"]
    list_filter = ["state"]
    search_fields = ["publication", "issue_label", "files__name"]
    show_full_result_count = False
    actions = ["retry_failed_files"]

    class Media:
        css = {"all": ["cases/admin/upload.css"]}

    def has_change_permission(self, request, obj=None):
        return False  # a job is a record of what happened

    def get_search_results(self, request, queryset, search_term):
        if not search_term:
            return queryset, False
        return queryset.filter(Q(publication__icontains=search_term) | Q(issue_label__icontains=search_term)
                               | Q(files__name__icontains=search_term)).distinct(), True

    @admin.display(description=gettext_lazy("状态"), ordering="state")
    def state_badge(self, obj):
        return format_html('<span class="upload-state upload-state-{}">{}</span>', obj.state, obj.get_state_display())

    @admin.display(description=gettext_lazy("进度"))
    def progress(self, obj):
        return format_html('<progress max="{}" value="{}"></progress> {}/{}', obj.files_total or 1, obj.files_done,
                           obj.files_done, obj.files_total)

    @admin.action(description=gettext_lazy("重新处理出错的文件"), permissions=["add"])
    def retry_failed_files(self, request, queryset):
        """Files that failed (a bug since fixed, a database that was away) go through the worker again."""
        retried = 0
        for job in queryset:
            if uploads.retry_failed(job):
                retried += 1
        self.message_user(request, _("已重新排队 %(n)d 个任务。") % {"n": retried} if retried
                          else _("所选任务没有可重新处理的文件。"), messages.SUCCESS if retried else messages.WARNING)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [path("<int:object_id>/progress/", wrap(self.progress_view), name="cases_uploadjob_progress"),
                *super().get_urls()]

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            files = [uploads.Upload(f.name, f.read()) for f in form.cleaned_data["files"]]
            job = uploads.create_job(files, request.user, form.cleaned_data["publication"],
                                     form.cleaned_data["issue_label"], form.cleaned_data["published_on"])
            self.log_addition(request, job, [{"added": {}}])
            self.message_user(request, _("已收到 %(n)d 个文件，正在后台处理；本页会自动刷新进度。") % {"n": len(files)},
                              messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:cases_uploadjob_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("上传新一期"),
            "opts": self.model._meta,
            "form": form,
            "publications": Publication.objects.order_by("name").values_list("name", flat=True),
            "max_mb": settings.UPLOAD_MAX_FILE_BYTES // 2**20,
            "recent": UploadJob.objects.select_related("created_by").order_by("-created_at")[:5],
        }
        return TemplateResponse(request, "admin/cases/uploadjob/upload.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = get_object_or_404(UploadJob.objects.select_related("created_by"), pk=object_id)
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("上传任务 %(job)s") % {"job": job},
            "opts": self.model._meta,
            "original": job,
            "job": job,
            "progress": uploads.summary(job),
            "article_list": reverse("admin:cases_article_changelist"),
            "has_add_permission": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/cases/uploadjob/job.html", context)

    def progress_view(self, request, object_id):
        job = get_object_or_404(UploadJob, pk=object_id)
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        return JsonResponse(uploads.summary(job))
