"""When: time expressions in news text, resolved against the article date and each other.

Three layers, each usable on its own:

1. :func:`find_expressions` — a regex tagger over plain text. It finds explicit dates
   ("March 18, 2019", "3 February", "Aug. 29"), months ("in June", "March 2021"), years
   ("in 2015"), days of the month ("on the 18th"), weekdays ("on Tuesday", "last Friday",
   "next Monday"), relative expressions ("yesterday", "two days ago", "earlier this month",
   "in two weeks", "last year") and anchored ones that refer back to an earlier event ("the
   previous evening", "a day later", "that afternoon", "after the meeting"). Expressions
   after "since"/"every" are kept but marked unusable: they open a duration or a habit and
   never date an event.
2. :func:`resolve_expression` — one expression to a ``(date, precision)`` :class:`When`,
   given the publication date, the tense of its clause and, for anchored expressions, the
   anchor's date.
3. :func:`doc_times` — every expression of a spaCy ``Doc``, each with the tense of the verb
   it hangs on, resolved in document order so that anchored expressions take the date of the
   event described just before (flashbacks such as "the previous evening" do not become
   anchors themselves: the narrative returns to its main line after them).
   :func:`date_for_span` then picks the expression that belongs to a clause.

Conventions (those of ``eval/time_place/README.md``): a week is dated by its Monday, a month by
its 1st, a year by 1 January. A date without a year takes the year that puts it closest to
the publication date; a day of the month or a bare weekday is the most recent one on or before
the publication date in the past tense, the first one after it in the future tense; "last
Friday"/"next Tuesday" are the nearest such day strictly before/after. Morning, evening and
night do not change the day. Nothing is dated without a textual basis: with no publication
date, relative expressions stay unresolved.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Literal

from spacy.tokens import Doc, Span, Token

from .doctext import doc_text

__all__ = [
    "ANCHOR_NOUNS",
    "DATELINE",
    "Precision",
    "Tense",
    "TimeExpr",
    "TimeMention",
    "When",
    "clause_mentions",
    "clause_tense",
    "date_for_span",
    "doc_times",
    "find_expressions",
    "host_of",
    "path_cost",
    "resolve_expression",
    "resolve_text",
    "span_top",
    "text_tense",
]

Precision = Literal["day", "week", "month", "year"]
Tense = Literal["past", "perfect", "present", "future"]
Kind = Literal[
    "date",  # explicit calendar day; year optional
    "month",  # a month; year optional; ``offset`` for last/next/this March
    "year",
    "day_of_month",  # "the 18th"
    "weekday",  # bare weekday; ``offset`` -1 last, +1 next, 0 bare/this
    "relative",  # ``offset`` units of ``unit`` from the publication date
    "anchor",  # ``offset`` days from the anchor event
]

MONTHS: dict[str, int] = {name.lower(): i for i, name in enumerate(calendar.month_name) if name} | {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS: dict[str, int] = {name.lower(): i for i, name in enumerate(calendar.day_name)}
NUMBERS: dict[str, int] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
#: Event nouns that "after the meeting", "during the visit", "on the eve of the summit" can
#: refer back to; the anchor is preferably a dated sentence that mentions the same noun.
ANCHOR_NOUNS: frozenset[str] = frozenset(
    {
        "meeting",
        "meetings",
        "talks",
        "session",
        "summit",
        "visit",
        "conference",
        "ceremony",
        "trip",
        "call",
        "negotiations",
        "event",
        "gathering",
        "forum",
        "dinner",
        "vote",
        "election",
        "signing",
        "attack",
        "strike",
        "strikes",
        "launch",
        "speech",
        "parade",
        "exercise",
        "exercises",
    }
)

_MON_FULL = "|".join(calendar.month_name[1:])
_MON_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_MON = rf"(?P<mon>{_MON_FULL}|(?:{_MON_ABBR})\.?)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_NUM = r"(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_TOD = r"(?:day|morning|afternoon|evening|night)"
_ANCHOR_NOUN = "|".join(sorted(ANCHOR_NOUNS, key=len, reverse=True))
# words after "on the 18th" that show the ordinal is not a date ("the 13th package")
_ORDINAL_NOUNS = frozenset(
    {
        "anniversary",
        "century",
        "round",
        "session",
        "summit",
        "meeting",
        "edition",
        "package",
        "time",
        "birthday",
        "amendment",
        "floor",
        "day",
        "week",
        "year",
        "consecutive",
        "straight",
        "largest",
        "biggest",
        "annual",
        "congress",
        "plenum",
        "party",
        "army",
        "division",
        "brigade",
        "fleet",
        "place",
        "term",
        "president",
    }
)
_FUTURE_RE = re.compile(
    r"\b(?:will|shall|won't|wo\s+n't)\b|'ll\b"
    r"|\b(?:is|are|am|was|were|be)\s+(?:due|expected|scheduled|set|slated|poised|going|to)\s+to\b"
    r"|\b(?:is|are)\s+to\s+\w+"
    r"|\bplans?\s+to\b|\bintends?\s+to\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class When:
    """A resolved date: ``date`` is the first day of the period at ``precision``."""

    date: date
    precision: Precision

    def iso(self) -> str:
        return self.date.isoformat()


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """One time expression found in text (character offsets, end exclusive)."""

    start: int
    end: int
    text: str
    kind: Kind
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # Monday = 0
    offset: int = 0
    unit: Literal["day", "week", "month", "year"] | None = None
    noun: str | None = None  # the event noun an anchored expression refers to
    usable: bool = True  # False: not resolvable to a date (see ``habitual``)
    habitual: bool = False  # after "since"/"every"/"until": a duration or habit, no event date
    future_only: bool = False  # "in two weeks" dates an event only in the future tense
    time_of_day: bool = False  # "in the morning": the day of the event in force, weakest

    @property
    def flashback(self) -> bool:
        """An anchored expression that goes back in time ("the previous evening")."""
        return self.kind == "anchor" and self.offset < 0


# ------------------------------------------------------------------------------- tagging

_Builder = Callable[[re.Match[str]], TimeExpr | None]


def _num(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS[word.lower()]


def _mk(m: re.Match[str], kind: Kind, group: int | str = 0, **kw: Any) -> TimeExpr:
    start, end = m.span(group)
    return TimeExpr(start, end, m.string[start:end], kind, **kw)


def _month_of(word: str) -> int:
    return MONTHS[word.rstrip(".").lower()]


def _b_iso(m: re.Match[str]) -> TimeExpr | None:
    y, mo, d = int(m["y"]), int(m["mo"]), int(m["d"])
    if not _valid(y, mo, d):
        return None
    return _mk(m, "date", year=y, month=mo, day=d)


def _b_date(m: re.Match[str]) -> TimeExpr | None:
    d = int(m["day"])
    if not 1 <= d <= 31:
        return None
    year = int(m["year"]) if m["year"] else None
    return _mk(m, "date", year=year, month=_month_of(m["mon"]), day=d)


def _b_month_year(m: re.Match[str]) -> TimeExpr | None:
    return _mk(m, "month", year=int(m["year"]), month=_month_of(m["mon"]))


def _b_month(m: re.Match[str]) -> TimeExpr | None:
    pre = (m["pre"] or "").lower()
    offset = {"last": -1, "next": 1, "this": 0}.get(pre, 0)
    kw: dict[str, Any] = {"month": _month_of(m["mon"])}
    if pre in {"last", "next", "this"}:
        return _mk(m, "month", offset=offset, unit="year", **kw)
    return _mk(m, "month", "mon", **kw)


def _b_year(m: re.Match[str]) -> TimeExpr | None:
    return _mk(m, "year", "year", year=int(m["year"]))


def _b_day_of_month(m: re.Match[str]) -> TimeExpr | None:
    d = int(m["day"])
    if not 1 <= d <= 31:
        return None
    after = m.string[m.end() : m.end() + 40]
    nxt = re.match(r"\s+([A-Za-z]+)", after)
    if nxt and (nxt.group(1).lower() in _ORDINAL_NOUNS or nxt.group(1)[0].isupper()):
        return None  # "on the 11th U.S.-ROK agreement", "on the 13th package"
    return _mk(m, "day_of_month", "the", day=d, usable=m["pre"].lower() == "on")


def _b_weekday(m: re.Match[str]) -> TimeExpr | None:
    if m["pl"]:
        return None  # "on Mondays": a habit
    mod = (m["mod"] or "").lower()
    offset = {"last": -1, "past": -1, "next": 1, "coming": 1}.get(mod, 0)
    group = "all" if mod in {"last", "past", "next", "coming", "this"} else "core"
    return _mk(m, "weekday", group, weekday=WEEKDAYS[m["wd"].lower()], offset=offset)


def _rel(unit: Literal["day", "week", "month", "year"], offset: int) -> _Builder:
    def build(m: re.Match[str]) -> TimeExpr | None:
        return _mk(m, "relative", unit=unit, offset=offset)

    return build


def _rel_n(unit: Literal["day", "week", "month", "year"], sign: int) -> _Builder:
    def build(m: re.Match[str]) -> TimeExpr | None:
        return _mk(m, "relative", unit=unit, offset=sign * _num(m["n"]), future_only=sign > 0)

    return build


def _b_rel_mod(unit: Literal["week", "month", "year"]) -> _Builder:
    def build(m: re.Match[str]) -> TimeExpr | None:
        offset = {"last": -1, "this": 0, "next": 1}[m["mod"].lower()]
        return _mk(m, "relative", unit=unit, offset=offset)

    return build


def _b_simple_day(m: re.Match[str]) -> TimeExpr | None:
    word = m.group(0).lower()
    offset = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0}[word]
    return _mk(m, "relative", unit="day", offset=offset)


def _anchor(offset: int, *, tod: bool = False) -> _Builder:
    def build(m: re.Match[str]) -> TimeExpr | None:
        noun = m.groupdict().get("noun")
        return _mk(m, "anchor", offset=offset, noun=noun.lower() if noun else None, time_of_day=tod)

    return build


def _anchor_n(sign: int) -> _Builder:
    def build(m: re.Match[str]) -> TimeExpr | None:
        after = m.string[m.end() : m.end() + 60]
        # "one day before the first QUAD summit": before another (undated) event, not the
        # one just described; only a bare event noun counts as a back-reference
        ref = re.match(r"\s+(?:the|that|this|his|her|their|its)\s+(\w+)", after)
        noun = None
        if ref:
            if ref.group(1).lower() not in ANCHOR_NOUNS:
                return _mk(m, "anchor", offset=sign * _num(m["n"]), usable=False)
            noun = ref.group(1).lower()
        return _mk(m, "anchor", offset=sign * _num(m["n"]), noun=noun)

    return build


def _b_day_before_after(sign: int) -> _Builder:
    def build(m: re.Match[str]) -> TimeExpr | None:
        after = m.string[m.end() : m.end() + 60]
        ref = re.match(r"\s+(?:the|that|this|his|her|their|its)\s+(\w+)", after)
        if ref and ref.group(1).lower() not in ANCHOR_NOUNS:
            return _mk(m, "anchor", offset=sign, usable=False)
        return _mk(m, "anchor", offset=sign, noun=ref.group(1).lower() if ref else None)

    return build


_I = re.IGNORECASE
#: (pattern, builder): every match is a candidate; overlaps go to the longest.
PATTERNS: tuple[tuple[re.Pattern[str], _Builder], ...] = (
    (re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<mo>[01]\d)-(?P<d>[0-3]\d)\b"), _b_iso),
    (re.compile(rf"\b{_MON}\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?"), _b_date),
    (re.compile(rf"\b(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MON}(?:,?\s+{_YEAR}\b)?"), _b_date),
    (re.compile(rf"\b{_MON},?\s+{_YEAR}\b"), _b_month_year),
    (
        re.compile(
            rf"\b(?P<pre>in|In|since|Since|during|During|until|till|by|from|through|throughout"
            rf"|of|early|Early|late|Late|mid|last|Last|next|Next|this|This)[\s-]+"
            rf"(?P<mon>{_MON_FULL})\b(?!\s+[0-3]?\d\b)"
        ),
        _b_month,
    ),
    (
        re.compile(
            rf"\b(?:in|In|during|During|since|Since|until|till|by|By|from|From|through"
            rf"|throughout|early|late|mid|of|the\s+year)[\s-]+(?:early\s+|late\s+|mid-)?"
            rf"{_YEAR}\b(?!\s*[-–/]\s*\d)"
        ),
        _b_year,
    ),
    (
        re.compile(
            rf"\b(?P<pre>on|On|by|By|until|till|since|from|before|after|through)\s+"
            rf"(?P<the>the\s+{_DAY})\b(?!\s+of\s+{_MON})"
        ),
        _b_day_of_month,
    ),
    (
        re.compile(
            rf"(?P<all>\b(?:(?P<mod>last|Last|next|Next|this|This|past|coming)\s+)?"
            rf"(?P<core>{_WD}(?P<pl>s)?\b(?:\s+(?:morning|afternoon|evening|night)\b)?))"
        ),
        _b_weekday,
    ),
    (re.compile(r"\bthe\s+day\s+before\s+yesterday\b", _I), _rel("day", -2)),
    (re.compile(r"\bthe\s+day\s+after\s+tomorrow\b", _I), _rel("day", 2)),
    (re.compile(r"\b(?:yesterday|today|tomorrow|tonight)\b", _I), _b_simple_day),
    (re.compile(r"\blast\s+night\b", _I), _rel("day", -1)),
    (re.compile(r"\bthis\s+(?:morning|afternoon|evening)\b", _I), _rel("day", 0)),
    (re.compile(rf"\b{_NUM}\s+days?\s+ago\b", _I), _rel_n("day", -1)),
    (re.compile(rf"\b{_NUM}\s+weeks?\s+ago\b", _I), _rel_n("week", -1)),
    (re.compile(rf"\b{_NUM}\s+months?\s+ago\b", _I), _rel_n("month", -1)),
    (re.compile(rf"\b{_NUM}\s+years?\s+ago\b", _I), _rel_n("year", -1)),
    (re.compile(rf"(?<!time\s)\bin\s+{_NUM}\s+days?(?:['’]\s*time)?\b", _I), _rel_n("day", 1)),
    (re.compile(rf"(?<!time\s)\bin\s+{_NUM}\s+weeks?(?:['’]\s*time)?\b", _I), _rel_n("week", 1)),
    (re.compile(rf"(?<!time\s)\bin\s+{_NUM}\s+months?(?:['’]\s*time)?\b", _I), _rel_n("month", 1)),
    (re.compile(rf"(?<!time\s)\bin\s+{_NUM}\s+years?(?:['’]\s*time)?\b", _I), _rel_n("year", 1)),
    (re.compile(rf"\b{_NUM}\s+days?\s+from\s+now\b", _I), _rel_n("day", 1)),
    (
        re.compile(r"\b(?:(?:earlier|later)\s+)?(?P<mod>last|this|next)\s+week\b", _I),
        _b_rel_mod("week"),
    ),
    (
        re.compile(r"\b(?:(?:earlier|later)\s+)?(?P<mod>last|this|next)\s+month\b", _I),
        _b_rel_mod("month"),
    ),
    (
        re.compile(r"\b(?:(?:earlier|later)\s+)?(?P<mod>last|this|next)\s+year\b", _I),
        _b_rel_mod("year"),
    ),
    # anchored: the day before the event just described
    (re.compile(rf"\b(?:the|that)\s+previous\s+{_TOD}\b", _I), _anchor(-1)),
    (
        re.compile(r"\bthe\s+(?:day|evening|night)\s+before\b(?!\s+yesterday)", _I),
        _b_day_before_after(-1),
    ),
    (re.compile(rf"\b{_NUM}\s+days?\s+(?:earlier|before)\b", _I), _anchor_n(-1)),
    (
        re.compile(
            r"\b(?:on\s+)?the\s+eve\s+of\b(?:\s+(?:the|that|this|his|her|their|its)\s+"
            rf"(?:\w+\s+)?(?P<noun>{_ANCHOR_NOUN}))?",
            _I,
        ),
        _anchor(-1),
    ),
    # the day after
    (re.compile(rf"\bthe\s+(?:next|following)\s+{_TOD}\b", _I), _anchor(1)),
    (re.compile(rf"\b{_NUM}\s+days?\s+later\b", _I), _anchor_n(1)),
    (re.compile(r"\bthe\s+(?:day|morning)\s+after\b(?!\s+tomorrow)", _I), _b_day_before_after(1)),
    # the same day
    (re.compile(rf"\b(?:(?:later|earlier)\s+)?that\s+(?:same\s+)?{_TOD}\b", _I), _anchor(0)),
    (re.compile(r"\b(?:on\s+|later\s+)?the\s+same\s+day\b", _I), _anchor(0)),
    (
        re.compile(
            r"\b(?:after|during|at|following|on\s+the\s+sidelines\s+of|at\s+the\s+end\s+of"
            r"|in\s+the\s+course\s+of)\s+(?:the|that|this|his|her|their|its)\s+"
            rf"(?:same\s+)?(?:(?:press|news)\s+)?(?P<noun>{_ANCHOR_NOUN})\b(?!\s+(?:of|on)\b)",
            _I,
        ),
        _anchor(0),
    ),
    (re.compile(r"\bin\s+the\s+(?:morning|afternoon|evening)\b", _I), _anchor(0, tod=True)),
)

#: A dateline at the very start of an article: "GENEVA —", "TOKYO, March 14 (Wire) —",
#: "PARIS, Texas (AP) -". Its date is the article's, not an event's.
DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z'.\-]+(?:\s+[A-Z][A-Z'.\-]+){0,3})"
    r"(?:,\s*(?P<qual>[A-Z][A-Za-z.'\-]+(?:\s+[A-Z][A-Za-z.'\-]+){0,2}))?"
    r"(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"\s*(?:\([^)\n]{1,40}\)\s*)?(?:—|–|--|-)\s+"
)

_SINCE_RE = re.compile(r"\b(?:since|every|each|until|till)\s+$", re.IGNORECASE)


def _valid(y: int, m: int, d: int) -> bool:
    return 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]


def find_expressions(text: str) -> list[TimeExpr]:
    """Every time expression in ``text``, in order, overlaps resolved to the longest.

    Expressions introduced by "since", "every", "each" or "until" are returned with
    ``usable=False``.
    """
    found: list[TimeExpr] = []
    for pattern, build in PATTERNS:
        for m in pattern.finditer(text):
            expr = build(m)
            if expr is not None:
                found.append(expr)
    chosen: list[TimeExpr] = []
    taken: list[tuple[int, int]] = []
    for expr in sorted(found, key=lambda e: (-(e.end - e.start), e.start)):
        if any(expr.start < b and a < expr.end for a, b in taken):
            continue
        taken.append((expr.start, expr.end))
        chosen.append(expr)
    chosen.sort(key=lambda e: e.start)
    out: list[TimeExpr] = []
    for i, expr in enumerate(chosen):
        # "Monday, March 3": the calendar date says it all
        nxt = chosen[i + 1] if i + 1 < len(chosen) else None
        if (
            expr.kind == "weekday"
            and nxt is not None
            and nxt.kind == "date"
            and re.fullmatch(r",?\s*", text[expr.end : nxt.start])
        ):
            continue
        if _SINCE_RE.search(text[max(0, expr.start - 8) : expr.start]) or (
            expr.kind in {"year", "month"} and re.match(r"(?i)since\b", expr.text)
        ):
            expr = replace(expr, usable=False, habitual=True)
        out.append(expr)
    return out


# ----------------------------------------------------------------------------- resolving


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _add_months(d: date, n: int) -> date:
    total = d.year * 12 + (d.month - 1) + n
    return date(total // 12, total % 12 + 1, 1)


def _closest_year(article: date, month: int, day: int, future: bool) -> date | None:
    best: tuple[int, int, date] | None = None
    for y in (article.year - 1, article.year, article.year + 1):
        if not _valid(y, month, day):
            continue
        d = date(y, month, day)
        gap = abs((d - article).days)
        # on a tie the tense decides: the future tense looks forward
        tie = 0 if (d > article) == future else 1
        if best is None or (gap, tie) < (best[0], best[1]):
            best = (gap, tie, d)
    return best[2] if best else None


def _day_of_month(article: date, day: int, future: bool, today: bool = False) -> date | None:
    if today and day == article.day:
        return article
    cur = date(article.year, article.month, 1)
    step = 1 if future else -1
    for _ in range(14):
        if _valid(cur.year, cur.month, day):
            d = date(cur.year, cur.month, day)
            if (future and d > article) or (not future and d <= article):
                return d
        cur = _add_months(cur, step)
    return None


def _weekday(article: date, weekday: int, offset: int, future: bool, today: bool = False) -> date:
    back = (article.weekday() - weekday) % 7  # days back to the most recent such day
    if today and offset == 0 and back == 0:
        return article
    if offset < 0:
        return article - timedelta(days=back or 7)
    if offset > 0 or future:
        return article + timedelta(days=(weekday - article.weekday()) % 7 or 7)
    return article - timedelta(days=back)


def resolve_expression(
    expr: TimeExpr,
    article: date | None,
    *,
    tense: Tense = "past",
    anchor: When | None = None,
) -> When | None:
    """The date an expression denotes, or None when the text does not support one.

    ``article`` is the publication date; ``tense`` that of the clause the expression dates;
    ``anchor`` the date of the event just described (for anchored expressions).
    """
    if not expr.usable:
        return None
    # news uses the present for plans ("NATO leaders meet on Thursday"), or for today
    future = tense in ("future", "present")
    today = tense == "present"
    if expr.future_only and not future:
        return None  # "in two weeks" in the past tense is a duration
    if expr.kind == "date" and expr.month and expr.day:
        if expr.year is not None:
            ok = _valid(expr.year, expr.month, expr.day)
            return When(date(expr.year, expr.month, expr.day), "day") if ok else None
        if article is None:
            return None
        d = _closest_year(article, expr.month, expr.day, future)
        return When(d, "day") if d else None
    if expr.kind == "month" and expr.month:
        if expr.year is not None:
            return When(date(expr.year, expr.month, 1), "month")
        if article is None:
            return None
        if expr.unit == "year":  # last/next/this March
            this = date(article.year, expr.month, 1)
            if expr.offset == 0:
                return When(this, "month")
            if expr.offset < 0:
                return When(
                    this if expr.month < article.month else this.replace(year=this.year - 1),
                    "month",
                )
            return When(
                this if expr.month > article.month else this.replace(year=this.year + 1), "month"
            )
        options = [date(article.year + k, expr.month, 1) for k in (-1, 0, 1)]
        here = date(article.year, article.month, 1)

        def gap(d: date) -> tuple[int, int]:
            months = abs((d.year - here.year) * 12 + d.month - here.month)
            return months, 0 if (d > here) == future else 1

        return When(min(options, key=gap), "month")
    if expr.kind == "year" and expr.year is not None:
        return When(date(expr.year, 1, 1), "year")
    if article is None and expr.kind != "anchor":
        return None
    if expr.kind == "day_of_month" and expr.day and article is not None:
        d = _day_of_month(article, expr.day, future, today)
        return When(d, "day") if d else None
    if expr.kind == "weekday" and expr.weekday is not None and article is not None:
        return When(_weekday(article, expr.weekday, expr.offset, future, today), "day")
    if expr.kind == "relative" and article is not None:
        if expr.unit == "day":
            return When(article + timedelta(days=expr.offset), "day")
        if expr.unit == "week":
            return When(_monday(article + timedelta(days=7 * expr.offset)), "week")
        if expr.unit == "month":
            return When(_add_months(article.replace(day=1), expr.offset), "month")
        if expr.unit == "year":
            return When(date(article.year + expr.offset, 1, 1), "year")
    if expr.kind == "anchor" and anchor is not None:
        if future and article is not None and anchor.date < article:
            return None  # "after this trip, what will they do": not the past event's day
        if expr.offset == 0:
            return anchor
        if anchor.precision != "day":
            return None  # "the next day" after "in March" could be either month
        return When(anchor.date + timedelta(days=expr.offset), "day")
    return None


def text_tense(text: str) -> Tense:
    """A clause's tense from its words alone (for text without a parse)."""
    if _FUTURE_RE.search(text):
        return "future"
    return "past"


