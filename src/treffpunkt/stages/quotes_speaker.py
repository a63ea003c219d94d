"""Who is speaking: the noun phrase next to a reporting verb, resolved to an entity.

A speaker phrase is a resolved mention ("Kai Wegner", "die Senatskanzlei"), a
pronoun ("er", "sie") or a description ("der CDU-Politiker", "ein Sprecher der
Downing Street", "ein WWF-Sprecher"). Pronouns and definite descriptions refer
back to the nearest person named before them; an indefinite description without
a named organization is an anonymous speaker (entity None).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Literal

from ..record import Mention, Record, Span
from .quotes_lexicon import QuoteLexicon

_DEFINITE = {"der", "die", "das", "dem", "den", "des"}
_INDEFINITE = {"ein", "eine", "einer", "einen", "einem", "eines"}
_POSSESSIVE = {"sein", "seine", "seiner", "seinen", "ihr", "ihre", "ihrer", "ihren", "dessen", "deren"}
# Short words that may stand between a reporting verb and its subject: "sagte dazu Merkel".
_SKIP = frozenset(
    "auch dazu nun jedoch zudem außerdem dagegen hingegen aber bereits erneut damals später weiter "
    "ebenfalls darin daraufhin denn noch jetzt schon zuletzt sich allerdings zugleich gestern heute "
    "ferner indes indessen wiederum".split()
)
_COORD = {"und", "sowie"}
# what ends the clause before a reporting verb; parentheses do not: "Trauernicht (SPD) sagte"
_CLAUSE_BOUNDARY = {":", ";", "„", "“", "”", "»", "«", '"'}
_BOUNDARY = {":", ";", "„", "“", "”", "»", "«", '"', "(", ")"}
# Entity types that can speak; places cannot.
_SPEAKING = {"person", "organization", "polity", "group"}
_END = {".", "!", "?"}
# how far back (characters) "die Organisation" may point to a named organisation
_ANAPHORA_REACH = 600
_SUBORD = {"wie", "als", "nachdem", "während", "weil", "da", "dass", "ob", "wobei", "womit", "worauf"}
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _fold(s: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", s.casefold().translate(_FOLD)).strip()


@dataclass(frozen=True, slots=True)
class SpeakerRef:
    """A speaker phrase in the text and the entities it names (none: unknown or anonymous)."""

    span: Span
    kind: Literal["name", "pronoun", "description"]
    entities: tuple[str, ...] = ()
    anonymous: bool = False  # "ein Sprecher", "Kritiker": a speaker is stated but not named


class SpeakerFinder:
    """Finds and resolves speaker phrases in one record."""

    def __init__(self, record: Record, lex: QuoteLexicon):
        self.record = record
        self.lex = lex
        self.tokens = record.tokens
        self._starts = [t.start for t in self.tokens]
        # token index -> the speaking-capable mention covering it
        self.mention_at: dict[int, Mention] = {}
        self.person_mentions: list[tuple[int, str]] = []  # (start offset, entity id), in text order
        for m in sorted(record.mentions, key=lambda m: (m.span.start, -m.span.end)):
            ent = record.entities.get(m.entity) if m.entity else None
            if ent is None or ent.type not in _SPEAKING:
                continue
            for i in self.token_range(m.span):
                self.mention_at.setdefault(i, m)
            if ent.type == "person":
                self.person_mentions.append((m.span.start, ent.id))
        self._person_starts = [s for s, _ in self.person_mentions]
        # other speakers (organisations, groups) by the words of their names, for "die Kommission"
        self.other_mentions: list[tuple[int, str, frozenset[str]]] = []
        for m in record.mentions:
            ent = record.entities.get(m.entity) if m.entity else None
            if ent is not None and ent.type in _SPEAKING and ent.type != "person":
                self.other_mentions.append((m.span.start, ent.id, frozenset(_fold(ent.name).split())))
        self.other_mentions.sort()
        # folded name or alias -> entity id, for compounds like "WWF-Sprecher" and for names the
        # tagger missed in one place ("Künast sagte" after "Renate Künast" was found)
        self.alias: dict[str, str] = {}
        surnames: dict[str, set[str]] = {}
        for ent in record.entities.values():
            if ent.type in _SPEAKING:
                for form in (ent.name, *ent.aliases):
                    if _fold(form):
                        self.alias.setdefault(_fold(form), ent.id)
                if ent.type == "person" and len(ent.name.split()) > 1:
                    surnames.setdefault(_fold(ent.name.split()[-1]), set()).add(ent.id)
        for name, ids in surnames.items():
            if len(ids) == 1 and len(name) > 2:
                self.alias.setdefault(name, next(iter(ids)))

    def token_range(self, span: Span) -> range:
        lo = bisect.bisect_left(self._starts, span.start)
        hi = bisect.bisect_left(self._starts, span.end)
        return range(lo, hi)

    # -- resolution ------------------------------------------------------------------------------

    def person_before(self, offset: int) -> str | None:
        """The person named last before `offset`."""
        i = bisect.bisect_left(self._person_starts, offset)
        return self.person_mentions[i - 1][1] if i else None

    def _mention_ref(self, i: int, start: int | None = None) -> tuple[SpeakerRef, int]:
        """The mention at token i (and one joined by "und"), and the token after it."""
        m = self.mention_at[i]
        ents = [m.entity]
        end = m.span.end
        j = self.token_range(m.span).stop
        # "Werner Schulz und Jelena Hoffmann sagten": both speak
        if j + 1 < len(self.tokens) and self.tokens[j].text in _COORD:
            other = self.phrase_at(j + 1, min(j + 8, len(self.tokens)))
            if other is not None and other.entities and other.kind != "pronoun":
                ents.extend(e for e in other.entities if e not in ents)
                end = other.span.end
                j = self.token_range(other.span).stop
        s = self.tokens[start].start if start is not None else m.span.start
        return SpeakerRef(Span(min(s, m.span.start), end), "name", tuple(e for e in ents if e)), j

    def _named_before(self, noun: str, offset: int) -> str | None:
        """The organisation or group that "die <noun>" points back to: the one named last before `offset`
        whose name has `noun` as a word ("die Staatsanwaltschaft" -> "Bezirks-Staatsanwaltschaft von
        Manhattan"), within a few sentences; for a class noun ("die Organisation") else the one named last."""
        key = _fold(noun)
        by_name = last = None
        for start, eid, words in self.other_mentions:
            if start >= offset:
                break
            if start >= offset - _ANAPHORA_REACH:
                last = eid
                if key in words or any(w.endswith(key) for w in words):  # "Fraktion": "SPD-Landtagsfraktion"
                    by_name = eid
        if by_name is not None:
            return by_name
        return last if key in self.lex.org_nouns else None

    def _compound_entity(self, word: str) -> str | None:
        """ "WWF-Sprecher" -> the entity named "WWF"."""
        if "-" not in word:
            return None
        head = word.rsplit("-", 1)[0]
        return self.alias.get(_fold(head))

    # -- phrases ---------------------------------------------------------------------------------

    def _is_role_compound(self, i: int) -> bool:
        """ "Oceana-Direktor", "VW-Finanzvorstand": a role noun whose first part a mention covers."""
        tok = self.tokens[i]
        m = self.mention_at.get(i)
        return m is not None and m.span.end < tok.end and self.lex.is_role(tok.text.rsplit("-", 1)[-1].title())

    def _apposition(self, j: int, stop: int) -> SpeakerRef | None:
        """A person named in apposition after a description: "der AU-Sondergesandte für Burundi, Ibrahima Fall"."""
        for k in range(j, min(j + 8, stop - 1)):
            t = self.tokens[k].text
            if t == "," and k + 1 in self.mention_at:
                m = self.mention_at[k + 1]
                ent = self.record.entities.get(m.entity) if m.entity else None
                if ent is not None and ent.type == "person" and m.span.start == self.tokens[k + 1].start:
                    return self._mention_ref(k + 1)[0]
                return None
            if t in _BOUNDARY or t in {".", ","} or (k > j and self.lex.verbs.get(t.lower()) is not None):
                return None
        return None

    def phrase_at(self, i: int, stop: int, *, bare_noun: bool = False) -> SpeakerRef | None:
        """A speaker phrase that starts at token i (tokens i..stop-1 are available). With `bare_noun`,
        a capitalised word that names no one ("sagen Kritiker") is an anonymous speaker."""
        if i >= stop:
            return None
        tok = self.tokens[i]
        low = tok.text.lower()
        if i in self.mention_at and not self._is_role_compound(i):
            return self._mention_ref(i)[0]
        if low in self.lex.pronouns:
            return SpeakerRef(tok.span, "pronoun")
        if tok.text[:1].isupper() and tok.text.isalpha() and _fold(tok.text) in self.alias:
            return SpeakerRef(tok.span, "name", (self.alias[_fold(tok.text)],))
        j = i
        if low in _DEFINITE or low in _INDEFINITE or low in _POSSESSIVE:
            j += 1
        # adjectives and ordinals before the noun: "der neue", "die stellvertretende", "der 65-jährige"
        while (
            j < stop
            and j - i < 4
            and j not in self.mention_at
            and j > i
            and (self.tokens[j].text[:1].islower() or self.tokens[j].text[:1].isdigit())
            and self.tokens[j].text != "und"
        ):
            j += 1
        if j >= stop:
            return None
        if j in self.mention_at and not self._is_role_compound(j):
            return self._mention_ref(j, start=i)[0]
        word = self.tokens[j].text
        # "die Dissidentin Miriam Leiva", "der Kiewer Politologe Alexander Kawa": any noun before a name
        k = j
        while k < min(j + 2, stop - 1) and self.tokens[k].text[:1].isupper() and k not in self.mention_at:
            nxt = self.mention_at.get(k + 1)
            if nxt is not None and self.is_person(nxt.entity) and nxt.span.start == self.tokens[k + 1].start:
                return self._mention_ref(k + 1, start=i)[0]
            k += 1
        if not self.lex.is_role(word) and not self._compound_entity(word) and not self._is_role_compound(j):
            if low in _DEFINITE and word[:1].isupper():
                # "die Staatsanwaltschaft" after "die Bezirks-Staatsanwaltschaft von Manhattan"
                ent = self._named_before(word, tok.start)
                if ent is not None:
                    return SpeakerRef(Span(tok.start, self.tokens[j].end), "description", (ent,))
            if bare_noun and word[:1].isupper() and word.isalpha() and low not in _INDEFINITE:
                # "sagen Kritiker", "die Anwohner": someone speaks, but no one we can name
                return SpeakerRef(Span(tok.start, self.tokens[j].end), "description", anonymous=True)
            return None
        # "Regierungssprecher Steffen Seibert", "der Sprecher Béla Anda": the name after the role
        if j + 1 < stop and j + 1 in self.mention_at:
            return self._mention_ref(j + 1, start=i)[0]
        appo = self._apposition(j + 1, stop)
        if appo is not None:
            return appo
        start = self.tokens[i].start
        if self._is_role_compound(j):
            # "sagte der ÖVP-Generalsekretär" after "ÖVP-Generalsekretär Peter McDonald": the office holder
            holder = self._holder(word, tok.start) if low in _DEFINITE else None
            if holder is not None:
                return SpeakerRef(Span(start, self.tokens[j].end), "description", (holder,))
            return SpeakerRef(
                Span(start, tok.end if i == j else self.tokens[j].end),
                "description",
                (self.mention_at[j].entity,) if self.mention_at[j].entity else (),
            )
        # "ein Sprecher der Downing Street", "die Sprecherin des Ministeriums"
        k = j + 1
        if k < stop and self.tokens[k].text.lower() in {"der", "des", "von", "vom"}:
            for m in range(k + 1, min(k + 5, stop)):
                if m in self.mention_at:
                    ref, after = self._mention_ref(m)
                    # "der Geschäftsführer der CDU/CSU Norbert Röttgen": the person after the organisation
                    for n in range(after, min(after + 5, stop)):
                        if n in self.mention_at and self.is_person(self.mention_at[n].entity):
                            return self._mention_ref(n, start=i)[0]
                        if self.tokens[n].text in _BOUNDARY or self.tokens[n].text in {",", "."}:
                            break
                    appo = self._apposition(after, stop)
                    if appo is not None:
                        return appo
                    return SpeakerRef(Span(start, ref.span.end), "description", ref.entities)
                if self.tokens[m].text in {",", ".", ":"}:
                    break
                if self.tokens[m].text == "und":
                    # "der Vizepräsident des Senats und Lega-Spitzenpolitiker Roberto Calderoli"
                    for n in range(m + 1, min(m + 4, stop)):
                        if n in self.mention_at and self.is_person(self.mention_at[n].entity):
                            return self._mention_ref(n, start=i)[0]
                    break
        ent = self._compound_entity(word)
        if ent is not None:
            return SpeakerRef(Span(start, self.tokens[j].end), "description", (ent,))
        span = Span(start, self.tokens[j].end)
        if low in _DEFINITE or low in _POSSESSIVE or (i == j and word.endswith("Jährige")):
            return SpeakerRef(span, "description")
        return SpeakerRef(span, "description", anonymous=True)

    def phrase_after(self, i: int, stop: int) -> SpeakerRef | None:
        """The speaker phrase right after a reporting verb at i-1: "sagte (dazu) Merkel"."""
        j = i
        while j < stop and j - i < 2 and self.tokens[j].text.lower() in _SKIP:
            j += 1
        return self.phrase_at(j, stop, bare_noun=True)

    def phrase_before(self, i: int, start: int) -> SpeakerRef | None:
        """The subject before a reporting verb at i: "Merkel sagte", "Der Sprecher X hatte am Mittwoch erklärt",
        "Stephen Singer, ein Klimaexperte vom WWF, erklärte", "wie die Polizei mitteilte".

        The clause before the verb is read from its start; a named person wins over other phrases
        (appositions name organisations), else the first phrase counts."""
        lo = i
        while lo > start and self.tokens[lo - 1].text not in _CLAUSE_BOUNDARY and self.tokens[lo - 1].text not in _END:
            lo -= 1
        # a comma starts the clause when a subordinating word follows it: "…, wie die Polizei mitteilte"
        for k in range(i - 1, lo, -1):
            if self.tokens[k - 1].text == "," and self.tokens[k].text.lower() in _SUBORD:
                lo = k + 1
                break
        first: SpeakerRef | None = None
        k = lo
        while k < i:
            ref = self.phrase_at(k, i)
            if ref is None:
                k += 1
                continue
            if self.is_genitive(ref):
                k = max(k + 1, self.token_range(ref.span).stop)
                continue  # "Stoibers Äußerungen": a possessor, not the subject
            if ref.kind == "name" and any(self.is_person(e) for e in ref.entities):
                return ref
            if first is None:
                first = ref
            k = max(k + 1, self.token_range(ref.span).stop)
        return first

    def is_genitive(self, ref: SpeakerRef) -> bool:
        """A name in the possessive s-genitive: "Stoibers", "Merkels" (but not "Jacques" or "Thomas")."""
        if ref.kind != "name" or len(ref.entities) != 1:
            return False
        word = self.record.text[ref.span.start : ref.span.end]
        ent = self.record.entities.get(ref.entities[0])
        if ent is None or not word.endswith("s") or ent.name.endswith("s"):
            return False
        return not any(a.endswith("s") and _fold(a) == _fold(word) for a in ent.aliases)

    def is_person(self, entity_id: str | None) -> bool:
        ent = self.record.entities.get(entity_id) if entity_id else None
        return ent is not None and ent.type == "person"

    def resolve(
        self,
        ref: SpeakerRef,
        *,
        plural: bool = False,
        before: int | None = None,
        recent: tuple[str, ...] = (),
        since: int = 0,
        recent_phrase: str = "",
    ) -> tuple[str, ...]:
        """The entities a speaker phrase names. A pronoun or definite description refers back: to a person
        whose roles name the description's noun, else to the recent speaker (`recent`, a person, quoted
        from offset `since`) unless another person is named after that, else to the person named last
        before `before` (the start of the phrase's sentence)."""
        if ref.entities or ref.anonymous:
            return ref.entities
        if ref.kind == "pronoun" and plural:
            return ()  # "sie sagten": a group we do not track
        limit = ref.span.start if before is None else min(before, ref.span.start)
        if ref.kind == "description":
            # "Der Sprecher teilte auch mit" after "ein Sprecher der Downing Street sagte": the same speaker
            words = _fold(self.record.text[ref.span.start : ref.span.end]).split()
            if recent and words and words[-1] in _fold(recent_phrase).split():
                return recent
            by_role = self._person_with_role(ref, limit)
            if by_role:
                return (by_role,)
        i = bisect.bisect_left(self._person_starts, limit)
        named_since = i > 0 and self.person_mentions[i - 1][0] >= since
        if recent and all(self.is_person(e) for e in recent) and not named_since:
            return recent
        ent = self.person_before(limit) or self.person_before(ref.span.start)
        return (ent,) if ent else ()

    def _holder(self, compound: str, limit: int) -> str | None:
        """The person named last before `limit` who holds the office a compound names, organisation
        included ("ÖVP-Generalsekretär")."""
        words = _fold(compound).split()
        full = head = None
        for start, eid in self.person_mentions:
            if start >= limit:
                break
            roles = [_fold(r).split() for r in self.record.entities[eid].roles]
            if any(set(words) <= set(r) for r in roles):
                full = eid
            elif any(r[-1:] == words[-1:] for r in roles):
                head = eid  # "Generalsekretär Peter McDonald", later "der ÖVP-Generalsekretär"
        return full or head

    def _person_with_role(self, ref: SpeakerRef, limit: int) -> str | None:
        """The person named last before `limit` whose roles share the description's noun ("der Minister")."""
        words = [w for w in _fold(self.record.text[ref.span.start : ref.span.end]).split() if len(w) > 3]
        if not words:
            return None
        noun = words[-1]
        best: tuple[int, str] | None = None
        for start, eid in self.person_mentions:
            if start >= limit:
                break
            ent = self.record.entities[eid]
            if any(noun in _fold(r) or _fold(r).split()[-1:] == [noun] for r in ent.roles):
                best = (start, eid)
        return best[1] if best else None
