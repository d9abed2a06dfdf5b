"""One writer per file format; each writes an :class:`ExportSet` into a (temporary) folder.

Format decisions (what ``LEESMIJ.txt`` and ``metadata.json`` repeat for users):

- **gpkg**: one file ``wijkplan.gpkg`` with every chosen layer in EPSG:28992, titles and
  descriptions in ``gpkg_contents``, column titles in ``gpkg_data_columns``, the catalogue
  rows of the chosen layers as table ``catalogus``, Dublin Core for the file and QGIS layer
  metadata per layer in ``gpkg_metadata``, and the QGIS styles in ``layer_styles``.
- **geojson**: one file per layer, RFC 7946: EPSG:4326 (converted with PROJ), exterior rings
  counter-clockwise and holes clockwise, 7 decimals, no ``crs`` member. A table becomes a
  FeatureCollection of features without geometry (valid RFC 7946).
- **fgb**: one FlatGeobuf per layer in EPSG:28992 with a spatial index (features come back in
  index order, not the original order). A table becomes CSV: FlatGeobuf is a geometry format.
- **shp**: one Shapefile per layer in EPSG:28992 with ``.prj`` and ``.cpg`` (UTF-8); field
  names shortened to 10 characters, unique, the mapping in ``<laag>_velden.csv``; texts longer
  than 254 bytes cut (ending in "…") and counted there. A layer with points and polygons
  (``aquathermie``) is split into ``<laag>_punt.shp`` and ``<laag>_vlak.shp``: a Shapefile holds
  one geometry type. A table becomes CSV (a lone ``.dbf`` would cut its names and texts too).
- **csv**: one file per layer: the attributes plus the geometry as WKT (column ``WKT``,
  EPSG:28992, with a ``.prj``), comma-separated, UTF-8, with a ``.csvt`` of the column types
  (QGIS and GDAL read it). With ``excel``: ``;``, decimal comma, ``ja``/``nee``, UTF-8 with
  BOM, WKT last, no ``.csvt``: the form Dutch Excel opens directly. ``excel`` applies to every
  CSV an export writes (also the tables and the field lists of fgb and shp).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from wijkplan import catalogue, read, styles
from wijkplan.config import load_config
from wijkplan.export import describe
from wijkplan.export.model import ExportSet
from wijkplan.outputs.geopackage import (
    GPKG_OPTIONS,
    MetadataDocument,
    describe_columns,
    layer_options,
    write_metadata,
)
from wijkplan.settings import CRS_RD, CRS_WGS84

__all__ = [
    "FORMAT_NOTES",
    "GPKG_NAME",
    "WRITERS",
    "Written",
    "rename_style_fields",
    "shapefile_fields",
    "truncate_bytes",
]

GPKG_NAME = "wijkplan.gpkg"
#: Excel shows at most this many characters in one cell.
EXCEL_CELL_LIMIT = 32_767
#: DBF text fields hold at most this many bytes.
DBF_TEXT_LIMIT = 254
_ELLIPSIS = "…"
_FAMILY = {
    "Polygon": "vlak",
    "MultiPolygon": "vlak",
    "LineString": "lijn",
    "MultiLineString": "lijn",
    "Point": "punt",
    "MultiPoint": "punt",
}


#: What LEESMIJ.txt says about each format (``excel``: the CSV for Dutch Excel).
FORMAT_NOTES: Mapping[str, str] = {
    "gpkg": (
        "GeoPackage wijkplan.gpkg: titel en beschrijving per laag in gpkg_contents, kolomtitels "
        "in gpkg_data_columns (QGIS toont ze als aliassen), de tabel catalogus (elke kolom met "
        "betekenis en eenheid) en metadata in gpkg_metadata (Dublin Core voor het bestand, "
        "QGIS-laagmetadata per laag)."
    ),
    "geojson": (
        "GeoJSON volgens RFC 7946: lengte/breedte in WGS 84, 7 decimalen (ongeveer 1 cm), "
        "buitenringen tegen de klok in en gaten met de klok mee, geen crs-lid; een tabel is een "
        "verzameling features zonder geometrie."
    ),
    "fgb": (
        "FlatGeobuf met ruimtelijke index (de objecten staan in indexvolgorde); tabellen zonder "
        "geometrie als CSV (komma, UTF-8) met de kolomtypen in .csvt."
    ),
    "shp": (
        "Shapefile: veldnamen hoogstens 10 tekens (de vertaling staat in <laag>_velden.csv), "
        "teksten hoogstens 254 bytes (langere afgekapt, eindigend op …), .prj (RD New) en .cpg "
        "(UTF-8); punten en vlakken van één laag in aparte bestanden (<laag>_punt, <laag>_vlak); "
        "tabellen zonder geometrie als CSV met .csvt."
    ),
    "csv": (
        "CSV: komma, UTF-8, geometrie als WKT in kolom WKT (RD New, zie .prj), kolomtypen in "
        ".csvt (QGIS en GDAL lezen die)."
    ),
    "excel": (
        "CSV voor Excel: puntkomma, decimale komma, ja/nee, UTF-8 met BOM; de geometrie als WKT "
        "in de laatste kolom (RD New)."
    ),
}


@dataclass
class Written:
    """What a writer left in the folder: file names (in the order to move them), remarks
    per layer for the reader, and how styles were handled."""

    files: list[str] = field(default_factory=list)
    remarks: dict[str, list[str]] = field(default_factory=dict)
    styles: str = ""

    def remark(self, layer: str, text: str) -> None:
        self.remarks.setdefault(layer, []).append(text)


Writer = Callable[..., Written]


# ---------------------------------------------------------------------------- helpers


def _geometry_column(frame: pd.DataFrame) -> str | None:
    name = getattr(frame, "_geometry_column_name", None)
    return name if name is not None and name in frame.columns else None


def _is_geo(name: str, frame: pd.DataFrame) -> bool:
    return catalogue.layer(name).geometry is not None and _geometry_column(frame) is not None


def _attributes(frame: pd.DataFrame) -> list[str]:
    geometry = _geometry_column(frame)
    return [str(c) for c in frame.columns if c != geometry]


def _bool_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in _attributes(frame) if pd.api.types.is_bool_dtype(frame[c].dtype)]


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [
        c
        for c in _attributes(frame)
        if pd.api.types.is_string_dtype(frame[c].dtype) or frame[c].dtype == object
    ]


def shapefile_fields(columns: Sequence[str]) -> dict[str, str]:
    """Unique DBF field names of at most 10 characters, in the way GDAL shortens them.

    A name that fits keeps it; a longer one is cut to 10 characters, and when that is
    taken (case-insensitively) ends in ``_1``, ``_2``, ...

    >>> shapefile_fields(["misdrijven", "misdrijven_per_1000", "misdrijven_jaar", "per_1000_totaal"])
    {'misdrijven': 'misdrijven', 'misdrijven_per_1000': 'misdrijv_1', 'misdrijven_jaar': 'misdrijv_2', 'per_1000_totaal': 'per_1000_t'}
    """
    used = {c.lower() for c in columns if len(c) <= 10}
    mapping = {c: c for c in columns if len(c) <= 10}
    for c in columns:
        if len(c) <= 10:
            continue
        candidate, i = c[:10], 0
        while candidate.lower() in used:
            i += 1
            suffix = f"_{i}"
            candidate = c[: 10 - len(suffix)] + suffix
        used.add(candidate.lower())
        mapping[c] = candidate
    return {c: mapping[c] for c in columns}


def truncate_bytes(text: str, limit: int = DBF_TEXT_LIMIT) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes on a character boundary, ending in "…".

    >>> truncate_bytes("é" * 200)[-3:], len(truncate_bytes("é" * 200).encode())
    ('éé…', 253)
    >>> truncate_bytes("kort")
    'kort'
    """
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return text
    keep = raw[: limit - len(_ELLIPSIS.encode("utf-8"))].decode("utf-8", errors="ignore")
    return keep + _ELLIPSIS


