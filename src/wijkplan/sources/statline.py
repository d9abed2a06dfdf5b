"""CBS and police open-data tables in every form they are published in.

StatLine tables (CBS Kerncijfers wijken en buurten 85984NED, the police's
47018NED/47022NED/47024NED) reach a municipality in four forms:

- the **R/OData client** CSV (``cbsodataR``): comma-separated, every text quoted, a
  leading unnamed row-number column, keys as column names (``WijkenEnBuurten``,
  ``GeregistreerdeMisdrijven_1``) plus ``*_label`` columns; codes space-padded
  (``"0.0.0 "``); ``NA`` for missing;
- the raw **TypedDataSet** CSV (``85984NED_TypedDataSet_….csv``): semicolons,
  keys as column names, codes padded, ``.`` or empty for missing;
- the **labelled** StatLine / police-portal download: semicolons, every cell
  quoted, titles as headers (``"Wijken en buurten"``, ``"Geregistreerde misdrijven
  (aantal)"``), area *names* instead of codes, ``.`` for missing and ``x`` for secret;
- **OData JSON** (``{"value": [...]}`` or ``{"d": {"results": [...]}}``), ``null`` for missing.

:func:`read_statline` reads any of them into text columns; :func:`column_key`
reduces a column name to what identifies it across years and forms (the key
without its yearly numeric suffix, or the title without its unit), so
``AantalInwoners_5`` and ``"Aantal inwoners (aantal)"`` are both recognised.
:func:`find_tables` finds such files in a data folder by their columns, not by
their names. This module only reads.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wijkplan.errors import SourceNotFoundError, ValidationError
from wijkplan.sources.validate import TextEncodingWarning

#: How a missing value is written, and what it means (shown to users in Dutch).
NOT_AVAILABLE, SECRET = "niet beschikbaar", "geheim"
_MISSING_TEXT = {
    "": NOT_AVAILABLE,
    ".": NOT_AVAILABLE,
    "NA": NOT_AVAILABLE,
    "null": NOT_AVAILABLE,
    "None": NOT_AVAILABLE,
    "nan": NOT_AVAILABLE,
    "x": SECRET,
    "X": SECRET,
}
#: CBS writes these negative sentinels in the Wijk- en Buurtkaart (real-formats.md §2).
SENTINEL_SECRET = -99997.0
SENTINEL_LIMIT = -99990.0

_SUFFIX_RE = re.compile(r"_\d+$")
_UNIT_RE = re.compile(r"\s*\([^()]*\)\s*$")


@dataclass(frozen=True)
class StatTable:
    """A published table read as text: column names as in the file, cells stripped of padding."""

    path: Path
    frame: pd.DataFrame
    #: the headers are titles ("Wijken en buurten"), not keys ("WijkenEnBuurten")
    labelled: bool

    def column(self, *keys: str) -> str | None:
        """The first column whose :func:`column_key` is one of ``keys`` (case-insensitive)."""
        wanted = {k.casefold() for k in keys}
        return next((c for c in self.frame.columns if column_key(c).casefold() in wanted), None)


def column_key(name: str) -> str:
    """What identifies a column across years and forms: key without suffix, title without unit.

    >>> column_key("AantalInwoners_5"), column_key("Geregistreerde misdrijven (aantal)")
    ('AantalInwoners', 'Geregistreerde misdrijven')
    >>> column_key("k_0Tot15Jaar_8"), column_key(" nhood_id ")
    ('k_0Tot15Jaar', 'nhood_id')
    >>> column_key("Bevolking/Aantal inwoners (aantal)")  # the StatLine download's topic path
    'Aantal inwoners'
    """
    name = name.strip().strip("'\"").strip()
    name = name.rsplit("/", 1)[-1].strip() if "/" in name else name
    if " " in name or "(" in name:
        return _UNIT_RE.sub("", name).strip()
    return _SUFFIX_RE.sub("", name)


def title_key(title: str) -> str:
    """A title as the labelled form writes it (spaces squeezed, case-folded) for matching.

    >>> title_key("Aantal  inwoners"), title_key("Personen per soort uitkering; Bijstand")
    ('aantal inwoners', 'personen per soort uitkering; bijstand')
    """
    return " ".join(title.split()).casefold()


def read_text(path: Path) -> str:
    """A published text file: UTF-8 (with or without BOM), UTF-16 ("Unicode-tekst" from
    Excel) or Windows-1252 (a re-save by Dutch Excel)."""
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1252", "latin-1"):  # latin-1 decodes any byte
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        warnings.warn(
            f"{path}: tekst is geen UTF-8; gelezen als {encoding}",
            TextEncodingWarning,
            stacklevel=2,
        )
        return text
    raise AssertionError("unreachable: latin-1 decodes any byte")  # pragma: no cover


def read_statline(path: Path | str) -> StatTable:
    """Read a published table (CSV in any of the three forms, or OData JSON) as text.

    A file that cannot be read as a table is one clear line naming it.
    """
    path = Path(path)
    if not path.is_file():
        raise SourceNotFoundError(f"{path}: bestand bestaat niet")
    text = read_text(path)
    if not text.strip():
        raise ValidationError([f"{path}: het bestand is leeg"])
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("{", "[")):
        return StatTable(path, _from_json(path, text), labelled=False)
    header = text.splitlines()[0]
    sep = ";" if header.count(";") > header.count(",") else ","
    try:
        import io

        frame = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=False
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ValidationError([f"{path}: geen leesbaar CSV-bestand ({first})"]) from exc
    frame.columns = [str(c).strip().strip("'").strip() for c in frame.columns]
    # the R client writes the row number in a first column without a name
    if len(frame.columns) and frame.columns[0] in ("", "Unnamed: 0"):
        frame = frame.drop(columns=frame.columns[0])
    frame = frame.apply(lambda s: s.str.strip())
    labelled = any(" " in c for c in frame.columns) and not any(
        _SUFFIX_RE.search(c) for c in frame.columns
    )
    return StatTable(path, frame, labelled=labelled)


def _from_json(path: Path, text: str) -> pd.DataFrame:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            [f"{path}: geen geldige JSON ({exc.msg}, regel {exc.lineno})"]
        ) from None
    records = raw.get("value", raw.get("d")) if isinstance(raw, dict) else raw
    if isinstance(records, dict) and "results" in records:
        records = records["results"]
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ValidationError(
            [f"{path}: verwacht een OData-antwoord met 'value' (een lijst van rijen)"]
        )
    frame = pd.DataFrame.from_records(records)
    frame = frame.drop(columns=[c for c in frame.columns if str(c).startswith("__")])
    return frame.apply(lambda s: s.map(_cell)).astype(object)


def _cell(value: object) -> str:
    """A JSON value as published text: null (or NaN after pandas) is empty; 12.0 is "12"."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_numbers(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers from published text, and why a value is missing (``None`` where present).

    ``.``, empty, ``NA`` and ``null`` are "niet beschikbaar"; ``x`` is "geheim"; CBS's
    negative sentinels become missing too (-99997: "geheim", other values below -99990:
    "niet beschikbaar"). A decimal comma is read. Text that is none of these is NaN
    with reason ``"geen getal"`` (the caller decides whether that is an error).

    >>> v, why = parse_numbers(pd.Series(["12", ".", "x", "-99997", "3,5", "abc"]))
    >>> v.tolist()[:1] + [why.tolist()[i] for i in (1, 2, 3, 5)], float(v.iloc[4])
    ([12.0, 'niet beschikbaar', 'geheim', 'geheim', 'geen getal'], 3.5)
    """
    s = text.astype("string").str.strip().fillna("").astype(object)
    reason = s.map(_MISSING_TEXT).astype(object)
    comma = s.str.fullmatch(r"-?\d+,\d+").astype(bool)
    numeric = pd.to_numeric(
        s.where(~comma, s.str.replace(",", ".", regex=False)), errors="coerce"
    ).astype("float64")
    secret = numeric == SENTINEL_SECRET
    sentinel = numeric < SENTINEL_LIMIT
    reason = reason.mask(secret, SECRET).mask(sentinel & ~secret, NOT_AVAILABLE)
    reason = reason.mask(numeric.isna() & reason.isna(), "geen getal")
    values = numeric.mask(sentinel).astype("float64")
    return values, reason.where(reason.notna(), None)


#: File names that say a file is a StatLine or police table (so an unreadable one is an error).
TABLE_NAME_RE = re.compile(r"\d{5}NED|typeddataset|politie|kerncijfers", re.IGNORECASE)


def _first_line(path: Path) -> str:
    """The header line of a CSV, read from its first bytes only (any published encoding)."""
    with path.open("rb") as fh:
        head = fh.read(65_536)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore")
    return text.lstrip("\ufeff").split("\n", 1)[0]


def find_tables(
    data_dir: Path,
    classify: Callable[[StatTable], str | None],
    *,
    skip: Iterable[Path] = (),
    header_tokens: Iterable[str] = (),
) -> dict[str, list[StatTable]]:
    """Every CSV/JSON file in ``data_dir`` that ``classify`` recognises, by kind.

    Files are recognised by their columns, not by their names; files ``classify``
    does not recognise (our own sample CSVs, other data) are left alone. A file that
    cannot be read at all is an error only when its name says it is a published table
    (``47018NED_TypedDataSet_….csv``, ``politie….json``). With ``header_tokens``, a CSV
    whose header line holds none of them (and whose name is not a table's) is passed by
    without reading it: a national EP-Online file is millions of lines. A ``.csv`` or
    ``.json`` that is a symlink loop is always an error (one line naming it): it is never a
    file somebody meant to leave there.
    """
    skipped = {Path(p).resolve() for p in skip}
    tokens = [t.casefold() for t in header_tokens]
    found: dict[str, list[StatTable]] = {}
    problems: list[str] = []
    for path in sorted(data_dir.iterdir()):
        if path.suffix.lower() not in (".csv", ".json"):
            continue
        try:
            resolved = path.resolve()
        except (RuntimeError, OSError) as exc:  # a symlink loop (RuntimeError before 3.13)
            problems.append(
                f"{path}: symbolische koppeling die niet naar een bestand leidt (een lus); "
                f"verwijder of herstel die ({exc.__class__.__name__})"
            )
            continue
        if resolved in skipped:
            continue
        if (
            tokens
            and path.suffix.lower() == ".csv"
            and not TABLE_NAME_RE.search(path.name)
            and not any(t in _first_line(path).casefold() for t in tokens)
        ):
            continue
        try:
            table = read_statline(path)
        except ValidationError as exc:
            if TABLE_NAME_RE.search(path.name):
                problems += exc.problems
            continue
        kind = classify(table)
        if kind is not None:
            found.setdefault(kind, []).append(table)
        elif TABLE_NAME_RE.search(path.name) and not path.name.lower().startswith("leefbaarometer"):
            problems.append(
                f"{path}: geen bekende CBS- of politietabel (geen gebiedskolom met cijfers van "
                "85984NED, of geen kolommen WijkenEnBuurten, Perioden en geregistreerde aantallen)"
            )
    if problems:
        raise ValidationError(problems)
    return found


#: Area names in labelled downloads that lie above the municipality (skipped, not errors).
COUNTRY_NAMES = ("nederland",)
_WIJK_PREFIX = re.compile(r"^wijk \d+\s+")


def codes_from_names(
    names: pd.Series,
    *,
    areas: dict[str, list[str]],
    source: str,
    field: str,
) -> tuple[pd.Series, list[str]]:
    """Area codes for area names, through the boundaries: ``areas`` maps a name to its codes.

    Labelled downloads carry names, not codes. StatLine writes a wijk as "Wijk 03
    Zegersloot" and a buurt or gemeente by its plain name, so a buurt that shares its
    wijk's name is found either way. "Nederland" is skipped (None, no problem). A name that
    matches no area, or several, is a problem naming it (at most :data:`~wijkplan.problems.
    MAX_LINES` names; the rest counted). Names are compared case- and space-insensitively.

    >>> codes, problems = codes_from_names(pd.Series(["Rietveld", "Wijk 09 Rietveld", "Onbekend"]),
    ...     areas={"rietveld": ["BU04840901", "WK048409"]}, source="f.csv", field="Wijken en buurten")
    >>> codes.tolist(), problems
    (['BU04840901', 'WK048409', None], ["f.csv, veld 'Wijken en buurten': naam komt in geen buurt of wijk voor: 'Onbekend'"])
    """
    from wijkplan.problems import MAX_LINES

    lookup = {title_key(k): v for k, v in areas.items()}
    out: list[str | None] = []
    unknown: list[str] = []
    ambiguous: dict[str, list[str]] = {}
    for name in names.astype(str):
        key = title_key(name)
        if key in COUNTRY_NAMES:
            out.append(None)
            continue
        wijk = _WIJK_PREFIX.match(key)
        if wijk:
            codes = [c for c in lookup.get(key[wijk.end() :], []) if c.startswith("WK")]
        else:
            codes = lookup.get(key, [])
            buurten = [c for c in codes if c.startswith("BU")]
            codes = buurten if len(buurten) == 1 else codes
        if len(codes) == 1:
            out.append(codes[0])
            continue
        out.append(None)
        if codes:
            ambiguous.setdefault(name, sorted(codes))
        elif name not in unknown:
            unknown.append(name)
    problems = [
        f"{source}, veld '{field}': naam is niet eenduidig ({', '.join(codes)}): {name!r}"
        for name, codes in ambiguous.items()
    ]
    problems += [
        f"{source}, veld '{field}': naam komt in geen buurt of wijk voor: {name!r}"
        for name in unknown[:MAX_LINES]
    ]
    if len(unknown) > MAX_LINES:
        problems.append(
            f"{source}, veld '{field}': en nog {len(unknown) - MAX_LINES} namen die in geen "
            "buurt of wijk voorkomen (een bestand van een andere gemeente?)"
        )
    return pd.Series(out, index=names.index, dtype=object), problems


def name_index(*frames: tuple[pd.DataFrame, str, str]) -> dict[str, list[str]]:
    """Name → codes over several (frame, code column, name column) triples."""
    out: dict[str, list[str]] = {}
    for frame, code_col, name_col in frames:
        if frame is None or name_col not in frame.columns:
            continue
        for code, name in zip(
            frame[code_col].astype(str), frame[name_col].astype(str), strict=True
        ):
            out.setdefault(title_key(name), [])
            if code not in out[title_key(name)]:
                out[title_key(name)].append(code)
    return out
