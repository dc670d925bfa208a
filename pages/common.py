"""The app layer shared by every page: the cached catalogue, labels, tables with downloads.

Pages import from here; nothing here computes catalogue figures (that is jdcore's job).
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections import OrderedDict
from contextlib import contextmanager
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Collection, Mapping
from typing import Iterator

import pandas as pd
import streamlit as st

from jdcore import Catalogue, catalogue_fingerprint, load_catalogue
from jdcore.analysis.compare import Comparison, compare_roles
from jdcore.analysis.duties import duties_view
from jdcore.analysis.findings import (FINDING_COLUMNS, OVERLAP_NEIGHBOURS, OVERLAP_THRESHOLD,
                                     findings_after_edit, found_findings)
from jdcore.analysis.indices import index_breakdown, index_table
from jdcore.analysis.interactions import GraphLayout, circular_layout
from jdcore.analysis.orgchart import area_roles, integrity_problems
from jdcore.analysis.profile import role_profile, roles_table
from jdcore.analysis.interactions import interaction_edges
from jdcore.analysis.scenario import (apply_scenario, compare_scenario, decode_changes,
                                      scenario_base, scenario_findings)
from jdcore.analysis.matching import (DutyIndex, Neighbours, changed_roles, derivable,
                                      duty_signatures, fit_duty_index, neighbour_search,
                                      neighbours_after_edit, replace_roles)
from jdcore.loading.cache import derived_table
from jdcore.formats.csvio import csv_bytes
from jdcore.model.problems import problems_frame
from jdcore.navigation import DEFAULT_PAGE, PAGES, ignored_query, say_ignored
from jdcore.model.columns import (WRAPPED_ROW_PX, as_shown, column_spec, key_columns,
                                  key_first, wraps)
from jdcore.model.labels import role_labels, vocabulary
from jdcore.model.text import escape_markdown, escape_markdown_name
from pages.uploads import import_root
from pages.workspace_state import current_workspace

APP_DIR = Path(__file__).resolve().parent.parent
CATALOGUE_ENV = "JDCORE_CATALOGUE"
CACHE_ENV = "JDCORE_CACHE_DIR"
LONG_TABLE_ROWS = 500           # rows drawn on screen; the download always holds every row
DEFERRED_DOWNLOAD_ROWS = 20_000  # above this, the CSV is built only when the button is clicked


NAVIGATION_KEY = "_app_navigation_ran"  # session state: app.py's st.navigation ran


def app_navigation(position: str = "sidebar"):
    """The app's st.navigation, built from jdcore.navigation's registry."""
    return st.navigation([st.Page(p.script, title=p.title, icon=p.icon, url_path=p.key,
                                  default=p.key == DEFAULT_PAGE) for p in PAGES],
                         position=position)


def mark_app_navigation() -> None:
    """Called by app.py on every run, before the page runs."""
    st.session_state[NAVIGATION_KEY] = True


def ensure_app_navigation() -> None:
    """Make a deep link work on the first request after the server starts.

    Until st.navigation has run once in the process, Streamlit treats a folder named pages/
    as its legacy multipage layout and runs a linked page (e.g. /compare?roles=...) on its
    own, without app.py; Streamlit 1.67 has no setting to turn that off. Such a run is the
    first of a new session, so app.py has not marked the session yet: call st.navigation
    (which leaves the legacy layout for the whole process) and rerun, so app.py serves it.
    """
    if not st.session_state.get(NAVIGATION_KEY):
        app_navigation(position="hidden")
        st.rerun()


IMPORTED_KEY = "imported_catalogue"  # session state: folder of this session's imported catalogue
PENDING_KEY = "show_pending"  # session state and URL: show the catalogue with pending changes
ERROR_LOGGER = logging.getLogger("jdcore.app")


def pending_shown() -> bool:
    """Whether this run shows the catalogue with pending changes applied: the sidebar's
    switch, or, before the switch is drawn in this session's first run, the link's
    ?show_pending=true (the switch is bound to the URL, jdcore.navigation.APP_QUERY_KEYS)."""
    if PENDING_KEY in st.session_state:
        return bool(st.session_state[PENDING_KEY])
    return st.query_params.get(PENDING_KEY) == "true"


@contextmanager
def error_guard() -> Iterator[None]:
    """Around a page run: an unexpected exception shows a short message with a reference,
    and is logged with its traceback and that reference on the server; the traceback never
    reaches the browser. Streamlit's own st.rerun / st.stop / st.switch_page pass through
    (they are not Exceptions)."""
    try:
        yield
    except Exception:
        reference = uuid.uuid4().hex[:8]
        ERROR_LOGGER.exception("unexpected error on a page, reference %s", reference)
        st.error(f"Something went wrong while drawing this page (reference {reference}). "
                 "Reload the page or open another one; if it happens again, give the "
                 "reference to whoever runs the dashboard.", icon=":material/error:")


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
    # An upload lives for a session in a temporary folder: it is kept in memory only, so
    # the disk cache never fills with entries of folders that are long gone.
    uploaded = import_root().resolve() in Path(path).resolve().parents
    return load_catalogue(path, cache_dir=None if uploaded else cache_dir())


def cached_catalogue(path: str | Path) -> Catalogue:
    """The catalogue at `path`, loaded once per process and fingerprint. Do not mutate it."""
    return _load(str(path), catalogue_fingerprint(path))


def current_catalogue() -> Catalogue:
    """The catalogue this session shows: an imported one; else the workspace's current
    catalogue (kept per process, refreshed when anything was saved); else the folder
    (read-only), cached per process on its fingerprint. Do not mutate it."""
    ensure_app_navigation()  # cheap; every page but Import starts here
    if not st.session_state.get(IMPORTED_KEY):
        live = current_workspace()
        if live is not None:
            snapshot = live.current()
            if snapshot is not None:
                if pending_shown():
                    view = live.with_pending()
                    if view is not None:
                        return view[0]
                return snapshot.catalogue
    path = catalogue_path()
    return _load(str(path), catalogue_fingerprint(path))


def show_workspace() -> None:
    """In the sidebar: which workspace is open (or that the folder is read-only), and why a
    workspace could not be opened."""
    if st.session_state.get(IMPORTED_KEY):
        return  # show_session_catalogue says which catalogue this session shows
    live = current_workspace()
    with st.sidebar:
        if live is None:  # st.text: plain text, never markup
            st.text(f"Read-only catalogue folder: {catalogue_path()}. Set JDCORE_WORKSPACE "
                    "to edit.")
            return
        if live.snapshot is None or live.workspace is None:
            st.error(f"The workspace cannot be opened: {escape_markdown(live.error or '')} "
                     "Showing the catalogue folder, read-only.", icon=":material/error:")
            return
        kind = "SQLite" if live.workspace.is_sqlite else "PostgreSQL"
        st.text(f"Workspace ({kind}): {live.workspace.label}")
        if live.error:
            st.warning(escape_markdown(live.error), icon=":material/warning:")
        # bound to the URL (?show_pending=true): a shared link opens the catalogue with the
        # pending changes applied, and the switch stays on from page to page
        link = st.query_params.get_all(PENDING_KEY)
        if PENDING_KEY not in st.session_state and link and link[-1] not in ("true", "false"):
            st.warning(escape_markdown(f"This link's {PENDING_KEY} “{link[-1][:40]}” is "
                                       "neither true nor false, so it was ignored: the "
                                       "approved catalogue is shown."),
                       icon=":material/link_off:")
        st.toggle("Show pending changes", key=PENDING_KEY, bind="query-params",
                  help="Every page shows the approved catalogue; switch this on to see it "
                       "with the drafts and the changes in review applied (not approved).")


def show_pending_banner() -> None:
    """Above the page, while the session shows pending changes: that it does, and how many."""
    if st.session_state.get(IMPORTED_KEY) or not pending_shown():
        return
    live = current_workspace()
    view = live.with_pending() if live is not None else None
    if view is None:
        return
    count = len(view[1])
    st.warning(f"Showing the catalogue with {count} pending change(s) applied: drafts and "
               "changes in review, not approved. Switch off *Show pending changes* in the "
               "sidebar for the approved catalogue.", icon=":material/pending:")


def labels(catalogue: Catalogue) -> dict[str, str]:
    """Each role's label ("Title (id)" where titles repeat), by id. Do not mutate it."""
    return current_role_labels(catalogue)


