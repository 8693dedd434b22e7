"""`Doc`: an article with its normalized text, tokens and sentences, made once and shared by
every extractor (spaCy's Doc, without the model)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from analytics.model import Article, Span
from analytics.text.normalize import NormalizedText, normalize
from analytics.text.sentences import split_sentences
from analytics.text.tokens import Token, tokenize


@dataclass(frozen=True)
class Doc:
    article: Article
    norm: NormalizedText
    tokens: list[Token]
    sentences: list[Span]
    _token_starts: list[int] = field(repr=False)
    _sentence_starts: list[int] = field(repr=False)

    @property
    def text(self) -> str:
        return self.article.text

    def original(self, norm_start: int, norm_end: int) -> tuple[int, int]:
        """Original offsets of a span of the normalized text."""
        return self.norm.to_original(norm_start, norm_end)

    def token_span(self, i: int, j: int) -> tuple[int, int]:
        """Original offsets covering tokens i..j-1."""
        return self.norm.to_original(self.tokens[i].start, self.tokens[j - 1].end)

    def token_at(self, norm_offset: int) -> int:
        """Index of the first token that ends after `norm_offset`."""
        i = bisect.bisect_right(self._token_starts, norm_offset) - 1
        if i >= 0 and self.tokens[i].end > norm_offset:
            return i
        return i + 1

    def sentence_index(self, original_offset: int) -> int:
        """Index of the sentence containing (or nearest before) an original offset."""
        return max(0, bisect.bisect_right(self._sentence_starts, original_offset) - 1)

    def sentence_of(self, original_offset: int) -> Span:
        return self.sentences[self.sentence_index(original_offset)] if self.sentences else Span(0, 0)


def make_doc(article: Article) -> Doc:
    norm = normalize(article.text)
    tokens = tokenize(norm.text)
    sentences = split_sentences(article.text)
    return Doc(article, norm, tokens, sentences,
               [t.start for t in tokens], [s.start for s in sentences])
