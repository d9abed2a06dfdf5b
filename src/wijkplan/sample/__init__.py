"""Deterministic sample sources for what is not public, for any municipality's boundaries.

Every generated feature carries ``bron = "voorbeelddata ..."`` (see
:data:`wijkplan.settings.SAMPLE_BRON`), and every generator writes the *real*
format of its source, so that sample and real files go through the same loader.
:func:`write_sample_data` never overwrites a real source file.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pyogrio.errors

from wijkplan.outputs.atomic import atomic_path
from wijkplan.settings import SAMPLE_BRON, is_sample
from wijkplan.sources._io import find_source
from wijkplan.sources.boundaries import load_boundaries


@dataclass(frozen=True)
class SampleResult:
    """What :func:`write_sample_data` did with one source."""

    source: str
    path: Path | None
    action: str  # "geschreven", "vernieuwd", "overgeslagen: ..." or "verwijderd: ..."


SKIPPED_REAL = "overgeslagen: echt bronbestand, niet overschreven"


def _existing_is_sample(path: Path, layer: str | None = None) -> bool:
    """True if every feature of an existing vector file (layer) carries the sample mark."""
    try:
        table = pyogrio.read_dataframe(path, layer=layer, columns=["bron"], read_geometry=False)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError):
        return False  # an unreadable file is treated as real: never overwrite it
    return "bron" in table.columns and len(table) > 0 and bool(table["bron"].map(is_sample).all())


def _all_layers_sample(path: Path) -> bool:
    """True if every layer of an existing GeoPackage is entirely sample data.

    Asks SQLite for one row without the sample mark instead of reading every ``bron``.
    """
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError):
        return False
    return bool(layers) and all(_layer_is_sample(path, layer) for layer in layers)


def _layer_is_sample(path: Path, layer: str) -> bool:
    try:
        info = pyogrio.read_info(path, layer=layer)
        if "bron" not in list(info["fields"]) or not info["features"]:
            return False
        unmarked = pyogrio.read_dataframe(
            path,
            layer=layer,
            columns=["bron"],
            read_geometry=False,
            where=f"bron IS NULL OR substr(bron, 1, {len(SAMPLE_BRON)}) <> '{SAMPLE_BRON}'",
            max_features=1,
        )
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError):
        return _existing_is_sample(path, layer)  # a driver without this SQL: read them all
    return len(unmarked) == 0


def _csv_is_sample(path: Path) -> bool:
    """True if every row of a CSV (``;`` or ``,``) has a ``bron`` column with the sample mark.

    The header is read first, so a large real file without ``bron`` is recognised at once.
    """
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as fh:
            header = fh.readline()
        sep = ";" if header.count(";") > header.count(",") else ","
        if "bron" not in [c.strip().strip('"') for c in header.strip().split(sep)]:
            return False
        bron = pd.read_csv(path, sep=sep, usecols=["bron"], dtype=str, keep_default_na=False)
    except (OSError, ValueError, pd.errors.ParserError):
        return False
    return len(bron) > 0 and bool(bron["bron"].map(is_sample).all())


def _write_vector(frame: gpd.GeoDataFrame, target: Path, layer: str) -> None:
    with atomic_path(target) as tmp:
        frame.to_file(tmp, layer=layer, driver="GPKG", engine="pyogrio")


def write_sample_data(data_dir: Path | str, *, gemeente: str | None = None) -> list[SampleResult]:
    """Write the sample sources for the boundaries in ``data_dir``.

    Reads the buurt and wijk boundaries in any published form (for ``gemeente`` when the
    files hold several municipalities), then writes each sample source in its real
    format: complexes, incidents, the Leefbaarometer grid, and for the heat transition
    surface water, CBS housing figures per buurt, BAG panden and verblijfsobjecten and
    EP-Online labels. A source that already exists and is not entirely sample data is a
    real file and is left alone; an earlier sample of ours that would stand beside real
    data of its kind (and so compete with it in the build) is removed.
    """
    data_dir = Path(data_dir)
    buurten, wijken, _ = load_boundaries(data_dir, gemeente=gemeente)

    results: list[SampleResult] = []
    for name, generate in _vector_generators().items():
        existing = find_source(data_dir, name)
        if existing is not None and not _existing_is_sample(existing):
            results.append(SampleResult(name, existing, SKIPPED_REAL))
            continue
        target = existing or data_dir / f"{name}.gpkg"
        frame = generate(buurten, wijken)
        _write_vector(frame, target, name)
        results.append(SampleResult(name, target, "vernieuwd" if existing else "geschreven"))
    complexen = find_source(data_dir, "complexen")
    homes = gpd.read_file(complexen).geometry if complexen is not None else None
    results.append(_write_leefbaarometer(data_dir, buurten, homes))
    results += _write_heat(data_dir, buurten, wijken)
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
        return SampleResult("leefbaarometer", csv, SKIPPED_REAL)
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


def _write_heat(
    data_dir: Path, buurten: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame
) -> list[SampleResult]:
    """The heat-transition inputs: surface water, CBS housing figures, BAG, EP-Online labels.

    Each in its real published form and file name, each skipped when a real file of its
    kind is there. The BAG is built on the housing figures (real ones where the folder has
    them), the labels on the BAG; labels are only generated for a sample BAG.
    """
    from wijkplan.sample.common import gemeentecode_of

    gm = gemeentecode_of(buurten)
    results: list[SampleResult] = []
    water_result, water = _write_water(data_dir, buurten)
    results.append(water_result)
    labels = [p for p in sorted(data_dir.iterdir()) if _is_eponline(p)]
    profiel, kwb_result = _write_kwb(data_dir, buurten, wijken, gm, skip=tuple(labels))
    results.append(kwb_result)
    bag_result, vbos = _write_bag(data_dir, buurten, profiel, water)
    results.append(bag_result)
    results.append(_write_eponline(data_dir, vbos, gm))
    return results


def _write_water(
    data_dir: Path, buurten: gpd.GeoDataFrame
) -> tuple[SampleResult, gpd.GeoSeries | None]:
    """The schematic surface water; a real water file is kept (and used to place buildings)."""
    from wijkplan.sample.water import GPKG_NAME, LAYER, sample_oppervlaktewater

    existing = find_source(data_dir, "oppervlaktewater")
    if existing is not None and not _existing_is_sample(existing):
        return SampleResult("oppervlaktewater", existing, SKIPPED_REAL), _read_water(
            existing, None, buurten
        )
    for path in sorted(data_dir.iterdir()):
        layer = _water_layer(path) if path.suffix.lower() in (".gpkg", ".gml") else None
        if layer is not None:  # BGT or TOP10NL water: real, and our sample would compete
            if existing is not None:
                existing.unlink()
            action = f"overgeslagen: echt water in {path.name} (laag {layer})"
            return SampleResult("oppervlaktewater", path, action), _read_water(path, layer, buurten)
    frame = sample_oppervlaktewater(buurten)
    target = existing or data_dir / GPKG_NAME
    _write_vector(frame, target, LAYER)
    action = "vernieuwd" if existing else "geschreven"
    return SampleResult("oppervlaktewater", target, action), frame.geometry


#: Layers of real surface water (BGT ``waterdeel``, TOP10NL ``waterdeel_vlak``), folded.
_WATER_LAYERS = ("waterdeel", "bgt_waterdeel", "top10nl_waterdeel_vlak", "waterdeel_vlak")


def _water_layer(path: Path) -> str | None:
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError):
        return None
    return next((name for name in layers if name.casefold() in _WATER_LAYERS), None)


def _read_water(path: Path, layer: str | None, buurten: gpd.GeoDataFrame) -> gpd.GeoSeries | None:
    """A real water layer's geometry around the buurten (to keep sample buildings out)."""
    try:
        real = gpd.read_file(path, layer=layer, bbox=tuple(buurten.total_bounds), engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError):
        return None
    if real.crs is None or not len(real):
        return None
    polygons = real.geometry[real.geometry.geom_type.isin(("Polygon", "MultiPolygon"))]
    return polygons if len(polygons) else None


