"""Build ``src/realpolitik/actors/data/countries.tsv`` from pycountry plus the lists below.

pycountry supplies the ISO 3166-1 alpha-3 codes and its official/short names; this script
adds what news text actually uses: common English short names, abbreviations, demonyms,
capitals and seats of power. The committed TSV is the product; rerun this script after
editing the lists and commit both. ``--check`` exits 1 when the committed file is stale.

Run:  .venv/bin/python scripts/build_countries.py [--check] [--output PATH]

Decisions recorded here (see also ``realpolitik.actors.gazetteer``):

* Every pycountry entry must have a line in ``TABLE`` (so a new ISO code is a decision,
  not a silent default). Kosovo (XKX, a user-assigned code used by the EU and ICEWS) is the
  one row added beyond ISO 3166-1.
* Bare "Korea" and "Korean" are listed for South Korea (KOR) only: in international news
  they denote the Republic of Korea far more often than the DPRK, which always carries
  "North". "Congo"/"Congolese" and "Dominican" are listed for both countries that use them;
  the gazetteer resolves them (see its ``RESOLUTIONS``).
* Capitals that are ambiguous in English text are left out: Malé ("male"), Victoria,
  Hamilton, Georgetown, George Town, San José, St. John's, Kingston (Norfolk Island),
  Douglas, The Valley, Jamestown, Stanley.
* Metonyms are ``phrase:SECTOR`` with a CAMEO-style sector; phrases that are ordinary
  lowercase words ("Diet", "Congress", "Pentagon") are matched case-sensitively by the
  gazetteer, not dropped here.
* pycountry's inverted or parenthesised names ("Korea, Republic of", "Holy See (Vatican
  City State)") never occur in running text and are not used as aliases.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "src" / "realpolitik" / "actors" / "data" / "countries.tsv"
HEADER = ("iso3", "name", "aliases", "adjectives", "capitals", "metonyms")

# Sector codes a metonym may carry (a subset of the gazetteer's CAMEO-style sectors).
METONYM_SECTORS = {"GOV", "MIL", "LEG", "JUD", "SPY", "COP"}

# Territories without a common English demonym; every other row must have an adjective.
NO_DEMONYM = {"ATF", "BVT", "GGY", "HMD", "JEY", "SGS", "SJM", "UMI"}

# Codes outside ISO 3166-1 that the table may use.
EXTRA_CODES = {"XKX": "Kosovo"}

# One line per country or territory:
#   ISO3; name; extra aliases; adjectives; capitals; metonyms
# Items inside a field are separated by "|"; an empty name keeps pycountry's
# common_name or name. Metonyms are "phrase:SECTOR". An indented line continues the
# line above (items and fields are stripped, so break after a "|" or ";").
TABLE = """
ABW; Aruba; ; Aruban; Oranjestad;
AFG; Afghanistan; Islamic Emirate of Afghanistan; Afghan; Kabul;
AGO; Angola; ; Angolan; Luanda;
AIA; Anguilla; ; Anguillan; ;
ALA; Åland Islands; Aland Islands|Åland|Aland; Ålander|Alander; Mariehamn;
ALB; Albania; ; Albanian; Tirana|Tirane;
AND; Andorra; ; Andorran; Andorra la Vella;
ARE; United Arab Emirates; UAE|U.A.E.; Emirati; Abu Dhabi;
ARG; Argentina; ; Argentine|Argentinian|Argentinean; Buenos Aires; Casa Rosada:GOV
ARM; Armenia; ; Armenian; Yerevan;
ASM; American Samoa; ; American Samoan; Pago Pago;
ATA; Antarctica; ; Antarctic; ;
ATF; French Southern Territories; French Southern and Antarctic Lands|TAAF; ; ;
ATG; Antigua and Barbuda; Antigua; Antiguan|Barbudan; ;
AUS; Australia; Commonwealth of Australia; Australian|Aussie; Canberra;
AUT; Austria; ; Austrian; Vienna; Ballhausplatz:GOV
AZE; Azerbaijan; ; Azerbaijani|Azeri; Baku;
BDI; Burundi; ; Burundian; Gitega|Bujumbura;
BEL; Belgium; ; Belgian; Brussels;
BEN; Benin; ; Beninese; Porto-Novo|Cotonou;
BES; Caribbean Netherlands; Bonaire, Sint Eustatius and Saba|Bonaire|Sint Eustatius; Bonairean;
    Kralendijk;
