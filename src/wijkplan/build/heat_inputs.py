"""The inputs of the heat-strategy indicator per buurt, each with its source.

CBS kerncijfers (dwellings, flats, corporation share, gas use, district heating; their
source per figure, sample marked), BAG panden (building years weighted by their
dwellings), EP-Online labels (placed through their BAG pand) and surface water (distance
from the buurt's homes). A source that is absent leaves its inputs unknown; the indicator
then says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from wijkplan import catalogue
from wijkplan.analysis.heat import heat_demand_gj
from wijkplan.build.boundaries import Boundaries
from wijkplan.build.context import BuildContext, ThemeOutput, kind_of
from wijkplan.config.heat import HeatConfig
from wijkplan.numbers import number
from wijkplan.report import SAMPLE
from wijkplan.settings import is_sample
from wijkplan.sources.bag import find_bag, load_bag_panden, load_bag_verblijfsobjecten
from wijkplan.sources.epoline import find_epoline, load_epoline
from wijkplan.sources.water import find_water, load_water

#: Labels A++++ … B and E … G (the indicator's shares of good and poor labels).
GOOD_LABELS = ("A++++", "A+++", "A++", "A+", "A", "B")
POOR_LABELS = ("E", "F", "G")


@dataclass
class Inputs:
    """The indicator's input frame per buurt and the source of each input."""

    frame: pd.DataFrame
    sources: dict[str, str] = field(default_factory=dict)
    sample: set[str] = field(default_factory=set)
    #: the BAG file, when there is one (labels are placed through it)
    bag_path: Path | None = None


def _figure(b: Boundaries, column: str) -> pd.Series:
    """A kerncijfer per buurt (NaN where missing), indexed by buurtcode."""
    frame = b.buurten.set_index("buurtcode")
    if column not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    return pd.to_numeric(frame[column], errors="coerce").astype(float)


def _figure_source(b: Boundaries, column: str) -> tuple[str | None, bool]:
    """The source of a kerncijfer over the buurten that have it, and whether it is sample data."""
    labels = {
        catalogue.parse_pairs(text).get(column)
        for text in b.buurten.get("kerncijfers_bron", pd.Series(dtype=object))
    } - {None}
    if not labels:
        return None, False
    text = "; ".join(sorted(str(x) for x in labels))
    return text, any(is_sample(x) for x in labels)


def assemble(
    ctx: BuildContext, b: Boundaries, out: ThemeOutput, config: HeatConfig | None
) -> tuple[pd.DataFrame, Inputs, gpd.GeoDataFrame | None]:
    """The input frame (one row per buurt), the source of each input, and the surface water."""
    codes = b.buurten["buurtcode"].astype(str)
    frame = pd.DataFrame(index=pd.Index(codes, name="buurtcode"))
    info = Inputs(frame)

    def take(name: str, values: pd.Series, source: str | None, sample: bool) -> None:
        frame[name] = values.reindex(frame.index).astype(float)
        if source is not None and values.notna().any():
            info.sources[name] = source
            if sample:
                info.sample.add(name)

    woningen = _figure(b, "woningvoorraad")
    take("woningen", woningen, *_figure_source(b, "woningvoorraad"))
    land = _figure(b, "oppervlakte_land_ha")
    land_source = _figure_source(b, "oppervlakte_land_ha")
    geometric = b.buurten.set_index("buurtcode").geometry.area / 10_000
    if land.isna().any():
        land = land.fillna(geometric)
        fallback = "oppervlakte van de buurtgrens (incl. water) waar CBS die niet geeft"
        land_source = (
            f"{land_source[0]}; {fallback}" if land_source[0] else fallback,
            land_source[1],
        )
    take("oppervlakte_land_ha", land, *land_source)
    frame["woningdichtheid"] = frame["woningen"] / frame["oppervlakte_land_ha"].where(
        frame["oppervlakte_land_ha"] > 0
    )
    if "woningen" in info.sources:
        info.sources["woningdichtheid"] = (
            f"woningen / oppervlakte land ({info.sources['woningen']})"
        )
        if "woningen" in info.sample:
            info.sample.add("woningdichtheid")
    for name, column in (
        ("aandeel_meergezins", "pct_meergezinswoning"),
        ("aandeel_corporatie", "pct_corporatiebezit"),
        ("aandeel_stadsverwarming", "pct_stadsverwarming"),
    ):
        take(name, _figure(b, column) / 100, *_figure_source(b, column))
    gas = _figure(b, "gemiddeld_gasverbruik")
    gas_source, gas_sample = _figure_source(b, "gemiddeld_gasverbruik")
    if config is not None:
        result = heat_demand_gj(frame["woningen"], gas.reindex(frame.index), config)
        demand, estimated = result.gj, result.assumed & frame["woningen"].notna()
        frame["warmtevraag_gj"] = demand
        kengetal = pd.Series(estimated, index=frame.index).astype("boolean")
        frame["warmtevraag_kengetal"] = kengetal.mask(frame["woningen"].isna())
        frame["warmtevraag_per_ha"] = demand / frame["oppervlakte_land_ha"].where(
            frame["oppervlakte_land_ha"] > 0
        )
        if frame["warmtevraag_gj"].notna().any():
            text = f"woningen × gemiddeld gasverbruik ({gas_source or 'onbekend'})"
            if bool(np.any(estimated)):
                text += (
                    ", en waar het gasverbruik ontbreekt het kengetal per woning "
                    "(config/warmte.toml; kolom warmtevraag_kengetal)"
                )
            info.sources["warmtevraag_gj"] = info.sources["warmtevraag_per_ha"] = text
            if gas_sample or "woningen" in info.sample:
                info.sample |= {"warmtevraag_gj", "warmtevraag_per_ha"}
    homes = _bag(ctx, b, out, frame, info)
    _labels(ctx, b, out, frame, info, homes)
    water = _water(ctx, b, out, frame, info, homes)
    for name in info.sample:  # every input from sample data says so in its source
        if name in info.sources and "voorbeelddata" not in info.sources[name]:
            info.sources[name] += " (voorbeelddata)"
    return frame.reset_index(), info, water


