"""Buurten coloured by a figure: Leefbaarometer classes or quantile classes, and no data.

Each style function returns a Leaflet path style per buurtcode and the legend as
(label, colour) pairs; grey, :data:`NO_DATA_STYLE`, where a buurt has no value. The colours
are in :mod:`wijkplan.styles.palette`, shared with the GIS styles of the exports.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

from wijkplan.numbers import number
from wijkplan.styles.palette import CLASS_COLOURS, NO_DATA_STYLE, SEQUENTIAL, THEME_FILL_OPACITY
from wijkplan.styles.palette import NO_DATA_COLOUR as NO_DATA_COLOUR

#: Shown in a tooltip where a value is missing.
MISSING_TEXT = "—"


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
            styles[code] = {
                "fillColor": CLASS_COLOURS[int(value) - 1],
                "fillOpacity": THEME_FILL_OPACITY,
            }
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
            styles[code] = {"fillColor": palette[int(b)], "fillOpacity": THEME_FILL_OPACITY}
    legend = [
        (f"{number(lo, decimals)} – {number(hi, decimals)}", palette[i])
        for i, (lo, hi) in enumerate(itertools.pairwise(edges))
    ]
    return styles, legend
