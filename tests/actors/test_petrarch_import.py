"""Importing PETRARCH/TABARI actor and agent dictionaries (realpolitik.actors.petrarch)."""

from __future__ import annotations

import csv
import datetime as dt
from importlib.resources import files
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import SHARED
from realpolitik.actors.dictionary import load_dictionary
from realpolitik.actors.gazetteer import SECTORS
from realpolitik.actors.petrarch import (
    ACTOR_COLUMNS,
    OPEN_START,
    SECTOR_COLUMNS,
    PetrarchImport,
    code_country,
    code_sector,
    guess_kind,
    import_petrarch,
    normalize_country,
    parse_tabari_date,
    read_actor_file,
    read_agent_file,
    write_import,
)
from realpolitik.cli import cli
from realpolitik.errors import DictionaryError

# A made-up actor dictionary in PETRARCH's format: every construct the importer reads.
ACTORS = """\
# a comment line
<!-- a comment
     over two lines -->
FREEDONIA_  [FRE]     # a country that ISO does not know
+FREEDONIAN

NORWAY_  [NOR]
+NORWEGIAN_
+OSLO

JANE_ROE_  # a person with dated roles
+J._ROE
+FOREIGN_MINISTER_JANE_ROE
\t[NORELI 19900101-20010630]
\t[NORGOV 010701-051231]
\t[NORGOV >20131016]
\t[NORELI]

JOHN_DOE_
\t[NORMIL <19991231]

RICHARD_ROE_
ROE_ADMINISTRATION
\t[NORGOV 20020101-20041231]

ACME_HOLDINGS_  [NORGOVBUS >20081004] [MNCNOR]
"""

