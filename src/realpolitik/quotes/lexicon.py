"""The cue lexicon (``realpolitik/data/reporting_verbs.tsv``) and the word lists of
``quotes/data/``, each read once.

The lexicon lists reporting verbs, nouns and phrases ("said", "claim", "according to", "point
out"), beliefs ("thinks", "seems") and stances ("supports", "plans to"); each row says which
*act* it reports (speech, cognition, attitude) and what may stand as its content (a complement
clause, an object noun phrase, an infinitive, or the predicate of a raising verb). The word
lists (one word per line) name the nouns and prepositions the rules treat specially.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from spacy.tokens import Token

from realpolitik.errors import DictionaryError

__all__ = ["ACTS", "LEMMA_FIXES", "CueEntry", "Lexicon", "cue_lemma", "load_lexicon", "word_list"]


@dataclass(frozen=True)
class CueEntry:
    """One row of the reporting-cue lexicon."""

    text: str
    type: str  # verb | noun | phrase
    act: str  # speech | cognition | attitude
    content: frozenset[str]  # subset of {"clause", "np", "inf", "pred"}


@dataclass(frozen=True)
class Lexicon:
    """Reporting cues indexed by how they are matched in a parse."""

    verbs: dict[str, CueEntry]
    nouns: dict[str, CueEntry]
    # "point out": verb lemma -> [(particle, entry)]
    particles: dict[str, list[tuple[str, CueEntry]]]
    # "make clear", "make the case": verb lemma -> [(object words, entry)]
    verb_objects: dict[str, list[tuple[tuple[str, ...], CueEntry]]]
    # "according to", "in the words of": first word -> [(words, entry)]
    prepositions: dict[str, list[tuple[tuple[str, ...], CueEntry]]]
    # "be confident": adjective or participle -> entry
    adjectives: dict[str, CueEntry]
    # "support for", "decision to": noun lemma -> [(preposition, entry)]
    noun_preps: dict[str, list[tuple[str, CueEntry]]] = field(default_factory=dict)
    # start_words(), kept by load_lexicon so that most tokens are skipped at a glance
    keys: frozenset[str] = frozenset()

    def start_words(self) -> frozenset[str]:
        """Every word a cue can start from: verb, noun and adjective lemmas, phrase heads."""
        keys = set(self.verbs) | set(self.nouns) | set(self.particles) | set(self.verb_objects)
        keys |= set(self.prepositions) | set(self.adjectives) | set(self.noun_preps)
        return frozenset(keys)


_PARTICLES = frozenset(
    {"out", "up", "on", "in", "for", "down", "off", "over", "back", "to", "about", "of"}
    | {"with", "against", "at", "by", "into"}
)
ACTS = frozenset({"speech", "cognition", "attitude"})
_CONTENT_KINDS = frozenset({"clause", "np", "inf", "pred"})
_PREP_STARTS = frozenset({"according", "in", "as", "per"})


def _data_path() -> Path:
    return Path(str(resources.files("realpolitik").joinpath("data/reporting_verbs.tsv")))


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Read a reporting-cue TSV (default: the packaged ``data/reporting_verbs.tsv``).

    Columns: ``cue``, ``type`` (verb|noun|phrase), ``act`` (speech|cognition|attitude) and
    ``content`` (comma-separated subset of clause, np, inf, pred). Lines starting with ``#`` are
    comments.
    """
    source = Path(path) if path else _data_path()
    verbs: dict[str, CueEntry] = {}
    nouns: dict[str, CueEntry] = {}
    particles: dict[str, list[tuple[str, CueEntry]]] = {}
    verb_objects: dict[str, list[tuple[tuple[str, ...], CueEntry]]] = {}
    preps: dict[str, list[tuple[tuple[str, ...], CueEntry]]] = {}
    adjectives: dict[str, CueEntry] = {}
    noun_preps: dict[str, list[tuple[str, CueEntry]]] = {}
    for raw in source.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#") or raw.startswith("cue\t"):
            continue
        cols = raw.split("\t")
        if len(cols) < 4:
            raise DictionaryError(
                f"{source}: expected 4 tab-separated columns in {raw!r}",
                hint="write cue<TAB>kind<TAB>act<TAB>content kinds (comma-separated)",
            )
        text, kind, act = cols[0].strip().lower(), cols[1].strip(), cols[2].strip()
        content = frozenset(c.strip() for c in cols[3].split(",") if c.strip())
        if act not in ACTS:
            raise DictionaryError(
                f"{source}: unknown act {act!r} in {raw!r}", hint=f"use one of {sorted(ACTS)}"
            )
        if not content or not content <= _CONTENT_KINDS:
            raise DictionaryError(
                f"{source}: unknown content kind in {raw!r}",
                hint=f"use some of {sorted(_CONTENT_KINDS)}, comma-separated",
            )
        entry = CueEntry(text, kind, act, content)
        words = tuple(text.split())
        if kind == "verb":
            verbs[text] = entry
        elif kind == "noun" and len(words) == 2:
            noun_preps.setdefault(words[0], []).append((words[1], entry))
        elif kind == "noun":
            nouns[text] = entry
        elif kind == "phrase":
            if words[0] == "be" and len(words) == 2:
                adjectives[words[1]] = entry
            elif words[0] in _PREP_STARTS:
                preps.setdefault(words[0], []).append((words, entry))
            elif len(words) == 2 and words[1] in _PARTICLES:
                particles.setdefault(words[0], []).append((words[1], entry))
            else:
                verb_objects.setdefault(words[0], []).append((words[1:], entry))
        else:
            raise DictionaryError(f"{source}: unknown cue type {kind!r} in {raw!r}")
    lex = Lexicon(verbs, nouns, particles, verb_objects, preps, adjectives, noun_preps)
    return replace(lex, keys=lex.start_words())


@cache
def word_list(name: str) -> frozenset[str]:
    """The words of ``quotes/data/NAME.txt`` (one per line, ``#`` starts a comment)."""
    ref = resources.files("realpolitik").joinpath(f"quotes/data/{name}.txt")
    path = Path(str(ref))
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DictionaryError(
            f"{path}: cannot read the word list {name!r} ({exc.strerror})",
            hint="reinstall realpolitik; the word lists ship in realpolitik/quotes/data/",
        ) from None
    return frozenset(s.lower() for line in lines if (s := line.strip()) and not s.startswith("#"))


# Forms the small English model lemmatises wrongly ("hoping" -> "hop").
LEMMA_FIXES = {"hoping": "hope", "hoped": "hope", "hopes": "hope"}


def cue_lemma(tok: Token) -> str:
    """The lemma under which ``tok`` is looked up in the lexicon."""
    return LEMMA_FIXES.get(tok.lower_, tok.lemma_.lower())


def is_cue_verb(lex: Lexicon, tok: Token) -> bool:
    """Whether ``tok`` is a verb cue of the lexicon (alone, with a particle or an object)."""
    lemma = cue_lemma(tok)
    return lemma in lex.verbs or lemma in lex.particles or lemma in lex.verb_objects
