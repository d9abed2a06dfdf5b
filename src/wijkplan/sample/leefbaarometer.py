"""Sample Leefbaarometer 3.x grid data in the real open-data format, for any boundaries.

Writes the scores CSV (long: one row per 100 m cell per year, columns ``grid_id,
jaar, lbm, afw, won, fys, vrz, soc, onv`` plus ``bron``) and the cell GeoPackage
(``grid_id`` + square cell, EPSG:28992), so the sample goes through the same
loader as the published files. The scores are a *sample*, not a measurement:

- smooth random fields (Gaussian-filtered noise, about 600 m correlation), not white noise;
- built-up buurten score lower on housing stock, physical environment and nuisance
  and higher on facilities; rural buurten the reverse; business parks lower on
  physical environment and nuisance, and with few scored cells (as in the real grid,
  where only cells with homes get a score);
- a dip around the regie areas (strongest inside, fading over ~350 m), which
  eases a little from 2020 to 2024;
- the dimensions are deviations from a national mean; ``afw`` is their sum and
  ``lbm`` = an assumed national mean for the year + ``afw``.

Every row carries ``bron = sample_bron(gemeentecode)``. Output is identical on
every run (seeded with :func:`wijkplan.sample.common.rng_for`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from wijkplan.config import SCORE_COLUMNS
from wijkplan.sample.common import gemeentecode_of, residential_weight, rng_for, sample_bron
from wijkplan.settings import CRS_RD
from wijkplan.sources.leefbaarometer import CELL, grid_id_of

__all__ = [
    "CSV_NAME",
    "GPKG_NAME",
    "REGIE_DEFAULTS",
    "SAMPLE_YEARS",
    "default_regie_buurtcodes",
    "regie_from_buurten",
    "sample_leefbaarometer",
    "write_scores_csv",
]

SAMPLE_YEARS = (2020, 2022, 2024)
#: The regie areas agreed in Alphen aan den Rijn (Edelstenenbuurt, Snijdelwijk).
REGIE_DEFAULTS: dict[str, tuple[str, ...]] = {"GM0484": ("BU04840306", "BU04847009")}
#: Assumed national mean of lbm per year for the sample (2024 from one WMS sample; others invented).
SAMPLE_NATIONAL_LBM = {2020: 4.020, 2022: 4.032, 2024: 4.046}
CSV_NAME = "leefbaarometer-grids.csv"
GPKG_NAME = "leefbaarometer-grid.gpkg"

# Per dimension (won, fys, vrz, soc, onv): offset, smooth-noise amplitude, effect of
# built-up density (residential weight 0..1), business park, regie dip (inside).
_DIMS = ("won", "fys", "vrz", "soc", "onv")
_OFFSET = np.array([0.03, 0.04, -0.03, 0.03, 0.04])
_NOISE = np.array([0.035, 0.030, 0.030, 0.025, 0.035])
_URBAN = np.array([-0.05, -0.05, 0.08, -0.03, -0.07])
_INDUSTRY = np.array([-0.03, -0.07, 0.00, -0.02, -0.05])
_REGIE = np.array([-0.08, -0.04, 0.00, -0.06, -0.11])
_REGIE_DECAY_M = 350.0
_INDUSTRY_RE = r"bedrijven|industrie"


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, int], sigma: float) -> np.ndarray:
    """Gaussian-filtered white noise (FFT, periodic padding), scaled to unit std."""
    pad = round(3 * sigma)
    h, w = shape[0] + 2 * pad, shape[1] + 2 * pad
    noise = rng.standard_normal((h, w))
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.rfftfreq(w)[None, :]
    kernel = np.exp(-2 * (np.pi * sigma) ** 2 * (fx**2 + fy**2))
    field = np.fft.irfft2(np.fft.rfft2(noise) * kernel, s=(h, w))[
        pad : pad + shape[0], pad : pad + shape[1]
    ]
    std = field.std()
    return field / std if std > 0 else field


class _Grid:
    """The 100 m cells touching the buurten, with the buurt that holds each cell."""

    def __init__(self, buurten: gpd.GeoDataFrame) -> None:
        minx, miny, maxx, maxy = buurten.total_bounds
        self.x0 = np.floor(minx / CELL) * CELL
        self.y1 = np.ceil(maxy / CELL) * CELL
        self.nx = int(np.ceil(maxx / CELL) - np.floor(minx / CELL))
        self.ny = int(np.ceil(maxy / CELL) - np.floor(miny / CELL))
        rows, cols = np.divmod(np.arange(self.nx * self.ny), self.nx)
        x = self.x0 + cols * CELL
        y = self.y1 - (rows + 1) * CELL
        boxes = shapely.box(x, y, x + CELL, y + CELL)
        geoms = buurten.geometry.to_numpy()
        tree = shapely.STRtree(geoms)
        hit_cell, hit_buurt = tree.query(boxes, predicate="intersects")
        first = pd.Series(hit_buurt).groupby(hit_cell).first()
        centres = shapely.points(x + CELL / 2, y + CELL / 2)
        in_cell, in_buurt = tree.query(centres, predicate="within")
        owner = first.copy()
        owner.loc[in_cell] = in_buurt
        self.index = owner.index.to_numpy()  # flat index of the cells kept
        self.buurt = owner.to_numpy()  # positional index into buurten
        self.rows, self.cols = rows[self.index], cols[self.index]
        self.x, self.y = x[self.index], y[self.index]
        self.boxes = boxes[self.index]

    def to_cells(self, values: np.ndarray) -> np.ndarray:
        return values[self.rows, self.cols]

    def to_field(self, values: np.ndarray, fill: float = 0.0) -> np.ndarray:
        field = np.full((self.ny, self.nx), fill, dtype="float64")
        field[self.rows, self.cols] = values
        return field


def _base_score(
    buurten: gpd.GeoDataFrame, grid: _Grid, gm: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per cell: dimension deviations without the regie dip (n, 5), residential weight, industry."""
    rng = rng_for(gm, "leefbaarometer-veld")
    weight = residential_weight(buurten)
    industry = buurten["buurtnaam"].astype(str).str.lower().str.contains(_INDUSTRY_RE).to_numpy()
    # Smooth the built-up weight a little so that buurt edges are not hard steps.
    w_field = grid.to_field(weight[grid.buurt])
    w_smooth = np.clip(
        _blur(w_field, 2.0) / np.maximum(_blur(grid.to_field(np.ones(len(grid.buurt))), 2.0), 1e-9),
        0,
        1,
    )
    w = grid.to_cells(w_smooth)
    ind = industry[grid.buurt].astype("float64")
    dims = np.empty((len(grid.buurt), len(_DIMS)))
    for k in range(len(_DIMS)):
        noise = grid.to_cells(_smooth_noise(rng, (grid.ny, grid.nx), sigma=6.0))
        dims[:, k] = _OFFSET[k] + _NOISE[k] * noise + _URBAN[k] * w + _INDUSTRY[k] * ind
    return dims, w, ind


