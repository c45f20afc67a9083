"""Find actor mentions in a parsed ``Doc``: states, organizations and people.

Evidence, in order of strength:

1. the gazetteer (countries, demonyms, capitals, seats of power, organizations), matched on the
   characters so that compounds such as "U.S.-Japan-South Korea" yield three states;
2. the dated dictionary of office holders (so "Blinken", which a small model may tag as a
   place, is a person when the article's date says he held an office);
3. spaCy's named entities, corrected by context: a name after a title ("Secretary Austin") or
   before an appositive role ("X, associate professor of ...") is a person;
4. titles and appositives give a person's role, sector and affiliation; the country of a
   person or organization comes from the demonym/state/capital inside its title or name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as date_type
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ..doctext import doc_text
from ..records import Article, Mention
from .dictionary import ActorDictionary, actor_dictionary
from .gazetteer import (
    GazetteerHit,
    RoleMatch,
    is_non_actor,
    match_role,
    role_sector,
    surface_hits,
)

PERSON_LABELS = {"PERSON"}
PLACE_LABELS = {"GPE", "LOC", "NORP", "FAC"}
ORG_LABELS = {"ORG"}
_POSSESSIVE = ("'s", "’s", "'", "’")
_SKIP_LEFT = {"the", "a", "an", "then", "former", "acting", "outgoing", "incoming"}


@dataclass(frozen=True, slots=True)
class GazHit:
    """One gazetteer match in the text."""

    start: int
    end: int
    kind: str  # "state" | "organization"
    country: str | None
    sector: str | None
    code: str | None
    name: str
    column: str  # name | alias | adjective | capital | metonym | org


_APOSTROPHES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u2013": "-", "\u2014": "-", "\u00a0": " "}
)


_WORD_START = re.compile(r"(?<![\w.])[^\W\d_]")
_WORD_CHAR = re.compile(r"\w")
_ARTICLE_PREFIX = re.compile(r"(?:al|el|an|ad|ash|as)-[A-Z]")


@dataclass(frozen=True, slots=True)
class _PhraseIndex:
    """Gazetteer phrases by their first two characters, longest first.

    Every listed phrase starts with a capital letter, so the scan only tries the places in the
    text where a capitalized word begins: much faster than one alternation of thousands of
    phrases.
    """

    exact: dict[str, list[tuple[str, GazetteerHit]]]
    folded: dict[str, list[tuple[str, GazetteerHit]]]


@lru_cache(maxsize=1)
def _phrase_index() -> _PhraseIndex:
    exact: dict[str, GazetteerHit] = {}
    folded: dict[str, GazetteerHit] = {}
    for hit in surface_hits():
        phrase = hit.phrase.translate(_APOSTROPHES)
        forms = [phrase]
        if hit.column == "adjective" and not re.search(r"(s|sh|ch|ese|ss)$", phrase):
            forms.append(phrase + "s")  # the people: "Israelis", "the Palestinians"
        for form in forms:
            if hit.case_sensitive:
                exact.setdefault(form, hit)
            else:
                folded.setdefault(form.casefold(), hit)

    def by_prefix(table: dict[str, GazetteerHit]) -> dict[str, list[tuple[str, GazetteerHit]]]:
        out: dict[str, list[tuple[str, GazetteerHit]]] = {}
        for phrase in sorted(table, key=len, reverse=True):
            out.setdefault(phrase[:2], []).append((phrase, table[phrase]))
        return out

    return _PhraseIndex(by_prefix(exact), by_prefix(folded))


def _bounded(text: str, end: int) -> bool:
    return end >= len(text) or not _WORD_CHAR.match(text, end)


def _non_actor_at(text: str, start: int, end: int) -> bool:
    """Whether the match starts a phrase that names no actor ("Korean Peninsula")."""
    tail = text[start : end + 24]
    words = tail.split()
    return any(is_non_actor(" ".join(words[:n])) for n in range(2, min(len(words), 5) + 1))


def scan_gazetteer(text: str) -> list[GazHit]:
    """Every gazetteer phrase in ``text``; overlapping matches keep the longest."""
    index = _phrase_index()
    plain = text.translate(_APOSTROPHES)  # same length: offsets stay valid
    found: list[tuple[int, int, GazetteerHit]] = []
    for m in _WORD_START.finditer(plain):
        start = m.start()
        if not plain[start].isupper() and not _ARTICLE_PREFIX.match(plain, start):
            continue  # names are capitalized in prose, after "al-"/"el-" ("al-Shabab")
        for phrase, hit in index.exact.get(plain[start : start + 2], ()):
            if plain.startswith(phrase, start) and _bounded(plain, start + len(phrase)):
                found.append((start, start + len(phrase), hit))
                break
        head = plain[start : start + 2].casefold()
        for phrase, hit in index.folded.get(head, ()):
            end = start + len(phrase)
            if plain[start:end].casefold() == phrase and _bounded(plain, end):
                found.append((start, end, hit))
                break
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    hits: list[GazHit] = []
    last_end = -1
    for start, end, hit in found:
        if start < last_end:
            continue
        last_end = end
        if _non_actor_at(plain, start, end):
            continue
        kind = "state" if hit.kind == "state" else "organization"
        hits.append(
            GazHit(start, end, kind, hit.country, hit.sector, hit.code, hit.name, hit.column)
        )
    return hits


def article_date(doc: Doc) -> date_type | None:
    """The publication date of the article a Doc holds, if it has one."""
    article: Article | None = doc._.rp_article
    return article.day if article else None


def _clean_person_span(span: Span) -> tuple[int, int]:
    """Token range of the name proper: no leading titles ("Crown Prince", "Chairperson") or
    determiners, no trailing possessive."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in _SKIP_LEFT:
        start += 1
    # the longest leading run of words that is itself a title, if a name is left after it
    for cut in range(min(end - 1, start + 5), start, -1):
        if role_sector(doc[start:cut].text) is not None and not _is_name_word(doc[cut - 1]):
            start = cut
            break
    while end > start and doc[end - 1].text in _POSSESSIVE:
        end -= 1
    return start, end


