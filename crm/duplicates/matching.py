"""Scoring two records against the rules, and grouping a whole section's records: records are put in blocks by
the keys they share, compared only within a block, and the matching pairs are joined into groups."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import combinations, permutations, product

from django.conf import settings
from rapidfuzz import fuzz

from .attributes import CompiledRule, Part, Values
from .normalisation import Kind, blocking_keys


def similarity(kind: str, left: str, right: str) -> float:
    """0-100. Names are compared with their words in the order that fits best (typos can change the order)."""
    if left == right:
        return 100.0
    if kind in (Kind.NAME, Kind.COMPANY):
        words = right.split()
        if 1 < len(words) <= 3:
            return max(fuzz.ratio(left, " ".join(order)) for order in permutations(words))
        return fuzz.token_sort_ratio(left, right)
    if kind == Kind.DATE:
        return date_similarity(left, right)
    return fuzz.ratio(left, right)


def date_similarity(left: str, right: str) -> float:
    """0-100 for two YYYYMMDD dates, as people mistype them: day and month swapped (95), one digit off or two
    neighbouring digits transposed (90); else the share of digits in place."""
    if len(left) != 8 or len(right) != 8:
        return fuzz.ratio(left, right)
    if left[:4] == right[:4] and left[4:6] == right[6:8] and left[6:8] == right[4:6]:
        return 95.0
    differing = [index for index in range(8) if left[index] != right[index]]
    if len(differing) == 1:
        return 90.0
    if len(differing) == 2 and differing[1] == differing[0] + 1 and left[differing[0]] == right[differing[1]]:
        if left[differing[1]] == right[differing[0]]:
            return 90.0
    return 100.0 * (8 - len(differing)) / 8


def part_score(part: Part, left: frozenset[str], right: frozenset[str]) -> float:
    """How well two records agree on one attribute: 100 for a shared value, else the best similarity of their
    values if it reaches the threshold; 0 when it does not match (or a value is missing)."""
    if not left or not right:
        return 0.0
    if left & right:
        return 100.0
    if part.is_exact:
        return 0.0
    best = max(similarity(part.kind, a, b) for a in left for b in right)
    return best if best >= part.threshold else 0.0


def rule_score(rule: CompiledRule, left: Values, right: Values) -> float:
    """The weakest of the rule's attributes (all must match), or 0."""
    score = 100.0
    for part in rule.parts:
        score = min(score, part_score(part, left.get(part.slot, frozenset()), right.get(part.slot, frozenset())))
        if not score:
            return 0.0
    return score


def best_rule(rules: Iterable[CompiledRule], left: Values, right: Values) -> tuple[float, CompiledRule | None]:
    best: tuple[float, CompiledRule | None] = (0.0, None)
    for rule in rules:
        score = rule_score(rule, left, right)
        if score > best[0]:
            best = (score, rule)
    return best


def rule_blocks(rule: CompiledRule, values: Values) -> list[str]:
    """The blocks a record falls in for a rule: one per combination of its exact values and fuzzy blocking keys."""
    choices = []
    for part in rule.parts:
        normalised = values.get(part.slot, frozenset())
        keys = normalised if part.is_exact else {k for v in normalised for k in blocking_keys(part.kind, v)}
        if not keys:
            return []
        choices.append(sorted(keys))
    return ["\x1f".join(combination) for combination in product(*choices)]


# --- grouping ------------------------------------------------------------------------------------------------


@dataclass
class Group:
    record_ids: list[int]
    score: float
    rules: list[CompiledRule] = field(default_factory=list)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        parent = self.parent.setdefault(item, item)
        while parent != self.parent[parent]:
            self.parent[parent] = self.parent[self.parent[parent]]
            parent = self.parent[parent]
        self.parent[item] = parent
        return parent

    def union(self, left: int, right: int) -> None:
        self.parent[self.find(left)] = self.find(right)


def pair(left: int, right: int) -> tuple[int, int]:
    return (left, right) if left < right else (right, left)


def find_groups(
    rules: list[CompiledRule],
    values: dict[int, Values],
    *,
    excluded: set[tuple[int, int]] = frozenset(),
    progress: Callable[[int], None] | None = None,
) -> list[Group]:
    """Groups of records matching each other by any rule, leaving apart the `excluded` pairs.

    Exact rules join everyone in a block with one edge per record; fuzzy rules compare the pairs of a block once.
    Blocks larger than DUPLICATES_MAX_BLOCK hold placeholder values ("n/a", a switchboard number) and are
    skipped: they would make the work quadratic and the group meaningless.
    """
    max_block = getattr(settings, "DUPLICATES_MAX_BLOCK", 500)
    partners: dict[int, set[int]] = defaultdict(set)
    for left, right in excluded:
        partners[left].add(right)
        partners[right].add(left)
    edges: dict[tuple[int, int], tuple[float, CompiledRule]] = {}

    def add_edge(left: int, right: int, score: float, rule: CompiledRule) -> None:
        key = pair(left, right)
        if key in excluded:
            return
        if key not in edges or edges[key][0] < score:
            edges[key] = (score, rule)

    for rule in rules:
        blocks: dict[str, list[int]] = defaultdict(list)
        for pk, record_values in values.items():
            for block in rule_blocks(rule, record_values):
                blocks[block].append(pk)
        compared: set[tuple[int, int]] = set()
        for members in blocks.values():
            if len(members) < 2 or len(members) > max_block:
                continue
            if not rule.is_fuzzy:
                member_set = set(members)
                if any(partners[m] & member_set for m in members):
                    for left, right in combinations(members, 2):
                        add_edge(left, right, 100.0, rule)
                else:
                    for other in members[1:]:
                        add_edge(members[0], other, 100.0, rule)
                continue
            for left, right in combinations(members, 2):
                key = pair(left, right)
                if key in compared or key in excluded:
                    continue
                compared.add(key)
                score = rule_score(rule, values[left], values[right])
                if score:
                    add_edge(left, right, score, rule)
        if progress:
            progress(1)

    union = _UnionFind()
    for left, right in edges:
        union.union(left, right)
    members_of: dict[int, list[int]] = defaultdict(list)
    for pk in {pk for edge in edges for pk in edge}:
        members_of[union.find(pk)].append(pk)
    edges_of: dict[int, list[tuple[float, CompiledRule]]] = defaultdict(list)
    for (left, _right), found in edges.items():
        edges_of[union.find(left)].append(found)
    groups = []
    for root, members in members_of.items():
        found = edges_of[root]
        rules_found = list({rule.id: rule for _score, rule in sorted(found, key=lambda f: -f[0])}.values())
        groups.append(Group(sorted(members), min(score for score, _rule in found), rules_found))
    groups.sort(key=lambda g: (-g.score, g.record_ids[0]))
    return groups
