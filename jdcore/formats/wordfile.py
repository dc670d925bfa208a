"""A role's job description as a Word document (.docx), laid out like the printed one.

Built from jdcore.formats.jobdoc.job_description (the same content as the Markdown and HTML):
title, the facts table (department, reports to, ...), the source note, then summary,
responsibilities by category, qualities, requirements, decision rights, interactions, key
results and the next career step. Text is put into runs as plain text, never interpreted.
"""

from __future__ import annotations

import io

from .bundle import zip_bytes
from .xmltext import xml_text
from ..model.catalogue import Catalogue
from .jobdoc import (Entry, JobDescription, document_file_names, job_description,
                     source_counts_text, source_legend)

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_ZIP_NAME = "job-descriptions-docx.zip"


def _clean(text: str) -> str:
    """Text Word can hold: characters XML 1.0 forbids are dropped."""
    return xml_text(str(text))


def _entry(document, entry: Entry) -> None:
    paragraph = document.add_paragraph(style="List Bullet")
    if entry.label:
        paragraph.add_run(_clean(entry.label) + ": ").bold = True
    paragraph.add_run(_clean(entry.text))
    if entry.essential:
        paragraph.add_run(" (essential)").bold = True
    tail = [*entry.shown_details, *([entry.source] if entry.source else [])]
    if tail:
        run = paragraph.add_run(" — " + " · ".join(_clean(t) for t in tail))
        run.italic = True


def to_docx(jd: JobDescription) -> bytes:
    """The job description as .docx bytes."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.core_properties.title = _clean(f"Job description: {jd.title}")
    document.add_paragraph("JOB DESCRIPTION").runs[0].font.size = Pt(9)
    document.add_heading(_clean(jd.title), level=0)
    facts = document.add_table(rows=0, cols=2)
    facts.style = "Table Grid"
    for label, value in jd.facts:
        cells = facts.add_row().cells
        cells[0].paragraphs[0].add_run(_clean(label)).bold = True
        cells[1].text = _clean(value)
    legend = "".join(f"{words} {note} {meaning}" for words, note, meaning in source_legend())
    note = document.add_paragraph()
    note.add_run("Source: ").bold = True
    note.add_run(_clean(f"{jd.source_document}, dated {jd.source_modified}. The role as a whole "
                        f"is marked {jd.source_note}. {legend}. This role: "
                        f"{source_counts_text(jd)}."))
    for section in jd.sections:
        document.add_heading(_clean(section.heading), level=1)
        if section.is_empty:
            document.add_paragraph("None recorded.").runs[0].italic = True
        if section.text:
            document.add_paragraph(_clean(section.text))
        for group in section.shown_groups:
            if group.heading:
                heading = group.heading + (f" — {group.note}" if group.note else "")
                document.add_heading(_clean(heading), level=2)
            for entry in group.entries:
                _entry(document, entry)
        if (shown := section.shown_table) is not None:
            table = document.add_table(rows=1, cols=len(shown.header))
            table.style = "Table Grid"
            for cell, column in zip(table.rows[0].cells, shown.header):
                cell.paragraphs[0].add_run(_clean(column)).bold = True
            for row, source in shown.body:
                for cell, value in zip(table.add_row().cells, (*row, source)):
                    cell.text = _clean(value)
    footer = document.add_paragraph(_clean(f"Made from the role catalogue file {jd.file}."))
    footer.runs[0].italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def role_docx(catalogue: Catalogue, role_id: str) -> bytes:
    return to_docx(job_description(catalogue, role_id))


def documents_docx_zip(catalogue: Catalogue) -> bytes:
    """Every role's job description as .docx, in one ZIP."""
    role_ids = list(catalogue.roles["role_id"])
    return zip_bytes({name: role_docx(catalogue, role_id) for role_id, name
                      in zip(role_ids, document_file_names(role_ids, "docx"))})
