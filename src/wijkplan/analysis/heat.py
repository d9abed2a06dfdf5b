"""The heat strategy indicator per buurt, the plan comparison and the heat demand from gas use.

The indicator is a set of transparent rules of thumb in ``config/warmte.toml``, not policy
and not a cost model. The build assembles the input frame; this module only reads it.

The input frame (one row per buurt; a missing value is None or NaN, a missing column is
missing for every buurt):

- ``buurtcode``: CBS buurt code (``BU04840210``), required;
- ``woningdichtheid``: homes per hectare of land (woningen/ha);
- ``aandeel_meergezins``: share of multi-family homes (fraction 0..1);
- ``aandeel_corporatie``: share of homes owned by housing corporations (fraction);
- ``aandeel_voor_1975``: share of homes built before 1975 (fraction);
- ``aandeel_vanaf_1995``: share of homes built in 1995 or later (fraction);
- ``aandeel_label_ab``: share of the labelled homes with label A++++ … B (fraction);
- ``aandeel_label_efg``: share of the labelled homes with label E, F or G (fraction);
- ``warmtevraag_per_ha``: heat demand per hectare of land (GJ/ha per year);
- ``afstand_oppervlaktewater``: distance to suitable surface water (m);
- ``aandeel_stadsverwarming``: share of homes on district heating (fraction)

(the inputs a custom config declares, in general; these are those of the bundled file).

:func:`indicate` walks the rules in order: the first rule whose conditions all hold gives
the indication; a condition on a missing input does not hold. Nothing fires: the config's
fallback (``nog te bepalen``) with the reason. The corporation as launching customer
(``[startmotor]``) only adds a reason; it never picks a strategy.

``indicatie_onbekend`` names the missing inputs that could have changed the result: those
of each rule tried before the outcome whose known conditions all held (had they been known,
that rule might have fired), and the launching-customer input when it is missing. A missing
input of a rule that fails on a known condition anyway is not named.

>>> frame = pd.DataFrame({"buurtcode": ["BU1"], "woningdichtheid": [52.0],
...                       "aandeel_meergezins": [0.8], "afstand_oppervlaktewater": [5000.0],
...                       "aandeel_stadsverwarming": [0.0], "aandeel_corporatie": [0.1]})
>>> row = indicate(frame).iloc[0]
>>> row["indicatie"], row["indicatie_regel"], row["indicatie_onbekend"]
('warmtenet midden/hoge temperatuur', 'mt-dichtheid', None)
>>> explain(frame.iloc[0])[1:3]
['woningdichtheid 52 woningen/ha ≥ 40', 'aandeel meergezinswoningen 80 % ≥ 50 %']
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, overload

import numpy as np
import pandas as pd

from wijkplan.config.heat import Condition, HeatConfig, InputSpec, Rule, load_heat_config
from wijkplan.numbers import number, percent

__all__ = [
    "COLUMNS",
    "HeatDemand",
    "Indication",
    "compare",
    "evaluate",
    "explain",
    "heat_demand_gj",
    "indicate",
]

#: The columns of :func:`indicate`, in order.
COLUMNS = (
    "buurtcode",
    "indicatie",
    "indicatie_regel",
    "indicatie_redenen",
    "indicatie_onbekend",
    "indicatie_startmotor",
)
_MAX_EXTRA_DECIMALS = 3


# --------------------------------------------------------------------------- numbers in text


def _missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def _plain(value: float, spec: InputSpec, decimals: int) -> str:
    if spec.percent:
        return percent(value, decimals)
    return number(value, decimals)


def _threshold_text(c: Condition, spec: InputSpec) -> str:
    """The threshold with as few decimals as it needs (0.35 → ``35 %``, 750 → ``750``)."""
    shown = 100 * c.value if spec.percent else c.value
    decimals = next((d for d in range(5) if round(shown, d) == round(shown, 6)), 4)
    return _plain(c.value, spec, decimals)


def _value_text(actual: float, c: Condition, spec: InputSpec) -> str:
    """The buurt's value, with extra decimals where rounding would hide the comparison.

    A density of 39,96 against 40 reads ``39,96``, not ``40``.
    """
    scale = 100.0 if spec.percent else 1.0
    decimals = spec.decimals
    while (
        round(scale * actual, decimals) == round(scale * c.value, 6)
        and actual != c.value
        and decimals < spec.decimals + _MAX_EXTRA_DECIMALS
    ):
        decimals += 1
    text = _plain(actual, spec, decimals)
    return text if spec.percent else f"{text} {spec.unit}"


def _spec(name: str, config: HeatConfig) -> InputSpec:
    return config.inputs.get(name) or InputSpec(name, name, "", "", False, 0)


def _condition_text(c: Condition, actual: float | None, config: HeatConfig, *, held: bool) -> str:
    """``woningdichtheid 52 woningen/ha ≥ 40`` or ``…, niet ≥ 40`` when it does not hold."""
    assert actual is not None  # only known values are compared
    spec = _spec(c.input, config)
    value = _value_text(actual, c, spec)
    threshold = _threshold_text(c, spec)
    if held:
        return f"{spec.label} {value} {c.text_op} {threshold}"
    return f"{spec.label} {value}, niet {c.text_op} {threshold}"


def _labels(names: list[str], config: HeatConfig) -> str:
    return ", ".join(_spec(n, config).label for n in names)


# --------------------------------------------------------------------------- the indicator


@dataclass(frozen=True)
class Indication:
    """The indication of one buurt, with its reasons in Dutch.

    ``explanation``: the rule's explanation (the fallback's when no rule fires);
    ``conditions``: the rule's conditions with the buurt's values
    (``woningdichtheid 52 woningen/ha ≥ 40``), or for the fallback why each rule does not
    apply; ``notes``: the launching customer and the unknown inputs, each a sentence.
    ``launching_customer``: None when the corporation share is unknown.
    """

    strategy: str
    rule: str | None
    explanation: str
    conditions: tuple[str, ...]
    notes: tuple[str, ...]
    unknown: tuple[str, ...]
    launching_customer: bool | None

    @property
    def reasons(self) -> list[str]:
        """One line each: the explanation, the conditions, the notes (for the dossier)."""
        return [self.explanation, *self.conditions, *self.notes]


def _values(row: Mapping[str, Any] | pd.Series, config: HeatConfig) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for name in config.inputs:
        value = row.get(name)
        if value is None or value is pd.NA:
            out[name] = None
            continue
        try:
            number_ = float(value)
        except (TypeError, ValueError):
            raise ValueError(
                f"invoer '{name}' van de warmte-indicator is geen getal: {value!r}"
            ) from None
        out[name] = None if math.isnan(number_) else number_
    return out


def evaluate(row: Mapping[str, Any] | pd.Series, config: HeatConfig | None = None) -> Indication:
    """The indication for one buurt's inputs (a row of the input frame or a mapping)."""
    config = config or load_heat_config()
    values = _values(row, config)
    unknown: list[str] = []
    not_applying: list[str] = []
    chosen: Rule | None = None
    for rule in config.rules:
        results = [(c, c.holds(values.get(c.input))) for c in rule.conditions]
        if all(held for _, held in results):
            chosen = rule
            break
        failed = [c for c, held in results if held is False]
        missing = [c.input for c, held in results if held is None]
        if not failed:
            unknown += [m for m in missing if m not in unknown]
        not_applying.append(_why_not(rule, failed, missing, values, config))

    if chosen is not None:
        explanation = chosen.explanation
        conditions = [
            _condition_text(c, values[c.input], config, held=True) for c in chosen.conditions
        ]
    else:
        explanation, conditions = config.fallback_explanation, not_applying

    notes: list[str] = []
    launching = config.launching_customer
    share = values.get(launching.condition.input)
    starter = launching.condition.holds(share)
    if starter:
        condition = _condition_text(launching.condition, share, config, held=True)
        notes.append(f"Startmotor: {condition}. {launching.text}")
    elif starter is None and launching.condition.input not in unknown:
        unknown.append(launching.condition.input)

    unknown = [n for n in config.inputs if n in unknown]
    if unknown:
        notes.append(
            f"Onbekend voor deze buurt: {_labels(unknown, config)}. Een voorwaarde op onbekende "
            "invoer geldt als niet voldaan; met die gegevens kan de indicatie anders uitvallen."
        )
    return Indication(
        strategy=chosen.strategy if chosen else config.fallback,
        rule=chosen.id if chosen else None,
        explanation=explanation,
        conditions=tuple(conditions),
        notes=tuple(notes),
        unknown=tuple(unknown),
        launching_customer=starter,
    )


