"""Surface water: a polygon (or line) layer of open water, in the forms it is published.

Accepted sources (real-formats.md §7; the Oude Rijn is the water that matters here):

- ``oppervlaktewater.<suffix>`` (any of :data:`~wijkplan.settings.VECTOR_SUFFIXES`), a
  municipality's own file or our sample (which carries ``bron`` and ``schematisch``);
- the BGT ``waterdeel`` (a GeoPackage layer ``waterdeel``/``bgt_waterdeel``, or the GML
  ``bgt_waterdeel.gml`` with layer ``Waterdeel``): type in ``class``/``bgt-type``/``type``,
  historic versions (``eindRegistratie`` set) and plans (``bgt-status`` ``plan``) left out;
  BGT has no water names;
- TOP10NL (``top10nl_waterdeel_vlak`` / ``waterdeel_vlak``, with the lines of
  ``…waterdeel_lijn`` when the file has them): type in ``typewater``, names in
  ``naamofficieel``/``naamnl``/``naamfries``.

Curved BGT geometries are linearised by the reader. This module only reads.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pyogrio.errors
import shapely
from shapely.geometry import box

from wijkplan.errors import SourceNotFoundError, ValidationError
from wijkplan.problems import Problems
from wijkplan.settings import CRS_RD, SAMPLE_BRON, VECTOR_SUFFIXES
from wijkplan.sources._io import find_source
from wijkplan.sources.validate import RepairWarning, SourceWarning, to_rd

__all__ = ["WATER_LAYERS", "find_water", "load_water"]

#: Polygon layers of water, by folded name, and the publication they come from.
WATER_LAYERS = {
    "waterdeel": "BGT",
    "bgt_waterdeel": "BGT",
    "top10nl_waterdeel_vlak": "TOP10NL",
    "waterdeel_vlak": "TOP10NL",
}
#: Line layers read together with a TOP10NL polygon layer of the same file.
_LINE_LAYERS = ("top10nl_waterdeel_lijn", "waterdeel_lijn")
_NAME_FIELDS = ("naam", "naamofficieel", "naamnl", "naam_nl", "naamfries", "name")
_TYPE_FIELDS = ("watertype", "typewater", "bgt-type", "bgt_type", "class", "type", "functie")
_END_FIELDS = ("eindregistratie", "objecteindtijd")
_STATUS_FIELDS = ("bgt-status", "bgt_status")
_KINDS = ("Polygon", "MultiPolygon", "LineString", "MultiLineString")
_TRUE = ("true", "1", "ja", "yes", "waar", "j", "y")
_FALSE = ("false", "0", "nee", "no", "onwaar", "n", "")
COLUMNS = ("naam", "watertype", "schematisch", "bron")


def _layers(path: Path) -> list[str]:
    try:
        return [str(name) for name, _ in pyogrio.list_layers(path)]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError):
        return []


def _water_layers(path: Path) -> list[str]:
    """The water layers of a file (polygons first, then TOP10NL lines), in file order."""
    layers = _layers(path)
    polygons = [name for name in layers if name.casefold() in WATER_LAYERS]
    if not polygons:
        return []
    lines = [name for name in layers if name.casefold() in _LINE_LAYERS]
    return polygons[:1] + lines[:1]


def find_water(data_dir: Path) -> Path | None:
    """The surface-water file in ``data_dir``, else None.

    ``oppervlaktewater.<suffix>``, or a GeoPackage or GML file of any name holding a
    BGT or TOP10NL water layer (:data:`WATER_LAYERS`). More than one candidate is one
    line naming them.
    """
    found: list[Path] = []
    named = find_source(data_dir, "oppervlaktewater", VECTOR_SUFFIXES)
    if named is not None:
        found.append(named)
    for path in sorted(data_dir.iterdir()):
        if path == named or path.suffix.lower() not in (".gpkg", ".gml"):
            continue
        if _water_layers(path):
            found.append(path)
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise ValidationError(
            [f"{data_dir}: meer dan één bron voor oppervlaktewater ({names}); laat er één staan"]
        )
    return found[0] if found else None


#: Features read to check the coordinates of a layer with nothing in the box.
_SAMPLE = 1000


def _read(
    path: Path, layer: str | None, bbox: tuple[float, ...] | None, limit: int | None = None
) -> gpd.GeoDataFrame:
    try:
        gdf = pyogrio.read_dataframe(path, layer=layer, bbox=bbox, max_features=limit)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ValidationError([f"{path}: geen leesbaar vectorbestand ({first})"]) from exc
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise ValidationError([f"{path}: bevat geen geometriekolom"])
    return gdf.rename(columns={c: c.casefold() for c in gdf.columns if c != gdf.geometry.name})


def _first_text(gdf: pd.DataFrame, fields: tuple[str, ...]) -> pd.Series:
    """Per row the first non-empty value among ``fields`` (NA when none)."""
    out = pd.Series(pd.NA, index=gdf.index, dtype="string")
    for field in fields:
        if field in gdf.columns:
            text = gdf[field].astype("string").str.strip()
            out = out.fillna(text.mask(text.eq("").fillna(False).astype(bool)))
    return out


def _schematic(gdf: pd.DataFrame, problems: Problems) -> pd.Series:
    if "schematisch" not in gdf.columns:
        return pd.Series(False, index=gdf.index, dtype=bool)
    raw = gdf["schematisch"]
    if pd.api.types.is_bool_dtype(raw.dtype):
        return raw.fillna(False).astype(bool)
    text = raw.astype("string").str.strip().str.casefold().fillna("")
    bad = ~text.isin(_TRUE + _FALSE)
    problems.add_grouped("schematisch", "geen ja/nee-waarde", list(raw[bad].astype(str)))
    return text.isin(_TRUE).astype(bool)


def _current(gdf: gpd.GeoDataFrame, source: str, notes: list[str]) -> gpd.GeoDataFrame:
    """BGT: leave out historic versions and plans (a note with the count)."""
    old = pd.Series(False, index=gdf.index)
    for field in _END_FIELDS:
        if field in gdf.columns:
            old |= gdf[field].notna() & gdf[field].astype("string").str.strip().ne("").fillna(False)
    for field in _STATUS_FIELDS:
        if field in gdf.columns:
            old |= gdf[field].astype("string").str.strip().str.casefold().eq("plan").fillna(False)
    if old.any():
        notes.append(
            f"{source}: {int(old.sum())} waterdelen overgeslagen die niet (meer) bestaan "
            "(eindRegistratie gevuld of status 'plan')"
        )
    return gdf[~old.to_numpy()]


def load_water(path: Path | str, *, within: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Surface water in EPSG:28992: polygons, and lines kept as lines.

    Returns ``naam`` (NA where the source has no name; BGT never has one),
    ``watertype`` (BGT ``class``/``bgt-type``, TOP10NL ``typewater``, or our
    ``watertype``), ``schematisch`` (True where a column ``schematisch`` says so: a
    drawn sketch, not surveyed water), ``bron`` and the geometry. ``within``: only
    water in its bounding box is read, and clipped to that box. No CRS, a layer
    without features, no polygon or line at all, or no water in ``within``'s box is
    one line each; other geometries (points) are left out with a warning, invalid
    polygons repaired with a warning.
    """
    path = Path(path)
    if not path.exists():
        raise SourceNotFoundError(f"{path}: bestand bestaat niet")
    problems = Problems(str(path))
    layers: list[str | None] = list(_water_layers(path)) or [None]
    publication = WATER_LAYERS.get(str(layers[0]).casefold())
    zone = None
    if within is not None:
        zone = within if within.crs is not None else within.set_crs(CRS_RD)
    parts = []
    for layer in layers:
        info = pyogrio.read_info(path, layer=layer)
        if int(info["features"]) == 0:
            problems.add(None, f"laag '{info['layer_name']}' bevat geen objecten")
            continue
        bbox = None
        if zone is not None:
            if info["crs"] is None:
                to_rd(gpd.GeoDataFrame(geometry=[]), problems)
                continue
            bbox = tuple(float(v) for v in zone.to_crs(info["crs"]).total_bounds)
        gdf = _read(path, layer, bbox)
        if gdf.empty and bbox is not None:
            # nothing in the box: coordinates in another CRS than the file declares say so
            # themselves (checked on a sample), rather than as "no water here"
            check = Problems(str(path))
            to_rd(_read(path, layer, None, limit=_SAMPLE), check)
            if check:
                problems.extend(check.items)
                continue
        if gdf.empty and bbox is None:
            problems.add(None, f"laag '{info['layer_name']}' bevat geen objecten")
            continue
        rd = to_rd(gdf, problems)
        if rd is not None:
            parts.append(rd)
    problems.raise_if_any()
    gdf = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=CRS_RD)
    notes: list[str] = []  # warned once the file is known to be valid
    gdf = _current(gdf, str(path), notes)
    geoms = gdf.geometry
    kinds = geoms.geom_type
    usable = geoms.notna() & ~geoms.is_empty & kinds.isin(_KINDS)
    if not usable.any() and len(gdf):
        problems.add(
            "geometry",
            "geen bruikbare geometrie (verwacht vlakken of lijnen)",
            ", ".join(sorted(set(kinds.dropna().astype(str)))) or "alleen lege geometrieën",
        )
        problems.raise_if_any()
    if (~usable).any():
        notes.append(f"{path}: {int((~usable).sum())} objecten zonder vlak of lijn overgeslagen")
    gdf = gdf[usable.to_numpy()].copy()
    polygons = gdf.geometry.geom_type.isin(["Polygon", "MultiPolygon"])
    invalid = polygons & ~gdf.geometry.is_valid
    repaired = 0
    if invalid.any():
        gdf.loc[invalid, gdf.geometry.name] = shapely.make_valid(
            gdf.geometry[invalid].to_numpy(), method="structure", keep_collapsed=False
        )
        repaired = int(invalid.sum())
    if zone is not None:
        frame = box(*zone.to_crs(CRS_RD).total_bounds)
        gdf = gpd.clip(gdf, frame, keep_geom_type=True)
        if gdf.empty:
            problems.add(
                None,
                "geen water binnen het gebied; is het de goede gemeente of het goede bestand?",
            )
    schematisch = _schematic(gdf, problems)
    problems.raise_if_any()
    for note in notes:
        warnings.warn(note, SourceWarning, stacklevel=2)
    if repaired:
        warnings.warn(f"{path}: {repaired} ongeldige vlakken hersteld", RepairWarning, stacklevel=2)
    label = (
        f"{publication} waterdeel, {path.name}" if publication else f"oppervlaktewater, {path.name}"
    )
    bron = pd.Series(label, index=gdf.index, dtype="string")
    if "bron" in gdf.columns:
        given = gdf["bron"].astype("string")
        if given.str.startswith(SAMPLE_BRON).fillna(False).all():
            bron = given
    out = gpd.GeoDataFrame(
        {
            "naam": _first_text(gdf, _NAME_FIELDS),
            "watertype": _first_text(gdf, _TYPE_FIELDS),
            "schematisch": schematisch,
            "bron": bron,
        },
        geometry=gdf.geometry,
        crs=CRS_RD,
    )
    return out.reset_index(drop=True)
