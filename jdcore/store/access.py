"""The workspace as one user may use it: every write the app makes goes through `Access`,
which checks the user's permissions (jdcore.store.permissions) on the server before the
workspace stores anything, and records the user as the author or the reviewer.

A hidden or disabled button is not a permission: a page that offers an action asks `can`
to draw it, and the action itself is checked again here, so a forged request for an action
the user lacks is refused with PermissionDenied and nothing is stored. A change to a role
is checked against the role's scope (its department and business area) before and after
the change, so moving a role out of someone's area needs their right over both.

The review workflow: a draft is submitted (in review), then approved or rejected (a draft
again, with the reason). An approval is refused when the change is no longer the newest
version of its role (StaleReview: it changed since it was submitted, or another approver
acted first; the database's unique version number settles a race) and when the approver
submitted the change themselves, unless their permissions allow it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..loading.files import role_document_name
from ..model.catalogue import Catalogue
from ..model.problems import CatalogueError
from ..model.yamlfile import parse_yaml_text
from .catalogue import load_snapshot
from .database import WorkspaceError
from .editing import check_edits
from .permissions import (APPROVE, DRAFT as DRAFT_ACTION, GLOBAL_ACTIONS, REJECT, RETIRE,
                          ROLE_ACTIONS, SUBMIT, TAXONOMY, Permissions, User, can,
                          may_approve_own, refusal)
from .schema import APPROVED, DRAFT, IN_REVIEW, RETIRED
from .workspace import ConflictError, Version, Workspace


class PermissionDenied(WorkspaceError):
    """The user lacks the permission for what was asked; nothing was stored."""


class ApprovalRefused(WorkspaceError):
    """Changes approved together were refused, all of them; nothing was stored. `reasons`:
    one line per refusal (the role, the field and the fix)."""

    def __init__(self, reasons: list[str], selected: int, together: bool = False):
        self.reasons = reasons
        what = (f"the {selected} selected change(s), applied together, would leave "
                f"{len(reasons)} error(s) in the catalogue" if together else
                f"{len(reasons)} of the {selected} selected change(s) cannot be approved")
        self.headline = (f"Nothing was approved: {what}. Fix them, or leave those changes "
                         "out of the selection, and approve again.")
        super().__init__(f"{self.headline[:-1]}: " + "; ".join(reasons))


class StaleReview(WorkspaceError):
    """The change under review is no longer the newest version of its role; nothing was
    stored."""


def role_scope(document: str | None) -> dict:
    """The department and business area a role document names (empty when it has none or
    cannot be read: then only a grant over every role covers it)."""
    if not document:
        return {}
    try:
        data = parse_yaml_text(document, "role").data
    except CatalogueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: str(data[key]) for key in ("department", "business_area")
            if data.get(key) is not None}


def _stale_message(role_id: str, number: int, current: Version, doing: str) -> str:
    at = current.created_at.strftime("%H:%M UTC")
    if current.base_version == number and current.reviewer is not None:
        verb = "approved" if current.status == APPROVED else "rejected"
        what = f"{current.reviewer} {verb} it at {at} (version {current.version})"
    else:
        what = (f"{current.author} saved version {current.version} ({current.status}) at "
                f"{at}")
    return (f"'{role_id}' version {number} can no longer be {doing}: {what}. Nothing was "
            "changed; review the role's newest version.")


def review_label(role_id: str, version: int) -> str:
    """What a problem of a change in review names: "roles/x.yaml (version 3, in review)"."""
    return f"{role_document_name(role_id)} (version {version}, in review)"


def _with_waiting(reason: str, waiting: set[str]) -> str:
    """A refusal, with the roles it names whose own changes wait for approval unselected."""
    named = sorted(rid for rid in waiting if f"'{rid}'" in reason)
    if not named:
        return reason
    reason = re.sub(r"; did you mean '[^']*'\?", "", reason)  # the role exists: it waits
    return (f"{reason} ({', '.join(named)} {'waits' if len(named) == 1 else 'wait'} for "
            "approval too: select it with this change)")


@dataclass
class Access:
    """`workspace` as `user` may use it under `permissions`."""

    workspace: Workspace
    user: User
    permissions: Permissions

    # -- questions the pages ask to draw what is offered -----------------------------------

    def can(self, action: str, *documents: str | None) -> bool:
        """Whether the user may do `action` to a role with each of these documents (no
        document: the action over the whole catalogue, or to any role in their scope)."""
        if not documents:
            if action in GLOBAL_ACTIONS:
                return can(self.permissions, self.user, action)
            return any(action in ROLE_ACTIONS[g.role] for g in self.permissions.of(self.user))
        return all(can(self.permissions, self.user, action, role_scope(d)) for d in documents)

    def refusal(self, action: str, *documents: str | None) -> str:
        """Why the user may not do `action` to these documents ('' when they may)."""
        for document in documents:
            scope = role_scope(document) if document is not None else None
            if document is not None and not can(self.permissions, self.user, action, scope):
                return refusal(self.permissions, self.user, action, scope)
        return ""

    def may_publish(self, *documents: str | None) -> bool:
        """Whether the user may save a change to these documents as approved straight away
        (approving their own change)."""
        return self.can(APPROVE, *documents) and all(
            may_approve_own(self.permissions, self.user, role_scope(d)) for d in documents)

    def may_approve(self, change: Version) -> bool:
        """Whether the user may approve this change (their scope, and not their own unless
        allowed)."""
        base = self._published_document(change.role_id, change.base_version)
        try:
            self._check_approval(change, base)
        except PermissionDenied:
            return False
        return True

    # -- checks ----------------------------------------------------------------------------

    def _require(self, action: str, *documents: str | None) -> None:
        for document in documents:
            scope = role_scope(document) if document is not None else None
            if document is None and action != TAXONOMY:
                continue  # a new role: only its own document has a scope
            if not can(self.permissions, self.user, action, scope):
                raise PermissionDenied(refusal(self.permissions, self.user, action, scope))

    def _published_document(self, role_id: str, below: int) -> str | None:
        """The document of the role's newest approved or retired version up to `below`."""
        for version in reversed(self.workspace.history(role_id)):
            if version.version <= below and version.status in (APPROVED, RETIRED):
                found = self.workspace.version(role_id, version.version)
                return found.document if found else None
        return None

    def _check_approval(self, change: Version, base_document: str | None) -> None:
        self._require(APPROVE, change.document, base_document)
        if change.retires:  # approving it retires the role
            self._require(RETIRE, change.document, base_document)
        if change.author.lower() == self.user.email.lower() and not may_approve_own(
                self.permissions, self.user, role_scope(change.document)):
            raise PermissionDenied(
                f"{self.user.email} submitted this change to '{change.role_id}' and may not "
                "approve it too: another approver must review it (or the permissions give "
                "them approve_own: true). Nothing was changed.")

    def _newest(self, role_id: str, number: int, doing: str) -> Version:
        """Version `number`, which must still be the role's newest; else StaleReview."""
        latest = self.workspace.latest(role_id)
        if latest is None:
            raise WorkspaceError(f"'{role_id}' has no version {number}")
        if latest.version != number:
            raise StaleReview(_stale_message(role_id, number, latest, doing))
        return latest

    def _settled(self, role_id: str, number: int, doing: str, write):
        """Run `write`; a collision (someone wrote on top of `number` first) is a
        StaleReview naming who."""
        try:
            return write()
        except ConflictError as refused:
            raise StaleReview(_stale_message(role_id, number, refused.current, doing)) from None

    # -- writes ----------------------------------------------------------------------------

    def save_role(self, role_id: str, document: str, base_version: int, *,
                  status: str = DRAFT, note: str = "") -> Version:
        """Save an edit (or a new role, base_version 0) as the user. A draft needs the right
        to draft, a version in review the right to submit, a version saved as approved the
        right to approve (its own change, so approve_own too), retired the right to retire:
        each over the role as it was and as it becomes."""
        before = None
        if base_version > 0:
            base = self.workspace.version(role_id, base_version)
            before = base.document if base is not None else None
        action = {DRAFT: DRAFT_ACTION, IN_REVIEW: SUBMIT, APPROVED: APPROVE,
                  RETIRED: RETIRE}.get(status, DRAFT_ACTION)
        self._require(action, document, before)
        if status == APPROVED and not may_approve_own(self.permissions, self.user,
                                                      role_scope(document)):
            raise PermissionDenied(
                f"{self.user.email} may not save '{role_id}' as approved: that would approve "
                "their own change. Save it as a draft or in review for another approver. "
                "Nothing was changed.")
        return self.workspace.save_role(role_id, document, base_version, status=status,
                                        author=self.user.email, note=note)

    def submit(self, role_id: str, number: int, *, note: str = "") -> Version:
        """Submit a draft for review, as the user."""
        draft = self.workspace.pending_version(role_id, number, "submit")
        self._require(SUBMIT, draft.document)
        self._newest(role_id, number, "submitted")
        return self._settled(role_id, number, "submitted", lambda: self.workspace.submit(
            role_id, number, author=self.user.email, note=note))

    def _approvable(self, role_id: str, number: int) -> Version:
        """Version `number` of the role, which the user may approve now: in review, the
        newest, within their permissions and not their own unless allowed."""
        change = self.workspace.pending_version(role_id, number, "approve")
        self._check_approval(change, self._published_document(role_id, number))
        if change.status != IN_REVIEW:
            raise WorkspaceError(f"'{role_id}' version {number} is a draft: its author submits "
                                 "it for review first. Nothing was changed.")
        self._newest(role_id, number, "approved")
        return change

    def approve(self, role_id: str, number: int, *, note: str = "") -> Version:
        """Approve a change in review, as the user: refused (nothing stored) when they may
        not, when it is a draft not yet submitted, and when it changed or was reviewed since
        (StaleReview)."""
        self._approvable(role_id, number)
        return self._settled(role_id, number, "approved", lambda: self.workspace.approve(
            role_id, number, approver=self.user.email, note=note))

    def approve_many(self, changes: list[tuple[str, int]], *,
                     catalogue: Catalogue | None = None, note: str = "") -> list[Version]:
        """Approve several changes in review (role id, version) together, as the user: each
        is checked as `approve` checks it (permissions, own change, in review, newest), then
        all of them are checked as one catalogue with every one applied (`catalogue`: the
        current one, loaded from the workspace when not given), so that a family whose
        reporting lines point at each other is approved at once, in any order; then they are
        stored in one transaction. Any refusal refuses them all (ApprovalRefused, naming
        each role, the field and the fix) and nothing is stored."""
        refused, drafts = [], []
        for role_id, number in changes:
            try:
                drafts.append(self._approvable(role_id, number))
            except WorkspaceError as error:
                refused.append(f"{role_id}: {error}")
        if refused:
            raise ApprovalRefused(refused, len(changes))
        if not drafts:
            return []
        if catalogue is None:
            catalogue = load_snapshot(self.workspace).catalogue
        check = check_edits(catalogue, {d.role_id: None if d.retires else d.document
                                        for d in drafts},
                            {d.role_id: review_label(d.role_id, d.version) for d in drafts})
        if check.errors:
            waiting = {v.role_id for v in self.workspace.pending()} - {d.role_id for d in drafts}
            raise ApprovalRefused([_with_waiting(str(p), waiting) for p in check.errors],
                                  len(changes), together=True)
        try:
            return self.workspace.approve_many([(d.role_id, d.version) for d in drafts],
                                               approver=self.user.email, note=note)
        except ConflictError as conflict:
            raise StaleReview(_stale_message(conflict.role_id, conflict.base_version,
                                             conflict.current, "approved")) from None

    def reject(self, role_id: str, number: int, reason: str) -> Version:
        """Send a change in review back to draft with a reason, as the user."""
        change = self.workspace.pending_version(role_id, number, "reject")
        self._require(REJECT, change.document, self._published_document(role_id, number))
        if change.status != IN_REVIEW:
            raise WorkspaceError(f"'{role_id}' version {number} is a draft, not in review: "
                                 "there is nothing to reject. Nothing was changed.")
        self._newest(role_id, number, "rejected")
        return self._settled(role_id, number, "rejected", lambda: self.workspace.reject(
            role_id, number, reason, reviewer=self.user.email))

    def retire(self, role_id: str, base_version: int, *, note: str = "") -> Version:
        base = self.workspace.version(role_id, base_version)
        self._require(RETIRE, base.document if base else None)
        return self.workspace.retire(role_id, base_version, author=self.user.email, note=note)

    def restore(self, role_id: str, number: int, base_version: int, *,
                status: str = DRAFT) -> Version:
        """Version `number` again, on top of `base_version`, with `status` (checked as a
        save of that status)."""
        old = self.workspace.version(role_id, number)
        if old is None:
            raise WorkspaceError(f"'{role_id}' has no version {number}")
        return self.save_role(role_id, old.document, base_version, status=status,
                              note=f"restored version {number}")

    def add_drafts(self, documents: dict[str, str], *, note: str = "imported",
                   notes: dict[str, str] | None = None,
                   taxonomy: tuple[str, int] | None = None,
                   retiring: Iterable[str] = ()) -> list[Version]:
        """Store imported role documents as drafts, as the user: refused as a whole when any
        of them (as it is, or as it becomes) is outside the user's right to draft, or when
        the import adds to the taxonomy (`taxonomy`) and the user may not change it."""
        if taxonomy is not None:
            self._require(TAXONOMY, None)
        if not can(self.permissions, self.user, DRAFT_ACTION, None):  # scoped: role by role
            for role_id, document in documents.items():
                latest = self.workspace.latest(role_id)
                self._require(DRAFT_ACTION, document, latest.document if latest else None)
        return self.workspace.add_drafts(documents, author=self.user.email, note=note,
                                         notes=notes, taxonomy=taxonomy, retiring=retiring)

    def save_taxonomy(self, document: str, base_version: int, *, note: str = "",
                      roles: dict[str, tuple[str, int]] | None = None) -> Version:
        """A new taxonomy version, as the user: only an administrator may (the taxonomy
        permission, over the whole catalogue). `roles` are the new versions of the roles a
        rename updates (role id -> (document, base version)), stored approved in the same
        transaction: they are part of the taxonomy's change, which the same permission
        covers."""
        self._require(TAXONOMY, None)
        return self.workspace.save_taxonomy(document, base_version, author=self.user.email,
                                            note=note, roles=roles)
