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


#: how alike two paragraphs must be to be shown as one changed paragraph rather than one removed and one added
ALIKE = 0.5


def _changed_lines(old_lines: list[str], new_lines: list[str]) -> list[Line]:
    """A changed stretch: paragraphs side by side that are alike show their changed words, the rest are removed
    or added."""
    lines: list[Line] = []
    for index in range(max(len(old_lines), len(new_lines))):
        old = old_lines[index] if index < len(old_lines) else None
        new = new_lines[index] if index < len(new_lines) else None
        if old is not None and new is not None and SequenceMatcher(a=old, b=new).ratio() >= ALIKE:
            lines.append(Line("changed", _words_diff(old, new)))
            continue
        if old is not None:
            lines.append(Line("removed", escape(old)))
        if new is not None:
            lines.append(Line("added", escape(new)))
    return lines


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
        else:
            comparison.lines += _changed_lines(old_lines[i1:i2], new_lines[j1:j2])
    return comparison
