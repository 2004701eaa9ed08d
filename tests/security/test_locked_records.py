"""A locked record changes nothing, whatever the write path: a record waiting for approval (every section the
approvals registry knows) and a paid invoice's products.

alice owns the record and sent it for approval; bob approves; ada, the superuser, merges duplicates. Each test
takes a snapshot of the record, its rows (every one-to-many relation), its attachments and its change log, tries
one write path, and asserts the snapshot is the same and the user was told why.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crm import approvals
from crm.approvals import services as approval_services
from crm.approvals.models import Approval, ApprovalRoute, ApprovalRouteStep
from crm.duplicates import merge
from crm.sections import registry
from crm.sections.details import details_of
from crm.sections.models import Attachment, ChangeLogEntry
from invoices import services as invoice_services
from invoices.models import Invoice, InvoiceProduct, InvoiceStatus
from products.selection import line_targets
from tests.factories import (
    DocumentFactory,
    InvoiceFactory,
    ProductFactory,
    ProductPriceFactory,
)
from tests.factories.invoices import PaymentFactory
from tests.factories.orders import PlanStepFactory
from tests.factories.products import price_list, unit
from tests.factories.registry import make_record

APPROVAL_SECTIONS = [s for s in registry.all_sections() if approvals.is_registered(s.name)]
LINE_SECTIONS = [s for s in APPROVAL_SECTIONS if s.name in line_targets()]
DETAILS = [(s, d) for s in APPROVAL_SECTIONS for d in details_of(s) if not d.read_only]
LOCKED = "waiting for approval"
PAID = "has payments"


def by_name(items):
    return [getattr(item, "name", None) or f"{item[0].name}-{item[1].name}" for item in items]


def test_the_approval_sections_are_the_ones_the_registry_declares():
    # the parametrisations below run over these; a section that gains approvals is covered the day it does
    assert {s.name for s in APPROVAL_SECTIONS} >= {"orders", "invoices", "contracts", "documents"}
    assert {s.name for s in LINE_SECTIONS} >= {"orders", "invoices", "contracts"}


# --- the scene --------------------------------------------------------------------------------------------------


def send_for_approval(record, requester, approver):
    locked_section = registry.for_model(record)
    route = ApprovalRoute.objects.create(section=locked_section.name, name=f"{locked_section.title} approval")
    ApprovalRouteStep.objects.create(route=route, position=1, approver_user=approver)
    return approval_services.send_for_approval(user=requester, record=record)


def a_row(detail, record):
    """One saved row of `detail` on `record` (a detail of an approval locked_section without a builder fails loudly)."""
    model = detail.resolved_model()
    label = model._meta.label
    if label in ("orders.OrderProduct", "invoices.InvoiceProduct", "contracts.ContractProduct"):
        row = model(
            **{detail.relation: record},
            product=ProductFactory(owner=record.owner),
            unit=unit("pieces"),
            quantity=Decimal("2"),
            price=Decimal("100.00"),
            tax_included=False,
            position=1,
        )
        row.recompute()
        row.save()
        return row
    if label == "orders.PlanStep":
        return PlanStepFactory(order=record, name="Prepayment", percent=Decimal("100"), position=1)
    if label == "invoices.Payment":
        return PaymentFactory(invoice=record, amount=Decimal("1.00"))
    if label == "documents.DocumentLink":
        account = record.account
        return model.objects.create(
            document=record, content_type=ContentType.objects.get_for_model(account), object_id=account.pk
        )
    if label == "documents.DocumentRelation":
        return model.objects.create(document=record, related=DocumentFactory(owner=record.owner), note="See also")
    pytest.fail(f"No row builder for the detail {label}: add one to a_row()")


def snapshot(record) -> dict:
    """Everything a write path could change: the record's row, the rows pointing at it, its attachments, notes
    and change log."""
    model = type(record)
    state = {"record": model._default_manager.filter(pk=record.pk).values().first()}
    for relation in model._meta.related_objects:
        if relation.many_to_many or relation.one_to_one:
            continue
        rows = relation.related_model._default_manager.filter(**{relation.field.name: record.pk})
        state[relation.related_model._meta.label] = (
            sorted(rows.values_list("pk", flat=True)),
            list(rows.order_by("pk").values()),
        )
    content_type = ContentType.objects.get_for_model(record)
    state["attachments"] = list(Attachment.objects.filter(content_type=content_type, object_id=record.pk).values())
    state["change log"] = ChangeLogEntry.objects.filter(content_type=content_type, object_id=record.pk).count()
    return state


def reload(record):
    return type(record)._default_manager.get(pk=record.pk)


def said(response) -> str:
    """What the user was told: the page's text and the messages queued for the next page."""
    text = response.content.decode() if response.status_code != 302 else ""
    return text + " ".join(str(m) for m in get_messages(response.wsgi_request))


