"""The PostGIS export against a real PostgreSQL + PostGIS (Debian's packages), no mocks.

Every test writes into its own schema of the session's database (``pg_dsn``), so the tests
are independent; what they check is read back with SQL from the catalogs PostGIS and QGIS
use (``geometry_columns``, ``pg_index``, ``pg_description``, ``public.layer_styles``).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.postgis.conftest import Cluster
from tests.tools import run_qgis
from wijkplan import catalogue
from wijkplan.analysis.privacy import SmallCountError
from wijkplan.config import load_config
from wijkplan.errors import WijkplanError
from wijkplan.export import postgis
from wijkplan.export.postgis import PostgisError, export_postgis, plan_table, run_postgis
from wijkplan.export.select import default_layers
from wijkplan.read import layer_names, read_layer
from wijkplan.styles import layer_styles_rows

pytestmark = pytest.mark.slow

EDELSTENENBUURT = "BU04840306"


@pytest.fixture(scope="module")
def db(pg_dsn: str) -> Iterator[Any]:
    """An autocommit connection to the session database, for reading back."""
    import psycopg

    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        yield conn


def q(conn: Any, query: str, *params: Any) -> list[tuple[Any, ...]]:
    return list(conn.execute(query, params).fetchall())


def tables(conn: Any, schema: str) -> set[str]:
    return {
        r[0]
        for r in q(
            conn,
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            schema,
        )
    }


def declared_present(layers: Path) -> list[str]:
    """The layers a full export writes: every data layer of the build (not its own tables)."""
    return default_layers(layer_names(layers))


@pytest.fixture(scope="module")
def full_export(built_layers: Path, pg_dsn: str) -> str:
    """All layers of the bundled build, exported once into schema ``wijkplan``."""
    written = export_postgis(built_layers, pg_dsn)
    assert sorted(written) == sorted(declared_present(built_layers))
    return "wijkplan"


def snapshot(conn: Any, schema: str) -> dict[str, tuple[int, str]]:
    """Row count and an md5 of the content of every table in a schema."""
    out = {}
    for name in sorted(tables(conn, schema)):
        count, digest = q(
            conn,
            f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
            f'FROM "{schema}"."{name}" t',
        )[0]
        out[name] = (count, digest)
    return out


# ---------------------------------------------------------------------------- the tables


def test_every_layer_written_with_its_count(full_export: str, built_layers: Path, db: Any) -> None:
    names = declared_present(built_layers)
    assert tables(db, full_export) == {*names, postgis.METADATA_TABLE}
    for name in names:
        (count,) = q(db, f'SELECT count(*) FROM {full_export}."{name}"')[0]
        assert count == len(read_layer(built_layers, name)), name
    rows = dict(q(db, f"SELECT tabel, aantal FROM {full_export}.{postgis.METADATA_TABLE}"))
    assert rows == {n: len(read_layer(built_layers, n)) for n in names}


def test_geometry_columns_srid_28992_and_typed(
    full_export: str, built_layers: Path, db: Any
) -> None:
    geometry = {
        r[0]: (r[1], r[2], r[3])
        for r in q(
            db,
            "SELECT f_table_name, f_geometry_column, srid, type FROM geometry_columns "
            "WHERE f_table_schema = %s",
            full_export,
        )
    }
    spatial = [n for n in declared_present(built_layers) if catalogue.layer(n).geometry]
    assert set(geometry) == set(spatial)
    for name in spatial:
        column, srid, kind = geometry[name]
        assert (column, srid) == ("geom", 28992), name
        (found,) = q(db, "SELECT Find_SRID(%s, %s, 'geom')", full_export, name)[0]
        assert found == 28992
        if catalogue.layer(name).geometry == "MultiPolygon":
            assert kind == "MULTIPOLYGON", name
    # complexen and aquathermie are declared "Geometry": points and polygons mixed → GEOMETRY
    assert geometry["aquathermie"][2] == "GEOMETRY"
    (invalid,) = q(db, f"SELECT count(*) FROM {full_export}.buurten WHERE NOT ST_IsValid(geom)")[0]
    assert invalid == 0
    # the geometry is the GeoPackage's, in RD New
    frame = read_layer(built_layers, "buurten").set_index("buurtcode")
    for code, area in q(db, f"SELECT buurtcode, ST_Area(geom) FROM {full_export}.buurten"):
        assert area == pytest.approx(frame.loc[code].geometry.area, rel=1e-9)


def primary_key(conn: Any, schema: str, table: str) -> list[str]:
    return [
        r[0]
        for r in q(
            conn,
            "SELECT a.attname FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum "
            "WHERE i.indisprimary AND n.nspname = %s AND c.relname = %s ORDER BY k.ord",
            schema,
            table,
        )
    ]


def test_primary_keys_from_the_catalogue(full_export: str, built_layers: Path, db: Any) -> None:
    for name in declared_present(built_layers):
        key = catalogue.layer(name).key
        expected = ["fid"] if key is None else [key] if isinstance(key, str) else list(key)
        assert primary_key(db, full_export, name) == expected, name
    constraints = dict(
        q(
            db,
            "SELECT table_name, constraint_name FROM information_schema.table_constraints "
            "WHERE table_schema = %s AND constraint_type = 'PRIMARY KEY'",
            full_export,
        )
    )
    assert constraints["afspraak_gebieden"] == "afspraak_gebieden_pkey"
    assert constraints["leefbaarheid"] == "leefbaarheid_pkey"


def test_gist_index_on_every_geometry(full_export: str, built_layers: Path, db: Any) -> None:
    gist = {
        r[0]: r[1]
        for r in q(
            db,
            "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = %s "
            "AND indexdef ILIKE '%%USING gist%%'",
            full_export,
        )
    }
    spatial = [n for n in declared_present(built_layers) if catalogue.layer(n).geometry]
    assert set(gist) == set(spatial)
    assert all("(geom)" in d for d in gist.values())
    assert not any(t.startswith(postgis.STAGING_PREFIX) for t in tables(db, full_export))


def test_comments_from_the_catalogue(full_export: str, built_layers: Path, db: Any) -> None:
    for name in declared_present(built_layers):
        spec = catalogue.layer(name)
        (comment,) = q(db, "SELECT obj_description(%s::regclass, 'pg_class')", f"{full_export}.{name}")[0]  # fmt: skip
        assert comment.startswith(f"{spec.title}. {spec.description}"), name
        if spec.suppressed:
            assert "afgeschermd" in comment
        columns = dict(
            q(
                db,
                "SELECT a.attname, col_description(a.attrelid, a.attnum) FROM pg_attribute a "
                "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped",
                f"{full_export}.{name}",
            )
        )
        assert all(columns.values()), (name, [c for c, d in columns.items() if not d])
    buurten = dict(
        q(
            db,
            "SELECT a.attname, col_description(a.attrelid, a.attnum) FROM pg_attribute a "
            "WHERE a.attrelid = %s::regclass AND a.attnum > 0",
            f"{full_export}.buurten",
        )
    )
    assert buurten["buurtcode"] == "CBS-buurtcode (BU + 8 cijfers)"
    assert buurten["aantal_inwoners"] == "Inwoners (1 januari) (aantal)"  # meaning + unit
    incidents = dict(
        q(
            db,
            "SELECT a.attname, col_description(a.attrelid, a.attnum) FROM pg_attribute a "
            "WHERE a.attrelid = %s::regclass AND a.attnum > 0",
            f"{full_export}.incidenten_buurt",
        )
    )
    assert incidents["per_1000_geweld"].startswith("Incidenten per 1.000 inwoners")
    assert "geweld" in incidents["per_1000_geweld"]


def test_column_types_follow_the_catalogue(full_export: str, db: Any) -> None:
    types = dict(
        q(
            db,
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = 'incidenten_buurt'",
            full_export,
        )
    )
    # counts read back from the GeoPackage as floats (suppressed cells are NULL) stay integers
    assert types["totaal"] == "bigint"
    assert types["geweld"] == "bigint"
    assert types["per_1000_totaal"] == "double precision"
    assert types["volledig"] == "boolean"
    (kind,) = q(
        db,
        "SELECT data_type FROM information_schema.columns WHERE table_schema = %s "
        "AND table_name = 'afspraken_register' AND column_name = 'register'",
        full_export,
    )[0]
    assert kind == "jsonb"


def test_metadata_table(full_export: str, db: Any) -> None:
    rows = q(
        db,
        f"SELECT tabel, soort, srid, sleutel, metadata FROM {full_export}.{postgis.METADATA_TABLE}",
    )
    by_name = {r[0]: r for r in rows}
    assert by_name["buurten"][2] == 28992 and by_name["afspraken"][2] is None
    assert by_name["incidenten_buurt"][3] == "buurtcode, periode"
    assert by_name["afspraak_gebieden"][3] == "afspraak_id, niveau, code"
    assert isinstance(by_name["buurten"][4], dict) and by_name["buurten"][4]
    (schema_comment,) = q(db, "SELECT obj_description(%s::regnamespace, 'pg_namespace')", full_export)[0]  # fmt: skip
    assert "wijkplan" in schema_comment


# ---------------------------------------------------------------------------- styles


def test_layer_styles_as_qgis_reads_them(full_export: str, built_layers: Path, db: Any) -> None:
    """One default style per layer with geometry, found by QGIS's own lookup."""
    spatial = [n for n in declared_present(built_layers) if catalogue.layer(n).geometry]
    for name in spatial:
        # what QGIS's PostGIS provider asks when it opens schema.table (geom)
        found = q(
            db,
            "SELECT stylename, styleqml::text FROM public.layer_styles "
            "WHERE f_table_catalog = current_database() AND f_table_schema = %s "
            "AND f_table_name = %s AND f_geometry_column = 'geom' "
            "ORDER BY CASE WHEN useasdefault THEN 1 ELSE 2 END, update_time DESC LIMIT 1",
            full_export,
            name,
        )
        assert found, name
        assert "<qgis" in found[0][1] and "renderer-v2" in found[0][1], name
    defaults = q(
        db,
        "SELECT f_table_name, count(*) FROM public.layer_styles "
        "WHERE f_table_schema = %s AND useasdefault GROUP BY 1",
        full_export,
    )
    assert dict(defaults) == dict.fromkeys(spatial, 1)


