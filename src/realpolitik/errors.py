"""The one exception tree of realpolitik.

::

    RealpolitikError
    ├── InputError            an article or input line cannot be read (names file, line, fix)
    │   ├── EmptyInput
    │   ├── BinaryInput
    │   ├── EncodingError
    │   ├── MalformedLine
    │   └── MissingField
    │       └── WrongType     an argument or field has the wrong type (names it and the fix)
    ├── TimeBudgetExceeded    coding one article took longer than its time budget
    ├── DictionaryError       a user dictionary or lexicon file is malformed
    ├── StoreError            the DuckDB store cannot be opened or written
    ├── ModelError            a spaCy pipeline or classifier cannot be loaded
    └── EvaluationError       a gold file cannot be used for evaluation

Every message says what was wrong, where (file, line, field) and ends with a ``Hint:`` that
says how to fix it. Third-party exceptions are translated into this tree at the boundary
where they occur (reading files, opening the store, loading models).
"""

from __future__ import annotations


class RealpolitikError(Exception):
    """Base class for every error realpolitik raises on purpose."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(f"{message}\nHint: {hint}" if hint else message)


def printable(path: str) -> str:
    """A path as text that can be printed and stored: bytes of a file name that are not UTF-8
    (kept by Python as lone surrogates) are written ``\\xNN``."""
    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that is no escaped byte: show its code point
        return path.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


class InputError(RealpolitikError):
    """An input could not be turned into an article."""

    def __init__(
        self, message: str, *, path: str, line: int | None = None, hint: str | None = None
    ) -> None:
        path = printable(path)
        self.path = path
        self.line = line
        where = f"line {line} of {path}" if line is not None else path
        super().__init__(f"{where}: {message}", hint=hint)


class EmptyInput(InputError):
    """The file or line holds no text."""


class BinaryInput(InputError):
    """The file looks binary (NUL bytes), not text."""


class EncodingError(InputError):
    """The bytes are not valid UTF-8."""


class MalformedLine(InputError):
    """A JSONL line is not a JSON object."""


class MissingField(InputError):
    """A JSONL object lacks a required field or has one of the wrong type."""


class WrongType(MissingField):
    """An article field or a ``code()`` argument has the wrong type (e.g. ``hints="USA"``)."""


class TimeBudgetExceeded(RealpolitikError):
    """Coding one article took longer than the per-article time budget."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(
            f"coding took longer than the time budget of {seconds:g} s; the article was skipped",
            hint="raise the budget (--time-budget SECONDS, or time_budget= in the library), "
            "or split the article",
        )


class DictionaryError(RealpolitikError):
    """A dictionary, lexicon or gazetteer file is malformed."""


class StoreError(RealpolitikError):
    """The DuckDB store cannot be opened, read or written."""


class ModelError(RealpolitikError):
    """A spaCy pipeline or a classifier could not be loaded."""


class EvaluationError(RealpolitikError):
    """A gold file cannot be read for evaluation."""
