"""The PDF of a record printed with a print form, and the Print tab listing a section's forms."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render

from crm import access
from crm.sections import registry as sections

from . import selectors, services


def record_tab(request, section, record):
    """The Print tab (`RecordTab.view`): the section's forms, each opening the record's PDF."""
    return render(
        request,
        "printing/_record_tab.html",
        {"section": section, "object": record, "forms": selectors.forms_for(section.name)},
    )


def pdf(request, section: str, pk: int, form: int):
    try:
        section_ = sections.get(section)
    except KeyError:
        raise Http404("No such section.")
    if not access.can(request.user, "read", section_):
        raise Http404("No such record.")
    record = access.get_object_or_404(request.user, section_.get_queryset(), pk=pk)
    print_form = selectors.forms_for(section_.name).filter(pk=form).first()
    if print_form is None:
        raise Http404("No such print form.")
    try:
        content = services.render_pdf(user=request.user, section=section_, record=record, form=print_form)
    except services.PrintFormError as error:
        return render(
            request,
            "printing/print_error.html",
            {"section": section_, "object": record, "form": print_form, "message": str(error)},
            status=422,
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{services.filename(section_, record)}"'
    return response
