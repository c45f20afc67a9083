"""Time of the quote stage on adversarial runs of quotation marks and brackets.

Usage::

    .venv/bin/python benchmarks/quote_scan.py [--sizes 2000,8000,32000,100000]
        [--patterns a,b,...] [--timeout 60] [--parse]

Each pattern is repeated to each size (in characters) and read by
:func:`realpolitik.quotes.find_quotes` with the packaged attribution model. The text is split
into tokens here (a word or one mark per token), not by spaCy's tokenizer, whose own suffix
search is quadratic on long unspaced punctuation (a separate problem): the figures are those
of the quote stage alone. Without ``--parse`` the Doc has one sentence per paragraph and no
parse (what the quotation-mark scanner and the quote assembly see); with ``--parse`` the
model's tagger and parser annotate the tokens first (the parse time is not counted). A case
that runs past ``--timeout`` seconds is reported as such and the larger sizes of that
pattern are skipped.
"""

from __future__ import annotations

import argparse
import re
import signal
import time
from collections.abc import Callable

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from realpolitik.quotes import find_quotes

PATTERNS: dict[str, Callable[[int], str]] = {
    "straight": lambda n: '"' * n,
    "curly-pairs": lambda n: "\u201c\u201d" * (n // 2),
    "apostrophes": lambda n: "'" * n,
    "guillemets": lambda n: "\u00ab\u00bb" * (n // 2),
    "brackets": lambda n: "(" * (n // 2) + ")" * (n // 2),
    "square": lambda n: "[" * n,
    "spaced-straight": lambda n: '" ' * (n // 2),
    "open-then-pairs": lambda n: "\u201ca" + " \u201cb\u201d" * (n // 4),
    "straight-open-then-pairs": lambda n: '"a' + ' "b"' * (n // 4),
    "quoted-words": lambda n: '"a b c d e f g h" ' * (n // 18),
    "curly-singles": lambda n: " \u2018a\u2019" * (n // 4),
    "doubled-apostrophes": lambda n: "''a'' " * (n // 6),
    "sentences-in-quotes": lambda n: '"A b said. ' * (n // 11),
    # Ordinary reported speech, repeated: cues, speakers and inheritance (try with --parse).
    "said-quotes": lambda n: '"We will win," she said. "They lose." ' * (n // 38),
}


class _Timeout(Exception):
    pass


def _alarm(_signum: int, _frame: object) -> None:
    raise _Timeout


def make_doc(vocab: spacy.vocab.Vocab, text: str) -> Doc:
    """A Doc of ``text`` with a word or a single mark per token, paragraphs as sentences."""
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for m in re.finditer(r"\w+|\S", text):
        gap = text[pos : m.start()]
        if gap:
            if words and gap[0] == " ":
                spaces[-1], gap = True, gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
        words.append(m.group())
        spaces.append(False)
        pos = m.end()
    if text[pos:]:
        words.append(text[pos:])
        spaces.append(False)
    starts = [i == 0 or "\n" in words[i - 1] for i in range(len(words))]
    return Doc(vocab, words=words, spaces=spaces, sent_starts=starts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="2000,8000,32000,100000")
    ap.add_argument("--patterns", default=",".join(PATTERNS))
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--parse", action="store_true", help="tag and parse the tokens first")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    nlp: Language | None = None
    vocab = spacy.blank("en").vocab
    if args.parse:
        from realpolitik.evaluate.quotes import load_parser

        nlp = load_parser()
        vocab = nlp.vocab
    signal.signal(signal.SIGALRM, _alarm)
    print(f"{'pattern':26} {'chars':>8} {'tokens':>7} {'quotes':>7} {'seconds':>9}")
    for name in args.patterns.split(","):
        for size in sizes:
            text = PATTERNS[name](size)
            doc = make_doc(vocab, text)
            if nlp is not None:
                for _, proc in nlp.pipeline:
                    doc = proc(doc)
            signal.alarm(args.timeout)
            t0 = time.perf_counter()
            try:
                found = len(find_quotes(doc))
            except _Timeout:
                print(f"{name:26} {len(text):8} {len(doc):7} {'-':>7} {'>' + str(args.timeout):>9}")
                break
            finally:
                signal.alarm(0)
            took = time.perf_counter() - t0
            print(f"{name:26} {len(text):8} {len(doc):7} {found:7} {took:9.3f}", flush=True)


if __name__ == "__main__":
    main()
