"""The app's workspace: which database is open, the catalogue loaded from it (kept per
process and brought up to date with a cheap check on every rerun), and the fallback to the
read-only folder when it cannot be opened.

Which catalogue the app shows:
- $JDCORE_WORKSPACE or Streamlit's [connections.workspace] secret (url = "..."): that
  workspace (SQLite or PostgreSQL);
- else, with $JDCORE_CATALOGUE: that folder, read-only, as before workspaces existed;
- else the embedded workspace workspace/catalogue.sqlite, created on the first start and
  seeded from data/.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass

import streamlit as st

from jdcore.model.catalogue import Catalogue
from jdcore.store import (Snapshot, Version, Workspace, WorkspaceError, load_snapshot,
                          refresh_snapshot)
from jdcore.store.catalogue import pending_catalogue
from jdcore.store.settings import (CATALOGUE_ENV, configured_workspace_url,
                                   default_workspace_url, seed_folder)

RETRY_AFTER_S = 30  # a workspace that could not be opened is tried again after this


def secret_workspace_url() -> str | None:
    """[connections.workspace] url = "..." in .streamlit/secrets.toml, if any."""
    try:
        section = st.secrets.get("connections", {}).get("workspace", {})
        url = section.get("url") if hasattr(section, "get") else None
    except Exception:  # no secrets file, or one that cannot be read: no secret
        return None
    return str(url) if url else None


def workspace_url() -> str | None:
    """The workspace the app opens, or None for a read-only folder ($JDCORE_CATALOGUE)."""
    url = configured_workspace_url() or secret_workspace_url()
    if url:
        return url
    if os.environ.get(CATALOGUE_ENV):
        return None
    return default_workspace_url()


@dataclass
class LiveWorkspace:
    """One per process and workspace URL: the open workspace and its latest snapshot."""

    url: str
    workspace: Workspace | None = None
    snapshot: Snapshot | None = None
    error: str | None = None
    failed_at: float = 0.0

    def __post_init__(self):
        self.lock = threading.Lock()
        self.pending_view: tuple[str, Catalogue, list[Version]] | None = None

    def with_pending(self) -> tuple[Catalogue, list[Version]] | None:
        """The catalogue with every pending change applied, and those changes (kept until
        anything is saved); None when the workspace cannot be opened."""
        snapshot = self.current()
        if snapshot is None or self.workspace is None:
            return None
        with self.lock:
            if self.pending_view is None or self.pending_view[0] != snapshot.revision:
                try:
                    catalogue, pending = pending_catalogue(self.workspace, snapshot)
                except WorkspaceError as exc:
                    self.error = str(exc)
                    return snapshot.catalogue, []
                self.pending_view = (snapshot.revision, catalogue, pending)
            return self.pending_view[1], self.pending_view[2]

    def current(self) -> Snapshot | None:
        """The snapshot, refreshed when anything was saved since (None: cannot be opened;
        `error` says why)."""
        with self.lock:
            if self.workspace is None and time.monotonic() - self.failed_at < RETRY_AFTER_S \
                    and self.error:
                return None
            try:
                if self.workspace is None:
                    self.workspace = Workspace.open(self.url, create=True)
                    if not self.workspace.is_seeded():
                        self.workspace.seed_from_folder(seed_folder())
                if self.snapshot is None:
                    self.snapshot = load_snapshot(self.workspace)
                else:
                    self.snapshot = refresh_snapshot(self.workspace, self.snapshot)
                self.error = None
            except WorkspaceError as exc:
                self.error = str(exc)
                if self.snapshot is None:
                    if self.workspace is not None:
                        self.workspace.close()
                    self.workspace = None
                    self.failed_at = time.monotonic()
                    return None
            return self.snapshot


@st.cache_resource(show_spinner="Opening the workspace…")
def live_workspace(url: str) -> LiveWorkspace:
    return LiveWorkspace(url)


def current_workspace() -> LiveWorkspace | None:
    """The live workspace of this process, or None when the app shows a read-only folder."""
    url = workspace_url()
    return live_workspace(url) if url else None
