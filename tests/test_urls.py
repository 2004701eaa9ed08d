"""Every URL name reverses to its path and the path resolves back to the name (cookiecutter-django style)."""

import pytest
from django.urls import resolve, reverse

from crm.sections import registry

PLATFORM_URLS = [
    ("home", [], "/"),
    ("healthz", [], "/healthz"),
    ("search", [], "/search/"),
    ("notifications", [], "/notifications/"),
    ("attachment_download", [1], "/attachments/1/"),
    ("attachment_delete", [1], "/attachments/1/delete/"),
    ("login", [], "/auth/login/"),
    ("logout", [], "/auth/logout/"),
    ("password_change", [], "/auth/password/change/"),
    ("password_change_done", [], "/auth/password/change/done/"),
    ("password_reset", [], "/auth/password/reset/"),
    ("password_reset_done", [], "/auth/password/reset/done/"),
    ("password_reset_confirm", ["MQ", "set-password"], "/auth/password/reset/MQ/set-password/"),
    ("password_reset_complete", [], "/auth/password/reset/complete/"),
    ("admin:index", [], "/admin/"),
    ("designer:index", [], "/designer/"),
    ("designer:section", ["contacts"], "/designer/sections/contacts/"),
    ("designer:field_create", ["contacts"], "/designer/sections/contacts/new/"),
    ("designer:field_update", [4], "/designer/fields/4/"),
]

SECTION_URLS = [
    ("list", [], ""),
    ("export", [], "export/"),
    ("bulk", [], "bulk/"),
    ("columns", [], "columns/"),
    ("folder_create", [], "folders/"),
    ("folder_action", [3, "favourite"], "folders/3/favourite/"),
    ("lookup", [], "lookup/"),
    ("create", [], "new/"),
    ("detail", [7], "7/"),
    ("update", [7], "7/edit/"),
    ("delete", [7], "7/delete/"),
    ("tab", [7, "history"], "7/tab/history/"),
    ("attachment_create", [7], "7/attachments/"),
    ("note_create", [7], "7/notes/"),
    ("record_tags", [7], "7/tags/"),
    ("tags", [], "tags/"),
    ("tag", [4], "tags/4/"),
]


@pytest.mark.parametrize(("name", "args", "path"), PLATFORM_URLS, ids=[u[0] for u in PLATFORM_URLS])
def test_platform_url_reverses_and_resolves(name, args, path):
    assert reverse(name, args=args) == path
    assert resolve(path).view_name == name


SECTION_CASES = [
    (section.name, name, args, path) for section in registry.all_sections() for name, args, path in SECTION_URLS
]


@pytest.mark.parametrize(
    ("section", "name", "args", "path"), SECTION_CASES, ids=[f"{c[0]}:{c[1]}" for c in SECTION_CASES]
)
def test_section_url_reverses_and_resolves(section, name, args, path):
    full_path = f"/{section}/{path}"

    assert reverse(f"{section}:{name}", args=args) == full_path
    assert resolve(full_path).view_name == f"{section}:{name}"


@pytest.mark.parametrize("section", registry.all_sections(), ids=lambda s: s.name)
def test_every_section_is_reached_at_its_name(section):
    assert section.url("list") == f"/{section.name}/"
