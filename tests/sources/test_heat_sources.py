"""The heat-indicator inputs read in their published forms (real-formats.md §5–7).

Fixture files (``fixtures/heat/``, see its README) are in the published form; the
GeoPackages are written here with the published layer and field names. Malformed
variants are made by changing one value of a fixture, so each gives one known line.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, Polygon, box

from wijkplan.errors import ValidationError
from wijkplan.settings import SAMPLE_BRON
from wijkplan.sources.bag import (
    find_bag,
    load_bag_panden,
    load_bag_verblijfsobjecten,
)
from wijkplan.sources.epoline import LABEL_CLASSES, find_epoline, load_epoline
from wijkplan.sources.pbl import find_startanalyse, load_startanalyse
from wijkplan.sources.validate import SourceWarning
from wijkplan.sources.water import find_water, load_water

FIXTURES = Path(__file__).parent / "fixtures" / "heat"
EP = FIXTURES / "ep-online"
EP_CSV = EP / "v20240101_v2_csv.csv"
PBL = FIXTURES / "startanalyse-2020"

#: What every EP-Online fixture holds after loading: the latest home label per vbo.
EXPECTED_LABELS = {
    "0484010000100001": "A",  # D (2019) replaced by A (2023)
    "0484010000100002": "E",  # the later A++ is a permit application
    "0484010000100003": "B",  # same survey day, registered again later
}


def _copy(src: Path, dst: Path, old: str = "", new: str = "") -> Path:
    text = src.read_text(encoding="utf-8")
    if old:
        assert old in text, old
        text = text.replace(old, new, 1)
    dst.write_text(text, encoding="utf-8")
    return dst


# --------------------------------------------------------------------------- EP-Online


def test_label_classes_best_first():
    assert LABEL_CLASSES[0] == "A++++" and LABEL_CLASSES[-1] == "G" and len(LABEL_CLASSES) == 11


def test_epoline_bulk_csv_latest_home_label_per_vbo():
    labels = load_epoline(EP_CSV)
    assert dict(zip(labels["vbo_id"], labels["energieklasse"], strict=True)) == EXPECTED_LABELS
    first = labels.set_index("vbo_id").loc["0484010000100001"]
    assert first["pand_id"] == "0484100000200001"
    assert first["opnamedatum"] == pd.Timestamp("2023-06-01")
    assert first["registratiedatum"] == pd.Timestamp("2023-06-05")
    assert first["berekeningstype"] == "NTA 8800"
    assert first["postcode"] == "2402HC" and first["huisnummer"] == 12
    assert first["energieindex"] == pytest.approx(0.95)
    assert first["gebruiksoppervlakte"] == pytest.approx(71.4)
    assert (labels["gebouwklasse"] == "W").all()
    assert (labels["bron"] == "EP-Online (RVO), v20240101_v2_csv.csv").all()
    assert str(labels["opnamedatum"].dtype).startswith("datetime64")
    assert list(labels.columns) == [
        "vbo_id",
        "pand_id",
        "energieklasse",
        "opnamedatum",
        "registratiedatum",
        "gebouwklasse",
        "berekeningstype",
        "postcode",
        "huisnummer",
        "energieindex",
        "gebruiksoppervlakte",
        "bron",
    ]


def test_epoline_utility_class_on_request():
    labels = load_epoline(EP_CSV, gebouwklasse="U")
    assert labels["vbo_id"].tolist() == ["0484010000100099"]
    assert labels["energieklasse"].tolist() == ["A+"]


def test_epoline_preamble_and_decimal_commas():
    labels = load_epoline(EP / "totaalbestand_preamble.csv")
    assert dict(zip(labels["vbo_id"], labels["energieklasse"], strict=True)) == EXPECTED_LABELS
    row = labels.set_index("vbo_id").loc["0484010000100002"]
    assert row["energieindex"] == pytest.approx(2.41)
    assert row["berekeningstype"] == "ISSO82.3, versie 3.0, oktober 2011"


def test_epoline_old_header_energieprestatieindex():
    labels = load_epoline(EP / "v20200101_csv_oud.csv")
    assert dict(zip(labels["vbo_id"], labels["energieklasse"], strict=True)) == EXPECTED_LABELS
    assert labels.set_index("vbo_id").loc["0484010000100003", "energieindex"] == pytest.approx(1.31)


def test_epoline_monthly_zip_streamed(tmp_path):
    archive = tmp_path / "v20240101_v2_csv.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(EP_CSV, EP_CSV.name)
    labels = load_epoline(archive)
    assert dict(zip(labels["vbo_id"], labels["energieklasse"], strict=True)) == EXPECTED_LABELS
    assert not (tmp_path / EP_CSV.name).exists()  # not extracted
    assert find_epoline(tmp_path) == archive


def test_epoline_windows_1252_bom_and_prefixed_ids(tmp_path):
    text = EP_CSV.read_text(encoding="utf-8")
    text = text.replace("0484010000100003", "NL.IMBAG.Verblijfsobject.0484010000100003")
    text = text.replace("Rijwoning tussen", "Rijwoning tussen (café)")
    cp = tmp_path / "cp1252.csv"
    cp.write_bytes(text.encode("cp1252"))
    assert "0484010000100003" in set(load_epoline(cp)["vbo_id"])
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + EP_CSV.read_bytes())
    labels = load_epoline(bom)
    assert dict(zip(labels["vbo_id"], labels["energieklasse"], strict=True)) == EXPECTED_LABELS


def test_epoline_without_pyarrow(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow.csv", None)  # import fails: pandas' C parser
    labels = load_epoline(EP / "totaalbestand_preamble.csv")
    assert dict(zip(labels["vbo_id"], labels["energieklasse"], strict=True)) == EXPECTED_LABELS
    assert labels["energieindex"].tolist()[1] == pytest.approx(2.41)
    cp = tmp_path / "cp1252.csv"
    cp.write_bytes(
        EP_CSV.read_text(encoding="utf-8").replace("Appartement", "Appartement é").encode("cp1252")
    )
    assert len(load_epoline(cp)) == 3


def test_epoline_trailing_separator(tmp_path):
    lines = EP_CSV.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "trailing.csv"
    path.write_text("\n".join([lines[0]] + [line + ";" for line in lines[1:]]) + "\n")
    assert len(load_epoline(path)) == 3


def test_find_epoline_by_content_not_name(tmp_path):
    shutil.copy(EP_CSV, tmp_path / "labels.csv")
    (tmp_path / "other.csv").write_text("a;b\n1;2\n")
    assert find_epoline(tmp_path) == tmp_path / "labels.csv"
    shutil.copy(EP / "totaalbestand_preamble.csv", tmp_path / "second.csv")
    with pytest.raises(ValidationError) as info:
        find_epoline(tmp_path)
    assert len(info.value.problems) == 1
    assert "labels.csv" in str(info.value) and "second.csv" in str(info.value)


def test_find_epoline_none(tmp_path):
    (tmp_path / "other.csv").write_text("a;b\n1;2\n")
    assert find_epoline(tmp_path) is None


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "D;False;False;W;20290312",
            "A+++++;False;False;W;20290312",
            "regel 2, veld 'Pand_energieklasse': onbekende energieklasse "
            "(verwacht A++++, A+++, A++, A+, A, B, C, D, E, F, G): 'A+++++'",
        ),
        (
            "20230601;Basis",
            "2023-13-45;Basis",
            "regel 3, veld 'Pand_opnamedatum': geen geldige datum (verwacht JJJJMMDD): '2023-13-45'",
        ),
        (
            "2404EA;3;;;0484010000100003",
            "2404EA;3;;;vbo-3",
            "regel 6, veld 'Pand_bagverblijfsobjectid': geen BAG-id van 16 cijfers: 'vbo-3'",
        ),
        (
            "NTA 8800;0.95;A",
            "NTA 8800;0,9,5;A",
            "regel 3, veld 'Pand_energieindex': geen getal: '0,9,5'",
        ),
    ],
)
def test_epoline_bad_value_is_one_line(tmp_path, old, new, expected):
    path = _copy(EP_CSV, tmp_path / "ep.csv", old, new)
    with pytest.raises(ValidationError) as info:
        load_epoline(path)
    assert info.value.problems == [f"{path}, {expected}"]


def test_epoline_all_problems_together(tmp_path):
    path = _copy(EP_CSV, tmp_path / "ep.csv", "D;False;False;W;20290312", "Q;False;False;W;2029")
    path = _copy(path, path, "20230601;Basis", "gisteren;Basis")
    with pytest.raises(ValidationError) as info:
        load_epoline(path)
    assert len(info.value.problems) == 2
    assert "2 problemen" in str(info.value)


def test_epoline_bad_label_of_a_skipped_row_is_no_problem(tmp_path):
    # a utility building's label does not matter for the homes
    path = _copy(EP_CSV, tmp_path / "ep.csv", "A+;False;False;U", "Z;False;False;U")
    assert len(load_epoline(path)) == 3


def test_epoline_missing_column(tmp_path):
    text = EP_CSV.read_text(encoding="utf-8").replace("Pand_opnamedatum;", "Pand_opname;", 1)
    path = tmp_path / "ep.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load_epoline(path)
    assert info.value.problems == [f"{path}, veld 'Pand_opnamedatum': verplichte kolom ontbreekt"]


def test_epoline_no_header(tmp_path):
    path = tmp_path / "ep.csv"
    path.write_text("a;b\n1;2\n")
    with pytest.raises(ValidationError, match="geen EP-Online-kopregel gevonden"):
        load_epoline(path)


def test_epoline_label_without_id_is_left_out_with_a_warning(tmp_path):
    path = _copy(EP_CSV, tmp_path / "ep.csv", ";0484020000000007;", ";;")
    with pytest.warns(SourceWarning, match="1 labels zonder BAG-id"):
        labels = load_epoline(path)
    assert len(labels) == 3


def test_epoline_sample_mark_kept(tmp_path):
    lines = EP_CSV.read_text(encoding="utf-8").splitlines()
    bron = f"{SAMPLE_BRON} (wijkplan sample-data)"
    text = "\n".join([lines[0] + ";bron"] + [f"{line};{bron}" for line in lines[1:]])
    path = tmp_path / "ep.csv"
    path.write_text(text + "\n", encoding="utf-8")
    assert (load_epoline(path)["bron"] == bron).all()


# --------------------------------------------------------------------------- BAG


def _square(x: float, y: float, size: float = 20) -> Polygon:
    return box(x, y, x + size, y + size)


def bag_gpkg(path: Path, **overrides: list) -> Path:
    """A bag-light-style GeoPackage: layers ``pand`` and ``verblijfsobject`` as PDOK names them."""
    year = dt.date.today().year
    pand = {
        "identificatie": [
            "0484100000200001",
            "0484100000200002",
            "0484100000200003",
            "0484100000200004",
            "0484100000200005",
            "0484100000200006",
            "0484100000200007",
        ],
        "bouwjaar": [1968, 1975, 1005, 1930, year + 1, 2001, 1990],
        "status": [
            "Pand in gebruik",
            "Pand in gebruik (niet ingemeten)",
            "Pand in gebruik",
            "Pand gesloopt",
            "Bouwvergunning verleend",
            "Verbouwing pand",
            "Pand in gebruik",
        ],
        "gebruiksdoel": [
            "woonfunctie",
            "woonfunctie",
            "woonfunctie,winkelfunctie",
            "woonfunctie",
            "woonfunctie",
            "gezondheidszorgfunctie",
            "woonfunctie",
        ],
        "oppervlakte_min": [48, 95, 60, 80, 70, 14520, 100],
        "oppervlakte_max": [112, 130, 75, 80, 90, 14520, 100],
        "aantal_verblijfsobjecten": [96, 1, 3, 1, 12, 1, 1],
        "rdf_seealso": [
            f"http://bag.basisregistraties.overheid.nl/bag/id/pand/04841000002000{i:02d}"
            for i in range(1, 8)
        ],
    }
    pand.update(overrides)
    geoms = [_square(100_100 + 40 * i, 450_100) for i in range(6)] + [_square(103_500, 450_100)]
    gpd.GeoDataFrame(pand, geometry=geoms, crs="EPSG:28992").to_file(
        path, layer="pand", engine="pyogrio", layer_options={"GEOMETRY_NAME": "geom"}
    )
    vbo = {
        "identificatie": ["0484010000100001", "0484010000100002", "0484010000100003"],
        "openbare_ruimte_naam": ["Herculesplein", "Herculesplein", "Saturnusstraat"],
        "huisnummer": [12, 14, 3],
        "huisletter": [None, "A", None],
        "toevoeging": [None, None, None],
        "postcode": ["2402HC", "2402HC", "2404EA"],
        "woonplaats_naam": ["Alphen aan den Rijn"] * 3,
        "gebruiksdoel": ["woonfunctie", "woonfunctie", "woonfunctie"],
        "oppervlakte": [71, 64, 113],
        "status": [
            "Verblijfsobject in gebruik",
            "Verblijfsobject in gebruik",
            "Verblijfsobject ingetrokken",
        ],
        "pand_identificatie": ["0484100000200001", "0484100000200001", "0484100000200002"],
    }
    gpd.GeoDataFrame(
        vbo,
        geometry=[Point(100_105, 450_105), Point(100_110, 450_110), Point(100_150, 450_110)],
        crs="EPSG:28992",
    ).to_file(
        path, layer="verblijfsobject", engine="pyogrio", layer_options={"GEOMETRY_NAME": "geom"}
    )
    return path


def test_bag_panden_statuses_and_unknown_year(tmp_path, tiny_buurten):
    path = bag_gpkg(tmp_path / "bag-light.gpkg")
    with pytest.warns(SourceWarning) as record:
        panden = load_bag_panden(path)
    messages = " | ".join(str(w.message) for w in record)
    assert "2 objecten overgeslagen" in messages
    assert "1× 'Pand gesloopt'" in messages and "1× 'Bouwvergunning verleend'" in messages
    assert "1 panden met bouwjaar 1005" in messages
    assert panden["pand_id"].tolist() == [
        "0484100000200001",
        "0484100000200002",
        "0484100000200003",
        "0484100000200006",
        "0484100000200007",
    ]
    assert panden["bouwjaar"].tolist()[:2] == [1968, 1975]
    assert panden["bouwjaar"].isna().tolist() == [False, False, True, False, False]
    assert str(panden["bouwjaar"].dtype) == "Int64"
    assert panden["aantal_verblijfsobjecten"].tolist()[0] == 96
    assert panden["oppervlakte_max"].tolist()[0] == pytest.approx(112.0)
    assert panden["gebruiksdoel"].tolist()[2] == "woonfunctie,winkelfunctie"
    assert (panden["bron"] == "BAG (Kadaster, via PDOK), bag-light.gpkg").all()
    assert panden.crs.to_epsg() == 28992
    assert list(panden.columns) == [
        "pand_id",
        "bouwjaar",
        "status",
        "gebruiksdoel",
        "aantal_verblijfsobjecten",
        "oppervlakte_max",
        "bron",
        "geometry",
    ]


def test_bag_panden_within_reads_only_the_buurten(tmp_path, tiny_buurten):
    path = bag_gpkg(tmp_path / "bag-light.gpkg")
    two = tiny_buurten[tiny_buurten["buurtcode"] == "BU99990101"]  # x 100000..101000
    with pytest.warns(SourceWarning):
        panden = load_bag_panden(path, within=two)
    assert "0484100000200007" not in set(panden["pand_id"])  # at x 103500
    assert len(panden) == 4


def test_bag_panden_within_in_wgs84(tmp_path, tiny_buurten):
    path = bag_gpkg(tmp_path / "bag-light.gpkg")
    with pytest.warns(SourceWarning):
        panden = load_bag_panden(path, within=tiny_buurten.to_crs("EPSG:4326"))
    assert len(panden) == 4


def test_bag_impossible_year_and_bad_id(tmp_path):
    path = bag_gpkg(
        tmp_path / "bag.gpkg",
        bouwjaar=[1968, 1975, 1005, 1930, 2020, 3024, 1990],
        identificatie=[
            "0484100000200001",
            "484100000200002",
            "0484100000200003",
            "0484100000200004",
            "0484100000200005",
            "0484100000200006",
            "0484100000200001",
        ],
    )
    with pytest.raises(ValidationError) as info:  # a refused file makes no remarks
        load_bag_panden(path)
    last = dt.date.today().year + 5
    assert info.value.problems == [
        f"{path}, veld 'identificatie': geen pand-id van 16 cijfers: '484100000200002'",
        f"{path}, veld 'identificatie': dubbele code: '0484100000200001'",
        f"{path}, veld 'bouwjaar': onmogelijk bouwjaar (verwacht 1000 t/m {last}): "
        "'pand 0484100000200006: 3024'",
    ]


@pytest.mark.filterwarnings("ignore:'crs' was not provided:UserWarning")
def test_bag_missing_crs(tmp_path):
    path = tmp_path / "bag.gpkg"
    gpd.GeoDataFrame(
        {"identificatie": ["0484100000200001"], "bouwjaar": [1970], "status": ["Pand in gebruik"]},
        geometry=[_square(0, 0)],
    ).to_file(path, layer="pand")
    with pytest.raises(ValidationError) as info:
        load_bag_panden(path)
    assert info.value.problems == [
        f"{path}: geen coördinatenstelsel (CRS) opgegeven; verwacht bijv. EPSG:28992 of EPSG:4326"
    ]


def test_bag_missing_column(tmp_path):
    path = tmp_path / "bag.gpkg"
    gpd.GeoDataFrame(
        {"identificatie": ["0484100000200001"], "bouwjaar": [1970]},
        geometry=[_square(0, 0)],
        crs="EPSG:28992",
    ).to_file(path, layer="pand")
    with pytest.raises(ValidationError) as info:
        load_bag_panden(path)
    assert info.value.problems == [f"{path}, veld 'status': verplichte kolom ontbreekt"]


def test_find_bag_by_layer(tmp_path):
    assert find_bag(tmp_path) is None
    bag_gpkg(tmp_path / "extract-gm0484.gpkg")
    gpd.GeoDataFrame({"a": [1]}, geometry=[Point(100_000, 450_000)], crs="EPSG:28992").to_file(
        tmp_path / "other.gpkg", layer="pand"
    )
    assert find_bag(tmp_path) == tmp_path / "extract-gm0484.gpkg"
    bag_gpkg(tmp_path / "bag-light.gpkg")
    with pytest.raises(ValidationError, match="meer dan één BAG-bestand"):
        find_bag(tmp_path)


def test_bag_verblijfsobjecten(tmp_path, tiny_buurten):
    path = bag_gpkg(tmp_path / "bag-light.gpkg")
    with pytest.warns(SourceWarning, match="1× 'Verblijfsobject ingetrokken'"):
        vbo = load_bag_verblijfsobjecten(path, within=tiny_buurten)
    assert vbo["vbo_id"].tolist() == ["0484010000100001", "0484010000100002"]
    assert vbo["pand_id"].tolist() == ["0484100000200001"] * 2
    assert vbo["oppervlakte"].tolist() == [71, 64]
    assert set(vbo.geometry.geom_type) == {"Point"}


def test_bag_sample_mark(tmp_path):
    bron = f"{SAMPLE_BRON} (wijkplan sample-data)"
    path = bag_gpkg(tmp_path / "bag.gpkg", bron=[bron] * 7)
    with pytest.warns(SourceWarning):
        assert (load_bag_panden(path)["bron"] == bron).all()


# --------------------------------------------------------------------------- water

OUDE_RIJN = Polygon(
    [(100_000, 449_950), (102_000, 449_950), (102_000, 450_010), (100_000, 450_010)]
)


def bgt_waterdeel(path: Path) -> Path:
    """BGT ``waterdeel`` as the PDOK download writes it (gmllight field names)."""
    data = {
        "gml_id": ["b1", "b2", "b3", "b4"],
        "lokaalID": ["G0484.1", "G0484.2", "G0484.3", "G0484.4"],
        "namespace": ["NL.IMGeo"] * 4,
        "creationDate": ["2015-03-01"] * 4,
        "tijdstipRegistratie": ["2023-05-01T10:00:00"] * 4,
        "eindRegistratie": [None, None, "2022-01-01T00:00:00", None],
        "bronhouder": ["W0616", "G0484", "W0616", "G0484"],
        "inOnderzoek": [False] * 4,
        "relatieveHoogteligging": [0] * 4,
        "bgt-status": ["bestaand", "bestaand", "bestaand", "plan"],
        "plus-status": ["geenWaarde"] * 4,
        "class": ["waterloop", "watervlakte", "waterloop", "watervlakte"],
        "plus-type": ["waardeOnbekend"] * 4,
    }
    geoms = [
        OUDE_RIJN,
        box(100_400, 450_400, 100_450, 450_430),
        OUDE_RIJN,
        box(101_400, 450_400, 101_450, 450_430),
    ]
    gpd.GeoDataFrame(data, geometry=geoms, crs="EPSG:28992").to_file(path, layer="waterdeel")
    return path


def test_water_bgt_waterdeel(tmp_path):
    path = bgt_waterdeel(tmp_path / "bgt.gpkg")
    with pytest.warns(SourceWarning, match="2 waterdelen overgeslagen"):
        water = load_water(path)
    assert water["watertype"].tolist() == ["waterloop", "watervlakte"]
    assert water["naam"].isna().all()  # BGT has no names
    assert not water["schematisch"].any()
    assert (water["bron"] == "BGT waterdeel, bgt.gpkg").all()
    assert water.geometry.iloc[0].area == pytest.approx(OUDE_RIJN.area)
    assert list(water.columns) == ["naam", "watertype", "schematisch", "bron", "geometry"]
    assert find_water(tmp_path) == path


def test_water_clipped_to_within(tmp_path, tiny_buurten):
    path = bgt_waterdeel(tmp_path / "bgt.gpkg")
    west = tiny_buurten[tiny_buurten["buurtcode"].isin(["BU99990101", "BU99990201"])]  # x ..101000
    with pytest.warns(SourceWarning):
        water = load_water(path, within=west)
    assert water.total_bounds[2] == pytest.approx(101_000)
    assert water.geometry.iloc[0].area == pytest.approx(1000 * 60)


def test_water_top10nl_polygons_and_lines(tmp_path):
    path = tmp_path / "top10nl.gpkg"
    gpd.GeoDataFrame(
        {"typewater": ["waterloop"], "naamnl": ["Oude Rijn"], "naamofficieel": [None]},
        geometry=[OUDE_RIJN],
        crs="EPSG:28992",
    ).to_file(path, layer="top10nl_waterdeel_vlak")
    gpd.GeoDataFrame(
        {"typewater": ["waterloop"], "naamnl": [None], "breedteklasse": ["0.5 - 3 meter"]},
        geometry=[LineString([(100_000, 450_500), (101_000, 450_500)])],
        crs="EPSG:28992",
    ).to_file(path, layer="top10nl_waterdeel_lijn")
    water = load_water(path)
    assert water.geometry.geom_type.tolist() == ["Polygon", "LineString"]
    assert water["naam"].tolist()[0] == "Oude Rijn" and pd.isna(water["naam"].iloc[1])
    assert (water["bron"] == "TOP10NL waterdeel, top10nl.gpkg").all()


def test_water_sample_schematic_line(tmp_path):
    bron = f"{SAMPLE_BRON} (schematische lijn van de Oude Rijn)"
    path = tmp_path / "oppervlaktewater.geojson"
    gpd.GeoDataFrame(
        {"naam": ["Oude Rijn"], "watertype": ["rivier"], "schematisch": [True], "bron": [bron]},
        geometry=[LineString([(100_000, 450_000), (102_000, 450_000)])],
        crs="EPSG:28992",
    ).to_file(path)
    assert find_water(tmp_path) == path
    water = load_water(path)
    assert water["schematisch"].tolist() == [True]
    assert water["bron"].tolist() == [bron]
    assert water["naam"].tolist() == ["Oude Rijn"]


@pytest.mark.filterwarnings("ignore:'crs' was not provided:UserWarning")
def test_water_problems(tmp_path, tiny_buurten):
    no_crs = tmp_path / "a.gpkg"
    gpd.GeoDataFrame({"class": ["waterloop"]}, geometry=[OUDE_RIJN]).to_file(
        no_crs, layer="waterdeel"
    )
    with pytest.raises(ValidationError, match="geen coördinatenstelsel"):
        load_water(no_crs)
    points = tmp_path / "b.gpkg"
    gpd.GeoDataFrame(
        {"class": ["waterloop"]}, geometry=[Point(100_000, 450_000)], crs="EPSG:28992"
    ).to_file(points, layer="waterdeel")
    with pytest.raises(ValidationError) as info:
        load_water(points)
    assert info.value.problems == [
        f"{points}, veld 'geometry': geen bruikbare geometrie (verwacht vlakken of lijnen): 'Point'"
    ]
    empty = tmp_path / "c.gpkg"
    gpd.GeoDataFrame({"class": pd.Series([], dtype=str)}, geometry=[], crs="EPSG:28992").to_file(
        empty, layer="waterdeel"
    )
    with pytest.raises(ValidationError) as info:
        load_water(empty)
    assert info.value.problems == [f"{empty}: laag 'waterdeel' bevat geen objecten"]
    far = tiny_buurten.translate(50_000, 50_000)
    with pytest.raises(ValidationError, match="geen water binnen het gebied"):
        load_water(bgt_waterdeel(tmp_path / "d.gpkg"), within=far)


def test_find_water_ambiguous(tmp_path):
    bgt_waterdeel(tmp_path / "bgt.gpkg")
    gpd.GeoDataFrame({"naam": ["x"]}, geometry=[OUDE_RIJN], crs="EPSG:28992").to_file(
        tmp_path / "oppervlaktewater.geojson"
    )
    with pytest.raises(ValidationError, match="meer dan één bron voor oppervlaktewater"):
        find_water(tmp_path)


# --------------------------------------------------------------------------- PBL Startanalyse


def test_startanalyse_ln_folder():
    pbl = load_startanalyse(PBL)
    by_code = pbl.set_index("buurtcode")
    assert pbl["buurtcode"].tolist() == [
        "BU04840210",
        "BU04840211",
        "BU04840305",
        "BU04840999",
        "BU04840212",  # 'BU04840212_2019': the first 10 characters
    ]
    planeten = by_code.loc["BU04840210"]
    assert planeten["variant"] == "s3e"
    assert planeten["strategie_pbl"] == "warmtenet lage temperatuur"
    assert planeten["variant_omschrijving"] == "S3e_B_TEO"
    assert planeten["nat_meerkosten_jaar"] == pytest.approx(412345.6)
    assert planeten["nat_meerkosten_co2"] == pytest.approx(287.4)
    assert planeten["nat_meerkosten_weq"] == pytest.approx(512.3)
    assert planeten["woningen"] == 1450 and planeten["woningequivalenten"] == 1689
    assert not planeten["uitgesloten"]
    assert by_code.loc["BU04840305", "strategie_pbl"] == "groen gas"
    assert by_code.loc["BU04840211", "strategie_pbl"] == "all-electric (warmtepomp)"
    excluded = by_code.loc["BU04840999"]
    assert excluded["uitgesloten"] and excluded["variant"] == "geen"
    assert pd.isna(excluded["nat_meerkosten_weq"]) and pd.isna(excluded["woningen"])  # (0/0), not 0
    assert pd.isna(by_code.loc["BU04840212", "nat_meerkosten_co2"])  # NaN
    assert (pbl["editie"] == 2020).all()
    assert (pbl["bron"] == "PBL Startanalyse (startanalyse-2020/LN)").all()
    assert list(pbl.columns) == [
        "buurtcode",
        "variant",
        "strategie_pbl",
        "variant_omschrijving",
        "nat_meerkosten_jaar",
        "nat_meerkosten_co2",
        "nat_meerkosten_weq",
        "woningen",
        "woningequivalenten",
        "uitgesloten",
        "editie",
        "bron",
    ]


def test_startanalyse_statisch_beside_hoofdindicatoren(tmp_path):
    ln = tmp_path / "Results" / "LN"
    ln.mkdir(parents=True)
    shutil.copy(PBL / "LN" / "Hoofdindicatoren.csv", ln / "Hoofdindicatoren.csv")
    shutil.copy(PBL / "Statisch.csv", ln / "statisch.csv")
    assert find_startanalyse(tmp_path) == tmp_path
    pbl = load_startanalyse(tmp_path, gemeente="GM0484")
    assert pbl.set_index("buurtcode").loc["BU04840211", "woningen"] == 812


def test_startanalyse_2025_edition_from_columns(tmp_path):
    text = (PBL / "LN" / "Hoofdindicatoren.csv").read_text(encoding="utf-8")
    text = text.replace("H10_Input_duurzaamgas", "H10_Input_KlimaatneutraalGas")
    (tmp_path / "LN").mkdir()
    (tmp_path / "LN" / "Hoofdindicatoren.csv").write_text(text, encoding="utf-8")
    with pytest.warns(SourceWarning, match="geen Statisch.csv"):
        pbl = load_startanalyse(tmp_path)
    row = pbl.set_index("buurtcode").loc["BU04840210"]
    assert row["variant_omschrijving"] == "S3e_B_TEO_15_15"
    assert pbl.set_index("buurtcode").loc["BU04840305", "strategie_pbl"] == "klimaatneutraal gas"
    assert pbl["woningen"].isna().all()


def test_startanalyse_flat_csv(tmp_path):
    flat = tmp_path / "startanalyse_gm0484.csv"
    flat.write_text(
        "'BU_CODE';'V01_Strategievariant';'H16_Nat_meerkost [Euro per yr]';"
        "'H17_Nat_meerkost_CO2 [ micro Euro per g]';'H18_Nat_meerkost_WEQ [Euro per Woning*yr]';"
        "'I09_aantal_woningen [Aansluiting]';'I11_woningequivalenten [Woning]';'I13_Uitgesloten'\n"
        "'BU04840210';'s5a';100;200;300;10;11;'False'\n",
        encoding="utf-8",
    )
    assert find_startanalyse(tmp_path) == flat
    pbl = load_startanalyse(flat)
    assert pbl["strategie_pbl"].tolist() == ["waterstof"]
    assert pbl["editie"].tolist() == [2020]  # s5 exists only in 2020
    assert pbl["bron"].tolist() == ["PBL Startanalyse (startanalyse_gm0484.csv)"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "'BU04840211';'s1b'",
            "'BU0484021';'s1b'",
            "veld 'BU_CODE': onjuist gevormde buurtcode: 'BU0484021'",
        ),
        (
            "'BU04840211';'s1b'",
            "'BU04840211';'s9z'",
            "veld 'V01_Strategievariant': onbekende strategievariant (verwacht een code van de "
            "Startanalyse 2020, bijv. s1a of s3e): 'BU04840211: s9z'",
        ),
        (
            ";98765.4;",
            ";veel;",
            "veld 'H16_Nat_meerkost': geen getal: 'BU04840211: veel'",
        ),
    ],
)
def test_startanalyse_bad_value_is_one_line(tmp_path, old, new, expected):
    root = tmp_path / "sa"
    shutil.copytree(PBL, root)
    main = _copy(
        PBL / "LN" / "Hoofdindicatoren.csv", root / "LN" / "Hoofdindicatoren.csv", old, new
    )
    with pytest.raises(ValidationError) as info:
        load_startanalyse(root)
    assert info.value.problems == [f"{main}, {expected}"]


def test_startanalyse_missing_column(tmp_path):
    root = tmp_path / "sa"
    shutil.copytree(PBL, root)
    main = _copy(
        PBL / "LN" / "Hoofdindicatoren.csv",
        root / "LN" / "Hoofdindicatoren.csv",
        "'H18_Nat_meerkost_WEQ [Euro per Woning*yr]'",
        "'Nat_meerkost_WEQ'",
    )
    with pytest.raises(ValidationError) as info:
        load_startanalyse(root)
    assert info.value.problems == [
        f"{main}, veld 'H18_…': verplichte kolom ontbreekt (nat_meerkosten_weq)"
    ]


def test_find_startanalyse(tmp_path):
    assert find_startanalyse(tmp_path) is None
    shutil.copytree(PBL, tmp_path / "pbl")
    assert find_startanalyse(tmp_path) == tmp_path / "pbl"


def test_epoline_ids_that_lost_their_leading_zeros_in_excel(tmp_path):
    # Dutch Excel turns "0484010000100003" into the number 484010000100003
    text = EP_CSV.read_text(encoding="utf-8").replace(";0484010000100003", ";484010000100003")
    assert "484010000100003" in text and ";0484010000100003" not in text
    path = tmp_path / "v20241101_v2_csv.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.warns(SourceWarning, match="zonder voorloopnullen"):
        labels = load_epoline(path)
    assert "0484010000100003" in set(labels["vbo_id"])
