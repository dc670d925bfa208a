"""The catalogue tables as one Excel workbook (one sheet per table), and back.

Export: every text cell goes through jdcore.formats.csvio.neutralise (a text that a spreadsheet would
run as a formula gets a leading apostrophe) and loses the characters XML cannot hold (a NUL,
a BEL: jdcore.formats.xmltext), numbers stay numbers, the header row is bold and
frozen, and column widths fit their contents.

Import is defensive, in this order, and stops at the first check that fails: the file's size
(MAX_WORKBOOK_BYTES); the ZIP directory (declared uncompressed sizes and ratios: a zip bomb is
refused BEFORE anything is decompressed); every XML part's prolog, parsed with defusedxml so a
DTD or entity declaration (billion laughs, external entities) is refused; then openpyxl in
read-only mode. Formula cells and error cells are refused with the sheet, row, column and
cell; a missing or renamed sheet is named with a did-you-mean. Cells are then read by the same
strict table reader as the CSV bundle (jdcore.formats.tablereader.read_table).
"""

from __future__ import annotations

import io
import zipfile
from typing import Iterator

import pandas as pd
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse as safe_iterparse

from ..model.problems import WARNING, CatalogueError, Problem, did_you_mean, printable
from ..model.schema import Taxonomy
from ..model.tables import TABLE_COLUMNS
from .archive import ArchiveLimits, checked_members, open_archive
from .csvio import neutralise
from .limits import (DEFAULT_LIMITS, Budget, ImportLimits, LimitExceeded, count, shorten,
                     size_text)
from .xmltext import xml_text
from .bundle import ZIP_DATE_TIME
from .tablereader import (IMPORT_TABLES, OPTIONAL_TABLES, REQUIRED_TABLES, ImportResult,
                          default_taxonomy, finish_tables, read_table)

WORKBOOK_FILE_NAME = "role-catalogue.xlsx"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_WORKBOOK_BYTES = DEFAULT_LIMITS.upload_bytes  # the .xlsx file itself
MAX_UNPACKED_BYTES = 200 * 1024 * 1024          # all its parts, uncompressed
MAX_PART_RATIO = 200                            # uncompressed / compressed, per part over 1 MiB
MAX_COLUMN_WIDTH = 60
WIDTH_SAMPLE_ROWS = 1000
RESAVE = ("open it in Excel or LibreOffice and save it again as Excel Workbook (.xlsx), then "
          "upload that")
NOT_A_WORKBOOK = ("not an Excel workbook (.xlsx); save it as Excel Workbook (.xlsx) and "
                  "upload that")


# --- export ----------------------------------------------------------------------------------

SPLIT_WORKBOOK = "split the catalogue into several workbooks, or delete what the tables do not need"


def too_large(size: int) -> str:
    """The refusal of a workbook of `size` bytes, over MAX_WORKBOOK_BYTES."""
    return (f"workbook is {count(size)} bytes, over the {size_text(MAX_WORKBOOK_BYTES)} limit; "
            f"refused: {SPLIT_WORKBOOK}")


def _cell(value):
    """A table cell as an Excel value: NA -> empty, numpy -> Python, text neutralised and
    without the characters XML cannot hold."""
    if value is None or value is pd.NA:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, str):
        return neutralise(xml_text(value))
    return value


PROGRESS_ROWS = 5_000  # rows between two progress reports
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Two cell formats: 0 plain, 1 bold (the header row).
STYLES_XML = (
    f'{XML_DECLARATION}<styleSheet xmlns="{MAIN_NS}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>")
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


class SharedStrings:
    """The workbook's shared string table: each distinct text once, cells refer to it."""

    def __init__(self):
        self.index: dict[str, int] = {}

    def number(self, text: str) -> int:
        number = self.index.get(text)
        if number is None:
            number = self.index[text] = len(self.index)
        return number

    def cell(self, ref: str, text: str) -> str:
        return f'<c r="{ref}" t="s"><v>{self.number(text)}</v></c>'

    def xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{text.translate(_XML_ESCAPES)}</t></si>'
                        for text in self.index)
        return (f'{XML_DECLARATION}<sst xmlns="{MAIN_NS}" count="{len(self.index)}" '
                f'uniqueCount="{len(self.index)}">{items}</sst>')


