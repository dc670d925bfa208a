"""Readers: one function per format, from the file's bytes to blocks (jdcore.formats.documents.blocks).

- .docx (python-docx): body paragraphs and tables in document order; headings by style
  ("Heading 1", "Title") or by a short paragraph that is bold throughout; list items by list
  style or numbering; one row per table row. The ZIP inside goes through formats.archive first.
- .md (markdown-it-py): headings, paragraphs, list items, table rows, with their line; a
  front matter `title:` is the document's title; raw HTML is reduced to its text.
- .txt: the encoding detected (UTF-8 with or without BOM first, else charset-normalizer's
  best guess among the legacy code pages), then read as plain text lines.
- .html / .htm (lxml): text only, parsed with the network off; scripts, styles, forms,
  navigation, headers, footers and asides are dropped; nothing is executed or fetched.
- .pdf (pypdf): the text layer of each page as plain text lines; a PDF without one is
  refused (there is no OCR).

Every reader returns (blocks, title or None) or raises DocumentError with the fix.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import lru_cache

from ...model.problems import CatalogueError
from ..archive import ArchiveLimits, checked_members
from .blocks import (HEADING, ITEM, PARAGRAPH, ROW, Block, DocumentError, clean, split_marker,
                     text_blocks)

MAX_PAGES = 200
MAX_TEXT_CHARS = 2_000_000  # characters of text one document may hold
DOCX_LIMITS = ArchiveLimits(max_total=100 * 1024 * 1024, max_member=50 * 1024 * 1024,
                            fix="save the document again without embedded files, or split it")
SUFFIXES = (".docx", ".md", ".markdown", ".txt", ".html", ".htm", ".pdf")


def read_document(name: str, data: bytes) -> tuple[list[Block], str | None]:
    """Blocks and title of a document, by its extension."""
    suffix = "." + name.rsplit(".", 1)[-1].casefold() if "." in name else ""
    if not data.strip():
        raise DocumentError("the document is empty; give a file with the job description's text")
    reader = {".docx": read_docx, ".md": read_markdown, ".markdown": read_markdown,
              ".txt": read_text, ".html": read_html, ".htm": read_html, ".pdf": read_pdf}.get(suffix)
    if reader is None:
        raise DocumentError(f"'{suffix or name}' is not a document format this importer reads; "
                            f"give one of {', '.join(SUFFIXES)}")
    blocks, title = reader(data)
    if sum(len(b.text) for b in blocks) > MAX_TEXT_CHARS:
        raise DocumentError(f"the document holds over {MAX_TEXT_CHARS:,} characters of text, "
                            "more than a job description; split it into smaller files")
    if not blocks:
        raise DocumentError("the document has no text; give a file with the job description's "
                            "text")
    return blocks, title


# --- plain text ------------------------------------------------------------------------------

def decode_text(data: bytes) -> str:
    """Text of bytes in UTF-8 (with or without BOM), UTF-16 with BOM, or a detected legacy
    encoding (cp1252, cp1251, ...)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise DocumentError("the text's encoding cannot be recognised; save it as UTF-8")
    return data.decode(best.encoding, errors="replace")


def read_text(data: bytes) -> tuple[list[Block], str | None]:
    text = decode_text(data)
    if "\x00" in text:
        raise DocumentError("this is not a text file (it holds binary data); give a .txt file "
                            "of text, or use the right extension")
    return text_blocks(text.splitlines()), None


# --- Markdown --------------------------------------------------------------------------------

_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_SHORTCODE = re.compile(r"\{\{[<%].*?[%>]\}\}", re.DOTALL)
DIAGRAMS = {"mermaid", "plantuml", "graphviz", "dot", "d2"}  # a career ladder drawn as code
_CODE_FIELD = re.compile(r"^\s*[A-Za-z][\w /-]{0,30}\s*[:=]\s*[\"']?\w")  # "grade: 7"
_TOML_FRONT = re.compile(r"\A\+\+\+\s*\n(.*?)\n\+\+\+\s*\n", re.DOTALL)
_HEADING_ID = re.compile(r"\s*\{\s*(?::\s*)?[#.][^}]*\}\s*$")  # "## Senior X {#senior}"
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


