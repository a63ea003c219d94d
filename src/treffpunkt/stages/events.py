"""Entities, times and sentences -> typed encounter events with actors, place, time and status.

Rules over the light clause analysis of `clauses.py`: a trigger word from
lang/de/event_triggers.tsv opens an event; its frame says where the
arguments are (the destination after "nach/in/Richtung", the partner after
"mit", the object of "besucht"). Sentences without a named subject take the
article's current traveller, "dort" and "wo" take the current stop, and the
stop's date carries to the appointments made there.
"""

from __future__ import annotations

import re

from ..lang import table, wordlist
from ..record import Arg, Entity, Event, Record, Span, Status, TimeExpr
from .clauses import ClauseAnalyzer, Reference, SentenceView, Slot, mentions_by_sentence
from .entities import EntityResolver, antecedent
from .event_context import PARTY_TYPES, StoryState, Trigger, feminine, is_dateline, month_of, role_stem
from .event_frames import EventFrames


class EventExtractor(EventFrames):
    name = "events"
    requires = ("tokens", "sentences", "entities", "times", "quotes")
    assigns = ("events",)

    def __init__(self, lang: str = "de"):
        self.triggers = [
            (re.compile(pat), typ_frame.split("\t")[0], typ_frame.split("\t")[1])
            for pat, typ_frame in table(lang, "event_triggers.tsv").items()
        ]
        # One alternation per case, first pattern wins; gathering nouns only when capitalised.
        self._combined = {
            cap: self._combine([(p, t, f) for p, t, f in self.triggers if cap or f != "gather"])
            for cap in (True, False)
        }
        self.cues: dict[str, str] = table(lang, "event_cues.tsv")
        self.compound_cues = {kind: [c for c, k in self.cues.items() if k == kind] for kind in ("sport", "violence")}
        self._kinds_of: dict[str, frozenset[str]] = {}
        self._trigger_of: dict[str, tuple[str, str] | None] = {}  # word (+ "^" if capitalised) -> (type, frame)
        self.clauses = ClauseAnalyzer(lang)
        self.lex = EntityResolver(lang).lex
        self.traveler_refs = {w.lower() for w in wordlist(lang, "traveler_refs.txt")}
        self.agreement_objects = wordlist(lang, "agreement_objects.txt")
        self.joinable = wordlist(lang, "joinable_groups.txt")
        self.former = wordlist(lang, "former_markers.txt")
        self.media = {w.casefold() for w in wordlist(lang, "media_names.txt")}
        self.order_cues = table(lang, "trip_order_cues.tsv")
        self.words = {key: frozenset(value.split()) for key, value in table(lang, "event_words.tsv").items()}

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _combine(rows: list[tuple[re.Pattern[str], str, str]]) -> tuple[re.Pattern[str], list[tuple[str, str]]]:
        pattern = "|".join(f"(?P<g{k}>{p.pattern})" for k, (p, _, _) in enumerate(rows))
        return re.compile(pattern), [(t, f) for _, t, f in rows]

    def _is_title(self, word: str) -> bool:
        return self.lex.is_role(word) or self.lex.is_org_class(word) or self.lex.is_place_class(word)

    def _triggers(self, record: Record, view: SentenceView) -> list[Trigger]:
        out = []
        slot_tokens = {i for s in view.slots for i in range(s.first, s.last + 1)}
        # What a speaker says inside quotation marks is not the reporter's account of an encounter.
        quoted = [q.span for q in record.quotes if q.kind == "direct" and q.span.overlaps(view.sentence.span)]
        if len(view.lower) > 2 and view.lower[0] == "mit" and view.lower[1] in self.words["along_openers"]:
            out.append(Trigger(0, "accompany", "join"))  # "Mit ihm reisten …", "Mit auf der Reise waren …"
        for i, w in enumerate(view.lower):
            if i in slot_tokens or any(q.contains(view.tokens[i].span) for q in quoted):
                continue
            capitalised = view.tokens[i].text[:1].isupper()
            if w == "anfang" and not (i > 0 and view.lower[i - 1] == "den"):
                continue  # "Den Anfang macht Tirana", not "Anfang Februar"
            found = self._lookup_trigger(w, capitalised)
            if found is None and capitalised and "-" in w.strip("-"):
                # "Hannover-Besuch", "China-Reise", "Nato-Gipfel": the noun after the last hyphen decides.
                found = self._lookup_trigger(w.rsplit("-", 1)[1], True)
            if found is not None:
                out.append(Trigger(i, found[0], found[1]))
        return out

    def _lookup_trigger(self, word: str, capitalised: bool) -> tuple[str, str] | None:
        """The first trigger pattern the word matches; gathering nouns ("Treffen", "Gipfel") only when
        capitalised, so the verb "treffen" falls through to the next pattern. Cached per word form."""
        key = word + ("^" if capitalised else "")
        if key not in self._trigger_of:
            hit = None
            combined, rows = self._combined[capitalised]
            m = combined.fullmatch(word)
            if m is not None:
                hit = rows[int(m.lastgroup[1:])]  # type: ignore[index]
            if len(self._trigger_of) < 500_000:
                self._trigger_of[key] = hit
            return hit
        return self._trigger_of[key]

    def _cue(self, view: SentenceView, kind: str) -> bool:
        if kind in ("sport", "violence"):
            return any(kind in self._compound_kinds(w) for w in view.lower)
        return any(self.cues.get(w) == kind for w in view.lower)

    def _any(self, view: SentenceView, key: str) -> bool:
        return not self.words[key].isdisjoint(view.lower)

    def _compound_kinds(self, word: str) -> frozenset[str]:
        """Cue kinds a word's compound parts name, by their head: "handball-bundesliga", "weltmeisterschaft"
        (not "Schüssel"). Cached per word form."""
        kinds = self._kinds_of.get(word)
        if kinds is None:
            kinds = frozenset(
                kind
                for kind, cues in self.compound_cues.items()
                for part in word.split("-")
                for c in cues
                if c == part or (len(c) >= 5 and part.endswith(c))
            )
            if len(self._kinds_of) < 500_000:
                self._kinds_of[word] = kinds
        return kinds

    def _resolve_ref(self, record: Record, view: SentenceView, ref: Reference, state: StoryState) -> str | None:
        """A pronoun means the current traveller, else the nearest person before it. A description
        ("der CDU-Politiker", "die Präsidentin") means a person whose party or role it names, else the
        traveller when nothing speaks against it; an unmatched description ("der Sprecher") stays open."""
        offset = view.tokens[ref.index].start
        if ref.role is None and ref.party is None:
            # "Nach Gesprächen mit Gusmão bleibt er im Amt": not the one he talked with
            partners = frozenset(
                s.entity.id for s in view.slots if s.clause == ref.clause and s.prep in self.words["with_preps"]
            )
            traveler = state.traveler if state.traveler not in partners else None
            found = traveler or antecedent(record, offset, exclude=partners)
            person = record.entities.get(found) if found else None
            if ref.country and person is not None and person.type == "person" and person.country is None:
                person.country = ref.country  # "Die Schwedin traf sich in Wien …": her home is Sweden
            return found
        fitting = []
        for ent in record.entities.values():
            if ent.type != "person":
                continue
            if ref.party and ent.party == ref.party and (state.traveler is None or ent.id == state.traveler):
                return ent.id
            if ref.role and any(role_stem(ref.role) == role_stem(r.split()[-1]) for r in ent.roles):
                fitting.append(ent)
        fitting = [e for e in fitting if not self._former(e)]  # "der Bundeskanzler" is not "der damalige"
        if fitting:
            # Two people with one office: the description means the one the report is about.
            return max(fitting, key=lambda e: (len(e.mentions), -e.mentions[0].start if e.mentions else 0)).id
        if state.traveler:
            trav = record.entities[state.traveler]
            if ref.party and trav.party not in (None, ref.party):
                return None
            if not trav.roles or not ref.role or feminine(ref.role) == any(feminine(r.split()[-1]) for r in trav.roles):
                if ref.party and trav.party is None:
                    trav.party = ref.party  # "der CDU-Politiker" tells the traveller's party
                return state.traveler
        return None

    def _former(self, ent: Entity) -> bool:
        return bool(ent.roles) and all(
            any(w in self.former or w.startswith("Ex-") for w in r.split()) for r in ent.roles
        )

    def _subject(
        self,
        record: Record,
        view: SentenceView,
        clause: int,
        state: StoryState,
        exclude: set[str],
        kinds: set[str] = PARTY_TYPES,
    ) -> tuple[str, Span] | None:
        """The first name or reference in the clause not governed by a preposition."""
        cands: list[tuple[int, str, Span]] = []
        for s in view.slots:
            if s.clause == clause and s.prep is None and s.entity.type in kinds and s.entity.id not in exclude:
                cands.append((s.first, s.entity.id, s.mention.span))
        for ref in view.references:
            if ref.clause == clause and ref.prep is None and not self._plural(view, ref):
                ent = self._resolve_ref(record, view, ref, state)
                if ent and ent not in exclude:
                    cands.append((ref.index, ent, view.tokens[ref.index].span))
        if not cands:
            return None
        cands.sort()
        return cands[0][1], cands[0][2]

    def _setting(self, view: SentenceView, trig: Trigger) -> bool:
        """A meeting noun after a preposition is where the clause happens, which its negation does not
        undo: "haben sich auf einem Treffen in Innsbruck nicht geeinigt" (but "nicht zu einem Treffen")."""
        if trig.frame != "gather":
            return False
        before = view.lower[max(0, trig.index - 3) : trig.index]
        return any(w in self.words["setting_preps"] for w in before)

    def _plural_pronoun(self, view: SentenceView, clause: int) -> bool:
        """A plural "sie" is the clause's subject ("Damit beseitigten sie …")."""
        return any(r.clause == clause and r.prep is None and self._plural(view, r) for r in view.references)

    def _plural_auxiliary(self, view: SentenceView, clause: int) -> bool:
        """ "sind Menschen zum Brenner gereist": a plural verb, so not the one traveller the story follows."""
        return any(
            view.clause_of[i] == clause and w in self.words["plural_auxiliaries"] for i, w in enumerate(view.lower)
        )

    def _plural(self, view: SentenceView, ref: Reference) -> bool:
        """ "sie" next to a plural verb: "beseitigten sie", "sie wollen", "sie sind"."""
        if view.tokens[ref.index].text.lower() not in self.words["plural_pronouns"]:
            return False
        near = [view.lower[i] for i in (ref.index - 1, ref.index + 1) if 0 <= i < len(view.lower)]
        return any(w.isalpha() and (w.endswith("en") or w in self.words["plural_auxiliaries"]) for w in near)

    def _places(self, view: SentenceView, clause: int | None, preps: set[str] | None) -> list[Slot]:
        return [
            s
            for s in view.slots
            if s.entity.type in ("place", "polity")
            and (clause is None or s.clause == clause)
            and (preps is None or s.prep in preps)
            and not is_dateline(view, s)
            and s.prep != "des"
        ]

    def _genitive_places(self, view: SentenceView) -> None:
        """A place in the genitive before a title or class noun only qualifies that noun ("Chinas
        Präsident": China takes no part). Before a class noun and a place name, the preposition
        belongs to the name: "in Ägyptens Hauptstadt Kairo" is in Kairo (without a name, in Egypt)."""
        for k, slot in enumerate(view.slots):
            if not self._genitive_modifier(view, slot):
                continue
            named = view.slots[k + 1] if k + 1 < len(view.slots) else None
            if (
                slot.prep is not None
                and named is not None
                and named.first == slot.last + 2
                and named.prep is None
                and named.entity.type in ("place", "polity")
                and self.lex.is_place_class(view.tokens[slot.last + 1].text)
            ):
                named.prep, slot.prep = slot.prep, "des"
            elif slot.prep is None:
                slot.prep = "des"
        for slot in view.slots:
            # "traf in der deutschen Hauptstadt Angela Merkel": the place is unnamed, and the
            # preposition before it does not govern the person after it.
            if (
                slot.prep not in (None, "des")
                and slot.entity.type not in ("place", "polity")
                and slot.first > 0
                and self.lex.is_place_class(view.tokens[slot.first - 1].text)
            ):
                slot.prep = None

    def _genitive_modifier(self, view: SentenceView, s: Slot) -> bool:
        """ "Ghanas Hauptstadt Accra", "Chinas Präsident": the place only qualifies the next noun."""
        nxt = s.last + 1
        return (
            view.tokens[s.last].text.endswith("s") and nxt < len(view.tokens) and self._is_title(view.tokens[nxt].text)
        )

    def _time_for(self, record: Record, view: SentenceView, trig_index: int) -> TimeExpr | None:
        span = view.sentence.span
        inside = [t for t in record.times if span.contains(t.span) and t.start is not None and t.days is None]
        if not inside:
            return None
        pos = view.tokens[trig_index].start
        # The most precise expression wins ("Zum Auftakt am Donnerstag"), then the nearest.
        return min(inside, key=lambda t: (-len(t.start or ""), abs(t.span.start - pos)))

    def _status(
        self, record: Record, view: SentenceView, when: TimeExpr | None, state: StoryState, etype: str, trig_index: int
    ) -> Status:
        from .time import sentence_tense

        if etype == "partnership":
            return "happened"
        if self._cue(view, "cancel") or ("sagte" in view.lower and "ab" in view.lower):
            return "cancelled"
        tense = sentence_tense(record, view.sentence)
        trip_like = etype in ("trip", "visit", "accompany")
        if trip_like and (
            self._cue(view, "arrived")
            or (view.lower[trig_index] in self.words["arrive_verbs"] and self._cue(view, "arrived_particle"))
        ):
            return "ongoing"  # "ist … aufgebrochen", "traf am Sonntag in Quito ein": there now
        if tense == "past":
            # "wollte … weiterreisen": an intention stated in the past is still a plan.
            if self._any(view, "past_intent") or self._any(view, "announced"):
                return "planned"
            return "happened"
        if self._cue(view, "ongoing") or (when is not None and when.direction == "past" and tense == "present"):
            return "ongoing"
        if tense == "future" or self._cue(view, "plan") or (when is not None and when.direction == "future"):
            return "planned"
        # Present tense with no time: part of an announced trip, or under way ("verhandelt mit …"); a
        # present tense does not report the past, whatever the story's earlier events were
        inherited = state.trip_status if state.trip_status != "happened" else None
        return inherited or ("planned" if trip_like else "ongoing")

    # -- the frames --------------------------------------------------------------------------

    def __call__(self, record: Record) -> Record:
        from .time import is_irrealis

        state = StoryState()
        events: list[Event] = []
        body = record.article.body_span
        per_sentence = mentions_by_sentence(record)
        for sentence, mentions in zip(record.sentences, per_sentence, strict=True):
            if not body.contains(sentence.span):
                continue
            view = self.clauses.view(record, sentence, self._is_title, self.lex.party_in, mentions)
            self._genitive_places(view)
            triggers = self._triggers(record, view)
            if not triggers:
                self._note_places(view, state)
                continue
            if self._cue(view, "sport") or self._cue(view, "violence"):
                self._note_places(view, state)
                continue
            # A negation holds in its own clause: "wurden … nicht bekannt, nachdem … stattgefunden hatte".
            negated = {view.clause_of[i] for i, w in enumerate(view.lower) if self.cues.get(w) == "negation"}
            triggers = [t for t in triggers if view.clause_of[t.index] not in negated or self._setting(view, t)]
            if not triggers:
                self._note_places(view, state)
                continue
            if is_irrealis(record, sentence) and not self._cue(view, "cancel"):
                continue
            state.in_sentence = []
            for trig in triggers:
                for ev in self._frame(record, view, trig, state):
                    state.in_sentence.append(ev)
                    if ev.type == "meeting":
                        state.last_meeting = [ev]
                    key = (
                        ev.type,
                        tuple(sorted(a.entity for a in ev.actors)),
                        tuple(sorted(a.entity for a in ev.counterparts)),
                        ev.place.entity if ev.place else None,
                    )
                    if key in state.seen:
                        continue
                    state.seen.add(key)
                    ev.id = f"ev{len(events) + 1}"
                    events.append(ev)
            self._note_places(view, state)
        for ev in state.awaiting_guests:
            if state.traveler and state.traveler not in {a.entity for a in ev.actors}:
                ev.counterparts = [Arg(state.traveler, self._mention_of(record, state.traveler))]
        unnamed = {id(ev) for ev in state.awaiting_guests if not ev.counterparts}
        record.events = [ev for ev in events if id(ev) not in unnamed]
        for k, ev in enumerate(record.events, 1):
            ev.id = f"ev{k}"  # no gaps where a host's unnamed guests left an event out
        return record

    def _note_places(self, view: SentenceView, state: StoryState) -> None:
        places = self._places(view, None, None)
        if places:
            state.last_place = places[-1].entity.id

    def _event(
        self,
        record: Record,
        view: SentenceView,
        trig: Trigger,
        etype: str,
        actors: list[Arg],
        counterparts: list[Arg],
        place: Arg | None,
        state: StoryState,
        when: TimeExpr | None = None,
    ) -> Event:
        when = when or self._time_for(record, view, trig.index)
        if (
            when is not None
            and when.text
            and when.start
            and len(when.start) == 10
            and (place is None or place.entity == state.leg)
        ):
            state.leg_time = when  # later appointments at this stop happen on this day unless told otherwise
        elif when is not None and not (when.start and len(when.start) == 10) and etype != "partnership":
            inherited = self._inherited_time(record, place, state, etype)
            if inherited is not None and inherited.start and len(inherited.start) > len(when.start or ""):
                when = inherited  # "danach", "zum Abschluss": no date of their own
        status = self._status(record, view, when, state, etype, trig.index)
        if when is None:
            when = self._inherited_time(record, place, state, etype)
        return Event(
            id="",
            type=etype,
            actors=actors,
            counterparts=counterparts,
            place=place,
            when=when,  # type: ignore[arg-type]
            status=status,
            evidence=view.sentence.span,
            trigger=view.tokens[trig.index].span,
        )

    def _inherited_time(self, record: Record, place: Arg | None, state: StoryState, etype: str) -> TimeExpr | None:
        """An event the text does not date happens when its stop happens; the first stop when the trip
        starts; a later stop in the trip's month; else in the month of publication."""
        if etype == "partnership":
            return None
        if (place is None or place.entity == state.leg) and state.leg_time is not None:
            return state.leg_time
        if state.trip_time is not None and state.trip_time.start:
            if state.leg is None or (place is not None and place.entity == state.first_place):
                return state.trip_time
            return month_of(state.trip_time)
        pub = record.article.published
        if pub:
            return TimeExpr(span=Span(0, 0), text="", start=pub[:7], direction="unknown")
        return None

    def _frame(self, record: Record, view: SentenceView, trig: Trigger, state: StoryState) -> list[Event]:
        clause = view.clause_of[trig.index]
        frame = trig.frame
        if frame in ("go", "stop"):
            return self._trip(record, view, trig, clause, state)
        if frame == "see":
            return self._visit(record, view, trig, clause, state)
        if frame == "together" and "zusammen" not in view.lower:
            return self._trip(record, view, trig, clause, state)  # "kam eigens nach Kärnten"
        if frame == "gather_verb":
            # "… hatte eine Ministerrunde stattgefunden": only a gathering of a group, not of a trip.
            if not any(s.clause == clause and s.prep is None and s.entity.type == "group" for s in view.slots):
                return []
            trig = Trigger(trig.index, trig.type, "gather")
            frame = "gather"
        if frame in ("meet", "with", "host", "together", "gather"):
            return self._meeting(record, view, trig, clause, state)
        if frame == "join":
            return self._accompany(record, view, trig, clause, state)
        if frame == "lead":
            return self._lead(record, view, trig, clause, state)
        if frame == "stay":
            return self._stay(record, view, trig, clause, state)
        if frame == "sign":
            return self._agreement(record, view, trig, clause, state)
        if frame == "partner":
            return self._partnership(record, view, trig, state)
        return []

    def _traveler(
        self,
        record: Record,
        view: SentenceView,
        clause: int,
        state: StoryState,
        people: frozenset[str] = frozenset({"person", "group"}),
    ) -> tuple[str, Span] | None:
        """Who acts: a person or group named as subject, else the current traveller, else an organisation."""
        subj = self._subject(record, view, clause, state, set(), people)
        if subj is None and clause > 0:
            subj = self._subject(record, view, 0, state, set(), people)
        if subj is not None and state.traveler and self.lex.is_delegation(record.entities[subj[0]].name):
            subj = None  # "verbringt die Delegation …": the traveller's party goes where the traveller goes
        if subj is None and self._plural_pronoun(view, clause):
            return None  # "Damit beseitigten sie …": several people we cannot name, not the traveller
        if subj is None and state.traveler:
            return state.traveler, self._mention_of(record, state.traveler)
        if subj is None:
            subj = self._subject(record, view, clause, state, set(), {"organization"})
        if subj is None:
            # "Nach seinen Gesprächen mit …", "bei ihrem Besuch in …": whose, the possessive says.
            for i, w in enumerate(view.lower):
                if view.clause_of[i] == clause and w in self.words["possessives"]:
                    ent = antecedent(record, view.tokens[i].start)
                    if ent:
                        return ent, view.tokens[i].span
        return subj
