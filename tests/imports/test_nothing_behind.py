"""Nothing stays behind: lookup values an import made go with its rollback unless used, refused rows make none,
a product type is made with the category its row names (or the row is refused), and a crash fails the job."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from crm.core import bulk
from crm.imports import services
from crm.imports.models import ImportJob
from products.models import Product, ProductCategory, ProductType
from tests.factories.products import ProductCategoryFactory

from .conftest import csv_bytes, upload
from .test_engine import run

pytestmark = pytest.mark.django_db

HEADER = ["Code", "Name", "Category", "Type"]


def products_job(user, rows, *, header=HEADER, create=True, **changes):
    job = services.create_job(user=user, section_name="products", upload=upload(csv_bytes([header, *rows]), "p.csv"))
    mode = ImportJob.LookupMode.CREATE if create else ImportJob.LookupMode.REFUSE
    return services.configure(
        user=user, job=job, sheet="", mapping=job.mapping, keys=job.keys, lookup_mode=mode, **changes
    )


def test_a_new_product_type_is_made_with_the_category_its_row_names(ada):
    job = run(products_job(ada, [["P-1", "Laptop", "Aerial", "Drones"], ["P-2", "Pad", "Aerial", "Drones"]]))

    assert (job.status, job.created_count, job.refused_count) == (ImportJob.Status.COMPLETED, 2, 0)
    laptops = ProductType.objects.get(name="Drones")
    assert laptops.category.name == "Aerial"
    assert set(Product.objects.values_list("type", flat=True)) == {laptops.pk}


def test_a_new_product_type_without_a_category_column_refuses_the_row_with_the_reason(ada):
    job = run(products_job(ada, [["P-1", "Laptop", "Drones"]], header=["Code", "Name", "Type"]))

    assert (job.status, job.created_count, job.refused_count) == (ImportJob.Status.COMPLETED, 0, 1)
    assert "A product type needs its category: map the Category column" in job.refused_rows.get().reason
    assert not ProductType.objects.filter(name="Drones").exists()


def test_starting_a_product_import_that_makes_types_on_the_page_is_never_a_500(
    ada, client, django_capture_on_commit_callbacks
):
    client.force_login(ada)
    job = products_job(ada, [["P-1", "Laptop", "Drones"]], header=["Code", "Name", "Type"])
    data = {f"column_{i}": name for i, name in job.mapping.items()} | {"lookup_mode": "create", "start": "1"}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/imports/{job.pk}/map/", data)

    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.refused_count) == (ImportJob.Status.COMPLETED, 1)


def test_an_import_whose_rows_were_all_refused_creates_no_lookup_values(ada):
    job = run(products_job(ada, [["P-1", "x" * 300, "Gadgets", "Widgets"], ["P-2", "x" * 300, "Gadgets", ""]]))

    assert (job.created_count, job.refused_count) == (0, 2)
    assert not ProductCategory.objects.filter(name="Gadgets").exists()
    assert not ProductType.objects.filter(name="Widgets").exists()


def test_a_rollback_removes_the_lookup_values_the_import_made_but_keeps_those_now_in_use(ada):
    job = run(products_job(ada, [["P-1", "Laptop", "Aerial", "Drones"], ["P-2", "Desk", "Furniture", ""]]))
    furniture = ProductCategory.objects.get(name="Furniture")
    Product.objects.create(code="MINE", name="My chair", category=furniture, owner=ada, created_by=ada, modified_by=ada)

    services.rollback(user=ada, job=job)

    assert not ProductType.objects.filter(name="Drones").exists()
    assert not ProductCategory.objects.filter(name="Aerial").exists()
    assert ProductCategory.objects.filter(name="Furniture").exists()


def test_values_that_existed_before_the_import_survive_its_rollback(ada):
    ProductCategoryFactory(name="Aerial")

    services.rollback(user=ada, job=run(products_job(ada, [["P-1", "Laptop", "Aerial", ""]])))

    assert ProductCategory.objects.filter(name="Aerial").exists()


def test_a_run_that_crashes_is_marked_failed_with_the_error_and_not_queued_again(ada, monkeypatch):
    def disk_full(*args, **kwargs):
        raise DatabaseError("could not extend file: No space left on device")

    monkeypatch.setattr(bulk, "insert", disk_full)  # the database failing under the import

    job = run(products_job(ada, [["P-1", "Laptop", "", ""]]))

    assert job.status == ImportJob.Status.FAILED
    assert job.error == "The import stopped: could not extend file: No space left on device"
    assert services.resume_stalled() == []


def test_a_failed_dry_run_from_the_shell_leaves_no_draft(ada, tmp_file):
    path = tmp_file(csv_bytes([HEADER, ["P-1", "Laptop", "", ""]]), "p.csv")

    with pytest.raises(CommandError, match="Currency"):
        call_command("import_records", "products", str(path), "--dry-run", "--default", "currency=Nope")

    assert not ImportJob.objects.exists()
