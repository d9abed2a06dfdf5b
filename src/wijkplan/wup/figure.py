"""The district map of a draft wijkuitvoeringsplan, drawn offline with matplotlib (Agg).

No tiles, no internet: the map is drawn from the built layers only (EPSG:28992, metres).
It shows the area's buurten filled by their adopted heat strategy (colours from
``config/warmte.toml``), the neighbouring buurten in grey, wijk outlines, the housing
corporations' complexes as dots sized by their number of homes, the warmtegebieden in view
outlined (dashed where their boundary is an assumption, as on the app's map; so is the
area's own outline when it is such a district), the aquathermal project's source water,
scope, and numbered objects and complexes where they apply (marked ``schematisch``,
``bij benadering`` or ``voorbeelddata`` as the layer says), a legend, a scale bar and a
north arrow. Whatever rests on sample data is marked in the legend, and the picture says
so at its foot, so that the mark travels with the image.

The figure is made with :class:`matplotlib.figure.Figure` and the Agg canvas directly,
without pyplot, so no global backend or state is touched (safe in the app's threads).
The drawing helpers are in :mod:`wijkplan.wup.drawing`, the aquathermal project's parts
in :mod:`wijkplan.wup.figure_aquathermal`.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.typing import LineStyleType

from wijkplan.wup.drawing import add_polygons, lines, north_arrow, points, scale_bar
from wijkplan.wup.figure_aquathermal import aquathermal_features, draw_aquathermal

#: Resolution of the PNG (dots per inch); the picture is placed 16 cm wide in Word.
DPI = 200
#: Size of the whole figure (map and legend), inches.
FIGSIZE = (8.0, 6.2)

NEIGHBOUR = "#efefef"
NEIGHBOUR_EDGE = "#c8c8c8"
UNKNOWN = "white"
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
#: Homes a complex dot is drawn for in the legend.
LEGEND_HOMES = (50, 150)
#: Outlines of the warmtegebieden (as the app's map: near-black over a white casing) and
#: the dashes of an assumed boundary (on, off; in line widths).
DISTRICT = "#111111"
ASSUMED_DASH: LineStyleType = (0, (4.0, 2.5))
#: Legend text of an assumed boundary (the area's own or a warmtegebied's).
ASSUMED = "begrenzing aangenomen (niet gepubliceerd)"


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
    #: the aquathermal layer's features to draw (``onderdeel``, ``naam``, ``ligging``,
    #: optional ``voorbeelddata`` and ``bron``), or None
    aquathermie: gpd.GeoDataFrame | None = None
    #: adopted strategy per buurtcode (None or missing: unknown)
    strategieen: Mapping[str, str | None] = field(default_factory=dict)
    colours: Mapping[str, str] = field(default_factory=lambda: dict(FALLBACK_COLOURS))
    #: the area's own boundary when the area is a warmtegebied ("gepubliceerd", "aanname")
    begrenzing: str | None = None
    #: the other warmtegebieden (``naam``, ``begrenzing``, geometry) to outline where in view
    warmtegebieden: gpd.GeoDataFrame | None = None


@dataclass(frozen=True)
class MapResult:
    png: bytes
    #: what the map shows, in words, for the caption
    caption: str
    #: the legend's entries, in order
    legend: tuple[str, ...] = ()
    #: some of what the map shows rests on sample data (marked in the legend and the image)
    voorbeelddata: bool = False


@dataclass(frozen=True)
class DrawnMap:
    """The drawn figure (not yet saved), with what it shows and its legend entries."""

    figure: Figure
    caption: str
    legend: tuple[str, ...]
    voorbeelddata: bool = False


def _fit(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    """Widen the shorter side of an extent so that it has the map's aspect (no distortion)."""
    ratio = (FIGSIZE[0] * AXES[2]) / (FIGSIZE[1] * AXES[3])
    dx, dy = x1 - x0, y1 - y0
    if dx / dy < ratio:
        grow = (dy * ratio - dx) / 2
        return x0 - grow, y0, x1 + grow, y1
    grow = (dx / ratio - dy) / 2
    return x0, y0 - grow, x1, y1 + grow


# ---------------------------------------------------------------------------- the map


def dot_size(homes: float | None) -> float:
    """Marker area (points²) of a complex with this many homes."""
    if homes is None or homes != homes:
        return 6.0
    return float(min(6.0 + 0.6 * max(homes, 0.0), 400.0))


