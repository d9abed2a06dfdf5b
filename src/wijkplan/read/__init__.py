"""Reading the built GeoPackage, through the catalogue.

This is the reading side of wijkplan: the dossier, the app, the CLI and the
exports read what the build wrote through these functions. It imports nothing
from :mod:`wijkplan.build`, nor rasterio, the zonal engine or the ledger
validator: reading a layer never loads the pipeline (a test checks this).

:class:`BuiltLayers` loads what a dossier or a map page needs once (the app
caches one instance per GeoPackage version): boundaries, complexes, the areas of
the ledger, the liveability tables, the report and the ledger snapshot.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pyogrio.errors

from wijkplan import catalogue
from wijkplan.afspraken.model import Ledger, ledger_from_json
from wijkplan.areas import Areas, DistrictRef
from wijkplan.errors import LayersNotBuiltError, ValidationError
from wijkplan.report import BuildReport

__all__ = [
    "BuiltLayers",
    "layer_names",
    "read_layer",
    "read_ledger",
    "read_optional",
    "read_report",
]

#: The tables of the liveability theme a dossier reads (without geometry).
LIVEABILITY_TABLES = tuple(
    name for name, spec in catalogue.LAYERS.items() if spec.theme == "leefbaarheid"
)


def _require(path: Path | str) -> Path:
    path = Path(path)
    if not path.is_file():
        raise LayersNotBuiltError(
            f"{path}: de lagen zijn nog niet gebouwd; draai eerst 'wijkplan build' (of 'make app')"
        )
    return path


def layer_names(path: Path | str) -> list[str]:
    """Names of the layers and tables in the GeoPackage."""
    path = _require(path)
    try:
        return [str(name) for name, _ in pyogrio.list_layers(path)]
    except pyogrio.errors.DataSourceError as exc:
        first = str(exc).strip().splitlines()[0]
        raise ValidationError(
            [f"{path}: geen leesbare GeoPackage ({first}); bouw opnieuw met 'wijkplan build'"]
        ) from exc


def read_layer(path: Path | str, name: str) -> gpd.GeoDataFrame | pd.DataFrame:
    """One declared layer as a (Geo)DataFrame; a table without geometry as a DataFrame."""
    catalogue.layer(name)  # an undeclared name is a bug, not a missing layer
    path = _require(path)
    if name not in layer_names(path):
        raise LayersNotBuiltError(
            f"{path}: laag '{name}' ontbreekt; bouw de lagen opnieuw met 'wijkplan build'"
        )
    frame = pyogrio.read_dataframe(path, layer=name)
    return frame if catalogue.layer(name).geometry else pd.DataFrame(frame)


def read_optional(path: Path | str, name: str) -> gpd.GeoDataFrame | pd.DataFrame | None:
    """A layer if the build produced it (its source was present), else None."""
    return read_layer(path, name) if name in layer_names(path) else None


def read_report(path: Path | str) -> BuildReport:
    """The build report stored in the GeoPackage."""
    table = read_layer(path, catalogue.REPORT_TABLE)
    return BuildReport.from_json(str(table["report"].iloc[0]))


def read_ledger(path: Path | str) -> Ledger | None:
    """The agreement ledger the build validated (None when the build had none)."""
    table = read_optional(path, catalogue.LEDGER_TABLE)
    if table is None or not len(table):
        return None
    return ledger_from_json(str(table["register"].iloc[0]))


def _districts(frame: pd.DataFrame | None) -> list[DistrictRef] | None:
    """The heat areas as the build defined them (buurten, or wijken where not published)."""
    if frame is None:
        return None

    def split(text: object) -> tuple[str, ...]:
        return (
            tuple(x.strip() for x in str(text).split(";") if x.strip())
            if isinstance(text, str)
            else ()
        )

    return [
        DistrictRef(str(r.gebied_id), str(r.naam), split(r.buurtcodes), split(r.wijkcodes))
        for r in frame.itertuples()
    ]


class BuiltLayers:
    """What the dossier and the map read from one GeoPackage, loaded once."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        names = set(layer_names(path))

        def optional(name: str) -> pd.DataFrame | None:
            return read_layer(path, name) if name in names else None

        self.buurten: gpd.GeoDataFrame = read_layer(path, "buurten")
        self.wijken: gpd.GeoDataFrame = read_layer(path, "wijken")
        self.complexen: gpd.GeoDataFrame | None = optional("complexen")
        self.regiegebieden: gpd.GeoDataFrame | None = optional("regiegebieden")
        self.warmtegebieden: gpd.GeoDataFrame | None = optional("warmtegebieden")
        #: the heat plan per buurt, the aquathermal project and its estimate (theme "warmte")
        self.warmteplan: gpd.GeoDataFrame | None = optional("warmteplan")
        self.aquathermie: gpd.GeoDataFrame | None = optional("aquathermie")
        self.aquathermie_raming: pd.DataFrame | None = optional("aquathermie_raming")
        self.report = read_report(path)
        self.ledger = read_ledger(path)
        self.areas = Areas.of(
            self.buurten,
            self.wijken,
            self.complexen,
            self.ledger,
            warmtegebieden=_districts(self.warmtegebieden),
        )
        #: liveability and incident tables, without geometry, by layer name
        self.tables: dict[str, pd.DataFrame] = {}
        for name in LIVEABILITY_TABLES:
            frame = optional(name)
            if frame is not None:
                self.tables[name] = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))

    @property
    def sample_sources(self) -> set[str]:
        return self.report.sample_sources()