@lru_cache(maxsize=1)
def _markdown_parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def read_markdown(data: bytes) -> tuple[list[Block], str | None]:
    text = decode_text(data)
    title = None
    offset = 0
    front = _FRONT.match(text) or _TOML_FRONT.match(text)
    if front:
        for line in front.group(1).splitlines():
            match = re.match(r"\s*title\s*[:=]\s*(.+)$", line)
            if match:
                title = clean(match.group(1).strip().strip("'\""))
        offset = front.group(0).count("\n")
        text = text[front.end():]
    # comments and shortcodes go, keeping their lines so that places stay right
    text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    text = _SHORTCODE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    tokens = _markdown_parser().parse(text)
    blocks: list[Block] = []
    in_item = 0
    heading_level = 0
    row: list[str] = []
    line = 0
    for i, token in enumerate(tokens):
        if token.map:
            line = token.map[0] + 1 + offset
        kind = token.type
        if kind == "heading_open":
            heading_level = int(token.tag[1])
        elif kind == "heading_close":
            heading_level = 0
        elif kind == "list_item_open":
            in_item += 1
        elif kind == "list_item_close":
            in_item -= 1
        elif kind == "tr_open":
            row = []
        elif kind in ("th_open", "td_open"):
            row.append(_inline_text(tokens[i + 1]) if i + 1 < len(tokens) else "")
        elif kind == "tr_close":
            cells = [c for c in row if c]
            if cells:
                blocks.append(Block(ROW, " | ".join(cells), f"line {line}"))
        elif kind == "inline":
            if tokens[i - 1].type in ("th_open", "td_open"):
                continue
            content = _inline_text(token)
            if not content:
                continue
            if heading_level:
                content = _HEADING_ID.sub("", content)
                if content:
                    blocks.append(Block(HEADING, content, f"line {line}", level=heading_level))
            elif in_item:
                blocks.append(Block(ITEM, content, f"line {line}", marker="-"))
            else:
                marker, rest = split_marker(content)
                if marker and marker not in "-*+":  # a bullet glyph Markdown does not know
                    blocks.append(Block(ITEM, rest, f"line {line}", marker=marker))
                else:
                    blocks.append(Block(PARAGRAPH, content, f"line {line}",
                                        bold=_all_strong(token)))
        elif kind in ("fence", "code_block"):  # "grade: 7" in a code block: its fields
            if (token.info or "").strip().casefold() in DIAGRAMS:
                continue
            for n, code in enumerate(token.content.splitlines(), 1):
                if _CODE_FIELD.match(code):
                    blocks.append(Block(PARAGRAPH, clean(code), f"line {line + n}"))
        elif kind == "html_block":
            content = clean(_TAG.sub(" ", token.content))
            if content:
                blocks += text_blocks([content], where_prefix="")
    return blocks, title


def _inline_text(token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "html_inline":
            parts.append(" ")
    return clean("".join(parts))


def _all_strong(token) -> bool:
    children = [c for c in token.children or [] if not (c.type == "text" and not c.content.strip())]
    return (len(children) >= 3 and children[0].type == "strong_open"
            and children[-1].type == "strong_close"
            and sum(c.type == "strong_open" for c in children) == 1)


# --- HTML ------------------------------------------------------------------------------------

DROPPED_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
                "canvas", "form", "nav", "header", "footer", "aside", "button", "select",
                "textarea", "head", "math", "video", "audio", "picture", "img"}
BLOCK_TAGS = {"p", "div", "section", "article", "main", "body", "html", "blockquote", "dd", "dt",
              "dl", "ul", "ol", "table", "tbody", "thead", "tfoot", "pre", "address",
              "figure", "figcaption", "center", "details", "summary", "fieldset", "br", "hr"}
