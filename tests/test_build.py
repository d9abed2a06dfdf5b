from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pyogrio
import pytest
from shapely.geometry import Polygon

from tests.conftest import BUNDLED
from wijkplan import read
from wijkplan.build import build_layers
from wijkplan.cli import main


def test_bundled_build(built_layers):
    names = read.layer_names(built_layers)
    assert {"buurten", "wijken", "complexen", "build_report"} <= set(names)
    buurten = read.read_layer(built_layers, "buurten")
    wijken = read.read_layer(built_layers, "wijken")
    assert len(buurten) == 100 and len(wijken) == 16
    assert buurten.crs.to_epsg() == 28992 and wijken.crs.to_epsg() == 28992
    assert buurten.geometry.is_valid.all()
    report = read.read_report(built_layers)
    kinds = {s.name: s.kind for s in report.sources}
    assert kinds["buurten"] == "echt" and kinds["complexen"] == "voorbeelddata"
    assert report.uses_sample_data and report.layers["buurten"] == 100


def test_ogrinfo_reads_rd(built_layers):
    if shutil.which("ogrinfo") is None:
        if os.environ.get("CI"):
            pytest.fail("ogrinfo (gdal-bin) is required under CI")
        pytest.skip("ogrinfo (Debian gdal-bin) not installed")
    out = subprocess.run(
        ["ogrinfo", "-ro", "-so", "-al", str(built_layers)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for layer in ("buurten", "wijken", "complexen"):
        assert f"Layer name: {layer}" in out
    assert out.count('ID["EPSG",28992]') >= 3


def test_other_municipality_boundaries_only(write_boundaries, tmp_path, capsys):
    data = write_boundaries()
    out = tmp_path / "x.gpkg"
    assert main(["build", "--data", str(data), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "complexen" in printed and "niet aanwezig" in printed
    # the heat plan per buurt is always there: without a plan every buurt is "nog te bepalen"
    assert set(read.layer_names(out)) == {
        "buurten",
        "wijken",
        "warmteplan",
        "build_report",
        "catalogus",
        "layer_styles",  # QGIS opens each layer with its style
    }
    plan = read.read_layer(out, "warmteplan")
    assert set(plan["strategie"]) == {"nog te bepalen"} and set(plan["plan"]) == {"geen warmteplan"}
    assert read.read_report(out).gemeentecode == "GM9999"


def test_spike_repaired_and_reported(write_boundaries, tiny_buurten, tmp_path):
    bad = tiny_buurten.copy()
    bad.loc[2, "geometry"] = Polygon(
        [
            (100_000, 449_000),
            (101_000, 449_000),
            (101_000, 450_000),
            (100_500, 450_000),
            (100_400, 450_100),
            (100_600, 450_100),
            (100_000, 450_000),
        ]
    )
    data = write_boundaries(bad, suffix=".gpkg")
    report = build_layers(data, tmp_path / "x.gpkg")
    assert any("BU99990201" in w for w in report.warnings)


@pytest.mark.filterwarnings("ignore:'crs' was not provided:UserWarning")
@pytest.mark.parametrize("breakage", ["unrepairable", "duplicate", "nocrs"])
def test_broken_input_exits_2_and_keeps_old_geopackage(
    write_boundaries, tiny_buurten, tmp_path, breakage
):
    good = write_boundaries(suffix=".gpkg")
    out = tmp_path / "layers" / "wijkplan.gpkg"
    assert main(["build", "--data", str(good), "--out", str(out)]) == 0
    before = out.read_bytes()
    bad = tiny_buurten.copy()
    if breakage == "unrepairable":
        bad.loc[1, "geometry"] = Polygon(
            [(101_000, 450_000), (101_005, 450_005), (101_010, 450_010), (101_000, 450_000)]
        )
    elif breakage == "duplicate":
        bad.loc[1, "buurtcode"] = "BU99990101"
    else:
        bad = bad.set_crs(None, allow_override=True)
    broken = tmp_path / "broken"
    broken.mkdir()
    pyogrio.write_dataframe(bad, broken / "buurten.gpkg")
    shutil.copy(good / "wijken.gpkg", broken / "wijken.gpkg")
    proc = subprocess.run(
        [sys.executable, "-m", "wijkplan.cli", "build", "--data", str(broken), "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr  # one clear line
    assert "buurten.gpkg" in proc.stderr
    expected = {
        "unrepairable": "BU99990102",
        "duplicate": "BU99990101",
        "nocrs": "coördinatenstelsel",
    }[breakage]
    assert expected in proc.stderr
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["wijkplan.gpkg"]  # no temp file left


def test_bundled_provenance_is_shipped():
    text = (BUNDLED / "PROVENANCE.md").read_text()
    assert "CC BY 4.0" in text and "generalised" in text
