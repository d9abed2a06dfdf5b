"""Kaart: the buurten and wijken on a map; clicking one shows its dossier."""

import streamlit as st
from streamlit_folium import st_folium

from wijkplan import ui
from wijkplan.dossier import build_dossier
from wijkplan.errors import WijkplanError
from wijkplan.mapping import base_map, selection_layer
from wijkplan.text_safety import markdown_text as md


def main() -> None:
    data = ui.load_layers()
    options = ui.area_options(data)
    st.title("Kaart")
    code = st.query_params.get("gebied")
    labels = list(options)
    current = next((label for label, c in options.items() if c == code), None)
    choice = st.selectbox(
        "Zoek een buurt, wijk, regiegebied of warmtegebied",
        labels,
        index=labels.index(current) if current else None,
        placeholder="Typ een naam of code…",
    )
    if choice and options[choice] != code:
        code = options[choice]
        st.query_params["gebied"] = code

    col_map, col_dossier = st.columns([3, 2], gap="medium")
    with col_map:
        themes = ui.available_themes(data)
        wanted = st.query_params.get("thema")
        theme = st.selectbox(
            "Thema op de kaart",
            themes,
            index=themes.index(wanted) if wanted in themes else 0,
            key="thema",
        )
        if theme == ui.GEEN_THEMA:
            st.query_params.pop("thema", None)
        else:
            st.query_params["thema"] = theme  # part of the shareable link
        view = ui.theme_view(data, theme)
        m = base_map(
            data.buurten,
            data.wijken,
            complexen=data.complexen,
            regiegebieden=data.regiegebieden if view.regiegebieden else None,
            buurt_style=view.buurt_style,
            complex_colours=view.complex_colours,
            complex_outline=view.complex_outline,
            buurt_info=view.buurt_info,
            heat=view.heat,
            asset_base=ui.static_assets(),
            basemap=ui.basemap(),
        )
        out = st_folium(
            m,
            key="kaart",
            height=620,
            use_container_width=True,
            returned_objects=["last_active_drawing"],
            feature_group_to_add=selection_layer(data.buurten, ui.buurten_of(data, code)),
        )
        ui.render_legend_sections(view.legend)
        st.caption(view.caption)
        clicked = (
            ((out or {}).get("last_active_drawing") or {}).get("properties", {}).get("buurtcode")
        )
        if clicked and clicked != st.session_state.get("_last_click"):
            st.session_state["_last_click"] = clicked
            if clicked != code:
                st.query_params["gebied"] = clicked
                st.rerun()
    with col_dossier:
        if not code:
            st.info(
                "Klik op een buurt op de kaart of zoek een buurt of wijk om het dossier te zien."
            )
            return
        try:
            dossier = build_dossier(code, data, store=ui.status_store())
        except WijkplanError as exc:
            st.error(md(exc))
            return
        ui.render_dossier(dossier)


main()
