"""Incident records and police open data: loaders, validation and the sample generator."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString
from shapely.geometry import Point as _Point
from shapely.geometry import box as _box

from wijkplan.errors import ValidationError
from wijkplan.sample.common import sample_bron
from wijkplan.sample.incidents import sample_incidents
from wijkplan.settings import is_sample
from wijkplan.sources.incidents import load_incidents
from wijkplan.sources.police import load_police_table, police_yearly_totals

TODAY = dt.date(2025, 6, 1)
#: The tiny test municipality lies at a real place in RD (loaders refuse coordinates
#: outside the Netherlands); the tests give coordinates relative to it.
X0, Y0 = 100_000, 450_000


def Point(x: float, y: float) -> _Point:  # stands in for shapely's Point
    return _Point(X0 + x, Y0 + y)


def box(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    return _box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


@pytest.fixture
def buurten() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "buurtcode": ["BU99990101", "BU99990102", "BU99990201"],
            "buurtnaam": ["Centrum", "Oost", "Polder"],
            "wijkcode": ["WK999901", "WK999901", "WK999902"],
            "gemeentecode": "GM9999",
        },
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000), box(0, 1000, 2000, 3000)],
        crs="EPSG:28992",
    )


def _points(
    rows: list[tuple[object, object, object]], crs: str | None = "EPSG:28992"
) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "datum": [r[0] for r in rows],
            "Categorie": [r[1] for r in rows],
            "omschrijving": "Jan de Vries, Dorpsstraat 1",
        },
        geometry=[r[2] for r in rows],
        crs=crs,
    )


def test_load_incidenten_keeps_only_what_is_needed(
    tmp_path: Path, buurten: gpd.GeoDataFrame
) -> None:
    path = tmp_path / "meldingen.gpkg"
    _points(
        [
            ("2021-03-04", "Overlast", Point(100, 100)),
            ("05-06-2022", " vernieling ", Point(1500, 500)),
            ("2024-12-31T23:30:00", "geweld", Point(1000, 2000)),
        ]
    ).to_file(path)
    inc = load_incidents(path, buurten=buurten, today=TODAY)
    assert list(inc.columns) == [
        "datum",
        "jaar",
        "categorie",
        "buurtcode",
        "wijkcode",
        "bron",
        "geometry",
    ]
    assert inc["jaar"].tolist() == [2021, 2022, 2024]
    assert inc["datum"].iloc[1] == pd.Timestamp("2022-06-05")
    assert inc["datum"].iloc[2] == pd.Timestamp("2024-12-31 23:30")
    assert inc["categorie"].tolist() == ["overlast", "vernieling", "geweld"]
    assert inc["buurtcode"].tolist() == ["BU99990101", "BU99990102", "BU99990201"]
    assert inc["bron"].iloc[0] == "meldingen.gpkg"
    assert "omschrijving" not in inc.columns  # free text (names, addresses) never passes


def test_load_incidenten_reprojects(tmp_path: Path, buurten: gpd.GeoDataFrame) -> None:
    pts = _points([("2023-01-01", "overlast", Point(500, 500))]).to_crs("EPSG:4326")
    path = tmp_path / "wgs84.geojson"
    pts.to_file(path)
    inc = load_incidents(path, buurten=buurten, today=TODAY)
    assert inc.crs.to_epsg() == 28992
    assert inc.geometry.iloc[0].distance(Point(500, 500)) < 0.01


def test_load_incidenten_reports_every_problem(tmp_path: Path, buurten: gpd.GeoDataFrame) -> None:
    path = tmp_path / "fout.gpkg"
    _points(
        [
            ("gisteren", "overlast", Point(100, 100)),
            ("2023-02-30", "overlast", Point(100, 100)),
            ("2023-05-01", "diefstal", Point(100, 100)),
            ("2023-05-01", "overlast", Point(5000, 5000)),
            ("2023-05-01", "overlast", LineString([(X0, Y0), (X0 + 10, Y0 + 10)])),
            ("2030-01-01", "overlast", Point(100, 100)),
        ]
    ).to_file(path)
    with pytest.raises(ValidationError) as info:
        load_incidents(path, buurten=buurten, today=TODAY)
    problems = info.value.problems
    assert all(p.startswith(str(path)) for p in problems)
    text = "\n".join(problems)
    assert (
        "veld 'datum': geen datum" in text
        and "rij 1: gisteren" in text
        and "rij 2: 2023-02-30" in text
    )
    assert "veld 'categorie': onbekende categorie" in text and "rij 3: diefstal" in text
    assert "punt ligt buiten de gemeente" in text and "(105000, 455000)" in text
    assert "geen punt" in text and "LineString" in text
    assert "datum in de toekomst" in text and "2030-01-01" in text


def test_load_incidenten_without_crs_or_columns(tmp_path: Path, buurten: gpd.GeoDataFrame) -> None:
    path = tmp_path / "nocrs.gpkg"
    with pytest.warns(UserWarning, match="crs"):
        _points([("2023-01-01", "overlast", Point(100, 100))], crs=None).to_file(path)
    with pytest.raises(ValidationError, match="geen coördinatenstelsel"):
        load_incidents(path, buurten=buurten, today=TODAY)
    nocat = tmp_path / "nocat.gpkg"
    _points([("2023-01-01", "overlast", Point(100, 100))]).drop(columns="Categorie").to_file(nocat)
    with pytest.raises(ValidationError, match="'categorie': verplichte kolom ontbreekt"):
        load_incidents(nocat, buurten=buurten, today=TODAY)


POLICE_CSV = (
    '"ID";"SoortMisdrijf";"WijkenEnBuurten";"Perioden";"GeregistreerdeMisdrijven_1"\n'
    '"1";"0.0.0 ";"BU99990101";"2023JJ00";"       14"\n'
    '"2";"1.1.1 ";"BU99990101";"2023JJ00";"        3"\n'
    '"3";"1.4.5 ";"BU99990101";"2023JJ00";"        2"\n'
    '"4";"1.4.4 ";"BU99990101";"2023JJ00";"        1"\n'
    '"5";"1.2.3 ";"BU99990101";"2023JJ00";"        8"\n'
    '"6";"1.1.1 ";"WK999901  ";"2023JJ00";"        5"\n'
    '"7";"1.1.1 ";"GM9999    ";"2023JJ00";"        ."\n'
)


def test_load_politie_statline_csv(tmp_path: Path) -> None:
    path = tmp_path / "47018NED.csv"
    path.write_text(POLICE_CSV)
    df = load_police_table(path)
    assert (
        df["gebiedscode"].tolist()[:1] == ["BU99990101"] and df["gebiedscode"].iloc[5] == "WK999901"
    )
    assert df["soort"].tolist()[:2] == ["0.0.0", "1.1.1"]
    assert df["niveau"].tolist() == ["buurt"] * 5 + ["wijk", "gemeente"]
    assert df["categorie"].tolist()[:5] == [pd.NA, "woninginbraak", "geweld", "geweld", pd.NA]
    assert df["tabel"].unique().tolist() == ["47018NED"]
    assert df["aantal"].iloc[6] is pd.NA  # '.' is missing, not 0
    totals = police_yearly_totals(df)
    assert totals[["gebiedscode", "jaar", "categorie"]].values.tolist() == [
        ["BU99990101", 2023, "geweld"],
        ["BU99990101", 2023, "woninginbraak"],
    ]
    assert totals["aantal"].tolist() == [3, 3]  # 0.0.0 (14) and unmapped 1.2.3 not counted


def test_load_politie_odata_json_monthly(tmp_path: Path) -> None:
    rows = [
        {
            "ID": i,
            "SoortMisdrijf": "2.2.1 ",
            "WijkenEnBuurten": "BU99990102",
            "Perioden": f"2024MM{m:02d}",
            "GeregistreerdeMisdrijven_1": m % 3,
        }
        for i, m in enumerate(range(1, 13))
    ]
    rows += [
        {
            "ID": 99,
            "SoortMisdrijf": "2.2.1 ",
            "WijkenEnBuurten": "BU99990102",
            "Perioden": "2025MM01",
            "GeregistreerdeMisdrijven_1": 4,
        }
    ]
    path = tmp_path / "47022NED.json"
    path.write_text(json.dumps({"odata.metadata": "x", "value": rows}))
    df = load_police_table(path)
    assert set(df["tabel"]) == {"47022NED"} and set(df["periodetype"]) == {"maand"}
    totals = police_yearly_totals(df).set_index("jaar")
    assert totals.loc[2024, "aantal"] == sum(m % 3 for m in range(1, 13))
    assert bool(totals.loc[2024, "volledig"]) and not bool(totals.loc[2025, "volledig"])
    assert (totals["categorie"] == "vernieling").all()


def test_yearly_figure_wins_over_months(tmp_path: Path) -> None:
    yearly = tmp_path / "y.csv"
    yearly.write_text(
        "SoortMisdrijf,WijkenEnBuurten,Perioden,GeregistreerdeMisdrijven_1\n2.2.1 ,BU99990102,2024JJ00,20\n"
    )
    monthly = tmp_path / "m.csv"
    monthly.write_text(
        "SoortMisdrijf,WijkenEnBuurten,Perioden,GeregistreerdeMisdrijven_1\n2.2.1 ,BU99990102,2024MM01,3\n"
    )
    both = pd.concat([load_police_table(yearly), load_police_table(monthly)], ignore_index=True)
    totals = police_yearly_totals(both)
    assert totals["aantal"].tolist() == [20] and totals["tabel"].tolist() == ["47018NED"]


def test_load_politie_problems(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "SoortMisdrijf,WijkenEnBuurten,Perioden,GeregistreerdeMisdrijven_1\n"
        "1.1.1 ,BUURT1,2024JJ00,3\n"
        "1.1.1 ,BU99990101,2024XX00,3\n"
        "1.1.1 ,BU99990101,2024MM13,3\n"
        "1.1.1 ,BU99990101,2024JJ00,-2\n"
    )
    with pytest.raises(ValidationError) as info:
        load_police_table(path)
    text = "\n".join(info.value.problems)
    assert "veld 'WijkenEnBuurten'" in text and "'BUURT1'" in text
    assert "2024XX00" in text and "2024MM13" in text
    assert "veld 'GeregistreerdeMisdrijven_1'" in text and "-2" in text
    missing = tmp_path / "missing.csv"
    missing.write_text("WijkenEnBuurten,Perioden\nBU99990101,2024JJ00\n")
    with pytest.raises(ValidationError, match="GeregistreerdeMisdrijven_1"):
        load_police_table(missing)


def test_nuisance_table_needs_its_total_code(tmp_path: Path) -> None:
    path = tmp_path / "47024NED.csv"
    path.write_text(
        "Overlast,WijkenEnBuurten,Perioden,GeregistreerdeOverlast_1\n"
        "T001,BU99990101,2024JJ00,30\nA012,BU99990101,2024JJ00,12\n"
    )
    with pytest.raises(ValidationError, match="totaal_code"):
        load_police_table(path)
    single = tmp_path / "single.csv"
    single.write_text(
        "Overlast,WijkenEnBuurten,Perioden,GeregistreerdeOverlast_1\nT001,BU99990101,2024JJ00,30\n"
    )
    df = load_police_table(single)
    assert df["categorie"].tolist() == ["overlast"] and df["tabel"].tolist() == ["47024NED"]


def test_sample_incidenten_through_the_loader(tmp_path: Path, buurten: gpd.GeoDataFrame) -> None:
    path = tmp_path / "incidenten.gpkg"
    sample_incidents(buurten, regie_buurtcodes=["BU99990101"]).to_file(path, layer="incidenten")
    inc = load_incidents(path, buurten=buurten)
    assert sorted(set(inc["jaar"])) == list(range(2019, 2025))
    assert set(inc["bron"]) == {sample_bron("GM9999")} and is_sample(inc["bron"].iloc[0])
    per_km2 = inc.groupby("buurtcode").size() / (buurten.set_index("buurtcode").area / 1e6)
    assert per_km2["BU99990101"] > 1.5 * per_km2["BU99990102"]
    again = sample_incidents(buurten, regie_buurtcodes=["BU99990101"])
    first = gpd.read_file(path)
    assert first["datum"].astype(str).tolist() == again["datum"].tolist()
    assert first.geometry.geom_equals_exact(again.geometry, tolerance=1e-6).all()
