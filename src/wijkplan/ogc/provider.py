"""A pygeoapi feature provider over one layer of the built GeoPackage.

pygeoapi's own GeoPackage providers do not fit this project: ``OGR`` needs GDAL's Python
bindings (``osgeo``, not installable from PyPI without compiling against the system GDAL) and
``SQLiteGPKG`` needs SpatiaLite (``mod_spatialite``, a system library) and filters a bbox in
whatever CRS it is handed. This provider reads the layer with pyogrio (already a dependency),
so the API runs wherever the app runs, and it reads it *through the catalogue*:

- properties are typed as declared (whole numbers stay whole, yes/no is a boolean);
- the feature id is the layer's key (``buurtcode``, ``complex_id``, ...);
- a layer with suppressed counts is checked on every (re)load: a count from 1 to the
  threshold − 1 makes the provider refuse to serve the layer at all.

Supported: ``bbox`` (exact: the requested rectangle is reprojected with densified edges, see
:data:`REQUESTED_BBOX`), ``limit``/``offset``, ``resulttype=hits``, property filters,
``properties``, ``skipGeometry``, ``sortby``, ``q`` (text search), CQL ``filter``
(``filter-lang`` ``cql-text`` or ``cql-json``: pygeoapi 0.21 knows no ``cql2-text``; a filter
that does not fit the data is a 400) and ``crs`` (the axis order of the asked CRS, as pygeoapi's own ``crs_transform`` does, but vectorised with
``shapely.transform``). The storage CRS is EPSG:28992.
"""

from __future__ import annotations

import math
import threading
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pygeoapi.provider.base import (
    BaseProvider,
    ProviderConnectionError,
    ProviderInvalidQueryError,
    ProviderItemNotFoundError,
)
from pygeoapi.util import get_crs_from_uri
from pyproj import CRS as pyproj_crs
from pyproj import Transformer
from shapely.geometry import box, mapping, shape

from wijkplan import catalogue
from wijkplan.catalogue import ColumnType
from wijkplan.ogc.layers import privacy_problems

__all__ = ["REQUESTED_BBOX", "GeoPackageProvider"]

#: The ``bbox`` and ``bbox-crs`` of the request being answered, set by the server: pygeoapi
#: hands the provider a bbox reprojected by its two corners only, which for RD New is off by
#: tens of metres at the edges; with this, the provider filters on the exact rectangle.
REQUESTED_BBOX: ContextVar[tuple[tuple[float, ...], str] | None] = ContextVar(
    "wijkplan_requested_bbox", default=None
)
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

_JSON_TYPES: dict[ColumnType, str] = {
    "tekst": "string",
    "json": "string",
    "geheel getal": "integer",
    "getal": "number",
    "ja/nee": "boolean",
}

_lock = threading.Lock()
#: (path, layer) -> (mtime, frame): a layer is read once per version of the file
_frames: dict[tuple[str, str], tuple[float, gpd.GeoDataFrame]] = {}


def _load(path: str, layer: str, counts: tuple[str, ...], threshold: int) -> gpd.GeoDataFrame:
    mtime = Path(path).stat().st_mtime
    with _lock:
        cached = _frames.get((path, layer))
        if cached is not None and cached[0] == mtime:
            return cached[1]
        frame = pyogrio.read_dataframe(path, layer=layer, fid_as_index=True)
        problems = privacy_problems(frame, counts, threshold)
        if problems:
            raise ProviderConnectionError(
                f"laag {layer} wordt niet gepubliceerd: kleine aantallen niet afgeschermd"
            )
        _frames[(path, layer)] = (mtime, frame)
        return frame


def _value(value: Any, kind: ColumnType | None) -> Any:
    """A cell as a JSON value of the declared type (missing, or not a finite number: None).

    JSON has no NaN or Infinity (QGIS refuses a document holding them), so a rate divided by
    zero inhabitants is served empty.
    """
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if kind == "geheel getal" and isinstance(value, float) and value.is_integer():
        return int(value)
    if kind == "ja/nee":
        return bool(value)
    return value


