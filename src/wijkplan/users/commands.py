"""The ``wijkplan gebruikers`` subcommand: add, remove, list, init.

Passwords are never options on the command line (they would stay in the shell history and
be visible in ``ps``): ``add`` asks for one twice with :func:`getpass.getpass`, or reads
one line from standard input with ``--wachtwoord-stdin`` (scripts). ``list`` never prints a
hash. ``init`` is what ``make app`` runs: when there is no users file yet it creates the
account ``coordinator`` with a random password and prints that password once; when the
file exists it does nothing, so the app never starts with a default password nobody chose.
"""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
from pathlib import Path

from wijkplan.afspraken import DEFAULT_LEDGER
from wijkplan.afspraken.commands import ledger_option
from wijkplan.errors import WijkplanError
from wijkplan.users.accounts import USERS_ENV, UsersFile
from wijkplan.users.model import COORDINATOR, ROLES

#: The account ``gebruikers init`` creates.
INIT_NAME = "coordinator"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``gebruikers`` with its sub-subcommands to the main CLI's subparsers."""
    parser = subparsers.add_parser(
        "gebruikers",
        help="gebruikers en rollen van de app en de CLI beheren",
        description="Gebruikers van wijkplan (lokaal gebruikersbestand met argon2-hashes).",
    )
    sub = parser.add_subparsers(dest="gebruikers_command", required=True, metavar="OPDRACHT")

    p = sub.add_parser("add", help="een gebruiker toevoegen")
    p.add_argument(
        "naam", metavar="NAAM", help="inlognaam (of e-mailadres bij --zonder-wachtwoord)"
    )
    p.add_argument("--rol", required=True, choices=ROLES, help="de rol van de gebruiker")
    p.add_argument(
        "--organisatie",
        metavar="PARTIJ",
        help="partij-id uit het afsprakenregister (verplicht voor corporatie en "
        "huurdersorganisatie), bijv. woonforte",
    )
    how = p.add_mutually_exclusive_group()
    how.add_argument(
        "--wachtwoord-stdin",
        action="store_true",
        help="lees het wachtwoord als één regel van standaardinvoer (voor scripts)",
    )
    how.add_argument(
        "--zonder-wachtwoord",
        action="store_true",
        help="alleen inloggen via de identiteitsprovider (st.login); NAAM is het e-mailadres",
    )
    ledger_option(p, "afsprakenregister met de partijen")
    _file_option(p)
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("remove", help="een gebruiker verwijderen")
    p.add_argument("naam", metavar="NAAM")
    _file_option(p)
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("list", help="de gebruikers tonen (zonder wachtwoorden)")
    _file_option(p)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser(
        "init",
        help="als er nog geen gebruikersbestand is: gebruiker 'coordinator' met een "
        "willekeurig wachtwoord aanmaken (eenmalig getoond)",
    )
    _file_option(p)
    p.set_defaults(func=cmd_init)


def _file_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--bestand",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"gebruikersbestand (standaard ${USERS_ENV} of data/state/gebruikers.toml)",
    )


def _read_password(from_stdin: bool) -> str:
    """The password, from one line of standard input (read as bytes, so a line that is not
    UTF-8 is refused in one line instead of reaching argon2) or typed twice."""
    if from_stdin:
        buffer = getattr(sys.stdin, "buffer", None)
        raw = buffer.readline() if buffer is not None else sys.stdin.readline()
        if not raw:
            raise WijkplanError("geen wachtwoord op standaardinvoer")
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise WijkplanError(_NOT_UTF8) from exc
        return _utf8(raw.rstrip("\r\n"))
    try:
        first = getpass.getpass("Wachtwoord: ")
        second = getpass.getpass("Nog een keer: ")
    except EOFError as exc:
        raise WijkplanError("geen wachtwoord ingevoerd (gebruik --wachtwoord-stdin)") from exc
    if first != second:
        raise WijkplanError("de wachtwoorden verschillen; er is niets opgeslagen")
    return _utf8(first)


_NOT_UTF8 = "het wachtwoord is geen geldige UTF-8-tekst; er is niets opgeslagen"


def _utf8(password: str) -> str:
    """``password`` if it can be encoded as UTF-8 (a terminal or stdin decoded with
    ``surrogateescape`` leaves lone surrogates for undecodable bytes), else one line."""
    try:
        password.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise WijkplanError(_NOT_UTF8) from exc
    return password


def cmd_add(args: argparse.Namespace) -> int:
    from wijkplan.afspraken.ledger import load_ledger

    ledger = load_ledger(args.ledger)
    users = UsersFile(args.bestand)
    wachtwoord = None if args.zonder_wachtwoord else _read_password(args.wachtwoord_stdin)
    user = users.add(
        args.naam,
        args.rol,
        organisatie=args.organisatie,
        wachtwoord=wachtwoord,
        ledger=ledger,
    )
    print(f"Gebruiker {user.label} toegevoegd aan {users.path}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    users = UsersFile(args.bestand)
    user = users.remove(args.naam)
    print(f"Gebruiker {user.label} verwijderd uit {users.path}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    users = UsersFile(args.bestand)
    accounts = users.accounts()
    if not accounts:
        print(f"Geen gebruikers in {users.path}.")
        return 0
    print(f"Gebruikers in {users.path} ({len(accounts)}):")
    for account in sorted(accounts.values(), key=lambda a: a.user.naam.lower()):
        u = account.user
        how = "wachtwoord" if account.wachtwoord else "identiteitsprovider"
        print(f"  {u.naam:<24} {u.rol:<20} {u.organisatie or '':<20} {how}")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from wijkplan.afspraken.ledger import load_ledger

    users = UsersFile(args.bestand)
    if users.exists():
        return 0
    wachtwoord = secrets.token_urlsafe(12)
    users.add(
        INIT_NAME,
        COORDINATOR,
        organisatie=None,
        wachtwoord=wachtwoord,
        ledger=load_ledger(DEFAULT_LEDGER),
    )
    print(
        f"Eerste gebruiker aangemaakt in {users.path}:\n"
        f"  naam: {INIT_NAME}\n  wachtwoord: {wachtwoord}\n"
        "Dit wachtwoord wordt maar één keer getoond. Voeg eigen gebruikers toe met "
        "`wijkplan gebruikers add NAAM --rol ROL` en verwijder daarna deze met "
        f"`wijkplan gebruikers remove {INIT_NAME}`."
    )
    return 0
