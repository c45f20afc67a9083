"""Response models of the JSON API: they document the endpoints in the OpenAPI schema.

Rows are the flat shapes :mod:`realpolitik.store.query` returns (the CLI lists the same events)
plus a few joined fields; an article is the output contract of ``docs/output.md`` plus its text.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Page(BaseModel):
    """A page of a longer list: ``total`` rows match, ``items`` holds ``limit`` of them."""

    total: int = Field(description="How many rows match the filters in all.")
    offset: int
    limit: int


class EventRow(BaseModel):
    article_id: str
    id: str
    source_actor: str | None = Field(description="Actor id, local to the article.")
    source_code: str | None
    source_country: str | None
    source_text: str | None = Field(description="The source as written in the sentence.")
    source_key: str | None = Field(description="The source's actor key (code, or a name).")
    source_name: str | None
    target_actor: str | None
    target_code: str | None
    target_country: str | None
    target_text: str | None
    target_key: str | None
    target_name: str | None
    has_target: bool
    cameo: str
    cameo_name: str | None = Field(description="The CAMEO code's name.")
    root: str
    plover: str | None
    plover_mode: str | None
    goldstein: float
    quad_class: int
    date: str | None
    date_precision: str | None
    place_name: str | None
    place_country: str | None
    lat: float | None
    lon: float | None
    negated: bool
    modality: str | None
    text: str = Field(description="The sentence that codes the event.")
    start: int
    end: int
    trigger_text: str | None
    trigger_start: int | None
    trigger_end: int | None
    coder: str | None
    rule: str | None
    confidence: float | None
    article_title: str | None


class EventPage(Page):
    items: list[EventRow]


class ActorRow(BaseModel):
    key: str = Field(description="Identifies the actor across articles: its code, or a name.")
    name: str | None
    kind: str | None
    code: str | None
    country: str | None
    roles: list[str] = Field(description="Titles the actor holds in the articles.")
    articles: int
    mentions: int
    as_source: int = Field(description="Events in which the actor acts.")
    as_target: int = Field(description="Events directed at the actor.")
    quotes: int = Field(description="Quotations the actor speaks.")


class ActorPage(Page):
    items: list[ActorRow]


class MentionRow(BaseModel):
    article_id: str
    actor_id: str
    name: str | None
    role: str | None
    text: str
    start: int
    end: int


class ActorDetail(BaseModel):
    actor: ActorRow
    mentions: list[MentionRow]
    mentions_total: int
    offset: int
    limit: int


class AboutActor(BaseModel):
    id: str
    name: str | None
    key: str | None


class QuoteRow(BaseModel):
    article_id: str
    id: str
    speaker: str | None
    speaker_text: str | None
    speaker_key: str | None
    speaker_name: str | None
    text: str
    start: int
    end: int
    kind: str
    cue: str | None
    about: list[str]
    about_actors: list[AboutActor]
    component: str | None


class QuotePage(Page):
    items: list[QuoteRow]


class ArticleRow(BaseModel):
    id: str
    date: str | None
    source: str | None
    title: str | None
    chars: int
    events: int
    quotes: int
    actors: int


class ArticlePage(Page):
    items: list[ArticleRow]


class ArticleDetail(BaseModel):
    """One article: the output contract (docs/output.md) plus ``text``, which offsets index."""

    article: dict[str, Any]
    text: str
    actors: list[dict[str, Any]]
    events: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    relations: list[dict[str, Any]]
    errors: list[dict[str, Any]]


class Summary(BaseModel):
    counts: dict[str, int]
    first_date: str | None
    last_date: str | None
    roots: dict[str, str] = Field(description="CAMEO root codes and their names.")
    quad_classes: dict[str, str]
    plover_types: list[str]
    max_page: int
    network: bool = Field(description="Whether the network and dyad endpoints are available.")


class ErrorBody(BaseModel):
    detail: str = Field(description="What was wrong and what is allowed.")
    errors: list[dict[str, Any]] = Field(default_factory=list)
