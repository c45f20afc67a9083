"""Person-name comparison: the same person across spellings, orders and partial mentions.

Purely orthographic/phonetic and general: no list of particular names. Two names are the same
person when every part of the shorter one matches a distinct part of the longer one, where parts
match if they are equal, share a romanization key (Chung/Jung, Seo/Suh, Mohammed/Muhammad), or
are long and nearly equal (Raymond/Ramon, Zelensky/Zelenskyy).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import jellyfish

from realpolitik.actors.roles import role_words

# Titles and honorifics ("President", "Mr", "Foreign"): not name parts.
_TITLE_WORDS = role_words("title")
_PARTICLES = frozenset(
    [
        "de",
        "da",
        "di",
        "del",
        "der",
        "van",
        "von",
        "bin",
        "al",
        "el",
        "la",
        "le",
        "du",
        "dos",
        "das",
        "ibn",
    ]
)
_DIGRAPHS = (
    ("tch", "j"),
    ("dzh", "j"),
    ("ch", "j"),
    ("zh", "j"),
    ("dj", "j"),
    ("sh", "s"),
    ("ph", "f"),
    ("kh", "k"),
    ("th", "t"),
    ("gh", "g"),
    ("ck", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("w", "u"),
    ("y", "i"),
)
_VOWELS = re.compile(r"[aeiou]+")


def fold(text: str) -> str:
    """Lowercase ASCII letters only ("Jae-in" -> "jaein", "Žilina" -> "zilina")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.lower() if "a" <= ch <= "z")


@lru_cache(maxsize=65536)
def romanization_key(part: str) -> str:
    """A coarse sound key that merges common romanization variants of one name part."""
    word = fold(part)
    if not word:
        return ""
    head, rest = word[0], word[1:]
    for src, dst in _DIGRAPHS:
        rest = rest.replace(src, dst)
    if head == "y":
        head = "i"
    for src, dst in _DIGRAPHS:
        if (head + rest[:2]).startswith(src):
            head, rest = dst, (head + rest)[len(src) :]
            break
    word = head + rest
    word = re.sub(r"(?<=[aeiou])h", "", word)  # Suh -> Su, Shah -> Sa
    word = re.sub(r"h$", "", word)
    word = _VOWELS.sub("a", word)
    return re.sub(r"(.)\1+", r"\1", word)


@lru_cache(maxsize=65536)
def name_parts(name: str) -> tuple[str, ...]:
    """The comparable parts of a person's name: hyphenated given names stay one part."""
    raw = re.split(r"[\s,]+", name.strip())
    parts = []
    for token in raw:
        word = fold(token)
        if not word or word in _TITLE_WORDS or word in _PARTICLES:
            continue
        parts.append(word)
    return tuple(parts)


def parts_match(a: str, b: str) -> bool:
    """Whether two name parts may be spellings of the same name."""
    if a == b:
        return True
    if len(a) >= 2 and len(b) >= 2 and romanization_key(a) == romanization_key(b):
        return True
    return (
        min(len(a), len(b)) >= 5 and a[0] == b[0] and jellyfish.jaro_winkler_similarity(a, b) >= 0.9
    )


def _cover(small: tuple[str, ...], big: tuple[str, ...]) -> bool:
    """Every part of ``small`` matches a distinct part of ``big`` (order-free)."""
    used: set[int] = set()
    for part in small:
        for i, other in enumerate(big):
            if i not in used and parts_match(part, other):
                used.add(i)
                break
        else:
            return False
    return True


def same_person(a: str, b: str) -> bool:
    """Whether two names (full or partial) can denote the same person.

    Full names must match part for part (in any order: "Moon Jae-in" = "Jae-in Moon");
    a shorter name ("Obrador", "Lopez Obrador") must match parts of the longer one.
    """
    pa, pb = name_parts(a), name_parts(b)
    if not pa or not pb:
        return False
    if len(pa) > len(pb):
        pa, pb = pb, pa
    if len(pa) == len(pb):
        return _cover(pa, pb)
    # A partial mention needs one part that is exact or a long near-exact spelling
    # ("Zelensky" for "Zelenskyy"), so that sound keys alone never attach a lone surname to
    # someone else's name.
    return _cover(pa, pb) and any(
        p in pb or any(len(p) >= 6 and parts_match(p, q) and p[:5] == q[:5] for q in pb) for p in pa
    )


def is_full_name(name: str) -> bool:
    return len(name_parts(name)) >= 2
