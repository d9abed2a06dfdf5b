"""Legend entries of the map themes: swatches (fills, patterns, lines, outlines, circles).

The app draws legends itself from these (no Leaflet legend plugin from a CDN); a
swatch is the inline CSS of the little sample drawn before its label.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Swatch:
    """One legend entry: its text and the inline CSS of the little sample drawn before it.

    >>> Swatch.fill("hybride", "#8856a7").css
    'background:#8856a7;border:1px solid #777'
    """

    label: str
    css: str

    @classmethod
    def fill(cls, label: str, colour: str) -> Swatch:
        return cls(label, f"background:{colour};border:1px solid #777")

    @classmethod
    def pattern(cls, label: str, background: str) -> Swatch:
        return cls(label, f"background:{background};border:1px solid #777")

    @classmethod
    def line(cls, label: str, colour: str, *, width: float = 3, dashed: bool = False) -> Swatch:
        style = "dashed" if dashed else "solid"
        return cls(
            label,
            f"width:1.6em;height:0;border-top:{width:g}px {style} {colour};background:transparent",
        )

    @classmethod
    def outline(cls, label: str, colour: str, *, width: float = 3, dashed: bool = False) -> Swatch:
        style = "dashed" if dashed else "solid"
        return cls(label, f"background:#fff;border:{width:g}px {style} {colour}")

    @classmethod
    def circle(cls, label: str, colour: str, *, edge: str = "#333", width: float = 1) -> Swatch:
        return cls(label, f"background:{colour};border:{width:g}px solid {edge};border-radius:50%")


@dataclass(frozen=True)
class LegendSection:
    """A titled group of legend entries, with an optional note after them."""

    title: str | None
    items: tuple[Swatch, ...]
    note: str | None = None
