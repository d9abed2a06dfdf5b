"""Text from data is text: the escaping rules, and hostile names on the map and in Markdown."""

from __future__ import annotations

import re

import folium
import geopandas as gpd
import pytest
from shapely.geometry import Point

from wijkplan.text_safety import (
    has_control_characters,
    html_text,
    markdown_text,
    plain_text,
    terminal_text,
)

IMG = "<img src=x onerror=alert('x')>"
TEMPLATE = "`${alert(1)}`"
MD_IMAGE = "![x](http://198.51.100.7/x.png)"
HOSTILE = [
    IMG,
    TEMPLATE,
    MD_IMAGE,
    "[klik](http://198.51.100.7/)",
    "<http://198.51.100.7/>",
    "http://198.51.100.7/kaal",
    "www.198.51.100.7.nip.io",
    "**vet** _schuin_ # kop",
    ":red[rood] $x^2$ ~~weg~~",
    "&lt;script&gt;",
    "1. lijst",
    "- lijst",
    "> citaat",
    "regel\nnieuwe regel\x1b[31m",
    "a|b",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_html_text_leaves_no_markup_and_nothing_for_a_template_literal(value):
    out = html_text(value)
    assert not set(out) & set("<>\"'`$\\\n\x1b")
    assert "&" not in re.sub(r"&(#x?[0-9a-f]+|amp|lt|gt|quot);", "", out)
    # the browser shows exactly the text (one line, control characters as spaces)
    import html

    assert html.unescape(out) == plain_text(value)


def test_html_text_of_missing_values():
    assert html_text(None) == html_text(float("nan")) == ""
    assert html_text(12) == "12"


def _unescaped(text: str, char: str) -> list[int]:
    """Positions of ``char`` not preceded by a backslash (escaped backslashes counted)."""
    found, i, escaped = [], 0, False
    while i < len(text):
        c = text[i]
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif c == char:
            found.append(i)
        i += 1
    return found


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_text_leaves_no_markup(value):
    out = markdown_text(value)
    for char in "[]<>*_`#|~$\\":
        assert not _unescaped(out, char), (char, out)
    assert "\n" not in out and "\x1b" not in out
    assert not re.search(r"https?://|www\.", out)  # no bare address GFM would link
    assert not re.match(r"\s*([-+=>]|\d+[.)])", out)  # no list, quote or heading


def test_markdown_text_keeps_ordinary_names_readable():
    assert markdown_text("Planetenbuurt-Noord") == "Planetenbuurt-Noord"
    assert markdown_text("Habeko & Woonforte (2021)") == "Habeko & Woonforte (2021)"
    assert markdown_text("Bron: CBS, 85984NED") == "Bron: CBS, 85984NED"
    assert markdown_text(None) == ""


def test_terminal_text_shows_control_characters_instead_of_sending_them():
    assert terminal_text("goed\x1b[2J\x07\r\x9b\u202eklaar") == (
        "goed\\x1b[2J\\x07\\r\\x9b\\u202eklaar"
    )
    assert terminal_text("Café Noord — 12 %") == "Café Noord — 12 %"


def test_has_control_characters():
    assert has_control_characters("a\x1bb")
    assert has_control_characters("a\nb")
    assert not has_control_characters("a\nb\r\nc\td", allow_newlines=True)
    assert has_control_characters("a\u202eb", allow_newlines=True)


# ---- where data meets HTML: the folium map


def _hostile_frames(buurten, wijken, complexen):
    b = buurten.copy()
    b.loc[0, "buurtnaam"] = IMG
    b.loc[1, "buurtnaam"] = TEMPLATE
    w = wijken.copy()
    w.loc[0, "wijknaam"] = "<svg onload=alert(1)>"
    c = gpd.GeoDataFrame(
        {
            "complex_id": ["C1"],
            "naam": [IMG + TEMPLATE],
            "corporatie": ["<b>Habeko</b>"],
            "aantal_woningen": [10],
            "buurtcode": ["BU04840101"],
        },
        geometry=[Point(50, 150)],
        crs="EPSG:28992",
    )
    return b, w, c


def test_hostile_names_reach_the_map_html_escaped(buurten, wijken, complexen):
    from wijkplan.mapping import base_map

    b, w, c = _hostile_frames(buurten, wijken, complexen)
    m = base_map(b, w, complexen=c, buurt_info={"BU04840101": {"Warmtegebied": "<i onclick=x()>"}})
    page = m.get_root().render()
    assert "<img" not in page and "<svg" not in page and "<i onclick" not in page
    assert "${alert" not in page and "`${" not in page
    # the names are there, as entities (in the GeoJSON, as JSON-escaped entities)
    assert "&lt;img src=x onerror=alert(&#x27;x&#x27;)&gt;" in page.replace("\\u0026", "&")
    assert "&lt;b&gt;Habeko&lt;/b&gt;" in page


def test_hostile_aquathermal_names_are_escaped():
    from wijkplan.mapping import add_aquathermie

    features = gpd.GeoDataFrame(
        {
            "onderdeel": ["object", "bronwater"],
            "naam": [IMG, TEMPLATE],
            "ligging": ["bron", "schematisch"],
            "soort": ["<u>x</u>", None],
            "eigenaar": [None, None],
            "status": [None, None],
            "woningen": [None, None],
        },
        geometry=[Point(50, 50), Point(60, 60).buffer(5).exterior],
        crs="EPSG:28992",
    )
    m = folium.Map()
    add_aquathermie(m, features)
    page = m.get_root().render()
    assert "<img" not in page and "<u>" not in page and "${alert" not in page


# ---- where data meets Markdown: the WUP


def test_hostile_names_are_plain_text_in_the_wup_markdown():
    from wijkplan.wup.markdown import render_markdown
    from wijkplan.wup.model import Bullets, Notice, Paragraph, Section, Table, WupDocument

    doc = WupDocument(
        title=f"Concept-WUP {MD_IMAGE}",
        subtitle=IMG,
        front=(Notice("voorbeelddata", (f"• {MD_IMAGE}", "[a](http://198.51.100.7/)")),),
        sections=(
            Section(
                "# kop " + MD_IMAGE,
                (
                    Paragraph(MD_IMAGE),
                    Paragraph("1. " + IMG, kind="vraag"),
                    Bullets((MD_IMAGE, "http://198.51.100.7/kaal")),
                    Table(("naam", "partij"), ((MD_IMAGE, IMG),), caption=MD_IMAGE),
                ),
            ),
        ),
    )
    text = render_markdown(doc, "kaart.png")
    assert "![Kaart" not in text  # no map block in this document
    for line in text.splitlines():
        assert not _unescaped(line.replace("**", "").replace("*", ""), "["), line
        assert not _unescaped(line, "<") or line.startswith("<!--"), line
    assert "http://" not in text
    assert text.count("!\\[x\\]") == 7


# ---- where data meets Streamlit's Markdown: the dossier panel


def _render_hostile_dossier(layers: str, hostile: str) -> None:
    import dataclasses

    from wijkplan import ui
    from wijkplan.dossier import build_dossier
    from wijkplan.read import BuiltLayers

    data = BuiltLayers(layers)
    code = str(data.regiegebieden["regie_id"].iloc[0])
    d = build_dossier(code, data)
    ui.render_dossier(
        dataclasses.replace(
            d,
            naam=hostile,
            partners=[hostile, hostile],
            toelichting=hostile,
            regisseur=hostile,
            buurten=[dataclasses.replace(b, naam=hostile) for b in d.buurten or []],
        )
    )


def test_hostile_names_are_escaped_in_the_dossier_markdown(app_env):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(
        _render_hostile_dossier, args=(str(app_env), MD_IMAGE + " " + IMG), default_timeout=30
    )
    at.run()
    assert not at.exception
    bodies = [e.value for e in [*at.subheader, *at.markdown, *at.caption]]
    shown = [b for b in bodies if "198.51.100.7" in b]
    assert len(shown) >= 4  # heading, regisseur, partners, toelichting, buurten
    for body in shown:
        assert markdown_text(MD_IMAGE + " " + IMG) in body, body
        assert MD_IMAGE not in body and IMG not in body, body
