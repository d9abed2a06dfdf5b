from __future__ import annotations

import geopandas as gpd

from tests.conftest import BUNDLED
from wijkplan.sample import write_sample_data
from wijkplan.sample.complexen import generate_complexen
from wijkplan.settings import is_sample
from wijkplan.sources import load_buurten, load_complexen, load_wijken


def _alphen():
    wijken = load_wijken(BUNDLED / "wijken.geojson")
    return load_buurten(BUNDLED / "buurten.geojson", wijken=wijken), wijken


def test_complexen_deterministic_marked_and_territorial():
    buurten, wijken = _alphen()
    a = generate_complexen(buurten, wijken=wijken)
    b = generate_complexen(buurten, wijken=wijken)
    assert a.equals(b)
    assert a["bron"].map(is_sample).all()
    assert a["complex_id"].is_unique
    # Habeko only in the former Rijnwoude villages; Woonforte elsewhere (public facts)
    joined = gpd.sjoin(
        a.set_geometry(a.representative_point()),
        buurten[["wijkcode", "geometry"]],
        predicate="within",
    )
    rijnwoude = {"WK048431", "WK048491", "WK048494", "WK048496"}
    assert set(joined.loc[joined["corporatie"] == "Habeko", "wijkcode"]) <= rijnwoude
    assert not set(joined.loc[joined["corporatie"] == "Woonforte", "wijkcode"]) & rijnwoude
    hercules = a[a["naam"] == "Herculesflat"]
    assert len(hercules) == 1 and int(hercules["aantal_woningen"].iloc[0]) == 150
    # about a quarter of the housing stock is social rental
    assert 0.18 < a["aantal_woningen"].sum() / wijken["woningvoorraad"].sum() < 0.30


def test_writes_loadable_sources_for_any_municipality(write_boundaries, tiny_buurten):
    data = write_boundaries()
    results = {r.source: r for r in write_sample_data(data)}
    assert results["complexen"].action == "geschreven"
    out = load_complexen(data / "complexen.gpkg", buurten=tiny_buurten)
    assert len(out) > 0 and out["bron"].map(is_sample).all()
    assert out["corporatie"].eq("Voorbeeldcorporatie").all()
    # a second run refreshes its own sample file
    assert {r.source: r for r in write_sample_data(data)}["complexen"].action == "vernieuwd"


def test_never_overwrites_a_real_source(write_boundaries, tiny_buurten):
    data = write_boundaries()
    real = generate_complexen(tiny_buurten).assign(bron="Woonforte export 2024")
    real.to_file(data / "complexen.geojson")
    before = (data / "complexen.geojson").read_bytes()
    results = {r.source: r for r in write_sample_data(data)}
    assert results["complexen"].action.startswith("overgeslagen")
    assert (data / "complexen.geojson").read_bytes() == before
    assert not (data / "complexen.gpkg").exists()
