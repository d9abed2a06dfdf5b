"""The declared schema of the ledger file: one pydantic model per kind of record.

:mod:`wijkplan.afspraken.ledger` reads the YAML, validates it against
:class:`Document` and turns every error into one Dutch problem line. The models
check types (strictly: a number is not a text, ``ja`` is not ``true``), forms
(ids, periods, BU/WK/GM codes) and, given a :class:`LedgerContext`, every
reference to what the rest of the file declares (parties, themes, statuses,
regie and heat areas) or to the known areas. The checks of one field never
depend on the fate of another record, so all problems of a file show up at once.

Each check raises :func:`invalid` with its Dutch message (error type
``wijkplan``); checks that find several problems at once raise them together
with :func:`raise_all`, each at its own place.

>>> Partij.model_validate({"id": "gemeente", "naam": "  Gemeente   Test "}).naam
'Gemeente Test'
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, TypeGuard

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from wijkplan.afspraken.model import (
    DEFAULT_STATUSSEN,
    DEFAULT_THEMAS,
    NIVEAUS,
    NOG_VAST_TE_STELLEN,
)
from wijkplan.settings import BUURTCODE_RE, GEMEENTECODE_RE, WIJKCODE_RE

if TYPE_CHECKING:
    from wijkplan.areas import Areas

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
#: A period: one year ("2021") or a span ("2017-2021").
PERIODE_RE = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


def _span(m: re.Match[str]) -> tuple[int, int]:
    return int(m.group(1)), int(m.group(2) or m.group(1))


CODE_RE = {"gemeente": GEMEENTECODE_RE, "wijk": WIJKCODE_RE, "buurt": BUURTCODE_RE}

#: The error type of every check of this module; its message is already Dutch.
ERROR_TYPE = "wijkplan"
_INPUT: Any = object()

Loc = tuple[str | int, ...]


# --------------------------------------------------------------------------- reporting


def invalid(message: str, value: object = _INPUT) -> PydanticCustomError:
    """A problem with a Dutch message; ``value`` replaces the input shown (None: show none)."""
    context = None if value is _INPUT else {"waarde": value}
    return PydanticCustomError(ERROR_TYPE, message, context)


def raise_all(issues: Sequence[tuple[Loc, str, object]]) -> None:
    """Raise several problems at once, each at ``loc`` below the value being validated."""
    if issues:
        details: list[InitErrorDetails] = [
            {"type": invalid(message, value), "loc": loc, "input": value}
            for loc, message, value in issues
        ]
        raise ValidationError.from_exception_data("ledger", details)


# --------------------------------------------------------------------------- the context


@dataclass(frozen=True)
class LedgerContext:
    """What the whole file declares, for the checks of one record (the validation context).

    Without a context (``context=None``) only what a record says about itself is checked.
    """

    themas: tuple[str, ...] = DEFAULT_THEMAS
    statussen: tuple[str, ...] = DEFAULT_STATUSSEN
    #: the ids of each kind of record; None where the file's section is unusable
    #: (then references to it are not checked, rather than all reported)
    partij_ids: frozenset[str] | None = frozenset()
    regie_ids: frozenset[str] | None = frozenset()
    warmte_ids: frozenset[str] | None = frozenset()
    #: the metadata's year and period, inherited by agreements that give none
    jaar: int = 0
    periode: str = ""
    areas: Areas | None = None


def _context(info: ValidationInfo) -> LedgerContext | None:
    return info.context if isinstance(info.context, LedgerContext) else None


def _unknown(info: ValidationInfo, kind: str, value: str) -> bool:
    """Whether ``value`` is surely not among the ids of ``kind`` (``partij_ids``, ...)."""
    ctx = _context(info)
    ids: frozenset[str] | None = getattr(ctx, kind) if ctx is not None else None
    return ids is not None and value not in ids


# --------------------------------------------------------------------------- values


def _text(value: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise invalid("verwacht tekst")
    return text


def _optional_text(value: str | None) -> str | None:
    return None if value is None else " ".join(value.split()) or None


def _record_id(value: object) -> str:
    if not isinstance(value, str) or not ID_RE.match(value):
        raise invalid("ongeldige id (letters, cijfers, '.', '_' of '-')")
    return value


def is_record_id(value: object) -> TypeGuard[str]:
    """Whether ``value`` is a well-formed record id.

    >>> is_record_id("PA2021-01a"), is_record_id("a b"), is_record_id(3)
    (True, False, False)
    """
    return isinstance(value, str) and ID_RE.match(value) is not None


def _periode(value: object) -> str:
    m = PERIODE_RE.match(value.strip()) if isinstance(value, str) else None
    if m is None or _span(m)[0] > _span(m)[1]:
        raise invalid("verwacht een periode JJJJ of JJJJ-JJJJ")
    return m.group(0)


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise invalid("verwacht een datum JJJJ-MM-DD")


def _between(lo: int, hi: int | None = None) -> AfterValidator:
    def check(value: int) -> int:
        if value < lo or (hi is not None and value > hi):
            raise invalid(
                f"buiten het bereik {lo}..{hi}" if hi is not None else f"moet minstens {lo} zijn"
            )
        return value

    return AfterValidator(check)


def _number(value: object) -> float | None:
    """A target value: any finite number (kept as written: ``40`` stays ``40``), or nothing."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise invalid("verwacht een getal (of leeg laten)")
    return value


