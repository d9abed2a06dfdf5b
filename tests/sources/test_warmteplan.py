"""The heat plan in its three forms: the shipped YAML, a table per buurt, district polygons."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from wijkplan.config.heat import PHASES, STRATEGIES
from wijkplan.errors import ValidationError
from wijkplan.sources.warmtegebieden import load_district_polygons
from wijkplan.sources.warmteplan import (
    find_plan,
    load_plan,
    parse_plan,
)

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "data" / "warmte" / "warmteplan-2022.yaml"

MINIMAL = """\
metadata:
  titel: Warmteplan Test
  gemeentecode: GM9999
  bron: test
buiten_gebieden:
  strategie: nog te bepalen
gebieden:
  - gebied_id: wg-noord
    naam: Noord
    buurtcodes: [BU99990101, BU99990102]
    wijkcodes: [WK999901]
    begrenzing: gepubliceerd
    strategie: all-electric
    strategie_bron: besluit 2024
    fase: WUP vastgesteld
    startjaar: 2025
"""


def test_the_shipped_plan_holds_only_the_public_facts():
    plan = load_plan(SHIPPED)
    assert plan.gemeentecode == "GM0484" and str(plan.vastgesteld) == "2022-02-17"
    by_id = {d.gebied_id: d for d in plan.districts}
    assert list(by_id) == [
        "wg-planetenbuurt",
        "wg-archeon",
        "wg-ridderveld-west",
        "wg-zeeheldenbuurt",
        "wg-boskoop-west",
    ]
    planeten = by_id["wg-planetenbuurt"]
    assert planeten.strategie == "warmtenet lage temperatuur"
    assert "Oude Rijn" in (planeten.warmtebron or "")
    assert planeten.fase == "verkenning" and planeten.startjaar is None  # not published
    # where the buurten are not published the boundary is an assumption, never invented
    for gid in ("wg-ridderveld-west", "wg-boskoop-west"):
        assert by_id[gid].begrenzing == "aanname" and not by_id[gid].buurtcodes
    # only the Planetenbuurt's strategy is public; every other one is "nog te bepalen"
    assert {d.strategie for d in plan.districts if d.gebied_id != "wg-planetenbuurt"} == {
        "nog te bepalen"
    }
    # every value that is given names its source
    for d in plan.districts:
        assert d.strategie_bron and d.begrenzing_bron and d.fase_bron
    aqua = plan.aquathermie
    assert aqua is not None and aqua.bronwater == "Oude Rijn"
    assert aqua.aandeel_ondertekenaars == 70 and "ongeveer 70%" in (aqua.aandeel_bron or "")
    assert {o.naam for o in aqua.objecten} >= {"Alrijne Ziekenhuis", "Herculesflat"}
    assert all(o.locatie is None for o in aqua.objecten)  # locations are not published


def test_the_shipped_plan_agrees_with_the_ledger_on_every_heat_area():
    from wijkplan.afspraken import DEFAULT_LEDGER
    from wijkplan.afspraken.ledger import load_ledger

    ledger = load_ledger(DEFAULT_LEDGER)
    plan = load_plan(SHIPPED)
    in_ledger = {w.gebied_id: (w.buurtcodes, w.wijkcodes) for w in ledger.warmtegebieden}
    in_plan = {d.gebied_id: (d.buurtcodes, d.wijkcodes) for d in plan.districts}
    assert in_plan == in_ledger


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("strategie: all-electric", "strategie: warmtepomp"),
            "regel 13: gebied wg-noord, veld 'strategie': onbekende strategie",
        ),
        (("fase: WUP vastgesteld", "fase: klaar"), "veld 'fase': onbekende fase"),
        (("startjaar: 2025", "startjaar: 1850"), "veld 'startjaar'"),
        (("BU99990102]", "BU9999010]"), "onjuist gevormde buurtcode: 'BU9999010'"),
        (
            ("    naam: Noord\n", "    naam: Noord\n    kleur: rood\n"),
            "veld 'kleur': onbekend veld",
        ),
        (("    naam: Noord\n", "    naam: Noord\n    naam: Zuid\n"), "dubbele sleutel"),
        (("begrenzing: gepubliceerd", "begrenzing: ongeveer"), "veld 'begrenzing'"),
        (
            ("[BU99990101, BU99990102]", "[BU99990101, BU04840102]"),
            "regel 10: gebied wg-noord, veld 'buurtcodes': buurt hoort niet bij GM9999: 'BU04840102'",
        ),
    ],
)
def test_a_bad_plan_is_one_line_naming_file_line_field_and_value(change, expected):
    old, new = change
    assert old in MINIMAL
    with pytest.raises(ValidationError) as info:
        parse_plan(MINIMAL.replace(old, new), source="warmteplan.yaml")
    assert len(info.value.problems) == 1, info.value.problems
    assert info.value.problems[0].startswith("warmteplan.yaml")
    assert expected in info.value.problems[0]


def test_a_district_known_only_by_its_wijk_must_say_it_is_an_assumption():
    text = MINIMAL.replace("    buurtcodes: [BU99990101, BU99990102]\n", "")
    with pytest.raises(ValidationError, match="is een aanname"):
        parse_plan(text, source="warmteplan.yaml")
    plan = parse_plan(text.replace("gepubliceerd", "aanname"), source="warmteplan.yaml")
    assert plan.districts[0].wijkcodes == ("WK999901",)


def test_the_vocabulary_is_the_configured_one():
    for s in STRATEGIES:
        assert parse_plan(MINIMAL.replace("all-electric", s)).districts[0].strategie == s
    for p in PHASES:
        assert parse_plan(MINIMAL.replace("WUP vastgesteld", p)).districts[0].fase == p


# ---------------------------------------------------------------------------- a table per buurt


def test_a_plan_table_as_a_dutch_excel_csv(tmp_path):
    path = tmp_path / "warmteplan.csv"
    path.write_bytes(
        (
            "Buurtcode;Strategie;Fase;Startjaar;Gebied_id;Gebied_naam;Bron\n"
            "BU99990101;Warmtenet  Lage temperatuur;verkenning;2026;wg-1;Noord;raad 2025\n"
            "bu99990102;ALL-ELECTRIC;;;;;raad 2025\n"
            ";;;;;;\n"
        ).encode("cp1252")
    )
    plan = load_plan(path)
    rows = {r.buurtcode: r for r in plan.buurten}
    assert rows["BU99990101"].strategie == "warmtenet lage temperatuur"
    assert rows["BU99990101"].startjaar == 2026 and rows["BU99990101"].gebied_id == "wg-1"
    assert rows["BU99990102"].strategie == "all-electric" and rows["BU99990102"].fase is None
    assert plan.gemeentecode == "GM9999"


def test_a_plan_table_with_mistakes_names_each_row(tmp_path):
    path = tmp_path / "warmteplan.csv"
    path.write_text(
        "buurtcode,strategie,fase,startjaar\n"
        "BU99990101,stadsverwarming,,\n"
        "BU99990102,hybride,bijna klaar,20x5\n"
        "BU99990102,hybride,,\n"
        "XX1,hybride,,\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        load_plan(path)
    problems = info.value.problems
    assert f"{path}, regel 2, veld 'strategie': onbekende strategie" in problems[0]
    assert any("regel 3, veld 'fase'" in p and "'bijna klaar'" in p for p in problems)
    assert any("regel 3, veld 'startjaar': geen jaartal: '20x5'" in p for p in problems)
    assert any("regel 4, veld 'buurtcode': buurt komt twee keer voor" in p for p in problems)
    assert any(
        "regel 5, veld 'buurtcode': onjuist gevormde buurtcode: 'XX1'" in p for p in problems
    )
    assert len(problems) == 5


def test_a_plan_table_from_excel(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "warmteplan.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["buurtcode", "strategie", "fase", "startjaar"])
    sheet.append(["BU99990101", "groen gas", "uitvoering", 2027])
    book.save(path)
    plan = load_plan(path)
    assert [(r.buurtcode, r.strategie, r.fase, r.startjaar) for r in plan.buurten] == [
        ("BU99990101", "groen gas", "uitvoering", 2027)
    ]
    broken = tmp_path / "kapot.xlsx"
    broken.write_bytes(b"PK\x03\x04 niet echt")
    with pytest.raises(ValidationError, match="geen leesbaar Excel-bestand"):
        load_plan(broken)


def test_two_plan_files_are_refused(tmp_path):
    (tmp_path / "warmteplan.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "warmteplan.csv").write_text("buurtcode,strategie\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="meer dan één warmteplan"):
        find_plan(tmp_path)


# ---------------------------------------------------------------------------- district polygons


def test_district_polygons_take_the_buurten_mostly_inside(tmp_path, tiny_buurten):
    # a district over the whole northern wijk and a sliver of the southern one
    district = gpd.GeoDataFrame(
        {"gebied_id": ["wg-n"], "naam": ["Noord"], "strategie": ["Hybride"]},
        geometry=[box(99_000, 449_800, 102_000, 451_000)],
        crs="EPSG:28992",
    ).to_crs("EPSG:4326")
    path = tmp_path / "warmtegebieden.geojson"
    district.to_file(path)
    found = load_district_polygons(path, tiny_buurten)
    (d,) = found.districts
    assert d.buurtcodes == ("BU99990101", "BU99990102") and d.strategie == "hybride"
    assert d.begrenzing == "gepubliceerd" and d.fase is None


def test_district_polygons_with_an_unknown_strategy(tmp_path, tiny_buurten):
    frame = gpd.GeoDataFrame(
        {"gebied_id": ["wg-n"], "naam": ["Noord"], "strategie": ["kernfusie"]},
        geometry=[box(99_000, 449_000, 102_000, 451_000)],
        crs="EPSG:28992",
    )
    path = tmp_path / "warmtegebieden.gpkg"
    frame.to_file(path)
    with pytest.raises(ValidationError) as info:
        load_district_polygons(path, tiny_buurten)
    assert info.value.problems == [
        f"{path}, veld 'strategie': wg-n: onbekende strategie: 'kernfusie'"
    ]


def test_a_plan_table_with_a_title_row_above_its_header(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "warmteplan.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Warmteplan gemeente Test, vastgesteld 2025"])
    sheet.merge_cells("A1:D1")
    sheet.append(["Buurtcode", "Strategie", "Fase", "Startjaar"])
    sheet.append(["BU99990101", "groen gas", "uitvoering", 2027])
    sheet.append(["BU99990102", "kernfusie", None, None])
    book.save(path)
    with pytest.raises(ValidationError) as info:
        load_plan(path)
    # the row number is the one the spreadsheet shows
    assert info.value.problems == [
        f"{path}, regel 4, veld 'strategie': onbekende strategie (kies uit: "
        f"{', '.join(STRATEGIES)}): 'kernfusie'"
    ]
