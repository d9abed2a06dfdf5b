"""Every loader on a fixture in exactly the form a user downloads it (issue 8).

The fixtures are written inline, byte for byte as the publisher writes them: headers,
quoting, padding, separators, sentinels. Municipality GM9999 with the four buurten
of ``tests/conftest.py`` stands in for a real one.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from wijkplan.errors import ValidationError
from wijkplan.sources.boundaries import find_boundaries, load_boundaries
from wijkplan.sources.kerncijfers import is_kerncijfers_table, load_kerncijfers_table
from wijkplan.sources.leefbaarometer import (
    find_leefbaarometer,
    find_leefbaarometer_areas,
    load_leefbaarometer,
    load_leefbaarometer_areas,
)
from wijkplan.sources.police import is_police_table, load_police_table, police_yearly_totals
from wijkplan.sources.statline import read_statline
from wijkplan.sources.validate import ColumnsWarning, TextEncodingWarning

NAMES = {
    "noord-west": ["BU99990101"],
    "noord-oost": ["BU99990102"],
    "zuid-west": ["BU99990201"],
    "zuid-oost": ["BU99990202"],
    "noord": ["WK999901"],
    "zuid": ["WK999902"],
    "testdorp": ["GM9999"],
}

# ---------------------------------------------------------------------------- police 47018NED

#: The R/OData client form, as in the shipped real file (row number first, labels, padding).
POLICE_R = (
    '"","SoortMisdrijf","SoortMisdrijf_label","WijkenEnBuurten","WijkenEnBuurten_label",'
    '"Perioden","Perioden_Date","Perioden_freq","Perioden_label","GeregistreerdeMisdrijven_1",'
    '"Gemeentenaam_2","SoortRegio_3"\n'
    '"547","0.0.0 ","Totaal misdrijven","BU99990101","Noord-West","2023JJ00",2023-01-01,"Y",'
    '"2023",10,"Testdorp                      ","Buurt   "\n'
    '"548","0.0.0 ","Totaal misdrijven","BU99990102","Noord-Oost","2023JJ00",2023-01-01,"Y",'
    '"2023",2,"Testdorp                      ","Buurt   "\n'
    '"549","0.0.0 ","Totaal misdrijven","BU99990201","Zuid-West","2023JJ00",2023-01-01,"Y",'
    '"2023",0,"                              ","        "\n'
    '"550","0.0.0 ","Totaal misdrijven","BU99990202","Zuid-Oost","2023JJ00",2023-01-01,"Y",'
    '"2023",NA,"Testdorp                      ","Buurt   "\n'
)
#: The raw TypedDataSet download: semicolons, every text quoted, keys padded.
POLICE_TYPED = (
    '"ID";"SoortMisdrijf";"WijkenEnBuurten";"Perioden";"GeregistreerdeMisdrijven_1"\n'
    '0;"0.0.0 ";"GM9999    ";"2023JJ00";41\n'
    '1;"0.0.0 ";"BU99990101";"2023JJ00";12\n'
    '2;"1.1.1 ";"BU99990101";"2023JJ00";3\n'
    '3;"2.2.1 ";"BU99990101";"2023JJ00";6\n'
    '4;"0.0.0 ";"BU99990102";"2023JJ00";.\n'
)
#: The labelled download of the police portal: titles as headers, names instead of codes.
POLICE_LABELLED = (
    '"Soort misdrijf";"Wijken en buurten";"Perioden";"Geregistreerde misdrijven (aantal)"\n'
    '"Totaal misdrijven";"Testdorp";"2023";"41"\n'
    '"Totaal misdrijven";"Wijk 01 Noord";"2023";"20"\n'
    '"Totaal misdrijven";"Noord-West";"2023";"12"\n'
    '"Totaal misdrijven";"Noord-Oost";"2023*";"."\n'
    '"1.1.1 Diefstal/inbraak woning";"Noord-West";"2023";"3"\n'
)
POLICE_JSON = {
    "odata.metadata": "https://dataderden.cbs.nl/ODataApi/OData/47018NED/$metadata#Cbs.OData.WebAPI.TypedDataSet",
    "value": [
        {
            "ID": 7,
            "SoortMisdrijf": "0.0.0 ",
            "WijkenEnBuurten": "BU99990101",
            "Perioden": "2023JJ00",
            "GeregistreerdeMisdrijven_1": 12,
        },
        {
            "ID": 8,
            "SoortMisdrijf": "0.0.0 ",
            "WijkenEnBuurten": "BU99990102",
            "Perioden": "2023JJ00",
            "GeregistreerdeMisdrijven_1": None,
        },
    ],
}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "text", "noord_west"),
    [
        ("politie_47018NED_2023_GM9999.csv", POLICE_R, 10),
        ("47018NED_TypedDataSet_22112025_101010.csv", POLICE_TYPED, 12),
        ("Geregistreerde_misdrijven__soort_misd_02122026_120000.csv", POLICE_LABELLED, 12),
        ("47018NED.json", json.dumps(POLICE_JSON), 12),
    ],
    ids=["r-client", "typed", "labelled", "odata-json"],
)
def test_police_table_in_every_published_form(tmp_path, name, text, noord_west):
    table = read_statline(_write(tmp_path, name, text))
    assert is_police_table(table)
    long = load_police_table(table, names=NAMES)
    totals = police_yearly_totals(long, niveau="buurt", total=True).set_index("gebiedscode")
    assert totals.loc["BU99990101", "aantal"] == noord_west
    assert set(totals["jaar"]) == {2023}
    # a missing value ("NA", ".", null) is missing, never 0
    if "BU99990102" in totals.index and name != "politie_47018NED_2023_GM9999.csv":
        assert pd.isna(totals.loc["BU99990102", "aantal"])
    # a zero stays a zero
    if name.startswith("politie"):
        assert totals.loc["BU99990201", "aantal"] == 0 and pd.isna(
            totals.loc["BU99990202", "aantal"]
        )


def test_labelled_police_download_names_become_codes(tmp_path):
    long = load_police_table(_write(tmp_path, "x.csv", POLICE_LABELLED), names=NAMES)
    assert set(long["gebiedscode"]) == {"GM9999", "WK999901", "BU99990101", "BU99990102"}
    woning = long[(long["soort"] == "1.1.1") & (long["gebiedscode"] == "BU99990101")]
    assert woning["categorie"].tolist() == ["woninginbraak"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            POLICE_LABELLED.replace("Noord-Oost", "Oost-Indië"),
            "naam komt in geen buurt of wijk voor: 'Oost-Indië'",
        ),
        (POLICE_TYPED.replace('"2023JJ00";41', '"2023XX00";41'), "onbekende periode"),
        (POLICE_TYPED.replace(";41\n", ";veel\n"), "geen geheel aantal"),
        (
            POLICE_R.replace('"BU99990101","Noord-West"', '"BUURT1","Noord-West"'),
            "onbekende gebiedscode",
        ),
    ],
    ids=["unknown-name", "bad-period", "bad-count", "bad-code"],
)
def test_malformed_police_table_is_one_clear_line(tmp_path, text, message):
    with pytest.raises(ValidationError) as info:
        load_police_table(_write(tmp_path, "p.csv", text), names=NAMES)
    assert len(info.value.problems) == 1 and message in info.value.problems[0]
    assert str(tmp_path / "p.csv") in info.value.problems[0]


def test_ambiguous_name_is_named(tmp_path):
    names = {**NAMES, "noord-west": ["BU99990101", "BU99990202"]}
    with pytest.raises(
        ValidationError, match=r"naam is niet eenduidig \(BU99990101, BU99990202\): 'Noord-West'"
    ):
        load_police_table(_write(tmp_path, "p.csv", POLICE_LABELLED), names=names)


# ---------------------------------------------------------------------------- CBS 85984NED

KWB_R = (
    '"","nhood_id","population"\n"1","BU99990101",1205\n"2","BU99990102",0\n"3","BU99990201",5\n'
)
KWB_TYPED = (
    '"ID";"WijkenEnBuurten";"Gemeentenaam_1";"SoortRegio_2";"Codering_3";'
    '"IndelingswijzigingGemeenteWijkBuurt_4";"AantalInwoners_5";"Woningvoorraad_35";'
    '"InBezitWoningcorporatie_49";"GemiddeldAardgasverbruikTotaal_61"\n'
    '0;"GM9999    ";"Testdorp                                ";"Gemeente  ";"GM9999    ";"1";'
    "2000;900;30;1100\n"
    '1;"BU99990101";"Testdorp                                ";"Buurt     ";"BU99990101";"1";'
    "1205;520;41;.\n"
    '2;"BU99990102";"Testdorp                                ";"Buurt     ";"BU99990102";"1";'
    "0;0;.;.\n"
)
KWB_LABELLED = (
    '"Wijken en buurten";"Gemeentenaam";"Soort regio";"Aantal inwoners (aantal)";'
    '"Woningvoorraad (aantal)";"In bezit woningcorporatie (%)"\n'
    '"Noord-West";"Testdorp";"Buurt";"1205";"520";"41"\n'
    '"Noord-Oost";"Testdorp";"Buurt";"0";"0";"x"\n'
    '"Wijk 02 Zuid";"Testdorp";"Wijk";"795";"330";"."\n'
)
KWB_JSON = {
    "value": [
        {
            "ID": 1,
            "WijkenEnBuurten": "BU99990101",
            "AantalInwoners_5": 1205,
            "InBezitWoningcorporatie_49": 41.0,
        },
        {
            "ID": 2,
            "WijkenEnBuurten": "BU99990102",
            "AantalInwoners_5": 0,
            "InBezitWoningcorporatie_49": None,
        },
    ]
}


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("cbs_85984NED_2024_inwoners_buurten_GM9999.csv", KWB_R),
        ("85984NED_TypedDataSet_01122026_090000.csv", KWB_TYPED),
        ("Kerncijfers_wijken_en_buurten_2024_01122026.csv", KWB_LABELLED),
        ("85984NED.json", json.dumps(KWB_JSON)),
    ],
    ids=["r-client", "typed", "labelled", "odata-json"],
)
def test_kerncijfers_table_in_every_published_form(tmp_path, name, text):
    table = read_statline(_write(tmp_path, name, text))
    assert is_kerncijfers_table(table) and not is_police_table(table)
    figures = load_kerncijfers_table(table, names=NAMES, gemeente="GM9999").set_index("code")
    assert figures.loc["BU99990101", "aantal_inwoners"] == 1205
    assert figures.loc["BU99990102", "aantal_inwoners"] == 0  # a real zero stays a zero
    if "pct_corporatiebezit" in figures:
        assert figures.loc["BU99990101", "pct_corporatiebezit"] == 41
        reason = figures.loc["BU99990102", "kerncijfers_ontbreekt"]
        assert "pct_corporatiebezit: " in reason
        assert ("geheim" in reason) == (name.startswith("Kerncijfers"))  # 'x' is secret


def test_kerncijfers_keys_are_matched_by_name_not_suffix(tmp_path):
    """2023's table numbers its columns differently (85618NED): the name part decides."""
    text = KWB_TYPED.replace("AantalInwoners_5", "AantalInwoners_4").replace(
        "GemiddeldAardgasverbruikTotaal_61", "GemiddeldAardgasverbruikTotaal_56"
    )
    table = read_statline(_write(tmp_path, "85618NED_TypedDataSet.csv", text))
    figures = load_kerncijfers_table(table, names=NAMES).set_index("code")
    assert figures.loc["GM9999", "aantal_inwoners"] == 2000
    assert figures.loc["GM9999", "gemiddeld_gasverbruik"] == 1100


