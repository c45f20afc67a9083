"""The event trigger lexicon: predicate lemmas -> CAMEO codes (packaged ``data/lexicon.tsv``).

File format: UTF-8, tab-separated, a header row, then one trigger per row. Blank lines and lines
starting with ``#`` are ignored (the packaged file uses them as section headings)::

    head  pos  dep  cameo  target_preps  note

``head``
    Lemma of the predicate, lower case: a verb (``condemn``) or an event noun (``visit``).
``pos``
    ``VERB`` or ``NOUN``.
``dep``
    Empty, or the lemma(s) that must be among the head's dependents for the row to apply.
    Several lemmas are joined with ``+`` and must all be present (``off+talk``: "call off talks").
    What counts as a dependent is the caller's choice. The rows are written for the lemmas of
    the head's children (particles, objects, the verb of an open complement: "refused to
    release" gives ``release``), plus the objects of its prepositions ("call for a ceasefire"
    gives ``{"for", "ceasefire"}``) and the compounds of its objects ("war crimes").
``cameo``
    The CAMEO code, leading zero kept; it must exist in ``cameo.tsv``.
``target_preps``
    ``|``-separated prepositions that introduce the target (``with`` for "meet with"). Empty: the
    target is the direct object (or, for a noun, a possessor or compound).
``note``
    Free text: ambiguities, the reading chosen.

Precedence (:meth:`Lexicon.lookup`): among the rows for a ``(head, pos)`` whose every ``dep``
lemma is present, the row with the most ``dep`` lemmas wins, ties going to the row listed first;
a row without ``dep`` applies only when no ``dep`` row does.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from ..errors import DictionaryError
from .ontology import load_ontology

__all__ = ["POS_TAGS", "LexEntry", "Lexicon", "load_lexicon", "validate_lexicon"]

_DATA_FILE = "lexicon.tsv"
_COLUMNS = ("head", "pos", "dep", "cameo", "target_preps", "note")
POS_TAGS = ("VERB", "NOUN")
# lower-case lemma: letters, digits, and the hyphen / apostrophe / $ that lemmas can carry
_LEMMA = re.compile(r"^[a-z0-9$][a-z0-9'$-]*$")
_CODE = re.compile(r"^\d{2,4}$")
_ROOTS = tuple(f"{r:02d}" for r in range(1, 21))


@dataclass(frozen=True, slots=True)
class LexEntry:
    """One trigger: a predicate lemma (with optional required dependents) and its CAMEO code."""

    head: str
    pos: str  # "VERB" | "NOUN"
    dep: tuple[str, ...]  # required dependent lemmas, () when none
    cameo: str
    target_preps: tuple[str, ...] = ()
    note: str = ""
    line: int = field(default=0, compare=False)  # line in the source file, for messages

    @property
    def root(self) -> str:
        """The two-digit CAMEO root of :attr:`cameo`."""
        return self.cameo[:2]

    @property
    def key(self) -> tuple[str, str, frozenset[str]]:
        """Identity of the row for duplicate checks: head, pos and the set of dep lemmas."""
        return (self.head, self.pos, frozenset(self.dep))


class Lexicon:
    """An indexed set of :class:`LexEntry` rows answering :meth:`lookup`."""

    def __init__(self, entries: Iterable[LexEntry], source: str = "<memory>") -> None:
        self.entries: tuple[LexEntry, ...] = tuple(entries)
        self.source = source
        index: dict[tuple[str, str], list[LexEntry]] = {}
        for entry in self.entries:
            index.setdefault((entry.head, entry.pos), []).append(entry)
        # sort is stable: more dep lemmas first, file order among equals, plain rows last
        self._index = {k: sorted(v, key=lambda e: -len(e.dep)) for k, v in index.items()}

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[LexEntry]:
        return iter(self.entries)

    def heads(self, pos: str | None = None) -> set[str]:
        """All head lemmas, optionally only those with part of speech ``pos``."""
        return {h for (h, p) in self._index if pos is None or p == pos.upper()}

    def candidates(self, head_lemma: str, pos: str) -> tuple[LexEntry, ...]:
        """Every row for ``(head_lemma, pos)``, in precedence order."""
        return tuple(self._index.get((head_lemma.lower(), pos.upper()), ()))

    def lookup(
        self, head_lemma: str, pos: str, dependent_lemmas: Iterable[str] = ()
    ) -> LexEntry | None:
        """The row that codes ``head_lemma`` given the lemmas of its dependents, or ``None``.

        Rows whose ``dep`` lemmas are all in ``dependent_lemmas`` beat rows without ``dep``
        ("hold" + {"talk"} -> 046, not whatever plain "hold" gives); see the module docstring.
        Matching is case-insensitive.
        """
        rows = self._index.get((head_lemma.lower(), pos.upper()))
        if not rows:
            return None
        deps = {d.lower() for d in dependent_lemmas}
        for entry in rows:
            if all(d in deps for d in entry.dep):
                return entry
        return None


def _row_problem(row: list[str], codes: Mapping[str, object]) -> str | None:
    """What is wrong with one data row, phrased as what to fix; ``None`` when it is fine."""
    if len(row) not in (len(_COLUMNS) - 1, len(_COLUMNS)):
        return (
            f"expected {len(_COLUMNS)} tab-separated fields ({', '.join(_COLUMNS)}; the "
            f"note may be left off), got {len(row)}; keep the tabs of empty fields"
        )
    head, pos, dep, cameo, preps = (c.strip() for c in row[:5])
    if not _LEMMA.match(head):
        return f"head {head!r} must be a single lower-case lemma (e.g. 'condemn')"
    if pos not in POS_TAGS:
        return f"pos {pos!r} must be VERB or NOUN"
    if dep and not all(_LEMMA.match(d) for d in dep.split("+")):
        return f"dep {dep!r} must be empty or lower-case lemmas joined by '+' (e.g. 'off+talk')"
    if not _CODE.match(cameo):
        return (
            f"cameo {cameo!r} must be a 2-4 digit code with its leading zero "
            "(write '042', not '42'; check the spreadsheet did not drop the zero)"
        )
    if cameo not in codes:
        hint = (
            f"; did you mean '0{cameo}'? (keep the leading zero)"
            if "0" + cameo in codes
            else " (see realpolitik/events/data/cameo.tsv)"
        )
        return f"cameo {cameo!r} is not a CAMEO code{hint}"
    if preps and not all(_LEMMA.match(p) for p in preps.split("|")):
        return f"target_preps {preps!r} must be empty or prepositions joined by '|' ('with|to')"
    return None


def parse_lexicon(text: str, source: str) -> Lexicon:
    """Parse lexicon text; :class:`DictionaryError` naming ``source``, the line and the fix on a
    bad row."""
    codes = load_ontology()
    lines = text.splitlines()
    header = lines[0].split("\t") if lines else []
    if tuple(h.strip() for h in header) != _COLUMNS:
        raise DictionaryError(
            f"{source}, line 1: the header must be the tab-separated column names "
            f"{' '.join(_COLUMNS)}; got {lines[0]!r}"
            if lines
            else f"{source}: the file is empty (it needs a header row: {' '.join(_COLUMNS)})",
            hint="start the file with the header row of the packaged lexicon",
        )
    entries: list[LexEntry] = []
    seen: dict[tuple[str, str, frozenset[str]], int] = {}
    for lineno, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        row = next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE))
        problem = _row_problem(row, codes)
        if problem:
            raise DictionaryError(
                f"{source}, line {lineno}: {problem}",
                hint="a row is head, pos, dep, cameo, target_preps, note, separated by tabs",
            )
        head, pos, dep, cameo, preps, note = (c.strip() for c in [*row, ""][:6])
        entry = LexEntry(
            head,
            pos,
            tuple(dep.split("+")) if dep else (),
            cameo,
            tuple(preps.split("|")) if preps else (),
            note,
            lineno,
        )
        if entry.key in seen:
            raise DictionaryError(
                f"{source}, line {lineno}: duplicate of line {seen[entry.key]} "
                f"(head {head!r}, pos {pos}, dep {dep!r})",
                hint="keep one of them",
            )
        seen[entry.key] = lineno
        entries.append(entry)
    return Lexicon(entries, source)


@cache
def _packaged() -> Lexicon:
    data = resources.files("realpolitik.events").joinpath("data", _DATA_FILE)
    return parse_lexicon(data.read_text(encoding="utf-8"), f"realpolitik/events/data/{_DATA_FILE}")


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """The packaged lexicon (cached), or the one in ``path``.

    A bad row in ``path`` raises :class:`DictionaryError` naming the file, the line and what
    to fix.
    """
    if path is None:
        return _packaged()
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DictionaryError(
            f"{p}: lexicon file not found", hint="check the path of the lexicon"
        ) from None
    except UnicodeDecodeError as exc:
        raise DictionaryError(
            f"{p}: not UTF-8 text ({exc.reason} at byte {exc.start})", hint="save the file as UTF-8"
        ) from None
    return parse_lexicon(text, str(p))


def validate_lexicon(lexicon: Lexicon) -> list[str]:
    """Problems with a lexicon as a whole; an empty list means it is usable.

    Checks that every code exists in the ontology, that no ``(head, pos, dep)`` occurs twice,
    and that every CAMEO root 01-20 has at least one trigger.
    """
    codes = load_ontology()
    problems: list[str] = []
    seen: dict[tuple[str, str, frozenset[str]], LexEntry] = {}
    for e in lexicon:
        where = f"{lexicon.source}, line {e.line}" if e.line else lexicon.source
        if e.cameo not in codes:
            problems.append(f"{where}: unknown CAMEO code {e.cameo!r}")
        if e.pos not in POS_TAGS:
            problems.append(f"{where}: pos {e.pos!r} is not VERB or NOUN")
        if e.key in seen:
            problems.append(
                f"{where}: duplicate of line {seen[e.key].line} "
                f"({e.head} {e.pos} {'+'.join(e.dep)!r})"
            )
        seen.setdefault(e.key, e)
    covered = {e.root for e in lexicon}
    missing = [r for r in _ROOTS if r not in covered]
    if missing:
        problems.append(f"{lexicon.source}: no trigger for CAMEO root(s) {', '.join(missing)}")
    return problems
