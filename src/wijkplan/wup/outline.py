"""Composing the outline of a draft wijkuitvoeringsplan from a dossier and the build report.

Everything the document says comes from the :class:`~wijkplan.dossier.model.Dossier`
(kerncijfers, complexes, agreements, the heat part), the
:class:`~wijkplan.report.BuildReport` (date, version, sources) and the heat config
(strategy and phase descriptions, published figures). Nothing is invented: where a value
is missing the document says so, and the sections the project team writes hold only a
heading, a guiding question and an empty paragraph.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from wijkplan.config.heat import HeatConfig, load_heat_config
from wijkplan.dossier.model import (
    AfspraakRow,
    AquathermalPart,
    AquathermalScope,
    Dossier,
    Figure,
    Heat,
    Quantity,
)
from wijkplan.dossier.text import figure_text
from wijkplan.errors import WijkplanError
from wijkplan.numbers import MISSING, number, percent
from wijkplan.report import ABSENT, SAMPLE, BuildReport
from wijkplan.settings import is_sample
from wijkplan.wup.model import (
    Block,
    Bullets,
    MapFigure,
    Notice,
    Paragraph,
    Section,
    Table,
    WupDocument,
)

__all__ = ["TEAM_SECTIONS", "WUP_KINDS", "build_outline", "dutch_date"]

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

_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)  # fmt: skip
_KIND_TEXT = {"echt": "echt", SAMPLE: "voorbeelddata", ABSENT: "ontbreekt"}
SAMPLE_MARK = "voorbeelddata"
#: Shown for an area of several buurten that has no value of its own.
PER_BUURT = "per buurt, zie de tabel per buurt"
NOT_FOR_DECISIONS = "niet gebruiken voor besluiten"

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


# ---------------------------------------------------------------------------- small helpers


def dutch_date(value: dt.date | dt.datetime | str | None) -> str:
    """``2 december 2026`` (a datetime also with its time, an ISO text parsed first).

    >>> dutch_date(dt.date(2026, 12, 2)), dutch_date("2026-12-02T07:07:29+00:00")
    ('2 december 2026', '2 december 2026, 07:07 UTC')
    >>> dutch_date("2020-12-09"), dutch_date("gisteren"), dutch_date(None)
    ('9 december 2020', 'gisteren', '—')
    """
    if value is None:
        return MISSING
    if isinstance(value, str):
        text = value
        try:
            value = (
                dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
            )
        except ValueError:
            return text
    text = f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    if isinstance(value, dt.datetime):
        zone = " UTC" if value.utcoffset() == dt.timedelta(0) else ""
        text += f", {value:%H:%M}{zone}"
    return text


@dataclass(frozen=True)
class _Sample:
    """Whether a source text points at sample data.

    A text is sample data when it says so ("voorbeelddata …") or names the file of a
    source the build report lists as sample data (``bag-light.gpkg``).

    >>> s = _Sample(frozenset({"bag-light.gpkg"}))
    >>> s("BAG panden (bag-light.gpkg)"), s("voorbeelddata (wijkplan)"), s("CBS 2024"), s(None)
    (True, True, False, False)
    """

    files: frozenset[str] = frozenset()
    #: every kerncijfers source is sample data (for a figure without its own source)
    kerncijfers: bool = False

    @classmethod
    def of(cls, report: BuildReport) -> _Sample:
        files = frozenset(Path(s.path).name for s in report.sources if s.kind == SAMPLE and s.path)
        kinds = {s.kind for s in report.sources if s.name == "kerncijfers"}
        return cls(files, kinds == {SAMPLE})

    def __call__(self, bron: str | None) -> bool:
        if not bron:
            return False
        text = str(bron)
        return is_sample(text) or SAMPLE_MARK in text.lower() or any(f in text for f in self.files)


def _marked(text: str, sample: bool) -> str:
    return f"{text} ({SAMPLE_MARK})" if sample else text


def _or_missing(value: object) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return MISSING
    return str(value)


def _auto_number(value: float) -> str:
    """A number with as many decimals as it needs (at most 5; none from 100 up)."""
    if float(value).is_integer() or abs(value) >= 100:
        return number(value, 0)
    if abs(value) >= 10:
        return number(value, 1)
    decimals = next((d for d in range(1, 6) if round(value, d) == round(value, 6)), 5)
    return number(value, decimals)


def quantity_text(q: Quantity, config: HeatConfig | None = None, *, unit: bool = True) -> str:
    """A quantity's value as a reader sees it, with its unit (``unit=False``: without).

    >>> quantity_text(Quantity("x", "x", 0.4512, "fractie"))
    '45 %'
    >>> quantity_text(Quantity("c", "c", 0.03517, "GJ/m³")), quantity_text(Quantity("n", "n", None))
    ('0,03517 GJ/m³', 'onbekend')
    """
    if q.waarde is None:
        return "onbekend"
    spec = config.inputs.get(q.naam) if config is not None else None
    if spec is not None and spec.percent:
        return percent(q.waarde, spec.decimals)
    if spec is None and (q.eenheid or "").startswith("fractie") and unit:
        return percent(q.waarde, 0 if abs(q.waarde) >= 0.1 else 1)
    if spec is not None:
        text = number(q.waarde, spec.decimals)
    elif q.soort == "uitkomst":  # a result: no false precision
        text = number(q.waarde, 0 if abs(q.waarde) >= 100 else 1 if abs(q.waarde) >= 1 else 2)
    else:
        text = _auto_number(q.waarde)
    shown_unit = spec.unit if spec is not None else q.eenheid
    if unit and shown_unit and shown_unit != "aantal":
        text += f" {shown_unit}"
    return text


def _quantity_label(q: Quantity, config: HeatConfig | None) -> str:
    spec = config.inputs.get(q.naam) if config is not None else None
    label = spec.label if spec is not None else q.omschrijving or q.naam
    return label[:1].upper() + label[1:]


def _join(items: Sequence[str]) -> str:
    """``a``, ``a en b``, ``a, b en c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def _empty(text: str = "Geen gegevens in deze build.") -> Paragraph:
    return Paragraph(text, "klein")


