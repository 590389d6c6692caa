"""Fast read-only fields for URLs and brief nested objects.

Reversing a URL for every row is the slowest part of a list response, so the
URL of a detail route is reversed once per request with a placeholder and the
key is substituted for each object.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

_PLACEHOLDER = "__key__"


def detail_url(request, viewname: str, key, lookup: str = "pk") -> str:
    """Absolute URL of ``viewname`` for ``key``; the pattern is reversed once per request."""
    cache = getattr(request, "_detail_url_templates", None)
    if cache is None:
        cache = {}
        if request is not None:
            request._detail_url_templates = cache
    template = cache.get(viewname)
    if template is None:
        path = reverse(viewname, kwargs={lookup: _PLACEHOLDER})
        template = request.build_absolute_uri(path) if request is not None else path
        cache[viewname] = template
    return template.replace(_PLACEHOLDER, str(key))


@extend_schema_field(OpenApiTypes.URI)
class DetailURLField(serializers.Field):
    """The object's own API URL (``url``), like HyperlinkedIdentityField but cheaper."""

    def __init__(self, viewname, lookup_field="pk", **kwargs):
        self.viewname, self.lookup_field = viewname, lookup_field
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return detail_url(self.context.get("request"), self.viewname, getattr(obj, self.lookup_field), self.lookup_field)


class PrefetchedManyRelatedField(serializers.ManyRelatedField):
    """Reads ``<source>_list`` (a ``Prefetch(..., to_attr=...)`` list) when the view prefetched one.

    ``instance.themes.all()`` builds a related manager and a queryset per row
    even when prefetched; a plain list does not.
    """

    def get_attribute(self, instance):
        prefetched = getattr(instance, f"{self.source}_list", None)
        return super().get_attribute(instance) if prefetched is None else prefetched


class BriefRelatedField(serializers.RelatedField):
    """A related object as a small dict (``{code, name, level, url}`` for a region).

    Subclasses set ``brief_fields``, ``viewname`` and ``lookup_field`` and are
    annotated with ``extend_schema_field(<Brief…Serializer>)`` so the schema
    shows the same shape. ``many=True`` gives a list (use prefetch_related).
    Given a ``queryset`` the field is writable: clients send the key
    (``"330624000000"``, ``12``, ``"grid-count"``) or an object containing it.
    """

    brief_fields: tuple = ()
    viewname = ""
    lookup_field = "pk"
    default_error_messages = {
        "does_not_exist": "{value} 不存在 (no such object)",
        "invalid": "应为 {lookup} 或含 {lookup} 的对象 (expected the {lookup} or an object with it)",
    }

    def __init__(self, **kwargs):
        if "queryset" not in kwargs:
            kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        key = data.get(self.lookup_field) if isinstance(data, dict) else data
        if isinstance(key, bool) or not isinstance(key, str | int) or str(key) == "":
            self.fail("invalid", lookup=self.lookup_field)
        try:
            return self.get_queryset().get(**{self.lookup_field: key})
        except (self.get_queryset().model.DoesNotExist, ValueError, TypeError):
            self.fail("does_not_exist", value=str(key)[:40])

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        list_kwargs.update({k: v for k, v in kwargs.items() if k in MANY_RELATION_KWARGS})
        return PrefetchedManyRelatedField(**list_kwargs)

    def use_pk_only_optimization(self):
        return False

    def to_representation(self, obj):
        data = {name: getattr(obj, name) for name in self.brief_fields}
        data["url"] = detail_url(
            self.context.get("request"), self.viewname, getattr(obj, self.lookup_field), self.lookup_field
        )
        return data


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.Field):
    """The human label of a choice (``town`` → 乡级) without a get_FOO_display() call per row."""

    def __init__(self, choices, **kwargs):
        self.choices_map = dict(choices)
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        # Labels are lazy translations: translated once per serializer (per request, so in the
        # request's language), not once per row.
        labels = self.__dict__.get("_labels")
        if labels is None:
            labels = self._labels = {key: str(label) for key, label in self.choices_map.items()}
        return labels.get(value)
