"""Hostile uploads, built in the test from a valid export (issue 15): small files that claim
or hold far more than a catalogue ever needs.

- `xfd_dimension_workbook`: the workbook's duties sheet declares the used range
  A1:XFD1048576 and holds one cell in the sheet's last row (about 60 KB).
- `xfd_rows_workbook`: 20,000 more rows in the duties sheet, each with one cell in
  column XFD, the last of 16,384 (about 150 KB).
- `million_duties_bundle`: a CSV bundle ZIP whose duties.csv holds a million rows (about
  2.5 MB zipped).
- `lying_zip`: a ZIP whose central directory misstates a member's sizes.

Also runnable, to measure one file's import in a fresh process:
`PYTHONPATH=. python tests/hostile_uploads.py KIND [--worker]` (KIND: xfd-dimension,
xfd-rows, million-duties, million-duties-spread, million-duties-many-roles) prints the
refusal, the time and the peak RSS of this process (or, with --worker, of the import worker).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import xml.etree.ElementTree as ET

from jdcore.formats.bundle import bundle_files, zip_bytes

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
LAST_ROW = 1_048_576
LAST_COLUMN = "XFD"


def sheet_part(data: bytes, sheet: str) -> str:
    """The ZIP member holding the sheet named `sheet` (from workbook.xml and its rels)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        book = ET.fromstring(archive.read("xl/workbook.xml"))
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    rel_id = next(s.get(f"{DOC_REL}id") for s in book.iter(f"{MAIN}sheet")
                  if s.get("name") == sheet)
    target = next(r.get("Target") for r in rels.iter(f"{RELS}Relationship")
                  if r.get("Id") == rel_id)
    return target.lstrip("/") if target.startswith("/xl/") else f"xl/{target}"


def rewrite_part(data: bytes, part: str, transform) -> bytes:
    """The ZIP with one member rewritten by `transform(bytes) -> bytes` (deflated)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, transform(content) if info.filename == part else content)
    return out.getvalue()


def _last_row(xml: bytes) -> int:
    return max(int(n) for n in re.findall(rb'<row r="(\d+)"', xml))


def xfd_dimension_workbook(book: bytes, sheet: str = "duties") -> bytes:
    """The workbook with `sheet` declaring A1:XFD1048576 and one cell in row 1,048,576."""
    def change(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)
        cell = (f'<row r="{LAST_ROW}"><c r="A{LAST_ROW}" t="inlineStr"><is><t>x</t></is>'
                '</c></row>').encode()
        return xml.replace(b"</sheetData>", cell + b"</sheetData>")

    return rewrite_part(book, sheet_part(book, sheet), change)


def xfd_rows_workbook(book: bytes, rows: int = 20_000, sheet: str = "duties") -> bytes:
    """The workbook with `rows` more rows in `sheet`, each holding one cell in column XFD;
    the sheet's declared dimension is its true used range (A1:XFD<last row>)."""
    def change(xml: bytes) -> bytes:
        first = _last_row(xml) + 1
        extra = "".join(f'<row r="{n}"><c r="{LAST_COLUMN}{n}" t="inlineStr"><is><t>x</t>'
                        "</is></c></row>" for n in range(first, first + rows))
        xml = re.sub(rb'<dimension ref="[^"]*"/>',
                     f'<dimension ref="A1:{LAST_COLUMN}{first + rows - 1}"/>'.encode(), xml)
        return xml.replace(b"</sheetData>", extra.encode() + b"</sheetData>")

    return rewrite_part(book, sheet_part(book, sheet), change)


def million_duties_bundle(catalogue, rows: int = 1_000_000, role_id: str | None = None) -> bytes:
    """The catalogue's CSV bundle ZIP with `rows` duty rows; all of one role (`role_id`, by
    default the first), spread over every role (role_id="*"), or over 10,000 role ids
    (role_id="many", r0 ... r9999: no role holds more than 100 of them)."""
    files = bundle_files(catalogue)
    header = files["duties.csv"].decode("utf-8-sig").splitlines()[0]
    roles = list(catalogue.roles["role_id"])
    lines = [header]
    for n in range(rows):
        rid = (roles[n % len(roles)] if role_id == "*" else f"r{n % 10_000}"
               if role_id == "many" else (role_id or roles[0]))
        lines.append(f"{rid},{n + 1},D,c,w,1,1,")  # short: the file stays under 50 MB
    files["duties.csv"] = ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")
    return zip_bytes(files)


