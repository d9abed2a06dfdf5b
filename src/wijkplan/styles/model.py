"""The style of a layer, independent of the format it is written in (QML or SLD).

A :class:`Style` has a renderer (one symbol, categories of a field, or rules), optional
labels and a map tip. Symbols are made of parts: a filled or outlined area, a hatching,
a circle. Sizes are in screen pixels, as the app's Leaflet map takes them; the writers
convert them (QML: millimetres at 96 dpi; SLD: pixels). Filters are a small tree that
both writers translate (QGIS expressions, OGC filters).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from wijkplan.styles.palette import HatchKind

#: Millimetres per screen pixel (CSS pixels: 96 per inch).
MM_PER_PX = 25.4 / 96


def dash(pattern: str) -> tuple[float, ...]:
    """A Leaflet ``dashArray`` ("8 5") as lengths.

    >>> dash("8 5")
    (8.0, 5.0)
    """
    return tuple(float(part) for part in pattern.replace(",", " ").split())


# ---------------------------------------------------------------------------- symbols


@dataclass(frozen=True)
class Stroke:
    """A line: colour, width (px), opacity and dash pattern (px; empty: solid)."""

    colour: str
    width: float
    opacity: float = 1.0
    dashes: tuple[float, ...] = ()


@dataclass(frozen=True)
class Area:
    """A polygon filled (``fill``, or None for no fill) and/or outlined (``stroke``)."""

    fill: str | None = None
    fill_opacity: float = 1.0
    stroke: Stroke | None = None


@dataclass(frozen=True)
class Hatch:
    """Hatching over a polygon, as the app's phase patterns.

    ``angle``: degrees clockwise of lines that are vertical at 0 (the app's SVG
    ``rotate``); ``spacing`` and ``width`` in px (``width`` is a dot's radius for "punten").
    """

    kind: HatchKind
    angle: int
    spacing: float
    width: float
    colour: str


@dataclass(frozen=True)
class Dot:
    """A circle at a point, or on the surface of a polygon (diameter ``size`` in px).

    ``size_expression`` makes the diameter data-defined: a QGIS expression giving
    pixels; ``size_sld`` the same as an OGC expression tree for SLD (or None: fixed size).
    """

    size: float
    fill: str
    fill_opacity: float
    stroke: Stroke
    size_expression: str | None = None
    size_sld: Expr | None = None


Part = Area | Hatch | Dot


@dataclass(frozen=True)
class Symbol:
    """A symbol of one geometry kind: ``fill`` (polygons) or ``marker`` (points)."""

    kind: Literal["fill", "marker"]
    parts: tuple[Part, ...]


# ---------------------------------------------------------------------------- expressions


@dataclass(frozen=True)
class Field:
    name: str


@dataclass(frozen=True)
class Literal_:
    value: str | int | float


@dataclass(frozen=True)
class Arith:
    """``left op right`` with op one of + - * /."""

    op: Literal["+", "-", "*", "/"]
    left: Expr
    right: Expr


Expr = Field | Literal_ | Arith


# ---------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class Eq:
    field: str
    value: str | int


@dataclass(frozen=True)
class IsNull:
    field: str


@dataclass(frozen=True)
class Not:
    part: Filter


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Filter, ...]


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Filter, ...]


Filter = Eq | IsNull | Not | AnyOf | AllOf


def one_of(field: str, values: tuple[str, ...]) -> Filter:
    """``field`` equals one of ``values``."""
    if len(values) == 1:
        return Eq(field, values[0])
    return AnyOf(tuple(Eq(field, v) for v in values))


# ---------------------------------------------------------------------------- renderers


@dataclass(frozen=True)
class Single:
    symbol: Symbol
    label: str


@dataclass(frozen=True)
class Category:
    """Features whose field equals ``value``; ``None``: no value (and any value not listed)."""

    value: str | int | None
    label: str
    symbol: Symbol


@dataclass(frozen=True)
class Categorized:
    field: str
    categories: tuple[Category, ...]


@dataclass(frozen=True)
class Rule:
    """Features matching ``filter`` (None: all; ``otherwise``: those no sibling matched).

    A rule without a symbol only groups its children (a heading in the legend) or says
    in the legend what is left undrawn. ``label_suffix`` is appended to the feature's label
    in SLD (where labels belong to rules); QML labels use the style's expression.
    """

    label: str
    filter: Filter | None = None
    symbol: Symbol | None = None
    children: tuple[Rule, ...] = ()
    otherwise: bool = False
    label_suffix: str = ""


@dataclass(frozen=True)
class RuleBased:
    rules: tuple[Rule, ...]


Renderer = Single | Categorized | RuleBased


# ---------------------------------------------------------------------------- the style


@dataclass(frozen=True)
class Labels:
    """Labels: a QGIS expression (QML) and the field it starts with (SLD), size in points."""

    expression: str
    field: str
    colour: str
    size: float = 8.0
    buffer: str = "#ffffff"
    #: "centroid" (polygons: centred inside) or "around" (points: next to them)
    placement: Literal["centroid", "around"] = "centroid"


@dataclass(frozen=True)
class Style:
    """A style of one layer: name (≤ 30 characters, as QGIS stores it), title and
    description (Dutch), renderer, labels, map tip (QGIS HTML with ``[% %]``) and the
    expression that names a feature (identify results)."""

    layer: str
    name: str
    title: str
    description: str
    renderer: Renderer
    labels: Labels | None = None
    map_tip: str | None = None
    display: str | None = None
    default: bool = True
