"""Rows that point at a record by content type and id are handled by the delete: feed posts and follows go with
it; a connected activity keeps it from being deleted."""

import pytest
from django.contrib.contenttypes.models import ContentType

from activities.models import Activity
from crm.sections import services
from feed.models import Follow, Post
from tests.factories import AccountFactory, ActivityFactory

pytestmark = pytest.mark.django_db


def test_deleting_a_record_deletes_its_feed_posts_and_followers(alice):
    account = AccountFactory(owner=alice)
    content_type = ContentType.objects.get_for_model(account)
    Post.objects.create(author=alice, text="hello", content_type=content_type, object_id=account.pk)
    Follow.objects.create(user=alice, content_type=content_type, object_id=account.pk)

    services.delete_record(user=alice, obj=account)

    assert not Post.objects.filter(content_type=content_type, object_id=account.pk).exists()
    assert not Follow.objects.filter(content_type=content_type, object_id=account.pk).exists()


def test_an_activity_connected_to_a_record_keeps_it_from_being_deleted(alice):
    account = AccountFactory(owner=alice)
    activity = ActivityFactory(owner=alice, account=None, contact=None)
    Activity.objects.filter(pk=activity.pk).update(
        connected_type=ContentType.objects.get_for_model(account), connected_id=account.pk
    )

    with pytest.raises(services.DependentRecordsError) as refused:
        services.delete_record(user=alice, obj=account)

    assert [d.label for d in refused.value.dependents] == ["activities"]
    assert refused.value.dependents[0].visible == [activity]
    assert type(account).objects.filter(pk=account.pk).exists()
