"""The word lists the quote stage reads (lang/<lang>/quote_*), loaded once per language."""

from __future__ import annotations

from dataclasses import dataclass

from ..lang import ordered, table, wordlist

_ROLE_ENDINGS = ("", "in", "innen", "e", "en", "er", "r", "n", "s", "es")


@dataclass(frozen=True, slots=True)
class QuoteLexicon:
    verbs: dict[str, frozenset[str]]  # form -> separable particles, one of which must follow (empty: none)
    konjunktiv: frozenset[str]  # Konjunktiv I and II
    konjunktiv2: frozenset[str]  # Konjunktiv II only: reported speech, but also the hypothetical
    not_verbs: frozenset[str]  # clause-final "-e" words that are not verbs
    fixed: tuple[tuple[str, ...], ...]  # Konjunktiv phrases that are not reported speech
    source_preps: frozenset[str]  # "laut"
    source_posts: frozenset[str]  # "zufolge"
    source_nouns: frozenset[str]  # "angaben" in "nach Angaben von"
    role_heads: tuple[str, ...]
    pronouns: dict[str, str]
    title_nouns: tuple[str, ...]
    org_nouns: frozenset[str]  # "die Organisation", "das Unternehmen": point back to an organisation
    infinitive_verbs: frozenset[str]  # "erklärte, nichts zu wissen": a "zu"-infinitive reports
    words: dict[str, frozenset[str]]  # function words by what they signal (quote_words.tsv)

    @classmethod
    def load(cls, lang: str) -> QuoteLexicon:
        particles: dict[str, set[str]] = {}
        for line in ordered(lang, "quote_verbs.tsv"):
            form, _, particle = line.partition("\t")
            particles.setdefault(form.strip().lower(), set()).add(particle.strip().lower())
        # a form listed once without a particle needs none
        verbs = {f: frozenset() if "" in ps else frozenset(ps) for f, ps in particles.items()}
        sources = [line.split("\t") for line in ordered(lang, "quote_sources.tsv")]
        return cls(
            verbs=verbs,
            konjunktiv=wordlist(lang, "quote_konjunktiv.txt") | wordlist(lang, "quote_konjunktiv2.txt"),
            konjunktiv2=wordlist(lang, "quote_konjunktiv2.txt"),
            not_verbs=wordlist(lang, "quote_not_verbs.txt"),
            fixed=tuple(tuple(line.lower().split()) for line in ordered(lang, "quote_fixed.txt")),
            source_preps=frozenset(w for k, w in sources if k == "prep"),
            source_posts=frozenset(w for k, w in sources if k == "post"),
            source_nouns=frozenset(w for k, w in sources if k == "noun"),
            # speakers' nouns and the offices of entity roles; longest first, so "ministerpräsident" is
            # tried before "präsident"
            role_heads=tuple(
                sorted(set(ordered(lang, "quote_roles.txt")) | wordlist(lang, "role_heads.txt"), key=len, reverse=True)
            ),
            pronouns=table(lang, "quote_pronouns.tsv"),
            title_nouns=tuple(sorted(set(ordered(lang, "quote_titles.txt")), key=len, reverse=True)),
            org_nouns=wordlist(lang, "quote_org_nouns.txt"),
            infinitive_verbs=wordlist(lang, "quote_infinitive_verbs.txt"),
            words={k: frozenset(v.split()) for k, v in table(lang, "quote_words.tsv").items()},
        )

    def is_role(self, word: str) -> bool:
        """A noun that describes a person: "Minister", "CDU-Politikerin", "65-Jährige"."""
        if not word[:1].isupper():
            return False
        low = word.lower()
        for ending in _ROLE_ENDINGS:
            if ending and not low.endswith(ending):
                continue
            stem = low[: len(low) - len(ending)] if ending else low
            if any(stem.endswith(head) for head in self.role_heads):
                return True
        return False

    def is_title_noun(self, word: str) -> bool:
        low = word.lower()
        return word[:1].isupper() and any(low.endswith(t) or low.endswith(t + "s") for t in self.title_nouns)
