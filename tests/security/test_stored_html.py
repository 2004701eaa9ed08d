"""Stored HTML: every text a user or an administrator enters reaches every page as text, never as markup.

A payload carrying htmx and event attributes (and variants that break out of an attribute) is planted in every
user-writable text: each text field of every registered section's record, custom field definitions (label, help
text, choice values) and a custom field's value, folder names, attachment names, notes, feed posts and comments,
channel names, notification texts, an import's column headers and values. Then every page a user opens for them
(list, detail, each tab, forms, delete, search, designer, import, feed, notifications, and every page one link
away) is parsed, as an administrator and as a sales rep: no element or attribute that came from the payload may
exist. The escalation the probe found (a designer-only user's help text posting as the administrator) is its own
test at the end.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.template import Context, Template
from django.urls import Resolver404, resolve, reverse
from django.utils.html import conditional_escape

from contacts.models import Contact
from crm.access.models import Membership, OperationRight, Role
from crm.core.models import Notification
from crm.designer import fields as custom_fields
from crm.designer.models import FieldDefinition
from crm.imports import services as imports
from crm.imports.models import ImportJob
from crm.sections import registry
from crm.sections.models import Attachment, Folder, Note
from crm.sections.views.records import record_tabs
from feed import services as feed
from feed.models import Channel
from tests.factories.registry import make_record

from .conftest import is_text

PAYLOADS = (
    '<span hx-post="/planted" hx-trigger="load" onmouseover="alert(1)" id="PLANTED">x</span>',
    '"><img src=x onerror=alert(1) data-planted>',
    "' hx-get='/planted' data-planted='",
)
EVERYTHING = " ".join(PAYLOADS)
SHORT = '"><b data-planted>'
#: pages not worth following: files, downloads, and what only changes state
SKIPPED = ("/export/", "/pdf/", "/vcard", "refused.xlsx", "/file/", "/download", "/logout", "/admin/", "/ical")


def payload_for(max_length: int | None) -> str | None:
    """The most of the payload that fits a field of `max_length` characters."""
    if max_length is None or max_length >= len(EVERYTHING):
        return EVERYTHING
    for payload in (*PAYLOADS, SHORT):
        if len(payload) <= max_length:
            return payload
    return None


class PlantedMarkup(HTMLParser):
    """Collects elements and attributes that came from a payload: the planted id or data attribute, or an htmx or
    event attribute whose value is the payload's."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            planted = (name == "id" and value == "PLANTED") or name == "data-planted"
            planted = planted or (
                (name.startswith(("hx-", "data-hx-")) or name.startswith("on"))
                and ("/planted" in value or "alert(1)" in value)
            )
            if planted:
                self.found.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def planted_markup(html: str) -> list[str]:
    parser = PlantedMarkup()
    parser.feed(html)
    parser.close()
    return parser.found


# --- planting --------------------------------------------------------------------------------------------------


def text_fields(section) -> list:
    return [f for f in section.opts.concrete_fields if is_text(f) and f.name != section.number_field]


def plant_custom_fields(section) -> None:
    FieldDefinition.objects.create(
        section=section.name, code="planted_text", label=PAYLOADS[0], help_text=EVERYTHING[:200], kind="text"
    )
    FieldDefinition.objects.create(
        section=section.name,
        code="planted_choice",
        label=PAYLOADS[1],
        help_text=PAYLOADS[0],
        kind="choice",
        options=list(PAYLOADS),
    )
    custom_fields.forget()


