"""The gazetteer tables and their index: coverage, codes, case policy, conflicts, roles."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import ROOT
from realpolitik.actors import gazetteer as gz
from realpolitik.errors import DictionaryError

# Codes outside ISO 3166-1 the tables may use: Kosovo's user-assigned code.
NON_ISO_CODES = {"XKX"}
# Territories with no common English demonym (uninhabited, or only "Jerseyman" and the like).
NO_DEMONYM = {"ATF", "BVT", "GGY", "HMD", "JEY", "SGS", "SJM", "UMI"}
ISO3 = {c.alpha_3 for c in pycountry.countries}


def _build_script() -> ModuleType:
    path = ROOT / "scripts" / "build_countries.py"
    spec = importlib.util.spec_from_file_location("build_countries", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses resolve string annotations through sys.modules while the class is built.
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


# ------------------------------------------------------------------------------ tables


def test_counts() -> None:
    assert len(gz.countries()) >= 240
    assert sum(org.kind == "igo" for org in gz.organizations()) >= 150
    assert len(gz.sectors()) >= 200


def test_every_iso_country_has_a_row_and_every_code_is_valid() -> None:
    codes = [entry.iso3 for entry in gz.countries()]
    assert len(codes) == len(set(codes))
    assert set(codes) - ISO3 == NON_ISO_CODES
    assert set(codes) >= ISO3
    for org in gz.organizations():
        assert org.country is None or org.country in ISO3 | NON_ISO_CODES, org


def test_committed_countries_tsv_matches_the_build_script() -> None:
    assert _build_script().main(["--check"]) == 0


def test_country_names_are_common_short_names() -> None:
    names = {entry.iso3: entry.name for entry in gz.countries()}
    expected = {
        "KOR": "South Korea",
        "PRK": "North Korea",
        "USA": "United States",
        "RUS": "Russia",
        "CHN": "China",
        "IRN": "Iran",
        "SYR": "Syria",
        "TWN": "Taiwan",
        "VNM": "Vietnam",
        "GBR": "United Kingdom",
        "XKX": "Kosovo",
    }
    assert {iso3: names[iso3] for iso3 in expected} == expected
    # pycountry's inverted forms never reach the table.
    for entry in gz.countries():
        for phrase in (entry.name, *entry.aliases):
            assert not re.search(r", (Republic|State|Islamic|Federated|United)", phrase), phrase


def test_every_inhabited_country_has_an_adjective() -> None:
    missing = {entry.iso3 for entry in gz.countries() if not entry.adjectives}
    assert missing == NO_DEMONYM


def test_eu_is_not_a_country() -> None:
    for entry in gz.countries():
        assert not {"EU", "E.U.", "European Union"} & {entry.name, *entry.aliases}
    assert gz.lookup("EU") is not None and gz.lookup("EU").kind == "organization"


def test_organization_rows_are_consistent() -> None:
    orgs = gz.organizations()
    names = Counter(org.name for org in orgs)
    assert [name for name, n in names.items() if n > 1] == []
    for org in orgs:
        if org.kind == "igo":
            assert org.code.startswith("IGO") and org.country is None, org
        elif org.country is not None and not org.code.startswith(("NGO", "IMG", "IGO")):
            assert org.code.startswith(org.country), org  # national bodies: iso3 + sector
        if org.kind == "media":
            assert org.country is not None and org.sector == "MED", org
        if org.kind == "edu":
            assert org.country is not None and org.sector == "EDU", org
        if org.kind == "rebel":
            assert org.sector == "REB", org
    kinds = Counter(org.kind for org in orgs)
    assert set(kinds) == set(gz.ORG_KINDS)
    assert kinds["ngo"] + kinds["edu"] >= 50  # NGOs, think tanks and universities
    assert kinds["media"] >= 30


def test_sector_rows_are_valid() -> None:
    phrases = [gz.normalize(entry.phrase) for entry in gz.sectors()]
    assert len(phrases) == len(set(phrases))
    assert {entry.kind for entry in gz.sectors()} == {"title", "org_noun"}
    assert all(entry.sector in gz.SECTORS for entry in gz.sectors())


def test_a_malformed_table_names_file_line_and_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sectors.tsv").write_text(
        "phrase\tsector\tkind\tnote\nenvoy\tGOV\ttitle\t\nspy\tSPIES\ttitle\t\n", encoding="utf-8"
    )
    monkeypatch.setattr(gz, "files", lambda package: tmp_path)
    with pytest.raises(DictionaryError, match=r"sectors.tsv line 3: unknown sector 'SPIES'") as err:
        gz.sectors.__wrapped__()
    assert err.value.hint


# ------------------------------------------------------------------------------ lookups


@pytest.mark.parametrize(
    ("phrase", "target", "column", "code"),
    [
        # East Asia
        ("South Korea", "state:KOR", "name", "KOR"),
        ("ROK", "state:KOR", "alias", "KOR"),
        ("R.O.K.", "state:KOR", "alias", "KOR"),
        ("Republic of Korea", "state:KOR", "alias", "KOR"),
        ("South Korean", "state:KOR", "adjective", "KOR"),
        ("Seoul", "state:KOR", "capital", "KORGOV"),
        ("Blue House", "state:KOR", "metonym", "KORGOV"),
        ("DPRK", "state:PRK", "alias", "PRK"),
        ("D.P.R.K.", "state:PRK", "alias", "PRK"),
        ("North Korean", "state:PRK", "adjective", "PRK"),
        ("Pyongyang", "state:PRK", "capital", "PRKGOV"),
        ("PRC", "state:CHN", "alias", "CHN"),
        ("mainland China", "state:CHN", "alias", "CHN"),
        ("Zhongnanhai", "state:CHN", "metonym", "CHNGOV"),
        ("Beijing", "state:CHN", "capital", "CHNGOV"),
        ("Japanese", "state:JPN", "adjective", "JPN"),
        ("Tokyo", "state:JPN", "capital", "JPNGOV"),
        ("Diet", "state:JPN", "metonym", "JPNLEG"),
        ("Taipei", "state:TWN", "capital", "TWNGOV"),
        # North America and Europe
        ("U.S.", "state:USA", "alias", "USA"),
        ("US", "state:USA", "alias", "USA"),
        ("U.S.A.", "state:USA", "alias", "USA"),
        ("United States of America", "state:USA", "alias", "USA"),
        ("American", "state:USA", "adjective", "USA"),
        ("White House", "state:USA", "metonym", "USAGOV"),
        ("Pentagon", "state:USA", "metonym", "USAMIL"),
        ("State Department", "state:USA", "metonym", "USAGOV"),
        ("Foggy Bottom", "state:USA", "metonym", "USAGOV"),
        ("Capitol Hill", "state:USA", "metonym", "USALEG"),
        ("UK", "state:GBR", "alias", "GBR"),
        ("U.K.", "state:GBR", "alias", "GBR"),
        ("Great Britain", "state:GBR", "alias", "GBR"),
        ("British", "state:GBR", "adjective", "GBR"),
        ("Downing Street", "state:GBR", "metonym", "GBRGOV"),
        ("Elysee", "state:FRA", "metonym", "FRAGOV"),
        ("Élysée", "state:FRA", "metonym", "FRAGOV"),
        ("Quai d'Orsay", "state:FRA", "metonym", "FRAGOV"),
        ("Bundestag", "state:DEU", "metonym", "DEULEG"),
        ("Kremlin", "state:RUS", "metonym", "RUSGOV"),
        ("Moscow", "state:RUS", "capital", "RUSGOV"),
        ("Kyiv", "state:UKR", "capital", "UKRGOV"),
        ("Kosovar", "state:XKX", "adjective", "XKX"),
        # Middle East, Africa, Latin America, Oceania
        ("Emirati", "state:ARE", "adjective", "ARE"),
        ("UAE", "state:ARE", "alias", "ARE"),
        ("Saudi", "state:SAU", "adjective", "SAU"),
        ("Israeli", "state:ISR", "adjective", "ISR"),
        ("Knesset", "state:ISR", "metonym", "ISRLEG"),
        ("Palestinian", "state:PSE", "adjective", "PSE"),
        ("Tehran", "state:IRN", "capital", "IRNGOV"),
        ("Ivory Coast", "state:CIV", "name", "CIV"),
        ("Côte d’Ivoire", "state:CIV", "alias", "CIV"),
        ("Addis Ababa", "state:ETH", "capital", "ETHGOV"),
        ("Casa Rosada", "state:ARG", "metonym", "ARGGOV"),
        ("Brasília", "state:BRA", "capital", "BRAGOV"),
        ("Canberra", "state:AUS", "capital", "AUSGOV"),
        ("New Delhi", "state:IND", "capital", "INDGOV"),
        # organizations
        ("United Nations", "org:United Nations", "name", "IGOUNO"),
        ("U.N.", "org:United Nations", "alias", "IGOUNO"),
        ("NATO", "org:North Atlantic Treaty Organization", "alias", "IGOWSTNAT"),
        ("E.U.", "org:European Union", "alias", "IGOEUREEC"),
        ("ASEAN", "org:Association of Southeast Asian Nations", "alias", "IGOSEAASN"),
        ("Quad", "org:Quadrilateral Security Dialogue", "alias", "IGOQUA"),
        ("IAEA", "org:International Atomic Energy Agency", "alias", "IGOUNOIAE"),
        ("ICC", "org:International Criminal Court", "alias", "IGOJUDICC"),
        ("Interpol", "org:Interpol", "name", "IGOCOPITP"),
        ("AUKUS", "org:AUKUS", "name", "IGOAUK"),
        ("Xinhua", "org:Xinhua", "name", "CHNMED"),
        ("KCNA", "org:Korean Central News Agency", "alias", "PRKMED"),
        ("Yonhap", "org:Yonhap", "name", "KORMED"),
        ("VOA", "org:Voice of America", "alias", "USAMED"),
        ("The Hill", "org:The Hill", "name", "USAMED"),
        ("Daesh", "org:Islamic State", "alias", "IMGISI"),
        ("ISIL", "org:Islamic State", "alias", "IMGISI"),
        ("Houthis", "org:Houthis", "name", "YEMREB"),
        ("Hezbollah", "org:Hezbollah", "name", "LBNREB"),
        ("Taliban", "org:Taliban", "name", "AFGREB"),
        ("Brookings", "org:Brookings Institution", "alias", "USAEDU"),
        ("RSF", "org:Rapid Support Forces", "alias", "SDNREB"),
    ],
)
def test_lookup(phrase: str, target: str, column: str, code: str) -> None:
    hit = gz.lookup(phrase)
    assert hit is not None, phrase
    assert (hit.target, hit.column, hit.code) == (target, column, code)


def test_state_names_carry_no_sector_and_seats_of_power_do() -> None:
    assert gz.lookup("Japan").sector is None
    assert gz.lookup("Japanese").sector is None
    assert gz.lookup("Tokyo").sector == "GOV"
    assert gz.lookup("Pentagon").sector == "MIL"


def test_every_surviving_surface_form_looks_itself_up() -> None:
    index = gz.phrase_index()
    for hit in gz.surface_hits():
        found = gz.lookup(hit.phrase)
        assert found is not None and found.target == hit.target, hit.phrase
        assert index[gz.phrase_key(hit.phrase)].target == hit.target
        if not hit.case_sensitive:  # all-caps headlines still match
            upper = gz.lookup(hit.phrase.upper())
            assert upper is not None and upper.target == hit.target, hit.phrase


# -------------------------------------------------------------------------- case policy


@pytest.mark.parametrize(
    ("phrase", "sensitive"),
    [
        ("US", True),
        ("U.S.", True),
        ("ROK", True),
        ("G7", True),
        ("WHO", True),
        ("LeT", True),
        ("AfDB", True),
        ("Diet", True),
        ("Congress", True),
        ("Turkey", True),
        ("Polish", True),
        ("White House", True),
        ("Quad", True),
        ("South Korea", False),
        ("UN Security Council", False),
        ("Côte d'Ivoire", False),
        ("Al-Jazeera", False),
        ("papal", False),
    ],
)
def test_case_rule(phrase: str, sensitive: bool) -> None:
    assert gz.is_case_sensitive(phrase) is sensitive


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("US", True),
        ("us", False),
        ("Us", False),
        ("WHO", True),
        ("who", False),
        ("Diet", True),
        ("diet", False),
        ("Turkey", True),
        ("turkey", False),
        ("Pentagon", True),
        ("pentagon", False),
        ("Quad", True),
        ("quad", False),
        ("LeT", True),
        ("let", False),
        ("north korea", True),
        ("NORTH KOREA", True),
        ("Nato", True),
    ],
)
def test_case_sensitive_phrases_match_only_as_written(text: str, found: bool) -> None:
    assert (gz.lookup(text) is not None) is found


def test_case_sensitive_phrases_are_not_shadowed_by_another_entity() -> None:
    index = gz.phrase_index()
    folded = {key: hit for key, hit in index.items() if not hit.case_sensitive}
    for hit in index.values():
        if hit.case_sensitive:
            other = folded.get(gz.normalize(hit.phrase))
            assert other is None or other.target == hit.target, (hit.phrase, other)


def test_keys_of_both_kinds_never_collide() -> None:
    for key, hit in gz.phrase_index().items():
        if hit.case_sensitive:
            assert any(ch.isupper() for ch in key), key
        else:
            assert key == gz.normalize(key), key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Côte d’Ivoire", "COTE D'IVOIRE"),
        ("Secretary-General", "secretary general"),
        ("St. Lucia", "St Lucia"),
        ("Bill & Melinda Gates Foundation", "bill and melinda gates foundation"),
        ("  Guinea–Bissau ", "guinea bissau"),
    ],
)
def test_normalize_equivalences(a: str, b: str) -> None:
    assert gz.normalize(a) == gz.normalize(b)


@given(st.text(max_size=40))
def test_normalize_is_idempotent(text: str) -> None:
    once = gz.normalize(text)
    assert gz.normalize(once) == once


# ---------------------------------------------------------------------------- conflicts


def test_every_conflict_is_documented_and_every_resolution_is_used() -> None:
    found = {c.key: c for c in gz.conflicts()}
    undocumented = [
        (k, [h.target for h in c.candidates]) for k, c in found.items() if not c.documented
    ]
    assert undocumented == []
    assert {gz.phrase_key(phrase) for phrase in gz.RESOLUTIONS} == set(found)
    for phrase, target in gz.RESOLUTIONS.items():
        conflict = found[gz.phrase_key(phrase)]
        assert len({h.target for h in conflict.candidates}) >= 2
        if target is None:
            assert conflict.chosen is None and gz.lookup(phrase) is None
        else:
            assert conflict.chosen is not None and conflict.chosen.target == target
            assert gz.lookup(phrase).target == target


def test_known_ambiguities_resolve_as_documented() -> None:
    for phrase, (target, why) in gz.KNOWN_AMBIGUITIES.items():
        hit = gz.lookup(phrase)
        assert hit is not None and hit.target == target, (phrase, why)


def test_dropped_phrases_still_reach_their_entities_by_full_name() -> None:
    assert gz.lookup("CNA") is None
    assert gz.lookup("Central News Agency").country == "TWN"
    assert gz.lookup("Channel NewsAsia").country == "SGP"


def test_non_actor_phrases_are_needed_and_not_actors() -> None:
    folded = {gz.normalize(hit.phrase) for hit in gz.surface_hits()}
    for phrase in gz.NON_ACTOR_PHRASES:
        assert gz.lookup(phrase) is None, phrase
        assert gz.is_non_actor(phrase.upper())
        words = gz.normalize(phrase).split()
        spans = {
            " ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)
        }
        assert spans & folded, f"{phrase!r} contains no gazetteer phrase: not needed"
    assert not gz.is_non_actor("South Korea")


# -------------------------------------------------------------------------------- roles


@pytest.mark.parametrize(
    ("role", "sector"),
    [
        ("president", "GOV"),
        ("prime minister", "GOV"),
        ("foreign minister", "GOV"),
        ("Minister of Foreign Affairs", "GOV"),
        ("secretary of state", "GOV"),
        ("Secretary of Defense", "GOV"),
        ("defense minister", "GOV"),
        ("spokesperson", "GOV"),
        ("ambassador", "GOV"),
        ("envoy", "GOV"),
        ("deputy minister", "GOV"),
        ("official", "GOV"),
        ("lawmaker", "LEG"),
        ("senator", "LEG"),
        ("general", "MIL"),
        ("admiral", "MIL"),
        ("associate professor", "EDU"),
        ("professor", "EDU"),
        ("researcher", "EDU"),
        ("analyst", "EDU"),
        ("journalist", "MED"),
        ("editor", "MED"),
        ("CEO", "BUS"),
        ("refugee", "REF"),
        ("imam", "REL"),
    ],
)
def test_role_sector_titles(role: str, sector: str) -> None:
    assert gz.role_sector(role) == sector


@pytest.mark.parametrize(
    ("role", "sector"),
    [
        # the longest listed phrase wins; ties go to the head (rightmost)
        ("associate professor of international relations", "EDU"),
        ("South Korean Vice Foreign Minister", "GOV"),
        ("Foreign Ministry spokesman", "GOV"),
        ("Defense Ministry spokesman", "MIL"),
        ("chairman of the Joint Chiefs of Staff", "MIL"),
        ("opposition lawmaker", "OPP"),
        ("military analyst", "EDU"),
        ("university president", "EDU"),
        # inflection
        ("lawmakers", "LEG"),
        ("congressmen", "LEG"),
        ("the defense minister's", "GOV"),
        ("U.N. official", "IGO"),
        # former officials are elites (CAMEO ELI); "then-" is not "former"
        ("former vice minister", "ELI"),
        ("former South Korean foreign minister", "ELI"),
        ("ex-president", "ELI"),
        ("retired general", "ELI"),
        ("one-time adviser", "ELI"),
        ("then-president", "GOV"),
        # case-sensitive abbreviations
        ("MP", "LEG"),
    ],
)
def test_role_sector_phrases(role: str, sector: str) -> None:
    assert gz.role_sector(role) == sector


@pytest.mark.parametrize("role", ["", "former", "mp", "the weather", "Seoul"])
def test_role_sector_none(role: str) -> None:
    assert gz.role_sector(role) is None


def test_match_role_reports_the_phrase_and_former_flag() -> None:
    match = gz.match_role("a former first vice minister")
    assert match is not None
    assert (match.entry.phrase, match.entry.sector, match.sector, match.former) == (
        "first vice minister",
        "GOV",
        "ELI",
        True,
    )
