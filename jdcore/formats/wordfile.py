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
from .jobdoc import (PAPER_SIZES, SIGN_OFF, DocumentOptions, Entry, JobDescription,
                     document_file_names, job_description, job_descriptions, source_counts_text,
                     source_legend)

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_ZIP_NAME = "job-descriptions-docx.zip"


def _clean(text: str) -> str:
    """Text Word can hold: characters XML 1.0 forbids are dropped."""
    return xml_text(str(text))


def _styled(paragraph, style_id: str):
    """The paragraph in the style `style_id`, set by id: python-docx's lookup by name scans
    every style of the document on each call, which made a document take half a second."""
    paragraph._p.style = style_id
    return paragraph


def _heading(document, text: str, level: int):
    """A heading as add_heading makes it (Title for level 0, Heading n below), by style id."""
    paragraph = _styled(document.add_paragraph(), "Title" if level == 0 else f"Heading{level}")
    paragraph.add_run(text)
    return paragraph


def _entry(document, entry: Entry, provenance: bool = True) -> None:
    paragraph = _styled(document.add_paragraph(), "ListBullet")
    if entry.label:
        paragraph.add_run(_clean(entry.label) + ": ").bold = True
    paragraph.add_run(_clean(entry.text))
    if entry.essential:
        paragraph.add_run(" (essential)").bold = True
    tail = [*entry.shown_details, *([entry.source] if entry.source and provenance else [])]
    if tail:
        run = paragraph.add_run(" — " + " · ".join(_clean(t) for t in tail))
        run.italic = True


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in the paragraph: Word fills it in as it lays out pages."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph._p.append(parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr="{instruction}"><w:r><w:t>1</w:t></w:r>'
        "</w:fldSimple>"))


def _page_setup(document, jd: JobDescription, options: DocumentOptions) -> None:
    """The paper size, and on every page a header (role, version) and a footer (page n of m)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    _, width, height = PAPER_SIZES[options.paper]
    section = document.sections[0]
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.left_margin = section.right_margin = Mm(18)
    section.top_margin, section.bottom_margin = Mm(20), Mm(18)
    header = section.header.paragraphs[0]
    header.add_run(_clean(f"Job description: {jd.title}")).font.size = Pt(8)
    header.add_run("\t\t")
    header.add_run(_clean(f"Version: {jd.version}")).font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ").font.size = Pt(8)
    _field(footer, "PAGE")
    footer.add_run(" of ").font.size = Pt(8)
    _field(footer, "NUMPAGES")


def to_docx(jd: JobDescription, options: DocumentOptions = DocumentOptions()) -> bytes:
    """The job description as .docx bytes."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    _page_setup(document, jd, options)
    document.core_properties.title = _clean(f"Job description: {jd.title}")
    document.add_paragraph(_clean(f"JOB DESCRIPTION · Version: {jd.version}")).runs[0].font.size = Pt(9)
    _heading(document, _clean(jd.title), 0)
    facts = document.add_table(rows=0, cols=2)
    facts._tbl.tblStyle_val = "TableGrid"
    for label, value in jd.facts:
        cells = facts.add_row().cells
        cells[0].paragraphs[0].add_run(_clean(label)).bold = True
        cells[1].text = _clean(value)
    if options.provenance:
        legend = "".join(f"{words} {note} {meaning}" for words, note, meaning in source_legend())
        note = document.add_paragraph()
        note.add_run("Source: ").bold = True
        note.add_run(_clean(f"{jd.source_document}, dated {jd.source_modified}. The role as a "
                            f"whole is marked {jd.source_note}. {legend}. This role: "
                            f"{source_counts_text(jd)}."))
    for section in jd.sections:
        _heading(document, _clean(section.heading), 1)
        if section.is_empty:
            document.add_paragraph("None recorded.").runs[0].italic = True
        if section.text:
            document.add_paragraph(_clean(section.text))
        for group in section.shown_groups:
            if group.heading:
                heading = group.heading + (f" — {group.note}" if group.note else "")
                _heading(document, _clean(heading), 2)
            for entry in group.entries:
                _entry(document, entry, options.provenance)
        if (shown := section.shown_table) is not None:
            header = shown.header if options.provenance else shown.columns
            table = document.add_table(rows=1, cols=len(header))
            table._tbl.tblStyle_val = "TableGrid"
            for cell, column in zip(table.rows[0].cells, header):
                cell.paragraphs[0].add_run(_clean(column)).bold = True
            for row, source in shown.body:
                for cell, value in zip(table.add_row().cells, (*row, source)):
                    cell.text = _clean(value)
    _heading(document, "Sign-off", 1)
    sign_off = document.add_table(rows=1, cols=4)
    sign_off._tbl.tblStyle_val = "TableGrid"
    for cell, column in zip(sign_off.rows[0].cells, ("Signed by", "Name", "Signature", "Date")):
        cell.paragraphs[0].add_run(column).bold = True
    for who in SIGN_OFF:
        row = sign_off.add_row()
        row.cells[0].paragraphs[0].add_run(who).bold = True
        row.height = Pt(28)
    footer = document.add_paragraph(_clean(f"Made from the role catalogue file {jd.file}."))
    footer.runs[0].italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def role_docx(catalogue: Catalogue, role_id: str,
              options: DocumentOptions = DocumentOptions()) -> bytes:
    return to_docx(job_description(catalogue, role_id), options)


def documents_docx_zip(catalogue: Catalogue, options: DocumentOptions = DocumentOptions(),
                       progress=None) -> bytes:
    """Every role's job description as .docx, in one ZIP; `progress(done, total)` after each."""
    role_ids = list(catalogue.roles["role_id"])
    names = document_file_names(role_ids, "docx")
    files: dict[str, bytes] = {}
    for done, (name, jd) in enumerate(zip(names, job_descriptions(catalogue, role_ids)), 1):
        files[name] = to_docx(jd, options)
        if progress is not None:
            progress(done, len(role_ids))
    return zip_bytes(files)
