from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from wijkplan.errors import ValidationError
from wijkplan.sources import load_complexen


def complexes(**overrides) -> gpd.GeoDataFrame:
    data = {
        "complex_id": ["C1", "C2", "C3"],
        "corporatie": ["Woonforte", "Woonforte", "Habeko"],
        "naam": ["Hof", "Flat", "Erf"],
        "aantal_woningen": [40, 120, 12],
        "bouwjaar": [1965, 1972, 2001],
        "energielabel": ["C", "e", "A"],
        "woningtype": ["eengezinswoning", "meergezinswoning", "seniorenwoning"],
    }
    data.update(overrides)
    geoms = [
        box(100_100, 450_100, 100_200, 450_150),
        Point(101_500, 450_500),
        box(101_950, 449_100, 102_000, 449_150),
    ]
    return gpd.GeoDataFrame(data, geometry=geoms, crs="EPSG:28992")


def test_points_and_polygons_get_their_buurt(tmp_path, tiny_buurten):
    path = tmp_path / "complexen.gpkg"
    complexes().to_file(path)
    out = load_complexen(path, buurten=tiny_buurten)
    assert out["buurtcode"].tolist() == ["BU99990101", "BU99990102", "BU99990202"]
    assert out["energielabel"].tolist() == ["C", "E", "A"]
    assert (out["bron"] == "complexen.gpkg").all()
    assert out.crs.to_epsg() == 28992


def test_buurtcode_in_file_is_not_trusted(tmp_path, tiny_buurten):
    path = tmp_path / "complexen.gpkg"
    complexes(buurtcode=["BU99990202"] * 3).to_file(path)
    assert load_complexen(path, buurten=tiny_buurten)["buurtcode"].iloc[0] == "BU99990101"


def test_every_problem_reported(tmp_path, tiny_buurten):
    bad = complexes(
        complex_id=["C1", "C1", "C3"],
        energielabel=["C", "Q", "A"],
        aantal_woningen=[40, -3, "veel"],
    )
    bad.loc[2, "geometry"] = Point(150_000, 450_000)  # in RD, outside the buurten
    path = tmp_path / "complexen.gpkg"
    bad.to_file(path)
    with pytest.raises(ValidationError) as info:
        load_complexen(path, buurten=tiny_buurten)
    text = "\n".join(info.value.problems)
    assert "dubbele code: 'C1'" in text
    assert "onbekend energielabel: 'Q'" in text
    assert "geen getal: 'veel'" in text
    assert "negatief" in text
    assert "buiten alle buurten: 'C3'" in text


def test_missing_column(tmp_path, tiny_buurten):
    path = tmp_path / "complexen.geojson"
    complexes().drop(columns=["energielabel"]).to_file(path)
    with pytest.raises(ValidationError, match="'energielabel': verplichte kolom ontbreekt"):
        load_complexen(path, buurten=tiny_buurten)


def test_all_outside_suggests_the_crs(tmp_path, tiny_buurten):
    wrong = complexes().set_crs("EPSG:4326", allow_override=True)  # RD numbers labelled as WGS 84
    path = tmp_path / "complexen.gpkg"
    wrong.to_file(path)
    with pytest.raises(ValidationError) as info:
        load_complexen(path, buurten=tiny_buurten)
    assert len(info.value.problems) == 1
    assert "zijn het RD-coördinaten" in info.value.problems[0]


def test_every_complex_outside_gives_one_line_with_a_hint(tmp_path, tiny_buurten):
    moved = complexes().set_crs("EPSG:3857", allow_override=True)  # a plausible but wrong label
    path = tmp_path / "complexen.gpkg"
    moved.to_file(path)
    with pytest.raises(ValidationError) as info:
        load_complexen(path, buurten=tiny_buurten)
    assert len(info.value.problems) == 1  # refused on reading: the file is named, not the buurten
    assert "liggen niet in Nederland" in info.value.problems[0]
    assert "coördinatenstelsel EPSG:3857" in info.value.problems[0]
