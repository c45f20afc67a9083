"""A response cache for the read-only API: an LRU of whole responses, bounded in bytes.

The store is opened read-only while it is served, so the same request (path and query string)
always gets the same answer: once computed, it can be sent again without touching DuckDB.
Every entry is keyed with the store's stamp (:func:`realpolitik.store.serving_stamp`), so
an answer computed over one state of the store is never sent for another.

Identical requests that arrive while the first of them is still being answered wait for it
(:meth:`ResponseCache.lead`) instead of running the same queries side by side.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict
from dataclasses import dataclass

Headers = list[tuple[bytes, bytes]]


@dataclass(frozen=True)
class Response:
    """A finished response: its status, headers (as sent) and body."""

    status: int
    headers: Headers
    body: bytes

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 64


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    stored: int = 0
    evicted: int = 0
    too_big: int = 0
    waited: int = 0  # requests that waited for an identical one instead of querying


class ResponseCache:
    """Whole responses by (stamp, key), least recently used first out, ``max_bytes`` in all.

    One entry may take at most ``max_bytes // 8``, so that one huge answer cannot empty the
    cache. Use it from one event loop (it is not locked).
    """

    def __init__(self, max_bytes: int) -> None:
        if max_bytes < 0:
            raise ValueError(f"max_bytes is {max_bytes}; give 0 (no cache) or more")
        self.max_bytes = max_bytes
        self.max_entry = max_bytes // 8
        self.bytes = 0
        self.stamp: str | None = None
        self.stats = CacheStats()
        self._entries: OrderedDict[str, Response] = OrderedDict()
        self._inflight: dict[str, asyncio.Event] = {}

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def _check_stamp(self, stamp: str) -> None:
        if stamp != self.stamp:  # the store changed: nothing kept describes it any more
            self.clear()
            self.stamp = stamp

    def get(self, stamp: str, key: str, *, count: bool = True) -> Response | None:
        """The kept response to ``key`` under ``stamp``, or None (``count``: as a miss)."""
        self._check_stamp(stamp)
        found = self._entries.get(key)
        if found is None:
            self.stats.misses += count
            return None
        self._entries.move_to_end(key)
        self.stats.hits += 1
        return found

    def put(self, stamp: str, key: str, response: Response) -> bool:
        """Keep ``response`` unless it is too big; older entries leave to make room."""
        self._check_stamp(stamp)
        size = response.size + len(key)
        if size > self.max_entry:
            self.stats.too_big += 1
            return False
        old = self._entries.pop(key, None)
        if old is not None:
            self.bytes -= old.size + len(key)
        self._entries[key] = response
        self.bytes += size
        self.stats.stored += 1
        while self.bytes > self.max_bytes and self._entries:
            gone_key, gone = self._entries.popitem(last=False)
            self.bytes -= gone.size + len(gone_key)
            self.stats.evicted += 1
        return True

    def clear(self) -> None:
        self._entries.clear()
        self.bytes = 0

    async def lead(self, key: str, timeout: float) -> bool:
        """Whether this request should compute ``key``'s answer (True: call :meth:`done`
        after), or has waited (up to ``timeout`` s) for an identical request that did."""
        running = self._inflight.get(key)
        if running is None:
            self._inflight[key] = asyncio.Event()
            return True
        self.stats.waited += 1
        with contextlib.suppress(TimeoutError):  # then it computes the answer itself
            await asyncio.wait_for(running.wait(), timeout)
        return False

    def done(self, key: str) -> None:
        event = self._inflight.pop(key, None)
        if event is not None:
            event.set()
