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

import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from wijkplan import catalogue
from wijkplan.analysis.incidents import IncidentTables, crime_tables, incident_tables
from wijkplan.analysis.liveability import (
    add_weak_band,
    class_numbers,
    liveability_per_zone,
    priority,
    priority_formula,
    priority_inputs,
    references,
    score_classes,
)
from wijkplan.analysis.privacy import assert_no_small_counts
from wijkplan.analysis.zonal import zonal_stats
from wijkplan.build.agreements import Agreements
from wijkplan.build.boundaries import Boundaries
from wijkplan.build.context import BuildContext, ThemeOutput, collect_warnings, kind_of
from wijkplan.build.rasters import leefbaarometer_to_geotiffs
from wijkplan.config import SCORE_COLUMNS, LiveabilityConfig
from wijkplan.errors import ValidationError
from wijkplan.report import ABSENT, REAL, SAMPLE
from wijkplan.settings import is_sample
from wijkplan.sources._io import find_source
from wijkplan.sources.incidents import load_incidents
from wijkplan.sources.leefbaarometer import (
    CELL,
    check_liveability_raster,
    find_leefbaarometer,
    find_leefbaarometer_areas,
    find_liveability_rasters,
    load_leefbaarometer,
    load_leefbaarometer_areas,
    load_leefbaarometer_cells,
    open_liveability_raster,
    raster_tags,
    warn_missing_cells,
)
from wijkplan.sources.police import CRIME_TOTAL, load_police_table, police_yearly_totals
from wijkplan.sources.statline import name_index

#: The sources whose sample data would make the priority sample data too.
_PRIORITY_SOURCES = ("leefbaarometer", "leefbaarometer_buurten", "incidenten")
#: Where a score comes from (column ``scorebron``).
GRID, AREA_FILE = "grid", "buurtbestand"
#: The zone sets summarised in one pass over each raster.
ZONE_SETS = ("buurt", "wijk", "complex", "regiegebied", "warmtegebied")
#: The zone sets whose scores per measurement year go into the trend table.
TREND_SETS = ("buurt", "wijk", "regiegebied", "warmtegebied")
#: Columns of the priority that go into the ``leefbaarheid`` layer (as the catalogue declares).
_PRIORITY_COLUMNS = [
    c.name
    for c in catalogue.layer("leefbaarheid").columns
    if c.name.startswith("c_") or c.name.startswith("incident") or c.name in ("prioriteit", "rang")
]


@dataclass
class LiveabilityTheme:
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


def build(ctx: BuildContext, boundaries: Boundaries, agreements: Agreements) -> LiveabilityTheme:
    """Liveability layers for the build (see the module docstring).

    Every source is attempted; problems are collected in ``ctx`` (raised by the build
    together with those of the other themes).
    """
    result = LiveabilityTheme()
    out = result.output
    b = boundaries
    regie = agreements.regiegebieden
    minx, miny, maxx, maxy = b.buurten.total_bounds
    # a national download is clipped to the municipality (plus a cell of margin)
    bounds = (minx - 100, miny - 100, maxx + 100, maxy + 100)
    found = ctx.attempt(partial(_rasters, ctx, out, bounds))
    result.rasters, kind = found if found is not None else ({}, ABSENT)
    scores = _zone_scores(result.rasters, b, agreements, ctx.config) if result.rasters else None
    official = _official_scores(ctx, out, b)
    official_kind = kind_of(official) if official is not None else ABSENT
    if official is not None:
        scores = _with_official(scores, official, ctx.config, same_kind=kind == official_kind)
    if scores is not None:
        out.layers["leefbaarheid_referentie"] = scores.references
        out.layers["leefbaarheid_trend"] = scores.trend
    police = _police(ctx, b)
    tables = _incidents(ctx, out, b, regie, police)
    crime = _crime(ctx, out, b, regie, police)
    if scores is None and tables is None and crime is None:
        return result
    per_buurt = scores.latest["buurt"].set_index("code") if scores else None
    kinds = {GRID: kind, AREA_FILE: official_kind}
    layer, result.formula = _buurt_layer(b.buurten, per_buurt, tables, crime, kinds, ctx.config)
    sample = sorted(s.name for s in out.sources if s.kind == SAMPLE and s.name in _PRIORITY_SOURCES)
    if result.formula and sample:
        result.formula += f"\nLet op: berekend met voorbeelddata ({', '.join(sample)})."
    out.layers["leefbaarheid"] = layer
    if scores is not None and b.complexen is not None and "complex" in scores.latest:
        cols = b.complexen[["complex_id", "corporatie", "naam", "buurtcode", "bron", "geometry"]]
        per = scores.latest["complex"].rename(columns={"code": "complex_id"})
        out.layers["leefbaarheid_complexen"] = gpd.GeoDataFrame(
            cols.merge(per, on="complex_id", how="left"), geometry="geometry", crs=cols.crs
        )
    if regie is not None and (scores is not None or tables is not None):
        # written even without regie areas (0 rows), as the catalogue promises with a ledger
        out.layers["leefbaarheid_regiegebieden"] = _regie_layer(regie, scores, tables)
    return result


