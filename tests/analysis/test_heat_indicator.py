"""The heat strategy indicator on tiny synthetic buurten whose answer follows from the rules.

Every value is derived from the loaded config (a threshold met, or just missed), so the
tests follow the rules when the thresholds change; only the rule ids and their order are
taken as given.
"""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest

from wijkplan.analysis.heat import (
    COLUMNS,
    compare,
    evaluate,
    explain,
    heat_demand_gj,
    indicate,
)
from wijkplan.config.heat import Condition, HeatConfig, Rule, load_heat_config
from wijkplan.numbers import number, percent

CFG = load_heat_config()
LT, MT = "warmtenet lage temperatuur", "warmtenet midden/hoge temperatuur"


def _rule(rule_id: str, config: HeatConfig = CFG) -> Rule:
    return next(r for r in config.rules if r.id == rule_id)


def _step(c: Condition) -> float:
    return 0.01 if CFG.inputs[c.input].percent else 1.0


def _meets(c: Condition) -> float:
    """A value for which ``c`` holds."""
    return {">=": c.value, "<=": c.value, ">": c.value + _step(c), "<": c.value - _step(c)}[c.op]


def _misses(c: Condition) -> float:
    """A value for which ``c`` just does not hold."""
    return {">=": c.value - _step(c), "<=": c.value + _step(c), ">": c.value, "<": c.value}[c.op]


def _satisfying(rule_id: str) -> dict[str, float]:
    return {c.input: _meets(c) for c in _rule(rule_id).conditions}


def _failing(rule_id: str) -> dict[str, float]:
    """Values breaking the rule on its first condition (the others left out)."""
    c = _rule(rule_id).conditions[0]
    return {c.input: _misses(c)}


def _no_starter() -> dict[str, float]:
    return {"aandeel_corporatie": _misses(CFG.launching_customer.condition)}


def _one(values: dict[str, float], config: HeatConfig = CFG) -> pd.Series:
    frame = pd.DataFrame([{"buurtcode": "BU99990101", **values}])
    out = indicate(frame, config)
    assert list(out.columns) == list(COLUMNS)
    return out.iloc[0]


def _dense_flats_near_water() -> dict[str, float]:
    """Meets the LT aquathermal rule and the MT density rule, no district heating."""
    values = {**_satisfying("lt-aquathermie"), **_satisfying("mt-dichtheid")}
    values["woningdichtheid"] = max(
        _meets(c)
        for r in ("lt-aquathermie", "mt-dichtheid")
        for c in _rule(r).conditions
        if c.input == "woningdichtheid"
    )
    values["aandeel_meergezins"] = max(
        _meets(c)
        for r in ("lt-aquathermie", "mt-dichtheid")
        for c in _rule(r).conditions
        if c.input == "aandeel_meergezins"
    )
    return {**values, **_failing("bestaand-warmtenet"), **_no_starter()}


# --------------------------------------------------------------------------- the strategies


def test_dense_flats_near_water_get_a_low_temperature_network() -> None:
    row = _one(_dense_flats_near_water())
    assert row["indicatie"] == LT
    assert row["indicatie_regel"] == "lt-aquathermie"
    assert row["indicatie_onbekend"] is None
    assert not row["indicatie_startmotor"]
    density = _dense_flats_near_water()["woningdichtheid"]
    threshold = next(
        c.value for c in _rule("lt-aquathermie").conditions if c.input == "woningdichtheid"
    )
    assert (
        f"woningdichtheid {number(density)} woningen/ha ≥ {number(threshold)}"
        in (row["indicatie_redenen"])
    )
    assert _rule("lt-aquathermie").explanation in row["indicatie_redenen"]


def test_the_same_buurt_five_km_from_water_gets_a_mid_high_temperature_network() -> None:
    far = {**_dense_flats_near_water(), "afstand_oppervlaktewater": 5000.0}
    distance = next(
        c for c in _rule("lt-aquathermie").conditions if c.input == "afstand_oppervlaktewater"
    )
    assert distance.holds(5000.0) is False
    row = _one(far)
    assert (row["indicatie"], row["indicatie_regel"]) == (MT, "mt-dichtheid")


