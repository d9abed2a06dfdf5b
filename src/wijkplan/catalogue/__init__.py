"""The layer catalogue: every layer and table the build writes, declared once.

This module is the contract between the build, the reading side, the dossier,
the app's map themes, the exports and the tests. For each layer it says its
name, geometry type (or none, for a table), key, theme, source kind (real,
sample or derived), whether it holds suppressed counts, and every column with
its meaning (Dutch: GIS staff read it in QGIS) and unit.

The build checks every frame against its declaration before writing
(:func:`check_frame`), and the GeoPackage carries the catalogue: layer
descriptions in ``gpkg_contents``, column titles in ``gpkg_data_columns`` and
the whole table as ``catalogus``.

Columns named with ``{categorie}`` stand for one column per incident category
of the liveability config (``overlast``, ``per_1000_overlast``, ...), present for
the categories the incident source has.

>>> LAYERS["buurten"].key, LAYERS["buurten"].geometry
('buurtcode', 'MultiPolygon')
>>> [c.name for c in expand(LAYERS["incidenten_wijk"], ["geweld"]) if "geweld" in c.name]
['geweld', 'per_1000_geweld']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

import pandas as pd

from wijkplan.catalogue.layers import (
    ADDITIVE_FIGURES,
    CATALOGUE_TABLE,
    DECLARED,
    DIMENSIONS,
    FIGURE_COLUMNS,
    KERNCIJFERS,
    LAYERS,
    LEDGER_TABLE,
    MAP_THEMES,
    REPORT_TABLE,
    SCORE_LABELS,
    SCORES,
)
from wijkplan.catalogue.model import CATEGORY, Column, ColumnType, Layer, LayerKind, MapTheme

__all__ = [
    "ADDITIVE_FIGURES",
    "CATALOGUE_TABLE",
    "CATEGORY",
    "DIMENSIONS",
    "FIGURE_COLUMNS",
    "KERNCIJFERS",
    "LAYERS",
    "LEDGER_TABLE",
    "MAP_THEMES",
    "REPORT_TABLE",
    "SCORES",
    "SCORE_LABELS",
    "Column",
    "ColumnType",
    "Layer",
    "LayerKind",
    "MapTheme",
    "catalogue_table",
    "categories_in",
    "column",
    "expand",
    "expected_columns",
    "frame_problems",
    "join_pairs",
    "layer",
    "layer_kind",
    "layer_needed",
    "parse_pairs",
    "presence_text",
]


def parse_pairs(text: object) -> dict[str, str]:
    """A per-figure column (``kerncijfers_bron``, ``kerncijfers_ontbreekt``) as a mapping.

    Its format, ``"kolom: waarde; kolom: waarde"``, is part of the contract.

    >>> parse_pairs("aantal_inwoners: geheim; woningvoorraad: niet beschikbaar")
    {'aantal_inwoners': 'geheim', 'woningvoorraad': 'niet beschikbaar'}
    """
    if not isinstance(text, str):
        return {}
    return dict(part.split(": ", 1) for part in text.split("; ") if ": " in part)


def join_pairs(pairs: dict[str, str]) -> str | None:
    """The inverse of :func:`parse_pairs` (None when empty).

    A value that holds the separator itself has it written as ", " so that the column
    always reads back into the same keys:

    >>> parse_pairs(join_pairs({"a": "x; y", "b": "z"}))
    {'a': 'x, y', 'b': 'z'}
    """
    return "; ".join(f"{k}: {str(v).replace('; ', ', ')}" for k, v in pairs.items()) or None


def layer(name: str) -> Layer:
    """The declaration of a layer; an undeclared name is a bug (KeyError)."""
    return LAYERS[name]


def expand(spec: Layer, categories: Sequence[str]) -> list[Column]:
    """The layer's columns with ``{categorie}`` replaced by each incident category."""
    out: list[Column] = []
    for c in spec.columns:
        if CATEGORY in c.name:
            out += [
                replace(
                    c,
                    name=c.name.replace(CATEGORY, cat),
                    meaning=f"{c.meaning}: {cat}",
                    when="categorie",
                )
                for cat in categories
            ]
        else:
            out.append(c)
    return out


def _template(spec: Layer, name: str) -> tuple[Column, str] | None:
    """The ``{categorie}`` column declaration that ``name`` expands, and its category."""
    # the longest template first: per_1000_{categorie} before {categorie}
    templates = sorted((c for c in spec.columns if CATEGORY in c.name), key=lambda c: -len(c.name))
    for c in templates:
        head, tail = c.name.split(CATEGORY)
        if name.startswith(head) and name.endswith(tail) and len(name) > len(head + tail):
            return c, name[len(head) : len(name) - len(tail)]
    return None


def column(spec: Layer, name: str) -> Column | None:
    """The declaration of column ``name`` of a layer, a ``{categorie}`` column expanded for
    the category the name holds; None for an undeclared column.

    >>> column(LAYERS["incidenten_wijk"], "per_1000_geweld").meaning.endswith(": geweld")
    True
    """
    for c in spec.columns:
        if c.name == name:
            return c
    found = _template(spec, name)
    if found is None:
        return None
    template, category = found
    return expand(replace(spec, columns=(template,)), [category])[0]


def categories_in(spec: Layer, columns: Iterable[str]) -> list[str]:
    """The incident categories a frame's ``{categorie}`` columns stand for, in order."""
    fixed = {c.name for c in spec.columns}
    found: dict[str, None] = {}
    for name in columns:
        if name not in fixed and name != "geometry" and (hit := _template(spec, name)):
            found.setdefault(hit[1])
    return list(found)


