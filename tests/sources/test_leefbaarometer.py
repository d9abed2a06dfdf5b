"""Leefbaarometer loader, GeoTIFF writer and sample generator, on tiny inline data."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from affine import Affine
from shapely.geometry import Polygon, box

from wijkplan.build.rasters import leefbaarometer_to_geotiff, leefbaarometer_to_geotiffs
from wijkplan.errors import SourceNotFoundError, ValidationError
from wijkplan.sample.common import sample_bron
from wijkplan.sample.leefbaarometer import (
    CSV_NAME,
    GPKG_NAME,
    default_regie_buurtcodes,
    sample_leefbaarometer,
    write_scores_csv,
)
from wijkplan.settings import is_sample
from wijkplan.sources.leefbaarometer import (
    NODATA,
    SCORE_COLUMNS,
    CellsWarning,
    find_leefbaarometer,
    grid_id_of,
    load_leefbaarometer,
    load_leefbaarometer_cells,
    open_liveability_raster,
    parse_grid_id,
    raster_tags,
    warn_missing_cells,
)
from wijkplan.sources.validate import ColumnsWarning

HEADER = "grid_id,jaar,lbm,afw,fys,onv,soc,vrz,won"


def _row(gid: str, year: int, afw: float) -> str:
    return f"{gid},{year},{4.0 + afw:.4f},{afw:.4f},0.01,-0.02,0.0,0.03,{afw - 0.02:.4f}"


@pytest.fixture
def scores_csv(tmp_path: Path) -> Path:
    """Cells E1000..1002 x N4000..4001 in 2022 and 2024; one cell unscored in 2024."""
    lines = [HEADER]
    for year, shift in ((2022, 0.0), (2024, 0.1)):
        for e in (1000, 1001, 1002):
            for n in (4000, 4001):
                if year == 2024 and (e, n) == (1002, 4001):
                    continue
                lines.append(
                    _row(f"E{e}N{n}", year, round((e - 1000) * 0.1 - (n - 4000) * 0.05 + shift, 4))
                )
    path = tmp_path / "Leefbaarometer-scores grids 2002-2024.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_parse_grid_id_lower_left_corner_in_hectometres() -> None:
    xy = parse_grid_id(pd.Series(["E1213N4879", " E0999N3001 ", "E1213N48790", "N4879E1213", ""]))
    assert xy.iloc[0].tolist() == [121300.0, 487900.0]
    assert xy.iloc[1].tolist() == [99900.0, 300100.0]
    assert xy.iloc[2:].isna().all().all()
    assert grid_id_of(np.array([121350.0]), np.array([487999.0])).tolist() == ["E1213N4879"]


def test_load_real_format(scores_csv: Path) -> None:
    frame = load_leefbaarometer(scores_csv)
    assert list(frame.columns) == ["grid_id", "jaar", "x", "y", *SCORE_COLUMNS, "bron"]
    assert len(frame) == 11
    assert sorted(set(frame["jaar"])) == [2022, 2024]
    assert frame["bron"].iloc[0] == "Leefbaarometer 2022"
    first = frame[(frame.grid_id == "E1001N4000") & (frame.jaar == 2024)].iloc[0]
    assert (first.x, first.y, first.afw) == (100100.0, 400000.0, pytest.approx(0.2))
    only = load_leefbaarometer(scores_csv, years=[2024])
    assert set(only["jaar"]) == {2024}
    with pytest.raises(ValidationError, match="jaar niet in het bestand"):
        load_leefbaarometer(scores_csv, years=[2018])


def test_semicolon_decimal_comma_dialect(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text(
        "grid_id;jaar;lbm;afw;fys;onv;soc;vrz;won\nE1000N4000;2024;4,1;0,05;0;0;0;0;0,05\n"
    )
    frame = load_leefbaarometer(path)
    assert frame.loc[0, "lbm"] == pytest.approx(4.1)
    assert frame.loc[0, "won"] == pytest.approx(0.05)


def test_all_problems_reported_in_one_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER + ",opmerking\n"
        "E1000N4000,2024,4.1,0.1,0,0,0,0,0.1,x\n"
        "X1000N4000,2024,4.1,0.1,0,0,0,0,0.1,x\n"
        "E1001N4000,2024,hoog,0.1,0,0,0,0,0.1,x\n"
        "E1000N4000,2024,4.1,0.1,0,0,0,0,0.1,x\n"
        "E1002N4000,twintig,4.1,0.1,0,0,0,0,0.1,x\n"
    )
    with pytest.raises(ValidationError) as info:
        load_leefbaarometer(path, extra_columns="error")
    assert info.value.problems == [f"{path}, veld 'opmerking': onbekende kolom: 'opmerking'"]
    with (
        pytest.warns(ColumnsWarning, match="onbekende kolommen overgeslagen: opmerking"),
        pytest.raises(ValidationError) as info,
    ):
        load_leefbaarometer(path)  # an unknown column is skipped, with a warning for the report
    problems = info.value.problems
    assert not any("opmerking" in p for p in problems)
    assert any("veld 'grid_id'" in p and "'X1000N4000'" in p for p in problems)
    assert any(
        "veld 'lbm'" in p and "geen getal" in p and "E1001N4000: hoog" in p for p in problems
    )
    assert any("veld 'jaar'" in p and "'twintig'" in p for p in problems)
    assert any("dubbel in hetzelfde jaar" in p and "E1000N4000 (2024)" in p for p in problems)
    assert all(p.startswith(str(path)) for p in problems)


def test_missing_columns_and_lbm2_format(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("grid_id,jaar,lbm\nE1000N4000,2024,4.1\n")
    with pytest.raises(ValidationError) as info:
        load_leefbaarometer(path)
    assert {p.split("'")[1] for p in info.value.problems} == {
        "afw",
        "won",
        "fys",
        "vrz",
        "soc",
        "onv",
    }
    old = tmp_path / "lbm2.csv"
    old.write_text("grid_id,jaar,rlbbev,rlbfys\nE1000N4000,2014,1,2\n")
    with pytest.raises(ValidationError, match=r"2\.0-formaat"):
        load_leefbaarometer(old)
    with pytest.raises(SourceNotFoundError):
        load_leefbaarometer(tmp_path / "nope.csv")


def test_many_bad_rows_are_capped(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text(
        HEADER + "\n" + "\n".join(f"bad{i},2024,4,0,0,0,0,0,0" for i in range(30)) + "\n"
    )
    with pytest.raises(ValidationError) as info:
        load_leefbaarometer(path)
    assert len(info.value.problems) == 11
    assert "en nog 20 rijen" in info.value.problems[-1]


def test_geotiff_alignment_values_nodata_and_tags(scores_csv: Path, tmp_path: Path) -> None:
    out = leefbaarometer_to_geotiff(scores_csv, tmp_path / "out" / "lbm.tif")
    assert [p.name for p in out.parent.iterdir()] == ["lbm.tif"]  # no temp file left behind
    with rasterio.open(out) as src:
        assert src.crs.to_epsg() == 28992
        assert src.transform == Affine(100, 0, 100000, 0, -100, 400200)
        assert (src.width, src.height, src.count) == (3, 2, 7)
        assert src.descriptions == SCORE_COLUMNS
        assert src.nodata == NODATA
        assert src.dtypes[0] == "float32"
        assert src.tags()["jaar"] == "2024"
        afw = src.read(2)
    # Row 0 is the northern row (N4001), column 2 is E1002: unscored in 2024.
    assert afw[0, 2] == NODATA
    assert afw[1, 0] == pytest.approx(0.1)  # E1000N4000 = 0 - 0 + 0.1
    assert afw[0, 1] == pytest.approx(0.15)  # E1001N4001 = 0.1 - 0.05 + 0.1


def test_geotiff_year_bounds_and_per_year_alignment(scores_csv: Path, tmp_path: Path) -> None:
    out = leefbaarometer_to_geotiff(
        scores_csv, tmp_path / "y.tif", year=2022, bounds=(100050, 399950, 100150, 400050)
    )
    with rasterio.open(out) as src:
        assert src.transform == Affine(100, 0, 100000, 0, -100, 400100)
        assert (src.width, src.height) == (2, 2)
        data = src.read(2, masked=True)
    assert data[0, 0] == pytest.approx(0.0) and data[0, 1] == pytest.approx(0.1)
    assert data.mask[1].all()  # N3999 lies south of every cell
    tifs = leefbaarometer_to_geotiffs(scores_csv, tmp_path / "jaren")
    assert sorted(tifs) == [2022, 2024]
    transforms = {rasterio.open(p).transform for p in tifs.values()}
    assert len(transforms) == 1
    with pytest.raises(ValidationError, match="2019"):
        leefbaarometer_to_geotiff(scores_csv, tmp_path / "z.tif", year=2019)


def test_open_liveability_raster_roundtrip_and_sample_mark(
    scores_csv: Path, tmp_path: Path
) -> None:
    tif = leefbaarometer_to_geotiff(scores_csv, tmp_path / "lbm.tif")
    raster = open_liveability_raster(tif)
    data, _transform, crs, names = raster
    assert names == SCORE_COLUMNS and crs.to_epsg() == 28992
    assert data.dtype == np.float32 and np.isnan(data[:, 0, 2]).all()
    assert not is_sample(raster_tags(tif)["bron"])


def _write_raster(
    path: Path, *, crs: str | None, res: float, descriptions: tuple[str, ...] | None
) -> Path:
    profile = {
        "driver": "GTiff",
        "dtype": "float32",
        "count": 2,
        "width": 3,
        "height": 3,
        "transform": Affine(res, 0, 100000, 0, -res, 400300),
        "nodata": -1.0,
    }
    if crs:
        profile["crs"] = crs
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(np.arange(18, dtype="float32").reshape(2, 3, 3))
        if descriptions:
            for i, d in enumerate(descriptions, start=1):
                dst.set_band_description(i, d)
    return path


def test_open_liveability_raster_validates(tmp_path: Path) -> None:
    ok = _write_raster(tmp_path / "ok.tif", crs="EPSG:28992", res=100, descriptions=("lbm", "afw"))
    raster = open_liveability_raster(ok)
    assert raster.band_names == ("lbm", "afw") and raster.data[1, 2, 2] == 17.0
    with pytest.raises(ValidationError, match="coördinatenstelsel"):
        open_liveability_raster(
            _write_raster(tmp_path / "nocrs.tif", crs=None, res=100, descriptions=("lbm", "afw"))
        )
    with pytest.raises(ValidationError, match="celgrootte"):
        open_liveability_raster(
            _write_raster(
                tmp_path / "fine.tif", crs="EPSG:28992", res=25, descriptions=("lbm", "afw")
            )
        )
    with pytest.raises(ValidationError, match="niet in EPSG:28992"):
        open_liveability_raster(
            _write_raster(
                tmp_path / "geo.tif", crs="EPSG:4326", res=100, descriptions=("lbm", "afw")
            )
        )
    nodesc = _write_raster(tmp_path / "nodesc.tif", crs="EPSG:28992", res=100, descriptions=None)
    with pytest.raises(ValidationError, match="band_names"):
        open_liveability_raster(nodesc)
    assert open_liveability_raster(nodesc, band_names=["LBM", "afw"]).band_names == ("lbm", "afw")


def _cells(ids: list[str], shift: float = 0.0) -> gpd.GeoDataFrame:
    xy = parse_grid_id(ids)
    geoms = [
        box(x + shift, y + shift, x + shift + 100, y + shift + 100)
        for x, y in zip(xy.x, xy.y, strict=True)
    ]
    return gpd.GeoDataFrame({"grid_id": ids}, geometry=geoms, crs="EPSG:28992")


def test_cells_geopackage_checks_the_corner(tmp_path: Path, scores_csv: Path) -> None:
    good = tmp_path / "grid 2024.gpkg"
    _cells(["E1000N4000", "E1001N4000"]).to_file(good)
    cells = load_leefbaarometer_cells(good)
    assert cells.crs.to_epsg() == 28992 and list(cells["grid_id"]) == ["E1000N4000", "E1001N4000"]
    with pytest.warns(CellsWarning, match="ontbreken"):
        assert warn_missing_cells(load_leefbaarometer(scores_csv), cells) == 4
    centred = tmp_path / "centred.gpkg"
    _cells(["E1000N4000"], shift=-50).to_file(centred)
    with pytest.raises(ValidationError, match="linkeronderhoek"):
        load_leefbaarometer_cells(centred)
    # Clipped cells (smaller than the square) are fine.
    clipped = tmp_path / "clipped.gpkg"
    gpd.GeoDataFrame(
        {"grid_id": ["E1000N4000"]},
        geometry=[box(100010, 400000, 100060, 400090)],
        crs="EPSG:28992",
    ).to_file(clipped)
    assert len(load_leefbaarometer_cells(clipped)) == 1


def test_find_leefbaarometer(tmp_path: Path) -> None:
    assert find_leefbaarometer(tmp_path) == (None, None)
    (tmp_path / "Leefbaarometer-scores grids 2002-2022.csv").write_text(HEADER + "\n")
    (tmp_path / "grid 2024.gpkg").write_bytes(b"")
    assert find_leefbaarometer(tmp_path) == (
        tmp_path / "Leefbaarometer-scores grids 2002-2022.csv",
        tmp_path / "grid 2024.gpkg",
    )
    (tmp_path / "leefbaarometer-grids.csv").write_text(HEADER + "\n")
    with pytest.raises(ValidationError, match="meer dan één"):
        find_leefbaarometer(tmp_path)


def _tiny_buurten() -> gpd.GeoDataFrame:
    """Four 1 km buurten in a row, one a business park, in RD New."""
    polys = [box(100000 + i * 1000, 400000, 101000 + i * 1000, 401000) for i in range(3)]
    polys.append(Polygon([(103000, 400000), (105000, 400000), (105000, 402000), (103000, 402000)]))
    return gpd.GeoDataFrame(
        {
            "buurtcode": ["BU99990101", "BU99990102", "BU99990103", "BU99990201"],
            "buurtnaam": ["Centrum", "Oost", "Noord", "Bedrijventerrein Zuid"],
            "wijkcode": ["WK999901", "WK999901", "WK999901", "WK999902"],
            "gemeentecode": "GM9999",
        },
        geometry=polys,
        crs="EPSG:28992",
    )


def write_sample_leefbaarometer(
    buurten: gpd.GeoDataFrame, out: Path, **options: object
) -> tuple[Path, Path]:
    """The sample scores CSV and cell GeoPackage as ``wijkplan sample-data`` writes them."""
    out.mkdir(parents=True, exist_ok=True)
    scores, cells = sample_leefbaarometer(buurten, **options)  # type: ignore[arg-type]
    write_scores_csv(scores, out / CSV_NAME)
    cells.to_file(out / GPKG_NAME, layer="grid")
    return out / CSV_NAME, out / GPKG_NAME


def test_sample_real_format_through_the_real_loaders(tmp_path: Path) -> None:
    buurten = _tiny_buurten()
    csv, gpkg = write_sample_leefbaarometer(buurten, tmp_path, regie_buurtcodes=["BU99990101"])
    frame = load_leefbaarometer(csv)
    cells = load_leefbaarometer_cells(gpkg)
    assert sorted(set(frame["jaar"])) == [2020, 2022, 2024]
    assert set(frame["bron"]) == {sample_bron("GM9999")} and is_sample(frame["bron"].iloc[0])
    assert set(frame["grid_id"]) == set(cells["grid_id"])
    assert pd.read_csv(csv).columns.tolist() == ["grid_id", "jaar", *SCORE_COLUMNS, "bron"]
    # afw is the sum of the dimensions; lbm = national mean + afw.
    dims = frame[["won", "fys", "vrz", "soc", "onv"]].sum(axis=1)
    assert np.allclose(dims, frame["afw"], atol=6e-4)
    tif = leefbaarometer_to_geotiff(csv, tmp_path / "s.tif")
    assert is_sample(raster_tags(tif)["bron"])
    # The regie buurt (west) scores lower than the rest.
    latest = frame[frame.jaar == 2024]
    assert latest[latest.x < 101000]["afw"].mean() < latest[latest.x >= 101000]["afw"].mean() - 0.05
    # Business parks have fewer scored cells than built-up buurten of the same area.
    park = latest[(latest.x >= 103000)]
    assert len(park) < 0.6 * 400


def test_sample_is_deterministic_and_smooth(tmp_path: Path) -> None:
    buurten = _tiny_buurten()
    a, _ = write_sample_leefbaarometer(buurten, tmp_path / "a")
    b, _ = write_sample_leefbaarometer(buurten, tmp_path / "b")
    assert a.read_bytes() == b.read_bytes()
    scores, _ = sample_leefbaarometer(buurten)
    grid = scores[scores.jaar == 2024].set_index(["grid_id"])
    xy = parse_grid_id(pd.Series(grid.index, index=grid.index))
    right = pd.Series(grid_id_of(xy.x.to_numpy() + 100, xy.y.to_numpy()), index=grid.index)
    pairs = right.isin(grid.index)
    neighbour = grid.loc[right[pairs], "fys"].to_numpy()
    # Spatial autocorrelation of a smooth field: neighbours differ far less than random pairs.
    diff_neighbour = np.abs(grid.loc[pairs, "fys"].to_numpy() - neighbour).mean()
    diff_random = np.abs(
        grid["fys"].to_numpy() - np.random.default_rng(0).permutation(grid["fys"].to_numpy())
    ).mean()
    assert diff_neighbour < 0.5 * diff_random
    assert len(default_regie_buurtcodes(buurten)) == 2


def test_sample_for_alphen_uses_the_agreed_regie_areas() -> None:
    from wijkplan.sources import load_buurten, load_wijken

    root = Path(__file__).resolve().parents[2] / "data" / "geo"
    buurten = load_buurten(root / "buurten.geojson", wijken=load_wijken(root / "wijken.geojson"))
    assert default_regie_buurtcodes(buurten) == ("BU04840306", "BU04847009")
