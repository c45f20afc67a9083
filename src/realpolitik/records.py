"""Typed records that flow one way through realpolitik.

text -> :class:`Article` -> spaCy ``Doc`` -> :class:`Mention` -> :class:`Actor`
-> :class:`Event` / :class:`Quote` -> :class:`Result` -> store.

Every offset is a Python string index into ``Article.text`` (end exclusive). Every record
produced by a component names that component and its version in ``coder`` / ``component``.
The JSON form of each record (``to_dict``) is the output contract documented in
``docs/output.md``; ``from_dict`` reads it back, and is the one place that does.

``from_dict`` is strict by default: a missing required field raises
:class:`~realpolitik.errors.MissingField` naming the field (``events[2].cameo``), the file and
the line. ``lenient=True`` fills every missing or null field except ids with an empty default
(what the network does with results written by older versions or by hand). Optional fields
(those ``to_dict`` may leave null) take their default in both modes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, TypeVar

from .errors import MissingField, WrongType

ActorKind = Literal["state", "organization", "person", "group"]
QuoteKind = Literal["direct", "indirect", "mixed"]
Modality = Literal["asserted", "future", "conditional", "hypothetical", "reported"]
DatePrecision = Literal["day", "week", "month", "year", "article"]


# Lone surrogates cannot be encoded (spaCy's string store raises on them); C0/C1 control
# characters other than tab, line feed and carriage return confuse the tokenizer and readers.
_SURROGATES = re.compile("[\ud800-\udfff]")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
REPLACEMENT = "\ufffd"


def sanitize_text(text: str) -> tuple[str, list[str]]:
    """``text`` made safe to code, and a note per kind of repair (empty when none was needed).

    Every repair replaces one character by one character, so offsets into the repaired text
    are offsets into the original: lone surrogates become U+FFFD, control characters a space.
    """
    notes: list[str] = []
    for pattern, replacement, what in (
        (_SURROGATES, REPLACEMENT, "unencodable code point(s) (lone surrogates) with U+FFFD"),
        (_CONTROLS, " ", "control character(s) (NUL and the like) with spaces"),
    ):
        first = pattern.search(text)
        if first is None:
            continue
        text, count = pattern.subn(replacement, text)
        notes.append(f"replaced {count} {what}; the first at offset {first.start()}")
    return text, notes


def _check_optional_str(value: Any, name: str, where: str, example: str) -> None:
    if value is not None and not isinstance(value, str):
        raise WrongType(
            f'field "{name}" must be a string or None, not {type(value).__name__} ({value!r:.40})',
            path=where,
            hint=f"pass {name} as a string, e.g. {name}={example}",
        )


@dataclass(slots=True)
class Article:
    """One news article: the unit of coding.

    Construction is the one entry point every input passes: wrong types raise
    :class:`~realpolitik.errors.WrongType` (naming the field), and the text is sanitised
    (:func:`sanitize_text`); what was repaired is listed in ``repairs`` and reported in the
    result's ``errors`` (stage ``input``).
    """

    id: str
    text: str
    date: str | None = None  # ISO date YYYY-MM-DD of publication
    source: str | None = None  # publisher
    title: str | None = None
    hints: dict[str, str] | None = None  # {"source": ..., "target": ...} for evaluation
    repairs: list[str] = field(default_factory=list)  # what sanitising changed in the text

    def __post_init__(self) -> None:
        if not isinstance(self.id, str):
            raise WrongType(
                f'field "id" must be a string, not {type(self.id).__name__} ({self.id!r:.40})',
                path="article",
                hint='pass the id as a string, e.g. id="reuters-0042"',
            )
        self.id = sanitize_text(self.id)[0]
        where = f"article {self.id!r}"
        if not isinstance(self.text, str):
            raise WrongType(
                f'field "text" must be a string, not {type(self.text).__name__} '
                f"({self.text!r:.40})",
                path=where,
                hint='pass the article text as a str, e.g. code("Japan criticized China.")',
            )
        _check_optional_str(self.date, "date", where, '"2021-03-19"')
        _check_optional_str(self.source, "source", where, '"Reuters"')
        _check_optional_str(self.title, "title", where, '"Talks in Seoul"')
        if self.hints is not None and not (
            isinstance(self.hints, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in self.hints.items())
        ):
            raise WrongType(
                f'field "hints" must be a mapping of strings, not {type(self.hints).__name__} '
                f"({self.hints!r:.40})",
                path=where,
                hint='pass hints={"source": "JPN", "target": "CHN"}',
            )
        self.text, notes = sanitize_text(self.text)
        if notes:
            self.repairs = [*self.repairs, *notes]
        for name in ("source", "title"):
            value = getattr(self, name)
            if value is not None:
                setattr(self, name, sanitize_text(value)[0])

    @property
    def day(self) -> dt.date | None:
        """The publication date as a :class:`datetime.date` (None if absent or malformed)."""
        if not self.date:
            return None
        try:
            return dt.date.fromisoformat(self.date)
        except ValueError:
            return None

    def to_dict(self, *, full: bool = False) -> dict[str, Any]:
        """The output contract's article; ``full`` adds its text and hints (the form in which
        an article crosses to another process or machine)."""
        out: dict[str, Any] = {"id": self.id, "date": self.date, "source": self.source}
        out["title"] = self.title
        if full:
            out["text"] = self.text
            out["hints"] = self.hints
            out["repairs"] = list(self.repairs)
        return out

    @classmethod
    def from_dict(
        cls, data: Any, *, lenient: bool = False, path: str = "record", line: int | None = None
    ) -> Article:
        """Read the JSON form of ``to_dict`` back (strict unless ``lenient``; see the module
        docstring); a missing field raises :class:`~realpolitik.errors.MissingField`."""
        return _public(_read_article, data, lenient, path, line)


@dataclass(slots=True)
class Span:
    """A stretch of the article text."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(
        cls, data: Any, *, lenient: bool = False, path: str = "record", line: int | None = None
    ) -> Span:
        """Read the JSON form of ``to_dict`` back (strict unless ``lenient``; see the module
        docstring); a missing field raises :class:`~realpolitik.errors.MissingField`."""
        return _public(_read_span, data, lenient, path, line)


