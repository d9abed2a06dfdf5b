"""The layer build: validate every source in a data folder and write the GeoPackage.

``build_layers`` is what ``wijkplan build`` runs. It works for any municipality
whose ``buurten.*`` and ``wijken.*`` are in the folder; other sources are used
when present and reported as absent otherwise (never invented). The GeoPackage
is written to a temporary file and renamed, so a failed build leaves an earlier
GeoPackage untouched.
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import pandas as pd
import pyogrio

from wijkplan import __version__
from wijkplan.afspraken import (
    DEFAULT_LEDGER,
    AreaIndex,
    StatusStore,
    afspraken_frames,
    load_ledger,
    regiegebieden_layer,
    warmtegebieden_layer,
)
from wijkplan.build_liveability import collect_liveability
from wijkplan.config import load_config
from wijkplan.errors import ValidationError
from wijkplan.outputs.atomic import atomic_path
from wijkplan.settings import CRS_RD, is_sample
from wijkplan.sources import load_buurten, load_complexen, load_wijken
from wijkplan.sources._io import find_source
from wijkplan.sources.validate import RepairWarning

REPORT_TABLE = "build_report"
#: GeoPackage 1.2 is read by every QGIS 3.x and GDAL >= 2.2 (1.4 warns in older GDAL).
GPKG_OPTIONS = {"VERSION": "1.2"}


@dataclass
class SourceEntry:
    """One source in the build report."""

    naam: str
    pad: str | None
    soort: str  # "echt", "voorbeelddata" or "afwezig"
    #: number of records; None where a small count may not be published (incident records)
    objecten: int | None = 0


@dataclass
class BuildReport:
    """What a build used and produced; stored in the GeoPackage as table ``build_report``."""

    gemeentecode: str
    gebouwd_op: str
    versie: str = __version__
    bronnen: list[SourceEntry] = field(default_factory=list)
    lagen: dict[str, int] = field(default_factory=dict)
    waarschuwingen: list[str] = field(default_factory=list)
    #: measurement year -> GeoTIFF of the Leefbaarometer grid (next to the GeoPackage once built)
    rasters: dict[str, str] = field(default_factory=dict)
    prioriteit_formule: str | None = None
    #: counts below this were suppressed in this build (shown as "<drempel")
    drempel: int = 5

    @property
    def uses_sample_data(self) -> bool:
        return any(s.soort == "voorbeelddata" for s in self.bronnen)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> BuildReport:
        raw = json.loads(text)
        raw["bronnen"] = [SourceEntry(**s) for s in raw.get("bronnen", [])]
        return cls(**raw)

    def lines(self) -> list[str]:
        """A human-readable summary (Dutch), as the CLI prints it."""
        out = [
            f"Gemeente {self.gemeentecode}, gebouwd {self.gebouwd_op} (wijkplan {self.versie})",
            "Bronnen:",
        ]
        for s in self.bronnen:
            count = "afgeschermd (klein aantal)" if s.objecten is None else str(s.objecten)
            detail = f"{count} objecten, {s.pad}" if s.pad else "niet aanwezig"
            out.append(f"  {s.naam:<14} {s.soort:<14} {detail}")
        out.append("Lagen: " + ", ".join(f"{k} ({v})" for k, v in self.lagen.items()))
        out += [f"Waarschuwing: {w}" for w in self.waarschuwingen]
        return out


def _kind(frame: pd.DataFrame) -> str:
    if "bron" in frame.columns and len(frame) and frame["bron"].map(is_sample).all():
        return "voorbeelddata"
    return "echt"


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


@dataclass
class _Collector:
    """Gathers layers, report entries and problems while sources load."""

    repairs: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    layers: dict[str, pd.DataFrame] = field(default_factory=dict)
    entries: list[SourceEntry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(
        self, name: str, path: Path | None, frame: pd.DataFrame, kind: str | None = None
    ) -> None:
        self.layers[name] = frame
        self.entries.append(
            SourceEntry(name, str(path) if path else None, kind or _kind(frame), len(frame))
        )

    def absent(self, name: str, why: str | None = None) -> None:
        self.entries.append(SourceEntry(name, None, "afwezig"))
        if why:
            self.notes.append(f"{name}: {why}")

    def attempt(self, load: Callable[[], T]) -> T | None:
        try:
            return load()
        except ValidationError as exc:
            self.problems += exc.problems
            return None


T = TypeVar("T")


def collect_layers(
    data_dir: Path | str, *, ledger: Path | str | None = None, staging: Path | None = None
) -> tuple[dict[str, pd.DataFrame], BuildReport]:
    """Load and validate every source in ``data_dir``; return the layers and the report.

    All validation problems of all sources are gathered and raised as one
    ValidationError, so a user fixes everything in one round. Rasters derived
    on the way (the Leefbaarometer GeoTIFFs) are written to ``staging``; their
    paths are in ``report.rasters``.
    """
    data_dir = Path(data_dir)
    c = _Collector()
    paths = {name: find_source(data_dir, name) for name in ("buurten", "wijken", "complexen")}
    for required in ("buurten", "wijken"):
        if paths[required] is None:
            c.problems.append(
                f"{data_dir}: geen {required}-bestand gevonden (verwacht {required}.geojson/.gpkg/.fgb/.shp)"
            )
    if c.problems:
        raise ValidationError(c.problems)

    with warnings.catch_warnings():
        # repairs are collected into the build report instead
        warnings.simplefilter("ignore", RepairWarning)
        wijken = c.attempt(lambda: load_wijken(paths["wijken"], repairs=c.repairs))  # type: ignore[arg-type]
        buurten = c.attempt(
            lambda: load_buurten(paths["buurten"], wijken=wijken, repairs=c.repairs)  # type: ignore[arg-type]
        )
        if c.problems:
            raise ValidationError(c.problems)
        assert buurten is not None and wijken is not None
        c.add("buurten", paths["buurten"], buurten)
        c.add("wijken", paths["wijken"], wijken)
        complexen = None
        if paths["complexen"] is not None:
            complexen = c.attempt(
                lambda: load_complexen(paths["complexen"], buurten=buurten, repairs=c.repairs)  # type: ignore[arg-type]
            )
            if complexen is not None:
                c.add("complexen", paths["complexen"], complexen)
        else:
            c.absent("complexen")
    _collect_afspraken(c, data_dir, ledger, buurten, wijken, complexen)
    if c.problems:
        raise ValidationError(c.problems)
    live = None
    with tempfile.TemporaryDirectory(prefix="wijkplan-") as own_staging:
        live = c.attempt(
            lambda: collect_liveability(
                data_dir,
                staging or Path(own_staging),
                buurten=buurten,
                wijken=wijken,
                complexen=complexen,
                regiegebieden=c.layers.get("regiegebieden"),
            )
        )
    if c.problems:
        raise ValidationError(c.problems)
    assert live is not None
    for naam, pad, soort, n in live.sources:
        c.entries.append(SourceEntry(naam, str(pad) if pad else None, soort, n))
    c.layers.update(live.layers)
    c.notes += live.notes

    report = BuildReport(
        gemeentecode=str(buurten["gemeentecode"].iloc[0]),
        gebouwd_op=datetime.now(UTC).isoformat(timespec="seconds"),
        bronnen=c.entries,
        waarschuwingen=c.repairs + c.notes,
        rasters={str(year): str(path) for year, path in live.rasters.items()},
        prioriteit_formule=live.formula,
        drempel=load_config().threshold,
    )
    return c.layers, report


def _collect_afspraken(
    c: _Collector,
    data_dir: Path,
    ledger_arg: Path | str | None,
    buurten: gpd.GeoDataFrame,
    wijken: gpd.GeoDataFrame,
    complexen: gpd.GeoDataFrame | None,
) -> None:
    """The agreement ledger and the areas it defines (regie and heat areas)."""
    path, explicit = resolve_ledger(data_dir, ledger_arg)
    if path is None:
        c.absent("afspraken")
        return
    gemeente = str(buurten["gemeentecode"].iloc[0])
    if not explicit:
        # the shipped ledger belongs to one municipality: only use it there
        raw = load_ledger(path)
        own = {link.code for a in raw.afspraken for link in a.gebieden if link.niveau == "gemeente"}
        if gemeente not in own:
            c.absent(
                "afspraken",
                f"het meegeleverde register ({path}) hoort bij {', '.join(sorted(own))}, niet bij {gemeente}",
            )
            return
    areas = AreaIndex.from_frames(buurten, wijken, complexen)
    ledger = c.attempt(lambda: load_ledger(path, areas=areas))
    if ledger is None:
        return
    afspraken, gebieden = afspraken_frames(ledger, store=StatusStore())
    # status and progress are a snapshot of the status store; the app reads the store live
    afspraken["status_stand_op"] = datetime.now(UTC).isoformat(timespec="seconds")
    c.add("afspraken", path.resolve(), afspraken, kind="echt")
    c.layers["afspraak_gebieden"] = gebieden
    c.layers["regiegebieden"] = regiegebieden_layer(ledger, buurten)
    c.layers["warmtegebieden"] = warmtegebieden_layer(ledger, buurten, wijken)


def write_geopackage(layers: dict[str, pd.DataFrame], report: BuildReport, out: Path | str) -> None:
    """Write every layer (EPSG:28992) and the report table to ``out``, atomically."""
    out = Path(out)
    report.lagen = {name: len(frame) for name, frame in layers.items()}
    with atomic_path(out) as tmp:
        for name, frame in layers.items():
            if isinstance(frame, gpd.GeoDataFrame):
                if frame.crs is None or frame.crs.to_epsg() != 28992:
                    raise ValueError(f"layer {name} is not in {CRS_RD}")  # a bug, not bad input
                frame.to_file(
                    tmp, layer=name, driver="GPKG", engine="pyogrio", dataset_options=GPKG_OPTIONS
                )
            else:
                pyogrio.write_dataframe(
                    frame, tmp, layer=name, driver="GPKG", dataset_options=GPKG_OPTIONS
                )
        table = pd.DataFrame({"report": [report.to_json()]})
        pyogrio.write_dataframe(table, tmp, layer=REPORT_TABLE, driver="GPKG")


def build_layers(
    data_dir: Path | str, out: Path | str, *, ledger: Path | str | None = None
) -> BuildReport:
    """Validate the sources in ``data_dir`` and write the GeoPackage ``out``.

    Derived rasters are staged in a temporary folder beside ``out`` and moved
    next to it (``leefbaarometer_<jaar>.tif``) only when the whole build succeeded.
    """
    out = Path(out)
    if out.is_dir() or out.suffix.lower() != ".gpkg":
        raise ValidationError([f"{out}: --out moet een bestandsnaam op .gpkg zijn (geen map)"])
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".wijkplan-build-", dir=out.parent) as staging:
        layers, report = collect_layers(data_dir, ledger=ledger, staging=Path(staging))
        staged = {year: Path(path) for year, path in report.rasters.items()}
        final = {
            year: out.with_name(f"{out.stem}_leefbaarometer_{year}.tif")
            if path.parent == Path(staging)
            else path  # a user's own GeoTIFF stays where it is
            for year, path in staged.items()
        }
        report.rasters = {year: str(path) for year, path in final.items()}
        write_geopackage(layers, report, out)
        # the rasters belong to this GeoPackage: moved in only after it was written
        for year, path in staged.items():
            if path != final[year]:
                os.chmod(path, 0o644)
                os.replace(path, final[year])
    return report
