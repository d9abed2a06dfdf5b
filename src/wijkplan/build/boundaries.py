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
import pandas as pd

from wijkplan import catalogue
from wijkplan.build.context import BuildContext, ThemeOutput, collect_warnings, kind_of
from wijkplan.catalogue import join_pairs, parse_pairs
from wijkplan.report import REAL, SAMPLE
from wijkplan.settings import is_sample
from wijkplan.sources._io import find_source
from wijkplan.sources.boundaries import BoundarySource, load_boundaries
from wijkplan.sources.complexen import load_complexen
from wijkplan.sources.kerncijfers import load_kerncijfers_table
from wijkplan.sources.statline import StatTable, name_index
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
    with collect_warnings(out), warnings.catch_warnings():
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
    with collect_warnings(figures):  # a table re-saved in cp1252: a note in the report
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


def _table_year(path: Path) -> int:
    return next((year for table, year in KWB_TABLES.items() if table in path.name.upper()), 0)


def _figures(
    ctx: BuildContext, out: ThemeOutput, buurten: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Join the kerncijfers of CBS tables to the buurten and wijken.

    A table's figures replace those of the boundary file; of two tables giving one figure
    the newest year wins (named in the report). Every figure keeps its own source and its
    own reason for being missing (``kerncijfers_bron``, ``kerncijfers_ontbreekt``).
    """
    # a sample table first, so that a real one always goes over it
    tables = sorted(
        ctx.tables("kerncijfers"),
        key=lambda t: (not _is_sample_table(t), _table_year(t.path), t.path.name),
    )
    if not tables:
        return buurten, wijken
    names = name_index(
        (buurten, "buurtcode", "buurtnaam"),
        (wijken, "wijkcode", "wijknaam"),
        (buurten, "gemeentecode", "gemeentenaam"),
    )
    frames = {"buurtcode": buurten, "wijkcode": wijken}
    origin: dict[str, str] = {}  # figure -> the table that last gave it
    for table in tables:
        figures = ctx.attempt(
            partial(load_kerncijfers_table, table, names=names, gemeente=ctx.gemeente)
        )
        if figures is None:
            continue
        sample = _is_sample_table(table)
        label = _table_label(table.path)
        if sample:
            mark = str(table.frame["bron"].iloc[0]).strip()
            label = f"{mark}, in de vorm van {label}"
        columns = [c for c in figures.columns if c not in ("code", "kerncijfers_ontbreekt")]
        for col in columns:
            if col in origin and origin[col] != label and not sample:
                out.notes.append(f"kerncijfer {col}: {label} gaat voor {origin[col]} (nieuwer)")
            origin[col] = label
        used = 0
        for key, frame in frames.items():
            rows = figures[figures["code"].isin(set(frame[key].astype(str)))].set_index("code")
            if not len(rows):
                continue
            used += len(rows)
            frames[key] = _merge(frame, key, rows, columns, label, fill_only=sample)
        unknown = sorted(set(figures["code"]) - {c for f in frames.values() for c in f.iloc[:, 0]})
        unknown = [c for c in unknown if not c.startswith("GM")]
        if unknown:
            out.notes.append(
                f"{table.path.name}: {len(unknown)} gebieden niet in de grenzen "
                f"(bijv. {', '.join(unknown[:3])}); andere indeling?"
            )
        if not used:
            out.notes.append(
                f"{table.path.name}: geen cijfers voor de buurten of wijken van deze gemeente"
            )
        out.source("kerncijfers", table.path, used, SAMPLE if sample else REAL, label)
    b, w = frames["buurtcode"], frames["wijkcode"]
    return (
        gpd.GeoDataFrame(b, geometry="geometry", crs=buurten.crs),
        gpd.GeoDataFrame(w, geometry="geometry", crs=wijken.crs),
    )


def _is_sample_table(table: StatTable) -> bool:
    """A table wijkplan generated: every row's ``bron`` carries the sample mark."""
    bron = table.frame.get("bron")
    return bron is not None and len(bron) > 0 and bool(bron.str.strip().map(is_sample).all())


def _merge(
    frame: pd.DataFrame,
    key: str,
    rows: pd.DataFrame,
    columns: list[str],
    label: str,
    *,
    fill_only: bool = False,
) -> pd.DataFrame:
    """A table's figures into a boundary frame, with their source and reasons per figure.

    With ``fill_only`` (a sample table) a figure only fills a value the frame lacks; it
    never replaces a real one.
    """
    merged = frame.set_index(key)
    table_reasons = rows["kerncijfers_ontbreekt"].reindex(merged.index)
    old_reasons = merged.get("kerncijfers_ontbreekt", pd.Series(None, index=merged.index))
    old_sources = merged.get("kerncijfers_bron", pd.Series(None, index=merged.index))
    listed = merged.index.isin(rows.index)
    taken: dict[str, pd.Series] = {}
    for col in columns:
        new = rows[col].reindex(merged.index)
        if fill_only and col in merged.columns:
            take = merged[col].isna() & pd.Series(listed, index=merged.index)
            merged[col] = merged[col].where(~take, new)
        else:
            take = pd.Series(True, index=merged.index)
            merged[col] = new
        taken[col] = take
    reasons, sources = [], []
    for code, was_listed in zip(merged.index, listed, strict=True):
        mine = [c for c in columns if taken[c][code]]
        why = {k: v for k, v in parse_pairs(old_reasons[code]).items() if k not in mine}
        table_why = (
            parse_pairs(table_reasons[code])
            if was_listed
            else dict.fromkeys(columns, "niet in de tabel")
        )
        why |= {k: v for k, v in table_why.items() if k in mine}
        reasons.append(join_pairs(why))
        sources.append(join_pairs(parse_pairs(old_sources[code]) | dict.fromkeys(mine, label)))
    merged["kerncijfers_ontbreekt"] = reasons
    merged["kerncijfers_bron"] = sources
    return merged.reset_index()


def _declared(name: str, frame: gpd.GeoDataFrame, out: ThemeOutput) -> gpd.GeoDataFrame:
    """The columns of ``frame`` that the catalogue declares for layer ``name``, in its order."""
    declared = [c.name for c in catalogue.layer(name).columns if c.name in frame.columns]
    dropped = [c for c in frame.columns if c not in declared and c != frame.geometry.name]
    if dropped:
        out.notes.append(
            f"{name}: kolommen niet overgenomen (niet in de catalogus): {', '.join(dropped)}"
        )
    return frame[[*declared, frame.geometry.name]]
