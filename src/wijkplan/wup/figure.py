"""The district map of a draft wijkuitvoeringsplan, drawn offline with matplotlib (Agg).

No tiles, no internet: the map is drawn from the built layers only (EPSG:28992, metres).
It shows the area's buurten filled by their adopted heat strategy (colours from
``config/warmte.toml``), the neighbouring buurten in grey, wijk outlines, the housing
corporations' complexes as dots sized by their number of homes, the aquathermal project's
source water, scope and objects where they apply (``schematisch`` or ``bij benadering``
where the layer's ``ligging`` says so), a legend, a scale bar and a north arrow.

The figure is made with :class:`matplotlib.figure.Figure` and the Agg canvas directly,
without pyplot, so no global backend or state is touched (safe in the app's threads).
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from shapely.geometry.base import BaseGeometry
from shapely.ops import orient

from wijkplan.numbers import number

#: Resolution of the PNG (dots per inch); the picture is placed 16 cm wide in Word.
DPI = 200
#: Size of the whole figure (map and legend), inches.
FIGSIZE = (8.0, 6.2)

NEIGHBOUR = "#efefef"
NEIGHBOUR_EDGE = "#c8c8c8"
UNKNOWN = "white"
WATER = "#2c7fb8"
SCOPE = "#08306b"
OBJECT = "#08519c"
COMPLEX = "#252525"
#: Colours per strategy when the heat config cannot be read (same as the bundled file).
FALLBACK_COLOURS: Mapping[str, str] = {
    "warmtenet midden/hoge temperatuur": "#d7301f",
    "warmtenet lage temperatuur": "#fc8d59",
    "all-electric": "#2b8cbe",
    "hybride": "#8856a7",
    "groen gas": "#41ab5d",
    "nog te bepalen": "#bdbdbd",
}
#: Where the map sits in the figure (left, bottom, width, height as fractions); the legend
#: is to its right.
AXES = (0.01, 0.07, 0.66, 0.86)
#: Legend labels are wrapped at this many characters.
LEGEND_WIDTH = 34
#: Objects are named on the map when the view is at most this wide (m); else legend only.
LABEL_OBJECTS_UP_TO = 3000.0
#: Homes a complex dot is drawn for in the legend.
LEGEND_HOMES = (50, 150)


def strategy_colours() -> dict[str, str]:
    """Colour per strategy from the heat config, else the fallback mapping."""
    from wijkplan.config.heat import load_heat_config
    from wijkplan.errors import WijkplanError

    try:
        return dict(load_heat_config().colours)
    except WijkplanError:  # the config is validated by the build; a map must still be drawn
        return dict(FALLBACK_COLOURS)


@dataclass(frozen=True)
class MapInput:
    """What the map is drawn from (all in EPSG:28992)."""

    naam: str
    #: the buurtcodes of the area
    buurtcodes: tuple[str, ...]
    #: every buurt of the build: ``buurtcode``, ``buurtnaam`` (optional), geometry
    buurten: gpd.GeoDataFrame
    wijken: gpd.GeoDataFrame | None = None
    #: the complexes (``aantal_woningen``, ``buurtcode``, geometry), or None
    complexen: gpd.GeoDataFrame | None = None
    complexen_voorbeelddata: bool = False
    #: the aquathermal layer's features to draw (``onderdeel``, ``naam``, ``ligging``), or None
    aquathermie: gpd.GeoDataFrame | None = None
    #: adopted strategy per buurtcode (None or missing: unknown)
    strategieen: Mapping[str, str | None] = field(default_factory=dict)
    colours: Mapping[str, str] = field(default_factory=lambda: dict(FALLBACK_COLOURS))


@dataclass(frozen=True)
class MapResult:
    png: bytes
    #: what the map shows, in words, for the caption
    caption: str
    #: the legend's entries, in order
    legend: tuple[str, ...] = ()


# ---------------------------------------------------------------------------- geometry helpers


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


def _lines(geom: BaseGeometry) -> list[np.ndarray]:
    """The line parts of a geometry (polygon boundaries included)."""
    out: list[np.ndarray] = []
    for g in getattr(geom, "geoms", [geom]):
        if g.is_empty:
            continue
        if g.geom_type == "LineString":
            out.append(np.asarray(g.coords)[:, :2])
        elif g.geom_type in ("Polygon", "MultiPolygon", "MultiLineString", "GeometryCollection"):
            out += _lines(g.boundary if g.geom_type == "Polygon" else g)
    return out


def _add_polygons(
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


def _points(geoms: Iterable[BaseGeometry]) -> np.ndarray:
    pts = [
        g if g.geom_type == "Point" else g.representative_point()
        for g in geoms
        if g is not None and not g.is_empty
    ]
    return np.array([(p.x, p.y) for p in pts]).reshape(-1, 2)


def _fit(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    """Widen the shorter side of an extent so that it has the map's aspect (no distortion)."""
    ratio = (FIGSIZE[0] * AXES[2]) / (FIGSIZE[1] * AXES[3])
    dx, dy = x1 - x0, y1 - y0
    if dx / dy < ratio:
        grow = (dy * ratio - dx) / 2
        return x0 - grow, y0, x1 + grow, y1
    grow = (dx / ratio - dy) / 2
    return x0, y0 - grow, x1, y1 + grow