def _blur(field: np.ndarray, sigma: float) -> np.ndarray:
    h, w = field.shape
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.rfftfreq(w)[None, :]
    kernel = np.exp(-2 * (np.pi * sigma) ** 2 * (fx**2 + fy**2))
    return np.fft.irfft2(np.fft.rfft2(field) * kernel, s=(h, w))


def default_regie_buurtcodes(buurten: gpd.GeoDataFrame) -> tuple[str, ...]:
    """The regie buurten for the sample: Alphen's agreed ones, else the two lowest-scoring.

    For another municipality the two residential buurten (weight ≥ 0.5, no business
    park) with the lowest mean sample score *before* the regie dip are taken: the
    places a municipality would plausibly pick. Deterministic per municipality.
    """
    gm = gemeentecode_of(buurten)
    codes = set(buurten["buurtcode"].astype(str))
    defaults = REGIE_DEFAULTS.get(gm)
    if defaults and set(defaults) <= codes:
        return defaults
    grid = _Grid(buurten)
    dims, _, _ = _base_score(buurten, grid, gm)
    mean = pd.Series(dims.sum(axis=1)).groupby(grid.buurt).mean()
    weight = residential_weight(buurten)
    candidates = mean[[weight[i] >= 0.5 for i in mean.index]]
    if len(candidates) < 2:
        candidates = mean
    lowest = candidates.sort_values(kind="stable").index[:2]
    return tuple(str(buurten["buurtcode"].iloc[i]) for i in lowest)


