"""The "Access" tab of a record page in sections that use record rights: who sees the record through which grant,
and sharing it (for who has full rights on it)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from crm import access
from crm.sections import registry

from .. import grants
from ..forms import ShareForm
from ..models import RecordGrant


def access_tab(request, section, record):
    """The tab's content; the record passed the read check of the generic tab view."""
    content_type = ContentType.objects.get_for_model(record, for_concrete_model=True)
    record_grants = (
        RecordGrant.objects.filter(content_type=content_type, object_id=record.pk)
        .select_related("user", "role", "granted_by")
        .order_by("id")
    )
    context = {
        "section": section,
        "object": record,
        "grants": record_grants,
        "default_grants": grants.default_grants_of(record),
        "may_share": grants.may_share(request.user, record),
        "full_rights": access.has_full_rights(request.user, record),
        "form": ShareForm(),
    }
    return render(request, "access/_record_access_tab.html", context)


def _record(request, section_name: str, pk: int):
    try:
        section = registry.get(section_name)
    except KeyError:
        raise Http404("No such section.")
    return section, access.get_object_or_404(request.user, section.get_queryset(), "read", pk=pk)


def _back(section, record):
    return redirect(section.url("detail", record.pk) + "?tab=access")


@require_POST
def share(request, section: str, pk: int):
    section, record = _record(request, section, pk)
    form = ShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return _back(section, record)
    try:
        grants.share_record(
            user=request.user,
            obj=record,
            level=form.cleaned_data["level"],
            grantee_user=form.cleaned_data["user"],
            grantee_role=form.cleaned_data["role"],
            can_delegate=form.cleaned_data["can_delegate"],
        )
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, "Shared.")
    return _back(section, record)


@require_POST
def revoke(request, section: str, pk: int, grant: int):
    section, record = _record(request, section, pk)
    content_type = ContentType.objects.get_for_model(record, for_concrete_model=True)
    grant = get_object_or_404(RecordGrant, pk=grant, content_type=content_type, object_id=record.pk)
    try:
        grants.revoke_grant(user=request.user, grant=grant, obj=record)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "No longer shared.")
    return _back(section, record)
