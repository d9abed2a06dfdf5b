"""The adopted heat plan: districts, strategy and phase per buurt, the aquathermal project.

Two forms are read, in this order of preference in a data folder:

1. ``warmteplan.yaml``: the hand-edited form wijkplan ships for Alphen aan den Rijn
   (``data/warmte/warmteplan-2022.yaml``): districts (verkenningsgebieden) with their buurten
   or, where those are not published, their wijken and the mark ``begrenzing: aanname``;
   strategy, phase and start year each with its source; per-buurt deviations; the
   aquathermal project. Validated like the agreement ledger: every problem one line with
   file, line, record, field and value.
2. ``warmteplan.csv`` / ``warmteplan.xlsx``: a municipality's own table, one row per buurt
   (``buurtcode``, ``strategie``; optional ``fase``, ``startjaar``, ``gebied_id``,
   ``gebied_naam``, ``bron``).
A municipality's own district polygons (``warmtegebieden.*``) are read by
:mod:`wijkplan.sources.warmtegebieden`; the YAML schema is in
:mod:`wijkplan.sources._warmteplan_schema`.

This module only reads and validates; :mod:`wijkplan.build.heat` combines the plan with
the boundaries and the indicator.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError as PydanticError

from wijkplan.config.heat import PHASES, STRATEGIES
from wijkplan.errors import ValidationError
from wijkplan.problems import Problems
from wijkplan.settings import BUURTCODE_RE, is_sample
from wijkplan.sources._warmteplan_schema import (
    BOUNDARY_KINDS,
    DOCUMENT,
    ERROR_TYPE,
    RECORDS,
    Document,
)
from wijkplan.sources.statline import read_text
from wijkplan.yamlfile import Report, read_text_file, read_yaml

__all__ = [
    "BOUNDARY_KINDS",
    "AquathermalObject",
    "AquathermalProject",
    "BuurtPlan",
    "HeatDistrict",
    "HeatPlan",
    "find_plan",
    "load_plan",
    "load_plan_table",
]

#: Names of the plan files in a data folder, in order of preference.
PLAN_NAMES = ("warmteplan.yaml", "warmteplan.yml", "warmteplan.csv", "warmteplan.xlsx")


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class HeatDistrict:
    """One district of the plan (a verkenningsgebied or a WUP area)."""

    gebied_id: str
    naam: str
    buurtcodes: tuple[str, ...]
    wijkcodes: tuple[str, ...]
    begrenzing: str
    strategie: str
    fase: str | None
    startjaar: int | None
    volgnummer: int | None = None
    begrenzing_bron: str | None = None
    warmtebron: str | None = None
    strategie_bron: str | None = None
    fase_bron: str | None = None
    startjaar_bron: str | None = None
    periode: str | None = None


@dataclass(frozen=True)
class BuurtPlan:
    """What the plan says for one buurt where it deviates from (or stands without) a district."""

    buurtcode: str
    strategie: str
    fase: str | None = None
    startjaar: int | None = None
    bron: str | None = None
    gebied_id: str | None = None
    gebied_naam: str | None = None


@dataclass(frozen=True)
class AquathermalObject:
    naam: str
    soort: str
    eigenaar: str | None
    status: str
    bron: str
    #: the complex (by name) in the complexen layer, for a block of homes
    complex_naam: str | None = None
    #: RD New x, y where the plan gives it; else the map places it schematically
    locatie: tuple[float, float] | None = None


@dataclass(frozen=True)
class AquathermalProject:
    gebied_id: str
    naam: str
    bronwater: str
    techniek: str
    objecten: tuple[AquathermalObject, ...]
    leverancier: str | None = None
    leverancier_bron: str | None = None
    #: the published share of the buurt's heat demand held by the signatories (percent)
    aandeel_ondertekenaars: float | None = None
    aandeel_eenheid: str | None = None
    aandeel_bron: str | None = None
    toelichting: str | None = None


@dataclass(frozen=True)
class HeatPlan:
    """The adopted heat plan of one municipality, as read from one of its forms."""

    path: Path
    titel: str
    gemeentecode: str | None
    bron: str
    districts: tuple[HeatDistrict, ...] = ()
    buurten: tuple[BuurtPlan, ...] = ()
    default_strategie: str = "nog te bepalen"
    default_bron: str | None = None
    vastgesteld: dt.date | None = None
    stand_op: dt.date | None = None
    toelichting: str | None = None
    aquathermie: AquathermalProject | None = None
    #: every record of the plan is sample data
    voorbeelddata: bool = False

    def district(self, gebied_id: str) -> HeatDistrict | None:
        return next((d for d in self.districts if d.gebied_id == gebied_id), None)


# --------------------------------------------------------------------------- loading


def find_plan(data_dir: Path | str) -> Path | None:
    """The plan file in ``data_dir`` (``warmteplan.yaml|yml|csv|xlsx``), else None.

    More than one is refused: which one counts would be a guess.
    """
    data_dir = Path(data_dir)
    found = [data_dir / n for n in PLAN_NAMES if (data_dir / n).is_file()]
    if len(found) > 1:
        raise ValidationError(
            [
                f"{data_dir}: meer dan één warmteplan ({', '.join(p.name for p in found)}); laat er één staan"
            ]
        )
    return found[0] if found else None


def load_plan(path: Path | str) -> HeatPlan:
    """Read and validate a plan in any of its forms (YAML, CSV or XLSX)."""
    path = Path(path)
    if path.suffix.lower() in (".csv", ".xlsx") and path.is_file():
        return load_plan_table(path)
    text = read_text_file(path, "warmteplan")
    return parse_plan(text, source=str(path), path=path)


def parse_plan(text: str, *, source: str = "<warmteplan>", path: Path | None = None) -> HeatPlan:
    """Validate plan YAML ``text``; every problem is one line naming file, line and field."""
    data, lines = read_yaml(text, source, DOCUMENT)
    report = Report(source, data, lines, records=RECORDS, error_type=ERROR_TYPE)
    for loc, key, line in lines.duplicates:
        report.duplicate_key(loc, key, line)
    document: Document | None = None
    try:
        document = Document.model_validate(data)
    except PydanticError as exc:
        for error in exc.errors():
            if error["type"] == ERROR_TYPE:  # our own checks: the message without its prefix
                error = {**error, "msg": str(error["msg"]).removeprefix("Value error, ")}
            report.error(error)
    if document is not None:
        _check_references(document, report)
    report.raise_if_any()
    assert document is not None
    return _plan(document, path or Path(source))


def _check_references(doc: Document, report: Report) -> None:
    """Unique ids; a district has buurten or wijken; its buurten lie in its wijken."""
    seen: set[str] = set()
    for i, d in enumerate(doc.gebieden):
        if d.gebied_id in seen:
            report.add(("gebieden", i, "gebied_id"), "gebied komt twee keer voor", d.gebied_id)
        seen.add(d.gebied_id)
        if not d.buurtcodes and not d.wijkcodes:
            report.add(
                ("gebieden", i, "buurtcodes"),
                "geef buurtcodes of (als die niet bekend zijn) wijkcodes",
            )
        for j, code in enumerate(d.buurtcodes):
            other = code[2:6] != doc.metadata.gemeentecode[2:6]  # reported once, below
            if d.wijkcodes and not other and f"WK{code[2:8]}" not in d.wijkcodes:
                report.add(
                    ("gebieden", i, "buurtcodes", j),
                    "buurt ligt niet in een van de wijkcodes",
                    code,
                )
        if not d.buurtcodes and d.begrenzing != "aanname":
            report.add(
                ("gebieden", i, "begrenzing"),
                "een gebied dat alleen met wijkcodes is begrensd is een aanname (begrenzing: aanname)",
                d.begrenzing,
            )
    codes: set[str] = set()
    for i, b in enumerate(doc.buurten):
        if b.buurtcode in codes:
            report.add(("buurten", i, "buurtcode"), "buurt komt twee keer voor", b.buurtcode)
        codes.add(b.buurtcode)
    a = doc.aquathermie
    if a is not None and a.gebied_id not in seen:
        report.add(
            ("aquathermie", "gebied_id"), "onbekend gebied (niet onder 'gebieden')", a.gebied_id
        )
    gm = doc.metadata.gemeentecode
    for i, d in enumerate(doc.gebieden):
        for j, code in enumerate(d.buurtcodes):
            if code[2:6] != gm[2:6]:
                report.add(("gebieden", i, "buurtcodes", j), f"buurt hoort niet bij {gm}", code)
    for i, b in enumerate(doc.buurten):
        if b.buurtcode[2:6] != gm[2:6]:
            report.add(("buurten", i, "buurtcode"), f"buurt hoort niet bij {gm}", b.buurtcode)


def _plan(doc: Document, path: Path) -> HeatPlan:
    m = doc.metadata
    a = doc.aquathermie
    aqua = None
    if a is not None:
        share = a.aandeel_warmtevraag_ondertekenaars
        aqua = AquathermalProject(
            gebied_id=a.gebied_id,
            naam=a.naam,
            bronwater=a.bronwater,
            techniek=a.techniek,
            objecten=tuple(
                AquathermalObject(
                    o.naam, o.soort, o.eigenaar, o.status, o.bron, o.complex_naam, o.locatie
                )
                for o in a.objecten
            ),
            leverancier=a.leverancier,
            leverancier_bron=a.leverancier_bron,
            aandeel_ondertekenaars=share.waarde if share else None,
            aandeel_eenheid=share.eenheid if share else None,
            aandeel_bron=share.bron if share else None,
            toelichting=a.toelichting,
        )
    return HeatPlan(
        path=path,
        titel=m.titel,
        gemeentecode=m.gemeentecode,
        bron=m.bron,
        vastgesteld=m.vastgesteld,
        stand_op=m.stand_op,
        toelichting=m.toelichting,
        default_strategie=doc.buiten_gebieden.strategie,
        default_bron=doc.buiten_gebieden.bron,
        districts=tuple(
            HeatDistrict(
                gebied_id=d.gebied_id,
                naam=d.naam,
                buurtcodes=tuple(d.buurtcodes),
                wijkcodes=tuple(d.wijkcodes),
                begrenzing=d.begrenzing,
                strategie=d.strategie,
                fase=d.fase,
                startjaar=d.startjaar,
                volgnummer=d.volgnummer,
                begrenzing_bron=d.begrenzing_bron,
                warmtebron=d.warmtebron,
                strategie_bron=d.strategie_bron,
                fase_bron=d.fase_bron,
                startjaar_bron=d.startjaar_bron,
                periode=d.periode,
            )
            for d in doc.gebieden
        ),
        buurten=tuple(
            BuurtPlan(b.buurtcode, b.strategie, b.fase, b.startjaar, b.bron) for b in doc.buurten
        ),
        aquathermie=aqua,
    )


# --------------------------------------------------------------------------- a table per buurt

#: The columns of a municipality's own plan table (lower case, as matched).
TABLE_COLUMNS = ("buurtcode", "strategie", "fase", "startjaar", "gebied_id", "gebied_naam", "bron")


def load_plan_table(path: Path | str) -> HeatPlan:
    """A municipality's plan as a table per buurt (CSV with ``;`` or ``,``, or XLSX).

    Strategy and phase names are matched without regard to case and spacing; an
    unknown one, a malformed buurtcode, a buurt listed twice or an impossible year is
    one line each, with the row number as a spreadsheet shows it.
    """
    path = Path(path)
    problems = Problems(str(path))
    frame, header_row = _read_table(path)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in ("buurtcode", "strategie") if c not in frame.columns]
    for c in missing:
        problems.add(c, "verplichte kolom ontbreekt")
    problems.raise_if_any()
    strategies = {normalised(s): s for s in STRATEGIES}
    phases = {normalised(p): p for p in PHASES}
    rows: list[BuurtPlan] = []
    seen: set[str] = set()
    gemeenten: set[str] = set()
    first = header_row + 1
    for i, rec in enumerate(frame.to_dict("records")):
        line = i + first  # as a spreadsheet numbers its rows
        code = cell(rec.get("buurtcode"))
        strategie = cell(rec.get("strategie"))
        fase = cell(rec.get("fase"))
        jaar = cell(rec.get("startjaar"))
        if code is None and strategie is None:
            continue  # an empty row
        code = (code or "").upper()
        if not BUURTCODE_RE.match(code):
            problems.add("buurtcode", "onjuist gevormde buurtcode", code, line=line)
            continue
        if code in seen:
            problems.add("buurtcode", "buurt komt twee keer voor", code, line=line)
        seen.add(code)
        gemeenten.add(f"GM{code[2:6]}")
        s = strategies.get(normalised(strategie or ""))
        if s is None:
            problems.add(
                "strategie",
                f"onbekende strategie (kies uit: {', '.join(STRATEGIES)})",
                strategie,
                line=line,
            )
        f = None
        if fase is not None:
            f = phases.get(normalised(fase))
            if f is None:
                problems.add(
                    "fase", f"onbekende fase (kies uit: {', '.join(PHASES)})", fase, line=line
                )
        year = None
        if jaar is not None:
            try:
                year = int(float(jaar.replace(",", ".")))
                if not 1900 <= year <= 2100 or float(jaar.replace(",", ".")) != year:
                    raise ValueError
            except ValueError:
                problems.add("startjaar", "geen jaartal", jaar, line=line)
                year = None
        if s is not None:
            rows.append(
                BuurtPlan(
                    code,
                    s,
                    f,
                    year,
                    cell(rec.get("bron")),
                    cell(rec.get("gebied_id")),
                    cell(rec.get("gebied_naam")),
                )
            )
    if len(gemeenten) > 1:
        problems.add("buurtcode", "buurten van meer dan één gemeente", ", ".join(sorted(gemeenten)))
    if not seen and not problems:
        problems.add(None, "geen enkele buurt in de tabel")
    problems.raise_if_any()
    bron_values = (
        frame["bron"].dropna().astype(str) if "bron" in frame.columns else pd.Series([], dtype=str)
    )
    sample = (
        len(bron_values) == len(frame) and len(frame) > 0 and bool(bron_values.map(is_sample).all())
    )
    return HeatPlan(
        path=path,
        titel=f"Warmteplan ({path.name})",
        gemeentecode=next(iter(gemeenten)) if gemeenten else None,
        bron=f"eigen warmteplan van de gemeente ({path.name})",
        buurten=tuple(rows),
        default_bron="niet in het warmteplan van de gemeente",
        voorbeelddata=sample,
    )


def _read_table(path: Path) -> tuple[pd.DataFrame, int]:
    """The table as text cells and the row number of its header: the first row that names
    ``buurtcode`` (a title row above it, as a spreadsheet often has, is passed over)."""
    if path.suffix.lower() == ".xlsx":
        try:
            raw = pd.read_excel(path, dtype=str, sheet_name=0, header=None)
        except (ValueError, OSError, KeyError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ValidationError([f"{path}: geen leesbaar Excel-bestand ({first})"]) from exc
        except Exception as exc:  # openpyxl raises its own zip/XML errors for a damaged file
            if type(exc).__module__.startswith(("openpyxl", "zipfile")):
                raise ValidationError([f"{path}: geen leesbaar Excel-bestand ({exc})"]) from exc
            raise
    else:
        text = read_text(path)
        if not text.strip():
            raise ValidationError([f"{path}: het bestand is leeg"])
        lines = text.splitlines()
        header = next((line for line in lines[:10] if "buurtcode" in line.lower()), lines[0])
        sep = ";" if header.count(";") > header.count(",") else ","
        try:
            raw = pd.read_csv(
                io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, header=None
            )
        except pd.errors.ParserError as exc:
            first = str(exc).strip().splitlines()[0]
            raise ValidationError([f"{path}: geen leesbaar CSV-bestand ({first})"]) from exc
    at = next(
        (
            i
            for i in range(min(len(raw), 10))
            if any(str(v).strip().lower() == "buurtcode" for v in raw.iloc[i])
        ),
        0,
    )
    frame = raw.iloc[at + 1 :].reset_index(drop=True)
    frame.columns = [
        str(v).strip() if cell(v) is not None else f"kolom {j + 1}"
        for j, v in enumerate(raw.iloc[at])
    ]
    return frame, at + 1


def cell(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = " ".join(str(value).split())
    return text or None


def normalised(text: str) -> str:
    return re.sub(r"[\s_-]+", " ", text.strip().casefold()).replace(" / ", "/")


def buurten_of_district(district: HeatDistrict, wijk_of: dict[str, str]) -> tuple[str, ...]:
    """The buurten a district covers: its listed buurten, else every buurt of its wijken."""
    if district.buurtcodes:
        return district.buurtcodes
    wijken = set(district.wijkcodes)
    return tuple(code for code, wk in wijk_of.items() if wk in wijken)
