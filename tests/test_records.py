"""The records' own JSON mapping: ``to_dict`` and ``from_dict`` are one contract."""

from __future__ import annotations

import json
from typing import Any

import pytest

from realpolitik.batch.work import result_from_dict, result_to_dict
from realpolitik.errors import InputError, MissingField
from realpolitik.records import (
    Actor,
    Article,
    Event,
    Participant,
    Place,
    Quote,
    Relation,
    Result,
    Span,
    StageError,
)


@pytest.fixture()
def result() -> Result:
    text = "Japan criticized China in Tokyo."
    return Result(
        article=Article("x1", text, "2021-03-19", "Wire", "T", {"source": "JPN"}),
        actors=[
            Actor("a1", "Japan", "state", "JPN", "JPN", None, None, [Span("Japan", 0, 5)]),
            Actor("a2", "China", "state", "CHN", "CHN", basis="place:city"),
        ],
        events=[
            Event(
                id="x1:e1",
                source=Participant("a1", "JPN", "JPN", "Japan"),
                target=Participant("a2", "CHN", "CHN", "China"),
                cameo="111",
                root="11",
                plover="ACCUSE",
                goldstein=-2.0,
                quad_class=3,
                text=text,
                start=0,
                end=len(text),
                coder="c/1",
                rule="r",
                confidence=0.9,
                date="2021-03-19",
                date_precision="day",
                place=Place("Tokyo", "JPN", 35.7, 139.7),
                negated=True,
                modality="future",
                plover_mode="verbal",
                trigger=Span("criticized", 6, 16),
                mentions=[Span("Japan", 0, 5), Span("China", 17, 22)],
            )
        ],
        quotes=[Quote("x1:q1", "a1", "Japan", "x", 0, 1, "direct", "said", ["a2"], "q/1")],
        relations=[Relation("x1:r1", "rivalry", "a1", "a2", "Japan", 0, 5, True, "rel/1")],
        errors=[StageError("events", "oops")],
    )


def _json(d: dict[str, Any]) -> Any:
    return json.loads(json.dumps(d))


def test_every_field_survives_the_round_trip(result: Result) -> None:
    # actor basis and event mentions were dropped by the old hand-written mappings
    assert Result.from_dict(_json(result.to_dict(full=True))) == result
    assert result_from_dict(_json(result_to_dict(result))) == result


def test_the_output_contract_reads_back_to_itself(result: Result) -> None:
    data = _json(result.to_dict())
    for lenient in (False, True):
        assert Result.from_dict(data, lenient=lenient).to_dict() == data


@pytest.mark.parametrize(
    ("where", "field"),
    [
        (("events", 0), "cameo"),
        (("events", 0, "source"), "text"),
        (("actors", 1), "kind"),
        (("actors", 0, "mentions", 0), "start"),
        (("quotes", 0), "speaker_text"),
        (("relations", 0), "b"),
        ((), "article"),
    ],
)
def test_strict_reading_names_the_missing_field(
    result: Result, where: tuple[str | int, ...], field: str
) -> None:
    data = _json(result.to_dict())
    node: Any = data
    for key in where:
        node = node[key]
    del node[field]
    with pytest.raises(MissingField) as caught:
        Result.from_dict(data, path="coded.jsonl", line=7)
    dotted = ".".join(f"[{k}]" if isinstance(k, int) else k for k in (*where, field))
    dotted = dotted.replace(".[", "[")
    message = str(caught.value)
    assert f"'{dotted}'" in message and "line 7 of coded.jsonl" in message
    assert caught.value.line == 7 and "Hint:" in message


def test_lenient_reading_fills_defaults_but_keeps_ids_required(result: Result) -> None:
    data = _json(result.to_dict())
    del data["events"][0]["cameo"], data["actors"][1]["kind"], data["quotes"][0]["text"]
    back = Result.from_dict(data, lenient=True)
    assert back.events[0].cameo == "" and back.actors[1].kind == "state"
    assert back.quotes[0].text == ""
    del data["events"][0]["id"]
    with pytest.raises(InputError, match=r"'events\[0\]\.id'"):
        Result.from_dict(data, lenient=True)


@pytest.mark.parametrize("bad", [None, [], "text", 3])
def test_a_record_that_is_not_an_object_is_an_input_error(bad: Any) -> None:
    with pytest.raises(MissingField, match="not a JSON object"):
        Result.from_dict({"article": bad})
    with pytest.raises(MissingField):
        Result.from_dict(bad)


def test_a_repaired_article_keeps_its_repairs_across_processes() -> None:
    article = Article(id="a", text="Japan\x00criticized China.")
    assert article.repairs and article.text == "Japan criticized China."
    back = Article.from_dict(json.loads(json.dumps(article.to_dict(full=True))))
    assert back.repairs == article.repairs and back.text == article.text
