"""Property-based tests (hypothesis) of the suppression and the validators (issue 11).

Suppression: for random count tables over a random area hierarchy, no count from 1 to
threshold-1 is published, no suppressed cell can be recomputed from the published row,
period and area totals, zeros are always shown and a table without small counts is shown
in full. Validators: random area codes, ledger texts and Leefbaarometer scores give either
success or a ValidationError (a WijkplanError for unreadable text) with one line per
problem, never another exception.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.conftest import make_tiny_buurten, make_tiny_wijken
from wijkplan.afspraken.ledger import parse_ledger
from wijkplan.analysis.incidents import incident_tables
from wijkplan.analysis.privacy import TOTAL, suppress_counts
from wijkplan.areas import Areas
from wijkplan.config import SCORE_COLUMNS, load_config
from wijkplan.errors import ValidationError, WijkplanError
from wijkplan.settings import BUURTCODE_RE, GEMEENTECODE_RE, WIJKCODE_RE
from wijkplan.sources.leefbaarometer import SCORE_RANGES, load_leefbaarometer

LEDGER = Path(__file__).parents[1] / "data" / "afspraken" / "prestatieafspraken-2021.yaml"
T = TypeVar("T")
#: The quick loop: each property test stays around a second (tests over 1.5 s are slow).
FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _attempt(call: Callable[[], T]) -> tuple[T | None, list[str] | None]:
    """The result, or the problem lines of a WijkplanError; any other exception propagates."""
    try:
        return call(), None
    except ValidationError as exc:
        return None, exc.problems
    except WijkplanError as exc:
        return None, [str(exc)]


def _one_line_each(problems: list[str]) -> None:
    assert problems
    for problem in problems:
        assert problem.strip() and "\n" not in problem and "\r" not in problem, problem


# --------------------------------------------------------------------------- suppression


@st.composite
def count_tables(draw: st.DrawFn) -> tuple[pd.DataFrame, dict[str, list[str]], list, list, int]:
    """Counts per buurt, category and year, over 1..3 wijken of 1..3 buurten in one gemeente."""
    threshold = draw(st.integers(2, 6))
    sizes = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    hierarchy: dict[str, list[str]] = {}
    buurten: list[str] = []
    for w, n in enumerate(sizes, start=1):
        parts = [f"BU0001{w:02d}{b:02d}" for b in range(1, n + 1)]
        hierarchy[f"WK0001{w:02d}"] = parts
        buurten += parts
    hierarchy["GM0001"] = sorted(k for k in hierarchy if k.startswith("WK"))
    cats = ["overlast", "vernieling", "geweld"][: draw(st.integers(1, 3))]
    years = list(range(2022, 2022 + draw(st.integers(1, 3))))
    count = st.one_of(
        st.just(0), st.integers(1, threshold - 1), st.integers(threshold, 3 * threshold + 20)
    )
    rows = [(b, c, y, draw(count)) for b, c, y in itertools.product(buurten, cats, years)]
    frame = pd.DataFrame(rows, columns=["gebied", "categorie", "jaar", "aantal"])
    return frame, hierarchy, cats, years, threshold


def _true_cube(frame: pd.DataFrame, hierarchy: dict[str, list[str]], cats: list, years: list):
    """The true value of every published cell, computed independently of the module."""
    periods = [str(y) for y in years] + ([f"{years[0]}-{years[-1]}"] if len(years) > 1 else [])
    value: dict[tuple[str, str, str], int] = {}
    base = {(r.gebied, r.categorie, str(r.jaar)): int(r.aantal) for r in frame.itertuples()}

    def leafs(area: str) -> list[str]:
        if area not in hierarchy:
            return [area]
        return [b for part in hierarchy[area] for b in leafs(part)]

    areas = sorted(set(frame["gebied"])) + list(hierarchy)
    for a, c, p in itertools.product(areas, [*cats, TOTAL], periods):
        cs = cats if c == TOTAL else [c]
        ps = [str(y) for y in years] if "-" in p else [p]
        value[(a, c, p)] = sum(base[(b, k, q)] for b in leafs(a) for k in cs for q in ps)
    relations = []
    for a, p in itertools.product(areas, periods):
        relations.append(((a, TOTAL, p), [(a, c, p) for c in cats]))
    if len(periods) > 1:
        for a, c in itertools.product(areas, [*cats, TOTAL]):
            relations.append(((a, c, periods[-1]), [(a, c, p) for p in periods[:-1]]))
    for parent, parts in hierarchy.items():
        for c, p in itertools.product([*cats, TOTAL], periods):
            relations.append(((parent, c, p), [(q, c, p) for q in parts]))
    return value, relations


def _determined(published: dict, relations: list) -> list[tuple]:
    """Suppressed cells whose value follows from the published relations (linear algebra)."""
    unknown = sorted(k for k, v in published.items() if v is pd.NA)
    if not unknown:
        return []
    col = {k: i for i, k in enumerate(unknown)}
    rows = []
    for total, parts in relations:
        row = np.zeros(len(unknown))
        for cell, sign in [(total, -1.0), *((p, 1.0) for p in parts)]:
            if cell in col:
                row[col[cell]] += sign
        if row.any():
            rows.append(row)
    if not rows:
        return []
    # a cell is determined when every solution has the same value there: its component
    # in the null space of the relations (restricted to the unknown cells) is zero
    _, sv, vt = np.linalg.svd(np.array(rows), full_matrices=True)
    rank = int((sv > 1e-9 * max(float(sv.max()), 1.0)).sum())
    null = vt[rank:]
    return [cell for cell, j in col.items() if np.abs(null[:, j]).max(initial=0.0) < 1e-9]


def _pinned_by_bounds(published: dict, relations: list) -> list[tuple]:
    """Suppressed cells are at least 1: k unknown parts that must sum to k are all 1."""
    pinned = []
    for total, parts in relations:
        if published[total] is pd.NA:
            continue
        unknown = [p for p in parts if published[p] is pd.NA]
        rest = int(published[total]) - sum(int(published[p]) for p in parts if p not in unknown)
        if unknown and rest == len(unknown):
            pinned += unknown
    return pinned


def _check_suppression(table) -> None:
    frame, hierarchy, cats, years, threshold = table
    result = suppress_counts(
        frame,
        area_col="gebied",
        categories=cats,
        years=years,
        hierarchy=hierarchy,
        threshold=threshold,
    )
    truth, relations = _true_cube(frame, hierarchy, cats, years)
    published = {(r.gebied, r.categorie, r.periode): r.aantal for r in result.table.itertuples()}
    assert set(published) == set(truth)
    small = [k for k, v in truth.items() if 1 <= v < threshold]
    for cell, shown in published.items():
        true = truth[cell]
        if 1 <= true < threshold:
            assert shown is pd.NA, (cell, true)  # primary: never published
        elif true == 0:
            assert shown == 0, cell  # a zero is always shown (suppressed cells are never 0)
        elif shown is not pd.NA:
            assert shown == true, cell  # what is shown is the true count
    if not small:  # nothing to protect: the table is shown in full
        assert all(v is not pd.NA for v in published.values())
    assert result.n_primary == len(small)
    assert _determined(published, relations) == []  # complementary suppression holds
    assert _pinned_by_bounds(published, relations) == []


@FAST
@given(count_tables())
def test_suppression_hides_small_counts_and_cannot_be_undone(table) -> None:
    _check_suppression(table)


@pytest.mark.slow
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(count_tables())
def test_suppression_hides_small_counts_and_cannot_be_undone_deep(table) -> None:
    """More examples in CI: the chain found on a one-wijk gemeente took about 300."""
    _check_suppression(table)


@st.composite
def buurt_counts(draw: st.DrawFn) -> tuple[pd.DataFrame, int]:
    threshold = draw(st.integers(2, 6))
    years = list(range(2021, 2021 + draw(st.integers(1, 3))))
    count = st.one_of(st.just(0), st.integers(1, threshold - 1), st.integers(threshold, 60))
    codes = make_tiny_buurten()["buurtcode"].tolist()
    rows = [
        (b, y, c, draw(count))
        for b, y, c in itertools.product(codes, years, ["overlast", "vernieling"])
    ]
    frame = pd.DataFrame(rows, columns=["buurtcode", "jaar", "categorie", "aantal"])
    frame["aantal"] = pd.array(frame["aantal"], dtype="Int64")
    return frame, threshold


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(buurt_counts())
def test_incident_tables_publish_no_small_count(data) -> None:
    frame, threshold = data
    config = dataclasses.replace(load_config(), threshold=threshold)
    tables = incident_tables(
        frame, buurten=make_tiny_buurten(), wijken=make_tiny_wijken(), config=config
    )
    for level in (tables.buurt, tables.wijk, tables.gemeente):
        for column in ("overlast", "vernieling", "totaal"):
            values = pd.to_numeric(level[column], errors="coerce").dropna()
            assert not ((values >= 1) & (values < threshold)).any(), (column, level)
    assert tables.n_primary >= int(((frame["aantal"] >= 1) & (frame["aantal"] < threshold)).sum())


# --------------------------------------------------------------------------- area codes

AREAS = Areas.of(make_tiny_buurten(), make_tiny_wijken())
KNOWN = {"BU99990101", "BU99990102", "BU99990201", "BU99990202", "WK999901", "WK999902", "GM9999"}
code_like = st.one_of(
    st.text(max_size=14),
    st.from_regex(r"\A(BU|WK|GM|bu|wk|gm) ?[0-9A-Z]{0,9}\s*\Z"),
    st.sampled_from(sorted(KNOWN)),
    st.sampled_from(sorted(KNOWN)).map(str.lower),
    st.sampled_from(sorted(KNOWN)).map(lambda c: f" {c}\n"),
)


@FAST
@given(code_like)
def test_area_codes_resolve_or_give_one_line(code: str) -> None:
    area, problems = _attempt(lambda: AREAS.resolve(code))
    if problems is not None:
        _one_line_each(problems)
        assert code.strip().upper() not in KNOWN
        return
    assert area is not None
    assert area.code in KNOWN and area.code == code.strip().upper()
    pattern = {"buurt": BUURTCODE_RE, "wijk": WIJKCODE_RE, "gemeente": GEMEENTECODE_RE}
    assert pattern[area.kind].match(area.code)


# --------------------------------------------------------------------------- the ledger

LEDGER_TEXT = LEDGER.read_text(encoding="utf-8")
YAMLISH = st.text(
    alphabet=st.sampled_from(list("abc: -[]{}&*!|>'\"#%@`,?\n\t 0123456789.é\\")), max_size=80
)


@st.composite
def ledger_texts(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["splice", "text", "dump"]))
    if kind == "text":
        return draw(YAMLISH)
    if kind == "dump":
        leaf = st.one_of(
            st.none(), st.booleans(), st.integers(-10, 3000), st.text(max_size=10), st.dates()
        )
        keys = st.sampled_from(
            [
                "metadata",
                "partijen",
                "afspraken",
                "regiegebieden",
                "id",
                "titel",
                "jaar",
                "gebieden",
                "buurtcodes",
                "status",
                "thema",
                "partij",
                "x",
            ]
        )
        tree = st.recursive(
            leaf,
            lambda kids: st.lists(kids, max_size=3) | st.dictionaries(keys, kids, max_size=4),
            max_leaves=12,
        )
        return yaml.safe_dump(draw(st.dictionaries(keys, tree, max_size=4)), allow_unicode=True)
    # the real ledger with a random slice replaced by YAML-ish text
    start = draw(st.integers(0, len(LEDGER_TEXT)))
    end = draw(st.integers(start, min(len(LEDGER_TEXT), start + 200)))
    return LEDGER_TEXT[:start] + draw(YAMLISH) + LEDGER_TEXT[end:]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger_texts())
def test_ledger_parser_accepts_or_gives_one_line_per_problem(text: str) -> None:
    _, problems = _attempt(lambda: parse_ledger(text, source="fuzz.yaml", areas=AREAS))
    if problems is not None:
        _one_line_each(problems)
        assert all(p.startswith("fuzz.yaml") for p in problems), problems


# --------------------------------------------------------------------------- Leefbaarometer scores


@pytest.fixture(scope="module")
def scores_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scores") / "leefbaarometer-grids.csv"


score_text = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(-12, 12).map(lambda v: f"{v:.4f}"),
    st.integers(-(10**6), 10**6).map(str),
    st.sampled_from(["", "NA", ".", "null", "NaN", "nan", "-inf", "1e309", "4,5", " 4.1 ", "x"]),
    st.text(alphabet=st.sampled_from(list("0123456789.-+eE, xNA")), max_size=8),
)


def _number(text: str) -> float | None:
    """What a score text means: a float, None for missing, or NaN for not a number."""
    t = text.strip()
    if t in ("", "NA", ".", "null"):
        return None
    try:
        return float(t) if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", t) else math.nan
    except ValueError:
        return math.nan


@FAST
@given(column=st.sampled_from(SCORE_COLUMNS), value=score_text)
def test_score_validation(scores_csv: Path, column: str, value: str) -> None:
    assume("," not in value and "\n" not in value and '"' not in value)
    header = "grid_id,jaar," + ",".join(SCORE_COLUMNS)
    cells = {c: "0.1" for c in SCORE_COLUMNS} | {"lbm": "4.2", column: value}
    row = "E1001N4501,2024," + ",".join(cells[c] for c in SCORE_COLUMNS)
    path = scores_csv
    path.write_text(f"{header}\n{row}\nE1002N4501,2024,4.0,0,0,0,0,0,0\n", encoding="utf-8")
    number = _number(value)
    low, high = SCORE_RANGES[column]
    scores, problems = _attempt(lambda: load_leefbaarometer(path))
    if problems is not None:
        _one_line_each(problems)
        assert all(f"veld '{column}'" in p and str(path) in p for p in problems), problems
        assert number is not None and not (math.isfinite(number) and low <= number <= high)
        return
    assert scores is not None
    got = scores.loc[scores["grid_id"] == "E1001N4501", column].iloc[0]
    if number is None:
        assert math.isnan(got)
    else:
        assert low <= number <= high and got == pytest.approx(number)
