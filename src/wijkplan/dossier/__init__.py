"""The dossier of one area: what an area coordinator sees when clicking a polygon.

A dossier (:class:`~wijkplan.dossier.model.Dossier`) is built once from the
built layers and the live status store (:func:`build_dossier`), for any kind of
area (buurt, wijk, gemeente, regiegebied, warmtegebied, complex), and rendered
by the CLI as text (:func:`format_dossier`) or JSON (``Dossier.to_json``) and by
the app as a panel (:mod:`wijkplan.ui`): one object, three renderings.
"""

from wijkplan.dossier.compose import build_dossier
from wijkplan.dossier.model import Dossier
from wijkplan.dossier.text import format_dossier

__all__ = ["Dossier", "build_dossier", "format_dossier"]
