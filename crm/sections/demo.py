"""Demo tags: a few corporate tags (made by the administrator) and the reps' private ones on demo records, so that
the lists' tag filter, the badges and the tag screens have something true to show."""

from __future__ import annotations

ORDER = 96  # after every section's demo records and the duplicates

#: section -> [(name, colour), ...]: tags everyone sees
CORPORATE = {
    "contacts": [("VIP", "red"), ("Decision maker", "blue"), ("Trade fair 2026", "orange")],
    "accounts": [("Key account", "purple"), ("Partner", "teal"), ("At risk", "red")],
    "opportunities": [("Strategic", "purple"), ("Upsell", "teal")],
    "leads": [("Webinar 2026", "orange")],
}
#: (user, section) -> [name, ...]: tags only their author sees
PRIVATE = {
    ("alice", "contacts"): ["Golf partner", "Call back in Q3"],
    ("bob", "contacts"): ["Met at the fair"],
    ("bob", "accounts"): ["My top 10"],
    ("manager", "opportunities"): ["Watch closely"],
}


def already_seeded(context) -> bool:
    from .models import Tag

    return Tag.objects.filter(section__in=list(CORPORATE)).exists()  # the knowledge demo tags its articles


def seed(context) -> None:
    from crm import access

    from . import registry, tags

    admin = context.users["admin"]
    for section_name, specs in CORPORATE.items():
        section = registry.get(section_name)
        ids = list(section.model._default_manager.order_by("pk").values_list("pk", flat=True)[:400])
        for name, colour in specs:
            tag = tags.create_tag(user=admin, section=section, name=name, colour=colour, corporate=True)
            chosen = context.rng.sample(ids, min(len(ids), context.rng.randint(8, 25)))
            tags.add_tags(user=admin, section=section, ids=chosen, tags=[tag])
    for (username, section_name), names in PRIVATE.items():
        user, section = context.users[username], registry.get(section_name)
        # a rep's own labels go on records the rep may see, most of them the rep's own
        records = access.visible(user, section.model._default_manager.order_by("pk"))
        ids = list(records.filter(owner=user).values_list("pk", flat=True)[:200]) or list(
            records.values_list("pk", flat=True)[:200]
        )
        for name in names:
            tag = tags.create_tag(user=user, section=section, name=name)
            chosen = context.rng.sample(ids, min(len(ids), context.rng.randint(4, 12)))
            tags.add_tags(user=user, section=section, ids=chosen, tags=[tag])
    context.created["tags"] = sum(len(specs) for specs in CORPORATE.values()) + sum(map(len, PRIVATE.values()))