HEADING_TAGS = {f"h{n}": n for n in range(1, 7)}


def read_html(data: bytes) -> tuple[list[Block], str | None]:
    from lxml import etree, html

    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                              recover=True, huge_tree=False)
    try:
        root = html.fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(f"the HTML cannot be parsed ({str(exc)[:60]}); save the page again") \
            from None
    if root is None:
        raise DocumentError("the HTML holds no text; give the page with its text")
    titles = root.xpath("//title")
    title = clean(titles[0].text_content()) if titles else None
    blocks: list[Block] = []
    _walk_html(root, blocks)
    return blocks, title or None


def _walk_html(element, blocks: list[Block]) -> None:
    """Depth-first: headings, list items and table rows become blocks; the text of other block
    elements collects into paragraphs."""
    buffer: list[str] = []
    bold = [True]

    def flush(line):
        text = clean(" ".join(buffer))
        marker, rest = split_marker(text)
        if marker:  # "- item" or "1. item" lines of a page without list markup
            blocks.append(Block(ITEM, rest, f"line {line}", marker=marker))
        elif text:
            blocks.append(Block(PARAGRAPH, text, f"line {line}", bold=bold[0] and len(text) < 120))
        buffer.clear()
        bold[0] = True

    def inline(el, strong: bool):
        if not isinstance(el.tag, str) or el.tag.lower() in DROPPED_TAGS:
            return
        strong = strong or el.tag.lower() in ("b", "strong")
        if el.text and el.text.strip():
            buffer.append(el.text)
            bold[0] = bold[0] and strong
        for child in el:
            inline(child, strong)
            if child.tail and child.tail.strip():
                buffer.append(child.tail)
                bold[0] = bold[0] and strong

    def walk(el):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in DROPPED_TAGS:
            return
        line = el.sourceline or 0
        if tag in HEADING_TAGS:
            flush(line)
            text = clean(el.text_content())
            if text:
                blocks.append(Block(HEADING, text, f"line {line}", level=HEADING_TAGS[tag]))
            return
        if tag == "li":
            flush(line)
            own = []
            for part in [el.text or ""] + [_inline_only(c) + (c.tail or "") for c in el]:
                own.append(part)
            text = clean(" ".join(own))
            if text:
                blocks.append(Block(ITEM, text, f"line {line}", marker="-"))
            for child in el:
                if isinstance(child.tag, str) and child.tag.lower() in ("ul", "ol"):
                    walk(child)
            return
        if tag == "tr":
            flush(line)
            cells = [clean(c.text_content()) for c in el if isinstance(c.tag, str)
                     and c.tag.lower() in ("td", "th")]
            cells = [c for c in cells if c]
            if cells:
                blocks.append(Block(ROW, " | ".join(cells), f"line {line}"))
            return
        if el.text and el.text.strip():
            buffer.append(el.text)
            bold[0] = False
        for child in el:
            ctag = child.tag.lower() if isinstance(child.tag, str) else ""
            if ctag in BLOCK_TAGS or ctag in HEADING_TAGS or ctag in ("li", "tr"):
                flush(child.sourceline or line)
                walk(child)
            else:
                inline(child, False)
            if child.tail and child.tail.strip():
                buffer.append(child.tail)
                bold[0] = False
        if tag in BLOCK_TAGS:
            flush(line)

    walk(element)
    flush(0)


def _inline_only(el) -> str:
    """An element's text unless it is a nested list or dropped."""
    if not isinstance(el.tag, str):
        return ""
    tag = el.tag.lower()
    if tag in ("ul", "ol") or tag in DROPPED_TAGS:
        return ""
    return el.text_content()


# --- Word ------------------------------------------------------------------------------------

