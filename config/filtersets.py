"""Filter building blocks shared by the apps' FilterSets (NetBox's ``netbox/filtersets.py``).

The FilterSets in ``regions/filtersets.py`` and ``cases/filtersets.py`` are the
one place filtering is declared; the API and the pages both use them. Every
filter validates its value in the form, so a bad value is a clear 400 (API) or
a form error (pages), never a 500.
"""

import copy
import re

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.http import QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from search.engine import QueryError

YEAR_MIN, YEAR_MAX = 1949, 2100
SEARCH_MAX_LENGTH = 200
CODE_RE = re.compile(r"^\d{2,12}$")
CODE_VALIDATOR = RegexValidator(CODE_RE, "区划代码必须是 2–12 位数字 (a region code is 2–12 digits)")


class RegionCodeField(forms.CharField):
    """A region code, full (330600000000) or without its trailing zeros (330600, 3306); must exist."""

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        if not CODE_RE.match(value):
            raise forms.ValidationError(f"区划代码必须是 2–12 位数字 (a region code is 2–12 digits), got {value[:20]!r}")
        from regions.models import Region

        code = value.ljust(12, "0")
        region = Region.objects.filter(code=code).only("code", "level", "name").first()
        if region is None:
            raise forms.ValidationError(f"没有代码为 {code} 的区划 (no region with this code)")
        return region


@extend_schema_field({"type": "string", "pattern": r"^\d{2,12}$", "example": "330600"})
class RegionCodeFilter(django_filters.Filter):
    field_class = RegionCodeField


@extend_schema_field(OpenApiTypes.STR)
class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Objects by slug, repeatable (``?theme=a&theme=b`` is either)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)


MAX_ID = 2**63 - 1


class IdMultipleChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Ids must be positive 64-bit integers before they reach the database (SQLite overflows)."""

    def clean(self, value):
        for item in value or []:
            text = str(item).strip()
            if not text.isdigit() or not 0 < int(text) <= MAX_ID:
                raise forms.ValidationError(f"{text[:30]!r} 不是有效的 id (not a valid id)")
        return super().clean(value)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Objects by id, repeatable."""

    field_class = IdMultipleChoiceField


@extend_schema_field({"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX})
class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "number"})
class DecimalRangeValueFilter(django_filters.NumberFilter):
    """A decimal bound that fits the database column (24 digits, 6 after the point)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 24)
        kwargs.setdefault("decimal_places", 6)
        super().__init__(*args, **kwargs)


class SearchField(forms.CharField):
    """``?q=``: validated by the search engine itself, so its errors surface as 400s."""

    def __init__(self, *args, validate_with=None, **kwargs):
        self.validate_with = validate_with
        kwargs.setdefault("max_length", SEARCH_MAX_LENGTH)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return ""
        value = value.strip()
        if self.validate_with is not None:
            try:
                self.validate_with(value)
            except QueryError as exc:
                raise forms.ValidationError(str(exc)) from None
        return value


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class BaseFilterSet(django_filters.FilterSet):
    """Common behaviour for the apps' FilterSets."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, named_only=False):
        # django-filter deep-copies every declared filter per request, which was about a third of
        # a list request's time; a shallow copy is enough (the form deep-copies its own fields).
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        #: The form holds only the filters the request names (the API; pages show every filter).
        self.named_only = named_only
        self.filters = {name: copy.copy(f) for name, f in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.__dict__.pop("_field", None)  # built per request: choices may depend on the user
            # No filter here joins a to-many relation (those use EXISTS), so rows never repeat:
            # django-filter's default SELECT DISTINCT over every column would only cost time.
            filter_.distinct = False
            if filter_.method is not None:
                filter_.method = filter_.method  # rebinds the method wrapper to this copy
            filter_.model = queryset.model
            filter_.parent = self

    def filter_queryset(self, queryset):
        """django-filter's loop over the cleaned values, without the filters nobody asked for.

        Their values are empty and they would change nothing, but testing an empty queryset
        value (``if not themes``) compiles a query, a few ms per request for the unused ones.
        """
        for name, value in self.form.cleaned_data.items():
            if self.is_named(name):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def is_named(self, name: str) -> bool:
        """Whether the request gives the filter a value (a range filter's widget reads suffixed
        parameters: name_min, name_after …)."""
        key = f"{self.form_prefix}-{name}" if self.form_prefix else name
        if issubclass(self.filters[name].field_class, forms.MultiValueField):
            return any(given == key or given.startswith(key + "_") for given in self.data)
        return key in self.data

    def get_form_class(self):
        """django-filter's form, of the named filters only when ``named_only``: building, copying
        and cleaning a field for each of the other filters (all empty) cost ~2.5 ms a request."""
        if not self.named_only:
            return super().get_form_class()
        fields = {name: filter_.field for name, filter_ in self.filters.items() if self.is_named(name)}
        return type(f"{type(self).__name__}Form", (self._meta.form,), fields)

    @classmethod
    def filter_noop(cls, queryset, name, value):
        """For parameters read by other filters (e.g. ``region_role``)."""
        return queryset


class StrictBooleanField(forms.Field):
    """true/false (also 1/0, yes/no); anything else is an error rather than silently ignored."""

    TRUE, FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError("必须是 true 或 false (must be true or false)")


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField
