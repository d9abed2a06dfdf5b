"""CBS Kerncijfers wijken en buurten under their published names, mapped to ours in one place.

The same figure reaches wijkplan under several names (real-formats.md §2-3):

- the PDOK Wijk- en Buurtkaart GeoPackage: ``aantal_inwoners``,
  ``bevolkingsdichtheid_inwoners_per_km2``, ``oppervlakte_land_in_ha``,
  ``perc_huurwoningen_in_bezit_woningcorporaties``, ...;
- the older CBS shapefiles: ``AANT_INW``, ``BEV_DICHTH``, ``OPP_LAND``, ...;
- StatLine table 85984NED: keys ``AantalInwoners_5``, ``InBezitWoningcorporatie_49``
  (the numeric suffix changes every year: we match the name part) and, in the
  labelled download, titles such as ``"Aantal inwoners (aantal)"``.

:data:`PUBLISHED` maps each of our names (declared in :mod:`wijkplan.catalogue`)
to those published names. CBS's negative sentinels (-99995: not available,
-99997: secret) and StatLine's ``.``/``x`` become missing values, and the reason is
kept in ``kerncijfers_ontbreekt`` so that the app shows "geheim" or "niet
beschikbaar", never a number. This module only reads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wijkplan.catalogue import FIGURE_COLUMNS, join_pairs
from wijkplan.problems import Problems
from wijkplan.sources.statline import (
    StatTable,
    codes_from_names,
    column_key,
    parse_numbers,
    title_key,
)


@dataclass(frozen=True)
class Published:
    """The published names of one figure: PDOK/shapefile columns, StatLine key and title."""

    columns: tuple[str, ...]
    key: str
    title: str


#: Our name → its published names. StatLine keys without their yearly suffix.
PUBLISHED: dict[str, Published] = {
    "aantal_inwoners": Published(
        ("aantal_inwoners", "aant_inw"), "AantalInwoners", "Aantal inwoners"
    ),
    "mannen": Published(("mannen", "aant_man"), "Mannen", "Mannen"),
    "vrouwen": Published(("vrouwen", "aant_vrouw"), "Vrouwen", "Vrouwen"),
    "aantal_huishoudens": Published(
        ("aantal_huishoudens", "aantal_hh"), "HuishoudensTotaal", "Huishoudens totaal"
    ),
    "woningvoorraad": Published(("woningvoorraad", "woningen"), "Woningvoorraad", "Woningvoorraad"),
    "bevolkingsdichtheid_per_km2": Published(
        ("bevolkingsdichtheid_inwoners_per_km2", "bevolkingsdichtheid_per_km2", "bev_dichth"),
        "Bevolkingsdichtheid",
        "Bevolkingsdichtheid",
    ),
    "gemiddelde_woz_waarde": Published(
        ("gemiddelde_woningwaarde", "woz"),
        "GemiddeldeWOZWaardeVanWoningen",
        "Gemiddelde WOZ-waarde van woningen",
    ),
    "pct_koopwoningen": Published(
        ("percentage_koopwoningen", "p_koopwon"), "Koopwoningen", "Koopwoningen"
    ),
    "pct_huurwoningen": Published(
        ("percentage_huurwoningen", "p_huurwon"), "HuurwoningenTotaal", "Huurwoningen totaal"
    ),
    "pct_corporatiebezit": Published(
        ("perc_huurwoningen_in_bezit_woningcorporaties", "p_wcorpw"),
        "InBezitWoningcorporatie",
        "In bezit woningcorporatie",
    ),
    "gemiddeld_gasverbruik": Published(
        ("gemiddeld_gasverbruik_totaal", "g_gas_tot"),
        "GemiddeldAardgasverbruikTotaal",
        "Gemiddeld aardgasverbruik totaal",
    ),
    "pct_stadsverwarming": Published(
        ("percentage_woningen_met_stadsverwarming", "p_stadverw"),
        "PercentageWoningenMetStadsverwarming",
        "Percentage woningen met stadsverwarming",
    ),
    "pct_eengezinswoning": Published(
        ("percentage_eengezinswoning", "p_1gezw"),
        "PercentageEengezinswoning",
        "Percentage eengezinswoning",
    ),
    "pct_meergezinswoning": Published(
        ("percentage_meergezinswoning", "p_mgezw"),
        "PercentageMeergezinswoning",
        "Percentage meergezinswoning",
    ),
    # the PDOK layer's classes; StatLine's 2020-2022 tables, not 2024 (it has "tien jaar")
    "pct_bouwjaar_voor_2000": Published(
        ("percentage_bouwjaarklasse_tot_2000", "p_bjj_lt00"),
        "PercentageBouwjaarklasseTot2000",
        "Percentage bouwjaarklasse tot 2000",
    ),
    "pct_bouwjaar_vanaf_2000": Published(
        ("percentage_bouwjaarklasse_vanaf_2000", "p_bjj_gt00"),
        "PercentageBouwjaarklasseVanaf2000",
        "Percentage bouwjaarklasse vanaf 2000",
    ),
    "pct_bouwjaar_laatste_10_jaar": Published(
        ("percentage_bouwjaar_afgelopen_tien_jaar",),
        "BouwjaarAfgelopenTienJaar",
        "Bouwjaar afgelopen tien jaar",
    ),
    "pct_huishoudens_laag_inkomen": Published(
        ("percentage_huishoudens_met_laag_inkomen",),
        "HuishoudensMetEenLaagInkomen",
        "Huishoudens met een laag inkomen",
    ),
    "oppervlakte_totaal_ha": Published(
        ("oppervlakte_totaal_in_ha", "oppervlakte_totaal_ha", "opp_tot"),
        "OppervlakteTotaal",
        "Oppervlakte totaal",
    ),
    "oppervlakte_land_ha": Published(
        ("oppervlakte_land_in_ha", "oppervlakte_land_ha", "opp_land"),
        "OppervlakteLand",
        "Oppervlakte land",
    ),
    "oppervlakte_water_ha": Published(
        ("oppervlakte_water_in_ha", "oppervlakte_water_ha", "opp_water"),
        "OppervlakteWater",
        "Oppervlakte water",
    ),
}
assert set(PUBLISHED) == {c.name for c in FIGURE_COLUMNS}, "every declared figure is mapped"

#: Extra names of the inhabitants column seen in published extracts (the R client's output
#: in the repository the bundled 2024 figures come from: ``nhood_id``, ``population``).
_POPULATION_ALIASES = ("population", "inwoners")
#: Columns that hold the area code in a StatLine table.
CODE_COLUMNS = ("WijkenEnBuurten", "Codering", "nhood_id", "bu_code", "buurtcode", "gwb_code")
#: Columns that hold the area name in the labelled download.
NAME_COLUMNS = ("Wijken en buurten",)
_INTEGER = {c.name for c in FIGURE_COLUMNS if c.type == "geheel getal"}
#: Figures that may be negative (none so far: counts, shares, averages and surfaces).
_SIGNED: dict[str, bool] = {}
#: No figure of a buurt, wijk or gemeente comes near this; larger is a broken file.
MAX_FIGURE = 1e9


def _by_column() -> dict[str, str]:
    return {alias: ours for ours, p in PUBLISHED.items() for alias in p.columns}


def figures_in_layer(frame: pd.DataFrame) -> dict[str, str]:
    """Published figure column (lower case) → our name, for a boundary layer's columns."""
    lookup = _by_column()
    out: dict[str, str] = {}
    for col in frame.columns:
        ours = lookup.get(str(col).lower())
        if ours is not None and ours not in out.values():
            out[col] = ours
    return out