_DTYPE_OK = {
    "tekst": lambda s: pd.api.types.is_string_dtype(s) or s.dtype == object,
    "json": lambda s: pd.api.types.is_string_dtype(s) or s.dtype == object,
    "geheel getal": lambda s: pd.api.types.is_integer_dtype(s) or s.isna().all(),
    "getal": lambda s: pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s),
    "ja/nee": lambda s: pd.api.types.is_bool_dtype(s),
}


def frame_problems(
    name: str,
    frame: pd.DataFrame,
    *,
    categories: Sequence[str],
    sources: Iterable[str] | None = None,
) -> list[str]:
    """Where ``frame`` differs from the declaration of layer ``name`` (empty: it conforms).

    Checks: the layer is declared; every column is declared and of its type; the
    geometry (or its absence) is as declared; the key is unique; every column that
    must be there is (always-present columns, and with ``sources`` given, those of
    the sources that were present).
    """
    if name not in LAYERS:
        return [f"laag {name!r} staat niet in de catalogus"]
    spec = LAYERS[name]
    declared = {c.name: c for c in expand(spec, categories)}
    problems = []
    geometry_name = getattr(frame, "_geometry_column_name", None)
    has_geometry = geometry_name is not None and geometry_name in frame.columns
    if (spec.geometry is None) == has_geometry:
        problems.append(
            f"laag {name}: geometrie {'aanwezig' if has_geometry else 'ontbreekt'}, "
            f"verwacht {spec.geometry or 'geen'}"
        )
    elif has_geometry and spec.geometry == "MultiPolygon":
        kinds = set(frame.geometry.geom_type.dropna())
        if not kinds <= {"Polygon", "MultiPolygon"}:
            problems.append(f"laag {name}: geometrie {sorted(kinds)}, verwacht vlakken")
    for col in frame.columns:
        if col == geometry_name:
            continue
        if col not in declared:
            problems.append(f"laag {name}: kolom {col!r} staat niet in de catalogus")
            continue
        series = frame[col]
        if series.notna().any() and not _DTYPE_OK[declared[col].type](series.dropna()):
            problems.append(
                f"laag {name}: kolom {col!r} heeft type {series.dtype}, verwacht {declared[col].type}"
            )
    if sources is None:
        must = {c.name for c in declared.values() if c.when is None}
    else:
        must, _ = expected_columns(name, categories=categories, sources=sources)
    for col in sorted(must - set(frame.columns)):
        problems.append(f"laag {name}: kolom {col!r} ontbreekt")
    if spec.key is not None:
        key = [spec.key] if isinstance(spec.key, str) else list(spec.key)
        if all(k in frame.columns for k in key) and frame.duplicated(key).any():
            problems.append(f"laag {name}: sleutel {'+'.join(key)} is niet uniek")
    return problems


def expected_columns(
    name: str, *, categories: Sequence[str], sources: Iterable[str]
) -> tuple[set[str], set[str]]:
    """(must be present, may be present) column names of a layer, given the sources present."""
    present = set(sources)
    must, may = set(), set()
    for c in expand(LAYERS[name], categories):
        if c.when is None or (c.when not in ("bron", "categorie") and c.when in present):
            must.add(c.name)
        else:
            may.add(c.name)
    return must, may


def layer_needed(name: str, sources: Iterable[str]) -> bool:
    """Whether the build writes layer ``name`` when ``sources`` are present.

    A need ``"a|b"`` is met by either source.
    """
    present = set(sources)
    return all(any(alt in present for alt in need.split("|")) for need in LAYERS[name].needs)


def layer_kind(spec: Layer, kinds: Mapping[str, str]) -> str:
    """What a layer of *this* build is made of, from the kinds of its sources in the report.

    A source layer is as real as its file (``complexen`` from a corporation's export is
    ``echt``); a derived layer is ``afgeleid``, or ``afgeleid uit voorbeelddata`` when a
    source it was made from is sample data.
    """
    names = [name for need in spec.needs for name in need.split("|")] or [spec.name]
    if spec.kind != "afgeleid":
        return kinds.get(names[0], spec.kind)
    if any(kinds.get(name) == "voorbeelddata" for name in names):
        return "afgeleid uit voorbeelddata"
    return "afgeleid"


def catalogue_table(
    categories: Sequence[str], kinds: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The catalogue as one table (a row per layer and per column), Dutch headers.

    ``kinds`` (source name → echt/voorbeelddata/afwezig, from the build report) makes the
    ``soort`` column say what this build's layers are made of.
    """
    rows = []
    for spec in DECLARED:
        kind = layer_kind(spec, kinds or {})
        common = {"thema": spec.theme, "soort": kind, "afgeschermd": spec.suppressed}
        needs = " en ".join(need.replace("|", " of ") for need in spec.needs)
        rows.append(
            {
                "laag": spec.name,
                "kolom": "",
                "type": spec.geometry or "tabel",
                "betekenis": f"{spec.title}. {spec.description}",
                "eenheid": None,
                "aanwezig": f"met {needs}" if needs else "altijd",
                **common,
            }
        )
        for c in expand(spec, categories):
            rows.append(
                {
                    "laag": spec.name,
                    "kolom": c.name,
                    "type": c.type,
                    "betekenis": c.meaning,
                    "eenheid": c.unit,
                    "aanwezig": presence_text(c.when),
                    **common,
                }
            )
    return pd.DataFrame(rows)


def presence_text(when: str | None) -> str:
    """When a column is present, in words."""
    if when is None:
        return "altijd"
    if when == "bron":
        return "als het bronbestand de kolom heeft"
    if when == "categorie":
        return "voor elke incidentcategorie met gegevens"
    return f"met bron {when}"
