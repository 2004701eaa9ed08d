"""A form sent again with its errors: 422 to a client, a page (200) to the browser, which would log a 422 as a
failed request in its console (a navigation says so by Sec-Fetch-Mode, htmx by HX-Request); JSON stays a 422."""

import pytest
from django.urls import reverse

from accounts.models import Account


def post_nameless_account(client, **headers):
    return client.post(reverse("accounts:create"), {"name": ""}, **headers)


@pytest.mark.parametrize("headers", [{"HTTP_SEC_FETCH_MODE": "navigate"}, {"HTTP_HX_REQUEST": "true"}])
def test_the_browser_gets_the_form_with_its_errors_as_a_page(alice_client, alice, headers):
    response = post_nameless_account(alice_client, **headers)

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Account.objects.exists()


def test_a_client_gets_the_same_errors_as_a_422(alice_client, alice):
    response = post_nameless_account(alice_client)

    assert response.status_code == 422
    assert "This field is required" in response.content.decode()


def test_a_json_refusal_stays_a_422_for_the_browser(rf):
    from django.http import JsonResponse

    from crm.core.middleware import FormErrorsAsPagesMiddleware

    middleware = FormErrorsAsPagesMiddleware(lambda request: JsonResponse({"error": "Stale."}, status=422))
    request = rf.post("/opportunities/1/move/", headers={"Sec-Fetch-Mode": "navigate", "HX-Request": "true"})
    request.htmx = True

    assert middleware(request).status_code == 422
