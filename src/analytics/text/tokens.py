"""Tokens of the normalized text, and the clitic-stripped forms used for matching.

Input: normalized text. Output: `Token`s with offsets into it. Arabic attaches conjunctions
(و، ف), prepositions (ب، ل، ك) and the article to the word: "بمنظمة", "وللأمم", "بالقاهرة".
`clitic_forms` lists what a token can stand for once they are taken off; a knowledge lookup tries
them in order, the whole token first, so that a name that begins with one of those letters
("بغداد", "لبنان") still matches as itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_TOKEN_RE = re.compile(r"[^\W_]+")
CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ل", "ك")


@dataclass(frozen=True)
class Token:
    start: int  # offsets into the normalized text
    end: int
    text: str


def tokenize(normalized: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(normalized)]


@lru_cache(maxsize=200_000)
def clitic_forms(token: str) -> tuple[str, ...]:
    """The token and the forms it can stand for without proclitics, most literal first.

    >>> clitic_forms("وللامم")
    ('وللامم', 'للامم', 'الامم', 'لامم')
    >>> clitic_forms("بالقاهره")
    ('بالقاهره', 'القاهره')
    """
    forms = [token]
    stems = [token]
    if len(token) > 3 and token[0] in CONJUNCTIONS:
        stems.append(token[1:])
    for stem in stems:
        if stem is not token and stem not in forms:
            forms.append(stem)
        if len(stem) > 4 and stem.startswith("لل"):
            # "للامم" is ل + الامم; "للقاء" is ل + لقاء: both readings are offered.
            forms.append("ال" + stem[2:])
            forms.append(stem[1:])
        elif len(stem) > 3 and stem[0] in PREPOSITIONS:
            forms.append(stem[1:])
    return tuple(dict.fromkeys(forms))


def strip_article(word: str) -> str:
    """ "القاهره" -> "قاهره": for matching names written with or without the article."""
    return word[2:] if word.startswith("ال") and len(word) > 4 else word
