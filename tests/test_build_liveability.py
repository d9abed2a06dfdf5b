"""The liveability layers of the build (issue 4 acceptance): exactness, privacy, app."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pyogrio
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO
from wijkplan import read
from wijkplan.config import load_config

COUNT_TABLES = ("incidenten_buurt", "incidenten_wijk", "incidenten_regie", "incidenten_gemeente")


def test_layers_and_rasters(built_layers):
    names = set(read.layer_names(built_layers))
    assert {
        "leefbaarheid",
        "leefbaarheid_complexen",
        "leefbaarheid_regiegebieden",
        "leefbaarheid_trend",
    } <= names
    assert set(COUNT_TABLES) <= names
    lb = read.read_layer(built_layers, "leefbaarheid")
    assert len(lb) == 100 and lb.crs.to_epsg() == 28992
    report = read.read_report(built_layers)
    assert set(report.rasters) == {"2020", "2022", "2024"}
    assert report.priority_formula and "Prioriteit" in report.priority_formula
    # rank 1 is the highest priority, and ranks follow the priority
    ranked = lb.dropna(subset=["rang"]).sort_values("rang")
    assert ranked["prioriteit"].is_monotonic_decreasing and ranked["rang"].iloc[0] == 1


def test_means_agree_with_exactextract(built_layers):
    if os.environ.get("CI"):
        import exactextract  # under CI the independent check must run, not be skipped
    else:
        exactextract = pytest.importorskip("exactextract")
    import rasterio

    report = read.read_report(built_layers)
    tif = report.rasters["2024"]
    buurten = read.read_layer(built_layers, "buurten")
    ours = read.read_layer(built_layers, "leefbaarheid").set_index("buurtcode")
    with rasterio.open(tif) as src:
        names = list(src.descriptions)
    theirs = exactextract.exact_extract(
        tif, buurten, "mean", include_cols=["buurtcode"], output="pandas"
    )
    theirs = theirs.set_index("buurtcode")
    checked = 0
    for i, band in enumerate(names, start=1):
        column = f"band_{i}_mean" if f"band_{i}_mean" in theirs else f"{band}_mean"
        a = ours[band].astype(float)
        b = theirs[column].reindex(a.index).astype(float)
        both = a.notna() & b.notna()
        assert (a.isna() == b.isna()).all(), band
        rel = np.abs(a[both] - b[both]) / np.maximum(np.abs(b[both]), 1e-12)
        assert rel.max() <= 1e-6, (band, rel.max())
        checked += int(both.sum())
    assert checked > 500


def _count_columns(frame: pd.DataFrame) -> list[str]:
    categories = set(load_config().categories)
    return [c for c in frame.columns if c in categories or c == "totaal"]


def test_no_output_holds_a_count_from_1_to_4(built_layers):
    t = load_config().threshold
    for name in read.layer_names(built_layers):
        frame = pyogrio.read_dataframe(built_layers, layer=name, read_geometry=False)
        for column in _count_columns(frame):
            values = pd.to_numeric(frame[column], errors="coerce")
            assert not ((values >= 1) & (values < t)).any(), (name, column)
    # and something really was suppressed (the test would be empty otherwise)
    buurt = pyogrio.read_dataframe(built_layers, layer="incidenten_buurt")
    assert buurt[_count_columns(buurt)].isna().sum().sum() > 0


def test_point_records_never_leave_the_build(built_layers):
    for name in read.layer_names(built_layers):
        info = pyogrio.read_info(built_layers, layer=name)
        assert info["geometry_type"] not in ("Point", "MultiPoint"), name
        assert "datum" not in list(info["fields"]), name


def test_suppressed_cells_cannot_be_recovered_from_published_totals(built_layers):
    """Try every simple attack on the published tables: row totals, wijk and gemeente totals,
    period totals. Each equation with exactly one unknown would reveal a cell."""
    b = pyogrio.read_dataframe(built_layers, layer="incidenten_buurt")
    w = pyogrio.read_dataframe(built_layers, layer="incidenten_wijk")
    g = pyogrio.read_dataframe(built_layers, layer="incidenten_gemeente")
    buurten = read.read_layer(built_layers, "buurten")[["buurtcode", "wijkcode"]]
    b = b.merge(buurten, on="buurtcode")
    cats = [c for c in _count_columns(b) if c != "totaal"]
    recovered = []
    # 1. within a row: categories + totaal
    for frame, key in (
        (b, "buurtcode"),
        (w, "wijkcode"),
        (g, "gemeentecode" if "gemeentecode" in g else None),
    ):
        for _, row in frame.iterrows():
            unknown = [c for c in [*cats, "totaal"] if pd.isna(row[c])]
            if len(unknown) == 1:
                recovered.append((key, row.get(key), row["periode"], unknown[0]))
    # 2. a wijk cell = sum of its buurten; the gemeente cell = sum of the wijken
    for (wijk, periode), group in b.groupby(["wijkcode", "periode"]):
        total = w[(w["wijkcode"] == wijk) & (w["periode"] == periode)]
        for c in [*cats, "totaal"]:
            unknown = group[c].isna().sum() + int(total[c].isna().iloc[0])
            if unknown == 1:
                recovered.append(("wijk-som", wijk, periode, c))
    # 3. the period total = sum of the years
    for code, group in b.groupby("buurtcode"):
        for c in [*cats, "totaal"]:
            if group[c].isna().sum() == 1:
                recovered.append(("jaren-som", code, None, c))
    assert recovered == []


@pytest.mark.parametrize("code", ["BU04840306", "BU04847009", "regie-edelstenenbuurt", "WK048403"])
def test_dossier_shows_scores_and_suppressed_incidents(app_env, code):
    at = AppTest.from_file(str(REPO / "views" / "kaart.py"), default_timeout=60)
    at.query_params["gebied"] = code
    at.run()
    assert not at.exception
    assert any(m.value.startswith("**Leefbaarheid 2024") for m in at.markdown)
    incident = next(df.value for df in at.dataframe if "periode" in df.value.columns)
    incident = incident.drop(columns="per 1.000 inwoners per jaar")
    cells = incident.drop(columns="periode").astype(str).to_numpy().ravel()
    assert not set(cells) & {"1", "2", "3", "4"}
    # exactly the cells the published table suppresses show "<5"
    name, key = {
        "BU": ("incidenten_buurt", "buurtcode"),
        "WK": ("incidenten_wijk", "wijkcode"),
        "re": ("incidenten_regie", "regie_id"),
    }[code[:2]]
    table = read.read_layer(app_env, name)
    published = table[table[key] == code].drop(columns=key)[incident.columns.drop("periode")]
    assert (cells == "<5").sum() == published.isna().to_numpy().sum()
    assert any("afgeschermd" in c.value for c in at.caption)


@pytest.mark.slow
def test_theme_choropleth_and_ranking_page(app_env):
    at = AppTest.from_file(str(REPO / "views" / "kaart.py"), default_timeout=60).run()
    themes = at.selectbox(key="thema").options
    assert "Leefbaarheid: klasse (Leefbaarometer)" in themes and "Prioriteit leefbaarheid" in themes
    at.selectbox(key="thema").select("Prioriteit leefbaarheid").run()
    assert not at.exception
    assert at.query_params["thema"] in ("Prioriteit leefbaarheid", ["Prioriteit leefbaarheid"])
    # the theme is part of the shareable link
    linked = AppTest.from_file(str(REPO / "views" / "kaart.py"), default_timeout=60)
    linked.query_params["thema"] = "Leefbaarheid: klasse (Leefbaarometer)"
    linked.run()
    assert linked.selectbox(key="thema").value == "Leefbaarheid: klasse (Leefbaarometer)"
    at = AppTest.from_file(str(REPO / "views" / "leefbaarheid.py"), default_timeout=60).run()
    assert not at.exception
    ranking = at.dataframe[0].value
    lb = read.read_layer(app_env, "leefbaarheid")
    first = lb.loc[lb["rang"] == 1, "buurtnaam"].iloc[0]
    assert ranking["rang"].iloc[0] == 1 and ranking["buurt"].iloc[0] == first
    assert any("Prioriteit = 100" in c.value for c in at.code)
    assert not set(ranking["incidenten (periode)"]) & {"1", "2", "3", "4"}
    regie = at.dataframe[1].value
    assert not set(regie.drop(columns=["regie_id", "periode"]).to_numpy().ravel()) & {
        "1",
        "2",
        "3",
        "4",
    }
