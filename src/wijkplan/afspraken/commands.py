"""The ``wijkplan afspraken`` subcommand: list, check, update, history, backup, restore.

The main CLI calls :func:`register` with its subparsers and then
``args.func(args)``; each handler returns the exit code and raises a
:class:`~wijkplan.errors.WijkplanError` for expected problems (the main CLI
prints it as one message and exits with ``err.exit_code``: 2 for bad input,
3 for a conflict). :func:`run` does the same on its own, for tests and scripts.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from wijkplan.afspraken import DEFAULT_LEDGER
from wijkplan.afspraken.ledger import load_ledger
from wijkplan.afspraken.linking import afspraken_overview, applicable_afspraken, filter_afspraken
from wijkplan.afspraken.model import Ledger
from wijkplan.afspraken.service import change
from wijkplan.afspraken.store import MAX_OPMERKING, STATUS_STORE_ENV, StatusStore
from wijkplan.areas import Areas
from wijkplan.errors import (
    LayersNotBuiltError,
    NotAllowedError,
    SourceNotFoundError,
    WijkplanError,
)
from wijkplan.numbers import percent
from wijkplan.settings import DEFAULT_DATA_DIR, DEFAULT_LAYERS
from wijkplan.text_safety import terminal_text
from wijkplan.users.accounts import USERS_ENV, UsersFile
from wijkplan.users.model import COORDINATOR, User

#: How the history records a change made with ``--als-beheerder`` (then the OS user).
BEHEERDER = "beheerder (CLI)"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``afspraken`` with its sub-subcommands to the main CLI's subparsers."""
    parser = subparsers.add_parser(
        "afspraken",
        help="prestatieafspraken: overzicht, controle, status bijwerken, historie",
        description="Het afsprakenregister: prestatieafspraken per gebied, met status en historie.",
    )
    sub = parser.add_subparsers(dest="afspraken_command", required=True, metavar="OPDRACHT")

    p = sub.add_parser("list", help="afspraken tonen, eventueel gefilterd")
    p.add_argument("--thema", help="alleen dit thema, bijv. 'leefbaarheid'")
    p.add_argument("--partij", help="alleen afspraken met deze partij (id of naam)")
    p.add_argument(
        "--gebied", metavar="CODE", help="alleen wat geldt voor dit gebied (BU…, WK…, …)"
    )
    p.add_argument("--status", help="alleen deze (actuele) status")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    ledger_option(p)
    _store_option(p)
    p.add_argument(
        "--layers",
        type=Path,
        default=None,
        metavar="FILE.gpkg",
        help=f"gebouwde GeoPackage voor --gebied (standaard {DEFAULT_LAYERS} als die bestaat, "
        f"anders de grenzen in {DEFAULT_DATA_DIR})",
    )
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("check", help="een afsprakenbestand controleren tegen de grenzen")
    p.add_argument("file", type=Path, metavar="FILE", help="het afsprakenbestand (YAML)")
    p.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA_DIR,
        metavar="DIR",
        help=f"map met buurten.* en wijken.* (standaard {DEFAULT_DATA_DIR})",
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("update", help="status en/of voortgang van een afspraak bijwerken")
    p.add_argument("id", metavar="ID", help="de afspraak, bijv. PA2021-05c")
    p.add_argument("--status", help="nieuwe status, bijv. 'lopend'")
    p.add_argument("--voortgang", type=int, metavar="X", help="voortgang in procent (0-100)")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--door",
        metavar="NAAM",
        help="wie de wijziging doet: een gebruiker uit het gebruikersbestand (diens rol geldt)",
    )
    who.add_argument(
        "--als-beheerder",
        action="store_true",
        help="als beheerder van deze machine (alle rechten; vastgelegd als "
        "'beheerder (CLI) <OS-gebruiker>')",
    )
    p.add_argument(
        "--opmerking",
        metavar="TEKST",
        help=f"toelichting bij de wijziging (hoogstens {MAX_OPMERKING} tekens); zonder --status "
        "en --voortgang: alleen een opmerking",
    )
    p.add_argument(
        "--versie",
        type=int,
        metavar="N",
        help="de versie die u zag (afspraken list/history); is die intussen gewijzigd, dan wordt "
        "niets opgeslagen en volgt een conflictmelding",
    )
    p.add_argument(
        "--gebruikers",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"gebruikersbestand (standaard ${USERS_ENV} of data/state/gebruikers.toml)",
    )
    ledger_option(p)
    _store_option(p)
    p.set_defaults(func=cmd_update)

    p = sub.add_parser("backup", help="een reservekopie van de statusopslag maken")
    p.add_argument("file", type=Path, metavar="FILE", help="de reservekopie (SQLite-bestand)")
    _store_option(p)
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="de statusopslag herstellen uit een reservekopie")
    p.add_argument("file", type=Path, metavar="FILE", help="de reservekopie (SQLite-bestand)")
    p.add_argument(
        "--niet-bewaren",
        action="store_true",
        help="de huidige statusopslag niet eerst bewaren als <opslag>.voor-herstel-<tijd>",
    )
    p.add_argument(
        "--als-beheerder",
        action="store_true",
        help="verplicht: herstellen vervangt alle statussen en de historie, dus alleen als "
        "beheerder van deze machine (getoond als 'beheerder (CLI) <OS-gebruiker>')",
    )
    _store_option(p)
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("history", help="de historie van statuswijzigingen tonen")
    p.add_argument("id", nargs="?", metavar="ID", help="alleen deze afspraak")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    _store_option(p)
    p.set_defaults(func=cmd_history)


