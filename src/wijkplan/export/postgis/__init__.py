"""Export the built layers into a PostGIS schema, for GIS staff who work from a database.

``wijkplan export --format postgis --dsn postgresql://… [--schema wijkplan]`` writes every
declared layer of the built GeoPackage (or those named, or one area's features) as a table:

* **one transaction for the whole export.** Each layer is first loaded into a staging table
  (``_wijkplan_nieuw_<laag>``, invisible to others until commit), gets its primary key, GiST
  index and comments. Then the export locks all the tables it replaces or drops at once, in
  short tries that give every lock back when one table is still in use (so a reader of one
  table is never kept waiting while the export waits for another; after about a minute it
  stops with the table's name), drops the old tables, renames the staging tables, replaces
  the styles and the metadata rows, and commits. A failure anywhere (bad data, lost
  connection, no rights, a view that depends on an old table) rolls everything back: the
  previous tables stay as they were, complete. Readers wait only for the swap itself. An
  advisory lock serialises two exports into the same schema.
* **only its own tables.** A table is replaced or dropped only when the schema's metadata
  table lists it (wijkplan wrote it); any other table of the same name is refused, and other
  tables in the schema are never touched. A full export (all data layers, no area) mirrors
  the build: tables an earlier export wrote but this one has not are dropped. With ``--layer``
  or ``--gebied`` no table is dropped.
* **primary keys** from the catalogue's key (single or composite); a layer without a key, or
  whose data cannot carry it (duplicates, empty values: a warning, also in the metadata), gets
  a ``fid serial``. **Geometry** in column ``geom`` typed ``geometry(<type>, 28992)``: the
  declared ``MultiPolygon`` (polygons promoted), else the data's own type, and ``Geometry``
  when the types are mixed; a **GiST index** on it.
* **comments** from the catalogue: ``COMMENT ON TABLE`` (title, description, kind, whether
  small counts are suppressed) and ``COMMENT ON COLUMN`` (Dutch meaning and unit).
* **styles** in ``public.layer_styles``, the table QGIS reads from PostGIS (see
  :mod:`.styles`); without the rights for it the styles are skipped with a warning.
* **metadata**: ``<schema>.wijkplan_metadata``, one row per table with title, kind, count,
  area, export time, whether its style was written, warnings and the export's full
  provenance as ``jsonb``.
* privileges granted on a replaced table are granted again on the new one.

**Rights needed.** A schema the user may create tables in (``USAGE`` and ``CREATE`` on it; an
existing schema is used as it is, a missing one is created, which needs ``CREATE`` on the
database). Optional: ``public.layer_styles`` with ``SELECT``, ``INSERT`` and ``DELETE`` (and
``USAGE`` on its ``id`` sequence), or ``CREATE`` on schema ``public`` to create it. The schema
gets a comment only when the user owns it. No superuser, no rights on the database needed.

Privacy: every suppressed layer passes :func:`~wijkplan.analysis.privacy.assert_no_small_counts`
on its count columns before anything is written, and only declared layers are written (there
is no layer of incident points).

A bad DSN or schema name, an unreachable server, refused credentials, missing rights or a
database without PostGIS is one Dutch line (exit 2) and changes nothing. The password is
never part of any message.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wijkplan import read
from wijkplan.export import describe
from wijkplan.export.model import ExportSet
from wijkplan.export.postgis import metadata as meta
from wijkplan.export.postgis import styles, tables
from wijkplan.export.postgis.connection import (
    DEFAULT_SCHEMA,
    PostgisError,
    check_postgis,
    check_schema_name,
    connect,
    conninfo,
    describe_dsn,
    raise_if_user_error,
)
from wijkplan.export.postgis.plan import (
    GEOMETRY_COLUMN,
    METADATA_TABLE,
    SRID,
    STAGING_PREFIX,
    TablePlan,
    plan_table,
)
from wijkplan.export.select import check_privacy, default_layers, select_layers

__all__ = [
    "DEFAULT_SCHEMA",
    "GEOMETRY_COLUMN",
    "METADATA_TABLE",
    "SRID",
    "STAGING_PREFIX",
    "Outcome",
    "PostgisError",
    "add_postgis_arguments",
    "describe_dsn",
    "export_postgis",
    "plan_table",
    "run_postgis",
    "write",
]


def _warn(text: str) -> None:
    print(f"Waarschuwing: {text}", file=sys.stderr)


@dataclass
class Outcome:
    """What an export did to the schema."""

    schema: str
    database: str = ""
    user: str = ""
    #: tables written (new or replaced), in catalogue order
    written: list[str] = field(default_factory=list)
    #: of those, the ones that replaced a table of an earlier export
    replaced: list[str] = field(default_factory=list)
    #: tables of an earlier export dropped (a full export only)
    dropped: list[str] = field(default_factory=list)
    #: the area's code and name, when the export was for one area
    gebied: str | None = None
    gebied_label: str | None = None
    #: Dutch lines: what did not go as it should (a key fallback, styles skipped)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Selection:
    """An export set as this writer needs it: frames, provenance, area code, full or not."""

    layers: dict[str, Any]
    metadata: dict[str, Any]
    gebied: str | None
    gebied_label: str | None
    #: every data layer of the build was chosen, for all areas (the schema then mirrors it)
    complete: bool


def _selection(export_set: ExportSet) -> _Selection:
    chosen = set(export_set.layers) | set(export_set.notes)
    available = default_layers(read.layer_names(export_set.source))
    area = export_set.gebied
    return _Selection(
        layers=dict(export_set.layers),
        metadata=dict(describe.metadata(export_set)),
        gebied=area.code if area is not None else None,
        gebied_label=area.label if area is not None else None,
        complete=area is None and chosen >= set(available),
    )


def export_postgis(
    layers_path: Path | str,
    dsn: str,
    *,
    schema: str = DEFAULT_SCHEMA,
    names: Sequence[str] | None = None,
    gebied: str | None = None,
    progress: Callable[[str], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> list[str]:
    """Write the built layers to ``schema`` in one transaction; return the tables written.

    The layers are those :func:`~wijkplan.export.select_layers` chooses: all data layers, or
    ``names``, for one area (``gebied``) or all. When every data layer is chosen for all
    areas the schema mirrors the export: tables that an earlier export wrote but this one has
    not (a source gone from the build, an empty layer) are dropped. With ``names`` or
    ``gebied`` the other tables stay. Warnings go to ``warn`` (default: standard error).
    """
    return _export(layers_path, dsn, schema, names, gebied, progress, warn).written


def _export(
    layers_path: Path | str,
    dsn: str,
    schema: str,
    names: Sequence[str] | None,
    gebied: str | None,
    progress: Callable[[str], None] | None,
    warn: Callable[[str], None] | None,
) -> Outcome:
    _check_target(dsn, schema)  # a bad DSN or schema is one line before anything is read
    return _write_set(select_layers(layers_path, names, gebied), dsn, schema, progress, warn)


def write(
    export_set: ExportSet,
    *,
    dsn: str,
    schema: str = DEFAULT_SCHEMA,
    progress: Callable[[str], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> list[str]:
    """Write an :class:`~wijkplan.export.ExportSet` to PostGIS in one transaction; return the
    tables written. Warnings go to ``warn`` (default: standard error)."""
    return _write_set(export_set, dsn, schema, progress, warn).written


def _write_set(
    export_set: ExportSet,
    dsn: str,
    schema: str,
    progress: Callable[[str], None] | None,
    warn: Callable[[str], None] | None,
) -> Outcome:
    _check_target(dsn, schema)
    check_privacy(export_set)  # the last guard before anything is written, as for every format
    selection = _selection(export_set)
    kinds = _layer_kinds(selection.metadata)
    plans = [
        plan_table(name, frame, gebied=selection.gebied_label, kind=kinds.get(name))
        for name, frame in selection.layers.items()
    ]
    outcome = Outcome(schema, gebied=selection.gebied, gebied_label=selection.gebied_label)
    outcome.warnings += [w for p in plans for w in p.warnings]
    say = progress or (lambda _text: None)
    conn = connect(dsn)
    try:
        with conn:
            _write(conn, dsn, schema, plans, selection, outcome, say=say)
    except PostgisError:
        raise
    except Exception as exc:
        raise_if_user_error(exc, dsn)
        raise
    finally:
        conn.close()
    for text in outcome.warnings:  # only for an export that was committed
        (warn or _warn)(text)
    return outcome


def _check_target(dsn: str, schema: str) -> None:
    check_schema_name(schema)
    conninfo(dsn)


def _layer_kinds(metadata: Mapping[str, Any]) -> dict[str, str]:
    """Layer → what it is made of in this build (``lagen.<laag>.soort`` of the metadata)."""
    layers = metadata.get("lagen")
    if not isinstance(layers, Mapping):
        return {}
    return {
        str(name): str(entry["soort"])
        for name, entry in layers.items()
        if isinstance(entry, Mapping) and entry.get("soort")
    }


def _write(
    conn: Any,
    dsn: str,
    schema: str,
    plans: Sequence[TablePlan],
    selection: _Selection,
    outcome: Outcome,
    *,
    say: Callable[[str], None],
) -> None:
    """The export's transaction (committed by the caller)."""
    from psycopg import sql

    with conn.cursor() as cur:
        gis = check_postgis(cur, dsn)
        cur.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(tables.LOCK_TIMEOUT)))
        tables.wait_for_other_export(cur, schema, dsn)
        cur.execute("SELECT current_database(), current_user")
        outcome.database, outcome.user = (str(v) for v in cur.fetchone())
        tables.ensure_schema(cur, schema, outcome.database, outcome.user, dsn)

        written = [p.name for p in plans]
        listed = meta.listed_tables(cur, schema)
        replaced = tables.check_ours(cur, schema, written, listed, dsn)  # before any work
        stale = tables.stale_tables(listed, written) if selection.complete else []
        dropped = sorted(tables.existing(cur, schema, stale))

        for plan in plans:
            say(f"laden: {plan.name} ({plan.rows})")
            tables.load(cur, schema, gis, plan)

        say("vervangen")
        grants = {name: tables.grants(cur, schema, name) for name in replaced}
        tables.lock(cur, schema, [n for n in written if n in replaced] + dropped, dsn)
        for plan in plans:
            tables.swap(cur, schema, plan, grants.get(plan.name, []))
        tables.drop(cur, schema, stale)

        why_not = styles.prepare(cur)
        styled: list[str] = []
        unstyled: dict[str, str] = {}
        if why_not is None:
            styled = styles.write_styles(cur, schema, outcome.database, written, stale)
        else:
            unstyled = dict.fromkeys(styles.styled(written), f"stijl niet geschreven: {why_not}")
            if unstyled:
                outcome.warnings.append(
                    f"stijlen niet geschreven, {why_not}; de tabellen zijn wel geschreven en "
                    "openen in QGIS zonder stijl"
                )
        meta.write_metadata(
            cur,
            schema,
            plans,
            listed=listed,
            gebied=selection.gebied,
            document=selection.metadata,
            kinds=_layer_kinds(selection.metadata),
            dropped=stale,
            styled=styled,
            unstyled=unstyled,
        )
        for plan in plans:
            cur.execute(
                sql.SQL("ANALYZE {}.{}").format(sql.Identifier(schema), sql.Identifier(plan.name))
            )
        outcome.written = written
        outcome.replaced = [n for n in written if n in replaced]
        outcome.dropped = dropped
        say(f"klaar: {len(plans)} tabellen in {outcome.database}.{schema} (als {outcome.user})")


