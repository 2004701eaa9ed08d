"""The projects app's own pages, merged into the "projects" namespace (under /projects/)."""

from django.urls import path

from .views import analytics, creation, schedule, tabs, work

urlpatterns = [
    path("gantt/", schedule.gantt_list, name="gantt_list"),
    path("gantt/data/", schedule.gantt_list_data, name="gantt_list_data"),
    path("timesheet/", work.timesheet, name="timesheet"),
    path("analytics/", analytics.analytics, name="analytics"),
    path("from-opportunity/<int:opportunity>/", creation.from_opportunity, name="from_opportunity"),
    path("from-order/<int:order>/", creation.from_order, name="from_order"),
    path("<int:pk>/copy/", creation.copy, name="copy"),
    path("<int:pk>/gantt/", schedule.gantt, name="gantt"),
    path("<int:pk>/gantt/data/", schedule.gantt_data_view, name="gantt_data"),
    path("<int:pk>/structure/add/", tabs.add_task, name="task_add"),
    path("<int:pk>/time/", tabs.log_project_time, name="project_time"),
    path("<int:pk>/cash-flows/", tabs.add_cash_flow, name="cash_flow_add"),
    path("cash-flows/<int:pk>/delete/", tabs.delete_cash_flow, name="cash_flow_delete"),
    path("tasks/<int:pk>/move/", tabs.move_task, name="task_move"),
    path("tasks/<int:pk>/parent/", tabs.reparent_task, name="task_parent"),
    path("tasks/<int:pk>/time/", tabs.log_task_time, name="task_time"),
    path("tasks/<int:pk>/reschedule/", schedule.reschedule, name="task_reschedule"),
    path("tasks/<int:pk>/shift/", schedule.shift, name="task_shift"),
    path("time/<int:pk>/delete/", tabs.delete_time_entry, name="time_delete"),
]
