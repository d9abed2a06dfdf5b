"""The PostGIS export as an ordinary GIS user, with schema names it refuses, next to tables it
did not write, for one area, and with a key the data cannot carry. Real cluster, no mocks."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.postgis.conftest import Cluster
from wijkplan import read
from wijkplan.export import postgis
from wijkplan.export.model import ExportSet
from wijkplan.export.postgis import PostgisError, export_postgis, plan_table, run_postgis, write
from wijkplan.export.postgis.connection import raise_if_user_error
from wijkplan.export.postgis.styles import LAYER_STYLES_DDL
from wijkplan.export.select import default_layers, select_layers
from wijkplan.read import layer_names, read_layer

pytestmark = pytest.mark.slow

EDELSTENENBUURT = "BU04840306"
PASSWORD = "gis-Wachtwoord-7"


def q(conn: Any, query: str, *params: Any) -> list[tuple[Any, ...]]:
    return list(conn.execute(query, params).fetchall())


def tables(conn: Any, schema: str) -> set[str]:
    rows = q(conn, "SELECT tablename FROM pg_tables WHERE schemaname = %s", schema)
    return {r[0] for r in rows}


def role_dsn(cluster: Cluster, role: str, database: str) -> str:
    return f"postgresql://{role}:{PASSWORD}@{cluster.host}:{cluster.port}/{database}"


@pytest.fixture
def fresh(pg_cluster: Cluster, request: pytest.FixtureRequest) -> Iterator[tuple[str, Any]]:
    """A new database with PostGIS (named after the test) and a superuser connection to it."""
    import psycopg

    name = "t_" + request.node.name.lower().replace("[", "_").replace("]", "")[:50]
    name = "".join(c if c.isalnum() or c == "_" else "_" for c in name)
    dsn = pg_cluster.create_database(name)
    with psycopg.connect(dsn, autocommit=True) as conn:
        yield name, conn


def make_role(conn: Any, role: str) -> None:
    """A plain login role: no superuser, no CREATEDB, nothing granted."""
    exists = q(conn, "SELECT 1 FROM pg_roles WHERE rolname = %s", role)
    if not exists:
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}'")


# ---------------------------------------------------------------------------- 1. rights


def test_plain_user_exports_into_own_schema_without_styles_table(
    built_layers: Path, pg_cluster: Cluster, fresh: tuple[str, Any], capsys: Any
) -> None:
    """Only a schema of its own: the export works, styles are skipped with one warning line."""
    database, su = fresh
    make_role(su, "gis_eigen")
    su.execute("CREATE SCHEMA gisdata AUTHORIZATION gis_eigen")
    dsn = role_dsn(pg_cluster, "gis_eigen", database)
    (create_public,) = q(su, "SELECT has_schema_privilege('gis_eigen', 'public', 'CREATE')")[0]
    assert not create_public  # PostgreSQL 15: PUBLIC may not create in public

    args = argparse.Namespace(
        layers=built_layers, layer=["buurten", "wijken"], gebied=None, dsn=dsn, schema="gisdata"
    )
    for _ in range(2):  # the second time: replacing its own tables
        assert run_postgis(args) == 0
    captured = capsys.readouterr()
    warnings = [line for line in captured.err.splitlines() if line.startswith("Waarschuwing:")]
    assert len(warnings) == 2  # once per export, one line each
    assert "stijlen niet geschreven" in warnings[0] and "public.layer_styles" in warnings[0]
    assert "gisdata.buurten (vervangen)" in captured.out

    assert tables(su, "gisdata") == {"buurten", "wijken", postgis.METADATA_TABLE}
    assert q(su, "SELECT count(*) FROM gisdata.wijken")[0][0] == 16
    assert q(su, "SELECT to_regclass('public.layer_styles')")[0][0] is None
    rows = dict(
        (name, (style, note))
        for name, style, note in q(su, "SELECT tabel, stijl, opmerkingen FROM gisdata.wijkplan_metadata")
    )  # fmt: skip
    assert {n: s for n, (s, _) in rows.items()} == {"buurten": False, "wijken": False}
    assert all("stijl niet geschreven" in note for _, note in rows.values())
    (comment,) = q(su, "SELECT obj_description('gisdata'::regnamespace, 'pg_namespace')")[0]
    assert comment and "wijkplan" in comment  # its own schema: commented
    (owner,) = q(su, "SELECT tableowner FROM pg_tables WHERE schemaname = 'gisdata' "
                     "AND tablename = 'buurten'")[0]  # fmt: skip
    assert owner == "gis_eigen"


def test_plain_user_with_rights_on_existing_layer_styles(
    built_layers: Path, pg_cluster: Cluster, fresh: tuple[str, Any]
) -> None:
    """A schema owned by someone else (USAGE, CREATE granted) and a public.layer_styles it may
    write: styles written, the schema's comment left alone, no warning."""
    database, su = fresh
    make_role(su, "gis_stijl")
    su.execute("CREATE SCHEMA kaart")
    su.execute("GRANT USAGE, CREATE ON SCHEMA kaart TO gis_stijl")
    su.execute(LAYER_STYLES_DDL)
    su.execute("GRANT SELECT, INSERT, DELETE ON public.layer_styles TO gis_stijl")
    su.execute("GRANT USAGE ON SEQUENCE public.layer_styles_id_seq TO gis_stijl")
    dsn = role_dsn(pg_cluster, "gis_stijl", database)

    warnings: list[str] = []
    for _ in range(2):
        export_postgis(built_layers, dsn, schema="kaart", names=["buurten", "wijken"], warn=warnings.append)  # fmt: skip
    assert warnings == []
    styles = q(su, "SELECT f_table_name, owner FROM public.layer_styles "
                   "WHERE f_table_schema = 'kaart' AND useasdefault ORDER BY 1")  # fmt: skip
    assert styles == [("buurten", "gis_stijl"), ("wijken", "gis_stijl")]
    assert q(su, "SELECT tabel, stijl FROM kaart.wijkplan_metadata ORDER BY 1") == [
        ("buurten", True),
        ("wijken", True),
    ]
    assert q(su, "SELECT obj_description('kaart'::regnamespace, 'pg_namespace')")[0][0] is None


