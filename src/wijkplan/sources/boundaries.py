"""CBS buurt and wijk boundaries (Wijk- en Buurtkaart, any OGR format)."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pandas as pd

from wijkplan.problems import Problems
from wijkplan.settings import BUURTCODE_RE, GEMEENTECODE_RE, WIJKCODE_RE
from wijkplan.sources._io import read_vector, restore_truncated
from wijkplan.sources.validate import check_codes, check_polygons, require_columns, to_rd

BUURT_COLUMNS = ("buurtcode", "buurtnaam", "wijkcode", "gemeentecode", "jaar")
WIJK_COLUMNS = ("wijkcode", "wijknaam", "gemeentecode", "jaar")

#: Column names of the PDOK/CBS Wijk- en Buurtkaart, mapped to ours (real-formats.md §2).
_CBS_RENAMES = {
    "buurt_code": "buurtcode",
    "buurt_naam": "buurtnaam",
    "wijk_code": "wijkcode",
    "wijk_naam": "wijknaam",
    "gemeente_code": "gemeentecode",
    "gemeente_naam": "gemeentenaam",
    "statcode": None,
    "statnaam": None,
}


def _normalise_columns(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    lower = {c: c.lower() for c in gdf.columns if c != gdf.geometry.name}
    gdf = gdf.rename(columns=lower)
    renames = {
        k: v for k, v in _CBS_RENAMES.items() if v and k in gdf.columns and v not in gdf.columns
    }
    return restore_truncated(gdf.rename(columns=renames), BUURT_COLUMNS + WIJK_COLUMNS)


#: Code columns of each boundary level: (column, pattern, must be unique).
_BUURT_CODES = (
    ("buurtcode", BUURTCODE_RE, True),
    ("wijkcode", WIJKCODE_RE, False),
    ("gemeentecode", GEMEENTECODE_RE, False),
)
_WIJK_CODES = (("wijkcode", WIJKCODE_RE, True), ("gemeentecode", GEMEENTECODE_RE, False))


def _read_checked(
    path: Path | str, columns: tuple[str, ...], codes: tuple[tuple[str, re.Pattern[str], bool], ...]
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame | None, Problems]:
    """Read, check columns and codes, reproject; problems are collected, not raised yet."""
    problems = Problems(str(path))
    gdf = _normalise_columns(read_vector(path))
    if not require_columns(gdf, columns, problems):
        problems.raise_if_any()
    rd = to_rd(gdf, problems)
    for column, pattern, unique in codes:
        check_codes(
            gdf[column], field_name=column, pattern=pattern, problems=problems, unique=unique
        )
    return gdf, rd, problems


def _finish(
    rd: gpd.GeoDataFrame | None, problems: Problems, *, id_field: str, repairs: list[str] | None
) -> gpd.GeoDataFrame:
    """Check and repair polygons, raise every collected problem, normalise ``jaar``."""
    if rd is not None:
        rd = check_polygons(rd, id_field=id_field, problems=problems, repairs=repairs)
    problems.raise_if_any()
    assert rd is not None
    rd["jaar"] = pd.to_numeric(rd["jaar"], errors="coerce").astype("Int64")
    return rd.reset_index(drop=True)


def load_buurten(
    path: Path | str, *, wijken: gpd.GeoDataFrame | None = None, repairs: list[str] | None = None
) -> gpd.GeoDataFrame:
    """Load and validate buurt boundaries; return them in EPSG:28992, indexed 0..n-1.

    With ``wijken`` given, every buurt's wijkcode must exist there and the codes
    must nest (BU + GM digits + WK digits). All problems are reported together.
    """
    gdf, rd, problems = _read_checked(path, BUURT_COLUMNS, _BUURT_CODES)
    _check_nesting(gdf, problems)
    gemeenten = sorted(set(gdf["gemeentecode"].dropna().astype(str)))
    if len(gemeenten) > 1:
        shown = ", ".join(gemeenten[:5]) + (" …" if len(gemeenten) > 5 else "")
        problems.add(
            "gemeentecode",
            f"het bestand bevat {len(gemeenten)} gemeenten; wijkplan bouwt per gemeente "
            "(knip het bestand op gemeentecode)",
            shown,
        )
    if wijken is not None:
        known = set(wijken["wijkcode"].astype(str))
        for code, wk in zip(gdf["buurtcode"], gdf["wijkcode"], strict=True):
            if pd.notna(wk) and str(wk) not in known:
                problems.add("wijkcode", f"buurt {code} verwijst naar een onbekende wijk", wk)
    return _finish(rd, problems, id_field="buurtcode", repairs=repairs)


def load_wijken(path: Path | str, *, repairs: list[str] | None = None) -> gpd.GeoDataFrame:
    """Load and validate wijk boundaries (with any CBS kerncijfers columns they carry)."""
    gdf, rd, problems = _read_checked(path, WIJK_COLUMNS, _WIJK_CODES)
    for wk, gm in zip(gdf["wijkcode"].astype(str), gdf["gemeentecode"].astype(str), strict=True):
        if WIJKCODE_RE.match(wk) and GEMEENTECODE_RE.match(gm) and wk[2:6] != gm[2:6]:
            problems.add("wijkcode", f"wijk hoort niet bij gemeente {gm}", wk)
    return _finish(rd, problems, id_field="wijkcode", repairs=repairs)


def _check_nesting(gdf: pd.DataFrame, problems: Problems) -> None:
    """BU04840306 lies in WK048403 in GM0484: the digits must agree."""
    for bu, wk, gm in zip(gdf["buurtcode"], gdf["wijkcode"], gdf["gemeentecode"], strict=True):
        bu, wk, gm = str(bu), str(wk), str(gm)
        if not (BUURTCODE_RE.match(bu) and WIJKCODE_RE.match(wk) and GEMEENTECODE_RE.match(gm)):
            continue
        if bu[2:8] != wk[2:8]:
            problems.add("wijkcode", f"buurt {bu} ligt volgens haar code niet in wijk", wk)
        if wk[2:6] != gm[2:6]:
            problems.add("gemeentecode", f"wijk {wk} hoort niet bij gemeente", gm)
