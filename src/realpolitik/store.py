"""The only module that talks to DuckDB.

One file holds every article, actor, mention, event and quotation realpolitik coded. Writes are
one transaction per article and keyed by the article's content hash, so re-ingesting the same
text adds nothing and an interrupted run never leaves half an article behind.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from .errors import StoreError
from .ingest import content_hash
from .records import (
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

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY, content_hash VARCHAR UNIQUE NOT NULL, date DATE, source VARCHAR,
    title VARCHAR, text VARCHAR NOT NULL, ingested_at TIMESTAMP DEFAULT current_timestamp);
CREATE TABLE IF NOT EXISTS actors (
    article_id VARCHAR NOT NULL, id VARCHAR NOT NULL, name VARCHAR, kind VARCHAR, code VARCHAR,
    country VARCHAR, sector VARCHAR, role VARCHAR, PRIMARY KEY (article_id, id));
CREATE TABLE IF NOT EXISTS mentions (
    article_id VARCHAR NOT NULL, actor_id VARCHAR NOT NULL, text VARCHAR, start INTEGER,
    "end" INTEGER);
CREATE TABLE IF NOT EXISTS events (
    article_id VARCHAR NOT NULL, id VARCHAR PRIMARY KEY,
    source_actor VARCHAR, source_code VARCHAR, source_country VARCHAR, source_text VARCHAR,
    target_actor VARCHAR, target_code VARCHAR, target_country VARCHAR, target_text VARCHAR,
    has_target BOOLEAN, cameo VARCHAR, root VARCHAR, plover VARCHAR, plover_mode VARCHAR,
    goldstein DOUBLE, quad_class INTEGER, date DATE, date_precision VARCHAR,
    place_name VARCHAR, place_country VARCHAR, lat DOUBLE, lon DOUBLE,
    negated BOOLEAN, modality VARCHAR, text VARCHAR, start INTEGER, "end" INTEGER,
    trigger_text VARCHAR, trigger_start INTEGER, trigger_end INTEGER,
    coder VARCHAR, rule VARCHAR, confidence DOUBLE);
CREATE TABLE IF NOT EXISTS quotes (
    article_id VARCHAR NOT NULL, id VARCHAR PRIMARY KEY, speaker VARCHAR, speaker_text VARCHAR,
    text VARCHAR, start INTEGER, "end" INTEGER, kind VARCHAR, cue VARCHAR, about VARCHAR[],
    component VARCHAR);
CREATE TABLE IF NOT EXISTS relations (
    article_id VARCHAR NOT NULL, id VARCHAR PRIMARY KEY, kind VARCHAR, a VARCHAR, b VARCHAR,
    text VARCHAR, start INTEGER, "end" INTEGER, negated BOOLEAN, component VARCHAR);
CREATE TABLE IF NOT EXISTS errors (
    article_id VARCHAR NOT NULL, stage VARCHAR, message VARCHAR);
"""

EVENT_COLUMNS = [
    "article_id",
    "id",
    "source_actor",
    "source_code",
    "source_country",
    "source_text",
    "target_actor",
    "target_code",
    "target_country",
    "target_text",
    "has_target",
    "cameo",
    "root",
    "plover",
    "plover_mode",
    "goldstein",
    "quad_class",
    "date",
    "date_precision",
    "place_name",
    "place_country",
    "lat",
    "lon",
    "negated",
    "modality",
    "text",
    "start",
    "end",
    "trigger_text",
    "trigger_start",
    "trigger_end",
    "coder",
    "rule",
    "confidence",
]


def _q(column: str) -> str:
    return f'"{column}"'


