"""``wijkplan gebruikers`` and the roles on ``wijkplan afspraken update``."""

from __future__ import annotations

import io
import re
import sqlite3
import stat

import pytest

from wijkplan.afspraken import DEFAULT_LEDGER
from wijkplan.afspraken.ledger import load_ledger
from wijkplan.afspraken.store import StatusStore
from wijkplan.cli import main
from wijkplan.users.accounts import UsersFile


def test_add_list_remove(isolated_users_file, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("een-lang-wachtwoord\n"))
    argv = ["gebruikers", "add", "j.devries", "--rol", "corporatie", "--organisatie", "woonforte"]
    assert main([*argv, "--wachtwoord-stdin"]) == 0
    assert "Gebruiker j.devries (corporatie, woonforte) toegevoegd" in capsys.readouterr().out
    assert UsersFile().verify("j.devries", "een-lang-wachtwoord") is not None
    assert (
        main(["gebruikers", "add", "jan@alphen.nl", "--rol", "lezer", "--zonder-wachtwoord"]) == 0
    )
    capsys.readouterr()
    assert main(["gebruikers", "list"]) == 0
    out = capsys.readouterr().out
    assert "j.devries" in out and "woonforte" in out and "identiteitsprovider" in out
    assert "$argon2" not in out  # never a hash
    monkeypatch.setattr("sys.stdin", io.StringIO("een-ander-wachtwoord\n"))
    assert main([*argv, "--wachtwoord-stdin"]) == 2
    assert capsys.readouterr().err == "wijkplan: fout: gebruiker 'j.devries' bestaat al\n"
    assert main(["gebruikers", "remove", "j.devries"]) == 0
    assert main(["gebruikers", "remove", "j.devries"]) == 2


