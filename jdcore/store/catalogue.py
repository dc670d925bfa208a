"""The workspace's current catalogue, loaded through the same reader and checks as a folder.

The current version of each role is handed to jdcore.loading as the document a folder
would hold (roles/<id>.yaml), so every message of a folder holds, with the version named:
"roles/head-of-sales.yaml (version 4):12: ...". After a save, `refresh` re-reads only the
roles whose current version changed and patches the tables; it never reloads the rest.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..formats.writer import WriteError, check_target
from ..loading import RoleDocument, load_documents, update_documents
from ..loading.files import ROLES_DIR, TAXONOMY_FILE, role_document_name
from ..model.catalogue import Catalogue
from .database import WorkspaceError
from .schema import APPROVED
from .workspace import Version, Workspace


@dataclass(frozen=True)
class Snapshot:
    """A loaded workspace catalogue and the versions it was loaded from."""

    catalogue: Catalogue
    revision: str
    versions: dict[str, Version]      # role id -> the current version (approved or retired)
    taxonomy: Version | None


def role_label(role_id: str, version: int) -> str:
    return f"{role_document_name(role_id)} (version {version})"


def taxonomy_label(version: int) -> str:
    return f"{TAXONOMY_FILE} (version {version})"


def catalogue_versions(versions: dict[str, Version]) -> dict[str, Version]:
    """The roles in the catalogue: those whose current version is approved (not retired)."""
    return {rid: v for rid, v in versions.items() if v.status == APPROVED}


def fingerprint_of(taxonomy: Version | None, versions: dict[str, Version]) -> str:
    """Changes exactly when the catalogue's content does (not when a draft is saved)."""
    digest = hashlib.sha256(f"t{taxonomy.id if taxonomy else 0}".encode())
    digest.update(",".join(str(v.id) for _, v in sorted(catalogue_versions(versions).items()))
                  .encode())
    return "ws-" + digest.hexdigest()[:16]


def _document(role_id: str, text: str) -> RoleDocument:
    return RoleDocument(role_document_name(role_id), text.encode("utf-8"))


def load_snapshot(workspace: Workspace) -> Snapshot:
    """Read the workspace's current catalogue: every current role version, checked."""
    revision = workspace.revision()
    taxonomy = workspace.current_taxonomy()
    if taxonomy is None:
        raise WorkspaceError(f"the workspace {workspace.label} holds no taxonomy yet; "
                             "create it with `python -m jdcore workspace init --from DIR`")
    versions = workspace.current_versions()
    shown = catalogue_versions(versions)
    texts = workspace.documents([v.id for v in shown.values()])
    documents = {rid: _document(rid, texts[v.id]) for rid, v in shown.items()}
    labels = {role_document_name(rid): role_label(rid, v.version) for rid, v in shown.items()}
    labels[TAXONOMY_FILE] = taxonomy_label(taxonomy.version)
    catalogue = load_documents(workspace.label, RoleDocument(TAXONOMY_FILE,
                                                             taxonomy.document.encode("utf-8")),
                               documents, fingerprint_of(taxonomy, versions), labels)
    return Snapshot(catalogue, revision, versions, taxonomy)


def refresh_snapshot(workspace: Workspace, previous: Snapshot) -> Snapshot:
    """The snapshot after whatever was saved since `previous`: the same object when nothing
    was; else only the changed roles are read (a full load when the taxonomy changed)."""
    revision = workspace.revision()
    if revision == previous.revision:
        return previous
    taxonomy = workspace.current_taxonomy()
    if taxonomy is None or previous.taxonomy is None or taxonomy.id != previous.taxonomy.id:
        return load_snapshot(workspace)
    versions = workspace.current_versions()
    before, after = catalogue_versions(previous.versions), catalogue_versions(versions)
    changed = {rid for rid in before.keys() | after.keys()
               if (before.get(rid) and before[rid].id) != (after.get(rid) and after[rid].id)}
    fingerprint = fingerprint_of(taxonomy, versions)
    if not changed:
        return Snapshot(previous.catalogue, revision, versions, taxonomy)
    texts = workspace.documents([after[rid].id for rid in changed if rid in after])
    documents = {rid: (_document(rid, texts[after[rid].id]) if rid in after else None)
                 for rid in changed}
    labels = {role_document_name(rid): role_label(rid, after[rid].version)
              for rid in changed if rid in after}
    catalogue = update_documents(previous.catalogue, documents, fingerprint, labels)
    if catalogue is None:
        return load_snapshot(workspace)
    return Snapshot(catalogue, revision, versions, taxonomy)


def export_folder(workspace: Workspace, out: str | Path, force: bool = False) -> int:
    """Write the current catalogue as a folder in the format of data/ (taxonomy.yaml and one
    roles/<id>.yaml per approved role, each exactly as stored). Returns the roles written."""
    out = Path(out)
    try:
        check_target(out, force)
    except WriteError as exc:
        raise WorkspaceError(str(exc)) from None
    taxonomy = workspace.current_taxonomy()
    if taxonomy is None:
        raise WorkspaceError("the workspace holds no taxonomy yet; nothing to export")
    shown = catalogue_versions(workspace.current_versions())
    texts = workspace.documents([v.id for v in shown.values()])
    try:
        (out / ROLES_DIR).mkdir(parents=True, exist_ok=True)
        for old in (out / ROLES_DIR).glob("*.yaml"):
            old.unlink()
        (out / TAXONOMY_FILE).write_text(taxonomy.document, encoding="utf-8")
        for rid, version in sorted(shown.items()):
            (out / ROLES_DIR / f"{rid}.yaml").write_text(texts[version.id], encoding="utf-8")
    except OSError as exc:
        raise WorkspaceError(f"cannot write to {out}: {exc.strerror}") from None
    return len(shown)
