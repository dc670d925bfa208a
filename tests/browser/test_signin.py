"""Sign-in for real: a local OpenID Connect provider made for tests (oidc-provider-mock, on
127.0.0.1) and an app server whose [auth] secrets point at it, with a permissions file. An
editor and an approver sign in through the provider's own form; each is offered what their
permissions allow, and what they lack is refused."""

from __future__ import annotations

import json
import re
import threading
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from permission_fixtures import TEAM_PERMISSIONS
from playwright.sync_api import expect

from jdcore.store import APPROVED, DRAFT, IN_REVIEW, Workspace

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
VIEWPORT = {"width": 1280, "height": 900}
ACTION_TIMEOUT, NAVIGATION_TIMEOUT = 30_000, 60_000  # ms, as the shared browser context

PERMISSIONS = TEAM_PERMISSIONS
USERS = {"ed@example.org": "Ed Editor", "ap@example.org": "Ada Approver"}
HEAD_OF_SALES = quote("Head of Sales Department")


@pytest.fixture(scope="module")
def oidc_provider() -> Iterator[str]:
    """A test OpenID Connect provider on 127.0.0.1 (a free port), with the two users."""
    import werkzeug.serving
    from oidc_provider_mock import app

    server = werkzeug.serving.make_server("127.0.0.1", 0, app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    for email, name in USERS.items():
        request = urllib.request.Request(
            f"{url}/users/{quote(email)}", method="PUT", headers={
                "Content-Type": "application/json"},
            data=json.dumps({"email": email, "email_verified": True, "name": name}).encode())
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 204
    try:
        yield url
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def signed_in_app(oidc_provider, tmp_path_factory, chromium_browser,
                  server_with) -> Iterator[tuple[str, str]]:
    """(app URL, workspace URL): an app server with sign-in configured against the provider,
    a permissions file and a workspace of its own."""
    folder = tmp_path_factory.mktemp("signin")
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a cookie secret for the sign-in browser test, long enough"\n'
        'client_id = "jdcore-browser-test"\n'
        'client_secret = "jdcore-browser-test-secret"\n'
        f'server_metadata_url = "{oidc_provider}/.well-known/openid-configuration"\n',
        encoding="utf-8")
    permissions = folder / "permissions.yaml"
    permissions.write_text(PERMISSIONS, encoding="utf-8")
    workspace_url = f"sqlite:///{folder / 'workspace.sqlite'}"
    workspace = Workspace.open(workspace_url, create=True)
    workspace.seed_from_folder(ROOT / "data")
    workspace.close()
    env = {"STREAMLIT_SECRETS_FILES": str(secrets), "JDCORE_PERMISSIONS": str(permissions),
           "JDCORE_WORKSPACE": workspace_url}
    yield server_with(tmp_path_factory, env), workspace_url


@pytest.fixture
def new_context(chromium_browser, oidc_provider):
    """`new_context()` -> a browser context of its own (its own cookies: one user each).
    Requests leaving the machine are refused; any the app makes fails the test (the test
    provider's own form loads a stylesheet from the network, which is refused quietly)."""
    provider = urlparse(oidc_provider).netloc
    contexts, outside = [], []

    def route(route):
        url = urlparse(route.request.url)
        if url.scheme in ("data", "blob", "about") or url.hostname in LOCAL_HOSTS:
            route.continue_()
            return
        frame = route.request.frame
        if urlparse(frame.url).netloc != provider:
            outside.append(route.request.url)
        route.abort()

    def make():
        context = chromium_browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(ACTION_TIMEOUT)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT)
        context.route("**/*", route)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not outside, "the app made requests that left the machine: " + ", ".join(outside)


def sign_in(wait_for_app, context, app_url: str, email: str, path: str = "/"):
    """Open the app, sign in through the provider's form as `email`, and open `path`."""
    page = context.new_page()
    page.goto(app_url + path, wait_until="domcontentloaded")
    wait_for_app(page)
    expect(page.get_by_text("Sign in to open the role catalogue.")).to_be_visible()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/oauth2/authorize.*"))
    page.locator('input[name="sub"]').fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(re.escape(app_url) + r"/?(\?.*)?$"))
    wait_for_app(page)
    expect(page.get_by_text(f"Signed in as {USERS[email]} ({email})", exact=False)).to_be_visible()
    if path != "/":
        page.goto(app_url + path, wait_until="domcontentloaded")
        wait_for_app(page)
    return page


