"""One notion of an area: any code resolves to its kind, name and buurten.

An area is a gemeente (``GM0484``), wijk (``WK048403``), buurt (``BU04840306``),
regiegebied or warmtegebied (their ids in the agreement ledger) or a complex
(its ``complex_id``). :class:`Areas` is built once from the boundaries, the
complexes and the ledger's area definitions; the ledger validator, the linking
of agreements, the dossier, the map and the CLI all ask it, so they agree on
what a code means and which buurten make it up.

A warmtegebied whose buurten are not published is defined by its wijk(en): it
then covers every buurt of those wijken.

>>> import pandas as pd
>>> b = pd.DataFrame({"buurtcode": ["BU99990101", "BU99990102"], "buurtnaam": ["A", "B"],
...                   "wijkcode": ["WK999901"] * 2, "gemeentecode": ["GM9999"] * 2})
>>> areas = Areas(b)
>>> areas.resolve("wk999901").kind, areas.buurten_of("GM9999")
('wijk', ('BU99990101', 'BU99990102'))
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from wijkplan.afspraken.model import Ledger, Regiegebied
from wijkplan.errors import ValidationError
from wijkplan.settings import BUURTCODE_RE, GEMEENTECODE_RE, WIJKCODE_RE

_BY_FORM = (("buurt", BUURTCODE_RE), ("wijk", WIJKCODE_RE), ("gemeente", GEMEENTECODE_RE))


class District(Protocol):
    """A heat area as the ledger or the built ``warmtegebieden`` layer defines it."""

    @property
    def gebied_id(self) -> str: ...
    @property
    def naam(self) -> str: ...
    @property
    def buurtcodes(self) -> tuple[str, ...]: ...
    @property
    def wijkcodes(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class DistrictRef:
    """A heat area read back from the built ``warmtegebieden`` layer."""

    gebied_id: str
    naam: str
    buurtcodes: tuple[str, ...]
    wijkcodes: tuple[str, ...]


@dataclass(frozen=True)
class Area:
    """One area: its kind, code, name and the buurten that make it up."""

    kind: str
    code: str
    naam: str
    buurtcodes: tuple[str, ...]
    #: the wijken that define a warmtegebied whose buurten are not published
    wijkcodes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How the area is named in lists ("Regiegebied Edelstenenbuurt", "Wijk Oudshoorn")."""
        if self.kind == "buurt":
            return f"{self.naam} ({self.code})"
        if self.kind in ("wijk", "gemeente"):
            return f"{self.kind.capitalize()} {self.naam} ({self.code})"
        return f"{self.kind.capitalize()} {self.naam}"