def _text_sentence(text: str, at: int) -> tuple[int, int]:
    """The sentence around offset ``at`` in plain text (split at ". ", "! ", "? ", newlines)."""
    starts = [text.rfind(sep, 0, at) for sep in (". ", "! ", "? ", "\n")]
    start = max(starts) + 1 if max(starts) >= 0 else 0
    ends = [e for e in (text.find(sep, at) for sep in (". ", "! ", "? ", "\n")) if e >= 0]
    return start, (min(ends) + 1 if ends else len(text))


def resolve_text(text: str, article: date | None) -> list[tuple[TimeExpr, When | None]]:
    """Tag and resolve every expression of a plain text, in order (no parse needed).

    The tense of each expression is read from its sentence up to the expression's end;
    anchored expressions are resolved as in :func:`doc_times`.
    """
    mentions: list[TimeMention] = []
    for expr in find_expressions(text):
        sent_start, _ = _text_sentence(text, expr.start)
        tense = text_tense(text[sent_start : expr.end])
        anchor_i = _choose_anchor(
            mentions,
            expr,
            lambda m: text[slice(*_text_sentence(text, m.expr.start))],
            tense=tense,
            article=article,
        )
        anchor = mentions[anchor_i].when if anchor_i is not None else None
        when = resolve_expression(expr, article, tense=tense, anchor=anchor)
        mentions.append(TimeMention(expr, when, tense, -1, sent_start, anchor_i))
    return [(m.expr, m.when) for m in mentions]


