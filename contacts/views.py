"""The Contacts section's own pages: vCard export (one contact, or the list's selection) and vCard import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from crm import access
from crm.sections.views.common import SectionView, parse_ids

from . import selectors, services, vcard
from .forms import VCardImportForm


def vcard_response(user, section, contacts, filename: str) -> HttpResponse:
    """The contacts' vCards, with the fields `user` may see: a vCard is an export."""
    fields = access.fields_for(user, section, "read")
    response = HttpResponse(
        vcard.render(selectors.to_card(contact, fields) for contact in contacts),
        content_type="text/vcard; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.vcf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class VCardView(SectionView):
    """One contact's vCard: an export like the selection's, for who holds the export right."""

    def get(self, request, *args, **kwargs):
        if not access.can(request.user, "export"):
            raise Http404("No such page.")
        contact = access.get_object_or_404(
            request.user, selectors.for_vcards(self.section.get_queryset()), pk=kwargs["pk"]
        )
        return vcard_response(request.user, self.section, [contact], slugify(contact.full_name) or "contact")


class VCardExportView(SectionView):
    """The vCards of the contacts selected in the list (those the user may see)."""

    def post(self, request, *args, **kwargs):
        if not access.can(request.user, "export"):
            raise Http404("No such page.")
        ids = parse_ids(request.POST.getlist("ids"))
        contacts = access.visible(request.user, selectors.for_vcards(self.section.get_queryset())).filter(pk__in=ids)
        if not ids:
            messages.warning(request, "Select at least one contact first.")
            return redirect(self.section.url("list"))
        return vcard_response(request.user, self.section, contacts.order_by("full_name", "pk"), "contacts")


class VCardImportView(SectionView):
    """Upload a .vcf file; its cards become contacts, all or none."""

    required_action = "create"
    template_name = "contacts/contact_vcard_import.html"

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self.base_context(form=VCardImportForm()))

    def post(self, request, *args, **kwargs):
        form = VCardImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                contacts = services.import_vcards(user=request.user, data=form.cleaned_data["file"].read())
            except (ValidationError, PermissionDenied) as error:
                form.add_error("file", getattr(error, "messages", None) or [str(error)])
            else:
                messages.success(request, f"{len(contacts)} contact(s) imported.")
                if len(contacts) == 1:
                    return redirect(self.section.url("detail", contacts[0].pk))
                return redirect(self.section.url("list") + "?sort=-created_at")
        return render(request, self.template_name, self.base_context(form=form), status=422)
