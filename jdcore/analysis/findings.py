"""Findings: where the catalogue's responsibilities collide, are missing, or where authority
or workload does not add up. Each rule is a small function over the tables; `find_findings`
runs them all and returns one row per finding (FINDING_COLUMNS):

- id: stable and readable (kind/rule/role ids...), the same on every run of the same files;
- severity: "error" (the figures cannot all be true), "warning" (probably wrong: check it),
  "info" (worth a look; may well be by design);
- kind: overlap | gap | authority | workload;
- title: one plain-English sentence; explanation: why it matters and what to check;
- roles: the ids of the roles involved, joined by ";";
- page: the app page that shows it, as a relative URL with its query string.

Overlap (`overlap_findings`): pairs of duties of two roles, matched with
jdcore.analysis.matching.nearest_duties, with similarity >= OVERLAP_THRESHOLD (0.6, stricter than the
matcher's SIMILAR_THRESHOLD 0.25, which is right for a side-by-side comparison but far too
loose for a list of problems). Only pairs that could be duplicated accountability count:
- both roles in the same business area (two companies each need their own accountant) and in
  different departments (within a department, shared work is the manager's to divide);
- neither role in the other's chain of command (the same work at two levels is delegation:
  one prepares, the other approves);
- neither duty a plain upward report ("Report ... to the general director"): every head
  reports to the same director, which is the reporting structure, not a shared duty.
On the embedded catalogue, pairs from 0.6 up name the same piece of work (comparing actual
costs with the estimate, supplier delivery contracts, stocktakes, acceptance of completed
stages); pairs between 0.5 and 0.6 mostly share words about different objects (customer
receivables vs supplier payables, drawing up a plan vs working to it). One finding per pair
of roles names its closest pair of duties and counts the others (at most OVERLAP_NEIGHBOURS
neighbours per duty are looked at); warning from OVERLAP_WARNING (0.7), else info. A role
takes part in the findings of its OVERLAP_PARTNERS (3) closest roles at most (a pair is listed
when it is among the closest of either role); one more info finding counts the pairs left out,
since a catalogue written from templates can hold thousands of them. On a large catalogue the
neighbours come from the approximate search (jdcore.analysis.matching), which may miss a few.

Gaps (`gap_findings`):
- per business area: the duty categories of the taxonomy that no role of the area holds
  (one finding per area, naming its top role(s)); info, or warning when a category every
  employer needs (AREA_ESSENTIAL_CATEGORIES: health and safety) is among them;
- per department with a head (a role of grade HEAD_GRADE): the department's roles together
  should cover HEAD_CATEGORIES (planning its work, reporting on it) and, when the department
  has more positions than its heads, people management; info. Other categories are not
  expected of every department (a logistics department without advertising is normal).

Authority vs hierarchy (`authority_findings`):
- a role whose authority index is higher than that of the role it reports to (solid line);
  warning; the parts that make the difference are named;
- a duty that needs a decision right the role does not have (DECISION_RULES, below): the
  duty's normalised text (jdcore.analysis.matching.normalise) has one of the rule's verbs among its
  first LEAD_WORDS words and one of its objects anywhere, and the role's highest scope in the
  rule's decision-right area is below the rule's minimum (an area not listed counts as
  "none"); warning. The verb must lead because a job-description duty starts with what the
  holder does: a verb further on is usually someone else's act ("check contracts before
  signing" does not sign them).

  | verbs                            | objects                         | right     | at least  |
  |----------------------------------|---------------------------------|-----------|-----------|
  | approve, authorise, sanction     | budget, bonus, overtime, pay... | budget    | approve   |
  | sign, conclude, approve          | contract, agreement             | contracts | approve   |
  | hire, recruit, dismiss, appoint  | staff, worker, manager...       | staffing  | recommend |
  | set, approve, grant              | price, discount                 | pricing   | approve   |

Workload arithmetic (`workload_findings`):
- time shares: a role's duties adding up to more than 100 % (error: more than all of the
  time) or to less than TIME_SHARE_FLOOR (80 %: a fifth of the job unaccounted; warning);
- weekly hours above the taxonomy's max_weekly_hours (warning);
- span of control outside the taxonomy's range (metrics.span_flag): "over" is a warning,
  "under" is info (a thin layer may be a choice). Roles of the top grade of the ladder (a
  board: a collective body that appoints one director) are not checked;
- delegated workload, rolled up: team workload = the headcount-weighted mean workload index
  of a manager's direct reports. A manager with a duty that distributes work
  (DISTRIBUTION_RULE: distribute / assign / allocate / delegate + workload / tasks /
  responsibilities, anywhere in the duty) whose direct reports include a role with workload
  index >= HIGH_WORKLOAD (60: the busiest 7 of the 24 roles of the embedded catalogue) is told
  so (warning): the work is passed to people who are already busy. A manager whose span is "over" while the team workload is
  >= HIGH_WORKLOAD is a warning too: too many busy people for one manager.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..model.catalogue import Catalogue
from ..model.labels import role_labels, vocabulary
from .matching import SHARED_THRESHOLD, DutyIndex, nearest_duties, normalise
from ..model.metrics import CHAIN_SEPARATOR
from ..navigation import page_url

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
    return [rule for rule in DECISION_RULES if rule.rule.matches_words(words)]


# --- Shared look-ups ----------------------------------------------------------------------

@dataclass(frozen=True)
class _Context:
    catalogue: Catalogue
    titles: dict[str, str]
    roles: pd.DataFrame          # indexed by role_id
    metrics: pd.DataFrame        # indexed by role_id
    departments: dict[str, str]
    areas: dict[str, str]
    categories: dict[str, str]
    role_departments: dict[str, str]   # role id -> department name
    role_areas: dict[str, str]         # role id -> business area name

    @classmethod
    def of(cls, catalogue: Catalogue) -> _Context:
        taxonomy = catalogue.taxonomy
        roles = catalogue.roles.drop_duplicates("role_id").set_index("role_id")
        departments = vocabulary(taxonomy, "departments")
        areas = vocabulary(taxonomy, "business_areas")
        return cls(catalogue, role_labels(catalogue.roles), roles,
                   catalogue.metrics.drop_duplicates("role_id").set_index("role_id"),
                   departments, areas, vocabulary(taxonomy, "duty_categories"),
                   {r: departments.get(d, d) for r, d in roles["department"].items()},
                   {r: areas.get(a, a) for r, a in roles["business_area"].items()})

    def title(self, role_id: str) -> str:
        return self.titles.get(role_id, role_id)

    def department(self, role_id: str) -> str:
        return self.role_departments.get(role_id, "")

    def area(self, role_id: str) -> str:
        return self.role_areas.get(role_id, "")

    def category(self, category: str) -> str:
        return self.categories.get(category, category)

    def compare(self, *role_ids: str) -> str:
        return page_url("compare", [("roles", self.title(r)) for r in role_ids])

    def catalogue_page(self, role_id: str) -> str:
        return page_url("catalogue", [("role", self.title(role_id))])

    def authority_page(self, role_id: str) -> str:
        return page_url("authority", [("role", self.title(role_id))])

    def reporting_page(self, role_id: str) -> str:
        return page_url("reporting", [("area", self.area(role_id)),
                                      ("role", self.title(role_id))])


def _quote(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return f"“{text if len(text) <= limit else text[:limit - 1].rstrip() + '…'}”"


def _names(items: list[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _listing(names: list[str]) -> str:
    """Category names, which often hold an "and" themselves, joined by semicolons."""
    return "; ".join(names)


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


# --- Overlap ------------------------------------------------------------------------------

def _reports_upward(text: str) -> bool:
    return normalise(text).startswith("report")


def overlap_pairs(catalogue: Catalogue, index: DutyIndex,
                  threshold: float = OVERLAP_THRESHOLD) -> pd.DataFrame:
    """Pairs of duties that may be duplicated accountability (see the module docstring):
    role_id < other_role_id, duty_no, other_duty_no, similarity; closest first."""
    columns = ["role_id", "duty_no", "other_role_id", "other_duty_no", "similarity"]
    near = nearest_duties(index, k=OVERLAP_NEIGHBOURS, threshold=threshold)
    if near.empty:
        return pd.DataFrame(columns=columns)
    roles = catalogue.roles.drop_duplicates("role_id").set_index("role_id")
    area, department = roles["business_area"], roles["department"]
    near = near[near["role_id"].isin(roles.index) & near["other_role_id"].isin(roles.index)]
    near = near[(near["role_id"].map(area) == near["other_role_id"].map(area))
                & (near["role_id"].map(department) != near["other_role_id"].map(department))]
    # each unordered pair once
    swap = near["role_id"] > near["other_role_id"]
    near = near.assign(
        role_id=near["role_id"].where(~swap, near["other_role_id"]),
        other_role_id=near["other_role_id"].where(~swap, near["role_id"]),
        duty_no=near["duty_no"].where(~swap, near["other_duty_no"]),
        other_duty_no=near["other_duty_no"].where(~swap, near["duty_no"]),
    )[columns].drop_duplicates(["role_id", "duty_no", "other_role_id", "other_duty_no"])
    texts = catalogue.duties.drop_duplicates(["role_id", "duty_no"]).set_index(
        ["role_id", "duty_no"])["text"]
    # normalise only what can start with "report": no synonym or suffix makes it up
    upward = {key for key, text in texts.items()
              if "report" in text.casefold() and _reports_upward(text)}
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


def overlap_findings(catalogue: Catalogue, index: DutyIndex) -> list[Finding]:
    """One finding per pair of roles in different departments holding a close duty."""
    ctx = _Context.of(catalogue)
    pairs = overlap_pairs(catalogue, index)
    texts = dict(zip(zip(catalogue.duties["role_id"], catalogue.duties["duty_no"]),
                     catalogue.duties["text"]))
    best = pairs.drop_duplicates(["role_id", "other_role_id"])  # closest pair first
    listed = _closest_partners(best, OVERLAP_PARTNERS)
    counts = pairs.groupby(["role_id", "other_role_id"]).size().to_dict()
    findings = []
    for role, number, other, other_number, similarity in listed[
            ["role_id", "duty_no", "other_role_id", "other_duty_no", "similarity"]].itertuples(
            index=False):
        similarity = float(similarity)
        how = ("the same duty" if similarity >= SHARED_THRESHOLD else "almost the same duty"
               if similarity >= OVERLAP_WARNING else "a similar duty")
        more = counts[(role, other)] - 1
        explanation = (
            f"{ctx.title(role)} ({ctx.department(role)}): "
            f"{_quote(texts[(role, number)])}. {ctx.title(other)} "
            f"({ctx.department(other)}): {_quote(texts[(other, other_number)])}. "
            f"The wording matches at {similarity:.2f} (1 = the same words)"
            + (f"; {_plural(more, 'more pair')} of their duties match too" if more else "")
            + ". When two departments hold the same duty, nobody may be clearly accountable "
            "for it, or the work is done twice. Check which role owns it, and reword the "
            "other role's duty to say how it supports the owner.")
        findings.append(Finding(
            f"overlap/{role}/{other}",
            "warning" if similarity >= OVERLAP_WARNING else "info", "overlap",
            f"{ctx.title(role)} and {ctx.title(other)} hold {how}, in different departments.",
            (role, other), explanation, ctx.compare(role, other)))
    if len(listed) < len(best):
        more = len(best) - len(listed)
        findings.append(Finding(
            "overlap/more", "info", "overlap",
            f"{_plural(more, 'more pair')} of roles in different departments hold a similar "
            "duty.", (),
            f"To keep the list readable, each role's overlaps are listed with its "
            f"{OVERLAP_PARTNERS} closest roles only (closest duty first); {_plural(more, 'pair')}"
            f" of roles with a duty matching at {OVERLAP_THRESHOLD:.2f} or more are left out. "
            "Many overlaps usually mean duties worded from one template: resolve the listed "
            "ones, or search the duties across departments on the Duties page.", "duties"))
    return findings


def _closest_partners(best: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The pairs of roles (rows of `best`, closest first) that are among the `limit` closest
    of either of their two roles."""
    number = np.arange(len(best))
    sides = pd.DataFrame({"pair": np.concatenate([number, number]),
                          "role": np.concatenate([best["role_id"].to_numpy(),
                                                  best["other_role_id"].to_numpy()])})
    sides = sides.sort_values("pair", kind="stable")
    close = sides.loc[sides.groupby("role").cumcount() < limit, "pair"].unique()
    return best.iloc[np.sort(close)]