# ----------------------------------------------------------------------- on a spaCy Doc

FUTURE_HEADS = frozenset(
    {"due", "expect", "schedule", "set", "slate", "poise", "go", "plan", "intend", "prepare"}
)
CLAUSE_DEPS = frozenset({"ROOT", "conj", "ccomp", "xcomp", "advcl", "relcl", "acl", "csubj"})
_PRESENT_BE = frozenset({"is", "are", "am", "'s", "'re", "'m"})
_PAST_AUX = frozenset({"was", "were", "did"})
_PERFECT_AUX = frozenset({"had", "has", "have", "'ve", "'d"})
_CLIMB_TENSE = frozenset(
    {
        "xcomp",
        "conj",
        "acl",
        "advcl",
        "pobj",
        "dobj",
        "nsubj",
        "nsubjpass",
        "prep",
        "pcomp",
        "acomp",
    }
)


def _future_frame(head: Token) -> bool:
    """ "is expected to", "are due to", "is set to", "plans to", "is to": a plan."""
    for tok in (head, head.head):
        auxes = {c.lower_ for c in tok.children if c.dep_ in {"aux", "auxpass"}}
        if tok.lemma_.lower() in FUTURE_HEADS and (
            auxes & _PRESENT_BE or tok.tag_ in {"VBZ", "VBP"}
        ):
            return True
        if tok.lower_ in _PRESENT_BE and tok.pos_ == "AUX" and tok.i == head.i:
            return True  # "is to meet"
    return False


