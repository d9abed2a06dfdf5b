"""BAG panden and verblijfsobjecten (Kadaster, via PDOK's ``bag-light.gpkg``), as published.

``bag-light.gpkg`` (real-formats.md §6b) is a national GeoPackage of about 8 GB in
EPSG:28992 with layers ``pand`` (``identificatie``, ``bouwjaar``, ``status``,
``gebruiksdoel``, ``oppervlakte_min``/``oppervlakte_max``,
``aantal_verblijfsobjecten``) and ``verblijfsobject`` (``identificatie``,
``pand_identificatie``, ``gebruiksdoel``, ``oppervlakte``, ``status``, address
fields). For one municipality only the bounding box of its buurten is read (the
GeoPackage's spatial index makes that fast) and only the columns used; an object
counts when its representative point lies in the buurten. The file is recognised by
its layer and fields (:func:`find_bag`), not its name. This module only reads.
"""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pyogrio.errors
import shapely

from wijkplan.errors import SourceNotFoundError, ValidationError
from wijkplan.problems import MAX_LINES, Problems
from wijkplan.settings import CRS_RD, SAMPLE_BRON
from wijkplan.sources.validate import SourceWarning, to_rd

__all__ = [
    "NOT_BUILT",
    "UNKNOWN_YEAR",
    "find_bag",
    "load_bag_panden",
    "load_bag_verblijfsobjecten",
]

#: Pand statuses of objects that are not (or no longer, or never were) a real building.
NOT_BUILT = (
    "Pand gesloopt",
    "Niet gerealiseerd pand",
    "Bouwvergunning verleend",
    "Pand ten onrechte opgevoerd",
)
#: Every pand status the BAG knows (Catalogus BAG 2.0).
PAND_STATUSES = (
    "Bouwvergunning verleend",
    "Niet gerealiseerd pand",
    "Bouw gestart",
    "Pand in gebruik (niet ingemeten)",
    "Pand in gebruik",
    "Verbouwing pand",
    "Sloopvergunning verleend",
    "Pand gesloopt",
    "Pand buiten gebruik",
    "Pand ten onrechte opgevoerd",
)
#: Verblijfsobject statuses of objects that do not (or no longer) exist.
VBO_NOT_BUILT = (
    "Verblijfsobject gevormd",
    "Niet gerealiseerd verblijfsobject",
    "Verblijfsobject ingetrokken",
    "Verblijfsobject ten onrechte opgevoerd",
)
#: BAG's placeholder for "building year unknown".
UNKNOWN_YEAR = 1005
#: The earliest building year taken as real; the latest is this year + :data:`YEARS_AHEAD`.
FIRST_YEAR = 1000
YEARS_AHEAD = 5

_PAND_FIELDS = (
    "identificatie",
    "bouwjaar",
    "status",
    "gebruiksdoel",
    "aantal_verblijfsobjecten",
    "oppervlakte_max",
)
_PAND_REQUIRED = ("identificatie", "bouwjaar", "status")
_VBO_FIELDS = ("identificatie", "pand_identificatie", "gebruiksdoel", "oppervlakte", "status")
_VBO_REQUIRED = ("identificatie", "pand_identificatie")
_PREFIX_RE = r"(?i)^NL\.IMBAG\.[A-Z]+\."
_BAG_ID_RE = r"\d{16}"


def _layer_name(path: Path, wanted: str) -> str | None:
    """The layer of ``path`` called ``wanted`` (any case), else None."""
    try:
        layers = pyogrio.list_layers(path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError):
        return None
    return next((str(name) for name, _ in layers if str(name).casefold() == wanted), None)


def _fields(path: Path, layer: str) -> dict[str, str]:
    """Field names of a layer by their folded name."""
    info = pyogrio.read_info(path, layer=layer)
    return {str(f).casefold(): str(f) for f in info["fields"]}


#: The name PDOK gives its BAG GeoPackage.
BAG_LIGHT = "bag-light.gpkg"