def test_high_heat_demand_alone_gives_a_heat_network() -> None:
    row = _one({**_suburb(), **_satisfying("mt-warmtevraag")})
    assert (row["indicatie"], row["indicatie_regel"]) == (MT, "mt-warmtevraag")
    # the rules before it had a known failing condition: nothing there is "unknown"
    assert row["indicatie_onbekend"] is None


def test_existing_district_heating_comes_first() -> None:
    values = {**_dense_flats_near_water(), **_satisfying("bestaand-warmtenet")}
    row = _one(values)
    assert (row["indicatie"], row["indicatie_regel"]) == (MT, "bestaand-warmtenet")


def _density_and_flats_missing(*rule_ids: str) -> dict[str, float]:
    """The lowest density and flat share that miss each of these rules' conditions on them."""
    conditions = [c for r in rule_ids for c in _rule(r).conditions]
    return {
        name: min(_misses(c) for c in conditions if c.input == name)
        for name in ("woningdichtheid", "aandeel_meergezins")
    }


def _suburb() -> dict[str, float]:
    """Low density, few flats, no district heating, low heat demand; no distance to water."""
    return {
        **_failing("bestaand-warmtenet"),
        **_density_and_flats_missing("lt-aquathermie", "mt-dichtheid"),
        **_failing("mt-warmtevraag"),
        **_no_starter(),
    }


def test_new_well_labelled_suburb_is_all_electric() -> None:
    row = _one({**_suburb(), **_satisfying("all-electric-bouwjaar")})
    assert (row["indicatie"], row["indicatie_regel"]) == ("all-electric", "all-electric-bouwjaar")
    assert row["indicatie_onbekend"] is None


def test_labels_alone_give_all_electric_and_the_missing_building_years_are_named() -> None:
    row = _one({**_suburb(), **_satisfying("all-electric-label")})
    assert (row["indicatie"], row["indicatie_regel"]) == ("all-electric", "all-electric-label")
    # the building-year rule before it could have fired had the years been known
    assert row["indicatie_onbekend"] == "aandeel_vanaf_1995"
    assert "Onbekend voor deze buurt: aandeel gebouwd in 1995 of later." in row["indicatie_redenen"]


def test_old_low_rise_is_hybrid_and_old_scattered_houses_get_green_gas() -> None:
    old_low_rise = {
        **_suburb(),
        **_failing("all-electric-bouwjaar"),
        **_failing("all-electric-label"),
        **_failing("groen-gas-verspreid"),
        **_satisfying("hybride-bouwjaar"),
    }
    row = _one(old_low_rise)
    assert (row["indicatie"], row["indicatie_regel"]) == ("hybride", "hybride-bouwjaar")
    # very low density, otherwise the same buurt: green gas comes before hybrid
    rural = {**old_low_rise, **_satisfying("groen-gas-verspreid")}
    assert all(c.holds(rural[c.input]) for c in _rule("hybride-bouwjaar").conditions)
    row = _one(rural)
    assert (row["indicatie"], row["indicatie_regel"]) == ("groen gas", "groen-gas-verspreid")


def test_poor_labels_on_low_rise_are_hybrid() -> None:
    values = {
        **_suburb(),
        **_failing("all-electric-bouwjaar"),
        **_failing("all-electric-label"),
        "aandeel_voor_1975": _misses(_rule("hybride-bouwjaar").conditions[0]),
        **_satisfying("hybride-label"),
    }
    row = _one(values)
    assert (row["indicatie"], row["indicatie_regel"]) == ("hybride", "hybride-label")