def _column_cells(values: list, letter: str, first_row: int, strings: SharedStrings) -> list[str]:
    """Each value's <c> element (empty for a missing value): text neutralised, without the
    characters XML cannot hold, as a shared string; numbers as numbers; booleans as such."""
    cells = []
    for row, value in enumerate(values, first_row):
        if isinstance(value, str):
            cells.append(strings.cell(f"{letter}{row}", neutralise(xml_text(value))))
        elif value is None or value is pd.NA:
            cells.append("")
        elif isinstance(value, bool):
            cells.append(f'<c r="{letter}{row}" t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, (int, float)):
            finite = value == value and value not in (float("inf"), float("-inf"))
            cells.append(f'<c r="{letter}{row}"><v>{value!r}</v></c>' if finite else "")
        else:
            cell = _cell(value)
            if cell is None:
                cells.append("")
            elif isinstance(cell, str):
                cells.append(strings.cell(f"{letter}{row}", cell))
            else:
                cells.append(strings.cell(f"{letter}{row}", neutralise(xml_text(str(cell)))))
    return cells


def _column_width(frame: pd.DataFrame, column) -> float:
    sample = frame[column].head(WIDTH_SAMPLE_ROWS)
    longest = max([len(str(column))] + [len(str(v)) for v in sample if _cell(v) is not None])
    return min(longest + 2, MAX_COLUMN_WIDTH)


def _sheet_chunks(frame: pd.DataFrame, strings: SharedStrings, rows_done):
    """The worksheet XML of one table, in pieces of PROGRESS_ROWS rows; `rows_done(n)` after
    each piece. Header row bold, frozen under the header, column widths from the contents."""
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(n) for n in range(1, len(frame.columns) + 1)]
    last = f"{letters[-1]}{len(frame) + 1}" if letters else "A1"
    widths = "".join(f'<col min="{n}" max="{n}" width="{_column_width(frame, column)}" '
                     'customWidth="1"/>' for n, column in enumerate(frame.columns, 1))
    header = "".join(
        f'<c r="{letter}1" t="s" s="1"><v>{strings.number(str(column))}</v></c>'
        for letter, column in zip(letters, frame.columns))
    yield (f'{XML_DECLARATION}<worksheet xmlns="{MAIN_NS}" xmlns:r="{DOC_RELS_NS}">'
           f'<dimension ref="A1:{last}"/><sheetViews><sheetView workbookViewId="0">'
           '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
           '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
           f'<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{widths}</cols>" if widths else ""}'
           f'<sheetData><row r="1">{header}</row>')
    for start in range(0, len(frame), PROGRESS_ROWS):
        part = frame.iloc[start:start + PROGRESS_ROWS]
        columns = [_column_cells(part[column].tolist(), letter, start + 2, strings)
                   for letter, column in zip(letters, frame.columns)]
        yield "".join(f'<row r="{number}">{"".join(cells)}</row>'
                      for number, cells in enumerate(zip(*columns), start + 2))
        rows_done(len(part))
    yield "</sheetData></worksheet>"


