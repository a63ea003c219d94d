"""Frames of travel: trips, stays, visits and the accompaniment of a traveller."""

from __future__ import annotations

from ..record import Arg, Event, Record, Span
from .clauses import SentenceView, Slot
from .event_context import PARTY_TYPES, StoryState, Trigger, is_dateline, slot_arg


class TripFrames:
    """Trip, stay, lead, visit and accompany frames (a mixin of `EventExtractor`, through `EventFrames`)."""

    def _trip(self, record: Record, view: SentenceView, trig: Trigger, clause: int, state: StoryState) -> list[Event]:
        if view.lower[trig.index] in self.words["halt_forms"] and not (
            self._any(view, "reflexive") and not self.words["stay_particles"].isdisjoint(view.lower[trig.index + 1 :])
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
            place = slot_arg(d)
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
        place = slot_arg(places[-1])
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
        actors = [slot_arg(g) for g in groups]
        return [self._event(record, view, trig, "accompany", actors, [slot_arg(leader)], place, state)]

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
                out.append(self._event(record, view, trig, "accompany", [slot_arg(s)], [actor], place, state))
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
            return slot_arg(s)
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

    def _entity_arg(self, record: Record, entity_id: str) -> Arg:
        """An event argument for someone named earlier (the traveller), at their last mention."""
        return Arg(entity_id, self._mention_of(record, entity_id))

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
                events.append(self._event(record, view, trig, "trip", [actor], [], slot_arg(p), state))
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
            place = slot_arg(after[0]) if after else self._here(view, clause, state, trig.index, record)
            events.append(self._event(record, view, trig, "visit", [actor], [slot_arg(o)], place, state))
            if state.traveler is None and record.entities[actor.entity].type == "person":
                state.traveler = actor.entity  # who visits is who travels: "Hintergrund der Reise nach …"
            if after and record.entities[actor.entity].type == "person":
                events.extend(self._trip_to_visit_place(record, view, trig, actor, place, state))
        return events

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

    def _accompany(
        self, record: Record, view: SentenceView, trig: Trigger, clause: int, state: StoryState
    ) -> list[Event]:
        w = view.lower[trig.index]

        def joined(who: list[Arg], led: Arg, place: Arg | None) -> list[Event]:
            return [self._event(record, view, trig, "accompany", who, [led], place, state)]

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
                place = self._entity_arg(record, first) if first else None
                return joined([slot_arg(s) for s in by], Arg(*led), place)
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
            along = [slot_arg(s) for s in joiners if s.prep is None]
            return joined(along, self._entity_arg(record, state.traveler), None) if joiners else []
        if not joiners:
            return []
        own_place = self._places(view, clause, {"in", "im"})
        place = slot_arg(own_place[0]) if own_place else None
        # Joining "für diesen Teil der Reise" is joining at this stop; "auf der Reise" is for all of it.
        if place is None and state.leg and (self._any(view, "leg_part_words") or not view.has("außerdem", "reise")):
            place = self._entity_arg(record, state.leg)
        return joined([slot_arg(s) for s in joiners], self._entity_arg(record, state.traveler), place)
