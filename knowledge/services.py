"""Writes of the knowledge base: what every save of an article keeps (its version, its search vector, the images
it names), restoring a version, "was this helpful", views, images pasted into the editor, links from records of
other sections and the groups' tree."""

from __future__ import annotations

import os
import re

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max

from crm import access
from crm.sections import registry
from crm.sections import services as section_services
from crm.sections.models import Attachment

from . import search
from .models import Article, ArticleFeedback, ArticleGroup, ArticleLink, ArticleVersion

#: a pasted or uploaded image waits with this record id until the article naming it is saved
PENDING = 0
#: what a version keeps (the rest of the record is in the change log)
VERSIONED = ("name", "summary", "body")
IMAGE_IN_BODY = re.compile(r'src="/knowledge/images/(\d+)/"')


def section():
    return registry.get("knowledge")


# --- every save -----------------------------------------------------------------------------------------------


def after_save(*, user, obj: Article, previous: dict | None) -> None:
    """`Section.after_save`: inside the create/update transaction, keep the version the save made (the previous
    ones stay), claim the images the body names and refresh the search vector."""
    if previous is not None and not set(previous) & set(VERSIONED):
        return
    latest = obj.versions.aggregate(latest=Max("number"))["latest"] or 0
    ArticleVersion.objects.create(
        article=obj,
        number=latest + 1,
        name=obj.name,
        summary=obj.summary,
        body=obj.body,
        body_text=obj.body_text,
        saved_by=user,
        saved_at=obj.modified_at,
    )
    claim_images(user=user, article=obj)
    search.refresh_vectors([obj.pk])
    if previous is None:
        announce(user=user, article=obj)


def announce(*, user, article: Article):
    """The feed post of a new article (by its author, on the article): who follows the author's work reads it, and
    liking the article is liking this post. Comments and likes are the feed's, and follow the article's rights."""
    from feed import services as feed_services

    summary = f"\n\n{article.summary}" if article.summary else ""
    post = feed_services.post_on_record(user=user, record=article, text=f"Published this article.{summary}")
    Article.objects.filter(pk=article.pk).update(announcement=post)
    article.announcement = post
    return post


def after_import(*, user, created: list[Article], updated: list[Article]) -> None:
    """`Section.after_import`: an imported article gets its first version and its search vector like a saved one."""
    ArticleVersion.objects.bulk_create(
        [ArticleVersion(article=obj, number=1, name=obj.name, summary=obj.summary, saved_by=user) for obj in created]
    )
    search.refresh_vectors([obj.pk for obj in [*created, *updated]])


def claim_images(*, user, article: Article) -> int:
    """The images `user` pasted before the article existed, and that its body names, become its attachments."""
    ids = {int(found) for found in IMAGE_IN_BODY.findall(article.body or "")}
    if not ids:
        return 0
    return Attachment.objects.filter(
        pk__in=ids, content_type=ContentType.objects.get_for_model(Article), object_id=PENDING, uploaded_by=user
    ).update(object_id=article.pk)


def restore_version(*, user, article: Article, number: int, expected_version: int) -> Article:
    """Make version `number` the article's text again: one save (rights, locking, change log) that keeps a new
    version saying which one it restored; the versions in between stay."""
    version = article.versions.filter(number=number).first()
    if version is None:
        raise ValidationError(f"There is no version {number} of this article.")
    with transaction.atomic():
        saved = section_services.update_record(
            section=section(),
            user=user,
            obj=article,
            data={name: getattr(version, name) for name in VERSIONED},
            expected_version=expected_version,
        )
        latest = saved.versions.order_by("-number").first()
        if latest is not None and latest.number != number:
            ArticleVersion.objects.filter(pk=latest.pk).update(restored_from=number)
    return saved


# --- reading --------------------------------------------------------------------------------------------------


def record_view(*, article: Article) -> None:
    """One more reading of the article (not a change of the record: its version and modified date stay)."""
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)


