"""Stores for the dashboard's tests: a hand-made one whose every figure is known, and one built
by the real pipeline from a few articles of the repository's own sample (data/sample).

`handmade_store` holds test_queries.py's two articles (four events) and a third article, a
meeting in Baku with two organizations and two countries taking part, with its mentions: enough
for co-participation, delegations and the article view to have something exact to show.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from analytics.ingest.records import article_from_record
from analytics.model import Actor, Article, Event, Extraction, Mention, Span, Venue
from analytics.pipeline import extract
from analytics.store import Store
from test_queries import sample_extractions

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "articles.jsonl"

BAKU_TEXT = ("باكو - شاركت منظمة التعاون الإسلامي والأمم المتحدة وأذربيجان ومصر في اجتماع "
             "بشأن القدس يوم 25 أبريل 2016.\nوقال المتحدث إن الاجتماع ناقش الحوار بين الثقافات.")
BAKU_ID = "baku-2016-04-25"
# A title an attacker wrote: a script tag and a Markdown image that would fetch from outside.
BAKU_TITLE = "اجتماع في باكو <script>x()</script> ![p](https://evil.example/p.png)"


def at(text: str, surface: str) -> Span:
    start = text.index(surface)
    return Span(start, start + len(surface))


def mention(text: str, surface: str, kind: str, name_en: str, **kw) -> Mention:
    span = at(text, surface)
    return Mention(span.start, span.end, surface, kind, surface, name_en, source="test", **kw)


def baku_extraction() -> Extraction:
    text = BAKU_TEXT
    first_sentence = Span(0, text.index("\n"))
    entities = (
        mention(text, "باكو", "place", "Baku", entity_id="geo:587084", country="AZ",
                lat=40.38, lon=49.89),
        mention(text, "منظمة التعاون الإسلامي", "organization",
                "Organisation of Islamic Cooperation", entity_id="org:oic"),
        mention(text, "الأمم المتحدة", "organization", "United Nations", entity_id="org:un"),
        mention(text, "أذربيجان", "place", "Azerbaijan", entity_id="iso:AZ", country="AZ"),
        mention(text, "مصر", "place", "Egypt", entity_id="iso:EG", country="EG"),
        mention(text, "القدس", "place", "Jerusalem", entity_id="geo:281184"),
    )
    meeting = Event(
        type="meeting", name=None, start=dt.date(2016, 4, 25), end=None, status="held",
        venue=Venue("باكو", "Baku", "AZ", 40.38, 49.89, "geo:587084"), participants=None,
        actors=(Actor("منظمة التعاون الإسلامي", "Organisation of Islamic Cooperation",
                      "organization", entity_id="org:oic"),
                Actor("الأمم المتحدة", "United Nations", "organization", entity_id="org:un"),
                Actor("أذربيجان", "Azerbaijan", "place", entity_id="iso:AZ"),
                Actor("مصر", "Egypt", "place", entity_id="iso:EG")),
        themes=("intercultural-dialogue",), evidence=(first_sentence,), confidence=0.9,
        trigger=at(text, "اجتماع"),
        about=(Venue("القدس", "Jerusalem", None, 31.77, 35.23, "geo:281184"),), source="test")
    article = Article(id=BAKU_ID, text=text, title=BAKU_TITLE,
                      published=dt.date(2016, 4, 25), source="وكالة الاختبار",
                      url="https://example.org/baku")
    return Extraction(article=article, events=(meeting,), entities=entities)


def handmade_extractions() -> list[Extraction]:
    return [*sample_extractions(), baku_extraction()]


def handmade_store(path: Path) -> Path:
    with Store.open(path) as store:
        store.ingest(handmade_extractions())
    return path


def sample_articles(ids: set[str]) -> list[Article]:
    """Articles of data/sample/articles.jsonl by id, as the ingest stage makes them."""
    with SAMPLE.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    return [article_from_record(r) for r in records if r["id"] in ids]


def pipeline_store(path: Path, ids: set[str]) -> Path:
    """A store of the real pipeline's extractions of the sample articles `ids`."""
    with Store.open(path) as store:
        store.ingest(extract(a) for a in sample_articles(ids))
    return path


def baku_event_id(path: Path) -> str:
    """The id the store gave the Baku meeting (ids are hashes: looked up, not written down)."""
    with Store.open(path, read_only=True) as store:
        (event_id,) = store.query("SELECT event_id FROM event_sources WHERE article_id = ?",
                                  [BAKU_ID])["event_id"]
    return event_id
