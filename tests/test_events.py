"""Snippet tests for entities, events and trips on texts written for these tests.

The NER is a dictionary double (tests/fakes.py), so what is tested is the
event logic, not the model.
"""

from __future__ import annotations

from functools import cache

import pytest

from fakes import DictNer
from treffpunkt.pipeline import Pipeline
from treffpunkt.read.text import article_from_text
from treffpunkt.record import Record
from treffpunkt.stages.entities import EntityResolver
from treffpunkt.stages.events import EventExtractor
from treffpunkt.stages.place_names import PlaceNameTagger
from treffpunkt.stages.places import PlaceResolver
from treffpunkt.stages.quotes import QuoteExtractor
from treffpunkt.stages.time import TimeTagger
from treffpunkt.stages.tokens import Tokenizer
from treffpunkt.stages.trips import TripAssembler

NAMES = {
    "Peter Tschentscher": "PER",
    "Tschentscher": "PER",
    "Yuriko Koike": "PER",
    "Ingrid Holm": "PER",
    "Holm": "PER",
    "Lars Brede": "PER",
    "Brede": "PER",
    "Maria Vogt": "PER",
    "Vogt": "PER",
    "Hafenbehörde": "ORG",
    "Toyota": "ORG",
    "NASA": "ORG",
    "Universität Kyoto": "ORG",
    "SPD": "ORG",
    "CDU": "ORG",
    "FC Nord": "ORG",
    "SV Süd": "ORG",
    "Hamburg": "LOC",
    "Hamburgs": "LOC",
    "Japan": "LOC",
    "Tokio": "LOC",
    "Kyoto": "LOC",
    "Osaka": "LOC",
    "Bremen": "LOC",
    "Danzig": "LOC",
    "Polen": "LOC",
    "Japans": "LOC",
    "Euro": "ORG",  # as a model may tag it
    "Spiegel": "ORG",
}


@cache
def _places() -> PlaceResolver:
    return PlaceResolver.load()


def run(text: str, published: str | None = "2025-03-12", *, parts: bool = False, gazetteer: bool = False) -> Record:
    pipeline = Pipeline(
        [
            Tokenizer(),
            DictNer(NAMES, parts=parts),
            *([PlaceNameTagger.load()] if gazetteer else []),
            EntityResolver(),
            _places(),
            TimeTagger(),
            QuoteExtractor(),
            EventExtractor(),
            TripAssembler(),
        ]
    )
    article = article_from_text(text, id="t")
    article.published = published
    return pipeline.run(article, strict=True)


def events(record: Record) -> list[tuple]:
    return [
        (
            ev.type,
            tuple(record.name(a.entity) for a in ev.actors),
            tuple(record.name(a.entity) for a in ev.counterparts),
            record.name(ev.place.entity) if ev.place else None,
            ev.status,
        )
        for ev in record.events
    ]


TRIP = (
    "Hamburg - Hamburgs Erster Bürgermeister Peter Tschentscher (SPD) reist am kommenden Montag nach Japan. "
    "Erste Station ist Tokio, wo er Gouverneurin Yuriko Koike trifft. "
    "Anschließend fährt der SPD-Politiker nach Kyoto und besucht dort die Universität Kyoto. "
    "Begleitet wird Tschentscher von einer Hafen- und Logistikdelegation. "
    "Senatorin Ingrid Holm (CDU) wird in Kyoto dabei sein. "
    "Im Mittelpunkt stehen Gespräche in den Bereichen Wasserstoff, Schifffahrt und Hafenwirtschaft."
)


