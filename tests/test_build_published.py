"""Builds from files in their published form (issue 8 acceptance).

- the shipped real figures: crime 2023 and inhabitants 2024 per buurt, used and labelled "echt";
- a PDOK-form GeoPackage with two municipalities: one chosen with ``--gemeente``, else one line;
- StatLine tables found by their columns, whatever their file names;
- a malformed published file: one line, exit 2, no traceback, the earlier GeoPackage untouched.
"""

from __future__ import annotations

import json
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest

from tests.conftest import REPO
from tests.sources.test_published_forms import KWB_LABELLED, POLICE_LABELLED, POLICE_TYPED, _pdok
from wijkplan import read
from wijkplan.build import build_layers
from wijkplan.cli import main

REAL_CRIME = REPO / "data" / "geo" / "politie_47018NED_2023_GM0484.csv"
REAL_INHABITANTS = REPO / "data" / "geo" / "cbs_85984NED_2024_inwoners_buurten_GM0484.csv"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wijkplan.cli", *args], capture_output=True, text=True, cwd=REPO
    )


def test_shipped_build_uses_real_crime_and_inhabitants(built_layers):
    report = read.read_report(built_layers)
    crime = report.source("misdrijven")
    assert crime is not None and crime.kind == "echt" and "47018NED" in (crime.label or "")
    # the real inhabitants table (beside it: the sample housing figures, marked as such)
    kinds = {s.kind: s for s in report.sources if s.name == "kerncijfers"}
    figures = kinds.get("echt")
    assert figures is not None and "85984NED" in (figures.label or "")
    assert "voorbeelddata" in (kinds["voorbeelddata"].label or "")
    published = pd.read_csv(REAL_CRIME).set_index("WijkenEnBuurten")["GeregistreerdeMisdrijven_1"]
    inhabitants = pd.read_csv(REAL_INHABITANTS).set_index("nhood_id")["population"]
    table = read.read_layer(built_layers, "misdrijven_buurt").set_index("buurtcode")
    assert set(table["periode"]) == {"2023"}
    shown = table["totaal"].dropna()
    assert (shown == published[shown.index]).all()  # every published count is the real one
    assert table["totaal"].isna().sum() >= ((published >= 1) & (published <= 4)).sum()
    rate = table["per_1000_totaal"].dropna()
    expected = (published[rate.index] / inhabitants[rate.index] * 1000).round(2)
    assert (rate - expected).abs().max() < 0.01 and len(rate) > 80
    buurten = read.read_layer(built_layers, "buurten").set_index("buurtcode")
    assert (buurten["aantal_inwoners"] == inhabitants[buurten.index]).all()
    assert any("ander jaar" in w for w in report.warnings)  # 2023 crime, 2024 inhabitants


def test_dossier_prints_real_crime_and_inhabitants(built_layers, capsys):
    published = pd.read_csv(REAL_CRIME).set_index("WijkenEnBuurten")["GeregistreerdeMisdrijven_1"]
    inhabitants = pd.read_csv(REAL_INHABITANTS).set_index("nhood_id")["population"]
    assert main(["dossier", "BU04840306", "--layers", str(built_layers)]) == 0
    out = capsys.readouterr().out
    count = int(published["BU04840306"])
    shown = "<5" if 1 <= count <= 4 else f"{count:,}".replace(",", ".")
    assert "Geregistreerde misdrijven [echt: Politie" in out
    assert f"2023       totaal {shown:>5}" in out
    assert f"Inwoners (1 januari): {int(inhabitants['BU04840306']):,}".replace(",", ".") in out
    assert "Incidenten [voorbeelddata]" in out  # the sample categories, labelled, apart
    assert main(["dossier", "BU04840306", "--json", "--layers", str(built_layers)]) == 0
    d = json.loads(capsys.readouterr().out)
    crime = d["leefbaarheid"]["misdrijven"]
    assert crime["voorbeelddata"] is False and crime["rijen"][0]["aantallen"]["totaal"] == (
        None if 1 <= count <= 4 else count
    )
    assert d["leefbaarheid"]["incidenten"]["voorbeelddata"] is True


