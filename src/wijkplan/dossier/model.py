"""The shape of a dossier: typed parts, built once, rendered by the CLI text, ``--json`` and the app.

Field names are the dossier's JSON keys, which are Dutch (the JSON is read by
people and by other municipal tools). Every key is always present, ``null``
where it does not apply, so the JSON has one stable shape for every kind of area.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Ref:
    """A reference to another area: its code and name."""

    code: str
    naam: str | None


@dataclass(frozen=True)
class Figure:
    """One key figure (CBS kerncijfers): a value, or why there is none."""

    kolom: str
    label: str
    waarde: float | None
    eenheid: str | None = None
    #: why there is no value where the source says so ("geheim", "niet beschikbaar")
    ontbreekt: str | None = None
    #: where the figure comes from (table and year)
    bron: str | None = None


@dataclass(frozen=True)
class ComplexRow:
    complex_id: str
    naam: str | None
    corporatie: str | None
    aantal_woningen: int | None
    bouwjaar: int | None
    energielabel: str | None
    woningtype: str | None
    buurtcode: str | None


@dataclass(frozen=True)
class Complexen:
    """The corporations' complexes in the area."""

    beschikbaar: bool
    aantal: int = 0
    woningen: int = 0
    per_corporatie: dict[str, int] = field(default_factory=dict)
    voorbeelddata: bool = False
    lijst: list[ComplexRow] = field(default_factory=list)


@dataclass(frozen=True)
class AfspraakRow:
    afspraak_id: str
    titel: str
    thema: str
    trekker: str
    partijen: str
    status: str
    voortgang: int | None
    versie: int
    via: str
    gemeentebreed: bool


@dataclass(frozen=True)
class Afspraken:
    """The agreements that apply to the area, with their current status."""

    beschikbaar: bool
    register: str | None = None
    ondertekend: str | None = None
    lijst: list[AfspraakRow] = field(default_factory=list)

    @property
    def direct(self) -> list[AfspraakRow]:
        return [r for r in self.lijst if not r.gemeentebreed]

    @property
    def gemeentebreed(self) -> list[AfspraakRow]:
        return [r for r in self.lijst if r.gemeentebreed]


@dataclass(frozen=True)
class TrendPoint:
    jaar: int
    lbm: float | None
    afw: float | None
    klasse: str | None


@dataclass(frozen=True)
class Reference:
    gemeente: float | None
    nederland: float | None


@dataclass(frozen=True)
class Priority:
    waarde: float | None
    rang: int | None
    van: int


@dataclass(frozen=True)
class IncidentRow:
    """One period: a count per category and the total; ``None`` is a suppressed count."""

    periode: str
    aantallen: dict[str, int | None]
    #: the total per 1,000 inhabitants per year (None: unknown or suppressed)
    per_1000: float | None = None
    #: every source value of the period is there (else the counts are lower bounds, or unknown)
    volledig: bool = True


@dataclass(frozen=True)
class CountSeries:
    """A published (suppressed) series of counts per period, with where it comes from."""

    categorieen: list[str]
    rijen: list[IncidentRow]
    drempel: int
    voorbeelddata: bool = False
    bron: str | None = None


@dataclass(frozen=True)
class Liveability:
    """Leefbaarometer scores against the references, trend, priority and incidents."""

    beschikbaar: bool
    #: the Leefbaarometer scores are sample data
    voorbeelddata: bool = False
    #: where the score comes from ("Leefbaarometer-grid, oppervlaktegewogen", ...)
    bron: str | None = None
    geen_score: str | None = None
    jaar: int | None = None
    scores: dict[str, float | None] | None = None
    klasse: str | None = None
    aandeel_zwak: float | None = None
    dekking: float | None = None
    cellen: float | None = None
    betrouwbaar: bool | None = None
    trend: list[TrendPoint] = field(default_factory=list)
    referentie: dict[str, Reference] = field(default_factory=dict)
    prioriteit: Priority | None = None
    incidenten: CountSeries | None = None
    #: registered crime in total (the police's open data), never mixed with sample incidents
    misdrijven: CountSeries | None = None


@dataclass(frozen=True)
class Quantity:
    """A named value with its unit and where it comes from (a figure, a coefficient, a result)."""

    naam: str
    omschrijving: str
    waarde: float | None
    eenheid: str | None = None
    bron: str | None = None
    #: "invoer", "coëfficiënt", "uitkomst" or "gepubliceerd"
    soort: str | None = None


