"""Rendering a print form: the sandboxed template to HTML, the HTML to PDF (xhtml2pdf, pure Python)."""

from __future__ import annotations

import io
from pathlib import Path

from django.utils.text import slugify

from crm.sections.registry import Section

from . import sandbox, selectors
from .models import PrintForm

#: DejaVu Sans (crm/printing/fonts, with its licence): Latin, Greek and Cyrillic, where Helvetica has Latin-1 only
FONTS = Path(__file__).resolve().parent / "fonts"
FONT_SCHEME = "crm-font:"
#: every form prints in DejaVu Sans, also one that names Helvetica or Arial (the seeded forms of old did)
FONT_FACES = "".join(
    f'@font-face {{ font-family: "{family}"; {weight} src: url("{FONT_SCHEME}{file}"); }}\n'
    for family in ("DejaVu Sans", "Helvetica", "Arial", "sans-serif")
    for weight, file in (("", "DejaVuSans.ttf"), ("font-weight: bold;", "DejaVuSans-Bold.ttf"))
)


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
    from xhtml2pdf.config.resources import ResourceAccessPolicy
    from xhtml2pdf.default import DEFAULT_CSS

    html = render_html(user=user, section=section, record=record, form=form)
    output = io.BytesIO()
    # nothing from the network, no file but our fonts: a form's images are data: URIs (the logo)
    status = pisa.CreatePDF(
        html,
        dest=output,
        encoding="utf-8",
        link_callback=_only_our_fonts,
        default_css=DEFAULT_CSS + FONT_FACES + 'body { font-family: "DejaVu Sans"; }',
        resource_policy=ResourceAccessPolicy.server(FONTS, allow_remote=False),
    )
    if status.err:
        raise PrintFormError(f"The print form “{form.name}” could not be turned into a PDF.")
    return output.getvalue()


def _only_our_fonts(uri: str, rel: str) -> str:
    """Our fonts by name, data: URIs as they are, nothing else."""
    if uri.startswith(FONT_SCHEME):
        font = (FONTS / uri.removeprefix(FONT_SCHEME)).resolve()
        return str(font) if font.parent == FONTS and font.suffix == ".ttf" and font.is_file() else ""
    if uri.startswith("data:image/"):
        return uri
    return ""


def filename(section: Section, record) -> str:
    number = getattr(record, section.number_field, "") if section.number_field else ""
    return f"{slugify(number or str(record))[:80] or section.name}.pdf"
