"""The Afspraken page and the agreements in the map dossier (AppTest)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import REPO
from wijkplan.afspraken.ledger import load_ledger
from wijkplan.afspraken.store import StatusStore


def page() -> AppTest:
    return AppTest.from_file(str(REPO / "views" / "afspraken.py"), default_timeout=60)


def test_lists_and_filters(app_env):
    at = page().run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 14
    at.selectbox(key="f_thema").select("leefbaarheid").run()
    ids = at.dataframe[0].value["id"].tolist()
    assert ids == ["PA2021-04a", "PA2021-04b"]
    at.selectbox(key="f_partij").select("Politie").run()
    assert len(at.dataframe[0].value) == 2
    at.selectbox(key="f_gebied").select("Edelstenenbuurt (BU04840306)").run()
    assert at.dataframe[0].value["id"].tolist() == ["PA2021-04a"]


def test_update_with_comment_and_history(app_env, isolated_status_store):
    at = page()
    at.query_params["afspraak"] = "PA2021-05c"
    at.run()
    assert at.subheader[0].value.startswith("PA2021-05c")
    at.selectbox(key="status-PA2021-05c").select("vertraagd")
    at.text_input(key="door-PA2021-05c").input("B. Energie")
    at.text_area(key="opmerking-PA2021-05c").input("Warmtenet fase 1 schuift op")
    at.button[0].click().run()
    assert not at.exception
    assert at.success and "vertraagd" in at.success[0].value
    history = at.dataframe[-1].value
    assert history["nieuw"].tolist() == ["vertraagd"]
    assert history["door"].tolist() == ["B. Energie"]
    state = StatusStore(isolated_status_store).current(
        "PA2021-05c", load_ledger(REPO / "data/afspraken/prestatieafspraken-2021.yaml")
    )
    assert state.status == "vertraagd" and state.version == 1


def test_concurrent_edit_gets_conflict_message(app_env, isolated_status_store):
    at = page()
    at.query_params["afspraak"] = "PA2021-04b"
    at.run()
    # somebody else saves after this coordinator opened the form
    ledger = load_ledger(REPO / "data/afspraken/prestatieafspraken-2021.yaml")
    StatusStore(isolated_status_store).update(
        "PA2021-04b", status="lopend", door="C. Collega", expected_version=0, ledger=ledger
    )
    at.selectbox(key="status-PA2021-04b").select("gerealiseerd")
    at.text_input(key="door-PA2021-04b").input("B. Energie")
    at.button[0].click().run()
    assert at.error and "C. Collega" in at.error[0].value
    state = StatusStore(isolated_status_store).current("PA2021-04b", ledger)
    assert (state.status, state.version) == ("lopend", 1)
    # the form now shows the colleague's change, so a second save does not blindly overwrite it
    assert at.selectbox(key="status-PA2021-04b").value == "lopend"


def test_missing_name_is_refused(app_env):
    at = page()
    at.query_params["afspraak"] = "PA2021-04b"
    at.run()
    at.selectbox(key="status-PA2021-04b").select("lopend")
    at.button[0].click().run()
    assert at.error and "door" in at.error[0].value


def test_map_dossier_shows_agreements(app_env):
    at = AppTest.from_file(str(REPO / "views" / "kaart.py"), default_timeout=60)
    at.query_params["gebied"] = "BU04840306"
    at.run()
    assert not at.exception
    tables = [df.value for df in at.dataframe if "afspraak" in df.value.columns]
    direct, wide = tables[0], tables[1]
    assert direct["id"].tolist() == ["PA2021-04a"]
    assert "Tom in de buurt" in direct["partijen"].iloc[0]
    assert len(wide) >= 5
    assert any("Regiegebied [Edelstenenbuurt]" in m.value for m in at.markdown)
