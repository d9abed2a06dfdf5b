"""The aquathermal project on the WUP map: source water, scope, objects and complexes.

Drawn on the map of :mod:`wijkplan.wup.figure` where the project touches the area. Each
part says in the legend how its location was drawn, in the words of the layer's
``ligging`` (``schematisch``, ``bij benadering``, ``voorbeelddata``), and is marked
``voorbeelddata`` where it rests on sample data (the layer's ``voorbeelddata`` flag, a
``ligging`` of ``voorbeelddata`` or a source that says so). The connected and planned
objects and the complexes in the scope are numbered on the map, placed so that no two
numbers overlap, and listed by number with their name and marks in the legend.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import geopandas as gpd
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch

from wijkplan.wup.drawing import (
    LabelPlacer,
    add_polygons,
    label_in_view,
    lines,
    points,
    polygon_path,
)

if TYPE_CHECKING:
    from wijkplan.wup.figure import MapInput

__all__ = [
    "OBJECT",
    "SCOPE",
    "WATER",
    "AquathermalDrawing",
    "aquathermal_features",
    "draw_aquathermal",
    "part_marks",
]

WATER = "#2c7fb8"
SCOPE = "#08306b"
OBJECT = "#08519c"
SAMPLE = "voorbeelddata"
#: The ``ligging`` values that say a part is not drawn where it really is.
NOT_REAL = ("schematisch", "bij benadering", SAMPLE)
#: Marker area (points²) of an object and of the circle around a complex in the scope.
OBJECT_SIZE, COMPLEX_SIZE = 55.0, 140.0


def aquathermal_features(data: MapInput) -> gpd.GeoDataFrame | None:
    """The project's features with a geometry, or None when there are none."""
    a = data.aquathermie
    if a is None or not len(a) or "onderdeel" not in a:
        return None
    a = a[a.geometry.notna() & ~a.geometry.is_empty]
    return a if len(a) else None


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _is_sample(row: pd.Series) -> bool:
    """The layer's ``voorbeelddata`` flag, a ``ligging`` of ``voorbeelddata``, or the source."""
    flag = row.get("voorbeelddata")
    flagged = flag is not None and not pd.isna(flag) and bool(flag)
    return (
        flagged or _text(row.get("ligging")) == SAMPLE or SAMPLE in _text(row.get("bron")).lower()
    )


def part_marks(row: pd.Series) -> tuple[str, ...]:
    """How a part is drawn: its ``ligging`` where that is not the real one, and sample data.

    >>> part_marks(pd.Series({"ligging": "schematisch", "bron": "voorbeelddata (wijkplan)"}))
    ('schematisch', 'voorbeelddata')
    >>> part_marks(pd.Series({"ligging": "voorbeelddata"})), part_marks(pd.Series({"ligging": "bron"}))
    (('voorbeelddata',), ())
    """
    ligging = _text(row.get("ligging"))
    marks = [ligging] if ligging in NOT_REAL else []
    if _is_sample(row) and SAMPLE not in marks:
        marks.append(SAMPLE)
    return tuple(marks)


def _where(row: pd.Series) -> str:
    marks = part_marks(row)
    return f" ({', '.join(marks)})" if marks else ""


@dataclass
class AquathermalDrawing:
    """What drawing the project added: caption parts, and whether any part is sample data."""

    shown: list[str] = field(default_factory=list)
    voorbeelddata: bool = False


