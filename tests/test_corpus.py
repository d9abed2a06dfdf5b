"""Issue 11: every bad input is one line naming file, field and value, exit 2, nothing written.

Each build case writes the tiny boundaries of GM9999 (``tests/conftest.py``) plus the one
source it damages (complexes, Leefbaarometer scores, police and CBS tables, EP-Online, BAG,
PBL Startanalyse, surface water, the heat plan and its districts, own incidents) into a fresh
folder, runs the command line (``wijkplan.cli.main``, in this process: the imports are paid
once) against a copy of an earlier good output, and checks the exit code, the one stderr
line with its specific message, that no Python warning escaped (it would be a second line on a
terminal), that the earlier output is byte-identical with nothing added beside it, and
that the data folder was not touched. One case runs as a real subprocess, to hold the
entry point to the same promise. The ledger cases give a damaged ledger to
``afspraken check``. Input that is recoverable by design builds, with the warning in the
report. tests/corpus/README.md lists every case.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from affine import Affine
from shapely.geometry import Polygon, box

from tests.conftest import make_tiny_buurten, make_tiny_wijken
from tests.sources.test_heat_sources import EP_CSV, PBL, bag_gpkg, bgt_waterdeel
from tests.sources.test_published_forms import KWB_LABELLED, KWB_TYPED, POLICE_TYPED
from tests.sources.test_warmteplan import MINIMAL as PLAN_YAML
from wijkplan.cli import main
from wijkplan.config import SCORE_COLUMNS
from wijkplan.read import read_report

CORPUS = Path(__file__).parent / "corpus"
LEDGER = Path(__file__).parents[1] / "data" / "afspraken" / "prestatieafspraken-2021.yaml"

Setup = Callable[[Path], None]

# ---- the good sources of the tiny municipality (buurten 100000..102000 x 449000..451000)


def _boundaries(data: Path) -> None:
    data.mkdir(parents=True, exist_ok=True)
    make_tiny_buurten().to_file(data / "buurten.geojson")
    make_tiny_wijken().to_file(data / "wijken.geojson")


def _good_complexen() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "complex_id": ["WOO-0001", "WOO-0002"],
            "corporatie": ["Woonforte", "Habeko"],
            "naam": ["Noordhof", "Zuidhof"],
            "aantal_woningen": [40, 120],
            "bouwjaar": [1968, 1985],
            "energielabel": ["C", "B"],
            "woningtype": ["eengezinswoning", "meergezinswoning"],
        },
        geometry=[box(100_100, 450_100, 100_300, 450_300), box(101_100, 449_100, 101_400, 449_300)],
        crs="EPSG:28992",
    )


#: Scores CSV as published: comma-separated, one row per cell; the first cell is E1001N4501.
LBM_HEADER = "grid_id,jaar,lbm,afw,won,fys,vrz,soc,onv"
LBM_ROWS = [
    f"E{1000 + i}N{4490 + j},2024,4.{i}{j},0.0{i},0.01,-0.02,0.03,0.0{j},-0.01"
    for i in range(1, 19, 3)
    for j in range(1, 19, 3)
]


def _lbm_csv(first: dict[str, str] | None = None) -> Setup:
    """The scores CSV, with the first row's fields replaced by ``first``."""

    def setup(data: Path) -> None:
        rows = [r.split(",") for r in LBM_ROWS]
        columns = LBM_HEADER.split(",")
        for column, value in (first or {}).items():
            rows[0][columns.index(column)] = value
        text = "\n".join([LBM_HEADER, *(",".join(r) for r in rows)]) + "\n"
        (data / "leefbaarometer-grids.csv").write_text(text, encoding="utf-8")

    return setup


LBM_FIRST = LBM_ROWS[0].split(",")[0]


#: 100 m cells on the RD grid, from the north-west corner of the tiny municipality.
RD_GRID = Affine(100, 0, 100_000, 0, -100, 451_000)


def _raster(
    *,
    crs: str = "EPSG:28992",
    transform: Affine = RD_GRID,
    fill: float | None = None,
    bands: tuple[str, ...] = SCORE_COLUMNS,
) -> Setup:
    """A user's own GeoTIFF of scores, ``leefbaarometer2024.tif``, 20 x 20 cells."""

    def setup(data: Path) -> None:
        values = np.full((len(bands), 20, 20), 0.1, dtype="float32")
        values[0] = 4.2
        if fill is not None:
            values[:] = fill
        profile = {
            "driver": "GTiff",
            "dtype": "float32",
            "count": len(bands),
            "width": 20,
            "height": 20,
            "transform": transform,
            "crs": crs,
            "nodata": -9999.0,
        }
        with rasterio.open(data / "leefbaarometer2024.tif", "w", **profile) as dst:
            dst.write(values)
            for i, name in enumerate(bands, start=1):
                dst.set_band_description(i, name)

    return setup


