"""The actor dictionary: named office holders with dated roles.

A :class:`Person` has a canonical name, aliases (other spellings and romanizations), a country
(ISO 3166-1 alpha-3) and :class:`Role` s, each an office with a start and (unless still held)
an end date. :class:`ActorDictionary` answers three questions:

* ``lookup(name, on)`` - who is called this, and what office did they hold on that date?
* ``by_surname(surname, on)`` - the same for a bare family name ("Blinken", "Moon").
* ``holder(country, title, on)`` - who was, say, USA "Secretary of State" on that date?

Titles are compared through :func:`normalize_title`, so "Foreign Minister" and "Minister for
Europe and Foreign Affairs" name the same office of a country. The packaged dictionary is
``data/people.yaml``; its format, and the CSV form of user dictionaries, are documented in
``docs/dictionary.md``. A malformed file raises :class:`DictionaryFileError`, which is both a
``ValueError`` and a :class:`realpolitik.errors.DictionaryError`.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import os
import pickle
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import pycountry
import yaml

from realpolitik.errors import DictionaryError
from realpolitik.settings import CACHE_ENV as CACHE_ENV
from realpolitik.settings import DICTIONARY_ENV as DICTIONARY_ENV
from realpolitik.settings import cache_folder

__all__ = [
    "ActorDictionary",
    "DictionaryFileError",
    "Overlap",
    "Person",
    "Role",
    "load_dictionary",
    "normalize_title",
]

Precision = Literal["day", "month"]

PACKAGED_NAME = "realpolitik/actors/data/people.yaml"
CSV_COLUMNS = ("name", "aliases", "country", "title", "sector", "start", "end")
_CSV_OPTIONAL = ("surnames",)
_PERSON_KEYS = ("name", "aliases", "surnames", "country", "roles")
_ROLE_KEYS = ("title", "sector", "start", "end")
_DATE_HINT = "write dates as YYYY-MM-DD, or YYYY-MM when the day is not known"

# Countries whose names English-language news writes family name first ("Moon Jae-in").
_FAMILY_NAME_FIRST = frozenset({"CHN", "HKG", "KOR", "MAC", "PRK", "TWN"})
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


class DictionaryFileError(DictionaryError, ValueError):
    """An actor dictionary file is malformed (the message names file, entry, field and fix)."""


@dataclass(frozen=True, slots=True)
class Role:
    """One office held by a person: ``start <= date <= end`` (no end: still held).

    A date known only to the month has precision ``"month"``: its ``start`` is the first and
    its ``end`` the last day of that month, so the role counts as active throughout the month.
    """

    title: str
    sector: str
    start: dt.date
    end: dt.date | None = None
    start_precision: Precision = "day"
    end_precision: Precision = "day"

    def active_on(self, on: dt.date) -> bool:
        """Whether the role was held on ``on`` (both ends inclusive)."""
        return self.start <= on and (self.end is None or on <= self.end)


@dataclass(frozen=True, slots=True)
class Person:
    """A person in the dictionary. ``surnames=None`` means "derive from the name"."""

    name: str
    aliases: tuple[str, ...]
    country: str
    roles: tuple[Role, ...]
    surnames: tuple[str, ...] | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name followed by the aliases."""
        return (self.name, *self.aliases)

    def roles_on(self, on: dt.date) -> list[Role]:
        """The roles active on ``on``, latest start first."""
        return sorted(
            (r for r in self.roles if r.active_on(on)), key=lambda r: r.start, reverse=True
        )

    def family_names(self) -> tuple[str, ...]:
        """Names by which the person may be mentioned alone ("Blinken", "Moon").

        Explicit ``surnames`` win. Otherwise the family name is the first word of the name (and
        of each alias) for countries that write it first, else the last word of the canonical
        name, skipping suffixes such as "Jr."; aliases of other countries are not used because
        they may be written in the other order ("Abe Shinzo").
        """
        if self.surnames is not None:
            return self.surnames
        family_first = self.country in _FAMILY_NAME_FIRST
        sources = self.names if family_first else (self.name,)
        found: list[str] = []
        for written in sources:
            words = [w for w in re.split(r"[\s,]+", written) if w]
            while words and _name_key(words[-1]) in _NAME_SUFFIXES:
                words.pop()
            if words:
                word = words[0] if family_first else words[-1]
                if word not in found:
                    found.append(word)
        return tuple(found)