def ledger_option(p: argparse.ArgumentParser, what: str = "afsprakenbestand") -> None:
    """``--ledger FILE`` (default: the shipped ledger); also used by ``wijkplan gebruikers``."""
    p.add_argument(
        "--ledger",
        type=Path,
        default=DEFAULT_LEDGER,
        metavar="FILE",
        help=f"{what} (standaard {DEFAULT_LEDGER})",
    )


def _store_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--store",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"statusopslag (standaard ${STATUS_STORE_ENV} of data/state/afspraken_status.sqlite)",
    )


def build_parser() -> argparse.ArgumentParser:
    """A parser with only the ``afspraken`` subcommand (for :func:`run` and tests)."""
    parser = argparse.ArgumentParser(prog="wijkplan")
    register(parser.add_subparsers(dest="command", required=True))
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (``["afspraken", "list", ...]``), run it, return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except WijkplanError as err:
        # values quoted in a message come from files and people: no control character
        # reaches the terminal (each line of the message stays a line)
        message = "\n".join(terminal_text(line) for line in str(err).splitlines())
        print(f"fout: {message}", file=sys.stderr)
        return err.exit_code
    return code


# --------------------------------------------------------------------------- handlers


def cmd_list(args: argparse.Namespace) -> int:
    """``afspraken list``: all agreements, or those that apply to ``--gebied``."""
    ledger = load_ledger(args.ledger)
    store = StatusStore(args.store)
    title = "Afspraken"
    if args.gebied:
        areas = _areas_for_linking(args.layers, ledger)
        area = areas.resolve(args.gebied)
        frame = applicable_afspraken(ledger, areas, area.code, store=store)
        title = f"Afspraken die gelden voor {area.kind} {area.code}"
    else:
        frame = afspraken_overview(ledger, store=store)
    frame = filter_afspraken(
        frame, ledger, thema=args.thema, partij=args.partij, status=args.status
    )
    if args.json:
        print(_to_json(frame))
        return 0
    print(f"{title} ({len(frame)}):")
    if frame.empty:
        print("  geen afspraken gevonden")
    for row in frame.itertuples(index=False):
        voortgang = "" if pd.isna(row.voortgang) else percent(row.voortgang / 100)
        via = f"  [{row.via}]" if row.via else ""
        print(
            terminal_text(
                f"  {row.afspraak_id:<11} {row.status:<12} {voortgang:>5}  {row.thema}: "
                f"{row.titel}{via}"
            )
        )
        print(terminal_text(f"  {'':<11} trekker: {row.trekker}; partijen: {row.partijen}"))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """``afspraken check FILE``: validate a ledger against the boundaries in ``--data``."""
    data_dir: Path = args.data
    areas = _areas_from_sources(data_dir)
    ledger = load_ledger(args.file, areas=areas)
    print(
        f"In orde: {args.file}: {len(ledger.afspraken)} afspraken, "
        f"{len(ledger.regiegebieden)} regiegebieden, {len(ledger.warmtegebieden)} warmtegebieden, "
        f"{len(ledger.partijen)} partijen."
    )
    cx = (
        f"{len(areas.codes('complex'))} complexen"
        if areas.complexen_loaded
        else "geen complexen (complexcodes alleen op vorm gecontroleerd)"
    )
    print(
        f"Gecontroleerd tegen {len(areas.codes('buurt'))} buurten, {len(areas.codes('wijk'))} "
        f"wijken en {cx} uit {data_dir}."
    )
    return 0


