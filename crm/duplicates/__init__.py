"""Duplicate rules, normalisation, the on-save check, the bulk search and the merge of records of any section."""
