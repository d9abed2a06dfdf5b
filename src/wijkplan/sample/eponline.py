"""Sample EP-Online energy labels in the bulk CSV form (``vYYYYMMDD_v2_csv.csv``).

RVO publishes every registered label monthly as one ``;``-separated file with the
``Pand_…`` header of real-formats.md §6a, dates as ``YYYYMMDD``, the BAG ids as bare
16-digit numbers. The sample writes that file (header verbatim, plus a ``bron`` column
marking every row as sample) for the sample BAG verblijfsobjecten of
:mod:`wijkplan.sample.bag`. Not registrations:

- about two thirds of the dwellings have a label (flats a little more often: corporations
  label their stock; nearly every home built since 2015 at its delivery);
- the class follows the building year (older worse, new builds A+ to A+++), improved by
  renovation; labels registered from 2021 use NTA 8800 (A++++ … G, with the primary
  fossil energy that sets the class and the other BENG figures), older ones the Nader
  Voorschrift (A++ … G, with an energy index);
- some dwellings have two registrations (an older label and a newer one), new builds a
  ``Vergunningsaanvraag`` row before the ``Oplevering`` label, and a few non-residential
  objects a utility label (``Pand_gebouwklasse`` ``U``), as in the real file; a loader
  keeps the latest dwelling label per ``Pand_bagverblijfsobjectid``.

Identical output on every run (seeded with :func:`~wijkplan.sample.common.rng_for`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from wijkplan.sample.common import rng_for, sample_bron

__all__ = [
    "CLASSES",
    "CSV_NAME",
    "EP_HEADER",
    "PUBLICATION_DATE",
    "sample_eponline",
    "write_eponline_csv",
]

#: The bulk file's header, verbatim (real-formats.md §6a).
EP_HEADER = (
    "Pand_opnamedatum",
    "Pand_opnametype",
    "Pand_status",
    "Pand_berekeningstype",
    "Pand_energieindex",
    "Pand_energieklasse",
    "Pand_energielabel_is_prive",
    "Pand_is_op_basis_van_referentie_gebouw",
    "Pand_gebouwklasse",
    "Meting_geldig_tot",
    "Pand_registratiedatum",
    "Pand_postcode",
    "Pand_huisnummer",
    "Pand_huisnummer_toev",
    "Pand_detailaanduiding",
    "Pand_bagverblijfsobjectid",
    "Pand_bagligplaatsid",
    "Pand_bagstandplaatsid",
    "Pand_bagpandid",
    "Pand_gebouwtype",
    "Pand_gebouwsubtype",
    "Pand_projectnaam",
    "Pand_projectobject",
    "Pand_SBIcode",
    "Pand_gebruiksoppervlakte",
    "Pand_energiebehoefte",
    "Pand_eis_energiebehoefte",
    "Pand_primaire_fossiele_energie",
    "Pand_eis_primaire_fossiele_energie",
    "Pand_primaire_fossiele_energie_EMG_forfaitair",
    "Pand_aandeel_hernieuwbare_energie",
    "Pand_eis_aandeel_hernieuwbare_energie",
    "Pand_aandeel_hernieuwbare_energie_EMG_forfaitair",
    "Pand_temperatuuroverschrijding",
    "Pand_eis_temperatuuroverschrijding",
    "Pand_warmtebehoefte",
    "Pand_energieindex_met_EMG_forfaitair",
)
#: The monthly file this sample stands for, and its name.
PUBLICATION_DATE = dt.date(2024, 11, 1)
CSV_NAME = f"v{PUBLICATION_DATE:%Y%m%d}_v2_csv.csv"
#: NTA 8800 classes, best first; labels before 2021 run from A++ (index 2).
CLASSES = ("A++++", "A+++", "A++", "A+", "A", "B", "C", "D", "E", "F", "G")
NTA_START = dt.date(2021, 1, 1)
_NV_START = dt.date(2015, 1, 1)
_NV_BEST = 2
#: Upper bounds per class: primary fossil energy (kWh/m²·jr, NTA 8800, dwellings) and the
#: energy index of the Nader Voorschrift (A++ … G).
_EP2_UPPER = np.array([0, 50, 75, 105, 160, 190, 250, 290, 335, 380, 520], dtype="float64")
_EP2_LOWER = np.array([-40, 0, 50, 75, 105, 160, 190, 250, 290, 335, 380], dtype="float64")
_EI_UPPER = np.array([0.3, 0.4, 0.5, 0.7, 1.05, 1.3, 1.6, 2.0, 2.4, 2.9, 3.6])
_EI_LOWER = np.array([0.1, 0.2, 0.3, 0.5, 0.7, 1.05, 1.3, 1.6, 2.0, 2.4, 2.9])
#: Class index (0 = A++++ … 10 = G) by building year before renovation.
_BASE_YEARS = (1900, 1930, 1945, 1965, 1975, 1985, 1995, 2005, 2014, 2015, 2023)
_BASE_CLASS = (9.3, 8.8, 8.0, 7.2, 6.6, 5.8, 5.0, 4.5, 4.0, 2.4, 1.6)
_COVERAGE, _COVERAGE_FLAT, _COVERAGE_NEW = 0.58, 0.12, 0.35
_TWICE, _PERMIT, _UTILITY = 0.08, 0.3, 0.3
_DAY = np.timedelta64(1, "D")
_NONE = np.array(None, dtype=object)


def _days(date: dt.date) -> np.datetime64:
    return np.datetime64(date.isoformat(), "D")


def _uniform_dates(
    rng: np.random.Generator, start: np.ndarray, end: np.ndarray | np.datetime64
) -> np.ndarray:
    span = np.maximum((end - start).astype("timedelta64[D]").astype("int64"), 0)
    return start + (rng.random(len(start)) * (span + 1)).astype("int64") * _DAY


def _ymd(dates: np.ndarray) -> np.ndarray:
    """``YYYYMMDD`` text of day dates."""
    return np.char.replace(np.datetime_as_string(dates, unit="D").astype(str), "-", "")


def _plus_ten_years(dates: np.ndarray) -> np.ndarray:
    """``YYYYMMDD`` ten years later (29 February becomes the 28th)."""
    when = pd.DatetimeIndex(dates)
    day = np.where((when.month == 2) & (when.day == 29), 28, when.day)
    return np.asarray(
        ((when.year + 10) * 10_000 + when.month * 100 + day).astype(str), dtype=object
    )


def _fmt(values: np.ndarray, show: np.ndarray, decimals: int = 2) -> np.ndarray:
    """Numbers with a decimal point, empty where not shown (as the bulk file leaves them)."""
    out = np.full(len(show), "", dtype=object)
    shown = np.broadcast_to(np.asarray(values, dtype="float64"), show.shape)[show]
    out[show] = [f"{v:.{decimals}f}" for v in shown.tolist()]
    return out


def sample_eponline(
    verblijfsobjecten: gpd.GeoDataFrame | pd.DataFrame, gemeentecode: str
) -> pd.DataFrame:
    """Sample label registrations for ``verblijfsobjecten`` (the sample BAG layer).

    Returns the bulk file's columns (:data:`EP_HEADER`, as text) plus ``bron``, one row
    per registration, ordered by registration date. Uses the verblijfsobjecten's
    ``_gebouwtype``/``_gebouwsubtype`` (from :func:`wijkplan.sample.bag.sample_bag`) where
    present.
    """
    rng = rng_for(gemeentecode, "ep-online")
    vbo = pd.DataFrame(verblijfsobjecten).reset_index(drop=True)
    last = _days(PUBLICATION_DATE) - _DAY
    year = pd.to_numeric(vbo["bouwjaar"], errors="coerce").fillna(1970).to_numpy()
    woon = vbo["gebruiksdoel"].astype(str).eq("woonfunctie").to_numpy()
    gebouwtype = (
        vbo["_gebouwtype"] if "_gebouwtype" in vbo else pd.Series(None, index=vbo.index)
    ).to_numpy(dtype=object)
    subtype = (
        vbo["_gebouwsubtype"] if "_gebouwsubtype" in vbo else pd.Series(None, index=vbo.index)
    ).to_numpy(dtype=object)
    flat = pd.Series(gebouwtype).eq("Appartement").to_numpy()
    new = year >= 2015

    p = np.clip(_COVERAGE + _COVERAGE_FLAT * flat + _COVERAGE_NEW * new, 0, 0.97)
    labelled = woon & (rng.random(len(vbo)) < p)
    labelled |= ~woon & (rng.random(len(vbo)) < _UTILITY)
    idx = np.flatnonzero(labelled)
    n = len(idx)

    # the newest label of each labelled object
    first_of_year = (np.clip(year[idx], 2015, 2024).astype("int64") - 1970).astype("datetime64[Y]")
    delivery = first_of_year.astype("datetime64[D]") + rng.integers(30, 330, n) * _DAY
    nta_era = rng.random(n) < 0.55
    start = np.where(nta_era, _days(NTA_START), _days(_NV_START)).astype("datetime64[D]")
    end = np.where(nta_era, last, _days(NTA_START) - _DAY).astype("datetime64[D]")
    date = np.where(new[idx], np.minimum(delivery, last), _uniform_dates(rng, start, end))
    date = np.where(~woon[idx], _uniform_dates(rng, np.full(n, _days(NTA_START)), last), date)
    date = np.asarray(date, dtype="datetime64[D]")
    improvement = np.where(
        new[idx], rng.normal(0, 0.6, n), rng.normal(0.9, 1.3, n) + 0.3 * flat[idx]
    )
    cls = np.round(np.interp(year[idx], _BASE_YEARS, _BASE_CLASS) - improvement)
    status = np.where(
        new[idx] & (date - delivery < 365 * _DAY) & woon[idx], "Oplevering", "Bestaand"
    )
    records = [(idx, date, cls, status)]

    # an older registration for some existing dwellings (worse or equal class)
    older = idx[woon[idx] & ~new[idx] & (date >= _days(dt.date(2019, 1, 1)))]
    older = older[rng.random(len(older)) < _TWICE * n / max(len(older), 1)]
    pos = np.searchsorted(idx, older)
    old_date = date[pos] - rng.integers(2 * 365, 6 * 365, len(older)) * _DAY
    keep = old_date >= _days(_NV_START)
    records.append(
        (
            older[keep],
            old_date[keep],
            cls[pos][keep] + rng.integers(0, 3, keep.sum()),
            np.full(keep.sum(), "Bestaand"),
        )
    )
    # a permit registration before the delivery label of recent new builds
    permit = idx[new[idx] & woon[idx] & (year[idx] >= 2022)]
    permit = permit[rng.random(len(permit)) < _PERMIT]
    pos = np.searchsorted(idx, permit)
    permit_date = date[pos] - rng.integers(300, 900, len(permit)) * _DAY
    keep = permit_date >= _days(NTA_START)
    records.append(
        (
            permit[keep],
            permit_date[keep],
            cls[pos][keep] - rng.integers(0, 2, keep.sum()),
            np.full(keep.sum(), "Vergunningsaanvraag"),
        )
    )

    rows = np.concatenate([r[0] for r in records])
    opname = np.concatenate([r[1] for r in records]).astype("datetime64[D]")
    cls = np.concatenate([r[2] for r in records])
    pand_status = np.concatenate([r[3] for r in records]).astype(object)
    frame = _records(vbo, rows, opname, cls, pand_status, gebouwtype, subtype, woon, rng)
    frame["bron"] = sample_bron(gemeentecode)
    order = np.lexsort((frame["Pand_bagverblijfsobjectid"], frame["Pand_registratiedatum"]))
    return frame.iloc[order].reset_index(drop=True)


def _records(
    vbo: pd.DataFrame,
    rows: np.ndarray,
    opname: np.ndarray,
    cls: np.ndarray,
    pand_status: np.ndarray,
    gebouwtype: np.ndarray,
    subtype: np.ndarray,
    woon: np.ndarray,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """The published columns, as text, for the registrations of ``rows`` (vbo positions)."""
    n = len(rows)
    last = _days(PUBLICATION_DATE) - _DAY
    nta = opname >= _days(NTA_START)
    cls = np.clip(cls, np.where(nta, 0, _NV_BEST), len(CLASSES) - 1).astype("int64")
    registratie = np.minimum(opname + rng.integers(0, 45, n) * _DAY, last)
    registratie = np.maximum(registratie, opname)
    is_woon = woon[rows]
    new_build = pand_status != "Bestaand"
    ep2 = rng.uniform(_EP2_LOWER[cls], _EP2_UPPER[cls])
    ep1 = np.maximum(0.8 * ep2 + 25 + rng.normal(0, 12, n), 15)
    renewable = np.clip((10 - cls) * 6 + rng.normal(0, 8, n), 0, 100)
    renewable = np.where(new_build, np.maximum(renewable, rng.uniform(40, 90, n)), renewable)
    heat = np.maximum(0.55 * ep1 + rng.normal(0, 8, n), 5)
    index = rng.uniform(_EI_LOWER[cls], _EI_UPPER[cls])
    apartment = pd.Series(gebouwtype[rows]).eq("Appartement").to_numpy()
    area = pd.to_numeric(vbo["oppervlakte"], errors="coerce").fillna(80).to_numpy()[rows]
    letter = vbo["huisletter"].where(vbo["huisletter"].notna(), "").astype(str).to_numpy()
    extra = (
        vbo["toevoeging"].where(vbo["toevoeging"].notna(), "").astype(str).to_numpy()
        if "toevoeging" in vbo
        else np.full(len(vbo), "")
    )
    toev = np.char.add(letter[rows].astype(str), extra[rows].astype(str))

    def text(values: np.ndarray) -> np.ndarray:
        return np.where(pd.isna(values), "", values).astype(object)

    klasse = np.where(is_woon, "W", "U")
    return pd.DataFrame(
        {
            "Pand_opnamedatum": _ymd(opname),
            "Pand_opnametype": np.where(rng.random(n) < 0.85, "Basisopname", "Detailopname"),
            "Pand_status": pand_status,
            "Pand_berekeningstype": np.where(nta, "NTA 8800", "Nader Voorschrift"),
            "Pand_energieindex": _fmt(index, ~nta),
            "Pand_energieklasse": np.array(CLASSES, dtype=object)[cls],
            "Pand_energielabel_is_prive": "False",
            "Pand_is_op_basis_van_referentie_gebouw": np.where(
                nta & apartment & (rng.random(n) < 0.05), "True", "False"
            ),
            "Pand_gebouwklasse": klasse,
            "Meting_geldig_tot": _plus_ten_years(registratie),
            "Pand_registratiedatum": _ymd(registratie),
            "Pand_postcode": text(vbo["postcode"].to_numpy(dtype=object)[rows]),
            "Pand_huisnummer": vbo["huisnummer"].astype("int64").astype(str).to_numpy()[rows],
            "Pand_huisnummer_toev": toev.astype(object),
            "Pand_detailaanduiding": "",
            "Pand_bagverblijfsobjectid": vbo["identificatie"].astype(str).to_numpy()[rows],
            "Pand_bagligplaatsid": "",
            "Pand_bagstandplaatsid": "",
            "Pand_bagpandid": vbo["pand_identificatie"].astype(str).to_numpy()[rows],
            "Pand_gebouwtype": text(np.where(is_woon, gebouwtype[rows], _NONE)),
            "Pand_gebouwsubtype": text(np.where(is_woon, subtype[rows], _NONE)),
            "Pand_projectnaam": "",
            "Pand_projectobject": "",
            "Pand_SBIcode": "",
            "Pand_gebruiksoppervlakte": _fmt(area * rng.uniform(0.9, 1.05, n), np.ones(n, bool)),
            "Pand_energiebehoefte": _fmt(ep1, nta),
            "Pand_eis_energiebehoefte": _fmt(np.where(apartment, 60.0, 65.0), nta & new_build),
            "Pand_primaire_fossiele_energie": _fmt(ep2, nta),
            "Pand_eis_primaire_fossiele_energie": _fmt(
                np.where(apartment, 50.0, 30.0), nta & new_build
            ),
            "Pand_primaire_fossiele_energie_EMG_forfaitair": "",
            "Pand_aandeel_hernieuwbare_energie": _fmt(renewable, nta, 1),
            "Pand_eis_aandeel_hernieuwbare_energie": _fmt(np.full(n, 40.0), nta & new_build, 1),
            "Pand_aandeel_hernieuwbare_energie_EMG_forfaitair": "",
            "Pand_temperatuuroverschrijding": _fmt(rng.uniform(0, 1.2, n), nta & new_build),
            "Pand_eis_temperatuuroverschrijding": _fmt(np.full(n, 1.2), nta & new_build),
            "Pand_warmtebehoefte": _fmt(heat, nta),
            "Pand_energieindex_met_EMG_forfaitair": "",
        }
    )[list(EP_HEADER)]


def write_eponline_csv(frame: pd.DataFrame, path: Path | str) -> None:
    """The registrations as the bulk file: ``;``, header first, no quoting, UTF-8."""
    frame.to_csv(path, sep=";", index=False, lineterminator="\n", encoding="utf-8")
