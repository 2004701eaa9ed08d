"""Demo feed: channels, a dozen believable posts on channels and accounts, comments, likes and a mention of
alice by the sales manager. Everything goes through the services, so it renders and notifies as in real use."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import Account
from crm.core.models import Notification

from . import services
from .models import Channel, Comment, Post

ORDER = 40

CHANNELS = [
    ("Company news", "Announcements for everyone in the company."),
    ("Sales", "Wins, lessons and questions of the sales team."),
    ("HR", "People matters: holidays, hiring, training."),
]

# (hours ago, author, channel name or "account:<name>", text, [(author, comment)], [likers])
POSTS = [
    (
        200,
        "admin",
        "Company news",
        "Welcome to **OpenCRM**! From today accounts, contacts and activities live here. "
        "Post questions in the *Sales* channel.",
        [("alice", "Looks great, finally one place for everything."), ("bob", "Already imported my contacts.")],
        ["manager", "alice", "bob"],
    ),
    (
        170,
        "manager",
        "Sales",
        "Q3 target: **2.4 M** in new business. Pipeline review every Monday at 9:00.\n\n"
        "- update your opportunities on Friday\n- log every customer call",
        [("bob", "Will the review be in the big meeting room?"), ("manager", "Yes, room Atlas.")],
        ["alice"],
    ),
    (
        150,
        "alice",
        "account:Northwind Traders",
        "Met their new head of procurement. They want to consolidate suppliers by the end of the year.",
        [("manager", "Good news. Let's prepare a volume offer.")],
        ["manager"],
    ),
    (
        120,
        "bob",
        "account:Contoso Pharmaceuticals",
        "Contoso asked for a security questionnaire before the pilot. I'll send it back on Thursday.",
        [],
        ["alice"],
    ),
    (
        96,
        "admin",
        "HR",
        "The summer holiday planner is open. Please enter your dates by **June 15**.",
        [("alice", "Done!")],
        ["bob"],
    ),
    (
        80,
        "manager",
        "account:Northwind Traders",
        "@alice could you prepare the renewal offer for Northwind before Friday? "
        "Use last year's discount as the ceiling.",
        [("alice", "On it, draft by Thursday.")],
        [],
    ),
    (
        60,
        "bob",
        "Sales",
        "Tip: when a customer asks for a discount, ask what they would commit to in return "
        "(volume, term, a case study).",
        [("alice", "Worked with Fabrikam last month.")],
        ["manager", "alice"],
    ),
    (
        48,
        "alice",
        "account:Fabrikam Industries",
        "Fabrikam signed the framework agreement for two years. Thanks @bob for the technical demo!",
        [("bob", "Great team work.")],
        ["bob", "manager"],
    ),
    (
        30,
        "manager",
        "Company news",
        "We are moving to the new office on **September 1**. Boxes arrive next week.",
        [],
        ["alice", "bob", "admin"],
    ),
    (
        20,
        "bob",
        "account:Woodgrove Bank",
        "Woodgrove's procurement portal needs our tax certificate; uploaded it to the account's attachments.",
        [],
        [],
    ),
    (
        8,
        "alice",
        "Sales",
        "Does anyone have a good reference customer in logistics? Wide World Importers wants to talk to one.",
        [("bob", "Blue Yonder Airlines were happy with the rollout, ask their CFO.")],
        [],
    ),
    (
        2,
        "manager",
        "account:Litware Inc.",
        "Litware will renew if we include the training package. Check the price list before quoting.",
        [],
        ["bob"],
    ),
]


def already_seeded(context) -> bool:
    return Post.objects.exists()


def seed(context) -> None:
    users = context.users
    channels = {}
    for name, description in CHANNELS:
        channels[name], _ = Channel.objects.get_or_create(name=name, defaults={"description": description})
    for username in ("admin", "manager", "alice", "bob"):
        for name in ("Company news", "Sales"):
            services.subscribe(user=users[username], channel=channels[name])
    for username in ("admin", "manager", "alice"):
        services.subscribe(user=users[username], channel=channels["HR"])

    accounts = {a.name: a for a in Account.objects.all()}
    now = timezone.now()
    posts = 0
    for hours, author, where, text, comments, likers in POSTS:
        if where.startswith("account:"):
            account = accounts.get(where.removeprefix("account:"))
            if account is None:
                continue
            post = services.post_on_record(user=users[author], record=account, text=text)
        else:
            post = services.post_to_channel(user=users[author], channel=channels[where], text=text)
        at = now - timedelta(hours=hours)
        Post.objects.filter(pk=post.pk).update(created_at=at)
        for index, (commenter, comment_text) in enumerate(comments, start=1):
            comment = services.comment(user=users[commenter], post=post, text=comment_text)
            Comment.objects.filter(pk=comment.pk).update(created_at=at + timedelta(minutes=25 * index))
        for liker in likers:
            services.like(user=users[liker], post=post)
        # the notifications these made arrived around the time of the post, not at seeding time
        Notification.objects.filter(kind=Notification.Kind.FEED, url=post.get_absolute_url()).update(
            created_at=at + timedelta(minutes=30)
        )
        posts += 1
    context.created["feed posts"] = posts
