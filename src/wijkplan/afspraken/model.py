"""The data model of the agreement ledger: parties, areas and agreements (afspraken).

All records are frozen dataclasses; list-valued fields are tuples so that a
loaded ledger cannot be changed by accident. The validated vocabulary (themes,
statuses, parties) lives in the ledger file; the defaults below are used when a
file does not define its own themes or statuses.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from wijkplan.errors import ValidationError

#: Themes of the prestatieafspraken (used when a ledger file lists none).
DEFAULT_THEMAS: tuple[str, ...] = (
    "bouw en doorstroming",
    "bijzondere doelgroepen",
    "betaalbaarheid",
    "leefbaarheid",
    "duurzaamheid",
)
#: Statuses of an agreement (used when a ledger file lists none).
DEFAULT_STATUSSEN: tuple[str, ...] = (
    "voorgenomen",
    "lopend",
    "gerealiseerd",
    "vertraagd",
    "vervallen",
)
#: The levels an agreement can be linked to; the code's form depends on the level.
NIVEAUS: tuple[str, ...] = (
    "gemeente",
    "wijk",
    "buurt",
    "regiegebied",
    "warmtegebied",
    "complex",
)
#: Written in the ledger where the text does not say who leads (trekker, regisseur).
NOG_VAST_TE_STELLEN = "nog vast te stellen"
#: Joins list values in tables (GeoPackage has no list type).
LIST_SEP = "; "


@dataclass(frozen=True)
class Partij:
    """A party to (or a partner named in) the agreements."""

    id: str
    naam: str
    soort: str | None = None
    ondertekenaar: bool = False
    toelichting: str | None = None


@dataclass(frozen=True)
class GebiedLink:
    """A link from an agreement to one area: a level and the area's code.

    >>> GebiedLink("buurt", "BU04840306").label
    'buurt BU04840306'
    """

    niveau: str
    code: str

    @property
    def label(self) -> str:
        return f"{self.niveau} {self.code}"


@dataclass(frozen=True)
class Afspraak:
    """One commitment of the prestatieafspraken.

    ``trekker`` is ``None`` where the text does not say who leads it
    (shown as "nog vast te stellen"); ``streefwaarde`` and ``eenheid`` are
    ``None`` where the text does not quantify the commitment.
    """

    id: str
    jaar: int
    periode: str
    thema: str
    titel: str
    tekst: str
    partijen: tuple[str, ...]
    trekker: str | None
    indicator: str
    status: str
    gebieden: tuple[GebiedLink, ...]
    streefwaarde: float | None = None
    eenheid: str | None = None
    voortgang: int | None = None
    voorbeeld: int | None = None
    toelichting: str | None = None

    @property
    def gemeentebreed(self) -> bool:
        """True if the agreement is linked to a whole municipality.

        >>> a = Afspraak("X-1", 2021, "2017-2021", "leefbaarheid", "t", "t", ("gemeente",),
        ...              "gemeente", "i", "lopend", (GebiedLink("gemeente", "GM0484"),))
        >>> a.gemeentebreed
        True
        """
        return any(link.niveau == "gemeente" for link in self.gebieden)


@dataclass(frozen=True)
class Regiegebied:
    """An area with agreed lead coordination (regie) for liveability problems.

    ``regisseur`` is ``None`` while the agreements do not name who leads.
    """

    regie_id: str
    naam: str
    buurtcodes: tuple[str, ...]
    partners: tuple[str, ...]
    regisseur: str | None
    toelichting: str | None = None


@dataclass(frozen=True)
class Warmtegebied:
    """A verkenningsgebied of the Transitievisie Warmte.

    Defined by its buurten where they are published, otherwise by the wijk(en)
    it lies in (then every buurt of those wijken counts as part of it).
    """

    gebied_id: str
    naam: str
    buurtcodes: tuple[str, ...]
    wijkcodes: tuple[str, ...]
    periode: str
    status: str
    startjaar: int | None = None
    strategie: str | None = None
    partners: tuple[str, ...] = ()
    toelichting: str | None = None

    @property
    def op_wijkniveau(self) -> bool:
        """True if the area is only known at wijk level (no published buurten)."""
        return not self.buurtcodes


@dataclass(frozen=True)
class LedgerMeta:
    """What the ledger file says about itself and its source."""

    titel: str
    ondertekend: dt.date
    periode: str
    jaar: int
    bron: str
    toelichting: str | None = None


@dataclass(frozen=True)
class Ledger:
    """A validated ledger: metadata, vocabulary, area definitions and agreements."""

    meta: LedgerMeta
    themas: tuple[str, ...]
    statussen: tuple[str, ...]
    partijen: tuple[Partij, ...]
    regiegebieden: tuple[Regiegebied, ...]
    warmtegebieden: tuple[Warmtegebied, ...]
    afspraken: tuple[Afspraak, ...]
    source: str | None = field(default=None, compare=False)

    def afspraak(self, afspraak_id: str) -> Afspraak:
        """The agreement with this id; an unknown id is a ValidationError."""
        for a in self.afspraken:
            if a.id == afspraak_id:
                return a
        raise ValidationError([f"onbekende afspraak: {afspraak_id!r}{self._where()}"])

    def partij(self, partij_id: str) -> Partij:
        for p in self.partijen:
            if p.id == partij_id:
                return p
        raise ValidationError([f"onbekende partij: {partij_id!r}{self._where()}"])

    def partij_naam(self, partij_id: str | None) -> str:
        """The display name of a party; ``None`` reads "nog vast te stellen"."""
        if partij_id is None:
            return NOG_VAST_TE_STELLEN
        for p in self.partijen:
            if p.id == partij_id:
                return p.naam
        return partij_id

    def regiegebied(self, regie_id: str) -> Regiegebied | None:
        return next((r for r in self.regiegebieden if r.regie_id == regie_id), None)

    def warmtegebied(self, gebied_id: str) -> Warmtegebied | None:
        return next((w for w in self.warmtegebieden if w.gebied_id == gebied_id), None)

    def _where(self) -> str:
        return f" in {self.source}" if self.source else ""


# --------------------------------------------------------------------------- snapshot


def ledger_to_json(ledger: Ledger) -> str:
    """The ledger as JSON: the snapshot the build stores beside the layers.

    >>> meta = LedgerMeta("t", dt.date(2020, 12, 9), "2017-2021", 2021, "b")
    >>> empty = Ledger(meta, ("x",), ("lopend",), (), (), (), ())
    >>> ledger_from_json(ledger_to_json(empty)) == empty
    True
    """
    raw = asdict(ledger)
    raw["meta"]["ondertekend"] = ledger.meta.ondertekend.isoformat()
    return json.dumps(raw, ensure_ascii=False)


def ledger_from_json(text: str) -> Ledger:
    """A ledger from :func:`ledger_to_json` (validated when it was built, so not again)."""
    raw: dict[str, Any] = json.loads(text)
    meta = dict(raw["meta"])
    meta["ondertekend"] = dt.date.fromisoformat(meta["ondertekend"])

    def tuples(record: dict[str, Any]) -> dict[str, Any]:
        return {k: tuple(v) if isinstance(v, list) else v for k, v in record.items()}

    return Ledger(
        meta=LedgerMeta(**meta),
        themas=tuple(raw["themas"]),
        statussen=tuple(raw["statussen"]),
        partijen=tuple(Partij(**p) for p in raw["partijen"]),
        regiegebieden=tuple(Regiegebied(**tuples(r)) for r in raw["regiegebieden"]),
        warmtegebieden=tuple(Warmtegebied(**tuples(w)) for w in raw["warmtegebieden"]),
        afspraken=tuple(
            Afspraak(**{**tuples(a), "gebieden": tuple(GebiedLink(**g) for g in a["gebieden"])})
            for a in raw["afspraken"]
        ),
        source=raw.get("source"),
    )
