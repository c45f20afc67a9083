"""Checks on the bundled example articles and on the time/place gold set.

The gold set's dates were written by hand; the resolver below recomputes every one of them
from its construction rule (see ``eval/time_place/README.md``) so that a slip in the
calendar arithmetic, or a rule applied inconsistently, fails here.
"""

from __future__ import annotations

import calendar
import itertools
import json
import re
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest

from helpers import ROOT

EXAMPLES = ROOT / "src" / "realpolitik" / "examples"
GOLD = ROOT / "eval" / "time_place" / "gold.jsonl"
OUTLET = "Realpolitik Example Wire"

# ---------------------------------------------------------------- example articles


def _example_ids() -> list[str]:
    return sorted(p.name.removesuffix(".txt") for p in EXAMPLES.glob("*.txt"))


def _read_example(ex_id: str) -> tuple[str, dict[str, Any]]:
    # strict decoding: a stray Latin-1 byte must fail the test, not be replaced
    text = (EXAMPLES / f"{ex_id}.txt").read_bytes().decode("utf-8")
    meta = json.loads((EXAMPLES / f"{ex_id}.meta.json").read_text(encoding="utf-8"))
    return text, meta


def test_at_least_four_examples() -> None:
    assert len(_example_ids()) >= 4
    # every meta file belongs to an article (no orphans)
    metas = sorted(p.name.removesuffix(".meta.json") for p in EXAMPLES.glob("*.meta.json"))
    assert metas == _example_ids()


@pytest.mark.parametrize("ex_id", _example_ids())
def test_example_meta(ex_id: str) -> None:
    text, meta = _read_example(ex_id)
    assert set(meta) == {"id", "date", "source", "title"}
    assert meta["id"] == ex_id
    assert all(isinstance(meta[k], str) and meta[k].strip() for k in meta)
    date.fromisoformat(meta["date"])
    assert meta["source"] == OUTLET
    assert not text.startswith("\ufeff")


@pytest.mark.parametrize("ex_id", _example_ids())
def test_example_length_and_dateline(ex_id: str) -> None:
    text, meta = _read_example(ex_id)
    assert 700 <= len(text.split()) <= 1100
    m = re.match(r"([A-Z][A-Z .'-]+), ([A-Z][a-z]+)\.? (\d{1,2}) \(([^)]+)\) — ", text)
    assert m, "article must open with a dateline like 'CITY, Mon. D (Outlet) — '"
    published = date.fromisoformat(meta["date"])
    assert _month_number(m.group(2)) == published.month
    assert int(m.group(3)) == published.day
    assert m.group(4) == OUTLET


def _has_continued_quote(text: str) -> bool:
    """A paragraph that leaves a quote open, followed by one that reopens it."""
    paras = [p.strip() for p in text.split("\n\n") if p.strip()]
    for here, after in itertools.pairwise(paras):
        straight_open = here.count('"') % 2 == 1 and after.startswith('"')
        curly_open = here.count("“") > here.count("”") and after.startswith("“")
        if straight_open or curly_open:
            return True
    return False


REQUIRED_PATTERNS = {
    "weekday": r"\bon (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
    "day of month": r"\bon the \d{1,2}(st|nd|rd|th)\b",
    "previous evening": r"\bthe previous evening\b",
    "that afternoon": r"\bthat afternoon\b",
    "last week": r"\blast week\b",
    "earlier this month": r"\bearlier this month\b",
    "said that": r"\bsaid that\b",
    "according to": r"\b[Aa]ccording to\b",
    "told the outlet": rf"\btold {OUTLET} that\b",
    "pronoun speaker": r"\b[Hh]e said\b",
    "negation": r"\b(did|has|have|does) not\b",
    "conditional": r"\bIf\b[^.]*\bwould\b",
    "criticism": r"\b(critici[sz]|accus)",
    "agreement": r"\bagree",
    "visit": r"\bvisit",
    "appeal": r"\bappeal",
    "threat or rejection": r"\b(threat|warn|reject)",
}


@pytest.mark.parametrize("ex_id", _example_ids())
def test_example_constructions(ex_id: str) -> None:
    text, _ = _read_example(ex_id)
    missing = [name for name, pat in REQUIRED_PATTERNS.items() if not re.search(pat, text)]
    assert not missing, f"{ex_id} lacks {missing}"
    assert '"' in text and "“" in text and "”" in text
    assert _has_continued_quote(text)


@pytest.mark.parametrize("ex_id", _example_ids())
def test_example_expert_quoted_by_surname(ex_id: str) -> None:
    text, _ = _read_example(ex_id)
    m = re.search(r"[A-Z][a-z]+ ([A-Z][\w-]+), an? professor of [^,.]+ at (the )?[A-Z]", text)
    assert m, "an expert must be introduced as 'Name Surname, a professor of ... at ...'"
    surname = m.group(1)
    assert re.search(rf"\b{re.escape(surname)} (said|added|told)\b", text[m.end() :])


