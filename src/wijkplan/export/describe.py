"""What every export says about itself: ``metadata.json``, ``LEESMIJ.txt`` and, in a
GeoPackage, Dublin Core for the file and QGIS layer metadata per layer.

Everything here is derived from the :class:`~wijkplan.export.model.ExportSet`: the
build report (sources, their kind and labels, build time, threshold), the catalogue
(titles, descriptions, columns, which layers rest on sample data in this build) and
the notes of the area selection.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

import pandas as pd
from pyproj import CRS

from wijkplan import __version__, catalogue
from wijkplan.config import load_config
from wijkplan.export.model import ExportSet
from wijkplan.export.select import suppressed_count_columns
from wijkplan.report import ABSENT, REAL, SAMPLE, SourceEntry
from wijkplan.settings import CRS_RD

__all__ = [
    "DUBLIN_CORE_URI",
    "FORMAT_NAMES",
    "QGIS_METADATA_URI",
    "dublin_core",
    "leesmij",
    "licence",
    "metadata",
    "qgis_layer_metadata",
    "sample_layers",
]

#: ``md_standard_uri`` of QGIS layer metadata (QGIS reads and writes it so in gpkg_metadata).
QGIS_METADATA_URI = "http://mrcc.com/qgis.dtd"
#: ``md_standard_uri`` of the Dublin Core document that describes the whole file.
DUBLIN_CORE_URI = "http://purl.org/dc/elements/1.1/"

#: The file formats by their names for people.
FORMAT_NAMES: Mapping[str, str] = {
    "gpkg": "GeoPackage",
    "geojson": "GeoJSON (RFC 7946)",
    "fgb": "FlatGeobuf",
    "shp": "Shapefile",
    "csv": "CSV",
}

SAMPLE_LICENCE = "geen licentie nodig (voorbeelddata); niet gebruiken voor besluiten"

#: Licence and attribution of each real source (the name in the build report).
_LICENCES: Mapping[str, tuple[str, str | None]] = {
    "buurten": ("CC BY 4.0", "CBS / Kadaster"),
    "wijken": ("CC BY 4.0", "CBS / Kadaster"),
    "kerncijfers": ("CC BY 4.0", "CBS"),
    "misdrijven": ("CC BY 4.0 (Politie, open data via CBS)", "CBS / Politie"),
    "bag": ("CC0 1.0", "Kadaster (BAG)"),
    "leefbaarometer": (
        "CC0 (open data van het ministerie van BZK; geen officiële licentietekst gezien)",
        "Leefbaarometer (BZK)",
    ),
    "energielabels": ("open data van RVO (EP-Online); licentie niet eenduidig gepubliceerd", "RVO"),
    "pbl": ("licentie van de data niet gepubliceerd gezien; zie PBL", "PBL"),
    "oppervlaktewater": ("BGT: CC0 1.0; TOP10NL: CC BY 4.0 (Kadaster)", "Kadaster"),
    "afspraken": ("openbaar document; tekst letterlijk overgenomen met bronvermelding", None),
    "warmteplan": ("openbaar document; feiten overgenomen met bronvermelding", None),
    "warmtegebieden": ("openbaar document; feiten overgenomen met bronvermelding", None),
    "aquathermie": ("openbare bronnen; feiten overgenomen met bronvermelding", None),
    "complexen": ("aangeleverd door de corporatie; voorwaarden van de corporatie", None),
    "incidenten": (
        "eigen registratie, niet openbaar; alleen afgeschermde aantallen per gebied uitgevoerd",
        None,
    ),
}

_SUPPRESSION_RULE = (
    "Aantallen van 1 tot en met {last} zijn afgeschermd (leeg), met aanvullende afscherming "
    "zodat ze niet uit totalen zijn terug te rekenen. Een lege cel betekent 'minder dan {t}, "
    "of afgeschermd om een klein aantal te beschermen', nooit 0. Tel afgeschermde cellen "
    "niet op en vul ze niet in. Er staan geen losse incidenten (punten, datums) in deze export."
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def licence(entry: SourceEntry) -> tuple[str, str | None]:
    """(licence, attribution) of a source as the build used it."""
    if entry.kind == SAMPLE:
        return SAMPLE_LICENCE, None
    return _LICENCES.get(entry.name, ("onbekend: zie de bron", None))


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _kinds(export_set: ExportSet) -> dict[str, str]:
    return {s.name: s.kind for s in export_set.report.sources}


def _sample_reason(name: str, frame: pd.DataFrame | None, kind: str) -> str | None:
    """Why a layer rests (partly) on sample data, or None."""
    if SAMPLE in kind:
        return f"de laag is {kind}"
    if frame is None:
        return None
    for col in ("voorbeelddata", "invoer_voorbeelddata"):
        if col in frame.columns and bool(frame[col].eq(True).any()):
            return f"kolom {col}: een deel van de objecten rust op voorbeelddata"
    for col in ("bron", "kerncijfers_bron", "invoer_bron", "bron_leefbaarometer"):
        if col in frame.columns and bool(frame[col].astype("string").str.contains(SAMPLE).any()):
            return f"kolom {col} noemt voorbeelddata"
    return None


def sample_layers(export_set: ExportSet) -> dict[str, str]:
    """The exported layers that rest (partly) on sample data, with the reason."""
    kinds = _kinds(export_set)
    out = {}
    for name, frame in export_set.layers.items():
        reason = _sample_reason(name, frame, catalogue.layer_kind(catalogue.layer(name), kinds))
        if reason:
            out[name] = reason
    return out


def _years(entry: SourceEntry, rasters: Mapping[str, str]) -> list[int]:
    text = " ".join(x for x in (entry.label, PurePath(entry.path).name if entry.path else "") if x)
    years = {int(y) for y in _YEAR.findall(text)}
    if entry.name == "leefbaarometer":
        years |= {int(y) for y in rasters if str(y).isdigit()}
    return sorted(years)


def _area(export_set: ExportSet) -> dict[str, Any] | None:
    a = export_set.gebied
    if a is None:
        return None
    return {
        "soort": a.kind,
        "code": a.code,
        "naam": a.naam,
        "omschrijving": a.label,
        "buurtcodes": list(a.buurtcodes),
    }


def _columns(name: str, frame: pd.DataFrame) -> list[dict[str, Any]]:
    spec = catalogue.layer(name)
    declared = {c.name: c for c in catalogue.expand(spec, load_config().categories)}
    out = []
    for col in frame.columns:
        if col == getattr(frame, "_geometry_column_name", None):
            continue
        c = declared.get(str(col))
        out.append(
            {
                "naam": str(col),
                "type": c.type if c else None,
                "betekenis": c.meaning if c else None,
                "eenheid": c.unit if c else None,
            }
        )
    return out


def _layer_years(frame: pd.DataFrame) -> list[int]:
    if "jaar" not in frame.columns:
        return []
    return sorted({int(y) for y in pd.to_numeric(frame["jaar"], errors="coerce").dropna()})


def metadata(export_set: ExportSet) -> dict[str, Any]:
    """What ``metadata.json`` holds (JSON-serialisable; Dutch keys, a contract like the dossier's).

    The exporter adds ``formaat``, ``excel``, ``bestanden`` and ``stijlen``, its own remarks
    per layer (``lagen.<laag>.opmerkingen``) and, for GeoJSON, the CRS it converted to.
    """
    report = export_set.report
    kinds = _kinds(export_set)
    threshold = report.threshold
    layers: dict[str, Any] = {}
    for name, frame in export_set.layers.items():
        spec = catalogue.layer(name)
        kind = catalogue.layer_kind(spec, kinds)
        reason = _sample_reason(name, frame, kind)
        layers[name] = {
            "titel": spec.title,
            "beschrijving": spec.description,
            "thema": spec.theme,
            "soort": kind,
            "voorbeelddata": reason is not None,
            "voorbeelddata_reden": reason,
            "geometrie": spec.geometry,
            "objecten": len(frame),
            "jaren": _layer_years(frame),
            "gebied": export_set.notes.get(name),
            "afgeschermde_kolommen": suppressed_count_columns(name, [str(c) for c in frame]),
            "opmerkingen": list(export_set.remarks.get(name, [])),
            "kolommen": _columns(name, frame),
        }
    sources = []
    for s in report.sources:
        if s.kind == ABSENT:
            continue
        text, attribution = licence(s)
        sources.append(
            {
                "naam": s.name,
                "soort": s.kind,
                "omschrijving": s.label,
                "bestand": PurePath(s.path).name if s.path else None,
                "objecten": s.count,
                "jaren": _years(s, report.rasters),
                "licentie": text,
                "naamsvermelding": attribution,
            }
        )
    return {
        "titel": _title(export_set),
        "wijkplan_versie": __version__,
        "geexporteerd_op": _now(),
        "gebouwd_op": report.built_at,
        "gebouwd_met_wijkplan": report.version,
        "gemeentecode": report.gemeentecode,
        "bron_geopackage": export_set.source.name,
        "crs": {"code": CRS_RD, "naam": CRS(CRS_RD).name},
        "gebied": _area(export_set),
        "afscherming": {
            "drempel": threshold,
            "regel": _SUPPRESSION_RULE.format(last=threshold - 1, t=threshold),
        },
        "bronnen": sources,
        "afwezige_bronnen": sorted({s.name for s in report.sources if s.kind == ABSENT}),
        "voorbeelddata_lagen": sample_layers(export_set),
        "lagen": layers,
        "weggelaten": {
            name: note for name, note in export_set.notes.items() if name not in export_set.layers
        },
        "waarschuwingen": list(report.warnings),
    }


def _title(export_set: ExportSet) -> str:
    where = export_set.gebied.label if export_set.gebied else "alle gebieden"
    return f"wijkplan: lagen van gemeente {export_set.report.gemeentecode}, {where}"


def _attributions(export_set: ExportSet) -> list[str]:
    found: dict[str, None] = {}
    for s in export_set.report.sources:
        if s.kind == REAL:
            _, attribution = licence(s)
            if attribution:
                found.setdefault(attribution)
    return list(found)


def leesmij(
    export_set: ExportSet,
    *,
    fmt: str | None = None,
    files: Sequence[str] = (),
    remarks: Mapping[str, Sequence[str]] | None = None,
    extra: Sequence[str] = (),
) -> str:
    """The short Dutch ``LEESMIJ.txt``; the exporter adds the format, files and its remarks
    per layer (``remarks``, after those of the selection)."""
    report = export_set.report
    kinds = _kinds(export_set)
    t = report.threshold
    lines = [
        "wijkplan: export van lagen",
        "==========================",
        "",
        f"Gemeente {report.gemeentecode}, gebouwd op {report.built_at} "
        f"(wijkplan {report.version}), geëxporteerd op {_now()} (wijkplan {__version__}).",
        "Gebied: "
        + (
            f"{export_set.gebied.label}: alleen de objecten van dit gebied (zie per laag hoe)."
            if export_set.gebied
            else "alle gebieden (geen gebied gekozen)."
        ),
        (
            "Coördinaten: EPSG:4326 (WGS 84, lengte/breedte), zoals RFC 7946 voorschrijft; "
            f"omgerekend uit {CRS_RD} ({CRS(CRS_RD).name})."
            if fmt == "geojson"
            else f"Coördinaten: {CRS_RD} ({CRS(CRS_RD).name})."
        ),
        "Elke laag en kolom staat met betekenis en eenheid in metadata.json.",
    ]
    if fmt:
        lines.append(f"Formaat: {FORMAT_NAMES.get(fmt, fmt)}.")
    samples = sample_layers(export_set)
    if samples:
        lines += [
            "",
            "LET OP: VOORBEELDDATA",
            "Deze lagen rusten (deels) op voorbeelddata: gegenereerd omdat de echte bron hier niet",
            "beschikbaar is. Geschikt om de werkwijze te tonen, niet om besluiten op te nemen.",
            *(f"  - {name}: {reason}" for name, reason in samples.items()),
        ]
    lines += ["", "Lagen"]
    for name, frame in export_set.layers.items():
        spec = catalogue.layer(name)
        kind = catalogue.layer_kind(spec, kinds)
        n = len(frame)
        unit = (
            ("object" if n == 1 else "objecten")
            if spec.geometry
            else ("rij" if n == 1 else "rijen")
        )
        lines.append(f"  - {name} ({n} {unit}): {spec.title}; soort: {kind}")
        if export_set.gebied is not None:
            lines.append(f"      gebied: {export_set.notes.get(name, '')}")
        for remark in [*export_set.remarks.get(name, ()), *(remarks or {}).get(name, ())]:
            lines.append(f"      {remark}")
    left_out = {n: note for n, note in export_set.notes.items() if n not in export_set.layers}
    if left_out:
        lines += ["", "Niet in deze export", *(f"  - {n}: {note}" for n, note in left_out.items())]
    lines += ["", "Privacy", _SUPPRESSION_RULE.format(last=t - 1, t=t)]
    lines += ["", "Bronnen en licenties"]
    for s in report.sources:
        if s.kind == ABSENT:
            continue
        text, attribution = licence(s)
        label = f" ({s.label})" if s.label else ""
        credit = f"; naamsvermelding: {attribution}" if attribution else ""
        lines.append(f"  - {s.name}: {s.kind}{label}; licentie: {text}{credit}")
    credits = _attributions(export_set)
    if credits:
        lines.append("Bronvermelding bij hergebruik: " + "; ".join(credits) + ".")
    if extra:
        lines += ["", *extra]
    if files:
        lines += ["", f"Bestanden: {len(files)}, opgesomd in metadata.json (bestanden)."]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- XML documents


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = text
    return element


def dublin_core(export_set: ExportSet, *, fmt_mime: str = "application/geopackage+sqlite3") -> str:
    """A Dublin Core document for the whole file (``md_standard_uri`` :data:`DUBLIN_CORE_URI`)."""
    ET.register_namespace("dc", DUBLIN_CORE_URI)
    ET.register_namespace("dcterms", "http://purl.org/dc/terms/")
    dc = "{" + DUBLIN_CORE_URI + "}"
    terms = "{http://purl.org/dc/terms/}"
    report = export_set.report
    root = ET.Element("metadata")
    _sub(root, dc + "title", _title(export_set))
    samples = sample_layers(export_set)
    description = (
        "Lagen van wijkplan (leefbaarheid, prestatieafspraken en warmtetransitie per buurt): "
        + ", ".join(export_set.layers)
        + ". "
        + _SUPPRESSION_RULE.format(last=report.threshold - 1, t=report.threshold)
    )
    if samples:
        description += " Voorbeelddata (niet gebruiken voor besluiten) in: " + ", ".join(samples)
    _sub(root, dc + "description", description)
    _sub(root, dc + "creator", f"wijkplan {__version__}")
    _sub(root, dc + "date", _now())
    _sub(root, terms + "created", report.built_at)
    _sub(root, dc + "language", "nl")
    _sub(root, dc + "format", fmt_mime)
    _sub(
        root, dc + "coverage", export_set.gebied.label if export_set.gebied else report.gemeentecode
    )
    _sub(root, terms + "spatial", CRS_RD)
    for s in report.sources:
        if s.kind == ABSENT:
            continue
        text, attribution = licence(s)
        _sub(root, dc + "source", f"{s.name}: {s.kind}" + (f" ({s.label})" if s.label else ""))
        _sub(root, dc + "rights", f"{s.name}: {text}" + (f"; {attribution}" if attribution else ""))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _layer_sources(name: str, export_set: ExportSet) -> list[SourceEntry]:
    spec = catalogue.layer(name)
    names = {n for need in spec.needs for n in need.split("|")} or {spec.name}
    if "kerncijfers_bron" in {c.name for c in spec.columns}:
        names.add("kerncijfers")
    return [s for s in export_set.report.sources if s.name in names and s.kind != ABSENT]


def qgis_layer_metadata(export_set: ExportSet, name: str) -> str:
    """QGIS layer metadata (the ``.qmd`` form) for one layer: title, abstract, keywords,
    licences, rights, constraints, CRS and extent. QGIS shows it under Layer Properties →
    Metadata when it finds it in ``gpkg_metadata`` (``md_standard_uri`` :data:`QGIS_METADATA_URI`)."""
    spec = catalogue.layer(name)
    frame = export_set.layers[name]
    report = export_set.report
    kind = catalogue.layer_kind(spec, _kinds(export_set))
    reason = _sample_reason(name, frame, kind)
    root = ET.Element("qgis", version="3.28.0-Firenze")
    _sub(root, "identifier", name)
    _sub(root, "parentidentifier", f"wijkplan-{report.gemeentecode}")
    _sub(root, "language", "nl")
    _sub(root, "type", "dataset")
    _sub(root, "title", spec.title)
    abstract = [spec.description, f"Soort: {kind}."]
    if export_set.gebied is not None:
        abstract.append(f"Gebied {export_set.gebied.label}: {export_set.notes.get(name, '')}.")
    if reason:
        abstract.append(f"LET OP: voorbeelddata ({reason}); niet gebruiken voor besluiten.")
    _sub(root, "abstract", " ".join(abstract))
    keywords = _sub(root, "keywords", vocabulary="wijkplan")
    for word in (spec.theme, kind, "wijkplan"):
        _sub(keywords, "keyword", word)
    _sub(root, "links")
    _sub(root, "history", f"gebouwd op {report.built_at} met wijkplan {report.version}")
    _sub(root, "history", f"geëxporteerd op {_now()} met wijkplan {__version__}")
    _sub(root, "fees")
    if spec.suppressed:
        _sub(
            root,
            "constraints",
            _SUPPRESSION_RULE.format(last=report.threshold - 1, t=report.threshold),
            type="privacy",
        )
    if reason:
        _sub(root, "constraints", "Voorbeelddata: niet gebruiken voor besluiten.", type="gebruik")
    for s in _layer_sources(name, export_set):
        text, attribution = licence(s)
        if attribution:
            _sub(root, "rights", f"© {attribution}")
        _sub(root, "license", f"{s.name}: {text}")
    _sub(root, "encoding")
    if spec.geometry is not None:
        crs = CRS(CRS_RD)
        srs = _sub(_sub(root, "crs"), "spatialrefsys", nativeFormat="Wkt")
        _sub(srs, "wkt", crs.to_wkt())
        _sub(srs, "srid", "28992")
        _sub(srs, "authid", CRS_RD)
        _sub(srs, "description", crs.name)
        _sub(srs, "projectionacronym", "sterea")
        _sub(srs, "ellipsoidacronym", "EPSG:7004")
        _sub(srs, "geographicflag", "false")
        extent = _sub(root, "extent")
        bounds = getattr(frame, "total_bounds", None)
        if bounds is not None and len(frame):
            minx, miny, maxx, maxy = (f"{v:.3f}" for v in bounds)
            _sub(
                extent,
                "spatial",
                dimensions="2",
                crs=CRS_RD,
                minx=minx,
                miny=miny,
                minz="0",
                maxx=maxx,
                maxy=maxy,
                maxz="0",
            )
    ET.indent(root)
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(
        root, encoding="unicode"
    )