def row_data(detail, user, record, row) -> dict:
    """The row's form as a browser posts it back."""
    form = detail.get_form_class()(instance=row, user=user, record=record, prefix=f"detail-{detail.name}")
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[form[name].html_name] = "on" if value is True else str(value)
    return data


@pytest.fixture
def pending(db, alice, bob):
    """`pending(section, build=None)`: alice's record of `section` (rows built by `build(record)` first),
    waiting for bob's approval."""

    def make(locked_section, build=None):
        record = make_record(locked_section, alice)
        extra = build(record) if build else None
        send_for_approval(record, alice, bob)
        return reload(record), extra

    return make


# --- detail rows: add, change, delete ----------------------------------------------------------------------------


@pytest.mark.parametrize(("locked_section", "detail"), DETAILS, ids=by_name(DETAILS))
def test_a_row_cannot_be_added_to_a_pending_record(pending, alice, alice_client, locked_section, detail):
    record, model_row = pending(locked_section, lambda record: a_row(detail, record))
    data = row_data(detail, alice, record, model_row)
    model_row.delete()
    before = snapshot(record)

    response = alice_client.post(locked_section.url("detail_row_create", record.pk, detail.name), data)

    assert snapshot(record) == before
    assert LOCKED in said(response)


@pytest.mark.parametrize(("locked_section", "detail"), DETAILS, ids=by_name(DETAILS))
def test_a_row_of_a_pending_record_cannot_be_changed(pending, alice, alice_client, locked_section, detail):
    record, row = pending(locked_section, lambda record: a_row(detail, record))
    data = row_data(detail, alice, record, row)
    if "quantity" in detail.fields:
        data[f"detail-{detail.name}-quantity"] = "90"  # the probe's 1,367.64 -> 9,016.92
    before = snapshot(record)

    response = alice_client.post(locked_section.url("detail_row_update", record.pk, detail.name, row.pk), data)

    assert snapshot(record) == before
    assert LOCKED in said(response)


@pytest.mark.parametrize(("locked_section", "detail"), DETAILS, ids=by_name(DETAILS))
def test_a_row_of_a_pending_record_cannot_be_deleted(pending, alice_client, locked_section, detail):
    record, row = pending(locked_section, lambda record: a_row(detail, record))
    before = snapshot(record)

    response = alice_client.post(locked_section.url("detail_row_delete", record.pk, detail.name, row.pk))

    assert snapshot(record) == before
    assert LOCKED in said(response)


# --- the product selection page ----------------------------------------------------------------------------------


def select_and_save(client, locked_section, record):
    product = ProductFactory(owner=record.owner, name="Server rack")
    ProductPriceFactory(product=product, price_list=price_list("Base"), price=Decimal("2500.00"))
    target = {"for": locked_section.name, "pk": record.pk}
    client.post(reverse("products:cart"), {**target, "product": product.pk, "quantity": "3"})
    return client.post(reverse("products:select_save"), target)


