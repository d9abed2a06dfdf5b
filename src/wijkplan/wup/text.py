"""How the draft wijkuitvoeringsplan writes values: dates, numbers, quantities, sample marks.

The section builders of the outline (:mod:`wijkplan.wup.outline` and
:mod:`wijkplan.wup.sections`) format every value through these helpers, so that a
missing value, a Dutch date, a quantity with its unit and the "(voorbeelddata)" mark
look the same everywhere in the document.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from wijkplan.config.heat import HeatConfig
from wijkplan.dossier.model import AquathermalPart, BuurtHeatRow, Quantity
from wijkplan.numbers import MISSING, number, percent
from wijkplan.report import SAMPLE, BuildReport
from wijkplan.settings import is_sample
from wijkplan.wup.model import Paragraph

__all__ = [
    "NOT_FOR_DECISIONS",
    "PER_BUURT",
    "SAMPLE_MARK",
    "SampleCheck",
    "cell",
    "dutch_date",
    "empty",
    "join",
    "marked",
    "part_is_sample",
    "quantity_is_sample",
    "quantity_label",
    "quantity_text",
    "row_is_sample",
    "says_sample",
]

_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)  # fmt: skip
SAMPLE_MARK = "voorbeelddata"
#: Shown for an area of several buurten that has no value of its own.
PER_BUURT = "per buurt, zie de tabel per buurt"
NOT_FOR_DECISIONS = "niet gebruiken voor besluiten"


def dutch_date(value: dt.date | dt.datetime | str | None) -> str:
    """``2 december 2026`` (a datetime also with its time, an ISO text parsed first).

    >>> dutch_date(dt.date(2026, 12, 2)), dutch_date("2026-12-02T07:07:29+00:00")
    ('2 december 2026', '2 december 2026, 07:07 UTC')
    >>> dutch_date("2020-12-09"), dutch_date("gisteren"), dutch_date(None)
    ('9 december 2020', 'gisteren', '—')
    """
    if value is None:
        return MISSING
    if isinstance(value, str):
        text = value
        try:
            value = (
                dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
            )
        except ValueError:
            return text
    text = f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    if isinstance(value, dt.datetime):
        zone = " UTC" if value.utcoffset() == dt.timedelta(0) else ""
        text += f", {value:%H:%M}{zone}"
    return text


def says_sample(bron: object) -> bool:
    """Whether a source text says that its value rests on sample data.

    >>> says_sample("som van de buurten; EP-Online, geplaatst via BAG-pand (voorbeelddata)")
    True
    >>> says_sample("BAG panden (bag-light.gpkg)"), says_sample(None)
    (False, False)
    """
    return isinstance(bron, str) and (is_sample(bron) or SAMPLE_MARK in bron.lower())


def quantity_is_sample(q: Quantity) -> bool:
    """A quantity with a value whose source says it rests on sample data."""
    return q.waarde is not None and says_sample(q.bron)


def part_is_sample(p: AquathermalPart) -> bool:
    """A part of the aquathermal project whose location or numbers rest on sample data.

    The dossier says so in the part's ``voorbeelddata`` flag, its ``ligging`` or its source.
    """
    return (
        bool(getattr(p, "voorbeelddata", False)) or p.ligging == SAMPLE_MARK or says_sample(p.bron)
    )


def row_is_sample(b: BuurtHeatRow) -> bool:
    """A buurt of the table per buurt whose homes and inputs rest partly on sample data."""
    return bool(getattr(b, "voorbeelddata", False))


@dataclass(frozen=True)
class SampleCheck:
    """Whether the source text of a key figure (kerncijfer) points at sample data.

    A text is sample data when it says so ("voorbeelddata …") or names the file of a
    source the build report lists as sample data (``bag-light.gpkg``). Figures carry no
    flag of their own; quantities, parts of the aquathermal project and buurten of the
    table per buurt do, and are judged by :func:`quantity_is_sample`,
    :func:`part_is_sample` and :func:`row_is_sample` instead.

    >>> s = SampleCheck(frozenset({"bag-light.gpkg"}))
    >>> s("BAG panden (bag-light.gpkg)"), s("voorbeelddata (wijkplan)"), s("CBS 2024"), s(None)
    (True, True, False, False)
    """

    files: frozenset[str] = frozenset()
    #: every kerncijfers source is sample data (for a figure without its own source)
    kerncijfers: bool = False

    @classmethod
    def of(cls, report: BuildReport) -> SampleCheck:
        files = frozenset(Path(s.path).name for s in report.sources if s.kind == SAMPLE and s.path)
        kinds = {s.kind for s in report.sources if s.name == "kerncijfers"}
        return cls(files, kinds == {SAMPLE})

    def __call__(self, bron: str | None) -> bool:
        if not bron:
            return False
        text = str(bron)
        return says_sample(text) or any(f in text for f in self.files)


def marked(text: str, sample: bool) -> str:
    return f"{text} ({SAMPLE_MARK})" if sample else text


def cell(value: object) -> str:
    """A value as a table cell or text: the value, or ``—`` when there is none.

    A whole number is written without decimals, also when the dossier hands it over as a
    float (a year read from a column with empty cells); no thousands separator, so that
    a year stays a year:

    >>> cell(2022.0), cell(1961), cell(2.5), cell(float("nan")), cell(" "), cell("verkenning")
    ('2022', '1961', '2.5', '—', '—', 'verkenning')
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return MISSING
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number_value = float(value)
        if math.isnan(number_value):
            return MISSING
        if number_value.is_integer():
            return str(int(number_value))
    return str(value)


