"""Records (as `serialize.record_dict` writes them) -> GeoJSON features (RFC 7946).

A trip becomes a LineString through its located legs in travel order (a Point when one leg is
located), plus a Point per leg; a located event becomes a Point. Coordinates are [lon, lat].
"""

from __future__ import annotations

from typing import Any


def _lonlat(geo: dict[str, Any] | None) -> list[float] | None:
    if not geo or geo.get("lat") is None or geo.get("lon") is None:
        return None
    return [round(float(geo["lon"]), 5), round(float(geo["lat"]), 5)]


def _entity_geo(rec: dict[str, Any], entity_id: str | None) -> dict[str, Any] | None:
    for ent in rec.get("entities", []):
        if ent.get("id") == entity_id:
            return ent.get("geo")
    return None


def record_features(rec: dict[str, Any], key: str | None = None) -> list[dict[str, Any]]:
    """All features of one article's record; `key` (default: the record id) prefixes feature ids."""
    key = key or str(rec.get("id"))
    features: list[dict[str, Any]] = []
    for trip in rec.get("trips", []):
        legs = [(leg, _lonlat(leg.get("geo"))) for leg in trip.get("legs", [])]
        located = [(leg, c) for leg, c in legs if c is not None]
        if not located:
            continue
        coords = [c for _, c in located]
        common = {
            "article": key,
            "trip": trip.get("id"),
            "traveler": trip.get("traveler"),
            "status": trip.get("status"),
            "start": trip.get("start"),
            "end": trip.get("end"),
            "published": rec.get("published"),
            "title": rec.get("title"),
        }
        features.append(
            {
                "type": "Feature",
                "id": f"{key}/{trip.get('id')}",
                "geometry": {"type": "LineString", "coordinates": coords}
                if len(coords) > 1
                else {"type": "Point", "coordinates": coords[0]},
                "properties": {"kind": "trip", "places": [leg.get("place") for leg, _ in located], **common},
            }
        )
        for n, (leg, c) in enumerate(located, start=1):
            features.append(
                {
                    "type": "Feature",
                    "id": f"{key}/{trip.get('id')}/leg{n}",
                    "geometry": {"type": "Point", "coordinates": c},
                    "properties": {
                        "kind": "leg",
                        "order": n,
                        "place": leg.get("place"),
                        "appointments": leg.get("appointments", []),
                        "joined_by": leg.get("joined_by", []),
                        **common,
                    },
                }
            )
    for ev in rec.get("events", []):
        place = (ev.get("args") or {}).get("place") or {}
        c = _lonlat(_entity_geo(rec, place.get("entity")))
        if c is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": f"{key}/{ev.get('id')}",
                "geometry": {"type": "Point", "coordinates": c},
                "properties": {
                    "kind": "event",
                    "article": key,
                    "type": ev.get("type"),
                    "status": ev.get("status"),
                    "actors": ev.get("actors"),
                    "counterparts": ev.get("counterparts"),
                    "place": ev.get("place"),
                    "start": (ev.get("when") or {}).get("start"),
                    "evidence": ev.get("evidence"),
                },
            }
        )
    return features


def feature_collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}
