"""realpolitik's records on a spaCy ``Doc`` that travels: bytes, DocBin, worker processes, JSON.

The components leave typed records (:mod:`realpolitik.records`) in ``doc._.rp_*``. spaCy
serialises ``doc.user_data`` with srsly's msgpack, which knows no dataclasses; registering
:func:`encode_record` and :func:`decode_record` with srsly (at import, and through the
``srsly_msgpack_encoders`` / ``srsly_msgpack_decoders`` entry points) makes every record a
tagged map in the bytes and a record again when read back. So ``doc.to_bytes()``,
``DocBin(store_user_data=True)`` and ``nlp.pipe(texts, n_process=2)`` keep the records, typed.

``doc.to_json(underscore=[...])`` needs JSON values: ``doc._.rp_json`` is everything the
components found as plain dicts and lists (the same fields as the records, untagged), so
``doc.to_json(underscore=["rp_json"])`` works.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import srsly

if TYPE_CHECKING:  # srsly loads this module through its entry points while spaCy is importing
    from spacy.tokens import Doc

from .records import (
    Actor,
    Article,
    Event,
    Mention,
    Participant,
    Place,
    Quote,
    Relation,
    Span,
    StageError,
)

TAG = "__rp__"  # the key that marks a map as a record in the msgpack bytes
RECORDS: dict[str, type] = {
    cls.__name__: cls
    for cls in (Article, Span, Mention, Actor, Participant, Place, Event, Quote, Relation)
}
RECORDS["StageError"] = StageError
DOC_FIELDS = ("article", "mentions", "actors", "quotes", "events", "relations", "errors")


def encode_record(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    """msgpack ``default`` hook: a record becomes ``{"__rp__": class name, field: value}``."""
    cls = type(obj)
    if RECORDS.get(cls.__name__) is cls:
        out: dict[str, Any] = {TAG: cls.__name__}
        for f in dataclasses.fields(obj):
            out[f.name] = getattr(obj, f.name)  # nested records come back through this hook
        return out
    return obj if chain is None else chain(obj)


def decode_record(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    """msgpack ``object_hook``: a tagged map becomes its record again (inner maps first)."""
    if isinstance(obj, dict) and TAG in obj:
        cls = RECORDS.get(obj[TAG])
        if cls is not None:
            # DocBin reads with use_list=False; the records' sequences are lists
            return cls(
                **{k: list(v) if isinstance(v, tuple) else v for k, v in obj.items() if k != TAG}
            )
    return obj if chain is None else chain(obj)


def to_plain(value: Any) -> Any:
    """Records (and lists of them) as JSON-ready dicts and lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    return value


def doc_json(doc: Doc) -> dict[str, Any]:
    """Getter of ``doc._.rp_json``: every ``doc._.rp_*`` value, as plain data."""
    return {name: to_plain(getattr(doc._, f"rp_{name}")) for name in DOC_FIELDS}


def stored_extension(name: str) -> tuple[Callable[[Doc], Any], Callable[[Doc, Any], None]]:
    """Getter and setter of ``doc._.<name>``, kept where spaCy keeps plain extension values
    (so such data reads the same); a sequence read back as a tuple (DocBin) is a list again."""
    key = ("._.", name, None, None)

    def get(doc: Doc) -> Any:
        data: dict[Any, Any] = doc.user_data
        value = data.get(key)
        if isinstance(value, tuple):
            value = data[key] = list(value)
        return value

    def set_(doc: Doc, value: Any) -> None:
        data: dict[Any, Any] = doc.user_data
        data[key] = value

    return get, set_


def register() -> None:
    """Teach srsly's msgpack the records (idempotent) and add ``doc._.rp_json``."""
    srsly.msgpack_encoders.register("realpolitik_records", func=encode_record)
    srsly.msgpack_decoders.register("realpolitik_records", func=decode_record)
    from spacy.tokens import Doc

    if not Doc.has_extension("rp_json"):
        Doc.set_extension("rp_json", getter=doc_json)
