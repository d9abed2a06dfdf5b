"""The file exports (``wijkplan export``): every layer through every format and back, RFC 7946,
one area, metadata, privacy, atomic writing and bad input.

Expected values come from the built layers (``built_layers``) through
:func:`wijkplan.export.select_layers`, read back from the written files with pyogrio (and
pandas for the Excel form) and, where installed, checked with Debian's ``ogrinfo``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import box

import wijkplan.export
from tests.tools import ogrinfo, run_qgis
from wijkplan import catalogue, read
from wijkplan.analysis.privacy import SmallCountError, assert_no_small_counts
from wijkplan.errors import WijkplanError
from wijkplan.export import FORMATS, ExportSet, export, metadata, register, select_layers
from wijkplan.export.select import suppressed_count_columns
from wijkplan.export.writers import DBF_TEXT_LIMIT, shapefile_fields, truncate_bytes
from wijkplan.report import BuildReport

EDELSTENENBUURT = "BU04840306"
PLANETENBUURT = "wg-planetenbuurt"
#: the file forms checked: every format, and CSV for Dutch Excel
VARIANTS = (*FORMATS, "excel")
#: the areas the privacy checks export (None: all)
AREAS = (None, EDELSTENENBUURT, PLANETENBUURT)
DATA_SUFFIXES = (".gpkg", ".geojson", ".fgb", ".shp", ".csv")


def run_cli(argv: list[str]) -> int:
    """``wijkplan …`` as the command line runs it (with ``export`` registered if the lead's
    cli.py does not register it yet)."""
    from wijkplan import cli

    parser = cli.make_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if "export" in sub.choices:
        return cli.main(argv)
    register(sub)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except WijkplanError as exc:
        print(f"wijkplan: fout: {exc}", file=sys.stderr)
        return exc.exit_code


def _export(layers: Path, variant: str, out: Path, gebied: str | None = None) -> list[Path]:
    fmt, excel = ("csv", True) if variant == "excel" else (variant, False)
    return export(layers, fmt, out, gebied=gebied, excel=excel)


@pytest.fixture(scope="module")
def exported(
    built_layers: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str | None], Path]:
    """Every variant exported for every area of :data:`AREAS` (folder per export)."""
    root = tmp_path_factory.mktemp("exports")
    out = {}
    for gebied in AREAS:
        for variant in VARIANTS:
            folder = root / f"{variant}-{gebied or 'alles'}"
            _export(built_layers, variant, folder, gebied)
            out[variant, gebied] = folder
    return out


@pytest.fixture(scope="module")
def source(built_layers: Path) -> ExportSet:
    return select_layers(built_layers)


# ---------------------------------------------------------------------------- reading back


def shapefile_parts(folder: Path, name: str) -> list[Path]:
    whole = folder / f"{name}.shp"
    if whole.exists():
        return [whole]
    return [
        folder / f"{name}_{f}.shp"
        for f in ("vlak", "lijn", "punt")
        if (folder / f"{name}_{f}.shp").exists()
    ]


def read_excel_csv(path: Path) -> pd.DataFrame:
    table = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if "WKT" in table.columns:
        wkt = table.pop("WKT").replace("", None)
        return gpd.GeoDataFrame(table, geometry=gpd.GeoSeries.from_wkt(wkt), crs="EPSG:28992")
    return table


def read_back(variant: str, folder: Path, name: str) -> pd.DataFrame:
    """A layer as the files of ``variant`` hold it, with the catalogue's column names."""
    geo = catalogue.layer(name).geometry is not None
    if variant == "gpkg":
        return pyogrio.read_dataframe(folder / "wijkplan.gpkg", layer=name)
    if variant == "excel":
        return read_excel_csv(folder / f"{name}.csv")
    if variant == "geojson":  # GDAL would read a text "2020-12-09" as a date
        return pyogrio.read_dataframe(folder / f"{name}.geojson", DATE_AS_STRING=True)
    if variant == "csv" or not geo:
        frame = pyogrio.read_dataframe(folder / f"{name}.csv")
        return frame.drop(columns="WKT", errors="ignore")
    if variant == "fgb":
        return pyogrio.read_dataframe(folder / f"{name}.fgb")
    parts = [pyogrio.read_dataframe(p) for p in shapefile_parts(folder, name)]
    frame = pd.concat(parts, ignore_index=True)
    fields = pd.read_csv(folder / f"{name}_velden.csv", keep_default_na=False)
    return frame.rename(columns=dict(zip(fields["shapefile_veld"], fields["kolom"], strict=True)))


