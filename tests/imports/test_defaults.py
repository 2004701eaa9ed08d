"""Defaults per import: rows without a value (an empty cell or no column) get the job's default; a default that
does not exist is refused when the import is configured; the dry run names them."""

import pytest
from django.core.exceptions import ValidationError

from crm.imports import services
from products.models import Product
from tests.factories.products import ProductCategoryFactory

from .test_engine import run
from .test_nothing_behind import products_job

pytestmark = pytest.mark.django_db


def test_rows_without_a_category_get_the_default_and_the_others_keep_theirs(ada):
    default, own = ProductCategoryFactory(name="Misc"), ProductCategoryFactory(name="Tools")

    run(
        products_job(
            ada,
            [["P-1", "Saw", "", ""], ["P-2", "Hammer", "Tools", ""]],
            create=False,
            defaults={"category": default.pk},
        )
    )

    assert dict(Product.objects.values_list("code", "category")) == {"P-1": default.pk, "P-2": own.pk}


def test_a_field_without_a_column_takes_its_default(ada):
    default = ProductCategoryFactory(name="Misc")

    run(products_job(ada, [["P-1", "Saw"]], header=["Code", "Name"], defaults={"category": default.pk}))

    assert Product.objects.get().category == default


def test_a_default_that_does_not_exist_is_refused_when_configuring(ada):
    with pytest.raises(ValidationError, match="not one you may choose"):
        products_job(ada, [["P-1", "Saw"]], header=["Code", "Name"], defaults={"category": 999999})


def test_the_dry_run_names_the_defaults(ada):
    default = ProductCategoryFactory(name="Misc")
    job = products_job(ada, [["P-1", "Saw"]], header=["Code", "Name"], defaults={"category": default.pk})

    preview = services.dry_run(user=ada, job=job)

    assert [(label, str(value)) for label, value in preview.defaults] == [("Category", "Misc")]
    assert preview.samples[0][2]["Category"] == default


def test_the_mapping_page_offers_defaults_and_its_dry_run_names_them(ada, client):
    default = ProductCategoryFactory(name="Misc")
    client.force_login(ada)
    job = products_job(ada, [["P-1", "Saw"]], header=["Code", "Name"])
    data = {f"column_{i}": name for i, name in job.mapping.items()}

    response = client.post(
        f"/imports/{job.pk}/map/", data | {"lookup_mode": "refuse", "dry_run": "1", "default__category": default.pk}
    )

    job.refresh_from_db()
    assert job.defaults == {"category": str(default.pk)}
    assert "Defaults: Category = Misc" in response.content.decode()
