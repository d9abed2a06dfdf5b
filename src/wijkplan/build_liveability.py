"""The liveability part of the build: grid scores and incidents to layers.

Sources in the data folder (each optional; absent sources are reported, never invented):

- the Leefbaarometer scores CSV (plus its cell GeoPackage), converted to one
  aligned GeoTIFF per measurement year; or GeoTIFFs a user already has
  (``leefbaarometer*.tif``), read directly;
- the municipality's incident points (``incidenten.*``), or else the police
  open-data table (``politie*.csv`` / ``.json``).

Each raster is read once and summarised over buurten, complexes and regie areas
together. Incident point records never leave this module: only suppressed
aggregate tables are returned.
"""

from __future__ import annotations

import re
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
from wijkplan.config import LeefbaarheidConfig, load_config
from wijkplan.errors import ValidationError
from wijkplan.settings import is_sample
from wijkplan.sources._io import find_source
from wijkplan.sources.incidenten import load_incidenten, load_politie
from wijkplan.sources.leefbaarometer import (
    CellsWarning,
    find_leefbaarometer,
    leefbaarometer_to_geotiffs,
    load_leefbaarometer,
    load_leefbaarometer_cells,
    open_liveability_raster,
    raster_tags,
    warn_missing_cells,
)

#: Zone sets summarised together (one raster read per year).
ZONE_SETS = ("buurt", "wijk", "complex", "regiegebied")


