"""Sample CBS housing figures per buurt, in the StatLine TypedDataSet CSV form of 85984NED.

What CBS publishes per buurt in *Kerncijfers wijken en buurten 2024* (table 85984NED)
and what the heat transition needs: dwelling stock, share of single- and multi-family
homes, share owned by corporations, building years (more / less than ten years ago),
average gas use and share with district heating. The sample is written as the raw
TypedDataSet CSV (semicolons, every field quoted, ``WijkenEnBuurten`` padded to 10,
``.`` for a missing or secret value) with the real keys and numbering of 2024
(``data/geo/cbs_85984NED_2024_kolommen.txt``), plus a ``bron`` column that marks every
row as sample. The figures are *not* measurements:

- the dwelling stock per buurt adds up exactly to the real ``woningvoorraad`` of its wijk
  (``wijken.*``; CBS publishes the stock unrounded) and is spread over the buurten by the
  real inhabitants per buurt (divided by a household size that is smaller where flats
  dominate), else by :func:`~wijkplan.sample.common.residential_weight` × area; a real
  stock per buurt, where one is given, is kept;
- the other figures follow a documented heuristic per buurt (:func:`woningprofiel`):
  dense buurten have more flats, flats and post-war estates more corporation homes,
  flats and new homes less gas; neighbouring buurten resemble each other (smoothed
  noise); rural buurten are detached, old-and-new, private and gas-heavy;
- for Alphen aan den Rijn (GM0484) a few public facts give the flavour: the old centre
  along the Oude Rijn (Hoge and Lage Zijde, Hoorn) is mostly pre-war, Ridderveld and
  Zegersloot date from the 1960s-70s with high-rise in the Planetenbuurt and the
  Edelstenenbuurt, Kerk en Zanen from the 1990s-2000s, Rietveld is new, the villages mix
  old cores with later extensions (:data:`HINTS`);
- buurten with fewer than 10 dwellings get ``.`` for every share, fewer than 50 also for
  gas use and district heating, as CBS suppresses figures of small areas.

Identical output on every run (seeded with :func:`~wijkplan.sample.common.rng_for`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, fields
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from wijkplan.errors import ValidationError
from wijkplan.sample.common import gemeentecode_of, residential_weight, rng_for, sample_bron
from wijkplan.sample.complexen import SOCIAL_SHARE

__all__ = [
    "HINTS",
    "KWB_COLUMNS",
    "Hint",
    "kerncijfers_per_buurt",
    "kwb_file_name",
    "sample_kwb_woningen",
    "woningprofiel",
    "write_kwb_csv",
]

#: The published columns, with their 2024 keys (data/geo/cbs_85984NED_2024_kolommen.txt).
KWB_COLUMNS = (
    "ID",
    "WijkenEnBuurten",
    "Gemeentenaam_1",
    "SoortRegio_2",
    "Codering_3",
    "IndelingswijzigingGemeenteWijkBuurt_4",
    "Woningvoorraad_35",
    "PercentageEengezinswoning_40",
    "PercentageMeergezinswoning_45",
    "InBezitWoningcorporatie_49",
    "BouwjaarMeerDanTienJaarGeleden_51",
    "BouwjaarAfgelopenTienJaar_52",
    "GemiddeldAardgasverbruikTotaal_61",
    "PercentageWoningenMetStadsverwarming_69",
)
#: Below these dwelling counts CBS-like suppression applies (``.``).
SECRET_SHARES_BELOW = 10
SECRET_ENERGY_BELOW = 50
_MISSING = "."
_RURAL_RE = r"buitengebied|polder\b|landelijk|verspreide huizen"
_BUSINESS_RE = r"bedrijven|industrie"


@dataclass(frozen=True)
class Hint:
    """A sample assumption for one wijk or buurt; ``None`` leaves the generic heuristic."""

    #: typical building year of the stock built before the last ten years
    bouwjaar: float | None = None
    #: spread (standard deviation, years) around it
    spreiding: float | None = None
    #: share of multi-family homes (0..1)
    meergezins: float | None = None
    #: share built in the last ten years (0..1)
    nieuw: float | None = None
    #: a village: fewer flats and corporation homes than a town buurt of the same density
    dorp: bool | None = None


#: Per municipality: wijk or buurt code → sample assumption (a buurt's hint overrides its
#: wijk's). Flavour from public descriptions of Alphen aan den Rijn, not measurements.
HINTS: dict[str, dict[str, Hint]] = {
    "GM0484": {
        "WK048401": Hint(1963, 18),  # Oudshoorn: old village on the Rijn, 1950s-60s estates
        "WK048402": Hint(1971, 8),  # Ridderveld: 1960s-70s
        "BU04840210": Hint(1968, 5, meergezins=0.80),  # Planetenbuurt-Noord: high-rise
        "BU04840211": Hint(1970, 6, meergezins=0.70),  # Planetenbuurt-Zuid
        "WK048403": Hint(1978, 8),  # Zegersloot: 1970s-80s
        "BU04840306": Hint(1972, 5, meergezins=0.75),  # Edelstenenbuurt: high-rise
        "WK048404": Hint(1950, 20),  # Hoorn
        "BU04840403": Hint(1930, 15),  # Zeeheldenbuurt / Groene Dorp: 1920s-30s
        "BU04840404": Hint(1935, 15),  # Bomenbuurt
        "WK048405": Hint(1935, 25),  # Hoge Zijde: the old centre on the Oude Rijn
        "WK048406": Hint(1945, 25),  # Lage Zijde: the old centre on the Oude Rijn
        "WK048407": Hint(1982, 25),  # Steekterpolder
        "WK048408": Hint(1997, 6, nieuw=0.08),  # Kerk en Zanen: 1990s-2000s extension
        "BU04840809": Hint(2004, 4, nieuw=0.20),  # Archeon
        "WK048409": Hint(2020, 2, nieuw=1.0),  # Rietveld: new
        "WK048431": Hint(1975, 25, dorp=True),  # Benthuizen
        "WK048445": Hint(1960, 35, dorp=True),  # Aarlanderveen
        "WK048470": Hint(1968, 22),  # Boskoop
        "BU04847009": Hint(1967, 6, meergezins=0.55),  # Snijdelwijk
        "WK048471": Hint(1972, 28, dorp=True),  # Zwammerdam
        "WK048491": Hint(1974, 26, dorp=True),  # Hazerswoude-Dorp
        "WK048494": Hint(1976, 25, dorp=True),  # Hazerswoude-Rijndijk
        "WK048496": Hint(1972, 28, dorp=True),  # Koudekerk aan den Rijn
    },
}

#: Generic assumptions: building year of the stock (mean, spread), new-build share.
_ERA_MEAN, _ERA_SPREAD, _ERA_RURAL = 1977.0, 16.0, (1955.0, 35.0)
_NEW_SHARE = 0.05
#: Household size of a single-family and of a multi-family home (for homes from inhabitants).
_HH_EENGEZINS, _HH_MEERGEZINS = 2.5, 1.7
#: Average gas use (m³/year) of a single-family and a multi-family home of around 1980.
_GAS_EENGEZINS, _GAS_MEERGEZINS, _GAS_RURAL_EXTRA = 1250.0, 800.0, 400.0
_GAS_ERA = ((1900, 1945, 1965, 1980, 1995, 2010, 2020), (1.30, 1.25, 1.12, 1.0, 0.85, 0.70, 0.35))


def kwb_file_name(gemeentecode: str) -> str:
    """The sample table's file name: a 85984NED file, marked as sample in its name too."""
    return f"voorbeelddata_cbs_85984NED_2024_woningen_buurten_{gemeentecode}.csv"


