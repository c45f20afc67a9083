"""The store's tables: their DDL, column lists and the version of the serving tables' layout.

Every other module of :mod:`realpolitik.store` names columns through what is defined here.
"""

from __future__ import annotations

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
CREATE TABLE IF NOT EXISTS failures (
    article_id VARCHAR NOT NULL, stage VARCHAR NOT NULL, message VARCHAR, content_hash VARCHAR,
    failed_at TIMESTAMP DEFAULT current_timestamp, PRIMARY KEY (article_id, stage));
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


DYAD_PERIODS = ("day", "week", "month")
DYAD_LEVELS = ("country", "actor")


def ident(column: str) -> str:
    """A column name quoted for SQL (some, such as ``end``, are keywords)."""
    return f'"{column}"'


GROUP_COLUMNS = [
    "group_id",
    "date",
    "last_date",
    "source_code",
    "target_code",
    "cameo",
    "root",
    "plover",
    "plover_mode",
    "quad_class",
    "goldstein",
    "negated",
    "num_mentions",
    "num_sources",
    "num_articles",
    "is_root",
    "first_article_id",
    "first_event_id",
    "window_days",
]

GROUP_TABLES = """
CREATE TABLE IF NOT EXISTS event_groups (
    group_id VARCHAR PRIMARY KEY, date DATE, last_date DATE, source_code VARCHAR,
    target_code VARCHAR, cameo VARCHAR, root VARCHAR, plover VARCHAR, plover_mode VARCHAR,
    quad_class INTEGER, goldstein DOUBLE, negated BOOLEAN, num_mentions INTEGER,
    num_sources INTEGER, num_articles INTEGER, is_root BOOLEAN, first_article_id VARCHAR,
    first_event_id VARCHAR, window_days INTEGER);
CREATE TABLE IF NOT EXISTS event_group_members (
    group_id VARCHAR NOT NULL, event_id VARCHAR NOT NULL, article_id VARCHAR NOT NULL,
    publisher VARCHAR, date DATE);
"""


# The layout of the serving tables (rp_*, see :mod:`.serving`); a change makes them stale.
SERVING_VERSION = 2
