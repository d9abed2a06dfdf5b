"""PBL Startanalyse aardgasvrije buurten (2020) and its 2025 update, per buurt, as exported.

The model (Vesta MAIS; real-formats.md §5) writes one folder per run under
``Results/``; ``LN`` holds the variant with the lowest national cost per buurt.
``Hoofdindicatoren.csv`` has the strategy variant and the national costs,
``Statisch.csv`` (in the run folder or in ``Results/`` itself) the buurt facts. The
dialect: ``;``, header cells in single quotes with the unit in square brackets
(``'H18_Nat_meerkost_WEQ [Euro per Woning*yr]'``), text values in single quotes
(``'BU04840210'``, ``'True'``), NaN written ``(0/0)``, key ``BU_CODE`` (PBL reads its
first 10 characters) or ``I01_buurtcode``. Columns are matched on their code prefix
(``H18_``), never on the full name, which carries the unit. A single flat CSV with
``BU_CODE`` and ``V01_Strategievariant`` is accepted too. This module only reads.
"""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import pandas as pd

from wijkplan.errors import SourceNotFoundError, ValidationError
from wijkplan.problems import Problems
from wijkplan.settings import BUURTCODE_RE, SAMPLE_BRON
from wijkplan.sources.statline import read_text
from wijkplan.sources.validate import SourceWarning

__all__ = [
    "STRATEGIES",
    "VARIANTS",
    "find_startanalyse",
    "load_startanalyse",
]

#: Strategy groups (the digit of the variant code) and their Dutch label, per edition.
STRATEGIES: dict[int, dict[str, str]] = {
    2020: {
        "s1": "all-electric (warmtepomp)",
        "s2": "warmtenet midden/hoge temperatuur",
        "s3": "warmtenet lage temperatuur",
        "s4": "groen gas",
        "s5": "waterstof",
    },
    2025: {
        "s1": "all-electric (warmtepomp)",
        "s2": "warmtenet midden/hoge temperatuur",
        "s3": "warmtenet lage temperatuur",
        "s4": "klimaatneutraal gas",
    },
}
_COMMON = {
    "s1a": "S1a_B_luchtWP",
    "s1b": "S1b_B_bodemWP",
    "s2a": "S2a_B_Restwarmte",
    "s2b": "S2b_B_Geo_contour",
    "s2c": "S2c_B_Geo_overal",
    "s2d": "S2d_D_Restwarmte",
    "s2e": "S2e_D_Geo_contour",
    "s2f": "S2f_D_Geo_overal",
    "s3a": "S3a_B_LT30_30",
    "s3f": "S3f_D_LT30_70",
}
#: Variant codes (``V01_Strategievariant``, lower case) and their model label, per edition.
VARIANTS: dict[int, dict[str, str]] = {
    2020: {
        **_COMMON,
        "s3b": "S3b_B_LT30_70",
        "s3c": "S3c_B_BuurtWKO",
        "s3d": "S3d_B_WKO",
        "s3e": "S3e_B_TEO",
        "s3g": "S3g_D_BuurtWKO",
        "s3h": "S3h_D_TEO",
        "s4a": "S4a_GG_B_hWP",
        "s4b": "S4b_GG_B_HR",
        "s4c": "S4c_GG_D_hWP",
        "s4d": "S4d_GG_D_HR",
        "s5a": "S5a_H2_B_hWP",
        "s5b": "S5b_H2_B_HR",
        "s5c": "S5c_H2_D_hWP",
        "s5d": "S5d_H2_D_HR",
    },
    2025: {
        **_COMMON,
        "s3b": "S3b_B_WKO15_15",
        "s3c": "S3c_B_WKO15_70",
        "s3d": "S3d_B_WKO15_50",
        "s3e": "S3e_B_TEO_15_15",
        "s3g": "S3g_D_WKO15_15",
        "s3h": "S3h_D_WKO15_70",
        "s4a": "S4a_KG_B_hWP",
        "s4b": "S4b_KG_D_hWP",
    },
}
#: The variant of buurten the model leaves out.
EXCLUDED = "geen"
COLUMNS = (
    "buurtcode",
    "variant",
    "strategie_pbl",
    "variant_omschrijving",
    "nat_meerkosten_jaar",
    "nat_meerkosten_co2",
    "nat_meerkosten_weq",
    "woningen",
    "woningequivalenten",
    "uitgesloten",
    "editie",
    "bron",
)
#: Our column, the code prefix of the published one, and what it is (for messages).
_NUMBERS = {
    "nat_meerkosten_jaar": "H16_",
    "nat_meerkosten_co2": "H17_",
    "nat_meerkosten_weq": "H18_",
    "woningen": "I09_",
    "woningequivalenten": "I11_",
}
_NAN = ("", "(0/0)", "nan", "-nan", "nan(ind)", "-nan(ind)", "1.#qnan", "null", "na")
_UNIT_RE = re.compile(r"\s*\[[^\]]*\]\s*$")
_QUOTED_RE = r"^'(.*)'$"
_VARIANT_RE = re.compile(r"^(s\d[a-z])(?:_|$)")
_KEYS = ("bu_code", "i01_buurtcode")
_VARIANT_PREFIX = "v01_"
#: Column prefixes that only one edition writes.
_EDITION_MARKS = {
    2025: (
        "h10_input_klimaatneutraal",
        "h19_waarde_klimaatneutraal",
        "h20_toekenning",
        "h21_",
        "i14_",
    ),
    2020: ("h10_input_duurzaamgas", "h19_waarde_hernieuwbaar", "h20_beschikbaarheid"),
}


