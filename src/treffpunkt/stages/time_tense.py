"""Tense and mood of German clauses and sentences, by rule, from the word list time_tense.tsv.

A clause runs between commas, semicolons, colons, dashes and quotation marks (a parenthesis is
skipped, not a border). Its tense:
  future  an intention or schedule word ("will", "soll", "geplant"), or werden/würde with an
          infinitive closing the clause ("wird … reisen", "…, dass er reisen wird")
  past    a preterite ("traf", "besuchte"), "hatte"/"war", or haben/sein with a participle
  present otherwise
Past reporting verbs ("teilte … mit", "sagte") make their own clause past, but a sentence only
when nothing else in it carries a tense: "X reist am Sonntag nach Y, teilte Z mit" is about Sunday.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from ..lang import ordered, table
from ..record import Record, Sentence, Token

Tense = Literal["past", "present", "future"]

_BREAKS = frozenset(',;:–—„“”"«»‚‘')
_OPEN, _CLOSE = "(", ")"
_SEPARABLE = (
    "ab|an|auf|aus|bei|ein|fest|fort|heim|her|hin|los|mit|nach|statt|teil|vor|vorbei|weg|weiter|"
    "wieder|zu|zurück|zusammen|um|durch|dar|heraus|herein|hinaus|voran|bekannt|kennen|stand"
)
# ge-participles ("getroffen", "gereist", "angekündigt"), -iert participles ("informiert").
_PARTICIPLE = re.compile(rf"(?:(?:{_SEPARABLE})?ge\w{{2,}}(?:t|en)|\w{{3,}}iert)")
# Participles of verbs with an inseparable prefix look like the 3rd person present ("besucht");
# they count as participles only at the end of a clause with a perfect auxiliary.
_INSEPARABLE = re.compile(r"(?:be|er|ent|emp|ver|zer|miss|über|unter|hinter|wider)\w{2,}(?:t|en)")
_INFINITIVE = re.compile(r"\w{2,}(?:en|ern|eln)|sein|tun")
_WEAK_PRETERITE = re.compile(r"\w{3,}(?:te|ten)")
# Separable verbs take "zu" inside: "aufzusuchen", "abzuschließen".
_ZU_INFINITIVE = re.compile(rf"(?:{_SEPARABLE})zu\w{{2,}}(?:en|ern|eln)")


@dataclass(frozen=True, slots=True)
class ClauseTense:
    tense: Tense
    strong: bool  # False: only a past reporting verb made it past, or nothing did
    irrealis: bool
    report: bool  # a reporting verb (past or present) is in the clause
    subordinate: bool = False  # opens with a conjunction or relative pronoun ("dass", "wo", "die")
    intent: bool = False  # ends in a zu-infinitive ("…, X zu besuchen"): points forward, weakly


@cache
def _lex(lang: str) -> dict[str, str]:
    return {k.lower(): v for k, v in table(lang, "time_tense.tsv").items()}


@cache
def _strong(lang: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Strong preterite forms (stems and their "-en" plurals) and the verb prefixes."""
    stems = ordered(lang, "time_preterite.txt")
    forms = frozenset(stems) | frozenset(s + "en" for s in stems)
    prefixes = tuple(sorted(ordered(lang, "time_verb_prefixes.txt"), key=len, reverse=True))
    return forms, prefixes


def is_strong_preterite(word: str, lang: str = "de") -> bool:
    """ "traf", "trafen", "betraf", "ergaben", "stattfand": a stem, after at most two prefixes."""
    forms, prefixes = _strong(lang)
    if word in forms:
        return True
    for p in prefixes:
        if word.startswith(p):
            rest = word[len(p) :]
            if rest in forms:
                return True
            for q in prefixes:
                if rest.startswith(q) and rest[len(q) :] in forms:
                    return True
    return False


def clauses(tokens: list[Token]) -> list[list[Token]]:
    """Split a sentence's tokens into clauses; parenthesised tokens are dropped."""
    out: list[list[Token]] = [[]]
    depth = 0
    for tok in tokens:
        t = tok.text
        if t == _OPEN:
            depth += 1
            continue
        if t == _CLOSE:
            depth = max(0, depth - 1)
            continue
        if depth:
            continue
        if t in _BREAKS:
            if out[-1]:
                out.append([])
            continue
        out[-1].append(tok)
    merged: list[list[Token]] = []
    for c in (c for c in out if c):
        words = [t.text for t in c if t.text[:1].isalpha()]
        if merged and (len(words) <= 1 or not any(w.islower() for w in words)):
            # an apposition of names (", Tesla Motors,") or a lone verb after one (", besucht.") goes on
            # with the clause before: "hat den Hersteller, Tesla Motors, besucht"
            merged[-1].extend(c)
        else:
            merged.append(c)
    return merged


