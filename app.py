"""wijkplan: the Streamlit app. Routing only; views/ lay out widgets, the package computes.

(The views are not in a folder named ``pages/``: Streamlit would then also serve each
file as a page of its own, without this router, its layout and its sidebar.)
"""

import streamlit as st

from wijkplan import ui

st.set_page_config(page_title="Wijkplan", page_icon="🗺️", layout="wide")
ui.require_login()  # every page needs a logged-in user (issue 11); stops here otherwise

pages = [
    st.Page("views/kaart.py", title="Kaart", icon="🗺️", default=True),
    st.Page("views/afspraken.py", title="Afspraken", icon="📋", url_path="afspraken"),
    st.Page("views/leefbaarheid.py", title="Leefbaarheid", icon="🏘️", url_path="leefbaarheid"),
    st.Page("views/warmte.py", title="Warmte", icon="🔥", url_path="warmte"),
    st.Page("views/downloads.py", title="Downloads", icon="⬇️", url_path="downloads"),
]
navigation = st.navigation(pages)
ui.sidebar(ui.load_report())
navigation.run()
