"""The live OGC API – Features (pygeoapi) over the built layers: content, CRS, privacy, offline."""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import box, shape

from tests.tools import run_qgis
from wijkplan import catalogue, ogc
from wijkplan.ogc.layers import count_columns, privacy_problems, served_layers
from wijkplan.read import layer_names, read_layer, read_report

pytestmark = pytest.mark.slow

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
#: a bbox in CRS84 over the middle of Alphen aan den Rijn
BBOX = (4.60, 52.10, 4.66, 52.14)
PY_TYPES = {
    "tekst": str,
    "json": str,
    "geheel getal": int,
    "getal": (int, float),
    "ja/nee": bool,
}


@pytest.fixture(scope="module")
def outside() -> Iterator[list[str]]:
    """Every connection or name lookup this process attempts that is not to 127.0.0.1."""
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def host_of(address: Any) -> str:
        return str(address[0]) if isinstance(address, tuple) else str(address)

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and host_of(address) not in LOOPBACK:
            attempts.append(f"connect {address}")
            raise OSError("test: no connection outside 127.0.0.1")
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6) and host_of(address) not in LOOPBACK:
            attempts.append(f"connect_ex {address}")
            return 111
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and str(host) not in LOOPBACK:
            attempts.append(f"getaddrinfo {host}")
            raise socket.gaierror("test: no name lookup outside 127.0.0.1")
        return real_getaddrinfo(host, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", connect)
        mp.setattr(socket.socket, "connect_ex", connect_ex)
        mp.setattr(socket, "getaddrinfo", getaddrinfo)
        yield attempts


@pytest.fixture(scope="module")
def server(built_layers: Path, outside: list[str]) -> Iterator[ogc.OgcServer]:
    handle = ogc.start(built_layers, 0)
    try:
        yield handle
    finally:
        handle.stop()


def _strict(constant: str) -> None:
    raise ValueError(f"not JSON: {constant}")  # NaN, Infinity: QGIS refuses the document


def get(url: str, *, accept: str | None = None) -> tuple[int, dict[str, Any]]:
    """Status and body (strict JSON: no NaN or Infinity) of a GET request."""
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, json.loads(r.read(), parse_constant=_strict)
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read(), parse_constant=_strict)


def test_server_binds_loopback_on_the_port_asked(server):
    assert server.url == f"http://127.0.0.1:{server.port}"
    assert server.port > 0
    assert server.left_out == []
    status, landing = get(f"{server.url}/?f=json")
    assert status == 200
    assert "wijkplan" in landing["title"].lower()


def test_collections_are_the_geometric_layers_with_dutch_titles(server, built_layers):
    status, doc = get(f"{server.url}/collections?f=json")
    assert status == 200
    found = {c["id"]: c for c in doc["collections"]}
    present = set(layer_names(built_layers))
    geometric = {s.name for s in catalogue.DECLARED if s.geometry is not None and s.name in present}
    assert set(found) == geometric
    assert {"buurten", "wijken", "leefbaarheid", "complexen"} <= geometric
    for name, c in found.items():
        spec = catalogue.layer(name)
        assert c["title"] == spec.title
        assert c["description"].startswith(spec.description)
        assert c["storageCrs"] == "http://www.opengis.net/def/crs/EPSG/0/28992"
        assert c["crs"][0] == "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
        assert "http://www.opengis.net/def/crs/EPSG/0/28992" in c["crs"]
        minx, miny, maxx, maxy = c["extent"]["spatial"]["bbox"][0]
        assert 3 < minx < maxx < 8 and 50 < miny < maxy < 54  # the Netherlands, lon/lat
        assert not [
            link
            for link in c["links"]
            if link["type"] == "text/html" and link["href"].startswith(server.url)
        ]  # JSON only


def test_descriptions_say_sample_data_and_licences_say_cc_by(server, built_layers):
    _, doc = get(f"{server.url}/collections?f=json")
    found = {c["id"]: c for c in doc["collections"]}
    sample = read_report(built_layers).sample_sources()
    assert "complexen" in sample and "leefbaarometer" in sample  # the bundled data
    for name in ("complexen", "leefbaarheid", "leefbaarheid_complexen", "aquathermie"):
        assert "voorbeelddata" in found[name]["description"], name
        assert "voorbeelddata" in found[name]["keywords"], name
    assert "voorbeelddata" not in found["regiegebieden"]["description"]
    licences = [link for link in found["buurten"]["links"] if link["rel"] == "license"]
    assert licences and all("creativecommons.org/licenses/by/4.0" in x["href"] for x in licences)
    assert any("CBS / Kadaster" in x["title"] for x in licences)
    assert not [link for link in found["complexen"]["links"] if link["rel"] == "license"]
    assert "afgeschermd" in found["leefbaarheid"]["description"]


