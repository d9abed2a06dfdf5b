"""The style of every layer with geometry, from the catalogue and the app's own colours.

Nothing here picks a colour: the classes, strategies and phases come from the configs
(``leefbaarheid.toml``, ``warmte.toml``), the colours and line styles from
:mod:`wijkplan.styles.palette`, which the app's map uses too. :func:`layer_styles` gives
a layer's styles, the default first (a layer the catalogue declares without geometry
has none); a geometric layer without a style of its own gets a plain one.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from functools import cache

from wijkplan import catalogue
from wijkplan.numbers import number
from wijkplan.styles import palette as p
from wijkplan.styles.model import (
    AnyOf,
    Area,
    Arith,
    Categorized,
    Category,
    Dot,
    Eq,
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
    dash,
    one_of,
)

#: What the styles say about where their colours come from (in every description).
SOURCE_NOTE = "Stijl van wijkplan: dezelfde klassen, kleuren en legenda als de kaart in de app."


# ---------------------------------------------------------------------------- building blocks


def _num(style: Mapping[str, object], key: str, default: float | None = None) -> float:
    """A number of a Leaflet style (``weight``, ``fillOpacity``, ...)."""
    value = style.get(key, default)
    if not isinstance(value, int | float):
        raise TypeError(f"{key}: {value!r} is geen getal")
    return float(value)


def _stroke(style: Mapping[str, object], *, dashes: str | None = None) -> Stroke:
    """The line of a Leaflet path style (colour, weight, opacity, dashArray)."""
    pattern = dashes if dashes is not None else style.get("dashArray")
    return Stroke(
        colour=str(style["color"]),
        width=_num(style, "weight"),
        opacity=_num(style, "opacity", 1.0),
        dashes=dash(str(pattern)) if pattern else (),
    )


def _fill(colour: str, opacity: float, stroke: Stroke | None = None) -> Symbol:
    return Symbol("fill", (Area(colour, opacity, stroke),))


def _outline(*strokes: Stroke) -> Symbol:
    return Symbol("fill", tuple(Area(None, 1.0, s) for s in strokes))


#: The edge of a buurt coloured by a theme (the app draws the buurt style under the theme).
_BUURT_EDGE = _stroke(p.BUURT_STYLE)
_NO_DATA_FILL = str(p.NO_DATA_STYLE["fillColor"])
_NO_DATA_OPACITY = _num(p.NO_DATA_STYLE, "fillOpacity")


def _class_ranges() -> tuple[str, ...]:
    """The class thresholds in words, one per class (``afw -0,35 tot -0,25``)."""
    from wijkplan.config import load_config

    cfg = load_config()
    bounds = [number(b, 2) for b in cfg.class_bounds]
    var = cfg.class_variable
    ranges = [f"{var} lager dan {bounds[0]}"]
    ranges += [f"{var} {lo} tot {hi}" for lo, hi in itertools.pairwise(bounds)]
    ranges.append(f"{var} vanaf {bounds[-1]}")
    return tuple(ranges)


def _liveability_categories(
    *, dot: bool = False, edge: Stroke | None = _BUURT_EDGE
) -> tuple[Category, ...]:
    """The nine Leefbaarometer classes (labels from the config, the app's colours) and
    "geen score" in grey; as filled areas, or as circles (``dot``: complexes)."""
    from wijkplan.config import load_config

    labels = load_config().class_labels
    out = []
    for nr, (label, colour, span) in enumerate(
        zip(labels, p.CLASS_COLOURS, _class_ranges(), strict=True), 1
    ):
        symbol = (
            _dot(colour, size=_CLASS_DOT_SIZE) if dot else _fill(colour, p.THEME_FILL_OPACITY, edge)
        )
        out.append(Category(nr, f"{label} ({span}, aanname)", symbol))
    none = (
        _dot(p.NO_DATA_COLOUR, size=_CLASS_DOT_SIZE)
        if dot
        else _fill(_NO_DATA_FILL, _NO_DATA_OPACITY, edge)
    )
    out.append(Category(None, "geen score", none))
    return tuple(out)


_CLASS_NOTE = (
    "De klassengrenzen zijn een aanname van wijkplan (config/leefbaarheid.toml): de officiële "
    "grenzen van de Leefbaarometer staan niet in de open data."
)

# ---------------------------------------------------------------------------- complexes

#: The app's circle for a complex: radius 3 px plus 1 px per 40 homes (at most 200), edge 1 px,
#: fill opacity 0.8 (wijkplan.mapping.base.add_complexen).
_COMPLEX_EDGE_WIDTH = 1.0
_COMPLEX_FILL_OPACITY = 0.8
_COMPLEX_DIAMETER = '2 * (3 + min(coalesce("aantal_woningen", 0), 200) / 40)'
_COMPLEX_DIAMETER_SLD = Arith(
    "*",
    Literal_(2),
    Arith("+", Literal_(3), Arith("/", Field("aantal_woningen"), Literal_(40))),
)
#: A complex coloured by the class under it (that layer has no number of homes): 10 px.
_CLASS_DOT_SIZE = 10.0


def _dot(
    colour: str,
    *,
    size: float,
    expression: str | None = None,
    sld: Arith | None = None,
) -> Symbol:
    """A complex as the app draws it: a circle on the footprint's surface (and, for a
    closer look, the footprint's outline)."""
    edge = Stroke(colour, _COMPLEX_EDGE_WIDTH)
    return Symbol(
        "fill",
        (
            Area(None, 1.0, Stroke(colour, _COMPLEX_EDGE_WIDTH, opacity=0.8)),
            Dot(size, colour, _COMPLEX_FILL_OPACITY, edge, expression, sld),
        ),
    )


def _complex_categories() -> tuple[Category, ...]:
    def make(colour: str) -> Symbol:
        return _dot(colour, size=8.0, expression=_COMPLEX_DIAMETER, sld=_COMPLEX_DIAMETER_SLD)

    out = [Category(name, name, make(colour)) for name, colour in p.CORPORATIE_COLOURS.items()]
    out.append(Category(None, "andere of onbekende corporatie", make(p.OTHER_CORPORATIE_COLOUR)))
    return tuple(out)


# ---------------------------------------------------------------------------- heat


def _heat_colours() -> dict[str, str]:
    from wijkplan.config.heat import load_heat_config

    return load_heat_config().colours


def _strategy_categories() -> tuple[Category, ...]:
    out = [
        Category(name, name, _fill(colour, p.THEME_FILL_OPACITY, _BUURT_EDGE))
        for name, colour in _heat_colours().items()
    ]
    out.append(
        Category(None, "geen strategie", _fill(_NO_DATA_FILL, _NO_DATA_OPACITY, _BUURT_EDGE))
    )
    return tuple(out)


def _phase_rules() -> tuple[Rule, ...]:
    from wijkplan.config.heat import PHASES

    rules = [
        Rule(
            phase,
            Eq("fase", phase),
            Symbol("fill", (Hatch(kind, angle, spacing, p.HATCH_WIDTH, p.HATCH_COLOUR),)),
        )
        for phase, (kind, angle, spacing) in zip(PHASES, p.PHASE_HATCHES, strict=True)
    ]
    rules.append(Rule("geen fase: zonder arcering (buiten de warmtegebieden)", IsNull("fase")))
    return tuple(rules)


def _district_symbol(*, assumed: bool) -> Symbol:
    line = _stroke(p.DISTRICT_STYLE, dashes=p.ASSUMED_DASH if assumed else "")
    return _outline(_stroke(p.DISTRICT_CASING), line)


#: How the app marks the position of an aquathermal part (``ligging``): the legend and
#: label suffix per group of values (wijkplan.mapping.heat._aquathermal_legend).
_LIGGING: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("uit de bron", ("bron",), ""),
    ("bij benadering", ("bij benadering",), " (bij benadering)"),
    ("schematisch, niet de echte ligging", ("schematisch", "voorbeelddata"), " (schematisch)"),
)


