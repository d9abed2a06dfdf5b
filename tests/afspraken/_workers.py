"""Process entry points for the concurrency test (importable by a spawned child)."""

from __future__ import annotations

from typing import Any

from wijkplan.afspraken.ledger import load_ledger
from wijkplan.afspraken.store import StatusStore
from wijkplan.errors import ConflictError


def read_then_update(
    store_path: str,
    ledger_path: str,
    afspraak_id: str,
    door: str,
    status: str,
    barrier: Any,
    queue: Any,
) -> None:
    """Read the version, wait until every process has read it, then write with that version."""
    ledger = load_ledger(ledger_path)
    store = StatusStore(store_path)
    version = store.current(afspraak_id, ledger).version
    barrier.wait(timeout=60)
    try:
        new = store.update(
            afspraak_id,
            status=status,
            door=door,
            opmerking=f"door {door}",
            expected_version=version,
            ledger=ledger,
        )
    except ConflictError as err:
        queue.put((door, "conflict", version, str(err), err.exit_code))
    except Exception as err:  # report instead of leaving the parent waiting
        queue.put((door, "error", version, repr(err), -1))
    else:
        queue.put((door, "ok", version, new.version, 0))


def update_many(store_path: str, ledger_path: str, afspraak_id: str, n: int, started: Any) -> None:
    """``n`` updates of one agreement's progress, one after the other (for the backup test)."""
    ledger = load_ledger(ledger_path)
    store = StatusStore(store_path)
    for i in range(n):
        store.update(
            afspraak_id, voortgang=i % 101, door="schrijver", expected_version=None, ledger=ledger
        )
        if i == 0:
            started.set()