def test_continued_quote_detector() -> None:
    # the detector itself must tell an unclosed paragraph from a closed one
    assert _has_continued_quote('He said, "one.\n\n"Two," he said.')
    assert _has_continued_quote("She said, “one.\n\n“Two,” she said.")
    assert not _has_continued_quote('He said, "one."\n\n"Two," he said.')


# ---------------------------------------------------------------- gold set: loading

PRECISIONS = {"day", "week", "month", "year", "article"}
DATE_RULES = {
    "explicit_date", "explicit_month", "explicit_year",
    "day_of_month_past", "day_of_month_future",
    "weekday_past", "weekday_future", "weekday_last", "weekday_next",
    "relative_day", "relative_week", "relative_month", "relative_year",
    "day_before", "day_after", "back_reference", "no_date",
}  # fmt: skip
PLACE_TAGS = {
    "place_met_in", "place_visit", "place_country", "place_dateline", "place_ambiguous",
    "place_none",
}  # fmt: skip
ANCHORED = {"day_before": -1, "day_after": 1, "back_reference": 0}
REQUIRED_KEYS = {
    "id", "article_date", "text", "target", "time_expr", "gold_date", "gold_precision",
    "gold_place", "gold_country", "construction",
}  # fmt: skip


def _load_gold() -> list[dict[str, Any]]:
    items = []
    with GOLD.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            assert line.strip(), f"blank line {number}"
            obj = json.loads(line)
            assert isinstance(obj, dict), f"line {number} is not an object"
            items.append(obj)
    return items


GOLD_ITEMS = _load_gold()


def _rule(item: dict[str, Any]) -> str:
    rule = item.get("time_rule", item["construction"])
    assert isinstance(rule, str)
    return rule


def test_gold_size_and_coverage() -> None:
    assert len(GOLD_ITEMS) >= 160
    counts = Counter(item["construction"] for item in GOLD_ITEMS)
    assert set(counts) == DATE_RULES | PLACE_TAGS
    thin = {tag: n for tag, n in counts.items() if n < 8}
    assert not thin, f"constructions with fewer than 8 items: {thin}"
    assert len({item["id"] for item in GOLD_ITEMS}) == len(GOLD_ITEMS)


@pytest.mark.parametrize("item", GOLD_ITEMS, ids=lambda it: str(it.get("id")))
def test_gold_item_shape(item: dict[str, Any]) -> None:
    assert set(item) >= REQUIRED_KEYS
    assert set(item) <= REQUIRED_KEYS | {"time_rule", "anchor"}
    text, target = item["text"], item["target"]
    assert isinstance(text, str) and isinstance(target, str) and target.strip()
    assert target in text
    article = date.fromisoformat(item["article_date"])
    assert item["gold_precision"] in PRECISIONS
    if item["gold_date"] is not None:
        gold = date.fromisoformat(item["gold_date"])
        precision = item["gold_precision"]
        if precision == "article":
            assert gold == article
        elif precision == "week":
            assert gold.weekday() == 0, "week precision: gold_date is that week's Monday"
        elif precision == "month":
            assert gold.day == 1
        elif precision == "year":
            assert (gold.month, gold.day) == (1, 1)
    if item["time_expr"] is not None:
        assert item["time_expr"] in text
    place, country = item["gold_place"], item["gold_country"]
    if place is not None:
        assert place.lower() in text.lower()  # datelines are in capitals
    else:
        assert country is None
    if country is not None:
        assert re.fullmatch(r"[A-Z]{3}", country)
    construction = item["construction"]
    if construction in PLACE_TAGS:
        assert item.get("time_rule") in DATE_RULES, "place items name their date rule"
    else:
        assert "time_rule" not in item
    if construction == "place_none":
        assert place is None
    elif construction in PLACE_TAGS:
        assert place is not None
    if construction == "place_dateline":
        assert re.match(rf"{re.escape(place.upper())} — ", text)
    if _rule(item) in ANCHORED:
        anchor = item.get("anchor")
        assert isinstance(anchor, dict) and anchor["expr"] in text
        assert anchor["rule"] in DATE_RULES - set(ANCHORED) - {"no_date"}
    else:
        assert "anchor" not in item


def test_gold_countries_are_iso3() -> None:
    pycountry = pytest.importorskip("pycountry")
    unknown = sorted(
        {
            item["gold_country"]
            for item in GOLD_ITEMS
            if item["gold_country"]
            and pycountry.countries.get(alpha_3=item["gold_country"]) is None
        }
    )
    assert not unknown


# ---------------------------------------------------------------- gold set: date rules