def lying_zip(data: bytes, member: str, *, file_size: int | None = None,
              compress_size: int | None = None, local: bool = False) -> bytes:
    """The ZIP with `member`'s sizes misstated in its central directory entry (and, with
    local=True, in its local header too): the bytes of the member are unchanged."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
        end = archive.start_dir
    # central directory entries: signature PK\1\2; sizes at offsets 20 (compressed), 24
    position = out.find(b"PK\x01\x02", end)
    while position >= 0:
        name_length = struct.unpack_from("<H", out, position + 28)[0]
        name = bytes(out[position + 46: position + 46 + name_length]).decode()
        if name == member:
            if compress_size is not None:
                struct.pack_into("<I", out, position + 20, compress_size)
            if file_size is not None:
                struct.pack_into("<I", out, position + 24, file_size)
            break
        position = out.find(b"PK\x01\x02", position + 46)
    if local:  # local header: signature PK\3\4; sizes at offsets 18 (compressed), 22
        start = info.header_offset
        if compress_size is not None:
            struct.pack_into("<I", out, start + 18, compress_size)
        if file_size is not None:
            struct.pack_into("<I", out, start + 22, file_size)
    return bytes(out)


def peak_rss_mib(reset: bool = False) -> float:
    """This process's peak resident memory (VmHWM) in MiB; with reset=True, the current
    resident memory after resetting the peak to it (Linux)."""
    if reset:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    with open("/proc/self/status") as status:
        fields = dict(line.split(":", 1) for line in status if ":" in line)
    return int(fields["VmRSS" if reset else "VmHWM"].split()[0]) / 1024


def _measure(kind: str, worker: bool = False) -> None:
    """Import one hostile file in this process; print the outcome, time and peak RSS."""
    import time
    from pathlib import Path

    from jdcore import load_catalogue
    from jdcore.formats.upload import import_upload
    from jdcore.formats.xlsx import workbook_bytes

    catalogue = load_catalogue(Path(__file__).resolve().parent.parent / "data")
    builders = {
        "xfd-dimension": lambda: ("xfd.xlsx", xfd_dimension_workbook(
            workbook_bytes(catalogue.tables))),
        "xfd-rows": lambda: ("rows.xlsx", xfd_rows_workbook(workbook_bytes(catalogue.tables))),
        "million-duties": lambda: ("duties.zip", million_duties_bundle(catalogue)),
        "million-duties-spread": lambda: ("duties.zip", million_duties_bundle(
            catalogue, role_id="*")),
        "million-duties-many-roles": lambda: ("duties.zip", million_duties_bundle(
            catalogue, role_id="many")),
    }
    name, data = builders[kind]()
    before = peak_rss_mib(reset=True)  # building the file is not the import's memory
    start = time.perf_counter()
    if worker:  # as the app's server imports: in a worker process
        from jdcore.formats.importworker import run_import

        run = run_import(name, data)
        result, peak = run.result, f"worker's peak RSS {run.peak_rss / 2 ** 20:.0f} MiB"
    else:
        result = import_upload(name, data)
        peak = f"peak RSS {peak_rss_mib():.0f} MiB (from {before:.0f} MiB)"
    seconds = time.perf_counter() - start
    print(f"{kind}: {len(data) / 1024:.0f} KiB, {seconds:.1f} s, {peak}, "
          f"{len(result.errors)} error(s)")
    for problem in result.errors[:3]:
        print(f"  {problem}"[:300])


if __name__ == "__main__":
    import sys

    _measure(sys.argv[1], "--worker" in sys.argv[2:])
