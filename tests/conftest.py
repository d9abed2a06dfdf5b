"""Shared fixtures: tiny inline boundaries in EPSG:28992 and a build of the bundled data."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon, box
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "data" / "geo"


def square(x: float, y: float, size: float = 1000) -> Polygon:
    return box(x, y, x + size, y + size)


def make_tiny_wijken() -> gpd.GeoDataFrame:
    """Two wijken of a made-up municipality GM9999, side by side."""
    return gpd.GeoDataFrame(
        {
            "wijkcode": ["WK999901", "WK999902"],
            "wijknaam": ["Noord", "Zuid"],
            "gemeentecode": ["GM9999", "GM9999"],
            "jaar": [2024, 2024],
            "aantal_inwoners": [1200, 800],
            "woningvoorraad": [500, 350],
        },
        geometry=[box(100_000, 450_000, 102_000, 451_000), box(100_000, 449_000, 102_000, 450_000)],
        crs="EPSG:28992",
    )


def make_tiny_buurten() -> gpd.GeoDataFrame:
    """Four buurten, two per wijk."""
    return gpd.GeoDataFrame(
        {
            "buurtcode": ["BU99990101", "BU99990102", "BU99990201", "BU99990202"],
            "buurtnaam": ["Noord-West", "Noord-Oost", "Zuid-West", "Zuid-Oost"],
            "wijkcode": ["WK999901", "WK999901", "WK999902", "WK999902"],
            "gemeentecode": ["GM9999"] * 4,
            "jaar": [2024] * 4,
        },
        geometry=[
            square(100_000, 450_000),
            square(101_000, 450_000),
            square(100_000, 449_000),
            square(101_000, 449_000),
        ],
        crs="EPSG:28992",
    )


@pytest.fixture
def tiny_wijken() -> gpd.GeoDataFrame:
    """Two wijken of a made-up municipality GM9999, side by side."""
    return make_tiny_wijken()


@pytest.fixture
def tiny_buurten() -> gpd.GeoDataFrame:
    """Four buurten, two per wijk."""
    return make_tiny_buurten()


@pytest.fixture
def write_boundaries(
    tmp_path: Path, tiny_buurten: gpd.GeoDataFrame, tiny_wijken: gpd.GeoDataFrame
) -> Callable[..., Path]:
    """Write (possibly modified) tiny boundaries to a fresh data folder; return the folder."""

    def _write(
        buurten: gpd.GeoDataFrame | None = None,
        wijken: gpd.GeoDataFrame | None = None,
        suffix: str = ".geojson",
    ) -> Path:
        data = tmp_path / "data"
        data.mkdir(exist_ok=True)
        (buurten if buurten is not None else tiny_buurten).to_file(data / f"buurten{suffix}")
        (wijken if wijken is not None else tiny_wijken).to_file(data / f"wijken{suffix}")
        return data

    return _write


@pytest.fixture(scope="session")
def bundled_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of data/geo (real boundaries) with the sample sources written into it."""
    import subprocess

    from wijkplan.sample import write_sample_data

    data = tmp_path_factory.mktemp("bundled") / "geo"
    data.mkdir()
    tracked = subprocess.run(
        ["git", "ls-files", "data/geo"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in tracked or ["data/geo/buurten.geojson", "data/geo/wijken.geojson"]:
        shutil.copy(REPO / name, data / Path(name).name)
    write_sample_data(data)
    return data


@pytest.fixture(scope="session")
def built_layers(bundled_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The GeoPackage built from the bundled data (built once per test session)."""
    from wijkplan.build import build_layers

    out = tmp_path_factory.mktemp("layers") / "wijkplan.gpkg"
    build_layers(bundled_data, out)
    return out


@pytest.fixture
def app_env(built_layers: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run Streamlit pages (AppTest) from the checkout on the built layers, offline."""
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("WIJKPLAN_LAYERS", str(built_layers))
    monkeypatch.setenv("WIJKPLAN_BASEMAP", "geen")
    return built_layers


@pytest.fixture(autouse=True)
def isolated_users_file(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own (absent) users file; data/state/gebruikers.toml is never read."""
    path = tmp_path_factory.mktemp("users") / "gebruikers.toml"
    monkeypatch.setenv("WIJKPLAN_USERS", str(path))
    return path


#: One user per role for the app and browser tests: name → (role, organisation). Habeko and
#: Woonforte are both corporations so that "another corporation's agreement" can be tried.
ROLE_USERS: dict[str, tuple[str, str | None]] = {
    "coordinator": ("coordinator", "gemeente"),
    "habeko": ("corporatie", "habeko"),
    "woonforte": ("corporatie", "woonforte"),
    "hogh": ("huurdersorganisatie", "huurders-woonforte"),
    "lezer": ("lezer", None),
}
#: Their password (test only).
ROLE_PASSWORD = "geheim-wachtwoord-1"


@pytest.fixture(scope="session")
def _role_users_file(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The users file of :data:`ROLE_USERS`, hashed once per session (argon2 is slow)."""
    from wijkplan.afspraken import DEFAULT_LEDGER
    from wijkplan.afspraken.ledger import load_ledger
    from wijkplan.users.accounts import UsersFile

    users = UsersFile(tmp_path_factory.mktemp("role-users") / "gebruikers.toml")
    ledger = load_ledger(DEFAULT_LEDGER)
    for naam, (rol, organisatie) in ROLE_USERS.items():
        users.add(naam, rol, organisatie=organisatie, wachtwoord=ROLE_PASSWORD, ledger=ledger)
    return users.path.read_bytes()


@pytest.fixture
def role_users(_role_users_file: bytes, isolated_users_file: Path) -> Path:
    """The test's users file holds one user per role (:data:`ROLE_USERS`)."""
    isolated_users_file.write_bytes(_role_users_file)
    isolated_users_file.chmod(0o600)
    return isolated_users_file


def logged_in(at: AppTest, naam: str = "coordinator") -> AppTest:
    """An AppTest whose session is logged in as ``naam`` (a user of :func:`role_users`)."""
    at.session_state["gebruiker"] = naam
    return at


@pytest.fixture(autouse=True)
def isolated_status_store(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own agreement status store; data/state is never touched."""
    path = tmp_path_factory.mktemp("state") / "afspraken_status.sqlite"
    monkeypatch.setenv("WIJKPLAN_STATUS_STORE", str(path))
    return path


# ---- the boundaries of the tiny ledger in tests/afspraken/conftest.py (GM0484, 100 m squares)


@pytest.fixture
def buurten() -> gpd.GeoDataFrame:
    """2 x 2 squares of 100 m: wijk WK048401 on top, WK048402 below, EPSG:28992."""
    cells = [
        ("BU04840101", "Noord-West", "WK048401", box(0, 100, 100, 200)),
        ("BU04840102", "Noord-Oost", "WK048401", box(100, 100, 200, 200)),
        ("BU04840201", "Zuid-West", "WK048402", box(0, 0, 100, 100)),
        ("BU04840202", "Zuid-Oost", "WK048402", box(100, 0, 200, 100)),
    ]
    return gpd.GeoDataFrame(
        {
            "buurtcode": [c[0] for c in cells],
            "buurtnaam": [c[1] for c in cells],
            "wijkcode": [c[2] for c in cells],
            "gemeentecode": ["GM0484"] * 4,
            "jaar": [2024] * 4,
        },
        geometry=[c[3] for c in cells],
        crs="EPSG:28992",
    )


@pytest.fixture
def wijken() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "wijkcode": ["WK048401", "WK048402"],
            "wijknaam": ["Noord", "Zuid"],
            "gemeentecode": ["GM0484"] * 2,
            "jaar": [2024] * 2,
        },
        geometry=[box(0, 100, 200, 200), box(0, 0, 200, 100)],
        crs="EPSG:28992",
    )


@pytest.fixture
def complexen() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"complex_id": ["C1", "C2"], "buurtcode": ["BU04840202", "BU04840101"]},
        geometry=[Point(150, 50), Point(50, 150)],
        crs="EPSG:28992",
    )
