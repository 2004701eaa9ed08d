"""Generic views every section gets: list, export, bulk actions, folders, detail, tabs, form, delete,
attachments, notes, lookups. Each takes its `Section` from the URL configuration."""