@dataclass(frozen=True, slots=True)
class Overlap:
    """Two tenures of the same office of one country that certainly overlap."""

    country: str
    office: str
    first: tuple[Person, Role]
    second: tuple[Person, Role]

    def __str__(self) -> str:
        (p1, r1), (p2, r2) = self.first, self.second
        return (
            f"{self.country} {self.office!r}: {p1.name} ({r1.start}..{r1.end or 'open'}) "
            f"and {p2.name} ({r2.start}..{r2.end or 'open'})"
        )


Match = tuple[Person, Role | None]


class ActorDictionary:
    """People and their dated roles, indexed by name, family name and office."""

    def __init__(self, people: Iterable[Person], *, source: str = "<memory>") -> None:
        self.people: tuple[Person, ...] = tuple(people)
        self.source = source
        self._by_name: dict[str, list[Person]] = {}
        self._by_surname: dict[str, list[Person]] = {}
        self._by_office: dict[tuple[str, str], list[tuple[Person, Role]]] = {}
        for person in self.people:
            for written in person.names:
                _add_unique(self._by_name, _name_key(written), person)
            for surname in person.family_names():
                _add_unique(self._by_surname, _name_key(surname), person)
            for role in person.roles:
                office = normalize_title(role.title, person.country)
                self._by_office.setdefault((person.country, office), []).append((person, role))

    def __len__(self) -> int:
        return len(self.people)

    def __iter__(self) -> Iterator[Person]:
        return iter(self.people)

    def __repr__(self) -> str:
        return f"<ActorDictionary {len(self.people)} people from {self.source}>"

    def lookup(self, name: str, on: dt.date | None = None) -> list[Match]:
        """People whose name or an alias matches ``name``, with their roles on ``on``.

        Matching ignores case, accents, spaces, hyphens and punctuation ("MOON JAE IN" ==
        "Moon Jae-in"). Each matching person appears once per role active on ``on``; a person
        with no active role (or any person when ``on`` is None) appears once with ``None``.
        People with an active role come first.
        """
        return _with_roles(self._by_name.get(_name_key(name), []), on)

    def by_surname(self, surname: str, on: dt.date | None = None) -> list[Match]:
        """Like :meth:`lookup`, for a family name alone ("Blinken", "Kim").

        Common family names match many people; those in office on ``on`` come first.
        """
        return _with_roles(self._by_surname.get(_name_key(surname), []), on)

    def holders(self, country: str, title: str, on: dt.date) -> list[tuple[Person, Role]]:
        """Everyone holding ``title`` in ``country`` on ``on``, the latest to take office first.

        Several people can match on a hand-over day or where a start or end is known only to
        the month. When nobody holds the office itself, acting holders are returned.
        """
        on = _as_date(on)
        code = country.strip().upper()
        office = normalize_title(title, code)
        found = [pr for pr in self._by_office.get((code, office), []) if pr[1].active_on(on)]
        if not found and not office.startswith("acting "):
            acting = self._by_office.get((code, "acting " + office), [])
            found = [pr for pr in acting if pr[1].active_on(on)]
        return sorted(found, key=lambda pr: pr[1].start, reverse=True)

    def holder(self, country: str, title: str, on: dt.date) -> Person | None:
        """Who held ``title`` in ``country`` on ``on`` (the incoming holder on hand-over days)."""
        found = self.holders(country, title, on)
        return found[0][0] if found else None

    def find_overlaps(self) -> list[Overlap]:
        """Tenures of the same office of one country that certainly overlap.

        Touching tenures (one ends the day the next starts) are fine, and a date known only to
        the month is given the benefit of the doubt. Acting holders are a separate office.
        """
        overlaps: list[Overlap] = []
        for (country, office), tenures in sorted(self._by_office.items()):
            for i, (p1, r1) in enumerate(tenures):
                for p2, r2 in tenures[i + 1 :]:
                    if _certainly_overlap(r1, r2):
                        overlaps.append(Overlap(country, office, (p1, r1), (p2, r2)))
        return overlaps


# -- titles -----------------------------------------------------------------------------------