def find_bag(data_dir: Path) -> Path | None:
    """The BAG GeoPackage in ``data_dir`` (layer ``pand`` with ``identificatie`` and ``bouwjaar``).

    Any name (``bag-light.gpkg`` as PDOK publishes it, or a municipal extract). More
    than one such file is one line naming them, and so is a ``bag-light.gpkg`` without
    that layer (a cut download is not "no BAG").
    """
    found: list[Path] = []
    for path in sorted(data_dir.glob("*.gpkg")):
        layer = _layer_name(path, "pand")
        if layer is not None and {"identificatie", "bouwjaar"} <= set(_fields(path, layer)):
            found.append(path)
        elif path.name.casefold() == BAG_LIGHT:  # PDOK's name: a cut or wrong download
            problems = Problems(str(path))
            problems.add(None, "geen laag 'pand' met 'identificatie' en 'bouwjaar' (BAG-bestand?)")
            problems.raise_if_any()
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise ValidationError(
            [
                f"{data_dir}: meer dan één BAG-bestand met een laag 'pand' ({names}); laat er één staan"
            ]
        )
    return found[0] if found else None


def _read(
    path: Path,
    layer_wanted: str,
    wanted: tuple[str, ...],
    required: tuple[str, ...],
    within: gpd.GeoDataFrame | None,
    problems: Problems,
) -> gpd.GeoDataFrame | None:
    """The layer's ``wanted`` fields (renamed to lower case) in EPSG:28992, only in ``within``."""
    if not path.is_file():
        raise SourceNotFoundError(f"{path}: bestand bestaat niet")
    layer = _layer_name(path, layer_wanted)
    if layer is None:
        raise ValidationError([f"{path}: geen laag '{layer_wanted}' (is dit de BAG-GeoPackage?)"])
    fields = _fields(path, layer)
    for name in required:
        if name not in fields:
            problems.add(name, "verplichte kolom ontbreekt")
    if problems:
        return None
    columns = [fields[f] for f in (*wanted, "bron") if f in fields]
    crs = pyogrio.read_info(path, layer=layer)["crs"]
    bbox = None
    if within is not None:
        if crs is None:
            to_rd(gpd.GeoDataFrame(geometry=[]), problems)  # the one CRS message of all sources
            return None
        zone = within if within.crs is not None else within.set_crs(CRS_RD)
        bbox = tuple(float(v) for v in zone.to_crs(crs).total_bounds)
    try:
        gdf = pyogrio.read_dataframe(path, layer=layer, columns=columns, bbox=bbox)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ValidationError([f"{path}: geen leesbaar vectorbestand ({first})"]) from exc
    gdf = gdf.rename(columns={c: c.casefold() for c in gdf.columns if c != gdf.geometry.name})
    rd = to_rd(gdf, problems)
    if rd is None:
        return None
    if within is not None and len(rd):
        zone_rd = (within if within.crs is not None else within.set_crs(CRS_RD)).to_crs(CRS_RD)
        area = shapely.union_all(zone_rd.geometry.to_numpy())
        shapely.prepare(area)
        points = rd.geometry.representative_point().to_numpy()
        rd = rd[shapely.covers(area, points)]
    return rd


def _ids(
    values: pd.Series, field: str, problems: Problems, noun: str, *, unique: bool = True
) -> pd.Series:
    """16-digit BAG ids as text; an integer column gets its leading zeros back (exact)."""
    if pd.api.types.is_integer_dtype(values.dtype):
        text = values.astype("Int64").astype("string").str.zfill(16)
    else:
        text = values.astype("string").str.strip().str.replace(_PREFIX_RE, "", regex=True)
    good = text.str.fullmatch(_BAG_ID_RE).fillna(False).astype(bool)
    bad = values[~good.to_numpy() & values.notna().to_numpy()].astype("string").tolist()
    problems.add_capped(field, f"geen {noun}-id van 16 cijfers", bad)
    if unique:
        problems.add_capped(field, "lege code", ["(leeg)"] * int(values.isna().sum()))
        dup = text[good & text.duplicated()]
        problems.add_capped(field, "dubbele code", sorted(set(dup.tolist())))
    return text.where(good)


def _whole(values: pd.Series, field: str, problems: Problems, ids: pd.Series) -> pd.Series:
    """Whole numbers; NA stays NA; text that is no whole number is one line per object."""
    numbers = pd.to_numeric(values, errors="coerce")
    bad = (numbers.isna() & values.notna()) | (numbers.notna() & (numbers % 1 != 0))
    problems.add_capped(
        field,
        "geen geheel getal",
        [f"{i}: {v}" for i, v in zip(ids[bad], values[bad], strict=True)],
    )
    return numbers.where(~bad).astype("Float64").round().astype("Int64")


