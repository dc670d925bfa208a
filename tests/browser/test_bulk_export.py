"""A bulk export of a large catalogue in a real browser: it runs in the background with a
progress bar, and the finished file downloads."""

from __future__ import annotations

import io
import zipfile

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROLES = 2000  # the size of large_catalogue_server's catalogue
BUILD_TIMEOUT = 300_000  # ms: the whole build on a slow shared machine
LOAD_TIMEOUT = 240_000   # ms: the first visit loads the 2,000 roles (a cold load on a busy machine)


def test_bulk_export_at_2000_roles_completes_with_progress(browser_context,
                                                           large_catalogue_server,
                                                           wait_for_app, tmp_path):
    large_server = large_catalogue_server
    page = browser_context.new_page()
    try:
        page.goto(large_server + "/export", wait_until="domcontentloaded")
        wait_for_app(page, timeout=LOAD_TIMEOUT)
        main = page.locator('[data-testid="stMain"]')
        label = f"Every role's job description ({ROLES} roles, ZIP)"
        main.get_by_role("button", name=f"{label}: build it").click()
        progress = main.locator('[data-testid="stProgress"]')
        expect(progress).to_be_visible()
        expect(progress).to_contain_text(f"of {ROLES:,} done")
        ready = main.get_by_role("button", name=f"{label} · ready")
        expect(ready).to_be_visible(timeout=BUILD_TIMEOUT)
        expect(progress).to_have_count(0)
        with page.expect_download() as download:
            ready.click()
        path = tmp_path / "documents.zip"
        download.value.save_as(path)
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
            names = archive.namelist()
        assert len(names) == 2 * ROLES
        assert sum(n.endswith(".html") for n in names) == ROLES
    finally:
        page.close()
    assert not browser_context.outside_requests, browser_context.outside_requests