def regie_from_buurten(buurten: gpd.GeoDataFrame, codes: Sequence[str]) -> gpd.GeoDataFrame:
    """A regie-area frame (``regie_id``, ``naam``, ``buurtcodes``, geometry) of whole buurten."""
    rows = buurten[buurten["buurtcode"].isin(list(codes))]
    missing = sorted(set(codes) - set(rows["buurtcode"]))
    if missing:
        raise ValueError(f"regie buurten not in the boundaries: {missing}")
    return gpd.GeoDataFrame(
        {
            "regie_id": [f"R{i + 1:02d}" for i in range(len(rows))],
            "naam": rows["buurtnaam"].astype(str).to_list(),
            "buurtcodes": rows["buurtcode"].astype(str).to_list(),
        },
        geometry=rows.geometry.to_list(),
        crs=buurten.crs,
    )


def sample_leefbaarometer(
    buurten: gpd.GeoDataFrame,
    *,
    regie_buurtcodes: Sequence[str] | None = None,
    years: Sequence[int] = SAMPLE_YEARS,
    homes: gpd.GeoSeries | None = None,
) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    """The sample scores (long frame, CSV columns) and cells (GeoDataFrame) in memory.

    ``homes`` (e.g. the sample complexes) are places with homes: their cells are always scored,
    as in the real Leefbaarometer, which scores every cell with homes.
    """
    if buurten.crs is None or buurten.crs.to_epsg() != 28992:
        buurten = buurten.to_crs(CRS_RD)
    buurten = buurten.reset_index(drop=True)
    gm = gemeentecode_of(buurten)
    bron = sample_bron(gm)
    codes = (
        tuple(regie_buurtcodes)
        if regie_buurtcodes is not None
        else default_regie_buurtcodes(buurten)
    )
    regie = regie_from_buurten(buurten, codes)
    grid = _Grid(buurten)
    dims, w, ind = _base_score(buurten, grid, gm)

    # Only cells with homes get a score: nearly all in built-up buurten, few elsewhere.
    keep_rng = rng_for(gm, "leefbaarometer-cellen")
    p_keep = np.clip(0.3 + 0.7 * w, 0, 1) * np.where(ind > 0, 0.35, 1.0)
    keep = keep_rng.random(len(w)) < p_keep
    if homes is not None and len(homes):
        hit, _ = shapely.STRtree(homes.to_crs(CRS_RD).to_numpy()).query(
            grid.boxes, predicate="intersects"
        )
        keep[np.unique(hit)] = True
    dist = shapely.distance(
        shapely.points(grid.x + CELL / 2, grid.y + CELL / 2),
        shapely.union_all(regie.geometry.to_numpy()),
    )
    dip = np.exp(-dist / _REGIE_DECAY_M)

    ids = grid_id_of(grid.x, grid.y)
    frames = []
    for year in years:
        yr_rng = rng_for(gm, f"leefbaarometer-{year}")
        t = (year - min(years)) / max(max(years) - min(years), 1)
        year_dims = dims + np.outer(dip * (1 - 0.3 * t), _REGIE)
        for k in range(len(_DIMS)):
            drift = 0.012 * grid.to_cells(_smooth_noise(yr_rng, (grid.ny, grid.nx), sigma=10.0))
            year_dims[:, k] += drift + 0.008 * yr_rng.standard_normal(len(w))
        year_dims = np.round(year_dims, 4)
        afw = np.round(year_dims.sum(axis=1), 4)
        national = SAMPLE_NATIONAL_LBM.get(year, 4.046)
        frame = pd.DataFrame(
            {"grid_id": ids, "jaar": year, "lbm": np.round(national + afw, 4), "afw": afw}
            | {d: year_dims[:, k] for k, d in enumerate(_DIMS)}
        )
        frames.append(frame[keep])
    scores = pd.concat(frames, ignore_index=True)[["grid_id", "jaar", *SCORE_COLUMNS]]
    scores["bron"] = bron
    cells = gpd.GeoDataFrame(
        {"grid_id": ids[keep], "bron": bron}, geometry=grid.boxes[keep], crs=CRS_RD
    )
    return scores, cells


def write_scores_csv(scores: pd.DataFrame, path: Path | str) -> None:
    """The scores CSV exactly as the open data publishes it (comma, decimal point, 4 decimals)."""
    scores.to_csv(path, index=False, float_format="%.4f", lineterminator="\n")
