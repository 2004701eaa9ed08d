"""Demo documents: letters, acts and proposals of the demo reps with their soft copies (some in two versions),
connected to the demo contracts and to each other; or N at scale with bulk inserts for the benchmarks."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from .models import Document, DocumentStatus, DocumentType

ORDER = 55  # after the contracts (50), which the documents are connected to

MARKER = {"demo": "documents"}
SCALE_BATCH = 5000

#: (subject, type, status code, days ago, file versions)
PLAN = [
    ("Cover letter to the framework agreement", "Letter", "active", 30, 1),
    ("Acceptance act for the first delivery", "Act", "active", 12, 2),
    ("Commercial proposal: support renewal", "Proposal", "draft", 5, 2),
    ("Specification of the training programme", "Specification", "draft", 2, 1),
    ("Meeting protocol: kick-off", "Protocol", "active", 40, 1),
    ("Power of attorney for signing", "Power of attorney", "cancelled", 90, 1),
]


def already_seeded(context) -> bool:
    return Document.objects.filter(custom__demo=MARKER["demo"]).exists()


def _pdf(text: str) -> bytes:
    """A tiny one-line PDF, enough for a viewer to open."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R"
        b"/Resources<</Font<</F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>>>>>>>endobj\n"
        b"4 0 obj<</Length " + str(len(stream)).encode() + b">>stream\n" + stream + b"\nendstream endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def seed(context) -> None:
    from contracts.models import Contract
    from crm.sections.details import update_record_fields
    from crm.sections.services import create_record

    from . import services

    section = services.section()
    today = timezone.localdate()
    types = {t.name: t for t in DocumentType.objects.all()}
    statuses = {s.code: s for s in DocumentStatus.objects.exclude(code="")}
    contracts = list(Contract.objects.filter(custom__demo="contracts").select_related("account").order_by("pk"))
    reps = context.sales_users
    created = []
    for index, (subject, type_name, status, days_ago, versions) in enumerate(PLAN):
        owner = reps[index % len(reps)]
        contract = contracts[index % len(contracts)] if contracts else None
        document = create_record(
            section=section,
            user=owner,
            data={
                "subject": subject,
                "type": types.get(type_name) or next(iter(types.values())),
                "status": statuses["draft"],
                "date": today - datetime.timedelta(days=days_ago),
                "owner": owner,
                "account": contract.account if contract else None,
            },
        )
        for version in range(1, versions + 1):
            name = f"{type_name.lower().replace(' ', '-')}-{index + 1}.pdf"
            upload = ContentFile(_pdf(f"{subject} - version {version}"), name=name)
            comment = "Signed scan" if version > 1 else "First draft"
            services.add_file_version(user=owner, document=document, uploaded=upload, comment=comment)
        if status != "draft":
            document = services.set_status(user=owner, document=document, code=status)
        if contract is not None and contract.owner_id == owner.pk:
            services.connect(user=owner, document=document, record=contract)
        created.append(document)
    if len(created) >= 2:
        from .models import DocumentRelation

        DocumentRelation.objects.get_or_create(
            document=created[0], related=created[1], defaults={"note": "Sent together"}
        )
    for document in created:
        update_record_fields(document, {"custom": MARKER}, bump_version=False)
    context.created["documents"] = len(created)


def seed_scale(context, n: int) -> None:
    """About one document per two accounts, in bulk (no files), numbered from the sequence."""
    from accounts.models import Account
    from crm.core.services import next_numbers

    rng = context.rng
    types = list(DocumentType.objects.all())
    statuses = list(DocumentStatus.objects.all())
    now = timezone.now()
    accounts = list(Account.objects.order_by("-pk").values_list("pk", "owner_id")[: max(n // 2, 0)])
    numbers = iter(next_numbers(name="document", count=len(accounts)))
    batch, total = [], 0
    for account_id, owner_id in accounts:
        created_at = now - datetime.timedelta(days=rng.randint(0, 900))
        batch.append(
            Document(
                number=next(numbers),
                subject=f"{rng.choice(PLAN)[0]} #{account_id}",
                type=rng.choice(types),
                status=rng.choice(statuses),
                date=timezone.localdate(created_at),
                account_id=account_id,
                owner_id=owner_id,
                created_by_id=owner_id,
                modified_by_id=owner_id,
                created_at=created_at,
                modified_at=now,
            )
        )
        if len(batch) >= SCALE_BATCH:
            Document.objects.bulk_create(batch, batch_size=SCALE_BATCH)
            total += len(batch)
            batch = []
    Document.objects.bulk_create(batch, batch_size=SCALE_BATCH)
    context.created["documents"] = total + len(batch)
