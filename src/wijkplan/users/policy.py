"""Who may do what with an agreement: one function, :func:`may`, that the app and the CLI
both reach through :mod:`wijkplan.afspraken.service`.

The rules (issue 11):

- every logged-in user may read (the app asks for a login before it shows anything);
- a **coordinator** (the gemeente) may change and comment on every agreement;
- **corporatie** staff may change and comment on an agreement only when their corporation
  (the user's ``organisatie``, a party id of the ledger) is one of its ``partijen``;
- a **huurdersorganisatie** may add comments (a history entry without a change of status
  or progress) to every agreement, never change one. Comments are not limited to the
  agreements the tenant organisation signed: a comment changes nothing, and tenants live
  in the areas of agreements they are not party to (the Edelstenenbuurt regie agreement);
- a **lezer** only reads.

The answer is a :class:`Decision`: truthy when allowed, else it carries one Dutch line
saying why not, which the app and the CLI show as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from wijkplan.afspraken.model import Afspraak
from wijkplan.errors import NotAllowedError
from wijkplan.users.model import COORDINATOR, CORPORATIE, HUURDERSORGANISATIE, LEZER, User

#: Change status and/or progress.
WIJZIGEN = "wijzigen"
#: Add a comment to the history, without changing status or progress.
OPMERKING = "opmerking"
#: Read the map, pages and history.
LEZEN = "lezen"
ACTIONS: tuple[str, ...] = (WIJZIGEN, OPMERKING, LEZEN)


@dataclass(frozen=True)
class Decision:
    """Allowed or not; ``reden`` is one Dutch line when not.

    >>> bool(Decision(True)), bool(Decision(False, "nee"))
    (True, False)
    """

    allowed: bool
    reden: str | None = None

    def __bool__(self) -> bool:
        return self.allowed


_YES = Decision(True)


def may(user: User | None, action: str, afspraak: Afspraak) -> Decision:
    """May ``user`` do ``action`` (:data:`WIJZIGEN`, :data:`OPMERKING`, :data:`LEZEN`) with
    ``afspraak``? ``None`` is nobody logged in: nothing is allowed.

    >>> from wijkplan.afspraken.model import Afspraak
    >>> a = Afspraak("PA-1", 2021, "2021", "leefbaarheid", "t", "t", ("gemeente", "habeko"),
    ...              "gemeente", "i", "lopend", ())
    >>> bool(may(User("h", "corporatie", "habeko"), "wijzigen", a))
    True
    >>> may(User("w", "corporatie", "woonforte"), "wijzigen", a).reden
    'woonforte is geen partij bij afspraak PA-1; u kunt alleen afspraken van woonforte wijzigen'
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if user is None:
        return Decision(False, "log eerst in: zonder sessie kan niets worden gewijzigd")
    if action == LEZEN or user.rol == COORDINATOR:
        return _YES
    if user.rol == CORPORATIE:
        if user.organisatie is not None and user.organisatie in afspraak.partijen:
            return _YES
        doing = "wijzigen" if action == WIJZIGEN else "van een opmerking voorzien"
        return Decision(
            False,
            f"{user.organisatie} is geen partij bij afspraak {afspraak.id}; u kunt alleen "
            f"afspraken van {user.organisatie} {doing}",
        )
    if user.rol == HUURDERSORGANISATIE:
        if action == OPMERKING:
            return _YES
        return Decision(
            False,
            "een huurdersorganisatie kan een opmerking plaatsen, maar geen status of "
            "voortgang wijzigen",
        )
    if user.rol == LEZER:
        return Decision(False, f"{user.naam} heeft alleen leesrechten")
    return Decision(False, f"onbekende rol {user.rol!r}")


def require(user: User | None, action: str, afspraak: Afspraak) -> None:
    """Raise :class:`~wijkplan.errors.NotAllowedError` (one line, exit 2) unless allowed."""
    decision = may(user, action, afspraak)
    if not decision:
        raise NotAllowedError(f"niet toegestaan: {decision.reden}")
