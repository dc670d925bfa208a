"""Every page of the running app in a real browser: loads cleanly, screenshots, URL state,
and a CSV download that holds exactly the filtered rows."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
from playwright.sync_api import expect

from jdcore import load_catalogue
from jdcore.formats.csvio import ENCODING, neutralise
from jdcore.navigation import PAGES_BY_KEY
from jdcore.model.labels import role_labels
from jdcore.analysis.profile import filter_roles, roles_table

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser

# page name (screenshot file stem) -> url path
PAGES = {
    "overview": "/",
    "catalogue": "/catalogue",
    "compare": "/compare",
    "duties": "/duties",
    "authority": "/authority",
    "reporting": "/reporting",
    "findings": "/findings",
    "export": "/export",
    "import": "/import",
}
DEFAULT_COMPARED = ("Head of Sales Department", "Head of Marketing Department")
GUARD_MESSAGE = "Something went wrong"  # pages.common.error_guard: a page raised
DOWNLOAD_CSV = re.compile(r"^\s*(download\s*)?Download CSV")  # "download" = the icon ligature


@pytest.fixture(scope="module")
def data():
    """The embedded catalogue as the app loads it (the server runs without JDCORE_CATALOGUE)."""
    return load_catalogue(ROOT / "data")


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def widget_values(page) -> str:
    """Text of every selectbox and multiselect in the main area, with input values: what
    the user sees as selected (closed dropdowns render no options)."""
    return page.evaluate("""() => Array.from(document.querySelectorAll(
            '[data-testid="stMain"] [data-testid="stMultiSelect"],'
            + '[data-testid="stMain"] [data-testid="stSelectbox"]'))
        .map(w => [w.innerText, ...Array.from(w.querySelectorAll('input'), i => i.value),
                   ...Array.from(w.querySelectorAll('[title]'), e => e.title)].join('\\n'))
        .join('\\n')""")


def grid_column(grid, header: str) -> list[str]:
    """The rendered cells of one column of a st.dataframe. The grid paints on a canvas, but
    keeps an accessible table of the rows and columns in view (enough for a few rows)."""
    return grid.evaluate("""(grid, header) => {
        const names = Array.from(grid.querySelectorAll('[role="columnheader"]'),
                                 h => h.textContent.trim().toLowerCase());
        const col = names.indexOf(header.toLowerCase());
        if (col < 0) { throw new Error(`no column ${header} in ${names}`); }
        return Array.from(grid.querySelectorAll(`[data-testid^="glide-cell-${col}-"]`),
                          c => c.textContent.trim());
    }""", header)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_without_exception_and_shows_title(app_page, screenshot, name):
    page = app_page(PAGES[name])
    screenshot(page, name)  # first, so a broken page is on file too

    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, (
        f"{PAGES[name]} shows an exception:\n" + "\n---\n".join(exceptions.all_inner_texts()))
    assert GUARD_MESSAGE not in main_text(page), f"{PAGES[name]} raised: see the server log"
    title = page.locator('[data-testid="stMain"] h1').first
    expect(title).to_be_visible()
    assert title.inner_text().strip(), f"{PAGES[name]}: empty page title (h1)"
    expect(page).to_have_title(f"{PAGES_BY_KEY[name].title} · Role catalogue")


def test_no_page_fetches_anything_from_outside_the_machine(browser_context, app_page):
    for path in PAGES.values():
        app_page(path)
    assert browser_context.outside_requests == []


def test_compare_selects_both_default_roles(app_page):
    page = app_page("/compare")
    expect(page.locator('[data-testid="stMain"]')
           .locator('[data-testid="stMultiSelect"], [data-testid="stSelectbox"]').first
           ).to_be_attached()
    selected = widget_values(page)
    for title in DEFAULT_COMPARED:
        assert title in selected, f"{title!r} not selected on /compare; selection shows:\n{selected}"


def test_duties_csv_download_holds_exactly_the_filtered_rows(app_page, data, tmp_path):
    page = app_page("/duties?dept=Sales&q=contract")
    sales = set(data.roles.loc[data.roles["department"] == "sales", "role_id"])
    duties = data.duties
    # whole words in their forms (contract, contracts, ...), not "contractual"
    expected = duties[duties["role_id"].isin(sales)
                      & duties["text"].str.contains(r"\bcontract(?:s|ed|ing)?\b", case=False)]
    assert len(expected), "the embedded catalogue no longer has sales duties about contracts"
    expected_texts = [neutralise(t) for t in expected["text"]]  # as written to the CSV

    button = (page.locator('[data-testid="stMain"] [data-testid="stDownloadButton"]')
              .get_by_role("button").filter(has_text=DOWNLOAD_CSV).first)
    expect(button).to_be_visible()
    with page.expect_download(timeout=60_000) as download_info:
        button.click()
    target = tmp_path / (download_info.value.suggested_filename or "duties.csv")
    download_info.value.save_as(target)
    rows = pd.read_csv(target, encoding=ENCODING, dtype=str, keep_default_na=False)

    # The duty text column, under the header shown on the page.
    column = "Duty"
    assert set(rows[column]) == set(expected_texts), (
        f"CSV from the filtered Duties page ({target.name}, column {column!r}) holds "
        f"{sorted(rows[column])}, expected {sorted(expected_texts)}")
    assert len(rows) == len(expected), f"CSV has {len(rows)} rows, expected {len(expected)}"
    label = re.search(r"\((\d+) rows?\)", button.inner_text())
    if label:
        assert int(label.group(1)) == len(expected), button.inner_text()


def test_catalogue_filters_round_trip_through_the_url(app_page, wait_for_app, data):
    table = roles_table(data)
    sales = filter_roles(table, ["Sales"])
    titles = role_labels(data.roles)
    sales_titles = {titles[r] for r in sales["role_id"]}
    assert "Head of Sales Department" in sales_titles
    assert "Head of Marketing Department" not in sales_titles

    # URL -> page: the department filter is restored and only sales roles are offered.
    page = app_page("/catalogue?department=Sales")
    main = page.locator('[data-testid="stMain"]')
    department = main.locator('[data-testid="stMultiSelect"]').filter(has_text="Department").first
    expect(department).to_contain_text("Sales")
    expect(main.get_by_text(f"{len(sales)} of {len(table)} roles", exact=True)).to_be_visible()
    expect(main.locator("h2").first).to_have_text(re.compile(r"Head of Sales Department"))
    assert "Head of Marketing Department" not in main_text(page)
    grid = main.locator('[data-testid="stDataFrame"]').first
    expect(grid.locator('[role="gridcell"]').first).to_be_attached()
    assert set(grid_column(grid, "Role")) == set(sales["title"])  # human headers
    assert set(grid_column(grid, "department")) == {"Sales"}

    profile = main.locator('[data-testid="stSelectbox"]').filter(has_text="Open a role profile")
    combobox = profile.get_by_role("combobox")
    expect(combobox).to_have_value("Head of Sales Department")
    combobox.click()
    options = page.locator('[role="listbox"] [role="option"]')
    expect(options.first).to_be_visible()
    offered = {o.strip() for o in options.all_inner_texts()}
    assert offered == sales_titles, f"role profile offers {offered}, expected {sales_titles}"

    # page -> URL: choosing another role writes it to the query string, next to the filter.
    other = sorted(sales_titles - {"Head of Sales Department"})[0]
    options.filter(has_text=re.compile(rf"^\s*{re.escape(other)}\s*$")).first.click()
    expect(main.locator("h2").first).to_have_text(re.compile(re.escape(other)))
    page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("role") == [other])
    wait_for_app(page)
    query = parse_qs(urlparse(page.url).query)
    assert query.get("department") == ["Sales"], page.url

    # URL -> page again: a fresh page at that URL shows the same filter and role.
    again = app_page(urlparse(page.url)._replace(scheme="", netloc="").geturl())
    main = again.locator('[data-testid="stMain"]')
    expect(main.locator("h2").first).to_have_text(re.compile(re.escape(other)))
    expect(main.get_by_text(f"{len(sales)} of {len(table)} roles", exact=True)).to_be_visible()


def test_a_deep_link_works_as_the_first_request_after_the_server_starts(
        browser_context, new_app_server, wait_for_app):
    """Until st.navigation has run once, Streamlit runs a linked page of pages/ on its own
    (its legacy layout): the app's navigation must still serve it, with the URL's state."""
    page = browser_context.new_page()
    try:
        page.goto(f"{new_app_server}/compare?roles=Chief%20Accountant&roles=Head%20of%20Sales"
                  "%20Department", wait_until="domcontentloaded")
        wait_for_app(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        expect(page.locator('[data-testid="stMain"] h1').first).to_have_text(
            re.compile("Compare"))
        selected = widget_values(page)
        assert "Chief Accountant" in selected and "Head of Sales Department" in selected
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Authority & workload" in nav and "common" not in nav.casefold()
        assert urlparse(page.url).path == "/compare"
    finally:
        page.close()
