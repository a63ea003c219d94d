"""Entity names: dictionary forms (stages/name_forms.py) and the extent of organisation names."""

from __future__ import annotations

from functools import cache

import pytest

from fakes import DictNer
from treffpunkt.pipeline import Pipeline
from treffpunkt.read.text import article_from_text
from treffpunkt.record import Record
from treffpunkt.stages.entities import EntityResolver
from treffpunkt.stages.name_forms import NameForms
from treffpunkt.stages.tokens import Tokenizer


@cache
def forms() -> NameForms:
    return NameForms.load()


def _resolve(text: str, names: dict[str, str]) -> Record:
    """Tokens, the given names as the model's mentions, and the entity stage."""
    return Pipeline([Tokenizer(), DictNer(names), EntityResolver(name_forms=forms())]).run(
        article_from_text(text, id="t"), strict=True
    )


@pytest.mark.parametrize(
    "written,base",
    [
        # A capitalised adjective takes the strong ending of the head noun's gender.
        ("Internationalen Währungsfonds", "Internationaler Währungsfonds"),  # compound head: Fonds, m
        ("Deutschen Bundestages", "Deutscher Bundestag"),  # genitive head
        ("Weißen Haus", "Weißes Haus"),
        ("Internationalen Olympischen Komitees", "Internationales Olympisches Komitee"),
        ("Europäischen Zentralbank", "Europäische Zentralbank"),
        ("Christlich-Sozialen Union", "Christlich-Soziale Union"),
        # Plurals, also behind a dative -n and after a quantifier.
        ("Vereinigten Arabischen Emiraten", "Vereinigte Arabische Emirate"),
        ("muslimischen Vertretern", "muslimische Vertreter"),
        ("mehreren Staatschefs", "mehrere Staatschefs"),
        # A description keeps the ending after "die/der/das".
        ("italienischen Regierung", "italienische Regierung"),
        ("russischen Außenministeriums", "russische Außenministerium"),
        # Forms in -er stay and belong to the run before a noun or adjective.
        ("Neuen Zürcher Zeitung", "Neue Zürcher Zeitung"),
        ("Frankfurter Allgemeinen Zeitung", "Frankfurter Allgemeine Zeitung"),
        # Nothing to change, or no adjective at all.
        ("Europäische Kommission", "Europäische Kommission"),
        ("Berliner Senat", "Berliner Senat"),
        ("Vertreter Russlands", "Vertreter Russlands"),
        ("Vatikansprecher Navarro-Valls", "Vatikansprecher Navarro-Valls"),
        ("diesen Staaten", "diesen Staaten"),
        ("Sicherheitsrat der Vereinten Nationen", "Sicherheitsrat der Vereinten Nationen"),
        ("Grünen", "Grünen"),
        ("Keltischen Xyzqzz", "Keltischen Xyzqzz"),  # unknown head: as written
    ],
)
def test_base_form(written, base):
    assert forms().base(written) == base


def test_inflected_mentions_become_one_entity_named_in_its_base_form():
    text = (
        "Die Europäische Zentralbank senkt den Zins. Der Chef der Europäischen Zentralbank sprach "
        "mit Vertretern des Internationalen Währungsfonds."
    )
    names = {
        "Europäische Zentralbank": "ORG",
        "Europäischen Zentralbank": "ORG",
        "Internationalen Währungsfonds": "ORG",
    }
    rec = _resolve(text, names)
    orgs = {e.name: e for e in rec.entities.values() if e.type == "organization"}
    assert set(orgs) == {"Europäische Zentralbank", "Internationaler Währungsfonds"}
    assert len(orgs["Europäische Zentralbank"].mentions) == 2
    assert "Europäischen Zentralbank" in orgs["Europäische Zentralbank"].aliases
    assert orgs["Internationaler Währungsfonds"].aliases == ["Internationalen Währungsfonds"]


def _entities(text: str, names: dict[str, str]) -> dict[str, str]:
    return {e.name: e.type for e in _resolve(text, names).entities.values()}


def test_name_after_an_organisation_class_noun_is_that_organisation():
    text = "Er besuchte das Berufsbildungszentrum Centre Sénégalo-Allemand in Dakar."
    # Whether the model's mention holds the class noun or not.
    for name in ("Berufsbildungszentrum Centre Sénégalo-Allemand", "Centre Sénégalo-Allemand"):
        assert _entities(text, {name: "LOC", "Dakar": "LOC"})["Centre Sénégalo-Allemand"] == "organization"


