"""Liveability per zone from the Leefbaarometer raster, the priority ranking and the references.

The flow, all pure functions::

    raster = open_liveability_raster(tif)                       # wijkplan.sources.leefbaarometer
    data, names = add_weak_band(raster.data, raster.band_names, config)
    zonal = zonal_stats(buurten.geometry, data, raster.transform, crs=raster.crs,
                        band_names=names)                       # wijkplan.analysis.zonal
    per_buurt = liveability_per_zone(zonal, config)
    table = priority_inputs(per_buurt, incidents.buurt)         # + incident period totals
    ranked = priority(table, config)                            # with priority_formula(config)
    refs = references(raster.data, raster.transform, raster.band_names, gemeente_polygon)

Classes come from the configurable thresholds in ``config/leefbaarheid.toml``
(the published thresholds are not in the open data). The weak band is 1 where a
cell's class is "zwak" or lower, 0 where it is higher, NaN without a score, so
its area-weighted zonal mean is the share of the zone's scored area in a weak class.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import shapely
from affine import Affine

from wijkplan.config import SCORE_COLUMNS, LiveabilityConfig, load_config

__all__ = [
    "WEAK_BAND",
    "add_weak_band",
    "area_weighted_mean",
    "class_numbers",
    "liveability_per_zone",
    "priority",
    "priority_formula",
    "priority_inputs",
    "references",
    "score_classes",
]

#: Name of the weak-class indicator band (zonal column ``zwak_mean``).
WEAK_BAND = "zwak"
_MEASURES = {
    "per_1000": "geregistreerde incidenten per 1.000 inwoners per jaar",
    "per_km2": "geregistreerde incidenten per km² per jaar (inwoners per buurt onbekend)",
}


def class_numbers(values: Any, config: LiveabilityConfig | None = None) -> pd.Series:
    """Class 1..9 of each score (``Int64``, NA where the score is NaN).

    A value exactly on a threshold belongs to the higher class.

    >>> class_numbers([-1.0, -0.05, 0.0, 0.25, float("nan")]).tolist()
    [1, 6, 7, 9, <NA>]
    """
    config = config or load_config()
    s = values if isinstance(values, pd.Series) else pd.Series(values, dtype="float64")
    v = s.to_numpy(dtype="float64", na_value=np.nan)
    idx = np.searchsorted(np.asarray(config.class_bounds), v, side="right") + 1
    return pd.Series(pd.array(np.where(np.isnan(v), None, idx), dtype="Int64"), index=s.index)


def score_classes(values: Any, config: LiveabilityConfig | None = None) -> pd.Series:
    """The class label of each score (ordered categorical, NaN stays NaN), indexed like ``values``.

    ``values`` are scores on the config's class variable (``afw`` by default).

    >>> score_classes([-0.5, -0.12, 0.05, 0.3]).tolist()
    ['zeer onvoldoende', 'zwak', 'goed', 'uitstekend']
    """
    config = config or load_config()
    numbers = class_numbers(values, config)
    labels = pd.Categorical.from_codes(
        (numbers.fillna(0).astype("int64") - 1).to_numpy(),
        categories=list(config.class_labels),
        ordered=True,
    )
    return pd.Series(labels, index=numbers.index)


def add_weak_band(
    data: np.ndarray, band_names: Sequence[str], config: LiveabilityConfig | None = None
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Append the weak-class indicator band to a ``(bands, rows, cols)`` raster (NaN = no data).

    Returns a new float32 array (the input is not changed) and the band names
    with ``"zwak"`` added. The indicator is computed on the config's class
    variable (``afw``), which must be one of the bands.

    >>> data = np.array([[[-0.2, 0.1], [np.nan, -0.1]]])
    >>> out, names = add_weak_band(data, ["afw"])
    >>> names, out[1].tolist()
    (('afw', 'zwak'), [[1.0, 0.0], [nan, 0.0]])
    """
    config = config or load_config()
    names = tuple(str(n) for n in band_names)
    arr = np.asarray(data)
    if arr.ndim == 2:
        arr = arr[None]
    if arr.shape[0] != len(names):
        raise ValueError(f"{len(names)} band names for {arr.shape[0]} bands")
    if config.class_variable not in names:
        raise ValueError(f"band {config.class_variable!r} (the class variable) not in {names}")
    if WEAK_BAND in names:
        raise ValueError(f"the raster already has a band {WEAK_BAND!r}")
    v = arr[names.index(config.class_variable)].astype("float64")
    weak = np.where(np.isnan(v), np.nan, (v < config.weak_upper).astype("float64"))
    out = np.concatenate([arr.astype("float32"), weak[None].astype("float32")], axis=0)
    return out, (*names, WEAK_BAND)


