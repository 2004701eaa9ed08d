"""One record: detail page with tabs, create/edit with optimistic locking, delete with a dependency check,
attachments, notes and the change log."""

from __future__ import annotations

import mimetypes
import os

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from crm import access
from crm.designer import layouts
from crm.designer import rules as business_rules
from crm.duplicates import hooks as duplicate_hooks
from crm.duplicates import selectors as duplicate_selectors

from .. import deletion, registry, services, tags, timeline
from ..details import details_of
from ..forms import form_class_for
from ..models import Attachment, ChangeLogEntry, Note
from ..related import counts as related_counts
from ..related import related_lists
from . import details as details_views
from .common import SectionView
from .tags import record_tags_context

BUILTIN_TABS = (
    ("timeline", "Timeline"),
    ("attachments", "Attachments"),
    ("notes", "Notes"),
    ("history", "Change log"),
)


def record_tabs(section, user) -> list[tuple[str, str]]:
    """The section's details and related lists, then tabs apps give every section (feed, ...), then the built-in
    ones."""
    tabs = [(tab.name, tab.title) for tab in section.detail_tabs]
    tabs += [(related.tab.name, related.tab.title) for related in related_lists(user, section)]
    tabs += [(tab.name, tab.title) for tab in registry.record_tabs_for(section)]
    tabs += [t for t in BUILTIN_TABS if t[0] != "history" or access.can(user, "view_change_log")]
    return tabs


#: a record page shows this many tabs in a row at most; when it has more, the first SHOWN_TABS and a "More" menu
MAX_TABS = 8
SHOWN_TABS = 6