def _is_name_word(tok: Token) -> bool:
    """A word that is part of a name rather than a title ("Mohammed", not "Prince")."""
    return tok.ent_type_ == "PERSON" and role_sector(tok.text) is None


_TITLE_GLUE = {"of", "for", "the", "on", "and"}
_NOT_TITLE = {"VERB", "AUX", "DET", "PRON", "ADP", "NUM", "SCONJ"}  # parts of speech no title has


def _title_before(doc: Doc, start: int) -> tuple[int, int] | None:
    """Token range of a title directly before a name: "U.S. Secretary of State",
    "Kremlin spokesman", "EU foreign-policy chief", "Gen."."""
    i = start - 1
    sent_start = doc[start].sent.start if doc.has_annotation("SENT_START") else 0
    while i >= sent_start and start - i <= 8:
        tok = doc[i]
        if tok.is_punct and tok.text not in {"-", "‐"}:
            break
        if tok.lower_ in {"or", "said", "says", "by", "with", "to", "that", "as"}:
            break
        if tok.lower_ == "and" and not (i > sent_start and doc[i - 1].text[:1].isupper()):
            break
        if tok.pos_ in _NOT_TITLE and tok.lower_ not in _TITLE_GLUE:
            break  # "... to Mauritius after U.S. President Trump": "after" ends the title
        if tok.lower_ == "and":
            break  # "Blinken and Secretary ...": a coordination, not part of this title
        i -= 1
    first = i + 1
    while first < start and doc[first].lower_ in _TITLE_GLUE:
        first += 1
    if first >= start:
        return None
    phrase = doc[first:start].text
    return (first, start) if role_sector(phrase) is not None else None