BFA; Burkina Faso; Burkina; Burkinabe|Burkinabè; Ouagadougou;
BGD; Bangladesh; ; Bangladeshi; Dhaka;
BGR; Bulgaria; ; Bulgarian; Sofia;
BHR; Bahrain; ; Bahraini; Manama;
BHS; Bahamas; The Bahamas; Bahamian; Nassau;
BIH; Bosnia and Herzegovina; Bosnia|Bosnia-Herzegovina|BiH; Bosnian|Herzegovinian; Sarajevo;
BLM; Saint Barthélemy; Saint Barthelemy|Saint-Barthélemy|St. Barts|St Barts|St. Barths;
    Saint-Barthélemois; Gustavia;
BLR; Belarus; ; Belarusian|Belarusan|Belorussian; Minsk;
BLZ; Belize; ; Belizean; Belmopan;
BMU; Bermuda; ; Bermudian|Bermudan; ;
BOL; Bolivia; ; Bolivian; La Paz|Sucre;
BRA; Brazil; ; Brazilian; Brasilia|Brasília; Planalto:GOV|Planalto Palace:GOV|Itamaraty:GOV
BRB; Barbados; ; Barbadian|Bajan; Bridgetown;
BRN; Brunei; Brunei Darussalam|Nation of Brunei; Bruneian; Bandar Seri Begawan;
BTN; Bhutan; ; Bhutanese; Thimphu;
BVT; Bouvet Island; Bouvetøya; ; ;
BWA; Botswana; ; Botswanan|Motswana|Batswana; Gaborone;
CAF; Central African Republic; ; Central African; Bangui;
CAN; Canada; ; Canadian; Ottawa; Parliament Hill:LEG
CCK; Cocos (Keeling) Islands; Cocos Islands|Keeling Islands; Cocos Islander; ;
CHE; Switzerland; ; Swiss; Bern|Berne;
CHL; Chile; ; Chilean; Santiago; La Moneda:GOV
CHN; China; PRC|P.R.C.|mainland China|Mainland China; Chinese; Beijing|Peking; Zhongnanhai:GOV|
    Great Hall of the People:GOV|National People's Congress:LEG|NPC:LEG
CIV; Ivory Coast; Côte d'Ivoire|Cote d'Ivoire; Ivorian; Yamoussoukro|Abidjan;
CMR; Cameroon; ; Cameroonian; Yaounde|Yaoundé;
COD; Democratic Republic of the Congo; Democratic Republic of Congo|DR Congo|DRC|D.R.C.|
    Congo-Kinshasa|Congo|Zaire; Congolese; Kinshasa;
COG; Republic of the Congo; Republic of Congo|Congo Republic|Congo-Brazzaville|Congo; Congolese;
    Brazzaville;
COK; Cook Islands; ; Cook Islander; Avarua;
COL; Colombia; ; Colombian; Bogota|Bogotá; Casa de Nariño:GOV
COM; Comoros; ; Comorian; Moroni;
CPV; Cape Verde; Cabo Verde; Cape Verdean|Cabo Verdean; Praia;
CRI; Costa Rica; ; Costa Rican; ;
CUB; Cuba; ; Cuban; Havana;
CUW; Curaçao; Curacao; Curaçaoan|Curacaoan; Willemstad;
CXR; Christmas Island; ; Christmas Islander; Flying Fish Cove;
CYM; Cayman Islands; Caymans; Caymanian; ;
CYP; Cyprus; ; Cypriot|Greek Cypriot|Turkish Cypriot; Nicosia;
CZE; Czech Republic; Czechia; Czech; Prague; Prague Castle:GOV
DEU; Germany; ; German; Berlin; Bundestag:LEG|Bendlerblock:MIL
DJI; Djibouti; ; Djiboutian; Djibouti;
DMA; Dominica; ; Dominican; Roseau;
DNK; Denmark; ; Danish|Dane; Copenhagen; Folketing:LEG|Christiansborg:GOV
DOM; Dominican Republic; ; Dominican; Santo Domingo;
DZA; Algeria; ; Algerian; Algiers;
ECU; Ecuador; ; Ecuadorian|Ecuadorean; Quito;
EGY; Egypt; ; Egyptian; Cairo;
ERI; Eritrea; ; Eritrean; Asmara;
ESH; Western Sahara; Sahrawi Arab Democratic Republic; Sahrawi|Saharawi|Western Saharan; Laayoune;
ESP; Spain; ; Spanish|Spaniard; Madrid; Moncloa:GOV|La Moncloa:GOV
EST; Estonia; ; Estonian; Tallinn;
ETH; Ethiopia; ; Ethiopian; Addis Ababa;
FIN; Finland; ; Finnish|Finn; Helsinki; Eduskunta:LEG
FJI; Fiji; ; Fijian; Suva;
FLK; Falkland Islands; Falklands|Malvinas|Islas Malvinas; Falkland Islander; Port Stanley;
FRA; France; ; French; Paris; Élysée:GOV|Elysee:GOV|Élysée Palace:GOV|Elysee Palace:GOV|
    Matignon:GOV|Quai d'Orsay:GOV
