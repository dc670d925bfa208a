"""Editing a role: its document as fields and tables (for the Edit page), the document
written back, and the checks of an edit over the whole catalogue with the edit in place.

The check is the loader's own: the edited document replaces the role's current one in the
loaded catalogue (jdcore.loading.update_documents, which re-reads that one document) and
every check runs: the role's own (schema, vocabularies, time shares over 100 %) and the
cross-role ones (a cycle, a dangling line, a second root). Errors block a save; warnings
are shown and allowed.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..formats.writer import dump_yaml
from ..loading import RoleDocument, update_documents
from ..loading.files import role_document_name
from ..model.catalogue import Catalogue
from ..model.problems import CatalogueError, HasProblems, Problem
from ..model.schema import AUTHORITY_SCALES, WORKLOAD_MEASURES
from ..model.yamlfile import parse_yaml_text

# The lists of a role edited as tables: field -> its columns, in the role file's order.
ITEM_COLUMNS: dict[str, list[str]] = {
    "responsibilities": ["text", "category", "frequency", "time_share", "essential", "source"],
    "qualities": ["name", "kind", "source"],
    "requirements": ["kind", "text", "years", "source"],
    "rights": ["area", "scope", "limit", "source"],
    "accountabilities": ["text", "source"],
    "interactions": ["with", "direction", "kind", "subject", "source"],
    "kpis": ["name", "target", "source"],
}
NUMBER_COLUMNS = {("responsibilities", "time_share"): "float64", ("requirements", "years"): "Int64"}
BOOL_COLUMNS = {("responsibilities", "essential")}
EDIT_LABEL = "your edit"


def _missing(value) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _plain(value):
    """A cell as a plain YAML value: numpy to Python, 15.0 to 15, text trimmed."""
    if _missing(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return value


def role_data(document: str) -> dict:
    """A role document's fields (text as written); {} when it cannot be read."""
    try:
        data = parse_yaml_text(document, "role").data
    except CatalogueError:
        return {}
    return data if isinstance(data, dict) else {}


def item_table(data: dict, name: str) -> pd.DataFrame:
    """One of the role's lists as a table with the columns of ITEM_COLUMNS."""
    columns = ITEM_COLUMNS[name]
    items = data.get(name) or []
    rows = [[item.get(c) if isinstance(item, dict) else None for c in columns]
            for item in items if isinstance(item, dict)]
    table = pd.DataFrame(rows, columns=columns, dtype=object)
    for column in columns:
        if (name, column) in NUMBER_COLUMNS:
            table[column] = pd.to_numeric(table[column], errors="coerce").astype(
                NUMBER_COLUMNS[(name, column)])
        elif (name, column) in BOOL_COLUMNS:
            table[column] = table[column].map(
                lambda v: str(v).casefold() in ("true", "yes") if v is not None else False
            ).astype(bool)
        else:
            table[column] = table[column].map(lambda v: None if v is None else str(v))
    return table


def table_items(table: pd.DataFrame, name: str) -> list[dict]:
    """The rows of an edited table as the role file's list items; empty rows dropped."""
    items = []
    for row in table.to_dict("records"):
        item: dict[str, Any] = {}
        for column in ITEM_COLUMNS[name]:
            value = _plain(row.get(column))
            if (name, column) in BOOL_COLUMNS:
                value = bool(value) if value is not None else False
            if value is not None:
                item[column] = value
        meaningful = [c for c in item if (name, c) not in BOOL_COLUMNS]
        if meaningful:
            items.append(item)
    return items


@dataclass
class RoleEdit:
    """A role as the Edit page holds it: its scalar fields and its lists as tables."""

    fields: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @classmethod
    def of(cls, document: str) -> RoleEdit:
        data = role_data(document)
        source = data.get("source") if isinstance(data.get("source"), dict) else {}
        authority = data.get("authority") if isinstance(data.get("authority"), dict) else {}
        workload = data.get("workload") if isinstance(data.get("workload"), dict) else {}
        career = data.get("career") if isinstance(data.get("career"), dict) else {}
        fields = {key: data.get(key) for key in ("id", "title", "department",
                                                  "business_area", "grade", "reports_to",
                                                  "headcount", "summary")}
        fields["dotted_to"] = list(data.get("dotted_to") or [])
        fields["source_document"] = source.get("document")
        fields["source_modified"] = source.get("modified")
        fields["source_note"] = source.get("note")
        for scale in AUTHORITY_SCALES:
            fields[scale] = authority.get(scale)
        for measure in WORKLOAD_MEASURES:
            fields[measure] = workload.get(measure)
        fields["career_next"] = list(career.get("next") or [])
        return cls(fields, {name: item_table(data, name) for name in ITEM_COLUMNS})

    def document(self) -> str:
        """The role file of this edit (YAML), in the order of data/roles/*.yaml."""
        f = {key: _plain(value) if not isinstance(value, list) else value
             for key, value in self.fields.items()}
        doc: dict[str, Any] = {}
        for key in ("id", "title", "department", "business_area", "grade"):
            if f.get(key) is not None:
                doc[key] = f[key]
        doc["reports_to"] = f.get("reports_to")
        doc["dotted_to"] = [t for t in (f.get("dotted_to") or []) if t]
        for key in ("headcount", "summary"):
            if f.get(key) is not None:
                doc[key] = f[key]
        source = {k: f.get(f"source_{k}") for k in ("document", "modified", "note")}
        doc["source"] = {k: v for k, v in source.items() if v is not None}
        doc["responsibilities"] = table_items(self.tables["responsibilities"],
                                              "responsibilities")
        for name in ("qualities", "requirements", "rights"):
            doc[name] = table_items(self.tables[name], name)
        accountabilities = table_items(self.tables["accountabilities"], "accountabilities")
        if accountabilities:  # optional: a role that answers for nothing stated omits it
            doc["accountabilities"] = accountabilities
        doc["authority"] = {s: f[s] for s in AUTHORITY_SCALES if f.get(s) is not None}
        doc["workload"] = {m: f[m] for m in WORKLOAD_MEASURES if f.get(m) is not None}
        doc["interactions"] = table_items(self.tables["interactions"], "interactions")
        doc["kpis"] = table_items(self.tables["kpis"], "kpis")
        doc["career"] = {"next": [t for t in (f.get("career_next") or []) if t]}
        return dump_yaml(doc)