def plant_record(section, owner):
    record = make_record(section, owner)
    values = {}
    for field in text_fields(section):
        payload = payload_for(field.max_length)
        if payload is not None:
            values[field.attname] = payload
    custom = dict(record.custom or {})
    custom.update({"planted_text": EVERYTHING[:255], "planted_choice": PAYLOADS[0]})
    type(record)._default_manager.filter(pk=record.pk).update(custom=custom, **values)
    record.refresh_from_db()
    content_type = ContentType.objects.get_for_model(record)
    attachment = Attachment(content_type=content_type, object_id=record.pk, name=PAYLOADS[1], uploaded_by=owner)
    attachment.file.save("planted.txt", ContentFile(b"planted"), save=False)
    attachment.save()
    Note.objects.create(content_type=content_type, object_id=record.pk, text=EVERYTHING, author=owner)
    post = feed.post_on_record(user=owner, record=record, text=EVERYTHING)
    feed.comment(user=owner, post=post, text=EVERYTHING)
    Folder.objects.create(section=section.name, name=PAYLOADS[0], owner=owner, shared=True)
    Folder.objects.create(section=section.name, name=PAYLOADS[2], owner=owner, kind=Folder.Kind.DYNAMIC, query="q=x")
    return record


def plant_import(user) -> ImportJob:
    """A CSV whose header and values are the payload: its mapping page, then the job page once it ran."""
    rows = [[PAYLOADS[0], "Email", PAYLOADS[2]], [PAYLOADS[1], "not-an-email " + PAYLOADS[0], PAYLOADS[2]]]
    content = "\n".join(",".join('"' + cell.replace('"', '""') + '"' for cell in row) for row in rows).encode()
    upload = ContentFile(content, name="planted.csv")
    return imports.create_job(user=user, section_name="contacts", upload=upload, name=PAYLOADS[1][:200] + ".csv")


@pytest.fixture
def planted(role_tree, ada, alice):
    """alice, a sales rep, owns a planted record of every section; ada is the administrator."""
    Membership.objects.create(user=alice, role=role_tree.team_a)
    for section in registry.all_sections():
        plant_custom_fields(section)
    records = {section.name: plant_record(section, alice) for section in registry.all_sections()}
    channel = Channel.objects.create(name=PAYLOADS[0][:150], description=EVERYTHING[:500])
    post = feed.post_to_channel(user=alice, channel=channel, text=EVERYTHING)
    feed.comment(user=alice, post=post, text=EVERYTHING)
    for user in (ada, alice):
        for kind in Notification.Kind.values:
            Notification.objects.create(recipient=user, kind=kind, title=EVERYTHING[:255], body=EVERYTHING)
    drafts = {user.pk: plant_import(user) for user in (ada, alice)}
    done = plant_import(alice)
    imports.configure(
        user=alice, job=done, sheet="", mapping={"0": "surname", "1": "email"}, keys=[], lookup_mode="refuse"
    )
    imports.start(user=alice, job=done)
    return {"records": records, "channel": channel, "post": post, "drafts": drafts, "done": done}


# --- crawling --------------------------------------------------------------------------------------------------


def pages_of(planted, user) -> list[str]:
    """The pages a user opens for the planted texts (those they may not open answer 404 and are passed over)."""
    pages = [reverse("home"), reverse("search") + "?q=PLANTED", reverse("notifications")]
    pages += [reverse("notifications") + f"?kind={kind}" for kind in Notification.Kind.values]
    for section in registry.all_sections():
        record = planted["records"][section.name]
        pages += [section.url("list"), section.url("create"), section.url("detail", record.pk)]
        pages += [section.url("update", record.pk), section.url("delete", record.pk)]
        pages += [section.url("tab", record.pk, name) for name, _ in record_tabs(section, user)]
        folders = Folder.objects.filter(section=section.name)
        pages += [section.url("list") + f"?folder={folder.pk}" for folder in folders]
        pages += [reverse("designer:section", args=[section.name])]
        pages += [reverse("designer:field_create", args=[section.name])]
    pages += [reverse("designer:index"), reverse("imports:list")]
    definitions = FieldDefinition.objects.values_list("pk", flat=True)
    pages += [reverse("designer:field_update", args=[pk]) for pk in definitions]
    pages += [reverse("imports:map", args=[planted["drafts"][user.pk].pk])]
    pages += [reverse("imports:job", args=[planted["done"].pk])]
    post = planted["post"]
    pages += [reverse("feed:index"), reverse("feed:channels"), reverse("feed:channel", args=[planted["channel"].pk])]
    pages += [reverse("feed:post", args=[post.pk]), reverse("feed:post_edit", args=[post.pk])]
    return pages


