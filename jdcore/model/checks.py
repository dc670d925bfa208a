"""Checks of a role against the taxonomy, and of the catalogue as a whole.

Every check returns a list of Problems; none stops at the first.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .characters import CANDIDATES, refused_character
from .problems import WARNING, Problem, did_you_mean, one_of
from .schema import (AUTHORITY_SCALES, EXTERNAL_PREFIX, UNKNOWN_ALLOWED_NOTES, WORKLOAD_MEASURES,
                     Role, Taxonomy)
from .schema_errors import field_label
from .yamlfile import YamlDocument

MIN_DUTIES = 5


# The top-level fields whose line numbers the cross-role checks use.
REFERENCE_FIELDS = {"id", "reports_to", "dotted_to", "interactions", "career", "business_area"}


@dataclass(frozen=True)
class RoleKeys:
    """The fields of a role that the cross-role checks read (small, cheap to pass around)."""

    id: str
    reports_to: str | None
    dotted_to: tuple[str, ...]
    business_area: str
    interaction_targets: tuple[str, ...]
    career_next: tuple[str, ...]

    @classmethod
    def of(cls, role: Role) -> RoleKeys:
        return cls(role.id, role.reports_to, tuple(role.dotted_to), role.business_area,
                   tuple(i.with_ for i in role.interactions), tuple(role.career.next))


@dataclass(frozen=True)
class RoleFile:
    """A role with the document it came from (for line numbers).

    The per-file checks get the full Role; the cross-role checks get its RoleKeys.
    """

    role: Role | RoleKeys
    doc: YamlDocument

    @property
    def name(self) -> str:
        return self.doc.name

    @property
    def stem(self) -> str:
        return self.name.rsplit("/", 1)[-1].removesuffix(".yaml")

    @property
    def precedence(self) -> tuple:
        """Of roles whose ids collide, the one whose file is named after its id comes first."""
        return (self.role.id != self.stem, self.name)

    def problem(self, loc: tuple, message: str, severity: str = "error") -> Problem:
        return Problem(self.doc.name, self.doc.line_of(loc), field_label(loc), message, severity)


def normalise_id(role_id: str) -> str:
    """The form in which two ids are compared: NFKC, case-folded, trimmed."""
    return unicodedata.normalize("NFKC", role_id).casefold().strip()


def invisible_character_problems(doc: YamlDocument) -> list[Problem]:
    """Control, bidi and zero-width characters anywhere in the document's keys and values.

    The decoded values are checked, so a character written as an escape (``"\\u202e"``)
    is found too; joiners are kept where they join (jdcore.model.characters).
    """
    problems: list[Problem] = []
    if doc.text is not None and not CANDIDATES.search(doc.text):
        return problems

    def walk(value, loc):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(key, loc + (key,))
                walk(item, loc + (key,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, loc + (index,))
        elif isinstance(value, str) and (found := refused_character(value)):
            problems.append(Problem(doc.name, doc.line_of(loc), field_label(loc) or "(document)",
                                    found.message))

    walk(doc.data, ())
    return problems


def vocabulary_problems(entry: RoleFile, taxonomy: Taxonomy) -> list[Problem]:
    """Values of a role that are not in the taxonomy's vocabularies."""
    role = entry.role
    grades = [g.id for g in taxonomy.grades]
    notes = taxonomy.source_notes
    # The vocabularies kept as mappings, listed once per role rather than once per item.
    categories, frequencies = list(taxonomy.duty_categories), list(taxonomy.frequencies)
    areas, kinds = list(taxonomy.decision_right_areas), list(taxonomy.interaction_kinds)
    checks: list[tuple[tuple, str, list[str]]] = [
        (("department",), role.department, list(taxonomy.departments)),
        (("business_area",), role.business_area, list(taxonomy.business_areas)),
        (("grade",), role.grade, grades),
        (("source", "note"), role.source.note, notes),
    ]
    for i, duty in enumerate(role.responsibilities):
        loc = ("responsibilities", i)
        checks.append((loc + ("category",), duty.category, categories))
        if duty.frequency is not None:
            checks.append((loc + ("frequency",), duty.frequency, frequencies))
    for i, quality in enumerate(role.qualities):
        checks.append((("qualities", i, "kind"), quality.kind, taxonomy.quality_kinds))
    for i, requirement in enumerate(role.requirements):
        checks.append((("requirements", i, "kind"), requirement.kind, taxonomy.requirement_kinds))
    for i, right in enumerate(role.rights):
        checks += [(("rights", i, "area"), right.area, areas),
                   (("rights", i, "scope"), right.scope, taxonomy.decision_right_scopes)]
    for i, interaction in enumerate(role.interactions):
        checks += [(("interactions", i, "kind"), interaction.kind, kinds),
                   (("interactions", i, "direction"), interaction.direction,
                    taxonomy.interaction_directions)]
    for field in ("responsibilities", "qualities", "requirements", "rights", "accountabilities",
                  "interactions", "kpis"):
        for i, item in enumerate(getattr(role, field)):
            if item.source is not None:
                checks.append(((field, i, "source"), item.source, notes))
    return [entry.problem(loc, one_of(value, choices))
            for loc, value, choices in checks if value not in choices]