def fold_tabs(tabs: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The tabs shown in a row and those folded into the "More" menu (none when all fit)."""
    if len(tabs) <= MAX_TABS:
        return tabs, []
    return tabs[:SHOWN_TABS], tabs[SHOWN_TABS:]


def detail_groups(section, user, obj) -> list[tuple[str, list]]:
    readable = section.readable_fields(user)
    arranged = layouts.record_groups(section, readable)  # the page designer's, when it has one
    if arranged is not None:
        return arranged
    groups = section.detail_fields or (("General", section.form_fields),)
    result = []
    for title, names in groups:
        fields = [section.opts.get_field(n) for n in names if n in readable]
        if fields:
            result.append((title, fields))
    custom = [f for f in section.custom_fields() if f.name in readable]
    if custom:
        result.append(("Additional information", custom))
    return result


class DetailView(SectionView):
    def get(self, request, *args, **kwargs):
        try:
            obj = self.get_object()
        except Http404:
            # a record merged into another leads to the survivor
            survivor = duplicate_selectors.survivor_url(section=self.section, user=request.user, old_id=kwargs["pk"])
            if survivor is None:
                raise
            return redirect(survivor)
        tabs = record_tabs(self.section, request.user)
        # how many records each related list holds, of those the user may see: one query for all of them
        tab_counts = related_counts(request.user, obj, related_lists(request.user, self.section))
        # a list the section did not declare (found in the registry) is shown once it holds something
        declared = {tab.name for tab in self.section.tabs}
        tabs = [(name, title) for name, title in tabs if name in declared or tab_counts.get(name) != 0]
        # the lists that hold nothing after those with records; the order is otherwise the section's
        tabs.sort(key=lambda tab: tab_counts.get(tab[0]) == 0)
        active = request.GET.get("tab") or (tabs[0][0] if tabs else "")
        shown, more = fold_tabs(tabs)
        context = self.base_context(
            object=obj,
            groups=detail_groups(self.section, request.user, obj),
            tabs=tabs,
            shown_tabs=shown,
            more_tabs=more,
            more_active=any(name == active for name, _ in more),
            tab_counts=tab_counts,
            active_tab=active if active in dict(tabs) else (tabs[0][0] if tabs else ""),
            can_edit=access.can(request.user, "edit", obj),
            can_delete=access.can(request.user, "delete", obj),
            record_actions=self.section.available_record_actions(request.user, obj),
            cards=record_cards(self.section, request.user, obj),
            panels=record_cards(self.section, request.user, obj, self.section.panels),
            actions=action_panel(self.section, request.user, obj),
            **record_tags_context(request.user, self.section, obj),
        )
        return render(request, "sections/detail.html", context)


def action_panel(section, user, obj) -> list[tuple[object, dict]]:
    """The actions apps give every record page (log a call, schedule a task, post to the feed) the user may do
    here, each with its template's context."""
    actions = []
    for action in registry.record_actions_for(section):
        context = action.context(user, section, obj)
        if context is not None:
            actions.append((action, {"object": obj, "section": section, **context}))
    return actions


def record_cards(section, user, obj, declared=None) -> list[tuple[str, dict]]:
    """The left column's cards the section declares (or its `panels`), each with its context; a card may leave
    itself out."""
    cards = []
    for card in section.cards if declared is None else declared:
        context = card.context(user, obj)
        if context is not None:
            cards.append((card.template, {"object": obj, "section": section, **context}))
    return cards


class TabView(SectionView):
    """A detail tab, loaded with htmx (and reachable on its own URL)."""

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        name = kwargs["tab"]
        context = self.base_context(object=obj, can_edit=access.can(request.user, "edit", obj), tab=name)
        content_type = ContentType.objects.get_for_model(obj)
        if name == "timeline":
            only = {k for k in request.GET.getlist("kind") if k in dict(timeline.kinds())}
            items = timeline.items_for(request.user, obj, only=only or None)
            context.update(items=items, kinds=timeline.kinds(), only=only)
            return render(request, "sections/tabs/_timeline.html", context)
        detail_tab = next((t for t in self.section.detail_tabs if t.name == name), None)
        if detail_tab is not None:
            cards = [details_views.card_context(request, self.section, obj, d) for d in detail_tab.details]
            return render(request, "sections/details/_tab.html", {**context, "cards": cards})
        contributed = next((t for t in registry.record_tabs_for(self.section) if t.name == name), None)
        if contributed is not None:
            return contributed.view(request, self.section, obj)
        if name == "attachments":
            context["attachments"] = Attachment.objects.filter(content_type=content_type, object_id=obj.pk)
            context["max_size"] = settings.ATTACHMENT_MAX_BYTES
            return render(request, "sections/tabs/_attachments.html", context)
        if name == "notes":
            context["notes"] = Note.objects.filter(content_type=content_type, object_id=obj.pk).select_related("author")
            return render(request, "sections/tabs/_notes.html", context)
        if name == "history":
            if not access.can(request.user, "view_change_log"):
                raise Http404("No such tab.")
            entries = list(
                ChangeLogEntry.objects.filter(content_type=content_type, object_id=obj.pk).select_related("user")[:200]
            )
            # column rights hold in the change log too: a hidden field's old and new values are not shown, nor the
            # rows of a detail some of whose values derive from a hidden field (a payment of a hidden amount)
            hidden = set(self.section.field_names()) - self.section.readable_fields(request.user)
            hidden |= {detail.title for detail in details_of(self.section) if detail.hidden_columns(request.user, obj)}
            if hidden:
                for entry in entries:
                    entry.changes = [c for c in entry.changes if c.get("field") not in hidden]
            context["entries"] = entries
            return render(request, "sections/tabs/_history.html", context)
        related = next((r for r in related_lists(request.user, self.section) if r.tab.name == name), None)
        if related is None:
            raise Http404("No such tab.")
        tab, related_section = related.tab, related.section
        queryset = related.queryset(request.user, obj)
        readable = access.fields_for(request.user, related_section, "read").readable if related_section else None
        columns = [c for c in tab.columns if readable is None or c.split("__")[0] in readable]
        context.update(
            related_section=related_section,
            rows=list(queryset[:100]),
            columns=[(c, related_section.label_for(c) if related_section else c) for c in columns],
            related_field=tab.relation,
            can_create_related=bool(related_section) and access.can(request.user, "create", related_section),
        )
        return render(request, "sections/tabs/_related.html", context)


class FormView(SectionView):
    """Create (no pk) or edit (pk) a record. A stale save is refused and both versions are shown."""

    template_name = "sections/form.html"

    @property
    def editing(self) -> bool:
        return "pk" in self.kwargs

    def dispatch(self, request, *args, **kwargs):
        self.required_action = "edit" if "pk" in kwargs else "create"
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None, instance=None):
        form_class = form_class_for(self.section, self.request.user, instance)
        initial = {}
        if instance is None:
            initial["owner"] = self.request.user.pk
            for key, value in self.request.GET.items():
                if key in form_class._meta.fields and value.isdigit():
                    initial[key] = value
        return form_class(
            data,
            files=self.request.FILES or None,
            instance=instance,
            user=self.request.user,
            section=self.section,
            initial=initial,
        )

    def get(self, request, *args, **kwargs):
        instance = self.get_object("edit") if self.editing else None
        return self.render(self.get_form(instance=instance), instance)

    def post(self, request, *args, **kwargs):
        instance = self.get_object("edit") if self.editing else None
        form = self.get_form(request.POST, instance=instance)
        if not form.is_valid():
            return self.render(form, instance, status=422)
        names = [*form._meta.fields, *form.custom_fields]
        data = {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}
        candidates = duplicate_hooks.candidates_before_save(
            request=request, section=self.section, data=data, instance=instance
        )
        if candidates:
            return self.render(form, instance, duplicate_candidates=candidates)
        try:
            # the record and its tags are saved together, or neither is
            with transaction.atomic():
                if instance is None:
                    obj = services.create_record(section=self.section, user=request.user, data=data)
                    saved = f"{self.section.title_singular.capitalize()} “{obj}” created."
                else:
                    version = form.cleaned_data.get("version") or instance.version
                    obj = services.update_record(
                        section=self.section, user=request.user, obj=instance, data=data, expected_version=version
                    )
                    saved = f"“{obj}” saved."
                if "tags" in form.fields:
                    tags.save_form_tags(
                        user=request.user,
                        section=self.section,
                        obj=obj,
                        chosen=form.cleaned_data["tags"],
                        new_names=form.cleaned_data["new_tags"],
                    )
            messages.success(request, saved)
        except services.StaleRecordError as stale:
            conflicts = []
            for name in names:
                field = self.section.field(name)
                theirs = services.display_value(stale.current, field)
                if name not in data or field.many_to_many:
                    mine = ""
                elif name in form.custom_fields:
                    mine = field.display(data[name])
                else:
                    mine = services.display_value(self.section.model(**{name: data[name]}), field)
                if mine != theirs:
                    conflicts.append((field.verbose_name, mine, theirs))
            form.data = form.data.copy()
            form.data["version"] = stale.current.version
            form.add_error(
                None,
                "Someone else saved this record after you opened it. Nothing was overwritten. "
                "Compare the two versions below; saving again will apply your values.",
            )
            return self.render(form, instance, status=409, conflicts=conflicts, current=stale.current)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
            return self.render(form, instance, status=422)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self.render(form, instance, status=403)
        duplicate_hooks.record_saved(obj)
        return redirect(self.section.url("detail", obj.pk))

    def render(self, form, instance, status=200, **extra):
        rules = business_rules.client_rules(self.section)
        context = self.base_context(form=form, object=instance, editing=self.editing, business_rules=rules, **extra)
        return render(self.request, self.template_name, context, status=status)


