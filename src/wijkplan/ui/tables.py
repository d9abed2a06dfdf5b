"""Display tables shared by the pages and the dossier: liveability ranking, agreements.

Numbers in Dutch notation, published counts suppressed as "<5", agreement statuses
with a marker.
"""

from __future__ import annotations

import pandas as pd

from wijkplan.analysis.privacy import display_count
from wijkplan.dossier.model import AfspraakRow
from wijkplan.numbers import number, percent
from wijkplan.read import BuiltLayers

SCORE_SOURCE_LABELS = {"grid": "grid", "buurtbestand": "Leefbaarometer-buurtscore"}


def ranking_table(data: BuiltLayers) -> pd.DataFrame:
    """The buurten by liveability priority, for display (Dutch numbers, suppressed counts)."""
    lb = data.tables["leefbaarheid"]
    t = data.report.threshold
    table = lb.sort_values(["rang", "buurtnaam"], na_position="last")
    out = pd.DataFrame(
        {
            "rang": table["rang"].astype("Int64"),
            "buurt": table["buurtnaam"],
            "code": table["buurtcode"],
            "prioriteit": [number(v, 1) for v in table["prioriteit"]],
            "klasse": table["klasse"],
            "afwijking": [number(v, 3, sign=True) for v in table["afw"]],
            "aandeel zwak": [percent(v) for v in table["aandeel_zwak"]],
        }
    )
    if "scorebron" in table:
        out["score uit"] = [SCORE_SOURCE_LABELS.get(str(v), "") for v in table["scorebron"]]
    if "totaal" in table:
        out["incidenten (periode)"] = shown_counts(table["totaal"], t)
    if "incidenten_waarde" in table:
        out["incidentmaat"] = [
            "afgeschermd" if geschat else number(v, 1, missing="")
            for v, geschat in zip(
                table["incidenten_waarde"], table["incidenten_geschat"], strict=True
            )
        ]
    if "misdrijven_per_1000" in table:
        year = table["misdrijven_jaar"].dropna()
        label = (
            f"misdrijven per 1.000 ({int(year.iloc[0])}, echt)"
            if len(year)
            else "misdrijven per 1.000"
        )
        out[label] = [number(v, 1, missing="—") for v in table["misdrijven_per_1000"]]
    out["betrouwbaar"] = table["betrouwbaar"].to_numpy()
    return out


def shown_counts(values: pd.Series, threshold: int) -> list[str]:
    """A column of published counts for display: suppressed ones as "<5", never 0."""
    return [display_count(None if pd.isna(v) else int(v), threshold=threshold) for v in values]


STATUS_ICONS = {
    "voorgenomen": "⚪",
    "lopend": "🔵",
    "gerealiseerd": "🟢",
    "vertraagd": "🟠",
    "vervallen": "⚫",
}


def afspraken_table(rows: list[AfspraakRow] | pd.DataFrame) -> pd.DataFrame:
    """Agreements as a display table (Dutch headers, status with a marker)."""
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame([vars(r) for r in rows])
    if frame.empty:
        return frame
    out = pd.DataFrame(
        {
            "id": frame["afspraak_id"],
            "status": [f"{STATUS_ICONS.get(s, '')} {s}" for s in frame["status"]],
            "voortgang %": ["—" if pd.isna(v) else str(int(v)) for v in frame["voortgang"]],
            "thema": frame["thema"],
            "afspraak": frame["titel"],
            "trekker": frame["trekker"],
            "partijen": frame["partijen"],
        }
    )
    if "via" in frame.columns and frame["via"].astype(bool).any():
        out["geldt via"] = frame["via"]
    return out
