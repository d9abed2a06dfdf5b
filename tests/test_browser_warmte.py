"""The heat themes in a real browser (Debian chromium, Playwright), offline.

The phase hatching is drawn with SVG patterns that a short script puts into the page;
this checks that the browser really paints them, and the strategy colours under them.
"""

from __future__ import annotations

import io
import os
import time
from urllib.parse import urlencode, urlparse

import pytest

from tests.test_browser import CHROMIUM, FLAGS, app_url, login  # noqa: F401  (app_url: fixture)
from wijkplan import ui
from wijkplan.config.heat import load_heat_config
from wijkplan.mapping import PHASE_PATTERNS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLANETENBUURT = "BU04840211"

LAYER_FILL = """(code) => { let fill = null; window.map.eachLayer(l => {
    if (l.feature && l.feature.properties && l.feature.properties.buurtcode === code
        && l.options && l.options.interactive !== false && l._path) {
        fill = l._path.getAttribute('fill'); } }); return fill; }"""
TO_PAGE = """([lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]);
    const r = window.map.getContainer().getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }"""


def _open_spot(plan, complexen):  # type: ignore[no-untyped-def]
    """A point (EPSG:4326) deep inside the largest hatched buurt, away from its edges and
    from every complex circle, so that only fill and hatch are painted around it."""
    import geopandas as gpd
    from shapely.ops import polylabel

    phased = plan[plan["fase"].notna()]
    largest = phased.loc[phased.area.idxmax()]
    free = largest.geometry.difference(complexen.geometry.buffer(400).union_all())
    part = max(getattr(free, "geoms", [free]), key=lambda g: g.area)
    spot = polylabel(part, tolerance=1)
    assert part.exterior.distance(spot) > 300  # about 12 screen pixels at the start view
    return largest["buurtcode"], gpd.GeoSeries([spot], crs=plan.crs).to_crs(4326).iloc[0]


def _hatch_share(with_hatch: bytes, without: bytes) -> float:
    """The share of pixels that the hatch makes clearly darker (by more than 60 of 255)."""
    from PIL import Image, ImageChops

    def grey(png: bytes) -> Image.Image:
        return Image.open(io.BytesIO(png)).convert("L")

    darker = ImageChops.subtract(grey(without), grey(with_hatch))
    return sum(darker.histogram()[61:]) / (darker.width * darker.height)


def test_heat_theme_paints_strategy_fills_and_phase_hatching_offline(
    app_url,  # noqa: F811
    built_layers,
):
    from playwright.sync_api import sync_playwright

    from wijkplan.read import read_layer

    plan = read_layer(built_layers, "warmteplan")
    phased = plan[plan["fase"].notna()]
    hatched_code, target = _open_spot(plan, read_layer(built_layers, "complexen"))
    hatched_name = plan.set_index("buurtcode").loc[hatched_code, "buurtnaam"]
    colours = load_heat_config().colours
    planeten = plan.set_index("buurtcode").loc[PLANETENBUURT, "strategie"]
    query = urlencode({"gebied": PLANETENBUURT, "thema": ui.WARMTE_STRATEGIE})

    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{app_url}/?{query}", wait_until="domcontentloaded")
        login(page)
        frame_el = page.wait_for_selector(
            'iframe[title="streamlit_folium.st_folium"]', timeout=60_000
        )
        frame = frame_el.content_frame()
        assert frame is not None
        frame.wait_for_function(
            "document.querySelectorAll('path[fill^=\"url(#wijkplan-fase-\"]').length > 0",
            timeout=60_000,
        )
        # the pattern definitions are in the DOM, one per phase
        ids = frame.evaluate(
            "() => Array.from(document.querySelectorAll('#wijkplan-patronen pattern'), p => p.id)"
        )
        assert ids == [p.pattern_id for p in PHASE_PATTERNS.values()]
        # every buurt with a phase has a path filled with its phase's pattern
        fills = frame.evaluate(
            "() => Array.from(document.querySelectorAll('path[fill^=\"url(#\"]'),"
            " p => p.getAttribute('fill'))"
        )
        assert len(fills) == len(phased)
        assert sorted(fills) == sorted(PHASE_PATTERNS[f].fill for f in phased["fase"])
        # the strategy colours underneath, from the heat config
        assert frame.evaluate(LAYER_FILL, PLANETENBUURT) == colours[planeten]
        assert frame.evaluate(LAYER_FILL, "BU04840101") == colours["nog te bepalen"]
        # assumed district boundaries are dashed
        assert frame.evaluate("() => document.querySelectorAll('path[stroke-dasharray]').length")
        # the browser really paints the hatch: dark lines inside the hatched buurt, which
        # disappear when the pattern fills are switched off
        x, y = frame.evaluate(TO_PAGE, [target.y, target.x])
        box = frame_el.bounding_box()
        assert box is not None
        clip = {"x": box["x"] + x - 12, "y": box["y"] + y - 12, "width": 24, "height": 24}
        hatched = page.screenshot(clip=clip)
        frame.evaluate(
            "() => document.querySelectorAll('path[fill^=\"url(#\"]')"
            ".forEach(p => p.setAttribute('fill-opacity', '0'))"
        )
        time.sleep(0.3)
        plain = page.screenshot(clip=clip)
        frame.evaluate(
            "() => document.querySelectorAll('path[fill^=\"url(#\"]')"
            ".forEach(p => p.setAttribute('fill-opacity', '0.85'))"
        )
        share = _hatch_share(hatched, plain)
        print(f"hatch share {share:.3f}")
        assert 0.05 < share < 0.6, share  # lines, not a solid fill
        # the dossier shows the heat part beside the map
        page.get_by_text("Indicatie (vuistregels)").first.wait_for(timeout=30_000)
        # a click on a hatched buurt goes through the hatching to the buurt, and selects it
        # without re-mounting the map
        frame.evaluate("() => { window.__probe = 'same map'; }")
        started = time.monotonic()
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.get_by_role("heading", name=hatched_name).wait_for(timeout=30_000)
        print(f"click to dossier: {time.monotonic() - started:.2f} s")
        assert f"gebied={hatched_code}" in page.url
        frame = page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]').content_frame()
        assert frame is not None
        assert frame.evaluate("() => window.__probe") == "same map"
        assert frame.evaluate(
            "() => document.querySelectorAll('#wijkplan-patronen pattern').length"
        )
        if shots := os.environ.get("WIJKPLAN_SCREENSHOTS"):
            page.screenshot(path=os.path.join(shots, "kaart-warmtetransitie.png"))
        browser.close()

    outside = {
        urlparse(u).hostname
        for u in requests
        if urlparse(u).scheme in ("http", "https", "ws", "wss")
    }
    assert outside <= {"127.0.0.1"}, (
        f"requests outside 127.0.0.1: {sorted(outside - {'127.0.0.1'})}"
    )
