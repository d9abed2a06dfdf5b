"""The liveability config: the bundled file, and every kind of mistake in a variant of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from wijkplan.config import (
    DEFAULT_CONFIG,
    PRIORITY_COMPONENTS,
    LiveabilityConfig,
    load_config,
)
from wijkplan.errors import SourceNotFoundError, ValidationError


def _variant(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """The bundled config with each ``(old, new)`` text replaced (``old`` must occur)."""
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "leefbaarheid.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(tmp_path: Path, *changes: tuple[str, str]) -> list[str]:
    path = _variant(tmp_path, *changes)
    with pytest.raises(ValidationError) as info:
        load_config(path)
    problems = info.value.problems
    for p in problems:
        assert p.startswith(f"{path}, veld '"), p
        assert "\n" not in p
        assert "Input should" not in p and "pydantic" not in p and "http" not in p, p
    return [p.removeprefix(f"{path}, ") for p in problems]


# --------------------------------------------------------------------------- the bundled file


def test_bundled_config_is_valid_and_states_its_assumptions() -> None:
    cfg = load_config()
    assert isinstance(cfg, LiveabilityConfig) and cfg.source == str(DEFAULT_CONFIG)
    assert "0.0.0" not in cfg.police_codes  # the total is never a category
    assert list(cfg.weights) == list(PRIORITY_COMPONENTS)
    assert "NIET in de open data" in DEFAULT_CONFIG.read_text(encoding="utf-8")


def test_a_valid_variant_is_read(tmp_path: Path) -> None:
    custom = load_config(
        _variant(
            tmp_path,
            ("drempel = 5", "drempel = 10"),
            ('totaal_code = ""', 'totaal_code = " T001 "'),
            ('nationaal_lbm = { "2024" = 4.046 }', 'nationaal_lbm = { "2024" = 4, "2020" = 4.1 }'),
        )
    )
    assert custom.threshold == 10
    assert custom.nuisance_total_code == "T001"
    assert custom.national_lbm == {2024: 4.0, 2020: 4.1}
    assert custom.source.endswith("leefbaarheid.toml")


def test_reference_table_is_optional(tmp_path: Path) -> None:
    cfg = load_config(_variant(tmp_path, ('nationaal_lbm = { "2024" = 4.046 }', "")))
    assert cfg.national_lbm == {}


# --------------------------------------------------------------------------- problems


def test_every_problem_at_once_one_line_each(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        ("lage_score = 0.4", "lage_score = 0.5"),
        ("grenzen = [-0.35, -0.25", "grenzen = [-0.25, -0.35"),
        ('vernieling = ["2.2.1"]', 'vernieling = ["2.2.1"]\nfietsendiefstal = ["1.2.3"]'),
        ("drempel = 5", "drempel = 1"),
    )
    assert problems == [
        "veld 'klassen.grenzen': grenzen moeten strikt oplopen: [-0.25, -0.35]",
        "veld 'privacy.drempel': moet minstens 2 zijn: 1",
        "veld 'incidenten.politie.fietsendiefstal': categorie staat niet in incidenten.categorieen: 'fietsendiefstal'",
        "veld 'prioriteit.gewichten': gewichten tellen niet op tot 1: 1.1",
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            [('zwak_tot_en_met = "zwak"', 'zwak_tot_en_met = "slecht"')],
            ["veld 'klassen.zwak_tot_en_met': geen van de klassen: 'slecht'"],
        ),
        (
            [('zwak_tot_en_met = "zwak"', 'zwak_tot_en_met = "uitstekend"')],
            ["veld 'klassen.zwak_tot_en_met': de hoogste klasse kan niet zwak zijn: 'uitstekend'"],
        ),
        (
            [('"goed", "zeer goed", "uitstekend",', '"goed", "zeer goed",')],
            ["veld 'klassen.labels': verwacht 9 klassen, gevonden 8: ["],
        ),
        (
            [('"goed", "zeer goed", "uitstekend",', '"goed", "zeer goed", 9,')],
            ["veld 'klassen.labels': verwacht een lijst van teksten: ["],
        ),
        (
            [('variabele = "afw"', 'variabele = "xyz"')],
            [
                "veld 'klassen.variabele': onbekende score; kies uit lbm, afw, won, fys, vrz, soc, onv: 'xyz'"
            ],
        ),
        (
            [("grenzen = [-0.35, -0.25, -0.15", "grenzen = [-0.35, -0.15")],
            ["veld 'klassen.grenzen': verwacht 8 grenzen (klasse 2..9), gevonden 7"],
        ),
        (
            [("grenzen = [-0.35, -0.25", 'grenzen = [-0.35, "x"')],
            ["veld 'klassen.grenzen': verwacht een lijst van getallen: [-0.35, 'x',"],
        ),
        (
            [("grenzen = [-0.35, -0.25", "grenzen = [-0.35, true")],
            ["veld 'klassen.grenzen': verwacht een lijst van getallen: [-0.35, True,"],
        ),
        (
            [("min_cellen = 3", "min_cellen = 0")],
            ["veld 'klassen.min_cellen': moet minstens 1 zijn: 0"],
        ),
        (
            [("min_cellen = 3", 'min_cellen = "3"')],
            ["veld 'klassen.min_cellen': verkeerd type: '3'"],
        ),
        (
            [("drempel = 5", "drempel = 5.0")],
            ["veld 'privacy.drempel': verkeerd type: 5.0"],
        ),
        (
            [("drempel = 5", "drempel = true")],
            ["veld 'privacy.drempel': verkeerd type: True"],
        ),
        (
            [('nationaal_lbm = { "2024" = 4.046 }', 'nationaal_lbm = { "2024" = "x", "abc" = 3 }')],
            [
                "veld 'referentie.nationaal_lbm': verwacht jaar = getal: {'2024': 'x'}",
                "veld 'referentie.nationaal_lbm': verwacht jaar = getal: {'abc': 3}",
            ],
        ),
        (
            [('nationaal_lbm = { "2024" = 4.046 }', "nationaal_lbm = 4")],
            ["veld 'referentie.nationaal_lbm': verkeerd type: 4"],
        ),
        (
            [('categorieen = ["overlast"', 'categorieen = ["overlast", "Geweld", "geweld"')],
            [
                "veld 'incidenten.categorieen': schrijf categorieën in kleine letters: 'Geweld'",
                "veld 'incidenten.categorieen': dubbele categorie: 'geweld'",
            ],
        ),
        (
            [('woninginbraak = ["1.1.1"]', 'woninginbraak = "1.1.1"')],
            ["veld 'incidenten.politie.woninginbraak': verwacht een lijst van codes: '1.1.1'"],
        ),
        (
            [('woninginbraak = ["1.1.1"]', 'woninginbraak = ["1.1.1", 3]')],
            ["veld 'incidenten.politie.woninginbraak': verwacht een lijst van codes: ['1.1.1', 3]"],
        ),
        (
            # malformed codes and a code linked twice are reported together
            [('woninginbraak = ["1.1.1"]', 'woninginbraak = ["1.1.1", "0.0.0", "x", "1.4.1"]')],
            [
                "veld 'incidenten.politie.woninginbraak': '0.0.0' is het totaal van alle misdrijven en telt niet mee: '0.0.0'",
                "veld 'incidenten.politie.woninginbraak': onjuist gevormde SoortMisdrijf-code (verwacht bijv. '1.4.6'): 'x'",
                "veld 'incidenten.politie.geweld': code al gekoppeld aan 'woninginbraak': '1.4.1'",
            ],
        ),
        (
            [('categorie = "overlast"', 'categorie = "x"')],
            ["veld 'incidenten.politie_overlast.categorie': geen bekende categorie: 'x'"],
        ),
        (
            [('normalisatie = "minmax"', 'normalisatie = "q"')],
            ["veld 'prioriteit.normalisatie': kies 'minmax' of 'z': 'q'"],
        ),
        (
            [("lage_score = 0.4", "lage_score = -0.4\nfoo = 1")],
            [
                "veld 'prioriteit.gewichten.lage_score': verwacht een getal ≥ 0: -0.4",
                "veld 'prioriteit.gewichten.foo': onbekend onderdeel: 'foo'",
            ],
        ),
        (
            [("lage_score = 0.4", 'lage_score = "0.4"')],
            ["veld 'prioriteit.gewichten.lage_score': verwacht een getal ≥ 0: '0.4'"],
        ),
        (
            [("lage_score = 0.4", "")],
            ["veld 'prioriteit.gewichten.lage_score': ontbreekt"],
        ),
        (
            [("drempel = 5", "drempl = 5")],
            [
                "veld 'privacy.drempel': ontbreekt",
                "veld 'privacy.drempl': onbekende sleutel (typfout?)",
            ],
        ),
        (
            [("[privacy]", "[privacyy]")],
            ["veld 'privacy': ontbreekt", "veld 'privacyy': onbekende sleutel (typfout?)"],
        ),
        (
            [("[klassen]", "klassen = 3\n[klassen_oud]")],
            [
                "veld 'klassen': verkeerd type: 3",
                "veld 'klassen_oud': onbekende sleutel (typfout?)",
            ],
        ),
        (
            [("schema = 1", 'schema = "1"')],
            ["veld 'schema': verkeerd type: '1'"],
        ),
    ],
)
def test_each_problem(tmp_path: Path, changes: list[tuple[str, str]], expected: list[str]) -> None:
    problems = _problems(tmp_path, *changes)
    assert len(problems) == len(expected), problems
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start), (problem, start)


def test_not_toml_not_utf8_or_missing(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"leefbaarheid\.toml: geen geldige TOML \(") as info:
        load_config(_variant(tmp_path, ("schema = 1", "schema = = 1")))
    assert len(info.value.problems) == 1
    with pytest.raises(ValidationError, match="geen geldige TOML"):  # TOML refuses a key twice
        load_config(_variant(tmp_path, ("min_cellen = 3", "min_cellen = 3\nmin_cellen = 4")))
    latin = tmp_path / "latin1.toml"
    latin.write_bytes("# café\nschema = 1\n".encode("latin-1"))
    with pytest.raises(ValidationError, match=r"latin1\.toml: geen UTF-8-tekst"):
        load_config(latin)
    with pytest.raises(SourceNotFoundError, match="bestaat niet"):
        load_config(tmp_path / "nergens.toml")


def test_an_empty_file_names_every_table(tmp_path: Path) -> None:
    path = tmp_path / "leeg.toml"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load_config(path)
    assert info.value.problems == [
        f"{path}, veld '{table}': ontbreekt"
        for table in ("klassen", "privacy", "incidenten", "prioriteit")
    ]
    assert str(info.value).startswith(f"4 problemen in {path}:")