def content_problems(entry: RoleFile, taxonomy: Taxonomy) -> list[Problem]:
    """Time shares over 100 %, too few responsibilities, weekly hours over the limit."""
    role = entry.role
    problems = unknown_value_problems(entry)
    if role.workload.weekly_hours is not None and \
            role.workload.weekly_hours > taxonomy.max_weekly_hours:
        problems.append(entry.problem(
            ("workload", "weekly_hours"),
            f"{role.workload.weekly_hours:g} hours a week is above the taxonomy's limit of "
            f"{taxonomy.max_weekly_hours:g}; check the figure or the role's design", WARNING))
    total = sum(d.time_share for d in role.responsibilities if d.time_share is not None)
    if total > 100:
        problems.append(entry.problem(
            ("responsibilities",),
            f"time shares add up to {total:g} %, over 100 %; lower some time_share values"))
    if not role.responsibilities:
        # a role drafted from a document that lists no duties is kept for review, with a warning
        imported = role.source.note in UNKNOWN_ALLOWED_NOTES
        problems.append(entry.problem(("responsibilities",),
                                      "role has no responsibilities; list at least one",
                                      WARNING if imported else "error"))
    elif len(role.responsibilities) < MIN_DUTIES:
        problems.append(entry.problem(
            ("responsibilities",),
            f"only {len(role.responsibilities)} "
            f"{'responsibility' if len(role.responsibilities) == 1 else 'responsibilities'}; "
            "a complete job description "
            f"lists at least {MIN_DUTIES}", WARNING))
    return problems


def unknown_value_problems(entry: RoleFile) -> list[Problem]:
    """Values left unknown (null) on a role that is not imported: only a role whose
    source.note is one of UNKNOWN_ALLOWED_NOTES may leave a value unknown."""
    role = entry.role
    if role.source.note in UNKNOWN_ALLOWED_NOTES:
        return []
    missing = [("authority", s) for s in AUTHORITY_SCALES if getattr(role.authority, s) is None]
    missing += [("workload", m) for m in WORKLOAD_MEASURES if getattr(role.workload, m) is None]
    missing += [("responsibilities", i, f) for i, d in enumerate(role.responsibilities)
                for f in ("frequency", "time_share", "essential") if getattr(d, f) is None]
    notes = ", ".join(UNKNOWN_ALLOWED_NOTES)
    return [entry.problem(loc, f"value is unknown (null); give it, or mark the role as "
                          f"imported (source.note one of: {notes})") for loc in missing]