class DeleteView(SectionView):
    """Delete a record. Records that use it are listed; if the user may move them all, they choose another record
    of the section to move them to, and the record is deleted in the same transaction."""

    required_action = "delete"

    def get(self, request, *args, **kwargs):
        obj = self.get_object("delete")
        return self.render(obj)

    def post(self, request, *args, **kwargs):
        obj = self.get_object("delete")
        reassign = "target" in request.POST
        form = None
        try:
            if reassign:
                form = self.reassign_form(obj, request.POST)
                if not form.is_valid():
                    return self.render(obj, form=form, status=422)
                moved = deletion.delete_reassigning(user=request.user, obj=obj, target=form.cleaned_data["target"])
            else:
                services.delete_record(user=request.user, obj=obj)
        except (PermissionDenied, ValidationError) as refusal:
            text = " ".join(getattr(refusal, "messages", None) or [str(refusal)])
            if form is not None:
                # nothing was moved nor deleted: the page says why, with the choice kept
                form.add_error(None, text)
                return self.render(obj, form=form, status=422)
            # a locked record (waiting for approval): the page says why, nothing was deleted
            messages.error(request, text)
            return redirect(self.section.url("detail", obj.pk))
        except services.DependentRecordsError:
            messages.error(request, "This record is still used by other records; remove or reassign them first.")
            return self.render(obj, form=form, status=409)
        if reassign:
            target = form.cleaned_data["target"]
            messages.success(
                request, f"{moved} record{'s' if moved != 1 else ''} moved to “{target}”; “{obj}” deleted."
            )
        else:
            messages.success(request, f"“{obj}” deleted.")
        return redirect(self.section.url("list"))

    def reassign_form(self, obj, data=None):
        from ..forms import ReassignForm

        targets = deletion.reassignment_targets(user=self.request.user, obj=obj)
        return ReassignForm(data, section=self.section, targets=targets)

    def render(self, obj, form=None, status=200):
        plans = deletion.plans(user=self.request.user, obj=obj)
        can_reassign = bool(plans) and all(plan.reassignable for plan in plans)
        context = self.base_context(
            object=obj,
            plans=plans,
            dependents=[plan.dependent for plan in plans],
            can_reassign=can_reassign,
            form=(form or self.reassign_form(obj)) if can_reassign else None,
        )
        return render(self.request, "sections/delete.html", context, status=status)