def names(catalogue: Catalogue, vocabulary_name: str) -> dict[str, str]:
    return vocabulary(catalogue.taxonomy, vocabulary_name)


def show_table(frame: pd.DataFrame, file_name: str, key: str, *,
               column_config: dict | None = None, height: int | str = "auto",
               max_rows: int = LONG_TABLE_ROWS, view: str | None = None) -> None:
    """A table and a button that downloads it as spreadsheet-safe CSV.

    Every column reads as jdcore.model.columns says (header, number format, width); `view`
    names the table's key columns (KEY_COLUMNS), drawn first, the first one pinned.
    `column_config` overrides a column where a page needs more. The CSV holds what the user
    sees: the same columns in the same order under the same headers. A long table draws
    its first `max_rows` rows and says so; the download always holds every row (the filters
    applied, nothing else), built only on click when it is very long.
    """
    frame = key_first(frame, view)
    # the first key column stays in view when the table scrolls sideways, unless it is long
    # text: pinned, that would leave a phone no room for the other columns
    pinned = [c for c in key_columns(view, list(frame.columns))[:1]
              if column_spec(c).kind != "long_text"]
    config = {column: column_config_of(column, pinned=column in pinned)
              for column in frame.columns} | (column_config or {})
    with st.container(key=f"table-{key}"):  # tests and browser checks find a table by key
        st.dataframe(frame.head(max_rows), hide_index=True, column_config=config,
                     height=height, width="stretch",
                     row_height=WRAPPED_ROW_PX if wraps(frame.columns) else None)
        if len(frame) > max_rows:
            st.caption(f"Showing the first {max_rows:,} of {len(frame):,} rows; "
                       f"the download holds all {len(frame):,}.")
        data = (csv_bytes(as_shown(frame)) if len(frame) <= DEFERRED_DOWNLOAD_ROWS
                else lambda: csv_bytes(as_shown(frame)))
        st.download_button(
            f"Download CSV ({len(frame):,} {'row' if len(frame) == 1 else 'rows'})", data,
            file_name=f"{file_name}.csv", mime="text/csv", key=f"download-{key}",
            icon=":material/download:",
        )


