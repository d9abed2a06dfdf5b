"""The sections "Gebied en kaart" and "Gebiedsanalyse" of the draft wijkuitvoeringsplan.

The map with its caption and what the area holds, then the area's figures grouped as a
WUP groups them (homes and owners, building years and labels, heat demand, the rest):
the CBS kerncijfers and the inputs of the heat indication, each with its source and,
where it rests on sample data, the sample mark; and the corporations' homes per
corporation as a share of the housing stock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from wijkplan.config.heat import HeatConfig
from wijkplan.dossier.model import Dossier, Figure, Heat, Quantity
from wijkplan.dossier.text import figure_text
from wijkplan.numbers import MISSING, number, percent
from wijkplan.wup.model import Block, MapFigure, Paragraph, Section, Table
from wijkplan.wup.text import (
    NOT_FOR_DECISIONS,
    SampleCheck,
    empty,
    join,
    marked,
    quantity_is_sample,
    quantity_label,
    quantity_text,
    row_is_sample,
)

__all__ = ["analysis", "figure_is_sample", "map_section", "shown_figures"]

# How a figure or heat input is grouped in the area analysis (by its name).
_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Woningen en eigendom",
        (
            "woningvoorraad", "woningen", "aantal_inwoners", "aantal_huishoudens",
            "woningdichtheid", "pct_koopwoningen", "pct_huurwoningen", "pct_corporatiebezit",
            "aandeel_corporatie", "pct_eengezinswoning", "pct_meergezinswoning",
            "aandeel_meergezins",
        ),
    ),
    (
        "Bouwjaren en energielabels",
        (
            "pct_bouwjaar_voor_2000", "pct_bouwjaar_vanaf_2000", "pct_bouwjaar_laatste_10_jaar",
            "aandeel_voor_1975", "aandeel_vanaf_1995", "woningen_met_label", "aandeel_label_ab",
            "aandeel_label_efg",
        ),
    ),
    (
        "Warmtevraag",
        (
            "gemiddeld_gasverbruik", "warmtevraag_gj", "warmtevraag_per_ha",
            "pct_stadsverwarming", "aandeel_stadsverwarming", "afstand_oppervlaktewater",
        ),
    ),
)  # fmt: skip


def map_section(d: Dossier, caption: str | None) -> Section:
    """The map, its caption, the buurten of the area and an assumed boundary said aloud."""
    blocks: list[Block] = [
        MapFigure(
            caption=f"Kaart van {d.naam}"
            + (f": {caption}." if caption else ".")
            + " Ondergrond: CBS-buurt- en wijkgrenzen, geen achtergrondkaart.",
            alt=f"Kaart van {d.naam} met de buurten naar warmtestrategie",
        )
    ]
    if d.buurten:
        names = [f"{b.naam} ({b.code})" for b in d.buurten]
        blocks.append(Paragraph(f"Het gebied omvat {len(names)} buurten: {join(names)}."))
    elif d.niveau == "buurt":
        where = [f"wijk {d.wijk.naam} ({d.wijk.code})"] if d.wijk else []
        where += [f"warmtegebied {w.naam} ({w.code})" for w in d.warmtegebieden or []]
        if where:
            blocks.append(Paragraph(f"De buurt ligt in {join(where)}."))
    if d.oppervlakte_ha is not None:
        blocks.append(Paragraph(f"Oppervlakte: {number(d.oppervlakte_ha, 1)} ha (uit de grenzen)."))
    heat = d.warmte
    if heat.begrenzing == "aanname":
        blocks.append(
            Paragraph(
                "De begrenzing van dit gebied is een aanname, niet gepubliceerd"
                + (f": {heat.begrenzing_bron}" if heat.begrenzing_bron else ".")
                + (" Ga na welke buurten erbij horen." if heat.begrenzing_bron else ""),
                "let op",
            )
        )
    return Section("Gebied en kaart", tuple(blocks))


def figure_is_sample(f: Figure, sample: SampleCheck) -> bool:
    if f.waarde is None:
        return False
    return sample(f.bron) if f.bron else sample.kerncijfers


def _figure_row(f: Figure, sample: SampleCheck) -> tuple[str, str, str]:
    return (f.label, marked(figure_text(f), figure_is_sample(f, sample)), f.bron or MISSING)


def shown_figures(d: Dossier) -> tuple[list[Figure], str | None]:
    """The area's kerncijfers, else (a buurt without them) its wijk's, with a note."""
    if d.kerncijfers or not d.kerncijfers_wijk:
        return list(d.kerncijfers), None
    wijk = d.wijk.naam if d.wijk else ""
    return list(d.kerncijfers_wijk), d.kerncijfers_toelichting or (
        f"Geen kerncijfers per buurt; getoond zijn die van wijk {wijk}."
    )


def _quantity_row(q: Quantity, config: HeatConfig | None) -> tuple[str, str, str]:
    return (
        quantity_label(q, config),
        marked(quantity_text(q, config), quantity_is_sample(q)),
        q.bron or MISSING,
    )


def _quantity_rows(
    quantities: list[Quantity],
    config: HeatConfig | None,
    shown: list[tuple[str, str, str]],
) -> list[tuple[str, str, str]]:
    """Rows of heat inputs, without those a kerncijfer of the same name already shows."""
    labels = {row[0].lower() for row in shown}
    rows = [_quantity_row(q, config) for q in quantities]
    return [row for row in rows if row[0].lower() not in labels]


def analysis(d: Dossier, config: HeatConfig | None, sample: SampleCheck) -> list[Section]:
    """The section "Gebiedsanalyse" and its subsections: the area's figures by group."""
    heat = d.warmte
    figures, figure_note = shown_figures(d)
    used: set[str] = set()
    out = [
        Section(
            "Gebiedsanalyse",
            (
                Paragraph(
                    "Cijfers uit de CBS-kerncijfers en de invoer van de warmte-indicatie, elk met "
                    "bron en eenheid. Controleer en vul aan met eigen gegevens (bijvoorbeeld "
                    "gemeten verbruik van grote afnemers)."
                ),
                *([Paragraph(figure_note, "klein")] if figure_note else []),
            ),
        )
    ]
    for title, names in _GROUPS:
        rows = [_figure_row(f, sample) for f in figures if f.kolom in names]
        rows += _quantity_rows([q for q in heat.invoer if q.naam in names], config, rows)
        used |= set(names)
        blocks: list[Block] = [
            Table(("Kenmerk", "Waarde", "Bron"), tuple(rows)) if rows else empty()
        ]
        if title == "Woningen en eigendom":
            blocks += _owners(d, figures, sample)
        out.append(Section(title, tuple(blocks), level=2))
    rest = [_figure_row(f, sample) for f in figures if f.kolom not in used]
    rest += _quantity_rows([q for q in heat.invoer if q.naam not in used], config, rest)
    if rest:
        out.append(
            Section(
                "Overige kenmerken",
                (Table(("Kenmerk", "Waarde", "Bron"), tuple(rest)),),
                level=2,
            )
        )
    return out


