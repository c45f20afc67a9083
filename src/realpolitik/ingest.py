"""Read inputs into :class:`~realpolitik.records.Article`.

Inputs are text files (with optional ``.meta.json``), JSONL (``.jsonl``, ``.jsonl.gz``,
``.ndjson``; streamed line by line, so a file larger than memory is fine), Parquet (one row per
article, read in record batches), HTML pages (main text extracted with trafilatura),
directories (read recursively) and ``-`` for stdin.

Reading never stops at the first bad input: :func:`read_articles` yields an
:class:`~realpolitik.errors.InputError` in place of each input it cannot use and goes on.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import stat
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
    WrongType,
    printable,
)
from .records import Article

InputFormat = Literal["auto", "text", "jsonl", "parquet", "html"]
INPUT_FORMATS: tuple[str, ...] = ("auto", "text", "jsonl", "parquet", "html")
# What a directory walk picks up; anything else in a directory (images, .meta.json) is ignored.
_SUFFIXES = (".txt", ".jsonl", ".jsonl.gz", ".ndjson", ".parquet", ".html", ".htm")
_PARQUET_BATCH = 1024
JSONL_FIELDS = '{"id", "text"} ("date", "source" or "publisher", "title", "hints" are optional)'
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


# A few NUL bytes in text are damage (sanitised, and reported, by Article); many NULs or other
# control bytes mean a binary or UTF-16 file, which would decode as garbage.
_BINARY_NUL_SHARE = 0.3  # UTF-16 text of Latin script is ~50% NULs
_BINARY_CONTROL_SHARE = 0.1
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20)])


def _looks_binary(head: bytes) -> bool:
    if not head or b"\x00" not in head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return head.count(b"\x00") > _BINARY_NUL_SHARE * len(
        head
    ) or controls > _BINARY_CONTROL_SHARE * len(head)


def _decode(data: bytes, path: str) -> str:
    if _looks_binary(data[:8192]):
        raise BinaryInput(
            "looks like a binary (or UTF-16) file: many NUL bytes, not UTF-8 text",
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
    where = f"{path} (metadata)"
    article_date = date or _meta_str(meta, "date", where)
    if article_date is not None:
        check_date(article_date, where=path)
    stem = (
        printable(Path(path).name.removesuffix(".txt"))
        if path != "-"
        else f"stdin-{content_hash(text)}"
    )
    raw_id = meta.get("id")
    return Article(
        id=str(raw_id) if raw_id not in (None, "") else stem,
        text=text,
        date=article_date,
        source=_meta_str(meta, "source", where),
        title=_meta_str(meta, "title", where),
    )


def _meta_str(meta: dict[str, Any], key: str, where: str) -> str | None:
    value = meta.get(key)
    if value is None or isinstance(value, str):
        return value
    raise WrongType(
        f'field "{key}" must be a string, not {type(value).__name__} ({value!r:.40})',
        path=where,
        hint='write {"id": ..., "date": "YYYY-MM-DD", "source": ..., "title": ...} with strings',
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
        # the news SPEC's articles.jsonl names the publisher "publisher"
        source=_opt_str(obj, "source", path, line) or _opt_str(obj, "publisher", path, line),
        title=_opt_str(obj, "title", path, line),
        hints=hints,
    )


def _jsonl_lines(data: str, path: str, date: str | None) -> Iterator[Article | InputError]:
    for number, raw in enumerate(data.splitlines(), start=1):
        if raw.strip():
            yield from _jsonl_object(raw, path, number, date)


def _is_jsonl(path: str, input_format: InputFormat) -> bool:
    if input_format != "auto":
        return input_format == "jsonl"
    return path.endswith((".jsonl", ".jsonl.gz", ".ndjson"))


def _format_of(path: str, input_format: InputFormat) -> InputFormat:
    """The format to read ``path`` with: the explicit one, else guessed from the name."""
    if input_format != "auto":
        return input_format
    if _is_jsonl(path, "auto"):
        return "jsonl"
    if path.endswith(".parquet"):
        return "parquet"
    if path.endswith((".html", ".htm")):
        return "html"
    return "text"


def _stream_jsonl(path: str, date: str | None) -> Iterator[Article | InputError]:
    """Read a JSONL file (optionally gzipped) one line at a time, checking each line."""
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            head = fh.read(8192)
            # A binary file is flagged once, not per "line"; a stray NUL fails only its line.
            if _looks_binary(head):
                yield BinaryInput(
                    "looks like a binary file (many NUL bytes), not JSONL",
                    path=path,
                    hint="pass UTF-8 JSONL, one JSON object per line",
                )
                return
            fh.seek(0)
            for number, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                try:
                    line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    yield EncodingError(
                        f"invalid UTF-8 at byte {exc.start} of the line",
                        path=path,
                        line=number,
                        hint="re-encode the file as UTF-8",
                    )
                    continue
                yield from _jsonl_object(line, path, number, date)
    except FileNotFoundError:
        yield InputError(
            "no such file or directory", path=path, hint="check the path and try again"
        )
    except PermissionError:
        yield InputError("permission denied", path=path, hint="make the file readable (chmod +r)")
    except (OSError, EOFError) as exc:  # truncated or corrupt gzip stream, I/O error
        yield InputError(
            f"cannot read: {exc}", path=path, hint="check that the file is complete (and gzip)"
        )


def _jsonl_object(
    raw: str, path: str, number: int, date: str | None
) -> Iterator[Article | InputError]:
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        yield MalformedLine(
            f"not valid JSON ({exc.msg} at column {exc.colno})",
            path=path,
            line=number,
            hint=f"each line must be one JSON object with {JSONL_FIELDS}",
        )
        return
    try:
        yield article_from_json(obj, path=path, line=number, date=date)
    except InputError as err:
        yield err


def _plain(value: Any) -> Any:
    """Parquet cells as JSON-like values: dates as ISO strings, everything else unchanged."""
    if isinstance(value, date_type):
        return value.isoformat()[:10]
    return value


def _read_parquet(path: str, date: str | None) -> Iterator[Article | InputError]:
    """One article per Parquet row (columns as in JSONL), read in record batches."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pfile = pq.ParquetFile(path)
        wanted = [
            c
            for c in ("id", "text", "date", "source", "title", "hints")
            if c in pfile.schema_arrow.names
        ]
        batches = pfile.iter_batches(batch_size=_PARQUET_BATCH, columns=wanted)
        row = 0
        for batch in batches:
            for obj in batch.to_pylist():
                row += 1
                cleaned = {k: _plain(v) for k, v in obj.items()}
                if isinstance(cleaned.get("hints"), dict):
                    cleaned["hints"] = {k: v for k, v in cleaned["hints"].items() if v is not None}
                if cleaned.get("id") is not None and not isinstance(cleaned["id"], str):
                    cleaned["id"] = str(cleaned["id"])
                try:
                    yield article_from_json(cleaned, path=path, line=row, date=date)
                except InputError as err:
                    yield err
    except FileNotFoundError:
        yield InputError(
            "no such file or directory", path=path, hint="check the path and try again"
        )
    except (OSError, pa.ArrowException) as exc:
        yield InputError(
            f"cannot read as Parquet: {exc}",
            path=path,
            hint='write one row per article with columns "id", "text" and optionally '
            '"date", "source", "title"',
        )


