"""Loading and validating ledgers: the shipped one, and every kind of mistake."""

from __future__ import annotations

import datetime as dt
import re
import time

import geopandas as gpd
import pyogrio
import pytest

from tests.afspraken.conftest import REPO, SHIPPED_LEDGER, dump, write_ledger
from wijkplan.afspraken.ledger import load_ledger, parse_ledger
from wijkplan.afspraken.linking import applicable_afspraken
from wijkplan.afspraken.model import DEFAULT_THEMAS, GebiedLink
from wijkplan.areas import Areas
from wijkplan.build.agreements import afspraken_frames, regiegebieden_layer, warmtegebieden_layer
from wijkplan.errors import SourceNotFoundError, ValidationError
from wijkplan.sources import load_buurten, load_wijken

#: The public source text, kept beside the ledger so the verbatim check always runs.
SOURCE_TEXT = REPO / "data" / "afspraken" / "bron-prestatieafspraken-2021.txt"


# --------------------------------------------------------------------------- the shipped ledger


@pytest.fixture(scope="module")
def real_buurten() -> gpd.GeoDataFrame:
    wijken = load_wijken(REPO / "data" / "geo" / "wijken.geojson")
    return load_buurten(REPO / "data" / "geo" / "buurten.geojson", wijken=wijken)


@pytest.fixture(scope="module")
def real_wijken() -> gpd.GeoDataFrame:
    return load_wijken(REPO / "data" / "geo" / "wijken.geojson")


@pytest.fixture(scope="module")
def shipped(real_buurten, real_wijken):
    return load_ledger(SHIPPED_LEDGER, areas=Areas.of(real_buurten, real_wijken))


def test_shipped_ledger_metadata(shipped):
    assert shipped.meta.ondertekend == dt.date(2020, 12, 9)
    assert (shipped.meta.periode, shipped.meta.jaar) == ("2021", 2021)  # 2017-2021: ambitiedocument
    assert {a.thema for a in shipped.afspraken} == set(DEFAULT_THEMAS)
    assert {a.voorbeeld for a in shipped.afspraken} == {1, 2, 3, 4, 5}
    assert all(a.jaar == 2021 and a.periode == "2021" for a in shipped.afspraken)


def test_shipped_ledger_invents_no_numbers(shipped):
    assert all(a.streefwaarde is None and a.eenheid is None for a in shipped.afspraken)
    assert all(a.voortgang is None for a in shipped.afspraken)


def test_shipped_ledger_tenant_organisations_have_neutral_names(shipped):
    ids = {p.id for p in shipped.partijen}
    assert {"gemeente", "habeko", "woonforte", "huurders-habeko", "huurders-woonforte"} <= ids
    assert {"tom-in-de-buurt", "politie"} <= ids
    signatories = {p.id for p in shipped.partijen if p.ondertekenaar}
    assert signatories == {
        "gemeente",
        "habeko",
        "woonforte",
        "huurders-habeko",
        "huurders-woonforte",
    }


def test_shipped_ledger_regie_links(shipped):
    regie = {r.naam: r for r in shipped.regiegebieden}
    assert regie["Edelstenenbuurt"].buurtcodes == ("BU04840306",)
    assert regie["Snijdelwijk"].buurtcodes == ("BU04847009",)
    for r in regie.values():
        assert {"tom-in-de-buurt", "politie", "gemeente"} <= set(r.partners)
        assert r.regisseur is None  # the text does not say who leads
    linked = {
        link.code for a in shipped.afspraken for link in a.gebieden if link.niveau == "regiegebied"
    }
    assert linked == {r.regie_id for r in regie.values()}


def test_shipped_ledger_aquathermal_links(shipped):
    (aqua,) = [a for a in shipped.afspraken if "aquathermie" in a.titel.lower()]
    assert aqua.status == "lopend"
    assert GebiedLink("buurt", "BU04840210") in aqua.gebieden
    assert GebiedLink("buurt", "BU04840211") in aqua.gebieden
    warm = [link.code for link in aqua.gebieden if link.niveau == "warmtegebied"]
    assert shipped.warmtegebied(warm[0]).naam == "Planetenbuurt"  # type: ignore[union-attr]


