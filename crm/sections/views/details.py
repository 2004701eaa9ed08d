"""The detail editor's views: a detail's card (its rows), and the forms that add, change and delete rows in
place with htmx. Without htmx the same URLs answer a full page, and a write goes back to the record's tab."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from crm import access

from .. import details
from .common import SectionView


def tab_of(section, detail) -> str:
    return next(tab.name for tab in section.detail_tabs if detail in tab.details)


def card_context(request, section, record, detail, *, form=None, row=None, error: str = "") -> dict:
    can_edit = not detail.read_only and access.can(request.user, "edit", record)
    return {
        "section": section,
        "object": record,
        "detail": detail,
        "rows": detail.display_rows(request.user, record),
        "columns": detail.column_labels(),
        "can_edit": can_edit and may_change(request, detail, record),
        "form": form,
        "editing": row,
        "error": error,
    }


def may_change(request, detail, record) -> bool:
    """A row's form shows its values: who may not see one of them (a line's price, when the record's amount is
    hidden from them) changes no row."""
    return not (detail.hidden_columns(request.user, record) & set(detail.fields))


HIDDEN_VALUES = "Some values of these rows are hidden from you: you cannot change them."


class DetailView(SectionView):
    """Base: the record (checked for the action), the detail by name, and the row when the URL names one."""

    record_action = "read"

    def setup_detail(self):
        record = self.get_object(self.record_action)
        detail = self.section.get_detail(self.kwargs["detail"])
        if detail is None or (detail.read_only and self.record_action != "read"):
            raise Http404("No such detail.")
        row = None
        if "row" in self.kwargs:
            row = detail.queryset(record).filter(pk=self.kwargs["row"]).first()
            if row is None:
                raise Http404("No such row.")
        return record, detail, row

    def render_card(self, record, detail, status: int = 200, **extra):
        context = card_context(self.request, self.section, record, detail, **extra)
        if self.request.htmx:
            # htmx swaps only successful answers: a refused form comes back as 200 with its errors
            return render(self.request, "sections/details/_card.html", context)
        return render(self.request, "sections/details/page.html", context, status=status)

    def back(self, record, detail):
        return redirect(self.section.url("detail", record.pk) + f"?tab={tab_of(self.section, detail)}")


class DetailCardView(DetailView):
    def get(self, request, *args, **kwargs):
        record, detail, _ = self.setup_detail()
        return self.render_card(record, detail)


class DetailRowFormView(DetailView):
    """Add a row (no row in the URL) or change one."""

    required_action = record_action = "edit"

    def form(self, detail, record, row, data=None):
        form_class = detail.get_form_class()
        return form_class(data, instance=row, user=self.request.user, record=record, prefix=f"detail-{detail.name}")

    def get(self, request, *args, **kwargs):
        record, detail, row = self.setup_detail()
        if not may_change(request, detail, record):
            return self.render_card(record, detail, status=403, error=HIDDEN_VALUES)
        return self.render_card(record, detail, form=self.form(detail, record, row), row=row)

    def post(self, request, *args, **kwargs):
        record, detail, row = self.setup_detail()
        if not may_change(request, detail, record):
            return self.render_card(record, detail, status=403, error=HIDDEN_VALUES)
        form = self.form(detail, record, row, request.POST)
        if not form.is_valid():
            return self.render_card(record, detail, status=422, form=form, row=row)
        try:
            details.save_row(detail=detail, user=request.user, record=record, data=form.row_data(), row=row)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
            return self.render_card(record, detail, status=422, form=form, row=row)
        except PermissionDenied as error:
            return self.render_card(record, detail, status=403, error=str(error))
        if not request.htmx:
            messages.success(request, f"{detail.title}: saved.")
            return self.back(record, detail)
        return self.render_card(record, detail)


class DetailRowDeleteView(DetailView):
    required_action = record_action = "edit"

    def post(self, request, *args, **kwargs):
        record, detail, row = self.setup_detail()
        try:
            details.delete_row(detail=detail, user=request.user, record=record, row=row)
        except (PermissionDenied, ValidationError) as error:
            return self.render_card(
                record, detail, status=403, error=" ".join(getattr(error, "messages", [str(error)]))
            )
        if not request.htmx:
            messages.success(request, f"{detail.title}: deleted.")
            return self.back(record, detail)
        return self.render_card(record, detail)
