"""The draft wijkuitvoeringsplan (WUP) of a warmtegebied, wijk or buurt, as Word or Markdown.

One outline (:class:`~wijkplan.wup.model.WupDocument`) is built from the area's dossier
and the build report (:func:`~wijkplan.wup.outline.build_outline`, one module per part of
the document in :mod:`wijkplan.wup.sections`, values written through
:mod:`wijkplan.wup.text`), the district map is drawn offline (:mod:`wijkplan.wup.figure`,
with :mod:`wijkplan.wup.drawing` and :mod:`wijkplan.wup.figure_aquathermal`), and both
are rendered to ``.docx`` (:mod:`wijkplan.wup.docx`) or ``.md`` with the map as
``<name>_kaart.png`` beside it (:mod:`wijkplan.wup.markdown`). Files are written
atomically: a failure leaves earlier files untouched and nothing half-written.

This package reads through :mod:`wijkplan.read` and :mod:`wijkplan.dossier`; it never
imports the build pipeline. matplotlib and python-docx are imported only when a document
is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from wijkplan.errors import ValidationError
from wijkplan.outputs.atomic import atomic_path
from wijkplan.wup.model import WupDocument
from wijkplan.wup.outline import WUP_KINDS, build_outline

if TYPE_CHECKING:
    from wijkplan.afspraken.store import StatusStore
    from wijkplan.areas import Area
    from wijkplan.dossier.model import Dossier
    from wijkplan.read import BuiltLayers
    from wijkplan.wup.figure import MapInput, MapResult

__all__ = [
    "FORMATS",
    "Wup",
    "WupDocument",
    "make_wup",
    "map_path_for",
    "write_wup",
    "wup_docx_bytes",
]

#: The file formats ``write_wup`` writes, by suffix.
FORMATS = (".docx", ".md")


@dataclass(frozen=True)
class Wup:
    """A made draft: the outline, the map, and the dossier it came from."""

    document: WupDocument
    kaart: MapResult
    dossier: Dossier


def map_path_for(out: Path | str) -> Path:
    """Where the map PNG of a Markdown draft goes: ``FILE_kaart.png`` beside ``FILE.md``."""
    out = Path(out)
    return out.with_name(f"{out.stem}_kaart.png")


def _check_suffix(out: Path) -> None:
    if out.suffix.lower() not in FORMATS:
        raise ValidationError(
            [
                f"{out}: onbekend formaat '{out.suffix or '(geen extensie)'}' voor --out; "
                f"kies {' of '.join(FORMATS)}"
            ]
        )


def _layers(layers: BuiltLayers | Path | str) -> BuiltLayers:
    from wijkplan.read import BuiltLayers

    return layers if isinstance(layers, BuiltLayers) else BuiltLayers(layers)


def _resolve(code: str, layers: BuiltLayers) -> Area:
    area = layers.areas.resolve(code)
    if area.kind not in WUP_KINDS:
        raise ValidationError(
            [
                f"gebied {area.code!r} is een {area.kind}: een wijkuitvoeringsplan maakt "
                f"wijkplan voor een {', '.join(WUP_KINDS[:-1])} of {WUP_KINDS[-1]}"
            ]
        )
    return area


def make_wup(
    code: str, layers: BuiltLayers | Path | str, *, store: StatusStore | None = None
) -> Wup:
    """The outline and map of the draft WUP of ``code`` (nothing written)."""
    from wijkplan.dossier import build_dossier
    from wijkplan.wup.figure import render_map

    built = _layers(layers)
    area = _resolve(code, built)
    dossier = build_dossier(area.code, built, store=store)
    kaart = render_map(map_input(area, dossier, built))
    document = build_outline(dossier, built.report, map_caption=kaart.caption)
    return Wup(document, kaart, dossier)


def write_wup(
    code: str,
    layers: BuiltLayers | Path | str,
    out: Path | str,
    *,
    store: StatusStore | None = None,
) -> Path:
    """Write the draft WUP of ``code`` to ``out`` (.docx, or .md with its map beside it).

    Returns ``out``. An unknown suffix, an unknown area code or layers that are not built
    raise a :class:`~wijkplan.errors.WijkplanError` (one Dutch line) before anything is
    written; a failure while rendering leaves no file and no temp file behind.
    """
    out = Path(out)
    _check_suffix(out)
    wup = make_wup(code, layers, store=store)
    if out.suffix.lower() == ".docx":
        from wijkplan.wup.docx import render_docx

        with atomic_path(out) as tmp:
            render_docx(wup.document, wup.kaart.png, tmp)
        return out
    from wijkplan.wup.markdown import render_markdown

    png_path = map_path_for(out)
    text = render_markdown(wup.document, png_path.name)  # everything rendered before writing
    with atomic_path(png_path) as tmp:
        tmp.write_bytes(wup.kaart.png)
    with atomic_path(out) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return out


def wup_docx_bytes(
    code: str, layers: BuiltLayers | Path | str, *, store: StatusStore | None = None
) -> bytes:
    """The draft WUP as .docx bytes (for a download button)."""
    import io

    from wijkplan.wup.docx import render_docx

    wup = make_wup(code, layers, store=store)
    buf = io.BytesIO()
    render_docx(wup.document, wup.kaart.png, buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------- map input


def _optional_layer(layers: BuiltLayers, name: str) -> pd.DataFrame | None:
    """A heat layer: the attribute the reading side offers, else read if it was built."""
    if hasattr(layers, name):
        frame: pd.DataFrame | None = getattr(layers, name)
        return frame
    from wijkplan.read import read_optional

    return read_optional(layers.path, name)


def _plan_strategies(area: Area, dossier: Dossier, layers: BuiltLayers) -> dict[str, str | None]:
    heat = dossier.warmte
    if heat.buurten:
        return {b.buurtcode: b.strategie for b in heat.buurten}
    if heat.beschikbaar and area.kind == "buurt":
        return {area.code: heat.strategie}
    plan = _optional_layer(layers, "warmteplan")
    if plan is not None and "strategie" in plan:
        rows = plan[plan["buurtcode"].astype(str).isin(area.buurtcodes)]
        return {
            str(c): (str(s) if pd.notna(s) else None)
            for c, s in zip(rows["buurtcode"], rows["strategie"], strict=True)
        }
    return {}


def _aquathermal_features(
    area: Area, dossier: Dossier, layers: BuiltLayers
) -> gpd.GeoDataFrame | None:
    """The aquathermal project's features, when the project touches the area."""
    aqua = _optional_layer(layers, "aquathermie")
    if aqua is None or not len(aqua) or not isinstance(aqua, gpd.GeoDataFrame):
        return None
    scope = dossier.warmte.aquathermie
    if scope is not None:
        if "gebied_id" in aqua:
            mine = aqua[aqua["gebied_id"].astype(str) == scope.gebied.code]
            return mine if len(mine) else aqua
        return aqua
    buurten = layers.buurten[layers.buurten["buurtcode"].isin(area.buurtcodes)]
    footprint = buurten.geometry.union_all()
    inner = aqua[aqua["onderdeel"].isin(["plangebied", "object", "complex"])]
    return aqua if len(inner) and inner.geometry.intersects(footprint).any() else None


