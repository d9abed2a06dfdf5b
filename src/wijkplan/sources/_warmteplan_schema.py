"""The declared schema of the heat plan file (``warmteplan.yaml``): one pydantic model per part.

:mod:`wijkplan.sources.warmteplan` reads the YAML with its line marks and validates it
against :class:`Document`; every error becomes one Dutch line (file, line, record, field,
value). Strategies and phases are the fixed vocabulary of ``config/warmte.toml``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
)

from wijkplan.config.heat import OBJECT_KINDS as CONFIG_OBJECT_KINDS
from wijkplan.config.heat import PHASES, STRATEGIES
from wijkplan.settings import BUURTCODE_RE, GEMEENTECODE_RE, WIJKCODE_RE

#: How a district's extent is known: published, or an assumption of whoever wrote the plan.
BOUNDARY_KINDS = ("gepubliceerd", "aanname")
#: Kinds of object an aquathermal project can connect (the heat config's kinds, and homes).
OBJECT_KINDS = ("woningen", *CONFIG_OBJECT_KINDS)


def _strip(value: object) -> object:
    return " ".join(value.split()) if isinstance(value, str) else value


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError("mag niet leeg zijn")
    return value


Text = Annotated[StrictStr, BeforeValidator(_strip), AfterValidator(_not_blank)]
OptionalText = Annotated[StrictStr | None, BeforeValidator(_strip)]
Year = Annotated[StrictInt, Field(ge=1900, le=2100)]


def _one_of(values: Sequence[str], what: str) -> AfterValidator:
    def check(value: str) -> str:
        if value not in values:
            raise ValueError(f"onbekende {what} (kies uit: {', '.join(values)})")
        return value

    return AfterValidator(check)


def _codes(pattern: re.Pattern[str], what: str) -> AfterValidator:
    def check(values: list[str]) -> list[str]:
        bad = [v for v in values if not pattern.match(v)]
        if bad:
            raise ValueError(f"onjuist gevormde {what}: {', '.join(map(repr, bad))}")
        if len(set(values)) != len(values):
            raise ValueError(f"{what} staat twee keer in de lijst")
        return values

    return AfterValidator(check)


def _none_is_empty(value: object) -> object:
    return [] if value is None else value


Strategy = Annotated[StrictStr, BeforeValidator(_strip), _one_of(STRATEGIES, "strategie")]
Phase = Annotated[StrictStr, BeforeValidator(_strip), _one_of(PHASES, "fase")]
BuurtCodes = Annotated[
    list[StrictStr], BeforeValidator(_none_is_empty), _codes(BUURTCODE_RE, "buurtcode")
]
WijkCodes = Annotated[
    list[StrictStr], BeforeValidator(_none_is_empty), _codes(WIJKCODE_RE, "wijkcode")
]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Meta(_Record):
    titel: Text
    gemeentecode: Annotated[StrictStr, AfterValidator(lambda v: _gemeentecode(v))]
    bron: Text
    vastgesteld: dt.date | None = None
    stand_op: dt.date | None = None
    toelichting: OptionalText = None


def _gemeentecode(value: str) -> str:
    if not GEMEENTECODE_RE.match(value):
        raise ValueError("onjuist gevormde gemeentecode (GM + 4 cijfers)")
    return value


class _Default(_Record):
    strategie: Strategy
    bron: OptionalText = None


class _District(_Record):
    gebied_id: Text
    naam: Text
    volgnummer: StrictInt | None = None
    buurtcodes: BuurtCodes = []
    wijkcodes: WijkCodes = []
    begrenzing: Annotated[StrictStr, _one_of(BOUNDARY_KINDS, "begrenzing")]
    begrenzing_bron: OptionalText = None
    strategie: Strategy
    warmtebron: OptionalText = None
    strategie_bron: Text
    fase: Phase | None = None
    fase_bron: OptionalText = None
    startjaar: Year | None = None
    startjaar_bron: OptionalText = None
    periode: Annotated[
        StrictStr | None,
        BeforeValidator(lambda v: _strip(str(v)) if isinstance(v, int) else _strip(v)),
    ] = None


class _BuurtRow(_Record):
    buurtcode: Annotated[StrictStr, AfterValidator(lambda v: _buurtcode(v))]
    strategie: Strategy
    fase: Phase | None = None
    startjaar: Year | None = None
    bron: Text


def _buurtcode(value: str) -> str:
    if not BUURTCODE_RE.match(value):
        raise ValueError("onjuist gevormde buurtcode (BU + 8 tekens)")
    return value


class _Share(_Record):
    waarde: Annotated[
        float, BeforeValidator(lambda v: float(v) if isinstance(v, int) else v), Field(ge=0, le=100)
    ]
    eenheid: Text
    bron: Text


class _Object(_Record):
    naam: Text
    soort: Annotated[StrictStr, _one_of(OBJECT_KINDS, "soort")]
    eigenaar: OptionalText = None
    status: Text
    bron: Text
    complex_naam: OptionalText = None
    locatie: tuple[float, float] | None = None


class _Aquathermal(_Record):
    gebied_id: Text
    naam: Text
    bronwater: Text
    techniek: Text
    leverancier: OptionalText = None
    leverancier_bron: OptionalText = None
    aandeel_warmtevraag_ondertekenaars: _Share | None = None
    objecten: list[_Object] = []
    toelichting: OptionalText = None


class Document(_Record):
    metadata: _Meta
    buiten_gebieden: _Default
    gebieden: list[_District] = []
    buurten: Annotated[list[_BuurtRow], BeforeValidator(_none_is_empty)] = []
    aquathermie: _Aquathermal | None = None


SECTIONS = tuple(Document.model_fields)
RECORDS = {
    "gebieden": ("gebied", "gebied_id"),
    "buurten": ("buurt", "buurtcode"),
}
DOCUMENT = "verwacht een YAML-document met de onderdelen " + ", ".join(SECTIONS)
ERROR_TYPE = "value_error"
