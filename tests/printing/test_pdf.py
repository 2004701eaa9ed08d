"""A record printed to PDF with its section's print form: the text is on the page, hidden columns are not, and
only those who may read the record get it."""

import pypdfium2
import pytest
from django.urls import reverse

from crm.access.models import ColumnRight, Membership, Role
from crm.printing.models import PrintForm
from opportunities.models import Opportunity


def default_form(section="opportunities") -> PrintForm:
    return PrintForm.objects.get(section=section, is_default=True)


def pdf_url(opportunity, form=None):
    return reverse("printing:pdf", args=["opportunities", opportunity.pk, (form or default_form()).pk])


def page_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(content)
    # words as printed, whatever the line breaks of table cells
    return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)


def test_the_seeded_proposal_prints_the_opportunity_its_products_and_total(alice_client, opportunity):
    response = alice_client.get(pdf_url(opportunity))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="laptops-for-northwind.pdf"'
    assert response.content.startswith(b"%PDF")
    text = page_text(response.content)
    assert "Laptops for Northwind" in text
    assert "ThinkPad X1 Carbon" in text
    assert "12,500.00" in text, "amounts print as the pages show them"
    assert "12500.00" not in text


def test_the_proposal_names_its_preparer_by_full_name(alice_client, opportunity):
    text = page_text(alice_client.get(pdf_url(opportunity)).content)

    assert "Prepared by: Alice Archer" in text


def test_cyrillic_greek_and_latin_extended_names_print_in_an_embedded_font(alice_client, opportunity):
    Opportunity.objects.filter(pk=opportunity.pk).update(name="Ноутбуки для «Севера» · Σπύρος · Łódź Žižkov")

    response = alice_client.get(pdf_url(opportunity))

    assert "Ноутбуки для «Севера» · Σπύρος · Łódź Žižkov" in page_text(response.content)
    assert b"/FontFile2" in response.content and b"DejaVuSans" in response.content


def test_a_form_that_names_helvetica_prints_cyrillic_too(alice_client, opportunity):
    form = PrintForm.objects.create(
        section="opportunities",
        name="Old style",
        template="<html><head><style>body { font-family: Helvetica; }</style></head>"
        "<body>{{ record.title }}</body></html>",
    )
    Opportunity.objects.filter(pk=opportunity.pk).update(name="Иван Петров")

    assert "Иван Петров" in page_text(alice_client.get(pdf_url(opportunity, form)).content)


def test_the_printed_page_has_ink_where_the_text_is(alice_client, opportunity):
    document = pypdfium2.PdfDocument(alice_client.get(pdf_url(opportunity)).content)
    image = document[0].render(scale=1).to_pil().convert("L")
    width, height = image.size

    top = image.crop((0, 0, width, height // 3))
    bottom = image.crop((0, height * 2 // 3, width, height))

    assert top.getextrema()[0] < 128, "the heading and the products are printed in the top third"
    assert bottom.getextrema() == (255, 255), "nothing is printed below the totals"


def test_a_hidden_column_is_not_printed(client, alice, bob, opportunity):
    reps = Role.objects.create(name="Sales reps", kind=Role.Kind.FUNCTIONAL)
    Membership.objects.create(user=bob, role=reps)
    ColumnRight.objects.create(
        section="opportunities", field_name="description", role=reps, access=ColumnRight.Access.HIDDEN
    )
    client.force_login(bob)

    text = page_text(client.get(pdf_url(opportunity)).content)

    assert "Laptops for Northwind" in text
    assert "Secret margin" not in text


def test_an_outsider_gets_the_same_404_as_for_a_missing_record(client, charlie, opportunity, record_rights):
    record_rights("opportunities")
    client.force_login(charlie)

    assert client.get(pdf_url(opportunity)).status_code == 404
    missing = reverse("printing:pdf", args=["opportunities", opportunity.pk + 1000, default_form().pk])
    assert client.get(missing).status_code == 404


def test_a_form_of_another_section_or_an_inactive_form_is_not_found(alice_client, opportunity):
    other = PrintForm.objects.create(section="accounts", name="Account card", template="<p>{{ record.name }}</p>")
    assert alice_client.get(pdf_url(opportunity, other)).status_code == 404

    PrintForm.objects.filter(section="opportunities").update(is_active=False)
    assert alice_client.get(pdf_url(opportunity, default_form())).status_code == 404


def test_a_template_with_a_syntax_error_answers_a_clear_422(alice_client, opportunity):
    form = default_form()
    PrintForm.objects.filter(pk=form.pk).update(template="<p>{% if record.name %}unclosed</p>")

    response = alice_client.get(pdf_url(opportunity))

    assert response.status_code == 422
    page = response.content.decode()
    assert "has an error in its template" in page
    assert "if" in page


def test_the_print_tab_lists_the_sections_forms(alice_client, opportunity):
    response = alice_client.get(reverse("opportunities:tab", args=[opportunity.pk, "print"]))

    assert response.status_code == 200
    assert pdf_url(opportunity) in response.content.decode()


def test_a_section_without_print_forms_has_no_print_tab(alice_client, alice):
    from tests.factories import AccountFactory

    account = AccountFactory(owner=alice)

    assert alice_client.get(reverse("accounts:tab", args=[account.pk, "print"])).status_code == 404


def test_the_default_forms_of_the_coming_sections_are_seeded(db):
    assert set(PrintForm.objects.filter(is_default=True).values_list("section", flat=True)) >= {
        "opportunities",
        "orders",
        "invoices",
        "contracts",
    }


@pytest.mark.parametrize("count", [1, 20])
def test_a_section_may_add_to_the_context(alice_client, opportunity, count):
    from crm import printing

    printing.register_context("opportunities", lambda *, user, record: {"greeting": f"Hello {count}"})
    PrintForm.objects.filter(pk=default_form().pk).update(template="<p>{{ greeting }} {{ record.title }}</p>")
    try:
        text = page_text(alice_client.get(pdf_url(opportunity)).content)
    finally:
        printing.unregister_context("opportunities")

    assert f"Hello {count} Laptops for Northwind" in text
