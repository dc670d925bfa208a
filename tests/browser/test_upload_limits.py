"""The Import page's caps through the real server: the upload cap is enforced by Streamlit's
upload endpoint (not only by the browser widget), and a hostile workbook uploaded through
the browser is refused with its problem (issue 15)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hostile_uploads import xfd_dimension_workbook
from test_pages import grid_column
from jdcore.formats.bundle import bundle_zip
from jdcore.formats.upload import MAX_UPLOAD_MB
from jdcore.formats.xlsx import workbook_bytes

pytestmark = pytest.mark.browser

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RUN_TIMEOUT = 90_000  # ms: the run that imports the upload (a worker process starts)


def upload_file(page, wait_for_app, name: str, data: bytes, mime: str, shows: str):
    """Upload a file with the Import page's widget and wait until the page shows `shows`;
    the upload request the browser sent."""
    with page.expect_request(lambda r: "/_stcore/upload_file/" in r.url
                             and r.method == "PUT") as sent:
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
            {"name": name, "mimeType": mime, "buffer": data})
    expect(page.locator('[data-testid="stMain"]')).to_contain_text(shows, timeout=RUN_TIMEOUT)
    wait_for_app(page)
    return sent.value


def test_the_upload_endpoint_refuses_a_file_over_the_cap(app_page, wait_for_app,
                                                           browser_context, catalogue):
    page = app_page("/import")
    sent = upload_file(page, wait_for_app, "bundle.zip", bundle_zip(catalogue), "application/zip",
                       "is a valid catalogue")
    url, token = sent.url, sent.headers.get("x-xsrftoken")

    def put(size: int):
        headers = {"X-Xsrftoken": token} if token else {}
        return browser_context.request.put(url, headers=headers, multipart={"file": {
            "name": "bundle.zip", "mimeType": "application/zip", "buffer": b"x" * size}})

    # The same request the browser made, with this session's cookies: accepted under the
    # cap, refused by the server over it (the widget's own check is bypassed here).
    assert put(1024).status == 204
    over = put(MAX_UPLOAD_MB * 1024 * 1024 + 1)
    assert over.status == 413, f"{over.status} {over.text()[:200]}"


def test_a_hostile_workbook_uploaded_in_the_browser_is_refused(app_page, wait_for_app, catalogue):
    page = app_page("/import")
    upload_file(page, wait_for_app, "xfd.xlsx",
                xfd_dimension_workbook(workbook_bytes(catalogue.tables)), XLSX_MIME,
                "cannot be imported: 1 error(s)")
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "xfd.xlsx cannot be imported: 1 error(s)" in text
    assert "Problems (1)" in text
    grid = page.locator('[data-testid="stDataFrame"]').first
    messages = grid_column(grid, "message")
    assert len(messages) == 1 and messages[0].startswith(
        "cell A1048576 holds a value in row 1,048,576")
    assert page.locator('[data-testid="stException"]').count() == 0
