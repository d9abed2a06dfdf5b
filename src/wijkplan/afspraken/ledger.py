"""Loading and validating the ledger file.

The ledger is a human-edited YAML file. :func:`load_ledger` checks all of it
and raises one :class:`~wijkplan.errors.ValidationError` that lists every
problem, one line each, naming the file, the line, the record and the
offending value. Nothing else (least of all the status store) is touched.

Reading goes in three steps:

1. The YAML is parsed with its line marks. Anchors and aliases, nesting deeper
   than :data:`MAX_DEPTH` and duplicate keys are refused (a hand-edited file
   needs none of them, and they hide mistakes or cost unbounded time).
2. What the file declares (party, regie and heat area ids, the vocabulary, the
   metadata's year and period) is collected into a
   :class:`~wijkplan.afspraken.schema.LedgerContext`; duplicate ids are found here.
3. The data is validated against :class:`~wijkplan.afspraken.schema.Document`
   with that context, which checks types, forms and every reference. Each pydantic
   error is put into Dutch and placed at the line of the node its ``loc`` points to
   (or, for a missing field, the line of the enclosing record).

>>> parse_ledger("- a\\n", source="x.yaml")
Traceback (most recent call last):
...
wijkplan.errors.ValidationError: x.yaml, regel 1: verwacht een YAML-document met de onderdelen metadata, vocabulaire, partijen, regiegebieden, warmtegebieden, afspraken
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticError

from wijkplan.afspraken import schema
from wijkplan.afspraken.model import (
    DEFAULT_STATUSSEN,
    DEFAULT_THEMAS,
    Afspraak,
    GebiedLink,
    Ledger,
    LedgerMeta,
    Partij,
    Regiegebied,
    Warmtegebied,
)
from wijkplan.yamlfile import Report, read_text_file, read_yaml

if TYPE_CHECKING:
    from wijkplan.areas import Areas

Loc = schema.Loc
T = TypeVar("T")

_DOCUMENT = "verwacht een YAML-document met de onderdelen " + ", ".join(schema.SECTIONS)
_VOCABULARY = TypeAdapter(schema.Vocabulary)
_JAAR = TypeAdapter(schema.Jaar)
_PERIODE = TypeAdapter(schema.Periode)


# --------------------------------------------------------------------------- loading


def load_ledger(path: Path | str, *, areas: Areas | None = None) -> Ledger:
    """Read and validate a ledger file; every problem is reported in one ValidationError.

    With ``areas`` given, every gemeente, wijk, buurt (and, when loaded,
    complex) code must exist there; regie and warmte area ids always come from
    the ledger itself.
    """
    path = Path(path)
    text = read_text_file(path, "afsprakenbestand")
    return parse_ledger(text, source=str(path), areas=areas)


def parse_ledger(text: str, *, source: str = "<ledger>", areas: Areas | None = None) -> Ledger:
    """Validate ledger YAML ``text``; ``source`` names it in every problem line."""
    data, lines = read_yaml(text, source, _DOCUMENT)
    report = Report(source, data, lines, records=schema.RECORDS, error_type=schema.ERROR_TYPE)
    for path, key, line in lines.duplicates:
        report.duplicate_key(path, key, line)
    context = _declared(data, areas, report)
    document: schema.Document | None = None
    try:
        document = schema.Document.model_validate(data, context=context)
    except PydanticError as exc:
        for error in exc.errors():
            report.error(error)
    report.raise_if_any()
    assert document is not None
    return _ledger(document, source)


# --------------------------------------------------------------------------- what the file declares


def _items(data: dict[Any, Any], section: str) -> list[tuple[int, dict[Any, Any]]]:
    value = data.get(section)
    items = value if isinstance(value, list) else []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]


def _valid(adapter: TypeAdapter[T], value: object, default: T) -> T:
    """The value if valid, else ``default`` (its problem is reported by the validation)."""
    try:
        return adapter.validate_python(value)
    except PydanticError:
        return default


def _declared(data: dict[Any, Any], areas: Areas | None, report: Report) -> schema.LedgerContext:
    """The ids and vocabulary the file declares; a duplicate id is reported here.

    The ids of a section that is not a list (or of missing parties) are None: then
    references to them cannot be checked, rather than all being reported as unknown.
    """
    ids: dict[str, frozenset[str] | None] = {}
    for section, (_, key) in schema.RECORDS.items():
        records = data.get(section)
        unusable = records is not None and not isinstance(records, list)
        if unusable or (section == "partijen" and section not in data):
            ids[section] = None
            continue
        seen: set[str] = set()
        for i, item in _items(data, section):
            value = item.get(key)
            if schema.is_record_id(value):
                if value in seen:
                    report.add((section, i, key), "dubbele id", value)
                seen.add(value)
        ids[section] = frozenset(seen)
    for i, item in _items(data, "warmtegebieden"):
        if item.get("gebied_id") in (ids["regiegebieden"] or ()):
            report.add(
                ("warmtegebieden", i, "gebied_id"),
                "zelfde id als een regiegebied",
                item["gebied_id"],
            )
    vocabulaire = _mapping(data.get("vocabulaire"))
    metadata = _mapping(data.get("metadata"))
    themas: list[str] = _valid(_VOCABULARY, vocabulaire.get("themas"), [*DEFAULT_THEMAS])
    statussen: list[str] = _valid(_VOCABULARY, vocabulaire.get("statussen"), [*DEFAULT_STATUSSEN])
    return schema.LedgerContext(
        themas=tuple(themas),
        statussen=tuple(statussen),
        partij_ids=ids["partijen"],
        regie_ids=ids["regiegebieden"],
        warmte_ids=ids["warmtegebieden"],
        jaar=_valid(_JAAR, metadata.get("jaar"), 0),
        periode=_valid(_PERIODE, metadata.get("periode"), ""),
        areas=areas,
    )


def _mapping(value: object) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


# --------------------------------------------------------------------------- the dataclasses


def _ledger(document: schema.Document, source: str) -> Ledger:
    m = document.metadata
    meta = LedgerMeta(
        titel=m.titel,
        ondertekend=m.ondertekend,
        periode=m.periode,
        jaar=m.jaar,
        bron=m.bron,
        toelichting=m.toelichting,
    )
    vocabulaire = document.vocabulaire or schema.Vocabulaire()
    return Ledger(
        meta=meta,
        themas=tuple(vocabulaire.themas or DEFAULT_THEMAS),
        statussen=tuple(vocabulaire.statussen or DEFAULT_STATUSSEN),
        partijen=tuple(_partij(p) for p in document.partijen),
        regiegebieden=tuple(_regiegebied(r) for r in document.regiegebieden),
        warmtegebieden=tuple(_warmtegebied(w) for w in document.warmtegebieden),
        afspraken=tuple(_afspraak(a, meta) for a in document.afspraken),
        source=source,
    )


def _partij(p: schema.Partij) -> Partij:
    return Partij(
        id=p.id,
        naam=p.naam,
        soort=p.soort,
        ondertekenaar=p.ondertekenaar,
        toelichting=p.toelichting,
    )


def _regiegebied(r: schema.Regiegebied) -> Regiegebied:
    return Regiegebied(
        regie_id=r.regie_id,
        naam=r.naam,
        buurtcodes=tuple(r.buurtcodes),
        partners=tuple(r.partners),
        regisseur=r.regisseur,
        toelichting=r.toelichting,
    )


def _warmtegebied(w: schema.Warmtegebied) -> Warmtegebied:
    return Warmtegebied(
        gebied_id=w.gebied_id,
        naam=w.naam,
        buurtcodes=tuple(w.buurtcodes),
        wijkcodes=tuple(w.wijkcodes),
        periode=w.periode,
        status=w.status,
        startjaar=w.startjaar,
        strategie=w.strategie,
        partners=tuple(w.partners),
        toelichting=w.toelichting,
    )


def _afspraak(a: schema.Afspraak, meta: LedgerMeta) -> Afspraak:
    """An agreement; the year and period it leaves out are the metadata's."""
    return Afspraak(
        id=a.id,
        jaar=a.jaar if a.jaar is not None else meta.jaar,
        periode=a.periode or meta.periode,
        thema=a.thema,
        titel=a.titel,
        tekst=a.tekst,
        partijen=tuple(a.partijen),
        trekker=a.trekker,
        indicator=a.indicator,
        status=a.status,
        gebieden=tuple(GebiedLink(g.niveau, g.code) for g in a.gebieden),
        streefwaarde=None if a.streefwaarde is None else float(a.streefwaarde),
        eenheid=a.eenheid,
        voortgang=a.voortgang,
        voorbeeld=a.voorbeeld,
        toelichting=a.toelichting,
    )
