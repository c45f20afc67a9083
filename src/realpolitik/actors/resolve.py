"""Resolve mentions into actors within one article.

States are one actor per (country, sector); organizations one per code or name; people are
clustered by :func:`realpolitik.actors.names.same_person` with the rule that two clusters
whose countries disagree are never joined. A partial name ("Pardo") joins the most recent
person whose name it matches. The dated dictionary fills in what the text leaves out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as date_type
from functools import lru_cache

from spacy.tokens import Doc

from ..records import Actor, Mention, Span
from .dictionary import IGO_CODES, ActorDictionary, Person, Role, actor_dictionary
from .names import is_full_name, name_parts, romanization_key, same_person
from .recognize import article_date


@dataclass
class _Cluster:
    kind: str
    mentions: list[Mention] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    code: str | None = None
    canonical: str | None = None

    def absorb(self, m: Mention) -> None:
        self.mentions.append(m)
        if m.name and m.name not in self.names:
            self.names.append(m.name)
        self.country = self.country or m.country
        if m.role and not self.role:
            self.role = m.role
            self.sector = m.sector or self.sector
        self.sector = self.sector or m.sector


def _compatible(c: _Cluster, m: Mention) -> bool:
    if c.country and m.country and c.country != m.country:
        return False
    return not (c.sector and m.sector and m.role and c.role and c.sector != m.sector)


def _person_cluster(clusters: list[_Cluster], m: Mention) -> _Cluster | None:
    name = m.name or m.text
    full = is_full_name(name)
    best: _Cluster | None = None
    for c in clusters:  # most recent first
        if c.kind != "person" or not _compatible(c, m):
            continue
        if any(same_person(name, other) for other in c.names):
            if not full:
                return c  # a partial name refers to the latest person it fits
            best = best or c
    return best


@lru_cache(maxsize=8)
def _sound_index(people: ActorDictionary) -> dict[str, list[Person]]:
    """Dictionary people by the romanization key of each part of each of their names."""
    index: dict[str, list[Person]] = {}
    for person in people:
        keys = {romanization_key(p) for n in person.names for p in name_parts(n)}
        for key in keys:
            index.setdefault(key, []).append(person)
    return index


def _fuzzy_matches(
    names: list[str], people: ActorDictionary, on: date_type | None
) -> list[tuple[Person, Role | None]]:
    """Dictionary people whose name is a spelling variant of one of ``names`` (full names only)."""
    full = [n for n in names if is_full_name(n)]
    index = _sound_index(people)
    candidates: dict[str, Person] = {}
    for n in full:
        for part in name_parts(n):
            for person in index.get(romanization_key(part), []):
                candidates.setdefault(person.name, person)
    found: list[tuple[Person, Role | None]] = []
    for person in candidates.values():
        if not any(same_person(n, known) for n in full for known in person.names):
            continue
        roles = person.roles_on(on) if on else []
        found.append((person, roles[0] if roles else None))
    return found


def _enrich_from_dictionary(c: _Cluster, people: ActorDictionary, on: date_type | None) -> None:
    candidates: list[tuple[Person, Role | None]] = []
    for name in sorted(c.names, key=lambda n: -len(name_parts(n))):
        found = people.lookup(name, on)
        if not found and not is_full_name(name):
            found = people.by_surname(name, on)
        if found:
            candidates = found
            break
    if not candidates:
        candidates = _fuzzy_matches(c.names, people, on)
    if on is not None and len({p.name for p, _ in candidates}) > 1:
        # several people share the name: those in office on the article's date
        candidates = [(p, r) for p, r in candidates if r is not None]
    if len({p.name for p, _ in candidates}) != 1:
        return  # no entry, or ambiguous: the text alone decides
    person, role = candidates[0]
    if c.country and person.country != c.country:
        return
    if (
        role is None
        and on is not None
        and not any(is_full_name(n) and people.lookup(n) for n in c.names)
    ):
        return  # a lone surname of someone not in office then: too weak
    c.canonical = person.name
    if person.country.startswith("IGO:"):  # an official of an international organization
        c.code = c.code or IGO_CODES[person.country[4:]]
        if role is not None:
            c.role = c.role or role.title
        return
    c.country = c.country or person.country
    if role is not None:
        c.role = c.role or role.title
        c.sector = c.sector or role.sector


def _code(country: str | None, sector: str | None) -> str | None:
    if country and sector:
        return f"{country}{sector}"
    return country or (sector if sector in {"IGO", "NGO"} else None)


_INDIRECT = ("agent:", "place:", "person:")


def _basis(mentions: list[Mention]) -> str | None:
    """The rule that gave the actor its country, when the text gave it indirectly."""
    for m in mentions:
        for part in m.source.split("+"):
            if part.startswith(_INDIRECT):
                return part
    return None


def resolve_actors(
    doc: Doc, mentions: list[Mention], *, dictionary_path: str | None = None
) -> list[Actor]:
    """Group ``mentions`` into actors; sets ``mention.actor`` and returns actors in order."""
    people = actor_dictionary(dictionary_path)
    on = article_date(doc)
    clusters: list[_Cluster] = []
    keyed: dict[tuple[str, str, str], _Cluster] = {}
    for m in mentions:
        if m.kind == "person":
            cluster = _person_cluster(list(reversed(clusters)), m)
            if cluster is None:
                cluster = _Cluster("person")
                clusters.append(cluster)
            cluster.absorb(m)
            continue
        key: tuple[str, str, str]
        if m.kind in ("state", "group"):
            key = (m.kind, m.country or m.name or m.text, m.sector or "")
        else:
            key = ("organization", m.org or (m.name or m.text).lower(), "")
        cluster = keyed.get(key)
        if cluster is None:
            cluster = _Cluster(m.kind)
            cluster.code = m.org if m.kind == "organization" else None
            keyed[key] = cluster
            clusters.append(cluster)
        cluster.absorb(m)

    actors: list[Actor] = []
    for n, c in enumerate(sorted(clusters, key=lambda c: c.mentions[0].start), start=1):
        if c.kind == "person":
            _enrich_from_dictionary(c, people, on)
            longest = max(c.names, key=lambda s: (len(name_parts(s)), len(s)))
            name = c.canonical or longest
            code = c.code if c.code and c.country is None else _code(c.country, c.sector)
            body = next((m.org for m in c.mentions if m.org and m.org.startswith("IGO")), None)
            if code is None or (c.country is None and body):
                code = body or code  # an official of an international body carries its code
        elif c.kind == "state":
            first = c.mentions[0]
            name = first.name or first.text
            if c.sector:
                name = f"{name} ({c.sector})"
            code = _code(c.country, c.sector)
        elif c.kind == "group":
            name = f"{c.mentions[0].name or c.mentions[0].text} ({c.country})"
            code = _code(c.country, c.sector)
        else:
            first = c.mentions[0]
            name = first.name or first.text
            code = c.code or _code(c.country, c.sector)
        actor_id = f"a{n}"
        for m in c.mentions:
            m.actor = actor_id
        actors.append(
            Actor(
                id=actor_id,
                name=name,
                kind=c.kind,  # type: ignore[arg-type]
                code=code,
                country=c.country,
                sector=c.sector,
                role=c.role,
                mentions=[Span(m.text, m.start, m.end) for m in c.mentions],
                basis=_basis(c.mentions),
            )
        )
    return actors


def warm_up(dictionary_path: str | None = None) -> None:
    """Load what coding an article reads (the gazetteers, the actor dictionary and its name
    index) now: all are kept for the process, so the first article does not pay for them."""
    from ..places import gazetteer
    from .recognize import _phrase_index

    _phrase_index()
    _sound_index(actor_dictionary(dictionary_path))
    gazetteer()
