"""Reading vector sources and finding them in a data directory."""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pyogrio
import pyogrio.errors

from wijkplan.errors import SourceNotFoundError, ValidationError
from wijkplan.settings import VECTOR_SUFFIXES
from wijkplan.sources.validate import TextEncodingWarning


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


#: Encodings tried after UTF-8 for a file's text, in order (latin-1 decodes any byte).
FALLBACK_ENCODINGS = ("cp1252", "latin-1")


def read_vector(
    path: Path | str, *, layer: str | None = None, where: str | None = None
) -> gpd.GeoDataFrame:
    """Read any OGR vector file with pyogrio; errors become one-line WijkplanErrors.

    ``where`` is an OGR SQL filter applied while reading (a national file read for one
    municipality). Text that is not UTF-8 is read as Windows-1252 (else Latin-1) with
    an :class:`TextEncodingWarning`.
    """
    path = Path(path)
    if not path.exists():
        raise SourceNotFoundError(f"{path}: bestand bestaat niet")
    if path.is_file() and path.stat().st_size == 0:
        raise ValidationError([f"{path}: het bestand is leeg"])
    gdf = None
    for encoding in (None, *FALLBACK_ENCODINGS):
        try:
            with warnings.catch_warnings():
                # NaN coordinates: to_rd reports them as one line per row
                warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
                gdf = gpd.read_file(
                    path, layer=layer, engine="pyogrio", where=where, encoding=encoding
                )
        except UnicodeDecodeError as exc:
            if encoding == FALLBACK_ENCODINGS[-1]:  # pragma: no cover - latin-1 decodes anything
                raise ValidationError(
                    [f"{path}: tekst is geen UTF-8 ({exc.reason} bij byte {exc.start})"]
                ) from exc
            continue
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ValidationError([f"{path}: geen leesbaar vectorbestand ({first})"]) from exc
        if encoding is not None:
            warnings.warn(
                f"{path}: tekst is geen UTF-8; gelezen als {encoding}",
                TextEncodingWarning,
                stacklevel=2,
            )
        break
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
