"""The web API, driven in-process through the real app.

The first part runs on a small store built here from hand-made records (no model needed); the
``model`` part ingests the bundled example articles and checks the endpoints against each other.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

with warnings.catch_warnings():  # starlette asks for httpx2; httpx 0.28 works all the same
    warnings.filterwarnings("ignore", message=".*httpx2")
    from fastapi.testclient import TestClient

from realpolitik.errors import StoreError
from realpolitik.store import Store, bulk_add
from realpolitik.web import create_app
from realpolitik.web.app import Limits, prepare_store
from web_helpers import LOCAL, TEXT_1, LiveServer, hand_results


@pytest.fixture(scope="module")
def hand_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "hand.duckdb"
    with Store(path) as store:
        for result in hand_results():
            assert store.add(result)
    return path


@pytest.fixture(scope="module")
def client(hand_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(hand_db), base_url=LOCAL) as c:
        yield c


def ids(body: dict[str, Any]) -> list[str]:
    return [row["id"] for row in body["items"]]


def test_bulk_add_round_trips_and_refuses_repeats(tmp_path: Path) -> None:
    results = hand_results()
    with Store(tmp_path / "bulk.duckdb") as store:
        assert bulk_add(store, results) == 2
        for result in results:
            assert store.result(result.article.id).to_dict() == result.to_dict()
        before = store.counts()
        with pytest.raises(StoreError, match="not stored yet"):
            bulk_add(store, results[:1])
        assert store.counts() == before  # all or nothing


# -- validation ------------------------------------------------------------------------------


def test_page_size_is_capped_with_a_message(client: TestClient) -> None:
    assert client.get("/api/events", params={"limit": 200}).status_code == 200
    r = client.get("/api/events", params={"limit": 201})
    assert r.status_code == 422
    assert "200" in r.json()["detail"] and "limit" in r.json()["detail"]


@pytest.mark.parametrize(
    ("params", "mentions"),
    [
        ({"country": "FRANCE"}, "alpha-3"),
        ({"root": "21"}, "01 to 20"),
        ({"quad_class": "5"}, "material conflict"),
        ({"since": "2022-13-01"}, "YYYY-MM-DD"),
        ({"since": "2022-06-01", "until": "2022-01-01"}, "after until"),
        ({"dyad": "FRA"}, "separated by a comma"),
        ({"dyad": "FRA,DEU,GBR"}, "separated by a comma"),
        ({"plover": "DANCE"}, "ACCUSE"),
        ({"sort": "id"}, "goldstein"),
        ({"level": "planet"}, "country"),
        ({"offset": "-1"}, "rows to skip"),
        ({"q": "x" * 201}, "1-200 characters"),
    ],
)
def test_bad_parameters_say_what_is_allowed(
    client: TestClient, params: dict[str, str], mentions: str
) -> None:
    r = client.get("/api/events", params=params)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert "allowed" in detail and mentions in detail


def test_unknown_parameter_is_refused_not_ignored(client: TestClient) -> None:
    r = client.get("/api/events", params={"contry": "FRA"})
    assert r.status_code == 400
    assert "'contry'" in r.json()["detail"] and "country" in r.json()["detail"]
    assert client.get("/api/quotes", params={"actor": "FRA"}).status_code == 400


def test_missing_things_are_404(client: TestClient) -> None:
    assert client.get("/api/articles/nope").status_code == 404
    assert client.get("/api/actors/Nobody").status_code == 404


@pytest.mark.parametrize(
    "value", ["' OR 1=1 --", "France'; DROP TABLE events; --", '" OR ""="', "%", "_"]
)
def test_user_text_is_a_value_never_sql(client: TestClient, value: str) -> None:
    for params in ({"q": value}, {"actor": value}, {"article": value}, {"dyad": f"{value},x"}):
        r = client.get("/api/events", params=params)
        assert r.status_code == 200, r.text
        assert r.json()["total"] == 0
    assert client.get("/api/events").json()["total"] == 5  # nothing was dropped


def test_the_store_is_never_written(hand_db: Path) -> None:
    before = hashlib.sha256(hand_db.read_bytes()).hexdigest()
    app = create_app(hand_db)
    with TestClient(app, base_url=LOCAL) as c:
        for url in ("/api/events", "/api/actors", "/api/quotes", "/api/network", "/api/dyads"):
            assert c.get(url).status_code == 200
        with pytest.raises(duckdb.Error, match="read-only"):
            app.state.readers.get().con.execute("CREATE TABLE intruder (x INTEGER)")
    assert hashlib.sha256(hand_db.read_bytes()).hexdigest() == before


def test_serve_binds_to_localhost_by_default() -> None:
    from realpolitik.cli import cli

    serve = cli.commands["serve"]
    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "127.0.0.1"


# -- the page ----------------------------------------------------------------------------------


def test_page_assets_all_come_from_this_server(client: TestClient) -> None:
    for page in ("/", "/docs"):
        r = client.get(page)
        assert r.status_code == 200 and "text/html" in r.headers["content-type"]
        assert "default-src 'self'" in r.headers["content-security-policy"]
        refs = re.findall(r'(?:src|href)="([^"]+)"', r.text)
        assets = [u for u in refs if u.startswith("/static/")]
        assert assets
        for ref in refs:
            assert ref.startswith(("/", "#", "data:")), f"{page} loads {ref} from elsewhere"
        for url in assets:
            assert client.get(url).status_code == 200, url


def test_openapi_documents_every_endpoint_and_parameter(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/events",
        "/api/actors",
        "/api/quotes",
        "/api/dyads",
        "/api/dyads/series",
        "/api/network",
        "/api/articles/{article_id}",
    ):
        assert path in spec["paths"], path
    params = {p["name"]: p for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"actor", "country", "dyad", "root", "quad_class", "since", "until", "q"} <= set(params)
    assert all(p.get("description") for p in params.values())


# -- filters on the hand-built store -------------------------------------------------------------


def test_event_filters(client: TestClient) -> None:
    def get(**params: Any) -> list[str]:
        return ids(client.get("/api/events", params=params).json())

    assert sorted(get(actor="FRA")) == ["fr_de:e1", "fr_de:e2"]
    assert sorted(get(actor="germany")) == sorted(get(actor="DEU"))
    assert len(get(actor="DEU")) == 5
    assert get(country="fra") == get(actor="FRA")
    assert sorted(get(root="11")) == ["fr_de:e2", "un_de:e1"]
    assert get(root="3") == ["fr_de:e1"]
    assert sorted(get(quad_class=4)) == ["un_de:e3"]
    assert sorted(get(since="2022-06-01")) == ["un_de:e1", "un_de:e2", "un_de:e3"]
    assert get(until="2022-03-01") == ["fr_de:e1", "fr_de:e2"]
    assert get(q="PIPELINE") == ["fr_de:e2"]
    assert sorted(get(dyad="DEU,IGOUNO")) == ["un_de:e1", "un_de:e2", "un_de:e3"]
    assert get(dyad="IGOUNO,DEU", directed="true") == ["un_de:e1"]
    assert get(sort="goldstein")[0] == "un_de:e3"
    assert get(sort="-goldstein")[0] == "fr_de:e1"


def test_country_level_counts_officials_for_their_country(client: TestClient) -> None:
    rows = client.get("/api/events", params={"dyad": "FRA,DEU", "level": "country"}).json()
    assert rows["total"] == 2
    assert client.get("/api/events", params={"actor": "FRAGOV"}).json()["total"] == 0


def test_pages_cover_every_row_once(client: TestClient) -> None:
    everything = ids(client.get("/api/events", params={"limit": 200}).json())
    paged: list[str] = []
    for offset in range(0, 6, 2):
        body = client.get("/api/events", params={"limit": 2, "offset": offset}).json()
        assert body["total"] == len(everything)
        paged += ids(body)
    assert paged == everything


def test_event_rows_name_their_actors_and_code(client: TestClient) -> None:
    row = client.get("/api/events", params={"q": "pipeline"}).json()["items"][0]
    assert (row["source_key"], row["target_key"]) == ("DEU", "FRA")
    assert row["source_name"] == "Germany" and row["article_title"] == "Talks"
    assert row["cameo_name"]


def test_actors_with_mentions_and_roles(client: TestClient) -> None:
    body = client.get("/api/actors").json()
    by_key = {a["key"]: a for a in body["items"]}
    assert body["total"] == len(by_key) == 4
    assert by_key["DEU"]["mentions"] == 3 and by_key["DEU"]["articles"] == 2
    assert by_key["DEU"]["as_source"] == 3 and by_key["DEU"]["as_target"] == 2
    assert by_key["Claire Martin"]["roles"] == ["foreign minister"]
    assert by_key["Claire Martin"]["quotes"] == 1
    detail = client.get("/api/actors/Germany").json()
    assert detail["actor"]["key"] == "DEU" and detail["mentions_total"] == 3
    for m in detail["mentions"]:
        assert TEXT_1[m["start"] : m["end"]] == m["text"] == "Germany"


def test_quotes_by_speaker_and_by_actor_mentioned(client: TestClient) -> None:
    by_speaker = client.get("/api/quotes", params={"speaker": "claire martin"}).json()
    assert ids(by_speaker) == ["fr_de:q1"]
    about = client.get("/api/quotes", params={"about": "DEU"}).json()
    assert ids(about) == ["fr_de:q1"]
    assert about["items"][0]["about_actors"] == [{"id": "a2", "name": "Germany", "key": "DEU"}]
    assert client.get("/api/quotes", params={"about": "FRA"}).json()["total"] == 0


def test_article_has_text_and_character_spans(client: TestClient) -> None:
    body = client.get("/api/articles/fr_de").json()
    text = body["text"]
    assert text == TEXT_1
    for actor in body["actors"]:
        for m in actor["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"]
    for item in body["events"] + body["quotes"]:
        assert text[item["start"] : item["end"]] == item["text"]


def test_dyads_count_only_what_happened(client: TestClient) -> None:
    pairs = client.get("/api/dyads").json()["items"]
    un = next(p for p in pairs if {p["a"], p["b"]} == {"DEU", "IGOUNO"})
    assert un["events"] == 2  # the negated expulsion is left out
    series = client.get("/api/dyads/series", params={"a": "DEU", "b": "IGOUNO"}).json()
    assert series["total"] == 2
    assert [p["period"] for p in series["points"]] == ["2022-06-01"]
    assert series["points"][0]["quad"]["3"] == 2
    r = client.get("/api/dyads/series", params={"a": "DEU", "b": "DEU"})
    assert r.status_code == 422


def test_dyad_series_fills_empty_months(client: TestClient) -> None:
    pairs = {(p["a"], p["b"]) for p in client.get("/api/dyads").json()["items"]}
    assert pairs  # at least the two dyads of the fixture
    series = client.get("/api/dyads/series", params={"a": "DEU", "b": "FRA"}).json()
    assert [p["period"] for p in series["points"]] == ["2022-03-01"]


def test_network_nodes_and_edges(client: TestClient) -> None:
    body = client.get("/api/network").json()
    nodes = {n["id"] for n in body["nodes"]}
    assert {"FRA", "DEU", "IGOUNO"} <= nodes
    for edge in body["edges"]:
        assert edge["source"] in nodes and edge["target"] in nodes
    small = client.get("/api/network", params={"nodes": 1}).json()
    assert len(small["nodes"]) == 1 and small["edges"] == []
    assert client.get("/api/network", params={"nodes": 0}).status_code == 422


# -- the example corpus (real model) -------------------------------------------------------------


@pytest.fixture(scope="session")
def example_db(tmp_path_factory: pytest.TempPathFactory, nlp: Any) -> Path:
    from realpolitik.batch.ingest import example_paths, ingest_paths

    path = tmp_path_factory.mktemp("web_examples") / "examples.duckdb"
    report = ingest_paths(example_paths(), path, nlp=nlp)
    assert report.ok and report.added == len(example_paths())
    return path


@pytest.fixture(scope="module")
def examples(example_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(example_db), base_url=LOCAL) as c:
        yield c


def _all_events(c: TestClient, **params: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    while True:
        body = c.get("/api/events", params={**params, "limit": 200, "offset": len(rows)}).json()
        rows += body["items"]
        if len(rows) >= body["total"]:
            return rows


@pytest.mark.model
def test_examples_summary_matches_the_lists(examples: TestClient) -> None:
    summary = examples.get("/api/summary").json()
    counts = summary["counts"]
    assert counts["articles"] == examples.get("/api/articles").json()["total"] == 4
    assert counts["events"] == len(_all_events(examples)) > 0
    assert counts["quotes"] == examples.get("/api/quotes", params={"limit": 200}).json()["total"]


@pytest.mark.model
def test_examples_articles_spans_index_the_text(examples: TestClient) -> None:
    for art in examples.get("/api/articles").json()["items"]:
        body = examples.get(f"/api/articles/{art['id']}").json()
        text = body["text"]
        assert len(body["events"]) == art["events"] and len(body["quotes"]) == art["quotes"]
        for actor in body["actors"]:
            for m in actor["mentions"]:
                assert text[m["start"] : m["end"]] == m["text"]
        for q in body["quotes"]:
            assert text[q["start"] : q["end"]] == q["text"]


@pytest.mark.model
def test_examples_node_filter_and_dyad_series_agree(examples: TestClient) -> None:
    network = examples.get("/api/network").json()
    assert network["nodes"] and network["edges"]
    top = max(network["nodes"], key=lambda n: n["events"])
    rows = _all_events(examples, actor=top["id"], level="country")
    assert len(rows) >= top["events"] > 0
    pair = examples.get("/api/dyads").json()["items"][0]
    series = examples.get("/api/dyads/series", params={"a": pair["a"], "b": pair["b"]}).json()
    assert series["total"] == pair["events"]
    between = _all_events(examples, dyad=f"{pair['a']},{pair['b']}", level="country")
    happened = [
        r for r in between if not r["negated"] and r["modality"] in ("asserted", "reported")
    ]
    assert len(happened) == pair["events"]


@pytest.mark.model
def test_examples_quotes_about_an_actor_mention_it(examples: TestClient) -> None:
    actor = examples.get("/api/actors", params={"kind": "state"}).json()["items"][0]
    body = examples.get("/api/quotes", params={"about": actor["key"], "limit": 200}).json()
    for q in body["items"]:
        assert actor["key"] in {a["key"] for a in q["about_actors"]}


# -- only our own host names ---------------------------------------------------------------------


def test_a_foreign_host_name_is_refused_and_our_own_are_answered(hand_db: Path) -> None:
    # a page on a DNS-rebinding domain reaches 127.0.0.1 but names its own host in Host
    with TestClient(create_app(hand_db, port=8123, warm=False), base_url=LOCAL) as c:
        foreign = c.get("/api/summary", headers={"Host": "evil.example:8123"})
        assert foreign.status_code == 421
        assert "evil.example" in foreign.json()["detail"]
        assert "--allow-host" in foreign.json()["detail"]
        assert c.get("/", headers={"Host": "evil.example"}).status_code == 421
        assert c.get("/api/summary", headers={"Host": "localhost:8124"}).status_code == 421
        assert c.get("/api/summary", headers={"Host": "localhost:x"}).status_code == 421
        assert c.get("/api/summary", headers={"Host": "localhost"}).status_code == 421  # :80
        for good in ("127.0.0.1:8123", "localhost:8123", "LOCALHOST:8123", "[::1]:8123"):
            assert c.get("/api/summary", headers={"Host": good}).status_code == 200, good


def test_more_host_names_can_be_allowed(hand_db: Path) -> None:
    app = create_app(hand_db, port=8123, allow_hosts=["box.lan", "proxy.example:443"], warm=False)
    with TestClient(app, base_url=LOCAL) as c:
        assert c.get("/api/summary", headers={"Host": "box.lan:8123"}).status_code == 200
        assert c.get("/api/summary", headers={"Host": "proxy.example:443"}).status_code == 200
        assert c.get("/api/summary", headers={"Host": "proxy.example:80"}).status_code == 421
        assert c.get("/api/summary", headers={"Host": "other.lan:8123"}).status_code == 421


def test_serve_takes_allow_host_and_limits() -> None:
    from realpolitik.cli import cli

    serve = cli.commands["serve"]
    names = {p.name for p in serve.params}
    assert {"allow_host", "memory_limit", "threads", "query_timeout", "max_queries"} <= names
    assert {"queue_timeout", "max_waiting", "cache_mb"} <= names


# -- bounded queries -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def slow_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store whose text search must read 200 MB of sentences: a query that takes a while."""
    path = tmp_path_factory.mktemp("slow") / "slow.duckdb"
    with Store(path) as store:
        store.con.execute(
            "INSERT INTO events (article_id, id, text) "
            "SELECT 'a' || (i % 100), 'e' || i, repeat('Talks on energy prices. ', 40) || i "
            "FROM range(200000) t(i)"
        )
    return path


