"""Small-count suppression: no count 1..4 published, and no suppressed cell recoverable."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from wijkplan.analysis.privacy import (
    SmallCountError,
    assert_no_small_counts,
    display_count,
    recoverable_cells,
    suppress_cells,
    suppress_counts,
)

CATS = ["overlast", "vernieling", "geweld"]
YEARS = [2022, 2023, 2024]
HIERARCHY = {
    "WK000101": ["BU00010101", "BU00010102"],
    "WK000102": ["BU00010201", "BU00010202"],
    "GM0001": ["WK000101", "WK000102"],
}


def _counts(seed: int, *, small_share: float = 0.5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for bu in ["BU00010101", "BU00010102", "BU00010201", "BU00010202"]:
        for cat, year in itertools.product(CATS, YEARS):
            n = (
                int(rng.integers(1, 5))
                if rng.random() < small_share
                else int(rng.choice([0, 0, 6, 9, 15, 30]))
            )
            rows.append((bu, cat, year, n))
    return pd.DataFrame(rows, columns=["gebied", "categorie", "jaar", "aantal"])


def _relations(table: pd.DataFrame) -> list[tuple[tuple, list[tuple]]]:
    """Every linear relation a reader can derive from the published table itself."""
    areas = sorted(set(table["gebied"]))
    cats = [*CATS, "totaal"]
    periods = [str(y) for y in YEARS] + [f"{YEARS[0]}-{YEARS[-1]}"]
    rel: list[tuple[tuple, list[tuple]]] = []
    for a, p in itertools.product(areas, periods):
        rel.append(((a, "totaal", p), [(a, c, p) for c in CATS]))
    for a, c in itertools.product(areas, cats):
        rel.append(((a, c, periods[-1]), [(a, c, p) for p in periods[:-1]]))
    for parent, parts in HIERARCHY.items():
        for c, p in itertools.product(cats, periods):
            rel.append(((parent, c, p), [(q, c, p) for q in parts]))
    return rel


def _published(table: pd.DataFrame) -> dict[tuple, object]:
    return {(r.gebied, r.categorie, r.periode): r.aantal for r in table.itertuples()}


def _attack_by_subtraction(pub: dict[tuple, object], rel: list) -> dict[tuple, int]:
    """Repeatedly solve relations with exactly one unknown; returns what was recovered."""
    known = {k: int(v) for k, v in pub.items() if v is not pd.NA}
    recovered: dict[tuple, int] = {}
    changed = True
    while changed:
        changed = False
        for total, parts in rel:
            cells = [total, *parts]
            unknown = [c for c in cells if c not in known]
            if len(unknown) != 1:
                continue
            u = unknown[0]
            if u == total:
                value = sum(known[p] for p in parts)
            else:
                value = known[total] - sum(known[p] for p in parts if p != u)
            known[u] = recovered[u] = value
            changed = True
    return recovered


def _attack_by_linear_algebra(pub: dict[tuple, object], rel: list) -> list[tuple]:
    """Suppressed cells whose value is the same in every solution of the relations."""
    unknown = sorted(k for k, v in pub.items() if v is pd.NA)
    col = {k: i for i, k in enumerate(unknown)}
    rows = []
    for total, parts in rel:
        row = np.zeros(len(unknown))
        for cell, sign in [(total, -1.0)] + [(p, 1.0) for p in parts]:
            if cell in col:
                row[col[cell]] += sign
        if row.any():
            rows.append(row)
    a = np.array(rows)
    rank = np.linalg.matrix_rank(a)
    pinned = []
    for cell, j in col.items():
        e = np.zeros((1, len(unknown)))
        e[0, j] = 1
        if np.linalg.matrix_rank(np.vstack([a, e])) == rank:
            pinned.append(cell)
    return pinned


def _attack_by_bounds(pub: dict[tuple, object], rel: list) -> list[tuple]:
    """Suppressed cells are never 0: k unknown parts that must sum to k are all 1."""
    pinned = []
    for total, parts in rel:
        if pub[total] is pd.NA:
            continue
        unknown = [p for p in parts if pub[p] is pd.NA]
        rest = int(pub[total]) - sum(int(pub[p]) for p in parts if pub[p] is not pd.NA)
        if unknown and rest == len(unknown):
            pinned.extend(unknown)
    return pinned


def test_display_count() -> None:
    assert display_count(pd.NA) == "<5"
    assert display_count(np.nan) == "<5"
    assert display_count(None, threshold=10) == "<10"
    assert display_count(0) == "0"
    assert display_count(np.int64(17)) == "17"
    with pytest.raises(SmallCountError):
        display_count(3)


def test_assert_no_small_counts() -> None:
    ok = pd.DataFrame(
        {"jaar": [2024, 2024], "cellen": [2, 3], "overlast": pd.array([0, None], dtype="Int64")}
    )
    assert_no_small_counts(ok)
    with pytest.raises(SmallCountError, match="geweld"):
        assert_no_small_counts(pd.DataFrame({"geweld": [7, 4]}))
    with pytest.raises(SmallCountError):
        assert_no_small_counts(pd.DataFrame({"x": [2.0]}), columns=["x"])
    assert_no_small_counts(pd.DataFrame({"x": [7]}), threshold=5)
    with pytest.raises(SmallCountError):
        assert_no_small_counts(pd.DataFrame({"x": [7]}), threshold=10)


def test_suppress_cells_row_with_one_small_value() -> None:
    # total 20 = 3 + 8 + 9: the 3 is primary, the 8 complementary, the total stays.
    sup, primary = suppress_cells(np.array([20, 3, 8, 9]), [np.array([0, 1, 2, 3])], threshold=5)
    assert sup.tolist() == [False, True, True, False]
    assert primary.tolist() == [False, True, False, False]


def test_suppress_cells_all_ones_are_not_left_pinned() -> None:
    # total 12 = 1 + 1 + 10: two suppressed cells summing to 2 would both be 1.
    sup, _ = suppress_cells(np.array([12, 1, 1, 10]), [np.array([0, 1, 2, 3])], threshold=5)
    assert sup.tolist() == [False, True, True, True]


def test_suppress_cells_total_when_nothing_else() -> None:
    # total 3 = 3 + 0: only the total can protect the cell.
    sup, _ = suppress_cells(np.array([3, 3, 0]), [np.array([0, 1, 2])], threshold=5)
    assert sup.tolist() == [True, True, False]


def test_suppress_cells_widens_when_a_cell_is_pinned_through_a_chain() -> None:
    """Found by tests/test_properties.py: a gemeente of one wijk of three buurten.

    Once every non-zero cell of BU2's row and of the wijk's first column is suppressed,
    BU2's 1 was still pinned (via BU3's total and the wijk's total); the fallback only
    looked at the cell's own relations, so the loop ran 10,000 times and raised.
    """
    base = np.array([[0, 0, 1], [1, 0, 23], [1, 23, 0]])  # buurten x categories
    cube = np.zeros((5, 4), dtype=np.int64)  # BU1, BU2, BU3, WK, GM x (3 categories, total)
    cube[:3, :3] = base
    cube[3, :3] = cube[4, :3] = base.sum(axis=0)
    cube[:, 3] = cube[:, :3].sum(axis=1)
    lines = [np.array([a * 4 + 3, a * 4, a * 4 + 1, a * 4 + 2]) for a in range(5)]
    for c in range(4):
        lines += [np.array([12 + c, c, 4 + c, 8 + c]), np.array([16 + c, 12 + c])]
    sup, _ = suppress_cells(cube.ravel(), lines, threshold=2)
    assert recoverable_cells(sup, lines).tolist() == []
    assert not sup[cube.ravel() == 0].any()


def test_recoverable_cells_detects_a_chain() -> None:
    # a = b + c, b = d: with b, c, d suppressed and a known, nothing pins b... until d = 5 is known.
    lines = [np.array([0, 1, 2]), np.array([1, 3])]
    assert recoverable_cells(np.array([False, True, True, True]), lines).tolist() == []
    assert recoverable_cells(np.array([False, True, True, False]), lines).tolist() == [1, 2]


def test_suppress_counts_table_shape_and_guard() -> None:
    result = suppress_counts(
        _counts(1),
        area_col="gebied",
        categories=CATS,
        years=YEARS,
        hierarchy=HIERARCHY,
        threshold=5,
    )
    table = result.table
    assert set(table["gebied"]) == {
        "BU00010101",
        "BU00010102",
        "BU00010201",
        "BU00010202",
        "WK000101",
        "WK000102",
        "GM0001",
    }
    assert set(table["categorie"]) == {*CATS, "totaal"}
    assert set(table["periode"]) == {"2022", "2023", "2024", "2022-2024"}
    assert table["aantal"].dtype == "Int64"
    assert table.loc[table["periode"] == "2022-2024", "jaar"].isna().all()
    assert_no_small_counts(table, columns=["aantal"])
    assert result.n_primary > 0 and result.n_complementary > 0
    assert "primair" not in table.to_string()  # the status is not published
    # Non-suppressed published numbers are the true ones.
    truth = _counts(1).set_index(["gebied", "categorie", "jaar"])["aantal"]
    shown = table.dropna(subset=["aantal", "jaar"])
    shown = shown[shown["gebied"].str.startswith("BU") & (shown["categorie"] != "totaal")]
    for r in shown.itertuples():
        assert r.aantal == truth[(r.gebied, r.categorie, int(r.jaar))]


@pytest.mark.parametrize("seed", range(12))
def test_suppressed_cells_cannot_be_recovered(seed: int) -> None:
    """Try to recover suppressed cells from the published totals and other cells, and fail."""
    counts = _counts(seed, small_share=0.15 + 0.05 * (seed % 8))
    table = suppress_counts(
        counts, area_col="gebied", categories=CATS, years=YEARS, hierarchy=HIERARCHY, threshold=5
    ).table
    pub = _published(table)
    rel = _relations(table)
    assert any(v is pd.NA for v in pub.values())
    assert _attack_by_subtraction(pub, rel) == {}
    assert _attack_by_linear_algebra(pub, rel) == []
    assert _attack_by_bounds(pub, rel) == []
    assert_no_small_counts(table, columns=["aantal"])


def test_a_naive_publication_would_be_recoverable() -> None:
    """The attacks work: with primary suppression only, they recover the small cells."""
    counts = _counts(3)
    table = suppress_counts(
        counts, area_col="gebied", categories=CATS, years=YEARS, hierarchy=HIERARCHY, threshold=5
    ).table
    truth = table.copy()
    full = suppress_counts(
        counts, area_col="gebied", categories=CATS, years=YEARS, hierarchy=HIERARCHY, threshold=1
    ).table
    truth["aantal"] = full["aantal"]
    naive = truth.copy()
    naive.loc[naive["aantal"].between(1, 4), "aantal"] = pd.NA
    recovered = _attack_by_subtraction(_published(naive), _relations(naive))
    assert recovered
    true_values = _published(truth)
    assert all(true_values[k] == v for k, v in recovered.items())


def test_missing_input_counts_stay_missing() -> None:
    counts = _counts(5, small_share=0.0)
    counts.loc[0, "aantal"] = pd.NA
    counts["aantal"] = counts["aantal"].astype("Int64")
    table = suppress_counts(
        counts, area_col="gebied", categories=CATS, years=YEARS, hierarchy=HIERARCHY, threshold=5
    ).table
    first = counts.iloc[0]
    cell = table[
        (table.gebied == first.gebied)
        & (table.categorie == first.categorie)
        & (table.periode == str(first.jaar))
    ]
    assert cell["aantal"].isna().all()


def test_hierarchy_cycle_is_refused() -> None:
    with pytest.raises(ValueError, match="cycle"):
        suppress_counts(
            _counts(0),
            area_col="gebied",
            categories=CATS,
            years=YEARS,
            hierarchy={"A": ["B"], "B": ["A"]},
        )
