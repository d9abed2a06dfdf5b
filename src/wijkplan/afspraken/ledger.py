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

from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import yaml
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
from wijkplan.errors import SourceNotFoundError
from wijkplan.problems import Problems

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

    from wijkplan.areas import Areas

#: Nesting deeper than this is refused (a ledger needs about six levels).
MAX_DEPTH = 50

Loc = schema.Loc
T = TypeVar("T")

_DOCUMENT = "verwacht een YAML-document met de onderdelen " + ", ".join(schema.SECTIONS)
_NOT_A_RECORD = "verwacht velden (sleutel: waarde)"
#: pydantic's error types in Dutch; any other type reads "ongeldige waarde".
_MESSAGES = {
    "string_type": "verwacht tekst",
    "int_type": "verwacht een geheel getal",
    "int_from_float": "verwacht een geheel getal",
    "float_type": "verwacht een getal",
    "bool_type": "verwacht true of false",
    "list_type": "verwacht een lijst",
    "model_type": _NOT_A_RECORD,
    "model_attributes_type": _NOT_A_RECORD,
    "dict_type": _NOT_A_RECORD,
    "date_type": "verwacht een datum JJJJ-MM-DD",
    "invalid_key": "sleutel moet tekst zijn",
}

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
    if not path.is_file():
        raise SourceNotFoundError(f"{path}: afsprakenbestand bestaat niet")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        _refuse(str(path), f"geen UTF-8-tekst ({exc.reason} bij byte {exc.start})")
    return parse_ledger(text, source=str(path), areas=areas)


def parse_ledger(text: str, *, source: str = "<ledger>", areas: Areas | None = None) -> Ledger:
    """Validate ledger YAML ``text``; ``source`` names it in every problem line."""
    data, lines = _read_yaml(text, source)
    report = _Report(source, data, lines)
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


def _refuse(
    source: str, message: str, value: object = None, *, line: int | None = None
) -> NoReturn:
    """Raise a problem that ends the reading at once (one line)."""
    problems = Problems(source)
    problems.add(None, message, value, line=line)
    raise problems.error() from None


# --------------------------------------------------------------------------- YAML with lines


def _read_yaml(text: str, source: str) -> tuple[dict[Any, Any], _Lines]:
    """The YAML mapping and the line of each of its nodes; anything else is one problem line."""
    try:
        _check_events(text, source)
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if mark is None:
            _refuse(source, f"geen geldige YAML ({problem})")
        _refuse(
            source, f"geen geldige YAML ({problem}, kolom {mark.column + 1})", line=mark.line + 1
        )
    if root is None or data is None:
        _refuse(source, f"leeg bestand; {_DOCUMENT}")
    if not isinstance(data, dict):
        _refuse(source, _DOCUMENT, line=root.start_mark.line + 1)
    return data, _Lines(root)


