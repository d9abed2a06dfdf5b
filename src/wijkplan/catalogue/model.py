"""The types of the layer catalogue: a layer, its columns, and the map themes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: The column types of the catalogue and how pandas holds them.
ColumnType = Literal["tekst", "geheel getal", "getal", "ja/nee", "json"]
#: What a layer is made of: a real published source, a sample stand-in, or derived by wijkplan.
LayerKind = Literal["echt", "voorbeelddata", "afgeleid"]

CATEGORY = "{categorie}"


@dataclass(frozen=True)
class Column:
    """One column of a layer.

    ``when`` says when it is present: ``None`` always; the name of a source
    (``"leefbaarometer"``, ``"incidenten"``, ...) when that source was in the
    build; ``"bron"`` when the input file carried it (CBS figures, optional names).
    """

    name: str
    type: ColumnType
    meaning: str
    unit: str | None = None
    when: str | None = None

    @property
    def title(self) -> str:
        return self.meaning if self.unit is None else f"{self.meaning} ({self.unit})"


@dataclass(frozen=True)
class MapTheme:
    """A column the map can colour buurten by (label, classes, direction)."""

    label: str
    column: str
    style: Literal["klasse", "kwantiel"]
    decimals: int
    higher_is_worse: bool


@dataclass(frozen=True)
class Layer:
    """One layer (with geometry) or table (without) of the built GeoPackage."""

    name: str
    title: str
    description: str
    geometry: Literal["MultiPolygon", "Geometry"] | None
    key: str | tuple[str, ...] | None
    theme: Literal["grenzen", "afspraken", "leefbaarheid", "warmte", "bouw"]
    kind: LayerKind
    columns: tuple[Column, ...]
    suppressed: bool = False
    #: the sources it needs; the build writes the layer only when they are present
    needs: tuple[str, ...] = ()

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name}.{name}")


def col(
    name: str, type: ColumnType, meaning: str, unit: str | None = None, when: str | None = None
) -> Column:
    return Column(name, type, meaning, unit, when)
