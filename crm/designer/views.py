"""The system designer: a hub of the administrator's tools, and the custom fields of each section (list, add,
change, retire). Every page needs the `designer` operation right; without it, they do not exist."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from crm import access
from crm.sections import registry

from . import services
from .forms import FieldDefinitionForm
from .models import FieldDefinition

#: the administrator's other tools: (URL name, label, icon, description, the operation right that opens it)
TOOLS = (
    ("designer:custom_sections", "Section wizard", "bi-grid-1x2", "New sections, made at runtime", "designer"),
    ("designer:lookups", "Lookups", "bi-list-ul", "Every lookup table: values, order, merges", "manage_lookups"),
    (
        "designer:configuration",
        "Configuration as data",
        "bi-filetype-json",
        "Export the designer's configuration; import it with a dry run",
        "designer",
    ),
    ("imports:list", "Data import", "bi-file-earmark-arrow-up", "Excel and CSV into any section", "import"),
    ("duplicates:index", "Duplicates", "bi-intersect", "Rules, searches and merges", "merge_duplicates"),
    ("access:users", "Users and rights", "bi-people", "Roles; object, record and column rights", "manage_users"),
    (
        "approvals:routes",
        "Approval routes",
        "bi-signpost-split",
        "Who approves orders, invoices, contracts",
        "designer",
    ),
)


def _authorise(request) -> None:
    if not access.can(request.user, "designer"):
        raise Http404("No such page.")


def index(request):
    _authorise(request)
    counts = Counter(FieldDefinition.objects.filter(is_active=True).values_list("section", flat=True))
    sections = [(section, counts.get(section.name, 0)) for section in registry.all_sections()]
    tools = [tool[:4] for tool in TOOLS if access.can(request.user, tool[4])]
    return render(request, "designer/index.html", {"sections": sections, "tools": tools})


def section_fields(request, section_name: str):
    _authorise(request)
    section = registry.get_or_404(section_name)
    fields = FieldDefinition.objects.filter(section=section.name).order_by("-is_active", "position", "id")
    return render(request, "designer/section.html", {"section": section, "fields": fields})


class SectionFieldForm(FieldDefinitionForm):
    """The definition form on a section's page: the section is the page's."""

    section = None

    class Meta(FieldDefinitionForm.Meta):
        fields = tuple(name for name in FieldDefinitionForm.Meta.fields if name != "section")


def field_form(request, section_name: str = "", pk: int | None = None):
    _authorise(request)
    definition = None
    if pk is not None:
        definition = FieldDefinition.objects.filter(pk=pk).first()
        if definition is None:
            raise Http404("No such field.")
        section_name = definition.section
    section = registry.get_or_404(section_name)
    if definition is None:
        definition_or_new = FieldDefinition(section=section.name, position=services.next_position(section.name))
    else:
        definition_or_new = definition
    form = SectionFieldForm(request.POST or None, instance=definition_or_new)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k != "code"}
            try:
                if definition is None:
                    saved = services.add_field(
                        user=request.user, section=section.name, code=form.cleaned_data["code"], **values
                    )
                    messages.success(request, f"Field “{saved.label}” added to {section.title}.")
                else:
                    saved = services.change_field(user=request.user, definition=definition, **values)
                    messages.success(request, f"Field “{saved.label}” saved.")
            except ValidationError as error:
                for field, errors in error.message_dict.items() if hasattr(error, "error_dict") else ():
                    form.add_error(field if field in form.fields else None, errors)
                if not hasattr(error, "error_dict"):
                    form.add_error(None, error.messages)
            except PermissionDenied as error:
                form.add_error(None, str(error))
                status = 403
            else:
                return redirect("designer:section", section.name)
    context = {"section": section, "form": form, "definition": definition}
    return render(request, "designer/field_form.html", context, status=status)
