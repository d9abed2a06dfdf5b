"""Warmte: the heat districts, a summary of a district, wijk or buurt, and its draft WUP."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

from wijkplan import ui
from wijkplan.afspraken.store import default_store_path
from wijkplan.dossier import build_dossier
from wijkplan.errors import WijkplanError
from wijkplan.numbers import number
from wijkplan.read import BuiltLayers
from wijkplan.text_safety import markdown_text as md

#: The kinds of area a draft WUP is made for, in the order the chooser lists them.
KINDS = ui.WUP_LEVELS
MIME = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".md": "text/markdown",
    ".png": "image/png",
}
DOWNLOAD_LABELS = {".docx": "Word (.docx)", ".md": "Markdown (.md)", ".png": "Kaart (.png)"}
#: session_state key of the made draft: its files and what they were made from
MADE = "wup_gemaakt"


def choices(data: BuiltLayers) -> dict[str, str]:
    """Label -> code of every area a WUP can be made for: districts, then wijken, buurten."""
    options = ui.area_options(data)
    kinds = {code: getattr(data.areas.get(code), "kind", None) for code in options.values()}
    if data.warmtegebieden is not None and "volgnummer" in data.warmtegebieden:
        order = {
            str(c): i
            for i, c in enumerate(data.warmtegebieden.sort_values("volgnummer")["gebied_id"])
        }
    else:
        order = {}
    ranked = sorted(
        ((label, code) for label, code in options.items() if kinds[code] in KINDS),
        key=lambda lc: (KINDS.index(str(kinds[lc[1]])), order.get(lc[1], 0), lc[0]),
    )
    return dict(ranked)


def _mtime(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else 0.0


def made_from(code: str) -> tuple[str, float, float]:
    """What a draft depends on: the area, the GeoPackage and the agreement status store.

    A draft made before a rebuild or a status change is not offered again.
    """
    return code, _mtime(ui.layers_path()), _mtime(default_store_path())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "gebied"


def make_files(code: str, naam: str, data: BuiltLayers) -> dict[str, bytes]:
    """The draft WUP as .docx and .md (with its map), made in a temp folder: name -> bytes."""
    from wijkplan.wup import write_wup  # python-docx and matplotlib only when a draft is made

    stem = f"concept-wup-{_slug(naam)}"
    files: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="wijkplan-wup-") as tmp:
        folder = Path(tmp)
        for suffix in (".docx", ".md"):
            write_wup(code, data, folder / f"{stem}{suffix}", store=ui.status_store())
        for path in sorted(folder.iterdir()):
            if path.suffix in MIME:
                files[path.name] = path.read_bytes()
    return files


def summary(code: str, data: BuiltLayers) -> str:
    """The heat summary of the chosen area; returns its name."""
    dossier = build_dossier(code, data, store=ui.status_store())
    h = dossier.warmte
    st.subheader(md(dossier.naam))
    if not h.beschikbaar:
        st.info("Geen warmteplan voor dit gebied in deze build.")
        return dossier.naam
    homes = next((q for q in h.invoer if q.naam == "woningen"), None)
    n_buurten = len(h.buurten) if h.buurten is not None else 1
    plan = [f"**Strategie (plan):** {md(h.strategie) or 'per buurt, zie de tabel'}"]
    if h.fase:
        plan.append(f"**fase:** {md(h.fase)}")
    if h.periode:
        plan.append(f"**periode:** {md(h.periode)}")
    st.markdown(" · ".join(plan))
    c1, c2, c3 = st.columns(3)
    c1.metric(
        "Woningen" + (" (voorbeelddata)" if ui.sample_homes(h) else ""),
        number(homes.waarde if homes else None, missing="onbekend"),
    )
    c2.metric("Buurten", number(n_buurten))
    if dossier.complexen.beschikbaar:
        c3.metric(
            "Woningen in complexen"
            + (" (voorbeelddata)" if dossier.complexen.voorbeelddata else ""),
            number(dossier.complexen.woningen),
        )
    ui.render_boundary_notice(h)
    if h.indicatie is not None:
        st.markdown(f"**Indicatie (vuistregels):** {md(h.indicatie.strategie)}")
    if h.afwijking:
        st.warning(md(h.afwijking), icon="↔️")
    if h.strategieen:
        st.markdown(
            "**Strategieën in het plan:** "
            + ", ".join(f"{md(k)} ({number(v)})" for k, v in h.strategieen.items())
        )
    if h.buurten:
        st.dataframe(
            ui.buurt_heat_table(h.buurten, sample_homes=ui.sample_homes(h)),
            hide_index=True,
            width="stretch",
        )
    if h.aquathermie is not None:
        st.markdown(
            f"**Aquathermie:** {md(h.aquathermie.naam)}"
            + (" (ligging schematisch)" if h.aquathermie.schematisch else "")
        )
    link = urlencode({"gebied": code, "thema": ui.WARMTE_STRATEGIE})
    st.markdown(f"🗺️ [Op de kaart, met het volledige dossier](./?{link})")
    return dossier.naam


def draft(code: str, naam: str, data: BuiltLayers) -> None:
    """Make the draft WUP on request and offer it for download."""
    st.markdown("#### Concept-wijkuitvoeringsplan")
    st.caption(
        "Een eerste opzet om in Word verder te schrijven: titelpagina met herkomst (welke delen "
        "voorbeelddata zijn), kaart, gebiedsanalyse, strategie en indicatie met redenen, fase, "
        "complexen, prestatieafspraken met hun status, en kopjes met een richtvraag voor wat het "
        "projectteam zelf schrijft. wijkplan verzint geen tekst."
    )
    key = made_from(code)
    if st.button("Concept-WUP maken", type="primary", key="wup_maken"):
        st.session_state.pop(MADE, None)
        with st.status("Concept-WUP maken…", expanded=True) as status:
            st.write("Kaart tekenen en het document opbouwen (Word en Markdown)…")
            try:
                files = make_files(code, naam, data)
            except ImportError:
                status.update(label="Niet beschikbaar", state="error")
                st.error("Het concept-WUP kan in deze versie van wijkplan nog niet worden gemaakt.")
                return
            except WijkplanError as exc:
                status.update(label="Maken mislukt", state="error")
                st.error(md(exc))
                return
            status.update(label="Concept-WUP klaar", state="complete", expanded=False)
        st.session_state[MADE] = {"key": key, "files": files}
    made = st.session_state.get(MADE)
    if not made or made["key"] != key:
        return  # nothing made yet, for another area, or before a rebuild or status change
    row = st.container(horizontal=True)
    for name, payload in made["files"].items():
        suffix = Path(name).suffix
        row.download_button(
            DOWNLOAD_LABELS.get(suffix, name),
            data=payload,
            file_name=name,
            mime=MIME.get(suffix),
            on_click="ignore",
            icon="⬇️",
            key=f"download{suffix}",
        )
    if any(name.endswith(".md") for name in made["files"]):
        st.caption("Bewaar de kaart (.png) naast het Markdown-bestand: het verwijst ernaar.")


def main() -> None:
    data = ui.load_layers()
    st.title("Warmte")
    if data.warmteplan is None or data.warmtegebieden is None:
        st.info("Deze build heeft geen warmteplan; voeg het toe aan de bronnen en bouw opnieuw.")
        return
    st.markdown(
        "De warmtegebieden uit de Transitievisie Warmte. Kies een gebied voor een samenvatting en "
        "een concept-wijkuitvoeringsplan (WUP)."
    )
    districts = ui.district_table(data)
    st.dataframe(districts, hide_index=True, width="stretch")
    if (districts["begrenzing"] == "aanname").any():
        st.caption(
            "Begrenzing ‘aanname’: de Transitievisie noemt het gebied, maar niet welke buurten "
            "erbij horen; wijkplan neemt een begrenzing aan en zegt dat overal waar die wordt gebruikt."
        )
    options = choices(data)
    labels = list(options)
    wanted = st.query_params.get("gebied")
    current = next((label for label, c in options.items() if c == wanted), None)
    choice = st.selectbox(
        "Gebied (warmtegebied, wijk of buurt)",
        labels,
        index=labels.index(current) if current else 0,
        key="warmte_gebied",
    )
    if not choice:
        return
    code = options[choice]
    if code != wanted:
        st.query_params["gebied"] = code
    try:
        naam = summary(code, data)
    except WijkplanError as exc:
        st.error(md(exc))
        return
    draft(code, naam, data)


main()
