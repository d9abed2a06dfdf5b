"""Page logic with Streamlit's AppTest (no browser)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import REPO
from wijkplan import read


def test_app_routes_and_shows_sample_notice(app_env):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
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
