"""The title page of the draft wijkuitvoeringsplan: provenance, sources and the sample-data box.

What the area is, when the draft and its data were made, which wijkplan version and
heat settings made it, every source of the build with its kind (real, sample or absent),
and, when any part of the document rests on sample data, a framed notice that names
each such part. Without a heat plan in the build a second notice says what is missing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from wijkplan.config.heat import HeatConfig
from wijkplan.dossier.model import Dossier
from wijkplan.numbers import MISSING, number
from wijkplan.report import ABSENT, SAMPLE, BuildReport
from wijkplan.wup.model import Block, Notice, Paragraph, Table
from wijkplan.wup.sections.area import figure_is_sample, shown_figures
from wijkplan.wup.text import (
    NOT_FOR_DECISIONS,
    SampleCheck,
    dutch_date,
    join,
    marked,
    part_is_sample,
    quantity_is_sample,
    quantity_label,
    row_is_sample,
)

__all__ = ["area_line", "front", "sample_parts"]

_KIND_TEXT = {"echt": "echt", SAMPLE: "voorbeelddata", ABSENT: "ontbreekt"}


def area_line(d: Dossier) -> str:
    """``Wijk Ridderveld (WK048402), gemeente Alphen aan den Rijn``: the subtitle."""
    kind = {"warmtegebied": "Warmtegebied", "wijk": "Wijk", "buurt": "Buurt"}.get(
        d.niveau, d.niveau.capitalize()
    )
    line = f"{kind} {d.naam} ({d.code})"
    if d.niveau == "buurt" and d.wijk is not None:
        line += f" in wijk {d.wijk.naam} ({d.wijk.code})"
    if d.gemeente is not None:
        line += f", gemeente {d.gemeente.naam or d.gemeente.code}"
    return line


def sample_parts(d: Dossier, sample: SampleCheck, config: HeatConfig | None) -> list[str]:
    """The parts of the document based on sample data, each named once."""
    parts: list[str] = []
    heat = d.warmte
    if heat.plan_voorbeelddata:
        parts.append(
            "Warmteplan: vastgestelde strategie, fase en startjaar (Warmtestrategie, Fase en tijdpad)"
        )
    figures, _ = shown_figures(d)
    sample_figures = [f.label for f in figures if figure_is_sample(f, sample)]
    if sample_figures:
        parts.append(f"Kerncijfers in de Gebiedsanalyse: {join(sample_figures)}")
    known = {f.lower() for f in sample_figures}
    sample_inputs = [
        label
        for q in heat.invoer
        if quantity_is_sample(q) and (label := quantity_label(q, config)).lower() not in known
    ]
    if sample_inputs:
        parts.append(f"Invoer van de indicatie in de Gebiedsanalyse: {join(sample_inputs)}")
    if heat.indicatie is not None and heat.indicatie.voorbeelddata:
        parts.append(
            "De indicatie van de warmtestrategie (een deel van haar invoer is voorbeelddata)"
        )
    if heat.buurten and any(row_is_sample(b) for b in heat.buurten):
        parts.append("Fase en tijdpad, de tabel per buurt: woningen en indicatie")
    if d.complexen.beschikbaar and d.complexen.voorbeelddata and d.complexen.aantal:
        parts.append(
            "Complexen van corporaties: het hoofdstuk Complexen, het corporatiebezit per "
            "corporatie in de Gebiedsanalyse en de stippen op de kaart"
        )
    aq = heat.aquathermie
    if aq is not None:
        sample_aq = [p.naam for p in aq.onderdelen if part_is_sample(p)]
        if sample_aq:
            parts.append(f"Aquathermie, onderdelen (ligging en aantallen): {join(sample_aq)}")
        if any(quantity_is_sample(q) for q in aq.raming):
            parts.append("Aquathermie: de raming (een deel van de invoer is voorbeelddata)")
    return parts


def front(
    d: Dossier,
    report: BuildReport,
    config: HeatConfig | None,
    sample_parts: list[str],
    today: dt.date,
) -> tuple[Block, ...]:
    """The blocks of the title page below the title and the subtitle."""
    heat = d.warmte
    rows = [
        ("Gebied", area_line(d)),
        ("Datum van dit concept", dutch_date(today)),
        ("Gegevens gebouwd op", dutch_date(report.built_at)),
        ("wijkplan-versie", report.version),
        ("Gemeente (build)", report.gemeentecode),
    ]
    if heat.plan:
        rows.append(("Warmteplan", marked(heat.plan, heat.plan_voorbeelddata)))
    if config is not None:
        rows.append(("Instellingen warmte (vuistregels, coëfficiënten)", Path(config.source).name))
    blocks: list[Block] = [
        Paragraph(
            "Dit is een concept, samengesteld door wijkplan uit de gebouwde gegevens. Het "
            "projectteam vult het aan en past het aan; de hoofdstukken met een cursieve vraag "
            "schrijft het team zelf."
        ),
        Table(("Herkomst", ""), tuple(rows)),
        Table(
            ("Bron", "Soort", "Aantal", "Omschrijving"),
            tuple(
                (
                    s.name,
                    _KIND_TEXT.get(s.kind, s.kind),
                    MISSING
                    if s.kind == ABSENT
                    else ("afgeschermd" if s.count is None else number(s.count)),
                    s.label or s.path or MISSING,
                )
                for s in report.sources
            ),
            caption="Gebruikte bronnen (echt, voorbeelddata of ontbreekt)",
        ),
    ]
    if sample_parts:
        lines = [
            "Deze onderdelen van het document zijn gebaseerd op voorbeelddata (gegenereerd, "
            "niet echt):",
            *(f"• {p}" for p in sample_parts),
            "Bronnen met voorbeelddata in deze build: "
            + ", ".join(sorted(report.sample_sources()) or ["geen"])
            + " (zie de tabel Gebruikte bronnen).",
        ]
        lines.append(
            "Voorbeelddata dienen alleen om de werkwijze te tonen: "
            f"{NOT_FOR_DECISIONS}. Vervang de bron door echte gegevens en maak het document "
            "opnieuw."
        )
        blocks.append(Notice(f"Voorbeelddata: {NOT_FOR_DECISIONS}", tuple(lines)))
    elif report.uses_sample_data:
        blocks.append(
            Paragraph(
                "Deze build bevat voorbeelddata ("
                + ", ".join(sorted(report.sample_sources()))
                + "), maar dit document gebruikt ze niet.",
                "klein",
            )
        )
    if not heat.beschikbaar:
        blocks.append(_heat_missing())
    blocks.append(
        Paragraph(
            f"Opnieuw maken: wijkplan wup {d.code} --out <bestand>.docx (of .md). Cijfers "
            "staan met hun bron"
            + (
                "; '(voorbeelddata)' staat bij elk cijfer dat erop berust." if sample_parts else "."
            ),
            "klein",
        )
    )
    return tuple(blocks)


def _heat_missing() -> Notice:
    return Notice(
        "Warmteplan ontbreekt",
        (
            "Deze build bevat geen warmteplan: vastgestelde strategie, fase, startjaar, de "
            "indicatie en het aquathermieproject zijn daarom niet in dit concept opgenomen.",
            "Bouw de lagen opnieuw met een warmteplan (wijkplan build) en maak het document "
            "opnieuw.",
        ),
        kind="ontbreekt",
    )
