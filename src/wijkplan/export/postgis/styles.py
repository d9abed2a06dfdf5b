"""QGIS styles in ``public.layer_styles``, the table QGIS reads from PostGIS.

The table is used when it exists and the user may read, insert and delete rows in it (and use
its ``id`` sequence); it is created as QGIS creates it when it is missing and the user may
create tables in ``public``. Otherwise the styles are skipped with a reason: the tables are
written all the same. Our rows (same table and style name) are replaced; a style the user
saved under another name stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wijkplan.export.postgis.plan import GEOMETRY_COLUMN
from wijkplan.styles import layer_styles_rows

__all__ = ["LAYER_STYLES_DDL", "prepare", "styled", "write_styles"]

#: ``public.layer_styles`` as QGIS creates it (QgsPostgresUtils::createStylesTable).
LAYER_STYLES_DDL = """
CREATE TABLE IF NOT EXISTS public.layer_styles (
    id serial PRIMARY KEY,
    f_table_catalog varchar,
    f_table_schema varchar,
    f_table_name varchar,
    f_geometry_column varchar,
    stylename text,
    styleqml xml,
    stylesld xml,
    useasdefault boolean,
    description text,
    owner varchar(63) DEFAULT CURRENT_USER,
    ui xml,
    update_time timestamp DEFAULT CURRENT_TIMESTAMP,
    type varchar,
    r_raster_column varchar
)
"""
#: The columns our rows need at least (older QGIS versions lack ``type``, for instance).
_NEEDED = ("f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column",
           "stylename", "styleqml", "useasdefault")  # fmt: skip
#: Serialises creating the table: two first exports at once would both create it.
_CREATE_LOCK = "wijkplan public.layer_styles"


def prepare(cur: Any) -> str | None:
    """Make ``public.layer_styles`` ready to write to: None when it is, else why not (Dutch)."""
    cur.execute(
        "SELECT to_regnamespace('public') IS NOT NULL "
        "AND has_schema_privilege('public', 'USAGE'), current_user"
    )
    usable_public, user = cur.fetchone()
    if not usable_public:
        return f"schema public ontbreekt of {user} mag het niet gebruiken"
    cur.execute("SELECT to_regclass('public.layer_styles') IS NOT NULL")
    if not cur.fetchone()[0]:
        cur.execute("SELECT has_schema_privilege('public', 'CREATE')")
        if not cur.fetchone()[0]:
            return (
                f"public.layer_styles bestaat niet en {user} mag die niet maken (geen "
                "CREATE-recht op schema public)"
            )
        cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (_CREATE_LOCK,))
        cur.execute(LAYER_STYLES_DDL)  # after the lock: made by another export meanwhile → kept
        return None
    cur.execute(
        "SELECT has_table_privilege('public.layer_styles', 'SELECT') "
        "AND has_table_privilege('public.layer_styles', 'INSERT') "
        "AND has_table_privilege('public.layer_styles', 'DELETE')"
    )
    if not cur.fetchone()[0]:
        return f"{user} mag public.layer_styles niet lezen, aanvullen en opschonen"
    columns = _columns(cur)
    missing = [c for c in _NEEDED if c not in columns]
    if missing:
        return f"public.layer_styles mist kolom {', '.join(missing)}"
    if "id" in columns:
        cur.execute("SELECT pg_get_serial_sequence('public.layer_styles', 'id')")
        sequence = cur.fetchone()[0]
        if sequence is not None:
            cur.execute("SELECT has_sequence_privilege(%s, 'USAGE')", (sequence,))
            if not cur.fetchone()[0]:
                return f"{user} mag de volgnummers (id) van public.layer_styles niet gebruiken"
    return None


def styled(names: Sequence[str]) -> list[str]:
    """The tables among ``names`` that have a style (the layers with geometry)."""
    rows = layer_styles_rows(names, geometry_column=GEOMETRY_COLUMN)
    return list(dict.fromkeys(str(r["f_table_name"]) for r in rows))


def _columns(cur: Any) -> set[str]:
    cur.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = 'public.layer_styles'::regclass "
        "AND attnum > 0 AND NOT attisdropped"
    )
    return {str(r[0]).lower() for r in cur.fetchall()}


def write_styles(
    cur: Any, schema: str, database: str, written: Sequence[str], dropped: Sequence[str]
) -> list[str]:
    """Replace our rows for the tables ``written``, remove those of the tables ``dropped``;
    return the tables that got a style. Call :func:`prepare` first."""
    from psycopg import sql

    existing = _columns(cur)
    if dropped:
        cur.execute(
            "DELETE FROM public.layer_styles WHERE f_table_catalog = %s AND "
            "f_table_schema = %s AND f_table_name = ANY(%s)",
            (database, schema, list(dropped)),
        )
    rows = layer_styles_rows(
        written, schema=schema, catalog=database, geometry_column=GEOMETRY_COLUMN
    )
    for row in rows:
        cur.execute(
            "DELETE FROM public.layer_styles WHERE f_table_catalog = %s AND f_table_schema = %s "
            "AND f_table_name = %s AND stylename = %s",
            (database, schema, row["f_table_name"], row["stylename"]),
        )
        columns = [c for c in row if c in existing]
        cur.execute(
            sql.SQL("INSERT INTO public.layer_styles ({}) VALUES ({})").format(
                sql.SQL(", ").join(map(sql.Identifier, columns)),
                sql.SQL(", ").join(sql.Placeholder() * len(columns)),
            ),
            [row[c] for c in columns],
        )
    return list(dict.fromkeys(str(r["f_table_name"]) for r in rows))