def article_from_html(
    html: str, *, path: str, meta: dict[str, Any] | None = None, date: str | None = None
) -> Article:
    """Build an article from an HTML page: main text and metadata extracted by trafilatura.

    ``.meta.json`` values win over what trafilatura finds in the page; ``date`` wins over both.
    """
    import trafilatura

    meta = meta or {}
    found = trafilatura.extract(
        html,
        url=meta.get("url"),
        output_format="json",
        with_metadata=True,
        include_comments=False,
        include_tables=False,
    )
    data: dict[str, Any] = json.loads(found) if found else {}
    text = data.get("text") or ""
    if not text.strip():
        raise EmptyInput(
            "no article text found in the HTML page",
            path=path,
            hint="check that the page holds the article itself (not a list of links or a login "
            "wall), or pass the text as a .txt file",
        )
    extracted_date = data.get("date")
    if extracted_date and not _DATE_RE.match(str(extracted_date)):
        extracted_date = None
    stem = Path(path).name
    for suffix in (".html", ".htm"):
        stem = stem.removesuffix(suffix)
    merged = {
        "id": meta.get("id") or stem,
        "date": meta.get("date") or extracted_date,
        "source": meta.get("source") or data.get("source-hostname") or data.get("hostname"),
        "title": meta.get("title") or data.get("title"),
    }
    return article_from_text(text, path=path, meta=merged, date=date)


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


_KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def _not_readable(path: str) -> InputError | None:
    """Why ``path`` must not be opened (checked with ``stat``, never by opening), or None."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.lexists(path):
            return InputError(
                f"broken symbolic link (to {printable(os.readlink(path))})",
                path=path,
                hint="fix or remove the link",
            )
        return InputError("no such file or directory", path=path, hint="check the path")
    except PermissionError:
        return InputError("permission denied", path=path, hint="make it readable (chmod +r)")
    except OSError as exc:
        return InputError(f"cannot stat: {exc.strerror}", path=path, hint="check the path")
    if stat.S_ISREG(info.st_mode):
        return None
    kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
    return InputError(
        f"is {kind}, not a regular file: refused without reading it",
        path=path,
        hint="pass regular files, or pipe the text on stdin with `-`",
    )


def _walk(folder: str, seen: set[str] | None = None) -> Iterator[str | InputError]:
    """Input files under ``folder``, sorted; what cannot be listed or used is reported.

    Linked folders are followed once each (``seen`` holds the real paths already walked).
    """
    seen = seen if seen is not None else set()
    real = os.path.realpath(folder)
    if real in seen:
        return
    seen.add(real)
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except PermissionError:
        yield InputError(
            "permission denied: cannot list the directory",
            path=folder,
            hint="make it readable (chmod +rx) or leave it out",
        )
        return
    except OSError as exc:
        yield InputError(
            f"cannot list the directory: {exc.strerror}", path=folder, hint="check the path"
        )
        return
    for entry in entries:
        child = os.path.join(folder, entry.name)
        try:
            is_dir = entry.is_dir()  # follows symbolic links
        except OSError:
            is_dir = False
        if is_dir:
            found = False
            for item in _walk(child, seen):
                found = True
                yield item
            if not found and entry.name.endswith(_SUFFIXES):
                yield InputError(
                    "is a directory named like an input file, with no input files in it",
                    path=child,
                    hint="rename or remove it",
                )
        elif entry.name.endswith(_SUFFIXES) and not entry.name.endswith(".meta.json"):
            yield child


def _expand(paths: Iterable[str]) -> Iterator[str | InputError]:
    for p in paths:
        if p != "-" and os.path.isdir(p):
            yield from _walk(p)
        else:
            yield p


def read_articles(
    paths: Iterable[str], *, input_format: InputFormat = "auto", date: str | None = None
) -> Iterator[Article | InputError]:
    """Yield one :class:`Article` per input article, or an :class:`InputError` where one fails.

    A text file is one article (metadata from ``PATH.meta.json`` or ``STEM.meta.json``);
    a ``.jsonl``/``.jsonl.gz`` file (or any file with ``input_format="jsonl"``) has one article
    per line; a ``.parquet`` file one per row (columns ``id``, ``text``, ``date``, ``source``,
    ``title``); an ``.html``/``.htm`` page is one article whose main text trafilatura extracts;
    a directory is read recursively; ``-`` is stdin. ``date`` overrides every article's date.
    """
    if date is not None:
        check_date(date, where="--date", field="--date")
    for path in _expand(paths):
        if isinstance(path, InputError):
            yield path
            continue
        refused = _not_readable(path) if path != "-" else None
        if refused is not None:
            yield refused
            continue
        fmt = _format_of(path, input_format) if path != "-" else input_format
        if fmt == "jsonl" and path != "-":
            yield from _stream_jsonl(path, date)
            continue
        if fmt == "parquet":
            if path == "-":
                yield InputError(
                    "Parquet cannot be read from stdin", path=path, hint="pass the file's path"
                )
            else:
                yield from _read_parquet(path, date)
            continue
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
            if fmt == "html":
                yield article_from_html(text, path=path, meta=meta, date=date)
            else:
                yield article_from_text(text, path=path, meta=meta, date=date)
        except InputError as err:
            yield err
