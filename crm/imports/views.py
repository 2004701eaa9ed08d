"""The import pages: upload, map and dry-run, the job with its progress bar, the refused rows, cancel and
rollback, and the log of one's imports. Every page checks that the job is the user's own."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crm.core.uploads import uploads_up_to
from crm.sections import registry

from . import reader, selectors, services
from .fields import importable_fields
from .forms import MappingForm, UploadForm
from .models import ImportJob


def _job(request, pk: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=pk).first()
    if job is None or (job.created_by_id != request.user.pk and not request.user.is_superuser):
        raise Http404("No such import.")
    return job


@uploads_up_to("IMPORT_MAX_BYTES")
def new(request):
    name = request.GET.get("section") or request.POST.get("section", "")
    if not name:  # no section chosen yet: the choice is on the Data import page
        return redirect("imports:list")
    section = registry.get_or_404(name)
    try:
        services.authorise(request.user, section)
    except PermissionDenied:
        raise Http404("No such page.")
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            job = services.create_job(user=request.user, section_name=section.name, upload=form.cleaned_data["file"])
        except reader.UnreadableFile as error:
            form.add_error("file", str(error))
            status = 422
        else:
            return redirect("imports:map", job.pk)
    elif request.method == "POST":
        status = 422
    recent = ImportJob.objects.filter(created_by=request.user, section=section.name)[:10]
    return render(request, "imports/new.html", {"form": form, "section": section, "recent": recent}, status=status)


def map_columns(request, pk: int):
    job = _job(request, pk)
    if job.status != ImportJob.Status.DRAFT:
        return redirect(job)
    section = registry.get_or_404(job.section)
    specs = importable_fields(section, request.user)
    sheets = services.sheets_of(job)
    value_step = _value_step(request, job, specs)
    if request.htmx and request.htmx.target == "value-mapping":  # a column or a meaning changed: the step again
        form = MappingForm(job=job, specs=specs, sheets=sheets, value_step=value_step)
        # the meanings chosen so far stay chosen, where they still are among the options (the column's field
        # may have changed)
        form.initial = {
            name: request.POST[name]
            for names in form.value_names.values()
            for name, _ in names
            if request.POST.get(name) in {value for value, _ in form.fields[name].choices if value}
        }
        return render(request, "imports/_values.html", {"form": form, "step": value_step})
    form = MappingForm(request.POST or None, job=job, specs=specs, sheets=sheets, value_step=value_step)
    preview_result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            sheet_before = job.sheet
            job = services.configure(
                user=request.user,
                job=job,
                sheet=form.cleaned_data.get("sheet") or job.sheet,
                mapping=form.mapping(),
                keys=form.cleaned_data["keys"],
                lookup_mode=form.cleaned_data["lookup_mode"],
                defaults=form.defaults(),
                value_map=form.value_map(),
                name_from_email=form.cleaned_data.get("name_from_email", False),
                date_order=form.cleaned_data.get("date_order") or "",
            )
            if "sheet_changed" in request.POST or job.sheet != sheet_before:  # its columns, matched afresh
                return redirect("imports:map", job.pk)
            if "start" in request.POST:
                services.start(user=request.user, job=job)
                return redirect(job)
            preview_result = services.dry_run(user=request.user, job=job)
        except (ValidationError, reader.UnreadableFile) as error:
            form.add_error(None, getattr(error, "messages", [str(error)]))
            status = 422
    elif request.method == "POST":
        status = 422
    try:
        rows = reader.preview(job.file.path, services.source_of(job), job.sheet, count=6)[1:]
    except reader.UnreadableFile as error:  # checked on upload; a message, not an error page, if it still is
        rows, status = [], 422
        messages.error(request, str(error))
    context = {
        "job": job,
        "section": section,
        "form": form,
        "rows": [[reader.as_text(c) for c in row] for row in rows],
        "preview": preview_result,
        "headers": job.headers,
        "step": value_step,
    }
    return render(request, "imports/map.html", context, status=status)


def _value_step(request, job: ImportJob, specs) -> selectors.ValueStep:
    """The value step for the mapping on the page: as posted (the user may have changed a column), else the
    job's."""
    if request.method == "POST":
        mapping = {
            str(index): request.POST[f"column_{index}"]
            for index in range(len(job.headers))
            if request.POST.get(f"column_{index}")
        }
        create = request.POST.get("lookup_mode") == ImportJob.LookupMode.CREATE
    else:
        mapping, create = job.mapping, job.lookup_mode == ImportJob.LookupMode.CREATE
    return selectors.value_step(user=request.user, job=job, mapping=mapping, specs=specs, create=create)


def job_page(request, pk: int):
    job = _job(request, pk)
    template = "imports/_progress.html" if request.htmx else "imports/job.html"
    section = registry.get_or_404(job.section)
    context = {
        "job": job,
        "section": section,
        "refused": job.refused_rows.all()[:50],
        "warnings": job.row_warnings.all()[:50],
        # the duplicate search that follows an import: pointed to only where it runs and the user may review it
        "duplicates_review": not request.htmx and services.duplicates_follow(section, request.user),
    }
    return render(request, template, context)


def refused_rows(request, pk: int):
    job = _job(request, pk)
    response = HttpResponse(
        services.refused_workbook(job),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stem = job.original_name.rsplit(".", 1)[0][:80] or "import"
    response["Content-Disposition"] = f'attachment; filename="{stem}-refused.xlsx"'
    return response


@require_POST
def cancel(request, pk: int):
    job = _job(request, pk)
    try:
        services.cancel(user=request.user, job=job)
        messages.info(request, "The import stops after the batch it is writing; what it wrote can be rolled back.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(job)


@require_POST
def rollback(request, pk: int):
    job = _job(request, pk)
    try:
        services.rollback(user=request.user, job=job)
        messages.success(request, "The import was rolled back: its records are gone and changed values restored.")
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect(job)


def job_list(request):
    """Data import: start an import into any section the user may import into, and the log of their imports."""
    jobs = ImportJob.objects.filter(created_by=request.user)[:100]
    titles = {section.name: section.title for section in registry.all_sections()}
    for job in jobs:
        job.section_title = titles.get(job.section, job.section)
    context = {
        "jobs": jobs,
        "sections": services.importable_sections(request.user),
        "draft_days": settings.IMPORT_DRAFT_DAYS,
    }
    return render(request, "imports/list.html", context)