def test_shipped_warmtegebieden_do_not_invent_buurten(shipped):
    by_naam = {w.naam: w for w in shipped.warmtegebieden}
    assert len(by_naam) == 5
    assert by_naam["Ridderveld-West"].buurtcodes == ()
    assert by_naam["Ridderveld-West"].wijkcodes == ("WK048402",)
    assert by_naam["Boskoop-West"].buurtcodes == ()
    assert by_naam["Boskoop-West"].wijkcodes == ("WK048470",)
    assert by_naam["Planetenbuurt"].buurtcodes == ("BU04840210", "BU04840211")
    assert by_naam["Planetenbuurt"].status == "lopend"


def test_shipped_ledger_corrections_against_public_sources(shipped):
    """Issue 8: facts checked against public sources, each correction with its source."""
    regie = {r.naam: r for r in shipped.regiegebieden}
    for naam in ("Edelstenenbuurt", "Snijdelwijk"):  # Woonforte territory
        assert "habeko" not in regie[naam].partners and "woonforte" in regie[naam].partners
        assert "woonforte.nl" in (regie[naam].toelichting or "")
    for aid in ("PA2021-04a", "PA2021-04b"):
        assert "habeko" not in shipped.afspraak(aid).partijen
    planeten = shipped.warmtegebied("wg-planetenbuurt")
    assert planeten is not None
    names = {shipped.partij_naam(p) for p in planeten.partners}
    assert {
        "Woonforte",
        "Alrijne Ziekenhuis",
        "Verpleeghuis Oudshoorn",
        "Stichting Driehoorne",
        "Scala College",
        "Hoogheemraadschap van Rijnland",
        "Alrijne Zorggroep",
        "Eteck",
    } <= names
    assert "70%" in (planeten.toelichting or "") and "oktober 2020" in (planeten.toelichting or "")
    assert shipped.partij("huurders-woonforte").naam.endswith("(HOGH)")
    assert shipped.afspraak("PA2021-03b").tekst.endswith("Financieel Fit [...].")
    assert all(a.indicator.startswith("Eigen formulering: ") for a in shipped.afspraken)
    ledger_text = SHIPPED_LEDGER.read_text(encoding="utf-8")
    assert "150 woningen" not in ledger_text  # no source states the Herculesflat's homes


def test_shipped_texts_are_faithful_to_the_source(shipped):
    source = " ".join(SOURCE_TEXT.read_text(encoding="utf-8").split())
    for a in shipped.afspraken:
        for fragment in a.tekst.split("[...]"):
            fragment = fragment.strip(" .")
            if fragment.startswith("Dit vraagt om"):
                fragment = fragment.removeprefix("Dit vraagt om").strip()
            assert fragment in source, (a.id, fragment)


@pytest.mark.parametrize(
    ("buurtcode", "expected"),
    [("BU04840306", "regiegebied Edelstenenbuurt"), ("BU04840210", "direct")],
)
def test_acceptance_dossier_links(shipped, real_buurten, buurtcode, expected):
    frame = applicable_afspraken(shipped, Areas.of(real_buurten, ledger=shipped), buurtcode)
    gemeentebreed = {a.id for a in shipped.afspraken if a.gemeentebreed}
    assert gemeentebreed <= set(frame["afspraak_id"])
    assert (frame.loc[frame["afspraak_id"].isin(gemeentebreed), "via"] == "gemeentebreed").all()
    specific = frame[frame["via"] == expected]
    assert len(specific) == 1
    row = specific.iloc[0]
    if buurtcode == "BU04840306":
        assert row["thema"] == "leefbaarheid"
        assert "Tom in de buurt" in row["partijen"] and "Politie" in row["partijen"]
    else:
        assert "Aquathermie" in row["titel"]


