"""The draft wijkuitvoeringsplan: outline, Word and Markdown, the map, the CLI, atomic writes.

Most tests use a hand-made dossier (the heat part constructed here) and tiny boundaries,
so they do not depend on a build; the end-to-end tests use the GeoPackage built from the
bundled data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import docx
import geopandas as gpd
import pytest
from matplotlib.text import Text
from shapely.geometry import LineString, Point, box

import wijkplan.wup as wup
from wijkplan.areas import Area
from wijkplan.cli import main
from wijkplan.dossier.model import (
    AfspraakRow,
    Afspraken,
    AquathermalPart,
    AquathermalScope,
    BuurtHeatRow,
    Complexen,
    ComplexRow,
    Dossier,
    Figure,
    Heat,
    HeatIndication,
    Liveability,
    PblResult,
    Quantity,
    Ref,
)
from wijkplan.report import ABSENT, REAL, SAMPLE, BuildReport, SourceEntry
from wijkplan.wup.figure import MapInput, draw_map, render_map
from wijkplan.wup.markdown import TEAM_PLACEHOLDER
from wijkplan.wup.outline import TEAM_SECTIONS, build_outline

SAMPLE_BRON = "voorbeelddata (wijkplan sample-data, seed GM0484)"
REQUIRED_TEAM = (
    "Participatie en communicatie",
    "Kosten en woonlastenneutraliteit",
    "Koppelkansen in de openbare ruimte",
    "Organisatie, juridische en financiële stappen",
)

# ---------------------------------------------------------------------------- hand-made inputs


def _report(*, sample: bool = True) -> BuildReport:
    return BuildReport(
        "GM0484",
        "2026-03-01T09:30:00+00:00",
        version="9.9.9",
        sources=[
            SourceEntry("buurten", "data/geo/buurten.geojson", REAL, 4, "CBS/Kadaster 2024"),
            SourceEntry("complexen", "data/geo/complexen.gpkg", SAMPLE if sample else REAL, 2),
            SourceEntry("afspraken", "afspraken.yaml", REAL, 1, "Prestatieafspraken 2021"),
            SourceEntry("bag", "data/geo/bag-light.gpkg", SAMPLE if sample else REAL, 10),
            SourceEntry("pbl", None, ABSENT),
        ],
    )


def _heat() -> Heat:
    return Heat(
        beschikbaar=True,
        plan="Transitievisie Warmte Alphen aan den Rijn (17 februari 2022)",
        gebied=Ref("wg-planetenbuurt", "Planetenbuurt"),
        begrenzing="gepubliceerd",
        begrenzing_bron="Transitievisie Warmte (2022), verkenningsgebied 1",
        strategie="warmtenet lage temperatuur",
        strategie_bron="Transitievisie Warmte (2022)",
        warmtebron="Aquathermie uit de Oude Rijn (TEO) met WKO",
        fase="verkenning",
        fase_bron="Transitievisie Warmte (2022): al lopend in 2021",
        startjaar=None,
        startjaar_bron="Niet gepubliceerd",
        periode="al lopend in 2021",
        indicatie=HeatIndication(
            "warmtenet midden/hoge temperatuur",
            "mt-dichtheid",
            ["Hoge woningdichtheid met veel gestapelde woningen.", "woningdichtheid 52 ≥ 40"],
            ["aandeel label E/F/G"],
            voorbeelddata=True,
        ),
        afwijking="Plan en indicatie verschillen: het plan kiest warmtenet lage temperatuur.",
        invoer=[
            Quantity("woningen", "Woningvoorraad", 3300, "aantal", "CBS 85984NED"),
            Quantity("aandeel_meergezins", "gestapeld", 0.81, "fractie", "CBS 85984NED"),
            Quantity("aandeel_label_ab", "labels", 0.31, "fractie", f"EP-Online, {SAMPLE_BRON}"),
            Quantity(
                "aandeel_voor_1975",
                "oud",
                0.88,
                "fractie",
                "BAG panden (bag-light.gpkg, voorbeelddata)",
            ),
            Quantity("warmtevraag_gj", "Warmtevraag", 81234.5, "GJ per jaar", "gasverbruik CBS"),
        ],
        pbl=PblResult("warmtenet MT", "S2a", 412.0, 380.5, "PBL Startanalyse 2020"),
        buurten=[
            BuurtHeatRow(
                "BU04840210",
                "Planetenbuurt-Noord",
                "warmtenet lage temperatuur",
                "verkenning",
                "warmtenet midden/hoge temperatuur",
                "verschilt",
                1800,
                "gepubliceerd",
            ),
            BuurtHeatRow(
                "BU04840211",
                "Planetenbuurt-Zuid",
                "warmtenet lage temperatuur",
                "verkenning",
                "warmtenet lage temperatuur",
                None,
                1500,
                "gepubliceerd",
            ),
        ],
        strategieen={"warmtenet lage temperatuur": 2},
        aquathermie=AquathermalScope(
            naam="Aquathermie Planetenbuurt",
            gebied=Ref("wg-planetenbuurt", "Planetenbuurt"),
            bronwater="Oude Rijn",
            techniek="TEO met seizoensopslag (WKO)",
            leverancier="Eteck",
            onderdelen=[
                AquathermalPart(
                    "Alrijne ziekenhuis",
                    "object",
                    "ziekenhuis",
                    "Alrijne Zorggroep",
                    "gepland (eerste stap)",
                    None,
                    20000.0,
                    "bij benadering",
                    "gemeente 2021",
                ),
                AquathermalPart(
                    "Herculesflat",
                    "complex",
                    "woningen",
                    "Woonforte",
                    "gepland",
                    150,
                    4800.0,
                    "bron",
                    SAMPLE_BRON,
                ),
            ],
            raming=[
                Quantity(
                    "gas_energie_inhoud",
                    "energie-inhoud van aardgas",
                    0.03517,
                    "GJ/m³",
                    "algemene constante",
                    "coëfficiënt",
                ),
                Quantity(
                    "teo_vermogen",
                    "Vermogen van de TEO-installatie",
                    1.234,
                    "MW",
                    "berekend door wijkplan",
                    "uitkomst",
                ),
            ],
            aandeel_ondertekenaars=Quantity(
                "aandeel_ondertekenaars",
                "aandeel van de ondertekenaars in de warmtevraag van de buurt",
                0.7,
                "fractie",
                "openbare berichten gemeente/Woonforte",
                "gepubliceerd",
            ),
        ),
    )


def _dossier(*, heat: Heat | None = None, sample: bool = True) -> Dossier:
    return Dossier(
        niveau="warmtegebied",
        code="wg-planetenbuurt",
        naam="Planetenbuurt",
        gemeente=Ref("GM0484", "Alphen aan den Rijn"),
        oppervlakte_ha=40.0,
        buurten=[Ref("BU04840210", "Planetenbuurt-Noord"), Ref("BU04840211", "Planetenbuurt-Zuid")],
        kerncijfers=[
            Figure("woningvoorraad", "Woningvoorraad", 3300, "aantal", bron="CBS 2024"),
            Figure(
                "pct_corporatiebezit",
                "Huurwoningen van corporaties",
                48.0,
                "% van de woningen",
                bron="CBS 2024",
            ),
            Figure("aantal_inwoners", "Inwoners (1 januari)", 3560, "aantal", bron="CBS 2024"),
        ],
        complexen=Complexen(
            beschikbaar=True,
            aantal=2,
            woningen=248,
            per_corporatie={"Woonforte": 248},
            voorbeelddata=sample,
            lijst=[
                ComplexRow(
                    "WOO-0031",
                    "Planetenbuurt-Noord veld",
                    "Woonforte",
                    98,
                    1961,
                    "D",
                    "eengezinswoning",
                    "BU04840210",
                ),
                ComplexRow(
                    "WOO-0136",
                    "Herculesflat",
                    "Woonforte",
                    150,
                    1969,
                    "F",
                    "meergezinswoning (galerijflat)",
                    "BU04840211",
                ),
            ],
        ),
        leefbaarheid=Liveability(beschikbaar=False),
        afspraken=Afspraken(
            beschikbaar=True,
            register="Prestatieafspraken 2021 Alphen aan den Rijn",
            ondertekend="2020-12-09",
            lijst=[
                AfspraakRow(
                    "PA2021-05c",
                    "Aquathermieproject Planetenbuurt",
                    "warmte",
                    "Gemeente Alphen aan den Rijn",
                    "Gemeente; Woonforte",
                    "lopend",
                    40,
                    2,
                    "warmtegebied Planetenbuurt",
                    False,
                ),
                AfspraakRow(
                    "PA2021-05b",
                    "Opstellen van de wijkuitvoeringsplannen",
                    "warmte",
                    "Gemeente Alphen aan den Rijn",
                    "Gemeente",
                    "voorgenomen",
                    None,
                    1,
                    "gemeentebreed",
                    True,
                ),
            ],
        ),
        warmte=heat if heat is not None else _heat(),
    )


def _map_input(
    *, aquathermie: bool = True, strategie: str | None = None, sample: bool = True
) -> MapInput:
    buurten = gpd.GeoDataFrame(
        {
            "buurtcode": ["BU04840210", "BU04840211", "BU04840212", "BU04840301"],
            "buurtnaam": ["Planetenbuurt-Noord", "Planetenbuurt-Zuid", "Buur", "Verder"],
            "wijkcode": ["WK048402", "WK048402", "WK048402", "WK048403"],
        },
        geometry=[
            box(0, 500, 1000, 1000),
            box(0, 0, 1000, 500),
            box(1000, 0, 2000, 1000),
            box(0, -1000, 2000, 0),
        ],
        crs="EPSG:28992",
    )
    wijken = gpd.GeoDataFrame(
        {"wijkcode": ["WK048402", "WK048403"], "wijknaam": ["Ridderveld", "Zuid"]},
        geometry=[box(0, 0, 2000, 1000), box(0, -1000, 2000, 0)],
        crs="EPSG:28992",
    )
    complexen = gpd.GeoDataFrame(
        {
            "complex_id": ["WOO-0031", "WOO-0136"],
            "aantal_woningen": [98, 150],
            "buurtcode": ["BU04840210", "BU04840211"],
        },
        geometry=[box(400, 700, 430, 730), Point(600, 200)],
        crs="EPSG:28992",
    )
    aqua = gpd.GeoDataFrame(
        {
            "onderdeel": ["bronwater", "plangebied", "object", "complex"],
            "naam": ["Oude Rijn", "Plangebied", "Alrijne ziekenhuis", "Herculesflat"],
            "ligging": ["schematisch", "schematisch", "bij benadering", "bron"],
            "gebied_id": ["wg-planetenbuurt"] * 4,
        },
        geometry=[
            LineString([(-2000, -120), (4000, -80)]),
            box(100, 100, 900, 450),
            Point(300, 300),
            Point(600, 200),
        ],
        crs="EPSG:28992",
    )
    s = strategie or "warmtenet lage temperatuur"
    return MapInput(
        naam="Planetenbuurt",
        buurtcodes=("BU04840210", "BU04840211"),
        buurten=buurten,
        wijken=wijken,
        complexen=complexen,
        complexen_voorbeelddata=sample,
        aquathermie=aqua if aquathermie else None,
        strategieen={"BU04840210": s, "BU04840211": s},
        colours={"warmtenet lage temperatuur": "#fc8d59", "all-electric": "#2b8cbe"},
    )


@pytest.fixture
def fake_make(monkeypatch: pytest.MonkeyPatch):
    """Make ``write_wup`` use a hand-made dossier and tiny map (no build needed)."""

    def install(
        dossier: Dossier, report: BuildReport | None = None, kaart_input: MapInput | None = None
    ) -> None:
        kaart = render_map(kaart_input or _map_input())

        def make(code, layers, *, store=None):
            doc = build_outline(dossier, report or _report(), map_caption=kaart.caption)
            return wup.Wup(doc, kaart, dossier)

        monkeypatch.setattr(wup, "make_wup", make)

    return install


def _texts(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def _headings(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


# ---------------------------------------------------------------------------- Word


def test_docx_opens_with_map_area_agreement_and_sample_warning(fake_make, tmp_path):
    fake_make(_dossier())
    out = wup.write_wup("wg-planetenbuurt", "onbelangrijk.gpkg", tmp_path / "p.docx")
    assert out == tmp_path / "p.docx"
    document = docx.Document(str(out))
    text = _texts(document)
    assert document.paragraphs[0].text == "Wijkuitvoeringsplan Planetenbuurt — concept"
    assert "Planetenbuurt" in text and "Herculesflat" in text
    assert len(document.inline_shapes) == 1
    assert document.inline_shapes[0].width.cm == pytest.approx(16.0, abs=0.01)
    # the agreement with its current status and progress, in one row
    row = next(
        [c.text for c in r.cells]
        for t in document.tables
        for r in t.rows
        if r.cells[0].text == "PA2021-05c"
    )
    assert row[1:] == [
        "Aquathermieproject Planetenbuurt",
        "Gemeente Alphen aan den Rijn",
        "lopend (40 %)",
        "warmtegebied Planetenbuurt",
    ]
    # provenance on the title page
    assert "1 maart 2026, 09:30 UTC" in text and "9.9.9" in text
    assert "LET OP — Voorbeelddata: niet gebruiken voor besluiten" in text
    assert "Complexen van corporaties" in text and "Herculesflat" in text
    assert "ontbreekt" in text  # the PBL source row, kind "afwezig" shown as "ontbreekt"
    assert document.core_properties.title == "Wijkuitvoeringsplan Planetenbuurt — concept"


def test_docx_team_sections_have_a_question_in_italics_and_an_empty_paragraph(fake_make, tmp_path):
    fake_make(_dossier())
    document = docx.Document(str(wup.write_wup("wg-planetenbuurt", "x", tmp_path / "p.docx")))
    paragraphs = document.paragraphs
    titles = {title: question for title, question in TEAM_SECTIONS}
    assert set(REQUIRED_TEAM) <= set(titles)
    for title in titles:
        i = next(i for i, p in enumerate(paragraphs) if p.text == title)
        assert paragraphs[i].style.name == "Heading 1"
        question, empty = paragraphs[i + 1], paragraphs[i + 2]
        assert question.text == titles[title]
        assert question.runs and all(r.italic for r in question.runs)
        assert empty.text == "" and not empty.runs
        # nothing is written for the team: the next paragraph is the next heading (or the end)
        if i + 3 < len(paragraphs):
            assert paragraphs[i + 3].style.name.startswith("Heading")


def test_docx_shows_strategy_indication_phase_and_published_share(fake_make, tmp_path):
    fake_make(_dossier())
    text = _texts(docx.Document(str(wup.write_wup("wg-planetenbuurt", "x", tmp_path / "p.docx"))))
    assert "warmtenet lage temperatuur" in text
    assert (
        "Indicatie: warmtenet midden/hoge temperatuur (regel mt-dichtheid) (voorbeelddata)" in text
    )
    assert "Hoge woningdichtheid met veel gestapelde woningen." in text
    assert "Plan en indicatie verschillen" in text
    assert "Transitievisie Warmte (2022): al lopend in 2021" in text  # the phase's source
    assert "412 euro per WEQ per jaar" in text  # PBL beside it
    assert "70 % — zoals gepubliceerd, niet door wijkplan berekend" in text
    assert "0,03517" in text and "GJ/m³" in text and "algemene constante" in text
    assert "31 % (voorbeelddata)" in text  # a sample input marked per figure
    assert "88 % (voorbeelddata)" in text  # its source says it rests on sample data
    assert "3.560 (voorbeelddata)" not in text and "3.560" in text  # a real figure is not
    assert "48 % van de woningen" in text  # the CBS corporation share
    assert "Woonforte" in text and "8 %" in text  # 248 of 3.300 homes in complexes


def test_markdown_has_the_same_headings_and_the_map_beside_it(fake_make, tmp_path):
    fake_make(_dossier())
    word = docx.Document(str(wup.write_wup("wg-planetenbuurt", "x", tmp_path / "p.docx")))
    out = wup.write_wup("wg-planetenbuurt", "x", tmp_path / "p.md")
    text = out.read_text(encoding="utf-8")
    md_headings = [
        line.lstrip("#").strip() for line in text.splitlines() if line.startswith(("## ", "### "))
    ]
    assert md_headings == _headings(word)
    png = tmp_path / "p_kaart.png"
    assert png.read_bytes().startswith(b"\x89PNG")
    assert "](p_kaart.png)" in text
    assert text.startswith("# Wijkuitvoeringsplan Planetenbuurt — concept\n")
    assert "> **LET OP — Voorbeelddata: niet gebruiken voor besluiten**" in text
    for title, question in TEAM_SECTIONS:
        assert f"## {title}\n\n*{question}*\n\n{TEAM_PLACEHOLDER}\n" in text
    assert "| PA2021-05c | Aquathermieproject Planetenbuurt |" in text


def test_without_sample_data_there_is_no_sample_warning(fake_make, tmp_path):
    heat = dataclasses.replace(
        _heat(),
        indicatie=dataclasses.replace(_heat().indicatie, voorbeelddata=False),  # type: ignore[arg-type]
        invoer=[q for q in _heat().invoer if "voorbeelddata" not in (q.bron or "")],
        aquathermie=None,
    )
    fake_make(
        _dossier(heat=heat, sample=False),
        _report(sample=False),
        _map_input(aquathermie=False, sample=False),
    )
    text = _texts(docx.Document(str(wup.write_wup("wg-planetenbuurt", "x", tmp_path / "p.docx"))))
    assert "voorbeelddata" not in text.replace("echt, voorbeelddata of ontbreekt", "")
    assert "Aquathermie" not in _headings(docx.Document(str(tmp_path / "p.docx")))


def test_heat_plan_missing_still_gives_a_useful_document(fake_make, tmp_path):
    fake_make(_dossier(heat=Heat(beschikbaar=False)))
    document = docx.Document(str(wup.write_wup("wg-planetenbuurt", "x", tmp_path / "p.docx")))
    text = _texts(document)
    assert "LET OP — Warmteplan ontbreekt" in text
    assert "Geen warmteplan in deze build" in text
    headings = _headings(document)
    for title in (
        "Gebiedsanalyse",
        "Warmtestrategie",
        "Fase en tijdpad",
        "Complexen",
        "Prestatieafspraken",
        *REQUIRED_TEAM,
    ):
        assert title in headings
    assert "Aquathermie" not in headings
    assert "PA2021-05c" in text and "Woonforte" in text
    assert len(document.inline_shapes) == 1


def test_an_assumed_boundary_is_said(fake_make, tmp_path):
    heat = dataclasses.replace(
        _heat(), begrenzing="aanname", begrenzing_bron="Welke buurten is niet gepubliceerd."
    )
    fake_make(_dossier(heat=heat))
    text = _texts(docx.Document(str(wup.write_wup("wg-planetenbuurt", "x", tmp_path / "p.docx"))))
    assert "De begrenzing van dit gebied is een aanname" in text
    assert "Welke buurten is niet gepubliceerd." in text


def test_docx_bytes_for_a_download_button(fake_make):
    fake_make(_dossier())
    data = wup.wup_docx_bytes("wg-planetenbuurt", "x")
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs[0].text == "Wijkuitvoeringsplan Planetenbuurt — concept"
    assert len(document.inline_shapes) == 1


def test_strategy_colours_come_from_the_heat_config():
    from wijkplan.config.heat import load_heat_config
    from wijkplan.wup.figure import FALLBACK_COLOURS, strategy_colours

    assert strategy_colours() == load_heat_config().colours
    assert set(FALLBACK_COLOURS) == set(load_heat_config().colours)


# ---------------------------------------------------------------------------- the map


def test_map_is_a_png_with_strategy_legend_scale_and_schematic_marks():
    result = render_map(_map_input())
    assert result.png.startswith(b"\x89PNG")
    assert "warmtenet lage temperatuur" in result.legend
    assert "buurt buiten het gebied" in result.legend
    assert "bronwater: Oude Rijn (schematisch)" in result.legend
    assert "plangebied aquathermie (schematisch)" in result.legend
    assert any("voorbeelddata" in label for label in result.legend)
    assert "all-electric" not in result.legend  # only the strategies present
    assert "schematisch" in result.caption


def test_map_without_project_or_strategy():
    result = render_map(dataclasses.replace(_map_input(aquathermie=False), strategieen={}))
    assert "strategie onbekend" in result.legend
    assert not any("bronwater" in label or "plangebied" in label for label in result.legend)


def test_map_png_size_fits_the_page():
    import matplotlib.image as mpimg

    image = mpimg.imread(io.BytesIO(render_map(_map_input()).png), format="png")
    height, width = image.shape[:2]
    assert 1200 <= width <= 1800 and 0.6 <= height / width <= 1.0


# ---------------------------------------------------------------------------- review findings


def _sample(row):
    """``row`` as the dossier marks a row on sample data (its ``voorbeelddata`` flag).

    Set directly on the frozen instance while the model does not have the field yet.
    """
    if "voorbeelddata" in {f.name for f in dataclasses.fields(row)}:
        return dataclasses.replace(row, voorbeelddata=True)
    object.__setattr__(row, "voorbeelddata", True)
    return row


def _markdown(tmp_path: Path) -> str:
    return wup.write_wup("wg-planetenbuurt", "x", tmp_path / "p.md").read_text(encoding="utf-8")


def _section(text: str, title: str) -> str:
    """The Markdown of one section: from its heading to the next heading of its level."""
    start = text.index(f"## {title}\n")
    level = text[start:].split(" ", 1)[0]
    end = text.find(f"\n{level} ", start + len(level))
    return text[start : end if end >= 0 else None]


def test_docx_properties_are_the_drafts_own_not_the_templates(fake_make, tmp_path):
    fake_make(_dossier())
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    out = wup.write_wup("wg-planetenbuurt", "x", tmp_path / "p.docx")
    props = docx.Document(str(out)).core_properties
    assert before <= props.created <= dt.datetime.now(dt.UTC)  # not python-docx's 2013
    assert props.modified == props.created
    assert props.title == "Wijkuitvoeringsplan Planetenbuurt — concept"
    assert (
        props.subject
        == "Warmtegebied Planetenbuurt (wg-planetenbuurt), gemeente Alphen aan den Rijn"
    )
    assert props.author == "wijkplan" and props.last_modified_by == "wijkplan"


def _linestyles(figure, gid: str) -> list:
    ax = figure.axes[0]
    found = [c for c in ax.collections if c.get_gid() == gid]
    assert found, f"geen lijn {gid!r} op de kaart"
    return [dashes for c in found for _, dashes in c.get_linestyle()]


def test_map_draws_an_assumed_boundary_dashed_with_its_legend_entry():
    solid = draw_map(_map_input())
    assert _linestyles(solid.figure, "grens-gebied") == [None]  # published: a solid line
    assert not any("begrenzing aangenomen" in label for label in solid.legend)

    own = draw_map(dataclasses.replace(_map_input(), begrenzing="aanname"))
    assert all(dashes for dashes in _linestyles(own.figure, "grens-gebied"))
    assert "grens van het gebied: begrenzing aangenomen (niet gepubliceerd)" in own.legend

    # a wijk holding an assumed district (Boskoop-West in wijk Boskoop): the district dashed
    districts = gpd.GeoDataFrame(
        {
            "gebied_id": ["wg-west", "wg-planetenbuurt"],
            "naam": ["Boskoop-West", "Planetenbuurt"],
            "begrenzing": ["aanname", "gepubliceerd"],
        },
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)],
        crs="EPSG:28992",
    )
    wijk = draw_map(dataclasses.replace(_map_input(), warmtegebieden=districts))
    assert all(dashes for dashes in _linestyles(wijk.figure, "warmtegebied-aanname"))
    assert _linestyles(wijk.figure, "warmtegebied") == [None]
    assert "warmtegebied Boskoop-West: begrenzing aangenomen (niet gepubliceerd)" in wijk.legend
    assert "warmtegebied Planetenbuurt (begrenzing gepubliceerd)" in wijk.legend


def test_map_input_takes_the_districts_and_the_areas_own_boundary():
    districts = gpd.GeoDataFrame(
        {
            "gebied_id": ["wg-west", "wg-planetenbuurt"],
            "naam": ["Boskoop-West", "Planetenbuurt"],
            "begrenzing": ["aanname", "gepubliceerd"],
        },
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)],
        crs="EPSG:28992",
    )
    base = _map_input()
    layers = type(
        "Layers",
        (),
        {
            "buurten": base.buurten,
            "wijken": base.wijken,
            "complexen": base.complexen,
            "warmtegebieden": districts,
            "aquathermie": None,
            "warmteplan": None,
        },
    )()
    codes = ("BU04840210", "BU04840211")
    heat = dataclasses.replace(_heat(), begrenzing="aanname", aquathermie=None)
    district = wup.map_input(
        Area("warmtegebied", "wg-west", "Boskoop-West", codes), _dossier(heat=heat), layers
    )
    assert district.begrenzing == "aanname"
    assert district.warmtegebieden is not None
    assert list(district.warmtegebieden["gebied_id"]) == ["wg-planetenbuurt"]  # not itself
    wijk = wup.map_input(Area("wijk", "WK048470", "Boskoop", codes), _dossier(heat=_heat()), layers)
    assert wijk.begrenzing is None
    assert wijk.warmtegebieden is not None and len(wijk.warmtegebieden) == 2


def _crowded_project() -> gpd.GeoDataFrame:
    """The Alrijne objects a few metres apart; the Herculesflat and a complex on sample data."""
    return gpd.GeoDataFrame(
        {
            "onderdeel": ["bronwater", "object", "object", "object", "object", "complex"],
            "naam": [
                "Oude Rijn",
                "Alrijne Ziekenhuis",
                "Verpleeghuis Oudshoorn",
                "Nieuwbouw Scala College",
                "Herculesflat",
                "Planetenbuurt-Noord veld",
            ],
            "ligging": [
                "schematisch",
                "schematisch",
                "schematisch",
                "bij benadering",
                "voorbeelddata",
                "bron",
            ],
            "voorbeelddata": [True, False, False, False, True, True],
            "bron": [
                "voorbeelddata (wijkplan)",
                "gemeente",
                "gemeente",
                "gemeente",
                "Woonforte",
                "x",
            ],
        },
        geometry=[
            LineString([(-2000, -120), (4000, -80)]),
            Point(400, 300),
            Point(412, 306),
            Point(405, 290),
            Point(500, 740),
            Point(505, 745),
        ],
        crs="EPSG:28992",
    )


def test_map_numbers_objects_without_overlaps_and_marks_each_part():
    drawn = draw_map(dataclasses.replace(_map_input(), aquathermie=_crowded_project()))
    legend = drawn.legend
    assert "bronwater: Oude Rijn (schematisch, voorbeelddata)" in legend
    assert "Alrijne Ziekenhuis (schematisch)" in legend
    assert "Nieuwbouw Scala College (bij benadering)" in legend
    assert "Herculesflat (voorbeelddata)" in legend
    assert "Planetenbuurt-Noord veld (voorbeelddata)" in legend
    assert "complex in het plangebied (voorbeelddata)" in legend
    assert drawn.voorbeelddata

    figure = drawn.figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    ax = figure.axes[0]
    numbers = [t for t in ax.texts if t.get_gid() == "aquathermie-nummer"]
    assert sorted(t.get_text() for t in numbers) == ["1", "2", "3", "4", "5"]
    labels = numbers + [t for t in ax.texts if t.get_gid() == "buurtnaam"]
    boxes = [Text.get_window_extent(t, renderer) for t in labels]  # the text, not its leader
    overlaps = [
        (a.get_text(), b.get_text())
        for i, (a, box_a) in enumerate(zip(labels, boxes, strict=True))
        for b, box_b in list(zip(labels, boxes, strict=True))[i + 1 :]
        if box_a.overlaps(box_b)
    ]
    assert overlaps == []


def test_the_text_says_where_parts_lie_in_the_tables_words(fake_make, tmp_path):
    aq = _heat().aquathermie
    assert aq is not None
    alrijne, hercules = aq.onderdelen
    schematic = dataclasses.replace(
        aq,
        onderdelen=[
            dataclasses.replace(alrijne, ligging="schematisch"),
            dataclasses.replace(hercules, ligging="voorbeelddata"),
        ],
    )
    fake_make(_dossier(heat=dataclasses.replace(_heat(), aquathermie=schematic)))
    section = _section(_markdown(tmp_path), "Aquathermie")
    assert "| Alrijne ziekenhuis | ziekenhuis | Alrijne Zorggroep |" in section
    assert "| schematisch |" in section
    assert "bij benadering" not in section
    assert "Schematisch: het plangebied en Alrijne ziekenhuis." in section
    assert "Voorbeelddata: Herculesflat." in section

    fake_make(_dossier())  # Alrijne "bij benadering" in the table: so in the text
    section = _section(_markdown(tmp_path), "Aquathermie")
    assert "| bij benadering |" in section
    assert "Bij benadering: Alrijne ziekenhuis." in section
    assert "Schematisch: het plangebied." in section


def test_whole_numbers_never_show_decimals(fake_make, tmp_path):
    heat = _heat()
    heat = dataclasses.replace(
        heat,
        startjaar=2022.0,  # type: ignore[arg-type]  # as read from a column with empty cells
        buurten=[
            dataclasses.replace(b, woningen=float(b.woningen or 0), startjaar=2022.0)  # type: ignore[arg-type]
            for b in heat.buurten or []
        ],
    )
    d = _dossier(heat=heat)
    rows = [dataclasses.replace(r, bouwjaar=float(r.bouwjaar or 0)) for r in d.complexen.lijst]  # type: ignore[arg-type]
    fake_make(dataclasses.replace(d, complexen=dataclasses.replace(d.complexen, lijst=rows)))
    text = _markdown(tmp_path)
    assert not [n for n in (2022, 1961, 1969, 1800, 1500, 98, 150) if f"{n}.0" in text]
    assert "| Startjaar | 2022 | Niet gepubliceerd |" in text
    assert "| WOO-0031 | Planetenbuurt-Noord veld | Woonforte | 98 | 1961 | D |" in text
    assert "| Planetenbuurt-Noord (BU04840210) | 1.800 |" in text

    # without a heat plan: what the ledger says about the district
    fake_make(
        dataclasses.replace(
            _dossier(heat=Heat(beschikbaar=False)),
            periode="2023-2024",
            startjaar=2023.0,  # type: ignore[arg-type]
        )
    )
    text = _markdown(tmp_path)
    assert "| Startjaar | 2023 | afsprakenregister |" in text and "2023.0" not in text


def test_sample_data_is_marked_per_buurt_per_part_and_on_the_map(fake_make, tmp_path):
    heat = _heat()
    north, south = heat.buurten or []
    aq = heat.aquathermie
    assert aq is not None
    alrijne, hercules = aq.onderdelen
    # the dossier says so itself: flags, and a source that says "voorbeelddata"
    hercules = _sample(dataclasses.replace(hercules, bron="woonforte.nl", ligging="bron"))
    heat = dataclasses.replace(
        heat,
        buurten=[_sample(north), south],
        aquathermie=dataclasses.replace(aq, onderdelen=[alrijne, hercules]),
    )
    fake_make(_dossier(heat=heat))
    text = _markdown(tmp_path)
    table = _section(text, "Fase en tijdpad")
    assert "**Per buurt: plan en indicatie (voorbeelddata)**" in table
    assert (
        "| Planetenbuurt-Noord (BU04840210) | 1.800 (voorbeelddata) | warmtenet lage temperatuur "
        "| verkenning | warmtenet midden/hoge temperatuur (voorbeelddata) |"
    ) in table
    assert "| Planetenbuurt-Zuid (BU04840211) | 1.500 | warmtenet lage temperatuur |" in table
    assert "woningen en indicatie van die buurt berusten op voorbeelddata" in table
    assert "- Fase en tijdpad, de tabel per buurt: woningen en indicatie" in text  # title page
    complexes = _section(text, "Complexen in het plangebied")
    assert "| Herculesflat (voorbeelddata) | Woonforte | 150 (voorbeelddata) |" in complexes

    kaart = render_map(_map_input())
    assert kaart.voorbeelddata  # the sample complexes: the image says so at its foot
    plain = render_map(_map_input(aquathermie=False, sample=False))
    assert not plain.voorbeelddata


@pytest.mark.slow
def test_end_to_end_the_assumed_boskoop_west_is_dashed_and_years_are_whole(built_layers):
    wijk = wup.make_wup("WK048470", built_layers)
    assert "warmtegebied Boskoop-West: begrenzing aangenomen (niet gepubliceerd)" in (
        wijk.kaart.legend
    )
    district = wup.make_wup("wg-boskoop-west", built_layers)
    assert "grens van het gebied: begrenzing aangenomen (niet gepubliceerd)" in (
        district.kaart.legend
    )
    from wijkplan.wup.markdown import render_markdown

    text = render_markdown(district.document, "k.png")
    assert "| Startjaar | 2023 |" in text and "2023.0" not in text
    planeten = wup.make_wup("wg-planetenbuurt", built_layers)
    assert "Herculesflat (voorbeelddata)" in planeten.kaart.legend


# ---------------------------------------------------------------------------- errors, atomic


def test_unknown_suffix_is_one_line_exit_2_and_nothing_written(tmp_path, capsys):
    out = tmp_path / "x.pdf"
    assert main(["wup", "wg-planetenbuurt", "--out", str(out), "--layers", "nergens.gpkg"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "kies .docx of .md" in err
    assert not list(tmp_path.iterdir())


def test_layers_not_built_is_one_line_exit_2(tmp_path, capsys):
    out = tmp_path / "x.docx"
    code = main(["wup", "BU04840210", "--out", str(out), "--layers", str(tmp_path / "nope.gpkg")])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "nog niet gebouwd" in err
    assert not out.exists()


@pytest.mark.parametrize(("name", "module"), [("p.docx", "docx"), ("p.md", "markdown")])
def test_a_failing_renderer_leaves_nothing_and_keeps_earlier_files(
    fake_make, tmp_path, monkeypatch, name, module
):
    fake_make(_dossier())
    out = tmp_path / name
    out.write_text("eerdere versie")
    before = sorted(p.name for p in tmp_path.iterdir())

    def broken(doc, *args):
        if module == "docx":
            Path(args[-1]).write_bytes(b"half")  # a partial file at the temp path
        raise RuntimeError("kapot")

    import importlib

    target = importlib.import_module(f"wijkplan.wup.{module}")
    monkeypatch.setattr(target, f"render_{module}", broken)
    with pytest.raises(RuntimeError, match="kapot"):
        wup.write_wup("wg-planetenbuurt", "x", out)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert out.read_text() == "eerdere versie"


def test_wup_package_does_not_load_the_pipeline():
    code = (
        "import sys, wijkplan.wup, wijkplan.wup.figure, wijkplan.wup.docx, wijkplan.wup.markdown\n"
        "print('\\n'.join(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    assert "wijkplan.wup.figure" in loaded
    assert not [m for m in loaded if m.startswith(("wijkplan.build", "wijkplan.sources"))]
    assert "rasterio" not in loaded and "matplotlib.pyplot" not in loaded


# ---------------------------------------------------------------------------- end to end


@pytest.mark.slow
def test_end_to_end_buurt_district_and_wijk(built_layers, tmp_path, capsys):
    from wijkplan.afspraken.store import StatusStore
    from wijkplan.read import BuiltLayers

    store = tmp_path / "state" / "status.sqlite"
    ledger = BuiltLayers(built_layers).ledger
    assert ledger is not None
    StatusStore(store).update(
        "PA2021-05c", voortgang=55, door="test", expected_version=None, ledger=ledger
    )
    out = tmp_path / "p.docx"
    args = ["--out", str(out), "--layers", str(built_layers), "--store", str(store)]
    assert main(["wup", "BU04840210", *args]) == 0
    assert capsys.readouterr().out.strip() == f"Geschreven: {out}"
    document = docx.Document(str(out))
    text = _texts(document)
    assert "Planetenbuurt" in text and "Herculesflat" in text
    row = next(
        [c.text for c in r.cells]
        for t in document.tables
        for r in t.rows
        if r.cells[0].text == "PA2021-05c"
    )
    assert row[1] == "Aquathermieproject Planetenbuurt" and row[3].endswith("(55 %)")
    assert len(document.inline_shapes) == 1
    assert all(title in _headings(document) for title in REQUIRED_TEAM)

    district = tmp_path / "wg.md"
    assert (
        main(["wup", "wg-planetenbuurt", "--out", str(district), "--layers", str(built_layers)])
        == 0
    )
    assert (tmp_path / "wg_kaart.png").is_file()
    assert "PA2021-05c" in district.read_text(encoding="utf-8")

    wijk = tmp_path / "r.docx"
    assert main(["wup", "WK048402", "--out", str(wijk), "--layers", str(built_layers)]) == 0
    wijk_text = _texts(docx.Document(str(wijk)))
    assert "Wijkuitvoeringsplan Ridderveld — concept" in wijk_text
    assert "Planetenbuurt-Noord (BU04840210)" in wijk_text


@pytest.mark.slow
def test_end_to_end_unknown_area_is_one_line_and_writes_nothing(built_layers, tmp_path, capsys):
    out = tmp_path / "x.docx"
    assert main(["wup", "BU99999999", "--out", str(out), "--layers", str(built_layers)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "BU99999999" in err
    assert not list(tmp_path.iterdir())


@pytest.mark.slow
def test_end_to_end_a_complex_is_refused(built_layers, tmp_path, capsys):
    out = tmp_path / "x.docx"
    assert main(["wup", "WOO-0136", "--out", str(out), "--layers", str(built_layers)]) == 2
    assert "is een complex" in capsys.readouterr().err
    assert not out.exists()
