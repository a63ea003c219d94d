"""German NER: features, the compiled CRF decoder, the stage contract, and the shipped model."""

from __future__ import annotations

import sys
from pathlib import Path

import pycrfsuite
import pytest

from treffpunkt.read.text import article_from_text
from treffpunkt.record import Article, Mention, Record, Span, Token
from treffpunkt.stages.ner import NerTagger, _compound_head, bio_spans, default_model_path
from treffpunkt.stages.ner_crf import CompiledCrf, FastTagger
from treffpunkt.stages.ner_features import Featurizer, shape
from treffpunkt.stages.ner_gazetteer import Lexicon
from treffpunkt.stages.tokens import Tokenizer

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REFERENCE = SHARED / "examples" / "wegner-usa-2024-11.txt"
GERMEVAL_TEST = SHARED / "data" / "germeval2014" / "NER-de-test.tsv"

TINY = Lexicon(
    first_names=frozenset({"Anna", "Kai"}),
    places=frozenset({"Berlin", "Boston", "Paris"}),
    big_places=frozenset({"Berlin", "Paris"}),
    nouns=frozenset({"Reise", "Haus"}),
    org_cues=frozenset({"AG"}),
    org_suffixes=("konzern", "ministerium"),
    roles=frozenset({"Bürgermeisterin"}),
    role_suffixes=("senatorin",),
    common=frozenset({"Die"}),
    freq={"die": 7, "reise": 4},
    phrases={"New": ((("New", "York"), "LOC"),)},
)

# A toy training set: names after "trifft", places after "in", organisations before "AG".
TOY = [
    ("Anna trifft Kai in Berlin .", "B-PER O B-PER O B-LOC O"),
    ("Kai trifft Anna in Paris .", "B-PER O B-PER O B-LOC O"),
    ("Die Reise führt Anna nach New York .", "O O O B-PER O B-LOC I-LOC O"),
    ("Die Siemens AG wächst in Boston .", "O B-ORG I-ORG O O B-LOC O"),
    ("Bürgermeisterin Anna Weber reist .", "O B-PER I-PER O O"),
    ("Das Haus steht in Berlin .", "O O O O B-LOC O"),
]


@pytest.fixture(scope="module")
def toy_model(tmp_path_factory) -> Path:
    feat = Featurizer(TINY)
    trainer = pycrfsuite.Trainer(verbose=False)
    for words, tags in TOY:
        trainer.append(feat.sentence(words.split()), tags.split())
    trainer.set_params({"c1": 0.0, "c2": 0.01, "max_iterations": 50, "feature.possible_transitions": True})
    path = tmp_path_factory.mktemp("ner") / "toy.crfsuite"
    trainer.train(str(path))
    return path


def test_shape_collapses_runs():
    assert shape("Wegner") == "Xx"
    assert shape("L.A.") == "X.X."
    assert shape("2024") == "d"
    assert shape("CDU-Politiker") == "X-Xx"


def test_bio_spans_reads_entities_and_stray_inside_tags():
    assert bio_spans(["B-PER", "I-PER", "O", "B-LOC"]) == [(0, 2, "PER"), (3, 4, "LOC")]
    assert bio_spans(["I-ORG", "I-ORG", "B-ORG"]) == [(0, 2, "ORG"), (2, 3, "ORG")]
    assert bio_spans(["B-PER", "I-LOC"]) == [(0, 1, "PER"), (1, 2, "LOC")]
    assert bio_spans([]) == []


@pytest.mark.parametrize(
    ("word", "head"),
    [
        ("CDU-Politiker", "CDU"),
        ("Ex-CDU-Chef", "CDU"),
        ("US-Präsidenten", "US"),
        ("Gesundheits-", None),
        ("Ex-Chef", None),
        ("Reise", None),
    ],
)
def test_compound_head_is_the_name_part(word, head):
    span = _compound_head(Token(5, 5 + len(word), word))
    assert (span.text(" " * 5 + word) if span else None) == head