def _bron(gdf: pd.DataFrame, label: str) -> pd.Series:
    """The sample mark where the file carries one, else the real source's label."""
    if "bron" in gdf.columns:
        bron = gdf["bron"].astype("string")
        if bron.str.startswith(SAMPLE_BRON).fillna(False).all():
            return bron
    return pd.Series(label, index=gdf.index, dtype="string")


def _warn(notes: list[str]) -> None:
    for note in notes:
        warnings.warn(note, SourceWarning, stacklevel=3)


def _drop_statuses(
    gdf: gpd.GeoDataFrame,
    gone: tuple[str, ...],
    known: tuple[str, ...] | None,
    source: str,
    notes: list[str],
) -> gpd.GeoDataFrame:
    """Leave out objects that are not real (a note with the count per status)."""
    status = gdf["status"].astype("string").str.strip()
    folded = status.str.casefold()
    drop = folded.isin([s.casefold() for s in gone]).fillna(False).astype(bool)
    if drop.any():
        counts = status[drop].value_counts()
        listed = ", ".join(f"{n}× '{s}'" for s, n in counts.items())
        notes.append(
            f"{source}: {int(drop.sum())} objecten overgeslagen die geen bestaand gebouw zijn "
            f"({listed})"
        )
    if known is not None:
        other = status.notna() & ~folded.isin([s.casefold() for s in known]).fillna(False)
        unknown = sorted(set(status[other.astype(bool)].astype(str)))
        if unknown:
            notes.append(
                f"{source}: onbekende status in veld 'status', objecten behouden: "
                f"{', '.join(repr(u) for u in unknown[:MAX_LINES])}"
            )
    out = gdf[~drop.to_numpy()].copy()
    out["status"] = status[~drop]
    return out


def load_bag_panden(
    path: Path | str, *, within: gpd.GeoDataFrame | None = None
) -> gpd.GeoDataFrame:
    """BAG panden (layer ``pand``) in EPSG:28992, only those in ``within`` when given.

    Returns ``pand_id`` (16 digits), ``bouwjaar`` (Int64; BAG's placeholder 1005
    "unknown" becomes NA, with a warning), ``status``, ``gebruiksdoel``,
    ``aantal_verblijfsobjecten`` (Int64), ``oppervlakte_max`` (Float64), ``bron`` and
    the geometry. Panden that are not (or no longer) real buildings
    (:data:`NOT_BUILT`) are left out with a warning. ``within`` (e.g. the buurten):
    only its bounding box is read, and a pand counts when its representative point
    lies in it. A malformed or repeated id, a building year outside 1000 … this year
    + 5 and a file without CRS are one line each; fields other than id, year and
    status that the file lacks are empty (NA, never 0) with a warning.
    """
    path = Path(path)
    problems = Problems(str(path))
    gdf = _read(path, "pand", _PAND_FIELDS, _PAND_REQUIRED, within, problems)
    problems.raise_if_any()
    assert gdf is not None
    if within is not None and gdf.empty:
        problems.add(
            None,
            "geen enkel pand binnen het gebied; is het de goede gemeente of het goede bestand?",
        )
        problems.raise_if_any()
    notes: list[str] = []  # warned once the file is known to be valid
    gdf = _drop_statuses(gdf, NOT_BUILT, PAND_STATUSES, str(path), notes)
    ids = _ids(gdf["identificatie"], "identificatie", problems, "pand")
    shown = ids.fillna(gdf["identificatie"].astype("string"))
    year = _whole(gdf["bouwjaar"], "bouwjaar", problems, shown)
    unknown = year.eq(UNKNOWN_YEAR).fillna(False).astype(bool)
    last = dt.date.today().year + YEARS_AHEAD
    wrong = ~unknown & ~year.between(FIRST_YEAR, last).fillna(True).astype(bool)
    lines = [f"pand {i}: {y}" for i, y in zip(shown[wrong], year[wrong], strict=True)]
    problems.add_capped(
        "bouwjaar", f"onmogelijk bouwjaar (verwacht {FIRST_YEAR} t/m {last})", lines
    )
    counts = {
        f: _whole(gdf[f], f, problems, shown) for f in ("aantal_verblijfsobjecten",) if f in gdf
    }
    problems.raise_if_any()
    _warn(notes)
    if int(unknown.sum()):
        warnings.warn(
            f"{path}: {int(unknown.sum())} panden met bouwjaar {UNKNOWN_YEAR} (BAG: onbekend); "
            "bouwjaar leeg gelaten",
            SourceWarning,
            stacklevel=2,
        )
    missing = [f for f in _PAND_FIELDS if f not in gdf.columns]
    if missing:
        warnings.warn(
            f"{path}: velden ontbreken in laag 'pand', die blijven leeg: {', '.join(missing)}",
            SourceWarning,
            stacklevel=2,
        )
    area = (
        pd.to_numeric(gdf["oppervlakte_max"], errors="coerce").astype("Float64")
        if "oppervlakte_max" in gdf
        else pd.Series(pd.NA, index=gdf.index, dtype="Float64")
    )
    out = gpd.GeoDataFrame(
        {
            "pand_id": ids,
            "bouwjaar": year.mask(unknown),
            "status": gdf["status"].astype("string"),
            "gebruiksdoel": _text_or_na(gdf, "gebruiksdoel"),
            "aantal_verblijfsobjecten": counts.get(
                "aantal_verblijfsobjecten", pd.Series(pd.NA, index=gdf.index, dtype="Int64")
            ),
            "oppervlakte_max": area,
            "bron": _bron(gdf, f"BAG (Kadaster, via PDOK), {path.name}"),
        },
        geometry=gdf.geometry,
        crs=CRS_RD,
    )
    return out.reset_index(drop=True)


