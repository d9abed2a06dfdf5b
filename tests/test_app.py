"""Page logic with Streamlit's AppTest (no browser)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import REPO, logged_in
from wijkplan import read


def test_app_routes_and_shows_sample_notice(app_env, role_users):
    at = logged_in(AppTest.from_file(str(REPO / "app.py"), default_timeout=60)).run()
    assert not at.exception
    assert any("voorbeelddata" in w.value for w in at.sidebar.warning)
    assert at.title[0].value == "Kaart"


def test_map_page_dossier_from_shareable_link(app_env):
    at = AppTest.from_file(str(REPO / "views" / "kaart.py"), default_timeout=60)
    at.query_params["gebied"] = "BU04840210"
    at.run()
    assert not at.exception
    assert [s.value for s in at.subheader] == ["Planetenbuurt-Noord"]
    complexen = read.read_layer(app_env, "complexen")
    here = set(complexen.loc[complexen["buurtcode"] == "BU04840210", "naam"])
    assert here and any(set(df.value.get("naam", [])) == here for df in at.dataframe)


def test_map_page_search_selects_area(app_env):
    at = AppTest.from_file(str(REPO / "views" / "kaart.py"), default_timeout=60).run()
    assert not at.exception
    assert at.info and "Klik op een buurt" in at.info[0].value
    at.selectbox[0].select("Wijk Ridderveld (WK048402)").run()
    assert [s.value for s in at.subheader] == ["Ridderveld"]
    assert at.query_params["gebied"] == ["WK048402"] or at.query_params["gebied"] == "WK048402"


def test_unknown_code_in_link_gives_one_line(app_env):
    at = AppTest.from_file(str(REPO / "views" / "kaart.py"), default_timeout=60)
    at.query_params["gebied"] = "BU04849999"
    at.run()
    assert not at.exception
    assert "BU04849999" in at.error[0].value


def test_missing_layers_says_so(monkeypatch, tmp_path):
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("WIJKPLAN_LAYERS", str(tmp_path / "none.gpkg"))
    at = AppTest.from_file(str(REPO / "views" / "kaart.py"), default_timeout=60).run()
    assert not at.exception
    assert "nog niet gebouwd" in at.error[0].value


def test_dossier_shows_real_crime_beside_sample_incidents(app_env, role_users):
    import pandas as pd

    crime = pd.read_csv(REPO / "data/geo/politie_47018NED_2023_GM0484.csv")
    count = int(crime.set_index("WijkenEnBuurten").loc["BU04840306", "GeregistreerdeMisdrijven_1"])
    inhabitants = pd.read_csv(REPO / "data/geo/cbs_85984NED_2024_inwoners_buurten_GM0484.csv")
    people = int(inhabitants.set_index("nhood_id").loc["BU04840306", "population"])
    at = logged_in(AppTest.from_file(str(REPO / "app.py"), default_timeout=60))
    at.query_params["gebied"] = "BU04840306"
    at.run()
    assert not at.exception
    texts = [m.value for m in at.markdown]
    assert any(t.startswith("**Geregistreerde misdrijven — echt: Politie") for t in texts)
    assert any(t.startswith("**Incidenten per jaar — voorbeelddata") for t in texts)
    tables = [df.value for df in at.dataframe if "periode" in df.value.columns]
    real = next(
        t for t in tables if list(t.columns) == ["periode", "totaal", "per 1.000 inwoners per jaar"]
    )
    shown = "<5" if 1 <= count <= 4 else f"{count:,}".replace(",", ".")
    assert real["totaal"].tolist() == [shown] and "," in real["per 1.000 inwoners per jaar"].iloc[0]
    figures = [t.value for t in at.table]
    assert any(f"{people:,}".replace(",", ".") in df["waarde"].tolist() for df in figures)
    assert any("geregistreerde misdrijven (Politie" in c.value for c in at.sidebar.caption)
