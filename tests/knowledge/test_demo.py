"""The demo knowledge base: some thirty articles in a tree of groups, with versions, answers, views and links
to the demo deals and products."""

import random

import pytest

from accounts import demo as accounts_demo
from crm.core import demo
from crm.sections import registry, tags
from crm.sections.models import TaggedRecord
from knowledge import demo as knowledge_demo
from knowledge.models import Article, ArticleGroup, ArticleLink, ArticleVersion
from opportunities import demo as opportunities_demo
from products import demo as products_demo


@pytest.mark.slow
def test_the_demo_fills_the_knowledge_base_believably(db):
    context = demo.DemoContext(users=demo.ensure_users(), rng=random.Random(2026))
    for module in (accounts_demo, products_demo, opportunities_demo):
        module.seed(context)

    knowledge_demo.seed(context)

    assert Article.objects.count() >= 30
    assert ArticleGroup.objects.filter(parent__isnull=False).exists()
    assert ArticleVersion.objects.filter(number=2).count() == len(knowledge_demo.EDITS)
    assert Article.objects.filter(helpful_count__gt=0).count() > 10
    assert ArticleLink.objects.filter(content_type__model="opportunity").exists()
    rules = Article.objects.get(name="Discount approval rules").body
    assert "<h2>" in rules
    # the approval limits are a table with a header row, kept by the sanitiser
    assert "<th>Who approves</th>" in rules and "<td>The team lead</td>" in rules
    assert TaggedRecord.objects.filter(tag__section="knowledge", tag__author__isnull=True).count() >= 30
    pricing = Article.objects.get(name="Discount approval rules")
    assert "Pricing" in [tag.name for tag in tags.tags_of(context.users["alice"], registry.get("knowledge"), pricing)]
    assert knowledge_demo.already_seeded(context)
