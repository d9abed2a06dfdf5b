"""Leefbaarheid: the buurten ranked by the liveability priority, with its formula."""

import streamlit as st

from wijkplan import ui
from wijkplan.analysis.privacy import SUPPRESSED_NOTE
from wijkplan.config import load_config


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
    table = ui.ranking_table(data)
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
