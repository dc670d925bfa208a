"""The review of a documents import, as tables and corrections the Import page draws and
applies: each drafted role's items with their category, confidence and source text; what
was not recognised; the draft as role YAML files or a catalogue ZIP."""

from __future__ import annotations

import io
import zipfile

import pandas as pd

from ..writer import dump_yaml, taxonomy_document
from .build import MAX_SUMMARY, UNCATEGORISED
from .draft import IMPORTED_NOTE, DocumentDraft
from .importer import TAXONOMY_HEADER, draft_documents

ITEM_FIELDS = {
    "responsibilities": "text", "requirements": "text", "qualities": "name", "rights": "limit",
    "accountabilities": "text", "interactions": "subject", "kpis": "name",
}
# The field the review's "category" column edits, per list (none: the list has no category).
CATEGORY_FIELDS = {"responsibilities": "category", "requirements": "kind",
                   "qualities": "kind", "rights": "area", "interactions": "with"}
# Lists the review can add items to (a decision right also needs a scope: the Edit page).
ADDABLE = ("responsibilities", "requirements", "qualities", "accountabilities",
           "interactions", "kpis")
ITEM_COLUMNS = ["item", "keep", "text", "category", "confidence", "where", "source_text"]


def items_frame(draft: DocumentDraft, role_id: str, field: str) -> pd.DataFrame:
    """One row per item of a list field: its number (item, to match an edited row to its
    item), keep (True), text, category (duties; for the others the kind, area or
    counterpart), confidence, where in the document, the source text."""
    doc = draft.roles[role_id]
    sources = {p.index: p for p in draft.sources_of(role_id) if p.field == field}
    rows = []
    for i, item in enumerate(doc.get(field) or []):
        source = sources.get(i)
        category = item.get(CATEGORY_FIELDS[field], "") if field in CATEGORY_FIELDS else ""
        rows.append({"item": i, "keep": True, "text": item.get(ITEM_FIELDS[field], ""),
                     "category": category,
                     "confidence": source.confidence if source is not None else None,
                     "where": f"{source.document}, {source.where}" if source else "",
                     "source_text": source.text if source is not None else ""})
    frame = pd.DataFrame(rows, columns=ITEM_COLUMNS)
    frame["item"] = frame["item"].astype("Int64")
    frame["keep"] = frame["keep"].astype("boolean")  # an added row's may be missing
    frame["confidence"] = frame["confidence"].astype("Float64")
    return frame


def _cell(value) -> str:
    """An edited cell as trimmed text ('' for an empty or missing one)."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def _new_item(field: str, text: str, category: str, taxonomy: dict) -> dict:
    """An item the reviewer added: what they wrote, the rest unknown or the first choice."""
    if field == "responsibilities":
        return {"text": text, "category": category or _uncategorised(taxonomy),
                "frequency": None, "time_share": None, "essential": None,
                "source": IMPORTED_NOTE}
    if field == "requirements":
        return {"kind": category or taxonomy["requirement_kinds"][0], "text": text,
                "source": IMPORTED_NOTE}
    if field == "qualities":
        return {"name": text, "kind": category or taxonomy["quality_kinds"][0],
                "source": IMPORTED_NOTE}
    if field == "interactions":
        return {"with": category or "external:unknown", "direction": "both",
                "kind": next(iter(taxonomy["interaction_kinds"])), "subject": text,
                "source": IMPORTED_NOTE}
    if field == "kpis":
        return {"name": text[:120], "target": text, "source": IMPORTED_NOTE}
    return {"text": text, "source": IMPORTED_NOTE}


def _uncategorised(taxonomy: dict) -> str:
    taxonomy["duty_categories"].setdefault(UNCATEGORISED, "Not categorised (imported)")
    return UNCATEGORISED


def _edited(field: str, item: dict, text: str, category: str) -> dict:
    """An item with the reviewer's text and category."""
    item = dict(item)
    if field != "kpis":
        item[ITEM_FIELDS[field]] = text
    elif text != item.get("name"):  # a key result shows its name; a new text is both
        item["name"], item["target"] = text[:120], text
    if category and field in CATEGORY_FIELDS:
        item[CATEGORY_FIELDS[field]] = category
    return item


def apply_items(draft: DocumentDraft, role_id: str, field: str, frame: pd.DataFrame) -> None:
    """The reviewer's table of one list: a row unticked (keep) or deleted is removed, a
    row's text and category are taken as edited (an emptied text removes it), a row added
    at the end is a new item (in the lists of ADDABLE)."""
    old = draft.roles[role_id].get(field) or []
    items, kept = [], {}
    for row in frame.to_dict("records"):
        keep = row.get("keep")
        if keep is not None and keep is not pd.NA and not bool(keep):
            continue
        text, category = _cell(row.get("text")), _cell(row.get("category"))
        number = row.get("item")
        known = number is not None and number is not pd.NA and 0 <= int(number) < len(old)
        if not text:
            continue
        if known:
            if int(number) in kept:
                continue  # one row per item
            kept[int(number)] = len(items)
            items.append(_edited(field, old[int(number)], text, category))
        elif field in ADDABLE:
            items.append(_new_item(field, text, category, draft.taxonomy))
    draft.replace_items(role_id, field, items, kept)


def fields_frame(draft: DocumentDraft, role_id: str) -> pd.DataFrame:
    """The role's single fields, each with where it was found and the text it came from."""
    doc = draft.roles[role_id]
    sources = {p.field: p for p in draft.sources_of(role_id) if p.index is None}
    rows = []
    for field in ("title", "department", "grade", "reports_to", "summary"):
        source = sources.get(field)
        rows.append({"field": field,
                     "drafted": "" if doc.get(field) is None else str(doc[field]),
                     "where": f"{source.document}, {source.where}" if source else "not stated",
                     "source_text": source.text if source else ""})
    return pd.DataFrame(rows, columns=["field", "drafted", "where", "source_text"])


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
            reports_to: str | None | bool = False, summary: str | None = None,
            items: dict[str, pd.DataFrame] | None = None) -> None:
    """Apply the reviewer's corrections to one role of the draft (in place).

    reports_to=False leaves the line as drafted; None clears it. An empty title or summary
    leaves it as drafted. items: field -> the edited items_frame (see apply_items).
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
    if summary is not None and summary.strip():
        doc["summary"] = summary.strip()[:MAX_SUMMARY]
    for field, frame in (items or {}).items():
        apply_items(draft, role_id, field, frame)


def manager_choices(draft: DocumentDraft, role_id: str) -> list[str | None]:
    """Whom the role may report to, as the review offers it: none, the roles its stated
    manager matched when that was ambiguous, then every other role of the catalogue and of
    the batch (titles A-Z)."""
    titles = {**draft.base_roles, **{rid: d["title"] for rid, d in draft.roles.items()}}
    first = [r for r in draft.candidates.get(role_id, []) if r in titles and r != role_id]
    rest = sorted((r for r in titles if r != role_id and r not in first),
                  key=lambda r: (str(titles[r]).casefold(), r))
    return [None, *first, *rest]


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
