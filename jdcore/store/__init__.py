"""The workspace store: every version of every role in a database (SQLite or PostgreSQL, one
SQLAlchemy URL), the current catalogue loaded from it through the same reader and checks as
a folder, edits checked over the whole catalogue, differences between versions."""

from .catalogue import Snapshot, export_folder, load_snapshot, refresh_snapshot
from .database import SchemaTooNewError, WorkspaceError
from .schema import APPROVED, DRAFT, IN_REVIEW, RETIRED, STATUSES
from .workspace import LOCAL_USER, ConflictError, Version, Workspace

__all__ = ["APPROVED", "DRAFT", "IN_REVIEW", "LOCAL_USER", "RETIRED", "STATUSES",
           "ConflictError", "SchemaTooNewError", "Snapshot", "Version", "Workspace",
           "WorkspaceError", "export_folder", "load_snapshot", "refresh_snapshot"]
