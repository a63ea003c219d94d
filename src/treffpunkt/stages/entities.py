"""Mentions -> entities: roles, parties, class nouns, abbreviations, groups, surname links.

The NER stage finds names; this stage adds what the names alone do not say
(the role words and party around a person, the "(MIT)" after a long name,
institution nouns like "Senatskanzlei", unnamed groups like "eine
Wirtschaftsdelegation") and joins every mention of one thing into one Entity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..lang import table, wordlist
from ..record import Entity, EntityType, Mention, Record, Span
from .name_forms import NameForms
from .ner_gazetteer import Lexicon

_TYPE: dict[str, EntityType] = {"PER": "person", "ORG": "organization", "LOC": "place", "OTH": "organization"}
_ROLE_SUFFIX = ("", "in", "innen", "en", "n", "s", "e", "es")
_CONNECT = {"und", "sowie", ","}
_COMPOUND_JOINT = set("-abcdefghijklmnopqrstuvwxyzäöüß")


@lru_cache(maxsize=300_000)
def _ends_with(word: str, heads: frozenset[str], suffixes: tuple[str, ...]) -> bool:
    """Whether the word ends with one of the heads (plus one of the endings) at a compound joint.
    Cached per word form: the same words come back in every article."""
    low = word.lower()
    for suf in suffixes:
        stem = low[: len(low) - len(suf)] if suf and low.endswith(suf) else (low if not suf else None)
        if stem is None:
            continue
        for head in heads:
            # The head ends the word and starts a compound part: "wirtschafts|senator", "us-|präsident".
            if stem.endswith(head) and (len(stem) == len(head) or stem[-len(head) - 1] in _COMPOUND_JOINT):
                return True
    return False


@dataclass(slots=True)
class _Lexicon:
    role_heads: frozenset[str]
    role_modifiers: frozenset[str]
    parties: frozenset[str]
    org_class: frozenset[str]
    institutions: frozenset[str]
    group_heads: frozenset[str]
    place_class: frozenset[str]

    def is_role(self, word: str) -> bool:
        return word[:1].isupper() and _ends_with(word, self.role_heads, _ROLE_SUFFIX)

    def is_org_class(self, word: str) -> bool:
        return word[:1].isupper() and _ends_with(word, self.org_class, ("", "n", "en", "s", "es"))

    def is_place_class(self, word: str) -> bool:
        return word[:1].isupper() and _ends_with(word, self.place_class, ("", "n", "en", "s"))

    def is_institution(self, word: str) -> bool:
        return word[:1].isupper() and _ends_with(word, self.institutions, ("", "s", "es", "en"))

    def is_group(self, word: str) -> bool:
        return word[:1].isupper() and _ends_with(word, self.group_heads, ("", "en", "n"))

    @staticmethod
    def ends_with_any(word: str, heads: frozenset[str]) -> bool:
        return _ends_with(word, heads, ("",))

    def is_delegation(self, name: str) -> bool:
        """A group that travels with someone: "Wirtschaftsdelegation", "Delegation aus …"."""
        return any(_ends_with(w, frozenset({"delegation", "abordnung"}), ("", "en")) for w in name.split())

    def party_in(self, word: str) -> str | None:
        """The party a compound names: "CDU-Politiker" -> "CDU"; "SPD" -> "SPD"."""
        if word in self.parties:
            return word
        head = word.split("-", 1)[0]
        return head if "-" in word and head in self.parties else None


class EntityResolver:
    name = "entities"
    requires = ("tokens", "sentences", "mentions")
    assigns = ("entities",)

    def __init__(self, lang: str = "de", name_forms: NameForms | None = None, lexicon: Lexicon | None = None):
        """`lexicon` (first names, one-word places) and `name_forms` default to the NER lexicon's (built
        once, cached on disk)."""
        if lexicon is None:
            from .ner_gazetteer import default_lexicon

            lexicon = default_lexicon()
        self.name_forms = name_forms or NameForms(lexicon.noun_genders, lexicon.noun_plurals, lang)
        self.first_names = lexicon.first_names
        self.known_places = lexicon.places
        self.lex = _Lexicon(
            role_heads=wordlist(lang, "role_heads.txt"),
            role_modifiers=wordlist(lang, "role_modifiers.txt"),
            parties=frozenset(table(lang, "parties.tsv")),
            org_class=wordlist(lang, "org_class_nouns.txt"),
            institutions=wordlist(lang, "institution_heads.txt"),
            group_heads=wordlist(lang, "group_heads.txt"),
            place_class=wordlist(lang, "place_class_heads.txt"),
        )
        self.np_openers = wordlist(lang, "np_openers.txt")
        self.articles = wordlist(lang, "articles.txt")
        self.function_words = wordlist(lang, "stopwords.txt")
        self.quantifiers = wordlist(lang, "quantifiers.txt")
        self.currencies = {w.casefold() for w in wordlist(lang, "ner_currencies.txt")}
        self.name_prefixes = wordlist(lang, "name_class_prefixes.txt")
        self.reporting_verbs = frozenset(table(lang, "quote_verbs.tsv"))
        self.name_particles = wordlist(lang, "name_particles.txt")
        self.words = {k: frozenset(v.split()) for k, v in table(lang, "entity_words.tsv").items()}

    # -- mentions the NER model does not give -------------------------------------------------

    def _token_index(self, record: Record) -> dict[int, int]:
        return {t.start: i for i, t in enumerate(record.tokens)}

    def _covered(self, record: Record) -> list[bool]:
        covered = [False] * len(record.tokens)
        starts = self._token_index(record)
        for m in record.mentions:
            i = starts.get(m.span.start)
            while i is not None and i < len(record.tokens) and record.tokens[i].end <= m.span.end:
                covered[i] = True
                i += 1
        return covered

    def _repeat_known_names(self, record: Record) -> None:
        """A name found once is that name wherever the article repeats it: "Wegner" after "Kai Wegner",
        "Pfizer" after "Pfizer" was tagged once. Longest known forms first."""
        toks = record.tokens
        known: dict[tuple[str, ...], str] = {}
        for m in record.mentions:
            words = tuple(m.text.split())
            if not words or not words[0][:1].isupper():
                continue
            known.setdefault(words, m.label)
            if m.label == "PER" and len(words) > 1 and len(words[-1]) > 2:
                known.setdefault((words[-1],), "PER")  # the surname alone
        if not known:
            return
        longest = max(len(k) for k in known)
        covered = self._covered(record)
        added: list[Mention] = []
        i = 0
        while i < len(toks):
            if covered[i] or not toks[i].text[:1].isupper():
                i += 1
                continue
            for n in range(min(longest, len(toks) - i), 0, -1):
                words = tuple(t.text for t in toks[i : i + n])
                label = known.get(words) or (
                    known.get((words[0][:-1],))
                    if n == 1 and words[0].endswith("s") and known.get((words[0][:-1],)) == "PER"
                    else None
                )
                if label and not any(covered[i : i + n]):
                    span = Span(toks[i].start, toks[i + n - 1].end)
                    added.append(Mention(span, label, span.text(record.text), source="rule:repeat"))  # type: ignore[arg-type]
                    for k in range(i, i + n):
                        covered[k] = True
                    i += n - 1
                    break
            i += 1
        record.mentions.extend(added)

    def _add_rule_mentions(self, record: Record) -> None:
        self._repeat_known_names(record)
        toks = record.tokens
        text = record.text
        covered = self._covered(record)
        added: list[Mention] = []
        for i, tok in enumerate(toks):
            if covered[i] or not tok.text[:1].isupper():
                continue
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if self.lex.is_org_class(tok.text) and nxt is not None and nxt.text[:1].isupper() and not covered[i + 1]:
                # "beim Pharmariesen Pfizer", "des Paketdienstleisters Nysa Logistics": the name after a class noun.
                k = i + 1
                while (
                    k < len(toks)
                    and k < i + 5
                    and toks[k].text[:1].isupper()
                    and not covered[k]
                    and not self.lex.is_org_class(toks[k].text)
                    and not self.lex.is_role(toks[k].text)
                ):
                    k += 1
                if k > i + 1:
                    span = Span(toks[i + 1].start, toks[k - 1].end)
                    added.append(Mention(span, "ORG", span.text(text), source="rule:class"))
                    for c in range(i + 1, k):
                        covered[c] = True
                continue
            # A party name standing alone is an organisation ("die SPD"), and so is an institution noun.
            if tok.text in self.lex.parties or self.lex.is_institution(tok.text):
                # "die zentrale Wahlkommission": adjectives after an article belong to the name.
                first = i
                while (
                    first > 1
                    and toks[first - 1].text[:1].islower()
                    and not covered[first - 1]
                    and re.fullmatch(r"[\w-]+(e|en|er|es)", toks[first - 1].text)
                    and toks[first - 2].text.lower() in self.articles
                ):
                    first -= 1
                last = self._purpose_end(toks, i)
                span = Span(toks[first].start, toks[last].end)
                added.append(Mention(span, "ORG", span.text(text), source="rule"))
                for c in range(i, last + 1):
                    covered[c] = True
            elif (self.lex.is_group(tok.text) or self._plural_role(toks, i)) and not (
                nxt is not None and nxt.text[:1].isupper() and covered[i + 1]
            ):
                span = self._group_extent(record, i, covered)
                added.append(Mention(span, "OTH", span.text(text), source="rule:group"))
        record.mentions.extend(added)
        record.mentions.sort(key=lambda m: (m.span.start, -m.span.end))

    def _plural_role(self, toks: list, i: int) -> bool:
        """ "die EU-Fischereiminister", "die Außenminister der EU": officials in the plural are a group
        (a woman in office is "die Ministerin")."""
        word = toks[i].text
        if (
            i == 0
            or toks[i - 1].text.lower() not in self.words["plural_articles"]
            or not self.lex.is_role(word)
            or word.endswith(tuple(self.words["feminine_endings"]))
        ):
            return False
        # A bare "die Minister" points back to officials named before; "die Minister der EU" names them.
        tail = toks[i + 1].text if i + 1 < len(toks) else ""
        return word.lower() not in self.lex.role_heads or tail in self.words["group_tails"]

    def _group_extent(self, record: Record, i: int, covered: list[bool]) -> Span:
        """'eine Wirtschafts- und Wissenschaftsdelegation', 'Delegation aus Kreistag und Verwaltung'."""
        toks = record.tokens
        start = compound = i  # compound: where "Wirtschafts- und Wissenschafts…" begins
        j = i - 1
        while j >= 0:
            w = toks[j].text
            if w.endswith("-") or (w in {"und", "sowie"} and j > 0 and toks[j - 1].text.endswith("-")):
                start = compound = j
            elif w[:1].islower() and w not in self.articles and re.fullmatch(r"[\w-]+(e|en|er|es)", w):
                start = j  # an adjective: "fünfköpfige", "deutsche", "40-köpfigen"
            else:
                break
            j -= 1
        # Adjectives only count after what opens a noun phrase ("eine fünfköpfige Delegation");
        # "kamen heute Spitzenvertreter" has a verb and an adverb before the noun.
        if (
            start < i
            and toks[start].text[:1].islower()
            and not toks[start].text.endswith("-")
            and start > 0
            and toks[start - 1].text.lower() not in self.articles | self.np_openers
            and not toks[start - 1].text.isdigit()
        ):
            start = compound
        if start > 0 and toks[start - 1].text.lower() in self.quantifiers:
            start -= 1  # "mehrere Staatschefs"
        end = i + 1
        if end < len(toks) and (toks[end].text in {"aus", "von", "der", "des"} or toks[end].text in self.quantifiers):
            k = end + 1
            last = None
            while k < len(toks) and k < end + 8:
                w = toks[k].text
                if self.lex.is_role(w):
                    break  # "die Delegation von Bürgermeister Kowalenko": led by a person, not named by one
                if w[:1].isupper() or (w in _CONNECT and last is not None):
                    if w[:1].isupper():
                        last = k
                    k += 1
                elif w in self.articles or w in self.quantifiers or w in self.words["group_fillers"] or w.isdigit():
                    k += 1
                else:
                    break
            if last is not None:
                end = last + 1
        return Span(toks[start].start, toks[end - 1].end)

    # -- roles, parties, class nouns, abbreviations --------------------------------------------

    def _prefix_roles(self, record: Record, first: int) -> tuple[list[str], str | None]:
        """Role words right before a name: "Berlins Regierender Bürgermeister", "SPD-Politikerin"."""
        toks = record.tokens
        j = first - 1
        if j > 0 and toks[j].text == "(":
            j -= 1  # "der Bundespräsident (Horst Köhler)"
        if j < 0 or not self.lex.is_role(toks[j].text):
            return [], None
        head = j
        party = self.lex.party_in(toks[j].text)
        start = j
        k = j - 1
        while k >= 0 and (
            toks[k].text in self.lex.role_modifiers
            or toks[k].text.endswith("-")  # "Staats- und Parteichef"
            or (toks[k].text in self.words["list_joiners"] and k > 0 and toks[k - 1].text.endswith("-"))
            or re.fullmatch(r"[a-zäöüß]+(e|er|en)", toks[k].text)
            and toks[k].text not in self.articles
            and toks[k].text not in self.function_words  # "wie Generalsekretär McDonald"
            and toks[k].text not in self.reporting_verbs  # "Das sagte Bundespräsident Fischer"
        ):
            start = k
            k -= 1
        core = record.text[toks[start].start : toks[head].end]
        roles = [core]
        # A genitive owner before the title: "Berlins Regierender Bürgermeister", "Thüringens Wirtschaftsminister".
        if (
            k >= 0
            and toks[k].text.endswith("s")
            and toks[k].text[:1].isupper()
            and toks[k].text.lower() not in self.articles
        ):
            roles.append(record.text[toks[k].start : toks[head].end])
        return roles, party

    def _bracket_pairs(self, record: Record) -> dict[int, int]:
        """Mention index -> index of the organisation named in brackets right after it
        ("der Polizeibehörde der Stadt (L.A. Police Department)", "Institute of Technology (MIT)")."""
        by_start = {m.span.start: k for k, m in enumerate(record.mentions)}
        text = record.text
        pairs: dict[int, int] = {}
        for k, m in enumerate(record.mentions):
            if m.label != "ORG":
                continue
            rest = text[m.span.end : m.span.end + 40]
            # An institution noun may carry a genitive before the brackets ("Polizeibehörde der Stadt (…)").
            gap = re.match(r"(?:\s+(?:der|des)\s+\w+)?\s*\(", rest) if m.source == "rule" else re.match(r"\s*\(", rest)
            if gap is None:
                continue
            inner = by_start.get(m.span.end + gap.end())
            if (
                inner is not None
                and record.mentions[inner].label == "ORG"
                and text[record.mentions[inner].span.end : record.mentions[inner].span.end + 1] == ")"
            ):
                pairs[k] = inner
        return pairs

    def _paren_after(self, record: Record, last: int) -> tuple[int, int] | None:
        """Token range inside "( … )" right after token `last`, if any."""
        toks = record.tokens
        if last + 1 < len(toks) and toks[last + 1].text == "(":
            for k in range(last + 2, min(last + 10, len(toks))):
                if toks[k].text == ")":
                    return (last + 2, k) if k > last + 2 else None
        return None

    # -- clustering ------------------------------------------------------------------------

    def _fit_spans(self, record: Record) -> None:
        """Class nouns are not part of the name ("Partnerkreis Powiat Żarski" -> "Powiat Żarski",
        "Optikherstellers Saale Optronics" -> "Saale Optronics"); capitalised adjectives before an
        institution noun are ("Vietnamesisch-Deutsche Universität", "Freie Universität")."""
        toks = record.tokens
        starts = self._token_index(record)
        for m in record.mentions:
            i = starts.get(m.span.start)
            if i is None:
                continue
            j = i
            while j + 1 < len(toks) and toks[j + 1].end <= m.span.end:
                j += 1
            while m.label == "PER" and i < j and toks[i].text[:1].islower() and toks[i].text not in self.name_particles:
                i += 1  # "traf Merkel" in a headline: the verb is no part of the name
                m.span = Span(toks[i].start, m.span.end)
                m.text = m.span.text(record.text)
            first = toks[i].text
            # "Universität Kyoto" is a name; "Partnerkreis Powiat Żarski" and "Optikherstellers Saale"
            # put a class noun before one (a longer name, or an inflected class noun).
            before_name = j - i >= 2 or first.endswith(("s", "n"))
            if (
                j > i
                and toks[i + 1].text[:1].isupper()
                and before_name
                and (self.lex.is_org_class(first) or self.lex.is_place_class(first) or self.lex.is_role(first))
            ):
                m.span = Span(toks[i + 1].start, m.span.end)
                m.text = m.span.text(record.text)
                if self.lex.is_place_class(first):
                    m.label = "LOC"  # "Partnerkreis Powiat Żarski", "Kreisstadt Żary": a place by its class noun
                elif m.label == "LOC" and self.lex.is_org_class(first) and j - i >= 2:
                    m.label = "ORG"  # "Berufsbildungszentrum Centre Sénégalo-Allemand"
                continue
            k = i
            while (
                k > 0
                and re.fullmatch(r"[A-ZÄÖÜ][\w-]*(?:e|er|en|es)", toks[k - 1].text)
                and self.lex.is_org_class(toks[j].text)
                and toks[k - 1].text not in self.lex.role_modifiers
                and not (k - 1 > 0 and toks[k - 2].text in {".", "!", "?", "„"})
                and k - 1 != 0
            ):
                k -= 1
            if k < i:
                m.span = Span(toks[k].start, m.span.end)
                m.text = m.span.text(record.text)
            if m.label in ("LOC", "ORG") and i > 0 and toks[i - 1].text in self.name_prefixes:
                m.span = Span(toks[i - 1].start, m.span.end)  # "der Landkreis Spree-Neiße": its official name
                m.text = m.span.text(record.text)
                m.label = "LOC"
            elif m.label == "LOC" and i > 0 and self.lex.is_org_class(toks[i - 1].text) and j > i:
                m.label = "ORG"  # the same with the class noun outside the mention
            elif (
                m.label == "PER"
                and i > 0
                and self.lex.is_place_class(toks[i - 1].text)
                and toks[i].text not in self.first_names
            ):
                m.label = "LOC"  # "den Partnerkreis Powiat Żarski" (but "der Hauptstadt Angela Merkel")
            elif (
                m.label in ("LOC", "OTH")
                and m.source != "gazetteer"  # the model's guess, not a known place name
                and i > 0
                and self.lex.is_role(toks[i - 1].text)
                and m.text.removesuffix("s") not in self.known_places
            ):
                m.label = "PER"  # "Vatikansprecher Navarro-Valls" (but "Präsident Frankreichs")
            if m.label == "ORG":
                end = self._purpose_end(toks, j)
                if end != j:
                    m.span = Span(m.span.start, toks[end].end)
                    m.text = m.span.text(record.text)

    def _purpose_end(self, toks: list, j: int) -> int:
        """The last token of an organisation name ending at token j, with what an institution is for
        ("dem Ministerium" + "für Handel") and the rest of a list there ("für Handel, Industrie und
        Energie")."""
        if (
            self.lex.is_institution(toks[j].text)
            and j + 2 < len(toks)
            and toks[j + 1].text in self.words["purpose_preps"]
            and toks[j + 2].text[:1].isupper()
        ):
            j += 2
        if j > 0 and toks[j - 1].text in self.words["purpose_preps"]:
            end = self._list_end(toks, j + 1)
            if end is not None:
                return end
        return j

    def _list_end(self, toks: list, k: int) -> int | None:
        """The last token of ", Industrie und Energie" starting at token k, if such a list of
        capitalised words follows."""
        saw_comma = False
        while k + 1 < len(toks) and toks[k].text == "," and toks[k + 1].text[:1].isupper():
            k, saw_comma = k + 2, True
        joined = k + 1 < len(toks) and toks[k].text in self.words["list_joiners"] and toks[k + 1].text[:1].isupper()
        return k + 1 if saw_comma and joined and toks[k - 1].text[:1].isupper() else None

    def __call__(self, record: Record) -> Record:
        self._fit_spans(record)
        self._add_rule_mentions(record)
        toks = record.tokens
        starts = self._token_index(record)
        text = record.text
        entities: dict[str, Entity] = {}
        by_key: dict[tuple[str, str], str] = {}

        def tok_range(span: Span) -> tuple[int, int] | None:
            i = starts.get(span.start)
            if i is None:
                return None
            j = i
            while j < len(toks) and toks[j].end <= span.end:
                j += 1
            return i, j

        # Longer names first, so "Wegner" finds "Kai Wegner" wherever the two occur.
        order = sorted(range(len(record.mentions)), key=lambda k: -len(record.mentions[k].text.split()))
        bracketed = self._bracket_pairs(record)
        if bracketed:
            # The outer mention joins the entity of the name in brackets after it, clustered first.
            inner_first = [k for k in order if k in bracketed.values()]
            order = inner_first + [k for k in order if k not in bracketed.values()]
        for k in order:
            m = record.mentions[k]
            rng = tok_range(m.span)
            etype: EntityType = "group" if m.source == "rule:group" else _TYPE[m.label]
            name = _clean_name(m.text, m.label)
            if m.source == "rule" and name.endswith("s") and self.lex.is_institution(name[:-1].split()[-1]):
                name = name[:-1]  # "des Bundesumweltministeriums" -> "Bundesumweltministerium"
            if not name or name.casefold() in self.currencies:
                continue  # "Milliarden Euro", however tagged, names no party to anything
            written = name
            if etype in ("organization", "group", "place"):
                name = self.name_forms.base(name)  # "Europäischen Zentralbank" -> "Europäische Zentralbank"
            inner = bracketed.get(k)
            ent_id = record.mentions[inner].entity if inner is not None else None
            if ent_id is not None and etype != entities[ent_id].type:
                ent_id = None
            if ent_id is not None and m.source != "rule" and len(name) > len(entities[ent_id].name):
                # "Massachusetts Institute of Technology (MIT)": the fuller name leads, the short one is an alias.
                ent = entities[ent_id]
                ent.aliases.append(ent.name)
                ent.name = name
                by_key[(etype, _fold(name))] = ent_id
            if ent_id is None:
                ent_id = self._find(entities, by_key, name, etype)
            if ent_id is None:
                ent_id = f"e{len(entities) + 1}"
                entities[ent_id] = Entity(id=ent_id, name=name, type=etype)
                by_key[(etype, _fold(name))] = ent_id
            ent = entities[ent_id]
            for form in dict.fromkeys((name, written)):
                if form != ent.name and form not in ent.aliases and _fold(form) != _fold(ent.name):
                    ent.aliases.append(form)
            ent.mentions.append(m.span)
            m.entity = ent_id
            if rng is None:
                continue
            first, last = rng[0], rng[1] - 1
            if etype in ("person", "organization"):
                roles, party = self._prefix_roles(record, first) if etype == "person" else ([], None)
                if etype == "organization" and first > 0 and self.lex.is_org_class(toks[first - 1].text):
                    roles = [toks[first - 1].text]
                for r in roles:
                    if r not in ent.roles:
                        ent.roles.append(r)
                if party and not ent.party:
                    ent.party = party
                paren = self._paren_after(record, last)
                if paren is not None:
                    inner = text[toks[paren[0]].start : toks[paren[1] - 1].end]
                    p = self.lex.party_in(inner)
                    if etype == "person" and p:
                        ent.party = ent.party or p
                    elif etype == "organization" and inner not in ent.aliases and inner != ent.name:
                        ent.aliases.append(inner)
                        by_key.setdefault(("organization", _fold(inner)), ent_id)
        self._merge_short_names(record, entities)
        record.entities = dict(
            sorted(entities.items(), key=lambda kv: kv[1].mentions[0].start if kv[1].mentions else 0)
        )
        for ent in record.entities.values():
            ent.mentions.sort()
        return record

    def _merge_short_names(self, record: Record, entities: dict[str, Entity]) -> None:
        """A one-word person name that the article uses after introducing the full name is that person,
        even if a headline used it first ("Xi wird …" before "Chinas Präsident Xi Jinping"). A name used
        again and again before a namesake appears is someone else ("Guttenberg" … "Stephanie zu Guttenberg")."""
        full = [e for e in entities.values() if e.type == "person" and len(e.name.split()) > 1 and e.mentions]
        for short in [e for e in entities.values() if e.type == "person" and len(e.name.split()) == 1]:
            spans = sorted(short.mentions)
            if not spans:
                continue
            forms = {_fold(short.name), _fold(short.name.removesuffix("s"))}
            cands = [f for f in full if _fold(f.name.split()[-1]) in forms] or [
                f for f in full if _fold(f.name.split()[0]) in forms
            ]
            if not cands:
                continue
            # Several namesakes: the bare name means the one named first ("Kornberger" is the president,
            # not his wife named later).
            target = min(cands, key=lambda f: min(f.mentions).start)
            decisive = spans[1] if len(spans) > 1 else spans[0]
            if min(target.mentions).start > decisive.start:
                continue
            target.mentions.extend(short.mentions)
            if short.name not in target.aliases:
                target.aliases.append(short.name)
            target.aliases.extend(a for a in short.aliases if a not in target.aliases)
            target.roles.extend(r for r in short.roles if r not in target.roles)
            target.party = target.party or short.party
            for m in record.mentions:
                if m.entity == short.id:
                    m.entity = target.id
            del entities[short.id]

    def _find(
        self, entities: dict[str, Entity], by_key: dict[tuple[str, str], str], name: str, etype: EntityType
    ) -> str | None:
        """An entity this name is another form of; a surname alone is joined later (_merge_short_names)."""
        key = (etype, _fold(name))
        if key in by_key:
            return by_key[key]
        words = name.split()
        if etype == "person" and len(words) > 1 and name.endswith("s"):
            base = by_key.get((etype, _fold(name[:-1])))
            if base:
                return base  # "Swantje Hartmanns"
        if etype in ("place", "organization") and name.endswith("s") and len(name) > 4:
            base = by_key.get((etype, _fold(name[:-1])))
            if base:
                return base  # genitive: "Berlins" -> "Berlin"
        if etype == "organization" and name.isupper() and 2 <= len(name) <= 6:
            for e in entities.values():
                if e.type == "organization" and _initials(e.name) == name:
                    return e.id
        return None


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-ZÄÖÜ][\w-]*", name))