def column_config_of(column: str, pinned: bool = False):
    """Streamlit's configuration of a column, from jdcore.model.columns."""
    spec = column_spec(column)
    common = dict(width=spec.width, help=spec.help, pinned=pinned or None)
    if spec.kind == "index":
        return st.column_config.ProgressColumn(spec.label, min_value=0, max_value=100,
                                               format="%.0f", **common)
    if spec.kind in NUMBER_FORMATS:
        return st.column_config.NumberColumn(spec.label, format=NUMBER_FORMATS[spec.kind],
                                             **common)
    if spec.kind == "boolean":
        return st.column_config.CheckboxColumn(spec.label, **common)
    return st.column_config.TextColumn(spec.label, **common)


NUMBER_FORMATS = {"integer": "%d", "number": "%.2f", "share": "%.3f", "percent": "%.0f %%"}


def note_ignored_query(page: str, choices: Mapping[str, tuple[str, Collection[str]]]) -> None:
    """Before a page's widgets bound to the URL: say which of the link's values the page
    cannot use (a key it does not read, a value not among a widget's options), which
    Streamlit would otherwise drop silently. `choices`: query key -> (the name the page gives
    it, the values its widget offers, as they are written in the URL)."""
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    ignored = ignored_query(page, params, {key: set(allowed)
                                           for key, (_, allowed) in choices.items()})
    if ignored:
        names = {key: name for key, (name, _) in choices.items()}
        st.warning(escape_markdown(say_ignored(ignored, names)), icon=":material/link_off:")


def filters_expander(key: str, filters: Mapping[str, str], everything: str):
    """An expander for a page's filters, closed by default (one line on a phone, where the
    stacked filters would fill the first screen), its label naming the filters the URL sets
    (`filters`: query key -> name), e.g. "Filters: department, keyword"; `everything` is
    what it says when none is set."""
    active = [name for query_key, name in filters.items() if st.query_params.get(query_key)]
    summary = f"Filters: {', '.join(active)}" if active else f"Filters: none, {everything}"
    return st.expander(summary, key=key, icon=":material/filter_alt:")


def show_problems(catalogue: Catalogue) -> None:
    """A banner for a catalogue with errors: what is wrong, while the rest stays usable."""
    if catalogue.is_valid:
        return
    st.error(f"The catalogue at {escape_markdown_name(catalogue.path)} has "
             f"{len(catalogue.errors)} error(s). "
             "The pages show what could be loaded; fix the files listed below.",
             icon=":material/error:")
    with st.expander("Problems found in the catalogue files"):
        with st.container(key="table-catalogue-problems"):
            problems = problems_table(catalogue)
            st.dataframe(problems, hide_index=True, width="stretch",
                         column_config={c: column_config_of(c) for c in problems.columns})


