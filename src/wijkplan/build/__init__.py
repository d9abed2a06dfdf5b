"""The layer build: validate every source in a data folder and write the GeoPackage.

Everything that writes lives in this package. :func:`build_layers` is what
``wijkplan build`` runs; it runs the theme modules in order, each taking the
validated sources and returning its layers and report entries:

1. :mod:`~wijkplan.build.boundaries`: buurten, wijken (required) and complexen;
2. :mod:`~wijkplan.build.agreements`: the agreement ledger and its areas;
3. :mod:`~wijkplan.build.liveability`: Leefbaarometer and incidents.

It works for any municipality whose ``buurten.*`` and ``wijken.*`` are in the
folder; other sources are used when present and reported as absent otherwise
(never invented). :mod:`~wijkplan.build.geopackage` checks every layer against
the catalogue and writes the GeoPackage, :mod:`~wijkplan.build.rasters` the
Leefbaarometer GeoTIFFs, both in a temporary folder; :mod:`~wijkplan.build.publish`
moves them into place together, so a failed or killed build leaves the earlier
GeoPackage and its rasters untouched.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from wijkplan.build import agreements, boundaries, heat, liveability, publish
from wijkplan.build.context import BuildContext
from wijkplan.build.geopackage import write_geopackage
from wijkplan.config import load_config
from wijkplan.errors import SourceNotFoundError, ValidationError
from wijkplan.outputs.atomic import temp_dir
from wijkplan.report import BuildReport

__all__ = ["build_layers", "collect_layers"]


def collect_layers(
    data_dir: Path | str,
    *,
    ledger: Path | str | None = None,
    staging: Path,
    gemeente: str | None = None,
) -> tuple[dict[str, pd.DataFrame], BuildReport]:
    """Load and validate every source in ``data_dir``; return the layers and the report.

    All validation problems of all sources are gathered and raised as one
    ValidationError, so a user fixes everything in one round. The Leefbaarometer
    GeoTIFFs derived on the way are written to ``staging``; their paths are in
    ``report.rasters``.
    """
    if not Path(data_dir).is_dir():
        raise SourceNotFoundError(f"{data_dir}: bronmap bestaat niet")
    ctx = BuildContext(
        data_dir=Path(data_dir),
        staging=staging,
        config=load_config(),
        ledger=Path(ledger) if ledger is not None else None,
        gemeente=gemeente,
    )
    bounds = boundaries.build(ctx)  # raises when there are no usable boundaries
    agreed = agreements.build(ctx, bounds)
    warm = heat.build(ctx, bounds, agreed)
    if warm.warmtegebieden is not None:  # the plan's districts are the heat areas of every theme
        agreed = replace(agreed, warmtegebieden=warm.warmtegebieden)
    live = liveability.build(ctx, bounds, agreed)
    ctx.check()  # every problem of every other source, in one round
    layers: dict[str, pd.DataFrame] = {}
    report = BuildReport(
        gemeentecode=bounds.gemeentecode,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        rasters={str(year): str(path) for year, path in live.rasters.items()},
        priority_formula=live.formula,
        threshold=ctx.config.threshold,
        warnings=list(ctx.repairs),
    )
    for theme in (bounds.output, agreed.output, warm.output, live.output):
        layers.update(theme.layers)
        report.sources += theme.sources
        report.warnings += theme.notes
    # one remark once, even when two loaders (or two years) make it
    report.warnings = list(dict.fromkeys(report.warnings))
    return layers, report


def build_layers(
    data_dir: Path | str,
    out: Path | str,
    *,
    ledger: Path | str | None = None,
    gemeente: str | None = None,
) -> BuildReport:
    """Validate the sources in ``data_dir`` and write the GeoPackage ``out``.

    Everything is staged in a temporary folder beside ``out``; the derived rasters are
    published in ``<naam>.rasters/<build id>/`` together with the GeoPackage, as one
    transaction (:mod:`wijkplan.build.publish`), only when the whole build succeeded.
    What an earlier, killed build left behind is removed first.
    """
    out = Path(out)
    if out.is_dir() or out.suffix.lower() != ".gpkg":
        raise ValidationError([f"{out}: --out moet een bestandsnaam op .gpkg zijn (geen map)"])
    out.parent.mkdir(parents=True, exist_ok=True)
    publish.clean(out)
    build_id = publish.new_build_id()
    staging = temp_dir(out.parent, "build")
    try:
        layers, report = collect_layers(data_dir, ledger=ledger, staging=staging, gemeente=gemeente)
        report.build_id = build_id
        staged = {year: Path(path) for year, path in report.rasters.items()}
        ours = {year: path for year, path in staged.items() if path.parent == staging}
        rasters = staging / "rasters" if ours else None
        if rasters is not None:
            rasters.mkdir()
            for year, path in ours.items():
                final = publish.raster_path(out, build_id, year)
                moved = rasters / final.name
                os.replace(path, moved)
                os.chmod(moved, 0o644)
                publish.tag_raster(moved, build_id)
                staged[year] = final
            os.chmod(rasters, 0o755)
        # a user's own GeoTIFF stays where it is
        report.rasters = {year: str(path) for year, path in staged.items()}
        gpkg = staging / out.name
        write_geopackage(layers, report, gpkg, categories=load_config().categories)
        publish.publish(gpkg, rasters, out, build_id)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report
