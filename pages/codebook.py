"""The codebook on the "about the data" page, read from the models themselves.

Field names, labels, help texts and choices come from each model's ``_meta``, so the
documentation cannot drift from the schema.
"""

from dataclasses import dataclass

from django.db import models

from cases.models import Article, ArticleRegion, Figure, Initiative, Metric, Publication, Source, Theme
from regions.models import Region, RegionAlias

#: The public record types, in the order a reader meets them. Editorial bookkeeping fields
#: (who edited, versions) are listed too: they say how far a record can be trusted.
CODEBOOK_MODELS = (Article, Figure, Initiative, Metric, Theme, ArticleRegion, Region, RegionAlias, Source, Publication)

TYPE_NAMES = {
    models.CharField: "文本",
    models.TextField: "长文本",
    models.SlugField: "标识",
    models.URLField: "网址",
    models.DecimalField: "小数",
    models.PositiveIntegerField: "整数",
    models.PositiveSmallIntegerField: "整数",
    models.IntegerField: "整数",
    models.BigAutoField: "编号",
    models.AutoField: "编号",
    models.BooleanField: "是/否",
    models.DateField: "日期",
    models.DateTimeField: "时间",
    models.JSONField: "列表",
    models.ForeignKey: "关联",
    models.ManyToManyField: "多项关联",
}


@dataclass(frozen=True)
class FieldDoc:
    name: str
    label: str
    type: str
    help_text: str
    choices: str
    required: bool


@dataclass(frozen=True)
class ModelDoc:
    name: str
    label: str
    fields: list[FieldDoc]


def type_name(field) -> str:
    for cls in type(field).__mro__:
        if cls in TYPE_NAMES:
            name = TYPE_NAMES[cls]
            if field.is_relation and field.related_model is not None:
                name += f" → {field.related_model._meta.verbose_name}"
            return name
    return type(field).__name__


def describe_model(model) -> ModelDoc:
    fields = []
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        choices = "；".join(f"{value} = {label}" for value, label in field.flatchoices) if field.choices else ""
        fields.append(FieldDoc(
            name=field.attname if not field.many_to_many else field.name,
            label=str(field.verbose_name),
            type=type_name(field),
            help_text=str(field.help_text or ""),
            choices=choices,
            required=not (field.null or field.blank or field.has_default() or field.primary_key),
        ))
    return ModelDoc(name=model.__name__, label=str(model._meta.verbose_name), fields=fields)


def codebook() -> list[ModelDoc]:
    return [describe_model(model) for model in CODEBOOK_MODELS]
