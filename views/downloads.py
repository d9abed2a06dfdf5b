"""Downloads: chosen layers in a GIS format, for one area or all, as one zip; and the live OGC API."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

import streamlit as st

from wijkplan import catalogue, ogc, ui
from wijkplan.errors import ValidationError, WijkplanError
from wijkplan.ogc.layers import sample_marks
from wijkplan.read import BuiltLayers
from wijkplan.text_safety import markdown_text as md

#: Format label -> (export format, the Excel form of CSV)
FORMATS: dict[str, tuple[str, bool]] = {
    "GeoPackage (.gpkg)": ("gpkg", False),
    "GeoJSON (.geojson, WGS 84)": ("geojson", False),
    "FlatGeobuf (.fgb)": ("fgb", False),
    "Shapefile (.shp)": ("shp", False),
    "CSV (met WKT)": ("csv", False),
    "CSV voor Excel (;)": ("csv", True),
}
SAMPLE_MARK = " ⚠️ voorbeelddata"
#: session_state key of the made download: what it was made from, its file name and bytes
MADE = "download_gemaakt"


def _mtime(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else 0.0


@st.cache_data(show_spinner=False)
def _marks(path: str, mtime: float) -> dict[str, tuple[str, ...]]:
    return sample_marks(path)


def layer_options(path: Path) -> dict[str, str]:
    """Label -> layer name of every declared data layer in the build, sample data marked."""
    marks = _marks(str(path), _mtime(path))
    options = {}
    for spec in catalogue.DECLARED:
        if spec.name not in marks or spec.theme == "bouw":
            continue
        kind = "kaartlaag" if spec.geometry else "tabel"
        label = f"{spec.title} [{spec.name}, {kind}]"
        if marks[spec.name]:
            label += SAMPLE_MARK
        options[label] = spec.name
    return options


def one_line(exc: WijkplanError) -> str:
    """An expected error as one Dutch line (all problems of a validation, separated by ';')."""
    if isinstance(exc, ValidationError) and exc.problems:
        return "; ".join(" ".join(p.split()) for p in exc.problems)
    return " ".join(str(exc).split())


def size_text(n: int) -> str:
    """A file size in Dutch notation.

    >>> size_text(2_345_678), size_text(51_200)
    ('2,3 MB', '51 kB')
    """
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB".replace(".", ",")
    return f"{max(1, round(n / 1000))} kB"


def zip_folder(folder: Path) -> bytes:
    """Every file under ``folder`` (subfolders kept) in one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                z.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def make_zip(
    path: Path, fmt: str, *, names: list[str] | None, gebied: str | None, excel: bool
) -> tuple[list[str], bytes]:
    """Export into a temporary folder and zip it: (the files written, the zip)."""
    from wijkplan.export import export

    with tempfile.TemporaryDirectory(prefix="wijkplan-download-") as tmp:
        out = Path(tmp) / "wijkplan"
        files = export(path, fmt, out, names=names, gebied=gebied, excel=excel)
        st.write(f"{len(files)} bestanden geschreven; inpakken…")
        written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
        return written, zip_folder(out)