def _appositive_after(doc: Doc, end: int) -> tuple[int, int] | None:
    """Token range of an appositive role after a name: ", associate professor of ... at X,"."""
    if end >= len(doc) or doc[end].text not in {",", "("}:
        return None
    j = end + 1
    if j < len(doc) and doc[j].lower_ in {"who", "which"}:
        j += 1
        if j < len(doc) and doc[j].lemma_ == "be":
            j += 1
    first = j
    sent_end = doc[end].sent.end if doc.has_annotation("SENT_START") else len(doc)
    depth = 0
    while j < sent_end:
        tok = doc[j]
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            if depth == 0:
                break
            depth -= 1
            j += 1
            continue
        if depth:  # "(equivalent to deputy minister)": skip the aside
            j += 1
            continue
        if tok.pos_ in {"VERB", "AUX"} and tok.dep_ not in {"amod", "compound", "acl"}:
            break
        if tok.text == ";" or (
            tok.text == "," and j + 1 < sent_end and doc[j + 1].pos_ in {"VERB", "AUX", "ADV"}
        ):
            break
        j += 1
    if j <= first:
        return None
    window = doc[first : min(j, first + 30)]
    head_words = _role_words(doc[first : min(j, first + 8)])
    match = _title_match(head_words)
    # an appositive names a role ("a professor", "the minister"), not any noun phrase
    return (first, window.end) if match is not None and match.entry.kind == "title" else None


def _country_in(hits: list[GazHit], start: int, end: int) -> GazHit | None:
    inside = [h for h in hits if start <= h.start and h.end <= end and h.country]
    # the state named in a title or name ("South Korean Foreign Ministry")
    return inside[0] if inside else None


#: Role nouns whose state word is their topic ("a North Korean expert", "Iran analyst").
_TOPIC_ROLES = frozenset(
    [
        *("expert", "analyst", "specialist", "scholar", "researcher", "watcher", "observer"),
        *("correspondent", "affairs", "studies", "program", "programme", "desk", "chair"),
    ]
)


_ABOUT_WORDS = {"for", "on", "about", "toward", "towards"}
_PLACE_ENTS = {"GPE", "LOC"}
_PLACE_POPULATION = 100_000  # a smaller city's name is too often something else


def _place_country(doc: Doc, start: int, end: int) -> str | None:
    """The country of a province, state or sizeable city named (by NER) between the character
    offsets ``start`` and ``end``: "Ontario's provincial leader", "of Michigan"."""
    from ..places import gazetteer

    for ent in doc.ents:
        if ent.label_ not in _PLACE_ENTS or ent.start_char < start or ent.end_char > end:
            continue
        if ent.start > 0 and doc[ent.start - 1].lower_ in _ABOUT_WORDS:
            continue  # "envoy for Xinjiang": the role's topic, not its home
        if ent.end < len(doc) and doc[ent.end].lower_ in _TOPIC_ROLES:
            continue  # "a Texas expert"
        entry = gazetteer().resolve(ent.text)
        if (
            entry is not None
            and entry.country
            # states are the actor gazetteer's, with its own rules ("a senior Iran analyst")
            and (
                entry.kind == "admin"
                or (entry.kind == "city" and entry.population >= _PLACE_POPULATION)
            )
        ):
            return entry.country
    return None


def _role_country(doc: Doc, gaz: list[GazHit], span: Span) -> GazHit | None:
    """The state or organization with a country in a title or appositive that is the
    person's own, not the topic of the role: "special representative for North Korea at the
    State Department" is American, and so is "a North Korean expert at ... in California"."""
    for h in gaz:
        if not (span.start_char <= h.start and h.end <= span.end_char and h.country):
            continue
        inner = doc.char_span(h.start, h.end, alignment_mode="expand")
        if inner is not None:
            before = doc[inner.start - 1].lower_ if inner.start > span.start else ""
            after = doc[inner.end].lower_ if inner.end < span.end else ""
            if before in _ABOUT_WORDS or after in _TOPIC_ROLES:
                continue
        return h
    return None


_NAME_PARTICLES = {
    "von",
    "van",
    "der",
    "den",
    "de",
    "da",
    "di",
    "du",
    "bin",
    "al",
    "ibn",
    "la",
    "le",
    "dos",
    "das",
    "del",
}


