"""QGIS's ``layer_styles`` table: in a GeoPackage (sqlite3) and as rows for PostGIS.

QGIS keeps the styles of a database's layers in a table ``layer_styles`` and opens a
layer with the row marked ``useAsDefault``. In a GeoPackage QGIS creates that table
through GDAL (QgsOgrProviderMetadata::saveStyle): the columns below, the fid column
``id``, registered in ``gpkg_contents`` as ``attributes`` with a feature count in
``gpkg_ogr_contents`` kept by two triggers. :func:`write_styles` creates it the same way
(with the catalogue's title and description in ``gpkg_contents``), so that QGIS and GDAL
read and extend it as their own, and replaces our rows on every run. In PostGIS the table
(``public.layer_styles``) has lower-case column names; :func:`postgis_rows` gives rows
keyed by those.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from wijkplan import catalogue
from wijkplan.styles import STYLES_TABLE
from wijkplan.styles.definitions import layer_styles
from wijkplan.styles.model import Style
from wijkplan.styles.qgis_style import to_qml
from wijkplan.styles.sld_style import to_sld

#: ``layer_styles`` exactly as QGIS 3.22 creates it in a GeoPackage through GDAL.
_CREATE = (
    'CREATE TABLE "layer_styles" ( "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
    '"f_table_catalog" TEXT(256), "f_table_schema" TEXT(256), "f_table_name" TEXT(256), '
    '"f_geometry_column" TEXT(256), "styleName" TEXT(30), "styleQML" TEXT, "styleSLD" TEXT, '
    '"useAsDefault" BOOLEAN, "description" TEXT, "owner" TEXT(30), "ui" TEXT(30), '
    "\"update_time\" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"
)
_TRIGGERS = (
    'CREATE TRIGGER "trigger_insert_feature_count_layer_styles" AFTER INSERT ON '
    '"layer_styles" BEGIN UPDATE gpkg_ogr_contents SET feature_count = feature_count + 1 '
    "WHERE lower(table_name) = lower('layer_styles'); END",
    'CREATE TRIGGER "trigger_delete_feature_count_layer_styles" AFTER DELETE ON '
    '"layer_styles" BEGIN UPDATE gpkg_ogr_contents SET feature_count = feature_count - 1 '
    "WHERE lower(table_name) = lower('layer_styles'); END",
)
_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"


def styles_of(layers: Iterable[str]) -> list[Style]:
    """Every style of the given layers (tables have none), each layer's default first."""
    return [style for name in dict.fromkeys(layers) for style in layer_styles(name)]


def write_styles(gpkg: Path | str, layers: Iterable[str]) -> None:
    """Write the styles of ``layers`` into the GeoPackage's ``layer_styles`` (see the
    module); tables in ``layers`` are skipped, a layer with geometry must be in the file."""
    path = Path(gpkg)
    if not path.is_file():
        raise FileNotFoundError(f"GeoPackage {path} bestaat niet")
    styles = styles_of(layers)
    if not styles:
        return
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        columns = dict(
            db.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall()
        )
        missing = sorted({s.layer for s in styles} - set(columns))
        if missing:
            raise ValueError(f"{path}: laag {', '.join(missing)} staat niet in het bestand")
        _ensure_table(db)
        for age, style in enumerate(styles):
            geometry = columns[style.layer]
            db.execute(
                "DELETE FROM \"layer_styles\" WHERE f_table_schema = '' AND f_table_name = ? "
                "AND f_geometry_column = ? AND styleName = ?",
                (style.layer, geometry, style.name),
            )
            if style.default:  # one default per layer, as QGIS's own saveStyle leaves it
                db.execute(
                    'UPDATE "layer_styles" SET useAsDefault = 0 WHERE f_table_name = ? '
                    "AND f_geometry_column = ? AND useAsDefault",
                    (style.layer, geometry),
                )
            db.execute(
                'INSERT INTO "layer_styles" (f_table_catalog, f_table_schema, f_table_name, '
                "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, "
                f"owner, update_time) VALUES ('', '', ?, ?, ?, ?, ?, ?, ?, '', {_NOW[:-1]}, ?))",
                (
                    style.layer,
                    geometry,
                    style.name,
                    to_qml(style),
                    to_sld(style),
                    1 if style.default else 0,
                    style.description,
                    # a second apart: QGIS's list of a file's styles repeats rows of one time
                    f"-{age} seconds",
                ),
            )
        db.execute(
            "UPDATE gpkg_ogr_contents SET feature_count = (SELECT count(*) FROM layer_styles) "
            "WHERE lower(table_name) = 'layer_styles'"
        )
        db.execute(
            f"UPDATE gpkg_contents SET last_change = {_NOW} WHERE table_name = 'layer_styles'"
        )


def _ensure_table(db: sqlite3.Connection) -> None:
    """Create ``layer_styles`` and register it as QGIS (through GDAL) does, if missing."""
    spec = catalogue.layer(STYLES_TABLE)
    exists = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'layer_styles'"
    ).fetchone()
    if not exists:
        db.execute(_CREATE)
    db.execute(
        "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, "
        f"last_change, srs_id) VALUES ('layer_styles', 'attributes', ?, ?, {_NOW}, 0)",
        (spec.title, spec.description),
    )
    has_counts = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_ogr_contents'"
    ).fetchone()
    if has_counts and not exists:
        db.execute(
            "INSERT OR IGNORE INTO gpkg_ogr_contents (table_name, feature_count) "
            "VALUES ('layer_styles', 0)"
        )
        for trigger in _TRIGGERS:
            db.execute(trigger)


def postgis_rows(
    layers: Iterable[str], *, schema: str, catalog: str, geometry_column: str
) -> list[dict[str, Any]]:
    """The rows of a PostGIS ``public.layer_styles`` for ``layers`` (lower-case keys, as
    QGIS names the columns there; no id, owner or update time: the database fills them)."""
    return [
        {
            "f_table_catalog": catalog,
            "f_table_schema": schema,
            "f_table_name": style.layer,
            "f_geometry_column": geometry_column,
            "stylename": style.name,
            "styleqml": to_qml(style),
            "stylesld": to_sld(style),
            "useasdefault": style.default,
            "description": style.description,
        }
        for style in styles_of(layers)
    ]