FRO; Faroe Islands; Faroes|Faeroe Islands; Faroese; Tórshavn|Torshavn;
FSM; Micronesia; ; Micronesian; Palikir;
GAB; Gabon; ; Gabonese; Libreville;
GBR; United Kingdom; UK|U.K.|Britain|Great Britain|England|Scotland|Wales|Northern Ireland;
    British|Briton|Scottish|Welsh|Northern Irish; London; Downing Street:GOV|Number 10:GOV|
    No. 10:GOV|Whitehall:GOV|Foreign Office:GOV|Westminster:LEG|House of Commons:LEG|
    House of Lords:LEG
GEO; Georgia; ; Georgian; Tbilisi;
GGY; Guernsey; Bailiwick of Guernsey; ; ;
GHA; Ghana; ; Ghanaian; Accra;
GIB; Gibraltar; ; Gibraltarian; ;
GIN; Guinea; Guinea-Conakry; Guinean; Conakry;
GLP; Guadeloupe; ; Guadeloupean; Basse-Terre;
GMB; Gambia; The Gambia; Gambian; Banjul;
GNB; Guinea-Bissau; ; Bissau-Guinean; Bissau;
GNQ; Equatorial Guinea; ; Equatorial Guinean|Equatoguinean; Malabo;
GRC; Greece; ; Greek|Hellenic; Athens;
GRD; Grenada; ; Grenadian; ;
GRL; Greenland; Kalaallit Nunaat; Greenlandic|Greenlander; Nuuk;
GTM; Guatemala; ; Guatemalan; Guatemala City;
GUF; French Guiana; Guyane; French Guianese; Cayenne;
GUM; Guam; ; Guamanian; Hagatna|Hagåtña;
GUY; Guyana; Co-operative Republic of Guyana; Guyanese; ;
HKG; Hong Kong; Hong Kong SAR|HKSAR; Hong Konger|Hongkonger; ;
HMD; Heard Island and McDonald Islands; Heard Island|McDonald Islands; ; ;
HND; Honduras; ; Honduran; Tegucigalpa;
HRV; Croatia; ; Croatian|Croat; Zagreb; Sabor:LEG
HTI; Haiti; ; Haitian; Port-au-Prince;
HUN; Hungary; ; Hungarian; Budapest;
IDN; Indonesia; ; Indonesian; Jakarta;
IMN; Isle of Man; ; Manx; ;
IND; India; Bharat; Indian; New Delhi; South Block:GOV|Raisina Hill:GOV|Rashtrapati Bhavan:GOV|
    Lok Sabha:LEG|Rajya Sabha:LEG
IOT; British Indian Ocean Territory; BIOT|Chagos Islands|Chagos Archipelago|Diego Garcia;
    Chagossian; ;
IRL; Ireland; Republic of Ireland|Eire|Éire; Irish; Dublin; Dáil:LEG|Oireachtas:LEG|
    Leinster House:LEG
IRN; Iran; ; Iranian; Tehran|Teheran;
IRQ; Iraq; ; Iraqi; Baghdad;
ISL; Iceland; ; Icelandic|Icelander; Reykjavik|Reykjavík; Althing:LEG
ISR; Israel; ; Israeli; Jerusalem; Knesset:LEG
ITA; Italy; ; Italian; Rome; Palazzo Chigi:GOV|Farnesina:GOV
JAM; Jamaica; ; Jamaican; Kingston;
JEY; Jersey; Bailiwick of Jersey; ; St Helier|St. Helier|Saint Helier;
JOR; Jordan; ; Jordanian; Amman;
JPN; Japan; ; Japanese; Tokyo; Diet:LEG|National Diet:LEG|Kantei:GOV|Kasumigaseki:GOV|
    Nagatacho:GOV|Ichigaya:MIL
