from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from crm.core.admin import LookupAdmin, RecordAdmin

from .models import (
    Brand,
    CatalogueLevel,
    Currency,
    CurrencyRate,
    Feature,
    FeatureValueOption,
    PriceList,
    Product,
    ProductCategory,
    ProductFeatureValue,
    ProductPrice,
    ProductType,
    ProductUnit,
    Tax,
    UnitOfMeasure,
)

admin.site.register(ProductCategory, LookupAdmin)
admin.site.register(Brand, LookupAdmin)
admin.site.register(UnitOfMeasure, LookupAdmin)


@admin.register(ProductType)
class ProductTypeAdmin(LookupAdmin):
    list_display = ("name", "category", "position", "is_active")
    list_filter = ("category", "is_active")


@admin.register(Tax)
class TaxAdmin(LookupAdmin):
    list_display = ("name", "rate", "position", "is_active")


@admin.register(PriceList)
class PriceListAdmin(LookupAdmin):
    list_display = ("name", "is_base", "position", "is_active")


class CurrencyRateInline(admin.TabularInline):
    model = CurrencyRate
    extra = 1


@admin.register(Currency)
class CurrencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "symbol", "is_base", "is_active")
    inlines = [CurrencyRateInline]


class FeatureValueOptionInline(admin.TabularInline):
    model = FeatureValueOption
    extra = 1


@admin.register(Feature)
class FeatureAdmin(admin.ModelAdmin):
    list_display = ("name", "value_type", "position")
    inlines = [FeatureValueOptionInline]


@admin.register(CatalogueLevel)
class CatalogueLevelAdmin(admin.ModelAdmin):
    list_display = ("position", "field")
    ordering = ("position",)


class ProductPriceInline(admin.TabularInline):
    model = ProductPrice
    extra = 1


class ProductUnitInline(admin.TabularInline):
    model = ProductUnit
    extra = 1


class ProductFeatureValueInline(admin.TabularInline):
    model = ProductFeatureValue
    extra = 0
    raw_id_fields = ("option",)


@admin.register(Product)
class ProductAdmin(ImportExportModelAdmin, RecordAdmin):
    list_display = ("name", "code", "category", "type", "brand", "price", "currency", "is_inactive")
    list_filter = ("category", "type", "brand", "is_inactive")
    search_fields = ("name", "code")
    list_select_related = ("owner", "category", "type", "brand", "currency")
    inlines = [ProductPriceInline, ProductUnitInline, ProductFeatureValueInline]
