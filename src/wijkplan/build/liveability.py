"""Theme "leefbaarheid": Leefbaarometer scores and incidents to layers.

Sources in the data folder (each optional; absent sources are reported, never invented):

- the Leefbaarometer scores CSV (plus its cell GeoPackage), written as one
  aligned GeoTIFF per measurement year (:mod:`wijkplan.build.rasters`); or
  GeoTIFFs a user already has (``leefbaarometer*.tif``), read directly;
- the municipality's incident points (``incidenten.*``), or else the police
  open-data tables (``politie*.csv`` / ``.json``).

Each raster is read once and summarised over buurten, wijken, complexes and regie
areas together. Incident point records never leave this module: only suppressed
aggregate tables are returned.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from wijkplan.analysis.incidents import IncidentTables, incident_tables
from wijkplan.analysis.liveability import (
    add_weak_band,
    liveability_per_zone,
    priority,
    priority_inputs,
    references,
)
from wijkplan.analysis.privacy import assert_no_small_counts
from wijkplan.analysis.zonal import zonal_stats
from wijkplan.build.agreements import Agreements
from wijkplan.build.boundaries import Boundaries
from wijkplan.build.context import BuildContext, ThemeOutput
from wijkplan.build.rasters import leefbaarometer_to_geotiffs
from wijkplan.config import LiveabilityConfig
from wijkplan.report import ABSENT, REAL, SAMPLE
from wijkplan.settings import is_sample
from wijkplan.sources._io import find_source
from wijkplan.sources.incidents import load_incidents, load_police_table, police_yearly_totals
from wijkplan.sources.leefbaarometer import (
    CellsWarning,
    find_leefbaarometer,
    find_liveability_rasters,
    load_leefbaarometer,
    load_leefbaarometer_cells,
    open_liveability_raster,
    raster_tags,
    warn_missing_cells,
)

#: The zone sets summarised in one pass over each raster.
ZONE_SETS = ("buurt", "wijk", "complex", "regiegebied")
#: Columns of the priority that go into the ``leefbaarheid`` layer.
_PRIORITY_COLUMNS = [
    "c_lage_score",
    "c_aandeel_zwak",
    "c_incidenten",
    "incidentmaat",
    "incidenten_waarde",
    "incidenten_geschat",
    "prioriteit",
    "rang",
]


@dataclass
class Liveability:
    """The theme's output, the GeoTIFF per year (staged) and the priority formula."""

    output: ThemeOutput = field(default_factory=ThemeOutput)
    rasters: dict[int, Path] = field(default_factory=dict)
    formula: str | None = None


@dataclass
class ZoneScores:
    """Liveability of the latest measurement per zone set, and the trend over all years."""

    latest: dict[str, pd.DataFrame]  # zone set -> per-zone table keyed by ``code``
    trend: pd.DataFrame
    references: pd.DataFrame


def build(ctx: BuildContext, boundaries: Boundaries, agreements: Agreements) -> Liveability:
    """Liveability layers for the build (see the module docstring)."""
    result = Liveability()
    out = result.output
    b = boundaries
    regie = agreements.regiegebieden
    minx, miny, maxx, maxy = b.buurten.total_bounds
    # a national download is clipped to the municipality (plus a cell of margin)
    result.rasters, kind = _rasters(ctx, out, (minx - 100, miny - 100, maxx + 100, maxy + 100))
    scores = _zone_scores(result.rasters, b, regie, ctx.config) if result.rasters else None
    if scores is not None:
        out.layers["leefbaarheid_referentie"] = scores.references
        out.layers["leefbaarheid_trend"] = scores.trend
    tables = _incidents(ctx, out, b, regie)
    if scores is None and tables is None:
        return result
    per_buurt = scores.latest["buurt"].set_index("code") if scores else None
    layer, result.formula = _buurt_layer(b.buurten, per_buurt, tables, kind, ctx.config)
    out.layers["leefbaarheid"] = layer
    if scores is not None and b.complexen is not None:
        cols = b.complexen[["complex_id", "corporatie", "naam", "buurtcode", "bron", "geometry"]]
        per = scores.latest["complex"].rename(columns={"code": "complex_id"})
        out.layers["leefbaarheid_complexen"] = gpd.GeoDataFrame(
            cols.merge(per, on="complex_id", how="left"), geometry="geometry", crs=cols.crs
        )
    if regie is not None and len(regie):
        out.layers["leefbaarheid_regiegebieden"] = _regie_layer(regie, scores, tables)
    return result


