"""Product features of the five value types, set on the product page and validated by type."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from crm.sections.models import ChangeLogEntry
from products.models import Feature, ProductFeatureValue
from products.services import set_feature_value
from tests.factories import ProductFactory
from tests.factories.products import FeatureFactory, FeatureValueOptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(alice):
    return ProductFactory(owner=alice, name="Monitor")


@pytest.mark.parametrize(
    ("value_type", "typed", "column", "stored"),
    [
        (Feature.ValueType.DECIMAL, "27,5", "decimal_value", Decimal("27.5")),
        (Feature.ValueType.INTEGER, "36", "integer_value", 36),
        (Feature.ValueType.BOOLEAN, "yes", "boolean_value", True),
        (Feature.ValueType.BOOLEAN, "false", "boolean_value", False),
        (Feature.ValueType.STRING, "  IPS panel ", "string_value", "IPS panel"),
    ],
)
def test_a_typed_value_is_stored_in_its_types_column(alice, product, value_type, typed, column, stored):
    feature = FeatureFactory(value_type=value_type)

    set_feature_value(user=alice, product=product, feature=feature, value=typed)

    assert getattr(ProductFeatureValue.objects.get(product=product, feature=feature), column) == stored


def test_a_drop_down_value_must_be_one_of_the_features_options(alice, product):
    black = FeatureValueOptionFactory(value="Black")
    other_feature_option = FeatureValueOptionFactory(value="Blue")

    set_feature_value(user=alice, product=product, feature=black.feature, value=str(black.pk))
    with pytest.raises(ValidationError):
        set_feature_value(user=alice, product=product, feature=black.feature, value=str(other_feature_option.pk))

    assert ProductFeatureValue.objects.get(product=product, feature=black.feature).option == black


@pytest.mark.parametrize(
    ("value_type", "typed"),
    [
        (Feature.ValueType.DECIMAL, "twelve"),
        (Feature.ValueType.DECIMAL, "1.00001"),
        (Feature.ValueType.INTEGER, "3.5"),
        (Feature.ValueType.BOOLEAN, "maybe"),
        (Feature.ValueType.STRING, "x" * 251),
    ],
)
def test_a_value_not_of_the_features_type_is_refused(alice, product, value_type, typed):
    feature = FeatureFactory(value_type=value_type)

    with pytest.raises(ValidationError):
        set_feature_value(user=alice, product=product, feature=feature, value=typed)

    assert not ProductFeatureValue.objects.filter(product=product).exists()


def test_an_empty_value_removes_the_feature_value_and_the_change_is_logged(alice, product):
    feature = FeatureFactory(name="Warranty", value_type=Feature.ValueType.INTEGER)
    set_feature_value(user=alice, product=product, feature=feature, value="24")

    set_feature_value(user=alice, product=product, feature=feature, value="")

    assert not ProductFeatureValue.objects.filter(product=product).exists()
    changes = [c for e in ChangeLogEntry.objects.filter(object_id=product.pk) for c in e.changes]
    assert {"field": f"feature:{feature.pk}", "label": "Warranty", "old": "24", "new": ""} in changes


def test_a_user_who_may_not_edit_the_product_cannot_set_features(only_owners_edit_records, client, charlie, product):
    feature = FeatureFactory()
    client.force_login(charlie)

    with pytest.raises(PermissionDenied):
        set_feature_value(user=charlie, product=product, feature=feature, value="x")
    response = client.post(reverse("products:features", args=[product.pk]), {f"feature_{feature.pk}": "x"})

    assert response.status_code == 404
    assert not ProductFeatureValue.objects.filter(product=product).exists()


def test_the_features_tab_saves_every_feature_and_shows_errors_without_saving(alice_client, product):
    warranty = FeatureFactory(name="Warranty", value_type=Feature.ValueType.INTEGER)
    size = FeatureFactory(name="Size", value_type=Feature.ValueType.DECIMAL)
    url = reverse("products:features", args=[product.pk])

    refused = alice_client.post(url, {f"feature_{warranty.pk}": "36", f"feature_{size.pk}": "big"})
    saved = alice_client.post(
        url, {f"feature_{warranty.pk}": "36", f"feature_{size.pk}": "27.5"}, HTTP_HX_REQUEST="true"
    )

    assert refused.status_code == 422 and "Size: enter a number." in refused.content.decode()
    assert saved.status_code == 200
    assert {v.feature.name: v.display for v in ProductFeatureValue.objects.filter(product=product)} == {
        "Warranty": "36",
        "Size": "27.5",
    }


def test_the_features_tab_shows_the_current_values(alice_client, alice, product):
    feature = FeatureFactory(name="Panel", value_type=Feature.ValueType.STRING)
    set_feature_value(user=alice, product=product, feature=feature, value="IPS")

    response = alice_client.get(reverse("products:tab", args=[product.pk, "features"]))

    assert 'value="IPS"' in response.content.decode()