class _Claims:
    """Which characters of the text are taken (by a mention, a title, a gazetteer match)."""

    def __init__(self, size: int) -> None:
        self._taken = bytearray(size + 1)

    def append(self, span: tuple[int, int]) -> None:
        start, end = span
        self._taken[start:end] = b"\x01" * (end - start)

    def free(self, start: int, end: int) -> bool:
        return not any(self._taken[start:end])


def _extend_hyphenated(doc: Doc, end: int) -> int:
    """Grow a name over what NER cut off: a split hyphenated given name ("Moon Jae - in") or
    lowercase particles before a surname ("Ursula von | der Leyen")."""
    k = end
    while k < len(doc) and doc[k].lower_ in _NAME_PARTICLES and doc[k].text.islower():
        k += 1
    if k > end and k < len(doc) and doc[k].text[:1].isupper() and doc[k].is_alpha:
        end = k + 1
    if (
        end > 0
        and doc[end - 1].lower_ in _NAME_PARTICLES
        and end < len(doc)
        and doc[end].text[:1].isupper()
    ):
        end += 1
    while (
        end + 1 < len(doc)
        and doc[end].text in {"-", "‐", "–"}
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].is_alpha
        and doc[end + 1].text[:1].islower()
    ):
        end += 2
    return end


def _person_from_span(
    doc: Doc, t0: int, t1: int, gaz: list[GazHit], claimed: _Claims, source: str
) -> Mention | None:
    t1 = _extend_hyphenated(doc, t1)
    if t0 >= t1:
        return None
    name_span = doc[t0:t1]
    mention = Mention(
        text=name_span.text,
        start=name_span.start_char,
        end=name_span.end_char,
        kind="person",
        name=name_span.text,
        source=source,
    )
    _add_role(doc, mention, t0, t1, gaz, claimed)
    return mention


