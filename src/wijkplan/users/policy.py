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

The organisation of a corporatie or huurdersorganisatie user is checked against the ledger
*in use* at every decision, not only when the account was added: it must be a party of the
kind the role asks (:data:`~wijkplan.users.model.ORGANISATION_KIND`). An account added
against another ledger, or written by hand, with ``organisatie = "gemeente"`` is refused
rather than becoming a coordinator in disguise.

The answer is a :class:`Decision`: truthy when allowed, else it carries one Dutch line
saying why not, which the app and the CLI show as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from wijkplan.afspraken.model import Afspraak, Ledger
from wijkplan.errors import NotAllowedError
from wijkplan.users.model import (
    COORDINATOR,
    CORPORATIE,
    HUURDERSORGANISATIE,
    LEZER,
    ORGANISATION_KIND,
    User,
)

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


def may(user: User | None, action: str, afspraak: Afspraak, ledger: Ledger) -> Decision:
    """May ``user`` do ``action`` (:data:`WIJZIGEN`, :data:`OPMERKING`, :data:`LEZEN`) with
    ``afspraak`` of ``ledger`` (the ledger in use, whose parties the user's organisation is
    checked against)? ``None`` is nobody logged in: nothing is allowed.

    >>> import datetime as dt
    >>> from wijkplan.afspraken.model import Afspraak, LedgerMeta, Partij
    >>> a = Afspraak("PA-1", 2021, "2021", "leefbaarheid", "t", "t", ("gemeente", "habeko"),
    ...              "gemeente", "i", "lopend", ())
    >>> parties = (Partij("gemeente", "G", "gemeente"), Partij("habeko", "H", "woningcorporatie"),
    ...            Partij("woonforte", "W", "woningcorporatie"))
    >>> ledger = Ledger(LedgerMeta("t", dt.date(2020, 12, 9), "2017-2021", 2021, "b"), ("x",),
    ...                 ("lopend",), parties, (), (), (a,))
    >>> bool(may(User("h", "corporatie", "habeko"), "wijzigen", a, ledger))
    True
    >>> may(User("w", "corporatie", "woonforte"), "wijzigen", a, ledger).reden
    'woonforte is geen partij bij afspraak PA-1; u kunt alleen afspraken van woonforte wijzigen'
    >>> may(User("g", "corporatie", "gemeente"), "wijzigen", a, ledger).reden
    "organisatie 'gemeente' van g is in het afsprakenregister geen woningcorporatie; rol corporatie vraagt een woningcorporatie"
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if user is None:
        return Decision(False, "log eerst in: zonder sessie kan niets worden gewijzigd")
    if action == LEZEN or user.rol == COORDINATOR:
        return _YES
    kind = ORGANISATION_KIND.get(user.rol)
    if kind is not None and not _is_party_of_kind(user.organisatie, kind, ledger):
        return Decision(
            False,
            f"organisatie {user.organisatie!r} van {user.naam} is in het afsprakenregister "
            f"geen {kind}; rol {user.rol} vraagt een {kind}",
        )
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


def _is_party_of_kind(organisatie: str | None, kind: str, ledger: Ledger) -> bool:
    return any(p.id == organisatie and p.soort == kind for p in ledger.partijen)


def require(user: User | None, action: str, afspraak: Afspraak, ledger: Ledger) -> None:
    """Raise :class:`~wijkplan.errors.NotAllowedError` (one line, exit 2) unless allowed."""
    decision = may(user, action, afspraak, ledger)
    if not decision:
        raise NotAllowedError(f"niet toegestaan: {decision.reden}")