def test_malformed_kerncijfers_table_is_one_clear_line(tmp_path):
    path = _write(tmp_path, "k.csv", KWB_R.replace(",1205", ",veel"))
    with pytest.raises(ValidationError) as info:
        load_kerncijfers_table(read_statline(path), names=NAMES)
    (problem,) = info.value.problems
    assert problem == f"{path}, veld 'population': BU99990101: geen getal: 'veel'"


# ---------------------------------------------------------------------------- boundaries


def _pdok(tiny_buurten, tiny_wijken, *, other: bool) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Buurten and wijken with PDOK's column names and sentinels (2024 layout), one or two gemeenten."""
    b = tiny_buurten.assign(
        gemeentenaam="Testdorp",
        water="NEE",
        jrstatcode=["2024" + c for c in tiny_buurten["buurtcode"]],
        aantal_inwoners=[1205, 0, 795, -99997],
        bevolkingsdichtheid_inwoners_per_km2=[1205, 0, 795, -99997],
        perc_huurwoningen_in_bezit_woningcorporaties=[41, -99995, 12, -99995],
        oppervlakte_land_in_ha=[100, 100, 100, 100],
        percentage_bouwjaarklasse_tot_2000=[-99995] * 4,
    ).drop(columns="jaar")
    b["jaar"] = 2024
    w = tiny_wijken.assign(gemeentenaam="Testdorp", aantal_inwoners=[1205, 795])
    if other:
        b2 = b.assign(
            buurtcode=b["buurtcode"].str.replace("BU9999", "BU9998"),
            wijkcode=b["wijkcode"].str.replace("WK9999", "WK9998"),
            gemeentecode="GM9998",
            gemeentenaam="Anderdorp",
        )
        b2["geometry"] = b2.geometry.translate(5000, 0)
        w2 = w.assign(
            wijkcode=w["wijkcode"].str.replace("WK9999", "WK9998"),
            gemeentecode="GM9998",
            gemeentenaam="Anderdorp",
        )
        w2["geometry"] = w2.geometry.translate(5000, 0)
        b, w = pd.concat([b, b2], ignore_index=True), pd.concat([w, w2], ignore_index=True)
    return gpd.GeoDataFrame(b, crs=28992), gpd.GeoDataFrame(w, crs=28992)


