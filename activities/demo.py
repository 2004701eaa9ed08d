"""Demo activities: a believable week of calls, meetings, tasks and emails for the sales team around the demo
accounts and contacts (some overdue, some done with results, some today), or one per account at scale."""

from __future__ import annotations

import datetime

from django.db import connection
from django.utils import timezone

from accounts.models import Account
from contacts.models import Contact

from .models import DEFAULT_LENGTH, Activity, ActivityCategory, ActivityResult, Participant

ORDER = 30

TEAM_MEETING = "Weekly sales meeting"

#: (day offset from today, hour, minute, minutes long, type, category, subject with {account}/{contact},
#:  status, result) — per rep, around the accounts they own
WEEK = [
    (-4, 10, 0, 60, "meeting", "Meeting", "Requirements workshop at {account}", "completed", "Held"),
    (-3, 9, 30, 15, "call", "Call", "Call {contact} about the renewal", "completed", "Reached"),
    (-3, 15, 0, 30, "task", "Paperwork", "Prepare the offer for {account}", "completed", "Completed"),
    (-2, 11, 0, 15, "call", "Call", "Follow up with {contact}", "completed", "No answer"),
    (-2, 16, 0, 30, "email", "Email", "Send the price list to {contact}", "completed", "Sent"),
    (-1, 14, 0, 30, "task", "To do", "Update the contact details of {account}", "not_started", None),
    (-1, 10, 0, 15, "call", "Call", "Call {contact} back", "in_progress", None),
    (0, 9, 30, 15, "call", "Call", "Call {contact} about the delivery date", "not_started", None),
    (0, 11, 0, 60, "meeting", "Meeting", "Product demo for {account}", "not_started", None),
    (0, 15, 30, 30, "task", "To do", "Check the open invoices of {account}", "in_progress", None),
    (1, 10, 0, 90, "meeting", "Meeting", "Negotiation with {account}", "not_started", None),
    (2, 13, 0, 30, "call", "Call", "Introduce the new service to {contact}", "not_started", None),
    (3, 9, 0, 60, "task", "Paperwork", "Contract draft for {account}", "not_started", None),
    (4, 16, 0, 30, "email", "Email", "Send the meeting minutes to {contact}", "not_started", None),
    (6, 10, 0, 120, "meeting", "Meeting", "On-site visit at {account}", "not_started", None),
]


#: what the reps did in the past months, around their accounts: (type, category, subject, minutes, results)
HISTORY = [
    ("call", "Call", "Call {contact} about the next order", 15, ["Reached", "No answer"]),
    ("meeting", "Meeting", "Quarterly review with {account}", 60, ["Held"]),
    ("email", "Email", "Send the offer to {contact}", 15, ["Sent"]),
    ("task", "Paperwork", "Update the account plan of {account}", 30, ["Completed"]),
    ("call", "Call", "Check in with {contact}", 15, ["Reached"]),
]
#: completed activities per rep spread over the last HISTORY_DAYS working days
HISTORY_PER_REP = 40
HISTORY_DAYS = 180


def already_seeded(context) -> bool:
    return Activity.objects.filter(title=TEAM_MEETING).exists()


def working_time(rng, day: datetime.date, *, latest: datetime.datetime | None = None) -> datetime.datetime:
    """A believable moment of a working day (Monday to Friday, 9:00 to 16:30), not after `latest`."""
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    moment = _at(day, rng.randint(9, 16), rng.choice([0, 30]))
    if latest is not None and moment > latest:
        moment = max(_at(day, 8, 0), latest - datetime.timedelta(minutes=30)).replace(second=0, microsecond=0)
    return moment


def settle_process_tasks(record, windows, *, rng, now: datetime.datetime) -> None:
    """Give the process tasks of a back-dated demo record believable dates: the services stamped them all "now",
    due in days. `windows` are the record's stage visits [(started, ended or None)], oldest first; the tasks (in
    the order they were made) are placed in them. A task closed when the process moved on was done then, an hour
    at a working time; an open one is due within days of today (a few already overdue)."""
    from django.contrib.contenttypes.models import ContentType

    from .selectors import direct_relation

    name = direct_relation(type(record))
    if name:
        tasks = Activity.objects.filter(**{name: record})
    else:
        kind = ContentType.objects.get_for_model(record)
        tasks = Activity.objects.filter(connected_type=kind, connected_id=record.pk)
    tasks = list(tasks.exclude(process_task="").order_by("pk"))
    if not tasks or not windows:
        return
    for index, task in enumerate(tasks):
        started, ended = windows[min(index, len(windows) - 1)]
        if task.status in Activity.OPEN_STATUSES:
            # due over the coming weeks, a few already overdue: a handful a day for each rep
            day = timezone.localdate(now) + datetime.timedelta(days=rng.randint(-3, 24))
            task.start = working_time(rng, day)
        else:
            end = min(ended or now, now)
            moment = started + (end - started) * rng.random() if end > started else end
            task.start = working_time(rng, timezone.localdate(moment), latest=now)
            task.status = Activity.Status.COMPLETED
        task.duration = rng.choice([30, 60])
        task.due = task.start + datetime.timedelta(minutes=task.duration)
        task.created_at = min(task.start, task.created_at)
        task.modified_at = min(task.due, now)
    Activity.objects.bulk_update(tasks, ["start", "due", "duration", "status", "created_at", "modified_at"])


