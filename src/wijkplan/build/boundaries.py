"""Theme "grenzen": the buurt and wijk boundaries and the corporations' complexes.

Boundaries are required (without them there is nothing to build); complexes are
used when present. Each layer keeps the columns the catalogue declares; columns
of a source file that the catalogue does not know are left out and named in the
report, so the GeoPackage's contents are always what the catalogue says.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import geopandas as gpd

from wijkplan import catalogue
from wijkplan.build.context import BuildContext, ThemeOutput, kind_of
from wijkplan.sources import load_buurten, load_complexen, load_wijken
from wijkplan.sources._io import find_source
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

    Problems with the complexes are collected in ``ctx`` (raised later, together
    with those of the other sources); the build then goes on without complexes.
    """
    paths = {name: find_source(ctx.data_dir, name) for name in ("buurten", "wijken", "complexen")}
    for required in ("buurten", "wijken"):
        if paths[required] is None:
            ctx.problems.append(
                f"{ctx.data_dir}: geen {required}-bestand gevonden "
                f"(verwacht {required}.geojson/.gpkg/.fgb/.shp)"
            )
    ctx.check()
    out = ThemeOutput()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RepairWarning)  # collected into the report instead
        wijken = ctx.attempt(lambda: load_wijken(paths["wijken"], repairs=ctx.repairs))  # type: ignore[arg-type]
        buurten = ctx.attempt(
            lambda: load_buurten(paths["buurten"], wijken=wijken, repairs=ctx.repairs)  # type: ignore[arg-type]
        )
        ctx.check()
        assert buurten is not None and wijken is not None
        complexen = None
        if paths["complexen"] is not None:
            complexen = ctx.attempt(
                lambda: load_complexen(paths["complexen"], buurten=buurten, repairs=ctx.repairs)  # type: ignore[arg-type]
            )
    names = dict(zip(wijken["wijkcode"], wijken["wijknaam"], strict=True))
    buurten = buurten.assign(wijknaam=buurten["wijkcode"].map(names))
    for name, frame in (("buurten", buurten), ("wijken", wijken)):
        kept = _declared(name, frame, out)
        out.layers[name] = kept
        out.source(name, paths[name], len(kept), kind_of(kept))
    if complexen is not None:
        out.layers["complexen"] = complexen
        out.source("complexen", paths["complexen"], len(complexen), kind_of(complexen))
    elif paths["complexen"] is None:
        out.absent("complexen")
    return Boundaries(out.layers["buurten"], out.layers["wijken"], complexen, out)


def _declared(name: str, frame: gpd.GeoDataFrame, out: ThemeOutput) -> gpd.GeoDataFrame:
    """The columns of ``frame`` that the catalogue declares for layer ``name``, in its order."""
    declared = [c.name for c in catalogue.layer(name).columns if c.name in frame.columns]
    dropped = [c for c in frame.columns if c not in declared and c != frame.geometry.name]
    if dropped:
        out.notes.append(
            f"{name}: kolommen niet overgenomen (niet in de catalogus): {', '.join(dropped)}"
        )
    return frame[[*declared, frame.geometry.name]]