# ---------------------------------------------------------------------------- the CLI


def add_postgis_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``wijkplan export --format postgis`` (``--dsn``, ``--schema``)."""
    parser.add_argument(
        "--dsn",
        metavar="postgresql://…",
        default=None,
        help="PostGIS-database voor --format postgis, bijv. postgresql://gis@server/kaart "
        "(wachtwoord liever in ~/.pgpass of PGPASSWORD dan in de DSN)",
    )
    parser.add_argument(
        "--schema",
        default=DEFAULT_SCHEMA,
        help=f"schema voor --format postgis (standaard: {DEFAULT_SCHEMA}); een bestaand schema "
        "volstaat met rechten USAGE en CREATE erop",
    )


def run_postgis(args: argparse.Namespace) -> int:
    """Run ``wijkplan export --format postgis`` from parsed arguments (``layers``, ``layer``,
    ``gebied``, ``dsn``, ``schema``); print what was written, return the exit code."""
    dsn = getattr(args, "dsn", None)
    if not dsn:
        raise PostgisError("PostGIS-export: geef de database op met --dsn postgresql://…")
    schema = getattr(args, "schema", None)
    schema = DEFAULT_SCHEMA if schema is None else schema  # "" is refused, not the default
    layers_path = getattr(args, "layers", None)
    if layers_path is None:
        from wijkplan.settings import DEFAULT_LAYERS

        layers_path = DEFAULT_LAYERS
    outcome = _export(
        layers_path,
        dsn,
        schema,
        getattr(args, "layer", None) or None,
        getattr(args, "gebied", None),
        None,
        None,
    )
    print(_summary(outcome, describe_dsn(dsn)))
    return 0


def _summary(outcome: Outcome, where: str) -> str:
    """What the export did, in Dutch, one table a line."""
    schema = outcome.schema
    area = ""
    if outcome.gebied:
        label = outcome.gebied_label
        area = f", gebied {outcome.gebied}" + (
            f" ({label})" if label and label != outcome.gebied else ""
        )
    lines = [
        f"Geschreven naar {where}, schema {schema}{area}: {len(outcome.written)} tabellen "
        f"({len(outcome.replaced)} vervangen, {len(outcome.written) - len(outcome.replaced)} "
        f"nieuw, {len(outcome.dropped)} verwijderd)"
    ]
    for name in outcome.written:
        what = "vervangen" if name in outcome.replaced else "nieuw"
        lines.append(f"  {schema}.{name} ({what})")
    for name in outcome.dropped:
        lines.append(f"  {schema}.{name} (verwijderd: niet meer in de export)")
    if outcome.gebied:
        lines.append(
            f"Alleen gebied {outcome.gebied}; andere tabellen in {schema} zijn niet aangeraakt"
        )
    return "\n".join(lines)
