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

import contextlib
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from wijkplan import catalogue
from wijkplan.outputs.atomic import atomic_path
from wijkplan.report import ABSENT, BuildReport
from wijkplan.settings import CRS_RD
from wijkplan.styles import STYLES_TABLE, write_gpkg_styles

#: GeoPackage 1.2 is read by every QGIS 3.x and GDAL >= 2.2 (1.4 warns in older GDAL).
GPKG_OPTIONS = {"VERSION": "1.2"}


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
        _describe_columns(
            tmp,
            [*layers, catalogue.CATALOGUE_TABLE, catalogue.REPORT_TABLE, STYLES_TABLE],
            categories,
        )


def _write(path: Path, name: str, frame: pd.DataFrame) -> None:
    spec = catalogue.layer(name)
    options = {"IDENTIFIER": spec.title, "DESCRIPTION": spec.description}
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


_DATA_COLUMNS = """
CREATE TABLE IF NOT EXISTS gpkg_data_columns (
    table_name TEXT NOT NULL,
    column_name TEXT NOT NULL,
    name TEXT,
    title TEXT,
    description TEXT,
    mime_type TEXT,
    constraint_name TEXT,
    CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name),
    CONSTRAINT gdc_tn UNIQUE (table_name, name)
)
"""
_EXTENSIONS = """
CREATE TABLE IF NOT EXISTS gpkg_extensions (
    table_name TEXT,
    column_name TEXT,
    extension_name TEXT NOT NULL,
    definition TEXT NOT NULL,
    scope TEXT NOT NULL,
    CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
)
"""
_EXTENSION = (
    "gpkg_data_columns",
    None,
    "gpkg_schema",
    "http://www.geopackage.org/spec/#extension_schema",
    "read-write",
)


def _describe_columns(path: Path, names: Sequence[str], categories: Sequence[str]) -> None:
    """Column titles and meanings in ``gpkg_data_columns`` (shown as field aliases by GDAL/QGIS)."""
    rows = []
    for name in names:
        used: set[str] = set()
        for c in catalogue.expand(catalogue.layer(name), categories):
            title = c.title if c.title not in used else f"{c.title} [{c.name}]"
            used.add(title)
            rows.append(
                (name, c.name, title, c.title, f"{c.meaning}; {catalogue.presence_text(c.when)}")
            )
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        present = {
            (t, c)
            for t in names
            for (c,) in db.execute(f'SELECT name FROM pragma_table_info("{t}")')
        }
        db.execute(_EXTENSIONS)
        db.execute(_DATA_COLUMNS)
        db.execute(
            "INSERT OR IGNORE INTO gpkg_extensions "
            "(table_name, column_name, extension_name, definition, scope) VALUES (?, ?, ?, ?, ?)",
            _EXTENSION,
        )
        db.executemany(
            "INSERT OR REPLACE INTO gpkg_data_columns "
            "(table_name, column_name, name, title, description) VALUES (?, ?, ?, ?, ?)",
            [r for r in rows if (r[0], r[1]) in present],
        )
