"""Leefbaarometer 3.x open data: scores per 100 m cell, turned into an RD-aligned GeoTIFF.

The real format (real-formats.md §1) is a *long* CSV, one row per cell per
measurement year::

    grid_id,jaar,lbm,afw,fys,onv,soc,vrz,won
    E1213N4879,2024,4.5682,0.5226,...

comma-separated with a decimal point (the open-data file reads with a plain
``pandas.read_csv``), plus a GeoPackage ``grid <jaar>.gpkg`` with ``grid_id`` and
the cell geometry in EPSG:28992. ``grid_id`` ``E1213N4879`` names the lower-left
corner of the 100 m cell in RD hectometres (x = 121 300 m, y = 487 900 m); the
corner is inferred from one sample, so :func:`load_leefbaarometer_cells` checks it
against the cell geometry whenever the GeoPackage is given.

``lbm`` is the absolute total score, ``afw`` its deviation from the national mean
of that measurement, and ``won fys vrz soc onv`` the five dimensions, also as
deviations. A file re-saved by Dutch Excel (``;`` and a decimal comma) is read too.
A ``bron`` column is not part of the real format; generated sample data carries
one and the mark is kept (in the frame and as a GeoTIFF tag) so the app can show
its sample-data notice.

This module only reads and validates. :mod:`wijkplan.build.rasters` writes the
scores as the GeoTIFF that the zonal statistics read (float32, one band per score,
nodata ``-9999``, on the RD 100 m grid); :func:`open_liveability_raster` reads such a
GeoTIFF, ours or a user's.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
import rasterio
from affine import Affine
from rasterio.crs import CRS

from wijkplan.config import SCORE_COLUMNS
from wijkplan.errors import SourceNotFoundError, ValidationError
from wijkplan.problems import Problems
from wijkplan.settings import BUURTCODE_RE, is_sample
from wijkplan.sources._io import read_vector
from wijkplan.sources.statline import read_text
from wijkplan.sources.validate import ColumnsWarning, SourceWarning, to_rd

__all__ = [
    "CELL",
    "NODATA",
    "SCORE_COLUMNS",
    "CellsWarning",
    "LiveabilityRaster",
    "check_liveability_raster",
    "find_leefbaarometer",
    "find_leefbaarometer_areas",
    "find_liveability_rasters",
    "grid_id_of",
    "load_leefbaarometer",
    "load_leefbaarometer_areas",
    "load_leefbaarometer_cells",
    "open_liveability_raster",
    "parse_grid_id",
    "raster_tags",
    "warn_missing_cells",
]

#: Cell size of the Leefbaarometer grid in metres.
CELL = 100
#: Nodata value of the GeoTIFFs we write (scores never come near it).
NODATA = -9999.0
#: Columns of the real scores CSV (besides the scores); ``bron`` is our sample mark.
KEY, YEAR = "grid_id", "jaar"
OPTIONAL_COLUMNS = ("bron",)
#: Leefbaarometer 2.0 columns (2016 and older); recognised only to explain the refusal.
_LBM2_COLUMNS = ("rlbbev", "rlbfys", "rlbrmtr", "rlbvei", "rlbvrz", "rlbwon")
GRID_ID_RE = re.compile(r"^E(\d{3,4})N(\d{4})$")
#: Plausible RD range in hectometres (the RD New domain, with margin).
_E_RANGE, _N_RANGE = (0, 3000), (2800, 6300)
#: Names under which :func:`find_leefbaarometer` recognises the files in a data directory.
CSV_GLOBS = ("Leefbaarometer-scores grids*.csv", "leefbaarometer*.csv")
GPKG_GLOBS = ("grid *.gpkg", "leefbaarometer*.gpkg")


class CellsWarning(SourceWarning):
    """Scored cells lack a geometry in the cell GeoPackage (their grid_id still places them)."""


class LiveabilityRaster(NamedTuple):
    """A liveability raster in memory: nodata is NaN, bands in ``band_names`` order."""

    data: np.ndarray
    transform: Affine
    crs: CRS
    band_names: tuple[str, ...]


def parse_grid_id(ids: Iterable[str] | pd.Series) -> pd.DataFrame:
    """RD lower-left corner (metres) of each ``grid_id``; malformed ids give NaN.

    >>> parse_grid_id(["E1213N4879", "x"]).to_dict("list")
    {'x': [121300.0, nan], 'y': [487900.0, nan]}
    """
    s = pd.Series(ids, dtype="string") if not isinstance(ids, pd.Series) else ids.astype("string")
    parts = s.str.strip().str.extract(GRID_ID_RE)
    e = pd.to_numeric(parts[0], errors="coerce")
    n = pd.to_numeric(parts[1], errors="coerce")
    ok = e.between(*_E_RANGE) & n.between(*_N_RANGE)
    x = (e * CELL).where(ok).astype("float64")
    y = (n * CELL).where(ok).astype("float64")
    return pd.DataFrame({"x": x.to_numpy(), "y": y.to_numpy()}, index=s.index)


def grid_id_of(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The ``grid_id`` of the cells whose lower-left corners are ``x``, ``y`` (metres).

    >>> grid_id_of(np.array([121300.0]), np.array([487900.0])).tolist()
    ['E1213N4879']
    """
    e = np.floor(np.asarray(x) / CELL).astype(np.int64)
    n = np.floor(np.asarray(y) / CELL).astype(np.int64)
    return np.char.add(np.char.add("E", e.astype(str)), np.char.add("N", n.astype(str)))


