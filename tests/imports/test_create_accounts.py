"""What the rows name is made when the user asks: a contact's company that is no account yet becomes one (once for
two spellings), the import's rollback removes it, a user who may not create accounts has the row refused, and a row
with only an email is named from it when the user ticks the option."""

import pytest

from accounts.models import Account
from contacts.models import Contact
from crm.imports import services
from crm.imports.models import ImportJob

from .conftest import csv_bytes, upload

pytestmark = pytest.mark.django_db

HEADER = ["Name", "Company", "E-mail Address"]


def imported(user, rows, *, create=True, name_from_email=False, header=HEADER):
    job = services.create_job(user=user, section_name="contacts", upload=upload(csv_bytes([header, *rows]), "c.csv"))
    mode = ImportJob.LookupMode.CREATE if create else ImportJob.LookupMode.REFUSE
    job = services.configure(
        user=user,
        job=job,
        sheet="",
        mapping=job.mapping,
        keys=["email"],
        lookup_mode=mode,
        name_from_email=name_from_email,
    )
    services.start(user=user, job=job)
    return services.run(job.pk)


def test_two_spellings_of_one_company_make_one_account_owned_by_the_importer(alice):
    job = imported(
        alice,
        [["Anna Schmidt", "ACME GmbH", "anna@acme.example"], ["Jörg Weiß", "Acme", "joerg@acme.example"]],
    )

    assert (job.created_count, job.refused_count) == (2, 0)
    account = Account.objects.get()
    assert (account.name, account.owner) == ("ACME GmbH", alice)
    assert set(Contact.objects.values_list("account", flat=True)) == {account.pk}


def test_an_existing_account_is_found_by_the_duplicate_rules_instead_of_made_again(alice):
    from tests.factories import AccountFactory

    existing = AccountFactory(owner=alice, name="Contoso Ltd.")

    job = imported(alice, [["Ann Lee", "Contoso Limited", "ann@contoso.example"]])

    assert job.created_count == 1
    assert list(Account.objects.all()) == [existing]
    assert Contact.objects.get().account == existing


def test_the_rollback_removes_the_accounts_the_import_made(alice):
    job = imported(alice, [["Anna Schmidt", "Fabrikam AG", "anna@fabrikam.example"]])
    assert Account.objects.filter(name="Fabrikam AG").exists()

    services.rollback(user=alice, job=job)

    assert not Contact.objects.exists()
    assert not Account.objects.exists()


def test_without_create_missing_values_an_unknown_company_is_left_empty_with_a_warning(alice):
    job = imported(alice, [["Anna Schmidt", "Fabrikam AG", "anna@fabrikam.example"]], create=False)

    assert (job.created_count, job.warning_count) == (1, 1)
    assert "Fabrikam AG" in job.row_warnings.get().message
    assert not Account.objects.exists()


def test_who_may_not_create_accounts_gets_the_contact_without_its_company_and_the_reason(charlie, role_tree):
    from crm.access.models import Membership, ObjectRight

    Membership.objects.create(user=charlie, role=role_tree.team_a)
    ObjectRight.objects.create(section="accounts", role=role_tree.all_employees, can_read=True, can_create=False)

    job = imported(charlie, [["Anna Schmidt", "Fabrikam AG", "anna@fabrikam.example"]])

    assert (job.created_count, job.warning_count) == (1, 1)
    assert "you may not create accounts" in job.row_warnings.get().message
    assert not Account.objects.exists()


def test_a_row_with_only_an_email_is_named_from_it_when_the_user_asks(alice):
    job = imported(alice, [["", "", "anna.schmidt@example.com"]], name_from_email=True)

    assert job.created_count == 1
    contact = Contact.objects.get()
    assert (contact.full_name, contact.given_name, contact.surname) == ("Anna Schmidt", "Anna", "Schmidt")


def test_without_the_option_a_row_with_only_an_email_is_refused_naming_the_option(alice):
    job = imported(alice, [["", "", "anna.schmidt@example.com"]])

    assert job.refused_count == 1
    assert "Name contacts from their email" in job.refused_rows.get().reason


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Anna Maria Schmidt", ("Anna", "Maria", "Schmidt", "Anna Maria Schmidt")),
        ("Schmidt, Anna", ("Anna", "", "Schmidt", "Anna Schmidt")),
        ("Dr. José García", ("José", "", "García", "José García")),
        ("Madonna", ("Madonna", "", "", "Madonna")),
    ],
)
def test_a_name_in_one_column_is_split_into_its_parts(alice, name, parts):
    imported(alice, [[name, "", "someone@example.com"]], create=False)

    contact = Contact.objects.get()
    assert (contact.given_name, contact.middle_name, contact.surname, contact.full_name) == parts


def test_the_command_line_names_contacts_from_their_email(alice, tmp_file):
    from django.core.management import call_command

    path = tmp_file(csv_bytes([["E-mail Address"], ["jan.de-vries@example.nl"]]), "only-emails.csv")

    call_command("import_records", "contacts", str(path), "--user", "alice", "--name-from-email")

    assert Contact.objects.get().full_name == "Jan De Vries"
