"""Incident counts and rates per buurt, wijk, regie area and municipality, per year.

Pure functions. The input is either the validated incident points
(:func:`wijkplan.sources.incidents.load_incidents`: ``jaar``, ``categorie``,
``buurtcode``, point) or counts per buurt (``buurtcode``/``gebiedscode``,
``jaar``, ``categorie``, ``aantal``, e.g. from
:func:`wijkplan.sources.incidents.police_yearly_totals`). The output is
aggregated tables only, already suppressed (:mod:`wijkplan.analysis.privacy`):
no point, date or location of a single incident leaves this module.

Each table is wide, one row per area and period, with a column per category
plus ``totaal``. ``periode`` is a year ("2021") or the whole period
("2019-2024", ``jaar`` NA); rates of the whole period are yearly averages.

Rates per 1,000 inhabitants exist only where the population is known:

- wijk: the CBS kerncijfers column ``aantal_inwoners`` of the wijken (one year,
  used for every year; ``inwoners_jaar`` says which);
- gemeente: the sum over the wijken;
- buurt: only when the caller passes ``buurt_population``. The bundled boundary
  snapshot has no buurt population, so the rate is NaN and ``inwoners_bekend``
  is False: we never invent one;
- regie area: the sum over its buurten when it consists of whole buurten with a
  known population, else unknown.

``per_km2_totaal`` (incidents per km² of the area per year) is always given, as
the documented fallback measure where the population is unknown.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from wijkplan.analysis.privacy import TOTAL, assert_no_small_counts, suppress_counts
from wijkplan.config import LiveabilityConfig, load_config

__all__ = [
    "IncidentTables",
    "count_incidents",
    "crime_tables",
    "incident_tables",
    "regie_buurten",
]

_REGIE = "regie:"


@dataclass(frozen=True)
class IncidentTables:
    """The published (suppressed) incident tables, one per level, plus report figures."""

    buurt: pd.DataFrame
    wijk: pd.DataFrame
    regie: pd.DataFrame
    gemeente: pd.DataFrame
    categories: tuple[str, ...]
    years: tuple[int, ...]
    n_primary: int = 0
    n_complementary: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)


def regie_buurten(
    regie: gpd.GeoDataFrame, buurten: gpd.GeoDataFrame, *, tolerance: float = 0.01
) -> dict[str, list[str] | None]:
    """For each regie area the buurten it consists of, or None when it is not a union of buurten.

    A buurt belongs to the area when at least ``1 - tolerance`` of it lies inside;
    the area "consists of" those buurten when they also cover at least
    ``1 - tolerance`` of it. Generalised boundaries differ by a few metres, hence the tolerance.
    """
    out: dict[str, list[str] | None] = {}
    b_area = buurten.geometry.area.to_numpy()
    for rid, geom in zip(regie["regie_id"].astype(str), regie.geometry, strict=True):
        inter = buurten.geometry.intersection(geom).area.to_numpy()
        inside = inter >= (1 - tolerance) * np.maximum(b_area, 1e-9)
        covered = inter[inside].sum()
        ok = inside.any() and covered >= (1 - tolerance) * geom.area
        out[rid] = sorted(buurten["buurtcode"].astype(str)[inside]) if ok else None
    return out


def count_incidents(
    incidents: pd.DataFrame, *, by: str, categories: Sequence[str], years: Sequence[int]
) -> pd.DataFrame:
    """Long counts ``by, jaar, categorie, aantal`` (Int64) of point records, zeros omitted."""
    sub = incidents[
        incidents["jaar"].isin(list(years)) & incidents["categorie"].isin(list(categories))
    ]
    counts = sub.groupby([by, "jaar", "categorie"], sort=True).size().rename("aantal").reset_index()
    counts["aantal"] = counts["aantal"].astype("Int64")
    return counts


def _area_km2(geoms: gpd.GeoSeries) -> np.ndarray:
    return geoms.area.to_numpy() / 1e6


def incident_tables(
    incidents: pd.DataFrame,
    *,
    buurten: gpd.GeoDataFrame,
    wijken: gpd.GeoDataFrame | None = None,
    regie: gpd.GeoDataFrame | None = None,
    config: LiveabilityConfig | None = None,
    years: Sequence[int] | None = None,
    categories: Sequence[str] | None = None,
    buurt_population: Mapping[str, float] | pd.Series | None = None,
    population_label: str = "opgegeven",
    missing: Collection[tuple[str, int]] = (),
    partial: Collection[tuple[str, int]] = (),
) -> IncidentTables:
    """Suppressed incident counts and rates per buurt, wijk, regie area and gemeente.

    ``incidents`` holds points (with ``buurtcode``) or per-buurt counts (with an
    ``aantal`` column). ``years`` defaults to every year from the first to the last
    in the data; ``categories`` to the config vocabulary for points and to the
    categories present for counts. All levels are suppressed together, so a
    small buurt count cannot be recovered from its wijk, the municipality, a
    regie area made of whole buurten, the row total or the period total.

    ``missing`` (buurtcode, year) pairs have no value in the source: that buurt-year is
    published as unknown (NA) and every row that includes it is marked ``volledig=False``
    (its count a lower bound, its rates left out); ``partial`` pairs (a year with months
    missing) only mark the rows incomplete.
    """
    config = config or load_config()
    if buurten.crs is not None and buurten.crs.to_epsg() != 28992:
        raise ValueError("buurten must be in EPSG:28992 (use the loaders)")
    is_counts = "aantal" in incidents.columns
    data = incidents.rename(columns={"gebiedscode": "buurtcode"}) if is_counts else incidents
    if categories is None:
        present = set(data["categorie"].dropna().astype(str))
        categories = [c for c in config.categories if not is_counts or c in present]
    cats = tuple(categories)
    if years is None:
        ys = data["jaar"].dropna().astype(int)
        years = list(range(int(ys.min()), int(ys.max()) + 1)) if len(ys) else []
    yrs = tuple(int(y) for y in years)
    if not yrs:
        raise ValueError("no years to tabulate")
    codes = buurten["buurtcode"].astype(str)
    unknown_buurt = sorted(set(data["buurtcode"].dropna().astype(str)) - set(codes))
    if unknown_buurt:
        raise ValueError(
            f"incidents in buurten that are not in the boundaries: {unknown_buurt[:5]}"
        )
    notes: list[str] = []

    if is_counts:
        base = data[data["jaar"].isin(yrs) & data["categorie"].isin(cats)][
            ["buurtcode", "jaar", "categorie", "aantal"]
        ]
    else:
        base = count_incidents(data, by="buurtcode", categories=cats, years=yrs)
    wijk_of = dict(zip(codes, buurten["wijkcode"].astype(str), strict=True))
    gm = str(buurten["gemeentecode"].iloc[0])
    hierarchy: dict[str, list[str]] = {}
    for code, wk in wijk_of.items():
        hierarchy.setdefault(wk, []).append(code)
    hierarchy[gm] = sorted(hierarchy)
    counts = [base]
    regie_parts: dict[str, list[str] | None] = {}
    if regie is not None and len(regie):
        regie_parts = regie_buurten(regie, buurten)
        for rid, parts in regie_parts.items():
            key = _REGIE + rid
            if parts is not None:
                hierarchy[key] = parts
            elif not is_counts and "geometry" in data.columns:
                geom = regie.geometry[regie["regie_id"].astype(str) == rid].iloc[0]
                inside = data[data.geometry.intersects(geom)]
                own = count_incidents(inside.assign(_r=key), by="_r", categories=cats, years=yrs)
                counts.append(own.rename(columns={"_r": "buurtcode"}))
                counts.append(
                    pd.DataFrame(
                        {
                            "buurtcode": [key],
                            "jaar": [yrs[0]],
                            "categorie": [cats[0]],
                            "aantal": pd.array([0], dtype="Int64"),
                        }
                    )
                )
                notes.append(
                    f"regiegebied {rid} bestaat niet uit hele buurten: apart geteld en apart afgeschermd"
                )
            else:
                counts.append(
                    pd.DataFrame(
                        {
                            "buurtcode": [key],
                            "jaar": [yrs[0]],
                            "categorie": [cats[0]],
                            "aantal": pd.array([pd.NA], dtype="Int64"),
                        }
                    )
                )
                notes.append(
                    f"regiegebied {rid} bestaat niet uit hele buurten: geen cijfers uit tellingen per buurt"
                )
    long = pd.concat(counts, ignore_index=True)
    result = suppress_counts(
        long.rename(columns={"buurtcode": "gebied"}),
        area_col="gebied",
        categories=cats,
        years=yrs,
        hierarchy=hierarchy,
        threshold=config.threshold,
    )
    wide = result.table.pivot_table(
        index=["gebied", "periode"],
        columns="categorie",
        values="aantal",
        aggfunc="first",
        dropna=False,
        observed=True,
    )
    wide = wide.reindex(columns=[*cats, TOTAL]).astype("Int64").reset_index()
    wide.columns.name = None
    period_years = {str(y): 1 for y in yrs} | {f"{min(yrs)}-{max(yrs)}": len(yrs)}
    wide["jaar"] = pd.array(
        [int(p) if p.isdigit() else None for p in wide["periode"]], dtype="Int64"
    )
    wide["n_jaren"] = wide["periode"].map(period_years).astype("int64")

    # Population and area per level.
    pop_b = (
        pd.Series(buurt_population).astype("Float64").astype("float64")
        if buurt_population is not None
        else pd.Series(dtype="float64")
    )
    pop: dict[str, float] = {c: float(pop_b.get(c, np.nan)) for c in codes}
    pop_year: dict[str, str] = {c: population_label if c in pop_b.index else "" for c in codes}
    if buurt_population is None:
        notes.append(
            "geen inwonertal per buurt in de bronnen: per-1.000-cijfers per buurt ontbreken (NaN)"
        )
    area: dict[str, float] = dict(zip(codes, _area_km2(buurten.geometry), strict=True))
    wijk_geom = buurten.dissolve(by="wijkcode").geometry
    for wk in hierarchy:
        if wk.startswith("WK"):
            area[wk] = float(wijk_geom[wk].area / 1e6)
            pop[wk] = np.nan
    if wijken is not None and "aantal_inwoners" in wijken.columns:
        inw = pd.Series(
            pd.to_numeric(wijken["aantal_inwoners"], errors="coerce")
            .astype("Float64")
            .to_numpy(dtype="float64", na_value=np.nan)
        )
        inw = inw.where(inw >= 0)  # CBS sentinels (-99995/-99997) are unknown
        jaar = (
            wijken["jaar"].astype("string")
            if "jaar" in wijken.columns
            else pd.Series("", index=wijken.index)
        )
        for wk, n, j in zip(wijken["wijkcode"].astype(str), inw, jaar, strict=True):
            if wk in hierarchy:
                pop[wk] = float(n)
                pop_year[wk] = f"CBS {j}" if pd.notna(j) else "CBS"
    else:
        notes.append("geen wijken met aantal_inwoners: per-1.000-cijfers per wijk ontbreken")
    wks = hierarchy[gm]
    pop[gm] = (
        float(np.sum([pop.get(w, np.nan) for w in wks]))
        if all(np.isfinite(pop.get(w, np.nan)) for w in wks)
        else np.nan
    )
    pop_year[gm] = "som van de wijken" if np.isfinite(pop[gm]) else ""
    area[gm] = float(sum(area[w] for w in wks))
    if regie is not None:
        for rid, geom in zip(regie["regie_id"].astype(str), regie.geometry, strict=True):
            key = _REGIE + rid
            area[key] = float(geom.area / 1e6)
            parts = regie_parts.get(rid)
            known = parts is not None and all(np.isfinite(pop.get(b, np.nan)) for b in parts)
            pop[key] = float(sum(pop[b] for b in parts)) if known and parts is not None else np.nan
            pop_year[key] = "som van de buurten" if known else ""

    wide["inwoners"] = (
        pd.array([pop.get(g, np.nan) for g in wide["gebied"]], dtype="Float64")
        .round()
        .astype("Int64")
    )
    wide["inwoners_bekend"] = wide["inwoners"].notna().astype(bool)
    wide["inwoners_jaar"] = [pop_year.get(g, "") for g in wide["gebied"]]
    wide["oppervlakte_km2"] = [round(area.get(g, np.nan), 3) for g in wide["gebied"]]
    _mark_incomplete(wide, [*cats, TOTAL], hierarchy, codes, gm, yrs, set(missing), set(partial))
    per_year = wide[[*cats, TOTAL]].astype("Float64").div(wide["n_jaren"], axis=0)
    per_year = per_year.where(
        pd.DataFrame({c: wide["volledig"] for c in per_year.columns}, index=per_year.index)
    )
    # a rate per 1,000 inhabitants is undefined without inhabitants (industrial estates): empty
    inhabitants = wide["inwoners"].astype("Float64").where(lambda n: n > 0)
    for c in [*cats, TOTAL]:
        rate = per_year[c] / inhabitants * 1000
        wide[f"per_1000_{c}"] = rate.round(2).astype("float64")
    km2 = wide["oppervlakte_km2"].where(lambda a: a > 0)
    wide["per_km2_totaal"] = (per_year[TOTAL] / km2).round(2).astype("float64")

    def level(mask: pd.Series, code_col: str) -> pd.DataFrame:
        part = wide[mask].rename(columns={"gebied": code_col}).copy()
        part[code_col] = part[code_col].str.removeprefix(_REGIE)
        order = {p: i for i, p in enumerate(period_years)}
        part = part.sort_values(
            [code_col, "periode"], key=lambda s: s.map(order) if s.name == "periode" else s
        )
        part = part.reset_index(drop=True)
        assert_no_small_counts(part, threshold=config.threshold)
        return part

    g = wide["gebied"]
    return IncidentTables(
        buurt=level(g.isin(set(codes)), "buurtcode"),
        wijk=level(g.str.startswith("WK"), "wijkcode"),
        regie=level(g.str.startswith(_REGIE), "regie_id"),
        gemeente=level(g == gm, "gemeentecode"),
        categories=cats,
        years=yrs,
        n_primary=result.n_primary,
        n_complementary=result.n_complementary,
        notes=tuple(notes),
    )


def _mark_incomplete(
    wide: pd.DataFrame,
    counts: list[str],
    hierarchy: Mapping[str, Sequence[str]],
    codes: pd.Series,
    gm: str,
    years: Sequence[int],
    missing: set[tuple[str, int]],
    partial: set[tuple[str, int]],
) -> None:
    """``volledig`` per row; the counts of a buurt-year without a source value made unknown."""
    buurt_set = set(codes)

    def buurten_under(area: str) -> list[str]:
        if area in buurt_set:
            return [area]
        if area == gm:
            return list(buurt_set)
        return [b for part in hierarchy.get(area, []) for b in buurten_under(part)]

    bad = missing | partial
    complete = []
    for area, jaar in zip(wide["gebied"], wide["jaar"], strict=True):
        span = [int(jaar)] if pd.notna(jaar) else list(years)
        complete.append(not any((b, y) in bad for b in buurten_under(area) for y in span))
    wide["volledig"] = complete
    for b, y in missing:
        row = (wide["gebied"] == b) & (wide["jaar"] == y)
        wide.loc[row.fillna(False).astype(bool), counts] = pd.NA


def crime_tables(
    totals: pd.DataFrame,
    *,
    buurten: gpd.GeoDataFrame,
    wijken: gpd.GeoDataFrame | None = None,
    regie: gpd.GeoDataFrame | None = None,
    config: LiveabilityConfig | None = None,
    buurt_population: Mapping[str, float] | pd.Series | None = None,
    population_label: str = "opgegeven",
    missing: Collection[tuple[str, int]] = (),
    partial: Collection[tuple[str, int]] = (),
) -> IncidentTables:
    """Registered crime in total per area and year: one count per row, suppressed like incidents.

    ``totals`` are per-buurt counts (``buurtcode``, ``jaar``, ``aantal``) of all crime
    together (the police's ``0.0.0``). The tables have ``totaal`` and its rates, no
    categories; the same small-count suppression over buurten, wijken, regie areas,
    the gemeente and the period applies.
    """
    tables = incident_tables(
        totals.assign(categorie="misdrijven"),
        buurten=buurten,
        wijken=wijken,
        regie=regie,
        config=config,
        categories=("misdrijven",),
        buurt_population=buurt_population,
        population_label=population_label,
        missing=missing,
        partial=partial,
    )
    drop = ["misdrijven", "per_1000_misdrijven"]
    return IncidentTables(
        buurt=tables.buurt.drop(columns=drop),
        wijk=tables.wijk.drop(columns=drop),
        regie=tables.regie.drop(columns=drop),
        gemeente=tables.gemeente.drop(columns=drop),
        categories=(),
        years=tables.years,
        n_primary=tables.n_primary,
        n_complementary=tables.n_complementary,
        notes=tables.notes,
    )