def test_trip_events_with_destinations_date_and_status():
    rec = run(TRIP)
    got = events(rec)
    assert ("trip", ("Peter Tschentscher",), (), "Japan", "planned") in got
    assert ("trip", ("Peter Tschentscher",), (), "Tokio", "planned") in got
    assert ("trip", ("Peter Tschentscher",), (), "Kyoto", "planned") in got
    assert ("meeting", ("Peter Tschentscher",), ("Yuriko Koike",), "Tokio", "planned") in got
    assert ("visit", ("Peter Tschentscher",), ("Universität Kyoto",), "Kyoto", "planned") in got
    japan = next(ev for ev in rec.events if ev.type == "trip" and rec.name(ev.place.entity) == "Japan")
    # "am kommenden Montag" after Wednesday 2025-03-12 is Monday 2025-03-17, and its span is kept.
    assert japan.when is not None and japan.when.start == "2025-03-17"
    assert japan.when.span.text(rec.text) == "am kommenden Montag"


def test_accompaniments_and_roles_and_party():
    rec = run(TRIP)
    got = events(rec)
    assert ("accompany", ("Hafen- und Logistikdelegation",), ("Peter Tschentscher",)) in [g[:3] for g in got]
    assert ("accompany", ("Ingrid Holm",), ("Peter Tschentscher",), "Kyoto", "planned") in got
    person = next(e for e in rec.entities.values() if e.name == "Peter Tschentscher")
    assert person.party == "SPD"
    assert "Erster Bürgermeister" in person.roles
    assert "Tschentscher" in [m.text(rec.text) for m in person.mentions]


def test_itinerary_legs_in_order_without_the_country():
    rec = run(TRIP)
    assert len(rec.trips) == 1
    trip = rec.trips[0]
    assert rec.name(trip.traveler.entity) == "Peter Tschentscher"
    assert [rec.name(leg.place.entity) for leg in trip.legs] == ["Tokio", "Kyoto"]
    assert [rec.name(a.entity) for a in trip.legs[0].appointments] == ["Yuriko Koike"]
    assert [rec.name(a.entity) for a in trip.legs[1].joined_by] == ["Ingrid Holm"]
    assert [rec.name(a.entity) for a in trip.companions] == ["Hafen- und Logistikdelegation"]
    assert [t.text(rec.text) for t in trip.topics] == ["Wasserstoff", "Schifffahrt", "Hafenwirtschaft"]
    tokio = rec.entities[trip.legs[0].place.entity].geo
    assert tokio is not None and tokio.country == "JP"
    assert abs(tokio.lat - 35.69) < 0.3 and abs(tokio.lon - 139.69) < 0.3


@pytest.mark.parametrize(
    "text",
    [
        "Maria Vogt trifft Lars Brede nicht in Bremen.",  # negated
        "Der FC Nord trifft am Samstag in der Bundesliga auf den SV Süd.",  # sports
        "Wenn Maria Vogt nach Danzig reisen würde, könnte sie Lars Brede treffen.",  # hypothetical
    ],
)
def test_no_event_for_negated_sports_or_hypothetical(text):
    assert run(text).events == []


def test_meeting_needs_a_partner_after_gespraeche():
    got = events(run("Maria Vogt führte am Dienstag in Danzig Gespräche mit Lars Brede."))
    assert [g[0] for g in got].count("meeting") == 1
    meeting = next(g for g in got if g[0] == "meeting")
    assert set(meeting[1] + meeting[2]) == {"Maria Vogt", "Lars Brede"}
    assert meeting[3] == "Danzig" and meeting[4] == "happened"
    assert events(run("Im Mittelpunkt stehen Gespräche in den Bereichen Energie und Verkehr.")) == []


def test_partnership_with_start_year():
    rec = run("Bremen und Danzig sind seit 1976 durch eine Städtepartnerschaft verbunden.")
    (ev,) = rec.events
    assert ev.type == "partnership" and ev.status == "happened"
    assert {rec.name(ev.actors[0].entity), rec.name(ev.counterparts[0].entity)} == {"Bremen", "Danzig"}
    assert ev.when is not None and ev.when.start == "1976"


