"""How a layer becomes a table: column types, key, geometry, comments (:func:`plan_table`)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from wijkplan import __version__, catalogue
from wijkplan.analysis.privacy import assert_no_small_counts
from wijkplan.catalogue import Column, Layer
from wijkplan.export.select import suppressed_count_columns

__all__ = [
    "GEOMETRY_COLUMN",
    "METADATA_TABLE",
    "SRID",
    "STAGING_PREFIX",
    "ColumnPlan",
    "TablePlan",
    "plan_table",
]

GEOMETRY_COLUMN = "geom"
SRID = 28992
METADATA_TABLE = "wijkplan_metadata"
#: Prefix of the staging tables (they exist only inside the export's transaction).
STAGING_PREFIX = "_wijkplan_nieuw_"

_SQL_TYPES: Mapping[str, str] = {
    "tekst": "text",
    "geheel getal": "bigint",
    "getal": "double precision",
    "ja/nee": "boolean",
    "json": "jsonb",
}
_COLUMN = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class ColumnPlan:
    name: str
    sql_type: str
    comment: str | None
    values: list[Any]


@dataclass(frozen=True)
class TablePlan:
    name: str
    spec: Layer
    columns: tuple[ColumnPlan, ...]
    #: the primary key's columns; empty: a ``fid serial`` is the key
    key: tuple[str, ...]
    geometry_type: str | None
    geometries: list[str | None]
    rows: int
    comment: str
    #: Dutch lines on what did not go as declared (a catalogue key the data cannot carry)
    warnings: tuple[str, ...] = ()

    @property
    def staging(self) -> str:
        return STAGING_PREFIX + self.name


def _declared(spec: Layer, columns: Iterable[str]) -> dict[str, Column]:
    """The declarations of a frame's columns, with ``{categorie}`` columns resolved."""
    return {c.name: c for c in catalogue.expand(spec, catalogue.categories_in(spec, columns))}


