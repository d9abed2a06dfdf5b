"""Buurten coloured by a figure: Leefbaarometer classes or quantile classes, and no data.

Each style function returns a Leaflet path style per buurtcode and the legend as
(label, colour) pairs; grey, :data:`NO_DATA_STYLE`, where a buurt has no value.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

from wijkplan.numbers import number

#: The colour of a complex (circle) without a value.
NO_DATA_COLOUR = "#969696"
#: Shown in a tooltip where a value is missing.
MISSING_TEXT = "—"

#: Colours of the nine Leefbaarometer classes, from "zeer onvoldoende" to "uitstekend".
CLASS_COLOURS = (
    "#a50026",
    "#d73027",
    "#f46d43",
    "#fdae61",
    "#fee08b",
    "#d9ef8b",
    "#a6d96a",
    "#66bd63",
    "#1a9850",
)
#: Sequential palette (light to dark) for quantities; ColorBrewer YlOrRd, 5 classes.
SEQUENTIAL = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
NO_DATA_STYLE = {"fillColor": "#d9d9d9", "fillOpacity": 0.5}


def class_styles(
    klasse_nr: Mapping[str, float | None], labels: Sequence[str]
) -> tuple[dict[str, dict[str, object]], list[tuple[str, str]]]:
    """Buurt styles and legend for a Leefbaarometer class (1..9) per buurtcode.

    >>> styles, legend = class_styles({"BU1": 1, "BU2": None}, ["a"] * 9)
    >>> styles["BU1"]["fillColor"], styles["BU2"]["fillColor"], legend[0]
    ('#a50026', '#d9d9d9', ('a', '#a50026'))
    """
    styles: dict[str, dict[str, object]] = {}
    for code, value in klasse_nr.items():
        if value is None or value != value:  # None or NaN
            styles[code] = dict(NO_DATA_STYLE)
        else:
            styles[code] = {"fillColor": CLASS_COLOURS[int(value) - 1], "fillOpacity": 0.7}
    return styles, list(zip(labels, CLASS_COLOURS, strict=True))


def quantile_styles(
    values: Mapping[str, float | None], *, decimals: int = 1, higher_is_worse: bool = True
) -> tuple[dict[str, dict[str, object]], list[tuple[str, str]]]:
    """Buurt styles and legend in five quantile classes (dark = high, or = low)."""
    import numpy as np

    codes = list(values)
    arr = np.array([np.nan if v is None else float(v) for v in values.values()], dtype=float)
    valid = arr[~np.isnan(arr)]
    palette = SEQUENTIAL if higher_is_worse else SEQUENTIAL[::-1]
    styles: dict[str, dict[str, object]] = {c: dict(NO_DATA_STYLE) for c in codes}
    if not len(valid):
        return styles, []
    edges = np.unique(np.quantile(valid, np.linspace(0, 1, len(palette) + 1)))
    bins = np.clip(np.searchsorted(edges, arr, side="right") - 1, 0, max(len(edges) - 2, 0))
    for code, value, b in zip(codes, arr, bins, strict=True):
        if not np.isnan(value):
            styles[code] = {"fillColor": palette[int(b)], "fillOpacity": 0.7}
    legend = [
        (f"{number(lo, decimals)} – {number(hi, decimals)}", palette[i])
        for i, (lo, hi) in enumerate(itertools.pairwise(edges))
    ]
    return styles, legend
