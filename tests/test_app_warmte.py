"""The heat transition in the app: map themes, the dossier's Warmte section, the Warmte page."""

from __future__ import annotations

import os
import shutil

import folium
import geopandas as gpd
import pytest
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO, logged_in
from wijkplan import read, ui
from wijkplan.config.heat import PHASES, STRATEGIES, load_heat_config
from wijkplan.errors import ValidationError
from wijkplan.mapping import (
    PHASE_PATTERNS,
    SvgPatterns,
    base_map,
    heat_theme,
)

KAART = str(REPO / "views" / "kaart.py")
WARMTE = str(REPO / "views" / "warmte.py")


def _texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown] + [c.value for c in at.caption]


def _kaart(gebied: str | None = None, thema: str | None = None) -> AppTest:
    at = AppTest.from_file(KAART, default_timeout=60)
    if gebied:
        at.query_params["gebied"] = gebied
    if thema:
        at.query_params["thema"] = thema
    return at.run()


# ---------------------------------------------------------------------------- the map themes


def test_strategy_theme_has_a_legend_of_strategies_phases_assumption_and_schematic(app_env):
    at = _kaart(thema=ui.WARMTE_STRATEGIE)
    assert not at.exception
    theme = at.selectbox(key="thema")
    assert ui.WARMTE_STRATEGIE in theme.options and ui.WARMTE_INDICATIE in theme.options
    assert theme.value == ui.WARMTE_STRATEGIE
    legend = "\n".join(t for t in _texts(at) if "display:inline-block" in t)
    colours = load_heat_config().colours
    for name in STRATEGIES:
        assert f"background:{colours[name]}" in legend and name in legend
    for phase in PHASES:
        assert phase in legend and PHASE_PATTERNS[phase].css() in legend
    assert "aanname (gestreept)" in legend
    assert "plangebied (schematisch)" in legend
    assert "Complexen: energielabel — voorbeelddata" in legend
    assert any(
        "warmtegebied (gestreept waar de begrenzing een aanname is)" in c for c in _texts(at)
    )


def test_indication_theme_marks_differences_in_the_legend(app_env):
    at = _kaart(thema=ui.WARMTE_INDICATIE)
    assert not at.exception
    legend = "\n".join(t for t in _texts(at) if "display:inline-block" in t)
    assert "Indicatie (vuistregels)" in legend
    assert "plan en indicatie verschillen" in legend
    assert all(name in legend for name in STRATEGIES)


def test_heat_theme_styles_hatch_and_differences_on_tiny_buurten():
    """Colour by strategy or indication, a hatch per phase, a thick outline where they differ."""
    plan = gpd.GeoDataFrame(
        {
            "buurtcode": ["BU99990101", "BU99990102", "BU99990201"],
            "strategie": ["warmtenet lage temperatuur", "all-electric", "nog te bepalen"],
            "fase": ["verkenning", "uitvoering", None],
            "gebied_naam": ["Noord", "Noord", None],
            "begrenzing": ["aanname", "aanname", None],
            "indicatie": ["warmtenet lage temperatuur", "hybride", "nog te bepalen"],
            "afwijking": [None, "Plan en indicatie verschillen: …", None],
            "invoer_voorbeelddata": [True, False, False],
        },
        geometry=[box(0, 0, 100, 100), box(100, 0, 200, 100), box(0, 100, 100, 200)],
        crs="EPSG:28992",
    )
    colours = load_heat_config().colours
    strategy = heat_theme(plan, mode="strategie", colours=colours)
    assert strategy.styles["BU99990102"]["fillColor"] == colours["all-electric"]
    assert strategy.layers.hatch is not None
    hatch = strategy.layers.hatch
    assert dict(zip(hatch["buurtcode"], hatch["fase"], strict=True)) == {
        "BU99990101": "verkenning",
        "BU99990102": "uitvoering",
    }
    assert strategy.info["BU99990101"]["Warmtegebied"] == "Noord (begrenzing: aanname)"
    assert strategy.info["BU99990201"]["Fase"] == "geen"

    indication = heat_theme(plan, mode="indicatie", colours=colours)
    assert indication.styles["BU99990102"]["fillColor"] == colours["hybride"]
    assert indication.layers.differences is not None
    assert list(indication.layers.differences["buurtcode"]) == ["BU99990102"]
    assert heat_theme(plan, mode="strategie", colours=colours).layers.differences is None
    assert indication.differences == 1 and indication.sample_inputs
    assert indication.layers.hatch is None
    assert "deels voorbeelddata" in indication.legend[0].title  # type: ignore[operator]


