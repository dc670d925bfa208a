"""What-if restructuring: a scenario is a named, ordered list of changes applied to a copy of
a loaded catalogue's tables; the catalogue itself is never touched.

The changes (`Change`, kinds in CHANGE_KINDS):
- move: a role reports to another manager (or to no one: the top of its business area);
- headcount: a role's number of positions;
- add: a new role, a copy of an existing one (its duties, rights, scales, lines) with its own
  id and title;
- retire: a role leaves; its direct reports move to its manager, and the dotted lines,
  interactions and career steps that pointed to it are dropped (the notes say so);
- duties: duties of one role (by number) move to another, after its own.

`apply_scenario` applies them in order and checks the result with the loader's own
cross-role checks (jdcore.model.checks.reference_problems: a cycle, a dangling line, a second
root, a duplicate id). A change that would add a problem is refused: it changes nothing, and
a Problem names the change, what the check found and the fix; the later changes still apply.
`compare_scenario` then sets the catalogue before beside the one after: the reporting lines
that changed, layers, spans and their flags, the authority and workload indices, and the
findings (jdcore.analysis.findings) that appear or disappear.

Recomputing is incremental: the structure figures only where a change reaches (a move
changes the layers and chains of the moved subtree, the spans of the old and new managers and
the total reports above them: jdcore.model.metrics.structure_update), the indices only of the
roles whose rows or structure figures changed; the cross-role checks run over the whole
catalogue only when a changed role's keys could add a problem (`_may_add_problems`); the
findings rules by their scope, for the roles and areas a change reaches
(`scenario_findings`), with the duty matching, the costly part, reused from the base
catalogue: unchanged when no duty moved, else updated for the roles whose duties changed only
(jdcore.analysis.matching.neighbours_after_edit), and the overlap pairs found again only for
the roles whose pairs changed.

A scenario travels in a URL (`encode_changes` / `decode_changes`): changes separated by ",",
fields by ":", each field percent-encoded, e.g.
``move:hr-manager:head-of-sales,headcount:storekeeper:3,retire:estimator``. Decoding is
bounded (MAX_ENCODED_CHARS, MAX_CHANGES) and says what it ignored and why.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from urllib.parse import quote, unquote

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..model.catalogue import Catalogue
from ..model.characters import refused_character
from ..model.checks import RoleFile, RoleKeys, normalise_id, reference_problems
from ..model.labels import role_labels
from ..model.metrics import (METRIC_COLUMNS, STRUCTURE_COLUMNS, StructureBefore, metrics_of,
                             structure_before, structure_metrics, structure_update)
from ..model.problems import Problem
from ..model.schema import EXTERNAL_PREFIX
from ..model.tables import TABLE_COLUMNS, set_dtypes
from ..model.wording import counted, join_words
from ..model.yamlfile import YamlDocument
from .findings import (KINDS, OVERLAP_NEIGHBOURS, OVERLAP_THRESHOLD, RULES, SEVERITIES,
                       FindingContext, Overlaps,
                       OVERLAP_PARTNERS, closest_partners, find_findings, findings_table,
                       sort_findings)
from .matching import DutyIndex, Neighbours, fit_duty_index, neighbours_after_edit
from .orgchart import OrgChart, area_roles, chart_layout, layer_counts, root_candidates

CHANGE_KINDS = {
    "move": "Move a role under another manager",
    "headcount": "Change a role's headcount",
    "add": "Add a role (a copy of another)",
    "retire": "Retire a role",
    "duties": "Move duties to another role",
}
FIELDS = {"move": 3, "headcount": 3, "add": 4, "retire": 2, "duties": 4}  # with the kind
MAX_CHANGES = 40
MAX_ENCODED_CHARS = 6000
MAX_NAME_CHARS = 80
MAX_TITLE_CHARS = 120
MAX_ID_CHARS = 200
MAX_HEADCOUNT = 1_000_000   # as the schema's
MAX_DUTY_NO = 1000
ROLE_TABLES = tuple(name for name in TABLE_COLUMNS if name != "metrics")
FORBIDDEN_ID_CHARACTERS = '/\\\0:,'


@dataclass(frozen=True)
class Change:
    """One change of a scenario. `target`: the new manager (move; "" = no manager), the new
    role's id (add) or the role that receives the duties (duties)."""

    kind: str
    role: str
    target: str = ""
    headcount: int = 0
    title: str = ""
    duties: tuple[int, ...] = ()

    def describe(self, titles: dict[str, str]) -> str:
        """The change in plain English, with the roles' titles."""
        name = titles.get(self.role, self.role)
        if self.kind == "move":
            where = f"under {titles.get(self.target, self.target)}" if self.target else \
                "to the top of its business area (no manager)"
            return f"move {name} {where}"
        if self.kind == "headcount":
            return f"set the headcount of {name} to {self.headcount}"
        if self.kind == "add":
            return f"add {self.title} ({self.target}), a copy of {name}"
        if self.kind == "retire":
            return f"retire {name}"
        numbers = join_words(str(n) for n in self.duties)
        return (f"move {'duty' if len(self.duties) == 1 else 'duties'} {numbers} of {name} to "
                f"{titles.get(self.target, self.target)}")

    def token(self) -> str:
        """The change as it is written in a URL (see `encode_changes`)."""
        fields = {"move": [self.role, self.target],
                  "headcount": [self.role, str(self.headcount)],
                  "add": [self.role, self.target, self.title],
                  "retire": [self.role],
                  "duties": [self.role, self.target, ".".join(str(n) for n in self.duties)]}
        return ":".join([self.kind] + [quote(f, safe="-_.~") for f in fields[self.kind]])


# --- The URL encoding ---------------------------------------------------------------------

def encode_changes(changes: Iterable[Change]) -> str:
    """The changes as one compact text for a URL's query string."""
    return ",".join(change.token() for change in changes)


def _text_problem(value: str, what: str, limit: int) -> str | None:
    if not value.strip():
        return f"{what} is empty"
    if len(value) > limit:
        return f"{what} has {len(value)} characters, over the limit of {limit}"
    found = refused_character(value)
    if found is not None:
        return f"{what} {found.message}"
    return None


def _id_problem(value: str, what: str) -> str | None:
    problem = _text_problem(value, what, MAX_ID_CHARS)
    if problem is None and (value != value.strip() or value in (".", "..")
                            or any(c in value for c in FORBIDDEN_ID_CHARACTERS)):
        problem = f"{what} '{value}' cannot be a role id (no slashes, colons or commas)"
    return problem


