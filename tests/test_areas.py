"""One notion of an area: every code resolves to its kind, name and buurten, or one clear line."""

from __future__ import annotations

import pytest

from tests.afspraken.conftest import BASE_LEDGER, dump
from wijkplan.afspraken.ledger import parse_ledger
from wijkplan.areas import Areas
from wijkplan.errors import ValidationError


@pytest.fixture
def areas(buurten, wijken, complexen) -> Areas:
    return Areas.of(buurten, wijken, complexen, parse_ledger(dump(BASE_LEDGER)))


@pytest.mark.parametrize(
    ("code", "kind", "naam", "buurtcodes"),
    [
        ("GM0484", "gemeente", "GM0484", ("BU04840101", "BU04840102", "BU04840201", "BU04840202")),
        ("WK048401", "wijk", "Noord", ("BU04840101", "BU04840102")),
        ("wk048402", "wijk", "Zuid", ("BU04840201", "BU04840202")),  # codes in any case
        ("BU04840201", "buurt", "Zuid-West", ("BU04840201",)),
        ("r1", "regiegebied", "Regie Oost", ("BU04840102",)),
        ("R1", "regiegebied", "Regie Oost", ("BU04840102",)),  # ids in any case too
        ("w1", "warmtegebied", "Warm Zuid", ("BU04840201",)),
        ("w2", "warmtegebied", "Warm Noord", ("BU04840101", "BU04840102")),  # by its wijk
        ("C1", "complex", "C1", ("BU04840202",)),
        ("c1", "complex", "C1", ("BU04840202",)),
    ],
)
def test_every_kind_resolves(areas, code, kind, naam, buurtcodes):
    area = areas.resolve(code)
    assert (area.kind, area.naam, area.buurtcodes) == (kind, naam, buurtcodes)
    assert areas.buurten_of(code) == buurtcodes


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("BU04849999", "buurtcode 'BU04849999' bestaat niet in deze gebiedsindeling"),
        ("WK048499", "wijkcode 'WK048499' bestaat niet"),
        ("GM0001", "gemeentecode 'GM0001' bestaat niet"),
        ("zzz", "gebiedscode 'zzz' onbekend"),
    ],
)
def test_unknown_code_is_one_line(areas, code, message):
    with pytest.raises(ValidationError, match=message) as info:
        areas.resolve(code)
    assert "\n" not in str(info.value)


def test_containment(areas):
    assert [a.code for a in areas.containing("BU04840102")] == ["r1", "w2"]
    assert [a.code for a in areas.overlapping(["BU04840201", "BU04840202"])] == ["w1"]
    assert areas.complexen_in("BU04840202") == ["C1"]
    assert areas.wijk_of("BU04840201") == "WK048402"
    assert areas.resolve("w2").wijkcodes == ("WK048401",)


def test_known_tells_what_can_be_checked(buurten, wijken, complexen):
    without = Areas.of(buurten, wijken)
    assert without.known("buurt", "BU04840101") is True
    assert without.known("wijk", "WK048499") is False
    assert without.known("complex", "C1") is None  # no complexes loaded: cannot tell
    assert Areas.of(buurten, wijken, complexen).known("complex", "C9") is False


def test_search_options_list_buurten_wijken_and_ledger_areas(areas):
    options = areas.search_options()
    assert options["Noord-West (BU04840101)"] == "BU04840101"
    assert options["Wijk Noord (WK048401)"] == "WK048401"
    assert options["Regiegebied Regie Oost"] == "r1"
    assert options["Warmtegebied Warm Noord"] == "w2"
    assert list(options) == sorted(options)