def _rasters(
    ctx: BuildContext, out: ThemeOutput, bounds: tuple[float, float, float, float]
) -> tuple[dict[int, Path], str]:
    """The liveability GeoTIFF per year, and the kind of source (echt/voorbeelddata/afwezig)."""
    csv, cells = find_leefbaarometer(ctx.data_dir)
    if csv is not None:
        scores = load_leefbaarometer(csv)
        if cells is not None:
            grid = load_leefbaarometer_cells(cells)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", CellsWarning)
                missing = warn_missing_cells(scores, grid)
            if missing:
                out.notes += [str(w.message) for w in caught]
        kind = SAMPLE if scores["bron"].map(is_sample).all() else REAL
        rasters = leefbaarometer_to_geotiffs(csv, ctx.staging, bounds=bounds, scores=scores)
        out.source("leefbaarometer", csv, int(scores["grid_id"].nunique()), kind)
        return rasters, kind
    found = find_liveability_rasters(ctx.data_dir)
    if not found:
        out.absent("leefbaarometer")
        return {}, ABSENT
    tifs = list(found.values())
    kind = SAMPLE if all(is_sample(raster_tags(t).get("bron")) for t in tifs) else REAL
    out.source("leefbaarometer", tifs[0], len(tifs), kind)
    return found, kind


def _zones(b: Boundaries, regie: gpd.GeoDataFrame | None) -> tuple[gpd.GeoSeries, pd.DataFrame]:
    """All zones in one GeoSeries, with a key frame (set, code) to split the results."""
    parts = [
        ("buurt", b.buurten["buurtcode"], b.buurten.geometry),
        ("wijk", b.wijken["wijkcode"], b.wijken.geometry),
    ]
    if b.complexen is not None and len(b.complexen):
        # a complex delivered as a point gets the value of the cell under it: a 1 m square
        # around the point lies in that cell (or is weighted over the cells it touches)
        geoms = b.complexen.geometry
        points = geoms.geom_type.isin(["Point", "MultiPoint"]).to_numpy()
        squares = geoms.buffer(0.5, cap_style="square").to_numpy()
        geoms = gpd.GeoSeries(np.where(points, squares, geoms.to_numpy()), crs=b.complexen.crs)
        parts.append(("complex", b.complexen["complex_id"], geoms))
    if regie is not None and len(regie):
        parts.append(("regiegebied", regie["regie_id"], regie.geometry))
    keys = pd.DataFrame(
        {
            "set": np.concatenate([[s] * len(c) for s, c, _ in parts]),
            "code": np.concatenate([c.astype(str).to_numpy() for _, c, _ in parts]),
        }
    )
    geoms = gpd.GeoSeries(np.concatenate([g.to_numpy() for _, _, g in parts]), crs=b.buurten.crs)
    return geoms, keys


def _zone_scores(
    rasters: dict[int, Path],
    b: Boundaries,
    regie: gpd.GeoDataFrame | None,
    config: LiveabilityConfig,
) -> ZoneScores:
    zones, keys = _zones(b, regie)
    trend = []
    latest_year = max(rasters)
    latest: dict[str, pd.DataFrame] = {}
    refs = pd.DataFrame()
    for year in sorted(rasters):
        r = open_liveability_raster(rasters[year])
        data, names = add_weak_band(r.data, r.band_names, config)
        stats = zonal_stats(zones, data, r.transform, crs=r.crs, band_names=names)
        per = liveability_per_zone(stats, config)
        per.insert(0, "jaar", year)
        per.insert(0, "code", keys["code"].to_numpy())
        per.insert(0, "set", keys["set"].to_numpy())
        trend.append(per[per["set"].isin(["buurt", "wijk", "regiegebied"])])
        if year == latest_year:
            latest = {s: per[per["set"] == s].drop(columns="set") for s in ZONE_SETS}
            municipality = b.buurten.geometry.union_all()
            refs = references(
                r.data, r.transform, r.band_names, municipality, config=config, year=year
            ).reset_index(names="score")
            refs["jaar"] = year
    trend_table = pd.concat(trend).rename(columns={"set": "niveau"}).reset_index(drop=True)
    return ZoneScores(latest, trend_table, refs)


def _incidents(
    ctx: BuildContext, out: ThemeOutput, b: Boundaries, regie: gpd.GeoDataFrame | None
) -> IncidentTables | None:
    """Suppressed incident tables per level, from the best source present."""
    config = ctx.config
    points_path = find_source(ctx.data_dir, "incidenten")
    police = sorted(
        p for p in ctx.data_dir.glob("politie*") if p.suffix.lower() in (".csv", ".json")
    )
    population = None
    if "aantal_inwoners" in b.buurten.columns:
        population = b.buurten.set_index("buurtcode")["aantal_inwoners"]
    points = load_incidents(points_path, buurten=b.buurten, config=config) if points_path else None
    points_are_sample = points is not None and bool(points["bron"].map(is_sample).all())
    # precedence: the municipality's own records > the police's open data > sample records
    source: pd.DataFrame
    if points is not None and not (points_are_sample and police):
        kind = SAMPLE if points_are_sample else REAL
        out.source("incidenten", points_path, _shown_total(len(points), config), kind)
        if police:
            out.notes.append(
                f"politiecijfers ({', '.join(p.name for p in police)}) niet gebruikt: "
                "de eigen incidentregistratie gaat voor"
            )
        source = points
    elif police:
        if points is not None:
            out.notes.append(
                f"voorbeeld-incidenten ({points_path}) niet gebruikt: er zijn politiecijfers"
            )
        source = _police_counts(police, b.buurten, config, out)
        out.source("incidenten", police[0], _shown_total(len(source), config), REAL)
    else:
        out.absent("incidenten")
        return None
    tables = incident_tables(
        source,
        buurten=b.buurten,
        wijken=b.wijken,
        regie=regie[["regie_id", "geometry"]] if regie is not None and len(regie) else None,
        config=config,
        buurt_population=population,
    )
    out.notes += list(tables.notes)
    for level in ("buurt", "wijk", "regie", "gemeente"):
        frame = getattr(tables, level)
        assert_no_small_counts(frame, config=config)  # final guard: nothing 1..4 leaves the build
        out.layers[f"incidenten_{level}"] = frame
    return tables