def clause_tense(tok: Token) -> Tense:
    """The tense of the clause around ``tok`` from auxiliaries and tags, climbing through
    non-finite verbs and nouns ("is expected to meet", "held talks", "leaders meeting ...")."""
    cur = tok
    for _ in range(6):
        auxes = {c.lower_ for c in cur.children if c.dep_ in {"aux", "auxpass"}}
        if auxes & {"will", "shall", "'ll", "wo"}:
            return "future"
        if cur.dep_ == "xcomp" and _future_frame(cur.head):
            return "future"
        if any(c.dep_ == "xcomp" for c in cur.children) and _future_frame(cur):
            return "future"  # the expression hangs on "expected" itself
        if auxes & _PRESENT_BE and cur.tag_ == "VBG":
            return "future"  # "is visiting Tokyo on Friday": a plan
        if auxes & _PERFECT_AUX:
            return "perfect"  # "has met", "had met": not the time of the narrative
        if auxes & _PAST_AUX or cur.tag_ == "VBD":
            return "past"
        if cur.tag_ in {"VBZ", "VBP"} and cur.pos_ in {"VERB", "AUX"}:
            return "present"
        if cur.dep_ in _CLIMB_TENSE and cur.head.i != cur.i:
            cur = cur.head
            continue
        break
    # a participle root ("leaders meeting in Brussels criticized Israel"): its finite child
    for child in cur.children:
        if child.dep_ in {"advcl", "conj", "ccomp"} and child.tag_ == "VBD":
            return "past"
    sent = tok.sent
    return text_tense(sent.text[: tok.idx - sent.start_char + len(tok.text)])


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A time expression of a Doc with its tense, value and the token it hangs on."""

    expr: TimeExpr
    when: When | None
    tense: Tense
    root: int  # token index of the expression's syntactic head
    sent_start: int  # character offset of its sentence
    anchor: int | None  # index in the doc's mention list of the anchor used, if any


def _expr_span(doc: Doc, expr: TimeExpr) -> Span | None:
    return doc.char_span(expr.start, expr.end, alignment_mode="expand")


def _has_parse(doc: Doc) -> bool:
    return doc.has_annotation("DEP")


def host_of(tok: Token) -> Token:
    """The verb (or clause head) a time expression's root token hangs on."""
    cur = tok
    for _ in range(8):
        if cur.head.i == cur.i:
            return cur
        cur = cur.head
        if cur.pos_ in {"VERB", "AUX"} or cur.dep_ in CLAUSE_DEPS:
            return cur
    return cur


