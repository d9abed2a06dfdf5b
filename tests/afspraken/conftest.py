"""A tiny inline ledger for the ledger tests (its boundaries are in tests/conftest.py)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from wijkplan.afspraken.ledger import parse_ledger
from wijkplan.afspraken.model import Ledger

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


@pytest.fixture(autouse=True)
def cli_users(isolated_users_file: Path) -> Path:
    """Fatima and Jan, the coordinators the CLI tests update as (``--door``), with no
    password (an identity-provider account: no slow hashing, the CLI needs none)."""
    from wijkplan.users.accounts import UsersFile

    users = UsersFile(isolated_users_file)
    for naam in ("Fatima", "Jan"):
        users.add(naam, "coordinator", wachtwoord=None, ledger=parse_ledger(dump(BASE_LEDGER)))
    return isolated_users_file


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
