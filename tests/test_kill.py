"""Crash safety: SIGKILL at random moments of build, export and update (issue 11, item 7).

Each command runs as a subprocess on tiny data and is killed 20 times (seeded random
delays within its measured run time; a third of them in the last 30 %, where it publishes).
After every kill the outputs are the earlier set, byte-identical, or a complete new set
that reads back; a final complete run leaves no temporary files behind.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
import rasterio

from tests.afspraken.checks import store_problems
from tests.conftest import REPO

pytestmark = pytest.mark.slow

KILLS = 20
TMP = ".wijkplan-tmp-"
LEDGER = REPO / "data" / "afspraken" / "prestatieafspraken-2021.yaml"


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "wijkplan.cli", *args]


def _run(cmd: list[str]) -> float:
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return time.monotonic() - start


def _kill_runs(
    cmd: list[str], seed: int, check: Callable[[dict[str, bytes]], None], snap: Callable
) -> int:
    """Run ``cmd`` and kill it ``KILLS`` times; after each kill ``check(earlier snapshot)``.
    Returns how many kills left temporary files (for the report of the test)."""
    duration = _run(cmd)  # measured (and a complete run: the state to start from)
    rng = random.Random(seed)
    leftovers = changed = 0
    for i in range(KILLS):
        before = snap()
        delay = rng.uniform(0.0, duration) if i % 3 else rng.uniform(0.7, 1.05) * duration
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        check(before)
        leftovers += bool(snap.temp())  # type: ignore[attr-defined]
        changed += snap() != before
    print(f"{cmd[3]}: {KILLS} kills, {changed} published the new set, {leftovers} left temp files")
    return leftovers


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(part.startswith(TMP) for part in p.relative_to(folder).parts)
    }


def _temp(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(TMP)]


def _snapper(folder: Path) -> Callable[[], dict[str, bytes]]:
    def snap() -> dict[str, bytes]:
        return _files(folder)

    snap.temp = lambda: _temp(folder)  # type: ignore[attr-defined]
    return snap


def _gpkg_ok(path: Path) -> None:
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four buurten with every sample source (Leefbaarometer rasters included)."""
    from shapely.geometry import box

    data = tmp_path_factory.mktemp("kill") / "data"
    data.mkdir()
    codes = ["BU99990101", "BU99990102", "BU99990201", "BU99990202"]
    cells = [(100_000, 450_000), (101_000, 450_000), (100_000, 449_000), (101_000, 449_000)]
    gpd.GeoDataFrame(
        {
            "buurtcode": codes,
            "buurtnaam": ["NW", "NO", "ZW", "ZO"],
            "wijkcode": ["WK999901", "WK999901", "WK999902", "WK999902"],
            "gemeentecode": ["GM9999"] * 4,
            "jaar": [2024] * 4,
        },
        geometry=[box(x, y, x + 1000, y + 1000) for x, y in cells],
        crs="EPSG:28992",
    ).to_file(data / "buurten.geojson")
    gpd.GeoDataFrame(
        {
            "wijkcode": ["WK999901", "WK999902"],
            "wijknaam": ["Noord", "Zuid"],
            "gemeentecode": ["GM9999"] * 2,
            "jaar": [2024] * 2,
        },
        geometry=[box(100_000, 450_000, 102_000, 451_000), box(100_000, 449_000, 102_000, 450_000)],
        crs="EPSG:28992",
    ).to_file(data / "wijken.geojson")
    _run(_cli("sample-data", "--data", str(data)))
    return data


@pytest.fixture(scope="module")
def tiny_layers(tiny_data: Path) -> Path:
    """The tiny data built once, the source of the export tests."""
    layers = tiny_data.parent / "layers" / "plan.gpkg"
    _run(_cli("build", "--data", str(tiny_data), "--out", str(layers)))
    return layers


def _check_build(out: Path) -> Callable[[dict[str, bytes]], None]:
    def check(before: dict[str, bytes]) -> None:
        now = _files(out.parent)
        if now == before:
            return
        # a complete new set: the GeoPackage reads back and its rasters are all there; other
        # build folders (a kill after the commit, before the old folder went) are named by
        # no GeoPackage, never read, and removed by the next build (asserted at the end)
        _gpkg_ok(out)
        with sqlite3.connect(f"{out.as_uri()}?mode=ro", uri=True) as db:
            report = json.loads(db.execute("SELECT report FROM build_report").fetchone()[0])
        build_id = report["build_id"]
        rasters = {Path(p).resolve() for p in report["rasters"].values()}
        assert len(rasters) == 3
        on_disk = {p.resolve() for p in out.parent.rglob("*.tif") if TMP not in str(p)}
        assert rasters <= on_disk, (on_disk, rasters)
        assert {p.parent.name for p in on_disk - rasters}.isdisjoint({build_id})
        for path in rasters:
            assert path.parent.name == build_id
            with rasterio.open(path) as src:
                assert src.tags()["wijkplan_build"] == build_id
                src.read(1)

    return check


