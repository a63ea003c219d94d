"""The one regular expression that finds German time expressions, built once from lang/de data.

Each family of expressions is one named alternative (`range`, `wddate`, `date`, `weekday`, ...);
its parts are named groups prefixed with the family's short name. Alternatives are tried in the
order given here at each position, so the longer forms ("Sonntag, 17. November") come before
the shorter ones they contain ("Sonntag").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..lang import ordered, table

S = r"[^\S\n]+"  # spaces inside one line: a time expression does not run across lines
DAYNUM = r"(?:0?[1-9]|[12]\d|3[01])"
YEARNUM = r"(?:1[0-9]\d\d|20\d\d)"
NUMERIC_DM = r"(?P<{p}_d>" + DAYNUM + r")\.(?P<{p}_mn>0?[1-9]|1[0-2])\.(?P<{p}_yn>\d{{4}}|\d\d(?!\d))?"


def _alt(words) -> str:
    """A regex alternation of literal words, longest first, spaces made flexible."""
    items = sorted({w for w in words if w}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", S) for w in items) + ")"


@dataclass(frozen=True)
class Lexicon:
    months: dict[str, int]
    weekdays: dict[str, int]
    dayparts: frozenset[str]
    numbers: dict[str, int]
    units: dict[str, str]
    deictic: dict[str, int]
    modifiers: dict[str, str]
    holidays: dict[str, str]
    seasons: dict[str, tuple[int, int]]
    present: frozenset[str]
    sequence: frozenset[str]
    anaphora: dict[str, int]
    unitparts: dict[str, tuple[str, str]]
    stop: tuple[str, ...]

    def month(self, word: str) -> int | None:
        return self.months.get(_key(word.rstrip(".")))

    def weekday(self, word: str) -> int | None:
        return self.weekdays.get(_key(word))

    def number(self, word: str) -> int | None:
        if word.isdigit():
            return int(word)
        return self.numbers.get(word.lower())


def _key(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def _casefold_keys(d: dict[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in d.items()}


@cache
def lexicon(lang: str = "de") -> Lexicon:
    return Lexicon(
        months={_key(k): int(v) for k, v in table(lang, "months.tsv").items()},
        weekdays={_key(k): int(v) for k, v in table(lang, "time_weekdays.tsv").items()},
        dayparts=frozenset(ordered(lang, "time_dayparts.txt")),
        numbers={k.lower(): int(v) for k, v in table(lang, "time_numbers.tsv").items()},
        units=_casefold_keys(table(lang, "time_units.tsv")),
        deictic={k.lower(): int(v) for k, v in table(lang, "time_deictic.tsv").items()},
        modifiers=_casefold_keys(table(lang, "time_modifiers.tsv")),
        holidays={" ".join(k.lower().split()): v for k, v in table(lang, "time_holidays.tsv").items()},
        seasons={
            k.lower(): (int(v.split("-")[0]), int(v.split("-")[1])) for k, v in table(lang, "time_seasons.tsv").items()
        },
        present=frozenset(" ".join(w.lower().split()) for w in ordered(lang, "time_present.txt")),
        sequence=frozenset(" ".join(w.lower().split()) for w in ordered(lang, "time_sequence.txt")),
        anaphora={k.lower(): int(v) for k, v in table(lang, "time_anaphora.tsv").items()},
        unitparts={k.lower(): tuple(v.split()) for k, v in table(lang, "time_unitparts.tsv").items()},
        stop=ordered(lang, "time_stop.txt"),
    )


@cache
def pattern(lang: str = "de") -> Patterns:
    lx = lexicon(lang)
    full_months = [m for m in lx.months if len(m) > 4 or m in ("Mai", "Juni", "Juli", "März")]
    abbr_months = [m for m in lx.months if m not in full_months]
    MON = _alt(full_months)
    MONA = "(?:" + MON + "|" + _alt(abbr_months) + r"\.?)"
    WD = _alt(lx.weekdays)
    DP = _alt(lx.dayparts)
    NUMW = _alt(lx.numbers)
    NUM = r"(?:\d{1,3}|" + NUMW + ")"
    MOD = _alt(lx.modifiers)
    DEIC = _alt(w for w in lx.deictic if not w.endswith("igen"))
    DEIC_ADJ = _alt(w for w in lx.deictic if w.endswith("igen"))
    HOL = _alt(lx.holidays)
    SEA = _alt(lx.seasons)
    PRES = _alt(lx.present)
    SEQ = _alt(lx.sequence)
    UP = _alt(lx.unitparts)
    ART = r"(?:der|dem|den|des|das|die)"

    def dm(p: str) -> str:
        """A day with a month: "3. November (2024)", "3.11.(2024)"; groups <p>_d, _m, _y, _mn, _yn."""
        return (
            "(?:"
            + NUMERIC_DM.format(p=p)
            + rf"|(?P<{p}_d2>{DAYNUM})\.{S}?(?P<{p}_m>{MONA})(?:{S}(?P<{p}_y>{YEARNUM}))?)"
        )

    alternatives = [
        # vom 3. bis 14. Dezember; vom 30. November bis 2. Dezember 2024; 6.-8. Juni; am 3. und 4. Mai
        (
            "range",
            rf"(?:(?:vom|von|am|zwischen{S}dem|ab{S}dem){S})?"
            rf"(?P<r_d1>{DAYNUM})\.(?:(?P<r_mn1>0?[1-9]|1[0-2])\.(?P<r_yn1>\d{{4}})?|{S}?(?P<r_m1>{MONA})"
            rf"(?:{S}(?P<r_y1>{YEARNUM}))?)?"
            rf"(?:{S}?[-–—/]{S}?|{S}(?:bis(?:{S}(?:zum|einschließlich))?|und(?:{S}dem)?){S})" + dm("r2"),
        ),
        # Sonntag, 17. November; am Sonntag, den 2. Februar; Montag, 3.11.
        (
            "wddate",
            rf"(?:(?:am|an|ab|seit|bis|vom|von){S}(?:(?:dem|den){S})?)?(?:{MOD}{S})?(?P<wd_wd>{WD})(?P<wd_dp>{DP})?"
            rf",?{S}(?:(?:den|dem){S})?" + dm("wd"),
        ),
        # am 3. November 2024; 3.11.2024; seit dem 1. Mai
        (
            "date",
            rf"(?:(?P<d_prep>am|vom|bis(?:{S}zum)?|seit(?:{S}dem)?|ab(?:{S}dem)?|zum|den|dem){S})?" + dm("d"),
        ),
        # im November 2024; Anfang Dezember; Ende November; seit März
        (
            "month",
            rf"(?:(?P<m_prep>im|seit|bis|ab|vom|von|bis{S}zum|bis{S}Ende|für|Anfang|Mitte|Ende|Beginn|"
            rf"Anfang{S}bis{S}Mitte|im{S}Laufe{S}des|im{S}Verlauf{S}des){S})?"
            rf"(?P<m_m>{MON})(?:{S}(?P<m_y>{YEARNUM}))?(?![\w-])",
        ),
        # im Herbst 2022; seit dem Frühjahr; im kommenden Sommer
        (
            "season",
            rf"(?:(?P<s_prep>im|in|seit(?:{S}dem)?|bis(?:{S}zum)?|ab(?:{S}dem)?|Anfang|Mitte|Ende){S})?"
            rf"(?:(?P<s_mod>{MOD}){S})?(?P<s_s>{SEA})(?:{S}(?P<s_y>{YEARNUM}))?(?![\w-])",
        ),
        # zu Ostern; am Gründonnerstag; Weihnachten 2024
        (
            "holiday",
            rf"(?:(?P<h_prep>am|an|zu|zum|über|vor|nach|seit|bis|ab){S})?(?P<h_h>{HOL})(?:{S}(?P<h_y>{YEARNUM}))?"
            r"(?![\w-])",
        ),
        # in der Nacht auf/zum Mittwoch
        (
            "night",
            rf"in{S}der{S}Nacht{S}(?:auf|zum|zu){S}(?:(?:den|dem){S})?(?P<n_wd>{WD})(?![\w-])",
        ),
        # von Montag bis Mittwoch; Montag und Dienstag
        (
            "wdrange",
            rf"(?:(?:von|vom|zwischen|am|an){S})?(?P<wr_1>{WD}){S}(?:bis(?:{S}zum)?|und){S}(?P<wr_2>{WD})(?![\w-])",
        ),
        # am kommenden Donnerstag; an diesem Sonntag; Dienstagabend; seit Montag; am heutigen Montag
        (
            "weekday",
            rf"(?:(?P<w_prep>am|an|seit|bis|ab|für|vom|von|zum|bis{S}zum|ab{S}dem|seit{S}dem){S})?"
            rf"(?:(?P<w_mod>{MOD}|{DEIC_ADJ}){S})?"
            rf"(?P<w_wd>{WD})(?P<w_dp>{DP})?(?:{S}(?P<w_dp2>{DP}|früh)(?![\w-]))?(?![\w-])",
        ),
        # Ende der nächsten Woche; im kommenden Jahr; nächste Woche; am vergangenen Wochenende
        (
            "rel",
            rf"(?:(?P<q_part>Anfang|Mitte|Ende|Beginn){S})?"
            rf"(?:(?:im|in|am|an|für|seit|bis|ab|über|zum|zur|übers|vom|der|des|dem|den|das|die){S})?"
            rf"(?:{ART}{S})?"
            rf"(?P<q_mod>{MOD}){S}(?P<q_unit>Wochenendes?|Wochen?|Monats?|Jahr(?:es|s)?)(?![\w-])",
        ),
        # Ende des Jahres; Mitte der Woche
        (
            "partof",
            rf"(?P<po_part>Anfang|Mitte|Ende|Beginn){S}(?:des|der){S}(?P<po_unit>Woche|Monats|Jahres)(?![\w-])",
        ),
        # zum Jahresende; bis zur Jahresmitte
        (
            "unitpart",
            rf"(?:(?:bis{S})?(?:zum|zur|am|an|im|seit|ab|nach|vor|gegen){S}(?:(?:{ART}){S})?)?(?P<up_w>{UP})(?![\w-])",
        ),
        # am Wochenende; übers Wochenende
        (
            "weekend",
            rf"(?:am|übers|über{S}das|an{S}dem|zum){S}Wochenende(?![\w-])",
        ),
        # heute; gestern Abend; morgen früh; bis heute
        (
            "deictic",
            rf"(?:(?P<x_prep>seit|bis|ab|von|noch|erst){S})?(?P<x_w>{DEIC})"
            rf"(?:{S}(?P<x_dp>{DP}|früh)(?![\w-]))?(?![\w-])",
        ),
        # am heutigen Tag; am gestrigen Abend
        (
            "deicadj",
            rf"(?:(?:am|vom|des|dem){S})?(?P<xa_w>{DEIC_ADJ}){S}(?:Tag|Tages|{DP})(?![\w-])",
        ),
        # vor drei Tagen; seit zwei Jahren; in zwei Wochen
        (
            "ago",
            rf"(?P<a_prep>vor|seit|in|binnen|innerhalb{S}von){S}(?P<a_n>{NUM}){S}"
            rf"(?P<a_unit>Tagen|Tag|Wochen|Woche|Monaten|Monat|Jahren|Jahr)(?![\w-])",
        ),
        # am selben Tag; tags darauf; am Vortag; zwei Tage später; an diesem Tag
        (
            "anaph",
            rf"(?:(?:noch|erst|schon|bereits){S})?"
            rf"(?:(?:am|an){S}(?P<an_w>selben|gleichen|nächsten|folgenden|darauffolgenden|vorherigen|diesem|jenem)"
            rf"{S}(?P<an_u>Tag|{DP})"
            rf"|am{S}Tag{S}(?P<an_w2>darauf|danach|zuvor|davor)"
            rf"|tags{S}(?P<an_w3>darauf|zuvor|danach)"
            rf"|am{S}(?P<an_w4>Folgetag|Vortag)"
            rf"|(?P<an_n>{NUM}){S}(?P<an_unit>Tage|Tag|Wochen|Woche){S}(?P<an_w5>später|danach|darauf|zuvor|vorher|davor|früher))"
            r"(?![\w-])",
        ),
        # am Nachmittag; am frühen Abend; in der Nacht
        (
            "daypart",
            rf"(?:am|gegen|in{S}der|im|zur){S}(?:(?:frühen|späten){S})?(?P<p_dp>{DP})(?![\w-])",
        ),
        # fünftägigen; 5-tägige; zweiwöchige
        (
            "durw",
            rf"(?P<u_n>{NUMW}|\d{{1,3}})-?(?P<u_unit>tägig|wöchig)(?:e[nmrs]?)?(?![\w-])",
        ),
        # fünf Tage; zwei Wochen lang
        (
            "dur",
            rf"(?P<v_n>{NUM}){S}(?P<v_unit>Tage|Tagen|Tag|Wochen|Woche)(?:{S}lang)?(?!{S}(?:vor|nach|später|zuvor)\b)"
            r"(?![\w-])",
        ),
        # zurzeit; derzeit
        ("present", rf"(?P<pr_w>{PRES})(?![\w-])"),
        # anschließend; danach; zum Auftakt
        ("sequence", rf"(?P<sq_w>{SEQ})(?![\w-])"),
        # im Jahr 2013; seit 1999; 1967
        (
            "year",
            rf"(?:(?P<y_prep>im{S}Jahre?|seit(?:{S}dem{S}Jahre?)?|bis(?:{S}zum{S}Jahre?)?|ab|von|vor|nach|Anfang|"
            rf"Mitte|Ende|in|um|Jahres|des{S}Jahres|Jahr){S})?(?P<y_y>{YEARNUM})(?![\w-]|[.,]\d)",
        ),
    ]
    # The words an expression of each family may begin with: only these positions are tried,
    # and only with the families they can begin (one big alternation tried everywhere is 10x slower).
    first = {
        "range": "vom von am zwischen ab #",
        "wddate": "am an ab seit bis vom von @mod @wd",
        "date": "am vom bis seit ab zum den dem #",
        "month": "im seit bis ab vom von für anfang mitte ende beginn @mon",
        "season": "im in seit bis ab anfang mitte ende @mod @season",
        "holiday": "am an zu zum über vor nach seit bis ab @hol",
        "night": "in",
        "wdrange": "von vom zwischen am an @wd",
        "weekday": "am an seit bis ab für vom von zum @mod @deicadj @wd",
        "rel": "anfang mitte ende beginn im in am an für seit bis ab über zum zur übers vom @mod",
        "partof": "anfang mitte ende beginn",
        "weekend": "am übers über an zum",
        "unitpart": "bis zum zur am an im seit ab nach vor gegen @up",
        "deictic": "seit bis ab von noch erst @deic",
        "deicadj": "am vom des dem @deicadj",
        "ago": "vor seit in binnen innerhalb",
        "anaph": "noch erst schon bereits am an tags @num #",
        "daypart": "am gegen in im zur",
        "durw": "@num #",
        "dur": "@num #",
        "present": "@pres",
        "sequence": "@seq",
        "year": "im seit bis ab von vor nach anfang mitte ende in um jahres des jahr #",
    }
    groups = {
        "@wd": [w.lower() for w in lx.weekdays],
        "@mon": [m.lower() for m in lx.months],
        "@mod": list(lx.modifiers),
        "@season": [w.lower() for w in lx.seasons],
        "@hol": [h.split()[0] for h in lx.holidays],
        "@deic": [w for w in lx.deictic if not w.endswith("igen")],
        "@deicadj": [w for w in lx.deictic if w.endswith("igen")],
        "@num": list(lx.numbers),
        "@pres": [w.split()[0] for w in lx.present],
        "@seq": [w.split()[0] for w in lx.sequence],
        "@up": list(lx.unitparts),
    }
    families = []
    by_word: dict[str, list[int]] = {}
    digit: list[int] = []
    for i, (name, rx) in enumerate(alternatives):
        families.append((name, re.compile(rf"(?<![\w.,-])(?P<{name}>{rx})", re.IGNORECASE)))
        for item in first[name].split():
            if item == "#":
                digit.append(i)
            for word in groups.get(item, [item] if not item.startswith(("@", "#")) else []):
                by_word.setdefault(word, []).append(i)
    # Words that only introduce an expression ("am", "in", "Ende", "zwei") are tried only when a
    # following word can carry one (looking past an article: "in der Nacht"); most "in" lead nowhere.
    cores = (
        set(groups["@wd"])
        | set(groups["@mon"])
        | set(groups["@deic"])
        | set(groups["@season"])
        | {h for h in lx.holidays if " " not in h}
        | {w for w in lx.present if " " not in w}
        | {w for w in lx.sequence if " " not in w}
        | set(lx.unitparts)
    )
    leads = {w for w in by_word if w not in cores}
    followers = (
        cores
        | set(groups["@mod"])
        | set(groups["@deicadj"])
        | set(groups["@num"])
        | set(groups["@hol"])
        | {d.lower() for d in lx.dayparts}
        | {w.split()[1] for w in lx.present if " " in w}
        | {w.split()[1] for w in lx.sequence if " " in w}
        | set(ordered(lang, "time_follow.txt"))
    )
    return Patterns(
        families=tuple(families),
        leads=frozenset(leads),
        followers=frozenset(followers),
        by_word={w: tuple(dict.fromkeys(v)) for w, v in by_word.items()},
        digit=tuple(digit),
        weekday_prefixes=tuple(w.lower() for w in lx.weekdays),
        weekday_stems=frozenset(w[:5].lower() for w in lx.weekdays),
        index={name: i for i, (name, _) in enumerate(alternatives)},
        weekday_families=tuple(i for i, (n, _) in enumerate(alternatives) if "@wd" in first[n].split()),
        duration_families=tuple(i for i, (n, _) in enumerate(alternatives) if n == "durw"),
    )


@dataclass(frozen=True)
class Patterns:
    families: tuple[tuple[str, re.Pattern[str]], ...]
    leads: frozenset[str]
    followers: frozenset[str]
    by_word: dict[str, tuple[int, ...]]
    digit: tuple[int, ...]
    weekday_prefixes: tuple[str, ...]
    weekday_families: tuple[int, ...]
    duration_families: tuple[int, ...]
    weekday_stems: frozenset[str]
    index: dict[str, int]

    def families_for(self, lows: list[str], k: int) -> tuple[int, ...]:
        """The families (by priority) an expression starting at word k may belong to; `lows` are
        the lowercased words. Called for few words: find() prefilters with `maybe_start`."""
        w = lows[k]
        fams = self.by_word.get(w)
        if fams is not None:
            if w in self.leads and not self.may_follow(lows, k + 1):
                return ()
            return fams
        if w[:1].isdigit():
            return self._digit_families(w, lows[k + 1] if k + 1 < len(lows) else "")
        if w.startswith(self.weekday_prefixes):
            return self.weekday_families  # "Dienstagabend"
        if w.endswith(_DURATION_ENDINGS):
            return self.duration_families  # "fünftägigen"
        return ()

    def _digit_families(self, w: str, nxt: str) -> tuple[int, ...]:
        ix = self.index
        if "." in w:
            return (ix["range"], ix["date"])  # "3.11.2024", "3.11"
        if len(w) == 4 or (len(w) > 4 and w[:4].isdigit() and w[4] == "/"):
            return (ix["year"],)  # "1967", "2012/13"
        if nxt == ".":
            return (ix["range"], ix["date"])  # "3. November", "3. bis 5. Mai"
        if nxt in ("-", "–", "—", "/"):
            return (ix["range"], ix["durw"])  # "3.-5.", "5-tägig"
        if nxt in _DAY_UNITS:
            return (ix["anaph"], ix["dur"])  # "zwei Tage später", "fünf Tage"
        return ()

    def maybe_start(self, w: str) -> bool:
        """Cheap test for every word of an article (lowercased)."""
        return w in self.by_word or w[:1] in _DIGITS or w[:5] in self.weekday_stems or "ägig" in w or "öchig" in w

    def may_follow(self, lows: list[str], k: int, depth: int = 2) -> bool:
        """Can word k continue a time expression? Articles and other leading words are looked
        past ("in der Nacht", "bis zum 20. Juni", "noch am selben Tag"), at most `depth` of them."""
        if k >= len(lows):
            return False
        w = lows[k]
        if w in _ARTICLES or (w in self.leads and w not in self.followers):
            return depth > 0 and self.may_follow(lows, k + 1, depth - 1)
        return (
            w in self.followers
            or w[:1] in _DIGITS
            or (w[:5] in self.weekday_stems and w.startswith(self.weekday_prefixes))
            or w.endswith(_DURATION_ENDINGS)
        )

    def match_with(self, text: str, pos: int, families: tuple[int, ...], endpos: int) -> re.Match[str] | None:
        for i in families:
            m = self.families[i][1].match(text, pos, endpos)
            if m:
                return m
        return None


_DIGITS = frozenset("0123456789")
_DAY_UNITS = frozenset(("tag", "tage", "tagen", "woche", "wochen"))
_ARTICLES = frozenset(("der", "dem", "den", "des", "das", "die"))
_DURATION_ENDINGS = tuple(stem + ending for stem in ("tägig", "wöchig") for ending in ("", "e", "en", "em", "er", "es"))
