"""The connection: the DSN (parsed, described without its password), connecting, and turning
the errors a user or a DBA can fix into one Dutch line."""

from __future__ import annotations

import re
from typing import Any

from wijkplan.errors import WijkplanError

__all__ = [
    "CONNECT_TIMEOUT",
    "DEFAULT_SCHEMA",
    "PostgisError",
    "check_postgis",
    "check_schema_name",
    "connect",
    "conninfo",
    "describe_dsn",
    "failed",
    "raise_if_user_error",
    "scrub",
]

DEFAULT_SCHEMA = "wijkplan"
#: Seconds to wait for the server when the DSN does not say (an unreachable host never hangs).
CONNECT_TIMEOUT = 10
#: A schema name wijkplan writes to: a plain lower-case identifier starting with a letter.
_SCHEMA = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


class PostgisError(WijkplanError):
    """The PostGIS export could not run (connection, rights, PostGIS missing); nothing changed."""


def conninfo(dsn: str) -> dict[str, str]:
    """The DSN's parts (``user``, ``host``, ``dbname``, …), or one Dutch line when malformed."""
    import psycopg.conninfo

    try:
        return {k: str(v) for k, v in psycopg.conninfo.conninfo_to_dict(dsn).items()}
    except psycopg.ProgrammingError:
        raise PostgisError(
            "PostGIS-export: ongeldige verbindingstekst (--dsn); verwacht "
            "postgresql://gebruiker@server:poort/database"
        ) from None


def describe_dsn(dsn: str) -> str:
    """Where a DSN points, without its password: ``gebruiker@server:poort/database``.

    >>> describe_dsn("postgresql://gis:geheim@db.example:5433/kaart")
    'gis@db.example:5433/kaart'
    """
    info = conninfo(dsn)
    user = info.get("user", "")
    host = info.get("host") or info.get("hostaddr") or "localhost"
    where = f"{host}:{info['port']}" if info.get("port") else host
    return f"{user + '@' if user else ''}{where}/{info.get('dbname', user or '')}"


def check_schema_name(schema: str) -> None:
    """Refuse a schema name wijkplan does not write to, in one line.

    >>> check_schema_name("wijkplan")
    >>> check_schema_name("pg_x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    wijkplan.export.postgis.connection.PostgisError: ...schemanaam 'pg_x' is gereserveerd...
    """
    if not schema:
        raise PostgisError("PostGIS-export: lege schemanaam (--schema); geef een naam op")
    if schema.startswith("pg_") or schema == "information_schema":
        raise PostgisError(
            f"PostGIS-export: schemanaam {schema!r} is gereserveerd voor PostgreSQL (pg_… en "
            "information_schema); kies een andere naam met --schema"
        )
    if not _SCHEMA.match(schema):
        raise PostgisError(
            f"PostGIS-export: schemanaam {schema!r} ongeldig (hoogstens 63 tekens: kleine "
            "letters, cijfers en _, beginnend met een letter)"
        )


def scrub(text: str, dsn: str) -> str:
    """A server or libpq message with any trace of the password removed."""
    from urllib.parse import unquote

    password = conninfo(dsn).get("password")
    for secret in {password, unquote(password or "")} - {None, ""}:
        text = text.replace(str(secret), "***")
    return text


def connect(dsn: str) -> Any:
    """An open psycopg connection (not autocommit), or one Dutch line on why not."""
    import psycopg

    info = conninfo(dsn)
    try:
        kwargs: dict[str, Any] = {"autocommit": False}
        if "connect_timeout" not in info:
            kwargs["connect_timeout"] = CONNECT_TIMEOUT
        kwargs["application_name"] = info.get("application_name", "wijkplan export")
        return psycopg.connect(dsn, **kwargs)
    except psycopg.OperationalError as exc:
        raise PostgisError(f"PostGIS-export naar {describe_dsn(dsn)}: {_why(exc, dsn)}") from None


