"""Participation: who takes part in the kept events, as queries on a real store (the hand-made
store of tests/dashboard_stores.py) and as figures built from small frames."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.charts import participation as charts
from analytics.filters import Filters
from analytics.queries import participation
from analytics.store import Store
from dashboard_stores import handmade_store

OIC, UN, LEAGUE = "منظمة التعاون الإسلامي", "الأمم المتحدة", "جامعة الدول العربية"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = handmade_store(tmp_path_factory.mktemp("participation") / "analytics.duckdb")
    with Store.open(path, read_only=True) as opened:
        yield opened


def triples(df: pd.DataFrame, *columns: str) -> list[tuple]:
    return list(df[list(columns)].itertuples(index=False, name=None))


@pytest.mark.parametrize("kind, expected", [
    ("organization", [(OIC, "Organisation of Islamic Cooperation", 2),
                      (UN, "United Nations", 1), (LEAGUE, "League of Arab States", 1)]),
    ("person", [("رشيد خاليكوف", "Rashid Khalikov", 1), ("مصطفى", "Mustafa", 1),
                ("هشام يوسف", "Hisham Youssef", 1)]),
])
def test_events_per_actor_counts_persons_and_organizations_apart(store, kind, expected):
    df = participation.events_per_actor(store, Filters(), kind)
    assert triples(df, "name_ar", "name_en", "events") == expected


def test_events_per_actor_keeps_the_top_n_and_follows_the_filters(store):
    assert triples(participation.events_per_actor(store, Filters(), "organization", top=1),
                   "name_ar", "events") == [(OIC, 2)]
    assert triples(participation.events_per_actor(store, Filters(types=("summit",)),
                                                  "organization"), "name_ar", "events") == \
        [(OIC, 1)]


def test_countries_are_not_counted_as_persons_or_organizations(store):
    names = set(participation.events_per_actor(store, Filters(), "organization")["name_en"])
    assert "Egypt" not in names


def test_an_unknown_actor_kind_is_refused(store):
    with pytest.raises(ValueError, match="kind"):
        participation.events_per_actor(store, Filters(), "place")


def test_actor_themes_count_events_per_actor_and_theme(store):
    df = participation.actor_themes(store, Filters())
    got = set(triples(df, "name_ar", "theme", "events"))
    assert {(OIC, "humanitarian", 1), (OIC, "intercultural-dialogue", 1),
            (UN, "intercultural-dialogue", 1), (LEAGUE, "education", 1)} <= got
    assert all(kind != "Egypt" for kind in df["name_en"])  # countries are not actors here
    assert df["name_ar"].iloc[0] == OIC  # the busiest actor first


def test_participants_per_event_counts_named_actors_and_keeps_the_stated_number(store):
    df = participation.participants_per_event(store, Filters())
    assert list(df["venue_en"].iloc[:2]) == ["Baku", "Jeddah"]
    assert list(df["actors"].iloc[:2]) == [4, 2]
    summit = df[df["type"] == "summit"].iloc[0]
    assert (summit["actors"], summit["participants"]) == (1, 5000)


def test_co_participation_pairs_organizations_of_the_same_event(store):
    df = participation.co_participation(store, Filters())
    pairs = set(triples(df, "a_ar", "b_ar", "events"))
    assert {(OIC, UN, 1), (UN, OIC, 1)} <= pairs           # both orders: a symmetric matrix
    assert (OIC, OIC, 2) in pairs                          # the diagonal: own events
    assert not any({a, b} == {OIC, LEAGUE} for a, b, _ in pairs)  # never together


def test_co_participation_follows_the_filters(store):
    df = participation.co_participation(store, Filters(types=("summit",)))
    assert set(triples(df, "a_ar", "b_ar", "events")) == {(OIC, OIC, 1)}


def test_delegations_are_the_countries_among_the_participants_not_the_venues(store):
    df = participation.delegations_per_country(store, Filters())
    assert triples(df, "country", "name_en", "events") == [("AZ", "Azerbaijan", 1),
                                                           ("EG", "Egypt", 1)]
    # Turkey hosts the summit and Saudi Arabia the Jeddah meeting: hosts are not delegations
    assert not {"TR", "SA"} & set(df["country"])


def test_an_empty_selection_gives_empty_frames(store):
    nothing = Filters(search="باريس")
    assert participation.events_per_actor(store, nothing, "person").empty
    assert participation.actor_themes(store, nothing).empty
    assert participation.co_participation(store, nothing).empty
    assert participation.delegations_per_country(store, nothing).empty


# -- figures ----------------------------------------------------------------------------------

ACTORS = pd.DataFrame({"name_ar": [OIC, UN, "<b>x</b>"],
                       "name_en": ["OIC", None, "<b>x</b>"], "events": [5, 3, 1]})


def test_actor_bars_put_the_busiest_on_top_and_name_actors_by_language():
    (bars,) = charts.events_per_actor(ACTORS, "organization", "en").data
    assert list(bars.y) == ["&lt;b&gt;x&lt;/b&gt;", UN, "OIC"]  # English, else Arabic
    assert list(bars.x) == [1, 3, 5]
    (arabic,) = charts.events_per_actor(ACTORS, "organization", "ar").data
    assert list(arabic.y)[-1] == OIC


def test_the_actor_theme_heat_map_has_one_row_per_actor_and_one_column_per_theme():
    df = pd.DataFrame({"name_ar": [OIC, OIC, UN], "name_en": ["OIC", "OIC", "UN"],
                       "theme": ["humanitarian", "education", "education"],
                       "events": [2, 1, 4]})
    (heat,) = charts.actor_themes(df, "en").data
    assert list(heat.y) == ["UN", "OIC"]  # the first (busiest) actor at the top
    assert list(heat.x) == ["Education", "Humanitarian"]
    assert heat.z.tolist() == [[4, 0], [1, 2]]


def test_the_co_participation_matrix_is_symmetric_with_a_blank_diagonal():
    df = pd.DataFrame({"a_ar": [OIC, OIC, UN, UN], "a_en": ["OIC", "OIC", "UN", "UN"],
                       "b_ar": [OIC, UN, OIC, UN], "b_en": ["OIC", "UN", "OIC", "UN"],
                       "events": [3, 1, 1, 2]})
    (heat,) = charts.co_participation(df, "en").data
    assert list(heat.x) == ["OIC", "UN"] and list(heat.y) == ["UN", "OIC"]
    z = pd.DataFrame(heat.z, index=heat.y, columns=heat.x)
    assert (z.loc["OIC", "UN"], z.loc["UN", "OIC"]) == (1, 1)
    assert pd.isna(z.loc["OIC", "OIC"]) and pd.isna(z.loc["UN", "UN"])


def test_participants_per_event_bars_name_events_and_keep_apart_two_of_the_same_name():
    df = pd.DataFrame({"id": ["a", "b", "c"], "type": ["meeting", "meeting", "summit"],
                       "name": [None, None, "القمة"],
                       "start_date": pd.to_datetime(["2016-04-21", "2016-04-21", None]),
                       "venue_ar": ["جدة", "جدة", None], "venue_en": ["Jeddah", "Jeddah", None],
                       "actors": [4, 2, 1], "participants": pd.array([None, None, 5000],
                                                                     dtype="Int64")})
    (bars,) = charts.participants_per_event(df, "en").data
    assert list(bars.y)[::-1] == ["2016-04-21 · Meeting", "2016-04-21 · Meeting [2]", "القمة"]
    assert "5000 participants stated" in bars.hovertext[0]


def test_delegation_bars_name_countries_by_language():
    df = pd.DataFrame({"country": ["EG", "AZ"], "name_ar": ["مصر", "أذربيجان"],
                       "name_en": ["Egypt", "Azerbaijan"], "events": [3, 1]})
    assert list(charts.delegations(df, "ar").data[0].y) == ["أذربيجان", "مصر"]
    assert list(charts.delegations(df, "en").data[0].y) == ["Azerbaijan", "Egypt"]


@pytest.mark.parametrize("build, columns", [
    (lambda df, lang: charts.events_per_actor(df, "person", lang),
     ["name_ar", "name_en", "events"]),
    (charts.actor_themes, ["name_ar", "name_en", "theme", "events"]),
    (charts.co_participation, ["a_ar", "a_en", "b_ar", "b_en", "events"]),
    (charts.delegations, ["country", "name_ar", "name_en", "events"]),
])
def test_an_empty_chart_says_so_in_the_chosen_language(build, columns):
    fig = build(pd.DataFrame(columns=columns), "ar")
    assert [a.text for a in fig.layout.annotations] == ["لا حدث يطابق هذه التصفية."]
    assert fig.layout.xaxis.autorange == "reversed"


def test_participants_per_event_top_n_is_the_head_of_the_full_ranking(store):
    # The actors are counted only for the events that can rank (a bound from the events with
    # the most actor rows): any `top` gives the first rows of the whole ranking.
    full = participation.participants_per_event(store, Filters(), top=100)
    for top in range(1, len(full) + 1):
        head = participation.participants_per_event(store, Filters(), top=top)
        assert head.astype(str).values.tolist() == full.head(top).astype(str).values.tolist()


@pytest.mark.parametrize("kind", ["person", "organization"])
def test_events_per_actor_top_n_is_the_head_of_the_full_ranking(store, kind):
    # Distinct events are counted only for the actors that can rank (a bound from their
    # rows): any `top` gives the first rows of the whole ranking.
    full = participation.events_per_actor(store, Filters(), kind, top=100)
    for top in range(1, len(full) + 1):
        head = participation.events_per_actor(store, Filters(), kind, top=top)
        assert head.values.tolist() == full.head(top).values.tolist()