# ---------------------------------------------------------------------------- the outline


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
    sample = _Sample.of(report)
    sample_parts = _sample_parts(dossier, sample, config)
    heat = dossier.warmte
    sections = [
        _map_section(dossier, map_caption),
        *_analysis(dossier, config, sample),
        *_strategy(dossier, config),
        _phase(dossier, config),
        _complexes(dossier),
    ]
    if heat.aquathermie is not None:
        sections += _aquathermal(heat.aquathermie, config, sample)
    sections.append(_agreements(dossier))
    sections += [
        Section(title, (Paragraph(question, "vraag"), Paragraph("", "leeg")), team=True)
        for title, question in TEAM_SECTIONS
    ]
    title = f"Wijkuitvoeringsplan {dossier.naam} — concept"
    return WupDocument(
        title=title,
        subtitle=_area_line(dossier),
        front=_front(dossier, report, config, sample_parts, today),
        sections=tuple(sections),
        voorbeelddata=tuple(sample_parts),
        keywords=("wijkuitvoeringsplan", "warmtetransitie", dossier.code, "concept"),
    )


def _area_line(d: Dossier) -> str:
    kind = {"warmtegebied": "Warmtegebied", "wijk": "Wijk", "buurt": "Buurt"}.get(
        d.niveau, d.niveau.capitalize()
    )
    line = f"{kind} {d.naam} ({d.code})"
    if d.niveau == "buurt" and d.wijk is not None:
        line += f" in wijk {d.wijk.naam} ({d.wijk.code})"
    if d.gemeente is not None:
        line += f", gemeente {d.gemeente.naam or d.gemeente.code}"
    return line


# ---------------------------------------------------------------------------- title page


