"""The tables in the target schema: loading a staging table, keeping grants, refusing tables
wijkplan did not write, waiting for locks without blocking readers, and the swap."""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence
from typing import Any

from wijkplan import catalogue
from wijkplan.export.postgis.connection import PostgisError, describe_dsn, failed
from wijkplan.export.postgis.plan import GEOMETRY_COLUMN, METADATA_TABLE, SRID, TablePlan

__all__ = [
    "LOCK_TIMEOUT",
    "LOCK_TRY",
    "LOCK_WAIT",
    "check_ours",
    "drop",
    "ensure_schema",
    "existing",
    "grants",
    "load",
    "lock",
    "stale_tables",
    "swap",
    "wait_for_other_export",
]

_SCHEMA_COMMENT = (
    "Lagen van wijkplan (EPSG:28992), met stijlen in public.layer_styles; herkomst per tabel "
    "in {schema}." + METADATA_TABLE + "."
)


#: How long one statement of the export waits for a lock before it fails.
LOCK_TIMEOUT = "60s"
#: How long, in all, the export waits for the tables it replaces (or for another export).
LOCK_WAIT = 60.0
#: How long one try at locking all those tables waits; between tries nothing is held.
LOCK_TRY = "2s"
#: Seconds between two tries.
RETRY_PAUSE = 0.2


def load(cur: Any, schema: str, gis: str, plan: TablePlan) -> None:
    """Create and fill the staging table, with key, index and comments."""
    from psycopg import sql

    S = sql.Identifier(schema)
    T = sql.Identifier(plan.staging)
    cur.execute(sql.SQL("DROP TABLE IF EXISTS {}.{}").format(S, T))
    defs: list[sql.Composable] = []
    if not plan.key:
        defs.append(sql.SQL("fid serial NOT NULL"))
    defs += [
        sql.SQL("{} {}").format(sql.Identifier(c.name), sql.SQL(c.sql_type)) for c in plan.columns
    ]
    if plan.geometry_type:
        defs.append(
            sql.SQL("{} {}.geometry({}, {})").format(
                sql.Identifier(GEOMETRY_COLUMN),
                sql.Identifier(gis),
                sql.SQL(plan.geometry_type),
                sql.Literal(SRID),
            )
        )
    cur.execute(sql.SQL("CREATE TABLE {}.{} ({})").format(S, T, sql.SQL(", ").join(defs)))

    names = [c.name for c in plan.columns] + ([GEOMETRY_COLUMN] if plan.geometry_type else [])
    if names and plan.rows:
        data = [c.values for c in plan.columns] + ([plan.geometries] if plan.geometry_type else [])
        copy_sql = sql.SQL("COPY {}.{} ({}) FROM STDIN").format(
            S, T, sql.SQL(", ").join(map(sql.Identifier, names))
        )
        with cur.copy(copy_sql) as copy:
            for row in zip(*data, strict=True):
                copy.write_row(row)

    key = plan.key or ("fid",)
    cur.execute(
        sql.SQL("ALTER TABLE {}.{} ADD CONSTRAINT {} PRIMARY KEY ({})").format(
            S,
            T,
            sql.Identifier(plan.staging + "_pkey"),
            sql.SQL(", ").join(map(sql.Identifier, key)),
        )
    )
    if plan.geometry_type:
        cur.execute(
            sql.SQL("CREATE INDEX {} ON {}.{} USING gist ({})").format(
                sql.Identifier(plan.staging + "_geom_idx"), S, T, sql.Identifier(GEOMETRY_COLUMN)
            )
        )
    comment = sql.SQL("COMMENT ON {} {} IS {}")
    cur.execute(comment.format(sql.SQL("TABLE"), sql.SQL("{}.{}").format(S, T), plan.comment))
    for c in plan.columns:
        if c.comment:
            target = sql.SQL("{}.{}.{}").format(S, T, sql.Identifier(c.name))
            cur.execute(comment.format(sql.SQL("COLUMN"), target, c.comment))
    if not plan.key:
        target = sql.SQL("{}.{}.fid").format(S, T)
        cur.execute(
            comment.format(
                sql.SQL("COLUMN"), target, "Volgnummer (de laag heeft geen bruikbare sleutel)"
            )
        )
    if plan.geometry_type:
        target = sql.SQL("{}.{}.{}").format(S, T, sql.Identifier(GEOMETRY_COLUMN))
        cur.execute(
            comment.format(sql.SQL("COLUMN"), target, f"Geometrie ({plan.geometry_type}, RD New)")
        )


