"""Loaders: one per source, each reads any OGR format, reprojects to EPSG:28992 and validates."""

from wijkplan.sources.boundaries import load_buurten, load_wijken
from wijkplan.sources.complexen import load_complexen

__all__ = ["load_buurten", "load_complexen", "load_wijken"]