def _header_cells(line: str, sep: str) -> list[str]:
    cells = [c.strip().strip("'\"").strip() for c in line.split(sep)]
    return [_UNIT_RE.sub("", c) for c in cells]


def _read_model_csv(path: Path, problems: Problems) -> pd.DataFrame:
    """A model CSV as text: quotes stripped, units cut from the headers, NaN spellings kept."""
    text = read_text(path).lstrip("\ufeff")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise ValidationError([f"{path}: het bestand is leeg"])
    sep = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    names = _header_cells(lines[0], sep)
    if '"' in lines[0]:  # re-saved by a spreadsheet: ordinary CSV quoting
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
        frame.columns = pd.Index(_header_cells(sep.join(map(str, frame.columns)), sep))
    else:
        # the model quotes text with ' and never escapes: split on the separator (names
        # such as 's-Gravenzande keep their apostrophe)
        rows = [line.split(sep) for line in lines[1:]]
        width = len(names)
        for number, row in enumerate(rows, start=2):
            if len(row) != width and not (len(row) == width + 1 and row[-1].strip() == ""):
                problems.add(None, f"{len(row)} velden, verwacht {width}", line=number)
        problems.raise_if_any()
        frame = pd.DataFrame([row[:width] for row in rows], columns=names, dtype="string")
    frame = frame.astype("string")
    for col in frame.columns:
        frame[col] = frame[col].str.strip().str.replace(_QUOTED_RE, r"\1", regex=True).str.strip()
    return frame


def _column(frame: pd.DataFrame, *prefixes: str) -> str | None:
    """The first column whose name starts with one of ``prefixes`` (case-insensitive)."""
    for prefix in prefixes:
        hit = next((c for c in frame.columns if str(c).casefold().startswith(prefix)), None)
        if hit is not None:
            return str(hit)
    return None


def _key_column(frame: pd.DataFrame) -> str | None:
    return next((str(c) for c in frame.columns if str(c).casefold() in _KEYS), None)


def _is_result(frame_or_names: pd.DataFrame | list[str]) -> bool:
    names = [str(c).casefold() for c in frame_or_names]
    return any(n in _KEYS for n in names) and any(n.startswith(_VARIANT_PREFIX) for n in names)


def _named(folder: Path, name: str) -> Path | None:
    """``folder/name`` in any case (``statisch.csv`` after a copy on Windows)."""
    if not folder.is_dir():
        return None
    return next(
        (p for p in sorted(folder.iterdir()) if p.is_file() and p.name.casefold() == name), None
    )


def _ln_folder(root: Path) -> Path | None:
    """The LN run folder under ``root`` (``root/LN`` or ``root/Results/LN``)."""
    for folder in (root, root / "Results", root / "results"):
        if not folder.is_dir():
            continue
        ln = next((p for p in folder.iterdir() if p.is_dir() and p.name.casefold() == "ln"), None)
        if ln is not None and _named(ln, "hoofdindicatoren.csv") is not None:
            return ln
    return None


