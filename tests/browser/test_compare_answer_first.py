"""Compare in a real browser at desktop and phone width: the answer comes first, and no
legend is cut off."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SALES, MARKETING = "Head of Sales Department", "Head of Marketing Department"


@pytest.mark.parametrize("width", [1440, 390])
def test_the_summary_names_the_seed_pairs_differences_and_no_legend_is_cut(
        app_page, screenshot, width):
    page = app_page("/compare")
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_timeout(800)
    summary = page.locator(".st-key-compare-summary")
    expect(summary).to_be_visible()
    text = summary.inner_text()
    for fact in (f"{SALES} and {MARKETING} do mostly different work",
                 "overall duty similarity 0.18 of 1",
                 f"Only {SALES} spends time on Sales and negotiation",
                 "Authority index", "10.0 points apart", "Workload index", "15.4 points apart",
                 "Decision rights differ in 3 of 8 areas",
                 f"{MARKETING} decides on marketing and advertising actions where {SALES} "
                 "approves"):
        assert fact in text, fact
    # the summary comes before the first chart
    first_chart = page.locator('[data-testid="stVegaLiteChart"]').first
    assert summary.bounding_box()["y"] < first_chart.bounding_box()["y"]
    # the role key names both roles in full, inside the screen
    key = page.locator(".role-key")
    expect(key).to_contain_text(SALES)
    expect(key).to_contain_text(MARKETING)
    assert key.bounding_box()["x"] + key.bounding_box()["width"] <= width
    # every chart's legends: whole labels (Vega ends a cut label with an ellipsis), drawn
    # inside the chart's frame (nothing of them clipped at its right edge)
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    legends = []
    for number in range(charts.count()):  # a chart is drawn once it is scrolled into view
        chart = charts.nth(number)
        chart.scroll_into_view_if_needed()
        expect(chart.locator("svg g.role-axis").first).to_be_attached()  # drawn
        legends.append(chart.evaluate("""chart => {
            const frame = chart.getBoundingClientRect();
            return Array.from(chart.querySelectorAll('g.role-legend text')).map(t => {
                const box = t.getBoundingClientRect();
                return {text: t.textContent, right: box.right, frame: frame.right};
            });
        }"""))
    labels = [label for chart in legends for label in chart]
    assert labels, "no legend drawn"
    assert {"shared", "similar", "unique", "none", "decide"} <= {l["text"] for l in labels}
    for label in labels:
        assert not label["text"].endswith("\u2026"), label
        assert label["right"] <= label["frame"] + 1, label
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"compare-{width}")
