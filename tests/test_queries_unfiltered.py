"""The unfiltered view's shortcut (`analytics.queries.of_kept_event`): under the default filters
the queries read the actors, places and sources of every event without joining them to the
kept events. Filters that keep every event all the same go through the join: both must give
the same rows, on the hand-made store and on a store the real pipeline built."""

from __future__ import annotations

import datetime as dt

import pytest

from analytics import queries
from analytics.filters import Filters
from analytics.queries import articles, participation, records
from analytics.store import Store
from dashboard_stores import handmade_store, pipeline_store

# Every event ends after 1900 or is undated (kept): these filters keep them all, by a join.
EVERY_EVENT = Filters(start=dt.date(1900, 1, 1))

QUERIES = [
    (queries.key_figures, {}),
    (articles.articles_for, {}),
    (articles.articles_for, {"limit": 1}),
    (participation.events_per_actor, {"kind": "person"}),
    (participation.events_per_actor, {"kind": "organization"}),
    (participation.actor_themes, {}),
    (participation.participants_per_event, {}),
    (participation.participants_per_event, {"top": 1}),
    (participation.co_participation, {}),
    (participation.delegations_per_country, {}),
    (records.actor_table, {"limit": 2}),
    (records.place_table, {"limit": 2}),
    (records.article_table, {}),
    (records.article_table, {"limit": 1}),
]


@pytest.fixture(scope="module", params=["handmade", "pipeline"])
def store(request, tmp_path_factory):
    path = tmp_path_factory.mktemp(request.param) / "analytics.duckdb"
    if request.param == "handmade":
        handmade_store(path)
    else:
        pipeline_store(path, {"sample-017", "sample-018", "sample-021"})
    with Store.open(path, read_only=True) as opened:
        yield opened


@pytest.mark.parametrize("query, arguments", QUERIES,
                         ids=[f"{q.__name__}{a or ''}" for q, a in QUERIES])
def test_the_unfiltered_shortcut_gives_the_rows_of_filters_that_keep_every_event(
        store, query, arguments):
    assert queries.count_events(store, EVERY_EVENT) == queries.count_events(store, Filters())
    shortcut = query(store, Filters(), **arguments)
    joined = query(store, EVERY_EVENT, **arguments)
    assert not joined.empty
    assert shortcut.astype(str).values.tolist() == joined.astype(str).values.tolist()
