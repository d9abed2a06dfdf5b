"""The pygeoapi configuration of the OGC API, generated from the catalogue and the build.

One collection per served layer (:func:`wijkplan.ogc.layers.served_layers`): its Dutch title
and description from the catalogue (with sample data and suppression spelled out), keywords,
the CC BY 4.0 licence of the CBS sources it rests on, the extent in CRS84 and the provider
(:class:`wijkplan.ogc.provider.GeoPackageProvider`) over the built file. The storage CRS is
EPSG:28992; responses are in CRS84 unless ``crs`` asks for EPSG:28992 or EPSG:4326.

Nothing in it points outside: no ``enclosure`` links (pygeoapi would send a HEAD request for
each), no map tiles, no remote templates. Licence links are plain references a client may
follow; the server itself never fetches them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wijkplan import __version__
from wijkplan.ogc.layers import ServedLayer, served_layers
from wijkplan.read import read_report

__all__ = ["CRS_LIST", "DEFAULT_HOST", "DEFAULT_PORT", "build_config"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
RD_NEW = "http://www.opengis.net/def/crs/EPSG/0/28992"
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"
#: What a client may ask for with ``crs`` (the first is the default).
CRS_LIST = [CRS84, RD_NEW, WGS84]
PROVIDER = "wijkplan.ogc.provider.GeoPackageProvider"

_THEMES = {
    "grenzen": "gebiedsindeling",
    "afspraken": "prestatieafspraken",
    "leefbaarheid": "leefbaarheid",
    "warmte": "warmtetransitie",
    "bouw": "bouw",
}
#: A field that names a feature (QGIS shows it as the display name).
_TITLE_FIELDS = ("buurtnaam", "wijknaam", "naam", "gebied_naam", "onderdeel")


def _collection(layer: ServedLayer, data: Path, threshold: int, gemeente: str) -> dict[str, Any]:
    spec = layer.spec
    columns = [c.name for c in spec.columns]
    keywords = ["wijkplan", gemeente, _THEMES.get(spec.theme, spec.theme), layer.kind]
    if layer.sample:
        keywords.append("voorbeelddata")
    if spec.suppressed:
        keywords.append("afgeschermd")
    links = [
        {
            "type": "text/html",
            "rel": "license",
            "title": f"CC BY 4.0, bron: {attribution}",
            "href": href,
            "hreflang": "nl",
        }
        for attribution, href in layer.licences
    ]
    provider: dict[str, Any] = {
        "type": "feature",
        "name": PROVIDER,
        "data": str(data),
        "layer": spec.name,
        "id_field": spec.key if isinstance(spec.key, str) else None,
        "title_field": next((f for f in _TITLE_FIELDS if f in columns), None),
        "storage_crs": RD_NEW,
        "crs": list(CRS_LIST),
        "counts": list(layer.counts),
        "threshold": threshold,
    }
    return {
        "type": "collection",
        "title": spec.title,
        "description": layer.description,
        "keywords": list(dict.fromkeys(keywords)),
        "links": links,
        "extents": {"spatial": {"bbox": list(layer.bbox), "crs": CRS84}},
        "providers": [{k: v for k, v in provider.items() if v is not None}],
    }


def build_config(
    layers_path: Path | str,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    url: str | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """The pygeoapi configuration for the built GeoPackage, and the layers left out (why).

    ``url`` is the address clients use (links in responses point there); by default
    ``http://HOST:PORT`` (``127.0.0.1`` when bound to all interfaces).
    """
    data = Path(layers_path).resolve()
    report = read_report(data)
    served, left_out = served_layers(data)
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    base = (url or f"http://{shown_host}:{port}").rstrip("/")
    config: dict[str, Any] = {
        "server": {
            "bind": {"host": host, "port": port},
            "url": base,
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": ["nl-NL"],
            "pretty_print": False,
            "limits": {"default_items": 100, "max_items": 1000},
            "map": {"url": "", "attribution": ""},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": f"Wijkplan {report.gemeentecode}: kaartlagen",
                "description": (
                    "De gebouwde kaartlagen van wijkplan (buurten, wijken, complexen, "
                    "leefbaarheid, warmtetransitie) als OGC API – Features, in EPSG:28992 "
                    "opgeslagen en standaard in CRS84 geleverd. Lagen met voorbeelddata zeggen "
                    "dat in hun beschrijving; kleine aantallen (onder "
                    f"{report.threshold}) zijn afgeschermd. Gebouwd {report.built_at}."
                ),
                "keywords": ["wijkplan", report.gemeentecode, "leefbaarheid", "warmtetransitie"],
                "keywords_type": "theme",
                "terms_of_service": "https://creativecommons.org/licenses/by/4.0/deed.nl",
                "url": base,
            },
            "license": {
                "name": "CC BY 4.0 (CBS/Kadaster, CBS/Politie); voorbeelddata zonder licentie",
                "url": "https://creativecommons.org/licenses/by/4.0/deed.nl",
            },
            "provider": {"name": f"wijkplan {__version__}", "url": base},
            "contact": {"name": "wijkplan", "url": base},
        },
        "resources": {
            layer.name: _collection(layer, data, report.threshold, report.gemeentecode)
            for layer in served
        },
    }
    return config, left_out
