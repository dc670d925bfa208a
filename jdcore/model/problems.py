"""Problems found while loading a catalogue, and the project's own error type."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Iterable

import pandas as pd

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One problem with a catalogue: where it is, which field, what is wrong and how to fix it."""

    file: str
    line: int | None
    field: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        file = printable(self.file)
        where = file if self.line is None else f"{file}:{self.line}"
        prefix = "warning: " if self.severity == WARNING else ""
        field = f" {printable(self.field)}:" if self.field else ""
        return f"{where}:{field} {prefix}{printable(self.message)}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """Text with control characters (newlines, escapes) shown as \\xNN, so a problem stays
    on one line and cannot drive a terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", text)


class CatalogueError(Exception):
    """Raised when a catalogue file cannot be read at all; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' hint for a misspelt name, or '' when nothing is close."""
    close = difflib.get_close_matches(str(value), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def one_of(value: str, choices: Iterable[str]) -> str:
    """Message for a value outside a vocabulary, with the closest choice or the full list."""
    choices = list(choices)
    hint = did_you_mean(value, choices)
    if hint:
        return f"'{value}' is not allowed{hint}"
    return f"'{value}' is not allowed; use one of: {', '.join(choices)}"


class HasProblems:
    """For anything that carries `problems`: its errors and its warnings."""

    problems: tuple[Problem, ...] | list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


class ProblemsMixin(HasProblems):
    """For a result that carries `problems` and a `taxonomy`: whether it is usable (no error,
    a taxonomy)."""

    taxonomy: object

    @property
    def ok(self) -> bool:
        return not self.errors and self.taxonomy is not None


PROBLEM_COLUMNS = ["severity", "file", "line", "field", "message"]


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    """One row per problem: severity, file, line, field, message."""
    return pd.DataFrame([{"severity": p.severity, "file": p.file, "line": p.line,
                          "field": p.field, "message": p.message} for p in problems],
                        columns=PROBLEM_COLUMNS)
