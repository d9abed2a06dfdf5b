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


class TextEncodingWarning(SourceWarning):
    """A source's text was not UTF-8 and was read in another encoding (the report says so)."""


class ColumnsWarning(SourceWarning):
    """A source has columns its format does not know; they are skipped."""


def require_columns(gdf: pd.DataFrame, columns: Iterable[str], problems: Problems) -> bool:
    """Record each missing column; True when all are present."""
    missing = [c for c in columns if c not in gdf.columns]
    for c in missing:
        problems.add(c, "verplichte kolom ontbreekt")
    return not missing


#: The bounds of EPSG:28992 (RD New) in its own coordinates, a little wider than the
#: Netherlands' part of its area of use (x -7000..300000, y 289000..629000).
RD_BOUNDS = (-7000.0, 289000.0, 300000.0, 629000.0)


def to_rd(gdf: gpd.GeoDataFrame, problems: Problems) -> gpd.GeoDataFrame | None:
    """Reproject to EPSG:28992; a source without CRS is refused (we never guess).

    Coordinates must be finite (no NaN or infinity) and lie within the area of use of
    the CRS the file declares and, once in RD, within RD's bounds (:data:`RD_BOUNDS`):
    lon/lat labelled EPSG:28992 or EPSG:3857 is refused here, naming this file, rather
    than failing later in another source.
    """
    if gdf.crs is None:
        problems.add(
            None, "geen coördinatenstelsel (CRS) opgegeven; verwacht bijv. EPSG:28992 of EPSG:4326"
        )
        return None
    crs_name = gdf.crs.to_string()
    coords = shapely.get_coordinates(gdf.geometry.to_numpy())
    if len(coords) and not np.isfinite(coords).all():
        finite = np.array(
            [
                np.isfinite(shapely.get_coordinates(g)).all() if g is not None else True
                for g in gdf.geometry.to_numpy()
            ]
        )
        rows = [f"rij {i + 1}" for i in np.flatnonzero(~finite)]
        problems.add_capped("geometry", "coördinaat is geen getal (NaN of oneindig)", rows)
        return None
    if not len(coords):
        return gdf if gdf.crs.to_epsg() == 28992 else gdf.to_crs(CRS_RD)
    minx, miny, maxx, maxy = gdf.total_bounds
    shown = f"x {minx:.6g}..{maxx:.6g}, y {miny:.6g}..{maxy:.6g}"
    hint = _crs_hint(minx, miny, maxx, maxy)
    if not _within_area_of_use(gdf, (minx, miny, maxx, maxy)):
        problems.add(
            None,
            f"coördinaten ({shown}) liggen buiten het gebied waarvoor {crs_name} geldt; "
            f"klopt {crs_name}, of {hint}?",
        )
        return None
    rd = gdf if gdf.crs.to_epsg() == 28992 else gdf.to_crs(CRS_RD)
    rd_coords = shapely.get_coordinates(rd.geometry.to_numpy())
    if not np.isfinite(rd_coords).all():
        problems.add(
            None,
            f"coördinaten vallen buiten het bereik van {crs_name} bij omrekenen naar EPSG:28992",
        )
        return None
    rminx, rminy, rmaxx, rmaxy = rd.total_bounds
    bx0, by0, bx1, by1 = RD_BOUNDS
    if not (bx0 <= rminx and rmaxx <= bx1 and by0 <= rminy and rmaxy <= by1):
        where = (
            ""
            if gdf.crs.to_epsg() == 28992
            else f" (in EPSG:28992: x {rminx:.0f}..{rmaxx:.0f}, y {rminy:.0f}..{rmaxy:.0f})"
        )
        problems.add(
            None,
            f"coördinaten ({shown}){where} liggen niet in Nederland (EPSG:28992: x "
            f"{bx0:.0f}..{bx1:.0f}, y {by0:.0f}..{by1:.0f}); klopt het opgegeven "
            f"coördinatenstelsel {crs_name}, of {hint}?",
        )
        return None
    return rd


def _crs_hint(minx: float, miny: float, maxx: float, maxy: float) -> str:
    """A hint when the numbers look like lon/lat or RD metres whatever the file declares."""
    if -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
        return "zijn het lengte- en breedtegraden (EPSG:4326)"
    bx0, by0, bx1, by1 = RD_BOUNDS
    if bx0 <= minx <= maxx <= bx1 and by0 <= miny <= maxy <= by1:
        return "zijn het RD-coördinaten (EPSG:28992)"
    return "zijn het coördinaten in een ander stelsel"


def _within_area_of_use(gdf: gpd.GeoDataFrame, bounds: tuple[float, float, float, float]) -> bool:
    """Whether the data's bounds, in lon/lat, lie within the CRS's area of use (0.5° margin).

    A CRS without a known area of use, or bounds that cannot be converted, pass here;
    the RD bounds check after reprojection still holds.
    """
    area = gdf.crs.area_of_use
    if area is None:
        return True
    if gdf.crs.is_geographic:
        lon0, lat0, lon1, lat1 = bounds
    else:
        from pyproj import Transformer

        try:
            t = Transformer.from_crs(gdf.crs, "EPSG:4326", always_xy=True)
            lon0, lat0, lon1, lat1 = t.transform_bounds(*bounds)
        except Exception:  # a failed conversion is judged by the RD check below
            return True
        if not np.isfinite([lon0, lat0, lon1, lat1]).all():
            return False
    margin = 0.5
    return bool(
        area.west - margin <= lon0
        and lon1 <= area.east + margin
        and area.south - margin <= lat0
        and lat1 <= area.north + margin
    )


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