def render_map(data: MapInput) -> MapResult:
    """The PNG of the district map and a caption saying what it shows."""
    drawn = draw_map(data)
    buf = io.BytesIO()
    drawn.figure.savefig(
        buf, format="png", dpi=DPI, facecolor="white", bbox_inches="tight", pad_inches=0.08
    )
    return MapResult(buf.getvalue(), drawn.caption, drawn.legend, drawn.voorbeelddata)


@dataclass
class _Legend:
    handles: list[Patch | Line2D] = field(default_factory=list)
    #: what the map shows, in words, for the caption
    shown: list[str] = field(default_factory=list)


def draw_map(data: MapInput) -> DrawnMap:
    """The district map as a matplotlib figure (Agg canvas), not yet saved."""
    buurten = data.buurten
    inside = buurten["buurtcode"].astype(str).isin(data.buurtcodes)
    area = buurten[inside]
    if not len(area):
        raise ValueError(f"geen buurten van {data.naam} in de grenzen")
    aqua = aquathermal_features(data)

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

    legend = _Legend()
    near_b = buurten[~inside & buurten.geometry.intersects(view)]
    add_polygons(
        ax, list(near_b.geometry), NEIGHBOUR, edgecolors=NEIGHBOUR_EDGE, linewidths=0.5, zorder=1
    )
    _draw_area(ax, data, area, legend)
    _draw_wijken(ax, data, view, legend)
    _draw_districts(ax, data, area, view, legend)
    _draw_names(ax, area)
    sample = _draw_complexes(ax, data, legend)
    if aqua is not None:
        aqua = aqua[aqua.geometry.intersects(view)]
        if len(aqua):
            drawn = draw_aquathermal(ax, aqua, legend.handles)
            legend.shown += drawn.shown
            sample |= drawn.voorbeelddata

    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    scale_bar(ax)
    north_arrow(ax)
    ax.set_title(f"{data.naam}: warmtestrategie (concept)", fontsize=9, loc="left")

    handles = legend.handles
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
        "Ondergrond: CBS-buurt- en wijkgrenzen (geen achtergrondkaart). Gemaakt met wijkplan."
        + (
            " Deels voorbeelddata (zie de legenda): niet gebruiken voor besluiten."
            if sample
            else ""
        ),
        fontsize=5.5,
        color="#555555",
    )
    return DrawnMap(
        fig, "; ".join(legend.shown), tuple(str(h.get_label()) for h in handles), sample
    )


def _draw_area(ax: Axes, data: MapInput, area: gpd.GeoDataFrame, legend: _Legend) -> None:
    """The area's buurten filled by adopted strategy, and its outline (dashed if assumed)."""
    codes = area["buurtcode"].astype(str).tolist()
    strategies = [data.strategieen.get(c) for c in codes]
    fills = [data.colours.get(s, UNKNOWN) if s else UNKNOWN for s in strategies]
    add_polygons(ax, list(area.geometry), fills, edgecolors="#777777", linewidths=0.6, zorder=2)
    outline = lines(shapely.union_all(list(area.geometry)))
    assumed = data.begrenzing == "aanname"
    if assumed:  # a white casing under the dashes, so that the gaps show
        ax.add_collection(LineCollection(outline, colors="white", linewidths=3.2, zorder=5.9))
    ax.add_collection(
        LineCollection(
            outline,
            colors="black",
            linewidths=1.6,
            linestyles=ASSUMED_DASH if assumed else "solid",
            zorder=6,
            gid="grens-gebied",
        )
    )
    present = [s for s in data.colours if s in strategies]
    for s in present:
        legend.handles.append(Patch(facecolor=data.colours[s], edgecolor="white", label=s))
    if any(s is None or s not in data.colours for s in strategies):
        legend.handles.append(
            Patch(facecolor=UNKNOWN, edgecolor="#777777", label="strategie onbekend")
        )
    what = "de buurt" if len(area) == 1 else f"de {len(area)} buurten van het gebied"
    legend.shown.append(
        f"{what} gekleurd naar de vastgestelde warmtestrategie"
        if present
        else f"{what} (strategie onbekend)"
    )
    legend.handles.append(
        Patch(facecolor=NEIGHBOUR, edgecolor=NEIGHBOUR_EDGE, label="buurt buiten het gebied")
    )
    legend.handles.append(
        Line2D(
            [],
            [],
            color="black",
            linewidth=1.6,
            linestyle=ASSUMED_DASH if assumed else "solid",
            label=f"grens van het gebied: {ASSUMED}" if assumed else "grens van het gebied",
        )
    )
    if assumed:
        legend.shown.append(f"grens van het gebied gestreept: {ASSUMED}")