def rename_style_fields(style: str, mapping: Mapping[str, str]) -> str:
    """A QML or SLD with its field references renamed (for a Shapefile's shortened names).

    A reference is a whole field name between quotes (``attr="x"``, ``"x"`` in an
    expression, also XML-escaped) or as the text of an element (``<ogc:PropertyName>x<``).

    >>> rename_style_fields('<r attr="aandeel_zwak"/><ogc:PropertyName>aandeel_zwak</ogc:PropertyName>',
    ...                     {"aandeel_zwak": "aandeel_zw"})
    '<r attr="aandeel_zw"/><ogc:PropertyName>aandeel_zw</ogc:PropertyName>'
    """
    for old, new in sorted(mapping.items(), key=lambda kv: -len(kv[0])):
        if old == new:
            continue
        pattern = re.compile(
            rf"(?<=[\"'>]){re.escape(old)}(?=[\"'<])|(?<=&quot;){re.escape(old)}(?=&quot;)"
        )
        style = pattern.sub(new, style)
    return style


def _promote(spec: catalogue.Layer) -> bool | None:
    """Multi-part geometry for a MultiPolygon layer; otherwise as the features are."""
    return True if spec.geometry == "MultiPolygon" else None


def _prj_text() -> str:
    return CRS(CRS_RD).to_wkt("WKT1_GDAL")


