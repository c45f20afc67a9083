"""Tying quotation spans to actors (no model: spans and mentions are written by hand)."""

from __future__ import annotations

from realpolitik.quotes import QuoteSpan
from realpolitik.quotes.attribution import speaker_mention
from realpolitik.records import Mention

TEXT = "Kim met Lee. Experts said it worked. He said so. Following his remarks, Park spoke."


def _at(word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return start, start + len(word)


def _person(word: str, actor: str) -> Mention:
    s, e = _at(word)
    return Mention(word, s, e, "person", actor=actor)


MENTIONS = [_person("Kim", "a1"), _person("Lee", "a2"), _person("Park", "a3")]


def _span(speaker: str) -> QuoteSpan:
    return QuoteSpan(
        content=(0, 1), speaker=_at(speaker), speaker_antecedent=None, cue=None, kind="indirect"
    )


def test_a_named_speaker_is_their_actor() -> None:
    who = speaker_mention(_span("Lee"), MENTIONS, TEXT)
    assert who is not None and who.actor == "a2"


def test_a_generic_speaker_is_no_one() -> None:
    assert speaker_mention(_span("Experts"), MENTIONS, TEXT) is None


def test_a_pronoun_is_the_last_person_before_it() -> None:
    who = speaker_mention(_span("He"), MENTIONS, TEXT)
    assert who is not None and who.actor == "a2"


def test_a_fronted_possessive_points_to_the_person_named_next() -> None:
    who = speaker_mention(_span("his"), MENTIONS, TEXT, sentence_end=len(TEXT))
    assert who is not None and who.actor == "a3"
