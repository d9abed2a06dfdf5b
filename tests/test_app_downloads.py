"""The Downloads page with Streamlit's AppTest: layers, format, area, the zip, the OGC API."""

from __future__ import annotations

import io
import socket
import zipfile
from pathlib import Path
from typing import Any

import pyogrio
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO, logged_in
from wijkplan import catalogue
from wijkplan.errors import ValidationError
from wijkplan.read import layer_names, read_layer

PAGE = str(REPO / "views" / "downloads.py")


@pytest.fixture
def media(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The content of every file a page hands to Streamlit (download buttons), by file id."""
    files: dict[str, bytes] = {}
    real = MemoryMediaFileStorage.load_and_get_id

    def load_and_get_id(
        self: MemoryMediaFileStorage, path_or_data: Any, *args: Any, **kw: Any
    ) -> str:
        file_id = real(self, path_or_data, *args, **kw)
        files[file_id] = (
            path_or_data if isinstance(path_or_data, bytes) else Path(path_or_data).read_bytes()
        )
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", load_and_get_id)
    return files


@pytest.fixture
def no_ogc(monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the page at a port where no OGC API runs."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}"
    monkeypatch.setenv("WIJKPLAN_OGC_URL", url)
    return url


def _page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=120).run()


def _name(option: str) -> str:
    """The layer name in an option label: "Titel [naam, kaartlaag] ..."."""
    return option.split("[")[1].split(",")[0]


def _button_data(at: AppTest, media: dict[str, bytes]) -> bytes:
    (button,) = at.get("download_button")
    file_id = Path(button.proto.url).stem
    return media[file_id]


def test_page_lists_the_built_layers_with_dutch_titles_and_sample_marks(app_env, no_ogc):
    at = _page()
    assert not at.exception
    assert at.title[0].value == "Downloads"
    options = at.multiselect(key="download_lagen").options
    present = set(layer_names(app_env))
    names = [_name(o) for o in options]
    expected = [s.name for s in catalogue.DECLARED if s.name in present and s.theme != "bouw"]
    assert names == expected
    assert "build_report" not in names and "catalogus" not in names
    by_name = dict(zip(names, options, strict=True))
    assert by_name["buurten"].startswith("Buurten (CBS) [buurten, kaartlaag]")
    assert "voorbeelddata" in by_name["complexen"] and "voorbeelddata" in by_name["leefbaarheid"]
    assert "voorbeelddata" not in by_name["regiegebieden"]
    assert "tabel" in by_name["afspraken"]
    formats = at.selectbox(key="download_formaat").options
    assert formats == [
        "GeoPackage (.gpkg)",
        "GeoJSON (.geojson, WGS 84)",
        "FlatGeobuf (.fgb)",
        "Shapefile (.shp)",
        "CSV (met WKT)",
        "CSV voor Excel (;)",
    ]
    assert not at.get("download_button")  # nothing is made before the click
    assert any("draait nu niet" in i.value for i in at.info)


@pytest.mark.slow
def test_geopackage_of_two_layers_for_one_wijk_is_one_zip(app_env, no_ogc, media, tmp_path):
    at = _page()
    lagen = at.multiselect(key="download_lagen")
    wanted = [o for o in lagen.options if _name(o) in ("buurten", "leefbaarheid")]
    assert len(wanted) == 2
    for option in wanted:
        lagen.select(option)
    at.selectbox(key="download_formaat").select("GeoPackage (.gpkg)")
    gebied = at.selectbox(key="download_gebied")
    gebied.select(next(o for o in gebied.options if o.endswith("(WK048402)")))
    at.run()
    at.button(key="download_maken").click().run()
    assert not at.exception and not at.error
    assert at.get("status")[0].proto.label == "Download klaar"
    (button,) = at.get("download_button")
    assert button.proto.label.startswith("Download wijkplan-wk048402-gpkg.zip")
    payload = _button_data(at, media)
    with zipfile.ZipFile(io.BytesIO(payload)) as z:
        names = z.namelist()
        assert "metadata.json" in names and "LEESMIJ.txt" in names
        gpkg = next(n for n in names if n.endswith(".gpkg"))
        z.extractall(tmp_path)
    layers = {str(n) for n, _ in pyogrio.list_layers(tmp_path / gpkg)}
    assert {"buurten", "leefbaarheid"} <= layers
    assert not layers & {"complexen", "wijken", "incidenten_buurt"}
    buurten = pyogrio.read_dataframe(tmp_path / gpkg, layer="buurten")
    all_buurten = read_layer(app_env, "buurten")
    ridderveld = set(all_buurten.loc[all_buurten["wijkcode"] == "WK048402", "buurtcode"])
    assert set(buurten["buurtcode"]) == ridderveld
    assert str(buurten.crs).endswith("28992")
    assert "Ridderveld" in (tmp_path / "LEESMIJ.txt").read_text(encoding="utf-8")


def test_export_error_is_one_dutch_line(app_env, no_ogc, monkeypatch):
    import wijkplan.export

    def fail(*args: object, **kwargs: object) -> list[Path]:
        raise ValidationError(["laag 'x': eerste probleem", "gebied 'y': tweede probleem"])

    monkeypatch.setattr(wijkplan.export, "export", fail)
    at = _page()
    at.button(key="download_maken").click().run()
    assert not at.exception
    assert len(at.error) == 1 and "\n" not in at.error[0].value
    assert "eerste probleem" in at.error[0].value and "tweede probleem" in at.error[0].value
    assert at.get("status")[0].proto.label == "Download maken mislukt"
    assert not at.get("download_button")


@pytest.mark.slow
def test_running_ogc_api_is_shown_with_its_address(app_env, monkeypatch):
    from wijkplan import ogc

    with ogc.start(app_env, 0) as server:
        monkeypatch.setenv("WIJKPLAN_OGC_URL", server.url)
        at = _page()
        assert not at.exception
        assert any(server.url in s.value for s in at.success)
        assert any("WFS / OGC API – Features" in m.value for m in at.markdown)


def test_app_routes_to_the_downloads_page(app_env, no_ogc, role_users):
    at = logged_in(AppTest.from_file(str(REPO / "app.py"), default_timeout=60)).run()
    assert not at.exception
    at.switch_page("views/downloads.py").run()
    assert not at.exception
    assert at.title[0].value == "Downloads"
