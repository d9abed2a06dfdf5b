"""Tests of wijkplan.analysis.zonal: hand-computed coverage on a 3x3 raster, exact
agreement with polygon clipping, exactextract and rasterstats, and the file API."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from affine import Affine
from geopandas import GeoSeries
from shapely import MultiPolygon, Polygon, box

from wijkplan.analysis.zonal import zonal_stats, zonal_stats_file
from wijkplan.errors import CRSMismatchError, ValidationError

RD = "EPSG:28992"
# 3x3 cells of 100 m: x 1000..1300, y 2000..2300; row 0 is the top (north) row.
T3 = Affine(100, 0, 1000, 0, -100, 2300)
V3 = np.arange(1.0, 10.0).reshape(3, 3)  # [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
ROTATED = Affine(86.6, -50.0, 1000, -50.0, -86.6, 2300)  # the same cells turned by 30 degrees

# name: (polygon, mean, cells, coverage, area_cells), all worked out by hand
HAND = {
    # right half of cell (0,0)=1 and left half of (0,1)=2
    "two halves": (box(1050, 2200, 1150, 2300), 1.5, 1.0, 1.0, 1.0),
    # the south-east quarter of cell (2,2)=9
    "quarter cell": (box(1250, 2000, 1300, 2050), 9.0, 0.25, 1.0, 0.25),
    # a triangle of 1800 m2 inside cell (1,1)=5
    "inside one cell": (Polygon([(1120, 2120), (1180, 2120), (1150, 2180)]), 5.0, 0.18, 1.0, 0.18),
    # 20 x 20 m around the corner of cells 2, 3, 5 and 6: 0.01 of each
    "tiny on a corner": (box(1190, 2190, 1210, 2210), 4.0, 0.04, 1.0, 0.04),
    # the whole raster minus a hole of a quarter of cells 2, 3, 5 and 6
    "hole": (
        Polygon(
            [(1000, 2000), (1300, 2000), (1300, 2300), (1000, 2300)],
            [[(1150, 2150), (1250, 2150), (1250, 2250), (1150, 2250)]],
        ),
        (45 - 0.25 * (2 + 3 + 5 + 6)) / 8,
        8.0,
        1.0,
        8.0,
    ),
    # cell (0,0)=1 plus the east half of cell (2,2)=9
    "multipolygon": (
        MultiPolygon([box(1000, 2200, 1100, 2300), box(1250, 2000, 1300, 2100)]),
        (1 + 4.5) / 1.5,
        1.5,
        1.0,
        1.5,
    ),
    # upper-left triangle: cells 1, 2, 4 whole, 3, 5, 7 half along the diagonal
    "diagonal": (Polygon([(1000, 2300), (1300, 2300), (1000, 2000)]), 14.5 / 4.5, 4.5, 1.0, 4.5),
    # 100 x 100 m sticking out north-east: only a quarter of cell (0,2)=3 is on the raster
    "partly outside": (box(1250, 2250, 1350, 2350), 3.0, 0.25, 0.25, 1.0),
    "outside": (box(2000, 2000, 2100, 2100), np.nan, 0.0, 0.0, 1.0),
}


def hand_zones() -> GeoSeries:
    return GeoSeries([v[0] for v in HAND.values()], index=list(HAND), crs=RD)


def assert_row(
    row: pd.Series, mean: float, cells: float, coverage: float, area: float, band: str = "band_1"
) -> None:
    if np.isnan(mean):
        assert np.isnan(row[f"{band}_mean"])
    else:
        assert row[f"{band}_mean"] == pytest.approx(mean, rel=1e-12)
    assert row["cells"] == pytest.approx(cells, rel=1e-12, abs=1e-12)
    assert row["coverage"] == pytest.approx(coverage, rel=1e-12, abs=1e-12)
    assert row["area_cells"] == pytest.approx(area, rel=1e-12)


# --------------------------------------------------------------------------- by hand


@pytest.mark.parametrize("name", list(HAND))
def test_hand_computed_coverage(name: str) -> None:
    result = zonal_stats(hand_zones(), V3, T3, crs=RD)
    _, mean, cells, coverage, area = HAND[name]
    assert_row(result.loc[name], mean, cells, coverage, area)


def test_result_indexed_like_zones_with_expected_columns() -> None:
    zones = hand_zones()
    result = zonal_stats(zones, V3, T3, crs=RD, band_names=["lbm"])
    assert list(result.index) == list(zones.index)
    assert list(result.columns) == ["lbm_mean", "cells", "coverage", "area_cells"]


def test_ring_orientation_does_not_matter() -> None:
    zones = hand_zones()
    forward = zonal_stats(zones, V3, T3, crs=RD)
    backward = zonal_stats(
        GeoSeries(shapely.reverse(zones.values), index=zones.index, crs=RD), V3, T3, crs=RD
    )
    pd.testing.assert_frame_equal(forward, backward, rtol=1e-12)


@pytest.mark.parametrize("kind", ["value", "nan", "masked"])
def test_nodata_cells_are_left_out(kind: str) -> None:
    data = V3.copy()
    nodata = None
    if kind == "value":
        data[1, 1], nodata = -9999.0, -9999.0
    elif kind == "nan":
        data[1, 1] = np.nan
    else:
        data = np.ma.masked_array(data, mask=np.zeros((3, 3), dtype=bool))
        data[1, 1] = np.ma.masked
    zones = GeoSeries(
        [
            box(1000, 2000, 1300, 2300),  # everything: 8 valid cells of 9
            box(1150, 2100, 1250, 2200),  # half of the nodata cell, half of cell 6
            box(1120, 2120, 1180, 2180),  # only on the nodata cell
        ],
        crs=RD,
    )
    result = zonal_stats(zones, data, T3, crs=RD, nodata=nodata)
    assert_row(result.iloc[0], 40 / 8, 8.0, 8 / 9, 9.0)
    assert_row(result.iloc[1], 6.0, 0.5, 0.5, 1.0)
    assert_row(result.iloc[2], np.nan, 0.0, 0.0, 0.36)


def test_validity_is_per_band() -> None:
    band2 = 10 * V3
    band2[0, 0] = -1.0
    data = np.stack([V3, band2])
    zones = GeoSeries([box(1000, 2200, 1200, 2300), box(1000, 2200, 1100, 2300)], crs=RD)
    result = zonal_stats(zones, data, T3, crs=RD, nodata=-1.0, band_names=["a", "b"])
    assert result["a_mean"].tolist() == pytest.approx([1.5, 1.0])
    assert result["b_mean"].iloc[0] == pytest.approx(20.0)  # cell (0,0) has no data in band b
    assert np.isnan(result["b_mean"].iloc[1])
    # cells and coverage follow the first band
    assert result["cells"].tolist() == pytest.approx([2.0, 1.0])
    assert result["coverage"].tolist() == pytest.approx([1.0, 1.0])


def test_inputs_are_not_modified() -> None:
    data = np.ma.masked_array(np.stack([V3, V3]), mask=False)
    data[0, 1, 1] = np.ma.masked
    data_before = data.copy()
    raw = np.stack([V3, V3])
    raw[1, 0, 0] = np.nan
    raw_before = raw.copy()
    zones = hand_zones()
    zones_before = zones.copy()
    zonal_stats(zones, data, T3, crs=RD)
    zonal_stats(zones, raw, T3, crs=RD)
    np.testing.assert_array_equal(data.data, data_before.data)
    np.testing.assert_array_equal(data.mask, data_before.mask)
    np.testing.assert_array_equal(raw, raw_before)
    assert zones.geom_equals_exact(zones_before, tolerance=0).all()


def test_integer_raster_and_empty_zones() -> None:
    data = np.arange(1, 10, dtype=np.int16).reshape(3, 3)
    result = zonal_stats(GeoSeries([box(1050, 2200, 1150, 2300)], crs=RD), data, T3, crs=RD)
    assert result["band_1_mean"].iloc[0] == pytest.approx(1.5)
    empty = zonal_stats(GeoSeries([], crs=RD), data, T3, crs=RD)
    assert empty.empty
    assert list(empty.columns) == ["band_1_mean", "cells", "coverage", "area_cells"]


@pytest.mark.parametrize("method", ["exact", "centre"])
def test_missing_and_empty_geometries_have_no_data(method: str) -> None:
    zones = GeoSeries([None, Polygon(), box(1000, 2000, 1100, 2100), MultiPolygon()], crs=RD)
    result = zonal_stats(zones, V3, T3, crs=RD, method=method)
    assert result["band_1_mean"].isna().tolist() == [True, True, False, True]
    assert result["band_1_mean"].iloc[2] == 7.0
    assert result["cells"].tolist() == [0.0, 0.0, 1.0, 0.0]
    assert result["coverage"].tolist() == [0.0, 0.0, 1.0, 0.0]
    assert result["area_cells"].tolist() == [0.0, 0.0, 1.0, 0.0]


def test_refuses_other_crs_no_crs_and_rotated_grid() -> None:
    zones = hand_zones()
    with pytest.raises(CRSMismatchError, match="EPSG:4326"):
        zonal_stats(zones, V3, T3, crs="EPSG:4326")
    with pytest.raises(CRSMismatchError, match="geen CRS"):
        zonal_stats(GeoSeries(zones.to_numpy()), V3, T3, crs=RD)
    with pytest.raises(ValidationError, match="noord-boven"):
        zonal_stats(zones, V3, ROTATED, crs=RD)
    with pytest.raises(ValidationError, match="geen \\(Multi\\)Polygon"):
        zonal_stats(GeoSeries([shapely.Point(1100, 2100)], crs=RD), V3, T3, crs=RD)


# --------------------------------------------------------------------------- independent references


def random_case(seed: int) -> tuple[GeoSeries, np.ndarray, Affine]:
    """A 40 x 50 raster with gaps and irregular polygons, holes and multipolygons."""
    rng = np.random.default_rng(seed)
    rows, cols = 40, 50
    transform = Affine(100, 0, 113_000, 0, -100, 463_000)
    data = rng.uniform(1, 10, (2, rows, cols))
    data[0, 5:12, 8:20] = np.nan
    data[1][rng.random((rows, cols)) < 0.05] = np.nan
    polys = []
    for i in range(60):
        cx = 113_000 + rng.uniform(-300, cols * 100 + 300)
        cy = 463_000 - rng.uniform(-300, rows * 100 + 300)
        radius = rng.choice([12.0, 45.0, 150.0, 600.0])
        k = int(rng.integers(5, 40))
        angles = np.sort(rng.uniform(0, 2 * np.pi, k))
        r = radius * rng.uniform(0.4, 1.0, k)
        poly = Polygon(np.c_[cx + r * np.cos(angles), cy + r * np.sin(angles)])
        if i % 4 == 0:
            poly = (
                shapely.Point(cx, cy)
                .buffer(radius)
                .difference(shapely.Point(cx, cy).buffer(radius / 3))
            )
        if i % 7 == 0:
            poly = MultiPolygon(
                [poly, box(cx + 2 * radius, cy, cx + 2.7 * radius, cy + 0.4 * radius)]
            )
        polys.append(shapely.make_valid(poly) if not poly.is_valid else poly)
    polys = [p for p in polys if p.geom_type in ("Polygon", "MultiPolygon")]
    return GeoSeries(polys, crs=RD), data, transform


def clipped_means(zones: GeoSeries, data: np.ndarray, transform: Affine) -> np.ndarray:
    """Reference: clip every cell with shapely (local coordinates), weight by area."""
    _, rows, cols = data.shape
    x0, y0 = transform.c, transform.f
    c, r = np.meshgrid(np.arange(cols), np.arange(rows))
    cells = shapely.box(c * 100.0, -(r + 1) * 100.0, (c + 1) * 100.0, -r * 100.0).ravel()
    out = np.full((len(zones), data.shape[0]), np.nan)
    for i, geom in enumerate(zones.values):
        local = shapely.transform(geom, lambda xy: xy - [x0, y0])
        weights = shapely.area(shapely.intersection(cells, local))
        for b in range(data.shape[0]):
            values = data[b].ravel()
            ok = np.isfinite(values) & (weights > 0)
            if ok.any():
                out[i, b] = np.sum(weights[ok] * values[ok]) / np.sum(weights[ok])
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_agrees_with_exact_polygon_clipping(seed: int) -> None:
    zones, data, transform = random_case(seed)
    result = zonal_stats(zones, data, transform, crs=RD)
    expected = clipped_means(zones, data, transform)
    np.testing.assert_allclose(
        result[["band_1_mean", "band_2_mean"]].to_numpy(), expected, rtol=1e-9
    )
    np.testing.assert_allclose(result["area_cells"], shapely.area(zones.values) / 1e4, rtol=1e-9)


def write_tif(path, data: np.ndarray, transform: Affine, crs: str | None = RD, **extra) -> None:
    profile = dict(driver="GTiff", width=data.shape[2], height=data.shape[1], count=data.shape[0])
    profile.update(dtype=data.dtype, crs=crs, transform=transform, **extra)
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data)


@pytest.mark.parametrize("seed", [1, 2])
def test_agrees_with_exactextract(tmp_path, seed: int) -> None:
    exactextract = pytest.importorskip("exactextract")
    zones, data, transform = random_case(seed)
    data = np.where(np.isnan(data), -9999.0, data)
    write_tif(tmp_path / "r.tif", data, transform, nodata=-9999.0)
    ours = zonal_stats_file({"zones": zones}, tmp_path / "r.tif")["zones"]
    theirs = exactextract.exact_extract(
        str(tmp_path / "r.tif"), zones.to_frame("geometry"), ["mean", "count"], output="pandas"
    )
    # exactextract keeps coverage fractions in single precision (isciences/exactextract#101),
    # so agreement is to about 1e-7; the 1e-9 check is against exact clipping above.
    for b in (1, 2):
        np.testing.assert_allclose(ours[f"band_{b}_mean"], theirs[f"band_{b}_mean"], rtol=1e-6)
    np.testing.assert_allclose(ours["cells"], theirs["band_1_count"], rtol=1e-6, atol=1e-6)


# --------------------------------------------------------------------------- centre mode


def test_centre_mode_counts_cells_whose_centre_is_inside() -> None:
    zones, data, transform = random_case(3)
    result = zonal_stats(zones, data, transform, crs=RD, method="centre")
    _, rows, cols = data.shape
    c, r = np.meshgrid(np.arange(cols), np.arange(rows))
    cx = transform.c + (c + 0.5) * transform.a
    cy = transform.f + (r + 0.5) * transform.e
    for i, geom in enumerate(zones.values):
        inside = shapely.contains_xy(geom, cx, cy)
        for b in range(2):
            ok = inside & np.isfinite(data[b])
            got = result[f"band_{b + 1}_mean"].iloc[i]
            if ok.any():
                assert got == pytest.approx(data[b][ok].mean(), rel=1e-12)
            else:
                assert np.isnan(got)
        assert result["cells"].iloc[i] == np.count_nonzero(inside & np.isfinite(data[0]))


def test_centre_mode_on_the_3x3_raster() -> None:
    zones = GeoSeries(
        [
            box(1040, 2140, 1140, 2300),  # the centres of cells (0,0)=1 and (1,0)=4
            Polygon([(1110, 2110), (1140, 2110), (1110, 2140)]),  # in cell (1,1), not its centre
            box(1240, 2240, 1400, 2400),  # centre of (0,2) inside, the rest outside the raster
        ],
        crs=RD,
    )
    result = zonal_stats(zones, V3, T3, crs=RD, method="centre")
    assert result["band_1_mean"].iloc[0] == pytest.approx((1 + 4) / 2)
    assert result["cells"].tolist() == [2.0, 0.0, 1.0]
    assert np.isnan(result["band_1_mean"].iloc[1])
    assert result["coverage"].tolist() == pytest.approx([1.0, 0.0, 1 / 4])
    assert result["area_cells"].iloc[1] == pytest.approx(0.045)  # the area stays exact


# rasterstats 0.21 multiplies Affine objects with `*`, which affine 3.1 deprecates.
@pytest.mark.filterwarnings("ignore:Use `@` matmul:PendingDeprecationWarning")
def test_centre_mode_matches_rasterstats(tmp_path) -> None:
    rasterstats = pytest.importorskip("rasterstats")
    zones, data, transform = random_case(4)
    data = np.where(np.isnan(data), -9999.0, data)
    write_tif(tmp_path / "r.tif", data, transform, nodata=-9999.0)
    ours = zonal_stats_file({"z": zones}, tmp_path / "r.tif", method="centre")["z"]
    for b in (1, 2):
        stats = rasterstats.zonal_stats(
            list(zones.values), str(tmp_path / "r.tif"), band=b, stats=["mean", "count"]
        )
        means = np.array([np.nan if s["mean"] is None else s["mean"] for s in stats])
        np.testing.assert_allclose(ours[f"band_{b}_mean"], means, rtol=1e-9)
        if b == 1:
            assert ours["cells"].tolist() == [s["count"] for s in stats]


# --------------------------------------------------------------------------- files


class CountingDataset:
    """Wraps a rasterio dataset and counts the reads."""

    def __init__(self, dataset, counter: dict[str, int]) -> None:
        self._dataset = dataset
        self._counter = counter

    def __enter__(self):
        self._dataset.__enter__()
        return self

    def __exit__(self, *exc):
        return self._dataset.__exit__(*exc)

    def read(self, *args, **kwargs):
        self._counter["read"] += 1
        return self._dataset.read(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._dataset, name)


def test_file_reads_once_and_splits_per_zone_set(tmp_path, monkeypatch) -> None:
    zones, data, transform = random_case(5)
    data = np.where(np.isnan(data), -9999.0, data).astype(np.float32)
    path = tmp_path / "lbm.tif"
    write_tif(path, data, transform, nodata=-9999.0)
    with rasterio.open(path, "r+") as dst:
        dst.descriptions = ("lbm", "onv")
    buurten = GeoSeries(zones.values[:30], index=[f"BU{i:08d}" for i in range(30)], crs=RD)
    complexen = GeoSeries(
        zones.values[30:45], index=pd.Index(range(100, 115), name="complex_id"), crs=RD
    )
    regie = GeoSeries(zones.values[45:], crs=RD)

    counter = {"open": 0, "read": 0}
    real_open = rasterio.open

    def counting_open(*args, **kwargs):
        counter["open"] += 1
        return CountingDataset(real_open(*args, **kwargs), counter)

    monkeypatch.setattr(rasterio, "open", counting_open)
    frames = zonal_stats_file({"buurten": buurten, "complexen": complexen, "regie": regie}, path)
    assert counter == {"open": 1, "read": 1}
    monkeypatch.undo()

    masked = np.ma.masked_equal(data, -9999.0)
    for name, zs in (("buurten", buurten), ("complexen", complexen), ("regie", regie)):
        expected = zonal_stats(zs, masked, transform, crs=RD, band_names=["lbm", "onv"])
        pd.testing.assert_frame_equal(frames[name], expected, rtol=1e-12)


def test_file_reads_only_the_window_of_the_zones(tmp_path) -> None:
    _, data, transform = random_case(6)
    data = np.where(np.isnan(data), -9999.0, data)
    write_tif(tmp_path / "r.tif", data, transform, nodata=-9999.0)
    corner = GeoSeries(
        [box(112_950, 462_950, 113_420, 463_080), box(113_110, 462_600, 113_160, 462_610)], crs=RD
    )
    got = zonal_stats_file({"c": corner}, tmp_path / "r.tif")["c"]
    expected = zonal_stats(corner, data, transform, crs=RD, nodata=-9999.0)
    pd.testing.assert_frame_equal(got, expected, rtol=1e-12)
    outside = zonal_stats_file({"o": GeoSeries([box(0, 0, 50, 50)], crs=RD)}, tmp_path / "r.tif")[
        "o"
    ]
    assert np.isnan(outside["band_1_mean"].iloc[0])
    assert outside["cells"].iloc[0] == 0.0


def test_file_band_selection_mask_band_and_int16(tmp_path) -> None:
    data = np.stack(
        [
            np.arange(1, 10, dtype=np.int16).reshape(3, 3),
            10 * np.arange(1, 10, dtype=np.int16).reshape(3, 3),
        ]
    )
    path = tmp_path / "m.tif"
    write_tif(path, data, T3)
    with rasterio.open(path, "r+") as dst:
        dst.descriptions = ("won", "fys")
        mask = np.full((3, 3), 255, dtype=np.uint8)
        mask[1, 1] = 0  # the centre cell has no data, by the GDAL mask band
        dst.write_mask(mask)
    zones = {"z": GeoSeries([box(1000, 2000, 1300, 2300)], crs=RD)}
    result = zonal_stats_file(zones, path, bands=["fys"])["z"]
    assert list(result.columns) == ["fys_mean", "cells", "coverage", "area_cells"]
    assert result["fys_mean"].iloc[0] == pytest.approx(400 / 8)
    assert result["coverage"].iloc[0] == pytest.approx(8 / 9)
    assert zonal_stats_file(zones, path, bands=[1])["z"]["won_mean"].iloc[0] == pytest.approx(5.0)
    with pytest.raises(ValidationError, match="bestaat niet"):
        zonal_stats_file(zones, path, bands=["lbm", 7])


def test_file_refuses_crs_mismatch(tmp_path) -> None:
    path = tmp_path / "wgs.tif"
    write_tif(path, V3[np.newaxis], T3, crs="EPSG:3857")
    zones = hand_zones()
    with pytest.raises(CRSMismatchError) as info:
        zonal_stats_file({"buurten": zones, "regie": GeoSeries(zones.to_numpy())}, path)
    problems = info.value.problems
    assert len(problems) == 2
    assert str(path) in problems[0] and "EPSG:3857" in problems[0] and "EPSG:28992" in problems[0]
    assert "'regie'" in problems[1] and "geen CRS" in problems[1]
    for line in problems:
        assert "\n" not in line

    no_crs = tmp_path / "nocrs.tif"
    write_tif(no_crs, V3[np.newaxis], T3, crs=None)
    with pytest.raises(CRSMismatchError, match="geen CRS"):
        zonal_stats_file({"buurten": zones}, no_crs)

    rotated = tmp_path / "rot.tif"
    write_tif(rotated, V3[np.newaxis], ROTATED)
    with pytest.raises(ValidationError, match="noord-boven"):
        zonal_stats_file({"buurten": zones}, rotated)