def _rasters(
    ctx: BuildContext, out: ThemeOutput, bounds: tuple[float, float, float, float]
) -> tuple[dict[int, Path], str]:
    """The liveability GeoTIFF per year, and the kind of source (echt/voorbeelddata/afwezig)."""
    csv, cells = find_leefbaarometer(ctx.data_dir)
    if csv is not None:
        with collect_warnings(out):
            scores = load_leefbaarometer(csv)
            if cells is not None:
                warn_missing_cells(scores, load_leefbaarometer_cells(cells))
        _require_scores(csv, scores, bounds)
        kind = kind_of(scores)
        rasters = leefbaarometer_to_geotiffs(csv, ctx.staging, bounds=bounds, scores=scores)
        out.source("leefbaarometer", csv, int(scores["grid_id"].nunique()), kind)
        return rasters, kind
    found = find_liveability_rasters(ctx.data_dir)
    if not found:
        out.absent("leefbaarometer")
        return {}, ABSENT
    tifs = list(found.values())
    problems = []
    for tif in tifs:
        try:
            check_liveability_raster(tif, bounds=bounds, required=SCORE_COLUMNS)
        except ValidationError as exc:
            problems += exc.problems
    if problems:
        raise ValidationError(problems)
    kind = SAMPLE if all(is_sample(raster_tags(t).get("bron")) for t in tifs) else REAL
    out.source("leefbaarometer", tifs[0], len(tifs), kind)
    return found, kind


def _require_scores(
    csv: Path, scores: pd.DataFrame, bounds: tuple[float, float, float, float]
) -> None:
    """Refuse a scores file without a single score in the municipality (as for a GeoTIFF)."""
    minx, miny, maxx, maxy = bounds
    inside = (
        (scores["x"] < maxx)
        & (scores["x"] + CELL > minx)
        & (scores["y"] < maxy)
        & (scores["y"] + CELL > miny)
    )
    if not scores.loc[inside, list(SCORE_COLUMNS)].notna().to_numpy().any():
        raise ValidationError(
            [
                f"{csv}: geen enkele score binnen de gemeente: alle cellen daar zijn leeg of NA "
                "(of het bestand beslaat een ander gebied)"
            ]
        )


def _zones(b: Boundaries, areas: Agreements) -> tuple[gpd.GeoSeries, pd.DataFrame]:
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
    for name, frame, key in (
        ("regiegebied", areas.regiegebieden, "regie_id"),
        ("warmtegebied", areas.warmtegebieden, "gebied_id"),
    ):
        if frame is not None and len(frame):
            parts.append((name, frame[key], frame.geometry))
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
    areas: Agreements,
    config: LiveabilityConfig,
) -> ZoneScores:
    zones, keys = _zones(b, areas)
    trend = []
    latest_year = max(rasters)
    latest: dict[str, pd.DataFrame] = {}
    refs = pd.DataFrame()
    for year in sorted(rasters):
        r = open_liveability_raster(rasters[year])
        data, names = add_weak_band(r.data, r.band_names, config)
        stats = zonal_stats(zones, data, r.transform, crs=r.crs, band_names=names)
        per = liveability_per_zone(stats, config)
        per["scorebron"] = GRID
        per.insert(0, "jaar", year)
        per.insert(0, "code", keys["code"].to_numpy())
        per.insert(0, "set", keys["set"].to_numpy())
        trend.append(per[per["set"].isin(TREND_SETS)])
        if year == latest_year:
            latest = {s: per[per["set"] == s].drop(columns="set") for s in ZONE_SETS}
            municipality = b.buurten.geometry.union_all()
            refs = references(  # the weak band too: the municipal share in weak classes
                data, r.transform, names, municipality, config=config, year=year
            ).reset_index(names="score")
            refs["jaar"] = year
    trend_table = pd.concat(trend).rename(columns={"set": "niveau"}).reset_index(drop=True)
    return ZoneScores(latest, trend_table, refs)


