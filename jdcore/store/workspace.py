"""The workspace: every version of every role (and of the taxonomy) in a database, kept
whole as the YAML document a role file holds. Small functions over the database, each doing
one thing; a save is one INSERT in its own transaction, and nothing is ever updated or
deleted.

The current catalogue is, for each role, its latest version that is approved or retired,
when that version is approved (a retired role has left the catalogue). Drafts and versions
in review wait beside it until they are approved.

No lost updates: every save names the version it started from (`base_version`) and is
stored as the next version number. Two saves on top of the same version both try to insert
(role_id, base_version + 1); the database's unique constraint lets one through and refuses
the other, which becomes a ConflictError naming who saved first and when.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import and_, func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..loading.files import ROLES_DIR, TAXONOMY_FILE
from .database import (SQLITE_BUSY_TIMEOUT_S, WorkspaceError, create_workspace_engine, database_message,
                       display_url, has_workspace_tables, sqlite_path, upgrade_schema)
from .schema import APPROVED, DRAFT, IN_REVIEW, RETIRED, STATUSES, role_versions, taxonomy_versions

LOCAL_USER = "local"  # the author of every version saved without sign-in (single-user mode)
MAX_NOTE_CHARS = 2000
MAX_ID_CHARS = 200

# The status workflow: which status a new version may have, given the status of the
# version it is saved on top of (None: the role is new).
NEXT_STATUSES: dict[str | None, tuple[str, ...]] = {
    None: (DRAFT, IN_REVIEW, APPROVED),
    DRAFT: (DRAFT, IN_REVIEW, APPROVED, RETIRED),
    IN_REVIEW: (DRAFT, IN_REVIEW, APPROVED, RETIRED),
    APPROVED: (DRAFT, IN_REVIEW, APPROVED, RETIRED),
    RETIRED: (DRAFT, IN_REVIEW, APPROVED),
}
PENDING = (DRAFT, IN_REVIEW)
PUBLISHED = (APPROVED, RETIRED)


@dataclass(frozen=True)
class Version:
    """One stored version of a role (or of the taxonomy, role_id "taxonomy")."""

    id: int
    role_id: str
    version: int
    status: str
    author: str
    created_at: dt.datetime
    note: str
    base_version: int
    document: str | None = None
    reviewer: str | None = None          # who approved (or rejected) it, for a review's version
    reviewed_at: dt.datetime | None = None
    review_note: str | None = None       # the approver's note, or the reason for a rejection
    retires: bool = False                # a pending retirement: approving it retires the role

    @property
    def outcome(self) -> str:
        """The status that approving this version stores: retired for a pending retirement
        (`retires`), else approved."""
        return RETIRED if self.retires else APPROVED

    @property
    def when(self) -> str:
        """The time it was saved, as HH:MM (UTC) on its date: "2026-12-01 10:42 UTC"."""
        return self.created_at.strftime("%Y-%m-%d %H:%M UTC")

    @property
    def approver(self) -> str | None:
        """Who approved an approved version (its author, when it was saved as approved
        straight away or stored before reviews were recorded)."""
        return (self.reviewer or self.author) if self.status == APPROVED else None

    @property
    def approved_at(self) -> dt.datetime | None:
        return (self.reviewed_at or self.created_at) if self.status == APPROVED else None

    @property
    def rejected(self) -> bool:
        """A draft made by rejecting a change: reviewer and reason say who and why."""
        return self.status == DRAFT and self.reviewer is not None


class ConflictError(WorkspaceError):
    """A save on top of a version that is no longer the latest: someone saved first."""

    def __init__(self, role_id: str, base_version: int, current: Version):
        self.role_id, self.base_version, self.current = role_id, base_version, current
        at = current.created_at.strftime("%H:%M")
        if base_version == 0:
            message = (f"a role with the id '{role_id}' already exists (saved by "
                       f"{current.author} at {at} UTC); choose another id")
        else:
            message = (f"'{role_id}' was saved by {current.author} at {at} UTC (version "
                       f"{current.version}) while you were editing version {base_version}; "
                       "your changes were not saved. Review what changed, then re-apply your "
                       f"changes on top of version {current.version}.")
        super().__init__(message)


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


def _version(row, role_id: str | None = None, with_document: bool = True) -> Version:
    m = row._mapping
    reviewed = m.get("reviewed_at")
    return Version(m["id"], role_id or m["role_id"], m["version"], m["status"], m["author"],
                   _utc(m["created_at"]), m["note"], m.get("base_version", m["version"] - 1),
                   m["document"] if with_document and "document" in m else None,
                   m.get("reviewer"), _utc(reviewed) if reviewed is not None else None,
                   m.get("review_note"), bool(m.get("retires") or False))


_ROLE_META = [role_versions.c[name] for name in
              ("id", "role_id", "version", "status", "author", "created_at", "note",
               "base_version", "reviewer", "reviewed_at", "review_note", "retires")]


class Workspace:
    """A workspace database, opened (schema upgraded) and ready."""

    def __init__(self, url: str, engine: Engine):
        self.url = url
        self.engine = engine

    # -- opening ------------------------------------------------------------------------

    @classmethod
    def open(cls, url: str, create: bool = False,
             busy_timeout: float = SQLITE_BUSY_TIMEOUT_S) -> Workspace:
        """Open the workspace at `url`, bringing its schema up to date; with `create`, make
        the database (an SQLite file) when it does not exist. Raises WorkspaceError (or
        SchemaTooNewError) with a message that says what to do."""
        engine = create_workspace_engine(url, create=create, busy_timeout=busy_timeout)
        try:
            with engine.connect():
                pass
            if create or not has_workspace_tables(engine):
                if not create:
                    raise WorkspaceError(f"{display_url(url)} holds no workspace; create one "
                                         "with `python -m jdcore workspace init`")
            upgrade_schema(engine)
        except WorkspaceError:
            engine.dispose()
            raise
        except SQLAlchemyError as exc:
            engine.dispose()
            raise WorkspaceError(database_message(exc, url)) from None
        return cls(url, engine)

    @property
    def label(self) -> str:
        """What the sidebar calls it: the SQLite file, or the PostgreSQL URL (no password)."""
        path = sqlite_path(self.engine.url.render_as_string(hide_password=False))
        return str(path) if path is not None else display_url(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        self.engine.dispose()

    def _read(self, statement):
        try:
            with self.engine.connect() as connection:
                return connection.execute(statement).fetchall()
        except SQLAlchemyError as exc:
            raise WorkspaceError(database_message(exc, self.url)) from None

    # -- reading ------------------------------------------------------------------------

    def is_seeded(self) -> bool:
        return bool(self._read(select(taxonomy_versions.c.id).limit(1)))

    def revision(self) -> str:
        """A cheap token that changes whenever anything is saved (two aggregate queries):
        another server compares it on every rerun instead of reloading."""
        roles = select(func.count(role_versions.c.id), func.max(role_versions.c.id))
        taxonomy = select(func.count(taxonomy_versions.c.id), func.max(taxonomy_versions.c.id))
        try:
            with self.engine.connect() as connection:
                r = connection.execute(roles).one()
                t = connection.execute(taxonomy).one()
        except SQLAlchemyError as exc:
            raise WorkspaceError(database_message(exc, self.url)) from None
        return f"r{r[0]}.{r[1] or 0}-t{t[0]}.{t[1] or 0}"

    def changes_since(self, after_id: int) -> tuple[list[Version], int | None]:
        """Every version row with an id above `after_id` (no documents), and the number of
        version rows in the whole table, both read by one statement (one snapshot of the
        database). The count tells whether a row with a lower id was committed late (a
        PostgreSQL writer that took its id before another but committed after it); the
        count is None when there is no such row."""
        total = select(func.count(role_versions.c.id)).scalar_subquery()
        query = (select(*_ROLE_META, total.label("total"))
                 .where(role_versions.c.id > after_id).order_by(role_versions.c.id))
        rows = self._read(query)
        return [_version(row, with_document=False) for row in rows], \
            (rows[0].total if rows else None)

    def current_versions(self) -> dict[str, Version]:
        """role id -> its latest approved or retired version (no document): the catalogue
        is the roles whose entry is approved."""
        latest = (select(role_versions.c.role_id, func.max(role_versions.c.version).label("v"))
                  .where(role_versions.c.status.in_(PUBLISHED))
                  .group_by(role_versions.c.role_id).subquery())
        query = (select(*_ROLE_META).join(latest, and_(
            role_versions.c.role_id == latest.c.role_id, role_versions.c.version == latest.c.v)))
        return {row.role_id: _version(row, with_document=False) for row in self._read(query)}

    def documents(self, ids: list[int]) -> dict[int, str]:
        """Version row id -> its YAML document, for the given row ids."""
        found: dict[int, str] = {}
        for start in range(0, len(ids), 5000):
            part = ids[start:start + 5000]
            rows = self._read(select(role_versions.c.id, role_versions.c.document)
                              .where(role_versions.c.id.in_(part)))
            found.update({row.id: row.document for row in rows})
        return found

    def current_taxonomy(self) -> Version | None:
        rows = self._read(select(taxonomy_versions)
                          .where(taxonomy_versions.c.status == APPROVED)
                          .order_by(taxonomy_versions.c.version.desc()).limit(1))
        return _version(rows[0], "taxonomy") if rows else None

    def latest(self, role_id: str) -> Version | None:
        """The role's newest version, whatever its status (with its document)."""
        rows = self._read(select(role_versions).where(role_versions.c.role_id == role_id)
                          .order_by(role_versions.c.version.desc()).limit(1))
        return _version(rows[0]) if rows else None

    def version(self, role_id: str, number: int) -> Version | None:
        rows = self._read(select(role_versions).where(role_versions.c.role_id == role_id,
                                                      role_versions.c.version == number))
        return _version(rows[0]) if rows else None

    def history(self, role_id: str) -> list[Version]:
        """Every version of the role, oldest first (without documents)."""
        rows = self._read(select(*_ROLE_META).where(role_versions.c.role_id == role_id)
                          .order_by(role_versions.c.version))
        return [_version(row, with_document=False) for row in rows]

    def role_ids(self) -> list[str]:
        """Every role id that has a version, whatever its status."""
        rows = self._read(select(role_versions.c.role_id).distinct()
                          .order_by(role_versions.c.role_id))
        return [row.role_id for row in rows]

    def pending(self) -> list[Version]:
        """Roles whose newest version is a draft or in review (with their documents): the
        imports and edits waiting for approval, oldest first."""
        newest = (select(role_versions.c.role_id, func.max(role_versions.c.version).label("v"))
                  .group_by(role_versions.c.role_id).subquery())
        query = (select(role_versions).join(newest, and_(
            role_versions.c.role_id == newest.c.role_id, role_versions.c.version == newest.c.v))
            .where(role_versions.c.status.in_(PENDING)).order_by(role_versions.c.role_id))
        return [_version(row) for row in self._read(query)]

    # -- writing ------------------------------------------------------------------------

    def _insert_role_versions(self, rows: list[dict], taxonomy: dict | None = None) -> None:
        """Insert version rows (and a taxonomy version) in one transaction: all or none."""
        try:
            with self.engine.begin() as connection:
                if taxonomy is not None:
                    connection.execute(insert(taxonomy_versions), [taxonomy])
                connection.execute(insert(role_versions), rows)
        except IntegrityError:
            raise
        except SQLAlchemyError as exc:
            raise WorkspaceError(database_message(exc, self.url)) from None

    def save_role(self, role_id: str, document: str, base_version: int, *,
                  status: str = APPROVED, author: str = LOCAL_USER, note: str = "",
                  reviewer: str | None = None, review_note: str | None = None,
                  retires: bool = False) -> Version:
        """Store `document` as the version after `base_version` of the role (0: a new role).
        `reviewer` (with `review_note`) marks the version an approval or a rejection made by
        that person now; a version saved as approved without one was approved by its author.

        Raises ConflictError when that version number is taken (someone saved on top of the
        same version first) and WorkspaceError when the database refuses the write (locked,
        read-only, full): in every case nothing is stored and every stored version stays.
        The document is stored as given; check it first (jdcore.store.editing).
        `retires` (a draft or a version in review only) asks for the role to be retired when
        the version is approved.
        """
        check_role_id(role_id)
        if retires and status not in PENDING:
            raise WorkspaceError(f"only a draft or a version in review can ask for a "
                                 f"retirement, not one saved as {status}; nothing was saved")
        if status not in STATUSES:
            raise WorkspaceError(f"status '{status}' is not one of {', '.join(STATUSES)}")
        for text in (note, review_note or ""):
            if len(text) > MAX_NOTE_CHARS:
                raise WorkspaceError(f"the note has {len(text)} characters, over the limit of "
                                     f"{MAX_NOTE_CHARS}; shorten it")
        if base_version < 0:
            raise WorkspaceError(f"version {base_version} does not exist")
        if base_version > 0:
            base = self._status_of(role_id, base_version)
            if base is None:
                raise WorkspaceError(f"'{role_id}' has no version {base_version} to save on "
                                     "top of; nothing was saved")
            check_transition(base, status)
        else:
            check_transition(None, status)
        now = dt.datetime.now(dt.timezone.utc)
        if reviewer is None and status == APPROVED:
            reviewer = author  # approved by whoever saved it so
        row = {"role_id": role_id, "version": base_version + 1, "status": status,
               "document": document, "author": author, "created_at": now, "note": note,
               "base_version": base_version, "reviewer": reviewer,
               "reviewed_at": now if reviewer is not None else None,
               "review_note": review_note, "retires": retires}
        try:
            self._insert_role_versions([row])
        except IntegrityError:
            current = self.latest(role_id)
            if current is None:
                raise WorkspaceError(f"the workspace refused version {base_version + 1} of "
                                     f"'{role_id}'; nothing was saved") from None
            raise ConflictError(role_id, base_version, current) from None
        return self.version(role_id, base_version + 1)

    def _status_of(self, role_id: str, number: int) -> str | None:
        rows = self._read(select(role_versions.c.status).where(
            role_versions.c.role_id == role_id, role_versions.c.version == number))
        return rows[0].status if rows else None

    def retire(self, role_id: str, base_version: int, *, author: str = LOCAL_USER,
               note: str = "") -> Version:
        """A new version that takes the role out of the catalogue (its document kept)."""
        base = self.version(role_id, base_version)
        if base is None:
            raise WorkspaceError(f"'{role_id}' has no version {base_version}")
        return self.save_role(role_id, base.document, base_version, status=RETIRED,
                              author=author, note=note or "retired")

    def restore(self, role_id: str, number: int, base_version: int, *,
                author: str = LOCAL_USER, status: str = APPROVED) -> Version:
        """Version `number` again, as a new version on top of `base_version`."""
        old = self.version(role_id, number)
        if old is None:
            raise WorkspaceError(f"'{role_id}' has no version {number}")
        return self.save_role(role_id, old.document, base_version, status=status,
                              author=author, note=f"restored version {number}")

    def pending_version(self, role_id: str, number: int, doing: str) -> Version:
        """Version `number` of the role, which must be a draft or in review; else
        WorkspaceError saying there is nothing to `doing` ("approve", "reject")."""
        draft = self.version(role_id, number)
        if draft is None:
            raise WorkspaceError(f"'{role_id}' has no version {number}")
        if draft.status not in PENDING:
            raise WorkspaceError(f"version {number} of '{role_id}' is {draft.status}, not a "
                                 f"draft; there is nothing to {doing}")
        return draft

    def approve(self, role_id: str, number: int, *, approver: str = LOCAL_USER,
                note: str = "") -> Version:
        """Approve a draft (or a version in review): a new approved version with its
        document and author, on top of it, recording the approver and when. Raises
        ConflictError when it is no longer the newest (changed or reviewed meanwhile)."""
        draft = self.pending_version(role_id, number, "approve")
        return self.save_role(role_id, draft.document, number, status=draft.outcome,
                              author=draft.author, note=draft.note, reviewer=approver,
                              review_note=note or f"approved version {number}")

    def reject(self, role_id: str, number: int, reason: str, *,
               reviewer: str = LOCAL_USER) -> Version:
        """Send a change back to its author: a new draft with its document on top of it,
        recording who rejected it, when and why. Raises ConflictError when it is no longer
        the newest."""
        reason = reason.strip()
        if not reason:
            raise WorkspaceError("say why the change is rejected: the reason is what its "
                                 "author reads; nothing was changed")
        draft = self.pending_version(role_id, number, "reject")
        return self.save_role(role_id, draft.document, number, status=DRAFT,
                              author=draft.author, note=draft.note, reviewer=reviewer,
                              review_note=reason, retires=draft.retires)

    def submit(self, role_id: str, number: int, *, author: str = LOCAL_USER,
               note: str = "") -> Version:
        """Submit a draft for review: the same document as a new version in review."""
        draft = self.pending_version(role_id, number, "submit")
        if draft.status != DRAFT:
            raise WorkspaceError(f"version {number} of '{role_id}' is already in review")
        return self.save_role(role_id, draft.document, number, status=IN_REVIEW,
                              author=author, note=note or draft.note, retires=draft.retires)

    def approve_many(self, changes: list[tuple[str, int]], *, approver: str = LOCAL_USER,
                     note: str = "") -> list[Version]:
        """Approve several changes (role id, version) in one transaction: every one becomes
        a new approved version on top of it, or none does. Raises WorkspaceError when one is
        not pending and ConflictError (naming that role) when one is no longer the newest;
        in both cases nothing is stored. Check the changes together first
        (jdcore.store.editing.check_edits): their lines may point at each other."""
        if len({role_id for role_id, _ in changes}) != len(changes):
            raise WorkspaceError("a role is named twice among the changes to approve; approve "
                                 "one version of each role. Nothing was changed.")
        drafts = [self.pending_version(role_id, number, "approve") for role_id, number in changes]
        now = dt.datetime.now(dt.timezone.utc)
        rows = [{"role_id": d.role_id, "version": d.version + 1, "status": d.outcome,
                 "document": d.document, "author": d.author, "created_at": now,
                 "note": d.note, "base_version": d.version, "reviewer": approver,
                 "reviewed_at": now, "review_note": note or f"approved version {d.version}",
                 "retires": False}
                for d in drafts]
        if not rows:
            return []
        try:
            self._insert_role_versions(rows)
        except IntegrityError:
            for d in drafts:
                current = self.latest(d.role_id)
                if current is not None and current.version != d.version:
                    raise ConflictError(d.role_id, d.version, current) from None
            raise WorkspaceError("the workspace refused the approvals; nothing was "
                                 "changed") from None
        return [self.version(d.role_id, d.version + 1) for d in drafts]

    def approve_all(self, *, approver: str = LOCAL_USER) -> list[Version]:
        """Approve every pending draft; a draft that someone changed meanwhile is skipped
        (ConflictError) and stays pending."""
        approved = []
        for draft in self.pending():
            try:
                approved.append(self.approve(draft.role_id, draft.version, approver=approver))
            except ConflictError:
                continue
        return approved

    def add_drafts(self, documents: dict[str, str], *, author: str = LOCAL_USER,
                   note: str = "imported", notes: dict[str, str] | None = None,
                   taxonomy: tuple[str, int] | None = None,
                   retiring: Iterable[str] = ()) -> list[Version]:
        """Store each document as a draft on top of its role's newest version (a new role
        starts at version 1), all in one transaction: every draft is stored or none. Each
        draft's note is `note`, or its own in `notes` (role id -> note).
        `taxonomy` (document, base version): a new approved taxonomy version stored in the
        same transaction (the vocabulary the drafts need). Raises ConflictError when a role
        or the taxonomy was saved meanwhile; import again. The drafts of the roles in
        `retiring` ask for their retirement (Version.retires): approved, they retire the role."""
        retiring = set(retiring)
        unknown = sorted(retiring - set(documents))
        if unknown:
            raise WorkspaceError(f"{', '.join(unknown[:5])}: a retirement needs the role's "
                                 "document among the drafts; nothing was saved")
        notes = {rid: (notes or {}).get(rid, note) for rid in documents}
        for role_id in documents:
            check_role_id(role_id)
            if len(notes[role_id]) > MAX_NOTE_CHARS:
                raise WorkspaceError(f"the note has {len(notes[role_id])} characters, over "
                                     f"the limit of {MAX_NOTE_CHARS}; shorten it")
        latest = self._newest_numbers(list(documents))
        now = dt.datetime.now(dt.timezone.utc)
        rows = [{"role_id": rid, "version": latest.get(rid, 0) + 1, "status": DRAFT,
                 "document": text, "author": author, "created_at": now, "note": notes[rid],
                 "base_version": latest.get(rid, 0), "retires": rid in retiring}
                for rid, text in documents.items()]
        if not rows:
            return []
        extra = None
        if taxonomy is not None:
            extra = {"version": taxonomy[1] + 1, "status": APPROVED, "document": taxonomy[0],
                     "author": author, "created_at": now, "note": note}
        try:
            self._insert_role_versions(rows, taxonomy=extra)
        except IntegrityError:
            if taxonomy is not None:
                current = self.current_taxonomy()
                if current is not None and current.version != taxonomy[1]:
                    raise ConflictError("taxonomy", taxonomy[1], current) from None
            for rid in documents:
                current = self.latest(rid)
                if current is not None and current.version != latest.get(rid, 0):
                    raise ConflictError(rid, latest.get(rid, 0), current) from None
            raise WorkspaceError("the workspace refused the drafts; nothing was saved") from None
        return [Version(0, r["role_id"], r["version"], DRAFT, author, now, r["note"],
                        r["base_version"], r["document"], retires=r["retires"]) for r in rows]

    def _newest_numbers(self, role_ids: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(role_ids), 5000):
            part = role_ids[start:start + 5000]
            rows = self._read(select(role_versions.c.role_id, func.max(role_versions.c.version))
                              .where(role_versions.c.role_id.in_(part))
                              .group_by(role_versions.c.role_id))
            found.update({row[0]: row[1] for row in rows})
        return found

    def save_taxonomy(self, document: str, base_version: int, *, author: str = LOCAL_USER,
                      note: str = "", roles: dict[str, tuple[str, int]] | None = None) -> Version:
        """A new approved version of taxonomy.yaml on top of `base_version`; with `roles`
        (role id -> (document, the version it was made from)), a new approved version of
        each of those roles in the same transaction (a rename of a value they use): all of
        it is stored or none. Raises ConflictError naming who saved first when the taxonomy
        or one of the roles was saved meanwhile."""
        if len(note) > MAX_NOTE_CHARS:
            raise WorkspaceError(f"the note has {len(note)} characters, over the limit of "
                                 f"{MAX_NOTE_CHARS}; shorten it")
        now = dt.datetime.now(dt.timezone.utc)
        row = {"version": base_version + 1, "status": APPROVED, "document": document,
               "author": author, "created_at": now, "note": note}
        role_rows = [{"role_id": rid, "version": base + 1, "status": APPROVED,
                      "document": text, "author": author, "created_at": now, "note": note,
                      "base_version": base, "reviewer": author, "reviewed_at": now,
                      "review_note": note} for rid, (text, base) in (roles or {}).items()]
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(taxonomy_versions), [row])
                if role_rows:
                    connection.execute(insert(role_versions), role_rows)
        except IntegrityError:
            current = self.current_taxonomy()
            if current is not None and current.version != base_version:
                raise ConflictError("taxonomy", base_version, current) from None
            for rid, (_, base) in (roles or {}).items():
                latest = self.latest(rid)
                if latest is not None and latest.version != base:
                    raise ConflictError(rid, base, latest) from None
            raise WorkspaceError("the workspace refused the taxonomy; nothing was saved") from None
        except SQLAlchemyError as exc:
            raise WorkspaceError(database_message(exc, self.url)) from None
        return self.current_taxonomy()

    def taxonomy_history(self) -> list[Version]:
        """Every version of the taxonomy, oldest first (without documents)."""
        columns = [taxonomy_versions.c[name] for name in
                   ("id", "version", "status", "author", "created_at", "note")]
        rows = self._read(select(*columns).order_by(taxonomy_versions.c.version))
        return [_version(row, "taxonomy", with_document=False) for row in rows]

    def taxonomy_version(self, number: int) -> Version | None:
        rows = self._read(select(taxonomy_versions).where(taxonomy_versions.c.version == number))
        return _version(rows[0], "taxonomy") if rows else None

    # -- seeding, export, backup ----------------------------------------------------------

    def seed_from_folder(self, folder: str | Path, *, author: str = LOCAL_USER) -> int:
        """Store a catalogue folder's taxonomy.yaml and every roles/*.yaml, as they are, as
        the first approved versions, in one transaction. Returns the number of roles stored
        (0 when the workspace was already seeded, by this or another process)."""
        folder = Path(folder)
        try:
            taxonomy = (folder / TAXONOMY_FILE).read_text(encoding="utf-8")
            files = sorted((folder / ROLES_DIR).glob("*.yaml"))
            roles = {file.stem: file.read_text(encoding="utf-8") for file in files}
        except (OSError, UnicodeDecodeError) as exc:
            raise WorkspaceError(f"cannot read the catalogue folder {folder}: "
                                 f"{getattr(exc, 'strerror', None) or exc}; give the folder "
                                 f"that holds {TAXONOMY_FILE} and {ROLES_DIR}/") from None
        if self.is_seeded():
            return 0
        now = dt.datetime.now(dt.timezone.utc)
        note = f"from {folder.name or folder}"
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(taxonomy_versions), [{
                    "version": 1, "status": APPROVED, "document": taxonomy, "author": author,
                    "created_at": now, "note": note}])
                if roles:
                    connection.execute(insert(role_versions), [{
                        "role_id": rid, "version": 1, "status": APPROVED, "document": text,
                        "author": author, "created_at": now, "note": note, "base_version": 0}
                        for rid, text in roles.items()])
        except IntegrityError:
            return 0  # another process seeded it at the same moment
        except SQLAlchemyError as exc:
            raise WorkspaceError(database_message(exc, self.url)) from None
        return len(roles)

    def backup(self, target: str | Path) -> Path:
        """A consistent copy of an SQLite workspace at `target`, taken while the app may be
        writing (SQLite's online backup API). PostgreSQL: use pg_dump (see the README)."""
        target = Path(target)
        if not self.is_sqlite:
            raise WorkspaceError("a PostgreSQL workspace is backed up with pg_dump, e.g. "
                                 "`pg_dump --format=custom --file=FILE DBNAME`; see the README")
        if target.exists():
            raise WorkspaceError(f"{target} exists; give a new file name for the backup")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with self.engine.connect() as connection:
                source = connection.connection.driver_connection
                destination = sqlite3.connect(target)
                try:
                    source.backup(destination)
                finally:
                    destination.close()
        except (OSError, sqlite3.Error, SQLAlchemyError) as exc:
            target.unlink(missing_ok=True)
            raise WorkspaceError(f"cannot write the backup {target}: {exc}") from None
        return target


def check_transition(previous: str | None, status: str) -> None:
    """Raise WorkspaceError when a version of `status` may not follow one of `previous`
    (None: the role is new), by NEXT_STATUSES."""
    if status not in NEXT_STATUSES.get(previous, ()):
        after = f"after a version that is {previous}" if previous else "as a new role's first version"
        allowed = ", ".join(NEXT_STATUSES.get(previous, ()))
        raise WorkspaceError(f"a version cannot be {status} {after}; it can be: {allowed}")


def check_role_id(role_id: str) -> None:
    """Raise WorkspaceError for an id that cannot name a role file."""
    if not role_id or role_id != role_id.strip() or role_id in (".", "..") \
            or any(c in role_id for c in '/\\\0') or len(role_id) > MAX_ID_CHARS:
        raise WorkspaceError(f"'{role_id}' cannot be a role id; use letters, digits and "
                             f"hyphens (at most {MAX_ID_CHARS} characters)")