def decode_change(token: str) -> Change:
    """One change from its URL form; raises ValueError saying what is wrong with it."""
    parts = token.split(":")
    kind = parts[0]
    if kind not in FIELDS:
        raise ValueError(f"'{kind[:40]}' is not a kind of change; use one of "
                         f"{', '.join(FIELDS)}")
    if len(parts) != FIELDS[kind]:
        raise ValueError(f"a {kind} change has {FIELDS[kind] - 1} fields, not {len(parts) - 1}")
    try:
        fields = [unquote(p, errors="strict") for p in parts[1:]]
    except UnicodeDecodeError:
        raise ValueError("a field is not valid percent-encoded UTF-8") from None
    role = fields[0]
    if (problem := _id_problem(role, "the role")) is not None:
        raise ValueError(problem)
    if kind == "retire":
        return Change(kind, role)
    if kind == "move":
        if fields[1] and (problem := _id_problem(fields[1], "the manager")) is not None:
            raise ValueError(problem)
        return Change(kind, role, target=fields[1])
    if kind == "headcount":
        if not fields[1].isdigit() or not 1 <= int(fields[1][:8]) <= MAX_HEADCOUNT \
                or len(fields[1]) > 8:
            raise ValueError(f"headcount '{fields[1][:20]}' is not a whole number from 1 to "
                             f"{MAX_HEADCOUNT:,}")
        return Change(kind, role, headcount=int(fields[1]))
    other = "the new role's id" if kind == "add" else "the role to receive the duties"
    if (problem := _id_problem(fields[1], other)) is not None:
        raise ValueError(problem)
    if kind == "add":
        if (problem := _text_problem(fields[2], "the title", MAX_TITLE_CHARS)) is not None:
            raise ValueError(problem)
        return Change(kind, role, target=fields[1], title=fields[2].strip())
    numbers = fields[2].split(".")
    if not fields[2] or len(numbers) > MAX_DUTY_NO or not all(
            n.isdigit() and len(n) <= 4 and 1 <= int(n) <= MAX_DUTY_NO for n in numbers):
        raise ValueError(f"duty numbers '{fields[2][:40]}' are not whole numbers from 1 to "
                         f"{MAX_DUTY_NO} separated by '.'")
    if len(set(numbers)) != len(numbers):
        raise ValueError("a duty number is listed twice")
    return Change(kind, role, target=fields[1], duties=tuple(int(n) for n in numbers))


def decode_changes(text: str | None) -> tuple[list[Change], list[str]]:
    """The changes of a scenario's URL text, and a sentence for each part that was ignored
    (malformed, too long, too many changes). Never raises."""
    if not text:
        return [], []
    text = str(text)
    ignored: list[str] = []
    if len(text) > MAX_ENCODED_CHARS:
        return [], [f"the scenario in the link has {len(text):,} characters, over the limit "
                    f"of {MAX_ENCODED_CHARS:,}; it was ignored whole"]
    changes: list[Change] = []
    tokens = text.split(",")
    if len(tokens) > MAX_CHANGES:
        ignored.append(f"the link holds {len(tokens)} changes; only the first {MAX_CHANGES} "
                       "were read")
        tokens = tokens[:MAX_CHANGES]
    for number, token in enumerate(tokens, 1):
        try:
            changes.append(decode_change(token))
        except ValueError as problem:
            shown = token if len(token) <= 60 else token[:57] + "..."
            ignored.append(f"change {number} ('{shown}') was ignored: {problem}")
    return changes, ignored


def clean_name(name: str | None) -> tuple[str, str | None]:
    """A scenario's name from the URL, and why it was not kept (None when it was)."""
    if not name:
        return "", None
    name = str(name)
    problem = _text_problem(name, "the scenario's name", MAX_NAME_CHARS)
    return ("", f"{problem}; it was ignored") if problem else (name.strip(), None)


# --- Applying a scenario ------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class ScenarioBase:
    """What every scenario on one catalogue starts from, computed once: the cross-role keys
    of every role and the problems the checks find before any change; the duty index, its
    overlap neighbours and the findings, when known (else compare_scenario finds them)."""

    catalogue: Catalogue
    keys: dict[str, RoleKeys]
    problems: frozenset[Problem]
    index: DutyIndex | None = None
    neighbours: Neighbours | None = None
    findings: pd.DataFrame | None = None
    overlaps: Overlaps | None = None    # the base's overlapping duties (FindingContext)
    entries: dict[str, RoleFile] = field(default_factory=dict)  # what the checks read

    @cached_property
    def structure(self) -> StructureBefore | None:
        """The base's structure, as metrics.structure_update reads it."""
        return structure_before(self.catalogue.roles, self.catalogue.metrics[STRUCTURE_COLUMNS])

    @cached_property
    def titles(self) -> dict[str, str]:
        return role_labels(self.catalogue.roles)

    @cached_property
    def pairs_of(self) -> dict[str, list[tuple[str, str]]]:
        """role id -> the pairs of roles of the base's overlap counts it is in."""
        found: dict[str, list[tuple[str, str]]] = {}
        for pair in (self.overlaps.counts if self.overlaps is not None else ()):
            found.setdefault(pair[0], []).append(pair)
            found.setdefault(pair[1], []).append(pair)
        return found


SCOPES = {r.id: r.scope for r in RULES}


def role_keys(tables: dict[str, pd.DataFrame]) -> dict[str, RoleKeys]:
    """The fields the cross-role checks read (jdcore.model.checks.RoleKeys), from the tables."""
    roles = tables["roles"].drop_duplicates("role_id")
    reporting = tables["reporting"]
    dotted = reporting[reporting["line"] == "dotted"].groupby("role_id")["manager_id"].agg(tuple)
    interactions = tables["interactions"]
    targets = interactions["counterpart"].where(
        interactions["counterpart_kind"] == "role", EXTERNAL_PREFIX + interactions["counterpart"])
    targets = targets.groupby(interactions["role_id"]).agg(tuple)
    career = tables["career"].groupby("role_id")["next_role_id"].agg(tuple)
    return {rid: RoleKeys(rid, manager if isinstance(manager, str) else None,
                          dotted.get(rid, ()), area, targets.get(rid, ()), career.get(rid, ()))
            for rid, manager, area in zip(roles["role_id"], roles["reports_to"],
                                          roles["business_area"])}


def _entry(keys: RoleKeys) -> RoleFile:
    return RoleFile(keys, YamlDocument(f"roles/{keys.id}.yaml", None, {(): None}))


def _check(keys: dict[str, RoleKeys], taxonomy,
           entries: dict[str, RoleFile] | None = None) -> list[Problem]:
    """The loader's cross-role checks over the roles' keys (`entries`: the base's, reused
    for every role whose keys are the same)."""
    entries = entries or {}
    files = [entry if (entry := entries.get(rid)) is not None and entry.role is k
             else _entry(k) for rid, k in keys.items()]
    return reference_problems(files, taxonomy)


