"""What the OGC API serves of a built GeoPackage: its layers with geometry, checked for privacy.

This module reads only the built file (through :mod:`wijkplan.read` and the catalogue); it
imports nothing of pygeoapi, so the app can ask which collections there would be without
loading a web server.

A layer is *served* when it is declared with geometry and present in the file. Tables without
geometry (the incident and crime tables per area, the agreements, the report) are not served:
the OGC API is for maps; a GIS user gets the tables from an export.

>>> [c.name for c in count_columns("leefbaarheid", ["geweld"])]
['geweld', 'totaal', 'misdrijven']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyogrio

from wijkplan import catalogue
from wijkplan.catalogue import Column, Layer
from wijkplan.errors import WijkplanError
from wijkplan.read import layer_names, read_layer, read_optional, read_report
from wijkplan.report import REAL, SAMPLE, BuildReport

__all__ = [
    "LICENCE_CC_BY",
    "PrivacyError",
    "ServedLayer",
    "count_columns",
    "privacy_problems",
    "sample_marks",
    "sample_sources",
    "served_layers",
]

#: CBS open data (boundaries, kerncijfers, police figures) is published under CC BY 4.0.
LICENCE_CC_BY = "https://creativecommons.org/licenses/by/4.0/deed.nl"

#: The real CBS sources a served layer rests on, with the attribution CC BY 4.0 asks for.
#: (Boundaries: every layer drawn with buurt or wijk outlines; figures: where its columns are.)
_CBS_SOURCES: dict[str, tuple[str, ...]] = {
    "buurten": ("buurten", "kerncijfers"),
    "wijken": ("wijken", "kerncijfers"),
    "regiegebieden": ("buurten",),
    "warmtegebieden": ("buurten",),
    "warmteplan": ("buurten", "kerncijfers"),
    "leefbaarheid": ("buurten", "misdrijven"),
    "leefbaarheid_regiegebieden": ("buurten",),
}
_ATTRIBUTION = {
    "buurten": "CBS / Kadaster (Wijk- en Buurtkaart)",
    "wijken": "CBS / Kadaster (Wijk- en Buurtkaart)",
    "kerncijfers": "CBS (Kerncijfers wijken en buurten)",
    "misdrijven": "CBS / Politie (geregistreerde misdrijven)",
}
#: Sample sources in words (the sidebar of the app says the same).
_SAMPLE_NAMES = {
    "complexen": "corporatiecomplexen",
    "leefbaarometer": "Leefbaarometer-scores",
    "leefbaarometer_buurten": "Leefbaarometer-buurtscores",
    "incidenten": "incidentregistraties",
    "kerncijfers": "woningcijfers per buurt",
    "bag": "BAG-panden",
    "energielabels": "energielabels",
    "oppervlaktewater": "oppervlaktewater (schematisch)",
    "aquathermie": "ligging en woningen van het aquathermieproject",
}
#: Inputs of a derived layer that the catalogue does not list as its needs.
_INPUTS: dict[str, tuple[str, ...]] = {
    "warmteplan": ("kerncijfers", "bag", "energielabels", "oppervlaktewater"),
}
#: Columns whose values say, per feature, that the feature (partly) rests on sample data.
_SAMPLE_MARKS = ("bron", "bron_leefbaarometer", "kerncijfers_bron", "invoer_bron")


class PrivacyError(WijkplanError):
    """A layer that must hold no small count holds one: it is not served."""


@dataclass(frozen=True)
class ServedLayer:
    """One collection of the OGC API: a declared layer with geometry in the built file."""

    spec: Layer
    #: echt, voorbeelddata, afgeleid or afgeleid uit voorbeelddata (this build)
    kind: str
    #: sample sources it rests on, in words (empty: none)
    sample: tuple[str, ...]
    #: (attribution, licence URL) of the real CBS sources it rests on
    licences: tuple[tuple[str, str], ...]
    #: bounding box in OGC:CRS84 (lon/lat)
    bbox: tuple[float, float, float, float]
    #: the suppressed count columns present in the file (checked: none holds 1..threshold-1)
    counts: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def description(self) -> str:
        """The catalogue's description, with the sample data and suppression spelled out."""
        text = self.spec.description
        if self.sample:
            text += (
                " LET OP: deze laag berust (deels) op voorbeelddata, gegenereerde gegevens die "
                f"geen echte situatie beschrijven: {', '.join(self.sample)}."
            )
        if self.spec.suppressed:
            text += (
                " Kleine aantallen zijn afgeschermd: een aantal onder de drempel staat er leeg in."
            )
        return text


