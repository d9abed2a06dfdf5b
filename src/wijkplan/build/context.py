"""What the build's theme modules share: the run's context and what a theme contributes."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pandas as pd

from wijkplan.config import LiveabilityConfig
from wijkplan.errors import ValidationError
from wijkplan.report import ABSENT, REAL, SAMPLE, SourceEntry
from wijkplan.settings import is_sample
from wijkplan.sources.kerncijfers import CODE_COLUMNS, NAME_COLUMNS, is_kerncijfers_table
from wijkplan.sources.police import is_police_table
from wijkplan.sources.statline import StatTable, find_tables
from wijkplan.sources.validate import SourceWarning

T = TypeVar("T")


@dataclass
class BuildContext:
    """One build run: where the sources are, where rasters are staged, what went wrong.

    Problems of every source are collected here and raised together (:meth:`check`),
    so a user fixes everything in one round. Repaired geometries are listed in
    ``repairs`` (warnings in the report).
    """

    data_dir: Path
    staging: Path
    config: LiveabilityConfig
    ledger: Path | None = None
    #: the municipality to build from national files (None: the only one in the files)
    gemeente: str | None = None
    repairs: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _tables: dict[str, list[StatTable]] | None = None

    def tables(self, kind: str) -> list[StatTable]:
        """The published StatLine tables of ``kind`` ("kerncijfers", "politie") in the data folder.

        Found once, by their columns (not their file names).
        """
        if self._tables is None:
            found = self.attempt(
                lambda: find_tables(self.data_dir, _classify, header_tokens=TABLE_HEADER_TOKENS)
            )
            self._tables = found if found is not None else {}
        return self._tables.get(kind, [])

    def attempt(self, load: Callable[[], T]) -> T | None:
        """Run ``load``; a ValidationError's problems are collected and None returned."""
        try:
            return load()
        except ValidationError as exc:
            self.problems += exc.problems
            return None

    def check(self) -> None:
        """Raise every problem collected so far as one ValidationError."""
        if self.problems:
            raise ValidationError(self.problems)


@dataclass
class ThemeOutput:
    """What one theme contributes to the build: layers, report entries and notes."""

    layers: dict[str, pd.DataFrame] = field(default_factory=dict)
    sources: list[SourceEntry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def source(
        self,
        name: str,
        path: Path | None,
        count: int | None,
        kind: str,
        label: str | None = None,
    ) -> None:
        self.sources.append(SourceEntry(name, str(path) if path else None, kind, count, label))

    def absent(self, name: str, why: str | None = None) -> None:
        self.sources.append(SourceEntry(name, None, ABSENT))
        if why:
            self.notes.append(f"{name}: {why}")


#: A published table's header names its areas in one of these ways (see the loaders).
TABLE_HEADER_TOKENS = (*CODE_COLUMNS, *NAME_COLUMNS, "Perioden")


@contextmanager
def collect_warnings(out: ThemeOutput) -> Iterator[None]:
    """Recoverable remarks of the loaders (their SourceWarnings) go into the report as notes."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SourceWarning)
        yield
    out.notes += [str(w.message) for w in caught if issubclass(w.category, SourceWarning)]


def _classify(table: StatTable) -> str | None:
    if is_police_table(table):
        return "politie"
    if is_kerncijfers_table(table):
        return "kerncijfers"
    return None


def kind_of(frame: pd.DataFrame) -> str:
    """``voorbeelddata`` when every record carries the sample mark in ``bron``, else ``echt``."""
    if "bron" in frame.columns and len(frame) and frame["bron"].map(is_sample).all():
        return SAMPLE
    return REAL
