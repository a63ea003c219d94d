"""Names of organisations, groups and places in their dictionary form.

A text names "der Europäischen Zentralbank", "im Vereinigten Königreich", "den muslimischen
Vertretern"; the record names the "Europäische Zentralbank", the "Vereinigtes Königreich" and
"muslimische Vertreter", as a reader would look them up, so that every inflected mention in an
article, and the same body across articles, carries one name. The form the text used stays an alias.

The adjectives that open the name take the ending of the head noun's gender: the strong ending of a
name on its own ("Internationaler Währungsfonds", "Rotes Kreuz") when the adjective is capitalised,
the ending after "die/der/das" for a description ("italienische Regierung"). The head is looked up,
compounds by their last part ("Zentralbank" -> "Bank"), in the nouns of German Wiktionary; a name
whose head is unknown keeps its form.
"""

from __future__ import annotations

from ..lang import ordered, table, wordlist


class NameForms:
    def __init__(self, singular: dict[str, str], plural: dict[str, str], lang: str = "de"):
        self.singular = singular  # nominative singular -> genders ("m", "fm" ...)
        self.plural = plural  # nominative plural -> singular
        self.stem_endings = tuple(ordered(lang, "name_adjective_endings.txt"))
        self.short_stems = wordlist(lang, "name_adjective_stems.txt")
        self.not_adjectives = wordlist(lang, "name_not_adjectives.txt")
        self.quantifiers = wordlist(lang, "quantifiers.txt")
        self.genitive_heads = tuple(ordered(lang, "name_genitive_heads.txt"))
        endings = {k: tuple(v.split()) for k, v in table(lang, "name_inflection.tsv").items()}
        self.adjective_endings = endings["adjective"]
        self.strong = {g: endings[f"strong_{g}"][0] for g in "mnf"}
        self.weak = endings["weak"][0]
        self.genitive = endings["genitive"]
        self.dative_plural = endings["dative_plural"][0]

    @classmethod
    def load(cls, lang: str = "de") -> NameForms:
        """With the noun tables of the NER lexicon (built once, cached on disk)."""
        from .ner_gazetteer import default_lexicon

        lex = default_lexicon()
        return cls(lex.noun_genders, lex.noun_plurals, lang)

    def base(self, name: str) -> str:
        """The dictionary form of `name`, or `name` itself when it opens with no adjective or its head
        noun is unknown."""
        words = name.split(" ")
        i = 0
        while i < len(words) - 1 and self._adjective(words[i], words[i + 1]):
            i += 1
        if i == 0:
            # no adjective, but a head in the genitive: "des Bundesumweltministeriums", "des Bundestages"
            bare = self._genitive_head(words[0])
            return " ".join([bare, *words[1:]]) if bare else name
        if all(self._strong_er(w) for w in words[:i]):
            return name  # no adjective to change ("Berliner Senat", "Vertreter Russlands")
        plural = any(self._quantifier(w) for w in words[:i])  # "mehreren Staatschefs"
        head = self._head(words[i], plural)
        if head is None:
            return name
        lemma, gender = head
        out = [self._inflect(w, gender) for w in words[:i]]
        return " ".join([*out, lemma, *words[i + 1 :]])

    def _genitive_head(self, word: str) -> str | None:
        """An institution's name written in the genitive singular, without its -s or -es, when only that
        form is a known noun ("Ministeriums" -> "Ministerium")."""
        prefix, _, last = word.rpartition("-")
        if not last[:1].isupper() or any(self._compound(last, "mfnp", whole) for whole in (True, False)):
            return None
        for ending in self.genitive:
            form = last[: -len(ending)]
            if (
                last.endswith(ending)
                and form.lower().endswith(self.genitive_heads)
                and any(self._compound(form, "mn", whole) for whole in (True, False))
            ):
                return f"{prefix}-{form}" if prefix else form
        return None

    def _split(self, word: str) -> tuple[str, str] | None:
        """(stem, ending) of an inflected adjective form, or None."""
        for ending in self.adjective_endings:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                return word[: -len(ending)], ending
        return None

    def _adjective(self, word: str, following: str) -> bool:
        last = word.rsplit("-", 1)[-1]  # "Christlich-Sozialen"
        if not last or not last[0].isalpha():
            return False
        if self._strong_er(word):
            # A strong or indeclinable form ("Oberster", "Zürcher") stays as it is, but belongs to
            # the run when a noun or another adjective follows: "Neue Zürcher Zeitung", not
            # "Vatikansprecher Navarro-Valls".
            if self._head(following) is not None:
                return True
            return not self._strong_er(following) and self._adjective(following, "")
        parts = self._split(last)
        if parts is None:
            return False
        stem = parts[0].lower()
        if word[0].islower():
            return word not in self.not_adjectives
        return stem in self.short_stems or stem.endswith(self.stem_endings)

    def _strong_er(self, word: str) -> bool:
        return word.endswith(self.strong["m"]) and len(word) > 4

    def _quantifier(self, word: str) -> bool:
        n = self.dative_plural
        return word in self.quantifiers or (word.endswith(n) and word[: -len(n)] in self.quantifiers)

    def _head(self, word: str, plural: bool = False) -> tuple[str, str] | None:
        """(nominative form, gender or "p" for a plural) of a head noun as written, or None.
        A hyphenated head is looked up by its last part ("EU-Kommission")."""
        prefix, _, last = word.rpartition("-")
        if not last[:1].isupper():
            return None
        # The form as written, singular; without a genitive -s or -es ("Bundestages", "Komitees":
        # a name is more often one body than several); a plural as written ("Staaten"); without a
        # dative plural -n ("Vertretern").
        variants = [(last, "mfn")]
        variants += [(last[: -len(e)], "mn") for e in self.genitive if last.endswith(e)]
        variants.append((last, "p"))
        if last.endswith(self.dative_plural):
            variants.append((last[: -len(self.dative_plural)], "p"))
        if plural:
            variants.sort(key=lambda v: v[1] != "p")
        # Whole words first: "Emiraten" is the dative of "Emirate", not a compound of "Raten".
        for whole in (True, False):
            for form, kinds in variants:
                gender = self._compound(form, kinds, whole)
                if gender is not None:
                    return (f"{prefix}-{form}" if prefix else form), gender
        return None

    def _compound(self, word: str, kinds: str, whole: bool) -> str | None:
        """The gender of a noun (or "p"), if one of `kinds`: the noun as a whole, else by its longest
        last part of four letters or more ("Zentralbank" -> "Bank")."""
        for cut in [0] if whole else range(3, len(word) - 3):
            part = word[cut:]
            if cut:
                if not part[0].isalpha():
                    continue
                part = part[0].upper() + part[1:]
            if kinds == "p" and part in self.plural:
                return "p"
            genders = self.singular.get(part)
            if genders and all(g in kinds for g in genders):
                return genders
        return None

    def _inflect(self, word: str, gender: str) -> str:
        if self._strong_er(word):
            return word
        head, _, last = word.rpartition("-")
        parts = self._split(last)
        if parts is None:
            return word
        stem = parts[0]
        if word[0].isupper() and len(gender) == 1 and gender in self.strong:
            ending = self.strong[gender]
        else:
            ending = self.weak  # a plural, a description after "die/der/das", or a gender in doubt
        return f"{head}-{stem}{ending}" if head else stem + ending
