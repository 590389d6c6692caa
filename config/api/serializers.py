"""Base serializer: sparse fields and the model's own validation on writes."""

import copy

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers
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


class BaseModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer that can drop fields and validates writes with ``full_clean``.

    ``fields=[…]`` (from ``?fields=`` or ``?brief=1``) keeps only those fields.
    On create/update the instance is built in memory and checked by the model's
    own rules — field validators, check and unique constraints — so the API
    accepts exactly what the admin accepts and a violated constraint is a 400
    with the model's message, never an IntegrityError.
    """

    def __init__(self, *args, fields=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fields is not None:
            for name in [n for n in self.fields if n not in fields]:
                self.fields.pop(name)

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