def _nice_length(span: float) -> float:
    """A round length of about a quarter of ``span`` (metres): 1, 2 or 5 × 10ⁿ."""
    target = max(span / 4, 1.0)
    exp = math.floor(math.log10(target))
    for m in (5, 2, 1):
        if m * 10**exp <= target:
            return float(m * 10**exp)
    return float(10**exp)


def _length_text(metres: float) -> str:
    return (
        f"{number(metres / 1000, 1 if metres % 1000 else 0)} km"
        if metres >= 1000
        else f"{number(metres)} m"
    )


# ---------------------------------------------------------------------------- the map


def dot_size(homes: float | None) -> float:
    """Marker area (points²) of a complex with this many homes."""
    if homes is None or homes != homes:
        return 6.0
    return float(min(6.0 + 0.6 * max(homes, 0.0), 400.0))


def render_map(data: MapInput) -> MapResult:
    """The PNG of the district map and a caption saying what it shows."""
    buurten = data.buurten
    inside = buurten["buurtcode"].astype(str).isin(data.buurtcodes)
    area = buurten[inside]
    if not len(area):
        raise ValueError(f"geen buurten van {data.naam} in de grenzen")
    aqua = _aquathermal(data)

    # extent: the area, and the project's scope and objects when they are drawn
    parts = [shapely.box(*area.total_bounds)]
    if aqua is not None:
        near = aqua[aqua["onderdeel"].isin(["plangebied", "object", "complex"])]
        if len(near):
            parts.append(shapely.box(*near.total_bounds))
    x0, y0, x1, y1 = shapely.union_all(parts).bounds
    margin = max(0.12 * max(x1 - x0, y1 - y0), 200.0)
    x0, y0, x1, y1 = _fit(x0 - margin, y0 - margin, x1 + margin, y1 + margin)
    view = shapely.box(x0, y0, x1, y1)

    fig = Figure(figsize=FIGSIZE, dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes(AXES)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("white")
    for spine in ax.spines.values():
        spine.set_edgecolor("#888888")
        spine.set_linewidth(0.6)

    handles: list[Patch | Line2D] = []
    shown: list[str] = []

    # neighbouring buurten, grey
    near_b = buurten[~inside & buurten.geometry.intersects(view)]
    _add_polygons(
        ax, list(near_b.geometry), NEIGHBOUR, edgecolors=NEIGHBOUR_EDGE, linewidths=0.5, zorder=1
    )

    # the area's buurten by adopted strategy
    codes = area["buurtcode"].astype(str).tolist()
    strategies = [data.strategieen.get(c) for c in codes]
    fills = [data.colours.get(s, UNKNOWN) if s else UNKNOWN for s in strategies]
    _add_polygons(ax, list(area.geometry), fills, edgecolors="#777777", linewidths=0.6, zorder=2)
    outline = shapely.union_all(list(area.geometry))
    ax.add_collection(LineCollection(_lines(outline), colors="black", linewidths=1.6, zorder=6))
    present = [s for s in data.colours if s in strategies]
    for s in present:
        handles.append(Patch(facecolor=data.colours[s], edgecolor="white", label=s))
    if any(s is None or s not in data.colours for s in strategies):
        handles.append(Patch(facecolor=UNKNOWN, edgecolor="#777777", label="strategie onbekend"))
    what = "de buurt" if len(area) == 1 else f"de {len(area)} buurten van het gebied"
    shown.append(
        f"{what} gekleurd naar de vastgestelde warmtestrategie"
        if present
        else f"{what} (strategie onbekend)"
    )
    handles.append(
        Patch(facecolor=NEIGHBOUR, edgecolor=NEIGHBOUR_EDGE, label="buurt buiten het gebied")
    )
    handles.append(Line2D([], [], color="black", linewidth=1.6, label="grens van het gebied"))

    # wijk outlines
    if data.wijken is not None and len(data.wijken):
        wk = data.wijken[data.wijken.geometry.intersects(view)]
        lines = [ln for g in wk.geometry for ln in _lines(g)]
        if lines:
            ax.add_collection(
                LineCollection(lines, colors="#555555", linewidths=0.9, linestyles="--", zorder=5)
            )
            handles.append(
                Line2D([], [], color="#555555", linewidth=0.9, linestyle="--", label="wijkgrens")
            )
            shown.append("wijkgrenzen")

    # buurt names
    if len(area) <= 30:
        for code, geom, name in zip(
            codes,
            area.geometry,
            area["buurtnaam"] if "buurtnaam" in area else area["buurtcode"],
            strict=True,
        ):
            p = geom.representative_point()
            ax.text(
                p.x,
                p.y,
                str(name if pd.notna(name) else code),
                fontsize=5.5,
                ha="center",
                va="center",
                color="#222222",
                zorder=9,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.65},
            )

    # complexes: dots sized by homes
    cx = data.complexen
    if cx is not None and len(cx):
        cx = cx[cx["buurtcode"].astype(str).isin(data.buurtcodes)]
    if cx is not None and len(cx):
        xy = _points(cx.geometry)
        homes = pd.to_numeric(cx["aantal_woningen"], errors="coerce")
        sizes = [dot_size(None if pd.isna(h) else float(h)) for h in homes]
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=sizes,
            c=COMPLEX,
            alpha=0.8,
            edgecolors="white",
            linewidths=0.5,
            zorder=7,
        )
        mark = " (voorbeelddata)" if data.complexen_voorbeelddata else ""
        for n in LEGEND_HOMES:
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markersize=math.sqrt(dot_size(n)),
                    markerfacecolor=COMPLEX,
                    markeredgecolor="white",
                    alpha=0.8,
                    label=f"complex corporatie, {n} woningen{mark}",
                )
            )
        shown.append(f"complexen van corporaties als stip naar aantal woningen{mark}")

    if aqua is not None:
        aqua = aqua[aqua.geometry.intersects(view)]
        if len(aqua):
            shown += _draw_aquathermal(ax, aqua, handles)

    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    _scale_bar(ax)
    _north_arrow(ax)
    ax.set_title(f"{data.naam}: warmtestrategie (concept)", fontsize=9, loc="left")

    labels = [textwrap.fill(str(h.get_label()), LEGEND_WIDTH) for h in handles]
    fig.legend(
        handles=handles,
        labels=labels,
        loc="upper left",
        bbox_to_anchor=(0.685, 0.93),
        fontsize=6.5,
        frameon=False,
        title="Legenda",
        title_fontsize=7.5,
        alignment="left",
    )
    fig.text(
        0.01,
        0.015,
        "Ondergrond: CBS-buurt- en wijkgrenzen (geen achtergrondkaart). Gemaakt met wijkplan.",
        fontsize=5.5,
        color="#555555",
    )
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor="white", bbox_inches="tight", pad_inches=0.08)
    return MapResult(buf.getvalue(), "; ".join(shown), tuple(str(h.get_label()) for h in handles))


