"""Tags in every section: the record page's tags (added and removed in place with htmx) and the section's tag
management screen (colour, rename, delete; private and corporate)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from crm import access

from .. import tags
from ..models import Tag
from .common import SectionView


def _refusal_text(error: Exception) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


class RecordTagsView(SectionView):
    """The tags of one record: GET the card, POST `action=add` with `names` ("VIP, Hot lead": unknown names become
    the user's private tags) or `action=remove` with `tag` (an id). htmx swaps the card; a plain post goes back."""

    def get(self, request, *args, **kwargs):
        return self.render_card(self.get_object())

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        action = request.POST.get("action", "")
        error = ""
        try:
            if action == "add":
                tags.tag_record(user=request.user, section=self.section, obj=obj, names=request.POST.get("names", ""))
            elif action == "remove":
                tags.untag_record(user=request.user, section=self.section, obj=obj, tag=request.POST.get("tag", ""))
            else:
                raise ValidationError("Unknown action.")
        except (ValidationError, PermissionDenied) as refusal:
            error = _refusal_text(refusal)
        if not request.htmx:
            if error:
                messages.error(request, error)
            return redirect(self.section.url("detail", obj.pk))
        # htmx swaps only a successful answer: the refusal is shown in the card, which is redrawn as it is
        return self.render_card(obj, error=error)

    def render_card(self, obj, *, error: str = ""):
        context = record_tags_context(self.request.user, self.section, obj)
        context.update(object=obj, tag_error=error, section=self.section)
        return render(self.request, "sections/_record_tags.html", context)


def record_tags_context(user, section, obj) -> dict:
    """What the record page's tags card shows: the tags the user sees on `obj` and those they could add (one
    query)."""
    page = tags.page_tags(user, section, [obj.pk])
    on_record = page.by_record.get(obj.pk, [])
    corporate_allowed = access.can(user, "edit", obj)
    return {
        "record_tags": on_record,
        "tag_choices": [t for t in page.tags if t not in on_record],
        "may_remove": {t.pk for t in on_record if t.private or corporate_allowed},
    }


class TagListView(SectionView):
    """The section's tags: the user's private ones and the corporate ones; create (POST)."""

    def get(self, request, *args, **kwargs):
        return self.render_page()

    def post(self, request, *args, **kwargs):
        corporate = request.POST.get("kind") == "corporate"
        try:
            tag = tags.create_tag(
                user=request.user,
                section=self.section,
                name=request.POST.get("name", ""),
                colour=request.POST.get("colour", ""),
                corporate=corporate,
            )
        except (ValidationError, PermissionDenied) as refusal:
            return self.render_page(error=_refusal_text(refusal), status=422)
        messages.success(request, f"Tag “{tag}” created.")
        return redirect(self.section.url("tags"))

    def render_page(self, *, error: str = "", status: int = 200):
        user = self.request.user
        visible = list(tags.visible_tags(user, self.section).order_by("name", "pk"))
        context = self.base_context(
            private_tags=[t for t in visible if t.private],
            corporate_tags=[t for t in visible if not t.private],
            can_manage_corporate=access.can(user, "manage_corporate_tags"),
            colours=Tag.Colour.choices,
            tag_error=error,
        )
        return render(self.request, "sections/tags.html", context, status=status)


class TagView(SectionView):
    """POST `action=change` (name, colour) or `action=delete` to one tag the user sees and may manage."""

    def post(self, request, *args, **kwargs):
        tag = get_object_or_404(tags.visible_tags(request.user, self.section), pk=kwargs["tag"])
        action = request.POST.get("action", "")
        try:
            if action == "delete":
                tags.delete_tag(user=request.user, tag=tag)
                messages.success(request, f"Tag “{tag}” deleted; its records are untouched.")
            elif action == "change":
                tags.rename_tag(
                    user=request.user, tag=tag, name=request.POST.get("name", ""), colour=request.POST.get("colour", "")
                )
                messages.success(request, f"Tag “{tag}” saved.")
            else:
                messages.error(request, "Unknown action.")
        except (ValidationError, PermissionDenied) as refusal:
            messages.error(request, _refusal_text(refusal))
        return redirect(self.section.url("tags"))