def test_plain_user_without_rights_is_one_line(
    built_layers: Path, pg_cluster: Cluster, fresh: tuple[str, Any]
) -> None:
    database, su = fresh
    make_role(su, "gis_niets")
    su.execute("CREATE SCHEMA alleen_lezen")
    su.execute("GRANT USAGE ON SCHEMA alleen_lezen TO gis_niets")
    dsn = role_dsn(pg_cluster, "gis_niets", database)
    with pytest.raises(PostgisError, match="mag geen schema maken") as caught:
        export_postgis(built_layers, dsn, schema="nieuw", names=["wijken"])
    assert "CREATE SCHEMA nieuw AUTHORIZATION gis_niets" in str(caught.value)
    with pytest.raises(PostgisError, match="mag geen tabellen maken in schema alleen_lezen") as c2:
        export_postgis(built_layers, dsn, schema="alleen_lezen", names=["wijken"])
    for error in (caught.value, c2.value):
        assert error.exit_code == 2 and "\n" not in str(error) and PASSWORD not in str(error)
    assert q(su, "SELECT to_regnamespace('nieuw')")[0][0] is None
    assert tables(su, "alleen_lezen") == set()


# ---------------------------------------------------------------------------- 2. schema names


@pytest.mark.parametrize(
    "schema", ["pg_x", "pg_catalog", "information_schema", "", "_x", "Wijk", "1a", "a-b"]
)
def test_schema_names_refused_up_front(
    schema: str, built_layers: Path, pg_dsn: str, db_conn: Any
) -> None:
    before = q(db_conn, "SELECT count(*) FROM pg_class")[0][0]
    with pytest.raises(PostgisError) as caught:
        export_postgis(built_layers, pg_dsn, schema=schema, names=["wijken"])
    message = str(caught.value)
    assert caught.value.exit_code == 2 and "\n" not in message
    if schema.startswith("pg_") or schema == "information_schema":
        assert "gereserveerd" in message
    elif schema:
        assert "beginnend met een letter" in message
    assert q(db_conn, "SELECT count(*) FROM pg_class")[0][0] == before


