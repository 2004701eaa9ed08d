"""The permission-checked fetches every projects view uses, and how a refusal becomes a message."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from crm import access
from crm.sections import registry


def get_project(user, pk: int, action: str = "read"):
    return access.get_object_or_404(user, registry.get("projects").get_queryset(), action, pk=pk)


def get_task(user, pk: int, action: str = "read"):
    return access.get_object_or_404(user, registry.get("project_tasks").get_queryset(), action, pk=pk)


def reason(error: Exception) -> str:
    """A refusal as one sentence for the user."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "Not allowed."