def _sample_parts(d: Dossier, sample: _Sample, config: HeatConfig | None) -> list[str]:
    """The parts of the document based on sample data, each named once."""
    parts: list[str] = []
    heat = d.warmte
    if heat.plan_voorbeelddata:
        parts.append(
            "Warmteplan: vastgestelde strategie, fase en startjaar (Warmtestrategie, Fase en tijdpad)"
        )
    figures, _ = _shown_figures(d)
    sample_figures = [f.label for f in figures if _figure_is_sample(f, sample)]
    if sample_figures:
        parts.append(f"Kerncijfers in de Gebiedsanalyse: {_join(sample_figures)}")
    known = {f.lower() for f in sample_figures}
    sample_inputs = [
        label
        for q in heat.invoer
        if sample(q.bron) and (label := _quantity_label(q, config)).lower() not in known
    ]
    if sample_inputs:
        parts.append(f"Invoer van de indicatie in de Gebiedsanalyse: {_join(sample_inputs)}")
    if heat.indicatie is not None and heat.indicatie.voorbeelddata:
        parts.append(
            "De indicatie van de warmtestrategie (een deel van haar invoer is voorbeelddata)"
        )
    if d.complexen.beschikbaar and d.complexen.voorbeelddata and d.complexen.aantal:
        parts.append(
            "Complexen van corporaties: het hoofdstuk Complexen, het corporatiebezit per "
            "corporatie in de Gebiedsanalyse en de stippen op de kaart"
        )
    aq = heat.aquathermie
    if aq is not None:
        sample_aq = [p.naam for p in aq.onderdelen if sample(p.bron)]
        if sample_aq:
            parts.append(f"Aquathermie, onderdelen: {_join(sample_aq)}")
        if any(sample(q.bron) for q in aq.raming):
            parts.append("Aquathermie: de raming (een deel van de invoer is voorbeelddata)")
    return parts


def _front(
    d: Dossier,
    report: BuildReport,
    config: HeatConfig | None,
    sample_parts: list[str],
    today: dt.date,
) -> tuple[Block, ...]:
    heat = d.warmte
    rows = [
        ("Gebied", _area_line(d)),
        ("Datum van dit concept", dutch_date(today)),
        ("Gegevens gebouwd op", dutch_date(report.built_at)),
        ("wijkplan-versie", report.version),
        ("Gemeente (build)", report.gemeentecode),
    ]
    if heat.plan:
        rows.append(("Warmteplan", _marked(heat.plan, heat.plan_voorbeelddata)))
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


# ---------------------------------------------------------------------------- map and area


def _map_section(d: Dossier, caption: str | None) -> Section:
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
        blocks.append(Paragraph(f"Het gebied omvat {len(names)} buurten: {_join(names)}."))
    elif d.niveau == "buurt":
        where = [f"wijk {d.wijk.naam} ({d.wijk.code})"] if d.wijk else []
        where += [f"warmtegebied {w.naam} ({w.code})" for w in d.warmtegebieden or []]
        if where:
            blocks.append(Paragraph(f"De buurt ligt in {_join(where)}."))
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


def _figure_is_sample(f: Figure, sample: _Sample) -> bool:
    if f.waarde is None:
        return False
    return sample(f.bron) if f.bron else sample.kerncijfers


def _figure_row(f: Figure, sample: _Sample) -> tuple[str, str, str]:
    return (f.label, _marked(figure_text(f), _figure_is_sample(f, sample)), f.bron or MISSING)


def _shown_figures(d: Dossier) -> tuple[list[Figure], str | None]:
    """The area's kerncijfers, else (a buurt without them) its wijk's, with a note."""
    if d.kerncijfers or not d.kerncijfers_wijk:
        return list(d.kerncijfers), None
    wijk = d.wijk.naam if d.wijk else ""
    return list(d.kerncijfers_wijk), d.kerncijfers_toelichting or (
        f"Geen kerncijfers per buurt; getoond zijn die van wijk {wijk}."
    )


def _quantity_row(q: Quantity, config: HeatConfig | None, sample: _Sample) -> tuple[str, str, str]:
    return (
        _quantity_label(q, config),
        _marked(quantity_text(q, config), sample(q.bron) and q.waarde is not None),
        q.bron or MISSING,
    )


