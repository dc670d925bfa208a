"""Catalogue text and file names are shown as the text they are on every page: Streamlit's
Markdown (icons, shortcodes, directives, bare links, arrows, LaTeX) never acts on them.

AppTest holds each element's Markdown source: it must be the escaped text (escape_markdown),
in which jdcore's own checker (hostile_catalogue.live_markup) finds nothing Streamlit would
turn into an icon, a link or a badge.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hostile_catalogue import (MARKUP_AREA, MARKUP_DUTY, MARKUP_SUMMARY, MARKUP_TITLE,
                               live_markup, write_hostile_catalogue)

from jdcore.formats.bundle import bundle_zip
from jdcore.model.text import escape_markdown, escape_markdown_name

MARKETING = "Head of Marketing Department"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return write_hostile_catalogue(tmp_path_factory.mktemp("markup") / "catalogue")


# st.badge is Markdown too: the page's own directive and icon around the label
BADGE = re.compile(r"^:[a-z]+-badge\[(?::material/\w+: )?(.*)\]$", re.DOTALL)


def bodies(at) -> list[str]:
    """The Markdown source of every text element the run drew; of a badge, its label."""
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error",
             "success")
    return [BADGE.sub(r"\1", element.value) for kind in kinds for element in getattr(at, kind)]


def assert_all_plain(at) -> None:
    live = {body: live_markup(body) for body in bodies(at) if live_markup(body)}
    assert live == {}


def test_catalogue_profile_shows_title_summary_and_area_as_text(run_page, hostile):
    at = run_page("catalogue", {"role": MARKUP_TITLE}, catalogue_dir=hostile)
    assert not at.exception
    assert at.header[0].value == escape_markdown(MARKUP_TITLE)
    assert escape_markdown(MARKUP_SUMMARY) in [m.value for m in at.markdown]
    assert any(escape_markdown(MARKUP_AREA) in c.value for c in at.caption)
    assert_all_plain(at)


def test_catalogue_chain_of_command_shows_the_managers_title_as_text(run_page, hostile):
    at = run_page("catalogue", {"role": MARKETING}, catalogue_dir=hostile)
    assert not at.exception
    chains = [m.value for m in at.markdown if m.value.startswith("**Chain of command:**")]
    assert len(chains) == 1 and escape_markdown(MARKUP_TITLE) in chains[0]
    assert_all_plain(at)


def test_reporting_chain_of_command_shows_titles_as_text(run_page, hostile):
    at = run_page("reporting", {"area": MARKUP_AREA, "role": MARKETING}, catalogue_dir=hostile)
    assert not at.exception
    assert (f"Board of Directors → {escape_markdown(MARKUP_TITLE)} → "
            f"{escape_markdown(MARKETING)}") in [m.value for m in at.markdown]
    assert_all_plain(at)


def test_findings_show_titles_and_duties_as_text(run_page, hostile):
    at = run_page("findings", {"involving": "General"}, catalogue_dir=hostile)
    assert not at.exception
    assert any(escape_markdown(MARKUP_TITLE) in c.value for c in at.caption)  # "Roles: ..."
    assert_all_plain(at)


def test_export_preview_shows_the_job_description_as_text(run_page, hostile):
    at = run_page("export", {"role": MARKUP_TITLE}, catalogue_dir=hostile)
    assert not at.exception
    preview = at.markdown[-1].value
    assert preview.startswith(f"# {escape_markdown(MARKUP_TITLE)}\n")
    assert escape_markdown(MARKUP_DUTY) in preview
    assert_all_plain(at)


UPLOAD_NAME = "![pixel](http://evil.example/p.png) :material/home: \x1b[2J\nbundle.zip"


def test_import_banners_show_the_uploaded_file_name_as_text(run_page, catalogue):
    at = run_page("import")
    at.file_uploader(key="upload").set_value((UPLOAD_NAME, bundle_zip(catalogue),
                                              "application/zip"))
    at.run()
    assert not at.exception
    assert at.success[0].value.startswith(f"{escape_markdown_name(UPLOAD_NAME)} is a valid")
    assert "\x1b" not in at.success[0].value and "\n" not in at.success[0].value
    assert_all_plain(at)
    at.button(key="explore").click().run()
    assert not at.exception
    at.run()  # the Import page again, now for a session that explores the upload
    banner = f"This session shows the imported catalogue {escape_markdown_name(UPLOAD_NAME)}."
    assert banner in [i.value for i in at.info]
    assert_all_plain(at)


def test_the_sidebar_names_the_explored_upload_as_text(catalogue):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"),
                           default_timeout=60)
    at.session_state["imported_catalogue"] = str(catalogue.path)
    at.session_state["imported_catalogue_name"] = UPLOAD_NAME
    at.run()
    assert not at.exception
    assert [i.value for i in at.sidebar.info] == [
        f"This session shows the imported catalogue {escape_markdown_name(UPLOAD_NAME)}."]
    assert_all_plain(at)
