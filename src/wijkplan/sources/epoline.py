"""EP-Online energy labels (RVO): the monthly open-data bulk file, as published.

The bulk file (real-formats.md §6a) is a ``;``-separated CSV with ``Pand_…`` columns,
published monthly as a zip holding one CSV (``v20231101_v2_csv.csv``). Newer
"totaalbestand" variants start with preamble lines (``PublicatieDatum;…``,
``LaatstVerwerkteMutatievolgnummer;…``) before the header and may write decimal
commas; older files call ``Pand_energieindex`` ``Pand_energieprestatieindex``; the
2023 files spell the address and floor-area columns differently
(``Pand_huisnummertoevoeging``, ``Pand_gebruiksoppervlakte_thermische_zone``). Dates
are ``YYYYMMDD``. Files are recognised by their header (:func:`find_epoline`), not
their names.

The national file has about five million rows: it is streamed (from the zip without
extracting it) with pyarrow's multithreaded CSV reader when pyarrow is installed,
else pandas' C parser, reading only the columns used, as text, with vectorised checks.
This module only reads.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from wijkplan.errors import SourceNotFoundError, ValidationError
from wijkplan.problems import MAX_LINES, Problems
from wijkplan.settings import SAMPLE_BRON
from wijkplan.sources.validate import SourceWarning

__all__ = ["LABEL_CLASSES", "find_epoline", "load_epoline"]

#: NTA 8800 label classes, best first (labels before 2021 use a subset: A++ … G).
LABEL_CLASSES = ("A++++", "A+++", "A++", "A+", "A", "B", "C", "D", "E", "F", "G")

#: The two columns that make a header line an EP-Online header.
_KEY_COLUMNS = ("Pand_energieklasse", "Pand_bagverblijfsobjectid")
#: Columns a label cannot be used without.
_REQUIRED = (
    "Pand_bagverblijfsobjectid",
    "Pand_energieklasse",
    "Pand_opnamedatum",
    "Pand_gebouwklasse",
)
#: Our name for a published column; alternatives (older or newer headers) in order of preference.
_OPTIONAL: dict[str, tuple[str, ...]] = {
    "status": ("Pand_status",),
    "registratiedatum": ("Pand_registratiedatum",),
    "pand_id": ("Pand_bagpandid",),
    "berekeningstype": ("Pand_berekeningstype",),
    "postcode": ("Pand_postcode",),
    "huisnummer": ("Pand_huisnummer",),
    "energieindex": ("Pand_energieindex", "Pand_energieprestatieindex"),
    "gebruiksoppervlakte": (
        "Pand_gebruiksoppervlakte",
        "Pand_gebruiksoppervlakte_thermische_zone",
    ),
    "ligplaats": ("Pand_bagligplaatsid",),
    "standplaats": ("Pand_bagstandplaatsid",),
}
#: Returned columns, in order.
COLUMNS = (
    "vbo_id",
    "pand_id",
    "energieklasse",
    "opnamedatum",
    "registratiedatum",
    "gebouwklasse",
    "berekeningstype",
    "postcode",
    "huisnummer",
    "energieindex",
    "gebruiksoppervlakte",
    "bron",
)
#: How far into a file the header may be (preamble lines before it).
_HEADER_SEARCH_LINES = 50
_PEEK_BYTES = 256 * 1024
_BAG_ID_RE = r"\d{16}"
_VBO_PREFIX_RE = r"(?i)^NL\.IMBAG\.VERBLIJFSOBJECT\."
_PAND_PREFIX_RE = r"(?i)^NL\.IMBAG\.PAND\."
_EMPTY = ("", "NULL", "null", "None", "nan", "NaN")


def _cells(line: str) -> list[str]:
    return [c.strip().strip("\"'").strip() for c in line.split(";")]


def _encoding(head: bytes) -> str:
    """The encoding of a published text file from its first bytes (BOM; else UTF-8)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    return "utf-8"


def _header_index(head: bytes) -> tuple[int, list[str], int] | None:
    """(line number of the header, 0-based; its cells; cells in the first data line)."""
    text = head.decode(_encoding(head), errors="replace").lstrip("\ufeff")
    lines = text.splitlines()[:_HEADER_SEARCH_LINES]
    for i, line in enumerate(lines):
        cells = _cells(line)
        folded = {c.casefold() for c in cells}
        if all(k.casefold() in folded for k in _KEY_COLUMNS):
            data = lines[i + 1] if i + 1 < len(lines) else ""
            return i, cells, len(data.split(";")) if data.strip() else len(cells)
    return None


