"""The app's top-level guard (pages.common.error_guard): a page that raises shows a short
message and a reference, never the traceback; the traceback is logged with the reference."""

from __future__ import annotations

import re

import pytest

import pages.common

SECRET = "boom at /srv/private/path"


def page_text(at) -> str:
    """Every element the run drew, main area and sidebar, as its protobuf text."""
    parts = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return "\n".join(parts)


@pytest.mark.app_error_expected
def test_an_unexpected_exception_shows_a_reference_not_the_traceback(run_page, monkeypatch,
                                                                      guarded_errors):
    def fail(catalogue):
        raise RuntimeError(SECRET)

    monkeypatch.setattr(pages.common, "require_roles", fail)
    at = run_page("export")
    assert not at.exception  # no st.exception element: Streamlit would show the traceback
    [message] = [e.value for e in at.error]
    reference = re.fullmatch(r"Something went wrong while drawing this page \(reference "
                             r"([0-9a-f]{8})\)\. Reload the page or open another one; if it "
                             r"happens again, give the reference to whoever runs the "
                             r"dashboard\.", message).group(1)
    shown = page_text(at)
    assert message in shown  # the walk sees every element
    assert SECRET not in shown and "Traceback" not in shown and "RuntimeError" not in shown
    [record] = guarded_errors
    assert reference in record.getMessage()
    assert record.exc_info[0] is RuntimeError and str(record.exc_info[1]) == SECRET


def test_streamlit_control_flow_passes_through_the_guard(run_page):
    """st.stop (the Import page without an upload) ends the run quietly, not as an error."""
    at = run_page("import")
    assert not at.exception and not at.error
    assert len(at.file_uploader) == 1
