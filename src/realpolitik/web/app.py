"""The web explorer: a read-only JSON API over a store, and one offline page that uses it.

:func:`create_app` opens the store read-only (DuckDB refuses every write on such a handle) and
serves ``/api/...`` (documented at ``/openapi.json`` and ``/docs``) plus the page at ``/``.
Every query goes through the store's query API (:mod:`realpolitik.store.query`, which the CLI
uses too) with its values as parameters; this module only checks and shapes them. Bad
parameters get a 4xx whose ``detail`` says what is allowed.

What one server may take is bounded (:class:`Limits`): DuckDB's memory and threads, the time
of one request's queries (interrupted when over it, or when the client goes away), and how many
API requests query at once (the rest queue, in order, for up to ``queue_timeout``; only then,
or when too many wait already, 503 with ``Retry-After``). Answers are kept in a response cache
bounded in bytes (:mod:`.cache`): the store cannot change while it is served. Only
requests addressed to the server's own host names are answered (421 otherwise), so a web page
cannot read the store through a DNS-rebinding domain.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import multiprocessing
import re
import sys
import threading
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, MutableMapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import duckdb
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from .. import __version__
from .. import store as st
from ..errors import RealpolitikError, StoreError
from ..events import ontology
from . import graph
from .cache import Response, ResponseCache
from .models import (
    ActorDetail,
    ActorPage,
    ArticleDetail,
    ArticlePage,
    ErrorBody,
    EventPage,
    QuotePage,
    Summary,
)

MAX_PAGE = 200  # rows per page: a page must stay cheap to query, send and draw
MAX_OFFSET = 100_000  # deeper pages mean the filters are too loose to be useful
QUAD_CLASSES = {
    "1": "verbal cooperation",
    "2": "material cooperation",
    "3": "verbal conflict",
    "4": "material conflict",
}

# What each parameter accepts; shown in the OpenAPI docs and in every 4xx message about it.
ALLOWED = {
    "actor": "an actor key: a code (USA, CHNGOV, IGOUNO) or a full name, any case",
    "country": "an ISO 3166-1 alpha-3 code such as CHN",
    "dyad": "two actor keys separated by a comma, e.g. USA,CHN",
    "directed": "true to keep only events from the first actor of the dyad to the second",
    "root": "a CAMEO root code from 01 to 20",
    "quad_class": "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, "
    "4 material conflict",
    "plover": "a PLOVER event type: " + ", ".join(ontology.PLOVER_TYPES),
    "article": "an article id",
    "since": "first date, YYYY-MM-DD",
    "until": "last date, YYYY-MM-DD, not before since",
    "q": "text to find (case-insensitive, 1-200 characters)",
    "sort": "date, -date, goldstein or -goldstein",
    "offset": f"rows to skip, 0-{MAX_OFFSET}",
    "limit": f"rows per page, 1-{MAX_PAGE}",
    "name": "part of a name (case-insensitive)",
    "kind": "state, organization, person or group",
    "speaker": "the speaking actor's key, or the words naming the speaker",
    "about": "the key of an actor mentioned in the quotation",
    "quote_kind": "direct, indirect or mixed",
    "a": "the first actor key of the dyad",
    "b": "the second actor key of the dyad",
    "period": "day, week or month",
    "nodes": f"the most central parties to return, 1-{graph.MAX_NODES}",
    "level": "how actor values match: actor (a code or a name) or country (a country's or "
    "an organization's party in the network, e.g. RUS covers the Kremlin and Russian officials)",
}

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Unknown parameter or bad combination."},
    404: {"model": ErrorBody, "description": "No such article or actor."},
    422: {"model": ErrorBody, "description": "A parameter has a value that is not allowed."},
}


def _q(name: str, **kwargs: Any) -> Any:
    """A query parameter documented with what it accepts."""
    return Query(description=ALLOWED[name], **kwargs)


Offset = Annotated[int, _q("offset", ge=0, le=MAX_OFFSET)]
Limit = Annotated[int, _q("limit", ge=1, le=MAX_PAGE)]
Text = Annotated[str | None, _q("q", min_length=1, max_length=200)]
ActorValue = Annotated[str | None, _q("actor", min_length=1, max_length=200)]
Country = Annotated[str | None, _q("country", pattern="^[A-Za-z]{3}$")]
ArticleId = Annotated[str | None, _q("article", min_length=1, max_length=300)]


def _bad(message: str, status: int = 422) -> HTTPException:
    return HTTPException(status_code=status, detail=message)


@cache
def _cameo_names() -> dict[str, str]:
    return {code: c.name for code, c in ontology.load_ontology().items()}


def _static_dir() -> Path:
    return Path(str(resources.files("realpolitik.web") / "static"))


@dataclass(frozen=True)
class Limits:
    """What one server may take. The defaults suit a laptop serving a million events.

    ``memory_limit``: DuckDB's memory limit for the store (a size such as ``1GB``); ``threads``:
    DuckDB's threads; ``query_timeout``: seconds one request's queries may run before they are
    interrupted (503); ``max_queries``: API requests that query at once; ``queue_timeout``:
    seconds a request beyond those waits for a turn before it gets 503 with ``Retry-After``;
    ``max_waiting``: requests that may wait at once (any more get 503 at once);
    ``cache_bytes``: the response cache's size (0: no cache), see :mod:`.cache`.
    """

    memory_limit: str = "1GB"
    threads: int = 2
    query_timeout: float = 10.0
    max_queries: int = 4
    queue_timeout: float = 10.0
    max_waiting: int = 1000
    cache_bytes: int = 64 * 2**20

    def __post_init__(self) -> None:
        if not re.fullmatch(r"\d+(\.\d+)?\s*([KMGT]i?B)", self.memory_limit, re.IGNORECASE):
            raise StoreError(
                f"memory limit {self.memory_limit!r} is not a size",
                hint="give a number and a unit, such as 500MB or 2GB",
            )
        for name in ("threads", "max_queries", "max_waiting"):
            if int(getattr(self, name)) < 1:
                raise StoreError(f"{name} is {getattr(self, name)}", hint="give 1 or more")
        if int(self.cache_bytes) < 0:
            raise StoreError(f"cache_bytes is {self.cache_bytes}", hint="give 0 (off) or more")
        for name in ("query_timeout", "queue_timeout"):
            if float(getattr(self, name)) <= 0:
                raise StoreError(f"{name} is {getattr(self, name)}", hint="give seconds above 0")


LOOPBACK = ("localhost", "127.0.0.1", "[::1]")


def _split_host(value: str) -> tuple[str, int | None]:
    """``name[:port]`` (an IPv6 address in brackets) as (lower-case name, port or None)."""
    value = value.strip().lower()
    name, port = value, ""
    if value.startswith("["):
        end = value.find("]")
        name, port = value[: end + 1], value[end + 2 :] if end >= 0 else ""
    elif ":" in value:
        name, _, port = value.rpartition(":")
    return name, (int(port) if port.isdigit() else None)


class HostNames:
    """The ``Host`` values a server answers: its own address, and loopback names on loopback.

    ``extra`` names (``NAME`` for any port or ``NAME:PORT``) are allowed too, for a server
    reached through a proxy or by a machine name.
    """

    def __init__(self, host: str, port: int, extra: Iterable[str] = ()) -> None:
        bound = f"[{host}]" if ":" in host and not host.startswith("[") else host
        bound = bound.lower()
        self.port = port
        self.allowed: set[tuple[str, int | None]] = {(bound, port)}
        if bound in (*LOOPBACK, "0.0.0.0", "[::]"):  # reached from this machine by any of them
            self.allowed |= {(name, port) for name in LOOPBACK}
        for value in extra:
            self.allowed.add(_split_host(value))

    def allows(self, header: str) -> bool:
        name, port = _split_host(header)
        rest = header.strip()[len(name) :]
        if not name or (port is None and rest):  # no name, or a port that is not a number
            return False
        port = 80 if port is None else port
        return (name, port) in self.allowed or (name, None) in self.allowed

    def describe(self) -> str:
        return ", ".join(sorted(f"{n}:{p}" if p else n for n, p in self.allowed))


class _Query:
    """The DuckDB handles one API request is using, so that they can be interrupted."""

    # which request each handle serves now: a handle is reused by the next request on its
    # thread, and a late stop of the previous one must not interrupt that one
    _owners: ClassVar[dict[int, _Query]] = {}
    _owners_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, stats: QueryStats) -> None:
        self.stats = stats
        self.reason: str | None = None
        self.answered = False  # the response is out: nothing is left to stop
        self._views: list[st.Store] = []

    def attach(self, view: st.Store) -> None:
        with self._owners_lock:
            if self.reason is not None:
                raise duckdb.InterruptException(self.reason)
            self._owners[id(view)] = self
            self._views.append(view)

    def stop(self, reason: str) -> None:
        """Interrupt what runs now; the guard calls it again until the request ends, since an
        interrupt between two queries of one request finds nothing running."""
        with self._owners_lock:
            if self.answered:
                return
            if self.reason is None:
                self.reason = reason
                self.stats.stopped[reason] += 1
            for view in self._views:
                if self._owners.get(id(view)) is self:
                    view.con.interrupt()


@dataclass
class QueryStats:
    """What the guard has done so far: API requests holding a turn now (and waiting for one),
    and queries it stopped (by reason: ``timeout`` or ``disconnect``); refused requests
    (``busy``, ``host``)."""

    running: int = 0
    waiting: int = 0
    stopped: Counter[str] = field(default_factory=Counter)


_CURRENT: ContextVar[_Query | None] = ContextVar("realpolitik_query", default=None)


async def _send_error(
    send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    status: int,
    detail: str,
    extra: list[tuple[bytes, bytes]] | None = None,
) -> None:
    body = json.dumps({"detail": detail, "errors": []}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send(
        {"type": "http.response.start", "status": status, "headers": headers + (extra or [])}
    )
    await send({"type": "http.response.body", "body": body})


class _Guard:
    """Pure ASGI middleware: own host names only; cached, bounded, cancellable API requests.

    An API request is answered from the response cache when it can be; otherwise it waits
    (up to ``queue_timeout``, in arrival order) for one of ``max_queries`` turns to query.
    """

    CACHE_HEADER = b"x-realpolitik-cache"

    def __init__(
        self,
        app: Any,
        *,
        hosts: HostNames,
        limits: Limits,
        stats: QueryStats,
        cache: ResponseCache,
        stamp: str,
    ) -> None:
        self.app = app
        self.hosts = hosts
        self.limits = limits
        self.stats = stats
        self.cache = cache
        self.stamp = stamp
        self.turns = asyncio.Semaphore(limits.max_queries)

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        if not self.hosts.allows(host):
            self.stats.stopped["host"] += 1
            await _send_error(
                send,
                421,
                f"this server does not answer for the host {host[:100]!r}; it answers for "
                f"{self.hosts.describe()} (start it with --allow-host NAME to add a name)",
            )
            return
        if not str(scope.get("path", "")).startswith("/api/"):
            await self.app(scope, receive, send)
            return
        if not (self.cache.enabled and scope.get("method") == "GET"):
            await self._query(scope, receive, send, None)
            return
        key = f"{scope['path']}?{bytes(scope.get('query_string') or b'').decode('latin-1')}"
        if await self._send_cached(key, send):
            return
        if not await self.cache.lead(key, self.limits.queue_timeout):
            # an identical request was being answered: its answer is kept now, as a rule
            if await self._send_cached(key, send, count=False):
                return
            await self._query(scope, receive, send, key)
            return
        try:
            await self._query(scope, receive, send, key)
        finally:
            self.cache.done(key)

    async def _send_cached(
        self,
        key: str,
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
        *,
        count: bool = True,
    ) -> bool:
        kept = self.cache.get(self.stamp, key, count=count)
        if kept is None:
            return False
        headers = [*kept.headers, (self.CACHE_HEADER, b"hit")]
        await send({"type": "http.response.start", "status": kept.status, "headers": headers})
        await send({"type": "http.response.body", "body": kept.body})
        return True

    async def _query(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
        key: str | None,
    ) -> None:
        """Run the request in a turn of its own; keep its answer under ``key`` if given."""
        if self.stats.waiting >= self.limits.max_waiting and self.turns.locked():
            await self._busy(send, f"{self.stats.waiting} requests are waiting already")
            return
        self.stats.waiting += 1
        try:
            await asyncio.wait_for(self.turns.acquire(), self.limits.queue_timeout)
        except TimeoutError:
            await self._busy(
                send,
                f"the server is answering {self.limits.max_queries} queries already",
            )
            return
        finally:
            self.stats.waiting -= 1
        self.stats.running += 1
        query = _Query(self.stats)
        token = _CURRENT.set(query)
        loop = asyncio.get_running_loop()
        timers: list[asyncio.TimerHandle] = []

        def expire() -> None:
            query.stop("timeout")
            timers[:] = [loop.call_later(0.02, expire)]

        timers.append(loop.call_later(self.limits.query_timeout, expire))
        messages: asyncio.Queue[MutableMapping[str, Any]] = asyncio.Queue()

        async def watch() -> None:
            # the handlers run in threads and never read the connection: this notices a
            # client that has gone, and stops its query instead of finishing it for nobody
            while True:
                message = await receive()
                messages.put_nowait(message)
                if message["type"] == "http.disconnect":
                    while not query.answered:
                        query.stop("disconnect")
                        await asyncio.sleep(0.02)
                    return

        start: MutableMapping[str, Any] = {}
        parts: list[bytes] = []

        async def send_noting_the_end(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start" and key is not None:
                start.update(message)
                message["headers"] = [*message.get("headers", []), (self.CACHE_HEADER, b"miss")]
            if message["type"] == "http.response.body":
                if key is not None:
                    parts.append(bytes(message.get("body", b"")))
                if not message.get("more_body"):
                    query.answered = True
            await send(message)

        watcher = asyncio.create_task(watch())
        try:
            await self.app(scope, messages.get, send_noting_the_end)
        finally:
            for timer in timers:
                timer.cancel()
            watcher.cancel()
            self.stats.running -= 1
            self.turns.release()
            _CURRENT.reset(token)
        if key is not None and start.get("status") == 200 and query.answered and not query.reason:
            headers = [(bytes(k), bytes(v)) for k, v in start.get("headers", [])]
            self.cache.put(self.stamp, key, Response(200, headers, b"".join(parts)))

    async def _busy(
        self, send: Callable[[MutableMapping[str, Any]], Awaitable[None]], why: str
    ) -> None:
        self.stats.stopped["busy"] += 1
        retry = max(1, round(self.limits.queue_timeout))
        await _send_error(
            send, 503, f"{why}; try again in {retry} s", [(b"retry-after", str(retry).encode())]
        )


class _Readers:
    """One DuckDB cursor per worker thread over the one read-only connection."""

    def __init__(self, store: st.Store) -> None:
        self.store = store
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[st.Store] = []

    def get(self) -> st.Store:
        view = getattr(self._local, "store", None)
        if view is None:
            view = st.reader(self.store)
            self._local.store = view
            with self._lock:
                self._all.append(view)
        query = _CURRENT.get()
        if query is not None:
            query.attach(view)
        return view

    def close(self) -> None:
        with self._lock:
            for view in self._all:
                view.close()
            self._all.clear()
        self.store.close()


class _SecurityHeaders:
    """Pure ASGI middleware: the page may load nothing from anywhere but this server."""

    HEADERS: ClassVar[list[tuple[bytes, bytes]]] = [
        (
            b"content-security-policy",
            b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            b"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
    ]

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + self.HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _check_known_params(request: Request) -> None:
    """Refuse a misspelt parameter instead of silently returning unfiltered rows."""
    endpoint = request.scope.get("endpoint")
    if endpoint is None:
        return
    allowed = set(inspect.signature(endpoint).parameters) - set(request.path_params)
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        names = ", ".join(sorted(allowed)) or "none"
        raise _bad(f"unknown parameter {unknown[0]!r}; this endpoint takes: {names}", 400)


def _validation_message(exc: RequestValidationError) -> tuple[str, list[dict[str, Any]]]:
    parts: list[str] = []
    errors: list[dict[str, Any]] = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path")]
        param = loc[-1] if loc else "request"
        allowed = ALLOWED.get(param)
        given = err.get("input")
        text = f"{param}: {err.get('msg', 'invalid value')}"
        if given is not None and not isinstance(given, dict):
            text += f" (got {str(given)[:60]!r})"
        if allowed:
            text += f"; allowed: {allowed}"
        parts.append(text)
        errors.append({"param": param, "message": err.get("msg"), "allowed": allowed})
    return "; ".join(parts), errors


def _page(total: int, offset: int, limit: int, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"total": total, "offset": offset, "limit": limit, "items": items}


def _dates(since: date | None, until: date | None) -> tuple[str | None, str | None]:
    if since and until and since > until:
        raise _bad(f"since ({since}) is after until ({until}); allowed: {ALLOWED['until']}")
    return (since.isoformat() if since else None, until.isoformat() if until else None)


def _dyad(value: str | None) -> tuple[str, str] | None:
    if value is None:
        return None
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2 or not all(parts):
        raise _bad(f"dyad: {value!r} is not two actors; allowed: {ALLOWED['dyad']}")
    return parts[0], parts[1]


def prepare_store(db: str | Path) -> bool:
    """Build the store's serving tables (aggregates, network, dyads) unless they are current.

    Needs write access for a moment; returns True if they were (re)built.
    """
    with st.Store(db) as store:
        return st.prepare_serving(store, graph.networks)


def _prepare_quietly(db: str) -> None:
    try:
        prepare_store(db)
    except RealpolitikError as exc:
        print(f"warning: serving without precomputed tables: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def prepare_in_child(db: str | Path) -> bool:
    """:func:`prepare_store` in a child process, so that the server keeps none of its memory.

    Returns False (after a warning on stderr) when the tables could not be built, for example
    because another process holds the store open: the server then computes on request.
    """
    child = multiprocessing.get_context("spawn").Process(target=_prepare_quietly, args=(str(db),))
    child.start()
    child.join()
    return child.exitcode == 0


def create_app(
    db: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    allow_hosts: Iterable[str] = (),
    limits: Limits | None = None,
    warm: bool = True,
) -> FastAPI:
    """The explorer app over the store ``db``, opened read-only (StoreError if it is missing).

    ``host``/``port``: the address it will be served on, which (with ``allow_hosts``) is what
    requests must name in ``Host``. ``limits``: see :class:`Limits`. ``warm``: run the first
    page of each endpoint at start-up, so that no user waits for cold caches.
    """
    limits = limits or Limits()
    store = st.Store(db, read_only=True)
    try:
        store.con.execute(f"SET memory_limit = '{limits.memory_limit}'")
        store.con.execute(f"SET threads = {int(limits.threads)}")
        store.con.execute("SET enable_progress_bar = false")
        fast = st.serving_ready(store)
        stamp = st.serving_stamp(store)
    except duckdb.Error as exc:
        store.close()
        raise StoreError(f"cannot configure the store {db}: {exc}") from None
    readers = _Readers(store)
    hosts = HostNames(host, port, allow_hosts)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            await asyncio.to_thread(_warm_up, app)
        yield
        readers.close()

    app = FastAPI(
        title="realpolitik explorer",
        version=__version__,
        description="Read-only API over a realpolitik store: events, actors, quotations, dyads, "
        "the actor network and articles with character spans. Offsets index the article text.",
        docs_url=None,  # the stock docs page loads scripts from a CDN; /docs is our own
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.db_path = str(db)
    app.state.readers = readers
    app.state.limits = limits
    app.state.fast = fast

    @app.exception_handler(duckdb.InterruptException)
    async def _on_interrupt(_request: Request, _exc: duckdb.InterruptException) -> JSONResponse:
        query = _CURRENT.get()
        if query is not None and query.reason == "disconnect":
            return JSONResponse({"detail": "the client went away", "errors": []}, 499)
        return JSONResponse(
            {
                "detail": f"the query ran past the {limits.query_timeout:g} s limit and was "
                "stopped; narrow the filters (actor, dates, root) or ask for an earlier page",
                "errors": [],
            },
            status_code=503,
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(RequestValidationError)
    async def _on_validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        message, errors = _validation_message(exc)
        return JSONResponse({"detail": message, "errors": errors}, status_code=422)

    @app.exception_handler(HTTPException)
    async def _on_http(_request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"detail": str(exc.detail), "errors": []}, status_code=exc.status_code)

    api: dict[str, Any] = {"responses": _ERRORS, "dependencies": [Depends(_check_known_params)]}
    # the serving tables are used if current when the server starts: the store cannot change
    actor_stats = functools.partial(st.actor_stats, serving=fast)
    article_list = functools.partial(st.article_list, serving=fast)
    search_events = functools.partial(st.search_events, serving=fast)
    search_quotes = functools.partial(st.search_quotes, serving=fast)
    actor_mentions = functools.partial(st.actor_mentions, serving=fast)

    @app.get("/api/summary", response_model=Summary, tags=["store"], **api)
    def summary() -> dict[str, Any]:
        """What the store holds: counts, the date range, and the codes the filters accept."""
        s = readers.get()
        first, last = st.date_range(s)
        names = _cameo_names()
        return {
            "counts": s.counts(),
            "first_date": first,
            "last_date": last,
            "roots": {f"{i:02d}": names.get(f"{i:02d}", "") for i in range(1, 21)},
            "quad_classes": QUAD_CLASSES,
            "plover_types": list(ontology.PLOVER_TYPES),
            "max_page": MAX_PAGE,
            "network": graph.available(),
        }

    @app.get("/api/events", response_model=EventPage, tags=["events"], **api)
    def events(
        actor: ActorValue = None,
        country: Country = None,
        dyad: Annotated[str | None, _q("dyad", min_length=3, max_length=401)] = None,
        directed: Annotated[bool, _q("directed")] = False,
        level: Annotated[Literal["actor", "country"], _q("level")] = "actor",
        root: Annotated[str | None, _q("root", pattern="^(0?[1-9]|1[0-9]|20)$")] = None,
        quad_class: Annotated[int | None, _q("quad_class", ge=1, le=4)] = None,
        plover: Annotated[str | None, _q("plover", max_length=20)] = None,
        article: ArticleId = None,
        since: Annotated[date | None, _q("since")] = None,
        until: Annotated[date | None, _q("until")] = None,
        q: Text = None,
        sort: Annotated[Literal["date", "-date", "goldstein", "-goldstein"], _q("sort")] = "date",
        offset: Offset = 0,
        limit: Limit = 50,
    ) -> dict[str, Any]:
        """Events matching every filter given, in pages, each with its sentence and actors."""
        first, last = _dates(since, until)
        if plover is not None and plover.upper() not in ontology.PLOVER_TYPES:
            raise _bad(f"plover: unknown type {plover!r}; allowed: {ALLOWED['plover']}")
        total, rows = search_events(
            readers.get(),
            actor=actor,
            country=country.upper() if country else None,
            dyad=_dyad(dyad),
            directed=directed,
            level=level,
            root=root,
            quad_class=quad_class,
            plover=plover,
            article=article,
            since=first,
            until=last,
            text=q,
            sort=sort,
            offset=offset,
            limit=limit,
        )
        names = _cameo_names()
        for row in rows:
            row["cameo_name"] = names.get(row["cameo"])
        return _page(total, offset, limit, rows)

    @app.get("/api/actors", response_model=ActorPage, tags=["actors"], **api)
    def actors(
        actor: ActorValue = None,
        name: Annotated[str | None, _q("name", min_length=1, max_length=200)] = None,
        country: Country = None,
        kind: Annotated[
            Literal["state", "organization", "person", "group"] | None, _q("kind")
        ] = None,
        offset: Offset = 0,
        limit: Limit = 50,
    ) -> dict[str, Any]:
        """Actors across articles, most mentioned first, with their titles and roles in events."""
        total, rows = actor_stats(
            readers.get(),
            actor=actor,
            name=name,
            country=country.upper() if country else None,
            kind=kind,
            offset=offset,
            limit=limit,
        )
        return _page(total, offset, limit, rows)

    @app.get("/api/actors/{key:path}", response_model=ActorDetail, tags=["actors"], **api)
    def actor(
        key: Annotated[str, PathParam(description=ALLOWED["actor"], max_length=200)],
        offset: Offset = 0,
        limit: Limit = 50,
    ) -> dict[str, Any]:
        """One actor's totals and the places in the articles where it is mentioned."""
        s = readers.get()
        _, found = actor_stats(s, actor=key, limit=1)
        if not found:
            raise _bad(f"no actor {key!r} in the store; list actors at /api/actors", 404)
        total, mentions = actor_mentions(s, key, offset=offset, limit=limit)
        return {
            "actor": found[0],
            "mentions": mentions,
            "mentions_total": total,
            "offset": offset,
            "limit": limit,
        }

    @app.get("/api/quotes", response_model=QuotePage, tags=["quotes"], **api)
    def quotes(
        speaker: Annotated[str | None, _q("speaker", min_length=1, max_length=200)] = None,
        about: Annotated[str | None, _q("about", min_length=1, max_length=200)] = None,
        article: ArticleId = None,
        kind: Annotated[Literal["direct", "indirect", "mixed"] | None, _q("quote_kind")] = None,
        q: Text = None,
        offset: Offset = 0,
        limit: Limit = 50,
    ) -> dict[str, Any]:
        """Quotations, by speaker and by the actors they mention."""
        total, rows = search_quotes(
            readers.get(),
            speaker=speaker,
            about=about,
            article=article,
            kind=kind,
            text=q,
            offset=offset,
            limit=limit,
        )
        return _page(total, offset, limit, rows)

    @app.get("/api/articles", response_model=ArticlePage, tags=["articles"], **api)
    def articles(
        q: Text = None,
        offset: Offset = 0,
        limit: Limit = 50,
    ) -> dict[str, Any]:
        """Stored articles, newest first, with their counts; ``q`` searches titles and ids."""
        total, rows = article_list(readers.get(), text=q, offset=offset, limit=limit)
        return _page(total, offset, limit, rows)

    @app.get(
        "/api/articles/{article_id:path}", response_model=ArticleDetail, tags=["articles"], **api
    )
    def article(
        article_id: Annotated[str, PathParam(description=ALLOWED["article"], max_length=300)],
    ) -> dict[str, Any]:
        """One article with its text, and its actors, events and quotations as character spans."""
        try:
            result = readers.get().result(article_id)
        except StoreError:
            raise _bad(f"no article {article_id!r}; list ids at /api/articles", 404) from None
        body = result.to_dict()
        body["text"] = result.article.text
        names = _cameo_names()
        for event in body["events"]:
            event["cameo_name"] = names.get(event["cameo"])
        return body

    app.state.graph = graph.add_routes(app, readers.get, api, saved=fast)

    static = _static_dir()

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(static / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(static / "docs.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=static), name="static")
    app.add_middleware(_SecurityHeaders)
    app.state.query_stats = QueryStats()
    app.state.cache = ResponseCache(limits.cache_bytes)
    app.add_middleware(
        _Guard,
        hosts=hosts,
        limits=limits,
        stats=app.state.query_stats,
        cache=app.state.cache,
        stamp=stamp,
    )
    return app


def _warm_up(app: FastAPI) -> None:
    """Run the first page of each endpoint's queries once, before the server listens, and
    load the network and dyad tables into memory: the first user does not wait for them."""
    readers: _Readers = app.state.readers
    cache: graph.GraphCache = app.state.graph
    s = readers.get()
    fast = app.state.fast
    steps: list[Callable[[], Any]] = [
        lambda: st.date_range(s),
        lambda: st.actor_stats(s, serving=fast),
        lambda: st.article_list(s, serving=fast),
        lambda: st.search_events(s, serving=fast),
        lambda: st.search_quotes(s, serving=fast),
    ]
    if fast:  # computing them on a store without serving tables could take minutes
        for level in st.DYAD_LEVELS:
            steps.append(functools.partial(cache.network, level))
            steps.append(functools.partial(cache.pairs, level))
    for step in steps:
        try:
            step()
        except duckdb.Error as exc:  # a warm-up that fails must not keep the server down
            print(f"warning: warm-up query failed: {exc}", file=sys.stderr)


def run_app(app: FastAPI, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run an app made by :func:`create_app` with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level="warning")


def serve(
    db: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    allow_hosts: Iterable[str] = (),
    limits: Limits | None = None,
    prepare: bool = True,
) -> None:
    """Serve the explorer over ``db`` on ``host:port`` (localhost by default) until interrupted.

    ``prepare``: first build the store's serving tables if they are missing or stale.
    """
    if prepare:
        prepare_in_child(db)
    app = create_app(db, host=host, port=port, allow_hosts=allow_hosts, limits=limits)
    run_app(app, host=host, port=port)
