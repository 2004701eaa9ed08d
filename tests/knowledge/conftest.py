"""Fixtures of the knowledge base tests: a helper that saves an article through the section's services, as the
form does."""

import pytest

from crm.sections import registry
from crm.sections.services import create_record, update_record
from knowledge.models import ArticleType


@pytest.fixture
def faq(db):
    return ArticleType.objects.get_or_create(name="FAQ")[0]


@pytest.fixture
def write(faq):
    """`write(user, name=..., body=...)` creates an article; `write(user, article, body=...)` saves a new text."""

    def save(user, article=None, **data):
        section = registry.get("knowledge")
        if article is None:
            values = {"name": "Handling price objections", "type": faq, "summary": "", "body": "<p>Listen.</p>"}
            return create_record(section=section, user=user, data={**values, **data})
        return update_record(section=section, user=user, obj=article, data=data, expected_version=article.version)

    return save
