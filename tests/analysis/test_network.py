"""The signed network from hand-built results (weights worked out from the construction), its
outputs and inputs, and -- with the real pipeline -- the founding article's system picture."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from helpers import SEED
from realpolitik.analysis.network import (
    build_network,
    load_results,
    network_graphml,
    network_to_dict,
    result_from_dict,
)
from realpolitik.analysis.plots import network_html, plot_network
from realpolitik.cli import cli
from realpolitik.records import Actor, Article, Event, Participant, Relation, Result
from realpolitik.store import Store

ACTORS = [
    Actor("s1", "United States", "state", code="USA", country="USA"),
    Actor("s2", "Japan", "state", code="JPN", country="JPN"),
    Actor("s3", "South Korea", "state", code="KOR", country="KOR"),
    Actor("s4", "China", "state", code="CHN", country="CHN"),
    Actor("s5", "North Korea", "state", code="PRK", country="PRK"),
    Actor("p1", "Antony Blinken", "person", code="USAGOV", country="USA"),
    Actor("o1", "Quadrilateral Security Dialogue", "organization", code="IGOQUA"),
]
BY_ID = {a.id: a for a in ACTORS}


def who(actor_id: str) -> Participant:
    a = BY_ID[actor_id]
    return Participant(actor=a.id, code=a.code, country=a.country, text=a.name)


def ev(n: int, src: str, tgt: str, goldstein: float, **kw) -> Event:
    quad = 1 if goldstein >= 0 else 3
    return Event(
        id=f"x:e{n}",
        source=who(src),
        target=who(tgt),
        cameo="040",
        root="04",
        plover="CONSULT",
        goldstein=goldstein,
        quad_class=quad,
        text="...",
        start=0,
        end=3,
        coder="test",
        rule="test",
        confidence=1.0,
        date="2021-03-18",
        **kw,
    )


def rel(n: int, kind: str, a: str, b: str, negated: bool = False) -> Relation:
    return Relation(f"x:r{n}", kind, a, b, "...", 0, 3, negated, "test")


def result() -> Result:
    return Result(
        Article("x", "some text", date="2021-03-19"),
        actors=list(ACTORS),
        events=[
            ev(1, "p1", "s3", 4.0),  # Blinken (USA) -> KOR, +0.4
            ev(2, "s1", "s4", -4.0),  # USA -> CHN, -0.4
            ev(3, "s3", "s5", 1.0),  # KOR -> PRK, +0.1: a weak tie to the bloc ...
            ev(4, "s1", "s4", 9.0, negated=True),  # did not happen
            ev(5, "s1", "s1", 3.0),  # the USA on itself
        ],
        relations=[
            rel(1, "alliance", "s1", "s2"),
            rel(2, "alliance", "s1", "s3"),
            rel(3, "alliance", "s2", "s3"),
            rel(4, "alliance", "s1", "s3"),
            rel(5, "threat", "p1", "s4"),  # a person's perception counts for the USA
            rel(6, "threat", "s1", "s5"),  # ... outweighed by hostility to two members
            rel(7, "threat", "s2", "s5"),
            rel(8, "partnership", "s3", "s4"),
            rel(9, "threat", "s3", "s4"),
            rel(10, "membership", "s2", "o1"),
            rel(11, "alliance", "s4", "s1", negated=True),  # said not to be
            rel(12, "alliance", "p1", "s1"),  # the USA and itself
        ],
    )


@pytest.fixture(scope="module")
def graph() -> nx.Graph:
    return build_network([result()])


def edge(g: nx.Graph, a: str, b: str) -> dict:
    return g.edges[a, b]


def test_weights_combine_events_and_relations(graph):
    assert set(graph) == {"USA", "JPN", "KOR", "CHN", "PRK", "IGOQUA"}
    assert not any(a == b for a, b in graph.edges)
    usa_kor = edge(graph, "USA", "KOR")
    assert usa_kor["weight"] == pytest.approx(2 * 1.0 + 0.4)
    assert (usa_kor["cooperation"], usa_kor["conflict"], usa_kor["events"]) == (1, 0, 1)
    assert usa_kor["relations"] == {"alliance": 2}
    usa_chn = edge(graph, "USA", "CHN")
    assert usa_chn["weight"] == pytest.approx(-0.4 - 1.0)
    assert (usa_chn["cooperation"], usa_chn["conflict"]) == (0, 1)
    assert usa_chn["relations"] == {"threat": 1}
    kor_chn = edge(graph, "KOR", "CHN")
    assert kor_chn["weight"] == pytest.approx(0.5 - 1.0)
    assert kor_chn["volume"] == pytest.approx(1.5)
    assert edge(graph, "JPN", "IGOQUA")["weight"] == pytest.approx(0.5)
    assert edge(graph, "KOR", "PRK")["weight"] == pytest.approx(0.1)


def test_blocs_follow_the_signs(graph):
    bloc = {n: d["bloc"] for n, d in graph.nodes(data=True)}
    assert bloc["USA"] == bloc["JPN"] == bloc["KOR"] == 0
    # PRK's one friendly tie (with KOR) is outweighed by hostility to USA and JPN
    assert bloc["PRK"] != 0
    assert bloc["CHN"] != 0
    frustration = graph.graph["frustration"]
    negative = sum(1 for *_, d in graph.edges(data=True) if d["weight"] < 0)
    assert frustration["negative_within"] == 0
    assert frustration["negative_between"] == negative
    # the KOR-PRK tie is positive but crosses blocs
    assert frustration["positive_between"] == 1


def test_centrality(graph):
    central = {n: d["centrality"] for n, d in graph.nodes(data=True)}
    assert sum(central.values()) == pytest.approx(1.0)
    assert max(central, key=central.get) in {"USA", "KOR"}
    assert central["IGOQUA"] < central["JPN"]


def test_labels_name_the_state(graph):
    assert graph.nodes["USA"]["label"] == "United States"
    assert graph.nodes["IGOQUA"]["label"] == "Quadrilateral Security Dialogue"


def test_a_country_is_labelled_by_its_name_not_by_an_agent_or_a_place() -> None:
    actors = [
        Actor("g1", "Oman (GOV)", "state", code="OMNGOV", country="OMN", sector="GOV"),
        Actor("c1", "Darfur (CVL)", "state", code="SDNCVL", country="SDN", sector="CVL"),
        Actor("p1", "Yoko Kamikawa", "person", code="JPNGOV", country="JPN"),
    ]
    by_id = {a.id: a for a in actors}

    def side(actor_id: str) -> Participant:
        a = by_id[actor_id]
        return Participant(actor=a.id, code=a.code, country=a.country, text=a.name)

    events = [
        Event(
            id=f"y:e{n}",
            source=side(s),
            target=side(t),
            cameo="040",
            root="04",
            plover="CONSULT",
            goldstein=1.0,
            quad_class=1,
            text="...",
            start=0,
            end=3,
            coder="test",
            rule="test",
            confidence=1.0,
            date="2021-03-18",
        )
        for n, (s, t) in enumerate([("g1", "c1"), ("p1", "g1")])
    ]
    g = build_network([Result(Article("y", "text", date="2021-03-19"), actors, events)])
    labels = {key: g.nodes[key]["label"] for key in g.nodes}
    assert labels == {"OMN": "Oman", "SDN": "Sudan", "JPN": "Japan"}


def test_actor_level_keeps_persons_apart():
    g = build_network([result()], level="actor")
    assert "Antony Blinken" in g and "United States" in g
    assert g.edges["Antony Blinken", "China"]["relations"] == {"threat": 1}


def test_json_shape(graph):
    data = network_to_dict(graph)
    assert json.loads(json.dumps(data)) == data
    for node in data["nodes"]:
        assert {"id", "label", "bloc", "centrality"} <= set(node)
    for e in data["edges"]:
        assert {"source", "target", "weight", "cooperation", "conflict", "relations"} <= set(e)
    centralities = [n["centrality"] for n in data["nodes"]]
    assert centralities == sorted(centralities, reverse=True)


def test_graphml_round_trip(graph):
    back = nx.read_graphml(io.BytesIO(network_graphml(graph).encode()))
    assert set(back) == set(graph)
    assert back.edges["JPN", "USA"]["relations_alliance"] == 1
    assert back.nodes["KOR"]["bloc"] == graph.nodes["KOR"]["bloc"]


def test_html_is_self_contained(graph, tmp_path: Path):
    page = network_html(graph)
    assert "<script src" not in page and "<link" not in page
    assert "https://" not in page and "cdn" not in page.lower()
    assert '"id": "PRK"' in page and "<svg" in page
    node = shutil.which("node")
    if node:  # the inlined script must at least parse
        script = page[page.index("<script>") + 8 : page.index("</script>")]
        (tmp_path / "page.js").write_text(script)
        subprocess.run([node, "--check", str(tmp_path / "page.js")], check=True)


def test_png(graph, tmp_path: Path):
    out = tmp_path / "net.png"
    plot_network(graph, out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_result_json_round_trip():
    data = result().to_dict()
    assert result_from_dict(data).to_dict() == data


def test_inputs_give_the_same_network(tmp_path: Path, graph):
    jsonl = tmp_path / "coded.jsonl"
    jsonl.write_text(json.dumps(result().to_dict()) + "\n")
    as_list = tmp_path / "coded.json"
    as_list.write_text(json.dumps([result().to_dict()]))
    db = tmp_path / "store.duckdb"
    with Store(db) as s:
        s.add(result())
    expected = network_to_dict(graph)
    for path in (jsonl, as_list, db):
        assert network_to_dict(build_network(load_results([str(path)]))) == expected

    coded: list[list[str]] = []

    def fake_code(paths: list[str]) -> list[Result]:
        coded.append(paths)
        return [result()]

    article = tmp_path / "article.txt"
    article.write_text("Some article.")
    loaded = load_results([str(article)], code=fake_code)
    assert coded == [[str(article)]] and len(loaded) == 1


def test_cli_network(tmp_path: Path):
    jsonl = tmp_path / "coded.jsonl"
    jsonl.write_text(json.dumps(result().to_dict()) + "\n")
    runner = CliRunner()
    out = runner.invoke(cli, ["network", str(jsonl)])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert {n["id"] for n in data["nodes"]} >= {"USA", "KOR", "JPN"}
    png = tmp_path / "n.png"
    out = runner.invoke(cli, ["network", str(jsonl), "--format", "png", "-o", str(png)])
    assert out.exit_code == 0 and png.exists()
    out = runner.invoke(cli, ["network", str(jsonl), "--format", "png"])
    assert out.exit_code != 0 and "--output" in out.output
    html = tmp_path / "n.html"
    out = runner.invoke(cli, ["network", str(jsonl), "--format", "html", "-o", str(html)])
    assert out.exit_code == 0 and "<svg" in html.read_text()


def test_malformed_results_line_is_reported(tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(result().to_dict()) + "\n{not json\n")
    with pytest.raises(Exception, match="line 2"):
        load_results([str(bad)])


@pytest.mark.model
@pytest.mark.skipif(not SEED.exists(), reason="the founding article is not beside the repo")
def test_founding_article_system_picture(nlp):
    import realpolitik

    meta = json.loads(SEED.with_suffix(".meta.json").read_text())
    coded = realpolitik.code(SEED.read_text(), date=meta["date"], id=meta["id"], nlp=nlp)
    g = build_network([coded])
    bloc = {n: d["bloc"] for n, d in g.nodes(data=True)}
    assert bloc["USA"] == bloc["KOR"] == bloc["JPN"]
    assert bloc.get("CHN") != bloc["USA"] and bloc.get("PRK") != bloc["USA"]
    central = {n: d["centrality"] for n, d in g.nodes(data=True)}
    assert max(central, key=central.get) in {"USA", "KOR"}


def test_store_lists_relations_with_their_parties(tmp_path: Path):
    with Store(tmp_path / "r.duckdb") as s:
        s.add(result())
        rows = s.relations(kind="threat")
        assert len(rows) == sum(r.kind == "threat" for r in result().relations)
        first = next(r for r in rows if r["id"] == "x:r5")
        assert (first["a_name"], first["b_name"], first["b_country"]) == (
            "Antony Blinken",
            "China",
            "CHN",
        )
        assert len(s.relations(article="x", limit=2)) == 2
        assert s.relations(article="elsewhere") == []


def test_articles_without_a_coder_are_refused_not_coded(tmp_path: Path) -> None:
    from realpolitik.errors import InputError

    article = tmp_path / "a.txt"
    article.write_text("Japan criticized China on Tuesday.", encoding="utf-8")
    with pytest.raises(InputError, match="holds articles") as info:
        load_results([str(article)])
    assert "realpolitik ingest" in (info.value.hint or "")