def _why_not(
    rule: Rule,
    failed: list[Condition],
    missing: list[str],
    values: Mapping[str, float | None],
    config: HeatConfig,
) -> str:
    """``Regel mt-dichtheid (warmtenet …) past niet: woningdichtheid 12 woningen/ha, niet ≥ 40``."""
    parts = [_condition_text(c, values[c.input], config, held=False) for c in failed]
    if missing:
        parts.append(f"onbekend: {_labels(missing, config)}")
    return f"Regel {rule.id} ({rule.strategy}) past niet: {'; '.join(parts)}"


def explain(row: Mapping[str, Any] | pd.Series, config: HeatConfig | None = None) -> list[str]:
    """Why this indication, one Dutch line each (for the dossier), from a buurt's inputs."""
    return evaluate(row, config).reasons


def indicate(inputs: pd.DataFrame, config: HeatConfig | None = None) -> pd.DataFrame:
    """The indication per buurt: the columns :data:`COLUMNS`, one row per input row.

    ``indicatie_redenen`` holds the reasons one a line (:attr:`Indication.reasons`);
    ``indicatie_onbekend`` is the comma-separated names of the unknown inputs (None when
    none); ``indicatie_startmotor`` is True where the corporation share reaches the
    launching-customer threshold (NA when that share is unknown).
    """
    config = config or load_heat_config()
    if "buurtcode" not in inputs.columns:
        raise ValueError("de invoer van de warmte-indicator mist de kolom 'buurtcode'")
    frame = inputs.copy()
    for name in config.inputs:
        if name not in frame.columns:
            frame[name] = np.nan
        else:
            try:
                frame[name] = pd.to_numeric(frame[name]).astype("float64")
            except (TypeError, ValueError):
                raise ValueError(
                    f"de invoer van de warmte-indicator heeft een kolom '{name}' met iets "
                    "anders dan getallen"
                ) from None
    found = [evaluate(record, config) for record in frame.to_dict("records")]
    return pd.DataFrame(
        {
            "buurtcode": inputs["buurtcode"],
            "indicatie": pd.Series([i.strategy for i in found], index=inputs.index, dtype=str),
            "indicatie_regel": _nullable([i.rule for i in found], inputs.index),
            "indicatie_redenen": pd.Series(
                ["\n".join(i.reasons) for i in found], index=inputs.index, dtype=str
            ),
            "indicatie_onbekend": _nullable(
                [", ".join(i.unknown) if i.unknown else None for i in found], inputs.index
            ),
            "indicatie_startmotor": pd.Series(
                [i.launching_customer for i in found], index=inputs.index, dtype="boolean"
            ),
        },
        columns=list(COLUMNS),
    )


