"""The ``wijkplan afspraken`` subcommand: list, check, update, history, backup, restore.

The main CLI calls :func:`register` with its subparsers and then
``args.func(args)``; each handler returns the exit code and raises a
:class:`~wijkplan.errors.WijkplanError` for expected problems (the main CLI
prints it as one message and exits with ``err.exit_code``: 2 for bad input,
3 for a conflict). :func:`run` does the same on its own, for tests and scripts.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from wijkplan.afspraken import DEFAULT_LEDGER
from wijkplan.afspraken.ledger import load_ledger
from wijkplan.afspraken.linking import afspraken_overview, applicable_afspraken, filter_afspraken
from wijkplan.afspraken.model import Ledger
from wijkplan.afspraken.store import MAX_DOOR, MAX_OPMERKING, STATUS_STORE_ENV, StatusStore
from wijkplan.areas import Areas
from wijkplan.errors import LayersNotBuiltError, SourceNotFoundError, WijkplanError
from wijkplan.numbers import percent
from wijkplan.settings import DEFAULT_DATA_DIR, DEFAULT_LAYERS
from wijkplan.text_safety import terminal_text


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
    _ledger_option(p)
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
    p.add_argument(
        "--door",
        required=True,
        metavar="NAAM",
        help=f"wie de wijziging doet (hoogstens {MAX_DOOR} tekens)",
    )
    p.add_argument(
        "--opmerking",
        metavar="TEKST",
        help=f"toelichting bij de wijziging (hoogstens {MAX_OPMERKING} tekens)",
    )
    p.add_argument(
        "--versie",
        type=int,
        metavar="N",
        help="de versie die u zag (afspraken list/history); is die intussen gewijzigd, dan wordt "
        "niets opgeslagen en volgt een conflictmelding",
    )
    _ledger_option(p)
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
    _store_option(p)
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("history", help="de historie van statuswijzigingen tonen")
    p.add_argument("id", nargs="?", metavar="ID", help="alleen deze afspraak")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    _store_option(p)
    p.set_defaults(func=cmd_history)


def _ledger_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--ledger",
        type=Path,
        default=DEFAULT_LEDGER,
        metavar="FILE",
        help=f"afsprakenbestand (standaard {DEFAULT_LEDGER})",
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


def cmd_update(args: argparse.Namespace) -> int:
    """``afspraken update ID``: change status and/or progress, recorded in the history."""
    ledger = load_ledger(args.ledger)
    store = StatusStore(args.store)
    new = store.update(
        args.id,
        status=args.status,
        voortgang=args.voortgang,
        door=args.door,
        opmerking=args.opmerking,
        expected_version=args.versie,
        ledger=ledger,
    )
    changes = store.history(args.id)
    changes = changes[changes["versie"] == new.version]
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
    """``afspraken restore FILE``: the store's contents replaced by a checked backup."""
    store = StatusStore(args.store)
    kept = store.restore(args.file, keep=not args.niet_bewaren)
    if kept is not None:
        print(f"De vorige statusopslag is bewaard als {kept}")
    print(f"Statusopslag {store.path} hersteld uit {args.file}")
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
        line = (
            f"  {row.tijdstip}  {row.afspraak_id}  {row.veld}: {_show(row.oud)} → "
            f"{_show(row.nieuw)}  door {row.door} (versie {row.versie})"
        )
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