def find_leefbaarometer(data_dir: Path | str) -> tuple[Path | None, Path | None]:
    """The scores CSV and the cell GeoPackage in ``data_dir`` (real or our names), else None.

    More than one candidate of a kind is refused, as in :func:`wijkplan.sources._io.find_source`.
    """
    data_dir = Path(data_dir)
    found: list[Path | None] = []
    for globs in (CSV_GLOBS, GPKG_GLOBS):
        hits = sorted(
            {p for g in globs for p in data_dir.glob(g) if p.is_file() and not _is_area_file(p)}
        )
        if len(hits) > 1:
            # a real download next to our generated sample: the real one wins
            real = [p for p in hits if not file_is_sample(p)]
            hits = real if len(real) == 1 else hits
        if len(hits) > 1:
            names = ", ".join(p.name for p in hits)
            raise ValidationError([f"{data_dir}: meer dan één Leefbaarometer-bestand ({names})"])
        found.append(hits[0] if hits else None)
    return found[0], found[1]


def find_liveability_rasters(data_dir: Path | str) -> dict[int, Path]:
    """The GeoTIFFs a user already has (``leefbaarometer*.tif``), by measurement year.

    The year is the tag ``jaar`` (as wijkplan writes it) or a year in the file name;
    a file without a year, or two files of one year, are refused.
    """
    found: dict[int, Path] = {}
    problems = []
    for tif in sorted(Path(data_dir).glob("leefbaarometer*.tif")):
        tags = raster_tags(tif)
        candidates = [tags.get("jaar", ""), *re.findall(r"(?:19|20)\d\d", tif.stem)]
        year = next(
            (c.strip() for c in candidates if re.fullmatch(r"\s*(?:19|20)\d\d\s*", c)), None
        )
        if year is None:
            problems.append(
                f"{tif}: meetjaar onbekend (tag 'jaar' {tags.get('jaar')!r} en geen jaartal in de bestandsnaam)"
            )
        elif int(year) in found:
            problems.append(f"{tif}: meetjaar {year} komt ook voor in {found[int(year)].name}")
        else:
            found[int(year)] = tif
    if problems:
        raise ValidationError(problems)
    return found


def file_is_sample(path: Path) -> bool:
    """True if every row of a scores CSV or cell GeoPackage carries the sample mark in ``bron``."""
    try:
        if path.suffix.lower() == ".csv":
            bron = pd.read_csv(
                path, usecols=lambda c: c.strip().lower() == "bron", sep=None, engine="python"
            )
        else:
            bron = pd.DataFrame(pyogrio.read_dataframe(path, columns=["bron"], read_geometry=False))
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError, pyogrio.errors.DataSourceError):
        return False  # unreadable: treat as real, never overwrite or skip it
    return bron.shape[1] == 1 and len(bron) > 0 and bool(bron.iloc[:, 0].map(is_sample).all())


def _read_csv(path: Path) -> tuple[pd.DataFrame, bool]:
    if not path.is_file():
        raise SourceNotFoundError(f"{path}: bestand bestaat niet")
    # UTF-8 as published; a Dutch Excel re-save is Windows-1252 or UTF-16 ("Unicode-tekst")
    text = read_text(path)
    # The published file is comma-separated; a Dutch Excel re-save uses ';' and a decimal comma.
    header = text.split("\n", 1)[0]
    semicolon = header.count(";") > header.count(",")
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=";" if semicolon else ",",
            dtype=str,
            keep_default_na=False,
        )
    except pd.errors.EmptyDataError as exc:
        raise ValidationError([f"{path}: het CSV-bestand is leeg"]) from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        first = str(exc).strip().splitlines()[0]
        raise ValidationError([f"{path}: geen leesbaar CSV-bestand ({first})"]) from exc
    return frame, semicolon


