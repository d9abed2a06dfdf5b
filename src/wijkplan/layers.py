"""Reading the built GeoPackage: the one place that knows its layout."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pyogrio.errors

from wijkplan.build import REPORT_TABLE, BuildReport
from wijkplan.errors import LayersNotBuiltError, ValidationError


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
        raise ValidationError(
            [
                f"{path}: geen leesbare GeoPackage ({str(exc).strip().splitlines()[0]}); bouw opnieuw met 'wijkplan build'"
            ]
        ) from exc


def read_layer(path: Path | str, name: str) -> gpd.GeoDataFrame | pd.DataFrame:
    """One layer as a (Geo)DataFrame; a table without geometry as a DataFrame."""
    path = _require(path)
    if name not in layer_names(path):
        raise LayersNotBuiltError(
            f"{path}: laag '{name}' ontbreekt; bouw de lagen opnieuw met 'wijkplan build'"
        )
    return pyogrio.read_dataframe(path, layer=name)


def read_optional(path: Path | str, name: str) -> gpd.GeoDataFrame | pd.DataFrame | None:
    """A layer if the build produced it (its source was present), else None."""
    return read_layer(path, name) if name in layer_names(path) else None


def read_report(path: Path | str) -> BuildReport:
    """The build report stored in the GeoPackage."""
    table = read_layer(path, REPORT_TABLE)
    return BuildReport.from_json(str(table["report"].iloc[0]))
