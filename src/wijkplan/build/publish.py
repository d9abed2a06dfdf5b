"""Publishing a build: the GeoPackage and its GeoTIFFs change together, or not at all.

Design (issue 11, item 7). A build writes everything in a temporary folder beside the
target (``.wijkplan-tmp-…``, :mod:`wijkplan.outputs.atomic`) and publishes in two renames
under a lock on the output folder:

1. the GeoTIFFs, tagged ``wijkplan_build=<build id>``, move as one folder to
   ``<naam>.rasters/<build id>/``: a new name nobody refers to yet;
2. the GeoPackage, whose build report names that build id and those paths, replaces
   ``<naam>.gpkg``. This rename is the commit point.

Afterwards every ``<naam>.rasters/<id>/`` that the published GeoPackage does not name is
removed. Readers find the rasters only through the GeoPackage's report (and can check
the tag), so at every moment, a SIGKILL included, the published state is the earlier
GeoPackage with the earlier rasters (still in place: old folders go only after the
commit) or the new GeoPackage with the new rasters (in place before the commit). A
killed run leaves an unreferenced folder and temporary files; the next build removes
them first (:func:`clean`).

Why not the alternatives: rasters beside the GeoPackage under fixed names (as before)
cannot be replaced together with it, however they are tagged: between the renames, or
after a kill, a new GeoPackage sits beside old rasters. Rasters inside the GeoPackage
are not possible for our multi-band float32 GeoTIFFs (the GeoPackage gridded coverage
extension holds one band). A whole build folder swapped as one would change the
``--out FILE.gpkg`` contract every user and the app rely on.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from wijkplan.outputs.atomic import fsync_dir, fsync_file, remove_stale_temp

#: The GeoTIFF tag that names the build a raster belongs to.
BUILD_TAG = "wijkplan_build"
BUILD_ID = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{8}$")


def new_build_id() -> str:
    """UTC time of the build and a random part, e.g. ``20250101T120000Z-1a2b3c4d``."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"


def raster_folder(out: Path) -> Path:
    """``<naam>.rasters`` beside ``<naam>.gpkg``: one subfolder per build."""
    return out.with_name(f"{out.stem}.rasters")


def raster_path(out: Path, build_id: str, year: str) -> Path:
    """Where the GeoTIFF of one measurement year of one build is published."""
    return raster_folder(out) / build_id / f"{out.stem}_leefbaarometer_{year}.tif"


def tag_raster(path: Path, build_id: str) -> None:
    """Tag one staged GeoTIFF with the build it belongs to."""
    import rasterio

    with rasterio.open(path, "r+") as dst:
        dst.update_tags(**{BUILD_TAG: build_id})


def published(out: Path) -> tuple[str | None, dict[str, str]] | None:
    """The build id and rasters the GeoPackage ``out`` names; None if it is not readable.

    Read with sqlite3 only (no GDAL): this runs under the publish lock.
    """
    if not out.is_file():
        return None
    try:
        with contextlib.closing(
            sqlite3.connect(f"{out.resolve().as_uri()}?mode=ro", uri=True)
        ) as db:
            (text,) = db.execute("SELECT report FROM build_report LIMIT 1").fetchone()
        raw = json.loads(text)
        return raw.get("build_id"), {str(k): str(v) for k, v in raw.get("rasters", {}).items()}
    except (sqlite3.Error, TypeError, ValueError, AttributeError):
        return None


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on ``folder`` (flock on the directory) while publishing or cleaning,
    so that one build never removes the raster folder another is about to publish."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: no lock (one build at a time)
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _remove_unreferenced(out: Path, keep: str | None) -> None:
    folder = raster_folder(out)
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.name != keep and BUILD_ID.match(entry.name) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
    with contextlib.suppress(OSError):
        folder.rmdir()  # only when empty


def clean(out: Path) -> None:
    """Before a build: remove what killed runs left beside ``out`` (temporary files of dead
    processes, raster folders the published GeoPackage does not name)."""
    with folder_lock(out.parent):
        remove_stale_temp(out.parent)
        if not out.exists():
            _remove_unreferenced(out, keep=None)
            return
        current = published(out)
        if current is not None:  # an unreadable file: we cannot tell what it needs, keep all
            _remove_unreferenced(out, keep=current[0])


def publish(gpkg: Path, rasters: Path | None, out: Path, build_id: str) -> None:
    """Move the staged ``rasters`` folder to ``<naam>.rasters/<build_id>`` and the staged
    ``gpkg`` to ``out`` (the commit), then remove the rasters of earlier builds."""
    with folder_lock(out.parent):
        previous = published(out)
        if rasters is not None:
            for tif in rasters.iterdir():
                fsync_file(tif)
            fsync_dir(rasters)
            raster_folder(out).mkdir(exist_ok=True)
            os.replace(rasters, raster_folder(out) / build_id)
            fsync_dir(raster_folder(out))
        fsync_file(gpkg)
        os.replace(gpkg, out)  # the commit point
        fsync_dir(out.parent)
        _remove_unreferenced(out, keep=build_id)
        if previous is not None:
            _remove_legacy(out, previous[1])


def _remove_legacy(out: Path, rasters: dict[str, str]) -> None:
    """Rasters an earlier wijkplan wrote beside the GeoPackage (``<naam>_leefbaarometer_<jaar>
    .tif``), removed once the new build is published; only those its report named."""
    for year, path in rasters.items():
        legacy = out.with_name(f"{out.stem}_leefbaarometer_{year}.tif")
        with contextlib.suppress(OSError):
            if os.path.samefile(path, legacy):
                legacy.unlink()