@pytest.fixture
def pdok_gpkg(tmp_path, tiny_buurten, tiny_wijken) -> Path:
    """``wijkenbuurten_2024_v1.gpkg`` as PDOK publishes it: layers gemeenten, wijken, buurten."""
    data = tmp_path / "pdok"
    data.mkdir()
    b, w = _pdok(tiny_buurten, tiny_wijken, other=True)
    path = data / "wijkenbuurten_2024_v1.gpkg"
    g = w.dissolve(by="gemeentecode", as_index=False)[["gemeentecode", "gemeentenaam", "geometry"]]
    for layer, frame in (("gemeenten", g), ("wijken", w), ("buurten", b)):
        frame.to_file(path, layer=layer, driver="GPKG")
    return data


def test_pdok_geopackage_with_two_municipalities(pdok_gpkg):
    found = find_boundaries(pdok_gpkg)
    assert (found["buurt"].layer, found["wijk"].layer) == ("buurten", "wijken")
    with pytest.raises(ValidationError) as info:
        load_boundaries(pdok_gpkg)
    (problem,) = info.value.problems
    assert "het bestand bevat 2 gemeenten; kies er één met --gemeente" in problem
    assert "GM9998 Anderdorp" in problem
    buurten, wijken, _ = load_boundaries(pdok_gpkg, gemeente="gm9999")
    assert set(buurten["gemeentecode"]) == {"GM9999"} and len(buurten) == 4 and len(wijken) == 2
    b = buurten.set_index("buurtcode")
    assert b.loc["BU99990101", "aantal_inwoners"] == 1205
    assert b.loc["BU99990101", "bevolkingsdichtheid_per_km2"] == 1205
    assert pd.isna(b.loc["BU99990202", "aantal_inwoners"])  # -99997: secret, not a number
    assert "aantal_inwoners: geheim" in b.loc["BU99990202", "kerncijfers_ontbreekt"]
    assert "pct_corporatiebezit: niet beschikbaar" in b.loc["BU99990102", "kerncijfers_ontbreekt"]
    assert "percentage_bouwjaarklasse_tot_2000" not in buurten  # not a declared figure
    assert b.loc["BU99990101", "jaar"] == 2024
    with pytest.raises(ValidationError, match="gemeente GM0484 komt niet voor"):
        load_boundaries(pdok_gpkg, gemeente="GM0484")


