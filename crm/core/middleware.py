"""Request checks that hold for every page: a null character in the query string is refused with a message."""

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