def test_empty_schema_on_the_command_line_is_refused(built_layers: Path, pg_dsn: str) -> None:
    args = argparse.Namespace(layers=built_layers, layer=["wijken"], gebied=None, dsn=pg_dsn, schema="")  # fmt: skip
    with pytest.raises(PostgisError, match="lege schemanaam"):
        run_postgis(args)


def test_reserved_name_from_the_server_is_one_line(pg_dsn: str) -> None:
    import psycopg

    with (
        psycopg.connect(pg_dsn, autocommit=True) as conn,
        pytest.raises(psycopg.errors.ReservedName) as caught,
    ):
        conn.execute("CREATE SCHEMA pg_eigen")
    with pytest.raises(PostgisError, match="gereserveerd voor PostgreSQL") as mapped:
        raise_if_user_error(caught.value, pg_dsn)
    assert "\n" not in str(mapped.value)


# ---------------------------------------------------------------------------- 4. other tables


def test_a_table_wijkplan_did_not_write_is_never_replaced(
    built_layers: Path, pg_dsn: str, db_conn: Any
) -> None:
    db_conn.execute("DROP SCHEMA IF EXISTS dba CASCADE")
    db_conn.execute("CREATE SCHEMA dba")
    db_conn.execute("CREATE TABLE dba.buurten (id int PRIMARY KEY, important text)")
    db_conn.execute("INSERT INTO dba.buurten VALUES (1, 'niet weggooien')")
    with pytest.raises(PostgisError, match="niet door wijkplan geschreven") as caught:
        export_postgis(built_layers, pg_dsn, schema="dba", names=["buurten"])
    assert "dba.wijkplan_metadata" in str(caught.value) and "\n" not in str(caught.value)
    assert tables(db_conn, "dba") == {"buurten"}  # nothing changed, no metadata table either
    assert q(db_conn, "SELECT * FROM dba.buurten") == [(1, "niet weggooien")]

    # another layer into the same schema: written, the DBA's table left alone
    export_postgis(built_layers, pg_dsn, schema="dba", names=["wijken"])
    assert tables(db_conn, "dba") == {"buurten", "wijken", postgis.METADATA_TABLE}
    # now with a metadata table that does not list buurten: still refused, also in a full export
    with pytest.raises(PostgisError, match="buurten, niet door wijkplan geschreven"):
        export_postgis(built_layers, pg_dsn, schema="dba")
    assert q(db_conn, "SELECT * FROM dba.buurten") == [(1, "niet weggooien")]
    db_conn.execute("CREATE VIEW dba.leefbaarheid AS SELECT 1 AS x")  # a view by that name too
    with pytest.raises(PostgisError, match="leefbaarheid"):
        export_postgis(built_layers, pg_dsn, schema="dba", names=["leefbaarheid"])


# ---------------------------------------------------------------------------- 5. one area


