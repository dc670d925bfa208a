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

The rules work over whole columns (numbers per role and per duty, pyarrow look-ups), not row
by row. After an edit, `findings_after_edit` brings the findings of the catalogue before
(`found_findings`: the table and what it reuses) up to date for the roles whose rows changed,
by the scopes of the rules.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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

def positions_in(values, ids) -> np.ndarray:
    """Per value (a text column or list), its position in `ids` (the first where an id
    repeats), -1 where it is not there or missing. pyarrow's index_in, which takes the ids
    as one array: pandas' isin and get_indexer convert a pyarrow text column value by value."""
    if not len(values):
        return np.zeros(0, dtype=np.int64)
    found = pc.index_in(_texts(values), value_set=_texts(ids), skip_nulls=True)
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def text_codes(*columns) -> list[np.ndarray]:
    """The text columns given, numbered together: equal texts get equal numbers (from 0),
    different ones different; a missing value gets -1."""
    arrays = [_texts(c) for c in columns]
    if not arrays or not sum(len(a) for a in arrays):
        return [np.zeros(0, dtype=np.int64) for _ in arrays]
    codes = pc.dictionary_encode(pa.chunked_array(arrays, type=pa.large_string())).combine_chunks()
    numbers = codes.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return np.split(numbers, np.cumsum([len(a) for a in arrays])[:-1])


