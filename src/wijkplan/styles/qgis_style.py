"""A :class:`~wijkplan.styles.model.Style` as a QGIS style document (QML, QGIS 3.22+).

The document has the structure QGIS 3.22 itself writes (``renderer-v2`` with symbols whose
layers carry their properties both as an ``Option`` map and as ``prop`` elements, as
QGIS 3.22 does for older readers), labels, a map tip and the expression that names a
feature. Sizes are in millimetres (the app's pixels at 96 dpi), so lines look the same on
screen and keep their size in a print layout. Only what differs from QGIS's defaults is
written; QGIS fills in the rest when it reads the style.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from xml.etree import ElementTree as ET

from wijkplan import catalogue
from wijkplan.styles.model import (
    MM_PER_PX,
    AllOf,
    AnyOf,
    Area,
    Categorized,
    Dot,
    Eq,
    Filter,
    Hatch,
    IsNull,
    Labels,
    Not,
    Rule,
    RuleBased,
    Single,
    Stroke,
    Style,
    Symbol,
)

#: The QGIS version the documents are written for (read by every QGIS from 3.22 on).
QGIS_VERSION = "3.22.0-Białowieża"
_DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
#: QGIS's geometry type of a layer whose features are all polygons.
_POLYGON_TYPE = "2"


def to_qml(style: Style) -> str:
    """The full QML document of ``style``."""
    spec = catalogue.layer(style.layer)
    root = ET.Element(
        "qgis",
        {
            "version": QGIS_VERSION,
            "styleCategories": "AllStyleCategories",
            "labelsEnabled": "1" if style.labels else "0",
            "hasScaleBasedVisibilityFlag": "0",
            "minScale": "100000000",
            "maxScale": "0",
            "readOnly": "0",
            "simplifyAlgorithm": "0",
            "simplifyDrawingHints": "1",
            "simplifyDrawingTol": "1",
            "simplifyLocal": "1",
            "simplifyMaxScale": "1",
            "symbologyReferenceScale": "-1",
        },
    )
    flags = ET.SubElement(root, "flags")
    for flag, value in (("Identifiable", "1"), ("Removable", "1"), ("Searchable", "1")):
        ET.SubElement(flags, flag).text = value
    ET.SubElement(flags, "Private").text = "0"
    root.append(_renderer(style))
    if style.labels is not None:
        root.append(_labeling(style.labels))
    ET.SubElement(root, "blendMode").text = "0"
    ET.SubElement(root, "featureBlendMode").text = "0"
    ET.SubElement(root, "layerOpacity").text = "1"
    ET.SubElement(root, "previewExpression").text = style.display or ""
    ET.SubElement(root, "mapTip").text = style.map_tip or ""
    if spec.geometry == "MultiPolygon":
        # a mixed layer ("Geometry") gets no type, so its style applies to any of its parts
        ET.SubElement(root, "layerGeometryType").text = _POLYGON_TYPE
    ET.indent(root, space="  ")
    return _DOCTYPE + "\n" + ET.tostring(root, encoding="unicode") + "\n"


# ---------------------------------------------------------------------------- renderers


def _renderer(style: Style) -> ET.Element:
    renderer = style.renderer
    common = {"forceraster": "0", "symbollevels": "0", "enableorderby": "0"}
    symbols = ET.Element("symbols")
    if isinstance(renderer, Single):
        el = ET.Element("renderer-v2", {"type": "singleSymbol", **common, "referencescale": "-1"})
        symbols.append(_symbol(renderer.symbol, "0"))
        el.append(symbols)
    elif isinstance(renderer, Categorized):
        el = ET.Element(
            "renderer-v2",
            {"type": "categorizedSymbol", "attr": renderer.field, **common, "referencescale": "-1"},
        )
        categories = ET.SubElement(el, "categories")
        for i, cat in enumerate(renderer.categories):
            ET.SubElement(
                categories,
                "category",
                {
                    "value": "" if cat.value is None else str(cat.value),
                    "symbol": str(i),
                    "label": cat.label,
                    "render": "true",
                },
            )
            symbols.append(_symbol(cat.symbol, str(i)))
        el.append(symbols)
    else:
        assert isinstance(renderer, RuleBased)
        el = ET.Element("renderer-v2", {"type": "RuleRenderer", **common, "referencescale": "-1"})
        keys = _keys(style)
        rules = ET.SubElement(el, "rules", {"key": next(keys)})
        counter = iter(range(10_000))
        for rule in renderer.rules:
            rules.append(_rule(rule, symbols, counter, keys))
        el.append(symbols)
    ET.SubElement(el, "rotation")
    ET.SubElement(el, "sizescale")
    return el


def _keys(style: Style) -> Iterator[str]:
    """Stable rule keys (the same style gives the same document)."""
    i = 0
    while True:
        yield (
            "{"
            + str(uuid.uuid5(uuid.NAMESPACE_URL, f"wijkplan:{style.layer}:{style.name}:{i}"))
            + "}"
        )
        i += 1


def _rule(
    rule: Rule, symbols: ET.Element, counter: Iterator[int], keys: Iterator[str]
) -> ET.Element:
    attrs = {"key": next(keys), "label": rule.label}
    if rule.otherwise:
        attrs["filter"] = "ELSE"
    elif rule.filter is not None:
        attrs["filter"] = expression(rule.filter)
    if rule.symbol is not None:
        index = str(next(counter))
        attrs["symbol"] = index
        symbols.append(_symbol(rule.symbol, index))
    el = ET.Element("rule", attrs)
    for child in rule.children:
        el.append(_rule(child, symbols, counter, keys))
    return el


def expression(f: Filter) -> str:
    """A filter as a QGIS expression.

    >>> expression(AnyOf((IsNull("a"), Not(Eq("a", "x")))))
    '("a" IS NULL) OR (NOT ("a" = \\'x\\'))'
    """
    if isinstance(f, Eq):
        return f"{_quote_field(f.field)} = {_literal(f.value)}"
    if isinstance(f, IsNull):
        return f"{_quote_field(f.field)} IS NULL"
    if isinstance(f, Not):
        return f"NOT ({expression(f.part)})"
    joiner = " OR " if isinstance(f, AnyOf) else " AND "
    assert isinstance(f, AnyOf | AllOf)
    return joiner.join(f"({expression(part)})" for part in f.parts)


def _quote_field(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str | int) -> str:
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


# ---------------------------------------------------------------------------- symbols


def _mm(px: float) -> str:
    """Pixels as millimetres, as QGIS writes numbers (no needless digits)."""
    return f"{px * MM_PER_PX:.4g}"


def _rgba(colour: str, opacity: float = 1.0) -> str:
    """``#rrggbb`` as QGIS's ``r,g,b,a``.

    >>> _rgba("#a50026", 0.7)
    '165,0,38,178'
    """
    value = colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},{int(opacity * 255)}"


def _symbol(symbol: Symbol, name: str) -> ET.Element:
    el = ET.Element(
        "symbol",
        {"type": symbol.kind, "name": name, "alpha": "1", "clip_to_extent": "1", "force_rhr": "0"},
    )
    layers: list[ET.Element] = []
    for part in symbol.parts:
        layers += _layers(part, symbol.kind, name, len(layers))
    el.extend(layers)
    return el


def _layers(part: object, kind: str, name: str, start: int) -> list[ET.Element]:
    """The QGIS symbol layers of one part (``start``: the index of the first, for names)."""
    if isinstance(part, Dot):
        if kind == "marker":
            return [_simple_marker(part)]
        centroid = _layer(
            "CentroidFill",
            {"point_on_surface": "1", "point_on_all_parts": "0", "clip_points": "0"},
        )
        sub = ET.SubElement(
            centroid,
            "symbol",
            {
                "type": "marker",
                "name": f"@{name}@{start}",
                "alpha": "1",
                "clip_to_extent": "1",
                "force_rhr": "0",
            },
        )
        sub.append(_simple_marker(part))
        return [centroid]
    if kind != "fill":
        raise ValueError(f"{type(part).__name__} past alleen in een vlaksymbool")
    if isinstance(part, Area):
        return _area(part)
    assert isinstance(part, Hatch)
    return _hatch(part, name, start)


def _area(area: Area) -> list[ET.Element]:
    stroke = area.stroke
    solid_edge = stroke is not None and not stroke.dashes
    out = []
    if area.fill is not None or solid_edge:
        # without a fill: the edge's colour, transparent (QGIS names a symbol by its first colour)
        colour = area.fill or (stroke.colour if stroke is not None else "#000000")
        props = {
            "style": "solid" if area.fill is not None else "no",
            "color": _rgba(colour, area.fill_opacity if area.fill else 0),
            "outline_style": "solid" if solid_edge else "no",
            "joinstyle": "round",
        }
        if solid_edge and stroke is not None:
            props |= {
                "outline_color": _rgba(stroke.colour, stroke.opacity),
                "outline_width": _mm(stroke.width),
                "outline_width_unit": "MM",
            }
        out.append(_layer("SimpleFill", props))
    if stroke is not None and stroke.dashes:
        out.append(_line(stroke))
    return out


def _line(stroke: Stroke) -> ET.Element:
    props = {
        "line_color": _rgba(stroke.colour, stroke.opacity),
        "line_width": _mm(stroke.width),
        "line_width_unit": "MM",
        "line_style": "solid",
        "capstyle": "round",
        "joinstyle": "round",
        "use_custom_dash": "1" if stroke.dashes else "0",
        "customdash": ";".join(_mm(d) for d in stroke.dashes) if stroke.dashes else "5;2",
        "customdash_unit": "MM",
    }
    return _layer("SimpleLine", props)


def _hatch(hatch: Hatch, name: str, start: int) -> list[ET.Element]:
    """The app's SVG hatching (lines rotated ``angle`` degrees clockwise from vertical) as
    QGIS pattern fills (whose angle runs counter-clockwise from horizontal)."""
    if hatch.kind == "punten":
        layer = _layer(
            "PointPatternFill",
            {
                "distance_x": _mm(hatch.spacing),
                "distance_y": _mm(hatch.spacing),
                "distance_x_unit": "MM",
                "distance_y_unit": "MM",
                "displacement_x": "0",
                "displacement_y": "0",
            },
        )
        dot = Dot(2 * hatch.width, hatch.colour, 1.0, Stroke(hatch.colour, 0))
        sub = _sub_symbol(layer, "marker", f"@{name}@{start}")
        sub.append(_simple_marker(dot, outline=False))
        return [layer]
    angles = [(90 - hatch.angle) % 180]
    if hatch.kind == "kruis":
        angles.append((-hatch.angle) % 180)
    out = []
    for i, angle in enumerate(angles):
        layer = _layer(
            "LinePatternFill",
            {
                "angle": str(angle),
                "distance": _mm(hatch.spacing),
                "distance_unit": "MM",
                "line_width": _mm(hatch.width),
                "line_width_unit": "MM",
                "color": _rgba(hatch.colour),
                "offset": "0",
            },
        )
        sub = _sub_symbol(layer, "line", f"@{name}@{start + i}")
        sub.append(
            _layer(
                "SimpleLine",
                {
                    "line_color": _rgba(hatch.colour),
                    "line_width": _mm(hatch.width),
                    "line_width_unit": "MM",
                    "line_style": "solid",
                    "capstyle": "flat",
                },
            )
        )
        out.append(layer)
    return out


def _sub_symbol(layer: ET.Element, kind: str, name: str) -> ET.Element:
    return ET.SubElement(
        layer,
        "symbol",
        {"type": kind, "name": name, "alpha": "1", "clip_to_extent": "1", "force_rhr": "0"},
    )


def _simple_marker(dot: Dot, *, outline: bool = True) -> ET.Element:
    props = {
        "name": "circle",
        "color": _rgba(dot.fill, dot.fill_opacity),
        "size": _mm(dot.size),
        "size_unit": "MM",
        "scale_method": "diameter",
        "outline_color": _rgba(dot.stroke.colour, dot.stroke.opacity),
        "outline_width": _mm(dot.stroke.width),
        "outline_width_unit": "MM",
        "outline_style": ("dash" if dot.stroke.dashes else "solid") if outline else "no",
        "joinstyle": "round",
    }
    dd = None
    if dot.size_expression is not None:
        dd = {"size": f"{MM_PER_PX:.6f} * ({dot.size_expression})"}
    return _layer("SimpleMarker", props, dd)


def _layer(
    cls: str, props: Mapping[str, str], data_defined: Mapping[str, str] | None = None
) -> ET.Element:
    """A symbol layer with its properties (Option map and prop list, as QGIS 3.22 writes)."""
    el = ET.Element("layer", {"class": cls, "enabled": "1", "locked": "0", "pass": "0"})
    options = ET.SubElement(el, "Option", {"type": "Map"})
    for key in sorted(props):
        ET.SubElement(options, "Option", {"name": key, "value": props[key], "type": "QString"})
    for key in sorted(props):
        ET.SubElement(el, "prop", {"k": key, "v": props[key]})
    if data_defined:
        el.append(_data_defined(data_defined))
    return el


def _data_defined(expressions: Mapping[str, str]) -> ET.Element:
    """``data_defined_properties`` with one expression per property."""
    el = ET.Element("data_defined_properties")
    collection = ET.SubElement(el, "Option", {"type": "Map"})
    ET.SubElement(collection, "Option", {"name": "name", "value": "", "type": "QString"})
    properties = ET.SubElement(collection, "Option", {"name": "properties", "type": "Map"})
    for key, expr in expressions.items():
        prop = ET.SubElement(properties, "Option", {"name": key, "type": "Map"})
        ET.SubElement(prop, "Option", {"name": "active", "value": "true", "type": "bool"})
        ET.SubElement(prop, "Option", {"name": "expression", "value": expr, "type": "QString"})
        ET.SubElement(prop, "Option", {"name": "type", "value": "3", "type": "int"})
    ET.SubElement(collection, "Option", {"name": "type", "value": "collection", "type": "QString"})
    return el


# ---------------------------------------------------------------------------- labels


def _labeling(labels: Labels) -> ET.Element:
    el = ET.Element("labeling", {"type": "simple"})
    settings = ET.SubElement(el, "settings", {"calloutType": "simple"})
    text = ET.SubElement(
        settings,
        "text-style",
        {
            "fieldName": labels.expression,
            "isExpression": "1",
            "fontSize": f"{labels.size:g}",
            "fontSizeUnit": "Point",
            "textColor": _rgba(labels.colour),
            "textOpacity": "1",
            "fontWeight": "50",
            "fontItalic": "0",
            "multilineHeight": "1",
            "allowHtml": "0",
            "blendMode": "0",
            "previewBkgrdColor": "255,255,255,255",
        },
    )
    ET.SubElement(
        text,
        "text-buffer",
        {
            "bufferDraw": "1",
            "bufferSize": "0.8",
            "bufferSizeUnits": "MM",
            "bufferColor": _rgba(labels.buffer),
            "bufferOpacity": "0.85",
            "bufferNoFill": "1",
            "bufferJoinStyle": "128",
            "bufferBlendMode": "0",
        },
    )
    ET.SubElement(settings, "text-format", {"wrapChar": "", "multilineAlign": "3"})
    around = labels.placement == "around"
    ET.SubElement(
        settings,
        "placement",
        {
            # AroundPoint (0) next to points, OverPoint (1) on a polygon's inner centroid
            "placement": "0" if around else "1",
            "centroidInside": "1",
            "centroidWhole": "0",
            "fitInPolygonOnly": "0",
            "dist": "1" if around else "0",
            "distUnits": "MM",
            "quadOffset": "4",
            "priority": "5",
        },
    )
    ET.SubElement(
        settings,
        "rendering",
        {
            "drawLabels": "1",
            "obstacle": "1",
            "obstacleFactor": "1",
            "obstacleType": "1",
            "displayAll": "0",
            "upsidedownLabels": "0",
            "scaleVisibility": "0",
            "labelPerPart": "0",
            "mergeLines": "0",
        },
    )
    return el