def test_items_in_bbox_are_geojson_inside_it_with_declared_properties(server, built_layers):
    query = ",".join(str(v) for v in BBOX)
    status, fc = get(f"{server.url}/collections/leefbaarheid/items?bbox={query}&f=json&limit=500")
    assert status == 200
    assert fc["type"] == "FeatureCollection"
    assert fc["numberMatched"] == fc["numberReturned"] == len(fc["features"]) > 0
    area = box(*BBOX)
    for f in fc["features"]:
        assert f["type"] == "Feature"
        geom = shape(f["geometry"])
        assert geom.geom_type in ("Polygon", "MultiPolygon")
        assert geom.intersects(area.buffer(1e-6)), f["id"]
    # exactly the buurten that intersect the bbox (reprojected here with geopandas)
    frame = gpd.GeoDataFrame(read_layer(built_layers, "leefbaarheid")).to_crs("OGC:CRS84")
    surely_in = set(frame.loc[frame.intersects(area.buffer(-1e-6)), "buurtcode"])
    maybe_in = set(frame.loc[frame.intersects(area.buffer(1e-6)), "buurtcode"])
    got = {f["id"] for f in fc["features"]}
    assert surely_in <= got <= maybe_in
    assert {f["properties"]["buurtcode"] for f in fc["features"]} == got
    # properties: declared columns, each of its declared type (or empty)
    spec = catalogue.layer("leefbaarheid")
    categories = [c for c in fc["features"][0]["properties"] if c in _categories()]
    declared = {c.name: c for c in catalogue.expand(spec, categories)}
    for f in fc["features"]:
        for name, value in f["properties"].items():
            assert name in declared, name
            if value is not None:
                assert isinstance(value, PY_TYPES[declared[name].type]), (name, value)
                if declared[name].type == "geheel getal":
                    assert not isinstance(value, bool)


def _categories() -> tuple[str, ...]:
    from wijkplan.config import load_config

    return load_config().categories


def test_bbox_and_output_in_rd_new(server, built_layers):
    rd = "http://www.opengis.net/def/crs/EPSG/0/28992"
    frame = read_layer(built_layers, "buurten")
    target = frame.geometry.iloc[0].representative_point()
    query = f"{target.x - 10},{target.y - 10},{target.x + 10},{target.y + 10}"
    status, fc = get(
        f"{server.url}/collections/buurten/items?bbox={query}&bbox-crs={rd}&crs={rd}&f=json"
    )
    assert status == 200
    assert frame["buurtcode"].iloc[0] in {f["id"] for f in fc["features"]}
    x, y = shape(fc["features"][0]["geometry"]).representative_point().coords[0]
    assert 0 < x < 300_000 and 300_000 < y < 620_000  # RD New metres


def test_one_item_hits_and_filters(server):
    status, f = get(f"{server.url}/collections/buurten/items/BU04840306?f=json")
    assert status == 200 and f["id"] == "BU04840306"
    assert f["properties"]["buurtnaam"] == "Edelstenenbuurt"
    status, _ = get(f"{server.url}/collections/buurten/items/BU04849999?f=json")
    assert status == 404
    status, hits = get(f"{server.url}/collections/buurten/items?resulttype=hits&f=json")
    assert hits["numberMatched"] == 100 and hits["features"] == []
    status, fc = get(
        f"{server.url}/collections/buurten/items?wijkcode=WK048403&skipGeometry=true&f=json"
    )
    assert fc["features"] and {x["properties"]["wijkcode"] for x in fc["features"]} == {"WK048403"}
    assert all(x["geometry"] is None for x in fc["features"])
    status, fc = get(f"{server.url}/collections/leefbaarheid/items?f=json&filter=lbm%20%3E%204")
    assert status == 200 and fc["features"]
    assert all(x["properties"]["lbm"] > 4 for x in fc["features"])
    # a filter that compares a number with a text is the client's mistake: 400, not 500
    status, doc = get(
        f"{server.url}/collections/leefbaarheid/items?f=json&filter=lbm%20%3E%20%27abc%27"
    )
    assert status == 400 and "traceback" not in str(doc).lower()


def test_json_only_no_html_pages_from_cdns(server):
    status, doc = get(f"{server.url}/collections", accept="text/html,application/xhtml+xml")
    assert status == 200 and "collections" in doc  # a browser gets JSON
    status, doc = get(f"{server.url}/collections?f=html")
    assert status == 406
    assert "alleen JSON" in doc["description"]