_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _fold(s: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", s.casefold().translate(_FOLD)).strip()


def _clean_name(text: str, label: str) -> str:
    text = " ".join(text.split())
    return text.strip(" ,;:()\"„“”'")


def antecedent(
    record: Record,
    offset: int,
    *,
    party: str | None = None,
    role_hint: str | None = None,
    within: int = 600,
    exclude: frozenset[str] = frozenset(),
) -> str | None:
    """The person a pronoun or description at `offset` most likely means: among the persons named in
    the last `within` characters (not those in `exclude`), one whose party or role fits the description,
    else the one the article names most often (the one it is about), the nearest on a tie."""
    candidates: dict[str, int] = {}  # entity -> rank of recency (0 = nearest)
    for m in reversed(record.mentions):
        if m.span.start >= offset or m.entity is None or m.entity in exclude:
            continue
        if offset - m.span.end > within:
            break
        ent = record.entities.get(m.entity)
        if ent is None or ent.type != "person":
            continue
        if party and ent.party and ent.party != party:
            continue
        if party and ent.party == party:
            return ent.id
        if role_hint and any(role_hint.lower() in r.lower() for r in ent.roles):
            return ent.id
        candidates.setdefault(ent.id, len(candidates))
    if not candidates:
        return None
    return max(candidates, key=lambda e: (len(record.entities[e].mentions), -candidates[e]))
