"""The declarations of the heat theme: districts, the plan per buurt, the aquathermal project."""

from __future__ import annotations

from wijkplan.catalogue.model import Layer
from wijkplan.catalogue.model import col as _c

HEAT_LAYERS: tuple[Layer, ...] = (
    Layer(
        name="warmtegebieden",
        title="Warmtegebieden (Transitievisie Warmte)",
        description=(
            "Verkenningsgebieden en wijkuitvoeringsplangebieden van het warmteplan met strategie, "
            "fase en startjaar, elk met de bron. Begrenzing 'aanname' waar de buurten niet "
            "gepubliceerd zijn (dan: de buurten van de genoemde wijk buiten de gebieden met "
            "genoemde buurten)."
        ),
        geometry="MultiPolygon",
        key="gebied_id",
        theme="warmte",
        kind="echt",
        # present when the plan, the ledger or a municipality's own polygons define districts
        needs=("warmtegebieden",),
        columns=(
            _c("gebied_id", "tekst", "Id van het warmtegebied"),
            _c("naam", "tekst", "Naam"),
            _c("volgnummer", "geheel getal", "Volgnummer in de Transitievisie Warmte"),
            _c(
                "buurtcodes",
                "tekst",
                "Buurten (codes) van het gebied; bij begrenzing 'aanname' de aangenomen buurten",
            ),
            _c("wijkcodes", "tekst", "Wijken (codes), waar alleen die bekend zijn"),
            _c("begrenzing", "tekst", "'gepubliceerd' of 'aanname'"),
            _c(
                "begrenzing_bron", "tekst", "Waar de begrenzing vandaan komt, of waarom een aanname"
            ),
            _c("strategie", "tekst", "Voorgenomen warmtestrategie (vaste lijst)"),
            _c("warmtebron", "tekst", "Warmtebron, waar genoemd (bijv. aquathermie)"),
            _c("strategie_bron", "tekst", "Bron van de strategie"),
            _c("fase", "tekst", "Fase: verkenning … aardgasvrij"),
            _c("fase_bron", "tekst", "Bron van de fase"),
            _c("periode", "tekst", "Periode uit de Transitievisie Warmte"),
            _c("startjaar", "geheel getal", "Startjaar"),
            _c("startjaar_bron", "tekst", "Bron van het startjaar"),
            _c("status", "tekst", "Status in het afsprakenregister"),
            _c("partners", "tekst", "Partners (namen, uit het afsprakenregister)"),
            _c("afspraak_ids", "tekst", "Gekoppelde afspraken"),
            _c("woningen", "geheel getal", "Woningen in de buurten van het gebied", "aantal"),
            _c("plan", "tekst", "Het warmteplan (titel, datum)"),
            _c("toelichting", "tekst", "Toelichting"),
        ),
    ),
    Layer(
        name="warmteplan",
        title="Warmteplan per buurt",
        description=(
            "Per buurt: het vastgestelde warmteplan (strategie, fase, startjaar, elk met bron), "
            "de invoer van de indicatie (woningdichtheid, gestapelde bouw, bouwjaren, labels, "
            "warmtevraag, afstand tot oppervlaktewater) en een doorzichtige indicatie van de "
            "strategie met de regels die haar gaven; waar plan en indicatie verschillen staat dat "
            "in 'afwijking'. De indicatie is een vuistregel, geen beleid."
        ),
        geometry="MultiPolygon",
        key="buurtcode",
        theme="warmte",
        kind="afgeleid",
        columns=(
            _c("buurtcode", "tekst", "CBS-buurtcode"),
            _c("buurtnaam", "tekst", "Naam van de buurt"),
            _c("wijkcode", "tekst", "CBS-wijkcode"),
            _c("gebied_id", "tekst", "Warmtegebied waarin de buurt ligt (leeg: geen)"),
            _c("gebied_naam", "tekst", "Naam van dat warmtegebied"),
            _c("begrenzing", "tekst", "'gepubliceerd' of 'aanname' (hoort de buurt er zeker bij?)"),
            _c("strategie", "tekst", "Voorgenomen warmtestrategie volgens het plan"),
            _c("strategie_bron", "tekst", "Bron van de strategie"),
            _c("warmtebron", "tekst", "Warmtebron, waar genoemd"),
            _c("fase", "tekst", "Fase volgens het plan (leeg: geen)"),
            _c("fase_nr", "geheel getal", "Fase als nummer: 1 verkenning … 5 aardgasvrij"),
            _c("fase_bron", "tekst", "Bron van de fase"),
            _c("startjaar", "geheel getal", "Startjaar volgens het plan"),
            _c("startjaar_bron", "tekst", "Bron van het startjaar"),
            _c("plan", "tekst", "Het warmteplan (titel, datum), of 'geen warmteplan'"),
            _c("woningen", "geheel getal", "Woningvoorraad", "aantal"),
            _c(
                "woningdichtheid",
                "getal",
                "Woningen per hectare land (CBS); waar CBS het land niet geeft per hectare van de "
                "hele buurt, water inbegrepen (zie invoer_bron)",
                "woningen per ha",
            ),
            _c("aandeel_meergezins", "getal", "Aandeel gestapelde woningen", "fractie 0-1"),
            _c("aandeel_corporatie", "getal", "Aandeel corporatiewoningen", "fractie 0-1"),
            _c("aandeel_voor_1975", "getal", "Aandeel woningen gebouwd vóór 1975", "fractie 0-1"),
            _c("aandeel_vanaf_1995", "getal", "Aandeel woningen gebouwd vanaf 1995", "fractie 0-1"),
            _c(
                "aandeel_label_ab",
                "getal",
                "Aandeel gelabelde woningen met A++++ t/m B",
                "fractie 0-1",
            ),
            _c(
                "aandeel_label_efg",
                "getal",
                "Aandeel gelabelde woningen met E, F of G",
                "fractie 0-1",
            ),
            _c(
                "woningen_met_label",
                "geheel getal",
                "Woningen met een geregistreerd label",
                "aantal",
            ),
            _c("warmtevraag_gj", "getal", "Warmtevraag van de woningen", "GJ per jaar"),
            _c("warmtevraag_per_ha", "getal", "Warmtevraag per hectare land", "GJ per ha per jaar"),
            _c(
                "warmtevraag_kengetal",
                "ja/nee",
                "De warmtevraag komt uit het kengetal per woning (gasverbruik onbekend)",
            ),
            _c(
                "afstand_oppervlaktewater",
                "getal",
                "Mediaan van de afstand van de woonpanden (BAG) tot het dichtstbijzijnde "
                "oppervlaktewater; zonder BAG vanaf het midden van de buurt (zie invoer_bron)",
                "m",
            ),
            _c(
                "aandeel_stadsverwarming",
                "getal",
                "Aandeel woningen met stadsverwarming",
                "fractie 0-1",
            ),
            _c(
                "invoer_bron",
                "tekst",
                "Bron per invoer (invoer: bron; ...), met 'voorbeelddata' waar die is gebruikt",
            ),
            _c("invoer_voorbeelddata", "ja/nee", "Een deel van de invoer is voorbeelddata"),
            _c(
                "indicatie",
                "tekst",
                "Indicatie van de strategie volgens de regels (config/warmte.toml)",
            ),
            _c("indicatie_regel", "tekst", "De regel die de indicatie gaf"),
            _c("indicatie_redenen", "tekst", "Waarom: de regel en de waarden van de buurt"),
            _c("indicatie_onbekend", "tekst", "Invoer die ontbrak"),
            _c(
                "indicatie_startmotor",
                "ja/nee",
                "Een corporatie bezit genoeg woningen om startmotor te zijn (leeg: onbekend)",
            ),
            _c("afwijking", "tekst", "Waar plan en indicatie verschillen: hoe"),
            _c(
                "pbl_strategie",
                "tekst",
                "PBL Startanalyse: strategie met laagste nationale kosten",
                when="pbl",
            ),
            _c("pbl_variant", "tekst", "PBL Startanalyse: variant", when="pbl"),
            _c(
                "pbl_nat_meerkosten_weq",
                "getal",
                "PBL Startanalyse: nationale meerkosten per woningequivalent",
                "euro per WEQ per jaar",
                when="pbl",
            ),
            _c(
                "pbl_nat_meerkosten_co2",
                "getal",
                "PBL Startanalyse: nationale meerkosten per vermeden ton CO₂",
                "euro per ton",
                when="pbl",
            ),
        ),
    ),
    Layer(
        name="aquathermie",
        title="Aquathermie Planetenbuurt",
        description=(
            "Het aquathermieproject: bronwater, plangebied, aangesloten en geplande objecten en de "
            "complexen van corporaties in het plangebied. Schematische ligging staat in de kolom "
            "'ligging'; de raming staat in de tabel aquathermie_raming."
        ),
        geometry="Geometry",
        key="onderdeel_id",
        theme="warmte",
        kind="afgeleid",
        needs=("aquathermie",),
        columns=(
            _c("onderdeel_id", "tekst", "Id van het onderdeel"),
            _c("onderdeel", "tekst", "bronwater, plangebied, object of complex"),
            _c("naam", "tekst", "Naam"),
            _c("soort", "tekst", "Soort object (ziekenhuis, verpleeghuis, school, woningen)"),
            _c("eigenaar", "tekst", "Eigenaar of corporatie"),
            _c("status", "tekst", "Status (bijv. gepland (eerste stap))"),
            _c("woningen", "geheel getal", "Woningen (complexen)", "aantal"),
            _c("warmtevraag_gj", "getal", "Geraamde warmtevraag", "GJ per jaar"),
            _c(
                "ligging",
                "tekst",
                "'bron' (uit een bronbestand), 'bij benadering', 'schematisch' (door wijkplan "
                "getekend, niet de echte ligging) of 'voorbeelddata' (uit de voorbeelddata)",
            ),
            _c(
                "voorbeelddata",
                "ja/nee",
                "Het onderdeel (ligging, aantallen) rust op voorbeelddata",
            ),
            _c("bron", "tekst", "Bron"),
            _c("gebied_id", "tekst", "Warmtegebied van het project"),
            _c("techniek", "tekst", "Techniek van het project (bij het plangebied)"),
            _c("leverancier", "tekst", "Warmteleverancier met bron (bij het plangebied)"),
        ),
    ),
    Layer(
        name="aquathermie_raming",
        title="Aquathermie: raming",
        description=(
            "De doorzichtige raming voor het plangebied: warmtevraag, TEO-vermogen en "
            "opslagvolume met elke coëfficiënt (waarde, eenheid, bron), en het gepubliceerde "
            "aandeel van de ondertekenaars (zo gepubliceerd, niet berekend)."
        ),
        geometry=None,
        key="grootheid",
        theme="warmte",
        kind="afgeleid",
        needs=("aquathermie",),
        columns=(
            _c("grootheid", "tekst", "Id van de grootheid (de sleutel in config/warmte.toml)"),
            _c("omschrijving", "tekst", "Wat het is"),
            _c("waarde", "getal", "Waarde"),
            _c("eenheid", "tekst", "Eenheid"),
            _c("soort", "tekst", "'coëfficiënt', 'invoer', 'uitkomst' of 'gepubliceerd'"),
            _c("bron", "tekst", "Bron of aanname"),
        ),
    ),
)
