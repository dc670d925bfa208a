"""Who is using the app, and what they may do.

- Sign-in is Streamlit's own (OpenID Connect through `st.login`, `st.user`, `st.logout`),
  configured under `[auth]` in `.streamlit/secrets.toml` (see the README). With it, every
  page asks a visitor to sign in first, and what a signed-in user may do comes from the
  permissions file (`$JDCORE_PERMISSIONS`, else `permissions.yaml`; jdcore.store.permissions),
  re-read when it changes. A file that cannot be read lets everyone only read, and says why.
- Without `[auth]` the app runs in single-user mode: the one local user holds every
  permission, and only this machine is served (a request from any other address is
  refused, whatever address the server listens on; `.streamlit/config.toml` makes it listen
  on 127.0.0.1).

Every write of a page goes through `current_access()` (jdcore.store.access.Access), which
checks the permission on the server whatever the page drew.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from jdcore.model.text import escape_markdown
from jdcore.store.access import Access
from jdcore.store.permissions import (LOCAL, VIEWER, Permissions, PermissionsError, User,
                                      load_permissions, single_user, unknown_scopes)
from jdcore.store.settings import permissions_file
from pages.workspace_state import current_workspace

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def auth_configured() -> bool:
    """Whether `[auth]` is configured in Streamlit's secrets (then sign-in is on)."""
    try:
        return bool(st.secrets.get("auth"))
    except Exception:  # no secrets file, or one that cannot be read: no sign-in
        return False


def current_user() -> User | None:
    """The signed-in user (LOCAL in single-user mode); None when nobody is signed in or the
    provider gave no usable email address."""
    if not auth_configured():
        return LOCAL
    if not st.user.is_logged_in:
        return None
    email = st.user.get("email")
    if not email or st.user.get("email_verified") is False:
        return None
    return User(str(email).strip().lower(), str(st.user.get("name") or ""))


@st.cache_resource(max_entries=4, show_spinner=False)
def _read_permissions(path: str, mtime_ns: int, size: int) -> tuple[Permissions, str | None]:
    try:
        return load_permissions(Path(path)), None
    except PermissionsError as error:
        return (Permissions({}, VIEWER, f"{path} (unreadable)"),
                f"{error}. Until it is fixed, everyone signed in may only read.")


def app_permissions() -> tuple[Permissions, str | None]:
    """The permissions in force, and a problem to show (a missing or broken file)."""
    if not auth_configured():
        return single_user(), None
    path = permissions_file()
    try:
        info = path.stat()
    except OSError:
        return (Permissions({}, VIEWER, f"{path} (missing)"),
                f"No permissions file at {path}: everyone signed in may only read. Create it "
                "(see the README) or set JDCORE_PERMISSIONS to its path.")
    return _read_permissions(str(path), info.st_mtime_ns, info.st_size)


def current_access() -> Access | None:
    """The workspace as the current user may use it (None: no workspace, or nobody signed
    in)."""
    live = current_workspace()
    user = current_user()
    if live is None or live.workspace is None or user is None:
        return None
    return Access(live.workspace, user, app_permissions()[0])


def refuse_remote_in_single_user_mode() -> None:
    """Single-user mode serves only this machine: stop any request from elsewhere (or any
    server told to listen beyond loopback) with what to do."""
    address = st.get_option("server.address")
    client = st.context.ip_address  # None for a loopback client
    remote = isinstance(client, str) and client not in LOOPBACK
    if remote or (isinstance(address, str) and address and address not in LOOPBACK):
        st.error("Sign-in is not configured, so this app runs in single-user mode, in which "
                 "whoever opens it may change everything: it serves only the machine it runs "
                 "on. Configure sign-in ([auth] in .streamlit/secrets.toml, see the README) "
                 "before opening it to a network.", icon=":material/lock:")
        st.stop()


def require_sign_in() -> User:
    """Before any page: the user, or a sign-in screen (and stop) when sign-in is on and
    nobody is signed in."""
    if not auth_configured():
        refuse_remote_in_single_user_mode()
        return LOCAL
    user = current_user()
    if user is not None:
        return user
    st.title("Role catalogue")
    if st.user.is_logged_in:  # signed in, but the provider gave no verified email address
        st.error("Your sign-in gave no verified email address, which the permissions need. "
                 "Sign out and sign in with an account that has one.", icon=":material/error:")
        st.button("Sign out", on_click=st.logout, key="signout")
    else:
        st.info("Sign in to open the role catalogue.", icon=":material/login:")
        st.button("Sign in", type="primary", on_click=st.login, key="signin",
                  icon=":material/login:")
    st.stop()


def show_user() -> None:
    """In the sidebar: who is signed in and their roles, the way out, and any problem with
    the permissions file."""
    permissions, problem = app_permissions()
    with st.sidebar:
        if not auth_configured():
            st.caption("Single-user mode (no sign-in configured): you may do everything. "
                       "Only this machine is served.")
            return
        user = current_user()
        if user is None:
            return
        held = "; ".join(str(g) for g in permissions.of(user)) or "no permission"
        st.text(f"Signed in as {user.label}: {held}")  # plain text, never markup
        st.button("Sign out", on_click=st.logout, key="signout", icon=":material/logout:")
        if problem:
            st.error(escape_markdown(problem), icon=":material/error:")
        live = current_workspace()
        catalogue = live.snapshot.catalogue if live and live.snapshot else None
        if catalogue is not None and catalogue.taxonomy is not None and \
                any(g.role == "admin" for g in permissions.of(user)):
            for warning in unknown_scopes(permissions, list(catalogue.taxonomy.business_areas),
                                          list(catalogue.taxonomy.departments)):
                st.warning(escape_markdown(warning), icon=":material/warning:")
