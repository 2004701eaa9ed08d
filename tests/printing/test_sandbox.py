"""The print form template language: Django's, autoescaped, without anything that reaches outside the context."""

import pytest
from django.core.exceptions import ValidationError

from crm.printing import sandbox
from crm.printing.models import PrintForm


@pytest.mark.parametrize(
    "source",
    [
        "{% load static %}",
        "{% load i18n %}",
        '{% include "base.html" %}',
        '{% extends "base.html" %}',
        "{% debug %}",
        '{% url "home" %}',
        "{{ record|pprint }}",
    ],
)
def test_the_sandbox_refuses_tags_that_reach_outside_the_context(source):
    with pytest.raises(sandbox.TemplateSyntaxError):
        sandbox.compile_template(source)


def test_values_are_escaped():
    assert sandbox.render("<p>{{ name }}</p>", {"name": "<script>alert(1)</script>"}) == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )


def test_the_ordinary_tags_and_filters_work():
    source = "{% for line in lines %}{{ forloop.counter }}. {{ line.total|floatformat:2 }}{% endfor %}"

    assert sandbox.render(source, {"lines": [{"total": 12.5}]}) == "1. 12.50"


def test_an_admin_cannot_save_a_template_with_an_error(db):
    form = PrintForm(section="opportunities", name="Broken", template="{% for x in y %}")

    with pytest.raises(ValidationError) as error:
        form.full_clean()

    assert "template" in error.value.message_dict


def test_an_admin_edits_the_seeded_forms(client, ada):
    from django.urls import reverse

    form = PrintForm.objects.get(section="opportunities", is_default=True)
    client.force_login(ada)

    assert client.get(reverse("admin:printing_printform_change", args=[form.pk])).status_code == 200
