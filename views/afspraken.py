"""Afspraken: list and filter the prestatieafspraken; update status with a comment; history."""

import streamlit as st

from wijkplan import ui
from wijkplan.afspraken.linking import (
    afspraken_overview,
    applicable_afspraken,
    filter_afspraken,
)
from wijkplan.afspraken.service import change
from wijkplan.afspraken.store import MAX_OPMERKING
from wijkplan.errors import ConflictError, WijkplanError
from wijkplan.text_safety import markdown_text as md
from wijkplan.users.policy import OPMERKING, WIJZIGEN, may

ALLE = "(alle)"


def filters(data) -> dict[str, str | None]:
    ledger = data.ledger
    c1, c2, c3, c4 = st.columns(4)
    thema = c1.selectbox("Thema", [ALLE, *ledger.themas], key="f_thema")
    partij = c2.selectbox("Partij", [ALLE, *(p.naam for p in ledger.partijen)], key="f_partij")
    status = c3.selectbox("Status", [ALLE, *ledger.statussen], key="f_status")
    options = ui.area_options(data)
    gebied = c4.selectbox("Gebied", [ALLE, *options], key="f_gebied")
    return {
        "thema": None if thema == ALLE else thema,
        "partij": None if partij == ALLE else partij,
        "status": None if status == ALLE else status,
        "gebied": None if gebied == ALLE else options[gebied],
    }


def overview(data, chosen: dict[str, str | None]):
    ledger, store = data.ledger, ui.status_store()
    if chosen["gebied"]:
        frame = applicable_afspraken(ledger, data.areas, chosen["gebied"], store=store)
    else:
        frame = afspraken_overview(ledger, store=store)
    return filter_afspraken(
        frame, ledger, thema=chosen["thema"], partij=chosen["partij"], status=chosen["status"]
    )


def _update_form(ledger, afspraak_id: str, state, user):
    """Status, progress and a comment; the history records the logged-in user."""
    with st.form(f"update-{afspraak_id}"):
        status = st.selectbox(
            "Nieuwe status",
            list(ledger.statussen),
            index=list(ledger.statussen).index(state.status)
            if state.status in ledger.statussen
            else 0,
            key=f"status-{afspraak_id}",
        )
        voortgang = st.number_input(
            "Voortgang (%)",
            min_value=0,
            max_value=100,
            value=state.voortgang,
            step=5,
            key=f"voortgang-{afspraak_id}",
        )
        opmerking = st.text_area(
            "Opmerking", key=f"opmerking-{afspraak_id}", max_chars=MAX_OPMERKING
        )
        st.caption(f"Wordt vastgelegd als {md(user.naam)}.")
        submitted = st.form_submit_button("Opslaan")
    return status, voortgang, opmerking, submitted


def edit_form(data, afspraak_id: str) -> None:
    ledger, store = data.ledger, ui.status_store()
    a = ledger.afspraak(afspraak_id)
    state = store.current(afspraak_id, ledger)
    if melding := st.session_state.pop("melding", None):
        st.success(md(melding))
    if fout := st.session_state.pop("fout", None):
        st.error(md(fout))
    st.subheader(f"{md(a.id)}: {md(a.titel)}")
    st.caption(
        f"Thema {md(a.thema)} · trekker {md(ledger.partij_naam(a.trekker))} · {md(a.jaar)} "
        f"(periode {md(a.periode)})"
    )
    st.markdown(f"> {md(a.tekst)}")
    if a.toelichting:
        st.caption(f"Toelichting: {md(a.toelichting)}")
    st.markdown("**Partijen:** " + ", ".join(md(ledger.partij_naam(p)) for p in a.partijen))
    st.markdown("**Gebieden:** " + ", ".join(md(g.label) for g in a.gebieden))
    st.markdown(
        f"**Huidige status:** {md(state.status)} · voortgang {state.voortgang if state.voortgang is not None else '—'}% · versie {state.version}"
    )
    user = ui.current_user()
    seen_key = f"gezien-{afspraak_id}"
    allowed = may(user, WIJZIGEN, a, ledger)
    if allowed:
        status, voortgang, opmerking, submitted = _update_form(ledger, afspraak_id, state, user)
    elif may(user, OPMERKING, a, ledger):
        st.caption(f"{md(allowed.reden)}.")
        with st.form(f"opmerking-form-{afspraak_id}"):
            opmerking = st.text_area(
                "Opmerking", key=f"opmerking-{afspraak_id}", max_chars=MAX_OPMERKING
            )
            submitted = st.form_submit_button("Opmerking plaatsen")
        status, voortgang = state.status, state.voortgang
    else:
        st.info(f"Alleen lezen: {md(allowed.reden)}.")
        submitted = False
    if submitted:
        # compare with what this coordinator saw when the form was drawn, not with the store now:
        # if a colleague saved in between, the versions differ and the store refuses the change
        seen = st.session_state.get(seen_key, state)
        try:
            outcome = change(
                store,
                ledger,
                user,
                afspraak_id,
                status=status if status != seen.status else None,
                voortgang=None
                if voortgang is None or voortgang == seen.voortgang
                else int(voortgang),
                opmerking=opmerking or None,
                expected_version=seen.version,
            )
        except ConflictError as exc:
            # somebody else saved first: show their change in a fresh form, keep the message
            st.session_state["fout"] = str(exc)
            for key in (f"status-{afspraak_id}", f"voortgang-{afspraak_id}"):
                st.session_state.pop(key, None)
            st.session_state[seen_key] = store.current(afspraak_id, ledger)
            st.rerun()
        except WijkplanError as exc:
            st.error(md(exc))
        else:
            new = outcome.state
            st.session_state["melding"] = (
                "Opmerking geplaatst."
                if outcome.comment_only
                else f"Opgeslagen: {new.status}, voortgang "
                f"{new.voortgang if new.voortgang is not None else '—'}% (versie {new.version})."
            )
            st.session_state.pop(f"opmerking-{afspraak_id}", None)
            st.session_state[seen_key] = new
            st.rerun()  # redraw with the stored state
    st.session_state[seen_key] = store.current(afspraak_id, ledger)
    history = store.history(afspraak_id)
    st.markdown("**Historie**")
    if history.empty:
        st.caption("Nog geen wijzigingen sinds ondertekening.")
    else:
        st.dataframe(
            history[["tijdstip", "door", "veld", "oud", "nieuw", "opmerking", "versie"]],
            hide_index=True,
            width="stretch",
        )


def main() -> None:
    data = ui.load_layers()
    st.title("Afspraken")
    if data.ledger is None:
        st.info("Deze build heeft geen afsprakenregister.")
        return
    meta = data.ledger.meta
    st.caption(
        f"{md(meta.titel)} · ondertekend {meta.ondertekend:%d-%m-%Y} · periode {md(meta.periode)}"
    )
    try:
        frame = overview(data, filters(data))
    except WijkplanError as exc:
        st.error(md(exc))
        return
    st.dataframe(ui.afspraken_table(frame), hide_index=True, width="stretch")
    st.caption(f"{len(frame)} van {len(data.ledger.afspraken)} afspraken")
    ids = list(frame["afspraak_id"])
    if not ids:
        return
    labels = {f"{i}: {t}": i for i, t in zip(frame["afspraak_id"], frame["titel"], strict=True)}
    wanted = st.query_params.get("afspraak")
    default = next((k for k, v in labels.items() if v == wanted), next(iter(labels)))
    choice = st.selectbox(
        "Afspraak bekijken of bijwerken", list(labels), index=list(labels).index(default)
    )
    st.query_params["afspraak"] = labels[choice]
    st.divider()
    edit_form(data, labels[choice])


main()