def test_lexicon_flags_reach_the_features():
    feats = Featurizer(TINY).sentence("Die Wirtschaftssenatorin besucht Berlins Autokonzern in New York".split())
    assert "bos&common" in feats[0]
    assert "rolesuf" in feats[1] and "-1:rolesuf" in feats[2]
    assert "loc_gen" in feats[3]
    assert "orgsuf" in feats[4]
    assert "gz=B-LOC" in feats[6] and "gz=I-LOC" in feats[7] and "-1:gz=B-LOC" in feats[7]
    assert "EOS" in feats[7] and "BOS" not in feats[7]


def test_quote_state_feature():
    feats = Featurizer(TINY).sentence(["Er", "sah", "„", "Titanic", "“", "gestern"])
    assert "inq" in feats[3]
    assert "inq" not in feats[5]


def test_compiled_decoder_matches_crfsuite(toy_model, tmp_path):
    feat = Featurizer(TINY)
    reference = pycrfsuite.Tagger()
    reference.open(str(toy_model))
    compiled = CompiledCrf.from_crfsuite(toy_model)
    compiled.save(tmp_path / "toy.npz")
    fast = FastTagger(CompiledCrf.load(tmp_path / "toy.npz"), feat)
    sentences = [s.split() for s, _ in TOY] + [
        "Kai reist mit Anna Weber nach Boston und Paris .".split(),
        "Berlin".split(),
        "Die Haus AG in New York trifft Kai .".split(),
    ]
    expected = [reference.tag(feat.sentence(s)) for s in sentences]
    assert fast.tag_many(sentences) == expected
    assert [fast.tag(s) for s in sentences] == expected
    assert fast.tag_many([[], ["Berlin"]])[0] == []


def test_stage_writes_mentions_on_token_boundaries_in_the_body(toy_model):
    tagger = NerTagger(CompiledCrf.from_crfsuite(toy_model), TINY)
    text = "date 2024-11 Anna in Paris\n\nAnna trifft Kai in Berlin. Die Reise führt Anna nach New York."
    record = Tokenizer()(Record(article_from_text(text, id="t")))
    record = tagger(record)
    assert record.mentions, "the toy model should find the names it was trained on"
    starts = {t.start for t in record.tokens}
    ends = {t.end for t in record.tokens}
    body = record.article.body_span
    for m in record.mentions:
        assert m.span.start in starts and m.span.end in ends
        assert body.contains(m.span)
        assert m.text == text[m.span.start : m.span.end]
        assert m.label in {"PER", "ORG", "LOC", "OTH"}
    assert [m.span for m in record.mentions] == sorted(m.span for m in record.mentions)
    found = {(m.text, m.label) for m in record.mentions}
    assert ("Berlin", "LOC") in found and ("Kai", "PER") in found


def test_stage_contract():
    assert NerTagger.name == "ner"
    assert NerTagger.requires == ("tokens", "sentences")
    assert NerTagger.assigns == ("mentions",)


def test_stage_handles_an_empty_article(toy_model):
    tagger = NerTagger(CompiledCrf.from_crfsuite(toy_model), TINY)
    record = tagger(Tokenizer()(Record(Article(id="e", text=""))))
    assert record.mentions == []


# -- the shipped model (loads the real lexicon: a few seconds the first time, then cached) ------


@pytest.fixture(scope="module")
def shipped() -> NerTagger:
    assert Path(default_model_path()).is_file(), "the model file must ship with the package"
    return NerTagger.load()


def test_load_is_cached(shipped):
    assert NerTagger.load() is shipped


def test_shipped_model_model_file_is_small():
    assert Path(default_model_path()).stat().st_size < 20 * 1024 * 1024


