"""Post and comment text: Markdown (with raw HTML switched off) to HTML, @username turned into the user's
name, then sanitised by nh3, which has the last word on what may reach a browser."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree  # noqa: S405 - builds elements for Markdown; parses nothing
from collections.abc import Mapping
from dataclasses import dataclass, field

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "span"}
)
ALLOWED_SCHEMES = ("http://", "https://", "mailto:")
LINK_REL = "noopener noreferrer nofollow"
#: mention spans carry Bootstrap classes only, so they stand out without a style sheet of their own
MENTION_CLASSES = ("mention", "fw-semibold", "text-primary-emphasis")
#: Django user names: letters, digits and @ . + - _ (we leave out @ so "@bob@example.com" is not a mention)
MENTION_PATTERN = r"(?<![\w@/.])@([\w.+-]+)"
_MENTION_RE = re.compile(MENTION_PATTERN)


def mention_candidates(text: str) -> set[str]:
    """User names that may be mentioned in `text` (with and without a trailing full stop)."""
    names = set()
    for name in _MENTION_RE.findall(text):
        names.add(name)
        names.add(name.rstrip("."))
    names.discard("")
    return names


@dataclass
class Rendered:
    html: str
    mentioned: list = field(default_factory=list)  # the users whose @username became a mention


class _MentionProcessor(InlineProcessor):
    def __init__(self, users: Mapping[str, object], found: dict):
        super().__init__(MENTION_PATTERN)
        self.users = users
        self.found = found

    def handleMatch(self, match, data):  # noqa: N802 - Markdown's API
        name = match.group(1)
        user = self.users.get(name)
        if user is None:
            name = name.rstrip(".")
            user = self.users.get(name)
        if user is None:
            return None, None, None
        self.found[user.pk] = user
        element = etree.Element("span")
        element.set("class", " ".join(MENTION_CLASSES))
        element.text = "@" + (user.get_full_name() or user.get_username())
        return element, match.start(0), match.start(1) + len(name)


class _FitIntoPage(Treeprocessor):
    """Headings of a post sit inside a page: # and ## become the third level. Images are not embedded (no
    tracking pixels, no layout breakage): they become links named by their alt text."""

    def run(self, root):
        for element in root.iter():
            if element.tag in {"h1", "h2"}:
                element.tag = "h3"
            elif element.tag == "img":
                source, alt = element.get("src", ""), element.get("alt", "")
                element.attrib.clear()
                element.tag = "a"
                element.set("href", source)
                element.text = alt or source


class _FeedExtension(Extension):
    def __init__(self, users: Mapping[str, object], found: dict):
        super().__init__()
        self.users = users
        self.found = found

    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API
        # Raw HTML is text, never markup: typing <b> shows "<b>".
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(_MentionProcessor(self.users, self.found), "mention", 65)
        md.treeprocessors.register(_FitIntoPage(md), "fit_into_page", 5)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value if value.strip().lower().startswith(ALLOWED_SCHEMES) else None
    return value


def sanitise(html: str) -> str:
    """Keep only the tags and attributes a post may carry; links only to http(s) and mailto."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={"a": {"href"}, "*": set()},
        allowed_classes={"span": set(MENTION_CLASSES)},
        url_schemes={"http", "https", "mailto"},
        url_relative="deny",
        link_rel=LINK_REL,
        attribute_filter=_keep_attribute,
        strip_comments=True,
    )


def render_markdown(text: str, users: Mapping[str, object] | None = None) -> Rendered:
    """Render `text`; `users` maps user names to the active users that may be mentioned."""
    found: dict = {}
    converter = markdown.Markdown(
        extensions=["fenced_code", "nl2br", "sane_lists", _FeedExtension(users or {}, found)],
        output_format="html",
    )
    html = sanitise(converter.convert(text))
    return Rendered(html=html, mentioned=list(found.values()))
