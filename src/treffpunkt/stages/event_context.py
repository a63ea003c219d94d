"""What the event rules share: a trigger found in a sentence, and what the article has established so far."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..record import Arg, Event, Span, Status, TimeExpr
from .clauses import SentenceView, Slot

# Entity types that can act in an encounter.
PARTY_TYPES = frozenset({"person", "organization", "group"})


@dataclass(slots=True)
class Trigger:
    index: int  # token index in the sentence view
    type: str
    frame: str


@dataclass(slots=True)
class StoryState:
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
    # Hosts who received "Gäste" before the report named them: their guest is the traveller named later.
    awaiting_guests: list[Event] = field(default_factory=list)


def slot_arg(slot: Slot) -> Arg:
    """An event argument for a name in the sentence."""
    return Arg(slot.entity.id, slot.mention.span)


def is_dateline(view: SentenceView, s: Slot) -> bool:
    """ "Berlin - …" or "Forst (Lausitz) - …" at the start of a sentence names where the report was filed."""
    return s.first == 0 and any(
        view.lower[k] in ("-", "–", "—") for k in range(s.last + 1, min(s.last + 5, len(view.lower)))
    )


def month_of(t: TimeExpr) -> TimeExpr:
    return TimeExpr(span=Span(0, 0), text="", start=(t.start or "")[:7] or None, direction=t.direction)


def feminine(word: str) -> bool:
    return word.lower().endswith("in") and len(word) > 5


def role_stem(word: str) -> str:
    """A role noun without gender and case endings: "Bundeskanzlers", "Präsidenten", "Ministerin"."""
    w = word.lower()
    if w.endswith("in") and len(w) > 5:
        return w[:-2]
    for ending in ("en", "es", "s", "n"):
        if w.endswith(ending) and len(w) - len(ending) >= 5:
            return w[: -len(ending)]
    return w
