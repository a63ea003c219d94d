"""Quote stage: direct and indirect quotations, speakers, cues, spans.

Records are built by hand (tokens from the tokenizer, mentions and entities from the names
each test lists), so these tests load no model.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from treffpunkt.record import Article, Entity, Mention, Record, Span
from treffpunkt.stages.quotes import QuoteExtractor
from treffpunkt.stages.quotes_marks import find_marked
from treffpunkt.stages.tokens import Tokenizer

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
_LABEL = {"person": "PER", "organization": "ORG", "place": "LOC", "polity": "LOC", "group": "OTH"}


def record(text: str, entities: dict[str, tuple[str, list[str]]]) -> Record:
    """`entities`: name -> (type, other surface forms); every occurrence becomes a resolved mention."""
    rec = Tokenizer()(Record(Article(id="t", text=text)))
    forms = []
    for k, (name, (typ, aliases)) in enumerate(entities.items()):
        eid = f"e{k}"
        rec.entities[eid] = Entity(eid, name, typ, aliases=list(aliases))  # type: ignore[arg-type]
        forms += [(f, eid, typ) for f in [name, *aliases]]
    taken: list[Span] = []
    for form, eid, typ in sorted(forms, key=lambda x: -len(x[0])):
        for m in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text):
            span = Span(m.start(), m.end())
            if not any(span.overlaps(t) for t in taken):
                taken.append(span)
                rec.mentions.append(Mention(span, _LABEL[typ], form, entity=eid))  # type: ignore[arg-type]
    rec.mentions.sort(key=lambda m: m.span.start)
    return rec


def run(text: str, entities: dict[str, tuple[str, list[str]]], **options) -> list[tuple[str, str, str | None]]:
    rec = QuoteExtractor(**options)(record(text, entities))
    return [(q.kind, q.span.text(text), rec.name(q.speaker)) for q in rec.quotes]


def test_stage_contract():
    ex = QuoteExtractor("de")
    assert ex.name == "quotes"
    assert ex.requires == ("tokens", "sentences", "mentions", "entities")
    assert ex.assigns == ("quotes",)


def test_marks_outermost_pairs_only():
    text = "Er sagte: „Das ist ‚gut‘ so.“ Dann »weiter«."
    inner = [text[m.start : m.end] for m in find_marked(text)]
    assert inner == ["Das ist ‚gut‘ so.", "weiter"]


def test_open_quote_ends_with_its_paragraph():
    text = "„Erster Absatz ohne Ende\n„Zweiter Absatz.“"
    assert [text[m.start : m.end] for m in find_marked(text)] == ["Erster Absatz ohne Ende", "Zweiter Absatz."]


def test_direct_quote_with_cue_after_it():
    text = "„Die Lage ist ernst, aber beherrschbar“, sagte Olaf Scholz am Montag."
    quotes = run(text, {"Olaf Scholz": ("person", ["Scholz"])})
    assert quotes == [("direct", "Die Lage ist ernst, aber beherrschbar", "Olaf Scholz")]


def test_speaker_span_and_cue_span():
    text = "Olaf Scholz erklärte: „Wir halten Kurs in dieser schwierigen Lage.“"
    rec = QuoteExtractor()(record(text, {"Olaf Scholz": ("person", [])}))
    (q,) = rec.quotes
    assert q.speaker_span.text(text) == "Olaf Scholz"
    assert q.cue.text(text) == "erklärte"


def test_one_pair_of_marks_is_one_quote_across_sentences():
    text = "„Das ist der erste Satz. Und das ist der zweite.“, sagte Boris Pistorius."
    quotes = run(text, {"Boris Pistorius": ("person", ["Pistorius"])})
    assert quotes == [("direct", "Das ist der erste Satz. Und das ist der zweite.", "Boris Pistorius")]


def test_scare_quotes_and_titles_are_not_quotes():
    text = (
        "Die USA haben das „Kyoto-Protokoll“ nie ratifiziert. Der Film „Das Leben der Anderen“ "
        "gewann einen Oscar, sagte Olaf Scholz nicht."
    )
    assert [q for q in run(text, {"Olaf Scholz": ("person", [])}) if q[0] == "direct"] == []


def test_pronoun_resolves_to_the_person_named_before():
    text = "Olaf Scholz reiste nach Paris. Dort sagte er: „Wir stehen fest an der Seite Frankreichs.“"
    assert run(text, {"Olaf Scholz": ("person", ["Scholz"])}) == [
        ("direct", "Wir stehen fest an der Seite Frankreichs.", "Olaf Scholz")
    ]


def test_description_resolves_to_a_person_with_that_role():
    text = (
        "Verteidigungsminister Boris Pistorius traf Lars Klingbeil. „Wir müssen schneller werden“, sagte der Minister."
    )
    rec = record(text, {"Boris Pistorius": ("person", ["Pistorius"]), "Lars Klingbeil": ("person", [])})
    rec.entities["e0"].roles.append("Verteidigungsminister")
    rec = QuoteExtractor()(rec)
    assert [(rec.name(q.speaker), q.speaker_span.text(text)) for q in rec.quotes] == [
        ("Boris Pistorius", "der Minister")
    ]


def test_following_quote_paragraph_continues_the_speaker():
    text = "„Wir haben viel erreicht“, sagte Kai Wegner.\n\n„Berlin bleibt eine offene Stadt für alle Menschen.“"
    quotes = run(text, {"Kai Wegner": ("person", ["Wegner"])})
    assert [q[2] for q in quotes] == ["Kai Wegner", "Kai Wegner"]
    assert quotes[1][1] == "Berlin bleibt eine offene Stadt für alle Menschen."


def test_indirect_quote_after_reporting_verb():
    text = "Boris Pistorius sagte am Dienstag, die Bundeswehr müsse schneller einsatzbereit werden."
    assert run(text, {"Boris Pistorius": ("person", [])}) == [
        ("indirect", "die Bundeswehr müsse schneller einsatzbereit werden", "Boris Pistorius")
    ]


def test_indirect_quote_with_dass():
    text = "Annalena Baerbock betonte, dass die Gespräche fortgesetzt werden."
    assert run(text, {"Annalena Baerbock": ("person", [])}) == [
        ("indirect", "die Gespräche fortgesetzt werden", "Annalena Baerbock")
    ]


def test_indirect_quote_before_reporting_clause_and_so():
    text = (
        "Die Verhandlungen seien schwierig gewesen, erklärte Annalena Baerbock. "
        "Man habe aber Fortschritte erzielt, so Baerbock."
    )
    quotes = run(text, {"Annalena Baerbock": ("person", ["Baerbock"])})
    assert [(q[1], q[2]) for q in quotes] == [
        ("Die Verhandlungen seien schwierig gewesen", "Annalena Baerbock"),
        ("Man habe aber Fortschritte erzielt", "Annalena Baerbock"),
    ]


def test_konjunktiv_sentence_continues_the_speaker():
    text = "Olaf Scholz sagte, die Regierung werde handeln. Man wolle die Bürger noch in diesem Jahr entlasten."
    quotes = run(text, {"Olaf Scholz": ("person", [])})
    assert [q[2] for q in quotes] == ["Olaf Scholz", "Olaf Scholz"]
    assert quotes[1] == ("indirect", "Man wolle die Bürger noch in diesem Jahr entlasten", "Olaf Scholz")


def test_laut_with_a_person_and_konjunktiv():
    text = "Laut Innenministerin Nancy Faeser sei die Lage an der Grenze stabil."
    assert run(text, {"Nancy Faeser": ("person", [])}) == [
        ("indirect", "sei die Lage an der Grenze stabil", "Nancy Faeser")
    ]


def test_source_of_facts_is_not_a_quote():
    # an organisation as the source of an indicative statement: the news, not a quotation
    text = "Im Fokus stehen laut Staatskanzlei Batterietechnik und Wasserstoff."
    assert run(text, {"Staatskanzlei": ("organization", [])}) == []


def test_spokesperson_of_an_organisation_speaks_for_it():
    text = "Ein Sprecher der Deutschen Bahn sagte, die Strecke werde am Abend wieder freigegeben."
    assert run(text, {"Deutsche Bahn": ("organization", ["Deutschen Bahn"])}) == [
        ("indirect", "die Strecke werde am Abend wieder freigegeben", "Deutsche Bahn")
    ]


def test_anonymous_speaker_is_dropped_unless_asked_for():
    text = "Die Lage sei unübersichtlich, sagte ein Sprecher am Abend."
    assert run(text, {}) == []
    assert run(text, {}, keep_unattributed=True) == [("indirect", "Die Lage sei unübersichtlich", None)]


def test_two_speakers_share_one_statement():
    text = "Werner Schulz und Jelena Hoffmann erklärten, sie würden Klage einreichen."
    quotes = run(text, {"Werner Schulz": ("person", []), "Jelena Hoffmann": ("person", [])})
    assert sorted(q[2] for q in quotes) == ["Jelena Hoffmann", "Werner Schulz"]


def test_fixed_konjunktiv_phrases_are_not_reported_speech():
    text = "Olaf Scholz sagte nichts. Es sei denn, man zählt das Schweigen als Antwort."
    assert run(text, {"Olaf Scholz": ("person", [])}) == []


def test_source_facts_only_on_request():
    text = "Nach Angaben der Polizei wurden drei Menschen leicht verletzt."
    ents = {"Polizei": ("organization", [])}
    assert run(text, ents) == []
    assert run(text, ents, source_facts=True) == [("indirect", "wurden drei Menschen leicht verletzt", "Polizei")]


def test_the_spokesperson_again_is_the_same_speaker():
    text = (
        "Ein Sprecher der Deutschen Bahn sagte: „Wir arbeiten mit Hochdruck an der Strecke.“ "
        "Der Sprecher teilte auch mit, die Strecke werde am Abend wieder freigegeben."
    )
    quotes = run(text, {"Deutsche Bahn": ("organization", ["Deutschen Bahn"])})
    assert [q[2] for q in quotes] == ["Deutsche Bahn", "Deutsche Bahn"]


def test_definite_class_noun_points_back_to_the_named_organisation():
    text = (
        "Die Bezirks-Staatsanwaltschaft von Manhattan beantragte Untersuchungshaft. "
        "Die Staatsanwaltschaft argumentierte, es bestehe Fluchtgefahr."
    )
    quotes = run(text, {"Bezirks-Staatsanwaltschaft von Manhattan": ("organization", [])})
    assert quotes == [("indirect", "es bestehe Fluchtgefahr", "Bezirks-Staatsanwaltschaft von Manhattan")]


def test_a_medium_after_the_verb_is_not_the_speaker():
    text = "Olaf Scholz sagte der Süddeutschen Zeitung, die Lage sei ernst."
    ents = {"Olaf Scholz": ("person", []), "Süddeutsche Zeitung": ("organization", ["Süddeutschen Zeitung"])}
    assert run(text, ents) == [("indirect", "die Lage sei ernst", "Olaf Scholz")]


def test_clause_final_konjunktiv_verb_not_in_the_word_list():
    text = "Ein Sprecher von Tony Blair teilte mit, Blair treffe die Vertreter, wenn er zurückkehre."
    quotes = run(text, {"Tony Blair": ("person", ["Blair"])}, keep_unattributed=True)
    assert [q[1] for q in quotes] == ["Blair treffe die Vertreter, wenn er zurückkehre"]


def test_unmarked_direct_speech_after_a_name_and_colon():
    # text without any quotation marks (10kGNAD strips them): "Name: words" is direct speech
    text = "Kurt Fischer verhandelt seit einem Jahr mit Ikea. Fischer: Die anderen Flächen geben wir zurück."
    assert run(text, {"Kurt Fischer": ("person", ["Fischer"])}) == [
        ("direct", "Die anderen Flächen geben wir zurück", "Kurt Fischer")
    ]


@pytest.mark.skipif(not (SHARED / "examples").exists(), reason="shared/examples (the reference article) is absent")
def test_reference_article_quotes_are_all_wegners():
    text = (SHARED / "examples" / "wegner-usa-2024-11.txt").read_text(encoding="utf-8")
    gold = json.loads((SHARED / "examples" / "wegner-usa-2024-11.gold.jsonl").read_text(encoding="utf-8"))
    ents = {e["name"]: (e["type"], e.get("aliases", [])) for e in gold["entities"] if e["type"] != "place"}
    ents["Donald Trump"] = ("person", ["Trump"])
    quotes = run(text, ents)
    assert [q[0] for q in quotes] == ["direct", "direct", "indirect", "direct"]
    assert {q[2] for q in quotes} == {"Kai Wegner"}
    assert quotes[3][1].startswith("Gerade in diesen Bereichen")


def test_person_named_after_an_office_compound_speaks_not_its_organisation():
    text = (
        "In einem Interview äußerte sich der EU-Außenbeauftragte Javier Solana zuversichtlich: "
        "„Ich gehe von einer Einigung aus.“"
    )
    quotes = run(text, {"EU": ("organization", []), "Javier Solana": ("person", ["Solana"])})
    assert [q[2] for q in quotes] == ["Javier Solana"]


def test_definite_office_compound_is_its_holder():
    text = (
        "Die Partei will sich erneuern, sagte Generalsekretär Peter McDonald. "
        "Wir wollen uns wieder stärker auf das Land konzentrieren, sagte der ÖVP-Generalsekretär."
    )
    rec = record(text, {"ÖVP": ("organization", []), "Peter McDonald": ("person", ["McDonald"])})
    rec.entities["e1"].roles.append("Generalsekretär")
    rec = QuoteExtractor()(rec)
    assert [rec.name(q.speaker) for q in rec.quotes] == ["Peter McDonald", "Peter McDonald"]


def test_reporting_clause_with_a_participle_after_the_quote():
    text = "Es drohe ein Rüstungswettlauf, hatte Obama bei seinem Treffen mit Medwedew in Moskau gesagt."
    assert run(text, {"Obama": ("person", []), "Medwedew": ("person", [])}) == [
        ("indirect", "Es drohe ein Rüstungswettlauf", "Obama")
    ]


def test_konjunktiv_i_known_from_word_frequencies():
    text = "Christian Wulff hat bekräftigt, die Bundesrepublik bekenne sich zu ihrer Verantwortung."
    people = {"Christian Wulff": ("person", [])}
    rare = QuoteExtractor(frequencies={})(record(text, people))
    assert rare.quotes == []
    # "bekennt" and "bekennen" are words, "bekenn" is not: "bekenne" is their Konjunktiv I
    freq = {"bekennt": 3, "bekennen": 3}
    rec = QuoteExtractor(frequencies=freq)(record(text, people))
    assert [(q.kind, q.span.text(text)) for q in rec.quotes] == [
        ("indirect", "die Bundesrepublik bekenne sich zu ihrer Verantwortung")
    ]
    # an adjective's "-e" form is no verb: "grün" is a word itself
    adjective = "Christian Wulff betonte, die grüne Politik."
    freq = {"grünt": 2, "grünen": 4, "grün": 4}
    assert QuoteExtractor(frequencies=freq)(record(adjective, people)).quotes == []


def test_das_sagte_names_the_speaker_of_the_sentence_before():
    text = (
        "Wien – Im Verhältnis zwischen Österreich und Deutschland gibt es keinen Grund zum Stirnrunzeln. "
        "Das sagte Bundespräsident Heinz Fischer am Donnerstag in Berlin."
    )
    quotes = run(text, {"Heinz Fischer": ("person", ["Fischer"]), "Wien": ("place", []), "Berlin": ("place", [])})
    assert [(q[1], q[2]) for q in quotes] == [
        ("Im Verhältnis zwischen Österreich und Deutschland gibt es keinen Grund zum Stirnrunzeln", "Heinz Fischer")
    ]
    # with quotation marks in the text, an indicative statement before "Das sagte" is the reporter's
    marked = "Angela Merkel sagte: „Wir kommen.“ " + text
    people = {"Heinz Fischer": ("person", ["Fischer"]), "Angela Merkel": ("person", [])}
    assert [q[1] for q in run(marked, people)] == ["Wir kommen."]


def test_any_noun_before_a_person_name_after_the_verb_names_that_person():
    text = "„Sie haben mich vier Stunden festgehalten“, sagte die Dissidentin Miriam Leiva der dpa."
    quotes = run(text, {"Miriam Leiva": ("person", []), "dpa": ("organization", [])})
    assert [q[2] for q in quotes] == ["Miriam Leiva"]


def test_less_common_reporting_verbs():
    text = "Reinhold Mitterlehner deponierte im Kurier, die Sozialpartnerschaft müsse sich komplett ändern."
    assert run(text, {"Reinhold Mitterlehner": ("person", [])}) == [
        ("indirect", "die Sozialpartnerschaft müsse sich komplett ändern", "Reinhold Mitterlehner")
    ]


def test_subheading_run_into_a_sentence_does_not_hide_its_subject():
    # 10kGNAD strips marks and runs subheadings into the next sentence
    text = (
        "Pontifikale Metaphern Franziskus erwähnte den Vulkan Chimborazo. "
        "Die Kirche werde allgemein mit dem Mond identifiziert."
    )
    assert run(text, {"Franziskus": ("person", [])}) == [
        ("indirect", "Die Kirche werde allgemein mit dem Mond identifiziert", "Franziskus")
    ]


def test_so_and_a_reporting_verb_after_the_quote():
    text = "Yiannis Mouzalas sprach am Montag. Das Lager solle dorthin, so erklärte der Minister in Athen."
    rec = record(text, {"Yiannis Mouzalas": ("person", ["Mouzalas"])})
    rec.entities["e0"].roles.append("Minister")
    rec = QuoteExtractor()(rec)
    assert [(q.span.text(text), rec.name(q.speaker)) for q in rec.quotes] == [
        ("Das Lager solle dorthin", "Yiannis Mouzalas")
    ]


def test_capitalised_words_before_a_person_name_after_the_verb():
    text = "Für Jazenjuk wäre das Scheitern optimal, meint der Kiewer Politologe Alexander Kawa."
    quotes = run(text, {"Alexander Kawa": ("person", []), "Jazenjuk": ("person", [])})
    assert [(q[1], q[2]) for q in quotes] == [("Für Jazenjuk wäre das Scheitern optimal", "Alexander Kawa")]


def test_an_apposition_after_the_source_is_not_the_quote():
    text = "Nach Ansicht von Senator Dodd, Vorsitzender des Bankenausschusses, habe die Notenbank versagt."
    assert run(text, {"Dodd": ("person", [])}) == [("indirect", "habe die Notenbank versagt", "Dodd")]


def test_a_zu_infinitive_after_a_statement_verb_is_reported_speech():
    ministry = {"Umweltministerium": ("organization", [])}
    text = "Das Umweltministerium erklärte, von solchen Absprachen nichts zu wissen."
    assert run(text, ministry) == [("indirect", "von solchen Absprachen nichts zu wissen", "Umweltministerium")]
    # an appeal and a purpose are not
    assert run("Das Umweltministerium forderte die Firmen auf, die Absprachen zu prüfen.", ministry) == []
    assert run("Das Umweltministerium erklärte, um die Lage zu prüfen.", ministry) == []


def test_an_agency_passing_on_a_persons_words_is_not_the_speaker():
    text = "Die Akte sei echt, sagte Direktor Lukasz Kaminski der Agentur PAP zufolge am Donnerstag."
    quotes = run(text, {"Lukasz Kaminski": ("person", []), "PAP": ("organization", [])})
    assert [(q[1], q[2]) for q in quotes] == [("Die Akte sei echt", "Lukasz Kaminski")]
