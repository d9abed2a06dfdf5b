"""The dossier as plain text for the terminal (Dutch), from the typed :class:`Dossier`."""

from __future__ import annotations

from wijkplan.analysis.privacy import SUPPRESSED_NOTE, display_count
from wijkplan.catalogue import DIMENSIONS
from wijkplan.dossier.model import (
    Afspraken,
    AquathermalScope,
    Complexen,
    CountSeries,
    Dossier,
    Figure,
    Heat,
    Liveability,
    Quantity,
)
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
    lines += _heat(d.warmte)
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


def quantity_text(q: Quantity) -> str:
    """A value with its unit in Dutch: fractions as percentages, counts without a unit."""
    if q.waarde is None:
        return "onbekend"
    unit = q.eenheid or ""
    if unit.startswith("fractie"):
        return percent(q.waarde)
    if unit == "%" or unit.startswith("% "):
        return f"{number(q.waarde, 0 if float(q.waarde).is_integer() else 1)}{unit}"
    decimals = 0 if abs(q.waarde) >= 100 or float(q.waarde).is_integer() else 1
    if abs(q.waarde) < 1 and q.waarde != 0:
        decimals = 3
    shown = number(q.waarde, decimals)
    return shown if unit in ("", "aantal") else f"{shown} {unit}"


def _heat(h: Heat) -> list[str]:
    if not h.beschikbaar:
        return ["Warmte: geen warmteplan in deze build"]
    mark = " [voorbeelddata]" if h.plan_voorbeelddata else ""
    lines = [f"Warmte{mark}: {h.plan}"]
    if h.gebied is not None:
        assumed = " (begrenzing: aanname)" if h.begrenzing == "aanname" else ""
        lines.append(f"  warmtegebied: {h.gebied.naam} ({h.gebied.code}){assumed}")
    if h.strategie:
        lines.append(
            f"  strategie (plan): {h.strategie}" + (f"; {h.warmtebron}" if h.warmtebron else "")
        )
        if h.strategie_bron:
            lines.append(f"    bron: {h.strategie_bron}")
    if h.fase or h.startjaar or h.periode:
        when = ", ".join(
            x
            for x in (
                h.fase and f"fase {h.fase}",
                h.startjaar and f"startjaar {h.startjaar}",
                h.periode and f"periode {h.periode}",
            )
            if x
        )
        lines.append(f"  {when}")
    if h.indicatie is not None:
        sample = " [invoer deels voorbeelddata]" if h.indicatie.voorbeelddata else ""
        lines.append(f"  indicatie (vuistregels){sample}: {h.indicatie.strategie}")
        lines += [f"    - {r}" for r in h.indicatie.redenen]
    if h.afwijking:
        lines.append(f"  verschil plan en indicatie: {h.afwijking}")
    if h.pbl is not None:
        lines.append(
            f"  PBL Startanalyse: {h.pbl.strategie or '?'} ({h.pbl.variant or '?'}), nationale "
            f"meerkosten {number(h.pbl.nat_meerkosten_weq, 0)} euro per WEQ per jaar"
        )
    shown = [q for q in h.invoer if q.waarde is not None]
    if shown:
        lines.append("  invoer:")
        lines += [f"    {q.omschrijving}: {quantity_text(q)}{_sample_mark(q.bron)}" for q in shown]
    if h.strategieen:
        lines.append(
            "  strategie per buurt: " + ", ".join(f"{k} {v}" for k, v in h.strategieen.items())
        )
    if h.aquathermie is not None:
        lines += _aquathermal(h.aquathermie)
    return lines


def _aquathermal(a: AquathermalScope) -> list[str]:
    mark = " [ligging schematisch]" if a.schematisch else ""
    lines = [f"  Aquathermie: {a.naam} ({a.gebied.naam}){mark}"]
    if a.bronwater:
        lines.append(f"    bronwater: {a.bronwater}" + (f"; {a.techniek}" if a.techniek else ""))
    if a.leverancier:
        lines.append(f"    leverancier: {a.leverancier}")
    for p in a.onderdelen:
        if p.onderdeel == "bronwater":
            continue
        homes = f", {number(p.woningen)} woningen" if p.woningen is not None else ""
        mark = " [voorbeelddata]" if p.voorbeelddata else ""
        lines.append(
            f"    {p.naam} ({p.soort or p.onderdeel}{homes}): {p.status or '?'}; "
            f"ligging {p.ligging}{mark}"
        )
    for q in a.raming:
        if q.soort == "uitkomst":
            lines.append(f"    {q.omschrijving}: {quantity_text(q)}{_sample_mark(q.bron)}")
    if a.aandeel_ondertekenaars is not None:
        s = a.aandeel_ondertekenaars
        lines.append(
            f"    {s.omschrijving}: {number(s.waarde, 0)} {s.eenheid or ''} (zo gepubliceerd)"
        )
    return lines


def _sample_mark(bron: str | None) -> str:
    return " [voorbeelddata]" if bron and "voorbeelddata" in bron else ""