# --- Gaps ---------------------------------------------------------------------------------

def area_gaps(catalogue: Catalogue) -> pd.DataFrame:
    """Per business area: the taxonomy's duty categories no role of the area holds.
    Columns: business_area, missing (list of category ids, in taxonomy order)."""
    categories = list(catalogue.taxonomy.duty_categories)
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
    roles = catalogue.roles
    rows = []
    for (area, department), group in roles.groupby(["business_area", "department"]):
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


def gap_findings(catalogue: Catalogue) -> list[Finding]:
    ctx = _Context.of(catalogue)
    findings = []
    roots = catalogue.roles[~catalogue.roles["reports_to"].apply(
        lambda m: isinstance(m, str) and m in ctx.roles.index)]
    for area, missing in zip(*area_gaps(catalogue).to_dict("list").values()):
        area_name = ctx.areas.get(area, area)
        top = sorted(roots.loc[roots["business_area"] == area, "role_id"])
        essential = [c for c in missing if c in AREA_ESSENTIAL_CATEGORIES]
        names = [ctx.category(c) for c in missing]
        explanation = (
            f"No duty of any role in {area_name} falls under {_listing(names)}. "
            + (f"{_names([ctx.category(c) for c in essential])} is required of every "
               "employer: someone must be accountable for it. " if essential else "")
            + "Either the work is done but not written into any job description (add the "
            "duty to the role that does it), or nobody does it (decide whether the business "
            "needs it and who should own it).")
        findings.append(Finding(
            f"gap/area/{area}", "warning" if essential else "info", "gap",
            f"No role in {area_name} has duties in "
            f"{_plural(len(missing), 'category', 'categories')}: {_listing(names)}.",
            tuple(top), explanation, page_url("duties", [("area", area_name)])))
    for area, department, heads, missing in zip(*department_gaps(catalogue)
                                                .to_dict("list").values()):
        area_name = ctx.areas.get(area, area)
        department_name = ctx.departments.get(department, department)
        names = [ctx.category(c) for c in missing]
        explanation = (
            f"A department with a head is expected to plan its work, report on it and, when "
            f"it has staff, manage them; no role of {department_name} ({area_name}) holds a "
            f"duty in {_listing(names)}. Check whether "
            f"{_names([ctx.title(h) for h in heads])} does this work under another category, "
            "or whether the duty is missing from the job description.")
        findings.append(Finding(
            f"gap/department/{area}/{department}", "info", "gap",
            f"{department_name} ({area_name}) has no duty in {_listing(names)}.",
            tuple(heads), explanation,
            page_url("duties", [("area", area_name), ("dept", department_name)])))
    return findings


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
    metrics = catalogue.metrics.drop_duplicates("role_id").set_index("role_id")["authority_index"]
    roles = catalogue.roles
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
    Columns: role_id, duty_no, text, area, minimum, scope (the role's best scope)."""
    scopes = list(catalogue.taxonomy.decision_right_scopes)
    level = {s: i for i, s in enumerate(scopes)}
    rights = catalogue.rights.dropna(subset=["scope_level"])
    best = rights.groupby(["role_id", "area"])["scope_level"].max()
    rows = []
    for role, number, text in zip(catalogue.duties["role_id"], catalogue.duties["duty_no"],
                                  catalogue.duties["text"]):
        for rule in decision_rules_for(text):
            if rule.area not in catalogue.taxonomy.decision_right_areas:
                continue
            have = int(best.get((role, rule.area), 0))
            if have < level.get(rule.minimum, 0):
                rows.append({"role_id": role, "duty_no": number, "text": text,
                             "area": rule.area, "minimum": rule.minimum,
                             "scope": scopes[have] if have < len(scopes) else str(have),
                             "what": rule.what})
    return pd.DataFrame(rows, columns=["role_id", "duty_no", "text", "area", "minimum",
                                       "scope", "what"])


def authority_findings(catalogue: Catalogue) -> list[Finding]:
    ctx = _Context.of(catalogue)
    findings = []
    for role, manager, own, theirs in zip(*authority_inversions(catalogue)
                                          .to_dict("list").values()):
        ahead = []
        for part, name in AUTHORITY_PART_NAMES.items():
            column = f"authority_{part}"
            if column in ctx.metrics.columns:
                mine, boss = ctx.metrics.at[role, column], ctx.metrics.at[manager, column]
                if pd.notna(mine) and pd.notna(boss) and mine > boss:
                    ahead.append(f"{name} {mine:.2f} against {boss:.2f}")
        explanation = (
            f"{ctx.title(role)} reports to {ctx.title(manager)} but scores {own:.1f} on the "
            f"authority index against {theirs:.1f}"
            + (f"; it is ahead on {_names(ahead)} (parts on a 0-1 scale)" if ahead else "")
            + ". A manager normally holds at least the authority of the roles below. Check "
            "whether the manager's decision rights and authority scales are fully recorded, "
            "or whether the report holds rights that belong higher up.")
        findings.append(Finding(
            f"authority/above-manager/{role}", "warning", "authority",
            f"{ctx.title(role)} has a higher authority index than {ctx.title(manager)}, "
            "the role it reports to.", (role, manager), explanation,
            ctx.compare(role, manager)))
    areas = vocabulary(catalogue.taxonomy, "decision_right_areas")
    for row in missing_decision_rights(catalogue).itertuples(index=False):
        area = areas.get(row.area, row.area)
        explanation = (
            f"The duty {_quote(row.text)} {row.what}, which needs at least "
            f"\"{row.minimum}\" in the decision right {area}; {ctx.title(row.role_id)} "
            f"has \"{row.scope}\" there. Either give the role that right (with a limit), or "
            "reword the duty so that the role proposes and someone with the right decides.")
        findings.append(Finding(
            f"authority/decision-right/{row.role_id}/{row.duty_no}/{row.area}", "warning",
            "authority",
            f"{ctx.title(row.role_id)} has a duty that {row.what} without the decision right "
            f"to do it ({area}).", (row.role_id,), explanation,
            ctx.catalogue_page(row.role_id)))
    return findings


# --- Workload arithmetic ------------------------------------------------------------------

def team_workload(catalogue: Catalogue) -> pd.DataFrame:
    """Delegated workload rolled up to each manager (solid lines): the headcount-weighted mean
    workload index of the direct reports. Columns: manager_id, positions (headcount of the
    direct reports), team_workload, busiest_id, busiest_workload."""
    roles = catalogue.roles.drop_duplicates("role_id")
    workload = catalogue.metrics.drop_duplicates("role_id").set_index("role_id")["workload_index"]
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


def workload_findings(catalogue: Catalogue) -> list[Finding]:
    ctx = _Context.of(catalogue)
    taxonomy = catalogue.taxonomy
    findings = []
    shares = catalogue.duties.groupby("role_id")["time_share"].sum()
    for role in ctx.roles.index:
        total = float(shares.get(role, 0.0))
        if total > 100:
            findings.append(Finding(
                f"workload/time-share/{role}", "error", "workload",
                f"The duties of {ctx.title(role)} take {total:g} % of the time, more than "
                "all of it.", (role,),
                f"Time shares say what part of the working time each duty takes; together "
                f"they can be at most 100 %, and {ctx.title(role)}'s add up to {total:g} %. "
                "Lower the shares of the duties that take less time than written.",
                ctx.catalogue_page(role)))
        elif total < TIME_SHARE_FLOOR:
            findings.append(Finding(
                f"workload/time-share/{role}", "warning", "workload",
                f"The duties of {ctx.title(role)} account for only {total:g} % of the time.",
                (role,),
                f"Time shares should add up to about 100 %; below {TIME_SHARE_FLOOR:g} % "
                f"({total:g} % here) a large part of the job is not described. Add the "
                "missing duties or raise the shares of the listed ones.",
                ctx.catalogue_page(role)))
    hours = catalogue.workload[catalogue.workload["measure"] == "weekly_hours"]
    for role, value in zip(hours["role_id"], hours["value"]):
        if role in ctx.roles.index and value > taxonomy.max_weekly_hours:
            findings.append(Finding(
                f"workload/hours/{role}", "warning", "workload",
                f"{ctx.title(role)} works {value:g} hours a week, above the limit of "
                f"{taxonomy.max_weekly_hours:g}.", (role,),
                f"The taxonomy sets {taxonomy.max_weekly_hours:g} hours a week as the most a "
                f"role should need; {ctx.title(role)} is recorded at {value:g}. Long hours "
                "that are built into a role wear people out and hide a staffing need: check "
                "the figure, share the duties out, or add a position.",
                ctx.authority_page(role)))
    top_level = min((g.level for g in taxonomy.grades), default=None)
    top_grades = {g.id for g in taxonomy.grades if g.level == top_level}
    span = taxonomy.span_of_control
    for role, flag, value, direct in zip(catalogue.metrics["role_id"],
                                         catalogue.metrics["span_flag"],
                                         catalogue.metrics["span_of_control"],
                                         catalogue.metrics["direct_reports"]):
        if (flag not in ("over", "under") or role not in ctx.roles.index
                or ctx.roles.at[role, "grade"] in top_grades):
            continue
        headcount = int(ctx.roles.at[role, "headcount"])
        per = (f"{int(direct)} direct reports for {headcount} incumbents, {value:.1f} each"
               if headcount > 1 else f"{int(direct)} direct reports")
        if flag == "over":
            explanation = (f"{ctx.title(role)} has {per}, more than the taxonomy's maximum "
                           f"span of {span.max}. Too many reports leave little time for each: "
                           "check whether another manager, a deputy or a team leader layer "
                           "is needed.")
            title = (f"{ctx.title(role)} manages more direct reports than the span of "
                     "control allows.")
        else:
            explanation = (f"{ctx.title(role)} has {per}, fewer than the taxonomy's minimum "
                           f"span of {span.min}. A thin management layer adds cost and slows "
                           "decisions: check whether the layer is needed or the positions "
                           "could be merged; it may also be a deliberate choice.")
            title = (f"{ctx.title(role)} manages fewer direct reports than the span of "
                     "control expects.")
        findings.append(Finding(f"workload/span/{role}", "warning" if flag == "over" else "info",
                                "workload", title, (role,), explanation,
                                ctx.reporting_page(role)))
    findings += _delegation_findings(catalogue, ctx)
    return findings


def _delegation_findings(catalogue: Catalogue, ctx: _Context) -> list[Finding]:
    findings = []
    teams = team_workload(catalogue).set_index("manager_id")
    workload = ctx.metrics["workload_index"]
    roles = catalogue.roles.drop_duplicates("role_id")
    reports = (roles[roles["reports_to"].isin(teams.index)]
               .groupby("reports_to")["role_id"].agg(list))
    duties = catalogue.duties[catalogue.duties["role_id"].isin(teams.index)]  # managers' only
    distributing = (duties[duties["text"].map(DISTRIBUTION_RULE.matches).astype(bool)]
                    .groupby("role_id")["text"].first())
    for manager, team in teams.iterrows():
        duty = distributing.get(manager)
        busy = sorted((r for r in reports.get(manager, []) if workload.get(r, 0) >= HIGH_WORKLOAD),
                      key=lambda r: (-workload[r], r))
        over = (ctx.metrics.at[manager, "span_flag"] == "over"
                if manager in ctx.metrics.index else False)
        team_text = (f"The team ({_plural(team['positions'], 'position')} reporting "
                     f"directly) has a mean workload index of {team['team_workload']:.0f}")
        if duty is not None and busy:
            named = _names([f"{ctx.title(r)} ({workload[r]:.0f})" for r in busy])
            findings.append(Finding(
                f"workload/delegation/{manager}", "warning", "workload",
                f"{ctx.title(manager)} distributes work to "
                f"{_names([ctx.title(r) for r in busy])}, whose workload is already high.",
                (manager, *busy),
                f"{ctx.title(manager)} has the duty {_quote(duty)}. "
                f"{team_text}; {named} {'scores' if len(busy) == 1 else 'score'} at or above "
                f"{HIGH_WORKLOAD:.0f} on the workload "
                f"index (0-100; {ctx.title(manager)}: {workload.get(manager, float('nan')):.0f})."
                " Work passed down to people who are already busy gets delayed or dropped: "
                "check the reports' hours and duties before adding more, or keep part of the "
                "work at the manager's level.",
                ctx.compare(manager, *busy)))
        elif over and team["team_workload"] >= HIGH_WORKLOAD:
            findings.append(Finding(
                f"workload/delegation/{manager}", "warning", "workload",
                f"{ctx.title(manager)} has both too many direct reports and a busy team.",
                (manager,),
                f"{team_text}, at or above {HIGH_WORKLOAD:.0f}, and more direct reports per "
                f"manager than the span of control allows. A manager stretched this way "
                "cannot follow up on each report's work: consider another manager or a team "
                "leader layer.", ctx.reporting_page(manager)))
    return findings


# --- All findings -------------------------------------------------------------------------

def empty_findings() -> pd.DataFrame:
    return pd.DataFrame(columns=FINDING_COLUMNS)


def find_findings(catalogue: Catalogue, index: DutyIndex) -> pd.DataFrame:
    """Every finding of the catalogue: errors first, then warnings, then info; by kind, id.
    `index` is jdcore.analysis.matching.fit_duty_index(catalogue.duties)."""
    if catalogue.taxonomy is None or catalogue.roles.empty:
        return empty_findings()
    findings = (overlap_findings(catalogue, index) + gap_findings(catalogue)
                + authority_findings(catalogue) + workload_findings(catalogue))
    if not findings:
        return empty_findings()
    table = pd.DataFrame([f.row() for f in findings], columns=FINDING_COLUMNS)
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
