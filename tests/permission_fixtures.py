"""The permissions file the sign-in tests use: an editor of the sales department, two
approvers, one who may approve their own changes, a viewer and an administrator; the
`[auth]` secrets that turn sign-in on in AppTest runs, a workspace of a test's own with
that file in force, and a page run signed in as someone."""

from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback",
        "cookie_secret": "a test secret that is long enough to sign cookies",
        "client_id": "test", "client_secret": "test",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}

TEAM_PERMISSIONS = """\
default: viewer
users:
  - email: ed@example.org
    role: editor
    departments: [sales]
  - email: ap@example.org
    role: approver
  - email: ap2@example.org
    role: approver
  - email: own@example.org
    role: approver
    approve_own: true
  - email: view@example.org
    role: viewer
  - email: admin@example.org
    role: admin
"""


def team_workspace(tmp_path: Path, monkeypatch, name: str) -> str:
    """A workspace of the test's own (an SQLite file seeded from data/) that the app opens,
    with TEAM_PERMISSIONS as its permissions file; its URL."""
    from jdcore.store import Workspace

    url = f"sqlite:///{tmp_path / f'{name}.sqlite'}"
    monkeypatch.setenv("JDCORE_WORKSPACE", url)
    monkeypatch.delenv("JDCORE_CATALOGUE", raising=False)
    permissions = tmp_path / "permissions.yaml"
    permissions.write_text(TEAM_PERMISSIONS, encoding="utf-8")
    monkeypatch.setenv("JDCORE_PERMISSIONS", str(permissions))
    ws = Workspace.open(url, create=True)
    ws.seed_from_folder(ROOT / "data")
    ws.close()
    return url


def page(name: str, email: str | None = None, query: dict | None = None,
         session: dict | None = None):
    """A run of pages/<name>.py: signed in as `email` (sign-in configured), or in
    single-user mode when None; `session` is the session state it starts with."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)  # a busy machine
    for key, value in (session or {}).items():
        at.session_state[key] = value
    if email is not None:
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": True, "email": email, "name": email.split("@")[0]}
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page(f"pages/{name}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def text(element) -> str:
    """An alert's text as the user reads it (the page escapes markup with backslashes)."""
    return element.value.replace("\\", "").replace("\u2060", "")


@contextmanager
def seeded_workspace(url: str):
    """A workspace at `url` seeded from data/, closed afterwards."""
    from jdcore.store import Workspace

    ws = Workspace.open(url, create=True)
    try:
        ws.seed_from_folder(ROOT / "data")
        yield ws
    finally:
        ws.close()


def as_(workspace, user):
    """The workspace as `user` may use it under TEAM_PERMISSIONS."""
    from jdcore.store.access import Access
    from jdcore.store.permissions import parse_permissions

    return Access(workspace, user, parse_permissions(TEAM_PERMISSIONS, "permissions.yaml"))