def test_visit_named_by_a_noun_is_its_owners_trip():
    # The owner of "Besuch" travels, not the clause's subject; a place inside the noun is the destination.
    assert ("trip", ("Maria Vogt",), (), "Danzig", "happened") in events(
        run("Beim Besuch von Senatorin Maria Vogt in Danzig ging es um den Hafen.")
    )
    assert ("trip", ("Peter Tschentscher",), (), "Japan", "planned") in events(
        run("Die Japan-Reise von Bürgermeister Peter Tschentscher beginnt am kommenden Montag.", parts=True)
    )
    assert ("trip", ("Lars Brede",), (), "Polen", "happened") in events(
        run("Während des Polen-Besuchs von Lars Brede im Februar blieb es ruhig.", parts=True)
    )


def test_a_country_in_the_genitive_qualifies_the_capital_named_after_it():
    got = events(run("Maria Vogt reist am Montag in Japans Hauptstadt Tokio."))
    assert [g[3] for g in got if g[0] == "trip"] == ["Tokio"]
    got = events(run("Maria Vogt reist am Montag in Japans Hauptstadt."))
    assert [g[3] for g in got if g[0] == "trip"] == ["Japans"]  # no name: the country itself


def test_agreement_between_parties_without_a_subject_and_agreeing_on_something():
    got = events(run("Seit 2019 gilt ein Kooperationsvertrag zwischen Hamburg und Danzig."))
    assert [(g[0], g[1], g[2]) for g in got] == [("agreement", ("Hamburg",), ("Danzig",))]
    got = events(run("Toyota und die Hafenbehörde haben sich am Montag auf neue Tarife verständigt."))
    assert [(g[0], g[1], g[2]) for g in got] == [("agreement", ("Toyota",), ("Hafenbehörde",))]
    # Calling someone is no agreement, nor a contract named without its parties.
    assert events(run("Maria Vogt verständigte am Montag die Hafenbehörde.")) == []
    assert events(run("Der Vertrag wird am Montag im Rathaus diskutiert.")) == []


def test_a_relative_clause_names_who_undertakes_the_trip():
    # The clause's subject (Brede) only praises the trip.
    got = events(run("Lars Brede lobte am Dienstag den Besuch in Japan, den Maria Vogt am Montag begann."))
    assert ("trip", ("Maria Vogt",), (), "Japan") in [g[:4] for g in got]
    assert not any(g[0] == "trip" and g[1] == ("Lars Brede",) and g[3] == "Japan" for g in got)


def test_an_organisation_in_the_genitive_of_an_office_takes_no_part():
    # "den Chef der Hafenbehörde": she meets the chief, not the authority.
    got = events(run("Maria Vogt traf am Montag in Danzig den Chef der Hafenbehörde."))
    assert not any("Hafenbehörde" in g[2] for g in got)
    # An apposition names the office holder, who still acts.
    got = events(run("Die Chefin der Hafenbehörde, Maria Vogt, reiste am Montag nach Danzig."))
    assert ("trip", ("Maria Vogt",), (), "Danzig") in [g[:4] for g in got]


def test_a_currency_is_no_party_however_tagged():
    rec = run("Maria Vogt besuchte am Montag die Hafenbehörde und brachte Aufträge über zwei Milliarden Euro mit.")
    assert "Euro" not in {e.name for e in rec.entities.values()}
    assert all("Euro" not in g[2] for g in events(rec))


def test_the_way_to_a_deal_is_no_trip():
    got = events(run("Maria Vogt sieht sich auf dem Weg zu einem Abkommen mit dem Hafen in Danzig."))
    assert not any(g[0] == "trip" for g in got)
    assert ("trip", ("Maria Vogt",), (), "Danzig") in [
        g[:4] for g in events(run("Maria Vogt ist auf dem Weg nach Danzig."))
    ]


def test_agreement_signed():
    got = events(run("Maria Vogt und Lars Brede unterzeichneten am Montag in Danzig ein Abkommen."))
    agreement = next(g for g in got if g[0] == "agreement")
    assert set(agreement[1] + agreement[2]) == {"Maria Vogt", "Lars Brede"}
    assert agreement[4] == "happened"