def test_killed_build_leaves_the_old_or_the_new_set(tiny_data: Path, tmp_path: Path):
    out = tmp_path / "layers" / "plan.gpkg"
    cmd = _cli("build", "--data", str(tiny_data), "--out", str(out))
    _kill_runs(cmd, 7, _check_build(out), _snapper(out.parent))
    _run(cmd)  # the next complete run cleans what the killed ones left
    assert _temp(out.parent) == []
    assert len(list((out.parent / "plan.rasters").iterdir())) == 1
    _check_build(out)({})


def _check_export(out: Path, reader: Callable[[Path], None]) -> Callable[[dict[str, bytes]], None]:
    def check(before: dict[str, bytes]) -> None:
        now = _files(out)
        assert now["notities.txt"] == b"van de gebruiker\n"  # not ours: untouched
        if now == before:
            return
        meta = json.loads(now["metadata.json"])
        assert set(now) == {*meta["bestanden"], "notities.txt"}, (set(now), meta["bestanden"])
        for name in meta["bestanden"]:
            reader(out / name)

    return check


def _read_gpkg(path: Path) -> None:
    if path.suffix == ".gpkg":
        _gpkg_ok(path)


def _read_geojson(path: Path) -> None:
    if path.suffix == ".geojson":
        assert json.loads(path.read_text(encoding="utf-8"))["type"] == "FeatureCollection"


@pytest.mark.parametrize(("fmt", "reader"), [("gpkg", _read_gpkg), ("geojson", _read_geojson)])
def test_killed_export_leaves_the_old_or_the_new_export(tiny_layers, tmp_path, fmt, reader):
    layers = tiny_layers
    out = tmp_path / "export" / fmt
    out.mkdir(parents=True)
    (out / "notities.txt").write_bytes(b"van de gebruiker\n")
    names = ["--layer", "buurten", "--layer", "wijken", "--layer", "leefbaarheid"]
    cmd = _cli("export", "--format", fmt, "--layers", str(layers), *names, "--out", str(out))
    _kill_runs(cmd, 11, _check_export(out, reader), _snapper(out.parent))
    _run(cmd)
    assert _temp(out.parent) == []
    _check_export(out, reader)({})


def test_killed_update_leaves_a_consistent_store(tmp_path: Path):
    store = tmp_path / "state" / "status.sqlite"
    values = iter(range(1, 1000))

    def cmd() -> list[str]:
        return _cli(
            "afspraken", "update", "PA2021-04a", "--voortgang", str(next(values) % 101),
            "--als-beheerder", "--ledger", str(LEDGER), "--store", str(store),
        )  # fmt: skip

    duration = _run(cmd())
    rng = random.Random(13)
    for i in range(KILLS):
        with sqlite3.connect(store) as db:
            before = db.execute("SELECT voortgang, version FROM afspraak_status").fetchall()
        args = cmd()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, duration) if i % 3 else rng.uniform(0.7, 1.05) * duration)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert store_problems(store) == []
        with sqlite3.connect(store) as db:
            after = db.execute("SELECT voortgang, version FROM afspraak_status").fetchall()
        new = [(int(args[args.index("--voortgang") + 1]), before[0][1] + 1)]
        assert after in (before, new), (before, after, new)
    assert [p for p in store.parent.iterdir() if p.name.startswith(TMP)] == []


def test_the_next_run_removes_only_stale_temp_files_of_ours(tmp_path: Path):
    from wijkplan.outputs.atomic import remove_stale_temp, temp_prefix

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale_prefix = temp_prefix("x").replace(f"-{os.getpid()}-", f"-{dead.pid}-")
    (tmp_path / f"{stale_prefix}abc.gpkg").write_text("half")
    (tmp_path / f"{stale_prefix}abc.gpkg-journal").write_text("half")
    (tmp_path / f"{stale_prefix}build").mkdir()
    (tmp_path / f"{stale_prefix}build" / "leefbaarometer_2024.tif").write_text("half")
    live = tmp_path / f"{temp_prefix('y')}def.gpkg"  # this process is alive: kept
    live.write_text("busy")
    for name in ("plan.gpkg", ".verborgen", ".plan.abc.gpkg", "wijkplan-tmp-x"):
        (tmp_path / name).write_text("not ours")
    removed = remove_stale_temp(tmp_path)
    assert len(removed) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [live.name, "plan.gpkg", ".verborgen", ".plan.abc.gpkg", "wijkplan-tmp-x"]
    )
