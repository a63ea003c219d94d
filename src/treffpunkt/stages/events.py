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
from dataclasses import dataclass, field

from ..lang import table, wordlist
from ..record import Arg, Entity, Event, Record, Span, Status, TimeExpr
from .clauses import ClauseAnalyzer, Reference, SentenceView, Slot, mentions_by_sentence
from .entities import EntityResolver, antecedent

_PARTY_TYPES = frozenset({"person", "organization", "group"})


@dataclass(slots=True)
class _Trigger:
    index: int  # token index in the sentence view
    type: str
    frame: str


@dataclass(slots=True)
class _State:
    """What the article has established so far: who is travelling, where they are, since when."""

    traveler: str | None = None
    leg: str | None = None  # place entity id of the current stop
    leg_time: TimeExpr | None = None
    trip_time: TimeExpr | None = None
    trip_status: Status | None = None
    last_place: str | None = None
    first_place: str | None = None
    stops: list[str] = field(default_factory=list)  # the traveller's destinations in text order
    seen: set[tuple] = field(default_factory=set)
    in_sentence: list[Event] = field(default_factory=list)  # events found so far in the current sentence
    last_meeting: list[Event] = field(default_factory=list)  # the latest meeting, for "beide" and "ihr Gespräch"


class EventExtractor:
    name = "events"
    requires = ("tokens", "sentences", "entities", "times", "quotes")
    assigns = ("events",)

    def __init__(self, lang: str = "de"):
        self.triggers = [(re.compile(pat), typ_frame.split("\t")[0], typ_frame.split("\t")[1])
                         for pat, typ_frame in table(lang, "event_triggers.tsv").items()]
        # One alternation per case, first pattern wins; gathering nouns only when capitalised.
        self._combined = {cap: self._combine([(p, t, f) for p, t, f in self.triggers if cap or f != "gather"])
                          for cap in (True, False)}
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
        self.order_cues = table(lang, "trip_order_cues.tsv")
        self.words = {key: frozenset(value.split()) for key, value in table(lang, "event_words.tsv").items()}

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _combine(rows: list[tuple[re.Pattern[str], str, str]]) -> tuple[re.Pattern[str], list[tuple[str, str]]]:
        pattern = "|".join(f"(?P<g{k}>{p.pattern})" for k, (p, _, _) in enumerate(rows))
        return re.compile(pattern), [(t, f) for _, t, f in rows]

    def _is_title(self, word: str) -> bool:
        return self.lex.is_role(word) or self.lex.is_org_class(word) or self.lex.is_place_class(word)

    def _triggers(self, record: Record, view: SentenceView) -> list[_Trigger]:
        out = []
        slot_tokens = {i for s in view.slots for i in range(s.first, s.last + 1)}
        # What a speaker says inside quotation marks is not the reporter's account of an encounter.
        quoted = [q.span for q in record.quotes if q.kind == "direct" and q.span.overlaps(view.sentence.span)]
        if len(view.lower) > 2 and view.lower[0] == "mit" and view.lower[1] in self.words["along_openers"]:
            out.append(_Trigger(0, "accompany", "join"))  # "Mit ihm reisten …", "Mit auf der Reise waren …"
        for i, w in enumerate(view.lower):
            if i in slot_tokens or any(q.contains(view.tokens[i].span) for q in quoted):
                continue
            capitalised = view.tokens[i].text[:1].isupper()
            if w == "anfang" and not (i > 0 and view.lower[i - 1] == "den"):
                continue  # "Den Anfang macht Tirana", not "Anfang Februar"
            found = self._lookup_trigger(w, capitalised)
            if found is not None:
                out.append(_Trigger(i, found[0], found[1]))
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
            kinds = frozenset(kind for kind, cues in self.compound_cues.items() for part in word.split("-")
                              for c in cues if c == part or (len(c) >= 5 and part.endswith(c)))
            if len(self._kinds_of) < 500_000:
                self._kinds_of[word] = kinds
        return kinds

    def _resolve_ref(self, record: Record, view: SentenceView, ref: Reference, state: _State) -> str | None:
        """A pronoun means the current traveller, else the nearest person before it. A description
        ("der CDU-Politiker", "die Präsidentin") means a person whose party or role it names, else the
        traveller when nothing speaks against it; an unmatched description ("der Sprecher") stays open."""
        offset = view.tokens[ref.index].start
        if ref.role is None and ref.party is None:
            return state.traveler or antecedent(record, offset)
        fitting = []
        for ent in record.entities.values():
            if ent.type != "person":
                continue
            if ref.party and ent.party == ref.party and (state.traveler is None or ent.id == state.traveler):
                return ent.id
            if ref.role and any(_stem(ref.role) == _stem(r.split()[-1]) for r in ent.roles):
                fitting.append(ent)
        fitting = [e for e in fitting if not self._former(e)]  # "der Bundeskanzler" is not "der damalige"
        if fitting:
            # Two people with one office: the description means the one the report is about.
            return max(fitting, key=lambda e: (len(e.mentions), -e.mentions[0].start if e.mentions else 0)).id
        if state.traveler:
            trav = record.entities[state.traveler]
            if ref.party and trav.party not in (None, ref.party):
                return None
            if not trav.roles or not ref.role or _feminine(ref.role) == any(_feminine(r.split()[-1])
                                                                              for r in trav.roles):
                if ref.party and trav.party is None:
                    trav.party = ref.party  # "der CDU-Politiker" tells the traveller's party
                return state.traveler
        return None

    def _former(self, ent: Entity) -> bool:
        return bool(ent.roles) and all(any(w in self.former or w.startswith("Ex-") for w in r.split())
                                       for r in ent.roles)

    def _subject(self, record: Record, view: SentenceView, clause: int, state: _State,
                 exclude: set[str], kinds: set[str] = _PARTY_TYPES) -> tuple[str, Span] | None:
        """The first name or reference in the clause not governed by a preposition."""
        cands: list[tuple[int, str, Span]] = []
        for s in view.slots:
            if s.clause == clause and s.prep is None and s.entity.type in kinds and s.entity.id not in exclude:
                cands.append((s.first, s.entity.id, s.mention.span))
        for ref in view.references:
            if ref.clause == clause and ref.prep is None:
                ent = self._resolve_ref(record, view, ref, state)
                if ent and ent not in exclude:
                    cands.append((ref.index, ent, view.tokens[ref.index].span))
        if not cands:
            return None
        cands.sort()
        return cands[0][1], cands[0][2]

    def _places(self, view: SentenceView, clause: int | None, preps: set[str] | None) -> list[Slot]:
        return [s for s in view.slots if s.entity.type in ("place", "polity")
                and (clause is None or s.clause == clause)
                and (preps is None or s.prep in preps)
                and not _is_dateline(view, s) and s.prep != "des"]

    def _genitive_modifier(self, view: SentenceView, s: Slot) -> bool:
        """"Ghanas Hauptstadt Accra", "Chinas Präsident": the place only qualifies the next noun."""
        nxt = s.last + 1
        return (view.tokens[s.last].text.endswith("s") and nxt < len(view.tokens)
                and self._is_title(view.tokens[nxt].text))

    def _time_for(self, record: Record, view: SentenceView, trig_index: int) -> TimeExpr | None:
        span = view.sentence.span
        inside = [t for t in record.times if span.contains(t.span) and t.start is not None and t.days is None]
        if not inside:
            return None
        pos = view.tokens[trig_index].start
        # The most precise expression wins ("Zum Auftakt am Donnerstag"), then the nearest.
        return min(inside, key=lambda t: (-len(t.start or ""), abs(t.span.start - pos)))

    def _status(self, record: Record, view: SentenceView, when: TimeExpr | None, state: _State,
                etype: str, trig_index: int) -> Status:
        from .time import sentence_tense

        if etype == "partnership":
            return "happened"
        if self._cue(view, "cancel") or ("sagte" in view.lower and "ab" in view.lower):
            return "cancelled"
        tense = sentence_tense(record, view.sentence)
        trip_like = etype in ("trip", "visit", "accompany")
        if trip_like and (self._cue(view, "arrived") or (
                view.lower[trig_index] in self.words["arrive_verbs"] and self._cue(view, "arrived_particle"))):
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
        # Present tense with no time: part of an announced trip, or under way ("verhandelt mit …").
        return state.trip_status or ("planned" if trip_like else "ongoing")

    # -- the frames --------------------------------------------------------------------------

    def __call__(self, record: Record) -> Record:
        from .time import is_irrealis

        state = _State()
        events: list[Event] = []
        body = record.article.body_span
        per_sentence = mentions_by_sentence(record)
        for sentence, mentions in zip(record.sentences, per_sentence, strict=True):
            if not body.contains(sentence.span):
                continue
            view = self.clauses.view(record, sentence, self._is_title, self.lex.party_in, mentions)
            for slot in view.slots:
                if slot.prep is None and self._genitive_modifier(view, slot):
                    slot.prep = "des"  # "Chinas Präsident": China takes no part
            triggers = self._triggers(record, view)
            if not triggers:
                self._note_places(view, state)
                continue
            if self._cue(view, "negation") or self._cue(view, "sport") or self._cue(view, "violence"):
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
                    key = (ev.type, tuple(sorted(a.entity for a in ev.actors)),
                           tuple(sorted(a.entity for a in ev.counterparts)), ev.place.entity if ev.place else None)
                    if key in state.seen:
                        continue
                    state.seen.add(key)
                    ev.id = f"ev{len(events) + 1}"
                    events.append(ev)
            self._note_places(view, state)
        record.events = events
        return record

    def _note_places(self, view: SentenceView, state: _State) -> None:
        places = self._places(view, None, None)
        if places:
            state.last_place = places[-1].entity.id

    def _event(self, record: Record, view: SentenceView, trig: _Trigger, etype: str, actors: list[Arg],
               counterparts: list[Arg], place: Arg | None, state: _State,
               when: TimeExpr | None = None) -> Event:
        when = when or self._time_for(record, view, trig.index)
        if when is not None and when.text and when.start and len(when.start) == 10 and (
                place is None or place.entity == state.leg):
            state.leg_time = when  # later appointments at this stop happen on this day unless told otherwise
        elif when is not None and not (when.start and len(when.start) == 10) and etype != "partnership":
            inherited = self._inherited_time(record, place, state, etype)
            if inherited is not None and inherited.start and len(inherited.start) > len(when.start or ""):
                when = inherited  # "danach", "zum Abschluss": no date of their own
        status = self._status(record, view, when, state, etype, trig.index)
        if when is None:
            when = self._inherited_time(record, place, state, etype)
        return Event(id="", type=etype, actors=actors, counterparts=counterparts, place=place, when=when,  # type: ignore[arg-type]
                     status=status, evidence=view.sentence.span, trigger=view.tokens[trig.index].span)

    def _inherited_time(self, record: Record, place: Arg | None, state: _State, etype: str) -> TimeExpr | None:
        """An event the text does not date happens when its stop happens; the first stop when the trip
        starts; a later stop in the trip's month; else in the month of publication."""
        if etype == "partnership":
            return None
        if (place is None or place.entity == state.leg) and state.leg_time is not None:
            return state.leg_time
        if state.trip_time is not None and state.trip_time.start:
            if state.leg is None or (place is not None and place.entity == state.first_place):
                return state.trip_time
            return _month_of(state.trip_time)
        pub = record.article.published
        if pub:
            return TimeExpr(span=Span(0, 0), text="", start=pub[:7], direction="unknown")
        return None

    def _frame(self, record: Record, view: SentenceView, trig: _Trigger, state: _State) -> list[Event]:
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
            trig = _Trigger(trig.index, trig.type, "gather")
            frame = "gather"
        if frame in ("meet", "with", "host", "together", "gather"):
            return self._meeting(record, view, trig, clause, state)
        if frame == "join":
            return self._accompany(record, view, trig, clause, state)
        if frame == "sign":
            return self._agreement(record, view, trig, clause, state)
        if frame == "partner":
            return self._partnership(record, view, trig, state)
        return []

    def _traveler(self, record: Record, view: SentenceView, clause: int, state: _State,
                  people: frozenset[str] = frozenset({"person", "group"})) -> tuple[str, Span] | None:
        """Who acts: a person or group named as subject, else the current traveller, else an organisation."""
        subj = self._subject(record, view, clause, state, set(), people)
        if subj is None and clause > 0:
            subj = self._subject(record, view, 0, state, set(), people)
        if subj is not None and state.traveler and self.lex.is_delegation(record.entities[subj[0]].name):
            subj = None  # "verbringt die Delegation …": the traveller's party goes where the traveller goes
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

    def _trip(self, record: Record, view: SentenceView, trig: _Trigger, clause: int, state: _State) -> list[Event]:
        if trig.frame == "stop":
            dests = [s for s in self._places(view, None, None) if s.prep not in self.words["from_preps"]]
        else:
            dests = [s for s in self._places(view, clause, self.words["dest_preps"]) if s.first > trig.index - 8]
            if view.lower[trig.index].startswith(("geh", "ging", "kam", "kom")) and not view.has("weiter"):
                # "es geht weiter nach", "kam nach Kärnten"; not "gingen auf Distanz", "kommt in Den Haag vor"
                dests = [s for s in dests if s.prep == "nach"]
        if not dests:
            if trig.frame == "stop":
                return self._visit(record, view, trig, clause, state)  # "… steht auf dem Besuchsprogramm"
            if state.traveler is None:
                # "… ist von einer Reise durch Westafrika zurückgekehrt": the traveller, stops to follow.
                who = self._subject(record, view, clause, state, set(), {"person"})
                state.traveler = who[0] if who else None
            return []
        owner = self._noun_owner(view, trig)
        if trig.frame == "stop":
            # "Erste Station ist Tokio", "Auf seinem Programm stehen Boston und …": the traveller's stops.
            if not state.traveler:
                return []
            who = (state.traveler, self._mention_of(record, state.traveler))
        elif owner is not None:
            who = owner  # "der Staatsbesuch des französischen Präsidenten Sarkozy"
        else:
            who = self._traveler(record, view, clause, state)
        if who is None:
            return []
        actor = Arg(who[0], who[1])
        events = []
        for d in dests:
            place = Arg(d.entity.id, d.mention.span)
            ev = self._event(record, view, trig, "trip", [actor], [], place, state)
            events.append(ev)
            if state.traveler is None or state.traveler == who[0]:
                if state.trip_time is None and ev.when is not None and ev.when.text:
                    state.trip_time = ev.when
                if state.trip_status is None:
                    state.trip_status = ev.status
            state.traveler = state.traveler or who[0]
        last = dests[-1]
        new_leg = state.leg != last.entity.id
        state.leg = last.entity.id
        if who[0] == state.traveler:
            state.stops.extend(d.entity.id for d in dests if d.entity.id not in state.stops)
        if who[0] == state.traveler and state.first_place is None:
            state.first_place = dests[0].entity.id
        own_time = self._time_for(record, view, trig.index)
        if new_leg:
            state.leg_time = own_time if own_time is not None and own_time.text else None
        events.extend(self._companions(record, view, trig, clause, actor, events[0].place, state))
        return events

    def _noun_owner(self, view: SentenceView, trig: _Trigger) -> tuple[str, Span] | None:
        """Whose trip a noun names: a person in the genitive or after "von" right behind it."""
        if not view.tokens[trig.index].text[:1].isupper():
            return None
        for s in view.slots:
            if s.entity.type == "person" and s.prep in ("des", "von", "vom") and 0 < s.first - trig.index <= 5:
                return s.entity.id, s.mention.span
        return None

    def _companions(self, record: Record, view: SentenceView, trig: _Trigger, clause: int, actor: Arg,
                    place: Arg | None, state: _State) -> list[Event]:
        """"reist mit einer Delegation", "an der Spitze einer Unternehmerdelegation" -> accompany."""
        out = []
        for s in view.slots:
            if s.entity.type == "group" and s.entity.id != actor.entity and self.lex.is_delegation(s.entity.name) and (
                    s.prep == "mit" or (s.first >= 3 and "spitze" in view.lower[s.first - 3 : s.first])):
                out.append(self._event(record, view, trig, "accompany", [Arg(s.entity.id, s.mention.span)],
                                       [actor], place, state))
        return out

    def _here(self, view: SentenceView, clause: int, state: _State, trig_index: int,
              record: Record | None = None) -> Arg | None:
        """Where an appointment happens: a place named in its clause; else the current stop, with the words
        that point there ("dort", "wo", "in der Hauptstadt") as its span, or the stop's own mention."""
        own = self._places(view, clause, {"in", "im", "an", "am"})
        if own:
            s = min(own, key=lambda s: abs(s.first - trig_index))
            return Arg(s.entity.id, s.mention.span)
        in_clause = [i for i, c in enumerate(view.clause_of) if c == clause]
        pointer = next((i for i in in_clause if view.lower[i] in self.words["pointers"]), None)
        if pointer is None:
            pointer = next((i + k for i in in_clause if view.lower[i] in ("in", "im") for k in (2, 3)
                            if i + k < len(view.tokens) and self.lex.is_place_class(view.tokens[i + k].text)), None)
        current = state.leg or (state.last_place if pointer is not None else None)
        if pointer is not None and view.lower[pointer] == "wo":
            before = [s for s in self._places(view, None, None) if s.last < pointer]
            if before:
                current = before[-1].entity.id  # "Den Anfang macht Tirana, wo …"
        elif pointer is not None and len(state.stops) > 1:
            cues = {self.order_cues.get(w) for w in view.lower}
            if "first" in cues:
                current = state.stops[0]  # "In der Hauptstadt stehen zum Auftakt …"
            elif "last" in cues:
                current = state.stops[-1]
        if current is None:
            return None
        if pointer is not None:
            return Arg(current, view.tokens[pointer].span)
        return Arg(current, self._mention_of(record, current) if record else view.tokens[trig_index].span)

    @staticmethod
    def _mention_of(record: Record, entity_id: str) -> Span:
        ent = record.entities[entity_id]
        return ent.mentions[-1] if ent.mentions else Span(0, 0)

    def _visit(self, record: Record, view: SentenceView, trig: _Trigger, clause: int, state: _State) -> list[Event]:
        who = self._traveler(record, view, clause, state)
        if who is None:
            return []
        objs = [s for s in view.slots if s.clause == clause and s.entity.id != who[0]
                and s.entity.type in ("organization", "person", "group", "place", "polity")
                and (s.prep is None or s.prep in {"bei", "beim", "an", "am", "im", "in", "des", "auf"})
                and not _is_dateline(view, s)]
        actor = Arg(who[0], who[1])
        events: list[Event] = []
        # "das Werk des Konzerns X": the owner of what is visited is visited (not a place's genitive), unless
        # another verb phrase comes between ("aufzusuchen, um ihm die Auflösung des Bundestages …").
        objs = [s for s in objs if s.prep != "des" or s.first < trig.index
                or not self.words["infinitive"] & set(view.lower[trig.index + 1 : s.first])]
        orgs = [s for s in objs if s.entity.type in ("organization", "person", "group")]
        objs = [s for s in objs if s.prep != "des" or s.entity.type not in ("place", "polity")]
        if not orgs:
            # "den Bundespräsidenten aufzusuchen": a visited person named by office.
            for ref in view.references:
                ent = self._resolve_ref(record, view, ref, state) if ref.role and ref.clause == clause else None
                if ent and ent != who[0] and ref.prep is None:
                    events.append(self._event(record, view, trig, "visit", [actor],
                                              [Arg(ent, view.tokens[ref.index].span)],
                                              self._here(view, clause, state, trig.index, record), state))
            if events:
                return events
        if not orgs:
            # "besucht Paris": visiting a place is travelling there.
            places = [s for s in objs if s.entity.type in ("place", "polity") and s.prep in (None, "in", "im", "auf")]
            for p in places:
                events.append(self._event(record, view, trig, "trip", [actor], [], Arg(p.entity.id, p.mention.span),
                                          state))
                state.leg = p.entity.id
            return events
        firsts: dict[str, Slot] = {}
        for o in orgs:
            firsts.setdefault(o.entity.id, o)
        orgs = list(firsts.values())
        for k, o in enumerate(orgs):
            # The place named after the object and before the next one ("Pfizer in New York") is where it is.
            stop = orgs[k + 1].first if k + 1 < len(orgs) else len(view.tokens)
            after = [s for s in objs if s.entity.type in ("place", "polity") and o.last < s.first < stop
                     and s.prep in ("in", "im")]
            place = Arg(after[0].entity.id, after[0].mention.span) if after else self._here(view, clause, state,
                                                                                            trig.index, record)
            events.append(self._event(record, view, trig, "visit", [actor], [Arg(o.entity.id, o.mention.span)],
                                      place, state))
            if after and record.entities[actor.entity].type == "person":
                events.extend(self._trip_to_visit_place(record, view, trig, actor, place, state))
        return events

    def _trip_to_visit_place(self, record: Record, view: SentenceView, trig: _Trigger, actor: Arg,
                             place: Arg | None, state: _State) -> list[Event]:
        """Visiting someone "in Rom" means travelling to Rom, unless that stop is already known."""
        if place is None or place.entity == state.leg:
            return []
        return [self._event(record, view, trig, "trip", [actor], [], place, state)]

    def _meeting(self, record: Record, view: SentenceView, trig: _Trigger, clause: int, state: _State) -> list[Event]:
        if trig.frame in ("gather", "together") and not state.first_place and not any(
                s.clause == clause and s.entity.type in _PARTY_TYPES | {"place", "polity"} for s in view.slots) \
                and not any(r.clause == clause and r.prep is None for r in view.references):
            return []  # "zu einem Treffen zusammenkommen" with nobody named: no encounter to report
        if trig.frame == "gather":
            for s in view.slots:
                # "die Tagung des ESA-Ministerrats": who gathers; "Beim EU-Gipfel wollte Griechenland": a state.
                if s.clause == clause and s.prep == "des" and s.first == trig.index + 2:
                    s.prep = None
                if s.clause == clause and s.prep is None and s.entity.type == "place":
                    s.entity.type = "polity"
        # A host may be an institution ("das Weiße Haus hatte … eingeladen").
        kinds = _PARTY_TYPES if trig.frame == "host" else frozenset({"person", "group"})
        if trig.frame == "gather":
            kinds = _PARTY_TYPES | {"polity"}
        who = self._traveler(record, view, clause, state, kinds)
        if who is None:
            return []
        parties = ("person", "organization", "group", "polity")
        with_preps = ("mit", "zwischen", "für") if trig.frame == "host" else ("mit", "zwischen")
        # "verhandelt mit der Schweiz": a country one talks with acts as a polity.
        for s in view.slots:
            if s.clause == clause and s.prep in with_preps and s.entity.type == "place":
                s.entity.type = "polity"
        if trig.frame == "meet" and any(s.prep == "auf" for s in view.slots if s.clause == clause):
            return []  # "trifft auf": plays against, or runs into
        if trig.frame == "with" and "sich" in view.lower[max(0, trig.index - 1) : trig.index + 3]:
            return []  # "sprach sich für … aus": took a position, talked with no one
        if trig.frame == "host":
            hosts = [s for s in view.slots if s.clause == clause and s.prep == "durch" and s.entity.type == "person"]
            if hosts and state.traveler and state.traveler != hosts[0].entity.id:
                # "Beim Empfang durch Präsident X": X receives the traveller.
                return [self._event(record, view, trig, "meeting", [Arg(hosts[0].entity.id, hosts[0].mention.span)],
                                    [Arg(state.traveler, self._mention_of(record, state.traveler))],
                                    self._here(view, clause, state, trig.index, record), state)]
        if trig.frame == "meet" and "ein" in view.lower[trig.index + 1 :] and not view.has("mit"):
            return self._trip(record, view, trig, clause, state)  # "traf am Sonntag in Quito ein": arrived
        if trig.frame == "host" and self._any(view, "passive") and any(
                s.prep == "von" and s.entity.type in _PARTY_TYPES for s in view.slots if s.clause == clause):
            # "wurde von Präsident X empfangen": X hosts, the subject is the guest.
            host = next(s for s in view.slots
                        if s.clause == clause and s.prep == "von" and s.entity.type in _PARTY_TYPES)
            guest = self._traveler(record, view, clause, state)
            if guest is None or guest[0] == host.entity.id:
                return []
            return [self._event(record, view, trig, "meeting", [Arg(host.entity.id, host.mention.span)],
                                [Arg(guest[0], guest[1])], self._here(view, clause, state, trig.index, record), state)]
        others = [s for s in view.slots if s.clause == clause and s.entity.id != who[0]
                  and s.entity.type in parties
                  and (s.prep in with_preps or (trig.frame in ("meet", "host", "gather") and s.prep is None))]
        # "kommen Vertreter … mit der Kommissarin zusammen": a description after "mit" is a partner too.
        ref_partners = [(ent, view.tokens[r.index].span) for r in view.references
                        if r.clause == clause and r.prep in with_preps
                        and (ent := self._resolve_ref(record, view, r, state)) and ent != who[0]]
        if trig.frame == "with" and not any(s.prep in with_preps for s in others) and not ref_partners:
            return []
        if trig.frame == "host" and state.traveler and state.traveler != who[0] and (
                not others or any(w in self.traveler_refs for w in view.lower)):
            # "empfängt … die Gäste": the host meets the travellers.
            others_args = [Arg(state.traveler, self._mention_of(record, state.traveler))]
            return [self._event(record, view, trig, "meeting", [Arg(*who)], others_args,
                                self._here(view, clause, state, trig.index, record), state)]
        if not others and not ref_partners and trig.frame not in ("gather", "together"):
            return []  # "X trifft" alone names no encounter
        place = self._here(view, clause, state, trig.index, record)
        actor = Arg(who[0], who[1])
        counterparts = [Arg(s.entity.id, s.mention.span) for s in others] + [Arg(e, sp) for e, sp in ref_partners]
        events = [self._event(record, view, trig, "meeting", [actor], counterparts, place, state)]
        for participant in [actor, *counterparts]:
            events.extend(self._trip_to_meeting_place(record, view, trig, clause, participant, place, state))
        return events

    def _trip_to_meeting_place(self, record: Record, view: SentenceView, trig: _Trigger, clause: int,
                               actor: Arg, place: Arg | None, state: _State) -> list[Event]:
        """A traveller's appointment in a newly named place ("In Seoul trifft Vollmer …") is a stop, and so
        is a meeting abroad: in a country other than the one the person's office names."""
        if place is None or place.entity == state.leg:
            return []
        if state.traveler != actor.entity:
            home = record.entities[actor.entity].country
            geo = record.entities[place.entity].geo
            if home is None or geo is None or geo.country is None or geo.country == home:
                return []
        if not self._places(view, clause, {"in", "im"}) and not (
                view.lower[view.index_of(place.span.start)] == "wo" and view.sentence.span.contains(place.span)):
            return []  # only a place named here: "In Seoul trifft …", "…Tirana, wo sie … zusammenkommt"
        if state.traveler == actor.entity:
            state.leg = place.entity
        return [self._event(record, view, trig, "trip", [actor], [], place, state)]

    def _accompany(self, record: Record, view: SentenceView, trig: _Trigger, clause: int,
                   state: _State) -> list[Event]:
        w = view.lower[trig.index]
        if w == "dabei" and not (self._any(view, "copula") or
                                 (trig.index > 0 and view.lower[trig.index - 1] == "mit")):
            return []
        if w.startswith("geh") and not any("delegation" in x for x in view.lower):
            return []
        if w in self.words["push_verbs"] and not (view.has("hinzu") or any(
                self.lex.ends_with_any(x, self.joinable) for x in view.lower)):
            return []  # "stößt zur Delegation", "stößt … hinzu"; not "stößt auf Kritik"
        if w in self.words["attach_verbs"] and not (view.has("sich") and view.has("an", "anschließen")):
            return []  # "schließt sich der Reise an"
        if w.startswith("begleit"):
            by = [s for s in view.slots if s.prep == "von" and s.entity.type in _PARTY_TYPES]
            if by:
                led = self._subject(record, view, clause, state, {s.entity.id for s in by}, {"person"})
                led = led or ((state.traveler, self._mention_of(record, state.traveler)) if state.traveler else None)
                if led is None:
                    return []
                # Accompanying the traveller means the whole journey, named by its first destination.
                first = state.first_place or state.leg
                place = Arg(first, self._mention_of(record, first)) if first else None
                return [self._event(record, view, trig, "accompany", [Arg(s.entity.id, s.mention.span) for s in by],
                                    [Arg(led[0], led[1])], place, state)]
        if state.traveler is None:
            return []
        # "stößt zur Delegation": the delegation joined is not one who joins.
        joiners = [s for s in view.slots if s.entity.type in ("person", "group") and s.entity.id != state.traveler
                   and s.prep in (None, "von")
                   and not (self.lex.is_delegation(s.entity.name) and s.first > 0
                            and view.lower[s.first - 1] in ("zur", "zu"))]
        if w == "mit":
            # "Mit ihm reisten seine Frau und eine Delegation": along for the whole journey, no one stop.
            place = None
            trav = record.entities[state.traveler]
            return [self._event(record, view, trig, "accompany", [Arg(s.entity.id, s.mention.span)
                                                                  for s in joiners if s.prep is None],
                                [Arg(trav.id, self._mention_of(record, trav.id))],
                                place, state)] if joiners else []
        if not joiners:
            return []
        own_place = self._places(view, clause, {"in", "im"})
        place = Arg(own_place[0].entity.id, own_place[0].mention.span) if own_place else None
        if place is None and state.leg and not view.has("außerdem", "reise"):
            place = Arg(state.leg, self._mention_of(record, state.leg))
        trav = record.entities[state.traveler]
        return [self._event(record, view, trig, "accompany", [Arg(s.entity.id, s.mention.span) for s in joiners],
                            [Arg(trav.id, self._mention_of(record, trav.id))], place, state)]

    def _agreement(self, record: Record, view: SentenceView, trig: _Trigger, clause: int,
                   state: _State) -> list[Event]:
        w = view.lower[trig.index]
        if w.startswith("vereinbar") and any(p.fullmatch(x) for x in view.lower for p, t, f in self.triggers
                                             if f == "partner"):
            return []  # "die Städtepartnerschaft wurde 1967 vereinbart" states a partnership
        if w in self.words["agreement_nouns"] and not any(
                x.startswith(tuple(self.words["concluding_stems"]))
                for x in view.lower) and not any(s.clause == clause and s.prep in ("mit", "zwischen")
                                                 for s in view.slots):
            return []  # a deal talked about, not one made; "ein Abkommen zwischen A und B" names one
        if re.match(r"(unterzeichn|unterschr)", w) and not any(
                self.lex.ends_with_any(x, self.agreement_objects) for x in view.lower):
            return []  # signing a letter or a petition is no agreement
        # Institutions sign too ("die Hochschule will … eine Vereinbarung unterzeichnen").
        who = self._traveler(record, view, clause, state, _PARTY_TYPES)
        if who is None:
            return []
        others = [s for s in view.slots if s.clause == clause and s.entity.id != who[0]
                  and s.entity.type in _PARTY_TYPES | {"polity", "place"} and s.prep in ("mit", "zwischen")]
        for s in others:
            if s.entity.type == "place":
                s.entity.type = "polity"
        if not others:
            # "Zudem unterzeichneten Hoffbauer und Kowalenko …": the other subjects.
            others = [s for s in view.slots if s.clause == clause and s.prep is None and s.entity.id != who[0]
                      and s.entity.type in ("person", "organization")]
        if not others and self._any(view, "both"):
            # "Nach einem Gespräch mit X unterzeichneten beide …": the two who just met.
            meetings = [ev for ev in state.in_sentence if ev.type == "meeting"] or state.last_meeting
            met = [a for ev in meetings for a in ev.actors + ev.counterparts if a.entity != who[0]]
            if met:
                return [self._event(record, view, trig, "agreement", [Arg(who[0], who[1])], met,
                                    self._here(view, clause, state, trig.index, record), state)]
        place = self._here(view, clause, state, trig.index, record)
        return [self._event(record, view, trig, "agreement", [Arg(who[0], who[1])],
                            [Arg(s.entity.id, s.mention.span) for s in others], place, state)]

    def _partnership(self, record: Record, view: SentenceView, trig: _Trigger, state: _State) -> list[Event]:
        sides = [s for s in view.slots if s.entity.type in ("place", "polity", "organization")
                 and s.prep not in ("in", "im", "nach", "laut") and not _is_dateline(view, s)]
        if len({s.entity.id for s in sides}) < 2:
            return []
        subject = next((s for s in sides if s.prep is None), sides[0])
        others = []
        for s in sides:
            if s.entity.id != subject.entity.id and s.entity.id not in {o.entity.id for o in others}:
                others.append(s)
        for s in [subject, *others]:
            if s.entity.type == "place":
                s.entity.type = "polity"
        year = [t for t in record.times if view.sentence.span.contains(t.span) and t.start and len(t.start) == 4]
        when = year[0] if year else None
        return [self._event(record, view, trig, "partnership", [Arg(subject.entity.id, subject.mention.span)],
                            [Arg(o.entity.id, o.mention.span) for o in others[:1]], None, state, when=when)]


def _is_dateline(view: SentenceView, s: Slot) -> bool:
    """"Berlin - …" or "Forst (Lausitz) - …" at the start of a sentence names where the report was filed."""
    return s.first == 0 and any(view.lower[k] in ("-", "–", "—") for k in range(s.last + 1, min(s.last + 5,
                                                                                            len(view.lower))))


def _month_of(t: TimeExpr) -> TimeExpr:
    return TimeExpr(span=Span(0, 0), text="", start=(t.start or "")[:7] or None, direction=t.direction)


def _feminine(word: str) -> bool:
    return word.lower().endswith("in") and len(word) > 5


def _stem(word: str) -> str:
    """A role noun without gender and case endings: "Bundeskanzlers", "Präsidenten", "Ministerin"."""
    w = word.lower()
    if w.endswith("in") and len(w) > 5:
        return w[:-2]
    for ending in ("en", "es", "s", "n"):
        if w.endswith(ending) and len(w) - len(ending) >= 5:
            return w[: -len(ending)]
    return w

