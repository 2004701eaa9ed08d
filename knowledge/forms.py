"""The article form: the body is written in the rich-text editor (TipTap, static/vendor/tiptap) and kept sanitised."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from crm.sections.forms import SectionForm

from .html import MAX_BODY_CHARACTERS


class EditorWidget(forms.Widget):
    """A hidden input holding the HTML and the editor that writes it, with its toolbar
    (templates/knowledge/_editor.html; static/js/knowledge-editor.js builds the editor and uploads the images pasted,
    dropped or chosen to `upload_url`)."""

    template_name = "knowledge/_editor.html"

    def __init__(self, upload_url: str = "", label: str = "Article body", attrs=None):
        super().__init__(attrs)
        self.upload_url = upload_url
        self.label = label

    def render(self, name, value, attrs=None, renderer=None):
        return render_to_string(
            self.template_name,
            {
                "name": name,
                "value": value or "",
                "input_id": (attrs or {}).get("id") or f"id_{name}",
                "upload_url": self.upload_url,
                "label": self.label,
            },
        )

    def value_from_datadict(self, data, files, name):
        return data.get(name, "")


class ArticleForm(SectionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "body" in self.fields:
            url = reverse("knowledge:image_upload")
            if self.instance.pk:
                url += f"?article={self.instance.pk}"
            self.fields["body"].widget = EditorWidget(upload_url=url)
            self.fields["body"].help_text = (
                "Headings, lists, bold and italic, links, tables, code, quotes; paste, drop or choose pictures (PNG,"
                " JPEG, GIF, WebP). In a table, Tab goes to the next cell; Alt+F10 or Esc goes to the toolbar."
            )
        if "summary" in self.fields:
            self.fields["summary"].widget = forms.Textarea(attrs={"rows": 2, "maxlength": 500})

    def clean_body(self) -> str:
        body = self.cleaned_data.get("body") or ""
        if len(body) > MAX_BODY_CHARACTERS:
            raise forms.ValidationError(
                f"The article is {len(body):,} characters long; the limit is {MAX_BODY_CHARACTERS:,}."
            )
        return body