@dataclass(slots=True)
class Mention:
    """One place in the text that refers to an actor (before resolution)."""

    text: str
    start: int
    end: int
    kind: ActorKind
    country: str | None = None  # ISO 3166-1 alpha-3
    sector: str | None = None  # CAMEO-style sector code (GOV, MIL, EDU, ...)
    role: str | None = None  # e.g. "foreign minister"
    name: str | None = None  # canonical name when known (dictionary), else the surface name
    org: str | None = None  # affiliation text ("King's College London")
    source: str = ""  # what found it: "dictionary:countries", "ner:PERSON", "pronoun", ...
    actor: str | None = None  # actor id, set by resolution

    def to_span(self) -> Span:
        return Span(self.text, self.start, self.end)


@dataclass(slots=True)
class Actor:
    """A resolved actor: one state, organization or person in one article."""

    id: str
    name: str
    kind: ActorKind
    code: str | None = None  # CAMEO-style actor code: country + sector, e.g. KORGOV
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    mentions: list[Span] = field(default_factory=list)
    # how the country of an unnamed agent, a place or a person was found, when the text
    # gave it indirectly: "agent:clause-place", "place:city", "title:main-country", ...
    basis: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "code": self.code,
            "country": self.country,
            "sector": self.sector,
            "role": self.role,
            "mentions": [m.to_dict() for m in self.mentions],
            "basis": self.basis,
        }

    @classmethod
    def from_dict(
        cls, data: Any, *, lenient: bool = False, path: str = "record", line: int | None = None
    ) -> Actor:
        """Read the JSON form of ``to_dict`` back (strict unless ``lenient``; see the module
        docstring); a missing field raises :class:`~realpolitik.errors.MissingField`."""
        return _public(_read_actor, data, lenient, path, line)


@dataclass(slots=True)
class Participant:
    """The source or target of an event, as it appears in the event's sentence."""

    actor: str | None  # actor id
    code: str | None
    country: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(
        cls, data: Any, *, lenient: bool = False, path: str = "record", line: int | None = None
    ) -> Participant:
        """Read the JSON form of ``to_dict`` back (strict unless ``lenient``; see the module
        docstring); a missing field raises :class:`~realpolitik.errors.MissingField`."""
        return _public(_read_participant, data, lenient, path, line)


@dataclass(slots=True)
class Place:
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(
        cls, data: Any, *, lenient: bool = False, path: str = "record", line: int | None = None
    ) -> Place:
        """Read the JSON form of ``to_dict`` back (strict unless ``lenient``; see the module
        docstring); a missing field raises :class:`~realpolitik.errors.MissingField`."""
        return _public(_read_place, data, lenient, path, line)


