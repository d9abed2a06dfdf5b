"""The ``wijkplan afspraken`` subcommands, through their handlers and a small parser."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from tests.afspraken.conftest import write_ledger
from tests.conftest import REPO
from wijkplan.afspraken.commands import build_parser, cmd_check, register, run
from wijkplan.afspraken.store import STATUS_STORE_ENV
from wijkplan.errors import ValidationError, WijkplanError


@pytest.fixture
def data_dir(tmp_path: Path, buurten, wijken) -> Path:
    folder = tmp_path / "geo"
    folder.mkdir()
    # the files lie at a real place in RD: the loaders refuse coordinates outside the Netherlands
    for name, frame in (("buurten", buurten), ("wijken", wijken)):
        moved = frame.set_geometry(frame.translate(100_000, 450_000))
        moved.to_file(folder / f"{name}.gpkg", engine="pyogrio")
    return folder


@pytest.fixture
def layers(tmp_path: Path, buurten, complexen) -> Path:
    gpkg = tmp_path / "wijkplan.gpkg"
    buurten.to_file(gpkg, layer="buurten", engine="pyogrio")
    complexen.to_file(gpkg, layer="complexen", engine="pyogrio")
    return gpkg


@pytest.fixture(autouse=True)
def isolated_store(monkeypatch, tmp_path: Path) -> Path:
    """Never touch the real data/state store from a test."""
    path = tmp_path / "state" / "status.sqlite"
    monkeypatch.setenv(STATUS_STORE_ENV, str(path))
    return path


def test_register_adds_the_subcommand():
    parser = argparse.ArgumentParser(prog="wijkplan")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        ["afspraken", "update", "PA2021-05c", "--status", "lopend", "--door", "A"]
    )
    assert args.func.__name__ == "cmd_update"
    # defaults hang off the checkout, whatever the working directory
    assert args.ledger == REPO / "data" / "afspraken" / "prestatieafspraken-2021.yaml"
    assert args.ledger.is_absolute()
    with pytest.raises(SystemExit):
        parser.parse_args(["afspraken", "update", "PA2021-05c", "--status", "lopend"])  # no --door


def test_check_valid_ledger(ledger_file, data_dir, capsys):
    assert run(["afspraken", "check", str(ledger_file), "--data", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"In orde: {ledger_file}: 8 afspraken")
    assert "4 buurten, 2 wijken" in out


def test_check_unknown_buurt_exits_2_naming_the_code(tmp_path, ledger_dict, data_dir, capsys):
    ledger_dict["afspraken"][0]["gebieden"] = [{"niveau": "buurt", "code": "BU04849999"}]
    bad = write_ledger(tmp_path / "fout.yaml", ledger_dict)
    assert run(["afspraken", "check", str(bad), "--data", str(data_dir)]) == 2
    err = capsys.readouterr().err
    assert "BU04849999" in err and "A-gem" in err
    args = build_parser().parse_args(["afspraken", "check", str(bad), "--data", str(data_dir)])
    with pytest.raises(ValidationError, match="BU04849999") as exc:
        cmd_check(args)
    assert exc.value.exit_code == 2


def test_check_without_boundaries(tmp_path, ledger_file, capsys):
    assert run(["afspraken", "check", str(ledger_file), "--data", str(tmp_path / "leeg")]) == 2
    assert "geen buurten" in capsys.readouterr().err


def test_list_all_and_filtered(ledger_file, capsys):
    assert run(["afspraken", "list", "--ledger", str(ledger_file)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Afspraken (8):")
    assert (
        run(["afspraken", "list", "--ledger", str(ledger_file), "--partij", "politie", "--json"])
        == 0
    )
    records = json.loads(capsys.readouterr().out)
    assert [r["afspraak_id"] for r in records] == ["A-regie"]
    assert records[0]["voortgang"] is None
    assert run(["afspraken", "list", "--ledger", str(ledger_file), "--thema", "sport"]) == 2
    assert "onbekend thema 'sport'" in capsys.readouterr().err


def test_list_for_an_area_uses_the_layers(ledger_file, layers, capsys):
    argv = ["afspraken", "list", "--ledger", str(ledger_file), "--layers", str(layers), "--json"]
    assert run([*argv, "--gebied", "BU04840202"]) == 0
    via = {r["afspraak_id"]: r["via"] for r in json.loads(capsys.readouterr().out)}
    assert via == {"A-gem": "gemeentebreed", "A-buurt2": "direct", "A-complex": "complex C1"}
    assert run([*argv, "--gebied", "r1"]) == 0
    assert {r["afspraak_id"] for r in json.loads(capsys.readouterr().out)} == {
        "A-gem",
        "A-regie",
        "A-buurt2",
    }
    assert run([*argv[:-1], "--gebied", "BU04840102"]) == 0
    assert "[regiegebied Regie Oost]" in capsys.readouterr().out


def test_list_with_missing_layers_file(ledger_file, tmp_path, capsys):
    argv = ["afspraken", "list", "--ledger", str(ledger_file), "--gebied", "BU04840101"]
    assert run([*argv, "--layers", str(tmp_path / "nergens.gpkg")]) == 2
    assert "nog niet gebouwd" in capsys.readouterr().err


def test_update_then_history(ledger_file, capsys, isolated_store):
    argv = ["afspraken", "update", "A-gem", "--ledger", str(ledger_file), "--door", "Fatima"]
    assert run([*argv, "--status", "lopend", "--voortgang", "40", "--opmerking", "gestart"]) == 0
    out = capsys.readouterr().out
    assert "Afspraak A-gem bijgewerkt door Fatima" in out and "(versie 1)" in out
    assert "status: voorgenomen → lopend" in out and "voortgang: leeg → 40" in out
    assert isolated_store.is_file()
    assert (
        run(["afspraken", "list", "--ledger", str(ledger_file), "--status", "lopend", "--json"])
        == 0
    )
    ids = {r["afspraak_id"]: r for r in json.loads(capsys.readouterr().out)}
    assert ids["A-gem"]["voortgang"] == 40 and ids["A-gem"]["versie"] == 1
    assert run(["afspraken", "history", "A-gem"]) == 0
    out = capsys.readouterr().out
    assert "Historie van afspraak A-gem (2 wijzigingen)" in out
    assert "status: voorgenomen → lopend  door Fatima (versie 1): gestart" in out
    assert run(["afspraken", "history", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--status", "klaar"], "onbekende status 'klaar'"),
        (["--voortgang", "150"], "van 0 tot en met 100"),
        ([], "geef een nieuwe status of voortgang op"),
    ],
)
def test_update_refusals_exit_2(ledger_file, capsys, extra, message):
    argv = ["afspraken", "update", "A-gem", "--ledger", str(ledger_file), "--door", "Fatima"]
    assert run([*argv, *extra]) == 2
    assert message in capsys.readouterr().err


def test_history_empty(capsys):
    assert run(["afspraken", "history"]) == 0
    assert "Geen wijzigingen vastgelegd" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--door", "Fatima", "--opmerking", "o" * 2001], "opmerking is te lang (2001 tekens"),
        (["--door", "Fatima", "--opmerking", "weg\x1b]0;titel\x07"], "opmerking bevat stuurtekens"),
        (["--door", "Fa\x1b[2Jtima"], "Fa\\x1b[2Jtima"),  # not a user; shown, not sent
    ],
)
def test_update_refuses_long_or_control_text_in_one_dutch_line(
    ledger_file, capsys, isolated_store, extra, message
):
    argv = ["afspraken", "update", "A-gem", "--ledger", str(ledger_file), "--status", "lopend"]
    assert run([*argv, *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert "\x1b" not in err and "\x07" not in err
    assert not isolated_store.exists() or run(["afspraken", "history"]) == 0
    assert "Geen wijzigingen" in capsys.readouterr().out or not isolated_store.exists()


def test_update_accepts_a_multi_line_remark_up_to_the_limit(ledger_file, capsys):
    argv = ["afspraken", "update", "A-gem", "--ledger", str(ledger_file), "--status", "lopend"]
    assert run([*argv, "--door", "Fatima", "--opmerking", "regel 1\nregel 2\t" + "o" * 1984]) == 0
    capsys.readouterr()
    assert run(["afspraken", "history", "A-gem"]) == 0
    assert "regel 1\\nregel 2\\t" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("door", "message"),
    [("x" * 101, r"door is te lang \(101 tekens, hoogstens 100\)"), ("Fatima\nNep", "stuurtekens")],
)
def test_store_refuses_a_long_or_controlled_name(ledger, isolated_store, door, message):
    """The store checks the recorded name too (whatever path it came through)."""
    from wijkplan.afspraken.store import StatusStore

    with pytest.raises(WijkplanError, match=message):
        StatusStore(isolated_store).update(
            "A-gem", status="lopend", door=door, ledger=ledger, expected_version=None
        )


def test_history_shows_stored_control_characters_instead_of_sending_them(
    ledger, capsys, isolated_store, monkeypatch
):
    from wijkplan.afspraken import store as store_module

    # a history written before control characters were refused (or by another tool)
    monkeypatch.setattr(store_module, "_text_problems", lambda *a, **k: [])
    store_module.StatusStore(isolated_store).update(
        "A-gem",
        status="lopend",
        door="Fa\x1b[31mtima",
        opmerking="weg\x1b[2J\rnep\u202e",
        expected_version=None,
        ledger=ledger,
    )
    assert run(["afspraken", "history"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\r" not in out and "\u202e" not in out
    assert "door Fa\\x1b[31mtima" in out and "weg\\x1b[2J\\rnep\\u202e" in out