def _quantity_rows(
    quantities: list[Quantity],
    config: HeatConfig | None,
    sample: _Sample,
    shown: list[tuple[str, str, str]],
) -> list[tuple[str, str, str]]:
    """Rows of heat inputs, without those a kerncijfer of the same name already shows."""
    labels = {row[0].lower() for row in shown}
    rows = [_quantity_row(q, config, sample) for q in quantities]
    return [row for row in rows if row[0].lower() not in labels]


def _analysis(d: Dossier, config: HeatConfig | None, sample: _Sample) -> list[Section]:
    heat = d.warmte
    figures, figure_note = _shown_figures(d)
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
        rows += _quantity_rows([q for q in heat.invoer if q.naam in names], config, sample, rows)
        used |= set(names)
        blocks: list[Block] = [
            Table(("Kenmerk", "Waarde", "Bron"), tuple(rows)) if rows else _empty()
        ]
        if title == "Woningen en eigendom":
            blocks += _owners(d, figures, heat)
        out.append(Section(title, tuple(blocks), level=2))
    rest = [_figure_row(f, sample) for f in figures if f.kolom not in used]
    rest += _quantity_rows([q for q in heat.invoer if q.naam not in used], config, sample, rest)
    if rest:
        out.append(
            Section(
                "Overige kenmerken",
                (Table(("Kenmerk", "Waarde", "Bron"), tuple(rest)),),
                level=2,
            )
        )
    return out


def _homes(figures: Iterable[Figure], heat: Heat) -> tuple[float | None, str | None]:
    """The number of homes of the area and where it comes from."""
    for f in figures:
        if f.kolom == "woningvoorraad" and f.waarde is not None:
            return float(f.waarde), f.bron
    for q in heat.invoer:
        if q.naam == "woningen" and q.waarde is not None:
            return float(q.waarde), q.bron
    if heat.buurten and all(b.woningen is not None for b in heat.buurten):
        return float(sum(b.woningen or 0 for b in heat.buurten)), "som van de buurten (warmteplan)"
    return None, None