def _words(clause: list[Token]) -> list[str]:
    return [t.text for t in clause if t.text[:1].isalpha()]


def _is_participle(w: str, at_end: bool) -> bool:
    if not w.islower():
        return False
    return bool(_PARTICIPLE.fullmatch(w)) or (at_end and bool(_INSEPARABLE.fullmatch(w)))


def clause_tense(words: list[str], lang: str = "de", first: bool = True) -> ClauseTense:
    """`first`: the clause opens the sentence ("Um 10 Uhr traf er …": "um" is a preposition there)."""
    lex = _lex(lang)
    low = [w.lower() for w in words]
    classes = [lex.get(w) for w in low]
    n = len(words)
    future = past = report = report_past = irrealis = cond = False
    have_be = have_kii = False
    for i, (w, c) in enumerate(zip(words, classes, strict=True)):
        if c == "plan":
            future = True
        elif c == "past":
            past = True
        elif c == "report":
            report = report_past = True
        elif c == "report_now":
            report = True
        elif c in ("have", "be"):
            have_be = True
        elif c == "kii":
            irrealis = True
            if low[i] in ("hätte", "hätten", "hättest", "wäre", "wären", "wärst"):
                have_kii = True
        elif c == "cond":
            cond = True
        elif c is None and w.islower():
            if _WEAK_PRETERITE.fullmatch(w) and not w.startswith("ge") and not _ZU_INFINITIVE.fullmatch(w):
                prev = classes[i - 1] if i else None
                if prev != "det" and not (i and low[i - 1] == "zu"):
                    past = True
            elif len(w) >= 3 and (i == 0 or classes[i - 1] != "det") and is_strong_preterite(w, lang):
                past = True
    if i_bigram(low, lex, "cond"):
        cond = True
    # werden / würde + an infinitive closing the clause (or before a clause-final werden form).
    werden_at = [i for i, c in enumerate(classes) if c == "werden" or low[i] in ("würde", "würden", "würdest")]
    if werden_at and n >= 2:
        last, before = words[-1], words[-2]
        if werden_at[-1] == n - 1:
            inf = before
        else:
            inf = last
        if inf.islower() and _INFINITIVE.fullmatch(inf) and (not inf.startswith("ge") or lex.get(inf.lower()) == "inf"):
            future = True
    if (have_be or have_kii) and not future:
        last_idx = n - 1
        if classes[last_idx] in ("have", "be", "kii") and n >= 2:
            last_idx -= 1
        for i, w in enumerate(words):
            if classes[i] not in ("plan",) and _is_participle(w, at_end=i == last_idx):
                past = True
                break
    if future:
        tense: Tense = "future"
    elif past:
        tense = "past"
    elif report_past:
        tense = "past"
    else:
        tense = "present"
    subordinate = bool(low) and (classes[0] in ("sub", "cond") or (classes[0] == "subprep" and not first))
    intent = n >= 2 and low[-2] == "zu" and bool(_INFINITIVE.fullmatch(words[-1]))
    intent = intent or (bool(low) and _ZU_INFINITIVE.fullmatch(low[-1]) is not None and classes[-1] is None)
    return ClauseTense(
        tense,
        strong=future or past,
        irrealis=irrealis or cond,
        report=report,
        subordinate=subordinate,
        intent=intent,
    )


def i_bigram(low: list[str], lex: dict[str, str], cls: str) -> bool:
    firsts = _bigram_firsts(id(lex), lex)
    return any(a in firsts and lex.get(f"{a} {b}") == cls for a, b in zip(low, low[1:], strict=False))


_FIRSTS: dict[int, frozenset[str]] = {}


def _bigram_firsts(key: int, lex: dict[str, str]) -> frozenset[str]:
    """First words of the two-word entries ("im Falle"), so most word pairs skip the lookup."""
    if key not in _FIRSTS:
        _FIRSTS[key] = frozenset(k.split()[0] for k in lex if " " in k)
    return _FIRSTS[key]