def figures_in_table(table: StatTable) -> dict[str, str]:
    """StatLine column (key or title) → our name, for a table's columns."""
    by_key = {p.key.casefold(): ours for ours, p in PUBLISHED.items()}
    by_title = {title_key(p.title): ours for ours, p in PUBLISHED.items()}
    out: dict[str, str] = {}
    for col in table.frame.columns:
        key = column_key(col)
        ours = by_key.get(key.casefold()) or by_title.get(title_key(key))
        if ours is None and key.casefold() in _POPULATION_ALIASES:
            ours = "aantal_inwoners"
        if ours is not None and ours not in out.values():
            out[col] = ours
    return out


def is_kerncijfers_table(table: StatTable) -> bool:
    """A StatLine table of area figures: an area column and at least one known figure."""
    has_area = table.column(*CODE_COLUMNS) is not None or table.column(*NAME_COLUMNS) is not None
    return has_area and bool(figures_in_table(table))


def clean_figures(
    frame: pd.DataFrame, columns: dict[str, str], problems: Problems, ids: pd.Series
) -> pd.DataFrame:
    """Our figure columns from published ones: sentinels and ``.``/``x`` missing, with reasons.

    Returns the figures (nullable integers for counts) plus ``kerncijfers_ontbreekt``
    (``"kolom: reden; ..."`` or None). Text that is not a number is a problem.
    """
    out = pd.DataFrame(index=frame.index)
    reasons: dict[str, pd.Series] = {}
    for published, ours in columns.items():
        values, why = parse_numbers(frame[published].astype("string"))
        bad = why == "geen getal"
        for code, raw in zip(ids[bad], frame.loc[bad, published], strict=True):
            problems.add(published, f"{code}: geen getal", raw)
        present = values.notna()
        wrong = present & ~np.isfinite(values)
        wrong |= present & (values < 0) & ~_SIGNED.get(ours, False)
        wrong |= present & (values.abs() > MAX_FIGURE)
        if ours in _INTEGER:
            wrong |= present & (values % 1 != 0)  # "2.730" read as 2,73: a thousands point?
        raw_text = frame[published].astype("string").str.strip()
        problems.add_capped(
            published,
            "onmogelijke waarde (negatief, geen geheel aantal of te groot)",
            [f"{c}: {v}" for c, v in zip(ids[wrong], raw_text[wrong], strict=True)],
        )
        values = values.where(~wrong)
        out[ours] = values.round().astype("Int64") if ours in _INTEGER else values
        reasons[ours] = why.where(~bad, None)
    missing = pd.Series(
        [
            join_pairs({c: r[i] for c, r in reasons.items() if r[i] is not None})
            for i in frame.index
        ],
        index=frame.index,
        dtype=object,
    )
    out["kerncijfers_ontbreekt"] = missing
    return out


