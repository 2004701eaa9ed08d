"""A readable comparison of two versions of an article: paragraphs kept, removed and added, and within a changed
paragraph the words removed and added."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import ArticleVersion


@dataclass
class Line:
    #: "same", "removed", "added" or "changed"
    kind: str
    html: SafeString


@dataclass
class Comparison:
    older: ArticleVersion
    newer: ArticleVersion
    fields: list[tuple[str, str, str]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.fields) or any(line.kind != "same" for line in self.lines)


def _words_diff(old: str, new: str) -> SafeString:
    old_words, new_words = old.split(), new.split()
    parts = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=old_words, b=new_words, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(escape(" ".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(' '.join(old_words[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(' '.join(new_words[j1:j2]))}</ins>")
    return mark_safe(" ".join(parts))  # noqa: S308 - every word escaped above


def compare(older: ArticleVersion, newer: ArticleVersion) -> Comparison:
    comparison = Comparison(older, newer)
    for name, label in (("name", "Name"), ("summary", "Summary")):
        before, after = getattr(older, name), getattr(newer, name)
        if before != after:
            comparison.fields.append((label, before, after))
    old_lines, new_lines = older.body_text.splitlines(), newer.body_text.splitlines()
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=old_lines, b=new_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            comparison.lines += [Line("same", escape(line)) for line in old_lines[i1:i2]]
        elif tag == "replace" and i2 - i1 == j2 - j1:
            pairs = zip(old_lines[i1:i2], new_lines[j1:j2], strict=True)
            comparison.lines += [Line("changed", _words_diff(old, new)) for old, new in pairs]
        else:
            comparison.lines += [Line("removed", escape(line)) for line in old_lines[i1:i2]]
            comparison.lines += [Line("added", escape(line)) for line in new_lines[j1:j2]]
    return comparison
