"""Across articles: canonical entities and one encounter per real-world event (texts written for this test)."""

from __future__ import annotations

from fakes import DictNer
from treffpunkt.canon import AliasRules, Canon, merge_encounters, merge_trips
from treffpunkt.pipeline import Pipeline
from treffpunkt.read.text import article_from_text
from treffpunkt.serialize import record_dict
from treffpunkt.stages.entities import EntityResolver
from treffpunkt.stages.events import EventExtractor
from treffpunkt.stages.quotes import QuoteExtractor
from treffpunkt.stages.time import TimeTagger
from treffpunkt.stages.tokens import Tokenizer
from treffpunkt.stages.trips import TripAssembler

NAMES = {
    "Andreas Bovenschulte": "PER",
    "Bovenschulte": "PER",
    "Aleksandra Dulkiewicz": "PER",
    "Dulkiewicz": "PER",
    "Danzig": "LOC",
    "Bremen": "LOC",
    "Bremens": "LOC",
    "Polen": "LOC",
    "Karl Weber": "PER",
    "Weber": "PER",
    "Hans Weber": "PER",
}

ANNOUNCED = (
    "Bremens Bürgermeister Andreas Bovenschulte reist am kommenden Montag nach Danzig. "
    "Dort trifft er Stadtpräsidentin Aleksandra Dulkiewicz."
)
REPORTED = (
    "Der Bremer Bürgermeister Andreas Bovenschulte ist am Montag nach Danzig gereist. "
    "Dort traf Bovenschulte am Nachmittag die Stadtpräsidentin Aleksandra Dulkiewicz."
)


def record(text: str, id: str, published: str) -> dict:
    pipeline = Pipeline(
        [
            Tokenizer(),
            DictNer(NAMES),
            EntityResolver(),
            TimeTagger(),
            QuoteExtractor(),
            EventExtractor(),
            TripAssembler(),
        ]
    )
    art = article_from_text(text, id=id)
    art.published = published
    return record_dict(pipeline.run(art, strict=True))


def test_two_reports_of_one_visit_merge_with_both_sources():
    a = record(ANNOUNCED, "announce", "2025-05-07")  # a Wednesday: "kommenden Montag" is 2025-05-12
    b = record(REPORTED, "report", "2025-05-13")  # the Tuesday after: "am Montag" is 2025-05-12
    meetings = [e for e in merge_encounters([a, b]) if e.type == "meeting"]
    assert len(meetings) == 1
    (meeting,) = meetings
    assert {s.article for s in meeting.sources} == {"announce", "report"}
    assert meeting.participants == {"person:andreas bovenschulte", "person:aleksandra dulkiewicz"}
    assert meeting.status == "happened"  # the later report wins over the announcement
    trips = merge_trips([a, b])
    assert len(trips) == 1 and trips[0].status == "happened"
    assert {s.article for s in trips[0].sources} == {"announce", "report"}
    assert trips[0].start == "2025-05-12"


def test_ingesting_the_same_articles_twice_changes_nothing():
    a = record(ANNOUNCED, "announce", "2025-05-07")
    b = record(REPORTED, "report", "2025-05-13")
    once = merge_encounters([a, b])
    twice = merge_encounters([a, b, a, b])
    assert [(e.type, sorted(e.participants), len(e.sources)) for e in once] == [
        (e.type, sorted(e.participants), len(e.sources)) for e in twice
    ]


def test_surname_joins_only_an_unambiguous_full_name(tmp_path):
    canon = Canon()
    canon.add_record(record("Karl Weber reist nach Polen.", "k", "2025-01-01"))
    assert canon.key_for({"name": "Weber", "type": "person"}) == "person:karl weber"
    canon.add_record(record("Hans Weber reist nach Polen.", "h", "2025-01-02"))
    # Two people with that surname: no merge without evidence.
    assert canon.key_for({"name": "Weber", "type": "person"}) == "person:weber"
    rules_file = tmp_path / "aliases.tsv"
    rules_file.write_text(
        "# fixes by hand\nsame\tBovi\tAndreas Bovenschulte\ndistinct\tWeber\tKarl Weber\n", encoding="utf-8"
    )
    ruled = Canon(AliasRules.read(rules_file))
    ruled.add_record(record("Karl Weber reist nach Polen.", "k", "2025-01-01"))
    assert ruled.key_for({"name": "Bovi", "type": "person"}) == "person:andreas bovenschulte"
    assert ruled.key_for({"name": "Weber", "type": "person"}) == "person:weber"


def test_roles_are_kept_with_article_and_date():
    canon = Canon()
    canon.add_record(record(ANNOUNCED, "announce", "2025-05-07"))
    person = canon.entities["person:andreas bovenschulte"]
    assert ("Bürgermeister", "announce", "2025-05-07") in person.roles


def test_a_real_pair_of_reports_merges(shared_dir):
    """Two Wikinews articles (2006-02-23 and 2006-03-31) report the same night in Altach."""
    import json

    from treffpunkt.api import default_pipeline

    wanted = {"dewikinews-22510", "dewikinews-24558"}
    rows = [json.loads(line) for line in open(shared_dir / "data/wikinews_de/articles_quotes.jsonl", encoding="utf-8")]
    records = []
    for row in rows:
        if row["id"] in wanted:
            art = article_from_text(row["text"], id=row["id"])
            art.published = row["date"]
            records.append(record_dict(default_pipeline().run(art)))
    assert len(records) == 2
    merged = [e for e in merge_encounters(records) if len({s.article for s in e.sources}) == 2]
    assert merged and {s.article for s in merged[0].sources} == wanted
    # Unrelated articles of the same corpus do not merge into it.
    others = [
        r
        for r in (
            record_dict(default_pipeline().run(article_from_text(row["text"], id=row["id"]))) for row in rows[:20]
        )
        if r["id"] not in wanted
    ]
    assert len([e for e in merge_encounters(records + others) if len({s.article for s in e.sources}) > 1]) == 1
