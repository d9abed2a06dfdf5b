"""The users file: hashes not passwords, 0600, atomic, duplicates and bad organisations refused."""

from __future__ import annotations

import os
import stat
import tomllib

import pytest

from wijkplan.afspraken import DEFAULT_LEDGER
from wijkplan.afspraken.ledger import load_ledger
from wijkplan.errors import WijkplanError
from wijkplan.users.accounts import UsersFile, default_users_path
from wijkplan.users.model import User

PASSWORD = "een-lang-wachtwoord"


@pytest.fixture(scope="module")
def ledger():
    return load_ledger(DEFAULT_LEDGER)


def test_add_stores_an_argon2_hash_with_0600_and_verifies(tmp_path, ledger):
    users = UsersFile(tmp_path / "state" / "gebruikers.toml")
    assert users.users() == [] and not users.exists()  # reading creates nothing
    assert not (tmp_path / "state").exists()
    user = users.add("j.devries", "corporatie", organisatie="woonforte", wachtwoord=PASSWORD,
                     ledger=ledger)  # fmt: skip
    assert user == User("j.devries", "corporatie", "woonforte")
    text = users.path.read_text()
    assert PASSWORD not in text and "$argon2id$" in text
    assert stat.S_IMODE(users.path.stat().st_mode) == 0o600
    assert tomllib.loads(text)["gebruikers"]["j.devries"]["organisatie"] == "woonforte"
    assert users.verify("J.deVries", PASSWORD) == user  # names in any case
    assert users.verify("j.devries", PASSWORD + "x") is None
    assert users.verify("onbekend", PASSWORD) is None
    # no temporary file is left beside it
    assert sorted(p.name for p in users.path.parent.iterdir()) == [
        "gebruikers.toml",
        "gebruikers.toml.lock",
    ]


def test_rewrite_is_atomic_and_keeps_0600(tmp_path, ledger, monkeypatch):
    users = UsersFile(tmp_path / "gebruikers.toml")
    users.add("a", "lezer", wachtwoord=None, ledger=ledger)
    users.path.chmod(0o644)
    before = users.path.read_bytes()

    def boom(*args, **kwargs):
        raise OSError("schijf vol")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(WijkplanError, match=r"niet te schrijven \(schijf vol\)"):  # one line
        users.add("b", "lezer", wachtwoord=None, ledger=ledger)
    assert users.path.read_bytes() == before  # the old file, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gebruikers.toml", "gebruikers.toml.lock"]
    monkeypatch.undo()
    users.add("b", "lezer", wachtwoord=None, ledger=ledger)
    assert stat.S_IMODE(users.path.stat().st_mode) == 0o600
    assert [u.naam for u in users.users()] == ["a", "b"]


@pytest.mark.parametrize(
    ("naam", "rol", "organisatie", "wachtwoord", "message"),
    [
        ("A", "lezer", None, None, "gebruiker 'a' bestaat al"),
        ("met spatie", "lezer", None, None, "ongeldige gebruikersnaam 'met spatie'"),
        ("x", "baas", None, None, "onbekende rol 'baas'"),
        ("x", "corporatie", None, None, "rol corporatie vraagt --organisatie (kies uit habeko, woonforte)"),
        ("x", "corporatie", "gemeente", None, "organisatie 'gemeente' is geen woningcorporatie"),
        ("x", "huurdersorganisatie", "woonforte", None, "is geen huurderorganisatie"),
        ("x", "lezer", "nergens", None, "onbekende organisatie 'nergens'"),
        ("x", "lezer", None, "kort", "wachtwoord te kort"),
    ],
)  # fmt: skip
def test_refusals_are_one_line_and_write_nothing(tmp_path, ledger, naam, rol, organisatie,
                                                 wachtwoord, message):  # fmt: skip
    users = UsersFile(tmp_path / "gebruikers.toml")
    users.add("a", "lezer", wachtwoord=None, ledger=ledger)
    before = users.path.read_bytes()
    with pytest.raises(WijkplanError) as caught:
        users.add(naam, rol, organisatie=organisatie, wachtwoord=wachtwoord, ledger=ledger)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert users.path.read_bytes() == before


def test_remove_and_unknown(tmp_path, ledger):
    users = UsersFile(tmp_path / "gebruikers.toml")
    users.add("a", "lezer", wachtwoord=None, ledger=ledger)
    assert users.remove("A").naam == "a"
    assert users.get("a") is None
    with pytest.raises(WijkplanError, match="onbekende gebruiker 'a'"):
        users.remove("a")


def test_account_without_password_cannot_log_in_locally(tmp_path, ledger):
    users = UsersFile(tmp_path / "gebruikers.toml")
    users.add("jan@alphen.nl", "coordinator", wachtwoord=None, ledger=ledger)
    assert users.get("jan@alphen.nl") is not None
    assert users.verify("jan@alphen.nl", "") is None


def test_env_overrides_default(monkeypatch, tmp_path):
    monkeypatch.setenv("WIJKPLAN_USERS", str(tmp_path / "g.toml"))
    assert default_users_path() == tmp_path / "g.toml"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[gebruikers."j devries"]\nrol = "lezer"\n', "ongeldige gebruikersnaam 'j devries'"),
        ('[gebruikers."a\\u001b[2J"]\nrol = "lezer"\n', "ongeldige gebruikersnaam"),
        ('[gebruikers.""]\nrol = "lezer"\n', "ongeldige gebruikersnaam ''"),
        (
            '[gebruikers."Jan"]\nrol = "lezer"\n[gebruikers."jan"]\nrol = "coordinator"\n',
            "gebruikers 'Jan' en 'jan' verschillen alleen in hoofdletters",
        ),
    ],
)
def test_reading_refuses_bad_names_and_names_differing_only_in_case(tmp_path, body, message):
    users = UsersFile(tmp_path / "gebruikers.toml")
    users.path.write_text(body, encoding="utf-8")
    with pytest.raises(WijkplanError) as caught:
        users.accounts()
    assert str(caught.value).startswith(f"{users.path}: ")
    assert message in str(caught.value) and "\n" not in str(caught.value)