def _ligging_filter(values: tuple[str, ...]) -> Filter:
    if values == ("schematisch", "voorbeelddata"):
        # anything that is not known to be from a source or approximate counts as schematic
        known = one_of("ligging", ("bron", "bij benadering"))
        return AnyOf((IsNull("ligging"), Not(known)))
    return one_of("ligging", values)


def _aqua_part(kind: str, title: str, symbol: dict[bool, Symbol]) -> Rule:
    """The rules of one part of the project: a heading with one rule per kind of position
    (``symbol[True]`` where the position comes from a source, else ``symbol[False]``)."""
    children = tuple(
        Rule(
            what,
            _ligging_filter(values),
            symbol[values == ("bron",)],
            label_suffix=suffix,
        )
        for what, values, suffix in _LIGGING
    )
    return Rule(title, Eq("onderdeel", kind), None, children)


def _aquathermie_rules() -> tuple[Rule, ...]:
    water = p.AQUA_BRONWATER_STYLE
    water_fill = (str(water["fillColor"]), _num(water, "fillOpacity"))
    scope = p.AQUA_PLANGEBIED_STYLE
    obj = p.AQUA_OBJECT_STYLE
    diameter = 2.0 * p.AQUA_OBJECT_RADIUS

    def water_symbol(exact: bool) -> Symbol:
        edge = _stroke(water, dashes=None if exact else p.AQUA_INEXACT_DASH)
        return _fill(*water_fill, edge)

    def object_symbol(exact: bool) -> Symbol:
        edge = _stroke(obj, dashes=None if exact else p.AQUA_OBJECT_INEXACT_DASH)
        dot = Dot(diameter, str(obj["fillColor"]), _num(obj, "fillOpacity"), edge)
        return Symbol("marker", (dot,))

    scope_symbol = _fill(
        str(scope["fillColor"]),
        _num(scope, "fillOpacity"),
        _stroke(scope),
    )
    complex_symbol = _outline(_stroke(p.AQUA_COMPLEX_STYLE))
    return (
        _aqua_part(
            "bronwater", "bronwater", {True: water_symbol(True), False: water_symbol(False)}
        ),
        _aqua_part(
            "plangebied", "plangebied (gestreept)", {True: scope_symbol, False: scope_symbol}
        ),
        _aqua_part(
            "object",
            "aangesloten of gepland object",
            {True: object_symbol(True), False: object_symbol(False)},
        ),
        _aqua_part(
            "complex",
            "complex in het plangebied",
            {True: complex_symbol, False: complex_symbol},
        ),
    )


