"""Issue 11: every bad input is one line naming file, field and value, exit 2, nothing written.

Each case damages one file of a copy of the bundled data (or gives a damaged ledger to
``afspraken check``), runs the command line in a subprocess and checks the exit code, the
one stderr line with its specific message, and that the output did not appear (build) or
that an earlier output stayed byte-identical.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

CORPUS = Path(__file__).parent / "corpus"
LEDGER = Path(__file__).parents[1] / "data" / "afspraken" / "prestatieafspraken-2021.yaml"

Damage = Callable[[Path], None]


def _complexen(change: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame]) -> Damage:
    def damage(data: Path) -> None:
        path = data / "complexen.gpkg"
        frame = change(gpd.read_file(path))
        path.unlink()
        frame.to_file(path, driver="GPKG")

    return damage


def _set(column: str, value: object) -> Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame]:
    def change(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        frame[column] = frame[column].astype(object)
        frame.loc[0, column] = value
        return frame

    return change


def _geometry(geom: Callable[[shapely.Geometry], shapely.Geometry]) -> Damage:
    def change(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        geoms = frame.geometry.to_numpy().copy()
        geoms[0] = geom(geoms[0])
        return frame.set_geometry(gpd.GeoSeries(geoms, crs=frame.crs))

    return _complexen(change)


def _nan_vertex(g: shapely.Geometry) -> shapely.Geometry:
    coords = shapely.get_coordinates(g)
    coords[1, 0] = np.nan
    return shapely.set_coordinates(g, coords)


def _lbm(column: str, value: str) -> Damage:
    def damage(data: Path) -> None:
        path = data / "leefbaarometer-grids.csv"
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame.loc[0, column] = value
        frame.to_csv(path, index=False)

    return damage


def _crs_label(code: str | None) -> Damage:
    def damage(data: Path) -> None:
        for name in ("buurten.geojson",):
            doc = json.loads((data / name).read_text(encoding="utf-8"))
            doc["crs"] = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:{code}"}}
            (data / name).write_text(json.dumps(doc), encoding="utf-8")

    return damage


def _no_crs(data: Path) -> None:
    _complexen(lambda f: f.set_crs(None, allow_override=True))(data)


def _overlay(case: str) -> Damage:
    def damage(data: Path) -> None:
        for f in (CORPUS / case).iterdir():
            shutil.copy(f, data / f.name)

    return damage


def _ledger(change: Callable[[str], str]) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        path = tmp / "afspraken.yaml"
        path.write_text(change(LEDGER.read_text(encoding="utf-8")), encoding="utf-8")
        return path

    return make


def _static(case: str) -> Callable[[Path], Path]:
    return lambda tmp: CORPUS / case / "afspraken.yaml"


def _ledger_bytes(data: bytes) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        path = tmp / "afspraken.yaml"
        path.write_bytes(data)
        return path

    return make


# (case, damage, file named, expected text): the build refuses each
BUILD_CASES: list[tuple[str, Damage, str, str]] = [
    (
        "empty_buurten",
        lambda d: (d / "buurten.geojson").write_bytes(b""),
        "buurten.geojson",
        "het bestand is leeg",
    ),
    (
        "truncated_buurten",
        _overlay("truncated_buurten"),
        "buurten.geojson",
        "geen leesbaar vectorbestand",
    ),
    ("missing_crs", _no_crs, "complexen.gpkg", "geen coördinatenstelsel (CRS) opgegeven"),
    (
        "lonlat_labelled_rd",
        _crs_label("EPSG::28992"),
        "buurten.geojson",
        "liggen buiten het gebied waarvoor EPSG:28992 geldt",
    ),
    (
        "lonlat_labelled_3857",
        _crs_label("EPSG::3857"),
        "buurten.geojson",
        "liggen niet in Nederland",
    ),
    (
        "nan_coordinate",
        _geometry(_nan_vertex),
        "complexen.gpkg",
        "coördinaat is geen getal (NaN of oneindig): 'rij 1'",
    ),
    (
        "huge_coordinate",
        _geometry(lambda g: shapely.affinity.translate(g, 1e12, 1e12)),
        "complexen.gpkg",
        "liggen buiten het gebied waarvoor EPSG:28992 geldt",
    ),
    (
        "mixed_types",
        _geometry(lambda g: shapely.LineString(shapely.get_coordinates(g)[:2])),
        "complexen.gpkg",
        "geen vlak maar LineString",
    ),
    (
        "wrong_column_type",
        _complexen(_set("aantal_woningen", "veel")),
        "complexen.gpkg",
        "veld 'aantal_woningen': complex WOO-0001: geen getal: 'veel'",
    ),
    (
        "duplicate_id",
        _complexen(_set("complex_id", "WOO-0002")),
        "complexen.gpkg",
        "veld 'complex_id': dubbele code: 'WOO-0002'",
    ),
    (
        "negative_homes",
        _complexen(_set("aantal_woningen", -40)),
        "complexen.gpkg",
        "veld 'aantal_woningen': complex WOO-0001: negatief",
    ),
    (
        "build_year_3020",
        _complexen(_set("bouwjaar", 3020)),
        "complexen.gpkg",
        "veld 'bouwjaar': complex WOO-0001: onwaarschijnlijke waarde",
    ),
    (
        "lbm_negative",
        _lbm("lbm", "-5"),
        "leefbaarometer-grids.csv",
        "veld 'lbm': score buiten het bereik 0..10: 'E1065N4646: -5'",
    ),
    (
        "lbm_nan",
        _lbm("lbm", "NaN"),
        "leefbaarometer-grids.csv",
        "veld 'lbm': geen getal: 'E1065N4646: NaN'",
    ),
    (
        "lbm_1e30",
        _lbm("lbm", "1e30"),
        "leefbaarometer-grids.csv",
        "veld 'lbm': score buiten het bereik 0..10: 'E1065N4646: 1e30'",
    ),
    (
        "jaar_negative",
        _lbm("jaar", "-2020"),
        "leefbaarometer-grids.csv",
        "veld 'jaar': jaartal buiten 2002..",
    ),
]

# (case, ledger maker, expected text): `afspraken check` refuses each
LEDGER_CASES: list[tuple[str, Callable[[Path], Path], str]] = [
    ("ledger_alias_bomb", _static("ledger_alias_bomb"), "YAML-ankers en -verwijzingen"),
    ("ledger_empty", _static("ledger_empty"), "leeg bestand"),
    (
        "ledger_deep_nesting",
        _ledger_bytes(b"metadata: " + b"[" * 20_000 + b"]" * 20_000 + b"\n"),
        "te diep genest",
    ),
    (
        "ledger_not_utf8",
        _ledger_bytes("metadata:\n  titel: Caf\xe9\n".encode("latin-1")),
        "geen UTF-8-tekst",
    ),
    (
        "ledger_bad_reference",
        _ledger(lambda t: t.replace("buurtcodes: [BU04840306]", "buurtcodes: [BU04849999]", 1)),
        "onbekende buurtcode (komt niet voor in de grenzen): 'BU04849999'",
    ),
    (
        "ledger_duplicate_key",
        _ledger(lambda t: t.replace("metadata:\n", "metadata:\n  jaar: 2020\n", 1)),
        "dubbele sleutel",
    ),
]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wijkplan.cli", *args], capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def earlier(bundled_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A GeoPackage from an earlier good build, that a failed build must leave alone."""
    out = tmp_path_factory.mktemp("earlier") / "wijkplan.gpkg"
    assert _run("build", "--data", str(bundled_data), "--out", str(out)).returncode == 0
    return out


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:'crs' was not provided:UserWarning")
@pytest.mark.parametrize(
    ("case", "damage", "name", "expected"), BUILD_CASES, ids=[c[0] for c in BUILD_CASES]
)
def test_build_refuses(bundled_data, earlier, tmp_path, case, damage, name, expected):
    data = tmp_path / "data"
    shutil.copytree(bundled_data, data)
    damage(data)
    fresh = tmp_path / "out" / "wijkplan.gpkg"
    before = earlier.read_bytes()
    for out in (fresh, earlier):
        proc = _run("build", "--data", str(data), "--out", str(out))
        assert proc.returncode == 2, proc.stderr
        lines = proc.stderr.splitlines()
        assert len(lines) == 1, proc.stderr
        assert str(data / name) in lines[0] and expected in lines[0], lines[0]
        assert "Traceback" not in proc.stderr
    assert not fresh.parent.exists() or not any(fresh.parent.iterdir())
    assert earlier.read_bytes() == before
    assert sorted(p.name for p in earlier.parent.iterdir() if p.suffix == ".gpkg") == [
        "wijkplan.gpkg"
    ]


