"""Constants shared by the whole package: CRS, codes, default paths, the sample mark."""

from __future__ import annotations

import re
from pathlib import Path

#: Every layer is stored and analysed in RD New; other CRS only at the edges.
CRS_RD = "EPSG:28992"
#: Leaflet, and RFC 7946 GeoJSON, want WGS 84 longitude/latitude.
CRS_WGS84 = "EPSG:4326"

#: CBS codes: the gemeente's four digits, then wijk and buurt digits (letters in a few
#: municipalities, e.g. BU0363AA06 in Amsterdam).
BUURTCODE_RE = re.compile(r"^BU\d{4}[0-9A-Z]{4}$")
WIJKCODE_RE = re.compile(r"^WK\d{4}[0-9A-Z]{2}$")
GEMEENTECODE_RE = re.compile(r"^GM\d{4}$")

#: ``bron`` value of every feature that wijkplan generated instead of a real source.
SAMPLE_BRON = "voorbeelddata"

#: Where the OGR vector formats that the loaders accept are recognised by suffix.
VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json", ".fgb", ".shp")


def project_root() -> Path:
    """The checkout that holds ``app.py`` (wijkplan installed from source), else the working directory.

    Defaults (data, layers, ledger, status store, static files) hang off this one folder, so
    a command run from another directory never writes a second status store somewhere else.
    """
    here = Path(__file__).resolve().parents[2]
    return (
        here if (here / "app.py").is_file() and (here / "pyproject.toml").is_file() else Path.cwd()
    )


PROJECT_ROOT = project_root()
DEFAULT_DATA_DIR = PROJECT_ROOT / "data" / "geo"
DEFAULT_LAYERS = PROJECT_ROOT / "layers" / "wijkplan.gpkg"


def is_sample(bron: object) -> bool:
    """True if a ``bron`` value marks generated sample data.

    >>> is_sample("voorbeelddata (wijkplan sample-data, seed GM0484)")
    True
    >>> is_sample("Woonforte 2024")
    False
    """
    return isinstance(bron, str) and bron.startswith(SAMPLE_BRON)
