"""The document form: a new document starts as Draft."""

from __future__ import annotations

from crm.sections.forms import SectionForm

from .models import DocumentStatus


class DocumentForm(SectionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.is_bound and "status" in self.fields:
            draft = DocumentStatus.objects.filter(code=DocumentStatus.Code.DRAFT).first()
            if draft is not None:
                self.initial.setdefault("status", draft.pk)
