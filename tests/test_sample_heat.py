"""Sample inputs of the heat transition: CBS housing figures, BAG, EP-Online labels, water.

Each is written in its real published form; these tests read them back as published
(StatLine table, GeoPackage layers, the EP-Online header of real-formats.md §6a) and check
that the sample is deterministic, adds up, is marked, and never replaces a real file.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from tests.conftest import BUNDLED
from wijkplan.sample import write_sample_data
from wijkplan.sample.bag import GPKG_NAME as BAG_NAME
from wijkplan.sample.bag import sample_bag
from wijkplan.sample.eponline import CLASSES, CSV_NAME, sample_eponline, write_eponline_csv
from wijkplan.sample.water import sample_oppervlaktewater
from wijkplan.sample.woningen import (
    kerncijfers_per_buurt,
    kwb_file_name,
    sample_kwb_woningen,
    woningprofiel,
    write_kwb_csv,
)
from wijkplan.settings import is_sample
from wijkplan.sources import load_buurten, load_wijken
from wijkplan.sources.kerncijfers import is_kerncijfers_table, load_kerncijfers_table
from wijkplan.sources.statline import read_statline

#: The bulk file's header as real-formats.md §6a quotes it (two independent sources).
EP_HEADER_LINE = (
    "Pand_opnamedatum;Pand_opnametype;Pand_status;Pand_berekeningstype;Pand_energieindex;"
    "Pand_energieklasse;Pand_energielabel_is_prive;Pand_is_op_basis_van_referentie_gebouw;"
    "Pand_gebouwklasse;Meting_geldig_tot;Pand_registratiedatum;Pand_postcode;Pand_huisnummer;"
    "Pand_huisnummer_toev;Pand_detailaanduiding;Pand_bagverblijfsobjectid;Pand_bagligplaatsid;"
    "Pand_bagstandplaatsid;Pand_bagpandid;Pand_gebouwtype;Pand_gebouwsubtype;Pand_projectnaam;"
    "Pand_projectobject;Pand_SBIcode;Pand_gebruiksoppervlakte;Pand_energiebehoefte;"
    "Pand_eis_energiebehoefte;Pand_primaire_fossiele_energie;Pand_eis_primaire_fossiele_energie;"
    "Pand_primaire_fossiele_energie_EMG_forfaitair;Pand_aandeel_hernieuwbare_energie;"
    "Pand_eis_aandeel_hernieuwbare_energie;Pand_aandeel_hernieuwbare_energie_EMG_forfaitair;"
    "Pand_temperatuuroverschrijding;Pand_eis_temperatuuroverschrijding;Pand_warmtebehoefte;"
    "Pand_energieindex_met_EMG_forfaitair"
)
KWB_KEYS = (
    "Woningvoorraad_35",
    "PercentageEengezinswoning_40",
    "PercentageMeergezinswoning_45",
    "InBezitWoningcorporatie_49",
    "BouwjaarMeerDanTienJaarGeleden_51",
    "BouwjaarAfgelopenTienJaar_52",
    "GemiddeldAardgasverbruikTotaal_61",
    "PercentageWoningenMetStadsverwarming_69",
)
HEAT_SOURCES = ("oppervlaktewater", "cbs-woningen", "bag", "ep-online")


@pytest.fixture(scope="module")
def alphen() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.Series]:
    """The bundled real boundaries of GM0484 and the real inhabitants per buurt."""
    wijken = load_wijken(BUNDLED / "wijken.geojson")
    buurten = load_buurten(BUNDLED / "buurten.geojson", wijken=wijken)
    real, _ = kerncijfers_per_buurt(BUNDLED, buurten)
    return buurten, wijken, real["aantal_inwoners"]


def _subset(alphen, wijkcodes: tuple[str, ...]):
    buurten, wijken, inwoners = alphen
    b = buurten[buurten["wijkcode"].isin(wijkcodes)].reset_index(drop=True)
    w = wijken[wijken["wijkcode"].isin(wijkcodes)].reset_index(drop=True)
    return b, w, inwoners


# ---------------------------------------------------------------------------- CBS figures


def test_housing_stock_adds_up_to_the_real_wijk_totals_and_follows_the_town(alphen):
    buurten, wijken, inwoners = alphen
    assert inwoners.notna().all()  # the bundled real inhabitants are found
    profiel = woningprofiel(buurten, wijken, inwoners=inwoners)
    again = woningprofiel(buurten, wijken, inwoners=inwoners)
    pd.testing.assert_frame_equal(profiel, again)
    per_wijk = profiel.groupby("wijkcode")["woningen"].sum()
    real = wijken.set_index("wijkcode")["woningvoorraad"].astype(int)
    assert (per_wijk.reindex(real.index) - real).abs().max() <= 5  # CBS: exact, here too
    assert int(profiel["woningen"].sum()) == int(real.sum())
    # no homes where nobody lives (BU04840812, a business park with 0 inhabitants)
    codes = profiel.set_index("buurtcode")
    assert codes.loc["BU04840812", "woningen"] == 0
    # high-rise and corporation homes in the Planetenbuurt and Edelstenenbuurt, not in villages
    dense = codes.loc[["BU04840210", "BU04840211", "BU04840306"]]
    villages = codes[codes["dorp"] & ~codes["landelijk"]]
    assert (dense["meergezins"] >= 0.6).all() and villages["meergezins"].max() < 0.4
    assert dense["corporatie"].min() > villages["corporatie"].max()
    rural = codes["landelijk"] & (codes["nieuw"] < 0.5)  # detached, old and new, gas-heavy
    assert dense["gas_m3"].max() < codes.loc[rural, "gas_m3"].min()
    # about a quarter of the stock with corporations (the complexen sample uses 24 %)
    share = (profiel["corporatie"] * profiel["woningen"]).sum() / profiel["woningen"].sum()
    assert 0.2 < share < 0.3
    # Kerk en Zanen is younger than the old centre on the Oude Rijn (Hoge Zijde)
    assert codes.loc["BU04840802", "bouwjaar"] > codes.loc["BU04840501", "bouwjaar"] + 30


def test_cbs_file_is_a_2024_kerncijfers_table_in_the_typeddataset_form(alphen, tmp_path):
    buurten, wijken, inwoners = alphen
    profiel = woningprofiel(buurten, wijken, inwoners=inwoners)
    frame = sample_kwb_woningen(profiel, buurten)
    path = tmp_path / kwb_file_name("GM0484")
    write_kwb_csv(frame, path)
    write_kwb_csv(sample_kwb_woningen(profiel, buurten), tmp_path / "again.csv")
    assert path.read_bytes() == (tmp_path / "again.csv").read_bytes()

    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    assert all(line.startswith('"') and line.endswith('"') for line in text.splitlines())
    header, body = rows[0], rows[1:]
    listing = (BUNDLED / "cbs_85984NED_2024_kolommen.txt").read_text(encoding="utf-8")
    published = {line.split(" | ")[0] for line in listing.splitlines()} | {"ID"}
    assert header[:5] == ["ID", "WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2", "Codering_3"]
    assert set(KWB_KEYS) <= set(header) and header[-1] == "bron"
    assert set(header[:-1]) <= published  # real keys, real 2024 numbering
    assert len(body) == len(buurten)
    assert all(len(r[1]) == 10 and r[3] == "Buurt     " for r in body)

    table = read_statline(path)
    assert is_kerncijfers_table(table)
    figures = load_kerncijfers_table(table, names={}, gemeente="GM0484").set_index("code")
    assert {"woningvoorraad", "pct_corporatiebezit", "gemiddeld_gasverbruik"} <= set(figures)
    assert figures["woningvoorraad"].sum() == wijken["woningvoorraad"].sum()
    assert table.frame["bron"].map(is_sample).all()
    # small buurten are secret, as CBS does: "." and a reason, never a number
    small = figures["woningvoorraad"] < 50
    assert small.any() and figures.loc[small, "gemiddeld_gasverbruik"].isna().all()
    assert figures.loc[small, "kerncijfers_ontbreekt"].str.contains("gemiddeld_gasverbruik").all()
    shares = figures.loc[figures["woningvoorraad"] >= 10]
    total = shares["pct_eengezinswoning"] + shares["pct_meergezinswoning"]
    assert (total == 100).all()


# ---------------------------------------------------------------------------- BAG and labels


def test_bag_and_labels_are_deterministic_and_consistent(alphen):
    buurten, wijken, inwoners = _subset(alphen, ("WK048402", "WK048409"))  # Ridderveld, Rietveld
    profiel = woningprofiel(buurten, wijken, inwoners=inwoners)
    water = sample_oppervlaktewater(buurten).geometry
    panden, vbos = sample_bag(buurten, profiel, water=water)
    panden2, vbos2 = sample_bag(buurten, profiel, water=water)
    pd.testing.assert_frame_equal(panden, panden2)
    pd.testing.assert_frame_equal(vbos, vbos2)
    assert panden.crs.to_epsg() == 28992 and vbos.crs.to_epsg() == 28992
    assert panden["bron"].map(is_sample).all() and vbos["bron"].map(is_sample).all()

    # ids in the BAG form, every verblijfsobject in a pand, every pand inside its buurt
    assert panden["identificatie"].str.fullmatch(r"0484100000\d{6}").all()
    assert vbos["identificatie"].str.fullmatch(r"0484010000\d{6}").all()
    assert panden["identificatie"].is_unique and vbos["identificatie"].is_unique
    assert vbos["pand_identificatie"].isin(panden["identificatie"]).all()
    inside = gpd.sjoin(
        panden.set_geometry(panden.representative_point()),
        buurten[["buurtcode", "geometry"]],
        predicate="within",
    )
    assert len(inside) == len(panden) and (inside["_buurtcode"] == inside["buurtcode"]).all()
    tree = shapely.STRtree(panden.geometry.to_numpy())
    left, right = tree.query(panden.geometry.to_numpy(), predicate="overlaps")
    assert not (left != right).any()  # footprints touch, never overlap
    assert not panden.intersects(shapely.union_all(water.to_numpy())).any()

    # dwellings per buurt = the sample stock; flats are few panden with many homes
    woon = panden[panden["gebruiksdoel"] == "woonfunctie"]
    per_buurt = woon.groupby("_buurtcode")["aantal_verblijfsobjecten"].sum()
    stock = profiel.set_index("buurtcode")["woningen"]
    assert per_buurt.reindex(stock.index, fill_value=0).equals(stock.astype("int64"))
    assert (vbos["gebruiksdoel"] == "woonfunctie").sum() == stock.sum()
    planeten = woon[woon["_buurtcode"] == "BU04840210"]
    assert planeten["aantal_verblijfsobjecten"].max() >= 40
    assert (planeten["aantal_verblijfsobjecten"] > 1).sum() < 0.3 * len(planeten)
    # bouwjaar from the profile: Ridderveld 1960s-70s, Rietveld new
    years = vbos[vbos["gebruiksdoel"] == "woonfunctie"].groupby("_buurtcode")["bouwjaar"]
    assert 1960 <= years.median()["BU04840210"] <= 1980
    assert years.min()["BU04840901"] >= 2014
    # no address twice
    assert not vbos.duplicated(["postcode", "huisnummer", "huisletter"]).any()
    assert vbos["postcode"].str.fullmatch(r"\d{4}[A-Z]{2}").all()

    labels = sample_eponline(vbos, "GM0484")
    pd.testing.assert_frame_equal(labels, sample_eponline(vbos, "GM0484"))
    assert labels["Pand_energieklasse"].isin(CLASSES).all()
    assert labels["Pand_bagverblijfsobjectid"].isin(vbos["identificatie"]).all()
    pairs = vbos.set_index("identificatie")["pand_identificatie"]
    assert (labels["Pand_bagpandid"] == labels["Pand_bagverblijfsobjectid"].map(pairs)).all()
    dwelling = labels["Pand_gebouwklasse"] == "W"
    woon_ids = set(vbos.loc[vbos["gebruiksdoel"] == "woonfunctie", "identificatie"])
    assert labels.loc[dwelling, "Pand_bagverblijfsobjectid"].isin(woon_ids).all()
    covered = labels.loc[dwelling, "Pand_bagverblijfsobjectid"].nunique() / len(woon_ids)
    assert 0.55 < covered < 0.75
    for col in ("Pand_opnamedatum", "Pand_registratiedatum", "Meting_geldig_tot"):
        assert labels[col].str.fullmatch(r"(19|20)\d{6}").all()
    assert labels["bron"].map(is_sample).all()


@pytest.mark.slow
def test_bag_and_labels_for_the_whole_municipality(alphen, tmp_path):
    """About 50,000 dwellings in a few seconds; the real file forms written and read back."""
    buurten, wijken, inwoners = alphen
    profiel = woningprofiel(buurten, wijken, inwoners=inwoners)
    panden, vbos = sample_bag(buurten, profiel, water=sample_oppervlaktewater(buurten).geometry)
    woon = vbos["gebruiksdoel"] == "woonfunctie"
    assert woon.sum() == wijken["woningvoorraad"].sum()
    assert 25_000 < len(panden) < 60_000
    labels = sample_eponline(vbos, "GM0484")
    status = labels["Pand_status"].value_counts()
    assert {"Bestaand", "Oplevering", "Vergunningsaanvraag"} <= set(status.index)
    existing = labels[labels["Pand_status"] != "Vergunningsaanvraag"]
    assert existing["Pand_bagverblijfsobjectid"].duplicated().sum() > 100  # older + newer label
    # older buildings, worse labels: median class index by building period
    merged = existing.merge(
        vbos[["identificatie", "bouwjaar"]],
        left_on="Pand_bagverblijfsobjectid",
        right_on="identificatie",
    )
    index = merged["Pand_energieklasse"].map(CLASSES.index)
    assert (
        index[merged["bouwjaar"] < 1945].median() > index[merged["bouwjaar"] >= 2015].median() + 3
    )

    path = tmp_path / CSV_NAME
    write_eponline_csv(labels, path)
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == EP_HEADER_LINE + ";bron"
    back = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    assert len(back) == len(labels) and back["Pand_bagverblijfsobjectid"].str.len().eq(16).all()


# ---------------------------------------------------------------------------- water


def test_water_for_alphen_is_the_oude_rijn_and_the_gouwe_marked_schematic(alphen):
    buurten, _, _ = alphen
    water = sample_oppervlaktewater(buurten)
    assert list(water["naam"]) == ["Oude Rijn (schematisch)", "Gouwe (schematisch)"]
    assert water["schematisch"].all() and water["bron"].map(is_sample).all()
    assert water["watertype"].str.contains("schematisch").all()
    assert shapely.box(*buurten.total_bounds).buffer(1).contains(shapely.union_all(water.geometry))
    rijn = water.geometry.iloc[0]
    by_code = buurten.set_index("buurtcode").geometry
    # through the centre (close to the Planetenbuurt, its aquathermal source) to Koudekerk
    assert rijn.distance(by_code["BU04840211"]) < 300
    assert rijn.intersects(by_code["BU04849602"].union(by_code["BU04849603"]))
    assert water.geometry.iloc[1].intersects(by_code["BU04847005"].union(by_code["BU04847006"]))
    assert 35 < rijn.area / (rijn.length / 2) < 45  # about 40 m wide


def test_water_elsewhere_is_one_schematic_band(buurten):
    water = sample_oppervlaktewater(buurten)  # GM0484 codes, but 200 m squares far from Alphen
    assert list(water["naam"]) == ["schematisch water"] and water["schematisch"].all()
    assert "schematisch" in water["watertype"].iloc[0]
    assert shapely.box(*buurten.total_bounds).buffer(1).contains(water.geometry.iloc[0])


# ---------------------------------------------------------------------------- write_sample_data


def _sample_files(data: Path) -> dict[str, Path]:
    return {
        "oppervlaktewater": data / "oppervlaktewater.gpkg",
        "cbs-woningen": data / kwb_file_name("GM9999"),
        "bag": data / BAG_NAME,
        "ep-online": data / CSV_NAME,
    }


def test_any_municipality_gets_every_heat_source_marked_and_adding_up(write_boundaries):
    data = write_boundaries()
    results = {r.source: r for r in write_sample_data(data)}
    files = _sample_files(data)
    for name in HEAT_SOURCES:
        assert results[name].action == "geschreven" and results[name].path == files[name]

    table = read_statline(files["cbs-woningen"])
    assert is_kerncijfers_table(table) and table.frame["bron"].map(is_sample).all()
    figures = load_kerncijfers_table(table, names={}, gemeente="GM9999").set_index("code")
    assert figures.loc[["BU99990101", "BU99990102"], "woningvoorraad"].sum() == 500
    assert figures.loc[["BU99990201", "BU99990202"], "woningvoorraad"].sum() == 350

    layers = {str(name) for name, _ in pyogrio.list_layers(files["bag"])}
    assert layers == {"pand", "verblijfsobject"}
    for layer in layers:  # as bag-light.gpkg: geometry column "geom", RD New
        info = pyogrio.read_info(files["bag"], layer=layer)
        assert info["geometry_name"] == "geom" and info["crs"] == "EPSG:28992"
    panden = gpd.read_file(files["bag"], layer="pand")
    vbos = gpd.read_file(files["bag"], layer="verblijfsobject")
    assert not any(c.startswith("_") for c in (*panden.columns, *vbos.columns))
    assert panden["bron"].map(is_sample).all() and vbos["bron"].map(is_sample).all()
    assert panden["identificatie"].str.fullmatch(r"9999100000\d{6}").all()
    in_buurt = gpd.sjoin(
        vbos[vbos["gebruiksdoel"] == "woonfunctie"],
        gpd.read_file(data / "buurten.geojson")[["buurtcode", "geometry"]],
        predicate="within",
    )
    counts = in_buurt.groupby("buurtcode").size()
    assert counts.to_dict() == figures["woningvoorraad"].astype(int).to_dict()

    labels = pd.read_csv(files["ep-online"], sep=";", dtype=str, keep_default_na=False)
    assert ";".join(labels.columns) == EP_HEADER_LINE + ";bron"
    assert labels["bron"].map(is_sample).all()
    assert labels["Pand_energieklasse"].isin(CLASSES).all()
    assert set(labels["Pand_gebouwklasse"]) <= {"W", "U"}
    assert labels["Pand_bagverblijfsobjectid"].isin(vbos["identificatie"]).all()

    water = gpd.read_file(files["oppervlaktewater"], layer="oppervlaktewater")
    assert water["bron"].map(is_sample).all() and water["schematisch"].all()

    before = {name: files[name].read_bytes() for name in ("cbs-woningen", "ep-online")}
    again = {r.source: r for r in write_sample_data(data)}
    assert all(again[name].action == "vernieuwd" for name in HEAT_SOURCES)
    assert all(files[name].read_bytes() == before[name] for name in before)  # deterministic
    panden2 = gpd.read_file(files["bag"], layer="pand")
    pd.testing.assert_frame_equal(panden, panden2)


def _real_kwb(path: Path) -> None:
    """A real-looking 85984NED TypedDataSet extract with a dwelling stock per buurt."""
    path.write_text(
        '"ID";"WijkenEnBuurten";"SoortRegio_2";"Woningvoorraad_35"\n'
        '1;"BU99990101";"Buurt     ";300\n2;"BU99990102";"Buurt     ";200\n'
        '3;"BU99990201";"Buurt     ";100\n4;"BU99990202";"Buurt     ";250\n',
        encoding="utf-8",
    )


def _real_water(path: Path) -> None:
    gpd.GeoDataFrame(
        {"naam": ["Vaart"], "watertype": ["kanaal"]},
        geometry=[shapely.box(100_500, 449_950, 101_500, 450_050)],
        crs="EPSG:28992",
    ).to_file(path)


def _real_bag(path: Path) -> None:
    gpd.GeoDataFrame(
        {"identificatie": ["0484100000000001"], "bouwjaar": [1970], "status": ["Pand in gebruik"]},
        geometry=[shapely.box(100_100, 450_100, 100_110, 450_110)],
        crs="EPSG:28992",
    ).to_file(path, layer="pand")


def _real_bgt_water(path: Path) -> None:
    gpd.GeoDataFrame(
        {"class": ["waterloop"]},
        geometry=[shapely.box(100_500, 449_950, 101_500, 450_050)],
        crs="EPSG:28992",
    ).to_file(path, layer="waterdeel")


def _real_eponline(path: Path) -> None:
    row = ["20230101", "Basisopname", "Bestaand", "NTA 8800", "", "C"] + [""] * 31
    text = EP_HEADER_LINE + "\n" + ";".join(row) + "\n"
    if path.suffix == ".zip":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr(path.with_suffix(".csv").name, text)
    else:
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("source", "name", "make"),
    [
        ("cbs-woningen", "voorbeelddata_cbs_85984NED_2024_woningen_buurten_GM9999.csv", _real_kwb),
        ("cbs-woningen", "85984NED_TypedDataSet_01112024_120000.csv", _real_kwb),
        ("oppervlaktewater", "oppervlaktewater.geojson", _real_water),
        ("oppervlaktewater", "bgt_waterdeel.gpkg", _real_bgt_water),
        ("bag", "bag-light.gpkg", _real_bag),
        ("bag", "bag_gemeente_extract.gpkg", _real_bag),
        ("ep-online", "v20240901_v2_csv.csv", _real_eponline),
        ("ep-online", "v20240901_v2_csv.zip", _real_eponline),
        ("ep-online", "energielabels_gemeente.csv", _real_eponline),
    ],
    ids=[
        "kwb-our-name",
        "kwb-other-table",
        "water",
        "water-bgt",
        "bag",
        "bag-other-name",
        "ep-online",
        "ep-online-zip",
        "ep-online-other-name",
    ],
)
def test_never_overwrites_a_real_file(write_boundaries, source, name, make):
    data = write_boundaries()
    real = data / name
    make(real)
    before = real.read_bytes()
    results = {r.source: r for r in write_sample_data(data)}
    assert results[source].action.startswith("overgeslagen"), results[source]
    assert real.read_bytes() == before
    ours = _sample_files(data)[source]
    assert ours == real or not ours.exists()
    if source == "bag":  # labels belong to the sample BAG: none for a real one
        assert results["ep-online"].action.startswith("overgeslagen")
        assert not (data / CSV_NAME).exists()
    if name.startswith("85984NED"):  # the real stock per buurt drives the sample BAG
        vbos = gpd.read_file(data / BAG_NAME, layer="verblijfsobject")
        assert (vbos["gebruiksdoel"] == "woonfunctie").sum() == 850


def test_a_real_stock_in_the_boundaries_is_used_not_replaced(write_boundaries, tiny_buurten):
    data = write_boundaries(tiny_buurten.assign(woningvoorraad=[300, 200, 100, 250]))
    results = {r.source: r for r in write_sample_data(data)}
    assert results["cbs-woningen"].action == (
        "overgeslagen: echte woningcijfers per buurt in de buurtgrenzen"
    )
    assert not (data / kwb_file_name("GM9999")).exists()
    vbos = gpd.read_file(data / BAG_NAME, layer="verblijfsobject")
    homes = vbos[vbos["gebruiksdoel"] == "woonfunctie"]
    assert len(homes) == 850 and homes["bron"].map(is_sample).all()


def test_a_stale_sample_gives_way_to_real_data(write_boundaries):
    """Our own earlier sample files are removed where they would compete with real data."""
    data = write_boundaries()
    write_sample_data(data)
    files = _sample_files(data)
    old_labels = data / "v20240101_v2_csv.csv"
    files["ep-online"].rename(old_labels)  # a sample of an earlier month
    _real_kwb(data / "85984NED_TypedDataSet_01112024_120000.csv")
    results = {r.source: r for r in write_sample_data(data)}
    assert results["cbs-woningen"].action.startswith("verwijderd")
    assert not files["cbs-woningen"].exists()
    assert not old_labels.exists() and files["ep-online"].exists()  # one label file per folder


def test_stock_without_wijk_figures_or_inhabitants_follows_area(tiny_buurten):
    profiel = woningprofiel(tiny_buurten, None)
    assert (profiel["woningen"] > 0).all()
    assert profiel["woningen"].nunique() == 1  # four equal squares
    again = sample_kwb_woningen(profiel, tiny_buurten)
    assert again["bron"].map(is_sample).all()
    assert np.array_equal(
        again["Woningvoorraad_35"].astype(int).to_numpy(), profiel["woningen"].to_numpy()
    )
    assert re.fullmatch(r"GM9999 {34}", again["Gemeentenaam_1"].iloc[0])