def test_phase_patterns_are_defined_once_and_referenced_by_fill(tiny_buurten, tiny_wijken):
    plan = tiny_buurten.assign(
        strategie="hybride", fase=["verkenning", "aardgasvrij", None, None], indicatie="hybride"
    )
    theme = heat_theme(plan, mode="strategie", colours=load_heat_config().colours)
    m = base_map(tiny_buurten, tiny_wijken, buurt_style=theme.styles, heat=theme.layers)
    page = m.get_root().render()
    assert page.count("wijkplan-patronen") >= 1
    for phase in PHASES:
        assert PHASE_PATTERNS[phase].pattern_id in page  # every phase's pattern is defined
    assert '"fillColor": "url(#wijkplan-fase-1)"' in page
    assert '"fillColor": "url(#wijkplan-fase-5)"' in page
    # no asset other than the app's own Leaflet
    assert "cdn" not in page.lower() and "https://" not in page
    kinds = [type(c) for c in m._children.values()]
    assert kinds.index(SvgPatterns) < kinds.index(folium.GeoJson)  # defined before use


# ---------------------------------------------------------------------------- the dossier panel


def test_dossier_of_planetenbuurt_zuid_shows_plan_indication_and_aquathermal_project(app_env):
    at = _kaart(gebied="BU04840211")
    assert not at.exception
    texts = _texts(at)
    plan = next(t for t in texts if t.startswith("**Plan"))
    assert "warmtenet lage temperatuur" in plan and "verkenning" in plan
    assert any(t.startswith("**Indicatie (vuistregels)") for t in texts)
    heat = read.BuiltLayers(app_env).warmteplan
    assert heat is not None
    reasons = str(heat.set_index("buurtcode").loc["BU04840211", "indicatie_redenen"]).split("\n")
    shown = "\n".join(texts)
    assert all(r in shown for r in reasons)  # every reason, in the list or the expander
    assert [e.label for e in at.expander if e.label.startswith("Bronnen van het plan")]
    assert any(t.startswith("**Aquathermie: ") and "schematisch" in t for t in texts)
    share = next(t for t in texts if t.startswith("**Aandeel van de ondertekenaars"))
    assert "gepubliceerd, niet berekend" in share and "70 %" in share
    frames = [df.value for df in at.dataframe]
    objects = next(f for f in frames if "ligging" in f.columns and "naam" in f.columns)
    assert "Herculesflat" in set(objects["naam"])
    assert {"schematisch", "voorbeelddata"} <= set(objects["ligging"])
    assert any(t.startswith("**Complexen in het plangebied — voorbeelddata") for t in texts)
    raming = next(f for f in frames if {"eenheid", "soort", "bron"} <= set(f.columns))
    coefficients = raming[raming["soort"] == "coëfficiënt"]
    assert len(coefficients) >= 9
    assert (coefficients["eenheid"] != "").all() and (coefficients["bron"] != "—").all()
    assert "0,6" not in set(coefficients["waarde"])  # a fraction is shown as a percentage
    inputs = next(f for f in frames if list(f.columns) == ["grootheid", "waarde", "bron", "let op"])
    assert len(inputs) >= 10
    if (inputs["let op"] == "voorbeelddata").any():  # sample inputs are marked, also when folded
        assert any(e.label == "Invoer van de indicatie (deels voorbeelddata)" for e in at.expander)
    assert any("pagina [Warmte](warmte?gebied=BU04840211)" in t for t in texts)


def test_dossier_of_district_with_assumed_boundary_says_so(app_env):
    at = _kaart(gebied="wg-ridderveld-west")
    assert not at.exception
    assert any("is een **aanname**" in w.value for w in at.warning)
    table = next(df.value for df in at.dataframe if "begrenzing gebied" in df.value.columns)
    assert set(table["begrenzing gebied"]) >= {"aanname"}
    assert any(t.startswith("**Strategieën in het plan:**") for t in _texts(at))


def test_dossier_of_wijk_and_gemeente_list_their_buurten(app_env):
    buurten = read.read_layer(app_env, "buurten")
    for code, expected in (
        ("WK048402", int((buurten["wijkcode"] == "WK048402").sum())),
        ("GM0484", len(buurten)),
    ):
        at = _kaart(gebied=code)
        assert not at.exception
        table = next(df.value for df in at.dataframe if "strategie (plan)" in df.value.columns)
        assert list(table.columns)[-2].startswith("woningen")
        assert len(table) == expected
        assert "##### Warmte" in _texts(at)


