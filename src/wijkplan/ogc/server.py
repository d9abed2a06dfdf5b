"""The OGC API – Features server: pygeoapi's API behind a small Flask app, served by werkzeug.

pygeoapi's own ``pygeoapi.flask_app`` reads its configuration from files named in environment
variables when it is imported, once per process. wijkplan generates the configuration from the
build instead, so it routes the OGC API – Features requests to pygeoapi's API functions itself
(the same calls ``pygeoapi.flask_app`` makes): any number of servers, over any GeoPackage, can
run in one process (the tests do).

**JSON only.** pygeoapi's HTML pages load Bootstrap, Leaflet and Swagger UI from CDNs, which
a municipal network (and this machine) may block. So the server answers in JSON and GeoJSON:
a browser that asks for HTML gets JSON, ``f=html`` is refused with a Dutch explanation, and
the links to HTML pages are left out of every response. QGIS, ArcGIS and other clients only
use the JSON.

Nothing here reaches outside: the server binds 127.0.0.1 by default and makes no outgoing
request (no remote schemas, templates or enclosure checks).
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from wijkplan.errors import WijkplanError
from wijkplan.ogc.config import DEFAULT_HOST, DEFAULT_PORT, build_config

if TYPE_CHECKING:
    from flask import Flask
    from werkzeug.serving import BaseWSGIServer

__all__ = ["OgcServer", "OgcServerError", "make_app", "serve", "start"]

HTML_REFUSED = (
    "Deze server geeft alleen JSON/GeoJSON: de HTML-pagina's van pygeoapi laden hun opmaak van "
    "internet. Gebruik f=json, of voeg de server toe in QGIS (Laag toevoegen → WFS / OGC API – "
    "Features)."
)
_HTML = "text/html"

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class OgcServerError(WijkplanError):
    """The OGC API cannot start (port in use, nothing to serve)."""


def _json_only(app: WSGIApp) -> WSGIApp:
    """WSGI middleware: refuse ``f=html``, and answer a browser's ``Accept: text/html`` in JSON."""

    def wrapped(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        if query.get("f", "").strip().lower() == "html":
            body = json.dumps(
                {"code": "NotAcceptable", "description": HTML_REFUSED}, ensure_ascii=False
            ).encode()
            start_response(
                f"{HTTPStatus.NOT_ACCEPTABLE.value} {HTTPStatus.NOT_ACCEPTABLE.phrase}",
                [("Content-Type", "application/json; charset=utf-8")],
            )
            return [body]
        if "f" not in query and _HTML in environ.get("HTTP_ACCEPT", ""):
            environ["HTTP_ACCEPT"] = "application/json"
        return app(environ, start_response)

    return wrapped


def _drop_html_links(node: Any, base: str) -> Any:
    """A response document without the links to this server's HTML pages."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "links" and isinstance(value, list):
                value = [
                    link
                    for link in value
                    if not (
                        isinstance(link, dict)
                        and link.get("type") == _HTML
                        and str(link.get("href", "")).startswith(base)
                    )
                ]
            out[key] = _drop_html_links(value, base)
        return out
    if isinstance(node, list):
        return [_drop_html_links(v, base) for v in node]
    return node


def _what_we_conform_to(doc: Any) -> Any:
    """pygeoapi's conformance classes less those this server does not offer: no HTML pages,
    no transactions (a client such as QGIS would otherwise offer to edit the layers)."""
    if isinstance(doc, dict) and isinstance(doc.get("conformsTo"), list):
        doc["conformsTo"] = [
            c
            for c in doc["conformsTo"]
            if not str(c).endswith("/conf/html") and "/conf/create-replace-delete" not in str(c)
        ]
    return doc


def make_app(config: dict[str, Any]) -> Flask:
    """A Flask app answering OGC API – Features (core, CRS, queryables, schemas) for ``config``."""
    import pygeoapi.api as core
    import pygeoapi.api.itemtypes as items
    from flask import Flask, Response, make_response, request
    from pygeoapi.api import API, APIRequest
    from pygeoapi.openapi import get_oas

    from wijkplan.ogc.provider import REQUESTED_BBOX

    api = API(config, get_oas(config))
    base = str(config["server"]["url"]).rstrip("/")
    app = Flask("wijkplan.ogc")
    app.url_map.strict_slashes = False

    def run(
        function: Callable[..., Any],
        *args: Any,
        skip_valid_check: bool = False,
        edit: Callable[[Any], Any] | None = None,
    ) -> Response:
        api_request = APIRequest.from_flask(request, api.locales)
        if not skip_valid_check and not api_request.is_valid():
            headers, status, content = api.get_format_exception(api_request)
        else:
            bbox = request.args.get("bbox")
            token = None
            if bbox:
                try:
                    coords = tuple(float(v) for v in bbox.split(","))
                except ValueError:
                    coords = ()
                if len(coords) in (4, 6):
                    crs = (
                        request.args.get("bbox-crs")
                        or "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
                    )
                    token = REQUESTED_BBOX.set((coords, crs))
            try:
                headers, status, content = function(api, api_request, *args)
            finally:
                if token is not None:
                    REQUESTED_BBOX.reset(token)
        if "json" in str(headers.get("Content-Type", "")) and isinstance(content, str | bytes):
            try:
                doc = json.loads(content)
            except ValueError:
                pass
            else:
                doc = _drop_html_links(doc, base)
                content = json.dumps(doc if edit is None else edit(doc), ensure_ascii=False)
        response = make_response(content, status)
        if headers:
            response.headers = headers
        return response

    @app.route("/")
    def landing_page() -> Response:
        return run(core.landing_page)

    @app.route("/openapi")
    def openapi() -> Response:
        return run(core.openapi_)

    @app.route("/conformance")
    def conformance() -> Response:
        return run(core.conformance, edit=_what_we_conform_to)

    @app.route("/collections")
    @app.route("/collections/<path:collection_id>")
    def collections(collection_id: str | None = None) -> Response:
        return run(core.describe_collections, collection_id)

    @app.route("/collections/<path:collection_id>/schema")
    def collection_schema(collection_id: str) -> Response:
        return run(core.get_collection_schema, collection_id)

    @app.route("/collections/<path:collection_id>/queryables")
    def collection_queryables(collection_id: str) -> Response:
        return run(items.get_collection_queryables, collection_id)

    @app.route("/collections/<path:collection_id>/items")
    def collection_items(collection_id: str) -> Response:
        return run(items.get_collection_items, collection_id, skip_valid_check=True)

    @app.route("/collections/<path:collection_id>/items/<path:item_id>")
    def collection_item(collection_id: str, item_id: str) -> Response:
        return run(items.get_collection_item, collection_id, item_id)

    setattr(app, "wsgi_app", _json_only(app.wsgi_app))  # noqa: B010 (mypy: a method)
    return app


@dataclass
class OgcServer:
    """A running OGC API (see :func:`start`): its address, and :meth:`stop`."""

    url: str
    layers_path: Path
    #: layers with geometry that are not served, with the reason
    left_out: list[str]
    _server: BaseWSGIServer = field(repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def port(self) -> int:
        return int(self._server.port)

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> OgcServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _check_free(host: str, port: int) -> None:
    """Raise OSError if ``host:port`` cannot be bound (werkzeug would exit the process)."""
    if port == 0:
        return
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as werkzeug's server does
        s.bind((host, port))


def _bind(
    layers_path: Path | str, host: str, port: int, url: str | None, *, log_requests: bool
) -> OgcServer:
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            pass

    def not_ready(environ: dict[str, Any], start_response: StartResponse) -> Iterator[bytes]:
        start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
        yield b"wijkplan OGC API start nog"

    try:
        _check_free(host, port)
        server = make_server(
            host,
            port,
            not_ready,
            threaded=True,
            request_handler=None if log_requests else QuietHandler,
        )
    except (OSError, SystemExit) as exc:  # port taken, address not available
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "bezet"
        raise OgcServerError(f"OGC API kan niet starten op {host}:{port}: {reason}") from None
    try:
        config, left_out = build_config(layers_path, host=host, port=server.port, url=url)
        if not config["resources"]:
            raise OgcServerError(f"{layers_path}: geen kaartlagen om te publiceren")
        server.app = make_app(config)
    except BaseException:
        server.server_close()
        raise
    return OgcServer(str(config["server"]["url"]), Path(layers_path), left_out, server)


def start(
    layers_path: Path | str,
    port: int = DEFAULT_PORT,
    *,
    host: str = DEFAULT_HOST,
    url: str | None = None,
) -> OgcServer:
    """Serve the built GeoPackage as OGC API – Features in a background thread (quietly).

    ``port=0`` takes a free port (see :attr:`OgcServer.url`). Stop it with
    :meth:`OgcServer.stop` (or use it as a context manager).
    """
    handle = _bind(layers_path, host, port, url, log_requests=False)
    handle._thread = threading.Thread(
        target=handle._server.serve_forever, name="wijkplan-ogc", daemon=True
    )
    handle._thread.start()
    return handle


def serve(
    layers_path: Path | str,
    port: int = DEFAULT_PORT,
    *,
    host: str = DEFAULT_HOST,
    url: str | None = None,
    ready: Callable[[OgcServer], None] | None = None,
) -> None:
    """Serve in the foreground until interrupted (Ctrl+C), logging each request.

    ``ready`` is called once the port is bound and the configuration made.
    """
    handle = _bind(layers_path, host, port, url, log_requests=True)
    if ready is not None:
        ready(handle)
    try:
        handle._server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        handle.stop()