@dataclass
class LiveabilityResult:
    """Layers, report entries and notes of the liveability sources."""

    layers: dict[str, pd.DataFrame] = field(default_factory=dict)
    sources: list[tuple[str, Path | None, str, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rasters: dict[int, Path] = field(default_factory=dict)
    formula: str | None = None


def _rasters(
    data_dir: Path, staging: Path, result: LiveabilityResult
) -> tuple[dict[int, Path], str]:
    """The liveability GeoTIFF per year, and the kind of source (echt/voorbeelddata)."""
    csv, cells = find_leefbaarometer(data_dir)
    if csv is not None:
        scores = load_leefbaarometer(csv)
        if cells is not None:
            grid = load_leefbaarometer_cells(cells)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", CellsWarning)
                missing = warn_missing_cells(scores, grid)
            if missing:
                result.notes += [str(w.message) for w in caught] or [
                    f"{csv}: {missing} cellen zonder geometrie"
                ]
        kind = (
            "voorbeelddata" if "bron" in scores and scores["bron"].map(is_sample).all() else "echt"
        )
        rasters = leefbaarometer_to_geotiffs(csv, staging)
        result.sources.append(("leefbaarometer", csv, kind, int(scores["grid_id"].nunique())))
        return rasters, kind
    tifs = sorted(data_dir.glob("leefbaarometer*.tif"))
    if not tifs:
        result.sources.append(("leefbaarometer", None, "afwezig", 0))
        return {}, "afwezig"
    found: dict[int, Path] = {}
    problems = []
    for tif in tifs:
        tags = raster_tags(tif)
        year = tags.get("jaar") or next(iter(re.findall(r"(?:19|20)\d\d", tif.stem)), None)
        if year is None:
            problems.append(
                f"{tif}: meetjaar onbekend (geen tag 'jaar' en geen jaartal in de bestandsnaam)"
            )
            continue
        found[int(year)] = tif
    if problems:
        raise ValidationError(problems)
    kind = "voorbeelddata" if all(is_sample(raster_tags(t).get("bron")) for t in tifs) else "echt"
    result.sources.append(("leefbaarometer", tifs[0], kind, len(tifs)))
    return found, kind


def _zones(
    buurten: gpd.GeoDataFrame,
    wijken: gpd.GeoDataFrame,
    complexen: gpd.GeoDataFrame | None,
    regie: gpd.GeoDataFrame | None,
) -> tuple[gpd.GeoSeries, pd.DataFrame]:
    """All zones in one GeoSeries, with a key frame (set, code) to split the results."""
    parts = [
        ("buurt", buurten["buurtcode"], buurten.geometry),
        ("wijk", wijken["wijkcode"], wijken.geometry),
    ]
    if complexen is not None and len(complexen):
        parts.append(("complex", complexen["complex_id"], complexen.geometry))
    if regie is not None and len(regie):
        parts.append(("regiegebied", regie["regie_id"], regie.geometry))
    keys = pd.DataFrame(
        {
            "set": np.concatenate([[s] * len(c) for s, c, _ in parts]),
            "code": np.concatenate([c.astype(str).to_numpy() for _, c, _ in parts]),
        }
    )
    geoms = gpd.GeoSeries(np.concatenate([g.to_numpy() for _, _, g in parts]), crs=buurten.crs)
    return geoms, keys


def collect_liveability(
    data_dir: Path,
    staging: Path,
    *,
    buurten: gpd.GeoDataFrame,
    wijken: gpd.GeoDataFrame,
    complexen: gpd.GeoDataFrame | None,
    regiegebieden: gpd.GeoDataFrame | None,
    config: LeefbaarheidConfig | None = None,
) -> LiveabilityResult:
    """Liveability layers for the build (see the module docstring)."""
    config = config or load_config()
    result = LiveabilityResult()
    rasters, kind = _rasters(data_dir, staging, result)
    result.rasters = rasters
    per_buurt: pd.DataFrame | None = None
    if rasters:
        zones, keys = _zones(buurten, wijken, complexen, regiegebieden)
        trend = []
        latest = max(rasters)
        for year in sorted(rasters):
            r = open_liveability_raster(rasters[year])
            data, names = add_weak_band(r.data, r.band_names, config)
            stats = zonal_stats(zones, data, r.transform, crs=r.crs, band_names=names)
            per = liveability_per_zone(stats, config)
            per.insert(0, "code", keys["code"].to_numpy())
            per.insert(0, "set", keys["set"].to_numpy())
            per.insert(2, "jaar", year)
            trend.append(per[per["set"].isin(["buurt", "wijk", "regiegebied"])])
            if year == latest:
                municipality = buurten.geometry.union_all()
                refs = references(
                    r.data, r.transform, r.band_names, municipality, config=config, year=year
                )
                result.layers["leefbaarheid_referentie"] = refs.reset_index(names="score").assign(
                    jaar=year
                )
                per_buurt = (
                    per[per["set"] == "buurt"]
                    .drop(columns="set")
                    .rename(columns={"code": "buurtcode"})
                )
                result.layers["_complex"] = (
                    per[per["set"] == "complex"]
                    .drop(columns="set")
                    .rename(columns={"code": "complex_id"})
                )
                result.layers["_regie"] = (
                    per[per["set"] == "regiegebied"]
                    .drop(columns="set")
                    .rename(columns={"code": "regie_id"})
                )
        result.layers["leefbaarheid_trend"] = (
            pd.concat(trend).rename(columns={"set": "niveau"}).reset_index(drop=True)
        )
    tables = _incidents(
        data_dir, result, buurten=buurten, wijken=wijken, regie=regiegebieden, config=config
    )
    _assemble(result, buurten, complexen, regiegebieden, per_buurt, tables, kind, config)
    return result


def _incidents(
    data_dir: Path,
    result: LiveabilityResult,
    *,
    buurten: gpd.GeoDataFrame,
    wijken: gpd.GeoDataFrame,
    regie: gpd.GeoDataFrame | None,
    config: LeefbaarheidConfig,
) -> IncidentTables | None:
    points_path = find_source(data_dir, "incidenten")
    police = sorted(p for p in data_dir.glob("politie*") if p.suffix.lower() in (".csv", ".json"))
    population = None
    if "aantal_inwoners" in buurten.columns:
        population = buurten.set_index("buurtcode")["aantal_inwoners"]
    if points_path is not None:
        points = load_incidenten(points_path, buurten=buurten, config=config)
        kind = "voorbeelddata" if points["bron"].map(is_sample).all() else "echt"
        result.sources.append(("incidenten", points_path, kind, len(points)))
        if police:
            result.notes.append(
                f"politiecijfers ({police[0].name}) niet gebruikt: de eigen incidentregistratie gaat voor"
            )
        source = points
    elif police:
        counts = load_politie(police[0], config=config)
        counts = counts[counts["niveau"] == "buurt"] if "niveau" in counts.columns else counts
        result.sources.append(("incidenten", police[0], "echt", len(counts)))
        source = counts
    else:
        result.sources.append(("incidenten", None, "afwezig", 0))
        return None
    regie_arg = regie[["regie_id", "geometry"]] if regie is not None and len(regie) else None
    tables = incident_tables(
        source,
        buurten=buurten,
        wijken=wijken,
        regie=regie_arg,
        config=config,
        buurt_population=population,
    )
    result.notes += list(tables.notes)
    for level in ("buurt", "wijk", "regie", "gemeente"):
        frame = getattr(tables, level)
        assert_no_small_counts(frame, config=config)  # final guard: nothing 1..4 leaves the build
        result.layers[f"incidenten_{level}"] = frame
    return tables


def _assemble(
    result: LiveabilityResult,
    buurten: gpd.GeoDataFrame,
    complexen: gpd.GeoDataFrame | None,
    regie: gpd.GeoDataFrame | None,
    per_buurt: pd.DataFrame | None,
    tables: IncidentTables | None,
    kind: str,
    config: LeefbaarheidConfig,
) -> None:
    """The spatial layers leefbaarheid (per buurt), and the complex and regie figures."""
    if per_buurt is None and tables is None:
        return
    base = buurten[["buurtcode", "buurtnaam", "wijkcode", "geometry"]].set_index("buurtcode")
    inputs = priority_inputs(
        per_buurt if per_buurt is not None else pd.DataFrame(index=base.index),
        tables.buurt if tables else None,
    )
    layer = base.join(
        inputs.drop(columns=[c for c in ("geometry",) if c in inputs.columns]), how="left"
    )
    if tables is not None:
        period = (
            inputs["periode"].dropna().iloc[0]
            if "periode" in inputs and inputs["periode"].notna().any()
            else None
        )
        cats = [c for c in tables.categories]
        rows = tables.buurt[tables.buurt["periode"] == period].set_index("buurtcode")
        layer = layer.join(rows[[c for c in cats if c in rows.columns]], how="left")
    if per_buurt is not None:
        prio = priority(inputs, config)
        result.formula = prio.attrs.get("formule")
        layer = layer.join(
            prio[
                [
                    "c_lage_score",
                    "c_aandeel_zwak",
                    "c_incidenten",
                    "incidentmaat",
                    "incidenten_waarde",
                    "incidenten_geschat",
                    "prioriteit",
                    "rang",
                ]
            ]
        )
    layer["bron_leefbaarometer"] = kind
    out = gpd.GeoDataFrame(layer.reset_index(), geometry="geometry", crs=buurten.crs)
    result.layers["leefbaarheid"] = out
    if "_complex" in result.layers and complexen is not None:
        c = result.layers.pop("_complex")
        cols = complexen[["complex_id", "corporatie", "naam", "buurtcode", "bron", "geometry"]]
        result.layers["leefbaarheid_complexen"] = gpd.GeoDataFrame(
            cols.merge(c, on="complex_id", how="left"), geometry="geometry", crs=complexen.crs
        )
    result.layers.pop("_complex", None)
    if "_regie" in result.layers and regie is not None:
        r = result.layers.pop("_regie")
        merged = regie[["regie_id", "naam", "geometry"]].merge(r, on="regie_id", how="left")
        if tables is not None and len(tables.regie):
            reg = tables.regie
            period = reg.loc[reg["jaar"].isna(), "periode"]
            if len(period):
                totals = (
                    reg[reg["periode"] == period.iloc[0]].set_index("regie_id")
                    if "regie_id" in reg
                    else None
                )
                if totals is not None:
                    merged = merged.join(totals[["totaal"]], on="regie_id")
        result.layers["leefbaarheid_regiegebieden"] = gpd.GeoDataFrame(
            merged, geometry="geometry", crs=regie.crs
        )
    result.layers.pop("_regie", None)
