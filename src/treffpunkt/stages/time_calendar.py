"""Calendar arithmetic for the time stage: anchors, precision, weekdays, years, Easter.

A date is written at the precision the evidence allows: "YYYY-MM-DD", "YYYY-MM" or "YYYY".
When an expression only says "somewhere between a and b" (a week, a weekend, a night), the
written date is what a and b have in common, so it never claims more than the text does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

DAY, MONTH, YEAR = 3, 2, 1  # precisions: how many of year, month, day are known

_PUBLISHED = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True, slots=True)
class Anchor:
    """The publication date: `day` holds the known parts, the unknown ones set to 1."""

    day: date
    precision: int

    def text(self) -> str:
        return fmt(self.day, self.precision)


def parse_published(published: str | None) -> Anchor | None:
    """'YYYY-MM-DD', 'YYYY-MM' or 'YYYY' (longer strings are cut) -> Anchor; anything else -> None."""
    if not published:
        return None
    m = _PUBLISHED.match(published.strip())
    if not m:
        return None
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        if d is not None:
            return Anchor(date(y, int(mo), int(d)), DAY)
        if mo is not None:
            return Anchor(date(y, int(mo), 1), MONTH)
        return Anchor(date(y, 1, 1), YEAR)
    except ValueError:
        return None


def fmt(d: date, precision: int) -> str:
    if precision >= DAY:
        return d.isoformat()
    if precision == MONTH:
        return f"{d.year:04d}-{d.month:02d}"
    return f"{d.year:04d}"


def common(a: date, b: date, precision: int = DAY) -> str | None:
    """What `a` and `b` share, at most at `precision`: the honest date of "somewhere in [a, b]"."""
    if a.year != b.year:
        return None
    if a.month != b.month or precision == YEAR:
        return fmt(a, YEAR)
    if a.day != b.day or precision == MONTH:
        return fmt(a, MONTH)
    return fmt(a, DAY)


def precision_of(value: str | None) -> int:
    return 0 if not value else {4: YEAR, 7: MONTH, 10: DAY}.get(len(value), 0)


def truncate(value: str | None, precision: int) -> str | None:
    if value is None:
        return None
    return value[: {YEAR: 4, MONTH: 7, DAY: 10}[min(precision, precision_of(value))]]


def compare(value: str, anchor: Anchor) -> int:
    """-1, 0, 1: `value` before, at, after the anchor, at the precision both have."""
    p = min(precision_of(value), anchor.precision)
    a, b = truncate(value, p) or "", truncate(anchor.text(), p) or ""
    return (a > b) - (a < b)


def on_or_after(d: date, weekday: int) -> date:
    return d + timedelta(days=(weekday - d.weekday()) % 7)


def on_or_before(d: date, weekday: int) -> date:
    return d - timedelta(days=(d.weekday() - weekday) % 7)


def add_months(d: date, n: int) -> date:
    k = d.year * 12 + d.month - 1 + n
    return date(k // 12, k % 12 + 1, 1)


def easter(year: int) -> date:
    """Easter Sunday (Gregorian), the anonymous algorithm (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def pick_year(anchor: Anchor, direction: str, make) -> date | None:
    """The year for a date given without one: `make(year) -> date | None`.

    future: the first on or after publication; past: the last on or before it; otherwise
    the nearest. Compared at the anchor's precision (a month-only anchor: same month counts as now).
    """
    y0 = anchor.day.year
    if anchor.precision == YEAR:
        return make(y0)
    cands = [d for d in (make(y0 - 1), make(y0), make(y0 + 1)) if d is not None]
    if not cands:
        return None

    def key(d: date) -> tuple[int, ...]:
        return (d.year, d.month) if anchor.precision == MONTH else (d.year, d.month, d.day)

    now = key(anchor.day)
    if direction == "future":
        later = [d for d in cands if key(d) >= now]
        return later[0] if later else cands[-1]
    if direction == "past":
        earlier = [d for d in cands if key(d) <= now]
        return earlier[-1] if earlier else cands[0]
    return min(cands, key=lambda d: abs((d - anchor.day).days))


def safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None