def test_shipped_layers_and_geopackage_round_trip(shipped, real_buurten, real_wijken, tmp_path):
    regie = regiegebieden_layer(shipped, real_buurten)
    warm = warmtegebieden_layer(shipped, real_buurten, real_wijken)
    afspraken, links = afspraken_frames(shipped)
    assert regie.crs.to_epsg() == 28992 and warm.crs.to_epsg() == 28992
    assert set(regie["naam"]) == {"Edelstenenbuurt", "Snijdelwijk"}
    edel = regie.set_index("naam").loc["Edelstenenbuurt"]
    buurt = real_buurten.set_index("buurtcode").loc["BU04840306"]
    assert edel.geometry.area == pytest.approx(buurt.geometry.area)
    assert "Tom in de buurt" in edel["partners"] and edel["regisseur"] == "nog vast te stellen"
    assert edel["afspraak_ids"] == "PA2021-04a"
    ridder = warm.set_index("gebied_id").loc["wg-ridderveld-west"]
    assert ridder["begrenzing"].startswith("wijk")
    assert len(afspraken) == len(shipped.afspraken) == afspraken["afspraak_id"].nunique()
    assert set(links.columns) == {"afspraak_id", "niveau", "code"}
    gpkg = tmp_path / "test.gpkg"
    regie.to_file(gpkg, layer="regiegebieden", engine="pyogrio")
    warm.to_file(gpkg, layer="warmtegebieden", engine="pyogrio")
    pyogrio.write_dataframe(afspraken, gpkg, layer="afspraken")
    pyogrio.write_dataframe(links, gpkg, layer="afspraak_gebieden")
    back = pyogrio.read_dataframe(gpkg, layer="afspraken")
    assert list(back["afspraak_id"]) == list(afspraken["afspraak_id"])
    assert gpd.read_file(gpkg, layer="regiegebieden").crs.to_epsg() == 28992


# --------------------------------------------------------------------------- validation


def _problems(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return exc.value.problems


def _areas(buurten, wijken, complexen=None) -> Areas:
    return Areas.of(buurten, wijken, complexen)


def test_valid_ledger_loads_against_areas(ledger_file, buurten, wijken, complexen):
    ledger = load_ledger(ledger_file, areas=_areas(buurten, wijken, complexen))
    assert len(ledger.afspraken) == 8


def test_unknown_buurt_code_names_file_id_and_code(tmp_path, ledger_dict, buurten, wijken):
    ledger_dict["afspraken"][2]["gebieden"] = [{"niveau": "buurt", "code": "BU04849999"}]
    path = write_ledger(tmp_path / "fout.yaml", ledger_dict)
    with pytest.raises(ValidationError) as exc:
        load_ledger(path, areas=_areas(buurten, wijken))
    (problem,) = _problems(exc)
    assert str(path) in problem and "A-buurt" in problem and "'BU04849999'" in problem
    assert re.search(r"regel \d+", problem)
    assert "onbekende buurtcode" in problem


def test_without_areas_only_the_form_of_codes_is_checked(ledger_dict):
    ledger_dict["afspraken"][2]["gebieden"] = [{"niveau": "buurt", "code": "BU04849999"}]
    parse_ledger(dump(ledger_dict))  # exists? unknown without boundaries; the form is fine
    ledger_dict["afspraken"][2]["gebieden"] = [{"niveau": "buurt", "code": "BU123"}]
    with pytest.raises(ValidationError, match="onjuist gevormde buurtcode: 'BU123'"):
        parse_ledger(dump(ledger_dict))


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["afspraken"][0].update(partijen=["gemeente", "nobody"]),
            "onbekende partij: 'nobody'",
        ),
        (lambda d: d["afspraken"][0].update(thema="sport"), "onbekend thema: 'sport'"),
        (lambda d: d["afspraken"][0].update(status="klaar"), "onbekende status: 'klaar'"),
        (lambda d: d["afspraken"][1].update(id="A-gem"), "dubbele id: 'A-gem'"),
        (lambda d: d["afspraken"][0].update(trekker="politie"), "staat niet bij de partijen"),
        (lambda d: d["afspraken"][0].update(voortgang=120), "buiten het bereik 0..100: 120"),
        (
            lambda d: d["afspraken"][0].update(streefwaarde=40),
            "streefwaarde heeft een eenheid nodig",
        ),
        (lambda d: d["afspraken"][0].update(partjen=["gemeente"]), "veld 'partjen': onbekend veld"),
        (
            lambda d: d["afspraken"][0].update(gebieden=[{"niveau": "regiegebied", "code": "r9"}]),
            "onbekend regiegebied (niet onder 'regiegebieden'): 'r9'",
        ),
        (
            lambda d: d["afspraken"][0].update(gebieden=[{"niveau": "straat", "code": "x"}]),
            "onbekend niveau",
        ),
        (
            lambda d: d["regiegebieden"][0].update(partners=["gemeente", "ghost"]),
            "onbekende partij: 'ghost'",
        ),
        (
            lambda d: d["warmtegebieden"][0].update(buurtcodes=["BU04840101"]),
            "buurt ligt niet in een van",
        ),
        (lambda d: d["metadata"].update(ondertekend="9 december"), "verwacht een datum"),
        (lambda d: d["metadata"].update(jaar=2025), "valt buiten de periode 2017-2021"),
    ],
)
def test_each_problem_is_one_line(ledger_dict, mutate, expected):
    mutate(ledger_dict)
    with pytest.raises(ValidationError) as exc:
        parse_ledger(dump(ledger_dict), source="x.yaml")
    problems = _problems(exc)
    assert len(problems) == 1, problems
    assert expected in problems[0]
    assert problems[0].startswith("x.yaml")
    assert "\n" not in problems[0]


