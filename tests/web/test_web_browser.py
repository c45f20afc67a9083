"""End-to-end: the explorer page in a real headless Chromium, served by ``realpolitik serve``.

Needs Debian's Chromium at /usr/bin/chromium (``make test`` installs it when run as root) and
the Python package ``playwright``; without them these tests are skipped, saying why. Set
REALPOLITIK_SCREENSHOT=1 to write docs/screenshot.png.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import ROOT

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling home, which a closed network
# answers with refused connections and long waits.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (install Debian's chromium: `make test` does it as root)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install -e '.[dev]')"
    return None


# CI runs as root, so `make test` has installed Chromium there: a missing browser fails in CI.
pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(
        _missing() is not None and not os.environ.get("CI"), reason=_missing() or ""
    ),
]


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(scope="session")
def browser_db(tmp_path_factory: pytest.TempPathFactory, nlp: Any) -> Path:
    from realpolitik.batch.ingest import example_paths, ingest_paths

    path = tmp_path_factory.mktemp("web_browser") / "examples.duckdb"
    report = ingest_paths(example_paths(), path, nlp=nlp)
    assert report.ok
    return path


@pytest.fixture(scope="module")
def base_url(browser_db: Path) -> Iterator[str]:
    """``realpolitik serve`` on a free localhost port, as a user would start it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "realpolitik.cli", "serve", "--db", str(browser_db)]
    proc = subprocess.Popen(
        [*cmd, "--port", str(port)], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"{url}/api/summary")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    why = proc.stderr.read() if proc.stderr else ""
                    raise RuntimeError(f"server did not start: {why}") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    problem = _missing()
    if problem:
        pytest.fail(f"browser tests cannot run in CI: {problem}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any, base_url: str) -> Iterator[Any]:
    """A fresh page on the explorer; fails the test on any script error or outside request."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    problems: list[str] = []
    pg.on("pageerror", lambda err: problems.append(f"script error: {err}"))
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on(
        "request",
        lambda r: None if r.url.startswith((base_url, "data:")) else problems.append(r.url),
    )
    pg.goto(base_url + "/")
    pg.wait_for_selector("#event-table tbody tr[data-event]")
    pg.wait_for_selector("#network .node")
    yield pg
    context.close()
    assert not problems, problems


def _table_total(pg: Any) -> int:
    return int(pg.get_attribute("#event-table", "data-total"))


def _wait_total(pg: Any, expected: int) -> None:
    pg.wait_for_function(
        "n => document.querySelector('#event-table').getAttribute('data-total') === String(n)",
        arg=expected,
    )


def _event_ids(pg: Any) -> list[str]:
    return pg.eval_on_selector_all(
        "#event-table tbody tr[data-event]", "rows => rows.map(r => r.dataset.event)"
    )


def test_page_loads_everything_from_this_server(page: Any, base_url: str) -> None:
    total = _get(f"{base_url}/api/events?limit=1")["total"]
    assert _table_total(page) == total > 0
    assert len(_event_ids(page)) == min(50, total)
    network = _get(f"{base_url}/api/network?nodes=60")
    assert page.locator("#network .node").count() == len(network["nodes"])
    assert "4 articles" in page.inner_text("#store-summary")


def test_clicking_a_node_filters_the_table(page: Any, base_url: str) -> None:
    network = _get(f"{base_url}/api/network?nodes=60")
    node = max(network["nodes"], key=lambda n: n["events"])
    expected = _get(f"{base_url}/api/events?actor={node['id']}&level=country&limit=200")
    assert 0 < expected["total"] < _table_total(page)
    page.click(f'#network .node[data-key="{node["id"]}"] circle')
    _wait_total(page, expected["total"])
    assert set(_event_ids(page)) <= {e["id"] for e in expected["items"]}
    assert page.get_attribute(f'#network .node[data-key="{node["id"]}"]', "aria-pressed") == "true"
    assert node["label"] in page.inner_text("#active-filters")
    # clicking it again clears the filter
    page.click(f'#network .node[data-key="{node["id"]}"] circle')
    _wait_total(page, _get(f"{base_url}/api/events?limit=1")["total"])


def test_no_node_hides_another(page: Any, base_url: str) -> None:
    # the page's own layout on a crowded graph: 40 actors in a small box, all tied to one hub
    # (the forces alone leave 47 pairs of circles overlapping there)
    circles = page.evaluate(
        """() => {
            const nodes = Array.from({length: 40}, (_, i) =>
                ({id: "N" + i, centrality: i === 0 ? 1 : 0.5 + (i % 5) / 10}));
            const edges = nodes.slice(1).map((d) => ({source: "N0", target: d.id}));
            layout(nodes, edges, 300, 220);
            return nodes.map((d) => [d.x, d.y, nodeRadius(d, 1)]);
        }"""
    )
    assert len(circles) == 40
    for i, (x1, y1, r1) in enumerate(circles):
        assert 0 <= x1 <= 300 and 0 <= y1 <= 220
        for x2, y2, r2 in circles[i + 1 :]:
            assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= r1 + r2


def test_nodes_work_from_the_keyboard(page: Any, base_url: str) -> None:
    everything = _table_total(page)
    page.keyboard.press("Tab")  # the skip link comes first
    first = page.locator("#network .node").first
    key = first.get_attribute("data-key")
    first.focus()
    page.keyboard.press("Enter")
    expected = _get(f"{base_url}/api/events?actor={key}&level=country&limit=1")["total"]
    _wait_total(page, expected)
    assert first.get_attribute("aria-pressed") == "true"
    page.keyboard.press("Escape")
    _wait_total(page, everything)


def test_text_filter_and_a_bad_value(page: Any, base_url: str) -> None:
    word = "sanctions"
    expected = _get(f"{base_url}/api/events?q={word}&limit=1")["total"]
    assert 0 < expected < _table_total(page)
    page.fill('#filters input[name="q"]', word)
    page.press('#filters input[name="q"]', "Enter")
    _wait_total(page, expected)
    for sentence in page.locator("#event-table td.sentence").all_inner_texts():
        assert word in sentence.lower()
    # the browser's own check stops a malformed country code before it is sent
    page.fill('#filters input[name="country"]', "X1")
    page.click('#filters button[type="submit"]')
    assert page.evaluate("document.querySelector('#filters').checkValidity()") is False


def test_dyad_timeline(page: Any, base_url: str) -> None:
    pair = _get(f"{base_url}/api/dyads?limit=1")["items"][0]
    page.select_option("#dyad-select", index=1)
    page.wait_for_selector("#timeline rect.bar")
    expected = _get(f"{base_url}/api/events?dyad={pair['a']},{pair['b']}&level=country&limit=1")
    _wait_total(page, expected["total"])
    heights = page.eval_on_selector_all(
        "#timeline rect.bar", "bars => bars.map(b => Number(b.getAttribute('height')))"
    )
    assert heights and all(h > 0 for h in heights)
    assert pair["a_name"] in page.inner_text("#timeline-caption")


def test_article_view_marks_quotes_by_speaker(page: Any, base_url: str) -> None:
    first_row = page.locator("#event-table tbody tr[data-event]").first
    article_id = first_row.get_attribute("data-event").rsplit(":", 1)[0]
    first_row.locator(".open-article").click()
    page.wait_for_selector("#article-dialog[open]")
    body = _get(f"{base_url}/api/articles/{article_id}")
    assert page.inner_text("#article-title") == body["article"]["title"]
    assert page.eval_on_selector("#article-text", "n => n.textContent") == body["text"]
    marked = page.eval_on_selector_all(
        "#article-text mark.quote", "ms => [...new Set(ms.map(m => m.dataset.quote))]"
    )
    assert sorted(marked) == sorted(q["id"] for q in body["quotes"])
    speakers = {q["speaker"] or "none" for q in body["quotes"]}
    legend = page.eval_on_selector_all(
        "#speaker-legend > li", "items => items.map(i => i.dataset.speaker)"
    )
    assert sorted(legend) == sorted(speakers)
    # every part of one quotation has its speaker's colour
    for quote in body["quotes"][:5]:
        classes = page.eval_on_selector_all(
            f'#article-text mark[data-quote="{quote["id"]}"]',
            "ms => [...new Set(ms.map(m => m.className))]",
        )
        assert len(classes) == 1
    assert page.locator("#article-text .current-event").count() > 0
    page.keyboard.press("Escape")
    page.wait_for_selector("#article-dialog", state="hidden")


def test_screenshot(page: Any, base_url: str, tmp_path: Path) -> None:
    network = _get(f"{base_url}/api/network?nodes=60")
    node = max(network["nodes"], key=lambda n: n["events"])
    page.click(f'#network .node[data-key="{node["id"]}"] circle')
    page.wait_for_selector("#dyad-select option:nth-child(2)", state="attached")
    page.select_option("#dyad-select", index=1)
    page.wait_for_selector("#timeline rect.bar")
    page.wait_for_timeout(200)
    out = tmp_path / "screenshot.png"
    page.screenshot(path=str(out), full_page=True)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    if os.environ.get("REALPOLITIK_SCREENSHOT") == "1":
        (ROOT / "docs" / "screenshot.png").write_bytes(data)