def scenario_base(catalogue: Catalogue, index: DutyIndex | None = None,
                  neighbours: Neighbours | None = None,
                  findings: pd.DataFrame | None = None) -> ScenarioBase:
    """The base of every scenario on `catalogue`. With the duty index, its overlap
    neighbour search (matching.neighbour_search with the overlap rules' k and threshold) and the catalogue's findings, a scenario's
    findings are recomputed incrementally (`scenario_findings`); else afresh."""
    keys = role_keys(catalogue.tables)
    entries = {rid: _entry(k) for rid, k in keys.items()}
    overlaps = None
    if index is not None and neighbours is not None:
        overlaps = FindingContext(catalogue, index, neighbours).overlaps
    return ScenarioBase(catalogue, keys,
                        frozenset(_check(keys, catalogue.taxonomy, entries)), index,
                        neighbours, findings, overlaps, entries)


@dataclass
class _State:
    tables: dict[str, pd.DataFrame]
    keys: dict[str, RoleKeys]
    changed: set[str] = field(default_factory=set)      # roles whose document changes
    duty_roles: set[str] = field(default_factory=set)   # roles whose duties change
    added: set[str] = field(default_factory=set)
    retired: set[str] = field(default_factory=set)

    def copy(self) -> _State:
        return _State(dict(self.tables), dict(self.keys), set(self.changed),
                      set(self.duty_roles), set(self.added), set(self.retired))


class Refused(Exception):
    """A change that cannot apply; its message says why and what to do."""


@dataclass(frozen=True, eq=False)
class ScenarioResult:
    """A scenario applied: the catalogue after it (tables and metrics; the base catalogue
    is unchanged), the changes applied and the problems of those refused, a note per
    applied change that did more than it says, and which roles it changed."""

    name: str
    catalogue: Catalogue
    applied: tuple[Change, ...]
    problems: tuple[Problem, ...]
    notes: tuple[str, ...]
    changed: frozenset[str]      # roles whose document changes (added ones included)
    duty_roles: frozenset[str]   # roles whose duties change (for the duty matching)
    added: frozenset[str]
    retired: frozenset[str]
    figures: frozenset[str] = frozenset()  # roles whose metrics (but layer, chain) changed
    chains: frozenset[str] = frozenset()   # roles whose chain of command changed

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return self.catalogue.tables

    @property
    def reached(self) -> frozenset[str]:
        """Every role whose line, rows or figures the scenario changes (retired included)."""
        return self.changed | self.added | self.retired | self.figures | self.chains


def _require(state: _State, role: str, what: str = "role") -> None:
    if role not in state.keys:
        raise Refused(f"the {what} '{role}' is not in the catalogue (it may have been retired "
                      "or renamed); pick a role that exists")


def _set_role(state: _State, role: str, **values) -> None:
    roles = state.tables["roles"].copy()
    at = roles["role_id"] == role
    for column, value in values.items():
        roles.loc[at, column] = value
    state.tables["roles"] = roles


def _set_manager(state: _State, role: str, manager: str | None) -> None:
    _set_role(state, role, reports_to=manager)
    reporting = state.tables["reporting"]
    reporting = reporting[~((reporting["role_id"] == role) & (reporting["line"] == "solid"))]
    if manager:
        reporting = pd.concat([reporting, pd.DataFrame(
            {"role_id": [role], "manager_id": [manager], "line": ["solid"]})],
            ignore_index=True)
    state.tables["reporting"] = reporting.reset_index(drop=True)
    state.keys[role] = replace(state.keys[role], reports_to=manager or None)
    state.changed.add(role)


def _move(state: _State, change: Change) -> str | None:
    _require(state, change.role)
    if change.target:
        _require(state, change.target, "manager")
    if change.target == change.role:
        raise Refused("a role cannot report to itself; choose another manager")
    _set_manager(state, change.role, change.target or None)
    return None


def _headcount(state: _State, change: Change) -> str | None:
    _require(state, change.role)
    _set_role(state, change.role, headcount=change.headcount)
    state.changed.add(change.role)
    return None


def _add(state: _State, change: Change) -> str | None:
    _require(state, change.role, "role to copy")
    taken = {normalise_id(r): r for r in state.keys}
    if normalise_id(change.target) in taken:
        raise Refused(f"the id '{change.target}' is already used by "
                      f"'{taken[normalise_id(change.target)]}' (ids are compared ignoring case "
                      "and width); choose another id")
    for name in ROLE_TABLES:
        table = state.tables[name]
        rows = table[table["role_id"] == change.role].assign(role_id=change.target)
        if name == "roles":
            rows = rows.assign(title=change.title, file=f"roles/{change.target}.yaml")
        state.tables[name] = pd.concat([table, rows], ignore_index=True)
    state.keys[change.target] = replace(state.keys[change.role], id=change.target)
    state.changed.add(change.target)
    state.duty_roles.add(change.target)
    state.added.add(change.target)
    return None


def _without(values: tuple[str, ...], role: str) -> tuple[str, ...]:
    return tuple(v for v in values if v != role)


def _retire(state: _State, change: Change) -> str | None:
    role = change.role
    _require(state, role)
    manager = state.keys[role].reports_to
    reports = sorted(r for r, k in state.keys.items() if k.reports_to == role and r != role)
    for report in reports:
        _set_manager(state, report, manager)
    dotted = sorted(r for r, k in state.keys.items() if r != role and role in k.dotted_to)
    talking = sorted(r for r, k in state.keys.items()
                     if r != role and role in k.interaction_targets)
    steps = sorted(r for r, k in state.keys.items() if r != role and role in k.career_next)
    state_keys_before = dict(state.keys)
    for other in set(dotted) | set(talking) | set(steps):
        keys = state.keys[other]
        state.keys[other] = replace(keys, dotted_to=_without(keys.dotted_to, role),
                                    interaction_targets=_without(keys.interaction_targets, role),
                                    career_next=_without(keys.career_next, role))
        state.changed.add(other)
    tables = state.tables
    for name in ROLE_TABLES:
        tables[name] = tables[name][tables[name]["role_id"] != role].reset_index(drop=True)
    reporting = tables["reporting"]
    tables["reporting"] = reporting[~((reporting["manager_id"] == role)
                                      & (reporting["line"] == "dotted"))].reset_index(drop=True)
    interactions = tables["interactions"]
    tables["interactions"] = interactions[~((interactions["counterpart"] == role)
                                            & (interactions["counterpart_kind"] == "role"))
                                          ].reset_index(drop=True)
    career = tables["career"]
    tables["career"] = career[career["next_role_id"] != role].reset_index(drop=True)
    del state.keys[role]
    state.changed.discard(role)
    state.added.discard(role)
    state.retired.add(role)
    state.duty_roles.add(role)
    titles = role_labels(tables["roles"])
    said = []
    if reports:
        where = f"to {titles.get(manager, manager)}" if manager else "to the top of the area"
        said.append(f"its {counted(len(reports), 'direct report')} "
                    f"({join_words(titles.get(r, r) for r in reports)}) move {where}")
    dropped = [counted(n, what) for n, what in (
        (len(dotted), "dotted line"), (sum(state_keys_before[r].interaction_targets.count(role) for r in talking),
         "interaction"),
        (len(steps), "career step")) if n]
    if dropped:
        said.append(f"it drops the {join_words(dropped)} that pointed to it")
    return "; ".join(said) or None


