"""Sample BAG panden and verblijfsobjecten in the bag-light GeoPackage form, for any boundaries.

Writes what PDOK's ``bag-light.gpkg`` holds for a municipality (real-formats.md §6b):
layer ``pand`` (``identificatie``, ``bouwjaar``, ``status``, ``gebruiksdoel``,
``oppervlakte_min``, ``oppervlakte_max``, ``aantal_verblijfsobjecten``, ``rdf_seealso``,
polygon ``geom``) and layer ``verblijfsobject`` (``identificatie``,
``pand_identificatie``, address, ``gebruiksdoel``, ``oppervlakte``, ``status``,
``bouwjaar``, point ``geom``), EPSG:28992, plus ``bron`` on every row. Not a survey:

- the dwellings per buurt are the sample stock of :func:`wijkplan.sample.woningen.
  woningprofiel` (the sum of ``aantal_verblijfsobjecten`` of the ``woonfunctie`` panden
  per buurt equals it), single-family homes one pand each in rows, pairs and detached
  houses, multi-family homes in few panden with many verblijfsobjecten (portiek blocks,
  galerij flats of up to 150 homes);
- footprints are small rotated rectangles on a street lattice inside each buurt (kept
  out of the sample surface water), clustered by a smooth random field, so that rural
  buurten get ribbons and hamlets rather than an even sprinkle; the lattice shrinks
  where a dense buurt needs it;
- building years follow the buurt's profile (typical year, spread, new-build share),
  neighbouring blocks alike; business parks get halls (industrie-, kantoorfunctie),
  other buurten a few shops, schools and the like, and some houses a shed (a pand
  without verblijfsobject, as in the real BAG);
- ids are 16 digits in the BAG form (gemeente code, object type 10 = pand / 01 =
  verblijfsobject, a sequence), street names are invented (themed after the buurt's
  name where it suggests a theme), postcodes are plausible but not real.

Identical output on every run (seeded with :func:`~wijkplan.sample.common.rng_for`).
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
import shapely.affinity

from wijkplan.sample.common import gemeentecode_of, rng_for, sample_bron
from wijkplan.settings import CRS_RD

__all__ = [
    "GPKG_NAME",
    "PAND_COLUMNS",
    "VBO_COLUMNS",
    "sample_bag",
    "write_bag",
]

GPKG_NAME = "bag-light.gpkg"
PAND_COLUMNS = (
    "identificatie",
    "bouwjaar",
    "status",
    "gebruiksdoel",
    "oppervlakte_min",
    "oppervlakte_max",
    "aantal_verblijfsobjecten",
    "rdf_seealso",
)
VBO_COLUMNS = (
    "identificatie",
    "pand_identificatie",
    "openbare_ruimte_naam",
    "huisnummer",
    "huisletter",
    "toevoeging",
    "postcode",
    "woonplaats_naam",
    "gebruiksdoel",
    "oppervlakte",
    "status",
    "bouwjaar",
)
RDF_PAND = "http://bag.basisregistraties.overheid.nl/bag/id/pand/"

#: Woonplaats and first PC4 per wijk (GM0484: the former municipalities' villages).
WOONPLAATSEN: dict[str, dict[str, tuple[str, int]]] = {
    "GM0484": {
        "WK048431": ("Benthuizen", 2731),
        "WK048445": ("Aarlanderveen", 2453),
        "WK048470": ("Boskoop", 2771),
        "WK048471": ("Zwammerdam", 2471),
        "WK048491": ("Hazerswoude-Dorp", 2391),
        "WK048494": ("Hazerswoude-Rijndijk", 2394),
        "WK048496": ("Koudekerk aan den Rijn", 2396),
        "*": ("Alphen aan den Rijn", 2401),
    },
}

# Lattice cell (along the street × depth, m) and the smallest scale a dense buurt may use.
_CELL_W, _CELL_D, _MIN_SCALE = 42.0, 30.0, 0.5
_INSET_M, _WATER_CLEARANCE_M = 6.0, 8.0
# Single-family styles: row, semi-detached pair, detached (width, depth in m).
_RIJ, _TWEE, _VRIJ = 0, 1, 2
_HOUSE_W = np.array([5.4, 8.5, 11.0])
_HOUSE_D = np.array([9.0, 10.0, 11.0])
_KIND_EGW, _KIND_FLAT, _KIND_NONRES = 0, 1, 2
_FUNCTIONS = (
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
_SHED_SHARE = 0.05
_PC6_SIZE = 20
_LETTERS = [
    a + b
    for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if a + b not in ("SA", "SD", "SS")
]

_THEMES: dict[str, tuple[str, ...]] = {
    "planeten": ("Mercurius", "Venus", "Mars", "Jupiter", "Saturnus", "Uranus", "Neptunus",
                 "Pluto", "Hercules", "Orion", "Pegasus", "Perseus", "Sirius", "Vega"),
    "edelstenen": ("Robijn", "Saffier", "Smaragd", "Diamant", "Opaal", "Topaas", "Granaat",
                   "Parel", "Jade", "Amethist", "Agaat", "Onyx", "Turkoois", "Beril"),
    "componisten": ("Bach", "Mozart", "Beethoven", "Chopin", "Brahms", "Haydn", "Schubert",
                    "Vivaldi", "Verdi", "Ravel", "Grieg", "Sweelinck", "Mahler", "Bartok"),
    "zeehelden": ("De Ruyter", "Tromp", "Piet Hein", "Van Speijk", "Evertsen", "Van Galen",
                  "Kortenaer", "Van Ghent", "Van Heemskerck", "Karel Doorman", "Van Brakel"),
    "bomen": ("Linden", "Eiken", "Beuken", "Essen", "Wilgen", "Iepen", "Populieren",
              "Kastanje", "Berken", "Elzen", "Platanen", "Acacia", "Esdoorn", "Lariks"),
    "bloemen": ("Boterbloem", "Madelief", "Korenbloem", "Klaproos", "Klaver", "Pinksterbloem",
                "Margriet", "Kamille", "Zuring", "Paardenbloem", "Duizendblad", "Akelei"),
    "vogel": ("Merel", "Lijster", "Vink", "Spreeuw", "Mees", "Zwaluw", "Reiger", "Kievit",
              "Grutto", "Wulp", "Roodborst", "Specht", "Tureluur", "Scholekster"),
    "appel": ("Elstar", "Jonagold", "Goudreinette", "Cox", "Notarisappel", "Santana",
              "Golden", "Schone van Boskoop", "Bellefleur", "Present van Engeland"),
    "paddestoel": ("Cantharel", "Morielje", "Boleet", "Champignon", "Inktzwam", "Parasolzwam",
                   "Russula", "Oesterzwam", "Truffel", "Stuifzwam"),
    "stromen": ("Maas", "Waal", "IJssel", "Lek", "Vecht", "Amstel", "Dommel", "Dinkel",
                "Berkel", "Regge", "Schelde", "Linge"),
}  # fmt: skip
_STEMS = (
    "Kerk", "Molen", "School", "Dorps", "Rijn", "Wetering", "Veld", "Weide", "Akker",
    "Hoeve", "Tuin", "Boomgaard", "Sluis", "Brug", "Kade", "Haven", "Dijk", "Vaart",
    "Sloot", "Meer", "Zand", "Klei", "Veen", "Riet", "Smeden", "Kuipers", "Wevers",
    "Bakkers", "Schippers", "Vissers", "Rembrandt", "Vermeer", "Frans Hals", "Jan Steen",
    "Mesdag", "Mondriaan", "Breitner", "Jongkind", "Toorop", "Vondel", "Bilderdijk",
    "Multatuli", "Bredero", "Huygens", "Jacob Cats", "Erasmus", "Spinoza", "Grotius",
    *_THEMES["bomen"], *_THEMES["vogel"], *_THEMES["bloemen"], *_THEMES["stromen"],
)  # fmt: skip
#: ``None`` as an array, for element-wise choices that leave a field empty.
_NONE = np.array(None, dtype=object)
_SUFFIXES = ("straat", "laan", "weg", "hof", "pad", "plein", "singel", "kade", "dreef", "erf")


@dataclass
class _Units:
    """What one buurt gets: eengezins blocks, flats and non-residential panden."""

    kind: np.ndarray  # _KIND_*
    count: np.ndarray  # houses in the block / homes in the flat / vbo's of the pand
    style: np.ndarray  # eengezins: _RIJ/_TWEE/_VRIJ; flat: floors; non-res: function index
    cells: np.ndarray  # lattice cells along the street
    length: np.ndarray  # m at scale 1 (flats and non-res; eengezins from the style)

    def __len__(self) -> int:
        return len(self.kind)


class _Field:
    """A smooth random field (random Fourier features, ~``wavelength`` m), unit variance."""

    def __init__(self, rng: np.random.Generator, wavelength: float, k: int = 16) -> None:
        angle = rng.uniform(0, np.pi, k)
        freq = 2 * np.pi / wavelength * rng.uniform(0.6, 1.4, k)
        self.wx, self.wy = freq * np.cos(angle), freq * np.sin(angle)
        self.phase = rng.uniform(0, 2 * np.pi, k)
        self.norm = math.sqrt(2 / k)

    def __call__(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        arg = np.multiply.outer(x, self.wx) + np.multiply.outer(y, self.wy) + self.phase
        return np.asarray(self.norm * np.cos(arg).sum(axis=-1))


def _draw_until(total: int, draw: np.ndarray) -> np.ndarray:
    """The leading draws whose sum reaches ``total`` exactly (the last one cut)."""
    if total <= 0:
        return draw[:0]
    cum = np.cumsum(draw)
    n = int(np.searchsorted(cum, total) + 1)
    out = draw[:n].copy()
    out[-1] -= int(cum[n - 1] - total)
    return out


def _plan(p: pd.Series, area_ha: float, rng: np.random.Generator) -> _Units:
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
    size = np.where(style == _RIJ, rng.integers(3, 9, len(style)), np.where(style == _TWEE, 2, 1))
    egw = _draw_until(egw_homes, size)
    egw_style = style[: len(egw)].copy()
    egw_style[(egw_style == _RIJ) & (egw == 1)] = _VRIJ
    egw_style[(egw_style == _RIJ) & (egw == 2)] = _TWEE
    egw_style[(egw_style == _TWEE) & (egw == 1)] = _VRIJ

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
        func = rng.choice(len(_FUNCTIONS), n_nonres, p=_P_FUNCTION_BUSINESS)
        nonres_cells = rng.integers(1, 4, n_nonres)
    else:
        n_nonres = int(rng.poisson(0.02 * (len(egw) + len(flats)) + 0.3 * (homes > 50)))
        func = rng.choice(len(_FUNCTIONS), n_nonres, p=_P_FUNCTION_TOWN)
        nonres_cells = np.ones(n_nonres, dtype="int64")
    nonres_vbo = rng.integers(1, 4, n_nonres)
    nonres_len = nonres_cells * _CELL_W * rng.uniform(0.55, 0.85, n_nonres)

    kind = np.concatenate(
        [np.full(len(egw), _KIND_EGW), np.full(len(flats), _KIND_FLAT), np.full(n_nonres, 2)]
    )
    flat_cells = np.ceil((flat_len + 4) / _CELL_W)
    return _Units(
        kind=kind.astype("int64"),
        count=np.concatenate([egw, flats, nonres_vbo]).astype("int64"),
        style=np.concatenate([egw_style, floors, func]).astype("int64"),
        cells=np.concatenate([np.ones(len(egw)), flat_cells, nonres_cells]).astype("int64"),
        length=np.concatenate([np.zeros(len(egw)), flat_len, nonres_len]),
    )


@dataclass
class _Lattice:
    """Street lattice of one buurt in its rotated local frame; ``free`` cells lie inside."""

    u0: float
    v0: float
    w: float
    d: float
    free: np.ndarray  # (rows, cols) bool

    @property
    def count(self) -> int:
        return int(self.free.sum())


def _lattice(local: shapely.Geometry, w: float, d: float, rng: np.random.Generator) -> _Lattice:
    minx, miny, maxx, maxy = local.bounds
    u0, v0 = minx + rng.uniform(0, w), miny + rng.uniform(0, d)
    nj, ni = int((maxx - u0) // w), int((maxy - v0) // d)
    if local.is_empty or ni <= 0 or nj <= 0:
        return _Lattice(u0, v0, w, d, np.zeros((0, 0), dtype=bool))
    jj, ii = np.meshgrid(np.arange(nj), np.arange(ni))
    us, vs = u0 + jj * w, v0 + ii * d
    shapely.prepare(local)
    inside = shapely.contains_xy(local, us, vs)
    for du, dv in ((w, 0.0), (0.0, d), (w, d)):
        inside &= shapely.contains_xy(local, us + du, vs + dv)
    return _Lattice(u0, v0, w, d, inside)


def _gumbel_top(weights: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of ``n`` draws without replacement, probability ∝ ``weights`` (Gumbel top-k)."""
    keys = np.log(weights) + rng.gumbel(size=len(weights))
    if n >= len(weights):
        return np.argsort(-keys, kind="stable")
    return np.argpartition(-keys, n)[:n]


