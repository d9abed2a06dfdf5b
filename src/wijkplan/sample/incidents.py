"""Sample incident records: points with date and category, 2019-2024, for any boundaries.

Writes what a municipality's own registration exports: one point per incident
(GeoPackage, EPSG:28992) with ``incident_id``, ``datum`` (ISO date), ``categorie``,
a free-text ``omschrijving`` (which the loader drops, as it would drop real free
text) and ``bron = sample_bron(gemeentecode)``. Not a measurement:

- incidents per buurt follow a built-up proxy (residential weight × area), so
  business parks and the rural area get few and the town centres many;
- the regie areas get about 2.5× their share, their neighbours 1.4×, with more
  nuisance and vandalism, and a modest decline from 2022 on;
- 2020-2021 have a little more nuisance (as many municipalities saw);
- small buurten get counts of 1-4 in some years, which the suppression must hide.

Seeded with :func:`wijkplan.sample.common.rng_for`: identical output on every run.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from wijkplan.sample.common import gemeentecode_of, residential_weight, rng_for, sample_bron
from wijkplan.sample.leefbaarometer import default_regie_buurtcodes
from wijkplan.settings import CRS_RD

__all__ = ["SAMPLE_YEARS", "sample_incidents"]

SAMPLE_YEARS = tuple(range(2019, 2025))
#: CountSeries per year per hectare of built-up proxy (about 2,000 a year for Alphen's 2,900 ha).
_PER_HA_YEAR = 0.68
_CATEGORIES = ("overlast", "jeugdoverlast", "vernieling", "vervuiling", "woninginbraak", "geweld")
_MIX_TOWN = np.array([0.28, 0.14, 0.15, 0.18, 0.10, 0.15])
_MIX_REGIE = np.array([0.33, 0.20, 0.19, 0.12, 0.05, 0.11])
_MIX_RURAL = np.array([0.20, 0.08, 0.12, 0.40, 0.12, 0.08])
_YEAR_FACTOR = {2019: 1.00, 2020: 1.12, 2021: 1.08, 2022: 1.00, 2023: 0.97, 2024: 0.95}


def _points_in(geom: shapely.Geometry, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` uniform random points inside ``geom`` (rejection sampling on its bounds)."""
    minx, miny, maxx, maxy = geom.bounds
    out: list[np.ndarray] = []
    have = 0
    while have < n:
        k = max(2 * (n - have), 16)
        x = rng.uniform(minx, maxx, k)
        y = rng.uniform(miny, maxy, k)
        inside = shapely.contains_xy(geom, x, y)
        out.append(shapely.points(x[inside], y[inside])[: n - have])
        have += len(out[-1])
    return np.concatenate(out) if out else np.array([], dtype=object)


def sample_incidents(
    buurten: gpd.GeoDataFrame,
    *,
    regie_buurtcodes: Sequence[str] | None = None,
    years: Sequence[int] = SAMPLE_YEARS,
) -> gpd.GeoDataFrame:
    """The sample incident points in memory (same columns as the written file)."""
    if buurten.crs is None or buurten.crs.to_epsg() != 28992:
        buurten = buurten.to_crs(CRS_RD)
    buurten = buurten.reset_index(drop=True)
    gm = gemeentecode_of(buurten)
    rng = rng_for(gm, "incidenten")
    codes = (
        tuple(regie_buurtcodes)
        if regie_buurtcodes is not None
        else default_regie_buurtcodes(buurten)
    )
    is_regie = buurten["buurtcode"].isin(codes).to_numpy()
    regie_union = shapely.union_all(buurten.geometry[is_regie].to_numpy())
    near = (buurten.geometry.distance(regie_union) < 250).to_numpy() & ~is_regie

    weight = residential_weight(buurten)
    area_ha = buurten.geometry.area.to_numpy() / 10_000
    proxy = weight * area_ha
    base = _PER_HA_YEAR * proxy
    factor = np.where(is_regie, 2.5, np.where(near, 1.4, 1.0))
    rural = weight < 0.3
    mix = np.where(is_regie[:, None], _MIX_REGIE, np.where(rural[:, None], _MIX_RURAL, _MIX_TOWN))

    records: list[pd.DataFrame] = []
    for year in years:
        trend = np.where(is_regie & (year > 2021), 1 - 0.08 * (year - 2021), 1.0)
        lam = base * factor * trend * _YEAR_FACTOR.get(year, 1.0)
        start = pd.Timestamp(year=year, month=1, day=1)
        ndays = 366 if pd.Timestamp(year=year, month=12, day=31).day_of_year == 366 else 365
        for i in range(len(buurten)):
            counts = rng.poisson(lam[i] * mix[i])
            n = int(counts.sum())
            if n == 0:
                continue
            pts = _points_in(buurten.geometry.iloc[i], n, rng)
            days = rng.integers(0, ndays, n)
            records.append(
                pd.DataFrame(
                    {
                        "datum": (start + pd.to_timedelta(np.sort(days), unit="D")).strftime(
                            "%Y-%m-%d"
                        ),
                        "categorie": rng.permutation(np.repeat(_CATEGORIES, counts)),
                        "geometry": pts,
                    }
                )
            )
    frame = (
        pd.concat(records, ignore_index=True)
        .sort_values("datum", kind="stable")
        .reset_index(drop=True)
    )
    frame.insert(0, "incident_id", [f"I{i + 1:06d}" for i in range(len(frame))])
    frame["omschrijving"] = "voorbeeldmelding " + frame["categorie"]
    frame["bron"] = sample_bron(gm)
    cols = ["incident_id", "datum", "categorie", "omschrijving", "bron", "geometry"]
    return gpd.GeoDataFrame(frame[cols], geometry="geometry", crs=CRS_RD)
