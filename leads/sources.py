"""Lead source tracking (reference §11.3): which channel and source a lead came from, given the referring page and
the landing URL with its UTM tags. `detect` is a pure function of its inputs; `load_rules` reads the lookups."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")


@dataclass(frozen=True)
class Rules:
    """The lookups the rules read: sources by utm_source code, channels by utm_medium code, sources by referring
    domain, and the special sources the rules fall back on. Values are lookup rows (or anything with `channel`)."""

    sources_by_code: Mapping[str, object] = field(default_factory=dict)
    channels_by_code: Mapping[str, object] = field(default_factory=dict)
    sources_by_domain: Mapping[str, object] = field(default_factory=dict)
    other_source: object | None = None
    other_website: object | None = None
    paid_search: object | None = None


@dataclass(frozen=True)
class Detected:
    source: object | None = None
    channel: object | None = None
    referrer: str = ""
    landing: str = ""
    utm: Mapping[str, str] = field(default_factory=dict)
    gclid: str = ""

    def as_lead_fields(self) -> dict:
        return {
            "source": self.source,
            "channel": self.channel,
            "referrer": self.referrer,
            "landing": self.landing,
            "gclid": self.gclid,
            **{name: self.utm.get(name, "") for name in UTM_FIELDS},
        }


def domain_of(url: str) -> str:
    """The host of a URL (or of a bare domain), lower case, without "www." and the port."""
    url = (url or "").strip()
    if not url:
        return ""
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.lower().removeprefix("www.")


def _parents(domain: str) -> list[str]:
    """news.google.co.uk -> [news.google.co.uk, google.co.uk, co.uk]: a domain and each one above it."""
    parts = domain.split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)]


def _query(landing: str) -> dict[str, str]:
    values = parse_qs(urlsplit(landing).query) if landing else {}
    return {key.lower(): items[0].strip() for key, items in values.items() if items and items[0].strip()}


def detect(*, referrer: str = "", landing: str = "", rules: Rules) -> Detected:
    """The source and channel of a visit, in the order of §11.3:

    1. utm_source → the source with that code (an unknown code: "Other source");
    2. utm_medium alone → "Other source";
    3. a Google click id (gclid) → the paid search source;
    4. a referring domain (or a domain above it) known to the lookup → its source, any other site → "Other
       website" (a referrer on the landing page's own site is internal navigation, and ignored);
    5. nothing → no source.

    The channel is the one whose code is the utm_medium, else the source's default channel.
    """
    query = _query(landing)
    utm = {name: query[name][:150] for name in UTM_FIELDS if name in query}
    gclid = query.get("gclid", "")[:200]
    referrer_domain = domain_of(referrer)
    if referrer_domain and referrer_domain == domain_of(landing):
        referrer_domain = ""

    source = None
    if "utm_source" in utm:
        source = rules.sources_by_code.get(utm["utm_source"].lower()) or rules.other_source
    elif "utm_medium" in utm:
        source = rules.other_source
    elif gclid:
        source = rules.paid_search
    elif referrer_domain:
        known = (rules.sources_by_domain.get(d) for d in _parents(referrer_domain) or [referrer_domain])
        source = next((s for s in known if s is not None), None) or rules.other_website

    channel = rules.channels_by_code.get(utm.get("utm_medium", "").lower())
    if channel is None and source is not None:
        channel = getattr(source, "channel", None)
    return Detected(
        source=source,
        channel=channel,
        referrer=referrer_domain,
        landing=landing.strip()[:2000] if landing else "",
        utm=utm,
        gclid=gclid,
    )


def load_rules() -> Rules:
    """The rules as the lookups say today (three small queries)."""
    from .models import LeadChannel, LeadSource, LeadSourceDomain

    sources = list(LeadSource.objects.active().select_related("channel"))
    special = {s.special: s for s in sources if s.special}
    return Rules(
        sources_by_code={s.code.lower(): s for s in sources if s.code},
        channels_by_code={c.code.lower(): c for c in LeadChannel.objects.active() if c.code},
        sources_by_domain={
            d.domain: d.source for d in LeadSourceDomain.objects.select_related("source__channel") if d.source.is_active
        },
        other_source=special.get(LeadSource.Special.OTHER_SOURCE),
        other_website=special.get(LeadSource.Special.OTHER_WEBSITE),
        paid_search=special.get(LeadSource.Special.PAID_SEARCH),
    )
