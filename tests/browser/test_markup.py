"""In a real browser: catalogue text with Streamlit's Markdown extensions in it (icons,
shortcodes, directives, bare links, arrows, LaTeX) is shown on the Catalogue page as the text
it is, with no link, icon, image or formula made from it."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hostile_catalogue import MARKUP_AREA, MARKUP_SUMMARY, MARKUP_TITLE, write_hostile_catalogue
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
WORD_JOINER = "\u2060"


@pytest.fixture(scope="module")
def hostile_server(chromium_browser, server_with, tmp_path_factory):
    """A second server, on the hostile catalogue (the browser first: without it, skip)."""
    folder = write_hostile_catalogue(tmp_path_factory.mktemp("hostile") / "catalogue")
    return server_with(tmp_path_factory, {
        "JDCORE_CATALOGUE": str(folder),
        "JDCORE_CACHE_DIR": str(tmp_path_factory.mktemp("hostile-cache"))})


def shown(locator) -> str:
    return locator.inner_text().replace(WORD_JOINER, "").strip()


def test_catalogue_page_makes_no_link_icon_or_badge_from_catalogue_text(browser_context,
                                                                         hostile_server,
                                                                         wait_for_app):
    page = browser_context.new_page()
    try:
        page.goto(f"{hostile_server}/catalogue?role={quote(MARKUP_TITLE)}",
                  wait_until="domcontentloaded")
        wait_for_app(page)
        main = page.locator('[data-testid="stMain"]')
        heading = main.locator("h2").first
        expect(heading).to_be_visible()
        assert shown(heading) == MARKUP_TITLE  # no icon, emoji, logo or coloured span
        summary = main.locator('[data-testid="stMarkdownContainer"]').filter(
            has_text="indented like code").first
        assert shown(summary).split() == MARKUP_SUMMARY.split()
        assert MARKUP_AREA in shown(main)

        text = main.locator('[data-testid="stMarkdown"], [data-testid="stHeading"], '
                            '[data-testid="stCaptionContainer"]')
        links = text.locator('a:not([href^="#"])')  # a heading's own anchor is the only link
        assert links.count() == 0, links.evaluate_all("els => els.map(e => e.outerHTML)")
        made = text.locator('[role="img"], img, .katex, [class*="Badge"], '
                            '[class*="stMarkdownColored"], pre, code')
        assert made.count() == 0, made.evaluate_all("els => els.map(e => e.outerHTML)")
        assert page.locator('a[href*="evil.example"]').count() == 0
    finally:
        page.close()
