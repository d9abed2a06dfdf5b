"""What an export holds: the chosen layers of one built GeoPackage, for one area or all."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from wijkplan.areas import Area
from wijkplan.report import BuildReport


@dataclass
class ExportSet:
    """The layers to export, selected and typed, with what was done to them.

    ``layers`` holds only declared layers, in EPSG:28992, in catalogue order, with column
    types as the catalogue declares them (nullable integers and yes/no where the GeoPackage
    reader gave floats). A layer left out (empty, or not applicable to the area) is not in
    ``layers`` but has a note saying why.
    """

    layers: dict[str, pd.DataFrame]
    report: BuildReport
    #: the built GeoPackage the layers were read from
    source: Path
    #: the area asked for, if any
    gebied: Area | None
    #: per layer (also the ones left out): how the area was applied, in Dutch
    notes: dict[str, str]
    #: per layer: what else was changed on the way (Dutch, for LEESMIJ and metadata.json)
    remarks: dict[str, list[str]] = field(default_factory=dict)