def _bag(
    ctx: BuildContext, b: Boundaries, out: ThemeOutput, frame: pd.DataFrame, info: Inputs
) -> gpd.GeoDataFrame | None:
    """Building years per buurt from BAG panden with homes (weighted by their dwellings)."""
    path = ctx.attempt(lambda: find_bag(ctx.data_dir))
    if path is None:
        out.absent("bag")
        return None
    panden = ctx.attempt(lambda: load_bag_panden(path, within=b.buurten))
    if panden is None:
        return None
    homes = panden[panden["gebruiksdoel"].fillna("").str.contains("woonfunctie")].copy()
    homes["geometry"] = homes.geometry.representative_point()
    homes = gpd.sjoin(
        homes, b.buurten[["buurtcode", "geometry"]], how="inner", predicate="within"
    ).drop(columns="index_right")
    weight = homes["aantal_verblijfsobjecten"].fillna(1).clip(lower=1).astype(float)
    year = homes["bouwjaar"].astype("Float64")
    known = year.notna()
    homes["_w"] = weight.where(known, 0.0)
    homes["_old"] = homes["_w"].where(year < 1975, 0.0).fillna(0.0)
    homes["_new"] = homes["_w"].where(year >= 1995, 0.0).fillna(0.0)
    sums = homes.groupby("buurtcode")[["_w", "_old", "_new"]].sum()
    total = sums["_w"].where(sums["_w"] > 0)
    label = f"BAG panden met woonfunctie, gewogen naar verblijfsobjecten ({path.name})"
    sample = kind_of(panden) == SAMPLE
    for name, part in (("aandeel_voor_1975", "_old"), ("aandeel_vanaf_1995", "_new")):
        frame[name] = (sums[part] / total).reindex(frame.index)
        info.sources[name] = label
        if sample:
            info.sample.add(name)
    out.source("bag", path, len(panden), kind_of(panden), "BAG panden (Kadaster)")
    info.bag_path = path
    return homes


