"""A :class:`~wijkplan.styles.model.Style` as OGC SLD 1.1 (Symbology Encoding 1.1).

For tools other than QGIS (GeoServer, MapServer, ArcGIS Pro's importers), written next to
every export that is not a GeoPackage. The same classes, colours and Dutch legend texts as
the QML: one ``se:Rule`` per category or drawn rule (with its filter), plus one rule for
the labels. Sizes are in pixels, the SLD unit. Hatching uses GeoServer's well-known
``shape://`` marks; a data-defined size is an OGC arithmetic expression.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from wijkplan.styles.model import (
    AllOf,
    AnyOf,
    Area,
    Arith,
    Categorized,
    Dot,
    Eq,
    Expr,
    Field,
    Filter,
    Hatch,
    IsNull,
    Labels,
    Literal_,
    Not,
    Rule,
    RuleBased,
    Single,
    Stroke,
    Style,
    Symbol,
)

SLD = "http://www.opengis.net/sld"
SE = "http://www.opengis.net/se"
OGC = "http://www.opengis.net/ogc"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMA = f"{SLD} http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd"

for _prefix, _uri in (("", SLD), ("se", SE), ("ogc", OGC), ("xlink", XLINK), ("xsi", XSI)):
    ET.register_namespace(_prefix, _uri)

#: GeoServer's hatch marks for the app's line hatchings (angle clockwise from vertical).
_HATCH_MARKS = {("lijnen", 45): "shape://slash", ("lijnen", -45): "shape://backslash"}


def _se(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{SE}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def _ogc(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, f"{{{OGC}}}{tag}")
    if text is not None:
        el.text = text
    return el


def to_sld(style: Style) -> str:
    """The SLD 1.1 document of ``style``."""
    root = ET.Element(
        f"{{{SLD}}}StyledLayerDescriptor", {"version": "1.1.0", f"{{{XSI}}}schemaLocation": _SCHEMA}
    )
    named = ET.SubElement(root, f"{{{SLD}}}NamedLayer")
    _se(named, "Name", style.layer)
    user = ET.SubElement(named, f"{{{SLD}}}UserStyle")
    _se(user, "Name", style.name)
    description = _se(user, "Description")
    _se(description, "Title", style.title)
    _se(description, "Abstract", style.description)
    ET.SubElement(user, f"{{{SLD}}}IsDefault").text = "1" if style.default else "0"
    fts = _se(user, "FeatureTypeStyle")
    _se(fts, "Name", style.name)
    suffixes = False
    for rule in _rules(style):
        fts.append(rule)
    if style.labels is not None:
        suffixes = isinstance(style.renderer, RuleBased) and _has_suffixes(style.renderer.rules)
        if suffixes:
            _add_rule_labels(fts, style)
        else:
            rule = _se(fts, "Rule")
            _se(rule, "Name", "labels")
            _se(_se(rule, "Description"), "Title", "namen")
            fts_label = _text(style.labels, "")
            rule.append(fts_label)
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _rules(style: Style) -> list[ET.Element]:
    renderer = style.renderer
    if isinstance(renderer, Single):
        return [_rule(renderer.label, None, renderer.symbol, "1")]
    if isinstance(renderer, Categorized):
        listed = [c.value for c in renderer.categories if c.value is not None]
        out = []
        for i, cat in enumerate(renderer.categories, 1):
            if cat.value is None:
                # no value, or a value no other category has (QGIS: the "all other values" class)
                others = [Not(Eq(renderer.field, v)) for v in listed]
                f: Filter = AnyOf((IsNull(renderer.field), AllOf(tuple(others))))
            else:
                f = Eq(renderer.field, cat.value)
            out.append(_rule(cat.label, f, cat.symbol, str(i)))
        return out
    assert isinstance(renderer, RuleBased)
    out = []
    for path, filters, rule in _leaves(renderer.rules, (), ()):
        if rule.symbol is None:
            continue
        out.append(_rule(" — ".join(path), _combine(filters), rule.symbol, str(len(out) + 1)))
    return out


def _leaves(
    rules: tuple[Rule, ...], path: tuple[str, ...], filters: tuple[Filter, ...]
) -> list[tuple[tuple[str, ...], tuple[Filter, ...], Rule]]:
    """Every rule with its legend path and the filters of it and its parents (an
    ``otherwise`` rule becomes "none of its siblings")."""
    out = []
    for rule in rules:
        own: tuple[Filter, ...] = ()
        if rule.otherwise:
            siblings = tuple(r.filter for r in rules if r is not rule and r.filter is not None)
            own = tuple(Not(f) for f in siblings)
        elif rule.filter is not None:
            own = (rule.filter,)
        here = (*path, rule.label)
        out.append((here, filters + own, rule))
        out += _leaves(rule.children, here, filters + own)
    return out


def _combine(filters: tuple[Filter, ...]) -> Filter | None:
    if not filters:
        return None
    return filters[0] if len(filters) == 1 else AllOf(filters)


def _has_suffixes(rules: tuple[Rule, ...]) -> bool:
    return any(r.label_suffix or _has_suffixes(r.children) for r in rules)


def _add_rule_labels(fts: ET.Element, style: Style) -> None:
    """Labels per drawn rule (with that rule's suffix, e.g. " (schematisch)")."""
    assert isinstance(style.renderer, RuleBased) and style.labels is not None
    for path, filters, rule in _leaves(style.renderer.rules, (), ()):
        if rule.symbol is None:
            continue
        el = _se(fts, "Rule")
        _se(el, "Name", "labels: " + " — ".join(path))
        _se(_se(el, "Description"), "Title", "namen: " + " — ".join(path))
        combined = _combine(filters)
        if combined is not None:
            _filter(el, combined)
        el.append(_text(style.labels, rule.label_suffix))


def _rule(title: str, f: Filter | None, symbol: Symbol, name: str) -> ET.Element:
    el = ET.Element(f"{{{SE}}}Rule")
    _se(el, "Name", name)
    _se(_se(el, "Description"), "Title", title)
    if f is not None:
        _filter(el, f)
    for part in symbol.parts:
        el.append(_symbolizer(part))
    return el


# ---------------------------------------------------------------------------- filters


def _filter(parent: ET.Element, f: Filter) -> None:
    _condition(_ogc(parent, "Filter"), f)


def _condition(parent: ET.Element, f: Filter) -> None:
    if isinstance(f, Eq):
        el = _ogc(parent, "PropertyIsEqualTo")
        _ogc(el, "PropertyName", f.field)
        _ogc(el, "Literal", str(f.value))
    elif isinstance(f, IsNull):
        _ogc(_ogc(parent, "PropertyIsNull"), "PropertyName", f.field)
    elif isinstance(f, Not):
        _condition(_ogc(parent, "Not"), f.part)
    else:
        assert isinstance(f, AnyOf | AllOf)
        if len(f.parts) == 1:
            _condition(parent, f.parts[0])
            return
        group = _ogc(parent, "Or" if isinstance(f, AnyOf) else "And")
        for part in f.parts:
            _condition(group, part)


def _expr(parent: ET.Element, e: Expr) -> None:
    if isinstance(e, Field):
        _ogc(parent, "PropertyName", e.name)
    elif isinstance(e, Literal_):
        _ogc(parent, "Literal", f"{e.value:g}" if isinstance(e.value, float) else str(e.value))
    else:
        assert isinstance(e, Arith)
        tag = {"+": "Add", "-": "Sub", "*": "Mul", "/": "Div"}[e.op]
        el = _ogc(parent, tag)
        _expr(el, e.left)
        _expr(el, e.right)


# ---------------------------------------------------------------------------- symbolizers


def _px(value: float) -> str:
    return f"{value:g}"


def _stroke(parent: ET.Element, stroke: Stroke) -> None:
    el = _se(parent, "Stroke")
    _se(el, "SvgParameter", stroke.colour, name="stroke")
    _se(el, "SvgParameter", _px(stroke.width), name="stroke-width")
    if stroke.opacity != 1:
        _se(el, "SvgParameter", _px(stroke.opacity), name="stroke-opacity")
    _se(el, "SvgParameter", "round", name="stroke-linejoin")
    if stroke.dashes:
        _se(el, "SvgParameter", " ".join(_px(d) for d in stroke.dashes), name="stroke-dasharray")


def _symbolizer(part: object) -> ET.Element:
    if isinstance(part, Area):
        el = ET.Element(f"{{{SE}}}PolygonSymbolizer")
        if part.fill is not None:
            fill = _se(el, "Fill")
            _se(fill, "SvgParameter", part.fill, name="fill")
            _se(fill, "SvgParameter", _px(part.fill_opacity), name="fill-opacity")
        if part.stroke is not None:
            _stroke(el, part.stroke)
        return el
    if isinstance(part, Hatch):
        el = ET.Element(f"{{{SE}}}PolygonSymbolizer")
        graphic = _se(_se(_se(el, "Fill"), "GraphicFill"), "Graphic")
        mark = _se(graphic, "Mark")
        if part.kind == "punten":
            name = "circle"
        elif part.kind == "kruis":
            name = "shape://plus" if part.angle % 90 == 0 else "shape://times"
        else:
            name = _HATCH_MARKS.get((part.kind, part.angle), "shape://vertline")
        _se(mark, "WellKnownName", name)
        if part.kind == "punten":
            fill = _se(mark, "Fill")
            _se(fill, "SvgParameter", part.colour, name="fill")
            _se(graphic, "Size", _px(2 * part.width))
        else:
            _stroke(mark, Stroke(part.colour, part.width))
            _se(graphic, "Size", _px(part.spacing))
        return el
    assert isinstance(part, Dot)
    el = ET.Element(f"{{{SE}}}PointSymbolizer")
    graphic = _se(el, "Graphic")
    mark = _se(graphic, "Mark")
    _se(mark, "WellKnownName", "circle")
    fill = _se(mark, "Fill")
    _se(fill, "SvgParameter", part.fill, name="fill")
    _se(fill, "SvgParameter", _px(part.fill_opacity), name="fill-opacity")
    _stroke(mark, part.stroke)
    size = _se(graphic, "Size")
    if part.size_sld is not None:
        _expr(size, part.size_sld)
    else:
        size.text = _px(part.size)
    return el


def _text(labels: Labels, suffix: str) -> ET.Element:
    el = ET.Element(f"{{{SE}}}TextSymbolizer")
    label = _se(el, "Label")
    _ogc(label, "PropertyName", labels.field).tail = suffix or None
    font = _se(el, "Font")
    _se(font, "SvgParameter", "sans-serif", name="font-family")
    _se(font, "SvgParameter", _px(round(labels.size * 96 / 72, 1)), name="font-size")
    placement = _se(_se(el, "LabelPlacement"), "PointPlacement")
    anchor = _se(placement, "AnchorPoint")
    _se(anchor, "AnchorPointX", "0.5")
    _se(anchor, "AnchorPointY", "0" if labels.placement == "around" else "0.5")
    if labels.placement == "around":
        displacement = _se(placement, "Displacement")
        _se(displacement, "DisplacementX", "0")
        _se(displacement, "DisplacementY", "6")
    halo = _se(el, "Halo")
    _se(halo, "Radius", "2")
    _se(_se(halo, "Fill"), "SvgParameter", labels.buffer, name="fill")
    _se(_se(el, "Fill"), "SvgParameter", labels.colour, name="fill")
    return el