def cli_user(door: str | None, *, als_beheerder: bool, users_file: Path | None) -> User:
    """The user a CLI change is made as.

    ``--door`` must name a user of the users file, whose role then applies exactly as in the
    app; an unknown name is refused (one line, exit 2). The CLI cannot check a password
    (scripts call it), so this is attribution and a guard against mistakes, not a security
    boundary: whoever can run it can also write the store file. ``--als-beheerder`` says so
    openly: all rights, recorded as ``beheerder (CLI) <OS user>``.
    """
    if als_beheerder:
        return User(f"{BEHEERDER} {_os_user()}", COORDINATOR)
    users = UsersFile(users_file)
    user = users.get(door or "")
    if user is None:
        raise NotAllowedError(
            f"onbekende gebruiker {door!r} in {users.path}: voeg die toe met `wijkplan "
            "gebruikers add`, of werk bij met --als-beheerder"
        )
    return user


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


def cmd_update(args: argparse.Namespace) -> int:
    """``afspraken update ID``: change status and/or progress (or only comment), as a known
    user or as the machine's administrator; recorded in the history."""
    ledger = load_ledger(args.ledger)
    store = StatusStore(args.store)
    user = cli_user(args.door, als_beheerder=args.als_beheerder, users_file=args.gebruikers)
    outcome = change(
        store,
        ledger,
        user,
        args.id,
        status=args.status,
        voortgang=args.voortgang,
        opmerking=args.opmerking,
        expected_version=args.versie,
    )
    new = outcome.state
    if outcome.comment_only:
        print(f"Opmerking bij afspraak {args.id} geplaatst door {user.naam} (versie {new.version})")
        print(f"Opgeslagen in {store.path}")
        return 0
    changes = store.history(args.id)
    changes = changes[(changes["versie"] == new.version) & (changes["veld"] != "opmerking")]
    print(
        terminal_text(
            f"Afspraak {args.id} bijgewerkt door {new.updated_by} op {new.updated_at} "
            f"(versie {new.version}):"
        )
    )
    for row in changes.itertuples(index=False):
        print(terminal_text(f"  {row.veld}: {_show(row.oud)} → {_show(row.nieuw)}"))
    print(f"Opgeslagen in {store.path}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """``afspraken backup FILE``: a consistent copy of the store, also while it is in use."""
    store = StatusStore(args.store)
    target = store.backup(args.file)
    print(f"Reservekopie van {store.path} geschreven naar {target}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """``afspraken restore FILE --als-beheerder``: the store's contents replaced by a
    checked backup. It replaces every status and the whole history, so only the machine's
    administrator may, said openly with ``--als-beheerder`` (as for ``update``), and who
    did it is printed."""
    if not args.als_beheerder:
        raise NotAllowedError(
            "herstellen vervangt alle statussen en de historie; dat kan alleen met --als-beheerder"
        )
    door = cli_user(None, als_beheerder=True, users_file=None).naam
    store = StatusStore(args.store)
    kept = store.restore(args.file, keep=not args.niet_bewaren)
    if kept is not None:
        print(f"De vorige statusopslag is bewaard als {kept}")
    print(terminal_text(f"Statusopslag {store.path} hersteld door {door} uit {args.file}"))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    """``afspraken history [ID]``: every recorded change, oldest first."""
    store = StatusStore(args.store)
    frame = store.history(args.id)
    if args.json:
        print(_to_json(frame))
        return 0
    wat = f"afspraak {terminal_text(args.id)}" if args.id else "alle afspraken"
    if frame.empty:
        print(f"Geen wijzigingen vastgelegd voor {wat} in {store.path}.")
        return 0
    n = len(frame)
    print(f"Historie van {wat} ({n} {'wijziging' if n == 1 else 'wijzigingen'}):")
    for row in frame.itertuples(index=False):
        wat = (
            "opmerking"
            if row.veld == "opmerking"
            else f"{row.veld}: {_show(row.oud)} → {_show(row.nieuw)}"
        )
        line = f"  {row.tijdstip}  {row.afspraak_id}  {wat}  door {row.door} (versie {row.versie})"
        if isinstance(row.opmerking, str) and row.opmerking:
            line += f": {row.opmerking}"
        # the history may hold text from before control characters were refused:
        # shown as \x1b, \n, ... so it cannot move the cursor or rewrite the screen
        print(terminal_text(line))
    return 0


# --------------------------------------------------------------------------- helpers


def _show(value: object) -> str:
    return "leeg" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _to_json(frame: pd.DataFrame) -> str:
    records = json.loads(frame.to_json(orient="records", force_ascii=False) or "[]")
    return json.dumps(records, ensure_ascii=False, indent=2)


def _areas_from_sources(data_dir: Path, ledger: Ledger | None = None) -> Areas:
    """The areas of the boundaries (and complexes, when present) in a data folder."""
    from wijkplan.sources._io import find_source
    from wijkplan.sources.boundaries import load_boundaries
    from wijkplan.sources.complexen import load_complexen

    if not data_dir.is_dir():
        raise SourceNotFoundError(
            f"{data_dir}: map bestaat niet; geen buurten om tegen te controleren"
        )
    buurten, wijken, _ = load_boundaries(data_dir)
    complexen_path = find_source(data_dir, "complexen")
    complexen = (
        load_complexen(complexen_path, buurten=buurten) if complexen_path is not None else None
    )
    return Areas.of(buurten, wijken, complexen, ledger)


def _areas_for_linking(layers: Path | None, ledger: Ledger) -> Areas:
    """The areas from the built GeoPackage, else from the boundaries in data/geo."""
    from wijkplan.read import read_layer, read_optional

    if layers is not None and not layers.is_file():
        raise LayersNotBuiltError(f"{layers}: GeoPackage bestaat niet (nog niet gebouwd?)")
    gpkg = layers if layers is not None else DEFAULT_LAYERS
    if gpkg.is_file():
        return Areas.of(
            read_layer(gpkg, "buurten"),
            read_optional(gpkg, "wijken"),
            read_optional(gpkg, "complexen"),
            ledger,
        )
    if not DEFAULT_DATA_DIR.is_dir():
        raise SourceNotFoundError(
            f"geen {DEFAULT_LAYERS} en geen {DEFAULT_DATA_DIR}: bouw eerst de lagen (wijkplan build)"
        )
    return _areas_from_sources(DEFAULT_DATA_DIR, ledger)
