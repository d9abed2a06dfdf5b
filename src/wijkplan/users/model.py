"""Who is working: a user with a role, and the roles wijkplan knows.

A :class:`User` is what the policy (:mod:`~wijkplan.users.policy`) decides on and what the
history of the agreements records (its ``naam``). The role names are a contract: they are
typed on the command line (``wijkplan gebruikers add NAAM --rol corporatie``) and stored in
the users file, so they are Dutch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The gemeente's coordinators: may change every agreement.
COORDINATOR = "coordinator"
#: A corporation's staff: may change only agreements their corporation is party to.
CORPORATIE = "corporatie"
#: A tenant organisation: may add comments, never change status or progress.
HUURDERSORGANISATIE = "huurdersorganisatie"
#: Read only.
LEZER = "lezer"

#: Every role, most rights first.
ROLES: tuple[str, ...] = (COORDINATOR, CORPORATIE, HUURDERSORGANISATIE, LEZER)

#: The role a party must have in the ledger (``soort``) to be a user's organisation.
#: A corporation account bound to the party ``gemeente`` would be a coordinator in disguise
#: (the gemeente is party to nearly every agreement), so the kind is checked, not only the id.
ORGANISATION_KIND: dict[str, str] = {
    CORPORATIE: "woningcorporatie",
    HUURDERSORGANISATIE: "huurderorganisatie",
}

#: Login names: letters, digits and ``. _ @ + -`` (an e-mail address fits, for OIDC),
#: at most 64 characters. Spaces and quotes are refused so a name is one word in a log line.
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$")


@dataclass(frozen=True)
class User:
    """An authenticated user: login name, role and (for corporations and tenants) the
    ledger's party id of their organisation.

    >>> User("j.devries", "corporatie", "woonforte").label
    'j.devries (corporatie, woonforte)'
    """

    naam: str
    rol: str
    organisatie: str | None = None

    @property
    def label(self) -> str:
        """How the sidebar and ``gebruikers list`` show the user."""
        extra = f", {self.organisatie}" if self.organisatie else ""
        return f"{self.naam} ({self.rol}{extra})"
