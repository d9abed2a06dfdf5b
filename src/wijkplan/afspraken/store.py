"""The status store: current status and progress of each agreement, with a full history.

It is an SQLite file kept apart from the built layers (``layers/`` is
regenerated; this file is not), by default ``data/state/afspraken_status.sqlite``
or the path in the environment variable ``WIJKPLAN_STATUS_STORE``.

Every accepted change adds one history row per changed field (who, when, old
value, new value, comment); a comment on its own (a tenant organisation's remark) is a
history row with field ``opmerking`` that changes nothing. History rows are never updated
or deleted (the database refuses it with triggers). Who may write what is decided before
the store is reached, in :mod:`wijkplan.afspraken.service`; the store records the name it
is given. Concurrent edits use optimistic
concurrency: each agreement has a version number, and an update that expected
another version than the stored one is refused with a :class:`ConflictError`.

:meth:`StatusStore.backup` copies the store while it is in use (SQLite's online backup,
written to a temporary name and renamed); :meth:`StatusStore.restore` checks a backup
(integrity, tables, triggers) and copies it into the live store in one transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wijkplan.afspraken.model import Afspraak, Ledger
from wijkplan.errors import ConflictError, ValidationError, WijkplanError
from wijkplan.outputs.atomic import atomic_path
from wijkplan.settings import PROJECT_ROOT
from wijkplan.text_safety import has_control_characters

#: Default location of the store, relative to the working directory.
DEFAULT_STATUS_STORE = PROJECT_ROOT / "data" / "state" / "afspraken_status.sqlite"
#: Environment variable that overrides :data:`DEFAULT_STATUS_STORE`.
STATUS_STORE_ENV = "WIJKPLAN_STATUS_STORE"
#: How long a writer waits for another writer's lock before giving up (milliseconds).
BUSY_TIMEOUT_MS = 10_000

_STATUS_TABLE = """CREATE TABLE IF NOT EXISTS afspraak_status (
    afspraak_id TEXT PRIMARY KEY,
    status      TEXT NOT NULL,
    voortgang   INTEGER CHECK (voortgang IS NULL OR voortgang BETWEEN 0 AND 100),
    version     INTEGER NOT NULL CHECK (version >= 1),
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
)"""
_HISTORY_TABLE = """CREATE TABLE IF NOT EXISTS afspraak_historie (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    afspraak_id TEXT NOT NULL,
    field       TEXT NOT NULL CHECK (field IN ('status', 'voortgang', 'opmerking')),
    old_value   TEXT,
    new_value   TEXT,
    door        TEXT NOT NULL,
    tijdstip    TEXT NOT NULL,
    opmerking   TEXT,
    version     INTEGER NOT NULL
)"""
_HISTORY_GUARDS = (
    "CREATE INDEX IF NOT EXISTS afspraak_historie_afspraak ON afspraak_historie (afspraak_id, id)",
    """CREATE TRIGGER IF NOT EXISTS afspraak_historie_geen_wijziging
    BEFORE UPDATE ON afspraak_historie
    BEGIN SELECT RAISE(ABORT, 'de historie wordt nooit gewijzigd'); END""",
    """CREATE TRIGGER IF NOT EXISTS afspraak_historie_geen_verwijdering
    BEFORE DELETE ON afspraak_historie
    BEGIN SELECT RAISE(ABORT, 'de historie wordt nooit verwijderd'); END""",
)
_SCHEMA = ";\n".join((_STATUS_TABLE, _HISTORY_TABLE, *_HISTORY_GUARDS)) + ";\n"

#: The tables and columns a file must have to be restored as the store.
_REQUIRED = {
    "afspraak_status": {
        "afspraak_id",
        "status",
        "voortgang",
        "version",
        "updated_at",
        "updated_by",
    },
    "afspraak_historie": {
        "id",
        "afspraak_id",
        "field",
        "old_value",
        "new_value",
        "door",
        "tijdstip",
        "opmerking",
        "version",
    },
}
_TRIGGERS = {"afspraak_historie_geen_wijziging", "afspraak_historie_geen_verwijdering"}

#: The history as :meth:`StatusStore.history` returns it (Dutch: the JSON of ``afspraken
#: history`` and the app show these names), each with its column in the SQLite table.
HISTORY_COLUMNS = {
    "id": "id",
    "afspraak_id": "afspraak_id",
    "veld": "field",
    "oud": "old_value",
    "nieuw": "new_value",
    "door": "door",
    "tijdstip": "tijdstip",
    "opmerking": "opmerking",
    "versie": "version",
}


def default_store_path() -> Path:
    """``$WIJKPLAN_STATUS_STORE`` if set, else :data:`DEFAULT_STATUS_STORE`."""
    env = os.environ.get(STATUS_STORE_ENV)
    return Path(env) if env else DEFAULT_STATUS_STORE


@dataclass(frozen=True)
class StatusState:
    """The current status of one agreement.

    ``version`` 0 means never changed in the store (the ledger's own value);
    each accepted update adds 1.
    """

    afspraak_id: str
    status: str
    voortgang: int | None
    version: int
    updated_at: str | None = None
    updated_by: str | None = None


#: The longest name in ``door`` and the longest ``opmerking`` a change may carry.
MAX_DOOR = 100
MAX_OPMERKING = 2000


def _reserve_safety_name(store: Path) -> Path:
    """``<store>.voor-herstel-<UTC time with microseconds>``, with ``-2``, ``-3``, … added
    when that name is taken (a clock that repeats, or a coarse one). The name is reserved
    by creating it (``O_EXCL``), so two restores at once cannot pick the same one; the
    backup then replaces the empty placeholder atomically."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    base = store.with_name(f"{store.name}.voor-herstel-{stamp}")
    candidate, n = base, 1
    while True:
        try:
            os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            n += 1
            candidate = base.with_name(f"{base.name}-{n}")
            continue
        except OSError as exc:
            raise WijkplanError(f"{candidate}: kan de veiligheidskopie niet maken ({exc})") from exc
        return candidate


def _text_problems(
    afspraak_id: str, field: str, value: str | None, limit: int, *, newlines: bool
) -> list[str]:
    """One Dutch line per problem of a typed text: too long, or control characters in it."""
    if not value:
        return []
    problems = []
    if len(value) > limit:
        problems.append(
            f"afspraak {afspraak_id}: {field} is te lang ({len(value)} tekens, hoogstens {limit})"
        )
    if has_control_characters(value, allow_newlines=newlines):
        problems.append(
            f"afspraak {afspraak_id}: {field} bevat stuurtekens (zoals escape- of "
            f"besturingscodes); typ gewone tekst"
        )
    return problems


class StatusStore:
    """Current status and history of agreements in an SQLite file.

    Reading a store that does not exist yet gives the ledger's values and
    creates nothing; the first update creates the file and its parent folders.
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_store_path()

    def __repr__(self) -> str:
        return f"StatusStore({str(self.path)!r})"

    # ---- connections

    @contextlib.contextmanager
    def _connect(self, *, create: bool) -> Iterator[sqlite3.Connection | None]:
        if not create and not self.path.exists():
            yield None
            return
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise ValidationError([f"{self.path}: statusopslag niet te openen ({exc})"]) from exc
        try:
            con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            con.execute("PRAGMA journal_mode = WAL")
            if create:
                con.executescript(_SCHEMA)
                _migrate(con)
            yield con
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise ConflictError(
                    f"{self.path}: statusopslag is bezet door een andere gebruiker; "
                    "probeer het zo nog eens"
                ) from exc
            raise ValidationError([f"{self.path}: geen bruikbare statusopslag ({exc})"]) from exc
        finally:
            con.close()

    @staticmethod
    def _has_tables(con: sqlite3.Connection) -> bool:
        row = con.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'afspraak_status'"
        ).fetchone()
        return bool(row[0])

    # ---- reading

    def current(self, afspraak_id: str, ledger_default: Afspraak | Ledger) -> StatusState:
        """The current state of one agreement; the ledger's values when never changed.

        ``ledger_default`` is the agreement itself, or the ledger to look it up in.
        """
        afspraak = (
            ledger_default.afspraak(afspraak_id)
            if isinstance(ledger_default, Ledger)
            else ledger_default
        )
        with self._connect(create=False) as con:
            row = None
            if con is not None and self._has_tables(con):
                row = con.execute(
                    "SELECT afspraak_id, status, voortgang, version, updated_at, updated_by "
                    "FROM afspraak_status WHERE afspraak_id = ?",
                    (afspraak_id,),
                ).fetchone()
        if row is None:
            return StatusState(afspraak_id, afspraak.status, afspraak.voortgang, 0)
        return StatusState(*row)

    def current_all(self, ledger: Ledger) -> dict[str, StatusState]:
        """The current state of every agreement of ``ledger``, keyed by id."""
        stored: dict[str, StatusState] = {}
        with self._connect(create=False) as con:
            if con is not None and self._has_tables(con):
                for row in con.execute(
                    "SELECT afspraak_id, status, voortgang, version, updated_at, updated_by "
                    "FROM afspraak_status"
                ):
                    stored[row[0]] = StatusState(*row)
        return {
            a.id: stored.get(a.id) or StatusState(a.id, a.status, a.voortgang, 0)
            for a in ledger.afspraken
        }

    def history(self, afspraak_id: str | None = None) -> pd.DataFrame:
        """Every recorded change, oldest first; only those of ``afspraak_id`` when given."""
        rows: list[tuple[object, ...]] = []
        with self._connect(create=False) as con:
            if con is not None and self._has_tables(con):
                sql = f"SELECT {', '.join(HISTORY_COLUMNS.values())} FROM afspraak_historie"
                params: tuple[str, ...] = ()
                if afspraak_id is not None:
                    sql += " WHERE afspraak_id = ?"
                    params = (afspraak_id,)
                rows = con.execute(sql + " ORDER BY id", params).fetchall()
        frame = pd.DataFrame(rows, columns=list(HISTORY_COLUMNS))
        for col in ("id", "versie"):
            frame[col] = frame[col].astype("int64")
        return frame

    # ---- writing

    def update(
        self,
        afspraak_id: str,
        *,
        status: str | None = None,
        voortgang: int | None = None,
        door: str,
        opmerking: str | None = None,
        expected_version: int | None,
        ledger: Ledger,
    ) -> StatusState:
        """Change status and/or progress of one agreement; returns the new state.

        ``expected_version`` is the version the caller showed to the user; if
        the stored version differs, somebody else changed the agreement in the
        meantime and :class:`ConflictError` is raised (nothing is stored).
        ``None`` means the caller did not read a version first (the CLI): the
        change then applies to whatever is current, and is still recorded.
        """
        afspraak = ledger.afspraak(afspraak_id)
        problems = []
        door = (door or "").strip()
        if not door:
            problems.append(f"afspraak {afspraak_id}: geef aan wie de wijziging doet (door)")
        problems += _text_problems(afspraak_id, "door", door, MAX_DOOR, newlines=False)
        problems += _text_problems(
            afspraak_id, "opmerking", opmerking, MAX_OPMERKING, newlines=True
        )
        if status is None and voortgang is None:
            problems.append(f"afspraak {afspraak_id}: geef een nieuwe status of voortgang op")
        if status is not None and status not in ledger.statussen:
            kies = ", ".join(ledger.statussen)
            problems.append(
                f"afspraak {afspraak_id}: onbekende status {status!r} (kies uit {kies})"
            )
        if voortgang is not None and (
            isinstance(voortgang, bool)
            or not isinstance(voortgang, int)
            or not 0 <= voortgang <= 100
        ):
            problems.append(
                f"afspraak {afspraak_id}: voortgang moet een geheel getal van 0 tot en met 100 zijn: "
                f"{voortgang!r}"
            )
        if expected_version is not None and (
            isinstance(expected_version, bool)
            or not isinstance(expected_version, int)
            or expected_version < 0
        ):
            problems.append(f"afspraak {afspraak_id}: ongeldige versie {expected_version!r}")
        if problems:
            raise ValidationError(problems)
        opmerking = (opmerking or "").strip() or None

        with self._connect(create=True) as con:
            assert con is not None
            con.execute("BEGIN IMMEDIATE")
            try:
                state = self._read_locked(con, afspraak)
                if expected_version is not None and state.version != expected_version:
                    raise ConflictError(_conflict_message(afspraak_id, state, expected_version))
                changes: list[tuple[str, object, object]] = []
                if status is not None and status != state.status:
                    changes.append(("status", state.status, status))
                if voortgang is not None and voortgang != state.voortgang:
                    changes.append(("voortgang", state.voortgang, voortgang))
                if not changes:
                    raise ValidationError(
                        [
                            f"afspraak {afspraak_id}: niets gewijzigd (status is al "
                            f"{state.status!r}, voortgang al {_show(state.voortgang)})"
                        ]
                    )
                new = StatusState(
                    afspraak_id=afspraak_id,
                    status=status if status is not None else state.status,
                    voortgang=voortgang if voortgang is not None else state.voortgang,
                    version=state.version + 1,
                    updated_at=_now(),
                    updated_by=door,
                )
                self._write_locked(con, state, new)
                con.executemany(
                    "INSERT INTO afspraak_historie (afspraak_id, field, old_value, new_value, "
                    "door, tijdstip, opmerking, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            afspraak_id,
                            field,
                            _text(old),
                            _text(value),
                            door,
                            new.updated_at,
                            opmerking,
                            new.version,
                        )
                        for field, old, value in changes
                    ],
                )
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return new

    def add_comment(
        self, afspraak_id: str, *, door: str, opmerking: str, ledger: Ledger
    ) -> StatusState:
        """Add a comment to the history of one agreement without changing it.

        The row has field ``opmerking``, no old or new value, and the agreement's current
        version (a comment does not bump the version, so it never makes a coordinator's
        open form conflict). Returns the (unchanged) current state.
        """
        afspraak = ledger.afspraak(afspraak_id)
        door = (door or "").strip()
        opmerking = (opmerking or "").strip()
        problems = []
        if not door:
            problems.append(f"afspraak {afspraak_id}: geef aan wie de opmerking plaatst (door)")
        if not opmerking:
            problems.append(f"afspraak {afspraak_id}: de opmerking is leeg")
        problems += _text_problems(afspraak_id, "door", door, MAX_DOOR, newlines=False)
        problems += _text_problems(
            afspraak_id, "opmerking", opmerking, MAX_OPMERKING, newlines=True
        )
        if problems:
            raise ValidationError(problems)
        with self._connect(create=True) as con:
            assert con is not None
            con.execute("BEGIN IMMEDIATE")
            try:
                state = self._read_locked(con, afspraak)
                con.execute(
                    "INSERT INTO afspraak_historie (afspraak_id, field, old_value, new_value, "
                    "door, tijdstip, opmerking, version) VALUES (?, 'opmerking', NULL, NULL, "
                    "?, ?, ?, ?)",
                    (afspraak_id, door, _now(), opmerking, state.version),
                )
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return state

    # ---- backup and restore

    def backup(self, target: Path | str) -> Path:
        """Copy the store to ``target`` while others keep working (SQLite online backup: one
        consistent snapshot), written to a temporary name and renamed, so ``target`` is
        never half a copy. The copy is a single file (journal mode DELETE)."""
        target = Path(target)
        if not self.path.is_file():
            raise WijkplanError(f"{self.path}: er is nog geen statusopslag om te bewaren")
        if target.is_dir():
            raise WijkplanError(f"{target}: dat is een map; geef een bestandsnaam op")
        if target.exists() and target.resolve() == self.path.resolve():
            raise WijkplanError(f"{target}: dat is de statusopslag zelf; kies een ander bestand")
        try:
            with self._connect(create=False) as con, atomic_path(target) as tmp:
                assert con is not None
                with contextlib.closing(sqlite3.connect(tmp)) as copy:
                    con.backup(copy)
                    copy.execute("PRAGMA journal_mode = DELETE")
                    _check_store_file(copy, target)
        except OSError as exc:
            raise WijkplanError(f"{target}: kan de reservekopie niet schrijven ({exc})") from exc
        return target

    def restore(self, source: Path | str, *, keep: bool = True) -> Path | None:
        """Replace the store's contents by ``source`` (a backup of a store), atomically.

        ``source`` is checked first (SQLite integrity check, our tables, columns and
        triggers); anything else is refused in one line and nothing changes. With ``keep``
        the current store is saved first as ``<store>.voor-herstel-<tijd>`` (returned; the
        time has microseconds and a counter is added if that name exists, so two restores
        in one second never overwrite the earlier copy).
        The contents are copied into the live store with SQLite's backup API in one
        transaction, so a reader sees the old store or the restored one, and no open
        connection is left pointing at a replaced file.
        """
        source = Path(source)
        if not source.is_file():
            raise WijkplanError(f"{source}: bestand bestaat niet")
        try:
            src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise WijkplanError(f"{source}: geen statusopslag van wijkplan ({exc})") from exc
        with contextlib.closing(src):
            _check_store_file(src, source)
            kept = None
            if keep and self.path.is_file():
                reserved = _reserve_safety_name(self.path)
                try:
                    kept = self.backup(reserved)
                except BaseException:
                    with contextlib.suppress(OSError):
                        reserved.unlink()
                    raise
            with self._connect(create=True) as con:
                assert con is not None
                src.backup(con)
                _check_store_file(con, self.path)
        return kept

    @staticmethod
    def _read_locked(con: sqlite3.Connection, afspraak: Afspraak) -> StatusState:
        row = con.execute(
            "SELECT afspraak_id, status, voortgang, version, updated_at, updated_by "
            "FROM afspraak_status WHERE afspraak_id = ?",
            (afspraak.id,),
        ).fetchone()
        if row is None:
            return StatusState(afspraak.id, afspraak.status, afspraak.voortgang, 0)
        return StatusState(*row)

    @staticmethod
    def _write_locked(con: sqlite3.Connection, old: StatusState, new: StatusState) -> None:
        if old.version == 0:
            con.execute(
                "INSERT INTO afspraak_status (afspraak_id, status, voortgang, version, "
                "updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    new.afspraak_id,
                    new.status,
                    new.voortgang,
                    new.version,
                    new.updated_at,
                    new.updated_by,
                ),
            )
            return
        cur = con.execute(
            "UPDATE afspraak_status SET status = ?, voortgang = ?, version = ?, updated_at = ?, "
            "updated_by = ? WHERE afspraak_id = ? AND version = ?",
            (
                new.status,
                new.voortgang,
                new.version,
                new.updated_at,
                new.updated_by,
                new.afspraak_id,
                old.version,
            ),
        )
        if cur.rowcount != 1:  # cannot happen under BEGIN IMMEDIATE; never write blindly
            raise ConflictError(_conflict_message(new.afspraak_id, old, old.version))


def _migrate(con: sqlite3.Connection) -> None:
    """Let a store made before comments existed take them: its history's CHECK allowed only
    ``status`` and ``voortgang``. SQLite cannot change a CHECK in place, so the history is
    copied into a table with the new CHECK in one transaction (every row kept, ids and all;
    the triggers that forbid changing history are dropped with the old table and made again).
    """
    row = con.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'afspraak_historie'"
    ).fetchone()
    if row is None or "'opmerking'" in row[0]:
        return
    con.execute("BEGIN IMMEDIATE")
    try:
        row = con.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'afspraak_historie'"
        ).fetchone()
        if "'opmerking'" not in row[0]:  # another process may have migrated meanwhile
            for trigger in sorted(_TRIGGERS):
                con.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            con.execute("DROP INDEX IF EXISTS afspraak_historie_afspraak")
            con.execute("ALTER TABLE afspraak_historie RENAME TO afspraak_historie_oud")
            con.execute(_HISTORY_TABLE)
            columns = ", ".join(HISTORY_COLUMNS.values())
            con.execute(
                f"INSERT INTO afspraak_historie ({columns}) "
                f"SELECT {columns} FROM afspraak_historie_oud"
            )
            con.execute("DROP TABLE afspraak_historie_oud")
            for statement in _HISTORY_GUARDS:
                con.execute(statement)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _check_store_file(con: sqlite3.Connection, shown: Path) -> None:
    """Refuse (one line) a file that is not a sound status store of wijkplan."""
    try:
        result = [row[0] for row in con.execute("PRAGMA integrity_check")]
        tables = {
            name: {c for (c,) in con.execute(f'SELECT name FROM pragma_table_info("{name}")')}
            for name in _REQUIRED
        }
        triggers = {
            n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
    except sqlite3.DatabaseError as exc:
        raise WijkplanError(f"{shown}: geen statusopslag van wijkplan ({exc})") from exc
    if result != ["ok"]:
        raise WijkplanError(
            f"{shown}: statusopslag is beschadigd (integriteitscontrole: {result[0]})"
        )
    missing = [
        f"{t}.{c}" if tables[t] else t
        for t, columns in _REQUIRED.items()
        for c in (sorted(columns - tables[t]) if tables[t] else [""])
    ]
    missing += sorted(_TRIGGERS - triggers)
    if missing:
        raise WijkplanError(
            f"{shown}: geen statusopslag van wijkplan (ontbreekt: {', '.join(missing)})"
        )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _show(value: int | None) -> str:
    return "leeg" if value is None else str(value)


def _conflict_message(afspraak_id: str, state: StatusState, expected: int) -> str:
    if state.version == 0:
        return (
            f"afspraak {afspraak_id} heeft nog geen opgeslagen wijziging (versie 0), maar u "
            f"verwachtte versie {expected}; laad opnieuw en probeer het nog eens"
        )
    return (
        f"afspraak {afspraak_id} is intussen gewijzigd door {state.updated_by} om "
        f"{state.updated_at} (versie {state.version}, u had versie {expected}); "
        "laad opnieuw en probeer het nog eens"
    )