def _assign(
    units: _Units, grid: _Lattice, weight: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row, first column and cells used per unit; -1 where the lattice is full (overflow)."""
    n = len(units)
    row, col = np.full(n, -1), np.full(n, -1)
    used = units.cells.copy()
    free = grid.free.copy()
    nj = free.shape[1]
    for u in np.flatnonzero(units.cells > 1)[np.argsort(-units.cells[units.cells > 1])]:
        for m in range(int(units.cells[u]), 0, -1):
            if nj < m:
                continue
            runs = np.lib.stride_tricks.sliding_window_view(free, m, axis=1).all(axis=2)
            cand = np.flatnonzero(runs)
            if len(cand):
                pick = cand[_gumbel_top(weight[:, : nj - m + 1].ravel()[cand], 1, rng)[0]]
                row[u], col[u], used[u] = pick // (nj - m + 1), pick % (nj - m + 1), m
                free[row[u], col[u] : col[u] + m] = False
                break
    singles = np.flatnonzero(units.cells == 1)
    cand = np.flatnonzero(free.ravel())
    take = _gumbel_top(weight.ravel()[cand], min(len(singles), len(cand)), rng)
    chosen = cand[take]
    row[singles[: len(chosen)]], col[singles[: len(chosen)]] = (
        chosen // max(nj, 1),
        chosen % max(nj, 1),
    )
    # overflow: a random inside cell (overlapping), or nothing when the buurt has no lattice
    left = np.flatnonzero(row < 0)
    inside = np.flatnonzero(grid.free.ravel())
    if len(left) and len(inside):
        pick = inside[rng.integers(0, len(inside), len(left))]
        row[left], col[left], used[left] = pick // nj, pick % nj, 1
    return row, col, used


def _boxes(u0: np.ndarray, v0: np.ndarray, u1: np.ndarray, v1: np.ndarray) -> np.ndarray:
    """Rectangle rings (n, 5, 2) from opposite corners, in the local frame.

    Neighbours in a row are given the same edge value, so they touch without overlap.
    """
    x = np.stack([u0, u1, u1, u0, u0], axis=1)
    y = np.stack([v0, v0, v1, v1, v0], axis=1)
    return np.stack([x, y], axis=2)


def _to_world(coords: np.ndarray, centre: tuple[float, float], theta: float) -> np.ndarray:
    cx, cy = centre
    c, s = math.cos(theta), math.sin(theta)
    du, dv = coords[..., 0] - cx, coords[..., 1] - cy
    return np.stack([cx + du * c - dv * s, cy + du * s + dv * c], axis=-1)


@dataclass
class _Buurt:
    """The generated objects of one buurt, before ids and addresses."""

    pand_rings: np.ndarray  # (n, 5, 2) world
    pand_kind: np.ndarray  # _KIND_* or 3 = shed
    pand_year: np.ndarray
    pand_func: np.ndarray  # function index (non-res), -1 otherwise
    pand_row: np.ndarray  # lattice row (street) and along-street order
    pand_order: np.ndarray
    vbo_xy: np.ndarray  # (m, 2) world
    vbo_pand: np.ndarray  # index into this buurt's panden
    vbo_type: np.ndarray  # EP-Online gebouwtype
    vbo_subtype: np.ndarray
    vbo_area: np.ndarray
    vbo_letter: np.ndarray  # huisletter or None
    vbo_same_number: np.ndarray  # shares the previous vbo's house number


def _buurt_objects(
    region: shapely.Geometry,
    p: pd.Series,
    area_ha: float,
    fields: tuple[_Field, _Field, _Field],
    rng: np.random.Generator,
) -> _Buurt | None:
    units = _plan(p, area_ha, rng)
    if not len(units):
        return None
    cluster, age, newness = fields
    env = shapely.oriented_envelope(region)
    ring = np.asarray(env.exterior.coords) if env.geom_type == "Polygon" else np.zeros((2, 2))
    edge = ring[1] - ring[0]
    theta = math.atan2(edge[1], edge[0]) + float(rng.normal(0, 0.05))
    c = region.centroid if not region.is_empty else shapely.Point(0, 0)
    centre = (c.x, c.y)
    local = shapely.affinity.rotate(region, -theta, origin=c, use_radians=True)

    need = float(units.cells.sum())
    scale = 1.0
    grid = _lattice(local, _CELL_W, _CELL_D, rng)
    for _ in range(3):
        if grid.count >= need * 1.05 or scale <= _MIN_SCALE:
            break
        scale = max(_MIN_SCALE, scale * math.sqrt(max(grid.count, 1) / (need * 1.15)))
        grid = _lattice(local, _CELL_W * scale, _CELL_D * scale, rng)
    w, d = grid.w, grid.d
    ni, nj = grid.free.shape
    centres = _to_world(
        np.stack(
            np.meshgrid(grid.u0 + (np.arange(nj) + 0.5) * w, grid.v0 + (np.arange(ni) + 0.5) * d),
            axis=-1,
        ),
        centre,
        theta,
    )
    beta = 3.0 if bool(p["landelijk"]) else 1.0
    field = cluster(centres[..., 0], centres[..., 1]) if ni and nj else np.zeros((ni, nj))
    is_nonres = units.kind == _KIND_NONRES
    weight = np.exp(beta * field)
    row, col, used = _assign(units, grid, weight, rng)
    if (row < 0).any():  # a buurt without room: everything around its representative point
        rp = shapely.affinity.rotate(
            region.representative_point() if not region.is_empty else c,
            -theta,
            origin=c,
            use_radians=True,
        )
        grid = _Lattice(rp.x - w / 2, rp.y - d / 2, w, d, np.ones((1, 1), dtype=bool))
        row[row < 0], col[row < 0] = 0, 0
    u_cell = grid.u0 + col * w
    v_cell = grid.v0 + row * d
    # year per unit: the buurt's era, neighbouring blocks alike; new builds where `newness` peaks
    ux, uy = _to_world(np.stack([u_cell + used * w / 2, v_cell + d / 2], axis=1), centre, theta).T
    era, spread = float(p["bouwjaar"]), float(p["spreiding"])
    years = era + spread * (0.6 * age(ux, uy) + 0.8 * rng.standard_normal(len(units)))
    low = 1700 if era < 1960 else 1850
    years = np.clip(np.round(years), low, 2013)
    homes = np.where(units.kind == _KIND_NONRES, 0, units.count)
    if homes.sum() and float(p["nieuw"]) > 0:
        order = np.argsort(-newness(ux, uy) - 5 * is_nonres, kind="stable")
        share = np.cumsum(homes[order]) / homes.sum()
        new = order[share - 0.5 * homes[order] / homes.sum() < float(p["nieuw"])]
        new = new[units.kind[new] != _KIND_NONRES]
        if era >= 2014:
            years[new] = np.clip(np.round(rng.normal(era, 2, len(new))), 2014, 2023)
        else:
            years[new] = rng.integers(2014, 2024, len(new))
    if bool(p["bedrijven"]):
        years[is_nonres] = np.clip(np.round(rng.normal(1990, 15, is_nonres.sum())), 1950, 2023)

    rings: list[np.ndarray] = []
    kinds: list[np.ndarray] = []
    pyears: list[np.ndarray] = []
    funcs: list[np.ndarray] = []
    rows: list[np.ndarray] = []
    orders: list[np.ndarray] = []
    vbo: dict[str, list[np.ndarray]] = {
        k: [] for k in ("xy", "pand", "type", "sub", "area", "letter", "same")
    }
    n_pand = 0

    # --- eengezins houses, one pand each
    e = np.flatnonzero(units.kind == _KIND_EGW)
    if len(e):
        k = units.count[e]
        st = units.style[e]
        hw = _HOUSE_W[st] * scale * np.where(era < 1945, 0.93, np.where(era >= 1995, 1.05, 1.0))
        hw = np.minimum(hw, (w - 2 * scale) / k)  # a long row narrows to fit its plot
        hd = _HOUSE_D[st] * scale
        slack = (w - k * hw) / 2
        start = u_cell[e] + slack + rng.uniform(-1, 1, len(e)) * np.minimum(slack, scale)
        v_start = v_cell[e] + (d - hd) * 0.35
        unit = np.repeat(np.arange(len(e)), k)
        q = np.arange(len(unit)) - np.repeat(np.cumsum(k) - k, k)
        hw_h, hd_h = hw[unit], hd[unit]
        u_h = start[unit] + q * hw_h
        v_h = v_start[unit]
        rings.append(_boxes(u_h, v_h, start[unit] + (q + 1) * hw_h, v_h + hd_h))
        kinds.append(np.full(len(unit), _KIND_EGW))
        pyears.append(years[e][unit])
        funcs.append(np.full(len(unit), -1))
        rows.append(row[e][unit])
        orders.append(col[e][unit] * 1000 + q)
        st_h, k_h = st[unit], k[unit]
        corner = (q == 0) | (q == k_h - 1)
        gebouwtype = np.where(
            st_h == _TWEE,
            "Twee-onder-één-kap",
            np.where(
                st_h == _VRIJ,
                "Vrijstaande woning",
                np.where(corner, "Rijwoning hoek", "Rijwoning tussen"),
            ),
        )
        base_area = np.array([112.0, 138.0, 170.0])[st_h] + np.where(
            bool(p["landelijk"]) & (st_h == _VRIJ), 25.0, 0.0
        )
        base_area = base_area * np.where(pyears[-1] < 1945, 0.85, 1.0)
        vbo["xy"].append(np.stack([u_h + hw_h / 2, v_h + hd_h / 2], axis=1))
        vbo["pand"].append(np.arange(len(unit)))
        vbo["type"].append(gebouwtype)
        vbo["sub"].append(np.full(len(unit), None, dtype=object))
        vbo["area"].append(np.maximum(base_area + rng.normal(0, 15, len(unit)), 45))
        vbo["letter"].append(np.full(len(unit), None, dtype=object))
        vbo["same"].append(np.zeros(len(unit), dtype=bool))
        n_pand += len(unit)
        # sheds behind some houses: panden without verblijfsobject
        shed = rng.random(len(unit)) < _SHED_SHARE
        if shed.any():
            rings.append(
                _boxes(
                    u_h[shed] + 0.5 * scale,
                    v_h[shed] + hd_h[shed] + 1.5 * scale,
                    u_h[shed] + 3.5 * scale,
                    v_h[shed] + hd_h[shed] + 4.0 * scale,
                )
            )
            kinds.append(np.full(shed.sum(), 3))
            pyears.append(np.minimum(pyears[-1][shed] + rng.integers(0, 30, shed.sum()), 2023))
            funcs.append(np.full(shed.sum(), -1))
            rows.append(row[e][unit][shed])
            orders.append(col[e][unit][shed] * 1000 + q[shed])
            n_pand += int(shed.sum())

    # --- flats and non-residential panden, one pand each with several verblijfsobjecten
    b = np.flatnonzero(units.kind != _KIND_EGW)
    if len(b):
        flat = units.kind[b] == _KIND_FLAT
        length = np.minimum(units.length[b] * scale, used[b] * w - 4 * scale)
        depth = np.where(flat, rng.uniform(10, 13, len(b)), rng.uniform(0.5, 0.8, len(b)) * 30)
        depth = np.minimum(depth * scale, d - 3 * scale)
        u_b = u_cell[b] + (used[b] * w - length) / 2
        v_b = v_cell[b] + (d - depth) / 2
        rings.append(_boxes(u_b, v_b, u_b + length, v_b + depth))
        kinds.append(units.kind[b])
        pyears.append(years[b])
        funcs.append(np.where(flat, -1, units.style[b]))
        rows.append(row[b])
        orders.append(col[b] * 1000)
        count = units.count[b]
        owner = np.repeat(np.arange(len(b)), count)
        idx = np.arange(len(owner)) - np.repeat(np.cumsum(count) - count, count)
        per_floor = np.ceil(count / np.where(flat, units.style[b], 1))[owner]
        floors = np.where(flat, units.style[b], 1)[owner]
        floor = idx // per_floor
        pos = idx % per_floor
        hoek = (pos == 0) | (pos == per_floor - 1)
        level = np.where(
            floors == 1,
            "dakvloer",
            np.where(floor == 0, "vloer", np.where(floor >= floors - 1, "dak", "midden")),
        )
        is_flat = flat[owner]
        vbo["xy"].append(
            np.stack(
                [
                    u_b[owner] + rng.uniform(0.1, 0.9, len(owner)) * length[owner],
                    v_b[owner] + rng.uniform(0.1, 0.9, len(owner)) * depth[owner],
                ],
                axis=1,
            )
        )
        vbo["pand"].append(n_pand + owner)
        vbo["type"].append(np.where(is_flat, "Appartement", _NONE))
        subtype = np.char.add(np.where(hoek, "Hoek", "Tussen"), level)
        vbo["sub"].append(np.where(is_flat, subtype, _NONE))
        flat_area = np.where(count >= 40, 72.0, np.where(years[b] >= 1995, 85.0, 65.0))[owner]
        nonres_area = np.exp(rng.normal(np.log(250), 0.8, len(owner))) * (
            4 if bool(p["bedrijven"]) else 1
        )
        vbo["area"].append(
            np.where(
                is_flat, np.maximum(flat_area + rng.normal(0, 12, len(owner)), 25), nonres_area
            )
        )
        upstairs = is_flat & (count[owner] <= 8) & (years[b][owner] < 1945) & (idx % 2 == 1)
        vbo["letter"].append(np.where(upstairs, "A", _NONE))
        vbo["same"].append(upstairs)

    def world(a: np.ndarray) -> np.ndarray:
        return _to_world(a, centre, theta)

    return _Buurt(
        pand_rings=world(np.concatenate(rings)),
        pand_kind=np.concatenate(kinds),
        pand_year=np.concatenate(pyears).astype("int64"),
        pand_func=np.concatenate(funcs),
        pand_row=np.concatenate(rows),
        pand_order=np.concatenate(orders),
        vbo_xy=world(np.concatenate(vbo["xy"])),
        vbo_pand=np.concatenate(vbo["pand"]),
        vbo_type=np.concatenate(vbo["type"]).astype(object),
        vbo_subtype=np.concatenate(vbo["sub"]).astype(object),
        vbo_area=np.round(np.concatenate(vbo["area"])).astype("int64"),
        vbo_letter=np.concatenate(vbo["letter"]).astype(object),
        vbo_same_number=np.concatenate(vbo["same"]),
    )


def _regions(buurten: gpd.GeoDataFrame, water: gpd.GeoSeries | None) -> np.ndarray:
    """Where buildings may stand: each buurt a little inset, minus the surface water."""
    regions = shapely.buffer(buurten.geometry.to_numpy(), -_INSET_M)
    if water is not None and len(water):
        wet = shapely.union_all(shapely.buffer(water.to_crs(CRS_RD).to_numpy(), _WATER_CLEARANCE_M))
        regions = shapely.difference(regions, wet)
    return np.asarray(regions)


_PREFIXES = ("", "Oude ", "Nieuwe ", "Korte ", "Lange ")


class _Streets:
    """Invented street names, unique per woonplaats, themed after the buurt's name.

    Every woonplaats draws from its own shuffled pool (stems × suffixes, then with "Oude",
    "Nieuwe", ... in front), a themed buurt first from its theme's pool.
    """

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.pools: dict[tuple[str, str], list[str]] = {}
        self.taken: dict[str, set[str]] = {}

    def _pool(self, woonplaats: str, theme: str) -> list[str]:
        key = (woonplaats, theme)
        if key not in self.pools:
            stems = _THEMES.get(theme, _STEMS)
            names = [f"{stem}{suf}" for stem in stems for suf in _SUFFIXES]
            self.rng.shuffle(names)
            if not theme:  # the generic pool also holds the prefixed names, after the plain ones
                more = [
                    f"{pre}{stem}{suf}"
                    for pre in _PREFIXES[1:]
                    for stem in stems
                    for suf in _SUFFIXES
                ]
                self.rng.shuffle(more)
                names += more
            self.pools[key] = names[::-1]  # popped from the end
        return self.pools[key]

    def name(self, woonplaats: str, buurtnaam: str) -> str:
        taken = self.taken.setdefault(woonplaats, set())
        lower = buurtnaam.lower()
        theme = next((k for k in _THEMES if k in lower), "")
        for pool_theme in (theme, "") if theme else ("",):
            pool = self._pool(woonplaats, pool_theme)
            while pool:
                candidate = pool.pop()
                if candidate not in taken:
                    taken.add(candidate)
                    return candidate
        fallback = f"Straat {len(taken) + 1}"
        taken.add(fallback)
        return fallback


def _woonplaats(gm: str, wijkcode: str, buurten: pd.DataFrame) -> tuple[str, int]:
    table = WOONPLAATSEN.get(gm)
    if table is not None:
        return table.get(wijkcode, table["*"])
    if "gemeentenaam" in buurten.columns and buurten["gemeentenaam"].notna().any():
        name = str(buurten["gemeentenaam"].dropna().iloc[0])
    else:
        name = gm
    digest = sum(ord(ch) * (i + 1) for i, ch in enumerate(gm))
    return name, 1000 + digest % 8800


class _Postcodes:
    """PC6 codes: a PC4 per wijk (consecutive within a woonplaats), letters per group."""

    def __init__(self) -> None:
        self.used: dict[int, int] = {}
        self.of_wijk: dict[str, int] = {}
        self.next_of_place: dict[str, int] = {}

    def pc4(self, wijkcode: str, woonplaats: str, base: int) -> int:
        if wijkcode not in self.of_wijk:
            self.of_wijk[wijkcode] = self.next_of_place.get(woonplaats, base)
            self.next_of_place[woonplaats] = self.of_wijk[wijkcode] + 1
        return self.of_wijk[wijkcode]

    def next(self, pc4: int) -> str:
        n = self.used.get(pc4, 0)
        while n >= len(_LETTERS):  # a full PC4: further on
            pc4 += 100
            n = self.used.get(pc4, 0)
        self.used[pc4] = n + 1
        return f"{pc4}{_LETTERS[n]}"


def _addresses(
    objects: _Buurt, rank: np.ndarray, street_names: dict[int, str], pc4: int, codes: _Postcodes
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per verblijfsobject: address order, street, house number and postcode.

    Two lattice rows face one street: odd numbers on one side, even on the other, in
    pand order along the street; a verblijfsobject marked ``vbo_same_number`` (an upstairs
    home) shares the number before it.
    """
    vp = objects.vbo_pand
    row = objects.pand_row[vp]
    vorder = np.lexsort((np.arange(len(vp)), rank[vp]))
    street = np.array([street_names[r // 2] for r in row], dtype=object)
    number = np.zeros(len(vp), dtype="int64")
    postcode = np.empty(len(vp), dtype=object)
    for r in np.unique(row):
        idx = vorder[row[vorder] == r]
        step = (~objects.vbo_same_number[idx]).astype("int64")
        step[0] = 1
        number[idx] = 2 * np.cumsum(step) - (1 if r % 2 == 0 else 0)
    for s in np.unique(row // 2):
        idx = vorder[row[vorder] // 2 == s]
        groups = (number[idx] - 1) // (2 * _PC6_SIZE)
        for g in np.unique(groups):
            postcode[idx[groups == g]] = codes.next(pc4)
    return vorder, street, number, postcode


def sample_bag(
    buurten: gpd.GeoDataFrame, profiel: pd.DataFrame, *, water: gpd.GeoSeries | None = None
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The sample ``pand`` and ``verblijfsobject`` layers (EPSG:28992) in memory.

    ``profiel`` is :func:`wijkplan.sample.woningen.woningprofiel` of the same buurten;
    ``water`` (polygons) is kept free of buildings. Besides the published columns and
    ``bron`` both frames carry ``_buurtcode`` and the verblijfsobjecten ``_gebouwtype`` and
    ``_gebouwsubtype`` (EP-Online's dwelling type) for the other sample generators;
    :func:`write_bag` leaves every ``_`` column out. Rows are in id order.
    """
    if buurten.crs is None or buurten.crs.to_epsg() != 28992:
        buurten = buurten.to_crs(CRS_RD)
    buurten = buurten.reset_index(drop=True)
    gm = gemeentecode_of(buurten)
    rng = rng_for(gm, "bag")
    field_rng = rng_for(gm, "bag-velden")
    fields = (_Field(field_rng, 500.0), _Field(field_rng, 350.0), _Field(field_rng, 400.0))
    streets = _Streets(rng_for(gm, "bag-straten"))
    postcodes = _Postcodes()
    prof = profiel.set_index("buurtcode")
    regions = _regions(buurten, water)
    area_ha = buurten.geometry.area.to_numpy() / 10_000

    pand: dict[str, list[np.ndarray]] = {}
    vbo: dict[str, list[np.ndarray]] = {}

    def add(target: dict[str, list[np.ndarray]], **columns: np.ndarray) -> None:
        for key, values in columns.items():
            target.setdefault(key, []).append(values)

    for pos, code in enumerate(buurten["buurtcode"].astype(str)):
        if code not in prof.index:
            continue
        objects = _buurt_objects(regions[pos], prof.loc[code], float(area_ha[pos]), fields, rng)
        if objects is None:
            continue
        wijkcode = str(buurten["wijkcode"].iloc[pos])
        woonplaats, pc4_base = _woonplaats(gm, wijkcode, buurten)
        pc4 = postcodes.pc4(wijkcode, woonplaats, pc4_base)
        buurtnaam = str(buurten["buurtnaam"].iloc[pos])

        # panden in street order; ids in that order
        order = np.lexsort((objects.pand_order, objects.pand_row))
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        first = sum(len(a) for a in pand.get("rank", []))
        vp = objects.vbo_pand
        names = {s: streets.name(woonplaats, buurtnaam) for s in np.unique(objects.pand_row // 2)}
        vorder, street, number, postcode = _addresses(objects, rank, names, pc4, postcodes)
        kind = objects.pand_kind
        gebruik = np.where(
            kind == _KIND_NONRES,
            np.array(_FUNCTIONS, dtype=object)[np.maximum(objects.pand_func, 0)],
            np.where(kind == 3, _NONE, "woonfunctie"),
        ).astype(object)
        year = objects.pand_year
        niet_ingemeten = (year == 2023) & (rng.random(len(year)) < 0.3)
        area = objects.vbo_area.astype("float64")
        a_min = np.full(len(kind), np.inf)
        a_max = np.full(len(kind), -np.inf)
        np.minimum.at(a_min, vp, area)
        np.maximum.at(a_max, vp, area)
        add(
            pand,
            rank=first + rank[order],
            bouwjaar=year[order],
            niet_ingemeten=niet_ingemeten[order],
            gebruiksdoel=gebruik[order],
            oppervlakte_min=np.where(np.isfinite(a_min), a_min, np.nan)[order],
            oppervlakte_max=np.where(np.isfinite(a_max), a_max, np.nan)[order],
            aantal_verblijfsobjecten=np.bincount(vp, minlength=len(kind))[order],
            _buurtcode=np.full(len(kind), code, dtype=object),
            rings=objects.pand_rings[order],
        )
        add(
            vbo,
            pand_rank=first + rank[vp][vorder],
            openbare_ruimte_naam=street[vorder],
            huisnummer=number[vorder],
            huisletter=objects.vbo_letter[vorder],
            postcode=postcode[vorder],
            woonplaats_naam=np.full(len(vp), woonplaats, dtype=object),
            gebruiksdoel=gebruik[vp][vorder],
            oppervlakte=objects.vbo_area[vorder],
            niet_ingemeten=niet_ingemeten[vp][vorder],
            bouwjaar=year[vp][vorder],
            _buurtcode=np.full(len(vp), code, dtype=object),
            _gebouwtype=objects.vbo_type[vorder],
            _gebouwsubtype=objects.vbo_subtype[vorder],
            xy=objects.vbo_xy[vorder],
        )
    return _frames(gm, pand, vbo)


def _frames(
    gm: str, pand: dict[str, list[np.ndarray]], vbo: dict[str, list[np.ndarray]]
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Both layers in id order, with ids, statuses, ``bron`` and geometry."""
    bron = sample_bron(gm)
    p = {k: np.concatenate(v) for k, v in pand.items()}
    v = {k: np.concatenate(v) for k, v in vbo.items()}
    if not p:
        return (
            gpd.GeoDataFrame(
                {c: [] for c in (*PAND_COLUMNS, "bron", "_buurtcode")},
                geometry=gpd.GeoSeries([], crs=CRS_RD),
            ),
            gpd.GeoDataFrame(
                {
                    c: []
                    for c in (*VBO_COLUMNS, "bron", "_buurtcode", "_gebouwtype", "_gebouwsubtype")
                },
                geometry=gpd.GeoSeries([], crs=CRS_RD),
            ),
        )
    pand_ids = np.char.add(f"{gm[2:]}10", np.char.zfill((p["rank"] + 100_001).astype(str), 10))
    vbo_ids = np.char.add(
        f"{gm[2:]}01", np.char.zfill((np.arange(len(v["pand_rank"])) + 100_001).astype(str), 10)
    )
    panden = gpd.GeoDataFrame(
        {
            "identificatie": pand_ids.astype(object),
            "bouwjaar": p["bouwjaar"].astype("int64"),
            "status": np.where(
                p["niet_ingemeten"], "Pand in gebruik (niet ingemeten)", "Pand in gebruik"
            ).astype(object),
            "gebruiksdoel": p["gebruiksdoel"],
            "oppervlakte_min": pd.array(np.round(p["oppervlakte_min"]), dtype="Int64"),
            "oppervlakte_max": pd.array(np.round(p["oppervlakte_max"]), dtype="Int64"),
            "aantal_verblijfsobjecten": p["aantal_verblijfsobjecten"].astype("int64"),
            "rdf_seealso": np.char.add(RDF_PAND, pand_ids).astype(object),
            "bron": bron,
            "_buurtcode": p["_buurtcode"],
        },
        geometry=gpd.GeoSeries(shapely.polygons(p["rings"]), crs=CRS_RD),
    )
    verblijfsobjecten = gpd.GeoDataFrame(
        {
            "identificatie": vbo_ids.astype(object),
            "pand_identificatie": pand_ids[np.argsort(p["rank"])][v["pand_rank"]].astype(object),
            "openbare_ruimte_naam": v["openbare_ruimte_naam"],
            "huisnummer": v["huisnummer"].astype("int64"),
            "huisletter": v["huisletter"],
            "toevoeging": np.full(len(vbo_ids), None, dtype=object),
            "postcode": v["postcode"],
            "woonplaats_naam": v["woonplaats_naam"],
            "gebruiksdoel": v["gebruiksdoel"],
            "oppervlakte": v["oppervlakte"].astype("int64"),
            "status": np.where(
                v["niet_ingemeten"],
                "Verblijfsobject in gebruik (niet ingemeten)",
                "Verblijfsobject in gebruik",
            ).astype(object),
            "bouwjaar": v["bouwjaar"].astype("int64"),
            "bron": bron,
            "_buurtcode": v["_buurtcode"],
            "_gebouwtype": v["_gebouwtype"],
            "_gebouwsubtype": v["_gebouwsubtype"],
        },
        geometry=gpd.GeoSeries(shapely.points(v["xy"]), crs=CRS_RD),
    )
    return panden, verblijfsobjecten


def write_bag(panden: gpd.GeoDataFrame, verblijfsobjecten: gpd.GeoDataFrame, path: Path) -> None:
    """Both layers into one GeoPackage (``pand``, ``verblijfsobject``); ``_`` columns left out.

    Written through Arrow where GDAL and pyarrow allow it (about twice as fast).
    """
    arrow = importlib.util.find_spec("pyarrow") is not None and pyogrio.__gdal_version__ >= (
        3,
        8,
        0,
    )
    for frame, layer in ((panden, "pand"), (verblijfsobjecten, "verblijfsobject")):
        public = [c for c in frame.columns if not str(c).startswith("_")]
        frame[public].to_file(path, layer=layer, driver="GPKG", engine="pyogrio", use_arrow=arrow)
