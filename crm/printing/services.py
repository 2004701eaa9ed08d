"""Rendering a print form: the sandboxed template to HTML, the HTML to PDF (xhtml2pdf, pure Python)."""

from __future__ import annotations

import io

from django.utils.text import slugify

from crm.sections.registry import Section

from . import sandbox, selectors
from .models import PrintForm


class PrintFormError(Exception):
    """The print form cannot be rendered; the message says why, for the user and the admin."""


def render_html(*, user, section: Section, record, form: PrintForm) -> str:
    try:
        return sandbox.render(form.template, selectors.print_context(user, section, record))
    except sandbox.TemplateSyntaxError as error:
        raise PrintFormError(f"The print form “{form.name}” has an error in its template: {error}")
    except (ValueError, TypeError, ArithmeticError, AttributeError) as error:
        # a filter given a value it cannot take: the admin's template, not the server, is at fault
        raise PrintFormError(f"The print form “{form.name}” could not be filled in: {error}")


def render_pdf(*, user, section: Section, record, form: PrintForm) -> bytes:
    """The record printed with `form`, as PDF bytes. The caller has checked the user may read the record."""
    from xhtml2pdf import pisa

    html = render_html(user=user, section=section, record=record, form=form)
    output = io.BytesIO()
    # no link_callback: images and stylesheets from files or the network are not fetched
    status = pisa.CreatePDF(html, dest=output, encoding="utf-8", link_callback=_no_resources)
    if status.err:
        raise PrintFormError(f"The print form “{form.name}” could not be turned into a PDF.")
    return output.getvalue()


def _no_resources(uri: str, rel: str) -> str:
    return ""


def filename(section: Section, record) -> str:
    number = getattr(record, section.number_field, "") if section.number_field else ""
    return f"{slugify(number or str(record))[:80] or section.name}.pdf"