@dataclass(slots=True)
class Event:
    """A coded event: who did what to whom, with its evidence."""

    id: str
    source: Participant
    target: Participant | None
    cameo: str  # CAMEO code with leading zero, e.g. "042"
    root: str  # two-digit root, e.g. "04"
    plover: str  # PLOVER event type, e.g. "CONSULT"
    goldstein: float
    quad_class: int  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    text: str  # the sentence
    start: int
    end: int
    coder: str  # component name and version, e.g. "realpolitik.events.rules/0.1.0"
    rule: str  # the lexicon entry or model that decided the type
    confidence: float
    date: str | None = None
    date_precision: DatePrecision = "article"
    place: Place | None = None
    negated: bool = False
    modality: Modality = "asserted"
    plover_mode: str | None = None
    trigger: Span | None = None  # the predicate words
    # the actor mentions that support the event (every mention pair of one act)
    mentions: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source.to_dict(),
            "target": self.target.to_dict() if self.target else None,
            "cameo": self.cameo,
            "root": self.root,
            "plover": self.plover,
            "plover_mode": self.plover_mode,
            "goldstein": self.goldstein,
            "quad_class": self.quad_class,
            "date": self.date,
            "date_precision": self.date_precision,
            "place": self.place.to_dict() if self.place else None,
            "negated": self.negated,
            "modality": self.modality,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "trigger": self.trigger.to_dict() if self.trigger else None,
            "mentions": [m.to_dict() for m in self.mentions],
            "coder": self.coder,
            "rule": self.rule,
            "confidence": self.confidence,
        }

    @classmethod
    def from_dict(
        cls, data: Any, *, lenient: bool = False, path: str = "record", line: int | None = None
    ) -> Event:
        """Read the JSON form of ``to_dict`` back (strict unless ``lenient``; see the module
        docstring); a missing field raises :class:`~realpolitik.errors.MissingField`."""
        return _public(_read_event, data, lenient, path, line)


@dataclass(slots=True)
class Quote:
    """An attributed statement: who said what (and about whom)."""

    id: str
    speaker: str | None  # actor id
    speaker_text: str
    text: str  # the content span
    start: int
    end: int
    kind: QuoteKind
    cue: str
    about: list[str] = field(default_factory=list)  # actor ids mentioned in the content
    component: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "speaker": self.speaker,
            "speaker_text": self.speaker_text,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "cue": self.cue,
            "about": list(self.about),
            "component": self.component,
        }

    @classmethod
    def from_dict(
        cls, data: Any, *, lenient: bool = False, path: str = "record", line: int | None = None
    ) -> Quote:
        """Read the JSON form of ``to_dict`` back (strict unless ``lenient``; see the module
        docstring); a missing field raises :class:`~realpolitik.errors.MissingField`."""
        return _public(_read_quote, data, lenient, path, line)


RelationKind = Literal["alliance", "partnership", "membership", "rivalry", "threat"]


@dataclass(slots=True)
class Relation:
    """A standing relation the text states (not an event): "South Korea is an ally of the U.S."."""

    id: str
    kind: str  # alliance | partnership | membership | rivalry | threat
    a: str  # actor id
    b: str  # actor id
    text: str  # the evidence span
    start: int
    end: int
    negated: bool = False
    component: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "a": self.a,
            "b": self.b,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "negated": self.negated,
            "component": self.component,
        }

    @classmethod
    def from_dict(
        cls, data: Any, *, lenient: bool = False, path: str = "record", line: int | None = None
    ) -> Relation:
        """Read the JSON form of ``to_dict`` back (strict unless ``lenient``; see the module
        docstring); a missing field raises :class:`~realpolitik.errors.MissingField`."""
        return _public(_read_relation, data, lenient, path, line)


@dataclass(slots=True)
class StageError:
    """A problem met while coding one article; the article's other output is kept."""

    stage: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "message": self.message}

    @classmethod
    def from_dict(
        cls, data: Any, *, lenient: bool = False, path: str = "record", line: int | None = None
    ) -> StageError:
        """Read the JSON form of ``to_dict`` back (strict unless ``lenient``; see the module
        docstring); a missing field raises :class:`~realpolitik.errors.MissingField`."""
        return _public(_read_error, data, lenient, path, line)