def liveability_per_zone(
    zonal: pd.DataFrame, config: LiveabilityConfig | None = None
) -> pd.DataFrame:
    """Scores, class, dimension means, weak share, cells and coverage per zone.

    ``zonal`` is the output of :func:`wijkplan.analysis.zonal.zonal_stats` over the
    liveability bands plus the weak band (columns ``<band>_mean``, ``cells``,
    ``coverage``). Returns, indexed like ``zonal``: each score present (``lbm``,
    ``afw``, ``won``, ``fys``, ``vrz``, ``soc``, ``onv``), ``klasse`` (label) and
    ``klasse_nr`` (1..9) of the class variable, ``aandeel_zwak`` (0..1),
    ``cellen`` (scored cells, area-weighted), ``dekking`` (share of the zone on
    scored cells) and ``betrouwbaar`` (at least ``min_cellen`` scored cells).
    A zone without scored cells has NaN scores and no class.
    """
    config = config or load_config()
    out = pd.DataFrame(index=zonal.index)
    for band in SCORE_COLUMNS:
        if f"{band}_mean" in zonal.columns:
            out[band] = zonal[f"{band}_mean"].astype("float64")
    var = config.class_variable
    if var not in out.columns:
        raise ValueError(f"zonal table lacks {var}_mean (the class variable)")
    out["klasse"] = score_classes(out[var], config)
    out["klasse_nr"] = class_numbers(out[var], config)
    if f"{WEAK_BAND}_mean" in zonal.columns:
        out["aandeel_zwak"] = zonal[f"{WEAK_BAND}_mean"].astype("float64")
    cells = (
        zonal["cells"].astype("float64")
        if "cells" in zonal.columns
        else pd.Series(np.nan, index=zonal.index)
    )
    out["cellen"] = cells.round(2)
    if "coverage" in zonal.columns:
        out["dekking"] = zonal["coverage"].astype("float64").round(4)
    out["betrouwbaar"] = (cells >= config.min_cells).to_numpy()
    return out


def area_weighted_mean(per_zone: pd.DataFrame, column: str, *, weight: str = "cellen") -> float:
    """Mean of ``column`` over several non-overlapping zones, weighted by their scored area.

    With ``weight="cellen"`` (the scored area of each zone in cells) this equals the
    area-weighted mean over the union of the zones, i.e. the municipal reference
    when the zones are all buurten.

    >>> area_weighted_mean(pd.DataFrame({"afw": [0.1, -0.2], "cellen": [3.0, 1.0]}), "afw")
    0.025
    """
    v = per_zone[column].to_numpy(dtype="float64")
    w = per_zone[weight].to_numpy(dtype="float64")
    ok = np.isfinite(v) & np.isfinite(w) & (w > 0)
    return float(np.round(np.sum(v[ok] * w[ok]) / np.sum(w[ok]), 12)) if ok.any() else float("nan")


def priority_inputs(
    per_buurt: pd.DataFrame,
    incidents_buurt: pd.DataFrame | None = None,
    *,
    periode: str | None = None,
) -> pd.DataFrame:
    """One row per buurt with what :func:`priority` needs.

    ``per_buurt`` is :func:`liveability_per_zone` indexed (or with a column) by
    ``buurtcode``; ``incidents_buurt`` is the buurt table of
    :func:`wijkplan.analysis.incidents.incident_tables`, of which the row of
    ``periode`` is used (default: the whole period, the most robust counts).
    """
    left = per_buurt.copy()
    if "buurtcode" in left.columns:
        left = left.set_index("buurtcode")
    left.index.name = "buurtcode"
    if incidents_buurt is None:
        return left
    inc = incidents_buurt
    if periode is None:
        multi = inc.loc[inc["jaar"].isna(), "periode"]
        periode = str(multi.iloc[0]) if len(multi) else str(inc["periode"].max())
    rows = inc[inc["periode"] == periode].set_index("buurtcode")
    keep = [
        "periode",
        "totaal",
        "n_jaren",
        "inwoners",
        "inwoners_bekend",
        "oppervlakte_km2",
        "per_1000_totaal",
        "per_km2_totaal",
    ]
    return left.join(rows[[c for c in keep if c in rows.columns]], how="left")


