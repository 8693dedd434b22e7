"""Cross-article resolution (analytics.resolve) as a specification: which article events are one
real event, which stay apart, and what the resolved event says. Events are built by hand; the
store's incremental use of the same functions is in tests/test_corrections.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
from pathlib import Path

import pytest

from analytics.model import Actor, Article, Event, Span, Venue
from analytics.resolve import Resolver, SourceClaim, event_key, evidence, merge, resolve, score
from analytics.store.rows import claim

RIYADH = Venue("الرياض", "Riyadh", "SA", 24.69, 46.72, "geo:108410")
DHAHRAN = Venue("الظهران", "Dhahran", "SA", 26.29, 50.11, "geo:108927")
KUWAIT = Venue("الكويت", "Kuwait", "KW", 29.37, 47.98, "geo:285787")
ISTANBUL = Venue("إسطنبول", "Istanbul", "TR", 41.01, 28.98, "geo:745044")
LEAGUE = Actor("جامعة الدول العربية", "Arab League", "organization", entity_id="org:las")
SALMAN = Actor("سلمان بن عبد العزيز", "Salman bin Abdulaziz", "person")
SABAH = Actor("صباح خالد الحمد الصباح", "Sabah Al-Khalid", "person")
ENVOY = Actor("إسماعيل ولد الشيخ أحمد", "Ismail Ould Cheikh Ahmed", "person")
DAY = dt.date


def ev(type_: str, start: dt.date | None, venue: Venue | None, *actors: Actor,
       name: str | None = None, status: str | None = "held", end: dt.date | None = None,
       participants: int | None = None) -> Event:
    return Event(type_, name, start, end, status, venue, participants, tuple(actors), (),
                 (Span(0, 10),), 0.8, Span(0, 4))


def keyed(article: str, published: dt.date, event: Event, n: int = 0):
    return event_key(f"{article}#{n}", article, published, event)


# (case, first article's event, second article's event, same event?)
CASES = [
    ("announcement, then the report of the summit",
     ev("summit", DAY(2018, 4, 15), DHAHRAN, LEAGUE, SALMAN, name="القمة العربية التاسعة",
        status="planned"),
     ev("summit", DAY(2018, 4, 15), DHAHRAN, LEAGUE, name="القمة العربية التاسعة"), True),
    ("two outlets on the same day, one without the venue",
     ev("conference", DAY(2016, 2, 4), None, LEAGUE, name="مؤتمر دعم سوريا والمنطقة"),
     ev("conference", DAY(2016, 2, 4), KUWAIT, name="مؤتمر دعم سوريا والمنطقة"), True),
    ("a summit called a session of the summit by another outlet",
     ev("summit", DAY(2017, 3, 29), RIYADH, LEAGUE, SALMAN),
     ev("session", DAY(2017, 3, 29), RIYADH, LEAGUE, SALMAN), True),
    ("the same two people meeting again ten days later",
     ev("meeting", DAY(2016, 5, 9), KUWAIT, SABAH, ENVOY),
     ev("meeting", DAY(2016, 5, 19), KUWAIT, SABAH, ENVOY), False),
    ("the same people a week apart",
     ev("meeting", DAY(2016, 5, 9), KUWAIT, SABAH, ENVOY),
     ev("meeting", DAY(2016, 5, 16), KUWAIT, SABAH, ENVOY), False),
    ("two meetings in one capital on one day with different people",
     ev("meeting", DAY(2017, 5, 20), RIYADH, SALMAN),
     ev("meeting", DAY(2017, 5, 20), RIYADH, ENVOY), False),
    ("an exhibition and a meeting at one place and day",
     ev("exhibition", DAY(2016, 4, 25), ISTANBUL, LEAGUE),
     ev("meeting", DAY(2016, 4, 25), ISTANBUL, LEAGUE), False),
    ("the same name in another country on another day",
     ev("summit", DAY(2016, 5, 23), ISTANBUL, name="القمة العالمية للعمل الإنساني"),
     ev("summit", DAY(2016, 6, 23), KUWAIT, name="القمة العالمية للعمل الإنساني"), False),
]


@pytest.mark.parametrize("case, first, second, same", CASES, ids=[c[0] for c in CASES])
def test_articles_events_join_when_they_are_the_same_real_event(case, first, second, same):
    keys = [keyed("a1", DAY(2018, 1, 1), first), keyed("a2", DAY(2018, 1, 2), second)]
    clusters = resolve(keys)
    assert (clusters["a1#0"] == clusters["a2#0"]) is same


def test_an_undated_report_joins_the_dated_event_published_around_it():
    dated = keyed("a1", DAY(2017, 5, 20), ev("summit", DAY(2017, 5, 21), RIYADH, SALMAN,
                                            name="القمة العربية الإسلامية الأمريكية"))
    undated = keyed("a2", DAY(2017, 5, 22), ev("summit", None, RIYADH, SALMAN,
                                              name="القمة العربية الإسلامية الأمريكية"))
    late = keyed("a3", DAY(2017, 6, 30), ev("summit", None, RIYADH, SALMAN,
                                           name="القمة العربية الإسلامية الأمريكية"))
    clusters = resolve([dated, undated, late])
    assert clusters["a2#0"] == clusters["a1#0"] != clusters["a3#0"]


def test_a_body_meeting_every_day_does_not_chain_into_one_event_of_months():
    # Each day's sitting scores with the day before (same speaker, same hall, a day apart);
    # the cluster may not grow past a week of disagreeing days.
    days = [DAY(2017, 1, 1) + dt.timedelta(days=n) for n in range(60)]
    keys = [keyed(f"a{n}", day, ev("session", day, KUWAIT, SABAH)) for n, day in enumerate(days)]
    clusters = resolve(keys)
    members: dict[str, list[dt.date]] = {}
    for key, day in zip(keys, days):
        members.setdefault(clusters[key.id], []).append(day)
    assert len(members) >= 60 // 8
    assert all((max(d) - min(d)).days <= 7 for d in members.values())


def test_a_long_event_keeps_reports_dated_on_any_of_its_days():
    week = ev("exhibition", DAY(2016, 4, 20), ISTANBUL, LEAGUE, end=DAY(2016, 5, 10),
              name="معرض القدس في الذاكرة")
    keys = [keyed("a0", DAY(2016, 4, 19), week)] + [
        keyed(f"a{n}", DAY(2016, 4, 20 + n), ev("exhibition", DAY(2016, 4, 20 + n), ISTANBUL,
                                                 LEAGUE, name="معرض القدس في الذاكرة"))
        for n in range(1, 11, 3)]
    assert len(set(resolve(keys).values())) == 1


def test_an_event_read_as_lasting_years_does_not_absorb_the_events_within_them():
    # A five-year plan read as one event, then the same body meeting daily in its first month:
    # each meeting lies within the plan's days, but the plan is no meeting of that day.
    plan = keyed("a0", DAY(2016, 1, 1), ev("session", DAY(2016, 1, 1), KUWAIT, SABAH,
                                          end=DAY(2020, 12, 31)))
    days = [DAY(2016, 1, 1) + dt.timedelta(days=n) for n in range(30)]
    sittings = [keyed(f"a{n + 1}", day, ev("session", day, KUWAIT, SABAH))
                for n, day in enumerate(days)]
    clusters = resolve([plan, *sittings])
    assert [k.id for k in sittings if clusters[k.id] == clusters[plan.id]] == []


def test_two_events_of_one_article_never_join():
    a = keyed("a1", DAY(2016, 12, 6), ev("summit", DAY(2016, 12, 6), RIYADH, SALMAN), 0)
    b = keyed("a1", DAY(2016, 12, 6), ev("summit", DAY(2016, 12, 6), RIYADH, SALMAN), 1)
    clusters = resolve([a, b])
    assert clusters["a1#0"] != clusters["a1#1"]


def test_a_new_cluster_is_named_after_its_first_event_and_keeps_it():
    first = keyed("a1", DAY(2018, 4, 14), ev("summit", DAY(2018, 4, 15), DHAHRAN, LEAGUE))
    later = keyed("a2", DAY(2018, 4, 16), ev("summit", DAY(2018, 4, 15), DHAHRAN, LEAGUE))
    assert resolve([first, later]) == {"a1#0": "a1#0", "a2#0": "a1#0"}


def test_candidates_are_only_clusters_of_the_same_family_within_days():
    resolver = Resolver()
    for n in range(2000):  # a busy store: an event every day for five years, of two families
        day = DAY(2015, 1, 1) + dt.timedelta(days=n % 1800)
        kind = "meeting" if n % 2 else "exhibition"
        resolver.assign(keyed(f"x{n}", day, ev(kind, day, RIYADH)))
    probe = keyed("new", DAY(2016, 6, 1), ev("summit", DAY(2016, 6, 1), KUWAIT))
    candidates = resolver.candidates(probe)
    assert 0 < len(candidates) <= 10
    assert all(c.types <= {"meeting"} for c in candidates)


def source(article: str, published: dt.date, event: Event) -> SourceClaim:
    return SourceClaim(f"{article}#0", article, published, claim(event))


def test_a_key_can_join_only_a_cluster_it_shares_a_name_word_participant_or_venue_with():
    # The store looks up only the stored clusters sharing a piece of `evidence` with a new
    # event: every pair `score` accepts must share one. All events of CASES on one day.
    events = [e for _, first, second, _ in CASES for e in (first, second)]
    keys = [keyed(f"art{i}", DAY(2016, 5, 9),
                  dataclasses.replace(e, start=DAY(2016, 5, 9), end=None))
            for i, e in enumerate(events)]
    accepted = 0
    for a, b in itertools.permutations(keys, 2):
        cluster = Resolver().load(b.id, [b])
        if score(a, cluster) is not None:
            accepted += 1
            assert evidence(a) & evidence(b), (a, b)
    assert accepted >= 5


def test_evidence_is_the_name_its_distinctive_words_participants_and_a_venue_finer_than_a_country():
    summit = keyed("a", DAY(2016, 2, 4),
                   ev("conference", DAY(2016, 2, 4), KUWAIT, LEAGUE, name="مؤتمر دعم سوريا"))
    found = evidence(summit)
    assert {e[:2] for e in found} == {"n:", "w:", "a:", "v:"}
    assert "w:سوريا" in found
    in_a_country = keyed("b", DAY(2016, 2, 4), ev("meeting", DAY(2016, 2, 4),
                                                  Venue("مصر", "Egypt", "EG", 26.0, 30.0,
                                                        "iso:EG")))
    assert evidence(in_a_country) == frozenset()


def test_a_planned_event_reported_held_takes_the_reports_facts_and_shows_the_conflict():
    announced = source("a1", DAY(2018, 3, 1),
                       ev("summit", DAY(2018, 3, 25), RIYADH, LEAGUE, status="planned",
                          name="القمة العربية التاسعة", participants=20))
    reported = source("a2", DAY(2018, 4, 16),
                      ev("summit", DAY(2018, 4, 15), DHAHRAN, SALMAN,
                         name="القمة العربية التاسعة"))
    fields = merge([announced, reported])
    assert (fields["status"], fields["start"], fields["venue"]["name_ar"]) == (
        "held", "2018-04-15", "الظهران")
    assert fields["participants"] == 20  # only the announcement gives it
    assert [a["name_ar"] for a in fields["actors"]] == [SALMAN.name_ar, LEAGUE.name_ar]
    assert fields["conflicts"] == ["start", "venue"]
    assert fields["lead"] == "a2#0"


def test_sources_that_agree_have_no_conflict():
    one = source("a1", DAY(2016, 2, 4), ev("conference", DAY(2016, 2, 4), KUWAIT))
    two = source("a2", DAY(2016, 2, 4), ev("conference", DAY(2016, 2, 4), KUWAIT, LEAGUE))
    assert merge([one, two])["conflicts"] == []


# -- the sample corpus, through the real pipeline and store ------------------------------------

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    from analytics.ingest import read_articles
    from analytics.pipeline import extract
    from analytics.store import Store

    articles = sorted((a for a in read_articles([str(SAMPLE / "articles.jsonl")])
                       if isinstance(a, Article)), key=lambda a: (a.published, a.id))
    path = tmp_path_factory.mktemp("sample") / "analytics.duckdb"
    with Store.open(path) as store:
        store.ingest(extract(a) for a in articles)
        yield store


def reported_together(store, *article_ids: str) -> list[dict]:
    return [e for e in store.events(article_ids=[article_ids[0]])
            if set(article_ids) <= {s["article_id"] for s in e["sources"]}]


def test_two_outlets_on_the_same_day_report_one_summit(sample_store):
    (summit,) = [e for e in reported_together(sample_store, "sample-026", "sample-027")
                 if e["type"] == "summit"]
    assert summit["name"] == "القمة العالمية للعمل الإنساني"


def test_the_announced_summit_and_its_reports_are_one_held_event(sample_store):
    (summit,) = reported_together(sample_store, "sample-082", "sample-084")
    assert (summit["status"], summit["venue"]["name_en"]) == ("held", "Dhahran")
    claims = {s["article_id"]: s["claim"]["status"] for s in summit["sources"]}
    assert claims["sample-082"] == "planned"  # the announcement's own claim is kept


def test_the_two_kuwait_meetings_ten_days_apart_stay_apart(sample_store):
    meetings = [e for e in sample_store.events(article_ids=["sample-022", "sample-023"])
                if e["type"] == "meeting"]
    assert {e["start"] for e in meetings} >= {"2016-05-09", "2016-05-19"}
    assert reported_together(sample_store, "sample-022", "sample-023") == []


def test_the_sample_gold_clusters_are_mostly_joined_and_never_wrongly_merged(sample_store):
    gold = [json.loads(line) for line in
            (Path(__file__).parent / "gold" / "clusters" / "sample.jsonl").read_text(encoding="utf-8").splitlines()]
    same, scored = set(), set()
    for g in gold:
        same.update(itertools.combinations(sorted(g["articles"]), 2))
        scored.update(g["articles"])
    also = {tuple(sorted((a, b))) for g in gold for a in g["also"]
            for b in g["articles"] + g["also"] if a != b}
    joined = set()
    for e in sample_store.events():
        ids = sorted({s["article_id"] for s in e["sources"]} & scored)
        joined.update(itertools.combinations(ids, 2))
    different = set(itertools.combinations(sorted(scored), 2)) - same - also
    assert len(same & joined) / len(same) >= 0.7  # 41 of 54 pairs when written
    assert different & joined == set()


def test_the_store_resolves_batch_by_batch_as_one_resolver_does_all_at_once(tmp_path):
    # The store keeps no resolver between batches: each batch loads the stored clusters its
    # events can join (those sharing evidence on their days). The events are grouped as one
    # in-memory resolver, fed every event in the same order, groups them.
    from analytics.ingest import read_articles
    from analytics.pipeline import extract
    from analytics.store import Store
    from analytics.store.rows import Rows

    articles = sorted((a for a in read_articles([str(SAMPLE / "articles.jsonl")])
                       if isinstance(a, Article)), key=lambda a: (a.published, a.id))
    extractions = [extract(a) for a in articles]
    rows = Rows()
    for x in extractions:
        rows.add(x, dt.datetime(2026, 1, 1))
    in_memory = resolve(rows.keys)
    with Store.open(tmp_path / "analytics.duckdb") as store:
        store.ingest(iter(extractions), batch_size=5)
        stored = dict(store.query("SELECT id, cluster_id FROM article_events")
                      .itertuples(index=False, name=None))

    def groups(assigned: dict[str, str]) -> set[frozenset[str]]:
        by_cluster: dict[str, set[str]] = {}
        for event_id, cluster in assigned.items():
            by_cluster.setdefault(cluster, set()).add(event_id)
        return {frozenset(g) for g in by_cluster.values()}

    assert len(in_memory) > 200
    assert groups(stored) == groups(in_memory)
    assert any(len(g) > 1 for g in groups(stored))