def test_styles_replace_ours_and_keep_the_users(built_layers: Path, pg_cluster: Cluster) -> None:
    """An older QGIS table (no ``type`` column) and a user's own style both survive."""
    import psycopg

    dsn = pg_cluster.create_database("styles_test")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE public.layer_styles (id serial PRIMARY KEY, f_table_catalog varchar, "
            "f_table_schema varchar, f_table_name varchar, f_geometry_column varchar, "
            "stylename text, styleqml xml, stylesld xml, useasdefault boolean, description text, "
            "owner varchar(63) DEFAULT CURRENT_USER, ui xml, "
            "update_time timestamp DEFAULT CURRENT_TIMESTAMP)"
        )
        conn.execute(
            "INSERT INTO public.layer_styles (f_table_catalog, f_table_schema, f_table_name, "
            "f_geometry_column, stylename, styleqml, useasdefault) VALUES "
            "('styles_test', 'wijkplan', 'buurten', 'geom', 'mijn stijl', '<qgis/>', false)"
        )

    for _ in range(2):  # twice: our rows are replaced, not added
        export_postgis(built_layers, dsn, names=["buurten", "wijken"])
    with psycopg.connect(dsn) as conn:
        found = q(
            conn,
            "SELECT f_table_name, stylename, useasdefault FROM public.layer_styles ORDER BY 1, 2",
        )
    ours = layer_styles_rows(["buurten", "wijken"], schema="wijkplan")
    assert sorted(found) == sorted(
        [("buurten", "mijn stijl", False)]
        + [(r["f_table_name"], r["stylename"], r["useasdefault"]) for r in ours]
    )
    assert len(ours) == 2 and all(r["useasdefault"] for r in ours)