_OFFICE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "foreign minister": (
        "foreign minister",
        "foreign affairs minister",
        "minister of foreign affairs",
        "minister for foreign affairs",
        "minister of foreign relations",
        "minister of external affairs",
        "minister for external affairs",
        "external affairs minister",
        "foreign secretary",
        "secretary of state for foreign and commonwealth affairs",
        "secretary of state for foreign commonwealth and development affairs",
        "secretary of foreign affairs",
        "secretary of foreign relations",
        "secretary of external relations",
        "minister for europe and foreign affairs",
        "minister of europe and foreign affairs",
        "minister of foreign affairs and international cooperation",
        "minister of international relations and cooperation",
        "minister of foreign affairs international trade and worship",
    ),
    "defence minister": (
        "defence minister",
        "minister of defence",
        "minister for defence",
        "minister of national defence",
        "minister for national defence",
        "defence secretary",
        "secretary of defence",
        "secretary of state for defence",
        "secretary of national defence",
        "minister of armed forces",
        "minister for armed forces",
        "minister of armies",
        "minister of peoples armed forces",
        "minister of defence and military veterans",
    ),
    "interior minister": (
        "interior minister",
        "minister of interior",
        "minister of the interior",
        "minister for interior",
        "minister of internal affairs",
        "minister for internal affairs",
        "internal affairs minister",
        "minister of home affairs",
        "minister for home affairs",
        "home affairs minister",
        "home minister",
        "home secretary",
        "secretary of state for home department",
        "minister of interior and administration",
        "minister of interior and public security",
        "minister of public security",
        "minister of security",
        "secretary of interior",
        "secretary of government",
    ),
    "prime minister": ("prime minister", "premier", "head of government"),
    "monarch": (
        "monarch",
        "king",
        "queen",
        "sovereign",
        "emir",
        "amir",
        "sultan",
        "grand duke",
        "sovereign prince",
        "prince",
        "emperor",
    ),
}

# Titles whose meaning depends on the country ("Secretary of State" is a foreign minister only
# in the United States; "Chancellor" heads the government in Germany but not in Britain).
_COUNTRY_SYNONYMS: dict[str, dict[str, str]] = {
    "USA": {"secretary of state": "foreign minister", "secretary of war": "defence minister"},
    "DEU": {"chancellor": "prime minister"},
    "AUT": {"chancellor": "prime minister"},
    "CHN": {
        "general secretary": "party leader",
        "general secretary of chinese communist party": "party leader",
        "general secretary of communist party of china": "party leader",
        "general secretary of ccp": "party leader",
    },
    "PRK": {
        "general secretary": "party leader",
        "general secretary of workers party of korea": "party leader",
        "chairman of workers party of korea": "party leader",
        "first secretary of workers party of korea": "party leader",
        "general secretary of wpk": "party leader",
        "president of state affairs": "chairman of state affairs commission",
        "president of state affairs commission": "chairman of state affairs commission",
    },
}

_OFFICE_OF: dict[str, str] = {
    variant: office for office, variants in _OFFICE_SYNONYMS.items() for variant in variants
}


def _clean_title(title: str) -> str:
    text = _fold_accents(title).casefold().replace("&", " and ")
    text = re.sub(r"['\u2019]", "", text)  # "People's" -> "peoples"
    words = [w for w in re.split(r"[^0-9a-z]+", text) if w and w != "the"]
    while words and words[0] == "federal":  # "Federal Foreign Minister" (Germany)
        words.pop(0)
    return " ".join(words).replace("defense", "defence")


def normalize_title(title: str, country: str | None = None) -> str:
    """The office a title names, as a comparable key.

    Case, accents, punctuation, "the", a leading "Federal" and the spelling "defense" are
    ignored; synonyms map to one key ("foreign minister", "defence minister", "prime
    minister", "monarch", "party leader"), some only for a given country (``USA`` "Secretary
    of State"). "Acting"/"Interim" titles keep an ``"acting "`` prefix. A title without a
    known synonym is returned cleaned ("chairman of central military commission").
    """
    words = _clean_title(title)
    prefix = ""
    for marker in ("acting ", "interim "):
        if words.startswith(marker):
            prefix, words = "acting ", words[len(marker) :]
            break
    code = (country or "").strip().upper()
    office = _COUNTRY_SYNONYMS.get(code, {}).get(words) or _OFFICE_OF.get(words, words)
    return prefix + office


# -- loading ----------------------------------------------------------------------------------

_CACHE: dict[tuple[str, int, int], ActorDictionary] = {}


_MERGED: dict[tuple[int, int], ActorDictionary] = {}