def _aquathermal(data: MapInput) -> gpd.GeoDataFrame | None:
    a = data.aquathermie
    if a is None or not len(a) or "onderdeel" not in a:
        return None
    a = a[a.geometry.notna() & ~a.geometry.is_empty]
    return a if len(a) else None


def _where(row: pd.Series) -> str:
    ligging = row.get("ligging")
    if isinstance(ligging, str) and ligging in ("schematisch", "bij benadering"):
        return f" ({ligging})"
    return ""


def _draw_aquathermal(ax: Axes, aqua: gpd.GeoDataFrame, handles: list[Patch | Line2D]) -> list[str]:
    shown: list[str] = []
    for _, row in aqua[aqua["onderdeel"] == "bronwater"].iterrows():
        g = row.geometry
        where = _where(row)
        style: Literal["--", "-"] = "--" if where == " (schematisch)" else "-"
        if g.geom_type in ("Polygon", "MultiPolygon"):
            _add_polygons(ax, [g], WATER, edgecolors=WATER, linewidths=0.5, alpha=0.55, zorder=3)
        else:
            ax.add_collection(
                LineCollection(_lines(g), colors=WATER, linewidths=3.0, linestyles=style, zorder=3)
            )
        label = f"bronwater: {row.get('naam') or 'oppervlaktewater'}{where}"
        handles.append(Line2D([], [], color=WATER, linewidth=3.0, linestyle=style, label=label))
        shown.append(label)
        _label_in_view(ax, g, f"{row.get('naam') or ''}{where}".strip(), WATER)
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
        shown.append(label)
    objects = aqua[aqua["onderdeel"] == "object"]
    if len(objects):
        xy = _points(objects.geometry)
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=55,
            marker="^",
            c=OBJECT,
            edgecolors="white",
            linewidths=0.7,
            zorder=8,
        )
        (vx0, vx1) = ax.get_xlim()
        named = vx1 - vx0 <= LABEL_OBJECTS_UP_TO
        for (x, y), (_, row) in zip(xy if named else [], objects.iterrows(), strict=False):
            ax.annotate(
                f"{row.get('naam')}{_where(row)}",
                (x, y),
                xytext=(4, 4),
                textcoords="offset points",
                fontsize=5.5,
                color=OBJECT,
                zorder=9,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7},
            )
        kinds = sorted({_where(r).strip(" ()") for _, r in objects.iterrows()} - {""})
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
        shown.append(label)
    cx = aqua[aqua["onderdeel"] == "complex"]
    if len(cx):
        xy = _points(cx.geometry)
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=140,
            facecolors="none",
            edgecolors=OBJECT,
            linewidths=1.4,
            zorder=8,
        )
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
                label="complex in het plangebied",
            )
        )
        shown.append("complexen in het plangebied omcirkeld")
    return shown


def _label_in_view(ax: Axes, geom: BaseGeometry, text: str, colour: str) -> None:
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


def _scale_bar(ax: Axes) -> None:
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    length = _nice_length(x1 - x0)
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
        _length_text(length),
        fontsize=6,
        ha="center",
        va="bottom",
        zorder=12,
    )


def _north_arrow(ax: Axes) -> None:
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
