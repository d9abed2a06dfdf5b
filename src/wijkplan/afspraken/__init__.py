"""The agreement ledger: prestatieafspraken as records linked to areas, with status history.

- :mod:`~wijkplan.afspraken.model`: the frozen dataclasses, the default vocabulary, the snapshot;
- :mod:`~wijkplan.afspraken.ledger`: loading and validating the hand-edited YAML ledger;
- :mod:`~wijkplan.afspraken.linking`: which agreements apply to an area, and why;
- :mod:`~wijkplan.afspraken.store`: current status and full history in SQLite;
- :mod:`~wijkplan.afspraken.commands`: the ``wijkplan afspraken`` CLI subcommand.

The package itself imports nothing: the reading side (dossier, app) uses the model,
linking and store without loading the validator.
"""

from wijkplan.settings import PROJECT_ROOT

#: The shipped ledger of Alphen aan den Rijn.
DEFAULT_LEDGER = PROJECT_ROOT / "data" / "afspraken" / "prestatieafspraken-2021.yaml"
