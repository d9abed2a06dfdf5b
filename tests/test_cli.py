from __future__ import annotations

import json

from wijkplan.cli import main


def test_dossier_text(built_layers, capsys):
    assert main(["dossier", "BU04840210", "--layers", str(built_layers)]) == 0
    out = capsys.readouterr().out
    assert "Planetenbuurt-Noord (BU04840210)" in out and "Ridderveld" in out
    assert "Herculesflat" in out and "[voorbeelddata]" in out


def test_dossier_json_wijk(built_layers, capsys):
    assert main(["dossier", "wk048402", "--json", "--layers", str(built_layers)]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["niveau"] == "wijk" and d["naam"] == "Ridderveld"
    assert d["kerncijfers"]["Inwoners"] == 13500
    assert {"code": "BU04840210", "naam": "Planetenbuurt-Noord"} in d["buurten"]
    assert d["complexen"]["woningen"] == sum(r["aantal_woningen"] for r in d["complexen"]["lijst"])


def test_unknown_code_and_missing_layers(built_layers, tmp_path, capsys):
    assert main(["dossier", "BU04849999", "--layers", str(built_layers)]) == 2
    assert "BU04849999" in capsys.readouterr().err
    assert main(["dossier", "XX1", "--layers", str(built_layers)]) == 2
    assert main(["dossier", "BU04840210", "--layers", str(tmp_path / "none.gpkg")]) == 2
    err = capsys.readouterr().err
    assert "nog niet gebouwd" in err and "wijkplan build" in err
