"""Shared bits of the generic views."""

from __future__ import annotations

from django.http import Http404
from django.views import View

from crm import access

from ..registry import Section


class SectionView(View):
    """A view bound to one section (passed by `Section.get_urls`)."""

    section: Section = None  # type: ignore[assignment]
    required_action = "read"

    def dispatch(self, request, *args, **kwargs):
        # An object right missing for the whole section answers 404 as for a missing record: nothing leaks.
        if not access.can(request.user, self.required_action, self.section):
            raise Http404("No such page.")
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, action: str = "read"):
        return access.get_object_or_404(self.request.user, self.section.get_queryset(), action, pk=self.kwargs["pk"])

    def base_context(self, **extra) -> dict:
        return {"section": self.section, **extra}


def parse_ids(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()][:10_000]
