"""The status store: versions, history, validation and concurrent edits."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from tests.afspraken import _workers
from wijkplan.afspraken.model import Ledger
from wijkplan.afspraken.store import (
    DEFAULT_STATUS_STORE,
    HISTORY_COLUMNS,
    STATUS_STORE_ENV,
    StatusStore,
    default_store_path,
)
from wijkplan.errors import ConflictError, ValidationError


@pytest.fixture
def store(tmp_path: Path) -> StatusStore:
    return StatusStore(tmp_path / "state" / "nested" / "status.sqlite")


def test_reading_gives_ledger_values_and_creates_nothing(store: StatusStore, ledger: Ledger):
    state = store.current("A-warm", ledger)
    assert (state.status, state.voortgang, state.version) == ("lopend", None, 0)
    assert store.current("A-warm", ledger.afspraak("A-warm")) == state
    assert store.history().empty and list(store.history().columns) == list(HISTORY_COLUMNS)
    assert not store.path.exists()


def test_update_bumps_version_and_records_each_field(store: StatusStore, ledger: Ledger):
    new = store.update(
        "A-gem",
        status="lopend",
        voortgang=25,
        door="Fatima",
        opmerking="gestart",
        expected_version=0,
        ledger=ledger,
    )
    assert store.path.is_file()  # parent folders created
    assert (new.status, new.voortgang, new.version, new.updated_by) == ("lopend", 25, 1, "Fatima")
    assert store.current("A-gem", ledger) == new
    new2 = store.update("A-gem", voortgang=60, door="Jan", expected_version=1, ledger=ledger)
    assert (new2.status, new2.voortgang, new2.version) == ("lopend", 60, 2)
    hist = store.history("A-gem")
    shown = hist[["veld", "oud", "nieuw", "door", "versie"]].fillna("(leeg)")
    assert shown.values.tolist() == [
        ["status", "voorgenomen", "lopend", "Fatima", 1],
        ["voortgang", "(leeg)", "25", "Fatima", 1],
        ["voortgang", "25", "60", "Jan", 2],
    ]
    assert hist["opmerking"].fillna("(leeg)").tolist() == ["gestart", "gestart", "(leeg)"]
    stamp = dt.datetime.fromisoformat(hist["tijdstip"].iloc[0])
    assert stamp.utcoffset() == dt.timedelta(0)
    assert store.history("A-wijk").empty
    assert len(store.history()) == 3


def test_cli_style_update_without_expected_version(store: StatusStore, ledger: Ledger):
    store.update("A-gem", status="lopend", door="a", expected_version=None, ledger=ledger)
    new = store.update(
        "A-gem", status="gerealiseerd", door="b", expected_version=None, ledger=ledger
    )
    assert new.version == 2 and len(store.history("A-gem")) == 2


def _store_api(store: StatusStore, ledger: Ledger, ledger_file: Path, **update) -> str:
    with pytest.raises(ConflictError) as exc:
        store.update("A-gem", ledger=ledger, **update)
    assert exc.value.exit_code == 3
    return str(exc.value)


def _cli(store: StatusStore, ledger: Ledger, ledger_file: Path, **update) -> str:
    import contextlib
    import io

    from wijkplan.cli import main

    argv = [
        "afspraken",
        "update",
        "A-gem",
        "--ledger",
        str(ledger_file),
        "--store",
        str(store.path),
    ]
    argv += ["--door", update["door"], "--versie", str(update["expected_version"])]
    argv += ["--status", update["status"]]
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(argv) == 3
    return err.getvalue()


@pytest.mark.parametrize("entry", [_store_api, _cli], ids=["store", "cli"])
def test_stale_version_is_a_conflict_and_stores_nothing(store, ledger, ledger_file, entry):
    """Fatima saves first; Jan saves on top of the version he saw (0): refused, nothing lost."""
    store.update("A-gem", status="lopend", door="Fatima", expected_version=0, ledger=ledger)
    message = entry(
        store, ledger, ledger_file, status="gerealiseerd", door="Jan", expected_version=0
    )
    assert "afspraak A-gem is intussen gewijzigd door Fatima om " in message
    assert "laad opnieuw en probeer het nog eens" in message and "\n" not in message.strip()
    assert store.current("A-gem", ledger).status == "lopend"
    assert len(store.history()) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"status": "klaar"}, "onbekende status 'klaar'"),
        ({"voortgang": 101}, "voortgang moet een geheel getal van 0 tot en met 100 zijn: 101"),
        ({"voortgang": -1}, "van 0 tot en met 100"),
        ({"voortgang": True}, "van 0 tot en met 100"),
        ({"status": "lopend", "door": "  "}, "geef aan wie de wijziging doet"),
        ({}, "geef een nieuwe status of voortgang op"),
        ({"status": "voorgenomen"}, "niets gewijzigd"),
    ],
)
def test_invalid_updates_are_refused(store: StatusStore, ledger: Ledger, kwargs, message):
    arguments = {"door": "Fatima", "expected_version": None, "ledger": ledger, **kwargs}
    with pytest.raises(ValidationError, match=message):
        store.update("A-gem", **arguments)
    assert store.history().empty


def test_unknown_agreement_is_refused(store: StatusStore, ledger: Ledger):
    with pytest.raises(ValidationError, match="onbekende afspraak: 'X-1'"):
        store.update("X-1", status="lopend", door="a", expected_version=None, ledger=ledger)


def test_history_cannot_be_deleted_or_changed(store: StatusStore, ledger: Ledger):
    store.update("A-gem", status="lopend", door="a", expected_version=0, ledger=ledger)
    con = sqlite3.connect(store.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="nooit verwijderd"):
            con.execute("DELETE FROM afspraak_historie")
        with pytest.raises(sqlite3.IntegrityError, match="nooit gewijzigd"):
            con.execute("UPDATE afspraak_historie SET door = 'b'")
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        con.close()
    assert len(store.history()) == 1


def test_store_survives_a_changed_ledger(store: StatusStore, ledger: Ledger, ledger_dict):
    from tests.afspraken.conftest import dump
    from wijkplan.afspraken.ledger import parse_ledger

    store.update("A-gem", status="gerealiseerd", door="a", expected_version=0, ledger=ledger)
    ledger_dict["afspraken"][0]["titel"] = "Nieuwe titel"
    reloaded = parse_ledger(dump(ledger_dict))
    assert store.current("A-gem", reloaded).status == "gerealiseerd"
    assert store.current_all(reloaded)["A-wijk"].version == 0


def test_default_path_and_environment(monkeypatch, tmp_path: Path):
    monkeypatch.delenv(STATUS_STORE_ENV, raising=False)
    assert default_store_path() == DEFAULT_STATUS_STORE
    assert StatusStore().path == DEFAULT_STATUS_STORE
    monkeypatch.setenv(STATUS_STORE_ENV, str(tmp_path / "elders.sqlite"))
    assert StatusStore().path == tmp_path / "elders.sqlite"


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path, ledger: Ledger):
    bad = tmp_path / "kapot.sqlite"
    bad.write_text("dit is geen database", encoding="utf-8")
    with pytest.raises(ValidationError, match="geen bruikbare statusopslag"):
        StatusStore(bad).current_all(ledger)


def test_two_processes_update_one_agreement_concurrently(tmp_path: Path, ledger_file: Path, ledger):
    """Both read version v, both write with v: exactly one wins, the other gets the conflict."""
    store = StatusStore(tmp_path / "status.sqlite")
    store.update("A-gem", status="lopend", door="voorbereiding", expected_version=0, ledger=ledger)
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    queue = ctx.Queue()
    procs = [
        ctx.Process(
            target=_workers.read_then_update,
            args=(str(store.path), str(ledger_file), "A-gem", door, status, barrier, queue),
        )
        for door, status in (("Fatima", "gerealiseerd"), ("Jan", "voorgenomen"))
    ]
    for p in procs:
        p.start()
    results = [queue.get(timeout=60) for _ in procs]
    assert not [r for r in results if r[1] == "error"], results
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert all(r[2] == 1 for r in results)  # both read version 1
    ok = [r for r in results if r[1] == "ok"]
    conflict = [r for r in results if r[1] == "conflict"]
    assert len(ok) == 1 and len(conflict) == 1
    winner, loser = ok[0][0], conflict[0][0]
    assert ok[0][3] == 2
    message = conflict[0][3]
    assert f"afspraak A-gem is intussen gewijzigd door {winner} om " in message
    assert "laad opnieuw en probeer het nog eens" in message
    assert conflict[0][4] == 3
    hist = store.history("A-gem")
    assert hist["door"].tolist() == ["voorbereiding", winner]
    assert loser not in set(hist["door"])
    assert hist["versie"].tolist() == [1, 2]
    expected = "gerealiseerd" if winner == "Fatima" else "voorgenomen"
    assert store.current("A-gem", ledger).status == expected
