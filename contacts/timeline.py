"""Career history on the timeline: on a contact's page when they joined or left an account, on an account's page
when its (visible) contacts joined or left it."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import Account
from crm import access
from crm.sections.timeline import TimelineItem, register_provider

from .models import Contact, JobExperience


def _at(date: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(date, datetime.time.min, tzinfo=timezone.get_current_timezone())


def career_items(user, record) -> list[TimelineItem]:
    if isinstance(record, Contact):
        jobs = JobExperience.objects.filter(contact=record).select_related("account", "contact")
    elif isinstance(record, Account):
        contacts = access.visible(user, Contact.objects.all()).values("pk")
        jobs = JobExperience.objects.filter(account=record, contact__in=contacts).select_related("account", "contact")
    else:
        return []
    if not access.can(user, "read", record):
        return []
    items = []
    for job in jobs[:100]:
        role = f" as {job.job_title}" if job.job_title else ""
        about = job.account.name if isinstance(record, Contact) else job.contact.full_name
        url = job.account.get_absolute_url() if isinstance(record, Contact) else job.contact.get_absolute_url()
        if job.start_date:
            title = f"Joined {about}{role}" if isinstance(record, Contact) else f"{about} joined{role}"
            items.append(TimelineItem(at=_at(job.start_date), kind="career", title=title, url=url, icon="bi-briefcase"))
        if job.end_date:
            title = f"Left {about}" if isinstance(record, Contact) else f"{about} left"
            items.append(TimelineItem(at=_at(job.end_date), kind="career", title=title, url=url, icon="bi-briefcase"))
    return items


register_provider("career", "Career", career_items)
