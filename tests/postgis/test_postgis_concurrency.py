"""The PostGIS export next to other sessions: readers, a long query, another export, and two
first exports at once. Real cluster and threads, no mocks."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.postgis.conftest import Cluster
from wijkplan.export.postgis import PostgisError, export_postgis, tables

pytestmark = pytest.mark.slow

LAYERS = ["buurten", "leefbaarheid"]


def q(conn: Any, query: str, *params: Any) -> list[tuple[Any, ...]]:
    return list(conn.execute(query, params).fetchall())


def in_thread(run: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    """Start ``run`` in a thread; the dict gets its ``result`` or ``error`` and ``ended``."""
    out: dict[str, Any] = {}

    def target() -> None:
        try:
            out["result"] = run()
        except BaseException as exc:
            out["error"] = exc
        out["ended"] = time.monotonic()

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, out


def counts(conn: Any, schema: str) -> dict[str, int]:
    return {name: q(conn, f"SELECT count(*) FROM {schema}.{name}")[0][0] for name in LAYERS}


def test_readers_of_other_tables_are_not_blocked_while_the_export_waits(
    built_layers: Path, pg_dsn: str
) -> None:
    """A long query on leefbaarheid; buurten stays readable meanwhile (at most one short try
    of the export in the way), and the export finishes once the query ends."""
    import psycopg

    export_postgis(built_layers, pg_dsn, schema="lezers", names=LAYERS)
    with (
        psycopg.connect(pg_dsn) as holder,
        psycopg.connect(pg_dsn, autocommit=True) as reader,
    ):
        reader.execute("SET statement_timeout = '10s'")
        holder.execute("SELECT count(*) FROM lezers.leefbaarheid").fetchone()  # stays open
        start = time.monotonic()
        thread, out = in_thread(
            lambda: export_postgis(built_layers, pg_dsn, schema="lezers", names=LAYERS)
        )
        slowest = 0.0
        while time.monotonic() - start < 6:
            t0 = time.monotonic()
            q(reader, "SELECT count(*) FROM lezers.buurten")
            slowest = max(slowest, time.monotonic() - t0)
            time.sleep(0.1)
        assert "ended" not in out  # still waiting for leefbaarheid
        released = time.monotonic()
        holder.rollback()
        thread.join(60)
    assert "error" not in out, out.get("error")
    assert out["result"] == LAYERS and out["ended"] >= released
    assert slowest < 3, f"a reader of buurten waited {slowest:.1f} s"


def test_a_table_in_use_too_long_is_named(
    built_layers: Path, pg_dsn: str, db_conn: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    export_postgis(built_layers, pg_dsn, schema="bezet", names=LAYERS)
    before = counts(db_conn, "bezet")
    monkeypatch.setattr(tables, "LOCK_WAIT", 3.0)
    with psycopg.connect(pg_dsn) as holder:
        holder.execute("SELECT count(*) FROM bezet.leefbaarheid").fetchone()
        start = time.monotonic()
        with pytest.raises(PostgisError) as caught:
            export_postgis(built_layers, pg_dsn, schema="bezet", names=LAYERS)
        waited = time.monotonic() - start
        holder.rollback()
    message = str(caught.value)
    assert "tabel bezet.leefbaarheid is al 3 s in gebruik door een andere sessie" in message
    assert "er is niets veranderd" in message and "\n" not in message
    assert caught.value.exit_code == 2
    assert 3 <= waited < 15
    assert counts(db_conn, "bezet") == before


def test_waiting_for_another_wijkplan_export_has_its_own_message(
    built_layers: Path, pg_dsn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    monkeypatch.setattr(tables, "LOCK_WAIT", 2.0)
    with psycopg.connect(pg_dsn) as other:  # holds the lock an export of schema 'druk' takes
        other.execute("SELECT pg_advisory_xact_lock(hashtext('wijkplan export druk'))")
        with pytest.raises(PostgisError, match="een andere wijkplan-export naar schema druk loopt"):
            export_postgis(built_layers, pg_dsn, schema="druk", names=["wijken"])
        other.rollback()
    assert export_postgis(built_layers, pg_dsn, schema="druk", names=["wijken"]) == ["wijken"]


def test_two_first_exports_at_once_into_a_fresh_database(
    built_layers: Path, pg_cluster: Cluster
) -> None:
    """Both create public.layer_styles at the same moment: serialised, both succeed."""
    import psycopg

    dsn = pg_cluster.create_database("tegelijk")
    names = ["wijken"]
    for schema in ("links", "rechts"):
        export_postgis(built_layers, dsn, schema=schema, names=names)
    with psycopg.connect(dsn, autocommit=True) as su:
        for _ in range(3):
            su.execute("DROP TABLE public.layer_styles")
            # both exports wait for their old table, then reach layer_styles together
            with psycopg.connect(dsn) as holder:
                holder.execute("SELECT 1 FROM links.wijken, rechts.wijken LIMIT 1").fetchall()
                runs = [
                    in_thread(
                        lambda s=schema: export_postgis(built_layers, dsn, schema=s, names=names)
                    )  # type: ignore[misc]
                    for schema in ("links", "rechts")
                ]
                time.sleep(1.0)
                holder.rollback()
                for thread, _ in runs:
                    thread.join(60)
            errors = [out.get("error") for _, out in runs if "error" in out]
            assert errors == [], errors
            found = q(su, "SELECT f_table_schema, count(*) FROM public.layer_styles GROUP BY 1 ORDER BY 1")  # fmt: skip
            assert found == [("links", 1), ("rechts", 1)]

    # and truly fresh: two first exports into new schemas, started together
    dsn = pg_cluster.create_database("tegelijk_nieuw")
    barrier = threading.Barrier(2)

    def first(schema: str) -> list[str]:
        barrier.wait()
        return export_postgis(built_layers, dsn, schema=schema, names=names)

    runs = [in_thread(lambda s=schema: first(s)) for schema in ("een", "twee")]  # type: ignore[misc]
    for thread, _ in runs:
        thread.join(60)
    assert [out.get("error") for _, out in runs] == [None, None]
