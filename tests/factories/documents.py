"""Factories of the Documents section. Types and statuses come from the seed migration."""

import factory

from documents.models import Document, DocumentFile, DocumentStatus, DocumentType

from .customers import AccountFactory, RecordFactory


class DocumentFactory(RecordFactory):
    class Meta:
        model = Document

    number = factory.Sequence(lambda n: f"T-DOC-{n:05d}")
    subject = factory.Sequence(lambda n: f"Letter of intent {n}")
    type = factory.LazyFunction(lambda: DocumentType.objects.get(name="Letter"))
    status = factory.LazyFunction(lambda: DocumentStatus.objects.get(code=DocumentStatus.Code.DRAFT))
    account = factory.SubFactory(AccountFactory, owner=factory.SelfAttribute("..owner"))


class DocumentFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentFile

    document = factory.SubFactory(DocumentFactory)
    version = factory.Sequence(lambda n: n + 1)
    name = "scan.pdf"
    file = factory.django.FileField(filename="scan.pdf", data=b"%PDF-1.4 test")
    size = 13
