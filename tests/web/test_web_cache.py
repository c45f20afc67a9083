"""The response cache and the request queue of the explorer, on the real app and DuckDB."""

from __future__ import annotations

import asyncio
import threading
import time
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():  # starlette asks for httpx2; httpx 0.28 works all the same
    warnings.filterwarnings("ignore", message=".*httpx2")
    from fastapi.testclient import TestClient

from realpolitik.errors import StoreError
from realpolitik.store import Store, serving_stamp
from realpolitik.web import create_app
from realpolitik.web.app import Limits
from realpolitik.web.cache import Response, ResponseCache
from web_helpers import LOCAL, LiveServer, hand_results

CACHE = "x-realpolitik-cache"


@pytest.fixture(scope="module")
def hand_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web_cache") / "hand.duckdb"
    with Store(path) as store:
        for result in hand_results():
            assert store.add(result)
    return path


@pytest.fixture(scope="module")
def slow_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store whose text search must read 200 MB of sentences: a query that takes a while."""
    path = tmp_path_factory.mktemp("web_cache_slow") / "slow.duckdb"
    with Store(path) as store:
        store.con.execute(
            "INSERT INTO events (article_id, id, text) "
            "SELECT 'a' || (i % 100), 'e' || i, repeat('Talks on energy prices. ', 40) || i "
            "FROM range(200000) t(i)"
        )
    return path


def _response(size: int) -> Response:
    return Response(200, [(b"content-type", b"application/json")], b"x" * size)


# -- the cache itself ------------------------------------------------------------------------


def test_the_cache_keeps_answers_within_its_bytes_least_recent_out() -> None:
    cache = ResponseCache(8_000)
    for n in range(20):
        assert cache.put("s", f"/api/e?{n}", _response(500))
        assert cache.bytes <= cache.max_bytes
    assert 0 < len(cache) < 20 and cache.stats.evicted == 20 - len(cache)
    assert cache.get("s", "/api/e?0") is None  # the oldest went first
    newest = cache.get("s", "/api/e?19")
    assert newest is not None and newest.body == b"x" * 500
    # an answer used recently stays when a new one needs room
    oldest_kept = min(int(k.split("?")[1]) for k in cache._entries)
    assert cache.get("s", f"/api/e?{oldest_kept}") is not None
    cache.put("s", "/api/e?new", _response(500))
    assert cache.get("s", f"/api/e?{oldest_kept}") is not None


def test_one_huge_answer_is_not_kept() -> None:
    cache = ResponseCache(8_000)
    cache.put("s", "small", _response(100))
    assert not cache.put("s", "huge", _response(2_000))  # over an eighth of the cache
    assert cache.get("s", "huge") is None and cache.get("s", "small") is not None
    assert cache.stats.too_big == 1


def test_answers_of_another_state_of_the_store_are_never_served() -> None:
    cache = ResponseCache(8_000)
    cache.put("stamp-1", "/api/summary?", _response(100))
    assert cache.get("stamp-1", "/api/summary?") is not None
    assert cache.get("stamp-2", "/api/summary?") is None
    assert len(cache) == 0  # the old answers are gone, not kept beside the new ones


def test_the_stamp_changes_when_the_store_does(tmp_path: Path) -> None:
    first, second = hand_results()
    with Store(tmp_path / "s.duckdb") as store:
        store.add(first)
        before = serving_stamp(store)
        store.add(second)
        assert serving_stamp(store) != before


def test_identical_requests_wait_for_the_first() -> None:
    async def scenario() -> list[str]:
        cache = ResponseCache(8_000)
        order: list[str] = []

        async def request(name: str) -> None:
            if await cache.lead("k", timeout=5):
                order.append(f"{name} computes")
                await asyncio.sleep(0.05)
                cache.put("s", "k", _response(10))
                cache.done("k")
            else:
                order.append(f"{name} reads {cache.get('s', 'k', count=False) is not None}")

        await asyncio.gather(request("first"), request("second"), request("third"))
        assert cache.stats.waited == 2
        return order

    assert asyncio.run(scenario()) == ["first computes", "second reads True", "third reads True"]


def test_bad_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="max_bytes"):
        ResponseCache(-1)
    with pytest.raises(StoreError, match="cache_bytes"):
        Limits(cache_bytes=-1)
    with pytest.raises(StoreError, match="max_waiting"):
        Limits(max_waiting=0)


# -- the cache in the app --------------------------------------------------------------------


def test_a_repeated_request_is_answered_from_the_cache(hand_db: Path) -> None:
    with TestClient(create_app(hand_db, warm=False), base_url=LOCAL) as c:
        first = c.get("/api/events", params={"actor": "DEU", "limit": 2})
        again = c.get("/api/events", params={"actor": "DEU", "limit": 2})
        other = c.get("/api/events", params={"actor": "DEU", "limit": 1})
        assert (first.headers[CACHE], again.headers[CACHE], other.headers[CACHE]) == (
            "miss",
            "hit",
            "miss",
        )
        assert again.content == first.content and other.content != first.content
        # a cached answer carries the same protections as a computed one
        assert again.headers["content-security-policy"] == first.headers["content-security-policy"]
        assert again.headers["content-type"] == "application/json"
        stats = c.app.state.cache.stats  # type: ignore[attr-defined]
        assert (stats.hits, stats.misses, stats.stored) == (1, 2, 2)


def test_errors_and_the_page_are_not_cached(hand_db: Path) -> None:
    with TestClient(create_app(hand_db, warm=False), base_url=LOCAL) as c:
        for _ in range(2):
            bad = c.get("/api/events", params={"root": "99"})
            assert bad.status_code == 422 and bad.headers[CACHE] == "miss"
            assert c.get("/api/articles/nope").status_code == 404
            assert CACHE not in c.get("/").headers
        assert len(c.app.state.cache) == 0  # type: ignore[attr-defined]


def test_a_foreign_host_gets_no_cached_answer(hand_db: Path) -> None:
    with TestClient(create_app(hand_db, port=8123, warm=False), base_url=LOCAL) as c:
        good = {"Host": "127.0.0.1:8123"}
        assert c.get("/api/summary", headers=good).status_code == 200
        assert c.get("/api/summary", headers=good).headers[CACHE] == "hit"
        assert c.get("/api/summary", headers={"Host": "evil.example:8123"}).status_code == 421


def test_no_cache_when_its_size_is_zero(hand_db: Path) -> None:
    app = create_app(hand_db, limits=Limits(cache_bytes=0), warm=False)
    with TestClient(app, base_url=LOCAL) as c:
        for _ in range(2):
            r = c.get("/api/summary")
            assert r.status_code == 200 and CACHE not in r.headers


# -- the queue ---------------------------------------------------------------------------------


def test_requests_beyond_the_cap_queue_and_are_answered(slow_db: Path) -> None:
    limits = Limits(threads=1, max_queries=1, queue_timeout=60, query_timeout=60)
    with LiveServer(slow_db, limits) as live:
        statuses: list[int] = []
        slow = threading.Thread(target=lambda: statuses.append(live.get("/api/events?q=zz")[0]))
        slow.start()
        live.wait_running(1)
        waiting = [
            threading.Thread(
                target=lambda n=n: statuses.append(live.get(f"/api/events?q=none{n}")[0])
            )
            for n in range(3)
        ]
        for t in waiting:
            t.start()
        for t in [slow, *waiting]:
            t.join()
        assert statuses == [200] * 4  # all waited their turn; none was refused
        assert live.app.state.query_stats.stopped["busy"] == 0


def test_too_many_waiting_get_503_at_once(slow_db: Path) -> None:
    limits = Limits(threads=1, max_queries=1, max_waiting=1, queue_timeout=60, query_timeout=60)
    with LiveServer(slow_db, limits) as live:
        statuses: list[int] = []
        first = threading.Thread(target=lambda: statuses.append(live.get("/api/events?q=zz")[0]))
        first.start()
        live.wait_running(1)
        second = threading.Thread(target=lambda: statuses.append(live.get("/api/events?q=yy")[0]))
        second.start()
        deadline = time.monotonic() + 10
        while live.app.state.query_stats.waiting != 1 and time.monotonic() < deadline:
            time.sleep(0.005)
        status, headers, body = live.get("/api/summary")
        assert status == 503 and b"waiting already" in body and headers["retry-after"]
        first.join()
        second.join()
        assert statuses == [200, 200]
