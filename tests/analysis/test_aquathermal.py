"""The aquathermal estimate: the formulas on round numbers, the scope parts, the coefficients."""

from __future__ import annotations

import dataclasses

import pytest

from wijkplan.analysis.aquathermal import (
    GJ_PER_MWH,
    KINDS,
    MJ_PER_GJ,
    estimate_aquathermal,
)
from wijkplan.config.heat import HeatConfig, load_heat_config

CFG = load_heat_config()


def _round_config(**values: float) -> HeatConfig:
    """The bundled config with some coefficient values replaced."""
    coefficients = dict(CFG.coefficients)
    for name, value in values.items():
        coefficients[name] = dataclasses.replace(coefficients[name], value=value)
    return dataclasses.replace(CFG, coefficients=coefficients)


ROUND = _round_config(
    warmtevraag_per_woning=30.0,
    warmtevraag_ziekenhuis=20_000.0,
    warmtevraag_school=4_000.0,
    aandeel_teo=0.5,
    vollasturen_teo=2_500.0,
    warmtecapaciteit_water=4.0,
    delta_t_opslag=6.0,
    rendement_opslag=0.75,
)


def test_formulas_on_round_numbers() -> None:
    e = estimate_aquathermal(
        1_200, None, [("Ziekenhuis", "ziekenhuis"), ("School", "school")], ROUND
    )
    # 1.200 homes × 30 GJ + 20.000 + 4.000 = 60.000 GJ/jaar
    assert e.homes_gj == pytest.approx(36_000) and e.homes_assumed
    assert e.demand_gj == pytest.approx(60_000) and e.complete
    # half of it from TEO: 30.000 GJ over 2.500 full-load hours = 30.000 / 9.000 MWh/h
    assert e.teo_gj == pytest.approx(30_000)
    assert e.capacity_mw == pytest.approx(30_000 / (2_500 * 3.6))
    # 30.000 GJ = 3·10⁷ MJ over 4 MJ/(m³·K) × 6 K × 0,75 = 18 MJ/m³
    assert e.storage_m3 == pytest.approx(30_000_000 / 18)


def test_formulas_with_the_bundled_coefficients() -> None:
    k = {name: c.value for name, c in CFG.coefficients.items()}
    homes, gas = 500, 1_000.0
    e = estimate_aquathermal(homes, gas, [("Alrijne", "ziekenhuis"), ("Oudshoorn", "verpleeghuis")])
    homes_gj = (
        homes
        * gas
        * k["gas_energie_inhoud"]
        * k["aandeel_ruimteverwarming_tapwater"]
        * k["rendement_ketel"]
    )
    demand = homes_gj + k["warmtevraag_ziekenhuis"] + k["warmtevraag_verpleeghuis"]
    teo = k["aandeel_teo"] * demand
    assert (e.homes_gj, e.demand_gj, e.teo_gj) == pytest.approx((homes_gj, demand, teo))
    assert not e.homes_assumed
    assert e.capacity_mw == pytest.approx(teo / (k["vollasturen_teo"] * GJ_PER_MWH))
    assert e.storage_m3 == pytest.approx(
        teo
        * MJ_PER_GJ
        / (k["warmtecapaciteit_water"] * k["delta_t_opslag"] * k["rendement_opslag"])
    )


def test_parts_split_the_demand_per_object_and_the_homes() -> None:
    objects = [
        ("Alrijne Ziekenhuis", "ziekenhuis"),
        ("verpleeghuis Oudshoorn", "verpleeghuis"),
        ("Scala College", "school"),
        ("Herculesflat", "woningen"),
    ]
    e = estimate_aquathermal(300, None, objects, ROUND)
    assert [(p.name, p.kind) for p in e.parts] == [*objects, ("woningen in scope", "woningen")]
    hercules = e.parts[3]
    assert hercules.gj is None and "inbegrepen in de woningen in scope" in hercules.basis
    assert [p.gj for p in e.parts[:3]] == [
        20_000.0,
        CFG.coefficients["warmtevraag_verpleeghuis"].value,
        4_000.0,
    ]
    assert e.demand_gj == pytest.approx(sum(p.gj for p in e.parts if p.gj is not None))
    assert e.parts[-1].gj == pytest.approx(300 * 30)


def test_every_coefficient_used_is_listed_with_unit_and_source() -> None:
    e = estimate_aquathermal(100, 900.0, [("Scala College", "school")])
    names = [name for name, *_ in e.coefficients]
    desc = {n: c.description for n, c in CFG.coefficients.items()}
    for used in (
        "gas_energie_inhoud",
        "aandeel_ruimteverwarming_tapwater",
        "rendement_ketel",
        "warmtevraag_school",
        "aandeel_teo",
        "vollasturen_teo",
        "warmtecapaciteit_water",
        "delta_t_opslag",
        "rendement_opslag",
    ):
        assert desc[used] in names, used
    for not_used in ("warmtevraag_per_woning", "warmtevraag_ziekenhuis"):
        assert desc[not_used] not in names, not_used
    assert ("omrekening MWh naar GJ", 3.6, "GJ/MWh") in [c[:3] for c in e.coefficients]
    for name, value, unit, source in e.coefficients:
        assert value > 0 and unit and source, name
    # unknown gas use: the demand per home instead of the gas coefficients
    names = [n for n, *_ in estimate_aquathermal(100, None, []).coefficients]
    assert desc["warmtevraag_per_woning"] in names and desc["gas_energie_inhoud"] not in names


def test_the_calculation_prints_every_step_in_dutch() -> None:
    e = estimate_aquathermal(1_200, None, [("Ziekenhuis", "ziekenhuis")], ROUND)
    lines = e.calculation()
    assert "Ziekenhuis: 20.000 GJ/jaar (kental voor een ziekenhuis; zie de coëfficiënten)" in lines
    assert any(line.startswith("woningen in scope: 1.200 woningen × 30 ") for line in lines)
    assert "Warmtevraag in scope: 56.000 GJ/jaar" in lines
    assert "Warmte uit TEO via de seizoensopslag: 0,5 × 56.000 GJ/jaar = 28.000 GJ/jaar" in lines
    assert "TEO-vermogen: 28.000 GJ / (2.500 h × 3,6 GJ/MWh) = 3,1 MW" in lines
    assert any(line.startswith("Opslagvolume: 28.000 GJ × 1.000 MJ/GJ / (4 ") for line in lines)
    assert any("aanname per woning" in line for line in lines)


def test_unknown_homes_make_the_demand_a_lower_bound() -> None:
    e = estimate_aquathermal(None, None, [("Ziekenhuis", "ziekenhuis")], ROUND)
    assert not e.complete and e.homes_gj is None and not e.homes_assumed
    assert e.demand_gj == pytest.approx(20_000)
    assert "Warmtevraag in scope: 20.000 GJ/jaar (ondergrens)" in e.calculation()
    assert any("ondergrens" in note for note in e.notes)


def test_bad_scope_is_refused() -> None:
    assert KINDS == ("ziekenhuis", "verpleeghuis", "school", "woningen")
    with pytest.raises(ValueError, match="onbekende soort object 'kantoor' bij 'Stadhuis'"):
        estimate_aquathermal(10, None, [("Stadhuis", "kantoor")])
    with pytest.raises(ValueError, match="negatief aantal woningen"):
        estimate_aquathermal(-1, None, [])
    with pytest.raises(ValueError, match="negatief gasverbruik"):
        estimate_aquathermal(10, -100.0, [])
