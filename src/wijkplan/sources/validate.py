"""Validation shared by the loaders: collect every problem, raise once.

Recoverable problems (a self-intersecting ring that ``make_valid`` repairs) are
repaired and reported as warnings; only unrecoverable ones are refused.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from wijkplan.problems import Problems
from wijkplan.settings import CRS_RD


class SourceWarning(UserWarning):
    """Something recoverable in a source (the build lists it in its report)."""


class RepairWarning(SourceWarning):
    """A geometry was repaired on load; the build report lists it."""


class ColumnsWarning(SourceWarning):
    """A source has columns its format does not know; they are skipped."""


def require_columns(gdf: pd.DataFrame, columns: Iterable[str], problems: Problems) -> bool:
    """Record each missing column; True when all are present."""
    missing = [c for c in columns if c not in gdf.columns]
    for c in missing:
        problems.add(c, "verplichte kolom ontbreekt")
    return not missing


def to_rd(gdf: gpd.GeoDataFrame, problems: Problems) -> gpd.GeoDataFrame | None:
    """Reproject to EPSG:28992; a source without CRS is refused (we never guess)."""
    if gdf.crs is None:
        problems.add(
            None, "geen coördinatenstelsel (CRS) opgegeven; verwacht bijv. EPSG:28992 of EPSG:4326"
        )
        return None
    if gdf.crs.to_epsg() == 28992:
        return gdf
    if gdf.crs.is_geographic:
        minx, miny, maxx, maxy = gdf.total_bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            problems.add(
                None,
                f"coördinaten passen niet bij het opgegeven CRS {gdf.crs.to_string()} "
                f"(x {minx:.0f}..{maxx:.0f}, y {miny:.0f}..{maxy:.0f}); zijn het RD-coördinaten (EPSG:28992)?",
            )
            return None
    rd = gdf.to_crs(CRS_RD)
    coords = shapely.get_coordinates(rd.geometry.to_numpy())
    if len(coords) and not np.isfinite(coords).all():
        problems.add(
            None,
            f"coördinaten vallen buiten het bereik van {gdf.crs.to_string()} bij omrekenen naar EPSG:28992",
        )
        return None
    return rd


def check_codes(
    values: pd.Series,
    *,
    field_name: str,
    pattern: re.Pattern[str],
    problems: Problems,
    unique: bool,
) -> None:
    """Well-formed (and optionally unique) codes such as BU04840306."""
    for value in values[values.isna()].index:
        problems.add(field_name, f"lege code in rij {value}")
    present = values.dropna().astype(str)
    for value in sorted(set(present[~present.str.match(pattern)])):
        problems.add(field_name, "onjuist gevormde code", value)
    if unique:
        for value in sorted(set(present[present.duplicated()])):
            problems.add(field_name, "dubbele code", value)


def check_polygons(
    gdf: gpd.GeoDataFrame, *, id_field: str, problems: Problems, repairs: list[str] | None = None
) -> gpd.GeoDataFrame:
    """Null/empty/non-polygon geometries are refused; invalid ones repaired when possible.

    A rounding spike in a generalised boundary makes a self-intersecting ring;
    ``shapely.make_valid`` turns it into a valid (Multi)Polygon. A geometry
    whose repair yields no polygon with area (a ring collapsed to a line) is refused.
    """
    geoms = gdf.geometry
    ids = (
        gdf[id_field].astype(str)
        if id_field in gdf.columns
        else pd.Series(gdf.index.astype(str), index=gdf.index)
    )
    out = geoms.copy()
    for idx in gdf.index[geoms.isna() | geoms.is_empty]:
        problems.add("geometry", "lege geometrie", ids[idx])
    present = geoms.notna() & ~geoms.is_empty
    kinds = geoms[present].geom_type
    for idx in kinds.index[~kinds.isin(["Polygon", "MultiPolygon"])]:
        problems.add("geometry", f"geen vlak maar {kinds[idx]}", ids[idx])
    poly_mask = present & geoms.geom_type.isin(["Polygon", "MultiPolygon"])
    invalid = poly_mask & ~geoms.is_valid
    for idx in gdf.index[invalid]:
        geom = geoms[idx]
        reason = shapely.is_valid_reason(geom)
        fixed = _repair_polygon(geom)
        if fixed is None:
            problems.add(
                "geometry", f"ongeldige geometrie die niet te herstellen is ({reason})", ids[idx]
            )
            continue
        out[idx] = fixed
        msg = f"{problems.source}: geometrie van {ids[idx]} hersteld ({reason})"
        warnings.warn(msg, RepairWarning, stacklevel=3)
        if repairs is not None:
            repairs.append(msg)
    result = gdf.copy()
    result[gdf.geometry.name] = out
    return result


def _repair_polygon(geom: shapely.Geometry) -> shapely.Geometry | None:
    fixed = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    if fixed.geom_type == "GeometryCollection":
        polys = [g for g in fixed.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        if not polys:
            return None
        fixed = shapely.union_all(polys)
    if fixed.is_empty or fixed.geom_type not in ("Polygon", "MultiPolygon") or fixed.area <= 0:
        return None
    return fixed