@dataclass(frozen=True)
class EditCheck(HasProblems):
    """What checking an edit found: problems of the edited role and problems it causes
    elsewhere in the catalogue (new since before the edit). `catalogue` holds the problems
    with the edit in place, and the tables from before it."""

    problems: tuple[Problem, ...]
    catalogue: Catalogue | None

    @property
    def ok(self) -> bool:
        return not self.errors


def check_edit(catalogue: Catalogue, role_id: str, document: str | None,
               replaces: str | None = None) -> EditCheck:
    """Check the catalogue with `document` as the role `role_id` (None: the role retired),
    `replaces` naming the role it was before when the id changed. Every problem of the
    edited role, and every problem elsewhere that the edit causes."""
    documents: dict[str, str | None] = {}
    if replaces and replaces != role_id:
        documents[replaces] = None
    documents[role_id] = document
    return check_edits(catalogue, documents)


def check_edits(catalogue: Catalogue, documents: dict[str, str | None],
                labels: dict[str, str] | None = None) -> EditCheck:
    """Check the catalogue with every one of `documents` (role id -> its document; None:
    the role retired) in place at once, as one catalogue: a family of changes whose lines
    point at each other is checked together. Every problem of the changed roles (each
    named by its label in `labels`, role id -> text, "your edit" by default) and every
    problem elsewhere that the changes cause."""
    changed: dict[str, RoleDocument | None] = {}
    shown: dict[str, str] = {}
    for role_id, document in documents.items():
        name = role_document_name(role_id)
        changed[role_id] = (None if document is None
                            else RoleDocument(name, document.encode("utf-8")))
        shown[name] = (labels or {}).get(role_id) or f"{name} ({EDIT_LABEL})"
    edited = update_documents(catalogue, changed, catalogue.fingerprint + "-edit", shown,
                              problems_only=True)
    if edited is None:
        named = [rid for rid, document in documents.items() if document is not None]
        which = (f"id '{named[0]}' is already used by another role" if len(named) == 1 else
                 f"an id of {', '.join(repr(r) for r in named)} is already used by another "
                 "role or by another of these changes")
        problem = Problem(shown[role_document_name(named[0])] if named else EDIT_LABEL, None,
                          "id", f"{which} (ids are compared ignoring case, width and "
                          "surrounding spaces); choose another id")
        return EditCheck((problem,), None)
    before = set(catalogue.problems)
    own_files = set(shown.values())
    own = [p for p in edited.problems if p.file in own_files]
    caused = [p for p in edited.problems if p.file not in own_files and p not in before]
    return EditCheck(tuple(own + caused), edited)


def new_role_document(role_id: str, taxonomy) -> str:
    """A starting document for a new role: the id, the taxonomy's first values where a
    vocabulary must be chosen, mid scales; title, summary and duties left for the user."""
    first = lambda values: next(iter(values), None)  # noqa: E731
    doc = {
        "id": role_id, "title": None, "department": first(taxonomy.departments),
        "business_area": first(taxonomy.business_areas),
        "grade": taxonomy.grades[0].id if taxonomy.grades else None, "reports_to": None,
        "dotted_to": [], "headcount": 1, "summary": None,
        "source": {"document": "workspace", "modified": dt.date.today().isoformat(),
                   "note": first(taxonomy.source_notes)},
        "responsibilities": [], "qualities": [], "requirements": [], "rights": [],
        "authority": {scale: 3 for scale in AUTHORITY_SCALES},
        "workload": {"weekly_hours": 40, "time_pressure": 3, "travel_share": 0},
        "interactions": [], "kpis": [], "career": {"next": []},
    }
    return dump_yaml({k: v for k, v in doc.items() if v is not None or k == "reports_to"})


def with_id(document: str, role_id: str) -> str:
    """The document with another id (to duplicate a role)."""
    data = role_data(document)
    data["id"] = role_id
    return dump_yaml(data)
