"""Theme "afspraken": the agreement ledger, its link table and its areas as layers.

The ledger is the file given with ``--ledger``, else ``DIR/afspraken.yaml``, else
the shipped Alphen ledger (used only for the municipality it belongs to). It is
validated against the loaded boundaries and complexes. The build writes the
agreements (with a snapshot of their status), the links to areas, the regie and
heat areas as polygons, and the whole validated ledger as JSON
(``afspraken_register``), which the reading side uses instead of the YAML file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon

from wijkplan import catalogue
from wijkplan.afspraken import DEFAULT_LEDGER
from wijkplan.afspraken.ledger import load_ledger
from wijkplan.afspraken.linking import afspraken_overview
from wijkplan.afspraken.model import LIST_SEP, GebiedLink, Ledger, ledger_to_json
from wijkplan.afspraken.store import StatusStore
from wijkplan.areas import Areas
from wijkplan.build.boundaries import Boundaries
from wijkplan.build.context import BuildContext, ThemeOutput
from wijkplan.errors import ValidationError
from wijkplan.report import REAL


@dataclass
class Agreements:
    """The regie and heat areas as polygons (None without a ledger), for the other themes."""

    regiegebieden: gpd.GeoDataFrame | None
    warmtegebieden: gpd.GeoDataFrame | None
    output: ThemeOutput = field(default_factory=ThemeOutput)
    #: the validated ledger (None without one), for the heat theme
    ledger: Ledger | None = None


def resolve_ledger(data_dir: Path, ledger: Path | str | None) -> tuple[Path | None, bool]:
    """The ledger to use and whether it was asked for explicitly.

    Order: ``--ledger``; ``DIR/afspraken.yaml``; the shipped Alphen ledger.
    """
    if ledger is not None:
        return Path(ledger), True
    local = data_dir / "afspraken.yaml"
    if local.is_file():
        return local, True
    return (DEFAULT_LEDGER, False) if DEFAULT_LEDGER.is_file() else (None, False)


def build(ctx: BuildContext, boundaries: Boundaries) -> Agreements:
    """Validate the ledger against the boundaries; its tables and area layers."""
    out = ThemeOutput()
    b = boundaries
    plain = Areas.of(b.buurten, b.wijken, b.complexen)
    path, explicit = resolve_ledger(ctx.data_dir, ctx.ledger)
    if path is None:
        out.absent("afspraken")
        return Agreements(None, None, out)
    if not explicit:
        # the shipped ledger belongs to one municipality: only use it there
        raw = load_ledger(path)
        own = {link.code for a in raw.afspraken for link in a.gebieden if link.niveau == "gemeente"}
        if b.gemeentecode not in own:
            out.absent(
                "afspraken",
                f"het meegeleverde register ({path}) hoort bij {', '.join(sorted(own))}, "
                f"niet bij {b.gemeentecode}",
            )
            return Agreements(None, None, out)
    ledger = ctx.attempt(lambda: load_ledger(path, areas=plain))
    if ledger is None:
        return Agreements(None, None, out)
    afspraken, gebieden = afspraken_frames(ledger, store=StatusStore())
    # status and progress are a snapshot of the status store; the app reads the store live
    afspraken["status_stand_op"] = datetime.now(UTC).isoformat(timespec="seconds")
    out.layers["afspraken"] = afspraken
    out.layers["afspraak_gebieden"] = gebieden
    out.layers[catalogue.LEDGER_TABLE] = pd.DataFrame(
        {"bestand": [str(path.resolve())], "register": [ledger_to_json(ledger)]}
    )
    regie = regiegebieden_layer(ledger, b.buurten)
    warmte = warmtegebieden_layer(ledger, b.buurten, b.wijken)
    out.layers["regiegebieden"] = regie
    # the heat theme writes the layer "warmtegebieden", with the plan's values
    out.source("afspraken", path.resolve(), len(afspraken), REAL, ledger.meta.titel)
    return Agreements(regie, warmte, out, ledger)


def _join(values: Iterable[str]) -> str:
    return LIST_SEP.join(values)


def afspraken_frames(
    ledger: Ledger, *, store: StatusStore | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The non-spatial ``afspraken`` table and the ``afspraak_gebieden`` link table.

    List values are joined with ``"; "``. ``status`` and ``voortgang`` are the
    ledger's values, or the current ones from ``store`` when given.
    """
    current = afspraken_overview(ledger, store=store).set_index("afspraak_id")
    rows = []
    for a in ledger.afspraken:
        state = current.loc[a.id]
        rows.append(
            {
                "afspraak_id": a.id,
                "jaar": a.jaar,
                "periode": a.periode,
                "thema": a.thema,
                "titel": a.titel,
                "tekst": a.tekst,
                "partijen": _join(ledger.partij_naam(p) for p in a.partijen),
                "partij_ids": _join(a.partijen),
                "trekker": ledger.partij_naam(a.trekker),
                "trekker_id": a.trekker,
                "indicator": a.indicator,
                "streefwaarde": a.streefwaarde,
                "eenheid": a.eenheid,
                "status": state["status"],
                "voortgang": state["voortgang"],
                "status_versie": state["versie"],
                "gemeentebreed": a.gemeentebreed,
                "gebieden": _join(link.label for link in a.gebieden),
                "voorbeeld": a.voorbeeld,
                "toelichting": a.toelichting,
                "ondertekend": ledger.meta.ondertekend.isoformat(),
                "bron": ledger.meta.titel,
            }
        )
    afspraken = pd.DataFrame(rows, columns=_AFSPRAKEN_COLUMNS)
    afspraken["jaar"] = afspraken["jaar"].astype("Int64")
    afspraken["voortgang"] = pd.array(afspraken["voortgang"].tolist(), dtype="Int64")
    afspraken["voorbeeld"] = pd.array(afspraken["voorbeeld"].tolist(), dtype="Int64")
    afspraken["status_versie"] = afspraken["status_versie"].astype("Int64")
    afspraken["streefwaarde"] = pd.to_numeric(afspraken["streefwaarde"], errors="coerce").astype(
        "Float64"
    )
    afspraken["gemeentebreed"] = afspraken["gemeentebreed"].astype(bool)
    links = pd.DataFrame(
        [(a.id, link.niveau, link.code) for a in ledger.afspraken for link in a.gebieden],
        columns=["afspraak_id", "niveau", "code"],
    )
    return afspraken, links


