"""The section "Complexen" of the draft wijkuitvoeringsplan.

The housing corporations' complexes in the area (homes per corporation, building year,
energy label, type of dwelling), marked and warned about when the complexes file is
sample data.
"""

from __future__ import annotations

from wijkplan.dossier.model import Dossier
from wijkplan.numbers import number
from wijkplan.wup.model import Block, Paragraph, Section, Table
from wijkplan.wup.text import NOT_FOR_DECISIONS, cell, empty, marked

__all__ = ["complexes"]


def complexes(d: Dossier) -> Section:
    """The section "Complexen": a summary line and one row per complex."""
    c = d.complexen
    if not c.beschikbaar:
        return Section("Complexen", (empty("Geen complexenbestand in deze build."),))
    if not c.lijst:
        return Section("Complexen", (empty("Geen complexen van corporaties in dit gebied."),))
    per = ", ".join(f"{k} {number(v)}" for k, v in c.per_corporatie.items())
    blocks: list[Block] = [
        Paragraph(
            marked(
                f"{number(c.aantal)} complexen met {number(c.woningen)} woningen"
                + (f" ({per})" if per else ""),
                c.voorbeelddata,
            )
            + "."
        ),
        Table(
            ("Complex", "Naam", "Corporatie", "Woningen", "Bouwjaar", "Label", "Woningtype"),
            tuple(
                (
                    r.complex_id,
                    cell(r.naam),
                    cell(r.corporatie),
                    number(r.aantal_woningen),
                    cell(r.bouwjaar),
                    cell(r.energielabel),
                    cell(r.woningtype),
                )
                for r in c.lijst
            ),
            caption=marked("Complexen van corporaties in het gebied", c.voorbeelddata),
        ),
    ]
    if c.voorbeelddata:
        blocks.append(
            Paragraph(
                f"Voorbeelddata: deze complexen zijn gegenereerd, niet echt; {NOT_FOR_DECISIONS}.",
                "let op",
            )
        )
    return Section("Complexen", tuple(blocks))