def test_duckdb_gets_the_memory_and_thread_limits(hand_db: Path) -> None:
    app = create_app(hand_db, limits=Limits(memory_limit="300MB", threads=1), warm=False)
    con = app.state.readers.store.con
    row = con.execute(
        "SELECT current_setting('memory_limit'), current_setting('threads')"
    ).fetchone()
    assert row is not None and row[1] == 1 and row[0].startswith("286")  # 300 MB in MiB
    app.state.readers.close()
    with pytest.raises(StoreError, match="not a size"):
        Limits(memory_limit="lots")


def test_a_slow_query_is_stopped_at_the_time_limit(slow_db: Path) -> None:
    limits = Limits(threads=1, query_timeout=0.01)
    with TestClient(create_app(slow_db, limits=limits, warm=False), base_url=LOCAL) as c:
        slow = c.get("/api/events", params={"q": "no such words"})
        assert slow.status_code == 503
        assert "0.01 s limit" in slow.json()["detail"]
        assert slow.headers["retry-after"] == "1"
        assert c.app.state.query_stats.stopped["timeout"] == 1  # type: ignore[attr-defined]


def test_requests_beyond_the_cap_wait_then_get_503(slow_db: Path) -> None:
    limits = Limits(threads=1, max_queries=1, queue_timeout=0.05, query_timeout=60)
    with LiveServer(slow_db, limits) as live:
        first: list[int] = []
        slow = threading.Thread(target=lambda: first.append(live.get("/api/events?q=zz")[0]))
        slow.start()
        live.wait_running(1)
        status, headers, body = live.get("/api/summary")
        assert status == 503
        assert headers["retry-after"] == "1"
        assert b"1 queries already" in body
        slow.join()
        assert first == [200]
        assert live.get("/api/summary")[0] == 200  # the turn is free again


