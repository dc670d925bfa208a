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


def test_every_word_file_reads_back_as_its_job_description(catalogue):
    """Each .docx is written as XML text into a package made once (wordfile.word_template):
    python-docx reads every role's file back with the description's headings, lists and
    tables, in both paper sizes, and the package is a sound ZIP (every CRC checks)."""
    from jdcore.formats.jobdoc import DocumentOptions, job_descriptions
    from jdcore.formats.wordfile import to_docx

    for options in (DocumentOptions(), DocumentOptions(paper="US Letter", provenance=False)):
        for jd in job_descriptions(catalogue):
            data = to_docx(jd, options)
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                assert package.testzip() is None
                assert {"word/styles.xml", "word/numbering.xml"} <= set(package.namelist())
            document = Document(io.BytesIO(data))
            styled = [(p.style.name, p.text) for p in document.paragraphs]
            assert ("Title", jd.title) in styled
            assert [t for s, t in styled if s == "Heading 1"] == [
                s.heading for s in jd.sections] + ["Sign-off"]
            assert [t for s, t in styled if s == "Heading 2"] == [
                g.heading + (f" — {g.note}" if g.note else "")
                for s in jd.sections for g in s.shown_groups if g.heading]
            bullets = [t for s, t in styled if s == "List Bullet"]
            assert len(bullets) == sum(len(g.entries) for s in jd.sections
                                       for g in s.shown_groups)
            tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
            assert tables[0] == [list(fact) for fact in jd.facts]
            shown = [s.shown_table for s in jd.sections if s.shown_table is not None]
            for table, rows in zip(shown, tables[1:]):
                sourced = options.provenance and table.has_sources
                assert rows[0] == list(table.header if sourced else table.columns)
                assert rows[1:] == [[*row, *([source] if sourced else [])]
                                    for row, source in table.body]
            assert tables[-1][0] == ["Signed by", "Name", "Signature", "Date"]
            width = document.sections[0].page_width.mm
            assert round(width, 1) == (210.0 if options.paper == "A4" else 215.9)