def find_mentions(doc: Doc, *, dictionary_path: str | None = None) -> list[Mention]:
    """Every actor mention in ``doc``, in text order, not yet resolved into actors."""
    from .names import name_parts, same_person

    text = doc_text(doc)
    gaz = scan_gazetteer(text)
    people = actor_dictionary(dictionary_path)
    on = article_date(doc)
    claimed = _Claims(len(text))  # characters already used by a mention or a title
    in_gaz = _Claims(len(text))
    for h in gaz:
        in_gaz.append((h.start, h.end))
    mentions: list[Mention] = []

    def free(start: int, end: int) -> bool:
        return claimed.free(start, end)

    # -- people: NER persons, and places/organizations that context shows are people -------
    deferred: list[Span] = []
    long_names = {  # words of the longer names that are people's ("Obama" of "Barack Obama")
        w
        for e in doc.ents
        if e.label_ in PERSON_LABELS and len(e) > 1 and not_a_person(doc, e, people, on) is None
        for w in _surface_parts(e.text)
    }
    for ent in doc.ents:
        if ent.label_ in PERSON_LABELS:
            is_person = not _looks_like_place(doc, ent, gaz, people, on) and (
                not_a_person(doc, ent, people, on, long_names) is None
            )
        elif ent.label_ in PLACE_LABELS | ORG_LABELS:
            is_person = _looks_like_person(doc, ent, gaz, people, on)
            if not is_person:
                deferred.append(ent)
        else:
            is_person = False
        if not is_person:
            continue
        t0, t1 = _clean_person_span(ent)
        mention = _person_from_span(doc, t0, t1, gaz, claimed, f"ner:{ent.label_}")
        if mention is None or not free(mention.start, mention.end):
            continue
        claimed.append((mention.start, mention.end))
        mentions.append(mention)

    # -- a name already known as a person is a person wherever it recurs -------------------
    names = list(dict.fromkeys(m.name or m.text for m in mentions))
    for ent in deferred:
        t0, t1 = _clean_person_span(ent)
        if t0 >= t1 or not free(doc[t0].idx, doc[t1 - 1].idx + len(doc[t1 - 1])):
            continue
        candidate = doc[t0:t1].text
        if (
            in_gaz.free(doc[t0].idx, doc[t0].idx + 1)
            and any(same_person(candidate, n) for n in names)
            and role_sector(candidate) is None  # "Biden Administration" is no person
        ):
            mention = _person_from_span(doc, t0, t1, gaz, claimed, "name-variant")
            if mention is not None:
                claimed.append((mention.start, mention.end))
                mentions.append(mention)
    parts = {p for n in names for p in _surface_parts(n)}
    for tok in doc:
        if not (tok.text in parts and tok.pos_ == "PROPN"):
            continue
        neighbours = [doc[i] for i in (tok.i - 1, tok.i + 1) if 0 <= i < len(doc)]
        if any(n.pos_ == "PROPN" and n.text[:1].isupper() for n in neighbours):
            continue  # part of a longer name, which NER would have offered
        start, end = tok.idx, tok.idx + len(tok.text)
        if not free(start, end) or not in_gaz.free(start, start + 1):
            continue
        mentions.append(
            Mention(
                text=tok.text, start=start, end=end, kind="person", name=tok.text, source="surname"
            )
        )
        claimed.append((start, end))

    # -- organizations named by NER but unknown to the gazetteer ----------------------------
    for ent in doc.ents:
        if ent.label_ not in ORG_LABELS or not free(ent.start_char, ent.end_char):
            continue
        start, end = ent.start, ent.end
        while start < end and doc[start].lower_ == "the":
            start += 1
        span = doc[start:end]
        if not span.text:
            continue
        inside = [h for h in gaz if span.start_char <= h.start and h.end <= span.end_char]
        covered = sum(h.end - h.start for h in inside)
        letters = sum(ch.isalpha() for ch in span.text)
        if inside and covered >= letters * 0.8:
            continue  # "U.S.-Japan", "the ROK": the gazetteer's states and bodies say it all
        country = _country_in(gaz, span.start_char, span.end_char)
        sector = role_sector(span.text)
        if country is None:
            # "the Biden administration": the country of the person it is named after
            owner = next(
                (
                    m
                    for m in mentions
                    if m.kind == "person"
                    and m.country
                    and any(p in name_parts(span.text) for p in name_parts(m.name or m.text))
                ),
                None,
            )
            country_code = owner.country if owner else _office_holder_country(span, people, on)
        else:
            country_code = country.country
        if country_code is None and sector is None:
            continue  # no country and no organizational noun: too weak to code
        mentions.append(
            Mention(
                text=span.text,
                start=span.start_char,
                end=span.end_char,
                kind="organization",
                country=country_code,
                sector=sector,
                name=span.text,
                source="ner:ORG",
            )
        )
        claimed.append((span.start_char, span.end_char))

    # -- states and known organizations from the gazetteer ------------------------------
    for hit in gaz:
        if not free(hit.start, hit.end):
            continue
        sector = hit.sector
        if hit.kind == "state" and sector is None:
            sector = _sector_after(doc, hit)
        mentions.append(
            Mention(
                text=text[hit.start : hit.end],
                start=hit.start,
                end=hit.end,
                kind="state" if hit.kind == "state" else "organization",
                country=hit.country,
                sector=sector,
                name=hit.name,
                org=hit.code if hit.kind != "state" else None,
                source=f"gazetteer:{hit.column}",
            )
        )
    mentions.sort(key=lambda m: (m.start, m.end))
    return mentions


_GROUP_NOUN_TAGS = {"NOUN", "PROPN", "ADJ"}


