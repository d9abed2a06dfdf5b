"""The build report: what a build used and produced, stored in the GeoPackage.

The build (:mod:`wijkplan.build`) fills it; the reading side (:mod:`wijkplan.read`,
the app, the exports) reads it back. It lives outside both so that reading a
report never loads the build pipeline.

>>> r = BuildReport("GM0484", "2026-01-01T00:00:00+00:00",
...                 sources=[SourceEntry("complexen", "c.gpkg", SAMPLE, 3)])
>>> BuildReport.from_json(r.to_json()) == r, r.uses_sample_data
(True, True)
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from wijkplan import __version__
from wijkplan.numbers import number

#: The kinds of a source in the report (Dutch: shown to users as they are).
REAL, SAMPLE, ABSENT = "echt", "voorbeelddata", "afwezig"


@dataclass
class SourceEntry:
    """One source of a build: its name, file, kind and number of records."""

    name: str
    path: str | None
    kind: str  # REAL, SAMPLE or ABSENT
    #: number of records; None where a small count may not be published (incident records)
    count: int | None = 0
    #: what the source is, in words (publisher, table, year), where known
    label: str | None = None


@dataclass
class BuildReport:
    """What a build used and produced; stored in the GeoPackage as table ``build_report``."""

    gemeentecode: str
    built_at: str
    version: str = __version__
    sources: list[SourceEntry] = field(default_factory=list)
    layers: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: measurement year -> GeoTIFF of the Leefbaarometer grid (once built: in the folder
    #: ``<naam>.rasters/<build_id>/`` beside the GeoPackage, tagged with the same build id)
    rasters: dict[str, str] = field(default_factory=dict)
    priority_formula: str | None = None
    #: counts below this were suppressed in this build (shown as "<threshold")
    threshold: int = 5
    #: this build's id (UTC time and a random part); its GeoTIFFs carry it as tag ``wijkplan_build``
    build_id: str | None = None

    @property
    def uses_sample_data(self) -> bool:
        return any(s.kind == SAMPLE for s in self.sources)

    def source(self, name: str) -> SourceEntry | None:
        """The entry of a source that was present, else None."""
        return next((s for s in self.sources if s.name == name and s.kind != ABSENT), None)

    def sample_sources(self) -> set[str]:
        return {s.name for s in self.sources if s.kind == SAMPLE}

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> BuildReport:
        raw = json.loads(text)
        raw["sources"] = [SourceEntry(**s) for s in raw.get("sources", [])]
        return cls(**raw)

    def lines(self) -> list[str]:
        """A human-readable summary (Dutch), as the CLI prints it."""
        out = [
            f"Gemeente {self.gemeentecode}, gebouwd {self.built_at} (wijkplan {self.version})",
            "Bronnen:",
        ]
        width = max([14, *(len(s.name) for s in self.sources)])
        for s in self.sources:
            count = "afgeschermd (klein aantal)" if s.count is None else number(s.count)
            detail = f"{count} objecten, {s.path}" if s.path else "niet aanwezig"
            if s.label:
                detail += f" ({s.label})"
            out.append(f"  {s.name:<{width}} {s.kind:<14} {detail}")
        out.append("Lagen: " + ", ".join(f"{k} ({v})" for k, v in self.layers.items()))
        out += [f"Waarschuwing: {w}" for w in self.warnings]
        return out