def _smooth(xy: np.ndarray, rng: np.random.Generator, scale_m: float) -> np.ndarray:
    """Unit-variance noise per point, smoothed over ``scale_m`` (neighbours resemble)."""
    z = rng.standard_normal(len(xy))
    if len(xy) == 0:
        return z
    d2 = ((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)
    kernel = np.exp(-d2 / (2 * scale_m**2))
    out = kernel @ z / np.sqrt((kernel**2).sum(axis=1))
    return np.asarray(out, dtype="float64")


def _allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """``total`` split over ``weights`` in whole numbers that add up exactly (largest remainder)."""
    out = np.zeros(len(weights), dtype="int64")
    if total <= 0 or len(weights) == 0 or not np.isfinite(weights).all() or weights.sum() <= 0:
        return out
    raw = total * weights / weights.sum()
    out = np.floor(raw).astype("int64")
    rest = int(total - out.sum())
    order = np.argsort(-(raw - out), kind="stable")
    out[order[:rest]] += 1
    return out


def _hints_for(buurten: pd.DataFrame, gm: str) -> dict[str, np.ndarray]:
    """Per buurt the hint values (NaN where none), a buurt's hint over its wijk's."""
    table = HINTS.get(gm, {})
    out: dict[str, np.ndarray] = {}
    for f in fields(Hint):
        values = []
        for b, w in zip(buurten["buurtcode"], buurten["wijkcode"], strict=True):
            value = None
            for code in (b, w):
                hint = table.get(str(code))
                if hint is not None and getattr(hint, f.name) is not None:
                    value = getattr(hint, f.name)
                    break
            values.append(np.nan if value is None else float(value))
        out[f.name] = np.array(values, dtype="float64")
    return out


def woningprofiel(
    buurten: gpd.GeoDataFrame,
    wijken: gpd.GeoDataFrame | None = None,
    *,
    inwoners: pd.Series | None = None,
    woningen: pd.Series | None = None,
) -> pd.DataFrame:
    """The sample housing profile per buurt (numbers, not yet the published text).

    ``inwoners`` and ``woningen`` (by buurtcode) are real figures where known: the
    inhabitants spread each wijk's stock, a real stock is kept as it is. Columns:
    ``buurtcode``, ``wijkcode``, ``woningen``, ``meergezins``, ``corporatie``,
    ``bouwjaar``, ``spreiding``, ``nieuw``, ``gas_m3``, ``stadsverwarming`` (shares 0..1),
    ``landelijk``, ``bedrijven`` and ``dorp``.
    """
    buurten = buurten.reset_index(drop=True)
    gm = gemeentecode_of(buurten)
    rng = rng_for(gm, "woningen")
    codes = buurten["buurtcode"].astype(str)
    area_ha = np.maximum(buurten.geometry.area.to_numpy() / 10_000, 0.01)
    names = buurten["buurtnaam"].astype(str).str.lower()
    business = names.str.contains(_BUSINESS_RE, regex=True).to_numpy()
    hints = _hints_for(buurten, gm)
    village = np.nan_to_num(hints["dorp"], nan=0.0) > 0

    inh = _by_code(codes, inwoners)
    if "aantal_inwoners" in buurten.columns:
        inh = np.where(np.isnan(inh), _numeric(buurten["aantal_inwoners"]), inh)
    known = _by_code(codes, woningen)
    if "woningvoorraad" in buurten.columns:
        known = np.where(np.isnan(known), _numeric(buurten["woningvoorraad"]), known)

    # A first guess of the flat share from the density of inhabitants (homes per ha at 2.2
    # persons), to size households; then the stock per buurt; then the profile from it.
    xy = np.column_stack(
        [buurten.geometry.centroid.x.to_numpy(), buurten.geometry.centroid.y.to_numpy()]
    )
    z_flats, z_era, z_corp = (_smooth(xy, rng, 1500.0) for _ in range(3))
    fallback = residential_weight(buurten) * area_ha * 30
    guess_density = np.where(np.isnan(inh), fallback, inh / 2.2) / area_ha
    flats0 = _flat_share(guess_density, z_flats, village, hints["meergezins"])
    weight = np.where(np.isnan(inh), np.nan, inh / (_HH_EENGEZINS - 0.8 * flats0))
    homes = _stock(buurten, wijken, weight, fallback, known)

    density = homes / area_ha
    rural = (density < 3.0) | names.str.contains(_RURAL_RE, regex=True).to_numpy()
    rural &= ~np.isfinite(hints["meergezins"])
    flats = _flat_share(density, z_flats, village, hints["meergezins"])
    flats = np.where(rural, np.clip(0.02 + 0.02 * z_flats, 0, 0.06), flats)
    flats = np.where(business & ~np.isfinite(hints["meergezins"]), np.minimum(flats, 0.25), flats)

    era = np.where(rural, _ERA_RURAL[0], _ERA_MEAN + 10 * z_era)
    era = np.where(flats > 0.5, 0.5 * era + 0.5 * 1970, era)  # post-war high-rise
    era = np.where(np.isfinite(hints["bouwjaar"]), hints["bouwjaar"], era)
    spread = np.where(rural, _ERA_RURAL[1], _ERA_SPREAD)
    spread = np.where(np.isfinite(hints["spreiding"]), hints["spreiding"], spread)
    spread = np.where(rural, np.maximum(spread, _ERA_RURAL[1]), spread)  # farms old and new
    new = np.clip(_NEW_SHARE * np.exp(0.6 * rng.standard_normal(len(buurten))), 0.0, 0.3)
    new = np.where(np.isfinite(hints["nieuw"]), hints["nieuw"], new)

    postwar = ((era >= 1950) & (era <= 1985)).astype("float64")
    corp = 0.06 + 0.50 * flats + 0.12 * postwar + 0.05 * z_corp
    corp = np.where(village, 0.7 * corp, corp)
    corp = np.where(rural, 0.03, corp)
    corp = _scale_to_mean(np.clip(corp, 0.0, 0.85), homes, SOCIAL_SHARE)

    era_factor = np.interp(era, *_GAS_ERA)
    gas = (1 - flats) * _GAS_EENGEZINS + flats * _GAS_MEERGEZINS
    gas = gas * era_factor * (1 - 0.7 * new) + np.where(rural, _GAS_RURAL_EXTRA, 0.0)
    gas *= 1 + 0.05 * rng.standard_normal(len(buurten))
    heat_net = np.where(
        (flats > 0.6) & (era >= 1960) & (era <= 1985) & (rng.random(len(buurten)) < 0.3),
        rng.integers(1, 5, len(buurten)) / 100,
        0.0,
    )
    return pd.DataFrame(
        {
            "buurtcode": codes.to_numpy(),
            "wijkcode": buurten["wijkcode"].astype(str).to_numpy(),
            "woningen": homes,
            "meergezins": flats,
            "corporatie": corp,
            "bouwjaar": era,
            "spreiding": spread,
            "nieuw": new,
            "gas_m3": gas,
            "stadsverwarming": heat_net,
            "landelijk": rural,
            "bedrijven": business,
            "dorp": village,
        }
    )


def _numeric(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _by_code(codes: pd.Series, values: pd.Series | None) -> np.ndarray:
    if values is None:
        return np.full(len(codes), np.nan)
    series = pd.Series(_numeric(values.reset_index(drop=True)), index=values.index.astype(str))
    series = series[~series.index.duplicated()]
    return series.reindex(codes.to_numpy()).to_numpy(dtype="float64", na_value=np.nan)


def _flat_share(
    density: np.ndarray, z: np.ndarray, village: np.ndarray, hinted: np.ndarray
) -> np.ndarray:
    """Share of multi-family homes from dwellings per ha: few below 20, most above 60."""
    share = 0.06 + 0.62 / (1 + np.exp(-(density - 42) / 9)) + 0.08 * z
    share = np.where(village, 0.5 * share, share)
    share = np.clip(share, 0.02, 0.9)
    return np.where(np.isfinite(hinted), hinted, share)


def _stock(
    buurten: gpd.GeoDataFrame,
    wijken: gpd.GeoDataFrame | None,
    weight: np.ndarray,
    fallback: np.ndarray,
    known: np.ndarray,
) -> np.ndarray:
    """Dwellings per buurt: each wijk's real total over its buurten, a real buurt value kept."""
    totals: dict[str, float] = {}
    if wijken is not None and "woningvoorraad" in wijken.columns:
        totals = dict(
            zip(wijken["wijkcode"].astype(str), _numeric(wijken["woningvoorraad"]), strict=True)
        )
    homes = np.where(np.isfinite(known), known, 0).round().astype("int64")
    for wijkcode, idx in buurten.groupby("wijkcode", sort=True).indices.items():
        members = np.asarray(idx)
        open_ = members[~np.isfinite(known[members])]
        if not len(open_):
            continue
        w = weight[open_]
        if not np.isfinite(w).all() or w.sum() <= 0:
            w = fallback[open_]
        total = totals.get(str(wijkcode), np.nan)
        if np.isfinite(total):
            left = round(total) - int(homes[members].sum() - homes[open_].sum())
        else:  # no wijk figure: the weights are homes (inhabitants / household size, or area)
            left = round(float(w.sum()))
        homes[open_] = _allocate(max(left, 0), w)
    return homes


def _scale_to_mean(share: np.ndarray, homes: np.ndarray, target: float) -> np.ndarray:
    """``share`` scaled so that its dwelling-weighted mean is ``target`` (clipped at 0.85)."""
    if homes.sum() <= 0:
        return share
    for _ in range(4):
        mean = float((share * homes).sum() / homes.sum())
        if mean <= 0:
            break
        share = np.clip(share * target / mean, 0.0, 0.85)
    return share


def sample_kwb_woningen(profiel: pd.DataFrame, buurten: gpd.GeoDataFrame) -> pd.DataFrame:
    """The published table (text, as written) for ``profiel`` (see :func:`woningprofiel`).

    One row per buurt, columns :data:`KWB_COLUMNS` plus ``bron``.
    """
    gm = gemeentecode_of(buurten)
    name = _gemeentenaam(buurten, gm)
    n = len(profiel)
    homes = profiel["woningen"].to_numpy(dtype="int64")
    multi = np.round(100 * profiel["meergezins"].to_numpy()).astype("int64")
    recent = np.round(100 * profiel["nieuw"].to_numpy()).astype("int64")
    shares = homes >= SECRET_SHARES_BELOW
    energy = homes >= SECRET_ENERGY_BELOW

    def text(values: np.ndarray, show: np.ndarray) -> list[str]:
        return [str(int(v)) if s else _MISSING for v, s in zip(values, show, strict=True)]

    codes = profiel["buurtcode"].astype(str)
    frame = pd.DataFrame(
        {
            "ID": [str(i) for i in range(n)],
            "WijkenEnBuurten": codes.str.ljust(10).to_numpy(),
            "Gemeentenaam_1": [name.ljust(40)] * n,
            "SoortRegio_2": ["Buurt".ljust(10)] * n,
            "Codering_3": codes.str.ljust(10).to_numpy(),
            "IndelingswijzigingGemeenteWijkBuurt_4": ["1"] * n,
            "Woningvoorraad_35": [str(int(v)) for v in homes],
            "PercentageEengezinswoning_40": text(100 - multi, shares),
            "PercentageMeergezinswoning_45": text(multi, shares),
            "InBezitWoningcorporatie_49": text(
                np.round(100 * profiel["corporatie"].to_numpy()), shares
            ),
            "BouwjaarMeerDanTienJaarGeleden_51": text(100 - recent, shares),
            "BouwjaarAfgelopenTienJaar_52": text(recent, shares),
            "GemiddeldAardgasverbruikTotaal_61": text(
                np.round(profiel["gas_m3"].to_numpy(), -1), energy
            ),
            "PercentageWoningenMetStadsverwarming_69": text(
                np.round(100 * profiel["stadsverwarming"].to_numpy()), energy
            ),
        }
    )
    frame["bron"] = sample_bron(gm)
    return frame


def _gemeentenaam(buurten: pd.DataFrame, gm: str) -> str:
    if "gemeentenaam" in buurten.columns:
        names = buurten["gemeentenaam"].dropna().astype(str)
        names = names[names.str.strip() != ""]
        if len(names):
            return str(names.iloc[0]).strip()
    return gm


def write_kwb_csv(frame: pd.DataFrame, path: Path | str) -> None:
    """The table as a StatLine TypedDataSet CSV: ``;``, every field quoted, CRLF, UTF-8."""
    frame.to_csv(
        path, sep=";", index=False, quoting=csv.QUOTE_ALL, lineterminator="\r\n", encoding="utf-8"
    )


def kerncijfers_per_buurt(
    data_dir: Path, buurten: gpd.GeoDataFrame, *, skip: tuple[Path, ...] = ()
) -> tuple[pd.DataFrame, list[Path]]:
    """Real inhabitants and dwellings per buurt from the CBS tables in ``data_dir``.

    Returns a frame indexed by buurtcode with ``aantal_inwoners`` and ``woningvoorraad``
    (NaN where not given), and the tables that gave a dwelling stock per buurt. Tables
    marked as sample (a ``bron`` column of sample marks) are left out; a folder whose
    tables cannot be read gives an empty frame (the build reports those problems).
    """
    from wijkplan.settings import is_sample
    from wijkplan.sources.kerncijfers import is_kerncijfers_table, load_kerncijfers_table
    from wijkplan.sources.police import is_police_table
    from wijkplan.sources.statline import StatTable, find_tables, name_index

    def classify(table: StatTable) -> str | None:
        if is_police_table(table):
            return "politie"
        return "k" if is_kerncijfers_table(table) else None

    codes = buurten["buurtcode"].astype(str)
    out = pd.DataFrame(
        {"aantal_inwoners": np.nan, "woningvoorraad": np.nan}, index=pd.Index(codes.to_numpy())
    )
    skipped = [*skip, *data_dir.glob("leefbaarometer*.csv"), *data_dir.glob("v*_v2_csv.csv")]
    try:
        found = find_tables(data_dir, classify, skip=skipped)
    except ValidationError:
        return out, []
    names = name_index((buurten, "buurtcode", "buurtnaam"))
    stock_tables: list[Path] = []
    for table in found.get("k", []):
        bron = table.column("bron")
        if bron is not None and table.frame[bron].map(is_sample).all():
            continue
        try:
            figures = load_kerncijfers_table(
                table, names=names, gemeente=gemeentecode_of(buurten)
            ).set_index("code")
        except ValidationError:
            continue
        figures = figures[figures.index.isin(out.index)]
        for col in ("aantal_inwoners", "woningvoorraad"):
            if col in figures.columns:
                values = pd.to_numeric(figures[col], errors="coerce").astype("float64")
                out.loc[values.index, col] = out.loc[values.index, col].fillna(values)
                if col == "woningvoorraad" and values.notna().any():
                    stock_tables.append(table.path)
    return out, stock_tables