_AQUA_LABEL = (
    "\"naam\" || CASE WHEN \"ligging\" = 'bron' THEN '' "
    "WHEN \"ligging\" = 'bij benadering' THEN ' (bij benadering)' "
    "ELSE ' (schematisch)' END"
)


# ---------------------------------------------------------------------------- per layer


def _buurten() -> tuple[Style, ...]:
    return (
        Style(
            "buurten",
            "Buurtgrenzen",
            "Buurten (CBS)",
            f"Buurtgrenzen met de buurtnaam. {SOURCE_NOTE}",
            Single(_outline(_BUURT_EDGE), "buurtgrens"),
            labels=Labels('"buurtnaam"', "buurtnaam", str(p.BUURT_STYLE["color"])),
            map_tip='<b>[% "buurtnaam" %]</b> ([% "buurtcode" %])<br>Wijk: [% "wijknaam" %]',
            display='"buurtnaam"',
        ),
    )


def _wijken() -> tuple[Style, ...]:
    return (
        Style(
            "wijken",
            "Wijkgrenzen",
            "Wijken (CBS)",
            f"Wijkgrenzen. {SOURCE_NOTE}",
            Single(_outline(_stroke(p.WIJK_STYLE)), "wijkgrens"),
            map_tip='<b>[% "wijknaam" %]</b> ([% "wijkcode" %])',
            display='"wijknaam"',
        ),
    )


def _regiegebieden() -> tuple[Style, ...]:
    return (
        Style(
            "regiegebieden",
            "Regiegebieden",
            "Regiegebieden leefbaarheid",
            f"Regiegebieden leefbaarheid: paars gestreepte rand. {SOURCE_NOTE}",
            Single(_outline(_stroke(p.REGIE_STYLE)), "regiegebied leefbaarheid"),
            map_tip='<b>[% "naam" %]</b><br>Regisseur: [% "regisseur" %]',
            display='"naam"',
        ),
    )


def _leefbaarheid() -> tuple[Style, ...]:
    return (
        Style(
            "leefbaarheid",
            "Leefbaarometer-klasse",
            "Leefbaarheid: klasse (Leefbaarometer); klassengrenzen zijn een aanname",
            f"Buurten naar de klasse van de Leefbaarometer (klasse_nr 1-9), grijs: geen score. "
            f"{_CLASS_NOTE} {SOURCE_NOTE}",
            Categorized("klasse_nr", _liveability_categories()),
            map_tip=(
                '<b>[% "buurtnaam" %]</b> ([% "buurtcode" %])<br>'
                "Klasse: [% coalesce(\"klasse\", 'geen score') %] "
                "(klassengrenzen zijn een aanname)<br>"
                'Afwijking van landelijk (afw): [% format_number("afw", 3) %]'
            ),
            display='"buurtnaam"',
        ),
    )


