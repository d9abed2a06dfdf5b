"""wijkplan: the Streamlit app. Routing only; views/ lay out widgets, the package computes.

(The views are not in a folder named ``pages/``: Streamlit would then also serve each
file as a page of its own, without this router, its layout and its sidebar.)
"""

import streamlit as st

from wijkplan import ui

st.set_page_config(page_title="Wijkplan", page_icon="🗺️", layout="wide")

pages = [
    st.Page("views/kaart.py", title="Kaart", icon="🗺️", default=True),
    st.Page("views/afspraken.py", title="Afspraken", icon="📋", url_path="afspraken"),
    st.Page("views/leefbaarheid.py", title="Leefbaarheid", icon="🏘️", url_path="leefbaarheid"),
    st.Page("views/warmte.py", title="Warmte", icon="🔥", url_path="warmte"),
    st.Page("views/downloads.py", title="Downloads", icon="⬇️", url_path="downloads"),
]
# navigation first (hidden until logged in), so a shared link to a page survives the login
navigation = st.navigation(pages, position="sidebar" if ui.current_user() else "hidden")
ui.require_login()  # every page needs a logged-in user (issue 11); stops here otherwise
ui.sidebar(ui.load_report())
navigation.run()