# ---------------------------------------------------------------------------- CSV


def _write_csv(name: str, frame: pd.DataFrame, folder: Path, *, excel: bool, out: Written) -> None:
    path = folder / f"{name}.csv"
    geo = _is_geo(name, frame)
    if excel:
        table = pd.DataFrame(frame[_attributes(frame)]).copy()
        for col in _bool_columns(table):
            table[col] = table[col].map({True: "ja", False: "nee"})
        if geo:
            wkt = shapely.to_wkt(gpd.GeoDataFrame(frame).geometry.to_numpy(), rounding_precision=-1)
            table["WKT"] = wkt
            longest = max((len(w) for w in wkt if w is not None), default=0)
            if longest > EXCEL_CELL_LIMIT:
                out.remark(
                    name,
                    f"let op: een WKT-geometrie is langer dan de {EXCEL_CELL_LIMIT} tekens die "
                    "Excel in een cel toont; gebruik voor de geometrie GeoPackage",
                )
        table.to_csv(
            path, sep=";", decimal=",", encoding="utf-8-sig", index=False, lineterminator="\r\n"
        )
        out.files.append(path.name)
        return
    options = {"SEPARATOR": "COMMA", "CREATE_CSVT": "YES", "LINEFORMAT": "CRLF"}
    if geo:
        options["GEOMETRY"] = "AS_WKT"
        pyogrio.write_dataframe(frame, path, layer=name, driver="CSV", layer_options=options)
        (folder / f"{name}.prj").write_text(_prj_text(), encoding="utf-8")
        out.files += [path.name, f"{name}.csvt", f"{name}.prj"]
    else:
        pyogrio.write_dataframe(
            pd.DataFrame(frame), path, layer=name, driver="CSV", layer_options=options
        )
        out.files += [path.name, f"{name}.csvt"]


def _write_table_csv(
    name: str, frame: pd.DataFrame, folder: Path, *, excel: bool, out: Written, why: str
) -> None:
    _write_csv(name, frame, folder, excel=excel, out=out)
    out.remark(name, f"tabel zonder geometrie: als CSV ({name}.csv), {why}")


def _write_sidecar(frame: pd.DataFrame, path: Path, *, excel: bool) -> None:
    if excel:
        frame.to_csv(path, sep=";", encoding="utf-8-sig", index=False, lineterminator="\r\n")
    else:
        frame.to_csv(path, sep=",", encoding="utf-8", index=False, lineterminator="\r\n")


# ---------------------------------------------------------------------------- styles


def _style_files(
    name: str,
    base: str,
    folder: Path,
    out: Written,
    rename: Mapping[str, str] | None = None,
) -> None:
    """``<base>.sld`` and ``<base>.qml`` beside a file (QGIS loads ``<base>.qml`` itself)."""
    for suffix, make in (("sld", styles.sld), ("qml", styles.qml)):
        text = make(name)
        if not text:
            continue
        if rename:
            text = rename_style_fields(text, rename)
        (folder / f"{base}.{suffix}").write_text(text, encoding="utf-8")
        out.files.append(f"{base}.{suffix}")


# ---------------------------------------------------------------------------- formats


