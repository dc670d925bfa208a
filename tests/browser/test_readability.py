"""Every page read as a user would, at 1,440 px and on a phone (390 px): screenshots of each
to tests/screenshots/<page>-<width>.png, the key columns of every table in view at 1,440 px,
and no legend cut (Vega's "Symbol legend count exceeds limit") on the embedded catalogue or
on a synthetic one with 40 departments."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from jdcore.model.columns import KEY_COLUMNS, column_spec
from jdcore.navigation import DEFAULT_PAGE, PAGES
from jdcore.synth import write_synthetic_catalogue

pytestmark = pytest.mark.browser

WIDTHS = (1440, 390)
HEIGHT = 900
MAX_SHOT_HEIGHT = 7_000      # px of a page kept in its screenshot (the top of a long page)
SHOT_COLOURS = 128           # a palette PNG: a page shot stays within a few hundred KB
CUT_LEGEND = "exceeds limit"  # Vega: "Symbol legend count exceeds limit, filtering items."
GUARD_MESSAGE = "Something went wrong"

# (page path, show_table key, view of jdcore.model.columns.KEY_COLUMNS)
TABLES = [
    ("/duties", "duties", "duties"),
    ("/catalogue", "roles", "roles"),
    ("/catalogue", "profile-duties", "profile-duties"),
    ("/catalogue", "profile-interactions", "profile-interactions"),
    ("/authority", "breakdown", "breakdown"),
    ("/authority", "spans", "spans"),
    ("/findings", "findings", "findings"),
    ("/findings", "edges", "edges"),
]




@pytest.fixture(scope="module")
def open_at(wait_for_app):
    """`open_at(context, url, width, messages)` -> a page at `url`, `width` px wide, once the
    app has run; the browser's console messages are appended to `messages`."""
    return lambda *args, **kwargs: _open(wait_for_app, *args, **kwargs)


def _open(wait_for_app, context, url: str, width: int, messages: list[str] | None = None):
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": HEIGHT})
    if messages is not None:
        page.on("console", lambda message: messages.append(message.text))
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app(page)
    return page


def small_screenshot(screenshot, page, name: str) -> int:
    """A full-page shot to tests/screenshots/<name>.png, its top MAX_SHOT_HEIGHT px kept, as
    a palette PNG; its size in bytes."""
    path = screenshot(page, name)
    with Image.open(path) as image:
        image = image.convert("RGB")
        image = image.crop((0, 0, image.width, min(image.height, MAX_SHOT_HEIGHT)))
    image.quantize(SHOT_COLOURS).save(path, optimize=True)
    return path.stat().st_size


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("key", [page.key for page in PAGES])
def test_every_page_at_both_widths_draws_without_error_or_cut_legend(
        browser_context, app_server, open_at, screenshot, key, width):
    messages: list[str] = []
    # the default page is the app's root: Streamlit serves it at / only
    path = "" if key == DEFAULT_PAGE else key
    page = open_at(browser_context, f"{app_server}/{path}", width, messages)
    try:
        size = small_screenshot(screenshot, page, f"{key}-{width}")
        assert size < 600_000, f"{key}-{width}.png is {size:,} bytes"
        main = page.locator('[data-testid="stMain"]')
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_text("Page not found").count() == 0, f"/{path} is not a page"
        assert GUARD_MESSAGE not in main.inner_text()
        expect(main.locator("h1").first).to_be_visible()
        assert not [m for m in messages if CUT_LEGEND in m], messages
        # nothing is wider than the screen, but the interaction graph (Findings): it keeps
        # its size so that its circle stays round (Vega-Lite cannot scale a chart to the
        # container's width and keep its aspect); a phone scrolls it sideways
        wider = page.evaluate("""(width) => Array.from(document.querySelectorAll(
                '[data-testid="stMain"] [data-testid="stElementContainer"]'))
            .filter(e => !e.closest('.st-key-interaction-graph'))
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .map(e => (e.innerText || e.getAttribute('data-testid')).slice(0, 60))""", width)
        assert not wider, f"/{key} at {width} px: wider than the screen: {wider}"
    finally:
        page.close()
    assert not browser_context.outside_requests


def grid_geometry(page, key: str) -> dict:
    """The table drawn by show_table(key=...): its box, the width its columns scroll in
    (client) and their total width (scroll), and the headers the grid draws in view (Glide
    keeps an accessible table of the columns in view only)."""
    grid = page.locator(f'.st-key-table-{key} [data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    expect(grid.locator('[role="columnheader"]').first).to_be_attached()
    return grid.evaluate("""(grid) => {
        const box = grid.getBoundingClientRect();
        const scroller = grid.querySelector('.dvn-scroller');
        return {left: box.left, right: box.right, client: scroller.clientWidth,
                scroll: scroller.scrollWidth,
                headers: Array.from(grid.querySelectorAll('[role="columnheader"]'),
                                    h => h.textContent.trim())};
    }""")


@pytest.mark.parametrize("path, key, view", TABLES)
def test_the_key_columns_of_every_table_are_in_view_at_1440_px(browser_context, app_server,
                                                               open_at, path, key, view):
    page = open_at(browser_context, app_server + path, 1440)
    try:
        grid = grid_geometry(page, key)
    finally:
        page.close()
    keys = [column_spec(c) for c in KEY_COLUMNS[view]]
    labels = [spec.label for spec in keys]
    # drawn first, in the key order, under their human headers, and in view
    assert grid["headers"][:len(labels)] == labels, (path, key, grid["headers"])
    assert 0 <= grid["left"] and grid["right"] <= 1440, (path, key, grid)
    # the key columns' right edge: each is drawn at its width (or wider, when the columns
    # are narrower together than the table and share out the rest)
    right_edge = sum(spec.width for spec in keys)
    assert grid["scroll"] >= right_edge - 1, (path, key, grid)
    assert right_edge <= grid["client"], (
        f"{path} table {key}: key columns end at {right_edge} px, the table shows "
        f"{grid['client']} px")


@pytest.fixture(scope="module")
def synthetic_server(server_with, tmp_path_factory):
    """A server on a synthetic catalogue of 300 roles in 40 departments."""
    folder = tmp_path_factory.mktemp("synthetic") / "catalogue"
    write_synthetic_catalogue(folder, 300, seed=5)
    return server_with(tmp_path_factory, {"JDCORE_CATALOGUE": str(folder)})


@pytest.mark.parametrize("key", ["overview", "catalogue", "duties", "authority", "findings"])
def test_no_legend_is_cut_with_40_departments(browser_context, synthetic_server, open_at, key):
    messages: list[str] = []
    page = open_at(browser_context, f"{synthetic_server}/{key}", 1440, messages)
    try:
        assert page.locator('[data-testid="stException"]').count() == 0
        charts = page.locator('[data-testid="stVegaLiteChart"]')
        assert charts.count() > 0 or key == "findings"
        page.wait_for_timeout(500)  # Vega logs while it lays the legends out
    finally:
        page.close()
    assert not [m for m in messages if CUT_LEGEND in m], messages