def _auto_number(value: float) -> str:
    """A number with as many decimals as it needs (at most 5; none from 100 up)."""
    if float(value).is_integer() or abs(value) >= 100:
        return number(value, 0)
    if abs(value) >= 10:
        return number(value, 1)
    decimals = next((d for d in range(1, 6) if round(value, d) == round(value, 6)), 5)
    return number(value, decimals)


def quantity_text(q: Quantity, config: HeatConfig | None = None, *, unit: bool = True) -> str:
    """A quantity's value as a reader sees it, with its unit (``unit=False``: without).

    >>> quantity_text(Quantity("x", "x", 0.4512, "fractie"))
    '45 %'
    >>> quantity_text(Quantity("c", "c", 0.03517, "GJ/m³")), quantity_text(Quantity("n", "n", None))
    ('0,03517 GJ/m³', 'onbekend')
    """
    if q.waarde is None:
        return "onbekend"
    spec = config.inputs.get(q.naam) if config is not None else None
    if spec is not None and spec.percent:
        return percent(q.waarde, spec.decimals)
    if spec is None and (q.eenheid or "").startswith("fractie") and unit:
        return percent(q.waarde, 0 if abs(q.waarde) >= 0.1 else 1)
    if spec is not None:
        text = number(q.waarde, spec.decimals)
    elif q.soort == "uitkomst":  # a result: no false precision
        text = number(q.waarde, 0 if abs(q.waarde) >= 100 else 1 if abs(q.waarde) >= 1 else 2)
    else:
        text = _auto_number(q.waarde)
    shown_unit = spec.unit if spec is not None else q.eenheid
    if unit and shown_unit and shown_unit != "aantal":
        text += f" {shown_unit}"
    return text


def quantity_label(q: Quantity, config: HeatConfig | None) -> str:
    spec = config.inputs.get(q.naam) if config is not None else None
    label = spec.label if spec is not None else q.omschrijving or q.naam
    return label[:1].upper() + label[1:]


def join(items: Sequence[str]) -> str:
    """``a``, ``a en b``, ``a, b en c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def empty(text: str = "Geen gegevens in deze build.") -> Paragraph:
    """A small note where a section has nothing to show."""
    return Paragraph(text, "klein")