MONTHS = {calendar.month_name[i].lower(): i for i in range(1, 13)}
MONTHS.update({calendar.month_abbr[i].lower(): i for i in range(1, 13)})
MONTHS["sept"] = 9
WEEKDAYS = {calendar.day_name[i].lower(): i for i in range(7)}
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}

DAY_BEFORE_CUES = (
    "the previous evening",
    "the previous day",
    "the day before",
    "a day earlier",
    "on the eve of",
)
DAY_AFTER_CUES = ("the next day", "the following day", "the following morning", "a day later")
SAME_DAY_CUES = (
    "after the",
    "that afternoon",
    "that evening",
    "that night",
    "later that day",
    "at the same",
    "during the",
)


def _month_number(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _count(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS[word]


def _nearest(article: date, month: int, day: int) -> date:
    """The date with this month and day closest to the article date (year left implicit)."""
    options = [date(article.year + k, month, day) for k in (-1, 0, 1)]
    return min(options, key=lambda d: abs((d - article).days))


def _explicit_date(expr: str, article: date) -> date:
    day_first = re.fullmatch(
        r"(?:the )?(\d{1,2})(?:st|nd|rd|th)?(?: of)? ([A-Za-z]+\.?)(?:,? (\d{4}))?", expr
    )
    month_first = re.fullmatch(r"([A-Za-z]+\.?) (\d{1,2})(?:st|nd|rd|th)?(?:, (\d{4}))?", expr)
    if day_first:
        day, month, year = int(day_first[1]), _month_number(day_first[2]), day_first[3]
    elif month_first:
        month, day, year = _month_number(month_first[1]), int(month_first[2]), month_first[3]
    else:
        raise AssertionError(f"unparsed explicit date {expr!r}")
    return date(int(year), month, day) if year else _nearest(article, month, day)


def _explicit_month(expr: str, article: date) -> date:
    m = re.fullmatch(r"([A-Za-z]+)(?: (\d{4}))?", expr)
    assert m, expr
    month = _month_number(m[1])
    if m[2]:
        return date(int(m[2]), month, 1)
    # the occurrence of that month nearest to the article's month
    here = article.year * 12 + article.month - 1
    options = [(article.year + k) * 12 + month - 1 for k in (-1, 0, 1)]
    best = min(options, key=lambda idx: abs(idx - here))
    return date(best // 12, best % 12 + 1, 1)


def _day_of_month(expr: str, article: date, future: bool) -> date:
    m = re.search(r"(\d{1,2})(?:st|nd|rd|th)", expr)
    assert m, expr
    wanted, step = int(m[1]), timedelta(days=1 if future else -1)
    day = article + step if future else article
    for _ in range(62):
        if day.day == wanted:
            return day
        day += step
    raise AssertionError(f"no day {wanted} near {article}")


def _weekday(expr: str, article: date, rule: str) -> date:
    words = expr.lower().split()
    if words[0] == "on":  # anchors are written as "on Friday"
        words = words[1:]
    prefix = {"weekday_last": "last", "weekday_next": "next"}.get(rule)
    if prefix:
        assert len(words) == 2 and words[0] == prefix, expr
    else:
        assert len(words) == 1, f"{rule} takes a bare weekday name, not {expr!r}"
    wanted = WEEKDAYS[words[-1]]
    if rule == "weekday_past":  # on or before the article date
        return article - timedelta(days=(article.weekday() - wanted) % 7)
    if rule == "weekday_last":  # strictly before
        return article - timedelta(days=(article.weekday() - wanted) % 7 or 7)
    # weekday_future / weekday_next: strictly after
    return article + timedelta(days=(wanted - article.weekday()) % 7 or 7)


def _relative(expr: str, article: date, unit: str) -> date:
    e = expr.lower()
    if unit == "day":
        fixed = {
            "today": 0,
            "yesterday": -1,
            "tomorrow": 1,
            "the day before yesterday": -2,
            "the day after tomorrow": 2,
        }
        if e in fixed:
            return article + timedelta(days=fixed[e])
        if m := re.fullmatch(r"(\w+) days ago", e):
            return article - timedelta(days=_count(m[1]))
        if m := re.fullmatch(r"in (\w+) days", e):
            return article + timedelta(days=_count(m[1]))
        raise AssertionError(f"unparsed relative day {expr!r}")
    shifts = {
        f"last {unit}": -1,
        f"this {unit}": 0,
        f"earlier this {unit}": 0,
        f"later this {unit}": 0,
        f"next {unit}": 1,
    }
    if unit == "week":
        if e in shifts:
            return _monday(article) + timedelta(weeks=shifts[e])
        if m := re.fullmatch(r"(\w+) weeks ago", e):
            return _monday(article - timedelta(weeks=_count(m[1])))
        if m := re.fullmatch(r"in (\w+) weeks", e):
            return _monday(article + timedelta(weeks=_count(m[1])))
        raise AssertionError(f"unparsed relative week {expr!r}")
    if unit == "month":
        return _add_months(article, shifts[e])
    return date(article.year + shifts[e], 1, 1)


PRECISION_OF = {
    "explicit_date": "day", "explicit_month": "month", "explicit_year": "year",
    "day_of_month_past": "day", "day_of_month_future": "day",
    "weekday_past": "day", "weekday_future": "day", "weekday_last": "day", "weekday_next": "day",
    "relative_day": "day", "relative_week": "week", "relative_month": "month",
    "relative_year": "year", "no_date": "article",
}  # fmt: skip


def resolve(rule: str, expr: str | None, article: date) -> tuple[date, str]:
    """Recompute (date, precision) for a non-anchored rule from its time expression."""
    if rule == "no_date":
        assert expr is None
        return article, "article"
    assert expr is not None
    if rule == "explicit_date":
        value = _explicit_date(expr, article)
    elif rule == "explicit_month":
        value = _explicit_month(expr, article)
    elif rule == "explicit_year":
        m = re.fullmatch(r"(?:in )?(\d{4})", expr)
        assert m, expr
        value = date(int(m[1]), 1, 1)
    elif rule.startswith("day_of_month_"):
        value = _day_of_month(expr, article, future=rule.endswith("future"))
    elif rule.startswith("weekday_"):
        value = _weekday(expr, article, rule)
    elif rule.startswith("relative_"):
        value = _relative(expr, article, rule.removeprefix("relative_"))
    else:
        raise AssertionError(f"unknown rule {rule}")
    return value, PRECISION_OF[rule]


def expected(item: dict[str, Any]) -> tuple[date, str]:
    """The gold (date, precision) an item's rule gives, anchors included."""
    article = date.fromisoformat(item["article_date"])
    rule = _rule(item)
    if rule in ANCHORED:
        cue = item["time_expr"].lower()
        cues = {
            "day_before": DAY_BEFORE_CUES,
            "day_after": DAY_AFTER_CUES,
            "back_reference": SAME_DAY_CUES,
        }[rule]
        assert cue.startswith(cues), f"{cue!r} is not a {rule} cue"
        anchor, precision = resolve(item["anchor"]["rule"], item["anchor"]["expr"], article)
        return anchor + timedelta(days=ANCHORED[rule]), precision
    return resolve(rule, item["time_expr"], article)


@pytest.mark.parametrize("item", GOLD_ITEMS, ids=lambda it: str(it.get("id")))
def test_gold_date_matches_rule(item: dict[str, Any]) -> None:
    value, precision = expected(item)
    assert item["gold_precision"] == precision
    assert item["gold_date"] == value.isoformat()


@pytest.mark.parametrize(
    "item",
    [it for it in GOLD_ITEMS if _rule(it) in {"weekday_last", "weekday_next"}],
    ids=lambda it: str(it.get("id")),
)
def test_last_next_weekday_unambiguous(item: dict[str, Any]) -> None:
    # "last Friday" / "next Tuesday" are kept only where both common readings agree:
    # nearest such day before/after, and that day in the previous/next ISO week.
    article = date.fromisoformat(item["article_date"])
    wanted = WEEKDAYS[item["time_expr"].split()[-1].lower()]
    step = -1 if _rule(item) == "weekday_last" else 1
    other = _monday(article) + timedelta(weeks=step, days=wanted)
    assert item["gold_date"] == other.isoformat()


def test_resolver_edge_cases() -> None:
    # hand-checked calendar facts the resolver must reproduce
    assert resolve("day_of_month_past", "the 29th", date(2020, 3, 2))[0] == date(2020, 2, 29)
    assert resolve("day_of_month_past", "the 18th", date(2021, 3, 18))[0] == date(2021, 3, 18)
    assert resolve("day_of_month_future", "the 5th", date(2023, 12, 22))[0] == date(2024, 1, 5)
    assert resolve("weekday_past", "Friday", date(2024, 1, 1))[0] == date(2023, 12, 29)
    assert resolve("weekday_last", "last Monday", date(2024, 1, 1))[0] == date(2023, 12, 25)
    assert resolve("weekday_next", "next Monday", date(2024, 1, 1))[0] == date(2024, 1, 8)
    assert resolve("relative_week", "last week", date(2021, 1, 3))[0] == date(2020, 12, 21)
    assert resolve("relative_month", "last month", date(2022, 1, 31))[0] == date(2021, 12, 1)
    assert resolve("explicit_date", "December 30", date(2021, 1, 4))[0] == date(2020, 12, 30)
    assert resolve("explicit_month", "January", date(2020, 12, 10))[0] == date(2021, 1, 1)
