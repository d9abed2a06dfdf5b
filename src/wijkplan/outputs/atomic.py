"""Atomic file replacement and the temporary files it leaves when a run is killed.

:func:`atomic_path` writes to a temporary name in the target's folder, then renames: a
failure at any point leaves the earlier file untouched and no half-written file behind.

Every temporary file or folder wijkplan makes in an output folder is named
``.wijkplan-tmp-<host>-<pid>-…`` (:func:`temp_prefix`): our prefix, the host and the process
that owns it. A process killed with SIGKILL cannot clean up, so the next build or export
calls :func:`remove_stale_temp` on its folder first; it removes only entries with our prefix
whose owner is gone (same host, process no longer running; on another host, or a name we
cannot parse, only when older than :data:`FOREIGN_TEMP_AGE_S`). Files we did not create
(another prefix) are never touched, and neither are the temporary files of a run that is
still going.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import socket
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

#: Every temporary name wijkplan makes in an output folder starts with this.
TEMP_PREFIX = ".wijkplan-tmp-"
#: A temporary entry of another host (or one we cannot parse) is stale after a day.
FOREIGN_TEMP_AGE_S = 24 * 3600

_OWNER = re.compile(r"^\.wijkplan-tmp-(?P<host>[0-9a-f]{8})-(?P<pid>\d+)-")


def _host() -> str:
    return hashlib.sha1(socket.gethostname().encode("utf-8")).hexdigest()[:8]


def temp_prefix(label: str = "") -> str:
    """``.wijkplan-tmp-<host>-<pid>-<label>.``: the prefix of every temporary name we make."""
    return f"{TEMP_PREFIX}{_host()}-{os.getpid()}-{label}."


def temp_dir(parent: Path, label: str) -> Path:
    """A new, empty temporary folder in ``parent`` (removed by the caller)."""
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=temp_prefix(label), dir=parent))


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (no-op where directories cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def fsync_file(path: Path) -> None:
    """Flush one written file to disk before it is renamed into place."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_path(target: Path | str, *, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(d / "x.txt") as tmp:
    ...     _ = tmp.write_text("ok")
    >>> (d / "x.txt").read_text()
    'ok'
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        prefix=temp_prefix(target.stem), suffix=suffix or target.suffix, dir=target.parent
    )
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()  # let the writer create it (some GDAL drivers refuse an existing empty file)
    try:
        yield tmp
        fsync_file(tmp)
        os.replace(tmp, target)
        fsync_dir(target.parent)
    finally:
        for leftover in (tmp, *tmp.parent.glob(tmp.name + "-*")):  # GPKG -wal/-shm side files
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # somebody else's process
    except OSError:
        return True  # cannot tell: keep the files
    return True


def _stale(entry: Path, *, now: float) -> bool:
    match = _OWNER.match(entry.name)
    if match and match["host"] == _host():
        return not _alive(int(match["pid"]))
    try:
        age = now - entry.lstat().st_mtime
    except FileNotFoundError:
        return False
    return age > FOREIGN_TEMP_AGE_S


def remove_stale_temp(folder: Path | str) -> list[Path]:
    """Remove the temporary files and folders a killed wijkplan run left in ``folder``.

    Only names with :data:`TEMP_PREFIX` whose owning process is gone; returns what was
    removed. A folder that does not exist has nothing to clean.
    """
    folder = Path(folder)
    removed: list[Path] = []
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX) or not _stale(entry, now=now):
            continue
        try:
            if stat.S_ISDIR(entry.lstat().st_mode):
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except OSError as exc:
            if exc.errno != errno.ENOENT:
                continue  # not ours to force (permissions): leave it
        removed.append(entry)
    return removed