def test_cbs_shapefiles_with_their_own_names(tmp_path, tiny_buurten, tiny_wijken):
    data = tmp_path / "shp"
    data.mkdir()
    b = tiny_buurten.rename(
        columns={
            "buurtcode": "BU_CODE",
            "buurtnaam": "BU_NAAM",
            "wijkcode": "WK_CODE",
            "gemeentecode": "GM_CODE",
        }
    ).drop(columns="jaar")
    b = b.assign(
        GM_NAAM="Testdorp",
        JRSTATCODE=["2023" + c for c in tiny_buurten["buurtcode"]],
        AANT_INW=[5, 10, 15, 20],
    )
    w = tiny_wijken.rename(
        columns={"wijkcode": "WK_CODE", "wijknaam": "WK_NAAM", "gemeentecode": "GM_CODE"}
    ).drop(columns=["jaar", "aantal_inwoners", "woningvoorraad"])
    w = w.assign(JRSTATCODE=["2023" + c for c in tiny_wijken["wijkcode"]])
    b.to_file(data / "buurt_2023_v1.shp")
    w.to_file(data / "wijk_2023_v1.shp")
    buurten, wijken, sources = load_boundaries(data)
    assert sources["buurt"].path.name == "buurt_2023_v1.shp"
    assert list(buurten["buurtnaam"]) == list(tiny_buurten["buurtnaam"])
    assert set(buurten["jaar"]) == {2023} and list(buurten["aantal_inwoners"]) == [5, 10, 15, 20]
    assert set(wijken["wijknaam"]) == {"Noord", "Zuid"}


