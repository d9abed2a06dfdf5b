"""The adopted heat plan: districts, strategy and phase per buurt, the aquathermal project.

Three forms are read, in this order of preference in a data folder:

1. ``warmteplan.yaml``: the hand-edited form wijkplan ships for Alphen aan den Rijn
   (``data/warmte/warmteplan-2022.yaml``): districts (verkenningsgebieden) with their buurten
   or, where those are not published, their wijken and the mark ``begrenzing: aanname``;
   strategy, phase and start year each with its source; per-buurt deviations; the
   aquathermal project. Validated like the agreement ledger: every problem one line with
   file, line, record, field and value.
2. ``warmteplan.csv`` / ``warmteplan.xlsx``: a municipality's own table, one row per buurt
   (``buurtcode``, ``strategie``; optional ``fase``, ``startjaar``, ``gebied_id``,
   ``gebied_naam``, ``bron``).
3. ``warmtegebieden.*``: a municipality's own district polygons (``gebied_id``, ``naam``;
   optional ``strategie``, ``fase``, ``startjaar``); a buurt belongs to a district when
   most of its area lies inside. It replaces the districts of the plan it goes with.

This module only reads and validates; :mod:`wijkplan.build.heat` combines the plan with
the boundaries and the indicator.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import geopandas as gpd
import pandas as pd
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
)
from pydantic import ValidationError as PydanticError

from wijkplan.config.heat import OBJECT_KINDS as CONFIG_OBJECT_KINDS
from wijkplan.config.heat import PHASES, STRATEGIES
from wijkplan.errors import SourceNotFoundError, ValidationError
from wijkplan.problems import Problems
from wijkplan.settings import BUURTCODE_RE, GEMEENTECODE_RE, WIJKCODE_RE, is_sample
from wijkplan.sources._io import find_source, read_vector
from wijkplan.sources.statline import read_text
from wijkplan.sources.validate import to_rd
from wijkplan.yamlfile import Report, read_yaml, refuse

__all__ = [
    "BOUNDARY_KINDS",
    "AquathermalObject",
    "AquathermalProject",
    "BuurtPlan",
    "HeatDistrict",
    "HeatPlan",
    "find_district_polygons",
    "find_plan",
    "load_district_polygons",
    "load_plan",
    "load_plan_table",
]

#: How a district's extent is known: published, or an assumption of whoever wrote the plan.
BOUNDARY_KINDS = ("gepubliceerd", "aanname")
#: Kinds of object an aquathermal project can connect (the heat config's kinds, and homes).
OBJECT_KINDS = ("woningen", *CONFIG_OBJECT_KINDS)
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


# --------------------------------------------------------------------------- YAML schema


def _strip(value: object) -> object:
    return " ".join(value.split()) if isinstance(value, str) else value


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError("mag niet leeg zijn")
    return value


Text = Annotated[StrictStr, BeforeValidator(_strip), AfterValidator(_not_blank)]
OptionalText = Annotated[StrictStr | None, BeforeValidator(_strip)]
Year = Annotated[StrictInt, Field(ge=1900, le=2100)]


def _one_of(values: Sequence[str], what: str) -> AfterValidator:
    def check(value: str) -> str:
        if value not in values:
            raise ValueError(f"onbekende {what} (kies uit: {', '.join(values)})")
        return value

    return AfterValidator(check)


def _codes(pattern: re.Pattern[str], what: str) -> AfterValidator:
    def check(values: list[str]) -> list[str]:
        bad = [v for v in values if not pattern.match(v)]
        if bad:
            raise ValueError(f"onjuist gevormde {what}: {', '.join(map(repr, bad))}")
        if len(set(values)) != len(values):
            raise ValueError(f"{what} staat twee keer in de lijst")
        return values

    return AfterValidator(check)


def _none_is_empty(value: object) -> object:
    return [] if value is None else value


Strategy = Annotated[StrictStr, BeforeValidator(_strip), _one_of(STRATEGIES, "strategie")]
Phase = Annotated[StrictStr, BeforeValidator(_strip), _one_of(PHASES, "fase")]
BuurtCodes = Annotated[
    list[StrictStr], BeforeValidator(_none_is_empty), _codes(BUURTCODE_RE, "buurtcode")
]
WijkCodes = Annotated[
    list[StrictStr], BeforeValidator(_none_is_empty), _codes(WIJKCODE_RE, "wijkcode")
]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Meta(_Record):
    titel: Text
    gemeentecode: Annotated[StrictStr, AfterValidator(lambda v: _gemeentecode(v))]
    bron: Text
    vastgesteld: dt.date | None = None
    stand_op: dt.date | None = None
    toelichting: OptionalText = None


def _gemeentecode(value: str) -> str:
    if not GEMEENTECODE_RE.match(value):
        raise ValueError("onjuist gevormde gemeentecode (GM + 4 cijfers)")
    return value


class _Default(_Record):
    strategie: Strategy
    bron: OptionalText = None


class _District(_Record):
    gebied_id: Text
    naam: Text
    volgnummer: StrictInt | None = None
    buurtcodes: BuurtCodes = []
    wijkcodes: WijkCodes = []
    begrenzing: Annotated[StrictStr, _one_of(BOUNDARY_KINDS, "begrenzing")]
    begrenzing_bron: OptionalText = None
    strategie: Strategy
    warmtebron: OptionalText = None
    strategie_bron: Text
    fase: Phase | None = None
    fase_bron: OptionalText = None
    startjaar: Year | None = None
    startjaar_bron: OptionalText = None
    periode: Annotated[
        StrictStr | None,
        BeforeValidator(lambda v: _strip(str(v)) if isinstance(v, int) else _strip(v)),
    ] = None


class _BuurtRow(_Record):
    buurtcode: Annotated[StrictStr, AfterValidator(lambda v: _buurtcode(v))]
    strategie: Strategy
    fase: Phase | None = None
    startjaar: Year | None = None
    bron: Text


def _buurtcode(value: str) -> str:
    if not BUURTCODE_RE.match(value):
        raise ValueError("onjuist gevormde buurtcode (BU + 8 tekens)")
    return value


class _Share(_Record):
    waarde: Annotated[
        float, BeforeValidator(lambda v: float(v) if isinstance(v, int) else v), Field(ge=0, le=100)
    ]
    eenheid: Text
    bron: Text


class _Object(_Record):
    naam: Text
    soort: Annotated[StrictStr, _one_of(OBJECT_KINDS, "soort")]
    eigenaar: OptionalText = None
    status: Text
    bron: Text
    complex_naam: OptionalText = None
    locatie: tuple[float, float] | None = None


class _Aquathermal(_Record):
    gebied_id: Text
    naam: Text
    bronwater: Text
    techniek: Text
    leverancier: OptionalText = None
    leverancier_bron: OptionalText = None
    aandeel_warmtevraag_ondertekenaars: _Share | None = None
    objecten: list[_Object] = []
    toelichting: OptionalText = None


class _Document(_Record):
    metadata: _Meta
    buiten_gebieden: _Default
    gebieden: list[_District] = []
    buurten: Annotated[list[_BuurtRow], BeforeValidator(_none_is_empty)] = []
    aquathermie: _Aquathermal | None = None


SECTIONS = tuple(_Document.model_fields)
RECORDS = {
    "gebieden": ("gebied", "gebied_id"),
    "buurten": ("buurt", "buurtcode"),
}
_DOCUMENT = "verwacht een YAML-document met de onderdelen " + ", ".join(SECTIONS)
_ERROR_TYPE = "value_error"


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
    if not path.is_file():
        raise SourceNotFoundError(f"{path}: warmteplan bestaat niet")
    if path.suffix.lower() in (".csv", ".xlsx"):
        return load_plan_table(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        refuse(str(path), f"geen UTF-8-tekst ({exc.reason} bij byte {exc.start})")
    return parse_plan(text, source=str(path), path=path)


def parse_plan(text: str, *, source: str = "<warmteplan>", path: Path | None = None) -> HeatPlan:
    """Validate plan YAML ``text``; every problem is one line naming file, line and field."""
    data, lines = read_yaml(text, source, _DOCUMENT)
    report = Report(source, data, lines, records=RECORDS, error_type=_ERROR_TYPE)
    for loc, key, line in lines.duplicates:
        report.duplicate_key(loc, key, line)
    document: _Document | None = None
    try:
        document = _Document.model_validate(data)
    except PydanticError as exc:
        for error in exc.errors():
            if error["type"] == _ERROR_TYPE:  # our own checks: the message without its prefix
                error = {**error, "msg": str(error["msg"]).removeprefix("Value error, ")}
            report.error(error)
    if document is not None:
        _check_references(document, report)
    report.raise_if_any()
    assert document is not None
    return _plan(document, path or Path(source))


def _check_references(doc: _Document, report: Report) -> None:
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


def _plan(doc: _Document, path: Path) -> HeatPlan:
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
    frame = _read_table(path)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in ("buurtcode", "strategie") if c not in frame.columns]
    for c in missing:
        problems.add(c, "verplichte kolom ontbreekt")
    problems.raise_if_any()
    strategies = {_norm(s): s for s in STRATEGIES}
    phases = {_norm(p): p for p in PHASES}
    rows: list[BuurtPlan] = []
    seen: set[str] = set()
    gemeenten: set[str] = set()
    for i, rec in enumerate(frame.to_dict("records")):
        line = i + 2  # the header is row 1
        code = _cell(rec.get("buurtcode"))
        strategie = _cell(rec.get("strategie"))
        fase = _cell(rec.get("fase"))
        jaar = _cell(rec.get("startjaar"))
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
        s = strategies.get(_norm(strategie or ""))
        if s is None:
            problems.add(
                "strategie",
                f"onbekende strategie (kies uit: {', '.join(STRATEGIES)})",
                strategie,
                line=line,
            )
        f = None
        if fase is not None:
            f = phases.get(_norm(fase))
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
                    _cell(rec.get("bron")),
                    _cell(rec.get("gebied_id")),
                    _cell(rec.get("gebied_naam")),
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


def _read_table(path: Path) -> pd.DataFrame:
    if path.suffix.lower() == ".xlsx":
        try:
            return pd.read_excel(path, dtype=str, sheet_name=0)
        except (ValueError, OSError, KeyError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ValidationError([f"{path}: geen leesbaar Excel-bestand ({first})"]) from exc
        except Exception as exc:  # openpyxl raises its own zip/XML errors for a damaged file
            if type(exc).__module__.startswith(("openpyxl", "zipfile")):
                raise ValidationError([f"{path}: geen leesbaar Excel-bestand ({exc})"]) from exc
            raise
    text = read_text(path)
    if not text.strip():
        raise ValidationError([f"{path}: het bestand is leeg"])
    header = text.split("\n", 1)[0]
    sep = ";" if header.count(";") > header.count(",") else ","
    try:
        return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        first = str(exc).strip().splitlines()[0]
        raise ValidationError([f"{path}: geen leesbaar CSV-bestand ({first})"]) from exc


def _cell(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = " ".join(str(value).split())
    return text or None


def _norm(text: str) -> str:
    return re.sub(r"[\s_-]+", " ", text.strip().casefold()).replace(" / ", "/")


# --------------------------------------------------------------------------- district polygons


def find_district_polygons(data_dir: Path | str) -> Path | None:
    """A municipality's own district polygons: ``warmtegebieden.*`` in ``data_dir``."""
    return find_source(Path(data_dir), "warmtegebieden")


