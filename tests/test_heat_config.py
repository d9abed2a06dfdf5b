"""The heat config: the bundled file, and each kind of mistake in a variant of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from wijkplan.config.heat import (
    COEFFICIENTS,
    DEFAULT_HEAT_CONFIG,
    OPERATORS,
    PHASES,
    STRATEGIES,
    HeatConfig,
    load_heat_config,
)
from wijkplan.errors import SourceNotFoundError, ValidationError, WijkplanError


def _variant(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """The bundled config with each ``(old, new)`` text replaced (``old`` occurs once)."""
    text = DEFAULT_HEAT_CONFIG.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "warmte.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(tmp_path: Path, *changes: tuple[str, str]) -> list[str]:
    """The problem lines of a variant, without the file name (checked on every line)."""
    path = _variant(tmp_path, *changes)
    with pytest.raises(ValidationError) as info:
        load_heat_config(path)
    assert isinstance(info.value, WijkplanError) and info.value.exit_code == 2
    problems = info.value.problems
    for p in problems:
        assert p.startswith(f"{path}, veld '"), p
        assert "\n" not in p
        assert "Input should" not in p and "pydantic" not in p and "http" not in p, p
    return [p.removeprefix(f"{path}, ") for p in problems]


# --------------------------------------------------------------------------- the bundled file


def test_vocabulary_is_exactly_the_issue_s_names_in_order() -> None:
    assert STRATEGIES == (
        "warmtenet midden/hoge temperatuur",
        "warmtenet lage temperatuur",
        "all-electric",
        "hybride",
        "groen gas",
        "nog te bepalen",
    )
    assert PHASES == (
        "verkenning",
        "WUP in voorbereiding",
        "WUP vastgesteld",
        "uitvoering",
        "aardgasvrij",
    )


def test_bundled_config_is_valid_cached_and_complete() -> None:
    cfg = load_heat_config()
    assert isinstance(cfg, HeatConfig) and cfg.source == str(DEFAULT_HEAT_CONFIG)
    assert load_heat_config() is cfg
    assert cfg.strategy_names == STRATEGIES and cfg.phase_names == PHASES
    assert cfg.fallback == "nog te bepalen"
    assert all(s.colour.startswith("#") and s.description for s in cfg.strategies)
    assert {s.name for s in cfg.strategies if s.heat_network} == {
        "warmtenet midden/hoge temperatuur",
        "warmtenet lage temperatuur",
    }
    assert list(cfg.inputs) == [
        "woningdichtheid",
        "aandeel_meergezins",
        "aandeel_corporatie",
        "aandeel_voor_1975",
        "aandeel_vanaf_1995",
        "aandeel_label_ab",
        "aandeel_label_efg",
        "warmtevraag_per_ha",
        "afstand_oppervlaktewater",
        "aandeel_stadsverwarming",
    ]
    assert all(i.unit and i.meaning and i.label for i in cfg.inputs.values())
    assert list(cfg.coefficients) == list(COEFFICIENTS)


def test_every_rule_says_it_is_a_rule_of_thumb_and_an_assumption() -> None:
    cfg = load_heat_config()
    assert cfg.rules
    for rule in cfg.rules:
        assert "vuistregel" in rule.explanation.lower(), rule.id
        assert "aanname" in rule.explanation.lower(), rule.id
        assert "geen beleid" in rule.explanation.lower(), rule.id
        assert rule.strategy in STRATEGIES and rule.conditions
        assert all(c.op in OPERATORS and c.input in cfg.inputs for c in rule.conditions)
    # the corporation as launching customer is a reason, not a rule
    assert cfg.launching_customer.condition.input == "aandeel_corporatie"
    assert not any(c.input == "aandeel_corporatie" for rule in cfg.rules for c in rule.conditions)


def test_every_coefficient_has_a_positive_value_a_unit_and_an_honest_source() -> None:
    cfg = load_heat_config()
    for c in cfg.coefficients.values():
        assert c.value > 0 and c.unit and c.description, c.name
        assert c.source, c.name
    # the non-residential demands are assumptions, and say so
    for kind in ("ziekenhuis", "verpleeghuis", "school"):
        assert "aanname" in cfg.coefficients[f"warmtevraag_{kind}"].source


def test_a_valid_variant_is_read(tmp_path: Path) -> None:
    custom = load_heat_config(
        _variant(
            tmp_path,
            ('kleur = "#31a354"', 'kleur = "#00FF00"'),
            (
                '{ invoer = "woningdichtheid", op = ">=", waarde = 40 }',
                '{ invoer = "woningdichtheid", op = ">", waarde = 45.5 }',
            ),
            ("waarde = 3000.0", "waarde = 2500"),
        )
    )
    assert custom.colours["groen gas"] == "#00ff00"
    rule = next(r for r in custom.rules if r.id == "mt-dichtheid")
    assert (rule.conditions[0].op, rule.conditions[0].value) == (">", 45.5)
    assert custom.coefficients["vollasturen_teo"].value == 2500.0
    assert custom.source.endswith("warmte.toml")


# --------------------------------------------------------------------------- problems


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            [('strategie = "groen gas"', 'strategie = "waterstof"')],
            [
                "veld 'regel[7].strategie': onbekende strategie (kies uit warmtenet midden/hoge temperatuur, "
            ],
            id="unknown strategy in a rule",
        ),
        pytest.param(
            [('invoer = "aandeel_label_ab", op', 'invoer = "aandeel_label_abc", op')],
            ["veld 'regel[6].voorwaarden[1].invoer': onbekende invoer (kies uit woningdichtheid, "],
            id="unknown input name",
        ),
        pytest.param(
            [("waarde = 4000.0", "waarde = -4000.0")],
            [
                "veld 'coefficienten.warmtevraag_verpleeghuis.waarde': moet groter dan 0 zijn: -4000.0"
            ],
            id="negative coefficient",
        ),
        pytest.param(
            [("waarde = 0.85", "waarde = -0.85")],
            [
                "veld 'coefficienten.rendement_ketel.waarde': verwacht een fractie groter dan 0 en hoogstens 1: -0.85"
            ],
            id="negative fraction",
        ),
        pytest.param(
            [('op = "<", waarde = 10', 'op = "==", waarde = 10')],
            ["veld 'regel[7].voorwaarden[1].op': onbekende operator (kies uit >=, <=, >, <): '=='"],
            id="unknown operator",
        ),
        pytest.param(
            [
                (
                    '"aandeel_vanaf_1995", op = ">=", waarde = 0.6',
                    '"aandeel_vanaf_1995", op = ">=", waarde = 60',
                )
            ],
            [
                "veld 'regel[5].voorwaarden[1].waarde': deze invoer is een fractie: de drempel moet tussen 0 en 1 liggen: 60"
            ],
            id="percentage written for a fraction",
        ),
        pytest.param(
            [('id = "hybride-label"', 'id = "hybride-bouwjaar"')],
            [
                "veld 'regel[8].id': dubbele regel-id: 'hybride-bouwjaar'",
                "veld 'regel[9].id': dubbele regel-id: 'hybride-bouwjaar'",
            ],
            id="duplicate rule id",
        ),
        pytest.param(
            [('id = "mt-dichtheid"', 'id = "MT dichtheid"')],
            [
                "veld 'regel[3].id': verwacht kleine letters, cijfers en '-' (bijv. 'mt-dichtheid'): 'MT dichtheid'"
            ],
            id="bad rule id",
        ),
        pytest.param(
            [('kleur = "#31a354"', 'kleur = "groen"')],
            ["veld 'strategie[5].kleur': verwacht een kleur als '#rrggbb': 'groen'"],
            id="bad colour",
        ),
        pytest.param(
            [('terugval = "nog te bepalen"', 'terugval = "onbekend"')],
            ["veld 'indicator.terugval': onbekende strategie (kies uit "],
            id="unknown fallback",
        ),
        pytest.param(
            [('naam = "uitvoering"', 'naam = "bouw"')],
            [
                "veld 'fase[4].naam': onbekende fase; de namen liggen vast (kies uit verkenning, ",
                "veld 'fase': fase ontbreekt: 'uitvoering'",
            ],
            id="renamed phase",
        ),
        pytest.param(
            [("[coefficienten.rendement_opslag]", "[coefficienten.rendement_opslagg]")],
            [
                "veld 'coefficienten.rendement_opslag': ontbreekt",
                "veld 'coefficienten.rendement_opslagg': onbekende sleutel (typfout?)",
            ],
            id="misspelt coefficient",
        ),
        pytest.param(
            [("waarde = 4.18", 'waarde = "4,18"')],
            ["veld 'coefficienten.warmtecapaciteit_water.waarde': verkeerd type: '4,18'"],
            id="number as text",
        ),
        pytest.param(
            [
                (
                    'voorwaarden = [\n    { invoer = "aandeel_stadsverwarming", op = ">=", waarde = 0.5 },\n]',
                    "voorwaarden = []",
                )
            ],
            ["veld 'regel[1].voorwaarden': verwacht minstens één voorwaarde: []"],
            id="rule without conditions",
        ),
        pytest.param(
            [("waarde = 0.4\ntekst", "waarde = 1.4\ntekst")],
            [
                "veld 'startmotor.waarde': deze invoer is een fractie: de drempel moet tussen 0 en 1 liggen: 1.4"
            ],
            id="launching customer threshold",
        ),
    ],
)
def test_each_problem_is_one_dutch_line(
    tmp_path: Path, changes: list[tuple[str, str]], expected: list[str]
) -> None:
    problems = _problems(tmp_path, *changes)
    assert len(problems) == len(expected), problems
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start), (problem, start)


def test_every_problem_at_once(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        ('strategie = "groen gas"', 'strategie = "waterstof"'),
        ('invoer = "aandeel_label_ab", op', 'invoer = "aandeel_label_abc", op'),
        ("waarde = 4000.0", "waarde = -4000.0"),
        ('op = "<", waarde = 10', 'op = "==", waarde = 10'),
    )
    assert [p.split(":")[0] for p in problems] == [
        "veld 'regel[6].voorwaarden[1].invoer'",
        "veld 'regel[7].strategie'",
        "veld 'regel[7].voorwaarden[1].op'",
        "veld 'coefficienten.warmtevraag_verpleeghuis.waarde'",
    ]


def test_a_custom_file_cannot_rename_a_strategy(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        ('naam = "groen gas"', 'naam = "waterstof"'),
        ('strategie = "groen gas"', 'strategie = "waterstof"'),
    )
    assert problems == [
        "veld 'strategie[5].naam': onbekende strategie; de namen liggen vast (kies uit "
        f"{', '.join(STRATEGIES)}): 'waterstof'",
        "veld 'strategie': strategie ontbreekt: 'groen gas'",
    ]


def test_not_toml_not_utf8_missing_or_empty(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"warmte\.toml: geen geldige TOML \("):
        load_heat_config(_variant(tmp_path, ("schema = 1", "schema = = 1")))
    latin = tmp_path / "latin1.toml"
    latin.write_bytes("# café\nschema = 1\n".encode("latin-1"))
    with pytest.raises(ValidationError, match=r"latin1\.toml: geen UTF-8-tekst"):
        load_heat_config(latin)
    with pytest.raises(SourceNotFoundError, match="bestaat niet"):
        load_heat_config(tmp_path / "nergens.toml")
    empty = tmp_path / "leeg.toml"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load_heat_config(empty)
    assert info.value.problems == [
        f"{empty}, veld '{table}': ontbreekt"
        for table in (
            "indicator",
            "startmotor",
            "strategie",
            "fase",
            "invoer",
            "coefficienten",
        )
    ]
