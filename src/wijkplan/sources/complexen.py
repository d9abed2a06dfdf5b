"""Housing-corporation complexes: a file of polygons or points, any OGR format.

The real format (a corporation's own export) has one feature per complex with
complex_id, corporatie, naam, aantal_woningen, bouwjaar, energielabel and
woningtype. The loader validates it and assigns each complex the buurt in which
it lies (its representative point), so the buurt is never taken on trust.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pandas as pd

from wijkplan.problems import Problems
from wijkplan.sources._io import read_vector, restore_truncated
from wijkplan.sources.validate import check_polygons, require_columns, to_rd

COMPLEX_COLUMNS = (
    "complex_id",
    "corporatie",
    "naam",
    "aantal_woningen",
    "bouwjaar",
    "energielabel",
    "woningtype",
)
#: Problems of one kind listed one by one; beyond this they are counted.
MAX_LISTED = 10
#: Plausible whole numbers: homes in one complex, and a build year up to five years ahead
#: (a complex being planned); anything else is an error in the file.
PLAUSIBLE = {"aantal_woningen": (0, 10_000), "bouwjaar": (1000, dt.date.today().year + 5)}
ENERGY_LABELS = ("A++++", "A+++", "A++", "A+", "A", "B", "C", "D", "E", "F", "G")


def load_complexen(
    path: Path | str, *, buurten: gpd.GeoDataFrame, repairs: list[str] | None = None
) -> gpd.GeoDataFrame:
    """Load, validate and spatially join complexes to ``buurten`` (EPSG:28992).

    Returns the contract columns plus ``buurtcode`` and ``bron``; a complex that
    lies outside every buurt is refused (it belongs to another municipality).
    """
    problems = Problems(str(path))
    gdf = read_vector(path)
    gdf = gdf.rename(columns={c: c.lower() for c in gdf.columns if c != gdf.geometry.name})
    gdf = restore_truncated(gdf, COMPLEX_COLUMNS)
    if not require_columns(gdf, COMPLEX_COLUMNS, problems):
        problems.raise_if_any()
    rd = to_rd(gdf, problems)
    ids = gdf["complex_id"].astype(str)
    for value in sorted(set(ids[ids.duplicated()])):
        problems.add("complex_id", "dubbele code", value)
    for field in ("aantal_woningen", "bouwjaar"):
        numbers = pd.to_numeric(gdf[field], errors="coerce")
        for cid, raw in zip(
            ids[numbers.isna() & gdf[field].notna()],
            gdf[field][numbers.isna() & gdf[field].notna()],
            strict=True,
        ):
            problems.add(field, f"complex {cid}: geen getal", raw)
        for cid, n in zip(ids[numbers < 0], numbers[numbers < 0], strict=True):
            problems.add(field, f"complex {cid}: negatief", n)
        low, high = PLAUSIBLE[field]
        odd = (numbers >= 0) & ((numbers < low) | (numbers > high) | (numbers % 1 != 0))
        for cid, n in zip(ids[odd], numbers[odd], strict=True):
            problems.add(
                field, f"complex {cid}: onwaarschijnlijke waarde (verwacht {low}..{high})", n
            )
        gdf[field] = numbers.where(~odd & (numbers >= 0)).astype("Int64")
    labels = gdf["energielabel"].astype("string").str.strip().str.upper()
    for cid, label in zip(
        ids[labels.notna() & ~labels.isin(ENERGY_LABELS)],
        labels[labels.notna() & ~labels.isin(ENERGY_LABELS)],
        strict=True,
    ):
        problems.add("energielabel", f"complex {cid}: onbekend energielabel", label)
    if rd is not None:
        rd = rd.copy()
        for col in ("aantal_woningen", "bouwjaar"):
            rd[col] = gdf[col]
        rd["energielabel"] = labels
        kinds = rd.geometry.geom_type
        points = kinds.isin(["Point", "MultiPoint"])
        if (~points).any():
            polys = check_polygons(
                rd[~points], id_field="complex_id", problems=problems, repairs=repairs
            )
            rd.loc[~points, rd.geometry.name] = polys.geometry
        rd = _join_buurt(rd, buurten, problems)
    problems.raise_if_any()
    assert rd is not None
    if "bron" not in rd.columns:
        rd["bron"] = Path(path).name
    rd["bron"] = rd["bron"].fillna(Path(path).name)
    rd["complex_id"] = ids.to_numpy()  # a corporation's export may number its complexes
    return rd[[*COMPLEX_COLUMNS, "buurtcode", "bron", rd.geometry.name]].reset_index(drop=True)


def _join_buurt(
    rd: gpd.GeoDataFrame, buurten: gpd.GeoDataFrame, problems: Problems
) -> gpd.GeoDataFrame:
    points = gpd.GeoDataFrame(
        {"_row": range(len(rd))}, geometry=rd.geometry.representative_point().to_numpy(), crs=rd.crs
    )
    joined = gpd.sjoin(
        points, buurten[["buurtcode", buurten.geometry.name]], how="left", predicate="within"
    )
    joined = joined.sort_values("buurtcode").drop_duplicates("_row").sort_values("_row")
    rd = rd.drop(columns=[c for c in ("buurtcode",) if c in rd.columns])
    rd["buurtcode"] = joined["buurtcode"].to_numpy()
    outside = rd.loc[rd["buurtcode"].isna(), "complex_id"].astype(str).tolist()
    if outside and len(outside) == len(rd):
        problems.add(
            "geometry",
            f"geen enkel complex ligt binnen de buurten ({len(rd)} complexen); klopt het "
            "coördinatenstelsel (CRS) van het bestand, en is het de goede gemeente?",
        )
    else:
        for cid in outside[:MAX_LISTED]:
            problems.add("geometry", "complex ligt buiten alle buurten", cid)
        if len(outside) > MAX_LISTED:
            problems.add(
                "geometry", f"en nog {len(outside) - MAX_LISTED} complexen buiten alle buurten"
            )
    return rd
