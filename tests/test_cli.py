"""The command line, run in-process through click (the real CLI, the real store)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from realpolitik.cli import cli
from realpolitik.records import Actor, Article, Event, Participant, Quote, Result, Span
from realpolitik.store import Store


def _store(path: Path) -> Path:
    text = "Japan criticized China. “We object,” said Wang."
    result = Result(
        article=Article(id="art1", text=text, date="2021-03-19", source="Wire", title="T"),
        actors=[
            Actor("a1", "Japan", "state", "JPN", "JPN", mentions=[Span("Japan", 0, 5)]),
            Actor("a2", "China", "state", "CHN", "CHN", mentions=[Span("China", 17, 22)]),
        ],
        events=[
            Event(
                id="art1:e1",
                source=Participant("a1", "JPN", "JPN", "Japan"),
                target=Participant("a2", "CHN", "CHN", "China"),
                cameo="111",
                root="11",
                plover="ACCUSE",
                goldstein=-2.0,
                quad_class=3,
                text="Japan criticized China.",
                start=0,
                end=23,
                coder="test/0",
                rule="hand",
                confidence=1.0,
                date="2021-03-18",
                date_precision="day",
            )
        ],
        quotes=[Quote("art1:q1", None, "Wang", "We object", 25, 34, "direct", "said")],
    )
    db = path / "s.duckdb"
    with Store(db) as store:
        store.add(result)
    return db


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_query_commands_in_every_format(tmp_path: Path, fmt: str) -> None:
    db = _store(tmp_path)
    runner = CliRunner()
    for command in ("events", "actors", "quotes"):
        res = runner.invoke(cli, [command, "--db", str(db), "--format", fmt])
        assert res.exit_code == 0, res.output
        if fmt == "json":
            rows = json.loads(res.output)
            assert rows and rows[0]["article_id"] == "art1"
    res = runner.invoke(cli, ["events", "--db", str(db), "--country", "CHN", "--format", "json"])
    assert [r["cameo"] for r in json.loads(res.output)] == ["111"]
    res = runner.invoke(cli, ["events", "--db", str(db), "--root", "4", "--format", "json"])
    assert json.loads(res.output) == []


def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["events", "--db", str(tmp_path / "none.duckdb")])
    assert res.exit_code == 2
    assert "no store at" in res.output and "Hint:" in res.output


def test_summary(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["summary", "--db", str(_store(tmp_path))])
    assert res.exit_code == 0
    assert "1 articles" in res.output and "ACCUSE" in res.output


@pytest.mark.model
def test_code_reports_bad_lines_and_codes_the_rest(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        "\n".join(
            [
                json.dumps(
                    {"id": "ok1", "text": "Japan criticized China on Monday.", "date": "2021-03-19"}
                ),
                "{broken",
                json.dumps({"id": "no-text"}),
                json.dumps({"id": "ok2", "text": "Russia and China held talks with Iran."}),
            ]
        ),
        encoding="utf-8",
    )
    res = CliRunner().invoke(cli, ["code", str(src), "--format", "jsonl"])
    assert res.exit_code == 1
    lines = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    assert [r["article"]["id"] for r in lines] == ["ok1", "ok2"]
    assert "line 2 of" in res.stderr and "line 3 of" in res.stderr
    assert "2 coded" in res.stderr and "2 failed" in res.stderr
    first = lines[0]
    assert set(first) >= {"article", "actors", "events", "quotes", "errors"}
    assert [(e["source"]["code"], e["cameo"], e["target"]["code"]) for e in first["events"]] == [
        ("JPN", "111", "CHN")
    ]


@pytest.mark.model
def test_ingest_twice_adds_nothing(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text("Japan criticized China.", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    db = tmp_path / "x.duckdb"
    runner = CliRunner()
    first = runner.invoke(cli, ["ingest", str(a), str(empty), "--db", str(db)])
    assert first.exit_code == 1 and "empty.txt" in first.stderr
    second = runner.invoke(cli, ["ingest", str(a), "--db", str(db)])
    assert second.exit_code == 0 and "1 already stored" in second.stderr
    with Store(db, read_only=True) as store:
        assert store.counts()["articles"] == 1


@pytest.mark.model
def test_train_on_own_gold_and_use_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gold = tmp_path / "gold.tsv"
    rows = ["sentence\tsource\ttarget\tlabel"]
    for a, b in [("Japan", "China"), ("Peru", "Chile"), ("Iran", "Iraq"), ("Cuba", "Spain")]:
        rows.append(f"{a} sharply condemned {b}.\t{a}\t{b}\tACCUSE")
        rows.append(f"{a} hosted talks with {b}.\t{a}\t{b}\tCONSULT")
    rows.append("a row without its columns")
    gold.write_text("\n".join(rows), encoding="utf-8")
    out = tmp_path / "model"
    res = CliRunner().invoke(cli, ["train", str(gold), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "trained on 8 of 9 rows (1 skipped)" in res.stdout
    assert "line 10" in res.stderr
    from realpolitik.events.decide import default_decider
    from realpolitik.settings import from_environ

    monkeypatch.setenv("REALPOLITIK_CLASSIFIER", str(out))
    decider = default_decider(from_environ().classifier)
    label, _ = decider.classify_pair("Norway hosted talks with Sweden.", "Norway", "Sweden")
    assert label == "CONSULT"


@pytest.mark.model
def test_code_reads_stdin_and_dates_the_event() -> None:
    res = CliRunner().invoke(
        cli,
        ["code", "-", "--date", "2021-03-19", "--format", "json"],
        input="Japan criticized China on Monday.",
    )
    assert res.exit_code == 0, res.output
    [result] = json.loads(res.stdout)
    [event] = result["events"]
    assert (event["cameo"], event["date"], event["date_precision"]) == ("111", "2021-03-15", "day")


@pytest.mark.model
def test_a_bad_attribution_model_setting_stops_before_any_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "a.txt"
    src.write_text("Kim said the talks failed.", encoding="utf-8")
    monkeypatch.setenv("REALPOLITIK_ATTRIBUTION_MODEL", str(tmp_path / "absent.json"))
    # the pipeline is built once per set of settings: this one is new, so it is built again
    res = CliRunner().invoke(cli, ["code", str(src), "--format", "jsonl"])
    assert res.exit_code == 2
    assert "absent.json: no such attribution model" in res.stderr
    assert "REALPOLITIK_ATTRIBUTION_MODEL" in res.stderr and res.stdout == ""