def test_surname_joins_full_name_and_spans_point_at_words():
    rec = run("Maria Vogt reiste nach Polen. Dort traf Vogt den Bürgermeister von Danzig, Lars Brede.")
    vogt = [e for e in rec.entities.values() if e.name == "Maria Vogt"]
    assert len(vogt) == 1 and len(vogt[0].mentions) == 2
    for ev in rec.events:
        for arg in ev.actors + ev.counterparts:
            ent = rec.entities[arg.entity]
            assert arg.span.text(rec.text) in [ent.name, *ent.aliases]
    # A place the text points back to carries the pointing word as its span.
    meeting = next(ev for ev in rec.events if ev.type == "meeting")
    assert (rec.name(meeting.place.entity), meeting.place.span.text(rec.text)) == ("Polen", "Dort")


def test_quote_inside_marks_is_not_an_event():
    rec = run("„Wir werden bald nach Japan reisen“, sagte Maria Vogt am Montag in Bremen.")
    assert not [ev for ev in rec.events if ev.type == "trip"]
    assert [rec.name(q.speaker) for q in rec.quotes] == ["Maria Vogt"]


def test_adverb_after_comma_opens_a_main_clause_with_its_own_subject():
    got = events(run("Lars Brede eröffnete in Bremen ein Terminal, dafür kam Maria Vogt eigens nach Hamburg."))
    assert ("trip", ("Maria Vogt",), (), "Hamburg", "happened") in got
    assert not [e for e in got if e[0] == "trip" and e[1] == ("Lars Brede",)]
    # Followed by a preposition, the adverb goes on with the clause before: the traveller stays.
    got = events(run("Peter Tschentscher reist am Montag nach Tokio, danach nach Kyoto."))
    assert ("trip", ("Peter Tschentscher",), (), "Kyoto", "planned") in got


def test_genitive_before_a_visit_noun_is_not_visited():
    got = events(run("Der Chef der Weltraumbehörde NASA, Lars Brede, ist zu einem Besuch nach Japan aufgebrochen."))
    assert ("trip", ("Lars Brede",), (), "Japan", "ongoing") in got
    assert not [e for e in got if e[0] == "visit"]


def test_negation_holds_in_its_own_clause():
    text = "Neues wurde nicht bekannt, nachdem gestern schon eine Ministerrunde in Hamburg stattgefunden hatte."
    assert [e[:2] for e in events(run(text))] == [("meeting", ("Ministerrunde",))]
    assert events(run("Peter Tschentscher reist nicht nach Japan, sagte Maria Vogt.")) == []


def test_fronted_subordinate_clause_ends_where_the_main_verb_follows():
    text = "Nachdem Lars Brede in Bremen angekommen war, traf Maria Vogt in Hamburg Yuriko Koike."
    got = events(run(text))
    assert ("meeting", ("Maria Vogt",), ("Yuriko Koike",), "Hamburg", "happened") in got
    assert not [e for e in got if e[0] == "meeting" and "Lars Brede" in e[1] + e[2]]


def test_definite_meeting_noun_points_back_to_the_meeting_reported():
    text = (
        "Peter Tschentscher traf sich am Montag in Tokio zu einem Treffen mit Yuriko Koike. "
        "Lars Brede lobte nach dem Treffen in Tokio die Stimmung."
    )
    meetings = [e for e in events(run(text)) if e[0] == "meeting"]
    assert meetings == [("meeting", ("Peter Tschentscher",), ("Yuriko Koike",), "Tokio", "happened")]


def test_council_of_ministers_gathers():
    got = events(run("Die Tagung des ESA-Ministerrats in Hamburg brachte gute Ergebnisse."))
    assert got == [("meeting", ("ESA-Ministerrat",), (), "Hamburg", "happened")]


def test_group_with_truncated_compound_after_a_verb_and_a_counted_tail():
    rec = run("An dem Gipfel sollen Staats- und Regierungschefs von bis zu 30 Staaten teilnehmen.")
    groups = [e.name for e in rec.entities.values() if e.type == "group"]
    assert groups == ["Staats- und Regierungschefs von bis zu 30 Staaten"]


