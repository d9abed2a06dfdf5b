"""Incidents: the municipality's own point records, and the police's open data per buurt.

(a) **Own records** (any OGR format): one point per incident with ``datum`` and
``categorie`` (vocabulary in ``config/leefbaarheid.toml``). :func:`load_incidents`
validates dates, categories and geometry (points inside the municipality), assigns
each point its buurt and wijk, and keeps *only* ``datum, jaar, categorie,
buurtcode, wijkcode, bron`` and the point: free text, names or addresses in the
export are dropped on load. Point records are input to the aggregation only; they
never go into the GeoPackage, an export or the app.

(b) **Police open data** (real-formats.md §4): tables 47018NED (yearly), 47022NED
(monthly) and 47024NED (nuisance) as OData ``TypedDataSet`` JSON or a StatLine CSV,
columns ``WijkenEnBuurten`` (space-padded to 10), ``SoortMisdrijf`` (space-padded
to 6, e.g. ``'1.4.6 '``), ``Perioden`` (``2024JJ00``, ``2024MM01``) and
``GeregistreerdeMisdrijven_1`` (``GeregistreerdeOverlast_1`` for 47024NED). Codes
are stripped; ``SoortMisdrijf`` codes map to our categories through the config
(``0.0.0``, the total, is never summed with its parts). :func:`police_yearly_totals`
turns either table into counts per area, year and category.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from wijkplan.config import LiveabilityConfig, load_config
from wijkplan.errors import SourceNotFoundError, ValidationError
from wijkplan.problems import Problems
from wijkplan.sources._io import read_vector
from wijkplan.sources.validate import require_columns, to_rd

__all__ = [
    "INCIDENT_COLUMNS",
    "POLICE_TABLES",
    "load_incidents",
    "load_police_table",
    "police_yearly_totals",
]

INCIDENT_COLUMNS = ("datum", "categorie")
#: Column names seen in municipal exports, mapped to ours (case-insensitive).
_SYNONYMS = {
    "date": "datum",
    "pleegdatum": "datum",
    "melddatum": "datum",
    "incidentdatum": "datum",
    "category": "categorie",
    "soort": "categorie",
    "incidentsoort": "categorie",
}
_DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S")

POLICE_TABLES = {
    "47018NED": "Geregistreerde misdrijven; soort misdrijf, wijk, buurt, jaarcijfers",
    "47022NED": "Geregistreerde misdrijven; soort misdrijf, wijk, buurt, maandcijfers",
    "47024NED": "Registraties overlast; soort overlast, wijk, buurt",
}
_MEASURES = {"GeregistreerdeMisdrijven_1": "misdrijven", "GeregistreerdeOverlast_1": "overlast"}
_DIMENSIONS = ("SoortMisdrijf", "SoortOverlast", "Overlast")
_PERIOD_RE = re.compile(r"^(\d{4})(JJ|MM|KW)(\d{2})$")
#: Area codes as the police publish them (buurt codes may hold letters, e.g. BU0363AA06).
_AREA_RE = re.compile(r"^(NL\d{2}|GM\d{4}|WK[0-9A-Z]{6}|BU[0-9A-Z]{8})$")
_LEVELS = {"NL": "land", "GM": "gemeente", "WK": "wijk", "BU": "buurt"}


def _parse_dates(values: pd.Series) -> pd.Series:
    """Timestamps (tz-naive, local time) from datetimes or ISO / Dutch day-first strings."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert("Europe/Amsterdam").dt.tz_localize(None)
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    text = values.astype("string").str.strip()
    iso = text.where(text.str.match(r"^\d{4}-\d{2}-\d{2}").fillna(False))
    try:
        out = pd.to_datetime(iso, format="ISO8601", errors="coerce")
    except (ValueError, TypeError):  # a mix of offsets and naive times: go through UTC
        out = pd.to_datetime(iso, format="ISO8601", errors="coerce", utc=True)
    if isinstance(out.dtype, pd.DatetimeTZDtype):
        out = out.dt.tz_convert("Europe/Amsterdam").dt.tz_localize(None)
    for fmt in _DATE_FORMATS:
        todo = out.isna() & text.notna()
        if not todo.any():
            break
        out[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    return out


def load_incidents(
    path: Path | str,
    *,
    buurten: gpd.GeoDataFrame,
    config: LiveabilityConfig | None = None,
    layer: str | None = None,
    today: dt.date | None = None,
) -> gpd.GeoDataFrame:
    """Load and validate the municipality's incident points (EPSG:28992).

    Every problem is reported together: missing columns, unparseable or future
    dates, unknown categories, null or non-point geometry and points outside
    ``buurten``. Returns ``datum`` (datetime64), ``jaar``, ``categorie``,
    ``buurtcode``, ``wijkcode``, ``bron`` and the point; nothing else is kept.
    """
    config = config or load_config()
    path = Path(path)
    problems = Problems(str(path))
    gdf = read_vector(path, layer=layer)
    lower = {c: c.strip().lower() for c in gdf.columns if c != gdf.geometry.name}
    gdf = gdf.rename(columns=lower)
    renames = {k: v for k, v in _SYNONYMS.items() if k in gdf.columns and v not in gdf.columns}
    gdf = gdf.rename(columns=renames)
    if not require_columns(gdf, INCIDENT_COLUMNS, problems):
        problems.raise_if_any()
    rd = to_rd(gdf, problems)
    rows = pd.Series([f"rij {i + 1}" for i in range(len(gdf))], index=gdf.index)

    datum = _parse_dates(gdf["datum"])
    empty = gdf["datum"].isna() | (gdf["datum"].astype("string").str.strip() == "")
    problems.add_capped("datum", "lege datum", list(rows[empty]))
    bad = datum.isna() & ~empty
    problems.add_capped(
        "datum",
        "geen datum (verwacht JJJJ-MM-DD of DD-MM-JJJJ)",
        [f"{r}: {v}" for r, v in zip(rows[bad], gdf["datum"][bad], strict=True)],
    )
    limit = pd.Timestamp(today or dt.date.today()) + pd.Timedelta(days=1)
    future = datum >= limit
    problems.add_capped(
        "datum",
        "datum in de toekomst",
        [f"{r}: {v.date()}" for r, v in zip(rows[future], datum[future], strict=True)],
    )

    cat = gdf["categorie"].astype("string").str.strip().str.lower()
    unknown = cat.isna() | ~cat.isin(config.categories)
    known = ", ".join(config.categories)
    problems.add_capped(
        "categorie",
        f"onbekende categorie (bekend: {known})",
        [f"{r}: {v}" for r, v in zip(rows[unknown], gdf["categorie"][unknown], strict=True)],
    )

    result: gpd.GeoDataFrame | None = None
    if rd is not None:
        geoms = rd.geometry
        null = geoms.isna() | geoms.is_empty
        problems.add_capped("geometry", "lege geometrie", list(rows[null]))
        kinds = geoms.geom_type
        single_multi = (
            (kinds == "MultiPoint")
            & ~null
            & (
                geoms.get_coordinates(index_parts=False)
                .groupby(level=0)
                .size()
                .reindex(geoms.index, fill_value=0)
                == 1
            )
        )
        points = (
            geoms.where(~single_multi, geoms[single_multi].centroid)
            if single_multi.any()
            else geoms
        )
        not_point = ~null & ~((kinds == "Point") | single_multi)
        problems.add_capped(
            "geometry",
            "geen punt",
            [f"{r}: {k}" for r, k in zip(rows[not_point], kinds[not_point], strict=True)],
        )
        ok = ~null & ~not_point
        pts = gpd.GeoDataFrame(
            {"_row": np.arange(int(ok.sum()))}, geometry=points[ok].to_numpy(), crs=rd.crs
        )
        bu = buurten[["buurtcode", "wijkcode", buurten.geometry.name]]
        joined = gpd.sjoin(pts, bu, how="left", predicate="intersects")
        joined = joined.sort_values(["_row", "buurtcode"]).drop_duplicates("_row")
        outside = joined["buurtcode"].isna().to_numpy()
        problems.add_capped(
            "geometry",
            "punt ligt buiten de gemeente",
            [
                f"{r}: ({p.x:.0f}, {p.y:.0f})"
                for r, p in zip(rows[ok][outside], pts.geometry[outside], strict=True)
            ],
        )
        if not problems.items:
            bron = (
                gdf["bron"].astype("string").fillna(path.name)
                if "bron" in gdf.columns
                else path.name
            )
            result = gpd.GeoDataFrame(
                {
                    "datum": datum.to_numpy(),
                    "jaar": datum.dt.year.astype("int64").to_numpy(),
                    "categorie": cat.astype(str).to_numpy(),
                    "buurtcode": joined["buurtcode"].to_numpy(),
                    "wijkcode": joined["wijkcode"].to_numpy(),
                    "bron": bron if isinstance(bron, str) else bron.to_numpy(),
                },
                geometry=points.to_numpy(),
                crs=rd.crs,
            )
    problems.raise_if_any()
    assert result is not None
    return result


def _read_police(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise SourceNotFoundError(f"{path}: bestand bestaat niet")
    if path.suffix.lower() == ".json":
        try:
            raw = json.loads(path.read_text(encoding="utf-8-sig"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValidationError([f"{path}: geen geldige JSON ({exc})"]) from exc
        records = raw.get("value", raw.get("d")) if isinstance(raw, dict) else raw
        if isinstance(records, dict) and "results" in records:
            records = records["results"]
        if not isinstance(records, list):
            raise ValidationError(
                [f"{path}: verwacht een OData-antwoord met 'value' (lijst van rijen)"]
            )
        frame = pd.DataFrame.from_records(records)
        return frame.astype("string")
    with path.open(encoding="utf-8-sig", errors="replace") as fh:
        header = fh.readline()
    sep = ";" if header.count(";") > header.count(",") else ","
    try:
        return pd.read_csv(
            path, sep=sep, dtype="string", keep_default_na=False, encoding="utf-8-sig"
        )
    except pd.errors.EmptyDataError as exc:
        raise ValidationError([f"{path}: het CSV-bestand is leeg"]) from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ValidationError(
            [f"{path}: geen leesbaar CSV-bestand ({str(exc).splitlines()[0]})"]
        ) from exc


def load_police_table(path: Path | str, *, config: LiveabilityConfig | None = None) -> pd.DataFrame:
    """Load one police open-data table (47018NED, 47022NED or 47024NED) in long form.

    Returns ``gebiedscode`` (stripped), ``niveau`` (buurt/wijk/gemeente/land),
    ``soort`` (stripped code), ``categorie`` (our category, NA when unmapped),
    ``jaar``, ``periodetype`` (jaar/kwartaal/maand), ``periodenummer`` (0 for a
    year), ``aantal`` (Int64; NA where the table has no value, never 0) and
    ``tabel``. A JSON file is an OData ``TypedDataSet`` answer; a CSV may be
    comma- or semicolon-separated (StatLine), with ``.`` for missing.
    """
    config = config or load_config()
    path = Path(path)
    problems = Problems(str(path))
    raw = _read_police(path)
    measure = [c for c in raw.columns if c in _MEASURES]
    dimension = [c for c in raw.columns if c in _DIMENSIONS]
    for col in ("WijkenEnBuurten", "Perioden"):
        if col not in raw.columns:
            problems.add(col, "verplichte kolom ontbreekt")
    if len(measure) != 1:
        problems.add(
            None, f"verwacht precies één van de kolommen {', '.join(_MEASURES)}", measure or None
        )
    if len(dimension) != 1:
        problems.add(
            None,
            f"verwacht precies één van de kolommen {', '.join(_DIMENSIONS)}",
            dimension or None,
        )
    problems.raise_if_any()
    kind = _MEASURES[measure[0]]
    rows = pd.Series([f"rij {i + 1}" for i in range(len(raw))], index=raw.index)

    area = raw["WijkenEnBuurten"].str.strip()
    bad_area = ~area.str.match(_AREA_RE).fillna(False)
    problems.add_capped(
        "WijkenEnBuurten",
        "onbekende gebiedscode",
        [
            f"{r}: {v!r}"
            for r, v in zip(rows[bad_area], raw["WijkenEnBuurten"][bad_area], strict=True)
        ],
    )
    period = raw["Perioden"].str.strip().str.extract(_PERIOD_RE)
    bad_period = period[0].isna()
    problems.add_capped(
        "Perioden",
        "onbekende periodecode (verwacht bijv. 2024JJ00 of 2024MM01)",
        [f"{r}: {v!r}" for r, v in zip(rows[bad_period], raw["Perioden"][bad_period], strict=True)],
    )
    number = pd.to_numeric(period[2], errors="coerce")
    ptype = period[1].map({"JJ": "jaar", "KW": "kwartaal", "MM": "maand"})
    out_of_range = ~bad_period & (
        ((ptype == "jaar") & (number != 0))
        | ((ptype == "kwartaal") & ~number.between(1, 4))
        | ((ptype == "maand") & ~number.between(1, 12))
    )
    problems.add_capped("Perioden", "ongeldig periodenummer", list(raw["Perioden"][out_of_range]))
    soort = raw[dimension[0]].str.strip()
    text = raw[measure[0]].str.strip()
    missing = text.isna() | text.isin(["", ".", "null", "None"])
    count = pd.to_numeric(text.where(~missing), errors="coerce")
    bad_count = (count.isna() & ~missing) | (count < 0) | (count % 1 != 0)
    problems.add_capped(
        measure[0],
        "geen geheel aantal ≥ 0",
        [f"{r}: {v}" for r, v in zip(rows[bad_count], text[bad_count], strict=True)],
    )

    if kind == "misdrijven":
        category = soort.map(dict(config.police_codes)).astype("string")
        table = np.where(ptype == "maand", "47022NED", "47018NED")
    else:
        codes = sorted(set(soort.dropna()))
        total = config.nuisance_total_code
        if total:
            if total not in codes:
                problems.add(
                    dimension[0], "totaalcode uit de configuratie staat niet in het bestand", total
                )
            chosen = soort == total
        elif len(codes) == 1:
            chosen = soort == codes[0]
        else:
            problems.add(
                dimension[0],
                "meer dan één overlastcode en geen totaalcode ingesteld "
                "(incidenten.politie_overlast.totaal_code in leefbaarheid.toml)",
                codes[:8],
            )
            chosen = pd.Series(False, index=raw.index)
        category = pd.Series(pd.NA, index=raw.index, dtype="string").mask(
            chosen, config.nuisance_category
        )
        table = np.full(len(raw), "47024NED")
    problems.raise_if_any()
    return pd.DataFrame(
        {
            "gebiedscode": area.astype(str),
            "niveau": area.str[:2].map(_LEVELS).astype(str),
            "soort": soort,
            "categorie": category,
            "jaar": pd.to_numeric(period[0]).astype("int64"),
            "periodetype": ptype.astype(str),
            "periodenummer": number.astype("int64"),
            "aantal": count.astype("Int64"),
            "tabel": table,
        }
    ).reset_index(drop=True)


def police_yearly_totals(police: pd.DataFrame, *, niveau: str = "buurt") -> pd.DataFrame:
    """Counts per area, year and category from :func:`load_police_table` output(s).

    Only rows with a category count. A year's figure is the yearly row when the
    table has one, else the sum of its months (or quarters); ``volledig`` says
    whether all 12 months (4 quarters) were present. A missing value makes the
    sum missing (NA), never 0. Returns ``gebiedscode, jaar, categorie, aantal,
    volledig, tabel``.
    """
    df = police[(police["niveau"] == niveau) & police["categorie"].notna()]
    df = df.assign(_familie=np.where(df["tabel"] == "47024NED", "overlast", "misdrijven"))
    keys = ["gebiedscode", "jaar", "categorie", "_familie"]
    parts: list[pd.DataFrame] = []
    for ptype, expected in (("jaar", 1), ("kwartaal", 4), ("maand", 12)):
        sub = df[df["periodetype"] == ptype]
        if sub.empty:
            continue
        g = sub.groupby(keys, sort=True)
        p = g["aantal"].agg(_sum_or_na).astype("Int64").reset_index()
        p["volledig"] = g["periodenummer"].nunique().to_numpy() == expected
        p["tabel"] = g["tabel"].agg(lambda s: "+".join(sorted(set(s)))).to_numpy()
        p["_rang"] = len(parts)
        parts.append(p)
    if not parts:
        return pd.DataFrame(
            {
                "gebiedscode": pd.Series([], dtype=str),
                "jaar": pd.Series([], dtype="int64"),
                "categorie": pd.Series([], dtype=str),
                "aantal": pd.array([], dtype="Int64"),
                "volledig": pd.Series([], dtype=bool),
                "tabel": pd.Series([], dtype=str),
            }
        )
    # Per area, year and table family the finest-grained complete source is not needed:
    # a yearly figure wins over months or quarters of the same year.
    both = pd.concat(parts, ignore_index=True)
    first = both.groupby(["gebiedscode", "jaar", "_familie"])["_rang"].transform("min")
    both = both[both["_rang"] == first]
    # Crimes and nuisance registrations may both feed a category: add them up per year.
    g = both.groupby(["gebiedscode", "jaar", "categorie"], sort=True)
    return pd.DataFrame(
        {
            "aantal": g["aantal"].agg(_sum_or_na).astype("Int64"),
            "volledig": g["volledig"].all(),
            "tabel": g["tabel"].agg(lambda s: "+".join(sorted(set(s)))),
        }
    ).reset_index()


def _sum_or_na(values: pd.Series) -> object:
    """Sum of counts, NA when any is missing (a missing count is not a zero)."""
    values = values.astype("Int64")
    return pd.NA if values.isna().any() else int(values.sum())
