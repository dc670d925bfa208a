"""Who may do what in the workspace: roles per signed-in user, scoped to business areas or
departments, read from a small YAML file (`permissions.yaml`, see the README).

    default: viewer            # anyone signed in who is not listed: viewer or none
    users:
      - email: ana@example.org
        role: editor           # viewer, editor, approver or admin
        business_areas: [sales]   # optional: only roles in these business areas
        departments: [sales]      # optional: only roles in these departments
      - email: bo@example.org
        role: approver
        approve_own: true      # optional: may approve a change they submitted themselves

The roles build on each other: a viewer reads; an editor also drafts changes and submits
them for review; an approver also approves, rejects and retires; an administrator also
manages the taxonomy and the permissions (for the whole catalogue, never scoped). A user
listed more than once holds every grant listed. An approver never approves their own
change unless a grant that covers the role says `approve_own: true`.

Plain functions, no Streamlit: `load_permissions` reads and checks the file (a problem names
the file, the field and the fix), `can` answers one question, `refusal` says why not.
Without sign-in the app runs as the one local user, who holds every permission
(`single_user`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..model.problems import CatalogueError, did_you_mean
from ..model.yamlfile import parse_yaml_text, read_yaml_file

VIEWER, EDITOR, APPROVER, ADMIN = "viewer", "editor", "approver", "admin"
ROLES = (VIEWER, EDITOR, APPROVER, ADMIN)
NONE = "none"  # a default that lets an unlisted user in to nothing

VIEW, DRAFT, SUBMIT, APPROVE, REJECT, RETIRE, TAXONOMY, MANAGE = (
    "view", "draft", "submit", "approve", "reject", "retire", "taxonomy", "permissions")
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    VIEWER: frozenset({VIEW}),
    EDITOR: frozenset({VIEW, DRAFT, SUBMIT}),
    APPROVER: frozenset({VIEW, DRAFT, SUBMIT, APPROVE, REJECT, RETIRE}),
    ADMIN: frozenset({VIEW, DRAFT, SUBMIT, APPROVE, REJECT, RETIRE, TAXONOMY, MANAGE}),
}
GLOBAL_ACTIONS = frozenset({TAXONOMY, MANAGE})  # about the whole catalogue, never one role
ACTION_WORDS = {VIEW: "read", DRAFT: "draft changes to", SUBMIT: "submit for review changes to",
                APPROVE: "approve changes to", REJECT: "reject changes to", RETIRE: "retire",
                TAXONOMY: "change the taxonomy", MANAGE: "change the permissions"}
LOCAL_EMAIL = "local"  # the one user of single-user mode (no sign-in configured)
_TOP_KEYS = ("default", "users")
_GRANT_KEYS = ("email", "role", "business_areas", "departments", "approve_own")
_TRUE, _FALSE = {"true", "yes", "on"}, {"false", "no", "off"}


class PermissionsError(Exception):
    """The permissions file cannot be used; the message names the file, the field and the
    fix."""


@dataclass(frozen=True)
class User:
    """Who is acting: a signed-in person (by email) or the local user of single-user mode."""

    email: str
    name: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.email})" if self.name and self.name != self.email \
            else self.email


LOCAL = User(LOCAL_EMAIL, "local user")


@dataclass(frozen=True)
class Grant:
    """One role of one user, over the roles in its scope (empty: every role)."""

    role: str
    business_areas: frozenset[str] = frozenset()
    departments: frozenset[str] = frozenset()
    approve_own: bool = False

    def covers(self, scope: Mapping | None) -> bool:
        """Whether a role with this department and business area is in the grant's scope.
        None: the whole catalogue, which only an unscoped grant covers."""
        if scope is None:
            return not self.business_areas and not self.departments
        return ((not self.business_areas or scope.get("business_area") in self.business_areas)
                and (not self.departments or scope.get("department") in self.departments))

    def allows(self, action: str, scope: Mapping | None) -> bool:
        return action in ROLE_ACTIONS[self.role] and self.covers(scope)

    def __str__(self) -> str:
        parts = [p for p in (
            "business area " + ", ".join(sorted(self.business_areas)) if self.business_areas
            else "", "department " + ", ".join(sorted(self.departments)) if self.departments
            else "") if p]
        return self.role + (f" for {' and '.join(parts)}" if parts else " for every role")


@dataclass(frozen=True)
class Permissions:
    """Every user's grants, and the role of a signed-in user who is not listed."""

    grants: dict[str, tuple[Grant, ...]] = field(default_factory=dict)
    default: str = VIEWER
    source: str = "(no permissions file)"

    def of(self, user: User) -> tuple[Grant, ...]:
        listed = self.grants.get(user.email.lower())
        if listed:
            return listed
        return () if self.default == NONE else (Grant(self.default),)


def single_user() -> Permissions:
    """Single-user mode: the local user holds every permission, their own approvals too."""
    return Permissions({LOCAL_EMAIL: (Grant(ADMIN, approve_own=True),)}, NONE,
                       "single-user mode (no sign-in configured)")


def can(permissions: Permissions, user: User, action: str, scope: Mapping | None = None) -> bool:
    """Whether `user` may do `action` to a role with `scope` (a mapping with its
    "department" and "business_area"; None for the whole catalogue)."""
    if action in GLOBAL_ACTIONS:
        scope = None
    return any(grant.allows(action, scope) for grant in permissions.of(user))


