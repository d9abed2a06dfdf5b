"""The section "Fase en tijdpad" of the draft wijkuitvoeringsplan.

Phase, start year and period of the adopted plan with their sources, the phase's
description from the heat config, and for an area of several buurten the table per
buurt: homes, plan, phase, indication, whether they differ and whether the buurt's
place in the district is published or assumed, with the sample mark on every value that
rests on sample data. Whole numbers (a start year) are written as such, also when the
dossier hands them over as floats.
"""

from __future__ import annotations

from wijkplan.config.heat import HeatConfig
from wijkplan.dossier.model import Dossier, Heat
from wijkplan.numbers import MISSING, number
from wijkplan.wup.model import Block, Paragraph, Section, Table
from wijkplan.wup.text import (
    NOT_FOR_DECISIONS,
    PER_BUURT,
    SAMPLE_MARK,
    cell,
    empty,
    join,
    marked,
    row_is_sample,
)

__all__ = ["per_buurt", "phase"]


def phase(d: Dossier, config: HeatConfig | None) -> Section:
    """The section "Fase en tijdpad", with the table per buurt for an area of several buurten."""
    heat = d.warmte

    def shown(value: object) -> str:
        """The area's value (marked when the plan is sample data); else see the table."""
        if value is None:
            return PER_BUURT if heat.buurten else MISSING
        text = cell(value)
        return marked(text, heat.plan_voorbeelddata and text != MISSING)

    blocks: list[Block] = []
    if not heat.beschikbaar:
        if d.niveau == "warmtegebied" and (d.periode or d.startjaar):
            blocks.append(
                Table(
                    ("Onderdeel", "Waarde", "Bron"),
                    (
                        ("Periode", cell(d.periode), "afsprakenregister"),
                        ("Startjaar", cell(d.startjaar), "afsprakenregister"),
                    ),
                )
            )
        else:
            blocks.append(empty("Fase en startjaar: geen warmteplan in deze build."))
        return Section("Fase en tijdpad", tuple(blocks))
    blocks.append(
        Table(
            ("Onderdeel", "Waarde", "Bron"),
            (
                ("Fase", shown(heat.fase), cell(heat.fase_bron)),
                ("Startjaar", shown(heat.startjaar), cell(heat.startjaar_bron)),
                (
                    "Periode",
                    shown(heat.periode),
                    cell(heat.plan) if heat.periode else MISSING,
                ),
            ),
        )
    )
    if heat.fase and config is not None:
        desc = next((p.description for p in config.phases if p.name == heat.fase), None)
        if desc:
            blocks.append(Paragraph(f"{heat.fase}: {desc}", "klein"))
    if heat.buurten:
        blocks += per_buurt(heat)
    return Section("Fase en tijdpad", tuple(blocks))


def per_buurt(heat: Heat) -> list[Block]:
    """The table per buurt: homes, plan, phase, indication, difference and boundary.

    A buurt whose homes and inputs rest on sample data has its homes and indication
    marked, and the caption says that the table holds sample data; a sample plan marks
    the plan's columns too.
    """
    rows = heat.buurten or []
    plan_sample = heat.plan_voorbeelddata
    sample_rows = [row_is_sample(b) for b in rows]
    blocks: list[Block] = [
        Table(
            (
                "Buurt",
                "Woningen",
                "Strategie (plan)",
                "Fase",
                "Indicatie",
                "Verschil",
                "Begrenzing",
            ),
            tuple(
                (
                    f"{b.buurtnaam} ({b.buurtcode})",
                    marked(number(b.woningen), sample and b.woningen is not None),
                    marked(cell(b.strategie), plan_sample and b.strategie is not None),
                    marked(cell(b.fase), plan_sample and b.fase is not None),
                    marked(cell(b.indicatie), sample and b.indicatie is not None),
                    "ja" if b.afwijking else MISSING,
                    cell(b.begrenzing),
                )
                for b, sample in zip(rows, sample_rows, strict=True)
            ),
            caption=marked("Per buurt: plan en indicatie", any(sample_rows) or plan_sample),
        )
    ]
    if any(sample_rows) or plan_sample:
        what = [
            *(["woningen en indicatie"] if any(sample_rows) else []),
            *(["strategie en fase van het plan"] if plan_sample else []),
        ]
        blocks.append(
            Paragraph(
                f"'({SAMPLE_MARK})': {join(what)} van die buurt berusten op voorbeelddata; "
                f"{NOT_FOR_DECISIONS}.",
                "klein",
            )
        )
    if any(b.afwijking for b in rows):
        blocks.append(
            Paragraph(
                "Verschil 'ja': plan en indicatie wijzen op een andere strategie. Een verschil "
                "is geen fout; het dossier van de buurt (wijkplan dossier BU…) geeft de redenen.",
                "klein",
            )
        )
    return blocks
