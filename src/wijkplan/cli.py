"""The ``wijkplan`` command line: thin, calls the same functions as the app.

Expected errors (:class:`~wijkplan.errors.WijkplanError`) are printed as one
line on stderr with exit code 2 (3 for an edit conflict); anything else is a bug
and keeps its traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from wijkplan.afspraken.commands import register as register_afspraken
from wijkplan.errors import WijkplanError
from wijkplan.export import register as register_export
from wijkplan.ogc import register as register_ogc
from wijkplan.settings import DEFAULT_DATA_DIR, DEFAULT_LAYERS
from wijkplan.text_safety import terminal_text
from wijkplan.users.commands import register as register_gebruikers


def cmd_sample_data(args: argparse.Namespace) -> int:
    from wijkplan.sample import write_sample_data

    for r in write_sample_data(args.data, gemeente=args.gemeente):
        print(f"{r.source:<14} {r.action}{f': {r.path}' if r.path else ''}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from wijkplan.build import build_layers

    report = build_layers(args.data, args.out, ledger=args.ledger, gemeente=args.gemeente)
    print(f"Geschreven: {args.out}")
    print("\n".join(report.lines()))
    return 0


def cmd_dossier(args: argparse.Namespace) -> int:
    from wijkplan.afspraken.store import StatusStore
    from wijkplan.dossier import build_dossier, format_dossier
    from wijkplan.read import BuiltLayers

    d = build_dossier(args.code, BuiltLayers(args.layers), store=StatusStore(args.store))
    if args.json:
        print(d.to_json())  # JSON escapes control characters itself
    else:
        # names come from files: no control character reaches the terminal
        print("\n".join(terminal_text(line) for line in format_dossier(d).splitlines()))
    return 0


def cmd_wup(args: argparse.Namespace) -> int:
    from wijkplan.afspraken.store import StatusStore
    from wijkplan.wup import map_path_for, write_wup

    out = write_wup(args.code, args.layers, args.out, store=StatusStore(args.store))
    print(f"Geschreven: {out}")
    if out.suffix.lower() == ".md":
        print(f"Kaart: {map_path_for(out)}")
    return 0


def _gemeente_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--gemeente",
        metavar="GMxxxx",
        default=None,
        help="de gemeente uit een landelijk grenzenbestand (standaard: de enige in de bestanden)",
    )


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wijkplan",
        description="Wijkplan: leefbaarheid, prestatieafspraken en warmtetransitie per buurt.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDO")

    p = sub.add_parser("sample-data", help="schrijf voorbeeldbronnen voor de grenzen in een map")
    p.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help="map met buurten.* en wijken.* (standaard: data/geo)",
    )
    _gemeente_option(p)
    p.set_defaults(func=cmd_sample_data)

    p = sub.add_parser("build", help="valideer de bronnen en bouw de GeoPackage")
    p.add_argument(
        "--data", type=Path, default=DEFAULT_DATA_DIR, help="bronmap (standaard: data/geo)"
    )
    p.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_LAYERS,
        help="doel-GeoPackage (standaard: layers/wijkplan.gpkg)",
    )
    p.add_argument(
        "--ledger",
        type=Path,
        default=None,
        help="afsprakenregister (standaard: DIR/afspraken.yaml, anders het meegeleverde register)",
    )
    _gemeente_option(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser(
        "dossier", help="dossier van een gebied: buurt, wijk, gemeente, regie, warmte, complex"
    )
    p.add_argument(
        "code",
        help="buurtcode (BU…), wijkcode (WK…), gemeentecode (GM…), id van een regiegebied, "
        "warmtegebied of complex",
    )
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    p.add_argument(
        "--layers",
        type=Path,
        default=DEFAULT_LAYERS,
        help="gebouwde GeoPackage (standaard: layers/wijkplan.gpkg)",
    )
    p.add_argument(
        "--store",
        type=Path,
        default=None,
        help="statusopslag van de afspraken (standaard: $WIJKPLAN_STATUS_STORE of data/state/afspraken_status.sqlite)",
    )
    p.set_defaults(func=cmd_dossier)

    p = sub.add_parser(
        "wup",
        help="concept-wijkuitvoeringsplan van een warmtegebied, wijk of buurt (Word of Markdown)",
    )
    p.add_argument(
        "code", metavar="GEBIED", help="id van een warmtegebied, wijkcode (WK…) of buurtcode (BU…)"
    )
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="BESTAND",
        help="doelbestand: .docx (Word) of .md (Markdown, met de kaart als BESTAND_kaart.png)",
    )
    p.add_argument(
        "--layers",
        type=Path,
        default=DEFAULT_LAYERS,
        help="gebouwde GeoPackage (standaard: layers/wijkplan.gpkg)",
    )
    p.add_argument(
        "--store",
        type=Path,
        default=None,
        help="statusopslag van de afspraken (standaard: $WIJKPLAN_STATUS_STORE of data/state/afspraken_status.sqlite)",
    )
    p.set_defaults(func=cmd_wup)

    register_afspraken(sub)
    register_export(sub)
    register_ogc(sub)
    register_gebruikers(sub)
    return parser


#: Exit code after a closed pipe (``wijkplan afspraken list | head``): 128 + SIGPIPE.
EXIT_BROKEN_PIPE = 141


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return code
    except WijkplanError as exc:
        message = "\n".join(terminal_text(line) for line in str(exc).splitlines())
        print(f"wijkplan: fout: {message}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        # The reader went away (``| head``): end quietly. Python's recipe: point stdout at
        # devnull so the flush at exit does not raise a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