def test_missing_inputs_give_nog_te_bepalen_with_the_missing_inputs_named() -> None:
    frame = pd.DataFrame({"buurtcode": ["BU99990101"]})  # no input column at all
    row = indicate(frame).iloc[0]
    assert row["indicatie"] == CFG.fallback == "nog te bepalen"
    assert row["indicatie_regel"] is None
    assert pd.isna(row["indicatie_startmotor"])
    referenced = {c.input for r in CFG.rules for c in r.conditions}
    referenced.add(CFG.launching_customer.condition.input)
    assert row["indicatie_onbekend"].split(", ") == [n for n in CFG.inputs if n in referenced]
    assert row["indicatie_redenen"].startswith(CFG.fallback_explanation)
    assert "Onbekend voor deze buurt: woningdichtheid, " in row["indicatie_redenen"]


def test_nothing_fires_with_everything_known_says_why_each_rule_does_not_apply() -> None:
    values = {
        **_suburb(),
        **_failing("all-electric-bouwjaar"),
        **_failing("all-electric-label"),
        **_failing("groen-gas-verspreid"),
        **_failing("hybride-bouwjaar"),
        **_failing("hybride-label"),
    }
    values = {name: values.get(name, 0.0) for name in CFG.inputs}
    values["woningdichtheid"] = _misses(_rule("lt-aquathermie").conditions[0])
    values["aandeel_voor_1975"] = _misses(_rule("hybride-bouwjaar").conditions[0])
    values["aandeel_label_efg"] = _misses(_rule("hybride-label").conditions[0])
    ind = evaluate(values)
    assert (ind.strategy, ind.rule, ind.unknown) == (CFG.fallback, None, ())
    assert len(ind.conditions) == len(CFG.rules)
    for line, rule in zip(ind.conditions, CFG.rules, strict=True):
        assert line.startswith(f"Regel {rule.id} ({rule.strategy}) past niet: ")
        assert ", niet " in line


def test_rule_order_decides() -> None:
    values = _dense_flats_near_water()
    assert _one(values)["indicatie_regel"] == "lt-aquathermie"
    ids = [r.id for r in CFG.rules]
    assert ids.index("lt-aquathermie") < ids.index("mt-dichtheid")
    swapped = dataclasses.replace(
        CFG,
        rules=(
            _rule("mt-dichtheid"),
            *(r for r in CFG.rules if r.id != "mt-dichtheid"),
        ),
    )
    assert _one(values, swapped)["indicatie_regel"] == "mt-dichtheid"


def test_a_missing_input_is_unknown_only_where_it_could_have_changed_the_result() -> None:
    values = _dense_flats_near_water()
    del values["afstand_oppervlaktewater"]
    row = _one(values)
    # the LT rule could have fired: its other conditions hold
    assert (row["indicatie_regel"], row["indicatie_onbekend"]) == (
        "mt-dichtheid",
        "afstand_oppervlaktewater",
    )
    # with too low a density the distance would not have mattered
    values = {**_suburb(), **_satisfying("all-electric-bouwjaar")}
    assert "afstand_oppervlaktewater" not in values
    assert _one(values)["indicatie_onbekend"] is None


# --------------------------------------------------------------------------- launching customer


def test_the_corporation_adds_a_reason_but_never_picks_the_strategy() -> None:
    starter = CFG.launching_customer.condition
    without = _one({**_suburb(), **_satisfying("all-electric-bouwjaar")})
    values = {**_suburb(), **_satisfying("all-electric-bouwjaar"), starter.input: _meets(starter)}
    row = _one(values)
    assert row["indicatie"] == without["indicatie"]
    assert row["indicatie_regel"] == without["indicatie_regel"]
    assert row["indicatie_startmotor"] and not without["indicatie_startmotor"]
    assert CFG.launching_customer.text in row["indicatie_redenen"]
    assert CFG.launching_customer.text not in without["indicatie_redenen"]
    assert (
        f"Startmotor: aandeel corporatiewoningen {percent(_meets(starter))} ≥ "
        f"{percent(starter.value)}" in row["indicatie_redenen"]
    )


# --------------------------------------------------------------------------- text and frame


def test_explain_gives_one_line_per_condition_with_value_unit_and_threshold() -> None:
    values = {**_dense_flats_near_water(), "afstand_oppervlaktewater": 300.0}
    lines = explain(pd.Series(values))
    rule = _rule("lt-aquathermie")
    assert lines[0] == rule.explanation
    assert len(lines) == 1 + len(rule.conditions)
    assert f"afstand tot oppervlaktewater 300 m ≤ {number(rule.conditions[2].value)}" in lines