def ensure_schema(cur: Any, schema: str, database: str, user: str, dsn: str) -> None:
    """Use the schema when it exists (with the rights on it only), else create it; comment it
    when we own it and it has no comment yet."""
    from psycopg import sql

    S = sql.Identifier(schema)
    cur.execute("SELECT to_regnamespace(%s)::oid", (schema,))
    oid = cur.fetchone()[0]
    if oid is None:
        cur.execute("SELECT has_database_privilege(current_database(), 'CREATE')")
        if not cur.fetchone()[0]:
            raise failed(
                dsn,
                f"schema {schema} bestaat niet en {user} mag geen schema maken in database "
                f"{database}; laat een beheerder 'CREATE SCHEMA {schema} AUTHORIZATION {user};' "
                "uitvoeren",
            )
        cur.execute(sql.SQL("CREATE SCHEMA {}").format(S))
        owned, comment = True, None
    else:
        cur.execute(
            "SELECT has_schema_privilege(n.oid, 'USAGE') AND has_schema_privilege(n.oid, "
            "'CREATE'), pg_has_role(n.nspowner, 'USAGE'), obj_description(n.oid, 'pg_namespace') "
            "FROM pg_namespace n WHERE n.oid = %s",
            (oid,),
        )
        allowed, owned, comment = cur.fetchone()
        if not allowed:
            raise failed(
                dsn,
                f"{user} mag geen tabellen maken in schema {schema}; nodig: "
                f"'GRANT USAGE, CREATE ON SCHEMA {schema} TO {user};'",
            )
    if owned and comment is None:
        text = _SCHEMA_COMMENT.format(schema=schema)
        cur.execute(sql.SQL("COMMENT ON SCHEMA {} IS {}").format(S, sql.Literal(text)))


def existing(cur: Any, schema: str, names: Collection[str]) -> dict[str, str]:
    """Which of ``names`` exist in the schema (any kind of relation): name → relkind."""
    cur.execute(
        "SELECT c.relname, c.relkind FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s "
        "AND c.relname = ANY(%s)",
        (schema, list(names)),
    )
    return {str(name): str(kind) for name, kind in cur.fetchall()}


def check_ours(
    cur: Any, schema: str, names: Collection[str], listed: Collection[str] | None, dsn: str
) -> dict[str, str]:
    """Refuse when a table (or view, …) the export would replace is not one wijkplan wrote,
    that is: not listed in the schema's metadata table (``listed``; None: no such table).
    Return the relations that will be replaced."""
    found = existing(cur, schema, names)
    foreign = sorted(name for name in found if listed is None or name not in listed)
    if foreign:
        where = f"{schema}.{METADATA_TABLE}"
        why = "die tabel ontbreekt" if listed is None else "ze staan daar niet in"
        raise PostgisError(
            f"PostGIS-export naar {describe_dsn(dsn)} geweigerd, er is niets veranderd: schema "
            f"{schema} heeft al {', '.join(foreign)}, niet door wijkplan geschreven (volgens "
            f"{where}; {why}); kies een ander schema met --schema of verwijder ze zelf"
        )
    return found


def grants(cur: Any, schema: str, table: str) -> list[tuple[str, str, bool]]:
    """The privileges others hold on an existing table (grantee, privilege, grant option)."""
    cur.execute(
        "SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END, "
        "a.privilege_type, a.is_grantable "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "CROSS JOIN LATERAL aclexplode(c.relacl) a "
        "WHERE n.nspname = %s AND c.relname = %s AND c.relkind = 'r' AND a.grantee <> c.relowner",
        (schema, table),
    )
    return [(str(g), str(p), bool(o)) for g, p, o in cur.fetchall()]


def wait_for_other_export(cur: Any, schema: str, dsn: str) -> None:
    """Take the schema's advisory lock (one wijkplan export per schema at a time); wait up to
    :data:`LOCK_WAIT` seconds for another export to finish, then one Dutch line."""
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        cur.execute(
            "SELECT pg_try_advisory_xact_lock(hashtext(%s))", (f"wijkplan export {schema}",)
        )
        if cur.fetchone()[0]:
            return
        if time.monotonic() >= deadline:
            raise failed(
                dsn,
                f"een andere wijkplan-export naar schema {schema} loopt nog (al {LOCK_WAIT:.0f} s "
                "gewacht); probeer het opnieuw als die klaar is",
            )
        time.sleep(RETRY_PAUSE)


