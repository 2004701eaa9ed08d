"""The Products section's own pages, under /products/ next to the generic ones (namespace `products`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("select/", views.select, name="select"),
    path("select/cart/", views.cart, name="cart"),
    path("select/save/", views.select_save, name="select_save"),
    path("<int:pk>/features/", views.features_update, name="features"),
    path("<int:pk>/prices/", views.prices_update, name="prices"),
    path("<int:pk>/photo/", views.photo, name="photo"),
]
