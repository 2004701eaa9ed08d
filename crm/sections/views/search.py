"""The top bar's global search."""

from django.shortcuts import render

from ..search import search


def global_search(request):
    text = request.GET.get("q", "")
    current = request.GET.get("section") or None
    hits = search(request.user, text, current_section=current)
    template = "sections/_search_results.html" if request.htmx else "sections/search.html"
    return render(request, template, {"q": text, "hits": hits, "too_short": 0 < len(text.strip()) < 2})
