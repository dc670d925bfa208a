"""Imports into the workspace: the roles of a CSV bundle, a workbook or an O*NET release are
stored as drafts (one per role), to be reviewed and approved role by role or all at once."""

from __future__ import annotations

import pandas as pd

from ..formats.writer import dump_yaml, role_documents
from .workspace import LOCAL_USER, Version, Workspace


def draft_documents(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """role id -> its role file (YAML), from an import's tables."""
    return {rid: dump_yaml(doc) for rid, doc in role_documents(tables).items()}


def import_drafts(workspace: Workspace, documents: dict[str, str], source: str, *,
                  author: str = LOCAL_USER) -> list[Version]:
    """Store the imported role documents as drafts, noted with where they came from."""
    return workspace.add_drafts(documents, author=author, note=f"imported from {source}")
