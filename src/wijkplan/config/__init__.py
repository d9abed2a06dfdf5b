"""Configurable choices of the liveability layer, read from ``leefbaarheid.toml``.

The bundled file (next to this module) is the one documented place for the class
thresholds, the weak classes, the suppression threshold, the incident categories,
the police code mapping and the priority weights. :func:`load_config` validates it
and reports every problem as one line naming the file, the key and the value.

>>> cfg = load_config()
>>> cfg.threshold, cfg.class_labels[3], cfg.weak_upper
(5, 'zwak', -0.1)
"""

from __future__ import annotations

import itertools
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from wijkplan.errors import SourceNotFoundError, ValidationError

DEFAULT_CONFIG = Path(__file__).with_name("leefbaarheid.toml")

#: The Leefbaarometer score columns, in band order.
SCORE_COLUMNS = ("lbm", "afw", "won", "fys", "vrz", "soc", "onv")
#: The components of the liveability priority; their weights live in the config.
PRIORITY_COMPONENTS = ("lage_score", "aandeel_zwak", "incidenten")
_CODE_RE = re.compile(r"^\d+\.\d+\.\d+$")


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

    @property
    def suppressed_label(self) -> str:
        """How a suppressed count is shown: ``"<5"`` for threshold 5."""
        return f"<{self.threshold}"


def load_config(path: Path | str | None = None) -> LiveabilityConfig:
    """Read and validate a liveability config; ``None`` reads the bundled file."""
    if path is None:
        return _load_default()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _load_default() -> LiveabilityConfig:
    return _load(DEFAULT_CONFIG)


def _load(path: Path) -> LiveabilityConfig:
    if not path.is_file():
        raise SourceNotFoundError(f"{path}: configuratiebestand bestaat niet")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError([f"{path}: geen geldige TOML ({exc})"]) from exc
    return _parse(raw, str(path))


class _Reader:
    """Typed access to nested TOML keys that records a problem instead of raising."""

    def __init__(self, raw: Mapping[str, Any], source: str) -> None:
        self.raw = raw
        self.source = source
        self.problems: list[str] = []

    def add(self, key: str, message: str, value: object = None) -> None:
        shown = "" if value is None else f": {value!r}"
        self.problems.append(f"{self.source}, sleutel '{key}': {message}{shown}")

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
        node: Any = self.raw
        for part in key.split("."):
            if not isinstance(node, Mapping) or part not in node:
                if default is not None:
                    return default
                self.add(key, "ontbreekt")
                return None
            node = node[part]
        if isinstance(node, bool) or not isinstance(node, kind):
            self.add(key, "verkeerd type", node)
            return None
        return node


