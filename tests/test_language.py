"""The language guess and what the pipeline does with a language it has no rules for."""

from __future__ import annotations

from treffpunkt.pipeline import Pipeline
from treffpunkt.record import Article
from treffpunkt.serialize import record_dict
from treffpunkt.stages.language import LanguageGuesser
from treffpunkt.stages.tokens import Tokenizer

GERMAN = (
    "Die Bürgermeisterin reist am Montag nach Danzig, wo sie mit dem Stadtpräsidenten über die Partnerschaft spricht."
)
ENGLISH = "The mayor travels to Gdansk on Monday, where she will talk with the city president about the partnership."


def test_guesses_german_and_english():
    guesser = LanguageGuesser()
    assert guesser.guess(GERMAN) == "de"
    assert guesser.guess(ENGLISH) == "en"
    assert guesser.guess("Danzig Gdansk 2025") is None  # too little to tell


def test_unsupported_language_is_reported_not_mangled():
    pipeline = Pipeline([LanguageGuesser(), Tokenizer()])
    english = pipeline.run(Article(id="en", text=ENGLISH))
    assert english.article.lang == "en" and english.halted and english.tokens == []
    assert "nothing was extracted" in record_dict(english)["not_extracted"]
    german = pipeline.run(Article(id="de", text=GERMAN))
    assert german.halted is None and german.tokens