def links_of(html: str) -> list[str]:
    """The site's own pages a response links to (href and hx-get)."""

    class Links(HTMLParser):
        found: list[str] = []  # noqa: RUF012 - one instance

        def handle_starttag(self, tag, attrs):
            for name, value in attrs:
                if name in ("href", "hx-get") and value and value.startswith("/"):
                    self.found.append(value)

    parser = Links()
    parser.found = []
    parser.feed(html)
    return parser.found


def worth_following(url: str) -> bool:
    path = urlsplit(url).path
    if any(part in url for part in SKIPPED) or path.startswith("/static/"):
        return False
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def crawl(client, start: list[str]) -> tuple[dict[str, list[str]], set[str]]:
    """Open every start page and every page one link away (once per path): the planted markup found on each, and
    the pages that opened."""
    found, seen, opened = {}, set(), set()
    queue = [(url, 0) for url in start]
    while queue:
        url, depth = queue.pop(0)
        key = url if depth == 0 else urlsplit(url).path
        if key in seen:
            continue
        seen.add(key)
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}) if depth == 0 else ({},):
            response = client.get(url, **headers)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            opened.add(url)
            html = response.content.decode()
            markup = planted_markup(html)
            if markup:
                found[url + (" (htmx)" if headers else "")] = markup
            if depth == 0 and not headers:
                queue += [(link, 1) for link in links_of(html) if worth_following(link)]
    return found, opened


@pytest.mark.slow
@pytest.mark.parametrize("who", ["administrator", "sales rep"])
def test_no_page_turns_a_planted_text_into_markup(client, planted, ada, alice, who):
    user = ada if who == "administrator" else alice
    client.force_login(user)

    found, opened = crawl(client, pages_of(planted, user))

    # the control: the pages were opened (the designer and others' imports are the administrator's)
    must_open = [
        reverse("imports:map", args=[planted["drafts"][user.pk].pk]),
        reverse("feed:post", args=[planted["post"].pk]),
    ]
    must_open += [section.url("update", planted["records"][section.name].pk) for section in registry.all_sections()]
    if user == ada:
        must_open += [reverse("imports:job", args=[planted["done"].pk]), reverse("designer:section", args=["contacts"])]
    assert set(must_open) - opened == set()
    assert len(opened) > 10 * len(registry.all_sections())
    assert found == {}, "Planted markup on:\n" + "\n".join(
        f"{url}: {', '.join(found[url][:3])}" for url in sorted(found)
    )


def test_the_parser_finds_each_payload_when_it_is_not_escaped():
    """The control of the check itself: each payload, written into a page raw, is found."""
    for payload in PAYLOADS:
        assert planted_markup(f"<div title='{payload}'>{payload}</div>") != []
    assert planted_markup(f'<input value="{SHORT}">') != []


@pytest.mark.parametrize("kind", FieldDefinition.Kind.values)
def test_a_custom_fields_help_text_is_escaped_when_its_form_field_is_built(kind):
    """Django's and crispy's form templates write a help text as HTML: the one a user wrote is escaped first."""
    field = custom_fields.CustomField("contacts", "planted", PAYLOADS[1], kind, PAYLOADS, False, PAYLOADS[0])

    help_text = field.formfield().help_text

    assert help_text == conditional_escape(PAYLOADS[0]) and "<span" not in help_text


def test_crispy_writes_any_help_text_as_text():
    """The help text template of crispy-bootstrap5 (`|safe`) is replaced by ours: a form's help text, wherever it
    comes from, is escaped."""

    class Planted(forms.Form):
        name = forms.CharField(help_text=PAYLOADS[0])

    html = Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": Planted()}))

    assert planted_markup(html) == []
    assert "&lt;span hx-post=" in html


