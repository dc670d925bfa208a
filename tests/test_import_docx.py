"""jdcore.formats.wordfile: job descriptions as Word documents, opened again with python-docx."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document

from jdcore.formats.jobdoc import document_file_name
from jdcore.formats.wordfile import documents_docx_zip, role_docx


def document_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize("role_id", ["head-of-sales", "general-director", "site-foreman"])
def test_docx_holds_every_responsibility_and_the_facts(catalogue, role_id):
    text = document_text(role_docx(catalogue, role_id))
    role = catalogue.roles.set_index("role_id").loc[role_id]
    assert role["title"] in text
    for duty in catalogue.duties[catalogue.duties["role_id"] == role_id]["text"]:
        assert duty in text
    for quality in catalogue.qualities[catalogue.qualities["role_id"] == role_id]["name"]:
        assert quality in text
    for subject in catalogue.interactions[catalogue.interactions["role_id"] == role_id]["subject"]:
        assert subject in text
    assert role["summary"] in text


def test_docx_headings_follow_a_job_description(catalogue):
    document = Document(io.BytesIO(role_docx(catalogue, "head-of-sales")))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    # the sections of a job description in order; Authority, Working conditions (issue 13)
    # and the Sign-off block were added to the original eight
    assert headings == ["Summary", "Responsibilities", "Qualities", "Requirements",
                        "Decision rights", "Authority", "Working conditions", "Interactions",
                        "Key results", "Next career step", "Sign-off"]
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Reports to"] == catalogue.roles.set_index("role_id").loc[
        "general-director", "title"]


def test_docx_zip_holds_one_document_per_role(catalogue):
    with zipfile.ZipFile(io.BytesIO(documents_docx_zip(catalogue))) as archive:
        names = archive.namelist()
        assert names == [document_file_name(r, "docx") for r in catalogue.roles["role_id"]]
        text = document_text(archive.read(document_file_name("head-of-sales", "docx")))
    assert "Negotiate with potential dealers or buyers" in text


def test_control_characters_do_not_break_the_document(catalogue):
    from jdcore.formats.jobdoc import job_description
    from jdcore.formats.wordfile import to_docx
    import dataclasses
    jd = job_description(catalogue, "head-of-sales")
    jd = dataclasses.replace(jd, title="Head\x00 of \x07sales <b>&amp;")
    text = document_text(to_docx(jd))
    assert "Head of sales <b>&amp;" in text