def test_conformance_claims_features_and_crs_but_no_editing_or_html(server):
    _, doc = get(f"{server.url}/conformance?f=json")
    classes = doc["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in classes
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in classes
    assert not [c for c in classes if "create-replace-delete" in c or c.endswith("/conf/html")]


def test_privacy_no_incident_table_and_no_small_count_anywhere(server, built_layers):
    report = read_report(built_layers)
    for path in ("/collections/incidenten_buurt", "/collections/incidenten_buurt/items"):
        status, doc = get(f"{server.url}{path}?f=json")
        assert status == 404, path
        assert "features" not in doc
    _, doc = get(f"{server.url}/collections?f=json")
    ids = [c["id"] for c in doc["collections"]]
    assert not [i for i in ids if i.startswith(("incidenten_", "misdrijven_"))]
    counts = {
        c.name
        for s in catalogue.DECLARED
        if s.suppressed
        for c in count_columns(s.name, _categories())
    }
    checked = 0
    for collection in ids:
        _, fc = get(f"{server.url}/collections/{collection}/items?f=json&limit=1000")
        assert fc["numberReturned"] == fc["numberMatched"]
        for f in fc["features"]:
            for name, value in f["properties"].items():
                if name in counts and value is not None:
                    checked += 1
                    assert not 1 <= value < report.threshold, (collection, f["id"], name, value)
    assert checked > 0


def test_no_request_leaves_127_0_0_1(server, outside):
    for path in (
        "/",
        "/openapi?f=json",
        "/conformance",
        "/collections/buurten",
        "/collections/leefbaarheid/queryables",
        "/collections/leefbaarheid/schema",
    ):
        status, _ = get(f"{server.url}{path}")
        assert status == 200, path
    assert outside == []


def _leak(path: Path) -> None:
    """Put a count of 3 into the first buurt of ``leefbaarheid`` (a broken build)."""
    frame = pyogrio.read_dataframe(path, layer="leefbaarheid")
    frame.loc[frame.index[0], "totaal"] = 3
    pyogrio.write_dataframe(frame, path, layer="leefbaarheid")


def test_layer_with_a_small_count_is_not_served(built_layers, tmp_path):
    doctored = tmp_path / "lek.gpkg"
    shutil.copy(built_layers, doctored)
    _leak(doctored)
    served, left_out = served_layers(doctored)
    assert "leefbaarheid" not in {s.name for s in served}
    assert any("leefbaarheid" in line and "1 t/m 4" in line for line in left_out)
    assert privacy_problems(read_layer(doctored, "leefbaarheid"), ["totaal"], 5)


def test_rebuilt_file_with_a_small_count_is_refused_while_serving(built_layers, tmp_path, outside):
    live = tmp_path / "live.gpkg"
    shutil.copy(built_layers, live)
    with ogc.start(live, 0) as handle:
        status, fc = get(f"{handle.url}/collections/leefbaarheid/items?f=json&limit=1000")
        assert status == 200 and fc["numberReturned"] == 100
        _leak(live)
        os.utime(live, (time.time() + 5, time.time() + 5))  # a new version of the file
        status, doc = get(f"{handle.url}/collections/leefbaarheid/items?f=json&limit=1000")
        assert status >= 400 and "features" not in doc
        status, _ = get(f"{handle.url}/collections/buurten/items?f=json&limit=1")
        assert status == 200  # other layers are still served


def test_port_in_use_is_one_line(built_layers, server):
    from wijkplan.ogc.server import OgcServerError

    with pytest.raises(OgcServerError, match="kan niet starten"):
        ogc.start(built_layers, server.port)


def test_probe_finds_the_running_server(server, monkeypatch):
    assert ogc.probe(server.url)
    monkeypatch.setenv("WIJKPLAN_OGC_URL", server.url)
    assert ogc.running_url() == server.url
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        free = s.getsockname()[1]
    monkeypatch.setenv("WIJKPLAN_OGC_URL", f"http://127.0.0.1:{free}")
    assert ogc.running_url(timeout=0.2) is None


def test_cli_registers_serve_ogc():
    import argparse

    parser = argparse.ArgumentParser()
    ogc.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["serve-ogc", "--layers", "x.gpkg", "--port", "5123"])
    assert args.layers == Path("x.gpkg") and args.port == 5123 and args.host == "127.0.0.1"
    assert args.func.__name__ == "cmd_serve_ogc"


QGIS_CHECK = """
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from qgis.core import QgsApplication, QgsVectorLayer
app = QgsApplication([], False)
app.initQgis()
messages = []
QgsApplication.messageLog().messageReceived.connect(lambda m, tag, level: messages.append(m))
out = {}
for name in sys.argv[2:]:
    layer = QgsVectorLayer(f"url='{sys.argv[1]}' typename='{name}'", name, "OAPIF")
    features = list(layer.getFeatures()) if layer.isValid() else []
    out[name] = {
        "valid": layer.isValid(),
        "features": len(features),
        "fields": [f.name() for f in layer.fields()],
        "geometries": sum(1 for f in features if not f.geometry().isEmpty()),
    }
app.processEvents()
out["messages"] = messages
print(json.dumps(out), flush=True)
os._exit(0)  # QGIS 3.22 may crash while tearing down live provider layers
"""


def test_qgis_reads_every_collection(server, built_layers, tmp_path):
    """A real QGIS (Debian's python3-qgis, headless) adds each collection as an OGC API layer."""
    _, doc = get(f"{server.url}/collections?f=json")
    names = [c["id"] for c in doc["collections"]]
    done = run_qgis(QGIS_CHECK, [server.url, *names], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result.pop("messages") == []
    for name in names:
        expected = len(read_layer(built_layers, name))
        assert result[name]["valid"], name
        assert result[name]["features"] == expected == result[name]["geometries"], name
        assert catalogue.layer(name).key in result[name]["fields"], name
