"""Base serializer: sparse fields and the model's own validation on writes."""

import copy

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers
from rest_framework.fields import Field, SkipField
from rest_framework.relations import PKOnlyObject, RelatedField
from rest_framework.settings import api_settings


def django_errors_to_drf(exc: DjangoValidationError) -> serializers.ValidationError:
    if hasattr(exc, "error_dict"):
        detail = {
            (api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key): [str(m) for m in msgs]
            for key, msgs in exc.message_dict.items()
        }
    else:
        detail = {api_settings.NON_FIELD_ERRORS_KEY: [str(m) for m in exc.messages]}
    return serializers.ValidationError(detail)


def reads_one_attribute(field) -> bool:
    """True for fields whose value is ``getattr(instance, source)`` (plain model fields, single FKs)."""
    if isinstance(field, serializers.ManyRelatedField | serializers.Serializer) or len(field.source_attrs) != 1:
        return False
    getter = type(field).get_attribute
    if isinstance(field, RelatedField):
        return getter is RelatedField.get_attribute and not field.use_pk_only_optimization()
    return getter is Field.get_attribute


def _copy_field(field):
    """A prototype field for one serializer instance.

    A plain field is copied shallowly: binding sets attributes of the copy only, and what it
    shares with the prototype (arguments, validators, messages, a related field's queryset,
    which is cloned when used) is never changed. DRF's deep copy re-creates each field from
    deep copies of its arguments: ~2 ms a request for a list's serializer. Nested serializers
    and many-related fields hold fields of their own and keep the deep copy.
    """
    if isinstance(field, serializers.BaseSerializer | serializers.ManyRelatedField):
        return copy.deepcopy(field)
    return copy.copy(field)


class BaseModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer that can drop fields and validates writes with ``full_clean``.

    ``fields=[…]`` (from ``?fields=`` or ``?brief=1``) keeps only those fields.
    On create/update the instance is built in memory and checked by the model's
    own rules — field validators, check and unique constraints — so the API
    accepts exactly what the admin accepts and a violated constraint is a 400
    with the model's message, never an IntegrityError.
    """

    # ModelSerializer rebuilds its fields from model introspection for every instance, which
    # costs milliseconds per request; build them once per class and hand out copies.
    _field_prototypes: dict = {}

    def get_fields(self):
        cls = type(self)
        prototype = BaseModelSerializer._field_prototypes.get(cls)
        if prototype is None:
            prototype = BaseModelSerializer._field_prototypes[cls] = super().get_fields()
        return {name: _copy_field(field) for name, field in prototype.items()}

    def __init__(self, *args, fields=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fields is not None:
            for name in [n for n in self.fields if n not in fields]:
                self.fields.pop(name)

    def to_representation(self, instance):
        """DRF's loop, with a direct ``getattr`` for fields that read one attribute.

        ``Field.get_attribute`` walks the source path and checks each value for
        being a callable; for a model field or a select_related object that is
        one attribute lookup. The result is identical, serialization of a page
        about a third faster.
        """
        plan = self.__dict__.get("_representation_plan")
        if plan is None:
            plan = self._representation_plan = [
                (field.field_name, field, field.source_attrs[0] if reads_one_attribute(field) else None)
                for field in self._readable_fields
            ]
        data = {}
        for name, field, attribute in plan:
            if attribute is None:
                try:
                    value = field.get_attribute(instance)
                except SkipField:
                    continue
                check = value.pk if isinstance(value, PKOnlyObject) else value
            else:
                try:
                    value = check = getattr(instance, attribute)
                except AttributeError:
                    try:
                        value = check = field.get_attribute(instance)
                    except SkipField:
                        continue
            data[name] = None if check is None else field.to_representation(value)
        return data

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        m2m = {f.name for f in model._meta.many_to_many}
        plain = {k: v for k, v in attrs.items() if k not in m2m}
        if self.instance is not None:
            candidate = copy.copy(self.instance)  # leave the real instance untouched if this fails
            for key, value in plain.items():
                setattr(candidate, key, value)
        else:
            candidate = model(**plain)
        exclude = [f.name for f in model._meta.fields if isinstance(f, models.AutoField | models.BigAutoField)]
        try:
            candidate.full_clean(exclude=exclude)
        except DjangoValidationError as exc:
            raise django_errors_to_drf(exc) from None
        return attrs