@dataclass(frozen=True)
class _Homes:
    """The number of homes of the area, where it comes from, and whether that is sample data."""

    value: float | None = None
    bron: str | None = None
    sample: bool = False


def _homes(figures: Iterable[Figure], heat: Heat, sample: SampleCheck) -> _Homes:
    for f in figures:
        if f.kolom == "woningvoorraad" and f.waarde is not None:
            return _Homes(float(f.waarde), f.bron, figure_is_sample(f, sample))
    for q in heat.invoer:
        if q.naam == "woningen" and q.waarde is not None:
            return _Homes(float(q.waarde), q.bron, quantity_is_sample(q))
    if heat.buurten and all(b.woningen is not None for b in heat.buurten):
        return _Homes(
            float(sum(b.woningen or 0 for b in heat.buurten)),
            "som van de buurten (warmteplan)",
            any(row_is_sample(b) for b in heat.buurten),
        )
    return _Homes()


def _owners(d: Dossier, figures: list[Figure], sample: SampleCheck) -> list[Block]:
    """Homes in complexes per corporation, and their share of the area's housing stock."""
    c = d.complexen
    if not c.beschikbaar:
        return [empty("Corporatiebezit per corporatie: geen complexenbestand in deze build.")]
    if not c.per_corporatie:
        return [
            empty("Corporatiebezit per corporatie: geen complexen van corporaties in dit gebied.")
        ]
    homes = _homes(figures, d.warmte, sample)
    rows = tuple(
        (
            corp,
            marked(number(n), c.voorbeelddata),
            marked(percent(n / homes.value, 0), c.voorbeelddata or homes.sample)
            if homes.value
            else MISSING,
        )
        for corp, n in sorted(c.per_corporatie.items(), key=lambda kv: -kv[1])
    )
    note = (
        "Aandeel: woningen in complexen gedeeld door de woningvoorraad "
        f"({marked(number(homes.value), homes.sample)}; bron: {homes.bron or MISSING})."
        if homes.value
        else "Aandeel: onbekend, de woningvoorraad van het gebied staat niet in deze build."
    )
    if c.voorbeelddata:
        note += f" De complexen zijn voorbeelddata: {NOT_FOR_DECISIONS}."
    return [
        Table(
            ("Corporatie", "Woningen in complexen", "Aandeel van de woningvoorraad"),
            rows,
            caption="Corporatiebezit per corporatie (uit het complexenbestand)",
        ),
        Paragraph(note, "klein"),
    ]