@pytest.mark.parametrize("locked_section", LINE_SECTIONS, ids=by_name(LINE_SECTIONS))
def test_the_product_selection_adds_no_lines_to_a_pending_record(pending, alice_client, locked_section):
    record, _ = pending(locked_section)
    before = snapshot(record)

    response = select_and_save(alice_client, locked_section, record)

    assert snapshot(record) == before
    assert LOCKED in said(response)


# --- attachments and file versions -------------------------------------------------------------------------------


@pytest.mark.parametrize("locked_section", APPROVAL_SECTIONS, ids=by_name(APPROVAL_SECTIONS))
def test_no_file_is_attached_to_a_pending_record(pending, alice_client, locked_section):
    record, _ = pending(locked_section)
    before = snapshot(record)

    response = alice_client.post(
        locked_section.url("attachment_create", record.pk),
        {"file": SimpleUploadedFile("offer.pdf", b"%PDF-1.4 new terms", content_type="application/pdf")},
    )

    assert snapshot(record) == before
    assert LOCKED in said(response)


@pytest.mark.parametrize("locked_section", APPROVAL_SECTIONS, ids=by_name(APPROVAL_SECTIONS))
def test_an_attachment_of_a_pending_record_is_not_removed(pending, alice, alice_client, locked_section):
    def attach(record):
        return Attachment.objects.create(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            kind=Attachment.Kind.LINK,
            name="Signed terms",
            url="https://example.com/terms",
            uploaded_by=alice,
        )

    record, attachment = pending(locked_section, attach)
    before = snapshot(record)

    response = alice_client.post(reverse("attachment_delete", args=[attachment.pk]))

    assert snapshot(record) == before
    assert LOCKED in said(response)


def test_no_new_file_version_goes_onto_a_pending_document(pending, alice_client):
    locked_section = registry.get("documents")
    record, _ = pending(locked_section)
    before = snapshot(record)

    response = alice_client.post(
        reverse("documents:file_upload", args=[record.pk]),
        {"file": SimpleUploadedFile("contract-v2.pdf", b"%PDF-1.4 other terms", content_type="application/pdf")},
    )

    assert snapshot(record) == before
    assert LOCKED in said(response)


# --- merge, bulk actions, delete ------------------------------------------------------------------------------


@pytest.mark.parametrize("locked_section", APPROVAL_SECTIONS, ids=by_name(APPROVAL_SECTIONS))
def test_a_merge_does_not_delete_a_pending_record(pending, ada, alice, locked_section):
    record, _ = pending(locked_section)
    survivor = make_record(locked_section, alice)
    before = snapshot(record)

    with pytest.raises(Exception, match=LOCKED):
        merge.merge_records(section=locked_section, user=ada, survivor=survivor, others=[record])

    assert snapshot(record) == before


@pytest.mark.parametrize("locked_section", APPROVAL_SECTIONS, ids=by_name(APPROVAL_SECTIONS))
def test_a_merge_does_not_change_a_pending_record(pending, ada, alice, locked_section):
    record, _ = pending(locked_section)
    other = make_record(locked_section, alice)
    before = snapshot(record)

    with pytest.raises(Exception, match=LOCKED):
        merge.merge_records(section=locked_section, user=ada, survivor=record, others=[other])

    assert snapshot(record) == before
    assert type(other)._default_manager.filter(pk=other.pk).exists()


@pytest.mark.parametrize("locked_section", APPROVAL_SECTIONS, ids=by_name(APPROVAL_SECTIONS))
@pytest.mark.parametrize("action", ["delete", "change_owner"])
def test_a_bulk_action_leaves_a_pending_record_as_it_was(pending, bob, alice_client, locked_section, action):
    record, _ = pending(locked_section)
    before = snapshot(record)

    response = alice_client.post(locked_section.url("bulk"), {"action": action, "ids": [record.pk], "owner": bob.pk})

    assert snapshot(record) == before
    assert LOCKED in said(response)