def _districts(
    area: Area, dossier: Dossier, layers: BuiltLayers
) -> tuple[gpd.GeoDataFrame | None, str | None]:
    """The other warmtegebieden to outline, and the area's own boundary if it is one."""
    frame = _optional_layer(layers, "warmtegebieden")
    own = dossier.warmte.begrenzing if area.kind == "warmtegebied" else None
    if frame is None or not len(frame) or not isinstance(frame, gpd.GeoDataFrame):
        return None, own
    if area.kind == "warmtegebied" and "gebied_id" in frame:
        mine = frame["gebied_id"].astype(str) == area.code
        if own is None and mine.any() and "begrenzing" in frame:
            value = frame.loc[mine, "begrenzing"].iloc[0]
            own = str(value) if pd.notna(value) else None
        frame = frame[~mine]
    return frame, own


def map_input(area: Area, dossier: Dossier, layers: BuiltLayers) -> MapInput:
    """What the district map of ``area`` is drawn from."""
    from wijkplan.wup.figure import MapInput, strategy_colours

    districts, begrenzing = _districts(area, dossier, layers)
    return MapInput(
        naam=dossier.naam,
        buurtcodes=tuple(area.buurtcodes),
        buurten=layers.buurten,
        wijken=layers.wijken,
        complexen=layers.complexen,
        complexen_voorbeelddata=dossier.complexen.voorbeelddata,
        aquathermie=_aquathermal_features(area, dossier, layers),
        strategieen=_plan_strategies(area, dossier, layers),
        colours=strategy_colours(),
        begrenzing=begrenzing,
        warmtegebieden=districts,
    )
