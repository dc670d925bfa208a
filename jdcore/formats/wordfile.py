"""A role's job description as a Word document (.docx), laid out like the printed one.

Built from jdcore.formats.jobdoc.job_description (the same content as the Markdown and HTML):
title, the facts table (department, reports to, ...), the source note, then summary,
responsibilities by category, qualities, requirements, decision rights, interactions, key
results and the next career step. Text is put into runs as plain text, never interpreted.

Speed (issue 13: 10,000 documents in under a minute): python-docx builds a document as an
object tree and compresses its 800 kB of style parts again for every file, about 0.3 s a
document. So the package is made once with python-docx (`word_template`: its styles,
numbering, settings, theme, an empty header and footer) and its fixed parts are compressed
once; each document then only writes its own WordprocessingML (the body, the header, the
footer and the title in the core properties) as XML text, every catalogue string escaped,
and puts it beside the fixed parts (`bundle.zip_of_members`). The result is a .docx that
python-docx and Word read like one python-docx saved itself.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from functools import cache

from .bundle import Member, deflated_member, zip_of_members, zip_stream
from .xmltext import xml_text
from ..model.catalogue import Catalogue
from .jobdoc import (PAPER_SIZES, SIGN_OFF, DocumentOptions, Entry, JobDescription,
                     document_file_names, job_description, job_descriptions, source_counts_text,
                     source_legend)

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_ZIP_NAME = "job-descriptions-docx.zip"
TITLE_MARK = "JDCORE-DOCUMENT-TITLE"  # the core properties' title in the template
# Parts of python-docx's default template a job description does not need: a second copy
# of the styles for Word 2010 and a thumbnail of an empty page.
DROPPED_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg")
TWIPS_PER_MM = 1440 / 25.4
MARGINS_MM = {"top": 20, "right": 18, "bottom": 18, "left": 18}


@dataclass(frozen=True)
class WordTemplate:
    """The package every job description shares, and the frames its own parts go into."""

    fixed: tuple[Member, ...]        # compressed once: styles, numbering, settings, theme ...
    document_start: str              # <?xml ...?><w:document ...><w:body>
    section: str                     # the body's <w:sectPr>, with {width} ... {left} to fill
    header: tuple[str, str]          # (part name, start up to and with its root tag)
    footer: tuple[str, str]
    core: str                        # docProps/core.xml with TITLE_MARK for the title


def _start_tag(xml: str, tag: str) -> str:
    """The XML declaration and the root's start tag `tag` of a part."""
    return re.match(rf"(?s).*?<{tag}\b[^>]*>", xml).group(0)


