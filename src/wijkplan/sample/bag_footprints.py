"""Where the sample BAG's buildings stand: a street lattice per buurt, footprints, building years.

Footprints are small rotated rectangles on a street lattice inside each buurt (kept out
of the sample surface water), clustered by a smooth random field, so that rural buurten
get ribbons and hamlets rather than an even sprinkle; the lattice shrinks where a dense
buurt needs it. Building years follow the buurt's profile (typical year, spread,
new-build share), neighbouring blocks alike. Each unit of
:func:`wijkplan.sample.bag_units.plan_units` becomes panden (one per house, one per flat
or hall, some sheds) with their verblijfsobjecten, still without ids and addresses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.affinity

from wijkplan.sample.bag_units import (
    CELL_D,
    CELL_W,
    KIND_EGW,
    KIND_FLAT,
    KIND_NONRES,
    NONE,
    TWEE,
    VRIJ,
    Units,
    plan_units,
)
from wijkplan.settings import CRS_RD

__all__ = ["BuurtObjects", "Field", "buurt_objects", "regions"]

# The smallest lattice scale a dense buurt may use; inset from the buurt's edge and
# clearance from surface water (m).
_MIN_SCALE = 0.5
_INSET_M, _WATER_CLEARANCE_M = 6.0, 8.0
# House width and depth per single-family style (row, pair, detached; m).
_HOUSE_W = np.array([5.4, 8.5, 11.0])
_HOUSE_D = np.array([9.0, 10.0, 11.0])
_SHED_SHARE = 0.05


class Field:
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
    units: Units, grid: _Lattice, weight: np.ndarray, rng: np.random.Generator
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
class BuurtObjects:
    """The generated objects of one buurt, before ids and addresses."""

    pand_rings: np.ndarray  # (n, 5, 2) world
    pand_kind: np.ndarray  # KIND_* or 3 = shed
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


def buurt_objects(
    region: shapely.Geometry,
    p: pd.Series,
    area_ha: float,
    fields: tuple[Field, Field, Field],
    rng: np.random.Generator,
) -> BuurtObjects | None:
    """The panden and verblijfsobjecten of one buurt inside ``region`` (None: nothing to build).

    ``p`` is the buurt's row of the housing profile; ``fields`` are the smooth random
    fields for clustering, building age and new builds (shared by all buurten, so that
    neighbouring buurten look alike at their border).
    """
    units = plan_units(p, area_ha, rng)
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
    grid = _lattice(local, CELL_W, CELL_D, rng)
    for _ in range(3):
        if grid.count >= need * 1.05 or scale <= _MIN_SCALE:
            break
        scale = max(_MIN_SCALE, scale * math.sqrt(max(grid.count, 1) / (need * 1.15)))
        grid = _lattice(local, CELL_W * scale, CELL_D * scale, rng)
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
    is_nonres = units.kind == KIND_NONRES
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
    homes = np.where(units.kind == KIND_NONRES, 0, units.count)
    if homes.sum() and float(p["nieuw"]) > 0:
        order = np.argsort(-newness(ux, uy) - 5 * is_nonres, kind="stable")
        share = np.cumsum(homes[order]) / homes.sum()
        new = order[share - 0.5 * homes[order] / homes.sum() < float(p["nieuw"])]
        new = new[units.kind[new] != KIND_NONRES]
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
    e = np.flatnonzero(units.kind == KIND_EGW)
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
        kinds.append(np.full(len(unit), KIND_EGW))
        pyears.append(years[e][unit])
        funcs.append(np.full(len(unit), -1))
        rows.append(row[e][unit])
        orders.append(col[e][unit] * 1000 + q)
        st_h, k_h = st[unit], k[unit]
        corner = (q == 0) | (q == k_h - 1)
        gebouwtype = np.where(
            st_h == TWEE,
            "Twee-onder-één-kap",
            np.where(
                st_h == VRIJ,
                "Vrijstaande woning",
                np.where(corner, "Rijwoning hoek", "Rijwoning tussen"),
            ),
        )
        base_area = np.array([112.0, 138.0, 170.0])[st_h] + np.where(
            bool(p["landelijk"]) & (st_h == VRIJ), 25.0, 0.0
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
    b = np.flatnonzero(units.kind != KIND_EGW)
    if len(b):
        flat = units.kind[b] == KIND_FLAT
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
        vbo["type"].append(np.where(is_flat, "Appartement", NONE))
        subtype = np.char.add(np.where(hoek, "Hoek", "Tussen"), level)
        vbo["sub"].append(np.where(is_flat, subtype, NONE))
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
        vbo["letter"].append(np.where(upstairs, "A", NONE))
        vbo["same"].append(upstairs)

    def world(a: np.ndarray) -> np.ndarray:
        return _to_world(a, centre, theta)

    return BuurtObjects(
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


def regions(buurten: gpd.GeoDataFrame, water: gpd.GeoSeries | None) -> np.ndarray:
    """Where buildings may stand: each buurt a little inset, minus the surface water."""
    regions = shapely.buffer(buurten.geometry.to_numpy(), -_INSET_M)
    if water is not None and len(water):
        wet = shapely.union_all(shapely.buffer(water.to_crs(CRS_RD).to_numpy(), _WATER_CLEARANCE_M))
        regions = shapely.difference(regions, wet)
    return np.asarray(regions)