def write_gpkg(export_set: ExportSet, folder: Path, *, excel: bool) -> Written:
    out = Written()
    path = folder / GPKG_NAME
    names = list(export_set.layers)
    for name, frame in export_set.layers.items():
        spec = catalogue.layer(name)
        pyogrio.write_dataframe(
            frame if _is_geo(name, frame) else pd.DataFrame(frame),
            path,
            layer=name,
            driver="GPKG",
            dataset_options=GPKG_OPTIONS,
            layer_options=layer_options(name),
            promote_to_multi=_promote(spec),
        )
    if catalogue.CATALOGUE_TABLE not in names:  # the catalogue rows of the chosen layers
        table = read.read_layer(export_set.source, catalogue.CATALOGUE_TABLE)
        table = table[table["laag"].isin(names)].reset_index(drop=True)
        pyogrio.write_dataframe(
            pd.DataFrame(table),
            path,
            layer=catalogue.CATALOGUE_TABLE,
            driver="GPKG",
            dataset_options=GPKG_OPTIONS,
            layer_options=layer_options(catalogue.CATALOGUE_TABLE),
        )
    described = list(dict.fromkeys([*names, catalogue.CATALOGUE_TABLE]))
    describe_columns(path, described, load_config().categories)
    write_metadata(
        path,
        [
            MetadataDocument(describe.DUBLIN_CORE_URI, describe.dublin_core(export_set)),
            *(
                MetadataDocument(
                    describe.QGIS_METADATA_URI,
                    describe.qgis_layer_metadata(export_set, name),
                    table=name,
                )
                for name in names
            ),
        ],
    )
    geo = [n for n, f in export_set.layers.items() if _is_geo(n, f)]
    if geo:
        styles.write_gpkg_styles(path, geo)
    out.styles = "QGIS-stijlen in de tabel layer_styles, als standaard: de lagen openen gestyled"
    out.files.append(path.name)
    return out


def write_geojson(export_set: ExportSet, folder: Path, *, excel: bool) -> Written:
    out = Written()
    for name, frame in export_set.layers.items():
        spec = catalogue.layer(name)
        path = folder / f"{name}.geojson"
        options = {"DESCRIPTION": spec.description, "AUTODETECT_JSON_STRINGS": "NO"}
        if _is_geo(name, frame):
            wgs = gpd.GeoDataFrame(frame).to_crs(CRS_WGS84)
            wgs = wgs.set_geometry(
                gpd.GeoSeries(
                    shapely.orient_polygons(wgs.geometry.to_numpy(), exterior_cw=False),
                    index=wgs.index,
                    crs=CRS_WGS84,
                )
            )
            pyogrio.write_dataframe(
                wgs,
                path,
                layer=name,
                driver="GeoJSON",
                layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": "7", **options},
                promote_to_multi=_promote(spec),
            )
            out.files.append(path.name)
            _style_files(name, name, folder, out)
        else:
            pyogrio.write_dataframe(
                pd.DataFrame(frame), path, layer=name, driver="GeoJSON", layer_options=options
            )
            out.files.append(path.name)
            out.remark(
                name, "tabel zonder geometrie: features zonder geometrie (geldig in RFC 7946)"
            )
    out.styles = "SLD en QML naast elk GeoJSON-bestand met geometrie"
    return out


def write_fgb(export_set: ExportSet, folder: Path, *, excel: bool) -> Written:
    out = Written()
    for name, frame in export_set.layers.items():
        spec = catalogue.layer(name)
        if not _is_geo(name, frame):
            _write_table_csv(
                name, frame, folder, excel=excel, out=out, why="FlatGeobuf is een geometrieformaat"
            )
            continue
        path = folder / f"{name}.fgb"
        index = "YES"
        if gpd.GeoDataFrame(frame).geometry.isna().any():
            index = "NO"
            out.remark(name, "zonder ruimtelijke index: de laag heeft objecten zonder geometrie")
        pyogrio.write_dataframe(
            frame,
            path,
            layer=name,
            driver="FlatGeobuf",
            layer_options={
                "SPATIAL_INDEX": index,
                "TITLE": spec.title,
                "DESCRIPTION": spec.description,
            },
            promote_to_multi=_promote(spec),
        )
        out.files.append(path.name)
        _style_files(name, name, folder, out)
    out.styles = "SLD en QML naast elk FlatGeobuf-bestand"
    return out


def _split_by_geometry(frame: gpd.GeoDataFrame) -> tuple[dict[str, gpd.GeoDataFrame], int]:
    """The frame per geometry family (vlak, lijn, punt), and how many features fit none."""
    family = frame.geometry.geom_type.map(_FAMILY)
    unfit = int((frame.geometry.notna() & family.isna()).sum())
    present = [f for f in ("vlak", "lijn", "punt") if (family == f).any()]
    if len(present) <= 1:
        keep = frame[family.notna() | frame.geometry.isna()]
        return {present[0] if present else "vlak": keep}, unfit
    largest = max(present, key=lambda f: int((family == f).sum()))
    parts = {}
    for f in present:
        mask = family == f
        if f == largest:
            mask |= frame.geometry.isna()
        parts[f] = frame[mask]
    return parts, unfit