def lock(cur: Any, schema: str, names: Sequence[str], dsn: str) -> None:
    """Lock every table the export replaces or drops at once (ACCESS EXCLUSIVE).

    Each try waits at most :data:`LOCK_TRY` and then gives back what it got, so a reader of one
    table is never kept waiting while the export waits for another; the tries go on for
    :data:`LOCK_WAIT` seconds in all, then one Dutch line names the table in use.
    """
    from psycopg import errors as pe
    from psycopg import sql

    if not names:
        return
    targets = sql.SQL(", ").join(sql.Identifier(schema, n) for n in names)
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        cur.execute("SAVEPOINT wijkplan_lock")
        try:
            cur.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(LOCK_TRY)))
            cur.execute(sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(targets))
        except pe.LockNotAvailable:
            cur.execute("ROLLBACK TO SAVEPOINT wijkplan_lock")
            if time.monotonic() >= deadline:
                busy = ", ".join(f"{schema}.{n}" for n in _in_use(cur, schema, names))
                raise failed(
                    dsn,
                    f"tabel {busy or ', '.join(names)} is al {LOCK_WAIT:.0f} s in gebruik door "
                    "een andere sessie; probeer het later opnieuw",
                ) from None
            time.sleep(RETRY_PAUSE)
            continue
        cur.execute("RELEASE SAVEPOINT wijkplan_lock")
        cur.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(LOCK_TIMEOUT)))
        return


def _in_use(cur: Any, schema: str, names: Sequence[str]) -> list[str]:
    """The tables among ``names`` that another session holds a lock on."""
    cur.execute(
        "SELECT DISTINCT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE l.granted "
        "AND l.pid <> pg_backend_pid() AND n.nspname = %s AND c.relname = ANY(%s) ORDER BY 1",
        (schema, list(names)),
    )
    return [str(r[0]) for r in cur.fetchall()]


def swap(cur: Any, schema: str, plan: TablePlan, grants: list[tuple[str, str, bool]]) -> None:
    """Replace the live table by the staging table (inside the export's transaction)."""
    from psycopg import sql

    S = sql.Identifier(schema)
    new = sql.Identifier(plan.name)
    cur.execute(sql.SQL("DROP TABLE IF EXISTS {}.{}").format(S, new))
    cur.execute(
        sql.SQL("ALTER TABLE {}.{} RENAME TO {}").format(S, sql.Identifier(plan.staging), new)
    )
    cur.execute(
        sql.SQL("ALTER TABLE {}.{} RENAME CONSTRAINT {} TO {}").format(
            S, new, sql.Identifier(plan.staging + "_pkey"), sql.Identifier(plan.name + "_pkey")
        )
    )
    if plan.geometry_type:
        cur.execute(
            sql.SQL("ALTER INDEX {}.{} RENAME TO {}").format(
                S,
                sql.Identifier(plan.staging + "_geom_idx"),
                sql.Identifier(plan.name + "_geom_idx"),
            )
        )
    if not plan.key:
        cur.execute(
            sql.SQL("ALTER SEQUENCE {}.{} RENAME TO {}").format(
                S,
                sql.Identifier(plan.staging + "_fid_seq"),
                sql.Identifier(plan.name + "_fid_seq"),
            )
        )
    for grantee, privilege, grantable in grants:
        cur.execute(
            sql.SQL("GRANT {} ON TABLE {}.{} TO {}{}").format(
                sql.SQL(privilege),
                S,
                new,
                sql.SQL("PUBLIC") if grantee == "PUBLIC" else sql.Identifier(grantee),
                sql.SQL(" WITH GRANT OPTION" if grantable else ""),
            )
        )


def stale_tables(listed: Collection[str] | None, written: Collection[str]) -> list[str]:
    """Tables an earlier export wrote (listed in the metadata table) that this one has not;
    only our own layer names, never anything else a DBA keeps in the schema."""
    if not listed:
        return []
    return sorted(n for n in listed if n not in written and n in catalogue.LAYERS)


def drop(cur: Any, schema: str, names: Sequence[str]) -> None:
    from psycopg import sql

    for name in names:
        cur.execute(
            sql.SQL("DROP TABLE IF EXISTS {}.{}").format(
                sql.Identifier(schema), sql.Identifier(name)
            )
        )
