"""The top bar's global search."""

from django.shortcuts import render

from ..search import grouped, search


def global_search(request):
    text = request.GET.get("q", "")
    current = request.GET.get("section") or None
    template = "sections/_search_results.html" if request.htmx else "sections/search.html"
    # the page shows where an article holds the words; the top bar's short list, the names alone
    hits = search(request.user, text, current_section=current, passages=not request.htmx)
    context = {"q": text, "hits": hits, "groups": grouped(hits), "too_short": 0 < len(text.strip()) < 2}
    return render(request, template, context)
