"""CBS buurt and wijk boundaries as CBS and PDOK publish them, in any OGR format.

Recognised forms (real-formats.md §2):

- our own files ``buurten.*`` and ``wijken.*`` (``buurtcode``, ``buurtnaam``, ...);
- PDOK's Wijk- en Buurtkaart GeoPackage (``wijkenbuurten_2024_v1.gpkg``: layers
  ``gemeenten``, ``wijken``, ``buurten``; national), the layers chosen by name;
- the CBS shapefiles (``buurt_2023_v1.shp``: ``BU_CODE``, ``BU_NAAM``, ``WK_CODE``,
  ``GM_CODE``, ``GM_NAAM``, ``JRSTATCODE``);
- the generalised cartographic layers (``buurt_gegeneraliseerd``: ``statcode``,
  ``statnaam``, ``jrstatcode``), whose wijk and gemeente follow from the code.

Kerncijfers columns the layer carries are recognised under their published names
(:mod:`wijkplan.sources.kerncijfers`); other columns are left out. A file with
several municipalities is read for one (``gemeente``); without a choice it is one
line saying how to choose. Everything is reprojected to EPSG:28992 and validated,
every problem reported together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pyogrio.errors

from wijkplan.catalogue import join_pairs
from wijkplan.errors import SourceNotFoundError, ValidationError
from wijkplan.problems import Problems
from wijkplan.settings import BUURTCODE_RE, GEMEENTECODE_RE, VECTOR_SUFFIXES, WIJKCODE_RE
from wijkplan.sources._io import find_source, read_vector, restore_truncated
from wijkplan.sources.kerncijfers import clean_figures, figures_in_layer
from wijkplan.sources.validate import check_codes, check_polygons, require_columns, to_rd

BUURT_COLUMNS = ("buurtcode", "buurtnaam", "wijkcode", "gemeentecode", "jaar")
WIJK_COLUMNS = ("wijkcode", "wijknaam", "gemeentecode", "jaar")
_OPTIONAL = ("wijknaam", "gemeentenaam")

#: Column names of the CBS/PDOK publications, mapped to ours (lower case).
_RENAMES = {
    "buurt_code": "buurtcode",
    "buurt_naam": "buurtnaam",
    "bu_code": "buurtcode",
    "bu_naam": "buurtnaam",
    "wijk_code": "wijkcode",
    "wijk_naam": "wijknaam",
    "wk_code": "wijkcode",
    "wk_naam": "wijknaam",
    "gemeente_code": "gemeentecode",
    "gemeente_naam": "gemeentenaam",
    "gm_code": "gemeentecode",
    "gm_naam": "gemeentenaam",
}
#: Layer names of each level in the published GeoPackages, in order of preference.
LAYER_NAMES = {
    "buurt": ("buurten", "buurt", "cbs_buurten", "buurt_gegeneraliseerd"),
    "wijk": ("wijken", "wijk", "cbs_wijken", "wijk_gegeneraliseerd"),
}
_CODE_RE = {"buurt": BUURTCODE_RE, "wijk": WIJKCODE_RE}


@dataclass(frozen=True)
class BoundarySource:
    """Where one level's boundaries are: a file and (for a GeoPackage) its layer."""

    path: Path
    layer: str | None = None

    def __str__(self) -> str:
        return f"{self.path} (laag {self.layer})" if self.layer else str(self.path)


# ---------------------------------------------------------------------------- finding


def _layers(path: Path) -> list[str]:
    try:
        return [str(name) for name, _ in pyogrio.list_layers(path)]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError):
        return []


def _level_of_layer(path: Path, layer: str) -> str | None:
    """ "buurt" or "wijk" from the layer's name, else from its code column's values."""
    lower = layer.lower()
    for level, names in LAYER_NAMES.items():
        if lower in names:
            return level
    try:
        head = pyogrio.read_dataframe(path, layer=layer, read_geometry=False, max_features=1)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError):
        return None
    cols = {str(c).lower(): c for c in head.columns}
    if any(c in cols for c in ("buurtcode", "bu_code", "buurt_code")):
        return "buurt"
    if any(c in cols for c in ("wijkcode", "wk_code", "wijk_code")):
        return "wijk"
    if "statcode" in cols and len(head):
        code = str(head[cols["statcode"]].iloc[0])
        return {"BU": "buurt", "WK": "wijk"}.get(code[:2])
    return None


