"""Dutch display text shared by the dossier's parts: counted nouns, figures, quantities."""

from __future__ import annotations

from wijkplan.numbers import number, percent


def _n(count: int, one: str, many: str) -> str:
    """ "1 complex", "3 complexen" (Dutch thousands separator)."""
    return f"{number(count)} {one if count == 1 else many}"


def figure_value(value: float | None) -> str:
    """A value as a reader writes it: as many decimals as it has (up to 4 significant digits).

    >>> figure_value(0.03517), figure_value(4.18), figure_value(966780.59), figure_value(None)
    ('0,03517', '4,18', '966.781', 'onbekend')
    """
    if value is None or value != value:
        return "onbekend"
    v = float(value)
    if v == int(v) or abs(v) >= 100:
        return number(v, 0)
    decimals = len(f"{abs(v):.4g}".partition(".")[2])
    return number(v, min(decimals, 5))


def quantity_text(
    value: float | None, unit: str | None, *, with_unit: bool = True, decimals: int | None = None
) -> str:
    """A value with its unit in Dutch number format; a fraction (0..1) as a percentage.

    >>> quantity_text(0.634, "fractie 0-1"), quantity_text(1234.0, "GJ per jaar")
    ('63 %', '1.234 GJ per jaar')
    >>> quantity_text(52.4, "aantal"), quantity_text(50.91, "woningen per ha", decimals=0)
    ('52,4', '51 woningen per ha')
    >>> quantity_text(None, "m")
    'onbekend'
    """
    if value is None or value != value:
        return "onbekend"
    u = (unit or "").strip()
    if u.startswith("fractie"):
        return percent(value)
    text = figure_value(value) if decimals is None else number(value, decimals)
    return f"{text} {u}" if with_unit and u and u != "aantal" else text