AGENTS = """\
<!-- agents -->
!PERSON! = MAN, MEN, WOMAN, WOMEN
PEASANT [~AGR]
CONGRESS!PERSON! [~LEG]
CHAMBER_OF_COMMERCE {CHAMBERS_OF_COMMERCE} [~BUS]
FOREIGN_MINISTRY [~GOV]
CATHOLIC_PRIEST [~CHRCTH]
HUMAN_RIGHTS_GROUP [NGO~]  # code before the actor's
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def imported(tmp_path: Path) -> PetrarchImport:
    actors = write(tmp_path, "test.actors.txt", ACTORS)
    agents = write(tmp_path, "test.agents.txt", AGENTS)
    return import_petrarch([actors, agents])


@pytest.fixture(scope="module")
def shared() -> Path:
    """The shared reference data; tests that need it skip where it is absent."""
    if not (SHARED / "dictionaries" / "phoenix").is_dir():
        pytest.skip("needs ../shared (PETRARCH dictionaries)")
    return SHARED


# -- codes and dates ---------------------------------------------------------------------------


def test_tabari_dates_both_widths_and_pivot() -> None:
    assert parse_tabari_date("20090120") == dt.date(2009, 1, 20)
    assert parse_tabari_date("090120") == dt.date(2009, 1, 20)
    assert parse_tabari_date("300101") == dt.date(2030, 1, 1)  # 00-30 -> 20YY
    assert parse_tabari_date("310101") == dt.date(1931, 1, 1)  # 31-99 -> 19YY
    for bad in ("2004017", "201005011", "20100931", "abcdef"):
        with pytest.raises(ValueError):
            parse_tabari_date(bad)


def test_code_country_and_sector() -> None:
    assert code_country("KORGOVBUS") == "KOR"
    assert code_country("JAPGOV") == "JPN"  # older code
    assert code_country("NGOUSAENV") is None  # a transnational NGO
    assert normalize_country("ROM") == "ROU"
    assert normalize_country("ABC") is None
    assert code_sector("USAGOV") == "GOV"
    assert code_sector("USA") is None
    assert code_sector("PSEREBHMS") == "REB"
    assert code_sector("IGOUNO") == "IGO"
    assert code_sector("IGOUNOJUDICJ") == "JUD"
    assert code_sector("IMGMUSALQ") == "REB"
    assert code_sector("BUDREB") == "REB"
    assert code_sector("EGYMOS") == "REL"
    assert code_sector("HOBCIV") == "CVL"
    assert code_sector("---") is None


# -- actors ------------------------------------------------------------------------------------


def test_people_get_dated_roles(imported: PetrarchImport) -> None:
    people = {p.name: p for p in imported.people}
    assert set(people) == {"Jane Roe", "John Doe", "Richard Roe"}
    jane = people["Jane Roe"]
    assert jane.country == "NOR"
    assert jane.aliases == ["J. Roe", "Foreign Minister Jane Roe"]
    assert jane.roles == [
        ("NORELI", "ELI", dt.date(1990, 1, 1), dt.date(2001, 6, 30)),
        ("NORGOV", "GOV", dt.date(2001, 7, 1), dt.date(2005, 12, 31)),
        ("NORGOV", "GOV", dt.date(2013, 10, 16), None),
    ]
    # '<DATE' has no start: the importer's floor date stands in.
    assert people["John Doe"].roles == [("NORMIL", "MIL", OPEN_START, dt.date(1999, 12, 31))]


def test_undated_codes_and_countries_go_to_the_actors_table(imported: PetrarchImport) -> None:
    rows = {(r.phrase, r.code): r for r in imported.actors}
    assert rows[("FREEDONIA", "FRE")].country is None  # not an ISO code
    assert rows[("FREEDONIAN", "FRE")].match == "prefix"  # no trailing '_'
    assert rows[("NORWEGIAN", "NOR")].match == "word"
    assert rows[("OSLO", "NOR")].country == "NOR"
    # Jane Roe's default code applies outside her dated roles: it is an actor row.
    assert rows[("JANE ROE", "NORELI")].start is None
    assert rows[("J. ROE", "NORELI")].sector == "ELI"


def test_codeless_entry_lines_share_the_codes_below(imported: PetrarchImport) -> None:
    richard = next(p for p in imported.people if p.name == "Richard Roe")
    assert richard.roles == [("NORGOV", "GOV", dt.date(2002, 1, 1), dt.date(2004, 12, 31))]
    # "ROE_ADMINISTRATION" names a body: it keeps the dated code in the actors table.
    body = [r for r in imported.actors if r.phrase == "ROE ADMINISTRATION"]
    assert [(r.code, r.start, r.end) for r in body] == [
        ("NORGOV", dt.date(2002, 1, 1), dt.date(2004, 12, 31))
    ]
    assert "Roe Administration" not in richard.aliases
    warning = next(p for p in imported.problems if "ROE ADMINISTRATION" in p.message)
    assert not warning.skipped
    assert warning.line == ACTORS.splitlines().index("ROE_ADMINISTRATION") + 1


def test_a_company_default_code_keeps_an_entry_out_of_people(imported: PetrarchImport) -> None:
    assert not any(p.name.startswith("Acme") for p in imported.people)
    codes = {r.code for r in imported.actors if r.phrase == "ACME HOLDINGS"}
    assert codes == {"NORGOVBUS", "MNCNOR"}


def test_roles_in_two_countries_make_two_people(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.txt",
        "MARY_MAJOR_\n\t[GBRGOV 19900101-19951231]\n\t[IRLGOV 20000101-20051231]\n",
    )
    result = import_petrarch([path])
    assert sorted((p.name, p.country) for p in result.people) == [
        ("Mary Major", "GBR"),
        ("Mary Major", "IRL"),
    ]


def test_output_loads_as_a_people_dictionary(imported: PetrarchImport, tmp_path: Path) -> None:
    for suffix in (".yaml", ".csv"):
        out = tmp_path / f"people{suffix}"
        written = write_import(imported, out)
        assert out in written
        people = load_dictionary(out)
        on_2003 = people.lookup("J. Roe", dt.date(2003, 5, 1))
        assert [(p.name, r.sector if r else None) for p, r in on_2003] == [("Jane Roe", "GOV")]
        # Between her roles she is known but holds no office.
        assert people.lookup("Jane Roe", dt.date(2008, 1, 1))[0][1] is None
        holder = people.holder("NOR", "NORGOV", dt.date(2003, 1, 1))
        assert holder is not None and holder.name == "Richard Roe"  # took office last


def test_actor_and_sector_tables_are_written_with_their_columns(
    imported: PetrarchImport, tmp_path: Path
) -> None:
    written = write_import(imported, tmp_path / "x.yaml")
    actors = tmp_path / "x.actors.csv"
    sectors = tmp_path / "x.sectors.tsv"
    assert actors in written and sectors in written
    with actors.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == ACTOR_COLUMNS
    assert {"phrase": "OSLO", "code": "NOR", "country": "NOR"}.items() <= next(
        r for r in rows if r["phrase"] == "OSLO"
    ).items()
    packaged = files("realpolitik.actors").joinpath("data/sectors.tsv").read_text("utf-8")
    header = sectors.read_text(encoding="utf-8").splitlines()[0]
    assert header == packaged.splitlines()[0] == "\t".join(SECTOR_COLUMNS)


def test_malformed_lines_are_reported_skipped_and_counted(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.actors.txt",
        "+ORPHAN_SYNONYM\n"  # 1: before any entry
        "GOOD_LAND_ [GDL]\n"  # 2
        "BAD_DATE_\n"  # 3
        "\t[GDLGOV 2004017-20061201]\n"  # 4: seven digits
        "\t[GDLGOV 20121207-20120802]\n"  # 5: ends before it starts
        "\t[GDLGOV 20100101-20111231]\n"  # 6: fine
        "BAD_BRACKET_ [GDL}\n"  # 7
        "+BAD_BRACKET_SYNONYM\n"  # 8: dropped with its entry, not given to BAD_DATE
        "\t[GDLMIL]\n"  # 9: likewise
        "OLD_TIMER_\n"  # 10
        "\t[GDLELI 250101-781227]\n"  # 11: 2025 > 1978: read as 1925, with a warning
        "NO_CODE_AT_ALL_\n",  # 12: the file ends before a code
    )
    entries, problems = read_actor_file(path)
    assert [e.phrases[0].text for e in entries] == ["GOOD LAND", "BAD DATE", "OLD TIMER"]
    skipped = {p.line: p for p in problems if p.skipped}
    assert sorted(skipped) == [1, 4, 5, 7, 12]
    bad_date = next(e for e in entries if e.phrases[0].text == "BAD DATE")
    assert [p.text for p in bad_date.phrases] == ["BAD DATE"]
    assert [c.code for c in bad_date.codes] == ["GDLGOV"]
    assert all(p.file == "bad.actors.txt" and p.hint for p in problems)
    assert "2004017" in skipped[4].message
    old = next(e for e in entries if e.phrases[0].text == "OLD TIMER")
    assert old.codes[0].start == dt.date(1925, 1, 1)
    assert any(not p.skipped and p.line == 11 for p in problems)
    result = import_petrarch([path])
    assert result.reports[0].skipped == 5
    assert result.reports[0].warnings == 1


def test_text_after_codes_is_ignored_but_an_open_bracket_drops_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "t.txt", "ACME_ [MNCUSA]\tNewspapers\t$1\n+ACME_CORP [MNC\n")
    entries, problems = read_actor_file(path)
    assert [p.text for p in entries[0].phrases] == ["ACME"]
    assert [c.code for c in entries[0].codes] == ["MNCUSA"]
    assert [(p.line, p.skipped) for p in problems] == [(1, False), (2, True)]


def test_unclosed_html_comment_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "c.txt", "A_LAND_ [ALD]\n<!-- never closed\nB_LAND_ [BLD]\n")
    entries, problems = read_actor_file(path)
    assert [e.phrases[0].text for e in entries] == ["A LAND"]
    assert problems[0].line == 2 and "never closed" in problems[0].message


# -- agents ------------------------------------------------------------------------------------


def test_agents_become_sector_rows(imported: PetrarchImport) -> None:
    rows = {r.phrase: r for r in imported.sectors}
    assert rows["peasant"].sector == "AGR" and rows["peasant"].kind == "title"
    # Substitution markers expand; irregular plurals in braces are rows of their own.
    assert {"congressman", "congressmen", "congresswoman", "congresswomen"} <= set(rows)
    assert rows["congresswomen"].sector == "LEG"
    assert rows["chambers of commerce"].sector == "BUS"
    assert rows["chamber of commerce"].kind == "org_noun"
    assert rows["foreign ministry"].kind == "org_noun"
    assert rows["catholic priest"].sector == "REL"  # CAMEO religion codes -> REL
    assert rows["human rights group"].sector == "NGO"  # NGO~ (before the actor code)
    assert "[~CHRCTH]" in rows["catholic priest"].note
    assert all(r.sector in SECTORS for r in imported.sectors)


def test_bad_agent_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.agents.txt",
        "DEPARTMENT_OF_X [~ENV}\n"  # mistyped bracket
        "NO_CODE_HERE\n"
        "!UNDEFINED!_OFFICER [~MIL]\n"
        "WEIRD_GROUP [~IMG]\n"  # no realpolitik sector
        "SOLDIER [~MIL]\n"
        "SOLDIER [~REB]\n",  # duplicate with another sector: first kept, warned
    )
    rows, problems, read = read_agent_file(path)
    assert [(r.phrase, r.sector) for r in rows] == [("soldier", "MIL")]
    assert read == 2
    assert [p.line for p in problems if p.skipped] == [1, 2, 3, 4]
    assert [p.line for p in problems if not p.skipped] == [6]


def test_guess_kind(tmp_path: Path) -> None:
    assert guess_kind(write(tmp_path, "a.txt", ACTORS)) == "actors"
    assert guess_kind(write(tmp_path, "b.txt", AGENTS)) == "agents"


def test_unknown_output_suffix_and_missing_file(imported: PetrarchImport, tmp_path: Path) -> None:
    with pytest.raises(DictionaryError, match="output format"):
        write_import(imported, tmp_path / "people.txt")
    with pytest.raises(DictionaryError, match="no such file"):
        import_petrarch([tmp_path / "missing.txt"])


def test_cli_import(tmp_path: Path) -> None:
    actors = write(tmp_path, "t.actors.txt", ACTORS + "BROKEN_ [NOR\n")
    out = tmp_path / "people.yaml"
    result = CliRunner().invoke(
        cli, ["dictionary", "import-petrarch", str(actors), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "3 people" in result.output and "skipped 1" in result.output
    assert out.exists() and (tmp_path / "people.actors.csv").exists()


# -- the PETRARCH files in /work/shared --------------------------------------------------------


def test_phoenix_and_validation_dictionaries(shared: Path, tmp_path: Path) -> None:
    phoenix = shared / "dictionaries" / "phoenix"
    paths = [
        phoenix / "Phoenix.Countries.actors.txt",
        phoenix / "Phoenix.International.actors.txt",
        phoenix / "Phoenix.MilNonState.actors.txt",
        phoenix / "Phoenix.agents.txt",
        shared / "eval" / "petrarch" / "PETR.Validate.actors.txt",
    ]
    result = import_petrarch(paths)
    kinds = [r.kind for r in result.reports]
    assert kinds == ["actors", "actors", "actors", "agents", "actors"]
    for report in result.reports:
        assert report.entries > 100
        # The files are mostly well formed: under 1% of entries lose something.
        assert report.skipped < report.entries / 100, report
    countries = {(r.phrase, r.code) for r in result.actors}
    assert ("UNITED STATES", "USA") in countries
    out = tmp_path / "phoenix.csv"
    write_import(result, out)
    people = load_dictionary(out)
    # From the Countries file: Brezhnev led the USSR (coded RUS) from October 1964.
    found = people.lookup("Leonid Brezhnev", dt.date(1970, 1, 1))
    assert found and found[0][0].country == "RUS" and found[0][1] is not None
    assert found[0][1].sector == "GOV"
    agents = {r.phrase: r.sector for r in result.sectors}
    assert agents["peasant"] == "AGR"