@pytest.fixture
def two_municipalities(tmp_path, tiny_buurten, tiny_wijken):
    data = tmp_path / "pdok"
    data.mkdir()
    b, w = _pdok(tiny_buurten, tiny_wijken, other=True)
    for layer, frame in (("wijken", w), ("buurten", b)):
        frame.to_file(data / "wijkenbuurten_2024_v1.gpkg", layer=layer, driver="GPKG")
    return data


@pytest.mark.slow
def test_pdok_geopackage_builds_one_municipality(two_municipalities, tmp_path):
    out = tmp_path / "out" / "wijkplan.gpkg"
    proc = _cli("build", "--data", str(two_municipalities), "--out", str(out))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "2 gemeenten; kies er één met --gemeente" in proc.stderr
    assert not out.exists()
    proc = _cli(
        "build", "--data", str(two_municipalities), "--out", str(out), "--gemeente", "GM9999"
    )
    assert proc.returncode == 0, proc.stderr
    buurten = read.read_layer(out, "buurten")
    assert set(buurten["gemeentecode"]) == {"GM9999"} and len(buurten) == 4
    assert read.read_report(out).gemeentecode == "GM9999"
    proc = _cli("dossier", "BU99990202", "--layers", str(out))
    assert "Inwoners (1 januari): geheim" in proc.stdout  # -99997 in the PDOK file


def test_tables_are_found_by_their_columns(write_boundaries, tiny_buurten, tmp_path):
    data = write_boundaries(tiny_buurten.assign(gemeentenaam="Testdorp"))
    (data / "47018NED_TypedDataSet_22112025_101010.csv").write_text(POLICE_TYPED, encoding="utf-8")
    (data / "Kerncijfers_wijken_en_buurten_2024.csv").write_text(KWB_LABELLED, encoding="utf-8")
    (data / "aantekeningen.csv").write_text("a,b\n1,2\n", encoding="utf-8")  # not a table of ours
    report = build_layers(data, tmp_path / "x.gpkg")
    assert report.source("misdrijven") is not None and report.source("kerncijfers") is not None
    buurten = read.read_layer(tmp_path / "x.gpkg", "buurten").set_index("buurtcode")
    assert buurten.loc["BU99990101", "aantal_inwoners"] == 1205  # from the labelled table
    assert "pct_corporatiebezit: geheim" in buurten.loc["BU99990102", "kerncijfers_ontbreekt"]
    wijken = read.read_layer(tmp_path / "x.gpkg", "wijken").set_index("wijkcode")
    assert wijken.loc["WK999902", "aantal_inwoners"] == 795  # "Wijk 02 Zuid" matched by name


def test_total_only_police_table_without_categories_builds(write_boundaries, tmp_path):
    data = write_boundaries()
    total_only = "\n".join(
        line for line in POLICE_TYPED.splitlines() if '"1.' not in line and '"2.' not in line
    )
    (data / "politie.csv").write_text(total_only + "\n", encoding="utf-8")
    report = build_layers(data, tmp_path / "x.gpkg")
    assert report.source("misdrijven") is not None
    assert report.source("incidenten") is None  # a total is not an incident category
    table = read.read_layer(tmp_path / "x.gpkg", "misdrijven_buurt")
    assert list(table.columns[:3]) == ["buurtcode", "periode", "totaal"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "p.csv",
            POLICE_LABELLED.replace("Noord-Oost", "Oost-Indië"),
            "naam komt in geen buurt of wijk voor: 'Oost-Indië'",
        ),
        ("k.csv", KWB_LABELLED.replace('"1205"', '"veel"'), "geen getal: 'veel'"),
        ("47018NED.json", '{"value": 3}', "verwacht een OData-antwoord"),
    ],
    ids=["police-unknown-name", "kerncijfers-not-a-number", "odata-not-a-list"],
)
def test_malformed_published_file_is_one_line_and_keeps_the_earlier_build(
    write_boundaries, tiny_buurten, tmp_path, name, text, message
):
    data = write_boundaries(tiny_buurten.assign(gemeentenaam="Testdorp"))
    out = tmp_path / "x.gpkg"
    assert _cli("build", "--data", str(data), "--out", str(out)).returncode == 0
    before = out.read_bytes()
    (data / name).write_text(text, encoding="utf-8")
    proc = _cli("build", "--data", str(data), "--out", str(out))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and message in proc.stderr
    assert out.read_bytes() == before


