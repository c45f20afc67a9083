"""Actors the news does not name: group nouns, places acted upon, people without a country.

Three passes over a parsed ``Doc`` after :func:`realpolitik.actors.recognize.find_mentions`:

* **Unnamed agents** (:func:`agent_mentions`): a noun phrase whose head is in the agent
  lexicon (``data/agents.tsv``: protesters CVL, gunmen REB, prosecutors JUD, ...) becomes a
  ``group`` mention. Its country comes from the text in a fixed order, and the step that gave
  it is recorded in ``Mention.source`` (``agent:<step>``):

  1. ``modifier`` - a state word inside the phrase ("Egyptian prosecutors", "Sudan's army";
     there the state mention itself takes the sector and no new mention is made),
  2. ``of`` - an "of"-phrase naming a state ("the army of Sudan"),
  3. ``clause-place`` - a place in a locative slot of the same sentence ("in Borno State"),
  4. ``paragraph-place`` - such a place in one of the three sentences before, same paragraph,
  5. ``dateline`` - the article's dateline ("CAIRO -"),
  6. ``main-country`` - the country the article names most (at least a third of the
     country mentions, and at least two mentions).

  A state named elsewhere in the sentence is never used: co-occurrence is not evidence.

* **Places as actors** (:func:`place_mentions`): a city, region or island in a subject or
  object slot (not after a locative preposition) is that country's civilians (``CVL``):
  "shelled Kharkiv", "Kharkiv came under fire". The place must resolve (places gazetteer) to
  a country the article names elsewhere; disputed places take the gazetteer's country.
  Capitals standing for governments are already state mentions ("Beijing warned").

* **People without a country** (:func:`fill_person_countries`): a person with a state title
  (sector GOV, MIL or LEG) but no country and no affiliation ("Prime Minister X" with no
  demonym) gets the article's main country
  (``title:main-country``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from ..doctext import doc_text
from ..errors import DictionaryError
from ..records import Actor, Mention
from .gazetteer import SECTORS

_NOUN_TAGS = {"NOUN", "PROPN"}
_MODIFIER_DEPS = {"compound", "amod", "nmod", "poss", "nummod"}
_INSTITUTION_WORDS = {
    *("university", "college", "institute", "institution", "center", "centre", "school"),
    *("foundation", "council", "academy", "society", "association", "group", "program"),
    *("programme", "office", "department", "ministry", "bank", "fund", "party", "union"),
    *("agency", "commission", "committee", "forum", "project", "initiative", "studies"),
}
_LOCATIVE = {"in", "at", "near", "from", "across", "outside", "inside", "around", "throughout"}


@dataclass(frozen=True, slots=True)
class AgentNoun:
    phrase: str  # lower-case words, the last one a lemma
    sector: str


@cache
def agent_lexicon() -> dict[str, AgentNoun]:
    """The agent lexicon, by phrase (``data/agents.tsv``)."""
    text = resources.files("realpolitik.actors").joinpath("data/agents.tsv").read_text("utf-8")
    out: dict[str, AgentNoun] = {}
    header_seen = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            if cells != ["phrase", "sector"]:
                raise DictionaryError(
                    f"agents.tsv line {number}: expected the header 'phrase<TAB>sector'",
                    hint="restore the header line",
                )
            header_seen = True
            continue
        if len(cells) != 2 or not cells[0].strip():
            raise DictionaryError(
                f"agents.tsv line {number}: expected 'phrase<TAB>sector', got {line!r}",
                hint="write one phrase and one sector code per line, separated by a tab",
            )
        phrase, sector = cells[0].strip().lower(), cells[1].strip()
        if sector not in SECTORS:
            raise DictionaryError(
                f"agents.tsv line {number}: unknown sector {sector!r}",
                hint=f"use one of {' '.join(sorted(SECTORS))}",
            )
        out[phrase] = AgentNoun(phrase, sector)
    return out


def _covered(mentions: list[Mention], start: int, end: int) -> Mention | None:
    return next((m for m in mentions if m.start < end and start < m.end), None)


def _paragraph_of(text: str, char: int) -> tuple[int, int]:
    start = text.rfind("\n\n", 0, char)
    end = text.find("\n\n", char)
    return (0 if start < 0 else start + 2), (len(text) if end < 0 else end)


def _match(head: Token) -> tuple[AgentNoun, Token] | None:
    """The longest lexicon phrase ending in ``head``: its words before the head are the
    contiguous compound/adjective modifiers ("riot police", "security forces")."""
    lexicon = agent_lexicon()
    mods: list[Token] = []
    for left in reversed(list(head.lefts)):
        if left.i != (mods[-1].i - 1 if mods else head.i - 1):
            break
        if left.dep_ not in {"compound", "amod"}:
            break
        mods.append(left)
    mods.reverse()
    last = head.lemma_.lower()
    for k in range(len(mods) + 1):
        words = [t.lower_ for t in mods[k:]]
        for form in (last, head.lower_):
            phrase = " ".join([*words, form])
            if phrase in lexicon:
                return lexicon[phrase], (mods[k] if k < len(mods) else head)
    return None


def _state_in(mentions: list[Mention], start: int, end: int) -> Mention | None:
    return next(
        (m for m in mentions if m.kind == "state" and m.country and start <= m.start < end), None
    )


class _Context:
    """Where an unnamed agent's country may come from, computed once per Doc."""

    def __init__(self, doc: Doc, mentions: list[Mention]) -> None:
        from ..places import doc_places, find_dateline, gazetteer

        self.doc = doc
        self.text = doc_text(doc)
        self.places = [
            (p.start, p.place.country) for p in doc_places(doc) if p.place.country is not None
        ]
        self.dateline: str | None = None
        found = find_dateline(self.text)
        if found is not None:
            entry = gazetteer().resolve(found[0], qualifier=found[1])
            self.dateline = entry.country if entry is not None else None
        # an armed group's home ("al-Shabab" in a Kenyan story) is no sign of the story's
        counts = Counter(
            m.country
            for m in mentions
            if m.country
            and m.kind != "group"
            and not (m.kind == "organization" and m.sector == "REB")
        )
        self.main: str | None = None
        if counts:
            country, n = counts.most_common(1)[0]
            if n >= 2 and n >= sum(counts.values()) / 3:
                self.main = country
        self.sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        self._sent_index = [0] * len(doc)  # token -> its sentence (Token.sent rescans the Doc)
        for n, s in enumerate(self.sents):
            for i in range(s.start, s.end):
                self._sent_index[i] = n

    def sent_of(self, i: int) -> Span:
        return self.sents[self._sent_index[i]]

    def country_for(self, tok: Token) -> tuple[str, str] | None:
        sent = self.sent_of(tok.i)
        here = [c for start, c in self.places if sent.start_char <= start < sent.end_char]
        if here:
            return here[0], "clause-place"
        p0, _ = _paragraph_of(self.text, tok.idx)
        k = next((n for n, s in enumerate(self.sents) if s.start == sent.start), 0)
        for before in reversed(self.sents[max(0, k - 3) : k]):
            if before.start_char < p0:
                break
            inside = [c for s, c in self.places if before.start_char <= s < before.end_char]
            if inside:
                return inside[-1], "paragraph-place"
        if self.dateline:
            return self.dateline, "dateline"
        if self.main:
            return self.main, "main-country"
        return None