@dataclass
class PoliceCounts:
    """Known counts per buurt and year, and the buurt-years that are unknown or partial."""

    counts: pd.DataFrame
    missing: set[tuple[str, int]]
    partial: set[tuple[str, int]]


@dataclass
class PoliceData:
    """The police tables in the data folder, in long form, and the files they came from."""

    long: pd.DataFrame
    #: the file each row came from
    files: pd.Series

    def files_with(self, *, total: bool) -> list[Path]:
        """The files that hold the crime total (``total``) or category counts."""
        rows = self.long["soort"] == CRIME_TOTAL if total else self.long["categorie"].notna()
        return [Path(p) for p in dict.fromkeys(self.files[rows.to_numpy()])]

    def totals(self, buurten: gpd.GeoDataFrame, out: ThemeOutput, *, total: bool) -> PoliceCounts:
        """Counts per buurt and year: the categories, or (``total``) all crime together.

        A missing value ('.', null) is not a zero: that buurt-year is unknown; a year with
        months missing is a lower bound. Both are kept apart so the tables can say so.
        """
        totals = police_yearly_totals(self.long, niveau="buurt", total=total)
        own = set(buurten["buurtcode"].astype(str))
        outside = ~totals["gebiedscode"].isin(own)
        what = "misdrijfcijfers" if total else "politiecijfers per soort"
        if outside.any():
            files = ", ".join(str(p) for p in self.files_with(total=total))
            codes = sorted({str(c) for c in totals.loc[outside, "gebiedscode"]})
            shown = ", ".join(codes[:5]) + (f" en nog {len(codes) - 5}" if len(codes) > 5 else "")
            out.notes.append(
                f"{files}: {what}: {int(outside.sum())} rijen voor buurten die niet in deze "
                f"grenzen voorkomen (andere gemeente of andere indeling) zijn niet meegeteld: "
                f"{shown}"
            )
        totals = totals[~outside].rename(columns={"gebiedscode": "buurtcode"})
        absent = totals["aantal"].isna()
        pairs = {(str(b), int(y)) for b, y in zip(totals["buurtcode"], totals["jaar"], strict=True)}
        missing = {
            (str(b), int(y)) for b, y in totals.loc[absent, ["buurtcode", "jaar"]].to_numpy()
        }
        partial = {
            (str(b), int(y))
            for b, y in totals.loc[~totals["volledig"] & ~absent, ["buurtcode", "jaar"]].to_numpy()
        }
        if missing:
            out.notes.append(
                f"{what}: {len(missing)} ontbrekende waarden ('.') zijn niet als 0 geteld; die "
                "buurten en jaren staan als onbekend, en de totalen erboven als onvolledig"
            )
        if partial:
            out.notes.append(
                f"{what}: voor {len(partial)} buurten en jaren ontbreken maanden; die jaartotalen "
                "staan als onvolledig (ondergrens)"
            )
        counts = totals[~absent][["buurtcode", "jaar", "categorie", "aantal"]]
        return PoliceCounts(counts, missing & pairs, partial)

    @property
    def label(self) -> str:
        tables = sorted(set(self.long["tabel"]))
        years = sorted(set(self.long["jaar"]))
        span = f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"
        return f"Politie, open data via CBS ({', '.join(tables)}), {span}"