def _sentence_clauses(record: Record, sentence: Sentence, lang: str) -> list[ClauseTense]:
    parts = clauses(record.sentence_tokens(sentence))
    return [clause_tense(_words(c), lang, first=i == 0) for i, c in enumerate(parts)]


def sentence_tense(record: Record, sentence: Sentence, lang: str = "de") -> Tense:
    """The sentence's tense, for an event's status.

    The main clause's tense comes first (a subordinate clause opens with a conjunction or a
    relative pronoun); then any clause's. Present tense with a time expression pointing forward
    (or back) is future (or past): "An diesem Sonntag startet …" is future; "seit Montag" is
    still present. A zu-infinitive after a present or reporting clause points forward
    ("teilte mit, X stehe bereit, sich mit Y zu treffen").
    """
    tenses = _sentence_clauses(record, sentence, lang)
    # A main clause that frames a report ("gab bekannt, er wolle …") yields to what is reported.
    main = [t for t in tenses if t.strong and not t.subordinate and not t.report]
    if main:
        return main[0].tense
    strong = {t.tense for t in tenses if t.strong}
    if "future" in strong:
        return "future"
    if "past" in strong:
        return "past"
    for tx in record.times:
        if sentence.span.contains(tx.span) and tx.direction in ("future", "past") and (tx.start or tx.end):
            if tx.direction == "past" and tx.text.lower().startswith("seit"):
                continue  # "seit Montag in Kanada": under way, still present
            if _in_reporting_clause(record, sentence, tx.span.start, lang):
                continue  # "teilte … am Donnerstag mit": when it was told
            return tx.direction
    if any(t.intent for t in tenses):
        return "future"
    if len(tenses) == 1 and tenses[0].tense == "past":
        return "past"
    inherited = _story_direction(record, sentence, lang)
    if inherited in INHERIT:
        return inherited
    return "present"


INHERIT = ("future",)  # past inheritance measured worse: "ongoing" events read as past


def _story_direction(record: Record, sentence: Sentence, lang: str) -> str | None:
    """The direction of the last dated time expression before the sentence: a present-tense
    sentence in a trip announced for the future ("Erste Station ist Tokio.") is part of it."""
    for tx in reversed(record.times):
        if tx.span.start >= sentence.span.start or not (tx.start or tx.end):
            continue
        if tx.direction not in ("future", "past"):
            continue
        sent = record.sentence_of(tx.span.start)
        if sent is not None and _in_reporting_clause(record, sent, tx.span.start, lang):
            continue
        return tx.direction
    return None


def _in_reporting_clause(record: Record, sentence: Sentence, offset: int, lang: str) -> bool:
    for i, clause in enumerate(clauses(record.sentence_tokens(sentence))):
        if clause[0].start <= offset < clause[-1].end:
            ct = clause_tense(_words(clause), lang, first=i == 0)
            return ct.report and not ct.strong
    return False


def is_irrealis(record: Record, sentence: Sentence, lang: str = "de") -> bool:
    """Hypothetical: Konjunktiv II ("würde reisen", "hätte … getroffen", "wäre gekommen").

    Konjunktiv II in a sentence with a reporting verb is usually reported speech standing in for
    Konjunktiv I ("Die Minister sagten, sie würden am Montag reisen"): not hypothetical, unless a
    conditional ("wenn", "falls", "im Falle") frames it. An open conditional without
    Konjunktiv II ("…, sich mit X zu treffen, wenn er zurückkehre") is a plan with a condition,
    not a hypothesis: the dev gold keeps such encounters as planned. "auch wenn" concedes a fact.
    """
    lex = _lex(lang)
    low = [t.text.lower() for t in record.sentence_tokens(sentence) if t.text[:1].isalpha()]
    kii = cond = report = False
    for i, w in enumerate(low):
        c = lex.get(w)
        if c == "kii":
            kii = True
        elif c == "cond":
            concessive = (i and low[i - 1] == "auch") or (i + 1 < len(low) and low[i + 1] == "auch")
            if not concessive:
                cond = True
        elif c in ("report", "report_now"):
            report = True
    if i_bigram(low, lex, "cond"):
        cond = True
    return kii and (cond or not report)
