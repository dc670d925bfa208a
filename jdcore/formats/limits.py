"""The caps every import enforces (CSV bundle, Excel workbook, documents, O*NET; upload or
command line).

Each cap is checked while the file is read, before the memory or time it would cost is
spent: a file over a cap is refused with one problem that names the file, where the cap was
reached and what to do. The caps fit the catalogues the app is measured on (10,000 roles,
about 250,000 duties; see BENCHMARKS.md) with room to spare.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ..model.problems import CatalogueError, Problem

MIB = 1024 * 1024


@dataclass(frozen=True)
class ImportLimits:
    """What one import may hold and cost."""

    upload_bytes: int = 20 * MIB      # the uploaded file (also server.maxUploadSize)
    table_rows: int = 500_000         # data rows of one sheet or CSV file
    columns: int = 64                 # cells in one row of a sheet or CSV file
    line_chars: int = 1 * MIB         # characters in one line of a CSV file
    roles: int = 10_000               # rows of the roles table
    duties: int = 300_000             # rows of the duties table
    rows_per_role: int = 1_000        # rows of one role in any other table
    problems: int = 1_000             # problems listed before the import stops
    seconds: float = 120.0            # processor time of one import, reading and writing
    memory_bytes: int = 2048 * MIB    # address space of the import worker process
    documents_bytes: int = 100 * MIB  # every document of one documents import together

    @property
    def upload_mb(self) -> int:
        return self.upload_bytes // MIB

    @property
    def upload_text(self) -> str:
        """The upload cap in words: "20 MB" (or "1,000 byte" when not whole megabytes)."""
        return size_text(self.upload_bytes)


DEFAULT_LIMITS = ImportLimits()


class LimitExceeded(CatalogueError):
    """An import went over one of its caps; it stops at once with this one problem."""

    def __init__(self, where: str, line: int | None, field: str, message: str):
        super().__init__([Problem(where, line, field, message)])


class Budget:
    """The processor time an import may still use; `check` raises LimitExceeded once it is
    spent. Processor time, not the clock's: an import is not refused because other work
    shares the machine (a worker that hangs is stopped by the clock, see importworker)."""

    EVERY = 1024  # rows between two looks at the clock

    def __init__(self, limits: ImportLimits = DEFAULT_LIMITS, clock=None, fix: str | None = None):
        self.limits = limits
        self._clock = clock or processor_seconds
        self._deadline = self._clock() + limits.seconds
        self._message = time_message(limits) if fix is None else time_message(limits, fix)

    def check(self, where: str, line: int | None = None) -> None:
        if self._clock() > self._deadline:
            raise LimitExceeded(where, line, "", self._message)


def processor_seconds() -> float:
    return time.process_time()


def time_message(limits: ImportLimits,
                 fix: str = "import a smaller file (split the catalogue into several)") -> str:
    return (f"the import used more than {limits.seconds:g} s of processor time and was "
            f"stopped; {fix}")


def size_text(size: int) -> str:
    """A cap in bytes in words: "20 MB", or "1,000 byte" when not whole megabytes."""
    return f"{size // MIB} MB" if size % MIB == 0 else f"{count(size)} byte"


def count(number: int) -> str:
    """A count with thousands separators: 1,000,000."""
    return f"{number:,}"


def shorten(text: str, length: int = 40) -> str:
    """`text` cut to `length` characters (with an ellipsis), for a message."""
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "\u2026"