def _draw_wijken(ax: Axes, data: MapInput, view: shapely.Polygon, legend: _Legend) -> None:
    if data.wijken is None or not len(data.wijken):
        return
    wk = data.wijken[data.wijken.geometry.intersects(view)]
    wk_lines = [ln for g in wk.geometry for ln in lines(g)]
    if wk_lines:
        ax.add_collection(
            LineCollection(wk_lines, colors="#555555", linewidths=0.9, linestyles="--", zorder=5)
        )
        legend.handles.append(
            Line2D([], [], color="#555555", linewidth=0.9, linestyle="--", label="wijkgrens")
        )
        legend.shown.append("wijkgrenzen")


def _draw_districts(
    ax: Axes, data: MapInput, area: gpd.GeoDataFrame, view: shapely.Polygon, legend: _Legend
) -> None:
    """The other warmtegebieden in view, outlined; dashed where the boundary is assumed.

    An assumed boundary that runs along a published one (the area's own, or another
    district's) is left out there: what is published is drawn as such.
    """
    districts = data.warmtegebieden
    if districts is None or not len(districts):
        return
    districts = districts[districts.geometry.notna() & districts.geometry.intersects(view)]
    if not len(districts):
        return
    # where an assumed boundary runs along a published one, the published one is drawn
    assumed_rows = (
        districts["begrenzing"] == "aanname"
        if "begrenzing" in districts
        else pd.Series(False, index=districts.index)
    )
    published = [g.boundary for g in districts.geometry[~assumed_rows]]
    if data.begrenzing == "gepubliceerd":
        published.append(shapely.union_all(list(area.geometry)).boundary)
    known = shapely.union_all(published).buffer(0.001 * view.length) if published else None
    any_assumed = False
    for (_, row), assumed in zip(districts.iterrows(), assumed_rows, strict=True):
        boundary = row.geometry.boundary
        outline = lines(boundary.difference(known) if assumed and known is not None else boundary)
        if not outline:
            continue
        any_assumed |= bool(assumed)
        style: LineStyleType = ASSUMED_DASH if assumed else "solid"
        ax.add_collection(
            LineCollection(outline, colors="white", linewidths=3.0, alpha=0.9, zorder=6.1)
        )
        ax.add_collection(
            LineCollection(
                outline,
                colors=DISTRICT,
                linewidths=1.4,
                linestyles=style,
                zorder=6.2,
                gid="warmtegebied-aanname" if assumed else "warmtegebied",
            )
        )
        name = row.get("naam")
        label = f"warmtegebied {name}" if isinstance(name, str) and name else "warmtegebied"
        legend.handles.append(
            Line2D(
                [],
                [],
                color=DISTRICT,
                linewidth=1.4,
                linestyle=style,
                label=f"{label}: {ASSUMED}" if assumed else f"{label} (begrenzing gepubliceerd)",
            )
        )
    legend.shown.append(
        "warmtegebieden omlijnd"
        + (
            ", gestreept waar de begrenzing is aangenomen (niet gepubliceerd)"
            if any_assumed
            else ""
        )
    )


def _draw_names(ax: Axes, area: gpd.GeoDataFrame) -> None:
    """The buurt names at their representative points (up to 30 buurten)."""
    if len(area) > 30:
        return
    for code, geom, name in zip(
        area["buurtcode"].astype(str),
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
            gid="buurtnaam",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.65},
        )


def _draw_complexes(ax: Axes, data: MapInput, legend: _Legend) -> bool:
    """The complexes as dots sized by homes; True when they are sample data and drawn."""
    cx = data.complexen
    if cx is not None and len(cx):
        cx = cx[cx["buurtcode"].astype(str).isin(data.buurtcodes)]
    if cx is None or not len(cx):
        return False
    xy = points(cx.geometry)
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
        legend.handles.append(
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
    legend.shown.append(f"complexen van corporaties als stip naar aantal woningen{mark}")
    return data.complexen_voorbeelddata