def actor_dictionary(path: str | Path | None = None) -> ActorDictionary:
    """The dictionary the pipeline consults: the packaged one plus the user's own file
    (``path``; the actors component's ``dictionary`` setting), whose people are added."""
    path = path or None
    base = load_dictionary()
    if path is None:
        return base
    user = load_dictionary(path)
    key = (id(base), id(user))  # load_dictionary caches per file and modification time
    if key not in _MERGED:
        _MERGED[key] = ActorDictionary([*base, *user], source=f"{base.source} + {user.source}")
    return _MERGED[key]


def load_dictionary(path: str | Path | None = None) -> ActorDictionary:
    """Load an actor dictionary: the packaged one (``path=None``), or a YAML or CSV file.

    YAML files hold a list of people (see ``docs/dictionary.md``); CSV files have the columns
    ``name, aliases, country, title, sector, start, end`` (aliases separated by ``|``; an
    optional ``surnames`` column likewise) with one row per role, rows with the same name and
    country forming one person. Results are cached per file and modification time.

    Raises:
        DictionaryFileError: the file is malformed; the message names the file, the entry
            (line for CSV, index, name and line for YAML), the field and how to fix it.
    """
    if path is None:
        key = (PACKAGED_NAME, 0, 0)
        if key not in _CACHE:
            _CACHE[key] = _packaged_dictionary()
        return _CACHE[key]
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in (".yaml", ".yml", ".csv"):
        raise DictionaryFileError(
            f"{file}: cannot tell the dictionary format from the file name",
            hint="name the file *.yaml, *.yml or *.csv",
        )
    try:
        stat = file.stat()
        key = (str(file.resolve()), stat.st_mtime_ns, stat.st_size)
        if key in _CACHE:
            return _CACHE[key]
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DictionaryFileError(
            f"{file}: no such file", hint="check the path of the dictionary"
        ) from None
    except UnicodeDecodeError as exc:
        raise DictionaryFileError(
            f"{file}: not valid UTF-8 text ({exc.reason})", hint="save the file as UTF-8"
        ) from None
    except OSError as exc:
        raise DictionaryFileError(
            f"{file}: cannot be read ({exc.strerror})", hint="check the path and its permissions"
        ) from None
    people = _parse_csv(text, str(file)) if suffix == ".csv" else _parse_yaml(text, str(file))
    _CACHE[key] = ActorDictionary(people, source=str(file))
    return _CACHE[key]


def _cache_file(texts: list[tuple[str, str]]) -> Path | None:
    """Where the parsed packaged dictionary is kept, keyed by the files' contents."""
    base = cache_folder()  # $REALPOLITIK_CACHE (settings.py); "none" turns it off
    if base is None:
        return None
    digest = hashlib.sha256()
    for name, text in texts:
        digest.update(name.encode() + b"\0" + text.encode("utf-8") + b"\0")
    return base / f"people-{FORMAT_TAG}-{digest.hexdigest()[:20]}.pickle"


FORMAT_TAG = "v1"  # change when Person or Role change shape


def _packaged_dictionary() -> ActorDictionary:
    """The packaged dictionary with its indexes built, kept on disk (:mod:`realpolitik.cache`)
    keyed by the contents of the people files and of this module: indexing 5,000+ people
    normalizes every name and title, which costs more than reading the result back."""
    from realpolitik.cache import cached_build

    data = Path(str(resources.files("realpolitik.actors").joinpath("data")))
    sources = [Path(__file__), data / "people.yaml", *sorted((data / "people").glob("*.yaml"))]

    def build() -> ActorDictionary:
        return ActorDictionary(_packaged_people(), source=PACKAGED_NAME)

    return cached_build("actor-dictionary", sources, build, ActorDictionary)


