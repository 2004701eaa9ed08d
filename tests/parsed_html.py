"""The elements and attributes a browser would build from some HTML: what the sanitising tests check."""

from html.parser import HTMLParser


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict]]:
    """(tag, {attribute: value}) of every element of `html`, in order."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.found
