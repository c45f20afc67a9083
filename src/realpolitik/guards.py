"""Guards that keep one article from costing the others: bounded tokenising, long texts in
chunks, and a per-article time budget.

Every guard keeps offsets: the tokenizer guard substitutes characters one for one, and chunked
texts have their records shifted back into the original text.
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from .errors import TimeBudgetExceeded
from .records import Event, Participant, Quote, Relation, Result, Span

# spaCy's tokenizer strips prefixes and suffixes one at a time, searching the whole remaining
# token each time: a run of n brackets or quotation marks costs O(n^2) (8k marks: 43 s). A space
# every RUN_LIMIT characters of a run of punctuation bounds that to O(n * RUN_LIMIT). No prose
# has 32 punctuation marks in a row; rule lines ("-----") and mark floods do.
RUN_LIMIT = 32
_PUNCT_RUN = re.compile(rf"[^\w\s]{{{RUN_LIMIT + 1},}}")

# Texts longer than this (about 3,500 words, longer than nearly every news article) are coded in
# paragraph-aligned chunks: spaCy refuses texts over ``nlp.max_length`` and its parser needs
# about 1 GB per 100,000 characters, and the event extractor and relation finder compare every
# sentence with every actor of the text, so a chunk bounds their cost too (a 1 MB text of
# actor-dense sentences: 35k characters cost 9 s in the extractor, 70k characters 42 s).
CHUNK_CHARS = 20_000

DEFAULT_TIME_BUDGET = 120.0  # seconds per article


def break_punctuation_runs(text: str) -> str:
    """``text`` with a space in place of every ``RUN_LIMIT + 1``-th mark of a long mark run.

    Same length as ``text``; texts without such runs are returned unchanged (the same object).
    """
    if _PUNCT_RUN.search(text) is None:
        return text

    def spaced(match: re.Match[str]) -> str:
        run = match.group()
        step = RUN_LIMIT + 1
        return "".join(
            run[i : i + RUN_LIMIT] + (" " if i + RUN_LIMIT < len(run) else "")
            for i in range(0, len(run), step)
        )

    return _PUNCT_RUN.sub(spaced, text)


def paragraph_chunks(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """Split ``text`` into ``(offset, chunk)`` pieces of at most ``limit`` characters.

    Cuts fall after a blank line if the piece has one, else after a line break, a sentence end,
    any whitespace, and only as a last resort inside a word. The chunks joined are ``text``.
    """
    pieces: list[tuple[int, str]] = []
    start = 0
    n = len(text)
    while n - start > limit:
        window = text[start : start + limit]
        cut = -1
        for sep in ("\n\n", "\n", ". ", " ", "\t"):
            at = window.rfind(sep, limit // 4)
            if at != -1:
                cut = at + len(sep)
                break
        if cut <= 0:
            cut = limit
        pieces.append((start, text[start : start + cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces


def _span(span: Span, offset: int) -> Span:
    return Span(span.text, span.start + offset, span.end + offset)


def shift_result(result: Result, offset: int, tag: str) -> Result:
    """A chunk's result moved to ``offset`` in the whole text, its ids made unique by ``tag``."""
    if not offset and not tag:
        return result

    def aid(actor_id: str | None) -> str | None:
        return f"{actor_id}{tag}" if actor_id is not None else None

    def part(p: Participant | None) -> Participant | None:
        return replace(p, actor=aid(p.actor)) if p is not None else None

    actors = [
        replace(
            a,
            id=f"{a.id}{tag}",
            mentions=[_span(m, offset) for m in a.mentions],
        )
        for a in result.actors
    ]
    events: list[Event] = []
    for e in result.events:
        source = part(e.source)
        assert source is not None
        events.append(
            replace(
                e,
                id=f"{e.id}{tag}",
                source=source,
                target=part(e.target),
                start=e.start + offset,
                end=e.end + offset,
                trigger=_span(e.trigger, offset) if e.trigger else None,
                mentions=[_span(m, offset) for m in e.mentions],
            )
        )
    quotes: list[Quote] = [
        replace(
            q,
            id=f"{q.id}{tag}",
            speaker=aid(q.speaker),
            about=[f"{x}{tag}" for x in q.about],
            start=q.start + offset,
            end=q.end + offset,
        )
        for q in result.quotes
    ]
    relations: list[Relation] = [
        replace(
            r,
            id=f"{r.id}{tag}",
            a=f"{r.a}{tag}",
            b=f"{r.b}{tag}",
            start=r.start + offset,
            end=r.end + offset,
        )
        for r in result.relations
    ]
    return Result(result.article, actors, events, quotes, relations, list(result.errors))


def reslice(result: Result, text: str) -> None:
    """Set every record's span text to ``text[start:end]`` (after a same-length substitution)."""

    def fix(span: Span) -> None:
        span.text = text[span.start : span.end]

    for a in result.actors:
        for m in a.mentions:
            fix(m)
    for e in result.events:
        e.text = text[e.start : e.end]
        if e.trigger:
            fix(e.trigger)
        for m in e.mentions:
            fix(m)
    for q in result.quotes:
        q.text = text[q.start : q.end]
    for r in result.relations:
        r.text = text[r.start : r.end]


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


#: after the budget is spent the alarm fires again at this interval until the block is left,
#: so a firing that lands where Python swallows exceptions (a ``gc`` callback, a ``__del__``)
#: is followed by another one
REFIRE_SECONDS = 0.05


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`TimeBudgetExceeded` in the block once ``seconds`` have passed.

    POSIX main thread only (``signal.setitimer``; the signal is handled between Python
    bytecodes, so C code that never returns to Python is not interrupted: worker pools back
    this up by killing the process). Elsewhere, or with ``seconds`` None or <= 0, no limit.

    An exception raised from a signal handler can land where Python ignores exceptions (a
    garbage-collector callback, a finaliser). So once the budget is spent the alarm repeats
    every :data:`REFIRE_SECONDS` until the block is left, and a block that still finishes
    after the budget fired raises on the way out: an over-budget article never passes as coded.
    """
    if not seconds or seconds <= 0 or not _can_alarm():
        yield
        return
    fired = False

    def expired(_signum: int, _frame: object) -> None:
        nonlocal fired
        fired = True
        raise TimeBudgetExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds, REFIRE_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if fired:  # every firing was swallowed and the block ran to its end
        raise TimeBudgetExceeded(seconds)