def _packaged_people() -> list[Person]:
    """``data/people.yaml`` and every ``data/people/*.yaml``; a person (same name key and
    country) listed in several files is one person with the roles and aliases of all.

    Parsing 5,000+ people takes seconds, so the result is kept (pickled) in the user's cache
    folder (``$REALPOLITIK_CACHE``, else ``$XDG_CACHE_HOME/realpolitik`` or
    ``~/.cache/realpolitik``), keyed by a hash of the files: any edit rebuilds it; an
    unwritable or broken cache only costs the parse."""
    data = resources.files("realpolitik.actors").joinpath("data")
    files = [data.joinpath("people.yaml")]
    folder = data.joinpath("people")
    if folder.is_dir():
        files += sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=str)
    texts = [(f.name, f.read_text(encoding="utf-8")) for f in files]
    cache = _cache_file(texts)
    if cache is not None and cache.exists():
        try:
            with cache.open("rb") as fh:
                people = pickle.load(fh)
            if isinstance(people, list) and all(isinstance(p, Person) for p in people):
                return people
        except Exception:  # a stale or damaged cache is rebuilt, never trusted
            pass
    people = _merge_packaged(texts)
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                pickle.dump(people, fh, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(cache)
        except OSError:
            pass
    return people


def _merge_packaged(texts: list[tuple[str, str]]) -> list[Person]:
    merged: dict[tuple[str, str], Person] = {}
    for name, text in texts:
        source = f"{PACKAGED_NAME} ({name})"
        for person in _parse_yaml(text, source):
            ident = (_name_key(person.name), person.country)
            if ident not in merged:
                merged[ident] = person
                continue
            old = merged[ident]
            aliases = tuple(dict.fromkeys((*old.aliases, *person.aliases)))
            roles = tuple(sorted(set(old.roles) | set(person.roles), key=lambda r: r.start))
            surnames = old.surnames if old.surnames is not None else person.surnames
            merged[ident] = Person(old.name, aliases, old.country, roles, surnames)
    return list(merged.values())


# libyaml's parser when PyYAML has it (about 10x faster on the packaged files), else Python's
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _PlainDateLoader(_BaseLoader):
    """A safe loader that leaves dates as text, so a bad date is reported with its place."""


_PlainDateLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


def _parse_yaml(text: str, source: str) -> list[Person]:
    loader = _PlainDateLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise DictionaryFileError(
            f"{source}: not valid YAML ({exc})",
            hint="check the indentation and quoting near that line",
        ) from None
    finally:
        loader.dispose()
    if data is None:
        return []
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        raise DictionaryFileError(
            f"{source}: the file must be a YAML list of people",
            hint="start each person with '- name: ...' (see docs/dictionary.md)",
        )
    people: list[Person] = []
    seen: dict[tuple[str, str], int] = {}
    for index, (entry, entry_node) in enumerate(zip(data, node.value, strict=True), start=1):
        where = f"{source}, entry {index} (line {entry_node.start_mark.line + 1})"
        person = _person_from_mapping(entry, entry_node, where)
        ident = (_name_key(person.name), person.country)
        if ident in seen:
            raise DictionaryFileError(
                f"{where}: {person.name!r} ({person.country}) is already entry {seen[ident]}",
                hint="give each person one entry and list all their offices under its 'roles'",
            )
        seen[ident] = index
        people.append(person)
    return people


def _person_from_mapping(entry: Any, node: yaml.Node, where: str) -> Person:
    if not isinstance(entry, Mapping):
        raise DictionaryFileError(
            f"{where}: an entry must be a mapping",
            hint="write each person as '- name: ...' with indented fields",
        )
    name = entry.get("name")
    if isinstance(name, str) and name.strip():
        where = f"{where} ({name.strip()!r})"
    _check_keys(entry, _PERSON_KEYS, where, "person")
    name = _required_text(
        entry, "name", where, "give the person's full name, e.g. 'name: Antony Blinken'"
    )
    aliases = _text_list(entry.get("aliases"), "aliases", where)
    surnames = (
        None if "surnames" not in entry else _text_list(entry.get("surnames"), "surnames", where)
    )
    country = _country(entry.get("country"), where, "country")
    raw_roles = entry.get("roles")
    if not isinstance(raw_roles, list) or not raw_roles:
        raise DictionaryFileError(
            f"{where}: field 'roles' is missing or empty",
            hint="list at least one office: 'roles: [{title: President, sector: GOV, "
            "start: 2021-01-20}]'",
        )
    role_nodes = _role_nodes(node)
    roles = []
    for number, raw in enumerate(raw_roles, start=1):
        line = (
            f", line {role_nodes[number - 1].start_mark.line + 1}"
            if number <= len(role_nodes)
            else ""
        )
        role_where = f"{where}, role {number}{line}"
        if not isinstance(raw, Mapping):
            raise DictionaryFileError(
                f"{role_where}: a role must be a mapping",
                hint="write '{title: ..., sector: ..., start: ...}'",
            )
        _check_keys(raw, _ROLE_KEYS, role_where, "role")
        roles.append(
            _role(raw.get("title"), raw.get("sector"), raw.get("start"), raw.get("end"), role_where)
        )
    return Person(name, aliases, country, tuple(roles), surnames)


def _role_nodes(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if getattr(key, "value", None) == "roles" and isinstance(value, yaml.SequenceNode):
                return list(value.value)
    return []


def _parse_csv(text: str, source: str) -> list[Person]:
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise DictionaryFileError(
            f"{source}, line 1: missing column(s) {', '.join(missing)}",
            hint="the header must name the columns "
            + ", ".join(CSV_COLUMNS)
            + " (and optionally surnames)",
        )
    unknown = [h for h in header if h not in CSV_COLUMNS + _CSV_OPTIONAL]
    if unknown:
        raise DictionaryFileError(
            f"{source}, line 1: unknown column(s) {', '.join(unknown)}",
            hint="allowed columns: " + ", ".join(CSV_COLUMNS + _CSV_OPTIONAL),
        )
    reader.fieldnames = header
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for row in reader:
        where = f"{source}, line {reader.line_num}"
        if None in row:
            raise DictionaryFileError(
                f"{where}: more fields than columns", hint="quote fields that contain commas"
            )
        cells = {k: (v or "").strip() for k, v in row.items()}
        if not any(cells.values()):
            continue
        name = cells["name"]
        if not name:
            raise DictionaryFileError(
                f"{where}: field 'name' is empty", hint="give the person's full name"
            )
        country = _country(cells["country"], where, "country")
        role = _role(cells["title"], cells["sector"], cells["start"], cells["end"] or None, where)
        person = grouped.setdefault(
            (_name_key(name), country),
            {"name": name, "country": country, "aliases": [], "surnames": None, "roles": []},
        )
        for alias in _split_bar(cells["aliases"]):
            if alias not in person["aliases"]:
                person["aliases"].append(alias)
        if cells.get("surnames"):
            person["surnames"] = (person["surnames"] or []) + [
                s for s in _split_bar(cells["surnames"]) if s not in (person["surnames"] or [])
            ]
        person["roles"].append(role)
    return [
        Person(
            p["name"],
            tuple(p["aliases"]),
            p["country"],
            tuple(p["roles"]),
            tuple(p["surnames"]) if p["surnames"] is not None else None,
        )
        for p in grouped.values()
    ]


# -- validation helpers -------------------------------------------------------------------------


def _check_keys(entry: Mapping[Any, Any], allowed: tuple[str, ...], where: str, what: str) -> None:
    unknown = [str(k) for k in entry if k not in allowed]
    if unknown:
        raise DictionaryFileError(
            f"{where}: unknown field(s) {', '.join(repr(k) for k in unknown)}",
            hint=f"a {what} has the fields " + ", ".join(allowed),
        )


def _required_text(entry: Mapping[Any, Any], field: str, where: str, hint: str) -> str:
    value = entry.get(field)
    if not isinstance(value, str) or not value.strip():
        problem = "is missing" if value is None else "must be non-empty text"
        raise DictionaryFileError(f"{where}: field {field!r} {problem}", hint=hint)
    return value.strip()


def _text_list(value: Any, field: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DictionaryFileError(
            f"{where}: field {field!r} must be a list of names",
            hint=f"write '{field}: [First Spelling, Second Spelling]'",
        )
    return tuple(v.strip() for v in value)


def _split_bar(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


# Codes in use for states without an ISO 3166-1 alpha-3 code of their own.
_EXTRA_COUNTRIES = frozenset({"XKX"})  # Kosovo

# Officials of international organizations: "country: IGO:UN" in a dictionary file; the
# actor then carries the organization's CAMEO-style code (organizations.tsv) and no country.
IGO_CODES: dict[str, str] = {
    "UN": "IGOUNO",
    "EU": "IGOEUREEC",
    "NATO": "IGOWSTNAT",
    "AU": "IGOAFRAFU",
    "ASEAN": "IGOSEAASN",
    "IAEA": "IGOUNOIAE",
    "WHO": "IGOUNOHLHWHO",
    "IMF": "IGOBUSIMF",
    "WORLDBANK": "IGOUNODEVWBK",
    "OPEC": "IGOBUSOPC",
    "ARABLEAGUE": "IGOMEAARL",
    "GCC": "IGOPGSGCC",
    "ECOWAS": "IGOWAFWAS",
    "OSCE": "IGOEURSCE",
    "ICC": "IGOJUDICC",
}


def _country(value: Any, where: str, field: str) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DictionaryFileError(
            f"{where}: field {field!r} is missing",
            hint="give the ISO 3166-1 alpha-3 code of the person's country, e.g. USA",
        )
    code = str(value).strip().upper()
    if code in _EXTRA_COUNTRIES:
        return code
    if code.startswith("IGO:"):
        if code[4:] not in IGO_CODES:
            raise DictionaryFileError(
                f"{where}: field {field!r} is {value!r}, an unknown organization",
                hint=f"use one of {', '.join('IGO:' + k for k in sorted(IGO_CODES))}",
            )
        return code
    if not re.fullmatch(r"[A-Z]{3}", code) or pycountry.countries.get(alpha_3=code) is None:
        raise DictionaryFileError(
            f"{where}: field {field!r} is {value!r}, not an ISO 3166-1 alpha-3 country code",
            hint="use three-letter codes such as USA, KOR, PRK, GBR",
        )
    return code


def _role(title: Any, sector: Any, start: Any, end: Any, where: str) -> Role:
    if not isinstance(title, str) or not title.strip():
        raise DictionaryFileError(
            f"{where}: field 'title' is missing or empty",
            hint="give the office, e.g. 'Minister of Foreign Affairs'",
        )
    if not isinstance(sector, str) or not re.fullmatch(r"[A-Z]{3}", sector.strip()):
        raise DictionaryFileError(
            f"{where}: field 'sector' is {sector!r}, not a three-letter sector code",
            hint="use GOV for civilian officials and MIL for serving officers",
        )
    if start is None or start == "":
        raise DictionaryFileError(f"{where}: field 'start' is missing", hint=_DATE_HINT)
    start_date, start_precision = _parse_date(start, where, "start", end_of_month=False)
    end_date: dt.date | None = None
    end_precision: Precision = "day"
    if end is not None and end != "":
        end_date, end_precision = _parse_date(end, where, "end", end_of_month=True)
        if end_date < start_date:
            raise DictionaryFileError(
                f"{where}: field 'end' ({end}) is before 'start' ({start})",
                hint="swap the dates, or leave 'end' out if the office is still held",
            )
    return Role(title.strip(), sector.strip(), start_date, end_date, start_precision, end_precision)


def _parse_date(
    value: Any, where: str, field: str, *, end_of_month: bool
) -> tuple[dt.date, Precision]:
    if isinstance(value, dt.datetime):
        return value.date(), "day"
    if isinstance(value, dt.date):
        return value, "day"
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text), "day"
        if re.fullmatch(r"\d{4}-\d{2}", text):
            year, month = int(text[:4]), int(text[5:])
            day = calendar.monthrange(year, month)[1] if end_of_month else 1
            return dt.date(year, month, day), "month"
    except (ValueError, calendar.IllegalMonthError):
        pass
    raise DictionaryFileError(
        f"{where}: field {field!r} is {value!r}, not a valid date", hint=_DATE_HINT
    )


# -- matching helpers ---------------------------------------------------------------------------


def _fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _name_key(name: str) -> str:
    """Case-, accent-, space- and punctuation-blind form of a name."""
    return "".join(ch for ch in _fold_accents(name).casefold() if ch.isalnum())


def _add_unique(index: dict[str, list[Person]], key: str, person: Person) -> None:
    if not key:
        return
    bucket = index.setdefault(key, [])
    if not any(p is person for p in bucket):
        bucket.append(person)


def _as_date(on: dt.date) -> dt.date:
    return on.date() if isinstance(on, dt.datetime) else on


def _with_roles(people: list[Person], on: dt.date | None) -> list[Match]:
    if on is None:
        return [(p, None) for p in people]
    on = _as_date(on)
    active: list[Match] = []
    idle: list[Match] = []
    for person in people:
        roles = person.roles_on(on)
        if roles:
            active.extend((person, role) for role in roles)
        else:
            idle.append((person, None))
    return active + idle


def _certainly_overlap(a: Role, b: Role) -> bool:
    # The certain part of a tenure: a month-precision start may be as late as the month's last
    # day and a month-precision end as early as its first.
    def certain(role: Role) -> tuple[dt.date, dt.date]:
        start = role.start
        if role.start_precision == "month":
            start = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        end = role.end or dt.date.max
        if role.end is not None and role.end_precision == "month":
            end = end.replace(day=1)
        return start, end

    a_start, a_end = certain(a)
    b_start, b_end = certain(b)
    return a_start < b_end and b_start < a_end
