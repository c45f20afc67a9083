"""The one list of role nouns and titles (actors/data/roles.tsv) and its readers."""

from __future__ import annotations

from pathlib import Path

import pytest

from realpolitik.actors.roles import load_roles, role_words
from realpolitik.errors import DictionaryError


def test_role_list_rejects_a_row_without_known_uses(tmp_path: Path) -> None:
    path = tmp_path / "roles.tsv"
    path.write_text("word\tuses\nminister\tspeaker,title\nenvoy\tspeeker\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"line 3 of .*roles.tsv.*envoy"):
        load_roles(str(path))


def test_role_list_gives_each_use_its_words(tmp_path: Path) -> None:
    path = tmp_path / "roles.tsv"
    path.write_text("# c\nword\tuses\nMinister\tspeaker,title\nhead\tdescription\n")
    assert load_roles(str(path)) == {
        "speaker": {"minister"},
        "title": {"minister"},
        "description": {"head"},
    }


def test_packaged_list_feeds_names_quotes_and_attribution() -> None:
    from realpolitik.actors.names import _TITLE_WORDS
    from realpolitik.quotes.attribution import _is_anaphor
    from realpolitik.quotes.speakers import _PERSON_ROLES

    assert role_words("title") == _TITLE_WORDS
    assert role_words("speaker") == _PERSON_ROLES
    # "spokes*" in the list: any ending.
    assert _is_anaphor("the spokeswoman") and _is_anaphor("The foreign minister")
    assert not _is_anaphor("the farmer")
    with pytest.raises(ValueError, match="unknown use"):
        role_words("speakers")
