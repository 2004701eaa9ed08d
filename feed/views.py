"""The feed's pages: the user's feed, channels, one post, and the htmx endpoints for posting, comments, likes
and follows. Views parse, authorise, call a service and render; the same view answers the page and the partial."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from crm import access
from crm.sections import registry

from . import selectors, services
from .forms import ChannelPostForm, CommentForm, PostForm
from .models import Post, Subscription


def _cursor(request) -> int | None:
    value = request.GET.get("before", "")
    return int(value) if value.isdigit() else None


def _errors(error: Exception) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


def _posts_response(request, posts, next_cursor, more_url: str):
    return render(request, "feed/_posts.html", {"posts": posts, "next_cursor": next_cursor, "more_url": more_url})


def _post_created(request, post: Post, fallback_url: str):
    """After a post is written: the new post's HTML for htmx (which puts it on top), else back to the page."""
    if not request.htmx:
        messages.success(request, "Posted.")
        return redirect(fallback_url)
    post = selectors.get_post_or_404(request.user, post.pk)
    response = render(request, "feed/_post.html", {"post": post})
    response["HX-Trigger"] = "feed-posted"
    return response


def _post_refused(request, error: str, fallback_url: str):
    """Say why a post was refused: in the composer's error slot for htmx, else as a message on the page."""
    if request.htmx:
        response = render(request, "feed/_form_error.html", {"error": error})
        response["HX-Retarget"] = "#composer-errors"
        response["HX-Reswap"] = "innerHTML"
        return response
    messages.error(request, error)
    return redirect(fallback_url)


def _channel_post(request, channels, fallback_url: str):
    form = ChannelPostForm(request.POST, channels=channels)
    if not form.is_valid():
        return _post_refused(request, " ".join(e for errors in form.errors.values() for e in errors), fallback_url)
    try:
        post = services.post_to_channel(
            user=request.user, channel=form.cleaned_data["channel"], text=form.cleaned_data["text"]
        )
    except (ValidationError, PermissionDenied) as error:
        return _post_refused(request, _errors(error), fallback_url)
    return _post_created(request, post, fallback_url)


def index(request):
    """The user's feed, newest first, with a composer where a channel must be chosen."""
    channels = selectors.visible_channels(request.user)
    url = reverse("feed:index")
    if request.method == "POST":
        return _channel_post(request, channels, url)
    queryset = selectors.with_details(selectors.feed_for(request.user), request.user)
    posts, next_cursor = selectors.page_of(queryset, before=_cursor(request))
    if request.htmx and _cursor(request):
        return _posts_response(request, posts, next_cursor, url)
    default_channel = next((c for c in channels if c.name == "Company news"), None)
    return render(
        request,
        "feed/feed.html",
        {
            "posts": posts,
            "next_cursor": next_cursor,
            "more_url": url,
            "form": ChannelPostForm(channels=channels, initial={"channel": default_channel}),
            "composer_url": url,
            "has_subscriptions": request.user.feed_subscriptions.exists(),
        },
    )


def channels(request):
    """Every channel the user may see, with subscribe and unsubscribe."""
    listed = selectors.visible_channels(request.user).annotate(
        is_subscribed=Exists(Subscription.objects.filter(user=request.user, channel=OuterRef("pk")))
    )
    return render(request, "feed/channels.html", {"channels": listed.order_by("name")})


def channel(request, pk: int):
    """A channel's posts, and a composer for it."""
    current = get_object_or_404(selectors.visible_channels(request.user), pk=pk)
    url = reverse("feed:channel", args=[pk])
    only_this = selectors.visible_channels(request.user).filter(pk=pk)
    if request.method == "POST":
        return _channel_post(request, only_this, url)
    queryset = selectors.with_details(selectors.channel_posts(request.user, current), request.user)
    posts, next_cursor = selectors.page_of(queryset, before=_cursor(request))
    if request.htmx and _cursor(request):
        return _posts_response(request, posts, next_cursor, url)
    return render(
        request,
        "feed/channel.html",
        {
            "channel": current,
            "subscribed": current.subscriptions.filter(user=request.user).exists(),
            "posts": posts,
            "next_cursor": next_cursor,
            "more_url": url,
            "form": ChannelPostForm(channels=only_this, initial={"channel": current}),
            "composer_url": url,
        },
    )


@require_POST
def subscription(request, pk: int):
    current = get_object_or_404(selectors.visible_channels(request.user), pk=pk)
    try:
        if request.POST.get("action") == "unsubscribe":
            services.unsubscribe(user=request.user, channel=current)
        else:
            services.subscribe(user=request.user, channel=current)
    except PermissionDenied as error:
        messages.error(request, str(error))
    if request.htmx:
        subscribed = current.subscriptions.filter(user=request.user).exists()
        return render(request, "feed/_subscription.html", {"channel": current, "subscribed": subscribed})
    return redirect(current.get_absolute_url() if request.POST.get("next") == "channel" else reverse("feed:channels"))


def post_detail(request, pk: int):
    post = selectors.get_post_or_404(request.user, pk)
    return render(request, "feed/post_detail.html", {"post": post})


