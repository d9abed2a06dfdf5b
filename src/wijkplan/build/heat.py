"""Theme "warmte": the adopted heat plan per buurt and district, and the strategy indicator.

The plan is ``warmteplan.yaml|csv|xlsx`` in the data folder, else the shipped Alphen plan
(``data/warmte/warmteplan-2022.yaml``, used only for the municipality it belongs to);
``warmtegebieden.*`` polygons of a municipality replace the plan's district extents.
Without any plan every buurt is "nog te bepalen" and the report says so.

The indicator's inputs per buurt come from the published forms the sources read: CBS
kerncijfers (dwellings, flats, corporation share, gas use, district heating), BAG panden
(building years, weighted by their dwellings), EP-Online labels (placed through their
pand or verblijfsobject), surface water (distance from the homes), each input with its
source, sample data marked. PBL's Startanalyse is joined beside it when present.

Layers: ``warmteplan`` (per buurt), ``warmtegebieden`` (per district, with what the
agreement ledger says about it) and, when the plan has an aquathermal project,
``aquathermie`` and ``aquathermie_raming`` (:mod:`wijkplan.build.aquathermal`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from wijkplan import catalogue
from wijkplan.afspraken.model import LIST_SEP, Ledger
from wijkplan.analysis.heat import compare, indicate
from wijkplan.build import heat_inputs
from wijkplan.build.agreements import Agreements, union_of
from wijkplan.build.boundaries import Boundaries
from wijkplan.build.context import BuildContext, ThemeOutput, collect_warnings, kind_of
from wijkplan.config.heat import PHASES, load_heat_config
from wijkplan.report import REAL, SAMPLE
from wijkplan.settings import PROJECT_ROOT
from wijkplan.sources.pbl import find_startanalyse, load_startanalyse
from wijkplan.sources.warmtegebieden import find_district_polygons, load_district_polygons
from wijkplan.sources.warmteplan import (
    HeatDistrict,
    HeatPlan,
    buurten_of_district,
    find_plan,
    load_plan,
)

#: The plan wijkplan ships (public facts of the Transitievisie Warmte of Alphen aan den Rijn).
DEFAULT_PLAN = PROJECT_ROOT / "data" / "warmte" / "warmteplan-2022.yaml"
NO_PLAN = "geen warmteplan"


@dataclass
class HeatTheme:
    """The districts as polygons (for the other themes) and what the theme contributes."""

    warmtegebieden: gpd.GeoDataFrame | None
    plan: HeatPlan | None
    water: gpd.GeoDataFrame | None = None
    output: ThemeOutput = field(default_factory=ThemeOutput)


def build(ctx: BuildContext, boundaries: Boundaries, agreements: Agreements) -> HeatTheme:
    """The heat plan per buurt and district, the indicator, and the aquathermal project."""
    from wijkplan.build import aquathermal

    out = ThemeOutput()
    b = boundaries
    with collect_warnings(out):
        config = ctx.attempt(load_heat_config)
        plan = _plan(ctx, b, out)
        districts, polygons = _districts(ctx, plan, b, out)
        inputs, sources, water = heat_inputs.assemble(ctx, b, out, config)
        pbl = _pbl(ctx, out)
    if config is None:
        return HeatTheme(None, plan, water, out)
    _check_overlaps(ctx, districts, plan, polygons)
    per_buurt = _plan_per_buurt(plan, districts, b)
    indicated = indicate(inputs, config)
    layer = _warmteplan_layer(b, per_buurt, inputs, sources, indicated, plan)
    if pbl is not None:
        layer = _with_pbl(layer, pbl)
    out.layers["warmteplan"] = layer
    ledger = agreements.ledger
    warmte = _warmtegebieden_layer(districts, plan, ledger, b, layer, out.notes)
    if warmte is not None:
        out.layers["warmtegebieden"] = warmte
        origin = polygons or (plan.path if plan is not None else None)
        label = (
            "eigen vlakken van de gemeente"
            if polygons
            else (plan.titel if plan is not None and districts else "afsprakenregister")
        )
        out.source("warmtegebieden", origin, len(warmte), kind_of(warmte), label)
    else:
        out.absent("warmtegebieden")
    if plan is not None and plan.aquathermie is not None and warmte is not None:
        aqua = aquathermal.build(ctx, plan.aquathermie, b, warmte, layer, water, config)
        out.layers |= aqua.layers
        out.notes += aqua.notes
        features = aqua.layers.get("aquathermie")
        sample = plan.voorbeelddata or bool(
            features is not None and features["voorbeelddata"].any()
        )
        out.source(
            "aquathermie",
            plan.path,
            len(features) if features is not None else 0,
            SAMPLE if sample else REAL,
            plan.aquathermie.naam
            + (
                " (feiten uit het warmteplan; ligging en aantallen deels voorbeelddata)"
                if sample and not plan.voorbeelddata
                else ""
            ),
        )
    else:
        out.absent("aquathermie")
    return HeatTheme(warmte, plan, water, out)


def _check_overlaps(
    ctx: BuildContext,
    districts: tuple[HeatDistrict, ...],
    plan: HeatPlan | None,
    polygons: Path | None,
) -> None:
    """A buurt named in two districts is a mistake in the plan: which one counts is a guess.

    The line names the file the second district comes from (the polygons or the plan).
    """
    # a district from the polygons names that file in its begrenzing_bron
    from_polygons = {
        d.gebied_id
        for d in districts
        if polygons is not None and f"({polygons.name})" in (d.begrenzing_bron or "")
    }

    def file_of(gebied_id: str) -> str:
        if polygons is not None and gebied_id in from_polygons:
            return str(polygons)
        return str(plan.path) if plan is not None else "warmteplan"

    owner: dict[str, str] = {}
    for d in districts:
        for code in d.buurtcodes:
            if code in owner and owner[code] != d.gebied_id:
                ctx.problems.append(
                    f"{file_of(d.gebied_id)}: buurt {code} staat in twee warmtegebieden "
                    f"({owner[code]} en {d.gebied_id}); een buurt hoort bij één gebied"
                )
            owner.setdefault(code, d.gebied_id)


# ---------------------------------------------------------------------------- the plan


def _plan(ctx: BuildContext, b: Boundaries, out: ThemeOutput) -> HeatPlan | None:
    found = ctx.attempt(lambda: find_plan(ctx.data_dir))
    own = found is not None
    path = found if own else (DEFAULT_PLAN if DEFAULT_PLAN.is_file() else None)
    if path is None:
        out.absent("warmteplan", "geen warmteplan: elke buurt 'nog te bepalen'")
        return None
    plan = ctx.attempt(lambda: load_plan(path))
    if plan is None:
        return None
    if plan.gemeentecode is not None and plan.gemeentecode != b.gemeentecode:
        if own:
            ctx.problems.append(
                f"{path}: het warmteplan hoort bij {plan.gemeentecode}, niet bij {b.gemeentecode}"
            )
        else:
            out.absent(
                "warmteplan",
                f"het meegeleverde warmteplan ({path}) hoort bij {plan.gemeentecode}, "
                f"niet bij {b.gemeentecode}",
            )
        return None
    known = set(b.buurten["buurtcode"].astype(str))
    wijken = set(b.wijken["wijkcode"].astype(str))
    lines = [
        f"{path}: gebied {d.gebied_id}: buurtcode komt niet voor in de grenzen: {c!r}"
        for d in plan.districts
        for c in d.buurtcodes
        if c not in known
    ]
    lines += [
        f"{path}: gebied {d.gebied_id}: wijkcode komt niet voor in de grenzen: {c!r}"
        for d in plan.districts
        for c in d.wijkcodes
        if c not in wijken
    ]
    lines += [
        f"{path}: buurt komt niet voor in de grenzen: {r.buurtcode!r}"
        for r in plan.buurten
        if r.buurtcode not in known
    ]
    if lines:
        ctx.problems.extend(lines)
        return None
    kind = SAMPLE if plan.voorbeelddata else REAL
    out.source(
        "warmteplan", path.resolve(), len(plan.districts) or len(plan.buurten), kind, plan.titel
    )
    return plan


def _districts(
    ctx: BuildContext, plan: HeatPlan | None, b: Boundaries, out: ThemeOutput
) -> tuple[tuple[HeatDistrict, ...], Path | None]:
    """The plan's districts, and the file of a municipality's own polygons if there is one.

    A polygon replaces the extent of the plan's district with the same id (and brings its
    own strategy, phase and start year where it has them); the plan's other districts stay.
    """
    districts = plan.districts if plan is not None else ()
    if plan is not None and not districts and plan.buurten:
        districts = _districts_from_table(plan)
    path = find_district_polygons(ctx.data_dir)
    if path is None:
        return districts, None
    polygons = ctx.attempt(lambda: load_district_polygons(path, b.buurten))
    if polygons is None:
        return districts, None
    out.notes += polygons.notes
    by_id = {d.gebied_id: d for d in districts}
    merged = []
    for d in polygons.districts:
        old = by_id.pop(d.gebied_id, None)
        if d.fase is not None:
            d = _replace(d, fase_bron=path.name)
        if d.startjaar is not None:
            d = _replace(d, startjaar_bron=path.name)
        if old is not None:
            if d.strategie == "nog te bepalen" and d.strategie_bron is None:
                d = _replace(d, strategie=old.strategie, strategie_bron=old.strategie_bron)
            if d.fase is None:
                d = _replace(d, fase=old.fase, fase_bron=old.fase_bron)
            if d.startjaar is None:
                d = _replace(d, startjaar=old.startjaar, startjaar_bron=old.startjaar_bron)
            d = _replace(
                d, volgnummer=old.volgnummer, warmtebron=old.warmtebron, periode=old.periode
            )
        merged.append(d)
    return (*merged, *by_id.values()), path


def _replace(d: HeatDistrict, **changes: object) -> HeatDistrict:
    from dataclasses import replace

    return replace(d, **changes)  # type: ignore[arg-type]


def _districts_from_table(plan: HeatPlan) -> tuple[HeatDistrict, ...]:
    """Districts of a plan table: the buurten that share a ``gebied_id``."""
    groups: dict[str, list] = {}
    for row in plan.buurten:
        if row.gebied_id:
            groups.setdefault(row.gebied_id, []).append(row)
    districts = []
    for gid, rows in groups.items():
        strategie = Counter(r.strategie for r in rows).most_common(1)[0][0]
        fasen = [r.fase for r in rows if r.fase]
        years = [r.startjaar for r in rows if r.startjaar]
        districts.append(
            HeatDistrict(
                gebied_id=gid,
                naam=next((r.gebied_naam for r in rows if r.gebied_naam), gid),
                buurtcodes=tuple(r.buurtcode for r in rows),
                wijkcodes=(),
                begrenzing="gepubliceerd",
                strategie=strategie,
                fase=Counter(fasen).most_common(1)[0][0] if fasen else None,
                startjaar=min(years) if years else None,
                begrenzing_bron=f"buurten met gebied_id {gid} in {plan.path.name}",
                strategie_bron=f"{plan.path.name} (meest genoemde strategie van de buurten)",
            )
        )
    return tuple(districts)


def resolved_members(
    districts: tuple[HeatDistrict, ...], wijk_of: dict[str, str]
) -> dict[str, tuple[str, ...]]:
    """The buurten of each district.

    A district with buurten holds them. A district known only by its wijk(en) (an
    assumption) holds the buurten of those wijken that no district with named buurten
    holds: Ridderveld-West is the part of Ridderveld outside the Planetenbuurt.
    """
    raw = {d.gebied_id: buurten_of_district(d, wijk_of) for d in districts}
    named = {c for d in districts if d.buurtcodes for c in d.buurtcodes}
    out: dict[str, tuple[str, ...]] = {}
    for d in districts:
        rest = (
            raw[d.gebied_id]
            if d.buurtcodes
            else tuple(c for c in raw[d.gebied_id] if c not in named)
        )
        out[d.gebied_id] = rest or raw[d.gebied_id]
    return out


@dataclass(frozen=True)
class _BuurtPlanRow:
    gebied_id: str | None
    gebied_naam: str | None
    begrenzing: str | None
    strategie: str
    strategie_bron: str | None
    warmtebron: str | None
    fase: str | None
    fase_bron: str | None
    startjaar: int | None
    startjaar_bron: str | None


def _plan_per_buurt(
    plan: HeatPlan | None, districts: tuple[HeatDistrict, ...], b: Boundaries
) -> dict[str, _BuurtPlanRow]:
    """What the plan says for each buurt: its district (the most certain, then the smallest)
    and any deviation the plan lists for the buurt itself."""
    wijk_of = dict(
        zip(b.buurten["buurtcode"].astype(str), b.buurten["wijkcode"].astype(str), strict=True)
    )
    members = resolved_members(districts, wijk_of)
    rows: dict[str, _BuurtPlanRow] = {}
    default = plan.default_strategie if plan is not None else "nog te bepalen"
    default_bron = (plan.default_bron if plan is not None else None) or (
        "niet in het warmteplan" if plan is not None else "geen warmteplan in de bronnen"
    )
    own = {r.buurtcode: r for r in plan.buurten} if plan is not None else {}
    for code in wijk_of:
        candidates = [d for d in districts if code in members[d.gebied_id]]
        candidates.sort(key=lambda d: (d.begrenzing != "gepubliceerd", len(members[d.gebied_id])))
        d = candidates[0] if candidates else None
        if d is not None:
            row = _BuurtPlanRow(
                d.gebied_id,
                d.naam,
                d.begrenzing,
                d.strategie,
                d.strategie_bron,
                d.warmtebron,
                d.fase,
                d.fase_bron,
                d.startjaar,
                d.startjaar_bron,
            )
        else:
            row = _BuurtPlanRow(
                None, None, None, default, default_bron, None, None, None, None, None
            )
        r = own.get(code)
        if r is not None:
            bron = r.bron or (f"{plan.path.name}" if plan is not None else None)
            row = _BuurtPlanRow(
                row.gebied_id or r.gebied_id,
                row.gebied_naam or r.gebied_naam,
                row.begrenzing,
                r.strategie,
                bron,
                row.warmtebron,
                r.fase if r.fase is not None else row.fase,
                bron if r.fase is not None else row.fase_bron,
                r.startjaar if r.startjaar is not None else row.startjaar,
                bron if r.startjaar is not None else row.startjaar_bron,
            )
        rows[code] = row
    return rows


def _pbl(ctx: BuildContext, out: ThemeOutput) -> pd.DataFrame | None:
    path = ctx.attempt(lambda: find_startanalyse(ctx.data_dir))
    if path is None:
        out.absent("pbl")
        return None
    frame = ctx.attempt(lambda: load_startanalyse(path))
    if frame is None:
        return None
    mine = frame[frame["buurtcode"].str[2:6] == str(ctx.gemeente or "")[2:6]]
    out.source("pbl", path, len(mine), kind_of(mine) if len(mine) else REAL, "PBL Startanalyse")
    return mine


# ---------------------------------------------------------------------------- the layers


def _warmteplan_layer(
    b: Boundaries,
    per_buurt: dict[str, _BuurtPlanRow],
    inputs: pd.DataFrame,
    info: heat_inputs.Inputs,
    indicated: pd.DataFrame,
    plan: HeatPlan | None,
) -> gpd.GeoDataFrame:
    base = b.buurten[["buurtcode", "buurtnaam", "wijkcode", "geometry"]].copy()
    base["buurtcode"] = base["buurtcode"].astype(str)
    rows = pd.DataFrame.from_dict({k: vars(v) for k, v in per_buurt.items()}, orient="index")
    rows.index.name = "buurtcode"
    frame = base.merge(rows, left_on="buurtcode", right_index=True, how="left")
    frame["fase_nr"] = frame["fase"].map({p: i + 1 for i, p in enumerate(PHASES)}).astype("Int64")
    frame["plan"] = _plan_label(plan)
    frame = frame.merge(inputs, on="buurtcode", how="left")
    frame = frame.merge(indicated, on="buurtcode", how="left")
    frame["afwijking"] = [
        compare(s, i) if isinstance(i, str) else None
        for s, i in zip(frame["strategie"], frame["indicatie"], strict=True)
    ]
    frame["invoer_bron"] = catalogue.join_pairs(dict(sorted(info.sources.items())))
    frame["invoer_voorbeelddata"] = bool(info.sample)
    for col in ("woningen", "woningen_met_label", "startjaar"):
        if col in frame.columns:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").round().astype("Int64")
    columns = [c.name for c in catalogue.layer("warmteplan").columns if c.when is None]
    for col in columns:
        if col not in frame.columns:
            frame[col] = None
    return gpd.GeoDataFrame(frame[[*columns, "geometry"]], geometry="geometry", crs=b.buurten.crs)


def _with_pbl(layer: gpd.GeoDataFrame, pbl: pd.DataFrame) -> gpd.GeoDataFrame:
    cols = {
        "strategie_pbl": "pbl_strategie",
        "variant": "pbl_variant",
        "nat_meerkosten_weq": "pbl_nat_meerkosten_weq",
        "nat_meerkosten_co2": "pbl_nat_meerkosten_co2",
    }
    joined = (
        pbl.drop_duplicates("buurtcode").set_index("buurtcode")[list(cols)].rename(columns=cols)
    )
    out = layer.merge(joined, left_on="buurtcode", right_index=True, how="left")
    geometry = out.pop("geometry")
    out["geometry"] = geometry
    return gpd.GeoDataFrame(out, geometry="geometry", crs=layer.crs)


def _plan_label(plan: HeatPlan | None) -> str:
    if plan is None:
        return NO_PLAN
    when = f", vastgesteld {plan.vastgesteld:%d-%m-%Y}" if plan.vastgesteld else ""
    return f"{plan.titel}{when}" + (" (voorbeelddata)" if plan.voorbeelddata else "")


def _warmtegebieden_layer(
    districts: tuple[HeatDistrict, ...],
    plan: HeatPlan | None,
    ledger: Ledger | None,
    b: Boundaries,
    warmteplan: gpd.GeoDataFrame,
    notes: list[str],
) -> gpd.GeoDataFrame | None:
    """One feature per district: the plan's values and what the ledger says about it.

    A heat area of the ledger that the plan does not know is kept (strategy "nog te
    bepalen"), so every agreement linked to a heat area still has its polygon.
    """
    ledger_areas = {w.gebied_id: w for w in ledger.warmtegebieden} if ledger else {}
    by_id = {d.gebied_id: d for d in districts}
    wijk_of = dict(
        zip(b.buurten["buurtcode"].astype(str), b.buurten["wijkcode"].astype(str), strict=True)
    )
    for gid, w in ledger_areas.items():
        d = by_id.get(gid)
        if d is None:
            continue
        in_ledger = set(w.buurtcodes) or {c for c, wk in wijk_of.items() if wk in w.wijkcodes}
        if set(buurten_of_district(d, wijk_of)) != in_ledger:
            notes.append(
                f"warmtegebied {gid}: het warmteplan begrenst het anders dan het "
                "afsprakenregister; de afspraken gelden voor de begrenzing van het warmteplan"
            )
        if w.startjaar is not None and d.startjaar is not None and w.startjaar != d.startjaar:
            notes.append(
                f"warmtegebied {gid}: startjaar {d.startjaar} in het warmteplan, "
                f"{w.startjaar} in het afsprakenregister; het warmteplan geldt"
            )
    for gid, w in ledger_areas.items():
        if gid not in by_id:
            by_id[gid] = HeatDistrict(
                gebied_id=gid,
                naam=w.naam,
                buurtcodes=tuple(w.buurtcodes),
                wijkcodes=tuple(w.wijkcodes),
                begrenzing="aanname",
                begrenzing_bron="afsprakenregister (geen warmteplan voor dit gebied); of de "
                "begrenzing gepubliceerd is zegt het register niet",
                strategie="nog te bepalen",
                fase=None,
                startjaar=w.startjaar,
                strategie_bron="niet in het warmteplan"
                + (f"; het afsprakenregister zegt: {w.strategie}" if w.strategie else ""),
                periode=w.periode,
            )
    if not by_id:
        return None
    homes = warmteplan.set_index("buurtcode")["woningen"]
    resolved = resolved_members(tuple(by_id.values()), wijk_of)
    rows, geoms = [], []
    for d in by_id.values():
        members = resolved[d.gebied_id]
        geoms.append(union_of(b.buurten, "buurtcode", members, f"warmtegebied {d.gebied_id}"))
        entry = ledger_areas.get(d.gebied_id)
        linked = (
            [a.id for a in ledger.afspraken if any(link.code == d.gebied_id for link in a.gebieden)]
            if ledger
            else []
        )
        values = homes.reindex(list(members))
        rows.append(
            {
                "gebied_id": d.gebied_id,
                "naam": d.naam,
                "volgnummer": d.volgnummer,
                "buurtcodes": LIST_SEP.join(members),
                "wijkcodes": LIST_SEP.join(d.wijkcodes),
                "begrenzing": d.begrenzing,
                "begrenzing_bron": d.begrenzing_bron,
                "strategie": d.strategie,
                "warmtebron": d.warmtebron,
                "strategie_bron": d.strategie_bron,
                "fase": d.fase,
                "fase_bron": d.fase_bron,
                "periode": d.periode or (entry.periode if entry else None),
                "startjaar": d.startjaar,
                "startjaar_bron": d.startjaar_bron,
                "status": entry.status if entry else None,
                "partners": LIST_SEP.join(ledger.partij_naam(p) for p in entry.partners)
                if entry and ledger
                else None,
                "afspraak_ids": LIST_SEP.join(linked),
                "woningen": int(values.sum()) if len(values) and values.notna().all() else None,
                "plan": _plan_label(plan)
                if d.gebied_id in {x.gebied_id for x in districts}
                else None,
                "toelichting": entry.toelichting if entry else None,
            }
        )
    columns = [c.name for c in catalogue.layer("warmtegebieden").columns]
    frame = pd.DataFrame(rows, columns=columns)
    for col in ("volgnummer", "startjaar", "woningen"):
        frame[col] = pd.array(frame[col].tolist(), dtype="Int64")
    return gpd.GeoDataFrame(
        frame, geometry=gpd.GeoSeries(geoms, crs=b.buurten.crs), crs=b.buurten.crs
    )
