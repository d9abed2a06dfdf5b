"""Which agreements apply to an area, at every level, on tiny inline frames."""

from __future__ import annotations

import pytest

from wijkplan.afspraken.linking import (
    COLUMNS,
    afspraken_overview,
    applicable_afspraken,
    filter_afspraken,
)
from wijkplan.afspraken.store import StatusStore
from wijkplan.areas import Areas
from wijkplan.errors import ValidationError


def _via(ledger, niveau, code, buurten, complexen=None, store=None) -> dict[str, str]:
    areas = Areas.of(buurten, None, complexen, ledger)
    assert areas.resolve(code).kind == niveau
    frame = applicable_afspraken(ledger, areas, code, store=store)
    assert list(frame.columns) == COLUMNS
    assert frame["afspraak_id"].is_unique
    return dict(zip(frame["afspraak_id"], frame["via"], strict=True))


@pytest.mark.parametrize("code", ["BU04840101", "BU04840102", "BU04840201", "BU04840202"])
def test_gemeentebreed_shows_in_every_buurt(ledger, buurten, code):
    assert _via(ledger, "buurt", code, buurten)["A-gem"] == "gemeentebreed"


def test_buurt_direct_wijk_and_wijklevel_warmtegebied(ledger, buurten, complexen):
    assert _via(ledger, "buurt", "BU04840101", buurten, complexen) == {
        "A-gem": "gemeentebreed",
        "A-wijk": "wijk WK048401",
        "A-buurt": "direct",
        "A-warmwijk": "warmtegebied Warm Noord",
    }


def test_buurt_in_regiegebied(ledger, buurten):
    assert _via(ledger, "buurt", "BU04840102", buurten) == {
        "A-gem": "gemeentebreed",
        "A-wijk": "wijk WK048401",
        "A-buurt2": "direct",
        "A-regie": "regiegebied Regie Oost",
        "A-warmwijk": "warmtegebied Warm Noord",
    }


def test_buurt_in_buurtlevel_warmtegebied(ledger, buurten):
    assert _via(ledger, "buurt", "BU04840201", buurten) == {
        "A-gem": "gemeentebreed",
        "A-warm": "warmtegebied Warm Zuid",
    }


def test_buurt_gets_agreements_of_its_complexes(ledger, buurten, complexen):
    via = _via(ledger, "buurt", "BU04840202", buurten, complexen)
    assert via == {"A-gem": "gemeentebreed", "A-buurt2": "direct", "A-complex": "complex C1"}
    assert "A-complex" not in _via(ledger, "buurt", "BU04840202", buurten)  # no complexen given


def test_wijk_gets_direct_its_buurten_and_areas(ledger, buurten, complexen):
    assert _via(ledger, "wijk", "WK048401", buurten, complexen) == {
        "A-gem": "gemeentebreed",
        "A-wijk": "direct",
        "A-buurt": "buurt BU04840101",
        "A-buurt2": "buurt BU04840102",
        "A-regie": "regiegebied Regie Oost",
        "A-warmwijk": "warmtegebied Warm Noord",
    }
    assert _via(ledger, "wijk", "WK048402", buurten, complexen) == {
        "A-gem": "gemeentebreed",
        "A-buurt2": "buurt BU04840202",
        "A-warm": "warmtegebied Warm Zuid",
        "A-complex": "complex C1",
    }


def test_regiegebied(ledger, buurten):
    assert _via(ledger, "regiegebied", "r1", buurten) == {
        "A-gem": "gemeentebreed",
        "A-regie": "direct",
        "A-buurt2": "buurt BU04840102",
    }


def test_warmtegebied_on_wijk_level_covers_the_wijk(ledger, buurten):
    assert _via(ledger, "warmtegebied", "w2", buurten) == {
        "A-gem": "gemeentebreed",
        "A-warmwijk": "direct",
        "A-wijk": "wijk WK048401",
        "A-buurt": "buurt BU04840101",
        "A-buurt2": "buurt BU04840102",
    }
    assert _via(ledger, "warmtegebied", "w1", buurten) == {
        "A-gem": "gemeentebreed",
        "A-warm": "direct",
    }