#: How the open data (or a re-save) writes a missing score. A literal ``NaN`` is not
#: among them: the publisher writes ``NA`` or nothing, so ``NaN`` is refused as no number.
_MISSING_SCORES = ("", "NA", ".", "null")
#: Plausible ranges. The Leefbaarometer publishes no hard bounds: the total ``lbm`` is
#: an absolute score of about 3.4-5.0 per cell, ``afw`` and the five dimensions are
#: deviations of about -0.5..+0.7 (see docs). These envelopes are generous; a value
#: outside them is an error in the file, not a very (un)liveable place.
SCORE_RANGES = {
    "lbm": (0.0, 10.0),
    **{c: (-5.0, 5.0) for c in ("afw", "won", "fys", "vrz", "soc", "onv")},
}
#: The first measurement year of Leefbaarometer 3.x (computed back to 2002).
FIRST_YEAR = 2002
#: The per-area files: area key column and how it is checked.
AREA_KEY = "bu_code"


def _is_area_file(path: Path) -> bool:
    """A per-buurt scores file, whatever its case (never taken for the grid file)."""
    return path.name.lower().startswith("leefbaarometer-scores buurten")


def _load_scores(
    path: Path, *, key: str, extra_columns: str, optional: tuple[str, ...]
) -> tuple[pd.DataFrame, pd.DataFrame, Problems]:
    """Scores of a Leefbaarometer CSV (grid or area level): key, year, the seven scores.

    Unknown columns are refused (``extra_columns="error"``), or left out with a
    :class:`ColumnsWarning` (``"warn"``, the default of the loaders).
    """
    problems = Problems(str(path))
    raw, decimal_comma = _read_csv(path)
    raw = raw.rename(columns={c: c.strip().lower() for c in raw.columns})
    if any(c in raw.columns for c in _LBM2_COLUMNS):
        problems.add(
            None, "Leefbaarometer 2.0-formaat (rlb*-kolommen); verwacht 3.x (lbm, afw, ...)"
        )
        problems.raise_if_any()
    for c in (key, YEAR, *SCORE_COLUMNS):
        if c not in raw.columns:
            problems.add(c, "verplichte kolom ontbreekt")
    if extra_columns not in ("error", "warn"):
        raise ValueError("extra_columns must be 'error' or 'warn'")
    known = {key, YEAR, *SCORE_COLUMNS, *optional}
    unknown = [c for c in raw.columns if c not in known]
    if unknown and extra_columns == "error":
        for c in unknown:
            problems.add(c, "onbekende kolom", c)
    problems.raise_if_any()
    ids = raw[key].str.strip()
    year = pd.to_numeric(raw[YEAR].str.strip(), errors="coerce")
    not_year = year.isna() | (year % 1 != 0)
    problems.add_capped(YEAR, "geen jaartal", list(raw[YEAR][not_year]))
    last = dt.date.today().year
    odd = ~not_year & ((year < FIRST_YEAR) | (year > last))
    problems.add_grouped(
        YEAR,
        f"jaartal buiten {FIRST_YEAR}..{last} (de metingen van de Leefbaarometer)",
        list(raw[YEAR][odd].str.strip()),
    )
    year = year.where(~odd)
    scores: dict[str, pd.Series] = {}
    for col in SCORE_COLUMNS:
        text = raw[col].str.strip()
        if decimal_comma:
            text = text.str.replace(",", ".", regex=False)  # decimal comma in a ';' file
        missing = text.isin(_MISSING_SCORES)
        values = pd.to_numeric(text.where(~missing), errors="coerce")
        bad = text[~missing & values.isna()]
        problems.add_capped(
            col, "geen getal", [f"{g}: {v}" for g, v in zip(ids[bad.index], bad, strict=True)]
        )
        infinite = values[np.isinf(values.to_numpy(dtype="float64", na_value=np.nan))]
        problems.add_capped(col, "oneindige waarde", list(ids[infinite.index]))
        low, high = SCORE_RANGES.get(col, (-np.inf, np.inf))
        finite = values.notna() & ~values.index.isin(infinite.index)
        outside = text[finite & ((values < low) | (values > high))]
        problems.add_capped(
            col,
            f"score buiten het bereik {low:g}..{high:g}",
            [f"{g}: {v}" for g, v in zip(ids[outside.index], outside, strict=True)],
        )
        scores[col] = values.astype("float64")
    frame = pd.DataFrame({key: ids, YEAR: year, **scores})
    if unknown:
        warnings.warn(
            f"{path}: onbekende kolommen overgeslagen: {', '.join(unknown)}",
            ColumnsWarning,
            stacklevel=3,
        )
    return raw, frame, problems