@dataclass(frozen=True)
class HeatIndication:
    """The rule-based indication of a heat strategy for a buurt, with its reasons."""

    strategie: str
    regel: str | None
    redenen: list[str]
    onbekend: list[str] = field(default_factory=list)
    #: a part of the input is sample data
    voorbeelddata: bool = False


@dataclass(frozen=True)
class BuurtHeatRow:
    """One buurt of a wijk or district: plan and indication side by side."""

    buurtcode: str
    buurtnaam: str
    strategie: str | None
    fase: str | None
    indicatie: str | None
    afwijking: str | None
    woningen: int | None
    begrenzing: str | None = None
    startjaar: int | None = None
    #: the buurt's figures (homes, inputs) rest partly on sample data
    voorbeelddata: bool = False


@dataclass(frozen=True)
class AquathermalPart:
    """One object or complex of the aquathermal project."""

    naam: str
    onderdeel: str
    soort: str | None
    eigenaar: str | None
    status: str | None
    woningen: int | None
    warmtevraag_gj: float | None
    ligging: str | None
    bron: str | None
    #: its location or numbers rest on sample data
    voorbeelddata: bool = False


@dataclass(frozen=True)
class AquathermalScope:
    """The aquathermal project that touches the area."""

    naam: str
    gebied: Ref
    bronwater: str | None
    techniek: str | None
    leverancier: str | None
    onderdelen: list[AquathermalPart]
    raming: list[Quantity]
    #: the published share of the signatories in the buurt's heat demand (as published)
    aandeel_ondertekenaars: Quantity | None = None
    schematisch: bool = True
    #: some parts (locations, numbers of homes) rest on sample data
    voorbeelddata: bool = False
    toelichting: str | None = None


@dataclass(frozen=True)
class PblResult:
    """PBL Startanalyse for the buurt: the variant with the lowest national cost."""

    strategie: str | None
    variant: str | None
    nat_meerkosten_weq: float | None
    nat_meerkosten_co2: float | None
    bron: str | None


@dataclass(frozen=True)
class Heat:
    """The heat transition for the area: the adopted plan, the indication and the project."""

    beschikbaar: bool
    plan: str | None = None
    plan_voorbeelddata: bool = False
    gebied: Ref | None = None
    begrenzing: str | None = None
    begrenzing_bron: str | None = None
    strategie: str | None = None
    strategie_bron: str | None = None
    warmtebron: str | None = None
    fase: str | None = None
    fase_bron: str | None = None
    startjaar: int | None = None
    startjaar_bron: str | None = None
    periode: str | None = None
    indicatie: HeatIndication | None = None
    afwijking: str | None = None
    invoer: list[Quantity] = field(default_factory=list)
    pbl: PblResult | None = None
    #: for a wijk, district or gemeente: each buurt's plan and indication
    buurten: list[BuurtHeatRow] | None = None
    #: strategy -> number of buurten (plan), for an area of several buurten
    strategieen: dict[str, int] | None = None
    aquathermie: AquathermalScope | None = None


@dataclass(frozen=True, kw_only=True)
class Dossier:
    """Everything an area coordinator sees for one area, of any kind.

    Fields that do not apply to the kind of area are None (a buurt has no
    ``partners``, a regiegebied no ``wijk``).
    """

    niveau: str
    code: str
    naam: str
    wijk: Ref | None = None
    gemeente: Ref | None = None
    jaar: int | None = None
    oppervlakte_ha: float | None = None
    #: a complex dossier: the complex itself
    complex: ComplexRow | None = None
    regiegebieden: list[Ref] | None = None
    warmtegebieden: list[Ref] | None = None
    # a regiegebied or warmtegebied: what the ledger says about it
    partners: list[str] | None = None
    regisseur: str | None = None
    periode: str | None = None
    startjaar: int | None = None
    status: str | None = None
    strategie: str | None = None
    toelichting: str | None = None
    kerncijfers: list[Figure] = field(default_factory=list)
    #: for a buurt or complex: the figures of its wijk, for context
    kerncijfers_wijk: list[Figure] | None = None
    kerncijfers_toelichting: str | None = None
    complexen: Complexen
    leefbaarheid: Liveability
    afspraken: Afspraken
    warmte: Heat = field(default_factory=lambda: Heat(beschikbaar=False))
    buurten: list[Ref] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: every field, None where it does not apply."""
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
