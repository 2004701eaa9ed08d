"""What a browser posts back for a record form: the form as the server rendered it, with some fields changed."""

from django.db.models.fields.files import FieldFile


def form_data(client, url: str, **changes) -> dict:
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, FieldFile):
            continue  # a browser posts no file back for a file input left alone
        data[name] = "" if value is None else value
    data.update(changes)
    return data
