"""A real browser (Debian chromium, driven by Playwright) against the running app, offline."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import REPO, ROLE_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve_app(layers: Path, log_dir: Path, **env: str) -> Iterator[str]:
    """Run the app (``streamlit run app.py``) on ``layers`` at 127.0.0.1; yields its URL."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Debian chromium is required under CI (make browser-deps)")
        pytest.skip("Debian chromium not installed (make browser-deps)")
    port = _free_port()
    env = {**os.environ, "WIJKPLAN_LAYERS": str(layers), "WIJKPLAN_BASEMAP": "auto", **env}
    log_path = log_dir / "streamlit.log"
    log = log_path.open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("streamlit did not start: " + log_path.read_text())
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


#: The running app's own files (its status store), for tests that check what it wrote.
APP_STATE: dict[str, Path] = {}


def login(page, naam: str = "coordinator") -> None:  # type: ignore[no-untyped-def]
    """Log in through the sidebar form as a user of ``tests.conftest.ROLE_USERS``."""
    page.get_by_label("Gebruikersnaam").fill(naam)
    page.get_by_label("Wachtwoord").fill(ROLE_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_text(f"Ingelogd als {naam}").wait_for(timeout=30_000)


def role_users(folder: Path, users_file: bytes) -> dict[str, str]:
    """The environment of an app with one user per role (``tests.conftest.ROLE_USERS``) and
    a status store of its own, both in ``folder``."""
    users = folder / "gebruikers.toml"
    users.write_bytes(users_file)
    users.chmod(0o600)
    store = folder / "afspraken_status.sqlite"
    APP_STATE["store"] = store
    return {"WIJKPLAN_USERS": str(users), "WIJKPLAN_STATUS_STORE": str(store)}


@pytest.fixture(scope="module")
def app_url(built_layers, tmp_path_factory, _role_users_file) -> Iterator[str]:
    env = role_users(tmp_path_factory.mktemp("users"), _role_users_file)
    with serve_app(built_layers, tmp_path_factory.mktemp("streamlit"), **env) as url:
        yield url


def test_map_draws_buurten_and_click_opens_dossier_offline(app_url, bundled_data, built_layers):
    import geopandas as gpd
    from playwright.sync_api import sync_playwright

    from wijkplan.read import read_layer

    complexen = read_layer(built_layers, "complexen")
    complex_here = complexen.loc[complexen["buurtcode"] == "BU04840210", "naam"].iloc[0]

    buurten = gpd.read_file(bundled_data / "buurten.geojson")
    target = (
        buurten[buurten["buurtcode"] == "BU04840210"].to_crs(4326).representative_point().iloc[0]
    )

    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        page.on("request", lambda r: requests.append(r.url))
        page.goto(app_url, wait_until="domcontentloaded")
        login(page)
        frame_el = page.wait_for_selector(
            'iframe[title="streamlit_folium.st_folium"]', timeout=60_000
        )
        frame = frame_el.content_frame()
        assert frame is not None
        frame.wait_for_function(
            "document.querySelectorAll('path.leaflet-interactive').length >= 100", timeout=60_000
        )
        # 100 buurt polygons (wijken are drawn non-interactive, complexes as circles)
        n_polygons = frame.evaluate(
            """() => { let n = 0; window.map.eachLayer(l => { if (l.feature && l.feature.properties
                 && l.feature.properties.buurtcode) n += 1; }); return n; }"""
        )
        assert n_polygons == 100
        x, y = frame.evaluate(
            "([lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]);"
            " const r = window.map.getContainer().getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }",
            [target.y, target.x],
        )
        box = frame_el.bounding_box()
        assert box is not None
        frame.evaluate("() => { window.__probe = 'same map'; }")
        started = time.monotonic()
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.get_by_role("heading", name="Planetenbuurt-Noord").wait_for(timeout=30_000)
        click_to_dossier = time.monotonic() - started
        assert "gebied=BU04840210" in page.url  # shareable link
        # the click selected the buurt without re-mounting the map (same Leaflet instance,
        # with the selection drawn as an extra layer)
        frame_el = page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]')
        frame = frame_el.content_frame()
        assert frame is not None
        assert frame.evaluate("() => window.__probe") == "same map"
        print(f"click to dossier: {click_to_dossier:.2f} s")
        # the complex table is a canvas grid: its cells exist in the DOM for accessibility
        page.get_by_text(complex_here).first.wait_for(state="attached", timeout=10_000)
        if shots := os.environ.get("WIJKPLAN_SCREENSHOTS"):
            page.screenshot(path=os.path.join(shots, "kaart-planetenbuurt.png"))
        browser.close()

    outside = {
        urlparse(u).hostname
        for u in requests
        if urlparse(u).scheme in ("http", "https", "ws", "wss")
    }
    assert outside <= {"127.0.0.1"}, (
        f"requests outside 127.0.0.1: {sorted(outside - {'127.0.0.1'})}"
    )
