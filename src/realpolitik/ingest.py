"""Read inputs (text files, directories, JSONL, stdin) into :class:`~realpolitik.records.Article`.

Reading never stops at the first bad input: :func:`read_articles` yields an
:class:`~realpolitik.errors.InputError` in place of each input it cannot use and goes on.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import date as date_type
from pathlib import Path
from typing import Any, Literal

from .errors import (
    BinaryInput,
    EmptyInput,
    EncodingError,
    InputError,
    MalformedLine,
    MissingField,
)
from .records import Article

InputFormat = Literal["auto", "text", "jsonl"]
JSONL_FIELDS = '{"id", "text"} ("date", "source", "title", "hints" are optional)'
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def content_hash(text: str) -> str:
    """The identity of an article's content: re-ingesting the same text adds nothing."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def check_date(value: str, *, where: str, field: str = "date") -> str:
    """Return ``value`` if it is an ISO date, else raise :class:`InputError`."""
    try:
        if not _DATE_RE.match(value):
            raise ValueError
        date_type.fromisoformat(value)
    except ValueError:
        raise MissingField(
            f'field "{field}" is {value!r}, not a date',
            path=where,
            hint="write dates as YYYY-MM-DD, e.g. 2021-03-19",
        ) from None
    return value


def _decode(data: bytes, path: str) -> str:
    if b"\x00" in data[:8192]:
        raise BinaryInput(
            "looks like a binary file (it contains NUL bytes), not text",
            path=path,
            hint="pass plain-text articles (UTF-8) or JSONL with --input-format jsonl",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EncodingError(
            f"invalid UTF-8 at byte {exc.start} (line {line})",
            path=path,
            hint="re-encode the file as UTF-8, e.g. `iconv -f latin1 -t utf-8 FILE > FILE.utf8`",
        ) from None


def _read_meta(path: Path) -> dict[str, Any]:
    for candidate in (Path(f"{path}.meta.json"), path.with_suffix(".meta.json")):
        if candidate.is_file():
            try:
                meta = json.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise InputError(
                    f"cannot read metadata: {exc}",
                    path=str(candidate),
                    hint='the .meta.json file must be a JSON object like {"id", "date", "source", '
                    '"title"}',
                ) from None
            if not isinstance(meta, dict):
                raise InputError(
                    "metadata is not a JSON object",
                    path=str(candidate),
                    hint='write {"id": ..., "date": "YYYY-MM-DD", "source": ..., "title": ...}',
                )
            return meta
    return {}


def _opt_str(obj: dict[str, Any], key: str, where: str, line: int | None) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise MissingField(
            f'field "{key}" must be a string, not {type(value).__name__}',
            path=where,
            line=line,
            hint=f"each line needs {JSONL_FIELDS}",
        )
    return value


def article_from_text(
    text: str, *, path: str, meta: dict[str, Any] | None = None, date: str | None = None
) -> Article:
    """Build an article from one text file's contents and its metadata."""
    meta = meta or {}
    if not text.strip():
        raise EmptyInput(
            "the file is empty", path=path, hint="remove it from the input or add the article text"
        )
    article_date = date or meta.get("date")
    if article_date is not None:
        check_date(str(article_date), where=path)
    stem = Path(path).name.removesuffix(".txt") if path != "-" else f"stdin-{content_hash(text)}"
    return Article(
        id=str(meta.get("id") or stem),
        text=text,
        date=article_date,
        source=meta.get("source"),
        title=meta.get("title"),
    )


def article_from_json(obj: Any, *, path: str, line: int, date: str | None = None) -> Article:
    """Build an article from one decoded JSONL line."""
    if not isinstance(obj, dict):
        raise MalformedLine(
            f"expected a JSON object, got {type(obj).__name__}",
            path=path,
            line=line,
            hint=f"each line needs {JSONL_FIELDS}",
        )
    text = obj.get("text")
    if text is None:
        raise MissingField(
            'field "text" is missing',
            path=path,
            line=line,
            hint=f"each line needs {JSONL_FIELDS}",
        )
    if not isinstance(text, str):
        raise MissingField(
            f'field "text" must be a string, not {type(text).__name__}',
            path=path,
            line=line,
            hint=f"each line needs {JSONL_FIELDS}",
        )
    if not text.strip():
        raise EmptyInput(
            'field "text" is empty', path=path, line=line, hint="drop the line or add the text"
        )
    raw_id = obj.get("id")
    art_id = str(raw_id) if raw_id is not None else f"{Path(path).name}:{line}"
    art_date = date or _opt_str(obj, "date", path, line)
    if art_date is not None:
        try:
            check_date(art_date, where=path)
        except InputError:
            raise MissingField(
                f'field "date" is {art_date!r}, not a date',
                path=path,
                line=line,
                hint="write dates as YYYY-MM-DD, e.g. 2021-03-19",
            ) from None
    hints = obj.get("hints")
    if hints is not None and not (
        isinstance(hints, dict) and all(isinstance(v, str) for v in hints.values())
    ):
        raise MissingField(
            'field "hints" must be an object of strings',
            path=path,
            line=line,
            hint='write "hints": {"source": "...", "target": "..."}',
        )
    return Article(
        id=art_id,
        text=text,
        date=art_date,
        source=_opt_str(obj, "source", path, line),
        title=_opt_str(obj, "title", path, line),
        hints=hints,
    )


def _jsonl_lines(data: str, path: str, date: str | None) -> Iterator[Article | InputError]:
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield MalformedLine(
                f"not valid JSON ({exc.msg} at column {exc.colno})",
                path=path,
                line=number,
                hint=f"each line must be one JSON object with {JSONL_FIELDS}",
            )
            continue
        try:
            yield article_from_json(obj, path=path, line=number, date=date)
        except InputError as err:
            yield err


def _is_jsonl(path: str, input_format: InputFormat) -> bool:
    if input_format != "auto":
        return input_format == "jsonl"
    return path.endswith((".jsonl", ".jsonl.gz", ".ndjson"))


def _read_bytes(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    data = Path(path).read_bytes()
    if path.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputError(
                f"cannot decompress: {exc}", path=path, hint="check that the file is gzip"
            ) from None
    return data


def _expand(paths: Iterable[str]) -> Iterator[str]:
    for p in paths:
        path = Path(p)
        if p != "-" and path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.name.endswith((".txt", ".jsonl", ".jsonl.gz")):
                    yield str(child)
        else:
            yield p


def read_articles(
    paths: Iterable[str], *, input_format: InputFormat = "auto", date: str | None = None
) -> Iterator[Article | InputError]:
    """Yield one :class:`Article` per input article, or an :class:`InputError` where one fails.

    A text file is one article (metadata from ``PATH.meta.json`` or ``STEM.meta.json``);
    a ``.jsonl`` file (or any file with ``input_format="jsonl"``) has one article per line;
    a directory is read recursively; ``-`` is stdin. ``date`` overrides every article's date.
    """
    if date is not None:
        check_date(date, where="--date", field="--date")
    for path in _expand(paths):
        try:
            data = _read_bytes(path)
        except FileNotFoundError:
            yield InputError(
                "no such file or directory", path=path, hint="check the path and try again"
            )
            continue
        except PermissionError:
            yield InputError(
                "permission denied", path=path, hint="make the file readable (chmod +r)"
            )
            continue
        except InputError as err:
            yield err
            continue
        except OSError as exc:
            yield InputError(f"cannot read: {exc.strerror}", path=path, hint="check the path")
            continue
        try:
            text = _decode(data, path)
        except InputError as err:
            yield err
            continue
        if _is_jsonl(path, input_format):
            yield from _jsonl_lines(text, path, date)
            continue
        try:
            meta = _read_meta(Path(path)) if path != "-" else {}
            yield article_from_text(text, path=path, meta=meta, date=date)
        except InputError as err:
            yield err