# ---------------------------------------------------------------------------- one transaction


def test_failed_export_leaves_the_previous_tables_intact(
    built_layers: Path, pg_dsn: str, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    export_postgis(built_layers, pg_dsn, schema="atomair")
    before = snapshot(db, "atomair")
    assert len(before) > 10

    loaded: list[str] = []
    seen_meanwhile: list[dict[str, tuple[int, str]]] = []
    original = postgis.tables.load

    def fail_halfway(cur: Any, schema: str, gis: str, plan: Any) -> None:
        if len(loaded) == 5:
            # another session, while the export is loading: the old tables, no staging tables
            seen_meanwhile.append(snapshot(db, "atomair"))
            raise RuntimeError("stroomstoring halverwege")
        loaded.append(plan.name)
        original(cur, schema, gis, plan)

    monkeypatch.setattr(postgis.tables, "load", fail_halfway)
    with pytest.raises(RuntimeError, match="stroomstoring"):
        export_postgis(built_layers, pg_dsn, schema="atomair")
    assert len(loaded) == 5
    assert seen_meanwhile == [before]
    assert snapshot(db, "atomair") == before


def test_failure_in_the_swap_changes_nothing(built_layers: Path, pg_dsn: str, db: Any) -> None:
    """A view on an old table makes its DROP fail at the very end: one line, all rolled back."""
    export_postgis(built_layers, pg_dsn, schema="met_view", names=["buurten", "wijken"])
    db.execute("CREATE VIEW met_view.grote_buurten AS SELECT * FROM met_view.wijken")
    before = snapshot(db, "met_view")
    with pytest.raises(PostgisError, match="er is niets veranderd") as caught:
        export_postgis(built_layers, pg_dsn, schema="met_view", names=["buurten", "wijken"])
    assert caught.value.exit_code == 2
    assert "\n" not in str(caught.value)
    assert snapshot(db, "met_view") == before


def test_full_export_drops_layers_the_build_no_longer_has(
    built_layers: Path, write_boundaries: Callable[..., Path], tmp_path: Path, pg_dsn: str, db: Any
) -> None:
    from wijkplan.build import build_layers

    small = tmp_path / "klein.gpkg"
    build_layers(write_boundaries(), small)
    export_postgis(built_layers, pg_dsn, schema="spiegel")
    db.execute("CREATE TABLE spiegel.eigen_tabel (x int)")  # not ours: must stay
    export_postgis(small, pg_dsn, schema="spiegel")
    assert tables(db, "spiegel") == {
        *declared_present(small),
        postgis.METADATA_TABLE,
        "eigen_tabel",
    }
    (count,) = q(db, "SELECT count(*) FROM spiegel.buurten")[0]
    assert count == 4


def test_privileges_survive_a_new_export(built_layers: Path, pg_dsn: str, db: Any) -> None:
    db.execute("DROP ROLE IF EXISTS kaartlezer")
    db.execute("CREATE ROLE kaartlezer")
    export_postgis(built_layers, pg_dsn, schema="rechten", names=["buurten"])
    db.execute("GRANT USAGE ON SCHEMA rechten TO kaartlezer")
    db.execute("GRANT SELECT ON rechten.buurten TO kaartlezer")
    export_postgis(built_layers, pg_dsn, schema="rechten", names=["buurten"])
    (allowed,) = q(db, "SELECT has_table_privilege('kaartlezer', 'rechten.buurten', 'SELECT')")[0]
    assert allowed


# ---------------------------------------------------------------------------- one area


def test_gebied_exports_only_that_area(built_layers: Path, pg_dsn: str, db: Any) -> None:
    export_postgis(built_layers, pg_dsn, schema="edelstenen", gebied=EDELSTENENBUURT)
    assert q(db, "SELECT buurtcode FROM edelstenen.buurten") == [(EDELSTENENBUURT,)]
    assert q(db, "SELECT buurtcode FROM edelstenen.leefbaarheid") == [(EDELSTENENBUURT,)]
    with_code = q(
        db,
        "SELECT table_name FROM information_schema.columns WHERE table_schema = 'edelstenen' "
        "AND column_name = 'buurtcode'",
    )
    for (table,) in with_code:
        codes = {r[0] for r in q(db, f'SELECT DISTINCT buurtcode FROM edelstenen."{table}"')}
        assert codes <= {EDELSTENENBUURT, None}, table
    (gebied,) = q(db, "SELECT DISTINCT gebied FROM edelstenen.wijkplan_metadata")[0]
    assert gebied == EDELSTENENBUURT


# ---------------------------------------------------------------------------- privacy


def count_columns(spec: catalogue.Layer, present: set[str]) -> list[str]:
    """The columns of a suppressed layer whose meaning says small counts are left empty."""
    columns = catalogue.expand(spec, list(load_config().categories))
    return sorted(c.name for c in columns if "afgeschermd" in c.meaning and c.name in present)


@pytest.mark.parametrize("schema", ["wijkplan", "edelstenen"])
def test_no_small_counts_in_any_table(
    schema: str, full_export: str, built_layers: Path, pg_dsn: str, db: Any
) -> None:
    if schema not in {r[0] for r in q(db, "SELECT nspname FROM pg_namespace")}:
        export_postgis(built_layers, pg_dsn, schema=schema, gebied=EDELSTENENBUURT)
    threshold = load_config().threshold
    checked = 0
    suppressed_seen = 0
    for table in tables(db, schema) - {postgis.METADATA_TABLE}:
        spec = catalogue.layer(table)
        if not spec.suppressed:
            continue
        present = {
            r[0]
            for r in q(
                db,
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = %s AND table_name = %s",
                schema,
                table,
            )
        }
        for column in count_columns(spec, present):
            (small, empty) = q(
                db,
                f'SELECT count(*) FILTER (WHERE "{column}" BETWEEN 1 AND %s), '
                f'count(*) FILTER (WHERE "{column}" IS NULL) FROM "{schema}"."{table}"',
                threshold - 1,
            )[0]
            assert small == 0, f"{schema}.{table}.{column}: {small} kleine aantallen"
            checked += 1
            suppressed_seen += empty
    assert checked >= 10
    if schema == "wijkplan":
        assert suppressed_seen > 0  # suppression happened, and empty stays empty


def test_no_incident_points_anywhere(full_export: str, db: Any) -> None:
    """Only declared layers are written; the suppressed ones with geometry are areas."""
    extras = {postgis.METADATA_TABLE, "eigen_tabel", "grote_buurten"}  # made by other tests
    ours = {r[0] for r in q(db, "SELECT table_schema FROM information_schema.tables "
                                "WHERE table_name = %s", postgis.METADATA_TABLE)}  # fmt: skip
    assert full_export in ours
    for schema in ours:
        assert tables(db, schema) - extras <= set(catalogue.LAYERS), schema
    geometry = q(
        db,
        "SELECT f_table_schema, f_table_name, type FROM geometry_columns "
        "WHERE f_table_schema = ANY(%s)",
        list(ours),
    )
    for schema, table, kind in geometry:
        assert "incident" not in table, (schema, table)
        if table in catalogue.LAYERS and catalogue.layer(table).suppressed:
            assert kind == "MULTIPOLYGON", (schema, table, kind)
        assert not ("POINT" in kind and table not in ("aquathermie",)), (schema, table, kind)


def test_the_guard_refuses_a_small_count_before_writing() -> None:
    frame = pd.DataFrame(
        {
            "gemeentecode": ["GM0484"],
            "periode": ["2023"],
            "totaal": pd.array([2], dtype="Int64"),
            "jaar": [2023],
        }
    )
    with pytest.raises(SmallCountError):
        plan_table("incidenten_gemeente", frame)


# ---------------------------------------------------------------------------- errors


def test_malformed_dsn_is_one_line(built_layers: Path) -> None:
    with pytest.raises(PostgisError, match="ongeldige verbindingstekst") as caught:
        export_postgis(built_layers, "postgresql://gis:geheim123@127.0.0.1:notaport/x")
    assert "geheim123" not in str(caught.value)


def test_unreachable_server(built_layers: Path, pg_cluster: Cluster) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dsn = f"postgresql://gis:geheim123@127.0.0.1:{port}/kaart"
    with pytest.raises(PostgisError, match="niet bereikbaar") as caught:
        export_postgis(built_layers, dsn)
    assert "geheim123" not in str(caught.value)
    assert f"gis@127.0.0.1:{port}/kaart" in str(caught.value)


def test_wrong_password_never_shown(built_layers: Path, pg_cluster: Cluster, db: Any) -> None:
    dsn = pg_cluster.dsn(password="Fout-Wachtwoord-42")
    with pytest.raises(PostgisError, match="aanmelding geweigerd") as caught:
        export_postgis(built_layers, dsn, schema="nooit")
    assert "Fout-Wachtwoord-42" not in str(caught.value)
    assert pg_cluster.password not in str(caught.value)
    assert "nooit" not in {r[0] for r in q(db, "SELECT nspname FROM pg_namespace")}


def test_database_without_postgis(built_layers: Path, pg_cluster: Cluster) -> None:
    import psycopg

    dsn = pg_cluster.create_database("zonder_postgis", postgis=False)
    with pytest.raises(PostgisError, match="PostGIS-extensie ontbreekt") as caught:
        export_postgis(built_layers, dsn)
    assert pg_cluster.password not in str(caught.value)
    with psycopg.connect(dsn) as conn:
        assert q(conn, "SELECT 1 FROM pg_namespace WHERE nspname = 'wijkplan'") == []


def test_cli_path(
    built_layers: Path, pg_dsn: str, db: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--layers", type=Path)
    parser.add_argument("--layer", action="append")
    parser.add_argument("--gebied")
    postgis.add_postgis_arguments(parser)
    args = parser.parse_args(
        ["--layers", str(built_layers), "--layer", "wijken", "--dsn", pg_dsn, "--schema", "cli"]
    )
    assert run_postgis(args) == 0
    out = capsys.readouterr().out
    assert "cli.wijken" in out
    assert postgis.describe_dsn(pg_dsn) in out
    assert q(db, "SELECT count(*) FROM cli.wijken")[0][0] == 16
    with pytest.raises(WijkplanError) as caught:
        run_postgis(parser.parse_args(["--layers", str(built_layers)]))
    assert caught.value.exit_code == 2


# ---------------------------------------------------------------------------- QGIS itself

QGIS_PROBE = """
import json, os, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qgis.core import QgsApplication, QgsDataSourceUri, QgsVectorLayer
host, port, db, user, password, schema, *tables = sys.argv[1:]
app = QgsApplication([], False)
app.initQgis()
out = {}
for table in tables:
    uri = QgsDataSourceUri()
    uri.setConnection(host, port, db, user, password)
    uri.setDataSource(schema, table, "geom")  # no key given: QGIS finds the primary key
    layer = QgsVectorLayer(uri.uri(False), table, "postgres")
    out[table] = {
        "valid": layer.isValid(),
        "count": layer.featureCount(),
        "crs": layer.crs().authid(),
        "renderer": layer.renderer().type() if layer.renderer() else None,
    }
print(json.dumps(out))
app.exitQgis()
"""


def test_qgis_opens_the_tables_styled(
    full_export: str, built_layers: Path, pg_cluster: Cluster, tmp_path: Path
) -> None:
    """A real, headless QGIS (Debian's python3-qgis) opens the tables with their stored style."""
    names = ["buurten", "leefbaarheid", "warmteplan", "complexen"]
    out = run_qgis(
        QGIS_PROBE,
        [pg_cluster.host, str(pg_cluster.port), "wijkplan_test", pg_cluster.user,
         pg_cluster.password, full_export, *names],
        tmp_path,
        timeout=180,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    found = json.loads(out.stdout.strip().splitlines()[-1])
    for name in names:
        layer = found[name]
        assert layer["valid"], name
        assert layer["count"] == len(read_layer(built_layers, name)), name
        assert layer["crs"] == "EPSG:28992", name
    # the stored default styles, not QGIS's grey single symbol
    assert found["leefbaarheid"]["renderer"] == "categorizedSymbol"
    assert found["warmteplan"]["renderer"] != "singleSymbol"
