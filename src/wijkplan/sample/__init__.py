"""Deterministic sample sources for what is not public, for any municipality's boundaries.

Every generated feature carries ``bron = "voorbeelddata ..."`` (see
:data:`wijkplan.settings.SAMPLE_BRON`), and every generator writes the *real*
format of its source, so that sample and real files go through the same loader.
:func:`write_sample_data` never overwrites a real source file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pyogrio
import pyogrio.errors

from wijkplan.outputs.atomic import atomic_path
from wijkplan.settings import is_sample
from wijkplan.sources._io import find_source
from wijkplan.sources.boundaries import load_boundaries


@dataclass(frozen=True)
class SampleResult:
    """What :func:`write_sample_data` did with one source."""

    source: str
    path: Path | None
    action: str  # "geschreven", "vernieuwd" or "overgeslagen: ..."


def _existing_is_sample(path: Path) -> bool:
    """True if every feature of an existing vector file carries the sample mark."""
    try:
        table = pyogrio.read_dataframe(path, columns=["bron"], read_geometry=False)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError):
        return False  # an unreadable file is treated as real: never overwrite it
    return "bron" in table.columns and len(table) > 0 and bool(table["bron"].map(is_sample).all())


def _write_vector(frame: gpd.GeoDataFrame, target: Path, layer: str) -> None:
    with atomic_path(target) as tmp:
        frame.to_file(tmp, layer=layer, driver="GPKG", engine="pyogrio")


def write_sample_data(data_dir: Path | str, *, gemeente: str | None = None) -> list[SampleResult]:
    """Write the sample sources for the boundaries in ``data_dir``.

    Reads the buurt and wijk boundaries in any published form (for ``gemeente`` when the
    files hold several municipalities), then writes each sample source in its real
    format. A source that already exists and is not entirely sample data is a real file
    and is left alone.
    """
    data_dir = Path(data_dir)
    buurten, wijken, _ = load_boundaries(data_dir, gemeente=gemeente)

    results: list[SampleResult] = []
    for name, generate in _vector_generators().items():
        existing = find_source(data_dir, name)
        if existing is not None and not _existing_is_sample(existing):
            results.append(
                SampleResult(name, existing, "overgeslagen: echt bronbestand, niet overschreven")
            )
            continue
        target = existing or data_dir / f"{name}.gpkg"
        frame = generate(buurten, wijken)
        _write_vector(frame, target, name)
        results.append(SampleResult(name, target, "vernieuwd" if existing else "geschreven"))
    complexen = find_source(data_dir, "complexen")
    homes = gpd.read_file(complexen).geometry if complexen is not None else None
    results.append(_write_leefbaarometer(data_dir, buurten, homes))
    return results


def _write_leefbaarometer(
    data_dir: Path, buurten: gpd.GeoDataFrame, homes: gpd.GeoSeries | None
) -> SampleResult:
    """The Leefbaarometer scores CSV and cell GeoPackage, in the published format."""
    from wijkplan.sample.leefbaarometer import (
        CSV_NAME,
        GPKG_NAME,
        sample_leefbaarometer,
        write_scores_csv,
    )
    from wijkplan.sources.leefbaarometer import file_is_sample, find_leefbaarometer

    csv, cells = find_leefbaarometer(data_dir)
    if csv is not None and not file_is_sample(csv):
        return SampleResult(
            "leefbaarometer", csv, "overgeslagen: echt bronbestand, niet overschreven"
        )
    if any(data_dir.glob("leefbaarometer*.tif")):
        tif = sorted(data_dir.glob("leefbaarometer*.tif"))[0]
        return SampleResult("leefbaarometer", tif, "overgeslagen: eigen GeoTIFF aanwezig")
    scores, grid = sample_leefbaarometer(buurten, homes=homes)
    csv_target = csv or data_dir / CSV_NAME
    cells_target = cells or data_dir / GPKG_NAME
    with atomic_path(csv_target) as tmp:
        write_scores_csv(scores, tmp)
    _write_vector(grid, cells_target, "grid")
    return SampleResult("leefbaarometer", csv_target, "vernieuwd" if csv else "geschreven")


def _vector_generators() -> dict[
    str, Callable[[gpd.GeoDataFrame, gpd.GeoDataFrame], gpd.GeoDataFrame]
]:
    from wijkplan.sample.complexen import generate_complexen
    from wijkplan.sample.incidents import sample_incidents

    return {
        "complexen": lambda b, w: generate_complexen(b, wijken=w),
        "incidenten": lambda b, w: sample_incidents(b),
    }
