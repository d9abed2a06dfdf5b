"""Which agreements apply to an area, and why (the ``via`` column of a dossier).

An agreement applies to an area when it is linked to the area itself
("direct"), to an area that contains it (its wijk, a regie or warmte area, the
gemeente: "gemeentebreed"), or to an area inside it (a buurt of a wijk, a
complex in a buurt). Each agreement is listed once, with the most specific
reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from wijkplan.afspraken.ledger import LIST_SEP
from wijkplan.afspraken.model import NIVEAUS, GebiedLink, Ledger, Regiegebied, Warmtegebied
from wijkplan.errors import ValidationError
from wijkplan.settings import BUURTCODE_RE, GEMEENTECODE_RE, WIJKCODE_RE

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

#: (niveau, code, via) in order of preference: the first reason found is shown.
_Reach = list[tuple[str, str, str]]


def infer_niveau(ledger: Ledger, code: str, *, complexen: pd.DataFrame | None = None) -> str:
    """The level of an area code: by its form (BU/WK/GM), else a regie/warmte/complex id.

    >>> from wijkplan.afspraken.model import LedgerMeta
    >>> import datetime as dt
    >>> empty = Ledger(LedgerMeta("t", dt.date(2020, 12, 9), "2017-2021", 2021, "b"),
    ...                (), (), (), (), (), ())
    >>> infer_niveau(empty, "BU04840306"), infer_niveau(empty, "WK048403")
    ('buurt', 'wijk')
    """
    if BUURTCODE_RE.match(code):
        return "buurt"
    if WIJKCODE_RE.match(code):
        return "wijk"
    if GEMEENTECODE_RE.match(code):
        return "gemeente"
    if ledger.regiegebied(code) is not None:
        return "regiegebied"
    if ledger.warmtegebied(code) is not None:
        return "warmtegebied"
    if complexen is not None and code in set(complexen["complex_id"].astype(str)):
        return "complex"
    raise ValidationError(
        [
            f"onbekende gebiedscode {code!r}: geen buurt-, wijk- of gemeentecode, regiegebied, "
            "warmtegebied of complex"
        ]
    )


def applicable_afspraken(
    ledger: Ledger,
    *,
    niveau: str,
    code: str,
    buurten: pd.DataFrame,
    complexen: pd.DataFrame | None = None,
    store: StatusStore | None = None,
) -> pd.DataFrame:
    """The agreements that apply to one area, one row each, in ledger order.

    ``buurten`` needs ``buurtcode``, ``wijkcode`` and ``gemeentecode`` (the
    built ``buurten`` layer or the loaded boundaries); ``complexen`` needs
    ``complex_id`` and ``buurtcode``. With ``store``, status and voortgang are
    the current ones instead of the ledger's. ``via`` tells why an agreement
    applies: "direct", "wijk WK…", "buurt BU…", "complex …",
    "regiegebied <naam>", "warmtegebied <naam>" or "gemeentebreed".
    """
    if niveau not in NIVEAUS:
        raise ValidationError([f"onbekend niveau {niveau!r} (kies uit {', '.join(NIVEAUS)})"])
    geo = _Geo(buurten, complexen)
    reach = _REACH[niveau](ledger, geo, code)
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


# --------------------------------------------------------------------------- reach per level


class _Geo:
    """Lookups on the buurten (and complexen) frames."""

    def __init__(self, buurten: pd.DataFrame, complexen: pd.DataFrame | None) -> None:
        missing = [c for c in ("buurtcode", "wijkcode", "gemeentecode") if c not in buurten]
        if missing:
            raise ValidationError([f"buurten: verplichte kolom ontbreekt: {c!r}" for c in missing])
        frame = buurten[["buurtcode", "wijkcode", "gemeentecode"]].astype(str)
        self.wijk_of = dict(zip(frame["buurtcode"], frame["wijkcode"], strict=True))
        self.gemeente_of = dict(zip(frame["buurtcode"], frame["gemeentecode"], strict=True))
        self.complexen = complexen
        self.complex_buurt: dict[str, str] = {}
        self.complexen_in: dict[str, list[str]] = {}
        if complexen is not None:
            for cid, bu in zip(
                complexen["complex_id"].astype(str), complexen["buurtcode"], strict=True
            ):
                if pd.notna(bu):
                    self.complex_buurt[cid] = str(bu)
                    self.complexen_in.setdefault(str(bu), []).append(cid)

    def buurten_in_wijk(self, wijkcode: str) -> list[str]:
        return [b for b, w in self.wijk_of.items() if w == wijkcode]

    def buurten_in_gemeente(self, gemeentecode: str) -> list[str]:
        return [b for b, g in self.gemeente_of.items() if g == gemeentecode]

    def require_buurt(self, code: str) -> None:
        if code not in self.wijk_of:
            raise ValidationError([f"onbekende buurtcode {code!r} (komt niet voor in de buurten)"])


def _regie_buurten(r: Regiegebied) -> list[str]:
    return list(r.buurtcodes)


def _warmte_buurten(w: Warmtegebied, geo: _Geo) -> list[str]:
    if w.buurtcodes:
        return list(w.buurtcodes)
    return [b for wk in w.wijkcodes for b in geo.buurten_in_wijk(wk)]


def area_buurten(ledger: Ledger, code: str, buurten: pd.DataFrame) -> list[str] | None:
    """The buurtcodes that make up regiegebied or warmtegebied ``code`` (None: no such area).

    A warmtegebied is its listed buurten; one defined only by wijk(en) covers all their buurten.
    This is the one definition that linking, dossiers and the map share.
    """
    if (r := ledger.regiegebied(code)) is not None:
        return _regie_buurten(r)
    if (w := ledger.warmtegebied(code)) is not None:
        return _warmte_buurten(w, _Geo(buurten, None))
    return None


def _areas_containing(ledger: Ledger, geo: _Geo, buurtcode: str) -> _Reach:
    """The regie and warmte areas that contain one buurt."""
    out: _Reach = []
    for r in ledger.regiegebieden:
        if buurtcode in r.buurtcodes:
            out.append(("regiegebied", r.regie_id, f"regiegebied {r.naam}"))
    for w in ledger.warmtegebieden:
        if buurtcode in _warmte_buurten(w, geo):
            out.append(("warmtegebied", w.gebied_id, f"warmtegebied {w.naam}"))
    return out


def _areas_overlapping(ledger: Ledger, geo: _Geo, buurtcodes: Iterable[str]) -> _Reach:
    """The regie and warmte areas that share at least one buurt with ``buurtcodes``."""
    inside = set(buurtcodes)
    out: _Reach = []
    for r in ledger.regiegebieden:
        if inside & set(r.buurtcodes):
            out.append(("regiegebied", r.regie_id, f"regiegebied {r.naam}"))
    for w in ledger.warmtegebieden:
        if inside & set(_warmte_buurten(w, geo)):
            out.append(("warmtegebied", w.gebied_id, f"warmtegebied {w.naam}"))
    return out


def _inside(geo: _Geo, buurtcodes: Iterable[str]) -> _Reach:
    """The buurten themselves and the complexes in them."""
    codes = list(buurtcodes)
    out: _Reach = [("buurt", b, f"buurt {b}") for b in codes]
    out += [("complex", c, f"complex {c}") for b in codes for c in geo.complexen_in.get(b, [])]
    return out


def _gemeenten(geo: _Geo, buurtcodes: Iterable[str]) -> _Reach:
    codes = dict.fromkeys(geo.gemeente_of[b] for b in buurtcodes if b in geo.gemeente_of)
    return [("gemeente", g, "gemeentebreed") for g in codes]


def _reach_buurt(ledger: Ledger, geo: _Geo, code: str) -> _Reach:
    geo.require_buurt(code)
    wijk = geo.wijk_of[code]
    return [
        ("buurt", code, "direct"),
        *[("complex", c, f"complex {c}") for c in geo.complexen_in.get(code, [])],
        *_areas_containing(ledger, geo, code),
        ("wijk", wijk, f"wijk {wijk}"),
        *_gemeenten(geo, [code]),
    ]


def _reach_wijk(ledger: Ledger, geo: _Geo, code: str) -> _Reach:
    buurten = geo.buurten_in_wijk(code)
    if not buurten:
        raise ValidationError([f"onbekende wijkcode {code!r} (geen buurten met deze wijkcode)"])
    return [
        ("wijk", code, "direct"),
        *_areas_overlapping(ledger, geo, buurten),
        *_inside(geo, buurten),
        *_gemeenten(geo, buurten),
    ]


def _reach_gemeente(ledger: Ledger, geo: _Geo, code: str) -> _Reach:
    buurten = geo.buurten_in_gemeente(code)
    if not buurten:
        raise ValidationError([f"onbekende gemeentecode {code!r} (geen buurten met deze code)"])
    wijken = dict.fromkeys(geo.wijk_of[b] for b in buurten)
    return [
        ("gemeente", code, "gemeentebreed"),
        *[("wijk", w, f"wijk {w}") for w in wijken],
        *_areas_overlapping(ledger, geo, buurten),
        *_inside(geo, buurten),
    ]


def _reach_regiegebied(ledger: Ledger, geo: _Geo, code: str) -> _Reach:
    r = ledger.regiegebied(code)
    if r is None:
        raise ValidationError([f"onbekend regiegebied {code!r}"])
    buurten = _regie_buurten(r)
    return [("regiegebied", code, "direct"), *_inside(geo, buurten), *_gemeenten(geo, buurten)]


def _reach_warmtegebied(ledger: Ledger, geo: _Geo, code: str) -> _Reach:
    w = ledger.warmtegebied(code)
    if w is None:
        raise ValidationError([f"onbekend warmtegebied {code!r}"])
    buurten = _warmte_buurten(w, geo)
    wijken: _Reach = [("wijk", wk, f"wijk {wk}") for wk in w.wijkcodes] if w.op_wijkniveau else []
    return [
        ("warmtegebied", code, "direct"),
        *wijken,
        *_inside(geo, buurten),
        *_gemeenten(geo, buurten),
    ]


def _reach_complex(ledger: Ledger, geo: _Geo, code: str) -> _Reach:
    if geo.complexen is None:
        raise ValidationError([f"complex {code!r}: geen complexen geladen"])
    buurt = geo.complex_buurt.get(code)
    if buurt is None:
        raise ValidationError([f"onbekend complex {code!r} (of het ligt in geen enkele buurt)"])
    wijk = geo.wijk_of.get(buurt)
    return [
        ("complex", code, "direct"),
        ("buurt", buurt, f"buurt {buurt}"),
        *_areas_containing(ledger, geo, buurt),
        *([("wijk", wijk, f"wijk {wijk}")] if wijk else []),
        *_gemeenten(geo, [buurt]),
    ]


_REACH = {
    "buurt": _reach_buurt,
    "wijk": _reach_wijk,
    "gemeente": _reach_gemeente,
    "regiegebied": _reach_regiegebied,
    "warmtegebied": _reach_warmtegebied,
    "complex": _reach_complex,
}
