"""Which agreements apply to an area, and why (the ``via`` column of a dossier).

An agreement applies to an area when it is linked to the area itself
("direct"), to an area that contains it (its wijk, a regie or warmte area, the
gemeente: "gemeentebreed"), or to an area inside it (a buurt of a wijk, a
complex in a buurt). Each agreement is listed once, with the most specific
reason. What contains what is :class:`wijkplan.areas.Areas`' business.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import pandas as pd

from wijkplan.afspraken.model import LIST_SEP, GebiedLink, Ledger
from wijkplan.areas import Area, Areas
from wijkplan.errors import ValidationError

if TYPE_CHECKING:
    from wijkplan.afspraken.store import StatusStore

#: Columns of :func:`applicable_afspraken` and :func:`afspraken_overview`.
COLUMNS = [
    "afspraak_id",
    "titel",
    "thema",
    "trekker",
    "partijen",
    "partij_ids",
    "status",
    "voortgang",
    "versie",
    "via",
]


def applicable_afspraken(
    ledger: Ledger, areas: Areas, code: str, *, store: StatusStore | None = None
) -> pd.DataFrame:
    """The agreements that apply to the area ``code``, one row each, in ledger order.

    With ``store``, status and voortgang are the current ones instead of the
    ledger's. ``via`` tells why an agreement applies: "direct", "wijk WK…",
    "buurt BU…", "complex …", "regiegebied <naam>", "warmtegebied <naam>" or
    "gemeentebreed".
    """
    area = areas.resolve(code)
    reach = _REACH[area.kind](areas, area)
    linked: dict[GebiedLink, list[str]] = {}
    for a in ledger.afspraken:
        for link in a.gebieden:
            linked.setdefault(link, []).append(a.id)
    via: dict[str, str] = {}
    for n, c, reason in reach:
        for aid in linked.get(GebiedLink(n, c), []):
            via.setdefault(aid, reason)
    overview = afspraken_overview(ledger, store=store)
    rows = overview[overview["afspraak_id"].isin(via)].copy()
    rows["via"] = rows["afspraak_id"].map(via)
    return rows.reset_index(drop=True)


def afspraken_overview(ledger: Ledger, *, store: StatusStore | None = None) -> pd.DataFrame:
    """All agreements with the columns of :func:`applicable_afspraken` (``via`` empty)."""
    states = store.current_all(ledger) if store is not None else {}
    rows = []
    for a in ledger.afspraken:
        state = states.get(a.id)
        rows.append(
            (
                a.id,
                a.titel,
                a.thema,
                ledger.partij_naam(a.trekker),
                LIST_SEP.join(ledger.partij_naam(p) for p in a.partijen),
                LIST_SEP.join(a.partijen),
                state.status if state else a.status,
                state.voortgang if state else a.voortgang,
                state.version if state else 0,
                "",
            )
        )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["voortgang"] = pd.array(frame["voortgang"].tolist(), dtype="Int64")
    frame["versie"] = frame["versie"].astype("int64")
    return frame


def filter_afspraken(
    frame: pd.DataFrame,
    ledger: Ledger,
    *,
    thema: str | None = None,
    partij: str | None = None,
    status: str | None = None,
) -> pd.DataFrame:
    """Rows of ``frame`` (with ``afspraak_id`` and ``status``) matching every filter given.

    ``partij`` matches a party id or name (case-insensitive) among the
    agreement's parties; ``status`` is matched against the frame's (current)
    status. An unknown theme, party or status is refused with the choices.
    """
    keep = pd.Series(True, index=frame.index)
    by_id = {a.id: a for a in ledger.afspraken}
    if thema is not None:
        wanted = _pick(thema, ledger.themas, "onbekend thema")
        keep &= frame["afspraak_id"].map(lambda i: by_id[i].thema == wanted)
    if partij is not None:
        names = {p.id: p.id for p in ledger.partijen} | {p.naam: p.id for p in ledger.partijen}
        pid = _pick(partij, tuple(names), "onbekende partij", resolve=names)
        keep &= frame["afspraak_id"].map(lambda i: pid in by_id[i].partijen)
    if status is not None:
        wanted = _pick(status, ledger.statussen, "onbekende status")
        keep &= frame["status"] == wanted
    return frame[keep.astype(bool)].reset_index(drop=True)


def _pick(
    value: str, choices: Iterable[str], what: str, *, resolve: dict[str, str] | None = None
) -> str:
    choices = tuple(choices)
    for choice in choices:
        if choice.casefold() == value.strip().casefold():
            return resolve[choice] if resolve else choice
    shown = sorted(set(resolve.values())) if resolve else list(choices)
    raise ValidationError([f"{what} {value!r} (kies uit: {', '.join(shown)})"])


# --------------------------------------------------------------------------- reach per kind

#: (niveau, code, via) in order of preference: the first reason found is shown.
_Reach = list[tuple[str, str, str]]


def _areas(found: Iterable[Area]) -> _Reach:
    return [(a.kind, a.code, f"{a.kind} {a.naam}") for a in found]


def _inside(areas: Areas, buurtcodes: Iterable[str]) -> _Reach:
    """The buurten themselves and the complexes in them."""
    codes = list(buurtcodes)
    out: _Reach = [("buurt", b, f"buurt {b}") for b in codes]
    out += [("complex", c, f"complex {c}") for b in codes for c in areas.complexen_in(b)]
    return out


def _gemeenten(areas: Areas, buurtcodes: Iterable[str]) -> _Reach:
    codes = dict.fromkeys(g for b in buurtcodes if (g := areas.gemeente_of(b)))
    return [("gemeente", g, "gemeentebreed") for g in codes]


def _reach_buurt(areas: Areas, area: Area) -> _Reach:
    wijk = areas.wijk_of(area.code)
    return [
        ("buurt", area.code, "direct"),
        *[("complex", c, f"complex {c}") for c in areas.complexen_in(area.code)],
        *_areas(areas.containing(area.code)),
        *([("wijk", wijk, f"wijk {wijk}")] if wijk else []),
        *_gemeenten(areas, [area.code]),
    ]


def _reach_wijk(areas: Areas, area: Area) -> _Reach:
    return [
        ("wijk", area.code, "direct"),
        *_areas(areas.overlapping(area.buurtcodes)),
        *_inside(areas, area.buurtcodes),
        *_gemeenten(areas, area.buurtcodes),
    ]


def _reach_gemeente(areas: Areas, area: Area) -> _Reach:
    wijken = dict.fromkeys(w for b in area.buurtcodes if (w := areas.wijk_of(b)))
    return [
        ("gemeente", area.code, "gemeentebreed"),
        *[("wijk", w, f"wijk {w}") for w in wijken],
        *_areas(areas.overlapping(area.buurtcodes)),
        *_inside(areas, area.buurtcodes),
    ]


def _reach_group(areas: Areas, area: Area) -> _Reach:
    """A regie or heat area: itself, the wijken that define it, what lies inside, the gemeente."""
    return [
        (area.kind, area.code, "direct"),
        *[("wijk", wk, f"wijk {wk}") for wk in area.wijkcodes],
        *_inside(areas, area.buurtcodes),
        *_gemeenten(areas, area.buurtcodes),
    ]


def _reach_complex(areas: Areas, area: Area) -> _Reach:
    (buurt,) = area.buurtcodes
    wijk = areas.wijk_of(buurt)
    return [
        ("complex", area.code, "direct"),
        ("buurt", buurt, f"buurt {buurt}"),
        *_areas(areas.containing(buurt)),
        *([("wijk", wijk, f"wijk {wijk}")] if wijk else []),
        *_gemeenten(areas, [buurt]),
    ]


_REACH: dict[str, Callable[[Areas, Area], _Reach]] = {
    "buurt": _reach_buurt,
    "wijk": _reach_wijk,
    "gemeente": _reach_gemeente,
    "regiegebied": _reach_group,
    "warmtegebied": _reach_group,
    "complex": _reach_complex,
}
