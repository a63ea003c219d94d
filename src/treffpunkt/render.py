"""A readable account of one record: the trips as itineraries, every event and quote with its evidence."""

from __future__ import annotations

import textwrap

from .record import Event, Record, TimeExpr, Trip

_VERB = {
    "trip": "travels to",
    "visit": "visits",
    "meeting": "meets",
    "accompany": "accompanies",
    "agreement": "agrees with",
    "partnership": "is partnered with",
}


def _when(t: TimeExpr | None) -> str:
    if t is None or not t.start:
        return ""
    out = t.start + (f" to {t.end}" if t.end else "")
    return f" [{out}{', “' + t.text + '”' if t.text else ''}]"


def _names(record: Record, args) -> str:
    return ", ".join(record.name(a.entity) or "?" for a in args)


def _event_line(record: Record, ev: Event) -> str:
    who = _names(record, ev.actors)
    whom = _names(record, ev.counterparts)
    verb = _VERB[ev.type]
    if ev.type == "trip":
        line = f"{who} {verb} {record.name(ev.place.entity) if ev.place else '?'}"
    else:
        line = f"{who} {verb} {whom}".rstrip()
        if ev.place:
            line += f" in {record.name(ev.place.entity)}"
    return f"- {ev.type}, {ev.status}: {line}{_when(ev.when)}"


def _trip_lines(record: Record, trip: Trip) -> list[str]:
    text = record.text
    head = f"Trip of {record.name(trip.traveler.entity)} ({trip.status}"
    if trip.start:
        head += f", from {trip.start}"
    if trip.end:
        head += f" to {trip.end}"
    if trip.days:
        head += f", {trip.days} days"
    lines = [head + ")"]
    for n, leg in enumerate(trip.legs, start=1):
        geo = record.entities[leg.place.entity].geo
        where = f" ({geo.lat:.2f}, {geo.lon:.2f})" if geo and geo.lat is not None and geo.lon is not None else ""
        lines.append(f"  {n}. {record.name(leg.place.entity)}{where}{_when(leg.when)}")
        for a in leg.appointments:
            lines.append(f"     meets/visits {record.name(a.entity)}")
        for a in leg.joined_by:
            lines.append(f"     joined by {record.name(a.entity)}")
    if trip.companions:
        lines.append(f"  with: {_names(record, trip.companions)}")
    if trip.topics:
        lines.append(f"  topics: {', '.join(t.text(text) for t in trip.topics)}")
    if trip.funding:
        lines.append(f"  funding: {trip.funding.text(text)}")
    if trip.announced_by:
        lines.append(f"  announced by: {record.name(trip.announced_by.entity)}")
    return lines


def render_text(record: Record) -> str:
    art = record.article
    text = record.text
    out = [f"== {art.id}" + (f" ({art.published})" if art.published else "") + (f": {art.title}" if art.title else "")]
    for trip in record.trips:
        out.extend(_trip_lines(record, trip))
    if record.events:
        out.append("Encounters:")
        for ev in record.events:
            out.append(_event_line(record, ev))
            out.append(textwrap.indent(textwrap.fill(f"“{ev.evidence.text(text)}”", 100), "    "))
    if record.quotes:
        out.append("Quotes:")
        for q in record.quotes:
            who = record.name(q.speaker) or "unknown speaker"
            out.append(textwrap.indent(textwrap.fill(f"{who} ({q.kind}): “{q.span.text(text)}”", 100), "  "))
    if record.halted:
        out.append(f"(not extracted: {record.halted})")
    elif not record.events and not record.quotes:
        out.append("(no encounters or quotes found)")
    for err in record.errors:
        out.append(f"! stage {err.stage}: {err.message}")
    return "\n".join(out)
