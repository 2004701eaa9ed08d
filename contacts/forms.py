"""Forms of the Contacts section's own pages."""

from django import forms

from . import vcard


class VCardImportForm(forms.Form):
    file = forms.FileField(
        label="vCard file (.vcf)",
        help_text="One or many cards, vCard 2.1, 3.0 or 4.0, UTF-8.",
        widget=forms.ClearableFileInput(attrs={"accept": ".vcf,text/vcard", "class": "form-control"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > vcard.MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {vcard.MAX_BYTES // 1024 // 1024} MB.")
        return upload
