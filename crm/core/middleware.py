"""Request checks that hold for every page: a null character in the query string is refused with a message; a form's
errors reach htmx as a page, not as a failed request."""

from __future__ import annotations

from django.shortcuts import render

NULL_CHARACTER_MESSAGE = (
    "The address holds a null character (%00), which no search or filter can take. Remove it and try again."
)


class RefuseNullCharactersMiddleware:
    """PostgreSQL cannot hold a null character in a string: a search, a filter or a sort with one would end in a
    database error on every list and lookup. Forms refuse it field by field (Django's CharField does); query
    parameters are refused here, once for all of them, after the login check (a visitor logs in first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
            return render(request, "400.html", {"message": NULL_CHARACTER_MESSAGE}, status=400)
        return None


class FormErrorsAsPagesMiddleware:
    """A form sent again with its errors answers 422, the status a client, a test or the API should see. To the
    browser the same page is a 200: Chromium logs every 4xx answer of a navigation or of a request in its console
    as a failed request, and htmx 2 neither swaps one in nor stays quiet about it, so a person who mistyped a value
    saw a failed request in the console. A navigation says so itself (Sec-Fetch-Mode, sent by every browser), htmx
    by its HX-Request header. Only HTML answers change; a JSON 422 (the kanban's, the calendar's) stays a 422."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 422
            and response.get("Content-Type", "").startswith("text/html")
            and (getattr(request, "htmx", False) or request.headers.get("Sec-Fetch-Mode") == "navigate")
        ):
            response.status_code = 200
            response.reason_phrase = "OK"
        return response