def _duties(state: _State, change: Change) -> str | None:
    _require(state, change.role)
    _require(state, change.target, "role to receive the duties")
    if change.target == change.role:
        raise Refused("the duties would move to the role that holds them; choose another role")
    duties = state.tables["duties"]
    own = duties[duties["role_id"] == change.role]
    missing = [n for n in change.duties if n not in set(own["duty_no"].astype(int))]
    if missing:
        raise Refused(f"{'duty' if len(missing) == 1 else 'duties'} "
                      f"{join_words(str(n) for n in missing)} of '{change.role}' "
                      f"{'does' if len(missing) == 1 else 'do'} not exist (it has "
                      f"{len(own)}); pick duties from its list")
    moved = own.set_index("duty_no").loc[list(change.duties)].reset_index()
    kept = own[~own["duty_no"].isin(list(change.duties))]
    receiving = duties[duties["role_id"] == change.target]
    start = int(receiving["duty_no"].max()) if len(receiving) else 0
    duties = duties.copy()
    duties.loc[kept.index, "duty_no"] = range(1, len(kept) + 1)
    moved = moved.assign(role_id=change.target,
                         duty_no=range(start + 1, start + 1 + len(moved)))[duties.columns]
    rest = duties.drop(index=own.index.difference(kept.index))
    state.tables["duties"] = set_dtypes({"duties": pd.concat([rest, moved],
                                                             ignore_index=True)})["duties"]
    state.changed.update({change.role, change.target})
    state.duty_roles.update({change.role, change.target})
    return None


APPLY = {"move": _move, "headcount": _headcount, "add": _add, "retire": _retire,
         "duties": _duties}
FIXES = {
    "move": "choose a manager outside the role's own line (not one of the roles below it) "
            "and not none while its area has a top role, or leave the role where it is",
    "headcount": "choose another headcount",
    "add": "choose another id or role to copy",
    "retire": "move the role's reports under another manager first, or keep the role",
    "duties": "choose other duties or another role",
}


def _may_add_problems(keys: dict[str, RoleKeys], base: ScenarioBase) -> bool:
    """Whether the cross-role checks may find a problem in `keys` that the base does not
    have. No when every role whose keys changed names only roles that exist (not itself),
    its line climbs to a top role without a cycle, a new top role is its area's only one,
    no id of a new role equals another's and nothing points to a removed role: a problem
    the checks find (a dangling line, a cycle, a role no top reaches, a second top role, a
    duplicate id) needs one of these."""
    old = base.keys
    edited = [k for rid, k in keys.items() if old.get(rid) is not k]
    removed = set(old) - set(keys)
    for k in edited:
        named = [*k.dotted_to, *k.career_next,
                 *(t for t in k.interaction_targets if not t.startswith(EXTERNAL_PREFIX))]
        if k.reports_to is not None:
            named.append(k.reports_to)
        if any(n == k.id or n not in keys for n in named):
            return True
        node, steps = k, 0
        while node.reports_to is not None:
            node, steps = keys.get(node.reports_to), steps + 1
            if node is None or steps > len(keys):
                return True
        if k.reports_to is None and sum(
                1 for o in keys.values() if o.reports_to is None
                and o.business_area == k.business_area) > 1:
            return True
    if removed and any(set(k.dotted_to) & removed or set(k.career_next) & removed
                       or set(k.interaction_targets) & removed or k.reports_to in removed
                       for k in keys.values()):
        return True
    new_ids = [k.id for k in edited if k.id not in old]
    if new_ids:
        normal = [normalise_id(r) for r in keys]
        if len(set(normal)) != len(normal):
            return True
    return False


def _new_problems(state: _State, base: ScenarioBase) -> list[Problem]:
    if state.keys == base.keys:  # no line, id or reference changed (a headcount)
        return []
    if not _may_add_problems(state.keys, base):
        return []
    return sorted(p for p in _check(state.keys, base.catalogue.taxonomy, base.entries)
                  if p.is_error and p not in base.problems)


def _refusal(number: int, change: Change, titles: dict[str, str], message: str) -> Problem:
    return Problem(f"change {number}", None, change.kind,
                   f"Change {number} ({change.describe(titles)}) was refused and changed "
                   f"nothing: {message}")


def _said(found: list[Problem], titles: dict[str, str]) -> str:
    """What the checks found, the cause first: a cycle, then the rest; a role left
    unreachable by the cycle is its consequence and is not repeated."""
    causes = sorted(found, key=lambda p: ("cycle" not in p.message, p.message))
    if any("not reachable" not in p.message for p in causes):
        causes = [p for p in causes if "not reachable" not in p.message]
    roles_of: dict[str, list[str]] = {}  # one message said once, with every role it names
    for problem in causes:
        role = problem.file.removeprefix("roles/").removesuffix(".yaml")
        roles_of.setdefault(problem.message, []).append(titles.get(role, role))
    return "; ".join(f"{join_words(roles)}: {message}"
                     for message, roles in list(roles_of.items())[:3])


def _run(base: ScenarioBase, changes: list[Change], check_each: bool):
    state = _State(dict(base.catalogue.tables), dict(base.keys))
    titles = dict(base.titles)
    applied, problems, notes = [], [], []
    for number, change in enumerate(changes, 1):
        attempt = state.copy()
        try:
            note = APPLY[change.kind](attempt, change)
            found = _new_problems(attempt, base) if check_each else []
        except Refused as refused:
            problems.append(_refusal(number, change, titles, str(refused)))
            continue
        if found:
            problems.append(_refusal(number, change, titles, f"{_said(found, titles)}. "
                                     f"To fix it: {FIXES[change.kind]}."))
            continue
        state = attempt
        applied.append(change)
        titles.update(role_labels(state.tables["roles"][state.tables["roles"]["role_id"]
                                                        .isin(state.added)]))
        if note:
            notes.append(f"{change.describe(titles)}: {note}")
    return state, applied, problems, notes