def _shown_total(n: int, config: LiveabilityConfig) -> int | None:
    """A record count for the build report; a small one is not published (None, shown "<5")."""
    return None if 1 <= n < config.threshold else n


def _police_counts(
    files: list[Path], buurten: gpd.GeoDataFrame, config: LiveabilityConfig, out: ThemeOutput
) -> pd.DataFrame:
    """Counts per buurt, year and category from every police file (yearly figure over months)."""
    long = pd.concat([load_police_table(p, config=config) for p in files], ignore_index=True)
    totals = police_yearly_totals(long, niveau="buurt")
    own = set(buurten["buurtcode"].astype(str))
    outside = ~totals["gebiedscode"].isin(own)
    if outside.any():
        out.notes.append(
            f"politiecijfers: {int(outside.sum())} rijen voor buurten die niet in deze grenzen "
            "voorkomen (andere gemeente of andere indeling) zijn niet meegeteld"
        )
    totals = totals[~outside]
    missing = totals["aantal"].isna()
    if missing.any():
        out.notes.append(
            f"politiecijfers: {int(missing.sum())} ontbrekende waarden ('.') zijn niet als 0 geteld "
            "maar weggelaten; totalen van die buurten en jaren zijn daardoor ondergrenzen"
        )
    if "volledig" in totals and not totals["volledig"].all():
        out.notes.append(
            "politiecijfers: voor sommige jaren ontbreken maanden; die jaartotalen zijn onvolledig"
        )
    totals = totals[~missing]
    return totals.rename(columns={"gebiedscode": "buurtcode"})[
        ["buurtcode", "jaar", "categorie", "aantal"]
    ]


def _buurt_layer(
    buurten: gpd.GeoDataFrame,
    per_buurt: pd.DataFrame | None,
    tables: IncidentTables | None,
    kind: str,
    config: LiveabilityConfig,
) -> tuple[gpd.GeoDataFrame, str | None]:
    """The ``leefbaarheid`` layer (scores, incidents of the latest period, priority) and formula."""
    base = buurten[["buurtcode", "buurtnaam", "wijkcode", "geometry"]].set_index("buurtcode")
    inputs = priority_inputs(
        per_buurt if per_buurt is not None else pd.DataFrame(index=base.index),
        tables.buurt if tables else None,
    )
    layer = base.join(inputs, how="left")
    if tables is not None:
        period = inputs["periode"].dropna().iloc[0] if inputs["periode"].notna().any() else None
        rows = tables.buurt[tables.buurt["periode"] == period].set_index("buurtcode")
        layer = layer.join(rows[[c for c in tables.categories if c in rows.columns]], how="left")
    formula = None
    if per_buurt is not None:
        prio = priority(inputs, config)
        formula = prio.attrs.get("formule")
        layer = layer.join(prio[_PRIORITY_COLUMNS])
    layer["bron_leefbaarometer"] = kind
    return gpd.GeoDataFrame(layer.reset_index(), geometry="geometry", crs=buurten.crs), formula


def _regie_layer(
    regie: gpd.GeoDataFrame, scores: ZoneScores | None, tables: IncidentTables | None
) -> gpd.GeoDataFrame:
    """Scores and the incident total of the whole period per regie area (suppressed as published)."""
    layer = regie[["regie_id", "naam", "geometry"]]
    if scores is not None:
        per = scores.latest["regiegebied"].rename(columns={"code": "regie_id"})
        layer = layer.merge(per, on="regie_id", how="left")
    if tables is not None:
        reg = tables.regie
        # the whole period, as in the buurt layer (a single year when there is only one)
        whole = reg.loc[reg["jaar"].isna(), "periode"]
        period = whole.iloc[0] if len(whole) else reg["periode"].max()
        totals = reg[reg["periode"] == period].set_index("regie_id")[["totaal"]]
        layer = layer.join(totals, on="regie_id")
    return gpd.GeoDataFrame(layer, geometry="geometry", crs=regie.crs)