def latest(workspace_url: str, role_id: str = "head-of-sales"):
    workspace = Workspace.open(workspace_url)
    try:
        return workspace.latest(role_id)
    finally:
        workspace.close()


def test_nobody_sees_the_catalogue_before_signing_in(signed_in_app, new_context, wait_for_app):
    app_url, _ = signed_in_app
    page = new_context().new_page()
    page.goto(app_url + "/catalogue", wait_until="domcontentloaded")
    wait_for_app(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(0)
    expect(page.get_by_text("Head of Sales Department")).to_have_count(0)


def test_an_editor_drafts_and_submits_and_an_approver_approves(signed_in_app, new_context,
                                                               wait_for_app, screenshot):
    app_url, workspace_url = signed_in_app
    editor = sign_in(wait_for_app, new_context(), app_url, "ed@example.org", f"/edit?role={HEAD_OF_SALES}")
    expect(editor.get_by_text("editor for department sales", exact=False)).to_be_visible()
    save_as = editor.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').filter(
        has_text="Save as").get_by_role("combobox")
    expect(save_as).to_have_value("Draft")  # approving their own change is not offered
    options = editor.get_by_role("option")
    for _ in range(10):  # a click while the page is still drawing its tables may not open it
        save_as.click()
        try:
            expect(options.first).to_be_visible(timeout=2000)
            break
        except AssertionError:
            editor.keyboard.press("Escape")
    expect(options).to_have_count(2)
    assert [o.strip() for o in options.all_inner_texts()] == ["Draft", "In review"]
    editor.get_by_role("option", name="In review").click()
    expect(save_as).to_have_value("In review")
    wait_for_app(editor)
    title = editor.get_by_label("Title", exact=True)
    title.fill("Head of Sales (signed in)")
    title.press("Enter")
    wait_for_app(editor)
    editor.get_by_role("button", name=re.compile(r"Save$")).click()
    wait_for_app(editor)
    expect(editor.get_by_text("Saved head-of-sales as version 2 (in review).")).to_be_visible()
    change = latest(workspace_url)
    assert (change.version, change.status, change.author) == (2, IN_REVIEW, "ed@example.org")

    # Outside their department the editor may only read.
    editor.goto(app_url + "/edit?role=" + quote("Chief Accountant"),
                wait_until="domcontentloaded")
    wait_for_app(editor)
    expect(editor.get_by_text("You may read this role but not change it.",
                              exact=False)).to_be_visible()
    expect(editor.get_by_role("button", name=re.compile(r"Save$"))).to_have_count(0)

    # On the Review page the editor is offered nothing to approve; pressing Approve anyway
    # approves nothing.
    editor.goto(app_url + "/review", wait_until="domcontentloaded")
    wait_for_app(editor)
    expect(editor.get_by_text("Waiting for approval (1)")).to_be_visible()
    expect(editor.get_by_text("You may not approve this change", exact=False)).to_be_visible()
    expect(editor.locator('[data-testid="stMain"] [data-testid="stCheckbox"] input').first).to_be_disabled()
    editor.get_by_role("button", name="Approve selected").click()
    wait_for_app(editor)
    expect(editor.get_by_text("Select at least one change first.")).to_be_visible()
    assert latest(workspace_url).version == 2

    approver = sign_in(wait_for_app, new_context(), app_url, "ap@example.org", "/review")
    expect(approver.get_by_text("Waiting for approval (1)")).to_be_visible()
    expect(approver.get_by_text("1 change(s) from the approved version 1")).to_be_visible()
    screenshot(approver, "review-approver")
    approver.locator('[data-testid="stMain"] [data-testid="stCheckbox"]').first.click()
    wait_for_app(approver)
    approver.get_by_role("button", name="Approve selected").click()
    wait_for_app(approver)
    expect(approver.get_by_text("Approved head-of-sales (now version 3).")).to_be_visible()
    approved = latest(workspace_url)
    assert (approved.version, approved.status, approved.author, approved.approver) == \
        (3, APPROVED, "ed@example.org", "ap@example.org")

    # The editor's next change waits for review; the editor signs out and is asked again.
    editor.goto(app_url + "/catalogue?role=" + quote("Head of Sales (signed in)"),
                wait_until="domcontentloaded")
    wait_for_app(editor)
    expect(editor.locator('[data-testid="stMain"] h2').first).to_have_text(
        "Head of Sales (signed in)")
    editor.get_by_role("button", name="Sign out").click()
    editor.wait_for_url(re.compile(r".*/oauth2/end_session.*"))  # the provider's own page
    editor.get_by_role("button", name="End session").click()
    editor.wait_for_url(re.compile(re.escape(app_url) + r"/.*"))
    editor.goto(app_url + "/catalogue", wait_until="domcontentloaded")
    wait_for_app(editor)
    expect(editor.get_by_role("button", name="Sign in")).to_be_visible()
    expect(editor.get_by_text("Signed in as", exact=False)).to_have_count(0)