def doc_times(doc: Doc, article: date | None = None) -> list[TimeMention]:
    """Every time expression of ``doc``, resolved in order (cached on the Doc).

    ``article`` defaults to the date of ``doc._.rp_article``.
    """
    if article is None:
        art = doc._.rp_article if doc.has_extension("rp_article") else None
        if art is not None:
            article = art.day
    key = f"realpolitik.dates:{article}"
    cached = doc.user_data.get(key)
    if cached is not None:
        return list(cached)
    parsed = _has_parse(doc)
    has_sents = parsed or doc.has_annotation("SENT_START")

    def sentence_of(m: TimeMention) -> str:
        if has_sents:
            return doc[m.root].sent.text
        return doc_text(doc)[slice(*_text_sentence(doc_text(doc), m.expr.start))]

    out: list[TimeMention] = []
    head = DATELINE.match(doc_text(doc))
    for expr in find_expressions(doc_text(doc)):
        if head is not None and expr.start < head.end():
            continue  # the dateline's date is the publication date
        span = _expr_span(doc, expr)
        if span is None or len(span) == 0:
            continue
        root = span.root
        sent_start = (
            root.sent.start_char if has_sents else _text_sentence(doc_text(doc), expr.start)[0]
        )
        if parsed:
            tense = clause_tense(host_of(root)) if root.head.i != root.i else clause_tense(root)
        else:
            tense = text_tense(doc_text(doc)[sent_start : expr.end])
        anchor_i = _choose_anchor(
            out,
            expr,
            sentence_of,
            tense=tense,
            article=article,
        )
        anchor = out[anchor_i].when if anchor_i is not None else None
        when = resolve_expression(expr, article, tense=tense, anchor=anchor)
        out.append(TimeMention(expr, when, tense, root.i, sent_start, anchor_i))
    doc.user_data[key] = tuple(out)
    return out