def _sector_after(doc: Doc, hit: GazHit) -> str | None:
    """The sector a state word gets from the group it qualifies: "Israeli army" (MIL),
    "Syrian officials" (GOV), "Afghan rebel leaders" (REB), "Sudanese government" (GOV)."""
    span = doc.char_span(hit.start, hit.end, alignment_mode="expand")
    if span is None or span.end >= len(doc):
        return None
    if doc[span.end - 1].idx + len(doc[span.end - 1]) > hit.end:
        return None  # the state word is only part of a token ("U.S.-Japan")
    words = []
    for tok in doc[span.end : span.end + 4]:
        if tok.pos_ not in _GROUP_NOUN_TAGS or tok.ent_type_ in {"PERSON", "GPE"}:
            break
        words.append(tok)
    if not words or words[-1].pos_ not in {"NOUN", "PROPN"}:
        return None
    match = match_role(" ".join(t.text for t in words))
    return match.sector if match is not None and not match.former else None


def _office_holder_country(span: Span, people: ActorDictionary, on: date_type | None) -> str | None:
    """The country of the one office holder (on the article's date) a name in ``span`` is,
    for "the Biden administration", "the Kishida government"."""
    if on is None:
        return None
    for tok in span:
        if tok.pos_ != "PROPN":
            continue
        found = {p.country for p, role in people.by_surname(tok.text, on) if role is not None}
        if len(found) == 1:
            return found.pop()
    return None


def _surface_parts(name: str) -> set[str]:
    """Capitalized words of a multi-word person name that may stand alone ("Pardo")."""
    words = [w for w in re.split(r"\s+", name) if w]
    if len(words) < 2:
        return set()
    return {w for w in words if w[:1].isupper() and len(w) > 2 and w.isalpha()}


def _looks_like_place(
    doc: Doc, ent: Span, gaz: list[GazHit], people: ActorDictionary, on: date_type | None
) -> bool:
    """Whether a PERSON entity is really a place or an outlet (a small model's slip: "Kyiv")."""
    if any(h.start <= ent.start_char and ent.end_char <= h.end for h in gaz):
        return True
    if people.lookup(ent.text, on):
        return False
    before = doc[ent.start - 1] if ent.start > 0 else None
    return (
        before is not None
        and before.lower_ in {"in", "at", "near", "from", "to"}
        and (
            before.lower_ != "to" or before.head.lemma_ in {"travel", "go", "fly", "return", "trip"}
        )
    )


#: Last words of a place's name ("Ghazni province", "Whitsun Reef"): no person ends so.
_PLACE_WORDS = frozenset(
    [
        "province",
        "district",
        "region",
        "state",
        "county",
        "island",
        "islands",
        "reef",
        "city",
        "town",
        "village",
        "camp",
        "base",
        "airport",
        "port",
        "valley",
        "river",
        "sea",
        "strait",
        "mountains",
        "forest",
        "desert",
        "peninsula",
        "border",
        "square",
        "street",
        "avenue",
        "road",
        "bridge",
        "prefecture",
        "governorate",
        "oblast",
        "municipality",
    ]
)
#: Words of an organization's, product's or law's name: no person's name holds them.
_ORG_WORDS = frozenset(
    [
        "ministry",
        "university",
        "college",
        "institute",
        "institution",
        "company",
        "associates",
        "archive",
        "archives",
        "agenda",
        "constitution",
        "program",
        "programme",
        "node",
        "party",
        "council",
        "foundation",
        "association",
        "agency",
        "commission",
        "committee",
        "corporation",
        "bank",
        "group",
        "center",
        "centre",
        "network",
        "service",
        "services",
        "news",
        "times",
        "post",
        "press",
        "radio",
        "television",
        "airlines",
        "airways",
        "inc",
        "ltd",
        "llc",
        "co",
        "partners",
        "fund",
        "court",
        "church",
        "mosque",
        "school",
        "academy",
        "society",
        "union",
        "league",
        "alliance",
        "movement",
        "front",
        "army",
        "police",
        "force",
        "forces",
        "government",
        "administration",
        "office",
        "department",
        "law",
        "act",
        "bill",
        "treaty",
        "covid",
        "coronavirus",
    ]
)
_SPEECH_LEMMAS = frozenset(
    [
        "say",
        "tell",
        "add",
        "write",
        "note",
        "explain",
        "argue",
        "warn",
        "claim",
        "insist",
        "ask",
        "reply",
        "tweet",
        "post",
        "announce",
        "describe",
        "urge",
        "confide",
        "recall",
        "lament",
        "stress",
    ]
)
_TOWN = 50_000
_LOWER_PARTICLES = ("al-", "el-", "bin ", "ibn ", "de ", "van ", "von ", "da ", "di ")


