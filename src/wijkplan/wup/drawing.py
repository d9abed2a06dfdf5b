"""Drawing helpers of the WUP map: shapely geometries as matplotlib paths, labels, scale, north.

Used by :mod:`wijkplan.wup.figure` and :mod:`wijkplan.wup.figure_aquathermal`: polygons
with their holes as one compound path, the line parts of any geometry, representative
points, a label placed where it does not cover the scale bar or north arrow, short labels
beside points placed so that they overlap neither each other nor the texts already on
the map (:class:`LabelPlacer`), a scale bar of a round length and a north arrow.
Coordinates are metres (EPSG:28992).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox
from shapely.geometry.base import BaseGeometry
from shapely.ops import orient

from wijkplan.numbers import number

__all__ = [
    "LabelPlacer",
    "add_polygons",
    "label_in_view",
    "length_text",
    "lines",
    "nice_length",
    "north_arrow",
    "points",
    "polygon_path",
    "scale_bar",
]


def _ring_path(coords: Iterable[tuple[float, ...]]) -> MplPath:
    xy = np.asarray(list(coords), dtype=float)[:, :2]
    return MplPath(xy, closed=False)


def polygon_path(geom: BaseGeometry) -> MplPath | None:
    """A matplotlib path of a (multi)polygon, holes kept (exterior CCW, interiors CW)."""
    polys = [
        g for g in getattr(geom, "geoms", [geom]) if g.geom_type == "Polygon" and not g.is_empty
    ]
    if not polys:
        return None
    parts = []
    for poly in polys:
        poly = orient(poly)
        parts.append(_ring_path(poly.exterior.coords))
        parts += [_ring_path(r.coords) for r in poly.interiors]
    return MplPath.make_compound_path(*parts)


def lines(geom: BaseGeometry) -> list[np.ndarray]:
    """The line parts of a geometry (polygon boundaries included)."""
    out: list[np.ndarray] = []
    for g in getattr(geom, "geoms", [geom]):
        if g.is_empty:
            continue
        if g.geom_type == "LineString":
            out.append(np.asarray(g.coords)[:, :2])
        elif g.geom_type in ("Polygon", "MultiPolygon", "MultiLineString", "GeometryCollection"):
            out += lines(g.boundary if g.geom_type == "Polygon" else g)
    return out


def add_polygons(
    ax: Axes,
    geoms: Sequence[BaseGeometry],
    facecolors: Sequence[str] | str,
    **kwargs: object,
) -> None:
    paths, faces = [], []
    colours = [facecolors] * len(geoms) if isinstance(facecolors, str) else list(facecolors)
    for geom, colour in zip(geoms, colours, strict=True):
        path = polygon_path(geom) if geom is not None else None
        if path is not None:
            paths.append(PathPatch(path))
            faces.append(colour)
    if paths:
        ax.add_collection(PatchCollection(paths, facecolors=faces, **kwargs))  # type: ignore[arg-type]


def points(geoms: Iterable[BaseGeometry]) -> np.ndarray:
    pts = [
        g if g.geom_type == "Point" else g.representative_point()
        for g in geoms
        if g is not None and not g.is_empty
    ]
    return np.array([(p.x, p.y) for p in pts]).reshape(-1, 2)


def nice_length(span: float) -> float:
    """A round length of about a quarter of ``span`` (metres): 1, 2 or 5 × 10ⁿ."""
    target = max(span / 4, 1.0)
    exp = math.floor(math.log10(target))
    for m in (5, 2, 1):
        if m * 10**exp <= target:
            return float(m * 10**exp)
    return float(10**exp)


def length_text(metres: float) -> str:
    return (
        f"{number(metres / 1000, 1 if metres % 1000 else 0)} km"
        if metres >= 1000
        else f"{number(metres)} m"
    )


def label_in_view(ax: Axes, geom: BaseGeometry, text: str, colour: str) -> None:
    """Write ``text`` at a point of ``geom`` inside the view (if any)."""
    if not text:
        return
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    clipped = geom.intersection(shapely.box(x0, y0, x1, y1))
    if clipped.is_empty:
        return
    line = clipped.boundary if clipped.geom_type in ("Polygon", "MultiPolygon") else clipped
    candidates = [line.interpolate(f, normalized=True) for f in (0.5, 0.3, 0.7, 0.15, 0.85)]

    def free(pt: shapely.Point) -> bool:  # not on the scale bar nor the north arrow
        fx, fy = (pt.x - x0) / (x1 - x0), (pt.y - y0) / (y1 - y0)
        return not (fx < 0.35 and fy < 0.2) and not (fx > 0.85 and fy > 0.75)

    p = next((c for c in candidates if free(c)), candidates[0])
    ax.text(
        p.x,
        p.y,
        text,
        fontsize=6,
        color=colour,
        fontstyle="italic",
        ha="center",
        va="bottom",
        zorder=9,
        bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7},
    )


def scale_bar(ax: Axes) -> None:
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    length = nice_length(x1 - x0)
    h = 0.012 * (y1 - y0)
    bx, by = x0 + 0.04 * (x1 - x0), y0 + 0.045 * (y1 - y0)
    ax.add_patch(
        Rectangle(
            (bx - 0.01 * (x1 - x0), by - 2.2 * h),
            length + 0.02 * (x1 - x0),
            5.6 * h,
            facecolor="white",
            edgecolor="none",
            alpha=0.8,
            zorder=10,
        )
    )
    for i, colour in enumerate(("black", "white", "black", "white")):
        ax.add_patch(
            Rectangle(
                (bx + i * length / 4, by),
                length / 4,
                h,
                facecolor=colour,
                edgecolor="black",
                linewidth=0.5,
                zorder=11,
            )
        )
    ax.text(bx, by + 1.6 * h, "0", fontsize=6, ha="center", va="bottom", zorder=12)
    ax.text(
        bx + length,
        by + 1.6 * h,
        length_text(length),
        fontsize=6,
        ha="center",
        va="bottom",
        zorder=12,
    )


def north_arrow(ax: Axes) -> None:
    ax.annotate(
        "",
        xy=(0.95, 0.93),
        xytext=(0.95, 0.83),
        xycoords="axes fraction",
        arrowprops={
            "arrowstyle": "-|>,head_width=0.35,head_length=0.7",
            "color": "black",
            "linewidth": 1.4,
        },
        zorder=12,
    )
    ax.text(
        0.95,
        0.935,
        "N",
        transform=ax.transAxes,
        fontsize=9,
        fontweight="bold",
        ha="center",
        va="bottom",
        zorder=12,
    )


class LabelPlacer:
    """Places short labels beside points so that no two overlap, nor the map's other texts.

    Each label tries offsets around its point on rings of growing radius (points) and
    takes the first whose box is inside the map and free of the texts already on the axes,
    the markers registered with :meth:`avoid_marker` and the labels placed before it; a
    label away from its point gets a thin leader line. When nothing is free the label
    goes to the first ring (an overlap is then unavoidable at this scale).
    """

    #: Ring radii (points) and directions (degrees, counter-clockwise from east).
    RADII = (7.0, 11.0, 16.0, 22.0, 30.0)
    ANGLES = (45, 135, 315, 225, 90, 0, 270, 180)
    #: Extra room around each box (pixels).
    PAD = 1.5

    def __init__(self, ax: Axes) -> None:
        self.ax = ax
        figure = ax.get_figure()
        assert figure is not None
        self.figure = figure
        ax.apply_aspect()  # the final axes box, so that display positions are those drawn
        self.renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        self.frame = ax.get_window_extent(self.renderer)
        self.taken: list[Bbox] = [self.text_box(t).padded(self.PAD) for t in ax.texts]

    def text_box(self, label: Text) -> Bbox:
        """The box of a label's text in display pixels (without its leader line)."""
        label.get_window_extent(self.renderer)  # places an annotation's text
        return Text.get_window_extent(label, self.renderer)

    def _pixels(self, points: float) -> float:
        return points * self.figure.dpi / 72.0

    def avoid_marker(self, x: float, y: float, area: float) -> None:
        """Keep labels off a marker of ``area`` points² at data position (x, y)."""
        px, py = self.ax.transData.transform((x, y))
        r = self._pixels(math.sqrt(area) / 2)
        self.taken.append(Bbox.from_extents(px - r, py - r, px + r, py + r))

    def place(
        self, x: float, y: float, text: str, *, marker_area: float, **style: object
    ) -> Annotation:
        """Write ``text`` beside data position (x, y); returns the placed annotation."""
        first = None
        near = self.RADII[0] + math.sqrt(marker_area) / 2 - 3.5
        for radius in (near, *self.RADII[1:]):
            for angle in self.ANGLES:
                dx = radius * math.cos(math.radians(angle))
                dy = radius * math.sin(math.radians(angle))
                label = self._annotate(x, y, text, dx, dy, leader=radius > near, **style)
                box = self.text_box(label).padded(self.PAD)
                inside = self.frame.contains(box.x0, box.y0) and self.frame.contains(box.x1, box.y1)
                if inside and not any(box.overlaps(t) for t in self.taken):
                    self.taken.append(box)
                    return label
                if first is None:
                    first = (dx, dy, box)
                label.remove()
        assert first is not None
        dx, dy, box = first
        self.taken.append(box)
        return self._annotate(x, y, text, dx, dy, leader=False, **style)

    def _annotate(
        self, x: float, y: float, text: str, dx: float, dy: float, *, leader: bool, **style: object
    ) -> Annotation:
        colour = style.get("color", "black")
        return self.ax.annotate(
            text,
            (x, y),
            xytext=(dx, dy),
            textcoords="offset points",
            ha="center",
            va="center",
            zorder=9,
            bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.8},
            arrowprops={
                "arrowstyle": "-",
                "color": colour,
                "linewidth": 0.4,
                "shrinkA": 0,
                "shrinkB": 3,
            }
            if leader
            else None,
            **style,  # type: ignore[arg-type]
        )