@dataclass
class DistrictPolygons:
    """District polygons and the buurten each one holds (most of their area inside)."""

    frame: gpd.GeoDataFrame
    districts: tuple[HeatDistrict, ...]
    notes: list[str] = field(default_factory=list)


def load_district_polygons(
    path: Path | str, buurten: gpd.GeoDataFrame, *, share: float = 0.5
) -> DistrictPolygons:
    """Read district polygons and assign each buurt to the district that holds ``share`` of it.

    Columns ``gebied_id`` and ``naam`` are required; ``strategie``, ``fase`` and
    ``startjaar`` are optional and validated against the vocabulary.
    """
    path = Path(path)
    problems = Problems(str(path))
    raw = read_vector(path)
    raw.columns = [c if c == raw.geometry.name else str(c).strip().lower() for c in raw.columns]
    for c in ("gebied_id", "naam"):
        if c not in raw.columns:
            problems.add(c, "verplichte kolom ontbreekt")
    problems.raise_if_any()
    frame = to_rd(raw, problems)
    problems.raise_if_any()
    assert frame is not None
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    ids = frame["gebied_id"].astype(str).str.strip()
    problems.add_capped("gebied_id", "gebied komt twee keer voor", list(ids[ids.duplicated()]))
    strategies = {_norm(s): s for s in STRATEGIES}
    phases = {_norm(p): p for p in PHASES}
    b = buurten.to_crs(frame.crs)[["buurtcode", "wijkcode", "geometry"]]
    area = b.geometry.area
    districts: list[HeatDistrict] = []
    notes: list[str] = []
    for rec, gid in zip(frame.itertuples(), ids, strict=True):
        raw_s = _cell(getattr(rec, "strategie", None))
        s = "nog te bepalen" if raw_s is None else strategies.get(_norm(raw_s))
        if s is None:
            problems.add("strategie", f"{gid}: onbekende strategie", raw_s)
            continue
        raw_f = _cell(getattr(rec, "fase", None))
        f = None if raw_f is None else phases.get(_norm(raw_f))
        if raw_f is not None and f is None:
            problems.add("fase", f"{gid}: onbekende fase", raw_f)
            continue
        raw_y = _cell(getattr(rec, "startjaar", None))
        year = None
        if raw_y is not None:
            try:
                year = int(float(raw_y))
            except ValueError:
                problems.add("startjaar", f"{gid}: geen jaartal", raw_y)
        inside = b.geometry.intersection(rec.geometry).area / area.where(area > 0)
        codes = tuple(b.loc[inside >= share, "buurtcode"].astype(str))
        if not codes:
            notes.append(
                f"{path.name}: warmtegebied {gid} bevat van geen enkele buurt het grootste deel"
            )
        districts.append(
            HeatDistrict(
                gebied_id=gid,
                naam=str(rec.naam),
                buurtcodes=codes,
                wijkcodes=(),
                begrenzing="gepubliceerd",
                strategie=s,
                fase=f,
                startjaar=year,
                begrenzing_bron=f"vlakken van de gemeente ({path.name}); buurten met minstens "
                f"{share:.0%} van hun oppervlak in het gebied",
                strategie_bron=f"{path.name}" if raw_s is not None else None,
            )
        )
    problems.raise_if_any()
    return DistrictPolygons(frame, tuple(districts), notes)


def buurten_of_district(district: HeatDistrict, wijk_of: dict[str, str]) -> tuple[str, ...]:
    """The buurten a district covers: its listed buurten, else every buurt of its wijken."""
    if district.buurtcodes:
        return district.buurtcodes
    wijken = set(district.wijkcodes)
    return tuple(code for code, wk in wijk_of.items() if wk in wijken)
