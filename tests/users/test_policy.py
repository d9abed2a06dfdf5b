"""The policy: every role × action × agreement with and without the user's organisation."""

from __future__ import annotations

import pytest

from wijkplan.afspraken.model import Afspraak, GebiedLink
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
    decision = may(user, action, a)
    assert bool(decision) is allowed
    if allowed:
        assert decision.reden is None
    else:
        assert decision.reden and "\n" not in decision.reden
    assert may(user, LEZEN, a)  # every logged-in user reads


def test_reasons_are_specific_dutch_lines():
    assert may(CORP, WIJZIGEN, WITHOUT).reden == (
        "woonforte is geen partij bij afspraak PA-1; u kunt alleen afspraken van woonforte wijzigen"
    )
    assert "huurdersorganisatie kan een opmerking plaatsen" in str(
        may(TENANT, WIJZIGEN, WITH).reden
    )
    assert may(READER, OPMERKING, WITH).reden == "l heeft alleen leesrechten"


@pytest.mark.parametrize("action", [WIJZIGEN, OPMERKING, LEZEN])
def test_nobody_logged_in_may_nothing(action):
    decision = may(None, action, WITH)
    assert not decision and "log eerst in" in str(decision.reden)


def test_corporation_without_organisation_and_unknown_role_are_refused():
    assert not may(User("x", "corporatie", None), WIJZIGEN, WITH)
    assert not may(User("x", "beheerder"), WIJZIGEN, WITH)
    with pytest.raises(ValueError, match="unknown action"):
        may(COORD, "verwijderen", WITH)


def test_require_raises_one_line_exit_2():
    require(COORD, WIJZIGEN, WITHOUT)
    with pytest.raises(NotAllowedError) as caught:
        require(CORP, WIJZIGEN, WITHOUT)
    assert str(caught.value).startswith("niet toegestaan: woonforte is geen partij")
    assert caught.value.exit_code == 2
