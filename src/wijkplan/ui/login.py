"""Login for the app: the identity provider (``st.login``) when configured, else the local
users file; the logged-in user and the logout button in the sidebar.

- **Identity provider (OIDC)**: when ``.streamlit/secrets.toml`` has an ``[auth]`` section
  with a provider (``client_id`` in ``[auth]`` itself, or named ``[auth.<naam>]`` tables),
  the app offers ``st.login`` (Streamlit >= 1.42, needs Authlib: ``pip install -e '.[oidc]'``).
  The provider says who the user is (their e-mail address, used only when the provider
  says ``email_verified``); the users file says what they may do (``wijkplan gebruikers add
  e-mail --rol … --zonder-wachtwoord``). Somebody the provider knows but the users file does
  not, or whose e-mail address is not verified, is a ``lezer``: "reading the map: every
  logged-in user", changing only what a coordinator granted.
- **Local users file** (one machine, no provider): a form in the sidebar, checked against
  the argon2 hashes of :class:`~wijkplan.users.accounts.UsersFile`. Only the login *name* is
  kept in ``st.session_state``; the user is looked up in the file again on every run, so a
  removed user or a changed role takes effect at the next click, without a restart. A page
  reload starts a new Streamlit session and asks for the login again. Five failed attempts
  for one name within five minutes block that name for a minute (for every session of this
  server), which slows guessing without locking anybody out for long.

:func:`require_login` is called by ``app.py`` before any page runs: without a user nothing
is shown but the login.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import streamlit as st

from wijkplan.errors import WijkplanError
from wijkplan.text_safety import markdown_text as md
from wijkplan.users.accounts import UsersFile
from wijkplan.users.model import LEZER, User

#: The session key holding the login name of the local login.
SESSION_KEY = "gebruiker"
#: Failed attempts per name before the name is blocked, the window, and the block (seconds).
MAX_FAILURES, FAILURE_WINDOW_S, BLOCK_S = 5, 300, 60

NO_USERS_READ_ONLY = (
    "Alleen lezen: er zijn nog geen gebruikers. Maak ze aan op de server met "
    "`wijkplan gebruikers init`; daarna vraagt elke pagina om in te loggen."
)
NO_USERS = (
    "Er zijn nog geen gebruikers. Maak de eerste aan op de server met "
    "`wijkplan gebruikers init` (of `wijkplan gebruikers add NAAM --rol coordinator`)."
)


def oidc_providers(secrets: Mapping[str, Any]) -> list[str | None]:
    """The providers configured in ``secrets`` (``None``: the unnamed one in ``[auth]``).

    >>> oidc_providers({"auth": {"redirect_uri": "x", "client_id": "c"}})
    [None]
    >>> oidc_providers({"auth": {"redirect_uri": "x", "microsoft": {"client_id": "c"}}})
    ['microsoft']
    >>> oidc_providers({})
    []
    """
    auth = secrets.get("auth")
    if not isinstance(auth, Mapping):
        return []
    named: list[str | None] = [
        name for name, value in auth.items() if isinstance(value, Mapping) and "client_id" in value
    ]
    return [None, *named] if "client_id" in auth else named


def _secrets() -> Mapping[str, Any]:
    try:
        return {"auth": st.secrets["auth"]} if "auth" in st.secrets else {}
    except FileNotFoundError:  # no secrets.toml at all (StreamlitSecretNotFoundError)
        return {}


def oidc_user(identity: Mapping[str, Any], users: UsersFile) -> User | None:
    """The user for an identity from the provider.

    An identity maps to an account of the users file only through an e-mail address the
    provider says it verified (``email_verified`` true): an unverified ``email`` can be any
    address somebody typed at the provider, and ``preferred_username`` or ``sub`` are the
    provider's own names, not the users file's. (The users file records no ``sub``, so no
    account is matched on it.) Anything else is a reader, shown under the e-mail address,
    the username or the ``sub`` the provider gave; ``None`` when it gave none of them.

    >>> import tempfile, pathlib
    >>> none = UsersFile(pathlib.Path(tempfile.mkdtemp()) / "g.toml")
    >>> oidc_user({"email": "a@alphen.nl", "email_verified": True}, none)
    User(naam='a@alphen.nl', rol='lezer', organisatie=None)
    """
    email = identity.get("email")
    if isinstance(email, str) and email and _verified(identity.get("email_verified")):
        return users.get(email) or User(email, LEZER)
    for key in ("email", "preferred_username", "sub"):
        naam = identity.get(key)
        if isinstance(naam, str) and naam:
            return User(naam, LEZER)
    return None


def _verified(value: object) -> bool:
    """``email_verified`` as a boolean; some providers send the string ``"true"``."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


