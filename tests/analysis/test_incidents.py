"""Incident aggregation per buurt, wijk, regie area and gemeente: counts, rates, privacy."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from wijkplan.analysis.incidents import incident_tables, regie_buurten
from wijkplan.analysis.privacy import assert_no_small_counts
from wijkplan.config import load_config

CFG = load_config()


@pytest.fixture
def buurten() -> gpd.GeoDataFrame:
    """Four 1 km² buurten in two wijken."""
    return gpd.GeoDataFrame(
        {
            "buurtcode": ["BU99990101", "BU99990102", "BU99990201", "BU99990202"],
            "wijkcode": ["WK999901", "WK999901", "WK999902", "WK999902"],
            "gemeentecode": "GM9999",
        },
        geometry=[
            box(0, 0, 1000, 1000),
            box(1000, 0, 2000, 1000),
            box(0, 1000, 1000, 2000),
            box(1000, 1000, 2000, 2000),
        ],
        crs="EPSG:28992",
    )


@pytest.fixture
def wijken(buurten: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    w = buurten.dissolve(by="wijkcode").reset_index()[["wijkcode", "gemeentecode", "geometry"]]
    w["aantal_inwoners"] = [2000, 4000]
    w["jaar"] = 2024
    return w


def _incidents(
    buurten: gpd.GeoDataFrame, plan: dict[tuple[str, int, str], int]
) -> gpd.GeoDataFrame:
    rows = []
    centres = dict(zip(buurten["buurtcode"], buurten.geometry.centroid, strict=True))
    for (bu, year, cat), n in plan.items():
        c = centres[bu]
        rows += [
            {"jaar": year, "categorie": cat, "buurtcode": bu, "geometry": Point(c.x + i, c.y)}
            for i in range(n)
        ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:28992")


PLAN = {
    ("BU99990101", 2023, "overlast"): 12,
    ("BU99990101", 2023, "vernieling"): 7,
    ("BU99990101", 2024, "overlast"): 9,
    ("BU99990101", 2024, "geweld"): 2,
    ("BU99990102", 2023, "overlast"): 6,
    ("BU99990102", 2024, "overlast"): 8,
    ("BU99990201", 2023, "vervuiling"): 20,
    ("BU99990201", 2024, "vervuiling"): 18,
    ("BU99990202", 2023, "woninginbraak"): 5,
    ("BU99990202", 2024, "woninginbraak"): 6,
    ("BU99990202", 2024, "jeugdoverlast"): 1,
}


def test_tables_counts_rates_and_levels(
    buurten: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame
) -> None:
    tabs = incident_tables(_incidents(buurten, PLAN), buurten=buurten, wijken=wijken)
    assert tabs.years == (2023, 2024)
    assert tabs.categories == tuple(CFG.categories)
    b = tabs.buurt.set_index(["buurtcode", "periode"])
    assert b.loc[("BU99990201", "2023"), "vervuiling"] == 20
    assert b.loc[("BU99990201", "2023-2024"), "vervuiling"] == 38
    assert b.loc[("BU99990101", "2024"), "geweld"] is pd.NA  # 2: suppressed
    assert b.loc[("BU99990102", "2024"), "geweld"] == 0  # a true zero is shown
    # No buurt population in the sources: no rate, and a flag saying so.
    assert b["per_1000_totaal"].isna().all() and not b["inwoners_bekend"].any()
    assert any("buurt" in n for n in tabs.notes)
    w = tabs.wijk.set_index(["wijkcode", "periode"])
    assert w.loc[("WK999902", "2023"), "totaal"] == 25
    assert w.loc[("WK999902", "2023"), "per_1000_totaal"] == pytest.approx(25 / 4000 * 1000)
    assert w.loc[("WK999902", "2023-2024"), "n_jaren"] == 2
    assert w.loc[("WK999902", "2023"), "inwoners_jaar"] == "CBS 2024"
    g = tabs.gemeente.set_index("periode")
    assert g.loc["2023", "inwoners"] == 6000
    assert g.loc["2023", "per_km2_totaal"] == pytest.approx(g.loc["2023", "totaal"] / 4.0)
    for table in (tabs.buurt, tabs.wijk, tabs.regie, tabs.gemeente):
        assert_no_small_counts(table)
        assert not isinstance(table, gpd.GeoDataFrame)
        assert not {"geometry", "datum", "x", "y"} & set(table.columns)


def test_rates_of_suppressed_counts_are_missing(
    buurten: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame
) -> None:
    pop = {"BU99990101": 1000, "BU99990102": 1000, "BU99990201": 2000, "BU99990202": 2000}
    tabs = incident_tables(
        _incidents(buurten, PLAN), buurten=buurten, wijken=wijken, buurt_population=pop
    )
    b = tabs.buurt
    assert b["inwoners_bekend"].all()
    hidden = b["geweld"].isna()
    assert hidden.any() and b.loc[hidden, "per_1000_geweld"].isna().all()
    row = b[(b.buurtcode == "BU99990201") & (b.periode == "2023")].iloc[0]
    assert row["per_1000_vervuiling"] == pytest.approx(10.0)


def test_regie_area_of_whole_buurten_is_protected_with_them(
    buurten: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame
) -> None:
    regie = gpd.GeoDataFrame(
        {"regie_id": ["R1"]}, geometry=[buurten.geometry.iloc[0].buffer(0.5)], crs="EPSG:28992"
    )
    assert regie_buurten(regie, buurten) == {"R1": ["BU99990101"]}
    pop = dict.fromkeys(buurten["buurtcode"], 1500)
    tabs = incident_tables(
        _incidents(buurten, PLAN), buurten=buurten, wijken=wijken, regie=regie, buurt_population=pop
    )
    r = tabs.regie.drop(columns=["regie_id", "oppervlakte_km2", "per_km2_totaal", "inwoners_jaar"])
    b = tabs.buurt[tabs.buurt.buurtcode == "BU99990101"].drop(
        columns=["buurtcode", "oppervlakte_km2", "per_km2_totaal", "inwoners_jaar"]
    )
    pd.testing.assert_frame_equal(r.reset_index(drop=True), b.reset_index(drop=True))
    assert tabs.regie["inwoners"].iloc[0] == 1500


def test_regie_area_not_made_of_buurten_is_counted_from_points(buurten: gpd.GeoDataFrame) -> None:
    regie = gpd.GeoDataFrame(
        {"regie_id": ["R9"]}, geometry=[box(400, 400, 1600, 600)], crs="EPSG:28992"
    )
    assert regie_buurten(regie, buurten) == {"R9": None}
    tabs = incident_tables(_incidents(buurten, PLAN), buurten=buurten, regie=regie)
    r = tabs.regie.set_index("periode")
    # 2023: 18 overlast (12 + 6 near the two centres) and 7 vernieling; 2024: 17 overlast, 2 geweld.
    assert r.loc["2023", "totaal"] == 25 and r.loc["2023-2024", "totaal"] == 44
    assert (
        r.loc["2024", "geweld"] is pd.NA and r.loc["2024", "overlast"] is pd.NA
    )  # 2, and its complement
    assert r["inwoners"].isna().all()
    assert any("R9" in n for n in tabs.notes)


def test_counts_input_from_police(buurten: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame) -> None:
    counts = pd.DataFrame(
        {
            "gebiedscode": ["BU99990101", "BU99990102", "BU99990201", "BU99990202"],
            "jaar": 2024,
            "categorie": ["geweld", "geweld", "woninginbraak", "geweld"],
            "aantal": pd.array([12, 3, 9, 30], dtype="Int64"),
        }
    )
    tabs = incident_tables(counts, buurten=buurten, wijken=wijken)
    assert tabs.categories == ("woninginbraak", "geweld")
    assert tabs.years == (2024,)
    b = tabs.buurt.set_index("buurtcode")
    assert b.loc["BU99990102", "geweld"] is pd.NA and b.loc["BU99990201", "woninginbraak"] == 9
    assert set(tabs.buurt["periode"]) == {"2024"}


def test_unknown_buurt_is_refused(buurten: gpd.GeoDataFrame) -> None:
    counts = pd.DataFrame(
        {"buurtcode": ["BU12345678"], "jaar": [2024], "categorie": ["geweld"], "aantal": [9]}
    )
    with pytest.raises(ValueError, match="BU12345678"):
        incident_tables(counts, buurten=buurten)


def test_inputs_are_not_changed(buurten: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame) -> None:
    inc = _incidents(buurten, PLAN)
    before = (inc.copy(), buurten.copy(), wijken.copy())
    incident_tables(inc, buurten=buurten, wijken=wijken)
    pd.testing.assert_frame_equal(inc, before[0])
    pd.testing.assert_frame_equal(buurten, before[1])
    pd.testing.assert_frame_equal(wijken, before[2])
    assert np.isfinite(buurten.area).all()


def test_rate_without_inhabitants_is_empty_not_infinite(
    buurten: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame
) -> None:
    """An industrial estate with 0 inhabitants has counts but no rate per 1,000 (was inf)."""
    pop = {"BU99990101": 0, "BU99990102": 1000, "BU99990201": 2000, "BU99990202": 2000}
    tabs = incident_tables(
        _incidents(buurten, PLAN), buurten=buurten, wijken=wijken, buurt_population=pop
    )
    b = tabs.buurt.set_index(["buurtcode", "periode"])
    estate = b.loc[("BU99990101", "2023")]
    assert estate["totaal"] == 19 and estate["inwoners"] == 0
    assert pd.isna(estate["per_1000_totaal"]) and estate["per_km2_totaal"] == 19.0
    for table in (tabs.buurt, tabs.wijk, tabs.regie, tabs.gemeente):
        rates = table.filter(like="per_").to_numpy(dtype="float64", na_value=np.nan)
        assert not np.isinf(rates).any()