def _precision(m: TimeMention) -> str | None:
    return m.when.precision if m.when is not None else None


def _choose_anchor(
    previous: list[TimeMention],
    expr: TimeExpr,
    sentence_of: Callable[[TimeMention], str],
    *,
    tense: Tense = "past",
    article: date | None = None,
) -> int | None:
    """Which earlier mention an anchored expression refers to (see :func:`doc_times`)."""
    if expr.kind != "anchor":
        return None

    usable = [
        i
        for i, m in enumerate(previous)
        if m.when is not None and not m.expr.flashback and not m.expr.time_of_day
    ]
    if expr.noun:
        # the last dated sentence that names the same event ("after the signing" ~ "signed")
        stem = expr.noun[:4].lower()
        for i in reversed(usable):
            if stem in sentence_of(previous[i]).lower():
                return i

    def fits(m: TimeMention) -> bool:
        if m.when is None:
            return False
        # a past event cannot be "the next day" after a planned one
        return tense == "future" or article is None or m.when.date <= article

    candidates = [i for i in usable if fits(previous[i])]
    # "that evening", "the next day" refer to a day: skip "earlier this month" and the like
    daily = [i for i in candidates if _precision(previous[i]) == "day"]
    candidates = daily or candidates
    if not candidates:
        # "in the morning" after nothing else: a time-of-day anchor may anchor too
        candidates = [i for i, m in enumerate(previous) if fits(m)]
    return candidates[-1] if candidates else None


