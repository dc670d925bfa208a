"""Imports into the workspace: the roles of a CSV bundle, a workbook, an O*NET release or a
set of job description documents are stored as drafts (one per role), to be reviewed and
approved role by role or all at once. The app imports as the signed-in user (an `Access`,
which checks their right to draft each role, and to change the taxonomy when the import
adds to it); the command line as the local user, straight into the workspace."""

from __future__ import annotations

import pandas as pd
import yaml

from ..formats.documents import DocumentDraft
from ..formats.documents import draft_documents as drafted_role_documents
from ..formats.writer import dump_yaml, role_documents
from .access import Access
from .workspace import LOCAL_USER, Version, Workspace

# Vocabularies a drafted role may name that the workspace's taxonomy lacks: only these are
# added; the reporting rule, the weights and everything else of the taxonomy stay as they are.
ADDED_VOCABULARIES = ("business_areas", "departments", "duty_categories")


def draft_documents(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """role id -> its role file (YAML), from an import's tables."""
    return {rid: dump_yaml(doc) for rid, doc in role_documents(tables).items()}


def import_drafts(target: Workspace | Access, documents: dict[str, str], source: str, *,
                  author: str = LOCAL_USER, taxonomy: tuple[str, int] | None = None
                  ) -> list[Version]:
    """Store the imported role documents as drafts, noted with where they came from (with a
    new taxonomy version in the same transaction, if given): through an Access as its user,
    or straight into a Workspace as `author`."""
    note = f"imported from {source}"
    if isinstance(target, Access):
        return target.add_drafts(documents, note=note, taxonomy=taxonomy)
    return target.add_drafts(documents, author=author, note=note, taxonomy=taxonomy)


def taxonomy_additions(current: dict, drafted: dict) -> dict[str, dict]:
    """What the drafted taxonomy has that the workspace's lacks: vocabulary -> {id: name},
    grades as {id: grade}, source notes as {note: note}. Empty when nothing is missing."""
    added: dict[str, dict] = {}
    for key in ADDED_VOCABULARIES:
        have = current.get(key) or {}
        new = {k: v for k, v in (drafted.get(key) or {}).items() if k not in have}
        if new:
            added[key] = new
    notes = [n for n in drafted.get("source_notes") or []
             if n not in (current.get("source_notes") or [])]
    if notes:
        added["source_notes"] = {n: n for n in notes}
    have_grades = {g["id"] for g in current.get("grades") or []}
    new_grades = {g["id"]: g for g in drafted.get("grades") or [] if g["id"] not in have_grades}
    if new_grades:
        added["grades"] = new_grades
    return added


def extended_taxonomy(current: dict, added: dict[str, dict]) -> dict:
    """The workspace's taxonomy with the additions, everything else unchanged."""
    out = dict(current)
    for key in ADDED_VOCABULARIES:
        if key in added:
            out[key] = {**(current.get(key) or {}), **added[key]}
    if "source_notes" in added:
        out["source_notes"] = list(current.get("source_notes") or []) + list(added["source_notes"])
    if "grades" in added:
        out["grades"] = list(current.get("grades") or []) + list(added["grades"].values())
    return out


def document_drafts(draft: DocumentDraft, base_documents: dict[str, dict] | None
                    ) -> dict[str, str]:
    """The drafted roles' files (YAML), with their references to the base catalogue's roles
    (`base_documents`) kept and references to roles in neither dropped."""
    documents = drafted_role_documents(draft, base_documents)
    return {rid: dump_yaml(documents[rid]) for rid in draft.roles}


def import_document_drafts(target: Workspace | Access, draft: DocumentDraft,
                           base_documents: dict[str, dict] | None, source: str, *,
                           author: str = LOCAL_USER) -> tuple[list[Version], dict[str, dict]]:
    """Store the drafted roles of job description documents as drafts; the departments,
    grades and duty categories they name that the workspace's taxonomy lacks are added to
    it as a new version in the same transaction. Returns the drafts and the additions."""
    workspace = target.workspace if isinstance(target, Access) else target
    current = workspace.current_taxonomy()
    current_doc = yaml.safe_load(current.document) if current is not None else {}
    added = taxonomy_additions(current_doc, draft.taxonomy or {})
    taxonomy = None
    if added and current is not None:
        taxonomy = (dump_yaml(extended_taxonomy(current_doc, added)), current.version)
    stored = import_drafts(target, document_drafts(draft, base_documents), source,
                           author=author, taxonomy=taxonomy)
    return stored, added
