"""The template engine of print forms: Django's template language without anything that reaches outside the
context given (no {% load %}, {% include %}, {% extends %}, {% debug %}, {% url %}), autoescaped."""

from __future__ import annotations

from functools import cache

from django.template import Context, Engine, Library, TemplateSyntaxError, defaultfilters, defaulttags

from crm.core.templatetags import formats as format_filters

#: tags that read files, other templates or libraries, the URL map or the whole context
REFUSED_TAGS = frozenset({"load", "debug", "url", "csrf_token", "lorem", "templatetag"})
REFUSED_FILTERS = frozenset({"pprint"})

__all__ = ["TemplateSyntaxError", "compile_template", "render"]


def _safe_library() -> Library:
    library = Library()
    library.tags = {name: tag for name, tag in defaulttags.register.tags.items() if name not in REFUSED_TAGS}
    library.filters = {
        name: function for name, function in defaultfilters.register.filters.items() if name not in REFUSED_FILTERS
    }
    # money, number, short_date, short_datetime: a print form shows amounts and dates as every page does
    library.filters.update(format_filters.register.filters)
    return library


@cache
def engine() -> Engine:
    # no builtins of Engine's own (they bring include/extends/load), no libraries, no template directories
    sandboxed = Engine(
        dirs=[],
        app_dirs=False,
        libraries={},
        builtins=[],
        autoescape=True,
        debug=False,
        loaders=[("django.template.loaders.locmem.Loader", {})],
        string_if_invalid="",
    )
    sandboxed.template_builtins = [_safe_library()]
    return sandboxed


def compile_template(source: str):
    """Compile `source`; raises TemplateSyntaxError with a message for the admin."""
    return engine().from_string(source)


def render(source: str, context: dict) -> str:
    return compile_template(source).render(Context(context, autoescape=True))