def _reproject(result: dict[str, Any], spec: Any) -> dict[str, Any]:
    """Features (a Feature or a FeatureCollection) into the CRS a request asked for.

    ``spec`` is pygeoapi's ``CrsTransformSpec`` (None: no transformation); the target CRS's
    own axis order is kept (EPSG:4326 is latitude, longitude; CRS84 longitude, latitude).
    """
    if spec is None:
        return result
    t = Transformer.from_crs(
        pyproj_crs(spec.source_crs_wkt), pyproj_crs(spec.target_crs_wkt), always_xy=False
    )

    def move(a: np.ndarray) -> np.ndarray:
        return np.column_stack(t.transform(a[:, 0], a[:, 1]))

    for feature in result.get("features", [result]):
        if feature.get("geometry"):
            feature["geometry"] = mapping(shapely.transform(shape(feature["geometry"]), move))
    return result


class GeoPackageProvider(BaseProvider):
    """One declared layer of the built GeoPackage as an OGC API – Features collection.

    The provider definition names the file (``data``), the layer (``layer``), the suppressed
    count columns to check (``counts``) and the threshold (``threshold``).
    """

    def __init__(self, provider_def: dict[str, Any]) -> None:
        super().__init__(provider_def)
        self.layer = str(provider_def["layer"])
        self.spec = catalogue.layer(self.layer)
        self.counts = tuple(provider_def.get("counts", ()))
        self.threshold = int(provider_def.get("threshold", 5))
        self.storage_crs = provider_def.get("storage_crs", CRS84)
        try:
            info = pyogrio.read_info(self.data, layer=self.layer)
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise ProviderConnectionError(f"laag {self.layer} is niet te lezen") from exc
        self._types: dict[str, ColumnType | None] = {}
        for name, dtype in zip(info["fields"], info["dtypes"], strict=True):
            column = catalogue.column(self.spec, str(name))
            self._types[str(name)] = column.type if column is not None else None
            field: dict[str, Any] = {
                "type": _JSON_TYPES[column.type]
                if column is not None
                else ("number" if str(dtype).startswith(("int", "float")) else "string")
            }
            if column is not None:
                field["title"] = column.meaning
                if column.unit:
                    field["description"] = f"eenheid: {column.unit}"
            self._fields[str(name)] = field
        if self.spec.suppressed:  # every suppressed count in the file, not only those configured
            self.counts += tuple(
                name
                for name in self._types
                if name not in self.counts
                and (column := catalogue.column(self.spec, name)) is not None
                and column.type == "geheel getal"
                and "afgeschermd" in column.meaning.lower()
            )

    def get_fields(self) -> dict[str, Any]:
        return self._fields

    # ------------------------------------------------------------------ reading

    def _frame(self) -> gpd.GeoDataFrame:
        try:
            return _load(str(self.data), self.layer, self.counts, self.threshold)
        except (OSError, pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise ProviderConnectionError(f"laag {self.layer} is niet te lezen") from exc

    def _id(self, fid: Any, row: pd.Series) -> str | int:
        if self.id_field and self.id_field in row.index:
            return _value(row[self.id_field], self._types.get(self.id_field))
        return int(fid)

    def _feature(
        self, fid: Any, row: pd.Series, *, select: list[str], skip_geometry: bool
    ) -> dict[str, Any]:
        names = select or [c for c in row.index if c != "geometry"]
        geometry = row.get("geometry")
        return {
            "type": "Feature",
            "id": self._id(fid, row),
            "geometry": None
            if skip_geometry or geometry is None or geometry.is_empty
            else mapping(geometry),
            "properties": {n: _value(row[n], self._types.get(n)) for n in names},
        }

    def _bbox_area(self, bbox: list[float]) -> shapely.Geometry:
        """The bbox as an area in the storage CRS: exact when the request's own bbox is known.

        The rectangle is drawn in the request's CRS (in that CRS's axis order, as OGC API –
        Features Part 2 says), its edges densified and then reprojected, so a feature just
        inside a corner of a CRS84 bbox is found and one just outside is not.
        """
        requested = REQUESTED_BBOX.get()
        if requested is None:
            flat = [bbox[0], bbox[1], bbox[3], bbox[4]] if len(bbox) == 6 else bbox
            return box(*flat)
        coords, crs_uri = requested
        flat = [coords[0], coords[1], coords[3], coords[4]] if len(coords) == 6 else list(coords)
        rect = box(*flat)
        step = max(flat[2] - flat[0], flat[3] - flat[1]) / 64
        if step > 0:
            rect = shapely.segmentize(rect, step)
        t = Transformer.from_crs(get_crs_from_uri(crs_uri), get_crs_from_uri(self.storage_crs))
        return shapely.transform(rect, lambda a: np.column_stack(t.transform(a[:, 0], a[:, 1])))

    def _select(
        self,
        frame: gpd.GeoDataFrame,
        *,
        bbox: list[float],
        properties: list[tuple[str, str]],
        q: str | None,
        filterq: Any,
    ) -> gpd.GeoDataFrame:
        if bbox:
            area = self._bbox_area(bbox)
            frame = frame.iloc[np.sort(frame.sindex.query(area, predicate="intersects"))]
        for name, wanted in properties:
            if name not in frame.columns:
                raise ProviderInvalidQueryError(f"onbekende eigenschap {name}")
            frame = frame[self._matches(frame[name], wanted, self._types.get(name))]
        if q:
            words = [w.strip().lower() for w in q.replace(",", " ").split() if w.strip()]
            texts = [
                frame[c].astype("string").fillna("").str.lower()
                for c, kind in self._types.items()
                if kind == "tekst" and c in frame.columns
            ]
            found = pd.Series(False, index=frame.index)
            for text in texts:
                for word in words:
                    found |= text.str.contains(word, regex=False)
            frame = frame[found]
        if filterq is not None:
            from pygeofilter.backends.geopandas.evaluate import to_filter

            try:
                frame = frame[to_filter(frame, filterq)]
            except KeyError as exc:
                raise ProviderInvalidQueryError(f"onbekende eigenschap {exc}") from exc
            except (TypeError, ValueError, NotImplementedError) as exc:
                raise ProviderInvalidQueryError(f"filter niet toe te passen: {exc}") from exc
        return frame

    @staticmethod
    def _matches(series: pd.Series, wanted: str, kind: ColumnType | None) -> pd.Series:
        if kind == "ja/nee":
            return series.fillna(False).astype(bool) == (wanted.lower() in ("true", "1", "ja"))
        if kind in ("geheel getal", "getal"):
            try:
                return pd.to_numeric(series, errors="coerce") == float(wanted)
            except ValueError:
                return pd.Series(False, index=series.index)
        return series.astype(str) == wanted

    # ------------------------------------------------------------------ pygeoapi interface

    def query(
        self,
        offset: int = 0,
        limit: int = 10,
        resulttype: str = "results",
        bbox: list[float] | None = None,
        datetime_: str | None = None,
        properties: list[tuple[str, str]] | None = None,
        sortby: list[dict[str, str]] | None = None,
        select_properties: list[str] | None = None,
        skip_geometry: bool = False,
        q: str | None = None,
        filterq: Any = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        frame = self._select(
            self._frame(), bbox=bbox or [], properties=properties or [], q=q, filterq=filterq
        )
        matched = len(frame)
        result: dict[str, Any] = {
            "type": "FeatureCollection",
            "features": [],
            "numberMatched": matched,
        }
        if resulttype == "hits":
            result["numberReturned"] = 0
            return result
        if sortby:
            by = [s["property"] for s in sortby]
            unknown = [b for b in by if b not in frame.columns]
            if unknown:
                raise ProviderInvalidQueryError(f"onbekende eigenschap {unknown[0]}")
            frame = frame.sort_values(
                by, ascending=[s.get("order", "+") != "-" for s in sortby], kind="stable"
            )
        elif self.id_field in frame.columns:
            frame = frame.sort_values(self.id_field, kind="stable")
        page = frame.iloc[offset : offset + limit]
        select = [p for p in (select_properties or []) if p in frame.columns]
        result["features"] = [
            self._feature(fid, row, select=select, skip_geometry=skip_geometry)
            for fid, row in page.iterrows()
        ]
        result["numberReturned"] = len(result["features"])
        return _reproject(result, kwargs.get("crs_transform_spec"))

    def get(self, identifier: str, **kwargs: Any) -> dict[str, Any]:
        frame = self._frame()
        if self.id_field in frame.columns:
            hit = frame[frame[self.id_field].astype(str) == str(identifier)]
        else:
            try:
                hit = frame.loc[[int(identifier)]]
            except (KeyError, ValueError):
                hit = frame.iloc[0:0]
        if hit.empty:
            raise ProviderItemNotFoundError(f"{identifier} staat niet in {self.layer}")
        fid, row = next(hit.iterrows())
        feature = self._feature(fid, row, select=[], skip_geometry=False)
        return _reproject(feature, kwargs.get("crs_transform_spec"))

    def __repr__(self) -> str:
        return f"<GeoPackageProvider {self.data}:{self.layer}>"
