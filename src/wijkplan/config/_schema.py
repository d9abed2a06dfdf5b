"""The declared schema of ``leefbaarheid.toml``: one pydantic model per table.

Types are strict (``drempel = "5"`` or ``drempel = true`` is not a number) and
unknown keys are refused. Every check raises :func:`invalid` with its Dutch
message (error type ``wijkplan``); a check that finds several problems raises
them together with :func:`raise_all`. :mod:`wijkplan.config` turns the errors
into problem lines naming the dotted key (``veld 'prioriteit.gewichten'``).

>>> Privacy.model_validate({"drempel": 5}).drempel
5
"""

from __future__ import annotations

import itertools
import math
import re
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from wijkplan.errors import SourceNotFoundError
from wijkplan.problems import Problems

#: The Leefbaarometer score columns, in band order.
SCORE_COLUMNS = ("lbm", "afw", "won", "fys", "vrz", "soc", "onv")
#: The error type of every check of this module; its message is already Dutch.
ERROR_TYPE = "wijkplan"
_CODE_RE = re.compile(r"^\d+\.\d+\.\d+$")
_INPUT: Any = object()

Loc = tuple[str | int, ...]


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
        raise ValidationError.from_exception_data("leefbaarheid", details)


# --------------------------------------------------------------------------- values


