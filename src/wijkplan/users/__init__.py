"""Users and roles: who may read the map and who may change which agreement (issue 11).

- :mod:`~wijkplan.users.model`: :class:`User` (naam, rol, organisatie) and the four roles;
- :mod:`~wijkplan.users.policy`: :func:`may`, the one rule book the app and the CLI share
  (through :mod:`wijkplan.afspraken.service`);
- :mod:`~wijkplan.users.accounts`: the local users file with argon2 hashes;
- :mod:`~wijkplan.users.commands`: ``wijkplan gebruikers add/remove/list/init``.

The Streamlit login (the local form, or ``st.login`` when ``secrets.toml`` configures an
identity provider) is in :mod:`wijkplan.ui.login`.
"""

from wijkplan.users.model import (
    COORDINATOR,
    CORPORATIE,
    HUURDERSORGANISATIE,
    LEZER,
    ROLES,
    User,
)

__all__ = ["COORDINATOR", "CORPORATIE", "HUURDERSORGANISATIE", "LEZER", "ROLES", "User"]
