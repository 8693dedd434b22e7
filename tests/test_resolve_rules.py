"""Cross-article resolution, the rules that come from reading the missed and wrongly merged
pairs of tests/gold/clusters: what a country as the venue, outlets quoted as sources, spelling
variants, two names of one event, an undated report and bridging do. Events are built by hand;
the last test runs bridging through a real store on a DuckDB file."""

from __future__ import annotations

import pytest

from analytics.model import Actor, Venue
from analytics.resolve import resolve
from analytics.store import Store
from test_corrections import article
from test_resolve import DAY, ev, keyed

TUNISIA = Venue("تونس", "Tunisia", "TN", 34.0, 9.0, "iso:TN")
TUNIS = Venue("تونس", "Tunis", "TN", 36.82, 10.17, "geo:2464470")
SOUSSE = Venue("سوسة", "Sousse", "TN", 35.83, 10.64, "geo:2464915")
GERMANY = Venue("ألمانيا", "Germany", "DE", 51.0, 9.0, "iso:DE")
BERLIN = Venue("برلين", "Berlin", "DE", 52.52, 13.4, "geo:2950159")
DEAD_SEA = Venue("البحر الميت", "Dead Sea", "JO", 31.5, 35.5, "ovr:dead-sea")
JORDAN = Venue("الأردن", "Jordan", "JO", 31.0, 36.0, "iso:JO")
CHAHED = Actor("يوسف الشاهد", "Youssef Chahed", "person")
MERKEL = Actor("أنجيلا ميركل", None, "person")
MERKEL_G = Actor("أنغيلا ميركل", None, "person")
ESSEBSI = Actor("الباجي قائد السبسي", None, "person")
ESSEBSI_Y = Actor("الباجي قايد السبسي", None, "person")
JHINAOUI = Actor("خميس الجهيناوي", None, "person")
MINISTER = Actor("زياد العذاري", None, "person")
UGTT = Actor("الاتحاد العام التونسي للشغل", None, "organization", entity_id="org:ugtt")
ABBASSI = Actor("حسين العباسي", None, "person")
TABOUBI = Actor("نور الدين الطبوبي", None, "person")
TAP = Actor("وكالة تونس إفريقيا للأنباء", None, "organization", entity_id="org:tap")


NEXT_DAYS = (DAY(2017, 1, 1), DAY(2017, 1, 2))


def joined(first, second, published=NEXT_DAYS) -> bool:
    clusters = resolve([keyed("a1", published[0], first), keyed("a2", published[1], second)])
    return clusters["a1#0"] == clusters["a2#0"]