def _owners(d: Dossier, figures: list[Figure], heat: Heat) -> list[Block]:
    c = d.complexen
    if not c.beschikbaar:
        return [_empty("Corporatiebezit per corporatie: geen complexenbestand in deze build.")]
    if not c.per_corporatie:
        return [
            _empty("Corporatiebezit per corporatie: geen complexen van corporaties in dit gebied.")
        ]
    homes, homes_bron = _homes(figures, heat)
    rows = tuple(
        (
            corp,
            _marked(number(n), c.voorbeelddata),
            percent(n / homes, 0) if homes else MISSING,
        )
        for corp, n in sorted(c.per_corporatie.items(), key=lambda kv: -kv[1])
    )
    note = (
        f"Aandeel: woningen in complexen gedeeld door de woningvoorraad ({number(homes)}; "
        f"bron: {homes_bron or MISSING})."
        if homes
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


# ---------------------------------------------------------------------------- strategy and phase


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


def _strategy(d: Dossier, config: HeatConfig | None) -> list[Section]:
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
                        ("Strategie", _or_missing(d.strategie), "afsprakenregister"),
                        ("Status", _or_missing(d.status), "afsprakenregister"),
                    ),
                    caption="Wat het afsprakenregister over dit warmtegebied zegt",
                )
            )
        return [Section("Warmtestrategie", tuple(blocks))]
    rows = [
        ("Warmteplan", _marked(_or_missing(heat.plan), heat.plan_voorbeelddata), MISSING),
    ]
    if heat.gebied is not None:
        rows.append(("Warmtegebied", f"{heat.gebied.naam} ({heat.gebied.code})", MISSING))
    if heat.begrenzing:
        rows.append(("Begrenzing", heat.begrenzing, _or_missing(heat.begrenzing_bron)))
    rows += [
        (
            "Vastgestelde strategie",
            _marked(
                _or_missing(heat.strategie) if heat.strategie or not heat.buurten else PER_BUURT,
                heat.plan_voorbeelddata and bool(heat.strategie),
            ),
            _or_missing(heat.strategie_bron),
        ),
        (
            "Warmtebron",
            _or_missing(heat.warmtebron),
            _or_missing(heat.strategie_bron) if heat.warmtebron else MISSING,
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
        return [_empty("Geen indicatie in deze build.")]
    blocks: list[Block] = [
        Paragraph(
            _marked(
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
        return [_empty("Niet geladen in deze build (geen resultaten van de Startanalyse van PBL).")]
    return [
        Table(
            ("Onderdeel", "Waarde"),
            (
                ("Strategie met de laagste nationale kosten", _or_missing(p.strategie)),
                ("Variant", _or_missing(p.variant)),
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
                ("Bron", _or_missing(p.bron)),
            ),
        )
    ]


def _phase(d: Dossier, config: HeatConfig | None) -> Section:
    heat = d.warmte

    def shown(value: object) -> str:
        """The area's value; for an area of several buurten without one: see the table."""
        return _or_missing(value) if value is not None or not heat.buurten else PER_BUURT

    blocks: list[Block] = []
    if not heat.beschikbaar:
        if d.niveau == "warmtegebied" and (d.periode or d.startjaar):
            blocks.append(
                Table(
                    ("Onderdeel", "Waarde", "Bron"),
                    (
                        ("Periode", _or_missing(d.periode), "afsprakenregister"),
                        ("Startjaar", _or_missing(d.startjaar), "afsprakenregister"),
                    ),
                )
            )
        else:
            blocks.append(_empty("Fase en startjaar: geen warmteplan in deze build."))
        return Section("Fase en tijdpad", tuple(blocks))
    blocks.append(
        Table(
            ("Onderdeel", "Waarde", "Bron"),
            (
                ("Fase", shown(heat.fase), _or_missing(heat.fase_bron)),
                ("Startjaar", shown(heat.startjaar), _or_missing(heat.startjaar_bron)),
                (
                    "Periode",
                    shown(heat.periode),
                    _or_missing(heat.plan) if heat.periode else MISSING,
                ),
            ),
        )
    )
    if heat.fase and config is not None:
        desc = next((p.description for p in config.phases if p.name == heat.fase), None)
        if desc:
            blocks.append(Paragraph(f"{heat.fase}: {desc}", "klein"))
    if heat.buurten:
        blocks.append(
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
                        number(b.woningen),
                        _or_missing(b.strategie),
                        _or_missing(b.fase),
                        _or_missing(b.indicatie),
                        "ja" if b.afwijking else MISSING,
                        _or_missing(b.begrenzing),
                    )
                    for b in heat.buurten
                ),
                caption="Per buurt: plan en indicatie",
            )
        )
        if any(b.afwijking for b in heat.buurten):
            blocks.append(
                Paragraph(
                    "Verschil 'ja': plan en indicatie wijzen op een andere strategie. Een verschil "
                    "is geen fout; het dossier van de buurt (wijkplan dossier BU…) geeft de redenen.",
                    "klein",
                )
            )
    return Section("Fase en tijdpad", tuple(blocks))


# ---------------------------------------------------------------------------- complexes, project


def _complexes(d: Dossier) -> Section:
    c = d.complexen
    if not c.beschikbaar:
        return Section("Complexen", (_empty("Geen complexenbestand in deze build."),))
    if not c.lijst:
        return Section("Complexen", (_empty("Geen complexen van corporaties in dit gebied."),))
    per = ", ".join(f"{k} {number(v)}" for k, v in c.per_corporatie.items())
    blocks: list[Block] = [
        Paragraph(
            _marked(
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
                    _or_missing(r.naam),
                    _or_missing(r.corporatie),
                    number(r.aantal_woningen),
                    _or_missing(r.bouwjaar),
                    _or_missing(r.energielabel),
                    _or_missing(r.woningtype),
                )
                for r in c.lijst
            ),
            caption=_marked("Complexen van corporaties in het gebied", c.voorbeelddata),
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


def _part_row(p: AquathermalPart, columns: Sequence[str], sample: _Sample) -> tuple[str, ...]:
    values = {
        "Naam": p.naam,
        "Soort": _or_missing(p.soort),
        "Eigenaar": _or_missing(p.eigenaar),
        "Status": _or_missing(p.status),
        "Woningen": number(p.woningen),
        "Warmtevraag (GJ/jaar)": number(p.warmtevraag_gj),
        "Ligging": _or_missing(p.ligging),
        "Bron": _or_missing(p.bron),
    }
    row = tuple(values[c] for c in columns)
    if sample(p.bron):
        row = (f"{row[0]} ({SAMPLE_MARK})", *row[1:])
    return row


def _aquathermal(aq: AquathermalScope, config: HeatConfig | None, sample: _Sample) -> list[Section]:
    rows = (
        ("Project", aq.naam),
        ("Gebied", f"{aq.gebied.naam} ({aq.gebied.code})"),
        ("Bronwater", _or_missing(aq.bronwater)),
        ("Techniek", _or_missing(aq.techniek)),
        ("Warmteleverancier", _or_missing(aq.leverancier)),
    )
    main: list[Block] = [Table(("Onderdeel", "Waarde"), rows)]
    if aq.toelichting:
        main.append(Paragraph(aq.toelichting))
    if aq.schematisch:
        main.append(
            Paragraph(
                "De ligging van bronwater en plangebied op de kaart is schematisch en die van de "
                "objecten bij benadering: niet de echte ligging.",
                "let op",
            )
        )
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
            (Table(cols, tuple(_part_row(p, cols, sample) for p in objects)),)
            if objects
            else (_empty("Geen objecten genoemd."),),
            level=2,
        )
    )
    complexes = [p for p in aq.onderdelen if p.onderdeel == "complex"]
    cols = ("Naam", "Eigenaar", "Woningen", "Warmtevraag (GJ/jaar)", "Status", "Bron")
    out.append(
        Section(
            "Complexen in het plangebied",
            (Table(cols, tuple(_part_row(p, cols, sample) for p in complexes)),)
            if complexes
            else (_empty("Geen complexen in het plangebied."),),
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
                        tuple((p.onderdeel, *_part_row(p, cols, sample)) for p in others),
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
                                _marked(quantity_text(q, None, unit=False), sample(q.bron)),
                                _or_missing(q.eenheid),
                                _or_missing(q.soort),
                                _or_missing(q.bron),
                            )
                            for q in aq.raming
                        ),
                    ),
                ),
                level=2,
            )
        )
    return out