def problems_table(catalogue: Catalogue) -> pd.DataFrame:
    return problems_frame(catalogue.problems)


def require_roles(catalogue: Catalogue) -> None:
    """Stop the page politely when the catalogue has no roles to show."""
    if catalogue.roles.empty:
        st.info("The catalogue has no roles that could be loaded.")
        st.stop()




def per_catalogue(spinner: str | bool, max_entries: int = 4):
    """Cache a table computed from a catalogue, once per catalogue fingerprint (and per the
    further arguments, which must be hashable), for the whole process. Do not mutate it.

    `compute(catalogue, *args)` is wrapped as `current(catalogue, *args)`.
    """

    def wrap(compute):
        def cached(name: str, path: str, fingerprint: str, args: tuple, _catalogue: Catalogue):
            return compute(_catalogue, *args)

        # Streamlit keys a cache on the function's qualified name: one cache per table
        cached.__qualname__ = f"per_catalogue.{compute.__module__}.{compute.__qualname__}"
        cached = st.cache_resource(show_spinner=spinner, max_entries=max_entries)(cached)

        def current(catalogue: Catalogue, *args):
            return cached(cached.__qualname__, str(catalogue.path), catalogue.fingerprint,
                          args, catalogue)

        current.__doc__ = compute.__doc__
        return current

    return wrap


class Lineage:
    """Per catalogue path, the latest catalogue's duty signatures and what was matched for
    it (a duty index, a neighbour search) or found in it (the findings), so that the next
    catalogue of that path (a save in the workspace, an edited file) derives its own from
    them when only a few roles changed, instead of matching every duty again. Whatever it derives is for the
    duties of the new catalogue (the changed roles are found by comparing the duties
    themselves), and is cached like any other table under that catalogue's path and
    fingerprint, so two sessions never see a result of another catalogue."""

    def __init__(self, max_entries: int = 8):
        self.lock = threading.Lock()
        self.max_entries = max_entries  # (kind, path) pairs kept, the least recent dropped
        self.latest: OrderedDict[tuple[str, str], tuple[str, pd.Series, object]] = OrderedDict()

    def derive(self, kind: str, catalogue: Catalogue, compute, update):
        """compute(catalogue) or, from the latest result of this kind for the catalogue's
        path, update(previous, changed role ids) when matching.derivable allows it."""
        key = (kind, str(catalogue.path))
        signatures = current_duty_signatures(catalogue)
        with self.lock:
            previous = self.latest.get(key)
        result = None
        if previous is not None:
            changed = changed_roles(previous[1], signatures)
            index = previous[2] if isinstance(previous[2], DutyIndex) else previous[2].index
            if not changed:  # the same duties (a title, a scale changed): the same result
                result = previous[2]
            elif derivable(index, catalogue.duties, changed):
                result = update(previous[2], changed)
        if result is None:
            result = compute(catalogue)
        self._keep(key, catalogue.fingerprint, signatures, result)
        return result

    def follow(self, kind: str, catalogue: Catalogue, compute, update):
        """compute(catalogue) or, from the latest result of this kind for the catalogue's
        path, update(previous result): for a result whose update finds out itself what
        changed (the findings: findings.findings_after_edit), whatever the change."""
        key = (kind, str(catalogue.path))
        with self.lock:
            previous = self.latest.get(key)
        if previous is None:
            result = compute(catalogue)
        elif previous[0] == catalogue.fingerprint:
            result = previous[2]
        else:
            result = update(previous[2])
        self._keep(key, catalogue.fingerprint, None, result)
        return result

    def _keep(self, key: tuple[str, str], fingerprint: str, signatures, result) -> None:
        with self.lock:
            self.latest[key] = (fingerprint, signatures, result)
            self.latest.move_to_end(key)
            while len(self.latest) > self.max_entries:
                self.latest.popitem(last=False)


LINEAGE = Lineage()


def _duty_signatures(catalogue: Catalogue) -> pd.Series:
    """Per role, a hash of its duties (jdcore.analysis.matching.duty_signatures)."""
    return duty_signatures(catalogue.duties)


