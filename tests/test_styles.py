"""GIS styles: QML and SLD from the catalogue and the app's own colours, stored in the
GeoPackage as QGIS stores them, and opened by a real QGIS where it is installed."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import subprocess
import textwrap
from pathlib import Path
from xml.etree import ElementTree as ET

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point, box

from tests.tools import ogrinfo, run_qgis
from wijkplan import catalogue, read
from wijkplan.config import load_config
from wijkplan.config.heat import PHASES, load_heat_config

# the app's colours, imported from where the app's map takes them
from wijkplan.mapping import (
    ASSUMED_DASH,
    BUURT_STYLE,
    CLASS_COLOURS,
    CORPORATIE_COLOURS,
    NO_DATA_STYLE,
    REGIE_STYLE,
)
from wijkplan.styles import (
    STYLES_TABLE,
    layer_styles_rows,
    qml,
    sld,
    styled_layers,
    write_gpkg_styles,
)

SE = "{http://www.opengis.net/se}"
OGC = "{http://www.opengis.net/ogc}"
GEOMETRIC = [s.name for s in catalogue.DECLARED if s.geometry is not None]
TABLES = [s.name for s in catalogue.DECLARED if s.geometry is None]


def _qml(layer: str) -> ET.Element:
    text = qml(layer)
    assert text is not None
    assert text.startswith("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>")
    return ET.fromstring(text)


def _sld(layer: str) -> ET.Element:
    text = sld(layer)
    assert text is not None
    return ET.fromstring(text.encode("utf-8"))


def _rgb(qgis_colour: str) -> str:
    """QGIS's ``r,g,b,a`` as ``#rrggbb``."""
    r, g, b, _ = (int(v) for v in qgis_colour.split(","))
    return f"#{r:02x}{g:02x}{b:02x}"


def _props(layer: ET.Element) -> dict[str, str]:
    return {o.get("name", ""): o.get("value", "") for o in layer.find("Option") or []}


def _fill_colours(root: ET.Element) -> list[str]:
    """The fill colour of each top-level symbol (its first SimpleFill), in symbol order."""
    out = []
    for symbol in root.findall("renderer-v2/symbols/symbol"):
        fill = symbol.find("layer[@class='SimpleFill']")
        assert fill is not None
        out.append(_rgb(_props(fill)["color"]))
    return out


def _fields(root: ET.Element) -> set[str]:
    """Every field a QML refers to: the renderer's field, rule filters, label expression."""
    renderer = root.find("renderer-v2")
    assert renderer is not None
    names = {renderer.get("attr")} - {None}
    texts = [r.get("filter", "") for r in root.iter("rule")]
    texts += [t.get("fieldName", "") for t in root.iter("text-style")]
    texts += [o.get("value", "") for o in root.iter("Option") if o.get("name") == "expression"]
    texts += [root.findtext("mapTip") or "", root.findtext("previewExpression") or ""]
    for t in texts:
        names |= set(re.findall(r'"([^"]+)"', t))
    return {str(n) for n in names}


# ---------------------------------------------------------------------------- without QGIS


def test_every_layer_with_geometry_has_a_style_and_tables_none():
    assert styled_layers() == tuple(GEOMETRIC)
    for name in TABLES:
        assert qml(name) is None and sld(name) is None
    with pytest.raises(KeyError):
        qml("geen_laag")


@pytest.mark.parametrize("layer", GEOMETRIC)
def test_qml_is_a_qgis_322_style_on_the_layers_own_fields(layer):
    root = _qml(layer)
    assert root.tag == "qgis"
    assert root.get("version", "").startswith("3.22")
    assert root.get("styleCategories") == "AllStyleCategories"
    renderer = root.find("renderer-v2")
    assert renderer is not None
    assert renderer.get("type") in {"singleSymbol", "categorizedSymbol", "RuleRenderer"}
    declared = {c.name for c in catalogue.expand(catalogue.layer(layer), load_config().categories)}
    assert _fields(root) <= declared, f"{layer}: {_fields(root) - declared}"
    # every rule or category points at a symbol that is there
    symbols = {s.get("name") for s in renderer.findall("symbols/symbol")}
    refs = {e.get("symbol") for e in renderer.iter() if e.tag in ("rule", "category")}
    assert refs - {None} <= symbols


