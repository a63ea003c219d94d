"""The OpenAPI 3.1 description served at /openapi.json."""

from __future__ import annotations

from typing import Any

from .queries import EVENT_TYPES, STATUSES


def _param(
    name: str,
    description: str,
    schema: dict[str, Any] | None = None,
    where: str = "query",
    required: bool = False,
) -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": required,
        "description": description,
        "schema": schema or {"type": "string"},
    }


_FILTERS = [
    _param("person", "entity key (person:kai wegner) or part of a name"),
    _param("org", "entity key (organization:pfizer) or part of a name"),
    _param("place", "entity key (place:4930956: places by GeoNames id) or part of a place name"),
    _param("type", "event type", {"type": "string", "enum": list(EVENT_TYPES)}),
    _param("status", "event status", {"type": "string", "enum": list(STATUSES)}),
    _param(
        "from",
        "events that may fall on or after this date (YYYY-MM-DD)",
        {"type": "string", "format": "date"},
    ),
    _param("to", "events that may fall on or before this date (YYYY-MM-DD)", {"type": "string", "format": "date"}),
    _param("q", "words in the article title, participants or place"),
]
_PAGE = [
    _param("limit", "page size (at most 500)", {"type": "integer", "minimum": 1, "maximum": 500}),
    _param("offset", "rows to skip", {"type": "integer", "minimum": 0}),
]


def _get(summary: str, params: list[dict[str, Any]], schema: str) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": params,
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
                },
                "404": {
                    "description": "not found",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                },
            },
        }
    }


def spec() -> dict[str, Any]:
    obj = {"type": "object"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "treffpunkt",
            "version": "0.1.0",
            "description": "Read-only API over trips, visits, meetings, agreements, partnerships and quotes "
            "extracted from news articles. Every fact carries character spans into its article.",
        },
        "paths": {
            "/api/stats": _get("Counts of stored articles, events, quotes, trips", [], "Stats"),
            "/api/events": _get("Events (timeline), newest first, filterable", _FILTERS + _PAGE, "Events"),
            "/api/trips": _get(
                "Trips with their legs in travel order",
                [_param("traveler", "entity key of the traveller"), *_FILTERS],
                "Trips",
            ),
            "/api/map": _get("Trips and located encounters for the map", _FILTERS, "Map"),
            "/api/network": _get(
                "Who met whom: participants of encounters and how often",
                [_param("min_weight", "minimum encounters per edge", {"type": "integer"})],
                "Network",
            ),
            "/api/search": _get(
                "Full-text search with facets",
                [
                    _param("q", "words, all must occur"),
                    _param("type", "articles with this event type"),
                    _param("entity", "articles naming this entity key"),
                    *_PAGE,
                ],
                "Search",
            ),
            "/api/entities": _get(
                "Canonical entities by name",
                [
                    _param("q", "part of the name"),
                    _param("kind", "person, organization, place or group"),
                    _param("limit", "at most 500", {"type": "integer"}),
                ],
                "Entities",
            ),
            "/api/entities/{key}": _get(
                "One entity: roles over time, trips, events, quotes, whom it met",
                [_param("key", "entity key", where="path", required=True)],
                "Entity",
            ),
            "/api/articles/{hash}": _get(
                "One article: text, record, facts with spans",
                [_param("hash", "content hash", where="path", required=True)],
                "Article",
            ),
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
                },
                "Stats": obj,
                "Trips": obj,
                "Map": obj,
                "Network": obj,
                "Search": obj,
                "Entity": obj,
                "Entities": {"type": "array", "items": obj},
                "Events": {
                    "type": "object",
                    "properties": {
                        "total": {"type": "integer"},
                        "limit": {"type": "integer"},
                        "offset": {"type": "integer"},
                        "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
                    },
                },
                "Event": {
                    "type": "object",
                    "properties": {
                        "article": {"type": "string"},
                        "id": {"type": "string"},
                        "type": {"type": "string", "enum": list(EVENT_TYPES)},
                        "status": {"type": "string", "enum": list(STATUSES)},
                        "actors": {"type": "array", "items": {"type": "string"}},
                        "counterparts": {"type": "array", "items": {"type": "string"}},
                        "place": {"type": ["string", "null"]},
                        "evidence_span": {"type": "array", "items": {"type": ["integer", "null"]}},
                    },
                },
                "Article": {
                    "type": "object",
                    "properties": {
                        "hash": {"type": "string"},
                        "text": {"type": "string"},
                        "record": obj,
                        "facts": {"type": "array", "items": obj},
                    },
                },
            }
        },
    }