def _duty_index(catalogue: Catalogue):
    """The duty-matching index: TF-IDF fitted on every duty of the catalogue, or, when only a
    few roles changed since the last catalogue of its path, that one's index with their
    duties replaced (matching.replace_roles)."""
    return LINEAGE.derive("index", catalogue, lambda c: fit_duty_index(c.duties),
                          lambda index, changed: replace_roles(index, catalogue.duties, changed))


def _overlap_neighbours(catalogue: Catalogue) -> Neighbours:
    """The neighbour search the overlap findings read, or, when only a few roles changed
    since the last catalogue of its path, that one's updated for them
    (matching.neighbours_after_edit)."""
    return LINEAGE.derive(
        "overlap-neighbours", catalogue,
        lambda c: neighbour_search(current_duty_index(c), k=OVERLAP_NEIGHBOURS,
                                   threshold=OVERLAP_THRESHOLD),
        lambda graph, changed: neighbours_after_edit(graph, catalogue.duties, changed))


class UpdatedFindings(Exception):
    """Raised by _findings' computation to hand back findings that must not be stored."""

    def __init__(self, table: pd.DataFrame):
        super().__init__("findings from an updated search")
        self.table = table


def _findings(catalogue: Catalogue) -> pd.DataFrame:
    """The catalogue's findings, read from disk with its tables when they are there (a
    large catalogue takes seconds to match), else computed: when the latest catalogue of
    its path had its findings computed in this process (a save in the workspace, an edited
    file), brought up to date from them for the roles that changed
    (findings.findings_after_edit), else found afresh. Stored on disk only when they come
    from an index fitted on its duties, not from a search updated after an edit."""

    def compute() -> pd.DataFrame:
        neighbours = current_overlap_neighbours(catalogue)
        signatures = current_duty_signatures(catalogue)
        table = LINEAGE.follow(
            "findings", catalogue, lambda c: found_findings(c, None, neighbours, signatures),
            lambda previous: findings_after_edit(previous, catalogue, None, neighbours,
                                                 signatures)).table
        if neighbours.index.replaced is not None:
            raise UpdatedFindings(table)
        return table

    try:
        return derived_table(catalogue.path, catalogue.fingerprint, cache_dir(), "findings",
                             compute, columns=FINDING_COLUMNS)
    except UpdatedFindings as updated:
        return updated.table


def _scenario_base(catalogue: Catalogue):
    """What every what-if scenario on the catalogue starts from (jdcore.analysis.scenario)."""
    neighbours = current_overlap_neighbours(catalogue)
    return scenario_base(catalogue, neighbours.index, neighbours, current_findings(catalogue))


def _scenario(catalogue: Catalogue, encoded: str, name: str):
    """A scenario of the URL applied: (ScenarioResult, its findings, the Comparison)."""
    base = current_scenario_base(catalogue)
    changes, _ = decode_changes(encoded)
    result = apply_scenario(base, changes, name=name)
    findings = scenario_findings(base, result)
    return result, findings, compare_scenario(catalogue, result.catalogue, base.findings,
                                              findings, result.reached)


current_duties_view = per_catalogue("Collecting the duties…")(duties_view)
current_duty_signatures = per_catalogue(False)(_duty_signatures)
current_duty_index = per_catalogue("Matching duties…")(_duty_index)
current_overlap_neighbours = per_catalogue("Matching duties…")(_overlap_neighbours)
current_findings = per_catalogue("Looking for findings…")(_findings)
current_interaction_edges = per_catalogue(False, max_entries=16)(interaction_edges)
current_scenario_base = per_catalogue("Preparing the what-if scenario…")(_scenario_base)
current_scenario = per_catalogue("Recomputing the scenario…", max_entries=32)(_scenario)


# What a page computes from the catalogue alone (or with a role or two it shows) is kept per
# catalogue too: a rerun (every widget change, every page visit) then only draws it. See
# bench/rerun_profile.py and the load test in BENCHMARKS.md for what that saves.
def _role_labels(catalogue: Catalogue) -> dict[str, str]:
    return role_labels(catalogue.roles)


def _comparison(catalogue: Catalogue, role_ids: tuple[str, ...]) -> Comparison:
    """compare_roles of the chosen roles, with the catalogue's duty index."""
    return compare_roles(catalogue, role_ids, current_duty_index(catalogue))