def test_capital_named_by_its_country_is_the_capital():
    text = "Peter Tschentscher reist nach Japan. In der japanischen Hauptstadt trifft er Yuriko Koike."
    rec = run(text, gazetteer=True)
    assert ("meeting", ("Peter Tschentscher",), ("Yuriko Koike",), "japanische Hauptstadt", "planned") in events(rec)
    capital = next(e for e in rec.entities.values() if e.name == "japanische Hauptstadt")
    assert (capital.type, capital.geo.geonameid) == ("place", 1850147)  # Tokyo
    # Named elsewhere in the article, it is that place.
    rec = run(
        "Peter Tschentscher reist nach Tokio. In der japanischen Hauptstadt trifft er Yuriko Koike.", gazetteer=True
    )
    assert ("meeting", ("Peter Tschentscher",), ("Yuriko Koike",), "Tokio", "planned") in events(rec)
    assert "japanische Hauptstadt" in next(e for e in rec.entities.values() if e.name == "Tokio").aliases


def test_delegation_led_by_a_visitor_already_there():
    text = (
        "Hamburg - Peter Tschentscher hat am Mittwoch Gäste aus Danzig im Rathaus empfangen. "
        "Angeführt wird die fünfköpfige Delegation von Bürgermeister Lars Brede, der bereits seit Dienstag "
        "in Hamburg ist. Bei dem Treffen im Rathaus ging es um die Wasserversorgung in Danzig."
    )
    got = events(run(text, published="2025-03-13"))
    assert ("accompany", ("fünfköpfige Delegation",), ("Lars Brede",), None, "ongoing") in got
    assert ("trip", ("Lars Brede",), (), "Hamburg", "ongoing") in got
    assert not [e for e in got if e[3] == "Danzig"]  # what was talked about, not where
    # The guests received before the report names them are the traveller named after.
    # ... and "Bei dem Treffen" is that meeting again.
    assert [e[:3] for e in got if e[0] == "meeting"] == [("meeting", ("Peter Tschentscher",), ("Lars Brede",))]
    # Being somewhere is a stay only since a recent day.
    assert events(run("Maria Vogt ist in Bremen geboren.")) == []
    assert events(run("Maria Vogt ist seit 2010 in Bremen.")) == []


def test_counted_delegation_accompanies_once_per_clause():
    text = (
        "Peter Tschentscher fliegt am Montag mit einer rund 40-köpfigen Wirtschaftsdelegation nach Japan, "
        "danach geht es weiter nach Polen."
    )
    got = [e for e in events(run(text)) if e[0] == "accompany"]
    assert got == [("accompany", ("Wirtschaftsdelegation",), ("Peter Tschentscher",), "Japan", "planned")]


def test_joining_for_this_part_of_the_trip_joins_at_this_stop():
    text = (
        "Peter Tschentscher reist am Montag nach Japan. Letzte Station ist Tokio. Für diesen Teil der Reise "
        "schließt sich die Beauftragte für den Dialog zwischen Kyoto und Osaka, Maria Vogt, dem Bürgermeister an."
    )
    got = [e for e in events(run(text)) if e[0] == "accompany"]
    assert got == [("accompany", ("Maria Vogt",), ("Peter Tschentscher",), "Tokio", "planned")]


def test_host_at_home_makes_no_trip_but_the_guest_from_abroad_does():
    text = (
        "Die japanische Ministerpräsidentin Yuriko Koike war im Mai nach Polen gereist. "
        "Am Montag sprach Koike bei einem Treffen mit dem polnischen Präsidenten Lars Brede in Tokio."
    )
    trips = [e for e in events(run(text)) if e[0] == "trip"]
    assert ("trip", ("Lars Brede",), (), "Tokio", "happened") in trips
    assert not [e for e in trips if e[1] == ("Yuriko Koike",) and e[3] == "Tokio"]


def test_office_of_a_country_in_the_genitive_gives_the_home_country():
    rec = run("Japans Staats- und Regierungschef Lars Brede traf am Montag in Tokio Peter Tschentscher.")
    brede = next(e for e in rec.entities.values() if e.name == "Lars Brede")
    assert "Japans Staats- und Regierungschef" in brede.roles and brede.country == "JP"
    assert not [e for e in events(rec) if e[0] == "trip" and e[1] == ("Lars Brede",)]  # at home in Tokio


