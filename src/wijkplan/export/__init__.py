"""Exports for GIS staff: the built layers in standard formats, for one area or all.

    wijkplan export --format {gpkg,geojson,fgb,shp,csv} [--layer NAAM ...] [--gebied CODE]
                    [--layers FILE.gpkg] [--excel] --out MAP

:func:`select_layers` reads the chosen layers of a built GeoPackage (reading side only: no
build pipeline) and applies an area by the catalogue's keys (:mod:`wijkplan.export.select`);
:func:`export` writes them in one format (:mod:`wijkplan.export.writers`) with
``metadata.json`` and ``LEESMIJ.txt`` (:mod:`wijkplan.export.describe`) into a temporary
folder beside the target, then publishes them: only the files of this export are
replaced, nothing else in the folder is touched. On Linux the target folder is swapped
as a whole (the other files hard-linked in), so even a killed export leaves the earlier
export or this one, complete; the next export removes the temporary folder it left. Bad input (an unknown format, layer or
area, a target that is a file, a GeoPackage that is not built) is one Dutch line and
nothing is written.

Styles come from :mod:`wijkplan.styles` (``layer_styles`` in the GeoPackage, ``.sld`` and
``.qml`` beside the other formats).

The file formats are :data:`FORMATS`; PostGIS (:data:`DATABASE_FORMATS`) writes tables
through :mod:`wijkplan.export.postgis` (``write(export_set, dsn=…, schema=…)``; options
``--dsn`` and ``--schema`` on the command line).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wijkplan.errors import ValidationError, WijkplanError
from wijkplan.export.describe import FORMAT_NAMES, leesmij, metadata
from wijkplan.export.model import ExportSet
from wijkplan.export.select import select_layers
from wijkplan.outputs.atomic import fsync_dir, fsync_file, remove_stale_temp, temp_dir
from wijkplan.settings import CRS_WGS84, DEFAULT_LAYERS

__all__ = [
    "DATABASE_FORMATS",
    "FORMATS",
    "METADATA_FILES",
    "ExportSet",
    "export",
    "formats",
    "leesmij",
    "metadata",
    "register",
    "select_layers",
]

FORMATS: tuple[str, ...] = ("gpkg", "geojson", "fgb", "shp", "csv")
#: Formats that write into a database rather than files (``--dsn``, ``--schema``).
DATABASE_FORMATS: tuple[str, ...] = ("postgis",)
#: The sidecars every file export writes (last, after the data files).
METADATA_FILES = ("metadata.json", "LEESMIJ.txt")


def formats() -> tuple[str, ...]:
    """Every format ``export`` accepts."""
    return (*FORMATS, *DATABASE_FORMATS)


def _check_format(fmt: str) -> str:
    key = str(fmt).strip().lower()
    choices = formats()
    if key not in choices:
        raise ValidationError([f"onbekend formaat {fmt!r}: kies uit {', '.join(choices)}"])
    return key


def _check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ValidationError([f"--out {out}: dat is een bestand; geef een map op"])
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise ValidationError([f"--out {out}: {parent} is een bestand, geen map"])
            break


def _format_notes(fmt: str, excel: bool) -> list[str]:
    from wijkplan.export.writers import FORMAT_NOTES

    spreadsheet = excel and fmt in ("csv", "fgb", "shp")  # the formats that write CSV
    notes = [] if spreadsheet and fmt == "csv" else [FORMAT_NOTES[fmt]]
    return [*notes, FORMAT_NOTES["excel"]] if spreadsheet else notes


def export(
    layers_path: Path | str,
    fmt: str,
    out: Path | str | None,
    *,
    names: Sequence[str] | None = None,
    gebied: str | None = None,
    excel: bool = False,
) -> list[Path]:
    """Export the chosen layers (default: all) of ``layers_path`` in format ``fmt`` into the
    folder ``out``; return the files written (data files, then ``metadata.json`` and
    ``LEESMIJ.txt``).

    ``excel`` writes every CSV in the form Dutch Excel opens directly. Everything is
    checked before anything is written; the files appear only when all are complete.
    """
    from wijkplan.export.writers import WRITERS

    fmt = _check_format(fmt)
    if fmt in DATABASE_FORMATS:
        raise ValidationError(
            [f"{fmt} schrijft tabellen, geen bestanden: gebruik wijkplan.export.postgis"]
        )
    if out is None:
        raise ValidationError([f"--out ontbreekt: geef de map waarin de {fmt}-bestanden komen"])
    out = Path(out)
    _check_out(out)
    export_set = select_layers(layers_path, names, gebied)  # all input problems before writing
    if not export_set.layers:
        why = "; ".join(f"{name}: {note}" for name, note in export_set.notes.items())
        raise ValidationError([f"niets te exporteren ({why})"])

    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temp(parent)  # what a killed export left here
        tmp = temp_dir(parent, "export")
    except OSError as exc:
        raise WijkplanError(f"--out {out}: kan daar niet schrijven ({_why(exc)})") from exc
    try:
        written = WRITERS[fmt](export_set, tmp, excel=excel)
        files = [*written.files, *METADATA_FILES]
        data = metadata(export_set)
        data["formaat"] = FORMAT_NAMES[fmt]
        data["excel"] = excel
        data["stijlen"] = written.styles
        for name, remarks in written.remarks.items():
            data["lagen"][name]["opmerkingen"] += remarks
        data["bestanden"] = files
        if fmt == "geojson":
            data["crs"] = {
                "code": CRS_WGS84,
                "naam": "WGS 84 (RFC 7946)",
                "opmerking": (
                    "omgerekend uit EPSG:28992 met PROJ (transformatie Amersfoort naar WGS 84, "
                    "ongeveer 1 m nauwkeurig); coördinaten afgerond op 7 decimalen"
                ),
            }
        (tmp / "metadata.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        (tmp / "LEESMIJ.txt").write_text(
            leesmij(
                export_set,
                fmt=fmt,
                files=files,
                remarks=written.remarks,
                extra=[*_format_notes(fmt, excel), f"Stijlen: {written.styles}."],
            ),
            encoding="utf-8",
        )
        return _move_in(tmp, out, files)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _move_in(tmp: Path, out: Path, files: Sequence[str]) -> list[Path]:
    """Publish the finished ``files`` from ``tmp`` in ``out``: the whole folder at once
    where the system allows (:func:`_swap_folder`), else file by file (:func:`_move_files`)."""
    for name in files:
        fsync_file(tmp / name)
    if _swap_folder(tmp, out, files):
        return [out / name for name in files]
    return _move_files(tmp, out, files)


def _swap_folder(tmp: Path, out: Path, files: Sequence[str]) -> bool:
    """Make ``tmp`` the new ``out`` in one rename, so that a reader (or a kill) sees the
    earlier export or this one and never a mix; False where that is not possible.

    The other files in ``out`` (not of this export) are hard-linked into ``tmp`` first,
    so they stay as they are; Linux's ``renameat2(RENAME_EXCHANGE)`` then swaps the two
    folders atomically. A folder with subfolders, a file system without hard links or a
    system without ``renameat2`` falls back to moving file by file.
    """
    if not _swappable(tmp, out):
        return False
    try:
        if not out.exists():
            os.chmod(tmp, 0o777 & ~_umask())
            os.rename(tmp, out)  # fails if ``out`` appeared meanwhile: then file by file
            fsync_dir(out.parent)
            return True
        mine = set(files)
        linked: set[str] = set()
        for entry in os.scandir(out):
            if entry.name in mine:
                continue
            if entry.is_symlink():
                os.symlink(os.readlink(entry.path), tmp / entry.name)
            elif entry.is_file(follow_symlinks=False):
                os.link(entry.path, tmp / entry.name)
            else:
                raise OSError("a subfolder cannot be carried over atomically")
            linked.add(entry.name)
        os.chmod(tmp, stat.S_IMODE(out.stat().st_mode))
        if not _exchange(tmp, out):
            raise OSError("renameat2 is not available")
    except OSError:
        for name in os.listdir(tmp) if tmp.is_dir() else []:
            if name not in files and name != ".vorige":
                with contextlib.suppress(OSError):
                    (tmp / name).unlink()  # only the links made above
        return False
    fsync_dir(out.parent)
    # ``tmp`` now holds the earlier folder: keep what another program wrote meanwhile
    for entry in os.scandir(tmp):
        if entry.name not in mine and entry.name not in linked and not (out / entry.name).exists():
            with contextlib.suppress(OSError):
                os.replace(entry.path, out / entry.name)
    return True


def _swappable(tmp: Path, out: Path) -> bool:
    """Whether swapping ``out`` for ``tmp`` changes nothing but this export's files.

    Not when ``out`` is a symlink (the swap would replace the link, not fill its folder),
    a mount point, the working folder of this process (or holds it), or a folder whose
    owner, group or extended attributes (ACLs) the new folder would not keep: a shared
    folder stays the share's. Those cases move file by file.
    """
    if out.is_symlink() or not out.exists():
        return not out.is_symlink()
    try:
        if os.path.ismount(out):
            return False
        here = Path.cwd().resolve()
        if here == out.resolve() or out.resolve() in here.parents:
            return False
        mine, theirs = tmp.stat(), out.stat()
        if (theirs.st_uid, theirs.st_gid) != (mine.st_uid, mine.st_gid):
            return False
        return not (hasattr(os, "listxattr") and os.listxattr(out))
    except OSError:
        return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2`` with ``RENAME_EXCHANGE``)."""
    import ctypes
    import errno

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err))