def _interaction_layout(catalogue: Catalogue, business_area, kinds) -> GraphLayout:
    """The circle drawing of the interaction edges of an area and kinds."""
    return circular_layout(catalogue, current_interaction_edges(catalogue, business_area, kinds))


current_role_labels = per_catalogue(False)(_role_labels)
current_roles_table = per_catalogue(False)(roles_table)
current_role_profile = per_catalogue(False, max_entries=64)(role_profile)
current_index_table = per_catalogue(False)(index_table)
current_index_breakdown = per_catalogue(False, max_entries=64)(index_breakdown)
current_area_roles = per_catalogue(False, max_entries=16)(area_roles)
current_integrity_problems = per_catalogue(False)(integrity_problems)
current_comparison = per_catalogue(False, max_entries=32)(_comparison)
current_interaction_layout = per_catalogue(False, max_entries=16)(_interaction_layout)


def show_session_catalogue() -> None:
    """In the sidebar: which imported catalogue this session shows, and the way back."""
    imported = st.session_state.get(IMPORTED_KEY)
    if not imported:
        return
    name = escape_markdown_name(st.session_state.get(IMPORTED_KEY + "_name", "an upload"))
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


# --- long work in the background ---------------------------------------------------------------
#
# A bulk export of a large catalogue takes a while. It runs in a thread of the server process,
# keyed on the catalogue's fingerprint, the kind of file and its options, so that leaving the
# page does not stop it, another session asking for the same file shares it, and coming back
# shows its progress or the finished download. Finished files are kept (a few, newest first).

KEPT_JOB_RESULTS = 6


@dataclass
class BackgroundJob:
    """One bulk build: its progress while it runs, then its bytes (or the error)."""

    label: str
    done: int = 0
    total: int = 0
    result: bytes | None = None
    error: str | None = None
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None

    @property
    def running(self) -> bool:
        return self.finished is None

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total


@st.cache_resource
def _background_jobs() -> tuple[dict, threading.Lock]:
    """Every job of the server process, shared by all sessions."""
    return {}, threading.Lock()


def background_job(key: tuple, label: str, build, start: bool = False) -> BackgroundJob | None:
    """The job under `key` (catalogue fingerprint, kind, options...), started now with
    `build(progress)` when `start` and there is none; None when none was started."""
    jobs, lock = _background_jobs()
    with lock:
        job = jobs.get(key)
        if job is None and start:
            job = jobs[key] = BackgroundJob(label)

            def run():
                try:
                    job.result = build(job.progress)
                except Exception as error:  # shown on the page; the server keeps running
                    job.error = f"{type(error).__name__}: {error}"
                finally:
                    job.finished = time.monotonic()
                    _forget_old_jobs()

            threading.Thread(target=run, name=f"jdcore-job-{label}", daemon=True).start()
        return job


def _forget_old_jobs() -> None:
    jobs, lock = _background_jobs()
    with lock:
        finished = sorted((k for k, j in jobs.items() if not j.running),
                          key=lambda k: jobs[k].finished, reverse=True)
        for key in finished[KEPT_JOB_RESULTS:]:
            del jobs[key]


PROBLEM_ROW_PX = WRAPPED_ROW_PX + 36  # five lines of a message 300 px wide


def show_check(check, all_clear: str, key: str) -> None:
    """What checking an edit found: errors (which block a save) and warnings (which do
    not), the message first and wrapped, in the container table-<key>."""
    if check.errors:
        st.error(f"{len(check.errors)} error(s) to fix before saving: each row says what is "
                 "wrong and how to fix it.", icon=":material/error:")
    elif check.warnings:
        st.warning(f"No errors; {len(check.warnings)} warning(s). You can save.",
                   icon=":material/warning:")
    else:
        st.success(all_clear, icon=":material/check_circle:")
    if check.problems:
        frame = problems_frame(check.problems)[["message", "severity", "file", "field", "line"]]
        frame["line"] = frame["line"].map(lambda n: "" if n is None or pd.isna(n) else str(int(n)))
        config = {c: column_config_of(c) for c in frame.columns}
        config["message"] = st.column_config.TextColumn("Message", width=300)  # a phone's width
        config["line"] = st.column_config.TextColumn("Line", width="small")  # blank if none
        with st.container(key=f"table-{key}"):
            st.dataframe(frame, hide_index=True, width="stretch", row_height=PROBLEM_ROW_PX,
                         column_config=config)
