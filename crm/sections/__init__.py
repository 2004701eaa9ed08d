"""The section machinery: a `Section` declares a model's list, filters, form, detail tabs and search;
generic views give every registered section the same list, detail, form, delete, export and folders."""
