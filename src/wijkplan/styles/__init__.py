"""GIS styles of the built layers: QGIS (QML) and SLD, with the app's classes and colours.

Every layer with geometry in the catalogue has a style made from the same configs and
colours as the app's map (:mod:`wijkplan.styles.palette`, ``config/leefbaarheid.toml``,
``config/warmte.toml``), with Dutch legend texts:

- :func:`qml` and :func:`sld` give a layer's default style as a document;
- :func:`write_gpkg_styles` stores the styles in a GeoPackage's ``layer_styles`` table,
  where QGIS finds them and opens each layer styled (``useAsDefault``);
- :func:`layer_styles_rows` gives the same rows for a PostGIS ``public.layer_styles``.

Besides its default, ``warmteplan`` has a second style in ``layer_styles``, "Warmtestrategie
en fase" (the strategy colours hatched by phase, as the app's strategy map), which QGIS
offers under *Stijl → Stijl laden → database*.

>>> "leefbaarheid" in styled_layers(), qml("afspraken") is None
(True, True)
>>> 'type="categorizedSymbol"' in qml("leefbaarheid")
True
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = [
    "STYLES_TABLE",
    "layer_styles_rows",
    "qml",
    "sld",
    "styled_layers",
    "write_gpkg_styles",
]

#: The table QGIS reads styles from (declared in the catalogue, theme "bouw").
STYLES_TABLE = "layer_styles"


def qml(layer: str) -> str | None:
    """The default QGIS style (a full QML document) of a declared layer; None for a table.

    An undeclared layer is a bug (KeyError).
    """
    from wijkplan.styles.definitions import layer_styles
    from wijkplan.styles.qgis_style import to_qml

    styles = layer_styles(layer)
    return to_qml(styles[0]) if styles else None


def sld(layer: str) -> str | None:
    """The same style as SLD 1.1 (for tools other than QGIS); None for a table."""
    from wijkplan.styles.definitions import layer_styles
    from wijkplan.styles.sld_style import to_sld

    styles = layer_styles(layer)
    return to_sld(styles[0]) if styles else None


def styled_layers() -> tuple[str, ...]:
    """The layers that have a style: every declared layer with geometry."""
    from wijkplan.styles.definitions import geometric_layers

    return geometric_layers()


def write_gpkg_styles(gpkg: Path, layers: Iterable[str]) -> None:
    """Write QGIS's ``layer_styles`` table into an existing GeoPackage: per layer with
    geometry in ``layers`` its default style (``useAsDefault`` 1: QGIS opens the layer
    with it) and any other style (0), QML and SLD, Dutch name and description. The table
    is created and registered as QGIS itself does; running again replaces our rows.
    Tables in ``layers`` are skipped; a layer with geometry must be in the file."""
    from wijkplan.styles.gpkg import write_styles

    write_styles(gpkg, layers)


def layer_styles_rows(
    layers: Iterable[str], *, schema: str = "", catalog: str = "", geometry_column: str = "geom"
) -> list[dict[str, Any]]:
    """The same rows for a PostGIS ``public.layer_styles`` (lower-case column names:
    ``f_table_catalog``, ``f_table_schema``, ``f_table_name``, ``f_geometry_column``,
    ``stylename``, ``styleqml``, ``stylesld``, ``useasdefault`` (bool), ``description``);
    one default row per layer with geometry, plus its other styles; tables are skipped."""
    from wijkplan.styles.gpkg import postgis_rows

    return postgis_rows(layers, schema=schema, catalog=catalog, geometry_column=geometry_column)