def _official_scores(ctx: BuildContext, out: ThemeOutput, b: Boundaries) -> pd.DataFrame | None:
    """The Leefbaarometer's own buurt scores (its per-buurt file), for the buurten built."""
    path = find_leefbaarometer_areas(ctx.data_dir)
    if path is None:
        return None
    with collect_warnings(out):
        scores = ctx.attempt(partial(load_leefbaarometer_areas, path))
    if scores is None:
        return None
    own = scores["buurtcode"].isin(set(b.buurten["buurtcode"].astype(str)))
    missing = set(b.buurten["buurtcode"]) - set(scores.loc[own, "buurtcode"])
    if missing:
        out.notes.append(
            f"{path.name}: {len(missing)} buurten zonder officiële buurtscore (andere indeling, "
            "of te weinig woningen); daar geldt de score uit het grid"
        )
    scores = scores[own]
    kind = kind_of(scores)
    years = sorted(set(scores["jaar"]))
    out.source(
        "leefbaarometer_buurten",
        path,
        int(scores["buurtcode"].nunique()),
        kind,
        f"Leefbaarometer 3.x, scores per buurt {years[0]}-{years[-1]}" if years else None,
    )
    return scores


def _with_official(
    scores: ZoneScores | None,
    official: pd.DataFrame,
    config: LiveabilityConfig,
    *,
    same_kind: bool,
) -> ZoneScores:
    """Buurt scores from the Leefbaarometer's own buurt file where it has them.

    The weak-class share, cells and coverage come from the grid (the buurt file has
    none), but only when grid and buurt file are of one kind: a real score never sits
    beside a sample share. Complexes, wijken and regie areas keep their grid scores.
    Every row says where its score comes from (``scorebron``).
    """
    table = official[official["afw"].notna()].copy()
    table["klasse"] = score_classes(table[config.class_variable], config).astype(object)
    table["klasse_nr"] = class_numbers(table[config.class_variable], config)
    table["scorebron"] = AREA_FILE
    table = table.rename(columns={"buurtcode": "code"}).drop(columns="bron")
    grid_only = ["aandeel_zwak", "cellen", "dekking", "betrouwbaar"]
    if scores is None:
        latest_year = int(table["jaar"].max())
        latest = table[table["jaar"] == latest_year].assign(
            aandeel_zwak=np.nan, cellen=np.nan, dekking=np.nan, betrouwbaar=True
        )
        trend = table.assign(niveau="buurt", aandeel_zwak=np.nan, cellen=np.nan, dekking=np.nan)
        trend["betrouwbaar"] = True
        empty = pd.DataFrame(columns=["score", "gemeente", "nederland", "jaar"])
        return ZoneScores({"buurt": latest.reset_index(drop=True)}, _order(trend), empty)
    grid_buurt = scores.latest["buurt"].set_index("code")
    latest_year = int(grid_buurt["jaar"].max())
    own = table[table["jaar"] == latest_year].set_index("code")
    official = own.index.intersection(grid_buurt.index)
    merged = grid_buurt.copy()
    for col in ("klasse", "scorebron"):
        merged[col] = merged[col].astype(object)
    for col in [*SCORE_COLUMNS, "klasse", "klasse_nr", "scorebron"]:
        merged.loc[official, col] = own.loc[official, col]
    if not same_kind:
        merged.loc[official, ["aandeel_zwak", "cellen", "dekking"]] = np.nan
        merged.loc[official, "betrouwbaar"] = True
    merged["klasse_nr"] = merged["klasse_nr"].astype("Int64")
    latest = dict(scores.latest)
    latest["buurt"] = merged.reset_index()
    # one source per buurt in the trend too: a buurt with an official score has only official years
    trend = scores.trend
    grid_trend = trend[trend["niveau"] == "buurt"].set_index(["code", "jaar"])
    official_trend = table[table["code"].isin(official)].set_index(["code", "jaar"])
    extra = grid_trend[grid_only].reindex(official_trend.index)
    if not same_kind:
        extra = extra.assign(aandeel_zwak=np.nan, cellen=np.nan, dekking=np.nan, betrouwbaar=True)
    official_trend = official_trend.join(extra)
    official_trend = official_trend.assign(niveau="buurt").reset_index()
    kept = trend[(trend["niveau"] != "buurt") | ~trend["code"].isin(official)]
    both = pd.concat([kept, official_trend], ignore_index=True)
    return ZoneScores(latest, _order(both), scores.references)


