"""The section "Warmtestrategie" of the draft wijkuitvoeringsplan.

The adopted plan (strategy, heat source, boundary, each with its source), the
rule-based indication beside it with the rules' reasons and what they could not know,
and the PBL Startanalyse when it was loaded. Without a heat plan in the build the
section says so and shows what the agreement ledger holds about a warmtegebied.
"""

from __future__ import annotations

from pathlib import Path

from wijkplan.config.heat import HeatConfig
from wijkplan.dossier.model import Dossier, Heat
from wijkplan.numbers import MISSING, number
from wijkplan.wup.model import Block, Bullets, Paragraph, Section, Table
from wijkplan.wup.text import PER_BUURT, cell, empty, marked

__all__ = ["strategy"]


def _describe_strategy(name: str | None, config: HeatConfig | None) -> list[Block]:
    if not name or config is None:
        return []
    try:
        s = config.strategy(name)
    except KeyError:
        return []
    return [
        Paragraph(
            f"{s.name}: {s.description} (omschrijving uit {Path(config.source).name})", "klein"
        )
    ]


def strategy(d: Dossier, config: HeatConfig | None) -> list[Section]:
    """The section "Warmtestrategie" with its subsections on the indication and PBL."""
    heat = d.warmte
    if not heat.beschikbaar:
        blocks: list[Block] = [
            Paragraph(
                "Geen warmteplan in deze build: de vastgestelde strategie en de indicatie "
                "ontbreken (zie de melding op de titelpagina).",
                "let op",
            )
        ]
        if d.niveau == "warmtegebied" and (d.strategie or d.status or d.periode):
            blocks.append(
                Table(
                    ("Onderdeel", "Waarde", "Bron"),
                    (
                        ("Strategie", cell(d.strategie), "afsprakenregister"),
                        ("Status", cell(d.status), "afsprakenregister"),
                    ),
                    caption="Wat het afsprakenregister over dit warmtegebied zegt",
                )
            )
        return [Section("Warmtestrategie", tuple(blocks))]
    rows = [
        ("Warmteplan", marked(cell(heat.plan), heat.plan_voorbeelddata), MISSING),
    ]
    if heat.gebied is not None:
        rows.append(("Warmtegebied", f"{heat.gebied.naam} ({heat.gebied.code})", MISSING))
    if heat.begrenzing:
        rows.append(("Begrenzing", heat.begrenzing, cell(heat.begrenzing_bron)))
    rows += [
        (
            "Vastgestelde strategie",
            marked(
                cell(heat.strategie) if heat.strategie or not heat.buurten else PER_BUURT,
                heat.plan_voorbeelddata and bool(heat.strategie),
            ),
            cell(heat.strategie_bron),
        ),
        (
            "Warmtebron",
            cell(heat.warmtebron),
            cell(heat.strategie_bron) if heat.warmtebron else MISSING,
        ),
    ]
    main: list[Block] = [
        Table(("Onderdeel", "Waarde", "Bron"), tuple(rows), caption="Het vastgestelde plan"),
        *_describe_strategy(heat.strategie, config),
    ]
    if heat.begrenzing == "aanname":
        main.append(
            Paragraph(
                "Let op: welke buurten bij dit gebied horen is een aanname, niet gepubliceerd.",
                "let op",
            )
        )
    if heat.strategieen:
        main.append(
            Table(
                ("Strategie volgens het plan", "Buurten"),
                tuple((s, number(n)) for s, n in heat.strategieen.items()),
                caption="Strategieën van de buurten in het gebied",
            )
        )
    out = [Section("Warmtestrategie", tuple(main))]
    out.append(
        Section("Indicatie volgens de vuistregels", tuple(_indication(heat, config)), level=2)
    )
    out.append(Section("Startanalyse PBL", tuple(_pbl(heat)), level=2))
    return out


def _indication(heat: Heat, config: HeatConfig | None) -> list[Block]:
    ind = heat.indicatie
    fallback = config.fallback if config is not None else "nog te bepalen"
    source = Path(config.source).name if config is not None else "warmte.toml"
    if ind is None:
        if heat.buurten:
            return [
                Paragraph(
                    "De indicatie wordt per buurt gegeven; zie de tabel per buurt bij Fase en "
                    "tijdpad."
                ),
                Paragraph(
                    f"De indicatie is een vuistregel, geen beleid (regels in {source}).", "klein"
                ),
            ]
        return [empty("Geen indicatie in deze build.")]
    blocks: list[Block] = [
        Paragraph(
            marked(
                f"Indicatie: {ind.strategie}"
                + (f" (regel {ind.regel})" if ind.regel else " (geen regel past)"),
                ind.voorbeelddata,
            )
        ),
    ]
    if ind.redenen:
        blocks += [Paragraph("Waarom deze indicatie:"), Bullets(tuple(ind.redenen))]
    unknown = [u for u in ind.onbekend if u and str(u).strip().lower() not in ("nan", "none")]
    if unknown:
        blocks.append(
            Paragraph(
                "Onbekende invoer die de uitkomst had kunnen veranderen: "
                + ", ".join(unknown)
                + ".",
                "klein",
            )
        )
    # plan and indication side by side
    if heat.afwijking:
        compared = heat.afwijking
    elif not heat.strategie or heat.strategie == fallback:
        compared = "Geen vergelijking: het plan legt nog geen strategie vast."
    elif ind.strategie == fallback:
        compared = "Geen vergelijking: de vuistregels geven geen uitgesproken indicatie."
    elif heat.strategie == ind.strategie:
        compared = "Plan en indicatie wijzen op dezelfde strategie."
    else:
        compared = f"Het plan kiest {heat.strategie}, de vuistregels wijzen op {ind.strategie}."
    blocks.append(Paragraph(compared, "let op" if heat.afwijking else "tekst"))
    blocks.append(
        Paragraph(
            f"De indicatie is een vuistregel, geen beleid en geen kostenberekening; de regels en "
            f"drempels staan in {source}.",
            "klein",
        )
    )
    return blocks


def _pbl(heat: Heat) -> list[Block]:
    p = heat.pbl
    if p is None:
        return [empty("Niet geladen in deze build (geen resultaten van de Startanalyse van PBL).")]
    return [
        Table(
            ("Onderdeel", "Waarde"),
            (
                ("Strategie met de laagste nationale kosten", cell(p.strategie)),
                ("Variant", cell(p.variant)),
                (
                    "Nationale meerkosten per woningequivalent",
                    MISSING
                    if p.nat_meerkosten_weq is None
                    else f"{number(p.nat_meerkosten_weq)} euro per WEQ per jaar",
                ),
                (
                    "Nationale meerkosten per vermeden ton CO2",
                    MISSING
                    if p.nat_meerkosten_co2 is None
                    else f"{number(p.nat_meerkosten_co2)} euro per ton",
                ),
                ("Bron", cell(p.bron)),
            ),
        )
    ]