def test_generalised_cartographic_form(tmp_path, tiny_buurten, tiny_wijken):
    """PDOK's cbsgebiedsindelingen: statcode/statnaam only; wijk and gemeente follow from the code."""
    data = tmp_path / "gen"
    data.mkdir()
    path = data / "cbsgebiedsindelingen2024.gpkg"
    b = tiny_buurten[["buurtcode", "buurtnaam", "geometry"]].rename(
        columns={"buurtcode": "statcode", "buurtnaam": "statnaam"}
    )
    b["jrstatcode"] = "2024" + b["statcode"]
    w = tiny_wijken[["wijkcode", "wijknaam", "geometry"]].rename(
        columns={"wijkcode": "statcode", "wijknaam": "statnaam"}
    )
    w["jrstatcode"] = "2024" + w["statcode"]
    for layer, frame in (("buurt_gegeneraliseerd", b), ("wijk_gegeneraliseerd", w)):
        frame.to_file(path, layer=layer, driver="GPKG")
    buurten, wijken, _ = load_boundaries(data)
    assert list(buurten["wijkcode"]) == ["WK999901", "WK999901", "WK999902", "WK999902"]
    assert set(buurten["gemeentecode"]) == {"GM9999"} and set(wijken["wijknaam"]) == {
        "Noord",
        "Zuid",
    }


def test_malformed_pdok_code_is_one_line(pdok_gpkg):
    path = pdok_gpkg / "wijkenbuurten_2024_v1.gpkg"
    b = gpd.read_file(path, layer="buurten")
    b.loc[0, "buurtcode"] = "BU9999"
    b.to_file(path, layer="buurten", driver="GPKG")
    with pytest.raises(ValidationError) as info:
        load_boundaries(pdok_gpkg, gemeente="GM9999")
    assert any("onjuist gevormde code: 'BU9999'" in p for p in info.value.problems)


# ---------------------------------------------------------------------------- Leefbaarometer

LBM_BUURTEN = (
    "bu_code,bu_naam,jaar,lbm,afw,fys,onv,soc,vrz,won,kscore\n"
    "BU99990101,Noord-West,2022,4.1021,0.0701,0.0102,-0.0203,0.0311,0.0401,0.0090,7\n"
    "BU99990101,Noord-West,2024,4.1532,0.1072,0.0143,-0.0101,0.0400,0.0522,0.0108,7\n"
    "BU99990102,Noord-Oost,2024,NA,NA,NA,NA,NA,NA,NA,\n"
)


def test_leefbaarometer_buurt_file_as_published(tmp_path):
    path = _write(tmp_path, "Leefbaarometer-scores buurten 2002-2024.csv", LBM_BUURTEN)
    with pytest.warns(ColumnsWarning, match="kscore"):  # reported, not refused
        scores = load_leefbaarometer_areas(path)
    latest = scores[scores["jaar"] == 2024].set_index("buurtcode")
    assert latest.loc["BU99990101", "afw"] == pytest.approx(0.1072)
    assert latest.loc["BU99990102", ["lbm", "afw"]].isna().all()  # NA is missing


def test_leefbaarometer_grid_file_with_extra_column_and_na(tmp_path):
    text = (
        "grid_id,jaar,lbm,afw,fys,onv,soc,vrz,won,opmerking\n"
        "E1000N4500,2024,4.1,0.1,0.0,0.0,0.0,0.0,0.1,x\n"
        "E1001N4500,2024,NA,NA,NA,NA,NA,NA,NA,\n"
    )
    with pytest.warns(ColumnsWarning, match="opmerking"):
        scores = load_leefbaarometer(
            _write(tmp_path, "Leefbaarometer-scores grids 2002-2024.csv", text)
        )
    assert scores["lbm"].isna().tolist() == [False, True]


def test_leefbaarometer_buurt_file_resaved_by_dutch_excel(tmp_path):
    # Excel (nl-NL) writes ';', a decimal comma and Windows-1252 ('é' in a buurt name)
    text = (
        "bu_code;bu_naam;jaar;lbm;afw;fys;onv;soc;vrz;won\n"
        "BU99990101;Café-buurt;2024;4,1532;0,1072;0,0143;-0,0101;0,04;0,0522;0,0108\n"
    )
    path = tmp_path / "Leefbaarometer-scores buurten 2002-2024.csv"
    path.write_bytes(text.encode("cp1252"))
    with pytest.warns(TextEncodingWarning, match="geen UTF-8; gelezen als cp1252"):
        scores = load_leefbaarometer_areas(path)
    assert scores.loc[0, "afw"] == pytest.approx(0.1072)


def test_lower_case_buurt_file_is_never_taken_for_the_grid_file(tmp_path):
    grid = _write(tmp_path, "leefbaarometer_2024.csv", "grid_id,jaar,lbm\n")
    buurten = _write(tmp_path, "leefbaarometer-scores buurten 2002-2024.csv", LBM_BUURTEN)
    assert find_leefbaarometer(tmp_path)[0] == grid
    assert find_leefbaarometer_areas(tmp_path) == buurten
