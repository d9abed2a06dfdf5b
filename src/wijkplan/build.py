"""The layer build: validate every source in a data folder and write the GeoPackage.

``build_layers`` is what ``wijkplan build`` runs. It works for any municipality
whose ``buurten.*`` and ``wijken.*`` are in the folder; other sources are used
when present and reported as absent otherwise (never invented). The GeoPackage
is written to a temporary file and renamed, so a failed build leaves an earlier
GeoPackage untouched.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from wijkplan import __version__
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
    objecten: int = 0


@dataclass
class BuildReport:
    """What a build used and produced; stored in the GeoPackage as table ``build_report``."""

    gemeentecode: str
    gebouwd_op: str
    versie: str = __version__
    bronnen: list[SourceEntry] = field(default_factory=list)
    lagen: dict[str, int] = field(default_factory=dict)
    waarschuwingen: list[str] = field(default_factory=list)

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
            detail = f"{s.objecten} objecten, {s.pad}" if s.pad else "niet aanwezig"
            out.append(f"  {s.naam:<14} {s.soort:<14} {detail}")
        out.append("Lagen: " + ", ".join(f"{k} ({v})" for k, v in self.lagen.items()))
        out += [f"Waarschuwing: {w}" for w in self.waarschuwingen]
        return out


def _kind(frame: pd.DataFrame) -> str:
    if "bron" in frame.columns and len(frame) and frame["bron"].map(is_sample).all():
        return "voorbeelddata"
    return "echt"


def collect_layers(data_dir: Path | str) -> tuple[dict[str, pd.DataFrame], BuildReport]:
    """Load and validate every source in ``data_dir``; return the layers and the report.

    All validation problems of all sources are gathered and raised as one
    ValidationError, so a user fixes everything in one round.
    """
    data_dir = Path(data_dir)
    repairs: list[str] = []
    problems: list[str] = []
    layers: dict[str, pd.DataFrame] = {}
    entries: list[SourceEntry] = []

    paths = {name: find_source(data_dir, name) for name in ("buurten", "wijken", "complexen")}
    for required in ("buurten", "wijken"):
        if paths[required] is None:
            problems.append(
                f"{data_dir}: geen {required}-bestand gevonden (verwacht {required}.geojson/.gpkg/.fgb/.shp)"
            )
    if problems:
        raise ValidationError(problems)

    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore", RepairWarning
        )  # repairs are collected into the report instead
        wijken = buurten = None
        try:
            wijken = load_wijken(paths["wijken"], repairs=repairs)  # type: ignore[arg-type]
        except ValidationError as exc:
            problems += exc.problems
        try:
            buurten = load_buurten(paths["buurten"], wijken=wijken, repairs=repairs)  # type: ignore[arg-type]
        except ValidationError as exc:
            problems += exc.problems
        if problems:
            raise ValidationError(problems)
        assert buurten is not None and wijken is not None
        layers["buurten"], layers["wijken"] = buurten, wijken
        for name in ("buurten", "wijken"):
            entries.append(
                SourceEntry(name, str(paths[name]), _kind(layers[name]), len(layers[name]))
            )
        if paths["complexen"] is not None:
            complexen = load_complexen(paths["complexen"], buurten=buurten, repairs=repairs)
            layers["complexen"] = complexen
            entries.append(
                SourceEntry("complexen", str(paths["complexen"]), _kind(complexen), len(complexen))
            )
        else:
            entries.append(SourceEntry("complexen", None, "afwezig"))

    report = BuildReport(
        gemeentecode=str(buurten["gemeentecode"].iloc[0]),
        gebouwd_op=datetime.now(UTC).isoformat(timespec="seconds"),
        bronnen=entries,
        waarschuwingen=repairs,
    )
    return layers, report


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


def build_layers(data_dir: Path | str, out: Path | str) -> BuildReport:
    """Validate the sources in ``data_dir`` and write the GeoPackage ``out``."""
    layers, report = collect_layers(data_dir)
    write_geopackage(layers, report, out)
    return report
