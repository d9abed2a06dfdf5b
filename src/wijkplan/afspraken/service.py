"""Changing an agreement on behalf of a user: the one door the app and the CLI go through.

:func:`change` asks the policy (:func:`wijkplan.users.policy.may`) and then writes to the
status store, recording the user's name as ``door``. Neither the Afspraken page nor
``wijkplan afspraken update`` call :meth:`StatusStore.update` or
:meth:`StatusStore.add_comment` themselves (a test checks that), so no path of the app or
the CLI can change an agreement without a user whose role allows it.

Why a thin service in front of the store rather than a check inside it: the store is also
used by backup/restore, the tests and the load and kill checks, which record plain names;
the policy depends only on the user and the ledger (the agreement's parties, and the kind
of the user's organisation in the ledger in use), not on
anything stored, so checking it just before the store's own transaction loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from wijkplan.afspraken.model import Ledger
from wijkplan.afspraken.store import StatusState, StatusStore
from wijkplan.users.model import User
from wijkplan.users.policy import OPMERKING, WIJZIGEN, require


@dataclass(frozen=True)
class Outcome:
    """What :func:`change` stored: the agreement's state after it, and whether it was only
    a comment (then the state is unchanged)."""

    state: StatusState
    comment_only: bool


def change(
    store: StatusStore,
    ledger: Ledger,
    user: User | None,
    afspraak_id: str,
    *,
    status: str | None = None,
    voortgang: int | None = None,
    opmerking: str | None = None,
    expected_version: int | None,
) -> Outcome:
    """Change status and/or progress of an agreement as ``user``, or, with only
    ``opmerking``, add a comment.

    Raises :class:`~wijkplan.errors.NotAllowedError` (one Dutch line, nothing stored) when
    nobody is logged in (``user`` is ``None``) or the role does not allow it; otherwise
    what the store raises (a validation problem, a conflict).
    """
    afspraak = ledger.afspraak(afspraak_id)
    opmerking = (opmerking or "").strip() or None
    if status is None and voortgang is None and opmerking is not None:
        require(user, OPMERKING, afspraak, ledger)
        assert user is not None
        state = store.add_comment(afspraak_id, door=user.naam, opmerking=opmerking, ledger=ledger)
        return Outcome(state, comment_only=True)
    require(user, WIJZIGEN, afspraak, ledger)
    assert user is not None
    state = store.update(
        afspraak_id,
        status=status,
        voortgang=voortgang,
        door=user.naam,
        opmerking=opmerking,
        expected_version=expected_version,
        ledger=ledger,
    )
    return Outcome(state, comment_only=False)