def write_shp(export_set: ExportSet, folder: Path, *, excel: bool) -> Written:
    out = Written()
    for name, frame in export_set.layers.items():
        if not _is_geo(name, frame):
            _write_table_csv(
                name,
                frame,
                folder,
                excel=excel,
                out=out,
                why="zodat namen en lange teksten heel blijven (een losse .dbf kort ze in)",
            )
            continue
        spec = catalogue.layer(name)
        declared = {c.name: c for c in catalogue.expand(spec, load_config().categories)}
        columns = _attributes(frame)
        mapping = shapefile_fields(columns)
        data = gpd.GeoDataFrame(frame).copy()
        cut: dict[str, int] = {}
        for col in _text_columns(data):
            values = data[col]
            long = values.map(lambda v: isinstance(v, str) and len(v.encode()) > DBF_TEXT_LIMIT)
            cut[col] = int(long.sum())
            if cut[col]:
                data[col] = values.map(lambda v: truncate_bytes(v) if isinstance(v, str) else v)
        data = data.rename(columns=mapping)
        parts, unfit = _split_by_geometry(data)
        if unfit:
            out.remark(
                name, f"{unfit} objecten met een geometrieverzameling passen niet in Shapefile"
            )
        if len(parts) > 1:
            out.remark(
                name,
                "punten en vlakken apart ("
                + ", ".join(f"{name}_{f}.shp: {len(p)}" for f, p in parts.items())
                + "): een Shapefile heeft één geometrietype",
            )
        for family, part in parts.items():
            base = name if len(parts) == 1 else f"{name}_{family}"
            pyogrio.write_dataframe(
                part,
                folder / f"{base}.shp",
                layer=base,
                driver="ESRI Shapefile",
                layer_options={"ENCODING": "UTF-8"},
                promote_to_multi=(family == "punt") or None,
            )
            shp_files = [f"{base}.{ext}" for ext in ("shp", "shx", "dbf", "prj", "cpg")]
            out.files += [f for f in shp_files if (folder / f).exists()]
            _style_files(name, base, folder, out, rename=mapping)
        fields = pd.DataFrame(
            {
                "kolom": columns,
                "shapefile_veld": [mapping[c] for c in columns],
                "betekenis": [declared[c].meaning if c in declared else None for c in columns],
                "eenheid": [declared[c].unit if c in declared else None for c in columns],
                "type": [declared[c].type if c in declared else None for c in columns],
                "afgekapt": [cut.get(c, 0) for c in columns],
            }
        )
        _write_sidecar(fields, folder / f"{name}_velden.csv", excel=excel)
        out.files.append(f"{name}_velden.csv")
        renamed = sum(1 for c in columns if mapping[c] != c)
        if renamed:
            out.remark(name, f"{renamed} veldnamen ingekort tot 10 tekens: zie {name}_velden.csv")
        if any(cut.values()):
            total = sum(cut.values())
            out.remark(
                name,
                f"{total} teksten langer dan {DBF_TEXT_LIMIT} bytes afgekapt (eindigen op …): "
                "zie de kolom afgekapt in " + f"{name}_velden.csv; volledig in GeoPackage of CSV",
            )
    out.styles = "SLD en QML naast elke Shapefile (met de ingekorte veldnamen)"
    return out


def write_csv(export_set: ExportSet, folder: Path, *, excel: bool) -> Written:
    out = Written()
    for name, frame in export_set.layers.items():
        _write_csv(name, frame, folder, excel=excel, out=out)
        if _is_geo(name, frame):
            _style_files(name, name, folder, out)
            families = set(frame.geometry.geom_type.dropna().map(_FAMILY).dropna())
            if len(families) > 1:  # QGIS's text reader takes one geometry type per layer
                out.remark(
                    name,
                    "punten en vlakken in één CSV: QGIS (tekstbestand met scheidingsteken) "
                    "toont één geometrietype per laag; voeg het bestand twee keer toe of "
                    "gebruik de GeoPackage",
                )
    out.styles = "SLD en QML naast elk CSV-bestand met geometrie"
    return out


WRITERS: dict[str, Writer] = {
    "gpkg": write_gpkg,
    "geojson": write_geojson,
    "fgb": write_fgb,
    "shp": write_shp,
    "csv": write_csv,
}
