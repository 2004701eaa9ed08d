"""The size of an upload is checked from its Content-Length before a byte of the body is read: a 30 MB file
posted where 10 MB are accepted is refused at once, not after it was read (and written to a temporary file)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve

#: what the rest of a multipart body may add to the file (the other fields, the boundaries)
FORM_OVERHEAD_BYTES = 1024 * 1024
DEFAULT_LIMIT_SETTING = "ATTACHMENT_MAX_BYTES"


def uploads_up_to(setting_name: str) -> Callable:
    """Mark a function view as taking files up to the named setting (the default is ATTACHMENT_MAX_BYTES); a class
    view sets `upload_limit_setting` instead."""

    def mark(view):
        view.upload_limit_setting = setting_name
        return view

    return mark


def _limit_setting(path: str) -> str:
    try:
        view = resolve(path).func
    except Resolver404:
        return DEFAULT_LIMIT_SETTING
    view_class = getattr(view, "view_class", None)
    return getattr(view, "upload_limit_setting", None) or getattr(
        view_class, "upload_limit_setting", DEFAULT_LIMIT_SETTING
    )


class RefuseOversizedUploadsMiddleware:
    """First in the chain: the CSRF check reads a posted form, so this must run before it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > FORM_OVERHEAD_BYTES:  # a small body is never worth the look-up
            limit = int(getattr(settings, _limit_setting(request.path_info)))
            if length > limit + FORM_OVERHEAD_BYTES:
                message = (
                    f"The upload is {filesizeformat(length)}; files up to {filesizeformat(limit)} are accepted here. "
                    "Nothing was saved: choose a smaller file and try again."
                )
                # sessions and users are not loaded yet: a page of its own, not one from base.html
                return HttpResponse(render_to_string("413.html", {"message": message}), status=413)
        return self.get_response(request)