def canonical(value: Any) -> Any:
    """One form for a cell in any format: None for empty, float for numbers and yes/no."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return float(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return None if math.isnan(float(value)) else float(value)
    if isinstance(value, str):
        return value or None
    return value


def expected_excel(value: Any) -> str:
    """How the Excel CSV writes a cell."""
    value = canonical(value) if not isinstance(value, (bool, np.bool_)) else value
    if value is None:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "ja" if value else "nee"
    return str(value)


def same_cell(expected: Any, got: Any, variant: str, *, dbf: bool = False) -> bool:
    if variant == "excel":
        if isinstance(expected, (bool, np.bool_)) or expected is None or expected is pd.NA:
            return expected_excel(expected) == got
        e = canonical(expected)
        if isinstance(e, float):
            return got != "" and math.isclose(e, float(got.replace(",", ".")), rel_tol=1e-12)
        return (e or "") == got
    e, g = canonical(expected), canonical(got)
    if dbf and isinstance(e, str):
        e = truncate_bytes(e)
    if isinstance(e, float) and isinstance(g, float):
        return math.isclose(e, g, rel_tol=1e-9, abs_tol=1e-9)
    return e == g


def key_of(name: str, frame: pd.DataFrame) -> list[str]:
    key = catalogue.layer(name).key
    return [key] if isinstance(key, str) else list(key or [])


def aligned(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in key order (a FlatGeobuf with spatial index comes back in index order)."""
    keys = key_of(name, frame)
    order = frame[keys].astype(str).apply(tuple, axis=1).argsort(kind="stable")
    return frame.iloc[order.to_numpy()].reset_index(drop=True)


def check_geometry(variant: str, expected: gpd.GeoSeries, got: gpd.GeoSeries, name: str) -> None:
    assert got.crs is not None or variant == "excel", name
    if variant == "geojson":
        assert got.crs.to_epsg() == 4326
        wgs = expected.to_crs(4326)
        for e, g in zip(wgs, got, strict=True):
            assert shapely.hausdorff_distance(e, g) <= 1e-7, name  # 7 decimals
        back = got.to_crs(28992)
        for e, g in zip(expected, back, strict=True):
            assert shapely.hausdorff_distance(e, g) <= 0.02, name  # about 1 cm
        return
    if variant != "excel":
        assert got.crs.to_epsg() == 28992, (variant, name)
    for e, g in zip(expected, got, strict=True):
        if variant in ("csv", "excel"):  # WKT in text
            assert shapely.hausdorff_distance(e, g) <= 1e-6, name
        else:  # binary doubles: the same shape (a Shapefile may make a one-part multipolygon single)
            assert e.equals(g), (variant, name)


@pytest.mark.slow
@pytest.mark.parametrize("variant", VARIANTS)
def test_round_trip_every_layer(variant, exported, source):
    folder = exported[variant, None]
    assert source.layers, "the build has layers"
    for name, frame in source.layers.items():
        got = read_back(variant, folder, name)
        assert len(got) == len(frame), (variant, name)
        expected = aligned(name, frame)
        got = aligned(name, got)
        dbf = variant == "shp" and catalogue.layer(name).geometry is not None
        for col in expected.columns:
            if col == "geometry":
                continue
            assert col in got.columns, (variant, name, col)
            bad = [
                (e, g)
                for e, g in zip(expected[col], got[col], strict=True)
                if not same_cell(e, g, variant, dbf=dbf)
            ]
            assert not bad, (variant, name, col, bad[:2])
        if catalogue.layer(name).geometry is not None:
            check_geometry(variant, expected.geometry, got.geometry, name)


@pytest.mark.slow
def test_shapefile_names_sidecar_prj_cpg(exported, source):
    folder = exported["shp", None]
    for name in source.layers:
        if catalogue.layer(name).geometry is None:
            assert (folder / f"{name}.csv").exists() and not (folder / f"{name}.dbf").exists()
            continue
        fields = pd.read_csv(folder / f"{name}_velden.csv", keep_default_na=False)
        assert list(fields.columns) == [
            "kolom",
            "shapefile_veld",
            "betekenis",
            "eenheid",
            "type",
            "afgekapt",
        ]
        names = list(fields["shapefile_veld"])
        assert all(len(n) <= 10 for n in names)
        assert len({n.lower() for n in names}) == len(names)
        for part in shapefile_parts(folder, name):
            assert part.with_suffix(".cpg").read_text().strip() == "UTF-8"
            assert "Amersfoort" in part.with_suffix(".prj").read_text()
            assert pyogrio.read_info(part)["crs"] == "EPSG:28992"
    # a layer with points and polygons is split, each part one geometry type
    if "aquathermie" in source.layers:
        parts = shapefile_parts(folder, "aquathermie")
        assert [p.stem for p in parts] == ["aquathermie_vlak", "aquathermie_punt"]
        kinds = {p.stem: set(pyogrio.read_dataframe(p).geom_type) for p in parts}
        assert kinds["aquathermie_punt"] <= {"Point", "MultiPoint"}
        assert kinds["aquathermie_vlak"] <= {"Polygon", "MultiPolygon"}
    # long texts are cut and counted
    fields = pd.read_csv(folder / "warmteplan_velden.csv")
    longest = source.layers["warmteplan"]["invoer_bron"].str.encode("utf-8").str.len().max()
    assert longest > DBF_TEXT_LIMIT
    assert fields.set_index("kolom").loc["invoer_bron", "afgekapt"] > 0


