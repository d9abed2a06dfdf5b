"""Phase hatching as offline SVG patterns: one pattern per phase of the heat plan.

:class:`HatchPattern` writes a phase's pattern as SVG (for the map) and as CSS (for the
legend); :class:`SvgPatterns` puts the definitions into the page; and
:func:`add_phase_hatching` fills the phased buurten with them. Nothing is loaded from
outside, so the hatching works offline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import folium
import geopandas as gpd
from branca.element import MacroElement
from folium.template import Template

from wijkplan.mapping.leaflet import to_wgs84
from wijkplan.styles.palette import HATCH_COLOUR, HATCH_WIDTH, PHASE_HATCHES


@dataclass(frozen=True)
class HatchPattern:
    """An SVG fill pattern (one per phase) and the CSS that draws the same in a legend.

    ``kind``: "lijnen" (parallel lines at ``angle`` degrees), "kruis" (two sets at right
    angles) or "punten" (dots); ``spacing`` in screen pixels.
    """

    phase: str
    pattern_id: str
    kind: Literal["lijnen", "kruis", "punten"]
    angle: int = 45
    spacing: int = 8
    width: float = HATCH_WIDTH

    @property
    def fill(self) -> str:
        """The value for a Leaflet ``fillColor``: the SVG renderer writes it into ``fill``."""
        return f"url(#{self.pattern_id})"

    def svg(self) -> str:
        s, w, c = self.spacing, self.width, HATCH_COLOUR
        head = (
            f'<pattern id="{self.pattern_id}" patternUnits="userSpaceOnUse" width="{s}" '
            f'height="{s}" patternTransform="rotate({self.angle})">'
        )
        if self.kind == "punten":
            body = f'<circle cx="{s / 2:g}" cy="{s / 2:g}" r="{w:g}" fill="{c}"/>'
        else:
            body = f'<rect x="0" y="0" width="{w:g}" height="{s}" fill="{c}"/>'
            if self.kind == "kruis":
                body += f'<rect x="0" y="0" width="{s}" height="{w:g}" fill="{c}"/>'
        return head + body + "</pattern>"

    def css(self) -> str:
        """A CSS ``background`` that looks like the pattern (on white)."""
        c, w, s = HATCH_COLOUR, self.width, self.spacing
        if self.kind == "punten":
            return f"radial-gradient(circle,{c} {w:g}px,transparent {w + 0.3:g}px) 0 0/{s}px {s}px,#fff"
        # SVG rotates vertical lines by ``angle``; a CSS gradient runs across its stripes
        angles = [self.angle + 90] + ([self.angle] if self.kind == "kruis" else [])
        stripes = ",".join(
            f"repeating-linear-gradient({a}deg,{c} 0 {w:g}px,transparent {w:g}px {s}px)"
            for a in angles
        )
        return f"{stripes},#fff"


def _phase_patterns() -> dict[str, HatchPattern]:
    from wijkplan.config.heat import PHASES

    # the kind, angle and spacing of each phase's hatching (shared with the GIS styles)
    return {
        phase: HatchPattern(phase, f"wijkplan-fase-{i}", kind, angle, spacing)
        for i, (phase, (kind, angle, spacing)) in enumerate(
            zip(PHASES, PHASE_HATCHES, strict=True), 1
        )
    }


#: The hatch pattern of each phase of the heat plan, from early to late.
PHASE_PATTERNS: dict[str, HatchPattern] = _phase_patterns()


class SvgPatterns(MacroElement):
    """SVG ``<pattern>`` definitions, put into the page by a few lines of script.

    Leaflet's SVG renderer writes a path's ``fillColor`` into its ``fill`` attribute as it
    is, so the style ``{"fillColor": "url(#wijkplan-fase-1)"}`` fills a polygon with the
    pattern of that id, wherever in the document the pattern is defined. The definitions
    go into a zero-size ``<svg>`` of their own (not ``display:none``, which switches
    patterns off in some browsers), replaced when the map is drawn again. Nothing is
    loaded: it works offline, in a saved HTML map and inside streamlit-folium (which runs
    the script of every element of the map).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var old = document.getElementById({{ this.holder_id|tojavascript }});
            if (old) { old.parentNode.removeChild(old); }
            var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
            svg.setAttribute("id", {{ this.holder_id|tojavascript }});
            svg.setAttribute("width", "0");
            svg.setAttribute("height", "0");
            svg.setAttribute("aria-hidden", "true");
            svg.setAttribute("style", "position:absolute;width:0;height:0;overflow:hidden");
            svg.innerHTML = {{ this.defs|tojavascript }};
            document.body.appendChild(svg);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, patterns: Iterable[HatchPattern]) -> None:
        super().__init__()
        self._name = "SvgPatterns"
        self.holder_id = "wijkplan-patronen"
        self.defs = "<defs>" + "".join(p.svg() for p in patterns) + "</defs>"


def add_phase_hatching(m: folium.Map, hatch: gpd.GeoDataFrame) -> None:
    """The buurten with a phase, filled with their phase's hatch pattern (not clickable).

    Drawn over the strategy colours; the pattern's gaps are transparent, so the colour
    shows through. The patterns come from :class:`SvgPatterns`, added by :func:`base_map`.
    """
    folium.GeoJson(
        to_wgs84(hatch[["buurtcode", "fase", "geometry"]]),
        name="Fase (arcering)",
        style_function=lambda f: {
            "stroke": False,
            "fill": True,
            "fillColor": PHASE_PATTERNS[f["properties"]["fase"]].fill,
            "fillOpacity": 0.85,
        },
        interactive=False,
    ).add_to(m)
