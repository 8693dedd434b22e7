"""Normalization for matching, with a map back to the original text.

Input: an article's original text. Output: `NormalizedText`, whose `.text` is the matching key
(camel-tools' alef, alef maksura, teh marbuta, dediacritization, tatweel and NFKC normalizations;
bidi controls, zero-width characters and NULs removed; Eastern Arabic digits as ASCII) and whose
`.to_original(i, j)` turns a span of it back into offsets of the original.

camel-tools' normalizers are `str -> str` and change the string's length without saying where.
They act character by character, so we run them once over every character that can change and
keep the result as a table: the text is then normalized in one pass and each output character
remembers the input character it came from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
    normalize_unicode,
)

# Invisible characters that carry no letters: bidi embeddings/overrides/isolates and marks,
# zero-width space/joiners, word joiner, BOM, NUL and soft hyphen.
INVISIBLE = (
    "\u0000\u00ad\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2066\u2067\u2068\u2069\ufeff"
)
TATWEEL = "\u0640"
_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_DIGITS = {**{chr(0x0660 + d): str(d) for d in range(10)}, **{chr(0x06F0 + d): str(d) for d in range(10)}}


def _camel_normalize(s: str) -> str:
    s = normalize_unicode(s)
    s = dediac_ar(s)
    s = normalize_alef_ar(s)
    s = normalize_alef_maksura_ar(s)
    s = normalize_teh_marbuta_ar(s)
    return s.replace(TATWEEL, "")


@lru_cache(maxsize=1)
def char_table() -> dict[str, str]:
    """Every character whose matching form differs from itself, and that form."""
    table: dict[str, str] = {}
    ranges = [(0x0600, 0x0700), (0x0750, 0x0780), (0x08A0, 0x0900), (0xFB50, 0xFE00), (0xFE70, 0xFF00)]
    for lo, hi in ranges:
        for cp in range(lo, hi):
            ch = chr(cp)
            if unicodedata.category(ch) == "Cn":
                continue
            out = _camel_normalize(ch)
            if out != ch:
                table[ch] = out
    table.update(_DIGITS)
    table.update({c: "" for c in INVISIBLE})
    table.update({c: " " for c in _SPACES})
    return table


@lru_cache(maxsize=1)
def _translation() -> dict[int, str]:
    return {ord(k): v for k, v in char_table().items()}


@lru_cache(maxsize=1)
def _resizing_re() -> re.Pattern[str]:
    """Characters whose form is not exactly one character long: only they move offsets."""
    resizing = [c for c, v in char_table().items() if len(v) != 1]
    return re.compile("[" + re.escape("".join(resizing)) + "]")


@dataclass(frozen=True)
class NormalizedText:
    original: str
    text: str
    # index in `text` -> index in `original`; None when the two are aligned one to one.
    _origin: tuple[int, ...] | None

    def origin(self, i: int) -> int:
        """The original index of normalized character i (i may be len(text))."""
        if self._origin is None:
            return i
        if i >= len(self.text):
            return len(self.original)
        return self._origin[i]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the normalized span [start, end)."""
        if start >= end:
            o = self.origin(start)
            return o, o
        o_start = self.origin(start)
        o_end = self.origin(end - 1) + 1
        # A dropped diacritic or tatweel right after the span belongs to its last letter.
        n = len(self.original)
        while o_end < n and _is_mark(self.original[o_end]):
            o_end += 1
        return o_start, o_end


def _is_mark(ch: str) -> bool:
    return ch == TATWEEL or unicodedata.category(ch) == "Mn"


# A letter followed by a combining hamza or madda (U+0653-U+0655) is a decomposed "أ", "ؤ",
# "ئ", "آ": composed first (NFC), then normalized like the composed letter.
# Vowel marks may stand between the letter and the hamza (NFD orders fatha before hamza).
_DECOMPOSED_RE = re.compile("[\u0621-\u064a][\u064b-\u0652]*[\u0653-\u0655][\u064b-\u0655]*")


@lru_cache(maxsize=1)
def _special_re() -> re.Pattern[str]:
    return re.compile(_DECOMPOSED_RE.pattern + "|" + _resizing_re().pattern)


def normalize(original: str) -> NormalizedText:
    """Matching form of `original`, with the offset map back to it."""
    text = original.translate(_translation())
    if len(text) == len(original) and not _special_re().search(original):
        return NormalizedText(original, text, None)
    translation = _translation()
    pieces: list[str] = []
    origin: list[int] = []
    pos = 0
    for m in _special_re().finditer(original):
        i = m.start()
        pieces.append(original[pos:i].translate(translation))
        origin.extend(range(pos, i))
        out = unicodedata.normalize("NFC", m.group()).translate(translation)
        pieces.append(out)
        origin.extend([i] * len(out))
        pos = m.end()
    pieces.append(original[pos:].translate(translation))
    origin.extend(range(pos, len(original)))
    text = "".join(pieces)
    # Only the characters matched above change length; the others map one to one.
    assert len(origin) == len(text), "normalization table is inconsistent"
    return NormalizedText(original, text, tuple(origin))


def normalize_key(s: str) -> str:
    """The matching form of a name or pattern (knowledge entries, triggers): normalized,
    whitespace folded."""
    return " ".join(s.translate(_translation()).split())
