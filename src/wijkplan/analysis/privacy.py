"""Small-count suppression with complementary suppression, and the guard every output passes.

A count from 1 to ``threshold - 1`` (1..4 by default) is never published
(*primary* suppression). Because tables also publish totals, a lone suppressed
cell could be recomputed as "total minus the other cells"; so in every published
linear relation (row total = sum of categories, period total = sum of years,
parent area = sum of its child areas) that holds a suppressed cell, at least one
more cell is suppressed (*complementary* suppression: the smallest non-zero
cell, preferring ordinary cells to the total). Suppressed cells are never zero,
so a reader knows only "at least 1" about each of them; a relation whose
suppressed cells are all ones would pin them, so it gets a further cell too.
The rules are applied until nothing changes, and then a linear-algebra check
(the null space of the published relations over the suppressed cells) confirms
that no suppressed cell is determined by the published numbers; if one is, more
cells are suppressed and the loop runs again.

Suppressed values are ``pd.NA`` in a nullable integer column; :func:`display_count`
shows them as ``"<5"`` (never as 0). Because complementary cells are shown the
same way, ``"<5"`` reads as "fewer than 5, or hidden to protect a small number";
:data:`SUPPRESSED_NOTE` is the legend text for the app. Which cells were primary
and which complementary is not published (that would narrow them down again).

Limitation: relations between areas that overlap without nesting (a regie area
that is not a union of buurten) are not modelled; such an area's table is
protected on its own (rows, years), not against differencing with the buurten.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wijkplan.config import LiveabilityConfig, load_config
from wijkplan.numbers import number as dutch_number

__all__ = [
    "NON_COUNT_COLUMNS",
    "SUPPRESSED_NOTE",
    "SmallCountError",
    "Suppression",
    "assert_no_small_counts",
    "display_count",
    "recoverable_cells",
    "suppress_cells",
    "suppress_counts",
]

SUPPRESSED_NOTE = (
    "‘<{t}’: minder dan {t}, of een ander aantal dat is afgeschermd zodat een klein aantal "
    "niet uit de totalen is terug te rekenen."
)
#: Integer columns that are not counts of people or incidents (skipped by the guard).
NON_COUNT_COLUMNS = frozenset(
    {
        "jaar",
        "maand",
        "periodenummer",
        "klasse_nr",
        "rang",
        "cellen",
        "inwoners",
        "n_jaren",
        "schema",
    }
)
TOTAL = "totaal"


class SmallCountError(AssertionError):
    """An output holds a count between 1 and the threshold: a bug, never a user error.

    Raised explicitly (not with ``assert``) so that ``python -O`` keeps the guard.
    """


def _threshold(threshold: int | None, config: LiveabilityConfig | None) -> int:
    if threshold is not None:
        return int(threshold)
    return (config or load_config()).threshold


def display_count(
    value: object,
    *,
    threshold: int | None = None,
    config: LiveabilityConfig | None = None,
    complete: bool = True,
) -> str:
    """How a (possibly suppressed) count is shown: ``"<5"`` for NA, else the Dutch number.

    A count of an incomplete period (``complete=False``: source values missing) is a lower
    bound ("≥ 12"); without a value it is unknown ("onbekend"), not a small number.

    >>> display_count(pd.NA), display_count(12), display_count(0), display_count(3792)
    ('<5', '12', '0', '3.792')
    >>> display_count(None, threshold=10), display_count(12, complete=False)
    ('<10', '≥ 12')
    >>> display_count(None, complete=False)
    'onbekend'
    """
    t = _threshold(threshold, config)
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return f"<{t}" if complete else "onbekend"
    number = int(value)  # type: ignore[call-overload]
    if 1 <= number < t:
        raise SmallCountError(f"count {number} below the suppression threshold {t} reached display")
    return dutch_number(number) if complete else f"≥ {dutch_number(number)}"


def assert_no_small_counts(
    df: pd.DataFrame,
    *,
    threshold: int | None = None,
    config: LiveabilityConfig | None = None,
    columns: Iterable[str] | None = None,
) -> None:
    """Raise :class:`SmallCountError` if any count column holds a value 1..threshold-1.

    Without ``columns`` every integer column (also nullable ``Int64``) is checked
    except :data:`NON_COUNT_COLUMNS`; float columns named in ``columns`` are
    checked too. Used by the tests and, as a final guard, by the build.

    >>> assert_no_small_counts(pd.DataFrame({"overlast": pd.array([0, 7, None], dtype="Int64")}))
    """
    t = _threshold(threshold, config)
    if columns is None:
        cols = [
            c
            for c in df.columns
            if str(c) not in NON_COUNT_COLUMNS and pd.api.types.is_integer_dtype(df[c].dtype)
        ]
    else:
        cols = list(columns)
    bad: list[str] = []
    for c in cols:
        values = pd.to_numeric(df[c], errors="coerce")
        small = values[(values >= 1) & (values < t)]
        if len(small):
            bad.append(
                f"{c}: {len(small)} waarde(n) tussen 1 en {t - 1} (bijv. rij {small.index[0]!r})"
            )
    if bad:
        raise SmallCountError("kleine aantallen in uitvoer: " + "; ".join(bad))


def recoverable_cells(suppressed: np.ndarray, lines: Sequence[np.ndarray]) -> np.ndarray:
    """Indices of suppressed cells that the published relations determine exactly.

    A suppressed cell is determined when its unit vector lies in the row space of
    the relations restricted to the suppressed cells, i.e. when every solution of
    the relations has the same value there (its component in the null space is 0).
    The suppressed cells fall apart into independent groups (cells linked by a
    shared relation); each group is solved on its own, which keeps the SVDs small.

    >>> sup = np.array([False, True, True])
    >>> recoverable_cells(sup, [np.array([0, 1, 2])]).tolist()
    []
    >>> recoverable_cells(sup, [np.array([0, 1, 2]), np.array([1, 2])]).tolist()
    [1, 2]
    """
    unknown = np.flatnonzero(suppressed)
    if len(unknown) == 0:
        return unknown
    col = np.full(len(suppressed), -1, dtype=np.int64)
    col[unknown] = np.arange(len(unknown))
    parent = np.arange(len(unknown))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    touched: list[tuple[np.ndarray, np.ndarray]] = []
    for members in lines:
        idx = col[members]
        mask = idx >= 0
        if not mask.any():
            continue
        coef = np.where(np.arange(len(members)) == 0, -1.0, 1.0)[mask]
        cells = idx[mask]
        touched.append((cells, coef))
        root = find(int(cells[0]))
        for c in cells[1:]:
            other = find(int(c))
            if other != root:
                parent[other] = root
    roots = np.array([find(i) for i in range(len(unknown))])
    by_root: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}
    for cells, coef in touched:
        by_root.setdefault(int(roots[cells[0]]), []).append((cells, coef))
    determined: list[np.ndarray] = []
    for root, rows in by_root.items():
        members = np.flatnonzero(roots == root)
        local = np.full(len(unknown), -1, dtype=np.int64)
        local[members] = np.arange(len(members))
        a = np.zeros((len(rows), len(members)))
        for r, (cells, coef) in enumerate(rows):
            np.add.at(a[r], local[cells], coef)
        _, s, vt = np.linalg.svd(a, full_matrices=True)
        rank = int((s > 1e-9 * max(float(s.max()), 1.0)).sum()) if len(s) else 0
        null = vt[rank:].T
        if null.shape[1] == 0:
            determined.append(members)
        else:
            determined.append(members[np.linalg.norm(null, axis=1) < 1e-9])
    if not determined:
        return np.array([], dtype=np.int64)
    return np.sort(unknown[np.concatenate(determined)])


def suppress_cells(
    values: np.ndarray, lines: Sequence[np.ndarray], *, threshold: int
) -> tuple[np.ndarray, np.ndarray]:
    """Primary and complementary suppression over published linear relations.

    ``values`` are the true counts (a negative value marks a cell that is unknown
    and not published; it protects like a suppressed cell). Each element of
    ``lines`` is an index array ``[total, part, part, ...]`` of a published
    relation total = Σ parts. Returns ``(suppressed, primary)`` boolean masks.

    >>> v = np.array([10, 3, 7])            # total 10 = 3 + 7
    >>> sup, prim = suppress_cells(v, [np.array([0, 1, 2])], threshold=5)
    >>> sup.tolist(), prim.tolist()
    ([False, True, True], [False, True, False])
    """
    v = np.asarray(values, dtype=np.int64)
    unknown_input = v < 0
    primary = (v >= 1) & (v < threshold)
    sup = primary | unknown_input
    lines = [np.asarray(m, dtype=np.int64) for m in lines]
    for _ in range(10_000):
        changed = True
        while changed:
            changed = False
            for members in lines:
                s = sup[members]
                k = int(s.sum())
                if k == 0:
                    continue
                need = k == 1
                if not need and not s[0]:
                    vals = v[members][s]
                    need = bool((vals >= 0).all() and vals.sum() == k)
                if need and _suppress_next(members, v, sup):
                    changed = True
        determined = recoverable_cells(sup, lines)
        determined = determined[~unknown_input[determined]]
        if len(determined) == 0:
            return sup & ~unknown_input, primary
        progressed = False
        for cell in determined:
            touching = [m for m in lines if cell in m]
            touching.sort(key=lambda m: int(sup[m].sum()))
            for members in touching:
                if _suppress_next(members, v, sup):
                    progressed = True
                    break
        if not progressed and not _widen(int(determined[0]), lines, v, sup):
            raise RuntimeError("suppression did not converge")
    raise RuntimeError("suppression did not converge")


def _widen(cell: int, lines: Sequence[np.ndarray], v: np.ndarray, sup: np.ndarray) -> bool:
    """Suppress one more cell where the relations of ``cell`` itself show nothing more.

    A cell can be pinned through a chain: its own relations are fully suppressed, but
    a relation further on (linked through suppressed cells) still shows a total that
    closes the chain. Search outward from ``cell`` through relations that share
    suppressed cells, nearest first, and suppress in the first one that still shows a
    non-zero cell. Once every non-zero cell of the linked relations is suppressed the
    published system is homogeneous and pins nothing, so this always finds a cell while
    a cell is still determined.
    """
    used = np.zeros(len(lines), dtype=bool)
    frontier = np.array([cell], dtype=np.int64)
    reached = np.zeros(len(sup), dtype=bool)
    reached[cell] = True
    while len(frontier):
        ring = [i for i, m in enumerate(lines) if not used[i] and np.isin(m, frontier).any()]
        for i in sorted(ring, key=lambda i: int(sup[lines[i]].sum())):
            if _suppress_next(lines[i], v, sup):
                return True
        used[ring] = True
        if not ring:
            return False
        linked = np.unique(np.concatenate([lines[i][sup[lines[i]]] for i in ring]))
        frontier = linked[~reached[linked]]
        reached[frontier] = True
    return False


def _suppress_next(members: np.ndarray, v: np.ndarray, sup: np.ndarray) -> bool:
    """Suppress the smallest non-zero unsuppressed cell of a relation (parts before total)."""
    vals = v[members]
    candidates = np.flatnonzero(~sup[members] & (vals > 0))
    if len(candidates) == 0:
        return False
    is_total = candidates == 0
    order = np.lexsort((candidates, is_total, vals[candidates]))
    sup[members[candidates[order[0]]]] = True
    return True


@dataclass(frozen=True)
class Suppression:
    """Result of :func:`suppress_counts`: the published table plus a count for the build report."""

    table: pd.DataFrame
    n_primary: int
    n_complementary: int


def suppress_counts(
    counts: pd.DataFrame,
    *,
    area_col: str,
    categories: Sequence[str],
    years: Sequence[int],
    hierarchy: Mapping[str, Sequence[str]] | None = None,
    threshold: int | None = None,
    config: LiveabilityConfig | None = None,
    category_col: str = "categorie",
    year_col: str = "jaar",
    value_col: str = "aantal",
) -> Suppression:
    """Suppress a table of areas × categories × years with all its published totals.

    ``counts`` is long (``area_col, categorie, jaar, aantal``) for the *base*
    areas; missing combinations are 0. ``hierarchy`` maps each composite area
    (wijk, gemeente, a regie area made of whole buurten) to its parts, which may
    themselves be composite; their counts are the sums, and the relation
    composite = Σ parts is protected like any total. The output is long, with
    ``categorie`` including ``"totaal"`` and ``periode`` including the period
    total (``"2019-2024"``; ``jaar`` is NA there), and ``aantal`` as ``Int64`` with
    NA where suppressed. The primary/complementary status is deliberately not in it.
    """
    t = _threshold(threshold, config)
    hierarchy = dict(hierarchy or {})
    cats = [*categories, TOTAL]
    yrs = [int(y) for y in years]
    periods = [str(y) for y in yrs] + ([f"{min(yrs)}-{max(yrs)}"] if len(yrs) > 1 else [])
    base = sorted(set(counts[area_col].astype(str)) - set(hierarchy))
    extra_parts = sorted(
        {str(p) for parts in hierarchy.values() for p in parts} - set(hierarchy) - set(base)
    )
    base = sorted([*base, *extra_parts])
    composite = _topological(hierarchy)
    areas = [*base, *composite]
    a_idx = {a: i for i, a in enumerate(areas)}
    nc, ny = len(cats), len(periods)
    cube = np.zeros((len(areas), nc, ny), dtype=np.int64)

    unknown_cats = sorted(set(counts[category_col].astype(str)) - set(categories))
    if unknown_cats:
        raise ValueError(f"categories not in the table's category list: {unknown_cats}")
    c_idx = {c: i for i, c in enumerate(categories)}
    y_idx = {y: i for i, y in enumerate(yrs)}
    sub = counts[counts[year_col].astype(int).isin(yrs)]
    vals = pd.array(sub[value_col], dtype="Int64")
    if (vals.fillna(0) < 0).any():
        raise ValueError("negative counts")
    ai = sub[area_col].astype(str).map(a_idx).to_numpy()
    ci = sub[category_col].astype(str).map(c_idx).to_numpy()
    yi = sub[year_col].astype(int).map(y_idx).to_numpy()
    missing = np.asarray(vals.isna())
    np.add.at(cube, (ai, ci, yi), np.where(missing, 0, np.asarray(vals.fillna(0), dtype=np.int64)))
    unknown = np.zeros_like(cube, dtype=bool)
    unknown[ai[missing], ci[missing], yi[missing]] = True

    for name in composite:
        parts = [a_idx[str(p)] for p in hierarchy[name]]
        cube[a_idx[name], : nc - 1, : len(yrs)] = cube[parts, : nc - 1, : len(yrs)].sum(axis=0)
        unknown[a_idx[name]] = unknown[parts].any(axis=0)
    cube[:, nc - 1, :] = cube[:, : nc - 1, :].sum(axis=1)
    unknown[:, nc - 1, :] = unknown[:, : nc - 1, :].any(axis=1)
    if len(periods) > len(yrs):
        cube[:, :, -1] = cube[:, :, : len(yrs)].sum(axis=2)
        unknown[:, :, -1] = unknown[:, :, : len(yrs)].any(axis=2)

    def flat(a: int | np.ndarray, c: int | np.ndarray, y: int | np.ndarray) -> np.ndarray:
        return np.asarray((np.asarray(a) * nc + np.asarray(c)) * ny + np.asarray(y), dtype=np.int64)

    lines: list[np.ndarray] = []
    for a in range(len(areas)):
        for y in range(ny):
            lines.append(flat(a, np.r_[nc - 1, : nc - 1], y))
        if len(periods) > len(yrs):
            for c in range(nc):
                lines.append(flat(a, c, np.r_[ny - 1, : len(yrs)]))
    for name in composite:
        members = np.array([a_idx[name], *(a_idx[str(p)] for p in hierarchy[name])])
        for c in range(nc):
            for y in range(ny):
                lines.append(flat(members, c, y))

    values = np.where(unknown, -1, cube).ravel()
    sup, primary = suppress_cells(values, lines, threshold=t)
    sup = sup.reshape(cube.shape)
    published = pd.array(cube.ravel(), dtype="Int64")
    published[(sup | unknown).ravel()] = pd.NA
    grid = pd.MultiIndex.from_product(
        [areas, cats, periods], names=[area_col, category_col, "periode"]
    ).to_frame(index=False)
    grid[year_col] = pd.array(
        [int(p) if p.isdigit() else None for p in grid["periode"]], dtype="Int64"
    )
    grid[value_col] = published
    return Suppression(
        table=grid,
        n_primary=int(primary.sum()),
        n_complementary=int(sup.sum() - primary.sum()),
    )


def _topological(hierarchy: Mapping[str, Sequence[str]]) -> list[str]:
    """Composite areas ordered so that every part comes before its composite."""
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(name: str) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            raise ValueError(f"hierarchy has a cycle through {name}")
        state[name] = 1
        for part in hierarchy[name]:
            if str(part) in hierarchy:
                visit(str(part))
        state[name] = 2
        order.append(name)

    for name in sorted(hierarchy):
        visit(name)
    return order
