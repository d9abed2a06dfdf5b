"""The agreement ledger wired into build, dossier and CLI (issue 3 acceptance)."""

from __future__ import annotations

import json
import shutil

import pytest

from wijkplan import read
from wijkplan.build import build_layers
from wijkplan.cli import main


def _dossier(capsys, code, layers, *extra):
    assert main(["dossier", code, "--json", "--layers", str(layers), *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_build_writes_agreement_layers(built_layers):
    names = set(read.layer_names(built_layers))
    assert {"afspraken", "afspraak_gebieden", "regiegebieden", "warmtegebieden"} <= names
    regie = read.read_layer(built_layers, "regiegebieden")
    assert set(regie["regie_id"]) == {"regie-edelstenenbuurt", "regie-snijdelwijk"}
    assert regie.crs.to_epsg() == 28992
    links = read.read_layer(built_layers, "afspraak_gebieden")
    assert {"gemeente", "regiegebied", "buurt", "warmtegebied"} <= set(links["niveau"])


def test_edelstenenbuurt_lists_regie_with_partners(built_layers, capsys):
    d = _dossier(capsys, "BU04840306", built_layers)
    rows = {r["afspraak_id"]: r for r in d["afspraken"]["lijst"]}
    regie = [r for r in rows.values() if r["thema"] == "leefbaarheid" and not r["gemeentebreed"]]
    assert len(regie) == 1
    assert "Tom in de buurt" in regie[0]["partijen"] and "Politie" in regie[0]["partijen"]
    assert regie[0]["via"].startswith("regiegebied")
    assert sum(r["gemeentebreed"] for r in rows.values()) >= 5
    assert d["regiegebieden"] == [{"code": "regie-edelstenenbuurt", "naam": "Edelstenenbuurt"}]
    # the Snijdelwijk regie agreement does not apply here
    assert not any("Snijdelwijk" in r["titel"] for r in rows.values())


def test_planetenbuurt_lists_aquathermie(built_layers, capsys):
    d = _dossier(capsys, "BU04840210", built_layers)
    titles = [r["titel"].lower() for r in d["afspraken"]["lijst"] if not r["gemeentebreed"]]
    assert any("aquathermie" in t for t in titles)
    assert any(r["gemeentebreed"] for r in d["afspraken"]["lijst"])
    assert {"code": "wg-planetenbuurt", "naam": "Planetenbuurt"} in d["warmtegebieden"]
    main(["dossier", "BU04840210", "--layers", str(built_layers)])
    text = capsys.readouterr().out
    assert "aquathermie" in text.lower() and "(gemeentebreed)" in text


def test_regie_area_dossier(built_layers, capsys):
    d = _dossier(capsys, "regie-snijdelwijk", built_layers)
    assert d["niveau"] == "regiegebied"
    assert [b["code"] for b in d["buurten"]] == ["BU04847009"]
    assert "Politie" in d["partners"]


@pytest.mark.slow
def test_status_update_shows_in_dossier_and_survives_rebuild(bundled_data, tmp_path, capsys):
    layers = tmp_path / "wijkplan.gpkg"
    build_layers(bundled_data, layers)
    from wijkplan.users.accounts import UsersFile

    UsersFile().add(
        "a.coordinator", "coordinator", wachtwoord=None, ledger=read.read_ledger(layers)
    )
    assert (
        main(
            [
                "afspraken",
                "update",
                "PA2021-04a",
                "--status",
                "lopend",
                "--voortgang",
                "20",
                "--door",
                "a.coordinator",
                "--opmerking",
                "Eerste overleg gehouden",
            ]
        )
        == 0
    )
    capsys.readouterr()
    build_layers(bundled_data, layers)  # a rebuild keeps the status history
    d = _dossier(capsys, "BU04840306", layers)
    row = next(r for r in d["afspraken"]["lijst"] if r["afspraak_id"] == "PA2021-04a")
    assert (row["status"], row["voortgang"]) == ("lopend", 20)
    assert (
        read.read_layer(layers, "afspraken").set_index("afspraak_id").loc["PA2021-04a", "status"]
        == "lopend"
    )
    assert main(["afspraken", "history", "PA2021-04a", "--json"]) == 0
    history = json.loads(capsys.readouterr().out)
    assert {h["veld"] for h in history} == {"status", "voortgang"}
    assert all(h["door"] == "a.coordinator" for h in history)


def test_shipped_ledger_not_forced_on_other_municipality(write_boundaries, tmp_path):
    report = build_layers(write_boundaries(), tmp_path / "x.gpkg")
    entry = next(s for s in report.sources if s.name == "afspraken")
    assert entry.kind == "afwezig"
    assert any("hoort bij GM0484" in w for w in report.warnings)


def test_explicit_bad_ledger_exits_2_and_names_code(write_boundaries, tmp_path, capsys):
    from tests.conftest import REPO

    data = write_boundaries()
    ledger = tmp_path / "afspraken.yaml"
    shutil.copy(REPO / "data" / "afspraken" / "prestatieafspraken-2021.yaml", ledger)
    out = tmp_path / "x.gpkg"
    assert main(["build", "--data", str(data), "--out", str(out), "--ledger", str(ledger)]) == 2
    err = capsys.readouterr().err
    assert "BU04840306" in err
    assert not out.exists()
