"""Test doubles: a dictionary NER so stage tests load no model."""

from __future__ import annotations

import re

from treffpunkt.record import Mention, Record, Span


class DictNer:
    """Tags the given surface forms wherever they occur on token boundaries (longest first); with
    `parts`, also where one ends at a hyphen inside a token ("Japan-Reise"), as the model does."""

    name = "ner"
    requires = ("tokens", "sentences")
    assigns = ("mentions",)

    def __init__(self, names: dict[str, str], *, parts: bool = False):
        self.names = sorted(names.items(), key=lambda kv: -len(kv[0]))
        self.parts = parts

    def __call__(self, record: Record) -> Record:
        text = record.text
        starts = {t.start for t in record.tokens}
        ends = {t.end for t in record.tokens}
        taken: list[Span] = []
        for surface, label in self.names:
            for m in re.finditer(re.escape(surface), text):
                span = Span(m.start(), m.end())
                part = self.parts and m.end() not in ends and text[m.end() : m.end() + 1] == "-"
                if m.start() in starts and (m.end() in ends or part) and not any(span.overlaps(t) for t in taken):
                    taken.append(span)
                    source = "ner-part" if part else "test"
                    record.mentions.append(Mention(span, label, surface, source=source))  # type: ignore[arg-type]
        record.mentions.sort(key=lambda m: m.span.start)
        return record