def may_approve_own(permissions: Permissions, user: User, scope: Mapping | None) -> bool:
    """Whether a grant covering the role lets `user` approve a change they submitted."""
    return any(g.approve_own and g.allows(APPROVE, scope) for g in permissions.of(user))


def scope_words(scope: Mapping | None) -> str:
    if scope is None:
        return "the whole catalogue"
    return (f"roles in business area '{scope.get('business_area') or '(none)'}', department "
            f"'{scope.get('department') or '(none)'}'")


def refusal(permissions: Permissions, user: User, action: str,
            scope: Mapping | None = None) -> str:
    """Why `user` may not do `action`: what they hold and who can help."""
    grants = permissions.of(user)
    held = "; ".join(str(g) for g in grants) if grants else "no permission at all"
    what = ACTION_WORDS.get(action, action)
    target = "" if action in GLOBAL_ACTIONS else f" {scope_words(scope)}"
    return (f"{user.email} may not {what}{target}: {permissions.source} gives them {held}. "
            "Nothing was changed. Ask someone who may, or an administrator to change the "
            "permissions.")


def _text_list(value, where: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise PermissionsError(f"{where}: write a list of ids, e.g. [sales, logistics]")
    return frozenset(v.strip() for v in value)


def _flag(value, where: str) -> bool:
    if value is None:
        return False
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise PermissionsError(f"{where}: '{value}' is not true or false; write true or false")


def _role(value, where: str, allowed: tuple[str, ...]) -> str:
    text = str(value or "").strip().lower()
    if text not in allowed:
        raise PermissionsError(f"{where}: '{value}' is not a role; write one of "
                               f"{', '.join(allowed)}{did_you_mean(text, allowed)}")
    return text


def _unknown_keys(data: dict, known: tuple[str, ...], where: str) -> None:
    for key in data:
        if key not in known:
            raise PermissionsError(f"{where}: unknown field '{key}'; the fields are "
                                   f"{', '.join(known)}{did_you_mean(str(key), known)}")


def parse_permissions(text: str, name: str = "permissions.yaml") -> Permissions:
    """The permissions in a file's text; raise PermissionsError naming the field and the
    fix."""
    try:
        data = parse_yaml_text(text, name).data
    except CatalogueError as exc:
        raise PermissionsError("; ".join(str(p) for p in exc.problems)) from None
    if not isinstance(data, dict):
        raise PermissionsError(f"{name}: write a mapping with the fields default and users "
                               "(see the README)")
    _unknown_keys(data, _TOP_KEYS, name)
    default = _role(data.get("default", VIEWER), f"{name}, default", (NONE,) + ROLES[:1])
    users = data.get("users") or []
    if not isinstance(users, list):
        raise PermissionsError(f"{name}, users: write a list, one entry (- email: ..., "
                               "role: ...) per grant")
    grants: dict[str, list[Grant]] = {}
    for n, entry in enumerate(users, 1):
        where = f"{name}, users entry {n}"
        if not isinstance(entry, dict):
            raise PermissionsError(f"{where}: write email: and role: (and optionally "
                                   "business_areas, departments, approve_own)")
        email = str(entry.get("email") or "").strip().lower()
        if "@" not in email or any(c.isspace() for c in email):
            raise PermissionsError(f"{where}, email: '{entry.get('email') or ''}' is not an "
                                   "email address; write the address the user signs in with")
        where = f"{where} ({email})"
        _unknown_keys(entry, _GRANT_KEYS, where)
        grant = Grant(_role(entry.get("role"), f"{where}, role", ROLES),
                      _text_list(entry.get("business_areas"), f"{where}, business_areas"),
                      _text_list(entry.get("departments"), f"{where}, departments"),
                      _flag(entry.get("approve_own"), f"{where}, approve_own"))
        if grant.role == ADMIN and not grant.covers(None):
            raise PermissionsError(f"{where}: an admin manages the taxonomy and the "
                                   "permissions of the whole catalogue, so it cannot be "
                                   "scoped; remove business_areas and departments, or make "
                                   "this grant an approver")
        grants.setdefault(email, []).append(grant)
    return Permissions({email: tuple(g) for email, g in grants.items()}, default, name)


def load_permissions(path: str | Path) -> Permissions:
    """Read and check the permissions file at `path`; PermissionsError says what to fix."""
    path = Path(path)
    try:
        document = read_yaml_file(path, str(path))
    except CatalogueError as exc:
        raise PermissionsError("; ".join(str(p) for p in exc.problems)) from None
    except OSError as exc:
        raise PermissionsError(f"{path}: cannot be read ({exc.strerror or exc}); check the "
                               "path in JDCORE_PERMISSIONS and the file's permissions") from None
    return parse_permissions(document.text or "", str(path))


def unknown_scopes(permissions: Permissions, business_areas, departments) -> list[str]:
    """A warning per business area or department a grant names that the taxonomy lacks (a
    typo there would silently grant nothing)."""
    warnings = []
    for email, grants in sorted(permissions.grants.items()):
        for grant in grants:
            for kind, ids, known in (("business area", grant.business_areas, business_areas),
                                     ("department", grant.departments, departments)):
                for value in sorted(ids - set(known)):
                    warnings.append(f"{permissions.source}: {email} is granted {kind} "
                                    f"'{value}', which the taxonomy does not have"
                                    f"{did_you_mean(value, known)}; correct the id")
    return warnings
