"""Events -> itineraries: one traveller's trip with ordered legs, appointments, companions and topics."""

from __future__ import annotations

import re

from ..lang import ordered, table, wordlist
from ..record import Arg, Entity, Event, Leg, Record, Span, Trip

_LIST_SPLIT = re.compile(r"\s*(?:,|\bund\b|\bsowie\b)\s*")
_LEADING = re.compile(r"^(?:um\s+)?(?:die|der|den|dem|das|des|eine|einen|einer|ein)\s+|^um\s+", re.IGNORECASE)
_CONTAINERS = {"country", "admin1", "continent", "region"}


class TripAssembler:
    name = "trips"
    requires = ("events", "times", "entities")
    assigns = ("trips",)

    def __init__(self, lang: str = "de"):
        self.topic_cues = wordlist(lang, "trip_topic_cues.txt")
        self.topic_skip = wordlist(lang, "trip_topic_skip.txt")
        self.topic_end = wordlist(lang, "trip_topic_end.txt")
        self.announce_verbs = wordlist(lang, "trip_announce_verbs.txt")
        self.funding = [re.compile(p) for p in ordered(lang, "trip_funding.txt")]
        self.order_cues = table(lang, "trip_order_cues.tsv")

    def __call__(self, record: Record) -> Record:
        trips: list[Trip] = []
        travelers: list[str] = []
        for ev in record.events:
            if ev.type == "trip" and ev.actors and ev.actors[0].entity not in travelers:
                travelers.append(ev.actors[0].entity)
        for traveler in travelers:
            trip = self._assemble(record, traveler, len(trips) + 1)
            if trip is not None:
                trips.append(trip)
        record.trips = trips
        return record

    # -- legs ------------------------------------------------------------------------------

    def _is_container(self, record: Record, place: str, others: list[str]) -> bool:
        """A country (or state) that only holds the other stops is no stop of its own."""
        ent = record.entities.get(place)
        if ent is None or ent.geo is None or ent.geo.feature not in _CONTAINERS:
            return False
        for other in others:
            geo = record.entities[other].geo if other in record.entities else None
            if other != place and geo is not None and geo.feature not in _CONTAINERS:
                if ent.geo.feature == "country" and geo.country == ent.geo.country:
                    return True
                if ent.geo.feature == "admin1" and geo.admin1 == ent.geo.admin1 and geo.country == ent.geo.country:
                    return True
        return False

    def _in_travel_order(self, record: Record, stops: list[str], trip_events: list[Event]) -> list[str]:
        """Text order, except that a stop its sentence calls the first or the last goes there
        ("Die Tour beginnt in Neu-Delhi und endet in Pune" names Pune before the stops between)."""
        rank: dict[str, int] = {}
        for ev in trip_events:
            if ev.place is None or ev.place.entity in rank:
                continue
            # The cue nearest before the place name in its sentence, within a few words.
            before = [t.text.lower() for t in record.tokens if ev.evidence.start <= t.start < ev.place.span.start][-8:]
            cues = [self.order_cues[w] for w in before if w in self.order_cues]
            if cues and ev.place.span.end <= ev.evidence.end:
                rank[ev.place.entity] = {"first": -1, "last": 1}[cues[-1]]
        return sorted(stops, key=lambda p: rank.get(p, 0))

    def _unplaced_region(self, record: Record, first: str, rest: list[str]) -> bool:
        """A first destination the gazetteer does not know as a city ("Powiat Żarski"), followed by
        cities that it does know, is the region the trip goes to, not a stop."""
        geo = record.entities[first].geo
        located = [record.entities[p].geo for p in rest]
        return (geo is None or geo.feature != "city") and all(g is not None and g.feature == "city" for g in located)

    def _assemble(self, record: Record, traveler: str, n: int) -> Trip | None:
        mine = [ev for ev in record.events if _involves(ev, traveler)]
        trip_events = [ev for ev in mine if ev.type == "trip" and ev.actors[0].entity == traveler and ev.place]
        if not trip_events:
            return None
        places: list[str] = []
        first_arg: dict[str, Arg] = {}
        for ev in trip_events:
            assert ev.place is not None
            if ev.place.entity not in places and ev.status != "cancelled":
                places.append(ev.place.entity)
                first_arg[ev.place.entity] = ev.place
        stops = [p for p in places if not self._is_container(record, p, places)]
        stops = _one_per_place(record, stops)
        if len(stops) >= 3 and self._unplaced_region(record, stops[0], stops[1:]):
            stops = stops[1:]
        stops = self._in_travel_order(record, stops, trip_events)
        legs = [Leg(place=first_arg[p]) for p in stops]
        by_place = {leg.place.entity: leg for leg in legs}
        by_geo = {record.entities[p].geo.geonameid: by_place[p] for p in stops if record.entities[p].geo}
        for ent in record.entities.values():
            # Other names of a stop's place ("Hafen von Abidjan") lead to that stop.
            if ent.id not in by_place and ent.geo is not None and ent.geo.geonameid in by_geo:
                by_place[ent.id] = by_geo[ent.geo.geonameid]
        for ev in trip_events:
            leg = by_place.get(ev.place.entity) if ev.place else None
            if leg is not None and leg.when is None and ev.when is not None and ev.when.text:
                leg.when = ev.when
        companions: list[Arg] = []
        for ev in mine:
            leg = by_place.get(ev.place.entity) if ev.place else None
            if ev.type in ("visit", "meeting") and leg is not None and ev.status != "cancelled":
                for a in ev.actors + ev.counterparts:
                    if a.entity == traveler:
                        continue
                    if a.entity not in {x.entity for x in leg.appointments} and a.entity not in stops:
                        leg.appointments.append(a)
            elif ev.type == "accompany" and ev.counterparts and ev.counterparts[0].entity == traveler:
                target = leg.joined_by if leg is not None and len(legs) > 1 else companions
                for a in ev.actors:
                    if a.entity not in {x.entity for x in target}:
                        target.append(a)
        # Appointments with people who travel along are not appointments.
        along = {a.entity for a in companions} | {a.entity for leg in legs for a in leg.joined_by}
        for leg in legs:
            leg.appointments = [a for a in leg.appointments if a.entity not in along]
        # The trip starts at its earliest stated date; a date only inherited from publication comes last.
        dated = [ev.when for ev in trip_events if ev.when is not None and ev.when.start and ev.status != "cancelled"]
        stated = [t for t in dated if t.text]
        start_expr = min(stated or dated, key=lambda t: t.start or "") if dated else None
        first_trip = trip_events[0]
        ent = record.entities[traveler]
        trip = Trip(
            id=f"trip{n}",
            traveler=Arg(traveler, first_trip.actors[0].span if first_trip.actors else ent.mentions[0]),
            legs=legs,
            status=first_trip.status,
            start=start_expr.start if start_expr else None,
            companions=companions,
            events=[ev.id for ev in mine],
        )
        self._duration(record, trip, trip_events)
        trip.topics = self._topics(record, mine)
        trip.announced_by = self._announcer(record, mine, ent)
        trip.funding = self._funding(record)
        return trip

    # -- dates, topics, announcer, funding -------------------------------------------------

    def _duration(self, record: Record, trip: Trip, trip_events: list[Event]) -> None:
        durations = [t for t in record.times if t.days]
        if durations:
            trip.days = durations[0].days
            trip.days_span = durations[0].span
        ends = [t.end for t in record.times if t.end and t.start == trip.start]
        if ends:
            trip.end = ends[0]
        elif trip.start and trip.days and len(trip.start) == 10:
            trip.end = _add_days(trip.start, trip.days - 1)

    def _topics(self, record: Record, events: list[Event]) -> list[Span]:
        text = record.text
        body = record.article.body_span
        for sent in record.sentences:
            if not body.contains(sent.span):
                continue
            toks = record.sentence_tokens(sent)
            words = [t.text for t in toks]
            cues = [
                i
                for i, w in enumerate(words)
                if w in self.topic_cues and (w != "um" or "es" in words[max(0, i - 6) : i])
            ]
            if not cues:
                continue
            i = cues[-1] + 1
            while i < len(toks):
                w = words[i]
                if w in self.topic_skip:
                    i += 1
                elif w in ("laut", "nach") and i + 1 < len(toks):
                    # "laut Staatskanzlei", "nach Angaben der Stadt": who says so, not what about.
                    i += 2
                    while (
                        i < len(toks)
                        and (words[i] in ("der", "des", "dem") or words[i][:1].isupper())
                        and words[i - 1] in ("der", "des", "dem", "Angaben", "laut", "nach")
                    ):
                        i += 1
                else:
                    break
            if i >= len(toks):
                continue
            start = toks[i].start
            end = sent.span.end
            m = re.search(r",\s*(?:wie|teilte|so|sagte|hieß)\b|[.;!?]\s*$", text[start:end])
            if m:
                end = start + m.start()
            closing = re.search(r"\s+(?:" + "|".join(sorted(self.topic_end)) + r")\s*$", text[start:end])
            if closing:
                end = start + closing.start()
            parts = self._split_list(text, start, end)
            if parts:
                return parts
        return []

    def _split_list(self, text: str, start: int, end: int) -> list[Span]:
        parts: list[Span] = []
        pos = start
        for m in list(_LIST_SPLIT.finditer(text, start, end)) + [None]:
            stop = m.start() if m else end
            chunk_start, chunk_end = pos, stop
            chunk = text[chunk_start:chunk_end]
            lead = _LEADING.match(chunk)
            if lead:
                chunk_start += lead.end()
            chunk = text[chunk_start:chunk_end].strip()
            if chunk and not chunk.endswith("-"):
                s = chunk_start + text[chunk_start:chunk_end].index(chunk)
                parts.append(Span(s, s + len(chunk)))
            elif chunk.endswith("-"):
                return []  # "Gesundheits-, Wissenschafts- und …": a compound list, not topics
            pos = m.end() if m else end
        return parts

    def _announcer(self, record: Record, events: list[Event], traveler: Entity) -> Arg | None:
        for sent in record.sentences:
            words = [t.text.lower() for t in record.sentence_tokens(sent)]
            if not any(w in self.announce_verbs for w in words):
                continue
            for m in record.mentions:
                if sent.span.contains(m.span) and m.entity in record.entities:
                    ent = record.entities[m.entity]
                    if ent.type == "organization" and ent.id != traveler.id:
                        return Arg(ent.id, m.span)
        return None

    def _funding(self, record: Record) -> Span | None:
        for pat in self.funding:
            m = pat.search(record.text)
            if m:
                return Span(m.start(), m.end())
        return None


def _one_per_place(record: Record, places: list[str]) -> list[str]:
    """ "Abidjan" and "Hafen von Abidjan" resolve to one GeoNames place: one stop."""
    seen: set[int] = set()
    out = []
    for p in places:
        geo = record.entities[p].geo
        if geo is not None and geo.geonameid is not None:
            if geo.geonameid in seen:
                continue
            seen.add(geo.geonameid)
        out.append(p)
    return out


def _involves(ev: Event, entity: str) -> bool:
    return any(a.entity == entity for a in ev.actors + ev.counterparts)


def _add_days(iso: str, days: int) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(iso) + timedelta(days=days)).isoformat()
