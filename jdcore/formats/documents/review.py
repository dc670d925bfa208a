"""The review of a documents import, as tables and corrections the Import page draws and
applies: each drafted role's items with their category, confidence and source text; what
was not recognised; the draft as role YAML files or a catalogue ZIP."""

from __future__ import annotations

import io
import zipfile

import pandas as pd

from ..writer import dump_yaml, taxonomy_document
from .draft import DocumentDraft
from .importer import TAXONOMY_HEADER, draft_documents

ITEM_FIELDS = {
    "responsibilities": "text", "requirements": "text", "qualities": "name", "rights": "limit",
    "interactions": "subject", "kpis": "name",
}
ITEM_COLUMNS = ["keep", "text", "category", "confidence", "where", "source_text"]


def items_frame(draft: DocumentDraft, role_id: str, field: str) -> pd.DataFrame:
    """One row per item of a list field: keep (True), text, category (duties; for the others
    the kind, area or counterpart), confidence, where in the document, the source text."""
    doc = draft.roles[role_id]
    sources = {p.index: p for p in draft.sources_of(role_id) if p.field == field}
    rows = []
    for i, item in enumerate(doc.get(field) or []):
        source = sources.get(i)
        category = (item.get("category") or item.get("kind") or item.get("area")
                    or item.get("with") or "")
        rows.append({"keep": True, "text": item.get(ITEM_FIELDS[field], ""),
                     "category": category,
                     "confidence": source.confidence if source is not None else None,
                     "where": f"{source.document}, {source.where}" if source else "",
                     "source_text": source.text if source is not None else ""})
    frame = pd.DataFrame(rows, columns=ITEM_COLUMNS)
    frame["confidence"] = frame["confidence"].astype("Float64")
    return frame


def fields_frame(draft: DocumentDraft, role_id: str) -> pd.DataFrame:
    """The role's single fields, each with where it was found and the text it came from."""
    doc = draft.roles[role_id]
    sources = {p.field: p for p in draft.sources_of(role_id) if p.index is None}
    rows = []
    for field in ("title", "department", "grade", "reports_to", "summary"):
        source = sources.get(field)
        rows.append({"field": field, "value": "" if doc.get(field) is None else str(doc[field]),
                     "where": f"{source.document}, {source.where}" if source else "not stated",
                     "source_text": source.text if source else ""})
    return pd.DataFrame(rows, columns=["field", "value", "where", "source_text"])


def unrecognised_frame(draft: DocumentDraft) -> pd.DataFrame:
    return pd.DataFrame([{"document": u.document, "where": u.where, "text": u.text}
                         for u in draft.unrecognised], columns=["document", "where", "text"])


def roles_frame(draft: DocumentDraft) -> pd.DataFrame:
    """One row per drafted role: id, title, document, department, grade, reports to, counts."""
    rows = [{"role_id": rid, "title": d["title"], "document": d["source"]["document"],
             "department": d["department"], "grade": d["grade"],
             "reports_to": d["reports_to"] or "", "duties": len(d["responsibilities"]),
             "requirements": len(d["requirements"]), "interactions": len(d["interactions"])}
            for rid, d in draft.roles.items()]
    return pd.DataFrame(rows, columns=["role_id", "title", "document", "department", "grade",
                                       "reports_to", "duties", "requirements", "interactions"])


def correct(draft: DocumentDraft, role_id: str, *, title: str | None = None,
            department: str | None = None, grade: str | None = None,
            reports_to: str | None | bool = False,
            items: dict[str, pd.DataFrame] | None = None) -> None:
    """Apply the reviewer's corrections to one role of the draft (in place).

    reports_to=False leaves the line as drafted; None clears it. items: field -> the edited
    items_frame: rows whose keep is False are dropped; a duty's category is taken as edited.
    """
    doc = draft.roles[role_id]
    if title is not None and title.strip():
        doc["title"] = title.strip()
    if department is not None:
        doc["department"] = department
    if grade is not None:
        doc["grade"] = grade
    if reports_to is not False and reports_to != role_id:
        doc["reports_to"] = reports_to
    for field, frame in (items or {}).items():
        if field == "responsibilities":
            for i, category in enumerate(frame["category"].tolist()):
                if i < len(doc[field]) and isinstance(category, str) and category:
                    doc[field][i]["category"] = category
        for i in sorted((i for i, keep in enumerate(frame["keep"].tolist()) if keep is False),
                        reverse=True):
            if i < len(doc[field]):
                draft.drop_item(role_id, field, i)


def role_yaml(draft: DocumentDraft, role_id: str) -> str:
    """One drafted role as the YAML of its role file."""
    return dump_yaml(draft_documents(draft, None)[role_id])


def draft_zip(draft: DocumentDraft) -> bytes:
    """The drafted roles as a catalogue ZIP: taxonomy.yaml and roles/<id>.yaml."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("taxonomy.yaml", dump_yaml(taxonomy_document(draft.taxonomy),
                                                    TAXONOMY_HEADER))
        for rid, doc in draft_documents(draft, None).items():
            archive.writestr(f"roles/{rid}.yaml", dump_yaml(doc))
    return out.getvalue()