def test_guests_never_named_leave_no_event_and_no_gap_in_ids():
    rec = run("Peter Tschentscher hat am Mittwoch Gäste im Rathaus empfangen. Lars Brede traf Maria Vogt in Bremen.")
    assert [(ev.id, ev.type) for ev in rec.events] == [("ev1", "meeting")]
    assert rec.name(rec.events[0].actors[0].entity) == "Lars Brede"


def test_a_visit_noun_does_not_visit_the_person_its_clause_is_about():
    rec = run("Kurz vor dem Besuch von Lars Brede in Japan ist Maria Vogt am Montag freigelassen worden.")
    assert [e[:4] for e in events(rec)] == [("trip", ("Lars Brede",), (), "Japan")]


def test_names_joined_by_und_before_the_verb_visit_together():
    rec = run("Der Bürgermeister Peter Tschentscher und sein Kollege Lars Brede besuchten am Sonntag Kyoto.")
    got = [e[:4] for e in events(rec)]
    assert not [e for e in got if e[0] == "visit"]  # neither visits the other
    assert ("trip", ("Peter Tschentscher",), (), "Kyoto") in got


def test_festhalten_is_no_stay():
    rec = run("Positiv am Treffen in Tokio sei die Formulierung zu Japan, hielt Lars Brede fest.")
    assert not [e for e in events(rec) if e[0] == "trip"]
    rec = run("Lars Brede hielt sich am Montag in Tokio auf.")
    assert [e[:4] for e in events(rec)] == [("trip", ("Lars Brede",), (), "Tokio")]


def test_a_talk_with_a_newspaper_is_an_interview_not_a_meeting():
    rec = run("Das sagte Lars Brede im Gespräch mit dem Spiegel. Lars Brede führte ein Gespräch mit Maria Vogt.")
    assert [e[:3] for e in events(rec)] == [("meeting", ("Lars Brede",), ("Maria Vogt",))]


def test_ins_treffen_fuehren_is_an_idiom():
    rec = run("Lars Brede reiste am Montag nach Tokio. Er führt seine Pflichten als Argument ins Treffen.")
    assert [e[0] for e in events(rec)] == ["trip"]


def test_a_bare_place_after_a_visit_noun_is_not_its_destination():
    rec = run("Am Rande des Besuchs von Lars Brede in Japan haben die Polen versucht, Maria Vogt zu treffen.")
    assert [e[:4] for e in events(rec) if e[0] == "trip"] == [("trip", ("Lars Brede",), (), "Japan")]


def test_a_person_agrees_with_a_person_not_the_institution_in_a_genitive_before():
    rec = run(
        "Nach dem Verzicht der Hafenbehörde hat Lars Brede am Samstag die Einigung mit seinem "
        "Amtskollegen Peter Tschentscher begrüßt."
    )
    assert [e[:3] for e in events(rec)] == [("agreement", ("Lars Brede",), ("Peter Tschentscher",))]


def test_a_nationality_noun_gives_the_home_country_and_so_the_trip():
    rec = run(
        "Am Montag hat Maria Vogt einen neuen Anlauf unternommen. Die Schwedin traf sich in Tokio mit Lars Brede."
    )
    assert ("trip", ("Maria Vogt",), (), "Tokio") in [e[:4] for e in events(rec)]
    assert next(e for e in rec.entities.values() if e.name == "Maria Vogt").country == "SE"


def test_a_bodys_own_session_is_no_encounter():
    assert events(run("Lars Brede beendete die Sitzung des Parlaments nach stundenlangem Streit.")) == []
    assert events(run("Auf der Sitzung des Kreisverbandes am Montag wurde Lars Brede gewählt.")) == []
    rec = run("Die Hafenbehörde traf sich in Tokio zu einer Sitzung mit Toyota.")
    assert [e[:3] for e in events(rec) if e[0] == "meeting"] == [("meeting", ("Hafenbehörde",), ("Toyota",))]


