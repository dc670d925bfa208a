"""A readable difference between two versions of a role.

Duties are matched first by their exact text, then, of those left over, the most similar
pairs (difflib's ratio of at least REWORDED_MIN) count as one duty reworded; the rest are
added or removed. A matched duty whose category changed has moved; its time share,
frequency or essential flag changed is said so. Every other field is compared field by
field: a value changed (old -> new), a list item added or removed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import pandas as pd

from ..model.problems import CatalogueError
from ..model.yamlfile import parse_yaml_text

REWORDED_MIN = 0.5
ITEM_LISTS = ("qualities", "requirements", "rights", "accountabilities", "interactions", "kpis")
DIFF_COLUMNS = ["section", "change", "old", "new"]


@dataclass(frozen=True)
class Change:
    section: str   # "responsibilities", "title", "authority.impact_of_decisions", ...
    change: str    # added, removed, reworded, moved, time share, changed
    old: str = ""
    new: str = ""

    def __str__(self) -> str:
        if self.change == "added":
            return f"{self.section}: added {self.new}"
        if self.change == "removed":
            return f"{self.section}: removed {self.old}"
        return f"{self.section}: {self.change}: {self.old} -> {self.new}"


def _data(document: str) -> dict:
    try:
        data = parse_yaml_text(document, "role").data
    except CatalogueError:
        return {}
    return data if isinstance(data, dict) else {}


def value_text(value) -> str:
    """A value of a role document as one line of plain text."""
    if value is None:
        return "(empty)"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {value_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    return str(value)


def role_diff(old_document: str, new_document: str) -> list[Change]:
    """What changed from one version of a role to another, in the order of the role file."""
    old, new = _data(old_document), _data(new_document)
    if not old or not new:
        return _line_diff(old_document, new_document)
    changes: list[Change] = []
    for key in list(dict.fromkeys([*old, *new])):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if key == "responsibilities":
            changes += duty_changes(a if isinstance(a, list) else [],
                                    b if isinstance(b, list) else [])
        elif key in ITEM_LISTS and isinstance(a or [], list) and isinstance(b or [], list):
            changes += _list_changes(key, a or [], b or [])
        elif isinstance(a, dict) and isinstance(b, dict):
            for sub in dict.fromkeys([*a, *b]):
                if a.get(sub) != b.get(sub):
                    changes += _value_changes(f"{key}.{sub}", a.get(sub), b.get(sub))
        else:
            changes += _value_changes(key, a, b)
    return changes


def _value_changes(section: str, a, b) -> list[Change]:
    if isinstance(a or [], list) and isinstance(b or [], list) and (a or b):
        return _list_changes(section, a or [], b or [])
    return [Change(section, "changed", value_text(a), value_text(b))]


def _list_changes(section: str, a: list, b: list) -> list[Change]:
    left = [value_text(x) for x in a]
    right = [value_text(x) for x in b]
    changes = []
    pending = list(right)
    for item in left:
        if item in pending:
            pending.remove(item)
        else:
            changes.append(Change(section, "removed", item, ""))
    remaining = list(left)
    for item in right:
        if item in remaining:
            remaining.remove(item)
        else:
            changes.append(Change(section, "added", "", item))
    return changes


def duty_changes(old: list, new: list) -> list[Change]:
    """Duties added, removed, reworded, moved to another category, time share changed."""
    def text_of(duty) -> str:
        return str(duty.get("text", "")) if isinstance(duty, dict) else value_text(duty)

    pairs: list[tuple[dict, dict]] = []
    left = list(range(len(old)))
    right = list(range(len(new)))
    for i in list(left):
        match = next((j for j in right if text_of(new[j]) == text_of(old[i])), None)
        if match is not None:
            pairs.append((old[i], new[match]))
            left.remove(i)
            right.remove(match)
    scored = sorted(((difflib.SequenceMatcher(None, text_of(old[i]).casefold(),
                                              text_of(new[j]).casefold()).ratio(), i, j)
                     for i in left for j in right), reverse=True)
    reworded = []
    for ratio, i, j in scored:
        if ratio < REWORDED_MIN:
            break
        if i in left and j in right:
            reworded.append((old[i], new[j]))
            left.remove(i)
            right.remove(j)
    changes = [Change("responsibilities", "removed", text_of(old[i]), "") for i in left]
    changes += [Change("responsibilities", "added", "", text_of(new[j])) for j in right]
    for a, b in reworded:
        changes.append(Change("responsibilities", "reworded", text_of(a), text_of(b)))
    for a, b in pairs + reworded:
        if not (isinstance(a, dict) and isinstance(b, dict)):
            continue
        name = text_of(b)
        if a.get("category") != b.get("category"):
            changes.append(Change(f"responsibilities: {name}", "moved",
                                  value_text(a.get("category")), value_text(b.get("category"))))
        if a.get("time_share") != b.get("time_share"):
            changes.append(Change(f"responsibilities: {name}", "time share",
                                  f"{value_text(a.get('time_share'))} %",
                                  f"{value_text(b.get('time_share'))} %"))
        for field in ("frequency", "essential", "source"):
            if a.get(field) != b.get(field):
                changes.append(Change(f"responsibilities: {name}", f"{field} changed",
                                      value_text(a.get(field)), value_text(b.get(field))))
    return changes


def _line_diff(old_document: str, new_document: str) -> list[Change]:
    """For a version that is not a readable role document: the lines added and removed."""
    changes = []
    for line in difflib.unified_diff(old_document.splitlines(), new_document.splitlines(),
                                     lineterm="", n=0):
        if line.startswith(("---", "+++", "@@")):
            continue
        if line.startswith("-"):
            changes.append(Change("document", "removed", line[1:], ""))
        elif line.startswith("+"):
            changes.append(Change("document", "added", "", line[1:]))
    return changes


def diff_frame(changes: list[Change]) -> pd.DataFrame:
    """One row per change: section, change, old, new."""
    return pd.DataFrame([(c.section, c.change, c.old, c.new) for c in changes],
                        columns=DIFF_COLUMNS, dtype="str")
