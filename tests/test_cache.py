"""The on-disk cache of built tables: reused while the sources are unchanged, rebuilt after."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from realpolitik.cache import cached_build, dumps


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("REALPOLITIK_CACHE", str(where))
    return where


def _counting(calls: list[int], value: dict[str, int]) -> Callable[[], dict[str, int]]:
    def build() -> dict[str, int]:
        calls.append(1)
        return dict(value)

    return build


def test_second_build_is_read_from_disk(folder: Path, tmp_path: Path) -> None:
    source = tmp_path / "table.tsv"
    source.write_text("a\t1\n", encoding="utf-8")
    calls: list[int] = []
    first = cached_build("t", [source], _counting(calls, {"a": 1}), dict)
    second = cached_build("t", [source], _counting(calls, {"a": 1}), dict)
    assert first == second
    assert len(calls) == 1
    assert len(list(folder.glob("t-*.pickle"))) == 1


def test_edited_source_rebuilds(folder: Path, tmp_path: Path) -> None:
    source = tmp_path / "table.tsv"
    source.write_text("a\t1\n", encoding="utf-8")
    calls: list[int] = []
    cached_build("t", [source], _counting(calls, {"a": 1}), dict)
    source.write_text("a\t2\n", encoding="utf-8")
    again = cached_build("t", [source], _counting(calls, {"a": 2}), dict)
    assert again == {"a": 2}
    assert len(calls) == 2


def test_damaged_or_wrong_cache_is_rebuilt(folder: Path, tmp_path: Path) -> None:
    source = tmp_path / "table.tsv"
    source.write_text("x", encoding="utf-8")
    calls: list[int] = []
    cached_build("t", [source], _counting(calls, {"a": 1}), dict)
    (target,) = folder.glob("t-*.pickle")
    target.write_bytes(b"not a pickle")
    assert cached_build("t", [source], _counting(calls, {"a": 1}), dict) == {"a": 1}
    assert cached_build("t", [source], _counting(calls, {"a": 1}), list) == {"a": 1}
    assert len(calls) == 3


def test_none_turns_the_cache_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("REALPOLITIK_CACHE", "none")
    source = tmp_path / "table.tsv"
    source.write_text("x", encoding="utf-8")
    calls: list[int] = []
    cached_build("t", [source], _counting(calls, {"a": 1}), dict)
    cached_build("t", [source], _counting(calls, {"a": 1}), dict)
    assert len(calls) == 2


@dataclass(frozen=True, slots=True)
class _Frozen:
    name: str
    values: tuple[int, ...]
    note: str | None = None


def test_slotted_frozen_dataclasses_round_trip() -> None:
    value = {"a": [_Frozen("x", (1, 2)), _Frozen("y", (), note="n")], "b": (_Frozen("z", (3,)),)}
    back = pickle.loads(dumps(value))
    assert back == value
    assert type(back["a"][0]) is _Frozen


def test_place_gazetteer_round_trip_keeps_lookups() -> None:
    from realpolitik.places import Gazetteer, PlaceEntry

    g = Gazetteer()
    paris = PlaceEntry("Paris", "FRA", 48.85, 2.35, "city", 2_138_551, capital=True)
    texas = PlaceEntry("Paris", "USA", 33.66, -95.56, "city", 24_782, admin1="TX")
    g.add(paris, ["Paris", "City of Light"])
    g.add(texas, ["Paris"])
    back = pickle.loads(dumps(g))
    assert back.lookup("Paris") == [paris, texas]
    assert back.lookup("city of light") == [paris]
    assert back.lookup("Paris")[0] is back.lookup("Paris")[0]  # one object per entry
    assert list(back.entries) == [paris, texas]


def test_packaged_dictionary_is_cached_with_its_indexes(folder: Path) -> None:
    from realpolitik.actors.dictionary import _packaged_dictionary

    first = _packaged_dictionary()  # built, then written
    (target,) = folder.glob("actor-dictionary-*.pickle")
    second = _packaged_dictionary()  # read back
    assert second is not first and len(second) == len(first) > 1000
    person = first.people[0]
    assert second.lookup(person.name) == first.lookup(person.name)
    assert target.stat().st_size > 0
