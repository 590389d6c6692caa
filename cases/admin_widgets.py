"""Autocomplete widgets that do not cost a query per inline row.

Django's AutocompleteSelect looks up the selected object of every row with its
own query; on an article with 30 figures that is 60 queries for region and
metric. The inline's queryset already joins those objects, so the form hands
them to the widget and the widget renders from them.
"""

from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect


class PrefetchedAutocompleteSelect(AutocompleteSelect):
    #: {str(pk): object} for the values this widget may be rendered with; None = unknown.
    known = None

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if self.known is None or not selected <= set(self.known):
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for pk in sorted(selected):
            label = self.choices.field.label_from_instance(self.known[pk])
            options.append(self.create_option(name, pk, label, selected, len(options)))
        return [(None, options, 0)]


def share_related_objects(form, field_names):
    """Give the autocomplete widgets of ``form`` the related objects its instance holds."""
    instance = form.instance
    for name in field_names:
        field = form.fields.get(name)
        if field is None:
            continue
        widget = getattr(field.widget, "widget", field.widget)  # unwrap RelatedFieldWidgetWrapper
        if not isinstance(widget, PrefetchedAutocompleteSelect):
            continue
        model_field = instance._meta.get_field(name)
        if getattr(instance, model_field.attname) is None:
            widget.known = {}
        elif model_field.is_cached(instance):
            related = getattr(instance, name)
            widget.known = {str(related.pk): related}


class PrefetchedAutocompleteMixin:
    """For admins and inlines: autocomplete fields use PrefetchedAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = PrefetchedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """Lets a ModelAdmin word its autocomplete results (``autocomplete_label(obj)``).

    Regions need it: 七星街道 exists in several provinces, so the list shows the
    code and the path, not just the name.
    """

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result
