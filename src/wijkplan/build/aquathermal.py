"""The aquathermal project of the heat plan as layers: what it is, where, and an estimate.

``aquathermie`` holds the source water (from the surface-water source: schematic when that
source is), the scope (plangebied) within the district, the objects the plan names and the
corporation complexes in the scope. The public record gives no locations: an object the
plan gives no ``locatie`` is placed schematically in the district, near the source water,
and its ``ligging`` says "schematisch"; a complex the plan names is taken from the
complexen layer (sample data unless the corporation's own file is used). The scope is
the convex hull of the objects, widened by :data:`SCOPE_MARGIN_M` and cut to the district:
a drawing aid, labelled as such, not a published boundary.

``aquathermie_raming`` is the estimate of :func:`wijkplan.analysis.aquathermal.estimate_aquathermal`
row by row (every coefficient with value, unit and source, then the results), and the
share of the signatories in the buurt's heat demand as the plan publishes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

from wijkplan import catalogue
from wijkplan.analysis.aquathermal import AquathermalEstimate, estimate_aquathermal
from wijkplan.build.boundaries import Boundaries
from wijkplan.build.context import BuildContext
from wijkplan.config.heat import HeatConfig
from wijkplan.settings import is_sample
from wijkplan.sources.warmteplan import AquathermalProject

#: How far the drawn scope reaches beyond the objects (m).
SCOPE_MARGIN_M = 150.0
#: How far around the district the source water is drawn (m).
WATER_WINDOW_M = 1500.0
#: Radius of the circle on which objects without a location are placed (m).
SCHEMATIC_RADIUS_M = 120.0


@dataclass
class AquathermalLayers:
    layers: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def build(
    ctx: BuildContext,
    project: AquathermalProject,
    b: Boundaries,
    warmtegebieden: gpd.GeoDataFrame,
    warmteplan: gpd.GeoDataFrame,
    water: gpd.GeoDataFrame | None,
    config: HeatConfig,
) -> AquathermalLayers:
    """The project's features and its estimate (see the module)."""
    out = AquathermalLayers()
    district = warmtegebieden[warmtegebieden["gebied_id"] == project.gebied_id]
    if not len(district):
        out.notes.append(f"aquathermie: warmtegebied {project.gebied_id} niet gevonden")
        return out
    area = district.geometry.iloc[0]
    crs = warmtegebieden.crs
    rows: list[dict[str, object]] = []
    geoms: list[shapely.Geometry] = []

    source = _source_water(project, area, water)
    if source is not None:
        geom, ligging, bron = source
        rows.append(
            _row(
                "bronwater",
                "bronwater",
                project.bronwater,
                ligging=ligging,
                bron=bron,
                voorbeelddata="voorbeelddata" in bron,
            )
        )
        geoms.append(geom)
    else:
        out.notes.append(
            f"aquathermie: geen oppervlaktewater in de bronnen; bronwater {project.bronwater} "
            "niet op de kaart"
        )

    anchor = _anchor(area, geoms[0] if geoms else None)
    points: list[shapely.Geometry] = []
    found = {o.naam: _complex(b.complexen, o.complex_naam) for o in project.objecten}
    for o in project.objecten:
        if o.complex_naam and found[o.naam] is None:
            out.notes.append(
                f"aquathermie: complex {o.complex_naam!r} ({o.naam}) staat niet in de complexen; "
                "schematisch getekend, zonder aantal woningen"
            )
    schematic = [o for o in project.objecten if o.locatie is None and found[o.naam] is None]
    sample_parts = False
    for i, obj in enumerate(project.objecten):
        complex_row = found[obj.naam]
        sample = False
        if obj.locatie is not None:
            point: shapely.Geometry = Point(obj.locatie)
            ligging = "bij benadering"
        elif complex_row is not None:
            point = complex_row.geometry.representative_point()
            sample = is_sample(complex_row.get("bron"))
            ligging = "voorbeelddata" if sample else "bron"
        else:
            k = schematic.index(obj)
            point = _on_circle(anchor, k, len(schematic), area)
            ligging = "schematisch"
        sample_parts |= sample
        points.append(point)
        homes = int(complex_row["aantal_woningen"]) if complex_row is not None else None
        bron = obj.bron
        if sample:
            bron += " Ligging en aantal woningen: voorbeelddata-complex van die naam."
        rows.append(
            _row(
                f"object-{i + 1}",
                "object",
                obj.naam,
                soort=obj.soort,
                eigenaar=obj.eigenaar,
                status=obj.status,
                woningen=homes,
                ligging=ligging,
                bron=bron,
                voorbeelddata=sample,
            )
        )
        geoms.append(point)

    scope = _scope(points, area)
    rows.append(
        _row(
            "plangebied",
            "plangebied",
            f"Plangebied {project.naam}",
            ligging="schematisch",
            bron="Getekend om de objecten; de omvang is niet gepubliceerd."
            + (" Deels op voorbeelddata (complexen)." if sample_parts else ""),
            voorbeelddata=sample_parts,
            techniek=project.techniek,
            leverancier=(
                f"{project.leverancier} ({project.leverancier_bron})"
                if project.leverancier and project.leverancier_bron
                else project.leverancier
            ),
        )
    )
    geoms.append(scope)

    in_scope = _complexen_in(b.complexen, scope)
    named = {o.complex_naam for o in project.objecten if o.complex_naam}
    for rec in in_scope.itertuples():
        if str(rec.naam) in named:
            continue
        rows.append(
            _row(
                f"complex-{rec.complex_id}",
                "complex",
                str(rec.naam),
                soort="woningen",
                eigenaar=str(rec.corporatie),
                status="in het plangebied",
                woningen=int(rec.aantal_woningen),
                ligging="voorbeelddata" if is_sample(rec.bron) else "bron",
                bron=str(rec.bron),
                voorbeelddata=is_sample(rec.bron),
            )
        )
        geoms.append(rec.geometry)

    homes_total = int(in_scope["aantal_woningen"].sum()) if len(in_scope) else None
    members = warmteplan.loc[warmteplan["gebied_id"] == project.gebied_id, "buurtcode"]
    gas = _gas_per_home(b.buurten, [str(c) for c in members])
    objects = [(o.naam, o.soort) for o in project.objecten]
    estimate = estimate_aquathermal(homes_total, gas, objects, config)
    demand = {p.name: p.gj for p in estimate.parts}
    for row in rows:
        if row["onderdeel"] == "object" and row["naam"] in demand:
            row["warmtevraag_gj"] = demand[str(row["naam"])]
    frame = pd.DataFrame(rows)
    for col in ("woningen",):
        frame[col] = pd.array(frame[col].tolist(), dtype="Int64")
    frame["warmtevraag_gj"] = pd.to_numeric(frame["warmtevraag_gj"], errors="coerce")
    frame["gebied_id"] = project.gebied_id
    out.layers["aquathermie"] = gpd.GeoDataFrame(
        frame, geometry=gpd.GeoSeries(geoms, crs=crs), crs=crs
    )
    sample_homes = bool(len(in_scope)) and bool(in_scope["bron"].map(is_sample).any())
    gas_source = _gas_source(b.buurten, [str(c) for c in members])
    inputs = [
        (
            "woningen_in_plangebied",
            "Woningen van corporaties in het plangebied",
            homes_total,
            "aantal",
            "complexen in het (schematische) plangebied"
            + (" (voorbeelddata)" if sample_homes else ""),
        ),
        (
            "gasverbruik_per_woning",
            "Gemiddeld aardgasverbruik per woning in het warmtegebied",
            gas,
            "m³ per jaar",
            gas_source or "onbekend: kengetal per woning gebruikt",
        ),
    ]
    out.layers["aquathermie_raming"] = _estimate_table(project, estimate, inputs, config)
    return out