def agent_mentions(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Mentions of unnamed agents (see the module docstring); may set the sector of a state
    mention that modifies an agent noun ("Sudan's army")."""
    if not doc.has_annotation("DEP"):
        return []
    ctx: _Context | None = None
    out: list[Mention] = []
    text = doc_text(doc)  # rebuilt on every access
    for tok in doc:
        if tok.pos_ not in _NOUN_TAGS or tok.dep_ == "compound":
            continue
        found = _match(tok)
        if found is None:
            continue
        after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if after is not None and after.text == ":" and (tok.i == 0 or tok.is_sent_start):
            continue  # a heading or label ("Experts: ...", "Analysts:"), not an actor
        agent, first = found
        start, end = first.idx, tok.idx + len(tok.text)
        if _covered(mentions, start, end) or _covered(out, start, end):
            continue
        left = tok.left_edge.idx
        if any(m.kind == "organization" and left <= m.start < start for m in mentions):
            continue  # "the UN court", "the Hamas leadership": the organization itself
        state = _state_in(mentions, left, start)
        if state is not None:  # "Egyptian prosecutors", "Sudan's army"
            if state.sector is None:
                state.sector = agent.sector
                state.source = f"{state.source}+agent:modifier"
            continue
        country, step = None, ""
        for child in tok.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    st = _state_in(mentions, obj.left_edge.idx, obj.idx + len(obj.text))
                    if st is not None:
                        country, step = st.country, "of"
        if country is None:
            ctx = ctx or _Context(doc, mentions)
            got = ctx.country_for(tok)
            if got is None:
                continue
            country, step = got
        out.append(
            Mention(
                text=text[start:end],
                start=start,
                end=end,
                kind="group",
                country=country,
                sector=agent.sector,
                name=agent.phrase,
                source=f"agent:{step}",
            )
        )
    return out


def _slot_of(tok: Token) -> str | None:
    """``subject``/``object`` when a name fills an argument slot, None when it is locative."""
    head = tok
    while head.dep_ in {"compound", "flat"} and head.head is not head:
        head = head.head
    if head.dep_ == "pobj":
        prep = head.head
        if prep.lower_ in _LOCATIVE or prep.head.pos_ in _NOUN_TAGS:
            return None
        return "object"
    if head.dep_ in {"nsubj", "nsubjpass"}:
        return "subject"
    if head.dep_ in {"dobj", "obj"}:
        return "object"
    return None


def place_mentions(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Cities, regions and islands acted upon: that country's civilians (``CVL``)."""
    from ..places import gazetteer

    if not doc.has_annotation("DEP"):
        return []
    g = gazetteer()
    named = {m.country for m in mentions if m.country}
    out: list[Mention] = []
    for ent in doc.ents:
        if ent.label_ not in {"GPE", "LOC", "FAC"}:
            continue
        if _covered(mentions, ent.start_char, ent.end_char):
            continue
        name = re.sub(r"^(the)\s+", "", ent.text, flags=re.I)
        entry = g.resolve(name)
        if entry is None or entry.kind == "country" or entry.country not in named:
            continue  # a place whose country the article never names is likely misread
        if _slot_of(ent.root) is None:
            continue
        out.append(
            Mention(
                text=ent.text,
                start=ent.start_char,
                end=ent.end_char,
                kind="state",
                country=entry.country,
                sector="CVL",
                name=entry.name,
                source=f"place:{entry.kind}",
            )
        )
    return out


def settle_person_countries(doc: Doc, mentions: list[Mention], actors: list[Actor]) -> None:
    """Give a country to each person the dictionary and the title left without one.

    In order, each step named in ``Actor.basis``: ``person:affiliation`` - the state, place or
    known organization named in the person's affiliation ("professor at the University of
    Melbourne" -> AUS, "fellow at the Heritage Foundation" -> USA);
    ``person:demonym`` - a demonym in the words right before the name that no title
    explained ("American energy consultant John Rockhold");
    ``person:of`` - a state, place or organization in an "of"-phrase right after the name
    ("Andy Levin of Michigan", "Soli Ozel of Istanbul's Kadir Has University");
    ``person:apposition`` - a state, demonym or place in an apposition after or before the
    name ("Francesco Sisci, an Italian Sinologist", "a beautician from Zimbabwe", "a Russian
    internet celebrity, Vladislav Kokolevskiy"), not one the role is about ("a North Korea
    expert", "envoy for Syria");
    an apposition may also be a role without an article (", director of a center in
    Berlin,") or a known actor's possessive ("Trump's special envoy, X"), and where it names an
    international body ("WFP's country director", "a spokesperson for UNHCR") the person gets
    the body's IGO code instead of a country;
    ``person:outlet`` - the home of a news outlet whose reporter the person is ("VOA's X");
    ``person:byline`` - the publisher's home (``Article.source``) for the names of a byline
    ("X and Y contributed to this report", "X reported from Washington");
    ``person:main-country`` - the article's main country (see :class:`_Context`).
    Runs after resolution, so dictionary entries ("Donald Trump") are never overridden.
    """
    from ..places import gazetteer
    from .recognize import scan_gazetteer

    todo = [a for a in actors if a.kind == "person" and a.country is None]
    if not todo:
        return
    by_actor: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.actor:
            by_actor.setdefault(m.actor, []).append(m)
    g = gazetteer()
    main = _Context(doc, mentions).main
    known = {a.id: a for a in actors}
    others = [m for m in mentions if m.actor in known]
    outlet = _outlet_country(doc)
    for actor in todo:
        if (actor.code or "").startswith("IGO"):
            continue  # an official of an international body
        country, basis = None, ""
        for m in by_actor.get(actor.id, []):
            if not m.org or country:
                continue
            # a state or capital in it, or a known organization with a home country
            hits = [h for h in scan_gazetteer(m.org) if h.country]
            if hits:
                country = hits[0].country
            else:
                for name in re.findall(r"[A-Z][\w'-]+(?: [A-Z][\w'-]+)*", m.org):
                    if name.lower() in _INSTITUTION_WORDS:
                        continue  # "University", "Institute": towns of that name exist
                    entry = g.resolve(name)
                    if entry is None or not entry.country or entry.kind == "water":
                        continue
                    if entry.kind == "city" and entry.population < 50_000:
                        continue
                    country = entry.country
                    break
            basis = "person:affiliation"
        if country is None:
            for m in by_actor.get(actor.id, []):
                got = _country_near(doc, m, others, known, outlet)
                if got is not None:
                    country, basis = got
                    break
        if country is not None and country.startswith("IGO"):
            # the staff of an international body ("WFP's country director", "Guterres'
            # spokesman"): the body's code, no country
            actor.code, actor.basis = country, basis
            continue
        if country is None and main is not None:
            country, basis = main, "person:main-country"
        if country is None:
            continue
        actor.country = country
        actor.code = country + (actor.sector or "")
        actor.basis = basis


#: Nouns whose state modifier is their topic, not their nationality ("a North Korea expert").
_TOPIC_NOUNS = frozenset(
    [
        *("expert", "experts", "analyst", "specialist", "scholar", "researcher", "watcher"),
        *("observer", "affairs", "policy", "desk", "studies", "correspondent", "program"),
        *("programme", "chair", "initiative", "relations", "bureau", "service", "team"),
    ]
)
_TOPIC_BEFORE = frozenset(
    ["for", "on", "about", "to", "toward", "towards", "against", "in", "with"]
)


def _place_country(name: str) -> str | None:
    """The country of a city or region the places gazetteer knows well enough."""
    from ..places import gazetteer

    entry = gazetteer().resolve(name)
    if entry is None or not entry.country or entry.kind not in {"city", "admin", "country"}:
        return None
    if entry.kind == "city" and entry.population < 50_000:
        return None
    return entry.country


def _role_first(doc: Doc, a: int, b: int) -> bool:
    """Whether ``doc[a:b]`` reads as a role: a role noun among its first words, before any
    preposition ("director of ...", "former CIA deputy division chief", "WFP's acting
    country director in Malawi"), not a list of names or a clause."""
    from .gazetteer import match_role

    k = a
    while k < min(b, a + 8):
        tok = doc[k]
        if tok.ent_type_ == "PERSON" or tok.pos_ in {"PRON", "SCONJ", "CCONJ", "ADP", "DET"}:
            break
        if tok.pos_ in {"VERB", "AUX"} and tok.dep_ not in {"amod", "compound"}:
            break
        k += 1
    if k == a:
        return False
    head = doc[a:k]
    return match_role(head.text) is not None or any(
        t.pos_ == "NOUN" and _names_a_person(t) for t in head
    )


def _window_country(
    doc: Doc, a: int, b: int, *, states_only: bool = False, igo: bool = False
) -> str | None:
    """The first state, demonym, organization or place of ``doc[a:b]`` that is not a topic
    (with ``igo``, an international body's ``IGO...`` code counts as one)."""
    from ..places import gazetteer
    from .recognize import scan_gazetteer

    if a >= b:
        return None
    span = doc[a:b]
    base = span.start_char
    for h in scan_gazetteer(span.text):
        body = _igo_or_country(h) if igo and not states_only else None
        is_igo = body is not None and body.startswith("IGO")
        if not (h.country or is_igo) or (states_only and h.kind != "state"):
            continue
        inner = doc.char_span(base + h.start, base + h.end, alignment_mode="expand")
        if inner is None:
            continue
        before = doc[inner.start - 1].lower_ if inner.start > 0 else ""
        after = doc[inner.end].lower_ if inner.end < len(doc) else ""
        # "in" is where the role is held ("a professor ... in South Africa") unless a topic
        # noun takes it ("a specialist in China")
        seat = (
            before == "in" and inner.start > 1 and doc[inner.start - 2].lower_ not in _TOPIC_NOUNS
        )
        # "a spokesperson for UNHCR": an organization after "for" is the employer, a state
        # the topic ("envoy for Syria")
        employer = before == "for" and h.kind == "organization"
        if (before in _TOPIC_BEFORE and not (seat or employer)) or after in _TOPIC_NOUNS:
            continue
        nxt = doc[inner.end] if inner.end < len(doc) else None
        if h.column != "adjective" and nxt is not None and nxt.pos_ == "PROPN" and nxt.is_title:
            continue  # part of a longer name: "the Vietnam War", "a Korea Foundation fellow"
        return body if is_igo else h.country
    if states_only:
        return None
    for ent in doc.ents:
        if ent.label_ in {"GPE", "LOC"} and a <= ent.start and ent.end <= b:
            before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
            after = doc[ent.end].lower_ if ent.end < len(doc) else ""
            if before in {"for", "on", "about", "to", "toward", "towards", "against"}:
                continue
            if after in _TOPIC_NOUNS:
                continue
            country = _place_country(re.sub(r"^the\s+", "", ent.text, flags=re.I))
            if country:
                return country
    # "a firefighter from Edmonton" where the tagger took the city for an organization
    for k in range(max(a, 1), b):
        if doc[k - 1].lower_ not in {"from", "in"} or doc[k].pos_ != "PROPN":
            continue
        if doc[k].ent_type_ in {"GPE", "LOC", "PERSON"}:
            continue  # the entity loop above had its say
        if k >= 2 and doc[k - 2].lower_ in _TOPIC_NOUNS:
            continue  # "a specialist in Korea"
        end = k
        while end < b and doc[end].pos_ == "PROPN":
            end += 1
        entry = gazetteer().resolve(doc[k:end].text)
        if entry is not None and entry.kind in {"city", "admin"}:
            country = _place_country(doc[k:end].text)
            if country:
                return country
    return None


_AGENT_SUFFIXES = (
    "ist",
    "ant",
    "ent",
    "er",
    "or",
    "ian",
    "man",
    "woman",
    "ee",
    "ive",
    "ary",
    "ess",
)


#: Role heads that neither the sectors table nor an agent ending gives ("division chief").
_ROLE_HEADS = frozenset(["chief", "head", "deputy", "aide", "fellow", "envoy", "staffer"])


def _names_a_person(tok: Token) -> bool:
    """Whether a noun may name a person's role ("consultant", "celebrity"), not a thing
    ("reluctance"): a known title, or an agent noun's ending."""
    from .gazetteer import match_role

    if match_role(tok.text) is not None or tok.lower_ in _ROLE_HEADS:
        return True
    return tok.pos_ in {"NOUN", "PROPN"} and tok.lower_.endswith(_AGENT_SUFFIXES)


def _outlet_country(doc: Doc) -> str | None:
    """The home country of the article's publisher (``Article.source``), where the actor
    dictionary knows it as a news outlet ("Voice of America" -> USA)."""
    from .recognize import scan_gazetteer

    article = doc._.rp_article if doc.has_extension("rp_article") else None
    source = getattr(article, "source", None)
    if not source:
        return None
    for h in scan_gazetteer(source):
        if h.kind == "organization" and h.sector == "MED" and h.country:
            return h.country
    return None


#: Verbs of a byline: "X contributed to this report", "X reported from Washington",
#: "X has more from Paris".
_BYLINE = re.compile(
    r"(?:\s*(?:,|and)\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)*\s+"
    r"(?:contributed\b|reported\s+from\b|reports\s+from\b|has\s+more\b|filed\s+this\b)"
)


def _igo_or_country(h: object) -> str | None:
    """A gazetteer hit's country, or ``IGO...`` code for an international body."""
    code = getattr(h, "code", None) or ""
    if getattr(h, "kind", "") == "organization" and code.startswith("IGO"):
        return str(code)
    country = getattr(h, "country", None)
    return str(country) if country else None


def _possessor(
    doc: Doc, a: int, b: int, others: list[Mention], known: dict[str, Actor]
) -> str | None:
    """The country (or IGO code) of a known actor named with a possessive in ``doc[a:b]``:
    "Guterres' spokesman", "President Donald Trump's special envoy"."""
    lo, hi = doc[a].idx, doc[b - 1].idx + len(doc[b - 1])
    for m in others:
        if not (lo <= m.start and m.end <= hi):
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or span.end >= len(doc):
            continue
        nxt = doc[span.end]
        if nxt.text not in {"'s", "’s", "'", "’"} and not span[-1].text.endswith(("'", "’")):
            continue
        actor = known.get(m.actor or "")
        if actor is None or actor.kind not in {"person", "state", "organization"}:
            continue
        code = actor.code or ""
        if code.startswith("IGO"):
            return code
        if actor.country:
            return actor.country
    return None


def _country_near(
    doc: Doc,
    m: Mention,
    others: list[Mention] | None = None,
    known: dict[str, Actor] | None = None,
    outlet: str | None = None,
) -> tuple[str, str] | None:
    """A person's country from the words around one of its mentions (see
    :func:`settle_person_countries`): ``person:of``, ``person:apposition``, ``person:outlet``,
    ``person:byline``. The result is an ``IGO...`` code for an international body's staff."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return None
    sent = span.sent if doc.has_annotation("SENT_START") else doc[:]
    t0, t1 = span.start, span.end
    others = others or []
    known = known or {}
    # "X and Y contributed to this report", "X reported from Washington"
    if outlet is not None and _BYLINE.match(doc.text, span.end_char) is not None:
        return outlet, "person:byline"
    # "American energy consultant John Rockhold": a demonym in the words right before the name
    i = t0
    while i > sent.start and t0 - i < 6 and doc[i - 1].pos_ in {"ADJ", "NOUN", "PROPN"}:
        if doc[i - 1].ent_type_ == "PERSON":
            break
        i -= 1
    if i < t0 and _names_a_person(doc[t0 - 1]):
        from .recognize import scan_gazetteer

        base = doc[i].idx
        for h in scan_gazetteer(doc[i:t0].text):
            if h.kind == "state" and h.column == "adjective" and h.country:
                inner = doc.char_span(base + h.start, base + h.end, alignment_mode="expand")
                after = doc[inner.end].lower_ if inner is not None and inner.end < t0 else ""
                if after not in _TOPIC_NOUNS:
                    return h.country, "person:demonym"
    # "X of Michigan", "X of Istanbul's Kadir Has University"
    if t1 + 1 < sent.end and doc[t1].lower_ == "of":
        j = t1 + 1
        while j < sent.end and j < t1 + 9 and not (doc[j].is_punct and doc[j].text != "'s"):
            j += 1
        got = _window_country(doc, t1 + 1, j)
        if got:
            return got, "person:of"
    # ", an Italian Sinologist,", ", a beautician from Zimbabwe"
    if t1 < sent.end and doc[t1].text == ",":
        j = t1 + 1
        while j < sent.end and j < t1 + 16 and doc[j].text not in {",", ";", ".", "(", "“", '"'}:
            if doc[j].pos_ in {"VERB", "AUX"} and doc[j].dep_ not in {"amod", "acl", "compound"}:
                break
            j += 1
        if j > t1 + 1 and doc[t1 + 1].lower_ in {"a", "an", "the"}:
            got = _window_country(doc, t1 + 1, j, igo=True)
            if got:
                return got, "person:apposition"
        elif j > t1 + 1 and _role_first(doc, t1 + 1, j):
            # ", director of the Carnegie Russia Eurasia Center in Berlin,", ", WFP's acting
            # country director in Malawi,": a role without an article
            got = _possessor(doc, t1 + 1, j, others, known) or _window_country(
                doc, t1 + 1, j, igo=True
            )
            if got:
                return got, "person:apposition"
    # "a Russian internet celebrity, X", "Somalia's ambassador to Kenya, X"
    if t0 >= 2 and doc[t0 - 1].text == ",":
        i = t0 - 2
        while i > sent.start and t0 - i < 12 and doc[i].text not in {",", ";", ":"}:
            if doc[i].pos_ in {"VERB", "AUX"}:
                break
            i -= 1
        first = (
            i
            if doc[i].text not in {",", ";", ":"} and doc[i].pos_ not in {"VERB", "AUX"}
            else i + 1
        )
        article = next((k for k in range(first, t0 - 1) if doc[k].lower_ in {"a", "an"}), None)
        if article is not None:
            first = article
        if first < t0 - 1 and _names_a_person(doc[t0 - 2]):
            # "Guterres' spokesman, Stephane Dujarric"
            got = _possessor(doc, first, t0 - 1, others, known)
            if got:
                return got, "person:apposition"
        if (first < t0 - 1 and doc[first].lower_ in {"a", "an"}) or (
            first < t0 - 1 and doc[first].text[:1].isupper() and doc[first].is_sent_start
        ):
            got = _window_country(doc, first, t0 - 1, states_only=True)
            if got:
                return got, "person:apposition"
    # "VOA's Sahra Abdi Ahmed"
    if t0 >= 2 and doc[t0 - 1].text in {"'s", "’s"}:
        from .recognize import scan_gazetteer

        hits = scan_gazetteer(doc[t0 - 2].text)
        if hits and hits[0].sector == "MED" and hits[0].country:
            return hits[0].country, "person:outlet"
    return None
