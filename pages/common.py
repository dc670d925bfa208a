"""The app layer shared by every page: the cached catalogue, labels, tables with downloads.

Pages import from here; nothing here computes catalogue figures (that is jdcore's job).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from jdcore import Catalogue, catalogue_fingerprint, load_catalogue
from jdcore.csvio import csv_bytes
from jdcore.labels import humanise, role_labels, vocabulary

APP_DIR = Path(__file__).resolve().parent.parent
CATALOGUE_ENV = "JDCORE_CATALOGUE"


def catalogue_path() -> Path:
    """The catalogue folder: $JDCORE_CATALOGUE, or the embedded data/ folder."""
    return Path(os.environ.get(CATALOGUE_ENV) or APP_DIR / "data")


@st.cache_resource(show_spinner="Loading the catalogue…", max_entries=4)
def _load(path: str, fingerprint: str) -> Catalogue:
    return load_catalogue(path)


def current_catalogue() -> Catalogue:
    """The loaded catalogue, cached per process on the folder's fingerprint. Do not mutate it."""
    path = catalogue_path()
    return _load(str(path), catalogue_fingerprint(path))


def labels(catalogue: Catalogue) -> dict[str, str]:
    return role_labels(catalogue.roles)


def names(catalogue: Catalogue, vocabulary_name: str) -> dict[str, str]:
    return vocabulary(catalogue.taxonomy, vocabulary_name)


def show_table(frame: pd.DataFrame, file_name: str, key: str, *,
               column_config: dict | None = None, height: int | str = "auto") -> None:
    """A table and a button that downloads exactly that table as spreadsheet-safe CSV.

    On screen the headers read as words ("Time share"); the CSV keeps the column names.
    """
    headers = {column: humanise(column) for column in frame.columns}
    st.dataframe(frame, hide_index=True, column_config=headers | (column_config or {}),
                 height=height, width="stretch")
    st.download_button(
        f"Download CSV ({len(frame)} rows)", csv_bytes(frame), file_name=f"{file_name}.csv",
        mime="text/csv", key=f"download-{key}", icon=":material/download:",
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