def _row(onderdeel_id: str, onderdeel: str, naam: str, **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "onderdeel_id": onderdeel_id,
        "onderdeel": onderdeel,
        "naam": naam,
        "soort": None,
        "eigenaar": None,
        "status": None,
        "woningen": None,
        "warmtevraag_gj": None,
        "ligging": None,
        "bron": None,
        "techniek": None,
        "leverancier": None,
        "voorbeelddata": False,
    }
    row.update(values)
    return row


def _source_water(
    project: AquathermalProject, area: shapely.Geometry, water: gpd.GeoDataFrame | None
) -> tuple[shapely.Geometry, str, str] | None:
    """The named source water near the district (else any water), clipped to a window."""
    if water is None or not len(water):
        return None
    window = area.buffer(WATER_WINDOW_M)
    names = water["naam"].fillna("").astype(str).str.casefold()
    named = water[names.str.contains(project.bronwater.casefold(), regex=False)]
    pick = named if len(named) else water
    geom = shapely.intersection(shapely.union_all(pick.geometry.to_numpy()), window)
    if geom.is_empty:
        return None
    schematic = bool(pick.get("schematisch", pd.Series([False])).fillna(False).any())
    sample = bool(pick["bron"].map(is_sample).all()) if "bron" in pick else False
    ligging = "schematisch" if schematic or sample else "bron"
    bron = str(pick["bron"].iloc[0]) if "bron" in pick else "oppervlaktewater"
    if not len(named):
        bron += f" (geen water met de naam {project.bronwater} gevonden: dichtstbijzijnde water)"
    return geom, ligging, bron


def _anchor(area: shapely.Geometry, water: shapely.Geometry | None) -> shapely.Geometry:
    """Where schematic objects go: inside the district, on the side of the source water."""
    inner = area.buffer(-SCHEMATIC_RADIUS_M * 1.5)
    core = inner if not inner.is_empty else area
    if water is None:
        return core.representative_point()
    near, _ = shapely.ops.nearest_points(core, water)
    return near


