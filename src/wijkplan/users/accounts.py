"""The local users file: login names, roles and argon2 password hashes.

The embedded login for one machine (no identity provider): ``data/state/gebruikers.toml``,
or the path in ``$WIJKPLAN_USERS``. It is managed with ``wijkplan gebruikers add/remove/list``
and never edited by hand, but it is TOML so a reader can see what is in it::

    # wijkplan-gebruikers: beheer met `wijkplan gebruikers add/remove/list`
    [gebruikers."j.devries"]
    rol = "corporatie"
    organisatie = "woonforte"
    wachtwoord = "$argon2id$v=19$m=65536,t=3,p=4$…"

Why this shape:

- **argon2id hashes** (argon2-cffi's defaults, RFC 9106), never the password; a hash is
  re-computed with current parameters when an old one verifies (``check_needs_rehash``).
- **0600, written atomically**: a temporary file created with mode 0600 in the same
  folder, flushed and renamed over the old one, so the file is never half-written and never
  readable by other local users, not even for a moment. Changes are serialised with an
  ``flock`` on ``<file>.lock``, so two ``add`` commands at once cannot lose one another.
- **No password** (``wachtwoord`` absent) marks an account that logs in only through the
  identity provider (``st.login``); its name is the e-mail address the provider gives.
- Names are compared case-insensitively (``J.deVries`` is ``j.devries``), so two accounts
  cannot differ only in case; reading a file refuses (one line naming the file) names that
  ``add`` would refuse and two entries that differ only in case, whoever wrote them.
- Verifying an unknown name costs as much as a wrong password (a dummy hash is checked),
  so the login form does not tell which names exist.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from wijkplan.afspraken.model import Ledger
from wijkplan.errors import WijkplanError
from wijkplan.outputs.atomic import fsync_dir, temp_prefix
from wijkplan.settings import PROJECT_ROOT
from wijkplan.users.model import NAME_RE, ORGANISATION_KIND, ROLES, User

#: Default location of the users file (beside the status store, never in git).
DEFAULT_USERS_FILE = PROJECT_ROOT / "data" / "state" / "gebruikers.toml"
#: Environment variable that overrides :data:`DEFAULT_USERS_FILE`.
USERS_ENV = "WIJKPLAN_USERS"
#: Shortest password accepted.
MIN_PASSWORD = 10

_HEADER = "# wijkplan-gebruikers: beheer met `wijkplan gebruikers add/remove/list`\n"
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("wijkplan-dummy-wachtwoord")


def default_users_path() -> Path:
    """``$WIJKPLAN_USERS`` if set, else :data:`DEFAULT_USERS_FILE`."""
    env = os.environ.get(USERS_ENV)
    return Path(env) if env else DEFAULT_USERS_FILE


@dataclass(frozen=True)
class Account:
    """One entry of the users file: the user and the hash of their password (``None``: the
    account logs in only through the identity provider)."""

    user: User
    wachtwoord: str | None


class UsersFile:
    """The users file; reading one that does not exist gives no users and creates nothing."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_users_path()

    def __repr__(self) -> str:
        return f"UsersFile({str(self.path)!r})"

    def exists(self) -> bool:
        return self.path.is_file()

    # ---- reading

    def _check_not_other_kind(self) -> None:
        """A path that exists but is no regular file (a folder, a device) is one line."""
        if self.path.exists() and not self.path.is_file():
            raise WijkplanError(f"{self.path}: dat is geen bestand; geef een gebruikersbestand op")

    def accounts(self) -> dict[str, Account]:
        """Every account, keyed by the lower-cased name."""
        self._check_not_other_kind()
        if not self.path.is_file():
            return {}
        try:
            raw = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise WijkplanError(f"{self.path}: gebruikersbestand niet te lezen ({exc})") from exc
        table = raw.get("gebruikers", {})
        result: dict[str, Account] = {}
        if not isinstance(table, dict):
            raise WijkplanError(f"{self.path}: 'gebruikers' moet een tabel zijn")
        for naam, entry in table.items():
            if not NAME_RE.match(naam):
                raise WijkplanError(
                    f"{self.path}: ongeldige gebruikersnaam {naam!r}: letters, cijfers en "
                    ". _ @ + - (hoogstens 64 tekens, zonder spaties)"
                )
            if naam.lower() in result:
                raise WijkplanError(
                    f"{self.path}: gebruikers {result[naam.lower()].user.naam!r} en {naam!r} "
                    "verschillen alleen in hoofdletters; houd er één over"
                )
            if not isinstance(entry, dict) or entry.get("rol") not in ROLES:
                raise WijkplanError(f"{self.path}: gebruiker {naam!r}: onbekende of geen rol")
            wachtwoord = entry.get("wachtwoord")
            organisatie = entry.get("organisatie")
            result[naam.lower()] = Account(
                User(naam, entry["rol"], organisatie if isinstance(organisatie, str) else None),
                wachtwoord if isinstance(wachtwoord, str) else None,
            )
        return result

    def get(self, naam: str) -> User | None:
        """The user with this name (any case), or ``None``."""
        account = self.accounts().get(naam.strip().lower())
        return account.user if account else None

    def users(self) -> list[User]:
        """Every user, sorted by name (no hashes)."""
        return sorted((a.user for a in self.accounts().values()), key=lambda u: u.naam.lower())

    def verify(self, naam: str, wachtwoord: str) -> User | None:
        """The user if ``wachtwoord`` is theirs; ``None`` for a wrong password, an unknown
        name or an account without a password (same cost in each case)."""
        account = self.accounts().get(naam.strip().lower())
        stored = account.wachtwoord if account else None
        try:
            _hasher.verify(stored or _DUMMY_HASH, wachtwoord)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if account is None or stored is None:
            return None
        if _hasher.check_needs_rehash(stored):
            with contextlib.suppress(WijkplanError, OSError):
                self._rehash(account, wachtwoord)
        return account.user

    # ---- writing

    def add(
        self,
        naam: str,
        rol: str,
        *,
        organisatie: str | None = None,
        wachtwoord: str | None,
        ledger: Ledger,
    ) -> User:
        """Add a user; ``wachtwoord`` ``None`` makes an identity-provider-only account.

        Refused (one Dutch line, nothing written): a malformed or existing name, an unknown
        role, an organisation that is not a party of the ledger of the right kind, a
        password shorter than :data:`MIN_PASSWORD`.
        """
        naam = naam.strip()
        if not NAME_RE.match(naam):
            raise WijkplanError(
                f"ongeldige gebruikersnaam {naam!r}: letters, cijfers en . _ @ + - "
                "(hoogstens 64 tekens, zonder spaties)"
            )
        if rol not in ROLES:
            raise WijkplanError(f"onbekende rol {rol!r} (kies uit {', '.join(ROLES)})")
        organisatie = check_organisation(rol, organisatie, ledger)
        if wachtwoord is not None and len(wachtwoord) < MIN_PASSWORD:
            raise WijkplanError(f"wachtwoord te kort: minstens {MIN_PASSWORD} tekens")
        user = User(naam, rol, organisatie)
        hashed = _hasher.hash(wachtwoord) if wachtwoord is not None else None
        with self._locked():
            accounts = self.accounts()
            if naam.lower() in accounts:
                raise WijkplanError(f"gebruiker {accounts[naam.lower()].user.naam!r} bestaat al")
            accounts[naam.lower()] = Account(user, hashed)
            self._write(accounts)
        return user

    def remove(self, naam: str) -> User:
        """Remove a user; an unknown name is one line. Without a users file nothing is
        created (no folder, no lock) before saying so."""
        self._check_not_other_kind()
        if not self.path.is_file():
            raise WijkplanError(f"onbekende gebruiker {naam!r}: {self.path} bestaat niet")
        with self._locked():
            accounts = self.accounts()
            account = accounts.pop(naam.strip().lower(), None)
            if account is None:
                raise WijkplanError(f"onbekende gebruiker {naam!r} in {self.path}")
            self._write(accounts)
        return account.user

    def _rehash(self, account: Account, wachtwoord: str) -> None:
        with self._locked():
            accounts = self.accounts()
            key = account.user.naam.lower()
            if key in accounts and accounts[key].wachtwoord == account.wachtwoord:
                accounts[key] = Account(account.user, _hasher.hash(wachtwoord))
                self._write(accounts)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold ``<file>.lock``; the target is checked first, so a folder given as the users
        file leaves no lock beside it. OS errors are one line."""
        self._check_not_other_kind()
        lock = self.path.with_name(self.path.name + ".lock")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise WijkplanError(
                f"{self.path}: gebruikersbestand niet te vergrendelen ({exc.strerror or exc})"
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _write(self, accounts: dict[str, Account]) -> None:
        """Write every account to a 0600 temporary file beside the target, then rename."""
        lines = [_HEADER]
        for account in sorted(accounts.values(), key=lambda a: a.user.naam.lower()):
            u = account.user
            lines.append(f"\n[gebruikers.{_toml(u.naam)}]\nrol = {_toml(u.rol)}\n")
            if u.organisatie:
                lines.append(f"organisatie = {_toml(u.organisatie)}\n")
            if account.wachtwoord:
                lines.append(f"wachtwoord = {_toml(account.wachtwoord)}\n")
        tmp = self.path.with_name(f"{temp_prefix('gebruikers')}{self.path.name}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write("".join(lines))
                    fh.flush()
                    os.fsync(fh.fileno())
                os.chmod(tmp, 0o600)  # in case a umask or ACL widened it
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    tmp.unlink()
                raise
            fsync_dir(self.path.parent)
        except OSError as exc:
            raise WijkplanError(
                f"{self.path}: gebruikersbestand niet te schrijven ({exc.strerror or exc})"
            ) from exc


def check_organisation(rol: str, organisatie: str | None, ledger: Ledger) -> str | None:
    """The organisation of a user of role ``rol``, checked against the ledger's parties.

    Corporations and tenant organisations must name a party of the right kind
    (:data:`~wijkplan.users.model.ORGANISATION_KIND`); coordinators and readers may name
    any party or none (their rights do not depend on it).
    """
    kind = ORGANISATION_KIND.get(rol)
    if organisatie is None:
        if kind is not None:
            choices = ", ".join(p.id for p in ledger.partijen if p.soort == kind)
            raise WijkplanError(f"rol {rol} vraagt --organisatie (kies uit {choices})")
        return None
    known = {p.id: p for p in ledger.partijen}
    if organisatie not in known:
        raise WijkplanError(
            f"onbekende organisatie {organisatie!r}: geen partij in het afsprakenregister "
            f"(kies uit {', '.join(known)})"
        )
    if kind is not None and known[organisatie].soort != kind:
        choices = ", ".join(p.id for p in ledger.partijen if p.soort == kind)
        raise WijkplanError(
            f"organisatie {organisatie!r} is geen {kind}; rol {rol} vraagt een van: {choices}"
        )
    return organisatie


def _toml(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's).

    >>> _toml('a"b')
    '"a\\\\"b"'
    """
    return json.dumps(value, ensure_ascii=False)
