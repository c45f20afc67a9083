import gzip
import json
from pathlib import Path

import pytest

from realpolitik.errors import (
    BinaryInput,
    EmptyInput,
    EncodingError,
    InputError,
    MalformedLine,
    MissingField,
)
from realpolitik.ingest import content_hash, read_articles
from realpolitik.records import Article


def _read(paths: list[str], **kw: object) -> list[Article | InputError]:
    return list(read_articles(paths, **kw))  # type: ignore[arg-type]


def test_text_file_with_meta(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Japan criticized China.", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(
        json.dumps({"id": "x1", "date": "2021-03-19", "source": "Wire", "title": "T"})
    )
    [art] = _read([str(tmp_path / "a.txt")])
    assert isinstance(art, Article)
    assert (art.id, art.date, art.source, art.title) == ("x1", "2021-03-19", "Wire", "T")


def test_date_option_overrides_meta(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    (tmp_path / "a.txt.meta.json").write_text(json.dumps({"date": "2020-01-01"}))
    [art] = _read([str(tmp_path / "a.txt")], date="2022-02-02")
    assert isinstance(art, Article) and art.date == "2022-02-02"


def test_bad_inputs_are_reported_and_the_rest_kept(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Japan criticized China.", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02abc")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\u00e9\nna\u00efve".encode("latin-1"))
    missing = tmp_path / "missing.txt"
    items = _read([str(empty), str(binary), str(latin), str(missing), str(good)])
    kinds = [type(i) for i in items]
    assert kinds == [EmptyInput, BinaryInput, EncodingError, InputError, Article]
    enc = items[2]
    assert isinstance(enc, EncodingError)
    assert "latin.txt" in str(enc) and "line 1" in str(enc) and "Hint:" in str(enc)
    assert "no such file" in str(items[3])


def test_jsonl_lines_each_checked(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "Japan met China.", "date": "2021-01-02"}),
        "{not json",
        json.dumps({"id": "b"}),
        json.dumps([1, 2]),
        json.dumps({"id": "c", "text": 5}),
        json.dumps({"id": "d", "text": "ok", "date": "March 3"}),
        "",
        json.dumps({"text": "No id here.", "hints": {"source": "Japan", "target": "China"}}),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    items = _read([str(path)])
    assert [type(i) for i in items] == [
        Article,
        MalformedLine,
        MissingField,
        MalformedLine,
        MissingField,
        MissingField,
        Article,
    ]
    missing = items[2]
    assert isinstance(missing, MissingField)
    assert missing.line == 3 and '"text" is missing' in str(missing)
    assert "line 6 of" in str(items[5]) and "YYYY-MM-DD" in str(items[5])
    last = items[-1]
    assert isinstance(last, Article)
    assert last.id == "in.jsonl:8" and last.hints == {"source": "Japan", "target": "China"}


def test_gzipped_jsonl_and_directories(tmp_path: Path) -> None:
    data = json.dumps({"id": "g", "text": "Russia warned NATO."}) + "\n"
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.jsonl.gz").write_bytes(gzip.compress(data.encode()))
    (tmp_path / "b.txt").write_text("Text B.", encoding="utf-8")
    ids = [i.id for i in _read([str(tmp_path)]) if isinstance(i, Article)]
    assert ids == ["b", "g"]


def test_content_hash_is_stable_and_content_based() -> None:
    assert content_hash("abc") == content_hash("abc")
    assert content_hash("abc") != content_hash("abd")


def test_bad_date_option_raises_clear_error() -> None:
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        _read([], date="19/03/2021")