def test_missing_required_fields_are_each_named(ledger_dict):
    del ledger_dict["afspraken"][0]["thema"]
    del ledger_dict["afspraken"][0]["gebieden"]
    with pytest.raises(ValidationError) as exc:
        parse_ledger(dump(ledger_dict), source="x.yaml")
    problems = _problems(exc)
    assert len(problems) == 2
    assert all("afspraak A-gem" in p and "verplicht veld ontbreekt" in p for p in problems)
    assert {"'thema'", "'gebieden'"} == {re.search(r"'(\w+)'", p).group(0) for p in problems}  # type: ignore[union-attr]


def test_all_problems_are_reported_together(tmp_path, ledger_dict, buurten, wijken):
    ledger_dict["afspraken"][0]["thema"] = "sport"
    ledger_dict["afspraken"][1]["partijen"] = ["gemeente", "nobody"]
    ledger_dict["afspraken"][2]["gebieden"] = [{"niveau": "buurt", "code": "BU04849999"}]
    ledger_dict["afspraken"][3]["id"] = "A-gem"
    path = write_ledger(tmp_path / "veel.yaml", ledger_dict)
    with pytest.raises(ValidationError) as exc:
        load_ledger(path, areas=_areas(buurten, wijken))
    problems = _problems(exc)
    assert len(problems) == 4
    message = str(exc.value)
    assert message.startswith(f"4 problemen in {path}")
    assert len(message.splitlines()) == 5
    for value in ("'sport'", "'nobody'", "'BU04849999'", "dubbele id: 'A-gem'"):
        assert value in message


def test_unknown_complex_only_checked_when_complexen_loaded(
    ledger_dict, buurten, wijken, complexen
):
    ledger_dict["afspraken"][7]["gebieden"] = [{"niveau": "complex", "code": "C9"}]
    text = dump(ledger_dict)
    parse_ledger(text, areas=_areas(buurten, wijken))
    with pytest.raises(ValidationError, match=r"onbekend complex .*'C9'"):
        parse_ledger(text, areas=_areas(buurten, wijken, complexen))


def test_malformed_yaml_is_one_line_with_line_number(tmp_path):
    path = tmp_path / "kapot.yaml"
    path.write_text(
        "metadata:\n  titel: x\nafspraken:\n  - id: [A-1\n    thema: x\n", encoding="utf-8"
    )
    with pytest.raises(ValidationError) as exc:
        load_ledger(path)
    (problem,) = _problems(exc)
    assert problem.startswith(f"{path}, regel ")
    assert "geen geldige YAML" in problem
    assert "\n" not in str(exc.value) and "Traceback" not in str(exc.value)
    assert exc.value.__suppress_context__


def test_duplicate_yaml_key_is_refused_with_its_line(ledger_dict):
    text = dump(ledger_dict).replace(
        "  status: lopend\n", "  status: lopend\n  status: voorgenomen\n", 1
    )
    text = text.replace("  bron: test\n", "  bron: test\n  bron: nog eens\n")
    with pytest.raises(ValidationError) as exc:
        parse_ledger(text, source="x.yaml")
    assert _problems(exc) == [
        f"x.yaml, regel {_line_of(text, 'bron: nog eens')}: metadata: "
        "dubbele sleutel (de tweede zou de eerste overschrijven): 'bron'",
        f"x.yaml, regel {_line_of(text, 'status: voorgenomen', after='- id: A-warm')}: "
        "afspraak A-warm: dubbele sleutel (de tweede zou de eerste overschrijven): 'status'",
    ]