def load_kerncijfers_table(
    table: StatTable, *, names: dict[str, list[str]], gemeente: str | None = None
) -> pd.DataFrame:
    """Figures per area code from a 85984NED table in any published form.

    Returns ``code`` (BU…/WK…/GM…), our figure columns and ``kerncijfers_ontbreekt``,
    one row per area; rows of other municipalities are left out when ``gemeente`` is
    given. A labelled download names areas: ``names`` (from the boundaries) turns them
    into codes, and a name that matches no area or several is one line naming it.
    """
    problems = Problems(str(table.path))
    frame = table.frame
    code_col = table.column(*CODE_COLUMNS)
    if code_col is not None:
        codes = frame[code_col].str.strip().str.upper()
    else:
        name_col = table.column(*NAME_COLUMNS)
        assert name_col is not None  # is_kerncijfers_table
        codes, lines = codes_from_names(
            frame[name_col], areas=names, source=str(table.path), field=name_col
        )
        problems.extend(lines)
    text = codes.astype("string")
    form = text.str.fullmatch(r"(BU\d{4}[0-9A-Z]{4}|WK\d{4}[0-9A-Z]{2}|GM\d{4}|NL\d{2})")
    malformed = codes.notna() & ~form.fillna(False).astype(bool)
    problems.add_grouped(
        code_col or "Wijken en buurten", "onjuist gevormde gebiedscode", list(text[malformed])
    )
    keep = codes.notna() & ~malformed & ~text.str.startswith("NL").fillna(False)
    if gemeente is not None:
        keep &= text.str[2:6].eq(gemeente[2:6]).fillna(False)
    frame, codes = frame[keep], codes[keep]
    dup = codes[codes.duplicated()]
    problems.add_capped(code_col or "Wijken en buurten", "gebied komt twee keer voor", list(dup))
    figures = clean_figures(frame, figures_in_table(table), problems, codes)
    problems.raise_if_any()
    figures.insert(0, "code", codes.astype(str).to_numpy())
    return figures.reset_index(drop=True)
