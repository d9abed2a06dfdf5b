"""wijkplan: the Streamlit app. Routing only; pages lay out widgets, the package computes."""

import streamlit as st

from wijkplan import ui

st.set_page_config(page_title="Wijkplan Alphen aan den Rijn", page_icon="🗺️", layout="wide")

pages = [
    st.Page("pages/kaart.py", title="Kaart", icon="🗺️", default=True, url_path="kaart"),
    st.Page("pages/afspraken.py", title="Afspraken", icon="📋", url_path="afspraken"),
]
navigation = st.navigation(pages)
ui.sidebar(ui.load_report())
navigation.run()
