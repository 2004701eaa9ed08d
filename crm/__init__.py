"""The CRM project package: settings, urls, the Celery app and the platform apps."""

from .celery import app as celery_app

__all__ = ("celery_app",)
