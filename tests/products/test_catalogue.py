"""The catalogue tree: levels configured by CatalogueLevel, empty nodes hidden, products under the chosen node."""

import pytest
from django.urls import reverse

from products.models import CatalogueLevel, Product
from products.selectors import catalogue_tree, parse_node
from tests.factories import ProductFactory
from tests.factories.products import BrandFactory, ProductCategoryFactory, ProductTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(alice):
    hardware = ProductCategoryFactory(name="Test hardware")
    laptops = ProductTypeFactory(name="Test laptops", category=hardware)
    ProductTypeFactory(name="Test servers", category=hardware)  # no products
    ProductCategoryFactory(name="Test empty category")  # no products
    retired = ProductCategoryFactory(name="Test retired")
    ProductFactory(owner=alice, name="Old thing", category=retired, is_inactive=True)
    ProductFactory(owner=alice, name="X1", category=hardware, type=laptops)
    ProductFactory(owner=alice, name="T14", category=hardware, type=laptops)
    ProductFactory(owner=alice, name="Cable", category=hardware)
    return {"hardware": hardware, "laptops": laptops}


def names(nodes):
    return [(n.name, n.count, names(n.children)) for n in nodes]


def test_the_tree_shows_only_levels_and_values_that_have_active_products(catalogue):
    tree = catalogue_tree(Product.objects.active())

    assert names(tree) == [("Test hardware", 3, [("Test laptops", 2, [])])]


def test_the_levels_follow_the_catalogue_configuration(catalogue, alice):
    brand = BrandFactory(name="Test brand")
    Product.objects.filter(name="X1").update(brand=brand)
    CatalogueLevel.objects.filter(field="type").delete()
    CatalogueLevel.objects.create(position=2, field="brand")

    tree = catalogue_tree(Product.objects.active())

    assert names(tree) == [("Test hardware", 3, [("Test brand", 1, [])])]


def test_a_node_path_keeps_only_a_valid_prefix_of_the_levels():
    assert parse_node("category:3,type:5", ["category", "type"]) == [("category", 3), ("type", 5)]
    assert parse_node("type:5", ["category", "type"]) == []
    assert parse_node("category:3,type:x", ["category", "type"]) == [("category", 3)]


def test_the_catalogue_page_lists_the_products_under_the_chosen_node(alice_client, catalogue):
    node = f"category:{catalogue['hardware'].pk},type:{catalogue['laptops'].pk}"

    response = alice_client.get(reverse("products:catalogue"), {"node": node})

    shown = [p.name for p in response.context["page"].object_list]
    assert shown == ["T14", "X1"]
    assert "Test servers" not in response.content.decode()


def test_the_catalogue_search_finds_by_code(alice_client, alice):
    ProductFactory(owner=alice, name="Dock", code="DOCK-42")
    ProductFactory(owner=alice, name="Mouse", code="MOUSE-1")

    response = alice_client.get(reverse("products:catalogue"), {"q": "dock-4"})

    assert [p.name for p in response.context["page"].object_list] == ["Dock"]
