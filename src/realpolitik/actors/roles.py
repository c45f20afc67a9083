"""Role nouns and titles: one list (``data/roles.tsv``) for every stage that reads them.

Each row names a word and its uses: ``speaker`` ("the minister said" stands for a person
named earlier), ``description`` (a speaker phrase such as "the foreign minister" names no one
by itself) and ``title`` (a word of a person's name that is not a name part: "President").
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from realpolitik.errors import DictionaryError

__all__ = ["ROLE_USES", "load_roles", "role_words"]

ROLE_USES = frozenset({"speaker", "description", "title"})


def _path() -> Path:
    return Path(str(resources.files("realpolitik").joinpath("actors/data/roles.tsv")))


@lru_cache(maxsize=4)
def load_roles(path: str | None = None) -> dict[str, frozenset[str]]:
    """Use -> words, from a roles TSV (default: the packaged ``actors/data/roles.tsv``).

    Columns: ``word`` and ``uses`` (comma-separated subset of speaker, description, title);
    lines starting with ``#`` are comments.
    """
    source = Path(path) if path else _path()
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DictionaryError(
            f"{source}: cannot read the role list ({exc})",
            hint="give a UTF-8 TSV file with the columns word and uses",
        ) from None
    words: dict[str, set[str]] = {use: set() for use in ROLE_USES}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#") or raw.startswith("word\t"):
            continue
        cols = raw.split("\t")
        uses = {u.strip() for u in cols[1].split(",")} if len(cols) == 2 else set()
        if not cols[0].strip() or not uses or not uses <= ROLE_USES:
            raise DictionaryError(
                f"line {number} of {source}: expected a word and its uses, got {raw!r}",
                hint=f"write WORD<TAB>USES with USES a comma-separated subset of "
                f"{', '.join(sorted(ROLE_USES))}",
            )
        for use in uses:
            words[use].add(cols[0].strip().lower())
    return {use: frozenset(found) for use, found in words.items()}


def role_words(use: str) -> frozenset[str]:
    """The words of ``data/roles.tsv`` with this use (speaker, description or title)."""
    if use not in ROLE_USES:
        raise ValueError(f"unknown use {use!r}; one of {sorted(ROLE_USES)}")
    return load_roles()[use]
