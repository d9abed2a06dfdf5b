"""Leefbaarheid: the buurten ranked by the liveability priority, with its formula."""

import pandas as pd
import streamlit as st

from wijkplan import ui
from wijkplan.analysis.privacy import SUPPRESSED_NOTE
from wijkplan.config import load_config


def ranking(data) -> pd.DataFrame:
    lb = data.tables["leefbaarheid"]
    t = data.report.threshold
    table = lb.sort_values(["rang", "buurtnaam"], na_position="last")
    return pd.DataFrame(
        {
            "rang": table["rang"].astype("Int64"),
            "buurt": table["buurtnaam"],
            "code": table["buurtcode"],
            "prioriteit": table["prioriteit"].round(1),
            "klasse": table["klasse"],
            "afwijking": table["afw"].round(3),
            "aandeel zwak %": (100 * table["aandeel_zwak"]).round(0),
            "incidenten (periode)": ui.shown_counts(table["totaal"], t)
            if "totaal" in table
            else None,
            "incidentmaat": [
                "afgeschermd" if geschat else ("" if pd.isna(v) else f"{v:.1f}")
                for v, geschat in zip(
                    table["incidenten_waarde"], table["incidenten_geschat"], strict=True
                )
            ]
            if "incidenten_waarde" in table
            else None,
            "betrouwbaar": table["betrouwbaar"],
        }
    )


def main() -> None:
    data = ui.load_layers()
    st.title("Leefbaarheid")
    if "leefbaarheid" not in data.tables or "prioriteit" not in data.tables["leefbaarheid"]:
        st.info(
            "Deze build heeft geen Leefbaarometer-gegevens; voeg ze toe aan de bronmap en bouw opnieuw."
        )
        return
    report = data.report
    st.markdown(
        "**Prioriteit per buurt**: een doorzichtige samengestelde maat uit de Leefbaarometer en de incidenten."
    )
    if report.priority_formula:
        st.code(report.priority_formula, language=None, wrap_lines=True)
    table = ranking(data)
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(SUPPRESSED_NOTE.format(t=data.report.threshold))
    st.caption(
        "‘betrouwbaar’: minstens zoveel gescoorde cellen als ingesteld (min_cellen); een buurt met "
        "weinig woningen heeft weinig cellen en dus een onzekere score."
    )
    regie = data.tables.get("incidenten_regie")
    if regie is not None and len(regie):
        st.subheader("Regiegebieden: incidenten per jaar")
        cats = [c for c in regie.columns if c in load_config().categories]
        shown = regie[["regie_id", "periode", *cats, "totaal"]].copy()
        for c in [*cats, "totaal"]:
            shown[c] = ui.shown_counts(shown[c], data.report.threshold)
        st.dataframe(shown, hide_index=True, width="stretch")


main()
