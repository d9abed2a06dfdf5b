"""Writing the built GeoPackage: every layer checked against the catalogue, atomically.

The file carries its own description for GIS users: each layer's title and
description in ``gpkg_contents``, each column's title and meaning in
``gpkg_data_columns`` (the GeoPackage schema extension), the whole catalogue as
table ``catalogus``, the build report as table ``build_report`` and the QGIS style of
every layer with geometry in ``layer_styles`` (:mod:`wijkplan.styles`). Nothing is
visible under the target name until everything is written (temporary file, then
rename).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from wijkplan import catalogue
from wijkplan.outputs.atomic import atomic_path
from wijkplan.outputs.geopackage import GPKG_OPTIONS, describe_columns, layer_options
from wijkplan.report import ABSENT, BuildReport
from wijkplan.settings import CRS_RD
from wijkplan.styles import STYLES_TABLE, write_gpkg_styles


class CatalogueMismatch(RuntimeError):
    """The build produced a layer that differs from its catalogue declaration (a bug)."""


def check_layers(
    layers: Mapping[str, pd.DataFrame], *, categories: Sequence[str], sources: Iterable[str]
) -> None:
    """Every layer declared and conforming, in EPSG:28992, and every layer the present
    ``sources`` call for written; else raise :class:`CatalogueMismatch`."""
    sources = set(sources)
    problems = [
        f"laag {name}: ontbreekt (bronnen {', '.join(sorted(sources))} zijn aanwezig)"
        for name in catalogue.LAYERS
        if catalogue.layer(name).theme != "bouw"
        and catalogue.layer_needed(name, sources)
        and name not in layers
    ]
    for name, frame in layers.items():
        problems += catalogue.frame_problems(name, frame, categories=categories, sources=sources)
        if isinstance(frame, gpd.GeoDataFrame) and (
            frame.crs is None or frame.crs.to_epsg() != 28992
        ):
            problems.append(f"laag {name}: niet in {CRS_RD}")
    if problems:
        raise CatalogueMismatch("\n".join(problems))


def write_geopackage(
    layers: Mapping[str, pd.DataFrame],
    report: BuildReport,
    out: Path | str,
    *,
    categories: Sequence[str],
) -> None:
    """Write every layer, the catalogue and the report to ``out`` (EPSG:28992), atomically."""
    present = {s.name for s in report.sources if s.kind != ABSENT}
    check_layers(layers, categories=categories, sources=present)
    report.layers = {name: len(frame) for name, frame in layers.items()}
    with atomic_path(Path(out)) as tmp:
        for name, frame in layers.items():
            _write(tmp, name, frame)
        kinds = {s.name: s.kind for s in report.sources}
        _write(tmp, catalogue.CATALOGUE_TABLE, catalogue.catalogue_table(categories, kinds))
        _write(tmp, catalogue.REPORT_TABLE, pd.DataFrame({"report": [report.to_json()]}))
        # the QGIS style of every layer with geometry, so that it opens styled
        write_gpkg_styles(tmp, layers)
        describe_columns(
            tmp,
            [*layers, catalogue.CATALOGUE_TABLE, catalogue.REPORT_TABLE, STYLES_TABLE],
            categories,
        )


def _write(path: Path, name: str, frame: pd.DataFrame) -> None:
    spec = catalogue.layer(name)
    options = layer_options(name)
    if isinstance(frame, gpd.GeoDataFrame):
        pyogrio.write_dataframe(
            frame,
            path,
            layer=name,
            driver="GPKG",
            dataset_options=GPKG_OPTIONS,
            layer_options=options,
            promote_to_multi=spec.geometry == "MultiPolygon",
        )
    else:
        pyogrio.write_dataframe(
            pd.DataFrame(frame),
            path,
            layer=name,
            driver="GPKG",
            dataset_options=GPKG_OPTIONS,
            layer_options=options,
        )
