"""A sentence seen as clauses and argument slots: which names are subjects, which follow a preposition.

German has no offline parser, so the event rules work on a light analysis:
clause boundaries at commas that open a subordinate or relative clause, and,
for every name, the preposition that governs it (skipping articles,
adjectives, role and class nouns between the two).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..lang import table, wordlist
from ..record import Entity, Mention, Record, Sentence, Token

_SOFT_BREAKS = {";", ":"}
_DASHES = {"–", "—"}


@dataclass(slots=True)
class Slot:
    """One name in a sentence with what governs it."""

    mention: Mention
    entity: Entity
    first: int  # token index
    last: int  # token index, inclusive
    clause: int
    prep: str | None  # lowercase preposition governing the name, if any


@dataclass(slots=True)
class Reference:
    """A pronoun or a description ("der CDU-Politiker", "die Präsidentin") standing for a person."""

    index: int
    clause: int
    prep: str | None
    party: str | None = None
    role: str | None = None
    country: str | None = None  # a nationality noun names one ("die Schwedin": SE)


@dataclass(slots=True)
class SentenceView:
    sentence: Sentence
    tokens: list[Token]
    lower: list[str]
    clause_of: list[int]
    slots: list[Slot] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)

    def index_of(self, offset: int) -> int:
        for i, t in enumerate(self.tokens):
            if t.start >= offset:
                return i
        return len(self.tokens) - 1

    def has(self, *words: str) -> bool:
        return any(w in self.lower for w in words)


class ClauseAnalyzer:
    def __init__(self, lang: str = "de"):
        self.prepositions = wordlist(lang, "prepositions.txt")
        self.pronouns = table(lang, "pronouns.tsv")
        self.fillers = wordlist(lang, "np_fillers.txt")
        self.openers = wordlist(lang, "clause_openers.txt")
        self.adverbs = wordlist(lang, "clause_adverbs.txt")
        self.subordinators = wordlist(lang, "clause_subordinators.txt")
        self.determiners = wordlist(lang, "determiners.txt")
        self.demonyms = table(lang, "demonyms.tsv")
        self.member_nouns = wordlist(lang, "member_nouns.txt")  # nationality noun -> ISO country
        self.genitive = {k: frozenset(v.split()) for k, v in table(lang, "genitive_articles.tsv").items()}

    @staticmethod
    def _verb_ends(toks: list[Token], j: int) -> bool:
        # A subordinate clause ends in its verb: a lower-case word before the comma.
        return toks[j].text.isalpha() and toks[j].text[:1].islower()

    def _verb_follows(self, toks: list[Token], lower: list[str], j: int) -> bool:
        # A lower-case word that is no preposition or article: the finite verb of a new clause.
        return (
            j < len(toks)
            and toks[j].text[:1].islower()
            and lower[j] not in self.prepositions
            and lower[j] not in self.determiners
        )

    def view(
        self,
        record: Record,
        sentence: Sentence,
        is_title: Callable[[str], bool],
        party_in: Callable[[str], str | None],
        mentions: list[Mention] | None = None,
    ) -> SentenceView:
        """`is_title` tells role and class nouns ("Bürgermeisterin", "Pharmariesen") that may stand
        between a preposition and the name it governs; `mentions`, if given, are those of this sentence."""
        toks = record.sentence_tokens(sentence)
        lower = [t.text.lower() for t in toks]
        clause_of: list[int] = []
        clause = 0
        resume: int | None = None  # the clause to go back to after a parenthesis between dashes
        fronted = bool(lower) and lower[0] in self.subordinators  # "Nachdem …, trafen sich …"
        for i, w in enumerate(lower):
            # ", der bereits …" opens a relative clause; ", dem Ministerpräsidenten Tusk" goes on with a list.
            listing = w in self.determiners and i + 1 < len(toks) and toks[i + 1].text[:1].isupper()
            if i > 0 and lower[i - 1] in _DASHES:
                if resume is None and _DASHES & set(lower[i:]):
                    resume, clause = clause, max(clause_of) + 1  # "– wie schon Horst Köhler –"
                elif resume is not None:
                    clause, resume = resume, None
                else:
                    clause = max(clause_of) + 1
            elif i > 0 and (lower[i - 1] == "," and w in self.openers and not listing or lower[i - 1] in _SOFT_BREAKS):
                clause = max(clause_of) + 1
            elif i > 0 and lower[i - 1] == "," and w in self.adverbs and self._verb_follows(toks, lower, i + 1):
                clause = max(clause_of) + 1
            elif fronted and i > 1 and lower[i - 1] == "," and self._verb_ends(toks, i - 2):
                if self._verb_follows(toks, lower, i):
                    clause, fronted = max(clause_of) + 1, False
            clause_of.append(clause)
        view = SentenceView(sentence, toks, lower, clause_of)
        by_start = {t.start: i for i, t in enumerate(toks)}
        for m in record.mentions if mentions is None else mentions:
            if not sentence.span.contains(m.span) or m.entity is None or m.entity not in record.entities:
                continue
            first = by_start.get(m.span.start)
            if first is None:
                continue
            last = first
            while last + 1 < len(toks) and toks[last + 1].end <= m.span.end:
                last += 1
            member_compound = m.span.end < toks[last].end and lower[last].rsplit("-", 1)[-1] in self.member_nouns
            if _bracketed_apposition(lower, first, last) or (m.span.end < toks[last].end and not member_compound):
                # a label in brackets, or a name inside a compound ("CDU" in "CDU-Politiker"); but the
                # "G7-Staaten" are the G7 acting
                continue
            view.slots.append(
                Slot(
                    m,
                    record.entities[m.entity],
                    first,
                    last,
                    clause_of[first],
                    self._governor(toks, lower, first, is_title),
                )
            )
        self._share_coordinated_governors(view, is_title)
        taken = {i for s in view.slots for i in range(s.first, s.last + 1)}
        for i, w in enumerate(lower):
            if i in taken:
                continue
            tok = toks[i].text
            if i == 0 and is_title(tok) and len(toks) > 1 and toks[1].text[:1].islower():
                # A headline's bare office as subject: "Bundespräsident traf Merkel und Gauck".
                view.references.append(Reference(i, clause_of[i], None, party=party_in(tok), role=tok))
            elif (w in self.pronouns and not (tok == "Sie" and i > 0)) or (
                tok in self.demonyms and i > 0 and lower[i - 1] in ("der", "die", "den", "dem")
            ):
                # A pronoun, or a nationality that stands for a person ("Die Schwedin traf sich …").
                view.references.append(
                    Reference(i, clause_of[i], self._governor(toks, lower, i, is_title), country=self.demonyms.get(tok))
                )
            elif (
                is_title(tok)
                and i > 0
                and lower[i - 1] in self.determiners
                and not (i + 1 < len(toks) and toks[i + 1].text[:1].isupper() and i + 1 in taken)
            ):
                view.references.append(
                    Reference(i, clause_of[i], self._governor(toks, lower, i, is_title), party=party_in(tok), role=tok)
                )
        return view

    def _share_coordinated_governors(self, view: SentenceView, is_title: Callable[[str], bool]) -> None:
        """In "beim Konzern Microsoft und der Polizeibehörde" the second name is governed by "beim" too."""
        slots = sorted(view.slots, key=lambda s: s.first)
        for prev, cur in zip(slots, slots[1:], strict=False):
            if cur.prep is not None or prev.prep is None or prev.clause != cur.clause:
                continue
            between = view.lower[prev.last + 1 : cur.first]
            if prev.prep == "des" and between[:1] == [","]:
                continue  # "Der Chef der NASA, Michael Griffin,": the comma names the chief, not the agency
            if between[:1] == [","] and (prev.entity.type == "person") != (cur.entity.type == "person"):
                continue  # "zwischen Belgrad und Pristina, Tomas Lindqvist,": a person after places is no list item
            if (
                between
                and between[0] in ("und", "sowie", "oder", ",")
                and all(
                    w in self.determiners
                    or w in ("und", "sowie", "oder", ",", "(")
                    or w.endswith("-")
                    or re.fullmatch(r"[a-zäöüß-]+(e|en|er|es|em)", w)
                    or is_title(view.tokens[prev.last + 1 + k].text)
                    for k, w in enumerate(between)
                )
            ):
                cur.prep = prev.prep

    def _governor(self, toks: list[Token], lower: list[str], first: int, is_title: Callable[[str], bool]) -> str | None:
        j = first - 1
        apposition = False
        while j >= 0:
            w, tok = lower[j], toks[j].text
            if w in self.prepositions:
                return w
            if w in self.genitive["certain"]:
                return "des"  # a genitive attribute ("des Bundestages") is no subject or object
            if not apposition and w in self.genitive["after_office"] and j > 0 and toks[j - 1].text[:1].isupper():
                if is_title(toks[j - 1].text):
                    return "des"  # "der Chef der NASA", "die Präsidentin der EU-Kommission": the office's genitive
            if w == ",":
                # An apposition: "mit seinem Amtskollegen, Bronisław Komorowski", "mit der Ministerin für
                # Fischerei und Ozeane, Claire Tremblay": the office before the comma has the preposition.
                k = j - 1
                while (
                    k > 0
                    and k >= j - 6
                    and not is_title(toks[k].text)
                    and (toks[k].text[:1].isupper() or lower[k] in ("für", "und", "der", "des", "von"))
                ):
                    k -= 1
                if k >= 0 and is_title(toks[k].text):
                    j, apposition = k, True
                    continue
                return None
            # "deutschen", "40-köpfigen"
            adjective = (tok[:1].islower() or tok[:1].isdigit()) and re.fullmatch(
                r"[\w-]+(e|en|er|es|em)", tok
            ) is not None
            if (
                w in self.determiners
                or w in self.fillers
                or w.isdigit()
                or adjective
                or tok.endswith("-")
                or is_title(tok)
            ):
                j -= 1
                continue
            return None
        return None


def mentions_by_sentence(record: Record) -> list[list[Mention]]:
    """The mentions inside each sentence, in one pass over both (both sorted by offset)."""
    out: list[list[Mention]] = [[] for _ in record.sentences]
    k = 0
    for m in sorted(record.mentions, key=lambda m: m.span.start):
        while k < len(record.sentences) and record.sentences[k].span.end <= m.span.start:
            k += 1
        if k < len(record.sentences) and record.sentences[k].span.contains(m.span):
            out[k].append(m)
    return out


def _bracketed_apposition(lower: list[str], first: int, last: int) -> bool:
    """ "Giffey (SPD)", "Institute of Technology (MIT)": a label in brackets right after a name
    restates or qualifies that name and takes no part in the clause."""
    return (
        first >= 2
        and lower[first - 1] == "("
        and last + 1 < len(lower)
        and lower[last + 1] == ")"
        and lower[first - 2][:1].isalpha()
    )