KAZ; Kazakhstan; ; Kazakh|Kazakhstani; Astana|Nur-Sultan;
KEN; Kenya; ; Kenyan; Nairobi;
KGZ; Kyrgyzstan; ; Kyrgyz|Kyrgyzstani; Bishkek;
KHM; Cambodia; Kampuchea; Cambodian|Khmer; Phnom Penh;
KIR; Kiribati; ; I-Kiribati; Tarawa|South Tarawa;
KNA; Saint Kitts and Nevis; St. Kitts and Nevis|St Kitts and Nevis|Saint Kitts|St. Kitts|
    Federation of Saint Christopher and Nevis; Kittitian|Nevisian; Basseterre;
KOR; South Korea; Republic of Korea|ROK|R.O.K.|Korea|S. Korea; South Korean|Korean|S. Korean;
    Seoul; Blue House:GOV|Cheong Wa Dae:GOV
KWT; Kuwait; ; Kuwaiti; Kuwait City;
LAO; Laos; Lao PDR; Lao|Laotian; Vientiane;
LBN; Lebanon; ; Lebanese; Beirut; Baabda:GOV|Grand Serail:GOV
LBR; Liberia; ; Liberian; Monrovia;
LBY; Libya; State of Libya; Libyan; Tripoli;
LCA; Saint Lucia; St. Lucia|St Lucia; Saint Lucian|St. Lucian; Castries;
LIE; Liechtenstein; ; Liechtensteiner; Vaduz;
LKA; Sri Lanka; ; Sri Lankan; Colombo|Sri Jayawardenepura Kotte;
LSO; Lesotho; ; Basotho|Mosotho; Maseru;
LTU; Lithuania; ; Lithuanian; Vilnius; Seimas:LEG
LUX; Luxembourg; ; Luxembourgish|Luxembourger; Luxembourg;
LVA; Latvia; ; Latvian; Riga; Saeima:LEG
MAC; Macau; Macao|Macau SAR|Macao SAR; Macanese; ;
MAF; Saint Martin; Saint-Martin|St. Martin|St Martin|Collectivity of Saint Martin;
    Saint-Martinois; Marigot;
MAR; Morocco; ; Moroccan; Rabat; Makhzen:GOV
MCO; Monaco; ; Monegasque|Monégasque; Monaco;
MDA; Moldova; ; Moldovan; Chisinau|Chișinău;
MDG; Madagascar; ; Malagasy; Antananarivo;
MDV; Maldives; ; Maldivian; ;
MEX; Mexico; ; Mexican; Mexico City;
MHL; Marshall Islands; ; Marshallese; Majuro;
MKD; North Macedonia; Macedonia|FYROM|Former Yugoslav Republic of Macedonia; Macedonian|
    North Macedonian; Skopje;