class Store:
    """A DuckDB file of coded articles. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = str(path)
        if read_only and not Path(self.path).exists():
            raise StoreError(
                f"no store at {self.path}",
                hint="create one with `realpolitik ingest PATH... --db FILE`",
            )
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(
                f"cannot open the store {self.path}: {exc}",
                hint="check that the path is a DuckDB file that no other process is writing",
            ) from None
        if not read_only:
            self.con.execute(SCHEMA)

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # -- writing ---------------------------------------------------------------------------

    def has_content(self, text: str) -> bool:
        """Whether an article with exactly this text is stored already."""
        row = self.con.execute(
            "SELECT 1 FROM articles WHERE content_hash = ?", [content_hash(text)]
        ).fetchone()
        return row is not None

    def add(self, result: Result) -> bool:
        """Store one coded article in one transaction; False if its text was stored before.

        Raises :class:`StoreError` if another text is stored under the same article id.
        """
        art = result.article
        digest = content_hash(art.text)
        if self.has_content(art.text):
            return False
        clash = self.con.execute("SELECT 1 FROM articles WHERE id = ?", [art.id]).fetchone()
        if clash:
            raise StoreError(
                f"article id {art.id!r} is already stored with different text",
                hint="give the new version its own id (e.g. add a suffix) to keep both",
            )
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(
                "INSERT INTO articles (id, content_hash, date, source, title, text) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [art.id, digest, art.date, art.source, art.title, art.text],
            )
            if result.actors:
                con.executemany(
                    "INSERT INTO actors VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        [art.id, a.id, a.name, a.kind, a.code, a.country, a.sector, a.role]
                        for a in result.actors
                    ],
                )
            mention_rows = [
                [art.id, a.id, m.text, m.start, m.end] for a in result.actors for m in a.mentions
            ]
            if mention_rows:
                con.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?)", mention_rows)
            if result.events:
                cols = ", ".join(_q(c) for c in EVENT_COLUMNS)
                marks = ", ".join("?" for _ in EVENT_COLUMNS)
                con.executemany(
                    f"INSERT INTO events ({cols}) VALUES ({marks})",
                    [_event_row(art.id, e) for e in result.events],
                )
            if result.quotes:
                con.executemany(
                    "INSERT INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        [
                            art.id,
                            q.id,
                            q.speaker,
                            q.speaker_text,
                            q.text,
                            q.start,
                            q.end,
                            q.kind,
                            q.cue,
                            list(q.about),
                            q.component,
                        ]
                        for q in result.quotes
                    ],
                )
            if result.relations:
                con.executemany(
                    "INSERT INTO relations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        [
                            art.id,
                            r.id,
                            r.kind,
                            r.a,
                            r.b,
                            r.text,
                            r.start,
                            r.end,
                            r.negated,
                            r.component,
                        ]
                        for r in result.relations
                    ],
                )
            if result.errors:
                con.executemany(
                    "INSERT INTO errors VALUES (?, ?, ?)",
                    [[art.id, e.stage, e.message] for e in result.errors],
                )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return True

    # -- reading ---------------------------------------------------------------------------

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def article_ids(self) -> list[str]:
        return [r["id"] for r in self._rows("SELECT id FROM articles ORDER BY ingested_at, id")]

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("articles", "actors", "mentions", "events", "quotes", "relations", "errors"):
            row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()
            out[table] = int(row[0]) if row else 0
        return out

    def events(
        self,
        *,
        actor: str | None = None,
        country: str | None = None,
        root: str | None = None,
        plover: str | None = None,
        article: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Events as flat rows, filtered; every value is passed as a parameter, never spliced."""
        where: list[str] = []
        params: list[Any] = []
        if actor:
            where.append(
                "(lower(source_text) LIKE ? OR lower(target_text) LIKE ? "
                "OR source_code = ? OR target_code = ?)"
            )
            params += [f"%{actor.lower()}%", f"%{actor.lower()}%", actor, actor]
        if country:
            where.append("(source_country = ? OR target_country = ?)")
            params += [country, country]
        if root:
            where.append("root = ?")
            params.append(root.zfill(2))
        if plover:
            where.append("plover = ?")
            params.append(plover.upper())
        if article:
            where.append("article_id = ?")
            params.append(article)
        if since:
            where.append("date >= CAST(? AS DATE)")
            params.append(since)
        if until:
            where.append("date <= CAST(? AS DATE)")
            params.append(until)
        sql = "SELECT * FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY date, article_id, start, id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        rows = self._rows(sql, params)
        for r in rows:
            if r.get("date") is not None:
                r["date"] = r["date"].isoformat()
        return rows

    def actors(
        self,
        *,
        name: str | None = None,
        country: str | None = None,
        kind: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        where: list[str] = []
        params: list[Any] = []
        if name:
            where.append("lower(name) LIKE ?")
            params.append(f"%{name.lower()}%")
        if country:
            where.append("country = ?")
            params.append(country)
        if kind:
            where.append("kind = ?")
            params.append(kind)
        sql = (
            "SELECT a.*, (SELECT count(*) FROM mentions m WHERE m.article_id = a.article_id "
            "AND m.actor_id = a.id) AS mentions FROM actors a"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY article_id, id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return self._rows(sql, params)

    def quotes(
        self, *, speaker: str | None = None, article: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        where: list[str] = []
        params: list[Any] = []
        if speaker:
            where.append("lower(speaker_text) LIKE ?")
            params.append(f"%{speaker.lower()}%")
        if article:
            where.append("article_id = ?")
            params.append(article)
        sql = "SELECT * FROM quotes"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY article_id, start"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return self._rows(sql, params)

    def result(self, article_id: str) -> Result:
        """Rebuild the full :class:`Result` of one stored article."""
        arts = self._rows("SELECT * FROM articles WHERE id = ?", [article_id])
        if not arts:
            raise StoreError(
                f"no article {article_id!r} in {self.path}",
                hint="list stored ids with `realpolitik events --db FILE --format json`",
            )
        a = arts[0]
        article = Article(
            id=a["id"],
            text=a["text"],
            date=a["date"].isoformat() if a["date"] else None,
            source=a["source"],
            title=a["title"],
        )
        mentions: dict[str, list[Span]] = {}
        for m in self._rows(
            'SELECT * FROM mentions WHERE article_id = ? ORDER BY start, "end"', [article_id]
        ):
            mentions.setdefault(m["actor_id"], []).append(Span(m["text"], m["start"], m["end"]))
        actors = [
            Actor(
                id=r["id"],
                name=r["name"],
                kind=r["kind"],
                code=r["code"],
                country=r["country"],
                sector=r["sector"],
                role=r["role"],
                mentions=mentions.get(r["id"], []),
            )
            for r in self._rows("SELECT * FROM actors WHERE article_id = ?", [article_id])
        ]
        actors.sort(key=lambda x: _id_key(x.id))
        events = [_event_from_row(r) for r in self.events(article=article_id)]
        events.sort(key=lambda e: _id_key(e.id))
        quotes = [
            Quote(
                id=r["id"],
                speaker=r["speaker"],
                speaker_text=r["speaker_text"],
                text=r["text"],
                start=r["start"],
                end=r["end"],
                kind=r["kind"],
                cue=r["cue"],
                about=list(r["about"] or []),
                component=r["component"] or "",
            )
            for r in self.quotes(article=article_id)
        ]
        quotes.sort(key=lambda q: _id_key(q.id))
        relations = [
            Relation(
                id=r["id"],
                kind=r["kind"],
                a=r["a"],
                b=r["b"],
                text=r["text"],
                start=r["start"],
                end=r["end"],
                negated=r["negated"],
                component=r["component"] or "",
            )
            for r in self._rows(
                "SELECT * FROM relations WHERE article_id = ? ORDER BY start, id", [article_id]
            )
        ]
        relations.sort(key=lambda r: _id_key(r.id))
        errors = [
            StageError(stage=r["stage"], message=r["message"])
            for r in self._rows("SELECT * FROM errors WHERE article_id = ?", [article_id])
        ]
        return Result(
            article=article,
            actors=actors,
            events=events,
            quotes=quotes,
            relations=relations,
            errors=errors,
        )

    def results(self) -> Iterator[Result]:
        for article_id in self.article_ids():
            yield self.result(article_id)


def _id_key(value: str) -> tuple[int, str]:
    digits = "".join(ch for ch in value.rsplit(":", 1)[-1] if ch.isdigit())
    return (int(digits) if digits else 0, value)


def _event_row(article_id: str, e: Event) -> list[Any]:
    t = e.target
    return [
        article_id,
        e.id,
        e.source.actor,
        e.source.code,
        e.source.country,
        e.source.text,
        t.actor if t else None,
        t.code if t else None,
        t.country if t else None,
        t.text if t else None,
        t is not None,
        e.cameo,
        e.root,
        e.plover,
        e.plover_mode,
        e.goldstein,
        e.quad_class,
        e.date,
        e.date_precision,
        e.place.name if e.place else None,
        e.place.country if e.place else None,
        e.place.lat if e.place else None,
        e.place.lon if e.place else None,
        e.negated,
        e.modality,
        e.text,
        e.start,
        e.end,
        e.trigger.text if e.trigger else None,
        e.trigger.start if e.trigger else None,
        e.trigger.end if e.trigger else None,
        e.coder,
        e.rule,
        e.confidence,
    ]


def _event_from_row(r: dict[str, Any]) -> Event:
    target = (
        Participant(r["target_actor"], r["target_code"], r["target_country"], r["target_text"])
        if r["has_target"]
        else None
    )
    place = (
        Place(r["place_name"], r["place_country"], r["lat"], r["lon"])
        if r["place_name"] is not None
        else None
    )
    trigger = (
        Span(r["trigger_text"], r["trigger_start"], r["trigger_end"])
        if r["trigger_text"] is not None
        else None
    )
    return Event(
        id=r["id"],
        source=Participant(
            r["source_actor"], r["source_code"], r["source_country"], r["source_text"]
        ),
        target=target,
        cameo=r["cameo"],
        root=r["root"],
        plover=r["plover"],
        goldstein=r["goldstein"],
        quad_class=r["quad_class"],
        text=r["text"],
        start=r["start"],
        end=r["end"],
        coder=r["coder"],
        rule=r["rule"],
        confidence=r["confidence"],
        date=r["date"],
        date_precision=r["date_precision"],
        place=place,
        negated=r["negated"],
        modality=r["modality"],
        plover_mode=r["plover_mode"],
        trigger=trigger,
    )


def ingest_results(store: Store, results: Iterable[Result]) -> tuple[int, int]:
    """Store results; returns (added, already_present)."""
    added = skipped = 0
    for result in results:
        if store.add(result):
            added += 1
        else:
            skipped += 1
    return added, skipped


def dumps(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, default=str)
