"""Loading and validating the ledger file, and turning it into tables and layers.

The ledger is a human-edited YAML file. :func:`load_ledger` checks all of it
and raises one :class:`~wijkplan.errors.ValidationError` that lists every
problem, one line each, naming the file, the line, the record and the
offending value. Nothing else (least of all the status store) is touched.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from wijkplan.afspraken.model import (
    DEFAULT_STATUSSEN,
    DEFAULT_THEMAS,
    NIVEAUS,
    NOG_VAST_TE_STELLEN,
    Afspraak,
    GebiedLink,
    Ledger,
    LedgerMeta,
    Partij,
    Regiegebied,
    Warmtegebied,
)
from wijkplan.errors import SourceNotFoundError, ValidationError
from wijkplan.problems import Problems
from wijkplan.settings import BUURTCODE_RE, GEMEENTECODE_RE, WIJKCODE_RE

if TYPE_CHECKING:
    from wijkplan.areas import Areas


ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
PERIODE_RE = re.compile(r"^(\d{4})-(\d{4})$")
_CODE_RE = {"gemeente": GEMEENTECODE_RE, "wijk": WIJKCODE_RE, "buurt": BUURTCODE_RE}

_TOP_KEYS = ("metadata", "vocabulaire", "partijen", "regiegebieden", "warmtegebieden", "afspraken")
_META_REQUIRED = ("titel", "ondertekend", "periode", "jaar", "bron")
_META_OPTIONAL = ("toelichting",)
_PARTIJ_REQUIRED = ("id", "naam")
_PARTIJ_OPTIONAL = ("soort", "ondertekenaar", "toelichting")
_REGIE_REQUIRED = ("regie_id", "naam", "buurtcodes", "partners", "regisseur")
_REGIE_OPTIONAL = ("toelichting",)
_WARMTE_REQUIRED = ("gebied_id", "naam", "buurtcodes", "wijkcodes", "periode", "status")
_WARMTE_OPTIONAL = ("startjaar", "strategie", "partners", "toelichting")
_AFSPRAAK_REQUIRED = (
    "id",
    "thema",
    "titel",
    "tekst",
    "partijen",
    "trekker",
    "indicator",
    "status",
    "gebieden",
)
_AFSPRAAK_OPTIONAL = (
    "jaar",
    "periode",
    "streefwaarde",
    "eenheid",
    "voortgang",
    "voorbeeld",
    "toelichting",
)

_MISSING: Any = object()


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
        raise ValidationError([f"{path}: geen UTF-8-tekst ({exc.reason})"]) from None
    return parse_ledger(text, source=str(path), areas=areas)


def parse_ledger(text: str, *, source: str = "<ledger>", areas: Areas | None = None) -> Ledger:
    """Validate ledger YAML ``text``; ``source`` names it in every problem line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValidationError([_yaml_problem(source, exc)]) from None
    lines = _LineIndex(root)
    v = _Validator(source, lines, areas)
    v.check_duplicate_keys(root)
    ledger = v.ledger(data)
    v.problems.raise_if_any()
    assert ledger is not None
    return ledger


