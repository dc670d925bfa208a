"""An uploaded catalogue file (the Import page): its kind chosen by extension, size capped.

`import_upload` reads it in the calling process; `jdcore.formats.importworker.run_import`
reads and writes it in a worker process with a memory limit and a time budget, which is how
the app's server imports (see that module).
"""

from __future__ import annotations

from pathlib import Path

from ..model.problems import Problem
from ..model.schema import Taxonomy
from .csvbundle import import_csv_zip
from .limits import DEFAULT_LIMITS, ImportLimits, count
from .tablereader import ImportResult
from .xlsx import import_workbook

MAX_UPLOAD_MB = DEFAULT_LIMITS.upload_mb  # also server.maxUploadSize in .streamlit/config.toml
UPLOAD_KINDS = {".zip": "CSV bundle (ZIP)", ".xlsx": "Excel workbook"}


def import_upload(name: str, data: bytes, taxonomy: Taxonomy | None = None,
                  limits: ImportLimits = DEFAULT_LIMITS) -> ImportResult:
    """An uploaded CSV bundle ZIP or workbook, chosen by its extension; size capped."""
    if len(data) > limits.upload_bytes:
        return ImportResult({}, taxonomy, [Problem(name, None, "", f"file is {count(len(data))} "
                                                   f"bytes, over the {limits.upload_text} "
                                                   "limit; split the catalogue into several "
                                                   "files")])
    suffix = Path(name).suffix.casefold()
    if suffix == ".xlsx":
        return import_workbook(data, name, taxonomy, limits)
    if suffix == ".zip":
        return import_csv_zip(data, taxonomy, name, limits)
    return ImportResult({}, taxonomy, [Problem(name, None, "", "upload a CSV bundle (.zip) or an "
                                               "Excel workbook (.xlsx)")])