def _order(trend: pd.DataFrame) -> pd.DataFrame:
    """The trend table's columns in the catalogue's order, sorted by level, area and year."""
    columns = [c.name for c in catalogue.layer("leefbaarheid_trend").columns]
    trend = trend.assign(betrouwbaar=trend["betrouwbaar"].fillna(False).astype(bool))
    return trend[columns].sort_values(["niveau", "code", "jaar"]).reset_index(drop=True)


def _police(ctx: BuildContext, b: Boundaries) -> PoliceData | None:
    """Every police table in the data folder (found by its columns), read once."""
    tables = ctx.tables("politie")
    if not tables:
        return None
    names = name_index(
        (b.buurten, "buurtcode", "buurtnaam"),
        (b.wijken, "wijkcode", "wijknaam"),
        (b.buurten, "gemeentecode", "gemeentenaam"),
    )
    frames = [
        (t.path, ctx.attempt(partial(load_police_table, t, config=ctx.config, names=names)))
        for t in tables
    ]
    loaded = [(path, f) for path, f in frames if f is not None]
    if not loaded:
        return None
    long = pd.concat([f for _, f in loaded], ignore_index=True)
    files = pd.Series([str(path) for path, f in loaded for _ in range(len(f))])
    keys = ["gebiedscode", "soort", "jaar", "periodetype", "periodenummer", "tabel"]
    twice = long.duplicated(keys, keep=False)
    if twice.any():
        first = long[twice].drop_duplicates(keys).iloc[0]
        doubled = sorted({Path(p).name for p in files[twice.to_numpy()]})
        ctx.problems.append(
            f"{ctx.data_dir}: dezelfde politiecijfers staan in {' en '.join(doubled)} "
            f"(bijv. {first['gebiedscode']} {first['soort']} {first['jaar']}); laat er één "
            "staan, anders tellen ze dubbel"
        )
        return None
    return PoliceData(long, files)


def _population(b: Boundaries) -> tuple[pd.Series | None, str]:
    """Inhabitants per buurt (CBS) for rates per 1,000, and where they come from."""
    if "aantal_inwoners" not in b.buurten.columns:
        return None, ""
    frame = b.buurten.set_index("buurtcode")
    labels = {
        catalogue.parse_pairs(text).get("aantal_inwoners")
        for text in frame.get("kerncijfers_bron", [])
    } - {None}
    return frame["aantal_inwoners"], "; ".join(sorted(str(v) for v in labels)) or "CBS"


def _publish(
    out: ThemeOutput, prefix: str, tables: IncidentTables, config: LiveabilityConfig
) -> None:
    out.notes += list(tables.notes)
    for level in ("buurt", "wijk", "regie", "gemeente"):
        frame = getattr(tables, level)
        assert_no_small_counts(frame, config=config)  # final guard: nothing 1..4 leaves the build
        out.layers[f"{prefix}_{level}"] = frame