class AttachmentCreateView(SectionView):
    required_action = "edit"

    def post(self, request, *args, **kwargs):
        obj = self.get_object("edit")
        try:
            services.add_attachment(
                user=request.user,
                obj=obj,
                uploaded=request.FILES.get("file"),
                url=request.POST.get("url", "").strip(),
                name=request.POST.get("name", "").strip(),
            )
            messages.success(request, "Attachment added.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as error:
            messages.error(request, str(error))
        return redirect(self.section.url("detail", obj.pk) + "?tab=attachments")


class NoteCreateView(SectionView):
    required_action = "edit"

    def post(self, request, *args, **kwargs):
        obj = self.get_object("edit")
        try:
            services.add_note(user=request.user, obj=obj, text=request.POST.get("text", ""))
            messages.success(request, "Note added.")
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(self.section.url("detail", obj.pk) + "?tab=notes")


class LookupView(SectionView):
    """Type-ahead: the first records the user may see whose name matches `q`, as JSON; only those a business
    rule of the asking form offers, given the form's values (crm.designer.rules.lookup_limit)."""

    def get(self, request, *args, **kwargs):
        from ..selectors import search_q

        text = request.GET.get("q", "").strip()[:100]
        queryset = access.visible(request.user, self.section.get_queryset())
        offered = business_rules.lookup_limit(request.GET, self.section.model)
        if offered is not None:
            queryset = queryset.filter(pk__in=offered)
        if text:
            queryset = queryset.filter(search_q(self.section, text, request.user))
        results = [{"id": obj.pk, "text": str(obj)} for obj in queryset.order_by(*self._order())[:20]]
        return JsonResponse({"results": results})

    def _order(self):
        ordering = self.section.opts.ordering or ["pk"]
        return list(ordering) + ["pk"]


def serve_field_file(user, section, pk: int, field_name: str, *, images_only: bool = False):
    """A file kept in a record's field (a logo, a photo), through the record's access check and column rights:
    media is never served directly. Images are shown inline, anything else is downloaded."""
    from django.db.models import FileField

    try:
        field = section.opts.get_field(field_name)
    except Exception:  # noqa: BLE001 - an unknown field name answers like a missing file
        raise Http404("No such file.")
    if not isinstance(field, FileField) or field_name not in access.fields_for(user, section, "read").readable:
        raise Http404("No such file.")
    record = access.get_object_or_404(user, section.get_queryset(), "read", pk=pk)
    file = getattr(record, field_name)
    if not file or not file.storage.exists(file.name):
        raise Http404("No such file.")
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    is_image = content_type in {"image/png", "image/jpeg", "image/gif", "image/webp"}
    if images_only and not is_image:
        raise Http404("No such file.")
    response = FileResponse(
        file.open("rb"), content_type=content_type, as_attachment=not is_image, filename=os.path.basename(file.name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


class FieldFileView(SectionView):
    def get(self, request, *args, **kwargs):
        return serve_field_file(request.user, self.section, kwargs["pk"], kwargs["field"])


def _attachment_for(user, pk: int, action: str) -> Attachment:
    """An attachment is reachable only through its record's access check."""
    attachment = get_object_or_404(Attachment.objects.select_related("content_type"), pk=pk)
    model = attachment.content_type.model_class()
    if model is None:
        raise Http404("No such file.")
    record = access.get_object_or_404(user, model, action, pk=attachment.object_id)
    attachment.record = record
    return attachment


def attachment_download(request, pk: int):
    attachment = _attachment_for(request.user, pk, "read")
    if attachment.kind == Attachment.Kind.LINK:
        return HttpResponseRedirect(attachment.url)
    if not attachment.file or not attachment.file.storage.exists(attachment.file.name):
        raise Http404("The file is missing from storage.")
    content_type = mimetypes.guess_type(attachment.name)[0] or "application/octet-stream"
    inline = content_type in {"application/pdf", "image/png", "image/jpeg", "image/gif", "text/plain"}
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
def attachment_delete(request, pk: int):
    attachment = _attachment_for(request.user, pk, "edit")
    section = registry.for_model(attachment.record)
    try:
        services.delete_attachment(user=request.user, attachment=attachment)
        messages.success(request, "Attachment removed.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect(section.url("detail", attachment.object_id) + "?tab=attachments")
