"""The article form: the body is written in the rich-text editor (Trix, static/vendor/trix) and kept sanitised."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.html import format_html

from crm.sections.forms import SectionForm

from .html import MAX_BODY_CHARACTERS


class EditorWidget(forms.Widget):
    """A hidden input holding the HTML and the editor that writes it (static/js/knowledge-editor.js uploads the
    images pasted or dropped into it to `upload_url`)."""

    def __init__(self, upload_url: str = "", attrs=None):
        super().__init__(attrs)
        self.upload_url = upload_url

    def render(self, name, value, attrs=None, renderer=None):
        input_id = (attrs or {}).get("id") or f"id_{name}"
        return format_html(
            '<input type="hidden" name="{}" id="{}" value="{}">'
            '<trix-editor input="{}" class="trix-content article-editor form-control" role="textbox" '
            'aria-label="Article body" data-upload-url="{}"></trix-editor>',
            name,
            input_id,
            value or "",
            input_id,
            self.upload_url,
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
            self.fields[
                "body"
            ].help_text = (
                "Headings, lists, bold and italic, links, code, quotes; paste or drop pictures (PNG, JPEG, GIF, WebP)."
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