def _move_files(tmp: Path, out: Path, files: Sequence[str]) -> list[Path]:
    """Move the finished ``files`` from ``tmp`` into ``out``, all or none: the files they
    replace are set aside first and put back when a move fails (a read-only folder, a full
    disk), so the folder holds either the earlier export or this one (not after a kill)."""
    aside = tmp / ".vorige"
    moved: list[str] = []
    kept: list[str] = []
    try:
        out.mkdir(exist_ok=True)
        aside.mkdir()
        for name in files:
            if (out / name).exists():
                os.replace(out / name, aside / name)
                kept.append(name)
            os.replace(tmp / name, out / name)
            moved.append(name)
    except OSError as exc:
        for name in moved:
            with contextlib.suppress(OSError):
                (out / name).unlink()
        for name in kept:
            with contextlib.suppress(OSError):
                os.replace(aside / name, out / name)
        raise WijkplanError(f"--out {out}: kan daar niet schrijven ({_why(exc)})") from exc
    return [out / name for name in files]


# ---------------------------------------------------------------------------- command line


def _earlier_files(out: Path) -> list[str]:
    """Files an earlier export listed in ``metadata.json`` (to name the ones left standing)."""
    try:
        earlier = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    listed = earlier.get("bestanden") if isinstance(earlier, dict) else None
    return [str(f) for f in listed] if isinstance(listed, list) else []


