"""Process entry points for the load test (importable by a spawned child).

Each worker updates the progress (``voortgang``) of a few agreements ``n`` times, round
robin, and reports what the store accepted. Worker ``w`` only ever writes values
``w + 8 * k`` (0..100), so a value written by another worker never equals its own, and two
successive writes of one worker to one agreement differ: an update never "changes nothing".
"""

from __future__ import annotations

import time
from typing import Any

from wijkplan.afspraken.ledger import load_ledger
from wijkplan.afspraken.store import StatusStore
from wijkplan.errors import ConflictError

#: What a worker reports: (afspraak_id, new version, door, opmerking, new voortgang).
Accepted = tuple[str, int, str, str, int]

WORKERS_MAX = 8


def values_of(worker: int) -> list[int]:
    """The progress values worker ``worker`` writes, in order (its own residue class mod 8)."""
    return list(range(worker, 101, WORKERS_MAX))


def update_load(
    store_path: str,
    ledger_path: str,
    ids: list[str],
    worker: int,
    n: int,
    versioned: bool,
    barrier: Any,
    queue: Any,
) -> None:
    """``n`` updates after the barrier; report accepted updates, conflicts and errors.

    ``versioned``: read the current version, update with it, retry on a version conflict
    (as the app does after "laad opnieuw"). Otherwise update without an expected version
    (the CLI's path: the change applies to whatever is current) and never retry.
    A "store is busy" (SQLite lock not obtained within the busy timeout) is never retried:
    it is reported as an error.
    """
    ledger = load_ledger(ledger_path)
    store = StatusStore(store_path)
    door = f"werker-{worker}"
    values = values_of(worker)
    accepted: list[Accepted] = []
    conflicts = 0
    errors: list[str] = []
    barrier.wait(timeout=120)
    started = time.monotonic()
    for i in range(n):
        afspraak_id = ids[(worker + i) % len(ids)]
        value = values[i % len(values)]
        opmerking = f"{door} update {i}"
        while True:
            expected = None
            if versioned:
                state = store.current(afspraak_id, ledger)
                expected = state.version
                if state.voortgang == value:  # only our own earlier write; pick the next value
                    value = values[(values.index(value) + 1) % len(values)]
            try:
                new = store.update(
                    afspraak_id,
                    voortgang=value,
                    door=door,
                    opmerking=opmerking,
                    expected_version=expected,
                    ledger=ledger,
                )
            except ConflictError as err:
                if versioned and "intussen gewijzigd" in str(err):
                    conflicts += 1
                    continue
                errors.append(f"{door} update {i}: {err}")
            except Exception as err:  # report instead of leaving the parent waiting
                errors.append(f"{door} update {i}: {err!r}")
            else:
                accepted.append((afspraak_id, new.version, door, opmerking, value))
                if expected is not None and new.version != expected + 1:  # overwrote unseen
                    errors.append(
                        f"{door} update {i}: read version {expected}, wrote {new.version}"
                    )
            break
    queue.put((worker, accepted, conflicts, errors, time.monotonic() - started))
