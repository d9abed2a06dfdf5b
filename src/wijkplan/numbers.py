"""Numbers as Dutch readers write them: ``1.234,5`` and ``56,3 %``.

One place for every number a person reads (app, dossier, CLI text, documents).
Machine output (JSON, CSV for tools, the GeoPackage) keeps plain numbers.

>>> number(1234.5, 1), number(-0.1234, 3, sign=True), number(None)
('1.234,5', '-0,123', '—')
>>> percent(0.563, 1), percent(0.25), number(114950)
('56,3 %', '25 %', '114.950')

Halves round away from zero, as people round (not to the even neighbour):

>>> number(2.5), number(44.5), percent(0.125), number(-0.5), number(-0.4)
('3', '45', '13 %', '-1', '0')
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, localcontext

#: Shown where there is no number.
MISSING = "—"


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def number(value: object, decimals: int = 0, *, sign: bool = False, missing: str = MISSING) -> str:
    """``value`` with a thousands point and a decimal comma; ``missing`` for None/NaN."""
    if _is_missing(value):
        return missing
    spec = f"{'+' if sign else ''},.{decimals}f"
    # the shortest decimal form of the float, rounded half up (2.5 → 3, 0.125 → 0.13)
    as_float = float(value)  # type: ignore[arg-type]
    if not math.isfinite(as_float):
        return "∞" if as_float > 0 else "-∞"
    with localcontext() as ctx:
        ctx.prec = 60  # enough digits for any float at any number of decimals shown
        exact = Decimal(repr(as_float))
        rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0"
    text = format(rounded, spec)
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def percent(fraction: object, decimals: int = 0, *, missing: str = MISSING) -> str:
    """A fraction (0.563) as a Dutch percentage (``56,3 %``)."""
    if _is_missing(fraction):
        return missing
    return f"{number(100 * float(fraction), decimals)} %"  # type: ignore[arg-type]
