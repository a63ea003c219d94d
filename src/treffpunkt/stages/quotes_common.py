"""Words, limits and small types the quote stage's parts share."""

from __future__ import annotations

from dataclasses import dataclass

from ..record import Token
from .quotes_speaker import SpeakerRef

_MARKS = set('„“”»«‚‘"')
_END = {".", "!", "?", "…"}
_CONJ_DROP = {"dass", "daß"}  # left out of the quote text
_CONJ_KEEP = {"ob", "wie", "warum", "weshalb", "wieso", "wann", "wo", "wer", "was", "welche", "welcher", "inwieweit"}
_FIRST_PERSON = frozenset(
    "ich wir mir mich uns unser unsere unserer unseren unserem meine mein meiner meinen meinem".split()
)
_SO = "so"
# endings of adjectives, which a clause-final "-e" word must not have to pass as a verb
_ADJECTIVE_ENDINGS = ("ische", "liche", "ige", "ale", "ive", "ene", "bare", "same", "lose", "ende", "ante", "ente")
# Konjunktiv II forms that report speech even without a reporting clause, right after a quote
_FREE_KII = {"würde", "würden", "hätte", "hätten"}
# lowercase words that may stand inside a multi-word name ("Departement Information und Presse")
_NAME_LINKS = frozenset(
    "und für der die das des von vom im in am an zu zur zum mit of the and for de la le du del y e".split()
)
# lowercase words after a comma that do not open an inverted reporting clause
_NOT_INVERTING = frozenset(
    "dass weil wenn obwohl damit nachdem bevor sondern aber denn doch oder und als seit bis trotzdem "
    "dennoch jedoch deshalb darunter gegen unter nach zwischen zuletzt zunächst erst meist etwa heißt "
    # auxiliaries and modals: "…, hatte Cameron die gleiche Antwort gegeben"
    "hatte hatten haben war waren wurde wurden werden konnte konnten sollte sollten musste mussten "
    "wollte wollten durfte sind wird kann soll muss will".split()
)
_MODALS = frozenset(
    "sollen sollten wollen wollten können konnten könnten müssen mussten müssten werden würden dürfen "
    "dürften lassen zu".split()
)
# A cue-less quote continues the last speaker only this close behind it.
_CONTINUE_SENTENCES = 3
# Zipf frequency from which a word form counts as one that exists
_COMMON = 2


@dataclass(slots=True)
class _Last:
    """The last quote's speaker, for quotes that go on without a reporting clause."""

    entities: tuple[str, ...]
    ref: SpeakerRef | None
    sentence: int


def _is_word(tok: Token) -> bool:
    return any(c.isalnum() for c in tok.text)