def _values(series: pd.Series, sql_type: str, where: str) -> list[Any]:
    """A column as Python values for COPY (None for missing)."""
    out: list[Any] = []
    for v in series.astype(object).tolist():
        if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
            out.append(None)
        elif sql_type == "bigint":
            number = float(v)
            if not number.is_integer():
                raise ValueError(f"{where}: {v!r} is geen geheel getal")
            out.append(int(number))
        elif sql_type == "double precision":
            out.append(float(v))
        elif sql_type == "boolean":
            out.append(bool(v))
        elif sql_type == "jsonb":
            out.append(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
        else:
            out.append(str(v))
    return out


def _inferred_type(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "bigint"
    if pd.api.types.is_numeric_dtype(series):
        return "double precision"
    return "text"


_FAMILIES = {
    "Point": "Point",
    "MultiPoint": "Point",
    "LineString": "LineString",
    "MultiLineString": "LineString",
    "Polygon": "Polygon",
    "MultiPolygon": "Polygon",
}


def _geometry_type(declared: str, kinds: set[str]) -> str:
    """The column type: the declared MultiPolygon; else the data's own, Multi* when singles
    and multis of one family mix, and Geometry when families mix.

    >>> _geometry_type("Geometry", {"Point", "Polygon"}), _geometry_type("Geometry", {"Polygon"})
    ('Geometry', 'Polygon')
    >>> _geometry_type("Geometry", {"Polygon", "MultiPolygon"})
    'MultiPolygon'
    """
    if declared != "Geometry":
        return declared
    if len(kinds) == 1:
        return next(iter(kinds))
    families = {_FAMILIES.get(k) for k in kinds}
    if len(families) == 1 and None not in families:
        return "Multi" + str(next(iter(families)))
    return "Geometry"


def _ewkb(geoms: gpd.GeoSeries, target: str) -> list[str | None]:
    """Hex EWKB with SRID 28992 (what PostGIS reads as geometry text), 2D, promoted to Multi."""
    arr = shapely.force_2d(np.asarray(geoms.array, dtype=object))
    if target.startswith("Multi"):
        arr = np.array([_multi(g, target) for g in arr], dtype=object)
    arr = shapely.set_srid(arr, SRID)
    hexes = shapely.to_wkb(arr, hex=True, include_srid=True)
    return [None if g is None else str(h) for g, h in zip(arr, hexes, strict=True)]


def _multi(geom: Any, target: str) -> Any:
    if geom is None:
        return None
    if target == "MultiPolygon" and geom.geom_type == "Polygon":
        return shapely.MultiPolygon([geom])
    if target == "MultiLineString" and geom.geom_type == "LineString":
        return shapely.MultiLineString([geom])
    if target == "MultiPoint" and geom.geom_type == "Point":
        return shapely.MultiPoint([geom])
    return geom


def _table_comment(spec: Layer, gebied: str | None, kind: str | None) -> str:
    parts = [f"{spec.title}. {spec.description}"]
    parts.append(f"Soort: {kind or spec.kind}.")
    if spec.suppressed:
        parts.append("Kleine aantallen (1 t/m drempel−1) zijn afgeschermd: leeg, ook aanvullend.")
    if gebied:
        parts.append(f"Alleen gebied {gebied}.")
    parts.append(f"Geëxporteerd door wijkplan {__version__}; herkomst in {METADATA_TABLE}.")
    return " ".join(parts)


def _key(name: str, spec: Layer, frame: pd.DataFrame) -> tuple[tuple[str, ...], list[str]]:
    """The catalogue's key when the data can carry it; else no key and a Dutch warning."""
    if spec.key is None:
        return (), []
    wanted = (spec.key,) if isinstance(spec.key, str) else tuple(spec.key)
    missing = [k for k in wanted if k not in frame.columns]
    problems = []
    if missing:
        problems.append(f"kolom {', '.join(missing)} ontbreekt")
    else:
        empty = int(frame[list(wanted)].isna().any(axis=1).sum())
        doubles = int(frame.duplicated(list(wanted), keep="first").sum())
        if empty:
            problems.append(f"{empty} rij(en) met lege sleutel")
        if doubles:
            problems.append(f"{doubles} dubbele sleutel(s)")
    if not problems:
        return wanted, []
    return (), [
        f"laag {name}: sleutel ({', '.join(wanted)}) is niet bruikbaar als primaire sleutel "
        f"({'; '.join(problems)}); de tabel kreeg een volgnummer fid als sleutel"
    ]


def plan_table(
    name: str, frame: pd.DataFrame, *, gebied: str | None = None, kind: str | None = None
) -> TablePlan:
    """How one layer becomes a table (types, key, geometry, comments); checks privacy.

    When the data cannot carry the catalogue's key (duplicates, empty values) the table gets a
    ``fid serial`` key instead, and the plan's ``warnings`` say so.
    """
    spec = catalogue.layer(name)  # an undeclared layer is a bug (KeyError), never exported
    geometry_name = getattr(frame, "_geometry_column_name", None)
    has_geometry = (
        isinstance(frame, gpd.GeoDataFrame)
        and geometry_name is not None
        and geometry_name in frame.columns
    )
    attributes = [c for c in frame.columns if c != geometry_name]
    declared = _declared(spec, attributes)
    counts = suppressed_count_columns(name, [str(c) for c in attributes])
    if counts:  # also here: plan_table is public, and a small count is never written
        assert_no_small_counts(frame, columns=counts)
    for column in attributes:
        if not _COLUMN.match(str(column)) or str(column) in ("fid", GEOMETRY_COLUMN):
            raise ValueError(f"laag {name}: kolomnaam {column!r} past niet in PostGIS")
    columns = []
    for column in attributes:
        decl = declared.get(str(column))
        sql_type = _SQL_TYPES[decl.type] if decl else _inferred_type(frame[column])
        columns.append(
            ColumnPlan(
                str(column),
                sql_type,
                decl.title if decl else None,
                _values(frame[column], sql_type, f"{name}.{column}"),
            )
        )
    key, warnings = _key(name, spec, frame)
    geometry_type = None
    geometries: list[str | None] = []
    if spec.geometry is not None:
        if not has_geometry:
            raise ValueError(f"laag {name}: geometrie ontbreekt")
        gdf = frame if isinstance(frame, gpd.GeoDataFrame) else gpd.GeoDataFrame(frame)
        if gdf.crs is not None and gdf.crs.to_epsg() != SRID:
            raise ValueError(f"laag {name}: CRS {gdf.crs} in plaats van EPSG:{SRID}")
        geoms = gdf.geometry
        kinds = set(geoms[geoms.notna() & ~geoms.is_empty].geom_type)
        geometry_type = _geometry_type(spec.geometry, kinds)
        geometries = _ewkb(geoms, geometry_type)
    return TablePlan(
        name=name,
        spec=spec,
        columns=tuple(columns),
        key=key,
        geometry_type=geometry_type,
        geometries=geometries,
        rows=len(frame),
        comment=_table_comment(spec, gebied, kind),
        warnings=tuple(warnings),
    )