def test_no_count_from_1_to_4_in_real_police_layers(built_layers):
    published = pd.read_csv(REAL_CRIME)["GeregistreerdeMisdrijven_1"]
    assert ((published >= 1) & (published <= 4)).any()  # the real data has small counts
    for level in ("buurt", "wijk", "regie", "gemeente"):
        table = read.read_layer(built_layers, f"misdrijven_{level}")
        values = pd.to_numeric(table["totaal"], errors="coerce")
        assert not ((values >= 1) & (values <= 4)).any(), level
    lb = gpd.read_file(built_layers, layer="leefbaarheid")
    assert not ((lb["misdrijven"] >= 1) & (lb["misdrijven"] <= 4)).any()


def test_official_buurt_scores_beside_the_grid(write_boundaries, tmp_path, capsys):
    """The Leefbaarometer's own buurt scores are shown for buurten; the grid stays for the rest."""
    from wijkplan.sample import write_sample_data

    data = write_boundaries()
    write_sample_data(data)
    (data / "Leefbaarometer-scores buurten 2002-2024.csv").write_text(
        "bu_code,bu_naam,jaar,lbm,afw,fys,onv,soc,vrz,won,kscore\n"
        "BU99990101,Noord-West,2022,4.1021,0.0701,0.0102,-0.0203,0.0311,0.0401,0.0090,7\n"
        "BU99990101,Noord-West,2024,4.3532,0.3072,0.0143,-0.0101,0.0400,0.0522,0.0108,9\n"
        "BU99990102,Noord-Oost,2024,NA,NA,NA,NA,NA,NA,NA,\n",
        encoding="utf-8",
    )
    out = tmp_path / "x.gpkg"
    report = build_layers(data, out)
    assert any("kscore" in w for w in report.warnings)  # an unknown column is a warning
    lb = read.read_layer(out, "leefbaarheid").set_index("buurtcode")
    assert lb.loc["BU99990101", "scorebron"] == "buurtbestand"
    assert lb.loc["BU99990101", "afw"] == pytest.approx(0.3072)
    assert lb.loc["BU99990101", "klasse"] == "uitstekend"
    assert lb.loc["BU99990102", "scorebron"] == "grid"  # NA in the buurt file: the grid's score
    complexen = read.read_layer(out, "leefbaarheid_complexen")
    assert set(complexen["scorebron"].dropna()) == {"grid"}
    trend = read.read_layer(out, "leefbaarheid_trend")
    own = trend[(trend["niveau"] == "buurt") & (trend["code"] == "BU99990101")]
    assert set(own["jaar"]) >= {2022, 2024} and set(own["scorebron"]) == {"buurtbestand"}
    assert main(["dossier", "BU99990101", "--layers", str(out)]) == 0
    text = capsys.readouterr().out
    assert "de buurtscore die de Leefbaarometer zelf publiceert" in text
    assert main(["dossier", "WK999901", "--layers", str(out)]) == 0
    assert "Leefbaarometer-grid, oppervlaktegewogen" in capsys.readouterr().out


# ---------------------------------------------------------------------------- what a careless user does


def _built(data, tmp_path):
    out = tmp_path / "x.gpkg"
    proc = _cli("build", "--data", str(data), "--out", str(out))
    return proc, out


