"""Duties across the catalogue: one view of every duty, and the HR filter over it.

`duties_view` joins each duty with its role's title, department, business area and grade
(ids and display names). `DutyFilter` is the filter of the Duties page: it holds vocabulary
ids, applies itself to the view with vectorised pandas and describes itself in plain English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from ..model.catalogue import Catalogue
from ..model.labels import in_taxonomy_order, role_labels, vocabulary
from ..model.schema import Taxonomy
from ..model.wording import join_words, lowercase_initial, plural
from .keywords import match_keyword

# Facets of the filter: (DutyFilter field, column of the view, taxonomy vocabulary).
FACETS = (
    ("departments", "department", "departments"),
    ("business_areas", "business_area", "business_areas"),
    ("categories", "category", "duty_categories"),
    ("grades", "grade", "grades"),
    ("frequencies", "frequency", "frequencies"),
)

VIEW_COLUMNS = ["role_id", "duty_no", "role", "department", "department_name", "business_area",
                "business_area_name", "grade", "grade_name", "grade_level", "category",
                "category_name", "text", "frequency", "time_share", "essential", "source"]

# The table the page shows and downloads: view column -> shown column.
SHOWN_COLUMNS = {"role": "role", "text": "duty", "category_name": "category",
                 "frequency": "frequency", "time_share": "time_share", "essential": "essential",
                 "department_name": "department", "grade_name": "grade",
                 "business_area_name": "business_area", "source": "source"}

ESSENTIAL_CHOICES = {"Any": None, "Essential only": True, "Non-essential only": False}


def duty_labels(taxonomy: Taxonomy | None) -> dict[str, dict[str, str]]:
    """DutyFilter field -> {id: display name}, from the taxonomy (what `describe` needs)."""
    return {name: vocabulary(taxonomy, vocab) for name, _, vocab in FACETS}


def duties_view(catalogue: Catalogue) -> pd.DataFrame:
    """One row per duty with its role's title, department, business area and grade.

    Ids and display names sit side by side (`department`, `department_name`, ...); an id
    the taxonomy does not know is shown as itself. Rows are ordered by business area,
    department, role title and duty number. Labels are categoricals, so the view stays small
    and filters fast on hundreds of thousands of duties.
    """
    labels = duty_labels(catalogue.taxonomy)
    roles = catalogue.roles
    role_rows = pd.DataFrame({"role_id": roles["role_id"].astype("category"),
                              "role": roles["role_id"].map(role_labels(roles)).astype("category"),
                              "grade_level": roles["grade_level"]})
    for field, column, _ in FACETS:
        if column in roles:  # role-level facets; category and frequency belong to the duty
            role_rows[column], role_rows[f"{column}_name"] = _named(roles[column], labels[field])
    role_rows["order"] = np.argsort(np.lexsort([role_rows["role"].astype(str),
                                                role_rows["department_name"].astype(str),
                                                role_rows["business_area_name"].astype(str)]))

    duties = catalogue.duties.astype({"role_id": "category", "source": "category"})
    duties["category"], duties["category_name"] = _named(duties["category"], labels["categories"])
    duties["frequency"] = duties["frequency"].astype("category")
    view = duties.merge(role_rows, on="role_id", how="left", validate="many_to_one")
    view = view.iloc[np.lexsort([view["duty_no"].to_numpy(dtype=float, na_value=np.nan),
                                 view["order"].to_numpy(dtype=float, na_value=np.inf)])]
    view = view.reset_index(drop=True)[VIEW_COLUMNS]
    return view.astype({"role_id": "category"})


def _named(ids: pd.Series, names: Mapping[str, str]) -> tuple[pd.Series, pd.Series]:
    """Categorical ids and their display names (an unknown id names itself)."""
    ids = ids.astype("category")
    shown = [names.get(i, i) for i in ids.cat.categories]
    if len(set(shown)) == len(shown):
        return ids, ids.cat.rename_categories(shown)
    return ids, ids.map(dict(zip(ids.cat.categories, shown))).astype("category")


def facet_options(view: pd.DataFrame, taxonomy: Taxonomy | None) -> dict[str, list[str]]:
    """DutyFilter field -> the ids present in the view, in taxonomy order (unknown ids last)."""
    labels = duty_labels(taxonomy)
    options = {}
    for field, column, _ in FACETS:
        options[field] = in_taxonomy_order(labels[field], view[column].dropna().unique())
    return options


def duties_table(view: pd.DataFrame) -> pd.DataFrame:
    """The rows of the view as the page shows (and downloads) them: names, not ids."""
    return view[list(SHOWN_COLUMNS)].rename(columns=SHOWN_COLUMNS).reset_index(drop=True)


@dataclass(frozen=True)
class DutyFilter:
    """Which duties to show: ids per facet (empty = any), essential or not, keyword.

    Within a facet any of the chosen values matches; across facets every facet must match.
    The keyword matches the duty text case-insensitively; with several words, all of them
    must appear (in any order). Each word matches as a whole word in any of its forms
    ("contract" finds "contracts", not "subcontractors"; see jdcore.analysis.keywords), or,
    with `inside_words`, anywhere in the text, even inside a word.
    """

    departments: tuple[str, ...] = ()
    business_areas: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    frequencies: tuple[str, ...] = ()
    essential: bool | None = None
    keyword: str = ""
    inside_words: bool = False

    def __post_init__(self):
        for field, _, _ in FACETS:
            object.__setattr__(self, field, tuple(getattr(self, field) or ()))
        object.__setattr__(self, "keyword", " ".join((self.keyword or "").split()))

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.keyword.split())

    @property
    def is_active(self) -> bool:
        return any(getattr(self, f.name) not in ((), None, "") for f in fields(self)
                   if f.name != "inside_words")  # how the keyword matches, not a filter

    def mask(self, view: pd.DataFrame) -> np.ndarray:
        """A boolean array over the view's rows: True where the duty passes every filter."""
        return self.match(view)[0]

    def match(self, view: pd.DataFrame) -> tuple[np.ndarray, dict[str, tuple[str, ...]]]:
        """The mask of `mask`, and for each keyword word the forms of it found in the duties
        that pass the other filters (most frequent first; empty when none holds it)."""
        keep = np.ones(len(view), dtype=bool)
        for field, column, _ in FACETS:
            chosen = getattr(self, field)
            if chosen:
                keep &= view[column].isin(chosen).to_numpy(dtype=bool)
        if self.essential is not None:
            keep &= view["essential"].eq(self.essential).fillna(False).to_numpy(dtype=bool)
        forms = {}
        if self.words:
            rows = np.flatnonzero(keep)
            texts = view["text"].iloc[rows].astype("str")
            found = np.ones(len(rows), dtype=bool)
            for word in self.words:
                matched = match_keyword(texts, word, self.inside_words)
                found &= matched.mask
                forms[word] = matched.forms
            keep[rows] = found
        return keep, forms

    def apply(self, view: pd.DataFrame) -> pd.DataFrame:
        """The rows of the view that pass the filter, in the view's order."""
        return self.apply_with_forms(view)[0]

    def apply_with_forms(self, view: pd.DataFrame
                         ) -> tuple[pd.DataFrame, dict[str, tuple[str, ...]]]:
        """The rows of `apply`, and the forms of each keyword word found (see `match`)."""
        if not self.is_active:
            return view.reset_index(drop=True), {}
        keep, forms = self.match(view)
        return view[keep].reset_index(drop=True), forms

    def describe(self, labels: Mapping[str, Mapping[str, str]], total: int | None = None,
                 forms: Mapping[str, tuple[str, ...]] | None = None) -> str:
        """The filter in plain English, e.g. "Essential weekly duties of managers in Sales".

        `labels` maps each facet field to {id: display name} (see `duty_labels`); `total` is
        the number of duties in the catalogue, named when no filter is active; `forms` (from
        `match`) says for each keyword word which words were found, e.g. "whose text
        mentions “contract” (found as contract, contracts)".
        """
        if not self.is_active:
            return f"All {total:,} duties" if total is not None else "All duties"

        def names(field: str) -> list[str]:
            names_of = labels.get(field, {})
            return [names_of.get(i, i) for i in getattr(self, field)]

        adjectives = []
        if self.essential is not None:
            adjectives.append("essential" if self.essential else "non-essential")
        if self.frequencies:
            adjectives.append(join_words([lowercase_initial(n) for n in names("frequencies")]))
        parts = [" ".join(adjectives + ["duties"])]
        if self.grades:
            parts.append("of " + join_words([plural(n) for n in names("grades")]))
        if self.departments:
            parts.append("in " + join_words(names("departments")))
        if self.business_areas:
            parts.append("in " + join_words(
                ["the " + lowercase_initial(n) for n in names("business_areas")]))
        if self.categories:
            noun = "category" if len(self.categories) == 1 else "categories"
            parts.append(f"in the {noun} " + join_words(names("categories")))
        if self.words:
            mentions = join_words([_mention(w, forms) for w in self.words])
            parts.append(("whose text contains " if self.inside_words
                          else "whose text mentions ") + mentions)
        sentence = " ".join(parts)
        return sentence[:1].upper() + sentence[1:]


def _mention(word: str, forms: Mapping[str, tuple[str, ...]] | None) -> str:
    """“word”, and the forms found of it when they are known."""
    if forms is None or word not in forms:
        return f"“{word}”"
    found = forms[word]
    if not found:
        return f"“{word}” (found nowhere)"
    shown = list(found[:MAX_FORMS_NAMED]) + (
        [f"{len(found) - MAX_FORMS_NAMED} more"] if len(found) > MAX_FORMS_NAMED else [])
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
    return f"“{word}” (found as {listed})"


MAX_FORMS_NAMED = 6

