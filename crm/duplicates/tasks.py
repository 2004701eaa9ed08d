"""Celery tasks of the duplicates app: thin, safe to run twice (a finished search is left as it is)."""

from celery import shared_task

from . import services
from .models import DuplicateSearch


@shared_task(name="crm.duplicates.tasks.find_duplicates_async", ignore_result=True)
def find_duplicates_async(search_id: int) -> None:
    search = DuplicateSearch.objects.filter(pk=search_id).first()
    if search is not None:
        services.run_search(search)


@shared_task(name="crm.duplicates.tasks.search_all_sections", ignore_result=True)
def search_all_sections() -> int:
    """Run by Celery beat (CELERY_BEAT_SCHEDULE): a search of every section that has active rules."""
    from crm.sections import registry

    from .models import DuplicateRule

    sections = {section.name: section for section in registry.all_sections()}

    names = set(DuplicateRule.objects.filter(is_active=True).values_list("section", flat=True))
    started = 0
    for name in sorted(names):
        if name not in sections:
            continue  # rules of a section that is gone
        section = sections[name]
        services.start_search(section=section, user=None)
        started += 1
    return started
