"""Findings: where the catalogue's responsibilities collide, are missing, or where authority
or workload does not add up.

Every check is a rule of one registry, RULES: a function registered with
`@rule(id, kind, *severities)` that reads a FindingContext and yields Findings, with a
docstring that says what it checks (`python -m jdcore findings --rules` prints them).
`find_findings` builds ONE context for the catalogue (the titles, the roles and metrics
indexed by role id, the vocabularies, the duty matching, the derived tables: each computed
on first use and then shared by every rule) and runs every rule on it. The result is one row
per finding (FINDING_COLUMNS):

- id: stable and readable (kind/rule/role ids...), the same on every run of the same files;
- severity: "error" (the figures cannot all be true), "warning" (probably wrong: check it),
  "info" (worth a look; may well be by design);
- kind: overlap | gap | authority | workload (KINDS);
- title: one plain-English sentence; explanation: why it matters and what to check;
- roles: the ids of the roles involved, joined by ";";
- page: the app page that shows it, as a relative URL with its query string
  (jdcore.navigation.page_url).

The rules, by kind:
- overlap: two roles in different departments of one business area hold the same duty;
- gap: duty categories no role of a business area, or of a department with a head, holds;
- authority: a role with more authority than its manager; a duty that needs a decision
  right its role does not have;
- workload: time shares that do not add up, long weekly hours, a span of control out of
  range, work distributed to reports who are already busy.

The rules decide what is found and how severe it is; the `_say_*` functions at the end write
the sentences (with jdcore.model.wording for lists, counts and quotes).
`overlap_findings`, `gap_findings`, `authority_findings` and `workload_findings` run the rules
of one kind.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..model.catalogue import Catalogue
from ..model.labels import role_labels, vocabulary
from ..model.metrics import CHAIN_SEPARATOR
from ..model.wording import counted, join_listing, join_words, quote
from ..navigation import PAGES_BY_KEY, page_target, page_url
from .matching import SHARED_THRESHOLD, DutyIndex, Neighbours, neighbour_search, normalise

FINDING_COLUMNS = ["id", "severity", "kind", "title", "roles", "explanation", "page"]
SEVERITIES = ("error", "warning", "info")
KINDS = {"overlap": "Overlaps", "gap": "Gaps",
         "authority": "Authority", "workload": "Workload"}
ROLE_SEPARATOR = ";"

OVERLAP_THRESHOLD = 0.6
OVERLAP_WARNING = 0.7
OVERLAP_NEIGHBOURS = 5
OVERLAP_PARTNERS = 3
AREA_ESSENTIAL_CATEGORIES = ("health-safety",)
HEAD_GRADE = "head-of-department"
HEAD_CATEGORIES = ("strategy-planning", "reporting-control")
MANAGED_CATEGORY = "people-management"
LEAD_WORDS = 3
TIME_SHARE_FLOOR = 80.0
HIGH_WORKLOAD = 60.0


@dataclass(frozen=True)
class Finding:
    id: str
    severity: str
    kind: str
    title: str
    roles: tuple[str, ...]
    explanation: str
    page: str

    def row(self) -> dict:
        return {"id": self.id, "severity": self.severity, "kind": self.kind,
                "title": self.title, "roles": ROLE_SEPARATOR.join(self.roles),
                "explanation": self.explanation, "page": self.page}


# --- The registry -------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """One check: `check(context)` yields its findings, all of `kind` and of one of
    `severities`; the check's docstring says what it looks for.

    `scope` says what a finding depends on, so that a what-if scenario
    (jdcore.analysis.scenario) recomputes only what a change can reach: "role" (the third
    part of its id is a role; it reads only that role's own rows and figures, its manager's
    and its direct reports', and total_reports only through the authority index), "area"
    (the third part is a business area; it reads only the roles of that area) or
    "catalogue" (anything: always recomputed whole, the default)."""

    id: str
    kind: str
    severities: tuple[str, ...]
    check: Callable[[FindingContext], Iterable[Finding]]
    scope: str = "catalogue"

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.check) or ""

    @property
    def summary(self) -> str:
        """The docstring's first paragraph, on one line."""
        return " ".join(self.doc.split("\n\n")[0].split())


RULES: list[Rule] = []  # in the order they run


RULE_SCOPES = ("role", "area", "pair", "catalogue")


def rule(rule_id: str, kind: str, *severities: str, scope: str = "catalogue"):
    """Register the decorated function as the rule `rule_id` (see Rule)."""
    if kind not in KINDS or not severities or not set(severities) <= set(SEVERITIES) \
            or scope not in RULE_SCOPES:
        raise ValueError(f"rule {rule_id!r}: kind {kind!r}, severities {severities!r} or "
                         f"scope {scope!r} not among {list(KINDS)}, {SEVERITIES} and "
                         f"{RULE_SCOPES}")
    if any(r.id == rule_id for r in RULES):
        raise ValueError(f"rule {rule_id!r} is registered twice")

    def register(check: Callable[[FindingContext], Iterable[Finding]]):
        RULES.append(Rule(rule_id, kind, tuple(severities), check, scope))
        return check

    return register


def run_rules(context: FindingContext, kind: str | None = None) -> list[Finding]:
    """The findings of every registered rule (or of those of one kind), in rule order."""
    return [finding for r in RULES if kind in (None, r.kind) for finding in r.check(context)]


# --- Duty text rules ---------------------------------------------------------------------

def _stems(words: str) -> frozenset[str]:
    return frozenset(normalise(words).split())


@dataclass(frozen=True)
class DutyRule:
    """Duty text that names an act: a verb (among the first `lead` words, or anywhere when
    `lead` is None) and an object, both compared as normalised stems."""

    verbs: frozenset[str]
    objects: frozenset[str]
    lead: int | None = LEAD_WORDS

    @classmethod
    def of(cls, verbs: str, objects: str, lead: int | None = LEAD_WORDS) -> DutyRule:
        return cls(_stems(verbs), _stems(objects), lead)

    def matches(self, text: str) -> bool:
        return self.matches_words(normalise(text).split())

    def matches_words(self, words: list[str]) -> bool:
        """`matches` for a text already normalised and split into words."""
        leading = words if self.lead is None else words[:self.lead]
        return bool(self.verbs.intersection(leading)) and bool(self.objects.intersection(words))


@dataclass(frozen=True)
class DecisionRule:
    area: str
    minimum: str
    rule: DutyRule
    what: str  # what the duty does, for the finding's sentence


DECISION_RULES = (
    DecisionRule("budget", "approve", DutyRule.of(
        "approve approves authorise authorize sanction",
        "budget budgets bonus bonuses overtime pay payment payments spend spending "
        "expenditure expenditures"), "approves spending"),
    DecisionRule("contracts", "approve", DutyRule.of(
        "sign signs conclude concludes approve approves", "contract contracts agreement"),
        "signs or approves contracts"),
    DecisionRule("staffing", "recommend", DutyRule.of(
        "hire hires hiring recruit recruits dismiss dismissal dismisses appoint appoints "
        "employ employs",
        "staff personnel employee employees worker workers manager managers specialist "
        "specialists director candidate candidates people"), "decides on staff"),
    DecisionRule("pricing", "approve", DutyRule.of(
        "set sets approve approves grant grants", "price prices pricing discount discounts"),
        "sets prices or discounts"),
)
DISTRIBUTION_RULE = DutyRule.of(
    "distribute distributes allocate allocates assign assigns delegate delegates",
    "workload task tasks responsibility responsibilities work duty duties", lead=None)


def decision_rules_for(text: str) -> list[DecisionRule]:
    """The decision-right rules a duty's text calls for (see DECISION_RULES)."""
    words = normalise(text).split()  # once for every rule: a large catalogue has 250,000 duties
    return [decision for decision in DECISION_RULES if decision.rule.matches_words(words)]


# --- The shared context -------------------------------------------------------------------

class Overlaps(NamedTuple):
    closest: pd.DataFrame            # the closest pair of duties of each pair of roles
    listed: pd.DataFrame             # the rows of `closest` that are findings
    counts: dict[tuple[str, str], int]  # (role, other role) -> pairs of duties


class FindingContext:
    """What the rules read, for one catalogue. Each look-up and derived table is computed on
    its first use and then kept, so a run of every rule builds each of them once. `index`
    (jdcore.analysis.matching.fit_duty_index(catalogue.duties)) is read by the overlap
    rules only; so are `neighbours`, a neighbour search of that index with
    OVERLAP_NEIGHBOURS and OVERLAP_THRESHOLD (e.g. one kept up to date after an edit with
    matching.neighbours_after_edit), searched here when not given."""

    def __init__(self, catalogue: Catalogue, index: DutyIndex | None = None,
                 neighbours: Neighbours | None = None):
        self.catalogue = catalogue
        self.taxonomy = catalogue.taxonomy
        self.index = index if index is not None or neighbours is None else neighbours.index
        self.neighbours = neighbours

    # one row per role id
    @cached_property
    def role_rows(self) -> pd.DataFrame:
        return self.catalogue.roles.drop_duplicates("role_id")

    @cached_property
    def roles(self) -> pd.DataFrame:
        return self.role_rows.set_index("role_id")

    @cached_property
    def metrics(self) -> pd.DataFrame:
        return self.catalogue.metrics.drop_duplicates("role_id").set_index("role_id")

    # names
    @cached_property
    def titles(self) -> dict[str, str]:
        return role_labels(self.catalogue.roles)

    @cached_property
    def vocabularies(self) -> dict[str, dict[str, str]]:
        """Taxonomy vocabulary (departments, business_areas...) -> {id: display name}."""
        return {name: vocabulary(self.taxonomy, name) for name in
                ("departments", "business_areas", "duty_categories", "decision_right_areas")}

    @cached_property
    def duty_texts(self) -> dict[tuple[str, int], str]:
        """(role id, duty number) -> the duty's text."""
        duties = self.catalogue.duties
        return dict(zip(zip(duties["role_id"], duties["duty_no"]), duties["text"]))

    def title(self, role_id: str) -> str:
        return self.titles.get(role_id, role_id)

    def name(self, vocabulary_name: str, item: str) -> str:
        """The display name of an id of a taxonomy vocabulary (an unknown id names itself)."""
        return self.vocabularies[vocabulary_name].get(item, item)

    @cached_property
    def role_departments(self) -> dict[str, str]:
        """role id -> the name of its department."""
        return {r: self.name("departments", d) for r, d in self.roles["department"].items()}

    @cached_property
    def role_areas(self) -> dict[str, str]:
        """role id -> the name of its business area."""
        return {r: self.name("business_areas", a) for r, a in self.roles["business_area"].items()}

    def department_of(self, role_id: str) -> str:
        return self.role_departments.get(role_id, "")

    def area_of(self, role_id: str) -> str:
        return self.role_areas.get(role_id, "")

    # links to the app's pages
    def compare_page(self, *role_ids: str) -> str:
        return page_url("compare", [("roles", self.title(r)) for r in role_ids])

    def catalogue_page(self, role_id: str) -> str:
        return page_url("catalogue", [("role", self.title(role_id))])

    def authority_page(self, role_id: str) -> str:
        return page_url("authority", [("role", self.title(role_id))])

    def reporting_page(self, role_id: str) -> str:
        return page_url("reporting", [("area", self.area_of(role_id)),
                                      ("role", self.title(role_id))])

    def duties_page(self, area: str | None = None, department: str | None = None) -> str:
        """The Duties page, filtered by business area and department (ids)."""
        params = [("area", self.name("business_areas", area))] if area else []
        if department:
            params.append(("dept", self.name("departments", department)))
        return page_url("duties", params)

    # derived tables (DataFrames; overlaps: Overlaps), built by the functions of each kind's
    # section below
    overlap_pairs = cached_property(lambda self: _overlap_pairs(self, OVERLAP_THRESHOLD))
    overlaps = cached_property(lambda self: _overlaps(self))
    area_gaps = cached_property(lambda self: _area_gaps(self))
    department_gaps = cached_property(lambda self: _department_gaps(self))
    authority_inversions = cached_property(lambda self: _authority_inversions(self))
    missing_decision_rights = cached_property(lambda self: _missing_decision_rights(self))
    team_workload = cached_property(lambda self: _team_workload(self))


# --- Overlap ------------------------------------------------------------------------------

def overlap_pairs(catalogue: Catalogue, index: DutyIndex,
                  threshold: float = OVERLAP_THRESHOLD) -> pd.DataFrame:
    """Pairs of duties that may be duplicated accountability (see `overlapping_duties`):
    role_id < other_role_id, duty_no, other_duty_no, similarity; closest first."""
    return _overlap_pairs(FindingContext(catalogue, index), threshold)


def _overlap_pairs(ctx: FindingContext, threshold: float) -> pd.DataFrame:
    columns = ["role_id", "duty_no", "other_role_id", "other_duty_no", "similarity"]
    graph = ctx.neighbours
    if (graph is None or graph.k != OVERLAP_NEIGHBOURS or graph.threshold != threshold
            or not graph.other_roles_only):
        graph = neighbour_search(ctx.index, k=OVERLAP_NEIGHBOURS, threshold=threshold)
    catalogue, roles = ctx.catalogue, ctx.roles
    # same business area, different departments: compared as numbers per matrix row, so
    # only the pairs that pass become a table
    row_roles = graph.index.keys["role_id"]
    known = row_roles.isin(roles.index).to_numpy()
    area = pd.factorize(row_roles.map(roles["business_area"]))[0]
    department = pd.factorize(row_roles.map(roles["department"]))[0]
    rows, cols = graph.rows, graph.cols
    near = graph.table(known[rows] & known[cols] & (area[rows] == area[cols])
                       & (department[rows] != department[cols]))
    if near.empty:
        return pd.DataFrame(columns=columns)
    # each unordered pair once
    swap = near["role_id"] > near["other_role_id"]
    near = near.assign(
        role_id=near["role_id"].where(~swap, near["other_role_id"]),
        other_role_id=near["other_role_id"].where(~swap, near["role_id"]),
        duty_no=near["duty_no"].where(~swap, near["other_duty_no"]),
        other_duty_no=near["other_duty_no"].where(~swap, near["duty_no"]),
    )[columns].drop_duplicates(["role_id", "duty_no", "other_role_id", "other_duty_no"])
    # the duties of the pairs only; normalise only what can start with "report": no synonym
    # or form makes it up
    duties = catalogue.duties.drop_duplicates(["role_id", "duty_no"])
    paired = pd.MultiIndex.from_arrays([
        pd.concat([near["role_id"], near["other_role_id"]], ignore_index=True),
        pd.concat([near["duty_no"], near["other_duty_no"]], ignore_index=True)]).unique()
    duties = duties[pd.MultiIndex.from_frame(duties[["role_id", "duty_no"]]).isin(paired)]
    duties = duties[duties["text"].str.contains("report", case=False, regex=False)]
    upward = {(r, n) for r, n, text in zip(duties["role_id"], duties["duty_no"],
                                           duties["text"]) if _reports_upward(text)}
    chains = {r: set(c.split(CHAIN_SEPARATOR)) for r, c in zip(
        catalogue.metrics["role_id"], catalogue.metrics["chain_of_command"])
        if isinstance(c, str)}
    keep = np.array([(r, n) not in upward and (o, m) not in upward
            and o not in chains.get(r, ()) and r not in chains.get(o, ())
            for r, n, o, m in zip(near["role_id"], near["duty_no"], near["other_role_id"],
                                  near["other_duty_no"])], dtype=bool)
    return (near[keep].sort_values(["similarity", "role_id", "other_role_id", "duty_no",
                                    "other_duty_no"],
                                   ascending=[False, True, True, True, True])
            .reset_index(drop=True))


def _reports_upward(text: str) -> bool:
    return normalise(text).startswith("report")


def _overlaps(ctx: FindingContext) -> Overlaps:
    pairs = ctx.overlap_pairs
    closest = pairs.drop_duplicates(["role_id", "other_role_id"])  # closest pair first
    return Overlaps(closest, closest_partners(closest, OVERLAP_PARTNERS),
                    pairs.groupby(["role_id", "other_role_id"]).size().to_dict())


def closest_partners(best: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The pairs of roles (rows of `best`, closest first) that are among the `limit` closest
    of either of their two roles."""
    number = np.arange(len(best))
    sides = pd.DataFrame({"pair": np.concatenate([number, number]),
                          "role": np.concatenate([best["role_id"].to_numpy(),
                                                  best["other_role_id"].to_numpy()])})
    sides = sides.sort_values("pair", kind="stable")
    close = sides.loc[sides.groupby("role").cumcount() < limit, "pair"].unique()
    return best.iloc[np.sort(close)]


@rule("overlap/pairs", "overlap", "warning", "info", scope="pair")
def overlapping_duties(ctx: FindingContext) -> Iterator[Finding]:
    """Two roles in different departments of one business area hold the same duty.

    Pairs of duties are matched with jdcore.analysis.matching.nearest_duties (at most
    OVERLAP_NEIGHBOURS neighbours per duty) and kept from OVERLAP_THRESHOLD (0.6) up: stricter
    than the matcher's SIMILAR_THRESHOLD 0.25, which is right for a side-by-side comparison
    but far too loose for a list of problems. Only pairs that could be duplicated
    accountability count:
    - both roles in the same business area (two companies each need their own accountant)
      and in different departments (within a department, shared work is the manager's to
      divide);
    - neither role in the other's chain of command (the same work at two levels is
      delegation: one prepares, the other approves);
    - neither duty a plain upward report ("Report ... to the general director"): every head
      reports to the same director, which is the reporting structure, not a shared duty.
    On the embedded catalogue, pairs from 0.6 up name the same piece of work (comparing
    actual costs with the estimate, supplier delivery contracts, stocktakes, acceptance of
    completed stages); pairs between 0.5 and 0.6 mostly share words about different objects
    (customer receivables vs supplier payables, drawing up a plan vs working to it).

    One finding per pair of roles (id overlap/<role>/<other role>) names its closest pair of
    duties and counts the others; warning from OVERLAP_WARNING (0.7), else info. A role takes
    part in the findings of its OVERLAP_PARTNERS (3) closest roles at most (a pair is listed
    when it is among the closest of either role); overlap/more counts the pairs left out. On
    a large catalogue the neighbours come from the approximate search
    (jdcore.analysis.matching), which may miss a few.
    """
    overlaps = ctx.overlaps
    for role, number, other, other_number, similarity in overlaps.listed[
            ["role_id", "duty_no", "other_role_id", "other_duty_no", "similarity"]].itertuples(
            index=False):
        similarity = float(similarity)
        title, explanation = _say_overlap(ctx, (role, number), (other, other_number),
                                          similarity, overlaps.counts[(role, other)] - 1)
        yield Finding(f"overlap/{role}/{other}",
                      "warning" if similarity >= OVERLAP_WARNING else "info", "overlap",
                      title, (role, other), explanation, ctx.compare_page(role, other))


@rule("overlap/more", "overlap", "info")
def overlaps_left_out(ctx: FindingContext) -> Iterator[Finding]:
    """How many overlapping pairs of roles overlap/pairs leaves out.

    Each role's overlaps are listed with its OVERLAP_PARTNERS closest roles only, since a
    catalogue written from templates can hold thousands of them; one finding (id
    overlap/more; info) counts the rest and points to the Duties page.
    """
    more = len(ctx.overlaps.closest) - len(ctx.overlaps.listed)
    if more > 0:
        title, explanation = _say_overlaps_left_out(more)
        yield Finding("overlap/more", "info", "overlap", title, (), explanation,
                      ctx.duties_page())


# --- Gaps ---------------------------------------------------------------------------------

def area_gaps(catalogue: Catalogue) -> pd.DataFrame:
    """Per business area: the taxonomy's duty categories no role of the area holds.
    Columns: business_area, missing (list of category ids, in taxonomy order)."""
    return FindingContext(catalogue).area_gaps


def _area_gaps(ctx: FindingContext) -> pd.DataFrame:
    catalogue = ctx.catalogue
    categories = list(ctx.taxonomy.duty_categories)
    duties = catalogue.duties.merge(catalogue.roles[["role_id", "business_area"]], on="role_id")
    held = duties.groupby("business_area")["category"].agg(set)
    rows = [{"business_area": area,
             "missing": [c for c in categories if c not in held.get(area, set())]}
            for area in sorted(catalogue.roles["business_area"].unique())]
    return pd.DataFrame([r for r in rows if r["missing"]], columns=["business_area", "missing"])


def department_gaps(catalogue: Catalogue) -> pd.DataFrame:
    """Per department (within a business area) that has a head: the expected categories
    (HEAD_CATEGORIES, and people management when it has more positions than its heads) that
    none of its roles holds. Columns: business_area, department, heads (list), missing."""
    return FindingContext(catalogue).department_gaps


def _department_gaps(ctx: FindingContext) -> pd.DataFrame:
    catalogue = ctx.catalogue
    rows = []
    for (area, department), group in catalogue.roles.groupby(["business_area", "department"]):
        heads = sorted(group.loc[group["grade"] == HEAD_GRADE, "role_id"])
        if not heads:
            continue
        expected = list(HEAD_CATEGORIES)
        if group["headcount"].sum() > group.loc[group["grade"] == HEAD_GRADE,
                                                "headcount"].sum():
            expected.append(MANAGED_CATEGORY)
        held = set(catalogue.duties.loc[catalogue.duties["role_id"].isin(group["role_id"]),
                                        "category"])
        missing = [c for c in expected if c not in held]
        if missing:
            rows.append({"business_area": area, "department": department, "heads": heads,
                         "missing": missing})
    return pd.DataFrame(rows, columns=["business_area", "department", "heads", "missing"])


@rule("gap/area", "gap", "warning", "info", scope="area")
def uncovered_categories(ctx: FindingContext) -> Iterator[Finding]:
    """Duty categories of the taxonomy that no role of a business area holds.

    One finding per area (id gap/area/<area>), naming its top role(s): the roles that report
    to no role of the catalogue. Info, or warning when a category every employer needs
    (AREA_ESSENTIAL_CATEGORIES: health and safety) is among them.
    """
    roles = ctx.catalogue.roles
    roots = roles[~roles["reports_to"].apply(
        lambda m: isinstance(m, str) and m in ctx.roles.index)]
    for area, missing in zip(*ctx.area_gaps.to_dict("list").values()):
        top = sorted(roots.loc[roots["business_area"] == area, "role_id"])
        essential = [c for c in missing if c in AREA_ESSENTIAL_CATEGORIES]
        title, explanation = _say_area_gap(ctx, area, missing, essential)
        yield Finding(f"gap/area/{area}", "warning" if essential else "info", "gap", title,
                      tuple(top), explanation, ctx.duties_page(area))


@rule("gap/department", "gap", "info", scope="area")
def department_without_basics(ctx: FindingContext) -> Iterator[Finding]:
    """A department with a head whose roles together do not plan, report or manage.

    Per department with a head (a role of grade HEAD_GRADE), within a business area: its
    roles together should cover HEAD_CATEGORIES (planning its work, reporting on it) and,
    when the department has more positions than its heads, people management
    (MANAGED_CATEGORY). One finding per department (id gap/department/<area>/<department>;
    info) names its heads. Other categories are not expected of every department (a logistics
    department without advertising is normal).
    """
    for area, department, heads, missing in zip(*ctx.department_gaps.to_dict("list").values()):
        title, explanation = _say_department_gap(ctx, area, department, heads, missing)
        yield Finding(f"gap/department/{area}/{department}", "info", "gap", title,
                      tuple(heads), explanation, ctx.duties_page(area, department))


# --- Authority vs hierarchy ---------------------------------------------------------------

AUTHORITY_PART_NAMES = {
    "freedom_to_make_decisions": "freedom to make decisions",
    "impact_of_decisions": "impact of decisions",
    "responsibility_for_outcomes": "responsibility for outcomes",
    "frequency_of_decisions": "frequency of decisions",
    "decision_rights": "decision rights", "span": "people below the role",
}


def authority_inversions(catalogue: Catalogue) -> pd.DataFrame:
    """Roles with a higher authority index than their (solid-line) manager.
    Columns: role_id, manager_id, authority_index, manager_authority_index."""
    return FindingContext(catalogue).authority_inversions


def _authority_inversions(ctx: FindingContext) -> pd.DataFrame:
    metrics = ctx.metrics["authority_index"]
    roles = ctx.catalogue.roles
    lines = roles[roles["reports_to"].isin(metrics.index)
                  & (roles["reports_to"] != roles["role_id"])]
    table = pd.DataFrame({"role_id": lines["role_id"], "manager_id": lines["reports_to"],
                          "authority_index": lines["role_id"].map(metrics).astype(float),
                          "manager_authority_index":
                              lines["reports_to"].map(metrics).astype(float)})
    return table[table["authority_index"] > table["manager_authority_index"]].reset_index(
        drop=True)


def missing_decision_rights(catalogue: Catalogue) -> pd.DataFrame:
    """Duties that need a decision right the role does not have (DECISION_RULES).
    Columns: role_id, duty_no, text, area, minimum, scope (the role's best scope), what."""
    return FindingContext(catalogue).missing_decision_rights


def _missing_decision_rights(ctx: FindingContext) -> pd.DataFrame:
    catalogue = ctx.catalogue
    scopes = list(ctx.taxonomy.decision_right_scopes)
    level = {s: i for i, s in enumerate(scopes)}
    rights = catalogue.rights.dropna(subset=["scope_level"])
    best = rights.groupby(["role_id", "area"])["scope_level"].max()
    rows = []
    duties = catalogue.duties.iloc[_may_need_decision_rights(ctx)]
    for role, number, text in zip(duties["role_id"], duties["duty_no"], duties["text"]):
        for decision in decision_rules_for(text):
            if decision.area not in ctx.taxonomy.decision_right_areas:
                continue
            have = int(best.get((role, decision.area), 0))
            if have < level.get(decision.minimum, 0):
                rows.append({"role_id": role, "duty_no": number, "text": text,
                             "area": decision.area, "minimum": decision.minimum,
                             "scope": scopes[have] if have < len(scopes) else str(have),
                             "what": decision.what})
    return pd.DataFrame(rows, columns=["role_id", "duty_no", "text", "area", "minimum",
                                       "scope", "what"])


def _may_need_decision_rights(ctx: FindingContext) -> np.ndarray:
    """Positions in catalogue.duties of the duties a decision rule may match: all of them,
    or, when the context's duty index holds these duties in their order, those whose words
    (the index's columns, the same normalised stems) hold a verb and an object of one rule
    and those vectorised after the fit (matching.replace_roles), so a large catalogue
    normalises only those again."""
    duties, index = ctx.catalogue.duties, ctx.index
    every = np.arange(len(duties))
    if (index is None or len(index.keys) != len(duties)
            or not (index.keys["role_id"].to_numpy() == duties["role_id"].to_numpy()).all()
            or not (index.keys["duty_no"].to_numpy() == duties["duty_no"].to_numpy()).all()):
        return every
    vocabulary = index.vectorizer.vocabulary_
    present = index.matrix.tocsc()
    may = np.zeros(len(duties), dtype=bool)

    def holding(stems) -> np.ndarray:
        columns = [vocabulary[w] for w in stems if w in vocabulary]
        rows = np.zeros(len(duties), dtype=bool)
        for column in columns:
            rows[present.indices[present.indptr[column]:present.indptr[column + 1]]] = True
        return rows

    for decision in DECISION_RULES:
        may |= holding(decision.rule.verbs) & holding(decision.rule.objects)
    if index.replaced is not None:  # vectorised after the fit: words may be missing
        may |= index.replaced
    return every[may]


@rule("authority/above-manager", "authority", "warning", scope="role")
def authority_above_manager(ctx: FindingContext) -> Iterator[Finding]:
    """A role whose authority index is higher than that of the role it reports to.

    Solid reporting lines only; warning (id authority/above-manager/<role>). The parts of the
    index (AUTHORITY_PART_NAMES) on which the role is ahead of its manager are named.
    """
    metrics = ctx.metrics
    for role, manager, own, theirs in zip(*ctx.authority_inversions.to_dict("list").values()):
        ahead = []
        for part, name in AUTHORITY_PART_NAMES.items():
            column = f"authority_{part}"
            if column in metrics.columns:
                mine, boss = metrics.at[role, column], metrics.at[manager, column]
                if pd.notna(mine) and pd.notna(boss) and mine > boss:
                    ahead.append((name, mine, boss))
        title, explanation = _say_above_manager(ctx, role, manager, own, theirs, ahead)
        explanation += _say_unknown_parts(ctx, (role, manager), "authority")
        yield Finding(f"authority/above-manager/{role}", "warning", "authority", title,
                      (role, manager), explanation, ctx.compare_page(role, manager))


@rule("authority/decision-right", "authority", "warning", scope="role")
def duty_without_decision_right(ctx: FindingContext) -> Iterator[Finding]:
    """A duty that needs a decision right the role does not have (DECISION_RULES).

    The duty's normalised text (jdcore.analysis.matching.normalise) has one of the rule's
    verbs among its first LEAD_WORDS words and one of its objects anywhere, and the role's
    highest scope in the rule's decision-right area is below the rule's minimum (an area not
    listed counts as "none"); warning (id authority/decision-right/<role>/<duty no>/<area>).
    The verb must lead because a job-description duty starts with what the holder does: a
    verb further on is usually someone else's act ("check contracts before signing" does not
    sign them).

      | verbs                            | objects                         | right     | at least  |
      |----------------------------------|---------------------------------|-----------|-----------|
      | approve, authorise, sanction     | budget, bonus, overtime, pay... | budget    | approve   |
      | sign, conclude, approve          | contract, agreement             | contracts | approve   |
      | hire, recruit, dismiss, appoint  | staff, worker, manager...       | staffing  | recommend |
      | set, approve, grant              | price, discount                 | pricing   | approve   |
    """
    for row in ctx.missing_decision_rights.itertuples(index=False):
        title, explanation = _say_decision_right(ctx, row)
        yield Finding(f"authority/decision-right/{row.role_id}/{row.duty_no}/{row.area}",
                      "warning", "authority", title, (row.role_id,), explanation,
                      ctx.catalogue_page(row.role_id))


# --- Workload arithmetic ------------------------------------------------------------------

def team_workload(catalogue: Catalogue) -> pd.DataFrame:
    """Delegated workload rolled up to each manager (solid lines): the headcount-weighted mean
    workload index of the direct reports. Columns: manager_id, positions (headcount of the
    direct reports), team_workload, busiest_id, busiest_workload."""
    return FindingContext(catalogue).team_workload


def _team_workload(ctx: FindingContext) -> pd.DataFrame:
    roles = ctx.role_rows
    workload = ctx.metrics["workload_index"]
    lines = roles[roles["reports_to"].isin(set(roles["role_id"]))
                  & (roles["reports_to"] != roles["role_id"])]
    lines = lines.assign(workload=lines["role_id"].map(workload).astype(float)).dropna(
        subset=["workload"])
    columns = ["manager_id", "positions", "team_workload", "busiest_id", "busiest_workload"]
    if lines.empty:
        return pd.DataFrame(columns=columns)
    lines = lines.assign(weight=lines["headcount"].astype(float))
    lines = lines.assign(weighted=lines["workload"] * lines["weight"])
    teams = lines.groupby("reports_to").agg(positions=("weight", "sum"),
                                            weighted=("weighted", "sum"))
    busiest = (lines.sort_values(["reports_to", "workload", "role_id"],
                                 ascending=[True, False, True])
               .drop_duplicates("reports_to").set_index("reports_to"))
    return pd.DataFrame({
        "manager_id": teams.index.to_numpy(),
        "positions": teams["positions"].astype(int).to_numpy(),
        "team_workload": (teams["weighted"] / teams["positions"]).round(1).to_numpy(),
        "busiest_id": busiest["role_id"].reindex(teams.index).to_numpy(),
        "busiest_workload": busiest["workload"].reindex(teams.index).astype(float).to_numpy(),
    }, columns=columns)


@rule("workload/time-share", "workload", "error", "warning", scope="role")
def time_shares_off(ctx: FindingContext) -> Iterator[Finding]:
    """A role's duties whose time shares do not add up to about 100 %.

    More than 100 % is an error (more than all of the time); less than TIME_SHARE_FLOOR
    (80 %: a fifth of the job unaccounted) is a warning. Id workload/time-share/<role>.
    """
    duties = ctx.catalogue.duties
    shares = duties.groupby("role_id")["time_share"].sum()
    # a role with a duty of unknown time share (an imported role): a shortfall rests on
    # unknown values, so only a known total over 100 % is said
    unknown = set(duties.loc[duties["time_share"].isna(), "role_id"])
    for role in ctx.roles.index:
        total = float(shares.get(role, 0.0))
        if role in unknown and total <= 100:
            continue
        if total > 100 or total < TIME_SHARE_FLOOR:
            title, explanation = _say_time_share(ctx, role, total)
            yield Finding(f"workload/time-share/{role}", "error" if total > 100 else "warning",
                          "workload", title, (role,), explanation, ctx.catalogue_page(role))


@rule("workload/hours", "workload", "warning", scope="role")
def long_hours(ctx: FindingContext) -> Iterator[Finding]:
    """Weekly hours above the taxonomy's max_weekly_hours.

    One finding per role (id workload/hours/<role>; warning).
    """
    limit = ctx.taxonomy.max_weekly_hours
    workload = ctx.catalogue.workload
    hours = workload[workload["measure"] == "weekly_hours"]
    for role, value in zip(hours["role_id"], hours["value"]):
        if role in ctx.roles.index and value > limit:
            title, explanation = _say_long_hours(ctx, role, value, limit)
            yield Finding(f"workload/hours/{role}", "warning", "workload", title, (role,),
                          explanation, ctx.authority_page(role))


@rule("workload/span", "workload", "warning", "info", scope="role")
def span_out_of_range(ctx: FindingContext) -> Iterator[Finding]:
    """A span of control outside the taxonomy's range (metrics.span_flag).

    "over" is a warning, "under" is info (a thin layer may be a choice); id
    workload/span/<role>. Roles of the top grade of the ladder (a board: a collective body
    that appoints one director) are not checked.
    """
    grades = ctx.taxonomy.grades
    top_level = min((g.level for g in grades), default=None)
    top_grades = {g.id for g in grades if g.level == top_level}
    metrics = ctx.catalogue.metrics
    for role, flag, value, direct in zip(metrics["role_id"], metrics["span_flag"],
                                         metrics["span_of_control"], metrics["direct_reports"]):
        if (flag not in ("over", "under") or role not in ctx.roles.index
                or ctx.roles.at[role, "grade"] in top_grades):
            continue
        headcount = int(ctx.roles.at[role, "headcount"])
        title, explanation = _say_span(ctx, role, flag, int(direct), headcount, value)
        yield Finding(f"workload/span/{role}", "warning" if flag == "over" else "info",
                      "workload", title, (role,), explanation, ctx.reporting_page(role))


@rule("workload/delegation", "workload", "warning", scope="role")
def work_passed_to_busy_reports(ctx: FindingContext) -> Iterator[Finding]:
    """A manager who passes work to reports who are already busy.

    Team workload is the headcount-weighted mean workload index of a manager's direct
    reports (`team_workload`). A manager with a duty that distributes work
    (DISTRIBUTION_RULE: distribute / assign / allocate / delegate + workload / tasks /
    responsibilities, anywhere in the duty) whose direct reports include a role with
    workload index >= HIGH_WORKLOAD (60: the busiest 7 of the 24 roles of the embedded
    catalogue) is told so: the work is passed to people who are already busy. A manager
    whose span is "over" while the team workload is >= HIGH_WORKLOAD is told too: too many
    busy people for one manager. Warning; id workload/delegation/<manager>.
    """
    teams = ctx.team_workload.set_index("manager_id")
    workload = ctx.metrics["workload_index"]
    roles = ctx.role_rows
    reports = (roles[roles["reports_to"].isin(teams.index)]
               .groupby("reports_to")["role_id"].agg(list))
    duties = ctx.catalogue.duties
    duties = duties[duties["role_id"].isin(teams.index)]  # managers' only
    distributing = (duties[duties["text"].map(DISTRIBUTION_RULE.matches).astype(bool)]
                    .groupby("role_id")["text"].first())
    for manager, team in teams.iterrows():
        duty = distributing.get(manager)
        busy = sorted((r for r in reports.get(manager, []) if workload.get(r, 0) >= HIGH_WORKLOAD),
                      key=lambda r: (-workload[r], r))
        over = (ctx.metrics.at[manager, "span_flag"] == "over"
                if manager in ctx.metrics.index else False)
        if duty is not None and busy:
            title, explanation = _say_delegated_to_busy(ctx, manager, team, duty, busy)
            yield Finding(f"workload/delegation/{manager}", "warning", "workload", title,
                          (manager, *busy), explanation, ctx.compare_page(manager, *busy))
        elif over and team["team_workload"] >= HIGH_WORKLOAD:
            title, explanation = _say_stretched_manager(ctx, manager, team)
            yield Finding(f"workload/delegation/{manager}", "warning", "workload", title,
                          (manager,), explanation, ctx.reporting_page(manager))


# --- Running the rules --------------------------------------------------------------------

def overlap_findings(catalogue: Catalogue, index: DutyIndex) -> list[Finding]:
    """The findings of the overlap rules."""
    return run_rules(FindingContext(catalogue, index), "overlap")


def gap_findings(catalogue: Catalogue) -> list[Finding]:
    """The findings of the gap rules."""
    return run_rules(FindingContext(catalogue), "gap")


def authority_findings(catalogue: Catalogue) -> list[Finding]:
    """The findings of the authority rules."""
    return run_rules(FindingContext(catalogue), "authority")


def workload_findings(catalogue: Catalogue) -> list[Finding]:
    """The findings of the workload rules."""
    return run_rules(FindingContext(catalogue), "workload")


def empty_findings() -> pd.DataFrame:
    return pd.DataFrame(columns=FINDING_COLUMNS)


def find_findings(catalogue: Catalogue, index: DutyIndex | None,
                  neighbours: Neighbours | None = None) -> pd.DataFrame:
    """Every finding of the catalogue: errors first, then warnings, then info; by kind, id.
    `index` is jdcore.analysis.matching.fit_duty_index(catalogue.duties); `neighbours`, when
    given, a search of an index of these duties (see FindingContext), whose index is then
    used."""
    if catalogue.taxonomy is None or catalogue.roles.empty:
        return empty_findings()
    return findings_table(run_rules(FindingContext(catalogue, index, neighbours)))


def findings_table(findings: Iterable[Finding | dict]) -> pd.DataFrame:
    """Findings (or their rows) as the findings table: errors first, then warnings, then
    info; by kind, id; each id once."""
    rows = [f.row() if isinstance(f, Finding) else f for f in findings]
    if not rows:
        return empty_findings()
    return sort_findings(pd.DataFrame(rows, columns=FINDING_COLUMNS))


def sort_findings(table: pd.DataFrame) -> pd.DataFrame:
    """A findings table in its order (errors, warnings, info; by kind, id), each id once."""
    order = {s: i for i, s in enumerate(SEVERITIES)}
    kinds = {k: i for i, k in enumerate(KINDS)}
    table = (table.assign(_s=table["severity"].map(order), _k=table["kind"].map(kinds))
             .sort_values(["_s", "_k", "id"]).drop(columns=["_s", "_k"])
             .drop_duplicates("id").reset_index(drop=True))
    return table


def finding_counts(findings: pd.DataFrame) -> dict[str, dict[str, int]]:
    """How many findings of each severity and of each kind (every one listed, zero or not)."""
    return {"severity": {s: int((findings["severity"] == s).sum()) for s in SEVERITIES},
            "kind": {k: int((findings["kind"] == k).sum()) for k in KINDS}}


def filter_findings(findings: pd.DataFrame, kinds=(), severities=(), role_text: str = "",
                    titles: dict[str, str] | None = None) -> pd.DataFrame:
    """Findings of the chosen kinds and severities (none chosen: all) that involve a role whose
    id or title contains every word of `role_text` (any case)."""
    shown = findings
    if kinds:
        shown = shown[shown["kind"].isin(list(kinds))]
    if severities:
        shown = shown[shown["severity"].isin(list(severities))]
    words = str(role_text or "").casefold().split()
    if words:
        titles = titles or {}

        def involves(roles: str) -> bool:
            return any(all(w in f"{r} {titles.get(r, '')}".casefold() for w in words)
                       for r in str(roles).split(ROLE_SEPARATOR))

        shown = shown[shown["roles"].map(involves)]
    return shown.reset_index(drop=True)



def shown_findings(findings: pd.DataFrame, titles: dict[str, str]) -> pd.DataFrame:
    """Findings as the page shows (and downloads) them: the kind's name, the roles involved by
    title (", " between them) and the page a finding opens on by its title; no ids."""
    def involved(roles: str) -> str:
        return ", ".join(titles.get(r, r) for r in str(roles).split(ROLE_SEPARATOR) if r)

    return pd.DataFrame({
        "severity": findings["severity"],
        "kind": findings["kind"].map(lambda k: KINDS.get(k, k)),
        "finding": findings["title"],
        "roles": findings["roles"].map(involved),
        "open_on": findings["page"].map(lambda url: PAGES_BY_KEY[page_target(url)[0]].title),
        "explanation": findings["explanation"],
    }, columns=SHOWN_FINDING_COLUMNS).reset_index(drop=True)


SHOWN_FINDING_COLUMNS = ["severity", "kind", "finding", "roles", "open_on", "explanation"]

# --- Sentences: (title, explanation) of each rule's finding --------------------------------

def _say_overlap(ctx: FindingContext, duty: tuple[str, int], other_duty: tuple[str, int],
                 similarity: float, more: int) -> tuple[str, str]:
    role, other = duty[0], other_duty[0]
    how = ("the same duty" if similarity >= SHARED_THRESHOLD else "almost the same duty"
           if similarity >= OVERLAP_WARNING else "a similar duty")
    return (
        f"{ctx.title(role)} and {ctx.title(other)} hold {how}, in different departments.",
        f"{ctx.title(role)} ({ctx.department_of(role)}): {quote(ctx.duty_texts[duty])}. "
        f"{ctx.title(other)} ({ctx.department_of(other)}): "
        f"{quote(ctx.duty_texts[other_duty])}. "
        f"The wording matches at {similarity:.2f} (1 = the same words)"
        + (f"; {counted(more, 'more pair')} of their duties match too" if more else "")
        + ". When two departments hold the same duty, nobody may be clearly accountable "
        "for it, or the work is done twice. Check which role owns it, and reword the "
        "other role's duty to say how it supports the owner.")


def _say_overlaps_left_out(more: int) -> tuple[str, str]:
    return (
        f"{counted(more, 'more pair')} of roles in different departments hold a similar duty.",
        f"To keep the list readable, each role's overlaps are listed with its "
        f"{OVERLAP_PARTNERS} closest roles only (closest duty first); {counted(more, 'pair')}"
        f" of roles with a duty matching at {OVERLAP_THRESHOLD:.2f} or more are left out. "
        "Many overlaps usually mean duties worded from one template: resolve the listed "
        "ones, or search the duties across departments on the Duties page.")


def _say_area_gap(ctx: FindingContext, area: str, missing: list[str],
                  essential: list[str]) -> tuple[str, str]:
    area_name = ctx.name("business_areas", area)
    names = join_listing(ctx.name("duty_categories", c) for c in missing)
    essentials = join_words(ctx.name("duty_categories", c) for c in essential)
    return (
        f"No role in {area_name} has duties in {counted(len(missing), 'category')}: {names}.",
        f"No duty of any role in {area_name} falls under {names}. "
        + (f"{essentials} is required of every employer: someone must be accountable for "
           "it. " if essential else "")
        + "Either the work is done but not written into any job description (add the "
        "duty to the role that does it), or nobody does it (decide whether the business "
        "needs it and who should own it).")


def _say_department_gap(ctx: FindingContext, area: str, department: str, heads: list[str],
                        missing: list[str]) -> tuple[str, str]:
    where = f"{ctx.name('departments', department)} ({ctx.name('business_areas', area)})"
    names = join_listing(ctx.name("duty_categories", c) for c in missing)
    return (
        f"{where} has no duty in {names}.",
        f"A department with a head is expected to plan its work, report on it and, when "
        f"it has staff, manage them; no role of {where} holds a duty in {names}. Check "
        f"whether {join_words(ctx.title(h) for h in heads)} does this work under another "
        "category, or whether the duty is missing from the job description.")


def _say_above_manager(ctx: FindingContext, role: str, manager: str, own: float,
                       theirs: float, ahead: list[tuple[str, float, float]]) -> tuple[str, str]:
    parts = join_words(f"{name} {mine:.2f} against {boss:.2f}" for name, mine, boss in ahead)
    return (
        f"{ctx.title(role)} has a higher authority index than {ctx.title(manager)}, the role "
        "it reports to.",
        f"{ctx.title(role)} reports to {ctx.title(manager)} but scores {own:.1f} on the "
        f"authority index against {theirs:.1f}"
        + (f"; it is ahead on {parts} (parts on a 0-1 scale)" if ahead else "")
        + ". A manager normally holds at least the authority of the roles below. Check "
        "whether the manager's decision rights and authority scales are fully recorded, "
        "or whether the report holds rights that belong higher up.")


def _say_decision_right(ctx: FindingContext, row) -> tuple[str, str]:
    """`row`: a row of FindingContext.missing_decision_rights."""
    area, title = ctx.name("decision_right_areas", row.area), ctx.title(row.role_id)
    return (
        f"{title} has a duty that {row.what} without the decision right to do it ({area}).",
        f"The duty {quote(row.text)} {row.what}, which needs at least \"{row.minimum}\" in "
        f"the decision right {area}; {title} has \"{row.scope}\" there. Either give the role "
        "that right (with a limit), or reword the duty so that the role proposes and someone "
        "with the right decides.")


def _say_time_share(ctx: FindingContext, role: str, total: float) -> tuple[str, str]:
    """Time shares adding up to `total` %: more than 100, or less than TIME_SHARE_FLOOR."""
    if total > 100:
        return (
            f"The duties of {ctx.title(role)} take {total:g} % of the time, more than all of "
            "it.",
            f"Time shares say what part of the working time each duty takes; together they "
            f"can be at most 100 %, and {ctx.title(role)}'s add up to {total:g} %. Lower the "
            "shares of the duties that take less time than written.")
    return (
        f"The duties of {ctx.title(role)} account for only {total:g} % of the time.",
        f"Time shares should add up to about 100 %; below {TIME_SHARE_FLOOR:g} % "
        f"({total:g} % here) a large part of the job is not described. Add the missing "
        "duties or raise the shares of the listed ones.")


def _say_long_hours(ctx: FindingContext, role: str, hours: float,
                    limit: float) -> tuple[str, str]:
    return (
        f"{ctx.title(role)} works {hours:g} hours a week, above the limit of {limit:g}.",
        f"The taxonomy sets {limit:g} hours a week as the most a role should need; "
        f"{ctx.title(role)} is recorded at {hours:g}. Long hours that are built into a role "
        "wear people out and hide a staffing need: check the figure, share the duties out, "
        "or add a position.")


def _say_span(ctx: FindingContext, role: str, flag: str, direct: int, headcount: int,
              span: float) -> tuple[str, str]:
    limits = ctx.taxonomy.span_of_control
    per = (f"{direct} direct reports for {headcount} incumbents, {span:.1f} each"
           if headcount > 1 else f"{direct} direct reports")
    if flag == "over":
        return (
            f"{ctx.title(role)} manages more direct reports than the span of control allows.",
            f"{ctx.title(role)} has {per}, more than the taxonomy's maximum span of "
            f"{limits.max}. Too many reports leave little time for each: check whether "
            "another manager, a deputy or a team leader layer is needed.")
    return (
        f"{ctx.title(role)} manages fewer direct reports than the span of control expects.",
        f"{ctx.title(role)} has {per}, fewer than the taxonomy's minimum span of "
        f"{limits.min}. A thin management layer adds cost and slows decisions: check whether "
        "the layer is needed or the positions could be merged; it may also be a deliberate "
        "choice.")


def _say_unknown_parts(ctx: FindingContext, roles, index: str) -> str:
    """" The authority index of X rests on 2 of its 6 parts; the others are unknown." for each
    role whose index leaves parts out (an imported role's unstated values), else ""."""
    metrics = ctx.metrics
    known, weighted = f"known_{index}_parts", f"weighted_{index}_parts"
    if known not in metrics.columns:
        return ""
    said = []
    for role in roles:
        if role in metrics.index and pd.notna(metrics.at[role, known]) and \
                metrics.at[role, known] < metrics.at[role, weighted]:
            said.append(f" The {index} index of {ctx.title(role)} rests on "
                        f"{int(metrics.at[role, known])} of its {int(metrics.at[role, weighted])} "
                        "parts; the others are unknown.")
    return "".join(said)


def _say_team(team: pd.Series) -> str:
    return (f"The team ({counted(team['positions'], 'position')} reporting directly) has a "
            f"mean workload index of {team['team_workload']:.0f}")


def _say_delegated_to_busy(ctx: FindingContext, manager: str, team: pd.Series, duty: str,
                           busy: list[str]) -> tuple[str, str]:
    workload = ctx.metrics["workload_index"]
    named = join_words(f"{ctx.title(r)} ({workload[r]:.0f})" for r in busy)
    return (
        f"{ctx.title(manager)} distributes work to {join_words(ctx.title(r) for r in busy)}, "
        "whose workload is already high.",
        f"{ctx.title(manager)} has the duty {quote(duty)}. {_say_team(team)}; {named} "
        f"{'scores' if len(busy) == 1 else 'score'} at or above {HIGH_WORKLOAD:.0f} on the "
        f"workload index (0-100; {ctx.title(manager)}: "
        f"{workload.get(manager, float('nan')):.0f}). Work passed down to people who are "
        "already busy gets delayed or dropped: check the reports' hours and duties before "
        "adding more, or keep part of the work at the manager's level.")


def _say_stretched_manager(ctx: FindingContext, manager: str,
                           team: pd.Series) -> tuple[str, str]:
    return (
        f"{ctx.title(manager)} has both too many direct reports and a busy team.",
        f"{_say_team(team)}, at or above {HIGH_WORKLOAD:.0f}, and more direct reports per "
        "manager than the span of control allows. A manager stretched this way cannot follow "
        "up on each report's work: consider another manager or a team leader layer.")
