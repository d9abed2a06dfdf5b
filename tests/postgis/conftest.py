"""A throwaway PostgreSQL + PostGIS cluster for the test session, on 127.0.0.1.

Debian's server binaries (``/usr/lib/postgresql/<version>/bin``) run ``initdb`` in a fresh
temporary folder and ``pg_ctl`` starts it on a free port, listening on 127.0.0.1 only, with its
unix socket in that folder. PostgreSQL refuses to run as root, so under root (CI, the dev
container) the cluster belongs to Debian's ``postgres`` system user and the commands run
through ``runuser``. The superuser ``wijkplan`` has a password (scram over TCP), so the tests
also see what a wrong password does. Stopped and removed at the end of the session.

Without the binaries or PostGIS the tests are skipped with the reason; under ``CI=true`` they
fail instead, so a green CI run always includes them (``make postgis-deps`` installs them).
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

from tests.tools import unavailable

SUPERUSER = "wijkplan"


@dataclass(frozen=True)
class Cluster:
    """The running test cluster: its DSN pieces and a helper for new databases."""

    host: str
    port: int
    user: str
    password: str

    def dsn(self, dbname: str = "wijkplan_test", *, password: str | None = None) -> str:
        secret = self.password if password is None else password
        return f"postgresql://{self.user}:{secret}@{self.host}:{self.port}/{dbname}"

    def create_database(self, name: str, *, postgis: bool = True) -> str:
        """A new empty database (with PostGIS unless told otherwise); return its DSN."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        if postgis:
            with psycopg.connect(self.dsn(name), autocommit=True) as conn:
                conn.execute("CREATE EXTENSION postgis")
        return self.dsn(name)


def _unavailable(reason: str) -> NoReturn:
    unavailable(reason, "make postgis-deps: Debian's postgresql and postgresql-*-postgis-3")


def _bindir() -> Path | None:
    """The newest installed PostgreSQL server's bin folder."""
    roots = sorted(
        (p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    if roots:
        return roots[0]
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _sharedir(bindir: Path) -> Path:
    pg_config = bindir / "pg_config"
    if pg_config.exists():
        out = subprocess.run(
            [str(pg_config), "--sharedir"], capture_output=True, text=True, check=False
        )
        if out.returncode == 0 and out.stdout.strip():
            return Path(out.stdout.strip())
    return Path("/usr/share/postgresql") / bindir.parent.name


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """Start the cluster (once per session) and yield it; stop and remove it afterwards."""
    try:
        import psycopg
    except ImportError:
        _unavailable("psycopg is not installed")
    bindir = _bindir()
    if bindir is None:
        _unavailable("PostgreSQL server binaries (initdb, pg_ctl) not found")
    if not (_sharedir(bindir) / "extension" / "postgis.control").exists():
        _unavailable(f"PostGIS is not installed for PostgreSQL {bindir.parent.name}")

    as_root = os.geteuid() == 0
    prefix: list[str] = []
    owner = None
    if as_root:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            _unavailable(
                "running as root and there is no 'postgres' system user to own the cluster"
            )
            raise
        prefix = ["runuser", "-u", "postgres", "--"]

    # not under pytest's tmp folder: that one is private to root, the server runs as postgres
    root = Path(tempfile.mkdtemp(prefix="wijkplan-pg-"))
    data, log, pwfile = root / "data", root / "server.log", root / "pw"
    password = secrets.token_urlsafe(16)
    pwfile.write_text(password + "\n")
    if owner is not None:
        os.chown(root, owner.pw_uid, owner.pw_gid)
        os.chown(pwfile, owner.pw_uid, owner.pw_gid)
    pwfile.chmod(0o600)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*prefix, *args], capture_output=True, text=True, check=False)

    port = _free_port()
    started = False
    try:
        out = run(
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            SUPERUSER,
            f"--pwfile={pwfile}",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        if out.returncode != 0:
            pytest.fail(f"initdb failed: {out.stderr.strip() or out.stdout.strip()}")
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        out = run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
                  "-o", options, "start")  # fmt: skip
        if out.returncode != 0:
            detail = log.read_text() if log.exists() else out.stderr
            pytest.fail(f"pg_ctl start failed: {detail.strip()[-2000:]}")
        started = True
        cluster = Cluster("127.0.0.1", port, SUPERUSER, password)
        with psycopg.connect(cluster.dsn("postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE wijkplan_test")
        with psycopg.connect(cluster.dsn(), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION postgis")
        yield cluster
    finally:
        if started:
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_dsn(pg_cluster: Cluster) -> str:
    """DSN of the session's PostGIS database ``wijkplan_test``."""
    return pg_cluster.dsn()


@pytest.fixture
def db_conn(pg_dsn: str) -> Iterator[object]:
    """An autocommit superuser connection to ``wijkplan_test``, for setting up and reading back."""
    import psycopg

    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        yield conn
