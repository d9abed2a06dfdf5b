"""The outline of a draft wijkuitvoeringsplan: typed blocks, built once, rendered twice.

:func:`wijkplan.wup.outline.build_outline` turns a dossier and the build report into a
:class:`WupDocument`; :mod:`wijkplan.wup.docx` and :mod:`wijkplan.wup.markdown` render
that same object, so the Word and the Markdown document have the same headings, tables
and text. Every string here is final, Dutch, with numbers already formatted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

#: ``tekst``: ordinary text; ``vraag``: the guiding question of a section the team writes
#: (italic); ``leeg``: the empty paragraph the team writes in; ``klein``: a note or source
#: line (small); ``let op``: a sentence that must stand out (bold).
ParagraphKind = Literal["tekst", "vraag", "leeg", "klein", "let op"]


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: ParagraphKind = "tekst"


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table of text cells; ``caption`` is shown above it."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str | None = None

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.headers):
                raise ValueError(f"rij met {len(row)} cellen, verwacht {len(self.headers)}: {row}")


@dataclass(frozen=True)
class Notice:
    """A framed box that must be seen (sample data, missing data)."""

    title: str
    lines: tuple[str, ...]
    kind: Literal["voorbeelddata", "ontbreekt"] = "voorbeelddata"


@dataclass(frozen=True)
class MapFigure:
    """The district map; the renderers get the PNG separately (see :mod:`wijkplan.wup.figure`)."""

    caption: str
    alt: str


Block = Paragraph | Bullets | Table | Notice | MapFigure


@dataclass(frozen=True)
class Section:
    """A heading with its blocks; ``level`` 1 or 2; ``team``: the project team writes it."""

    title: str
    blocks: tuple[Block, ...] = ()
    level: int = 1
    team: bool = False


@dataclass(frozen=True)
class WupDocument:
    """The whole draft: the title page, then the sections in order."""

    title: str
    subtitle: str
    #: the title page below the title: provenance, sources, the sample-data box
    front: tuple[Block, ...]
    sections: tuple[Section, ...]
    #: the parts of this document based on sample data (empty: none)
    voorbeelddata: tuple[str, ...] = ()
    #: document properties (Word: File > Info)
    keywords: tuple[str, ...] = field(default_factory=tuple)

    @property
    def headings(self) -> list[str]:
        return [s.title for s in self.sections]

    @property
    def team_sections(self) -> list[Section]:
        return [s for s in self.sections if s.team]
