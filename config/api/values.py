"""A serializer's representation built from ``.values()`` rows instead of model instances.

Building a model instance (and one per ``select_related`` object) for each row,
then walking DRF's fields over it, is most of the time of a list page or a
10,000-row CSV. When every field of a serializer reads a column — a model
field, an annotation, a brief related object, the object's own URL — the
same dicts can be built from one ``.values()`` query: each value still goes
through its own field's ``to_representation``, so the output is identical
(tests compare both paths). A view may build some fields itself from what it
attaches to each page of rows (``prepare`` and ``own`` builders: an article's themes and
regions); any other field (a method field, a nested list) makes
:func:`values_plan` return None and the view keeps the object path.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from rest_framework import serializers

from .fields import BriefRelatedField, DetailURLField, detail_url
from .serializers import reads_one_attribute


@dataclass(frozen=True)
class ValuesPlan:
    """The columns to select and, per serializer field, how to turn a row into its value."""

    lookups: tuple[str, ...]
    builders: tuple[tuple[str, Callable[[dict], object]], ...]
    #: Adds to a page (or CSV chunk) of rows what the view's own builders read.
    prepare: Callable[[list[dict]], list[dict]] | None = None

    def queryset(self, queryset):
        return queryset.values(*self.lookups)

    def represent_page(self, rows: list[dict]) -> list[dict]:
        if self.prepare is not None:
            rows = self.prepare(rows)
        return [self.represent(row) for row in rows]

    def represent(self, row: dict) -> dict:
        return {name: build(row) for name, build in self.builders}


def values_plan(serializer, queryset, own: dict[str, Callable[[dict], object]] | None = None,
                prepare: Callable[[list[dict]], list[dict]] | None = None,
                columns: tuple[str, ...] = ()) -> ValuesPlan | None:
    """The plan for ``serializer`` over ``queryset``'s model, or None if a field needs the object.

    ``own`` builds the named fields from a row as the view likes (after ``prepare`` has added
    to the page's rows what they read); ``columns`` are selected as well, for ``prepare``.
    """
    model = queryset.model
    annotations = queryset.query.annotations
    request = serializer.context.get("request")
    lookups: dict[str, None] = dict.fromkeys(columns)  # ordered set
    builders = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        build = (own or {}).get(name) or _builder(field, model, annotations, request, lookups)
        if build is None:
            return None
        builders.append((name, build))
    return ValuesPlan(tuple(lookups), tuple(builders), prepare)


def _builder(field, model, annotations, request, lookups):
    if isinstance(field, DetailURLField):
        key = field.lookup_field
        lookups[key] = None
        return lambda row: detail_url(request, field.viewname, row[key], field.lookup_field)

    if isinstance(field, BriefRelatedField) and _follows_forward_relations(model, field.source_attrs) \
            and type(field).get_attribute is serializers.RelatedField.get_attribute:
        # source="source.publication": the article's source's publication, null if either is missing.
        source = "__".join(field.source_attrs)
        key = f"{source}__{field.lookup_field}"
        subs = [(sub, f"{source}__{sub}") for sub in field.brief_fields]
        for lookup in (key, *(lookup for _, lookup in subs)):
            lookups[lookup] = None

        def brief(row):
            if row[key] is None:  # no related object (a null foreign key)
                return None
            data = {sub: row[lookup] for sub, lookup in subs}
            data["url"] = detail_url(request, field.viewname, row[key], field.lookup_field)
            return data

        return brief

    if not reads_one_attribute(field):  # a method field, a nested list, a dotted source …
        return None
    source = field.source_attrs[0]
    if source not in annotations and not _is_plain_column(model, source):
        return None
    lookups[source] = None
    if isinstance(field, serializers.DateTimeField) and not hasattr(field, "timezone"):
        # DRF looks the current timezone up for every value; it cannot change within a request.
        field.timezone = field.default_timezone()
    represent = field.to_representation
    if type(field).to_representation is serializers.CharField.to_representation:
        # str(value) of a str is the value itself: most cells are text.
        return lambda row: value if type(value := row[source]) is str else (
            None if value is None else represent(value))
    return lambda row: None if row[source] is None else represent(row[source])


def _model_field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _is_plain_column(model, name) -> bool:
    field = _model_field(model, name)
    return field is not None and field.concrete and not field.is_relation


def _follows_forward_relations(model, names) -> bool:
    """Whether each name is a foreign key (or one-to-one) of the model the one before leads to."""
    for name in names:
        field = _model_field(model, name)
        if field is None or not field.concrete or not (field.many_to_one or field.one_to_one):
            return False
        model = field.related_model
    return bool(names)