def test_shapefile_field_names_are_short_and_unique():
    columns = [
        "per_1000_vernieling",
        "per_1000_vervuiling",
        "per_1000_v",
        "misdrijven",
        "misdrijven_per_1000",
        "MISDRIJVEN_JAAR",
    ]
    mapping = shapefile_fields(columns)
    assert mapping["per_1000_v"] == "per_1000_v" and mapping["misdrijven"] == "misdrijven"
    assert all(len(v) <= 10 for v in mapping.values())
    assert len({v.lower() for v in mapping.values()}) == len(columns)


def test_truncated_text_keeps_whole_characters():
    cut = truncate_bytes("ë" * 300)
    assert len(cut.encode("utf-8")) <= DBF_TEXT_LIMIT and cut.endswith("…")
    cut.encode("utf-8").decode("utf-8")


# ---------------------------------------------------------------------------- RFC 7946


def _rings(geometry: dict) -> Iterator[tuple[int, list]]:
    """(ring number within its polygon, ring) of every polygon ring."""
    polygons = (
        [geometry["coordinates"]]
        if geometry["type"] == "Polygon"
        else geometry["coordinates"]
        if geometry["type"] == "MultiPolygon"
        else []
    )
    for polygon in polygons:
        yield from enumerate(polygon)


def _signed_area(ring: list) -> float:
    return sum(
        float(x1) * float(y2) - float(x2) * float(y1)
        for (x1, y1), (x2, y2) in itertools.pairwise(ring)
    )


def _positions(coords: Any) -> Iterator[list]:
    if coords and isinstance(coords[0], str):
        yield coords
    else:
        for c in coords:
            yield from _positions(c)


@pytest.mark.slow
def test_geojson_is_rfc7946(exported, source):
    folder = exported["geojson", None]
    holes = 0
    for name in source.layers:
        # numbers kept as their text, to count decimals
        doc = json.loads((folder / f"{name}.geojson").read_text(encoding="utf-8"), parse_float=str)
        assert doc["type"] == "FeatureCollection" and "crs" not in doc, name
        for feature in doc["features"]:
            assert "crs" not in feature
            geometry = feature["geometry"]
            if geometry is None:
                assert catalogue.layer(name).geometry is None
                continue
            for position in _positions(geometry["coordinates"]):
                lon, lat = position[:2]
                assert -180 <= float(lon) <= 180 and -90 <= float(lat) <= 90
                assert 3 < float(lon) < 8 and 50 < float(lat) < 54  # the Netherlands
                for value in (lon, lat):
                    assert len(value.split(".")[1]) <= 7 if "." in value else True, value
            for i, ring in _rings(geometry):
                area = _signed_area(ring)
                if i == 0:
                    assert area > 0, (name, "exterior ring not counter-clockwise")
                else:
                    holes += 1
                    assert area < 0, (name, "hole not clockwise")


def test_geojson_winding_of_holes(tmp_path, built_layers, monkeypatch):
    """A polygon with a hole, wound the wrong way in RD, comes out right-handed."""
    donut = shapely.Polygon(
        [(100_000, 450_000), (100_000, 451_000), (101_000, 451_000), (101_000, 450_000)],
        [[(100_200, 450_200), (100_800, 450_200), (100_800, 450_800), (100_200, 450_800)]],
    )
    assert not shapely.is_ccw(donut.exterior)
    es = select_layers(built_layers, ["regiegebieden"])
    frame = es.layers["regiegebieden"].iloc[:1].copy()
    frame = frame.set_geometry(gpd.GeoSeries([shapely.MultiPolygon([donut])], crs="EPSG:28992"))
    es.layers["regiegebieden"] = frame
    monkeypatch.setattr(wijkplan.export, "select_layers", lambda *a, **k: es)
    export(built_layers, "geojson", tmp_path / "x")
    doc = json.loads((tmp_path / "x" / "regiegebieden.geojson").read_text())
    rings = list(_rings(doc["features"][0]["geometry"]))
    assert [i for i, _ in rings] == [0, 1]
    assert _signed_area(rings[0][1]) > 0 > _signed_area(rings[1][1])


