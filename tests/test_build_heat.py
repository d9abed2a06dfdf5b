"""The heat theme of the build: the plan per buurt and district, the indicator, aquathermie."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from wijkplan import read
from wijkplan.build import build_layers
from wijkplan.cli import main
from wijkplan.config.heat import STRATEGIES

PLANETENBUURT = ("BU04840210", "BU04840211")


@pytest.fixture(scope="module")
def heat(built_layers):
    return {
        name: read.read_layer(built_layers, name)
        for name in ("warmteplan", "warmtegebieden", "aquathermie", "aquathermie_raming")
    }


def test_every_buurt_has_the_plan_that_applies_to_it(heat, built_layers):
    plan = heat["warmteplan"].set_index("buurtcode")
    buurten = read.read_layer(built_layers, "buurten")
    assert set(plan.index) == set(buurten["buurtcode"])
    assert set(plan["strategie"]) <= set(STRATEGIES)
    for code in PLANETENBUURT:
        row = plan.loc[code]
        assert (row["strategie"], row["fase"], row["gebied_id"], row["begrenzing"]) == (
            "warmtenet lage temperatuur",
            "verkenning",
            "wg-planetenbuurt",
            "gepubliceerd",
        )
        assert row["fase_nr"] == 1 and "Transitievisie Warmte" in row["fase_bron"]
    # the rest of Ridderveld may belong to Ridderveld-West: an assumption, and marked so
    ridderveld = plan[(plan["wijkcode"] == "WK048402") & ~plan.index.isin(PLANETENBUURT)]
    assert len(ridderveld) and set(ridderveld["gebied_id"]) == {"wg-ridderveld-west"}
    assert set(ridderveld["begrenzing"]) == {"aanname"}
    # outside the five districts: no published strategy, no phase
    outside = plan[plan["gebied_id"].isna()]
    assert len(outside) and set(outside["strategie"]) == {"nog te bepalen"}
    assert outside["fase"].isna().all()


def test_the_indicator_gives_every_buurt_an_indication_with_reasons(heat):
    plan = heat["warmteplan"]
    assert plan["indicatie"].notna().all() and set(plan["indicatie"]) <= set(STRATEGIES)
    assert plan["indicatie_redenen"].str.len().gt(0).all()
    # a difference is only reported where the plan has chosen a strategy
    chosen = plan["strategie"] != "nog te bepalen"
    assert plan.loc[~chosen, "afwijking"].isna().all()
    differs = (
        chosen & (plan["strategie"] != plan["indicatie"]) & (plan["indicatie"] != "nog te bepalen")
    )
    assert plan.loc[differs, "afwijking"].notna().all()


def test_a_district_known_only_by_its_wijk_leaves_out_the_named_districts(heat, built_layers):
    gebieden = heat["warmtegebieden"].set_index("gebied_id")
    west = gebieden.loc["wg-ridderveld-west"]
    members = set(west["buurtcodes"].split("; "))
    buurten = read.read_layer(built_layers, "buurten")
    ridderveld = set(buurten.loc[buurten["wijkcode"] == "WK048402", "buurtcode"])
    assert members == ridderveld - set(PLANETENBUURT)
    assert west["begrenzing"] == "aanname" and west["wijkcodes"] == "WK048402"
    # the map, the dossier and the agreements use the same buurten
    layers = read.BuiltLayers(built_layers)
    assert set(layers.areas.buurten_of("wg-ridderveld-west")) == members
    assert "wg-ridderveld-west" not in {a.code for a in layers.areas.containing(PLANETENBUURT[0])}


def test_districts_carry_the_plan_and_the_ledger(heat):
    gebieden = heat["warmtegebieden"].set_index("gebied_id")
    assert len(gebieden) == 5
    p = gebieden.loc["wg-planetenbuurt"]
    assert p["strategie"] == "warmtenet lage temperatuur" and "PA2021-05c" in p["afspraak_ids"]
    assert "Woonforte" in p["partners"] and p["begrenzing"] == "gepubliceerd"
    assert gebieden.loc["wg-boskoop-west", "begrenzing"] == "aanname"


def test_the_aquathermal_project_is_drawn_honestly(heat):
    aqua = heat["aquathermie"]
    parts = dict(zip(aqua["naam"], aqua["onderdeel"], strict=True))
    assert parts["Alrijne Ziekenhuis"] == "object" and parts["Herculesflat"] == "object"
    assert "plangebied" in set(aqua["onderdeel"])
    where = dict(zip(aqua["naam"], aqua["ligging"], strict=True))
    # no location is published: the hospital is placed schematically, the Herculesflat is
    # the (sample) complex of that name
    assert where["Alrijne Ziekenhuis"] == "schematisch"
    assert where["Herculesflat"] == "voorbeelddata"
    assert set(aqua.loc[aqua["onderdeel"] == "plangebied", "ligging"]) == {"schematisch"}
    raming = heat["aquathermie_raming"].set_index("grootheid")
    share = raming.loc["aandeel_ondertekenaars"]
    assert (share["waarde"], share["soort"]) == (70, "gepubliceerd")
    assert (
        raming.loc["teo_vermogen", "soort"] == "uitkomst"
        and raming.loc["teo_vermogen", "waarde"] > 0
    )
    # every coefficient is shown with its unit and source
    coefficients = raming[raming["soort"] == "coëfficiënt"]
    assert len(coefficients) >= 5
    assert coefficients["eenheid"].notna().all() and coefficients["bron"].notna().all()


def test_the_dossier_of_the_planetenbuurt_shows_plan_indicator_and_aquathermie(
    built_layers, capsys
):
    assert main(["dossier", "BU04840211", "--json", "--layers", str(built_layers)]) == 0
    warmte = json.loads(capsys.readouterr().out)["warmte"]
    assert warmte["strategie"] == "warmtenet lage temperatuur" and warmte["fase"] == "verkenning"
    assert warmte["gebied"] == {"code": "wg-planetenbuurt", "naam": "Planetenbuurt"}
    assert warmte["indicatie"]["strategie"] in STRATEGIES and warmte["indicatie"]["redenen"]
    aqua = warmte["aquathermie"]
    assert aqua["bronwater"] is not None or aqua["onderdelen"]
    assert aqua["aandeel_ondertekenaars"]["waarde"] == 70
    # the stable shape: every key present for a wijk too
    assert main(["dossier", "WK048402", "--json", "--layers", str(built_layers)]) == 0
    wijk = json.loads(capsys.readouterr().out)["warmte"]
    assert set(wijk) == set(warmte)
    assert {b["buurtcode"] for b in wijk["buurten"]} >= set(PLANETENBUURT)
    assert main(["dossier", "BU04840211", "--layers", str(built_layers)]) == 0
    text = capsys.readouterr().out
    assert "warmtenet lage temperatuur" in text and "Aquathermie" in text


@pytest.mark.slow
def test_an_own_plan_table_replaces_the_shipped_plan(write_boundaries, tmp_path, capsys):
    data = write_boundaries()
    (data / "warmteplan.csv").write_text(
        "buurtcode;strategie;fase;startjaar;gebied_id;gebied_naam;bron\n"
        "BU99990101;hybride;verkenning;2026;wg-n;Noord;raadsbesluit 2025\n"
        "BU99990102;hybride;verkenning;2026;wg-n;Noord;raadsbesluit 2025\n"
        "BU99990201;all-electric;;;;;raadsbesluit 2025\n",
        encoding="utf-8",
    )
    out = tmp_path / "w.gpkg"
    assert main(["build", "--data", str(data), "--out", str(out)]) == 0
    plan = read.read_layer(out, "warmteplan").set_index("buurtcode")
    assert plan.loc["BU99990101", "strategie"] == "hybride"
    assert plan.loc["BU99990201", "strategie"] == "all-electric"
    assert plan.loc["BU99990202", "strategie"] == "nog te bepalen"
    gebieden = read.read_layer(out, "warmtegebieden")
    assert list(gebieden["gebied_id"]) == ["wg-n"] and gebieden["buurtcodes"].iloc[0] == (
        "BU99990101; BU99990102"
    )
    before = out.read_bytes()
    # a mistake in the plan: one line naming it, exit 2, the earlier GeoPackage untouched
    (data / "warmteplan.csv").write_text(
        "buurtcode;strategie\nBU99990101;hybride\nBU99990309;hybride\n", encoding="utf-8"
    )
    capsys.readouterr()
    assert main(["build", "--data", str(data), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "BU99990309" in err and "Traceback" not in err
    assert out.read_bytes() == before


def test_the_shipped_plan_is_only_used_for_its_own_municipality(write_boundaries, tmp_path, capsys):
    data = write_boundaries()
    out = tmp_path / "w.gpkg"
    assert main(["build", "--data", str(data), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "warmteplan" in printed and "hoort bij GM0484, niet bij GM9999" in printed
    plan = read.read_layer(out, "warmteplan")
    assert set(plan["plan"]) == {"geen warmteplan"}


# ---------------------------------------------------------------------------- what a user hands in


@pytest.fixture
def own_data(bundled_data, tmp_path):
    """A private copy of the bundled data with the sample sources (to change and rebuild)."""
    import shutil

    data = tmp_path / "geo"
    shutil.copytree(bundled_data, data)
    return data


@pytest.mark.slow
def test_without_the_complex_the_plan_names_the_object_is_drawn_schematically(
    own_data, tmp_path, capsys
):
    (own_data / "complexen.gpkg").unlink()
    out = tmp_path / "w.gpkg"
    assert main(["build", "--data", str(own_data), "--out", str(out)]) == 0
    assert "'Herculesflat' (Herculesflat) staat niet in de complexen" in capsys.readouterr().out
    aqua = read.read_layer(out, "aquathermie").set_index("naam")
    assert aqua.loc["Herculesflat", "ligging"] == "schematisch"
    assert pd.isna(aqua.loc["Herculesflat", "woningen"])


@pytest.mark.slow
def test_labels_that_reach_no_home_leave_the_label_inputs_unknown(own_data, tmp_path, capsys):
    labels = own_data / "v20241101_v2_csv.csv"
    header = labels.read_text(encoding="utf-8").splitlines()[0]
    labels.write_text(header + "\n", encoding="utf-8")
    out = tmp_path / "w.gpkg"
    assert main(["build", "--data", str(own_data), "--out", str(out)]) == 0
    assert "geen enkel label aan een woning" in capsys.readouterr().out
    plan = read.read_layer(out, "warmteplan")
    assert plan["aandeel_label_ab"].isna().all() and plan["aandeel_voor_1975"].notna().any()


@pytest.mark.slow
def test_a_buurt_in_two_named_districts_is_refused(own_data, tmp_path, capsys):
    from wijkplan.build.heat import DEFAULT_PLAN

    text = (
        DEFAULT_PLAN.read_text(encoding="utf-8")
        .replace(
            "    buurtcodes: [BU04840809]",
            "    buurtcodes: [BU04840809, BU04840211]\n    # (test: also in the Planetenbuurt)",
            1,
        )
        .replace("    wijkcodes: [WK048408]", "    wijkcodes: [WK048408, WK048402]", 1)
    )
    (own_data / "warmteplan.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "w.gpkg"
    assert main(["build", "--data", str(own_data), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "buurt BU04840211 staat in twee warmtegebieden (wg-planetenbuurt en wg-archeon)" in err
    assert not out.exists()


@pytest.mark.slow
def test_own_polygons_replace_one_district_and_keep_the_others(own_data, tmp_path):
    import geopandas as gpd

    b = gpd.read_file(own_data / "buurten.geojson").to_crs("EPSG:28992")
    planeten = b[b["buurtcode"].isin(PLANETENBUURT)].union_all()
    gpd.GeoDataFrame(
        {"gebied_id": ["wg-planetenbuurt"], "naam": ["Planetenbuurt"], "fase": ["uitvoering"]},
        geometry=[planeten.buffer(-20)],
        crs="EPSG:28992",
    ).to_file(own_data / "warmtegebieden.gpkg")
    out = tmp_path / "w.gpkg"
    build_layers(own_data, out)
    plan = read.read_layer(out, "warmteplan").set_index("buurtcode")
    assert plan.loc["BU04840211", "fase"] == "uitvoering"
    assert plan.loc["BU04840211", "fase_bron"] == "warmtegebieden.gpkg"
    # the strategy the polygon does not give comes from the plan; other districts stay
    assert plan.loc["BU04840211", "strategie"] == "warmtenet lage temperatuur"
    assert plan.loc["BU04840809", "gebied_id"] == "wg-archeon"
    assert plan.loc["BU04840809", "fase"] == "verkenning"


def test_a_plan_table_without_districts_builds_without_a_district_layer(write_boundaries, tmp_path):
    data = write_boundaries()
    (data / "warmteplan.csv").write_text("buurtcode;strategie\nBU99990101;hybride\n", "utf-8")
    out = tmp_path / "w.gpkg"
    report = build_layers(data, out)
    assert "warmtegebieden" not in read.layer_names(out)
    assert report.source("warmtegebieden") is None  # reported as absent
    assert any(s.name == "warmtegebieden" and s.kind == "afwezig" for s in report.sources)
    plan = read.read_layer(out, "warmteplan").set_index("buurtcode")
    assert plan.loc["BU99990101", "strategie"] == "hybride"
