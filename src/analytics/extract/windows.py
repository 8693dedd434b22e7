"""Bounded work for texts far longer than any news article: text -> windows to extract apart.

Input: an article's original text. Output: `Span`s that tile it, in order, each at most
`WINDOW_CHARS` long, cut between sentences; a run of more than `PIECE_CHARS` characters with no
sentence boundary (a megabyte on one line without punctuation) is cut at the last space
before each `PIECE_CHARS` (hard, when there is no space), and each piece is a window of its own
so that the extractors never see one sentence longer than that.

Why: several steps relate every event to every mention of its sentence or article (the
nearest trigger of a date, the actors of a sentence), which is quadratic in the length of a
sentence or of the article. That is nothing for agency copy (the longest of 10,000 real
articles has under 10,000 characters, so windows change nothing for them) but hours for a
10 MB dump. Extracting windows of bounded size apart keeps the total time linear.
"""

from __future__ import annotations

from analytics.model import Span
from analytics.text.sentences import split_sentences

# Longer than any real article (the longest of the ANT corpus has 9,851 characters), so that
# windowing never changes what is read from one.
WINDOW_CHARS = 20_000
# Longer than any real sentence (agency sentences run to about 1,000 characters).
PIECE_CHARS = 3_000


def windows(text: str, size: int = WINDOW_CHARS, piece: int = PIECE_CHARS) -> list[Span]:
    """Spans tiling `text` (no character left out, none twice), each holding at most `size`
    characters of sentences (plus the spaces between them); a text of at most `size`
    characters is one window."""
    if len(text) <= size:
        return [Span(0, len(text))]
    out: list[Span] = []
    start = 0      # where the window being filled begins
    end = 0        # where its last whole sentence ends
    for sent in split_sentences(text):
        if sent.end - sent.start > piece:
            # Close the window so far, then the long run goes in pieces of its own.
            if sent.start > start:
                out.append(Span(start, sent.start))
            out.extend(_pieces(text, sent.start, sent.end, piece))
            start = end = sent.end
            continue
        if sent.end - start > size and end > start:
            out.append(Span(start, end))
            start = end
        end = sent.end
    if len(text) > start:
        if out and not text[start:].strip():
            out[-1] = Span(out[-1].start, len(text))   # trailing spaces join the last window
        else:
            out.append(Span(start, len(text)))
    return out


def _pieces(text: str, start: int, end: int, piece: int) -> list[Span]:
    out = []
    while end - start > piece:
        cut = text.rfind(" ", start + 1, start + piece)
        if cut <= start:
            cut = start + piece          # no space: a hard cut
        out.append(Span(start, cut))
        start = cut
    out.append(Span(start, end))
    return out
