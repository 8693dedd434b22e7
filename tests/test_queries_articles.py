"""One article and one event in detail: the queries behind the article view and the timeline's
detail, on the hand-made store (tests/dashboard_stores.py) and on a store the real pipeline
built from the repository's sample articles of the Baku forum (data/sample)."""

from __future__ import annotations

import datetime as dt

import pytest

from analytics.filters import Filters
from analytics.queries import articles
from analytics.store import Store
from dashboard_stores import BAKU_ID, BAKU_TEXT, handmade_store, pipeline_store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = handmade_store(tmp_path_factory.mktemp("articles") / "analytics.duckdb")
    with Store.open(path, read_only=True) as opened:
        yield opened


@pytest.fixture(scope="module")
def baku_forum(tmp_path_factory):
    """The real pipeline's store of the sample's Baku forum articles."""
    path = pipeline_store(tmp_path_factory.mktemp("pipeline") / "analytics.duckdb",
                          {"sample-017", "sample-018", "sample-021"})
    with Store.open(path, read_only=True) as opened:
        yield opened


def baku_event_id(store) -> str:
    (event_id,) = articles.article_events(store, BAKU_ID)["id"]
    return event_id


def test_an_article_is_one_row_with_its_text_and_metadata(store):
    row = articles.article(store, BAKU_ID).iloc[0]
    assert row["text"] == BAKU_TEXT
    assert (row["source"], row["url"]) == ("وكالة الاختبار", "https://example.org/baku")
    assert articles.article(store, "no-such-article").empty


def test_mentions_come_in_text_order_with_offsets_into_the_original_text(store):
    df = articles.article_mentions(store, BAKU_ID)
    assert list(df["kind"]) == ["place", "organization", "organization", "place", "place",
                                "place"]
    for m in df.itertuples(index=False):
        assert BAKU_TEXT[m.start:m.end] == m.text
    assert list(df["start"]) == sorted(df["start"])


def test_evidence_is_one_row_per_span_naming_its_event(store):
    df = articles.article_evidence(store, BAKU_ID)
    assert [(r.start, r.end, r.type) for r in df.itertuples(index=False)] == \
        [(0, BAKU_TEXT.index("\n"), "meeting")]
    assert df["event_id"].iloc[0] == baku_event_id(store)


def test_the_events_of_an_article_are_those_it_reports(store):
    df = articles.article_events(store, "oic-2016-04-21")
    assert sorted(df["type"]) == ["meeting", "summit"]
    assert articles.article_events(store, "no-such-article").empty


def test_dates_are_read_again_from_the_stored_text_against_the_publication_date(store):
    row = articles.article(store, "oic-2016-04-21").iloc[0]
    found = {(d.text, d.first, d.last) for d in articles.article_dates(row)}
    assert ("اليوم", dt.date(2016, 4, 21), dt.date(2016, 4, 21)) in found
    assert any(first == dt.date(2016, 5, 23) and last == dt.date(2016, 5, 24)
               for _, first, last in found)
    for d in articles.article_dates(row):
        assert row["text"][d.start:d.end] == d.text


def test_articles_to_choose_from_are_those_reporting_a_kept_event_newest_first(store):
    assert list(articles.articles_for(store, Filters())["id"]) == [
        "league-2017-03-29", BAKU_ID, "oic-2016-04-21"]
    assert list(articles.articles_for(store, Filters(types=("summit",)))["id"]) == \
        ["oic-2016-04-21"]


def test_the_picker_lists_at_most_limit_newest_articles_and_counts_them_all(store):
    listed = articles.articles_for(store, Filters(), limit=2)
    assert list(listed["id"]) == ["league-2017-03-29", BAKU_ID]
    assert list(listed["total"]) == [3, 3]
    assert list(articles.articles_for(store, Filters(types=("summit",)), limit=2)["total"]) \
        == [1]


@pytest.mark.parametrize("search, ids", [
    ("اجتماع في باكو", [BAKU_ID]),
    ("إجتماع", [BAKU_ID]),                      # hamza on the alef: folded on both sides
    ("للقمه", ["oic-2016-04-21"]),              # teh marbuta written as heh
    ("  SCRIPT  ", [BAKU_ID]),                  # case and surrounding spaces
    ("جامعة الدول العربية", ["league-2017-03-29"]),  # no title: its opening is searched
    ("100%", []),                               # a substring, not a LIKE pattern
    ("القاهرة", ["league-2017-03-29"]),
])
def test_the_picker_finds_articles_by_words_of_their_title(store, search, ids):
    found = articles.articles_for(store, Filters(), search=search)
    assert list(found["id"]) == ids
    assert list(found["total"]) == [len(ids)] * len(ids)


def test_the_pickers_search_stays_within_the_filters(store):
    assert articles.articles_for(store, Filters(types=("summit",)), search="باكو").empty


def test_an_events_detail_has_its_fields_actors_places_about_and_sources(store):
    event_id = baku_event_id(store)
    fields = articles.event(store, event_id).iloc[0]
    assert (fields["type"], fields["venue_en"], fields["status"]) == ("meeting", "Baku", "held")
    assert list(fields["themes"]) == ["intercultural-dialogue"]
    assert list(articles.event_actors(store, event_id)["name_en"]) == [
        "Organisation of Islamic Cooperation", "United Nations", "Azerbaijan", "Egypt"]
    assert list(articles.event_about(store, event_id)["name_en"]) == ["Jerusalem"]
    (source,) = articles.event_sources(store, event_id).itertuples(index=False)
    assert (source.article_id, source.source, source.text) == (BAKU_ID, "وكالة الاختبار",
                                                              BAKU_TEXT)
    assert articles.spans_of(source.evidence) == [(0, BAKU_TEXT.index("\n"))]


def test_an_unknown_event_has_no_detail(store):
    assert articles.event(store, "ev-none").empty
    assert articles.event_sources(store, "ev-none").empty


@pytest.mark.parametrize("evidence, spans", [
    (None, []), ([], []), ([{"start": 3, "end": 9}], [(3, 9)]),
])
def test_stored_evidence_becomes_pairs_of_offsets(evidence, spans):
    assert articles.spans_of(evidence) == spans


def test_the_real_pipelines_baku_forum_is_held_in_baku_with_its_evidence_in_the_text(
        baku_forum):
    listed = articles.articles_for(baku_forum, Filters())
    assert {"sample-017", "sample-018", "sample-021"} <= set(listed["id"])
    events = articles.article_events(baku_forum, "sample-018")
    assert "Baku" in set(events["venue_en"])
    text = articles.article(baku_forum, "sample-018").iloc[0]["text"]
    for span in articles.article_evidence(baku_forum, "sample-018").itertuples(index=False):
        assert 0 <= span.start < span.end <= len(text)
    for m in articles.article_mentions(baku_forum, "sample-018").itertuples(index=False):
        assert text[m.start:m.end] == m.text
    assert "باكو" in set(articles.article_mentions(baku_forum, "sample-018")["name_ar"])
