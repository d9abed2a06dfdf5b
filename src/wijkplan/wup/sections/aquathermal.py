"""The section "Aquathermie" of the draft wijkuitvoeringsplan, where a project touches the area.

The project (source water, technique, heat supplier), the published share of the
signatories as published, the connected and planned objects, the complexes in the
scope, the source water and scope polygon with how their location was drawn, and the
transparent estimate with every coefficient's value, unit and source.
"""

from __future__ import annotations

from collections.abc import Sequence

from wijkplan.config.heat import HeatConfig
from wijkplan.dossier.model import AquathermalPart, AquathermalScope
from wijkplan.numbers import MISSING, number
from wijkplan.wup.model import Block, Paragraph, Section, Table
from wijkplan.wup.text import (
    cell,
    empty,
    join,
    marked,
    part_is_sample,
    quantity_is_sample,
    quantity_text,
)

__all__ = ["aquathermal", "location_note"]


def _part_row(p: AquathermalPart, columns: Sequence[str]) -> tuple[str, ...]:
    """A part's row; a part on sample data has its name and its numbers marked."""
    sample = part_is_sample(p)
    values = {
        "Naam": marked(p.naam, sample),
        "Soort": cell(p.soort),
        "Eigenaar": cell(p.eigenaar),
        "Status": cell(p.status),
        "Woningen": marked(number(p.woningen), sample and p.woningen is not None),
        "Warmtevraag (GJ/jaar)": marked(
            number(p.warmtevraag_gj), sample and p.warmtevraag_gj is not None
        ),
        "Ligging": cell(p.ligging),
        "Bron": cell(p.bron),
    }
    return tuple(values[c] for c in columns)


def _part_name(p: AquathermalPart) -> str:
    if p.onderdeel == "bronwater":
        return f"het bronwater ({p.naam})" if p.naam else "het bronwater"
    if p.onderdeel == "plangebied":
        return "het plangebied"
    return p.naam


def location_note(aq: AquathermalScope) -> str:
    """Which parts are not drawn where they really are, in the words of the column Ligging.

    Every ``ligging`` other than ``bron`` is named as the table names it (``schematisch``,
    ``bij benadering``, ``voorbeelddata``), with the parts it applies to. The scope polygon,
    which the dossier does not list as a part, is drawn by wijkplan around the objects and
    is named as schematic.
    """
    groups: dict[str, list[str]] = {}
    for p in aq.onderdelen:
        if p.ligging and p.ligging != "bron":
            groups.setdefault(p.ligging, []).append(_part_name(p))
    if not any(p.onderdeel == "plangebied" for p in aq.onderdelen):
        # the dossier leaves the scope polygon out of the parts: wijkplan draws it around
        # the objects, so it is schematic wherever the project is drawn
        names = groups.setdefault("schematisch", [])
        water = sum(
            1 for p in aq.onderdelen if p.onderdeel == "bronwater" and p.ligging == "schematisch"
        )
        names.insert(water, "het plangebied")
    said = [f"{kind[:1].upper() + kind[1:]}: {join(names)}." for kind, names in groups.items()]
    return "De ligging op de kaart is niet de echte ligging. " + " ".join(said)


def aquathermal(aq: AquathermalScope, config: HeatConfig | None) -> list[Section]:
    """The section "Aquathermie" and its subsections: objects, complexes, source water, estimate."""
    rows = (
        ("Project", aq.naam),
        ("Gebied", f"{aq.gebied.naam} ({aq.gebied.code})"),
        ("Bronwater", cell(aq.bronwater)),
        ("Techniek", cell(aq.techniek)),
        ("Warmteleverancier", cell(aq.leverancier)),
    )
    main: list[Block] = [Table(("Onderdeel", "Waarde"), rows)]
    if aq.toelichting:
        main.append(Paragraph(aq.toelichting))
    if aq.schematisch:
        main.append(Paragraph(location_note(aq), "let op"))
    share = aq.aandeel_ondertekenaars
    if share is not None:
        published = getattr(config, "published", {}).get(share.naam)
        shown = getattr(published, "text", None) or quantity_text(share)
        about = share.omschrijving or "Aandeel van de ondertekenaars in de warmtevraag"
        main.append(
            Paragraph(
                f"{about[:1].upper() + about[1:]}: {shown} — zoals gepubliceerd, niet door "
                f"wijkplan berekend (bron: {share.bron or MISSING})."
            )
        )
    out = [Section("Aquathermie", tuple(main))]
    objects = [p for p in aq.onderdelen if p.onderdeel == "object"]
    cols: tuple[str, ...] = (
        "Naam", "Soort", "Eigenaar", "Status", "Warmtevraag (GJ/jaar)", "Ligging", "Bron"
    )  # fmt: skip
    out.append(
        Section(
            "Aangesloten en geplande objecten",
            (Table(cols, tuple(_part_row(p, cols) for p in objects)),)
            if objects
            else (empty("Geen objecten genoemd."),),
            level=2,
        )
    )
    complexes = [p for p in aq.onderdelen if p.onderdeel == "complex"]
    cols = ("Naam", "Eigenaar", "Woningen", "Warmtevraag (GJ/jaar)", "Status", "Bron")
    out.append(
        Section(
            "Complexen in het plangebied",
            (Table(cols, tuple(_part_row(p, cols) for p in complexes)),)
            if complexes
            else (empty("Geen complexen in het plangebied."),),
            level=2,
        )
    )
    others = [p for p in aq.onderdelen if p.onderdeel not in ("object", "complex")]
    if others:
        cols = ("Naam", "Soort", "Ligging", "Bron")
        out.append(
            Section(
                "Bronwater en plangebied",
                (
                    Table(
                        ("Onderdeel", *cols),
                        tuple((p.onderdeel, *_part_row(p, cols)) for p in others),
                    ),
                ),
                level=2,
            )
        )
    if aq.raming:
        out.append(
            Section(
                "Raming",
                (
                    Paragraph(
                        "Een doorzichtige raming: elke coëfficiënt met waarde, eenheid en bron. "
                        "Vervang aannames door gemeten of opgegeven waarden zodra die er zijn."
                    ),
                    Table(
                        ("Grootheid", "Waarde", "Eenheid", "Soort", "Bron"),
                        tuple(
                            (
                                q.omschrijving or q.naam,
                                marked(quantity_text(q, None, unit=False), quantity_is_sample(q)),
                                cell(q.eenheid),
                                cell(q.soort),
                                cell(q.bron),
                            )
                            for q in aq.raming
                        ),
                    ),
                ),
                level=2,
            )
        )
    return out
