"""Describing a GeoPackage to GIS users: column titles and metadata documents.

Shared by everything that writes a GeoPackage (the build, the exports) and free of the
build pipeline, so that the reading side may use it:

- :func:`describe_columns` fills ``gpkg_data_columns`` (the GeoPackage schema extension)
  with each column's title and meaning from the catalogue; GDAL and QGIS show the titles
  as field aliases.
- :func:`write_metadata` fills ``gpkg_metadata`` and ``gpkg_metadata_reference`` (the
  GeoPackage metadata extension) with documents for the whole file or for one table.

Both work on a closed file through :mod:`sqlite3`, after GDAL has written the layers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from wijkplan import catalogue

__all__ = [
    "GPKG_OPTIONS",
    "MetadataDocument",
    "describe_columns",
    "layer_options",
    "write_metadata",
]

#: GeoPackage 1.2 is read by every QGIS 3.x and GDAL >= 2.2 (1.4 warns in older GDAL).
GPKG_OPTIONS = {"VERSION": "1.2"}

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
_SCHEMA_EXTENSION = (
    "gpkg_data_columns",
    None,
    "gpkg_schema",
    "http://www.geopackage.org/spec/#extension_schema",
    "read-write",
)
# The metadata extension as GeoPackage 1.2 (the version written) defines it.
_METADATA = """
CREATE TABLE IF NOT EXISTS gpkg_metadata (
    id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL,
    md_scope TEXT NOT NULL DEFAULT 'dataset',
    md_standard_uri TEXT NOT NULL,
    mime_type TEXT NOT NULL DEFAULT 'text/xml',
    metadata TEXT NOT NULL DEFAULT ''
)
"""
_METADATA_REFERENCE = """
CREATE TABLE IF NOT EXISTS gpkg_metadata_reference (
    reference_scope TEXT NOT NULL,
    table_name TEXT,
    column_name TEXT,
    row_id_value INTEGER,
    timestamp DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    md_file_id INTEGER NOT NULL,
    md_parent_id INTEGER,
    CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES gpkg_metadata(id),
    CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES gpkg_metadata(id)
)
"""
_METADATA_DEFINITION = "http://www.geopackage.org/spec120/#extension_metadata"


def layer_options(name: str) -> dict[str, str]:
    """GDAL layer creation options that put a layer's title and description in
    ``gpkg_contents`` (QGIS shows them in the layer properties)."""
    spec = catalogue.layer(name)
    return {"IDENTIFIER": spec.title, "DESCRIPTION": spec.description}


def describe_columns(path: Path | str, names: Sequence[str], categories: Sequence[str]) -> None:
    """Column titles and meanings in ``gpkg_data_columns`` (shown as field aliases by GDAL/QGIS).

    Only columns present in the file are described; ``categories`` are the incident
    categories that ``{categorie}`` columns stand for.
    """
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
            _SCHEMA_EXTENSION,
        )
        db.executemany(
            "INSERT OR REPLACE INTO gpkg_data_columns "
            "(table_name, column_name, name, title, description) VALUES (?, ?, ?, ?, ?)",
            [r for r in rows if (r[0], r[1]) in present],
        )


@dataclass(frozen=True)
class MetadataDocument:
    """One metadata document and what it describes.

    ``table`` None: the whole GeoPackage (reference scope ``geopackage``); else that table
    (reference scope ``table``). ``standard_uri`` names the structure the document follows
    (e.g. ``http://purl.org/dc/elements/1.1/`` for Dublin Core, ``http://mrcc.com/qgis.dtd``
    for QGIS layer metadata, which QGIS reads from this table).
    """

    standard_uri: str
    document: str
    table: str | None = None
    mime_type: str = "text/xml"
    scope: str = "dataset"


def write_metadata(path: Path | str, documents: Iterable[MetadataDocument]) -> None:
    """Add ``documents`` to the GeoPackage's metadata extension tables (created if absent)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute(_EXTENSIONS)
        db.execute(_METADATA)
        db.execute(_METADATA_REFERENCE)
        db.executemany(
            "INSERT OR IGNORE INTO gpkg_extensions "
            "(table_name, column_name, extension_name, definition, scope) VALUES (?, ?, ?, ?, ?)",
            [
                (table, None, "gpkg_metadata", _METADATA_DEFINITION, "read-write")
                for table in ("gpkg_metadata", "gpkg_metadata_reference")
            ],
        )
        for doc in documents:
            cursor = db.execute(
                "INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) "
                "VALUES (?, ?, ?, ?)",
                (doc.scope, doc.standard_uri, doc.mime_type, doc.document),
            )
            db.execute(
                "INSERT INTO gpkg_metadata_reference "
                "(reference_scope, table_name, column_name, row_id_value, timestamp, md_file_id) "
                "VALUES (?, ?, NULL, NULL, ?, ?)",
                (
                    "geopackage" if doc.table is None else "table",
                    doc.table,
                    stamp,
                    cursor.lastrowid,
                ),
            )
