"""Actor evaluation on PLOVER GSR records (realpolitik.evaluate.actors)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import SHARED
from realpolitik.errors import EvaluationError
from realpolitik.evaluate.actors import (
    GoldActor,
    GoldRecord,
    align,
    evaluate_actors,
    format_report,
    gold_country,
    gold_sector,
    load_gsr,
    locate,
    score,
)
from realpolitik.records import Actor, Article, Event, Participant, Result, Span, StageError

GSR = SHARED / "eval" / "plover_gsr" / "PLOVER_GSR_CAMEO.json"

# Hand-written records in the GSR's layout (not taken from the file).
RECORDS: list[dict[str, Any]] = [
    {"event": "DOCUMENT", "id": "doc", "comment": "skipped"},
    {
        "id": "r1",
        "date": "2000-01-01",
        "event": "CONSULT",
        "text": "Japan hosted Ruritanian officials in Tokyo.",
        "textInfo": {"markup": "(SRC: Japan) (EVT: hosted) (TAR: Ruritanian officials) in Tokyo."},
        "source": [{"actorText": "Japan", "code": "JAP"}],
        "target": [{"actorText": "Ruritanian officials", "code": "RUR", "sector": "GOV"}],
    },
    {
        "id": "r2",
        "date": "2000-01-01",
        "event": "AGREE",
        "text": "Norway and Sweden agreed.",
        "textInfo": "(SRC: Norway) and (SRC: Sweden) (EVT: agreed).",
        "source": [
            {"actorText": "Norway", "code": "NOR"},
            {"actorText": "Sweden", "code": "SWE", "sector": "***"},
        ],
        "target": "",
    },
]


def gsr_file(tmp_path: Path, records: list[dict[str, Any]] = RECORDS) -> Path:
    path = tmp_path / "gsr.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def record(text: str, *actors: GoldActor, markup: str = "") -> GoldRecord:
    return GoldRecord("x", text, None, markup, actors)


def actor(
    id: str, code: str | None, country: str | None, sector: str | None, *spans: tuple[str, int]
) -> Actor:
    return Actor(
        id,
        id,
        "state",
        code,
        country,
        sector,
        mentions=[Span(t, s, s + len(t)) for t, s in spans],
    )


def event(text: str, source: Participant, target: Participant | None) -> Event:
    return Event(
        "e1",
        source,
        target,
        "040",
        "04",
        "CONSULT",
        1.0,
        1,
        text,
        0,
        len(text),
        "test",
        "test",
        1.0,
    )


def test_gold_codes_and_sectors() -> None:
    assert gold_country("JAP") == "JPN"
    assert gold_country("ITL") == "ITA"
    assert gold_country("IGO") == "IGO"
    assert gold_country("usa") == "USA"
    assert gold_sector("CVLalb") == "CVL"
    assert gold_sector("JRN") == "MED"
    assert gold_sector("MOS") == "REL"
    assert gold_sector("GOV") == "GOV"
    assert gold_sector("***") == "***"
    assert gold_sector(None) is None


def test_load_gsr(tmp_path: Path) -> None:
    records = load_gsr(gsr_file(tmp_path))
    assert [r.id for r in records] == ["r1", "r2"]  # DOCUMENT skipped
    assert [a.role for a in records[1].actors] == ["source", "source"]  # target "" is none
    assert records[1].markup.startswith("(SRC: Norway)")  # markup given as a bare string
    assert records[0].actors[1].country == "RUR" and records[0].actors[0].country == "JPN"
    assert len(load_gsr(gsr_file(tmp_path), limit=1)) == 1


def test_load_gsr_errors(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="no such file"):
        load_gsr(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(EvaluationError, match="JSON"):
        load_gsr(bad)
    no_code: list[dict[str, Any]] = [{"id": "a", "text": "t", "source": [{"actorText": "X"}]}]
    with pytest.raises(EvaluationError, match="no code"):
        load_gsr(gsr_file(tmp_path, no_code))


def test_locate() -> None:
    text = "Iraq said Iraq's  army and the UN met."
    tagged = record(text, markup="Iraq said (TAR: Iraq)'s  army and the UN met.")
    assert locate(GoldActor("target", "Iraq", "IRQ", None), tagged) == ((10, 14), "exact")
    assert locate(GoldActor("source", "Iraq", "IRQ", None), tagged)[0] == (0, 4)
    span, how = locate(GoldActor("source", "Iraq's army", "IRQ", "MIL"), tagged)
    assert how == "loose" and span is not None and text[span[0] : span[1]] == "Iraq's  army"
    span, how = locate(GoldActor("source", "Iraq's armmy", "IRQ", "MIL"), tagged)
    assert how == "fuzzy" and span is not None
    assert locate(GoldActor("source", "Kuwait", "KWT", None), tagged) == (None, "none")


def test_align_prefers_the_head_mention() -> None:
    text = "NATO-member Norway agreed."
    result = Result(
        Article("x", text),
        actors=[
            actor("nato", "IGOWSTNAT", None, "IGO", ("NATO", 0)),
            actor("nor", "NOR", "NOR", None, ("Norway", 12)),
        ],
    )
    gold = GoldActor("source", "NATO-member Norway", "NOR", None)
    pred = align(gold, (0, 18), result, "actors")
    assert (pred.country, pred.sector, pred.aligned_by) == ("NOR", None, "overlap")
    # An IGO's own prefix is not a sector.
    un = align(GoldActor("source", "NATO", "IGO", None), (0, 4), result, "actors")
    assert (un.country, un.sector) == ("IGO", None)


def test_align_events_uses_the_role_and_falls_back() -> None:
    text = "Japan hosted Ruritanian officials."
    result = Result(
        Article("x", text),
        actors=[actor("jpn", "JPN", "JPN", None, ("Japan", 0))],
        events=[
            event(
                text,
                Participant("jpn", "JPN", "JPN", "Japan"),
                Participant(None, "RURGOV", None, "Ruritanian officials"),
            )
        ],
    )
    target = GoldActor("target", "Ruritanian officials", "RUR", "GOV")
    pred = align(target, (13, 33), result, "events")
    assert (pred.country, pred.sector) == ("RUR", "GOV")
    # The same span in the source role has no participant there.
    assert align(GoldActor("source", "x", "RUR", None), (13, 33), result, "events").country is None
    # No span: the first event's participant in that role.
    fallback = align(GoldActor("source", "", "JPN", None), None, result, "events")
    assert (fallback.country, fallback.aligned_by) == ("JPN", "first_event")


def test_score_precision_and_recall() -> None:
    text = "Japan hosted Ruritanian officials in Tokyo."
    gold = record(
        text,
        GoldActor("source", "Japan", "JAP", None),
        GoldActor("target", "Ruritanian officials", "RUR", "GOV"),
        GoldActor("target", "Tokyo", "JAP", "***"),
    )
    result = Result(
        Article("x", text),
        actors=[
            # Japan found with a sector the gold does not give: costs sector precision.
            actor("jpn", "JPNGOV", "JPN", "GOV", ("Japan", 0), ("Tokyo", 37)),
            # Ruritania found without the officials' sector: costs sector recall.
            actor("rur", "RUR", None, None, ("Ruritanian", 13)),
        ],
    )
    evaluation = score([gold], [result])
    src_country = evaluation.score_of("actors", "source", "country")
    assert (src_country.gold, src_country.predicted, src_country.correct) == (1, 1, 1)
    src_sector = evaluation.score_of("actors", "source", "sector")
    assert (src_sector.gold, src_sector.predicted, src_sector.correct) == (0, 1, 0)
    tgt_sector = evaluation.score_of("actors", "target", "sector")
    # "Tokyo" has sector *** and is left out of sector scoring.
    assert (tgt_sector.gold, tgt_sector.predicted, tgt_sector.correct) == (1, 0, 0)
    tgt_country = evaluation.score_of("actors", "target", "country")
    assert (tgt_country.gold, tgt_country.correct) == (2, 2)
    joint = evaluation.score_of("actors", "target", "joint")
    assert (joint.gold, joint.predicted, joint.correct) == (1, 1, 0)
    assert joint.precision == 0.0 and tgt_country.recall == 1.0
    assert evaluation.unknown_sector == 1
    assert evaluation.errors[("actors", "target", "joint", "RURGOV", "RUR")] == 1
    # No events: the events protocol aligns nothing.
    assert evaluation.score_of("events", "source", "country").predicted == 0
    report = format_report(evaluation)
    assert "RURGOV -> RUR" in report and "actors    target  country" in report
    assert evaluation.to_dict()["scores"]


def test_failed_stages_are_flagged() -> None:
    text = "Japan agreed."
    result = Result(Article("x", text), errors=[StageError("events", "boom")])
    evaluation = score([record(text, GoldActor("source", "Japan", "JAP", None))], [result])
    assert evaluation.stage_errors == {"events": 1}
    assert "WARNING: pipeline stages failed (records): events 1" in format_report(evaluation)


def test_score_needs_one_result_per_record() -> None:
    with pytest.raises(ValueError):
        score([record("a")], [])


@pytest.mark.model
def test_evaluate_actors_end_to_end(tmp_path: Path) -> None:
    evaluation = evaluate_actors(gsr_file(tmp_path))
    assert evaluation.records == 2
    assert evaluation.units["source"] == 3
    cell = evaluation.score_of("actors", "source", "country")
    assert cell.gold == 3 and cell.correct >= 2  # Japan, Norway, Sweden are in the gazetteer


@pytest.mark.model
def test_evaluate_actors_on_the_gsr() -> None:
    if not GSR.exists():
        pytest.skip("needs ../shared/eval/plover_gsr")
    evaluation = evaluate_actors(GSR, limit=30)
    assert evaluation.records == 30
    cell = evaluation.score_of("actors", "source", "country")
    assert cell.gold >= 30 and 0 < cell.correct <= cell.predicted