def _parse(raw: Mapping[str, Any], source: str) -> LiveabilityConfig:
    r = _Reader(raw, source)
    labels = _string_list(r, "klassen.labels")
    if labels is not None and len(labels) != 9:
        r.add("klassen.labels", f"verwacht 9 klassen, gevonden {len(labels)}", labels)
    variable = r.get("klassen.variabele", str)
    if variable is not None and variable not in SCORE_COLUMNS:
        r.add(
            "klassen.variabele", f"onbekende score; kies uit {', '.join(SCORE_COLUMNS)}", variable
        )
    bounds = _number_list(r, "klassen.grenzen")
    if bounds is not None:
        if len(bounds) != 8:
            r.add("klassen.grenzen", f"verwacht 8 grenzen (klasse 2..9), gevonden {len(bounds)}")
        for low, high in itertools.pairwise(bounds):
            if not low < high:
                r.add("klassen.grenzen", "grenzen moeten strikt oplopen", [low, high])
    weak = r.get("klassen.zwak_tot_en_met", str)
    if weak is not None and labels is not None and weak not in labels:
        r.add("klassen.zwak_tot_en_met", "geen van de klassen", weak)
    elif weak is not None and labels is not None and labels.index(weak) == len(labels) - 1:
        r.add("klassen.zwak_tot_en_met", "de hoogste klasse kan niet zwak zijn", weak)
    min_cells = r.get("klassen.min_cellen", int)
    if min_cells is not None and min_cells < 1:
        r.add("klassen.min_cellen", "moet minstens 1 zijn", min_cells)

    national: dict[int, float] = {}
    nat_raw = r.get("referentie.nationaal_lbm", Mapping, default={})
    for year, value in (nat_raw or {}).items():
        if not str(year).isdigit() or isinstance(value, bool) or not isinstance(value, int | float):
            r.add("referentie.nationaal_lbm", "verwacht jaar = getal", {year: value})
        else:
            national[int(year)] = float(value)

    threshold = r.get("privacy.drempel", int)
    if threshold is not None and threshold < 2:
        r.add("privacy.drempel", "moet minstens 2 zijn", threshold)

    categories = _string_list(r, "incidenten.categorieen")
    if categories is not None:
        for c in categories:
            if c != c.strip().lower() or not c:
                r.add("incidenten.categorieen", "schrijf categorieën in kleine letters", c)
        for c in sorted({c for c in categories if categories.count(c) > 1}):
            r.add("incidenten.categorieen", "dubbele categorie", c)
    police: dict[str, str] = {}
    for cat, codes in (r.get("incidenten.politie", Mapping) or {}).items():
        key = f"incidenten.politie.{cat}"
        if categories is not None and cat not in categories:
            r.add(key, "categorie staat niet in incidenten.categorieen", cat)
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            r.add(key, "verwacht een lijst van codes", codes)
            continue
        for code in codes:
            if not _CODE_RE.match(code.strip()):
                r.add(key, "onjuist gevormde SoortMisdrijf-code (verwacht bijv. '1.4.6')", code)
            elif code.strip() == "0.0.0":
                r.add(key, "'0.0.0' is het totaal van alle misdrijven en telt niet mee", code)
            elif code.strip() in police:
                r.add(key, f"code al gekoppeld aan '{police[code.strip()]}'", code)
            else:
                police[code.strip()] = cat
    nuisance_cat = r.get("incidenten.politie_overlast.categorie", str)
    if nuisance_cat is not None and categories is not None and nuisance_cat not in categories:
        r.add("incidenten.politie_overlast.categorie", "geen bekende categorie", nuisance_cat)
    nuisance_total = r.get("incidenten.politie_overlast.totaal_code", str)

    normalisation = r.get("prioriteit.normalisatie", str)
    if normalisation is not None and normalisation not in ("minmax", "z"):
        r.add("prioriteit.normalisatie", "kies 'minmax' of 'z'", normalisation)
    weights: dict[str, float] = {}
    raw_weights = r.get("prioriteit.gewichten", Mapping) or {}
    for name, value in raw_weights.items():
        if name not in PRIORITY_COMPONENTS:
            r.add(f"prioriteit.gewichten.{name}", "onbekend onderdeel", name)
        elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            r.add(f"prioriteit.gewichten.{name}", "verwacht een getal ≥ 0", value)
        else:
            weights[name] = float(value)
    for name in PRIORITY_COMPONENTS:
        if raw_weights and name not in raw_weights:
            r.add(f"prioriteit.gewichten.{name}", "ontbreekt")
    if weights and not math.isclose(sum(weights.values()), 1.0, abs_tol=1e-6):
        r.add(
            "prioriteit.gewichten",
            "gewichten tellen niet op tot 1",
            round(sum(weights.values()), 6),
        )

    if r.problems:
        raise ValidationError(r.problems, source=source)
    assert labels is not None and bounds is not None and categories is not None
    return LiveabilityConfig(
        class_labels=tuple(labels),
        class_variable=variable,
        class_bounds=tuple(float(b) for b in bounds),
        weak_through=weak,
        min_cells=min_cells,
        national_lbm=national,
        threshold=threshold,
        categories=tuple(categories),
        police_codes=police,
        nuisance_category=nuisance_cat,
        nuisance_total_code=(nuisance_total or "").strip(),
        normalisation=normalisation,
        weights={name: weights[name] for name in PRIORITY_COMPONENTS},
        source=source,
    )


def _string_list(r: _Reader, key: str) -> list[str] | None:
    value = r.get(key, list)
    if value is None:
        return None
    if not all(isinstance(v, str) for v in value):
        r.add(key, "verwacht een lijst van teksten", value)
        return None
    return list(value)


def _number_list(r: _Reader, key: str) -> list[float] | None:
    value = r.get(key, list)
    if value is None:
        return None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        r.add(key, "verwacht een lijst van getallen", value)
        return None
    return [float(v) for v in value]
