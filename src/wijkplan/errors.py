"""The small error hierarchy of wijkplan.

The CLI and the app catch :class:`WijkplanError` (and only that) and show its
message as one line; any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Iterable


class WijkplanError(Exception):
    """Base class of every expected error (bad input, missing file, conflict)."""

    exit_code = 2


class SourceNotFoundError(WijkplanError):
    """A required input file or layer does not exist."""


class ValidationError(WijkplanError):
    """One or more problems in an input; all problems are collected, not only the first.

    Each problem is one line naming the file, the field and the offending value.
    """

    def __init__(self, problems: Iterable[str], *, source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        super().__init__(self._message())

    def _message(self) -> str:
        if len(self.problems) == 1:
            return self.problems[0]
        head = f"{len(self.problems)} problemen"
        if self.source:
            head += f" in {self.source}"
        return head + ":\n" + "\n".join(f"  - {p}" for p in self.problems)


class CRSMismatchError(ValidationError):
    """A raster and the zones it is summarised over are not in the same CRS."""


class ConflictError(WijkplanError):
    """A concurrent edit was detected; the caller's change was not stored."""

    exit_code = 3


class LayersNotBuiltError(SourceNotFoundError):
    """The built GeoPackage (``layers/wijkplan.gpkg``) does not exist yet."""


class NotAllowedError(WijkplanError):
    """The user's role does not allow this change (or nobody is logged in); nothing stored."""
