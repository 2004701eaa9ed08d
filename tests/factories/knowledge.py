"""Factories of the Knowledge base section. Article types come from the seed migration."""

import factory

from knowledge.models import Article, ArticleGroup, ArticleType

from .customers import RecordFactory


class ArticleGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleGroup

    name = factory.Sequence(lambda n: f"Group {n}")


class ArticleFactory(RecordFactory):
    class Meta:
        model = Article

    name = factory.Sequence(lambda n: f"How to answer objection {n}")
    type = factory.LazyFunction(lambda: ArticleType.objects.get_or_create(name="FAQ")[0])
    summary = "What to say when the customer hesitates."
    body = "<h1>When</h1><p>The customer says the price is too high.</p><ul><li>Listen</li><li>Ask why</li></ul>"
    body_text = "When\nThe customer says the price is too high.\nListen\nAsk why"

    @factory.post_generation
    def search_vector(obj, create, extracted, **kwargs):
        """As the services do on every save: the article is found by the full-text search (PostgreSQL)."""
        if create:
            from knowledge.search import refresh_vectors

            refresh_vectors([obj.pk])
