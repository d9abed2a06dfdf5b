"""wijkplan: geospatial planner for liveability regie and the heat transition.

Data flows one way: sources (``wijkplan.sources``) are loaded and validated,
analyses (``wijkplan.analysis``) derive indicators, ``wijkplan.build`` writes the
GeoPackage in ``layers/``, and the app and exports read that GeoPackage.
"""

__version__ = "0.1.0"