def apply_scenario(base: ScenarioBase | Catalogue, changes: Iterable[Change],
                   name: str = "") -> ScenarioResult:
    """The catalogue after the changes, in order; each change that cannot apply, or that
    would add an error the loader's cross-role checks find (a cycle, a dangling line, a
    second root, a duplicate id), is refused: it changes nothing and a Problem says why."""
    if isinstance(base, Catalogue):
        base = scenario_base(base)
    changes = list(changes)
    state, applied, problems, notes = _run(base, changes, check_each=False)
    if _new_problems(state, base):  # find the change to blame, one by one
        state, applied, problems, notes = _run(base, changes, check_each=True)
    catalogue = base.catalogue
    tables = dict(state.tables)
    if state.duty_roles:  # the changed roles' duties last, as replace_roles orders the index
        duties = tables["duties"]
        moved = _isin(duties["role_id"], state.duty_roles)
        if not moved[len(duties) - int(moved.sum()):].all():  # else they are last already
            tables["duties"] = pd.concat([duties[~moved], duties[moved]], ignore_index=True)
    recomputed: set[str] = set()
    if applied:
        tables["metrics"], recomputed = _scenario_metrics(base, tables, state)
    figures = _differing_roles(catalogue.metrics, tables["metrics"], ROLE_FIGURES, recomputed)
    chains = _differing_roles(catalogue.metrics, tables["metrics"], ["chain_of_command"],
                              recomputed)
    files = {rid: f for rid, f in catalogue.files.items() if rid not in state.retired}
    files.update({rid: f"roles/{rid}.yaml" for rid in state.added})
    after = replace(catalogue, tables=tables, files=files, readings={},
                    fingerprint=f"{catalogue.fingerprint}-scenario-{encode_changes(applied)}")
    return ScenarioResult(name, after, tuple(applied), tuple(problems), tuple(notes),
                          frozenset(state.changed), frozenset(state.duty_roles),
                          frozenset(state.added), frozenset(state.retired),
                          frozenset(figures), frozenset(chains))


def _scenario_metrics(base: ScenarioBase, tables: dict[str, pd.DataFrame],
                      state: _State) -> tuple[pd.DataFrame, set[str]]:
    """The metrics after the changes, and the roles whose row was recomputed: the structure
    figures only where the changes reach (metrics.structure_update: the moved subtrees'
    layers and chains, the old and new managers' spans, the totals above), else, when it
    cannot follow them, of the whole catalogue again; the indices only of the roles whose
    structure figures or own rows changed (an index reads only its role's rows and structure
    figures, jdcore.model.metrics.metrics_of); every other row is the base's."""
    catalogue = base.catalogue
    taxonomy = catalogue.taxonomy
    roles = tables["roles"]
    base_structure = catalogue.metrics[STRUCTURE_COLUMNS]
    update = structure_update(roles, taxonomy, base.structure)
    own_rows = (state.changed | state.duty_roles | state.added) - state.retired
    if update is None:
        structure = structure_metrics(roles, taxonomy)
        ids = _differing_roles(catalogue.metrics, structure, STRUCTURE_COLUMNS[1:])
        ids = (ids | own_rows) - state.retired
        chosen = structure[structure["role_id"].isin(ids)]
    else:
        fresh_structure, ids = update
        rest = own_rows - ids
        ids = ids | own_rows
        chosen = pd.concat([fresh_structure, base_structure[base_structure["role_id"].isin(
            rest)]], ignore_index=True)
    own = {name: table[_isin(table["role_id"], ids)] for name, table in tables.items()
           if name != "metrics"}
    fresh = metrics_of(own, chosen.reset_index(drop=True), taxonomy)
    kept = catalogue.metrics[~_isin(catalogue.metrics["role_id"], ids)]
    merged = pd.concat([kept, fresh], ignore_index=True).set_index("role_id")
    return merged.reindex(pd.Index(roles["role_id"])).reset_index()[METRIC_COLUMNS], ids


# --- Comparing before and after -----------------------------------------------------------

def _isin(column: pd.Series, values) -> np.ndarray:
    """column.isin(values) for a text column and many values: pandas makes a pyarrow scalar
    of each value in turn, pyarrow's is_in takes them as one array."""
    found = pc.is_in(pa.array(column, type=pa.large_string()),
                     value_set=pa.array(list(values), type=pa.large_string()))
    return found.fill_null(False).to_numpy(zero_copy_only=False)


def _sub_context(catalogue: Catalogue, role_ids: set[str], titles: dict[str, str],
                 index: DutyIndex | None = None) -> FindingContext:
    """A findings context over the catalogue's rows of some roles only (metrics as computed
    for the whole), naming roles as the whole catalogue does (`titles`: a title two roles
    share carries the role's id). `index`, the duty index of the catalogue's duties in their
    order, gives the context the rows of its duties (so a rule that reads the index's words
    reads them, rather than normalising the duties' texts again)."""
    chosen = {name: _isin(table["role_id"], role_ids) for name, table in
              catalogue.tables.items()}
    tables = {name: table[chosen[name]] for name, table in catalogue.tables.items()}
    sub_index = None
    if index is not None and len(index.keys) == len(catalogue.duties):
        rows = np.flatnonzero(chosen["duties"])
        sub_index = replace(index, keys=index.keys.iloc[rows].reset_index(drop=True),
                            matrix=index.matrix[rows],
                            replaced=None if index.replaced is None else index.replaced[rows])
    context = FindingContext(replace(catalogue, tables=tables, readings={}), sub_index)
    context.titles = titles
    return context


def _differing_roles(before: pd.DataFrame, after: pd.DataFrame, columns,
                     among: set[str] | None = None) -> set[str]:
    """Role ids whose rows of `columns` differ between two tables keyed by role_id (a role
    in one table only counts as differing); only those `among`, when given."""
    if among is not None:
        before = before[before["role_id"].isin(among)]
        after = after[after["role_id"].isin(among)]
    old = before.drop_duplicates("role_id").set_index("role_id")[list(columns)]
    new = after.drop_duplicates("role_id").set_index("role_id")[list(columns)]
    ids = old.index.intersection(new.index)
    old, new = old.reindex(ids), new.reindex(ids)
    differs = pd.Series(False, index=ids)
    for column in columns:
        differs |= ~_same(old[column], new[column])
    return set(ids[differs.to_numpy()]) | (set(old.index) ^ set(new.index))


# the figures a "role" finding may read (findings.Rule): every metric but the layer and chain
# (a role's place, ScenarioResult.chains) and its total reports, which the rules read only
# through the authority index's span part (a figure of its own)
ROLE_FIGURES = [c for c in METRIC_COLUMNS
                if c not in ("role_id", "layer", "chain_of_command", "total_reports")]


CLOSEST_ORDER = ["similarity", "role_id", "other_role_id", "duty_no", "other_duty_no"]


def _compact(neighbours: Neighbours) -> Neighbours:
    """The same neighbours over an index of only the duties they name (so what reads them
    reads those rows, not every duty of the catalogue)."""
    used = np.unique(np.concatenate([neighbours.rows, neighbours.cols]))
    index = neighbours.index
    small = replace(index, keys=index.keys.iloc[used].reset_index(drop=True),
                    matrix=index.matrix[used],
                    replaced=None if index.replaced is None else index.replaced[used])
    return replace(neighbours, index=small, rows=np.searchsorted(used, neighbours.rows),
                   cols=np.searchsorted(used, neighbours.cols))


