"""Choosing the layers of an export and the features of one area, decided by the catalogue.

How an area applies to a layer follows from the layer's key (see :data:`RULES` for the
wording that ends up in ``notes``, ``metadata.json`` and ``LEESMIJ.txt``):

- keyed by ``buurtcode``: the rows of the area's buurten;
- keyed by ``wijkcode`` / ``gemeentecode``: the wijk(en) / gemeente the area lies in;
- keyed by ``regie_id`` / ``gebied_id``: the regie or heat areas that share a buurt with it;
- keyed by ``complex_id``: the complex itself (a complex asked for), else the complexes in
  the area's buurten (by their ``buurtcode``);
- keyed by ``niveau`` + ``code`` (``leefbaarheid_trend``): the rows of the buurten, wijken,
  regie and heat areas above;
- ``afspraken`` and ``afspraak_gebieden``: the agreements that apply to the area, as in its
  dossier (direct, through its wijk, a regie or heat area, a complex, or municipality-wide);
- other layers with geometry (``aquathermie``): the features whose geometry shares more
  than a boundary with the area's buurten;
- ``aquathermie_raming``: whole, when the area touches the aquathermal project, else left out;
- other tables without an area (``leefbaarheid_referentie``, ``afspraken_register``,
  ``catalogus``): whole.

Features are selected whole, never clipped (an attribute such as a heat demand or a count
belongs to the whole feature), and nothing is ever summed: counts that the build
suppressed stay suppressed because rows are only selected.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from wijkplan import catalogue, read
from wijkplan.afspraken.model import Ledger
from wijkplan.analysis.privacy import assert_no_small_counts
from wijkplan.areas import Area, Areas, DistrictRef
from wijkplan.config import load_config
from wijkplan.errors import ValidationError
from wijkplan.export.model import ExportSet

__all__ = [
    "RULES",
    "default_layers",
    "finite",
    "select_layers",
    "suppressed_count_columns",
    "typed",
]

#: How an area applies to a layer, by rule (Dutch: these are the notes users read).
RULES = {
    "geen": "hele {laag}: geen gebied",
    "buurtcode": "geselecteerd op buurtcode: de buurten van het gebied",
    "wijkcode": "geselecteerd op wijkcode: de hele wijk(en) waarin het gebied ligt, niet geknipt",
    "gemeentecode": "geselecteerd op gemeentecode: de hele gemeente waarin het gebied ligt",
    "regie_id": (
        "geselecteerd op buurtcode: de regiegebieden die een buurt met het gebied delen "
        "(hele gebieden, niet geknipt)"
    ),
    "gebied_id": (
        "geselecteerd op buurtcode: de warmtegebieden die een buurt met het gebied delen "
        "(hele gebieden, niet geknipt)"
    ),
    "complex": "geselecteerd op complex_id: het complex zelf",
    "complexen": "geselecteerd op buurtcode: de complexen in de buurten van het gebied",
    "niveau": (
        "geselecteerd op niveau en code: de buurten van het gebied en de wijken, regie- en "
        "warmtegebieden waarin die liggen"
    ),
    "afspraken": (
        "geselecteerd: de afspraken die voor het gebied gelden (direct, via wijk, regie- of "
        "warmtegebied, complex of gemeentebreed), zoals in het dossier"
    ),
    "afspraak_gebieden": "geselecteerd: alle koppelingen van de afspraken die voor het gebied gelden",
    "ligging": (
        "geselecteerd op ligging: objecten die het gebied snijden (meer dan een gedeelde grens); "
        "hele objecten, niet geknipt"
    ),
    "raming": "hele tabel: de raming van het aquathermieproject, dat het gebied raakt",
    "raming_weg": "weggelaten: het gebied raakt het aquathermieproject niet",
    "heel": "hele tabel: geldt niet voor één gebied",
    "leeg": "weggelaten: de laag heeft geen objecten",
    "leeg_gebied": "weggelaten: geen objecten in het gebied",
}
#: Layers whose rows are keyed by these columns are selected by them.
_AREA_KEYS = ("buurtcode", "wijkcode", "gemeentecode", "regie_id", "gebied_id")


def default_layers(available: Sequence[str]) -> list[str]:
    """The layers exported when none are named: every declared data layer in the file
    (not the build's own tables ``catalogus`` and ``build_report``), in catalogue order."""
    present = set(available)
    return [
        name for name, spec in catalogue.LAYERS.items() if name in present and spec.theme != "bouw"
    ]


def select_layers(
    layers_path: Path | str, names: Sequence[str] | None = None, gebied: str | None = None
) -> ExportSet:
    """Read the chosen layers (default: all data layers) of a built GeoPackage, for one area
    (``gebied``, any code :class:`~wijkplan.areas.Areas` knows) or all.

    Unknown or absent layers are refused together in one, an unknown area in one
    :class:`~wijkplan.errors.ValidationError`, before anything is written; a missing file is a
    :class:`~wijkplan.errors.LayersNotBuiltError`.
    """
    path = Path(layers_path)
    available = read.layer_names(path)  # LayersNotBuiltError / ValidationError
    chosen = _chosen(path, available, names)
    report = read.read_report(path)
    categories = load_config().categories
    loaded: dict[str, pd.DataFrame] = {}
    remarks: dict[str, list[str]] = {}

    def load(name: str) -> pd.DataFrame:
        if name not in loaded:
            loaded[name] = typed(name, read.read_layer(path, name), categories)
        return loaded[name]

    area: Area | None = None
    notes: dict[str, str] = {}
    if gebied is None:
        frames = {name: load(name) for name in chosen}
        for name in frames:
            what = "laag" if catalogue.layer(name).geometry else "tabel"
            notes[name] = RULES["geen"].format(laag=what)
    else:
        context = _AreaContext.of(path, available, load)
        area = context.areas.resolve(gebied)  # ValidationError: one line, before the rest is read
        frames, notes = context.apply(area, {name: load(name) for name in chosen})
    for name in list(frames):
        frames[name], infinite = finite(frames[name])  # of what is exported, after the area
        if infinite:
            remarks[name] = [
                f"{infinite} oneindige waarde(n) leeg gelaten (een deling door 0 in de bron); "
                "geen van de exportformaten kan ze bevatten"
            ]
        if not len(frames[name]):
            del frames[name]
            notes[name] = RULES["leeg" if gebied is None else "leeg_gebied"]
    export_set = ExportSet(frames, report, path, area, notes, remarks)
    check_privacy(export_set)
    return export_set


def _chosen(path: Path, available: Sequence[str], names: Sequence[str] | None) -> list[str]:
    if not names:
        return default_layers(available)
    problems = []
    for name in dict.fromkeys(names):
        if name not in catalogue.LAYERS or catalogue.layer(name).theme == "bouw":
            choices = ", ".join(default_layers(available))
            problems.append(f"laag {name!r} bestaat niet; kies uit: {choices}")
        elif name not in available:
            problems.append(
                f"laag {name!r} zit niet in {path} (de bron ervan ontbrak bij het bouwen)"
            )
    if problems:
        raise ValidationError(problems)
    order = list(catalogue.LAYERS)
    return sorted(dict.fromkeys(names), key=order.index)


# ---------------------------------------------------------------------------- types


def typed(name: str, frame: pd.DataFrame, categories: Sequence[str]) -> pd.DataFrame:
    """``frame`` with the column types the catalogue declares where the reader lost them.

    A GeoPackage column of yes/no or whole numbers with empty cells reads back as floats;
    written as such, every format would turn it into a real number.
    """
    declared = {c.name: c.type for c in catalogue.expand(catalogue.layer(name), categories)}
    out = frame.copy()
    for col, kind in declared.items():
        if col not in out.columns:
            continue
        series = out[col]
        if kind == "ja/nee" and not pd.api.types.is_bool_dtype(series.dtype):
            out[col] = series.map(lambda v: None if pd.isna(v) else bool(v)).astype("boolean")
        elif kind == "geheel getal" and pd.api.types.is_float_dtype(series.dtype):
            values = series.dropna()
            if (values == values.round()).all():
                out[col] = series.astype("Int64")
        elif kind in ("tekst", "json") and series.isna().all():
            out[col] = series.astype(object)
    return out


def finite(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """``frame`` with infinite numbers as empty cells, and how many there were.

    >>> finite(pd.DataFrame({"x": [1.0, float("inf")]}))[1]
    1
    """
    out, count = frame, 0
    for col in frame.columns:
        series = frame[col]
        if not pd.api.types.is_float_dtype(series.dtype):
            continue
        infinite = series.isin([np.inf, -np.inf])
        if infinite.any():
            if out is frame:
                out = frame.copy()
            out[col] = series.mask(infinite)
            count += int(infinite.sum())
    return out, count


# ---------------------------------------------------------------------------- privacy


def suppressed_count_columns(name: str, columns: Sequence[str]) -> list[str]:
    """The columns of ``columns`` that hold counts the build suppresses below the threshold.

    These are the whole-number columns of a layer marked ``suppressed`` whose meaning says
    they are suppressed (``afgeschermd``): incident counts per category and in total, and
    the registered-crime counts.
    """
    spec = catalogue.layer(name)
    if not spec.suppressed:
        return []
    counted = {
        c.name
        for c in catalogue.expand(spec, catalogue.categories_in(spec, columns))
        if c.type == "geheel getal" and "afgeschermd" in c.meaning
    }
    return [c for c in columns if c in counted]


def check_privacy(export_set: ExportSet) -> None:
    """The last guard before anything is written: no incident record, no date, no small count.

    Only declared layers can be in an export (the catalogue has no incident point layer); a
    column ``datum`` would place a single incident in time; a count from 1 to threshold−1
    in a suppressed column would undo the build's suppression. Any of these is a bug, raised
    as :class:`~wijkplan.analysis.privacy.SmallCountError` or :class:`RuntimeError`.
    """
    for name, frame in export_set.layers.items():
        if name not in catalogue.LAYERS:
            raise RuntimeError(f"laag {name!r} staat niet in de catalogus en wordt niet uitgevoerd")
        if "datum" in frame.columns:
            raise RuntimeError(f"laag {name!r} heeft een kolom 'datum': geen losse incidenten")
        columns = suppressed_count_columns(name, list(frame.columns))
        if columns:
            assert_no_small_counts(frame, threshold=export_set.report.threshold, columns=columns)


# ---------------------------------------------------------------------------- areas


class _AreaContext:
    """The areas of one built GeoPackage and what a layer needs to be cut to one area."""

    def __init__(
        self,
        areas: Areas,
        buurten: gpd.GeoDataFrame,
        ledger: Ledger | None,
        project: gpd.GeoDataFrame | None,
    ) -> None:
        self.areas = areas
        self.buurten = buurten
        self.ledger = ledger
        #: the aquathermal project's features (whose estimate goes with them)
        self.project = project

    @classmethod
    def of(
        cls, path: Path, available: Sequence[str], load: Callable[[str], pd.DataFrame]
    ) -> _AreaContext:
        def layer(name: str) -> pd.DataFrame | None:
            return load(name) if name in available else None

        buurten = load("buurten")  # the build always writes it; else read_layer says to rebuild
        warmte = layer("warmtegebieden")
        ledger = read.read_ledger(path)
        areas = Areas.of(
            buurten,
            layer("wijken"),
            layer("complexen"),
            ledger,
            warmtegebieden=None if warmte is None else _districts(warmte),
        )
        project = layer("aquathermie")
        return cls(
            areas,
            gpd.GeoDataFrame(buurten),
            ledger,
            None if project is None else gpd.GeoDataFrame(project),
        )

    def apply(
        self, area: Area, frames: dict[str, pd.DataFrame]
    ) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
        """The frames of ``area`` and, per layer, how they were chosen."""
        buurten = set(area.buurtcodes)
        groups = self.areas.overlapping(buurten)
        wijken = {w for b in buurten if (w := self.areas.wijk_of(b))}
        gemeenten = {g for b in buurten if (g := self.areas.gemeente_of(b))}
        keys = {
            "buurtcode": buurten,
            "wijkcode": wijken,
            "gemeentecode": gemeenten,
            "regie_id": {a.code for a in groups if a.kind == "regiegebied"},
            "gebied_id": {a.code for a in groups if a.kind == "warmtegebied"},
        }
        levels = (
            {("buurt", b) for b in buurten}
            | {("wijk", w) for w in wijken}
            | {(a.kind, a.code) for a in groups}
        )
        agreements = self._agreements(area)

        out: dict[str, pd.DataFrame] = {}
        notes: dict[str, str] = {}
        deferred = []
        for name, frame in frames.items():
            spec = catalogue.layer(name)
            key = (spec.key,) if isinstance(spec.key, str) else tuple(spec.key or ())
            if key and key[0] == "complex_id":
                if area.kind == "complex":
                    out[name] = frame[frame["complex_id"].astype(str) == area.code]
                    notes[name] = RULES["complex"]
                else:
                    out[name] = frame[frame["buurtcode"].isin(buurten)]
                    notes[name] = RULES["complexen"]
            elif key and key[0] in _AREA_KEYS and key[0] in frame.columns:
                out[name] = frame[frame[key[0]].astype(str).isin(keys[key[0]])]
                notes[name] = RULES[key[0]]
            elif key[:2] == ("niveau", "code"):
                pairs = pd.Series(list(zip(frame["niveau"], frame["code"], strict=True)))
                out[name] = frame[pairs.isin(levels).to_numpy()]
                notes[name] = RULES["niveau"]
            elif name in ("afspraken", "afspraak_gebieden"):
                out[name] = frame[frame["afspraak_id"].isin(agreements)]
                notes[name] = RULES[name]
            elif name == "aquathermie_raming":
                deferred.append(name)
            elif spec.geometry is not None:
                out[name] = self._crossing(area, gpd.GeoDataFrame(frame))
                notes[name] = RULES["ligging"]
            else:
                out[name] = frame
                notes[name] = RULES["heel"]
        for name in deferred:  # the estimate goes with the project
            project = None if self.project is None else self._crossing(area, self.project)
            if project is not None and len(project):
                out[name] = frames[name]
                notes[name] = RULES["raming"]
            else:
                notes[name] = RULES["raming_weg"]
        return {name: frame.reset_index(drop=True) for name, frame in out.items()}, notes

    def _agreements(self, area: Area) -> set[str]:
        if self.ledger is None:
            return set()
        from wijkplan.afspraken.linking import applicable_afspraken

        found = applicable_afspraken(self.ledger, self.areas, area.code)
        return set(found["afspraak_id"])

    def _shape(self, area: Area) -> shapely.Geometry:
        inside = self.buurten[self.buurten["buurtcode"].isin(area.buurtcodes)]
        return shapely.union_all(inside.geometry.to_numpy())

    def _crossing(self, area: Area, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        shape = self._shape(area)
        geoms = frame.geometry.to_numpy()
        hit = shapely.intersects(geoms, shape) & ~shapely.touches(geoms, shape)
        return frame[hit]


def _districts(frame: pd.DataFrame) -> list[DistrictRef]:
    """The heat areas as the build defined them (buurten, or wijken where not published)."""

    def split(text: object) -> tuple[str, ...]:
        if not isinstance(text, str):
            return ()
        return tuple(x.strip() for x in text.split(";") if x.strip())

    return [
        DistrictRef(str(r.gebied_id), str(r.naam), split(r.buurtcodes), split(r.wijkcodes))
        for r in frame.itertuples()
    ]