def read_docx(data: bytes) -> tuple[list[Block], str | None]:
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DocumentError("this is an encrypted (password-protected) or old-format (.doc) Word "
                            "file; remove the password or save it as .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            checked_members(archive, "document", DOCX_LIMITS)
    except zipfile.BadZipFile:
        raise DocumentError("this is not a Word document (.docx), or it is damaged; open it in "
                            "Word and save it again as .docx") from None
    except CatalogueError as exc:
        raise DocumentError("the Word file's archive is refused: " +
                            "; ".join(p.message for p in exc.problems)) from None
    from docx import Document
    from docx.oxml.ns import qn

    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise DocumentError(f"the Word document cannot be opened ({type(exc).__name__}); open it "
                            "in Word and save it again as .docx") from None
    title = clean(document.core_properties.title or "") or None
    blocks: list[Block] = []
    paragraph_no = table_no = 0
    body = document.element.body
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph_no += 1
            paragraph = Paragraph(child, document)
            block = _docx_paragraph(paragraph, f"paragraph {paragraph_no}")
            if block is not None:
                blocks.append(block)
        elif child.tag == qn("w:tbl"):
            table_no += 1
            table = Table(child, document)
            for row_no, row in enumerate(table.rows, 1):
                cells: list[str] = []
                for cell in row.cells:
                    text = clean(cell.text)
                    if text and (not cells or cells[-1] != text):  # merged cells repeat
                        cells.append(text)
                if cells:
                    blocks.append(Block(ROW, " | ".join(cells), f"table {table_no}, row {row_no}"))
    return blocks, title


def _docx_paragraph(paragraph, where: str) -> Block | None:
    text = clean(paragraph.text)
    if not text:
        return None
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    match = re.match(r"(?i)heading\s*(\d)", style)
    if match:
        return Block(HEADING, text, where, level=int(match.group(1)))
    if style.casefold() == "title":
        return Block(HEADING, text, where, level=1)
    properties = paragraph._p.pPr
    numbered = properties is not None and properties.numPr is not None
    if numbered or "list" in style.casefold():
        return Block(ITEM, text, where, marker="-")
    runs = [r for r in paragraph.runs if r.text.strip()]
    bold = bool(runs) and all(r.bold or (r.style is not None and r.style.font.bold) for r in runs)
    from .blocks import split_marker

    marker, rest = split_marker(text)
    if marker:
        return Block(ITEM, rest, where, marker=marker, bold=bold)
    return Block(PARAGRAPH, text, where, bold=bold and len(text) < 120)


# --- PDF -------------------------------------------------------------------------------------

def read_pdf(data: bytes) -> tuple[list[Block], str | None]:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not data.lstrip()[:5] == b"%PDF-":
        raise DocumentError("this is not a PDF file (it does not start with %PDF-); give the "
                            "PDF itself")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:
                opened = 0
            if not opened:
                raise DocumentError("the PDF is encrypted (password-protected); save a copy "
                                    "without the password")
        pages = len(reader.pages)
        if pages > MAX_PAGES:
            raise DocumentError(f"the PDF has {pages} pages, over the {MAX_PAGES}-page limit; "
                                "split it into one file per job description")
        title = None
        try:
            title = clean(str((reader.metadata or {}).get("/Title") or "")) or None
        except Exception:
            title = None
        blocks: list[Block] = []
        for number, page in enumerate(reader.pages, 1):
            text = page.extract_text() or ""
            blocks += text_blocks(text.splitlines(), where_prefix=f"page {number}, ")
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError,
            IndexError, RecursionError, AssertionError, ZeroDivisionError) as exc:
        raise DocumentError(f"the PDF is damaged and cannot be read ({type(exc).__name__}); "
                            "export it again from its source") from None
    if not blocks:
        raise DocumentError("the PDF has no text layer (a scan?); there is no OCR here: export "
                            "the document with its text, or save it as .docx or .txt")
    return blocks, title
