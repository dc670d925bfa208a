"""The loaded catalogue: an immutable bundle of tables, taxonomy and problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .problems import HasProblems, Problem
from .schema import Taxonomy


@dataclass(frozen=True, eq=False)
class Catalogue(HasProblems):
    """An immutable loaded catalogue: its tables, taxonomy and every problem found."""

    path: Path
    taxonomy: Taxonomy | None
    tables: dict[str, pd.DataFrame]
    problems: tuple[Problem, ...] = ()
    fingerprint: str = ""
    files: dict[str, str] = field(default_factory=dict)  # role id -> file name
    # For a catalogue read from documents held in memory (a workspace): per document key,
    # what reading it gave (its slim entry or None, its own problems), so that a later
    # change to a few documents re-reads only those (jdcore.loading.update_documents).
    readings: dict = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # document name -> name in problems
    reference_problems: tuple[Problem, ...] = ()  # the cross-role part of `problems` (unlabelled)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def is_valid(self) -> bool:
        return not self.errors