def _finish_scores(
    raw: pd.DataFrame,
    frame: pd.DataFrame,
    problems: Problems,
    *,
    key: str,
    path: Path,
    years: Iterable[int] | None,
) -> pd.DataFrame:
    dup = frame[frame.duplicated([key, YEAR], keep="first") & frame[key].notna()]
    problems.add_capped(
        key,
        "dubbel in hetzelfde jaar",
        [f"{g} ({j:g})" for g, j in zip(dup[key], dup[YEAR], strict=True)],
    )
    problems.raise_if_any()
    frame[YEAR] = frame[YEAR].astype("int64")
    default = "Leefbaarometer " + frame[YEAR].astype(str)
    bron = raw["bron"].str.strip() if "bron" in raw.columns else pd.Series("", index=raw.index)
    frame["bron"] = bron.where(bron != "", default)
    if years is not None:
        wanted = {int(y) for y in years}
        absent = sorted(wanted - set(frame[YEAR]))
        if absent:
            have = ", ".join(str(y) for y in sorted(set(frame[YEAR])))
            raise ValidationError(
                [f"{path}, veld 'jaar': jaar niet in het bestand (wel: {have}): {absent}"]
            )
        frame = frame[frame[YEAR].isin(wanted)]
    return frame.sort_values([YEAR, key]).reset_index(drop=True)


def load_leefbaarometer(
    path: Path | str,
    *,
    years: Iterable[int] | None = None,
    extra_columns: str = "warn",
) -> pd.DataFrame:
    """Load and validate a Leefbaarometer 3.x scores CSV (grid level).

    Returns one row per cell per year with ``grid_id``, ``jaar`` (int), ``x``/``y``
    (lower-left corner, m, EPSG:28992), the seven scores (float, NaN where empty or
    ``NA``) and ``bron`` (the file's own mark when present, else "Leefbaarometer
    <jaar>"). ``years`` keeps only those years. Columns that are not part of the
    format are left out with a :class:`ColumnsWarning` (``extra_columns="error"``
    refuses them). Problems (malformed ``grid_id``,
    non-numeric score, duplicate cell-year, missing column) are reported together.
    """
    path = Path(path)
    raw, frame, problems = _load_scores(
        path, key=KEY, extra_columns=extra_columns, optional=OPTIONAL_COLUMNS
    )
    xy = parse_grid_id(frame[KEY])
    problems.add_capped(
        KEY,
        "onjuist gevormde grid_id (verwacht bijv. 'E1213N4879')",
        list(frame[KEY][xy["x"].isna()]),
    )
    frame.insert(2, "x", xy["x"])
    frame.insert(3, "y", xy["y"])
    return _finish_scores(raw, frame, problems, key=KEY, path=path, years=years)


def load_leefbaarometer_areas(path: Path | str, *, extra_columns: str = "warn") -> pd.DataFrame:
    """The Leefbaarometer's own scores per buurt (``Leefbaarometer-scores buurten 2002-2024.csv``).

    Returns ``buurtcode`` (from ``bu_code``), ``jaar``, the seven scores (NaN where the
    file has none) and ``bron``; unknown columns as in :func:`load_leefbaarometer`.
    """
    path = Path(path)
    raw, frame, problems = _load_scores(
        path, key=AREA_KEY, extra_columns=extra_columns, optional=(*OPTIONAL_COLUMNS, "bu_naam")
    )
    codes = frame[AREA_KEY].str.upper()
    bad = codes[~codes.str.match(BUURTCODE_RE).fillna(False)]
    problems.add_capped(AREA_KEY, "onjuist gevormde buurtcode", list(bad))
    frame[AREA_KEY] = codes
    out = _finish_scores(raw, frame, problems, key=AREA_KEY, path=path, years=None)
    return out.rename(columns={AREA_KEY: "buurtcode"})


