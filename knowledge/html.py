"""The one allow-list an article body is held to, applied when it is saved and again when it is shown: the
formatting the editor makes (headings, lists, emphasis, links, tables, code, quotes, images), nothing that runs,
phones home, hides or overlays."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import nh3

#: how long a body may be, in characters of its HTML (a long regulation is some 100,000)
MAX_BODY_CHARACTERS = 300_000

ALLOWED_TAGS = frozenset(
    {
        *("p", "div", "br", "hr", "h1", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "del", "sub", "sup"),
        *("a", "ul", "ol", "li", "blockquote", "pre", "code", "figure", "figcaption", "img"),
        *("table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption"),
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
#: a cell spans at most this many columns or rows (a browser caps colspan at 1,000: no article needs that)
MAX_CELL_SPAN = 100
#: a picture's width or height, in pixels
MAX_IMAGE_SIZE = 4000
_WHOLE_NUMBER = re.compile(r"^[0-9]{1,6}$")
LINK_SCHEMES = ("http://", "https://", "mailto:")
#: an image shown in an article is one of its attachments, served through the access check (knowledge:image)
IMAGE_SOURCE = re.compile(r"^/knowledge/images/\d+/$")
LINK_REL = "noopener noreferrer nofollow"


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        value = value.strip()
        return value if value.lower().startswith(LINK_SCHEMES) or value.startswith("#") else None
    if tag == "img" and attribute == "src":
        return value if IMAGE_SOURCE.match(value) else None
    if attribute in {"width", "height"}:
        return value if _is_whole_number(value, MAX_IMAGE_SIZE) else None
    if attribute in {"colspan", "rowspan"}:
        return value if _is_whole_number(value, MAX_CELL_SPAN) else None
    return value


def _is_whole_number(value: str, largest: int) -> bool:
    """`value` is written in ASCII digits alone (not "²", "1e3", " 2" or "2px") and lies in 1..`largest`."""
    return bool(_WHOLE_NUMBER.match(value)) and 0 < int(value) <= largest


def sanitise(html: str) -> str:
    """`html` kept to the allow-list: unknown tags dropped (script and style with their content), every event
    handler and style attribute gone, links only to http(s), mailto and the page's own anchors, images only from
    the knowledge base's attachments."""
    return nh3.clean(
        html or "",
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style", "template", "noscript"},
        attributes={"*": set(), **{tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}},
        url_schemes={"http", "https", "mailto"},
        url_relative="pass_through",
        link_rel=LINK_REL,
        attribute_filter=_keep_attribute,
        strip_comments=True,
    ).strip()


def for_reading(html: str) -> str:
    """`html` sanitised, each table in a wrapper of its own that scrolls sideways when the table is wider than the
    page (a phone): the page itself never does. The wrapper is a focusable region, so the keyboard scrolls it too."""
    # the sanitiser leaves every table as a bare, balanced "<table>...</table>": it keeps no attribute on a table,
    # and escapes "<" in text and in attribute values alike (a title of "<table>" comes out "&lt;table&gt;"), so the
    # two tags are found only where they are tags and replacing them keeps the HTML well-formed
    # (tests/knowledge/test_body_sanitising.py holds this to hostile tables and titles)
    return (
        sanitise(html)
        .replace("<table>", '<div class="article-table" role="region" aria-label="Table" tabindex="0"><table>')
        .replace("</table>", "</table></div>")
    )


_BLOCKS = frozenset({"p", "div", "br", "hr", "h1", "h2", "h3", "h4", "li", "blockquote", "pre", "tr", "figcaption"})


class _Text(HTMLParser):
    """A table row is one line, its cells side by side (the editor puts a paragraph in every cell)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.cells = 0  # how deep in table cells the parser is

    def handle_starttag(self, tag, attrs):
        if tag in {"td", "th"}:
            self.cells += 1
            self.parts.append(" ")
        elif tag in _BLOCKS:
            self.parts.append(" " if self.cells and tag != "tr" else "\n")

    def handle_endtag(self, tag):
        if tag in {"td", "th"}:
            self.cells = max(self.cells - 1, 0)
            self.parts.append(" ")
        elif tag in _BLOCKS:
            self.parts.append(" " if self.cells and tag != "tr" else "\n")

    def handle_data(self, data):
        self.parts.append(data)


def text_of(html: str) -> str:
    """The words of `html`, a paragraph a line: what search indexes and the history compares."""
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    lines = (" ".join(unescape(line).split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)