def find_boundaries(data_dir: Path | str) -> dict[str, BoundarySource]:
    """The buurt and wijk boundaries in a data folder, by name or by content.

    ``buurten.*`` and ``wijken.*`` are taken first; otherwise every vector file is
    looked into (a PDOK GeoPackage holds both levels, CBS shapefiles one each). Two
    candidates for one level are refused, so a build never picks the wrong one.
    """
    data_dir = Path(data_dir)
    found: dict[str, BoundarySource] = {}
    for level, stem in (("buurt", "buurten"), ("wijk", "wijken")):
        path = find_source(data_dir, stem)
        if path is not None:
            found[level] = BoundarySource(path)
    if len(found) == 2:
        return found
    candidates: dict[str, list[BoundarySource]] = {"buurt": [], "wijk": []}
    ours = {"buurten", "wijken", "complexen", "incidenten"}
    for path in sorted(data_dir.iterdir()) if data_dir.is_dir() else []:
        if path.suffix.lower() not in VECTOR_SUFFIXES or path.stem.lower() in ours:
            continue
        if path.stem.lower().startswith(("leefbaarometer", "grid ")):
            continue
        layers = _layers(path)
        for layer in layers:
            kind = _level_of_layer(path, layer)
            if kind is not None and kind not in found:
                candidates[kind].append(BoundarySource(path, layer if len(layers) > 1 else None))
    problems = []
    for level, options in candidates.items():
        if len(options) > 1:
            names = ", ".join(str(o) for o in options)
            problems.append(
                f"{data_dir}: meer dan één bron voor de {level}grenzen ({names}); laat er één staan"
            )
        elif options:
            found[level] = options[0]
    if problems:
        raise ValidationError(problems)
    return found


# ---------------------------------------------------------------------------- reading


def _normalise(gdf: pd.DataFrame, level: str) -> pd.DataFrame:
    """Our column names from the published ones; wijk, gemeente and year from codes."""
    geometry = getattr(gdf, "_geometry_column_name", None)
    gdf = gdf.rename(columns={c: str(c).lower() for c in gdf.columns if c != geometry})
    gdf = gdf.rename(columns={k: v for k, v in _RENAMES.items() if k in gdf and v not in gdf})
    gdf = restore_truncated(gdf, BUURT_COLUMNS + WIJK_COLUMNS)
    code_col = f"{level}code"
    if "statcode" in gdf and code_col not in gdf:
        gdf = gdf.rename(columns={"statcode": code_col, "statnaam": f"{level}naam"})
    if code_col in gdf:
        codes = gdf[code_col].astype("string").str.strip()
        gdf[code_col] = codes
        if level == "buurt" and "wijkcode" not in gdf:
            gdf["wijkcode"] = "WK" + codes.str[2:8]
        if "gemeentecode" not in gdf:
            gdf["gemeentecode"] = "GM" + codes.str[2:6]
    if "jaar" not in gdf:
        for col in ("jrstatcode", "jaarstatcode"):
            if col in gdf:
                gdf["jaar"] = pd.to_numeric(gdf[col].astype("string").str[:4], errors="coerce")
                break
    return gdf


def _gemeente_filter(source: BoundarySource, level: str) -> tuple[str | None, str | None]:
    """(the column that names the municipality, an SQL prefix column) for a where-clause."""
    try:
        info = pyogrio.read_info(source.path, layer=source.layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError):
        return None, None
    fields = {str(f).lower(): str(f) for f in info["fields"]}
    for name in ("gemeentecode", "gm_code", "gemeente_code"):
        if name in fields:
            return fields[name], None
    if "statcode" in fields:
        return None, fields["statcode"]
    return None, None


def _read(source: BoundarySource, level: str, gemeente: str | None) -> gpd.GeoDataFrame:
    """Read one level, only ``gemeente``'s features when given (filtered in GDAL)."""
    where = None
    if gemeente is not None:
        column, prefix = _gemeente_filter(source, level)
        safe = re.sub(r"[^0-9A-Za-z]", "", gemeente)
        if column is not None:
            where = f"\"{column}\" = '{safe}'"
        elif prefix is not None:
            where = f"\"{prefix}\" LIKE '{'BU' if level == 'buurt' else 'WK'}{safe[2:]}%'"
    gdf = read_vector(source.path, layer=source.layer, where=where)
    return _normalise(gdf, level)


def _one_municipality(gdf: pd.DataFrame, source: BoundarySource, gemeente: str | None) -> None:
    """A national file needs a choice; a chosen municipality must be in the file."""
    if "gemeentecode" not in gdf:
        return
    codes = gdf["gemeentecode"].dropna().astype(str)
    present = sorted(set(codes))
    if gemeente is not None and not len(gdf):
        raise ValidationError([f"{source}: gemeente {gemeente} komt niet voor in het bestand"])
    if gemeente is None and len(present) > 1:
        names = (
            gdf.groupby("gemeentecode")["gemeentenaam"].first() if "gemeentenaam" in gdf else None
        )
        example = ", ".join(
            f"{c} {names[c]}" if names is not None and pd.notna(names.get(c)) else c
            for c in present[:3]
        )
        raise ValidationError(
            [
                f"{source}: het bestand bevat {len(present)} gemeenten; kies er één met "
                f"--gemeente GMxxxx (bijv. {example})"
            ]
        )


