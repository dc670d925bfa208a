"""The app layer shared by every page: the cached catalogue, labels, tables with downloads.

Pages import from here; nothing here computes catalogue figures (that is jdcore's job).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from jdcore import Catalogue, catalogue_fingerprint, load_catalogue
from jdcore.formats.csvio import csv_bytes
from jdcore.model.labels import humanise, role_labels, vocabulary

APP_DIR = Path(__file__).resolve().parent.parent
CATALOGUE_ENV = "JDCORE_CATALOGUE"
CACHE_ENV = "JDCORE_CACHE_DIR"
LONG_TABLE_ROWS = 500           # rows drawn on screen; the download always holds every row
DEFERRED_DOWNLOAD_ROWS = 20_000  # above this, the CSV is built only when the button is clicked


def _leave_legacy_pages_mode() -> None:
    """Make a deep link work on the first request after the server starts.

    Until st.navigation has run once in the process, Streamlit treats a folder named pages/
    as its legacy multipage layout and runs a linked page (e.g. /compare?roles=...) on its
    own, without app.py. Switch that mode off and rerun, so app.py's navigation serves it.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


_leave_legacy_pages_mode()


IMPORTED_KEY = "imported_catalogue"  # session state: folder of this session's imported catalogue


def catalogue_path() -> Path:
    """The catalogue folder: this session's imported catalogue (Import page), else
    $JDCORE_CATALOGUE, else the embedded data/ folder."""
    imported = st.session_state.get(IMPORTED_KEY)
    if imported and Path(imported).is_dir():
        return Path(imported)
    return Path(os.environ.get(CATALOGUE_ENV) or APP_DIR / "data")


def cache_dir() -> Path:
    """Where loaded catalogues are kept as Parquet between server starts (never in data/)."""
    return Path(os.environ.get(CACHE_ENV) or APP_DIR / ".cache" / "catalogues")


@st.cache_resource(show_spinner="Loading the catalogue…", max_entries=4)
def _load(path: str, fingerprint: str) -> Catalogue:
    return load_catalogue(path, cache_dir=cache_dir())


def current_catalogue() -> Catalogue:
    """The loaded catalogue, cached per process on the folder's fingerprint. Do not mutate it."""
    _leave_legacy_pages_mode()  # cheap; also covers runs after pages.common was imported
    path = catalogue_path()
    return _load(str(path), catalogue_fingerprint(path))


def labels(catalogue: Catalogue) -> dict[str, str]:
    return role_labels(catalogue.roles)


def names(catalogue: Catalogue, vocabulary_name: str) -> dict[str, str]:
    return vocabulary(catalogue.taxonomy, vocabulary_name)


def show_table(frame: pd.DataFrame, file_name: str, key: str, *,
               column_config: dict | None = None, height: int | str = "auto",
               max_rows: int = LONG_TABLE_ROWS) -> None:
    """A table and a button that downloads it as spreadsheet-safe CSV.

    On screen the headers read as words ("Time share"); the CSV keeps the column names. A long
    table draws its first `max_rows` rows and says so; the download always holds every row
    (the filters applied, nothing else), built only on click when it is very long.
    """
    headers = {column: humanise(column) for column in frame.columns}
    st.dataframe(frame.head(max_rows), hide_index=True,
                 column_config=headers | (column_config or {}), height=height, width="stretch")
    if len(frame) > max_rows:
        st.caption(f"Showing the first {max_rows:,} of {len(frame):,} rows; "
                   f"the download holds all {len(frame):,}.")
    data = (csv_bytes(frame) if len(frame) <= DEFERRED_DOWNLOAD_ROWS
            else lambda: csv_bytes(frame))
    st.download_button(
        f"Download CSV ({len(frame):,} {'row' if len(frame) == 1 else 'rows'})", data,
        file_name=f"{file_name}.csv", mime="text/csv", key=f"download-{key}",
        icon=":material/download:",
    )


def show_problems(catalogue: Catalogue) -> None:
    """A banner for a catalogue with errors: what is wrong, while the rest stays usable."""
    if catalogue.is_valid:
        return
    st.error(f"The catalogue at `{catalogue.path}` has {len(catalogue.errors)} error(s). "
             "The pages show what could be loaded; fix the files listed below.",
             icon=":material/error:")
    with st.expander("Problems found in the catalogue files"):
        st.dataframe(problems_table(catalogue), hide_index=True, width="stretch")


