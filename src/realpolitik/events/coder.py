"""The event coder: who did what to whom, from the dependency parse and the lexicon.

For every predicate in a sentence (a verb, a light-verb construction such as "held talks",
or an event noun such as "visit to" / "criticism of"), the coder

1. looks the predicate up in the trigger lexicon (:mod:`realpolitik.events.lexicon`);
2. finds its source (subject, passive agent, possessor, inherited subject of a coordinated or
   controlled verb, "the two countries" = the last pair of states named) and its targets
   (object, passive subject, the trigger's prepositions), expanding coordinations;
3. records negation and modality (future, conditional, hypothetical, reported inside a quote);
4. optionally lets the learned classifier overrule the lexicon when it is confident.

Quotations become statement events with the speaker as source and each actor the content is
about as target. Every event names the coder version, the rule or model, and a confidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..doctext import doc_text
from ..records import Actor, Article, Event, Mention, Participant, Quote
from ..records import Span as TextSpan
from .decide import Decider, default_decider
from .lexicon import LexEntry, load_lexicon
from .ontology import CameoCode, default_code_for_plover, get, plover_root_label

CODER = "realpolitik.events.rules/0.1.0"
SUBJECTS = {"nsubj", "csubj"}
PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
OBJECTS = {"dobj", "dative", "obj", "iobj"}
NOUN_SOURCE_PREPS = {"by", "from"}
NOUN_TARGET_PREPS = {"of", "on", "against", "to", "with", "toward", "towards", "into"}
VERB_TARGET_PREPS = {"with", "against", "to", "on", "toward", "towards"}
TOPIC_PREPS = {"on", "of", "into"}
NO_DESCENT = {
    "relcl",
    "ccomp",
    "advcl",
    "xcomp",
    "parataxis",
    "acl",
    "appos",
    "punct",
    "cc",
    "conj",
    "mark",
}
PAIR_PHRASES = (
    "two countries",
    "two sides",
    "both sides",
    "both countries",
    "two nations",
    "two governments",
    "two allies",
    "two leaders",
    "the two",
    "both nations",
    "the duo",
    "two ministers",
    "two foreign ministers",
    "two defense ministers",
    "two defence ministers",
)
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
HYPOTHETICAL_AUX = {"would", "could", "might", "may", "should", "can"}
MAX_TARGETS = 4


@dataclass(frozen=True, slots=True)
class Arg:
    """One resolved participant: a mention (or a pair member) and its actor."""

    actor: Actor | None
    text: str
    country: str | None
    code: str | None

    def participant(self) -> Participant:
        return Participant(
            actor=self.actor.id if self.actor else None,
            code=self.code,
            country=self.country,
            text=self.text,
        )

    @property
    def key(self) -> str:
        return self.actor.id if self.actor else f"?{self.country}:{self.text}"


class _Context:
    """Per-document lookups shared by every sentence."""

    def __init__(self, doc: Doc, decider: Decider | None = None) -> None:
        self.doc = doc
        self.decider = decider if decider is not None else Decider(None)
        self.text = doc_text(doc)  # Doc.text is rebuilt on every access
        self.article: Article | None = doc._.rp_article
        self.actors: dict[str, Actor] = {a.id: a for a in (doc._.rp_actors or [])}
        self.mentions: list[Mention] = [m for m in (doc._.rp_mentions or []) if m.actor]
        self.quotes: list[Quote] = list(doc._.rp_quotes or [])
        self.by_token: dict[int, list[Mention]] = {}
        for m in self.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for tok in span:
                self.by_token.setdefault(tok.i, []).append(m)

    def arg_from_mention(self, m: Mention) -> Arg:
        actor = self.actors.get(m.actor or "")
        return Arg(
            actor=actor,
            text=m.text,
            country=actor.country if actor else m.country,
            code=actor.code if actor else None,
        )

    def quote_at(self, char: int) -> Quote | None:
        for q in self.quotes:
            if q.start <= char < q.end:
                return q
        return None

    def recent_pair(self, before: int) -> list[Arg]:
        """The pair of countries "the two countries" most likely means at a point in the text:
        the pair named together most often in the sentences before it, recent ones weighing
        more (so the pair an article is about wins over a pair named in passing)."""
        scores: dict[tuple[str, str], float] = {}
        sentences = [s for s in self.doc.sents if s.start_char < before]
        for distance, sent in enumerate(reversed(sentences)):
            countries = sorted(
                {
                    c
                    for m in self.mentions
                    if sent.start_char <= m.start < min(sent.end_char, before)
                    and (c := self._country_of(m))
                }
            )
            for i, a in enumerate(countries):
                for b in countries[i + 1 :]:
                    scores[(a, b)] = scores.get((a, b), 0.0) + 0.9**distance
        if not scores:
            return []
        pair = max(scores, key=lambda k: scores[k])
        args = []
        for country in pair:
            state = next(
                (
                    a
                    for a in self.actors.values()
                    if a.kind == "state" and a.country == country and not a.sector
                ),
                None,
            )
            label = state.name if state else country
            args.append(
                Arg(actor=state, text=label, country=country, code=state.code if state else country)
            )
        return args

    def _country_of(self, m: Mention) -> str | None:
        actor = self.actors.get(m.actor or "")
        return actor.country if actor else m.country

    def antecedent(self, tok: Token) -> list[Arg]:
        """A personal pronoun's referent: the speaker of the quote around it, else the last
        person named before it."""
        lower = tok.lower_
        if lower in {"i", "we", "me", "us", "my", "our"}:
            q = self.quote_at(tok.idx)
            if q and q.speaker and q.speaker in self.actors:
                a = self.actors[q.speaker]
                return [Arg(a, tok.text, a.country, a.code)]
            return []
        if lower not in {"he", "she", "him", "her", "his", "hers"}:
            return []
        if tok.dep_ == "poss":
            # "Following his criticism of X, Blinken said": a possessive in a fronted phrase
            # refers forward to the subject of the main clause
            root = tok.sent.root
            for subj in (c for c in root.children if c.dep_ in SUBJECTS and c.i > tok.i):
                ahead = [m for t in subj.subtree for m in self.by_token.get(t.i, [])]
                people = [
                    m
                    for m in ahead
                    if self.actors.get(m.actor or "")
                    and self.actors[m.actor or ""].kind == "person"
                ]
                if people:
                    return [self.arg_from_mention(people[0])]
        people = [
            m
            for m in self.mentions
            if m.end <= tok.idx
            and self.actors.get(m.actor or "")
            and self.actors[m.actor or ""].kind == "person"
        ]
        if not people:
            return []
        return [self.arg_from_mention(people[-1])]


def _dep_lemmas(tok: Token) -> set[str]:
    out = set()
    for child in tok.children:
        out.add(child.lemma_.lower())
        if child.dep_ == "prep":
            out.update(c.lemma_.lower() for c in child.children if c.dep_ == "pobj")
        if child.dep_ in OBJECTS or child.dep_ == "prt":
            out.update(c.lemma_.lower() for c in child.children if c.dep_ == "compound")
    return out


def _args_of(ctx: _Context, head: Token) -> list[Arg]:
    """The actors an argument phrase denotes, expanding coordination ("China and Russia")."""
    out: list[Arg] = []
    for tok in [head, *head.conjuncts]:
        out.extend(_args_of_one(ctx, tok))
    unique: dict[str, Arg] = {}
    for a in out:
        unique.setdefault(a.key, a)
    return list(unique.values())


def _args_of_one(ctx: _Context, tok: Token) -> list[Arg]:
    if tok.pos_ == "PRON":
        return ctx.antecedent(tok)
    phrase = tok.doc[tok.left_edge.i : tok.i + 1].text.lower()
    if any(phrase.endswith(p) for p in PAIR_PHRASES) or tok.lower_ == "duo":
        words = tok.doc[tok.left_edge.i : tok.i + 1].text
        return [Arg(a.actor, words, a.country, a.code) for a in ctx.recent_pair(tok.left_edge.idx)]
    # breadth-first through the phrase, not into clauses: the nearest mention wins
    frontier = [tok]
    while frontier:
        found = [m for t in frontier for m in ctx.by_token.get(t.i, [])]
        if found:
            persons = [
                m
                for m in found
                if ctx.actors.get(m.actor or "") is not None
                and ctx.actors[m.actor or ""].kind == "person"
            ]
            chosen = persons or found
            phrase_toks = _phrase(tok)
            if any(t.dep_ == "cc" for t in phrase_toks):
                # a flat coordination the parser folded into one phrase:
                # "Foreign Minister Chung and Defense Minister Suh"
                kinds = {ctx.actors[m.actor or ""].kind for m in chosen if m.actor in ctx.actors}
                chosen = [
                    m
                    for t in phrase_toks
                    for m in ctx.by_token.get(t.i, [])
                    if m.actor in ctx.actors and ctx.actors[m.actor or ""].kind in kinds
                ]
            seen: dict[str, Mention] = {}
            for m in chosen:
                seen.setdefault(m.actor or "", m)
            return [ctx.arg_from_mention(m) for m in seen.values()]
        nxt = []
        for t in frontier:
            for child in t.children:
                if child.dep_ in NO_DESCENT:
                    continue
                if child.dep_ == "poss" and child.pos_ == "PRON":
                    continue
                nxt.append(child)
        frontier = nxt
    return []


def _phrase(tok: Token) -> list[Token]:
    """The tokens of a noun phrase without its clauses and prepositional attachments."""
    out = [tok]
    for child in tok.children:
        if child.dep_ in NO_DESCENT - {"cc", "conj"} or child.dep_ == "prep":
            continue
        out.extend(_phrase(child))
    return out


def _agent(tok: Token) -> Token | None:
    for child in tok.children:
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    return None


def _subjects(tok: Token) -> list[Token]:
    """The source tokens of a verb: its subjects (a parser may attach coordinated subjects
    as siblings), a passive agent, or the subject inherited from the verb it depends on."""
    agent = _agent(tok)
    if agent is not None:
        return [agent]
    found = [c for c in tok.children if c.dep_ in SUBJECTS]
    if found:
        return found
    cur = tok
    for _ in range(4):  # inherit through coordination, control and participles
        if cur.dep_ in {"conj", "xcomp", "advcl", "ccomp"} and cur.head is not cur:
            cur = cur.head
            found = [c for c in cur.children if c.dep_ in SUBJECTS]
            if found:
                return found
            continue
        if cur.dep_ in {"relcl", "acl"} and cur.head is not cur:
            return [cur.head]
        break
    return []


def _verb_targets(tok: Token, entry: LexEntry) -> list[Token]:
    targets: list[Token] = []
    # the entry's own prepositions, and those that introduce a counterpart for any predicate;
    # "on" and "of" only where the entry lists them ("cooperation on North Korea" is a topic)
    preps = set(entry.target_preps) | (VERB_TARGET_PREPS - TOPIC_PREPS)
    for child in tok.children:
        if child.dep_ in OBJECTS or child.dep_ in PASSIVE_SUBJECTS:
            targets.append(child)
        elif child.dep_ == "prep" and child.lower_ in preps:
            targets.extend(c for c in child.children if c.dep_ == "pobj")
        elif child.dep_ == "prt":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    targets.append(grand)
    # "emphasized the importance of X": look one level into a nominal object for its "of"
    for obj in [t for t in targets if t.dep_ in OBJECTS and not t.ent_type_]:
        for child in obj.children:
            if child.dep_ == "prep" and child.lower_ in {"of", "on", "to", "with", "against"}:
                targets.extend(c for c in child.children if c.dep_ == "pobj")
    return targets


def _noun_roles(tok: Token, entry: LexEntry) -> tuple[list[Token], list[Token]]:
    sources: list[Token] = []
    targets: list[Token] = []
    preps = set(entry.target_preps) | (NOUN_TARGET_PREPS - TOPIC_PREPS)
    for child in tok.children:
        if child.dep_ == "poss":
            sources.append(child)
        elif child.dep_ == "prep" and child.lower_ in NOUN_SOURCE_PREPS:
            sources.extend(c for c in child.children if c.dep_ == "pobj")
        elif child.dep_ == "prep" and child.lower_ in preps:
            targets.extend(c for c in child.children if c.dep_ == "pobj")
        elif child.dep_ in {"compound", "amod", "nmod"}:
            sources.append(child)
    if not sources and tok.dep_ in OBJECTS:
        sources.extend(_subjects(tok.head))
    if not sources and tok.dep_ in SUBJECTS | PASSIVE_SUBJECTS:
        pass  # "The meeting was held in Seoul": the noun itself is the event, no source here
    return sources, targets


def _negated(tok: Token) -> bool:
    for t in [tok, *[c for c in tok.children if c.dep_ in {"aux", "auxpass"}]]:
        for child in t.children:
            if child.dep_ == "neg" or child.lower_ in {"never", "not", "n't"}:
                return True
    for child in tok.children:
        if child.dep_ in OBJECTS and any(
            (c.lower_ in {"no", "any"} and c.dep_ == "det" and _has_neg_above(tok))
            or c.lower_ == "no"
            for c in child.children
        ):
            return True
        if child.dep_ in SUBJECTS and child.lower_ in {"nobody", "nothing", "none", "neither"}:
            return True
    return False


def _has_neg_above(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def _modality(ctx: _Context, tok: Token) -> str:
    auxes = {c.lower_ for c in tok.children if c.dep_ in {"aux", "auxpass"}}
    clause = tok
    conditional = False
    for _ in range(6):
        if any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in clause.children):
            conditional = True
        if clause.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in clause.children
        ):
            conditional = True
        if clause.head is clause:
            break
        if clause.dep_ in {"conj", "xcomp"}:
            auxes |= {c.lower_ for c in clause.head.children if c.dep_ in {"aux", "auxpass"}}
        clause = clause.head
    # a main clause with an "if" clause attached
    if any(
        c.dep_ == "advcl"
        and any(g.dep_ == "mark" and g.lower_ in {"if", "unless"} for g in c.children)
        for c in tok.children
    ):
        conditional = True
    if conditional:
        return "conditional"
    if auxes & HYPOTHETICAL_AUX:
        return "hypothetical"
    if ctx.quote_at(tok.idx) is not None:
        return "reported"
    if auxes & FUTURE_AUX or "going" in auxes:
        return "future"
    return "asserted"


def _make_event(
    ctx: _Context,
    n: int,
    sent: Span,
    code: CameoCode,
    src: Arg,
    tgt: Arg | None,
    trigger: Token | None,
    *,
    rule: str,
    confidence: float,
    negated: bool,
    modality: str,
    coder: str = CODER,
) -> Event:
    article = ctx.article
    prefix = article.id if article else "doc"
    return Event(
        id=f"{prefix}:e{n}",
        source=src.participant(),
        target=tgt.participant() if tgt else None,
        cameo=code.code,
        root=code.root,
        plover=code.plover,
        plover_mode=code.plover_mode or None,
        goldstein=code.goldstein,
        quad_class=code.quad_class,
        text=sent.text,
        start=sent.start_char,
        end=sent.end_char,
        coder=coder,
        rule=rule,
        confidence=round(confidence, 3),
        date=article.date if article else None,
        date_precision="article",
        negated=negated,
        modality=modality,  # type: ignore[arg-type]
        trigger=TextSpan(trigger.text, trigger.idx, trigger.idx + len(trigger.text))
        if trigger is not None
        else None,
    )


@dataclass
class Candidate:
    """An event before ids are assigned: kept separate so hints can reorder them."""

    sent: Span
    code: CameoCode
    src: Arg
    tgt: Arg | None
    trigger: Token | None
    rule: str
    confidence: float
    negated: bool
    modality: str
    coder: str = CODER


def _pairs(
    sources: list[Arg], targets: list[Arg], reciprocal: bool
) -> Iterable[tuple[Arg, Arg | None]]:
    if not sources:
        return
    if len(sources) == 2 and not targets and reciprocal:
        a, b = sources
        yield a, b
        yield b, a
        return
    for s in sources:
        tgts = [
            t for t in targets if t.key != s.key and (t.country != s.country or t.country is None)
        ]
        if not tgts:
            if not targets:
                yield s, None
            continue
        for t in tgts[:MAX_TARGETS]:
            yield s, t


def _sentence_candidates(ctx: _Context, sent: Span) -> list[Candidate]:
    lexicon = load_lexicon()
    out: list[Candidate] = []
    consumed: set[int] = set()  # object nouns already coded as part of a light verb
    for tok in sent:
        if (tok.pos_ in {"VERB", "AUX"} and tok.pos_ != "AUX") or (tok.pos_ == "VERB"):
            entry = lexicon.lookup(tok.lemma_.lower(), "VERB", _dep_lemmas(tok))
            if entry is None:
                continue
            for child in tok.children:
                if child.dep_ in OBJECTS and child.lemma_.lower() in entry.dep:
                    consumed.add(child.i)
            sources = [a for subj in _subjects(tok) for a in _args_of(ctx, subj)]
            target_toks = _verb_targets(tok, entry)
            for child in tok.children:  # the object noun of a light verb: "held talks with X"
                if child.i in consumed:
                    target_toks.extend(_noun_roles(child, entry)[1])
            targets = [a for t in target_toks for a in _args_of(ctx, t)]
            confidence = 0.8 if entry.dep else 0.7
            rule = (
                f"lexicon:{entry.head}{'+' + '+'.join(entry.dep) if entry.dep else ''}"
                f"/{entry.pos}->{entry.cameo}"
            )
            reciprocal = entry.root in {"03", "04", "05", "06", "08"}
            for s, t in _pairs(sources, targets, reciprocal):
                out.append(
                    Candidate(
                        sent,
                        get(entry.cameo),
                        s,
                        t,
                        tok,
                        rule,
                        confidence,
                        _negated(tok),
                        _modality(ctx, tok),
                    )
                )
        elif tok.pos_ in {"NOUN", "PROPN"} and tok.i not in consumed:
            entry = lexicon.lookup(tok.lemma_.lower(), "NOUN", _dep_lemmas(tok))
            if entry is None:
                continue
            src_toks, tgt_toks = _noun_roles(tok, entry)
            sources = [a for t in src_toks for a in _args_of(ctx, t)]
            targets = [a for t in tgt_toks for a in _args_of(ctx, t)]
            if not sources:
                continue
            rule = f"lexicon:{entry.head}/{entry.pos}->{entry.cameo}"
            reciprocal = entry.root in {"03", "04", "05", "06", "08"}
            head = tok.head if tok.dep_ in OBJECTS | {"pobj"} else tok
            for s, t in _pairs(sources, targets, reciprocal):
                out.append(
                    Candidate(
                        sent,
                        get(entry.cameo),
                        s,
                        t,
                        tok,
                        rule,
                        0.6,
                        _negated(head),
                        _modality(ctx, head),
                    )
                )
    return out


def _quote_candidates(ctx: _Context) -> list[Candidate]:
    """Statement events: the speaker as source, each actor the quotation is about as target.

    The type comes from the cue when the lexicon codes it ("criticized", "warned", "urged",
    and the specific comments of root 01: "denied" 016, "acknowledged" 015). After a plain
    "said" (010) no event is made: the quotation record keeps what was said. (Typing
    the quoted words with the PLV-trained classifier was tried and gave confident nonsense on
    expert commentary, e.g. REJECT for a conditional forecast, so it is not done.)
    """
    lexicon = load_lexicon()
    doc = ctx.doc
    out: list[Candidate] = []
    for q in ctx.quotes:
        if not q.speaker or q.speaker not in ctx.actors or not q.about:
            continue
        speaker = ctx.actors[q.speaker]
        src = Arg(speaker, q.speaker_text or speaker.name, speaker.country, speaker.code)
        entry = None
        cue_tok: Token | None = None
        cue_span = _find_cue(doc, ctx.text, q) if q.cue else None
        if cue_span is not None:
            cue_tok = cue_span.root
            entry = lexicon.lookup(cue_tok.lemma_.lower(), "VERB", _dep_lemmas(cue_tok))
        negated = _negated(cue_tok) if cue_tok is not None else False
        modality = _modality(ctx, cue_tok) if cue_tok is not None else "asserted"
        content = doc.char_span(q.start, q.end, alignment_mode="expand")
        if content is None or not len(content):
            continue
        sentence = content[0].sent
        if cue_span is not None:  # the stretch that holds both the cue and the words
            lo = min(content.start, cue_span.start)
            hi = max(content.end, cue_span.end)
            sentence = doc[lo:hi]
        targets = [ctx.actors[a] for a in q.about if a in ctx.actors]
        seen_countries: set[str | None] = {speaker.country}
        for actor in targets:
            if actor.country in seen_countries:
                continue
            seen_countries.add(actor.country)
            inside = [m for m in actor.mentions if q.start <= m.start < q.end]
            tgt = Arg(
                actor,
                (inside or actor.mentions)[0].text if actor.mentions else actor.name,
                actor.country,
                actor.code,
            )
            if entry is not None and entry.cameo != "010":
                code = get(entry.cameo)
                rule = f"quote-cue:{entry.head}->{entry.cameo}"
                confidence = 0.6
            else:
                continue  # a plain "said" (010): the quotation itself is the record
            out.append(
                Candidate(
                    sentence,
                    code,
                    src,
                    tgt,
                    cue_tok,
                    rule,
                    confidence,
                    negated,
                    modality,
                    coder="realpolitik.events.quotes/0.1.0",
                )
            )
            if len(seen_countries) > MAX_TARGETS:
                break
    return out


def _find_cue(doc: Doc, text: str, q: Quote) -> Span | None:
    """The cue words of a quotation, located near its content."""
    lo, hi = max(0, q.start - 300), min(len(text), q.end + 300)
    window = text[lo:hi]
    at = window.find(q.cue)
    if at < 0:
        return None
    return doc.char_span(lo + at, lo + at + len(q.cue), alignment_mode="expand")


def _apply_classifier(ctx: _Context, cands: list[Candidate]) -> None:
    """Let the learned type classifier overrule the lexicon where it is confident."""
    for c in cands:
        if c.tgt is None or c.coder != CODER or c.negated:
            continue  # the classifier learned asserted events: it cannot type a denial
        better = ctx.decider.overrule(
            c.sent.text, c.src.text, c.tgt.text, c.code.plover, doc=c.sent
        )
        if better is None:
            continue
        plover, prob = better
        c.code = get(default_code_for_plover(plover))
        c.rule = f"{c.rule} overruled by model:{plover}@{prob:.2f}"
        c.confidence = prob
        c.coder = "realpolitik.events.model/0.2.0"


def _label_of(plover: str) -> str:
    try:
        return plover_root_label(plover)
    except ValueError:
        return ""


def _fits(text: str, hint: str) -> bool:
    text, hint = text.lower().strip(), hint.lower().strip()
    return bool(text) and bool(hint) and (text in hint or hint in text)


def _hinted(ctx: _Context, cands: list[Candidate]) -> Candidate | None:
    """The coder's best event for the hinted (source, target) pair, if it finds one.

    The classifier types the pair as given (that is how it was trained, and on PLV it types
    pairs better than the lexicon: see ``realpolitik eval plv``); a rule event for the same
    pair keeps its trigger, negation and modality and lends its type only when the classifier
    is unsure (below the decider's ``rule_below``). Without a classifier
    the rule event stands; failing both, a rule event whose source fits is re-aimed at the
    hinted target.
    """
    article = ctx.article
    hints = article.hints if article else None
    if not hints:
        return None
    src_hint = hints.get("source") or ""
    tgt_hint = hints.get("target") or ""
    typed = [c for c in cands if c.code.plover]
    both = [
        c
        for c in typed
        if _fits(c.src.text, src_hint) and c.tgt is not None and _fits(c.tgt.text, tgt_hint)
    ]
    rule = max(both, key=lambda c: c.confidence) if both else None
    doc = ctx.doc
    sent = (
        rule.sent
        if rule is not None
        else next((s for s in doc.sents if src_hint and src_hint in s.text), doc[:])
    )
    src = Arg(None, src_hint, None, None)
    tgt = Arg(None, tgt_hint, None, None)
    guess = ctx.decider.classify_pair(sent.text, src_hint, tgt_hint, doc=sent)
    if rule is not None and (guess is None or guess[1] < ctx.decider.rule_below):
        return rule
    if guess is not None:
        plover, prob = guess
        if rule is not None:
            if _label_of(rule.code.plover) != plover:
                rule.code = get(default_code_for_plover(plover))
                rule.rule = f"{rule.rule} retyped by model:{plover}@{prob:.2f}"
                rule.coder = "realpolitik.events.model/0.2.0"
            rule.confidence = prob
            return rule
        return Candidate(
            sent,
            get(default_code_for_plover(plover)),
            src,
            tgt,
            None,
            f"model:{plover}",
            prob,
            False,
            "asserted",
            coder="realpolitik.events.model/0.2.0",
        )
    partial = [c for c in typed if _fits(c.src.text, src_hint)]
    if partial:
        best = max(partial, key=lambda c: c.confidence)
        return Candidate(
            best.sent,
            best.code,
            best.src,
            tgt,
            best.trigger,
            best.rule,
            best.confidence * 0.8,
            best.negated,
            best.modality,
            coder=best.coder,
        )
    return None


ONE_SIDED_ROOTS = frozenset({"08", "14", "15", "17", "18", "19", "20"})


def _codable(c: Candidate, *, require_target: bool) -> bool:
    """Whether a candidate is an event worth recording.

    CAMEO's residual 010 "make statement" is not coded (the codebook's own usage note; the
    quotation record keeps what was said); a source must be an actor or at least a country;
    and, unless asked otherwise, an event needs a target (one-sided "events" from nouns such
    as "cooperation" are mostly states of affairs, not acts).
    """
    if c.code.code == "010":
        return False
    if c.src.actor is None and c.src.country is None:
        return False
    if c.tgt is not None or not require_target:
        return True
    # protests, force postures, yielding and violence are often reported without a target
    return c.trigger is not None and c.trigger.pos_ == "VERB" and c.code.root in ONE_SIDED_ROOTS


def code_events(
    doc: Doc,
    *,
    use_classifier: bool = True,
    require_target: bool = True,
    decider: Decider | None = None,
) -> list[Event]:
    """Every event in ``doc`` (needs ``doc._.rp_actors``/``rp_mentions``; quotes optional).

    ``decider``: the learned classifier and its thresholds (default: the shipped classifier);
    ``Decider(None)`` codes with the rules alone."""
    ctx = _Context(doc, decider if decider is not None else default_decider())
    cands: list[Candidate] = []
    for sent in doc.sents:
        cands.extend(_sentence_candidates(ctx, sent))
    cands.extend(_quote_candidates(ctx))
    # one event per (source, target, code, trigger): several routes may find the same one
    unique: dict[tuple[str, str, str, int], Candidate] = {}
    for c in cands:
        key = (
            c.src.key,
            c.tgt.key if c.tgt else "",
            c.code.code,
            c.trigger.i if c.trigger is not None else -1,
        )
        unique.setdefault(key, c)
    cands = sorted(
        unique.values(),
        key=lambda c: (c.sent.start_char, c.trigger.i if c.trigger is not None else -1),
    )
    if use_classifier:
        _apply_classifier(ctx, cands)
    hinted = _hinted(ctx, cands)
    cands = [c for c in cands if c is not hinted and _codable(c, require_target=require_target)]
    if hinted is not None:
        cands.insert(0, hinted)
    return [
        _make_event(
            ctx,
            n,
            c.sent,
            c.code,
            c.src,
            c.tgt,
            c.trigger,
            rule=c.rule,
            confidence=c.confidence,
            negated=c.negated,
            modality=c.modality,
            coder=c.coder,
        )
        for n, c in enumerate(cands, start=1)
    ]