def _why(exc: Exception, dsn: str) -> str:
    """The reason a connection failed, in Dutch (the libpq text only when unrecognised)."""
    text = str(exc)
    low = text.lower()
    if "connection option" in low or "invalid uri" in low or "invalid sslmode" in low:
        detail = scrub(text.strip().splitlines()[0], dsn).removeprefix("connection is bad: ")
        return f"ongeldige verbindingstekst (--dsn): {detail}"
    if "password authentication failed" in low or "no password supplied" in low:
        return "aanmelding geweigerd (gebruiker of wachtwoord onjuist)"
    if "authentication" in low or "pg_hba.conf" in low:
        return "aanmelding geweigerd door de server (pg_hba.conf of aanmeldmethode)"
    if "database" in low and "does not exist" in low:
        return "de database bestaat niet"
    if "role" in low and "does not exist" in low:
        return "de gebruiker bestaat niet op deze server"
    if "could not translate host name" in low or "name or service not known" in low:
        return "servernaam onbekend"
    if (
        "connection refused" in low
        or "timeout expired" in low
        or "could not connect" in low
        or "no route to host" in low
        or "network is unreachable" in low
    ):
        return "server niet bereikbaar (draait PostgreSQL en klopt de poort?)"
    first = scrub(text.strip().splitlines()[0] if text.strip() else type(exc).__name__, dsn)
    return f"verbinding mislukt ({first})"


def failed(dsn: str, reason: str) -> PostgisError:
    """The one line for an export that stopped and rolled back."""
    return PostgisError(
        f"PostGIS-export naar {describe_dsn(dsn)} mislukt, er is niets veranderd: {reason}"
    )


def raise_if_user_error(exc: Exception, dsn: str) -> None:
    """Errors the user or the DBA can fix become one Dutch line; anything else is a bug."""
    import psycopg
    from psycopg import errors as pe

    primary = exc.diag.message_primary if isinstance(exc, psycopg.Error) else None
    message = scrub(primary or str(exc), dsn)
    first = message.strip().splitlines()[0] if message.strip() else type(exc).__name__
    reason = None
    if isinstance(exc, pe.InsufficientPrivilege):
        reason = f"onvoldoende rechten ({first})"
    elif isinstance(exc, pe.ReservedName):
        reason = f"die naam is gereserveerd voor PostgreSQL ({first}); kies een ander --schema"
    elif isinstance(exc, pe.DependentObjectsStillExist):
        reason = (
            f"een view of ander object hangt af van een bestaande tabel ({first}); verwijder "
            "het en maak het na de export opnieuw"
        )
    elif isinstance(exc, pe.WrongObjectType):
        reason = f"een bestaand object heeft de naam van een laag ({first})"
    elif isinstance(exc, pe.LockNotAvailable | pe.QueryCanceled):
        reason = f"een tabel is te lang in gebruik door een andere sessie ({first})"
    elif isinstance(exc, pe.ReadOnlySqlTransaction):
        reason = "de server is alleen-lezen (een replica?)"
    elif isinstance(exc, psycopg.OperationalError):
        reason = f"verbinding of server faalde tijdens de export ({first})"
    if reason:
        raise failed(dsn, reason) from None


def check_postgis(cur: Any, dsn: str) -> str:
    """The schema PostGIS is installed in; one Dutch line when it or EPSG:28992 is missing."""
    from psycopg import sql

    cur.execute(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'postgis'"
    )
    row = cur.fetchone()
    if row is None:
        raise PostgisError(
            f"PostGIS-export naar {describe_dsn(dsn)}: de PostGIS-extensie ontbreekt in deze "
            "database; laat een beheerder 'CREATE EXTENSION postgis;' uitvoeren"
        )
    gis = str(row[0])
    cur.execute(
        sql.SQL("SELECT 1 FROM {}.spatial_ref_sys WHERE srid = %s").format(sql.Identifier(gis)),
        (28992,),
    )
    if cur.fetchone() is None:
        raise PostgisError(
            f"PostGIS-export naar {describe_dsn(dsn)}: EPSG:28992 (RD New) ontbreekt in "
            "spatial_ref_sys"
        )
    return gis
