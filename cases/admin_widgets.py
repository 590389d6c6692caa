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


# ---------------------------------------------------------------- fast rendering for inline rows
#
# An article with 50 figures renders about a thousand widgets; through the template engine
# that is most of the page's time. These widgets write the same HTML as Django's
# input.html / select.html templates directly.

from django import forms  # noqa: E402
from django.utils.html import escape  # noqa: E402
from django.utils.safestring import mark_safe  # noqa: E402


def _attrs_html(attrs):
    """Like Django's attrs.html: True → bare attribute, False/None → left out."""
    return "".join(
        f" {key}" if value is True else f' {key}="{escape(value)}"'
        for key, value in attrs.items() if value is not False and value is not None
    )


class FastInputMixin:
    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        if isinstance(self, forms.CheckboxInput):
            if self.check_test(value):
                final["checked"] = True
            value = None
        else:
            value = self.format_value(value)
        value_html = "" if value is None else f' value="{escape(value)}"'
        return mark_safe(f'<input type="{self.input_type}" name="{escape(name)}"{value_html}{_attrs_html(final)}>')


class FastTextInput(FastInputMixin, forms.TextInput):
    pass


class FastNumberInput(FastInputMixin, forms.NumberInput):
    pass


class FastHiddenInput(FastInputMixin, forms.HiddenInput):
    pass


class FastCheckboxInput(FastInputMixin, forms.CheckboxInput):
    pass


class FastAutocompleteSelect(PrefetchedAutocompleteSelect):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = "".join(
            f'<option value="{escape(o["value"])}"{" selected" if o["selected"] else ""}>{escape(o["label"])}</option>'
            for _group, group_options, _i in widget["optgroups"] for o in group_options
        )
        return mark_safe(f'<select name="{escape(widget["name"])}"{_attrs_html(widget["attrs"])}>{options}</select>')


FAST_WIDGETS = [
    (PrefetchedAutocompleteSelect, FastAutocompleteSelect),
    (forms.HiddenInput, FastHiddenInput),
    (forms.CheckboxInput, FastCheckboxInput),
    (forms.NumberInput, FastNumberInput),
    (forms.TextInput, FastTextInput),
]


def speed_up_widgets(form):
    """Swap a form's plain widgets for the fast ones (same attributes, same HTML).

    Only widgets that render through their base class's own template and render()
    are swapped (the admin's vTextField/vIntegerField inputs are such: they only add
    CSS classes, which live on the instance).
    """
    for field in form.fields.values():
        widget = field.widget
        for base, fast in FAST_WIDGETS:
            if (isinstance(widget, base) and not isinstance(widget, fast)
                    and widget.template_name == base.template_name and type(widget).render is base.render):
                widget.__class__ = fast
                break
