"""Helpers shared by the sample generators: seeding and the choice of residential buurten."""

from __future__ import annotations

import hashlib

import geopandas as gpd
import numpy as np

from wijkplan.settings import SAMPLE_BRON


def sample_bron(gemeentecode: str) -> str:
    """The ``bron`` value written on every generated feature."""
    return f"{SAMPLE_BRON} (wijkplan sample-data, {gemeentecode})"


def rng_for(gemeentecode: str, purpose: str) -> np.random.Generator:
    """A generator seeded by municipality and purpose: the same output on every run and machine.

    >>> float(rng_for("GM0484", "x").random()) == float(rng_for("GM0484", "x").random())
    True
    """
    digest = hashlib.sha256(f"wijkplan:{gemeentecode}:{purpose}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def gemeentecode_of(buurten: gpd.GeoDataFrame) -> str:
    """The (first) municipality code of a buurten frame."""
    return str(buurten["gemeentecode"].iloc[0])


def residential_weight(buurten: gpd.GeoDataFrame) -> np.ndarray:
    """A 0..1 weight per buurt for how residential (built-up) it is.

    Without buurt population figures we use compactness and size: small, compact
    buurten are urban; very large ones are rural or industrial. Names that signal
    business parks or rural areas get a low weight. The weight drives where
    complexes and incidents are placed; it is a sample heuristic, not a fact.
    """
    area_ha = buurten.geometry.area.to_numpy() / 10_000
    weight = np.clip(1.5 - np.log10(np.maximum(area_ha, 1)) / 2, 0.05, 1.0)
    names = buurten["buurtnaam"].astype(str).str.lower()
    nonres = names.str.contains(
        r"bedrijven|industrie|polder\b|landelijk|buitengebied|verspreide huizen|sportpark|recreatie|plas|kassen",
        regex=True,
    ).to_numpy()
    weight[nonres] *= 0.1
    return weight