def _yaml_problem(source: str, exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    where = f"{source}, regel {mark.line + 1}, kolom {mark.column + 1}" if mark else source
    return f"{where}: geen geldige YAML ({problem})"


class _LineIndex:
    """Line numbers (1-based) of the items of each top-level list, from the YAML node tree."""

    def __init__(self, root: yaml.Node | None) -> None:
        self._items: dict[tuple[str, int], int] = {}
        self._keys: dict[str, int] = {}
        if isinstance(root, yaml.MappingNode):
            for key, value in root.value:
                name = str(key.value)
                self._keys[name] = key.start_mark.line + 1
                if isinstance(value, yaml.SequenceNode):
                    for i, item in enumerate(value.value):
                        self._items[(name, i)] = item.start_mark.line + 1

    def item(self, section: str, index: int) -> int | None:
        return self._items.get((section, index))

    def key(self, section: str) -> int | None:
        return self._keys.get(section)


@dataclass(frozen=True)
class _Ctx:
    """Where a problem is: a record label (``afspraak PA2021-01a``) and its line."""

    label: str
    line: int | None


class _Validator:
    def __init__(self, source: str, lines: _LineIndex, areas: Areas | None) -> None:
        self.source = source
        self.lines = lines
        self.areas = areas
        self.problems = Problems(source)
        self.partij_ids: set[str] = set()
        self.themas: tuple[str, ...] = DEFAULT_THEMAS
        self.statussen: tuple[str, ...] = DEFAULT_STATUSSEN

    # ---- reporting

    def add(self, ctx: _Ctx | None, field: str | None, message: str, value: Any = _MISSING) -> None:
        where = self.source
        if ctx is not None and ctx.line is not None:
            where += f", regel {ctx.line}"
        parts = [where]
        label = ctx.label if ctx is not None else ""
        if label and field:
            parts.append(f"{label}, veld '{field}'")
        elif label:
            parts.append(label)
        elif field:
            parts.append(f"veld '{field}'")
        text = ": ".join(parts) + f": {message}"
        if value is not _MISSING:
            text += f": {value!r}"
        self.problems.items.append(text)

    def check_duplicate_keys(self, node: yaml.Node | None) -> None:
        """safe_load keeps the last of two equal keys silently; a hand-edited file must not."""
        if isinstance(node, yaml.MappingNode):
            seen: Counter[str] = Counter()
            for key, value in node.value:
                name = str(key.value)
                seen[name] += 1
                if seen[name] == 2:
                    ctx = _Ctx("", key.start_mark.line + 1)
                    self.add(
                        ctx, None, "dubbele sleutel (de tweede zou de eerste overschrijven)", name
                    )
                self.check_duplicate_keys(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                self.check_duplicate_keys(item)

    # ---- typed field access

    def _fields(
        self,
        item: Mapping[str, Any],
        ctx: _Ctx,
        required: Iterable[str],
        optional: Iterable[str],
    ) -> None:
        required = tuple(required)
        for key in required:
            if key not in item:
                self.add(ctx, key, "verplicht veld ontbreekt")
        allowed = set(required) | set(optional)
        for key in item:
            if key not in allowed:
                self.add(ctx, str(key), "onbekend veld (typfout?)")

    def text(self, item: Mapping[str, Any], key: str, ctx: _Ctx, *, required: bool = True) -> str:
        value = item.get(key)
        if value is None:
            if required and key in item:
                self.add(ctx, key, "mag niet leeg zijn")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.add(ctx, key, "verwacht tekst", value)
            return ""
        return " ".join(value.split())

    def optional_text(self, item: Mapping[str, Any], key: str, ctx: _Ctx) -> str | None:
        value = item.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.add(ctx, key, "verwacht tekst", value)
            return None
        return " ".join(value.split()) or None

    def integer(
        self,
        item: Mapping[str, Any],
        key: str,
        ctx: _Ctx,
        *,
        lo: int | None = None,
        hi: int | None = None,
    ) -> int | None:
        value = item.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(ctx, key, "verwacht een geheel getal", value)
            return None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.add(ctx, key, f"buiten het bereik {lo}..{hi}", value)
            return None
        return value

    def string_list(self, item: Mapping[str, Any], key: str, ctx: _Ctx) -> list[str]:
        value = item.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(ctx, key, "verwacht een lijst", value)
            return []
        out: list[str] = []
        for element in value:
            if not isinstance(element, str) or not element.strip():
                self.add(ctx, key, "verwacht tekst in de lijst", element)
                continue
            if element in out:
                self.add(ctx, key, "dubbel in de lijst", element)
                continue
            out.append(element.strip())
        return out

    def section(
        self, data: Mapping[str, Any], key: str
    ) -> list[tuple[int, Mapping[str, Any], int | None]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(_Ctx("", self.lines.key(key)), key, "verwacht een lijst")
            return []
        out: list[tuple[int, Mapping[str, Any], int | None]] = []
        for i, item in enumerate(value):
            line = self.lines.item(key, i)
            if not isinstance(item, dict):
                self.add(
                    _Ctx(f"{key} #{i + 1}", line), None, "verwacht velden (sleutel: waarde)", item
                )
                continue
            out.append((i, item, line))
        return out

    def party(self, ctx: _Ctx, field: str, value: str) -> None:
        if value not in self.partij_ids:
            self.add(ctx, field, "onbekende partij", value)

    def lead(self, item: Mapping[str, Any], key: str, ctx: _Ctx, members: list[str]) -> str | None:
        """A trekker or regisseur: a party among ``members``, or "nog vast te stellen"."""
        value = item.get(key)
        if value is None or value == NOG_VAST_TE_STELLEN:
            return None
        if not isinstance(value, str):
            self.add(ctx, key, "verwacht een partij-id of 'nog vast te stellen'", value)
            return None
        if value not in self.partij_ids:
            self.add(ctx, key, "onbekende partij", value)
        elif value not in members:
            self.add(ctx, key, "staat niet bij de partijen/partners van dit record", value)
        return value

    def area_code(self, ctx: _Ctx, field: str, niveau: str, code: str) -> None:
        """Form of a gemeente/wijk/buurt code, and its existence when boundaries are known."""
        pattern = _CODE_RE.get(niveau)
        if pattern is not None and not pattern.match(code):
            self.add(ctx, field, f"onjuist gevormde {niveau}code", code)
            return
        if self.areas is not None and self.areas.known(niveau, code) is False:
            self.add(ctx, field, f"onbekende {niveau}code (komt niet voor in de grenzen)", code)

    # ---- sections

    def ledger(self, data: Any) -> Ledger | None:
        if not isinstance(data, dict):
            self.add(
                None, None, "verwacht een YAML-document met de onderdelen " + ", ".join(_TOP_KEYS)
            )
            return None
        for key in data:
            if key not in _TOP_KEYS:
                self.add(
                    _Ctx("", self.lines.key(str(key))), str(key), "onbekend onderdeel (typfout?)"
                )
        for key in ("metadata", "partijen", "afspraken"):
            if key not in data:
                self.add(None, key, "verplicht onderdeel ontbreekt")
        meta = self.metadata(data.get("metadata"))
        self.vocabulaire(data.get("vocabulaire"))
        partijen = self.partijen(data)
        regie = self.regiegebieden(data)
        warmte = self.warmtegebieden(data)
        regie_ids = {r.regie_id for r in regie}
        warmte_ids = {w.gebied_id for w in warmte}
        clash = regie_ids & warmte_ids
        for code in sorted(clash):
            self.add(None, "gebied_id", "zelfde id als een regiegebied", code)
        afspraken = self.afspraken(data, meta, regie_ids, warmte_ids)
        return Ledger(
            meta=meta,
            themas=self.themas,
            statussen=self.statussen,
            partijen=tuple(partijen),
            regiegebieden=tuple(regie),
            warmtegebieden=tuple(warmte),
            afspraken=tuple(afspraken),
            source=self.source,
        )

    def metadata(self, raw: Any) -> LedgerMeta:
        ctx = _Ctx("metadata", self.lines.key("metadata"))
        if not isinstance(raw, dict):
            if raw is not None:
                self.add(ctx, None, "verwacht velden (sleutel: waarde)", raw)
            return LedgerMeta("", dt.date(1900, 1, 1), "", 0, "")
        self._fields(raw, ctx, _META_REQUIRED, _META_OPTIONAL)
        ondertekend = raw.get("ondertekend")
        date = dt.date(1900, 1, 1)
        if isinstance(ondertekend, dt.datetime):
            date = ondertekend.date()
        elif isinstance(ondertekend, dt.date):
            date = ondertekend
        elif isinstance(ondertekend, str):
            try:
                date = dt.date.fromisoformat(ondertekend.strip())
            except ValueError:
                self.add(ctx, "ondertekend", "verwacht een datum JJJJ-MM-DD", ondertekend)
        elif ondertekend is not None:
            self.add(ctx, "ondertekend", "verwacht een datum JJJJ-MM-DD", ondertekend)
        periode = self.periode(raw, ctx)
        jaar = self.integer(raw, "jaar", ctx, lo=1900, hi=2200) or 0
        self.jaar_in_periode(ctx, jaar, periode)
        return LedgerMeta(
            titel=self.text(raw, "titel", ctx),
            ondertekend=date,
            periode=periode,
            jaar=jaar,
            bron=self.text(raw, "bron", ctx),
            toelichting=self.optional_text(raw, "toelichting", ctx),
        )

    def periode(self, item: Mapping[str, Any], ctx: _Ctx) -> str:
        value = item.get("periode")
        if value is None:
            return ""
        m = PERIODE_RE.match(str(value).strip())
        if not isinstance(value, str) or m is None or int(m.group(1)) > int(m.group(2)):
            self.add(ctx, "periode", "verwacht een periode JJJJ-JJJJ", value)
            return ""
        return value.strip()

    def jaar_in_periode(self, ctx: _Ctx, jaar: int, periode: str) -> None:
        m = PERIODE_RE.match(periode)
        if jaar and m and not int(m.group(1)) <= jaar <= int(m.group(2)):
            self.add(ctx, "jaar", f"valt buiten de periode {periode}", jaar)

    def vocabulaire(self, raw: Any) -> None:
        if raw is None:
            return
        ctx = _Ctx("vocabulaire", self.lines.key("vocabulaire"))
        if not isinstance(raw, dict):
            self.add(ctx, None, "verwacht velden (sleutel: waarde)", raw)
            return
        self._fields(raw, ctx, (), ("themas", "statussen"))
        for key in ("themas", "statussen"):
            if key not in raw:
                continue
            values = self.string_list(raw, key, ctx)
            if not values:
                self.add(ctx, key, "lege lijst")
                continue
            setattr(self, key, tuple(values))

    def partijen(self, data: Mapping[str, Any]) -> list[Partij]:
        out = []
        for i, item, line in self.section(data, "partijen"):
            pid = item.get("id")
            ctx = _Ctx(f"partij {pid}" if isinstance(pid, str) else f"partij #{i + 1}", line)
            self._fields(item, ctx, _PARTIJ_REQUIRED, _PARTIJ_OPTIONAL)
            pid = self.record_id(item, "id", ctx, self.partij_ids)
            ondertekenaar = item.get("ondertekenaar", False)
            if not isinstance(ondertekenaar, bool):
                self.add(ctx, "ondertekenaar", "verwacht true of false", ondertekenaar)
                ondertekenaar = False
            out.append(
                Partij(
                    id=pid,
                    naam=self.text(item, "naam", ctx),
                    soort=self.optional_text(item, "soort", ctx),
                    ondertekenaar=ondertekenaar,
                    toelichting=self.optional_text(item, "toelichting", ctx),
                )
            )
        return out

    def record_id(self, item: Mapping[str, Any], key: str, ctx: _Ctx, seen: set[str]) -> str:
        value = item.get(key)
        if value is None:
            return ""
        if not isinstance(value, str) or not ID_RE.match(value):
            self.add(ctx, key, "ongeldige id (letters, cijfers, '.', '_' of '-')", value)
            return str(value)
        if value in seen:
            self.add(ctx, key, "dubbele id", value)
        seen.add(value)
        return value

    def _records(
        self,
        data: Mapping[str, Any],
        section: str,
        id_key: str,
        label: str,
        required: Any,
        optional: Any,
    ) -> Iterator[tuple[Mapping[str, Any], _Ctx, str]]:
        """Each record of a section with its context (for messages) and its checked id."""
        seen: set[str] = set()
        for i, item, line in self.section(data, section):
            raw = item.get(id_key)
            ctx = _Ctx(f"{label} {raw}" if isinstance(raw, str) else f"{label} #{i + 1}", line)
            self._fields(item, ctx, required, optional)
            yield item, ctx, self.record_id(item, id_key, ctx, seen)

    def regiegebieden(self, data: Mapping[str, Any]) -> list[Regiegebied]:
        out = []
        for item, ctx, rid in self._records(
            data, "regiegebieden", "regie_id", "regiegebied", _REGIE_REQUIRED, _REGIE_OPTIONAL
        ):
            buurtcodes = self.string_list(item, "buurtcodes", ctx)
            if "buurtcodes" in item and not buurtcodes:
                self.add(ctx, "buurtcodes", "een regiegebied heeft minstens één buurt")
            for code in buurtcodes:
                self.area_code(ctx, "buurtcodes", "buurt", code)
            partners = self.string_list(item, "partners", ctx)
            for p in partners:
                self.party(ctx, "partners", p)
            out.append(
                Regiegebied(
                    regie_id=rid,
                    naam=self.text(item, "naam", ctx),
                    buurtcodes=tuple(buurtcodes),
                    partners=tuple(partners),
                    regisseur=self.lead(item, "regisseur", ctx, partners),
                    toelichting=self.optional_text(item, "toelichting", ctx),
                )
            )
        return out

    def warmtegebieden(self, data: Mapping[str, Any]) -> list[Warmtegebied]:
        out = []
        for item, ctx, gid in self._records(
            data, "warmtegebieden", "gebied_id", "warmtegebied", _WARMTE_REQUIRED, _WARMTE_OPTIONAL
        ):
            buurtcodes = self.string_list(item, "buurtcodes", ctx)
            wijkcodes = self.string_list(item, "wijkcodes", ctx)
            if "buurtcodes" in item and "wijkcodes" in item and not buurtcodes and not wijkcodes:
                self.add(
                    ctx, "buurtcodes", "geef buurtcodes of (als die niet bekend zijn) wijkcodes"
                )
            for code in buurtcodes:
                self.area_code(ctx, "buurtcodes", "buurt", code)
            for code in wijkcodes:
                self.area_code(ctx, "wijkcodes", "wijk", code)
            if wijkcodes:
                for code in buurtcodes:
                    if BUURTCODE_RE.match(code) and f"WK{code[2:8]}" not in wijkcodes:
                        self.add(ctx, "buurtcodes", "buurt ligt niet in een van de wijkcodes", code)
            status = self.text(item, "status", ctx)
            if status and status not in self.statussen:
                self.add(ctx, "status", "onbekende status", status)
            partners = self.string_list(item, "partners", ctx)
            for p in partners:
                self.party(ctx, "partners", p)
            periode = item.get("periode")
            if periode is not None and not isinstance(periode, str | int):
                self.add(ctx, "periode", "verwacht tekst", periode)
            out.append(
                Warmtegebied(
                    gebied_id=gid,
                    naam=self.text(item, "naam", ctx),
                    buurtcodes=tuple(buurtcodes),
                    wijkcodes=tuple(wijkcodes),
                    periode="" if periode is None else str(periode),
                    status=status,
                    startjaar=self.integer(item, "startjaar", ctx, lo=1900, hi=2200),
                    strategie=self.optional_text(item, "strategie", ctx),
                    partners=tuple(partners),
                    toelichting=self.optional_text(item, "toelichting", ctx),
                )
            )
        return out

    def afspraken(
        self, data: Mapping[str, Any], meta: LedgerMeta, regie_ids: set[str], warmte_ids: set[str]
    ) -> list[Afspraak]:
        out = []
        seen: set[str] = set()
        if "afspraken" in data and not data.get("afspraken"):
            self.add(None, "afspraken", "geen afspraken in het bestand")
        for i, item, line in self.section(data, "afspraken"):
            aid = item.get("id")
            ctx = _Ctx(f"afspraak {aid}" if isinstance(aid, str) else f"afspraak #{i + 1}", line)
            self._fields(item, ctx, _AFSPRAAK_REQUIRED, _AFSPRAAK_OPTIONAL)
            aid = self.record_id(item, "id", ctx, seen)
            thema = self.text(item, "thema", ctx)
            if thema and thema not in self.themas:
                self.add(ctx, "thema", "onbekend thema", thema)
            status = self.text(item, "status", ctx)
            if status and status not in self.statussen:
                self.add(ctx, "status", "onbekende status", status)
            partijen = self.string_list(item, "partijen", ctx)
            if "partijen" in item and not partijen:
                self.add(ctx, "partijen", "minstens één partij")
            for p in partijen:
                self.party(ctx, "partijen", p)
            jaar = (
                self.integer(item, "jaar", ctx, lo=1900, hi=2200) if "jaar" in item else meta.jaar
            )
            periode = self.periode(item, ctx) if "periode" in item else meta.periode
            if "jaar" in item or "periode" in item:  # inherited values were checked once
                self.jaar_in_periode(ctx, jaar or 0, periode)
            streefwaarde = item.get("streefwaarde")
            if streefwaarde is not None and (
                isinstance(streefwaarde, bool)
                or not isinstance(streefwaarde, int | float)
                or not math.isfinite(streefwaarde)
            ):
                self.add(ctx, "streefwaarde", "verwacht een getal (of leeg laten)", streefwaarde)
                streefwaarde = None
            eenheid = self.optional_text(item, "eenheid", ctx)
            if streefwaarde is not None and eenheid is None:
                self.add(ctx, "eenheid", "een streefwaarde heeft een eenheid nodig", streefwaarde)
            out.append(
                Afspraak(
                    id=aid,
                    jaar=jaar or 0,
                    periode=periode,
                    thema=thema,
                    titel=self.text(item, "titel", ctx),
                    tekst=self.text(item, "tekst", ctx),
                    partijen=tuple(partijen),
                    trekker=self.lead(item, "trekker", ctx, partijen),
                    indicator=self.text(item, "indicator", ctx),
                    status=status,
                    gebieden=tuple(self.gebieden(item, ctx, regie_ids, warmte_ids)),
                    streefwaarde=None if streefwaarde is None else float(streefwaarde),
                    eenheid=eenheid,
                    voortgang=self.integer(item, "voortgang", ctx, lo=0, hi=100),
                    voorbeeld=self.integer(item, "voorbeeld", ctx, lo=1),
                    toelichting=self.optional_text(item, "toelichting", ctx),
                )
            )
        return out

    def gebieden(
        self, item: Mapping[str, Any], ctx: _Ctx, regie_ids: set[str], warmte_ids: set[str]
    ) -> list[GebiedLink]:
        raw = item.get("gebieden")
        if raw is None:
            if "gebieden" in item:
                self.add(ctx, "gebieden", "minstens één gebied (gemeente, wijk, buurt, ...)")
            return []
        if not isinstance(raw, list) or not raw:
            self.add(ctx, "gebieden", "verwacht een lijst met minstens één gebied", raw)
            return []
        links: list[GebiedLink] = []
        for link in raw:
            if not isinstance(link, dict) or set(link) != {"niveau", "code"}:
                self.add(ctx, "gebieden", "verwacht {niveau: ..., code: ...}", link)
                continue
            niveau, code = link["niveau"], link["code"]
            if niveau not in NIVEAUS:
                self.add(
                    ctx, "gebieden", f"onbekend niveau (kies uit {', '.join(NIVEAUS)})", niveau
                )
                continue
            if not isinstance(code, str) or not code.strip():
                self.add(ctx, "gebieden", f"verwacht een {niveau}code", code)
                continue
            if niveau == "regiegebied" and code not in regie_ids:
                self.add(ctx, "gebieden", "onbekend regiegebied (niet onder 'regiegebieden')", code)
            elif niveau == "warmtegebied" and code not in warmte_ids:
                self.add(
                    ctx, "gebieden", "onbekend warmtegebied (niet onder 'warmtegebieden')", code
                )
            elif niveau == "complex":
                if self.areas is not None and self.areas.known("complex", code) is False:
                    self.add(
                        ctx, "gebieden", "onbekend complex (komt niet voor in complexen)", code
                    )
            elif niveau in _CODE_RE:
                self.area_code(ctx, "gebieden", niveau, code)
            new = GebiedLink(niveau, code)
            if new in links:
                self.add(ctx, "gebieden", "dubbel gebied", new.label)
                continue
            links.append(new)
        return links
