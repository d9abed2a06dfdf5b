"""The agreement ledger: prestatieafspraken as records linked to areas, with status history.

- :mod:`~wijkplan.afspraken.model`: the frozen dataclasses and default vocabulary;
- :mod:`~wijkplan.afspraken.ledger`: loading/validating the YAML ledger, tables and layers;
- :mod:`~wijkplan.afspraken.linking`: which agreements apply to an area, and why;
- :mod:`~wijkplan.afspraken.store`: current status and full history in SQLite;
- :mod:`~wijkplan.afspraken.commands`: the ``wijkplan afspraken`` CLI subcommand.
"""

from wijkplan.afspraken.ledger import (
    AreaIndex,
    afspraken_frames,
    load_ledger,
    parse_ledger,
    regiegebieden_layer,
    warmtegebieden_layer,
)
from wijkplan.afspraken.linking import (
    afspraken_overview,
    applicable_afspraken,
    area_buurten,
    filter_afspraken,
    infer_niveau,
)
from wijkplan.afspraken.model import (
    DEFAULT_STATUSSEN,
    DEFAULT_THEMAS,
    NIVEAUS,
    NOG_VAST_TE_STELLEN,
    Afspraak,
    GebiedLink,
    Ledger,
    LedgerMeta,
    Partij,
    Regiegebied,
    Warmtegebied,
)
from wijkplan.afspraken.store import (
    DEFAULT_STATUS_STORE,
    STATUS_STORE_ENV,
    StatusState,
    StatusStore,
    default_store_path,
)
from wijkplan.settings import PROJECT_ROOT

#: The shipped ledger, relative to the working directory (the repository root).
DEFAULT_LEDGER = PROJECT_ROOT / "data" / "afspraken" / "prestatieafspraken-2021.yaml"

__all__ = [
    "DEFAULT_LEDGER",
    "DEFAULT_STATUSSEN",
    "DEFAULT_STATUS_STORE",
    "DEFAULT_THEMAS",
    "NIVEAUS",
    "NOG_VAST_TE_STELLEN",
    "STATUS_STORE_ENV",
    "Afspraak",
    "AreaIndex",
    "GebiedLink",
    "Ledger",
    "LedgerMeta",
    "Partij",
    "Regiegebied",
    "StatusState",
    "StatusStore",
    "Warmtegebied",
    "afspraken_frames",
    "afspraken_overview",
    "applicable_afspraken",
    "area_buurten",
    "default_store_path",
    "filter_afspraken",
    "infer_niveau",
    "load_ledger",
    "parse_ledger",
    "regiegebieden_layer",
    "warmtegebieden_layer",
]