def _complexen(change: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame] | None = None) -> Setup:
    def setup(data: Path) -> None:
        frame = _good_complexen()
        (change(frame) if change else frame).to_file(data / "complexen.gpkg", driver="GPKG")

    return setup


def _set(column: str, value: object) -> Setup:
    def change(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        frame[column] = frame[column].astype(object)
        frame.loc[0, column] = value
        return frame

    return _complexen(change)


def _geometry(geom: shapely.Geometry | Callable[[shapely.Geometry], shapely.Geometry]) -> Setup:
    def change(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        geoms = frame.geometry.to_numpy().copy()
        geoms[0] = geom(geoms[0]) if callable(geom) else geom
        return frame.set_geometry(gpd.GeoSeries(geoms, crs=frame.crs))

    return _complexen(change)


def _nan_vertex(g: shapely.Geometry) -> shapely.Geometry:
    coords = shapely.get_coordinates(g)
    coords[1, 0] = np.nan
    return shapely.set_coordinates(g, coords)


def _buurten_lonlat_labelled(code: str) -> Setup:
    """The buurten in lon/lat, but declaring ``code``: a CRS whose area of use is elsewhere."""

    def setup(data: Path) -> None:
        frame = make_tiny_buurten().to_crs("EPSG:4326").set_crs(code, allow_override=True)
        (data / "buurten.geojson").unlink()
        frame.to_file(data / "buurten.geojson")

    return setup


def _overlay(case: str) -> Setup:
    def setup(data: Path) -> None:
        for f in (CORPUS / case).iterdir():
            shutil.copy(f, data / f.name)

    return setup


#: A ring that collapses to a line (there and back): no polygon with area to repair to.
COLLAPSED = Polygon([(100_100, 450_100), (100_300, 450_300), (100_200, 450_200)])
#: A bow tie: a self-intersecting ring that make_valid repairs into two triangles.
BOW_TIE = Polygon([(100_100, 450_100), (100_300, 450_300), (100_300, 450_100), (100_100, 450_300)])


# ---- the other loaders: their tiny good forms live beside their own tests


def _text(name: str, text: str, old: str = "", new: str = "") -> Setup:
    """``name`` with ``text``, one ``old`` replaced by ``new`` (which must be there)."""

    def setup(data: Path) -> None:
        assert old in text, old
        (data / name).write_text(text.replace(old, new, 1) if old else text, encoding="utf-8")

    return setup


def _file(src: Path, name: str, old: str = "", new: str = "") -> Setup:
    return _text(name, src.read_text(encoding="utf-8"), old, new)


def _pbl(old: str, new: str) -> Setup:
    """The Startanalyse folder (``pbl/LN/Hoofdindicatoren.csv``) with one change."""

    def setup(data: Path) -> None:
        shutil.copytree(PBL, data / "pbl")
        _file(PBL / "LN" / "Hoofdindicatoren.csv", "pbl/LN/Hoofdindicatoren.csv", old, new)(data)

    return setup


def _bag(**overrides: list) -> Setup:
    return lambda data: bag_gpkg(data / "bag-light.gpkg", **overrides) and None


def _bag_without_pand(data: Path) -> None:
    """A ``bag-light.gpkg`` with only its ``verblijfsobject`` layer (the download was cut)."""
    bag_gpkg(data / "full.gpkg")
    vbo = gpd.read_file(data / "full.gpkg", layer="verblijfsobject")
    vbo.to_file(data / "bag-light.gpkg", layer="verblijfsobject")
    (data / "full.gpkg").unlink()


def _water(change: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame]) -> Setup:
    def setup(data: Path) -> None:
        bgt_waterdeel(data / "full.gpkg")
        frame = gpd.read_file(data / "full.gpkg", layer="waterdeel")
        (data / "full.gpkg").unlink()
        change(frame).to_file(data / "bgt_waterdeel.gpkg", layer="waterdeel")

    return setup


def _water_lonlat_labelled_rd(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame.to_crs("EPSG:4326").set_crs("EPSG:28992", allow_override=True)


def _water_nan(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    geoms = frame.geometry.to_numpy().copy()
    geoms[1] = _nan_vertex(geoms[1])
    return frame.set_geometry(gpd.GeoSeries(geoms, crs=frame.crs))


PLAN_CSV = "buurtcode;strategie;fase;startjaar\nBU99990101;hybride;verkenning;2026\n"


def _districts(data: Path) -> None:
    """Two named districts that both hold all of buurt BU99990101."""
    gpd.GeoDataFrame(
        {"gebied_id": ["wg-noord", "wg-west"], "naam": ["Noord", "West"]},
        geometry=[box(100_000, 450_000, 102_000, 451_000), box(100_000, 449_000, 101_000, 451_000)],
        crs="EPSG:28992",
    ).to_file(data / "warmtegebieden.gpkg")


def _incidents(date: str = "2023-05-01", point: tuple[float, float] = (100_500, 450_500)) -> Setup:
    """Own incident records, ``incidenten.gpkg``; the second record is the damaged one."""

    def setup(data: Path) -> None:
        gpd.GeoDataFrame(
            {"datum": ["2023-04-01", date], "categorie": ["overlast", "vernieling"]},
            geometry=[shapely.Point(101_500, 449_500), shapely.Point(*point)],
            crs="EPSG:28992",
        ).to_file(data / "incidenten.gpkg")

    return setup


@dataclass(frozen=True)
class Case:
    name: str
    setup: Setup
    file: str  # the file the message names
    expected: str


BUILD_CASES = [
    Case(
        "empty_buurten",
        lambda d: (d / "buurten.geojson").write_bytes(b""),
        "buurten.geojson",
        "het bestand is leeg",
    ),
    Case(
        "truncated_buurten",
        _overlay("truncated_buurten"),
        "buurten.geojson",
        "geen leesbaar vectorbestand",
    ),
    Case(
        "missing_crs",
        _complexen(lambda f: f.set_crs(None, allow_override=True)),
        "complexen.gpkg",
        "geen coördinatenstelsel (CRS) opgegeven",
    ),
    Case(
        "lonlat_labelled_rd",
        _buurten_lonlat_labelled("EPSG:28992"),
        "buurten.geojson",
        "liggen buiten het gebied waarvoor EPSG:28992 geldt",
    ),
    Case(
        "lonlat_labelled_3857",
        _buurten_lonlat_labelled("EPSG:3857"),
        "buurten.geojson",
        "liggen niet in Nederland",
    ),
    Case(
        "nan_coordinate",
        _geometry(_nan_vertex),
        "complexen.gpkg",
        "coördinaat is geen getal (NaN of oneindig): 'rij 1'",
    ),
    Case(
        "huge_coordinate",
        _geometry(lambda g: shapely.affinity.translate(g, 1e12, 1e12)),
        "complexen.gpkg",
        "liggen buiten het gebied waarvoor EPSG:28992 geldt",
    ),
    Case(
        "mixed_types",
        _geometry(lambda g: shapely.LineString(shapely.get_coordinates(g)[:2])),
        "complexen.gpkg",
        "veld 'geometry': geen vlak maar LineString: 'WOO-0001'",
    ),
    Case(
        "unrepairable_polygon",
        _geometry(COLLAPSED),
        "complexen.gpkg",
        "veld 'geometry': ongeldige geometrie die niet te herstellen is",
    ),
    Case(
        "wrong_column_type",
        _set("aantal_woningen", "veel"),
        "complexen.gpkg",
        "veld 'aantal_woningen': complex WOO-0001: geen getal: 'veel'",
    ),
    Case(
        "duplicate_id",
        _set("complex_id", "WOO-0002"),
        "complexen.gpkg",
        "veld 'complex_id': dubbele code: 'WOO-0002'",
    ),
    Case(
        "negative_homes",
        _set("aantal_woningen", -40),
        "complexen.gpkg",
        "veld 'aantal_woningen': complex WOO-0001: negatief",
    ),
    Case(
        "build_year_3020",
        _set("bouwjaar", 3020),
        "complexen.gpkg",
        "veld 'bouwjaar': complex WOO-0001: onwaarschijnlijke waarde",
    ),
    Case(
        "lbm_negative",
        _lbm_csv({"lbm": "-5"}),
        "leefbaarometer-grids.csv",
        f"veld 'lbm': score buiten het bereik 0..10: '{LBM_FIRST}: -5'",
    ),
    Case(
        "lbm_nan",
        _lbm_csv({"lbm": "NaN"}),
        "leefbaarometer-grids.csv",
        f"veld 'lbm': geen getal: '{LBM_FIRST}: NaN'",
    ),
    Case(
        "lbm_1e30",
        _lbm_csv({"lbm": "1e30"}),
        "leefbaarometer-grids.csv",
        f"veld 'lbm': score buiten het bereik 0..10: '{LBM_FIRST}: 1e30'",
    ),
    Case(
        "afw_outside_range",
        _lbm_csv({"afw": "7.5"}),
        "leefbaarometer-grids.csv",
        f"veld 'afw': score buiten het bereik -5..5: '{LBM_FIRST}: 7.5'",
    ),
    Case(
        "jaar_negative",
        _lbm_csv({"jaar": "-2020"}),
        "leefbaarometer-grids.csv",
        "veld 'jaar': jaartal buiten 2002..",
    ),
    Case(
        "lbm_csv_only_na",
        lambda d: (d / "leefbaarometer-grids.csv").write_text(
            "\n".join([LBM_HEADER, *(r.split(",2024,")[0] + ",2024" + ",NA" * 7 for r in LBM_ROWS)])
            + "\n",
            encoding="utf-8",
        ),
        "leefbaarometer-grids.csv",
        "geen enkele score binnen de gemeente",
    ),
    Case(
        "raster_3857",
        _raster(crs="EPSG:3857", transform=Affine(100, 0, 515_000, 0, -100, 6_820_000)),
        "leefbaarometer2024.tif",
        "veld 'crs': raster is niet in EPSG:28992 (RD New)",
    ),
    Case(
        "raster_4326",
        _raster(crs="EPSG:4326", transform=Affine(0.001, 0, 4.57, 0, -0.001, 52.06)),
        "leefbaarometer2024.tif",
        "geen omgerekende kopie: 'EPSG:4326'",
    ),
    Case(
        "raster_only_nodata",
        _raster(fill=-9999.0),
        "leefbaarometer2024.tif",
        "geen enkele score binnen de gemeente: alle cellen daar zijn nodata",
    ),
    Case(
        "raster_elsewhere",
        _raster(transform=Affine(100, 0, 200_000, 0, -100, 551_000)),
        "leefbaarometer2024.tif",
        "geen enkele score binnen de gemeente",
    ),
    Case(
        "raster_missing_bands",
        _raster(bands=("lbm", "afw")),
        "leefbaarometer2024.tif",
        "veld 'band_names': ontbrekende banden: 'won, fys, vrz, soc, onv'",
    ),
    Case(
        "police_truncated",
        _text("politie.csv", POLICE_TYPED[: POLICE_TYPED.index('"BU99990102') + 6]),
        "politie.csv",
        "geen leesbaar CSV-bestand (Error tokenizing data. C error: EOF inside string",
    ),
    Case(
        "police_garbled",
        lambda d: (d / "politie.csv").write_bytes(
            POLICE_TYPED.encode().replace(b";12\n", b";" + bytes(range(0x80, 0xA0)) + b"\x00\n")
        ),
        "politie.csv",
        "veld 'GeregistreerdeMisdrijven_1': geen geheel aantal van 0 tot en met 2.147.483.647",
    ),
    Case(
        "police_count_not_a_number",
        _text("politie.csv", POLICE_TYPED, ";41\n", ";veel\n"),
        "politie.csv",
        "veld 'GeregistreerdeMisdrijven_1': geen geheel aantal van 0 tot en met 2.147.483.647: "
        "'rij 2: veel'",
    ),
    Case(
        "kwb_negative",
        _text("85984NED_TypedDataSet.csv", KWB_TYPED, ";1205;", ";-5;"),
        "85984NED_TypedDataSet.csv",
        "veld 'AantalInwoners_5': onmogelijke waarde (negatief, geen geheel aantal of te groot): "
        "'BU99990101: -5'",
    ),
    Case(
        "kwb_thousands_point",
        _text("85984NED_TypedDataSet.csv", KWB_LABELLED, '"1205"', '"1.205"'),
        "85984NED_TypedDataSet.csv",
        "veld 'Aantal inwoners (aantal)': onmogelijke waarde (negatief, geen geheel aantal of te "
        "groot): 'BU99990101: 1.205'",
    ),
    Case(
        "kwb_separator_mix",
        _text(
            "85984NED_TypedDataSet.csv",
            KWB_TYPED,
            '"BU99990101";"Testdorp',
            '"BU99990101","Testdorp',
        ),
        "85984NED_TypedDataSet.csv",
        "veld 'WijkenEnBuurten': onjuist gevormde gebiedscode: 'BU99990101,",
    ),
    Case(
        "ep_bad_header",
        _file(EP_CSV, "v20240101_v2_csv.csv", "Pand_opnamedatum;", "Pand_opname;"),
        "v20240101_v2_csv.csv",
        "veld 'Pand_opnamedatum': verplichte kolom ontbreekt",
    ),
    Case(
        "ep_label_outside_scale",
        _file(
            EP_CSV,
            "v20240101_v2_csv.csv",
            "D;False;False;W;20290312",
            "A+++++;False;False;W;20290312",
        ),
        "v20240101_v2_csv.csv",
        "regel 2, veld 'Pand_energieklasse': onbekende energieklasse",
    ),
    Case(
        "ep_date_wrong_form",
        _file(EP_CSV, "v20240101_v2_csv.csv", "20230601;Basis", "01-06-2023;Basis"),
        "v20240101_v2_csv.csv",
        "regel 3, veld 'Pand_opnamedatum': geen geldige datum (verwacht JJJJMMDD): '01-06-2023'",
    ),
    Case("bag_missing_pand", _bag_without_pand, "bag-light.gpkg", "geen laag 'pand'"),
    Case(
        "bag_build_year_3020",
        _bag(bouwjaar=[1968, 1975, 1005, 1930, 2020, 3020, 1990]),
        "bag-light.gpkg",
        "veld 'bouwjaar': onmogelijk bouwjaar",
    ),
    Case(
        "pbl_wrong_header",
        _pbl("'H18_Nat_meerkost_WEQ [Euro per Woning*yr]'", "'Nat_meerkost_WEQ'"),
        "pbl/LN/Hoofdindicatoren.csv",
        "veld 'H18_…': verplichte kolom ontbreekt (nat_meerkosten_weq)",
    ),
    Case(
        "pbl_not_a_number",
        _pbl(";98765.4;", ";veel;"),
        "pbl/LN/Hoofdindicatoren.csv",
        "veld 'H16_Nat_meerkost': geen getal: 'BU04840211: veel'",
    ),
    Case(
        "water_lonlat_labelled_rd",
        _water(_water_lonlat_labelled_rd),
        "bgt_waterdeel.gpkg",
        "liggen buiten het gebied waarvoor EPSG:28992 geldt",
    ),
    Case(
        "water_nan_coordinate",
        _water(_water_nan),
        "bgt_waterdeel.gpkg",
        "coördinaat is geen getal (NaN of oneindig)",
    ),
    Case(
        "plan_unknown_strategy",
        _text("warmteplan.yaml", PLAN_YAML, "strategie: all-electric", "strategie: warmtepomp"),
        "warmteplan.yaml",
        "regel 13: gebied wg-noord, veld 'strategie': onbekende strategie",
    ),
    Case(
        "plan_alias",
        _text(
            "warmteplan.yaml", PLAN_YAML, "    naam: Noord\n", "    naam: &n Noord\n    bron: *n\n"
        ),
        "warmteplan.yaml",
        "YAML-ankers en -verwijzingen",
    ),
    Case(
        "plan_duplicate_key",
        _text(
            "warmteplan.yaml", PLAN_YAML, "    naam: Noord\n", "    naam: Noord\n    naam: Zuid\n"
        ),
        "warmteplan.yaml",
        "dubbele sleutel",
    ),
    Case(
        "plan_csv_unknown_buurt",
        _text("warmteplan.csv", PLAN_CSV, "BU99990101", "BU99998888"),
        "warmteplan.csv",
        "buurt komt niet voor in de grenzen: 'BU99998888'",
    ),
    Case(
        "plan_csv_unknown_phase",
        _text("warmteplan.csv", PLAN_CSV, ";verkenning;", ";bijna klaar;"),
        "warmteplan.csv",
        "regel 2, veld 'fase': onbekende fase",
    ),
    Case(
        "districts_overlap",
        _districts,
        "warmtegebieden.gpkg",
        "buurt BU99990101 staat in twee warmtegebieden (wg-noord en wg-west)",
    ),
    Case(
        "incident_2099",
        _incidents(date="2099-01-01"),
        "incidenten.gpkg",
        "veld 'datum': datum in de toekomst: 'rij 2: 2099-01-01'",
    ),
    Case(
        "incident_outside",
        _incidents(point=(105_000, 450_500)),
        "incidenten.gpkg",
        "veld 'geometry': punt ligt buiten de gemeente: 'rij 2: (105000, 450500)'",
    ),
    Case(
        "incident_nan",
        _incidents(point=(np.nan, 450_500)),
        "incidenten.gpkg",
        "coördinaat is geen getal (NaN of oneindig): 'rij 2'",
    ),
]


@dataclass(frozen=True)
class LedgerCase:
    name: str
    make: Callable[[Path], Path]
    expected: str


def _ledger(change: Callable[[str], str]) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        path = tmp / "afspraken.yaml"
        path.write_text(change(LEDGER.read_text(encoding="utf-8")), encoding="utf-8")
        return path

    return make


def _static(case: str) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        return Path(shutil.copy(CORPUS / case / "afspraken.yaml", tmp / "afspraken.yaml"))

    return make


def _ledger_bytes(data: bytes) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        path = tmp / "afspraken.yaml"
        path.write_bytes(data)
        return path

    return make


LEDGER_CASES = [
    LedgerCase("ledger_alias_bomb", _static("ledger_alias_bomb"), "YAML-ankers en -verwijzingen"),
    LedgerCase("ledger_empty", _static("ledger_empty"), "leeg bestand"),
    LedgerCase(
        "ledger_deep_nesting",
        _ledger_bytes(b"metadata: " + b"[" * 20_000 + b"]" * 20_000 + b"\n"),
        "te diep genest",
    ),
    LedgerCase(
        "ledger_not_utf8",
        _ledger_bytes("metadata:\n  titel: Caf\xe9\n".encode("latin-1")),
        "geen UTF-8-tekst",
    ),
    LedgerCase(
        "ledger_bad_reference",
        _ledger(lambda t: t.replace("buurtcodes: [BU04840306]", "buurtcodes: [BU04849999]", 1)),
        "onbekende buurtcode (komt niet voor in de grenzen): 'BU04849999'",
    ),
    LedgerCase(
        "ledger_duplicate_key",
        _ledger(lambda t: t.replace("metadata:\n", "metadata:\n  jaar: 2020\n", 1)),
        "dubbele sleutel",
    ),
]


# ---- running the command line


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def _cli(capfd: pytest.CaptureFixture[str], *args: str) -> Run:
    """``wijkplan ARGS`` in this process; a Python warning that escapes fails the test."""
    capfd.readouterr()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = main(list(args))
    out, err = capfd.readouterr()
    stray = [
        f"{w.category.__name__}: {w.message}"
        for w in caught
        if not issubclass(w.category, DeprecationWarning | PendingDeprecationWarning)
    ]
    assert not stray, stray  # on a terminal each would be another stderr line
    return Run(code, out, err)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def earlier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of an earlier good build (GeoPackage + rasters) of the tiny municipality."""
    from wijkplan.build import build_layers

    data = tmp_path_factory.mktemp("earlier-data")
    _boundaries(data)
    _complexen()(data)
    _lbm_csv()(data)
    out = tmp_path_factory.mktemp("earlier") / "wijkplan.gpkg"
    build_layers(data, out)
    return out.parent


def _refused(case: Case, earlier: Path, tmp_path: Path, run: Callable[..., Run]) -> None:
    data = tmp_path / "data"
    _boundaries(data)
    case.setup(data)
    inputs = _snapshot(data)
    out_dir = shutil.copytree(earlier, tmp_path / "out")
    before = _snapshot(out_dir)
    proc = run("build", "--data", str(data), "--out", str(out_dir / "wijkplan.gpkg"))
    assert proc.code == 2, proc.err
    lines = proc.err.splitlines()
    assert len(lines) == 1, proc.err
    assert str(data / case.file) in lines[0] and case.expected in lines[0], lines[0]
    assert "Traceback" not in proc.err and proc.out == ""
    assert _snapshot(out_dir) == before  # byte-identical, nothing new beside it
    assert _snapshot(data) == inputs  # loaders never write


@pytest.mark.filterwarnings("ignore:'crs' was not provided:UserWarning")
@pytest.mark.parametrize("case", BUILD_CASES, ids=[c.name for c in BUILD_CASES])
def test_build_refuses(case: Case, earlier: Path, tmp_path: Path, capfd) -> None:
    _refused(case, earlier, tmp_path, lambda *a: _cli(capfd, *a))


def test_build_refuses_through_the_entry_point(earlier: Path, tmp_path: Path) -> None:
    """One case as a real process: ``python -m wijkplan.cli`` keeps the same promise."""

    def run(*args: str) -> Run:
        proc = subprocess.run(
            [sys.executable, "-m", "wijkplan.cli", *args],
            capture_output=True,
            text=True,
            timeout=300,
        )
        return Run(proc.returncode, proc.stdout, proc.stderr)

    _refused(BUILD_CASES[1], earlier, tmp_path, run)


@pytest.mark.parametrize("case", LEDGER_CASES, ids=[c.name for c in LEDGER_CASES])
def test_ledger_check_refuses(case: LedgerCase, tmp_path: Path, capfd) -> None:
    path = case.make(tmp_path)
    before = _snapshot(tmp_path)
    proc = _cli(capfd, "afspraken", "check", str(path))
    assert proc.code == 2, proc.err
    lines = proc.err.splitlines()
    assert len(lines) == 1, proc.err
    assert str(path) in lines[0] and case.expected in lines[0], lines[0]
    assert _snapshot(tmp_path) == before  # nothing written


# ---- recoverable input: built, with a warning in the report


def test_self_intersecting_polygon_is_repaired_with_a_warning(tmp_path: Path, capfd) -> None:
    data = tmp_path / "data"
    _boundaries(data)
    _geometry(BOW_TIE)(data)
    out = tmp_path / "out" / "wijkplan.gpkg"
    proc = _cli(capfd, "build", "--data", str(data), "--out", str(out))
    assert proc.code == 0 and proc.err == "", proc.err
    warning = f"{data / 'complexen.gpkg'}: geometrie van WOO-0001 hersteld (Self-intersection"
    assert warning in proc.out
    assert any(w.startswith(warning) for w in read_report(out).warnings)
    repaired = gpd.read_file(out, layer="complexen").set_index("complex_id").geometry["WOO-0001"]
    assert repaired.is_valid and repaired.area == pytest.approx(20_000)  # both triangles kept


def test_non_utf8_names_are_read_as_cp1252_with_a_note(tmp_path: Path, capfd) -> None:
    data = tmp_path / "data"
    _boundaries(data)
    text = (data / "buurten.geojson").read_text(encoding="utf-8").replace("Noord-West", "Gnéphoek")
    (data / "buurten.geojson").write_bytes(text.encode("cp1252"))
    out = tmp_path / "w.gpkg"
    proc = _cli(capfd, "build", "--data", str(data), "--out", str(out))
    assert proc.code == 0, proc.err
    assert f"{data / 'buurten.geojson'}: tekst is geen UTF-8; gelezen als cp1252" in proc.out
    assert "Gnéphoek" in set(gpd.read_file(out, layer="buurten")["buurtnaam"])


@dataclass(frozen=True)
class WarnCase:
    name: str
    setup: Setup
    file: str  # the file the warning names
    expected: str


WARN_CASES = [
    WarnCase(
        "police_unknown_buurt",
        _text("politie.csv", POLICE_TYPED, '"BU99990102"', '"BU99998888"'),
        "politie.csv",
        "rijen voor buurten die niet in deze grenzen voorkomen (andere gemeente of andere "
        "indeling) zijn niet meegeteld: BU99998888",
    ),
]


@pytest.mark.parametrize("case", WARN_CASES, ids=[c.name for c in WARN_CASES])
def test_built_with_a_warning_in_the_report(case: WarnCase, tmp_path: Path, capfd) -> None:
    """Recoverable by design: the build goes on and its report says what it left out."""
    data = tmp_path / "data"
    _boundaries(data)
    case.setup(data)
    out = tmp_path / "out" / "wijkplan.gpkg"
    proc = _cli(capfd, "build", "--data", str(data), "--out", str(out))
    assert proc.code == 0 and proc.err == "", proc.err
    warning = next(w for w in read_report(out).warnings if case.expected in w)
    assert str(data / case.file) in warning and warning in proc.out


def test_broken_pipe_ends_quietly() -> None:
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
