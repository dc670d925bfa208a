"""AppTest runs of the Duties page: filters from the URL, the sentence, heatmap, table, download."""

from __future__ import annotations

import io
import posixpath
import re
from pathlib import Path

import pandas as pd
import pytest
import snowballstemmer
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from jdcore.formats.csvio import ENCODING
from jdcore.model.columns import shown_headers
from jdcore.model.text import escape_markdown
from apptest_tables import table as table_of


@pytest.fixture
def downloads(monkeypatch):
    """`downloads(at)` -> {button key: bytes} of every download button drawn."""
    stored: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        stored[file_id] = path_or_data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)

    def by_key(at) -> dict[str, bytes]:
        return {button.key: stored[posixpath.splitext(posixpath.basename(button.proto.url))[0]]
                for button in at.download_button}

    return by_key


def mentions(text: str, word: str) -> bool:
    """Does `text` hold `word` as a whole word in one of its inflected forms (same Snowball
    stem), e.g. contract / contracts / contracting, never subcontractors?"""
    stemmer = snowballstemmer.stemmer("english")
    target = stemmer.stemWord(word.lower())
    return any(stemmer.stemWord(w) == target for w in re.findall(r"[a-z0-9]+", text.lower()))


def expected_duties(catalogue, department: str | None = None, text: str | None = None,
                    essential: bool | None = None, frequency: str | None = None,
                    grade: str | None = None, inside_words: bool = False) -> pd.DataFrame:
    """The duties a filter should show, computed straight from the catalogue tables."""
    roles = catalogue.roles.set_index("role_id")
    duties = catalogue.duties.assign(
        role=catalogue.duties["role_id"].map(roles["title"]),
        department=catalogue.duties["role_id"].map(roles["department"]),
        grade=catalogue.duties["role_id"].map(roles["grade"]))
    keep = pd.Series(True, index=duties.index)
    if department:
        keep &= duties["department"] == department
    if text and inside_words:
        keep &= duties["text"].str.lower().str.contains(text.lower(), regex=False)
    elif text:
        keep &= duties["text"].map(lambda t: mentions(t, text))
    if essential is not None:
        keep &= duties["essential"] == essential
    if frequency:
        keep &= duties["frequency"] == frequency
    if grade:
        keep &= duties["grade"] == grade
    return duties[keep]


def pairs(frame: pd.DataFrame, role="role", text="text") -> list[tuple[str, str]]:
    return sorted(zip(frame[role].astype(str), frame[text].astype(str)))


def test_sales_and_contract_from_the_url_show_exactly_those_duties(run_page, catalogue):
    at = run_page("duties", {"dept": "Sales", "q": "contract"})
    assert not at.exception
    expected = expected_duties(catalogue, department="sales", text="contract")
    assert len(expected) > 0
    table = table_of(at, "duties")
    assert pairs(table, text="duty") == pairs(expected)
    assert set(table["department"]) == {"Sales"}
    found = sorted({w.lower() for t in expected["text"] for w in re.findall(r"\w+", t)
                    if mentions(w, "contract")})
    assert found == ["contracts"]  # sales duties say "contracts"; "contractual" is left out
    assert at.subheader[0].value == escape_markdown(
        "Duties in Sales whose text mentions “contract” (found as contracts)")
    assert at.main.caption[-1].value == f"{len(expected)} of {len(catalogue.duties)} duties match."
    assert at.multiselect(key="dept").value == ["sales"]
    assert at.text_input(key="q").value == "contract"


def test_heatmap_is_a_rect_of_department_by_category_of_the_filtered_duties(run_page, charts,
                                                                             catalogue):
    at = run_page("duties", {"dept": "Sales", "q": "contract"})
    (spec, data), = charts(at)
    assert spec["mark"]["type"] == "rect"
    encoding = spec["encoding"]
    assert (encoding["x"]["field"], encoding["y"]["field"], encoding["color"]["field"]) == \
        ("category_name", "department_label", "duties")  # the name, wrapped onto lines
    assert {t["field"] for t in encoding["tooltip"]} >= {"duties", "time_share"}
    cells = next(iter(data.values()))
    expected = expected_duties(catalogue, department="sales", text="contract")
    categories = dict(catalogue.taxonomy.duty_categories)
    counts = expected.groupby(expected["category"].map(categories)).agg(
        duties=("text", "size"), time_share=("time_share", "sum"))
    got = cells.set_index("category_name")
    assert set(cells["department_name"]) == {"Sales"}
    assert got["duties"].to_dict() == counts["duties"].to_dict()
    assert got["time_share"].to_dict() == counts["time_share"].round(1).to_dict()


def test_the_download_holds_exactly_the_rows_and_columns_shown(run_page, downloads):
    at = run_page("duties", {"q": "contract"})  # several rows, in several departments
    shown = table_of(at, "duties")
    data = downloads(at)["download-duties"]
    downloaded = pd.read_csv(io.StringIO(data.decode(ENCODING)))
    # what the user sees: the headers shown on screen, in the order drawn (not the names of
    # the frame's columns; the Export page's tables keep those)
    assert list(downloaded.columns) == shown_headers(shown.columns)
    assert "Duty" in downloaded.columns and "Time share" in downloaded.columns
    assert downloaded.astype(str).values.tolist() == shown.astype(str).values.tolist()
    assert at.download_button(key="download-duties").label == f"Download CSV ({len(shown)} rows)"


