"""The synthetic corpus (`analytics synth`, analytics.synth): deterministic by seed, readable by
ingest, and realistic enough to benchmark with: the extractor finds events of every type, with
venues and dates, mostly in the Arab world."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections import Counter

import pytest

from analytics.ingest import article_from_record
from analytics.model import EVENT_TYPES
from analytics.pipeline import extract
from analytics.synth import ARAB_COUNTRIES, synth_article, synth_articles


@pytest.fixture(scope="module")
def extracted():
    return [extract(article_from_record(r)) for r in synth_articles(300, seed=11)]


def test_the_same_seed_gives_the_same_articles():
    assert list(synth_articles(20, seed=5)) == list(synth_articles(20, seed=5))


def test_another_seed_gives_other_articles():
    texts = {r["text"] for r in synth_articles(20, seed=5)}
    assert texts.isdisjoint(r["text"] for r in synth_articles(20, seed=6))


def test_an_article_depends_on_its_number_alone():
    """A large corpus can be written in pieces: articles 10..19 are those of the whole."""
    assert list(synth_articles(10, seed=2, start=10)) == list(synth_articles(20, seed=2))[10:]
    assert synth_article(15, seed=2) == list(synth_articles(20, seed=2))[15]


def test_records_are_articles_ingest_reads_with_unique_ids():
    records = list(synth_articles(200, seed=1))
    articles = [article_from_record(r) for r in records]
    assert len({a.id for a in articles}) == 200
    assert all(isinstance(a.published, dt.date) for a in articles)
    assert 350 < sum(len(a.text) for a in articles) / 200 < 900


def test_the_extractor_finds_events_of_every_type(extracted):
    types = Counter(e.type for x in extracted for e in x.events)
    assert set(types) == set(EVENT_TYPES)
    assert types.most_common(1)[0][0] == "meeting"
    assert 1.2 < sum(types.values()) / len(extracted) < 2.5


def test_most_events_have_a_venue_and_a_date_near_publication(extracted):
    events = [(x.article, e) for x in extracted for e in x.events]
    with_venue = [e for _, e in events if e.venue is not None]
    near = [e for a, e in events
            if e.start is not None and abs((e.start - a.published).days) <= 30]
    assert len(with_venue) > 0.8 * len(events)
    assert len(near) > 0.7 * len(events)
    arab = [e for e in with_venue if e.venue.country in ARAB_COUNTRIES]
    assert len(arab) > 0.6 * len(with_venue)


def test_the_command_writes_the_corpus_as_jsonl(tmp_path):
    out = tmp_path / "synth.jsonl"
    done = subprocess.run([sys.executable, "-m", "analytics", "synth", "5", "--seed", "4",
                           "--out", str(out)], check=False, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == list(synth_articles(5, seed=4))
    assert "wrote 5 articles" in done.stderr


def test_a_negative_count_is_refused():
    done = subprocess.run([sys.executable, "-m", "analytics", "synth", "-3"], check=False,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "must be 0 or more" in done.stderr
