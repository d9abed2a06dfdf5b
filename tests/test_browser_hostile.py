"""Hostile names in every source: the app shows them as text, runs nothing, fetches nothing.

Boundaries, complexes, ledger parties, agreement texts and every toelichting get names that
would run script (HTML, folium's JavaScript template literals) or load from another host
(Markdown images and links). The app is built from them with ``wijkplan build`` and driven
by a real browser: every buurt and complex hovered, features clicked, every page visited.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest
import yaml

from tests.conftest import REPO
from tests.test_browser import CHROMIUM, FLAGS, serve_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OUTSIDE = "198.51.100.7"


def hostile(tag: str) -> str:
    """A name that would alert, run in a template literal, load an image and link out."""
    return (
        f"{tag} <img src=x onerror=alert('{tag}')> `${{alert('{tag}')}}` "
        f"![i](http://{OUTSIDE}/{tag}.png) [l](http://{OUTSIDE}/{tag}) http://{OUTSIDE}/b "
        f"<script>alert('{tag}')</script> :red[{tag}] **{tag}**"
    )


@pytest.fixture(scope="module")
def hostile_layers(bundled_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    import geopandas as gpd

    root = tmp_path_factory.mktemp("hostile")
    data = root / "geo"
    shutil.copytree(bundled_data, data)
    buurten = gpd.read_file(data / "buurten.geojson")
    buurten["buurtnaam"] = [hostile(f"B{i}") for i in range(len(buurten))]
    buurten["wijknaam"] = hostile("W")
    buurten.to_file(data / "buurten.geojson", driver="GeoJSON")
    wijken = gpd.read_file(data / "wijken.geojson")
    wijken["wijknaam"] = [hostile(f"W{i}") for i in range(len(wijken))]
    wijken.to_file(data / "wijken.geojson", driver="GeoJSON")
    complexen = gpd.read_file(data / "complexen.gpkg")
    complexen["naam"] = [hostile(f"C{i}") for i in range(len(complexen))]
    complexen.to_file(data / "complexen.gpkg", layer="complexen", engine="pyogrio")

    ledger = yaml.safe_load(
        (REPO / "data" / "afspraken" / "prestatieafspraken-2021.yaml").read_text("utf-8")
    )
    ledger["metadata"]["titel"] = hostile("LT")
    ledger["metadata"]["toelichting"] = hostile("LM")
    for i, p in enumerate(ledger["partijen"]):
        p["naam"] = hostile(f"P{i}")
        p["toelichting"] = hostile(f"PT{i}")
    for i, a in enumerate(ledger["afspraken"]):
        a["titel"] = hostile(f"A{i}")
        a["tekst"] = hostile(f"AT{i}")
        a["toelichting"] = hostile(f"AX{i}")
    for i, r in enumerate(ledger["regiegebieden"]):
        r["naam"] = hostile(f"R{i}")
        r["toelichting"] = hostile(f"RT{i}")
    ledger_file = root / "afspraken.yaml"
    ledger_file.write_text(yaml.safe_dump(ledger, allow_unicode=True), "utf-8")
    out = root / "wijkplan.gpkg"
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "wijkplan"),
            "build",
            "--data",
            str(data),
            "--ledger",
            str(ledger_file),
            "--out",
            str(out),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return out


def test_hostile_names_are_text_everywhere_no_script_no_outside_request(
    hostile_layers, tmp_path_factory, tmp_path
):
    from playwright.sync_api import sync_playwright

    from wijkplan.read import read_layer

    complex_id = str(read_layer(hostile_layers, "complexen")["complex_id"].iloc[0])
    dialogs: list[str] = []
    errors: list[str] = []
    requests: list[str] = []
    missing: list[str] = []
    store = tmp_path / "status.sqlite"
    with (
        serve_app(
            hostile_layers,
            tmp_path_factory.mktemp("streamlit-hostile"),
            WIJKPLAN_BASEMAP="geen",
            WIJKPLAN_STATUS_STORE=str(store),
        ) as url,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1000})

        def on_dialog(d):  # type: ignore[no-untyped-def]
            dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)

        def open_map(query: dict[str, str]):  # type: ignore[no-untyped-def]
            page.goto(f"{url}/?{urlencode(query)}", wait_until="domcontentloaded")
            frame_el = page.wait_for_selector(
                'iframe[title="streamlit_folium.st_folium"]', timeout=60_000
            )
            frame = frame_el.content_frame()
            assert frame is not None
            frame.wait_for_function(
                "document.querySelectorAll('path.leaflet-interactive').length >= 100",
                timeout=60_000,
            )
            return frame_el, frame

        def hover_everything(frame_el, frame) -> list[str]:  # type: ignore[no-untyped-def]
            """Move the mouse over every buurt and complex; the tooltip texts seen."""
            points = frame.evaluate(
                """() => { const pts = []; const r = window.map.getContainer().getBoundingClientRect();
                  window.map.eachLayer(l => {
                    let ll = null;
                    if (l.feature && l.feature.properties && l.feature.properties.buurtcode
                        && l.getBounds) ll = l.getCenter();
                    else if (l.getLatLng && l.getTooltip && l.getTooltip()) ll = l.getLatLng();
                    if (ll) { const p = window.map.latLngToContainerPoint(ll);
                              pts.push([p.x + r.left, p.y + r.top]); } });
                  return pts; }"""
            )
            box = frame_el.bounding_box()
            seen = set()
            for x, y in points:
                page.mouse.move(box["x"] + x, box["y"] + y)
                text = frame.evaluate(
                    "() => Array.from(document.querySelectorAll('.leaflet-tooltip'))"
                    ".map(t => t.textContent).join(' | ')"
                )
                if text:
                    seen.add(text)
            assert len(points) >= 200  # 100 buurten and the complexes
            return sorted(seen)

        def open_every_chooser() -> None:
            """Open each selectbox of the page (their options hold names too)."""
            boxes = page.get_by_role("combobox")
            for i in range(boxes.count()):
                boxes.nth(i).click()
                page.wait_for_timeout(300)
                page.keyboard.press("Escape")

        # the map: hover every buurt and complex, in the plain and a heat theme
        frame_el, frame = open_map({})
        open_every_chooser()
        seen = hover_everything(frame_el, frame)
        assert any("<img src=x onerror=alert('B" in t for t in seen), seen[:3]
        assert any("<img src=x onerror=alert('C" in t for t in seen), seen[:3]
        assert (
            frame.evaluate(
                "() => document.querySelectorAll('img[src=x], .leaflet-tooltip *:not(table, tbody,"
                " tr, th, td, div)').length"
            )
            == 0
        )
        # click a buurt: its dossier shows the name as text, not as markup
        buurten = read_layer(hostile_layers, "buurten")
        target = buurten.to_crs(4326).representative_point().iloc[0]
        x, y = frame.evaluate(
            "([lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]);"
            " const r = window.map.getContainer().getBoundingClientRect();"
            " return [p.x + r.left, p.y + r.top]; }",
            [target.y, target.x],
        )
        box = frame_el.bounding_box()
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.wait_for_url("**gebied=BU*", timeout=30_000)
        page.get_by_role("heading", name="onerror=alert(").first.wait_for(timeout=30_000)

        frame_el, frame = open_map({"thema": "Warmtetransitie: strategie (warmteplan)"})
        hover_everything(frame_el, frame)

        # the dossiers of the other kinds of area, and every page
        for code, heading in (
            (complex_id, "onerror=alert('C"),
            ("regie-edelstenenbuurt", "onerror=alert('R0"),
            (str(buurten["wijkcode"].iloc[0]), "onerror=alert('W"),
            ("wg-planetenbuurt", "Planetenbuurt"),
        ):
            page.goto(f"{url}/?{urlencode({'gebied': code})}", wait_until="domcontentloaded")
            page.get_by_role("heading", name=heading).first.wait_for(timeout=30_000)
            page.wait_for_timeout(500)
        for path, heading in (
            ("afspraken", "Afspraken"),
            ("leefbaarheid", "Leefbaarheid"),
            ("warmte", "Warmte"),
            ("downloads", "Downloads"),
        ):
            page.goto(f"{url}/{path}", wait_until="domcontentloaded")
            page.get_by_role("heading", name=heading, exact=True).wait_for(timeout=30_000)
            page.wait_for_timeout(1500)  # the page's data and dossier render after the title
        # the agreement: texts, parties and toelichting as text; every chooser opened
        page.goto(f"{url}/afspraken", wait_until="domcontentloaded")
        page.get_by_text("Toelichting: AX", exact=False).first.wait_for(timeout=30_000)
        open_every_chooser()
        html = page.content()
        assert f'src="http://{OUTSIDE}' not in html and f'href="http://{OUTSIDE}' not in html
        assert "<img src=x" not in html
        browser.close()

    assert not dialogs, f"dialogs from injected script: {dialogs}"
    injected = [e for e in errors if "alert" in e or OUTSIDE in e or "onerror" in e]
    assert not injected, injected
    hosts = {urlparse(u).hostname for u in requests if urlparse(u).scheme in ("http", "https")}
    assert hosts <= {"127.0.0.1"}, f"requests outside 127.0.0.1: {sorted(hosts)}"
    assert not [u for u in requests if urlparse(u).path.rstrip("/").endswith("/x")]
    print(
        f"{len(requests)} requests; {len(errors)} console errors; not found: {sorted(set(missing))}"
    )
