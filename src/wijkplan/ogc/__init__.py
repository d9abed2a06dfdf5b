"""The built layers as a live OGC API – Features (pygeoapi), for QGIS, ArcGIS and browsers.

``wijkplan serve-ogc [--layers FILE.gpkg] [--host 127.0.0.1] [--port 5000]`` serves every
declared layer *with geometry* of the built GeoPackage as a collection: Dutch title and
description from the catalogue, sample data and suppression said in the description, the
CC BY 4.0 licence of its CBS sources, stored in EPSG:28992 and served in CRS84 (or, with
``crs``, EPSG:28992 or EPSG:4326). Tables without geometry (incident and crime tables per
area, agreements) are not served. The server reads only the built file, which holds no count
from 1 to 4, and checks that again before it serves a layer with suppressed counts.

- :mod:`~wijkplan.ogc.layers`: which layers are served (no pygeoapi needed);
- :mod:`~wijkplan.ogc.config`: the pygeoapi configuration generated from the catalogue;
- :mod:`~wijkplan.ogc.provider`: the pygeoapi feature provider over one layer (pyogrio);
- :mod:`~wijkplan.ogc.server`: the Flask app, :func:`start` (background) and :func:`serve`;
- :mod:`~wijkplan.ogc.commands`: ``register(subparsers)`` for the CLI.

pygeoapi (and Flask) are imported only when a server is made, not by importing this package.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

from wijkplan.ogc.commands import register
from wijkplan.ogc.config import DEFAULT_HOST, DEFAULT_PORT

if TYPE_CHECKING:
    from wijkplan.ogc.server import OgcServer

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEFAULT_URL",
    "URL_ENV",
    "OgcServer",
    "probe",
    "register",
    "running_url",
    "start",
]

#: Where ``wijkplan serve-ogc`` listens without options.
DEFAULT_URL = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"
#: Environment variable naming the OGC API's address (when it runs elsewhere, or behind a proxy).
URL_ENV = "WIJKPLAN_OGC_URL"


def start(
    layers_path: Path | str,
    port: int = DEFAULT_PORT,
    *,
    host: str = DEFAULT_HOST,
    url: str | None = None,
) -> OgcServer:
    """Serve the built GeoPackage as OGC API – Features in a background thread.

    ``port=0`` takes a free port; the handle has ``url``, ``port``, ``left_out`` (layers not
    served, and why) and ``stop()`` (it is also a context manager). pygeoapi is imported here.
    """
    from wijkplan.ogc.server import start as _start

    return _start(layers_path, port, host=host, url=url)


def probe(url: str, *, timeout: float = 0.5) -> bool:
    """Whether an OGC API answers at ``url`` (its landing page as JSON, within ``timeout``)."""
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/?f=json", timeout=timeout) as r:
            doc = json.loads(r.read(1_000_000))
    except (OSError, ValueError, urllib.error.URLError):
        return False
    return isinstance(doc, dict) and isinstance(doc.get("links"), list)


def running_url(*, timeout: float = 0.5) -> str | None:
    """The address of a running OGC API: ``$WIJKPLAN_OGC_URL`` or the default, if it answers."""
    url = os.environ.get(URL_ENV, "").strip() or DEFAULT_URL
    return url.rstrip("/") if probe(url, timeout=timeout) else None
