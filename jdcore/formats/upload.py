"""An uploaded catalogue file (the Import page): its kind chosen by extension, size capped."""

from __future__ import annotations

from pathlib import Path

from ..model.problems import Problem
from ..model.schema import Taxonomy
from .csvbundle import import_csv_zip
from .tablereader import ImportResult
from .xlsx import import_workbook

MAX_UPLOAD_MB = 20
UPLOAD_KINDS = {".zip": "CSV bundle (ZIP)", ".xlsx": "Excel workbook"}


def import_upload(name: str, data: bytes, taxonomy: Taxonomy | None = None) -> ImportResult:
    """An uploaded CSV bundle ZIP or workbook, chosen by its extension; size capped."""
    limit = MAX_UPLOAD_MB * 1024 * 1024
    if len(data) > limit:
        return ImportResult({}, taxonomy, [Problem(name, None, "", f"file is {len(data)} bytes, "
                                                   f"over the {MAX_UPLOAD_MB} MB limit; refused")])
    suffix = Path(name).suffix.casefold()
    if suffix == ".xlsx":
        return import_workbook(data, name, taxonomy)
    if suffix == ".zip":
        return import_csv_zip(data, taxonomy, name)
    return ImportResult({}, taxonomy, [Problem(name, None, "", "upload a CSV bundle (.zip) or an "
                                               "Excel workbook (.xlsx)")])
