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

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

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
        rows.append(_row("bronwater", "bronwater", project.bronwater, ligging=ligging, bron=bron))
        geoms.append(geom)
    else:
        out.notes.append(
            f"aquathermie: geen oppervlaktewater in de bronnen; bronwater {project.bronwater} "
            "niet op de kaart"
        )

    anchor = _anchor(area, geoms[0] if geoms else None)
    points: list[shapely.Geometry] = []
    schematic = [o for o in project.objecten if o.locatie is None and o.complex_naam is None]
    for i, obj in enumerate(project.objecten):
        complex_row = _complex(b.complexen, obj.complex_naam)
        if obj.locatie is not None:
            point: shapely.Geometry = Point(obj.locatie)
            ligging = "bij benadering"
        elif complex_row is not None:
            point = complex_row.geometry.representative_point()
            ligging = "voorbeelddata" if is_sample(complex_row.get("bron")) else "bron"
        else:
            k = schematic.index(obj)
            point = _on_circle(anchor, k, len(schematic), area)
            ligging = "schematisch"
        points.append(point)
        homes = int(complex_row["aantal_woningen"]) if complex_row is not None else None
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
                bron=obj.bron,
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
            bron="getekend om de objecten (niet gepubliceerd); " + (project.toelichting or ""),
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
    sample_homes = bool(len(in_scope)) and bool(in_scope["bron"].map(is_sample).all())
    out.layers["aquathermie_raming"] = _estimate_table(
        project, estimate, homes_total, config, sample_homes=sample_homes
    )
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


def _estimate_table(
    project: AquathermalProject,
    estimate: AquathermalEstimate,
    homes: int | None,
    config: HeatConfig,
    *,
    sample_homes: bool = False,
) -> pd.DataFrame:
    described = {k.name: k.description for k in config.coefficients.values()}
    rows = [
        {
            "grootheid": name,
            "omschrijving": described.get(name, name),
            "waarde": value,
            "eenheid": unit,
            "soort": "coëfficiënt",
            "bron": source,
        }
        for name, value, unit, source in estimate.coefficients
    ]
    rows += [
        {
            "grootheid": "woningen_in_plangebied",
            "omschrijving": "Woningen van corporaties in het plangebied",
            "waarde": homes,
            "eenheid": "aantal",
            "soort": "invoer",
            "bron": "complexen in het (schematische) plangebied"
            + (" (voorbeelddata)" if sample_homes else ""),
        },
        {
            "grootheid": "warmtevraag",
            "omschrijving": "Warmtevraag in het plangebied",
            "waarde": estimate.demand_gj,
            "eenheid": "GJ per jaar",
            "soort": "uitkomst",
            "bron": "berekend door wijkplan",
        },
        {
            "grootheid": "warmte_uit_teo",
            "omschrijving": "Warmte uit oppervlaktewater (TEO)",
            "waarde": estimate.teo_gj,
            "eenheid": "GJ per jaar",
            "soort": "uitkomst",
            "bron": "berekend door wijkplan",
        },
        {
            "grootheid": "teo_vermogen",
            "omschrijving": "Vermogen van de TEO-installatie",
            "waarde": estimate.capacity_mw,
            "eenheid": "MW",
            "soort": "uitkomst",
            "bron": "berekend door wijkplan",
        },
        {
            "grootheid": "opslagvolume",
            "omschrijving": "Watervolume seizoensopslag (WKO)",
            "waarde": estimate.storage_m3,
            "eenheid": "m³",
            "soort": "uitkomst",
            "bron": "berekend door wijkplan",
        },
    ]
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
