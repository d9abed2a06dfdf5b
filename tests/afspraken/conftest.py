"""Tiny inline data for the ledger tests: four square buurten in two wijken, one complex."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import yaml
from shapely.geometry import Point, box

from wijkplan.afspraken import Ledger, parse_ledger

REPO = Path(__file__).resolve().parents[2]
SHIPPED_LEDGER = REPO / "data" / "afspraken" / "prestatieafspraken-2021.yaml"

#: A small but complete ledger: every kind of area link occurs once.
BASE_LEDGER: dict[str, Any] = {
    "metadata": {
        "titel": "Testafspraken",
        "ondertekend": "2020-12-09",
        "periode": "2017-2021",
        "jaar": 2021,
        "bron": "test",
    },
    "vocabulaire": {
        "themas": ["leefbaarheid", "duurzaamheid"],
        "statussen": ["voorgenomen", "lopend", "gerealiseerd"],
    },
    "partijen": [
        {"id": "gemeente", "naam": "Gemeente Test", "ondertekenaar": True},
        {"id": "woonforte", "naam": "Woonforte"},
        {"id": "tom-in-de-buurt", "naam": "Tom in de buurt"},
        {"id": "politie", "naam": "Politie"},
    ],
    "regiegebieden": [
        {
            "regie_id": "r1",
            "naam": "Regie Oost",
            "buurtcodes": ["BU04840102"],
            "partners": ["gemeente", "tom-in-de-buurt", "politie"],
            "regisseur": "nog vast te stellen",
        }
    ],
    "warmtegebieden": [
        {
            "gebied_id": "w1",
            "naam": "Warm Zuid",
            "buurtcodes": ["BU04840201"],
            "wijkcodes": ["WK048402"],
            "periode": "vanaf 2022",
            "startjaar": 2022,
            "status": "voorgenomen",
        },
        {
            "gebied_id": "w2",
            "naam": "Warm Noord",
            "buurtcodes": [],
            "wijkcodes": ["WK048401"],
            "periode": "2023-2024",
            "startjaar": 2023,
            "status": "voorgenomen",
        },
    ],
    "afspraken": [],
}


def _afspraak(aid: str, gebieden: list[tuple[str, str]], **extra: Any) -> dict[str, Any]:
    record = {
        "id": aid,
        "thema": "leefbaarheid",
        "titel": f"Titel {aid}",
        "tekst": f"Tekst van {aid}.",
        "partijen": ["gemeente", "woonforte"],
        "trekker": "gemeente",
        "indicator": "iets meetbaars",
        "status": "voorgenomen",
        "gebieden": [{"niveau": n, "code": c} for n, c in gebieden],
    }
    record.update(extra)
    return record


BASE_LEDGER["afspraken"] = [
    _afspraak("A-gem", [("gemeente", "GM0484")]),
    _afspraak("A-wijk", [("wijk", "WK048401")]),
    _afspraak("A-buurt", [("buurt", "BU04840101")]),
    _afspraak("A-buurt2", [("buurt", "BU04840102"), ("buurt", "BU04840202")]),
    _afspraak(
        "A-regie",
        [("regiegebied", "r1")],
        partijen=["gemeente", "tom-in-de-buurt", "politie"],
        trekker="nog vast te stellen",
    ),
    _afspraak("A-warm", [("warmtegebied", "w1")], thema="duurzaamheid", status="lopend"),
    _afspraak("A-warmwijk", [("warmtegebied", "w2")], thema="duurzaamheid"),
    _afspraak("A-complex", [("complex", "C1")], partijen=["woonforte"], trekker="woonforte"),
]


@pytest.fixture
def ledger_dict() -> dict[str, Any]:
    """A fresh deep copy of the base ledger to mutate in a test."""
    return copy.deepcopy(BASE_LEDGER)


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def write_ledger(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(dump(data), encoding="utf-8")
    return path


@pytest.fixture
def ledger() -> Ledger:
    return parse_ledger(dump(BASE_LEDGER), source="test.yaml")


@pytest.fixture
def ledger_file(tmp_path: Path) -> Path:
    return write_ledger(tmp_path / "afspraken.yaml", BASE_LEDGER)


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