@pytest.mark.parametrize("locked_section", APPROVAL_SECTIONS, ids=by_name(APPROVAL_SECTIONS))
def test_a_pending_record_is_not_deleted_and_the_page_says_why(pending, alice_client, locked_section):
    record, _ = pending(locked_section)
    before = snapshot(record)

    response = alice_client.post(locked_section.url("delete", record.pk))

    assert snapshot(record) == before
    assert LOCKED in said(response)


@pytest.mark.parametrize("locked_section", APPROVAL_SECTIONS, ids=by_name(APPROVAL_SECTIONS))
def test_once_approved_the_products_and_files_can_change_again(pending, alice, bob, alice_client, locked_section):
    """The control: the same writes go through when the approval is finished."""
    record, _ = pending(locked_section)
    approval_services.approve(user=bob, approval=Approval.objects.for_record(record).pending().get())
    record = reload(record)

    alice_client.post(
        locked_section.url("attachment_create", record.pk),
        {"file": SimpleUploadedFile("offer.pdf", b"%PDF-1.4 new terms", content_type="application/pdf")},
    )

    content_type = ContentType.objects.get_for_model(record)
    assert Attachment.objects.filter(content_type=content_type, object_id=record.pk).count() == 1


# --- a paid invoice's products --------------------------------------------------------------------------------


@pytest.fixture
def paid_invoice(alice):
    """alice's invoice of 683.82 (one line), paid in full."""
    invoice = InvoiceFactory(owner=alice, status=InvoiceStatus.UNPAID)
    line = InvoiceProduct(
        invoice=invoice,
        product=ProductFactory(owner=alice),
        unit=unit("pieces"),
        quantity=Decimal("1"),
        price=Decimal("683.82"),
        tax_included=False,
        position=1,
    )
    line.recompute()
    line.save()
    invoice_services.recompute_amount(invoice)
    invoice = reload(invoice)
    invoice_services.register_payment(user=alice, invoice=invoice, amount=invoice.amount)
    invoice = reload(invoice)
    assert (invoice.status, invoice.amount) == (InvoiceStatus.PAID, Decimal("683.82"))
    return invoice, line


def products_detail():
    return registry.get("invoices").get_detail("products")


def test_no_line_is_added_to_a_paid_invoice(alice, alice_client, paid_invoice):
    invoice, line = paid_invoice
    data = row_data(products_detail(), alice, invoice, line)
    before = snapshot(invoice)

    response = alice_client.post(registry.get("invoices").url("detail_row_create", invoice.pk, "products"), data)

    assert snapshot(invoice) == before
    assert PAID in said(response)


def test_a_paid_invoices_line_does_not_change(alice, alice_client, paid_invoice):
    invoice, line = paid_invoice
    data = {**row_data(products_detail(), alice, invoice, line), "detail-products-quantity": "23"}
    before = snapshot(invoice)

    url = registry.get("invoices").url("detail_row_update", invoice.pk, "products", line.pk)
    response = alice_client.post(url, data)

    assert snapshot(invoice) == before
    assert PAID in said(response)


def test_a_paid_invoices_line_is_not_deleted(alice_client, paid_invoice):
    invoice, line = paid_invoice
    before = snapshot(invoice)

    url = registry.get("invoices").url("detail_row_delete", invoice.pk, "products", line.pk)
    response = alice_client.post(url)

    assert snapshot(invoice) == before
    assert PAID in said(response)


def test_the_product_selection_adds_no_lines_to_a_paid_invoice(alice_client, paid_invoice):
    invoice, _ = paid_invoice
    before = snapshot(invoice)

    response = select_and_save(alice_client, registry.get("invoices"), invoice)

    assert snapshot(invoice) == before
    assert PAID in said(response)
    assert reload(invoice).amount == Decimal("683.82")


def test_an_unpaid_invoice_takes_lines_from_the_selection(alice, alice_client):
    """The control: the selection works on an invoice that is neither paid nor pending."""
    invoice = InvoiceFactory(owner=alice, status=InvoiceStatus.DRAFT)

    select_and_save(alice_client, registry.get("invoices"), invoice)

    assert Invoice.objects.get(pk=invoice.pk).lines.count() == 1