def _on_circle(
    anchor: shapely.Geometry, k: int, n: int, area: shapely.Geometry
) -> shapely.Geometry:
    angle = 2 * np.pi * k / max(n, 1)
    point = Point(
        anchor.x + SCHEMATIC_RADIUS_M * np.cos(angle), anchor.y + SCHEMATIC_RADIUS_M * np.sin(angle)
    )
    return point if area.contains(point) else anchor


def _complex(complexen: gpd.GeoDataFrame | None, naam: str | None) -> pd.Series | None:
    if complexen is None or naam is None:
        return None
    hits = complexen[complexen["naam"].astype(str).str.casefold() == naam.casefold()]
    return hits.iloc[0] if len(hits) else None


def _scope(points: list[shapely.Geometry], area: shapely.Geometry) -> shapely.Geometry:
    if not points:
        return area
    hull = shapely.convex_hull(shapely.union_all(points)).buffer(SCOPE_MARGIN_M)
    scope = shapely.intersection(hull, area)
    return scope if not scope.is_empty else area


def _complexen_in(complexen: gpd.GeoDataFrame | None, scope: shapely.Geometry) -> gpd.GeoDataFrame:
    if complexen is None or not len(complexen):
        return gpd.GeoDataFrame({"aantal_woningen": []})
    inside = complexen[complexen.geometry.representative_point().within(scope)]
    return inside


def _gas_per_home(buurten: gpd.GeoDataFrame, codes: list[str]) -> float | None:
    """The average gas use per home over ``codes`` (weighted by their homes), if every one has it."""
    if "gemiddeld_gasverbruik" not in buurten or "woningvoorraad" not in buurten:
        return None
    rows = buurten[buurten["buurtcode"].astype(str).isin(codes)]
    gas = pd.to_numeric(rows["gemiddeld_gasverbruik"], errors="coerce")
    homes = pd.to_numeric(rows["woningvoorraad"], errors="coerce")
    if not len(rows) or gas.isna().any() or homes.isna().any() or homes.sum() <= 0:
        return None
    return float((gas * homes).sum() / homes.sum())


def _gas_source(buurten: gpd.GeoDataFrame, codes: list[str]) -> str | None:
    """Where the district's gas use comes from (the kerncijfers' source per figure)."""
    rows = buurten[buurten["buurtcode"].astype(str).isin(codes)]
    labels = {
        catalogue.parse_pairs(text).get("gemiddeld_gasverbruik")
        for text in rows.get("kerncijfers_bron", pd.Series(dtype=object))
    } - {None}
    return "; ".join(sorted(str(x) for x in labels)) or None


def _key(description: str) -> str:
    """A column-style id for a coefficient the estimate names by its description."""
    return re.sub(r"[^a-z0-9]+", "_", description.casefold()).strip("_")[:60]


def _estimate_table(
    project: AquathermalProject,
    estimate: AquathermalEstimate,
    inputs: list[tuple[str, str, float | None, str, str]],
    config: HeatConfig,
) -> pd.DataFrame:
    """The estimate row by row: coefficients, inputs, results, and the published share.

    A result that rests on sample data says so in its source.
    """
    key_of = {k.description: k.name for k in config.coefficients.values()}
    rows = [
        {
            "grootheid": key_of.get(name, _key(name)),
            "omschrijving": name,
            "waarde": value,
            "eenheid": unit,
            "soort": "coëfficiënt",
            "bron": source,
        }
        for name, value, unit, source in estimate.coefficients
    ]
    rows += [
        {
            "grootheid": key,
            "omschrijving": what,
            "waarde": value,
            "eenheid": unit,
            "soort": "invoer",
            "bron": source,
        }
        for key, what, value, unit, source in inputs
    ]
    sample = [what for _, what, _, _, source in inputs if "voorbeelddata" in source]
    computed = "berekend door wijkplan" + (
        f" uit voorbeelddata ({', '.join(s.lower() for s in sample)})" if sample else ""
    )
    for key, what, value, unit in (
        ("warmtevraag", "Warmtevraag in het plangebied", estimate.demand_gj, "GJ per jaar"),
        ("warmte_uit_teo", "Warmte uit oppervlaktewater (TEO)", estimate.teo_gj, "GJ per jaar"),
        ("teo_vermogen", "Vermogen van de TEO-installatie", estimate.capacity_mw, "MW"),
        ("opslagvolume", "Watervolume seizoensopslag (WKO)", estimate.storage_m3, "m³"),
    ):
        rows.append(
            {
                "grootheid": key,
                "omschrijving": what,
                "waarde": value,
                "eenheid": unit,
                "soort": "uitkomst",
                "bron": computed,
            }
        )
    if project.aandeel_ondertekenaars is not None:
        rows.append(
            {
                "grootheid": "aandeel_ondertekenaars",
                "omschrijving": "Aandeel van de ondertekenaars in de warmtevraag van de buurt",
                "waarde": project.aandeel_ondertekenaars,
                "eenheid": project.aandeel_eenheid,
                "soort": "gepubliceerd",
                "bron": project.aandeel_bron,
            }
        )
    frame = pd.DataFrame(rows)
    frame["waarde"] = pd.to_numeric(frame["waarde"], errors="coerce")
    return frame