@pytest.mark.slow
def test_a_second_download_of_the_same_police_table_is_refused(write_boundaries, tmp_path):
    data = write_boundaries()
    (data / "politie.csv").write_text(POLICE_TYPED, encoding="utf-8")
    (data / "politie (1).csv").write_text(POLICE_TYPED, encoding="utf-8")
    proc, out = _built(data, tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "dezelfde politiecijfers staan in politie (1).csv en politie.csv" in proc.stderr
    assert not out.exists()


def test_a_missing_police_value_is_unknown_not_zero(write_boundaries, tmp_path, capsys):
    data = write_boundaries()
    (data / "politie.csv").write_text(POLICE_TYPED, encoding="utf-8")  # BU99990102 has "."
    report = build_layers(data, tmp_path / "x.gpkg")
    assert any("niet als 0 geteld" in w for w in report.warnings)
    table = read.read_layer(tmp_path / "x.gpkg", "misdrijven_buurt").set_index("buurtcode")
    assert pd.isna(table.loc["BU99990102", "totaal"]) and not table.loc["BU99990102", "volledig"]
    assert table.loc["BU99990201", "volledig"]  # a buurt that the file gives (as 0: absent rows)
    wijk = read.read_layer(tmp_path / "x.gpkg", "misdrijven_wijk").set_index("wijkcode")
    assert not wijk.loc["WK999901", "volledig"] and pd.isna(wijk.loc["WK999901", "per_1000_totaal"])
    assert main(["dossier", "BU99990102", "--layers", str(tmp_path / "x.gpkg")]) == 0
    assert "totaal onbekend" in capsys.readouterr().out


def test_a_year_with_months_missing_is_a_lower_bound(write_boundaries, tmp_path, capsys):
    data = write_boundaries()
    rows = "".join(
        f'{m};"0.0.0 ";"BU99990101";"2024MM{m:02d}";5\n' for m in range(1, 10)
    )  # January to September only
    header = '"ID";"SoortMisdrijf";"WijkenEnBuurten";"Perioden";"GeregistreerdeMisdrijven_1"\n'
    (data / "47022NED_TypedDataSet.csv").write_text(header + rows, encoding="utf-8")
    build_layers(data, tmp_path / "x.gpkg")
    table = read.read_layer(tmp_path / "x.gpkg", "misdrijven_buurt").set_index("buurtcode")
    assert table.loc["BU99990101", "totaal"] == 45 and not table.loc["BU99990101", "volledig"]
    assert pd.isna(table.loc["BU99990101", "per_1000_totaal"])
    lb = read.read_layer(tmp_path / "x.gpkg", "leefbaarheid").set_index("buurtcode")
    assert pd.isna(lb.loc["BU99990101", "misdrijven"])  # no lower bound on the map
    assert main(["dossier", "BU99990101", "--layers", str(tmp_path / "x.gpkg")]) == 0
    assert "totaal  ≥ 45" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("p.csv", POLICE_TYPED.replace(";12\n", ";99999999999999999999\n"), "geen geheel aantal"),
        ("k.csv", KWB_LABELLED.replace('"1205"', '"inf"'), "onmogelijke waarde"),
        ("k.csv", KWB_LABELLED.replace('"1205"', '"1.205"'), "onmogelijke waarde"),
        ("k.csv", KWB_LABELLED.replace('"1205"', '"-5"'), "onmogelijke waarde"),
        ("p.csv", POLICE_TYPED.replace('"2023JJ00"', '"2023XX00"'), "'2023XX00' (5 rijen)"),
    ],
    ids=["huge-count", "infinite", "thousands-point", "negative", "repeated-bad-period"],
)
def test_impossible_values_are_one_line(
    write_boundaries, tiny_buurten, tmp_path, name, text, message
):
    data = write_boundaries(tiny_buurten.assign(gemeentenaam="Testdorp"))
    (data / name).write_text(text, encoding="utf-8")
    proc, out = _built(data, tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and message in proc.stderr
    assert not out.exists()


def test_real_statline_download_with_topic_paths(write_boundaries, tiny_buurten, tmp_path):
    """The StatLine download writes 'Thema/Onderwerp (eenheid)' headers."""
    data = write_boundaries(tiny_buurten.assign(gemeentenaam="Testdorp"))
    (data / "Kerncijfers_wijken_en_buurten_2024.csv").write_text(
        '"Wijken en buurten";"Regioaanduiding/Gemeentenaam (naam)";'
        '"Regioaanduiding/Codering (code)";"Bevolking/Aantal inwoners (aantal)"\n'
        '"Testdorp";"Testdorp";"GM9999    ";"2000"\n'
        '"Noord-West";"Testdorp";"BU99990101";"1205"\n'
        '"Nederland";"";"NL00      ";"17942942"\n',
        encoding="utf-8",
    )
    build_layers(data, tmp_path / "x.gpkg")
    buurten = read.read_layer(tmp_path / "x.gpkg", "buurten").set_index("buurtcode")
    assert buurten.loc["BU99990101", "aantal_inwoners"] == 1205


def test_newest_kerncijfers_table_wins_per_figure(write_boundaries, tmp_path, capsys):
    data = write_boundaries()
    (data / "85618NED_TypedDataSet.csv").write_text(
        '"ID";"WijkenEnBuurten";"AantalInwoners_4";"Woningvoorraad_33"\n1;"BU99990101";1100;480\n',
        encoding="utf-8",
    )
    (data / "85984NED_TypedDataSet.csv").write_text(
        '"ID";"WijkenEnBuurten";"AantalInwoners_5"\n1;"BU99990101";1205\n', encoding="utf-8"
    )
    report = build_layers(data, tmp_path / "x.gpkg")
    assert any("aantal_inwoners" in w and "2024" in w and "2023" in w for w in report.warnings)
    assert main(["dossier", "BU99990101", "--json", "--layers", str(tmp_path / "x.gpkg")]) == 0
    figures = {f["kolom"]: f for f in json.loads(capsys.readouterr().out)["kerncijfers"]}
    assert (
        figures["aantal_inwoners"]["waarde"] == 1205
        and "2024" in figures["aantal_inwoners"]["bron"]
    )
    assert (
        figures["woningvoorraad"]["waarde"] == 480 and "2023" in figures["woningvoorraad"]["bron"]
    )


def test_official_real_buurt_score_is_not_mixed_with_a_sample_grid(
    write_boundaries, tmp_path, capsys
):
    from wijkplan.sample import write_sample_data

    data = write_boundaries()
    write_sample_data(data)  # a sample grid
    (data / "Leefbaarometer-scores buurten 2002-2024.csv").write_text(
        "bu_code,jaar,lbm,afw,fys,onv,soc,vrz,won\n"
        "BU99990101,2024,4.1508,0.1008,0.01,0.02,0.03,0.02,0.02\n",
        encoding="utf-8",
    )  # a real file (no sample mark)
    out = tmp_path / "x.gpkg"
    build_layers(data, out)
    lb = read.read_layer(out, "leefbaarheid").set_index("buurtcode")
    assert lb.loc["BU99990101", "bron_leefbaarometer"] == "echt"
    assert pd.isna(lb.loc["BU99990101", "aandeel_zwak"])  # no sample share beside it
    assert lb.loc["BU99990102", "bron_leefbaarometer"] == "voorbeelddata"
    assert main(["dossier", "BU99990101", "--json", "--layers", str(out)]) == 0
    lv = json.loads(capsys.readouterr().out)["leefbaarheid"]
    assert lv["voorbeelddata"] is False and lv["aandeel_zwak"] is None
    assert "Let op: berekend met voorbeelddata" in (read.read_report(out).priority_formula or "")
