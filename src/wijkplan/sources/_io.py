"""Reading vector sources and finding them in a data directory."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio
import pyogrio.errors

from wijkplan.errors import SourceNotFoundError, ValidationError
from wijkplan.settings import VECTOR_SUFFIXES


def find_source(
    data_dir: Path, stem: str, suffixes: tuple[str, ...] = VECTOR_SUFFIXES
) -> Path | None:
    """The file ``data_dir/stem.<suffix>`` for the first suffix that exists, else None.

    More than one candidate (``buurten.geojson`` and ``buurten.gpkg``) is ambiguous
    and refused, so that a build never silently picks the wrong one.
    """
    found = [data_dir / f"{stem}{s}" for s in suffixes if (data_dir / f"{stem}{s}").is_file()]
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise ValidationError(
            [f"{data_dir}: meer dan één bron voor '{stem}' ({names}); laat er één staan"]
        )
    return found[0] if found else None


def read_vector(
    path: Path | str, *, layer: str | None = None, where: str | None = None
) -> gpd.GeoDataFrame:
    """Read any OGR vector file with pyogrio; errors become one-line WijkplanErrors.

    ``where`` is an OGR SQL filter applied while reading (a national file read for one
    municipality).
    """
    path = Path(path)
    if not path.exists():
        raise SourceNotFoundError(f"{path}: bestand bestaat niet")
    try:
        gdf = gpd.read_file(path, layer=layer, engine="pyogrio", where=where)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ValidationError([f"{path}: geen leesbaar vectorbestand ({first})"]) from exc
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.name not in gdf.columns:
        raise ValidationError([f"{path}: bevat geen geometriekolom"])
    return gdf


def restore_truncated(frame: gpd.GeoDataFrame, expected: tuple[str, ...]) -> gpd.GeoDataFrame:
    """Undo the Shapefile 10-character truncation of column names (``gemeenteco`` → ``gemeentecode``).

    >>> import geopandas as gpd
    >>> list(restore_truncated(gpd.GeoDataFrame({"gemeenteco": [1]}), ("gemeentecode",)).columns)
    ['gemeentecode']
    """
    renames = {
        name[:10]: name
        for name in expected
        if len(name) > 10 and name not in frame.columns and name[:10] in frame.columns
    }
    return frame.rename(columns=renames)
