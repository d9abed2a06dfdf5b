"""Inputs the issues call real formats, and hostile ones: each either works or fails in one line."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO
from wijkplan import read
from wijkplan.build import build_layers
from wijkplan.cli import main
from wijkplan.sample.leefbaarometer import CSV_NAME, GPKG_NAME, sample_leefbaarometer


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wijkplan.cli", *args], capture_output=True, text=True, cwd=REPO
    )


@pytest.fixture
def alphen(bundled_data, tmp_path):
    """A private copy of the bundled data folder (with its sample sources)."""
    data = tmp_path / "geo"
    shutil.copytree(bundled_data, data)
    return data


@pytest.mark.slow
def test_buurt_without_scored_cells_has_a_dossier(alphen, tmp_path, capsys, monkeypatch):
    # a business park without homes has no Leefbaarometer cells: remove its cells from the grid
    code = "BU04840506"  # Bedrijventerrein De Schans I
    buurt = (
        gpd.read_file(alphen / "buurten.geojson")
        .to_crs(28992)
        .set_index("buurtcode")
        .geometry[code]
    )
    cells = gpd.read_file(alphen / GPKG_NAME)
    gone = set(cells.loc[cells.intersects(buurt), "grid_id"])
    assert gone
    scores = pd.read_csv(alphen / CSV_NAME)
    scores[~scores["grid_id"].isin(gone)].to_csv(alphen / CSV_NAME, index=False)
    (alphen / GPKG_NAME).unlink()
    cells[~cells["grid_id"].isin(gone)].to_file(alphen / GPKG_NAME)
    out = tmp_path / "x.gpkg"
    build_layers(alphen, out)
    assert main(["dossier", code, "--layers", str(out)]) == 0
    assert "Geen gescoorde Leefbaarometer-cellen" in capsys.readouterr().out
    assert main(["dossier", code, "--json", "--layers", str(out)]) == 0
    assert json.loads(capsys.readouterr().out)["leefbaarheid"]["scores"] is None
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("WIJKPLAN_LAYERS", str(out))
    monkeypatch.setenv("WIJKPLAN_BASEMAP", "geen")
    at = AppTest.from_file(str(REPO / "views" / "kaart.py"), default_timeout=60)
    at.query_params["gebied"] = code
    at.run()
    assert not at.exception
    assert any("Geen gescoorde" in m.value for m in at.markdown)


@pytest.mark.slow
def test_point_complexes_get_the_cell_under_them(alphen, tmp_path):
    polygons = gpd.read_file(alphen / "complexen.gpkg")
    points = polygons.assign(geometry=polygons.geometry.representative_point())
    (alphen / "complexen.gpkg").unlink()
    points.to_file(alphen / "complexen.gpkg")
    out = tmp_path / "x.gpkg"
    build_layers(alphen, out)
    scores = read.read_layer(out, "leefbaarheid_complexen")
    # every complex is homes, and the sample (like the real grid) scores every cell with homes
    assert scores["afw"].notna().all()


def _police_csv(path, rows):
    lines = ["SoortMisdrijf;WijkenEnBuurten;Perioden;GeregistreerdeMisdrijven_1"]
    lines += [f"{soort};{code};{periode};{value}" for soort, code, periode, value in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_police_tables_beat_sample_points_and_count_years_once(alphen, tmp_path):
    rows = [("1.1.1 ", "BU04840306  ", "2023JJ00", 12)]
    rows += [("1.1.1 ", "BU04840306  ", f"2023MM{m:02d}", 1) for m in range(1, 13)]
    rows += [("1.1.1 ", "BU03630001  ", "2023JJ00", 40)]  # another municipality: ignored
    rows += [("2.2.1 ", "BU04840306  ", "2023JJ00", 9), ("2.2.1 ", "BU04840210  ", "2023JJ00", 30)]
    _police_csv(alphen / "politie_47022NED.csv", rows)
    out = tmp_path / "x.gpkg"
    report = build_layers(alphen, out)
    entry = next(s for s in report.sources if s.name == "incidenten")
    assert entry.kind == "echt" and entry.path.endswith("politie_47022NED.csv")
    assert any("voorbeeld-incidenten" in w for w in report.warnings)
    assert any("niet in deze grenzen" in w for w in report.warnings)
    table = read.read_layer(out, "incidenten_buurt")
    row = table[(table["buurtcode"] == "BU04840306") & (table["periode"] == "2023")].iloc[0]
    assert row["woninginbraak"] == 12  # the yearly figure, not 12 + 12 months
    assert row["vernieling"] == 9


@pytest.mark.slow
def test_small_incident_file_count_is_not_published(alphen, tmp_path):
    points = gpd.read_file(alphen / "incidenten.gpkg").head(3).assign(bron="eigen registratie")
    (alphen / "incidenten.gpkg").unlink()
    points.to_file(alphen / "incidenten.gpkg")
    out = tmp_path / "x.gpkg"
    report = build_layers(alphen, out)
    entry = next(s for s in report.sources if s.name == "incidenten")
    assert entry.count is None
    assert not re.search(r"(?<![\d.])3 objecten", "\n".join(report.lines()))
    stored = read.read_report(out)
    assert next(s for s in stored.sources if s.name == "incidenten").count is None


@pytest.mark.slow
def test_real_leefbaarometer_download_beats_the_sample(alphen, tmp_path):
    buurten = gpd.read_file(alphen / "buurten.geojson").to_crs(28992)
    scores, cells = sample_leefbaarometer(buurten)
    real = scores.drop(columns="bron")
    real["afw"] = real["afw"] + 0.5  # distinguishable from the sample
    real.to_csv(alphen / "Leefbaarometer-scores grids 2020-2024.csv", index=False)
    cells.drop(columns="bron", errors="ignore").to_file(alphen / "grid 2024.gpkg")
    assert (alphen / CSV_NAME).exists() and (alphen / GPKG_NAME).exists()
    out = tmp_path / "x.gpkg"
    report = build_layers(alphen, out)
    entry = next(s for s in report.sources if s.name == "leefbaarometer")
    assert entry.kind == "echt" and "Leefbaarometer-scores grids" in entry.path
    assert read.read_layer(out, "leefbaarheid")["afw"].mean() > 0.3
    assert main(["sample-data", "--data", str(alphen)]) == 0  # the sample step does not trip either


@pytest.mark.slow
def test_rasters_belong_to_their_geopackage_and_are_readable(alphen, tmp_path):
    out = tmp_path / "out" / "plan.gpkg"
    report = build_layers(alphen, out)
    names = sorted(str(p.relative_to(out.parent)) for p in out.parent.rglob("*") if p.is_file())
    folder = f"plan.rasters/{report.build_id}"
    assert names == [
        "plan.gpkg",
        *(f"{folder}/plan_leefbaarometer_{y}.tif" for y in (2020, 2022, 2024)),
    ]
    for path in report.rasters.values():
        assert stat.S_IMODE(os.stat(path).st_mode) & 0o044 == 0o044  # group/other may read


@pytest.mark.slow
@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        ("empty_csv", "het CSV-bestand is leeg"),
        ("corrupt_tif", "geen leesbaar rasterbestand"),
        ("two_municipalities", "2 gemeenten"),
    ],
)
def test_hostile_inputs_exit_2_in_one_line(alphen, tmp_path, breakage, expected):
    if breakage == "empty_csv":
        (alphen / CSV_NAME).write_text("")
    elif breakage == "corrupt_tif":
        (alphen / CSV_NAME).unlink()
        (alphen / GPKG_NAME).unlink()
        (alphen / "leefbaarometer_2024.tif").write_bytes(b"II*\x00 not a tiff")
    else:
        b = gpd.read_file(alphen / "buurten.geojson")
        extra = b.iloc[[0]].assign(
            buurtcode="BU03630101", wijkcode="WK036301", gemeentecode="GM0363"
        )
        extra.geometry = [Point(4.9, 52.37).buffer(0.01)]
        (alphen / "buurten.geojson").unlink()
        gpd.GeoDataFrame(__import__("pandas").concat([b, extra]), crs=b.crs).to_file(
            alphen / "buurten.geojson"
        )
    proc = _cli("build", "--data", str(alphen), "--out", str(tmp_path / "x.gpkg"))
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert expected in proc.stderr
    assert not (tmp_path / "x.gpkg").exists()


def test_corrupt_layers_file_is_one_line(tmp_path):
    bad = tmp_path / "bad.gpkg"
    bad.write_text("not a geopackage")
    proc = _cli("dossier", "BU04840210", "--layers", str(bad))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "geen leesbare GeoPackage" in proc.stderr


def test_point_records_layer_free(built_layers):
    for name in read.layer_names(built_layers):
        assert pyogrio.read_info(built_layers, layer=name)["geometry_type"] != "Point"
