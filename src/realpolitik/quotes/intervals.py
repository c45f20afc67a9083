"""Point and overlap queries on character spans in logarithmic time.

The quote scanners ask, for every quotation, cue or draft, whether some *other* span holds a
position or overlaps a stretch. Asked by looping over every span, that is quadratic in the
number of quotations, which text with long runs of quotation marks makes large; a
:class:`Spans` answers each question in O(log n) (plus the spans it returns).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

__all__ = ["Spans"]

# (end, key) of the two spans with the largest ends among a prefix, with different keys.
_Top = tuple[tuple[int, int], tuple[int, int]]
_NONE = (-(2**62), -1)


class Spans:
    """Half-open spans ``[start, end)``, each with an integer key, sorted by start.

    Spans may overlap or nest. They are given at construction and may be extended with
    :meth:`add` as long as starts do not decrease.
    """

    def __init__(self, spans: Iterable[tuple[int, int, int]] = ()) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.keys: list[int] = []
        self._top: list[_Top] = []  # per prefix: the two largest ends with distinct keys
        for start, end, key in sorted(spans, key=lambda s: (s[0], s[2])):
            self.add(start, end, key)

    def __len__(self) -> int:
        return len(self.starts)

    def add(self, start: int, end: int, key: int) -> None:
        """Append a span that starts at or after every span so far."""
        if self.starts and start < self.starts[-1]:
            raise ValueError("spans must be added in order of their starts")
        first, second = self._top[-1] if self._top else (_NONE, _NONE)
        item = (end, key)
        if item[0] > first[0]:
            first, second = item, (first if first[1] != key else second)
        elif key != first[1] and item[0] > second[0]:
            second = item
        self.starts.append(start)
        self.ends.append(end)
        self.keys.append(key)
        self._top.append((first, second))

    def covers(self, pos: int, *, exclude: int | None = None) -> bool:
        """Whether a span (other than the one keyed ``exclude``) holds ``pos``."""
        n = bisect_right(self.starts, pos)
        if not n:
            return False
        first, second = self._top[n - 1]
        best = second if first[1] == exclude else first
        return best[0] > pos

    def overlaps(self, start: int, end: int) -> bool:
        """Whether a span shares at least one position with ``[start, end)``."""
        n = bisect_left(self.starts, end)
        return n > 0 and self._top[n - 1][0][0] > start

    def overlapping(self, start: int, end: int) -> list[int]:
        """Keys of the spans that overlap ``[start, end)``, in increasing order.

        Walks back from the last span that starts before ``end`` while some span at or before
        it still reaches past ``start``: only the spans in that stretch are visited.
        """
        out: list[int] = []
        k = bisect_left(self.starts, end) - 1
        while k >= 0 and self._top[k][0][0] > start:
            if self.ends[k] > start:
                out.append(self.keys[k])
            k -= 1
        return sorted(out)