def test_not_a_mapping_and_missing_file(tmp_path):
    with pytest.raises(ValidationError, match="verwacht een YAML-document"):
        parse_ledger("- a\n- b\n")
    with pytest.raises(SourceNotFoundError, match="bestaat niet"):
        load_ledger(tmp_path / "nergens.yaml")


# --------------------------------------------------------------------------- hardening


def _line_of(text: str, needle: str, *, after: str | None = None) -> int:
    """The (1-based) line of the one line containing ``needle`` (or the first after the line ``after``)."""
    lines = text.splitlines()
    start = lines.index(after) + 1 if after else 0
    hits = [i for i, line in enumerate(lines, 1) if i > start and needle in line]
    assert hits, needle
    if after is None:
        assert len(hits) == 1, (needle, hits)
    return hits[0]


def _one_problem(text: str) -> str:
    with pytest.raises(ValidationError) as exc:
        parse_ledger(text, source="x.yaml")
    (problem,) = _problems(exc)
    assert "\n" not in str(exc.value)
    return problem


@pytest.mark.parametrize(
    ("text", "line", "shown"),
    [
        ("metadata: &m {titel: x}\nafspraken: *m\n", 1, "'&m'"),
        ("metadata:\n  titel: x\nafspraken:\n  - *m\n", 4, "'*m'"),
        ("metadata: !!str &a x\n", 1, "'&a'"),
    ],
)
def test_yaml_anchors_and_aliases_are_refused(text, line, shown):
    problem = _one_problem(text)
    assert problem.startswith(f"x.yaml, regel {line}: YAML-ankers en -verwijzingen")
    assert problem.endswith(shown)