def _normalise(x: pd.Series, how: str) -> pd.Series:
    if how == "z":
        std = x.std(ddof=0)
        z = (x - x.mean()) / std if std > 0 else x * 0.0
        return (z.clip(-2.5, 2.5) + 2.5) / 5.0
    lo, hi = x.min(), x.max()
    return (x - lo) / (hi - lo) if hi > lo else x * 0.0


def _nl(x: float, digits: int = 2) -> str:
    return f"{x:.{digits}f}".replace(".", ",")


def priority_formula(
    config: LiveabilityConfig | None = None, *, incident_measure: str = "per_1000"
) -> str:
    """The priority formula in Dutch, with the configured weights, for the app to show.

    >>> priority_formula().splitlines()[0]
    'Prioriteit = 100 × (0,40 × lage score + 0,30 × aandeel zwak + 0,30 × incidenten)'
    """
    config = config or load_config()
    w = config.weights
    scale = (
        "elk onderdeel min-max geschaald over de buurten van de gemeente (0 = gunstigste buurt, 1 = ongunstigste)"
        if config.normalisation == "minmax"
        else "elk onderdeel als z-score over de buurten, afgekapt op ±2,5 en lineair naar 0..1 gebracht"
    )
    half = f"{(config.threshold - 1) / 2:g}".replace(".", ",")
    return "\n".join(
        [
            f"Prioriteit = 100 × ({_nl(w['lage_score'])} × lage score + {_nl(w['aandeel_zwak'])} × aandeel zwak"
            f" + {_nl(w['incidenten'])} × incidenten)",
            f"met {scale}.",
            f"Lage score: −{config.class_variable}, de afwijking van het landelijk gemiddelde volgens de Leefbaarometer.",
            f"Aandeel zwak: deel van het gescoorde oppervlak in klasse ‘{config.weak_through}’ of lager.",
            f"Incidenten: {_MEASURES[incident_measure]}, gemiddeld over de periode; "
            f"een afgeschermd aantal (<{config.threshold}) telt als {half}.",
            "Ontbreekt een onderdeel voor een buurt (geen gescoord oppervlak, geen incidenten), "
            "dan tellen de andere onderdelen naar verhouding; zonder score geen prioriteit.",
            "Gewichten en klassengrenzen: config/leefbaarheid.toml.",
        ]
    )


def priority(buurt_table: pd.DataFrame, config: LiveabilityConfig | None = None) -> pd.DataFrame:
    """A transparent liveability priority per buurt (0..100, higher = more urgent) and its rank.

    ``buurt_table`` (see :func:`priority_inputs`) needs the class variable
    (``afw``), ``aandeel_zwak`` and, for the incident part, ``totaal``,
    ``n_jaren``, ``oppervlakte_km2`` and ``inwoners``. The incident measure is
    per 1,000 inhabitants when every buurt's population is known, otherwise per
    km² for *all* buurten (mixing the two would not be comparable). A suppressed
    count (NA) counts as (threshold − 1) / 2 and is flagged in
    ``incidenten_geschat``. Returns the three components (``c_*``, 0..1), the
    measure used (``incidentmaat``), ``prioriteit`` and ``rang`` (1 = highest). A
    component a buurt lacks is left out and the others weigh in proportion; without a
    score (the class variable) there is no priority. :func:`priority_formula` gives the text.
    """
    config = config or load_config()
    t = buurt_table
    var = config.class_variable
    out = pd.DataFrame(index=t.index)
    out["c_lage_score"] = _normalise(-t[var].astype("float64"), config.normalisation)
    out["c_aandeel_zwak"] = _normalise(t["aandeel_zwak"].astype("float64"), config.normalisation)
    measure = "per_km2"
    if "totaal" in t.columns:
        known = t["inwoners"].notna().all() if "inwoners" in t.columns else False
        measure = "per_1000" if known else "per_km2"
        counts = t["totaal"].astype("Float64")
        estimated = counts.isna()
        filled = counts.fillna((config.threshold - 1) / 2).astype("float64")
        years = t["n_jaren"].astype("float64") if "n_jaren" in t.columns else 1.0
        if measure == "per_1000":
            denominator = t["inwoners"].astype("float64") / 1000
        else:
            denominator = t["oppervlakte_km2"].astype("float64")
        value = filled / years / denominator.where(denominator > 0)
        out["incidenten_waarde"] = value.round(3)
        out["incidenten_geschat"] = estimated.to_numpy(dtype=bool)
        out["c_incidenten"] = _normalise(value, config.normalisation)
    else:
        out["incidenten_waarde"] = np.nan
        out["incidenten_geschat"] = False
        out["c_incidenten"] = np.nan
    out["incidentmaat"] = measure
    w = config.weights
    parts = pd.DataFrame(
        {
            "lage_score": out["c_lage_score"],
            "aandeel_zwak": out["c_aandeel_zwak"],
            "incidenten": out["c_incidenten"],
        }
    )
    weights = pd.DataFrame({k: np.where(parts[k].notna(), w[k], 0.0) for k in parts}, index=t.index)
    # a component a buurt lacks (no grid share, no incidents) is left out and the others weigh in
    # proportion; without its score there is no priority at all
    total = weights.sum(axis=1).where(parts["lage_score"].notna())
    score = 100 * (parts.fillna(0.0) * weights).sum(axis=1) / total
    out["prioriteit"] = score.round(1)
    out["rang"] = score.rank(ascending=False, method="min").astype("Int64")
    if "betrouwbaar" in t.columns:
        out["betrouwbaar"] = t["betrouwbaar"].astype(bool)
    return out


