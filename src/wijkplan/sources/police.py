"""The police's open data on registered crime and nuisance, per wijk and buurt, as published.

Tables (real-formats.md §4): 47018NED (yearly), 47022NED (monthly) and 47024NED
(nuisance registrations), in every published form (:mod:`.statline`): the R/OData
client CSV, the raw TypedDataSet CSV, the labelled download of the police portal
(``"Soort misdrijf";"Wijken en buurten";"Perioden";"Geregistreerde misdrijven
(aantal)"``, area *names*, ``.`` for missing) and OData JSON. Files are recognised
by their columns (:func:`is_police_table`), not their names.

Codes are stripped (``SoortMisdrijf`` is padded to 6, ``WijkenEnBuurten`` to 10);
``SoortMisdrijf`` codes map to our liveability categories through the config;
``0.0.0`` (Totaal misdrijven) is never summed with its parts: it is the registered
crime total, kept apart (:func:`police_yearly_totals` with ``total=True``). A table
holding only the total is complete data for that total.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from wijkplan.config import LiveabilityConfig, load_config
from wijkplan.problems import Problems
from wijkplan.sources.statline import (
    StatTable,
    codes_from_names,
    column_key,
    read_statline,
)

__all__ = [
    "CRIME_TOTAL",
    "is_police_table",
    "load_police_table",
    "police_yearly_totals",
]

#: The largest count the tables can hold (``GeregistreerdeMisdrijven_1`` is an Int32).
MAX_COUNT = 2_147_483_647
#: The ``SoortMisdrijf`` code of all registered crime together.
CRIME_TOTAL = "0.0.0"
#: Measure columns (key without suffix, or title without unit) and what they count.
_MEASURES = {
    "geregistreerdemisdrijven": "misdrijven",
    "geregistreerde misdrijven": "misdrijven",
    "geregistreerdeoverlast": "overlast",
    "geregistreerde overlast": "overlast",
    "registraties overlast": "overlast",
}
_DIMENSIONS = ("SoortMisdrijf", "Soort misdrijf", "SoortOverlast", "Soort overlast", "Overlast")
_AREAS = ("WijkenEnBuurten", "Wijken en buurten")
_PERIODS = ("Perioden",)
_PERIOD_RE = re.compile(r"^(\d{4})(JJ|MM|KW)(\d{2})$")
_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
#: Area codes as the police publish them (buurt codes may hold letters, e.g. BU0363AA06).
_AREA_RE = re.compile(r"^(NL\d{2}|GM\d{4}|WK[0-9A-Z]{6}|BU[0-9A-Z]{8})$")
_LEVELS = {"NL": "land", "GM": "gemeente", "WK": "wijk", "BU": "buurt"}
_SOORT_CODE_RE = re.compile(r"^(\d+\.\d+\.\d+)\b")


def _measure_column(table: StatTable) -> str | None:
    hits = [c for c in table.frame.columns if column_key(c).casefold() in _MEASURES]
    return hits[0] if len(hits) == 1 else None


def is_police_table(table: StatTable) -> bool:
    """A police table: an area column, a period column and a crime or nuisance measure."""
    return (
        table.column(*_AREAS) is not None
        and table.column(*_PERIODS) is not None
        and _measure_column(table) is not None
    )


def _periods(text: pd.Series) -> pd.DataFrame:
    """(year, JJ/KW/MM, number) from ``2023JJ00``/``2023MM01``/``2023KW02`` or the labelled
    forms ``2023``, ``2023*`` (provisional), ``2023 januari`` and ``2023 2e kwartaal``.

    >>> _periods(pd.Series(["2023JJ00", "2023*", "2023 maart", "2023 2e kwartaal", "x"])).values.tolist()
    [['2023', 'JJ', '00'], ['2023', 'JJ', '00'], ['2023', 'MM', '03'], ['2023', 'KW', '02'], [nan, nan, nan]]
    """
    s = text.astype("string").str.strip().str.rstrip("*").str.strip()
    out = s.str.extract(_PERIOD_RE).astype(object)
    labelled = s.str.extract(r"^(\d{4})(?: (\w+)| (\d)e kwartaal)?$")
    month = labelled[1].str.lower().map({m: f"{i:02d}" for i, m in enumerate(_MONTHS, start=1)})
    todo = out[0].isna() & labelled[0].notna()
    year = todo & labelled[1].isna() & labelled[2].isna()
    is_month = todo & month.notna()
    is_quarter = todo & labelled[2].notna()
    out.loc[year, [1, 2]] = ["JJ", "00"]
    out.loc[is_month, 1] = "MM"
    out.loc[is_month, 2] = month[is_month]
    out.loc[is_quarter, 1] = "KW"
    out.loc[is_quarter, 2] = "0" + labelled.loc[is_quarter, 2]
    out.loc[year | is_month | is_quarter, 0] = labelled.loc[year | is_month | is_quarter, 0]
    return out.where(out.notna(), np.nan)


def _soort_codes(values: pd.Series, measure: str) -> pd.Series:
    """Codes from codes (``'0.0.0 '``) or from labels (``Totaal misdrijven``, ``1.1.1 Diefstal/...``)."""
    s = values.astype("string").str.strip()
    code = s.str.extract(_SOORT_CODE_RE)[0]
    total = s.str.casefold().str.startswith("totaal")
    if measure == "misdrijven":
        code = code.mask(total & code.isna(), CRIME_TOTAL)
    else:
        code = code.mask(total & code.isna(), "TOTAAL")
    return code.fillna(s)


def load_police_table(
    source: StatTable | Path | str,
    *,
    config: LiveabilityConfig | None = None,
    names: dict[str, list[str]] | None = None,
) -> pd.DataFrame:
    """Load one police table (47018NED, 47022NED or 47024NED) in long form, any published form.

    Returns ``gebiedscode`` (stripped), ``niveau`` (buurt/wijk/gemeente/land),
    ``soort`` (stripped code; ``0.0.0`` is the crime total), ``categorie`` (our
    category, NA when unmapped), ``jaar``, ``periodetype`` (jaar/kwartaal/maand),
    ``periodenummer`` (0 for a year), ``aantal`` (Int64; NA where the table has no
    value, never 0) and ``tabel``. A labelled download names its areas: ``names``
    (name → codes, from the boundaries) turns them into codes; a name that matches
    no buurt or wijk, or several, is one line naming it.
    """
    config = config or load_config()
    table = source if isinstance(source, StatTable) else read_statline(source)
    path = table.path
    problems = Problems(str(path))
    raw = table.frame
    measure_col = _measure_column(table)
    dimension_col = table.column(*_DIMENSIONS)
    area_col = table.column(*_AREAS)
    period_col = table.column(*_PERIODS)
    for name, col in (("WijkenEnBuurten", area_col), ("Perioden", period_col)):
        if col is None:
            problems.add(name, "verplichte kolom ontbreekt")
    if measure_col is None:
        problems.add(
            None,
            "verwacht precies één kolom met de aantallen: GeregistreerdeMisdrijven_1 of "
            "'Geregistreerde misdrijven (aantal)', of GeregistreerdeOverlast_1",
        )
    if dimension_col is None:
        problems.add(None, f"verwacht een kolom {' of '.join(_DIMENSIONS[:2])} of Overlast")
    problems.raise_if_any()
    assert measure_col and dimension_col and area_col and period_col
    kind = _MEASURES[column_key(measure_col).casefold()]
    rows = pd.Series([f"rij {i + 2}" for i in range(len(raw))], index=raw.index)

    area = raw[area_col].str.strip()
    coded = area.str.upper().str.match(_AREA_RE).fillna(False)
    keep = pd.Series(True, index=raw.index)
    if names is not None and not coded.any():
        area, lines = codes_from_names(area, areas=names, source=str(path), field=area_col)
        problems.extend(lines)
        keep = area.notna()  # "Nederland" has no code here and is left out
    else:
        area = area.str.upper()
        problems.add_grouped(area_col, "onbekende gebiedscode", list(raw[area_col][~coded]))
    period = _periods(raw[period_col])
    bad_period = period[0].isna()
    problems.add_grouped(
        period_col,
        "onbekende periode (verwacht bijv. 2024JJ00, 2024MM01, 2024 of 2024 januari)",
        list(raw[period_col][bad_period]),
    )
    number = pd.to_numeric(period[2], errors="coerce")
    ptype = period[1].map({"JJ": "jaar", "KW": "kwartaal", "MM": "maand"})
    out_of_range = ~bad_period & (
        ((ptype == "jaar") & (number != 0))
        | ((ptype == "kwartaal") & ~number.between(1, 4))
        | ((ptype == "maand") & ~number.between(1, 12))
    )
    problems.add_grouped(period_col, "ongeldig periodenummer", list(raw[period_col][out_of_range]))
    soort = _soort_codes(raw[dimension_col], kind)
    text = raw[measure_col].str.strip()
    missing = text.isna() | text.isin(["", ".", "NA", "null", "None", "x", "X"])
    whole = text.str.fullmatch(r"\d{1,10}").fillna(False).astype(bool)
    count = pd.to_numeric(text.where(whole), errors="coerce")
    bad_count = (~missing & ~whole) | (count > MAX_COUNT)
    problems.add_capped(
        measure_col,
        f"geen geheel aantal van 0 tot en met {MAX_COUNT:,}".replace(",", "."),
        [f"{r}: {v}" for r, v in zip(rows[bad_count], text[bad_count], strict=True)],
    )
    key = pd.DataFrame({"gebied": area, "soort": soort, "periode": raw[period_col].str.strip()})
    twice = key[keep & key.duplicated(keep="first")]
    problems.add_capped(
        area_col,
        "zelfde gebied, soort en periode staan twee keer in het bestand",
        [f"{g} {s} {p}" for g, s, p in twice.itertuples(index=False)],
    )

    if kind == "misdrijven":
        category = soort.map(dict(config.police_codes)).astype("string")
        tabel = np.where(ptype == "maand", "47022NED", "47018NED")
    else:
        category, tabel = (
            _nuisance(soort, config, problems, dimension_col),
            np.full(len(raw), "47024NED"),
        )
    problems.raise_if_any()
    frame = pd.DataFrame(
        {
            "gebiedscode": area.astype(str),
            "niveau": area.astype(str).str[:2].map(_LEVELS).astype(str),
            "soort": soort,
            "categorie": category,
            "jaar": pd.to_numeric(period[0]).astype("int64"),
            "periodetype": ptype.astype(str),
            "periodenummer": number.astype("int64"),
            "aantal": count.astype("Int64"),
            "tabel": tabel,
        }
    )
    return frame[keep.to_numpy()].reset_index(drop=True)


def _nuisance(
    soort: pd.Series, config: LiveabilityConfig, problems: Problems, field: str
) -> pd.Series:
    """47024NED: the total of all nuisance registrations counts as the nuisance category."""
    codes = sorted(set(soort.dropna()))
    total = config.nuisance_total_code
    if "TOTAAL" in codes:  # the labelled download names the total
        chosen = soort == "TOTAAL"
    elif total:
        if total not in codes:
            problems.add(field, "totaalcode uit de configuratie staat niet in het bestand", total)
        chosen = soort == total
    elif len(codes) == 1:
        chosen = soort == codes[0]
    else:
        problems.add(
            field,
            "meer dan één overlastcode en geen totaalcode ingesteld "
            "(incidenten.politie_overlast.totaal_code in leefbaarheid.toml)",
            codes[:8],
        )
        chosen = pd.Series(False, index=soort.index)
    return pd.Series(pd.NA, index=soort.index, dtype="string").mask(
        chosen, config.nuisance_category
    )


def police_yearly_totals(
    police: pd.DataFrame, *, niveau: str = "buurt", total: bool = False
) -> pd.DataFrame:
    """Counts per area, year and category from :func:`load_police_table` output(s).

    ``total=False``: rows with one of our categories. ``total=True``: the registered
    crime total (``0.0.0``), as category ``misdrijven``. A year's figure is the yearly
    row when the table has one, else the sum of its months (or quarters); ``volledig``
    says whether all 12 months (4 quarters) were present. A missing value makes the
    sum missing (NA), never 0. Returns ``gebiedscode, jaar, categorie, aantal,
    volledig, tabel``.
    """
    df = police[police["niveau"] == niveau]
    if total:
        df = df[(df["soort"] == CRIME_TOTAL) & (df["tabel"] != "47024NED")]
        df = df.assign(categorie="misdrijven")
    else:
        df = df[df["categorie"].notna()]
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
    # a yearly figure wins over months or quarters of the same year
    both = pd.concat(parts, ignore_index=True)
    first = both.groupby(["gebiedscode", "jaar", "_familie"])["_rang"].transform("min")
    both = both[both["_rang"] == first]
    # crimes and nuisance registrations may both feed a category: add them up per year
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