# (case, first article's event, second article's event, same event?)
CASES = [
    ("two unrelated visits 'in Tunisia' on one day, one naming nobody",
     ev("visit", DAY(2017, 2, 14), TUNISIA, JHINAOUI, status="planned"),
     ev("visit", DAY(2017, 2, 14), TUNISIA), False),
    ("two unrelated meetings 'in Tunisia' on one day, one naming nobody",
     ev("meeting", DAY(2016, 12, 15), TUNISIA, JHINAOUI),
     ev("meeting", DAY(2016, 12, 15), TUNISIA), False),
    ("a country's name is also its capital's: the country does not stand for the city",
     ev("meeting", DAY(2016, 12, 15), TUNISIA),
     ev("meeting", DAY(2016, 12, 15), TUNIS), False),
    ("a visit to a city and another there on one day, one naming nobody",
     ev("visit", DAY(2017, 5, 18), SOUSSE, TAP),
     ev("visit", DAY(2017, 5, 18), SOUSSE), False),
    ("the visit announced in the country and reported in its capital, by the same man",
     ev("visit", DAY(2017, 2, 14), GERMANY, CHAHED, MERKEL, status="planned"),
     ev("visit", DAY(2017, 2, 14), BERLIN, CHAHED), True),
    ("a visit to one country and a visit to another by the same man",
     ev("visit", DAY(2017, 2, 14), GERMANY, CHAHED),
     ev("visit", DAY(2017, 2, 14), TUNISIA, CHAHED), False),
    ("a name spelled two ways: قائد and قايد",
     ev("meeting", DAY(2016, 10, 16), TUNIS, ESSEBSI),
     ev("meeting", DAY(2016, 10, 16), TUNIS, ESSEBSI_Y), True),
    ("a foreign name spelled two ways: أنجيلا and أنغيلا",
     ev("meeting", DAY(2017, 3, 17), BERLIN, MERKEL, status="planned"),
     ev("meeting", DAY(2017, 3, 17), BERLIN, MERKEL_G), True),
    ("the news agency both outlets quote is not a shared participant",
     ev("meeting", DAY(2016, 11, 30), TUNIS, TAP, JHINAOUI),
     ev("meeting", DAY(2016, 11, 30), TUNIS, TAP, MINISTER), False),
    ("the congress named with and without its adjective",
     ev("conference", DAY(2017, 1, 22), TUNIS, UGTT, name="المؤتمر 23 العادي للاتحاد"),
     ev("conference", DAY(2017, 1, 22), None, UGTT, name="المؤتمر 23 للاتحاد"), True),
    ("a conference another outlet calls a seminar",
     ev("conference", DAY(2016, 11, 29), TUNIS, name="المؤتمر الدولي للاستثمار"),
     ev("seminar", DAY(2016, 11, 29), TUNIS, name="الندوة الدولية للاستثمار"), True),
    ("two sessions whose names share only an ordinal",
     ev("session", DAY(2016, 7, 25), TUNIS, JHINAOUI, name="الدورة السابعة"),
     ev("session", DAY(2016, 7, 25), TUNIS, UGTT, name="الجلسة السابعة"), False),
    ("two conferences in one city whose names share only generic words",
     ev("conference", DAY(2016, 11, 29), TUNIS, JHINAOUI, name="المؤتمر الدولي الأول"),
     ev("conference", DAY(2016, 11, 29), TUNIS, MINISTER, name="المؤتمر الدولي"), False),
    ("the summit announced at its site, reported in its country on the day",
     ev("summit", DAY(2017, 3, 29), DEAD_SEA, name="القمة العربية", status="planned"),
     ev("summit", DAY(2017, 3, 29), JORDAN, name="القمة العربية"), True),
]


@pytest.mark.parametrize("case, first, second, same", CASES, ids=[c[0] for c in CASES])
def test_rules_of_identity(case, first, second, same):
    assert joined(first, second) is same


def test_an_undated_report_published_on_the_summits_day_joins_it():
    announced = ev("summit", DAY(2017, 3, 29), DEAD_SEA, name="القمة العربية",
                   status="planned")
    undated = ev("summit", None, DEAD_SEA, name="القمة العربية")
    assert joined(announced, undated, (DAY(2017, 3, 28), DAY(2017, 3, 29)))


def test_an_undated_report_published_two_days_after_gets_no_credit_for_the_day():
    announced = ev("summit", DAY(2017, 3, 29), DEAD_SEA, name="القمة العربية",
                   status="planned")
    undated = ev("summit", None, DEAD_SEA, name="القمة العربية")
    assert not joined(announced, undated, (DAY(2017, 3, 28), DAY(2017, 3, 31)))


BCT = Actor("البنك المركزي التونسي", None, "organization", entity_id="org:bct")


def test_one_undated_story_in_two_sections_of_one_outlet_on_one_day_is_one_event():
    story = ev("meeting", None, TUNISIA, BCT, name="استقبال الأموال", status=None)
    assert joined(story, story, (DAY(2017, 3, 15), DAY(2017, 3, 15)))


def test_undated_stories_published_two_days_apart_get_no_credit_for_the_day():
    story = ev("meeting", None, TUNISIA, BCT, name="استقبال الأموال", status=None)
    assert not joined(story, story, (DAY(2017, 3, 15), DAY(2017, 3, 17)))


def test_the_same_people_a_week_apart_stay_apart_even_with_a_shared_name():
    first = ev("meeting", DAY(2017, 1, 14), TUNIS, UGTT, ABBASSI, name="جلسة المفاوضات")
    second = ev("meeting", DAY(2017, 1, 21), TUNIS, UGTT, ABBASSI, name="جلسة المفاوضات")
    assert not joined(first, second, (DAY(2017, 1, 14), DAY(2017, 1, 21)))