#: Code columns of each boundary level: (column, pattern, must be unique).
_BUURT_CODES = (
    ("buurtcode", BUURTCODE_RE, True),
    ("wijkcode", WIJKCODE_RE, False),
    ("gemeentecode", GEMEENTECODE_RE, False),
)
_WIJK_CODES = (("wijkcode", WIJKCODE_RE, True), ("gemeentecode", GEMEENTECODE_RE, False))


def _checked(
    gdf: gpd.GeoDataFrame,
    source: BoundarySource,
    columns: tuple[str, ...],
    codes: tuple[tuple[str, re.Pattern[str], bool], ...],
    *,
    id_field: str,
    repairs: list[str] | None,
    extra: list[str] | None = None,
) -> gpd.GeoDataFrame:
    """Columns, codes, CRS, polygons and figures checked; every problem raised together."""
    problems = Problems(str(source))
    if not require_columns(gdf, columns, problems):
        problems.raise_if_any()
    problems.extend(extra or [])
    rd = to_rd(gdf, problems)
    for column, pattern, unique in codes:
        check_codes(
            gdf[column], field_name=column, pattern=pattern, problems=problems, unique=unique
        )
    if rd is not None:
        rd = check_polygons(rd, id_field=id_field, problems=problems, repairs=repairs)
    published = figures_in_layer(gdf)
    figures = clean_figures(gdf, published, problems, gdf[id_field].astype(str))
    problems.raise_if_any()
    assert rd is not None
    keep = [c for c in (*columns, *_OPTIONAL) if c in rd.columns]
    out = rd[[*dict.fromkeys(keep), rd.geometry.name]].copy()
    out["jaar"] = pd.to_numeric(out["jaar"], errors="coerce").astype("Int64")
    if published:
        for col in figures.columns:
            out[col] = figures[col].array
        label = f"CBS Kerncijfers wijken en buurten {_year(out)}, uit het grenzenbestand"
        label = label.replace("  ", " ")
        out["kerncijfers_bron"] = join_pairs(dict.fromkeys(published.values(), label))
    return out.reset_index(drop=True)


def _year(frame: pd.DataFrame) -> str:
    years = frame["jaar"].dropna().unique()
    return str(int(years[0])) if len(years) == 1 else ""


def load_wijken(
    path: Path | str,
    *,
    repairs: list[str] | None = None,
    layer: str | None = None,
    gemeente: str | None = None,
) -> gpd.GeoDataFrame:
    """Load and validate wijk boundaries (with the kerncijfers they carry), EPSG:28992."""
    source = BoundarySource(Path(path), layer or _default_layer(Path(path), "wijk"))
    gdf = _read(source, "wijk", gemeente)
    _one_municipality(gdf, source, gemeente)
    extra = []
    if "wijkcode" in gdf and "gemeentecode" in gdf:
        for wk, gm in zip(
            gdf["wijkcode"].astype(str), gdf["gemeentecode"].astype(str), strict=True
        ):
            if WIJKCODE_RE.match(wk) and GEMEENTECODE_RE.match(gm) and wk[2:6] != gm[2:6]:
                extra.append(
                    f"{source}, veld 'wijkcode': wijk hoort niet bij gemeente {gm}: {wk!r}"
                )
    return _checked(
        gdf, source, WIJK_COLUMNS, _WIJK_CODES, id_field="wijkcode", repairs=repairs, extra=extra
    )


def load_buurten(
    path: Path | str,
    *,
    wijken: gpd.GeoDataFrame | None = None,
    repairs: list[str] | None = None,
    layer: str | None = None,
    gemeente: str | None = None,
) -> gpd.GeoDataFrame:
    """Load and validate buurt boundaries; return them in EPSG:28992, indexed 0..n-1.

    With ``wijken`` given, every buurt's wijkcode must exist there and the codes
    must nest (BU + GM digits + WK digits). All problems are reported together.
    """
    source = BoundarySource(Path(path), layer or _default_layer(Path(path), "buurt"))
    gdf = _read(source, "buurt", gemeente)
    _one_municipality(gdf, source, gemeente)
    extra: list[str] = []
    if all(c in gdf for c in ("buurtcode", "wijkcode", "gemeentecode")):
        extra += _nesting(gdf, str(source))
        if wijken is not None:
            known = set(wijken["wijkcode"].astype(str))
            for code, wk in zip(gdf["buurtcode"], gdf["wijkcode"], strict=True):
                if pd.notna(wk) and str(wk) not in known:
                    extra.append(
                        f"{source}, veld 'wijkcode': buurt {code} verwijst naar een onbekende wijk: {wk!r}"
                    )
    return _checked(
        gdf, source, BUURT_COLUMNS, _BUURT_CODES, id_field="buurtcode", repairs=repairs, extra=extra
    )


