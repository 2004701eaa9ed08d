"""URL patterns every section gets, under /<section>/ and the namespace of the section's name."""

from django.urls import path

from .views import details, lists, records, tags


def section_urlpatterns(section) -> list:
    def view(cls, **extra):
        return cls.as_view(section=section, **extra)

    return [
        path("", view(lists.ListView), name="list"),
        path("export/", view(lists.ExportView), name="export"),
        path("bulk/", view(lists.BulkView), name="bulk"),
        path("columns/", view(lists.ColumnsView), name="columns"),
        path("folders/", view(lists.FolderCreateView), name="folder_create"),
        path("folders/<int:folder>/<slug:action>/", view(lists.FolderActionView), name="folder_action"),
        path("lookup/", view(records.LookupView), name="lookup"),
        path("tags/", view(tags.TagListView), name="tags"),
        path("tags/<int:tag>/", view(tags.TagView), name="tag"),
        path("new/", view(records.FormView), name="create"),
        path("<int:pk>/", view(records.DetailView), name="detail"),
        path("<int:pk>/edit/", view(records.FormView), name="update"),
        path("<int:pk>/delete/", view(records.DeleteView), name="delete"),
        path("<int:pk>/tab/<slug:tab>/", view(records.TabView), name="tab"),
        path("<int:pk>/file/<slug:field>/", view(records.FieldFileView), name="field_file"),
        path("<int:pk>/attachments/", view(records.AttachmentCreateView), name="attachment_create"),
        path("<int:pk>/notes/", view(records.NoteCreateView), name="note_create"),
        path("<int:pk>/tags/", view(tags.RecordTagsView), name="record_tags"),
        path("<int:pk>/details/<slug:detail>/", view(details.DetailCardView), name="detail_rows"),
        path("<int:pk>/details/<slug:detail>/new/", view(details.DetailRowFormView), name="detail_row_create"),
        path("<int:pk>/details/<slug:detail>/<int:row>/", view(details.DetailRowFormView), name="detail_row_update"),
        path(
            "<int:pk>/details/<slug:detail>/<int:row>/delete/",
            view(details.DetailRowDeleteView),
            name="detail_row_delete",
        ),
    ]
