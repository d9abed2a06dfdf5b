"""``wijkplan afspraken backup FILE`` / ``restore FILE``: online backup, checked restore."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from tests.afspraken import _workers
from tests.afspraken.checks import store_problems
from wijkplan.afspraken.commands import run
from wijkplan.afspraken.model import Ledger
from wijkplan.afspraken.store import StatusStore
from wijkplan.errors import WijkplanError


def _update(store: StatusStore, ledger: Ledger, voortgang: int) -> None:
    store.update("A-gem", voortgang=voortgang, door="Jan", expected_version=None, ledger=ledger)


def test_backup_then_restore_brings_the_earlier_state_back(tmp_path: Path, ledger: Ledger):
    store = StatusStore(tmp_path / "status.sqlite")
    _update(store, ledger, 10)
    backup = store.backup(tmp_path / "kopie.sqlite")
    _update(store, ledger, 20)
    kept = store.restore(backup)
    assert store.current("A-gem", ledger).voortgang == 10
    assert store.history("A-gem")["nieuw"].tolist() == ["10"]
    assert kept is not None and kept.name.startswith("status.sqlite.voor-herstel-")
    assert StatusStore(kept).current("A-gem", ledger).voortgang == 20  # the one it replaced
    assert store_problems(store.path) == [] and store_problems(backup) == []
    assert sorted(p.name for p in tmp_path.iterdir() if ".wijkplan-tmp-" in p.name) == []
    with sqlite3.connect(backup) as db:  # one self-contained file
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_restore_without_keeping(tmp_path: Path, ledger: Ledger):
    store = StatusStore(tmp_path / "status.sqlite")
    _update(store, ledger, 10)
    backup = store.backup(tmp_path / "kopie.sqlite")
    assert store.restore(backup, keep=False) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kopie.sqlite", "status.sqlite"]


@pytest.mark.slow
def test_backup_during_concurrent_writes_is_one_consistent_snapshot(
    tmp_path: Path, ledger_file: Path, ledger: Ledger
):
    store = StatusStore(tmp_path / "status.sqlite")
    _update(store, ledger, 100)
    ctx = multiprocessing.get_context("spawn")
    started = ctx.Event()
    writer = ctx.Process(
        target=_workers.update_many,
        args=(str(store.path), str(ledger_file), "A-gem", 150, started),
    )
    writer.start()
    assert started.wait(timeout=60)
    versions = []
    while writer.is_alive() or not versions:
        backup = store.backup(tmp_path / f"kopie-{len(versions)}.sqlite")
        assert store_problems(backup) == []
        versions.append(StatusStore(backup).current("A-gem", ledger).version)
    writer.join(timeout=60)
    assert writer.exitcode == 0
    assert versions == sorted(versions) and len(versions) >= 2
    assert store.current("A-gem", ledger).version == 151
    assert store_problems(store.path) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"dit is geen database", "geen statusopslag van wijkplan"),
        ("tabel", "geen statusopslag van wijkplan (ontbreekt: afspraak_status"),
    ],
)
def test_restore_of_a_file_that_is_not_a_store_is_refused_in_one_line(
    tmp_path: Path, ledger: Ledger, capsys, content, message
):
    store = StatusStore(tmp_path / "status.sqlite")
    _update(store, ledger, 10)
    before = store.path.read_bytes()
    other = tmp_path / "ander.sqlite"
    if isinstance(content, bytes):
        other.write_bytes(content)
    else:
        with sqlite3.connect(other) as db:
            db.execute("CREATE TABLE iets (a)")
    code = run(["afspraken", "restore", str(other), "--store", str(store.path), "--als-beheerder"])
    err = capsys.readouterr().err
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err
    assert store.path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ander.sqlite", "status.sqlite"]


def test_backup_and_restore_on_the_command_line(
    tmp_path: Path, ledger_file: Path, ledger: Ledger, capsys
):
    store = tmp_path / "status.sqlite"
    common = ["--store", str(store)]
    update = ["afspraken", "update", "A-gem", "--door", "Jan", "--ledger", str(ledger_file)]
    assert run([*update, "--voortgang", "10", *common]) == 0
    assert run(["afspraken", "backup", str(tmp_path / "kopie.sqlite"), *common]) == 0
    assert run([*update, "--voortgang", "20", *common]) == 0
    restore = ["afspraken", "restore", str(tmp_path / "kopie.sqlite"), *common]
    assert run(restore) == 2  # nobody named: refused, nothing changed
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--als-beheerder" in err
    assert StatusStore(store).current("A-gem", ledger).voortgang == 20
    assert run([*restore, "--als-beheerder"]) == 0
    out = capsys.readouterr().out
    assert "De vorige statusopslag is bewaard als" in out and "voor-herstel-" in out
    assert "hersteld door beheerder (CLI) " in out and "uit" in out
    assert StatusStore(store).current("A-gem", ledger).voortgang == 10
    assert run(["afspraken", "backup", str(tmp_path / "x.sqlite"), "--store", "nergens"]) == 2
    assert "nog geen statusopslag" in capsys.readouterr().err


def test_backup_onto_the_store_itself_is_refused(tmp_path: Path, ledger: Ledger):
    store = StatusStore(tmp_path / "status.sqlite")
    _update(store, ledger, 10)
    with pytest.raises(WijkplanError, match="de statusopslag zelf"):
        store.backup(store.path)


def test_two_restores_in_one_second_keep_both_safety_copies(
    tmp_path: Path, ledger: Ledger, monkeypatch
):
    import datetime as dt

    from wijkplan.afspraken import store as store_module

    frozen = dt.datetime(2025, 1, 31, 12, 0, 0, tzinfo=dt.UTC)

    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            return frozen

    monkeypatch.setattr(store_module.dt, "datetime", Clock)
    store = StatusStore(tmp_path / "status.sqlite")
    _update(store, ledger, 10)
    backup = store.backup(tmp_path / "kopie.sqlite")
    _update(store, ledger, 20)
    first = store.restore(backup)
    _update(store, ledger, 30)
    second = store.restore(backup)
    assert first is not None and second is not None and first != second
    assert first.name == "status.sqlite.voor-herstel-20250131T120000.000000Z"
    assert second.name == first.name + "-2"
    assert StatusStore(first).current("A-gem", ledger).voortgang == 20
    assert StatusStore(second).current("A-gem", ledger).voortgang == 30