def cmd_export(args: argparse.Namespace) -> int:
    fmt = _check_format(args.format)
    if fmt == "postgis":  # its own command (``--dsn``, ``--schema``)
        from wijkplan.export import postgis

        return postgis.run_postgis(args)
    out = Path(args.out) if args.out is not None else None
    existing = set(os.listdir(out)) if out is not None and out.is_dir() else set()
    earlier = _earlier_files(out) if out is not None else []
    files = export(args.layers, fmt, out, names=args.layer, gebied=args.gebied, excel=args.excel)
    print(f"Geschreven ({FORMAT_NAMES.get(fmt, fmt)}): {len(files)} bestanden in {out}")
    for path in files:
        print(f"  {path.name}{' (vervangen)' if path.name in existing else ''}")
    written_meta = json.loads(files[0].with_name("metadata.json").read_text(encoding="utf-8"))
    for name, why in written_meta.get("weggelaten", {}).items():
        print(f"Niet geëxporteerd: {name} ({str(why).removeprefix('weggelaten: ')})")
    written = {p.name for p in files}
    stale = [f for f in earlier if f not in written and f in existing]
    if stale:
        print("Uit een eerdere export, niet vervangen: " + ", ".join(stale))
    return 0


def register(subparsers: Any) -> None:
    """Add the ``export`` subcommand to the ``wijkplan`` command line."""
    p = subparsers.add_parser(
        "export",
        help="exporteer lagen als GeoPackage, GeoJSON, FlatGeobuf, Shapefile of CSV",
        description=(
            "Exporteer de gebouwde lagen (EPSG:28992; GeoJSON in EPSG:4326 volgens RFC 7946) "
            "met metadata.json en LEESMIJ.txt, voor alle gebieden of één gebied."
        ),
    )
    p.add_argument(
        "--format",
        required=True,
        metavar="FORMAAT",
        help=f"een van: {', '.join(formats())}",
    )
    p.add_argument(
        "--layer",
        action="append",
        metavar="NAAM",
        default=None,
        help="alleen deze laag (herhaal voor meer; standaard: alle lagen)",
    )
    p.add_argument(
        "--gebied",
        metavar="CODE",
        default=None,
        help="alleen dit gebied: buurtcode (BU…), wijkcode (WK…), gemeentecode (GM…), "
        "id van een regiegebied, warmtegebied of complex",
    )
    p.add_argument(
        "--layers",
        type=Path,
        default=DEFAULT_LAYERS,
        help="gebouwde GeoPackage (standaard: layers/wijkplan.gpkg)",
    )
    p.add_argument(
        "--excel",
        action="store_true",
        help="CSV zoals Nederlandse Excel hem opent: ';', decimale komma, UTF-8 met BOM",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="MAP",
        help="doelmap; alleen de bestanden van deze export worden daar vervangen",
    )
    from wijkplan.export.postgis import add_postgis_arguments

    add_postgis_arguments(p)
    p.set_defaults(func=cmd_export)