def _csv_members(archive: zipfile.ZipFile) -> list[str]:
    return [
        n
        for n in archive.namelist()
        if n.lower().endswith(".csv") and not n.startswith("__MACOSX/") and not n.endswith("/")
    ]


@contextmanager
def _open(path: Path, member: str | None) -> Iterator[IO[bytes]]:
    """The bytes of a CSV file, or of one CSV inside a zip (streamed, not extracted)."""
    if member is None:
        with path.open("rb") as fh:
            yield fh
    else:
        with zipfile.ZipFile(path) as archive, archive.open(member) as fh:
            yield fh


def _peek(path: Path, member: str | None) -> bytes:
    with _open(path, member) as fh:
        return fh.read(_PEEK_BYTES)


def _matching_members(path: Path) -> list[str]:
    """CSV members of a zip whose header is an EP-Online header."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = _csv_members(archive)
    except (zipfile.BadZipFile, OSError):
        return []
    return [m for m in members if _header_index(_peek(path, m)) is not None]


def find_epoline(data_dir: Path) -> Path | None:
    """The EP-Online bulk file in ``data_dir`` (a ``.csv``, or a ``.zip`` holding it), else None.

    Recognised by its header line (after an optional preamble), which names
    ``Pand_energieklasse`` and ``Pand_bagverblijfsobjectid``, not by its name. More
    than one such file is one line naming them: a build never picks one silently.
    """
    found: list[Path] = []
    for path in sorted(data_dir.iterdir()):
        if not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix == ".csv":
            if _header_index(_peek(path, None)) is not None:
                found.append(path)
        elif suffix == ".zip" and _matching_members(path):
            found.append(path)
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise ValidationError(
            [f"{data_dir}: meer dan één EP-Online-bestand ({names}); laat er één staan"]
        )
    return found[0] if found else None


def _read_columns(
    path: Path,
    member: str | None,
    *,
    skip: int,
    names: list[str],
    usecols: list[str],
    encoding: str,
) -> pd.DataFrame:
    """Read ``usecols`` (as text, empty cells as "") from the data lines after ``skip`` lines."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:  # pyarrow is optional: pandas' C parser, slower
        with _open(path, member) as fh:
            return pd.read_csv(
                fh,
                sep=";",
                header=None,
                names=names,
                skiprows=skip,
                usecols=usecols,
                dtype=str,
                keep_default_na=False,
                index_col=False,
                encoding=encoding,
            )
    with _open(path, member) as fh:
        table = pacsv.read_csv(
            fh,
            read_options=pacsv.ReadOptions(
                skip_rows=skip, column_names=names, encoding=encoding.replace("-sig", "")
            ),
            parse_options=pacsv.ParseOptions(delimiter=";"),
            convert_options=pacsv.ConvertOptions(
                include_columns=usecols,
                column_types={c: pa.string() for c in usecols},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    # pandas' nullable string type backed by the same Arrow buffers (no copy, NA for missing)
    string = pd.StringDtype("pyarrow")
    return table.to_pandas(types_mapper={pa.string(): string}.get)


def _read(path: Path, member: str | None, source: str) -> tuple[pd.DataFrame, int]:
    """The published columns we use, as text, and the line number of the first data row."""
    head = _peek(path, member)
    if not head.strip():
        raise ValidationError([f"{source}: het bestand is leeg"])
    found = _header_index(head)
    if found is None:
        raise ValidationError(
            [
                f"{source}: geen EP-Online-kopregel gevonden (verwacht een regel met "
                f"{' en '.join(_KEY_COLUMNS)} in de eerste {_HEADER_SEARCH_LINES} regels)"
            ]
        )
    index, header, data_cells = found
    # canonical spelling (the published case) for every column we know
    known = {c.casefold(): c for c in (*_REQUIRED, *sum(_OPTIONAL.values(), ()), "bron")}
    names = [known.get(c.casefold(), c) or f"_leeg_{i}" for i, c in enumerate(header)]
    seen: set[str] = set()
    for i, n in enumerate(names):  # a name given twice would break the reader
        if n in seen:
            names[i] = f"{n}_{i}"
        seen.add(names[i])
    # a trailing ";" on every data line is one unnamed column more
    names += [f"_extra_{i}" for i in range(max(0, data_cells - len(names)))]
    problems = Problems(source)
    for col in _REQUIRED:
        if col not in names:
            problems.add(col, "verplichte kolom ontbreekt")
    problems.raise_if_any()
    wanted = [*_REQUIRED, *sum(_OPTIONAL.values(), ()), "bron"]
    usecols = [c for c in names if c in wanted]
    encoding = _encoding(head)
    try:
        frame = _read_columns(
            path, member, skip=index + 1, names=names, usecols=usecols, encoding=encoding
        )
    except (UnicodeDecodeError, ValueError) as exc:
        # pyarrow's ArrowInvalid is a ValueError; invalid UTF-8: a re-save by Dutch Excel
        if encoding != "utf-8" or "utf" not in str(exc).casefold():
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ValidationError([f"{source}: geen leesbaar CSV-bestand ({first})"]) from exc
        try:
            frame = _read_columns(
                path, member, skip=index + 1, names=names, usecols=usecols, encoding="cp1252"
            )
        except ValueError as again:
            first = str(again).strip().splitlines()[0]
            raise ValidationError([f"{source}: geen leesbaar CSV-bestand ({first})"]) from again
    return frame, index + 2


def _text(frame: pd.DataFrame, our: str) -> pd.Series:
    """A published column (first present alternative) stripped, empty as NA; all NA when absent."""
    for col in _OPTIONAL.get(our, (our,)):
        if col in frame.columns:
            s = frame[col].astype("string").str.strip()
            return s.mask(s.isin(_EMPTY))
    return pd.Series(pd.NA, index=frame.index, dtype="string")


def _report_rows(
    problems: Problems, field: str, message: str, bad: pd.Series, values: pd.Series, first: int
) -> None:
    """One line per bad row (value and line number) for the first rows; the rest counted."""
    rows = np.flatnonzero(bad.to_numpy())
    for r in rows[:MAX_LINES]:
        problems.add(field, message, values.iloc[r], line=int(first + bad.index[r]))
    if len(rows) > MAX_LINES:
        problems.add(field, f"{message}: en nog {len(rows) - MAX_LINES} rijen")


def _dates(text: pd.Series, field: str, problems: Problems, first: int) -> pd.Series:
    """``YYYYMMDD`` (also ``YYYY-MM-DD`` of a re-save) as datetime; empty is NaT."""
    compact = pd.to_datetime(text, format="%Y%m%d", errors="coerce")
    out = compact.astype("datetime64[ns]")
    todo = out.isna() & text.notna()
    if todo.any():
        iso = pd.to_datetime(text[todo].str[:10], format="%Y-%m-%d", errors="coerce")
        out[todo] = iso.astype("datetime64[ns]")
    _report_rows(
        problems,
        field,
        "geen geldige datum (verwacht JJJJMMDD)",
        text.notna() & out.isna(),
        text,
        first,
    )
    return out


def _numbers(text: pd.Series, field: str, problems: Problems, first: int) -> pd.Series:
    """Decimal point or decimal comma; empty is NA (never 0); anything else a problem."""
    plain = text.str.fullmatch(r"-?\d{1,12}(?:[.,]\d+)?").fillna(False).astype(bool)
    values = text.where(plain).str.replace(",", ".", regex=False).astype("Float64")
    _report_rows(problems, field, "geen getal", text.notna() & ~plain, text, first)
    return values


def _bag_ids(text: pd.Series, prefix: str, field: str, problems: Problems, first: int) -> pd.Series:
    """16-digit BAG ids; an ``NL.IMBAG.…`` prefix is stripped; other text is a problem."""
    prefixed = text.str.startswith(("NL", "nl")).fillna(False).astype(bool)
    ids = text.str.replace(prefix, "", regex=True) if prefixed.any() else text
    # a BAG id has 16 digits; a spreadsheet drops its leading zeros ("0484…" → "484…"), which
    # are restored exactly, as the BAG loader does for a numeric identificatie
    short = ids.str.fullmatch(r"\d{12,15}").fillna(False).astype(bool)
    if short.any():
        ids = ids.where(~short, ids.str.zfill(16))
        warnings.warn(
            f"{problems.source}, veld '{field}': {int(short.sum())} BAG-ids zonder voorloopnullen "
            "(bijv. opgeslagen door Excel) aangevuld tot 16 cijfers",
            SourceWarning,
            stacklevel=3,
        )
    good = ids.str.fullmatch(_BAG_ID_RE).fillna(False).astype(bool)
    bad = ids.notna() & ~good
    _report_rows(problems, field, "geen BAG-id van 16 cijfers", bad, text, first)
    return ids.where(good)


def _latest_rows(
    vbo: pd.Series, opname: pd.Series, registratie: pd.Series, use: pd.Series
) -> np.ndarray:
    """Positions of the last row per ``vbo_id`` by ``opnamedatum``, then
    ``registratiedatum``, then file order (NaT oldest), sorted by ``vbo_id``.

    One integer key per row (days of both dates and the row's place) and a hashed
    group maximum: linear in the number of rows, not a sort of millions of strings.
    """
    pos = np.flatnonzero(use.to_numpy())
    if len(pos) == 0:
        return pos
    ids = vbo.iloc[pos].astype("int64").to_numpy()
    origin = np.datetime64("1800-01-01", "D")

    def days(dates: pd.Series) -> np.ndarray:
        d = dates.iloc[pos].to_numpy(dtype="datetime64[D]")
        out = (d - origin).astype("int64") + 1
        return np.where(np.isnat(d), 0, np.clip(out, 1, (1 << 17) - 1))

    if len(pos) < (1 << 23):
        key = (days(opname) << 40) | (days(registratie) << 23) | np.arange(len(pos))
        best = pd.Series(key).groupby(ids, sort=True).max().to_numpy()
        return pos[best & ((1 << 23) - 1)]
    order = np.lexsort((np.arange(len(pos)), days(registratie), days(opname), ids))
    ordered = ids[order]
    last = np.r_[ordered[1:] != ordered[:-1], True]
    return pos[order[last]]


def load_epoline(path: Path | str, *, gebouwklasse: str | None = "W") -> pd.DataFrame:
    """The latest energy label per verblijfsobject from an EP-Online bulk file (CSV or zip).

    Returns one row per ``vbo_id`` with ``vbo_id`` (16 digits, ``NL.IMBAG…`` prefix
    stripped), ``pand_id`` (16 digits or NA), ``energieklasse`` (one of
    :data:`LABEL_CLASSES`), ``opnamedatum`` and ``registratiedatum`` (datetime64, NaT
    when empty), ``gebouwklasse``, ``berekeningstype``, ``postcode`` (upper case, no
    space), ``huisnummer`` (Int64), ``energieindex`` and ``gebruiksoppervlakte``
    (Float64; decimal comma read; NA when empty, never 0) and ``bron``.

    Rows with ``Pand_status`` ``Vergunningsaanvraag`` (a permit calculation, not a
    registered label) are skipped, and only ``Pand_gebouwklasse == gebouwklasse`` is
    kept (``"W"`` homes, ``"U"`` utility, ``None`` both). The latest label wins by
    ``opnamedatum``, then ``registratiedatum``, then file order. Labels of a ligplaats
    or standplaats (no verblijfsobject id) are not verblijfsobject labels and are left
    out; labels without any BAG id and labels without a class are left out with a
    warning. A malformed BAG id, an unreadable date or number and a label class outside
    A++++ … G are one line each (with the line number), all raised together.
    """
    path = Path(path)
    if not path.is_file():
        raise SourceNotFoundError(f"{path}: bestand bestaat niet")
    member: str | None = None
    source = str(path)
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                members = _csv_members(archive)
        except zipfile.BadZipFile as exc:
            raise ValidationError([f"{path}: geen leesbaar zip-bestand ({exc})"]) from exc
        matching = _matching_members(path)
        if len(matching) > 1:
            raise ValidationError(
                [f"{path}: meer dan één EP-Online-bestand in de zip ({', '.join(matching)})"]
            )
        if not matching and len(members) != 1:
            raise ValidationError(
                [f"{path}: geen EP-Online-bestand in de zip (CSV-bestanden: {members or 'geen'})"]
            )
        member = matching[0] if matching else members[0]
        source = f"{path}/{member}"
    raw, first = _read(path, member, source)
    problems = Problems(source)
    status = _text(raw, "status")
    klasse = _text(raw, "Pand_gebouwklasse").str.upper()
    keep = ~status.str.lower().eq("vergunningsaanvraag").fillna(False).astype(bool)
    if gebouwklasse is not None:
        keep &= klasse.eq(gebouwklasse.upper()).fillna(False).astype(bool)
    vbo_text = _text(raw, "Pand_bagverblijfsobjectid")
    no_vbo = vbo_text.isna()
    elsewhere = _text(raw, "ligplaats").notna() | _text(raw, "standplaats").notna()
    no_id = keep & no_vbo & ~elsewhere
    label = _text(raw, "Pand_energieklasse").str.upper().str.replace(" ", "", regex=False)
    no_label = keep & ~no_vbo & label.isna()
    # rows are never filtered before the end (a take of every text column is costly for
    # millions of rows): values outside ``use`` are masked, so they raise no problem
    use = (keep & ~no_vbo & ~no_label).astype(bool)

    def only(text: pd.Series) -> pd.Series:
        return text.where(use)

    vbo = _bag_ids(only(vbo_text), _VBO_PREFIX_RE, "Pand_bagverblijfsobjectid", problems, first)
    pand = _bag_ids(only(_text(raw, "pand_id")), _PAND_PREFIX_RE, "Pand_bagpandid", problems, first)
    label = only(label)
    _report_rows(
        problems,
        "Pand_energieklasse",
        f"onbekende energieklasse (verwacht {', '.join(LABEL_CLASSES)})",
        use & ~label.isin(LABEL_CLASSES),
        label,
        first,
    )
    opname = _dates(only(_text(raw, "Pand_opnamedatum")), "Pand_opnamedatum", problems, first)
    registratie = _dates(
        only(_text(raw, "registratiedatum")), "Pand_registratiedatum", problems, first
    )
    huisnummer_text = only(_text(raw, "huisnummer"))
    whole = huisnummer_text.str.fullmatch(r"\d{1,6}").fillna(False).astype(bool)
    _report_rows(
        problems,
        "Pand_huisnummer",
        "geen huisnummer",
        huisnummer_text.notna() & ~whole,
        huisnummer_text,
        first,
    )
    index_field = next(
        (c for c in _OPTIONAL["energieindex"] if c in raw.columns), "Pand_energieindex"
    )
    area_field = next(
        (c for c in _OPTIONAL["gebruiksoppervlakte"] if c in raw.columns),
        "Pand_gebruiksoppervlakte",
    )
    energieindex = _numbers(only(_text(raw, "energieindex")), index_field, problems, first)
    oppervlakte = _numbers(only(_text(raw, "gebruiksoppervlakte")), area_field, problems, first)
    problems.raise_if_any()

    if int(no_id.sum()):
        warnings.warn(
            f"{source}: {int(no_id.sum())} labels zonder BAG-id (verblijfsobject, ligplaats of "
            "standplaats) overgeslagen",
            SourceWarning,
            stacklevel=2,
        )
    if int(no_label.sum()):
        warnings.warn(
            f"{source}: {int(no_label.sum())} labels zonder energieklasse overgeslagen",
            SourceWarning,
            stacklevel=2,
        )
    missing = [alts[0] for alts in _OPTIONAL.values() if not any(c in raw.columns for c in alts)]
    if missing:
        warnings.warn(
            f"{source}: kolommen ontbreken, die velden blijven leeg: {', '.join(missing)}",
            SourceWarning,
            stacklevel=2,
        )

    rows = _latest_rows(vbo, opname, registratie, use)
    given = _text(raw, "bron")
    if "bron" in raw.columns and given[use].str.startswith(SAMPLE_BRON).fillna(False).all():
        bron = given.iloc[rows]
    else:
        bron = pd.Series(f"EP-Online (RVO), {path.name}", index=rows, dtype="string")
    columns = {
        "vbo_id": vbo,
        "pand_id": pand,
        "energieklasse": label,
        "opnamedatum": opname,
        "registratiedatum": registratie,
        "gebouwklasse": klasse,
        "berekeningstype": _text(raw, "berekeningstype"),
        "postcode": _text(raw, "postcode").str.upper().str.replace(" ", "", regex=False),
        "huisnummer": huisnummer_text.where(whole).astype("Int64"),
        "energieindex": energieindex,
        "gebruiksoppervlakte": oppervlakte,
    }
    frame = pd.DataFrame(
        {name: col.iloc[rows].reset_index(drop=True) for name, col in columns.items()}
    )
    frame["bron"] = bron.reset_index(drop=True).astype("string")
    return frame[list(COLUMNS)]
