"""The knowledge base's own pages: browsing the groups, search, the reading page with "was this helpful", the
history of versions (compare, restore), images of the editor, and the articles linked from any record."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from crm import access
from crm.sections import registry
from crm.sections.models import Attachment
from crm.sections.views.records import FormView
from feed import selectors as feed_selectors

from . import history, search, selectors, services
from .models import Article, ArticleGroup, ArticleLink


def _errors(error: Exception) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


def _section_or_404(user):
    section = selectors.section()
    if not access.can(user, "read", section):
        raise Http404("No such section.")
    return section


class ArticleFormView(FormView):
    """The generic create/edit with the editor's page (its script and styles)."""

    template_name = "knowledge/article_form.html"


def browse(request):
    """The knowledge base's front page: the groups' tree, the articles of the chosen group, the most read and the
    most helpful."""
    section = _section_or_404(request.user)
    tree = selectors.group_tree(request.user)
    chosen = next((node for node in tree if str(node.group.pk) == request.GET.get("group", "")), None)
    listed = selectors.articles(request.user).defer("body", "body_text", "search_vector")
    if chosen is not None:
        listed = listed.filter(group_id__in=chosen.subtree)
    context = {
        "section": section,
        "tree": tree,
        "chosen": chosen,
        "listed": list(listed.order_by("name")[:50] if chosen else listed.order_by("-modified_at", "-pk")[:10]),
        "most_read": selectors.most_read(request.user),
        "most_helpful": selectors.most_helpful(request.user),
        "readable": section.readable_fields(request.user),
        "can_create": access.can(request.user, "create", section),
    }
    return render(request, "knowledge/browse.html", context)


def search_page(request):
    section = _section_or_404(request.user)
    text = request.GET.get("q", "").strip()[: search.MAX_TEXT]
    body = search.body_readable(request.user)
    results = search.ranked(selectors.articles(request.user), text, limit=30, body=body) if text else []
    context = {"section": section, "q": text, "results": results, "full_text": search.is_full_text()}
    return render(request, "knowledge/search.html", context)


def read(request, pk: int):
    """The article for reading (not a form): counted as a view each time it is opened."""
    section = _section_or_404(request.user)
    article = selectors.get_article(request.user, pk)
    services.record_view(article=article)
    article.view_count += 1
    feedback = article.feedback.filter(user=request.user).first()
    # the article's own feed post: liking it is liking the article
    own_post = feed_selectors.record_posts(request.user, article).filter(pk=article.announcement_id)
    announcement = feed_selectors.with_details(own_post, request.user).first() if article.announcement_id else None
    images = ContentType.objects.get_for_model(Article)
    context = {
        "section": section,
        "object": article,
        # the fields the reader's column rights show (the text among them, or a line saying it is not theirs)
        "readable": section.readable_fields(request.user),
        "feedback": feedback,
        "announcement": announcement,
        "can_edit": access.can(request.user, "edit", article),
        "related": selectors.related(request.user, article),
        "usages": selectors.usages(request.user, article),
        "files": Attachment.objects.filter(content_type=images, object_id=article.pk).exclude(
            content_type_header__startswith="image/"
        ),
        "breadcrumb": [node for node in selectors.group_tree(request.user) if article.group_id in node.subtree],
    }
    return render(request, "knowledge/article_read.html", context)


@require_POST
def helpful(request, pk: int):
    article = selectors.get_article(request.user, pk)
    answer = request.POST.get("helpful")
    if answer not in {"yes", "no"}:
        raise Http404("No such answer.")
    feedback = services.record_feedback(user=request.user, article=article, helpful=answer == "yes")
    if request.htmx:
        article.refresh_from_db(fields=["helpful_count", "not_helpful_count"])
        return render(request, "knowledge/_helpful.html", {"object": article, "feedback": feedback})
    messages.success(request, "Thank you for your answer.")
    return redirect(article.get_absolute_url())


def article_history(request, pk: int):
    """Every version with who saved it and when; `?older=&newer=` compares two (the last two by default)."""
    section = _section_or_404(request.user)
    article = selectors.get_article(request.user, pk)
    versions = list(article.versions.select_related("saved_by"))
    by_number = {version.number: version for version in versions}
    comparison = None
    body = search.body_readable(request.user)
    if len(versions) >= 2 and body:
        newer = by_number.get(_number(request.GET.get("newer"))) or versions[0]
        older = by_number.get(_number(request.GET.get("older"))) or next(
            (v for v in versions if v.number < newer.number), versions[-1]
        )
        if older.number > newer.number:
            older, newer = newer, older
        comparison = history.compare(older, newer)
    context = {
        "section": section,
        "object": article,
        "versions": versions,
        "comparison": comparison,
        "body_hidden": not body,
        # a version is the article's text: who may not read it may not bring one back either
        "can_edit": body and access.can(request.user, "edit", article),
    }
    return render(request, "knowledge/article_history.html", context)