@dataclass(slots=True)
class Result:
    """Everything realpolitik found in one article."""

    article: Article
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    errors: list[StageError] = field(default_factory=list)

    def to_dict(self, *, full: bool = False) -> dict[str, Any]:
        """The output contract (docs/output.md); ``full`` adds the article's text and hints."""
        return {
            "article": self.article.to_dict(full=full),
            "actors": [a.to_dict() for a in self.actors],
            "events": [e.to_dict() for e in self.events],
            "quotes": [q.to_dict() for q in self.quotes],
            "relations": [r.to_dict() for r in self.relations],
            "errors": [e.to_dict() for e in self.errors],
        }

    @classmethod
    def from_dict(
        cls, data: Any, *, lenient: bool = False, path: str = "record", line: int | None = None
    ) -> Result:
        """Read the JSON form of ``to_dict`` back (strict unless ``lenient``; see the module
        docstring); a missing field raises :class:`~realpolitik.errors.MissingField`."""
        return _public(_read_result, data, lenient, path, line)


# -- reading records back from their JSON form ----------------------------------------------


class _Gap(Exception):
    """A required field is missing (or a record is not an object); ``where`` is its path."""

    def __init__(self, where: str, problem: str = "is missing") -> None:
        super().__init__(where)
        self.where = where
        self.problem = problem

    def inside(self, outer: str) -> _Gap:
        return _Gap(f"{outer}.{self.where}" if self.where else outer, self.problem)


def _gap(exc: KeyError | TypeError | AttributeError) -> _Gap:
    if isinstance(exc, KeyError):
        return _Gap(str(exc.args[0]) if exc.args else "")
    return _Gap("", "is not a JSON object")


_R = TypeVar("_R")


def _one(read: Callable[[Any, bool], _R], d: Any, lenient: bool, where: str) -> _R:
    try:
        return read(d, lenient)
    except _Gap as gap:
        raise gap.inside(where) from None


def _many(read: Callable[[Any, bool], _R], items: Any, lenient: bool, where: str) -> list[_R]:
    out = []
    for i, d in enumerate(items or []):
        try:
            out.append(read(d, lenient))
        except _Gap as gap:
            raise gap.inside(f"{where}[{i}]") from None
    return out


def _public(
    read: Callable[[Any, bool], _R], data: Any, lenient: bool, path: str, line: int | None
) -> _R:
    """Run a reader, turning a gap into the project's error (naming file, line and field)."""
    try:
        return read(data, lenient)
    except _Gap as gap:
        what = f"field {gap.where!r}" if gap.where else "the record"
        raise MissingField(
            f"{what} {gap.problem}",
            path=path,
            line=line,
            hint="give records in the JSON form of `realpolitik code` (docs/output.md)",
        ) from None


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value