def references(
    data: np.ndarray,
    transform: Affine,
    band_names: Sequence[str],
    area: shapely.Geometry,
    *,
    config: LiveabilityConfig | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """Municipal and national reference of every band, for the dossier chart.

    ``gemeente``: the exact area-weighted mean over ``area`` (the municipality,
    EPSG:28992 like the raster) of the scored cells. ``nederland``: the
    Leefbaarometer is relative to the national mean of each measurement, so
    ``afw`` and the five dimensions are 0 there *by construction*; for ``lbm`` the
    national mean is recovered from the data as the median of ``lbm − afw``
    (exact when both bands are present), else taken from ``referentie.nationaal_lbm``
    for ``year`` in the config, else NaN. The national share of weak cells is not
    in the open data: NaN.
    """
    config = config or load_config()
    names = tuple(str(n) for n in band_names)
    arr = np.asarray(data, dtype="float64")
    if arr.ndim == 2:
        arr = arr[None]
    if transform.b != 0 or transform.d != 0:
        raise ValueError("rotated rasters are not supported")
    rows, cols = arr.shape[1:]
    minx, miny, maxx, maxy = area.bounds
    a, c, e, f = transform.a, transform.c, transform.e, transform.f
    col_bounds = sorted(((minx - c) / a, (maxx - c) / a))
    row_bounds = sorted(((maxy - f) / e, (miny - f) / e))
    c_lo, c_hi = max(int(np.floor(col_bounds[0])), 0), min(int(np.ceil(col_bounds[1])), cols)
    r_lo, r_hi = max(int(np.floor(row_bounds[0])), 0), min(int(np.ceil(row_bounds[1])), rows)
    gemeente = dict.fromkeys(names, np.nan)
    if c_hi > c_lo and r_hi > r_lo:
        rr, cc = np.mgrid[r_lo:r_hi, c_lo:c_hi]
        xs0, ys0 = c + cc * a, f + rr * e
        xs1, ys1 = xs0 + a, ys0 + e
        boxes = shapely.box(
            np.minimum(xs0, xs1), np.minimum(ys0, ys1), np.maximum(xs0, xs1), np.maximum(ys0, ys1)
        )
        shapely.prepare(area)
        inside = shapely.contains(area, boxes)
        edge = ~inside & shapely.intersects(area, boxes)
        weight = inside * shapely.area(boxes)
        weight[edge] = shapely.area(shapely.intersection(boxes[edge], area))
        for b, name in enumerate(names):
            v = arr[b, r_lo:r_hi, c_lo:c_hi]
            ok = np.isfinite(v) & (weight > 0)
            if ok.any():
                gemeente[name] = float(np.sum(v[ok] * weight[ok]) / np.sum(weight[ok]))
    national = dict.fromkeys(names, np.nan)
    for name in names:
        if name in ("afw", "won", "fys", "vrz", "soc", "onv"):
            national[name] = 0.0
    if "lbm" in names:
        if "afw" in names:
            diff = arr[names.index("lbm")] - arr[names.index("afw")]
            diff = diff[np.isfinite(diff)]
            national["lbm"] = float(np.round(np.median(diff), 4)) if diff.size else np.nan
        if not np.isfinite(national["lbm"]) and year is not None:
            national["lbm"] = float(config.national_lbm.get(int(year), np.nan))
    frame = pd.DataFrame({"gemeente": gemeente, "nederland": national})
    frame.index.name = "band"
    return frame