@pytest.mark.parametrize(
    ("case", "make", "expected"), LEDGER_CASES, ids=[c[0] for c in LEDGER_CASES]
)
def test_ledger_check_refuses(tmp_path, case, make, expected):
    path = make(tmp_path)
    before = sorted(tmp_path.iterdir())
    proc = _run("afspraken", "check", str(path))
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert str(path) in lines[0] and expected in lines[0], lines[0]
    assert sorted(tmp_path.iterdir()) == before  # nothing written


@pytest.mark.slow
def test_non_utf8_names_are_read_as_cp1252_with_a_note(bundled_data, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(bundled_data, data)
    text = (data / "buurten.geojson").read_text(encoding="utf-8").replace("Gnephoek", "Gnéphoek")
    (data / "buurten.geojson").write_bytes(text.encode("cp1252"))
    proc = _run("build", "--data", str(data), "--out", str(tmp_path / "w.gpkg"))
    assert proc.returncode == 0, proc.stderr
    assert f"{data / 'buurten.geojson'}: tekst is geen UTF-8; gelezen als cp1252" in proc.stdout
    names = gpd.read_file(tmp_path / "w.gpkg", layer="buurten")["buurtnaam"]
    assert "Gnéphoek" in set(names)


def test_broken_pipe_ends_quietly():
    """``wijkplan afspraken list | head``: the reader is gone before the first line."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "wijkplan.cli", "afspraken", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.close()  # like head, which exits after its lines
    _, err = proc.communicate(timeout=120)
    assert proc.returncode in (0, 141)
    assert err == b""
