"""The catalogue's tables: their columns and dtypes, and how validated roles become rows.

Every table is tidy (one row per role, duty, right, ...), keyed by `role_id`. The column
lists are also the CSV bundle's headers and the Excel workbook's sheets.
"""

from __future__ import annotations

import pandas as pd

from . import metrics
from .schema import AUTHORITY_SCALES, EXTERNAL_PREFIX, WORKLOAD_MEASURES, Role, Taxonomy

# The columns of every table, in order; these are also the CSV bundle's headers.
TABLE_COLUMNS: dict[str, list[str]] = {
    "roles": ["role_id", "title", "department", "business_area", "grade", "grade_level",
              "reports_to", "headcount", "summary", "source_document", "source_modified",
              "source_note", "file"],
    "duties": ["role_id", "duty_no", "text", "category", "frequency", "time_share",
               "essential", "source"],
    "qualities": ["role_id", "quality_no", "name", "kind", "source"],
    "requirements": ["role_id", "requirement_no", "kind", "text", "years", "source"],
    "rights": ["role_id", "area", "scope", "scope_level", "limit", "source"],
    "accountabilities": ["role_id", "accountability_no", "text", "source"],
    "authority": ["role_id", "scale", "value"],
    "workload": ["role_id", "measure", "value"],
    "reporting": ["role_id", "manager_id", "line"],
    "interactions": ["role_id", "counterpart", "counterpart_kind", "direction", "kind",
                     "subject", "source"],
    "kpis": ["role_id", "name", "target", "source"],
    "career": ["role_id", "next_role_id"],
    "metrics": metrics.METRIC_COLUMNS,
}
TABLES = tuple(TABLE_COLUMNS)


# The columns that do not hold text, and their dtypes; every other column is "str".
COLUMN_DTYPES = {
    ("roles", "grade_level"): "Int64", ("roles", "headcount"): "Int64",
    ("duties", "duty_no"): "Int64", ("duties", "time_share"): "float64",
    ("duties", "essential"): "boolean", ("qualities", "quality_no"): "Int64",
    ("requirements", "requirement_no"): "Int64", ("requirements", "years"): "Int64",
    ("rights", "scope_level"): "Int64", ("accountabilities", "accountability_no"): "Int64",
    ("authority", "value"): "Int64", ("workload", "value"): "float64",
}


DERIVED_TABLES = ("metrics",)  # computed from the others on load, never read from a file


def empty_tables() -> dict[str, pd.DataFrame]:
    return {name: pd.DataFrame(columns=cols) for name, cols in TABLE_COLUMNS.items()}


def set_dtypes(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every column's dtype, whatever its values: text columns are "str" even when empty or
    all missing, so that the tables of a catalogue read in several chunks concatenate to the
    same dtypes as when read in one."""
    for name, table in tables.items():
        for column in table.columns:
            dtype = COLUMN_DTYPES.get((name, column))
            if dtype is not None:
                table[column] = table[column].astype(dtype)
            elif table[column].dtype == object:
                table[column] = table[column].astype("str")
    return tables


def _float(value) -> float:
    return float("nan") if value is None else float(value)


def build_tables(roles: list[Role], file_names: list[str],
                 taxonomy: Taxonomy) -> dict[str, pd.DataFrame]:
    """The tidy tables of a list of validated roles.

    Rows are tuples in the order of TABLE_COLUMNS: pandas reads a list of tuples into
    the same columns and dtypes as a list of dicts, and both building and reading them
    is cheaper, which counts at a quarter of a million duties.
    """
    rows: dict[str, list[tuple]] = {name: [] for name in TABLE_COLUMNS if name != "metrics"}
    grade_level = {g.id: g.level for g in taxonomy.grades}
    scope_level = {s: i for i, s in enumerate(taxonomy.decision_right_scopes)}
    for role, file_name in zip(roles, file_names):
        rid, default_source = role.id, role.source.note
        rows["roles"].append((
            rid, role.title, role.department, role.business_area, role.grade,
            grade_level.get(role.grade), role.reports_to, role.headcount, role.summary,
            role.source.document, role.source.modified.isoformat(), role.source.note, file_name,
        ))
        rows["duties"] += [(rid, i, d.text, d.category, d.frequency, d.time_share, d.essential,
                            d.source or default_source)
                           for i, d in enumerate(role.responsibilities, 1)]
        rows["qualities"] += [(rid, i, q.name, q.kind, q.source or default_source)
                              for i, q in enumerate(role.qualities, 1)]
        rows["requirements"] += [(rid, i, r.kind, r.text, r.years, r.source or default_source)
                                 for i, r in enumerate(role.requirements, 1)]
        rows["rights"] += [(rid, r.area, r.scope, scope_level.get(r.scope), r.limit,
                            r.source or default_source) for r in role.rights]
        rows["accountabilities"] += [(rid, i, a.text, a.source or default_source)
                                     for i, a in enumerate(role.accountabilities, 1)]
        rows["authority"] += [(rid, s, getattr(role.authority, s)) for s in AUTHORITY_SCALES]
        rows["workload"] += [(rid, m, _float(getattr(role.workload, m))) for m in WORKLOAD_MEASURES]
        if role.reports_to is not None:
            rows["reporting"].append((rid, role.reports_to, "solid"))
        rows["reporting"] += [(rid, t, "dotted") for t in role.dotted_to]
        rows["interactions"] += [(
            rid, i.with_.removeprefix(EXTERNAL_PREFIX).strip(),
            "external" if i.with_.startswith(EXTERNAL_PREFIX) else "role",
            i.direction, i.kind, i.subject, i.source or default_source,
        ) for i in role.interactions]
        rows["kpis"] += [(rid, k.name, k.target, k.source or default_source) for k in role.kpis]
        rows["career"] += [(rid, n) for n in role.career.next]
    tables = {name: pd.DataFrame(data, columns=TABLE_COLUMNS[name]) for name, data in rows.items()}
    return set_dtypes(tables)