def _text_or_na(gdf: pd.DataFrame, field: str) -> pd.Series:
    if field not in gdf.columns:
        return pd.Series(pd.NA, index=gdf.index, dtype="string")
    text = gdf[field].astype("string").str.strip()
    return text.mask(text.eq("").fillna(False).astype(bool))


def load_bag_verblijfsobjecten(
    path: Path | str, *, within: gpd.GeoDataFrame | None = None
) -> gpd.GeoDataFrame:
    """BAG verblijfsobjecten (layer ``verblijfsobject``, points) in EPSG:28992.

    Returns ``vbo_id`` and ``pand_id`` (16 digits; a verblijfsobject in several panden
    keeps the first), ``gebruiksdoel`` (comma-separated as published), ``oppervlakte``
    (Int64, m²), ``status``, ``bron`` and the point geometry. Objects that do not (or
    no longer) exist (:data:`VBO_NOT_BUILT`) are left out with a warning; ``within``
    as in :func:`load_bag_panden`. Lets an energy label without a pand id be placed.
    """
    path = Path(path)
    problems = Problems(str(path))
    gdf = _read(path, "verblijfsobject", _VBO_FIELDS, _VBO_REQUIRED, within, problems)
    problems.raise_if_any()
    assert gdf is not None
    notes: list[str] = []
    if "status" in gdf.columns:
        gdf = _drop_statuses(gdf, VBO_NOT_BUILT, None, str(path), notes)
    ids = _ids(gdf["identificatie"], "identificatie", problems, "verblijfsobject")
    shown = ids.fillna(gdf["identificatie"].astype("string"))
    pand_text = gdf["pand_identificatie"]
    if not pd.api.types.is_integer_dtype(pand_text.dtype):
        # "0484100000000001,0484100000000002": a verblijfsobject in more than one pand
        pand_text = pand_text.astype("string").str.split(",").str[0].str.strip()
    pand_ids = _ids(pand_text, "pand_identificatie", problems, "pand", unique=False)
    area = (
        _whole(gdf["oppervlakte"], "oppervlakte", problems, shown)
        if "oppervlakte" in gdf
        else pd.Series(pd.NA, index=gdf.index, dtype="Int64")
    )
    problems.raise_if_any()
    _warn(notes)
    out = gpd.GeoDataFrame(
        {
            "vbo_id": ids,
            "pand_id": pand_ids,
            "gebruiksdoel": _text_or_na(gdf, "gebruiksdoel"),
            "oppervlakte": area,
            "status": _text_or_na(gdf, "status"),
            "bron": _bron(gdf, f"BAG (Kadaster, via PDOK), {path.name}"),
        },
        geometry=gdf.geometry,
        crs=CRS_RD,
    )
    return out.reset_index(drop=True)