def _nullable(values: list[str | None], index: pd.Index) -> pd.Series:
    """Text with None where there is none (object dtype keeps None, not NaN)."""
    return pd.Series(values, index=index, dtype=object)


# --------------------------------------------------------------------------- plan and indication


def compare(
    plan_strategy: str | None, indicated: str, config: HeatConfig | None = None
) -> str | None:
    """A Dutch sentence when an adopted strategy differs from the indication, else None.

    No adopted strategy (None, empty or the fallback ``nog te bepalen``), or an indication
    that is itself the fallback: nothing to compare, None.

    >>> compare("all-electric", "all-electric") is None, compare(None, "hybride") is None
    (True, True)
    >>> compare("warmtenet lage temperatuur", "warmtenet midden/hoge temperatuur")[:60]
    'Plan en indicatie verschillen: het plan kiest warmtenet lage'
    """
    config = config or load_heat_config()
    if _no_plan(plan_strategy) or plan_strategy == config.fallback:
        return None
    assert plan_strategy is not None
    if indicated == config.fallback or plan_strategy == indicated:
        return None
    head = (
        f"Plan en indicatie verschillen: het plan kiest {plan_strategy}, de vuistregels "
        f"wijzen op {indicated}"
    )
    if _is_network(plan_strategy, config) and _is_network(indicated, config):
        return (
            f"{head}. Beide zijn een warmtenet; het verschil zit in de temperatuur (en daarmee "
            "in de bron en de isolatie die nodig is)."
        )
    return (
        f"{head}. Een verschil is geen fout: de vuistregels zijn een grove toets; de "
        "verkenning en het plan wegen meer mee. Zie de redenen van de indicatie."
    )