def _write_kwb(
    data_dir: Path,
    buurten: gpd.GeoDataFrame,
    wijken: gpd.GeoDataFrame,
    gm: str,
    *,
    skip: tuple[Path, ...] = (),
) -> tuple[pd.DataFrame, SampleResult]:
    """The CBS housing figures per buurt (85984NED TypedDataSet CSV), unless real ones exist.

    Returns the housing profile the BAG is generated from: the real inhabitants and
    dwelling stock per buurt where the folder's CBS tables give them (``skip``: files not
    to read as tables, such as a national EP-Online file).
    """
    from wijkplan.sample.woningen import (
        kerncijfers_per_buurt,
        kwb_file_name,
        sample_kwb_woningen,
        woningprofiel,
        write_kwb_csv,
    )

    target = data_dir / kwb_file_name(gm)
    real, stock_tables = kerncijfers_per_buurt(data_dir, buurten, skip=(target, *skip))
    profiel = woningprofiel(
        buurten, wijken, inwoners=real["aantal_inwoners"], woningen=real["woningvoorraad"]
    )
    existed = target.exists()
    if existed and not _csv_is_sample(target):
        return profiel, SampleResult("cbs-woningen", target, SKIPPED_REAL)
    in_boundaries = "woningvoorraad" in buurten.columns and bool(
        pd.to_numeric(buurten["woningvoorraad"], errors="coerce").notna().mean() >= 0.5
    )
    if stock_tables or in_boundaries:
        names = ", ".join(p.name for p in stock_tables) or "de buurtgrenzen"
        if existed:  # our own sample beside real figures: it would compete in the build
            target.unlink()
            return profiel, SampleResult(
                "cbs-woningen", target, f"verwijderd: echte woningcijfers per buurt in {names}"
            )
        return profiel, SampleResult(
            "cbs-woningen", None, f"overgeslagen: echte woningcijfers per buurt in {names}"
        )
    frame = sample_kwb_woningen(profiel, buurten)
    with atomic_path(target) as tmp:
        write_kwb_csv(frame, tmp)
    return profiel, SampleResult("cbs-woningen", target, "vernieuwd" if existed else "geschreven")