def test_a_value_just_below_a_threshold_is_not_rounded_onto_it() -> None:
    c = next(c for c in _rule("mt-dichtheid").conditions if c.input == "woningdichtheid")
    values = {**_dense_flats_near_water(), "afstand_oppervlaktewater": 5000.0}
    values["woningdichtheid"] = c.value - 0.04
    text = _one(values)["indicatie_redenen"]
    shown = number(c.value - 0.04, 2)
    assert "," in shown
    assert f"woningdichtheid {shown} woningen/ha, niet ≥ {number(c.value)}" in text


def test_frame_contract() -> None:
    frame = pd.DataFrame(
        {
            "buurtcode": ["BU1", "BU2"],
            "woningdichtheid": [None, "12"],
            "aandeel_meergezins": [float("nan"), 0.1],
        },
        index=[7, 3],
    )
    out = indicate(frame)
    assert list(out.index) == [7, 3] and list(out["buurtcode"]) == ["BU1", "BU2"]
    assert list(out.columns) == list(COLUMNS)
    assert str(out["indicatie_startmotor"].dtype) == "boolean"
    assert indicate(frame.iloc[:0]).empty
    with pytest.raises(ValueError, match="buurtcode"):
        indicate(frame.drop(columns="buurtcode"))
    with pytest.raises(ValueError, match="'woningdichtheid' met iets anders dan getallen"):
        indicate(frame.assign(woningdichtheid=["veel", "12"]))
    with pytest.raises(ValueError, match="geen getal"):
        evaluate({"woningdichtheid": "veel"})


# --------------------------------------------------------------------------- plan vs indication


def test_compare() -> None:
    assert compare("all-electric", "all-electric") is None
    for no_plan in (None, "", float("nan"), CFG.fallback):
        assert compare(no_plan, "hybride") is None  # type: ignore[arg-type]
    assert compare("hybride", CFG.fallback) is None  # the rules give nothing to disagree with
    both = compare(LT, MT)
    assert both is not None and LT in both and MT in both
    assert "Beide zijn een warmtenet" in both
    other = compare("all-electric", "hybride")
    assert other is not None
    assert other.startswith("Plan en indicatie verschillen: het plan kiest all-electric")
    assert "hybride" in other and "warmtenet" not in other


# --------------------------------------------------------------------------- heat demand


def test_heat_demand_from_gas_and_the_fallback() -> None:
    k = CFG.coefficients
    per_m3 = (
        k["gas_energie_inhoud"].value
        * k["aandeel_ruimteverwarming_tapwater"].value
        * k["rendement_ketel"].value
    )
    d = heat_demand_gj(200, 1000.0)
    assert d.gj == pytest.approx(200 * 1000 * per_m3) and d.assumed is False
    d = heat_demand_gj(200, None)
    assert d.gj == pytest.approx(200 * k["warmtevraag_per_woning"].value) and d.assumed is True
    assert math.isnan(heat_demand_gj(None, 1000.0).gj)

    homes = pd.Series([100, 50, None], index=["a", "b", "c"])
    gas = pd.Series([900.0, None, 1000.0], index=["a", "b", "c"])
    d = heat_demand_gj(homes, gas)
    assert d.gj["a"] == pytest.approx(100 * 900 * per_m3)
    assert d.gj["b"] == pytest.approx(50 * k["warmtevraag_per_woning"].value)
    assert math.isnan(d.gj["c"])
    assert list(d.assumed) == [False, True, False]
    scalar_gas = heat_demand_gj(homes, 1000.0)
    assert scalar_gas.gj["b"] == pytest.approx(50 * 1000 * per_m3)
    with pytest.raises(ValueError, match="negatief gasverbruik"):
        heat_demand_gj(10, -5.0)
    with pytest.raises(ValueError, match="negatief aantal woningen"):
        heat_demand_gj(pd.Series([-1]), 1000.0)