def test_leefbaarheid_by_class_with_the_apps_nine_colours_and_grey():
    root = _qml("leefbaarheid")
    renderer = root.find("renderer-v2")
    assert renderer is not None
    assert (renderer.get("type"), renderer.get("attr")) == ("categorizedSymbol", "klasse_nr")
    categories = renderer.findall("categories/category")
    assert [c.get("value") for c in categories] == [*(str(i) for i in range(1, 10)), ""]
    labels = [c.get("label", "") for c in categories]
    cfg = load_config()
    for label, name in zip(labels, cfg.class_labels, strict=False):
        assert label.startswith(name) and "aanname" in label
    assert "-0,35" in labels[0] and "0,20" in labels[8]
    assert labels[9] == "geen score"
    assert _fill_colours(root) == [*CLASS_COLOURS, NO_DATA_STYLE["fillColor"]]
    # the class colours at the app's opacity, the buurt edge as on the app's map
    first = root.find("renderer-v2/symbols/symbol/layer")
    assert first is not None
    props = _props(first)
    assert props["color"].endswith(",178") and _rgb(props["outline_color"]) == BUURT_STYLE["color"]


def test_warmteplan_by_strategy_with_the_heat_config_colours():
    root = _qml("warmteplan")
    renderer = root.find("renderer-v2")
    assert renderer is not None
    assert (renderer.get("type"), renderer.get("attr")) == ("categorizedSymbol", "strategie")
    colours = load_heat_config().colours
    categories = renderer.findall("categories/category")
    assert [c.get("label") for c in categories] == [*colours, "geen strategie"]
    assert _fill_colours(root) == [*colours.values(), NO_DATA_STYLE["fillColor"]]


def test_complexen_by_corporation_sized_by_homes():
    root = _qml("complexen")
    renderer = root.find("renderer-v2")
    assert renderer is not None
    assert (renderer.get("type"), renderer.get("attr")) == ("categorizedSymbol", "corporatie")
    values = [c.get("value") for c in renderer.findall("categories/category")]
    assert values == [*CORPORATIE_COLOURS, ""]
    markers = renderer.findall("symbols/symbol/layer[@class='CentroidFill']/symbol/layer")
    assert [_rgb(_props(m)["color"]) for m in markers[:2]] == list(CORPORATIE_COLOURS.values())
    assert "aantal_woningen" in ET.tostring(markers[0], encoding="unicode")


def test_outlines_dashed_as_on_the_app():
    regie = _qml("regiegebieden").find("renderer-v2/symbols/symbol/layer[@class='SimpleLine']")
    assert regie is not None
    props = _props(regie)
    assert _rgb(props["line_color"]) == REGIE_STYLE["color"] and props["use_custom_dash"] == "1"
    # warmtegebieden: dashed where the boundary is an assumption (rule-based), else solid
    root = _qml("warmtegebieden")
    rules = {r.get("filter"): r.get("symbol") for r in root.iter("rule")}
    assert set(rules) == {"\"begrenzing\" = 'aanname'", "ELSE"}
    dashes = {
        symbol.get("name"): [
            _props(line)["customdash"]
            for line in symbol.findall("layer[@class='SimpleLine']")
            if _props(line)["use_custom_dash"] == "1"
        ]
        for symbol in root.findall("renderer-v2/symbols/symbol")
    }
    # the app's dash (pixels) in millimetres at 96 dpi
    app_dash = ";".join(f"{float(d) * 25.4 / 96:.4g}" for d in ASSUMED_DASH.split())
    assert dashes[rules["\"begrenzing\" = 'aanname'"]] == [app_dash]
    assert dashes[rules["ELSE"]] == []
    assert root.find("labeling") is not None


def test_aquathermie_rules_per_part_and_schematic_labels():
    root = _qml("aquathermie")
    tops = root.findall("renderer-v2/rules/rule")
    assert [r.get("filter") for r in tops] == [
        f"\"onderdeel\" = '{kind}'" for kind in ("bronwater", "plangebied", "object", "complex")
    ]
    kinds = {s.get("type") for s in root.findall("renderer-v2/symbols/symbol")}
    assert kinds == {"fill", "marker"}  # objects are circles, the rest areas
    label = root.find("labeling/settings/text-style")
    assert label is not None and "(schematisch)" in label.get("fieldName", "")
    assert root.find("layerGeometryType") is None  # any geometry: the style fits every part


