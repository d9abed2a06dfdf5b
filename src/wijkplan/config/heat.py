"""Configurable choices of the heat transition, read from ``warmte.toml``.

The bundled file (next to this module) is the one documented place for the strategy and
phase vocabulary, the inputs and rules of the strategy indicator, the corporation as
launching customer, the coefficients of the aquathermal estimate and the figures shown as
published. :func:`load_heat_config` validates it against the pydantic models below and
reports every problem at once, one line each, naming the file, the dotted key (a rule or
condition by its number, counted from 1) and the value::

    warmte.toml, veld 'regel[2].voorwaarden[1].op': onbekende operator (kies uit >=, <=, >, <): '=='

The vocabulary (:data:`STRATEGIES`, :data:`PHASES`) is read from the bundled file; a custom
file may change colours, descriptions, inputs, rules and coefficients but not these names,
because the plan file, the layers and the documents use them.

>>> cfg = load_heat_config()
>>> STRATEGIES[0], PHASES[-1], cfg.fallback
('warmtenet midden/hoge temperatuur', 'aardgasvrij', 'nog te bepalen')
>>> cfg.rules[1].conditions[0].text_op
'≥'
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    AfterValidator,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationInfo,
)
from pydantic import ValidationError as PydanticError

from wijkplan.config._schema import ERROR_TYPE, Loc, _Table, invalid, raise_all, read_toml
from wijkplan.problems import Problems

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

__all__ = [
    "COEFFICIENTS",
    "DEFAULT_HEAT_CONFIG",
    "OBJECT_KINDS",
    "OPERATORS",
    "PHASES",
    "STRATEGIES",
    "Coefficient",
    "Condition",
    "HeatConfig",
    "InputSpec",
    "LaunchingCustomer",
    "Phase",
    "Rule",
    "Strategy",
    "load_heat_config",
]

DEFAULT_HEAT_CONFIG = Path(__file__).with_name("warmte.toml")

#: The comparison operators of a condition, with the sign shown to a reader.
OPERATORS: Mapping[str, str] = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}
_COMPARE: Mapping[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}
#: The kinds of non-residential object whose heat demand is a coefficient ``warmtevraag_<kind>``.
OBJECT_KINDS: tuple[str, ...] = ("ziekenhuis", "verpleeghuis", "school")

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_RULE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


# =========================================================================== the public config


@dataclass(frozen=True)
class Strategy:
    """One heat strategy of the vocabulary; ``heat_network``: a collective heat network."""

    name: str
    colour: str
    heat_network: bool
    description: str


@dataclass(frozen=True)
class Phase:
    name: str
    description: str


@dataclass(frozen=True)
class InputSpec:
    """An input of the indicator: a column of the input frame.

    ``percent``: a fraction 0..1, shown as a percentage; ``decimals``: shown with this many.
    """

    name: str
    label: str
    unit: str
    meaning: str
    percent: bool
    decimals: int


@dataclass(frozen=True)
class Condition:
    """``input op value``; a missing input never holds (see :meth:`holds`)."""

    input: str
    op: str
    value: float

    @property
    def text_op(self) -> str:
        """The operator as a reader writes it (``≥``)."""
        return OPERATORS[self.op]

    def holds(self, actual: float | None) -> bool | None:
        """True or False; None when ``actual`` is missing (None or NaN).

        >>> c = Condition("woningdichtheid", ">=", 40.0)
        >>> c.holds(52.0), c.holds(12.0), c.holds(None), c.holds(float("nan"))
        (True, False, None, None)
        """
        if actual is None or actual != actual:
            return None
        return _COMPARE[self.op](actual, self.value)


@dataclass(frozen=True)
class Rule:
    id: str
    strategy: str
    explanation: str
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class LaunchingCustomer:
    """The corporation as launching customer: an extra reason, never a strategy."""

    condition: Condition
    text: str


@dataclass(frozen=True)
class Coefficient:
    name: str
    description: str
    value: float
    unit: str
    source: str


@dataclass(frozen=True)
class HeatConfig:
    """The validated contents of ``warmte.toml`` (see the file for the meaning)."""

    strategies: tuple[Strategy, ...]
    phases: tuple[Phase, ...]
    inputs: Mapping[str, InputSpec]
    rules: tuple[Rule, ...]
    fallback: str
    fallback_explanation: str
    launching_customer: LaunchingCustomer
    coefficients: Mapping[str, Coefficient]
    source: str = str(DEFAULT_HEAT_CONFIG)

    @property
    def strategy_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.strategies)

    @property
    def phase_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.phases)

    @property
    def colours(self) -> dict[str, str]:
        """Map colour (``#rrggbb``) per strategy name, in vocabulary order."""
        return {s.name: s.colour for s in self.strategies}

    def strategy(self, name: str) -> Strategy:
        """The strategy called ``name`` (KeyError if there is none)."""
        for s in self.strategies:
            if s.name == name:
                return s
        raise KeyError(name)

    def coefficient(self, name: str) -> Coefficient:
        return self.coefficients[name]


# =========================================================================== the schema
#
# Cross-references (a rule's strategy, a condition's input, duplicate ids) are checked
# against names peeked from the raw file and passed as validation context, so that every
# problem is found in one round, each at its own key.


def _context(info: ValidationInfo) -> dict[str, Any]:
    return info.context or {}


def _non_empty(value: str) -> str:
    if not value.strip():
        raise invalid("mag niet leeg zijn")
    return value


Text = Annotated[StrictStr, AfterValidator(_non_empty)]


def _hex(value: str) -> str:
    if not _HEX.match(value):
        raise invalid("verwacht een kleur als '#rrggbb'")
    return value


def _once(key: str, message: str) -> AfterValidator:
    """The value occurs once among the raw values ``context[key]``."""

    def check(value: str, info: ValidationInfo) -> str:
        if list(_context(info).get(key, ())).count(value) > 1:
            raise invalid(message)
        return value

    return AfterValidator(check)


def _known_strategy(value: str, info: ValidationInfo) -> str:
    names = _context(info).get("strategieen")
    if names is not None and value not in names:
        raise invalid(f"onbekende strategie (kies uit {', '.join(names)})")
    return value


def _known_input(value: str, info: ValidationInfo) -> str:
    inputs = _context(info).get("invoer")
    if inputs is not None and value not in inputs:
        raise invalid(f"onbekende invoer (kies uit {', '.join(inputs)})")
    return value


def _operator(value: str) -> str:
    if value not in OPERATORS:
        raise invalid(f"onbekende operator (kies uit {', '.join(OPERATORS)})")
    return value


def _threshold(value: float, info: ValidationInfo) -> float:
    """A finite number; between 0 and 1 when the input is a fraction."""
    if value != value or value in (float("inf"), float("-inf")):
        raise invalid("verwacht een eindig getal")
    inputs = _context(info).get("invoer") or {}
    if inputs.get(info.data.get("invoer")) and not 0 <= value <= 1:
        raise invalid("deze invoer is een fractie: de drempel moet tussen 0 en 1 liggen")
    return value


class Strategie(_Table):
    naam: Annotated[Text, _once("strategie_namen", "dubbele strategie")]
    kleur: Annotated[StrictStr, AfterValidator(_hex)]
    warmtenet: StrictBool
    omschrijving: Text


class Fase(_Table):
    naam: Annotated[Text, _once("fase_namen", "dubbele fase")]
    omschrijving: Text


def _decimals(value: int) -> int:
    if not 0 <= value <= 4:
        raise invalid("verwacht 0 tot en met 4 decimalen")
    return value


class Invoer(_Table):
    label: Text
    eenheid: Text
    betekenis: Text
    procent: StrictBool = False
    decimalen: Annotated[StrictInt, AfterValidator(_decimals)] = 0


class Voorwaarde(_Table):
    invoer: Annotated[StrictStr, AfterValidator(_known_input)]
    op: Annotated[StrictStr, AfterValidator(_operator)]
    # after the input: a fraction's threshold lies in 0..1
    waarde: Annotated[StrictFloat, AfterValidator(_threshold)]


def _at_least_one(conditions: list[Voorwaarde]) -> list[Voorwaarde]:
    if not conditions:
        raise invalid("verwacht minstens één voorwaarde")
    return conditions


def _rule_id(value: str) -> str:
    if not _RULE_ID.match(value):
        raise invalid("verwacht kleine letters, cijfers en '-' (bijv. 'mt-dichtheid')")
    return value


class Regel(_Table):
    id: Annotated[StrictStr, AfterValidator(_rule_id), _once("regel_ids", "dubbele regel-id")]
    strategie: Annotated[StrictStr, AfterValidator(_known_strategy)]
    uitleg: Text
    voorwaarden: Annotated[list[Voorwaarde], AfterValidator(_at_least_one)]


class Indicator(_Table):
    terugval: Annotated[StrictStr, AfterValidator(_known_strategy)]
    terugval_uitleg: Text


class Startmotor(Voorwaarde):
    tekst: Text


def _positive(value: float) -> float:
    if not value > 0 or value == float("inf"):
        raise invalid("moet groter dan 0 zijn")
    return value


def _fraction(value: float) -> float:
    if not 0 < value <= 1:
        raise invalid("verwacht een fractie groter dan 0 en hoogstens 1")
    return value


class Waarde(_Table):
    omschrijving: Text
    waarde: Annotated[StrictFloat, AfterValidator(_positive)]
    eenheid: Text
    bron: Text


class Fractie(Waarde):
    waarde: Annotated[StrictFloat, AfterValidator(_fraction)]


class Coefficienten(_Table):
    """The coefficients of the heat demand and the aquathermal estimate (all > 0)."""

    gas_energie_inhoud: Waarde
    aandeel_ruimteverwarming_tapwater: Fractie
    rendement_ketel: Fractie
    warmtevraag_per_woning: Waarde
    warmtevraag_ziekenhuis: Waarde
    warmtevraag_verpleeghuis: Waarde
    warmtevraag_school: Waarde
    aandeel_teo: Fractie
    vollasturen_teo: Waarde
    delta_t_opslag: Waarde
    warmtecapaciteit_water: Waarde
    rendement_opslag: Fractie


#: The names of the coefficients, in file order.
COEFFICIENTS: tuple[str, ...] = tuple(Coefficienten.model_fields)


def _input_names(inputs: dict[str, Invoer]) -> dict[str, Invoer]:
    raise_all(
        [
            ((name,), "verwacht kleine letters, cijfers en '_' (bijv. 'woningdichtheid')", name)
            for name in inputs
            if not _NAME.match(name)
        ]
    )
    return inputs


def _vocabulary(key: str, what: str) -> Callable[[list[Any], ValidationInfo], list[Any]]:
    """The names equal the bundled vocabulary ``context['vast'][key]`` (when given), in order."""

    def check(items: list[Any], info: ValidationInfo) -> list[Any]:
        fixed: tuple[str, ...] | None = (_context(info).get("vast") or {}).get(key)
        if fixed is None:
            return items
        names = [item.naam for item in items]
        issues: list[tuple[Loc, str, object]] = [
            (
                (i, "naam"),
                f"onbekende {what}; de namen liggen vast (kies uit {', '.join(fixed)})",
                n,
            )
            for i, n in enumerate(names)
            if n not in fixed
        ]
        issues += [((), f"{what} ontbreekt", n) for n in fixed if n not in names]
        if not issues and names != list(fixed):
            issues.append(((), f"andere volgorde dan de vaste lijst ({', '.join(fixed)})", None))
        raise_all(issues)
        return items

    return check


class HeatFile(_Table):
    """The whole of ``warmte.toml``."""

    schema_version: StrictInt | None = Field(default=None, alias="schema")
    indicator: Indicator
    startmotor: Startmotor
    strategie: Annotated[list[Strategie], AfterValidator(_vocabulary("strategie", "strategie"))]
    fase: Annotated[list[Fase], AfterValidator(_vocabulary("fase", "fase"))]
    invoer: Annotated[dict[str, Invoer], AfterValidator(_input_names)]
    regel: list[Regel] = Field(default_factory=list)
    coefficienten: Coefficienten


# =========================================================================== loading


def load_heat_config(path: Path | str | None = None) -> HeatConfig:
    """Read and validate a heat config; ``None`` reads the bundled file (cached)."""
    if path is None:
        return _load_default()
    return _load(Path(path), vocabulary={"strategie": STRATEGIES, "fase": PHASES})


@lru_cache(maxsize=1)
def _load_default() -> HeatConfig:
    return _load(DEFAULT_HEAT_CONFIG, vocabulary=None)


def _load(path: Path, vocabulary: Mapping[str, tuple[str, ...]] | None) -> HeatConfig:
    raw, problems = read_toml(path)
    return _parse(raw, problems, vocabulary)


def _names(items: object, key: str = "naam") -> list[str]:
    """The string ``key`` of each table of a raw array (others skipped)."""
    if not isinstance(items, list):
        return []
    return [i[key] for i in items if isinstance(i, dict) and isinstance(i.get(key), str)]


def _peek(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The names the file declares, for the cross-reference checks."""
    invoer = raw.get("invoer")
    return {
        "strategieen": _names(raw.get("strategie")),
        "strategie_namen": _names(raw.get("strategie")),
        "fase_namen": _names(raw.get("fase")),
        "regel_ids": _names(raw.get("regel"), "id"),
        "invoer": (
            {
                str(name): isinstance(spec, dict) and spec.get("procent") is True
                for name, spec in invoer.items()
            }
            if isinstance(invoer, dict)
            else None
        ),
    }


def _parse(
    raw: Mapping[str, Any], problems: Problems, vocabulary: Mapping[str, tuple[str, ...]] | None
) -> HeatConfig:
    context = {**_peek(raw), "vast": vocabulary}
    try:
        f = HeatFile.model_validate(raw, context=context)
    except PydanticError as exc:
        for error in exc.errors():
            _add(problems, error)
        raise problems.error() from None
    s = f.startmotor
    return HeatConfig(
        strategies=tuple(
            Strategy(x.naam, x.kleur.lower(), x.warmtenet, x.omschrijving) for x in f.strategie
        ),
        phases=tuple(Phase(x.naam, x.omschrijving) for x in f.fase),
        inputs={
            name: InputSpec(name, x.label, x.eenheid, x.betekenis, x.procent, x.decimalen)
            for name, x in f.invoer.items()
        },
        rules=tuple(
            Rule(
                r.id,
                r.strategie,
                r.uitleg,
                tuple(Condition(c.invoer, c.op, float(c.waarde)) for c in r.voorwaarden),
            )
            for r in f.regel
        ),
        fallback=f.indicator.terugval,
        fallback_explanation=f.indicator.terugval_uitleg,
        launching_customer=LaunchingCustomer(Condition(s.invoer, s.op, float(s.waarde)), s.tekst),
        coefficients={
            name: Coefficient(name, c.omschrijving, float(c.waarde), c.eenheid, c.bron)
            for name in COEFFICIENTS
            for c in [getattr(f.coefficienten, name)]
        },
        source=problems.source,
    )


def _field(loc: tuple[str | int, ...]) -> str:
    """A dotted key; a list index as ``[n]`` counted from 1 (``regel[2].voorwaarden[1].op``).

    >>> _field(("regel", 1, "voorwaarden", 0, "op"))
    'regel[2].voorwaarden[1].op'
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _add(problems: Problems, error: ErrorDetails) -> None:
    """A pydantic error as one line: the key, a Dutch message and the value."""
    value = error.get("input")
    if error["type"] == ERROR_TYPE:
        message = error["msg"]
        value = (error.get("ctx") or {}).get("waarde", value)
    elif error["type"] == "missing":
        message, value = "ontbreekt", None
    elif error["type"] == "extra_forbidden":
        message, value = "onbekende sleutel (typfout?)", None
    else:
        message = "verkeerd type"
    problems.add(_field(tuple(error["loc"])), message, value)


#: The strategy names, in legend order (from the bundled ``warmte.toml``).
STRATEGIES: tuple[str, ...] = _load_default().strategy_names
#: The phases, from early to late (from the bundled ``warmte.toml``).
PHASES: tuple[str, ...] = _load_default().phase_names
