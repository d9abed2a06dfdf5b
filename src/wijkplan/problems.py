"""The one problem collector of wijkplan: every validator reports through it.

Loaders, the ledger validator and the config validator all collect problems
here and raise them together as one :class:`~wijkplan.errors.ValidationError`,
so a user fixes everything in one round. Every problem is one line in one
format::

    <file>[, regel <n>][: <record>][, veld '<field>']: <message>[: <value>]

for example ``data/geo/buurten.geojson, veld 'buurtcode': dubbele code: 'BU04840306'`` or
``afspraken.yaml, regel 41: afspraak PA2021-04a, veld 'status': onbekende status: 'klaar'``.

>>> p = Problems("buurten.geojson")
>>> p.add("buurtcode", "dubbele code", "BU04840306")
>>> p.add("jaar", "geen jaartal", "x", line=3, record="rij 2")
>>> print("\\n".join(p.items))
buurten.geojson, veld 'buurtcode': dubbele code: 'BU04840306'
buurten.geojson, regel 3: rij 2, veld 'jaar': geen jaartal: 'x'
"""

from __future__ import annotations

from collections.abc import Sequence

from wijkplan.errors import ValidationError

#: At most this many lines per kind of problem; the rest is summarised in one line.
MAX_LINES = 10

_NO_VALUE: object = object()


class Problems:
    """Collects the problems of one source; :meth:`raise_if_any` raises them together."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[str] = []

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def add(
        self,
        field: str | None,
        message: str,
        value: object = _NO_VALUE,
        *,
        line: int | None = None,
        record: str | None = None,
    ) -> None:
        """Record one problem; ``value`` (any object, shown with ``repr``) is optional.

        ``None`` as value means "no value to show", as omitting it does.
        """
        head = self.source
        if line is not None:
            head += f", regel {line}"
        if record:
            head += f": {record}"
        if field:
            head += f", veld '{field}'"
        text = f"{head}: {message}"
        if value is not _NO_VALUE and value is not None:
            text += f": {value!r}"
        self.items.append(text)

    def add_capped(self, field: str | None, message: str, values: Sequence[object]) -> None:
        """One line per value for the first :data:`MAX_LINES` values, then one line with the rest."""
        for v in values[:MAX_LINES]:
            self.add(field, message, v)
        if len(values) > MAX_LINES:
            self.add(field, f"{message}: en nog {len(values) - MAX_LINES} rijen")

    def add_grouped(self, field: str | None, message: str, values: Sequence[object]) -> None:
        """One line per distinct value (with how many rows have it), at most :data:`MAX_LINES`.

        >>> p = Problems("f.csv")
        >>> p.add_grouped("Perioden", "onbekende periode", ["2022XX00"] * 12)
        >>> p.items
        ["f.csv, veld 'Perioden': onbekende periode: '2022XX00' (12 rijen)"]
        """
        counts: dict[object, int] = {}
        for v in values:
            counts[v] = counts.get(v, 0) + 1
        for value, n in list(counts.items())[:MAX_LINES]:
            self.add(field, message, value)
            if n > 1:
                self.items[-1] += f" ({n} rijen)"
        if len(counts) > MAX_LINES:
            self.add(field, f"{message}: en nog {len(counts) - MAX_LINES} andere waarden")

    def extend(self, lines: Sequence[str]) -> None:
        """Take over problems that another collector already formatted."""
        self.items.extend(lines)

    def error(self) -> ValidationError:
        return ValidationError(self.items, source=self.source)

    def raise_if_any(self) -> None:
        if self.items:
            raise self.error()