def seed_history(context, today: datetime.date) -> int:
    """The completed calls, meetings, emails and paperwork of the past months, in bulk (the services would stamp
    them "now"); each rep takes part in their own, as the services would have it."""
    rng = context.rng
    now = timezone.now()
    categories = {c.name: c for c in ActivityCategory.objects.all()}
    results = {r.name: r for r in ActivityResult.objects.all()}
    rows = []
    for rep in context.sales_users:
        accounts = list(Account.objects.filter(owner=rep).exclude(type__name="Our company").order_by("pk"))
        contacts = {}
        for contact in Contact.objects.filter(account__in=accounts).order_by("pk"):
            contacts.setdefault(contact.account_id, contact)
        for _ in range(HISTORY_PER_REP if accounts else 0):
            type_, category, subject, length, outcomes = rng.choice(HISTORY)
            account = rng.choice(accounts)
            contact = contacts.get(account.pk)
            start = working_time(rng, today - datetime.timedelta(days=rng.randint(7, HISTORY_DAYS)))
            rows.append(
                Activity(
                    title=subject.format(account=account.name, contact=contact or account.name),
                    type=type_,
                    category=categories.get(category),
                    status=Activity.Status.COMPLETED,
                    result=results.get(rng.choice(outcomes)),
                    start=start,
                    due=start + datetime.timedelta(minutes=length),
                    duration=length,
                    account=account,
                    contact=contact,
                    owner=rep,
                    created_by=rep,
                    modified_by=rep,
                    created_at=start - datetime.timedelta(days=rng.randint(0, 5)),
                    modified_at=min(start + datetime.timedelta(minutes=length), now),
                )
            )
    created = Activity.objects.bulk_create(rows)
    Participant.objects.bulk_create([Participant(activity_id=a.pk, user_id=a.owner_id) for a in created])
    return len(created)


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def seed(context) -> None:
    from . import services

    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    categories = {c.name: c for c in ActivityCategory.objects.all()}
    results = {r.name: r for r in ActivityResult.objects.all()}
    manager, alice, bob = context.users["manager"], context.users["alice"], context.users["bob"]
    count = 0

    # the team's own meeting: every rep takes part, in the calendar of each
    start = _at(monday + datetime.timedelta(days=7 if today.weekday() > 0 else 0), 9, 0)
    services.create_activity(
        user=manager,
        data={
            "title": TEAM_MEETING,
            "type": Activity.Type.MEETING,
            "category": categories["Meeting"],
            "start": start,
            "due": start + datetime.timedelta(minutes=45),
            "priority": Activity.Priority.HIGH,
            "remind_owner": True,
            "remind_at": start - datetime.timedelta(minutes=15),
        },
        users=[alice, bob],
    )
    count += 1

    for rep in context.sales_users:
        accounts = list(Account.objects.filter(owner=rep).exclude(type__name="Our company").order_by("pk"))
        if not accounts:
            continue
        for index, (days, hour, minute, length, type_, category, subject, status, result) in enumerate(WEEK):
            account = accounts[index % len(accounts)]
            contact = Contact.objects.filter(account=account).order_by("pk").first()
            start = _at(today + datetime.timedelta(days=days), hour, minute)
            data = {
                "title": subject.format(account=account.name, contact=contact or account.name),
                "type": type_,
                "category": categories[category],
                "status": status,
                "priority": context.rng.choice(list(Activity.Priority.values)),
                "start": start,
                "due": start + datetime.timedelta(minutes=length),
                "account": account,
                "contact": contact,
                "owner": rep,
            }
            if result:
                data["result"] = results[result]
                if type_ == "meeting":
                    data["result_details"] = "Agreed on the next steps; minutes sent to everyone."
            if days > 0 and type_ == "meeting":
                data["remind_owner"] = True
                data["remind_at"] = start - datetime.timedelta(minutes=30)
            # the manager joins the reps' bigger meetings
            users = [manager] if rep != manager and type_ == "meeting" and length >= 60 else []
            services.create_activity(user=rep, data=data, users=users)
            count += 1
    count += seed_history(context, today)
    context.created["activities"] = count


def seed_scale(context, n: int) -> None:
    """About one activity per account of the newest `n`, in bulk (no per-record hooks), within two months of
    today; the owner takes part in each, as the services would have it."""
    rng = context.rng
    now = timezone.now()
    categories = list(ActivityCategory.objects.all())
    types = list(Activity.Type.values)
    total, batch, batch_size = 0, [], 5000
    accounts = Account.objects.order_by("-pk").values_list("pk", "owner_id", "name")[:n]

    def flush(rows):
        created = Activity.objects.bulk_create(rows, batch_size=batch_size)
        Participant.objects.bulk_create(
            [Participant(activity_id=a.pk, user_id=a.owner_id) for a in created], batch_size=batch_size
        )

    for account_id, owner_id, name in accounts.iterator(chunk_size=10000):
        start = (now + datetime.timedelta(minutes=30 * rng.randint(-2880, 2880))).replace(second=0, microsecond=0)
        status = Activity.Status.COMPLETED if start < now and rng.random() < 0.7 else Activity.Status.NOT_STARTED
        batch.append(
            Activity(
                title=f"Follow up with {name}",
                type=rng.choice(types),
                category=rng.choice(categories),
                status=status,
                start=start,
                due=start + DEFAULT_LENGTH,
                duration=30,
                account_id=account_id,
                owner_id=owner_id,
                created_by_id=owner_id,
                modified_by_id=owner_id,
                created_at=now,
                modified_at=now,
            )
        )
        if len(batch) >= batch_size:
            flush(batch)
            total += len(batch)
            batch = []
    if batch:
        flush(batch)
        total += len(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE activities_activity")
            cursor.execute("ANALYZE activities_participant")
    context.created["activities"] = total
