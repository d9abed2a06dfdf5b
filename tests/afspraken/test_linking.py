"""Which agreements apply to an area, at every level, on tiny inline frames."""

from __future__ import annotations

import pytest

from wijkplan.afspraken import (
    StatusStore,
    afspraken_overview,
    applicable_afspraken,
    filter_afspraken,
    infer_niveau,
)
from wijkplan.afspraken.linking import COLUMNS
from wijkplan.errors import ValidationError


def _via(ledger, niveau, code, buurten, complexen=None, store=None) -> dict[str, str]:
    frame = applicable_afspraken(
        ledger, niveau=niveau, code=code, buurten=buurten, complexen=complexen, store=store
    )
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
    frame = applicable_afspraken(ledger, niveau="wijk", code="WK048401", buurten=buurten)
    order = [a.id for a in ledger.afspraken]
    assert list(frame["afspraak_id"]) == sorted(frame["afspraak_id"], key=order.index)
    assert buurten.equals(before)


@pytest.mark.parametrize(
    ("niveau", "code", "message"),
    [
        ("buurt", "BU04849999", "onbekende buurtcode 'BU04849999'"),
        ("wijk", "WK048499", "onbekende wijkcode 'WK048499'"),
        ("gemeente", "GM0001", "onbekende gemeentecode 'GM0001'"),
        ("regiegebied", "r9", "onbekend regiegebied 'r9'"),
        ("warmtegebied", "w9", "onbekend warmtegebied 'w9'"),
        ("complex", "C9", "geen complexen geladen"),
        ("straat", "x", "onbekend niveau"),
    ],
)
def test_unknown_areas_are_refused(ledger, buurten, niveau, code, message):
    with pytest.raises(ValidationError, match=message):
        applicable_afspraken(ledger, niveau=niveau, code=code, buurten=buurten)


def test_status_comes_from_the_store(ledger, buurten, tmp_path):
    store = StatusStore(tmp_path / "status.sqlite")
    store.update(
        "A-regie", status="lopend", voortgang=30, door="Fatima", expected_version=0, ledger=ledger
    )
    frame = applicable_afspraken(
        ledger, niveau="buurt", code="BU04840102", buurten=buurten, store=store
    )
    row = frame.set_index("afspraak_id").loc["A-regie"]
    assert (row["status"], row["voortgang"], row["versie"]) == ("lopend", 30, 1)
    plain = applicable_afspraken(ledger, niveau="buurt", code="BU04840102", buurten=buurten)
    assert plain.set_index("afspraak_id").loc["A-regie", "status"] == "voorgenomen"


def test_infer_niveau(ledger, complexen):
    assert infer_niveau(ledger, "GM0484") == "gemeente"
    assert infer_niveau(ledger, "r1") == "regiegebied"
    assert infer_niveau(ledger, "w2") == "warmtegebied"
    assert infer_niveau(ledger, "C1", complexen=complexen) == "complex"
    with pytest.raises(ValidationError, match="onbekende gebiedscode 'zzz'"):
        infer_niveau(ledger, "zzz")


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