def _leefbaarheid_complexen() -> tuple[Style, ...]:
    return (
        Style(
            "leefbaarheid_complexen",
            "Leefbaarometer-klasse",
            "Leefbaarheid onder de complexen; klassengrenzen zijn een aanname",
            "Complexen als bolletjes in de kleur van de Leefbaarometer-klasse eronder, grijs: "
            f"geen score. {_CLASS_NOTE} {SOURCE_NOTE}",
            Categorized("klasse_nr", _liveability_categories(dot=True)),
            map_tip=(
                '<b>[% "naam" %]</b> ([% "corporatie" %])<br>'
                "Klasse: [% coalesce(\"klasse\", 'geen score') %] "
                "(klassengrenzen zijn een aanname)"
            ),
            display='"naam"',
        ),
    )


def _leefbaarheid_regiegebieden() -> tuple[Style, ...]:
    return (
        Style(
            "leefbaarheid_regiegebieden",
            "Leefbaarometer-klasse",
            "Leefbaarheid per regiegebied; klassengrenzen zijn een aanname",
            "Regiegebieden naar de klasse van de Leefbaarometer, met de paars gestreepte rand "
            f"van de regiegebieden. {_CLASS_NOTE} {SOURCE_NOTE}",
            Categorized("klasse_nr", _liveability_categories(edge=_stroke(p.REGIE_STYLE))),
            map_tip=(
                '<b>[% "naam" %]</b><br>'
                "Klasse: [% coalesce(\"klasse\", 'geen score') %] "
                "(klassengrenzen zijn een aanname)"
            ),
            display='"naam"',
        ),
    )


def _complexen() -> tuple[Style, ...]:
    return (
        Style(
            "complexen",
            "Complexen per corporatie",
            "Complexen woningcorporaties",
            "Complexen als bolletjes in de kleur van de corporatie, grootte naar het aantal "
            f"woningen, met de omtrek van het complex. {SOURCE_NOTE}",
            Categorized("corporatie", _complex_categories()),
            map_tip=(
                '<b>[% "naam" %]</b> ([% "corporatie" %])<br>'
                '[% "aantal_woningen" %] woningen, bouwjaar [% "bouwjaar" %], '
                'label [% coalesce("energielabel", \'onbekend\') %]<br>Bron: [% "bron" %]'
            ),
            display='"naam"',
        ),
    )


def _warmteplan() -> tuple[Style, ...]:
    strategy = Style(
        "warmteplan",
        "Warmtestrategie",
        "Strategie (warmteplan)",
        "Buurten naar de voorgenomen warmtestrategie uit het warmteplan (kleuren uit "
        f"config/warmte.toml), grijs: geen strategie. {SOURCE_NOTE}",
        Categorized("strategie", _strategy_categories()),
        map_tip=(
            '<b>[% "buurtnaam" %]</b> ([% "buurtcode" %])<br>'
            "Strategie (plan): [% coalesce(\"strategie\", '—') %]<br>"
            "Fase: [% coalesce(\"fase\", 'geen') %]<br>"
            "Warmtegebied: [% coalesce(\"gebied_naam\", '—') %]<br>"
            "Indicatie (vuistregels): [% coalesce(\"indicatie\", '—') %]"
        ),
        display='"buurtnaam"',
    )
    strategies = tuple(
        Rule(
            c.label,
            Eq("strategie", c.value) if c.value is not None else IsNull("strategie"),
            c.symbol,
        )
        for c in _strategy_categories()
    )
    phased = Style(
        "warmteplan",
        "Warmtestrategie en fase",
        "Strategie (warmteplan) en fase (arcering)",
        "Buurten naar de warmtestrategie, gearceerd naar de fase van het warmteplan, zoals de "
        f"kaart 'Warmtetransitie: strategie' in de app. {SOURCE_NOTE}",
        RuleBased(
            (
                Rule("Strategie (warmteplan)", None, None, strategies),
                Rule("Fase (arcering)", None, None, _phase_rules()),
            )
        ),
        map_tip=strategy.map_tip,
        display=strategy.display,
        default=False,
    )
    return strategy, phased


