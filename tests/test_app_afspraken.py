"""The Afspraken page and the agreements in the map dossier (AppTest)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import REPO, ROLE_PASSWORD, logged_in
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


LEDGER = REPO / "data/afspraken/prestatieafspraken-2021.yaml"


def opened(afspraak_id: str, naam: str | None) -> AppTest:
    at = page()
    if naam is not None:
        logged_in(at, naam)
    at.query_params["afspraak"] = afspraak_id
    return at.run()


def test_update_records_the_logged_in_user(app_env, role_users, isolated_status_store):
    at = opened("PA2021-05c", "coordinator")
    assert at.subheader[0].value.startswith("PA2021-05c")
    assert not at.text_input, "no typed name: the history records the logged-in user"
    at.selectbox(key="status-PA2021-05c").select("vertraagd")
    at.text_area(key="opmerking-PA2021-05c").input("Warmtenet fase 1 schuift op")
    at.button[0].click().run()
    assert not at.exception
    assert at.success and "vertraagd" in at.success[0].value
    history = at.dataframe[-1].value
    assert history["nieuw"].tolist() == ["vertraagd"]
    assert history["door"].tolist() == ["coordinator"]
    state = StatusStore(isolated_status_store).current("PA2021-05c", load_ledger(LEDGER))
    assert state.status == "vertraagd" and state.version == 1


def test_concurrent_edit_gets_conflict_message(app_env, role_users, isolated_status_store):
    at = opened("PA2021-04b", "coordinator")
    # somebody else saves after this coordinator opened the form
    ledger = load_ledger(LEDGER)
    StatusStore(isolated_status_store).update(
        "PA2021-04b", status="lopend", door="C. Collega", expected_version=0, ledger=ledger
    )
    at.selectbox(key="status-PA2021-04b").select("gerealiseerd")
    at.button[0].click().run()
    assert at.error and "C. Collega" in at.error[0].value
    state = StatusStore(isolated_status_store).current("PA2021-04b", ledger)
    assert (state.status, state.version) == ("lopend", 1)
    # the form now shows the colleague's change, so a second save does not blindly overwrite it
    assert at.selectbox(key="status-PA2021-04b").value == "lopend"


def test_corporation_changes_its_own_agreement_only(app_env, role_users, isolated_status_store):
    # PA2021-01b: Habeko and Woonforte are parties
    at = opened("PA2021-01b", "habeko")
    at.selectbox(key="status-PA2021-01b").select("lopend")
    at.button[0].click().run()
    assert at.success and "lopend" in at.success[0].value
    assert at.dataframe[-1].value["door"].tolist() == ["habeko"]
    # PA2021-02a: only Woonforte; Habeko sees it, but no form
    at = opened("PA2021-02a", "habeko")
    assert not at.button and "status-PA2021-02a" not in [s.key for s in at.selectbox]
    assert any("habeko is geen partij bij afspraak PA2021-02a" in i.value for i in at.info)
    assert StatusStore(isolated_status_store).history("PA2021-02a").empty


def test_tenant_organisation_comments_but_cannot_change(app_env, role_users, isolated_status_store):
    at = opened("PA2021-04a", "hogh")
    assert "status-PA2021-04a" not in [s.key for s in at.selectbox]
    assert any("geen status of voortgang wijzigen" in c.value for c in at.caption)
    at.text_area(key="opmerking-PA2021-04a").input("Bewoners melden overlast bij de flat")
    at.button[0].click().run()
    assert not at.exception
    assert at.success and at.success[0].value == "Opmerking geplaatst."
    history = StatusStore(isolated_status_store).history("PA2021-04a")
    assert history[["veld", "door", "opmerking"]].values.tolist() == [
        ["opmerking", "hogh", "Bewoners melden overlast bij de flat"]
    ]
    state = StatusStore(isolated_status_store).current("PA2021-04a", load_ledger(LEDGER))
    assert state.version == 0  # a comment changes nothing


def test_reader_and_no_session_cannot_change(app_env, role_users, isolated_status_store):
    at = opened("PA2021-05c", "lezer")
    assert not at.button and not at.text_area
    assert any("lezer heeft alleen leesrechten" in i.value for i in at.info)
    at = opened("PA2021-05c", None)
    assert not at.button and not at.text_area
    assert any("log eerst in" in i.value for i in at.info)


def test_removed_user_is_logged_out_at_the_next_run(app_env, role_users):
    from wijkplan.users.accounts import UsersFile

    at = opened("PA2021-05c", "coordinator")
    assert at.button
    UsersFile(role_users).remove("coordinator")
    at.run()
    assert not at.button and "gebruiker" not in at.session_state


def test_app_asks_for_a_login_first(app_env, role_users):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Wijkplan"]  # nothing of the map before a login
    at.sidebar.text_input(key="login-naam").input("woonforte")
    at.sidebar.text_input(key="login-wachtwoord").input("verkeerd-wachtwoord")
    at.sidebar.button[0].click().run()
    assert "verkeerd wachtwoord" in at.sidebar.error[0].value
    assert [t.value for t in at.title] == ["Wijkplan"]
    at.sidebar.text_input(key="login-wachtwoord").input(ROLE_PASSWORD)
    at.sidebar.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "Kaart"
    assert any("Ingelogd als **woonforte**" in c.value for c in at.sidebar.caption)
    at.sidebar.button(key="uitloggen").click().run()
    assert [t.value for t in at.title] == ["Wijkplan"]


def test_app_without_users_is_read_only_and_says_how_to_make_one(app_env):
    """Before any account exists (one machine, a demo) everyone reads and nobody changes."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Kaart"
    assert any("wijkplan gebruikers init" in w.value for w in at.sidebar.warning)
    at = opened("PA2021-05c", None)
    assert not at.exception
    assert at.subheader[0].value.startswith("PA2021-05c")  # readable
    assert not at.button and not at.text_area  # not changeable
    assert any("alleen leesrechten" in i.value for i in at.info)


def test_app_offers_the_identity_provider_when_configured(app_env):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x",
        "microsoft": {"client_id": "c", "client_secret": "s", "server_metadata_url": "u"},
    }
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Inloggen via microsoft"]
    assert not at.sidebar.text_input  # no local password form beside the provider


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


def test_a_damaged_users_file_is_one_error_line_on_the_login_page(app_env, isolated_users_file):
    isolated_users_file.write_text('[gebruikers."a b"]\nrol = "lezer"\n', encoding="utf-8")
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert message.startswith("Inloggen is niet mogelijk: ") and "\n" not in message
    assert "ongeldige gebruikersnaam" in message
    assert not at.title or at.title[0].value != "Kaart"  # nothing of the map
    isolated_users_file.write_text("gebruikers = [", encoding="utf-8")
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not at.exception and len(at.error) == 1
    assert "gebruikersbestand niet te lezen" in at.error[0].value
    at = logged_in(AppTest.from_file(str(REPO / "views" / "afspraken.py"), default_timeout=60))
    at.run()  # a page that asks who is logged in, with a session
    assert not at.exception and len(at.error) == 1
    assert at.error[0].value.startswith("Inloggen is niet mogelijk: ")
