"""How the tables a page shows read: one human header, kind and width per column name, and
the key columns of every shown table (drawn first, and in view at 1,440 px).

Plain data. The app layer (`pages.common.show_table`) turns a `ColumnSpec` into Streamlit's
column configuration; the CSV download of a shown table uses the same headers, so what a
user downloads reads like what they saw. The tables of the catalogue itself
(`model.tables.TABLE_COLUMNS`: the CSV bundle, the Excel workbook) keep their column names.

A column name means one thing wherever it is shown: the functions that build shown tables
(`analysis.duties.duties_table`, `analysis.profile.roles_table`, ...) name their columns
after what they hold (`duty`, not `text`), and an unknown name reads as itself, humanised.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from .labels import humanise

# What a column holds decides how its cells read: text (short), long_text (a sentence: given
# the width it needs), integer, number (two decimals), percent (0-100, "25 %"), index (0-100,
# drawn as a bar), share (0-1, three decimals), boolean (a tick box).
KINDS = ("text", "long_text", "integer", "number", "percent", "index", "share", "boolean")
# Widths in pixels. A long text column takes LONG_TEXT_PX and a table that has one draws its
# rows WRAPPED_ROW_PX high, where Streamlit wraps text (above 4rem): three lines of about 50
# characters, so a duty reads whole; a longer one shows in full when its cell is opened.
TEXT_PX, NAME_PX, LONG_TEXT_PX, NUMBER_PX = 130, 170, 320, 90
WRAPPED_ROW_PX = 68


@dataclass(frozen=True)
class ColumnSpec:
    label: str
    kind: str = "text"
    width: int | None = None    # pixels; None: as wide as the cells need
    help: str | None = None


def _name(label: str, help: str | None = None) -> ColumnSpec:
    return ColumnSpec(label, "text", NAME_PX, help)


def _long(label: str, help: str | None = None) -> ColumnSpec:
    return ColumnSpec(label, "long_text", LONG_TEXT_PX, help)


COLUMNS: dict[str, ColumnSpec] = {
    # who
    "role": _name("Role"), "title": ColumnSpec("Role", "text", 230), "role_a": _name("Role A"),
    "role_b": _name("Role B"), "reports_to": _name("Reports to"),
    "counterpart_name": _name("With"), "from_title": _name("From"), "to_title": _name("To"),
    "best_match_role": _name("Best match's role"), "recorded_by": _name("Recorded by"),
    "roles": _name("Roles involved"),
    # where
    "department": ColumnSpec("Department", "text", 190),
    "department_name": ColumnSpec("Department", "text", 190),
    "business_area": ColumnSpec("Business area", "text", 170),
    "business_area_name": ColumnSpec("Business area", "text", 170),
    "grade": ColumnSpec("Grade", "text", TEXT_PX), "grade_name": ColumnSpec("Grade"),
    # duties and other text
    "duty": _long("Duty"), "best_match": _long("Best match"),
    "requirement": _long("Requirement"), "quality": ColumnSpec("Quality", "text", 260),
    "summary": _long("Summary"), "subject": _long("Subject"),
    "explanation": ColumnSpec("Explanation", "long_text", 520),
    "finding": _long("Finding"), "message": _long("Message"), "target": _long("Target"),
    "kpi": ColumnSpec("Key result", "text", 220),
    "accountability": _long("Answers for"), "limit": ColumnSpec("Limit", "text", 220),
    "category": ColumnSpec("Category", "text", 170),
    "category_name": ColumnSpec("Category", "text", 170),
    "area_name": ColumnSpec("Decision area", "text", 200),
    "area": ColumnSpec("Decision area", "text", 200),
    "kind": ColumnSpec("Kind", "text", TEXT_PX), "kind_name": ColumnSpec("Interaction", "text", 170),
    "frequency": ColumnSpec("Frequency", "text", 100),
    "direction": ColumnSpec("Direction", "text", 100),
    "scope": ColumnSpec("Scope", "text", 120), "severity": ColumnSpec("Severity", "text", 90),
    "status": ColumnSpec("Status", "text", 90), "open_on": ColumnSpec("Open on", "text", 110),
    "source": ColumnSpec("Source", "text", 100,
                         "seed: from the founding document; illustrative: written to complete "
                         "the organisation"),
    "span_flag": ColumnSpec("Span", "text", 80, "under, ok or over the range of taxonomy.yaml"),
    "index": ColumnSpec("Index", "text", 110), "part": ColumnSpec("Part", "text", 220),
    "file": ColumnSpec("File", "text", 200), "field": ColumnSpec("Field", "text", 140),
    # numbers
    "time_share": ColumnSpec("Time share", "percent", NUMBER_PX,
                             "Share of the role's working time"),
    "essential": ColumnSpec("Essential", "boolean", 80),
    "headcount": ColumnSpec("Headcount", "integer", NUMBER_PX, "Positions of the role"),
    "duties": ColumnSpec("Duties", "integer", 70),
    "authority_index": ColumnSpec("Authority", "index", 120, "Authority index, 0-100"),
    "workload_index": ColumnSpec("Workload", "index", 120, "Workload index, 0-100"),
    "direct_reports": ColumnSpec("Direct reports", "integer", 110, "Headcount of direct reports"),
    "span_of_control": ColumnSpec("Span of control", "number", 110,
                                  "Direct reports per incumbent"),
    "layer": ColumnSpec("Layer", "integer", 70), "step": ColumnSpec("Step", "integer", 60),
    "line": ColumnSpec("Line", "integer", 60), "years": ColumnSpec("Years", "integer", 70),
    "weight": ColumnSpec("Weight", "number", 80),
    "value": ColumnSpec("Part (0-1)", "share", NUMBER_PX),
    "drafted": _long("Drafted value"),
    "contribution": ColumnSpec("Contribution", "number", 100,
                               "Index points: 100 × weight × part / sum of the weights"),
    "similarity": ColumnSpec("Similarity", "number", 90, "0: no word shared, 1: the same"),
    "a_covered_by_b": ColumnSpec("A covered by B", "number", 120),
    "b_covered_by_a": ColumnSpec("B covered by A", "number", 120),
    "shared_duty_pairs": ColumnSpec("Shared duty pairs", "integer", 130),
    "similar_duty_pairs": ColumnSpec("Similar duty pairs", "integer", 130),
}

# The key columns of each shown table (a page names its table's view), in the order drawn:
# they come first, the first stays pinned when the table scrolls sideways, and together
# they fit in the table's width at 1,440 px (tests/browser/test_readability.py measures it).
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "duties": ("role", "duty", "department", "category", "time_share"),
    "roles": ("title", "department", "grade", "headcount", "authority_index",
              "workload_index"),
    "profile-duties": ("duty", "category_name", "frequency", "time_share", "essential"),
    "profile-rights": ("area_name", "scope", "limit"),
    "profile-qualities": ("quality", "kind"),
    "profile-requirements": ("requirement", "kind", "years"),
    "profile-interactions": ("counterpart_name", "direction", "kind_name", "subject"),
    "profile-kpis": ("kpi", "target"),
    "profile-accountabilities": ("accountability",),
    "breakdown": ("index", "part", "weight", "value", "contribution"),
    "spans": ("title", "department", "span_flag", "headcount", "direct_reports",
              "span_of_control"),
    "findings": ("severity", "kind", "finding", "roles", "open_on"),
    "edges": ("from_title", "to_title", "kind_name", "direction", "subject"),
    "chain": ("step", "title", "department", "grade", "headcount"),
    "problems": ("file", "field", "message"),
}


def column_spec(column: str) -> ColumnSpec:
    """How `column` reads; a column not listed reads as its name, humanised."""
    spec = COLUMNS.get(str(column))
    return spec if spec is not None else ColumnSpec(humanise(column))


def column_label(column: str) -> str:
    return column_spec(column).label


def shown_headers(columns: Iterable[str]) -> list[str]:
    """The headers of `columns` as shown; a label two columns would share keeps the second
    column's name in brackets, so every header of a download is unique."""
    headers, seen = [], set()
    for column in columns:
        label = column_label(column)
        if label in seen:
            label = f"{label} ({column})"
        seen.add(label)
        headers.append(label)
    return headers


def key_columns(view: str | None, columns: Sequence[str]) -> list[str]:
    """The key columns of `view` that `columns` holds, in the view's order."""
    present = set(columns)
    return [c for c in KEY_COLUMNS.get(view or "", ()) if c in present]


def key_first(frame: pd.DataFrame, view: str | None) -> pd.DataFrame:
    """`frame` with the key columns of `view` first, then the others in their order."""
    keys = key_columns(view, list(frame.columns))
    if not keys:
        return frame
    return frame[keys + [c for c in frame.columns if c not in keys]]


def wraps(columns: Iterable[str]) -> bool:
    """Does a table of these columns hold long text (drawn in rows WRAPPED_ROW_PX high)?"""
    return any(column_spec(c).kind == "long_text" for c in columns)


def as_shown(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with the headers a page shows (what a table's CSV download holds)."""
    return frame.set_axis(shown_headers(frame.columns), axis=1)
