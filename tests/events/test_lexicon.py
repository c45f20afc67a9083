"""The event trigger lexicon: packaged data validity, lookup precedence, error messages."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from realpolitik.errors import DictionaryError
from realpolitik.events.lexicon import LexEntry, Lexicon, load_lexicon, validate_lexicon
from realpolitik.events.ontology import get

HEADER = "head\tpos\tdep\tcameo\ttarget_preps\tnote\n"


def write(tmp_path: Path, body: str, name: str = "lex.tsv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def code(lex: Lexicon, head: str, pos: str, deps: set[str]) -> str | None:
    """The CAMEO code ``lex`` gives, or None when nothing matches."""
    entry = lex.lookup(head, pos, deps)
    return entry.cameo if entry else None


def test_packaged_lexicon_validates() -> None:
    assert validate_lexicon(load_lexicon()) == []


def test_packaged_lexicon_size_and_root_coverage() -> None:
    lex = load_lexicon()
    assert len(lex) >= 1500
    per_root = Counter(e.root for e in lex)
    for root in (f"{r:02d}" for r in range(1, 21)):
        assert per_root[root] >= 10, f"root {root} has only {per_root[root]} triggers"
    assert {e.pos for e in lex} == {"VERB", "NOUN"}


def test_load_is_cached() -> None:
    assert load_lexicon() is load_lexicon()


@pytest.mark.parametrize(
    ("head", "pos", "deps", "root"),
    [
        ("hold", "VERB", {"talk"}, "04"),
        ("make", "VERB", {"visit"}, "04"),
        ("pay", "VERB", {"visit"}, "04"),
        ("launch", "VERB", {"attack"}, "19"),
        ("issue", "VERB", {"statement"}, "01"),
        ("express", "VERB", {"concern"}, "11"),
        ("reaffirm", "VERB", {"commitment"}, "03"),
        ("impose", "VERB", {"sanction"}, "16"),
        ("sign", "VERB", {"agreement"}, "05"),
        ("call", "VERB", {"for"}, "02"),
        ("pull", "VERB", {"out"}, "08"),
        ("condemn", "VERB", set(), "11"),
        ("meet", "VERB", set(), "04"),
        ("urge", "VERB", set(), "02"),
        ("threaten", "VERB", set(), "13"),
        ("arrest", "VERB", set(), "17"),
        ("criticism", "NOUN", set(), "11"),
        ("visit", "NOUN", set(), "04"),
        ("sanction", "NOUN", set(), "16"),
        ("summit", "NOUN", set(), "04"),
    ],
)
def test_packaged_triggers_code_to_the_right_root(
    head: str, pos: str, deps: set[str], root: str
) -> None:
    entry = load_lexicon().lookup(head, pos, deps)
    assert entry is not None, (head, pos, deps)
    assert entry.root == root, entry
    get(entry.cameo)  # the code exists


@pytest.mark.parametrize(
    ("head", "pos"),
    [
        (w, "VERB")
        for w in (
            "reiterate",
            "stress",
            "urge",
            "warn",
            "pledge",
            "vow",
            "reaffirm",
            "denounce",
            "slam",
            "rebuke",
            "host",
            "receive",
            "attend",
        )
    ]
    + [
        (w, "NOUN")
        for w in (
            "criticism",
            "visit",
            "talk",
            "agreement",
            "sanction",
            "attack",
            "summit",
            "condemnation",
            "commitment",
            "cooperation",
        )
    ],
)
def test_diplomatic_vocabulary_is_covered(head: str, pos: str) -> None:
    assert load_lexicon().lookup(head, pos, set()) is not None


def test_dep_rows_beat_plain_rows(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "hold\tVERB\t\t040\twith\tplain\nhold\tVERB\ttalk\t046\twith\nhold\tVERB\thostage\t181\t\n",
    )
    lex = load_lexicon(path)
    assert code(lex, "hold", "VERB", set()) == "040"
    assert code(lex, "hold", "VERB", {"talk", "the"}) == "046"
    # a dep row wins even though the plain row is listed before it
    assert code(lex, "hold", "VERB", {"hostage"}) == "181"
    assert code(lex, "Hold", "verb", {"TALK"}) == "046"


def test_more_dep_lemmas_win_then_file_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "call\tVERB\toff\t082\t\n"
        "call\tVERB\tceasefire\t0256\t\n"
        "call\tVERB\tfor\t020\t\n"
        "call\tVERB\toff+talk\t164\t\n",
    )
    lex = load_lexicon(path)
    assert code(lex, "call", "VERB", {"off", "talk"}) == "164"
    assert code(lex, "call", "VERB", {"off"}) == "082"
    # equal numbers of dep lemmas: the row listed first wins
    assert code(lex, "call", "VERB", {"for", "ceasefire"}) == "0256"
    assert code(lex, "call", "VERB", {"for"}) == "020"


def test_no_match_gives_none(tmp_path: Path) -> None:
    lex = load_lexicon(write(tmp_path, "hold\tVERB\ttalk\t046\twith\n"))
    assert lex.lookup("hold", "VERB", {"meeting"}) is None
    assert lex.lookup("hold", "NOUN", {"talk"}) is None
    assert lex.lookup("unknownword", "VERB", set()) is None


def test_note_column_may_be_left_off(tmp_path: Path) -> None:
    lex = load_lexicon(write(tmp_path, "meet\tVERB\t\t040\twith\n"))
    assert lex.lookup("meet", "VERB", set()) == LexEntry("meet", "VERB", (), "040", ("with",))


def test_fields_are_parsed(tmp_path: Path) -> None:
    lex = load_lexicon(write(tmp_path, "# a comment\n\nsanction\tNOUN\t\t163\ton|against\tnote\n"))
    (entry,) = lex.entries
    assert entry == LexEntry("sanction", "NOUN", (), "163", ("on", "against"), "note")
    assert entry.line == 4
    assert entry.root == "16"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("meet\tVERB\t040\n", "expected 6 tab-separated fields"),
        ("meet\tVERB\t\t040\twith\tnote\textra\n", "got 7"),
        ("meet\tVERB\t\t40\twith\t\n", "did you mean '040'"),
        ("meet\tVERB\t\t42a\twith\t\n", "2-4 digit code"),
        ("meet\tVERB\t\t999\twith\t\n", "not a CAMEO code"),
        ("meet\tADJ\t\t040\twith\t\n", "VERB or NOUN"),
        ("Meet Up\tVERB\t\t040\twith\t\n", "single lower-case lemma"),
        ("meet\tVERB\toff talk\t040\twith\t\n", "joined by '+'"),
        ("meet\tVERB\t\t040\twith, to\t\n", "joined by '|'"),
    ],
)
def test_bad_rows_name_file_line_and_fix(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, "talk\tVERB\t\t040\twith\t\n" + body, name="mine.tsv")
    with pytest.raises(DictionaryError, match=re.escape(message)) as info:
        load_lexicon(path)
    assert "mine.tsv, line 3" in str(info.value)
    assert "Hint:" in str(info.value)


def test_duplicate_rows_are_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "call\tVERB\toff+talk\t164\t\t\ncall\tVERB\ttalk+off\t161\t\t\n")
    with pytest.raises(DictionaryError, match="line 3: duplicate of line 2"):
        load_lexicon(path)


def test_bad_header_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "noheader.tsv"
    path.write_text("meet\tVERB\t\t040\twith\t\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"noheader\.tsv, line 1: the header"):
        load_lexicon(path)
    with pytest.raises(DictionaryError, match="not found"):
        load_lexicon(tmp_path / "absent.tsv")


def test_validate_reports_gaps_duplicates_and_unknown_codes() -> None:
    entries = [
        LexEntry("meet", "VERB", (), "040", ("with",), line=2),
        LexEntry("meet", "VERB", (), "042", line=3),
        LexEntry("zap", "VERB", (), "777", line=4),
    ]
    problems = validate_lexicon(Lexicon(entries, "inline"))
    assert any("unknown CAMEO code '777'" in p for p in problems)
    assert any("line 3: duplicate of line 2" in p for p in problems)
    missing = next(p for p in problems if "no trigger for CAMEO root" in p)
    assert "01" in missing and "20" in missing and "04" not in missing.split("root(s)")[1]
