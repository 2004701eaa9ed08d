"""The demo feed: channels, a dozen posts with comments and likes, and alice mentioned by her manager."""

import random

from accounts import demo as accounts_demo
from crm.core import demo
from crm.core.models import Notification
from feed import demo as feed_demo
from feed.models import Channel, Comment, Like, Post


def test_the_demo_fills_the_feed_believably(db):
    context = demo.DemoContext(users=demo.ensure_users(), rng=random.Random(2026))
    accounts_demo.seed(context)

    feed_demo.seed(context)

    assert set(Channel.objects.values_list("name", flat=True)) >= {"Company news", "Sales", "HR"}
    assert Post.objects.count() == 12 and Post.objects.filter(content_type__isnull=False).count() == 6
    assert Comment.objects.exists() and Like.objects.exists()
    mention = Notification.objects.get(recipient=context.users["alice"], title__contains="mentioned you")
    assert mention.title == "Maria Manning mentioned you in a post on Northwind Traders"
    assert feed_demo.already_seeded(context)
