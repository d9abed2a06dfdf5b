"""Each role logs in in a real chromium and tries one change it may make and one it may not."""

from __future__ import annotations

import pytest

from tests.test_browser import (  # noqa: F401  (app_url: fixture)
    APP_STATE,
    CHROMIUM,
    FLAGS,
    app_url,
    login,
)
from wijkplan.afspraken.store import StatusStore

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _open(browser, url: str, naam: str, afspraak: str):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/afspraken?afspraak={afspraak}", wait_until="domcontentloaded")
    login(page, naam)
    page.get_by_role("heading", name=afspraak).first.wait_for(timeout=30_000)
    return page


def _set_progress_and_save(page, value: str) -> None:  # type: ignore[no-untyped-def]
    field = page.get_by_label("Voortgang (%)")
    field.fill(value)
    field.press("Tab")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Opgeslagen:").wait_for(timeout=30_000)


def _no_form(page) -> None:  # type: ignore[no-untyped-def]
    assert page.get_by_role("button", name="Opslaan").count() == 0
    assert page.get_by_label("Voortgang (%)").count() == 0


def test_each_role_may_and_may_not(app_url):  # noqa: F811
    from playwright.sync_api import sync_playwright

    store = StatusStore(APP_STATE["store"])
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)

        # coordinator: any agreement
        page = _open(browser, app_url, "coordinator", "PA2021-02b")
        _set_progress_and_save(page, "15")
        page.close()

        # corporation Woonforte: its own agreement, not Habeko's
        page = _open(browser, app_url, "woonforte", "PA2021-02a")
        _set_progress_and_save(page, "25")
        page.close()
        page = _open(browser, app_url, "woonforte", "PA2021-02b")
        page.get_by_text("woonforte is geen partij bij afspraak PA2021-02b").wait_for()
        _no_form(page)
        page.close()

        # tenant organisation: a comment, no status or progress
        page = _open(browser, app_url, "hogh", "PA2021-04a")
        _no_form(page)
        page.get_by_label("Opmerking").fill("Bewoners vragen om meer verlichting")
        page.get_by_role("button", name="Opmerking plaatsen").click()
        page.get_by_text("Opmerking geplaatst.").wait_for(timeout=30_000)
        page.close()

        # reader: reads the list, changes nothing
        page = _open(browser, app_url, "lezer", "PA2021-04a")
        page.get_by_text("alleen leesrechten").wait_for()
        _no_form(page)
        assert page.get_by_role("button", name="Opmerking plaatsen").count() == 0
        page.close()

        # nobody: the login only
        page = browser.new_page()
        page.goto(f"{app_url}/afspraken?afspraak=PA2021-04a", wait_until="domcontentloaded")
        page.get_by_text("Log in om de kaart").wait_for(timeout=30_000)
        assert page.get_by_role("heading", name="PA2021-04a").count() == 0
        browser.close()

    history = store.history()
    assert history[["afspraak_id", "veld", "door"]].values.tolist() == [
        ["PA2021-02b", "voortgang", "coordinator"],
        ["PA2021-02a", "voortgang", "woonforte"],
        ["PA2021-04a", "opmerking", "hogh"],
    ]