def test_heat_section_shows_pbl_beside_the_indication_and_marks_sample_inputs():
    def page() -> None:
        from wijkplan import ui
        from wijkplan.dossier.model import Heat, HeatIndication, PblResult, Quantity

        ui.render_heat(
            Heat(
                beschikbaar=True,
                plan="Warmteplan",
                strategie="hybride",
                indicatie=HeatIndication("all-electric", "all-electric-label", ["Reden een."]),
                pbl=PblResult("Hybride warmtepomp", "S1b", 1234.5, 456.0, "PBL Startanalyse"),
                invoer=[
                    Quantity(
                        "woningdichtheid",
                        "Woningen per hectare land",
                        50.91,
                        "woningen per ha",
                        "voorbeelddata (wijkplan sample-data)",
                        "invoer",
                    ),
                    Quantity("aandeel_meergezins", "Aandeel gestapeld", 0.634, "fractie 0-1"),
                ],
            ),
            niveau="buurt",
            code="BU99990101",
        )

    at = AppTest.from_function(page).run()
    assert not at.exception
    texts = _texts(at)
    assert "**Plan:** hybride · geen fase" in texts
    assert "**Indicatie (vuistregels):** all-electric (regel all-electric-label)" in texts
    assert "**PBL Startanalyse:** Hybride warmtepomp" in texts
    assert any("1.235 euro per woningequivalent per jaar" in t for t in texts)  # half up
    assert len(at.columns) == 2  # PBL beside the indication
    assert [e.label for e in at.expander] == ["Invoer van de indicatie (deels voorbeelddata)"]
    table = at.dataframe[0].value
    assert list(table["waarde"]) == ["51 woningen per ha", "63 %"]
    assert list(table["let op"]) == ["voorbeelddata", ""]


# ---------------------------------------------------------------------------- the Warmte page


def _warmte(gebied: str | None = None) -> AppTest:
    at = AppTest.from_file(WARMTE, default_timeout=120)
    if gebied:
        at.query_params["gebied"] = gebied
    return at.run()


def test_warmte_page_lists_the_five_districts(app_env):
    at = _warmte()
    assert not at.exception
    districts = read.read_layer(app_env, "warmtegebieden")
    table = next(df.value for df in at.dataframe if "warmtegebied" in df.value.columns)
    assert list(table["warmtegebied"]) == list(districts.sort_values("volgnummer")["naam"])
    assert len(table) == 5
    chooser = at.selectbox(key="warmte_gebied")
    assert chooser.options[:5] == [f"Warmtegebied {n}" for n in table["warmtegebied"]]
    assert at.subheader[0].value == "Planetenbuurt"
    assert any("warmtenet lage temperatuur" in t for t in _texts(at))
    assert not at.get("download_button")  # nothing is made before the click


@pytest.mark.slow
def test_warmte_page_makes_the_draft_and_offers_it_for_download(app_env):
    at = _warmte("wg-planetenbuurt")
    at.button(key="wup_maken").click().run()
    assert not at.exception and not at.error
    assert at.get("status")[0].proto.label == "Concept-WUP klaar"
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Word (.docx)", "Markdown (.md)", "Kaart (.png)"]
    files = at.session_state["wup_gemaakt"]["files"]
    docx = next(v for k, v in files.items() if k.endswith(".docx"))
    md = next(v for k, v in files.items() if k.endswith(".md")).decode("utf-8")
    assert docx[:2] == b"PK" and "Planetenbuurt" in md
    png = next(k for k in files if k.endswith(".png"))
    assert png in md  # the Markdown refers to the map saved beside it


@pytest.mark.slow
def test_draft_is_not_offered_after_a_rebuild(app_env, tmp_path, monkeypatch):
    copy = tmp_path / "wijkplan.gpkg"
    shutil.copy(app_env, copy)
    monkeypatch.setenv("WIJKPLAN_LAYERS", str(copy))
    at = _warmte("BU04840211")
    at.button(key="wup_maken").click().run()
    assert len(at.get("download_button")) == 3
    stat = copy.stat()
    os.utime(copy, (stat.st_atime, stat.st_mtime + 10))  # a rebuild writes a new file
    at.run()
    assert not at.exception
    assert not at.get("download_button")


def test_draft_error_is_one_dutch_line(app_env, monkeypatch):
    import wijkplan.wup

    def fail(*args: object, **kwargs: object) -> None:
        raise ValidationError(["kaart: eerste probleem", "kaart: tweede probleem"])

    monkeypatch.setattr(wijkplan.wup, "write_wup", fail)
    at = _warmte("wg-archeon")
    at.button(key="wup_maken").click().run()
    assert not at.exception
    assert len(at.error) == 1 and "\n" not in at.error[0].value
    assert "eerste probleem" in at.error[0].value
    assert not at.get("download_button")


def test_app_routes_to_the_warmte_page(app_env, role_users):
    at = logged_in(AppTest.from_file(str(REPO / "app.py"), default_timeout=60)).run()
    assert not at.exception
    at.switch_page("views/warmte.py").run()
    assert not at.exception
    assert at.title[0].value == "Warmte"
    assert any("voorbeelddata" in w.value for w in at.sidebar.warning)
