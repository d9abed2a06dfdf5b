"""Checks of a status store file as a whole (backup, restore and kill tests)."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path


def store_problems(path: Path) -> list[str]:
    """What is wrong with the store at ``path``: integrity, or a current status that its
    history does not explain (version = last history version, values = last new values)."""
    with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
        problems = [r for (r,) in db.execute("PRAGMA integrity_check") if r != "ok"]
        for afspraak_id, status, voortgang, version in db.execute(
            "SELECT afspraak_id, status, voortgang, version FROM afspraak_status"
        ):
            rows = db.execute(
                "SELECT field, new_value, version FROM afspraak_historie "
                "WHERE afspraak_id = ? ORDER BY id",
                (afspraak_id,),
            ).fetchall()
            if not rows or rows[-1][2] != version:
                problems.append(f"{afspraak_id}: version {version}, history {rows[-1:]}")
                continue
            versions = sorted({v for _, _, v in rows})
            if versions != list(range(1, version + 1)):
                problems.append(f"{afspraak_id}: history versions {versions}")
            last = {field: value for field, value, _ in rows}
            if "status" in last and last["status"] != status:
                problems.append(f"{afspraak_id}: status {status}, history {last['status']}")
            shown = None if voortgang is None else str(voortgang)
            if "voortgang" in last and last["voortgang"] != shown:
                problems.append(f"{afspraak_id}: voortgang {shown}, history {last['voortgang']}")
        return problems