# ------------------------------------------------------- which expression dates a clause

#: Words that introduce another event's time: what hangs below them dates that event.
TEMPORAL_LINKS = frozenset(
    {"after", "before", "following", "follow", "since", "until", "till", "prior", "ahead", "upon"}
)
HARD_DEPS = frozenset({"relcl", "ccomp", "csubj", "parataxis"})
#: Conjunctions of a subordinate clause that shares its main clause's time.
SAME_TIME_MARKS = frozenset({"when", "while", "as", "where"})
SOFT_DEPS = frozenset({"acl", "advcl", "xcomp", "conj", "pcomp"})


def path_cost(
    tok: Token,
    top: Token,
    skip: frozenset[int] = frozenset(),
    free: frozenset[str] = frozenset(),
) -> int | None:
    """How many clause boundaries lie between ``tok`` and its ancestor ``top``.

    None when ``top`` is not an ancestor, or when the path crosses a relative or complement
    clause or a temporal link ("following his criticism ... the previous evening", "after a
    jet shot down ..."): what lies beyond such a boundary belongs to another event.
    ``skip`` holds the tokens of the expression itself (its own "after" is no boundary);
    links in ``free`` cost nothing.
    """
    if tok.i == top.i:
        return 0
    cost = 0
    cur = tok
    for _ in range(40):
        if cur.i not in skip and cur.i != tok.i:
            if cur.dep_ in HARD_DEPS:
                return None
            if cur.lemma_.lower() in TEMPORAL_LINKS or cur.lower_ in TEMPORAL_LINKS:
                return None
            if cur.dep_ in {"advcl", "acl"} and any(
                c.dep_ == "mark" and c.lower_ not in SAME_TIME_MARKS for c in cur.children
            ):
                return None  # "although it was discussed earlier this month", "a demand that ..."
            if (cur.dep_ in SOFT_DEPS or cur.pos_ in {"VERB", "AUX"}) and cur.dep_ not in free:
                cost += 1
        if cur.head.i == cur.i:
            return None
        cur = cur.head
        if cur.i == top.i:
            return cost
    return None


