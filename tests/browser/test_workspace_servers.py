"""Two app servers on one PostgreSQL workspace: a save in one is what the other shows on
its next rerun (the setup of several replicas behind a load balancer)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from jdcore.store import Workspace

pytestmark = pytest.mark.browser


def test_a_save_in_one_server_is_seen_by_the_other(two_servers_on_postgresql, browser_context,
                                                   wait_for_app):
    url, first, second = two_servers_on_postgresql
    other = browser_context.new_page()
    other.goto(second + "/catalogue?role=" + quote("Head of Sales Department"),
               wait_until="domcontentloaded")
    wait_for_app(other)
    expect(other.locator('[data-testid="stMain"] h2').first).to_have_text(
        "Head of Sales Department")

    editor = browser_context.new_page()
    editor.goto(first + "/edit?role=" + quote("Head of Sales Department"),
                wait_until="domcontentloaded")
    wait_for_app(editor)
    title = editor.get_by_label("Title", exact=True)
    title.fill("Head of Sales, saved on server A")
    title.press("Enter")
    wait_for_app(editor)
    editor.get_by_role("button", name=re.compile(r"Save$")).click()
    wait_for_app(editor)
    expect(editor.get_by_text("Saved head-of-sales as version 2 (approved).")).to_be_visible()

    workspace = Workspace.open(url)
    assert workspace.latest("head-of-sales").version == 2
    workspace.close()
    other.goto(second + "/catalogue?role=" + quote("Head of Sales, saved on server A"),
               wait_until="domcontentloaded")
    wait_for_app(other)
    expect(other.locator('[data-testid="stMain"] h2').first).to_have_text(
        "Head of Sales, saved on server A")
    for page in (editor, other):
        page.close()
    assert not browser_context.outside_requests