def problems_table(catalogue: Catalogue) -> pd.DataFrame:
    return pd.DataFrame(
        [{"severity": p.severity, "file": p.file, "line": p.line, "field": p.field,
          "message": p.message} for p in catalogue.problems],
        columns=["severity", "file", "line", "field", "message"],
    )


def require_roles(catalogue: Catalogue) -> None:
    """Stop the page politely when the catalogue has no roles to show."""
    if catalogue.roles.empty:
        st.info("The catalogue has no roles that could be loaded.")
        st.stop()




@st.cache_resource(show_spinner="Collecting the duties…", max_entries=4)
def _duties_view(path: str, fingerprint: str, _catalogue: Catalogue) -> pd.DataFrame:
    from jdcore.analysis.duties import duties_view

    return duties_view(_catalogue)


def current_duties_view(catalogue: Catalogue) -> pd.DataFrame:
    """Every duty joined with its role's labels, built once per catalogue. Do not mutate it."""
    return _duties_view(str(catalogue.path), catalogue.fingerprint, catalogue)


@st.cache_resource(show_spinner="Matching duties…", max_entries=4)
def _duty_index(path: str, fingerprint: str, _catalogue: Catalogue):
    from jdcore.analysis.matching import fit_duty_index

    return fit_duty_index(_catalogue.duties)


def current_duty_index(catalogue: Catalogue):
    """The duty-matching index (TF-IDF fitted on every duty of the catalogue), built once per
    catalogue fingerprint. Do not mutate it."""
    return _duty_index(str(catalogue.path), catalogue.fingerprint, catalogue)


def show_session_catalogue() -> None:
    """In the sidebar: which imported catalogue this session shows, and the way back."""
    imported = st.session_state.get(IMPORTED_KEY)
    if not imported:
        return
    from jdcore.model.text import escape_markdown

    name = escape_markdown(str(st.session_state.get(IMPORTED_KEY + "_name", "an upload")))
    with st.sidebar:
        st.info(f"This session shows the imported catalogue {name}.", icon=":material/upload:")
        if st.button("Back to the embedded catalogue", key="leave-import",
                     icon=":material/undo:"):
            leave_imported_catalogue()
            st.rerun()


def leave_imported_catalogue() -> None:
    """Show the embedded (or $JDCORE_CATALOGUE) catalogue again in this session."""
    st.session_state.pop(IMPORTED_KEY, None)
    st.session_state.pop(IMPORTED_KEY + "_name", None)


@st.cache_resource(show_spinner="Looking for findings…", max_entries=4)
def _findings(path: str, fingerprint: str, _catalogue: Catalogue) -> pd.DataFrame:
    from jdcore.loading.cache import derived_table
    from jdcore.analysis.findings import find_findings

    # kept on disk with the catalogue's tables: a large catalogue takes seconds to match
    return derived_table(Path(path), fingerprint, cache_dir(), "findings",
                         lambda: find_findings(_catalogue, current_duty_index(_catalogue)))


def current_findings(catalogue: Catalogue) -> pd.DataFrame:
    """The catalogue's findings (jdcore.analysis.findings), built once per catalogue fingerprint.
    Do not mutate it."""
    return _findings(str(catalogue.path), catalogue.fingerprint, catalogue)


@st.cache_resource(show_spinner=False, max_entries=16)
def _interaction_edges(path: str, fingerprint: str, area: str, kinds: tuple[str, ...],
                       _catalogue: Catalogue) -> pd.DataFrame:
    from jdcore.analysis.interactions import interaction_edges

    return interaction_edges(_catalogue, area, list(kinds))


def current_interaction_edges(catalogue: Catalogue, area: str,
                              kinds: tuple[str, ...]) -> pd.DataFrame:
    """The interaction graph's edges of one business area and the chosen kinds (none: all),
    built once per catalogue and choice. Do not mutate them."""
    return _interaction_edges(str(catalogue.path), catalogue.fingerprint, area, kinds,
                              catalogue)
