"""The section wizard's pages: the runtime sections, a new one, its settings, retiring and restoring it. Its
fields are edited on the designer's page of the section (crm.designer.views.section_fields), as any section's.
Every page needs the `designer` operation right; without it, they do not exist."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from crm import access

from . import section_services
from .section_models import CustomSection


def _authorise(request) -> None:
    if not access.can(request.user, "designer"):
        raise Http404("No such page.")


class CustomSectionForm(forms.ModelForm):
    class Meta:
        model = CustomSection
        fields = ("title", "title_singular", "code", "icon", "position", "name_label", "number_mask", "approvals")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title_singular"].required = False
        if self.instance.pk:
            del self.fields["code"]  # it names the table, the address and the rights
            if self.instance.approvals:
                self.fields["approvals"].disabled = True

    def validate_unique(self) -> None:
        """The service checks the code against sections, addresses and retired sections alike."""


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def sections_list(request):
    _authorise(request)
    rows = CustomSection.objects.order_by("-is_active", "position", "title")
    return render(request, "designer/sections/list.html", {"rows": rows})


def section_form(request, pk: int | None = None):
    _authorise(request)
    row = get_object_or_404(CustomSection, pk=pk) if pk is not None else None
    form = CustomSectionForm(request.POST or None, instance=row or CustomSection())
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data or row is None}
            try:
                if row is None:
                    saved = section_services.create_section(user=request.user, **values)
                    messages.success(request, f"Section “{saved.title}” made: now add its fields.")
                    return redirect("designer:section", saved.code)
                values.pop("code", None)
                saved = section_services.change_section(user=request.user, section=row, **values)
                messages.success(request, f"Section “{saved.title}” saved.")
                return redirect("designer:custom_sections")
            except ValidationError as error:
                _apply_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
                status = 403
    return render(request, "designer/sections/form.html", {"form": form, "row": row}, status=status)


@require_POST
def section_active(request, pk: int):
    _authorise(request)
    row = get_object_or_404(CustomSection, pk=pk)
    active = request.POST.get("active") == "1"
    section_services.set_section_active(user=request.user, section=row, active=active)
    word = "restored" if active else "retired (its records are kept)"
    messages.success(request, f"Section “{row.title}” {word}.")
    return redirect("designer:custom_sections")