def _default_layer(path: Path, level: str) -> str | None:
    """The layer of ``level`` in a file with several layers (a PDOK GeoPackage)."""
    if not path.exists():
        raise SourceNotFoundError(f"{path}: bestand bestaat niet")
    layers = _layers(path)
    if len(layers) <= 1:
        return None
    for name in LAYER_NAMES[level]:
        for layer in layers:
            if layer.lower() == name:
                return layer
    matches = [layer for layer in layers if _level_of_layer(path, layer) == level]
    if len(matches) == 1:
        return matches[0]
    raise ValidationError(
        [f"{path}: geen eenduidige laag met {level}grenzen (lagen: {', '.join(layers)})"]
    )


def _nesting(gdf: pd.DataFrame, source: str) -> list[str]:
    """BU04840306 lies in WK048403 in GM0484: the digits must agree."""
    out = []
    for bu, wk, gm in zip(gdf["buurtcode"], gdf["wijkcode"], gdf["gemeentecode"], strict=True):
        bu, wk, gm = str(bu), str(wk), str(gm)
        if not (BUURTCODE_RE.match(bu) and WIJKCODE_RE.match(wk) and GEMEENTECODE_RE.match(gm)):
            continue
        if bu[2:8] != wk[2:8]:
            out.append(
                f"{source}, veld 'wijkcode': buurt {bu} ligt volgens haar code niet in wijk: {wk!r}"
            )
        if wk[2:6] != gm[2:6]:
            out.append(f"{source}, veld 'gemeentecode': wijk {wk} hoort niet bij gemeente: {gm!r}")
    return out


def choose_gemeente(source: BoundarySource, gemeente: str | None) -> str | None:
    """The municipality to build: the one asked for, or the only one in the file.

    Reads only the code column, so a national file (14,000 buurten) is checked fast;
    several municipalities without a choice, or a choice the file lacks, is one line.
    """
    wanted = {"gemeentecode", "gm_code", "gemeente_code", "gemeentenaam", "gm_naam", "statcode"}
    wanted |= {"buurtcode", "bu_code", "buurt_code"}
    try:
        fields = pyogrio.read_info(source.path, layer=source.layer)["fields"]
        columns = [str(f) for f in fields if str(f).lower() in wanted]
        codes = pyogrio.read_dataframe(
            source.path, layer=source.layer, read_geometry=False, columns=columns
        )
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError):
        return gemeente  # unreadable: the loader reports it in its own words
    codes = _normalise(pd.DataFrame(codes), "buurt")
    if "gemeentecode" not in codes:
        return gemeente
    if gemeente is not None:
        _one_municipality(codes[codes["gemeentecode"] == gemeente], source, gemeente)
        return gemeente
    _one_municipality(codes, source, None)
    present = codes["gemeentecode"].dropna().astype(str).unique()
    return str(present[0]) if len(present) == 1 else None


def load_boundaries(
    data_dir: Path | str, *, gemeente: str | None = None, repairs: list[str] | None = None
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, dict[str, BoundarySource]]:
    """Find and load the buurten and wijken of one municipality in a data folder.

    Returns ``(buurten, wijken, sources)``. Missing boundaries, and problems in both
    levels, are reported together.
    """
    data_dir = Path(data_dir)
    if gemeente is not None:
        gemeente = gemeente.strip().upper()
        if not GEMEENTECODE_RE.match(gemeente):
            raise ValidationError(
                [f"--gemeente: verwacht een gemeentecode (GM + 4 cijfers): {gemeente!r}"]
            )
    sources = find_boundaries(data_dir)
    missing = [
        f"{data_dir}: geen {stem}-bestand gevonden (verwacht {stem}.geojson/.gpkg/.fgb/.shp, "
        "of de Wijk- en Buurtkaart van CBS/PDOK)"
        for level, stem in (("buurt", "buurten"), ("wijk", "wijken"))
        if level not in sources
    ]
    if missing:
        raise ValidationError(missing)
    gemeente = choose_gemeente(sources["buurt"], gemeente)
    problems: list[str] = []
    wijken = buurten = None
    try:
        wijken = load_wijken(
            sources["wijk"].path, layer=sources["wijk"].layer, gemeente=gemeente, repairs=repairs
        )
    except ValidationError as exc:
        problems += exc.problems
    try:
        buurten = load_buurten(
            sources["buurt"].path,
            layer=sources["buurt"].layer,
            wijken=wijken,
            gemeente=gemeente,
            repairs=repairs,
        )
    except ValidationError as exc:
        problems += exc.problems
    if problems:
        raise ValidationError(list(dict.fromkeys(problems)))
    assert buurten is not None and wijken is not None
    return buurten, wijken, sources
