"""Hand-edited YAML files with line numbers: reading, refusing, and Dutch problem lines.

The agreement ledger and the heat plan are YAML files that people edit. This module
reads such a file with the line of every node, refuses what a hand-edited file never
needs (anchors and aliases, nesting deeper than :data:`MAX_DEPTH`, duplicate keys),
and turns pydantic's errors into Dutch problem lines naming the file, the line, the
record and the offending value.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import yaml

from wijkplan.errors import SourceNotFoundError
from wijkplan.problems import Problems

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

#: Nesting deeper than this is refused (a ledger needs about six levels).
MAX_DEPTH = 50

#: A pydantic ``loc``: mapping keys and list indices from the root.
Loc = tuple[str | int, ...]

NOT_A_RECORD = "verwacht velden (sleutel: waarde)"
#: pydantic's error types in Dutch; any other type reads "ongeldige waarde".
MESSAGES = {
    "string_type": "verwacht tekst",
    "int_type": "verwacht een geheel getal",
    "int_from_float": "verwacht een geheel getal",
    "float_type": "verwacht een getal",
    "bool_type": "verwacht true of false",
    "list_type": "verwacht een lijst",
    "model_type": NOT_A_RECORD,
    "model_attributes_type": NOT_A_RECORD,
    "dict_type": NOT_A_RECORD,
    "date_type": "verwacht een datum JJJJ-MM-DD",
    "invalid_key": "sleutel moet tekst zijn",
    "literal_error": "onbekende waarde",
    "greater_than_equal": "te klein",
    "less_than_equal": "te groot",
}


def refuse(source: str, message: str, value: object = None, *, line: int | None = None) -> NoReturn:
    """Raise a problem that ends the reading at once (one line)."""
    problems = Problems(source)
    problems.add(None, message, value, line=line)
    raise problems.error() from None


# --------------------------------------------------------------------------- YAML with lines


def read_yaml(text: str, source: str, document: str) -> tuple[dict[Any, Any], Lines]:
    """The YAML mapping and the line of each of its nodes; anything else is one problem line.

    ``document`` says what the file should hold (the message for an empty file or a
    file that is not a mapping).
    """
    try:
        check_events(text, source)
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
            refuse(source, f"geen geldige YAML ({problem})")
        refuse(
            source, f"geen geldige YAML ({problem}, kolom {mark.column + 1})", line=mark.line + 1
        )
    if root is None or data is None:
        refuse(source, f"leeg bestand; {document}")
    if not isinstance(data, dict):
        refuse(source, document, line=root.start_mark.line + 1)
    return data, Lines(root)


def check_events(text: str, source: str) -> None:
    """Refuse anchors, aliases and deep nesting from the parser's events, in linear time.

    This runs before anything is composed: an alias bomb is never expanded and
    deep nesting never reaches the (recursive) composer.
    """
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
            refuse(
                source,
                "YAML-ankers en -verwijzingen (&naam, *naam) zijn niet toegestaan; schrijf de waarde uit",
                f"{sign}{event.anchor}",
                line=line,
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                refuse(source, f"te diep genest (meer dan {MAX_DEPTH} niveaus)", line=line)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


class Lines:
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


class Report:
    """Problems by ``loc``, placed at their line and record, reported in file order."""

    def __init__(
        self,
        source: str,
        data: dict[Any, Any],
        lines: Lines,
        *,
        records: Mapping[str, tuple[str, str]],
        error_type: str,
    ) -> None:
        self.source = source
        self.records = records
        self.error_type = error_type
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
        shown = (error.get("ctx") or {}) if kind == self.error_type else {}
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
        elif kind == self.error_type:
            message = error["msg"]
        else:
            message = MESSAGES.get(kind, "ongeldige waarde")
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
        if section in self.records and isinstance(rest[0], int):
            record = self._record(str(section), rest[0])
            rest = rest[1:]
        else:
            record = str(section)
        return record, rest[0] if rest and isinstance(rest[0], str) else None

    def _record(self, section: str, index: int) -> str:
        label, key = self.records[section]
        items = self.data.get(section)
        item = items[index] if isinstance(items, list) and index < len(items) else None
        name = item.get(key) if isinstance(item, dict) else None
        return f"{label} {name}" if isinstance(name, str) else f"{label} #{index + 1}"

    def raise_if_any(self) -> None:
        problems = Problems(self.source)
        for line, record, field, message, value in sorted(self._found, key=lambda p: p[0]):
            problems.add(field, message, value, line=line or None, record=record)
        problems.raise_if_any()


def read_text_file(path: Path, missing: str) -> str:
    """A hand-edited file's text (UTF-8); ``missing`` names what is missing when it is absent."""
    if not path.is_file():
        raise SourceNotFoundError(f"{path}: {missing} bestaat niet")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        refuse(str(path), f"geen UTF-8-tekst ({exc.reason} bij byte {exc.start})")
