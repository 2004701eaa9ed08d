"""A summary task's dates are its subtree's span (as the Gantt draws it, and as the schedule keeps them since this
change): a plan saved before, whose summaries kept dates of their own, gets them from their subtasks once."""

from collections import defaultdict

from django.db import migrations


def span_summaries(apps, schema_editor):
    ProjectTask = apps.get_model("projects", "ProjectTask")
    rows = ProjectTask.objects.values_list("pk", "parent_id", "start_date", "due_date")
    dates, children = {}, defaultdict(list)
    for pk, parent_id, start, due in rows.iterator(chunk_size=5000):
        dates[pk] = (start, due)
        if parent_id is not None:
            children[parent_id].append(pk)
    spans: dict[int, tuple] = {}
    opened: set[int] = set()  # the model refuses a cycle of parents; one that came in otherwise cannot loop here

    def span(root: int) -> tuple:
        # iterative post-order: a tree may be deep
        stack = [(root, False)]
        while stack:
            pk, done = stack.pop()
            if pk in spans:
                continue
            if not done:
                opened.add(pk)
            kids = [kid for kid in children.get(pk, ()) if kid in dates and (kid in spans or kid not in opened)]
            if not kids:
                spans[pk] = dates[pk]
            elif done:
                known = [spans[kid] for kid in kids if kid in spans] or [dates[pk]]
                spans[pk] = (min(first for first, _ in known), max(last for _, last in known))
            else:
                stack.append((pk, True))
                stack.extend((kid, False) for kid in kids if kid not in spans)
        return spans[root]

    changed = []
    for pk in children:
        if pk in dates and span(pk) != dates[pk]:
            task = ProjectTask(pk=pk)
            task.start_date, task.due_date = spans[pk]
            changed.append(task)
    ProjectTask.objects.bulk_update(changed, ["start_date", "due_date"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_search_indexes")]

    operations = [migrations.RunPython(span_summaries, migrations.RunPython.noop)]
