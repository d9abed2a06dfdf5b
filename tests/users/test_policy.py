"""The policy: every role × action × agreement with and without the user's organisation."""

from __future__ import annotations

import dataclasses

import pytest

from wijkplan.afspraken import DEFAULT_LEDGER
from wijkplan.afspraken.ledger import load_ledger
from wijkplan.afspraken.model import Afspraak, GebiedLink, Partij
from wijkplan.errors import NotAllowedError
from wijkplan.users.model import User
from wijkplan.users.policy import LEZEN, OPMERKING, WIJZIGEN, may, require


def afspraak(*partijen: str) -> Afspraak:
    return Afspraak(
        "PA-1", 2021, "2021", "leefbaarheid", "titel", "tekst", partijen, "gemeente",
        "indicator", "lopend", (GebiedLink("gemeente", "GM0484"),),
    )  # fmt: skip


WITH = afspraak("gemeente", "woonforte", "huurders-woonforte")
WITHOUT = afspraak("gemeente", "habeko")
COORD = User("c", "coordinator", "gemeente")
CORP = User("w", "corporatie", "woonforte")
TENANT = User("h", "huurdersorganisatie", "huurders-woonforte")
READER = User("l", "lezer")
#: The real ledger: gemeente, woningcorporaties woonforte and habeko, their tenants.
LEDGER = load_ledger(DEFAULT_LEDGER)

#: (user, action, agreement) → allowed
EXPECTED = {
    (COORD, WIJZIGEN, WITH): True,
    (COORD, WIJZIGEN, WITHOUT): True,
    (COORD, OPMERKING, WITH): True,
    (COORD, OPMERKING, WITHOUT): True,
    (CORP, WIJZIGEN, WITH): True,
    (CORP, WIJZIGEN, WITHOUT): False,
    (CORP, OPMERKING, WITH): True,
    (CORP, OPMERKING, WITHOUT): False,
    (TENANT, WIJZIGEN, WITH): False,
    (TENANT, WIJZIGEN, WITHOUT): False,
    (TENANT, OPMERKING, WITH): True,
    (TENANT, OPMERKING, WITHOUT): True,
    (READER, WIJZIGEN, WITH): False,
    (READER, WIJZIGEN, WITHOUT): False,
    (READER, OPMERKING, WITH): False,
    (READER, OPMERKING, WITHOUT): False,
}


@pytest.mark.parametrize(("case", "allowed"), EXPECTED.items(), ids=lambda c: str(c))
def test_every_role_action_and_agreement(case, allowed):
    user, action, a = case
    decision = may(user, action, a, LEDGER)
    assert bool(decision) is allowed
    if allowed:
        assert decision.reden is None
    else:
        assert decision.reden and "\n" not in decision.reden
    assert may(user, LEZEN, a, LEDGER)  # every logged-in user reads


def test_reasons_are_specific_dutch_lines():
    assert may(CORP, WIJZIGEN, WITHOUT, LEDGER).reden == (
        "woonforte is geen partij bij afspraak PA-1; u kunt alleen afspraken van woonforte wijzigen"
    )
    assert "huurdersorganisatie kan een opmerking plaatsen" in str(
        may(TENANT, WIJZIGEN, WITH, LEDGER).reden
    )
    assert may(READER, OPMERKING, WITH, LEDGER).reden == "l heeft alleen leesrechten"


@pytest.mark.parametrize("action", [WIJZIGEN, OPMERKING, LEZEN])
def test_nobody_logged_in_may_nothing(action):
    decision = may(None, action, WITH, LEDGER)
    assert not decision and "log eerst in" in str(decision.reden)


def test_corporation_without_organisation_and_unknown_role_are_refused():
    assert not may(User("x", "corporatie", None), WIJZIGEN, WITH, LEDGER)
    assert not may(User("x", "beheerder"), WIJZIGEN, WITH, LEDGER)
    with pytest.raises(ValueError, match="unknown action"):
        may(COORD, "verwijderen", WITH, LEDGER)


def test_require_raises_one_line_exit_2():
    require(COORD, WIJZIGEN, WITHOUT, LEDGER)
    with pytest.raises(NotAllowedError) as caught:
        require(CORP, WIJZIGEN, WITHOUT, LEDGER)
    assert str(caught.value).startswith("niet toegestaan: woonforte is geen partij")
    assert caught.value.exit_code == 2


def test_organisation_kind_is_checked_against_the_ledger_in_use():
    # Added against a ledger where 'gemeente' was a woningcorporatie (or written by hand):
    # with the ledger in use the gemeente is no corporation, so nothing is allowed.
    only_gemeente = afspraak("gemeente")
    disguised = User("g", "corporatie", "gemeente")
    for action in (WIJZIGEN, OPMERKING):
        decision = may(disguised, action, only_gemeente, LEDGER)
        assert not decision
        assert decision.reden == (
            "organisatie 'gemeente' van g is in het afsprakenregister geen woningcorporatie; "
            "rol corporatie vraagt een woningcorporatie"
        )
    assert may(disguised, LEZEN, only_gemeente, LEDGER)
    tenant_as_corporation = User("t", "huurdersorganisatie", "woonforte")
    assert not may(tenant_as_corporation, OPMERKING, WITH, LEDGER)
    unknown = User("u", "corporatie", "elders")
    assert not may(unknown, WIJZIGEN, WITH, LEDGER)
    # The same account is allowed where the ledger in use does say woningcorporatie.
    bent = dataclasses.replace(
        LEDGER,
        partijen=tuple(
            Partij(p.id, p.naam, "woningcorporatie") if p.id == "gemeente" else p
            for p in LEDGER.partijen
        ),
    )
    assert may(disguised, WIJZIGEN, only_gemeente, bent)
