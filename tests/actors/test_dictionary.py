"""The actor dictionary: packaged data, dated lookups, user files and their errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from realpolitik.actors.dictionary import (
    ActorDictionary,
    DictionaryFileError,
    Person,
    Role,
    load_dictionary,
    normalize_title,
)
from realpolitik.errors import DictionaryError

D = dt.date
G20_AND_PRK = {
    "ARG",
    "AUS",
    "BRA",
    "CAN",
    "CHN",
    "FRA",
    "DEU",
    "IND",
    "IDN",
    "ITA",
    "JPN",
    "MEX",
    "RUS",
    "SAU",
    "ZAF",
    "KOR",
    "TUR",
    "GBR",
    "USA",
    "PRK",
}

# Offices that must have a holder throughout the covered period in the focus countries
# (head of state or party leader, head of government, foreign and defence minister).
FOCUS_OFFICES = {
    "USA": ["President", "Secretary of State", "Secretary of Defense"],
    "CHN": ["General Secretary", "President", "Premier", "Foreign Minister", "Defence Minister"],
    "RUS": ["President", "Prime Minister", "Foreign Minister", "Defence Minister"],
    "JPN": ["Emperor", "Prime Minister", "Foreign Minister", "Defence Minister"],
    "KOR": ["President", "Foreign Minister"],
    "PRK": ["General Secretary", "Premier", "Foreign Minister"],
    "GBR": ["Monarch", "Prime Minister", "Foreign Secretary", "Defence Secretary"],
    "FRA": ["President", "Prime Minister", "Foreign Minister", "Minister of Defence"],
    "DEU": ["President", "Chancellor", "Foreign Minister", "Minister of Defence"],
    "IND": ["President", "Prime Minister", "Minister of External Affairs", "Defence Minister"],
}
SAMPLE_DATES = [
    D(2015, 3, 1),
    D(2017, 6, 1),
    D(2019, 6, 1),
    D(2021, 6, 1),
    D(2023, 6, 1),
    D(2025, 3, 1),
]


@pytest.fixture(scope="module")
def people() -> ActorDictionary:
    return load_dictionary()


def _role(title: str, start: dt.date, end: dt.date | None = None, **kw: str) -> Role:
    return Role(title, "GOV", start, end, **kw)  # type: ignore[arg-type]


# -- the packaged dictionary ----------------------------------------------------------------


def test_packaged_dictionary_loads_and_covers_every_country(people: ActorDictionary) -> None:
    assert len(people) > 250
    assert {p.country for p in people} >= G20_AND_PRK
    assert all(p.roles for p in people)


def test_every_person_held_office_in_or_after_1995(people: ActorDictionary) -> None:
    late = [p.name for p in people if max((r.end or D.max) for r in p.roles) < D(1995, 1, 1)]
    assert late == []


def test_no_overlapping_tenures_of_one_office(people: ActorDictionary) -> None:
    overlaps = people.find_overlaps()
    assert overlaps == [], "\n".join(str(o) for o in overlaps)


@pytest.mark.parametrize("country", sorted(FOCUS_OFFICES))
def test_focus_countries_have_holders_throughout(people: ActorDictionary, country: str) -> None:
    missing = [
        (title, str(on))
        for title in FOCUS_OFFICES[country]
        for on in SAMPLE_DATES
        if people.holder(country, title, on) is None
    ]
    assert missing == []


def test_every_name_and_alias_finds_its_person(people: ActorDictionary) -> None:
    for person in people:
        for written in person.names:
            assert any(p is person for p, _ in people.lookup(written)), written


# -- dated lookups ----------------------------------------------------------------------------


def test_us_secretary_of_state_by_date(people: ActorDictionary) -> None:
    on_seoul_visit = people.holder("USA", "Secretary of State", D(2021, 3, 18))
    assert on_seoul_visit is not None and on_seoul_visit.name == "Antony Blinken"
    new_year_2019 = people.holder("USA", "Secretary of State", D(2019, 1, 1))
    assert new_year_2019 is not None and new_year_2019.name == "Mike Pompeo"


def test_titles_are_normalized_per_country(people: ActorDictionary) -> None:
    blinken = people.holder("USA", "Secretary of State", D(2021, 3, 18))
    assert people.holder("usa", "Foreign Minister", D(2021, 3, 18)) is blinken
    assert people.holder("USA", "minister of foreign affairs", D(2021, 3, 18)) is blinken
    assert normalize_title("Foreign Minister", "FRA") == normalize_title(
        "Minister for Europe and Foreign Affairs", "FRA"
    )
    assert normalize_title("Secretary of Defense") == normalize_title("Minister of Defence")
    assert normalize_title("Secretary of State", "USA") == "foreign minister"
    assert normalize_title("Secretary of State", "GBR") != "foreign minister"
    assert normalize_title("Chancellor", "DEU") != normalize_title("Chancellor", "GBR")


def test_lookup_is_date_bounded(people: ActorDictionary) -> None:
    [(person, role)] = people.lookup("Tony Blinken", D(2021, 3, 18))
    assert person.name == "Antony Blinken"
    assert role is not None and role.title == "Secretary of State"
    [(person, role)] = people.lookup("antony blinken", D(2019, 1, 1))
    assert person.name == "Antony Blinken" and role is None
    [(_, role)] = people.lookup("Antony Blinken", None)
    assert role is None


def test_lookup_ignores_case_accents_and_hyphens(people: ActorDictionary) -> None:
    for written in ("MOON JAE IN", "moon jae-in", "Moon Jae - in", "Mun Jae-in"):
        assert [p.name for p, _ in people.lookup(written)] == ["Moon Jae-in"], written
    assert [p.name for p, _ in people.lookup("Francois Hollande")] == ["Francois Hollande"]
    assert [p.name for p, _ in people.lookup("François Hollande")] == ["Francois Hollande"]
    assert people.lookup("Nobody Atall") == []


def test_korean_defence_minister_spellings(people: ActorDictionary) -> None:
    on = D(2021, 3, 18)
    [(person, role)] = people.lookup("Suh Wook", on)
    assert role is not None and role.title == "Minister of National Defense"
    assert [p for p, _ in people.lookup("Seo Uk", on)] == [person]  # Revised Romanization
    assert people.holder("KOR", "Defence Minister", on) is person


def test_by_surname(people: ActorDictionary) -> None:
    [(person, role)] = people.by_surname("Blinken", D(2021, 3, 18))
    assert person.name == "Antony Blinken" and role is not None
    kims = people.by_surname("Kim", D(2021, 3, 18))
    assert len({p.name for p, _ in kims}) > 3
    assert kims[0][1] is not None  # people in office on the date come first
    assert any(p.name == "Kim Jong Un" and r is not None for p, r in kims)
    assert not any(p.name == "Kim Jong Un" for p, _ in people.by_surname("Un"))
    assert [p.name for p, _ in people.by_surname("Abe")] == ["Shinzo Abe"]
    assert [p.name for p, _ in people.by_surname("López Obrador")] == [
        "Andres Manuel Lopez Obrador"
    ]
    assert {p.name for p, _ in people.by_surname("von der Leyen")} == {"Ursula von der Leyen"}
    assert people.by_surname("Elizabeth") == []  # monarchs have no family name here


def test_acting_holders_fill_vacancies_only(people: ActorDictionary) -> None:
    shanahan = people.holder("USA", "Secretary of Defense", D(2019, 3, 1))
    assert shanahan is not None and shanahan.name == "Patrick Shanahan"
    park = people.holder("KOR", "President", D(2017, 1, 1))  # suspended, still President
    assert park is not None and park.name == "Park Geun-hye"
    hwang = people.holder("KOR", "President", D(2017, 4, 1))  # after her removal
    assert hwang is not None and hwang.name == "Hwang Kyo-ahn"
    assert people.holder("KOR", "Acting President", D(2017, 1, 1)) is hwang


def test_handover_day_returns_incoming_holder(people: ActorDictionary) -> None:
    biden = people.holder("USA", "President", D(2021, 1, 20))
    assert biden is not None and biden.name == "Joe Biden"
    assert [p.name for p, _ in people.holders("USA", "President", D(2021, 1, 20))] == [
        "Joe Biden",
        "Donald Trump",
    ]


def test_datetime_is_accepted(people: ActorDictionary) -> None:
    holder = people.holder("USA", "Secretary of State", dt.datetime(2021, 3, 18, 9, 30))
    assert holder is not None and holder.name == "Antony Blinken"


# -- overlaps and month precision ------------------------------------------------------------


def test_find_overlaps_detects_a_real_overlap() -> None:
    a = Person("A One", (), "USA", (_role("Secretary of State", D(2020, 1, 1), D(2021, 1, 1)),))
    b = Person("B Two", (), "USA", (_role("Foreign Minister", D(2020, 6, 1)),))
    [overlap] = ActorDictionary([a, b]).find_overlaps()
    assert overlap.office == "foreign minister"
    assert {overlap.first[0].name, overlap.second[0].name} == {"A One", "B Two"}


def test_touching_or_month_uncertain_tenures_do_not_overlap() -> None:
    a = Person("A One", (), "FRA", (_role("President", D(2020, 1, 1), D(2021, 1, 1)),))
    b = Person(
        "B Two",
        (),
        "FRA",
        (_role("President", D(2021, 1, 1), D(2021, 1, 31), end_precision="month"),),
    )
    c = Person("C Three", (), "FRA", (_role("President", D(2021, 1, 1), start_precision="month"),))
    assert ActorDictionary([a, b, c]).find_overlaps() == []


def test_month_precision_role_is_active_all_month(tmp_path: Path) -> None:
    path = tmp_path / "month.yaml"
    path.write_text(
        "- name: Ri Test\n  country: PRK\n  roles:\n"
        "    - {title: Premier, sector: GOV, start: 2020-01, end: 2020-03}\n",
        encoding="utf-8",
    )
    [person] = load_dictionary(path)
    [role] = person.roles
    assert (role.start, role.end) == (D(2020, 1, 1), D(2020, 3, 31))
    assert (role.start_precision, role.end_precision) == ("month", "month")
    assert not role.active_on(D(2019, 12, 31)) and role.active_on(D(2020, 3, 31))


# -- user files -------------------------------------------------------------------------------

CSV_TEXT = """name,aliases,country,title,sector,start,end
Jane Roe,J. Roe|Jane A. Roe,gbr,Foreign Secretary,GOV,2020-02-01,2021-03-04
Jane Roe,,GBR,Prime Minister,GOV,2021-03-04,
"Kim Test",Gim Test,KOR,Minister of National Defense,MIL,2019-05,2020-06-30
"""


def test_csv_loading(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(CSV_TEXT, encoding="utf-8")
    people = load_dictionary(path)
    assert len(people) == 2
    roe = next(p for p in people if p.name == "Jane Roe")
    assert roe.country == "GBR" and roe.aliases == ("J. Roe", "Jane A. Roe")
    assert [r.title for r in roe.roles] == ["Foreign Secretary", "Prime Minister"]
    assert roe.roles[1].end is None
    assert people.holder("GBR", "Foreign Minister", D(2020, 6, 1)) is roe
    assert people.holder("GBR", "Prime Minister", D(2024, 1, 1)) is roe
    [(kim, role)] = people.by_surname("Gim", D(2019, 5, 2))
    assert kim.name == "Kim Test" and role is not None and role.sector == "MIL"
    assert role.start_precision == "month"


def test_user_yaml_with_explicit_surnames(tmp_path: Path) -> None:
    path = tmp_path / "people.yml"
    path.write_text(
        "- name: Maria de la Cruz Test\n  surnames: [de la Cruz]\n  country: MEX\n  roles:\n"
        "    - {title: Secretary of Foreign Affairs, sector: GOV, start: 2020-01-02}\n",
        encoding="utf-8",
    )
    people = load_dictionary(path)
    assert [p.name for p, _ in people.by_surname("De La Cruz")] == ["Maria de la Cruz Test"]
    assert people.by_surname("Test") == []


# -- errors -----------------------------------------------------------------------------------


def _error(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as info:
        load_dictionary(path)
    assert isinstance(info.value, DictionaryFileError)
    assert isinstance(info.value, DictionaryError)
    message = str(info.value)
    assert name in message and "Hint:" in message
    return message


def test_error_missing_country_yaml(tmp_path: Path) -> None:
    message = _error(
        tmp_path,
        "bad.yaml",
        (
            "- name: Good Person\n  country: USA\n  roles:\n"
            "    - {title: President, sector: GOV, start: 2020-01-20}\n"
            "- name: No Country\n  roles:\n"
            "    - {title: President, sector: GOV, start: 2020-01-20}\n"
        ),
    )
    assert "entry 2" in message and "line 5" in message and "'No Country'" in message
    assert "'country'" in message and "alpha-3" in message


def test_error_missing_country_csv(tmp_path: Path) -> None:
    message = _error(tmp_path, "bad.csv", CSV_TEXT.replace("Jane Roe,,GBR,", "Jane Roe,,,"))
    assert "line 3" in message and "'country'" in message


def test_error_bad_country_code(tmp_path: Path) -> None:
    message = _error(tmp_path, "bad.csv", CSV_TEXT.replace(",gbr,", ",XYZ,"))
    assert "line 2" in message and "'XYZ'" in message


def test_error_bad_date(tmp_path: Path) -> None:
    message = _error(tmp_path, "bad.csv", CSV_TEXT.replace("2020-02-01", "2020-02-30"))
    assert "line 2" in message and "'start'" in message and "YYYY-MM-DD" in message
    message = _error(
        tmp_path,
        "bad.yaml",
        (
            "- name: Bad Date\n  country: USA\n  roles:\n"
            "    - {title: President, sector: GOV, start: 2020-01-20}\n"
            "    - {title: President, sector: GOV, start: 2021-13}\n"
        ),
    )
    assert "entry 1" in message and "role 2" in message and "line 5" in message
    assert "'start'" in message


def test_error_end_before_start(tmp_path: Path) -> None:
    message = _error(
        tmp_path,
        "bad.yaml",
        (
            "- name: Time Traveller\n  country: FRA\n  roles:\n"
            "    - {title: President, sector: GOV, start: 2020-05-01, end: 2019-05-01}\n"
        ),
    )
    assert "'end'" in message and "before" in message and "'Time Traveller'" in message


def test_error_unknown_field_and_duplicate_person(tmp_path: Path) -> None:
    message = _error(
        tmp_path,
        "bad.yaml",
        (
            "- name: Typo Person\n  alias: [T. Person]\n  country: USA\n  roles:\n"
            "    - {title: President, sector: GOV, start: 2020-01-20}\n"
        ),
    )
    assert "'alias'" in message and "aliases" in message
    entry = (
        "- name: Twice\n  country: USA\n  roles:\n    - {title: X, sector: GOV, start: 2020-01}\n"
    )
    message = _error(tmp_path, "dup.yaml", entry + entry)
    assert "entry 2" in message and "already entry 1" in message


def test_error_bad_sector_and_missing_column(tmp_path: Path) -> None:
    message = _error(tmp_path, "bad.csv", CSV_TEXT.replace(",MIL,", ",military,"))
    assert "line 4" in message and "'sector'" in message
    message = _error(tmp_path, "cols.csv", "name,country,title,start\nA B,USA,President,2020\n")
    assert "line 1" in message and "aliases" in message and "sector" in message


def test_error_not_yaml_and_unknown_extension(tmp_path: Path) -> None:
    message = _error(tmp_path, "broken.yaml", "- name: [unclosed\n")
    assert "not valid YAML" in message
    _error(tmp_path, "people.txt", "anything")
    message = _error(tmp_path, "map.yaml", "name: Not A List\n")
    assert "list of people" in message


# The 193 UN member states, plus Taiwan, Kosovo and Palestine.
UN_MEMBERS_AND_OTHERS = {
    "FRA",
    "DEU",
    "ITA",
    "GBR",
    "ESP",
    "PRT",
    "NLD",
    "BEL",
    "LUX",
    "IRL",
    "AUT",
    "CHE",
    "LIE",
    "AND",
    "MCO",
    "SMR",
    "MLT",
    "ISL",
    "NOR",
    "DNK",
    "SWE",
    "FIN",
    "POL",
    "CZE",
    "SVK",
    "HUN",
    "SVN",
    "HRV",
    "ROU",
    "BGR",
    "GRC",
    "CYP",
    "EST",
    "LVA",
    "LTU",
    "SRB",
    "MNE",
    "MKD",
    "ALB",
    "BIH",
    "MDA",
    "UKR",
    "BLR",
    "RUS",
    "TUR",
    "ISR",
    "LBN",
    "SYR",
    "JOR",
    "IRQ",
    "IRN",
    "SAU",
    "ARE",
    "QAT",
    "BHR",
    "KWT",
    "OMN",
    "YEM",
    "EGY",
    "LBY",
    "TUN",
    "DZA",
    "MAR",
    "GEO",
    "ARM",
    "AZE",
    "NGA",
    "GHA",
    "CIV",
    "SEN",
    "MLI",
    "BFA",
    "NER",
    "TCD",
    "CMR",
    "CAF",
    "COD",
    "COG",
    "GAB",
    "GNQ",
    "GIN",
    "GNB",
    "SLE",
    "LBR",
    "TGO",
    "BEN",
    "MRT",
    "CPV",
    "GMB",
    "STP",
    "ETH",
    "ERI",
    "DJI",
    "SOM",
    "KEN",
    "UGA",
    "TZA",
    "RWA",
    "BDI",
    "SSD",
    "SDN",
    "MOZ",
    "MWI",
    "ZMB",
    "ZWE",
    "BWA",
    "NAM",
    "ZAF",
    "LSO",
    "SWZ",
    "MDG",
    "MUS",
    "SYC",
    "COM",
    "AGO",
    "IND",
    "PAK",
    "AFG",
    "BGD",
    "LKA",
    "NPL",
    "BTN",
    "MDV",
    "KAZ",
    "KGZ",
    "TJK",
    "TKM",
    "UZB",
    "MNG",
    "CHN",
    "JPN",
    "KOR",
    "PRK",
    "VNM",
    "LAO",
    "KHM",
    "THA",
    "MMR",
    "MYS",
    "SGP",
    "IDN",
    "PHL",
    "BRN",
    "TLS",
    "AUS",
    "NZL",
    "PNG",
    "FJI",
    "SLB",
    "VUT",
    "WSM",
    "TON",
    "KIR",
    "TUV",
    "NRU",
    "PLW",
    "FSM",
    "MHL",
    "USA",
    "CAN",
    "MEX",
    "GTM",
    "BLZ",
    "HND",
    "SLV",
    "NIC",
    "CRI",
    "PAN",
    "CUB",
    "HTI",
    "DOM",
    "JAM",
    "TTO",
    "BHS",
    "BRB",
    "LCA",
    "VCT",
    "GRD",
    "ATG",
    "DMA",
    "KNA",
    "BRA",
    "ARG",
    "CHL",
    "URY",
    "PRY",
    "BOL",
    "PER",
    "ECU",
    "COL",
    "VEN",
    "GUY",
    "SUR",
    "TWN",
    "XKX",
    "PSE",
}


def test_every_state_has_its_leaders_since_1995(people: ActorDictionary) -> None:
    assert len(UN_MEMBERS_AND_OTHERS) == 196
    leaders = {"president", "prime minister", "monarch", "governor general", "supreme leader"}
    covered = {
        p.country
        for p in people
        for r in p.roles
        if normalize_title(r.title, p.country).removeprefix("acting ") in leaders
        or "president" in r.title.lower()
    }
    # San Marino's two Captains Regent change every six months and are not listed
    assert UN_MEMBERS_AND_OTHERS - covered == {"SMR"}
    assert UN_MEMBERS_AND_OTHERS - {p.country for p in people} == set()
    assert len(people) > 5000


def test_roles_start_before_they_end(people: ActorDictionary) -> None:
    assert [(p.name, r.title) for p in people for r in p.roles if r.end and r.end < r.start] == []


def test_igo_officials_carry_their_organization(people: ActorDictionary) -> None:
    on = D(2021, 3, 18)
    found = people.lookup("António Guterres", on) or people.lookup("Antonio Guterres", on)
    in_office = [(p.country, r.title) for p, r in found if r is not None]
    assert in_office == [("IGO:UN", "Secretary-General")]  # and, out of office, PRT's ex-PM


def test_the_parsed_packaged_dictionary_is_cached_and_a_broken_cache_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from realpolitik.actors import dictionary as d

    monkeypatch.setenv(d.CACHE_ENV, str(tmp_path))
    first = d._packaged_people()
    [cache] = tmp_path.glob("people-*.pickle")
    assert d._packaged_people() == first  # read back from the cache
    cache.write_bytes(b"not a pickle")
    assert d._packaged_people() == first  # rebuilt from the YAML files
    monkeypatch.setenv(d.CACHE_ENV, "none")
    cache.unlink()
    d._packaged_people()
    assert list(tmp_path.glob("people-*.pickle")) == []
