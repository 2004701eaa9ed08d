"""The navigation marks the section whose pages the user is on, and only on that section's own pages; the list's
"Show as" toggle offers the section's other views beside the list."""

import re

from django.urls import reverse


def current_links(html: str) -> list[str]:
    return re.findall(r'class="nav-link active" aria-current="page" href="([^"]+)"', html)


def test_a_section_s_own_pages_mark_it_current(alice_client):
    for url in (reverse("opportunities:list"), reverse("opportunities:kanban"), reverse("accounts:create")):
        html = alice_client.get(url).content.decode()
        assert current_links(html) == [reverse(url.strip("/").split("/")[0] + ":list")], url


def test_the_designer_s_page_of_a_section_marks_no_section(admin_client):
    html = admin_client.get(reverse("designer:layout", args=["opportunities"])).content.decode()

    assert current_links(html) == []


def test_the_list_offers_the_section_s_other_views_beside_it(alice_client):
    html = alice_client.get(reverse("opportunities:list")).content.decode()
    toggle = html.split('aria-label="Show as"', 1)[1].split("</div>", 1)[0]

    assert f'href="{reverse("opportunities:kanban")}"' in toggle
    assert f'href="{reverse("opportunities:analytics")}"' in toggle
    assert 'aria-label="Pipeline"' in toggle