def test_a_meeting_between_unnamed_parties_is_not_the_subjects():
    rec = run("Nach einem Treffen zwischen Vorstand und Betriebsrat hält Toyota am Plan fest.")
    assert events(rec) == []


def test_talks_with_several_countries_are_one_meeting_each():
    rec = run("Auch mit Japan und Polen verhandelt Lars Brede.")
    assert sorted(e[:3] for e in events(rec)) == [
        ("meeting", ("Lars Brede",), ("Japan",)),
        ("meeting", ("Lars Brede",), ("Polen",)),
    ]
    rec = run("Lars Brede traf Maria Vogt und Peter Tschentscher.")
    assert [e[:3] for e in events(rec)] == [("meeting", ("Lars Brede",), ("Maria Vogt", "Peter Tschentscher"))]


def test_a_plural_sie_is_not_the_traveller():
    rec = run(
        "Lars Brede reiste nach Tokio. Damit beseitigten sie ein Hindernis für ein Abkommen, "
        "das Ende des Jahres bei einer Konferenz in Osaka beschlossen werden soll."
    )
    assert [e[:4] for e in events(rec)] == [("trip", ("Lars Brede",), (), "Tokio")]
    rec = run("Maria Vogt reiste nach Tokio. Dort traf sie Lars Brede.")
    assert ("meeting", ("Maria Vogt",), ("Lars Brede",)) in [e[:3] for e in events(rec)]


def test_a_deal_between_two_parties_is_theirs_not_the_speakers():
    rec = run(
        "Lars Brede betonte, Japan habe bei dem Vertrag zwischen Toyota und der Hafenbehörde Wert auf Fristen gelegt."
    )
    assert [e[:3] for e in events(rec)] == [("agreement", ("Toyota",), ("Hafenbehörde",))]


def test_sich_darauf_verstaendigen_is_an_agreement():
    rec = run("Lars Brede und Maria Vogt haben sich am Montag darauf verständigt, die Tarife zu senken.")
    assert [e[:3] for e in events(rec)] == [("agreement", ("Lars Brede",), ("Maria Vogt",))]


def test_a_visit_noun_names_the_traveller_of_the_stops_that_follow():
    rec = run(
        "Während des Besuchs von Lars Brede in Japan wurden 50 Menschen festgenommen. "
        "Nach einem Aufenthalt in Kyoto am Dienstag fliegt der 78-Jährige nach Polen weiter."
    )
    assert [e[:4] for e in events(rec)] == [
        ("trip", ("Lars Brede",), (), "Japan"),
        ("trip", ("Lars Brede",), (), "Kyoto"),
        ("trip", ("Lars Brede",), (), "Polen"),
    ]


def test_unnamed_people_travelling_are_not_the_traveller():
    rec = run("Lars Brede reiste nach Japan. In diesen Tagen sind Menschen nach Tokio gereist, um zu protestieren.")
    assert [e[:4] for e in events(rec)] == [("trip", ("Lars Brede",), (), "Japan")]


def test_the_member_states_of_an_organisation_act_as_it():
    rec = run("Als Ersatz wollen die NASA-Staaten sich nun in Tokio bei einem Gipfel treffen.", parts=True)
    assert [e[:4] for e in events(rec)] == [("meeting", ("NASA",), (), "Tokio")]


def test_a_negation_does_not_undo_the_meeting_that_is_its_setting():
    rec = run("Lars Brede und Maria Vogt haben sich auf einem Treffen in Tokio nicht auf neue Tarife geeinigt.")
    assert [e[:3] for e in events(rec)] == [("meeting", ("Lars Brede",), ("Maria Vogt",))]
    assert events(run("Lars Brede und Maria Vogt werden nicht zu einem Treffen in Tokio zusammenkommen.")) == []