# ---------------------------------------------------------------------------- one area


def _buurtcodes(text: object) -> set[str]:
    return (
        {x.strip() for x in str(text).split(";") if x.strip()} if isinstance(text, str) else set()
    )


@pytest.mark.slow
def test_gebied_edelstenenbuurt_cli(built_layers, tmp_path, capsys, source):
    out = tmp_path / "x"
    code = run_cli(
        [
            "export",
            "--format",
            "gpkg",
            "--gebied",
            EDELSTENENBUURT,
            "--layers",
            str(built_layers),
            "--out",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "wijkplan.gpkg" in printed and "metadata.json" in printed
    path = out / "wijkplan.gpkg"
    names = read.layer_names(path)
    for name in names:
        if name == catalogue.CATALOGUE_TABLE:
            continue
        spec = catalogue.layer(name)
        frame = pyogrio.read_dataframe(path, layer=name, read_geometry=False)
        keys = key_of(name, frame)
        if keys == ["buurtcode"]:
            assert list(frame["buurtcode"]) == [EDELSTENENBUURT], name
        elif keys and keys[0] == "buurtcode":
            assert len(frame) and set(frame["buurtcode"]) == {EDELSTENENBUURT}, name
        if keys == ["complex_id"]:
            everything = source.layers[name]
            expected = set(everything.loc[everything["buurtcode"] == EDELSTENENBUURT, "complex_id"])
            assert expected and set(frame["complex_id"]) == expected, name
        if name in ("regiegebieden", "warmtegebieden"):
            everything = source.layers[name]
            holding = everything["buurtcodes"].map(lambda t: EDELSTENENBUURT in _buurtcodes(t))
            assert set(frame[keys[0]]) == set(everything.loc[holding, keys[0]]), name
        if spec.theme != "bouw":
            assert name in source.layers
    assert "regiegebieden" in names  # the Edelstenenbuurt is a regie area
    assert "warmtegebieden" not in names  # and in no heat district
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["gebied"]["code"] == EDELSTENENBUURT and meta["gebied"]["naam"] == "Edelstenenbuurt"
    assert meta["weggelaten"]["warmtegebieden"].startswith("weggelaten")
    assert "geselecteerd op buurtcode" in meta["lagen"]["buurten"]["gebied"]
    leesmij = (out / "LEESMIJ.txt").read_text(encoding="utf-8")
    assert "Edelstenenbuurt (BU04840306)" in leesmij and "gebied: geselecteerd" in leesmij


@pytest.mark.slow
def test_gebied_edelstenenbuurt_leefbaarheid_opens_styled(built_layers, tmp_path):
    export(built_layers, "gpkg", tmp_path / "x", gebied=EDELSTENENBUURT)
    with sqlite3.connect(tmp_path / "x" / "wijkplan.gpkg") as db:
        rows = db.execute(
            "SELECT styleQML, useAsDefault FROM layer_styles WHERE f_table_name = 'leefbaarheid'"
        ).fetchall()
    assert rows and any(default for _, default in rows) and "renderer" in rows[0][0]
    # and a real QGIS opens it with that style, not its grey single symbol
    done = run_qgis(QGIS_OPEN, [str(tmp_path / "x" / "wijkplan.gpkg"), "leefbaarheid"], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    opened = json.loads(done.stdout.strip().splitlines()[-1])
    assert opened == {"valid": True, "features": 1, "renderer": "categorizedSymbol",
                      "field": "klasse_nr"}  # fmt: skip


QGIS_OPEN = """
import json, os, sys
from qgis.core import QgsApplication, QgsVectorLayer
app = QgsApplication([], False)
app.initQgis()
layer = QgsVectorLayer(f"{sys.argv[1]}|layername={sys.argv[2]}", sys.argv[2], "ogr")
renderer = layer.renderer()
print(json.dumps({"valid": layer.isValid(), "features": layer.featureCount(),
                  "renderer": renderer.type() if renderer else None,
                  "field": getattr(renderer, "classAttribute", lambda: None)()}), flush=True)
os._exit(0)  # QGIS 3.22 may crash while tearing down
"""


def test_gebied_rules_for_other_kinds_of_area(built_layers):
    es = select_layers(built_layers, gebied=PLANETENBUURT)
    assert es.gebied is not None and es.gebied.kind == "warmtegebied"
    assert list(es.layers["warmtegebieden"]["gebied_id"]) == [PLANETENBUURT]
    assert set(es.layers["buurten"]["buurtcode"]) == set(es.gebied.buurtcodes)
    assert len(es.layers["aquathermie"]) and "aquathermie_raming" in es.layers
    assert es.notes["aquathermie"].startswith("geselecteerd op ligging")
    everything = select_layers(built_layers, ["complexen"])
    cid = str(everything.layers["complexen"]["complex_id"].iloc[0])
    one = select_layers(built_layers, ["complexen", "buurten"], gebied=cid)
    assert list(one.layers["complexen"]["complex_id"]) == [cid]
    assert len(one.layers["buurten"]) == 1
    assert one.notes["complexen"] == "geselecteerd op complex_id: het complex zelf"


# ---------------------------------------------------------------------------- metadata


@pytest.mark.slow
def test_metadata_in_every_export(exported):
    for variant in VARIANTS:
        folder = exported[variant, None]
        meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
        assert meta["afscherming"]["drempel"] == 5
        assert meta["crs"]["code"] == ("EPSG:4326" if variant == "geojson" else "EPSG:28992")
        sources = {(s["naam"], s["soort"]): s for s in meta["bronnen"]}
        assert sources["buurten", "echt"]["licentie"] == "CC BY 4.0"
        assert sources["misdrijven", "echt"]["naamsvermelding"] == "CBS / Politie"
        assert "niet gebruiken voor besluiten" in sources["complexen", "voorbeelddata"]["licentie"]
        assert "complexen" in meta["voorbeelddata_lagen"]
        assert meta["gebouwd_op"] and meta["wijkplan_versie"]
        assert set(meta["bestanden"]) == {p.name for p in folder.iterdir()}
        assert meta["lagen"]["buurten"]["kolommen"][0]["betekenis"]
        leesmij = (folder / "LEESMIJ.txt").read_text(encoding="utf-8")
        assert "VOORBEELDDATA" in leesmij and "CC BY 4.0" in leesmij and "afgeschermd" in leesmij


@pytest.mark.slow
def test_geopackage_describes_itself(exported):
    path = exported["gpkg", None] / "wijkplan.gpkg"
    with sqlite3.connect(path) as db:
        contents = dict(db.execute("SELECT table_name, description FROM gpkg_contents"))
        columns = db.execute(
            "SELECT title FROM gpkg_data_columns WHERE table_name = 'buurten' "
            "AND column_name = 'buurtcode'"
        ).fetchall()
        documents = db.execute(
            "SELECT m.md_standard_uri, m.mime_type, r.reference_scope, r.table_name, m.metadata "
            "FROM gpkg_metadata m JOIN gpkg_metadata_reference r ON r.md_file_id = m.id"
        ).fetchall()
        extensions = {r[0] for r in db.execute("SELECT table_name FROM gpkg_extensions")}
    assert contents["buurten"] == catalogue.layer("buurten").description
    assert columns == [("CBS-buurtcode (BU + 8 cijfers)",)]
    assert {"gpkg_metadata", "gpkg_metadata_reference", "gpkg_data_columns"} <= extensions
    scopes = {(uri, scope, table) for uri, _, scope, table, _ in documents}
    assert ("http://purl.org/dc/elements/1.1/", "geopackage", None) in scopes
    assert ("http://mrcc.com/qgis.dtd", "table", "leefbaarheid") in scopes
    qmd = next(doc for uri, _, _, table, doc in documents if table == "leefbaarheid")
    assert "<title>Leefbaarheid per buurt</title>" in qmd and "<authid>EPSG:28992</authid>" in qmd
    assert 'type="privacy"' in qmd
    assert set(pyogrio.read_dataframe(path, layer="catalogus")["laag"]) <= set(contents)


# ---------------------------------------------------------------------------- privacy


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in DATA_SUFFIXES)


@pytest.mark.slow
def test_privacy_in_every_format_and_area(exported, source):
    """No incident points, no date, no count 1..4 in any suppressed column, read back."""
    threshold = source.report.threshold
    checked = 0
    for (variant, gebied), folder in exported.items():
        for path in _files(folder):
            layers = (
                [n for n, _ in pyogrio.list_layers(path)] if variant != "excel" else [path.stem]
            )
            for layer in layers:
                info = pyogrio.read_info(path, layer=layer) if variant != "excel" else None
                fields = list(info["fields"]) if info else []
                assert "datum" not in fields and layer != "incidenten", (variant, path, layer)
                if info and "Point" in str(info["geometry_type"]):
                    assert not layer.startswith(("incidenten", "misdrijven")), layer
        meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
        for name in source.layers:
            spec = catalogue.layer(name)
            if not spec.suppressed:
                continue
            if name not in meta["lagen"]:
                assert gebied is not None and name in meta["weggelaten"], (variant, name)
                continue
            frame = read_back(variant, folder, name)
            columns = suppressed_count_columns(name, [str(c) for c in frame.columns])
            assert columns, (variant, name)
            assert "datum" not in frame.columns
            numbers = frame[columns].apply(pd.to_numeric, errors="coerce")
            assert_no_small_counts(numbers, threshold=threshold, columns=columns)
            checked += 1
    assert checked >= len(VARIANTS) * len(AREAS) * 5


def test_privacy_guard_refuses_small_counts_and_dates(built_layers):
    es = select_layers(built_layers, ["misdrijven_gemeente"])
    frame = es.layers["misdrijven_gemeente"].copy()
    frame["totaal"] = pd.array([3] * len(frame), dtype="Int64")
    es.layers["misdrijven_gemeente"] = frame
    with pytest.raises(SmallCountError):
        wijkplan.export.select.check_privacy(es)
    frame["totaal"] = pd.array([0] * len(frame), dtype="Int64")
    frame["datum"] = "2024-01-01"
    with pytest.raises(RuntimeError, match="datum"):
        wijkplan.export.select.check_privacy(es)


def test_suppressed_columns_come_from_the_catalogue():
    columns = [
        "buurtcode",
        "periode",
        "overlast",
        "geweld",
        "totaal",
        "inwoners",
        "per_1000_geweld",
    ]
    assert suppressed_count_columns("incidenten_buurt", columns) == ["overlast", "geweld", "totaal"]
    assert suppressed_count_columns("leefbaarheid", ["totaal", "misdrijven", "rang"]) == [
        "totaal",
        "misdrijven",
    ]
    assert suppressed_count_columns("buurten", ["aantal_inwoners"]) == []


# ---------------------------------------------------------------------------- GDAL's own reader


@pytest.mark.slow
def test_ogrinfo_reads_every_file(exported):
    gdal = ogrinfo()
    for variant in VARIANTS:
        for path in _files(exported[variant, None]):
            done = subprocess.run(
                [gdal, "-ro", "-so", "-al", str(path)], capture_output=True, text=True
            )
            assert done.returncode == 0, (path, done.stderr)
            assert "Feature Count:" in done.stdout and "ERROR" not in done.stderr, path
            in_rd = path.suffix in (".gpkg", ".fgb") or (path.suffix, variant) == (".csv", "csv")
            if in_rd and "Geometry: None" not in done.stdout:
                assert "Amersfoort / RD New" in done.stdout, path
            if path.suffix == ".geojson" and '"geometry": null' not in path.read_text()[:2000]:
                assert 'ID["EPSG",4326]' in done.stdout, path


# ---------------------------------------------------------------------------- writing


def test_reexport_replaces_only_its_own_files(built_layers, tmp_path, capsys):
    out = tmp_path / "x"
    out.mkdir()
    (out / "eigen-notities.txt").write_text("van iemand anders")
    (out / "buurten.qmd").write_text("eigen metadata")
    assert run_cli(["export", "--format", "shp", "--layer", "buurten", "--layer", "wijken",
                    "--layers", str(built_layers), "--out", str(out)]) == 0  # fmt: skip
    capsys.readouterr()
    first = {p.name for p in out.iterdir()}
    assert {"buurten.shp", "wijken.shp", "metadata.json", "LEESMIJ.txt"} <= first
    assert run_cli(["export", "--format", "shp", "--layer", "buurten",
                    "--layers", str(built_layers), "--out", str(out)]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    assert "buurten.shp (vervangen)" in printed and "metadata.json (vervangen)" in printed
    assert "wijken.shp" in printed.splitlines()[-1]  # named as left from the earlier export
    assert (out / "eigen-notities.txt").read_text() == "van iemand anders"
    assert (out / "buurten.qmd").read_text() == "eigen metadata"
    assert (out / "wijken.shp").exists()  # ours from before, but never deleted
    assert json.loads((out / "metadata.json").read_text())["bestanden"][0] == "buurten.shp"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp folder left


def test_a_failed_write_leaves_nothing(built_layers, tmp_path, monkeypatch):
    from wijkplan.export import writers

    out = tmp_path / "x"
    out.mkdir()
    (out / "buurten.geojson").write_text("oud")

    def broken(export_set, folder, **kwargs):
        (folder / "buurten.geojson").write_text("half")
        raise OSError("schijf vol")

    monkeypatch.setitem(writers.WRITERS, "geojson", broken)
    with pytest.raises(OSError, match="schijf vol"):
        export(built_layers, "geojson", out, names=["buurten"])
    assert [p.name for p in out.iterdir()] == ["buurten.geojson"]
    assert (out / "buurten.geojson").read_text() == "oud"
    assert [p.name for p in tmp_path.iterdir()] == ["x"]


def test_a_failed_move_puts_the_earlier_export_back(built_layers, tmp_path, monkeypatch):
    """A move that fails halfway (read-only folder, full disk) leaves the earlier export whole
    (file by file: where the folder cannot be swapped as a whole)."""
    monkeypatch.setattr(wijkplan.export, "_exchange", lambda a, b: False)
    out = tmp_path / "x"
    export(built_layers, "csv", out, names=["buurten", "wijken"])
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real_replace = os.replace
    moves = []

    def failing(src, dst):
        if Path(dst).parent == out and Path(src).parent.name != ".vorige":
            moves.append(dst)
            if len(moves) == 3:
                raise PermissionError(13, "Permission denied")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(WijkplanError, match="kan daar niet schrijven"):
        export(built_layers, "csv", out, names=["buurten", "wijken"], excel=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["x"]


def test_out_below_a_file_is_one_line(built_layers, tmp_path, capsys):
    (tmp_path / "f").write_text("x")
    args = ["export", "--format", "gpkg", "--layers", str(built_layers)]
    assert run_cli([*args, "--out", str(tmp_path / "f" / "sub" / "map")]) == 2
    assert "is een bestand, geen map" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["f"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "kml"], "onbekend formaat 'kml': kies uit gpkg, geojson, fgb, shp, csv"),
        (["--format", "gpkg", "--layer", "incidenten"], "laag 'incidenten' bestaat niet"),
        (["--format", "shp", "--gebied", "BU99999999"], "buurtcode 'BU99999999' bestaat niet"),
        (["--format", "csv", "--gebied", "nergens"], "gebiedscode 'nergens' onbekend"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(built_layers, tmp_path, capsys, args, message):
    out = tmp_path / "x"
    code = run_cli(["export", *args, "--layers", str(built_layers), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and message in err, err
    assert list(tmp_path.iterdir()) == []


def test_out_is_a_file_and_missing_geopackage(built_layers, tmp_path, capsys):
    target = tmp_path / "bestand.txt"
    target.write_text("x")
    assert run_cli(["export", "--format", "gpkg", "--layers", str(built_layers),
                    "--out", str(target)]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "is een bestand" in err
    assert target.read_text() == "x"
    missing = tmp_path / "niet-gebouwd.gpkg"
    out = tmp_path / "y"
    assert run_cli(["export", "--format", "gpkg", "--layers", str(missing),
                    "--out", str(out)]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "nog niet gebouwd" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bestand.txt"]


# ---------------------------------------------------------------------------- styles


#: A field reference in QML (``attr``, ``fieldName``, ``field``) or SLD (``PropertyName``).
FIELD_REF = re.compile(
    r'(?:\battr|\bfieldName|\bfield)="([A-Za-z_][A-Za-z0-9_]*)"'
    r"|<ogc:PropertyName>([A-Za-z_][A-Za-z0-9_]*)</ogc:PropertyName>"
)


def style_fields(text: str) -> set[str]:
    return {a or b for a, b in FIELD_REF.findall(text)}


@pytest.mark.slow
def test_styles_beside_files_name_the_fields_each_file_has(built_layers, tmp_path):
    """The QML and SLD beside a Shapefile use its shortened field names; every file's style
    names only fields that file has; tables get no style."""
    for fmt in ("shp", "fgb", "geojson", "csv"):
        out = tmp_path / fmt
        export(built_layers, fmt, out, names=["leefbaarheid", "warmteplan", "misdrijven_buurt"])
        for name in ("leefbaarheid", "warmteplan"):
            data = next(p for p in out.glob(f"{name}.*") if p.suffix in (".shp", ".fgb",
                        ".geojson", ".csv"))  # fmt: skip
            fields = set(pyogrio.read_info(data)["fields"]) | {"WKT"}
            for suffix in ("qml", "sld"):
                used = style_fields((out / f"{name}.{suffix}").read_text(encoding="utf-8"))
                assert used and used <= fields, (fmt, name, suffix, used - fields)
        assert not list(out.glob("misdrijven_buurt.qml")) and not list(
            out.glob("misdrijven_buurt.sld")
        )
    shp_fields = set(pyogrio.read_info(tmp_path / "shp" / "leefbaarheid.shp")["fields"])
    assert all(len(f) <= 10 for f in shp_fields)


def test_geopackage_export_stores_the_styles_as_default(built_layers, tmp_path):
    export(built_layers, "gpkg", tmp_path / "gpkg", names=["leefbaarheid", "misdrijven_buurt"])
    with sqlite3.connect(tmp_path / "gpkg" / "wijkplan.gpkg") as db:
        rows = db.execute("SELECT f_table_name, useAsDefault FROM layer_styles").fetchall()
    assert ("leefbaarheid", 1) in rows and {name for name, _ in rows} == {"leefbaarheid"}
    meta = json.loads((tmp_path / "gpkg" / "metadata.json").read_text())
    assert "layer_styles" in meta["stijlen"]


# ---------------------------------------------------------------------------- small pieces


def test_infinite_values_become_empty_with_a_remark(source):
    from wijkplan.export.select import finite

    cleaned, count = finite(pd.DataFrame({"x": [1.0, np.inf, -np.inf, np.nan]}))
    assert count == 2 and cleaned["x"].isna().sum() == 3
    for name, frame in source.layers.items():
        numbers = frame.select_dtypes("float")
        assert not np.isinf(numbers.to_numpy(dtype=float)).any(), name
        if name in source.remarks:
            assert "oneindige" in source.remarks[name][0]


def test_metadata_of_a_tiny_export_set(tmp_path):
    frame = gpd.GeoDataFrame(
        {"regie_id": ["r1"], "naam": ["Noord"], "buurtcodes": ["BU99990101"]},
        geometry=[shapely.MultiPolygon([box(100_000, 450_000, 101_000, 451_000)])],
        crs="EPSG:28992",
    )
    report = BuildReport("GM9999", "2026-01-01T00:00:00+00:00", threshold=5)
    es = ExportSet(
        {"regiegebieden": frame}, report, tmp_path / "w.gpkg", None, {"regiegebieden": "x"}
    )
    meta = metadata(es)
    assert meta["lagen"]["regiegebieden"]["objecten"] == 1
    assert meta["gebied"] is None and meta["afscherming"]["drempel"] == 5
    assert json.loads(json.dumps(meta)) == meta
    text = wijkplan.export.leesmij(es)
    assert text.startswith("wijkplan: export van lagen") and "alle gebieden" in text
    assert re.search(r"regiegebieden \(1 object\)", text)


@pytest.mark.slow
def test_export_does_not_load_the_build_pipeline():
    code = (
        "import sys, wijkplan.export, wijkplan.export.writers\n"
        "print('\\n'.join(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    assert "wijkplan.export.writers" in loaded
    assert not [m for m in loaded if m.startswith(("wijkplan.build", "wijkplan.sources"))]
    assert not {"rasterio", "wijkplan.analysis.zonal", "yaml", "wijkplan.afspraken.ledger"} & loaded


def test_a_layer_left_out_is_said_on_screen(built_layers, tmp_path, capsys):
    """A layer asked for that has nothing in the area is named in the output, not only in
    LEESMIJ.txt; an id is found in any case."""
    args = ["export", "--format", "csv", "--gebied", "REGIE-EDELSTENENBUURT", "--layer",
            "aquathermie", "--layer", "buurten", "--layers", str(built_layers)]  # fmt: skip
    assert run_cli([*args, "--out", str(tmp_path / "x")]) == 0
    printed = capsys.readouterr().out
    assert "Niet geëxporteerd: aquathermie (geen objecten in het gebied)" in printed
    assert (tmp_path / "x" / "buurten.csv").exists()


def test_a_shared_folder_keeps_its_owner_and_a_linked_folder_its_link(built_layers, tmp_path):
    """The folder swap never changes whose folder it is, nor replaces a symlink: those
    cases move file by file (the review found both)."""
    names = ["wijken"]
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "a.txt").write_text("k")
    if os.geteuid() == 0:  # as root (CI): a folder of another user and group
        os.chown(shared, 65534, 65534)
    before = shared.stat()
    export(built_layers, "csv", shared, names=names)
    after = shared.stat()
    assert (after.st_ino, after.st_uid, after.st_gid) == (before.st_ino, before.st_uid,
                                                           before.st_gid)  # fmt: skip
    if os.geteuid() != 0:  # our own folder: swapped whole (a new inode), still ours
        assert after.st_uid == os.geteuid()
    assert {"a.txt", "wijken.csv", "metadata.json"} <= {p.name for p in shared.iterdir()}

    real = tmp_path / "real"
    real.mkdir()
    (real / "notities.txt").write_text("mijn")
    link = tmp_path / "link"
    link.symlink_to(real)
    export(built_layers, "csv", link, names=names)
    assert link.is_symlink() and (real / "wijken.csv").exists()
    assert (real / "notities.txt").read_text() == "mijn"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".wijkplan-tmp-")]


def test_exporting_into_the_working_folder_keeps_it(built_layers, tmp_path, monkeypatch):
    here = tmp_path / "werk"
    here.mkdir()
    monkeypatch.chdir(here)
    inode = here.stat().st_ino
    export(built_layers, "csv", Path("..") / "werk", names=["wijken"])
    assert here.stat().st_ino == inode and (here / "wijken.csv").exists()
    assert Path.cwd().exists()
