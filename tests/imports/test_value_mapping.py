"""Value mapping: what a file's values of a lookup or choice column mean, applied before the lookup, remembered
for the user's next import into the section."""

import pytest
from django.core.exceptions import ValidationError

from crm.imports import services
from crm.imports.fields import CREATE, EMPTY
from products.models import Product, ProductCategory
from tests.factories.products import ProductCategoryFactory

from .conftest import csv_bytes, upload
from .test_engine import run
from .test_nothing_behind import products_job

pytestmark = pytest.mark.django_db


def test_a_file_value_mapped_to_ours_takes_it_and_one_mapped_to_empty_is_left_empty(ada):
    tools = ProductCategoryFactory(name="Tools")

    job = run(
        products_job(
            ada,
            [["P-1", "Saw", "Werkzeug", ""], ["P-2", "Pen", "Unknown", ""]],
            create=False,
            value_map={"2": {"werkzeug": str(tools.pk), "Unknown": EMPTY}},
        )
    )

    assert job.refused_count == 0
    assert dict(Product.objects.values_list("code", "category")) == {"P-1": tools.pk, "P-2": None}


def test_a_value_mapped_to_create_is_made_even_when_the_import_refuses_missing_values(ada):
    run(products_job(ada, [["P-1", "Saw", "Outdoor", ""]], create=False, value_map={"2": {"Outdoor": CREATE}}))

    assert Product.objects.get().category == ProductCategory.objects.get(name="Outdoor")


def test_a_value_map_naming_a_value_that_does_not_exist_is_refused(ada):
    with pytest.raises(ValidationError, match="Werkzeug"):
        products_job(ada, [["P-1", "Saw", "Werkzeug", ""]], value_map={"2": {"Werkzeug": "999999"}})


def test_the_value_map_is_remembered_for_the_next_import_of_the_same_header(ada):
    tools = ProductCategoryFactory(name="Tools")
    run(products_job(ada, [["P-1", "Saw", "Werkzeug", ""]], value_map={"2": {"Werkzeug": str(tools.pk)}}))

    header = ["Name", "Code", "Category"]
    job = services.create_job(user=ada, section_name="products", upload=upload(csv_bytes([header]), "next.csv"))

    assert job.value_map == {"2": {"Werkzeug": str(tools.pk)}}