def test_an_area_export_never_drops_the_other_tables(
    built_layers: Path, pg_dsn: str, db_conn: Any, capsys: Any
) -> None:
    full = set(default_layers(layer_names(built_layers)))
    export_postgis(built_layers, pg_dsn, schema="vol_dan_gebied")
    assert tables(db_conn, "vol_dan_gebied") == {*full, postgis.METADATA_TABLE}
    capsys.readouterr()
    args = argparse.Namespace(
        layers=built_layers, layer=None, gebied=EDELSTENENBUURT, dsn=pg_dsn, schema="vol_dan_gebied"
    )
    assert run_postgis(args) == 0
    out = capsys.readouterr().out
    area = select_layers(built_layers, None, EDELSTENENBUURT)
    written = set(area.layers)
    assert written < full  # some layers have nothing in this area …
    assert tables(db_conn, "vol_dan_gebied") == {*full, postgis.METADATA_TABLE}  # … and stay
    assert f"gebied {EDELSTENENBUURT}" in out.splitlines()[0]
    assert "0 verwijderd" in out and "(verwijderd" not in out
    assert f"{len(written)} vervangen" in out
    for name in written:
        assert f"vol_dan_gebied.{name} (vervangen)" in out
    assert "andere tabellen in vol_dan_gebied zijn niet aangeraakt" in out
    gebied = dict(q(db_conn, "SELECT tabel, gebied FROM vol_dan_gebied.wijkplan_metadata"))
    assert {n for n, g in gebied.items() if g == EDELSTENENBUURT} == written
    assert {n for n, g in gebied.items() if g is None} == full - written


# ---------------------------------------------------------------------------- 7. key fallback


def with_duplicate(export_set: ExportSet, name: str) -> ExportSet:
    frame = export_set.layers[name]
    doubled = pd.concat([frame, frame.iloc[:1]], ignore_index=True)
    export_set.layers[name] = type(frame)(doubled, crs=getattr(frame, "crs", None))
    return export_set


def test_a_key_the_data_cannot_carry_falls_back_to_fid_and_says_so(
    built_layers: Path, pg_dsn: str, db_conn: Any, capsys: Any
) -> None:
    export_set = with_duplicate(select_layers(built_layers, ["wijken"]), "wijken")
    plan = plan_table("wijken", export_set.layers["wijken"])
    assert plan.key == () and len(plan.warnings) == 1
    assert "sleutel (wijkcode)" in plan.warnings[0] and "1 dubbele" in plan.warnings[0]

    write(export_set, dsn=pg_dsn, schema="dubbel")
    err = capsys.readouterr().err.splitlines()
    assert [line for line in err if "wijkcode" in line] == [f"Waarschuwing: {plan.warnings[0]}"]
    (count,) = q(db_conn, "SELECT count(*) FROM dubbel.wijken")[0]
    assert count == 17
    key = q(db_conn, "SELECT sleutel, opmerkingen FROM dubbel.wijkplan_metadata WHERE tabel = 'wijken'")  # fmt: skip
    assert key == [("fid", plan.warnings[0])]
    (pk,) = q(db_conn, "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = 'dubbel.wijken'::regclass AND contype = 'p'")[0]  # fmt: skip
    assert pk == "PRIMARY KEY (fid)"

    # an empty key value is reported as such
    frame = select_layers(built_layers, ["wijken"]).layers["wijken"].copy()
    frame.loc[0, "wijkcode"] = None
    assert "1 rij(en) met lege sleutel" in plan_table("wijken", frame).warnings[0]


def test_a_layer_without_key_gets_a_serial_fid(
    built_layers: Path, pg_dsn: str, db_conn: Any
) -> None:
    """The build's own report (no key in the catalogue), written through :func:`write`."""
    frame = read_layer(built_layers, "build_report")
    export_set = ExportSet(
        {"build_report": frame}, read.read_report(built_layers), built_layers, None, {}
    )
    warnings: list[str] = []
    write(export_set, dsn=pg_dsn, schema="zonder_sleutel", warn=warnings.append)
    assert warnings == []  # no key declared: nothing to warn about
    (default, kind) = q(
        db_conn,
        "SELECT column_default, data_type FROM information_schema.columns "
        "WHERE table_schema = 'zonder_sleutel' AND table_name = 'build_report' "
        "AND column_name = 'fid'",
    )[0]
    assert default.startswith("nextval(") and kind == "integer"
    (report,) = q(db_conn, "SELECT jsonb_typeof(report) FROM zonder_sleutel.build_report")[0]
    assert report == "object"
