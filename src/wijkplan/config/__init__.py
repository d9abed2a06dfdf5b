"""Configurable choices of the liveability layer, read from ``leefbaarheid.toml``.

The bundled file (next to this module) is the one documented place for the class
thresholds, the weak classes, the suppression threshold, the incident categories,
the police code mapping and the priority weights. :func:`load_config` validates it
against the pydantic models of :mod:`wijkplan.config._schema` and reports every
problem at once, one line each, naming the file, the dotted key and the value::

    leefbaarheid.toml, veld 'privacy.drempel': moet minstens 2 zijn: 1

>>> cfg = load_config()
>>> cfg.threshold, cfg.class_labels[3], cfg.weak_upper
(5, 'zwak', -0.1)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError as PydanticError

from wijkplan.config._schema import (
    ERROR_TYPE,
    PRIORITY_COMPONENTS,
    SCORE_COLUMNS,
    ConfigFile,
    read_toml,
)
from wijkplan.problems import Problems

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

__all__ = [
    "DEFAULT_CONFIG",
    "PRIORITY_COMPONENTS",
    "SCORE_COLUMNS",
    "LiveabilityConfig",
    "load_config",
]

DEFAULT_CONFIG = Path(__file__).with_name("leefbaarheid.toml")


@dataclass(frozen=True)
class LiveabilityConfig:
    """The validated contents of ``leefbaarheid.toml`` (see the file for the meaning)."""

    class_labels: tuple[str, ...]
    class_variable: str
    class_bounds: tuple[float, ...]
    weak_through: str
    min_cells: int
    national_lbm: Mapping[int, float]
    threshold: int
    categories: tuple[str, ...]
    police_codes: Mapping[str, str]
    nuisance_category: str
    nuisance_total_code: str
    normalisation: str
    weights: Mapping[str, float]
    source: str = str(DEFAULT_CONFIG)

    @property
    def weak_class(self) -> int:
        """Class number (1..9) of the highest class that still counts as weak."""
        return self.class_labels.index(self.weak_through) + 1

    @property
    def weak_upper(self) -> float:
        """A score below this value lies in a weak class (the lower bound of the next class)."""
        return self.class_bounds[self.weak_class - 1]


def load_config(path: Path | str | None = None) -> LiveabilityConfig:
    """Read and validate a liveability config; ``None`` reads the bundled file."""
    if path is None:
        return _load_default()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _load_default() -> LiveabilityConfig:
    return _load(DEFAULT_CONFIG)


def _load(path: Path) -> LiveabilityConfig:
    raw, problems = read_toml(path)
    return _parse(raw, problems)


def _parse(raw: Mapping[str, Any], problems: Problems) -> LiveabilityConfig:
    try:
        config = ConfigFile.model_validate(raw)
    except PydanticError as exc:
        for error in exc.errors():
            _add(problems, error)
        raise problems.error() from None
    k, i, p = config.klassen, config.incidenten, config.prioriteit
    return LiveabilityConfig(
        class_labels=tuple(k.labels),
        class_variable=k.variabele,
        class_bounds=tuple(float(b) for b in k.grenzen),
        weak_through=k.zwak_tot_en_met,
        min_cells=k.min_cellen,
        national_lbm=dict(config.referentie.nationaal_lbm),
        threshold=config.privacy.drempel,
        categories=tuple(i.categorieen),
        police_codes={code: category for category, codes in i.politie.items() for code in codes},
        nuisance_category=i.politie_overlast.categorie,
        nuisance_total_code=i.politie_overlast.totaal_code.strip(),
        normalisation=p.normalisatie,
        weights={name: float(getattr(p.gewichten, name)) for name in PRIORITY_COMPONENTS},
        source=problems.source,
    )


def _add(problems: Problems, error: ErrorDetails) -> None:
    """A pydantic error as one line: the dotted key, a Dutch message and the value."""
    loc = tuple(error["loc"])
    value = error.get("input")
    if error["type"] == ERROR_TYPE:
        message = error["msg"]
        value = (error.get("ctx") or {}).get("waarde", value)
    elif error["type"] == "missing":
        message, value = "ontbreekt", None
    elif error["type"] == "extra_forbidden" and loc[:-1] == ("prioriteit", "gewichten"):
        message, value = "onbekend onderdeel", loc[-1]
    elif error["type"] == "extra_forbidden":
        message, value = "onbekende sleutel (typfout?)", None
    else:
        message = "verkeerd type"
    problems.add(".".join(str(part) for part in loc), message, value)
