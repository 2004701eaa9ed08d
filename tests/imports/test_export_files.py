"""The export files of common address books and CRMs map by themselves: per file, the columns carrying contact
data go to the right field (rate at least 0.9), the others to none; a Google file imports its contacts."""

import pytest

from contacts.models import Contact
from crm.imports import services
from crm.imports.models import ImportJob

from .conftest import upload
from .export_files import EXPECTED, FILES, measure

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_export_maps_its_data_columns_to_the_right_fields(alice, name):
    right, data, wrong = measure(alice)[name]

    assert wrong == []
    assert right == data


def test_the_share_of_data_columns_mapped_right_is_at_least_nine_in_ten(alice):
    results = measure(alice).values()

    assert sum(right for right, _, _ in results) / sum(data for _, data, _ in results) >= 0.9


def test_every_export_file_has_its_expected_table_for_every_column(alice):
    import csv

    for path in FILES.glob("*.csv"):
        with open(path, newline="", encoding="utf-8") as handle:
            assert set(next(csv.reader(handle))) == set(EXPECTED[path.name]), path.name


def test_a_pipedrive_export_imports_its_people_with_their_companies_made(alice):
    job = services.create_job(
        user=alice, section_name="contacts", upload=upload((FILES / "pipedrive.csv").read_bytes(), "pipedrive.csv")
    )
    mapping = {index: field for index, field in job.mapping.items() if field != "owner"}  # no such users here
    job = services.configure(
        user=alice, job=job, sheet="", mapping=mapping, keys=["email"], lookup_mode=ImportJob.LookupMode.CREATE
    )
    services.start(user=alice, job=job)
    job = services.run(job.pk)

    assert (job.created_count, job.refused_count) == (5, 0)
    smith = Contact.objects.get(email="john.smith@contoso.example")
    assert (smith.given_name, smith.surname, smith.account.name) == ("John", "Smith", "Contoso Ltd.")
