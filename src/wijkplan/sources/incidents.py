"""CountSeries: the municipality's own point records (the police's open data: :mod:`.police`).

**Own records** (any OGR format): one point per incident with ``datum`` and
``categorie`` (vocabulary in ``config/leefbaarheid.toml``). :func:`load_incidents`
validates dates, categories and geometry (points inside the municipality), assigns
each point its buurt and wijk, and keeps *only* ``datum, jaar, categorie,
buurtcode, wijkcode, bron`` and the point: free text, names or addresses in the
export are dropped on load. Point records are input to the aggregation only; they
never go into the GeoPackage, an export or the app.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from wijkplan.config import LiveabilityConfig, load_config
from wijkplan.problems import Problems
from wijkplan.sources._io import read_vector
from wijkplan.sources.validate import require_columns, to_rd

__all__ = ["INCIDENT_COLUMNS", "load_incidents"]

INCIDENT_COLUMNS = ("datum", "categorie")
#: Column names seen in municipal exports, mapped to ours (case-insensitive).
_SYNONYMS = {
    "date": "datum",
    "pleegdatum": "datum",
    "melddatum": "datum",
    "incidentdatum": "datum",
    "category": "categorie",
    "soort": "categorie",
    "incidentsoort": "categorie",
}
_DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S")


def _parse_dates(values: pd.Series) -> pd.Series:
    """Timestamps (tz-naive, local time) from datetimes or ISO / Dutch day-first strings."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert("Europe/Amsterdam").dt.tz_localize(None)
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    text = values.astype("string").str.strip()
    iso = text.where(text.str.match(r"^\d{4}-\d{2}-\d{2}").fillna(False))
    try:
        out = pd.to_datetime(iso, format="ISO8601", errors="coerce")
    except (ValueError, TypeError):  # a mix of offsets and naive times: go through UTC
        out = pd.to_datetime(iso, format="ISO8601", errors="coerce", utc=True)
    if isinstance(out.dtype, pd.DatetimeTZDtype):
        out = out.dt.tz_convert("Europe/Amsterdam").dt.tz_localize(None)
    for fmt in _DATE_FORMATS:
        todo = out.isna() & text.notna()
        if not todo.any():
            break
        out[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    return out


def load_incidents(
    path: Path | str,
    *,
    buurten: gpd.GeoDataFrame,
    config: LiveabilityConfig | None = None,
    layer: str | None = None,
    today: dt.date | None = None,
) -> gpd.GeoDataFrame:
    """Load and validate the municipality's incident points (EPSG:28992).

    Every problem is reported together: missing columns, unparseable or future
    dates, unknown categories, null or non-point geometry and points outside
    ``buurten``. Returns ``datum`` (datetime64), ``jaar``, ``categorie``,
    ``buurtcode``, ``wijkcode``, ``bron`` and the point; nothing else is kept.
    """
    config = config or load_config()
    path = Path(path)
    problems = Problems(str(path))
    gdf = read_vector(path, layer=layer)
    lower = {c: c.strip().lower() for c in gdf.columns if c != gdf.geometry.name}
    gdf = gdf.rename(columns=lower)
    renames = {k: v for k, v in _SYNONYMS.items() if k in gdf.columns and v not in gdf.columns}
    gdf = gdf.rename(columns=renames)
    if not require_columns(gdf, INCIDENT_COLUMNS, problems):
        problems.raise_if_any()
    rd = to_rd(gdf, problems)
    rows = pd.Series([f"rij {i + 1}" for i in range(len(gdf))], index=gdf.index)

    datum = _parse_dates(gdf["datum"])
    empty = gdf["datum"].isna() | (gdf["datum"].astype("string").str.strip() == "")
    problems.add_capped("datum", "lege datum", list(rows[empty]))
    bad = datum.isna() & ~empty
    problems.add_capped(
        "datum",
        "geen datum (verwacht JJJJ-MM-DD of DD-MM-JJJJ)",
        [f"{r}: {v}" for r, v in zip(rows[bad], gdf["datum"][bad], strict=True)],
    )
    limit = pd.Timestamp(today or dt.date.today()) + pd.Timedelta(days=1)
    future = datum >= limit
    problems.add_capped(
        "datum",
        "datum in de toekomst",
        [f"{r}: {v.date()}" for r, v in zip(rows[future], datum[future], strict=True)],
    )

    cat = gdf["categorie"].astype("string").str.strip().str.lower()
    unknown = cat.isna() | ~cat.isin(config.categories)
    known = ", ".join(config.categories)
    problems.add_capped(
        "categorie",
        f"onbekende categorie (bekend: {known})",
        [f"{r}: {v}" for r, v in zip(rows[unknown], gdf["categorie"][unknown], strict=True)],
    )

    result: gpd.GeoDataFrame | None = None
    if rd is not None:
        geoms = rd.geometry
        null = geoms.isna() | geoms.is_empty
        problems.add_capped("geometry", "lege geometrie", list(rows[null]))
        kinds = geoms.geom_type
        single_multi = (
            (kinds == "MultiPoint")
            & ~null
            & (
                geoms.get_coordinates(index_parts=False)
                .groupby(level=0)
                .size()
                .reindex(geoms.index, fill_value=0)
                == 1
            )
        )
        points = (
            geoms.where(~single_multi, geoms[single_multi].centroid)
            if single_multi.any()
            else geoms
        )
        not_point = ~null & ~((kinds == "Point") | single_multi)
        problems.add_capped(
            "geometry",
            "geen punt",
            [f"{r}: {k}" for r, k in zip(rows[not_point], kinds[not_point], strict=True)],
        )
        ok = ~null & ~not_point
        pts = gpd.GeoDataFrame(
            {"_row": np.arange(int(ok.sum()))}, geometry=points[ok].to_numpy(), crs=rd.crs
        )
        bu = buurten[["buurtcode", "wijkcode", buurten.geometry.name]]
        joined = gpd.sjoin(pts, bu, how="left", predicate="intersects")
        joined = joined.sort_values(["_row", "buurtcode"]).drop_duplicates("_row")
        outside = joined["buurtcode"].isna().to_numpy()
        problems.add_capped(
            "geometry",
            "punt ligt buiten de gemeente",
            [
                f"{r}: ({p.x:.0f}, {p.y:.0f})"
                for r, p in zip(rows[ok][outside], pts.geometry[outside], strict=True)
            ],
        )
        if not problems.items:
            bron = (
                gdf["bron"].astype("string").fillna(path.name)
                if "bron" in gdf.columns
                else path.name
            )
            result = gpd.GeoDataFrame(
                {
                    "datum": datum.to_numpy(),
                    "jaar": datum.dt.year.astype("int64").to_numpy(),
                    "categorie": cat.astype(str).to_numpy(),
                    "buurtcode": joined["buurtcode"].to_numpy(),
                    "wijkcode": joined["wijkcode"].to_numpy(),
                    "bron": bron if isinstance(bron, str) else bron.to_numpy(),
                },
                geometry=points.to_numpy(),
                crs=rd.crs,
            )
    problems.raise_if_any()
    assert result is not None
    return result