def reference_problems(entries: list[RoleFile],
                       taxonomy: Taxonomy | None = None) -> list[Problem]:
    """Ids, reporting lines and references between roles."""
    problems: list[Problem] = []
    by_id: dict[str, RoleFile] = {}
    seen_normal: dict[str, RoleFile] = {}
    for entry in sorted(entries, key=lambda e: e.precedence):
        role, stem = entry.role, entry.stem
        if role.id != stem:
            problems.append(entry.problem(
                ("id",), f"id '{role.id}' differs from the file name '{stem}.yaml'; "
                f"rename the file to '{role.id}.yaml' or change the id"))
        key = normalise_id(role.id)
        if key in seen_normal:
            first = seen_normal[key]
            problems.append(entry.problem(
                ("id",), f"id '{role.id}' duplicates '{first.role.id}' in {first.name} "
                "(ids are compared ignoring case, width and surrounding spaces); "
                "give this role another id"))
            continue
        seen_normal[key] = entry
        by_id[role.id] = entry

    known = list(by_id)

    def missing(entry: RoleFile, loc: tuple, target: str, what: str) -> Problem:
        return entry.problem(loc, f"{what} '{target}', which is not a role in the catalogue"
                             f"{did_you_mean(target, known) or '; add that role or fix the id'}")

    for entry in by_id.values():
        role = entry.role
        if role.reports_to is not None:
            if role.reports_to == role.id:
                problems.append(entry.problem(("reports_to",), "a role cannot report to itself; "
                                              "name its manager or leave reports_to empty"))
            elif role.reports_to not in by_id:
                problems.append(missing(entry, ("reports_to",), role.reports_to, "reports to"))
        for i, target in enumerate(role.dotted_to):
            if target == role.id:
                problems.append(entry.problem(("dotted_to", i), "a role cannot have a dotted "
                                              "line to itself; remove it"))
            elif target not in by_id:
                problems.append(missing(entry, ("dotted_to", i), target, "dotted line to"))
        for i, target in enumerate(role.interaction_targets):
            loc = ("interactions", i, "with")
            if target == role.id:
                problems.append(entry.problem(loc, "a role cannot interact with itself; "
                                              "remove it"))
            elif not target.startswith(EXTERNAL_PREFIX) and target not in by_id:
                problems.append(missing(entry, loc, target, "interaction with"))
        for i, target in enumerate(role.career_next):
            if target not in by_id:
                problems.append(missing(entry, ("career", "next", i), target, "career step to"))
    single_root = taxonomy is None or taxonomy.reporting == "tree"
    problems += structure_problems(by_id, single_root=single_root)
    return problems


def structure_problems(by_id: dict[str, RoleFile], single_root: bool = True) -> list[Problem]:
    """Cycles, several roots in one business area, roles unreachable from a root.

    With single_root=False (taxonomy `reporting: none`) a business area may have any number
    of roots; cycles and unreachable roles are still problems.
    """
    problems: list[Problem] = []
    parent = {rid: e.role.reports_to for rid, e in by_id.items()
              if e.role.reports_to in by_id and e.role.reports_to != rid}
    in_cycle: set[str] = set()
    state: dict[str, int] = {}
    for start in sorted(by_id):
        path: list[str] = []
        node = start
        while node is not None and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = parent.get(node)
        if node is not None and state.get(node) == 1:  # found a new cycle
            cycle = path[path.index(node):]
            first = min(cycle)
            cycle = cycle[cycle.index(first):] + cycle[:cycle.index(first)]
            in_cycle.update(cycle)
            chain = " -> ".join(cycle + [first])
            problems.append(by_id[first].problem(
                ("reports_to",), f"reporting lines form a cycle: {chain}; "
                "change one reports_to to break it"))
        for visited in path:
            state[visited] = 2

    roots_by_area: dict[str, list[str]] = {}
    for rid, entry in sorted(by_id.items()):
        if entry.role.reports_to is None:
            roots_by_area.setdefault(entry.role.business_area, []).append(rid)
    for area, roots in roots_by_area.items():
        if len(roots) > 1 and single_root:
            for rid in roots[1:]:
                problems.append(by_id[rid].problem(
                    ("reports_to",), f"business area '{area}' has {len(roots)} roots "
                    f"({', '.join(roots)}); only one role per area may leave reports_to empty, "
                    "so set reports_to here"))

    children: dict[str, list[str]] = {}
    for child, manager in parent.items():
        children.setdefault(manager, []).append(child)
    reachable: set[str] = set()
    stack = [r for roots in roots_by_area.values() for r in roots]
    while stack:
        node = stack.pop()
        if node not in reachable:
            reachable.add(node)
            stack.extend(children.get(node, []))
    for rid, entry in sorted(by_id.items()):
        dangling = entry.role.reports_to is not None and entry.role.reports_to not in by_id
        if rid not in reachable and rid not in in_cycle and not dangling \
                and entry.role.reports_to != rid:
            problems.append(entry.problem(
                ("reports_to",), "role is not reachable from the root of any business area "
                "(its reporting line ends in a cycle or a missing role); fix the line above it"))
    return problems