def test_no_filters_show_every_duty(run_page, catalogue, downloads):
    at = run_page("duties")
    assert not at.exception
    total = len(catalogue.duties)
    assert at.subheader[0].value == f"All {total} duties"
    table = table_of(at, "duties")
    assert pairs(table, text="duty") == pairs(expected_duties(catalogue))
    data = downloads(at)["download-duties"]
    assert len(pd.read_csv(io.StringIO(data.decode(ENCODING)))) == total


def test_every_filter_restores_from_the_url(run_page, catalogue):
    at = run_page("duties", {"essential": "Essential only", "freq": "monthly",
                             "grade": "Head of department", "area": "Trading company"})
    assert not at.exception
    assert at.selectbox(key="essential").value == "Essential only"
    assert at.multiselect(key="freq").value == ["monthly"]
    assert at.multiselect(key="grade").value == ["head-of-department"]
    assert at.multiselect(key="area").value == ["trade"]
    expected = expected_duties(catalogue, essential=True, frequency="monthly",
                               grade="head-of-department")
    expected = expected[expected["role_id"].map(
        catalogue.roles.set_index("role_id")["business_area"]) == "trade"]
    assert pairs(table_of(at, "duties"), text="duty") == pairs(expected)
    assert at.subheader[0].value == ("Essential monthly duties of heads of department "
                                     "in the trading company")


def test_category_filter_from_the_url(run_page, catalogue):
    at = run_page("duties", {"cat": "Contracts and legal"})
    table = table_of(at, "duties")
    expected = catalogue.duties[catalogue.duties["category"] == "contracts"]
    assert len(table) == len(expected)
    assert set(table["category"]) == {"Contracts and legal"}


def test_a_filter_with_no_match_says_so_and_draws_no_table(run_page, catalogue):
    at = run_page("duties", {"q": "no duty says this"})
    assert not at.exception
    assert at.subheader[0].value == escape_markdown(
        "Duties whose text mentions “no” (found nowhere), “duty” (found as duties), "
        "“says” (found nowhere) and “this” (found nowhere)")
    assert at.main.caption[-1].value == f"0 of {len(catalogue.duties)} duties match."
    assert at.info[0].value.startswith("No duty matches these filters")
    assert len(at.dataframe) == 0 and len(at.download_button) == 0


@pytest.fixture(scope="module")
def large_catalogue(tmp_path_factory):
    """The embedded catalogue with every role copied four more times (1,070 duties)."""
    data = Path(__file__).resolve().parent.parent / "data"
    folder = tmp_path_factory.mktemp("large")
    (folder / "roles").mkdir()
    (folder / "taxonomy.yaml").write_text((data / "taxonomy.yaml").read_text("utf-8"), "utf-8")
    for file in sorted((data / "roles").glob("*.yaml")):
        text = file.read_text("utf-8")
        (folder / "roles" / file.name).write_text(text, "utf-8")
        for copy in range(2, 6):
            role_id = f"{file.stem}-{copy}"
            lines = [f"id: {role_id}" if line == f"id: {file.stem}"
                     else f"reports_to: {file.stem}" if line == "reports_to: null"
                     else line for line in text.splitlines()]
            (folder / "roles" / f"{role_id}.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    return folder


def test_a_long_table_shows_its_first_rows_and_downloads_all_of_them(run_page, downloads,
                                                                     large_catalogue):
    from jdcore import load_catalogue
    from pages.common import LONG_TABLE_ROWS

    total = len(load_catalogue(large_catalogue).duties)
    assert total > LONG_TABLE_ROWS
    at = run_page("duties", catalogue_dir=large_catalogue)
    assert not at.exception
    assert at.subheader[0].value == f"All {total:,} duties"
    shown = table_of(at, "duties")
    assert len(shown) == LONG_TABLE_ROWS
    assert f"Showing the first {LONG_TABLE_ROWS:,} of {total:,} rows; " \
           f"the download holds all {total:,}." in [c.value for c in at.caption]
    downloaded = pd.read_csv(io.StringIO(downloads(at)["download-duties"].decode(ENCODING)))
    assert len(downloaded) == total
    assert list(downloaded.columns) == shown_headers(shown.columns)
    assert downloaded.head(LONG_TABLE_ROWS).astype(str).values.tolist() == \
        shown.astype(str).values.tolist()


def test_the_keyword_matches_whole_words_unless_told_to_look_inside_them(run_page, catalogue):
    whole = table_of(run_page("duties", {"q": "contract"}), "duties")
    assert pairs(whole, text="duty") == pairs(expected_duties(catalogue, text="contract"))
    assert not any("contractual" in t.lower() for t in whole["duty"])
    at = run_page("duties", {"q": "contract", "inside": "true"})
    assert not at.exception
    assert at.checkbox(key="inside").value is True
    inside = table_of(at, "duties")
    expected = expected_duties(catalogue, text="contract", inside_words=True)
    assert pairs(inside, text="duty") == pairs(expected)
    assert len(inside) > len(whole)  # "contractual" and the like, inside a longer word
    assert at.subheader[0].value == escape_markdown(
        "Duties whose text contains “contract” (found as contract)")


def test_the_filters_sit_in_an_expander_that_names_the_active_ones(run_page):
    at = run_page("duties", {"dept": "Sales", "q": "contract"})
    [expander] = at.expander
    assert expander.label == "Filters: department, keyword"
    assert at.multiselect(key="dept") in list(expander.multiselect)
    assert run_page("duties").expander[0].label == "Filters: none, every duty is shown"
