"""A transparent estimate of an aquathermal (TEO) heat network: demand, capacity, storage.

Every number comes from the coefficients in ``config/warmte.toml`` (each with its unit and
source) and the scope the caller names (homes, their average gas use, the non-residential
objects); the estimate lists every coefficient it used, so the app and the WUP document
print the whole calculation::

    demand (GJ/jaar)   = homes' demand (heat_demand_gj) + Σ demand of each object kind
    TEO heat (GJ/jaar) = aandeel_teo × demand
    capacity (MW)      = TEO heat / (vollasturen_teo × 3,6 GJ/MWh)
    storage (m³)       = TEO heat × 1.000 MJ/GJ
                         / (warmtecapaciteit_water × delta_t_opslag × rendement_opslag)

The storage volume is the volume of groundwater that one season's storage moves (warm
well), not the size of the aquifer. The share of the buurt's heat demand held by the
signatories of the Planetenbuurt intention agreement is a published figure: it belongs to
the heat plan (``data/warmte/warmteplan-2022.yaml``) and is shown as published, never
recomputed from this estimate.

>>> e = estimate_aquathermal(1000, None, [("Ziekenhuis", "ziekenhuis")])
>>> e.demand_gj, e.homes_assumed
(54000.0, True)
>>> round(e.capacity_mw, 2), round(e.storage_m3)
(3.0, 1476418)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from wijkplan.analysis.heat import heat_demand_gj
from wijkplan.config.heat import OBJECT_KINDS, HeatConfig, load_heat_config
from wijkplan.numbers import number

__all__ = [
    "GJ_PER_MWH",
    "KINDS",
    "MJ_PER_GJ",
    "AquathermalEstimate",
    "DemandPart",
    "estimate_aquathermal",
]

#: The kinds of object in scope: the non-residential kinds and ``woningen`` (a home complex,
#: whose homes are counted in ``homes_in_scope``).
KINDS: tuple[str, ...] = (*OBJECT_KINDS, "woningen")
#: 1 MWh = 3,6 GJ (definition).
GJ_PER_MWH = 3.6
#: 1 GJ = 1.000 MJ (definition).
MJ_PER_GJ = 1000.0

Used = tuple[str, float, str, str]


@dataclass(frozen=True)
class DemandPart:
    """One part of the heat demand in scope; ``gj`` None: not estimated separately (a home
    complex, counted with the homes) or unknown (the homes, when their number is unknown).
    ``basis`` says in Dutch how the figure was made."""

    name: str
    kind: str
    gj: float | None
    basis: str


@dataclass(frozen=True)
class AquathermalEstimate:
    """The estimate; ``coefficients`` is every coefficient used as
    ``(name, value, unit, source)``, ``notes`` what a reader must know (Dutch)."""

    homes: int | None
    gas_m3_per_home: float | None
    homes_gj: float | None
    homes_assumed: bool
    parts: tuple[DemandPart, ...]
    demand_gj: float
    complete: bool
    teo_gj: float
    capacity_mw: float
    storage_m3: float
    coefficients: tuple[Used, ...]
    notes: tuple[str, ...]

    calculation_lines: tuple[str, ...] = ()

    def calculation(self) -> list[str]:
        """The calculation step by step, one Dutch line each, with the numbers used, then
        the notes."""
        return [*self.calculation_lines, *self.notes]


def _num(value: float) -> str:
    """A coefficient with as many decimals as it has (0,03517; 0,6; 3.000)."""
    decimals = next((d for d in range(7) if round(value, d) == value), 6)
    return number(value, decimals)


def estimate_aquathermal(
    homes_in_scope: int | None,
    gas_m3_per_home: float | None,
    objects: Sequence[tuple[str, str]],
    config: HeatConfig | None = None,
) -> AquathermalEstimate:
    """Heat demand in scope, TEO capacity and seasonal storage volume (see the module).

    ``objects``: ``(name, kind)`` with kind one of :data:`KINDS`; a ``woningen`` object is a
    home complex whose homes are part of ``homes_in_scope`` (listed, not added again).
    ``homes_in_scope`` None: the homes' demand is unknown and the total a lower bound.
    ``gas_m3_per_home`` None: the configured demand per home is used (``homes_assumed``).
    An unknown kind or a negative number is refused (ValueError).
    """
    config = config or load_heat_config()
    k = config.coefficients
    used: list[str] = []
    notes: list[str] = []
    for name, kind in objects:
        if kind not in KINDS:
            raise ValueError(
                f"onbekende soort object {kind!r} bij {name!r} (kies uit {', '.join(KINDS)})"
            )
    if homes_in_scope is not None and homes_in_scope < 0:
        raise ValueError(f"negatief aantal woningen in scope: {homes_in_scope}")
    gas = _known(gas_m3_per_home)

    parts: list[DemandPart] = []
    for name, kind in objects:
        if kind == "woningen":
            parts.append(DemandPart(name, kind, None, "inbegrepen in de woningen in scope"))
            continue
        coefficient = k[f"warmtevraag_{kind}"]
        _use(used, coefficient.name)
        parts.append(
            DemandPart(
                name,
                kind,
                coefficient.value,
                f"{number(coefficient.value)} {coefficient.unit} (kental voor een {kind}; "
                "zie de coëfficiënten)",
            )
        )

    homes_gj: float | None = None
    assumed = gas is None
    if homes_in_scope is None:
        basis = "aantal woningen onbekend"
        notes.append(
            "Het aantal woningen in scope is onbekend: de warmtevraag en wat daaruit volgt "
            "zijn een ondergrens (alleen de genoemde utiliteit)."
        )
    else:
        homes_gj = float(heat_demand_gj(homes_in_scope, gas, config).gj)
        if gas is None:
            _use(used, "warmtevraag_per_woning")
            per_home = k["warmtevraag_per_woning"]
            basis = (
                f"{number(homes_in_scope)} woningen × {_num(per_home.value)} {per_home.unit} "
                f"= {number(homes_gj)} GJ/jaar (gasverbruik onbekend: aanname per woning)"
            )
            notes.append(
                "Het gasverbruik van de woningen is onbekend: de warmtevraag per woning is "
                "een aanname."
            )
        else:
            for name in (
                "gas_energie_inhoud",
                "aandeel_ruimteverwarming_tapwater",
                "rendement_ketel",
            ):
                _use(used, name)
            basis = (
                f"{number(homes_in_scope)} woningen × {number(gas)} m³ aardgas per woning × "
                f"{_num(k['gas_energie_inhoud'].value)} GJ/m³ × "
                f"{_num(k['aandeel_ruimteverwarming_tapwater'].value)} × "
                f"{_num(k['rendement_ketel'].value)} = {number(homes_gj)} GJ/jaar"
            )
    parts.append(DemandPart("woningen in scope", "woningen", homes_gj, basis))

    demand = sum(p.gj for p in parts if p.gj is not None)
    for name in (
        "aandeel_teo",
        "vollasturen_teo",
        "warmtecapaciteit_water",
        "delta_t_opslag",
        "rendement_opslag",
    ):
        _use(used, name)
    teo = k["aandeel_teo"].value * demand
    capacity = teo / (k["vollasturen_teo"].value * GJ_PER_MWH)
    storage = (
        teo
        * MJ_PER_GJ
        / (
            k["warmtecapaciteit_water"].value
            * k["delta_t_opslag"].value
            * k["rendement_opslag"].value
        )
    )
    lines = [f"{p.name}: {p.basis}" for p in parts]
    total = f"Warmtevraag in scope: {number(demand)} GJ/jaar"
    lines += [
        total if homes_in_scope is not None else f"{total} (ondergrens)",
        f"Warmte uit TEO via de seizoensopslag: {_num(k['aandeel_teo'].value)} × "
        f"{number(demand)} GJ/jaar = {number(teo)} GJ/jaar",
        f"TEO-vermogen: {number(teo)} GJ / ({_num(k['vollasturen_teo'].value)} h × "
        f"{_num(GJ_PER_MWH)} GJ/MWh) = {number(capacity, 1)} MW",
        f"Opslagvolume: {number(teo)} GJ × {number(MJ_PER_GJ)} MJ/GJ / "
        f"({_num(k['warmtecapaciteit_water'].value)} {k['warmtecapaciteit_water'].unit} × "
        f"{_num(k['delta_t_opslag'].value)} K × {_num(k['rendement_opslag'].value)}) = "
        f"{number(storage)} m³ grondwater per seizoen",
    ]
    coefficients: list[Used] = [
        (k[n].description, k[n].value, k[n].unit, k[n].source) for n in used
    ]
    coefficients += [
        ("omrekening MWh naar GJ", GJ_PER_MWH, "GJ/MWh", "definitie: 1 MWh = 3,6 GJ"),
        ("omrekening GJ naar MJ", MJ_PER_GJ, "MJ/GJ", "definitie: 1 GJ = 1.000 MJ"),
    ]
    notes.append(
        "Een schatting met vuistregels en aannames, geen ontwerp: vervang de aannames door "
        "gemeten verbruik en de gegevens van het project zodra die er zijn."
    )
    return AquathermalEstimate(
        homes=homes_in_scope,
        gas_m3_per_home=gas,
        homes_gj=homes_gj,
        homes_assumed=homes_in_scope is not None and assumed,
        parts=tuple(parts),
        demand_gj=float(demand),
        complete=homes_in_scope is not None,
        teo_gj=teo,
        capacity_mw=capacity,
        storage_m3=storage,
        coefficients=tuple(coefficients),
        notes=tuple(notes),
        calculation_lines=tuple(lines),
    )


def _known(value: object) -> float | None:
    """A number, or None for None, NA and NaN."""
    if value is None or value is pd.NA:
        return None
    number_ = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number_) else number_


def _use(used: list[str], name: str) -> None:
    if name not in used:
        used.append(name)
