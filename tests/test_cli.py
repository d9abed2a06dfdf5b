from __future__ import annotations

import json

from wijkplan.cli import main


def test_dossier_text(built_layers, capsys):
    from wijkplan.read import read_layer

    assert main(["dossier", "BU04840210", "--layers", str(built_layers)]) == 0
    out = capsys.readouterr().out
    assert "Planetenbuurt-Noord (BU04840210)" in out and "Ridderveld" in out
    complexen = read_layer(built_layers, "complexen")
    here = complexen[complexen["buurtcode"] == "BU04840210"]
    assert len(here) and all(name in out for name in here["naam"])
    assert f"Complexen [voorbeelddata]: {len(here)} met" in out


def test_dossier_json_wijk(built_layers, capsys):
    assert main(["dossier", "wk048402", "--json", "--layers", str(built_layers)]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["niveau"] == "wijk" and d["naam"] == "Ridderveld"
    figures = {f["kolom"]: f["waarde"] for f in d["kerncijfers"]}
    assert figures["aantal_inwoners"] == 13500
    assert {"code": "BU04840210", "naam": "Planetenbuurt-Noord"} in d["buurten"]
    assert d["complexen"]["woningen"] == sum(r["aantal_woningen"] for r in d["complexen"]["lijst"])


def test_dossier_of_a_complex_and_of_the_gemeente(built_layers, capsys):
    from wijkplan.read import read_layer

    complexen = read_layer(built_layers, "complexen").set_index("complex_id")
    cid = complexen.index[0]
    assert main(["dossier", cid, "--json", "--layers", str(built_layers)]) == 0
    d = json.loads(capsys.readouterr().out)
    assert (d["niveau"], d["complex"]["complex_id"]) == ("complex", cid)
    assert d["buurten"][0]["code"] == complexen.loc[cid, "buurtcode"]
    assert d["leefbaarheid"]["bron"] == "Leefbaarometer-grid onder het complex"
    assert main(["dossier", "GM0484", "--layers", str(built_layers)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Alphen aan den Rijn (GM0484), gemeente")
    buurten = read_layer(built_layers, "buurten")  # the real CBS figures per buurt
    total = f"{int(buurten['aantal_inwoners'].sum()):,}".replace(",", ".")
    assert f"Inwoners (1 januari): {total}" in out  # the sum over the buurten, Dutch digits
    assert "som van de buurten" in out


def test_unknown_code_and_missing_layers(built_layers, tmp_path, capsys):
    assert main(["dossier", "BU04849999", "--layers", str(built_layers)]) == 2
    assert "BU04849999" in capsys.readouterr().err
    assert main(["dossier", "XX1", "--layers", str(built_layers)]) == 2
    assert main(["dossier", "BU04840210", "--layers", str(tmp_path / "none.gpkg")]) == 2
    err = capsys.readouterr().err
    assert "nog niet gebouwd" in err and "wijkplan build" in err


def test_build_from_a_folder_that_does_not_exist(tmp_path, capsys):
    out = tmp_path / "w.gpkg"
    assert main(["build", "--data", str(tmp_path / "geen"), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"wijkplan: fout: {tmp_path / 'geen'}: bronmap bestaat niet"]
    assert not out.exists()