def test_complex_gets_its_buurt_and_what_contains_it(ledger, buurten, complexen):
    assert _via(ledger, "complex", "C1", buurten, complexen) == {
        "A-gem": "gemeentebreed",
        "A-complex": "direct",
        "A-buurt2": "buurt BU04840202",
    }
    assert _via(ledger, "complex", "C2", buurten, complexen) == {
        "A-gem": "gemeentebreed",
        "A-wijk": "wijk WK048401",
        "A-buurt": "buurt BU04840101",
        "A-warmwijk": "warmtegebied Warm Noord",
    }


def test_gemeente_gets_everything_inside(ledger, buurten, complexen):
    via = _via(ledger, "gemeente", "GM0484", buurten, complexen)
    assert set(via) == {a.id for a in ledger.afspraken}
    assert via["A-gem"] == "gemeentebreed" and via["A-wijk"] == "wijk WK048401"
    assert via["A-complex"] == "complex C1"


def test_result_is_in_ledger_order_and_inputs_untouched(ledger, buurten):
    before = buurten.copy()
    frame = applicable_afspraken(ledger, Areas.of(buurten, ledger=ledger), "WK048401")
    order = [a.id for a in ledger.afspraken]
    assert list(frame["afspraak_id"]) == sorted(frame["afspraak_id"], key=order.index)
    assert buurten.equals(before)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("BU04849999", "buurtcode 'BU04849999' bestaat niet"),
        ("wk048499", "wijkcode 'WK048499' bestaat niet"),
        ("GM0001", "gemeentecode 'GM0001' bestaat niet"),
        ("r9", "gebiedscode 'r9' onbekend"),
        ("C1", "gebiedscode 'C1' onbekend"),  # complexes not loaded
    ],
)
def test_unknown_areas_are_refused(ledger, buurten, code, message):
    with pytest.raises(ValidationError, match=message):
        applicable_afspraken(ledger, Areas.of(buurten, ledger=ledger), code)


def test_status_comes_from_the_store(ledger, buurten, tmp_path):
    store = StatusStore(tmp_path / "status.sqlite")
    store.update(
        "A-regie", status="lopend", voortgang=30, door="Fatima", expected_version=0, ledger=ledger
    )
    areas = Areas.of(buurten, ledger=ledger)
    frame = applicable_afspraken(ledger, areas, "BU04840102", store=store)
    row = frame.set_index("afspraak_id").loc["A-regie"]
    assert (row["status"], row["voortgang"], row["versie"]) == ("lopend", 30, 1)
    plain = applicable_afspraken(ledger, areas, "BU04840102")
    assert plain.set_index("afspraak_id").loc["A-regie", "status"] == "voorgenomen"


def test_filters(ledger):
    overview = afspraken_overview(ledger)
    assert len(overview) == len(ledger.afspraken)
    assert set(filter_afspraken(overview, ledger, thema="Duurzaamheid")["afspraak_id"]) == {
        "A-warm",
        "A-warmwijk",
    }
    assert list(filter_afspraken(overview, ledger, partij="politie")["afspraak_id"]) == ["A-regie"]
    assert list(filter_afspraken(overview, ledger, partij="Tom in de buurt")["afspraak_id"]) == [
        "A-regie"
    ]
    assert list(filter_afspraken(overview, ledger, status="lopend")["afspraak_id"]) == ["A-warm"]
    both = filter_afspraken(overview, ledger, thema="duurzaamheid", status="voorgenomen")
    assert list(both["afspraak_id"]) == ["A-warmwijk"]
    with pytest.raises(ValidationError, match="onbekende partij 'brandweer'"):
        filter_afspraken(overview, ledger, partij="brandweer")
    with pytest.raises(ValidationError, match="onbekend thema 'sport'"):
        filter_afspraken(overview, ledger, thema="sport")
