"""Post text is Markdown rendered and sanitised: formatting survives, nothing that can run or phone home does."""

import pytest

from feed.rendering import render_markdown
from tests.factories import UserFactory
from tests.parsed_html import elements

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<iframe src=https://evil.example></iframe>",
    '<p style="position:fixed;top:0">cover</p>',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JavaScript:alert(1))",
    "[click]( javascript:alert(1) )",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript&#58;alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "![x](javascript:alert(1))",
    '![x](https://evil.example/pixel.png "onerror=alert(1)")',
    "<javascript:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "<<script>script>alert(1)<</script>/script>",
    "> <img src=x onerror=alert(1)>\n>> <script>alert(2)</script>",
    "> quote\n> > [x](javascript:alert(1))\n> > > <svg/onload=alert(1)>",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "<div onmouseover=alert(1)>hover</div>",
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "<form action=https://evil.example><input name=p></form>",
    "<style>body{display:none}</style>",
    "<!-- <script>alert(1)</script> -->",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    '[x](https://ok.example"onmouseover="alert(1))',
    '<object data="javascript:alert(1)"></object>',
    "<base href=https://evil.example/>",
    "<meta http-equiv=refresh content=0;url=https://evil.example>",
]

SAFE_TAGS = {"p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "span"}
SAFE_TAGS |= {"h3", "h4", "h5", "h6"}
SAFE_ATTRIBUTES = {("a", "href"), ("a", "rel"), ("span", "class")}


def unsafe_parts(html: str) -> list[str]:
    problems = []
    for tag, attributes in elements(html):
        if tag not in SAFE_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attributes.items():
            if (tag, name) not in SAFE_ATTRIBUTES:
                problems.append(f"<{tag} {name}>")
            elif name == "href" and not (value or "").startswith(("http://", "https://", "mailto:")):
                problems.append(f"href={value!r}")
    return problems


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_leaves_nothing_that_runs(text):
    html = render_markdown(text).html

    assert unsafe_parts(html) == [], html


def test_the_check_finds_what_it_looks_for():
    """The check above can fail: unsanitised, the hostile inputs are caught."""
    assert all(unsafe_parts(text) for text in HOSTILE[:7])


def test_raw_html_is_shown_as_text():
    assert render_markdown("<b>bold?</b>").html == "<p>&lt;b&gt;bold?&lt;/b&gt;</p>"


def test_formatting_survives():
    html = render_markdown(
        "# Title\n\n**bold** _em_ `code`\n\n> quote\n\n- one\n- two\n\n1. first\n\n```\nblock\n```\n\n"
        "[site](https://example.com) <https://example.org> [mail](mailto:a@example.com)"
    ).html

    for fragment in (
        "<h3>Title</h3>",
        "<strong>bold</strong>",
        "<em>em</em>",
        "<code>code</code>",
        "<blockquote>",
        "<ul>",
        "<ol>",
        "<pre><code>block",
        '<a href="https://example.com" rel="noopener noreferrer nofollow">site</a>',
        '<a href="https://example.org" rel="noopener noreferrer nofollow">https://example.org</a>',
        '<a href="mailto:a@example.com" rel="noopener noreferrer nofollow">mail</a>',
    ):
        assert fragment in html


def test_images_become_links_not_embedded_pictures():
    html = render_markdown("![the chart](https://example.com/chart.png)").html

    assert html == '<p><a href="https://example.com/chart.png" rel="noopener noreferrer nofollow">the chart</a></p>'


def test_a_mention_shows_the_users_name_and_links_nowhere(db):
    bob = UserFactory(username="bob", first_name="Bob", last_name="Baker")

    rendered = render_markdown("Thanks @bob. See bob@example.com and `@bob`", {"bob": bob})

    assert '<span class="mention fw-semibold text-primary-emphasis">@Bob Baker</span>.' in rendered.html
    assert "bob@example.com" in rendered.html
    assert "<code>@bob</code>" in rendered.html
    assert rendered.mentioned == [bob]


def test_an_unknown_name_stays_plain_text():
    rendered = render_markdown("Hello @nobody", {})

    assert rendered.html == "<p>Hello @nobody</p>"
    assert rendered.mentioned == []
