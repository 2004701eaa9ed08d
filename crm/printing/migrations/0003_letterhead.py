"""The seeded print forms get a letterhead (our company's name, logo, address, tax id and banking details), the
customer's address, the product lines with their discounts and taxes, the payment terms, amounts as the pages show
them (1,349.00) and DejaVu Sans, which prints Cyrillic and Greek. A form an admin has edited is left as it is."""

from importlib import import_module

from django.db import migrations

STYLE = """<style>
  @page { size: a4 portrait; margin: 1.6cm 1.8cm; }
  body { font-family: "DejaVu Sans"; font-size: 9pt; color: #222; }
  h1 { font-size: 16pt; margin: 10pt 0 6pt 0; }
  .muted { color: #666; }
  .company { font-size: 13pt; font-weight: bold; }
  table.parties td { vertical-align: top; padding: 2pt 0; }
  table.lines { width: 100%; margin-top: 10pt; }
  table.lines th { background-color: #eeeeee; text-align: left; padding: 3pt; border-bottom: 1pt solid #999; }
  table.lines td { padding: 3pt; border-bottom: 0.5pt solid #ccc; }
  .number { text-align: right; }
  .total { font-weight: bold; font-size: 11pt; }
</style>"""

LETTERHEAD = """
<table style="width: 100%;"><tr>
  <td style="width: 60%;">{% if company.logo %}<img src="{{ company.logo }}" height="48"><br>{% endif %}
    <span class="company">{{ company.name }}</span><br>
    <span class="muted">{{ company.address }}{% if company.phone %} · {{ company.phone }}{% endif %}
    {% if company.tax_id %}<br>Tax ID: {{ company.tax_id }}{% endif %}</span></td>
  <td style="text-align: right;" class="muted">{{ today|short_date }}</td>
</tr></table>"""

CUSTOMER = """
<table class="parties" style="width: 100%;"><tr><td style="width: 60%;">
  <span class="muted">{{ customer_label }}</span><br>
  <strong>{{ customer.name|default:record.account|default:record.contact }}</strong>
  {% if customer.address %}<br>{{ customer.address }}{% endif %}
  {% if customer.tax_id %}<br>Tax ID: {{ customer.tax_id }}{% endif %}
</td><td>{{ details }}</td></tr></table>"""

LINE_ROWS = """
  <tr><th>#</th><th>Product</th><th class="number">Quantity</th><th>Unit</th><th class="number">Price</th>
      <th class="number">Discount</th><th class="number">Tax</th><th class="number">Total</th></tr>
  {% for line in LINES %}
  <tr><td>{{ forloop.counter }}</td><td>{{ line.product }}</td><td class="number">{{ line.quantity|number }}</td>
      <td>{{ line.unit }}</td><td class="number">{{ line.price|money }}</td>
      <td class="number">{% if line.discount_percent %}{{ line.discount_percent|number }} %{% endif %}</td>
      <td class="number">{{ line.tax_amount|money }}</td><td class="number">{{ line.total|money }}</td></tr>
  {% empty %}
  <tr><td colspan="8" class="muted">No products.</td></tr>
  {% endfor %}"""

LINES = (
    '<table class="lines">'
    + LINE_ROWS.replace("LINES", "lines")
    + """</table>
{% if totals %}<table style="width: 100%; margin-top: 6pt;">
  <tr><td style="width: 65%;"></td><td>Subtotal</td><td class="number">{{ totals.subtotal|money }}</td></tr>
  <tr><td></td><td>Discount</td><td class="number">{{ totals.discount_amount|money }}</td></tr>
  <tr><td></td><td>Tax</td><td class="number">{{ totals.tax_amount|money }}</td></tr>
  <tr><td></td><td class="total">Total</td><td class="number total">{{ totals.total|money }} {{ record.currency }}</td></tr>
</table>{% endif %}"""
)

REFERENCE = (
    """{% if reference_lines %}<p class="muted" style="margin-top: 10pt;">For reference, the order's products:</p>
<table class="lines">"""
    + LINE_ROWS.replace("LINES", "reference_lines")
    + "</table>{% endif %}"
)

BANKING = """
{% if company.banking %}<p style="margin-top: 10pt;"><strong>Payment details</strong><br>
{% if company.banking.details %}{{ company.banking.details|linebreaksbr }}{% else %}{{ company.banking.bank }}
{% if company.banking.account_number %}<br>Account/IBAN: {{ company.banking.account_number }}{% endif %}
{% if company.banking.swift %}<br>SWIFT/BIC: {{ company.banking.swift }}{% endif %}{% endif %}</p>{% endif %}"""


def document(title: str, customer_label: str, details: str, after: str = "") -> str:
    customer = CUSTOMER.replace("{{ customer_label }}", customer_label).replace("{{ details }}", details)
    return f"""<html><head><meta charset="utf-8">{STYLE}</head><body>
{LETTERHEAD}
<h1>{title}</h1>
{customer}
{LINES}
{after}
</body></html>"""


FORMS = {
    "opportunities": document(
        "Commercial proposal: {{ record.title }}",
        "For",
        """Closing date: {{ record.close_date|short_date }}<br>Prepared by: {{ record.owner }}""",
        """{% if record.description %}<p>{{ record.description|linebreaksbr }}</p>{% endif %}""",
    ),
    "orders": document(
        "Order {{ record.number }}",
        "Customer",
        """Date: {{ record.date|short_date }}<br>Status: {{ record.status }}<br>Owner: {{ record.owner }}""",
        BANKING,
    ),
    "invoices": document(
        "Invoice {{ record.number }}",
        "Bill to",
        """Date: {{ record.date|short_date }}<br>Due: {{ record.due_date|short_date }}
{% if record.customer_reference %}<br>Your reference: {{ record.customer_reference }}{% endif %}""",
        REFERENCE
        + """<p style="margin-top: 10pt;"><strong>Payment terms</strong><br>Please pay {{ totals.total|money }}
{{ record.currency }} by {{ record.due_date|short_date }}, quoting invoice {{ record.number }}.</p>"""
        + BANKING,
    ),
    "contracts": document(
        "Contract {{ record.number }}",
        "Between {{ company.name }} and",
        """Valid from {{ record.start_date|short_date }} to {{ record.end_date|short_date }}""",
        """{% if record.description %}<p>{{ record.description|linebreaksbr }}</p>{% endif %}""" + BANKING,
    ),
}


def letterhead(apps, schema_editor):
    PrintForm = apps.get_model("printing", "PrintForm")
    seeded = import_module("crm.printing.migrations.0002_seed").FORMS
    for section, template in FORMS.items():
        name, old = seeded[section]
        PrintForm.objects.filter(section=section, name=name, template=old).update(template=template)


def back(apps, schema_editor):
    PrintForm = apps.get_model("printing", "PrintForm")
    seeded = import_module("crm.printing.migrations.0002_seed").FORMS
    for section, template in FORMS.items():
        name, old = seeded[section]
        PrintForm.objects.filter(section=section, name=name, template=template).update(template=old)


class Migration(migrations.Migration):
    dependencies = [("printing", "0002_seed")]

    operations = [migrations.RunPython(letterhead, back)]
