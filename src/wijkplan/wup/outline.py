"""Composing the outline of a draft wijkuitvoeringsplan from a dossier and the build report.

Everything the document says comes from the :class:`~wijkplan.dossier.model.Dossier`
(kerncijfers, complexes, agreements, the heat part), the
:class:`~wijkplan.report.BuildReport` (date, version, sources) and the heat config
(strategy and phase descriptions, published figures). Nothing is invented: where a value
is missing the document says so, and the sections the project team writes hold only a
heading, a guiding question and an empty paragraph.

This module puts the parts in order; each part is built in :mod:`wijkplan.wup.sections`
and every value is written through :mod:`wijkplan.wup.text`.
"""

from __future__ import annotations

import datetime as dt

from wijkplan.config.heat import HeatConfig, load_heat_config
from wijkplan.dossier.model import Dossier
from wijkplan.errors import WijkplanError
from wijkplan.report import BuildReport
from wijkplan.wup.model import Paragraph, Section, WupDocument
from wijkplan.wup.sections.agreements import agreements
from wijkplan.wup.sections.aquathermal import aquathermal
from wijkplan.wup.sections.area import analysis, map_section
from wijkplan.wup.sections.complexes import complexes
from wijkplan.wup.sections.phase import phase
from wijkplan.wup.sections.strategy import strategy
from wijkplan.wup.sections.title import area_line, front, sample_parts
from wijkplan.wup.text import SampleCheck, dutch_date, quantity_text

__all__ = ["TEAM_SECTIONS", "WUP_KINDS", "build_outline", "dutch_date", "quantity_text"]

#: The kinds of area a draft WUP is made for.
WUP_KINDS = ("warmtegebied", "wijk", "buurt")

#: The sections the project team writes itself: heading and guiding question. From the
#: recurring parts of a WUP in the public guidance (national programme, Aedes, 2021-2023).
TEAM_SECTIONS: tuple[tuple[str, str], ...] = (
    (
        "Warmteoplossing per gebouwtype",
        "Welke warmteoplossing komt er voor welke gebouwen en woningtypen, en is voor een deel "
        "van het gebied een andere oplossing of een aanpak per doelgroep nodig?",
    ),
    (
        "Participatie en communicatie",
        "Hoe worden bewoners, huurders, eigenaar-bewoners en andere eigenaren betrokken en "
        "geïnformeerd, door wie en op welke momenten, en welke rol hebben de corporaties en "
        "de huurdersorganisaties?",
    ),
    (
        "Kosten en woonlastenneutraliteit",
        "Wat kost de overstap voor bewoners, eigenaren en de samenleving, is die woonlastenneutraal "
        "voor huurders en eigenaar-bewoners, en welke financiering en subsidies zijn er?",
    ),
    (
        "Koppelkansen in de openbare ruimte",
        "Welke werkzaamheden in de openbare ruimte (riolering, wegen, verzwaring van het "
        "elektriciteitsnet, groen) kunnen samen met de aanleg worden uitgevoerd, en wanneer?",
    ),
    (
        "Organisatie, juridische en financiële stappen",
        "Welke partijen hebben welke rol, en welke technische, bestuurlijke, juridische, "
        "ruimtelijke en financiële stappen zijn nodig om het plan uit te voeren?",
    ),
    (
        "Planning en besluitvorming",
        "Wanneer gaat het gebied van het aardgas af (een datum die minstens acht jaar vooraf "
        "vaststaat), en welke besluiten van raad, college en partijen zijn daarvoor nodig?",
    ),
)


def build_outline(
    dossier: Dossier,
    report: BuildReport,
    *,
    config: HeatConfig | None = None,
    map_caption: str | None = None,
    today: dt.date | None = None,
) -> WupDocument:
    """The outline of the draft WUP of the dossier's area."""
    if config is None:
        try:
            config = load_heat_config()
        except WijkplanError:  # descriptions are a courtesy; the document does without them
            config = None
    today = today or dt.date.today()
    sample = SampleCheck.of(report)
    parts = sample_parts(dossier, sample, config)
    heat = dossier.warmte
    sections = [
        map_section(dossier, map_caption),
        *analysis(dossier, config, sample),
        *strategy(dossier, config),
        phase(dossier, config),
        complexes(dossier),
    ]
    if heat.aquathermie is not None:
        sections += aquathermal(heat.aquathermie, config)
    sections.append(agreements(dossier))
    sections += [
        Section(title, (Paragraph(question, "vraag"), Paragraph("", "leeg")), team=True)
        for title, question in TEAM_SECTIONS
    ]
    title = f"Wijkuitvoeringsplan {dossier.naam} — concept"
    return WupDocument(
        title=title,
        subtitle=area_line(dossier),
        front=front(dossier, report, config, parts, today),
        sections=tuple(sections),
        voorbeelddata=tuple(parts),
        keywords=("wijkuitvoeringsplan", "warmtetransitie", dossier.code, "concept"),
    )
