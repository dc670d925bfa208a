"""The What-if page in a real browser: a shared scenario link opens with its changes and the
before and after side by side (stacked on a phone), and a hostile link says what it ignored."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SHARED = ("/whatif?scenario=move:hr-manager:head-of-sales,headcount:site-foreman:8"
          "&name=Sales%20takes%20HR")


def test_a_shared_scenario_link_shows_before_and_after(app_page, screenshot):
    page = app_page(SHARED)
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("move HR Manager under Head of Sales Department")).to_be_visible()
    expect(main.get_by_text("set the headcount of Site Foreman to 8")).to_be_visible()
    expect(page.get_by_label("Scenario name")).to_have_value("Sales takes HR")
    before = page.locator(".st-key-whatif-chart-before")
    after = page.locator(".st-key-whatif-chart-after")
    expect(before.get_by_text("Before", exact=True)).to_be_visible()
    expect(after.get_by_text("After", exact=True)).to_be_visible()
    expect(before.get_by_role("img", name="Org chart")).to_have_count(1)
    expect(after.get_by_role("img", name="Org chart")).to_have_count(1)
    expect(before.get_by_text("In blue: 1 line(s) the scenario removes")).to_be_visible()
    expect(after.get_by_text("In blue: 1 line(s) the scenario adds")).to_be_visible()
    # side by side on a wide screen
    left, right = before.bounding_box(), after.bounding_box()
    assert left["x"] + left["width"] <= right["x"] + 1
    assert abs(left["y"] - right["y"]) < 5
    expect(main.get_by_text("Findings disappearing")).to_be_visible()
    expect(page.locator(".st-key-table-whatif-findings")).to_be_visible()
    screenshot(page, "whatif")
    # on a phone the two charts stack, before above after
    page.set_viewport_size({"width": 390, "height": 900})
    page.wait_for_timeout(500)
    left, right = before.bounding_box(), after.bounding_box()
    assert left["y"] + left["height"] <= right["y"] + 1
    screenshot(page, "whatif-390")


def test_a_hostile_link_says_what_it_ignored(app_page):
    page = app_page("/whatif?scenario=drop:table:roles,move:..%252F..%252Fetc:x"
                    "&name=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    main = page.locator('[data-testid="stMain"]')
    warning = main.locator('[data-testid="stAlert"]').first
    expect(warning).to_contain_text("Parts of this link were ignored")
    expect(warning).to_contain_text("'drop' is not a kind of change")
    expect(warning).to_contain_text("cannot be a role id")
    # the name is shown as text in its field, never run as markup
    expect(page.get_by_label("Scenario name")).to_have_value("<script>alert(1)</script>")
    expect(main.get_by_text("Something went wrong")).to_have_count(0)
    expect(main.get_by_text("No changes yet: add one below.")).to_be_visible()