def find_leefbaarometer_areas(data_dir: Path | str) -> Path | None:
    """The per-buurt scores file in ``data_dir`` (its published name), else None."""
    hits = sorted(
        p
        for p in Path(data_dir).glob("*")
        if p.is_file() and p.suffix.lower() == ".csv" and _is_area_file(p)
    )
    if len(hits) > 1:
        raise ValidationError(
            [
                f"{data_dir}: meer dan één Leefbaarometer-buurtbestand ({', '.join(p.name for p in hits)})"
            ]
        )
    return hits[0] if hits else None


def load_leefbaarometer_cells(path: Path | str, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Load and validate the Leefbaarometer cell GeoPackage (``grid_id`` + geometry, RD).

    Each cell must lie inside the 100 m square its ``grid_id`` names (the published
    cells may be clipped, so they need not be full squares). A CRS other than
    EPSG:28992 is reprojected; a file without CRS is refused.
    """
    problems = Problems(str(path))
    gdf = read_vector(path, layer=layer)
    gdf = gdf.rename(columns={c: c.lower() for c in gdf.columns if c != gdf.geometry.name})
    if KEY not in gdf.columns:
        problems.add(KEY, "verplichte kolom ontbreekt")
        problems.raise_if_any()
    rd = to_rd(gdf, problems)
    problems.raise_if_any()
    assert rd is not None
    ids = rd[KEY].astype("string").str.strip()
    xy = parse_grid_id(ids)
    problems.add_capped(KEY, "onjuist gevormde grid_id", list(ids[xy["x"].isna()]))
    dup = ids[ids.duplicated() & ids.notna()]
    problems.add_capped(KEY, "dubbele grid_id", list(dup))
    geoms = rd.geometry
    empty = geoms.isna() | geoms.is_empty
    problems.add_capped("geometry", "lege geometrie", list(ids[empty]))
    ok = ~empty & xy["x"].notna()
    if ok.any():
        b = geoms[ok].bounds
        x0, y0 = xy.loc[ok, "x"], xy.loc[ok, "y"]
        tol = 0.01 * CELL
        inside = (
            (b["minx"] >= x0 - tol)
            & (b["miny"] >= y0 - tol)
            & (b["maxx"] <= x0 + CELL + tol)
            & (b["maxy"] <= y0 + CELL + tol)
        )
        wrong = ids[ok][~inside]
        problems.add_capped(
            KEY,
            "cel ligt niet in het vak dat de grid_id noemt (linkeronderhoek in hm verwacht)",
            [
                f"{g}: {tuple(round(v) for v in b.loc[i, ['minx', 'miny']])}"
                for i, g in wrong.items()
            ],
        )
    problems.raise_if_any()
    return rd.assign(**{KEY: ids}).reset_index(drop=True)


def _open_raster(path: Path) -> rasterio.io.DatasetReader:
    if not path.is_file():
        raise SourceNotFoundError(f"{path}: bestand bestaat niet")
    try:
        return rasterio.open(path)
    except rasterio.errors.RasterioIOError as exc:
        raise ValidationError(
            [f"{path}: geen leesbaar rasterbestand ({str(exc).splitlines()[0]})"]
        ) from exc


def _raster_problems(
    src: rasterio.io.DatasetReader, problems: Problems, band_names: Sequence[str] | None
) -> tuple[str, ...]:
    """Record what is wrong with an opened liveability raster; return its band names.

    A raster in another CRS than EPSG:28992 is refused with that one line (its cell
    size is then not checked: in degrees or another grid it means nothing). The
    Leefbaarometer is published on the 100 m RD grid; resampling a reprojected copy
    back would change the scores, so it is not done silently.
    """
    crs, transform = src.crs, src.transform
    if crs is None:
        problems.add("crs", "raster heeft geen coördinatenstelsel; verwacht EPSG:28992")
    elif crs.to_epsg() != 28992:
        problems.add(
            "crs",
            "raster is niet in EPSG:28992 (RD New), het stelsel van het 100 m-raster van de "
            "Leefbaarometer; gebruik het gepubliceerde bestand, geen omgerekende kopie",
            crs.to_string(),
        )
    elif transform.b != 0 or transform.d != 0:
        problems.add("transform", "raster is gedraaid; verwacht noord-boven", tuple(transform)[:6])
    elif not (
        abs(abs(transform.a) - CELL) <= 0.05 * CELL and abs(abs(transform.e) - CELL) <= 0.05 * CELL
    ):
        problems.add("transform", f"celgrootte is geen {CELL} m", (transform.a, transform.e))
    descriptions = tuple((d or "").strip().lower() for d in src.descriptions)
    names = tuple(n.strip().lower() for n in band_names) if band_names is not None else descriptions
    if len(names) != src.count:
        problems.add("band_names", f"{len(names)} namen voor {src.count} banden", names)
    elif any(not n for n in names):
        problems.add("band_names", "banden zonder beschrijving; geef band_names mee", names)
    elif len(set(names)) != len(names):
        problems.add("band_names", "dubbele bandnamen", names)
    elif not ({"afw", "lbm"} & set(names)):
        problems.add("band_names", "geen band 'afw' of 'lbm'", names)
    return names


def open_liveability_raster(
    path: Path | str, *, band_names: Sequence[str] | None = None
) -> LiveabilityRaster:
    """Read a liveability GeoTIFF (ours or a user's) into memory, nodata as NaN.

    The raster must be in EPSG:28992, north-up, with square cells of about 100 m
    (within 5 %). Band names come from the band descriptions, or from ``band_names``
    when the file has none; they must be unique, and at least ``afw`` or ``lbm`` must
    be present.
    """
    path = Path(path)
    problems = Problems(str(path))
    with _open_raster(path) as src:
        names = _raster_problems(src, problems, band_names)
        problems.raise_if_any()
        crs, transform = src.crs, src.transform
        data = src.read(masked=True).astype("float32")
    filled = data.filled(np.nan)
    assert crs is not None
    return LiveabilityRaster(np.asarray(filled), transform, crs, names)


def check_liveability_raster(
    path: Path | str, *, bounds: tuple[float, float, float, float], required: Sequence[str]
) -> None:
    """Refuse a user's liveability GeoTIFF that the build cannot use, in one line each.

    Besides the checks of :func:`open_liveability_raster`: every band in ``required``
    (the scores the layers hold) must be present, and at least one cell within
    ``bounds`` (the municipality, in RD) must hold a score; a raster that is nodata
    everywhere there is another area's file or an empty export, not a finding.
    Reads only the window over ``bounds``.
    """
    from rasterio.windows import Window, from_bounds

    path = Path(path)
    problems = Problems(str(path))
    with _open_raster(path) as src:
        names = _raster_problems(src, problems, None)
        problems.raise_if_any()
        missing = [b for b in required if b not in names]
        if missing:
            problems.add("band_names", "ontbrekende banden", ", ".join(missing))
            problems.raise_if_any()
        w = from_bounds(*bounds, transform=src.transform)
        col0, row0 = max(math.floor(w.col_off), 0), max(math.floor(w.row_off), 0)
        col1 = min(math.ceil(w.col_off + w.width), src.width)
        row1 = min(math.ceil(w.row_off + w.height), src.height)
        scored = (
            col0 < col1
            and row0 < row1
            and bool(
                np.isfinite(
                    src.read(masked=True, window=Window(col0, row0, col1 - col0, row1 - row0))
                    .astype("float32")
                    .filled(np.nan)
                ).any()
            )
        )
        if not scored:
            problems.add(
                None,
                "geen enkele score binnen de gemeente: alle cellen daar zijn nodata "
                "(of het raster ligt ergens anders)",
            )
    problems.raise_if_any()


def raster_tags(path: Path | str) -> dict[str, str]:
    """The dataset tags of a GeoTIFF (``jaar``, ``bron``, ... for the ones we write).

    The app uses ``bron`` with :func:`wijkplan.settings.is_sample` for its notice.
    """
    try:
        with rasterio.open(path) as src:
            return dict(src.tags())
    except rasterio.errors.RasterioIOError as exc:
        raise ValidationError(
            [f"{path}: geen leesbaar rasterbestand ({str(exc).splitlines()[0]})"]
        ) from exc


def warn_missing_cells(scores: pd.DataFrame, cells: pd.DataFrame) -> int:
    """Warn (not refuse) about scored cells absent from the cell GeoPackage; returns the count.

    Their position is known from the ``grid_id`` itself, so the raster is unaffected;
    a missing geometry only matters for a map of cells.
    """
    missing = set(scores[KEY]) - set(cells[KEY])
    if missing:
        example = ", ".join(sorted(missing)[:3])
        warnings.warn(
            f"{len(missing)} cellen met een score ontbreken in het celbestand (bijv. {example})",
            CellsWarning,
            stacklevel=2,
        )
    return len(missing)
