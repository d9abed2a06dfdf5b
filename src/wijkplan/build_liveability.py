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
from wijkplan.sources.incidenten import load_incidenten, load_politie, politie_jaartotalen
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


@dataclass
class LiveabilityResult:
    """Layers, report entries and notes of the liveability sources."""

    layers: dict[str, pd.DataFrame] = field(default_factory=dict)
    sources: list[tuple[str, Path | None, str, int | None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rasters: dict[int, Path] = field(default_factory=dict)
    formula: str | None = None


def _rasters(
    data_dir: Path,
    staging: Path,
    result: LiveabilityResult,
    bounds: tuple[float, float, float, float],
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
        # a national download is clipped to the municipality (plus a cell of margin)
        rasters = leefbaarometer_to_geotiffs(csv, staging, bounds=bounds)
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
        candidates = [tags.get("jaar", ""), *re.findall(r"(?:19|20)\d\d", tif.stem)]
        year = next(
            (c.strip() for c in candidates if re.fullmatch(r"\s*(?:19|20)\d\d\s*", c)), None
        )
        if year is None:
            problems.append(
                f"{tif}: meetjaar onbekend (tag 'jaar' {tags.get('jaar')!r} en geen jaartal in de bestandsnaam)"
            )
            continue
        if int(year) in found:
            problems.append(f"{tif}: meetjaar {year} komt ook voor in {found[int(year)].name}")
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
        # a complex delivered as a point gets the value of the cell under it: a 1 m square
        # around the point lies in that cell (or is weighted over the cells it touches)
        geoms = complexen.geometry
        points = geoms.geom_type.isin(["Point", "MultiPoint"]).to_numpy()
        geoms = gpd.GeoSeries(
            np.where(points, geoms.buffer(0.5, cap_style="square").to_numpy(), geoms.to_numpy()),
            crs=complexen.crs,
        )
        parts.append(("complex", complexen["complex_id"], geoms))
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
    minx, miny, maxx, maxy = buurten.total_bounds
    rasters, kind = _rasters(
        data_dir, staging, result, (minx - 100, miny - 100, maxx + 100, maxy + 100)
    )
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
    points = load_incidenten(points_path, buurten=buurten, config=config) if points_path else None
    points_are_sample = points is not None and bool(points["bron"].map(is_sample).all())
    # precedence: the municipality's own records > the police's open data > sample records
    source: pd.DataFrame
    if points is not None and not (points_are_sample and police):
        kind = "voorbeelddata" if points_are_sample else "echt"
        result.sources.append(("incidenten", points_path, kind, _shown_total(len(points), config)))
        if police:
            result.notes.append(
                f"politiecijfers ({', '.join(p.name for p in police)}) niet gebruikt: "
                "de eigen incidentregistratie gaat voor"
            )
        source = points
    elif police:
        if points is not None:
            result.notes.append(
                f"voorbeeld-incidenten ({points_path}) niet gebruikt: er zijn politiecijfers"
            )
        source = _police_counts(police, buurten, config, result)
        result.sources.append(("incidenten", police[0], "echt", _shown_total(len(source), config)))
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


def _shown_total(n: int, config: LeefbaarheidConfig) -> int | None:
    """A record count for the build report; a small one is not published (None, shown "<5")."""
    return None if 1 <= n < config.threshold else n


def _police_counts(
    files: list[Path],
    buurten: gpd.GeoDataFrame,
    config: LeefbaarheidConfig,
    result: LiveabilityResult,
) -> pd.DataFrame:
    """Counts per buurt, year and category from every police file (yearly figure over months)."""
    long = pd.concat([load_politie(p, config=config) for p in files], ignore_index=True)
    totals = politie_jaartotalen(long, niveau="buurt")
    own = set(buurten["buurtcode"].astype(str))
    outside = ~totals["gebiedscode"].isin(own)
    if outside.any():
        result.notes.append(
            f"politiecijfers: {int(outside.sum())} rijen voor buurten die niet in deze grenzen "
            "voorkomen (andere gemeente of andere indeling) zijn niet meegeteld"
        )
    totals = totals[~outside]
    missing = totals["aantal"].isna()
    if missing.any():
        result.notes.append(
            f"politiecijfers: {int(missing.sum())} ontbrekende waarden ('.') zijn niet als 0 geteld "
            "maar weggelaten; totalen van die buurten en jaren zijn daardoor ondergrenzen"
        )
    if "volledig" in totals and not totals["volledig"].all():
        result.notes.append(
            "politiecijfers: voor sommige jaren ontbreken maanden; die jaartotalen zijn onvolledig"
        )
    totals = totals[~missing]
    return totals.rename(columns={"gebiedscode": "buurtcode"})[
        ["buurtcode", "jaar", "categorie", "aantal"]
    ]


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
