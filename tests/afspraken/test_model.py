"""The data model and its vocabulary."""

from __future__ import annotations

import datetime as dt

import pytest

from wijkplan.afspraken.model import GebiedLink, Ledger, ledger_from_json, ledger_to_json
from wijkplan.errors import ValidationError


def test_afspraak_inherits_year_and_period_from_metadata(ledger: Ledger):
    a = ledger.afspraak("A-wijk")
    assert (a.jaar, a.periode) == (2021, "2017-2021")
    assert ledger.meta.ondertekend == dt.date(2020, 12, 9)


def test_gemeentebreed_only_for_gemeente_links(ledger: Ledger):
    assert ledger.afspraak("A-gem").gemeentebreed
    assert not ledger.afspraak("A-wijk").gemeentebreed
    assert ledger.afspraak("A-regie").gebieden == (GebiedLink("regiegebied", "r1"),)


def test_unquantified_and_unled_stay_empty(ledger: Ledger):
    a = ledger.afspraak("A-regie")
    assert a.streefwaarde is None and a.eenheid is None and a.voortgang is None
    assert a.trekker is None
    assert ledger.partij_naam(a.trekker) == "nog vast te stellen"
    assert ledger.regiegebied("r1").regisseur is None  # type: ignore[union-attr]


def test_warmtegebied_on_wijk_level(ledger: Ledger):
    assert ledger.warmtegebied("w2").op_wijkniveau  # type: ignore[union-attr]
    assert not ledger.warmtegebied("w1").op_wijkniveau  # type: ignore[union-attr]


def test_unknown_afspraak_is_a_validation_error(ledger: Ledger):
    with pytest.raises(ValidationError, match="onbekende afspraak: 'X-9'"):
        ledger.afspraak("X-9")


def test_snapshot_in_the_geopackage_round_trips(ledger: Ledger):
    """The build stores the validated ledger as JSON; the reading side gets the same ledger."""
    assert ledger_from_json(ledger_to_json(ledger)) == ledger
