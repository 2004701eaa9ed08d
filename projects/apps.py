from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects"

    def ready(self) -> None:
        from . import record_tabs  # noqa: F401 - the Structure, Resources, Financial and Time tabs