def test_sld_has_the_same_classes_as_rules():
    root = _sld("leefbaarheid")
    assert root.tag == "{http://www.opengis.net/sld}StyledLayerDescriptor"
    assert root.get("version") == "1.1.0"
    rules = root.findall(f".//{SE}Rule")
    assert len(rules) == 10  # nine classes and "geen score"
    titles = [r.findtext(f"{SE}Description/{SE}Title") for r in rules]
    assert titles[-1] == "geen score" and "aanname" in (titles[0] or "")
    fills = [r.findtext(f".//{SE}Fill/{SE}SvgParameter[@name='fill']") for r in rules]
    assert fills == [*CLASS_COLOURS, NO_DATA_STYLE["fillColor"]]
    assert rules[0].findtext(f"{OGC}Filter/{OGC}PropertyIsEqualTo/{OGC}Literal") == "1"
    assert "aanname" in (root.findtext(f".//{SE}Description/{SE}Title") or "")


@pytest.mark.parametrize("layer", GEOMETRIC)
def test_sld_parses_with_one_rule_per_class(layer):
    root = _sld(layer)
    assert root.findtext(f".//{SE}Name") == layer
    rules = root.findall(f".//{SE}Rule")
    drawn = [r for r in rules if r.find(f"{SE}TextSymbolizer") is None]
    qml_root = _qml(layer)
    renderer = qml_root.find("renderer-v2")
    assert renderer is not None
    if renderer.get("type") == "categorizedSymbol":
        assert len(drawn) == len(renderer.findall("categories/category"))
    elif renderer.get("type") == "RuleRenderer":
        assert len(drawn) == len([r for r in renderer.iter("rule") if r.get("symbol")])
    else:
        assert len(drawn) == 1
    if qml_root.find("labeling") is not None:
        assert any(r.find(f"{SE}TextSymbolizer") is not None for r in rules)


# ---------------------------------------------------------------------------- the table


@pytest.fixture
def small_gpkg(tmp_path: Path) -> Path:
    """A GeoPackage with a buurt, its liveability, a heat plan row and a table (as GDAL writes)."""
    path = tmp_path / "klein.gpkg"
    crs = "EPSG:28992"
    geom = [box(100_000, 450_000, 101_000, 451_000)]
    gpd.GeoDataFrame({"buurtcode": ["BU1"], "buurtnaam": ["Een"]}, geometry=geom, crs=crs).to_file(
        path, layer="buurten", driver="GPKG"
    )
    gpd.GeoDataFrame({"buurtcode": ["BU1"], "klasse_nr": [3]}, geometry=geom, crs=crs).to_file(
        path, layer="leefbaarheid", driver="GPKG"
    )
    gpd.GeoDataFrame(
        {"buurtcode": ["BU1"], "strategie": ["hybride"], "fase": ["verkenning"]},
        geometry=geom,
        crs=crs,
    ).to_file(path, layer="warmteplan", driver="GPKG")
    gpd.GeoDataFrame(
        {"onderdeel_id": ["a"], "onderdeel": ["object"]},
        geometry=[Point(100_500, 450_500)],
        crs=crs,
    ).to_file(path, layer="aquathermie", driver="GPKG")
    pyogrio.write_dataframe(pd.DataFrame({"report": ["{}"]}), path, layer="build_report")
    return path


def _rows(path: Path) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute(
            "SELECT f_table_name, f_geometry_column, styleName, useAsDefault, "
            "styleQML IS NOT NULL, styleSLD IS NOT NULL FROM layer_styles ORDER BY id"
        ).fetchall()


