"""`manage.py find_duplicates SECTION [--json]`: the bulk search from the shell, printing the groups."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from crm.duplicates import services
from crm.duplicates.models import DuplicateSearch


class Command(BaseCommand):
    help = "Search a section for duplicates (the same search as the review page's) and print the groups."

    def add_arguments(self, parser):
        parser.add_argument("section", help="the section's name, e.g. contacts")
        parser.add_argument("--json", action="store_true", help='print [{"ids": [...], "score": 97.0, "rule": ...}]')

    def handle(self, *args, section: str, json: bool = False, **options):
        try:
            found = services.section_of(section)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))
        search = services.run_search(DuplicateSearch.objects.create(section=found.name))
        groups = list(search.groups.order_by("-score", "pk"))
        if json:
            payload = [{"ids": g.record_ids, "score": g.score, "rule": g.rule_name} for g in groups]
            self.stdout.write(_dumps(payload))
            return
        records = found.model._default_manager.in_bulk({pk for g in groups for pk in g.record_ids})
        names = {pk: str(record) for pk, record in records.items()}
        for group in groups:
            members = ", ".join(f"#{pk} {names.get(pk, '')}".strip() for pk in group.record_ids)
            self.stdout.write(f"{group.score:5.1f}%  {group.rule_name}: {members}")
        self.stdout.write(f"{len(groups)} group(s) in {found.title.lower()}.")


def _dumps(payload) -> str:
    return json.dumps(payload)