def _warmtegebieden() -> tuple[Style, ...]:
    return (
        Style(
            "warmtegebieden",
            "Warmtegebieden",
            "Warmtegebieden (Transitievisie Warmte)",
            "Warmtegebieden: zwarte rand op een witte rand, gestreept waar de begrenzing een "
            f"aanname is. {SOURCE_NOTE}",
            RuleBased(
                (
                    Rule(
                        "begrenzing is een aanname (gestreept)",
                        Eq("begrenzing", "aanname"),
                        _district_symbol(assumed=True),
                    ),
                    Rule(
                        "begrenzing gepubliceerd",
                        None,
                        _district_symbol(assumed=False),
                        otherwise=True,
                    ),
                )
            ),
            labels=Labels('"naam"', "naam", str(p.DISTRICT_STYLE["color"]), size=9.0),
            map_tip=(
                '<b>[% "naam" %]</b><br>Begrenzing: [% "begrenzing" %]<br>'
                "Strategie: [% coalesce(\"strategie\", '—') %], fase: "
                "[% coalesce(\"fase\", '—') %]"
            ),
            display='"naam"',
        ),
    )


def _aquathermie() -> tuple[Style, ...]:
    return (
        Style(
            "aquathermie",
            "Aquathermie",
            "Aquathermie Planetenbuurt",
            "Het aquathermieproject: bronwater, plangebied (gestreept), aangesloten en geplande "
            "objecten (bolletjes) en complexen in het plangebied; gestreept en in het label "
            "gemarkeerd waar de ligging schematisch of bij benadering is (kolom ligging). "
            f"{SOURCE_NOTE}",
            RuleBased(_aquathermie_rules()),
            labels=Labels(_AQUA_LABEL, "naam", p.MAP_LABEL_COLOUR, placement="around"),
            map_tip=(
                '<b>[% "naam" %]</b> ([% "onderdeel" %])<br>Ligging: [% "ligging" %]<br>'
                "Status: [% coalesce(\"status\", '—') %]"
            ),
            display='"naam"',
        ),
    )


def _plain(name: str) -> tuple[Style, ...]:
    """A geometric layer without a style of its own: the app's buurt look (and circles)."""
    spec = catalogue.layer(name)
    area = _fill(str(p.BUURT_STYLE["fillColor"]), _num(p.BUURT_STYLE, "fillOpacity"), _BUURT_EDGE)
    if spec.geometry == "MultiPolygon":
        renderer: Single | RuleBased = Single(area, spec.title)
    else:  # any geometry: polygons filled, points as circles (each rule draws its own kind)
        point = Symbol("marker", (Dot(8.0, str(p.BUURT_STYLE["fillColor"]), 1.0, _BUURT_EDGE),))
        renderer = RuleBased(
            (Rule(f"{spec.title} (vlak)", None, area), Rule(f"{spec.title} (punt)", None, point))
        )
    return (
        Style(name, spec.title[:30], spec.title, f"{spec.description} {SOURCE_NOTE}", renderer),
    )


_BUILDERS = {
    "buurten": _buurten,
    "wijken": _wijken,
    "complexen": _complexen,
    "regiegebieden": _regiegebieden,
    "warmteplan": _warmteplan,
    "warmtegebieden": _warmtegebieden,
    "aquathermie": _aquathermie,
    "leefbaarheid": _leefbaarheid,
    "leefbaarheid_complexen": _leefbaarheid_complexen,
    "leefbaarheid_regiegebieden": _leefbaarheid_regiegebieden,
}


@cache
def layer_styles(name: str) -> tuple[Style, ...]:
    """The styles of layer ``name``, the default first; () for a table (no geometry).

    An undeclared layer is a bug (KeyError).
    """
    spec = catalogue.layer(name)
    if spec.geometry is None:
        return ()
    builder = _BUILDERS.get(name)
    return builder() if builder is not None else _plain(name)


def geometric_layers() -> tuple[str, ...]:
    """Every declared layer with geometry, in catalogue order."""
    return tuple(layer.name for layer in catalogue.DECLARED if layer.geometry is not None)


__all__ = ["SOURCE_NOTE", "geometric_layers", "layer_styles"]
