"""The lead source tracking rules (reference §11.3), rule by rule, on the seeded lookups."""

import pytest

from leads.models import LeadChannel, LeadSource
from leads.sources import Rules, detect, domain_of, load_rules


@pytest.fixture
def rules(db) -> Rules:
    return load_rules()


def source(name):
    return LeadSource.objects.get(name=name)


def channel(name):
    return LeadChannel.objects.get(name=name)


def test_utm_source_finds_the_source_by_its_code(rules):
    found = detect(landing="https://shop.example/offer?utm_source=LinkedIn&utm_campaign=spring", rules=rules)

    assert found.source == source("LinkedIn")
    assert found.channel == channel("Social accounts")  # the source's default channel
    assert found.utm == {"utm_source": "LinkedIn", "utm_campaign": "spring"}


def test_utm_medium_names_the_channel_whatever_the_source(rules):
    found = detect(landing="https://shop.example/?utm_source=google&utm_medium=cpc", rules=rules)

    assert found.source == source("Google")
    assert found.channel == channel("Search-based advertising")


def test_an_unknown_utm_source_is_other_source(rules):
    assert detect(landing="https://shop.example/?utm_source=podcast", rules=rules).source == source("Other source")


def test_utm_medium_alone_is_other_source_in_that_channel(rules):
    found = detect(landing="https://shop.example/?utm_medium=email", rules=rules)

    assert found.source == source("Other source")
    assert found.channel == channel("Email")


def test_a_google_click_id_is_paid_search(rules):
    found = detect(landing="https://shop.example/?gclid=abc123", referrer="https://www.google.com/", rules=rules)

    assert found.source == source("Google Ads")
    assert found.gclid == "abc123"
    assert found.channel == channel("Search-based advertising")


def test_utm_tags_win_over_the_click_id_and_the_referrer(rules):
    found = detect(
        landing="https://shop.example/?utm_source=facebook&gclid=abc", referrer="https://bing.com/", rules=rules
    )

    assert found.source == source("Facebook")


def test_a_known_referring_domain_gives_its_source(rules):
    found = detect(referrer="https://www.linkedin.com/feed/", landing="https://shop.example/", rules=rules)

    assert found.source == source("LinkedIn")
    assert found.referrer == "linkedin.com"


def test_a_sub_domain_of_a_known_domain_counts_too(rules):
    assert detect(referrer="https://m.facebook.com/story", rules=rules).source == source("Facebook")
    assert detect(referrer="https://news.google.com/", rules=rules).source == source("Google")


def test_an_unknown_referring_site_is_other_website(rules):
    found = detect(referrer="https://blog.someone.example/post", landing="https://shop.example/", rules=rules)

    assert found.source == source("Other website")
    assert found.channel == channel("Referral")


def test_a_referrer_on_the_landing_site_is_internal_navigation(rules):
    found = detect(referrer="https://shop.example/pricing", landing="https://shop.example/contact", rules=rules)

    assert found.source is None and found.referrer == ""


def test_nothing_known_leaves_the_source_empty(rules):
    found = detect(landing="https://shop.example/contact", rules=rules)

    assert found.source is None and found.channel is None


def test_the_rules_are_a_pure_function_of_their_lookups():
    linkedin = object()
    rules = Rules(sources_by_domain={"linkedin.com": linkedin})

    assert detect(referrer="https://uk.linkedin.com/in/x", rules=rules).source is linkedin
    assert detect(referrer="https://unknown.example/", rules=rules).source is None  # no "Other website" configured


@pytest.mark.parametrize(
    ("url", "domain"),
    [("https://WWW.Example.com:8080/x", "example.com"), ("example.org", "example.org"), ("", "")],
)
def test_the_domain_of_a_url(url, domain):
    assert domain_of(url) == domain
