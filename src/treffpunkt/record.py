"""The typed data model that flows through every stage.

Every mention, date, event argument and quote points into `Article.text` by
character offsets (`Span`); the text itself is never changed. `Record.to_dict`
writes the evaluation contract (shared/eval/FORMAT.md) plus spans and ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EntityType = Literal["person", "organization", "polity", "place", "group"]
NerLabel = Literal["PER", "ORG", "LOC", "OTH"]
EventType = Literal["trip", "visit", "meeting", "accompany", "agreement", "partnership"]
Status = Literal["planned", "happened", "ongoing", "cancelled", "unknown"]
QuoteKind = Literal["direct", "indirect"]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    start: int
    end: int

    def text(self, source: str) -> str:
        return source[self.start : self.end]

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def to_list(self) -> list[int]:
        return [self.start, self.end]


@dataclass(slots=True)
class Article:
    id: str
    text: str
    published: str | None = None  # "YYYY-MM-DD", "YYYY-MM", "YYYY"
    title: str | None = None
    lang: str = "de"
    body: Span | None = None  # the part of `text` that is article body (None: all of it)
    teaser: Span | None = None  # a caption or teaser line before the body
    source: str | None = None  # file (and line) the article came from
    meta: dict = field(default_factory=dict)

    @property
    def body_span(self) -> Span:
        return self.body or Span(0, len(self.text))


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(slots=True)
class Sentence:
    span: Span
    first_token: int  # index into Record.tokens
    last_token: int  # exclusive


@dataclass(slots=True)
class Mention:
    """A named or described reference to something, as found in the text."""

    span: Span
    label: NerLabel
    text: str
    source: str = "ner"  # ner | gazetteer | rule | coref
    entity: str | None = None  # Entity.id once resolved
    head: Span | None = None  # the proper-name part, when the span includes a role or class noun


@dataclass(slots=True)
class GeoRef:
    geonameid: int | None
    name: str
    lat: float | None = None
    lon: float | None = None
    country: str | None = None  # ISO 3166 alpha-2
    admin1: str | None = None
    feature: str = "city"  # city | country | admin1 | admin2 | continent | region


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    type: EntityType
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    party: str | None = None
    mentions: list[Span] = field(default_factory=list)
    geo: GeoRef | None = None
    country: str | None = None  # for a person: the country (ISO 3166) their office names, if any


@dataclass(slots=True)
class TimeExpr:
    span: Span
    text: str
    start: str | None  # ISO date at the precision the text allows
    end: str | None = None
    days: int | None = None  # a duration ("fünftägig")
    direction: Literal["past", "future", "present", "unknown"] = "unknown"


@dataclass(slots=True)
class Arg:
    """An event argument: the entity and the words in the evidence that name it."""

    entity: str  # Entity.id
    span: Span


@dataclass(slots=True)
class Event:
    id: str
    type: EventType
    actors: list[Arg]
    counterparts: list[Arg]
    place: Arg | None
    when: TimeExpr | None
    status: Status
    evidence: Span
    trigger: Span
    confidence: float = 1.0


@dataclass(slots=True)
class Quote:
    kind: QuoteKind
    span: Span  # the quoted words, without marks and reporting clause
    speaker: str | None  # Entity.id
    speaker_span: Span | None = None
    cue: Span | None = None  # the reporting verb


@dataclass(slots=True)
class Leg:
    place: Arg
    appointments: list[Arg] = field(default_factory=list)
    joined_by: list[Arg] = field(default_factory=list)
    when: TimeExpr | None = None


@dataclass(slots=True)
class Trip:
    id: str
    traveler: Arg
    legs: list[Leg]
    status: Status
    start: str | None = None
    end: str | None = None
    days: int | None = None
    days_span: Span | None = None
    companions: list[Arg] = field(default_factory=list)
    topics: list[Span] = field(default_factory=list)
    announced_by: Arg | None = None
    funding: Span | None = None
    events: list[str] = field(default_factory=list)  # Event.id


@dataclass(slots=True)
class StageError:
    stage: str
    message: str
    offset: int | None = None


@dataclass(slots=True)
class Record:
    article: Article
    tokens: list[Token] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    times: list[TimeExpr] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    trips: list[Trip] = field(default_factory=list)
    errors: list[StageError] = field(default_factory=list)
    done: list[str] = field(default_factory=list)  # names of the stages that ran
    halted: str | None = None  # why a stage stopped the pipeline on purpose (e.g. an unsupported language)

    @property
    def text(self) -> str:
        return self.article.text

    def sentence_of(self, offset: int) -> Sentence | None:
        lo, hi = 0, len(self.sentences)
        while lo < hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid].span
            if offset < s.start:
                hi = mid
            elif offset >= s.end:
                lo = mid + 1
            else:
                return self.sentences[mid]
        return None

    def sentence_tokens(self, sentence: Sentence) -> list[Token]:
        return self.tokens[sentence.first_token : sentence.last_token]

    def name(self, entity_id: str | None) -> str | None:
        return self.entities[entity_id].name if entity_id in self.entities else None