def test_closing_passing_and_deciding_are_no_agreements_or_meetings():
    assert events(run("Unverändert bei 31,40 Euro schlossen die Titel der Hafenbehörde.")) == []
    assert events(run("Am Montag verabschiedete die Hafenbehörde mit breiter Mehrheit eine Resolution.")) == []
    assert events(run("Verwundert war Lars Brede, wenn die Hafenbehörde für Toyota eine Entscheidung trifft.")) == []
    rec = run("Toyota und die Hafenbehörde verabschiedeten ein Abkommen über neue Tarife.")
    assert [e[0] for e in events(rec)] == ["agreement"]


def test_a_news_medium_is_no_partner():
    rec = run("Toyota plant Partnerschaften in Japan (Spiegel berichtete).")
    assert events(rec) == []


def test_a_plural_travel_verb_with_unnamed_subjects_is_not_the_traveller():
    rec = run("Lars Brede reiste nach Japan. Dort halten sich bereits 800.000 Pilger in Kyoto auf.")
    assert [e[:4] for e in events(rec)] == [("trip", ("Lars Brede",), (), "Japan")]


def test_a_pronoun_is_not_the_partner_its_clause_names():
    rec = run(
        "Die Krise um Lars Brede ist nicht bewältigt. Maria Vogt sprach am Montag in Tokio. "
        "Nach zweitägigen Gesprächen mit Vogt bleibt er vorerst im Amt."
    )
    assert ("meeting", ("Lars Brede",), ("Maria Vogt",)) in [e[:3] for e in events(rec)]


def test_a_national_party_gives_the_home_country():
    rec = run("Lars Brede (SPD) traf am Montag in Tokio Maria Vogt.")
    assert next(e for e in rec.entities.values() if e.name == "Lars Brede").country == "DE"
    assert ("trip", ("Lars Brede",), (), "Tokio") in [e[:4] for e in events(rec)]


def test_a_place_written_into_a_trip_noun_is_its_destination():
    rec = run("Lars Brede kündigte an, das Thema bei seinem Japanbesuch anzusprechen.", gazetteer=True)
    assert [e[:4] for e in events(rec)] == [("trip", ("Lars Brede",), (), "Japan")]
    rec = run("Lars Brede sprach über seinen Staatsbesuch und die Kurzreise.", gazetteer=True)
    assert [e[0] for e in events(rec) if e[3]] == []  # "Staats-" and "Kurz-" name no place


def test_who_visits_an_organisation_is_the_traveller_of_the_trip_named_next():
    rec = run("Lars Brede hat Toyota besucht. Hintergrund der Reise nach Kyoto ist die Werbung um Investoren.")
    assert ("trip", ("Lars Brede",), (), "Kyoto") in [e[:4] for e in events(rec)]


def test_a_present_tense_stop_after_a_past_one_is_not_past():
    rec = run("Lars Brede war am Montag nach Japan gereist. Danach fliegt er nach Polen weiter.")
    assert [(e[3], e[4]) for e in events(rec)] == [("Japan", "happened"), ("Polen", "planned")]


def test_deliberations_are_a_meeting():
    rec = run("Es sei ein gutes Ergebnis, erklärte Lars Brede nach Beendigung der Beratungen in Tokio.")
    assert ("meeting", ("Lars Brede",), (), "Tokio") in [e[:4] for e in events(rec)]


def test_a_newspaper_named_after_a_visit_noun_is_not_visited():
    rec = run("Die Rede erschien in der seit dem Besuch von Lars Brede wieder erlaubten Zeitung „FC Nord“.")
    assert [e for e in events(rec) if e[0] == "visit"] == []


def test_a_participle_describing_a_noun_is_no_agreement():
    rec = run("Toyota habe einen Rückzieher beim vereinbarten automatischen Austausch mit der Hafenbehörde gemacht.")
    assert [e for e in events(rec) if e[0] == "agreement"] == []
    rec = run("Toyota und die Hafenbehörde haben einen automatischen Austausch vereinbart.")
    assert [e[:3] for e in events(rec)] == [("agreement", ("Toyota",), ("Hafenbehörde",))]