def test_an_approver_rejects_with_a_reason_the_editor_then_reads(signed_in_app, new_context,
                                                                wait_for_app):
    app_url, workspace_url = signed_in_app
    workspace = Workspace.open(workspace_url)
    base = workspace.latest("middle-sales-manager")
    document = "".join("title: Sales Manager (reviewed)\n" if line.startswith("title:")
                       else line for line in base.document.splitlines(keepends=True))
    change = workspace.save_role("middle-sales-manager", document, base.version,
                                 status=IN_REVIEW, author="ed@example.org", note="shorter")
    workspace.close()
    approver = sign_in(wait_for_app, new_context(), app_url, "ap@example.org", "/review")
    approver.locator('[data-testid="stMain"] [data-testid="stCheckbox"]').first.click()
    wait_for_app(approver)
    approver.get_by_label("Reason for rejecting (its author reads it)").fill(
        "say what changed in the note")
    approver.get_by_label("Reason for rejecting (its author reads it)").press("Enter")
    wait_for_app(approver)
    approver.get_by_role("button", name="Reject selected").click()
    wait_for_app(approver)
    rejected = latest(workspace_url, "middle-sales-manager")
    assert (rejected.version, rejected.status, rejected.reviewer, rejected.review_note) == \
        (change.version + 1, DRAFT, "ap@example.org", "say what changed in the note")
    editor = sign_in(wait_for_app, new_context(), app_url, "ed@example.org",
                     "/edit?role=" + quote("Sales Manager (Middle Manager)"))
    expect(editor.get_by_text(re.compile(  # the page keeps an address from turning into a link
        rf"Version {change.version} was rejected by ap\u2060?@example\.org"))).to_be_visible()
    expect(editor.get_by_text("say what changed in the note", exact=False)).to_be_visible()


class ForgedSession:
    """A session of its own over Streamlit's websocket protocol (as bench/load.py speaks it),
    with a signed-in browser context's cookies: it runs a page and then sends widget values
    the page did not offer (a disabled checkbox ticked, a button pressed), which is what a
    forged request does; it reads back every element of each run."""

    def __init__(self, app_url: str, cookies: list[dict]):
        self.app_url = app_url
        self.cookies = {c["name"]: c["value"] for c in cookies}
        self.socket, self.hashes = None, {}

    async def __aenter__(self):
        import websockets

        header = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        # the XSRF token travels as the second subprotocol, as the browser's app sends it
        self.socket = await websockets.connect(
            self.app_url.replace("http://", "ws://") + "/_stcore/stream", origin=self.app_url,
            subprotocols=["streamlit", self.cookies.get("_streamlit_xsrf", "")],
            additional_headers={"Cookie": header}, max_size=None, open_timeout=60)
        return self

    async def __aexit__(self, *exc):
        await self.socket.close()

    async def run(self, page: str, widgets: dict[str, tuple[str, object]] | None = None):
        """Run `page` with `widgets` (widget id -> (value field, value)); every element of
        the run as (type, element)."""
        import asyncio

        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        message = BackMsg()
        state = message.rerun_script
        if page in self.hashes:
            state.page_script_hash = self.hashes[page]
        else:
            state.page_name = page
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-GB"
        state.context_info.url = f"{self.app_url}/{page}"
        for widget_id, (field, value) in (widgets or {}).items():
            widget = state.widget_states.widgets.add()
            widget.id = widget_id
            setattr(widget, field, value)
        await self.socket.send(message.SerializeToString())
        elements = []
        async with asyncio.timeout(120):
            while True:
                reply = ForwardMsg()
                reply.ParseFromString(await self.socket.recv())
                kind = reply.WhichOneof("type")
                if kind == "navigation":
                    self.hashes = {p.url_pathname: p.page_script_hash
                                   for p in reply.navigation.app_pages}
                elif kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                    element = reply.delta.new_element
                    elements.append((element.WhichOneof("type"), element))
                elif kind == "script_finished":
                    return elements


