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
from .workspace import PUBLISHED, Version, Workspace


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


def _revision_parts(revision: str) -> tuple[int, int, str]:
    """(number of role versions, highest id, the taxonomy's part) of a revision token."""
    roles, _, taxonomy = revision.partition("-")
    count, _, highest = roles.removeprefix("r").partition(".")
    return int(count), int(highest), taxonomy


def revision_highest(revision: str) -> int:
    """The highest version row id of a revision token: every version saved after the
    revision was read has a higher id (a what-if scenario keeps it as its base)."""
    return _revision_parts(revision)[1]


def _changed_versions(workspace: Workspace, previous: Snapshot) -> tuple[dict[str, Version], str]:
    """The current versions after `previous`, from the version rows saved since (the whole
    table only when a row was committed out of id order), and the revision they make."""
    count, highest, taxonomy_part = _revision_parts(previous.revision)
    rows, total = workspace.changes_since(highest)
    if not rows or total - count != len(rows):
        return workspace.current_versions(), workspace.revision()
    versions = dict(previous.versions)
    for row in rows:
        current = versions.get(row.role_id)
        if row.status in PUBLISHED and (current is None or row.version > current.version):
            versions[row.role_id] = row
    return versions, f"r{total}.{rows[-1].id}-{taxonomy_part}"


def refresh_snapshot(workspace: Workspace, previous: Snapshot) -> Snapshot:
    """The snapshot after whatever was saved since `previous`: the same object when nothing
    was (one cheap query); else only the version rows saved since are read, and only the
    roles whose current version changed (a full load when the taxonomy changed)."""
    revision = workspace.revision()
    if revision == previous.revision:
        return previous
    if _revision_parts(revision)[2] != _revision_parts(previous.revision)[2]:
        return load_snapshot(workspace)
    taxonomy = previous.taxonomy
    versions, revision = _changed_versions(workspace, previous)
    before, after = catalogue_versions(previous.versions), catalogue_versions(versions)
    changed = {rid for rid in before.keys() | after.keys()
               if (before.get(rid) and before[rid].id) != (after.get(rid) and after[rid].id)}
    if not changed:
        return Snapshot(previous.catalogue, revision, versions, taxonomy)
    fingerprint = fingerprint_of(taxonomy, versions)
    texts = workspace.documents([after[rid].id for rid in changed if rid in after])
    documents = {rid: (_document(rid, texts[after[rid].id]) if rid in after else None)
                 for rid in changed}
    labels = {role_document_name(rid): role_label(rid, after[rid].version)
              for rid in changed if rid in after}
    catalogue = update_documents(previous.catalogue, documents, fingerprint, labels)
    if catalogue is None:
        return load_snapshot(workspace)
    return Snapshot(catalogue, revision, versions, taxonomy)


def pending_catalogue(workspace: Workspace, snapshot: Snapshot) -> tuple[Catalogue, list[Version]]:
    """The catalogue as it would be with every pending change (draft or in review) applied
    (a pending retirement without its role), and those changes: `snapshot`'s approved
    catalogue with only the pending roles read again (a problem names the pending version:
    "roles/x.yaml (version 3, in review)")."""
    pending = workspace.pending()
    if not pending:
        return snapshot.catalogue, []
    digest = hashlib.sha256(snapshot.catalogue.fingerprint.encode())
    digest.update(",".join(str(v.id) for v in pending).encode())
    fingerprint = "wsp-" + digest.hexdigest()[:16]
    # a pending retirement takes its role out (None: the role's document is gone)
    documents = {v.role_id: None if v.retires else _document(v.role_id, v.document)
                 for v in pending}
    labels = {role_document_name(v.role_id): f"{role_document_name(v.role_id)} (version "
              f"{v.version}, {v.status})" for v in pending}
    catalogue = update_documents(snapshot.catalogue, documents, fingerprint, labels)
    if catalogue is None:  # cannot be patched in: read the approved roles and the pending ones
        shown = catalogue_versions(snapshot.versions)
        texts = workspace.documents([v.id for v in shown.values()])
        everything = {rid: _document(rid, texts[v.id]) for rid, v in shown.items()}
        labels = {role_document_name(rid): role_label(rid, v.version)
                  for rid, v in shown.items()} | labels
        labels[TAXONOMY_FILE] = taxonomy_label(snapshot.taxonomy.version)
        catalogue = load_documents(workspace.label, RoleDocument(
            TAXONOMY_FILE, snapshot.taxonomy.document.encode("utf-8")),
            {rid: d for rid, d in (everything | documents).items() if d is not None},
            fingerprint, labels)
    return catalogue, pending


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
