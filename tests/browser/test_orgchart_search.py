"""The org chart in a real browser: a search expands the chart down to the role."""

from __future__ import annotations

import base64
import re
from urllib.parse import parse_qs, urlparse
from xml.etree import ElementTree

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SVG = "{http://www.w3.org/2000/svg}"


def drawn_boxes(page) -> dict[str, set[str]]:
    """role id -> classes of its box, from the SVG the page shows as an image."""
    src = page.locator(".org-chart img").get_attribute("src")
    prefix = "data:image/svg+xml;base64,"
    assert src.startswith(prefix)
    root = ElementTree.fromstring(base64.b64decode(src[len(prefix):]))
    return {g.get("data-role"): set(g.get("class").split()) for g in root.iter(f"{SVG}g")
            if (g.get("class") or "").startswith("box ")}


def test_a_search_in_the_org_chart_expands_to_the_role(app_page, wait_for_app):
    page = app_page("/reporting?area=Trading%20company&depth=1")
    before = drawn_boxes(page)
    assert "sales-representative" not in before            # three layers below the top
    assert any("more" in classes for classes in before.values())

    main = page.locator('[data-testid="stMain"]')
    search = main.locator('[data-testid="stSelectbox"]').filter(has_text="Find a role")
    combobox = search.get_by_role("combobox")
    combobox.click()
    combobox.fill("Sales Repr")
    page.locator('[role="listbox"] [role="option"]').filter(
        has_text=re.compile(r"^\s*Sales Representative\s*$")).first.click()
    page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("find")
                      == ["Sales Representative"])
    wait_for_app(page)

    after = drawn_boxes(page)
    assert {"box", "role", "focus"} <= after["sales-representative"]
    for manager in ("head-of-sales", "middle-sales-manager"):   # the way down to it is open
        assert manager in after and "focus" not in after[manager]
    assert [r for r, classes in after.items() if "focus" in classes] == ["sales-representative"]
    expect(main.get_by_text(re.compile(r"roles drawn"))).to_be_visible()


@pytest.mark.parametrize("width", [390, 1440])
def test_the_org_chart_is_usable_at_phone_and_desktop_width(app_page, screenshot, width):
    """At 390 px the chart is an outline that fits the screen (nothing of the page runs off
    to the side); at 1,440 px the boxed chart shows, in a frame that scrolls."""
    page = app_page("/reporting?area=Construction%20company")
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_timeout(500)
    outline, wide = page.locator(".org-outline img"), page.locator(".org-chart img")
    shown, hidden = (outline, wide) if width < 640 else (wide, outline)
    shown.scroll_into_view_if_needed()
    expect(shown).to_be_visible()
    expect(hidden).to_be_hidden()
    box = shown.bounding_box()
    assert box["width"] > 300 and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    main_scroll = page.evaluate("""() => { const m = document.querySelector(
        '[data-testid="stMain"]'); return [m.scrollWidth, m.clientWidth]; }""")
    assert main_scroll[0] <= main_scroll[1]
    screenshot(page, f"reporting-org-chart-{width}")
