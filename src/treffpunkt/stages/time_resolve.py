"""Dating one matched time expression: the resolver behind the time stage.

Each family of time_patterns has a method here that turns its match into a `Found` (start, end,
days, direction), given a `Context`: the publication date, the clause tense (asked for only when
needed), the day the story last named, and a year the sentence named before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .time_calendar import (
    DAY,
    MONTH,
    YEAR,
    Anchor,
    add_months,
    common,
    compare,
    easter,
    fmt,
    on_or_after,
    on_or_before,
    pick_year,
    precision_of,
    safe_date,
)
from .time_patterns import Lexicon

_SENTENCE_START = set('.!?:\n„“"«»')
_UNITS_NOT_YEARS = re.compile(r"[^\S\n]+(?:[A-ZÄÖÜ]|km\b|kg\b|m\b|t\b|mal\b)")


@dataclass(slots=True)
class Found:
    """One resolved expression before it becomes a TimeExpr."""

    start: str | None
    end: str | None = None
    days: int | None = None
    direction: str = "unknown"
    fixed: bool = False  # the words gave the direction ("kommenden", "seit"), not the tense


class Context:
    """What resolution may look at: publication date, tense of the clause, the last named day.

    The tense is worked out only when a resolution asks for it (full dates and years don't)."""

    def __init__(self, anchor: Anchor | None, tense_at, offset: int, last_day: str | None):
        self.anchor = anchor
        self._tense_at = tense_at
        self._offset = offset
        self._tense: str | None = None
        self.last_day = last_day
        self.sentence_year: int | None = None  # a year the same sentence named before ("2005 … im Mai")

    @property
    def tense(self) -> str:
        """past | present | future | unknown"""
        if self._tense is None:
            self._tense = self._tense_at(self._offset) if self._tense_at else "unknown"
        return self._tense


def _direction_from_tense(tense: str, present_is: str = "future") -> str:
    return present_is if tense == "present" else tense


def _needs_day(ctx: Context) -> str | None:
    """For a day-scale relative expression without a full publication date: the anchor as it is."""
    if ctx.anchor is None:
        return None
    return ctx.anchor.text()


def _int(s: str | None) -> int | None:
    return int(s) if s and s.isdigit() else None


def _year2(s: str | None) -> int | None:
    if not s:
        return None
    y = int(s)
    return y if len(s) == 4 else (2000 + y if y < 50 else 1900 + y)


class Resolver:
    def __init__(self, lx: Lexicon):
        self.lx = lx

    # -- helpers -----------------------------------------------------------------------------
    def _dm(self, m: re.Match[str], p: str) -> tuple[int | None, int | None, int | None]:
        """(day, month, year) of a dm() group set; year None when the text gives none."""
        g = m.group
        if g(f"{p}_d"):
            return int(g(f"{p}_d")), int(g(f"{p}_mn")), _year2(g(f"{p}_yn"))
        return _int(g(f"{p}_d2")), self.lx.month(g(f"{p}_m") or ""), _int(g(f"{p}_y"))

    def _full_date(self, d: int, mo: int, y: int | None, ctx: Context, direction: str) -> str | None:
        y = y if y is not None else ctx.sentence_year
        if y is not None:
            x = safe_date(y, mo, d)
            return x.isoformat() if x else None
        if ctx.anchor is None:
            return None
        x = pick_year(ctx.anchor, direction, lambda yy: safe_date(yy, mo, d))
        if x is None:
            return None
        # With only a year known the year is a guess at year level, but the day and month are the
        # text's own: the result stays a full date in the publication year.
        return x.isoformat()

    def _weekday(self, wd: int, mod: str | None, ctx: Context, prep: str | None) -> Found:
        kind = self.lx.modifiers.get(mod.lower()) if mod else None
        deic = self.lx.deictic.get(mod.lower()) if mod else None
        if deic is not None:
            return self._offset(deic, ctx, fixed=True)
        if kind in ("future", "past"):
            direction, fixed = kind, True
        elif prep and prep.lower().startswith("seit"):
            direction, fixed = "past", True
        else:
            direction, fixed = _direction_from_tense(ctx.tense), False
        if ctx.anchor is None or ctx.anchor.precision < DAY:
            return Found(_needs_day(ctx), direction=direction, fixed=fixed)
        pub = ctx.anchor.day
        if kind == "future":
            x = on_or_after(pub + timedelta(days=1), wd)
        elif kind == "past":
            x = on_or_before(pub - timedelta(days=1), wd)
        elif direction == "past":
            x = on_or_before(pub, wd)
        else:
            x = on_or_after(pub, wd)
        return Found(x.isoformat(), direction=direction, fixed=fixed)

    def _offset(self, days: int, ctx: Context, fixed: bool = True) -> Found:
        direction = "past" if days < 0 else "future" if days > 0 else "present"
        if ctx.anchor is None or ctx.anchor.precision < DAY:
            return Found(_needs_day(ctx), direction=direction, fixed=fixed)
        return Found((ctx.anchor.day + timedelta(days=days)).isoformat(), direction=direction, fixed=fixed)

    def _from_last(self, days: int, ctx: Context) -> Found:
        """A day relative to the day the text last named ("tags darauf")."""
        if not ctx.last_day:
            return Found(None)
        p = precision_of(ctx.last_day)
        if p < DAY:
            return Found(ctx.last_day)
        d = date.fromisoformat(ctx.last_day) + timedelta(days=days)
        return Found(d.isoformat())

    # -- families ----------------------------------------------------------------------------
    def range(self, m: re.Match[str], ctx: Context) -> Found:
        g = m.group
        d2, m2, y2 = self._dm(m, "r2")
        d1 = int(g("r_d1"))
        if g("r_mn1"):
            m1, y1 = int(g("r_mn1")), _year2(g("r_yn1"))
        else:
            m1, y1 = (self.lx.month(g("r_m1")) if g("r_m1") else None), _int(g("r_y1"))
        m1 = m1 or m2
        if m1 is None or m2 is None or d2 is None:
            return Found(None)
        direction = _direction_from_tense(ctx.tense, "present")
        if y1 is None and y2 is not None:
            y1 = y2 if (m1, d1) <= (m2, d2) else y2 - 1
        start = self._full_date(d1, m1, y1, ctx, direction)
        if start is None:
            return Found(None)
        s = date.fromisoformat(start)
        if y2 is None:
            y2 = s.year if (m2, d2) >= (m1, d1) else s.year + 1
        e = safe_date(y2, m2, d2)
        days = (e - s).days + 1 if e and e >= s else None
        return Found(start, e.isoformat() if e else None, days=days)

    def wddate(self, m: re.Match[str], ctx: Context) -> Found:
        d, mo, y = self._dm(m, "wd")
        if d is None or mo is None:
            return Found(None)
        wd = self.lx.weekday(m.group("wd_wd"))
        direction = _direction_from_tense(ctx.tense, "present")
        if y is None and ctx.anchor is not None and wd is not None:
            # The weekday picks the year: "Sonntag, 17. November" is a Sunday.
            for yy in sorted(
                (ctx.anchor.day.year - 1, ctx.anchor.day.year, ctx.anchor.day.year + 1),
                key=lambda v: abs(v - ctx.anchor.day.year),
            ):
                x = safe_date(yy, mo, d)
                if x and x.weekday() == wd:
                    return Found(x.isoformat())
        return Found(self._full_date(d, mo, y, ctx, direction))

    def date(self, m: re.Match[str], ctx: Context) -> Found:
        d, mo, y = self._dm(m, "d")
        if d is None or mo is None:
            return Found(None)
        prep = (m.group("d_prep") or "").lower()
        direction = _direction_from_tense(ctx.tense, "present")
        if prep.startswith("seit"):
            direction = "past"
        value = self._full_date(d, mo, y, ctx, direction)
        if prep.startswith("bis"):
            return Found(None, value)
        if prep.startswith("seit"):
            return Found(value, direction="past", fixed=True)
        return Found(value)

    def month(self, m: re.Match[str], ctx: Context) -> Found | None:
        prep = m.group("m_prep")
        y = _int(m.group("m_y"))
        if not prep and y is None:
            return None  # "August" alone is as often a name
        mo = self.lx.month(m.group("m_m"))
        if mo is None:
            return None
        y = y if y is not None else ctx.sentence_year
        if y is not None:
            value: str | None = f"{y:04d}-{mo:02d}"
        elif ctx.anchor is None:
            value = None
        else:
            direction = "past" if prep.lower().startswith("seit") else _direction_from_tense(ctx.tense, "present")
            x = pick_year(ctx.anchor, direction, lambda yy: date(yy, mo, 1))
            value = fmt(x, MONTH) if x else None
        if prep and prep.lower().startswith("bis"):
            return Found(None, value)
        if prep and prep.lower().startswith("seit"):
            return Found(value, direction="past", fixed=True)
        return Found(value)

    def season(self, m: re.Match[str], ctx: Context) -> Found | None:
        prep = m.group("s_prep") or ""
        mod = m.group("s_mod")
        y = _int(m.group("s_y"))
        if y is not None:
            return Found(f"{y:04d}")
        if not prep and not mod:
            return None  # "Sommer" alone is as often a name or a noun
        first, last = self.lx.seasons[m.group("s_s").lower()]
        if ctx.anchor is None or first > last:
            return Found(None)  # winter: which year is not sure
        kind = self.lx.modifiers.get(mod.lower()) if mod else None
        y0 = ctx.anchor.day.year
        now = ctx.anchor.day.month
        if kind == "future" and ctx.anchor.precision >= MONTH:  # "kommenden Sommer": not begun yet
            return Found(f"{y0 + (now >= first):04d}", fixed=True, direction="future")
        if kind == "past" and ctx.anchor.precision >= MONTH:  # "vergangenen Sommer": over already
            return Found(f"{y0 - (now <= last):04d}", fixed=True, direction="past")
        if ctx.anchor.precision == YEAR:
            return Found(f"{y0:04d}")
        direction = "past" if prep.lower().startswith("seit") else _direction_from_tense(ctx.tense, "present")
        if direction == "future" and now > last:
            return Found(f"{y0 + 1:04d}")  # in November, "im Sommer" ahead is next year's
        if direction == "past" and now < first:
            return Found(f"{y0 - 1:04d}")  # in February, "im Herbst" behind is last year's
        return Found(f"{y0:04d}")

    def holiday(self, m: re.Match[str], ctx: Context) -> Found | None:
        spec = self.lx.holidays.get(" ".join(m.group("h_h").lower().split()))
        if spec is None:
            return None
        y = _int(m.group("h_y"))
        prep = (m.group("h_prep") or "").lower()

        def make(yy: int) -> date | None:
            if spec.startswith("easter"):
                return easter(yy) + timedelta(days=int(spec[6:]))
            mm, dd = spec.split("-")
            return safe_date(yy, int(mm), int(dd))

        if y is not None:
            x = make(y)
        elif ctx.anchor is None:
            return Found(None)
        else:
            x = pick_year(ctx.anchor, _direction_from_tense(ctx.tense, "present"), make)
        if x is None:
            return Found(None)
        if prep in ("vor", "nach", "über"):
            return Found(fmt(x, YEAR))  # before/after/over the holiday: only the year is sure
        name = m.group("h_h").lower()
        if name in ("ostern", "pfingsten", "weihnachten"):
            # The feast as a period (Easter: Good Friday to Monday; Christmas: 24-26 December).
            lo, hi = {"ostern": (-2, 1), "pfingsten": (-1, 1), "weihnachten": (-1, 1)}[name]
            return Found(common(x + timedelta(days=lo), x + timedelta(days=hi)))
        return Found(x.isoformat())

    def night(self, m: re.Match[str], ctx: Context) -> Found:
        wd = self.lx.weekday(m.group("n_wd"))
        f = self._weekday(wd, None, ctx, None) if wd is not None else Found(None)
        if f.start and precision_of(f.start) == DAY:
            d = date.fromisoformat(f.start)
            f.start = common(d - timedelta(days=1), d)  # the night before that day, or its first hours
        return f

    def wdrange(self, m: re.Match[str], ctx: Context) -> Found:
        w1, w2 = self.lx.weekday(m.group("wr_1")), self.lx.weekday(m.group("wr_2"))
        f = self._weekday(w1, None, ctx, None)
        if f.start and precision_of(f.start) == DAY and w2 is not None:
            s = date.fromisoformat(f.start)
            e = on_or_after(s, w2)
            f.end, f.days = e.isoformat(), (e - s).days + 1
        return f

    def weekday(self, m: re.Match[str], ctx: Context) -> Found | None:
        wd = self.lx.weekday(m.group("w_wd"))
        if wd is None:
            return None
        prep = m.group("w_prep")
        f = self._weekday(wd, m.group("w_mod"), ctx, prep)
        if prep and prep.lower().startswith("bis"):
            f.start, f.end = None, f.start
        return f

    def rel(self, m: re.Match[str], ctx: Context) -> Found | None:
        unit = m.group("q_unit").lower()
        kind = self.lx.modifiers.get(m.group("q_mod").lower())
        if unit == "wochen" or kind is None:
            return None  # "die nächsten Wochen": a stretch, not a date
        shift = {"future": 1, "past": -1}.get(kind, 0)
        direction = {"future": "future", "past": "past"}.get(kind, "present")
        if unit.startswith("wochenende"):
            return self._weekend(ctx, kind)
        part = (m.group("q_part") or "").lower()
        return self._unit(unit, shift, part, ctx, direction)

    def unitpart(self, m: re.Match[str], ctx: Context) -> Found | None:
        spec = self.lx.unitparts.get(m.group("up_w").lower())
        if spec is None:
            return None
        found = self._unit(spec[0], 0, spec[1], ctx, "present")
        if m.group().lower().startswith("bis"):
            found.start, found.end = None, found.start
        found.fixed, found.direction = False, "unknown"  # the tense, or the date, says which way
        return found

    def partof(self, m: re.Match[str], ctx: Context) -> Found:
        return self._unit(m.group("po_unit").lower(), 0, m.group("po_part").lower(), ctx, "present")

    def _unit(self, unit: str, shift: int, part: str, ctx: Context, direction: str) -> Found:
        a = ctx.anchor
        if a is None:
            return Found(None, direction=direction, fixed=True)
        if unit.startswith("jahr"):
            return Found(f"{a.day.year + shift:04d}", direction=direction, fixed=True)
        if unit.startswith("monat"):
            if a.precision < MONTH:
                return Found(a.text(), direction=direction, fixed=True)
            return Found(fmt(add_months(a.day, shift), MONTH), direction=direction, fixed=True)
        # a week: Monday to Sunday; its beginning, middle or end a part of it
        if a.precision < DAY:
            return Found(a.text(), direction=direction, fixed=True)
        monday = a.day - timedelta(days=a.day.weekday()) + timedelta(days=7 * shift)
        lo, hi = {"anfang": (0, 2), "beginn": (0, 2), "mitte": (1, 3), "ende": (3, 6)}.get(part, (0, 6))
        return Found(common(monday + timedelta(days=lo), monday + timedelta(days=hi)), direction=direction, fixed=True)

    def _weekend(self, ctx: Context, kind: str | None) -> Found:
        if kind in ("future", "past"):
            direction = kind
        else:
            direction = _direction_from_tense(ctx.tense)
        if ctx.anchor is None or ctx.anchor.precision < DAY:
            return Found(_needs_day(ctx), direction=direction, fixed=kind is not None)
        pub = ctx.anchor.day
        if kind == "future":
            sat = on_or_after(pub + timedelta(days=1), 5)
        elif kind == "past":
            sat = on_or_before(pub - timedelta(days=2), 5)
        elif direction == "past":
            sat = on_or_before(pub - timedelta(days=1), 5)
        else:
            sat = on_or_after(pub - timedelta(days=1), 5)  # on a Sunday, this weekend
        return Found(common(sat, sat + timedelta(days=1)), direction=direction, fixed=kind is not None)

    def weekend(self, m: re.Match[str], ctx: Context) -> Found:
        return self._weekend(ctx, None)

    def deictic(self, m: re.Match[str], ctx: Context, text: str) -> Found | None:
        w = m.group("x_w")
        if w == "Morgen" and not _at_sentence_start(text, m.start("x_w")):
            return None  # "jeden Morgen", "Guten Morgen": the noun, not tomorrow
        f = self._offset(self.lx.deictic[w.lower()], ctx)
        prep = (m.group("x_prep") or "").lower()
        if prep == "bis":
            f.start, f.end = None, f.start
        elif prep == "seit":
            f.direction = "past"
        return f

    def deicadj(self, m: re.Match[str], ctx: Context) -> Found:
        return self._offset(self.lx.deictic[m.group("xa_w").lower()], ctx)

    def ago(self, m: re.Match[str], ctx: Context) -> Found | None:
        n = self.lx.number(m.group("a_n"))
        if n is None:
            return None
        prep = m.group("a_prep").lower()
        unit = self.lx.units.get(m.group("a_unit").lower())
        sign = -1 if prep in ("vor", "seit") else 1
        direction = "past" if sign < 0 else "future"
        a = ctx.anchor
        if a is None:
            return Found(None, direction=direction, fixed=True)
        if unit == "year":
            return Found(f"{a.day.year + sign * n:04d}", direction=direction, fixed=True)
        if unit == "month":
            if a.precision < MONTH:
                return Found(a.text(), direction=direction, fixed=True)
            return Found(fmt(add_months(a.day, sign * n), MONTH), direction=direction, fixed=True)
        if a.precision < DAY:
            return Found(a.text(), direction=direction, fixed=True)
        d = a.day + timedelta(days=sign * n * (7 if unit == "week" else 1))
        # "vor zwei Wochen" is a round figure: the month, not the day
        return Found(fmt(d, DAY if unit == "day" else MONTH), direction=direction, fixed=True)

    def anaph(self, m: re.Match[str], ctx: Context) -> Found | None:
        g = m.group
        if g("an_n"):
            n = self.lx.number(g("an_n"))
            word = g("an_w5")
            if n is None:
                return None
            unit = 7 if g("an_unit").lower().startswith("woche") else 1
            sign = self.lx.anaphora.get(word.lower(), 1)
            f = self._from_last(sign * n * unit, ctx)
            if unit == 7 and f.start:
                f.start = f.start[:7]
            return f
        word = g("an_w") or g("an_w2") or g("an_w3") or g("an_w4")
        off = self.lx.anaphora.get(word.lower())
        if off is None:
            return None
        return self._from_last(off, ctx)

    def daypart(self, m: re.Match[str], ctx: Context) -> Found:
        return self._from_last(0, ctx)

    def durw(self, m: re.Match[str], ctx: Context) -> Found | None:
        n = self.lx.number(m.group("u_n"))
        if n is None:
            return None
        return Found(None, days=n * (7 if m.group("u_unit").lower().startswith("w") else 1))

    def dur(self, m: re.Match[str], ctx: Context) -> Found | None:
        n = self.lx.number(m.group("v_n"))
        if n is None:
            return None
        return Found(None, days=n * (7 if m.group("v_unit").lower().startswith("w") else 1))

    def sequence(self, m: re.Match[str], ctx: Context) -> Found:
        # "anschließend": after the day last named; its month is what can be said.
        return Found(ctx.last_day[:7] if ctx.last_day else None)

    def present(self, m: re.Match[str], ctx: Context) -> Found:
        return Found(ctx.anchor.text() if ctx.anchor else None, direction="present", fixed=True)

    def year(self, m: re.Match[str], ctx: Context, text: str) -> Found | None:
        prep = m.group("y_prep")
        if not prep and _UNITS_NOT_YEARS.match(text, m.end()):
            return None  # "2000 Menschen": a count
        value = m.group("y_y")
        if prep and prep.lower().startswith("bis"):
            return Found(None, value)
        f = Found(value)
        if prep and prep.lower().startswith("seit"):
            f.direction, f.fixed = "past", True
        return f


def _at_sentence_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_START


def final_direction(f: Found, anchor: Anchor | None, ctx: Context) -> str:
    if f.fixed and f.direction != "unknown":
        return f.direction
    value = f.start or f.end
    if value and anchor is not None:
        c = compare(value, anchor)
        if c:
            return "past" if c < 0 else "future"
        return "present" if f.direction == "unknown" else f.direction
    if f.direction != "unknown":
        return f.direction
    return ctx.tense