def test_add_prompts_twice_with_getpass(isolated_users_file, monkeypatch, capsys):
    answers = iter(["een-lang-wachtwoord", "een-ander-wachtwoord"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["gebruikers", "add", "x", "--rol", "lezer"]) == 2
    assert "de wachtwoorden verschillen" in capsys.readouterr().err
    assert not isolated_users_file.exists()


def test_init_once_prints_a_password_once(isolated_users_file, capsys):
    assert main(["gebruikers", "init"]) == 0
    out = capsys.readouterr().out
    password = re.search(r"wachtwoord: (\S+)", out).group(1)
    assert UsersFile().verify("coordinator", password).rol == "coordinator"
    assert stat.S_IMODE(isolated_users_file.stat().st_mode) == 0o600
    before = isolated_users_file.read_bytes()
    assert main(["gebruikers", "init"]) == 0
    assert capsys.readouterr().out == ""  # an existing file is left alone
    assert isolated_users_file.read_bytes() == before


@pytest.fixture
def cli_roles(isolated_users_file):
    users = UsersFile()
    ledger = load_ledger(DEFAULT_LEDGER)
    users.add("habeko", "corporatie", organisatie="habeko", wachtwoord=None, ledger=ledger)
    users.add("hogh", "huurdersorganisatie", organisatie="huurders-woonforte", wachtwoord=None,
              ledger=ledger)  # fmt: skip
    users.add("lezer", "lezer", wachtwoord=None, ledger=ledger)
    return ledger


def update(*args: str) -> list[str]:
    return ["afspraken", "update", *args]


def test_corporation_cannot_change_another_corporations_agreement(cli_roles, capsys):
    # PA2021-02a: only Woonforte is party
    assert main(update("PA2021-02a", "--status", "lopend", "--door", "habeko")) == 2
    err = capsys.readouterr().err
    assert err == (
        "wijkplan: fout: niet toegestaan: habeko is geen partij bij afspraak PA2021-02a; "
        "u kunt alleen afspraken van habeko wijzigen\n"
    )
    assert not StatusStore().path.exists()  # nothing written
    # PA2021-02b: Habeko's own
    assert main(update("PA2021-02b", "--voortgang", "30", "--door", "habeko")) == 0
    assert "bijgewerkt door habeko" in capsys.readouterr().out


def test_tenant_organisation_comments_but_cannot_change_status(cli_roles, capsys):
    assert main(update("PA2021-04a", "--status", "lopend", "--door", "hogh")) == 2
    assert "huurdersorganisatie kan een opmerking plaatsen" in capsys.readouterr().err
    assert main(update("PA2021-04a", "--opmerking", "Overlast bij de flat", "--door", "hogh")) == 0
    assert "Opmerking bij afspraak PA2021-04a geplaatst door hogh" in capsys.readouterr().out
    history = StatusStore().history("PA2021-04a")
    assert history[["veld", "door", "opmerking"]].values.tolist() == [
        ["opmerking", "hogh", "Overlast bij de flat"]
    ]
    assert StatusStore().current("PA2021-04a", cli_roles).version == 0
    assert main(["afspraken", "history", "PA2021-04a"]) == 0
    assert "PA2021-04a  opmerking  door hogh (versie 0): Overlast bij de flat" in (
        capsys.readouterr().out
    )


def test_reader_unknown_user_and_beheerder(cli_roles, capsys):
    assert main(update("PA2021-04a", "--opmerking", "x", "--door", "lezer")) == 2
    assert "lezer heeft alleen leesrechten" in capsys.readouterr().err
    assert main(update("PA2021-04a", "--status", "lopend", "--door", "A. Jansen")) == 2
    err = capsys.readouterr().err
    assert "onbekende gebruiker 'A. Jansen'" in err and "--als-beheerder" in err
    assert err.count("\n") == 1
    assert main(update("PA2021-04a", "--status", "lopend", "--als-beheerder")) == 0
    door = StatusStore().history("PA2021-04a")["door"].tolist()
    assert len(door) == 1 and door[0].startswith("beheerder (CLI) ")
    with pytest.raises(SystemExit):  # both, or neither
        main(update("PA2021-04a", "--status", "lopend", "--als-beheerder", "--door", "lezer"))


def test_store_made_before_comments_is_migrated_with_its_history(tmp_path, cli_roles):
    from wijkplan.afspraken import store as store_module

    path = tmp_path / "oud.sqlite"
    old_schema = store_module._SCHEMA.replace(", 'opmerking'", "")
    with sqlite3.connect(path) as con:
        con.executescript(old_schema)
        con.execute(
            "INSERT INTO afspraak_historie (afspraak_id, field, old_value, new_value, door, "
            "tijdstip, version) VALUES ('PA2021-04a', 'status', 'voorgenomen', 'lopend', 'Jan', "
            "'2021-01-01T00:00:00+00:00', 1)"
        )
    con.close()
    main(update("PA2021-04a", "--opmerking", "na de migratie", "--door", "hogh", "--store",
                str(path)))  # fmt: skip
    history = StatusStore(path).history("PA2021-04a")
    assert history[["id", "veld", "door"]].values.tolist() == [
        [1, "status", "Jan"],
        [2, "opmerking", "hogh"],
    ]
    with sqlite3.connect(path) as con, pytest.raises(sqlite3.DatabaseError, match="nooit"):
        con.execute("DELETE FROM afspraak_historie")
    con.close()


def test_app_and_cli_change_agreements_only_through_the_service():
    """No page, UI helper or CLI handler writes to the store past the policy (the
    service is the only caller of the store's write methods there)."""
    from tests.conftest import REPO

    callers = [REPO / "app.py", *(REPO / "views").glob("*.py"), *(REPO / "src/wijkplan/ui").glob("*.py"),
               REPO / "src/wijkplan/afspraken/commands.py"]  # fmt: skip
    for path in callers:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"[Ss]tore\S*\.update\(|\.add_comment\(", text), path


def test_comment_text_is_checked_like_a_change(cli_roles, capsys):
    too_long = "x" * 2001
    assert main(update("PA2021-04a", "--opmerking", too_long, "--door", "hogh")) == 2
    err = capsys.readouterr().err
    assert "opmerking is te lang (2001 tekens, hoogstens 2000)" in err and err.count("\n") == 1
    assert main(update("PA2021-04a", "--opmerking", "kijk \x1b[31mhier", "--door", "hogh")) == 2
    assert "opmerking bevat stuurtekens" in capsys.readouterr().err
    assert not StatusStore().path.exists()  # nothing written
    assert main(update("PA2021-04a", "--opmerking", "regel 1\nregel 2", "--door", "hogh")) == 0