def draw_aquathermal(
    ax: Axes, aqua: gpd.GeoDataFrame, handles: list[Patch | Line2D]
) -> AquathermalDrawing:
    """Draw the project's parts on ``ax`` and add their legend entries to ``handles``."""
    out = AquathermalDrawing(voorbeelddata=any(_is_sample(r) for _, r in aqua.iterrows()))
    for _, row in aqua[aqua["onderdeel"] == "bronwater"].iterrows():
        g = row.geometry
        where = _where(row)
        style: Literal["--", "-"] = "--" if _text(row.get("ligging")) == "schematisch" else "-"
        if g.geom_type in ("Polygon", "MultiPolygon"):
            add_polygons(ax, [g], WATER, edgecolors=WATER, linewidths=0.5, alpha=0.55, zorder=3)
        else:
            ax.add_collection(
                LineCollection(lines(g), colors=WATER, linewidths=3.0, linestyles=style, zorder=3)
            )
        name = _text(row.get("naam"))
        label = f"bronwater: {name or 'oppervlaktewater'}{where}"
        handles.append(Line2D([], [], color=WATER, linewidth=3.0, linestyle=style, label=label))
        out.shown.append(label)
        label_in_view(ax, g, f"{name}{where}".strip(), WATER)
    for _, row in aqua[aqua["onderdeel"] == "plangebied"].iterrows():
        path = polygon_path(row.geometry)
        if path is None:
            continue
        ax.add_patch(
            PathPatch(
                path,
                facecolor="none",
                edgecolor=SCOPE,
                linewidth=1.4,
                linestyle="-.",
                hatch="////",
                zorder=4,
                alpha=0.9,
            )
        )
        label = f"plangebied aquathermie{_where(row)}"
        handles.append(Patch(facecolor="none", edgecolor=SCOPE, hatch="////", label=label))
        out.shown.append(label)
    objects = aqua[aqua["onderdeel"] == "object"]
    complexes = aqua[aqua["onderdeel"] == "complex"]
    if len(objects):
        xy = points(objects.geometry)
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=OBJECT_SIZE,
            marker="^",
            c=OBJECT,
            edgecolors="white",
            linewidths=0.7,
            zorder=8,
        )
        kinds = (
            [k for k in NOT_REAL if (objects["ligging"] == k).any()] if "ligging" in objects else []
        )
        label = "aangesloten of gepland object" + (
            f" (ligging {' of '.join(kinds)})" if kinds else ""
        )
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="^",
                markersize=7,
                markerfacecolor=OBJECT,
                markeredgecolor="white",
                label=label,
            )
        )
        out.shown.append(label)
    if len(complexes):
        xy = points(complexes.geometry)
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=COMPLEX_SIZE,
            facecolors="none",
            edgecolors=OBJECT,
            linewidths=1.4,
            zorder=8,
        )
        sample = any(_is_sample(r) for _, r in complexes.iterrows())
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=11,
                markerfacecolor="none",
                markeredgecolor=OBJECT,
                markeredgewidth=1.4,
                label="complex in het plangebied" + (f" ({SAMPLE})" if sample else ""),
            )
        )
        out.shown.append(
            "complexen in het plangebied omcirkeld" + (f" ({SAMPLE})" if sample else "")
        )
    if len(objects) or len(complexes):
        _number(ax, pd.concat([objects, complexes]), handles)
        out.shown.append("objecten en complexen genummerd, met hun naam in de legenda")
    return out


def _number(ax: Axes, parts: gpd.GeoDataFrame, handles: list[Patch | Line2D]) -> None:
    """Number each object and complex on the map, without overlaps; name them in the legend."""
    xy = points(parts.geometry)
    sizes = [OBJECT_SIZE if o == "object" else COMPLEX_SIZE for o in parts["onderdeel"]]
    placer = LabelPlacer(ax)
    for (x, y), size in zip(xy, sizes, strict=True):
        placer.avoid_marker(x, y, size)
    for n, ((x, y), size, (_, row)) in enumerate(
        zip(xy, sizes, parts.iterrows(), strict=True), start=1
    ):
        placer.place(
            x,
            y,
            str(n),
            marker_area=size,
            fontsize=6,
            fontweight="bold",
            color=OBJECT,
            gid="aquathermie-nummer",
        )
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker=f"${n}$",
                markersize=5.5 if n < 10 else 7,
                color=OBJECT,
                label=f"{_text(row.get('naam')) or row.get('onderdeel')}{_where(row)}",
            )
        )
