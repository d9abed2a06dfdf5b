from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Polygon

from wijkplan.errors import SourceNotFoundError, ValidationError
from wijkplan.sources import load_buurten, load_wijken
from wijkplan.sources.validate import RepairWarning


def test_loads_and_keeps_rd(write_boundaries):
    data = write_boundaries()
    wijken = load_wijken(data / "wijken.geojson")
    buurten = load_buurten(data / "buurten.geojson", wijken=wijken)
    assert buurten.crs.to_epsg() == 28992
    assert list(buurten["buurtcode"]) == ["BU99990101", "BU99990102", "BU99990201", "BU99990202"]
    assert buurten.geometry.area.round().tolist() == [1_000_000.0] * 4


def test_reprojects_wgs84_to_rd(write_boundaries, tiny_buurten, tiny_wijken):
    data = write_boundaries(tiny_buurten.to_crs(4326), tiny_wijken.to_crs(4326))
    buurten = load_buurten(data / "buurten.geojson")
    assert buurten.crs.to_epsg() == 28992
    assert buurten.geometry.area.iloc[0] == pytest.approx(1_000_000, rel=1e-6)


@pytest.mark.filterwarnings("ignore:Column names longer than 10:UserWarning")
@pytest.mark.filterwarnings("ignore:Normalized/laundered field name:RuntimeWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("suffix", [".gpkg", ".fgb", ".shp"])
def test_reads_other_ogr_formats(write_boundaries, suffix):
    # Shapefile truncates gemeentecode to gemeenteco: the loader restores it
    data = write_boundaries(suffix=suffix)
    assert (
        len(load_buurten(data / f"buurten{suffix}", wijken=load_wijken(data / f"wijken{suffix}")))
        == 4
    )


@pytest.mark.filterwarnings("ignore:'crs' was not provided:UserWarning")
def test_missing_crs_is_refused(tiny_buurten, tmp_path):
    # (GeoJSON implies WGS 84 on read; a GeoPackage without SRS really has no CRS)
    gpkg = tmp_path / "nocrs.gpkg"
    tiny_buurten.set_crs(None, allow_override=True).to_file(gpkg)
    with pytest.raises(ValidationError, match="geen coördinatenstelsel"):
        load_buurten(gpkg)


def test_duplicate_and_malformed_codes_all_reported(write_boundaries, tiny_buurten):
    bad = tiny_buurten.copy()
    bad.loc[1, "buurtcode"] = "BU99990101"
    bad.loc[2, "buurtcode"] = "B0099990201"
    data = write_boundaries(bad)
    with pytest.raises(ValidationError) as info:
        load_buurten(data / "buurten.geojson")
    problems = info.value.problems
    assert any("dubbele code: 'BU99990101'" in p for p in problems)
    assert any("onjuist gevormde code: 'B0099990201'" in p for p in problems)
    assert all(str(data / "buurten.geojson") in p for p in problems)


def test_buurt_pointing_to_unknown_wijk(write_boundaries, tiny_buurten, tiny_wijken):
    data = write_boundaries(wijken=tiny_wijken.iloc[:1])
    with pytest.raises(ValidationError, match=r"onbekende wijk.*'WK999902'"):
        load_buurten(data / "buurten.geojson", wijken=load_wijken(data / "wijken.geojson"))


def test_code_nesting_checked(write_boundaries, tiny_buurten):
    bad = tiny_buurten.copy()
    bad.loc[0, "wijkcode"] = "WK999902"
    data = write_boundaries(bad)
    with pytest.raises(ValidationError, match="ligt volgens haar code niet in wijk: 'WK999902'"):
        load_buurten(data / "buurten.geojson")


def test_missing_columns(write_boundaries, tiny_buurten):
    data = write_boundaries(tiny_buurten.drop(columns=["jaar", "buurtnaam"]))
    with pytest.raises(ValidationError) as info:
        load_buurten(data / "buurten.geojson")
    assert {"buurtnaam", "jaar"} <= {p.split("'")[1] for p in info.value.problems}


def test_self_intersecting_spike_is_repaired_with_warning(write_boundaries, tiny_buurten):
    bad = tiny_buurten.copy()
    # a rounding spike: the ring runs out and crosses back over itself
    bad.loc[0, "geometry"] = Polygon(
        [
            (100_000, 450_000),
            (101_000, 450_000),
            (101_000, 451_000),
            (100_500, 451_000),
            (100_400, 451_100),
            (100_600, 451_100),
            (100_000, 451_000),
        ]
    )
    assert not bad.geometry.iloc[0].is_valid
    data = write_boundaries(bad, suffix=".gpkg")
    repairs: list[str] = []
    with pytest.warns(RepairWarning, match="BU99990101"):
        buurten = load_buurten(data / "buurten.gpkg", repairs=repairs)
    assert buurten.geometry.is_valid.all()
    assert len(repairs) == 1 and "BU99990101" in repairs[0]
    assert buurten.geometry.iloc[0].area == pytest.approx(1_020_714.29, rel=1e-6)


def test_unrepairable_polygon_is_refused(write_boundaries, tiny_buurten):
    bad = tiny_buurten.copy()
    bad.loc[3, "geometry"] = Polygon(
        [(101_000, 449_000), (101_010, 449_010), (101_020, 449_020), (101_000, 449_000)]
    )  # collapsed to a line
    data = write_boundaries(bad, suffix=".gpkg")
    with pytest.raises(ValidationError, match=r"niet te herstellen.*'BU99990202'"):
        load_buurten(data / "buurten.gpkg")


def test_missing_file_and_unreadable_file(tmp_path):
    with pytest.raises(SourceNotFoundError, match="bestaat niet"):
        load_buurten(tmp_path / "nope.geojson")
    junk = tmp_path / "buurten.geojson"
    junk.write_text("{ not json")
    with pytest.raises(ValidationError, match="geen leesbaar vectorbestand"):
        load_buurten(junk)


def test_inputs_not_mutated(write_boundaries):
    data = write_boundaries()
    wijken = load_wijken(data / "wijken.geojson")
    before = wijken.copy()
    load_buurten(data / "buurten.geojson", wijken=wijken)
    assert isinstance(wijken, gpd.GeoDataFrame)
    assert wijken.equals(before)