class Areas:
    """Every area a build knows, and how they contain each other.

    ``buurten`` needs ``buurtcode``, ``wijkcode`` and ``gemeentecode`` (and uses
    ``buurtnaam`` and ``gemeentenaam`` when present); ``wijken`` gives wijk names;
    ``complexen`` needs ``complex_id`` and ``buurtcode`` (``naam`` when present).
    Regie and heat areas come from the ledger.
    """

    def __init__(
        self,
        buurten: pd.DataFrame,
        wijken: pd.DataFrame | None = None,
        complexen: pd.DataFrame | None = None,
        *,
        regiegebieden: Sequence[Regiegebied] = (),
        warmtegebieden: Sequence[District] = (),
    ) -> None:
        missing = [c for c in ("buurtcode", "wijkcode", "gemeentecode") if c not in buurten]
        if missing:
            raise ValidationError([f"buurten: verplichte kolom ontbreekt: {c!r}" for c in missing])
        frame = buurten.astype({"buurtcode": str, "wijkcode": str, "gemeentecode": str})
        self._areas: dict[str, Area] = {}
        self._wijk_of = dict(zip(frame["buurtcode"], frame["wijkcode"], strict=True))
        self._gemeente_of = dict(zip(frame["buurtcode"], frame["gemeentecode"], strict=True))
        names = frame["buurtnaam"] if "buurtnaam" in frame else frame["buurtcode"]
        for code, naam in zip(frame["buurtcode"], names, strict=True):
            self._add(Area("buurt", code, str(naam), (code,)))
        wijknamen = (
            dict(zip(wijken["wijkcode"].astype(str), wijken["wijknaam"], strict=True))
            if wijken is not None and "wijknaam" in wijken
            else {}
        )
        for wk, group in frame.groupby("wijkcode", sort=True)["buurtcode"]:
            self._add(Area("wijk", str(wk), str(wijknamen.get(wk, wk)), tuple(group)))
        gemeentenamen = (
            dict(zip(frame["gemeentecode"], frame["gemeentenaam"], strict=True))
            if "gemeentenaam" in frame
            else {}
        )
        for gm, group in frame.groupby("gemeentecode", sort=True)["buurtcode"]:
            naam = gemeentenamen.get(gm)
            self._add(
                Area("gemeente", str(gm), str(naam) if pd.notna(naam) else str(gm), tuple(group))
            )
        self.complexen_loaded = complexen is not None
        self._complexen_in: dict[str, list[str]] = {}
        if complexen is not None:
            cnames = complexen["naam"] if "naam" in complexen else complexen["complex_id"]
            for cid, bu, naam in zip(
                complexen["complex_id"].astype(str), complexen["buurtcode"], cnames, strict=True
            ):
                if pd.notna(bu):
                    self._add(Area("complex", cid, str(naam), (str(bu),)))
                    self._complexen_in.setdefault(str(bu), []).append(cid)
        self.regiegebieden = tuple(
            Area("regiegebied", r.regie_id, r.naam, tuple(r.buurtcodes)) for r in regiegebieden
        )
        self.warmtegebieden = tuple(
            Area(
                "warmtegebied",
                w.gebied_id,
                w.naam,
                tuple(w.buurtcodes)
                or tuple(b for wk in w.wijkcodes for b in self.buurten_in_wijk(wk)),
                () if w.buurtcodes else tuple(w.wijkcodes),
            )
            for w in warmtegebieden
        )
        for area in (*self.regiegebieden, *self.warmtegebieden):
            self._add(area)

    @classmethod
    def of(
        cls,
        buurten: pd.DataFrame,
        wijken: pd.DataFrame | None = None,
        complexen: pd.DataFrame | None = None,
        ledger: Ledger | None = None,
        *,
        warmtegebieden: Sequence[District] | None = None,
    ) -> Areas:
        """The areas of loaded boundaries, complexes and (optionally) a ledger's areas.

        ``warmtegebieden`` (the heat plan's districts, as built) replace the ledger's.
        """
        return cls(
            buurten,
            wijken,
            complexen,
            regiegebieden=ledger.regiegebieden if ledger else (),
            warmtegebieden=warmtegebieden
            if warmtegebieden is not None
            else (ledger.warmtegebieden if ledger else ()),
        )

    def _add(self, area: Area) -> None:
        self._areas.setdefault(area.code, area)

    # ---------------------------------------------------------------- lookups

    def get(self, code: str) -> Area | None:
        """The area with this code (in any case), else None."""
        code = code.strip()
        if code in self._areas:
            return self._areas[code]
        upper = code.upper()
        if any(p.match(upper) for _, p in _BY_FORM):
            return self._areas.get(upper)
        # ids of regie and heat areas and complexes in any case, when that is unambiguous
        folded = code.casefold()
        found = [a for c, a in self._areas.items() if c.casefold() == folded]
        return found[0] if len(found) == 1 else None

    def resolve(self, code: str) -> Area:
        """The area with this code; an unknown code is one clear line."""
        area = self.get(code)
        if area is not None:
            return area
        upper = code.strip().upper()
        for kind, pattern in _BY_FORM:
            if pattern.match(upper):
                raise ValidationError(
                    [f"{kind}code {upper!r} bestaat niet in deze gebiedsindeling"]
                )
        raise ValidationError(
            [
                f"gebiedscode {code!r} onbekend: verwacht een buurtcode (BU + 8 cijfers), wijkcode "
                "(WK + 6 cijfers), gemeentecode (GM + 4 cijfers) of de id van een regiegebied, "
                "warmtegebied of complex"
            ]
        )

    def known(self, kind: str, code: str) -> bool | None:
        """Whether a gemeente, wijk, buurt or complex code exists (None: cannot tell).

        Complex codes cannot be checked when no complexes were loaded; regie and heat
        areas are defined by the ledger itself.
        """
        if kind == "complex" and not self.complexen_loaded:
            return None
        if kind in ("gemeente", "wijk", "buurt", "complex"):
            area = self._areas.get(code)
            return area is not None and area.kind == kind
        return None

    def codes(self, kind: str) -> list[str]:
        return [a.code for a in self._areas.values() if a.kind == kind]

    def buurten_of(self, code: str) -> tuple[str, ...]:
        """The buurtcodes that make up an area (empty for an unknown code)."""
        area = self.get(code)
        return area.buurtcodes if area else ()

    def wijk_of(self, buurtcode: str) -> str | None:
        return self._wijk_of.get(buurtcode)

    def gemeente_of(self, buurtcode: str) -> str | None:
        return self._gemeente_of.get(buurtcode)

    def buurten_in_wijk(self, wijkcode: str) -> tuple[str, ...]:
        area = self._areas.get(wijkcode)
        return area.buurtcodes if area is not None and area.kind == "wijk" else ()

    def complexen_in(self, buurtcode: str) -> list[str]:
        return list(self._complexen_in.get(buurtcode, []))

    def containing(self, buurtcode: str) -> list[Area]:
        """The regie and heat areas a buurt lies in."""
        return [a for a in (*self.regiegebieden, *self.warmtegebieden) if buurtcode in a.buurtcodes]

    def overlapping(self, buurtcodes: Iterable[str]) -> list[Area]:
        """The regie and heat areas that share at least one buurt with ``buurtcodes``."""
        inside = set(buurtcodes)
        return [
            a for a in (*self.regiegebieden, *self.warmtegebieden) if inside & set(a.buurtcodes)
        ]

    def search_options(
        self, kinds: Sequence[str] = ("buurt", "wijk", "regiegebied", "warmtegebied")
    ) -> dict[str, str]:
        """Label → code of the areas of ``kinds``, sorted by label (for a search box)."""
        return dict(sorted((a.label, a.code) for a in self._areas.values() if a.kind in kinds))
