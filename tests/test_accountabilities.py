"""A role's accountabilities (what the holder answers for): read from a role file, carried
by the CSV bundle and the workbook, shown in the profile, the printable job description,
the Edit page's tables and the history's difference, and recognised in documents."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from jdcore import load_catalogue
from jdcore.analysis.profile import profile_tables, role_profile
from jdcore.formats.bundle import bundle_files, bundle_zip
from jdcore.formats.csvbundle import import_csv_folder, import_csv_zip
from jdcore.formats.documents import catalogue_base, import_uploads
from jdcore.formats.jobdoc import job_description, to_html, to_markdown
from jdcore.formats.tablereader import write_import
from jdcore.formats.wordfile import to_docx
from jdcore.formats.xlsx import catalogue_workbook, import_workbook
from jdcore.store.diff import role_diff
from jdcore.store.editing import RoleEdit

ROLE = "chief-accountant"
ANSWERS = ["The accuracy of the financial statements & <tax> returns",
           "Losses caused by late payments to the budget"]
BLOCK = ("accountabilities:\n"
         f"- text: {ANSWERS[0]}\n"
         "  source: illustrative\n"
         f"- text: {ANSWERS[1]}\n")


@pytest.fixture
def answering(catalogue_copy) -> Path:
    """The embedded catalogue with the chief accountant's two accountabilities."""
    path = catalogue_copy / "roles" / f"{ROLE}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("authority:\n", BLOCK + "authority:\n", 1), encoding="utf-8")
    return catalogue_copy


def test_a_role_file_states_them_and_the_table_holds_them_in_order(answering):
    catalogue = load_catalogue(answering)
    assert not catalogue.errors
    rows = catalogue.tables["accountabilities"]
    assert rows["role_id"].tolist() == [ROLE, ROLE]
    assert rows["accountability_no"].tolist() == [1, 2]
    assert rows["text"].tolist() == ANSWERS
    # an item without its own source takes the role's
    role_note = catalogue.roles.set_index("role_id").loc[ROLE, "source_note"]
    assert rows["source"].tolist() == ["illustrative", role_note]


def test_a_misspelt_field_of_an_accountability_is_an_error_with_a_hint(answering):
    path = answering / "roles" / f"{ROLE}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("- text: Losses", "- txt: Losses"),
                    encoding="utf-8")
    errors = [str(p) for p in load_catalogue(answering).errors]
    assert any("txt" in e and "text" in e for e in errors), errors


def test_a_source_outside_the_taxonomy_is_an_error(answering):
    path = answering / "roles" / f"{ROLE}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(BLOCK, BLOCK.replace("source: illustrative", "source: rumour")),
                    encoding="utf-8")
    errors = [str(p) for p in load_catalogue(answering).errors]
    assert any("accountabilities" in e and "rumour" in e for e in errors), errors


def test_the_csv_bundle_carries_them_and_a_bundle_without_the_file_still_imports(
        answering, tmp_path):
    catalogue = load_catalogue(answering)
    result = import_csv_zip(bundle_zip(catalogue))
    assert result.problems == []
    back = write_import(result, tmp_path / "back")
    pd.testing.assert_frame_equal(back.tables["accountabilities"],
                                  catalogue.tables["accountabilities"])
    folder = tmp_path / "old-bundle"
    folder.mkdir()
    for name, data in bundle_files(catalogue).items():
        if name != "accountabilities.csv":  # a bundle written before the table existed
            (folder / name).write_bytes(data)
    old = import_csv_folder(folder)
    assert old.problems == [] and old.ok
    assert old.tables["accountabilities"].empty


def test_the_workbook_carries_them(answering, tmp_path):
    catalogue = load_catalogue(answering)
    result = import_workbook(catalogue_workbook(catalogue), "book.xlsx")
    assert result.problems == []
    back = write_import(result, tmp_path / "back")
    pd.testing.assert_frame_equal(back.tables["accountabilities"],
                                  catalogue.tables["accountabilities"])


def test_the_profile_shows_them(answering):
    catalogue = load_catalogue(answering)
    tables = profile_tables(role_profile(catalogue, ROLE), catalogue.taxonomy)
    assert tables["profile-accountabilities"]["accountability"].tolist() == ANSWERS


def test_the_printed_job_description_has_an_accountability_section(answering):
    catalogue = load_catalogue(answering)
    jd = job_description(catalogue, ROLE)
    markdown = to_markdown(jd)
    assert "## Accountability" in markdown
    assert markdown.index("## Decision rights") < markdown.index("## Accountability")
    assert "Losses caused by late payments to the budget" in markdown
    html = to_html(jd)
    assert "<h2>Accountability</h2>" in html
    assert "&amp; &lt;tax&gt; returns" in html and "<tax>" not in html  # escaped
    with zipfile.ZipFile(io.BytesIO(to_docx(jd))) as package:
        body = package.read("word/document.xml").decode("utf-8")
    assert "Accountability" in body and "Losses caused by late payments" in body


def test_a_role_without_them_prints_no_empty_section(catalogue):
    assert "Accountability" not in to_markdown(job_description(catalogue, ROLE))


def test_the_edit_tables_round_trip_them_and_the_history_names_the_change(answering):
    document = (answering / "roles" / f"{ROLE}.yaml").read_text(encoding="utf-8")
    edit = RoleEdit.of(document)
    table = edit.tables["accountabilities"]
    assert table["text"].tolist() == ANSWERS
    edit.tables["accountabilities"] = pd.concat(
        [table.iloc[:1], pd.DataFrame({"text": ["Keeping the ledgers closed on time"],
                                       "source": [None]})], ignore_index=True)
    changes = role_diff(document, edit.document())
    assert [(c.section, c.change) for c in changes] == [
        ("accountabilities", "removed"), ("accountabilities", "added")]
    assert "Losses caused" in changes[0].old and "ledgers closed" in changes[1].new
    # a role with none writes no empty list
    edit.tables["accountabilities"] = table.iloc[0:0]
    assert "accountabilities" not in edit.document()


@pytest.mark.parametrize("heading", ["Responsibility", "Accountability",
                                     "The holder is responsible for", "Is liable for"])
def test_documents_map_the_responsibility_section_to_them(catalogue, heading):
    text = (f"# Payroll Accountant\n\n## Duties\n\n- Calculate the monthly payroll\n"
            "- Pay salaries on time\n- File the payroll tax returns\n\n"
            f"## {heading}\n\n- Errors in the payroll\n- Disclosure of salary data\n")
    draft = import_uploads([("payroll.md", text.encode())], catalogue_base(catalogue))
    (role,) = draft.roles.values()
    assert [a["text"] for a in role["accountabilities"]] == [
        "Errors in the payroll", "Disclosure of salary data"]
    assert [d["text"] for d in role["responsibilities"]] == [
        "Calculate the monthly payroll", "Pay salaries on time", "File the payroll tax returns"]
    assert draft.items_per_section()["accountabilities"] == 2