MLI; Mali; ; Malian; Bamako;
MLT; Malta; ; Maltese; Valletta;
MMR; Myanmar; Burma|Republic of the Union of Myanmar; Burmese; Naypyitaw|Naypyidaw|Nay Pyi Taw;
MNE; Montenegro; ; Montenegrin; Podgorica;
MNG; Mongolia; ; Mongolian; Ulaanbaatar|Ulan Bator;
MNP; Northern Mariana Islands; Northern Marianas|CNMI; Northern Marianan; Saipan;
MOZ; Mozambique; ; Mozambican; Maputo;
MRT; Mauritania; ; Mauritanian; Nouakchott;
MSR; Montserrat; ; Montserratian; Brades;
MTQ; Martinique; ; Martinican|Martiniquais; Fort-de-France;
MUS; Mauritius; ; Mauritian; Port Louis;
MWI; Malawi; ; Malawian; Lilongwe;
MYS; Malaysia; ; Malaysian; Kuala Lumpur|Putrajaya;
MYT; Mayotte; ; Mahoran; Mamoudzou;
NAM; Namibia; ; Namibian; Windhoek;
NCL; New Caledonia; ; New Caledonian; Nouméa|Noumea;
NER; Niger; Republic of Niger; Nigerien; Niamey;
NFK; Norfolk Island; ; Norfolk Islander; ;
NGA; Nigeria; ; Nigerian; Abuja; Aso Rock:GOV|Aso Villa:GOV
NIC; Nicaragua; ; Nicaraguan; Managua;
NIU; Niue; ; Niuean; Alofi;
NLD; Netherlands; The Netherlands|Holland; Dutch; Amsterdam; The Hague:GOV|Binnenhof:GOV
NOR; Norway; ; Norwegian; Oslo; Storting:LEG
NPL; Nepal; ; Nepali|Nepalese; Kathmandu; Singha Durbar:GOV
NRU; Nauru; ; Nauruan; Yaren;
NZL; New Zealand; Aotearoa|NZ; New Zealander|Kiwi; Wellington; Beehive:GOV
OMN; Oman; ; Omani; Muscat;
PAK; Pakistan; ; Pakistani; Islamabad; Rawalpindi:MIL
PAN; Panama; ; Panamanian; Panama City;
PCN; Pitcairn Islands; Pitcairn; Pitcairn Islander|Pitcairner; Adamstown;
PER; Peru; ; Peruvian; Lima;
PHL; Philippines; The Philippines; Philippine|Filipino|Filipina; Manila; Malacañang:GOV|
    Malacanang:GOV
PLW; Palau; ; Palauan; Ngerulmud|Melekeok;
PNG; Papua New Guinea; ; Papua New Guinean; Port Moresby;
POL; Poland; ; Polish; Warsaw; Sejm:LEG
PRI; Puerto Rico; ; Puerto Rican; San Juan;
PRK; North Korea; DPRK|D.P.R.K.|N. Korea; North Korean|N. Korean; Pyongyang;
PRT; Portugal; ; Portuguese; Lisbon;
PRY; Paraguay; ; Paraguayan; Asuncion|Asunción;
PSE; Palestine; State of Palestine|Palestinian territories|West Bank|Gaza Strip|Gaza;
    Palestinian; Ramallah; Muqataa:GOV|Mukataa:GOV
PYF; French Polynesia; Tahiti; French Polynesian|Tahitian; Papeete;
QAT; Qatar; ; Qatari; Doha;
REU; Réunion; Reunion|La Réunion; Réunionese|Reunionese; Saint-Denis;
ROU; Romania; ; Romanian; Bucharest; Cotroceni:GOV
RUS; Russia; ; Russian; Moscow; Kremlin:GOV|State Duma:LEG|Duma:LEG|Lubyanka:SPY
RWA; Rwanda; ; Rwandan|Rwandese; Kigali;
SAU; Saudi Arabia; KSA; Saudi|Saudi Arabian; Riyadh;
SDN; Sudan; The Sudan; Sudanese; Khartoum|Port Sudan;
SEN; Senegal; ; Senegalese; Dakar;
SGP; Singapore; ; Singaporean; Singapore;
SGS; South Georgia and the South Sandwich Islands; South Georgia|South Sandwich Islands; ; ;
SHN; Saint Helena; Saint Helena, Ascension and Tristan da Cunha|St. Helena|St Helena|
    Ascension Island|Tristan da Cunha; Saint Helenian|St Helenian; ;
SJM; Svalbard and Jan Mayen; Svalbard|Jan Mayen; ; Longyearbyen;
SLB; Solomon Islands; Solomons; Solomon Islander; Honiara;
SLE; Sierra Leone; ; Sierra Leonean; Freetown;
SLV; El Salvador; ; Salvadoran|Salvadorean; San Salvador;
SMR; San Marino; ; Sammarinese; San Marino;
SOM; Somalia; ; Somali; Mogadishu; Villa Somalia:GOV
SPM; Saint Pierre and Miquelon; St. Pierre and Miquelon|Saint-Pierre-et-Miquelon;
    Saint-Pierrais|Miquelonnais; Saint-Pierre;
SRB; Serbia; ; Serbian|Serb; Belgrade;
SSD; South Sudan; ; South Sudanese; Juba;
STP; São Tomé and Príncipe; Sao Tome and Principe|São Tomé|Sao Tome; Santomean|São Toméan;
    São Tomé|Sao Tome;