# ---------------------------------------------------------------------------- agreements


def _agreements(d: Dossier) -> Section:
    a = d.afspraken
    if not a.beschikbaar:
        return Section("Prestatieafspraken", (_empty("Geen afsprakenregister in deze build."),))
    blocks: list[Block] = [
        Paragraph(
            f"Uit {a.register or 'het afsprakenregister'}"
            + (f" (ondertekend {dutch_date(a.ondertekend)})" if a.ondertekend else "")
            + "; de status is de huidige stand in de statusopslag."
        )
    ]
    header = ("Afspraak", "Titel", "Trekker", "Status", "Via")

    def rows(items: Iterable[AfspraakRow]) -> tuple[tuple[str, ...], ...]:
        return tuple(
            (
                r.afspraak_id,
                r.titel,
                r.trekker,
                r.status + (f" ({percent(r.voortgang / 100)})" if r.voortgang is not None else ""),
                r.via,
            )
            for r in items
        )

    if a.direct:
        blocks.append(Table(header, rows(a.direct), caption="Afspraken over dit gebied"))
    else:
        blocks.append(_empty("Geen afspraken die dit gebied direct noemen."))
    if a.gemeentebreed:
        blocks.append(Table(header, rows(a.gemeentebreed), caption="Gemeentebrede afspraken"))
    return Section("Prestatieafspraken", tuple(blocks))