def _read_article(d: Any, lenient: bool) -> Article:
    try:
        return Article(
            id=d["id"],
            text=_or(d.get("text"), ""),
            date=d.get("date"),
            source=d.get("source"),
            title=d.get("title"),
            hints=d.get("hints"),
            repairs=list(d.get("repairs") or []),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise _gap(exc) from None


def _read_span(d: Any, lenient: bool) -> Span:
    try:
        if lenient:
            return Span(_or(d.get("text"), ""), _or(d.get("start"), 0), _or(d.get("end"), 0))
        return Span(d["text"], d["start"], d["end"])
    except (KeyError, TypeError, AttributeError) as exc:
        raise _gap(exc) from None


def _read_participant(d: Any, lenient: bool) -> Participant:
    try:
        if lenient:
            return Participant(
                d.get("actor"), d.get("code"), d.get("country"), _or(d.get("text"), "")
            )
        return Participant(d["actor"], d["code"], d["country"], d["text"])
    except (KeyError, TypeError, AttributeError) as exc:
        raise _gap(exc) from None


def _read_place(d: Any, lenient: bool) -> Place:
    try:
        name = _or(d.get("name"), "") if lenient else d["name"]
        return Place(name, d.get("country"), d.get("lat"), d.get("lon"))
    except (KeyError, TypeError, AttributeError) as exc:
        raise _gap(exc) from None


def _read_actor(d: Any, lenient: bool) -> Actor:
    try:
        if lenient:
            name, kind = _or(d.get("name"), ""), _or(d.get("kind"), "state")
        else:
            name, kind = d["name"], d["kind"]
        return Actor(
            id=d["id"],
            name=name,
            kind=kind,
            code=d.get("code"),
            country=d.get("country"),
            sector=d.get("sector"),
            role=d.get("role"),
            mentions=_many(_read_span, d.get("mentions"), lenient, "mentions"),
            basis=d.get("basis"),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise _gap(exc) from None


def _read_event(d: Any, lenient: bool) -> Event:
    try:
        target, place, trigger = d.get("target"), d.get("place"), d.get("trigger")
        if lenient:
            g = d.get
            core: dict[str, Any] = {
                "cameo": _or(g("cameo"), ""),
                "root": _or(g("root"), ""),
                "plover": _or(g("plover"), ""),
                "goldstein": float(_or(g("goldstein"), 0.0)),
                "quad_class": int(_or(g("quad_class"), 0)),
                "text": _or(g("text"), ""),
                "start": _or(g("start"), 0),
                "end": _or(g("end"), 0),
                "coder": _or(g("coder"), ""),
                "rule": _or(g("rule"), ""),
                "confidence": float(_or(g("confidence"), 0.0)),
            }
        else:
            core = {
                "cameo": d["cameo"],
                "root": d["root"],
                "plover": d["plover"],
                "goldstein": d["goldstein"],
                "quad_class": d["quad_class"],
                "text": d["text"],
                "start": d["start"],
                "end": d["end"],
                "coder": d["coder"],
                "rule": d["rule"],
                "confidence": d["confidence"],
            }
        source = d["source"]
        if source is None:
            raise _Gap("source", "is null (every event has a source)")
        return Event(
            id=d["id"],
            source=_one(_read_participant, source, lenient, "source"),
            target=_one(_read_participant, target, lenient, "target") if target else None,
            **core,
            date=d.get("date"),
            date_precision=_or(d.get("date_precision"), "article"),
            place=_one(_read_place, place, lenient, "place") if place else None,
            negated=bool(d.get("negated")),
            modality=_or(d.get("modality"), "asserted"),
            plover_mode=d.get("plover_mode"),
            trigger=_one(_read_span, trigger, lenient, "trigger") if trigger else None,
            mentions=_many(_read_span, d.get("mentions"), lenient, "mentions"),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise _gap(exc) from None


def _read_quote(d: Any, lenient: bool) -> Quote:
    try:
        if lenient:
            g = d.get
            speaker_text, text, start, end = (
                _or(g("speaker_text"), ""),
                _or(g("text"), ""),
                _or(g("start"), 0),
                _or(g("end"), 0),
            )
            kind, cue = _or(g("kind"), "direct"), _or(g("cue"), "")
        else:
            speaker_text, text, start, end = d["speaker_text"], d["text"], d["start"], d["end"]
            kind, cue = d["kind"], d["cue"]
        return Quote(
            id=d["id"],
            speaker=d.get("speaker"),
            speaker_text=speaker_text,
            text=text,
            start=start,
            end=end,
            kind=kind,
            cue=cue,
            about=list(d.get("about") or []),
            component=_or(d.get("component"), ""),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise _gap(exc) from None


def _read_relation(d: Any, lenient: bool) -> Relation:
    try:
        if lenient:
            text, start, end = _or(d.get("text"), ""), _or(d.get("start"), 0), _or(d.get("end"), 0)
        else:
            text, start, end = d["text"], d["start"], d["end"]
        return Relation(
            id=d["id"],
            kind=d["kind"],
            a=d["a"],
            b=d["b"],
            text=text,
            start=start,
            end=end,
            negated=bool(d.get("negated")),
            component=_or(d.get("component"), ""),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise _gap(exc) from None


def _read_error(d: Any, lenient: bool) -> StageError:
    try:
        if lenient:
            return StageError(_or(d.get("stage"), ""), _or(d.get("message"), ""))
        return StageError(d["stage"], d["message"])
    except (KeyError, TypeError, AttributeError) as exc:
        raise _gap(exc) from None


def _read_result(d: Any, lenient: bool) -> Result:
    try:
        return Result(
            article=_one(_read_article, d["article"], lenient, "article"),
            actors=_many(_read_actor, d.get("actors"), lenient, "actors"),
            events=_many(_read_event, d.get("events"), lenient, "events"),
            quotes=_many(_read_quote, d.get("quotes"), lenient, "quotes"),
            relations=_many(_read_relation, d.get("relations"), lenient, "relations"),
            errors=_many(_read_error, d.get("errors"), lenient, "errors"),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise _gap(exc) from None