def _flat_header(path: Path) -> list[str]:
    try:
        with path.open("rb") as fh:
            head = fh.read(64 * 1024)
    except OSError:
        return []
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    first = head.decode("utf-8", errors="replace").splitlines()[:1]
    if not first:
        return []
    sep = ";" if first[0].count(";") >= first[0].count(",") else ","
    return _header_cells(first[0], sep)


def find_startanalyse(data_dir: Path) -> Path | None:
    """The Startanalyse results in ``data_dir``: a folder holding ``LN/Hoofdindicatoren.csv``
    (also under ``Results/``), or a flat CSV with ``BU_CODE`` and ``V01_Strategievariant``.

    Returns the folder (the root above ``LN``) or the file, else None. More than one is
    one line naming them.
    """
    found: list[Path] = []
    for path in sorted(data_dir.rglob("*")):
        is_main = path.is_file() and path.name.casefold() == "hoofdindicatoren.csv"
        if is_main and path.parent.name.casefold() == "ln":
            root = path.parent.parent
            if root.name.casefold() == "results" and root != data_dir:
                root = root.parent
            found.append(root)
    for path in sorted(data_dir.glob("*.csv")):
        if path.name.casefold() != "hoofdindicatoren.csv" and _is_result(_flat_header(path)):
            found.append(path)
    found = list(dict.fromkeys(found))
    if len(found) > 1:
        names = ", ".join(str(p.relative_to(data_dir)) or "." for p in found)
        raise ValidationError(
            [f"{data_dir}: meer dan één PBL Startanalyse ({names}); laat er één staan"]
        )
    return found[0] if found else None


def _files(path: Path) -> tuple[Path, Path | None, str]:
    """The results file, the Statisch file (or None) and the label of the source."""
    if path.is_dir():
        ln = _ln_folder(path)
        main = ln / "hoofdindicatoren.csv" if ln else path / "hoofdindicatoren.csv"
        main = _named(main.parent, "hoofdindicatoren.csv") or main
        if not main.is_file():
            raise ValidationError(
                [f"{path}: geen LN/Hoofdindicatoren.csv gevonden (de map met de modelresultaten)"]
            )
        label = f"{path.name}/{main.parent.name}" if ln else path.name
    else:
        if not path.is_file():
            raise SourceNotFoundError(f"{path}: bestand bestaat niet")
        main, label = path, path.name
    folder = main.parent
    statisch = None
    for candidate in (folder, folder.parent, folder.parent.parent):
        statisch = _named(candidate, "statisch.csv")
        if statisch is not None and statisch != main:
            break
        statisch = None
    return main, statisch, label


def _numbers(frame: pd.DataFrame, col: str, codes: pd.Series, problems: Problems) -> pd.Series:
    """Numbers; ``(0/0)``/``NaN`` (no valid combination) are NA, never 0; text a problem."""
    text = frame[col].astype("string")
    nan = (text.isna() | text.str.strip().str.casefold().isin(_NAN)).fillna(True).astype(bool)
    values = pd.to_numeric(text.where(~nan), errors="coerce")
    bad = ~nan & (values.isna() | ~values.abs().lt(float("inf")))
    problems.add_capped(
        col,
        "geen getal",
        [f"{c}: {v}" for c, v in zip(codes[bad], text[bad], strict=True)],
    )
    return values.where(~bad).astype("Float64")


def _flags(frame: pd.DataFrame, col: str, codes: pd.Series, problems: Problems) -> pd.Series:
    text = frame[col].astype("string").str.strip().str.casefold()
    true = text.isin(["true", "1", "ja", "waar"]).fillna(False).astype(bool)
    false = (text.isna() | text.isin(["false", "0", "nee", "onwaar", *_NAN])).astype(bool)
    bad = ~true & ~false
    problems.add_capped(
        col,
        "geen True/False",
        [f"{c}: {v}" for c, v in zip(codes[bad], frame[col][bad], strict=True)],
    )
    return true