def record_feedback(*, user, article: Article, helpful: bool) -> ArticleFeedback:
    """The reader's answer to "Was this helpful?"; answering again changes it, the counts follow."""
    if not access.can(user, "read", article):
        raise PermissionDenied("You may not read this article.")
    field = "helpful_count" if helpful else "not_helpful_count"
    other = "not_helpful_count" if helpful else "helpful_count"
    with transaction.atomic():
        Article.objects.select_for_update().only("pk").get(pk=article.pk)
        feedback = ArticleFeedback.objects.filter(article=article, user=user).first()
        if feedback is not None and feedback.helpful == helpful:
            return feedback
        counts = {field: F(field) + 1}
        if feedback is None:
            feedback = ArticleFeedback.objects.create(article=article, user=user, helpful=helpful)
        else:
            feedback.helpful = helpful
            feedback.save(update_fields=["helpful"])
            counts[other] = F(other) - 1
        Article.objects.filter(pk=article.pk).update(**counts)
    return feedback


# --- images ---------------------------------------------------------------------------------------------------

IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}


def _image_extension(uploaded) -> str:
    """The extension of what `uploaded` really is, read from its bytes; refused if it is not a picture."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(uploaded) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError("This file is not an image: paste or upload a PNG, JPEG, GIF or WebP picture.")
    finally:
        uploaded.seek(0)
    if kind not in IMAGE_FORMATS:
        raise ValidationError(f"{kind} pictures are not taken: paste or upload a PNG, JPEG, GIF or WebP picture.")
    return IMAGE_FORMATS[kind]


def add_image(*, user, article: Article | None, uploaded) -> Attachment:
    """An image pasted or uploaded into the editor, stored as an attachment of the article (of the article about
    to be created: claimed by its first save). Its bytes decide what it is, not its name."""
    if uploaded is None:
        raise ValidationError("Choose a picture.")
    extension = _image_extension(uploaded)
    stem = os.path.splitext(os.path.basename(uploaded.name or ""))[0][:100] or "image"
    uploaded.name = f"{stem}.{extension}"
    if article is not None:
        return section_services.add_attachment(user=user, obj=article, uploaded=uploaded)
    if not access.can(user, "create", section()):
        raise PermissionDenied("You may not write articles.")
    section_services.validate_upload(uploaded)
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(Article),
        object_id=PENDING,
        kind=Attachment.Kind.FILE,
        name=uploaded.name,
        size=uploaded.size,
        content_type_header=f"image/{'jpeg' if extension == 'jpg' else extension}",
        uploaded_by=user,
    )
    attachment.file.save(uploaded.name, uploaded, save=False)
    attachment.save()
    return attachment


# --- links from other records ---------------------------------------------------------------------------------


def link_article(*, user, article: Article, record) -> ArticleLink:
    """Link `article` from `record` (any section's): the user reads the article and may edit the record."""
    target = registry.for_model(record)
    if target is None or target.name == "knowledge":
        raise ValidationError("Articles are linked from records of the other sections.")
    if not access.can(user, "read", article) or not access.can(user, "edit", record):
        raise PermissionDenied("You may not link this article here.")
    content_type = ContentType.objects.get_for_model(record)
    link, _ = ArticleLink.objects.get_or_create(
        article=article, content_type=content_type, object_id=record.pk, defaults={"added_by": user}
    )
    return link


def unlink_article(*, user, link: ArticleLink, record) -> None:
    if not access.can(user, "edit", record):
        raise PermissionDenied("You may not change this record's articles.")
    link.delete()


# --- groups ---------------------------------------------------------------------------------------------------


def create_group(*, user, name: str, parent: ArticleGroup | None = None) -> ArticleGroup:
    """A group of the tree; whoever may write articles may group them."""
    if not access.can(user, "create", section()):
        raise PermissionDenied("You may not add groups.")
    name = " ".join((name or "").split())[:150]
    if not name:
        raise ValidationError("Give the group a name.")
    if ArticleGroup.objects.filter(parent=parent, name__iexact=name).exists():
        raise ValidationError(f"There is already a group “{name}” there.")
    position = (ArticleGroup.objects.filter(parent=parent).aggregate(last=Max("position"))["last"] or 0) + 1
    return ArticleGroup.objects.create(name=name, parent=parent, position=position)
