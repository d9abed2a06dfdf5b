"""Dutch numbers: one formatting function for everything a person reads."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from wijkplan.numbers import MISSING, number, percent


@pytest.mark.parametrize(
    ("value", "decimals", "sign", "shown"),
    [
        (1234.5, 1, False, "1.234,5"),
        (1234567, 0, False, "1.234.567"),
        (0.5, 0, False, "1"),  # half up, as people round (not half to even)
        (2.5, 0, False, "3"),
        (-2.5, 0, True, "-3"),
        (1.5, 0, False, "2"),
        (-0.1234, 3, True, "-0,123"),
        (0.1234, 3, True, "+0,123"),
        (-1234.56, 2, False, "-1.234,56"),
        (56, 0, False, "56"),
        (999.95, 1, False, "1.000,0"),
    ],
)
def test_number(value, decimals, sign, shown):
    assert number(value, decimals, sign=sign) == shown


@pytest.mark.parametrize("missing", [None, math.nan, pd.NA, float("nan"), "geen getal"])
def test_missing_numbers_are_a_dash_never_zero(missing):
    assert number(missing) == MISSING and percent(missing) == MISSING
    assert number(missing, missing="onbekend") == "onbekend"


def test_percent():
    assert percent(0.563, 1) == "56,3 %"
    assert percent(1) == "100 %"
    assert percent(0.0004, 1) == "0,0 %"