def test_a_query_stops_when_its_client_goes_away(slow_db: Path) -> None:
    import socket

    limits = Limits(threads=1, max_queries=1, queue_timeout=30, query_timeout=60)
    with LiveServer(slow_db, limits) as live:
        sock = socket.create_connection(("127.0.0.1", live.port))
        host = f"127.0.0.1:{live.port}"
        sock.sendall(f"GET /api/events?q=zz HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        live.wait_running(1)
        time.sleep(0.02)  # let the query start
        sock.close()
        live.wait_running(0)
        assert live.app.state.query_stats.stopped["disconnect"] == 1


# -- serving tables: the same answers, fast ---------------------------------------------------


def _answers(c: TestClient) -> dict[str, Any]:
    """Every aggregate answer of the API, for comparing two ways of computing them."""
    paths = [
        "/api/actors",
        "/api/actors?limit=1&offset=1",
        "/api/actors?country=DEU",
        "/api/actors?kind=state",
        "/api/actors?name=an",
        "/api/actors?actor=deu",
        "/api/articles",
        "/api/articles?q=t&limit=1&offset=1",
        "/api/network",
        "/api/network?level=actor&nodes=3",
        "/api/dyads",
        "/api/dyads?level=actor",
        "/api/actors?kind=person&country=FRA",
        "/api/actors?country=FRA&name=mart",
    ]
    events = [
        "",
        "offset=1&limit=2",
        "sort=-date&offset=1",
        "sort=goldstein",
        "sort=-goldstein&limit=1&offset=2",
        "actor=germany",
        "actor=deu&sort=-date&limit=2&offset=1",
        "actor=France&level=country",
        "actor=FRA&level=country",
        "actor=igouno&level=country",
        "dyad=DEU,IGOUNO",
        "dyad=DEU,IGOUNO&directed=true",
        "dyad=fra,deu&level=country",
        "country=DEU",
        "root=11",
        "quad_class=3&until=2022-05-01",
        "since=2022-06-01",
        "article=un_de",
        "q=GERMANY",
        "q=nothing%20like%20it",
    ]
    paths += [f"/api/events?{e}" for e in events]
    quotes = ["", "speaker=FRAGOV", "speaker=claire%20martin", "about=DEU", "about=fra", "q=act"]
    paths += [f"/api/quotes?{q}" for q in quotes] + ["/api/quotes?kind=mixed&article=fr_de"]
    out = {p: c.get(p).json() for p in paths}
    for item in out["/api/actors"]["items"][:5]:
        path = f"/api/actors/{item['key']}"
        out[path] = c.get(path).json()
    for pair in out["/api/dyads"]["items"][:3]:
        for period in ("day", "week", "month"):
            path = f"/api/dyads/series?a={pair['a']}&b={pair['b']}&period={period}"
            out[path] = c.get(path).json()
    return out


def _same_answers_prepared_or_not(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "prepared.duckdb"
    shutil.copy(db, copy)
    assert prepare_store(copy)
    assert not prepare_store(copy)  # current: nothing to rebuild
    with TestClient(create_app(db), base_url=LOCAL) as live:
        assert not live.app.state.fast  # type: ignore[attr-defined]
        expected = _answers(live)
    with TestClient(create_app(copy), base_url=LOCAL) as fast:
        assert fast.app.state.fast  # type: ignore[attr-defined]
        assert _answers(fast) == expected
    assert expected["/api/actors"]["items"] and expected["/api/network"]["nodes"]


def test_serving_tables_give_the_same_answers(hand_db: Path, tmp_path: Path) -> None:
    _same_answers_prepared_or_not(hand_db, tmp_path)


def test_serving_tables_are_not_used_once_the_store_changed(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    first, second = hand_results()
    with Store(db) as store:
        store.add(first)
    assert prepare_store(db)
    with Store(db) as store:
        store.add(second)  # the tables no longer describe the store
    with TestClient(create_app(db), base_url=LOCAL) as c:
        assert not c.app.state.fast  # type: ignore[attr-defined]
        assert c.get("/api/articles").json()["total"] == 2
        un = c.get("/api/actors", params={"actor": "IGOUNO"}).json()
        assert un["total"] == 1
    assert prepare_store(db)  # rebuilt
    with TestClient(create_app(db), base_url=LOCAL) as c:
        assert c.app.state.fast  # type: ignore[attr-defined]
        assert c.get("/api/actors", params={"actor": "IGOUNO"}).json() == un


@pytest.mark.model
def test_examples_serving_tables_give_the_same_answers(example_db: Path, tmp_path: Path) -> None:
    _same_answers_prepared_or_not(example_db, tmp_path)
