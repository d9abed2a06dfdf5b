"""Sample corporation complexes for any municipality, in the real complexen format.

Placement follows public facts where they exist (for Alphen aan den Rijn:
Woonforte in Alphen-stad and Boskoop, Habeko in the former Rijnwoude villages,
Woonforte's Herculesflat in the Planetenbuurt; its number of homes is not public,
the 150 here is sample data like every other number in this file) and otherwise
a documented heuristic: about a quarter of each wijk's housing stock is social
rental, spread over the residential buurten in complexes of 12 to 200 homes.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.affinity

from wijkplan.sample.common import gemeentecode_of, residential_weight, rng_for, sample_bron
from wijkplan.sources.complexen import COMPLEX_COLUMNS

#: Social-rental share used to size the sample stock (Alphen: about 24% in 2023).
SOCIAL_SHARE = 0.24

#: Public facts on corporation territories (transitievisie-warmte-alphen.md).
TERRITORIES: dict[str, dict[str, str]] = {
    "GM0484": {
        "WK048431": "Habeko",
        "WK048491": "Habeko",
        "WK048494": "Habeko",
        "WK048496": "Habeko",
    },
}
DEFAULT_CORPORATIE: dict[str, str] = {"GM0484": "Woonforte"}

#: Complexes known by name from public sources: (gemeente, buurtcode, naam, corporatie, woningen,
#: type). Only the name, corporation and buurt are public; homes and type are sample values.
KNOWN_COMPLEXES = (
    ("GM0484", "BU04840210", "Herculesflat", "Woonforte", 150, "meergezinswoning (galerijflat)"),
)

WONINGTYPES = (
    "eengezinswoning",
    "meergezinswoning (portiek)",
    "meergezinswoning (galerijflat)",
    "seniorenwoning",
    "appartement met lift",
)
STREET_WORDS = ("hof", "flat", "staete", "park", "hoven", "erf", "plein", "veld")


def _label_for(bouwjaar: int, rng: np.random.Generator) -> str:
    """Energy label loosely following build year (older stock scores worse)."""
    base = (
        5
        if bouwjaar < 1965
        else 4
        if bouwjaar < 1980
        else 3
        if bouwjaar < 1995
        else 2
        if bouwjaar < 2010
        else 0
    )
    shift = int(rng.integers(-2, 2))
    labels = ("A", "B", "C", "D", "E", "F", "G")
    return labels[int(np.clip(base + shift, 0, 6))]


def _footprint(point: shapely.Point, homes: int, rng: np.random.Generator) -> shapely.Polygon:
    """A rotated rectangle whose size grows with the number of homes."""
    length = 25 + 0.9 * homes
    width = 14 + 0.1 * homes
    box = shapely.box(-length / 2, -width / 2, length / 2, width / 2)
    angle = float(rng.uniform(0, np.pi))
    cos, sin = np.cos(angle), np.sin(angle)
    rotated = shapely.affinity.affine_transform(box, [cos, -sin, sin, cos, point.x, point.y])
    return rotated


def generate_complexen(
    buurten: gpd.GeoDataFrame, *, wijken: gpd.GeoDataFrame | None = None
) -> gpd.GeoDataFrame:
    """Sample complexes for ``buurten`` (EPSG:28992); identical output on every run.

    ``wijken`` with ``woningvoorraad`` sizes the social stock per wijk; without it
    the stock is estimated from residential area (30 homes per hectare).
    """
    gm = gemeentecode_of(buurten)
    rng = rng_for(gm, "complexen")
    weight = residential_weight(buurten)
    territory = TERRITORIES.get(gm, {})
    default_corp = DEFAULT_CORPORATIE.get(gm, "Voorbeeldcorporatie")
    stock = {}
    if wijken is not None and "woningvoorraad" in wijken.columns:
        stock = dict(
            zip(
                wijken["wijkcode"],
                pd.to_numeric(wijken["woningvoorraad"], errors="coerce"),
                strict=True,
            )
        )

    rows: list[dict[str, object]] = []
    geoms: list[shapely.Geometry] = []
    inner = buurten.geometry.buffer(-30)
    for wijkcode, idx in buurten.groupby("wijkcode", sort=True).groups.items():
        members = list(idx)
        w = weight[members]
        if w.sum() <= 0:
            continue
        area_ha = buurten.geometry.area.to_numpy()[members] / 10_000
        total = stock.get(wijkcode)
        if total is None or np.isnan(total):
            total = float((area_ha * w).sum() * 30)
        social = round(float(total) * SOCIAL_SHARE)
        share = w * np.sqrt(area_ha)
        share = share / share.sum()
        corp = territory.get(str(wijkcode), default_corp)
        for member, s in zip(members, share, strict=True):
            homes_left = round(float(social * s))
            region = inner.iloc[member]
            if region.is_empty:
                region = buurten.geometry.iloc[member]
            while homes_left >= 12:
                homes = min(homes_left, int(rng.integers(12, 200)))
                homes_left -= homes
                point = _random_point_in(region, rng)
                bouwjaar = int(np.clip(rng.normal(1978, 18), 1920, 2023))
                rows.append(
                    {
                        "corporatie": corp,
                        "naam": None,
                        "aantal_woningen": homes,
                        "bouwjaar": bouwjaar,
                        "energielabel": _label_for(bouwjaar, rng),
                        "woningtype": WONINGTYPES[int(rng.integers(0, len(WONINGTYPES)))],
                        "_buurt": buurten["buurtcode"].iloc[member],
                        "_buurtnaam": buurten["buurtnaam"].iloc[member],
                    }
                )
                geoms.append(_footprint(point, homes, rng))
    for kgm, buurtcode, naam, corp, homes, woningtype in KNOWN_COMPLEXES:
        match = buurten.index[buurten["buurtcode"] == buurtcode]
        if kgm != gm or len(match) == 0:
            continue
        region = buurten.geometry.loc[match[0]]
        bouwjaar = 1969
        rows.append(
            {
                "corporatie": corp,
                "naam": naam,
                "aantal_woningen": homes,
                "bouwjaar": bouwjaar,
                "energielabel": _label_for(bouwjaar, rng),
                "woningtype": woningtype,
                "_buurt": buurtcode,
                "_buurtnaam": buurten["buurtnaam"].loc[match[0]],
            }
        )
        geoms.append(_footprint(region.representative_point(), homes, rng))

    frame = pd.DataFrame(rows)
    counters: dict[str, int] = {}
    ids, names = [], []
    for corp, buurtnaam, naam in zip(
        frame["corporatie"], frame["_buurtnaam"], frame["naam"], strict=True
    ):
        prefix = "".join(ch for ch in corp.upper() if ch.isalpha())[:3]
        counters[prefix] = counters.get(prefix, 0) + 1
        ids.append(f"{prefix}-{counters[prefix]:04d}")
        names.append(
            naam
            if isinstance(naam, str)
            else f"{buurtnaam} {STREET_WORDS[counters[prefix] % len(STREET_WORDS)]}"
        )
    frame["complex_id"] = ids
    frame["naam"] = names
    frame["bron"] = sample_bron(gm)
    columns = [*COMPLEX_COLUMNS, "bron"]
    return gpd.GeoDataFrame(frame[columns], geometry=geoms, crs=buurten.crs)


def _random_point_in(region: shapely.Geometry, rng: np.random.Generator) -> shapely.Point:
    """A uniformly drawn point inside ``region`` (rejection sampling on its bounds)."""
    minx, miny, maxx, maxy = region.bounds
    shapely.prepare(region)
    for _ in range(1000):
        p = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if shapely.contains(region, p):
            return p
    return region.representative_point()