#: Everyone, while there are no users at all (no users file, no identity provider): the
#: app of one machine before ``wijkplan gebruikers init``, or a demo. A reader: nothing
#: can be changed until accounts exist; from then on every page asks for a login.
GUEST = User("gast", LEZER)


def current_user() -> User | None:
    """The logged-in user of this session, :data:`GUEST` while no users are set up, or
    ``None`` (renders nothing). A users file that cannot be read (damaged, a folder) is one
    Dutch error line on the page, and the run stops: no stack trace, nothing else shown."""
    try:
        return _current_user()
    except WijkplanError as exc:
        st.error(f"Inloggen is niet mogelijk: {md(' '.join(str(exc).split()))}")
        st.stop()
        raise AssertionError("unreachable: st.stop() raises") from exc


def _current_user() -> User | None:
    if _secrets() and oidc_providers(_secrets()):
        if not st.user.get("is_logged_in"):  # absent (not False) when no login was tried
            return None
        return oidc_user(st.user.to_dict(), UsersFile())
    users = UsersFile()
    accounts = users.accounts()  # read (and checked) on every run, also before a login
    if not users.exists():
        return GUEST
    naam = st.session_state.get(SESSION_KEY)
    if not naam:
        return None
    account = accounts.get(str(naam).strip().lower())
    if account is None:  # removed from the users file since the login
        st.session_state.pop(SESSION_KEY, None)
        return None
    return account.user


@st.cache_resource
def _failures() -> dict[str, list[float]]:
    """Recent failed login times per name, shared by every session of this server."""
    return {}


def _blocked(naam: str) -> bool:
    now = time.monotonic()
    recent = [t for t in _failures().get(naam, []) if now - t < FAILURE_WINDOW_S]
    _failures()[naam] = recent
    return len(recent) >= MAX_FAILURES and now - recent[-1] < BLOCK_S


def _login_form() -> None:
    users = UsersFile()
    with st.sidebar.form("login"):
        st.markdown("**Inloggen**")
        naam = st.text_input("Gebruikersnaam", key="login-naam")
        wachtwoord = st.text_input("Wachtwoord", type="password", key="login-wachtwoord")
        submitted = st.form_submit_button("Inloggen")
    if not users.exists():
        st.warning(NO_USERS)
    if not submitted:
        return
    key = naam.strip().lower()
    if _blocked(key):
        st.sidebar.error("Te veel mislukte pogingen; probeer het over een minuut opnieuw.")
        return
    try:
        user = users.verify(naam, wachtwoord)
    except WijkplanError as exc:  # damaged since this run read it
        st.sidebar.error(f"Inloggen is niet mogelijk: {md(' '.join(str(exc).split()))}")
        return
    if user is None:
        _failures().setdefault(key, []).append(time.monotonic())
        st.sidebar.error("Onbekende gebruikersnaam of verkeerd wachtwoord.")
        return
    _failures().pop(key, None)
    st.session_state[SESSION_KEY] = user.naam
    st.rerun()


def require_login() -> User:
    """The logged-in user; otherwise draw the login and stop the run (nothing else shows)."""
    user = current_user()
    if user is GUEST:
        st.sidebar.warning(NO_USERS_READ_ONLY)
        return user
    if user is not None:
        with st.sidebar:
            st.caption(f"Ingelogd als **{md(user.naam)}** · {md(_role_text(user))}")
            if st.button("Uitloggen", key="uitloggen"):
                logout()
        return user
    st.title("Wijkplan")
    st.info("Log in om de kaart, de afspraken en de cijfers te bekijken.")
    providers = oidc_providers(_secrets())
    if providers:
        for provider in providers:
            label = f"Inloggen via {provider}" if provider else "Inloggen"
            if st.button(label, key=f"oidc-{provider or 'standaard'}"):
                st.login(provider)
    else:
        _login_form()
    st.stop()
    raise AssertionError("unreachable: st.stop() raises")


def logout() -> None:
    """End the session's login (the provider's cookie too) and redraw the login."""
    st.session_state.pop(SESSION_KEY, None)
    if oidc_providers(_secrets()):
        st.logout()
    st.rerun()


def _role_text(user: User) -> str:
    text = {
        "coordinator": "coördinator: alle afspraken wijzigen",
        "corporatie": f"corporatie ({user.organisatie}): eigen afspraken wijzigen",
        "huurdersorganisatie": f"huurdersorganisatie ({user.organisatie}): opmerkingen plaatsen",
        "lezer": "alleen lezen",
    }
    return text.get(user.rol, user.rol)
