"""The section list: columns, sorting, paging, quick search, filters, folders, count, bulk actions, export."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify

from crm import access
from crm.designer.lookups import prefetch as prefetch_lookups

from .. import export, registry, services, tags
from ..models import FavouriteFolder, Folder, ListPreference
from ..selectors import (
    ListQuery,
    bounded_count,
    column_totals,
    last_page,
    money_columns,
    page_rows,
    page_window,
    remembered_query,
    visible_folders,
)
from .common import SectionView, parse_ids

LIST_PARAMS = ("q", "sort", "page", "per_page", "folder")


class ListView(SectionView):
    def get(self, request, *args, **kwargs):
        mode = registry.get_list_mode(request.GET.get("view", ""))
        if mode is not None:
            return mode.view(request, self.section, request.GET)
        query = ListQuery(self.section, request.user, request.GET)
        list_url = self.section.url("list")
        if request.GET.get("reset"):
            # back to the section's defaults: the remembered filters, search, sort and page size are forgotten
            services.remember_list_query(
                user=request.user, section=self.section, query="", preference=query.preference()
            )
            return redirect(list_url)
        if not request.GET:
            # opened bare (from the menu, a breadcrumb): the user's last filters, sort and page size come back
            preference = query.preference()
            if preference is not None and preference.query:
                return redirect(f"{list_url}?{preference.query}")
        else:
            # a URL with its own query string (a bookmark, a link) wins, and is remembered as the last one
            services.remember_list_query(
                user=request.user,
                section=self.section,
                query=remembered_query(request.GET),
                preference=query.preference(),
            )
        queryset = query.queryset()
        page_size = query.page_size()
        count, more = bounded_count(query.count_queryset())
        # a page past the end (an old bookmark, the last page emptied by a bulk delete) shows the last one
        page = query.page()
        page = min(page, last_page(count, more, page_size) or page)
        offset = (page - 1) * page_size
        # One row more than a page tells whether there is a next page without counting everything.
        rows = page_rows(queryset, offset, page_size + 1, rows_from=self.section.get_queryset())
        has_next = len(rows) > page_size
        rows = rows[:page_size]
        # every tag the user sees here (the filter's and the bulk bar's choices) and each row's: one query
        page_tags = tags.page_tags(request.user, self.section, [row.pk for row in rows])
        for row in rows:
            row.tag_list = page_tags.by_record.get(row.pk, [])
        filterset = query.filterset()
        columns = query.columns()
        # the records lookup columns name: one query per target, not one per row
        prefetch_lookups([c.field for c in columns if c.is_custom and c.field.kind == "lookup"], rows)
        totals = column_totals(queryset, self.section, money_columns(self.section, columns, request.user))
        sort, _ = query.sort()
        for warning in query.warnings:
            messages.warning(request, warning)
        params = request.GET.copy()
        folders = list(visible_folders(self.section, request.user).select_related("owner"))
        favourite_ids = set(
            FavouriteFolder.objects.filter(user=request.user, folder__in=folders).values_list("folder_id", flat=True)
        )
        context = self.base_context(
            rows=rows,
            columns=columns,
            all_columns=self.section.choosable_columns(request.user),
            count=count,
            count_more=more,
            page=page,
            page_size=page_size,
            page_sizes=[25, 50, 100],
            has_next=has_next,
            has_previous=page > 1,
            page_window=page_window(page, page_size, count=count, more=more, has_next=has_next),
            first_row=offset + 1 if rows else 0,
            last_row=offset + len(rows),
            sort=sort,
            filterset=filterset,
            active_filters=sum(1 for name in filterset.form.fields if request.GET.get(name, "") != "")
            + bool(query.search)
            + bool(query.tag_ids()),
            tag_choices=page_tags.tags,
            chosen_tags=query.tag_ids(),
            tag_mode=query.tag_mode(),
            mine="owner" in filterset.form.fields,
            totals={total.column.path: total.amounts for total in totals},
            search=query.search,
            params=params,
            current_folder=query.folder(),
            folders=folders,
            favourite_ids=favourite_ids,
            owners=get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name"),
            can_create=access.can(request.user, "create", self.section),
            can_delete=access.can(request.user, "delete", self.section),
            can_edit=access.can(request.user, "edit", self.section),
            can_export=access.can(request.user, "export"),
            can_import=access.can(request.user, "import") and access.can(request.user, "create", self.section),
            list_modes=registry.list_modes(),
            querystring=urlencode([(k, v) for k, values in params.lists() for v in values if k != "page"]),
        )
        template = "sections/_list_results.html" if request.htmx and not request.htmx.boosted else "sections/list.html"
        return render(request, template, context)


class ExportView(SectionView):
    def get(self, request, *args, **kwargs):
        if not access.can(request.user, "export"):
            raise Http404("No such page.")
        query = ListQuery(self.section, request.user, request.GET)
        queryset = query.queryset()
        columns = query.columns()
        table = export.rows(queryset, columns, tags=lambda ids: tags.names_by_record(request.user, self.section, ids))
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        filename = f"{slugify(self.section.title)}-{stamp}"
        if request.GET.get("format") == "csv":
            response = StreamingHttpResponse(export.csv_stream(table), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
            return response
        content = export.xlsx_bytes(table, self.section.title)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response


class BulkView(SectionView):
    def post(self, request, *args, **kwargs):
        ids = parse_ids(request.POST.getlist("ids"))
        action = request.POST.get("action", "")
        back = self.section.url("list") + "?" + request.POST.get("querystring", "")
        if not ids:
            messages.warning(request, "Select at least one record first.")
            return redirect(back)
        if action == "delete":
            result = services.bulk_delete(section=self.section, user=request.user, ids=ids)
            verb = "Deleted"
        elif action == "change_owner":
            owner = get_user_model().objects.filter(is_active=True, pk=request.POST.get("owner") or 0).first()
            if owner is None:
                messages.error(request, "Choose the new owner.")
                return redirect(back)
            result = services.bulk_change_owner(section=self.section, user=request.user, ids=ids, owner=owner)
            verb = "Changed the owner of"
        elif action in ("add_to_folder", "remove_from_folder"):
            folder = visible_folders(self.section, request.user).filter(pk=request.POST.get("folder") or 0).first()
            if folder is None:
                messages.error(request, "Choose a folder.")
                return redirect(back)
            try:
                if action == "add_to_folder":
                    n = services.add_to_folder(user=request.user, folder=folder, ids=ids)
                    messages.success(request, f"Added {n} record(s) to “{folder}”.")
                else:
                    n = services.remove_from_folder(user=request.user, folder=folder, ids=ids)
                    messages.success(request, f"Removed {n} record(s) from “{folder}”.")
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            except PermissionDenied as error:
                messages.error(request, str(error))
            return redirect(back)
        elif action in ("add_tags", "remove_tags"):
            self.tag_selection(request, ids, adding=action == "add_tags")
            return redirect(back)
        else:
            messages.error(request, "Unknown action.")
            return redirect(back)
        if result.done:
            messages.success(request, f"{verb} {result.done} record(s).")
        if result.refused:
            detail = "; ".join(result.reasons[:5])
            messages.warning(request, f"{result.refused} record(s) were left as they were. {detail}")
        return redirect(back)

    def tag_selection(self, request, ids: list[int], *, adding: bool) -> None:
        """Add the tags named in `tag_names` (unknown names become the user's private tags) to the selected
        records, or take them off; a tag may also be named by id (`tag_ids`), and must be one the user sees."""
        try:
            result = tags.bulk_tag(
                user=request.user,
                section=self.section,
                ids=ids,
                names=request.POST.get("tag_names", ""),
                tag_ids=parse_ids(request.POST.getlist("tag_ids")),
                adding=adding,
            )
        except (ValidationError, PermissionDenied) as refusal:
            messages.error(request, " ".join(getattr(refusal, "messages", None) or [str(refusal)]))
            return
        names = ", ".join(f"“{tag}”" for tag in result.tags)
        if adding:
            messages.success(request, f"Tagged {result.done} record(s) with {names}.")
        else:
            messages.success(request, f"Took {names} off {result.done} record(s).")
        if result.refused:
            reasons = "; ".join(result.reasons[:5])
            messages.warning(request, f"{result.refused} record(s) were left as they were. {reasons}")


class ColumnsView(SectionView):
    """Choose the list's columns (per user)."""

    def post(self, request, *args, **kwargs):
        allowed = {c.path for c in self.section.choosable_columns(request.user)}
        chosen = [c for c in request.POST.getlist("columns") if c in allowed]
        if request.POST.get("reset"):
            chosen = []
        ListPreference.objects.update_or_create(
            user=request.user, section=self.section.name, defaults={"columns": chosen}
        )
        messages.success(request, "Columns saved." if chosen else "Default columns restored.")
        return redirect(self.section.url("list") + "?" + request.POST.get("querystring", ""))


class FolderCreateView(SectionView):
    def post(self, request, *args, **kwargs):
        kind = request.POST.get("kind", Folder.Kind.STATIC)
        if kind not in Folder.Kind.values:
            kind = Folder.Kind.STATIC
        query = request.POST.get("querystring", "")
        try:
            folder = services.create_folder(
                section=self.section,
                user=request.user,
                name=request.POST.get("name", ""),
                kind=kind,
                query=query,
                shared=bool(request.POST.get("shared")),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.section.url("list") + "?" + query)
        messages.success(request, f"Folder “{folder}” created.")
        return redirect(self.section.url("list") + f"?folder={folder.pk}")


class FolderActionView(SectionView):
    def post(self, request, *args, **kwargs):
        folder = get_object_or_404(
            Folder.objects.filter(section=self.section.name).filter(Q(owner=request.user) | Q(shared=True)),
            pk=kwargs["folder"],
        )
        action = kwargs["action"]
        if action == "favourite":
            favourite, created = FavouriteFolder.objects.get_or_create(user=request.user, folder=folder)
            if not created:
                favourite.delete()
            messages.success(request, f"“{folder}” {'added to' if created else 'removed from'} favourites.")
            return redirect(self.section.url("list") + f"?folder={folder.pk}")
        if action == "delete":
            if folder.owner_id != request.user.pk:
                messages.error(request, "Only the folder's owner can delete it.")
                return redirect(self.section.url("list") + f"?folder={folder.pk}")
            folder.delete()
            messages.success(request, f"Folder “{folder}” deleted; its records are untouched.")
            return redirect(self.section.url("list"))
        raise Http404("Unknown action.")