def _texts(values) -> pa.Array:
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return values.cast(pa.large_string())
    values = values.array if isinstance(values, (pd.Series, pd.Index)) else values
    return pa.array(values, type=pa.large_string(), from_pandas=True)



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
        self._partial_indices: dict[str, dict[str, tuple[int, int]]] = {}

    @classmethod
    def of_roles(cls, catalogue: Catalogue, role_ids: set[str],
                 titles: dict[str, str]) -> FindingContext:
        """A context over the catalogue's rows of some roles only (their metrics as computed
        for the whole catalogue), naming roles as the whole catalogue does (`titles`: a
        title two roles share carries the role's id)."""
        ids = list(role_ids)
        tables = {name: table[positions_in(table["role_id"], ids) >= 0]
                  if len(ids) and name in READ_COLUMNS else table.iloc[:0]
                  for name, table in catalogue.tables.items()}
        context = cls(replace(catalogue, tables=tables, readings={}))
        context.titles = titles
        return context

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
    def role_ranks(self) -> np.ndarray:
        """Per role of `roles` (in its order), its place among the role ids sorted."""
        ids = self.roles.index.to_numpy(dtype=object)
        ranks = np.empty(len(ids), dtype=np.int64)
        ranks[np.argsort(ids, kind="stable")] = np.arange(len(ids))
        return ranks

    @cached_property
    def chain_pairs(self) -> np.ndarray:
        """Each role (place in `roles`) with each role of its chain of command
        (metrics.chain_of_command; itself included), as place * len(roles) + place, sorted."""
        metrics = self.catalogue.metrics.drop_duplicates("role_id", keep="last")
        if metrics.empty:
            return np.zeros(0, dtype=np.int64)
        chains = pc.split_pattern(_texts(metrics["chain_of_command"]), CHAIN_SEPARATOR)
        lengths = pc.list_value_length(chains).fill_null(0).to_numpy(zero_copy_only=False)
        index = self.roles.index
        owner = np.repeat(positions_in(metrics["role_id"], index), lengths)
        member = positions_in(pc.list_flatten(chains), index)
        both = (owner >= 0) & (member >= 0)
        return np.unique(owner[both] * len(index) + member[both])

    def partial_indices(self, index: str) -> dict[str, tuple[int, int]]:
        """role id -> (known, weighted) parts of its `index` ("authority", "workload") for
        the roles whose index rests on fewer parts than it weighs (an imported role's unstated
        values)."""
        cached = self._partial_indices
        if index not in cached:
            metrics = self.metrics
            known, weighted = f"known_{index}_parts", f"weighted_{index}_parts"
            cached[index] = {}
            if known in metrics.columns:
                fewer = (metrics[known] < metrics[weighted]).fillna(False).to_numpy(dtype=bool)
                chosen = metrics[fewer]
                cached[index] = {role: (int(k), int(w)) for role, k, w in zip(
                    chosen.index.tolist(), chosen[known].tolist(), chosen[weighted].tolist())}
        return cached[index]

    def may_match(self, rules: Iterable[DutyRule]) -> np.ndarray:
        """Per duty of catalogue.duties, whether one of the duty text rules may match it:
        every duty without a duty index; with one, those whose words (the index's columns,
        the same normalised stems) hold a verb and an object of one rule, those vectorised
        after the fit (matching.replace_roles: words may be missing from the vocabulary)
        and those the index does not hold, so that a large catalogue normalises only these
        again."""
        duties, index = self.catalogue.duties, self.index
        if index is None:
            return np.ones(len(duties), dtype=bool)
        vocabulary, columns = index.vectorizer.vocabulary_, self.index_columns

        def holding(stems) -> np.ndarray:
            rows = np.zeros(len(index.keys), dtype=bool)
            for column in (vocabulary[w] for w in stems if w in vocabulary):
                rows[columns.indices[columns.indptr[column]:columns.indptr[column + 1]]] = True
            return rows

        rows = np.zeros(len(index.keys), dtype=bool)
        for duty_rule in rules:
            rows |= holding(duty_rule.verbs) & holding(duty_rule.objects)
        if index.replaced is not None:
            rows |= index.replaced
        position = self.index_positions
        held = position >= 0
        may = np.ones(len(duties), dtype=bool)
        may[position[held]] = rows[held]
        return may

    @cached_property
    def index_columns(self):
        """The duty index's matrix by columns (scipy CSC): the rows that hold each word."""
        return self.index.matrix.tocsc()

    @cached_property
    def index_positions(self) -> np.ndarray:
        """Per row of the duty index, the position in catalogue.duties of its duty (-1:
        none)."""
        keys = self.index.keys
        return self.duty_positions(keys["role_id"], keys["duty_no"])

    def held_categories(self, by: list[str]) -> dict[tuple, set[str]]:
        """The duty categories the roles of each group hold: (values of the roles' columns
        `by`) -> the categories of their duties. A role in several rows of catalogue.roles
        counts in each row's group; a group none of whose roles has a duty is missing."""
        rows = self.catalogue.roles
        category, categories = pd.factorize(self.catalogue.duties["category"])
        width = max(len(categories), 1)
        held = (self.duty_roles >= 0) & (category >= 0)
        pairs = np.unique(self.duty_roles[held] * width + category[held])
        group, size, values = np.zeros(len(rows), dtype=np.int64), 1, []
        for column in by:  # the groups as one number (a missing value: no group)
            codes, uniques = pd.factorize(rows[column])
            group = np.where((group >= 0) & (codes >= 0), group * len(uniques) + codes, -1)
            size *= max(len(uniques), 1)
            values.append(uniques)
        members = pd.DataFrame({"role": positions_in(rows["role_id"], self.roles.index),
                                "group": group})
        members = members[(members["role"] >= 0) & (members["group"] >= 0)]
        found = members.merge(pd.DataFrame({"role": pairs // width,
                                            "category": pairs % width}), on="role")
        combined = np.unique(found["group"].to_numpy() * width + found["category"].to_numpy())
        result: dict[tuple, set[str]] = {}
        for code, held_category in zip((combined // width).tolist(),
                                       categories.take(combined % width).tolist()):
            key = []
            for uniques in reversed(values):
                code, place = divmod(code, max(len(uniques), 1))
                key.append(uniques[place])
            result.setdefault(tuple(reversed(key)), set()).add(held_category)
        return result

    @cached_property
    def workloads(self) -> dict[str, float]:
        """role id -> its workload index."""
        return self.metrics["workload_index"].to_dict()

    @cached_property
    def duty_roles(self) -> np.ndarray:
        """Per duty of catalogue.duties, its role's place in `roles` (-1: none)."""
        return positions_in(self.catalogue.duties["role_id"], self.roles.index)

    def duty_positions(self, role_ids, numbers) -> np.ndarray:
        """The positions in catalogue.duties of the duties (role id, duty number) given, the
        first where a key repeats; -1 where there is none."""
        duties, index = self.catalogue.duties, self.roles.index
        numbers = np.asarray(numbers, dtype=np.int64)
        own_numbers = duties["duty_no"].to_numpy(dtype=np.int64, na_value=-1)
        width = int(max(own_numbers.max(initial=0), numbers.max(initial=0))) + 2
        own_roles, roles = self.duty_roles, positions_in(role_ids, index)
        own = np.where(own_roles >= 0, own_roles.astype(np.int64) * width + own_numbers + 1, -1)
        asked = np.where(roles >= 0, roles.astype(np.int64) * width + numbers + 1, -2)
        unique = ~pd.Index(own).duplicated()
        at = pd.Index(own[unique]).get_indexer(asked)
        return np.where(at >= 0, np.flatnonzero(unique)[np.maximum(at, 0)], -1)

    def reports_upward(self, positions: np.ndarray) -> np.ndarray:
        """Per duty (position in catalogue.duties) given: whether it is a plain upward
        report (its normalised text starts with "report"); False for position -1."""
        texts = self.catalogue.duties["text"].take(np.maximum(positions, 0))
        result = np.zeros(len(positions), dtype=bool)
        maybe = np.flatnonzero((positions >= 0) & texts.str.contains(
            "report", case=False, regex=False).fillna(False).to_numpy(dtype=bool))
        result[maybe] = [_reports_upward(t) for t in texts.iloc[maybe].tolist()]
        return result

    def title(self, role_id: str) -> str:
        return self.titles.get(role_id, role_id)

    def name(self, vocabulary_name: str, item: str) -> str:
        """The display name of an id of a taxonomy vocabulary (an unknown id names itself)."""
        return self.vocabularies[vocabulary_name].get(item, item)

    @cached_property
    def role_departments(self) -> dict[str, str]:
        """role id -> the name of its department."""
        names = self.vocabularies["departments"]
        return {r: names.get(d, d) for r, d in zip(self.roles.index.tolist(),
                                                    self.roles["department"].tolist())}

    @cached_property
    def role_areas(self) -> dict[str, str]:
        """role id -> the name of its business area."""
        names = self.vocabularies["business_areas"]
        return {r: names.get(a, a) for r, a in zip(self.roles.index.tolist(),
                                                    self.roles["business_area"].tolist())}

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
    roles, keys = ctx.roles, graph.index.keys
    # every test on numbers per pair of matrix rows: each row's role as its place in
    # ctx.roles (-1: a role the context does not hold), so only the pairs that pass become a
    # table. Same business area, different departments:
    code = positions_in(keys["role_id"], roles.index)
    area = pd.factorize(roles["business_area"])[0]
    department = pd.factorize(roles["department"])[0]
    row_code, col_code = code[graph.rows], code[graph.cols]
    near = ((row_code >= 0) & (col_code >= 0) & (area[row_code] == area[col_code])
            & (department[row_code] != department[col_code]))
    if not near.any():
        return pd.DataFrame(columns=columns)
    rows, cols, values = graph.rows[near], graph.cols[near], graph.values[near]
    row_code, col_code = row_code[near], col_code[near]
    # each unordered pair once, the role that sorts first on the left
    rank = ctx.role_ranks
    swap = rank[row_code] > rank[col_code]
    first, second = np.where(swap, cols, rows), np.where(swap, rows, cols)
    first_code, second_code = np.where(swap, col_code, row_code), np.where(swap, row_code, col_code)
    number = keys["duty_no"].to_numpy(dtype=np.int64, na_value=-1)
    pair = pd.DataFrame({"a": first_code, "n": number[first], "b": second_code,
                         "m": number[second]})
    once = ~pair.duplicated().to_numpy()
    first, second, values = first[once], second[once], values[once]
    first_code, second_code = first_code[once], second_code[once]
    # neither duty a plain upward report: the duties of the pairs only, and of those only
    # the ones that can start with "report" (no synonym or form makes it up) normalised
    paired = np.zeros(len(keys), dtype=bool)
    paired[first] = paired[second] = True
    paired = np.flatnonzero(paired)
    upward = np.zeros(len(keys), dtype=bool)
    upward[paired] = ctx.reports_upward(
        ctx.index_positions[paired] if graph.index is ctx.index
        else ctx.duty_positions(keys["role_id"].take(paired), number[paired]))
    # neither role in the other's chain of command
    chain = ctx.chain_pairs
    width = len(roles)
    keep = (~upward[first] & ~upward[second]
            & ~np.isin(first_code * width + second_code, chain)
            & ~np.isin(second_code * width + first_code, chain))
    first, second, similarity = first[keep], second[keep], np.minimum(values[keep].astype(float),
                                                                       1.0)
    order = np.lexsort((number[second], number[first], rank[second_code[keep]],
                        rank[first_code[keep]], -similarity))
    first, second, similarity = first[order], second[order], similarity[order]
    role, duty_no = keys["role_id"], keys["duty_no"]
    return pd.DataFrame({"role_id": role.take(first).reset_index(drop=True),
                         "duty_no": duty_no.take(first).reset_index(drop=True),
                         "other_role_id": role.take(second).reset_index(drop=True),
                         "other_duty_no": duty_no.take(second).reset_index(drop=True),
                         "similarity": similarity}, columns=columns)


@lru_cache(maxsize=262_144)  # kept across catalogues: after an edit most texts are the same
def _reports_upward(text: str) -> bool:
    """Whether the duty's normalised text starts with "report". Normalising maps word by
    word, so the first words (split at spaces) tell unless they are all stop words."""
    words = text.split()
    lead = normalise(" ".join(words[:LEAD_WORDS])) if len(words) > LEAD_WORDS else ""
    return (lead or normalise(text)).startswith("report")


def _overlaps(ctx: FindingContext) -> Overlaps:
    pairs = ctx.overlap_pairs
    # the pairs of roles numbered: the closest pair of duties of each (the first: closest
    # first) and how many pairs of duties each has
    role, other = text_codes(pairs["role_id"], pairs["other_role_id"])
    _, first, counts = np.unique(role * (max(role.max(initial=0), other.max(initial=0)) + 1)
                                 + other, return_index=True, return_counts=True)
    order = np.argsort(first)
    first, counts = first[order], counts[order]
    closest = pairs.iloc[first]
    return Overlaps(closest, closest_partners(closest, OVERLAP_PARTNERS, (role[first], other[first])),
                    dict(zip(zip(closest["role_id"].tolist(), closest["other_role_id"].tolist()),
                             counts.tolist())))


def closest_partners(best: pd.DataFrame, limit: int,
                     codes: tuple[np.ndarray, np.ndarray] | None = None) -> pd.DataFrame:
    """The pairs of roles (rows of `best`, closest first) that are among the `limit` closest
    of either of their two roles (`codes`: the roles of `best` numbered, as text_codes does,
    when known)."""
    number = np.arange(len(best))
    pair = np.concatenate([number, number])
    role = np.concatenate(codes or text_codes(best["role_id"], best["other_role_id"]))
    order = np.lexsort((pair, role))  # each role's pairs, closest first
    place = np.arange(len(order)) - np.searchsorted(role[order], role[order], side="left")
    return best.iloc[np.unique(pair[order][place < limit])]


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
    listed = overlaps.listed
    texts = ctx.catalogue.duties["text"]
    duty_text = texts.take(np.maximum(0, ctx.duty_positions(
        listed["role_id"], listed["duty_no"]))).tolist()
    other_text = texts.take(np.maximum(0, ctx.duty_positions(
        listed["other_role_id"], listed["other_duty_no"]))).tolist()
    for role, other, similarity, text, other_text in zip(
            listed["role_id"].tolist(), listed["other_role_id"].tolist(),
            listed["similarity"].tolist(), duty_text, other_text):
        similarity = float(similarity)
        title, explanation = _say_overlap(ctx, role, other, text, other_text, similarity,
                                          overlaps.counts[(role, other)] - 1)
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
    held = ctx.held_categories(["business_area"])
    rows = [{"business_area": area,
             "missing": [c for c in categories if c not in held.get((area,), ())]}
            for area in sorted(catalogue.roles["business_area"].unique())]
    return pd.DataFrame([r for r in rows if r["missing"]], columns=["business_area", "missing"])


def department_gaps(catalogue: Catalogue) -> pd.DataFrame:
    """Per department (within a business area) that has a head: the expected categories
    (HEAD_CATEGORIES, and people management when it has more positions than its heads) that
    none of its roles holds. Columns: business_area, department, heads (list), missing."""
    return FindingContext(catalogue).department_gaps


def _department_gaps(ctx: FindingContext) -> pd.DataFrame:
    roles = ctx.catalogue.roles
    held = ctx.held_categories(["business_area", "department"])
    head = roles["grade"] == HEAD_GRADE
    groups = roles.assign(head=head, head_count=roles["headcount"].where(head, 0)).groupby(
        ["business_area", "department"])
    positions = groups["headcount"].sum()
    head_positions = groups["head_count"].sum()
    heads = roles[head.fillna(False).to_numpy(dtype=bool)].groupby(
        ["business_area", "department"])["role_id"].agg(sorted)
    rows = []
    for (area, department), group_heads in heads.items():
        expected = list(HEAD_CATEGORIES)
        if positions[(area, department)] > head_positions[(area, department)]:
            expected.append(MANAGED_CATEGORY)
        have = held.get((area, department), ())
        missing = [c for c in expected if c not in have]
        if missing:
            rows.append({"business_area": area, "department": department,
                         "heads": group_heads, "missing": missing})
    return pd.DataFrame(rows, columns=["business_area", "department", "heads", "missing"])


@rule("gap/area", "gap", "warning", "info", scope="area")
def uncovered_categories(ctx: FindingContext) -> Iterator[Finding]:
    """Duty categories of the taxonomy that no role of a business area holds.

    One finding per area (id gap/area/<area>), naming its top role(s): the roles that report
    to no role of the catalogue. Info, or warning when a category every employer needs
    (AREA_ESSENTIAL_CATEGORIES: health and safety) is among them.
    """
    roles = ctx.catalogue.roles
    roots = roles[positions_in(roles["reports_to"], ctx.roles.index) < 0]
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
    lines = roles[(positions_in(roles["reports_to"], metrics.index) >= 0)
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
    best = rights.groupby(["role_id", "area"], as_index=False)["scope_level"].max()
    best = dict(zip(zip(best["role_id"].tolist(), best["area"].tolist()),
                    best["scope_level"].tolist()))
    areas = ctx.taxonomy.decision_right_areas
    rows = []
    duties = catalogue.duties[ctx.may_match([d.rule for d in DECISION_RULES])]
    for role, number, text in zip(duties["role_id"].tolist(), duties["duty_no"].tolist(),
                                  duties["text"].tolist()):
        for decision in decision_rules_for(text):
            if decision.area not in areas:
                continue
            have = int(best.get((role, decision.area), 0))
            if have < level.get(decision.minimum, 0):
                rows.append({"role_id": role, "duty_no": number, "text": text,
                             "area": decision.area, "minimum": decision.minimum,
                             "scope": scopes[have] if have < len(scopes) else str(have),
                             "what": decision.what})
    return pd.DataFrame(rows, columns=["role_id", "duty_no", "text", "area", "minimum",
                                       "scope", "what"])


@rule("authority/above-manager", "authority", "warning", scope="role")
def authority_above_manager(ctx: FindingContext) -> Iterator[Finding]:
    """A role whose authority index is higher than that of the role it reports to.

    Solid reporting lines only; warning (id authority/above-manager/<role>). The parts of the
    index (AUTHORITY_PART_NAMES) on which the role is ahead of its manager are named.
    """
    metrics, inversions = ctx.metrics, ctx.authority_inversions
    parts = [(name, f"authority_{part}") for part, name in AUTHORITY_PART_NAMES.items()
             if f"authority_{part}" in metrics.columns]
    mine = {column: metrics[column].reindex(inversions["role_id"]).tolist()
            for _, column in parts}
    boss = {column: metrics[column].reindex(inversions["manager_id"]).tolist()
            for _, column in parts}
    for n, (role, manager, own, theirs) in enumerate(zip(
            *inversions.to_dict("list").values())):
        ahead = [(name, mine[column][n], boss[column][n]) for name, column in parts
                 if pd.notna(mine[column][n]) and pd.notna(boss[column][n])
                 and mine[column][n] > boss[column][n]]
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
    lines = roles[(positions_in(roles["reports_to"], roles["role_id"]) >= 0)
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
    unknown = ctx.roles.index.isin(duties.loc[duties["time_share"].isna(), "role_id"])
    totals = shares.reindex(ctx.roles.index, fill_value=0.0).to_numpy(dtype=float)
    said = ((totals > 100) | (totals < TIME_SHARE_FLOOR)) & ~(unknown & (totals <= 100))
    for role, total in zip(ctx.roles.index[said].tolist(), totals[said].tolist()):
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
    hours = hours[(positions_in(hours["role_id"], ctx.roles.index) >= 0)
                  & (hours["value"] > limit).fillna(False).to_numpy(dtype=bool)]
    for role, value in zip(hours["role_id"].tolist(), hours["value"].tolist()):
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
    metrics, roles = ctx.catalogue.metrics, ctx.roles
    grade = roles["grade"].reindex(metrics["role_id"])
    metrics = metrics[(metrics["span_flag"].isin(["over", "under"]).to_numpy(dtype=bool)
                       & (positions_in(metrics["role_id"], roles.index) >= 0)
                       & ~grade.isin(top_grades).to_numpy(dtype=bool))]
    headcounts = roles["headcount"].reindex(metrics["role_id"]).tolist()
    for role, flag, value, direct, headcount in zip(
            metrics["role_id"].tolist(), metrics["span_flag"].tolist(),
            metrics["span_of_control"].tolist(), metrics["direct_reports"].tolist(), headcounts):
        headcount = int(headcount)
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
    workload = ctx.workloads
    roles = ctx.role_rows
    reports = (roles[positions_in(roles["reports_to"], teams.index) >= 0]
               .groupby("reports_to")["role_id"].agg(list).to_dict())
    duties = ctx.catalogue.duties
    duties = duties[ctx.may_match([DISTRIBUTION_RULE])  # managers' only
                    & (positions_in(duties["role_id"], teams.index) >= 0)]
    distributing = (duties[duties["text"].map(DISTRIBUTION_RULE.matches).astype(bool)]
                    .groupby("role_id")["text"].first().to_dict())
    flags = ctx.metrics["span_flag"].to_dict()
    for manager, team in zip(teams.index.tolist(), teams.to_dict("records")):
        duty = distributing.get(manager)
        busy = sorted((r for r in reports.get(manager, []) if workload.get(r, 0) >= HIGH_WORKLOAD),
                      key=lambda r: (-workload[r], r))
        over = flags.get(manager) == "over"
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


# --- After an edit: the findings a change can reach, the rest reused ----------------------

READ_COLUMNS = {  # what the rules read of each table (besides role_id)
    "roles": ["title", "department", "business_area", "grade", "reports_to", "headcount"],
    "duties": ["duty_no", "text", "category", "time_share"],
    "rights": ["area", "scope", "scope_level"],
    "workload": ["measure", "value"],
    "metrics": None,  # every column but layer and chain_of_command (the overlap pairs'
}                     # chains are read whole)
UNREAD_METRICS = ("layer", "chain_of_command")


@dataclass(frozen=True, eq=False)
class FoundFindings:
    """A catalogue's findings (the findings table) with what `findings_after_edit` needs to
    bring them up to date for the next catalogue of the same files: the overlaps and the
    neighbour search they come from, and per role the hashes of its rows (role_signatures),
    its manager, business area, department, chain of command and title."""

    table: pd.DataFrame
    overlaps: Overlaps | None
    signatures: pd.DataFrame
    managers: dict[str, str]
    areas: dict[str, str]
    titles: dict[str, str]
    taxonomy: object
    neighbours: Neighbours | None = None
    placing: pd.DataFrame | None = None  # role_id -> business_area, department, chain


def role_signatures(catalogue: Catalogue,
                    duty_signatures: pd.Series | None = None) -> pd.DataFrame:
    """Per role id (the index), a 64-bit hash of its rows in each table the rules read
    (READ_COLUMNS, one column each; 0 where it has none): two catalogues whose signatures of
    a role are equal give the rules the same rows of it. `duty_signatures`, when known
    (matching.duty_signatures of the catalogue's duties: numbers and texts), spares hashing
    the texts again."""
    columns = {}
    for name, read in READ_COLUMNS.items():
        table = catalogue.tables[name]
        if read is None:
            read = [c for c in table.columns if c not in UNREAD_METRICS and c != "role_id"]
        if name == "duties" and duty_signatures is not None:
            columns["duty_texts"] = duty_signatures
            read = [c for c in read if c not in ("duty_no", "text")]
        rows = pd.util.hash_pandas_object(table[["role_id", *read]], index=False)
        columns[name] = rows.groupby(table["role_id"].to_numpy(dtype=object), sort=False).sum()
    return pd.DataFrame(columns).fillna(0).astype("uint64")


def found_findings(catalogue: Catalogue, index: DutyIndex | None,
                   neighbours: Neighbours | None = None,
                   duty_signatures: pd.Series | None = None) -> FoundFindings:
    """find_findings, with what an edit's recompute reuses (FoundFindings; see
    role_signatures for `duty_signatures`)."""
    signatures = role_signatures(catalogue, duty_signatures)
    if catalogue.taxonomy is None or catalogue.roles.empty:
        return _found(catalogue, empty_findings(), None, signatures)
    context = FindingContext(catalogue, index, neighbours)
    return _found(catalogue, findings_table(run_rules(context)), context.overlaps, signatures,
                  neighbours=neighbours)


def _found(catalogue: Catalogue, table: pd.DataFrame, overlaps: Overlaps | None,
           signatures: pd.DataFrame, titles: dict[str, str] | None = None,
           neighbours: Neighbours | None = None) -> FoundFindings:
    roles = catalogue.roles
    ids = roles["role_id"].tolist()
    return FoundFindings(table, overlaps, signatures,
                         dict(zip(ids, roles["reports_to"].tolist())),
                         dict(zip(ids, roles["business_area"].tolist())),
                         role_labels(roles) if titles is None else titles, catalogue.taxonomy,
                         neighbours, _placing(catalogue))


def _placing(catalogue: Catalogue) -> pd.DataFrame:
    """What the overlap pairs read of each role besides its duties: its business area,
    department and chain of command (by role id, sorted: a role saved again comes last in
    a refreshed workspace's tables)."""
    chains = catalogue.metrics.drop_duplicates("role_id", keep="last").set_index("role_id")
    return (catalogue.roles.drop_duplicates("role_id").set_index("role_id")
            [["business_area", "department"]]
            .assign(chain=chains["chain_of_command"]).fillna("").sort_index())


def _rule_key(finding_id: str) -> str:
    """The role or business area a finding of a "role" or "area" rule is about."""
    parts = finding_id.split("/")
    return parts[2] if len(parts) > 2 else ""


def findings_after_edit(previous: FoundFindings, catalogue: Catalogue,
                        index: DutyIndex | None, neighbours: Neighbours | None,
                        duty_signatures: pd.Series | None = None) -> FoundFindings:
    """The findings of `catalogue` (found_findings(catalogue, index, neighbours)) from those of
    an earlier catalogue of the same files (`previous`), recomputing only what the roles
    whose rows changed (role_signatures; added and removed ones included) or whose title
    changed can reach: a rule of scope "role" for them, their managers (before and after)
    and direct reports; a rule of scope "area" for their business areas (before and after);
    the overlap pairs whole from `neighbours` (numbers only; a pair's finding is written
    again only when its closest duties, similarity or count changed or one of its roles
    changed); every rule of scope "catalogue" whole. A new taxonomy: everything afresh.
    `duty_signatures`: as for role_signatures (given for both catalogues, or for neither:
    else everything afresh)."""
    signatures = role_signatures(catalogue, duty_signatures)
    if (catalogue.taxonomy is None or catalogue.roles.empty or previous.overlaps is None
            or previous.taxonomy != catalogue.taxonomy
            or list(previous.signatures.columns) != list(signatures.columns)):
        return found_findings(catalogue, index, neighbours, duty_signatures)
    before, after = previous.signatures, signatures
    ids = before.index.union(after.index)
    differs = (before.reindex(ids, fill_value=0) != after.reindex(ids, fill_value=0)).any(axis=1)
    titles = role_labels(catalogue.roles)
    changed = set(ids[differs.to_numpy()].tolist()) | {
        r for r in set(titles) | set(previous.titles) if titles.get(r) != previous.titles.get(r)}
    roles = catalogue.roles
    managers = dict(zip(roles["role_id"].tolist(), roles["reports_to"].tolist()))
    areas_of = dict(zip(roles["role_id"].tolist(), roles["business_area"].tolist()))
    reports: dict[str, list[str]] = {}
    for role, manager in managers.items():
        if isinstance(manager, str):
            reports.setdefault(manager, []).append(role)
    reach = set(changed)
    for role in changed:
        reach.update(m for m in (previous.managers.get(role), managers.get(role))
                     if isinstance(m, str))
        reach.update(reports.get(role, ()))
    near = {r for r in reach if r in managers}
    areas = ({previous.areas.get(r) for r in reach} | {areas_of.get(r) for r in reach}) - {None}

    found: list[Finding] = []
    around = set(near) | {m for r in near if isinstance(m := managers[r], str)}
    around |= {r for m in near for r in reports.get(m, ())}
    local = FindingContext.of_roles(catalogue, around, titles)
    found += [f for r in RULES if r.scope == "role" for f in r.check(local)
              if _rule_key(f.id) in near]
    members = {r for r, a in areas_of.items() if a in areas}
    members |= {m for r in members if isinstance(m := managers[r], str)}
    regional = FindingContext.of_roles(catalogue, members, titles)
    found += [f for r in RULES if r.scope == "area" for f in r.check(regional)
              if _rule_key(f.id) in areas]
    whole = FindingContext(catalogue, index, neighbours)
    whole.titles = titles
    placing = _placing(catalogue)
    duty_columns = [c for c in ("duties", "duty_texts") if c in after.columns]
    if (neighbours is not None and neighbours is previous.neighbours
            and previous.placing is not None and previous.placing.equals(placing)
            and not (before.reindex(ids, fill_value=0)[duty_columns]
                     != after.reindex(ids, fill_value=0)[duty_columns]).any(axis=None)):
        # the same search, duties, areas, departments and chains: the same pairs
        whole.overlaps = previous.overlaps
    overlaps = whole.overlaps
    found += [f for r in RULES if r.scope == "catalogue" for f in r.check(whole)]
    # the pairs listed as before (closest duties, similarity, count) whose roles did not
    # change keep their findings; the others are written again
    def listed(of: Overlaps) -> pd.DataFrame:
        rows = of.listed[["role_id", "duty_no", "other_role_id", "other_duty_no",
                          "similarity"]]
        return rows.assign(pairs=[of.counts[p] for p in zip(rows["role_id"].tolist(),
                                                            rows["other_role_id"].tolist())])

    now = listed(overlaps)
    same = ((now.merge(listed(previous.overlaps), how="left", indicator=True)["_merge"]
             == "both").to_numpy()
            & (positions_in(now["role_id"], list(changed)) < 0)
            & (positions_in(now["other_role_id"], list(changed)) < 0))
    fresh = overlaps.listed[~same]
    pairwise = FindingContext.of_roles(catalogue, set(fresh["role_id"].tolist())
                                       | set(fresh["other_role_id"].tolist()), titles)
    pairwise.overlaps = overlaps._replace(listed=fresh)
    found += [f for r in RULES if r.scope == "pair" for f in r.check(pairwise)]
    reused = {f"overlap/{r}/{o}" for r, o in zip(now.loc[same, "role_id"].tolist(),
                                                 now.loc[same, "other_role_id"].tolist())}

    # the previous findings that stay: by the scope of their rule and what it is about
    ids = previous.table["id"]
    parts = ids.str.split("/", n=3, expand=True).reindex(columns=range(3))
    scope = (parts[0] + "/" + parts[1]).map({r.id: r.scope for r in RULES}).to_numpy(
        dtype=object)
    scope[pd.isna(scope) & ids.str.startswith("overlap/").to_numpy(dtype=bool)] = "pair"
    about = parts[2]
    kept = previous.table[
        ((scope == "role") & (positions_in(about, list(reach)) < 0))
        | ((scope == "area") & (positions_in(about, list(areas)) < 0))
        | ((scope == "pair") & (positions_in(ids, list(reused)) >= 0))]
    table = sort_findings(pd.concat([kept, findings_table(found)], ignore_index=True))
    return _found(catalogue, table, overlaps, signatures, titles, neighbours)


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

def _say_overlap(ctx: FindingContext, role: str, other: str, text: str, other_text: str,
                 similarity: float, more: int) -> tuple[str, str]:
    how = ("the same duty" if similarity >= SHARED_THRESHOLD else "almost the same duty"
           if similarity >= OVERLAP_WARNING else "a similar duty")
    return (
        f"{ctx.title(role)} and {ctx.title(other)} hold {how}, in different departments.",
        f"{ctx.title(role)} ({ctx.department_of(role)}): {quote(text)}. "
        f"{ctx.title(other)} ({ctx.department_of(other)}): {quote(other_text)}. "
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
    partial = ctx.partial_indices(index)
    return "".join(f" The {index} index of {ctx.title(role)} rests on {partial[role][0]} of its "
                   f"{partial[role][1]} parts; the others are unknown."
                   for role in roles if role in partial)


def _say_team(team: dict) -> str:
    return (f"The team ({counted(team['positions'], 'position')} reporting directly) has a "
            f"mean workload index of {team['team_workload']:.0f}")


def _say_delegated_to_busy(ctx: FindingContext, manager: str, team: dict, duty: str,
                           busy: list[str]) -> tuple[str, str]:
    workload = ctx.workloads
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
                           team: dict) -> tuple[str, str]:
    return (
        f"{ctx.title(manager)} has both too many direct reports and a busy team.",
        f"{_say_team(team)}, at or above {HIGH_WORKLOAD:.0f}, and more direct reports per "
        "manager than the span of control allows. A manager stretched this way cannot follow "
        "up on each report's work: consider another manager or a team leader layer.")