def _write_bag(
    data_dir: Path,
    buurten: gpd.GeoDataFrame,
    profiel: pd.DataFrame,
    water: gpd.GeoSeries | None,
) -> tuple[SampleResult, gpd.GeoDataFrame | None]:
    """The BAG panden and verblijfsobjecten (bag-light.gpkg), unless a real BAG file exists."""
    from wijkplan.sample.bag import GPKG_NAME, sample_bag, write_bag

    target = data_dir / GPKG_NAME
    existed = target.exists()
    if existed and not _all_layers_sample(target):
        return SampleResult("bag", target, SKIPPED_REAL), None
    for other in sorted(data_dir.glob("*.gpkg")):
        if other != target and _has_layer(other, "pand") and not _all_layers_sample(other):
            return SampleResult("bag", other, "overgeslagen: echt BAG-bestand aanwezig"), None
    panden, vbos = sample_bag(buurten, profiel, water=water)
    with atomic_path(target) as tmp:
        write_bag(panden, vbos, tmp)
    return SampleResult("bag", target, "vernieuwd" if existed else "geschreven"), vbos


def _has_layer(path: Path, name: str) -> bool:
    try:
        return any(str(layer).casefold() == name for layer, _ in pyogrio.list_layers(path))
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError):
        return False


def _write_eponline(data_dir: Path, vbos: gpd.GeoDataFrame | None, gm: str) -> SampleResult:
    """The EP-Online bulk CSV for the sample BAG, unless a real EP-Online file exists.

    Our own earlier sample files are removed when they would stand beside a real file or a
    real BAG (their ids would point nowhere), or beside the new one (one file per folder).
    """
    from wijkplan.sample.eponline import CSV_NAME, sample_eponline, write_eponline_csv

    target = data_dir / CSV_NAME
    candidates = [p for p in sorted(data_dir.iterdir()) if _is_eponline(p)]
    real = [p for p in candidates if p.suffix.lower() == ".zip" or not _csv_is_sample(p)]
    ours = [p for p in candidates if p not in real]
    if real or vbos is None:
        for path in ours:
            path.unlink()
        why = (
            f"echt EP-Online-bestand aanwezig ({real[0].name})"
            if real
            else "de BAG is echt; voorbeeldlabels horen bij de voorbeeld-BAG"
        )
        return SampleResult("ep-online", real[0] if real else None, f"overgeslagen: {why}")
    for path in ours:
        if path != target:
            path.unlink()
    frame = sample_eponline(vbos, gm)
    with atomic_path(target) as tmp:
        write_eponline_csv(frame, tmp)
    return SampleResult("ep-online", target, "vernieuwd" if target in ours else "geschreven")


def _is_eponline(path: Path) -> bool:
    """An EP-Online bulk file (CSV, or a zip holding one), recognised by its header."""
    marks = (b"Pand_energieklasse", b"Pand_bagverblijfsobjectid")
    try:
        if path.suffix.lower() == ".csv":
            with path.open("rb") as fh:
                head = fh.read(8192)
        elif path.suffix.lower() == ".zip" and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                members = [n for n in archive.namelist() if n.lower().endswith(".csv")]
                if not members:
                    return False
                with archive.open(members[0]) as fh:
                    head = fh.read(8192)
        else:
            return False
    except (OSError, zipfile.BadZipFile):
        return False
    return all(mark in head for mark in marks)
