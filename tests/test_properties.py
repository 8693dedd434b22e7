"""Properties of the whole extraction pipeline (hypothesis): on any Unicode text and any
publication date it never raises, every offset it gives indexes the text as given, and its
output serializes to the contract's JSON. The extractors' own properties live beside their
specifications (tests/test_dates.py: the date grammar on any text; tests/test_entities.py:
entity offsets); here the events, the windows of long texts and the JSON line are covered.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.extract.windows import windows
from analytics.model import EVENT_TYPES, STATUSES, Article, Extraction
from analytics.output import to_jsonl
from analytics.pipeline import extract

# Words that make events, dates, places and names, so that the soup exercises every extractor
# (random code points alone rarely form a trigger).
NEWS_WORDS = ["عقد", "اجتماعا", "الاجتماع", "قمة", "القمة", "مؤتمر", "المؤتمر", "الدولي",
              "منتدى", "ندوة", "معرض", "زيارة", "إلى", "وقع", "اتفاقية", "أطلق", "حفل", "افتتح",
              "وزير", "الخارجية", "الأمين", "العام", "لمنظمة", "التعاون", "الإسلامي", "الرئيس",
              "محمد", "في", "بالقاهرة", "جدة", "باكو", "إسطنبول", "مقر", "بمقر", "المنظمة",
              "يوم", "يومي", "غدا", "أمس", "الاثنين", "المقبل", "الماضي", "مايو", "أيار", "جوان",
              "رجب", "هـ", "الموافق", "23", "24", "2016", "1437", "٢٣", "31/02/2016", "99",
              "بمشاركة", "3000", "مشارك", "هذا", "على", "هامش", "،", ".", "؟", "\n", "(", ")",
              "«", "»", "\u200f", "\u202e", "\u200b", "\x00", "\u0640", "\u064b", "\ufeff"]
SOUP = st.lists(st.one_of(st.sampled_from(NEWS_WORDS), st.text(max_size=4)),
                max_size=80).map(" ".join)
PUBLISHED = st.one_of(st.none(), st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))


def check(x: Extraction) -> None:
    text = x.article.text
    for m in x.entities:
        assert text[m.start:m.end] == m.text
        assert m.start < m.end
    for d in x.dates:
        assert text[d.start:d.end] == d.text
        assert (d.first is None) == (d.last is None)
        assert d.first is None or d.first <= d.last
    for e in x.events:
        assert e.type in EVENT_TYPES
        assert e.status in (*STATUSES, None)
        assert e.end is None or (e.start is not None and e.start <= e.end)
        assert e.evidence
        for span in (*e.evidence, *([e.trigger] if e.trigger else [])):
            assert 0 <= span.start < span.end <= len(text)
        assert 0.0 <= e.confidence <= 1.0
    line = to_jsonl(x)
    assert "\n" not in line
    assert json.loads(line)["article"]["id"] == x.article.id


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(), PUBLISHED)
def test_any_unicode_text_is_extracted_without_an_exception(text, published):
    check(extract(Article("p", text, published=published)))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SOUP, PUBLISHED)
def test_any_news_word_soup_is_extracted_with_valid_offsets(text, published):
    check(extract(Article("p", text, published=published)))


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("اب جد.؟\n  x")), max_size=300),
       st.integers(1, 60), st.integers(1, 30))
def test_windows_tile_the_text_and_bound_each_sentence_run(text, size, piece):
    spans = windows(text, size=size, piece=piece)
    assert spans[0].start == 0 and spans[-1].end == len(text)
    assert all(a.end == b.start for a, b in itertools.pairwise(spans))
    assert all(s.start < s.end for s in spans) or text == ""
    if len(text) <= size:
        assert len(spans) == 1


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SOUP, min_size=1, max_size=5), st.integers(150, 500), PUBLISHED)
def test_a_text_longer_than_a_window_is_extracted_with_valid_offsets(parts, repeat, published):
    text = "\n".join(parts) * repeat
    text = text if len(text) > 20_000 else text + " وزير" * 5_000
    check(extract(Article("long", text, published=published)))


def test_a_long_text_finds_what_its_windows_find():
    """Windows cut between sentences: a report repeated to 50,000 characters yields its
    entities in every repetition, at the same offsets within each."""
    report = "عقد وزير الخارجية اجتماعا في القاهرة يوم 23 مايو 2016 مع الأمين العام لمنظمة " \
             "التعاون الإسلامي.\n"
    one = extract(Article("one", report))
    many = extract(Article("many", report * (50_000 // len(report) + 1)))
    assert len(many.entities) == len(one.entities) * (50_000 // len(report) + 1)
    assert {(m.start % len(report), m.text) for m in many.entities} == \
        {(m.start, m.text) for m in one.entities}
