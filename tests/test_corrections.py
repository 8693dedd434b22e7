"""Resolved events in the store and analysts' corrections on top of them, on real DuckDB files:
one event from several articles, corrections that survive re-ingests, rebuilds and changed
articles, undo, merge, split, reject, and two analysts correcting at once."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.errors import StoreError
from analytics.model import Article, Event, Extraction, Span
from analytics.queries import corrections as queries
from analytics.store import Store
from test_resolve import DHAHRAN, ENVOY, KUWAIT, LEAGUE, RIYADH, SABAH


def article(article_id: str, published: dt.date, text: str, trigger: str,
            *events: tuple) -> Extraction:
    """An article whose events are (type, start, venue, status, actors, name) tuples, each
    triggered by the first occurrence of `trigger` after the previous one."""
    out, at = [], 0
    for type_, start, venue, status, actors, name in events:
        t = text.index(trigger, at)
        at = t + 1
        out.append(Event(type_, name, start, None, status, venue, None, tuple(actors), (),
                         (Span(0, len(text)),), 0.8, Span(t, t + len(trigger))))
    return Extraction(Article(article_id, text, published=published), tuple(out))


ANNOUNCED = article("announce", dt.date(2018, 4, 1),
                    "تعقد القمة العربية التاسعة في الرياض منتصف الشهر.", "القمة",
                    ("summit", dt.date(2018, 4, 15), RIYADH, "planned", [LEAGUE],
                     "القمة العربية التاسعة"))
REPORTED = article("report", dt.date(2018, 4, 16),
                   "اختتمت القمة العربية التاسعة أعمالها أمس في الظهران.", "القمة",
                   ("summit", dt.date(2018, 4, 15), DHAHRAN, "held", [LEAGUE],
                    "القمة العربية التاسعة"))
FIRST_MEETING = article("kuwait-1", dt.date(2016, 5, 9),
                        "استقبل الوزير المبعوث الأممي اليوم في الكويت.", "استقبل",
                        ("meeting", dt.date(2016, 5, 9), KUWAIT, "held", [SABAH, ENVOY], None))
SECOND_MEETING = article("kuwait-2", dt.date(2016, 5, 16),
                         "استقبل الوزير المبعوث الأممي مجددا اليوم في الكويت.", "استقبل",
                         ("meeting", dt.date(2016, 5, 16), KUWAIT, "held", [SABAH, ENVOY],
                          None))


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "analytics.duckdb") as s:
        s.ingest([ANNOUNCED, REPORTED, FIRST_MEETING, SECOND_MEETING])
        yield s


def summit(store: Store) -> dict:
    (event,) = [e for e in store.events() if e["type"] == "summit"]
    return event


# -- resolution in the store -------------------------------------------------------------------

def test_an_announcement_and_its_report_are_one_event_with_both_sources(store):
    event = summit(store)
    assert event["n_sources"] == 2
    assert [s["article_id"] for s in event["sources"]] == ["announce", "report"]
    assert (event["status"], event["venue"]["name_ar"]) == ("held", "الظهران")
    assert event["conflicts"] == ["venue"]
    claimed = {s["article_id"]: s["claim"]["venue"]["name_ar"] for s in event["sources"]}
    assert claimed == {"announce": "الرياض", "report": "الظهران"}


def test_two_meetings_of_the_same_people_a_week_apart_stay_two_events(store):
    meetings = [e for e in store.events() if e["type"] == "meeting"]
    assert sorted(e["start"] for e in meetings) == ["2016-05-09", "2016-05-16"]
    assert [e["n_sources"] for e in meetings] == [1, 1]


def test_a_report_ingested_later_attaches_to_the_stored_event(tmp_path):
    with Store.open(tmp_path / "a.duckdb") as s:
        s.ingest([ANNOUNCED])
        first_id = summit(s)["id"]
        s.ingest([REPORTED])
        assert (summit(s)["id"], summit(s)["n_sources"]) == (first_id, 2)
        assert s.counts()["events"] == 1


def test_the_dashboard_tables_count_resolved_events(store):
    assert store.counts()["events"] == 3
    assert store.query("SELECT count(*) AS n FROM article_events")["n"][0] == 4
    assert store.query("SELECT count(*) AS n FROM event_sources")["n"][0] == 4


def test_a_changed_article_that_no_longer_reports_the_event_leaves_one_source(store):
    store.ingest([Extraction(Article("announce", "خبر آخر لا حدث فيه",
                                     published=dt.date(2018, 4, 1)))])
    event = summit(store)
    assert ([s["article_id"] for s in event["sources"]], event["conflicts"]) == (["report"], [])


# -- corrections -------------------------------------------------------------------------------

def test_a_corrected_field_shows_and_is_named(store):
    event_id = summit(store)["id"]
    store.correct("set", event_id, field="name", value="قمة القدس", author="أمل",
                  reason="الاسم الذي أعلنته الجامعة")
    event = summit(store)
    assert (event["name"], event["corrected_fields"]) == ("قمة القدس", ["name"])
    row = queries.corrections(store).iloc[0]
    assert (row["author"], row["reason"], row["previous"], row["state"]) == (
        "أمل", "الاسم الذي أعلنته الجامعة", '"القمة العربية التاسعة"', "in force")


@pytest.mark.parametrize("rerun", ["same article again", "forced re-extraction", "rebuild"])
def test_corrections_survive_re_runs(store, rerun):
    store.correct("set", summit(store)["id"], field="venue",
                  value={"name_ar": "مركز الملك عبد العزيز الثقافي", "name_en": None,
                         "country": "SA", "lat": None, "lon": None}, author="أمل")
    again = [ANNOUNCED, REPORTED, FIRST_MEETING, SECOND_MEETING]
    if rerun == "same article again":
        store.ingest(again)
    elif rerun == "forced re-extraction":
        store.ingest(again, force=True)
    else:
        with store.writing(fresh=True) as writer:
            writer.write(list(reversed(again)))  # another order: other cluster names
    event = summit(store)
    assert event["venue"]["name_ar"] == "مركز الملك عبد العزيز الثقافي"
    assert event["corrected_fields"] == ["venue"]
    assert len(queries.corrections(store)) == 1


def test_a_correction_whose_event_vanished_is_listed_for_review(store):
    store.correct("set", summit(store)["id"], field="status", value="planned", author="أمل")
    gone = [Extraction(Article(a, "نص جديد بلا حدث", published=dt.date(2018, 4, 20)))
            for a in ("announce", "report")]
    store.ingest(gone)
    vanished = queries.vanished(store)
    assert (vanished["field"].tolist(), vanished["state"].tolist()) == (["status"],
                                                                         ["vanished"])
    store.ingest([ANNOUNCED, REPORTED])  # the articles' first version again: it applies
    assert summit(store)["status"] == "planned"
    assert queries.vanished(store).empty


def test_undo_restores_the_machines_value_and_keeps_both_in_the_audit(store):
    fix = store.correct("set", summit(store)["id"], field="type", value="conference")
    assert [e["type"] for e in store.events()].count("summit") == 0
    store.correct("undo", undoes=fix.id, author="أمل", reason="خطأ مني")
    assert summit(store)["corrected_fields"] == []
    assert queries.corrections(store)["state"].tolist() == ["undo", "undone"]


def test_a_rejected_event_leaves_the_events_and_comes_back_on_undo(store):
    rejection = store.correct("reject", summit(store)["id"], reason="ليس حدثا")
    assert [e["type"] for e in store.events()] == ["meeting", "meeting"]
    store.correct("undo", undoes=rejection.id)
    assert summit(store)["n_sources"] == 2


def test_merge_joins_two_events_and_split_takes_a_source_out_again(store):
    first, second = (e["id"] for e in store.events() if e["type"] == "meeting")
    store.correct("merge", first, other_event_id=second, author="أمل")
    (merged,) = [e for e in store.events() if e["type"] == "meeting"]
    assert (merged["id"], merged["n_sources"], merged["corrected_fields"]) == (
        first, 2, ["sources"])
    moved = store.query("SELECT article_event_id FROM event_sources WHERE event_id = ? "
                        "AND article_id = 'kuwait-2'", [first])["article_event_id"].tolist()
    store.correct("split", first, moved=moved, author="أمل")
    meetings = [e for e in store.events() if e["type"] == "meeting"]
    assert sorted(s["article_id"] for e in meetings for s in e["sources"]) == [
        "kuwait-1", "kuwait-2"]
    assert [e["n_sources"] for e in meetings] == [1, 1]


@pytest.mark.parametrize("action, details, message", [
    ("set", {"field": "colour", "value": "red"}, "cannot be corrected"),
    ("set", {"field": "start", "value": "15/04/2018"}, "not an ISO date"),
    ("set", {"field": "type", "value": "party"}, "is not one of"),
    ("undo", {"undoes": "cor-missing"}, "no correction"),
])
def test_a_correction_that_cannot_apply_is_refused_and_nothing_is_stored(store, action,
                                                                         details, message):
    with pytest.raises(StoreError, match=message):
        store.correct(action, summit(store)["id"] if action != "undo" else None, **details)
    assert queries.corrections(store).empty


def test_a_correction_of_an_event_that_is_gone_says_to_reload(store):
    with pytest.raises(StoreError, match="reload"):
        store.correct("set", "ev-0000000000000000", field="name", value="x")


def test_two_analysts_correcting_at_once_lose_no_update(store):
    event_id = summit(store)["id"]
    edits = [("name", "قمة القدس"), ("participants", 21), ("status", "held"),
             ("themes", ["jerusalem"])]
    barrier = threading.Barrier(len(edits))
    errors: list[Exception] = []

    def analyst(field: str, value: object) -> None:
        try:
            with Store.open(store.path) as own:  # each session its own Store, like two servers
                barrier.wait()
                own.correct("set", event_id, field=field, value=value, author=field)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=analyst, args=edit) for edit in edits]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    event = summit(store)
    assert (event["name"], event["participants"], event["themes"]) == ("قمة القدس", 21,
                                                                       ["jerusalem"])
    assert sorted(event["corrected_fields"]) == ["name", "participants", "status", "themes"]
    assert len(queries.corrections(store)) == 4


# -- the review and corrections-log pages (Streamlit's AppTest on a real store) ----------------

APP = Path(__file__).resolve().parents[1] / "app.py"


def page(path: Path, monkeypatch, name: str) -> AppTest:
    monkeypatch.setenv("ANALYTICS_DB", str(path))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page(f"app_pages/{name}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_review_page_shows_the_most_reported_event_and_its_sources(store, monkeypatch):
    at = page(store.path, monkeypatch, "review")
    assert at.title[0].value == "Review an event"
    assert at.selectbox(key="rv_event").value == summit(store)["id"]
    sources = at.dataframe[1].value
    assert sources["Article"].tolist() == ["announce", "report"]
    assert "venue" in at.warning[0].value  # the sources disagree on the venue


def test_the_review_page_saves_a_correction_with_who_and_why(store, monkeypatch):
    at = page(store.path, monkeypatch, "review")
    at.text_input(key="rv_who").input("أمل")
    at.text_input(key="rv_reason").input("الاسم الرسمي")
    at.selectbox(key="rv_field").select("name")
    at.run()
    at.text_input(key="rv_text_name").input("قمة القدس")
    next(b for b in at.button if b.label == "Save the correction").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success[0].value.startswith("Saved")
    assert summit(store)["name"] == "قمة القدس"
    row = queries.corrections(store).iloc[0]
    assert (row["author"], row["reason"]) == ("أمل", "الاسم الرسمي")


def test_the_corrections_log_lists_vanished_corrections_and_undoes(store, monkeypatch):
    store.correct("set", summit(store)["id"], field="status", value="planned", author="أمل")
    store.ingest([Extraction(Article(a, "نص جديد بلا حدث", published=dt.date(2018, 4, 20)))
                  for a in ("announce", "report")])
    at = page(store.path, monkeypatch, "audit")
    vanished = at.dataframe[0].value
    assert vanished["State"].tolist() == ["vanished"]
    at.selectbox[-1].select(vanished["Correction id"].iloc[0])
    at.run()
    next(b for b in at.button if b.label == "Undo").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert queries.corrections(store)["state"].tolist() == ["undo", "undone"]


def test_a_correction_follows_its_event_into_an_edited_version_of_the_article(store):
    first = next(e for e in store.events() if e["start"] == "2016-05-09")
    store.correct("set", first["id"], field="name", value="لقاء التحضير للمشاورات")
    edited = article("kuwait-1", dt.date(2016, 5, 9),
                     "الكويت (وكالات) - استقبل الوزير المبعوث الأممي اليوم في الكويت.",
                     "استقبل", ("meeting", dt.date(2016, 5, 9), KUWAIT, "held",
                                [SABAH, ENVOY], None))
    store.ingest([edited])  # a dateline added before the trigger: its offsets moved
    again = next(e for e in store.events() if e["start"] == "2016-05-09")
    assert (again["name"], again["sources"][0]["claim"]["trigger"]["start"]) == (
        "لقاء التحضير للمشاورات", 18)
    assert queries.vanished(store).empty
