"""What the feed gives every record page: the Feed tab and the "Feed posts" items of the timeline."""

from crm.sections.registry import RecordAction, RecordTab, register_record_action, register_record_tab
from crm.sections.timeline import TimelineItem, register_provider

from . import selectors, views


def timeline_items(user, record) -> list[TimelineItem]:
    """Posts about `record`, for the timeline (none if the user may not read the record)."""
    items = []
    for post in selectors.record_posts(user, record).select_related("author")[:100]:
        who = post.author.get_full_name() or post.author.get_username()
        items.append(
            TimelineItem(
                at=post.created_at,
                kind="post",
                title=f"Feed post by {who}",
                url=post.get_absolute_url(),
                icon="bi-chat-square-text",
                summary=post.text,
                who=who,
            )
        )
    return items


register_record_tab(RecordTab(name="feed", title="Feed", view=views.record_tab))
register_provider("post", "Feed posts", timeline_items)


def _post_action(user, section, record) -> dict:
    """Whoever may read a record may post about it (feed.services.post_on_record decides the rest)."""
    from .forms import PostForm

    return {"form": PostForm()}


register_record_action(
    RecordAction(
        name="post",
        label="Post to the feed",
        icon="bi-chat-square-text",
        template="feed/_record_action.html",
        context=_post_action,
        position=30,
    )
)
