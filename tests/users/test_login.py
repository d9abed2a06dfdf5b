"""Identity-provider login: which identities map to an account of the users file."""

from __future__ import annotations

import pytest

from wijkplan.afspraken import DEFAULT_LEDGER
from wijkplan.afspraken.ledger import load_ledger
from wijkplan.ui.login import oidc_user
from wijkplan.users.accounts import UsersFile
from wijkplan.users.model import User

EMAIL = "j.devries@woonforte.nl"
CORPORATION = User(EMAIL, "corporatie", "woonforte")


@pytest.fixture
def users(tmp_path):
    users = UsersFile(tmp_path / "gebruikers.toml")
    users.add(EMAIL, "corporatie", organisatie="woonforte", wachtwoord=None,
              ledger=load_ledger(DEFAULT_LEDGER))  # fmt: skip
    return users


@pytest.mark.parametrize("verified", [True, "true", "True"])
def test_a_verified_email_maps_to_the_account(users, verified):
    assert oidc_user({"email": EMAIL, "email_verified": verified}, users) == CORPORATION
    assert oidc_user({"email": EMAIL.upper(), "email_verified": verified}, users) == User(
        EMAIL, "corporatie", "woonforte"
    )


@pytest.mark.parametrize(
    ("identity", "naam"),
    [
        ({"email": EMAIL}, EMAIL),  # no email_verified at all
        ({"email": EMAIL, "email_verified": False}, EMAIL),
        ({"email": EMAIL, "email_verified": "false"}, EMAIL),
        ({"email": EMAIL, "email_verified": 1}, EMAIL),
        ({"preferred_username": EMAIL}, EMAIL),
        ({"sub": EMAIL}, EMAIL),
        ({"email": "", "preferred_username": EMAIL, "email_verified": True}, EMAIL),
    ],
)
def test_anything_else_is_a_reader(users, identity, naam):
    assert oidc_user(identity, users) == User(naam, "lezer")


def test_no_name_at_all_is_nobody(users):
    assert oidc_user({"email_verified": True}, users) is None
    assert oidc_user({"email": 3, "sub": None}, users) is None
