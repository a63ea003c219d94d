"""The frames of the event rules: where each kind of trigger finds its actors, partners, place and time.

Mixed into `EventExtractor` (stages/events.py), whose helpers (`_traveler`, `_subject`, `_places`,
`_event`, …) the frames use.
"""

from __future__ import annotations

from ..record import Arg, Entity, Event, Record, Span
from .clauses import SentenceView, Slot
from .event_context import PARTY_TYPES, StoryState, Trigger, is_dateline

_OPENING_MARKS = {"„", "»", '"', "‚"}
_CLAUSE_ENDS = {"und", "oder", "aber", "sondern"}


class EventFrames:
    def _trip(self, record: Record, view: SentenceView, trig: Trigger, clause: int, state: StoryState) -> list[Event]:
        if view.lower[trig.index] in self.words["halt_forms"] and not (
            "sich" in view.lower and "auf" in view.lower[trig.index + 1 :]
        ):
            return []  # "hielt sich in Rom auf" is a stay; "hielt der Vizekanzler fest" is no trip
        if trig.frame == "stop":
            dests = [s for s in self._places(view, None, None) if s.prep not in self.words["from_preps"]]
        else:
            dests = [s for s in self._places(view, clause, self.words["dest_preps"]) if s.first > trig.index - 8]
            if view.lower[trig.index].startswith(("geh", "ging", "kam", "kom")) and not view.has("weiter"):
                # "es geht weiter nach", "kam nach Kärnten"; not "gingen auf Distanz", "kommt in Den Haag vor"
                dests = [s for s in dests if s.prep == "nach"]
            if view.lower[trig.index] in self.words["route_nouns"]:
                # "auf dem Weg nach Paris"; not "auf dem Weg zu einem Abkommen, das in Paris …"
                dests = [s for s in dests if s.first <= trig.index + 3]
        if not dests:
            if trig.frame == "stop":
                return self._visit(record, view, trig, clause, state)  # "… steht auf dem Besuchsprogramm"
            who = self._noun_owner(view, trig) or self._traveler(record, view, clause, state)
            compound = self._compound_trip(record, view, trig, who, state) if who else []
            if compound:  # "die China-Reise von Außenministerin Baerbock"
                state.traveler = state.traveler or compound[0].actors[0].entity
                return compound
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
        elif (
            (self._plural_auxiliary(view, clause) or self._plural_finite(view, trig, clause))
            and self._subject(record, view, clause, state, set(), {"person", "group"}) is None
            and not any(r.clause == clause and r.prep is None for r in view.references)
        ):
            return []  # "sind Menschen zum Brenner gereist": people the text does not name
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

    def _compound_trip(
        self, record: Record, view: SentenceView, trig: Trigger, who: tuple[str, Span], state: StoryState
    ) -> list[Event]:
        """A trip to the place that begins a trigger noun ("Hannover-Besuch", "China-Reise", "Israelbesuch")."""
        tok = view.tokens[trig.index]
        if not tok.text[:1].isupper():
            return []
        for ent in record.entities.values():
            for m in ent.mentions if ent.type in ("place", "polity") else ():
                if m.start == tok.start and m.end < tok.end:
                    state.leg = ent.id
                    return [self._event(record, view, trig, "trip", [Arg(who[0], who[1])], [], Arg(ent.id, m), state)]
        return []

    def _stay(self, record: Record, view: SentenceView, trig: Trigger, clause: int, state: StoryState) -> list[Event]:
        """ "…, der bereits seit Dienstag in Erlangen ist", "weilt zurzeit in Peking": a visitor there now.
        Being in a place ("ist", "sind") counts only since a recent day, not "ist in Berlin geboren"."""
        places = self._places(view, clause, {"in", "im"})
        if not places:
            return []
        if view.lower[trig.index] in self.words["stay_copulas"] and not any(
            t.text.lower().split(" ", 1)[0] in self.words["since_words"]
            and t.start
            and len(t.start) == 10
            and view.sentence.span.contains(t.span)
            and view.clause_of[view.index_of(t.span.start)] == clause
            for t in record.times
        ):
            return []
        who = self._relative_antecedent(view, clause) or self._subject(
            record, view, clause, state, set(), {"person", "group"}
        )
        if who is None:
            return []
        place = Arg(places[-1].entity.id, places[-1].mention.span)
        state.traveler = state.traveler or who[0]
        if who[0] == state.traveler:
            state.leg = place.entity
            state.first_place = state.first_place or place.entity
        return [self._event(record, view, trig, "trip", [Arg(who[0], who[1])], [], place, state)]

    def _relative_antecedent(self, view: SentenceView, clause: int) -> tuple[str, Span] | None:
        """The person or group a subject relative clause is about: "Kowalenko, der …"."""
        first = next((i for i, c in enumerate(view.clause_of) if c == clause), None)
        if not first or first < 2 or view.lower[first - 1] != ",":
            return None
        if view.lower[first] not in self.words["subject_relatives"]:
            return None
        for s in view.slots:
            if s.last == first - 2 and s.entity.type in ("person", "group"):
                return s.entity.id, s.mention.span
        return None

    def _lead(self, record: Record, view: SentenceView, trig: Trigger, clause: int, state: StoryState) -> list[Event]:
        """ "Angeführt wird die Delegation von Bürgermeister Kowalenko": the delegation accompanies its
        leader, who travels."""
        groups = [
            s
            for s in view.slots
            if s.clause == clause and s.entity.type == "group" and self.lex.is_delegation(s.entity.name)
        ]
        leaders = [s for s in view.slots if s.clause == clause and s.entity.type == "person" and s.prep == "von"]
        if not groups or not leaders:
            return []
        leader = leaders[0]
        state.traveler = state.traveler or leader.entity.id
        first = state.first_place or state.leg
        place = Arg(first, self._mention_of(record, first)) if first else None
        actors = [Arg(g.entity.id, g.mention.span) for g in groups]
        return [
            self._event(
                record, view, trig, "accompany", actors, [Arg(leader.entity.id, leader.mention.span)], place, state
            )
        ]

    def _noun_owner(self, view: SentenceView, trig: Trigger) -> tuple[str, Span] | None:
        """Whose trip a noun names: a person in the genitive or after "von" right behind it, or the
        subject of a relative clause that undertakes it ("der Staatsbesuch in China, den Erdogan am
        Mittwoch begann")."""
        if not view.tokens[trig.index].text[:1].isupper():
            return None
        for s in view.slots:
            if s.entity.type == "person" and s.prep in ("des", "von", "vom") and 0 < s.first - trig.index <= 5:
                return s.entity.id, s.mention.span
        lower = view.lower
        for k in range(trig.index + 1, min(trig.index + 7, len(lower) - 2)):
            if lower[k] != "," or lower[k + 1] not in self.words["relative_pronouns"]:
                continue
            end = next((j for j in range(k + 2, len(lower)) if lower[j] in (",", ".", ";")), len(lower))
            if not any(w in self.words["undertake_verbs"] for w in lower[k + 2 : end]):
                return None
            for s in view.slots:
                if s.entity.type == "person" and k + 2 <= s.first <= k + 3:  # its prep is the noun's
                    return s.entity.id, s.mention.span
            return None
        return None

    def _companions(
        self,
        record: Record,
        view: SentenceView,
        trig: Trigger,
        clause: int,
        actor: Arg,
        place: Arg | None,
        state: StoryState,
    ) -> list[Event]:
        """ "reist mit einer Delegation", "an der Spitze einer Unternehmerdelegation" -> accompany."""
        out = []
        for s in view.slots:
            if (
                s.entity.type == "group"
                and s.clause == clause
                and s.entity.id != actor.entity
                and self.lex.is_delegation(s.entity.name)
                and (s.prep == "mit" or (s.first >= 3 and "spitze" in view.lower[s.first - 3 : s.first]))
            ):
                out.append(
                    self._event(
                        record, view, trig, "accompany", [Arg(s.entity.id, s.mention.span)], [actor], place, state
                    )
                )
        return out

    def _here(
        self, view: SentenceView, clause: int, state: StoryState, trig_index: int, record: Record | None = None
    ) -> Arg | None:
        """Where an appointment happens: a place named in its clause; else the current stop, with the words
        that point there ("dort", "wo", "in der Hauptstadt") as its span, or the stop's own mention."""
        own = self._places(view, clause, {"in", "im", "an", "am"})
        # "ging es um die Wasserversorgung in Winnyzja", "Gespräche über die Lage in Syrien": what was
        # talked about, not where.
        own = [
            s
            for s in own
            if not any(
                view.lower[j] in self.words["topic_preps"] and view.clause_of[j] == clause
                for j in range(trig_index + 1, s.first)
            )
        ]
        if own:
            s = min(own, key=lambda s: abs(s.first - trig_index))
            return Arg(s.entity.id, s.mention.span)
        in_clause = [i for i, c in enumerate(view.clause_of) if c == clause]
        pointer = next((i for i in in_clause if view.lower[i] in self.words["pointers"]), None)
        if pointer is None:
            pointer = next(
                (
                    i + k
                    for i in in_clause
                    if view.lower[i] in ("in", "im")
                    for k in (2, 3)
                    if i + k < len(view.tokens) and self.lex.is_place_class(view.tokens[i + k].text)
                ),
                None,
            )
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

    def _visit(self, record: Record, view: SentenceView, trig: Trigger, clause: int, state: StoryState) -> list[Event]:
        # "beim Besuch von Kanzlerin Merkel in Paris": the noun's owner visits, whoever the clause's subject is.
        who = self._noun_owner(view, trig) or self._traveler(record, view, clause, state)
        if who is None:
            return []
        compound = self._compound_trip(record, view, trig, who, state)  # "des Hannover-Besuchs von Obama"
        if compound:
            return compound
        objs = [
            s
            for s in view.slots
            if s.clause == clause
            and s.entity.id != who[0]
            and s.entity.type in ("organization", "person", "group", "place", "polity")
            and (s.prep is None or s.prep in {"bei", "beim", "an", "am", "im", "in", "des", "auf"})
            and not is_dateline(view, s)
        ]
        noun = view.tokens[trig.index].text[:1].isupper()
        if noun:
            # "kurz vor dem Besuch von Obama in Vietnam ist der Priester X freigelassen worden": a person or
            # place after a visit noun is visited through a preposition ("bei X", "in Kuba"); a bare one is the
            # clause's own. Before the noun one may be ("hat Papst Benedikt einen Besuch abgestattet"), and an
            # organisation after it may stand in a genitive chain ("im Werk des Optikherstellers Saale Optronics").
            objs = [
                s
                for s in objs
                if s.prep is not None or s.first < trig.index or s.entity.type not in ("person", "place", "polity")
            ]
        partners = self._coordinated(view, trig, who[0], objs)
        objs = [s for s in objs if s not in partners]
        actor = Arg(who[0], who[1])
        events: list[Event] = []
        # "das Werk des Konzerns X": the owner of what is visited is visited (not a place's genitive), unless
        # another verb phrase comes between ("aufzusuchen, um ihm die Auflösung des Bundestages …").
        # A genitive before a visit noun belongs to another noun ("der Chef der NASA, …, zu einem Besuch").
        objs = [
            s
            for s in objs
            if s.prep != "des"
            or (s.first < trig.index and not noun)
            or (s.first > trig.index and not self.words["infinitive"] & set(view.lower[trig.index + 1 : s.first]))
        ]
        # "die seit dem Papstbesuch zugelassene Zeitung „Palabra Nueva“": a medium is not what is visited
        objs = [s for s in objs if not self._medium_slot(view, s)]
        orgs = [s for s in objs if s.entity.type in ("organization", "person", "group")]
        objs = [s for s in objs if s.prep != "des" or s.entity.type not in ("place", "polity")]
        if not orgs:
            # "den Bundespräsidenten aufzusuchen": a visited person named by office.
            for ref in view.references:
                ent = self._resolve_ref(record, view, ref, state) if ref.role and ref.clause == clause else None
                if ent and ent != who[0] and ref.prep is None:
                    events.append(
                        self._event(
                            record,
                            view,
                            trig,
                            "visit",
                            [actor],
                            [Arg(ent, view.tokens[ref.index].span)],
                            self._here(view, clause, state, trig.index, record),
                            state,
                        )
                    )
            if events:
                return events
        if not orgs:
            # "besucht Paris": visiting a place is travelling there.
            places = [s for s in objs if s.entity.type in ("place", "polity") and s.prep in (None, "in", "im", "auf")]
            for p in places:
                events.append(
                    self._event(record, view, trig, "trip", [actor], [], Arg(p.entity.id, p.mention.span), state)
                )
                state.leg = p.entity.id
                if state.traveler is None and record.entities[actor.entity].type == "person":
                    state.traveler = actor.entity  # "Während des Besuchs von Papst Franziskus in Kuba …"
            return events
        firsts: dict[str, Slot] = {}
        for o in orgs:
            firsts.setdefault(o.entity.id, o)
        orgs = list(firsts.values())
        for k, o in enumerate(orgs):
            # The place named after the object and before the next one ("Pfizer in New York") is where it is.
            stop = orgs[k + 1].first if k + 1 < len(orgs) else len(view.tokens)
            after = [
                s
                for s in objs
                if s.entity.type in ("place", "polity") and o.last < s.first < stop and s.prep in ("in", "im")
            ]
            place = (
                Arg(after[0].entity.id, after[0].mention.span)
                if after
                else self._here(view, clause, state, trig.index, record)
            )
            events.append(
                self._event(record, view, trig, "visit", [actor], [Arg(o.entity.id, o.mention.span)], place, state)
            )
            if state.traveler is None and record.entities[actor.entity].type == "person":
                state.traveler = actor.entity  # who visits is who travels: "Hintergrund der Reise nach …"
            if after and record.entities[actor.entity].type == "person":
                events.extend(self._trip_to_visit_place(record, view, trig, actor, place, state))
        return events

    def _attributive(self, view: SentenceView, trig: Trigger) -> bool:
        """A lowercase trigger between an article and a word of its noun phrase is an adjective:
        "beim vereinbarten automatischen Informationsaustausch", "die unterzeichneten Verträge"."""
        i = trig.index
        if not view.tokens[i].text.islower() or i == 0 or i + 1 >= len(view.lower):
            return False
        nxt = view.tokens[i + 1].text
        return view.lower[i - 1] in self.words["attributive_before"] and nxt.isalpha() and nxt not in _CLAUSE_ENDS

    def _coordinated(self, view: SentenceView, trig: Trigger, actor: str, objs: list[Slot]) -> list[Slot]:
        """Names joined to the actor by "und" before the verb are its fellow subjects, not what they visit
        ("Yudhoyono und sein ost-timoresischer Kollege Xanana Gusmão besuchten …")."""
        if view.tokens[trig.index].text[:1].isupper():
            return []
        mine = [s for s in view.slots if s.entity.id == actor and s.prep is None and s.last < trig.index]
        out: list[Slot] = []
        for s in objs:
            if s.prep is not None or s.first > trig.index or s.entity.type not in ("person", "organization", "group"):
                continue
            for m in mine:
                between = view.lower[m.last + 1 : s.first]
                if 0 < len(between) <= 5 and between[0] in self.words["coordinators"] and "," not in between:
                    out.append(s)
                    break
        return out

    def _plural_finite(self, view: SentenceView, trig: Trigger, clause: int) -> bool:
        """The travel verb itself in the plural ("halten sich 800.000 Pilger in Saudi-Arabien auf"): an
        "-en" form with no modal or auxiliary in its clause that would make it an infinitive."""
        w = view.lower[trig.index]
        if not w.endswith("en") or (trig.index > 0 and view.lower[trig.index - 1] == "zu"):
            return False
        return not any(
            view.clause_of[i] == clause and x in self.words["infinitive_governors"] for i, x in enumerate(view.lower)
        )

    def _trip_to_visit_place(
        self, record: Record, view: SentenceView, trig: Trigger, actor: Arg, place: Arg | None, state: StoryState
    ) -> list[Event]:
        """Visiting someone "in Rom" means travelling to Rom, unless that stop is already known."""
        if place is None or place.entity == state.leg:
            return []
        return [self._event(record, view, trig, "trip", [actor], [], place, state)]

    def _meeting(
        self, record: Record, view: SentenceView, trig: Trigger, clause: int, state: StoryState
    ) -> list[Event]:
        if trig.index > 0 and view.lower[trig.index - 1] in self.words["idiom_before_meeting"]:
            return []  # "führt … ins Treffen": cites as an argument
        if trig.frame == "gather" and self._internal_session(view, trig, clause):
            return []
        if (
            trig.frame == "gather"
            and trig.index + 1 < len(view.lower)
            and view.lower[trig.index + 1] in self.words["between"]
            and not any(s.clause == clause and s.prep in self.words["between"] for s in view.slots)
        ):
            return []  # "nach einem Treffen zwischen Vorstand und Betriebsrat": parties we cannot name
        if (
            trig.frame in ("gather", "together")
            and not state.first_place
            and not any(s.clause == clause and s.entity.type in PARTY_TYPES | {"place", "polity"} for s in view.slots)
            and not any(r.clause == clause and r.prep is None for r in view.references)
        ):
            return []  # "zu einem Treffen zusammenkommen" with nobody named: no encounter to report
        if trig.frame == "gather":
            for s in view.slots:
                # "die Tagung des ESA-Ministerrats": who gathers; "Beim EU-Gipfel wollte Griechenland": a state.
                if s.clause == clause and s.prep == "des" and s.first == trig.index + 2:
                    s.prep = None
                if s.clause == clause and s.prep is None and s.entity.type == "place":
                    s.entity.type = "polity"
        # A host may be an institution ("das Weiße Haus hatte … eingeladen").
        kinds = PARTY_TYPES if trig.frame == "host" else frozenset({"person", "group"})
        if trig.frame == "gather":
            kinds = PARTY_TYPES | {"polity"}
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
        if trig.frame == "meet" and any(
            view.clause_of[i] == clause and w in self.words["treffen_objects"] for i, w in enumerate(view.lower)
        ):
            return []  # "eine Entscheidung treffen", "Vorkehrungen treffen": makes, not meets
        if trig.frame == "with" and "sich" in view.lower[max(0, trig.index - 1) : trig.index + 3]:
            return []  # "sprach sich für … aus": took a position, talked with no one
        if trig.frame == "host":
            hosts = [s for s in view.slots if s.clause == clause and s.prep == "durch" and s.entity.type == "person"]
            if hosts and state.traveler and state.traveler != hosts[0].entity.id:
                # "Beim Empfang durch Präsident X": X receives the traveller.
                return [
                    self._event(
                        record,
                        view,
                        trig,
                        "meeting",
                        [Arg(hosts[0].entity.id, hosts[0].mention.span)],
                        [Arg(state.traveler, self._mention_of(record, state.traveler))],
                        self._here(view, clause, state, trig.index, record),
                        state,
                    )
                ]
        if trig.frame == "meet" and "ein" in view.lower[trig.index + 1 :] and not view.has("mit"):
            return self._trip(record, view, trig, clause, state)  # "traf am Sonntag in Quito ein": arrived
        if (
            trig.frame == "host"
            and self._any(view, "passive")
            and any(s.prep == "von" and s.entity.type in PARTY_TYPES for s in view.slots if s.clause == clause)
        ):
            # "wurde von Präsident X empfangen": X hosts, the subject is the guest.
            host = next(
                s for s in view.slots if s.clause == clause and s.prep == "von" and s.entity.type in PARTY_TYPES
            )
            guest = self._traveler(record, view, clause, state)
            if guest is None or guest[0] == host.entity.id:
                return []
            return [
                self._event(
                    record,
                    view,
                    trig,
                    "meeting",
                    [Arg(host.entity.id, host.mention.span)],
                    [Arg(guest[0], guest[1])],
                    self._here(view, clause, state, trig.index, record),
                    state,
                )
            ]
        others = [
            s
            for s in view.slots
            if s.clause == clause
            and s.entity.id != who[0]
            and s.entity.type in parties
            and (s.prep in with_preps or (trig.frame in ("meet", "host", "gather") and s.prep is None))
        ]
        # "im Gespräch mit dem STANDARD": an interview, not an encounter
        others = [s for s in others if not self._medium_slot(view, s)]
        # "kommen Vertreter … mit der Kommissarin zusammen": a description after "mit" is a partner too.
        ref_partners = [
            (ent, view.tokens[r.index].span)
            for r in view.references
            if r.clause == clause
            and r.prep in with_preps
            and (ent := self._resolve_ref(record, view, r, state))
            and ent != who[0]
        ]
        if trig.frame == "with" and not any(s.prep in with_preps for s in others) and not ref_partners:
            return []
        if (
            trig.frame == "host"
            and state.traveler
            and state.traveler != who[0]
            and (not others or any(w in self.traveler_refs for w in view.lower))
        ):
            # "empfängt … die Gäste": the host meets the travellers.
            others_args = [Arg(state.traveler, self._mention_of(record, state.traveler))]
            return [
                self._event(
                    record,
                    view,
                    trig,
                    "meeting",
                    [Arg(*who)],
                    others_args,
                    self._here(view, clause, state, trig.index, record),
                    state,
                )
            ]
        if (
            trig.frame == "host"
            and state.traveler is None
            and not others
            and any(w in self.traveler_refs for w in view.lower)
        ):
            # "hat am Mittwoch Gäste aus Winnyzja empfangen": who they are, the next sentences say.
            ev = self._event(
                record,
                view,
                trig,
                "meeting",
                [Arg(*who)],
                [],
                self._here(view, clause, state, trig.index, record),
                state,
            )
            state.awaiting_guests.append(ev)
            return [ev]
        if not others and not ref_partners and trig.frame not in ("gather", "together"):
            return []  # "X trifft" alone names no encounter
        if not others and not ref_partners and self._same_meeting_again(record, view, trig, clause, state):
            return []  # one more attendee of the meeting reported before, no new encounter
        place = self._here(view, clause, state, trig.index, record)
        actor = Arg(who[0], who[1])
        counterparts = [Arg(s.entity.id, s.mention.span) for s in others] + [Arg(e, sp) for e, sp in ref_partners]
        if len(counterparts) > 1 and all(record.entities[c.entity].type == "polity" for c in counterparts):
            # "verhandelt mit der Schweiz und Israel": talks with each country are talks of their own
            events = [self._event(record, view, trig, "meeting", [actor], [c], place, state) for c in counterparts]
        else:
            events = [self._event(record, view, trig, "meeting", [actor], counterparts, place, state)]
        for participant in [actor, *counterparts]:
            events.extend(self._trip_to_meeting_place(record, view, trig, clause, participant, place, state))
        return events

    def _internal_session(self, view: SentenceView, trig: Trigger, clause: int) -> bool:
        """A body's own session ("die Sitzung des Parlaments", "die Landtagsfraktion bei ihrer Zusammenkunft")
        is its routine business, not an encounter between parties."""
        word = view.lower[trig.index]
        if not any(word.endswith(n) for n in self.words["session_nouns"]):
            return False
        bodies = self.words["session_bodies"]
        return any(
            view.clause_of[i] == clause and any(w.rsplit("-", 1)[-1].endswith(b) for b in bodies)
            for i, w in enumerate(view.lower)
        )

    def _medium_slot(self, view: SentenceView, slot: Slot) -> bool:
        """A medium by its name, or by the class noun right before it ("der Zeitung „Palabra Nueva“")."""
        if self._is_medium(slot.entity):
            return True
        k = slot.first - 1
        while k >= 0 and view.lower[k] in _OPENING_MARKS:
            k -= 1
        return slot.entity.type == "organization" and k >= 0 and view.lower[k] in self.words["media_heads"]

    def _is_medium(self, entity: Entity) -> bool:
        """A newspaper, broadcaster or news agency, by its name or its class noun ("Tageszeitung")."""
        if entity.type != "organization":
            return False
        name = entity.name.casefold()
        if name in self.media or any(a.casefold() in self.media for a in entity.aliases):
            return True
        return name.split()[-1].rsplit("-", 1)[-1] in self.words["media_heads"]

    def _same_meeting_again(
        self, record: Record, view: SentenceView, trig: Trigger, clause: int, state: StoryState
    ) -> bool:
        """ "nach dem Treffen in Kiel" after "Nach einem Treffen … in Kiel": the definite article points
        back to the meeting already reported, held at the same place (or where either names none)."""
        if trig.frame != "gather" or not state.last_meeting or trig.index == 0:
            return False
        if view.lower[trig.index - 1] not in self.words["definite"]:
            return False
        place = self._here(view, clause, state, trig.index, record)
        before = state.last_meeting[0].place
        return place is None or before is None or before.entity == place.entity

    def _trip_to_meeting_place(
        self,
        record: Record,
        view: SentenceView,
        trig: Trigger,
        clause: int,
        actor: Arg,
        place: Arg | None,
        state: StoryState,
    ) -> list[Event]:
        """A traveller's appointment in a newly named place ("In Seoul trifft Vollmer …") is a stop, and so
        is a meeting abroad: in a country other than the one the person's office names."""
        if place is None:
            return []
        home = record.entities[actor.entity].country
        geo = record.entities[place.entity].geo
        at_home = home is not None and geo is not None and geo.country == home
        if state.traveler == actor.entity:
            if place.entity == state.leg or at_home:
                return []  # already there; or a host at home ("Xi … bei einem Treffen … in Peking")
        elif home is None or geo is None or geo.country is None or at_home:
            return []
        if not self._places(view, clause, {"in", "im"}) and not (
            view.lower[view.index_of(place.span.start)] == "wo" and view.sentence.span.contains(place.span)
        ):
            return []  # only a place named here: "In Seoul trifft …", "…Tirana, wo sie … zusammenkommt"
        if state.traveler == actor.entity:
            state.leg = place.entity
        return [self._event(record, view, trig, "trip", [actor], [], place, state)]

    def _accompany(
        self, record: Record, view: SentenceView, trig: Trigger, clause: int, state: StoryState
    ) -> list[Event]:
        w = view.lower[trig.index]
        if w == "dabei" and not (self._any(view, "copula") or (trig.index > 0 and view.lower[trig.index - 1] == "mit")):
            return []
        if w.startswith("geh") and not any("delegation" in x for x in view.lower):
            return []
        if w in self.words["push_verbs"] and not (
            view.has("hinzu") or any(self.lex.ends_with_any(x, self.joinable) for x in view.lower)
        ):
            return []  # "stößt zur Delegation", "stößt … hinzu"; not "stößt auf Kritik"
        if w in self.words["attach_verbs"] and not (view.has("sich") and view.has("an", "anschließen")):
            return []  # "schließt sich der Reise an"
        if w.startswith("begleit"):
            by = [s for s in view.slots if s.prep == "von" and s.entity.type in PARTY_TYPES]
            if by:
                led = self._subject(record, view, clause, state, {s.entity.id for s in by}, {"person"})
                led = led or ((state.traveler, self._mention_of(record, state.traveler)) if state.traveler else None)
                if led is None:
                    return []
                # Accompanying the traveller means the whole journey, named by its first destination.
                first = state.first_place or state.leg
                place = Arg(first, self._mention_of(record, first)) if first else None
                return [
                    self._event(
                        record,
                        view,
                        trig,
                        "accompany",
                        [Arg(s.entity.id, s.mention.span) for s in by],
                        [Arg(led[0], led[1])],
                        place,
                        state,
                    )
                ]
        if state.traveler is None:
            return []
        # "stößt zur Delegation": the delegation joined is not one who joins.
        joiners = [
            s
            for s in view.slots
            if s.entity.type in ("person", "group")
            and s.entity.id != state.traveler
            and s.prep in (None, "von")
            and not (self.lex.is_delegation(s.entity.name) and s.first > 0 and view.lower[s.first - 1] in ("zur", "zu"))
        ]
        if w == "mit":
            # "Mit ihm reisten seine Frau und eine Delegation": along for the whole journey, no one stop.
            place = None
            trav = record.entities[state.traveler]
            return (
                [
                    self._event(
                        record,
                        view,
                        trig,
                        "accompany",
                        [Arg(s.entity.id, s.mention.span) for s in joiners if s.prep is None],
                        [Arg(trav.id, self._mention_of(record, trav.id))],
                        place,
                        state,
                    )
                ]
                if joiners
                else []
            )
        if not joiners:
            return []
        own_place = self._places(view, clause, {"in", "im"})
        place = Arg(own_place[0].entity.id, own_place[0].mention.span) if own_place else None
        # Joining "für diesen Teil der Reise" is joining at this stop; "auf der Reise" is for all of it.
        if place is None and state.leg and (self._any(view, "leg_part_words") or not view.has("außerdem", "reise")):
            place = Arg(state.leg, self._mention_of(record, state.leg))
        trav = record.entities[state.traveler]
        return [
            self._event(
                record,
                view,
                trig,
                "accompany",
                [Arg(s.entity.id, s.mention.span) for s in joiners],
                [Arg(trav.id, self._mention_of(record, trav.id))],
                place,
                state,
            )
        ]

    def _agreement(
        self, record: Record, view: SentenceView, trig: Trigger, clause: int, state: StoryState
    ) -> list[Event]:
        w = view.lower[trig.index]
        if self._attributive(view, trig):
            return []  # "beim vereinbarten Informationsaustausch": the participle describes a noun
        if w.startswith("vereinbar") and any(
            p.fullmatch(x) for x in view.lower for p, t, f in self.triggers if f == "partner"
        ):
            return []  # "die Städtepartnerschaft wurde 1967 vereinbart" states a partnership
        if (
            w.endswith(tuple(self.words["agreement_nouns"]))  # "Zukunftsvertrag", "Investitionsabkommen"
            and not any(x.startswith(tuple(self.words["concluding_stems"])) for x in view.lower)
            and not any(s.clause == clause and s.prep in ("mit", "zwischen") for s in view.slots)
        ):
            return []  # a deal talked about, not one made; "ein Abkommen zwischen A und B" names one
        if w.startswith(tuple(self.words["reflexive_agreement_stems"])) and not (
            "sich" in view.lower and self._any(view, "reflexive_agreement_preps")
        ):
            return []  # "sich auf etwas verständigen" agrees; "die Polizei verständigen" calls it
        if w.startswith(tuple(self.words["object_needing_stems"])) and not any(
            self.lex.ends_with_any(x, self.agreement_objects) for x in view.lower
        ):
            # signing a letter, passing a law, closing a share price ("schlossen die Titel der RBI mit
            # einem Plus") are no agreements; signing, adopting or concluding a treaty or deal is one
            return []
        # Institutions sign too ("die Hochschule will … eine Vereinbarung unterzeichnen").
        between = self._parties(view, clause, ("zwischen",), None)
        if len(between) >= 2:
            # "bei dem Vertrag zwischen der EU und der Türkei": the deal's own parties, whoever talks about it
            for s in between:
                if s.entity.type == "place":
                    s.entity.type = "polity"
            return [
                self._event(
                    record,
                    view,
                    trig,
                    "agreement",
                    [Arg(between[0].entity.id, between[0].mention.span)],
                    [Arg(s.entity.id, s.mention.span) for s in between[1:]],
                    self._here(view, clause, state, trig.index, record),
                    state,
                )
            ]
        who = self._traveler(record, view, clause, state, PARTY_TYPES)
        if (
            who is not None
            and w.startswith(tuple(self.words["adopting_stems"]))
            and record.entities[who[0]].type != "group"
            and not any(self.lex.ends_with_any(x, self.agreement_objects) for x in view.lower)
        ):
            # one body passing a law or a resolution agrees with no one; "Experten aus über 130 Ländern
            # verabschiedeten den Report": many parties adopt it together
            return []
        if who is None:
            # "ein Abkommen zwischen Italien und dem Land Sachsen": the parties without a subject.
            between = self._parties(view, clause, ("zwischen",), None)
            if len(between) < 2:
                return []
            who = (between[0].entity.id, between[0].mention.span)
        others = self._parties(view, clause, ("mit", "zwischen"), who[0])
        if record.entities[who[0]].type != "person" and any(s.entity.type == "person" for s in others):
            # "Nach dem Verzicht der Regierung … hat Innenminister Alfano die Einigung mit seinem Amtskollegen
            # Sobotka begrüßt": a person agrees with a person; the institution stood in a genitive
            person = next(
                (
                    s
                    for s in view.slots
                    if s.clause == clause and s.prep is None and s.entity.type == "person" and s not in others
                ),
                None,
            )
            if person is not None:
                who = (person.entity.id, person.mention.span)
        for s in others:
            if s.entity.type == "place":
                s.entity.type = "polity"
        if not others:
            # "Zudem unterzeichneten Hoffbauer und Kowalenko …": the other subjects.
            others = [
                s
                for s in view.slots
                if s.clause == clause
                and s.prep is None
                and s.entity.id != who[0]
                and s.entity.type in ("person", "organization")
            ]
        if not others and self._any(view, "both"):
            # "Nach einem Gespräch mit X unterzeichneten beide …": the two who just met.
            meetings = [ev for ev in state.in_sentence if ev.type == "meeting"] or state.last_meeting
            met = [a for ev in meetings for a in ev.actors + ev.counterparts if a.entity != who[0]]
            if met:
                return [
                    self._event(
                        record,
                        view,
                        trig,
                        "agreement",
                        [Arg(who[0], who[1])],
                        met,
                        self._here(view, clause, state, trig.index, record),
                        state,
                    )
                ]
        place = self._here(view, clause, state, trig.index, record)
        return [
            self._event(
                record,
                view,
                trig,
                "agreement",
                [Arg(who[0], who[1])],
                [Arg(s.entity.id, s.mention.span) for s in others],
                place,
                state,
            )
        ]

    @staticmethod
    def _parties(view: SentenceView, clause: int, preps: tuple[str, ...], besides: str | None) -> list[Slot]:
        """The names in the clause after these prepositions that can be a party to a deal, one slot each."""
        out: list[Slot] = []
        for s in view.slots:
            if (
                s.clause == clause
                and s.prep in preps
                and s.entity.type in PARTY_TYPES | {"polity", "place"}
                and s.entity.id != besides
                and all(o.entity.id != s.entity.id for o in out)
            ):
                out.append(s)
        return out

    def _partnership(self, record: Record, view: SentenceView, trig: Trigger, state: StoryState) -> list[Event]:
        sides = [
            s
            for s in view.slots
            if s.entity.type in ("place", "polity", "organization")
            and s.prep not in ("in", "im", "nach", "laut")
            and not is_dateline(view, s)
            and not self._is_medium(s.entity)  # "(Wikinews berichtete)"
        ]
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
        return [
            self._event(
                record,
                view,
                trig,
                "partnership",
                [Arg(subject.entity.id, subject.mention.span)],
                [Arg(o.entity.id, o.mention.span) for o in others[:1]],
                None,
                state,
                when=when,
            )
        ]