@cache
def word_template() -> WordTemplate:
    """python-docx's default document with a header and a footer, taken apart once."""
    from docx import Document

    document = Document()
    document.core_properties.title = TITLE_MARK
    document.sections[0].header.paragraphs[0].text = ""
    document.sections[0].footer.paragraphs[0].text = ""
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    body = parts.pop("word/document.xml").decode("utf-8")
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
    targets.update({i: t for t, i in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', rels)})
    header_id = re.search(r'<w:headerReference [^>]*r:id="(rId\d+)"', body).group(1)
    footer_id = re.search(r'<w:footerReference [^>]*r:id="(rId\d+)"', body).group(1)
    header_name, footer_name = (f"word/{targets[header_id]}", f"word/{targets[footer_id]}")
    section = re.search(r"(?s)<w:sectPr.*</w:sectPr>", body).group(0)
    section = re.sub(r"<w:pgSz [^>]*/>", '<w:pgSz w:w="{width}" w:h="{height}"/>', section)
    section = re.sub(r"<w:pgMar [^>]*/>", '<w:pgMar w:top="{top}" w:right="{right}" '
                     'w:bottom="{bottom}" w:left="{left}" w:header="720" w:footer="720" '
                     'w:gutter="0"/>', section)
    section = section.replace("{", "{{").replace("}", "}}")
    for name in ("width", "height", "top", "right", "bottom", "left"):
        section = section.replace("{{" + name + "}}", "{" + name + "}")
    header = (header_name, _start_tag(parts.pop(header_name).decode("utf-8"), "w:hdr"))
    footer = (footer_name, _start_tag(parts.pop(footer_name).decode("utf-8"), "w:ftr"))
    core = parts.pop("docProps/core.xml").decode("utf-8")
    for name in DROPPED_PARTS:
        parts.pop(name, None)
    dropped = "|".join(re.escape(n.split("/")[-1]) for n in DROPPED_PARTS)
    for name in ("[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels"):
        text = parts[name].decode("utf-8")
        text = re.sub(rf'<(Override|Relationship) [^>]*(?:{dropped})"[^>]*/>', "", text)
        parts[name] = text.encode("utf-8")
    return WordTemplate(
        fixed=tuple(deflated_member(name, data) for name, data in parts.items()),
        document_start=_start_tag(body, "w:document") + "<w:body>", section=section,
        header=header, footer=footer, core=core)


# --- WordprocessingML as text ---------------------------------------------------------------

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _x(text) -> str:
    """Catalogue text for an XML text node: the characters XML forbids dropped, & < > escaped."""
    return xml_text(str(text)).translate(_ESCAPES)


def _run(text: str, bold: bool = False, italic: bool = False, size: int | None = None) -> str:
    """A run of plain text; `size` in half-points."""
    properties = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") + (
        f'<w:sz w:val="{size}"/>' if size else "")
    return (f"<w:r>{f'<w:rPr>{properties}</w:rPr>' if properties else ''}"
            f'<w:t xml:space="preserve">{_x(text)}</w:t></w:r>')


def _paragraph(runs: str = "", style: str = "", align: str = "") -> str:
    properties = (f'<w:pStyle w:val="{style}"/>' if style else "") + (
        f'<w:jc w:val="{align}"/>' if align else "")
    return f"<w:p>{f'<w:pPr>{properties}</w:pPr>' if properties else ''}{runs}</w:p>"


def _heading(text: str, level: int) -> str:
    """A heading as python-docx's add_heading makes it: Title for level 0, Heading n below."""
    return _paragraph(_run(text), "Title" if level == 0 else f"Heading{level}")


def _field(instruction: str) -> str:
    """A Word field (PAGE, NUMPAGES): Word fills it in as it lays out the pages."""
    return f'<w:fldSimple w:instr="{instruction}"><w:r><w:t>1</w:t></w:r></w:fldSimple>'


def _table(rows: list[list[str]], width: int, heights: list[int | None] | None = None) -> str:
    """A Table Grid table; `rows` hold each cell's paragraphs as XML, `width` in twips."""
    columns = max(len(row) for row in rows)
    cell_width = width // columns
    grid = "".join(f'<w:gridCol w:w="{cell_width}"/>' for _ in range(columns))
    cell = f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{cell_width}"/></w:tcPr>{{}}</w:tc>'
    body = []
    for number, row in enumerate(rows):
        height = heights[number] if heights else None
        row_properties = f'<w:trPr><w:trHeight w:val="{height}"/></w:trPr>' if height else ""
        body.append(f"<w:tr>{row_properties}"
                    + "".join(cell.format(content or "<w:p/>") for content in row) + "</w:tr>")
    return ('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/>'
            '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" '
            'w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>")


def _entry(entry: Entry, provenance: bool = True) -> str:
    runs = _run(entry.label + ": ", bold=True) if entry.label else ""
    runs += _run(entry.text)
    if entry.essential:
        runs += _run(" (essential)", bold=True)
    tail = [*entry.shown_details, *([entry.source] if entry.source and provenance else [])]
    if tail:
        runs += _run(" — " + " · ".join(tail), italic=True)
    return _paragraph(runs, "ListBullet")


def _body(jd: JobDescription, options: DocumentOptions, width: int) -> str:
    """The document's body paragraphs and tables, as WordprocessingML."""
    bold = lambda text: _paragraph(_run(text, bold=True))  # noqa: E731
    parts = [_paragraph(_run(f"JOB DESCRIPTION · Version: {jd.version}", size=18)),
             _heading(jd.title, 0),
             _table([[bold(label), _paragraph(_run(value))] for label, value in jd.facts],
                    width)]
    if options.provenance:
        legend = "".join(f"{words} {note} {meaning}" for words, note, meaning in source_legend())
        parts.append(_paragraph(_run("Source: ", bold=True) + _run(
            f"{jd.source_document}, dated {jd.source_modified}. The role as a whole is marked "
            f"{jd.source_note}. {legend}. This role: {source_counts_text(jd)}.")))
    for section in jd.sections:
        parts.append(_heading(section.heading, 1))
        if section.is_empty:
            parts.append(_paragraph(_run("None recorded.", italic=True)))
        if section.text:
            parts.append(_paragraph(_run(section.text)))
        for group in section.shown_groups:
            if group.heading:
                parts.append(_heading(group.heading + (f" — {group.note}" if group.note
                                                       else ""), 2))
            parts += [_entry(entry, options.provenance) for entry in group.entries]
        if (shown := section.shown_table) is not None:
            header = shown.header if options.provenance else shown.columns
            rows = [[bold(column) for column in header]]
            rows += [[_paragraph(_run(value)) for value in (*row, source)][:len(header)]
                     for row, source in shown.body]
            parts.append(_table(rows, width))
    parts.append(_heading("Sign-off", 1))
    sign_off = [[bold(c) for c in ("Signed by", "Name", "Signature", "Date")]]
    sign_off += [[bold(who), "", "", ""] for who in SIGN_OFF]
    parts.append(_table(sign_off, width, [None] + [560] * len(SIGN_OFF)))
    parts.append(_paragraph(_run(f"Made from the role catalogue file {jd.file}.", italic=True)))
    return "".join(parts)


def to_docx(jd: JobDescription, options: DocumentOptions = DocumentOptions()) -> bytes:
    """The job description as .docx bytes: A4 or US Letter, a header with the role and
    version and a 'Page n of m' footer on every page, a sign-off block at the end."""
    template = word_template()
    _, width_mm, height_mm = PAPER_SIZES[options.paper]
    margins = {side: round(mm * TWIPS_PER_MM) for side, mm in MARGINS_MM.items()}
    page_width = round(width_mm * TWIPS_PER_MM)
    text_width = page_width - margins["left"] - margins["right"]
    document = (template.document_start + _body(jd, options, text_width)
                + template.section.format(width=page_width,
                                          height=round(height_mm * TWIPS_PER_MM), **margins)
                + "</w:body></w:document>")
    (header_name, header_start), (footer_name, footer_start) = template.header, template.footer
    header = (header_start + _paragraph(
        _run(f"Job description: {jd.title}", size=16) + "<w:r><w:tab/><w:tab/></w:r>"
        + _run(f"Version: {jd.version}", size=16), "Header") + "</w:hdr>")
    footer = (footer_start + _paragraph(
        _run("Page ", size=16) + _field("PAGE") + _run(" of ", size=16) + _field("NUMPAGES"),
        "Footer", "center") + "</w:ftr>")
    core = template.core.replace(TITLE_MARK, _x(f"Job description: {jd.title}"))
    own = [deflated_member("word/document.xml", document.encode("utf-8")),
           deflated_member(header_name, header.encode("utf-8")),
           deflated_member(footer_name, footer.encode("utf-8")),
           deflated_member("docProps/core.xml", core.encode("utf-8"))]
    return zip_of_members([*own, *template.fixed])


def role_docx(catalogue: Catalogue, role_id: str,
              options: DocumentOptions = DocumentOptions()) -> bytes:
    return to_docx(job_description(catalogue, role_id), options)


def documents_docx_zip(catalogue: Catalogue, options: DocumentOptions = DocumentOptions(),
                       progress=None) -> bytes:
    """Every role's job description as .docx, in one ZIP; `progress(done, total)` after each.
    The documents are stored as they are: a .docx is compressed already."""
    role_ids = list(catalogue.roles["role_id"])
    names = document_file_names(role_ids, "docx")

    def files():
        for done, (name, jd) in enumerate(zip(names, job_descriptions(catalogue, role_ids)), 1):
            yield name, to_docx(jd, options)
            if progress is not None:
                progress(done, len(role_ids))

    return zip_stream(files(), stored=(".docx",))
