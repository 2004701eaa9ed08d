"""The import pages: from a section's list to upload, mapping, dry run, the running job and its refused rows."""

import pytest
from django.urls import reverse

from contacts.models import Contact
from crm.imports.models import ImportJob
from tests.factories import AccountFactory

from .conftest import csv_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

ROWS = [["Given name", "Surname", "Account"], ["Ann", "Lee", "Northwind"], ["Bo", "Ma", "Nobody Ltd"]]


def uploaded(client, rows=ROWS, name="people.xlsx"):
    return client.post(
        reverse("imports:new") + "?section=contacts",
        {"section": "contacts", "file": upload(xlsx_bytes(rows), name)},
    )


def test_the_list_offers_the_import(alice_client):
    page = alice_client.get(reverse("contacts:list")).content.decode()

    assert reverse("imports:new") + "?section=contacts" in page


def test_an_upload_leads_to_the_mapping_with_the_columns_matched(alice_client):
    response = uploaded(alice_client)

    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:map", args=[job.pk])
    page = alice_client.get(response["Location"])
    assert page.context["form"]["column_0"].initial == "given_name"
    assert page.context["form"]["column_2"].initial == "account"


def test_a_hostile_upload_is_refused_on_the_page(alice_client):
    response = alice_client.post(
        reverse("imports:new"), {"section": "contacts", "file": upload(b"\0\1\2" * 1000, "x.csv")}
    )

    assert response.status_code == 422
    assert "not a spreadsheet" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_dry_run_then_the_import_then_the_refused_rows(alice_client, alice, django_capture_on_commit_callbacks):
    AccountFactory(owner=alice, name="Northwind")
    job_url = uploaded(alice_client)["Location"]
    mapping = {"column_0": "given_name", "column_1": "surname", "column_2": "account", "lookup_mode": "refuse"}

    dry = alice_client.post(job_url, {**mapping, "dry_run": "1"})
    assert dry.context["preview"].created == 2 and len(dry.context["preview"].warnings) == 1
    assert not Contact.objects.filter(surname="Lee").exists()

    with django_capture_on_commit_callbacks(execute=True):  # the task is queued on commit (in-process here)
        started = alice_client.post(job_url, {**mapping, "start": "1"})
    job = ImportJob.objects.get()
    assert started["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert (job.status, job.created_count, job.warning_count) == (ImportJob.Status.COMPLETED, 2, 1)

    page = alice_client.get(job.get_absolute_url()).content.decode()
    assert 'id="import-progress"' in page and "Nobody Ltd" in page
    refused = alice_client.get(reverse("imports:refused", args=[job.pk]))
    assert refused["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_progress_partial_polls_only_while_the_import_runs(alice_client, alice):
    uploaded(alice_client)
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status="running", total_rows=10, rows_done=4)

    running = alice_client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in running and 'value="40"' in running
    ImportJob.objects.filter(pk=job.pk).update(status="completed", rows_done=10)
    done = alice_client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done


def test_someone_elses_import_is_not_found(client, alice, bob):
    client.force_login(alice)
    uploaded(client)
    job = ImportJob.objects.get()
    client.force_login(bob)

    for name in ("job", "map", "refused"):
        assert client.get(reverse(f"imports:{name}", args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:rollback", args=[job.pk])).status_code == 404


def test_who_may_not_import_gets_no_import_page(client, charlie, role_tree):
    from crm.access.models import Membership, OperationRight

    Membership.objects.create(user=charlie, role=role_tree.team_a)
    OperationRight.objects.create(operation="import", role=role_tree.all_employees, allowed=False, priority=1)
    client.force_login(charlie)

    assert client.get(reverse("imports:new") + "?section=contacts").status_code == 404
    assert reverse("imports:new") not in client.get(reverse("contacts:list")).content.decode()
    data_import = client.get(reverse("imports:list"))
    assert data_import.context["sections"] == []
    assert 'id="menu-imports"' not in data_import.content.decode()


def test_the_data_import_page_starts_an_import_into_any_section_one_may_import_into(
    client, charlie, role_tree, alice_client
):
    from crm.access.models import Membership, ObjectRight

    page = alice_client.get(reverse("imports:list"))
    names = [section.name for section in page.context["sections"]]
    assert {"accounts", "contacts", "products", "leads"} <= set(names)
    body = page.content.decode()
    assert f"{reverse('imports:new')}?section=products" in body and 'id="menu-imports"' in body
    assert alice_client.get(reverse("imports:new"))["Location"] == reverse("imports:list")

    # who may not create products is not offered them
    Membership.objects.create(user=charlie, role=role_tree.team_a)
    ObjectRight.objects.create(section="products", role=role_tree.all_employees, can_read=True, can_create=False)
    client.force_login(charlie)
    offered = [section.name for section in client.get(reverse("imports:list")).context["sections"]]
    assert "products" not in offered and "contacts" in offered


def completed_job(client, section="contacts"):
    client.post(
        reverse("imports:new") + f"?section={section}",
        {"section": section, "file": upload(xlsx_bytes([["Name"], ["Anything"]]), "file.xlsx")},
    )
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status="completed", created_count=1, rows_done=1, total_rows=1)
    return client.get(job.get_absolute_url()).content.decode()


def test_a_finished_import_points_to_the_duplicate_search_that_follows_it(alice_client):
    page = completed_job(alice_client)

    assert 'id="duplicates-note"' in page and reverse("duplicates:review", args=["contacts"]) in page


def test_no_pointer_to_duplicates_one_may_not_review(alice_client, alice, role_tree):
    from crm.access.models import Membership, OperationRight

    Membership.objects.create(user=alice, role=role_tree.team_a)
    OperationRight.objects.create(operation="merge_duplicates", role=role_tree.team_a, allowed=False, priority=1)

    assert 'id="duplicates-note"' not in completed_job(alice_client)


def test_no_pointer_to_duplicates_where_no_search_follows(alice_client):
    from crm.duplicates.models import DuplicateRule

    assert not DuplicateRule.objects.filter(section="products").exists()
    assert 'id="duplicates-note"' not in completed_job(alice_client, "products")


def test_the_rollback_asks_first_and_is_offered_only_when_there_is_something_to_undo(alice_client):
    page = completed_job(alice_client)  # one record created
    assert 'id="rollback-import"' in page
    assert 'data-confirm="Roll back this import? The 1 record it created will be deleted' in page

    ImportJob.objects.update(created_count=0, refused_count=1)
    nothing = alice_client.get(ImportJob.objects.get().get_absolute_url()).content.decode()
    assert 'id="rollback-import"' not in nothing


def test_the_log_counts_unchanged_rows_too(alice_client):
    completed_job(alice_client)
    ImportJob.objects.update(created_count=0, unchanged_count=7)

    page = alice_client.get(reverse("imports:list")).content.decode()

    assert '<th scope="col">Unchanged</th>' in page and "<td>7</td>" in page


def test_a_csv_with_a_cell_over_the_limit_is_refused_on_upload_naming_the_row_and_column(alice_client):
    content = csv_bytes([["Given name", "Surname"], ["Ann", "Lee"], ["Bo", "x" * (4 * 1024 * 1024)]])

    response = alice_client.post(
        reverse("imports:new") + "?section=contacts",
        {"section": "contacts", "file": upload(content, "people.csv")},
    )

    assert response.status_code == 422
    assert "Row 3, column B: the cell holds 4,194,304 characters; a cell may hold at most 32,767." in (
        response.content.decode()
    )
    assert not ImportJob.objects.exists()


def test_the_mapping_page_of_a_file_that_became_unreadable_answers_with_the_reason(alice_client, settings):
    job_url = uploaded(alice_client)["Location"]
    settings.IMPORT_MAX_CELL_CHARS = 2  # "Given name" is now too long

    response = alice_client.get(job_url)

    assert response.status_code == 422
    assert "Row 1, column A: the cell holds 10 characters" in response.content.decode()
