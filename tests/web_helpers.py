"""Shared by the web tests: a small hand-built store and the app served live."""

from __future__ import annotations

import http.client
import threading
import time
from pathlib import Path

from realpolitik.records import Actor, Article, Event, Participant, Quote, Result, Span
from realpolitik.web import create_app
from realpolitik.web.app import Limits

LOCAL = "http://127.0.0.1:8000"  # the address create_app answers for by default

TEXT_1 = (
    "PARIS, March 1 — France and Germany agreed on Tuesday to hold talks on energy prices. "
    'French Foreign Minister Claire Martin said Germany had to act "before the winter". '
    "Germany accused France of delaying the pipeline."
)
TEXT_2 = (
    "The United Nations criticised Germany over its border policy. "
    "Germany rejected the criticism. Germany did not expel the envoy of the United Nations."
)


def _span(text: str, needle: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span(needle, start, start + len(needle))


def _sentence(text: str, needle: str) -> Span:
    start = text.index(needle)
    return Span(needle, start, start + len(needle))


def _event(
    art: str,
    n: int,
    text: str,
    sentence: str,
    src: tuple[str, str, str | None, str],
    tgt: tuple[str, str, str | None, str],
    cameo: str,
    quad: int,
    goldstein: float,
    date: str,
    *,
    negated: bool = False,
) -> Event:
    s = _sentence(text, sentence)
    return Event(
        id=f"{art}:e{n}",
        source=Participant(*src),
        target=Participant(*tgt),
        cameo=cameo,
        root=cameo[:2],
        plover="",
        goldstein=goldstein,
        quad_class=quad,
        text=s.text,
        start=s.start,
        end=s.end,
        coder="test/0",
        rule="hand",
        confidence=1.0,
        date=date,
        negated=negated,
    )


def hand_results() -> list[Result]:
    """Two invented articles: France and Germany agree then quarrel; the UN and Germany argue."""
    s1 = [
        "PARIS, March 1 — France and Germany agreed on Tuesday to hold talks on energy prices.",
        "Germany accused France of delaying the pipeline.",
    ]
    r1 = Result(
        article=Article("fr_de", TEXT_1, date="2022-03-01", source="Test Wire", title="Talks"),
        actors=[
            Actor("a1", "France", "state", "FRA", "FRA", None, None, [_span(TEXT_1, "France")]),
            Actor(
                "a2",
                "Germany",
                "state",
                "DEU",
                "DEU",
                None,
                None,
                [_span(TEXT_1, "Germany", i) for i in range(3)],
            ),
            Actor(
                "a3",
                "Claire Martin",
                "person",
                "FRAGOV",
                "FRA",
                "GOV",
                "foreign minister",
                [_span(TEXT_1, "Claire Martin")],
            ),
        ],
        events=[
            _event(
                "fr_de",
                1,
                TEXT_1,
                s1[0],
                ("a1", "FRA", "FRA", "France"),
                ("a2", "DEU", "DEU", "Germany"),
                "030",
                1,
                4.0,
                "2022-03-01",
            ),
            _event(
                "fr_de",
                2,
                TEXT_1,
                s1[1],
                ("a2", "DEU", "DEU", "Germany"),
                ("a1", "FRA", "FRA", "France"),
                "112",
                3,
                -2.0,
                "2022-03-01",
            ),
        ],
        quotes=[
            Quote(
                id="fr_de:q1",
                speaker="a3",
                speaker_text="Claire Martin",
                text='Germany had to act "before the winter"',
                start=TEXT_1.index("Germany had to act"),
                end=TEXT_1.index("Germany had to act")
                + len('Germany had to act "before the winter"'),
                kind="mixed",
                cue="said",
                about=["a2"],
            )
        ],
    )
    s2 = [
        "The United Nations criticised Germany over its border policy.",
        "Germany rejected the criticism.",
        "Germany did not expel the envoy of the United Nations.",
    ]
    un = ("a1", "IGOUNO", None, "The United Nations")
    de = ("a2", "DEU", "DEU", "Germany")
    r2 = Result(
        article=Article("un_de", TEXT_2, date="2022-06-10", source="Test Wire", title="Border"),
        actors=[
            Actor("a1", "United Nations", "organization", "IGOUNO", None, "IGO", None, []),
            Actor("a2", "Germany", "state", "DEU", "DEU", None, None, []),
        ],
        events=[
            _event("un_de", 1, TEXT_2, s2[0], un, de, "111", 3, -2.0, "2022-06-10"),
            _event("un_de", 2, TEXT_2, s2[1], de, un, "120", 3, -4.0, "2022-06-10"),
            _event("un_de", 3, TEXT_2, s2[2], de, un, "163", 4, -8.0, "2022-06-10", negated=True),
        ],
    )
    return [r1, r2]


class LiveServer:
    """The app under uvicorn in a thread, on a free localhost port."""

    def __init__(self, db: Path, limits: Limits) -> None:
        import socket

        import uvicorn

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.app = create_app(db, port=self.port, limits=limits, warm=False)
        self.server = uvicorn.Server(
            uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def wait_running(self, n: int) -> None:
        deadline = time.monotonic() + 10
        while self.app.state.query_stats.running != n and time.monotonic() < deadline:
            time.sleep(0.005)
        assert self.app.state.query_stats.running == n
