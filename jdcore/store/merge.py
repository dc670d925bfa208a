"""Re-applying an edit on top of a version saved meanwhile: a three-way merge of role
documents. `base` is the version the editor started from, `theirs` the newer stored
version, `mine` the edit.

Field by field (and within authority, workload, source and career, sub-field by
sub-field), a field only one side changed takes that side's value. The lists (duties,
qualities, requirements, rights, interactions, KPIs, dotted lines, career steps) are merged
item by item: an item is matched across the three by its id where it has one, else by its
text (a duty's text, a quality's or KPI's name, a requirement's text, a right's area, an
interaction's party and subject), and a duty or item reworded on one side is matched by
similarity (as jdcore.store.diff matches duties). So an item I added and one they added
both survive, an item one side removed goes, and an item both changed is merged field by
field.

Where both sides changed the same field or item differently (or one removed what the other
changed, or both added the same item differently) the merge does not choose: each such
place is a `Conflict`, and the document is made only once the user has chosen a side for
every one of them (`Merge.document(choices)`). Nothing is silently dropped.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from ..formats.writer import dump_yaml
from .diff import value_text
from .editing import role_data

MINE, THEIRS = "mine", "theirs"
REWORDED_MIN = 0.5
ITEM_KEYS: dict[str, tuple[str, ...]] = {
    "responsibilities": ("text",), "qualities": ("name",), "requirements": ("kind", "text"),
    "rights": ("area",), "accountabilities": ("text",), "interactions": ("with", "subject"),
    "kpis": ("name",),
}
TEXT_FIELDS = {"responsibilities": "text", "qualities": "name", "requirements": "text",
               "accountabilities": "text", "interactions": "subject", "kpis": "name"}


class _Absent:
    """A field or item that is not there (removed, or never added)."""

    def __repr__(self) -> str:
        return "(absent)"


ABSENT = _Absent()


@dataclass(frozen=True)
class Conflict:
    """A place both sides changed differently: what it is, and each side's value (ABSENT:
    that side removed it)."""

    section: str   # "title", "authority.impact_of_decisions", "responsibilities: <duty>"
    what: str      # "both changed", "you removed it, they changed it", ...
    base: Any
    mine: Any
    theirs: Any

    @property
    def mine_text(self) -> str:
        return shown(self.mine)

    @property
    def theirs_text(self) -> str:
        return shown(self.theirs)

    @property
    def base_text(self) -> str:
        return shown(self.base)


def shown(value) -> str:
    """A value as one line of plain text ("(removed)" for a side that removed it)."""
    return "(removed)" if value is ABSENT else value_text(value)


@dataclass(frozen=True)
class _Slot:
    index: int


@dataclass(frozen=True)
class Merge:
    """The merged role, with a slot where each conflict is; `document` fills them."""

    merged: Any
    conflicts: tuple[Conflict, ...]
    unreadable: str | None = None  # the edit as it was, when a document cannot be read

    def document(self, choices: dict[int, str] | None = None) -> str:
        """The merged document, each conflict (by its position) taking the side chosen
        for it (MINE or THEIRS). Raises ValueError when a conflict has no choice."""
        if self.unreadable is not None:
            return self.unreadable
        choices = choices or {}
        missing = [i for i in range(len(self.conflicts)) if choices.get(i) not in (MINE, THEIRS)]
        if missing:
            raise ValueError(f"choose yours or theirs for {len(missing)} conflict(s) first: "
                             + "; ".join(self.conflicts[i].section for i in missing))
        return dump_yaml(_fill(self.merged, self.conflicts, choices))


def _fill(value, conflicts, choices):
    if isinstance(value, _Slot):
        conflict = conflicts[value.index]
        chosen = conflict.mine if choices[value.index] == MINE else conflict.theirs
        return chosen
    if isinstance(value, dict):
        filled = {k: _fill(v, conflicts, choices) for k, v in value.items()}
        return {k: v for k, v in filled.items() if v is not ABSENT}
    if isinstance(value, list):
        filled = [_fill(v, conflicts, choices) for v in value]
        return [v for v in filled if v is not ABSENT]
    return value


class _Merger:
    def __init__(self):
        self.conflicts: list[Conflict] = []

    def conflict(self, section: str, what: str, base, mine, theirs) -> _Slot:
        self.conflicts.append(Conflict(section, what, base, mine, theirs))
        return _Slot(len(self.conflicts) - 1)

    def value(self, section: str, base, mine, theirs):
        """One field: the side that changed it; a conflict when both did, differently."""
        if mine == theirs or mine == base:
            return theirs
        if theirs == base:
            return mine
        if isinstance(base, dict) and isinstance(mine, dict) and isinstance(theirs, dict):
            return self.mapping(section, base, mine, theirs)
        lists = [v for v in (base, mine, theirs) if v is not ABSENT and v is not None]
        if lists and all(isinstance(v, list) for v in lists):
            name = section.rsplit(".", 1)[-1]
            return self.items(section, name, _list(base), _list(mine), _list(theirs))
        what = ("you removed it, they changed it" if mine is ABSENT else
                "they removed it, you changed it" if theirs is ABSENT else "both changed")
        return self.conflict(section, what, base, mine, theirs)

    def mapping(self, prefix: str, base: dict, mine: dict, theirs: dict) -> dict:
        merged = {}
        separator = ", " if ": " in prefix else "."  # "responsibilities: <duty>, time_share"
        for key in dict.fromkeys([*theirs, *mine, *base]):
            section = f"{prefix}{separator}{key}" if prefix else key
            merged[key] = self.value(section, base.get(key, ABSENT), mine.get(key, ABSENT),
                                     theirs.get(key, ABSENT))
        return merged

    def items(self, section: str, name: str, base: list, mine: list, theirs: list) -> list:
        """A list merged item by item (in their order, my new items after the item they
        follow in mine)."""
        to_mine = _matches(name, base, mine)
        to_theirs = _matches(name, base, theirs)
        mine_base = {k: i for i, k in to_mine.items()}
        theirs_base = {j: i for i, j in to_theirs.items()}
        merged: list = []
        placed: dict[int, int] = {}  # mine index -> position in merged
        added_theirs = [j for j in range(len(theirs)) if j not in theirs_base]
        same_added = _matches(name, [theirs[j] for j in added_theirs],
                              [mine[k] for k in range(len(mine)) if k not in mine_base],
                              exact_only=True)
        mine_added = [k for k in range(len(mine)) if k not in mine_base]
        added_pairs = {added_theirs[a]: mine_added[b] for a, b in same_added.items()}
        for j, item in enumerate(theirs):
            if j in theirs_base:
                i = theirs_base[j]
                label = f"{section}: {_label(name, base[i])}"
                if i in to_mine:
                    k = to_mine[i]
                    placed[k] = len(merged)
                    merged.append(self.value(label, base[i], mine[k], item))
                elif item == base[i]:
                    continue  # I removed it; they left it as it was
                else:
                    merged.append(self.conflict(label, "you removed it, they changed it",
                                                base[i], ABSENT, item))
            elif j in added_pairs:
                k = added_pairs[j]
                placed[k] = len(merged)
                if mine[k] == item:
                    merged.append(item)
                else:
                    merged.append(self.conflict(f"{section}: {_label(name, item)}",
                                                "both added it differently", ABSENT, mine[k],
                                                item))
            else:
                merged.append(item)
        for i, item in enumerate(base):
            if i in to_theirs or i not in to_mine:
                continue  # they kept it (merged above), or both removed it
            k = to_mine[i]
            if mine[k] == item:
                continue  # they removed it; I left it as it was
            placed[k] = len(merged)
            merged.append(self.conflict(f"{section}: {_label(name, item)}",
                                        "they removed it, you changed it", item, mine[k],
                                        ABSENT))
        for k, item in enumerate(mine):
            if k in placed or k in mine_base:
                continue
            before = [placed[p] for p in range(k) if p in placed]
            position = (max(before) + 1) if before else len(merged) if k else 0
            for key in placed:
                if placed[key] >= position:
                    placed[key] += 1
            merged.insert(position, item)
            placed[k] = position
        return merged


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _identity(name: str, item) -> tuple | None:
    if isinstance(item, dict):
        if item.get("id") is not None:
            return ("id", str(item["id"]))
        fields = ITEM_KEYS.get(name)
        if fields:
            return tuple(str(item.get(f, "")).strip().casefold() for f in fields)
        return tuple(sorted((str(k), shown(v)) for k, v in item.items()))
    return ("value", shown(item))


def _similar_text(name: str, item) -> str | None:
    field = TEXT_FIELDS.get(name)
    if field and isinstance(item, dict) and item.get(field) is not None:
        return str(item[field]).casefold()
    return None


def _matches(name: str, base: list, other: list, exact_only: bool = False) -> dict[int, int]:
    """base index -> the index of the same item in `other`: by id or text, then (for the
    items left) the most similar text, as a reworded item."""
    found: dict[int, int] = {}
    free = list(range(len(other)))
    for i, item in enumerate(base):
        key = _identity(name, item)
        match = next((j for j in free if _identity(name, other[j]) == key), None)
        if match is not None:
            found[i] = match
            free.remove(match)
    if exact_only:
        return found
    left = [i for i in range(len(base)) if i not in found]
    scored = sorted(((difflib.SequenceMatcher(None, a, b).ratio(), i, j)
                     for i in left for j in free
                     if (a := _similar_text(name, base[i])) is not None
                     and (b := _similar_text(name, other[j])) is not None), reverse=True)
    for ratio, i, j in scored:
        if ratio < REWORDED_MIN:
            break
        if i not in found and j in free:
            found[i] = j
            free.remove(j)
    return found


def _label(name: str, item) -> str:
    text = _similar_text(name, item)
    if text is not None and isinstance(item, dict):
        return str(item.get(TEXT_FIELDS[name]))
    return shown(item)


def reapply(base: str, mine: str, theirs: str) -> Merge:
    """Re-apply the changes of `mine` (made on `base`) on top of `theirs` (saved meanwhile),
    three-way: see the module's docstring."""
    b, m, t = role_data(base), role_data(mine), role_data(theirs)
    if not m or not b or not t:
        return Merge(None, (), unreadable=mine)
    merger = _Merger()
    merged = merger.mapping("", b, m, t)
    return Merge(merged, tuple(merger.conflicts))
