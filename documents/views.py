"""The documents' own pages: the Files tab with the upload of a new version, and the download of any version,
through the document's access check (media is never served directly)."""

from __future__ import annotations

import mimetypes

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crm import access

from . import services
from .models import Document


def _document(user, pk: int, action: str = "read") -> Document:
    return access.get_object_or_404(user, services.section().get_queryset(), action, pk=pk)


def files_tab(request, section, record):
    """The Files tab of a document: every version, newest first, and the upload of the next one."""
    context = {
        "section": section,
        "object": record,
        "versions": list(record.files.select_related("uploaded_by")),
        "can_edit": access.can(request.user, "edit", record),
        "max_size": settings.ATTACHMENT_MAX_BYTES,
        "extensions": settings.ATTACHMENT_ALLOWED_EXTENSIONS,
    }
    return render(request, "documents/_files_tab.html", context)


@require_POST
def file_upload(request, pk: int):
    document = _document(request.user, pk, "edit")
    try:
        version = services.add_file_version(
            user=request.user,
            document=document,
            uploaded=request.FILES.get("file"),
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Version {version.version} added.")
    return redirect(document.get_absolute_url() + "?tab=document_files")


def file_download(request, pk: int, version: int):
    """A version of the document's file: only for who may read the document; the same 404 otherwise."""
    document = _document(request.user, pk, "read")
    stored = document.files.filter(version=version).first()
    if stored is None or not stored.file or not stored.file.storage.exists(stored.file.name):
        raise Http404("No such file.")
    content_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
