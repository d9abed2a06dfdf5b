"""The layer catalogue is the contract: the build writes exactly what it declares, and says so."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from wijkplan import catalogue, read
from wijkplan.build.geopackage import CatalogueMismatch, write_geopackage
from wijkplan.config import load_config
from wijkplan.report import ABSENT, BuildReport


def _written(path) -> dict[str, list[str]]:
    """Every layer in the GeoPackage with its columns (geometry left out)."""
    out = {}
    for name in read.layer_names(path):
        frame = read.read_layer(path, name)
        out[name] = [c for c in frame.columns if c != "geometry"]
    return out


def test_build_writes_exactly_what_the_catalogue_declares(built_layers):
    report = read.read_report(built_layers)
    present = {s.name for s in report.sources if s.kind != ABSENT}
    categories = load_config().categories
    written = _written(built_layers)
    for name, columns in written.items():
        assert name in catalogue.LAYERS, f"layer {name} written but not declared"
        must, may = catalogue.expected_columns(name, categories=categories, sources=present)
        assert must <= set(columns), f"{name} misses {sorted(must - set(columns))}"
        assert set(columns) <= must | may, (
            f"{name} has undeclared {sorted(set(columns) - must - may)}"
        )
    needed = {n for n in catalogue.LAYERS if catalogue.layer_needed(n, present)}
    assert needed <= set(written), f"declared but not written: {sorted(needed - set(written))}"


def test_declared_geometry_is_what_is_written(built_layers):
    for name in read.layer_names(built_layers):
        spec = catalogue.layer(name)
        frame = read.read_layer(built_layers, name)
        if spec.geometry is None:
            assert not isinstance(frame, gpd.GeoDataFrame), name
        elif spec.geometry == "MultiPolygon":
            assert set(frame.geometry.geom_type) == {"MultiPolygon"}, name
            assert frame.crs.to_epsg() == 28992


def test_geopackage_describes_itself_to_gis_users(built_layers):
    with contextlib.closing(sqlite3.connect(built_layers)) as db:
        contents = dict(db.execute("SELECT table_name, description FROM gpkg_contents"))
        columns = {
            (t, c): (title, description)
            for t, c, title, description in db.execute(
                "SELECT table_name, column_name, title, description FROM gpkg_data_columns"
            )
        }
        extension = db.execute(
            "SELECT count(*) FROM gpkg_extensions WHERE extension_name = 'gpkg_schema'"
        ).fetchone()[0]
    for name in read.layer_names(built_layers):
        assert contents[name] == catalogue.layer(name).description
    assert columns[("buurten", "buurtcode")][0] == "CBS-buurtcode (BU + 8 cijfers)"
    assert "inwoners per km²" in columns[("wijken", "bevolkingsdichtheid_per_km2")][0]
    assert extension == 1
    table = read.read_layer(built_layers, catalogue.CATALOGUE_TABLE)
    layers = table[table["kolom"] == ""].set_index("laag")
    # what this build's layers are made of: the sample incidents mark what derives from them
    assert bool(layers.loc["incidenten_buurt", "afgeschermd"])
    assert layers.loc["incidenten_buurt", "soort"] == "afgeleid uit voorbeelddata"
    assert layers.loc["misdrijven_buurt", "soort"] == "afgeleid"  # from the real police table
    assert layers.loc["complexen", "soort"] == "voorbeelddata"
    assert layers.loc["buurten", "soort"] == "echt"


@pytest.fixture
def square_buurten() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "buurtcode": ["BU99990101"],
            "buurtnaam": ["Een"],
            "wijkcode": ["WK999901"],
            "wijknaam": ["Wijk"],
            "gemeentecode": ["GM9999"],
            "jaar": [2024],
        },
        geometry=[box(0, 0, 10, 10)],
        crs="EPSG:28992",
    )


@pytest.mark.parametrize(
    ("layers", "message"),
    [
        (lambda b: {"buurten": b.assign(extra=1)}, "kolom 'extra' staat niet in de catalogus"),
        (lambda b: {"buurten": b.drop(columns="buurtnaam")}, "kolom 'buurtnaam' ontbreekt"),
        (lambda b: {"nieuwe_laag": b}, "laag 'nieuwe_laag' staat niet in de catalogus"),
        (lambda b: {"buurten": pd.concat([b, b])}, "sleutel buurtcode is niet uniek"),
        (lambda b: {"buurten": b.assign(jaar="2024")}, "kolom 'jaar' heeft type"),
        (lambda b: {"buurten": b.to_crs(4326)}, "niet in EPSG:28992"),
        (lambda b: {"afspraak_gebieden": b}, "geometrie aanwezig, verwacht geen"),
    ],
)
def test_a_layer_that_differs_from_its_declaration_is_never_written(
    square_buurten, tmp_path, layers, message
):
    out = tmp_path / "x.gpkg"
    with pytest.raises(CatalogueMismatch, match=message):
        write_geopackage(
            layers(square_buurten), BuildReport("GM9999", "nu"), out, categories=["geweld"]
        )
    assert not out.exists() and not list(tmp_path.iterdir())


@pytest.mark.slow
def test_reading_side_does_not_load_the_pipeline():
    """Reading a layer, a dossier or the app's helpers loads no writer, raster or validator."""
    code = (
        "import sys, wijkplan.read, wijkplan.dossier, wijkplan.ui, wijkplan.mapping\n"
        "print('\\n'.join(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    assert "wijkplan.dossier" in loaded and "wijkplan.ui" in loaded
    forbidden = {
        "rasterio",
        "wijkplan.analysis.zonal",
        "wijkplan.afspraken.ledger",
        "wijkplan.afspraken.schema",
        "yaml",
    }
    assert not forbidden & loaded
    assert not [m for m in loaded if m.startswith(("wijkplan.build", "wijkplan.sources"))]