def _number(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@require_POST
def restore(request, pk: int, number: int):
    article = selectors.get_article(request.user, pk, "edit")
    expected = _number(request.POST.get("version")) or article.version
    if not search.body_readable(request.user):
        messages.error(request, "Your role may not read this article's text, so it may not restore a version.")
        return redirect(reverse("knowledge:history", args=[pk]))
    try:
        services.restore_version(user=request.user, article=article, number=number, expected_version=expected)
    except services.section_services.StaleRecordError:
        messages.error(request, "Someone saved the article after you opened its history: nothing was restored.")
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, f"Version {number} restored.")
    return redirect(reverse("knowledge:history", args=[pk]))


# --- images ---------------------------------------------------------------------------------------------------


@require_POST
def image_upload(request):
    """An image pasted or dropped into the editor: stored, answered with the address the body names it by."""
    article_id = _number(request.GET.get("article"))
    article = selectors.get_article(request.user, article_id, "edit") if article_id else None
    try:
        attachment = services.add_image(user=request.user, article=article, uploaded=request.FILES.get("file"))
    except (ValidationError, PermissionDenied) as error:
        return JsonResponse({"error": _errors(error)}, status=422)
    return JsonResponse({"url": reverse("knowledge:image", args=[attachment.pk]), "name": attachment.name})


def image(request, pk: int):
    """An image of an article, through the article's access check (a pasted image not yet saved with an article:
    only for who pasted it)."""
    attachment = get_object_or_404(
        Attachment, pk=pk, content_type=ContentType.objects.get_for_model(Article), kind=Attachment.Kind.FILE
    )
    if attachment.object_id == services.PENDING:
        if attachment.uploaded_by_id != request.user.pk:
            raise Http404("No such image.")
    else:
        selectors.get_article(request.user, attachment.object_id)
    content_type = mimetypes.guess_type(attachment.name)[0] or ""
    if content_type not in {"image/png", "image/jpeg", "image/gif", "image/webp"} or not attachment.file:
        raise Http404("No such image.")
    if not attachment.file.storage.exists(attachment.file.name):
        raise Http404("The image is missing from storage.")
    response = FileResponse(attachment.file.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- groups ---------------------------------------------------------------------------------------------------


@require_POST
def group_create(request):
    _section_or_404(request.user)
    parent_id = _number(request.POST.get("parent"))
    parent = get_object_or_404(ArticleGroup, pk=parent_id) if parent_id else None
    try:
        group = services.create_group(user=request.user, name=request.POST.get("name", ""), parent=parent)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
        return redirect("knowledge:browse")
    messages.success(request, f"Group “{group}” added.")
    return redirect(group.get_absolute_url())


# --- articles linked from any record ----------------------------------------------------------------------------


def record_tab(request, section, record):
    """The Knowledge base tab of every other record page (`RecordTab.view`): its linked articles and, for who may
    edit the record, linking another."""
    return render(request, "knowledge/_record_tab.html", _record_tab_context(request, section, record))


def _record_tab_context(request, section, record, error: str = "") -> dict:
    return {
        "section": section,
        "object": record,
        "links": selectors.linked_from(request.user, record),
        "can_link": access.can(request.user, "edit", record) and access.can(request.user, "read", Article),
        "error": error,
    }


def _record_or_404(request, section_name: str, pk: int, action: str):
    section = registry.get_or_404(section_name)
    if section.name == "knowledge" or not access.can(request.user, "read", section):
        raise Http404("No such section.")
    return section, access.get_object_or_404(request.user, section.get_queryset(), action, pk=pk)


def _tab_answer(request, section, record, error: str = ""):
    if request.htmx:
        return render(request, "knowledge/_record_tab.html", _record_tab_context(request, section, record, error))
    if error:
        messages.error(request, error)
    return redirect(section.url("detail", record.pk) + "?tab=knowledge")


@require_POST
def link_create(request, section: str, pk: int):
    section_, record = _record_or_404(request, section, pk, "edit")
    error = ""
    article_id = _number(request.POST.get("article"))
    try:
        if article_id is None:
            raise ValidationError("Choose an article.")
        article = selectors.get_article(request.user, article_id)
        services.link_article(user=request.user, article=article, record=record)
    except Http404:
        error = "There is no such article you may read."
    except (ValidationError, PermissionDenied) as refused:
        error = _errors(refused)
    return _tab_answer(request, section_, record, error)


@require_POST
def link_delete(request, section: str, pk: int, link: int):
    section_, record = _record_or_404(request, section, pk, "edit")
    found = get_object_or_404(
        ArticleLink, pk=link, content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    )
    try:
        services.unlink_article(user=request.user, link=found, record=record)
    except PermissionDenied as refused:
        return _tab_answer(request, section_, record, _errors(refused))
    return _tab_answer(request, section_, record)
