"""Writing the Leefbaarometer scores as RD-aligned GeoTIFFs (one per measurement year).

The scores are read and validated by :func:`wijkplan.sources.leefbaarometer.load_leefbaarometer`;
this module only lays them on the 100 m RD grid and writes the files. The GeoTIFF
is what the zonal statistics read: float32, one band per score (band descriptions
= score names), nodata ``-9999`` where a cell has no score, tags ``jaar``,
``bron`` (the sample mark when the CSV carries one) and ``bronbestand``. Each
file is written to a temporary name in its folder and renamed into place.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import rasterio
from affine import Affine

from wijkplan.config import SCORE_COLUMNS
from wijkplan.errors import ValidationError
from wijkplan.outputs.atomic import atomic_path
from wijkplan.settings import CRS_RD
from wijkplan.sources.leefbaarometer import CELL, NODATA, YEAR, load_leefbaarometer

Bounds = tuple[float, float, float, float]


def snap_bounds(bounds: Sequence[float]) -> Bounds:
    """``(minx, miny, maxx, maxy)`` snapped outward to the 100 m grid.

    >>> snap_bounds((121_350, 487_910, 121_420, 488_000))
    (121300, 487900, 121500, 488000)
    """
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    if not (minx < maxx and miny < maxy):
        raise ValidationError(
            [f"bounds: geen geldige rechthoek (minx, miny, maxx, maxy): {tuple(bounds)}"]
        )
    return (
        math.floor(minx / CELL) * CELL,
        math.floor(miny / CELL) * CELL,
        math.ceil(maxx / CELL) * CELL,
        math.ceil(maxy / CELL) * CELL,
    )


def grid_of(scores: pd.DataFrame, bounds: Sequence[float] | None = None) -> Bounds:
    """The raster extent: ``bounds`` snapped, else the extent of every cell of every year."""
    if bounds is not None:
        return snap_bounds(bounds)
    if scores.empty:
        raise ValidationError(["Leefbaarometer: geen cellen om een raster van te maken"])
    return snap_bounds(
        (scores["x"].min(), scores["y"].min(), scores["x"].max() + CELL, scores["y"].max() + CELL)
    )


def rasterise(scores: pd.DataFrame, grid: Bounds) -> tuple[np.ndarray, Affine]:
    """The scores of one year as a ``(bands, rows, cols)`` float32 array on ``grid``.

    Cells outside ``grid`` are left out (a national file clipped to a municipality).
    """
    minx, miny, maxx, maxy = grid
    width, height = round((maxx - minx) / CELL), round((maxy - miny) / CELL)
    data = np.full((len(SCORE_COLUMNS), height, width), NODATA, dtype="float32")
    cols = np.round((scores["x"].to_numpy() - minx) / CELL).astype(np.int64)
    rows = np.round((maxy - scores["y"].to_numpy()) / CELL).astype(np.int64) - 1
    inside = (cols >= 0) & (cols < width) & (rows >= 0) & (rows < height)
    for band, col in enumerate(SCORE_COLUMNS):
        values = scores[col].to_numpy(dtype="float64")[inside]
        values = np.where(np.isnan(values), NODATA, values).astype("float32")
        data[band, rows[inside], cols[inside]] = values
    return data, Affine(CELL, 0.0, minx, 0.0, -CELL, maxy)


def write_geotiff(out: Path, data: np.ndarray, transform: Affine, tags: dict[str, str]) -> Path:
    """Write a liveability raster (bands named after the scores) atomically."""
    profile = {
        "driver": "GTiff",
        "dtype": "float32",
        "count": data.shape[0],
        "height": data.shape[1],
        "width": data.shape[2],
        "crs": CRS_RD,
        "transform": transform,
        "nodata": NODATA,
        "compress": "deflate",
        "predictor": 3,
    }
    if data.shape[1] >= 256 and data.shape[2] >= 256:
        profile.update(tiled=True, blockxsize=256, blockysize=256)
    with atomic_path(out) as tmp, rasterio.open(tmp, "w", **profile) as dst:
        dst.write(data)
        for band, name in enumerate(SCORE_COLUMNS, start=1):
            dst.set_band_description(band, name)
        dst.update_tags(**tags)
    return out


def _tags(scores: pd.DataFrame, year: int, source: Path) -> dict[str, str]:
    return {
        "jaar": str(year),
        "bron": "; ".join(sorted(set(scores["bron"]))),
        "bronbestand": source.name,
        "score_kolommen": ",".join(SCORE_COLUMNS),
    }


def leefbaarometer_to_geotiff(
    csv: Path | str,
    out_tif: Path | str,
    *,
    year: int | None = None,
    bounds: Sequence[float] | None = None,
    scores: pd.DataFrame | None = None,
) -> Path:
    """Write one measurement year of the scores CSV as a multi-band RD GeoTIFF.

    ``year`` defaults to the latest year in the file. ``bounds`` (minx, miny, maxx,
    maxy in EPSG:28992) is snapped outward to the 100 m grid; without it the
    extent of the cells of *all* years is used, so rasters of different years
    align. ``scores`` passes an already loaded :func:`load_leefbaarometer` result.
    """
    csv = Path(csv)
    scores = load_leefbaarometer(csv) if scores is None else scores
    if year is None:
        if scores.empty:
            raise ValidationError([f"{csv}: bevat geen scores"])
        year = int(scores[YEAR].max())
    elif year not in set(scores[YEAR]):
        have = ", ".join(str(y) for y in sorted(set(scores[YEAR])))
        raise ValidationError(
            [f"{csv}, veld 'jaar': jaar niet in het bestand (wel: {have}): {year}"]
        )
    one = scores[scores[YEAR] == year]
    data, transform = rasterise(one, grid_of(scores, bounds))
    return write_geotiff(Path(out_tif), data, transform, _tags(one, year, csv))


def leefbaarometer_to_geotiffs(
    csv: Path | str,
    out_dir: Path | str,
    *,
    bounds: Sequence[float] | None = None,
    scores: pd.DataFrame | None = None,
) -> dict[int, Path]:
    """One aligned GeoTIFF per measurement year (``leefbaarometer_<jaar>.tif``), for trends.

    The CSV is read once; all rasters share one grid (``bounds`` or the extent of
    all cells), so a cell has the same row and column in every year.
    """
    csv = Path(csv)
    scores = load_leefbaarometer(csv) if scores is None else scores
    grid = grid_of(scores, bounds)
    return {
        int(year): leefbaarometer_to_geotiff(
            csv,
            Path(out_dir) / f"leefbaarometer_{year}.tif",
            year=int(year),
            bounds=grid,
            scores=scores,
        )
        for year in sorted(set(scores[YEAR]))
    }
