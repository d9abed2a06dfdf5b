"""A municipality's own heat districts as polygons (``warmtegebieden.*``).

A buurt belongs to the district that holds most of its area. Strategy, phase and start
year are optional columns, validated against the vocabulary of ``config/warmte.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from wijkplan.config.heat import PHASES, STRATEGIES
from wijkplan.problems import Problems
from wijkplan.sources._io import find_source, read_vector
from wijkplan.sources.validate import to_rd
from wijkplan.sources.warmteplan import HeatDistrict, cell, normalised


def find_district_polygons(data_dir: Path | str) -> Path | None:
    """A municipality's own district polygons: ``warmtegebieden.*`` in ``data_dir``."""
    return find_source(Path(data_dir), "warmtegebieden")


@dataclass
class DistrictPolygons:
    """District polygons and the buurten each one holds (most of their area inside)."""

    frame: gpd.GeoDataFrame
    districts: tuple[HeatDistrict, ...]
    notes: list[str] = field(default_factory=list)


def load_district_polygons(
    path: Path | str, buurten: gpd.GeoDataFrame, *, share: float = 0.5
) -> DistrictPolygons:
    """Read district polygons and assign each buurt to the district that holds ``share`` of it.

    Columns ``gebied_id`` and ``naam`` are required; ``strategie``, ``fase`` and
    ``startjaar`` are optional and validated against the vocabulary.
    """
    path = Path(path)
    problems = Problems(str(path))
    raw = read_vector(path)
    raw.columns = [c if c == raw.geometry.name else str(c).strip().lower() for c in raw.columns]
    for c in ("gebied_id", "naam"):
        if c not in raw.columns:
            problems.add(c, "verplichte kolom ontbreekt")
    problems.raise_if_any()
    frame = to_rd(raw, problems)
    problems.raise_if_any()
    assert frame is not None
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    ids = frame["gebied_id"].astype(str).str.strip()
    problems.add_capped("gebied_id", "gebied komt twee keer voor", list(ids[ids.duplicated()]))
    strategies = {normalised(s): s for s in STRATEGIES}
    phases = {normalised(p): p for p in PHASES}
    b = buurten.to_crs(frame.crs)[["buurtcode", "wijkcode", "geometry"]]
    area = b.geometry.area
    districts: list[HeatDistrict] = []
    notes: list[str] = []
    for rec, gid in zip(frame.itertuples(), ids, strict=True):
        raw_s = cell(getattr(rec, "strategie", None))
        s = "nog te bepalen" if raw_s is None else strategies.get(normalised(raw_s))
        if s is None:
            problems.add("strategie", f"{gid}: onbekende strategie", raw_s)
            continue
        raw_f = cell(getattr(rec, "fase", None))
        f = None if raw_f is None else phases.get(normalised(raw_f))
        if raw_f is not None and f is None:
            problems.add("fase", f"{gid}: onbekende fase", raw_f)
            continue
        raw_y = cell(getattr(rec, "startjaar", None))
        year = None
        if raw_y is not None:
            try:
                year = int(float(raw_y))
            except ValueError:
                problems.add("startjaar", f"{gid}: geen jaartal", raw_y)
        inside = b.geometry.intersection(rec.geometry).area / area.where(area > 0)
        codes = tuple(b.loc[inside >= share, "buurtcode"].astype(str))
        if not codes:
            notes.append(
                f"{path.name}: warmtegebied {gid} bevat van geen enkele buurt het grootste deel"
            )
        districts.append(
            HeatDistrict(
                gebied_id=gid,
                naam=str(rec.naam),
                buurtcodes=codes,
                wijkcodes=(),
                begrenzing="gepubliceerd",
                strategie=s,
                fase=f,
                startjaar=year,
                begrenzing_bron=f"vlakken van de gemeente ({path.name}); buurten met minstens "
                f"{share:.0%} van hun oppervlak in het gebied",
                strategie_bron=f"{path.name}" if raw_s is not None else None,
            )
        )
    problems.raise_if_any()
    return DistrictPolygons(frame, tuple(districts), notes)
