"""Forms of the editors' admin: optimistic locking, change reasons, figure quotes."""

import json
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .admin_widgets import share_related_objects, speed_up_widgets
from .models import Article, Figure, Initiative, Theme

CONCURRENT_EDIT_MESSAGE = _(
    "二人同时编辑：在你打开这篇文章之后，别人已经保存了新的版本（你看到的是第 %(seen)s 版，现在是第 %(now)s 版）。"
    "为免覆盖对方的修改，本次保存未执行。请在新标签页打开文章查看最新内容，再把你的修改重新填入。"
)


class ChangeReasonMixin(forms.Form):
    change_reason = forms.CharField(
        label=_("修改说明"), required=False, max_length=100,
        help_text=_("简述改了什么、为什么；记入修改历史。"),
    )


class NameListField(forms.CharField):
    """A list of names typed as one line (周静、严琰), stored as a JSON list."""

    SEPARATORS = re.compile(r"[、，,；;\s]+")

    def prepare_value(self, value):
        if isinstance(value, str) and value.startswith("["):
            try:
                value = json.loads(value)
            except ValueError:
                return value
        if isinstance(value, (list, tuple)):
            return "、".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [name for name in self.SEPARATORS.split(text) if name]


class ArticleAdminForm(ChangeReasonMixin, forms.ModelForm):
    """Carries the version the editor saw; a save over a newer version is refused."""

    authors = NameListField(
        label=_("作者"), required=False, max_length=300, help_text=_("多位作者用顿号或逗号分隔，如“周静、严琰”。")
    )

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin chooses the fields
        widgets = {"version": forms.HiddenInput}

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "version" in self.fields:
            seen = cleaned.get("version")
            # Locked until the request's transaction ends, so two saves cannot interleave.
            now = (
                Article.objects.select_for_update().filter(pk=self.instance.pk)
                .values_list("version", flat=True).first()
            )
            if now is not None and seen != now:
                raise ValidationError(CONCURRENT_EDIT_MESSAGE, code="stale", params={"seen": seen, "now": now})
        return cleaned


class FigureInlineForm(forms.ModelForm):
    """One row of the article's figures; the quote must be where its offsets say."""

    class Meta:
        model = Figure
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin chooses the fields
        widgets = {
            "quote": forms.TextInput(attrs={"size": 24, "class": "figure-quote"}),
            "label": forms.TextInput(attrs={"size": 10}),
            "unit": forms.TextInput(attrs={"size": 4}),
            "qualifier": forms.TextInput(attrs={"size": 3}),
            "start": forms.NumberInput(attrs={"class": "figure-offset", "style": "width:5em"}),
            "end": forms.NumberInput(attrs={"class": "figure-offset", "style": "width:5em"}),
            "page": forms.NumberInput(attrs={"style": "width:4em"}),
        }

    #: The article body, set by the formset so rows need no query of their own.
    article_body = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        share_related_objects(self, ["region", "metric"])
        speed_up_widgets(self)
        for name in ("value", "value_max", "normalized_value", "normalized_value_max"):
            value = self.initial.get(name)
            if isinstance(value, Decimal):  # 175, not 175.000000
                self.initial[name] = Decimal(format(value.normalize(), "f"))

    def clean(self):
        cleaned = super().clean()
        start, end, quote = cleaned.get("start"), cleaned.get("end"), cleaned.get("quote")
        body = self.article_body
        if not body or start is None or end is None or not quote:
            return cleaned  # an article without a body: the quote cannot be located, it stands as written
        if end <= start or end > len(body):
            raise ValidationError(_("引文位置 %(start)s–%(end)s 超出正文范围（正文共 %(n)s 字）。"),
                                  params={"start": start, "end": end, "n": len(body)})
        # An editor's quote must be exactly the text at its offsets; rows the pipeline
        # made and nobody touched only need to contain it (the model's rule).
        edited = {"start", "end", "quote"} & set(self.changed_data)
        if (body[start:end] != quote) if edited else (quote not in body[start:end]):
            raise ValidationError(
                _("引文与正文不符：正文第 %(start)s–%(end)s 字是“%(text)s”。请在正文中重新选取引文。"),
                params={"start": start, "end": end, "text": body[start:end][:60]},
            )
        return cleaned


class ArticleRegionInlineForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        share_related_objects(self, ["region"])
        speed_up_widgets(self)


class AssignThemesForm(forms.Form):
    themes = forms.ModelMultipleChoiceField(
        label=_("要加上的主题"), queryset=Theme.objects.all(), widget=forms.CheckboxSelectMultiple,
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class FigureAdminForm(ChangeReasonMixin, forms.ModelForm):
    """A figure on its own page: its article must be editable and its quote where it says."""

    class Meta:
        model = Figure
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin chooses the fields

    def clean(self):
        from .workflow import is_editable

        cleaned = super().clean()
        article = cleaned.get("article")
        if article is not None and not is_editable(article):
            raise ValidationError(_("文章“%(title)s”已送审或发布，不能修改它的数字；请先退回为草稿。"),
                                  params={"title": article.title})
        start, end, quote = cleaned.get("start"), cleaned.get("end"), cleaned.get("quote")
        edited = {"article", "start", "end", "quote"} & set(self.changed_data)
        if article is not None and edited and None not in (start, end) and quote:
            if article.body[start:end] != quote:
                raise ValidationError(_("引文与正文不符：正文第 %(start)s–%(end)s 字是“%(text)s”。"),
                                      params={"start": start, "end": end, "text": article.body[start:end][:60]})
        return cleaned


class InitiativeAdminForm(ChangeReasonMixin, forms.ModelForm):
    class Meta:
        model = Initiative
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin chooses the fields