def test_write_gpkg_styles_is_idempotent_and_registered_as_qgis_does(small_gpkg):
    layers = ["buurten", "leefbaarheid", "warmteplan", "aquathermie", "build_report"]
    write_gpkg_styles(small_gpkg, layers)
    first = _rows(small_gpkg)
    write_gpkg_styles(small_gpkg, layers)
    assert _rows(small_gpkg) == first
    assert {r[0] for r in first} == {"buurten", "leefbaarheid", "warmteplan", "aquathermie"}
    defaults = [r[0] for r in first if r[3] == 1]
    assert sorted(defaults) == ["aquathermie", "buurten", "leefbaarheid", "warmteplan"]
    assert ("warmteplan", "geom", "Warmtestrategie en fase", 0, 1, 1) in first
    assert all(r[1] == "geom" and r[4] and r[5] for r in first)
    with contextlib.closing(sqlite3.connect(small_gpkg)) as db:
        contents = db.execute(
            "SELECT data_type, identifier, description, srs_id FROM gpkg_contents "
            "WHERE table_name = 'layer_styles'"
        ).fetchone()
        count = db.execute(
            "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'layer_styles'"
        ).fetchone()
        ddl = db.execute("SELECT sql FROM sqlite_master WHERE name = 'layer_styles'").fetchone()
    spec = catalogue.layer(STYLES_TABLE)
    assert contents == ("attributes", spec.title, spec.description, 0)
    assert count == (len(first),)
    assert '"useAsDefault" BOOLEAN' in ddl[0] and '"id" INTEGER PRIMARY KEY AUTOINCREMENT' in ddl[0]
    # GDAL reads it as QGIS's table: fid "id", a boolean, and every declared column
    frame = pyogrio.read_dataframe(small_gpkg, layer="layer_styles", fid_as_index=True)
    assert {c.name for c in spec.columns} == set(frame.columns)
    info = pyogrio.read_info(small_gpkg, layer="layer_styles")
    assert info["fid_column"] == "id" and info["features"] == len(first)


def test_an_own_default_style_is_kept_but_no_longer_default(small_gpkg):
    write_gpkg_styles(small_gpkg, ["leefbaarheid"])
    with contextlib.closing(sqlite3.connect(small_gpkg)) as db, db:
        db.execute(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
            "f_geometry_column, styleName, styleQML, useAsDefault) "
            "VALUES ('', '', 'leefbaarheid', 'geom', 'mijn stijl', '<qgis/>', 1)"
        )
        db.execute(
            "UPDATE layer_styles SET useAsDefault = 0 WHERE styleName = 'Leefbaarometer-klasse'"
        )
    write_gpkg_styles(small_gpkg, ["leefbaarheid"])
    rows = {r[2]: r[3] for r in _rows(small_gpkg)}
    assert rows == {"mijn stijl": 0, "Leefbaarometer-klasse": 1}