#: The columns of the ``afspraken`` layer except the moment of the status snapshot (set by the build).
_AFSPRAKEN_COLUMNS = [
    c.name for c in catalogue.layer("afspraken").columns if c.name != "status_stand_op"
]


def _linked_ids(ledger: Ledger, niveau: str, code: str) -> list[str]:
    return [a.id for a in ledger.afspraken if GebiedLink(niveau, code) in a.gebieden]


def union_of(
    frame: gpd.GeoDataFrame, column: str, codes: Iterable[str], label: str
) -> MultiPolygon:
    codes = list(codes)
    found = frame[frame[column].astype(str).isin(codes)]
    missing = sorted(set(codes) - set(found[column].astype(str)))
    if missing:
        raise ValidationError(
            [f"{label}: {column} komt niet voor in de grenzen: {code!r}" for code in missing]
        )
    geom = shapely.union_all(found.geometry.to_numpy())
    if isinstance(geom, Polygon):
        return MultiPolygon([geom])
    if isinstance(geom, MultiPolygon):
        return geom
    polys = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
    return MultiPolygon(
        [p for g in polys for p in (g.geoms if isinstance(g, MultiPolygon) else [g])]
    )


def regiegebieden_layer(ledger: Ledger, buurten: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The ``regiegebieden`` layer: one feature per regie area, the union of its buurten.

    Lists are joined with ``"; "``; ``partners`` and ``regisseur`` are names;
    ``afspraak_ids`` are the agreements linked to the area. CRS as ``buurten``.
    """
    rows, geoms = [], []
    for r in ledger.regiegebieden:
        geoms.append(union_of(buurten, "buurtcode", r.buurtcodes, f"regiegebied {r.regie_id}"))
        rows.append(
            {
                "regie_id": r.regie_id,
                "naam": r.naam,
                "buurtcodes": _join(r.buurtcodes),
                "partners": _join(ledger.partij_naam(p) for p in r.partners),
                "regisseur": ledger.partij_naam(r.regisseur),
                "afspraak_ids": _join(_linked_ids(ledger, "regiegebied", r.regie_id)),
                "toelichting": r.toelichting,
            }
        )
    columns = [c.name for c in catalogue.layer("regiegebieden").columns]
    return gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=columns), geometry=gpd.GeoSeries(geoms), crs=buurten.crs
    )


def warmtegebieden_layer(
    ledger: Ledger, buurten: gpd.GeoDataFrame, wijken: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """The heat-plan verkenningsgebieden as polygons (union of buurten, else of wijken).

    ``begrenzing`` says which: "buurten", or "wijk (buurten niet gepubliceerd)"
    for an area that is only known at wijk level. CRS as ``buurten``.
    """
    rows, geoms = [], []
    for w in ledger.warmtegebieden:
        label = f"warmtegebied {w.gebied_id}"
        if w.buurtcodes:
            geoms.append(union_of(buurten, "buurtcode", w.buurtcodes, label))
        else:
            geoms.append(union_of(wijken.to_crs(buurten.crs), "wijkcode", w.wijkcodes, label))
        rows.append(
            {
                "gebied_id": w.gebied_id,
                "naam": w.naam,
                "buurtcodes": _join(w.buurtcodes),
                "wijkcodes": _join(w.wijkcodes),
                "begrenzing": "wijk (buurten niet gepubliceerd)" if w.op_wijkniveau else "buurten",
                "periode": w.periode,
                "startjaar": w.startjaar,
                "status": w.status,
                "strategie": w.strategie,
                "partners": _join(ledger.partij_naam(p) for p in w.partners),
                "afspraak_ids": _join(_linked_ids(ledger, "warmtegebied", w.gebied_id)),
                "toelichting": w.toelichting,
            }
        )
    columns = [c.name for c in catalogue.layer("warmtegebieden").columns]
    frame = pd.DataFrame(rows, columns=columns)
    frame["startjaar"] = pd.array(frame["startjaar"].tolist(), dtype="Int64")
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms), crs=buurten.crs)
