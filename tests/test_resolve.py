"""Cross-article resolution (analytics.resolve) as a specification: which article events are one
real event, which stay apart, and what the resolved event says. Events are built by hand; the
store's incremental use of the same functions is in tests/test_corrections.py."""

from __future__ import annotations

import datetime as dt

import pytest

from analytics.model import Actor, Event, Span, Venue
from analytics.resolve import Resolver, SourceClaim, event_key, merge, resolve
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
