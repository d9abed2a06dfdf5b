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

The units per buurt are planned in :mod:`wijkplan.sample.bag_units`, placed as footprints
in :mod:`wijkplan.sample.bag_footprints` and given addresses in
:mod:`wijkplan.sample.bag_addresses`; this module assembles the two layers with their ids
and writes the GeoPackage.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from wijkplan.sample.bag_addresses import Postcodes, Streets, addresses, woonplaats_of
from wijkplan.sample.bag_footprints import Field, buurt_objects, regions
from wijkplan.sample.bag_units import FUNCTIONS, KIND_NONRES, NONE
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
    fields = (Field(field_rng, 500.0), Field(field_rng, 350.0), Field(field_rng, 400.0))
    streets = Streets(rng_for(gm, "bag-straten"))
    postcodes = Postcodes()
    prof = profiel.set_index("buurtcode")
    allowed = regions(buurten, water)
    area_ha = buurten.geometry.area.to_numpy() / 10_000

    pand: dict[str, list[np.ndarray]] = {}
    vbo: dict[str, list[np.ndarray]] = {}

    def add(target: dict[str, list[np.ndarray]], **columns: np.ndarray) -> None:
        for key, values in columns.items():
            target.setdefault(key, []).append(values)

    for pos, code in enumerate(buurten["buurtcode"].astype(str)):
        if code not in prof.index:
            continue
        objects = buurt_objects(allowed[pos], prof.loc[code], float(area_ha[pos]), fields, rng)
        if objects is None:
            continue
        wijkcode = str(buurten["wijkcode"].iloc[pos])
        woonplaats, pc4_base = woonplaats_of(gm, wijkcode, buurten)
        pc4 = postcodes.pc4(wijkcode, woonplaats, pc4_base)
        buurtnaam = str(buurten["buurtnaam"].iloc[pos])

        # panden in street order; ids in that order
        order = np.lexsort((objects.pand_order, objects.pand_row))
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        first = sum(len(a) for a in pand.get("rank", []))
        vp = objects.vbo_pand
        names = {s: streets.name(woonplaats, buurtnaam) for s in np.unique(objects.pand_row // 2)}
        vorder, street, number, postcode = addresses(objects, rank, names, pc4, postcodes)
        kind = objects.pand_kind
        gebruik = np.where(
            kind == KIND_NONRES,
            np.array(FUNCTIONS, dtype=object)[np.maximum(objects.pand_func, 0)],
            np.where(kind == 3, NONE, "woonfunctie"),
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