def test_ministry_name_runs_to_the_end_of_its_list():
    text = "Sie will mit dem Ministerium für Handel, Industrie und Energie eine Erklärung unterzeichnen."
    assert _entities(text, {"Ministerium für Handel": "ORG"}) == {
        "Ministerium für Handel, Industrie und Energie": "organization"
    }
    # Found by its institution noun alone, what it is for is part of its name too.
    assert _entities(text.replace("dem", "dem koreanischen"), {}) == {
        "koreanische Ministerium für Handel, Industrie und Energie": "organization"
    }


def test_office_before_a_name_makes_it_a_person():
    text = "Am Montag äußerte sich Vatikansprecher Navarro-Valls, und Präsident Frankreichs ist Macron."
    got = _entities(text, {"Navarro-Valls": "LOC", "Frankreichs": "LOC", "Macron": "PER"})
    assert got["Navarro-Valls"] == "person"
    assert got["Frankreichs"] == "place"


def test_name_after_a_place_class_noun_is_a_place_unless_a_first_name_opens_it():
    text = "Die Delegation reist in den Partnerkreis Powiat Żarski."
    assert _entities(text, {"Powiat Żarski": "PER"}) == {"Powiat Żarski": "place", "Delegation": "group"}
    text = "Er traf in der Hauptstadt Maria Vogt."
    assert _entities(text, {"Maria Vogt": "PER"}) == {"Maria Vogt": "person"}


def test_officials_in_the_plural_are_a_group():
    got = _entities("Die EU-Fischereiminister haben sich geeinigt.", {"EU": "ORG"})
    assert got["EU-Fischereiminister"] == "group"
    got = _entities("Am Sonntag kommen die Außenminister der Europäischen Union zusammen.", {})
    assert got == {"Außenminister der Europäischen Union": "group"}
    # A woman in office, and a bare plural that points back, are no new group.
    assert _entities("Dann sprach die Ministerin.", {}) == {}
    assert _entities("Dann blieben die Minister unter dem Vorschlag.", {}) == {}


def test_role_before_a_bracketed_name():
    text = "Danach hat der Bundespräsident (Horst Köhler) drei Wochen Zeit."
    rec = _resolve(text, {"Horst Köhler": "PER"})
    assert next(iter(rec.entities.values())).roles == ["Bundespräsident"]


def test_district_keeps_its_class_noun_as_part_of_its_name():
    text = "Der Landkreis Spree-Neiße und die Stadt Cottbus sind verbunden."
    assert _entities(text, {"Spree-Neiße": "LOC", "Cottbus": "LOC"}) == {
        "Landkreis Spree-Neiße": "place",
        "Cottbus": "place",
    }


def test_reporting_verb_before_an_office_is_not_part_of_the_role():
    text = "Das sagte Bundespräsident Heinz Fischer am Donnerstag."
    rec = _resolve(text, {"Heinz Fischer": "PER"})
    assert next(iter(rec.entities.values())).roles == ["Bundespräsident"]


def test_lower_case_word_opening_a_person_mention_is_dropped_unless_a_name_particle():
    got = _entities("Bundespräsident traf Merkel und Gauck.", {"traf Merkel": "PER", "Gauck": "PER"})
    assert got == {"Merkel": "person", "Gauck": "person"}
    got = _entities("Gestern sprach von der Leyen.", {"von der Leyen": "PER"})
    assert got == {"von der Leyen": "person"}


def test_conjunction_before_an_office_is_not_part_of_the_role():
    text = "In einer Diskussionszone, wie Generalsekretär Peter McDonald das nannte, sprachen alle."
    rec = _resolve(text, {"Peter McDonald": "PER"})
    assert next(iter(rec.entities.values())).roles == ["Generalsekretär"]


def test_an_institution_in_the_genitive_without_an_adjective_is_stored_without_its_ending():
    f = forms()
    assert f.base("Bundesumweltministeriums") == "Bundesumweltministerium"
    assert f.base("Bundestages") == "Bundestag"
    assert f.base("EU-Parlaments") == "EU-Parlament"
    # a name that ends in -s itself keeps it
    assert [f.base(n) for n in ("Reuters", "Mercedes", "Status")] == ["Reuters", "Mercedes", "Status"]