def download(data: BuiltLayers, path: Path) -> None:
    """The chooser, the button that makes the zip, and the download of what was made."""
    options = layer_options(path)
    chosen = st.multiselect(
        "Lagen",
        list(options),
        placeholder="Alle lagen",
        help="Niets gekozen: alle lagen. ⚠️ voorbeelddata: de laag berust (deels) op "
        "gegenereerde gegevens die geen echte situatie beschrijven.",
        key="download_lagen",
    )
    format_label = st.selectbox("Formaat", list(FORMATS), key="download_formaat")
    areas = ui.area_options(data)
    area_label = st.selectbox(
        "Gebied (optioneel)",
        list(areas),
        index=None,
        placeholder="Hele gemeente — of typ een buurt, wijk, regiegebied of warmtegebied…",
        key="download_gebied",
    )
    st.caption(
        "EPSG:28992 (RD New) in elk formaat behalve GeoJSON (WGS 84, zoals RFC 7946 voorschrijft). "
        "De zip bevat ook metadata.json, LEESMIJ.txt (herkomst, licenties, voorbeelddata, "
        "afscherming) en, waar beschikbaar, de stijlen (QGIS/SLD). Kleine aantallen blijven "
        "afgeschermd."
    )
    sample = [label for label in (chosen or options) if label.endswith(SAMPLE_MARK)]
    if sample:
        st.warning(
            f"{len(sample)} van de gekozen lagen {'berust' if len(sample) == 1 else 'berusten'} "
            "(deels) op voorbeelddata; dat staat ook in LEESMIJ.txt en metadata.json.",
            icon="⚠️",
        )
    names = [options[label] for label in chosen] or None
    fmt, excel = FORMATS[format_label]
    gebied = areas[area_label] if area_label else None
    key = (tuple(names or ()), fmt, excel, gebied, _mtime(path))
    if st.button("Maak download", type="primary", key="download_maken"):
        st.session_state.pop(MADE, None)
        with st.status("Download maken…", expanded=True) as status:
            st.write(
                "Lagen lezen" + (f" en selecteren voor {md(area_label)}" if gebied else "") + "…"
            )
            try:
                files, payload = make_zip(path, fmt, names=names, gebied=gebied, excel=excel)
            except WijkplanError as exc:
                status.update(label="Download maken mislukt", state="error")
                st.error(md(one_line(exc)))
                return
            status.update(label="Download klaar", state="complete", expanded=False)
        stem = f"wijkplan-{gebied or data.report.gemeentecode}-{fmt}{'-excel' if excel else ''}"
        st.session_state[MADE] = {
            "key": key,
            "file_name": f"{stem.lower()}.zip",
            "files": files,
            "data": payload,
        }
    made = st.session_state.get(MADE)
    if not made or made["key"] != key:
        return  # nothing made yet, or made for another choice or before a rebuild
    st.download_button(
        f"Download {made['file_name']} ({size_text(len(made['data']))})",
        data=made["data"],
        file_name=made["file_name"],
        mime="application/zip",
        on_click="ignore",
        icon="⬇️",
        key="download_zip",
    )
    with st.expander(f"Inhoud ({len(made['files'])} bestanden)"):
        st.markdown("\n".join(f"- `{name}`" for name in made["files"]))


@st.cache_data(ttl=15, show_spinner=False)
def _ogc_url(setting: str) -> str | None:
    return ogc.running_url(timeout=0.3)


def live_api() -> None:
    """Where the OGC API runs (if it does), and how to add it in QGIS."""
    st.subheader("Live in QGIS: OGC API – Features")
    url = _ogc_url(os.environ.get(ogc.URL_ENV, ""))
    if url:
        st.success(f"De OGC API draait op {url}/", icon="🌐")
        st.code(f"{url}/", language=None)
    else:
        st.info(
            "De OGC API draait nu niet. Start hem naast de app met `wijkplan serve-ogc` "
            f"(of `make ogc`); standaard op {ogc.DEFAULT_URL}/, alleen voor deze computer.",
            icon="🌐",
        )
    st.markdown(
        "In QGIS: **Kaartlagen → Laag toevoegen → WFS / OGC API – Features** → *Nieuw*, vul "
        "het adres hierboven in, kies *Verbinden* en voeg de lagen toe. QGIS leest de lagen dan "
        "live, zonder bestanden te kopiëren; na een nieuwe build ziet u meteen de nieuwe "
        "gegevens. Alleen kaartlagen worden gepubliceerd (tabellen zitten in de downloads)."
    )


def main() -> None:
    data = ui.load_layers()
    st.title("Downloads")
    st.markdown(
        "Kies lagen, een formaat en eventueel één gebied: u krijgt één zip om in QGIS, ArcGIS of "
        "Excel te openen."
    )
    download(data, ui.layers_path())
    live_api()


main()