def _facts(frame: pd.DataFrame, codes: pd.Series, problems: Problems) -> pd.DataFrame:
    """Homes, dwelling equivalents and exclusion (I09, I11, I13, I02) of a Statisch table."""
    out = pd.DataFrame(index=frame.index)
    for ours in ("woningen", "woningequivalenten"):
        col = _column(frame, _NUMBERS[ours].casefold())
        out[ours] = (
            _numbers(frame, col, codes, problems)
            if col is not None
            else pd.Series(pd.NA, index=frame.index, dtype="Float64")
        )
    excluded = pd.Series(False, index=frame.index)
    flag_col = _column(frame, "i13_")
    if flag_col is not None:
        excluded |= _flags(frame, flag_col, codes, problems)
    name_col = _column(frame, "i02_")
    if name_col is not None:
        excluded |= frame[name_col].str.strip().str.upper().eq("UITGESLOTEN").fillna(False)
    out["_uitgesloten"] = excluded.astype(bool)
    return out


def _edition(columns: list[str], variants: pd.Series) -> int | None:
    folded = [c.casefold() for c in columns]
    for year, marks in _EDITION_MARKS.items():
        if any(n.startswith(marks) for n in folded):
            return year
    only_2020 = set(VARIANTS[2020]) - set(VARIANTS[2025])
    if variants.isin(only_2020).any():
        return 2020
    return None