def _text_or_number(value: object) -> str:
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return str(value)
    raise invalid("verwacht tekst")


Text = Annotated[StrictStr, AfterValidator(_text)]
OptionalText = Annotated[StrictStr | None, AfterValidator(_optional_text)]
RecordId = Annotated[str, PlainValidator(_record_id)]
Periode = Annotated[str, PlainValidator(_periode)]
Datum = Annotated[dt.date, PlainValidator(_date)]
Jaar = Annotated[StrictInt, _between(1900, 2200)]


# --------------------------------------------------------------------------- references


def _in_vocabulary(kind: str, message: str) -> AfterValidator:
    """A theme or status: one of the file's vocabulary (``kind`` names the context field)."""

    def check(value: str, info: ValidationInfo) -> str:
        ctx = _context(info)
        if ctx is not None and value not in getattr(ctx, kind):
            raise invalid(message)
        return value

    return AfterValidator(check)


def _known_party(value: str, info: ValidationInfo) -> str:
    if _unknown(info, "partij_ids", value):
        raise invalid("onbekende partij")
    return value


def _lead(members: str) -> PlainValidator:
    """A trekker or regisseur: a party among the record's ``members``, or "nog vast te stellen"."""

    def check(value: object, info: ValidationInfo) -> str | None:
        if value is None or value == NOG_VAST_TE_STELLEN:
            return None
        if not isinstance(value, str):
            raise invalid("verwacht een partij-id of 'nog vast te stellen'")
        if _unknown(info, "partij_ids", value):
            raise invalid("onbekende partij")
        if members in info.data and value not in info.data[members]:
            raise invalid("staat niet bij de partijen/partners van dit record")
        return value

    return PlainValidator(check)


def _check_code(niveau: str, code: str, ctx: LedgerContext | None) -> None:
    """Form of a gemeente/wijk/buurt code, and its existence when the areas are known."""
    pattern = CODE_RE.get(niveau)
    if pattern is not None and not pattern.match(code):
        raise invalid(f"onjuist gevormde {niveau}code")
    if ctx is not None and ctx.areas is not None and ctx.areas.known(niveau, code) is False:
        raise invalid(f"onbekende {niveau}code (komt niet voor in de grenzen)")


def _area_code(niveau: str) -> AfterValidator:
    def check(value: str, info: ValidationInfo) -> str:
        _check_code(niveau, value, _context(info))
        return value

    return AfterValidator(check)


# --------------------------------------------------------------------------- lists


def _none_is_empty(value: object) -> object:
    """An empty YAML value (``partners:``) is an empty list."""
    return [] if value is None else value


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    issues: list[tuple[Loc, str, object]] = []
    for i, value in enumerate(values):
        if value in seen:
            issues.append(((i,), "dubbel in de lijst", value))
        seen.add(value)
    raise_all(issues)
    return values


def _not_empty(message: str) -> AfterValidator:
    def check(values: list[Any]) -> list[Any]:
        if not values:
            raise invalid(message, None)
        return values

    return AfterValidator(check)


