"""Theme "grenzen": the buurt and wijk boundaries and the corporations' complexes.

Boundaries are required (without them there is nothing to build); complexes are
used when present. Each layer keeps the columns the catalogue declares; columns
of a source file that the catalogue does not know are left out and named in the
report, so the GeoPackage's contents are always what the catalogue says.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import geopandas as gpd

from wijkplan import catalogue
from wijkplan.build.context import BuildContext, ThemeOutput, kind_of
from wijkplan.report import REAL
from wijkplan.sources._io import find_source
from wijkplan.sources.boundaries import BoundarySource, load_boundaries
from wijkplan.sources.complexen import load_complexen
from wijkplan.sources.kerncijfers import load_kerncijfers_table
from wijkplan.sources.statline import name_index
from wijkplan.sources.validate import RepairWarning


@dataclass
class Boundaries:
    """The validated boundaries (EPSG:28992) the other themes build on."""

    buurten: gpd.GeoDataFrame
    wijken: gpd.GeoDataFrame
    complexen: gpd.GeoDataFrame | None
    output: ThemeOutput = field(default_factory=ThemeOutput)

    @property
    def gemeentecode(self) -> str:
        return str(self.buurten["gemeentecode"].iloc[0])


def build(ctx: BuildContext) -> Boundaries:
    """Load buurten, wijken (required) and complexen (optional); raise if the boundaries fail.

    Kerncijfers from CBS tables in the data folder (85984NED in any published form)
    are joined to the buurten and wijken they describe. Problems with the complexes are
    collected in ``ctx`` (raised later, together with those of the other sources); the
    build then goes on without complexes.
    """
    out = ThemeOutput()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RepairWarning)  # collected into the report instead
        buurten, wijken, sources = load_boundaries(
            ctx.data_dir, gemeente=ctx.gemeente, repairs=ctx.repairs
        )
        ctx.gemeente = str(buurten["gemeentecode"].iloc[0])
        complexen = None
        complexen_path = find_source(ctx.data_dir, "complexen")
        if complexen_path is not None:
            complexen = ctx.attempt(
                lambda: load_complexen(complexen_path, buurten=buurten, repairs=ctx.repairs)
            )
    names = dict(zip(wijken["wijkcode"], wijken["wijknaam"], strict=True))
    buurten = buurten.assign(wijknaam=buurten["wijkcode"].map(names))
    figures = ThemeOutput()
    buurten, wijken = _figures(ctx, figures, buurten, wijken)
    for level, name, frame in (("buurt", "buurten", buurten), ("wijk", "wijken", wijken)):
        kept = _declared(name, frame, out)
        out.layers[name] = kept
        out.source(
            name, sources[level].path, len(kept), kind_of(kept), _label(kept, sources[level])
        )
    out.sources += figures.sources
    out.notes += figures.notes
    if complexen is not None:
        out.layers["complexen"] = complexen
        out.source("complexen", complexen_path, len(complexen), kind_of(complexen))
    elif complexen_path is None:
        out.absent("complexen")
    return Boundaries(out.layers["buurten"], out.layers["wijken"], complexen, out)


def _label(frame: gpd.GeoDataFrame, source: BoundarySource) -> str:
    years = sorted({int(y) for y in frame["jaar"].dropna()})
    return f"CBS/Kadaster, indeling {', '.join(map(str, years))}" + (
        f", laag {source.layer}" if source.layer else ""
    )


#: StatLine table ids of Kerncijfers wijken en buurten and the year they describe.
KWB_TABLES = {
    "86165NED": 2025,
    "85984NED": 2024,
    "85618NED": 2023,
    "85318NED": 2022,
    "85039NED": 2021,
    "84799NED": 2020,
}


def _table_label(path: Path) -> str:
    for table, year in KWB_TABLES.items():
        if table in path.name.upper():
            return f"CBS Kerncijfers wijken en buurten {year} ({table})"
    return "CBS Kerncijfers wijken en buurten"


def _figures(
    ctx: BuildContext, out: ThemeOutput, buurten: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Join the kerncijfers of CBS tables to the buurten and wijken (a table beats the map)."""
    tables = ctx.tables("kerncijfers")
    if not tables:
        return buurten, wijken
    names = name_index((buurten, "buurtcode", "buurtnaam"), (wijken, "wijkcode", "wijknaam"))
    for table in tables:
        figures = ctx.attempt(
            partial(load_kerncijfers_table, table, names=names, gemeente=ctx.gemeente)
        )
        if figures is None:
            continue
        label = _table_label(table.path)
        used = 0
        for key, frame in (("buurtcode", buurten), ("wijkcode", wijken)):
            rows = figures[figures["code"].isin(set(frame[key].astype(str)))].set_index("code")
            if not len(rows):
                continue
            used += len(rows)
            columns = [c for c in rows.columns if c != "kerncijfers_ontbreekt"]
            merged = frame.set_index(key)
            for col in columns:
                merged[col] = rows[col].reindex(merged.index)
            reasons = rows["kerncijfers_ontbreekt"].reindex(merged.index)
            absent = ~merged.index.isin(rows.index)
            merged["kerncijfers_ontbreekt"] = reasons.where(
                ~absent, "; ".join(f"{c}: niet in de tabel" for c in columns)
            )
            merged["kerncijfers_bron"] = label
            frame = merged.reset_index()
            if key == "buurtcode":
                buurten = gpd.GeoDataFrame(frame, geometry="geometry", crs=buurten.crs)
            else:
                wijken = gpd.GeoDataFrame(frame, geometry="geometry", crs=wijken.crs)
            if absent.any():
                out.notes.append(
                    f"{table.path.name}: {int(absent.sum())} {key[:-4]}en zonder cijfers in de tabel"
                )
        out.source("kerncijfers", table.path, used, REAL, label)
    return buurten, wijken


def _declared(name: str, frame: gpd.GeoDataFrame, out: ThemeOutput) -> gpd.GeoDataFrame:
    """The columns of ``frame`` that the catalogue declares for layer ``name``, in its order."""
    declared = [c.name for c in catalogue.layer(name).columns if c.name in frame.columns]
    dropped = [c for c in frame.columns if c not in declared and c != frame.geometry.name]
    if dropped:
        out.notes.append(
            f"{name}: kolommen niet overgenomen (niet in de catalogus): {', '.join(dropped)}"
        )
    return frame[[*declared, frame.geometry.name]]