def _list_of(message: str, not_a_list: str = "verkeerd type") -> WrapValidator:
    """A list whose elements are checked by type: one problem for the whole list."""

    def wrap(value: object, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(value)
        except ValidationError:
            raise invalid(message if isinstance(value, list) else not_a_list) from None

    return WrapValidator(wrap)


def _at_least(lo: int) -> AfterValidator:
    def check(value: int) -> int:
        if value < lo:
            raise invalid(f"moet minstens {lo} zijn")
        return value

    return AfterValidator(check)


def _one_of(choices: Sequence[str], message: str) -> AfterValidator:
    def check(value: str) -> str:
        if value not in choices:
            raise invalid(message)
        return value

    return AfterValidator(check)


def _checks(*checks: Callable[[Any], list[tuple[Loc, str, object]]]) -> AfterValidator:
    """Checks that each return their problems; all are raised together."""

    def check(value: Any) -> Any:
        raise_all([issue for c in checks for issue in c(value)])
        return value

    return AfterValidator(check)


Texts = Annotated[list[StrictStr], _list_of("verwacht een lijst van teksten")]
Numbers = Annotated[list[StrictFloat], _list_of("verwacht een lijst van getallen")]


class _Table(BaseModel):
    """Every table: strict types, no unknown keys, immutable once read."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --------------------------------------------------------------------------- [klassen]


def _nine_labels(labels: list[str]) -> list[tuple[Loc, str, object]]:
    if len(labels) != 9:
        return [((), f"verwacht 9 klassen, gevonden {len(labels)}", labels)]
    return []


def _bounds(bounds: list[float]) -> list[tuple[Loc, str, object]]:
    issues: list[tuple[Loc, str, object]] = []
    if len(bounds) != 8:
        issues.append(((), f"verwacht 8 grenzen (klasse 2..9), gevonden {len(bounds)}", None))
    for low, high in itertools.pairwise(bounds):
        if not low < high:
            issues.append(((), "grenzen moeten strikt oplopen", [low, high]))
    return issues


def _weak_class(value: str, info: ValidationInfo) -> str:
    labels: list[str] | None = info.data.get("labels")
    if labels is not None and value not in labels:
        raise invalid("geen van de klassen")
    if labels is not None and labels.index(value) == len(labels) - 1:
        raise invalid("de hoogste klasse kan niet zwak zijn")
    return value


class Klassen(_Table):
    labels: Annotated[Texts, _checks(_nine_labels)]
    variabele: Annotated[
        StrictStr, _one_of(SCORE_COLUMNS, f"onbekende score; kies uit {', '.join(SCORE_COLUMNS)}")
    ]
    grenzen: Annotated[Numbers, _checks(_bounds)]
    # after the labels: it must be one of them
    zwak_tot_en_met: Annotated[StrictStr, AfterValidator(_weak_class)]
    min_cellen: Annotated[StrictInt, _at_least(1)]


# --------------------------------------------------------------------------- [referentie], [privacy]


def _national(value: object) -> dict[int, float]:
    """Year (a key of digits) = the national mean score of that year."""
    if not isinstance(value, dict):
        raise invalid("verkeerd type")
    issues: list[tuple[Loc, str, object]] = []
    out: dict[int, float] = {}
    for year, mean in value.items():
        if not str(year).isdigit() or isinstance(mean, bool) or not isinstance(mean, int | float):
            issues.append(((), "verwacht jaar = getal", {year: mean}))
        else:
            out[int(year)] = float(mean)
    raise_all(issues)
    return out


class Referentie(_Table):
    nationaal_lbm: Annotated[dict[int, float], PlainValidator(_national)] = Field(
        default_factory=dict
    )


class Privacy(_Table):
    drempel: Annotated[StrictInt, _at_least(2)]


# --------------------------------------------------------------------------- [incidenten]


def _lower_case_once(categories: list[str]) -> list[tuple[Loc, str, object]]:
    issues: list[tuple[Loc, str, object]] = [
        ((), "schrijf categorieën in kleine letters", c)
        for c in categories
        if c != c.strip().lower() or not c
    ]
    for c in sorted({c for c in categories if categories.count(c) > 1}):
        issues.append(((), "dubbele categorie", c))
    return issues


Codes = Annotated[
    list[StrictStr],
    _list_of("verwacht een lijst van codes", not_a_list="verwacht een lijst van codes"),
]


def _police(police: dict[str, list[str]], info: ValidationInfo) -> dict[str, list[str]]:
    """Known categories, each with SoortMisdrijf codes (``1.4.6``, never the total ``0.0.0``).

    A code belongs to one category only. The codes are returned stripped.
    """
    categories: list[str] | None = info.data.get("categorieen")
    issues: list[tuple[Loc, str, object]] = []
    linked: dict[str, str] = {}
    for category, codes in police.items():
        if categories is not None and category not in categories:
            issues.append(((category,), "categorie staat niet in incidenten.categorieen", category))
        for code in codes:
            if not _CODE_RE.match(code.strip()):
                message = "onjuist gevormde SoortMisdrijf-code (verwacht bijv. '1.4.6')"
            elif code.strip() == "0.0.0":
                message = "'0.0.0' is het totaal van alle misdrijven en telt niet mee"
            elif code.strip() in linked:
                message = f"code al gekoppeld aan '{linked[code.strip()]}'"
            else:
                linked[code.strip()] = category
                continue
            issues.append(((category,), message, code))
    raise_all(issues)
    return {category: [code.strip() for code in codes] for category, codes in police.items()}


class PolitieOverlast(_Table):
    categorie: StrictStr
    totaal_code: StrictStr


def _known_nuisance(overlast: PolitieOverlast, info: ValidationInfo) -> PolitieOverlast:
    categories: list[str] | None = info.data.get("categorieen")
    if categories is not None and overlast.categorie not in categories:
        raise_all([(("categorie",), "geen bekende categorie", overlast.categorie)])
    return overlast


class Incidenten(_Table):
    categorieen: Annotated[Texts, _checks(_lower_case_once)]
    # after the categories: they refer to them
    politie: Annotated[dict[str, Codes], AfterValidator(_police)]
    politie_overlast: Annotated[PolitieOverlast, AfterValidator(_known_nuisance)]


# --------------------------------------------------------------------------- [prioriteit]


def _weight(value: object, handler: ValidatorFunctionWrapHandler) -> float:
    try:
        weight = float(handler(value))
    except ValidationError:
        weight = -1.0
    if weight < 0:
        raise invalid("verwacht een getal ≥ 0")
    return weight


Weight = Annotated[StrictFloat, WrapValidator(_weight)]


class Gewichten(_Table):
    """The weights of the priority components; they add up to 1."""

    lage_score: Weight
    aandeel_zwak: Weight
    incidenten: Weight

    @model_validator(mode="after")
    def _add_up_to_one(self) -> Gewichten:
        total = sum(getattr(self, name) for name in type(self).model_fields)
        if not math.isclose(total, 1.0, abs_tol=1e-6):
            raise invalid("gewichten tellen niet op tot 1", round(total, 6))
        return self


#: The components of the liveability priority; their weights live in the config.
PRIORITY_COMPONENTS: tuple[str, ...] = tuple(Gewichten.model_fields)


class Prioriteit(_Table):
    normalisatie: Annotated[StrictStr, _one_of(("minmax", "z"), "kies 'minmax' of 'z'")]
    gewichten: Gewichten


# --------------------------------------------------------------------------- the file


class ConfigFile(_Table):
    """The whole of ``leefbaarheid.toml``."""

    schema_version: StrictInt | None = Field(default=None, alias="schema")
    klassen: Klassen
    referentie: Referentie = Field(default_factory=Referentie)
    privacy: Privacy
    incidenten: Incidenten
    prioriteit: Prioriteit


def read_toml(path: Path) -> tuple[dict[str, Any], Problems]:
    """A configuration file's TOML and the collector for its problems; an unreadable file is
    one line (not UTF-8, not TOML), a missing one SourceNotFoundError."""
    if not path.is_file():
        raise SourceNotFoundError(f"{path}: configuratiebestand bestaat niet")
    problems = Problems(str(path))
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        problems.add(None, f"geen UTF-8-tekst ({exc.reason} bij byte {exc.start})")
        raise problems.error() from None
    except tomllib.TOMLDecodeError as exc:
        problems.add(None, f"geen geldige TOML ({exc})")
        raise problems.error() from None
    return raw, problems