def load_startanalyse(
    path: Path | str, *, editie: int | None = None, gemeente: str | None = None
) -> pd.DataFrame:
    """One row per buurt from the Startanalyse results (the ``LN`` folder's root, the LN
    folder itself, ``Hoofdindicatoren.csv``, or a flat CSV).

    Returns ``buurtcode``, ``variant`` (lower-case code such as ``s3e``; ``geen`` for an
    excluded buurt), ``strategie_pbl`` (the strategy group in Dutch; NA for ``geen``),
    ``variant_omschrijving`` (the model's label, e.g. ``S3e_B_TEO``),
    ``nat_meerkosten_jaar`` (H16, EUR/jr), ``nat_meerkosten_co2`` (H17, EUR/t CO₂),
    ``nat_meerkosten_weq`` (H18, EUR/WEQ/jr), ``woningen`` (I09) and
    ``woningequivalenten`` (I11) (Float64; ``(0/0)`` is NA, never 0; NA for an excluded
    buurt, for which the model writes 0), ``uitgesloten``
    (I13, ``I02_buurtnaam == 'UITGESLOTEN'`` or variant ``geen``), ``editie`` (2020 or
    2025, from the columns or ``editie``; NA when it cannot be told) and ``bron``.
    ``gemeente`` (``GM0484``) keeps that municipality's buurten. An unknown variant, a
    malformed or repeated buurtcode and text where a number belongs are one line each.
    """
    path = Path(path)
    main, statisch_path, label = _files(path)
    problems = Problems(str(main))
    frame = _read_model_csv(main, problems)
    key = _key_column(frame)
    variant_col = _column(frame, _VARIANT_PREFIX)
    if key is None:
        problems.add("BU_CODE", "verplichte kolom ontbreekt (of I01_buurtcode)")
    if variant_col is None:
        problems.add("V01_Strategievariant", "verplichte kolom ontbreekt")
    for ours, prefix in list(_NUMBERS.items())[:3]:
        if _column(frame, prefix.casefold()) is None:
            problems.add(f"{prefix}…", f"verplichte kolom ontbreekt ({ours})")
    problems.raise_if_any()
    assert key is not None and variant_col is not None

    codes = frame[key].str.strip().str.upper().str[:10]
    _check_codes(codes, frame[key], key, problems)
    notes: list[str] = []  # warned once the file is known to be valid
    if _column(frame, "i09_") is not None or statisch_path is None:
        facts = _facts(frame, codes, problems)  # a flat file carries the buurt facts itself
        if statisch_path is None and _column(frame, "i09_") is None:
            notes.append(
                f"{main}: geen Statisch.csv gevonden; woningen, woningequivalenten en "
                "uitsluiting blijven leeg of volgen alleen uit de variant"
            )
    else:
        s_problems = Problems(str(statisch_path))
        statisch = _read_model_csv(statisch_path, s_problems)
        s_key = _key_column(statisch)
        if s_key is None:
            s_problems.add("BU_CODE", "verplichte kolom ontbreekt (of I01_buurtcode)")
            s_problems.raise_if_any()
        assert s_key is not None
        s_codes = statisch[s_key].str.strip().str.upper().str[:10]
        _check_codes(s_codes, statisch[s_key], s_key, s_problems)
        s_facts = _facts(statisch, s_codes, s_problems).set_index(s_codes.to_numpy())
        problems.extend(s_problems.items)
        s_facts = s_facts[~s_facts.index.duplicated()]
        facts = s_facts.reindex(codes.to_numpy()).set_axis(frame.index)
        absent = codes[~codes.isin(s_facts.index)]
        if len(absent):
            notes.append(
                f"{statisch_path}: {len(absent)} buurten uit {main.name} staan er niet in "
                f"({', '.join(absent.astype(str).tolist()[:5])}); hun woningen blijven leeg"
            )
    raw_variant = frame[variant_col].str.strip()
    variant = raw_variant.str.casefold()
    variant = variant.str.extract(_VARIANT_RE.pattern)[0].fillna(variant).astype("string")
    year = editie or _edition(list(frame.columns), variant)
    known = set(VARIANTS[year]) if year else set(VARIANTS[2020]) | set(VARIANTS[2025])
    unknown = variant.notna() & ~variant.isin([*known, EXCLUDED])
    expected = f"Startanalyse {year}" if year else "Startanalyse 2020 of 2025"
    problems.add_capped(
        variant_col,
        f"onbekende strategievariant (verwacht een code van de {expected}, bijv. s1a of s3e)",
        [f"{c}: {v}" for c, v in zip(codes[unknown], raw_variant[unknown], strict=True)],
    )
    numbers = {}
    for ours, prefix in list(_NUMBERS.items())[:3]:
        col = _column(frame, prefix.casefold())
        assert col is not None
        numbers[ours] = _numbers(frame, col, codes, problems)
    excluded = variant.eq(EXCLUDED).fillna(False).astype(bool)
    excluded |= facts["_uitgesloten"].fillna(False).astype(bool)
    for ours in ("woningen", "woningequivalenten"):
        numbers[ours] = facts[ours]
    problems.raise_if_any()
    for note in notes:
        warnings.warn(note, SourceWarning, stacklevel=2)
    if year is None:
        warnings.warn(
            f"{main}: niet te zien of dit de Startanalyse 2020 of 2025 is; omschrijvingen die "
            "per editie verschillen blijven leeg (geef editie= op)",
            SourceWarning,
            stacklevel=2,
        )
        labels = {c: v for c, v in VARIANTS[2020].items() if VARIANTS[2025].get(c) == v}
        groups = {g: v for g, v in STRATEGIES[2020].items() if STRATEGIES[2025].get(g) == v}
    else:
        labels, groups = VARIANTS[year], STRATEGIES[year]
    for ours in ("woningen", "woningequivalenten"):  # the model writes 0 for an excluded buurt
        numbers[ours] = numbers[ours].mask(excluded)
    bron = pd.Series(f"PBL Startanalyse ({label})", index=frame.index, dtype="string")
    if "bron" in frame.columns and frame["bron"].str.startswith(SAMPLE_BRON).fillna(False).all():
        bron = frame["bron"].astype("string")
    out = pd.DataFrame(
        {
            "buurtcode": codes.astype("string"),
            "variant": variant,
            "strategie_pbl": variant.str[:2].map(groups).astype("string"),
            "variant_omschrijving": variant.map(labels).astype("string"),
            **numbers,
            "uitgesloten": excluded.astype(bool),
            "editie": pd.Series(year, index=frame.index, dtype="Int64"),
            "bron": bron,
        }
    )
    if gemeente is not None:
        out = out[out["buurtcode"].str[2:6].eq(gemeente.strip().upper()[-4:]).fillna(False)]
    return out[list(COLUMNS)].reset_index(drop=True)


def _check_codes(codes: pd.Series, raw: pd.Series, field: str, problems: Problems) -> None:
    good = codes.str.match(BUURTCODE_RE).fillna(False).astype(bool)
    problems.add_grouped(field, "onjuist gevormde buurtcode", list(raw[~good].astype(str)))
    dup = codes[good & codes.duplicated()]
    problems.add_capped(field, "buurt komt twee keer voor", sorted(set(dup.astype(str))))
