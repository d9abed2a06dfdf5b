"""The sidebar every page shares: where the figures come from, and when they were built.

It warns which sources are sample data, names the real ones and says when the layers
were built (and that the base map is off when offline). The module is not called
``sidebar`` so that ``wijkplan.ui.sidebar`` stays the function the pages call.
"""

from __future__ import annotations

import streamlit as st

from wijkplan.report import REAL, SAMPLE, BuildReport
from wijkplan.text_safety import markdown_text as md
from wijkplan.ui.data import basemap, layers_path

SAMPLE_NOTICE = (
    "Let op: deze kaart toont **voorbeelddata** voor {bronnen}. Die gegevens zijn gegenereerd "
    "en beschrijven geen echte situatie. Complexen en incidentregistraties zijn niet openbaar; "
    "de Leefbaarometer, de BAG, EP-Online en de woningcijfers van CBS zijn open data, maar niet "
    "te downloaden op een machine zonder internet. Leg de echte bestanden in de bronmap en bouw "
    "opnieuw."
)
REAL_NOTE = "Echte cijfers: {bronnen}."
SAMPLE_NAMES = {
    "complexen": "corporatiecomplexen",
    "leefbaarometer": "Leefbaarometer-scores",
    "leefbaarometer_buurten": "Leefbaarometer-buurtscores",
    "incidenten": "incidentregistraties",
    "kerncijfers": "woningcijfers per buurt (in de vorm van CBS)",
    "bag": "BAG-panden",
    "energielabels": "energielabels",
    "oppervlaktewater": "oppervlaktewater (schematisch)",
    "aquathermie": "ligging en woningen van het aquathermieproject",
}
REAL_NAMES = {
    "buurten": "grenzen",
    "kerncijfers": "kerncijfers",
    "misdrijven": "geregistreerde misdrijven",
    "incidenten": "incidenten",
    "leefbaarometer": "Leefbaarometer",
    "leefbaarometer_buurten": "Leefbaarometer-buurtscores",
    "warmteplan": "warmteplan",
}


def sidebar(report: BuildReport | None) -> None:
    """The sidebar every page shares: build facts and the sample-data notice."""
    with st.sidebar:
        if report is None:
            st.error(f"Nog geen lagen gebouwd ({layers_path()}). Draai `wijkplan build`.")
            return
        if report.uses_sample_data:
            sample = list(
                dict.fromkeys(
                    md(SAMPLE_NAMES.get(s.name, s.name)) for s in report.sources if s.kind == SAMPLE
                )
            )
            st.warning(SAMPLE_NOTICE.format(bronnen=", ".join(sample)), icon="⚠️")
        real = [
            f"{REAL_NAMES.get(s.name, s.name)} ({md(s.label)})"
            for s in report.sources
            if s.kind == REAL and s.label and s.name in REAL_NAMES
        ]
        if real:
            st.caption(REAL_NOTE.format(bronnen="; ".join(real)))
        st.caption(
            f"Gemeente {md(report.gemeentecode)} · lagen gebouwd {md(report.built_at[:16].replace('T', ' '))} UTC"
        )
        if basemap() == "geen":
            st.caption(
                "Achtergrondkaart: geen (offline). De kaartlagen werken volledig zonder internet."
            )
