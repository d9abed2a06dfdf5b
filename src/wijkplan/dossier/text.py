"""The dossier as plain text for the terminal (Dutch), from the typed :class:`Dossier`."""

from __future__ import annotations

from wijkplan.analysis.privacy import SUPPRESSED_NOTE, display_count
from wijkplan.catalogue import DIMENSIONS
from wijkplan.dossier.model import Afspraken, Complexen, CountSeries, Dossier, Figure, Liveability
from wijkplan.numbers import number, percent

#: At most this many complexes are listed; the rest is counted.
MAX_COMPLEXES = 50


def format_dossier(d: Dossier) -> str:
    """Plain-text rendering for the terminal (Dutch)."""
    lines = [f"{d.naam} ({d.code}), {d.niveau}"]
    if d.wijk is not None and d.gemeente is not None:
        lines.append(
            f"Wijk: {d.wijk.naam} ({d.wijk.code}); gemeente {d.gemeente.naam or ''} ({d.gemeente.code})"
        )
    for label, areas in (("Regiegebied", d.regiegebieden), ("Warmtegebied", d.warmtegebieden)):
        lines += [f"{label}: {a.naam} ({a.code})" for a in areas or []]
    if d.regisseur:
        lines.append(f"Regisseur: {d.regisseur}")
    if d.periode:
        lines.append(f"Periode: {d.periode}; status: {d.status}")
    if d.strategie:
        lines.append(f"Strategie: {d.strategie}")
    if d.partners:
        lines.append("Partners: " + ", ".join(d.partners))
    if d.oppervlakte_ha is not None:
        lines.append(
            f"Oppervlakte: {number(d.oppervlakte_ha, 1)} ha"
            + (f"; indeling {d.jaar}" if d.jaar else "")
        )
    lines += _figures(d)
    lines += _complexen(d.complexen)
    lines += _liveability(d.leefbaarheid)
    lines += _afspraken(d.afspraken)
    if d.buurten:
        lines.append("Buurten: " + ", ".join(f"{b.naam} ({b.code})" for b in d.buurten))
    return "\n".join(lines)


def figure_text(f: Figure) -> str:
    """A key figure's value for display: a Dutch number, or why it is missing."""
    if f.waarde is None:
        return f.ontbreekt or "onbekend"
    decimals = 0 if float(f.waarde).is_integer() else 1
    unit = f" {f.eenheid}" if f.eenheid and f.eenheid != "aantal" else ""
    return number(f.waarde, decimals) + unit


def _figures(d: Dossier) -> list[str]:
    lines = []
    for head, figures in (
        ("Kerncijfers", d.kerncijfers),
        (f"Kerncijfers van wijk {d.wijk.naam if d.wijk else ''}", d.kerncijfers_wijk or []),
    ):
        if not figures:
            continue
        sources = sorted({f.bron for f in figures if f.bron})
        lines.append(f"{head}" + (f" ({'; '.join(sources)})" if sources else "") + ":")
        lines += [f"  {f.label}: {figure_text(f)}" for f in figures]
    if d.kerncijfers_toelichting and not d.kerncijfers:
        lines.append(f"  ({d.kerncijfers_toelichting})")
    return lines


def _complexen(c: Complexen) -> list[str]:
    if not c.beschikbaar:
        return ["Complexen: geen complexenbestand in deze build"]
    mark = " [voorbeelddata]" if c.voorbeelddata else ""
    per = ", ".join(f"{k} {number(v)}" for k, v in c.per_corporatie.items())
    lines = [
        f"Complexen{mark}: {c.aantal} met {number(c.woningen)} woningen"
        + (f" ({per})" if per else "")
    ]
    for r in c.lijst[:MAX_COMPLEXES]:
        lines.append(
            f"  {r.complex_id:<10} {r.naam or '(zonder naam)':<32} {r.corporatie or '':<10} "
            f"{number(r.aantal_woningen):>4} won., {r.bouwjaar or '?'}, label {r.energielabel or '?'}"
        )
    if len(c.lijst) > MAX_COMPLEXES:
        lines.append(f"  ... en nog {len(c.lijst) - MAX_COMPLEXES}")
    return lines


def _afspraken(a: Afspraken) -> list[str]:
    if not a.beschikbaar:
        return ["Afspraken: geen afsprakenregister in deze build"]
    lines = [f"Afspraken ({a.register}, ondertekend {a.ondertekend}): {len(a.lijst)}"]
    for r in a.lijst:
        voortgang = f", {percent(r.voortgang / 100)}" if r.voortgang is not None else ""
        lines.append(f"  {r.afspraak_id:<11} [{r.status}{voortgang}] {r.titel}  ({r.via})")
        lines.append(f"              trekker: {r.trekker}; partijen: {r.partijen}")
    return lines


def _liveability(lv: Liveability) -> list[str]:
    if not lv.beschikbaar:
        return ["Leefbaarheid: geen Leefbaarometer of incidenten in deze build"]
    mark = " [voorbeelddata]" if lv.voorbeelddata else ""
    lines = []
    if lv.geen_score:
        lines.append(f"Leefbaarheid{mark}: {lv.geen_score}")
    if lv.scores is not None:
        s = lv.scores
        lines.append(
            f"Leefbaarheid {lv.jaar}{mark}: {lv.klasse} (lbm {number(s.get('lbm'), 3)}, "
            f"afwijking {number(s.get('afw'), 3, sign=True)}); "
            f"aandeel zwak {percent(lv.aandeel_zwak)}"
            + (f", dekking {percent(lv.dekking)}" if lv.dekking is not None else "")
        )
        if lv.bron:
            lines.append(f"  bron: {lv.bron}")
        lines.append(
            "  dimensies: " + ", ".join(f"{k} {number(s.get(k), 3, sign=True)}" for k in DIMENSIONS)
        )
        if lv.trend:
            lines.append(
                "  verloop: "
                + ", ".join(f"{t.jaar} {number(t.afw, 3, sign=True)}" for t in lv.trend)
            )
    if lv.prioriteit is not None and lv.prioriteit.waarde is not None:
        p = lv.prioriteit
        lines.append(f"  prioriteit: {number(p.waarde, 1)} (rang {p.rang} van {p.van})")
    lines += _series("Incidenten", lv.incidenten)
    lines += _series("Geregistreerde misdrijven", lv.misdrijven)
    return lines


def _series(title: str, inc: CountSeries | None) -> list[str]:
    """A published count series, marked as sample data or with its real source."""
    if inc is None or not inc.rijen:
        return []
    t = inc.drempel
    mark = " [voorbeelddata]" if inc.voorbeelddata else (f" [echt: {inc.bron}]" if inc.bron else "")
    lines = [f"{title}{mark}:"]
    for r in inc.rijen:
        shown = ", ".join(f"{c} {_shown(r.aantallen[c], t, r.volledig)}" for c in inc.categorieen)
        rate = (
            f", {number(r.per_1000, 1)} per 1.000 inwoners per jaar"
            if r.per_1000 is not None
            else ""
        )
        detail = f"  ({shown})" if shown else ""
        total = _shown(r.aantallen["totaal"], t, r.volledig)
        lines.append(f"  {r.periode:<10} totaal {total:>5}{rate}{detail}")
    lines.append("  " + SUPPRESSED_NOTE.format(t=t))
    if not all(r.volledig for r in inc.rijen):
        lines.append(
            "  '≥': ondergrens, in de bron ontbreken waarden; 'onbekend': geen waarde in de bron."
        )
    return lines


def _shown(value: int | None, threshold: int, complete: bool = True) -> str:
    return display_count(value, threshold=threshold, complete=complete)
