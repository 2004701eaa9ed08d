"""The leads' own pages: quick entry, the public web-to-lead endpoint, moving along the process, qualification,
the product selection, the similar leads tab and the lead analytics. The rest is the generic section views."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from crm import access
from crm.core import limits
from crm.sections.services import StaleRecordError

from . import selectors, services
from .forms import CaptureForm, DisqualifyForm, DistributeForm, PeriodForm, QualifyForm, QuickLeadForm
from .models import Lead, WebForm

logger = logging.getLogger(__name__)

#: the web form's trap: people never see this field, robots fill it in
HONEYPOT = "leave_this_empty"
#: the fields of the post that are no lead data
CONTROL_FIELDS = {"key", HONEYPOT, "csrfmiddlewaretoken"}


def _lead(user, pk: int, action: str = "read") -> Lead:
    return access.get_object_or_404(user, services.section().get_queryset(), action, pk=pk)


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _context(**extra) -> dict:
    return {"section": services.section(), **extra}


# --- quick entry ---------------------------------------------------------------------------------------------


def quick(request):
    """The mini page: the customer need, who and how to reach them. The rest waits for qualification."""
    section = services.section()
    if not access.can(request.user, "create", section):
        raise Http404("No such page.")
    form = QuickLeadForm(request.POST or None, user=request.user, section=section)
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            lead = services.create_lead(user=request.user, data=data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error) if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, f"Lead “{lead}” created: qualify it next.")
            return redirect(lead.get_absolute_url())
    return render(request, "leads/lead_quick.html", _context(form=form, leaf="Quick entry"))


# --- the public web-to-lead endpoint -------------------------------------------------------------------------


def _client_ip(request) -> str:
    # REMOTE_ADDR only: a forwarded-for header is whatever the client says unless a trusted proxy rewrote it
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _over_the_limit(key: str, ip: str) -> bool:
    """At most LEADS_CAPTURE_RATE = (posts, seconds) per form key and address, counted by all web processes."""
    limit, window = getattr(settings, "LEADS_CAPTURE_RATE", (10, 60))
    return not limits.allow(f"leads:capture:{key}:{ip}", limit=limit, window=window)


def _answer(request, web_form: WebForm | None, *, status: int, payload: dict):
    wants_json = "application/json" in request.headers.get("Accept", "") or not (web_form and web_form.thank_you_url)
    if status < 400 and not wants_json:
        return HttpResponseRedirect(web_form.thank_you_url, status=303)
    return JsonResponse(payload, status=status)


@login_not_required
@csrf_exempt  # posted by landing pages on other sites: the form key stands in for the CSRF token
@never_cache
@require_POST
def capture(request):
    """POST /leads/capture/: a landing page's form makes a lead. 404 for an unknown or inactive key, 429 over
    the rate limit, 400 with the errors for bad input; else 201 (JSON) or a redirect to the thank-you page."""
    key = (request.POST.get("key") or request.GET.get("key") or "").strip()
    web_form = WebForm.objects.select_related("owner", "division", "need_type").filter(key=key, is_active=True).first()
    if not key or web_form is None:
        return JsonResponse({"ok": False, "error": "Unknown form."}, status=404)
    if _over_the_limit(key, _client_ip(request)):
        return JsonResponse({"ok": False, "error": "Too many requests: try again in a minute."}, status=429)
    if request.POST.get(HONEYPOT):
        # a robot: it is told all went well, and nothing is created
        return _answer(request, web_form, status=201, payload={"ok": True})
    form = CaptureForm(request.POST)
    if not form.is_valid():
        errors = {field: [str(m) for m in messages_] for field, messages_ in form.errors.items()}
        return JsonResponse({"ok": False, "errors": errors}, status=400)
    raw = {name: value[:2000] for name, value in list(request.POST.items())[:100] if name not in CONTROL_FIELDS}
    try:
        services.capture(
            web_form=web_form,
            data=form.lead_data(web_form),
            # a plain form post's Referer is the landing page itself; the referring site must be posted
            referrer=form.cleaned_data["referrer"],
            landing=form.cleaned_data["landing"] or request.headers.get("Referer", ""),
            raw=raw,
        )
    except ValidationError as error:
        return JsonResponse(
            {
                "ok": False,
                "errors": error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages},
            },
            status=400,
        )
    except PermissionDenied:
        logger.warning("Web form %s: its owner may not create leads", web_form.pk)
        return JsonResponse({"ok": False, "error": "This form does not take requests now."}, status=503)
    return _answer(request, web_form, status=201, payload={"ok": True})


# --- the process ---------------------------------------------------------------------------------------------


@require_POST
def move(request, pk: int):
    """Move the lead to the posted stage (the stage bar). Disqualifying asks for the reason first."""
    lead = _lead(request.user, pk, "edit")
    stage = request.POST.get("stage", "")
    if stage not in Lead.Stage.values:
        messages.error(request, "Choose a stage.")
        return redirect(lead.get_absolute_url())
    try:
        version = int(request.POST.get("version") or lead.version)
    except ValueError:
        version = -1
    reason = None
    if stage == Lead.Stage.DISQUALIFIED:
        form = DisqualifyForm(request.POST if "reason" in request.POST else None)
        if not form.is_valid():
            context = _context(object=lead, form=form, version=version, leaf="Disqualify")
            return render(request, "leads/lead_disqualify.html", context, status=422 if form.is_bound else 200)
        reason = form.cleaned_data["reason"]
    try:
        lead = services.move_to(user=request.user, lead=lead, stage=stage, reason=reason, expected_version=version)
    except StaleRecordError:
        messages.error(request, "Someone else changed this lead meanwhile: look at their change and try again.")
    except ValidationError as error:
        messages.error(request, _errors(error))
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{lead}” moved to {lead.get_stage_display()}.")
    return redirect(lead.get_absolute_url())


def qualify(request, pk: int):
    """Qualify the lead: pick a similar contact and account, or have new ones created."""
    lead = _lead(request.user, pk, "edit")
    refusal = services.qualify_refusal(lead)
    if refusal:
        messages.error(request, refusal)
        return redirect(lead.get_absolute_url())
    form = QualifyForm(request.POST or None, user=request.user, record=lead)
    if request.method == "POST" and form.is_valid():
        try:
            version = int(request.POST.get("version") or lead.version)
        except ValueError:
            version = -1
        try:
            lead = services.qualify(
                user=request.user,
                lead=lead,
                expected_version=version,
                contact=form.cleaned_data["contact"],
                account=form.cleaned_data["account"],
            )
        except StaleRecordError:
            messages.error(request, "Someone else changed this lead meanwhile: look at their change and try again.")
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error) if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, f"“{lead}” is qualified: {lead.get_stage_display()} next.")
            return redirect(lead.get_absolute_url())
    context = _context(
        object=lead,
        form=form,
        leaf="Qualify",
        contacts=form.fields["contact"].queryset,
        accounts=form.fields["account"].queryset,
    )
    return render(request, "leads/lead_qualify.html", context)


def distribute(request, pk: int):
    """Give the lead an owner by hand, or the next member of its sales division in turn."""
    lead = _lead(request.user, pk, "edit")
    refusal = services.distribute_refusal(lead)
    if refusal:
        messages.error(request, refusal)
        return redirect(lead.get_absolute_url())
    form = DistributeForm(request.POST or None, user=request.user, record=lead)
    if request.method == "POST" and form.is_valid():
        try:
            version = int(request.POST.get("version") or lead.version)
        except ValueError:
            version = -1
        try:
            lead = services.distribute(
                user=request.user,
                lead=lead,
                expected_version=version,
                owner=form.cleaned_data["owner"],
                division=form.cleaned_data["division"],
            )
        except StaleRecordError:
            messages.error(request, "Someone else changed this lead meanwhile: look at their change and try again.")
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error) if isinstance(error, ValidationError) else str(error))
        else:
            owner = lead.owner.get_full_name() or lead.owner.get_username()
            messages.success(request, f"“{lead}” is distributed to {owner}.")
            return redirect(lead.get_absolute_url())
    return render(request, "leads/lead_distribute.html", _context(object=lead, form=form, leaf="Distribute"))


def select_products(request, pk: int):
    """The product selection page for this lead (404 unless the user may edit it)."""
    lead = _lead(request.user, pk, "edit")
    return redirect(f"{reverse('products:select')}?{urlencode({'for': 'leads', 'pk': lead.pk})}")


# --- similar leads and analytics -----------------------------------------------------------------------------


def similar_leads(request, section, record: Lead):
    """The Similar leads tab: other leads the user may see with the same email, phone, contact or account name."""
    rows = selectors.similar_leads(request.user, record)[:50]
    return render(request, "leads/_similar_leads.html", {"object": record, "rows": rows})


def analytics(request):
    """Leads by source and by channel, and the lead funnel, over the leads the user may see, for a period."""
    section = services.section()
    if not access.can(request.user, "read", section):
        raise Http404("No such page.")
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    leads = selectors.visible_leads(request.user).created_between(start, end)
    by_source = selectors.count_by(leads, "source__name", empty="No source")
    by_channel = selectors.count_by(leads, "channel__name", empty="No channel")
    funnel = selectors.funnel(leads)
    charts = {
        "source": {"labels": [label for label, _ in by_source], "counts": [count for _, count in by_source]},
        "channel": {"labels": [label for label, _ in by_channel], "counts": [count for _, count in by_channel]},
        "funnel": {"labels": [label for label, _ in funnel], "counts": [count for _, count in funnel]},
    }
    totals = leads.aggregate(total=Count("pk"), satisfied=Count("pk", filter=Q(stage=Lead.Stage.SATISFIED)))
    context = _context(
        form=form,
        by_source=by_source,
        by_channel=by_channel,
        funnel=funnel,
        charts=charts,
        totals=totals,
        leaf="Analytics",
    )
    return render(request, "leads/lead_analytics.html", context)