def count_columns(name: str, categories: Sequence[str]) -> list[Column]:
    """The columns of layer ``name`` that hold suppressed counts (whole numbers, "afgeschermd")."""
    return [
        c
        for c in catalogue.expand(catalogue.layer(name), categories)
        if c.type == "geheel getal" and "afgeschermd" in c.meaning.lower()
    ]


def privacy_problems(frame: pd.DataFrame, columns: Iterable[str], threshold: int) -> list[str]:
    """Where a count column holds a value from 1 to ``threshold - 1`` (empty: none does).

    >>> privacy_problems(pd.DataFrame({"totaal": [0, None, 5, 12]}), ["totaal"], 5)
    []
    >>> privacy_problems(pd.DataFrame({"totaal": [0, 3.0]}), ["totaal"], 5)
    ['kolom totaal: 1 waarde(n) van 1 t/m 4']
    """
    problems = []
    for col in columns:
        if col not in frame.columns:
            continue
        values = pd.to_numeric(frame[col], errors="coerce")
        small = int(((values >= 1) & (values < threshold)).sum())
        if small:
            problems.append(f"kolom {col}: {small} waarde(n) van 1 t/m {threshold - 1}")
    return problems


def _categories(path: Path, name: str) -> list[str]:
    """The incident categories the build expanded for a layer (from the file's catalogue)."""
    table = read_optional(path, catalogue.CATALOGUE_TABLE)
    declared = {c.name for c in catalogue.layer(name).columns}
    found: list[str] = []
    if table is not None:
        rows = table[table["laag"] == name]
        found = [str(k) for k in rows["kolom"] if k and str(k) not in declared]
    from wijkplan.config import load_config

    return list(dict.fromkeys([*found, *load_config().categories]))


def _kinds(report: BuildReport) -> dict[str, str]:
    """Source name -> kind; a source present as real and as sample data counts as sample."""
    kinds: dict[str, str] = {}
    for s in report.sources:
        if kinds.get(s.name) != SAMPLE:
            kinds[s.name] = s.kind
    return kinds


def sample_sources(
    spec: Layer, report: BuildReport, frame: pd.DataFrame | None = None
) -> tuple[str, ...]:
    """The sample sources a layer rests on in this build, in words (empty: none).

    From the build report: the sources the layer needs or has columns of (and, for layers
    the catalogue derives from more inputs, those). With ``frame``, also the features' own
    marks (a ``bron`` of "voorbeelddata…", ``invoer_voorbeelddata``).
    """
    sample = report.sample_sources()
    used = {alt for need in spec.needs for alt in need.split("|")}
    used |= {c.when for c in spec.columns if c.when not in (None, "bron", "categorie")}
    used |= set(_INPUTS.get(spec.name, ()))
    if spec.kind != "afgeleid":
        used.add(spec.name)
    if {c.name for c in catalogue.FIGURE_COLUMNS} & {c.name for c in spec.columns}:
        used.add("kerncijfers")
    if frame is None:
        return tuple(dict.fromkeys(_SAMPLE_NAMES.get(s, s) for s in sorted(used & sample)))
    marked = [
        col
        for col in _SAMPLE_MARKS
        if col in frame.columns
        and frame[col].map(lambda v: isinstance(v, str) and "voorbeelddata" in v).any()
    ]
    if "kerncijfers_bron" in frame.columns and "kerncijfers_bron" not in marked:
        used.discard("kerncijfers")  # this layer's figures are all real (wijken: their own)
    names = [_SAMPLE_NAMES.get(s, s) for s in sorted(used & sample)]
    if (
        "invoer_voorbeelddata" in frame.columns
        and frame["invoer_voorbeelddata"].fillna(False).any()
    ):
        marked.append("invoer_bron")
    if marked and not names:
        names = [f"zie de kolom {', '.join(dict.fromkeys(marked))}"]
    return tuple(dict.fromkeys(names))


