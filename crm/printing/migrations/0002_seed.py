"""Seed a default print form per known section: opportunities now; orders, invoices and contracts are shown only
once those sections exist. Admins edit them in the Django admin; the text is frozen here, as migrations are."""

from django.db import migrations

STYLE = """<style>
  @page { size: a4 portrait; margin: 2cm; }
  body { font-family: Helvetica; font-size: 10pt; color: #222; }
  h1 { font-size: 18pt; margin: 0 0 4pt 0; }
  .muted { color: #666; }
  table.lines { width: 100%; border-collapse: collapse; margin-top: 12pt; }
  table.lines th { background-color: #eeeeee; text-align: left; padding: 4pt; border-bottom: 1pt solid #999; }
  table.lines td { padding: 4pt; border-bottom: 0.5pt solid #ccc; }
  .number { text-align: right; }
  .total { font-weight: bold; font-size: 12pt; }
</style>"""

LINES = """
<table class="lines">
  <tr><th>#</th><th>Product</th><th class="number">Quantity</th><th>Unit</th><th class="number">Price</th>
      <th class="number">Discount, %</th><th class="number">Tax</th><th class="number">Total</th></tr>
  {% for line in lines %}
  <tr><td>{{ forloop.counter }}</td><td>{{ line.product }}</td><td class="number">{{ line.quantity|floatformat:"-3" }}</td>
      <td>{{ line.unit }}</td><td class="number">{{ line.price|floatformat:2 }}</td>
      <td class="number">{{ line.discount_percent|floatformat:"-2" }}</td><td class="number">{{ line.tax_amount|floatformat:2 }}</td>
      <td class="number">{{ line.total|floatformat:2 }}</td></tr>
  {% empty %}
  <tr><td colspan="8" class="muted">No products.</td></tr>
  {% endfor %}
</table>
<table style="width: 100%; margin-top: 8pt;">
  <tr><td style="width: 70%;"></td><td>Subtotal</td><td class="number">{{ totals.subtotal|floatformat:2 }}</td></tr>
  <tr><td></td><td>Discount</td><td class="number">{{ totals.discount_amount|floatformat:2 }}</td></tr>
  <tr><td></td><td>Tax</td><td class="number">{{ totals.tax_amount|floatformat:2 }}</td></tr>
  <tr><td></td><td class="total">Total</td><td class="number total">{{ totals.total|floatformat:2 }} {{ record.currency }}</td></tr>
</table>"""


def document(title: str, details: str) -> str:
    return f"""<html><head><meta charset="utf-8">{STYLE}</head><body>
<table style="width: 100%;"><tr>
  <td><strong>{{{{ company.name }}}}</strong><br><span class="muted">{{{{ company.address }}}}</span></td>
  <td style="text-align: right;" class="muted">{{{{ today|date:"j F Y" }}}}</td>
</tr></table>
<h1>{title}</h1>
{details}
{LINES}
</body></html>"""


FORMS = {
    "opportunities": (
        "Commercial proposal",
        document(
            "Commercial proposal: {{ record.title }}",
            """<p>For: <strong>{{ record.account|default:record.contact }}</strong><br>
Closing date: {{ record.close_date|date:"j F Y" }}<br>
Prepared by: {{ record.owner }}</p>
{% if record.description %}<p>{{ record.description|linebreaksbr }}</p>{% endif %}""",
        ),
    ),
    "orders": (
        "Order",
        document(
            "Order {{ record.number }}",
            """<p>Customer: <strong>{{ record.account|default:record.contact }}</strong><br>
Date: {{ record.date|date:"j F Y" }}<br>Status: {{ record.status }}</p>""",
        ),
    ),
    "invoices": (
        "Invoice",
        document(
            "Invoice {{ record.number }}",
            """<p>Bill to: <strong>{{ record.account|default:record.contact }}</strong><br>
Date: {{ record.date|date:"j F Y" }}<br>Due: {{ record.due_date|date:"j F Y" }}</p>""",
        ),
    ),
    "contracts": (
        "Contract",
        document(
            "Contract {{ record.number }}",
            """<p>Between {{ company.name }} and <strong>{{ record.account|default:record.contact }}</strong><br>
Valid from {{ record.start_date|date:"j F Y" }} to {{ record.end_date|date:"j F Y" }}</p>
{% if record.description %}<p>{{ record.description|linebreaksbr }}</p>{% endif %}""",
        ),
    ),
}


def seed(apps, schema_editor):
    PrintForm = apps.get_model("printing", "PrintForm")
    for section, (name, template) in FORMS.items():
        if not PrintForm.objects.filter(section=section).exists():
            PrintForm.objects.create(section=section, name=name, template=template, is_default=True)


def unseed(apps, schema_editor):
    PrintForm = apps.get_model("printing", "PrintForm")
    for section, (name, _template) in FORMS.items():
        PrintForm.objects.filter(section=section, name=name, is_default=True).delete()


class Migration(migrations.Migration):
    dependencies = [("printing", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