def _no_plan(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return _missing(value)


def _is_network(name: str, config: HeatConfig) -> bool:
    try:
        return config.strategy(name).heat_network
    except KeyError:
        return False


# --------------------------------------------------------------------------- heat demand


@dataclass(frozen=True)
class HeatDemand:
    """Heat demand in GJ per year; ``assumed``: the configured demand per home was used
    because the gas use was missing."""

    gj: Any
    assumed: Any


@overload
def heat_demand_gj(
    woningen: float | None, gas_m3_per_home: float | None, config: HeatConfig | None = None
) -> HeatDemand: ...
@overload
def heat_demand_gj(
    woningen: pd.Series, gas_m3_per_home: pd.Series | float | None, config: HeatConfig | None = None
) -> HeatDemand: ...
def heat_demand_gj(
    woningen: Any, gas_m3_per_home: Any, config: HeatConfig | None = None
) -> HeatDemand:
    """Annual heat demand of ``woningen`` homes from their average gas use.

    ``GJ/jaar = woningen × gas (m³/woning/jaar) × gas_energie_inhoud (GJ/m³)
    × aandeel_ruimteverwarming_tapwater × rendement_ketel``; where the gas use is missing
    (None/NaN): ``woningen × warmtevraag_per_woning``, with ``assumed`` True. Scalars give a
    float and a bool; a Series (or a scalar beside a Series) gives Series of the same index.
    A missing number of homes gives NaN. A negative input is refused (ValueError).

    >>> d = heat_demand_gj(100, 1000.0)
    >>> round(d.gj, 1), d.assumed
    (2840.0, False)
    >>> heat_demand_gj(100, None).gj, heat_demand_gj(100, None).assumed
    (3400.0, True)
    """
    config = config or load_heat_config()
    k = config.coefficients
    per_m3 = (
        k["gas_energie_inhoud"].value
        * k["aandeel_ruimteverwarming_tapwater"].value
        * k["rendement_ketel"].value
    )
    fallback = k["warmtevraag_per_woning"].value
    scalar = not isinstance(woningen, pd.Series) and not isinstance(gas_m3_per_home, pd.Series)
    if scalar:
        homes = np.nan if _missing(woningen) else float(woningen)
        gas = np.nan if _missing(gas_m3_per_home) else float(gas_m3_per_home)
        _refuse_negative(homes, gas)
        if math.isnan(gas):
            return HeatDemand(homes * fallback, True)
        return HeatDemand(homes * gas * per_m3, False)
    index = woningen.index if isinstance(woningen, pd.Series) else gas_m3_per_home.index
    homes_s = _series(woningen, index)
    gas_s = _series(gas_m3_per_home, index)
    _refuse_negative(homes_s.min(), gas_s.min())
    assumed = gas_s.isna()
    gj = homes_s * gas_s.where(~assumed, 0.0) * per_m3
    gj = gj.where(~assumed, homes_s * fallback)
    return HeatDemand(gj.rename("warmtevraag_gj"), assumed.rename("warmtevraag_aangenomen"))


def _series(value: Any, index: pd.Index) -> pd.Series:
    if isinstance(value, pd.Series):
        return pd.to_numeric(value).astype("float64")
    return pd.Series(np.nan if _missing(value) else float(value), index=index, dtype="float64")


def _refuse_negative(homes: float, gas: float) -> None:
    if homes < 0:
        raise ValueError(f"negatief aantal woningen: {homes}")
    if gas < 0:
        raise ValueError(f"negatief gasverbruik: {gas} m³ per woning")