def test_shipped_model_tags_a_plain_sentence(shipped):
    words = "Bundeskanzler Olaf Scholz traf am Montag in Paris den Chef der Deutschen Bank .".split()
    tags = shipped.tag(words)
    assert len(tags) == len(words)
    spans = {(" ".join(words[a:b]), label) for a, b, label in bio_spans(tags)}
    assert ("Olaf Scholz", "PER") in spans
    assert ("Paris", "LOC") in spans


@pytest.mark.skipif(not REFERENCE.is_file(), reason="shared/examples (reference article) not present")
def test_reference_article_names(shipped):
    text = REFERENCE.read_text(encoding="utf-8")
    record = shipped(Tokenizer()(Record(article_from_text(text, id="wegner"))))
    found = {(m.text, m.label) for m in record.mentions}
    wanted = {
        ("Kai Wegner", "PER"),
        ("Franziska Giffey", "PER"),
        ("Karen Bass", "PER"),
        ("Donald Trump", "PER"),
        ("Pfizer", "ORG"),
        ("Microsoft", "ORG"),
        ("Massachusetts Institute of Technology", "ORG"),
        ("MIT", "ORG"),
        ("L.A. Police Department", "ORG"),
        ("Senatskanzlei", "ORG"),
        ("SPD", "ORG"),
        ("CDU", "ORG"),
        ("USA", "LOC"),
        ("New York", "LOC"),
        ("Boston", "LOC"),
        ("Los Angeles", "LOC"),
        ("Berlin", "LOC"),
        ("Amerika", "LOC"),
    }
    assert wanted - found == set()
    teaser = record.article.teaser or Span(0, 0)
    assert not any(m.span.overlaps(teaser) for m in record.mentions)


# Pinned floor on a fixed slice of GermEval 2014 test (coarse outer labels, exact match). The full
# test score is in models/ner_de/MODEL_CARD.md (tools/ner/evaluate.py). Raise it when the model
# improves; lowering it needs a reason in the model card.
GERMEVAL_SLICE = 1000
GERMEVAL_FLOOR = 0.63


@pytest.mark.skipif(not GERMEVAL_TEST.is_file(), reason="shared/data/germeval2014 not present")
def test_germeval_test_slice_floor(shipped):
    sys.path.insert(0, str(ROOT / "tools" / "ner"))
    from data import read_germeval
    from metrics import score

    data = list(read_germeval(GERMEVAL_TEST))[:GERMEVAL_SLICE]
    pred = shipped.tag_many([w for w, _ in data])
    f1 = score([t for _, t in data], pred)["ALL"]["f1"]
    assert f1 >= GERMEVAL_FLOOR


def test_document_rules_add_acronyms_surnames_and_compound_heads():
    from treffpunkt.stages.ner_doc import acronym_of, complete

    assert "MIT" in acronym_of(["Massachusetts", "Institute", "of", "Technology"])
    text = (
        "Kai Wegner besucht das Massachusetts Institute of Technology ( MIT ) . "
        "Wegner lobt das MIT . Der SPD-Politiker schweigt ."
    )
    tokens = Tokenizer().tokenize(text)
    record = Record(Article(id="d", text=text), tokens=tokens)

    def mention(surface: str, label: str) -> Mention:
        start = text.index(surface)
        return Mention(Span(start, start + len(surface)), label, surface)

    found = [mention("Kai Wegner", "PER"), mention("Massachusetts Institute of Technology", "ORG")]
    lex = Lexicon(orgs=frozenset({"SPD"}))
    added = {(m.text, m.label, m.span.start) for m in complete(text, record.tokens, found, lex, frozenset())}
    assert ("MIT", "ORG", text.index("MIT")) in added
    assert ("MIT", "ORG", text.rindex("MIT")) in added
    assert ("Wegner", "PER", text.index("Wegner lobt")) in added
    assert ("SPD", "ORG", text.index("SPD")) in added
    # Nothing the model found is repeated.
    assert not any(start == text.index("Kai") for _, _, start in added)