def _labels(
    ctx: BuildContext,
    b: Boundaries,
    out: ThemeOutput,
    frame: pd.DataFrame,
    info: Inputs,
    homes: gpd.GeoDataFrame | None,
) -> None:
    """Shares of good and poor energy labels per buurt (EP-Online, placed through BAG)."""
    path = ctx.attempt(lambda: find_epoline(ctx.data_dir))
    if path is None:
        out.absent("energielabels")
        return
    labels = ctx.attempt(lambda: load_epoline(path))
    if labels is None:
        return
    kind = kind_of(labels)
    out.source("energielabels", path, len(labels), kind, "EP-Online energielabels (RVO)")
    if homes is None:
        out.notes.append(
            "energielabels: zonder BAG-panden zijn de labels niet aan buurten te koppelen"
        )
        return
    where = homes[["pand_id", "buurtcode"]].drop_duplicates("pand_id")
    placed = labels.merge(where, on="pand_id", how="inner")
    how = "via BAG-pand"
    rest = labels[~labels["vbo_id"].isin(placed["vbo_id"])]
    bag_path = info.bag_path
    if len(rest) and bag_path is not None:
        # a label whose pand is unknown (or not given) is placed by its verblijfsobject
        vbos = ctx.attempt(lambda: _vbo_points(bag_path, b))
        if vbos is not None and len(vbos):
            extra = rest.drop(columns="buurtcode", errors="ignore").merge(
                vbos, on="vbo_id", how="inner"
            )
            if len(extra):
                placed = pd.concat([placed, extra], ignore_index=True)
                how = "via BAG-pand of -verblijfsobject"
    lost = len(labels) - len(placed)
    if lost:
        out.notes.append(
            f"energielabels: {number(lost)} labels zonder woning in de gemeente (pand of "
            "verblijfsobject niet gevonden); niet meegeteld"
        )
    if not len(placed):
        out.notes.append("energielabels: geen enkel label aan een woning in een buurt gekoppeld")
        return
    klasse = placed["energieklasse"].astype(str)
    per = placed["buurtcode"].astype(str)
    total = per.value_counts().astype(float)
    good = klasse.isin(GOOD_LABELS).groupby(per).sum().astype(float)
    poor = klasse.isin(POOR_LABELS).groupby(per).sum().astype(float)
    frame["aandeel_label_ab"] = (good / total).reindex(frame.index)
    frame["aandeel_label_efg"] = (poor / total).reindex(frame.index)
    frame["woningen_met_label"] = total.reindex(frame.index)
    label = f"EP-Online ({path.name}), geplaatst {how}"
    for name in ("aandeel_label_ab", "aandeel_label_efg", "woningen_met_label"):
        info.sources[name] = label
        if kind == SAMPLE:
            info.sample.add(name)


def _vbo_points(path: Path, b: Boundaries) -> pd.DataFrame:
    """``vbo_id`` → ``buurtcode`` of the BAG verblijfsobjecten (points) in the buurten."""
    if "verblijfsobject" not in {str(n) for n, _ in pyogrio.list_layers(path)}:
        return pd.DataFrame({"vbo_id": [], "buurtcode": []})
    vbos = load_bag_verblijfsobjecten(path, within=b.buurten)
    joined = gpd.sjoin(
        vbos[["vbo_id", "geometry"]], b.buurten[["buurtcode", "geometry"]], predicate="within"
    )
    return pd.DataFrame(joined[["vbo_id", "buurtcode"]]).drop_duplicates("vbo_id")


def _water(
    ctx: BuildContext,
    b: Boundaries,
    out: ThemeOutput,
    frame: pd.DataFrame,
    info: Inputs,
    homes: gpd.GeoDataFrame | None,
) -> gpd.GeoDataFrame | None:
    """Distance from each buurt's homes (or its centre) to the nearest surface water."""
    path = ctx.attempt(lambda: find_water(ctx.data_dir))
    if path is None:
        out.absent("oppervlaktewater")
        return None
    water = ctx.attempt(lambda: load_water(path, within=b.buurten))
    if water is None or not len(water):
        return water
    kind = kind_of(water)
    out.source("oppervlaktewater", path, len(water), kind, "oppervlaktewater")
    union = shapely.union_all(water.geometry.to_numpy())
    if homes is not None and len(homes):
        d = shapely.distance(homes.geometry.to_numpy(), union)
        per = pd.Series(d, index=homes.index).groupby(homes["buurtcode"]).median()
        how = "mediaan van de afstand van de woonpanden (BAG)"
    else:
        per = pd.Series(
            shapely.distance(b.buurten.geometry.representative_point().to_numpy(), union),
            index=b.buurten["buurtcode"].astype(str).to_numpy(),
        )
        how = "afstand vanaf het midden van de buurt"
    frame["afstand_oppervlaktewater"] = per.reindex(frame.index)
    schematic = bool(water.get("schematisch", pd.Series([False])).fillna(False).any())
    info.sources["afstand_oppervlaktewater"] = f"{how} tot {path.name}" + (
        " (schematisch water)" if schematic else ""
    )
    if kind == SAMPLE:
        info.sample.add("afstand_oppervlaktewater")
    return water