def test_alias_bomb_is_refused_at_once(ledger_dict):
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{c}: &{c} [{','.join([f'*{p}'] * 9)}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    assert len(bomb.encode()) < 400
    started = time.perf_counter()
    problem = _one_problem(bomb + dump(ledger_dict))
    assert time.perf_counter() - started < 1.0
    assert "regel 1: YAML-ankers en -verwijzingen" in problem


@pytest.mark.parametrize(
    "nested",
    [
        "metadata: " + "[" * 20_000 + "]" * 20_000 + "\n",
        "metadata: " + "{a: " * 20_000 + "x" + "}" * 20_000 + "\n",
        "metadata:\n  " + "- " * 20_000 + "x\n",
        "metadata:\n" + "".join(" " * i + "a:\n" for i in range(1, 200)),
    ],
)
def test_deep_nesting_is_one_line_not_a_recursion_error(nested):
    problem = _one_problem(nested)
    assert re.fullmatch(r"x\.yaml, regel \d+: te diep genest \(meer dan 50 niveaus\)", problem)


def test_nesting_up_to_the_limit_is_read(ledger_dict):
    ledger_dict["afspraken"][0]["toelichting"] = "[" * 48 + "]" * 48
    parse_ledger(dump(ledger_dict))  # a string, not nesting
    text = dump(ledger_dict) + "extra: " + "[" * 49 + "]" * 49 + "\n"
    problem = _one_problem(text)  # 50 levels: read, then refused as an unknown section
    assert (
        problem
        == f"x.yaml, regel {_line_of(text, 'extra:')}, veld 'extra': onbekend onderdeel (typfout?)"
    )


def test_empty_not_utf8_or_not_a_mapping_is_one_line(tmp_path):
    for text in ("", "# alleen commentaar\n", "---\n", "null\n"):
        assert _one_problem(text).startswith("x.yaml: leeg bestand; verwacht een YAML-document")
    for text in ("- a\n", "gewoon tekst\n", "42\n"):
        assert _one_problem(text).startswith("x.yaml, regel 1: verwacht een YAML-document met de")
    path = tmp_path / "latin1.yaml"
    path.write_bytes("metadata:\n  titel: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ValidationError) as exc:
        load_ledger(path)
    assert _problems(exc) == [f"{path}: geen UTF-8-tekst (invalid continuation byte bij byte 22)"]
    assert exc.value.__suppress_context__


def test_unsafe_tags_and_several_documents_are_invalid_yaml():
    assert "geen geldige YAML" in _one_problem("metadata: !!python/object:os.system x\n")
    assert _one_problem("metadata: {}\n---\nafspraken: []\n").startswith(
        "x.yaml, regel 2: geen geldige YAML"
    )


# --------------------------------------------------------------------------- lines and messages


def test_wrong_types_in_nested_fields_are_named_with_their_line(ledger_dict):
    ledger_dict["afspraken"][3]["gebieden"][1]["code"] = 4840202
    ledger_dict["afspraken"][3]["partijen"] = ["gemeente", 777]
    ledger_dict["warmtegebieden"][1]["startjaar"] = "2023"
    ledger_dict["metadata"]["jaar"] = 2021.0
    ledger_dict["partijen"][1]["ondertekenaar"] = "ja"
    ledger_dict["vocabulaire"]["themas"].append(12)
    text = dump(ledger_dict)
    with pytest.raises(ValidationError) as exc:
        parse_ledger(text, source="x.yaml")
    at = _line_of
    assert _problems(exc) == [
        f"x.yaml, regel {at(text, 'jaar: 2021.0')}: metadata, veld 'jaar': verwacht een geheel getal: 2021.0",
        f"x.yaml, regel {at(text, '- 12')}: vocabulaire, veld 'themas': verwacht tekst in de lijst: 12",
        f"x.yaml, regel {at(text, 'ondertekenaar: ja')}: partij woonforte, veld 'ondertekenaar': verwacht true of false: 'ja'",
        f"x.yaml, regel {at(text, 'startjaar: ' + repr('2023'))}: warmtegebied w2, veld 'startjaar': verwacht een geheel getal: '2023'",
        f"x.yaml, regel {at(text, '- 777')}: afspraak A-buurt2, veld 'partijen': verwacht tekst in de lijst: 777",
        f"x.yaml, regel {at(text, 'code: 4840202')}: afspraak A-buurt2, veld 'gebieden': verwacht een buurtcode: 4840202",
    ]


def test_unknown_field_and_missing_field_lines(ledger_dict):
    ledger_dict["afspraken"][4]["partjen"] = ["gemeente"]
    del ledger_dict["regiegebieden"][0]["naam"]
    text = dump(ledger_dict)
    with pytest.raises(ValidationError) as exc:
        parse_ledger(text, source="x.yaml")
    assert _problems(exc) == [
        # a missing field: the line of its record
        f"x.yaml, regel {_line_of(text, 'regie_id: r1')}: regiegebied r1, veld 'naam': verplicht veld ontbreekt",
        f"x.yaml, regel {_line_of(text, 'partjen:')}: afspraak A-regie, veld 'partjen': onbekend veld (typfout?)",
    ]


def test_schema_and_reference_problems_of_one_record_come_together(ledger_dict):
    ledger_dict["afspraken"][0].update(voortgang="veel", partijen=["gemeente", "nobody"])
    ledger_dict["afspraken"][5]["gebieden"].append({"niveau": "buurt"})
    ledger_dict["partijen"][1]["soort"] = 3  # a broken party is still a known party
    with pytest.raises(ValidationError) as exc:
        parse_ledger(dump(ledger_dict), source="x.yaml")
    problems = _problems(exc)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "partij woonforte, veld 'soort': verwacht tekst: 3",
        "afspraak A-gem, veld 'partijen': onbekende partij: 'nobody'",
        "afspraak A-gem, veld 'voortgang': verwacht een geheel getal: 'veel'",
        "afspraak A-warm, veld 'gebieden': verwacht {niveau: ..., code: ...}: {'niveau': 'buurt'}",
    ]
    lines = [int(re.search(r"regel (\d+)", p).group(1)) for p in problems]  # type: ignore[union-attr]
    assert lines == sorted(lines)  # in file order


def test_no_english_or_pydantic_text_leaks(ledger_dict):
    ledger_dict["metadata"].update(titel=None, ondertekend=20201209, bron=["x"], extra=1)
    ledger_dict["vocabulaire"] = ["leefbaarheid"]
    ledger_dict["partijen"].append("geen record")
    ledger_dict["partijen"][0].update(id=None, naam={"a": 1}, ondertekenaar=1)
    ledger_dict["regiegebieden"][0].update(buurtcodes="BU04840102", partners=None, regisseur=3)
    ledger_dict["warmtegebieden"][0].update(periode=None, startjaar=True, status="")
    ledger_dict["afspraken"][0].update(
        jaar="2021", streefwaarde="veel", voortgang=-1, voorbeeld=1.5, gebieden=[], eenheid=[]
    )
    ledger_dict["afspraken"][1].update(
        gebieden=[{"niveau": "straat", "code": "x"}, [1], {"niveau": None, "code": "x"}]
    )
    ledger_dict["afspraken"][2][3] = "int key"
    with pytest.raises(ValidationError) as exc:
        parse_ledger(dump(ledger_dict), source="x.yaml")
    problems = _problems(exc)
    assert len(problems) >= 20
    for p in problems:
        assert p.startswith("x.yaml")
        for english in (
            "Input should",
            "Field required",
            "Extra inputs",
            "pydantic",
            "http",
            "Value error",
        ):
            assert english not in p, p
    text = "\n".join(problems)
    for dutch in (
        "veld 'titel': mag niet leeg zijn",
        "veld 'ondertekend': verwacht een datum JJJJ-MM-DD: 20201209",
        "veld 'bron': verwacht tekst: ['x']",
        "metadata, veld 'extra': onbekend veld (typfout?)",
        "veld 'vocabulaire': verwacht velden (sleutel: waarde)",
        "partij #5: verwacht velden (sleutel: waarde): 'geen record'",
        "veld 'ondertekenaar': verwacht true of false: 1",
        "veld 'buurtcodes': verwacht een lijst: 'BU04840102'",
        "veld 'regisseur': verwacht een partij-id of 'nog vast te stellen': 3",
        "warmtegebied w1, veld 'periode': mag niet leeg zijn",
        "veld 'startjaar': verwacht een geheel getal: True",
        "warmtegebied w1, veld 'status': verwacht tekst: ''",
        "veld 'streefwaarde': verwacht een getal (of leeg laten): 'veel'",
        "veld 'voortgang': buiten het bereik 0..100: -1",
        "veld 'voorbeeld': verwacht een geheel getal: 1.5",
        "veld 'eenheid': verwacht tekst: []",
        "veld 'gebieden': minstens één gebied",
        "afspraak A-wijk, veld 'gebieden': onbekend niveau (kies uit gemeente, wijk,",
        "afspraak A-wijk, veld 'gebieden': verwacht {niveau: ..., code: ...}: [1]",
        "afspraak A-wijk, veld 'gebieden': mag niet leeg zijn",
        "afspraak A-buurt: sleutel moet tekst zijn: 3",
    ):
        assert dutch in text, dutch


def test_a_broken_section_does_not_flood_its_references(ledger_dict):
    ledger_dict["partijen"] = "gemeente, woonforte"
    assert _one_problem(dump(ledger_dict)) == (
        "x.yaml, regel 15, veld 'partijen': verwacht een lijst: 'gemeente, woonforte'"
    )
    del ledger_dict["partijen"]
    assert (
        _one_problem(dump(ledger_dict)) == "x.yaml, veld 'partijen': verplicht onderdeel ontbreekt"
    )


def test_regie_id_equal_to_a_warmte_id_names_the_heat_area(ledger_dict):
    ledger_dict["warmtegebieden"][0]["gebied_id"] = "r1"
    for a in ledger_dict["afspraken"]:
        a["gebieden"] = [g for g in a["gebieden"] if g["code"] != "w1"] or [
            {"niveau": "regiegebied", "code": "r1"}
        ]
    text = dump(ledger_dict)
    assert _one_problem(text) == (
        f"x.yaml, regel {_line_of(text, 'gebied_id: r1')}: warmtegebied r1, "
        "veld 'gebied_id': zelfde id als een regiegebied: 'r1'"
    )


def test_year_and_period_of_an_agreement(ledger_dict):
    ledger_dict["afspraken"][0]["periode"] = "2022-2023"  # the year 2021 is inherited
    ledger_dict["afspraken"][1]["jaar"] = 2016  # the period 2017-2021 is inherited
    ledger_dict["afspraken"][2].update(periode="2022-2023", jaar=2022)
    ledger_dict["afspraken"][3]["periode"] = "2023-2022"
    with pytest.raises(ValidationError) as exc:
        parse_ledger(dump(ledger_dict), source="x.yaml")
    assert [p.split(": ", 1)[1] for p in _problems(exc)] == [
        "afspraak A-gem, veld 'jaar': valt buiten de periode 2022-2023: 2021",
        "afspraak A-wijk, veld 'jaar': valt buiten de periode 2017-2021: 2016",
        "afspraak A-buurt2, veld 'periode': verwacht een periode JJJJ of JJJJ-JJJJ: '2023-2022'",
    ]
    ledger_dict["afspraken"][0].update(periode="2022-2023", jaar=2022)
    del ledger_dict["afspraken"][1]["jaar"]
    del ledger_dict["afspraken"][3]["periode"]
    ledger = parse_ledger(dump(ledger_dict))
    assert (ledger.afspraken[0].jaar, ledger.afspraken[0].periode) == (2022, "2022-2023")
    assert (ledger.afspraken[1].jaar, ledger.afspraken[1].periode) == (2021, "2017-2021")


def test_values_are_normalised_and_typed(ledger_dict):
    ledger_dict["afspraken"][0].update(
        tekst="  Een   tekst\n over  regels ", streefwaarde=40, eenheid="woningen"
    )
    ledger_dict["metadata"]["ondertekend"] = dt.date(2020, 12, 9)
    ledger = parse_ledger(dump(ledger_dict))
    a = ledger.afspraken[0]
    assert a.tekst == "Een tekst over regels"
    assert a.streefwaarde == 40.0 and isinstance(a.streefwaarde, float)
    assert isinstance(ledger.partijen, tuple) and isinstance(a.gebieden[0], GebiedLink)
    assert ledger.meta.ondertekend == dt.date(2020, 12, 9)
    assert ledger == parse_ledger(dump(ledger_dict), source="elders.yaml")  # source not compared


def test_vocabulary_comes_from_the_file(ledger_dict):
    ledger_dict["vocabulaire"]["themas"].append("sport")
    ledger_dict["afspraken"][0]["thema"] = "sport"
    ledger = parse_ledger(dump(ledger_dict))
    assert "sport" in ledger.themas
    del ledger_dict["vocabulaire"]
    ledger_dict["afspraken"][0]["thema"] = "betaalbaarheid"
    assert parse_ledger(dump(ledger_dict)).themas == DEFAULT_THEMAS


# --------------------------------------------------------------------------- tables and layers


def test_frames_join_lists_and_keep_missing_values(ledger):
    afspraken, links = afspraken_frames(ledger)
    row = afspraken.set_index("afspraak_id").loc["A-regie"]
    assert row["partijen"] == "Gemeente Test; Tom in de buurt; Politie"
    assert row["partij_ids"] == "gemeente; tom-in-de-buurt; politie"
    assert row["trekker"] == "nog vast te stellen"
    assert afspraken["streefwaarde"].isna().all() and afspraken["voortgang"].isna().all()
    assert afspraken.set_index("afspraak_id").loc["A-gem", "gemeentebreed"]
    assert len(links) == sum(len(a.gebieden) for a in ledger.afspraken)
    assert links[links["afspraak_id"] == "A-buurt2"]["code"].tolist() == [
        "BU04840102",
        "BU04840202",
    ]


def test_regie_and_warmte_layers_on_tiny_frames(ledger, buurten, wijken):
    regie = regiegebieden_layer(ledger, buurten)
    assert regie.loc[0, "afspraak_ids"] == "A-regie"
    assert regie.loc[0, "partners"] == "Gemeente Test; Tom in de buurt; Politie"
    assert regie.geometry.iloc[0].geom_type == "MultiPolygon"
    warm = warmtegebieden_layer(ledger, buurten, wijken).set_index("gebied_id")
    assert warm.loc["w2"].geometry.area == pytest.approx(20_000)  # the whole wijk WK048401
    assert warm.loc["w1"].geometry.area == pytest.approx(10_000)
    assert warm.loc["w2", "wijkcodes"] == "WK048401" and warm.loc["w2", "buurtcodes"] == ""
    assert buurten.columns.tolist()[0] == "buurtcode"  # input not mutated


def test_layer_refuses_buurt_missing_from_frames(ledger, buurten):
    with pytest.raises(ValidationError, match=r"regiegebied r1: buurtcode .*'BU04840102'"):
        regiegebieden_layer(ledger, buurten[buurten["buurtcode"] != "BU04840102"])
