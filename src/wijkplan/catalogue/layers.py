"""The declarations: every layer and table of the built GeoPackage, with its columns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from wijkplan.catalogue.heat import HEAT_LAYERS
from wijkplan.catalogue.model import CATEGORY, Column, Layer, MapTheme
from wijkplan.catalogue.model import col as _c

# ---------------------------------------------------------------------------- shared column groups

#: CBS Kerncijfers wijken en buurten under our names (present when the boundary file has them).
#: "aantal" as unit means a plain count (not shown after the number).
KERNCIJFERS: tuple[Column, ...] = (
    _c("aantal_inwoners", "geheel getal", "Inwoners (1 januari)", "aantal", "bron"),
    _c("mannen", "geheel getal", "Mannen", "aantal", "bron"),
    _c("vrouwen", "geheel getal", "Vrouwen", "aantal", "bron"),
    _c("aantal_huishoudens", "geheel getal", "Huishoudens", "aantal", "bron"),
    _c("woningvoorraad", "geheel getal", "Woningvoorraad", "aantal", "bron"),
    _c("bevolkingsdichtheid_per_km2", "getal", "Bevolkingsdichtheid", "inwoners per km²", "bron"),
    _c("gemiddelde_woz_waarde", "getal", "Gemiddelde WOZ-waarde", "× 1.000 euro", "bron"),
    _c("pct_koopwoningen", "getal", "Koopwoningen", "% van de woningen", "bron"),
    _c("pct_huurwoningen", "getal", "Huurwoningen", "% van de woningen", "bron"),
    _c("pct_corporatiebezit", "getal", "Huurwoningen van corporaties", "% van de woningen", "bron"),
    _c(
        "gemiddeld_gasverbruik",
        "getal",
        "Gemiddeld aardgasverbruik per woning",
        "m³ per jaar",
        "bron",
    ),
    _c("pct_stadsverwarming", "getal", "Woningen met stadsverwarming", "% van de woningen", "bron"),
    _c("pct_eengezinswoning", "getal", "Eengezinswoningen", "% van de woningen", "bron"),
    _c(
        "pct_meergezinswoning",
        "getal",
        "Meergezinswoningen (gestapeld)",
        "% van de woningen",
        "bron",
    ),
    _c(
        "pct_bouwjaar_voor_2000", "getal", "Woningen gebouwd vóór 2000", "% van de woningen", "bron"
    ),
    _c(
        "pct_bouwjaar_vanaf_2000",
        "getal",
        "Woningen gebouwd vanaf 2000",
        "% van de woningen",
        "bron",
    ),
    _c(
        "pct_bouwjaar_laatste_10_jaar",
        "getal",
        "Woningen gebouwd in de afgelopen tien jaar",
        "% van de woningen",
        "bron",
    ),
    _c("pct_huishoudens_laag_inkomen", "getal", "Huishoudens met een laag inkomen", "%", "bron"),
    _c("oppervlakte_totaal_ha", "geheel getal", "Oppervlakte totaal", "ha", "bron"),
    _c("oppervlakte_land_ha", "geheel getal", "Oppervlakte land", "ha", "bron"),
    _c("oppervlakte_water_ha", "geheel getal", "Oppervlakte water", "ha", "bron"),
    _c(
        "kerncijfers_ontbreekt",
        "tekst",
        "Kerncijfers die de bron niet geeft, met de reden (kolom: geheim / niet beschikbaar; ...)",
        None,
        "bron",
    ),
    _c("kerncijfers_bron", "tekst", "Bron van de kerncijfers (tabel, jaar)", None, "bron"),
)
#: Kerncijfers that add up over areas (counts and surfaces; not shares, averages or densities).
ADDITIVE_FIGURES: tuple[str, ...] = (
    "aantal_inwoners",
    "mannen",
    "vrouwen",
    "aantal_huishoudens",
    "woningvoorraad",
    "oppervlakte_totaal_ha",
    "oppervlakte_land_ha",
    "oppervlakte_water_ha",
)
#: The kerncijfers that are figures (not the bookkeeping columns after them).
FIGURE_COLUMNS: tuple[Column, ...] = KERNCIJFERS[:-2]

#: The Leefbaarometer scores, in band order, with their labels.
SCORES: tuple[Column, ...] = (
    _c("lbm", "getal", "Leefbaarometer (totaal)", "score"),
    _c("afw", "getal", "Afwijking van landelijk gemiddelde", "score"),
    _c("won", "getal", "Woningvoorraad", "afwijking"),
    _c("fys", "getal", "Fysieke omgeving", "afwijking"),
    _c("vrz", "getal", "Voorzieningen", "afwijking"),
    _c("soc", "getal", "Sociale samenhang", "afwijking"),
    _c("onv", "getal", "Overlast en onveiligheid", "afwijking"),
)
SCORE_LABELS: Mapping[str, str] = {c.name: c.meaning for c in SCORES}
DIMENSIONS: tuple[str, ...] = ("won", "fys", "vrz", "soc", "onv")

#: What :func:`wijkplan.analysis.liveability.liveability_per_zone` gives per zone.
ZONE_LIVEABILITY: tuple[Column, ...] = (
    _c("jaar", "geheel getal", "Meetjaar van de Leefbaarometer"),
    *SCORES,
    _c(
        "klasse",
        "tekst",
        "Klasse (zeer onvoldoende … uitstekend) van de afwijking; grenzen zijn een aanname",
    ),
    _c("klasse_nr", "geheel getal", "Klassenummer 1 (zeer onvoldoende) t/m 9 (uitstekend)"),
    _c(
        "aandeel_zwak",
        "getal",
        "Aandeel van het gescoorde oppervlak in klasse zwak of lager",
        "fractie 0-1",
    ),
    _c("cellen", "getal", "Gescoorde 100m-cellen in het gebied, naar oppervlak gewogen", "cellen"),
    _c("dekking", "getal", "Deel van het gebied dat op gescoorde cellen valt", "fractie 0-1"),
    _c("betrouwbaar", "ja/nee", "Minstens min_cellen gescoorde cellen (config/leefbaarheid.toml)"),
    _c(
        "scorebron",
        "tekst",
        "Waar de score vandaan komt: 'grid' (100m-cellen, oppervlaktegewogen) of "
        "'buurtbestand' (de buurtscore die de Leefbaarometer zelf publiceert)",
    ),
)

_SUPPRESSED = " (1 t/m drempel−1 afgeschermd: leeg)"

#: The columns of each published incident table (after the area key).
INCIDENT_TABLE: tuple[Column, ...] = (
    _c("periode", "tekst", 'Jaar ("2023") of de hele periode ("2019-2024")'),
    _c(
        CATEGORY,
        "geheel getal",
        "Geregistreerde incidenten in deze categorie" + _SUPPRESSED,
        "aantal",
    ),
    _c(
        "totaal",
        "geheel getal",
        "Geregistreerde incidenten, alle categorieën" + _SUPPRESSED,
        "aantal",
    ),
    _c("jaar", "geheel getal", "Jaar; leeg voor de hele periode"),
    _c("n_jaren", "geheel getal", "Aantal jaren in de periode", "jaren"),
    _c("inwoners", "geheel getal", "Inwoners waarmee per 1.000 is gerekend", "aantal"),
    _c("inwoners_bekend", "ja/nee", "Of het inwonertal bekend is"),
    _c("inwoners_jaar", "tekst", "Peiljaar van het inwonertal"),
    _c("oppervlakte_km2", "getal", "Oppervlakte van het gebied", "km²"),
    _c(
        "per_1000_" + CATEGORY,
        "getal",
        "Incidenten per 1.000 inwoners per jaar in deze categorie",
        "per 1.000 inwoners",
    ),
    _c("per_1000_totaal", "getal", "Incidenten per 1.000 inwoners per jaar", "per 1.000 inwoners"),
    _c("per_km2_totaal", "getal", "Incidenten per km² per jaar", "per km²"),
    _c(
        "volledig",
        "ja/nee",
        "Alle brongegevens van gebied en periode zijn er; zo niet: het aantal is een ondergrens "
        "(of onbekend, leeg) en er is geen per-1.000- of per-km²-cijfer",
    ),
)


def _incident_layer(name: str, level: str, key: str, key_meaning: str) -> Layer:
    return Layer(
        name=name,
        title=f"Incidenten per {level}",
        description=(
            f"Geregistreerde incidenten per {level} en jaar, per categorie, met kleine aantallen "
            "afgeschermd (ook aanvullend, zodat ze niet uit totalen zijn terug te rekenen). "
            "Geen enkel los incident staat in dit bestand."
        ),
        geometry=None,
        key=(key, "periode"),
        theme="leefbaarheid",
        kind="afgeleid",
        columns=(_c(key, "tekst", key_meaning), *INCIDENT_TABLE),
        suppressed=True,
        needs=("incidenten",),
    )


def _crime_layer(name: str, level: str, key: str, key_meaning: str) -> Layer:
    return Layer(
        name=name,
        title=f"Geregistreerde misdrijven per {level}",
        description=(
            f"Geregistreerde misdrijven per {level} en jaar, alle soorten samen (Politie, open "
            "data via CBS, tabel 47018NED/47022NED: echte cijfers), met kleine aantallen "
            "afgeschermd zoals bij de incidenten."
        ),
        geometry=None,
        key=(key, "periode"),
        theme="leefbaarheid",
        kind="afgeleid",
        columns=(
            _c(key, "tekst", key_meaning),
            *(c for c in INCIDENT_TABLE if CATEGORY not in c.name),
        ),
        suppressed=True,
        needs=("misdrijven",),
    )


# ---------------------------------------------------------------------------- the layers

DECLARED: tuple[Layer, ...] = (
    Layer(
        name="buurten",
        title="Buurten (CBS)",
        description="Buurtgrenzen van CBS/Kadaster (Wijk- en Buurtkaart) met code, naam en wijk.",
        geometry="MultiPolygon",
        key="buurtcode",
        theme="grenzen",
        kind="echt",
        columns=(
            _c("buurtcode", "tekst", "CBS-buurtcode (BU + 8 cijfers)"),
            _c("buurtnaam", "tekst", "Naam van de buurt"),
            _c("wijkcode", "tekst", "CBS-wijkcode (WK + 6 cijfers)"),
            _c("wijknaam", "tekst", "Naam van de wijk"),
            _c("gemeentecode", "tekst", "CBS-gemeentecode (GM + 4 cijfers)"),
            _c("gemeentenaam", "tekst", "Naam van de gemeente", when="bron"),
            _c("jaar", "geheel getal", "Jaar van de gebiedsindeling"),
            *KERNCIJFERS,
        ),
    ),
    Layer(
        name="wijken",
        title="Wijken (CBS)",
        description="Wijkgrenzen van CBS/Kadaster met de CBS Kerncijfers wijken en buurten.",
        geometry="MultiPolygon",
        key="wijkcode",
        theme="grenzen",
        kind="echt",
        columns=(
            _c("wijkcode", "tekst", "CBS-wijkcode (WK + 6 cijfers)"),
            _c("wijknaam", "tekst", "Naam van de wijk"),
            _c("gemeentecode", "tekst", "CBS-gemeentecode (GM + 4 cijfers)"),
            _c("gemeentenaam", "tekst", "Naam van de gemeente", when="bron"),
            _c("jaar", "geheel getal", "Jaar van de gebiedsindeling"),
            *KERNCIJFERS,
        ),
    ),
    Layer(
        name="complexen",
        title="Complexen woningcorporaties",
        description=(
            "Complexen van de woningcorporaties (vlak of punt). Zonder eigen bestand van de "
            "corporaties is dit voorbeelddata: zie de kolom bron."
        ),
        geometry="Geometry",
        key="complex_id",
        theme="grenzen",
        kind="voorbeelddata",
        needs=("complexen",),
        columns=(
            _c("complex_id", "tekst", "Complexnummer van de corporatie"),
            _c("corporatie", "tekst", "Woningcorporatie"),
            _c("naam", "tekst", "Naam van het complex"),
            _c("aantal_woningen", "geheel getal", "Woningen in het complex", "aantal"),
            _c("bouwjaar", "geheel getal", "Bouwjaar"),
            _c("energielabel", "tekst", "Energielabel (A++++ t/m G)"),
            _c("woningtype", "tekst", "Woningtype"),
            _c("buurtcode", "tekst", "Buurt waarin het complex ligt (ruimtelijk bepaald)"),
            _c(
                "bron", "tekst", "Bron van het record; 'voorbeelddata …' voor gegenereerde gegevens"
            ),
        ),
    ),
    Layer(
        name="afspraken",
        title="Prestatieafspraken",
        description=(
            "De prestatieafspraken uit het afsprakenregister, met status en voortgang zoals "
            "ze bij het bouwen in de statusopslag stonden (status_stand_op)."
        ),
        geometry=None,
        key="afspraak_id",
        theme="afspraken",
        kind="echt",
        needs=("afspraken",),
        columns=(
            _c("afspraak_id", "tekst", "Id van de afspraak in het register"),
            _c("jaar", "geheel getal", "Jaar van de prestatieafspraken"),
            _c("periode", "tekst", "Periode waarop de afspraken betrekking hebben"),
            _c("thema", "tekst", "Thema"),
            _c("titel", "tekst", "Korte titel"),
            _c("tekst", "tekst", "Letterlijke tekst uit de bron ([...] waar ingekort)"),
            _c("partijen", "tekst", "Partijen (namen, gescheiden door '; ')"),
            _c("partij_ids", "tekst", "Partijen (ids, gescheiden door '; ')"),
            _c("trekker", "tekst", "Trekker, of 'nog vast te stellen'"),
            _c("trekker_id", "tekst", "Id van de trekker"),
            _c("indicator", "tekst", "Waaraan de voortgang te zien is"),
            _c("streefwaarde", "getal", "Streefwaarde, alleen waar de bron een getal noemt"),
            _c("eenheid", "tekst", "Eenheid van de streefwaarde"),
            _c("status", "tekst", "Status bij het bouwen"),
            _c("voortgang", "geheel getal", "Voortgang bij het bouwen", "%"),
            _c("status_versie", "geheel getal", "Versie in de statusopslag (0: nooit gewijzigd)"),
            _c("gemeentebreed", "ja/nee", "Geldt voor de hele gemeente"),
            _c("gebieden", "tekst", "Gekoppelde gebieden (niveau code; ...)"),
            _c("voorbeeld", "geheel getal", "Nummer van het voorbeeld in de brontekst"),
            _c("toelichting", "tekst", "Toelichting en gemaakte keuzes"),
            _c("ondertekend", "tekst", "Datum van ondertekening (JJJJ-MM-DD)"),
            _c("bron", "tekst", "Titel van het register"),
            _c(
                "status_stand_op",
                "tekst",
                "Moment waarop status en voortgang zijn overgenomen (UTC)",
            ),
        ),
    ),
    Layer(
        name="afspraak_gebieden",
        title="Koppeling afspraken – gebieden",
        description="Welke afspraak aan welk gebied is gekoppeld (niveau en code), één rij per koppeling.",
        geometry=None,
        key=("afspraak_id", "niveau", "code"),
        theme="afspraken",
        kind="echt",
        needs=("afspraken",),
        columns=(
            _c("afspraak_id", "tekst", "Id van de afspraak"),
            _c("niveau", "tekst", "gemeente, wijk, buurt, regiegebied, warmtegebied of complex"),
            _c("code", "tekst", "Code van het gebied op dat niveau"),
        ),
    ),
    Layer(
        name="afspraken_register",
        title="Afsprakenregister (volledig)",
        description=(
            "Het gevalideerde afsprakenregister als JSON (partijen, gebieden, afspraken), zoals "
            "het bij het bouwen is gelezen; de app leest het hieruit."
        ),
        geometry=None,
        key="bestand",
        theme="afspraken",
        kind="echt",
        needs=("afspraken",),
        columns=(
            _c("bestand", "tekst", "Het registerbestand waaruit gebouwd is"),
            _c("register", "json", "Het register als JSON"),
        ),
    ),
    Layer(
        name="regiegebieden",
        title="Regiegebieden leefbaarheid",
        description="Gebieden met afgesproken regie op leefbaarheid: de vereniging van hun buurten.",
        geometry="MultiPolygon",
        key="regie_id",
        theme="afspraken",
        kind="echt",
        needs=("afspraken",),
        columns=(
            _c("regie_id", "tekst", "Id van het regiegebied"),
            _c("naam", "tekst", "Naam"),
            _c("buurtcodes", "tekst", "Buurten (codes, gescheiden door '; ')"),
            _c("partners", "tekst", "Partners (namen)"),
            _c("regisseur", "tekst", "Regisseur, of 'nog vast te stellen'"),
            _c("afspraak_ids", "tekst", "Gekoppelde afspraken"),
            _c("toelichting", "tekst", "Toelichting"),
        ),
    ),
    *HEAT_LAYERS,
    Layer(
        name="leefbaarheid",
        title="Leefbaarheid per buurt",
        description=(
            "Leefbaarometer-scores per buurt (exact oppervlaktegewogen uit het 100m-grid), "
            "incidenten (afgeschermd) en een doorzichtige prioriteit met rang."
        ),
        geometry="MultiPolygon",
        key="buurtcode",
        theme="leefbaarheid",
        kind="afgeleid",
        suppressed=True,
        needs=("leefbaarometer|incidenten|misdrijven",),
        columns=(
            _c("buurtcode", "tekst", "CBS-buurtcode"),
            _c("buurtnaam", "tekst", "Naam van de buurt"),
            _c("wijkcode", "tekst", "CBS-wijkcode"),
            *(replace(c, when="leefbaarometer") for c in ZONE_LIVEABILITY),
            *(
                replace(c, when="incidenten")
                for c in INCIDENT_TABLE
                if c.name
                in (
                    "periode",
                    "totaal",
                    "n_jaren",
                    "inwoners",
                    "inwoners_bekend",
                    "oppervlakte_km2",
                    "per_1000_totaal",
                    "per_km2_totaal",
                    CATEGORY,
                )
            ),
            _c("c_lage_score", "getal", "Onderdeel lage score, geschaald", "0-1", "leefbaarometer"),
            _c(
                "c_aandeel_zwak",
                "getal",
                "Onderdeel aandeel zwak, geschaald",
                "0-1",
                "leefbaarometer",
            ),
            _c("c_incidenten", "getal", "Onderdeel incidenten, geschaald", "0-1", "leefbaarometer"),
            _c(
                "incidentmaat",
                "tekst",
                "per_1000 (inwoners bekend) of per_km2",
                None,
                "leefbaarometer",
            ),
            _c(
                "incidenten_waarde",
                "getal",
                "Incidenten per jaar in de incidentmaat",
                None,
                "leefbaarometer",
            ),
            _c(
                "incidenten_geschat",
                "ja/nee",
                "Afgeschermd aantal als (drempel−1)/2 geteld",
                None,
                "leefbaarometer",
            ),
            _c(
                "prioriteit",
                "getal",
                "Prioriteit leefbaarheid (formule in het bouwrapport)",
                "0-100",
                "leefbaarometer",
            ),
            _c(
                "rang", "geheel getal", "Rang naar prioriteit (1 = hoogste)", None, "leefbaarometer"
            ),
            _c(
                "misdrijven",
                "geheel getal",
                "Geregistreerde misdrijven in het laatste jaar (Politie; afgeschermd: leeg)",
                "aantal",
                "misdrijven",
            ),
            _c(
                "misdrijven_per_1000",
                "getal",
                "Geregistreerde misdrijven per 1.000 inwoners in het laatste jaar",
                "per 1.000 inwoners",
                "misdrijven",
            ),
            _c(
                "misdrijven_jaar", "geheel getal", "Jaar van de misdrijfcijfers", None, "misdrijven"
            ),
            _c("bron_leefbaarometer", "tekst", "echt, voorbeelddata of afwezig"),
        ),
    ),
    Layer(
        name="leefbaarheid_complexen",
        title="Leefbaarheid per complex",
        description="Leefbaarometer-scores onder elk complex (een punt krijgt de cel eronder).",
        geometry="Geometry",
        key="complex_id",
        theme="leefbaarheid",
        kind="afgeleid",
        needs=("leefbaarometer", "complexen"),
        columns=(
            _c("complex_id", "tekst", "Complexnummer"),
            _c("corporatie", "tekst", "Woningcorporatie"),
            _c("naam", "tekst", "Naam van het complex"),
            _c("buurtcode", "tekst", "Buurt"),
            _c("bron", "tekst", "Bron van het complex"),
            *ZONE_LIVEABILITY,
        ),
    ),
    Layer(
        name="leefbaarheid_regiegebieden",
        title="Leefbaarheid per regiegebied",
        description="Leefbaarometer-scores en incidenttotaal (afgeschermd) per regiegebied.",
        geometry="MultiPolygon",
        key="regie_id",
        theme="leefbaarheid",
        kind="afgeleid",
        suppressed=True,
        needs=("leefbaarometer|incidenten", "afspraken"),
        columns=(
            _c("regie_id", "tekst", "Id van het regiegebied"),
            _c("naam", "tekst", "Naam"),
            *(replace(c, when="leefbaarometer") for c in ZONE_LIVEABILITY),
            replace(INCIDENT_TABLE[2], when="incidenten"),
        ),
    ),
    Layer(
        name="leefbaarheid_trend",
        title="Leefbaarheid per meetjaar",
        description=(
            "Leefbaarometer-scores per buurt, wijk, regiegebied en warmtegebied voor elk meetjaar."
        ),
        geometry=None,
        key=("niveau", "code", "jaar"),
        theme="leefbaarheid",
        kind="afgeleid",
        needs=("leefbaarometer",),
        columns=(
            _c("niveau", "tekst", "buurt, wijk, regiegebied of warmtegebied"),
            _c("code", "tekst", "Code van het gebied"),
            *ZONE_LIVEABILITY,
        ),
    ),
    Layer(
        name="leefbaarheid_referentie",
        title="Leefbaarheid: referenties",
        description="Gemeentelijk en landelijk gemiddelde van elke score, voor vergelijking.",
        geometry=None,
        key="score",
        theme="leefbaarheid",
        kind="afgeleid",
        needs=("leefbaarometer",),
        columns=(
            _c("score", "tekst", "Score (lbm, afw, won, fys, vrz, soc, onv, zwak)"),
            _c("gemeente", "getal", "Oppervlaktegewogen gemiddelde over de gemeente"),
            _c("nederland", "getal", "Landelijk gemiddelde (afwijkingen: 0 per definitie)"),
            _c("jaar", "geheel getal", "Meetjaar"),
        ),
    ),
    _incident_layer("incidenten_buurt", "buurt", "buurtcode", "CBS-buurtcode"),
    _incident_layer("incidenten_wijk", "wijk", "wijkcode", "CBS-wijkcode"),
    _incident_layer("incidenten_regie", "regiegebied", "regie_id", "Id van het regiegebied"),
    _incident_layer("incidenten_gemeente", "gemeente", "gemeentecode", "CBS-gemeentecode"),
    _crime_layer("misdrijven_buurt", "buurt", "buurtcode", "CBS-buurtcode"),
    _crime_layer("misdrijven_wijk", "wijk", "wijkcode", "CBS-wijkcode"),
    _crime_layer("misdrijven_regie", "regiegebied", "regie_id", "Id van het regiegebied"),
    _crime_layer("misdrijven_gemeente", "gemeente", "gemeentecode", "CBS-gemeentecode"),
    Layer(
        name="build_report",
        title="Bouwrapport",
        description="Wat de build gebruikte en maakte: bronnen (echt/voorbeelddata), lagen, waarschuwingen.",
        geometry=None,
        key=None,
        theme="bouw",
        kind="afgeleid",
        columns=(_c("report", "json", "Het bouwrapport als JSON"),),
    ),
    Layer(
        name="catalogus",
        title="Catalogus van de lagen",
        description="Elke laag en kolom van dit bestand met betekenis, eenheid, soort en thema.",
        geometry=None,
        key=("laag", "kolom"),
        theme="bouw",
        kind="afgeleid",
        columns=(
            _c("laag", "tekst", "Naam van de laag"),
            _c("kolom", "tekst", "Naam van de kolom (leeg: de laag zelf)"),
            _c("type", "tekst", "Type (tekst, geheel getal, getal, ja/nee, json) of geometrie"),
            _c("betekenis", "tekst", "Betekenis"),
            _c("eenheid", "tekst", "Eenheid"),
            _c("aanwezig", "tekst", "Wanneer de kolom er is (altijd, of met welke bron)"),
            _c("thema", "tekst", "Thema van de laag"),
            _c("soort", "tekst", "echt, voorbeelddata of afgeleid"),
            _c("afgeschermd", "ja/nee", "Bevat afgeschermde kleine aantallen"),
        ),
    ),
    Layer(
        name="layer_styles",
        title="Stijlen voor QGIS",
        description=(
            "De QGIS-stijl van elke laag met geometrie (QML en SLD), zoals QGIS ze in een "
            "GeoPackage bewaart: QGIS opent elke laag met de stijl met useAsDefault = 1 "
            "(dezelfde klassen, kleuren en legenda als de kaart in de app)."
        ),
        geometry=None,
        key=("f_table_name", "f_geometry_column", "styleName"),
        theme="bouw",
        kind="afgeleid",
        columns=(
            _c("f_table_catalog", "tekst", "Catalogus van de laag (leeg in een GeoPackage)"),
            _c("f_table_schema", "tekst", "Schema van de laag (leeg in een GeoPackage)"),
            _c("f_table_name", "tekst", "Naam van de laag waarvoor de stijl is"),
            _c("f_geometry_column", "tekst", "Geometriekolom van de laag"),
            _c("styleName", "tekst", "Naam van de stijl"),
            _c("styleQML", "tekst", "De stijl als QGIS-stijldocument (QML)"),
            _c("styleSLD", "tekst", "Dezelfde stijl als SLD 1.1 (voor andere programma's)"),
            _c("useAsDefault", "ja/nee", "QGIS opent de laag met deze stijl"),
            _c("description", "tekst", "Beschrijving van de stijl"),
            _c("owner", "tekst", "Eigenaar (leeg)"),
            _c("ui", "tekst", "Formulierontwerp van QGIS (leeg)"),
            _c("update_time", "tekst", "Tijdstip waarop de stijl is geschreven (UTC)"),
        ),
    ),
)

LAYERS: Mapping[str, Layer] = {layer.name: layer for layer in DECLARED}
REPORT_TABLE = "build_report"
CATALOGUE_TABLE = "catalogus"
LEDGER_TABLE = "afspraken_register"


# ---------------------------------------------------------------------------- map themes

#: The buurt themes of the map: a column of layer ``leefbaarheid`` each.
MAP_THEMES: tuple[MapTheme, ...] = (
    MapTheme("Leefbaarheid: klasse (Leefbaarometer)", "klasse_nr", "klasse", 0, False),
    MapTheme("Leefbaarheid: totaalscore (lbm)", "lbm", "kwantiel", 2, False),
    *(MapTheme(f"Dimensie {SCORE_LABELS[d].lower()}", d, "kwantiel", 3, False) for d in DIMENSIONS),
    MapTheme("Aandeel oppervlak in zwakke klassen", "aandeel_zwak", "kwantiel", 2, True),
    MapTheme("Incidenten (per jaar, zie prioriteit)", "incidenten_waarde", "kwantiel", 1, True),
    MapTheme(
        "Geregistreerde misdrijven per 1.000 inwoners (Politie)",
        "misdrijven_per_1000",
        "kwantiel",
        1,
        True,
    ),
    MapTheme("Prioriteit leefbaarheid", "prioriteit", "kwantiel", 0, True),
)
for _theme in MAP_THEMES:  # every theme colours by a declared column
    LAYERS["leefbaarheid"].column(_theme.column)
