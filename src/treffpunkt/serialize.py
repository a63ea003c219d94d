"""Record -> the JSON shape of shared/eval/FORMAT.md, plus spans and ids."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .record import Arg, Event, Leg, Quote, Record, Span, TimeExpr, Trip


def _span(span: Span | None) -> list[int] | None:
    return span.to_list() if span is not None else None


def _arg(record: Record, arg: Arg | None) -> dict[str, Any] | None:
    if arg is None:
        return None
    return {"entity": arg.entity, "name": record.name(arg.entity), "span": arg.span.to_list()}


def _when(time: TimeExpr | None) -> dict[str, Any]:
    if time is None:
        return {"start": None, "end": None, "text": None}
    return {
        "start": time.start,
        "end": time.end,
        "text": time.text if time.span.end > time.span.start else None,
        "days": time.days,
        "span": _span(time.span) if time.span.end > time.span.start else None,
    }


def event_dict(record: Record, ev: Event) -> dict[str, Any]:
    text = record.text
    return {
        "id": ev.id,
        "type": ev.type,
        "actors": [record.name(a.entity) for a in ev.actors],
        "counterparts": [record.name(a.entity) for a in ev.counterparts],
        "place": record.name(ev.place.entity) if ev.place else None,
        "when": _when(ev.when),
        "status": ev.status,
        "evidence": ev.evidence.text(text),
        "evidence_span": ev.evidence.to_list(),
        "trigger": ev.trigger.text(text),
        "trigger_span": ev.trigger.to_list(),
        "args": {
            "actors": [_arg(record, a) for a in ev.actors],
            "counterparts": [_arg(record, a) for a in ev.counterparts],
            "place": _arg(record, ev.place),
        },
        "confidence": round(ev.confidence, 3),
    }


def quote_dict(record: Record, q: Quote) -> dict[str, Any]:
    return {
        "speaker": record.name(q.speaker),
        "speaker_id": q.speaker,
        "kind": q.kind,
        "text": q.span.text(record.text),
        "span": q.span.to_list(),
        "speaker_span": _span(q.speaker_span),
        "cue_span": _span(q.cue),
    }


def _leg(record: Record, leg: Leg) -> dict[str, Any]:
    return {
        "place": record.name(leg.place.entity),
        "place_span": leg.place.span.to_list(),
        "geo": _geo(record, leg.place.entity),
        "appointments": [record.name(a.entity) for a in leg.appointments],
        "joined_by": [record.name(a.entity) for a in leg.joined_by],
        "appointment_spans": [a.span.to_list() for a in leg.appointments],
        "joined_by_spans": [a.span.to_list() for a in leg.joined_by],
        "when": _when(leg.when) if leg.when else None,
    }


def _geo(record: Record, entity_id: str) -> dict[str, Any] | None:
    ent = record.entities.get(entity_id)
    return asdict(ent.geo) if ent is not None and ent.geo is not None else None


def trip_dict(record: Record, trip: Trip) -> dict[str, Any]:
    text = record.text
    return {
        "id": trip.id,
        "traveler": record.name(trip.traveler.entity),
        "traveler_span": trip.traveler.span.to_list(),
        "start": trip.start,
        "end": trip.end,
        "days": trip.days,
        "days_span": _span(trip.days_span),
        "status": trip.status,
        "legs": [_leg(record, leg) for leg in trip.legs],
        "companions": [record.name(a.entity) for a in trip.companions],
        "companion_spans": [a.span.to_list() for a in trip.companions],
        "topics": [t.text(text) for t in trip.topics],
        "topic_spans": [t.to_list() for t in trip.topics],
        "announced_by": record.name(trip.announced_by.entity) if trip.announced_by else None,
        "announced_by_span": trip.announced_by.span.to_list() if trip.announced_by else None,
        "funding": trip.funding.text(text) if trip.funding else None,
        "funding_span": _span(trip.funding),
        "events": list(trip.events),
    }


def record_dict(record: Record, *, with_text: bool = False) -> dict[str, Any]:
    art = record.article
    out: dict[str, Any] = {
        "id": art.id,
        "published": art.published,
        "title": art.title,
        "lang": art.lang,
        "source": art.source,
    }
    if with_text:
        out["text"] = art.text
    out["entities"] = [
        {
            "id": e.id,
            "name": e.name,
            "type": e.type,
            "aliases": e.aliases,
            "roles": e.roles,
            "party": e.party,
            "mentions": [m.to_list() for m in e.mentions],
            "geo": asdict(e.geo) if e.geo else None,
            "country": e.country,
        }
        for e in record.entities.values()
    ]
    out["events"] = [event_dict(record, ev) for ev in record.events]
    out["quotes"] = [quote_dict(record, q) for q in record.quotes]
    out["trips"] = [trip_dict(record, t) for t in record.trips]
    out["times"] = [
        {"text": t.text, "span": t.span.to_list(), "start": t.start, "end": t.end, "days": t.days} for t in record.times
    ]
    if record.errors:
        out["errors"] = [asdict(e) for e in record.errors]
    if record.halted:
        out["not_extracted"] = record.halted
    return out