def test_htmx_may_not_evaluate_code_nor_ask_another_origin(client, ada):
    """The base page configures htmx, and the vendored htmx knows the settings."""
    client.force_login(ada)
    page = client.get(reverse("home")).content.decode()

    class Meta(HTMLParser):
        config: dict = {}  # noqa: RUF012 - one instance

        def handle_starttag(self, tag, attrs):
            attributes = dict(attrs)
            if tag == "meta" and attributes.get("name") == "htmx-config":
                self.config = json.loads(attributes["content"])

    parser = Meta()
    parser.feed(page)
    assert parser.config["allowEval"] is False and parser.config["selfRequestsOnly"] is True
    assert parser.config["allowScriptTags"] is False and parser.config["historyCacheSize"] == 0
    htmx = (settings.BASE_DIR / "static" / "vendor" / "htmx" / "htmx.min.js").read_text()
    assert all(name in htmx for name in ("allowEval", "selfRequestsOnly", "hx-disable"))


# --- the escalation the probe found -----------------------------------------------------------------------------


def test_a_designer_cannot_make_the_administrators_contact_form_post(client, role_tree, ada, charlie):
    """charlie may only use the designer. The help text he writes is shown to ada as text: her contact form does
    not post to the user page that would make him an administrator."""
    designers = Role.objects.create(name="Designers", kind=Role.Kind.FUNCTIONAL)
    Membership.objects.create(user=charlie, role=designers)
    OperationRight.objects.create(operation="designer", role=designers, allowed=True)
    target = reverse("access:user", args=[charlie.pk])
    escalation = (
        f'<span hx-post="{target}" hx-vals=\'{{"role": "{role_tree.administrators.pk}"}}\' hx-trigger="load">x</span>'
    )
    client.force_login(charlie)
    response = client.post(
        reverse("designer:field_create", args=["contacts"]),
        {
            "code": "nickname",
            "label": "Nickname",
            "kind": "text",
            "help_text": escalation,
            "position": 1,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert FieldDefinition.objects.get(code="nickname", is_active=True).help_text == escalation

    client.force_login(ada)
    contact = make_record(registry.get("contacts"), ada)
    for url in (reverse("contacts:create"), reverse("contacts:update", args=[contact.pk])):
        page = client.get(url).content.decode()

        class Posts(HTMLParser):
            targets: list[str] = []  # noqa: RUF012 - one instance

            def handle_starttag(self, tag, attrs):
                self.targets += [value for name, value in attrs if name == "hx-post"]

        parser = Posts()
        parser.targets = []
        parser.feed(page)
        assert target not in parser.targets
        assert "&lt;span hx-post=" in page  # shown, as text
    assert not Membership.objects.filter(user=charlie, role=role_tree.administrators).exists()
    assert Contact.objects.filter(pk=contact.pk).exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:fetch('/x')", "data:text/html,<b>x</b>"])
def test_a_web_address_that_is_not_on_the_web_is_shown_as_text_not_as_a_link(url):
    """An address that reached the database by a path that does not validate (an import, a shell) is no link."""
    from accounts.models import Account
    from crm.sections.templatetags.sections import _display

    html = str(_display(url, Account._meta.get_field("web")))
    assert "<a" not in html
    assert "href" not in html


def test_a_web_address_is_a_link():
    from accounts.models import Account
    from crm.sections.templatetags.sections import _display

    html = str(_display("https://example.com/?a=1&b=2", Account._meta.get_field("web")))
    assert 'href="https://example.com/?a=1&amp;b=2"' in html


def test_an_email_address_is_a_mail_link():
    from contacts.models import Contact
    from crm.sections.templatetags.sections import _display

    html = str(_display('a"b@example.com', Contact._meta.get_field("email")))
    assert 'href="mailto:a&quot;b@example.com"' in html
