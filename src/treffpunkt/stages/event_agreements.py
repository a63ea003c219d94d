"""Frames of agreements and standing partnerships."""

from __future__ import annotations

from ..record import Arg, Event, Record
from .clauses import SentenceView, Slot
from .event_context import PARTY_TYPES, StoryState, Trigger, is_dateline, slot_arg


class AgreementFrames:
    """Agreement and partnership frames (a mixin of `EventExtractor`, through `EventFrames`)."""

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

        def agreed(actor: Arg, partners: list[Arg]) -> list[Event]:
            here = self._here(view, clause, state, trig.index, record)
            return [self._event(record, view, trig, "agreement", [actor], partners, here, state)]

        between = self._parties(view, clause, ("zwischen",), None)
        if len(between) >= 2:
            # "bei dem Vertrag zwischen der EU und der Türkei": the deal's own parties, whoever talks about it;
            # "ein Abkommen zwischen Italien und dem Land Sachsen": the parties without a subject
            for s in between:
                if s.entity.type == "place":
                    s.entity.type = "polity"
            return agreed(slot_arg(between[0]), [slot_arg(s) for s in between[1:]])
        # Institutions sign too ("die Hochschule will … eine Vereinbarung unterzeichnen").
        who = self._traveler(record, view, clause, state, PARTY_TYPES)
        if who is None:
            return []
        if (
            w.startswith(tuple(self.words["adopting_stems"]))
            and record.entities[who[0]].type != "group"
            and not any(self.lex.ends_with_any(x, self.agreement_objects) for x in view.lower)
        ):
            # one body passing a law or a resolution agrees with no one; "Experten aus über 130 Ländern
            # verabschiedeten den Report": many parties adopt it together
            return []
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
                return agreed(Arg(*who), met)
        return agreed(Arg(*who), [slot_arg(s) for s in others])

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
                [slot_arg(subject)],
                [slot_arg(o) for o in others[:1]],
                None,
                state,
                when=when,
            )
        ]

    def _attributive(self, view: SentenceView, trig: Trigger) -> bool:
        """A lowercase trigger between an article and a word of its noun phrase is an adjective:
        "beim vereinbarten automatischen Informationsaustausch", "die unterzeichneten Verträge"."""
        i = trig.index
        if not view.tokens[i].text.islower() or i == 0 or i + 1 >= len(view.lower):
            return False
        nxt = view.tokens[i + 1].text
        return (
            view.lower[i - 1] in self.words["attributive_before"]
            and nxt.isalpha()
            and nxt not in self.words["conjunctions"]
        )
