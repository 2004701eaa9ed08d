"""The Lookups page (operation right "manage_lookups") and the designer's configuration as a file (export, and an
import with a dry run). Without the right, the pages do not exist."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from crm import access

from . import config
from . import lookup_tables as lookups
from .views import _authorise

MAX_FILE = 5 * 1024 * 1024


def _authorise_lookups(request) -> None:
    if not access.can(request.user, "manage_lookups"):
        raise Http404("No such page.")


def lookup_list(request):
    _authorise_lookups(request)
    tables = lookups.all_tables()
    by_section: dict[str, list] = {}
    for table in tables:
        folder = ", ".join(table.sections) if table.sections else ("Custom fields" if table.is_custom else "Other")
        by_section.setdefault(folder, []).append(table)
    return render(request, "designer/lookups.html", {"folders": sorted(by_section.items())})


@require_POST
def lookup_table_create(request):
    _authorise_lookups(request)
    try:
        table = lookups.create_table(
            user=request.user, code=request.POST.get("code", ""), title=request.POST.get("title", "")
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
        return redirect("designer:lookups")
    messages.success(request, f"Lookup table “{table.title}” made.")
    return redirect("designer:lookup", lookups.CUSTOM + table.code)


def _value(table, pk) -> object:
    value = table.values().filter(pk=pk).first() if str(pk).isdigit() else None
    if value is None:
        raise ValidationError("No such value.")
    return value


ACTIONS = {
    "add": lambda user, table, post: lookups.add_value(
        user=user, table=table, name=post.get("name", ""), description=post.get("description", "")
    ),
    "rename": lambda user, table, post: lookups.rename_value(
        user=user, table=table, value=_value(table, post.get("value")), name=post.get("name", "")
    ),
    "up": lambda user, table, post: lookups.move_value(
        user=user, table=table, value=_value(table, post.get("value")), offset=-1
    ),
    "down": lambda user, table, post: lookups.move_value(
        user=user, table=table, value=_value(table, post.get("value")), offset=1
    ),
    "deactivate": lambda user, table, post: lookups.set_active(
        user=user, table=table, value=_value(table, post.get("value")), active=False
    ),
    "activate": lambda user, table, post: lookups.set_active(
        user=user, table=table, value=_value(table, post.get("value")), active=True
    ),
    "delete": lambda user, table, post: lookups.delete_value(
        user=user, table=table, value=_value(table, post.get("value"))
    ),
    "merge": lambda user, table, post: lookups.merge_values(
        user=user, table=table, source=_value(table, post.get("value")), target=_value(table, post.get("into"))
    ),
}
DONE = {
    "add": "Value added.",
    "rename": "Value renamed.",
    "up": "Moved up.",
    "down": "Moved down.",
    "deactivate": "Value deactivated: it is offered no more, records keep it.",
    "activate": "Value active again.",
    "delete": "Value deleted.",
    "merge": "Values merged: the records using the first now use the second.",
}


def lookup_values(request, key: str):
    _authorise_lookups(request)
    table = lookups.table_for(key)
    if table is None:
        raise Http404("No such lookup.")
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            messages.error(request, "Unknown action.")
        else:
            try:
                ACTIONS[action](request.user, table, request.POST)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
            else:
                messages.success(request, DONE[action])
        return redirect("designer:lookup", key)
    values = list(table.values())
    usage = lookups.usage(table)
    rows = [(value, usage.get(value.pk, 0)) for value in values]
    return render(request, "designer/lookup_values.html", {"table": table, "rows": rows, "values": values})


# --- configuration as data ------------------------------------------------------------------------------------


def configuration(request):
    _authorise(request)
    _authorise_lookups(request)
    if request.GET.get("download"):
        body = json.dumps(config.export(), indent=2, ensure_ascii=False, default=str)
        response = HttpResponse(body, content_type="application/json")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="designer-configuration-{stamp}.json"'
        return response
    context = {"changes": None, "error": "", "dry_run": True}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        dry_run = request.POST.get("apply") != "1"
        context["dry_run"] = dry_run
        try:
            if upload is None:
                raise ValidationError("Choose a configuration file.")
            if upload.size > MAX_FILE:
                raise ValidationError("The file is larger than 5 MB.")
            try:
                data = json.loads(upload.read().decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise ValidationError("The file is not JSON.") from None
            context["changes"] = config.import_configuration(user=request.user, data=data, dry_run=dry_run)
        except (ValidationError, PermissionDenied) as error:
            context["error"] = " ".join(getattr(error, "messages", None) or [str(error)])
            status = 422
        else:
            if not dry_run:
                messages.success(request, f"Configuration imported: {len(context['changes'])} changes.")
    return render(request, "designer/configuration.html", context, status=status)
