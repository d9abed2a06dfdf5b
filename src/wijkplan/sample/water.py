"""Schematic surface water for any municipality: a polygon layer marked as schematic.

The real geometry (BGT/TOP10NL waterdeel, the water board's legger) is not bundled;
heat-transition rules only need where a larger water body runs (a TEO source for
aquathermie). So the sample is a *band* along a line, named and marked as schematic in
``naam``, ``watertype`` and ``schematisch`` (True), with ``bron`` as every sample:

- Alphen aan den Rijn (GM0484): the **Oude Rijn**, about 40 m wide, from the
  Bodegraven/Zwammerdam side in the east through the centre of Alphen to Koudekerk aan den
  Rijn and on towards Leiden, and the **Gouwe**, about 30 m wide, from the Oude Rijn at
  Gouwsluis south through Boskoop. The waypoints are approximate: read off the CBS wijk and
  buurt borders that follow the rivers (Hoge/Lage Zijde, Alphen-Noord/-Zuid, the
  Rijndijk, Koudekerk-Noord/-Zuid, the Steekterpolder, Boskoop's two banks), which in the
  bundled generalised boundaries are accurate to about 100 m;
- any other municipality: one band of "schematisch water" along the longest axis of its
  area, with a gentle deterministic meander.

Both are clipped to the municipality's bounding box, EPSG:28992.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from wijkplan.sample.common import gemeentecode_of, rng_for, sample_bron
from wijkplan.settings import CRS_RD

__all__ = ["GPKG_NAME", "KNOWN_WATERS", "LAYER", "sample_oppervlaktewater"]

GPKG_NAME = "oppervlaktewater.gpkg"
LAYER = "oppervlaktewater"
_GENERIC_WIDTH_M = 30.0

#: Per municipality: (naam, watertype, width in m, waypoints in RD New, approximate).
KNOWN_WATERS: dict[str, tuple[tuple[str, str, float, tuple[tuple[float, float], ...]], ...]] = {
    "GM0484": (
        (
            "Oude Rijn (schematisch)",
            "rivier (schematische ligging, benaderd)",
            40.0,
            (
                (95_800, 462_000),  # towards Leiderdorp / Leiden
                (97_300, 461_250),
                (98_362, 460_744),  # along the Rijndijk (Hazerswoude-Rijndijk)
                (99_589, 460_285),
                (100_828, 460_828),  # Koudekerk aan den Rijn, between Noord and Zuid
                (101_651, 460_931),
                (102_608, 460_809),
                (103_094, 461_471),  # Rijnhaven, south of Oudshoorn
                (104_000, 461_650),
                (105_014, 461_785),
                (105_354, 461_559),  # the centre: Planetenbuurt on the north bank
                (105_380, 460_800),  # between Hoge Zijde and Lage Zijde
                (105_407, 460_001),
                (106_200, 459_330),  # Gouwsluis: the Gouwe branches off
                (107_400, 459_100),  # between Steekterpolder and Aarlanderveen
                (108_546, 458_747),
                (109_500, 458_182),  # Zwammerdam
                (110_731, 457_948),
                (111_400, 456_900),  # towards Bodegraven
                (111_700, 455_400),
                (111_900, 454_500),
            ),
        ),
        (
            "Gouwe (schematisch)",
            "rivier/kanaal (schematische ligging, benaderd)",
            30.0,
            (
                (106_200, 459_330),  # from the Oude Rijn at Gouwsluis
                (106_012, 458_771),
                (105_939, 458_327),
                (105_447, 457_108),  # Boskoop: the Gouwe between its two banks
                (105_445, 456_885),
                (105_370, 456_218),
                (105_294, 455_552),
                (105_290, 455_107),
                (105_144, 454_218),
                (105_070, 453_662),
                (105_064, 453_106),
                (105_000, 452_200),  # towards Gouda
            ),
        ),
    ),
}


def sample_oppervlaktewater(
    buurten: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame | None = None
) -> gpd.GeoDataFrame:
    """The schematic water polygons (``naam``, ``watertype``, ``schematisch``, ``bron``).

    Known rivers where :data:`KNOWN_WATERS` has them and they cross the boundaries' bounding
    box; otherwise one schematic band along the municipality's longest axis.
    """
    if buurten.crs is None or buurten.crs.to_epsg() != 28992:
        buurten = buurten.to_crs(CRS_RD)
    gm = gemeentecode_of(buurten)
    bbox = shapely.box(*buurten.total_bounds)
    rows: list[tuple[str, str, shapely.Geometry]] = []
    for naam, watertype, width, waypoints in KNOWN_WATERS.get(gm, ()):
        band = shapely.LineString(waypoints).buffer(width / 2, cap_style="flat")
        clipped = band.intersection(bbox)
        if not clipped.is_empty and clipped.area > 0:
            rows.append((naam, watertype, clipped))
    if not rows:
        rows.append(
            (
                "schematisch water",
                "schematisch (geen echte ligging)",
                _generic_band(buurten, gm).intersection(bbox),
            )
        )
    return gpd.GeoDataFrame(
        {
            "naam": [r[0] for r in rows],
            "watertype": [r[1] for r in rows],
            "schematisch": [True] * len(rows),
            "bron": sample_bron(gm),
        },
        geometry=[r[2] for r in rows],
        crs=CRS_RD,
    )


def _generic_band(buurten: gpd.GeoDataFrame, gm: str) -> shapely.Geometry:
    """A meandering band along the longest axis of the municipality (deterministic)."""
    rng = rng_for(gm, "oppervlaktewater")
    area = shapely.union_all(buurten.geometry.to_numpy())
    ring = np.asarray(shapely.oriented_envelope(area).exterior.coords)
    edges = np.diff(ring[:4], axis=0, append=ring[:1])
    lengths = np.hypot(edges[:, 0], edges[:, 1])
    long_edge = edges[int(np.argmax(lengths))]
    length = float(lengths.max())
    axis = long_edge / max(length, 1e-9)
    normal = np.array([-axis[1], axis[0]])
    centre = ring[:4].mean(axis=0)
    t = np.linspace(-0.55, 0.55, 40)  # a little beyond the area: the bbox clips it
    amplitude = 0.04 * float(lengths.min())
    waves, phase = float(rng.uniform(1.0, 2.0)), float(rng.uniform(0, 2 * np.pi))
    offset = amplitude * np.sin(2 * np.pi * waves * t + phase)
    xy = centre + np.outer(t * length, axis) + np.outer(offset, normal)
    return shapely.LineString(xy).buffer(_GENERIC_WIDTH_M / 2, cap_style="flat")
