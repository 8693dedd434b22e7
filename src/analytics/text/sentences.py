"""Sentence boundaries in the original text.

Agency copy runs long sentences together with commas and "و"; we split only where a reader
would: a full stop, question or exclamation mark, Arabic semicolon, or a line break. Decimal
points ("3.5") and abbreviations with a dot followed by a digit do not split.
"""

from __future__ import annotations

import re

from analytics.model import Span

# ".." is agency style for "moreover", not a full stop; a one-letter word before a dot is an
# abbreviation ("د." = Dr); closing quotes and brackets after the stop belong to the sentence.
# (The dot comes first and the looks behind after it, so that the search skips to the next
# stop instead of trying the looks at every character: twice as fast.)
_BOUNDARY_RE = re.compile(
    r"(?:(?:\.(?<!\.\.)(?<!\s\w\.)(?<!^\w\.)(?!\.)|[!?؟؛]+)[\"'»”)\]]*(?=\s|$)|\n+)")


def split_sentences(text: str) -> list[Span]:
    spans: list[Span] = []
    pos = 0
    for m in _BOUNDARY_RE.finditer(text):
        _append(spans, text, pos, m.end())
        pos = m.end()
    _append(spans, text, pos, len(text))
    return spans


def _append(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start, end))
