"""``<schema>.wijkplan_metadata``: one row per table wijkplan wrote, with its provenance.

The table is also how an export knows which tables in the schema are its own: a table not
listed there is never replaced or dropped.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from wijkplan import __version__
from wijkplan.export.postgis.plan import METADATA_TABLE, SRID, TablePlan

__all__ = ["COLUMNS", "listed_tables", "write_metadata"]

COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("tabel", "text PRIMARY KEY", "Naam van de tabel in dit schema"),
    ("titel", "text", "Titel van de laag"),
    ("beschrijving", "text", "Beschrijving uit de catalogus"),
    ("thema", "text", "Thema van de laag"),
    ("soort", "text", "echt, voorbeelddata of afgeleid"),
    ("afgeschermd", "boolean", "Bevat afgeschermde kleine aantallen"),
    ("geometrie", "text", "Geometrietype (leeg: tabel zonder geometrie)"),
    ("srid", "integer", "Coördinatenstelsel (28992: RD New)"),
    ("sleutel", "text", "Primaire sleutel"),
    ("aantal", "bigint", "Aantal rijen"),
    ("gebied", "text", "Alleen dit gebied (leeg: alles)"),
    ("geexporteerd_op", "timestamptz", "Moment van de export"),
    ("wijkplan_versie", "text", "Versie van wijkplan"),
    ("metadata", "jsonb", "Herkomst van de export (bronnen, jaren, licenties, voorbeelddata)"),
    (
        "stijl",
        "boolean",
        "Stijl geschreven in public.layer_styles (leeg: de tabel heeft geen stijl)",
    ),
    ("opmerkingen", "text", "Wat anders ging dan de catalogus zegt (leeg: niets)"),
)


def listed_tables(cur: Any, schema: str) -> set[str] | None:
    """The tables the schema's metadata table lists (None: there is no metadata table)."""
    from psycopg import sql

    cur.execute("SELECT to_regclass(%s) IS NOT NULL", (f'"{schema}"."{METADATA_TABLE}"',))
    if not cur.fetchone()[0]:
        return None
    cur.execute(
        sql.SQL("SELECT tabel FROM {}.{}").format(
            sql.Identifier(schema), sql.Identifier(METADATA_TABLE)
        )
    )
    return {str(r[0]) for r in cur.fetchall()}


def _create_or_extend(cur: Any, schema: str, exists: bool) -> None:
    from psycopg import sql

    S = sql.Identifier(schema)
    M = sql.Identifier(METADATA_TABLE)
    if exists:  # an older export's table: add the columns it lacks
        cur.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
            "AND NOT attisdropped",
            (f'"{schema}"."{METADATA_TABLE}"',),
        )
        present = {str(r[0]) for r in cur.fetchall()}
        missing = [(n, t, m) for n, t, m in COLUMNS if n not in present]
    else:
        cur.execute(
            sql.SQL("CREATE TABLE {}.{} ({})").format(
                S,
                M,
                sql.SQL(", ").join(
                    sql.SQL("{} {}").format(sql.Identifier(n), sql.SQL(t)) for n, t, _ in COLUMNS
                ),
            )
        )
        cur.execute(
            sql.SQL("COMMENT ON TABLE {}.{} IS {}").format(
                S, M, sql.Literal("Herkomst van elke tabel die wijkplan in dit schema schreef.")
            )
        )
        missing = list(COLUMNS)
    for n, t, meaning in missing:
        if exists:
            cur.execute(
                sql.SQL("ALTER TABLE {}.{} ADD COLUMN {} {}").format(
                    S, M, sql.Identifier(n), sql.SQL(t)
                )
            )
        cur.execute(
            sql.SQL("COMMENT ON COLUMN {}.{}.{} IS {}").format(
                S, M, sql.Identifier(n), sql.Literal(meaning)
            )
        )


def write_metadata(
    cur: Any,
    schema: str,
    plans: Sequence[TablePlan],
    *,
    listed: Collection[str] | None,
    gebied: str | None,
    document: Mapping[str, Any],
    kinds: Mapping[str, str],
    dropped: Sequence[str],
    styled: Collection[str],
    unstyled: Mapping[str, str],
) -> None:
    """Replace the rows of the tables written and dropped.

    ``styled``: tables whose style was written; ``unstyled``: tables with a style that was
    not written, and why (Dutch), which goes into ``opmerkingen``.
    """
    from psycopg import sql

    S = sql.Identifier(schema)
    M = sql.Identifier(METADATA_TABLE)
    _create_or_extend(cur, schema, listed is not None)
    cur.execute(
        sql.SQL("DELETE FROM {}.{} WHERE tabel = ANY(%s)").format(S, M),
        ([p.name for p in plans] + list(dropped),),
    )
    now = datetime.now(UTC)
    text = json.dumps(document, ensure_ascii=False, default=str)
    names = [n for n, _, _ in COLUMNS]
    insert = sql.SQL("INSERT INTO {}.{} ({}) VALUES ({})").format(
        S,
        M,
        sql.SQL(", ").join(map(sql.Identifier, names)),
        sql.SQL(", ").join(sql.Placeholder() * len(names)),
    )
    rows = []
    for p in plans:
        notes = [*p.warnings, *([unstyled[p.name]] if p.name in unstyled else [])]
        style = True if p.name in styled else False if p.name in unstyled else None
        rows.append(
            (
                p.name,
                p.spec.title,
                p.spec.description,
                p.spec.theme,
                kinds.get(p.name, p.spec.kind),
                p.spec.suppressed,
                p.geometry_type,
                SRID if p.geometry_type else None,
                ", ".join(p.key or ("fid",)),
                p.rows,
                gebied,
                now,
                __version__,
                text,
                style,
                "; ".join(notes) or None,
            )
        )
    cur.executemany(insert, rows)