TextItem = Annotated[StrictStr, AfterValidator(_text)]
PartyRef = Annotated[TextItem, AfterValidator(_known_party)]
BuurtCode = Annotated[TextItem, _area_code("buurt")]
WijkCode = Annotated[TextItem, _area_code("wijk")]

_EmptyIfNone = BeforeValidator(_none_is_empty)
_Unique = AfterValidator(_unique)
Vocabulary = Annotated[list[TextItem], _EmptyIfNone, _Unique, _not_empty("lege lijst")]
Parties = Annotated[list[PartyRef], _EmptyIfNone, _Unique]
BuurtCodes = Annotated[list[BuurtCode], _EmptyIfNone, _Unique]
WijkCodes = Annotated[list[WijkCode], _EmptyIfNone, _Unique]


# --------------------------------------------------------------------------- records


class _Record(BaseModel):
    """Every record: no unknown fields (a typo is an error), immutable once read."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _jaar_in_periode(jaar: int | None, info: ValidationInfo) -> int | None:
    """The year lies in the period; an agreement inherits what it leaves out from the metadata."""
    if "periode" not in info.data:  # the period itself is wrong (reported there)
        return jaar
    periode: str | None = info.data["periode"]
    if jaar is None and periode is None:  # both inherited: checked once, in the metadata
        return jaar
    ctx = _context(info)
    year = jaar if jaar is not None else (ctx.jaar if ctx else 0)
    span = periode if periode is not None else (ctx.periode if ctx else "")
    m = PERIODE_RE.match(span)
    if year and m and not _span(m)[0] <= year <= _span(m)[1]:
        raise invalid(f"valt buiten de periode {span}", year)
    return jaar


class Metadata(_Record):
    titel: Text
    ondertekend: Datum
    periode: Periode
    jaar: Annotated[Jaar, AfterValidator(_jaar_in_periode)]
    bron: Text
    toelichting: OptionalText = None


class Vocabulaire(_Record):
    themas: Vocabulary | None = None
    statussen: Vocabulary | None = None


class Partij(_Record):
    id: RecordId
    naam: Text
    soort: OptionalText = None
    ondertekenaar: StrictBool = False
    toelichting: OptionalText = None


class Regiegebied(_Record):
    regie_id: RecordId
    naam: Text
    buurtcodes: Annotated[BuurtCodes, _not_empty("een regiegebied heeft minstens één buurt")]
    partners: Parties
    regisseur: Annotated[str | None, _lead("partners")]
    toelichting: OptionalText = None


def _buurten_in_wijken(buurtcodes: list[str], info: ValidationInfo) -> list[str]:
    """A heat area has buurten or wijken, and its buurten lie in its wijken."""
    if "wijkcodes" not in info.data:
        return buurtcodes
    wijkcodes: list[str] = info.data["wijkcodes"]
    if not buurtcodes and not wijkcodes:
        raise invalid("geef buurtcodes of (als die niet bekend zijn) wijkcodes", None)
    if wijkcodes:
        raise_all(
            [
                ((i,), "buurt ligt niet in een van de wijkcodes", code)
                for i, code in enumerate(buurtcodes)
                if f"WK{code[2:8]}" not in wijkcodes
            ]
        )
    return buurtcodes


class Warmtegebied(_Record):
    gebied_id: RecordId
    naam: Text
    wijkcodes: WijkCodes
    buurtcodes: Annotated[BuurtCodes, AfterValidator(_buurten_in_wijken)]
    periode: Annotated[str, PlainValidator(_text_or_number)]
    status: Annotated[Text, _in_vocabulary("statussen", "onbekende status")]
    startjaar: Jaar | None = None
    strategie: OptionalText = None
    partners: Parties = []
    toelichting: OptionalText = None


def _niveau(value: object) -> str:
    if value not in NIVEAUS:
        raise invalid(f"onbekend niveau (kies uit {', '.join(NIVEAUS)})")
    return str(value)


def _link_code(value: object, info: ValidationInfo) -> Any:
    niveau = info.data.get("niveau")
    if niveau is None:  # the level is wrong (reported there); its code means nothing
        return value
    if not isinstance(value, str) or not value.strip():
        raise invalid(f"verwacht een {niveau}code")
    ctx = _context(info)
    if niveau == "regiegebied" and _unknown(info, "regie_ids", value):
        raise invalid("onbekend regiegebied (niet onder 'regiegebieden')")
    if niveau == "warmtegebied" and _unknown(info, "warmte_ids", value):
        raise invalid("onbekend warmtegebied (niet onder 'warmtegebieden')")
    areas = ctx.areas if ctx is not None else None
    if niveau == "complex" and areas is not None and areas.known("complex", value) is False:
        raise invalid("onbekend complex (komt niet voor in complexen)")
    if niveau in CODE_RE:
        _check_code(niveau, value, ctx)
    return value


class Gebied(_Record):
    """A link of an agreement to one area: ``{niveau: buurt, code: BU04840306}``."""

    niveau: Annotated[str, PlainValidator(_niveau)]
    code: Annotated[str, PlainValidator(_link_code)]

    @model_validator(mode="before")
    @classmethod
    def _two_keys(cls, value: object) -> object:
        if not isinstance(value, dict) or set(value) != {"niveau", "code"}:
            raise invalid("verwacht {niveau: ..., code: ...}")
        return value


def _distinct_links(links: list[Gebied]) -> list[Gebied]:
    seen: set[tuple[str, str]] = set()
    issues: list[tuple[Loc, str, object]] = []
    for i, link in enumerate(links):
        key = (link.niveau, link.code)
        if key in seen:
            issues.append(((i,), "dubbel gebied", f"{link.niveau} {link.code}"))
        seen.add(key)
    raise_all(issues)
    return links


def _with_unit(eenheid: str | None, info: ValidationInfo) -> str | None:
    streefwaarde = info.data.get("streefwaarde")
    if streefwaarde is not None and eenheid is None:
        raise invalid("een streefwaarde heeft een eenheid nodig", streefwaarde)
    return eenheid


class Afspraak(_Record):
    id: RecordId
    thema: Annotated[Text, _in_vocabulary("themas", "onbekend thema")]
    titel: Text
    tekst: Text
    partijen: Annotated[Parties, _not_empty("minstens één partij")]
    trekker: Annotated[str | None, _lead("partijen")]
    indicator: Text
    status: Annotated[Text, _in_vocabulary("statussen", "onbekende status")]
    gebieden: Annotated[
        list[Gebied],
        _EmptyIfNone,
        _not_empty("minstens één gebied (gemeente, wijk, buurt, ...)"),
        AfterValidator(_distinct_links),
    ]
    # the period before the year: the year is checked against it
    periode: Periode | None = None
    jaar: Annotated[Jaar | None, AfterValidator(_jaar_in_periode)] = Field(
        default=None, validate_default=True
    )
    streefwaarde: Annotated[float | None, PlainValidator(_number)] = None
    eenheid: Annotated[OptionalText, AfterValidator(_with_unit)] = Field(
        default=None, validate_default=True
    )
    voortgang: Annotated[StrictInt, _between(0, 100)] | None = None
    voorbeeld: Annotated[StrictInt, _between(1)] | None = None
    toelichting: OptionalText = None


# --------------------------------------------------------------------------- the file


class Document(_Record):
    """The whole ledger file: its sections, in the order they are checked."""

    metadata: Metadata
    vocabulaire: Vocabulaire | None = None
    partijen: Annotated[list[Partij], _EmptyIfNone]
    regiegebieden: Annotated[list[Regiegebied], _EmptyIfNone] = []
    warmtegebieden: Annotated[list[Warmtegebied], _EmptyIfNone] = []
    afspraken: Annotated[list[Afspraak], _EmptyIfNone, _not_empty("geen afspraken in het bestand")]


#: The sections of a ledger file.
SECTIONS: tuple[str, ...] = tuple(Document.model_fields)
#: The sections that are lists of records: (record label, id field).
RECORDS: dict[str, tuple[str, str]] = {
    "partijen": ("partij", "id"),
    "regiegebieden": ("regiegebied", "regie_id"),
    "warmtegebieden": ("warmtegebied", "gebied_id"),
    "afspraken": ("afspraak", "id"),
}
