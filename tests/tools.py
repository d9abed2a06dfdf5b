"""External tools the tests use (Debian's gdal-bin, python3-qgis, PostgreSQL + PostGIS).

Locally a missing tool skips its tests with the reason and the script that installs it;
under ``CI=true`` it fails them, so a green CI run always includes them (``make test``
installs the tools first when it may use apt-get).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import NoReturn

import pytest

#: Debian's Python, which has the QGIS bindings (python3-qgis); not our virtualenv.
SYSTEM_PYTHON = "/usr/bin/python3"


def unavailable(reason: str, install: str) -> NoReturn:
    """Skip (locally) or fail (under CI) because a tool is missing."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; required under CI ({install})")
    pytest.skip(f"{reason} ({install} installs it)")


def ogrinfo() -> str:
    """The path of GDAL's ``ogrinfo``."""
    found = shutil.which("ogrinfo")
    if found is None:
        unavailable("ogrinfo (Debian gdal-bin) not installed", "scripts/install-browser.sh")
    return found


def qgis_missing() -> str | None:
    """Why a headless QGIS cannot run here (None: it can)."""
    if not Path(SYSTEM_PYTHON).exists():
        return f"{SYSTEM_PYTHON} not found"
    done = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return f"QGIS (python3-qgis) not installed: {last}"
    return None


def run_qgis(
    script: str, args: list[str], tmp_path: Path, *, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (Python source) with Debian's Python in a headless QGIS environment;
    skip or fail first when QGIS is not installed."""
    reason = qgis_missing()
    if reason:
        unavailable(reason, "scripts/install-qgis.sh")
    path = tmp_path / "qgis_probe.py"
    path.write_text(script, encoding="utf-8")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": str(tmp_path),
        "HOME": str(tmp_path),
    }
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [SYSTEM_PYTHON, str(path), *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=timeout,
    )