def span_top(doc: Doc, start: int, end: int) -> Token | None:
    """The predicate of a span: its highest verb, else its highest token."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    roots = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i]
    verbs = [t for t in span if t.pos_ in {"VERB", "AUX"} and t.dep_ != "aux"]
    if verbs:

        def height(t: Token) -> int:
            return len(list(t.ancestors))

        return min(verbs, key=lambda t: (height(t), t.i))
    return min(roots, key=lambda t: (len(list(t.ancestors)), t.i)) if roots else span.root


#: Relations through which a clause with no date of its own takes its head's date.
CLIMB_DEPS = frozenset(
    {
        *("conj", "xcomp", "advcl", "acl", "pobj", "prep", "dobj", "nsubj", "nsubjpass"),
        *("pcomp", "attr", "compound", "nmod", "appos", "oprd"),
    }
)


def clause_mentions(
    doc: Doc, start: int, end: int, *, head: Token | None = None
) -> tuple[list[tuple[int, int, int]], Token | None]:
    """The time mentions that belong to the clause in ``[start, end)``.

    Returns ``[(cost, distance, mention index)]`` sorted best first, and the clause's top
    token. Without a parse every mention inside the span counts.
    """
    times = doc_times(doc)
    inside = [
        i
        for i, m in enumerate(times)
        if start <= m.expr.start and m.expr.end <= end and (m.when is not None or _blocks(m))
    ]
    if not _has_parse(doc):
        return [(0, k, i) for k, i in enumerate(inside)], None
    top = head if head is not None else span_top(doc, start, end)
    if top is None:
        return [], None
    scored: list[tuple[int, int, int]] = []
    for i in inside:
        m = times[i]
        span = _expr_span(doc, m.expr)
        if span is None:
            continue
        skip = frozenset(t.i for t in span)
        cost = 0 if span.root.i == top.i or top.i in skip else path_cost(span.root, top, skip)
        if cost is None:
            continue
        if m.expr.time_of_day:
            cost += 5  # "in the morning" only when nothing better dates the clause
        scored.append((cost, abs(span.root.i - top.i), i))
    scored.sort(key=lambda x: (x[0], times[x[2]].when is None, x[1]))
    return scored, top


def _blocks(m: TimeMention) -> bool:
    """An expression that dates its clause although it cannot be resolved ("one day before
    the first summit"): the clause must not borrow another date."""
    if m.when is not None or m.expr.habitual:
        return False
    return not (m.expr.future_only and m.tense == "past")


def date_for_span(
    doc: Doc, start: int, end: int, *, head: Token | None = None
) -> tuple[When | None, TimeMention | None, str]:
    """The date of the clause in ``[start, end)`` and where it came from.

    Returns ``(when, mention, how)``: ``how`` is ``"clause"`` (an expression of the clause
    itself), ``"head"`` (the clause it depends on), ``"passage"`` (the date in force: the
    last dated, non-flashback mention of an earlier sentence of the same paragraph; past
    tense only) or ``"none"``.
    """
    times = doc_times(doc)
    scored, top = clause_mentions(doc, start, end, head=head)
    if scored:
        m = times[scored[0][2]]
        return (m.when, m, "clause") if m.when is not None else (None, None, "none")
    if top is not None:
        cur = top
        for _ in range(4):
            if cur.dep_ not in CLIMB_DEPS or cur.head.i == cur.i:
                break
            if cur.lemma_.lower() in TEMPORAL_LINKS or cur.head.lemma_.lower() in TEMPORAL_LINKS:
                break
            if cur.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in TEMPORAL_LINKS for c in cur.children
            ):
                break
            cur = cur.head
            lo, hi = cur.left_edge.idx, cur.right_edge.idx + len(cur.right_edge.text)
            up, _ = clause_mentions(doc, lo, hi, head=cur)
            if up:
                m = times[up[0][2]]
                return (m.when, m, "head") if m.when is not None else (None, None, "none")
    return _in_force(doc, start, end, top)


def _main_line(doc: Doc, m: TimeMention) -> bool:
    """Whether a mention dates its sentence's main clause (not a relative or subordinate one)."""
    root = doc[m.root]
    top = root.sent.root
    return root.i == top.i or path_cost(root, top) is not None


def _paragraph_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def _in_force(
    doc: Doc, start: int, end: int, top: Token | None
) -> tuple[When | None, TimeMention | None, str]:
    tense = clause_tense(top) if top is not None else text_tense(doc_text(doc)[start:end])
    if tense != "past":
        return None, None, "none"  # a present or future clause is not the earlier story
    para = _paragraph_start(doc_text(doc), start)
    span = doc.char_span(start, end, alignment_mode="expand")
    sent_start = start
    if span is not None and len(span) and doc.has_annotation("SENT_START"):
        sent_start = span[0].sent.start_char
    for m in reversed(doc_times(doc)):
        if m.expr.end > sent_start or m.expr.start < para:
            continue
        if m.when is None or m.expr.flashback or m.tense in ("future", "present"):
            continue
        if _has_parse(doc) and not _main_line(doc, m):
            continue  # "where Iran seized a tanker earlier this month": a side event
        return m.when, m, "passage"
    return None, None, "none"