def post_edit(request, pk: int):
    post = selectors.get_post_or_404(request.user, pk, details=False)
    if post.author_id != request.user.pk:
        raise Http404("No such post.")
    form = PostForm(request.POST or None, initial={"text": post.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(user=request.user, post=post, text=form.cleaned_data["text"])
            messages.success(request, "Post saved.")
            return redirect(post.get_absolute_url())
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _errors(error))
    status = 422 if request.method == "POST" else 200
    return render(request, "feed/post_edit.html", {"post": post, "form": form}, status=status)


@require_POST
def post_delete(request, pk: int):
    post = selectors.get_post_or_404(request.user, pk, details=False)
    try:
        services.delete_post(user=request.user, post=post)
    except PermissionDenied as error:
        raise Http404(str(error))
    if request.htmx:
        return HttpResponse("")
    messages.success(request, "Post deleted.")
    return redirect("feed:index")


@require_POST
def post_like(request, pk: int):
    post = selectors.get_post_or_404(request.user, pk, details=False)
    if request.POST.get("action") == "unlike":
        services.unlike(user=request.user, post=post)
    else:
        services.like(user=request.user, post=post)
    if not request.htmx:
        return redirect(post.get_absolute_url())
    post = selectors.get_post_or_404(request.user, pk)
    return render(request, "feed/_like.html", {"target": post, "kind": "post"})


@require_POST
def comment_like(request, pk: int):
    comment = selectors.get_comment_or_404(request.user, pk)
    if request.POST.get("action") == "unlike":
        services.unlike(user=request.user, comment=comment)
    else:
        services.like(user=request.user, comment=comment)
    if not request.htmx:
        return redirect(comment.post.get_absolute_url())
    post = selectors.get_post_or_404(request.user, comment.post_id)
    refreshed = next(c for c in post.comments.all() if c.pk == comment.pk)
    return render(request, "feed/_like.html", {"target": refreshed, "kind": "comment"})


@require_POST
def comment_create(request, pk: int):
    post = selectors.get_post_or_404(request.user, pk, details=False)
    form = CommentForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.comment(user=request.user, post=post, text=form.cleaned_data["text"])
        except (ValidationError, PermissionDenied) as refused:
            error = _errors(refused)
    else:
        error = "Write a comment first."
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(post.get_absolute_url())
    post = selectors.get_post_or_404(request.user, pk)
    return render(request, "feed/_comments.html", {"post": post, "error": error})


@require_POST
def comment_delete(request, pk: int):
    comment = selectors.get_comment_or_404(request.user, pk)
    try:
        services.delete_comment(user=request.user, comment=comment)
    except PermissionDenied as error:
        raise Http404(str(error))
    if request.htmx:
        return HttpResponse("")
    return redirect(comment.post.get_absolute_url())


def _record_or_404(request, section_name: str, pk: int):
    try:
        section = registry.get(section_name)
    except KeyError:
        raise Http404("No such section.")
    if not access.can(request.user, "read", section):
        raise Http404("No such section.")
    return section, access.get_object_or_404(request.user, section.get_queryset(), "read", pk=pk)


def record_tab(request, section, record):
    """The Feed tab of a record page (`RecordTab.view`): its posts, a composer and follow/unfollow."""
    queryset = selectors.with_details(selectors.record_posts(request.user, record), request.user)
    posts, next_cursor = selectors.page_of(queryset, before=_cursor(request))
    more_url = reverse(f"{section.name}:tab", args=[record.pk, "feed"])
    if _cursor(request):
        return _posts_response(request, posts, next_cursor, more_url)
    return render(
        request,
        "feed/_record_feed.html",
        {
            "section": section,
            "object": record,
            "posts": posts,
            "next_cursor": next_cursor,
            "more_url": more_url,
            "form": PostForm(),
            "following": selectors.is_following(request.user, record),
        },
    )


@require_POST
def record_post(request, section: str, pk: int):
    section_, record = _record_or_404(request, section, pk)
    fallback = section_.url("detail", record.pk) + "?tab=feed"
    form = PostForm(request.POST)
    if not form.is_valid():
        return _post_refused(request, " ".join(e for errors in form.errors.values() for e in errors), fallback)
    try:
        post = services.post_on_record(user=request.user, record=record, text=form.cleaned_data["text"])
    except (ValidationError, PermissionDenied) as error:
        return _post_refused(request, _errors(error), fallback)
    return _post_created(request, post, fallback)


@require_POST
def record_follow(request, section: str, pk: int):
    section_, record = _record_or_404(request, section, pk)
    if request.POST.get("action") == "unfollow":
        services.unfollow(user=request.user, record=record)
    else:
        services.follow(user=request.user, record=record)
    if not request.htmx:
        return redirect(section_.url("detail", record.pk) + "?tab=feed")
    following = selectors.is_following(request.user, record)
    return render(request, "feed/_follow.html", {"section": section_, "object": record, "following": following})


@require_GET
def mention_suggestions(request):
    """Active users matching what follows the "@", as JSON, for the composer's autocomplete."""
    return JsonResponse({"results": selectors.mention_suggestions(request.GET.get("q", ""))})