def _regie_zones(regie: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
    return regie[["regie_id", "geometry"]] if regie is not None and len(regie) else None


def _incidents(
    ctx: BuildContext,
    out: ThemeOutput,
    b: Boundaries,
    regie: gpd.GeoDataFrame | None,
    police: PoliceData | None,
) -> IncidentTables | None:
    """CountSeries per liveability category, from the best source present.

    Precedence: the municipality's own records, then the police tables' categories
    (codes mapped in the config), then sample records. The police's crime total is not
    an incident category: it is published apart (:func:`_crime`).
    """
    config = ctx.config
    points_path = find_source(ctx.data_dir, "incidenten")
    points = (
        ctx.attempt(partial(load_incidents, points_path, buurten=b.buurten, config=config))
        if points_path
        else None
    )
    points_are_sample = points is not None and kind_of(points) == SAMPLE
    by_category = police.totals(b.buurten, out, total=False) if police else None
    has_police = by_category is not None and len(by_category.counts) > 0
    source: pd.DataFrame
    if points is not None and not (points_are_sample and has_police):
        kind = SAMPLE if points_are_sample else REAL
        out.source("incidenten", points_path, _shown_total(len(points), config), kind)
        if has_police:
            out.notes.append(
                "politiecijfers per soort niet gebruikt voor de incidenten: de eigen "
                "incidentregistratie gaat voor"
            )
        source = points
    elif has_police:
        assert police is not None and by_category is not None
        if points is not None:
            out.notes.append(
                f"voorbeeld-incidenten ({points_path}) niet gebruikt: er zijn politiecijfers per soort"
            )
        source = by_category.counts
        out.source(
            "incidenten",
            police.files_with(total=False)[0],
            _shown_total(len(source), config),
            REAL,
            police.label,
        )
    else:
        out.absent("incidenten")
        return None
    population, label = _population(b)
    police_gaps = by_category if has_police and source is not points else None
    tables = incident_tables(
        source,
        buurten=b.buurten,
        wijken=b.wijken,
        regie=_regie_zones(regie),
        config=config,
        buurt_population=population,
        population_label=label,
        missing=police_gaps.missing if police_gaps else (),
        partial=police_gaps.partial if police_gaps else (),
    )
    _publish(out, "incidenten", tables, config)
    return tables


def _crime(
    ctx: BuildContext,
    out: ThemeOutput,
    b: Boundaries,
    regie: gpd.GeoDataFrame | None,
    police: PoliceData | None,
) -> IncidentTables | None:
    """Registered crime in total (the police's 0.0.0) per area and year: real figures, apart."""
    found = police.totals(b.buurten, out, total=True) if police else None
    if police is None or found is None or not (len(found.counts) or found.missing):
        if police is not None and police.files_with(total=True):
            out.notes.append("misdrijfcijfers: geen rijen voor de buurten van deze gemeente")
        out.absent("misdrijven")
        return None
    totals = found.counts
    population, label = _population(b)
    tables = crime_tables(
        totals,
        buurten=b.buurten,
        wijken=b.wijken,
        regie=_regie_zones(regie),
        config=ctx.config,
        buurt_population=population,
        population_label=label,
        missing=found.missing,
        partial=found.partial,
    )
    _publish(out, "misdrijven", tables, ctx.config)
    years = sorted({int(y) for y in totals["jaar"]} | {y for _, y in found.missing})
    pop_years = sorted(set(re.findall(r"(?:19|20)\d\d", label)))
    if population is not None and pop_years and {str(y) for y in years} != set(pop_years):
        out.notes.append(
            f"misdrijven {', '.join(map(str, years))} per 1.000 inwoners gerekend met de inwoners "
            f"van {', '.join(pop_years)} ({label}): een ander jaar"
        )
    out.source(
        "misdrijven",
        police.files[0],
        _shown_total(int(totals["aantal"].sum()), ctx.config),
        REAL,
        police.label,
    )
    return tables


def _shown_total(n: int, config: LiveabilityConfig) -> int | None:
    """A record count for the build report; a small one is not published (None, shown "<5")."""
    return None if 1 <= n < config.threshold else n


def _buurt_layer(
    buurten: gpd.GeoDataFrame,
    per_buurt: pd.DataFrame | None,
    tables: IncidentTables | None,
    crime: IncidentTables | None,
    kinds: dict[str, str],
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
        formula = priority_formula(config, incident_measure=str(prio["incidentmaat"].iloc[0]))
        layer = layer.join(prio[_PRIORITY_COLUMNS])
    if crime is not None:
        latest = crime.buurt[crime.buurt["jaar"] == crime.buurt["jaar"].max()]
        rows = latest.set_index("buurtcode")
        rows = rows.assign(totaal=rows["totaal"].where(rows["volledig"]))  # no lower bounds here
        layer["misdrijven"] = rows["totaal"].reindex(layer.index)
        layer["misdrijven_per_1000"] = rows["per_1000_totaal"].reindex(layer.index)
        layer["misdrijven_jaar"] = rows["jaar"].reindex(layer.index).astype("Int64")
    if "scorebron" in layer:  # the kind of the source behind each buurt's score
        layer["bron_leefbaarometer"] = layer["scorebron"].map(kinds).fillna(kinds[GRID])
    else:
        layer["bron_leefbaarometer"] = kinds[GRID]
    return gpd.GeoDataFrame(layer.reset_index(), geometry="geometry", crs=buurten.crs), formula


def _regie_layer(
    regie: gpd.GeoDataFrame, scores: ZoneScores | None, tables: IncidentTables | None
) -> gpd.GeoDataFrame:
    """Scores and the incident total of the whole period per regie area (suppressed as published)."""
    layer = regie[["regie_id", "naam", "geometry"]]
    if scores is not None and "regiegebied" in scores.latest:
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