# Bridging: the congress's name without its participants, its participants without a name,
# then a report with both.
NAMED = ev("conference", DAY(2017, 1, 22), TUNIS, name="المؤتمر 23 للاتحاد")
PEOPLE = ev("conference", DAY(2017, 1, 22), None, UGTT, ABBASSI, TABOUBI)
BOTH = ev("conference", DAY(2017, 1, 22), TUNIS, UGTT, ABBASSI, TABOUBI,
          name="المؤتمر 23 العادي للاتحاد")


def test_an_event_that_matches_two_events_joins_them_into_the_older():
    keys = [keyed("a1", DAY(2017, 1, 22), NAMED), keyed("a2", DAY(2017, 1, 22), PEOPLE)]
    assert len(set(resolve(keys).values())) == 2  # nothing ties them yet
    clusters = resolve([*keys, keyed("a3", DAY(2017, 1, 22), BOTH)])
    assert set(clusters.values()) == {"a1#0"}


def test_a_second_event_matched_only_just_is_not_bridged():
    few = ev("conference", DAY(2017, 1, 22), None, UGTT, ABBASSI)  # two shared actors: 4 points
    keys = [keyed("a1", DAY(2017, 1, 22), NAMED), keyed("a2", DAY(2017, 1, 22), few),
            keyed("a3", DAY(2017, 1, 22), BOTH)]
    clusters = resolve(keys)
    assert clusters["a3#0"] == clusters["a1#0"] != clusters["a2#0"]


def test_two_events_with_different_names_are_not_bridged():
    other = ev("conference", DAY(2017, 1, 22), None, UGTT, ABBASSI, TABOUBI,
               name="المؤتمر الوطني للمرأة العاملة")
    keys = [keyed("a1", DAY(2017, 1, 22), NAMED), keyed("a2", DAY(2017, 1, 22), other),
            keyed("a3", DAY(2017, 1, 22), BOTH)]
    clusters = resolve(keys)
    assert clusters["a1#0"] != clusters["a2#0"]


def test_two_events_one_article_told_apart_are_not_bridged():
    keys = [keyed("a1", DAY(2017, 1, 22), NAMED, 0), keyed("a1", DAY(2017, 1, 22), PEOPLE, 1),
            keyed("a3", DAY(2017, 1, 22), BOTH)]
    clusters = resolve(keys)
    assert clusters["a1#0"] != clusters["a1#1"]
    assert clusters["a3#0"] in (clusters["a1#0"], clusters["a1#1"])


def test_the_store_bridges_two_stored_events_and_keeps_every_sources_claim(tmp_path):
    text = "انطلقت أشغال المؤتمر 23 للاتحاد العام التونسي للشغل اليوم بتونس."
    x1 = article("named", DAY(2017, 1, 22), text, "المؤتمر",
                 ("conference", DAY(2017, 1, 22), TUNIS, "ongoing", [], "المؤتمر 23 للاتحاد"))
    x2 = article("people", DAY(2017, 1, 22), text, "المؤتمر",
                 ("conference", DAY(2017, 1, 22), None, "held", [UGTT, ABBASSI, TABOUBI], None))
    x3 = article("both", DAY(2017, 1, 23), text, "المؤتمر",
                 ("conference", DAY(2017, 1, 22), TUNIS, "held", [UGTT, ABBASSI, TABOUBI],
                  "المؤتمر 23 العادي للاتحاد"))
    with Store.open(tmp_path / "analytics.duckdb") as store:
        store.ingest([x1])
        store.ingest([x2])
        assert len(list(store.events())) == 2
        store.ingest([x3])
        (event,) = list(store.events())
        assert {s["article_id"] for s in event["sources"]} == {"named", "people", "both"}
        assert {s["article_id"]: s["claim"]["status"] for s in event["sources"]} == {
            "named": "ongoing", "people": "held", "both": "held"}
        assert "name" in event["conflicts"]
        clusters = store.query("SELECT DISTINCT cluster_id FROM article_events")
        assert len(clusters) == 1