def _on_roles(table: pd.DataFrame, roles: set[str]) -> np.ndarray:
    """Per row of a table of pairs of roles, whether either role is one of `roles`."""
    return _isin(table["role_id"], roles) | _isin(table["other_role_id"], roles)


def _listed_on(overlaps: Overlaps, roles: set[str]) -> Overlaps:
    return overlaps._replace(listed=overlaps.listed[_on_roles(overlaps.listed, roles)])


def _closest_keys(table: pd.DataFrame) -> list[tuple]:
    return list(zip((-table["similarity"].astype("float64")).tolist(),
                    table["role_id"].tolist(), table["other_role_id"].tolist(),
                    table["duty_no"].tolist(), table["other_duty_no"].tolist()))


def _merge_closest(kept: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """`kept` (sorted closest first, CLOSEST_ORDER) with the rows of `new` put in their
    places, and for each row of the result its row in kept + new."""
    if new.empty:
        return kept.reset_index(drop=True), np.arange(len(kept))
    new = new.sort_values(CLOSEST_ORDER, ascending=[False, True, True, True, True])
    similarity = -kept["similarity"].to_numpy(dtype="float64")
    places = []
    for key in _closest_keys(new):
        low = int(np.searchsorted(similarity, key[0], "left"))
        high = int(np.searchsorted(similarity, key[0], "right"))
        if high > low:  # as similar as some kept rows: ordered by the other columns
            low += bisect.bisect_left(_closest_keys(kept.iloc[low:high]), key)
        places.append(low)
    order = np.insert(np.arange(len(kept)), places, len(kept) + np.arange(len(new)))
    both = pd.concat([kept, new], ignore_index=True)
    return both.iloc[order].reset_index(drop=True), order


def _overlaps_after(old: Overlaps, fresh: pd.DataFrame, moved: set[str],
                    pairs_of: dict[str, list[tuple[str, str]]]) -> tuple[Overlaps, set[str]]:
    """The base's overlaps with every pair of a moved role replaced by those found again
    (`fresh`, findings' overlap pairs of the moved roles' neighbours), and the roles whose
    pairs changed: the moved roles and every role they were or are paired with. The closest
    pairs stay sorted closest first; the listed pairs (findings.closest_partners) are found
    again for the pairs of those roles only: the closest partners of any other role are as
    they were, since none of its pairs changed. `pairs_of`: role -> its pairs in old.counts."""
    closest = old.closest.reset_index(drop=True)
    was_listed = np.zeros(len(closest), dtype=bool)
    was_listed[old.closest.index.get_indexer(old.listed.index)] = True
    stay = ~_on_roles(closest, moved)
    new = fresh.drop_duplicates(["role_id", "other_role_id"])
    touched = (set(moved) | set(closest.loc[~stay, "role_id"].tolist())
               | set(closest.loc[~stay, "other_role_id"].tolist())
               | set(new["role_id"].tolist()) | set(new["other_role_id"].tolist()))
    merged, order = _merge_closest(closest[stay], new)
    was_listed = np.concatenate([was_listed[stay], np.zeros(len(new), dtype=bool)])[order]
    on_touched = _on_roles(merged, touched)
    # every pair of the touched roles' partners too: their ranks decide a pair's place
    around = (touched | set(merged.loc[on_touched, "role_id"].tolist())
              | set(merged.loc[on_touched, "other_role_id"].tolist()))
    again = closest_partners(merged[_on_roles(merged, around)], OVERLAP_PARTNERS).index
    listed = was_listed & ~on_touched
    listed[again[on_touched[again]]] = True
    counts = dict(old.counts)
    for role in moved:
        for pair in pairs_of.get(role, ()):
            counts.pop(pair, None)
    counts.update(fresh.groupby(["role_id", "other_role_id"]).size().to_dict())
    return Overlaps(merged, merged[listed], counts), touched


LISTED_KEY = ["role_id", "duty_no", "other_role_id", "other_duty_no", "similarity"]


def _relisted(before: Overlaps, after: Overlaps, moved: set[str]) -> tuple[pd.DataFrame, set]:
    """The rows of `after.listed` whose finding must be written again (new, or their closest
    duties, similarity or count of pairs changed, or one of their roles moved), and the ids
    of the overlap findings of the base that stay as they are."""
    def keyed(overlaps: Overlaps) -> pd.DataFrame:
        listed = overlaps.listed[LISTED_KEY]
        return listed.assign(pairs=[overlaps.counts.get((r, o), 0) for r, o in zip(
            listed["role_id"].tolist(), listed["other_role_id"].tolist())])

    old, new = keyed(before), keyed(after)
    same = new.merge(old, on=LISTED_KEY + ["pairs"], how="left", indicator=True)["_merge"]
    same = ((same == "both").to_numpy() & ~new["role_id"].isin(moved).to_numpy()
            & ~new["other_role_id"].isin(moved).to_numpy())
    reused = {f"overlap/{r}/{o}" for r, o in zip(new.loc[same, "role_id"].tolist(),
                                                 new.loc[same, "other_role_id"].tolist())}
    return after.listed[~same], reused


def _rule_key(finding_id: str) -> str:
    """The role or business area a finding of a "role" or "area" rule is about."""
    parts = finding_id.split("/")
    return parts[2] if len(parts) > 2 else ""


def scenario_findings(base: ScenarioBase, result: ScenarioResult) -> pd.DataFrame:
    """The findings of the scenario's catalogue, recomputed where a change can reach only:
    a rule of scope "role" for the roles whose rows or figures changed, their managers and
    reports; a rule of scope "area" for their business areas; a rule of scope "catalogue"
    over the whole catalogue, with the overlap pairs of the base kept for every pair of
    roles whose duties and chain of command stayed. The duty matching is the base's: its
    neighbours as they are when no duty changed, else updated for the changed roles only
    (matching.neighbours_after_edit). Without a base index and findings, everything is
    computed afresh."""
    before, after = base.catalogue, result.catalogue
    if not result.applied:
        if base.findings is not None:
            return base.findings
    if base.index is None or base.findings is None or base.overlaps is None:
        index = fit_duty_index(after.duties)
        return find_findings(after, index)
    index, neighbours = base.index, base.neighbours
    if result.duty_roles:  # the changed roles' duties are last, as replace_roles puts them
        neighbours = neighbours_after_edit(base.neighbours, after.duties, result.duty_roles)
        index = neighbours.index
    # roles whose own rows, figures or label changed (a title now shared gains the role's id)
    titles, titles_before = role_labels(after.roles), base.titles
    relabelled = {r for r, t in titles.items() if titles_before.get(r, t) != t}
    changed = (set(result.changed) | set(result.duty_roles) | set(result.added)
               | set(result.figures) | relabelled)
    managers = {}
    for catalogue in (before, after):
        roles = catalogue.roles
        managers[catalogue is after] = dict(zip(roles["role_id"].tolist(),
                                                roles["reports_to"].tolist()))
    reach = set(changed)
    for role in changed:
        for manager in (managers[False].get(role), managers[True].get(role)):
            if isinstance(manager, str):
                reach.add(manager)
    reports = after.roles[after.roles["reports_to"].isin(changed)]["role_id"]
    reach |= set(reports)
    gone = set(result.retired)
    areas = set(before.roles.loc[before.roles["role_id"].isin(list(reach | gone)),
                                 "business_area"].tolist())
    areas |= set(after.roles.loc[after.roles["role_id"].isin(list(reach)),
                                 "business_area"].tolist())

    found: list = []
    # "role" rules: the reached roles with their managers and direct reports
    present = set(after.roles["role_id"].tolist())
    near = reach & present
    around = set(near)
    around |= {m for m in (managers[True].get(r) for r in near) if isinstance(m, str)}
    around |= set(after.roles.loc[after.roles["reports_to"].isin(list(near)),
                                  "role_id"].tolist())
    local = _sub_context(after, around, titles, index)
    found += [f for r in RULES if r.scope == "role" for f in r.check(local)
              if _rule_key(f.id) in near]
    # "area" rules: every role of the reached areas, and their managers
    in_areas = after.roles[after.roles["business_area"].isin(areas)]
    members = set(in_areas["role_id"].tolist()) | {
        m for m in in_areas["reports_to"].tolist() if isinstance(m, str)}
    regional = _sub_context(after, members, titles)
    found += [f for r in RULES if r.scope == "area" for f in r.check(regional)
              if _rule_key(f.id) in areas]
    # "catalogue" rules, on the overlaps of the base with the pairs of roles whose duties,
    # chain of command or label changed found again from those roles' neighbours
    moved = set(result.chains) | set(result.duty_roles) | set(result.added) | gone | relabelled
    old = base.overlaps
    whole = FindingContext(after, index, neighbours)
    if not moved:  # every pair of roles as it was: the base's overlaps and pair findings
        whole.overlaps = old
        found += [f for r in RULES if r.scope == "catalogue" for f in r.check(whole)]
        reused = {f"overlap/{r}/{o}" for r, o in zip(old.listed["role_id"].tolist(),
                                                     old.listed["other_role_id"].tolist())}
    else:
        row_roles = neighbours.index.keys["role_id"]
        on_moved = _isin(row_roles, moved)
        near_moved = on_moved[neighbours.rows] | on_moved[neighbours.cols]
        # the pairs of those neighbours, from the rows of their roles only
        touching = _compact(replace(neighbours, rows=neighbours.rows[near_moved],
                                    cols=neighbours.cols[near_moved],
                                    values=neighbours.values[near_moved]))
        paired = _sub_context(after, set(touching.index.keys["role_id"].tolist()), titles)
        paired.neighbours = touching
        whole.overlaps, touched = _overlaps_after(old, paired.overlap_pairs, moved,
                                                  base.pairs_of)
        found += [f for r in RULES if r.scope == "catalogue" for f in r.check(whole)]
        # "pair" rules: only for the listed pairs that are new or whose closest duties changed
        # (a pair of roles neither of which gained or lost a pair is as it was)
        listed, reused = _relisted(_listed_on(old, touched), _listed_on(whole.overlaps, touched),
                                   moved)
        untouched = whole.overlaps.listed[~_on_roles(whole.overlaps.listed, touched)]
        reused |= {f"overlap/{r}/{o}" for r, o in zip(untouched["role_id"].tolist(),
                                                      untouched["other_role_id"].tolist())}
        pairwise = _sub_context(after, set(listed["role_id"].tolist())
                                | set(listed["other_role_id"].tolist()), titles)
        pairwise.overlaps = whole.overlaps._replace(listed=listed)
        found += [f for r in RULES if r.scope == "pair" for f in r.check(pairwise)]

    def stays(finding_id: str) -> bool:
        if finding_id in reused:  # a pair's finding, as it was
            return True
        # the rule of a "role" or "area" finding: the first two parts of its id (an overlap
        # pair's, overlap/<role>/<other role>, names none: it is written again when listed)
        scope = SCOPES.get("/".join(finding_id.split("/")[:2]), "catalogue")
        return (scope == "role" and _rule_key(finding_id) not in reach | gone
                or scope == "area" and _rule_key(finding_id) not in areas)

    kept = base.findings[[stays(fid) for fid in base.findings["id"].tolist()]]
    return _merge_findings(kept, findings_table(found))


def _finding_keys(table: pd.DataFrame) -> list[tuple]:
    """The keys of findings.sort_findings' order: severity, kind, id."""
    severity = {s: i for i, s in enumerate(SEVERITIES)}
    kind = {k: i for i, k in enumerate(KINDS)}
    return list(zip([severity[s] for s in table["severity"].tolist()],
                    [kind[k] for k in table["kind"].tolist()], table["id"].tolist()))


def _merge_findings(kept: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Two findings tables in their order (findings.sort_findings) as one in that order, the
    rows of `new` put in their places (no need to sort the many kept ones again)."""
    if new.empty:
        return kept.reset_index(drop=True)
    if _isin(kept["id"], new["id"].tolist()).any():  # an id in both: sort_findings says which
        return sort_findings(pd.concat([kept, new], ignore_index=True))
    keys = _finding_keys(kept)
    places = [bisect.bisect_left(keys, key) for key in _finding_keys(new)]
    order = np.insert(np.arange(len(kept)), places, len(kept) + np.arange(len(new)))
    return pd.concat([kept, new], ignore_index=True).iloc[order].reset_index(drop=True)


@dataclass(frozen=True, eq=False)
class Comparison:
    """The catalogue before and after a scenario, table by table (roles that changed only)."""

    lines: pd.DataFrame        # role_id, title, manager_before, manager_after, change
    structure: pd.DataFrame    # role_id, title, layer / direct_reports / span / flag before, after
    layers: pd.DataFrame       # layer, roles_before, roles_after, positions_before, positions_after
    indices: pd.DataFrame      # role_id, title, authority / workload before, after, delta
    findings: pd.DataFrame     # change (appears / disappears), severity, kind, title, roles, id
    counts: dict[str, int]     # findings appearing and disappearing


STRUCTURE_FIGURES = ("layer", "direct_reports", "span_of_control", "span_flag")
INDEX_FIGURES = ("authority_index", "workload_index")


def _figures(catalogue: Catalogue, among: Iterable[str] | None) -> pd.DataFrame:
    metrics, roles = catalogue.metrics, catalogue.roles
    if among is not None:
        metrics = metrics[metrics["role_id"].isin(list(among))]
        roles = roles[roles["role_id"].isin(list(among))]
    metrics = metrics.drop_duplicates("role_id").set_index("role_id")
    roles = roles.drop_duplicates("role_id").set_index("role_id")
    return metrics.join(roles[["title", "reports_to", "headcount", "business_area"]])


def _same(left: pd.Series, right: pd.Series) -> pd.Series:
    """Per row, whether two aligned columns hold the same value (both missing counts)."""
    equal = left == right
    if equal.dtype != bool:
        equal = equal.fillna(False).astype(bool)
    return equal | (left.isna() & right.isna()).to_numpy()


def compare_scenario(before: Catalogue, after: Catalogue,
                     findings_before: pd.DataFrame | None = None,
                     findings_after: pd.DataFrame | None = None,
                     roles: Iterable[str] | None = None) -> Comparison:
    """Before beside after: every role whose manager, structure figures or indices changed
    (added and retired roles included), the layers, and the findings that appear or go.
    `roles`, when given, are the only roles that may have changed (ScenarioResult.reached):
    the others are not compared."""
    old, new = _figures(before, roles), _figures(after, roles)
    ids = old.index.union(new.index, sort=False)
    old_all, new_all = old.reindex(ids), new.reindex(ids)
    titles = new_all["title"].fillna(old_all["title"]).fillna(pd.Series(ids, index=ids))
    names = role_labels(before.roles) | role_labels(after.roles)

    def label(managers: pd.Series) -> pd.Series:
        return managers.map(lambda m: names.get(m, m) if isinstance(m, str) else "")

    status = pd.Series("", index=ids, dtype=object)
    status[~ids.isin(old.index)] = "added"
    status[~ids.isin(new.index)] = "retired"
    moved = ~_same(old_all["reports_to"], new_all["reports_to"]) & (status == "")
    status[moved] = "moved"
    lines = pd.DataFrame({"role_id": ids, "title": titles.to_numpy(),
                          "manager_before": label(old_all["reports_to"]).to_numpy(),
                          "manager_after": label(new_all["reports_to"]).to_numpy(),
                          "change": status.to_numpy()})
    lines = lines[lines["change"] != ""].reset_index(drop=True)

    structure = pd.DataFrame({"role_id": ids, "title": titles.to_numpy()})
    differs = pd.Series(False, index=ids)
    for column in STRUCTURE_FIGURES + ("headcount",):
        structure[f"{column}_before"] = old_all[column].to_numpy()
        structure[f"{column}_after"] = new_all[column].to_numpy()
        differs |= ~_same(old_all[column], new_all[column])
    structure = structure[differs.to_numpy()].reset_index(drop=True)
    for column in ("span_of_control_before", "span_of_control_after"):
        structure[column] = structure[column].astype("float64").round(2)

    indices = pd.DataFrame({"role_id": ids, "title": titles.to_numpy()})
    differs = pd.Series(False, index=ids)
    for column in INDEX_FIGURES:
        first, second = old_all[column].astype("float64"), new_all[column].astype("float64")
        name = column.removesuffix("_index")
        indices[f"{name}_before"] = first.to_numpy()
        indices[f"{name}_after"] = second.to_numpy()
        indices[f"{name}_delta"] = (second - first).round(1).to_numpy()
        differs |= ~_same(first, second)
    indices = indices[differs.to_numpy()].reset_index(drop=True)

    layers = layer_counts(_layers(before)).merge(
        layer_counts(_layers(after)), on="layer", how="outer", suffixes=("_before", "_after"))
    layers = layers.fillna(0).astype("int64")[["layer", "roles_before", "roles_after",
                                               "positions_before", "positions_after"]]
    found = _findings_difference(findings_before, findings_after)
    counts = {"appears": int((found["change"] == "appears").sum()),
              "disappears": int((found["change"] == "disappears").sum())}
    return Comparison(lines, structure, layers, indices, found, counts)


def _layers(catalogue: Catalogue) -> pd.DataFrame:
    """Each role's layer and headcount (what orgchart.layer_counts reads)."""
    return catalogue.roles[["role_id", "headcount"]].merge(
        catalogue.metrics[["role_id", "layer"]], on="role_id", how="left")


FINDING_CHANGE_COLUMNS = ["change", "severity", "kind", "title", "roles", "id"]


def _findings_difference(before: pd.DataFrame | None,
                         after: pd.DataFrame | None) -> pd.DataFrame:
    if before is None or after is None:
        return pd.DataFrame(columns=FINDING_CHANGE_COLUMNS)
    gone = before[~_isin(before["id"], after["id"].tolist())].assign(change="disappears")
    new = after[~_isin(after["id"], before["id"].tolist())].assign(change="appears")
    return pd.concat([new, gone], ignore_index=True)[FINDING_CHANGE_COLUMNS]


# --- The org chart, before and after ------------------------------------------------------

def scenario_layouts(before: Catalogue, after: Catalogue, area: str,
                     max_depth: int = 4) -> tuple[OrgChart | None, OrgChart | None]:
    """The boxed org chart (orgchart.chart_layout) of one business area before and after,
    from the area's top role. On each, a solid line the other chart does not have (a moved,
    added or retired role's) is marked as the chart marks a path (`on_path`), and so is each
    role whose line, headcount or existence changed (`focus`)."""
    charts = []
    for catalogue in (before, after):
        roles = area_roles(catalogue, area)
        charts.append(None if roles.empty else chart_layout(
            roles, catalogue.reporting, root_candidates(roles)[0], max_depth))
    lines = [set() if chart is None else {
        (f, t) for f, t, line in zip(chart.connectors["from_id"].tolist(),
                                     chart.connectors["to_id"].tolist(),
                                     chart.connectors["line"].tolist()) if line == "solid"}
        for chart in charts]
    heads = [dict(zip(c.roles["role_id"].tolist(), c.roles["headcount"].tolist()))
             for c in (before, after)]
    marked = []
    for side, chart in enumerate(charts):
        if chart is None:
            marked.append(None)
            continue
        connectors = chart.connectors.assign(on_path=[
            line == "solid" and (f, t) not in lines[1 - side]
            for f, t, line in zip(chart.connectors["from_id"].tolist(),
                                  chart.connectors["to_id"].tolist(),
                                  chart.connectors["line"].tolist())])
        moved = set(connectors.loc[connectors["on_path"], "to_id"].tolist())
        boxes = chart.boxes.assign(focus=[
            kind == "role" and (r in moved or heads[0].get(r) != heads[1].get(r))
            for r, kind in zip(chart.boxes["role_id"].tolist(), chart.boxes["kind"].tolist())])
        marked.append(replace(chart, boxes=boxes, connectors=connectors))
    return marked[0], marked[1]
