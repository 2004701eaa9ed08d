"""The projects app's own pages: the record tabs (structure, resources, financial indicators, a task's time),
the tree's htmx actions, the Gantt chart, the weekly timesheet, the analytics and the creation pages."""
