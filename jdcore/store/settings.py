"""Which workspace to open: one SQLAlchemy URL, from $JDCORE_WORKSPACE (the app also reads
Streamlit's [connections.workspace] secrets), else the embedded SQLite file
workspace/catalogue.sqlite beside data/ (outside data/ and every cache folder). Who may do
what once sign-in is on: the permissions file, $JDCORE_PERMISSIONS, else permissions.yaml
beside data/."""

from __future__ import annotations

import os
from pathlib import Path

WORKSPACE_ENV = "JDCORE_WORKSPACE"
CATALOGUE_ENV = "JDCORE_CATALOGUE"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_WORKSPACE_FILE = PROJECT_ROOT / "workspace" / "catalogue.sqlite"
DEFAULT_CATALOGUE = PROJECT_ROOT / "data"
PERMISSIONS_ENV = "JDCORE_PERMISSIONS"
DEFAULT_PERMISSIONS_FILE = PROJECT_ROOT / "permissions.yaml"


def default_workspace_url() -> str:
    return f"sqlite:///{DEFAULT_WORKSPACE_FILE}"


def configured_workspace_url(explicit: str | None = None) -> str | None:
    """The URL given (an option, a secret) or in $JDCORE_WORKSPACE; None when neither."""
    return explicit or os.environ.get(WORKSPACE_ENV) or None


def seed_folder() -> Path:
    """The folder a new workspace is seeded from: $JDCORE_CATALOGUE, else data/."""
    return Path(os.environ.get(CATALOGUE_ENV) or DEFAULT_CATALOGUE)


def permissions_file() -> Path:
    """The permissions file read when sign-in is on: $JDCORE_PERMISSIONS, else
    permissions.yaml in the project folder."""
    return Path(os.environ.get(PERMISSIONS_ENV) or DEFAULT_PERMISSIONS_FILE)
