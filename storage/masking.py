"""Masking report tables so that no count of one to four people can be read or worked out.

The city's rule (issue 17), applied to whole rows ("cells" here: one row of a table in
one period, with all its counts):
- a cell is masked when any of its counts is 1-4;
- along every published line (a margin and the cells that add up to it: a split and its
  total, the quarters of a year, the districts of a unit) the masked cells number at
  least two and, for every count, their sum is 0 or at least 5; otherwise the next
  smallest cell of that line is masked too (or the margin, when no cell is left);
- no masked value of 1-4 may be pinned: an attacker who knows every published figure,
  every line and every order (a later funnel step never exceeds an earlier one), and who
  knows which masked values are 0-4, still has at least two possibilities for each
  (checked by interval propagation). A masked 0 may be known (it reveals nobody), and so
  may a masked value of five or more (a secondary mask; it discloses no small number).
Hidden cells (never published, e.g. a unit x district crossing) take part only in the
interval check. Everything here is pure: no database, no wording.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

MIN_CELL = 5
INF = float("inf")
Key = Hashable


@dataclass
class Table:
    """The cells of one report structure and how they add up."""

    counts: dict[Key, dict[str, int]]  # every cell (published or hidden) -> its counts
    published: set[Key]
    size: str  # the count that orders cells from small to large ("people")
    lines: list[tuple[Key, tuple[Key, ...]]] = field(default_factory=list)  # margin = sum
    orders: list[tuple[Key, Key]] = field(default_factory=list)  # (larger, smaller)
    fixed: set[Key] = field(default_factory=set)  # published, never masked (known figures)

    def add_line(self, margin: Key, members: Iterable[Key]) -> None:
        self.lines.append((margin, tuple(members)))


def small(value: int) -> bool:
    return 0 < value < MIN_CELL


def _names(table: Table) -> list[str]:
    return sorted({name for counts in table.counts.values() for name in counts})


def line_breaks_rule(table: Table, masked: set[Key], margin: Key, members: tuple[Key, ...]
                     ) -> bool:
    """True when a published split along this line has too few or too small masked cells."""
    if margin not in table.published or margin in masked:
        return False
    if not members or any(m not in table.published for m in members):
        return False  # a line of hidden cells only feeds the interval check
    hidden = [m for m in members if m in masked]
    if not hidden:
        return False
    if len(hidden) < 2:
        return True
    return any(small(sum(table.counts[m].get(name, 0) for m in hidden))
               for name in _names(table))


class _Index:
    """The table's keys as numbers, so the interval check runs on lists, not dicts."""

    def __init__(self, table: Table) -> None:
        self.keys = list(table.counts)
        number = {key: index for index, key in enumerate(self.keys)}
        self.lines = [(number[m], [number[x] for x in members])
                      for m, members in table.lines if members]
        self.orders = [(number[a], number[b]) for a, b in table.orders]


def bounds(table: Table, masked: set[Key], name: str, index: _Index | None = None
           ) -> dict[Key, tuple[float, float]]:
    """What an attacker can tell about each unknown cell's count `name`, as [low, high]."""
    index = index or _Index(table)
    low: list[float] = []
    high: list[float] = []
    unknown: list[int] = []
    for number, key in enumerate(index.keys):
        value = table.counts[key].get(name, 0)
        if key in table.published and key not in masked:
            low.append(value)
            high.append(value)
        else:
            unknown.append(number)
            low.append(0)
            high.append(MIN_CELL - 1 if key in table.published and value < MIN_CELL else INF)
    for _ in range(60):
        changed = False
        for margin, members in index.lines:
            sum_low = sum(low[m] for m in members)
            sum_high = sum(high[m] for m in members)
            if sum_low > low[margin]:
                low[margin], changed = sum_low, True
            if sum_high < high[margin]:
                high[margin], changed = sum_high, True
            for m in members:
                lo = low[margin] - (sum_high - high[m])
                hi = high[margin] - (sum_low - low[m])
                if lo > low[m]:
                    low[m], changed = lo, True
                if hi < high[m]:
                    high[m], changed = hi, True
        for larger, smaller in index.orders:
            if low[smaller] > low[larger]:
                low[larger], changed = low[smaller], True
            if high[larger] < high[smaller]:
                high[smaller], changed = high[larger], True
        if not changed:
            break
    return {index.keys[n]: (low[n], high[n]) for n in unknown}


def pinned(table: Table, masked: set[Key], index: _Index | None = None) -> list[Key]:
    """Masked published cells with a count of 1-4 an attacker can work out exactly.

    A masked count of five or more that can be worked out discloses no small number
    (every line through it holds the rule, and its small neighbours are checked here);
    holding those too would mask whole reports of a hundred people."""
    index = index or _Index(table)
    found: list[Key] = []
    for name in _names(table):
        if not any(small(table.counts[k].get(name, 0)) for k in masked):
            continue  # no masked value of 1-4: nothing small to work out
        for key, (lo, hi) in bounds(table, masked, name, index).items():
            if key in table.published and lo == hi and small(table.counts[key].get(name, 0)) \
                    and key not in found:
                found.append(key)
    return found


def violations(table: Table, masked: set[Key]) -> list[str]:
    """Every way the masking fails the rule (empty when it holds); for tests and checks."""
    problems = [f"{key!r} has a small count and is shown" for key in table.published
                if key not in masked and any(small(v) for v in table.counts[key].values())]
    problems += [f"line {margin!r} masks one cell or a sum of 1-4" for margin, members
                 in table.lines if line_breaks_rule(table, masked, margin, members)]
    problems += [f"{key!r} can be worked out" for key in pinned(table, masked)]
    return problems


def _smallest(table: Table, candidates: Iterable[Key], masked: set[Key]) -> Key | None:
    shown = [k for k in dict.fromkeys(candidates)
             if k in table.published and k not in masked and k not in table.fixed]
    if not shown:
        return None
    # a cell of zeros hides nobody and never mends a sum of 1-4: masked only when no
    # other cell will do (so an empty quarter shows its 0s, not "Dolt")
    return min(shown, key=lambda k: (not any(table.counts[k].values()),
                                     table.counts[k].get(table.size, 0), repr(k)))


def _neighbours(table: Table, key: Key) -> list[Key]:
    found: list[Key] = []
    for margin, members in table.lines:
        if key == margin or key in members:
            found += [*members, margin]
    for larger, smaller in table.orders:
        if key in (larger, smaller):
            found += [larger, smaller]
    return found


def mask(table: Table, initial: Iterable[Key] = ()) -> set[Key]:
    """The published cells to mask so that the rule holds (`initial`: cells another
    table sharing these cells has masked already)."""
    masked = {k for k in table.published
              if any(small(v) for v in table.counts[k].values())}
    masked |= {k for k in initial if k in table.published}
    index = _Index(table)
    while True:
        extra: Key | None = None
        for margin, members in table.lines:
            if line_breaks_rule(table, masked, margin, members):
                extra = _smallest(table, members, masked) or _smallest(table, [margin], masked)
                if extra is not None:
                    break
        if extra is None:
            stuck = pinned(table, masked, index)
            for key in stuck:
                extra = _smallest(table, _neighbours(table, key), masked)
                if extra is not None:
                    break
            if extra is None and stuck:
                # pinned only through cells already masked: widen from the smallest shown cell
                extra = _smallest(table, table.published, masked)
        if extra is None:
            return masked
        masked.add(extra)
