"""Liveability classes, weak band, per-zone table, priority and references; the config loader."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from affine import Affine
from shapely.geometry import box

from wijkplan.analysis.liveability import (
    add_weak_band,
    area_weighted_mean,
    class_numbers,
    liveability_per_zone,
    priority,
    priority_formula,
    priority_inputs,
    references,
    score_classes,
)
from wijkplan.config import DEFAULT_CONFIG, load_config

CFG = load_config()


# --------------------------------------------------------------------------- config


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "leefbaarheid.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- classes and the weak band


def test_classes_at_the_thresholds() -> None:
    bounds = CFG.class_bounds
    values = [bounds[0] - 0.01, *bounds, np.nan]
    assert class_numbers(values, CFG).tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 9, pd.NA]
    labels = score_classes(pd.Series(values, index=list("abcdefghij")), CFG)
    assert list(labels.index) == list("abcdefghij")
    assert labels.tolist()[:9] == list(CFG.class_labels) and pd.isna(labels.iloc[9])
    assert labels.cat.ordered


def test_weak_band_follows_the_config() -> None:
    data = np.full((2, 3, 3), 4.1)
    # Weak = class "zwak" or lower = below the lower bound of "voldoende" (-0.10).
    assert CFG.weak_upper == -0.10
    data[1] = [[-0.30, -0.10, -0.101], [0.0, np.nan, 0.2], [-0.151, -0.05, 0.1]]
    out, names = add_weak_band(data, ["lbm", "afw"], CFG)
    assert names == ("lbm", "afw", "zwak") and out.dtype == np.float32
    expected = [[1, 0, 1], [0, np.nan, 0], [1, 0, 0]]
    np.testing.assert_array_equal(out[2], np.array(expected, dtype="float32"))
    assert data.shape == (2, 3, 3)  # input untouched
    with pytest.raises(ValueError, match="afw"):
        add_weak_band(data[:1], ["lbm"], CFG)


# --------------------------------------------------------------------------- per zone


def _zonal_stand_in() -> pd.DataFrame:
    """What zonal_stats returns for three zones (the engine itself is tested elsewhere)."""
    return pd.DataFrame(
        {
            "lbm_mean": [3.80, 4.10, np.nan],
            "afw_mean": [-0.246, 0.054, np.nan],
            "won_mean": [-0.1, 0.01, np.nan],
            "fys_mean": [0.0, 0.01, np.nan],
            "vrz_mean": [0.02, 0.01, np.nan],
            "soc_mean": [-0.06, 0.01, np.nan],
            "onv_mean": [-0.106, 0.014, np.nan],
            "zwak_mean": [0.9, 0.05, np.nan],
            "cells": [12.5, 2.0, 0.0],
            "coverage": [0.8, 1.0, 0.0],
            "area_cells": [15.6, 2.0, 3.0],
        },
        index=pd.Index(["BU1", "BU2", "BU3"], name="buurtcode"),
    )


def test_liveability_per_zone() -> None:
    per = liveability_per_zone(_zonal_stand_in(), CFG)
    assert list(per.index) == ["BU1", "BU2", "BU3"]
    assert per.loc["BU1", "klasse"] == "onvoldoende" and per.loc["BU1", "klasse_nr"] == 3
    assert per.loc["BU2", "klasse"] == "goed"
    assert pd.isna(per.loc["BU3", "klasse"]) and per.loc["BU3", "klasse_nr"] is pd.NA
    assert per.loc["BU1", "aandeel_zwak"] == 0.9 and per.loc["BU1", "onv"] == -0.106
    assert per["betrouwbaar"].tolist() == [True, False, False]  # min_cellen = 3
    assert per.loc["BU1", "dekking"] == 0.8
    assert area_weighted_mean(per, "afw") == pytest.approx((-0.246 * 12.5 + 0.054 * 2) / 14.5)


# --------------------------------------------------------------------------- priority


def _priority_table() -> pd.DataFrame:
    per = liveability_per_zone(_zonal_stand_in(), CFG).iloc[:2]
    extra = pd.DataFrame(
        {"afw": [-0.10], "aandeel_zwak": [0.5], "cellen": [30.0], "betrouwbaar": [True]},
        index=pd.Index(["BU4"], name="buurtcode"),
    )
    per = pd.concat([per, extra])
    incidents = pd.DataFrame(
        {
            "buurtcode": ["BU1", "BU2", "BU4"] * 2,
            "periode": ["2023"] * 3 + ["2019-2024"] * 3,
            "jaar": pd.array([2023] * 3 + [None] * 3, dtype="Int64"),
            "totaal": pd.array([50, 9, 20, 300, pd.NA, 120], dtype="Int64"),
            "n_jaren": [1, 1, 1, 6, 6, 6],
            "inwoners": pd.array([pd.NA] * 6, dtype="Int64"),
            "inwoners_bekend": [False] * 6,
            "oppervlakte_km2": [0.5, 1.0, 2.0] * 2,
        }
    )
    return priority_inputs(per, incidents)


def test_priority_fallback_per_km2_and_rank() -> None:
    table = _priority_table()
    assert table.loc["BU1", "periode"] == "2019-2024"
    ranked = priority(table, CFG)
    assert ranked["incidentmaat"].unique().tolist() == ["per_km2"]
    assert ranked.loc["BU1", "incidenten_waarde"] == pytest.approx(300 / 6 / 0.5)
    # A suppressed count counts as (5 - 1) / 2 = 2, flagged.
    assert bool(ranked.loc["BU2", "incidenten_geschat"])
    assert ranked.loc["BU2", "incidenten_waarde"] == pytest.approx(2 / 6 / 1.0, abs=1e-3)
    assert ranked["rang"].tolist() == [1, 3, 2]
    assert ranked.loc["BU1", "prioriteit"] == 100.0 and ranked.loc["BU2", "prioriteit"] == 0.0
    # BU4 by hand: lage score (0.054 - -0.10) / 0.3 ; zwak (0.5 - 0.05) / 0.85 ; incidents 10 / 100 etc.
    c = ranked.loc["BU4"]
    assert c["c_lage_score"] == pytest.approx(0.154 / 0.3)
    assert c["c_aandeel_zwak"] == pytest.approx(0.45 / 0.85)
    assert c["c_incidenten"] == pytest.approx((10 - 1 / 3) / (100 - 1 / 3))
    expected = 100 * (0.4 * 0.154 / 0.3 + 0.3 * 0.45 / 0.85 + 0.3 * (10 - 1 / 3) / (100 - 1 / 3))
    assert c["prioriteit"] == pytest.approx(round(expected, 1))
    assert "per km²" in priority_formula(incident_measure=ranked["incidentmaat"].iloc[0])


def test_priority_per_1000_when_population_known() -> None:
    table = _priority_table()
    table["inwoners"] = pd.array([1000, 2000, 4000], dtype="Int64")
    ranked = priority(table, CFG)
    assert ranked["incidentmaat"].iloc[0] == "per_1000"
    assert ranked.loc["BU4", "incidenten_waarde"] == pytest.approx(120 / 6 / 4)
    assert "per 1.000 inwoners" in priority_formula(incident_measure=ranked["incidentmaat"].iloc[0])


def test_priority_missing_score_is_not_ranked() -> None:
    table = _priority_table()
    table.loc["BU2", "afw"] = np.nan
    ranked = priority(table, CFG)
    assert np.isnan(ranked.loc["BU2", "prioriteit"]) and ranked.loc["BU2", "rang"] is pd.NA
    assert ranked["rang"].dropna().tolist() == [1, 2]


def test_priority_formula_reflects_the_config(tmp_path: Path) -> None:
    text = priority_formula(CFG)
    assert text.startswith(
        "Prioriteit = 100 × (0,40 × lage score + 0,30 × aandeel zwak + 0,30 × incidenten)"
    )
    assert "min-max" in text and "‘zwak’" in text and "(<5) telt als 2" in text
    z = load_config(_variant(tmp_path, 'normalisatie = "minmax"', 'normalisatie = "z"'))
    assert "z-score" in priority_formula(z)
    ranked = priority(_priority_table(), z)
    assert ranked["prioriteit"].between(0, 100).all()


# --------------------------------------------------------------------------- references


def test_references_by_hand_on_a_3x3_raster() -> None:
    transform = Affine(100, 0, 0, 0, -100, 300)
    lbm = np.array([[4.0, 4.2, 4.4], [4.1, np.nan, 3.9], [4.3, 4.0, 4.1]])
    afw = lbm - 4.05
    area = box(50, 50, 250, 250)  # corner cells 1/4 inside, edge cells 1/2, the centre fully
    ref = references(np.stack([lbm, afw]), transform, ["lbm", "afw"], area, config=CFG)
    weights = np.array([[0.25, 0.5, 0.25], [0.5, 1.0, 0.5], [0.25, 0.5, 0.25]])
    ok = np.isfinite(lbm)
    expected = np.sum(lbm[ok] * weights[ok]) / np.sum(weights[ok])
    assert ref.loc["lbm", "gemeente"] == pytest.approx(expected)
    assert ref.loc["afw", "gemeente"] == pytest.approx(expected - 4.05)
    assert ref.loc["lbm", "nederland"] == pytest.approx(4.05)  # recovered as lbm - afw
    assert ref.loc["afw", "nederland"] == 0.0


def test_references_national_lbm_from_config_and_weak_share() -> None:
    transform = Affine(100, 0, 0, 0, -100, 100)
    data = np.array([[[4.2]], [[1.0]]])
    ref = references(data, transform, ["lbm", "zwak"], box(0, 0, 100, 100), config=CFG, year=2024)
    assert ref.loc["lbm", "nederland"] == pytest.approx(4.046)
    assert np.isnan(ref.loc["zwak", "nederland"]) and ref.loc["zwak", "gemeente"] == 1.0
    outside = references(data, transform, ["lbm", "zwak"], box(500, 500, 600, 600), config=CFG)
    assert outside["gemeente"].isna().all()
