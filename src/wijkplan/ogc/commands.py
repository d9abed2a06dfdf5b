"""``wijkplan serve-ogc``: the command line of the OGC API (registered by the main CLI)."""

from __future__ import annotations

import argparse
from pathlib import Path

from wijkplan.settings import DEFAULT_LAYERS

__all__ = ["cmd_serve_ogc", "register"]


def cmd_serve_ogc(args: argparse.Namespace) -> int:
    from wijkplan.ogc.server import OgcServer, serve

    def ready(handle: OgcServer) -> None:
        print(f"OGC API – Features: {handle.url}/  (bestand: {handle.layers_path})", flush=True)
        for line in handle.left_out:
            print(f"Niet gepubliceerd: {line}", flush=True)
        print(
            "In QGIS: Laag toevoegen → WFS / OGC API – Features → Nieuw, URL hierboven. "
            "Stoppen: Ctrl+C.",
            flush=True,
        )

    serve(args.layers, args.port, host=args.host, url=args.url, ready=ready)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``serve-ogc`` to the main CLI's subparsers."""
    from wijkplan.ogc.config import DEFAULT_HOST, DEFAULT_PORT

    p = subparsers.add_parser(
        "serve-ogc",
        help="publiceer de gebouwde lagen als OGC API – Features (voor QGIS, ArcGIS, browser)",
        description=(
            "Publiceert de kaartlagen van de gebouwde GeoPackage live als OGC API – Features "
            "(pygeoapi), alleen JSON/GeoJSON, standaard alleen op deze computer (127.0.0.1). "
            "Tabellen zonder geometrie worden niet gepubliceerd; kleine aantallen blijven "
            "afgeschermd."
        ),
    )
    p.add_argument(
        "--layers",
        type=Path,
        default=DEFAULT_LAYERS,
        metavar="FILE.gpkg",
        help="gebouwde GeoPackage (standaard: layers/wijkplan.gpkg)",
    )
    p.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"adres om op te luisteren (standaard {DEFAULT_HOST}: alleen deze computer; "
        "0.0.0.0 voor het netwerk, met --url)",
    )
    p.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"poort (standaard {DEFAULT_PORT})"
    )
    p.add_argument(
        "--url",
        default=None,
        help="adres waarop gebruikers de server bereiken, voor de links in de antwoorden "
        "(standaard http://HOST:PORT)",
    )
    p.set_defaults(func=cmd_serve_ogc)