def test_corporation_bound_to_the_gemeente_elsewhere_is_refused_with_the_ledger_in_use(
    isolated_users_file, tmp_path, capsys
):
    # A ledger in which the party 'gemeente' is (wrongly) a woningcorporatie lets `add` bind
    # a corporation account to it; acting with the real ledger must still be refused.
    text = DEFAULT_LEDGER.read_text(encoding="utf-8")
    bent = tmp_path / "bent.yaml"
    bent.write_text(text.replace("soort: gemeente", "soort: woningcorporatie", 1), "utf-8")
    argv = ["gebruikers", "add", "nep", "--rol", "corporatie", "--organisatie", "gemeente"]
    assert main([*argv, "--zonder-wachtwoord", "--ledger", str(bent)]) == 0
    capsys.readouterr()
    # PA2021-02c: gemeente and external partners, no corporation
    assert main(update("PA2021-02c", "--status", "lopend", "--door", "nep")) == 2
    assert capsys.readouterr().err == (
        "wijkplan: fout: niet toegestaan: organisatie 'gemeente' van nep is in het "
        "afsprakenregister geen woningcorporatie; rol corporatie vraagt een woningcorporatie\n"
    )
    assert main(update("PA2021-02c", "--opmerking", "x", "--door", "nep")) == 2
    capsys.readouterr()
    assert not StatusStore().path.exists()


def test_a_folder_as_users_file_is_one_line_and_leaves_no_lock(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "somedir"
    folder.mkdir()
    monkeypatch.setattr("sys.stdin", io.StringIO("een-lang-wachtwoord\n"))
    argv = ["gebruikers", "add", "cc", "--rol", "lezer", "--wachtwoord-stdin"]
    assert main([*argv, "--bestand", str(folder)]) == 2
    assert capsys.readouterr().err == f"wijkplan: fout: {folder}: dat is geen bestand; " \
        "geef een gebruikersbestand op\n"  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["somedir"]
    assert main(["gebruikers", "list", "--bestand", str(folder)]) == 2
    assert "dat is geen bestand" in capsys.readouterr().err


def test_a_password_that_is_not_utf8_is_one_line(tmp_path, monkeypatch, capsys):
    target = tmp_path / "u.toml"

    class BytesStdin(io.StringIO):
        buffer = io.BytesIO(b"abcdefghijkl\xff\n")

    monkeypatch.setattr("sys.stdin", BytesStdin())
    argv = ["gebruikers", "add", "ee", "--rol", "lezer", "--wachtwoord-stdin"]
    assert main([*argv, "--bestand", str(target)]) == 2
    assert capsys.readouterr().err == (
        "wijkplan: fout: het wachtwoord is geen geldige UTF-8-tekst; er is niets opgeslagen\n"
    )
    # a stdin decoded with surrogateescape hands over a lone surrogate: refused the same way
    monkeypatch.setattr("sys.stdin", io.StringIO("abcdefghijkl\udcff\n"))
    assert main([*argv, "--bestand", str(target)]) == 2
    assert "geen geldige UTF-8-tekst" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    BytesStdin.buffer = io.BytesIO("wachtwoord-één\n".encode())
    monkeypatch.setattr("sys.stdin", BytesStdin())
    assert main([*argv, "--bestand", str(target)]) == 0
    assert UsersFile(target).verify("ee", "wachtwoord-één") is not None


def test_remove_from_a_missing_file_creates_nothing(tmp_path, capsys):
    target = tmp_path / "nonexist" / "deep" / "g.toml"
    assert main(["gebruikers", "remove", "x", "--bestand", str(target)]) == 2
    assert capsys.readouterr().err == (
        f"wijkplan: fout: onbekende gebruiker 'x': {target} bestaat niet\n"
    )
    assert list(tmp_path.iterdir()) == []