def _check_events(text: str, source: str) -> None:
    """Refuse anchors, aliases and deep nesting from the parser's events, in linear time.

    This runs before anything is composed: an alias bomb is never expanded and
    deep nesting never reaches the (recursive) composer.
    """
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
            _refuse(
                source,
                "YAML-ankers en -verwijzingen (&naam, *naam) zijn niet toegestaan; schrijf de waarde uit",
                f"{sign}{event.anchor}",
                line=line,
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                _refuse(source, f"te diep genest (meer dan {MAX_DEPTH} niveaus)", line=line)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


class _Lines:
    """The line (1-based) of every key and list item by its path, and the duplicate keys.

    A path is a pydantic ``loc``: mapping keys and list indices from the root.
    """

    def __init__(self, root: yaml.Node) -> None:
        self._at: dict[Loc, int] = {}
        #: (path of the mapping, key, line of the second occurrence)
        self.duplicates: list[tuple[Loc, str, int]] = []
        queue: deque[tuple[Loc, yaml.Node]] = deque([((), root)])
        while queue:  # breadth first, in file order: of two equal keys the last one counts
            path, node = queue.popleft()
            if isinstance(node, yaml.MappingNode):
                seen: set[str] = set()
                for key, value in node.value:
                    name = str(key.value)
                    line = key.start_mark.line + 1
                    if name in seen:
                        self.duplicates.append((path, name, line))
                    seen.add(name)
                    self._at[(*path, name)] = line
                    queue.append(((*path, name), value))
            elif isinstance(node, yaml.SequenceNode):
                for i, item in enumerate(node.value):
                    self._at[(*path, i)] = item.start_mark.line + 1
                    queue.append(((*path, i), item))

    def line(self, loc: Loc) -> int | None:
        """The line of the node at ``loc``, else of the nearest enclosing node that exists."""
        for n in range(len(loc), 0, -1):
            line = self._at.get(loc[:n])
            if line is not None:
                return line
        return None


# --------------------------------------------------------------------------- problems


class _Report:
    """Problems by ``loc``, placed at their line and record, reported in file order."""

    def __init__(self, source: str, data: dict[Any, Any], lines: _Lines) -> None:
        self.source = source
        self.data = data
        self.lines = lines
        self._found: list[tuple[int, str | None, str | None, str, object]] = []

    def add(self, loc: Loc, message: str, value: object = None) -> None:
        """One problem at ``loc``: at its line, naming its record and field."""
        record, field = self._where(loc)
        self._found.append((self.lines.line(loc) or 0, record, field, message, value))

    def duplicate_key(self, path: Loc, key: str, line: int) -> None:
        """A key given twice in the mapping at ``path`` (the second time at ``line``)."""
        record, _ = self._where((*path, key))
        message = "dubbele sleutel (de tweede zou de eerste overschrijven)"
        self._found.append((line, record, None, message, key))

    def error(self, error: ErrorDetails) -> None:
        """A pydantic error, in Dutch."""
        loc: Loc = tuple(error["loc"])
        kind = error["type"]
        value = error.get("input")
        shown = (error.get("ctx") or {}) if kind == schema.ERROR_TYPE else {}
        top = len(loc) == 1
        if kind == "missing":
            message = "verplicht onderdeel ontbreekt" if top else "verplicht veld ontbreekt"
            value = None
        elif kind == "extra_forbidden":
            message = "onbekend onderdeel (typfout?)" if top else "onbekend veld (typfout?)"
            value = None
        elif "waarde" in shown:  # a check that names the value to show itself
            message, value = error["msg"], shown["waarde"]
        elif value is None:  # an empty YAML value where one is required
            message = "mag niet leeg zijn"
        elif kind == schema.ERROR_TYPE:
            message = error["msg"]
        else:
            message = _MESSAGES.get(kind, "ongeldige waarde")
        if message == "verwacht tekst" and loc and isinstance(loc[-1], int):
            message += " in de lijst"
        if top and isinstance(value, list | dict):
            value = None  # a whole section is too long for one line
        self.add(loc, message, value)

    def _where(self, loc: Loc) -> tuple[str | None, str | None]:
        """The record (``afspraak PA2021-01a``, ``partij #2``, ``metadata``) and field of ``loc``."""
        if len(loc) <= 1:
            return None, str(loc[0]) if loc else None
        section, rest = loc[0], loc[1:]
        if section in schema.RECORDS and isinstance(rest[0], int):
            record = self._record(str(section), rest[0])
            rest = rest[1:]
        else:
            record = str(section)
        return record, rest[0] if rest and isinstance(rest[0], str) else None

    def _record(self, section: str, index: int) -> str:
        label, key = schema.RECORDS[section]
        items = self.data.get(section)
        item = items[index] if isinstance(items, list) and index < len(items) else None
        name = item.get(key) if isinstance(item, dict) else None
        return f"{label} {name}" if isinstance(name, str) else f"{label} #{index + 1}"

    def raise_if_any(self) -> None:
        problems = Problems(self.source)
        for line, record, field, message, value in sorted(self._found, key=lambda p: p[0]):
            problems.add(field, message, value, line=line or None, record=record)
        problems.raise_if_any()


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


def _declared(data: dict[Any, Any], areas: Areas | None, report: _Report) -> schema.LedgerContext:
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