def workbook_bytes(tables: dict[str, pd.DataFrame], progress=None) -> bytes:
    """One sheet per table (named after it, in the given order): formula-safe, widths set.

    The SpreadsheetML is written here as text, streamed into the ZIP a few thousand rows at
    a time (openpyxl's object per cell took 80 s at 2,000 roles on a busy machine);
    openpyxl, Excel and LibreOffice read it. `progress(done, total)` counts rows written,
    then the shared strings as a third of them more."""
    rows = sum(len(frame) for frame in tables.values())
    total, done = rows + rows // 3 + 1, 0

    def rows_done(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    names = [name[:31] for name in tables]
    strings = SharedStrings()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        def write(name: str, text: str) -> None:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))

        sheet_types = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for n in range(1, len(names) + 1))
        write("[Content_Types].xml", (
            f'{XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override '
            'PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            f'officedocument.spreadsheetml.sharedStrings+xml"/>{sheet_types}</Types>'))
        write("_rels/.rels", (
            f'{XML_DECLARATION}<Relationships xmlns="{RELS_NS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        sheets = "".join(f'<sheet name="{name.translate(_XML_ESCAPES)}" sheetId="{n}" '
                         f'r:id="rId{n}"/>' for n, name in enumerate(names, 1))
        write("xl/workbook.xml", (
            f'{XML_DECLARATION}<workbook xmlns="{MAIN_NS}" xmlns:r="{DOC_RELS_NS}">'
            f"<sheets>{sheets}</sheets></workbook>"))
        links = "".join(f'<Relationship Id="rId{n}" Type="{DOC_RELS_NS}/worksheet" '
                        f'Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(names) + 1))
        count = len(names)
        write("xl/_rels/workbook.xml.rels", (
            f'{XML_DECLARATION}<Relationships xmlns="{RELS_NS}">{links}'
            f'<Relationship Id="rId{count + 1}" Type="{DOC_RELS_NS}/styles" '
            f'Target="styles.xml"/><Relationship Id="rId{count + 2}" '
            f'Type="{DOC_RELS_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
        write("xl/styles.xml", STYLES_XML)
        for n, frame in enumerate(tables.values(), 1):
            info = zipfile.ZipInfo(f"xl/worksheets/sheet{n}.xml", date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as part:
                for chunk in _sheet_chunks(frame, strings, rows_done):
                    part.write(chunk.encode("utf-8"))
        write("xl/sharedStrings.xml", strings.xml())
    if progress is not None:
        progress(total, total)
    return buffer.getvalue()


def catalogue_workbook(catalogue, progress=None) -> bytes:
    """The catalogue's tables (every table, metrics included) as one workbook."""
    return workbook_bytes(catalogue.tables, progress)


# --- import ----------------------------------------------------------------------------------

def check_workbook_file(data: bytes, name: str) -> None:
    """Size cap, ZIP directory (zip bomb) and DTD/entity checks; raise CatalogueError.

    openpyxl parses with defusedxml too, but its error would not say which part of the
    workbook declares the entities, and a setting of openpyxl's can turn it off; a DTD comes
    before the root element, so reading each part's prolog here costs next to nothing.
    """
    if len(data) > MAX_WORKBOOK_BYTES:
        raise CatalogueError([Problem(name, None, "", too_large(len(data)))])
    limits = ArchiveLimits(MAX_UNPACKED_BYTES, MAX_UNPACKED_BYTES, MAX_PART_RATIO,
                           fix=SPLIT_WORKBOOK)
    with open_archive(data, name, NOT_A_WORKBOOK) as archive:
        infos = checked_members(archive, name, limits)
        for info in infos:
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with archive.open(info) as part:  # streamed: only the prolog is read
                    for _ in safe_iterparse(part, events=("start",), forbid_dtd=True):
                        break  # a DTD comes before the root element: the prolog is enough
            except DefusedXmlException:
                raise CatalogueError([Problem(name, None, info.filename, "declares a DTD or "
                                              "XML entities; refused (a workbook never "
                                              "needs them)")]) from None
            except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
                raise CatalogueError([Problem(name, None, info.filename, "cannot be unpacked "
                                              f"({_reason(exc)}): the workbook is damaged; "
                                              f"{RESAVE}")]) from None
            except Exception as exc:  # malformed XML
                raise CatalogueError([Problem(name, None, info.filename, "is not valid "
                                              f"XML ({type(exc).__name__}); {RESAVE}")]
                                     ) from None


def import_workbook(data: bytes, name: str = "upload.xlsx",
                    taxonomy: Taxonomy | None = None,
                    limits: ImportLimits = DEFAULT_LIMITS) -> ImportResult:
    """Read the catalogue tables from a workbook, one sheet per table (metrics ignored).
    Stops at the first cap of `limits` it reaches, with that one problem."""
    problems: list[Problem] = []
    if taxonomy is None:
        taxonomy, problems = default_taxonomy()
    try:
        check_workbook_file(data, name)
    except CatalogueError as exc:
        return ImportResult({}, taxonomy, problems + exc.problems)
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        return ImportResult({}, taxonomy, problems + [Problem(name, None, "", unreadable(exc))])
    budget = Budget(limits)
    raw: dict[str, pd.DataFrame] = {}
    where: dict[str, str] = {}
    try:
        sheets = list(book.sheetnames)
        for extra in sheets:
            if extra not in TABLE_COLUMNS:
                problems.append(Problem(name, None, "", f"sheet '{extra}' is not a table of the "
                                        "catalogue; ignored"
                                        f"{did_you_mean(extra, IMPORT_TABLES)}", WARNING))
        for table in IMPORT_TABLES:
            where[table] = f"{name} sheet {table}"
            if table not in sheets:
                if table in OPTIONAL_TABLES:
                    continue
                hint = did_you_mean(table, [s for s in sheets if s not in TABLE_COLUMNS])
                problems.append(Problem(name, None, "", f"sheet '{table}' is missing"
                                        f"{hint or '; the workbook needs one sheet per table: '}"
                                        f"{'' if hint else ', '.join(REQUIRED_TABLES)}"))
                continue
            cells_found: list[Problem] = []
            try:
                header, rows = sheet_rows(book, book[table], where[table], limits, budget,
                                          cells_found)
                frame, found = read_table(table, where[table], header, rows, row_word="row",
                                          limits=limits, budget=budget)
            except LimitExceeded:
                raise
            except CatalogueError as exc:
                problems += cells_found + exc.problems
                continue
            problems += cells_found + found
            if frame is not None:
                raw[table] = frame
        tables = finish_tables(raw, where, problems, limits)
    except LimitExceeded as exc:
        return ImportResult({}, taxonomy, problems + exc.problems)
    except Exception as exc:
        problems.append(Problem(name, None, "", unreadable(exc)))
        tables = finish_tables(raw, where, problems, limits)
    finally:
        book.close()
    return ImportResult(tables, taxonomy, problems)


def unreadable(exc: Exception) -> str:
    """What to tell about a workbook openpyxl cannot read, with the fix."""
    if isinstance(exc, KeyError):
        return (f"a part of the workbook is missing ({_reason(exc)}), so it is not an Excel "
                f"workbook as Excel or LibreOffice save one; {RESAVE}")
    return f"cannot read the workbook ({type(exc).__name__}: {_reason(exc)}); {RESAVE}"


def _reason(exc: Exception) -> str:
    text = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    return printable(shorten(text.splitlines()[0] if text else type(exc).__name__, 80))


def sheet_rows(book, sheet, where: str, limits: ImportLimits, budget: Budget,
               problems: list[Problem]) -> tuple[list, Iterator[tuple[int, list]]]:
    """The header (row 1) and a lazy iterator of (row number, values) of a read-only sheet.

    Only the cells present in the sheet's XML are read, streamed row by row: the dimension
    the sheet declares is never used, and no row is padded (openpyxl's own iter_rows pads
    every row to the declared width, up to 16,384 cells). A cell with a value past
    `limits.columns` or below `limits.table_rows` rows raises LimitExceeded as soon as it is
    read; formula and error cells add to `problems` as their rows are read. Empty rows are
    skipped. CatalogueError for a sheet without any row.
    """
    from openpyxl.utils import get_column_letter as letter
    from openpyxl.worksheet._reader import WorkSheetParser

    # The same parser openpyxl's read-only sheets stream with (openpyxl is pinned).
    source = sheet._get_source()
    parser = WorkSheetParser(source, sheet._shared_strings, data_only=False,
                             epoch=book.epoch, date_formats=book._date_formats,
                             timedelta_formats=book._timedelta_formats)
    parsed = parser.parse()
    header: list | None = None

    def values_of(number: int, cells: list[dict]) -> list:
        values: list = []
        for cell in cells:
            column, value, kind = cell["column"], cell["value"], cell["data_type"]
            if value is None:
                continue  # an empty cell that only carries a style
            ref = f"{letter(min(column, 16384))}{number}"
            if column > limits.columns:
                raise LimitExceeded(where, number, "", f"cell {ref} holds a value in column "
                                    f"{count(column)}; a sheet has at most {limits.columns} "
                                    "columns: delete the cells right of the table")
            if number > limits.table_rows + 1:
                raise LimitExceeded(where, number, "", f"cell {ref} holds a value in row "
                                    f"{count(number)}; a sheet holds at most "
                                    f"{count(limits.table_rows)} rows below its header: "
                                    "delete the rows below the table")
            name = (header[column - 1] if header is not None and column <= len(header)
                    and header[column - 1] else letter(column))
            if kind == "f" or (isinstance(value, str) and value.startswith("=") and kind != "s"):
                problems.append(Problem(where, number, str(name), f"cell {ref} holds a formula "
                                        f"({str(value)[:40]}); formulas are not imported, "
                                        "replace it with its value"))
                value = None
            elif kind == "e":
                problems.append(Problem(where, number, str(name), f"cell {ref} holds the error "
                                        f"{value}; replace it with a value"))
                value = None
            values.extend([None] * (column - 1 - len(values)))
            if column <= len(values):  # a cell given twice: the last one counts
                values[column - 1] = value
            else:
                values.append(value)
        return values

    def close() -> None:
        source.close()

    try:
        first = next(parsed, None)
    except Exception:
        close()
        raise
    if first is None:
        close()
        raise CatalogueError(problems + [Problem(where, None, "", "sheet is empty; it needs at "
                                                 "least the header row")])
    number, cells = first
    if number == 1:
        header = ["" if v is None else str(v) for v in values_of(1, cells)]
        while header and header[-1] == "":
            header.pop()
        pending = None
    else:
        header, pending = [], first  # no row 1: an empty header, which read_table reports
    parser.row_dimensions.clear()

    def rows() -> Iterator[tuple[int, list]]:
        try:
            if pending is not None:
                values = values_of(*pending)
                if values:
                    yield pending[0], values
            for seen, (number, cells) in enumerate(parsed, 1):
                parser.row_dimensions.clear()  # else kept for every row with a style
                if seen % Budget.EVERY == 0:
                    budget.check(where, number)
                values = values_of(number, cells)
                if values:
                    yield number, values
        finally:
            close()

    return header, rows()