SUR; Suriname; Surinam; Surinamese|Surinamer; Paramaribo;
SVK; Slovakia; ; Slovak|Slovakian; Bratislava;
SVN; Slovenia; ; Slovenian|Slovene; Ljubljana;
SWE; Sweden; ; Swedish|Swede; Stockholm; Riksdag:LEG|Rosenbad:GOV
SWZ; Eswatini; Swaziland; Swazi|Liswati; Mbabane|Lobamba;
SXM; Sint Maarten; ; Sint Maartener; Philipsburg;
SYC; Seychelles; ; Seychellois; ;
SYR; Syria; ; Syrian; Damascus;
TCA; Turks and Caicos Islands; Turks and Caicos; Turks and Caicos Islander; Cockburn Town;
TCD; Chad; ; Chadian; N'Djamena|Ndjamena;
TGO; Togo; ; Togolese; Lome|Lomé;
THA; Thailand; ; Thai; Bangkok;
TJK; Tajikistan; ; Tajik|Tajikistani; Dushanbe;
TKL; Tokelau; ; Tokelauan; ;
TKM; Turkmenistan; ; Turkmen; Ashgabat|Ashkhabad;
TLS; East Timor; Timor-Leste; East Timorese|Timorese; Dili;
TON; Tonga; ; Tongan; Nuku'alofa;
TTO; Trinidad and Tobago; Trinidad|Tobago; Trinidadian|Tobagonian|Trinbagonian; Port of Spain|
    Port-of-Spain;
TUN; Tunisia; ; Tunisian; Tunis; Carthage Palace:GOV
TUR; Turkey; Türkiye|Turkiye|Republic of Turkey; Turkish; Ankara;
    Grand National Assembly of Turkey:LEG
TUV; Tuvalu; ; Tuvaluan; Funafuti;
TWN; Taiwan; Republic of China|ROC|R.O.C.|Chinese Taipei; Taiwanese; Taipei;
    Legislative Yuan:LEG|Executive Yuan:GOV
TZA; Tanzania; ; Tanzanian; Dodoma|Dar es Salaam;
UGA; Uganda; ; Ugandan; Kampala;
UKR; Ukraine; ; Ukrainian; Kyiv|Kiev; Verkhovna Rada:LEG|Rada:LEG|Bankova:GOV
UMI; United States Minor Outlying Islands; U.S. Minor Outlying Islands|Wake Island|Midway Atoll;
    ; ;
URY; Uruguay; ; Uruguayan; Montevideo;
USA; United States; United States of America|U.S.|US|USA|U.S.A.|America; American; Washington|
    Washington, D.C.|Washington DC; White House:GOV|Oval Office:GOV|State Department:GOV|
    Department of State:GOV|Foggy Bottom:GOV|Pentagon:MIL|Capitol Hill:LEG|Capitol:LEG|
    Congress:LEG|Langley:SPY
UZB; Uzbekistan; ; Uzbek|Uzbekistani; Tashkent;
VAT; Vatican City; Holy See|Vatican|Vatican City State; Papal; ;
VCT; Saint Vincent and the Grenadines; St. Vincent and the Grenadines|
    St Vincent and the Grenadines|Saint Vincent|St. Vincent; Vincentian; Kingstown;
VEN; Venezuela; ; Venezuelan; Caracas; Miraflores:GOV|Miraflores Palace:GOV
VGB; British Virgin Islands; BVI; British Virgin Islander; Road Town;
VIR; U.S. Virgin Islands; US Virgin Islands|United States Virgin Islands|USVI;
    U.S. Virgin Islander|Virgin Islander; Charlotte Amalie;