def _line_of(text: str, start: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", start)
    return a, len(text) if b < 0 else b


def not_a_person(
    doc: Doc,
    ent: Span,
    people: ActorDictionary,
    on: date_type | None,
    long_names: set[str] | frozenset[str] = frozenset(),
) -> str | None:
    """The rule by which a PERSON entity is no person, or None when it may be one.

    ``nonperson:<rule>``, the first that applies, unless the dated dictionary knows the name:

    * ``form`` - a digit ("F-35s", "COVID-19"), no lower-case letter ("PNH", "JFK") or a
      lower-case start that is no name particle ("salami");
    * ``org-word`` / ``place-word`` - a word of an organization's name ("Dezan Shira &
      Associates", "Wan Guo Jin Liang Company") or a place's last word ("Ghazni province");
    * ``place`` - a place of the places gazetteer ("Istanbul", "Da Nang"), not a part of a
      longer person's name in the article ("Obama" of "Barack Obama") nor after a title;
    * ``heading`` - in the headline or a heading (a line with no final stop, or in capitals)
      and named nowhere else in the text ("Bear Brunt", "Lags Behind Region");
    * ``lone-word`` - one word with no title before it, no role after it, no longer person's
      name it belongs to, and not the speaker of a verb of saying ("Math", "Twitter").
    """
    from ..places import gazetteer

    t0, t1 = _clean_person_span(ent)
    if t0 >= t1:
        return None
    span = doc[t0:t1]
    name = span.text
    if people.lookup(name, on) or (len(span) == 1 and people.by_surname(name, on)):
        return None
    words = [w for w in re.split(r"[\s]+", name) if w]
    if (
        any(ch.isdigit() for ch in name)
        or not any(ch.islower() for ch in name)
        or (name[:1].islower() and not name.lower().startswith(_LOWER_PARTICLES))
    ):
        return "nonperson:form"
    folded = [re.sub(r"[^a-z]", "", w.lower()) for w in words]
    if any(w in _ORG_WORDS for w in folded) or "&" in words:
        return "nonperson:org-word"
    if len(words) > 1 and folded[-1] in _PLACE_WORDS:
        return "nonperson:place-word"
    titled = _title_before(doc, t0) is not None
    if not titled and not (len(span) == 1 and name in long_names):
        entry = gazetteer().resolve(name)
        if (
            entry is not None
            and entry.kind in {"city", "admin", "country"}
            # a small town's name is as often a surname ("Boua")
            and (len(span) > 1 or entry.kind != "city" or entry.population >= _TOWN)
        ):
            return "nonperson:place"
    text = doc_text(doc)
    a, b = _line_of(text, span.start_char)
    line = text[a:b].strip()
    heading = b < len(text) and (
        a == 0 or not line.endswith((".", "?", "!", '"', "”", ":")) or line.isupper()
    )
    if heading and not any(
        not (a <= m.start() < b) for m in re.finditer(rf"\b{re.escape(words[-1])}\b", text)
    ):
        return "nonperson:heading"
    if len(span) == 1 and not titled and name not in long_names:
        tok = span[0]
        speaks = tok.dep_ in {"nsubj", "nsubjpass"} and tok.head.lemma_ in _SPEECH_LEMMAS
        if not speaks and _appositive_after(doc, t1) is None:
            return "nonperson:lone-word"
    return None


def _looks_like_person(
    doc: Doc, ent: Span, gaz: list[GazHit], people: ActorDictionary, on: date_type | None
) -> bool:
    """Whether a place/organization entity is really a person (a small model's NER slip)."""
    if any(h.start < ent.end_char and ent.start_char < h.end for h in gaz):
        return False  # (part of) a known place or organization
    if people.lookup(ent.text, on) or (len(ent) == 1 and people.by_surname(ent.text, on)):
        return True
    if ent.label_ in ORG_LABELS:
        return False
    # "Secretary of Defense Austin", "Pardo, a professor at ...": a title around it; not
    # the place a title is of ("governor of the Veneto region") nor one after a person's
    # name ("Congressman Andy Levin of Michigan")
    title = _title_before(doc, ent.start)
    if title is None or ent[0].pos_ != "PROPN" or doc[ent.start - 1].lower_ in _TITLE_GLUE:
        return False
    return not any(doc[i].ent_type_ in PERSON_LABELS for i in range(*title))


def _add_role(
    doc: Doc,
    mention: Mention,
    t0: int,
    t1: int,
    gaz: list[GazHit],
    claimed: _Claims,
) -> None:
    """Fill a person's role, sector, country and affiliation from a title or an appositive."""
    if t1 + 1 < len(doc) and doc[t1].lower_ == "of" and mention.country is None:
        after = doc[t1 + 1 : t1 + 4]
        state = _country_in(gaz, after.start_char, after.end_char)
        if state is not None and state.kind == "state" and state.start == after.start_char:
            mention.country = state.country  # "King Hassan of Morocco"
        elif state is None and doc[t1 + 1].ent_type_ in _PLACE_ENTS:
            # "Congressman Andy Levin of Michigan": a province or state of a country
            mention.country = _place_country(doc, after.start_char, after.end_char)
    for found in (_title_before(doc, t0), _appositive_after(doc, t1)):
        if found is None:
            continue
        a, b = found
        span = doc[a:b]
        # the role itself comes before its affiliation: "professor ... at X University"
        match = _title_match(_role_words(span)) or _title_match(span.text)
        if match is None:
            continue
        role_text = ("former " if match.former else "") + match.entry.phrase
        sector = match.sector
        if mention.role is None:
            mention.role = role_text
            mention.sector = sector
        country = _role_country(doc, gaz, span)
        if country is not None and mention.country is None:
            mention.country = country.country
        elif country is None and mention.country is None:
            mention.country = _place_country(doc, span.start_char, span.end_char)
        body = next(
            (
                h
                for h in gaz
                if span.start_char <= h.start
                and h.end <= span.end_char
                and h.kind == "organization"
                and h.code
                and not h.country
            ),
            None,
        )
        if body is not None and mention.org is None:
            mention.org = body.code  # "EU foreign-policy chief", "IAEA Director General"
        orgs = [
            e
            for e in doc.ents
            if e.label_ in ORG_LABELS
            and span.start_char <= e.start_char
            and e.end_char <= span.end_char
        ]
        if orgs and mention.org is None:
            mention.org = orgs[0].text
        if a < t0:
            claimed.append((span.start_char, span.end_char))


def _title_match(phrase: str) -> RoleMatch | None:
    """The role a title names: the longest match, unless it is an organization noun and a
    person's title follows it ("Foreign Ministry spokesman" is a spokesman)."""
    match = match_role(phrase)
    if match is None or match.entry.kind == "title":
        return match
    words = phrase.split()
    for k in range(1, len(words)):
        tail = match_role(" ".join(words[k:]))
        if tail is not None and tail.entry.kind == "title":
            former = match.former or tail.former
            return RoleMatch(tail.entry, "ELI" if former else tail.entry.sector, former)
    return match


def _role_words(span: Span) -> str:
    """The role noun phrase of a title/appositive, without states, articles or affiliation."""
    words: list[Token] = []
    for tok in span:
        if tok.lower_ in {"at", "in", "with", "under", ",", "(", "who", "is", "was"}:
            break
        words.append(tok)
    phrase = " ".join(t.text for t in words).strip()
    phrase = re.sub(r"^(the|a|an)\s+", "", phrase, flags=re.I)
    return phrase
