"""Gazetteer: the states, organizations and role nouns realpolitik recognises by name.

Three packaged tables (``actors/data/*.tsv``, tab-separated, header row, list cells
``|``-separated) are loaded once and cached:

* ``countries.tsv`` — ``iso3 name aliases adjectives capitals metonyms``; one row per ISO
  3166-1 country or territory plus Kosovo (``XKX``). Built by ``scripts/build_countries.py``.
  Metonyms are ``phrase:SECTOR`` ("Kremlin:GOV", "Pentagon:MIL").
* ``organizations.tsv`` — ``code name aliases kind country sector``; ``kind`` is one of
  :data:`ORG_KINDS`. Codes are CAMEO-style: intergovernmental bodies ``IGO`` + optional
  region/function segments + a three-letter body (``IGOUNO``, ``IGOWSTNAT``,
  ``IGOUNOHLHWHO``); transnational NGOs ``NGO`` + sector + body (``NGOHRIAMN``);
  transnational armed groups ``IMG`` + body (``IMGISI``); national bodies country + sector
  (``USAMED``, ``KORSPY``). Codes are not unique; an organization is identified by its name.
  ``sector`` is the sector a member of the body gets: ``IGO`` for most intergovernmental
  bodies, ``JUD``/``LEG``/``COP``/``MIL`` for courts, parliaments, police bodies and
  military missions; a ruling party of a one-party state is ``GOV`` (CAMEO counts governing
  parties as government), other parties ``PTY``.
* ``sectors.tsv`` — ``phrase sector kind note``; ``kind`` is ``title`` ("foreign minister")
  or ``org_noun`` ("foreign ministry", "university").

Case policy. A phrase is *case-sensitive* (matched only as written, after unifying quotes,
dashes and spaces) when it

1. has no lowercase letter (``US``, ``U.S.``, ``ROK``, ``G7``, ``WHO``), or
2. contains a mixed-case word with a capital after its first letter (``LeT``, ``AfDB``,
   ``BiH``), or
3. is an ordinary English word or phrase in lowercase (:data:`COMMON_WORD_PHRASES`:
   "Turkey", "Diet", "Congress", "Quad", "Polish", "White House").

Every other phrase is matched case-insensitively through :func:`normalize`. So "us" never
means the United States, "Congress" (capitalised) is the U.S. legislature while "a party
congress" is not, and "NORTH KOREA" in a headline still matches. The price: an all-caps
headline "LET US" contains the case-sensitive "US"; callers should not run the gazetteer
over all-caps lines without care, and "TURKEY" in such a line is not matched.

Conflicts. When one key denotes two different entities, :data:`RESOLUTIONS` decides
(or drops the phrase, value ``None``); :func:`conflicts` lists every such case and a test
requires each to be documented. Phrases whose other readings lie outside the tables are
listed in :data:`KNOWN_AMBIGUITIES` with the reading chosen (e.g. "Georgia" is the country,
not the U.S. state; bare "Korea"/"Korean" are South Korea).

Roles. :func:`role_sector` maps a role phrase to a sector by the longest listed phrase it
contains (ties go to the rightmost, English heads being final). A role preceded by
"former", "ex-", "retired", "onetime" or "erstwhile" is ``ELI``: CAMEO codes former
officials (and retired officers) as elites, whatever their old sector. "then-" is not a
former marker ("then-president" held the office at the time).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Literal

from realpolitik.errors import DictionaryError

__all__ = [
    "COMMON_WORD_PHRASES",
    "KNOWN_AMBIGUITIES",
    "NON_ACTOR_PHRASES",
    "ORG_KINDS",
    "RESOLUTIONS",
    "SECTORS",
    "Conflict",
    "CountryEntry",
    "GazetteerHit",
    "OrgEntry",
    "RoleMatch",
    "SectorEntry",
    "conflicts",
    "countries",
    "country",
    "is_case_sensitive",
    "is_non_actor",
    "lookup",
    "match_role",
    "normalize",
    "organizations",
    "phrase_index",
    "phrase_key",
    "role_sector",
    "sectors",
    "surface_hits",
]

HitKind = Literal["state", "organization"]
Column = Literal["name", "alias", "adjective", "capital", "metonym"]
SectorKind = Literal["title", "org_noun"]

#: CAMEO-style sector codes the tables may use.
SECTORS: frozenset[str] = frozenset(
    {
        *("GOV", "MIL", "LEG", "JUD", "OPP", "PTY", "REB", "INS", "SEP", "COP", "SPY"),
        *("MED", "EDU", "BUS", "MNC", "NGO", "IGO", "ELI", "CVL", "HLH", "REF", "LAB"),
        *("AGR", "CRM", "UAF", "REL", "ENV", "HRI", "DEV", "SET", "MOD", "RAD"),
    }
)

#: Values of the ``kind`` column of ``organizations.tsv``.
ORG_KINDS: tuple[str, ...] = (
    "igo",
    "ngo",
    "media",
    "edu",
    "party",
    "company",
    "rebel",
    "government",
)

#: Normalized forms of listed phrases that are also ordinary lowercase English: these are
#: matched case-sensitively (see the module docstring, rule 3).
COMMON_WORD_PHRASES: frozenset[str] = frozenset(
    {
        # countries, adjectives, capitals, aliases
        "turkey",
        "guinea",
        "jersey",
        "guernsey",
        "reunion",
        "polish",
        "kiwi",
        "cayenne",
        "west bank",
        # seats of power
        "diet",
        "congress",
        "capitol",
        "pentagon",
        "white house",
        "blue house",
        "state department",
        "foreign office",
        "south block",
        "number 10",
        "no 10",
        "beehive",
        # organizations
        "quad",
        "fed",
        "commonwealth",
        "amnesty",
        "crisis group",
        "guardian",
        "the guardian",
        "the economist",
        "the hill",
        "the telegraph",
        "arab news",
        "state council",
        "security council",
        "general assembly",
        "human rights council",
        "red cross",
        "union state",
        "pacific alliance",
        "pacific community",
        "world vision",
        "save the children",
        "global witness",
        "islamic state",
        "islamic jihad",
        "revolutionary guards",
        "self defense forces",
    }
)

#: Deliberate choices for phrases listed for more than one entity, keyed by the phrase as
#: written; the value is the winning target (``GazetteerHit.target``) or ``None`` to drop
#: the phrase as too ambiguous to code without context.
RESOLUTIONS: Mapping[str, str | None] = MappingProxyType(
    {
        # News style (AP, Reuters headlines) uses bare "Congo" for the larger DRC; the
        # Republic of the Congo is "Congo Republic"/"Congo-Brazzaville".
        "Congo": "state:COD",
        "Congolese": "state:COD",
        # Dominica's demonym is spelled like the Dominican Republic's; the latter is far
        # more frequent in news.
        "Dominican": "state:DOM",
        # Sudan's Rapid Support Forces dominate current usage; Reporters Without Borders
        # keeps its full names.
        "RSF": "org:Rapid Support Forces",
        # Taiwan's Central News Agency and Singapore's CNA: both frequent, no default.
        "CNA": None,
        # South Korea's and Israel's national-security institutes share the abbreviation.
        "INSS": None,
        # Japan's Self-Defense Forces and the Syrian Democratic Forces.
        "SDF": None,
        # Press Trust of India and Pakistan Tehreek-e-Insaf.
        "PTI": None,
    }
)

#: Phrases whose other readings are not in the tables, with the reading chosen and why.
KNOWN_AMBIGUITIES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "Georgia": ("state:GEO", "the country; the U.S. state is not in the gazetteer"),
        "Korea": ("state:KOR", "bare Korea is South Korea; the DPRK is always 'North'"),
        "Korean": ("state:KOR", "as for Korea; 'North Korean' is listed for PRK"),
        "Washington": ("state:USA", "the U.S. government, not the state or a person"),
        "America": ("state:USA", "the United States, not the continent"),
        "Macedonia": ("state:MKD", "North Macedonia, not the Greek region"),
        "Jordan": ("state:JOR", "the country; a person named Jordan is the caller's call"),
        "Brussels": ("state:BEL", "Belgium's capital; EU use needs context"),
        "Congress": ("state:USA", "capitalised Congress is the U.S. legislature"),
        "Diet": ("state:JPN", "capitalised Diet is Japan's parliament"),
        "Security Council": ("org:United Nations Security Council", "the UN organ"),
    }
)

#: Places and fixed expressions that contain a listed phrase but name no actor ("Korean
#: Peninsula" holds "Korean", "New South Wales" holds "Wales"). A matcher that prefers the
#: longest match should also match these and then discard them.
NON_ACTOR_PHRASES: frozenset[str] = frozenset(
    {
        "Korean Peninsula",
        "Korean War",
        "South China Sea",
        "East China Sea",
        "Sea of Japan",
        "Taiwan Strait",
        "Indian Ocean",
        "Indian subcontinent",
        "Latin America",
        "South America",
        "North America",
        "Central America",
        "Native American",
        "New Mexico",
        "New Jersey",
        "New Guinea",
        "New South Wales",
        "British Columbia",
        "Washington State",
        "Gulf of Mexico",
        "Irish Sea",
        "Congo River",
        "Congo Basin",
        "Niger River",
        "Jordan River",
        "Chinese New Year",
        "French fries",
        "Spanish flu",
        "Russian roulette",
        "Brussels sprouts",
        "Panama hat",
        "Panama Canal",
        "Georgia Tech",
    }
)

_COLUMN_RANK: Mapping[str, int] = MappingProxyType(
    {"name": 0, "alias": 1, "metonym": 2, "capital": 3, "adjective": 4}
)
_FORMER_MARKERS = frozenset({"former", "ex", "retired", "onetime", "erstwhile"})

# Typographic variants that must not split a key: curly quotes, primes, dashes.
_PUNCT = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u02bb": "'",
        "`": "'",
        "\u00b4": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_LETTER_RUN = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class CountryEntry:
    """One row of ``countries.tsv``."""

    iso3: str
    name: str
    aliases: tuple[str, ...]
    adjectives: tuple[str, ...]
    capitals: tuple[str, ...]
    metonyms: tuple[tuple[str, str], ...]  # (phrase, sector)


@dataclass(frozen=True, slots=True)
class OrgEntry:
    """One row of ``organizations.tsv``."""

    code: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    country: str | None
    sector: str


@dataclass(frozen=True, slots=True)
class SectorEntry:
    """One row of ``sectors.tsv``."""

    phrase: str
    sector: str
    kind: SectorKind
    note: str


@dataclass(frozen=True, slots=True)
class GazetteerHit:
    """What a surface phrase denotes."""

    phrase: str  # the phrase as written in the table
    kind: HitKind
    column: Column
    name: str  # canonical name of the state or organization
    country: str | None  # ISO alpha-3 (XKX for Kosovo)
    sector: str | None  # None for a state named as a whole ("Japan", "Japanese")
    code: str  # CAMEO-style actor code: KOR, KORGOV, IGOUNO, USAMED
    org_kind: str | None  # ORG_KINDS value for organizations
    case_sensitive: bool

    @property
    def target(self) -> str:
        """Identity of the denoted entity: ``state:ISO3`` or ``org:<name>``."""
        if self.kind == "state":
            return f"state:{self.country}"
        return f"org:{self.name}"


@dataclass(frozen=True, slots=True)
class Conflict:
    """A key listed for more than one entity, and what the index keeps for it."""

    key: str
    candidates: tuple[GazetteerHit, ...]
    chosen: GazetteerHit | None
    documented: bool  # False: no RESOLUTIONS entry, a default choice was made


@dataclass(frozen=True, slots=True)
class RoleMatch:
    """The sector phrase found in a role and the sector it yields."""

    entry: SectorEntry
    sector: str  # entry.sector, or ELI when the role is marked former
    former: bool


# ----------------------------------------------------------------------------- keys


def _unify(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_PUNCT)
    return " ".join(text.split())


def normalize(phrase: str) -> str:
    """Return the case-insensitive lookup key of ``phrase``.

    Accents are stripped, case folded, curly quotes and dashes unified, hyphens, commas and
    full stops removed or turned into spaces, ``&`` spelt ``and`` and whitespace collapsed,
    so "Côte d’Ivoire", "COTE D'IVOIRE" and "Cote d'Ivoire" share a key, as do
    "Secretary-General" and "secretary general", "St. Lucia" and "St Lucia".
    """
    text = phrase
    # casefold() and NFKD can each undo the other ("ŉ" folds to "ʼn", "㏆" decomposes to
    # "C∕kg"): repeat until stable so that normalize() is idempotent.
    for _ in range(4):
        folded = unicodedata.normalize("NFKD", text).casefold()
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
        if folded == text:
            break
        text = folded
    text = text.translate(_PUNCT).replace("&", " and ")
    text = text.replace(".", "").replace(",", " ").replace("-", " ")
    text = re.sub(r"\s+'", "'", text)  # "King 's" (token-joined text) == "King's"
    return " ".join(text.split())


def _is_mixed_case_word(word: str) -> bool:
    # "LeT", "AfDB", "BiH": a capital after the first letter next to lowercase letters.
    # All-caps words inside longer phrases ("UN" in "UN Security Council") do not count.
    return any(ch.isupper() for ch in word[1:]) and any(ch.islower() for ch in word)


def is_case_sensitive(phrase: str) -> bool:
    """Whether ``phrase`` must be matched as written (see the module docstring)."""
    letters = [ch for ch in phrase if ch.isalpha()]
    if not any(ch.isupper() for ch in letters):
        return False
    if not any(ch.islower() for ch in letters):
        return True
    if any(_is_mixed_case_word(word) for word in _LETTER_RUN.findall(phrase)):
        return True
    return normalize(phrase) in COMMON_WORD_PHRASES


def phrase_key(phrase: str) -> str:
    """The key of ``phrase`` in :func:`phrase_index`: as written if case-sensitive,
    else :func:`normalize`-d. The two kinds of key never collide: a case-sensitive key
    always holds a capital, a normalized one never does."""
    return _unify(phrase) if is_case_sensitive(phrase) else normalize(phrase)


# ---------------------------------------------------------------------------- tables


def _read_table(filename: str, header: tuple[str, ...]) -> Iterator[tuple[int, list[str]]]:
    text = files(__package__ or "realpolitik.actors").joinpath("data", *filename.split("/"))
    lines = text.read_text(encoding="utf-8").splitlines()
    if not lines or tuple(lines[0].split("\t")) != header:
        raise DictionaryError(
            f"{filename} line 1: unexpected header",
            hint=f"the first line must be the tab-separated names {', '.join(header)}",
        )
    for lineno, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) != len(header):
            raise DictionaryError(
                f"{filename} line {lineno}: {len(cells)} cells, expected {len(header)}",
                hint=f"separate the cells {', '.join(header)} with one tab each",
            )
        yield lineno, cells


def _split(cell: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in cell.split("|") if item.strip())


def _check_sector(sector: str, where: str) -> None:
    if sector not in SECTORS:
        raise DictionaryError(
            f"{where}: unknown sector {sector!r}", hint=f"use one of {' '.join(sorted(SECTORS))}"
        )


@cache
def countries() -> tuple[CountryEntry, ...]:
    """All rows of ``countries.tsv``, in file order."""
    header = ("iso3", "name", "aliases", "adjectives", "capitals", "metonyms")
    entries = []
    for lineno, (iso3, name, aliases, adjectives, capitals, metonyms) in _read_table(
        "countries.tsv", header
    ):
        where = f"countries.tsv line {lineno}"
        if not re.fullmatch(r"[A-Z]{3}", iso3) or not name:
            raise DictionaryError(
                f"{where}: bad iso3 {iso3!r} or empty name",
                hint="give an upper-case ISO 3166-1 alpha-3 code and a name",
            )
        pairs = []
        for item in _split(metonyms):
            phrase, _, sector = item.rpartition(":")
            _check_sector(sector, where)
            pairs.append((phrase, sector))
        entries.append(
            CountryEntry(
                iso3, name, _split(aliases), _split(adjectives), _split(capitals), tuple(pairs)
            )
        )
    return tuple(entries)


@cache
def _countries_by_iso3() -> Mapping[str, CountryEntry]:
    return MappingProxyType({entry.iso3: entry for entry in countries()})


def country(iso3: str) -> CountryEntry | None:
    """The ``countries.tsv`` row for an ISO alpha-3 code, or None."""
    return _countries_by_iso3().get(iso3)


@cache
def organizations() -> tuple[OrgEntry, ...]:
    """All rows of ``organizations.tsv`` and then of ``organizations/*.tsv`` (named groups by
    theme: armed groups, parties, media, think tanks, ...), in file order."""
    header = ("code", "name", "aliases", "kind", "country", "sector")
    folder = files(__package__ or "realpolitik.actors").joinpath("data", "organizations")
    names = ["organizations.tsv"]
    if folder.is_dir():
        names += sorted(
            f"organizations/{f.name}" for f in folder.iterdir() if f.name.endswith(".tsv")
        )
    entries = []
    for filename, lineno, (code, name, aliases, kind, iso3, sector) in (
        (table, lineno, cells) for table in names for lineno, cells in _read_table(table, header)
    ):
        where = f"{filename} line {lineno}"
        if kind not in ORG_KINDS:
            raise DictionaryError(f"{where}: kind {kind!r}", hint=f"use one of {ORG_KINDS}")
        if iso3 and country(iso3) is None:
            raise DictionaryError(
                f"{where}: country {iso3!r} is not in countries.tsv",
                hint="use an iso3 code listed there, or leave the cell empty",
            )
        _check_sector(sector, where)
        entries.append(OrgEntry(code, name, _split(aliases), kind, iso3 or None, sector))
    return tuple(entries)


@cache
def sectors() -> tuple[SectorEntry, ...]:
    """All rows of ``sectors.tsv``, in file order."""
    entries = []
    for lineno, (phrase, sector, kind, note) in _read_table(
        "sectors.tsv", ("phrase", "sector", "kind", "note")
    ):
        where = f"sectors.tsv line {lineno}"
        _check_sector(sector, where)
        if kind == "title":
            entries.append(SectorEntry(phrase, sector, "title", note))
        elif kind == "org_noun":
            entries.append(SectorEntry(phrase, sector, "org_noun", note))
        else:
            raise DictionaryError(f"{where}: kind {kind!r}", hint="use title or org_noun")
    return tuple(entries)


# ----------------------------------------------------------------------- phrase index


def _state_hits(entry: CountryEntry) -> Iterator[GazetteerHit]:
    def hit(phrase: str, column: Column, sector: str | None) -> GazetteerHit:
        code = entry.iso3 + (sector or "")
        return GazetteerHit(
            phrase,
            "state",
            column,
            entry.name,
            entry.iso3,
            sector,
            code,
            None,
            is_case_sensitive(phrase),
        )

    yield hit(entry.name, "name", None)
    for phrase in entry.aliases:
        yield hit(phrase, "alias", None)
    for phrase in entry.adjectives:
        yield hit(phrase, "adjective", None)
    # A capital in an actor slot stands for the government ("Seoul said").
    for phrase in entry.capitals:
        yield hit(phrase, "capital", "GOV")
    for phrase, sector in entry.metonyms:
        yield hit(phrase, "metonym", sector)


def _org_hits(entry: OrgEntry) -> Iterator[GazetteerHit]:
    for column, phrase in [("name", entry.name), *(("alias", a) for a in entry.aliases)]:
        yield GazetteerHit(
            phrase,
            "organization",
            "name" if column == "name" else "alias",
            entry.name,
            entry.country,
            entry.sector,
            entry.code,
            entry.kind,
            is_case_sensitive(phrase),
        )


@cache
def _build() -> tuple[Mapping[str, GazetteerHit], tuple[Conflict, ...], tuple[GazetteerHit, ...]]:
    """The tables, built once per process and kept on disk keyed by the contents of this
    module and its data files (:mod:`realpolitik.cache`): normalizing 11,000 phrases costs
    seconds."""
    from pathlib import Path

    from realpolitik.cache import cached_build

    data = Path(str(files(__package__ or "realpolitik.actors").joinpath("data")))
    sources = [
        Path(__file__),
        *sorted(data.glob("*.tsv")),
        *sorted(data.glob("organizations/*.tsv")),
    ]
    index, found, surfaces = cached_build("actor-gazetteer", sources, _build_tables, tuple)
    return MappingProxyType(index), found, surfaces


def _build_tables() -> tuple[
    dict[str, GazetteerHit], tuple[Conflict, ...], tuple[GazetteerHit, ...]
]:
    resolutions = {phrase_key(phrase): target for phrase, target in RESOLUTIONS.items()}
    grouped: dict[str, dict[str, GazetteerHit]] = {}
    hits = [h for e in countries() for h in _state_hits(e)]
    hits += [h for e in organizations() for h in _org_hits(e)]
    for hit in hits:
        by_target = grouped.setdefault(phrase_key(hit.phrase), {})
        current = by_target.get(hit.target)
        # The same entity listed twice (name and capital "Singapore"): keep the stronger
        # column; only different entities make a conflict.
        if current is None or _COLUMN_RANK[hit.column] < _COLUMN_RANK[current.column]:
            by_target[hit.target] = hit
    index: dict[str, GazetteerHit] = {}
    found: list[Conflict] = []
    surfaces: list[GazetteerHit] = []
    for key, by_target in grouped.items():
        candidates = tuple(by_target.values())
        if len(candidates) == 1:
            index[key] = candidates[0]
            continue
        documented = key in resolutions
        chosen: GazetteerHit | None
        if documented:
            target = resolutions[key]
            chosen = by_target.get(target) if target is not None else None
            if target is not None and chosen is None:
                raise DictionaryError(
                    f"RESOLUTIONS sends {key!r} to {target!r}, which does not list it",
                    hint="send it to one of " + ", ".join(h.target for h in candidates),
                )
        else:
            # Undocumented: states before organizations, then the stronger column.
            chosen = min(candidates, key=lambda h: (h.kind != "state", _COLUMN_RANK[h.column]))
        found.append(Conflict(key, candidates, chosen, documented))
        if chosen is not None:
            index[key] = chosen
    seen: set[tuple[str, str]] = set()
    for hit in hits:
        winner = index.get(phrase_key(hit.phrase))
        if winner is None or winner.target != hit.target or (hit.phrase, hit.target) in seen:
            continue
        seen.add((hit.phrase, hit.target))
        surfaces.append(hit)
    return index, tuple(found), tuple(surfaces)


def phrase_index() -> Mapping[str, GazetteerHit]:
    """Every surface phrase of the state and organization tables, keyed by
    :func:`phrase_key`, mapped to what it denotes. Read-only and cached."""
    return _build()[0]


def conflicts() -> tuple[Conflict, ...]:
    """Keys listed for more than one entity, with the choice :func:`phrase_index` made."""
    return _build()[1]


def surface_hits() -> tuple[GazetteerHit, ...]:
    """Every listed surface form, each with its own spelling and column, that survives
    conflict resolution ("Élysée" and "Elysee" both appear, though they share one key
    in :func:`phrase_index`). Use this to build a matcher over running text."""
    return _build()[2]


@cache
def _non_actor_keys() -> frozenset[str]:
    return frozenset(normalize(phrase) for phrase in NON_ACTOR_PHRASES)


def is_non_actor(text: str) -> bool:
    """Whether ``text`` is one of :data:`NON_ACTOR_PHRASES` (compared normalized)."""
    return normalize(text) in _non_actor_keys()


def lookup(text: str) -> GazetteerHit | None:
    """What ``text`` (a whole phrase, e.g. a span's text) denotes, or None.

    Case-sensitive entries match only as written; the rest match through
    :func:`normalize`, so "north korea", "North Korea" and "NORTH KOREA" agree.
    """
    index = phrase_index()
    hit = index.get(_unify(text))
    if hit is not None and hit.case_sensitive:
        return hit
    hit = index.get(normalize(text))
    if hit is not None and not hit.case_sensitive:
        return hit
    return None


# ----------------------------------------------------------------------------- roles


@cache
def _sector_index() -> tuple[Mapping[str, SectorEntry], Mapping[str, SectorEntry], int]:
    exact: dict[str, SectorEntry] = {}
    folded: dict[str, SectorEntry] = {}
    longest = 1
    for entry in sectors():
        if is_case_sensitive(entry.phrase):
            exact[" ".join(_role_words(entry.phrase, keep_case=True))] = entry
        else:
            folded[" ".join(_role_words(entry.phrase, keep_case=False))] = entry
        longest = max(longest, len(_role_words(entry.phrase, keep_case=False)))
    return MappingProxyType(exact), MappingProxyType(folded), longest


def _role_words(text: str, *, keep_case: bool) -> list[str]:
    if keep_case:
        text = unicodedata.normalize("NFKD", text.translate(_PUNCT))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = text.replace(".", "").replace(",", " ").replace("-", " ")
        return text.split()
    return normalize(text).split()


def _variants(word: str) -> list[str]:
    """The word and the forms it may take when a listed role is inflected."""
    forms = [word]
    if word.endswith("'s") or word.endswith("s'"):
        word = word[:-2] if word.endswith("'s") else word[:-1]
        forms.append(word)
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    elif word.endswith("men"):
        forms.append(word[:-3] + "man")
    elif word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    return forms


def match_role(phrase: str) -> RoleMatch | None:
    """The longest ``sectors.tsv`` phrase inside ``phrase`` (ties: the rightmost), with
    ``former`` set when a former-marker precedes it. None if nothing matches."""
    exact, folded, longest = _sector_index()
    cased = _role_words(phrase, keep_case=True)
    lower = [word.casefold() for word in cased]
    best: tuple[int, int, SectorEntry] | None = None  # (length, start, entry)
    for start in range(len(lower)):
        for length in range(min(longest, len(lower) - start), 0, -1):
            if best is not None and length < best[0]:
                break
            stop = start + length
            entry = None
            for last in _variants(lower[stop - 1]):
                entry = folded.get(" ".join([*lower[start : stop - 1], last]))
                if entry is not None:
                    break
            if entry is None:
                for last in _variants(cased[stop - 1]):
                    entry = exact.get(" ".join([*cased[start : stop - 1], last]))
                    if entry is not None:
                        break
            if entry is not None:
                if best is None or length >= best[0]:
                    best = (length, start, entry)
                break
    if best is None:
        return None
    _, start, entry = best
    before = lower[:start]
    former = any(word in _FORMER_MARKERS for word in before) or any(
        before[i : i + 2] == ["one", "time"] for i in range(len(before) - 1)
    )
    return RoleMatch(entry, "ELI" if former else entry.sector, former)


def role_sector(phrase: str) -> str | None:
    """CAMEO-style sector of a role phrase ("vice foreign minister" -> GOV,
    "former vice minister" -> ELI, "associate professor" -> EDU), or None."""
    match = match_role(phrase)
    return match.sector if match is not None else None
