"""What one buurt of the sample BAG gets: single-family blocks, flats and non-residential panden.

:func:`plan_units` turns a buurt's profile (:func:`wijkplan.sample.woningen.woningprofiel`)
into units: rows of 3-8 houses, semi-detached pairs and detached houses (the mix follows
the density), flats whose size follows the building era (small pre-war blocks, post-war
portiek and galerij flats of up to 150 homes, later apartment blocks), and halls on
business parks or a few shops, schools and the like elsewhere. Each unit knows how many
lattice cells it needs; :mod:`wijkplan.sample.bag_footprints` places them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "CELL_D",
    "CELL_W",
    "FUNCTIONS",
    "KIND_EGW",
    "KIND_FLAT",
    "KIND_NONRES",
    "NONE",
    "RIJ",
    "TWEE",
    "VRIJ",
    "Units",
    "plan_units",
]

#: Lattice cell along the street × depth (m) at scale 1.
CELL_W, CELL_D = 42.0, 30.0
# Single-family styles: row, semi-detached pair, detached.
RIJ, TWEE, VRIJ = 0, 1, 2
KIND_EGW, KIND_FLAT, KIND_NONRES = 0, 1, 2
FUNCTIONS = (
    "industriefunctie",
    "kantoorfunctie",
    "winkelfunctie",
    "bijeenkomstfunctie",
    "onderwijsfunctie",
    "gezondheidszorgfunctie",
    "sportfunctie",
    "logiesfunctie",
    "overige gebruiksfunctie",
)
_P_FUNCTION_BUSINESS = np.array([0.55, 0.25, 0.08, 0.02, 0.0, 0.0, 0.02, 0.0, 0.08])
_P_FUNCTION_TOWN = np.array([0.02, 0.15, 0.35, 0.15, 0.1, 0.1, 0.06, 0.02, 0.05])
#: ``None`` as an array, for element-wise choices that leave a field empty.
NONE = np.array(None, dtype=object)


@dataclass
class Units:
    """What one buurt gets: eengezins blocks, flats and non-residential panden."""

    kind: np.ndarray  # KIND_*
    count: np.ndarray  # houses in the block / homes in the flat / vbo's of the pand
    style: np.ndarray  # eengezins: RIJ/TWEE/VRIJ; flat: floors; non-res: function index
    cells: np.ndarray  # lattice cells along the street
    length: np.ndarray  # m at scale 1 (flats and non-res; eengezins from the style)

    def __len__(self) -> int:
        return len(self.kind)


def _draw_until(total: int, draw: np.ndarray) -> np.ndarray:
    """The leading draws whose sum reaches ``total`` exactly (the last one cut)."""
    if total <= 0:
        return draw[:0]
    cum = np.cumsum(draw)
    n = int(np.searchsorted(cum, total) + 1)
    out = draw[:n].copy()
    out[-1] -= int(cum[n - 1] - total)
    return out


def plan_units(p: pd.Series, area_ha: float, rng: np.random.Generator) -> Units:
    """The units of one buurt from its profile (see :func:`woningprofiel`)."""
    homes = int(p["woningen"])
    flat_homes = round(homes * float(p["meergezins"]))
    egw_homes = homes - flat_homes
    era = float(p["bouwjaar"])
    density = homes / max(area_ha, 0.01)

    # eengezins: rows of 3-8, pairs, detached; the mix follows density
    if bool(p["landelijk"]):
        probs = [0.10, 0.30, 0.60]
    elif bool(p["dorp"]) or density < 25:
        probs = [0.60, 0.25, 0.15]
    else:
        probs = [0.85, 0.12, 0.03]
    style = rng.choice(3, size=max(egw_homes, 1), p=probs)
    size = np.where(style == RIJ, rng.integers(3, 9, len(style)), np.where(style == TWEE, 2, 1))
    egw = _draw_until(egw_homes, size)
    egw_style = style[: len(egw)].copy()
    egw_style[(egw_style == RIJ) & (egw == 1)] = VRIJ
    egw_style[(egw_style == RIJ) & (egw == 2)] = TWEE
    egw_style[(egw_style == TWEE) & (egw == 1)] = VRIJ

    # flats: small pre-war blocks, post-war portiek and galerij flats, later apartment blocks
    n_draw = max(flat_homes, 1)
    if era < 1945:
        sizes = rng.integers(4, 13, n_draw)
    elif era < 1985:
        galerij = rng.random(n_draw) < (0.4 if float(p["meergezins"]) > 0.5 else 0.2)
        sizes = np.where(galerij, rng.integers(40, 151, n_draw), rng.integers(8, 25, n_draw))
    else:
        sizes = rng.integers(12, 61, n_draw)
    flats = _draw_until(flat_homes, sizes)
    if len(flats) > 1 and flats[-1] < 2:  # no flat of one home: add it to the previous one
        flats = np.concatenate([flats[:-2], [flats[-2] + flats[-1]]])
    floors = np.select(
        [flats <= 8, flats <= 24, flats <= 60],
        [2, rng.integers(3, 5, len(flats)), rng.integers(4, 7, len(flats))],
        rng.integers(8, 13, len(flats)),
    )
    per_floor = np.ceil(flats / floors)
    flat_len = np.maximum(per_floor * np.where(flats >= 40, 7.2, 8.0), 14.0)

    # non-residential: halls on business parks, a few shops, schools, ... elsewhere
    if bool(p["bedrijven"]):
        n_nonres = round(area_ha * 0.35)
        func = rng.choice(len(FUNCTIONS), n_nonres, p=_P_FUNCTION_BUSINESS)
        nonres_cells = rng.integers(1, 4, n_nonres)
    else:
        n_nonres = int(rng.poisson(0.02 * (len(egw) + len(flats)) + 0.3 * (homes > 50)))
        func = rng.choice(len(FUNCTIONS), n_nonres, p=_P_FUNCTION_TOWN)
        nonres_cells = np.ones(n_nonres, dtype="int64")
    nonres_vbo = rng.integers(1, 4, n_nonres)
    nonres_len = nonres_cells * CELL_W * rng.uniform(0.55, 0.85, n_nonres)

    kind = np.concatenate(
        [np.full(len(egw), KIND_EGW), np.full(len(flats), KIND_FLAT), np.full(n_nonres, 2)]
    )
    flat_cells = np.ceil((flat_len + 4) / CELL_W)
    return Units(
        kind=kind.astype("int64"),
        count=np.concatenate([egw, flats, nonres_vbo]).astype("int64"),
        style=np.concatenate([egw_style, floors, func]).astype("int64"),
        cells=np.concatenate([np.ones(len(egw)), flat_cells, nonres_cells]).astype("int64"),
        length=np.concatenate([np.zeros(len(egw)), flat_len, nonres_len]),
    )