def widget_id(elements, kind: str, key: str) -> tuple[str, object]:
    """The id (and the element) of the widget of `kind` whose key is `key`."""
    [found] = [getattr(e, kind) for k, e in elements
               if k == kind and getattr(e, kind).id.endswith(f"-{key}")]
    return found.id, found


def test_an_editors_forged_approval_over_the_wire_is_refused_and_stores_nothing(
        signed_in_app, new_context, wait_for_app):
    """Signed in as an editor, a session sends the Review page an approval it was not
    offered (the disabled checkbox ticked, "Approve selected" pressed) over the websocket:
    the server refuses it, says who may not do what, and stores nothing."""
    import asyncio

    app_url, workspace_url = signed_in_app
    workspace = Workspace.open(workspace_url)
    base = workspace.latest("chief-accountant")
    change = workspace.save_role("chief-accountant", base.document.replace(
        "headcount: 1", "headcount: 2"), base.version, status=IN_REVIEW,
        author="ap@example.org", note="one more")
    workspace.close()
    context = new_context()
    sign_in(wait_for_app, context, app_url, "ed@example.org", "/review")
    key = f"pick-chief-accountant-{change.version}"
    cookies = context.cookies()  # the signed-in editor's

    async def forge():
        async with ForgedSession(app_url, cookies) as session:
            offered = await session.run("review")
            pick, box = widget_id(offered, "checkbox", key)
            assert box.disabled  # not offered to an editor ...
            press, _ = widget_id(offered, "button", "approve-selected")
            # ... and sent anyway
            return await session.run("review", {pick: ("bool_value", True),
                                                 press: ("trigger_value", True)})

    # in a thread of its own: Playwright's sync API keeps an event loop on this one
    with ThreadPoolExecutor(1) as pool:
        answer = pool.submit(asyncio.run, forge()).result(timeout=300)
    # as the user reads it: the page escapes markup with backslashes and word joiners
    said = [e.alert.body.replace("\\", "").replace("\u2060", "") for kind, e in answer
            if kind == "alert"]
    assert any(body.startswith(
        "chief-accountant: ed@example.org may not approve changes") and
        body.endswith("Nothing was changed. Ask someone who may, or an administrator to "
                      "change the permissions.") for body in said), said
    assert not [kind for kind, _ in answer if kind == "exception"]
    after = latest(workspace_url, "chief-accountant")
    assert (after.version, after.status) == (change.version, IN_REVIEW)


def test_a_link_with_the_pending_switch_keeps_it_from_page_to_page(signed_in_app, new_context,
                                                                    wait_for_app):
    """?show_pending=true opens the catalogue with the pending changes applied and the
    banner; the sidebar's navigation keeps the switch (it is bound to the URL)."""
    app_url, workspace_url = signed_in_app
    workspace = Workspace.open(workspace_url)
    base = workspace.latest("estimator")
    workspace.save_role("estimator", base.document.replace("title: Estimator",
                                                           "title: Senior estimator"),
                        base.version, status=DRAFT, author="ed@example.org")
    workspace.close()
    page = sign_in(wait_for_app, new_context(), app_url, "ed@example.org",
                   "/catalogue?show_pending=true")
    banner = page.get_by_text("pending change(s) applied", exact=False)
    expect(banner).to_be_visible()
    page.locator('[data-testid="stSidebarNav"] a[href$="/duties"]').click()
    page.wait_for_url(re.compile(r".*/duties\?(.*&)?show_pending=true"))
    wait_for_app(page)
    expect(banner).to_be_visible()
    switch = page.locator('[data-testid="stSidebar"] [data-testid="stCheckbox"]').filter(
        has_text="Show pending changes").locator("input")
    expect(switch).to_be_checked()