def test_ogrinfo_lists_the_styles(small_gpkg):
    gdal = ogrinfo()
    write_gpkg_styles(small_gpkg, ["buurten", "leefbaarheid"])
    out = subprocess.run(
        [gdal, "-ro", "-al", "-q", str(small_gpkg), "layer_styles"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.count("useAsDefault (Integer(Boolean)) = 1") == 2
    assert "f_table_name (String) = leefbaarheid" in out


def test_a_layer_missing_from_the_file_is_refused(small_gpkg):
    with pytest.raises(ValueError, match="complexen"):
        write_gpkg_styles(small_gpkg, ["complexen"])


def test_rows_for_postgis():
    rows = layer_styles_rows(
        ["leefbaarheid", "warmteplan", "afspraken"], schema="wijkplan", geometry_column="geometry"
    )
    assert [(r["f_table_name"], r["stylename"], r["useasdefault"]) for r in rows] == [
        ("leefbaarheid", "Leefbaarometer-klasse", True),
        ("warmteplan", "Warmtestrategie", True),
        ("warmteplan", "Warmtestrategie en fase", False),
    ]
    for row in rows:
        assert all(key == key.lower() for key in row)
        assert (row["f_table_schema"], row["f_geometry_column"]) == ("wijkplan", "geometry")
        assert (
            row["styleqml"].startswith("<!DOCTYPE qgis")
            and "StyledLayerDescriptor" in row["stylesld"]
        )


def test_the_built_geopackage_carries_a_default_style_per_layer(built_layers):
    present = set(read.layer_names(built_layers))
    assert STYLES_TABLE in present
    with contextlib.closing(sqlite3.connect(built_layers)) as db:
        defaults = dict(
            db.execute(
                "SELECT f_table_name, count(*) FROM layer_styles WHERE useAsDefault GROUP BY 1"
            ).fetchall()
        )
    assert defaults == {name: 1 for name in GEOMETRIC if name in present}


def test_the_hatching_follows_the_apps_phases():
    from wijkplan.mapping import PHASE_PATTERNS
    from wijkplan.styles.definitions import layer_styles
    from wijkplan.styles.qgis_style import to_qml

    phased = layer_styles("warmteplan")[1]
    text = ET.fromstring(to_qml(phased))
    rules = {r.get("label"): r for r in text.iter("rule")}
    assert list(PHASE_PATTERNS) == list(PHASES)
    for phase in PHASES:
        assert rules[phase].get("filter") == f"\"fase\" = '{phase}'"
    symbols = {s.get("name"): s for s in text.findall("renderer-v2/symbols/symbol")}
    cross = symbols[rules["WUP vastgesteld"].get("symbol")]
    assert len(cross.findall("layer[@class='LinePatternFill']")) == 2  # the app's "kruis"
    dots = symbols[rules["aardgasvrij"].get("symbol")]
    assert dots.find("layer[@class='PointPatternFill']") is not None


# ---------------------------------------------------------------------------- in real QGIS


_QGIS_PROBE = textwrap.dedent(
    """
    import json, os, sys
    from qgis.core import QgsApplication, QgsVectorLayer
    app = QgsApplication([], False)
    app.initQgis()
    out = {}
    for name in json.loads(sys.argv[2]):
        layer = QgsVectorLayer(f"{sys.argv[1]}|layername={name}", name, "ogr")
        # opening a layer loads its default style from the database; load it again explicitly
        message, loaded = layer.loadDefaultStyle()
        renderer = layer.renderer()
        info = {"valid": layer.isValid(), "loaded": loaded, "message": message,
                "type": renderer.type(), "labels": layer.labelsEnabled()}
        if renderer.type() == "categorizedSymbol":
            info["field"] = renderer.classAttribute()
            info["values"] = [str(c.value()) if c.value() is not None else "" for c in renderer.categories()]
            info["labels_legend"] = [c.label() for c in renderer.categories()]
            info["colours"] = [c.symbol().color().name() for c in renderer.categories()]
        if renderer.type() == "RuleRenderer":
            info["rules"] = [r.label() for r in renderer.rootRule().children()]
        out[name] = info
    print("RESULT" + json.dumps(out), flush=True)
    os._exit(0)  # no teardown: exitQgis() with renderers still referenced may crash
    """
)


def test_qgis_opens_each_layer_with_its_stored_style(built_layers, tmp_path):
    names = [n for n in GEOMETRIC if n in set(read.layer_names(built_layers))]
    done = run_qgis(_QGIS_PROBE, [str(built_layers), json.dumps(names)], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.split("RESULT", 1)[1])
    for name in names:
        info = result[name]
        assert info["valid"] and info["loaded"], (name, info)
        expected = ET.fromstring(qml(name) or "").find("renderer-v2")
        assert expected is not None
        assert info["type"] == expected.get("type"), name  # not QGIS's grey single symbol
    leef = result["leefbaarheid"]
    assert (leef["type"], leef["field"]) == ("categorizedSymbol", "klasse_nr")
    assert leef["values"] == [*(str(i) for i in range(1, 10)), ""]
    assert leef["colours"] == [*CLASS_COLOURS, NO_DATA_STYLE["fillColor"]]
    assert leef["labels_legend"][-1] == "geen score"
    plan = result["warmteplan"]
    colours = load_heat_config().colours
    assert (plan["type"], plan["field"]) == ("categorizedSymbol", "strategie")
    assert plan["values"] == [*colours, ""]
    assert plan["colours"] == [*colours.values(), NO_DATA_STYLE["fillColor"]]
    assert result["buurten"]["labels"]
    assert result["warmtegebieden"]["rules"] == [
        "begrenzing is een aanname (gestreept)",
        "begrenzing gepubliceerd",
    ]
