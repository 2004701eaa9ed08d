"""A type-ahead lookup widget: renders only the chosen option; static/js/lookup.js searches the rest."""

from django import forms


class LookupSelect(forms.Select):
    """A <select> for a foreign key to a large table. It never renders the whole table as options."""

    def __init__(self, lookup_url: str, attrs=None):
        super().__init__(attrs={**(attrs or {}), "data-lookup-url": lookup_url})
        self.lookup_url = lookup_url

    def optgroups(self, name, value, attrs=None):
        chosen = {str(v) for v in value if str(v).isdigit()}
        groups = [(None, [self.create_option(name, "", "—", not chosen, 0)], 0)]
        queryset = getattr(self.choices, "queryset", None)
        if chosen and queryset is not None:
            for index, obj in enumerate(queryset.filter(pk__in=list(chosen)), start=1):
                groups.append((None, [self.create_option(name, str(obj.pk), str(obj), True, index)], index))
        return groups


def use_lookup_widget(field: forms.ModelChoiceField, section) -> None:
    """Give a form field over `section`'s records the type-ahead widget (only the chosen row is rendered)."""
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse(f"{section.name}:lookup")
    except NoReverseMatch:
        url = ""
    field.widget = LookupSelect(lookup_url=url, attrs={"class": "form-select"})
    field.widget.choices = field.choices