VNM; Vietnam; Viet Nam|Socialist Republic of Vietnam; Vietnamese; Hanoi;
VUT; Vanuatu; ; Ni-Vanuatu; Port Vila;
WLF; Wallis and Futuna; ; Wallisian|Futunan; Mata-Utu;
WSM; Samoa; Western Samoa; Samoan; Apia;
YEM; Yemen; ; Yemeni; Sanaa|Sana'a|Aden;
ZAF; South Africa; ; South African; Pretoria|Cape Town; Union Buildings:GOV
ZMB; Zambia; ; Zambian; Lusaka;
ZWE; Zimbabwe; ; Zimbabwean; Harare;
XKX; Kosovo; Republic of Kosovo; Kosovar|Kosovan; Pristina|Prishtina;
"""


@dataclass(frozen=True)
class Row:
    """One output row; list fields are written ``|``-separated."""

    iso3: str
    name: str
    aliases: tuple[str, ...]
    adjectives: tuple[str, ...]
    capitals: tuple[str, ...]
    metonyms: tuple[str, ...]

    def to_tsv(self) -> str:
        cells = [
            self.iso3,
            self.name,
            "|".join(self.aliases),
            "|".join(self.adjectives),
            "|".join(self.capitals),
            "|".join(self.metonyms),
        ]
        return "\t".join(cells)


def _items(field: str) -> list[str]:
    return [item.strip() for item in field.split("|") if item.strip()]


def _dedupe(items: list[str], exclude: str) -> tuple[str, ...]:
    seen: set[str] = {exclude}
    out: list[str] = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return tuple(out)


def _pycountry_names(iso3: str) -> list[str]:
    """pycountry's names usable as running-text aliases (no inverted/parenthesised forms)."""
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return []
    names = []
    for attr in ("common_name", "name", "official_name"):
        value = getattr(country, attr, None)
        if not value or "," in value or "(" in value:
            continue
        if value.lower().startswith("the "):
            value = value[4:]
        names.append(value)
    return names


def parse_table(text: str = TABLE) -> dict[str, list[str]]:
    """Parse ``TABLE`` into ``{iso3: [name, aliases, adjectives, capitals, metonyms]}``."""
    logical: list[str] = []
    for line in text.strip("\n").splitlines():
        if line[:1].isspace() and logical:
            logical[-1] += " " + line.strip()
        elif line.strip():
            logical.append(line.strip())
    table: dict[str, list[str]] = {}
    for lineno, line in enumerate(logical, 1):
        fields = [f.strip() for f in line.split(";")]
        if len(fields) != 6:
            raise ValueError(f"TABLE entry {lineno}: expected 6 ';'-separated fields: {line!r}")
        iso3 = fields[0]
        if iso3 in table:
            raise ValueError(f"TABLE entry {lineno}: {iso3} listed twice")
        table[iso3] = fields[1:]
    return table


def build_rows() -> list[Row]:
    """Combine pycountry with ``TABLE``; raise ValueError on any inconsistency."""
    table = parse_table()
    iso_codes = {c.alpha_3 for c in pycountry.countries}
    missing = sorted(iso_codes - set(table))
    if missing:
        raise ValueError(f"TABLE has no line for {missing} (add one per ISO country)")
    unknown = sorted(set(table) - iso_codes - set(EXTRA_CODES))
    if unknown:
        raise ValueError(f"TABLE lists codes unknown to pycountry: {unknown}")

    rows = []
    for iso3 in sorted(table):
        name_field, alias_field, adj_field, cap_field, met_field = table[iso3]
        py_names = _pycountry_names(iso3)
        name = name_field or (py_names[0] if py_names else EXTRA_CODES[iso3])
        aliases = _dedupe(py_names + _items(alias_field), exclude=name)
        adjectives = tuple(_items(adj_field))
        if not adjectives and iso3 not in NO_DEMONYM:
            raise ValueError(f"{iso3}: no adjective (add one or list it in NO_DEMONYM)")
        metonyms = tuple(_items(met_field))
        for metonym in metonyms:
            phrase, _, sector = metonym.rpartition(":")
            if not phrase or sector not in METONYM_SECTORS:
                raise ValueError(f"{iso3}: bad metonym {metonym!r} (want phrase:SECTOR)")
        row = Row(iso3, name, aliases, adjectives, tuple(_items(cap_field)), metonyms)
        for cell in (row.name, *row.aliases, *row.adjectives, *row.capitals, *row.metonyms):
            if "\t" in cell or '"' in cell:
                raise ValueError(f"{iso3}: tab or double quote in {cell!r}")
        rows.append(row)
    return rows


def render(rows: list[Row]) -> str:
    """The TSV text: header plus one line per row, newline-terminated."""
    return "\n".join(["\t".join(HEADER), *(row.to_tsv() for row in rows)]) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` verify) the countries TSV."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args(argv)
    text = render(build_rows())
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is stale: run scripts/build_countries.py", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {len(text.splitlines()) - 1} rows to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