def sample_marks(path: Path | str) -> dict[str, tuple[str, ...]]:
    """:func:`sample_sources` of every declared layer in the file, reading only the columns
    that mark sample data (no geometry): quick enough for a page to list the layers."""
    path = Path(path)
    report = read_report(path)
    out: dict[str, tuple[str, ...]] = {}
    for name, _ in pyogrio.list_layers(path):
        spec = catalogue.LAYERS.get(str(name))
        if spec is None:
            continue
        fields = set(pyogrio.read_info(path, layer=spec.name)["fields"])
        marks = [c for c in (*_SAMPLE_MARKS, "invoer_voorbeelddata") if c in fields]
        frame = (
            pd.DataFrame(
                pyogrio.read_dataframe(path, layer=spec.name, columns=marks, read_geometry=False)
            )
            if marks
            else pd.DataFrame()
        )
        out[spec.name] = sample_sources(spec, report, frame)
    return out


def _licences(name: str, report: BuildReport) -> tuple[tuple[str, str], ...]:
    """(attribution, licence) of the real CBS sources of a layer in this build."""
    real = {s.name for s in report.sources if s.kind == REAL}
    return tuple((_ATTRIBUTION[s], LICENCE_CC_BY) for s in _CBS_SOURCES.get(name, ()) if s in real)


def _bbox_crs84(frame: pd.DataFrame) -> tuple[float, float, float, float]:
    from pyproj import Transformer

    minx, miny, maxx, maxy = frame.total_bounds
    if any(math.isnan(v) for v in (minx, miny, maxx, maxy)):
        return (-180.0, -90.0, 180.0, 90.0)
    t = Transformer.from_crs(frame.crs, "OGC:CRS84", always_xy=True)
    box = t.transform_bounds(minx, miny, maxx, maxy, densify_pts=21)
    return (round(box[0], 7), round(box[1], 7), round(box[2], 7), round(box[3], 7))


def served_layers(path: Path | str) -> tuple[list[ServedLayer], list[str]]:
    """The layers the OGC API serves from ``path``, and why any other layer with geometry is not.

    A layer that should hold suppressed counts but holds one from 1 to the threshold − 1 is
    left out (with the reason), never served.
    """
    path = Path(path)
    present = set(layer_names(path))
    report = read_report(path)
    kinds = _kinds(report)
    served: list[ServedLayer] = []
    left_out: list[str] = []
    for spec in catalogue.DECLARED:
        if spec.geometry is None or spec.name not in present:
            continue
        frame = read_layer(path, spec.name)
        counts: tuple[str, ...] = ()
        if spec.suppressed:
            cols = [c.name for c in count_columns(spec.name, _categories(path, spec.name))]
            problems = privacy_problems(frame, cols, report.threshold)
            if problems:
                left_out.append(
                    f"laag {spec.name} niet gepubliceerd: kleine aantallen niet afgeschermd "
                    f"({'; '.join(problems)}); bouw opnieuw met 'wijkplan build'"
                )
                continue
            counts = tuple(c for c in cols if c in frame.columns)
        served.append(
            ServedLayer(
                spec=spec,
                kind=catalogue.layer_kind(spec, kinds),
                sample=sample_sources(spec, report, frame),
                licences=_licences(spec.name, report),
                bbox=_bbox_crs84(frame),
                counts=counts,
            )
        )
    return served, left_out
