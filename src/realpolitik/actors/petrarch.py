"""Import PETRARCH/TABARI actor and agent dictionaries into realpolitik's dictionary forms.

PETRARCH (and TABARI before it) keep actors in plain-text dictionaries. An *actor* file lists
phrases with CAMEO actor codes, optionally restricted to dates::

    UNITED_STATES_  [USA]          # a phrase and its code; '#' starts a comment
    +U.S.                          # '+' lines are synonyms of the entry above
    SOME_PERSON_                   # a phrase whose codes follow on indented lines
        [USAGOV 20090120-20170120] # a range (both ends YYYYMMDD, or YYMMDD)
        [USAELI >20170120]         # from that date on
        [USAMIL <20090120]         # until that date
        [USAELI]                   # the default for every other date

An *agent* file maps role nouns to sector codes (``PEASANT [~AGR]``), with optional
irregular plurals in braces (``CHAMBER_OF_COMMERCE {CHAMBERS_OF_COMMERCE} [~BUS]``) and
substitution markers defined in the file (``!PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON``,
used as ``CONGRESS!PERSON! [~LEG]``).

:func:`import_petrarch` reads any number of such files and produces three tables:

* **people** - entries with at least one *dated* code of a country (ISO 3166-1 alpha-3,
  after :data:`OLD_COUNTRY_CODES`) plus a sector, e.g. ``[USAGOV 20090120-20170120]``,
  become :class:`~realpolitik.actors.dictionary.Person` s with one role per dated code,
  written as YAML or CSV that :func:`~realpolitik.actors.dictionary.load_dictionary` reads.
* **actors** - every other code of every entry (countries, organizations, undated codes of
  people, codes of non-ISO or fictional countries), one row per phrase and code:
  ``phrase code country sector start end match source``.
* **sectors** - agent phrases as rows ``phrase sector kind note``, the columns of the
  packaged ``actors/data/sectors.tsv``.

A line that cannot be read is reported (:class:`Problem`: file, line, what is wrong, how
to fix it), counted and skipped; the rest of the file is imported. The format and every
choice made here are described in ``docs/dictionary.md`` ("Importing PETRARCH dictionaries").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pycountry
import yaml

from realpolitik.actors.gazetteer import SECTORS
from realpolitik.errors import DictionaryError

__all__ = [
    "ACTOR_COLUMNS",
    "OLD_COUNTRY_CODES",
    "OPEN_START",
    "SECTOR_COLUMNS",
    "ActorRow",
    "CodeSpec",
    "FileReport",
    "PetrarchImport",
    "Problem",
    "SectorRow",
    "code_country",
    "code_sector",
    "import_petrarch",
    "normalize_country",
    "parse_tabari_date",
    "read_actor_file",
    "read_agent_file",
    "write_import",
]

FileKind = Literal["actors", "agents"]

#: Columns of the actors table written by :func:`write_import`.
ACTOR_COLUMNS = ("phrase", "code", "country", "sector", "start", "end", "match", "source")
#: Columns of the sectors table: those of ``actors/data/sectors.tsv``.
SECTOR_COLUMNS = ("phrase", "sector", "kind", "note")

#: The start given to a role whose code is only bounded above (``[USAGOV <20090120]``):
#: the people format requires a start, and PETRARCH does not know one.
OPEN_START = dt.date(1900, 1, 1)

#: Older CAMEO, WEIS and TABARI country codes -> the ISO 3166-1 alpha-3 code of the country
#: (for states that no longer exist, of the successor that CAMEO codes them as today).
OLD_COUNTRY_CODES: dict[str, str] = {
    "JAP": "JPN",  # Japan (CAMEO manual examples)
    "ITL": "ITA",  # Italy
    "VTN": "VNM",  # Vietnam
    "ROM": "ROU",  # Romania (ISO changed ROM to ROU in 2002)
    "ZAR": "COD",  # Zaire
    "TMP": "TLS",  # East Timor
    "KSV": "XKX",  # Kosovo
    "KOS": "XKX",
    "YUG": "SRB",  # Yugoslavia, Federal Republic of Yugoslavia, Serbia and Montenegro
    "FRY": "SRB",
    "SCG": "SRB",
    "SUN": "RUS",  # USSR
    "USR": "RUS",
    "CSK": "CZE",  # Czechoslovakia
    "DDR": "DEU",  # German Democratic Republic
    "GMW": "DEU",  # West Germany (WEIS)
    "UAR": "EGY",  # United Arab Republic
    "ROC": "TWN",  # Republic of China
    "UNK": "GBR",  # United Kingdom (WEIS)
    "NZE": "NZL",
    "IVO": "CIV",
    "KUW": "KWT",
    "LEB": "LBN",
    "LTH": "LTU",
    "BUL": "BGR",
    "ZAM": "ZMB",
    "ZBW": "ZWE",
    "RHO": "ZWE",  # Rhodesia
}

# First segments of codes of actors that belong to no state.
_NON_STATE = {"IGO": "IGO", "NGO": "NGO", "NGM": "NGO", "MNC": "MNC", "IMG": "REB"}
# Sectors of an intergovernmental body that its members take instead of IGO (as in
# organizations.tsv: courts, parliaments, police bodies, military missions).
_IGO_SUBSECTORS = frozenset({"JUD", "LEG", "COP", "MIL"})
# CAMEO religion codes; realpolitik has the single sector REL for them. (None of them is an
# ISO 3166-1 code in use, so a segment after a country is never mistaken for a territory.)
_RELIGIONS = frozenset(
    {
        *("BAH", "BUD", "CHR", "CTH", "CPT", "ORT", "PRO", "JEW", "HIN", "JAN", "SIK"),
        *("MOS", "MUS", "SHI", "SUN", "ALE", "DRZ", "SFI", "ZRO", "TAO", "CON"),
    }
)
# Other agent codes with a realpolitik equivalent.
_SECTOR_SYNONYMS = {"PPL": "CVL", "CIV": "CVL", "JRN": "MED", "SOC": "CVL"}

_ISO3 = frozenset(c.alpha_3 for c in pycountry.countries)


def normalize_country(code: str | None) -> str | None:
    """The ISO 3166-1 alpha-3 code a CAMEO country segment stands for, or None.

    ISO codes map to themselves (and ``XKX``, Kosovo); older codes go through
    :data:`OLD_COUNTRY_CODES` (``JAP`` -> ``JPN``). Regions, ``IGO`` etc. give None.
    """
    if not code:
        return None
    code = code.strip().upper()[:3]
    if code in OLD_COUNTRY_CODES:
        return OLD_COUNTRY_CODES[code]
    if code in _ISO3 or code == "XKX":
        return code
    return None


def _segments(code: str) -> list[str]:
    return [code[i : i + 3] for i in range(0, len(code), 3)]


def code_country(code: str) -> str | None:
    """The country of a CAMEO actor code (``KORGOVBUS`` -> ``KOR``, ``JAPGOV`` -> ``JPN``).

    Only the first segment counts: ``NGOUSAENV`` is a transnational NGO (None).
    """
    return normalize_country(code[:3]) if len(code) >= 3 else None


def code_sector(code: str) -> str | None:
    """The realpolitik sector of a CAMEO actor code, or None for a bare state or region.

    ``USAGOV`` -> GOV; ``PSEREBHMS`` -> REB (the first segment after the country that is a
    sector); ``IGOUNO`` -> IGO but ``IGOUNOJUDICJ`` -> JUD (as in ``organizations.tsv``);
    ``NGOHRIAMN`` -> NGO; ``IMGMUSALQ`` -> REB; religion codes -> REL (``BUDREB`` -> REB).
    """
    segments = _segments(code.strip().upper())
    if not segments:
        return None
    first, rest = segments[0], segments[1:]
    if first in _NON_STATE:
        if first == "IGO":
            inner = next((s for s in rest if s in _IGO_SUBSECTORS), None)
            if inner:
                return inner
        return _NON_STATE[first]
    if normalize_country(first) is None:
        if first in SECTORS:
            return first
        if first in _RELIGIONS:
            return next((s for s in rest if s in SECTORS), "REL")
    for segment in rest:
        if segment in SECTORS:
            return segment
        if segment in _SECTOR_SYNONYMS:
            return _SECTOR_SYNONYMS[segment]
        if segment in _RELIGIONS:
            return "REL"
    return None


# -- records ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """A line (or part of one) that was not imported, or imported with a repair."""

    file: str
    line: int
    message: str
    hint: str
    skipped: bool = True  # False: imported, but repaired (a warning)

    def __str__(self) -> str:
        label = "skipped" if self.skipped else "warning"
        return f"{self.file}, line {self.line}: {label}: {self.message}\nHint: {self.hint}"


@dataclass(frozen=True, slots=True)
class CodeSpec:
    """One bracketed code of an actor entry, with its date restriction (inclusive)."""

    code: str
    start: dt.date | None = None
    end: dt.date | None = None
    line: int = 0

    @property
    def dated(self) -> bool:
        """Whether the code is restricted to dates."""
        return self.start is not None or self.end is not None


@dataclass(slots=True)
class _Phrase:
    text: str  # words separated by single spaces, as written (upper case)
    exact: bool  # ended in '_': the last word must match whole
    line: int


@dataclass(slots=True)
class _ActorEntry:
    phrases: list[_Phrase]
    codes: list[CodeSpec]
    line: int
    bracketed: bool = False  # had a [code], even one that could not be read


@dataclass(frozen=True, slots=True)
class ActorRow:
    """One row of the actors table: a phrase and one of its codes."""

    phrase: str
    code: str
    country: str | None
    sector: str | None
    start: dt.date | None
    end: dt.date | None
    match: Literal["word", "prefix"]
    source: str  # "file:line" of the entry

    def to_row(self) -> dict[str, str]:
        """The row as text cells (empty for None)."""
        return {
            "phrase": self.phrase,
            "code": self.code,
            "country": self.country or "",
            "sector": self.sector or "",
            "start": self.start.isoformat() if self.start else "",
            "end": self.end.isoformat() if self.end else "",
            "match": self.match,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class SectorRow:
    """One row of the sectors table (the columns of ``actors/data/sectors.tsv``)."""

    phrase: str
    sector: str
    kind: Literal["title", "org_noun"]
    note: str


@dataclass(slots=True)
class _PersonOut:
    name: str
    country: str
    aliases: list[str]
    roles: list[tuple[str, str, dt.date, dt.date | None]]  # title, sector, start, end
    source: str


@dataclass(slots=True)
class FileReport:
    """What one input file gave."""

    path: str
    kind: FileKind
    entries: int = 0  # actor entries, or agent lines, read with at least one usable code
    phrases: int = 0  # phrases of those entries (primary + synonyms, after expansion)
    codes: int = 0  # codes imported (actor files) or sector rows written (agent files)
    people: int = 0  # entries imported as people
    roles: int = 0  # dated codes imported as roles of people
    actor_rows: int = 0
    sector_rows: int = 0
    skipped: int = 0  # problems that dropped a line, an entry or a code
    warnings: int = 0  # problems that were repaired
    seconds: float = 0.0


@dataclass(slots=True)
class PetrarchImport:
    """The result of :func:`import_petrarch`: the three tables, reports and problems."""

    people: list[_PersonOut] = field(default_factory=list)
    actors: list[ActorRow] = field(default_factory=list)
    sectors: list[SectorRow] = field(default_factory=list)
    reports: list[FileReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# -- dates --------------------------------------------------------------------------------------


def parse_tabari_date(text: str) -> dt.date:
    """A TABARI date: ``YYYYMMDD``, or ``YYMMDD`` with 00-30 read as 20YY and 31-99 as 19YY.

    Raises:
        ValueError: not 6 or 8 digits, or not a calendar date.
    """
    text = text.strip()
    if not text.isdigit() or len(text) not in (6, 8):
        raise ValueError(f"{text!r} is not a date of 6 (YYMMDD) or 8 (YYYYMMDD) digits")
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        month, day = int(text[2:4]), int(text[4:6])
    else:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a calendar date") from None


# -- reading ------------------------------------------------------------------------------------

_CODE_TEXT = re.compile(r"[A-Za-z0-9]{3,}(?:/[A-Za-z0-9]{3,})*|---")
_RESTRICTION = re.compile(
    r"^(?P<code>\S+?)\s*(?:"
    r"(?P<op>[<>])\s*(?P<date>\d+)"
    r"|(?P<start>\d+)\s*-\s*(?P<end>\d+)"
    r")?\s*$"
)
_DATE_HINT = (
    "write dates as YYYYMMDD (or YYMMDD), e.g. [USAGOV 20090120-20170120] or [USAGOV >20090120]"
)


def _content_lines(path: Path, problems: list[Problem]) -> list[tuple[int, str]]:
    """The numbered lines of a dictionary with comments removed and blank lines dropped.

    Comments: ``#`` and (legacy KEDS/TABARI) ``;`` to the end of the line, and
    ``<!-- ... -->``, which may span lines. A ``<!--`` that is never closed is reported.
    """
    out: list[tuple[int, str]] = []
    opened_at: int | None = None
    for number, line in enumerate(_read_lines(path), start=1):
        if opened_at is not None:
            if "-->" not in line:
                continue
            line = line.split("-->", 1)[1]
            opened_at = None
        while "<!" in line:
            before, _, after = line.partition("<!")
            if "-->" in after:
                line = before + after.split("-->", 1)[1]
            else:
                line, opened_at = before, number
                break
        line = re.split(r"[#;]", line, maxsplit=1)[0].rstrip()
        if line.strip():
            out.append((number, line))
    if opened_at is not None:
        problems.append(
            Problem(
                path.name,
                opened_at,
                "a '<!--' comment is never closed: the rest of the file was skipped",
                "close the comment with '-->'",
            )
        )
    return out


def _brackets(text: str, where: tuple[str, int], problems: list[Problem]) -> tuple[str, list[str]]:
    """Split text into the part before the first '[' and the contents of each [...].

    A bracket that is not closed makes the whole line unreadable (``("", [])``, a problem);
    text after the last code is ignored with a warning.
    """
    file, line = where
    head, bracket, rest = text.partition("[")
    if not bracket:
        if "]" in head:
            problems.append(
                Problem(file, line, f"']' without '[' in {text.strip()!r}", "write codes as [CODE]")
            )
            return "", []
        return head, []
    contents: list[str] = []
    chunk = (bracket + rest).strip()
    while chunk:
        if not chunk.startswith("["):
            problems.append(
                Problem(
                    file,
                    line,
                    f"text after the codes ignored: {chunk!r}",
                    "start comments with '#'",
                    skipped=False,
                )
            )
            break
        match = re.match(r"\[([^\[\]{}]*)\]", chunk)
        if not match:
            problems.append(
                Problem(
                    file,
                    line,
                    f"unbalanced or mistyped bracket in {chunk!r}",
                    "close each code with ']' (not '}' or ')'), e.g. [USAGOV]",
                )
            )
            return "", []
        contents.append(match.group(1))
        chunk = chunk[match.end() :].strip()
    return head, contents


def _parse_code(content: str, where: tuple[str, int], problems: list[Problem]) -> list[CodeSpec]:
    """Parse the inside of one actor code bracket ("USAGOV >20090120")."""
    file, line = where
    match = _RESTRICTION.match(content.strip())
    if not match:
        problems.append(
            Problem(
                file,
                line,
                f"cannot read the code [{content.strip()}]",
                "write [CODE], [CODE >DATE], [CODE <DATE] or [CODE START-END]; " + _DATE_HINT,
            )
        )
        return []
    raw = match.group("code")
    if not _CODE_TEXT.fullmatch(raw):
        problems.append(
            Problem(
                file,
                line,
                f"{raw!r} is not an actor code",
                "codes are letters and digits in groups of three (USAGOV), or --- for "
                "'recognise but do not code'",
            )
        )
        return []
    if raw != raw.upper():
        problems.append(
            Problem(
                file,
                line,
                f"code {raw!r} is not upper case; imported as {raw.upper()!r}",
                "write codes in upper case",
                skipped=False,
            )
        )
    start = end = None
    try:
        if match.group("op") == ">":
            start = parse_tabari_date(match.group("date"))
        elif match.group("op") == "<":
            end = parse_tabari_date(match.group("date"))
        elif match.group("start"):
            start = parse_tabari_date(match.group("start"))
            end = parse_tabari_date(match.group("end"))
    except ValueError as exc:
        problems.append(Problem(file, line, f"code [{content.strip()}]: {exc}", _DATE_HINT))
        return []
    if start and end and end < start:
        fixed = None
        if len(match.group("start") or "") == 6 and start.year >= 2000:
            # TABARI's pivot reads 00-30 as 20YY; in a range ending earlier the start can
            # only be 19YY (e.g. a career that began in 1925 and ended in 1978).
            candidate = start.replace(year=start.year - 100)
            if candidate <= end:
                fixed = candidate
        if fixed is None:
            problems.append(
                Problem(
                    file,
                    line,
                    f"code [{content.strip()}]: the range ends ({end}) before it starts ({start})",
                    "swap the two dates, or write four-digit years",
                )
            )
            return []
        problems.append(
            Problem(
                file,
                line,
                f"code [{content.strip()}]: start read as {fixed}, not {start}, which is after "
                "the end",
                "write four-digit years (YYYYMMDD) for dates before 1931",
                skipped=False,
            )
        )
        start = fixed
    return [CodeSpec(part, start, end, line) for part in raw.upper().split("/")]


def _phrase(text: str, line: int) -> _Phrase | None:
    text = text.strip()
    exact = text.endswith("_")
    words = [w for w in re.split(r"[_\s]+", text) if w]
    if not words:
        return None
    return _Phrase(" ".join(words), exact, line)


def _read_lines(path: Path) -> list[str]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DictionaryError(f"{path}: no such file", hint="check the path") from None
    except OSError as exc:
        raise DictionaryError(
            f"{path}: cannot be read ({exc.strerror})", hint="check the path and permissions"
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # Some TABARI-era files are Latin-1; every byte decodes, so nothing is lost.
        text = raw.decode("latin-1")
    return text.splitlines()


def read_actor_file(path: str | Path) -> tuple[list[_ActorEntry], list[Problem]]:
    """Read a PETRARCH/TABARI actor dictionary into entries (phrases + codes) and problems.

    As in PETRARCH, consecutive entry lines without a code share the codes that follow them
    (the Phoenix files list a person's spellings that way). An entry still without a code
    when the next coded entry or the file ends is dropped with a problem; so is a synonym or
    code line before any entry.
    """
    file = Path(path)
    name = file.name
    problems: list[Problem] = []
    entries: list[_ActorEntry] = []
    current: _ActorEntry | None = None
    dropped = False  # the last entry line could not be read

    def close(entry: _ActorEntry | None) -> None:
        if entry is None:
            return
        if entry.codes:
            entries.append(entry)
        elif not entry.bracketed:  # (an unreadable code was reported already)
            problems.append(
                Problem(
                    name,
                    entry.line,
                    f"entry {entry.phrases[0].text!r} has no code",
                    "give it a code in brackets, e.g. [USA], or put codes on the indented "
                    "lines below it",
                )
            )

    for number, text in _content_lines(file, problems):
        where = (name, number)
        stripped = text.strip()
        is_code_line = stripped.startswith("[")
        is_synonym = stripped.startswith("+")
        if (is_code_line or is_synonym) and current is None:
            if dropped:
                continue  # belongs to an entry line skipped above (reported there)
            problems.append(
                Problem(
                    name,
                    number,
                    f"{'code' if is_code_line else 'synonym'} line {stripped!r} before any entry",
                    "put it under the entry it belongs to",
                )
            )
            continue
        if is_code_line:
            assert current is not None
            _, contents = _brackets(stripped, where, problems)
            current.bracketed = True
            for content in contents:
                current.codes.extend(_parse_code(content, where, problems))
            continue
        if is_synonym:
            assert current is not None
            head, contents = _brackets(stripped[1:], where, problems)
            parts = head.split("+")
            if len(parts) > 1:
                problems.append(
                    Problem(
                        name,
                        number,
                        f"'+' inside the synonym {head.strip()!r}; read as {len(parts)} synonyms",
                        "put each synonym on its own line",
                        skipped=False,
                    )
                )
            for part in parts:
                phrase = _phrase(part, number)
                if phrase is not None:
                    current.phrases.append(phrase)
            current.bracketed |= bool(contents)
            for content in contents:
                current.codes.extend(_parse_code(content, where, problems))
            continue
        # An entry line: a phrase, optionally followed by codes. When it cannot be read, its
        # synonym and code lines are dropped with it rather than given to the entry above.
        count = len(problems)
        if "{" in stripped or "}" in stripped:
            problems.append(
                Problem(
                    name,
                    number,
                    f"braces in the actor phrase {stripped!r}",
                    "braces (plurals) belong in agent dictionaries; remove them",
                )
            )
            head, contents = "", []
        else:
            head, contents = _brackets(stripped, where, problems)
        phrase = _phrase(head, number)
        if phrase is None or (len(problems) > count and not contents):
            if phrase is None and len(problems) == count:
                problems.append(
                    Problem(
                        name, number, "codes without a phrase", "write the phrase before [CODE]"
                    )
                )
            close(current)
            current, dropped = None, True
            continue
        dropped = False
        if current is not None and not current.codes and not current.bracketed:
            current.phrases.append(phrase)  # shares the codes to come (see docstring)
            problems.append(
                Problem(
                    name,
                    number,
                    f"entry {phrase.text!r} follows {current.phrases[0].text!r}, which has no "
                    "code yet: both share the codes below (as PETRARCH reads it)",
                    "mark it as a synonym with a leading '+', or give the entry above a code",
                    skipped=False,
                )
            )
        else:
            close(current)
            current = _ActorEntry([phrase], [], number)
        current.bracketed |= bool(contents)
        for content in contents:
            current.codes.extend(_parse_code(content, where, problems))
    close(current)
    return entries, problems


_MACRO = re.compile(r"^\s*(![A-Za-z]+!)\s*=\s*(.+)$")
_AGENT_CODE = re.compile(r"^(~)?([A-Za-z]{3,})(~)?$")


def read_agent_file(path: str | Path) -> tuple[list[SectorRow], list[Problem], int]:
    """Read a PETRARCH agent dictionary into sector rows; returns rows, problems and the
    number of agent lines read. Duplicate phrases keep their first sector."""
    file = Path(path)
    name = file.name
    problems: list[Problem] = []
    macros: dict[str, list[str]] = {}
    rows: list[SectorRow] = []
    seen: dict[str, str] = {}
    lines_read = 0
    for number, line in _content_lines(file, problems):
        text = line.strip()
        macro = _MACRO.match(text)
        if macro:
            macros[macro.group(1).upper()] = [
                w.strip() for w in macro.group(2).split(",") if w.strip()
            ]
            continue
        # Braces hold plurals here, so only square brackets delimit the code.
        head, sep, rest = text.partition("[")
        if not sep or not rest.rstrip().endswith("]") or "[" in rest or "]" in rest[:-1]:
            problems.append(
                Problem(
                    name,
                    number,
                    f"cannot find one [CODE] at the end of {text!r}",
                    "end the line with the agent code in square brackets, e.g. PEASANT [~AGR]",
                )
            )
            continue
        raw_code = rest.rstrip()[:-1].strip()
        code_match = _AGENT_CODE.match(raw_code)
        if not code_match or bool(code_match.group(1)) == bool(code_match.group(3)):
            problems.append(
                Problem(
                    name,
                    number,
                    f"{raw_code!r} is not an agent code",
                    "write ~CODE (added after the actor's code) or CODE~ (before it), e.g. [~GOV]",
                )
            )
            continue
        letters = code_match.group(2).upper()
        sector = _agent_sector(letters)
        if sector is None:
            problems.append(
                Problem(
                    name,
                    number,
                    f"agent code {raw_code!r} has no realpolitik sector",
                    "realpolitik sectors: " + " ".join(sorted(SECTORS)),
                )
            )
            continue
        plurals: list[str] = []
        phrase_text = head
        brace = re.search(r"\{([^{}]*)\}", head)
        if brace:
            plurals = [p for p in brace.group(1).split(",") if p.strip()]
            phrase_text = head[: brace.start()] + head[brace.end() :]
        if "{" in phrase_text or "}" in phrase_text:
            problems.append(
                Problem(name, number, f"unbalanced braces in {head.strip()!r}", "write {PLURAL}")
            )
            continue
        try:
            phrases = _expand(phrase_text, macros) + [
                p for plural in plurals for p in _expand(plural, macros)
            ]
        except KeyError as exc:
            problems.append(
                Problem(
                    name,
                    number,
                    f"substitution marker {exc.args[0]} is not defined",
                    "define it before use, e.g. !PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON",
                )
            )
            continue
        if not phrases:
            problems.append(
                Problem(name, number, "a code without a phrase", "write PHRASE [~CODE]")
            )
            continue
        lines_read += 1
        note = f"PETRARCH [{raw_code.upper()}] {name}:{number}"
        for phrase in phrases:
            previous = seen.get(phrase)
            if previous is not None:
                if previous != sector:
                    problems.append(
                        Problem(
                            name,
                            number,
                            f"{phrase!r} is already {previous}; {sector} ignored",
                            "give each agent phrase one code",
                            skipped=False,
                        )
                    )
                continue
            seen[phrase] = sector
            rows.append(SectorRow(phrase, sector, _agent_kind(phrase), note))
    return rows, problems, lines_read


def _agent_sector(letters: str) -> str | None:
    first = letters[:3]
    if first in SECTORS:
        return first
    if first in _SECTOR_SYNONYMS:
        return _SECTOR_SYNONYMS[first]
    if first in _RELIGIONS:
        return "REL"
    return None


def _expand(text: str, macros: dict[str, list[str]]) -> list[str]:
    """All phrases a pattern stands for, lower case with single spaces."""
    variants = [text]
    while any("!" in v for v in variants):
        expanded = []
        for variant in variants:
            marker = re.search(r"![A-Za-z]+!", variant)
            if marker is None:
                expanded.append(variant.replace("!", ""))
                continue
            key = marker.group(0).upper()
            if key not in macros:
                raise KeyError(key)
            expanded.extend(
                variant[: marker.start()] + word + variant[marker.end() :] for word in macros[key]
            )
        variants = expanded
    out: list[str] = []
    for variant in variants:
        words = [w for w in re.split(r"[_\s]+", variant.casefold()) if w]
        phrase = " ".join(words)
        if phrase and phrase not in out:
            out.append(phrase)
    return out


# Heads of agent phrases that name organizations although they end like person nouns.
_ORG_HEADS = frozenset(
    {
        *("sector", "center", "centre", "border", "headquarters", "order", "chamber"),
        *(
            "newspaper",
            "paper",
            "press",
            "computer",
            "tanker",
            "freighter",
            "carrier",
            "supertanker",
        ),
        *("container", "containership", "jumbojet", "oiler", "register", "cluster"),
    }
)
_PERSON_SUFFIXES = (
    *("er", "or", "ist", "ian", "man", "men", "woman", "women", "person", "people", "ee"),
    *("ive", "arch", "at", "ic", "iff", "ain", "ess", "ier", "eer", "ate", "boy", "girl"),
    *("child", "children", "youth", "hood", "cal"),
)
_PERSON_HEADS = frozenset(
    {
        *("boss", "chief", "head", "king", "queen", "prince", "princess", "ceo", "cfo"),
        *("envoy", "deputy", "secretary", "attorney", "attache", "emir", "sheikh", "shah"),
        *("imam", "ayatollah", "mullah", "monk", "nun", "pope", "rabbi", "priest", "guru"),
        *("chair", "speaker", "judge", "mayor", "governor", "general", "colonel", "major"),
        *("captain", "admiral", "marshal", "sergeant", "corporal", "private", "guard"),
        *("staff", "crew", "police", "troops", "troop", "militia", "rebel", "rebels", "mob"),
        *("gang", "cadre", "delegate", "aide", "nominee", "mp", "mep", "dignitary"),
        *("spy", "agent", "thug", "bandit", "jihadi", "elite", "elites", "ally", "kin"),
    }
)
_PREPOSITIONS = frozenset({"of", "for", "on", "in", "at", "to", "with", "from", "de"})


def _agent_kind(phrase: str) -> Literal["title", "org_noun"]:
    """Whether an agent phrase names a person's role (``title``) or a body (``org_noun``).

    PETRARCH does not say; the head word decides: the word before the first preposition
    ("minister for defence" -> minister), else the last word. A heuristic, documented.
    """
    words = phrase.split()
    head = words[-1]
    for index, word in enumerate(words):
        if index and word in _PREPOSITIONS:
            head = words[index - 1]
            break
    if head in _ORG_HEADS:
        return "org_noun"
    if head in _PERSON_HEADS:
        return "title"
    if head.endswith(("ment", "ments", "ry", "ries")):
        return "org_noun"
    if head.endswith(_PERSON_SUFFIXES) or head.endswith(("ant", "ants", "ent", "ents")):
        return "title"
    if head.endswith("s") and head[:-1].endswith(_PERSON_SUFFIXES):
        return "title"
    return "org_noun"


# -- converting ---------------------------------------------------------------------------------

_NUMERALS = frozenset({"II", "III", "IV"})


def _display_name(phrase: str) -> str:
    """Title-case an upper-case PETRARCH name ("ABU_AL-MUNTASIR" -> "Abu Al-Muntasir")."""

    def word(w: str) -> str:
        if w in _NUMERALS or ("." in w and all(len(p) <= 1 for p in w.split("."))):
            return w  # "II", initials "B." and "U.S." keep their capitals
        out = []
        capital = True
        for i, ch in enumerate(w):
            out.append(ch.upper() if capital else ch.lower())
            # Capitalise after a hyphen, and after O'/D'/L' but not in a possessive 'S.
            capital = ch == "-" or (ch == "'" and i == 1)
        return "".join(out)

    return " ".join(word(w) for w in phrase.split())


def _name_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


# Words that mark a phrase as the name of a body or an office, not of a person, even when it
# shares a person's dated codes ("GORBACHEV_ADMINISTRATION", "POLITBURO_OF_THE_...").
_BODY_WORDS = frozenset(
    {
        *("ADMINISTRATION", "AGENCY", "ALLIANCE", "ARMY", "ASSEMBLY", "ASSOCIATION", "BANK"),
        *("BATTALION", "BRIGADE", "BRIGADES", "BUREAU", "CABINET", "COALITION", "COMMISSION"),
        *("COMMITTEE", "COMPANY", "CONGRESS", "CORPORATION", "CORPS", "COUNCIL", "COURT"),
        *("DEPARTMENT", "DIVISION", "EMBASSY", "FACTION", "FORCE", "FORCES", "FOUNDATION"),
        *("FRONT", "GOVERNMENT", "GROUP", "GUARD", "GUARDS", "INSTITUTE", "JUNTA", "LEAGUE"),
        *("MILITIA", "MINISTRY", "MISSION", "MOVEMENT", "NAVY", "OFFICE", "ORGANISATION"),
        *("ORGANIZATION", "PARLIAMENT", "PARTY", "POLICE", "POLITBURO", "REGIME", "REPUBLIC"),
        *("SECRETARIAT", "SENATE", "TRIBUNAL", "UNION", "UNIVERSITY"),
    }
)


def _is_body_phrase(phrase: str) -> bool:
    return any(word.strip(".,()'") in _BODY_WORDS for word in phrase.upper().split())


def _people_of(
    entry: _ActorEntry, source: str
) -> tuple[list[_PersonOut], list[tuple[CodeSpec, list[_Phrase]]]]:
    """Split an entry into people (one per country of its dated role codes) and the
    (code, phrases) pairs left for the actors table.

    Dated codes of a country with a sector are roles of the people named by the entry's
    person-like phrases; phrases naming a body (:data:`_BODY_WORDS`), and every phrase of an
    entry whose default code is a company's (``MNC``), get all the codes in the actors table.
    """
    # An undated company code (a default [MNCNLD]) marks the whole entry as a company,
    # whatever its dated codes. (IGO and NGO defaults do not: officials move to such bodies.)
    organization = any(not s.dated and s.code.startswith("MNC") for s in entry.codes)
    person_phrases = [p for p in entry.phrases if not organization and not _is_body_phrase(p.text)]
    body_phrases = [p for p in entry.phrases if p not in person_phrases]
    by_country: dict[str, list[CodeSpec]] = {}
    rest: list[tuple[CodeSpec, list[_Phrase]]] = []
    for spec in entry.codes:
        country = code_country(spec.code)
        sector = code_sector(spec.code)
        if (
            person_phrases
            and spec.dated
            and country is not None
            and country in _ISO3
            and sector is not None
        ):
            by_country.setdefault(country, []).append(spec)
            if body_phrases:
                rest.append((spec, body_phrases))
        else:
            rest.append((spec, entry.phrases))
    people = []
    names = [_display_name(p.text) for p in person_phrases]
    for country, specs in by_country.items():
        roles = []
        for spec in specs:
            sector = code_sector(spec.code)
            assert sector is not None  # checked above
            roles.append((spec.code, sector, spec.start or OPEN_START, spec.end))
        people.append(_PersonOut(names[0], country, names[1:], roles, source))
    return people, rest


def import_petrarch(
    paths: Sequence[str | Path], *, kinds: Sequence[FileKind | None] | None = None
) -> PetrarchImport:
    """Import PETRARCH/TABARI dictionaries (actor and agent files, in any mix).

    ``kinds`` gives each file's kind ("actors" or "agents"); None (the default) guesses it:
    a file whose codes mostly carry '~' is an agent file.

    People with the same name (compared ignoring case, accents and punctuation) and country
    are merged, also across files. Raises :class:`DictionaryError` only for a file that
    cannot be read at all; bad lines become :class:`Problem` s.
    """
    result = PetrarchImport()
    people: dict[tuple[str, str], _PersonOut] = {}
    for index, path in enumerate(paths):
        began = time.perf_counter()
        file = Path(path)
        kind = (kinds[index] if kinds is not None else None) or guess_kind(file)
        report = FileReport(str(file), kind)
        if kind == "agents":
            rows, problems, lines_read = read_agent_file(file)
            result.sectors.extend(rows)
            report.entries = lines_read
            report.phrases = report.sector_rows = report.codes = len(rows)
        else:
            entries, problems = read_actor_file(file)
            for entry in entries:
                source = f"{file.name}:{entry.line}"
                found, rest = _people_of(entry, source)
                report.entries += 1
                report.phrases += len(entry.phrases)
                report.codes += len(entry.codes)
                if found:
                    report.people += 1
                for person in found:
                    report.roles += len(person.roles)
                    key = (_name_key(person.name), person.country)
                    if key in people:
                        merged = people[key]
                        for alias in person.aliases:
                            if alias not in merged.aliases:
                                merged.aliases.append(alias)
                        merged.roles.extend(r for r in person.roles if r not in merged.roles)
                    else:
                        people[key] = person
                        result.people.append(person)
                for spec, phrases in rest:
                    for phrase in phrases:
                        result.actors.append(
                            ActorRow(
                                phrase.text,
                                spec.code,
                                code_country(spec.code),
                                code_sector(spec.code),
                                spec.start,
                                spec.end,
                                "word" if phrase.exact else "prefix",
                                source,
                            )
                        )
                        report.actor_rows += 1
        report.skipped = sum(1 for p in problems if p.skipped)
        report.warnings = len(problems) - report.skipped
        report.seconds = time.perf_counter() - began
        result.problems.extend(problems)
        result.reports.append(report)
    return result


def guess_kind(path: str | Path) -> FileKind:
    """ "agents" when most bracketed codes of the file carry '~', else "actors"."""
    tilde = plain = 0
    for _, line in _content_lines(Path(path), []):
        for content in re.findall(r"\[([^\[\]]*)\]", line):
            if "~" in content:
                tilde += 1
            else:
                plain += 1
    return "agents" if tilde > plain else "actors"


# -- writing ------------------------------------------------------------------------------------


def _people_yaml(people: Iterable[_PersonOut]) -> str:
    data = []
    for person in people:
        entry: dict[str, object] = {"name": person.name}
        if person.aliases:
            entry["aliases"] = list(person.aliases)
        entry["country"] = person.country
        roles = []
        for title, sector, start, end in person.roles:
            role: dict[str, str] = {"title": title, "sector": sector, "start": start.isoformat()}
            if end is not None:
                role["end"] = end.isoformat()
            roles.append(role)
        entry["roles"] = roles
        data.append(entry)
    header = (
        "# Imported from PETRARCH/TABARI dictionaries (realpolitik dictionary import-petrarch).\n"
        "# Role titles are the CAMEO codes of the source; see docs/dictionary.md.\n"
    )
    # The C emitter (when PyYAML has it) is about ten times faster on a national dictionary.
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = (
        yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)
        if data
        else "[]\n"
    )
    return header + body


def _people_csv(people: Iterable[_PersonOut]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["name", "aliases", "country", "title", "sector", "start", "end"])
    for person in people:
        # A '|' would split an alias in two; PETRARCH phrases never hold one in practice.
        aliases = "|".join(a for a in person.aliases if "|" not in a)
        for title, sector, start, end in person.roles:
            writer.writerow(
                [
                    person.name,
                    aliases,
                    person.country,
                    title,
                    sector,
                    start.isoformat(),
                    end.isoformat() if end else "",
                ]
            )
    return buf.getvalue()


def _table(rows: Iterable[dict[str, str]], columns: Sequence[str], delimiter: str) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        if delimiter == "\t":
            # sectors.tsv is read by splitting on tabs, so cells must not hold any.
            row = {k: v.replace("\t", " ") for k, v in row.items()}
        writer.writerow(row)
    return buf.getvalue()


def write_import(
    result: PetrarchImport,
    out: str | Path,
    *,
    actors_out: str | Path | None = None,
    sectors_out: str | Path | None = None,
) -> list[Path]:
    """Write the three tables; returns the paths written.

    ``out`` (``.yaml``/``.yml`` or ``.csv``) receives the people. The actors table goes to
    ``actors_out`` (default: ``out`` with the suffix ``.actors.csv``) and the sectors table
    to ``sectors_out`` (default ``.sectors.tsv``; a ``.csv`` name writes commas). A table
    with no rows is not written.
    """
    people_path = Path(out)
    suffix = people_path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".csv"):
        raise DictionaryError(
            f"{people_path}: cannot tell the output format from the file name",
            hint="name the output *.yaml, *.yml or *.csv",
        )
    stem = people_path.with_suffix("")
    actors_path = Path(actors_out) if actors_out else stem.with_name(stem.name + ".actors.csv")
    sectors_path = Path(sectors_out) if sectors_out else stem.with_name(stem.name + ".sectors.tsv")
    written = []
    if result.people or not (result.actors or result.sectors):
        text = _people_csv(result.people) if suffix == ".csv" else _people_yaml(result.people)
        people_path.write_text(text, encoding="utf-8")
        written.append(people_path)
    if result.actors:
        delimiter = "\t" if actors_path.suffix.lower() == ".tsv" else ","
        actors_path.write_text(
            _table((r.to_row() for r in result.actors), ACTOR_COLUMNS, delimiter),
            encoding="utf-8",
        )
        written.append(actors_path)
    if result.sectors:
        delimiter = "," if sectors_path.suffix.lower() == ".csv" else "\t"
        rows = (
            {"phrase": r.phrase, "sector": r.sector, "kind": r.kind, "note": r.note}
            for r in result.sectors
        )
        sectors_path.write_text(_table(rows, SECTOR_COLUMNS, delimiter), encoding="utf-8")
        written.append(sectors_path)
    return written
