"""The frames of the event rules: where each kind of trigger finds its actors, partners, place and time.

Mixed into `EventExtractor` (stages/events.py), whose helpers (`_traveler`, `_subject`, `_places`,
`_event`, …) the frames use.
"""

from __future__ import annotations

from .event_agreements import AgreementFrames
from .event_meetings import MeetingFrames
from .event_trips import TripFrames


class EventFrames(TripFrames, MeetingFrames, AgreementFrames):
    """All frames; `EventExtractor._frame` picks one by the trigger's frame name."""
