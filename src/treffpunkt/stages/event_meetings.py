"""Frames of meetings: talks, summits and receptions, and what is no encounter (a body's own session, an interview)."""

from __future__ import annotations

from ..record import Arg, Entity, Event, Record
from .clauses import SentenceView, Slot
from .event_context import PARTY_TYPES, StoryState, Trigger, slot_arg

_OPENING_MARKS = {"„", "»", '"', "‚"}


class MeetingFrames:
    """The meeting frame and the checks that rule an encounter out (a mixin of `EventExtractor`)."""

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

        def met(actor: Arg, partners: list[Arg]) -> Event:
            here = self._here(view, clause, state, trig.index, record)
            return self._event(record, view, trig, "meeting", [actor], partners, here, state)

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
                return [met(slot_arg(hosts[0]), [self._entity_arg(record, state.traveler)])]
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
            return [met(slot_arg(host), [Arg(*guest)])]
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
            return [met(Arg(*who), [self._entity_arg(record, state.traveler)])]
        if (
            trig.frame == "host"
            and state.traveler is None
            and not others
            and any(w in self.traveler_refs for w in view.lower)
        ):
            # "hat am Mittwoch Gäste aus Winnyzja empfangen": who they are, the next sentences say.
            ev = met(Arg(*who), [])
            state.awaiting_guests.append(ev)
            return [ev]
        if not others and not ref_partners and trig.frame not in ("gather", "together"):
            return []  # "X trifft" alone names no encounter
        if not others and not ref_partners and self._same_meeting_again(record, view, trig, clause, state):
            return []  # one more attendee of the meeting reported before, no new encounter
        actor = Arg(*who)
        counterparts = [slot_arg(s) for s in others] + [Arg(e, sp) for e, sp in ref_partners]
        if len(counterparts) > 1 and all(record.entities[c.entity].type == "polity" for c in counterparts):
            # "verhandelt mit der Schweiz und Israel": talks with each country are talks of their own
            events = [met(actor, [c]) for c in counterparts]
        else:
            events = [met(actor, counterparts)]
        place = events[0].place
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
