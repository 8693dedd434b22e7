"""The dashboard, page by page, through Streamlit's AppTest (the app's own script runner, no
browser) against a real store file built in a temporary directory from the hand-made extractions
of test_queries.py (four events in two articles)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from page_checks import run
from test_queries import build_store

APP = Path(__file__).resolve().parents[1] / "app.py"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("app") / "analytics.duckdb")


@pytest.fixture
def app(store_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("ANALYTICS_DB", str(store_path))
    return AppTest.from_file(str(APP), default_timeout=60)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table(at: AppTest):
    """The records page's events table (its first tab)."""
    return at.dataframe[0].value


def test_overview_shows_the_key_figures_and_two_charts(app):
    at = run(app)
    assert at.title[0].value == "Overview"
    assert metrics(at) == {"Events": "4", "Articles": "2", "Actors": "5", "Venues": "3",
                           "Dates": "2016-04-21 – 2017-03-29"}
    assert len(at.get("plotly_chart")) == 2


def test_records_page_shows_one_row_per_event_and_offers_a_csv(app):
    at = run(app)
    run(at.switch_page("app_pages/records.py"))
    assert at.title[0].value == "Events table"
    df = table(at)
    assert len(df) == 4
    assert set(df["Type"]) == {"Meeting", "Summit", "Conference", "Visit"}
    assert at.caption[0].value == "4 events"
    assert at.get("download_button")[0].label == "Download CSV"


def test_choosing_an_event_type_narrows_the_table_and_the_url(app):
    at = run(app)
    run(at.switch_page("app_pages/records.py"))
    at.multiselect(key="types").set_value(["summit"])
    run(at)
    assert list(table(at)["Name"]) == ["القمة العالمية للعمل الإنساني"]
    assert at.query_params["type"] == "summit"


def test_a_search_narrows_the_table(app):
    at = run(app)
    run(at.switch_page("app_pages/records.py"))
    at.text_input(key="search").input("اسطنبول")
    run(at)
    assert list(table(at)["Venue"]) == ["Istanbul"]


def test_a_date_range_narrows_the_figures(app):
    at = run(app)
    at.date_input(key="dates").set_value((dt.date(2016, 5, 1), dt.date(2017, 3, 29)))
    at.checkbox(key="undated").uncheck()
    run(at)
    assert metrics(at)["Events"] == "2"
    assert at.query_params["from"] == "2016-05-01"


def test_a_range_being_picked_counts_from_its_first_day(app):
    at = run(app)
    at.date_input(key="dates").set_value((dt.date(2017, 1, 1),))
    at.checkbox(key="undated").uncheck()
    run(at)
    assert metrics(at)["Events"] == "1"


def test_when_nothing_matches_the_figures_are_zero(app):
    at = run(app)
    at.text_input(key="search").input("باريس")
    run(at)
    assert metrics(at) == {"Events": "0", "Articles": "0", "Actors": "0", "Venues": "0",
                           "Dates": "–"}


def test_filters_stay_when_the_page_changes(app):
    at = run(app)
    at.multiselect(key="types").set_value(["meeting", "conference"])
    run(at)
    assert metrics(at)["Events"] == "2"
    run(at.switch_page("app_pages/records.py"))
    assert set(table(at)["Type"]) == {"Meeting", "Conference"}


def test_a_shared_url_opens_with_its_filters(app):
    app.query_params.update({"type": "visit", "lang": "ar"})
    at = run(app)
    assert metrics(at)["الأحداث"] == "1"
    assert at.multiselect(key="types").value == ["visit"]


def test_arabic_turns_the_page_right_to_left_and_translates_it(app):
    at = run(app)
    at.radio(key="lang").set_value("ar")
    run(at)
    styles = [m.value for m in at.markdown if "<style>" in m.value]
    assert len(styles) == 1
    assert "direction: rtl" in styles[0]
    assert "unicode-bidi: plaintext" in styles[0] and "text-align: start" in styles[0]
    assert "bidi-override" not in styles[0]
    assert at.title[0].value == "نظرة عامة"
    assert metrics(at)["الأحداث"] == "4"
    run(at.switch_page("app_pages/records.py"))
    assert set(table(at)["النوع"]) == {"اجتماع", "قمة", "مؤتمر", "زيارة"}


def test_english_pages_carry_no_right_to_left_style(app):
    at = run(app)
    assert not [m for m in at.markdown if "direction: rtl" in m.value]


def test_without_a_store_the_dashboard_says_how_to_build_one(tmp_path, monkeypatch):
    missing = tmp_path / "none.duckdb"
    monkeypatch.setenv("ANALYTICS_DB", str(missing))
    at = run(AppTest.from_file(str(APP), default_timeout=60))
    (info,) = at.info
    assert str(missing) in info.value and "analytics ingest data/sample" in info.value
    assert not missing.exists()


# -- analytics serve ----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health(port: int) -> str | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
            return r.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def test_analytics_serve_answers_health_checks(store_path, tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "ANALYTICS_DB"}
    server = subprocess.Popen(
        [sys.executable, "-m", "analytics", "serve", "--db", str(store_path), "--port", str(port)],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while health(port) is None and server.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert health(port) == "ok"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        _, stderr = server.communicate(timeout=30)
    assert f"http://localhost:{port}" in stderr


def test_analytics_serve_without_its_app_says_what_to_do(tmp_path):
    done = subprocess.run([sys.executable, "-m", "analytics", "serve", "--app",
                           str(tmp_path / "nowhere.py")], capture_output=True, text=True,
                          check=False, stdin=subprocess.DEVNULL)
    assert done.returncode == 1
    assert "no dashboard entry file" in done.stderr and "Traceback" not in done.stderr


# -- the shared sidebar filters --------------------------------------------------------------

SIDEBAR_FILTERS = ("actors", "themes", "types", "countries", "cities", "sources", "statuses")


def test_every_filter_has_a_sidebar_control(app):
    at = run(app)
    assert {m.key for m in at.sidebar.multiselect} == set(SIDEBAR_FILTERS)
    assert [b.key for b in at.sidebar.button] == ["clear_filters"]


def test_actors_are_offered_by_their_name_in_the_interface_language(app):
    at = run(app)
    assert "Organisation of Islamic Cooperation" in at.multiselect(key="actors").options
    at.radio(key="lang").set_value("ar")
    run(at)
    assert "منظمة التعاون الإسلامي" in at.multiselect(key="actors").options
    countries = at.multiselect(key="countries").options
    assert "تركيا (TR)" in countries


@pytest.mark.parametrize("key, value, events", [
    ("actors", ["هشام يوسف"], "1"),
    ("themes", ["humanitarian"], "2"),
    ("countries", ["EG", "TR"], "2"),
    ("cities", ["جدة"], "1"),
    ("sources", ["OIC"], "2"),
    ("statuses", ["planned"], "1"),
])
def test_each_sidebar_filter_narrows_the_figures(app, key, value, events):
    at = run(app)
    at.multiselect(key=key).set_value(value)
    run(at)
    assert metrics(at)["Events"] == events


def test_names_go_to_the_url_as_repeated_keys_and_codes_joined(app):
    at = run(app)
    at.multiselect(key="actors").set_value(["هشام يوسف", "رشيد خاليكوف"])
    at.multiselect(key="countries").set_value(["SA", "TR"])
    run(at)
    assert at.query_params["actor"] == ["هشام يوسف", "رشيد خاليكوف"]
    assert at.query_params["country"] in ("SA,TR", ["SA,TR"])


def test_a_bookmarked_url_restores_every_filter(app):
    app.query_params.update({"actor": ["منظمة التعاون الإسلامي"], "theme": "humanitarian",
                             "country": "TR", "city": "إسطنبول", "source": "OIC",
                             "status": "planned", "q": "القمة"})
    at = run(app)
    assert metrics(at)["Events"] == "1"
    assert at.multiselect(key="actors").value == ["منظمة التعاون الإسلامي"]
    assert at.multiselect(key="cities").value == ["إسطنبول"]
    assert at.multiselect(key="statuses").value == ["planned"]
    assert at.text_input(key="search").value == "القمة"


def test_filters_survive_a_page_change_and_reload_from_the_url(app, store_path, monkeypatch):
    at = run(app)
    at.multiselect(key="themes").set_value(["humanitarian"])
    at.multiselect(key="sources").set_value(["OIC"])
    at.multiselect(key="statuses").set_value(["held"])
    run(at)
    run(at.switch_page("app_pages/records.py"))
    assert at.multiselect(key="themes").value == ["humanitarian"]
    assert list(table(at)["Venue"]) == ["Jeddah"]
    # A new session opened on the same URL (a bookmark, a reload) shows the same view.
    reloaded = AppTest.from_file(str(APP), default_timeout=60)
    reloaded.query_params.update(dict(at.query_params))
    run(reloaded)
    assert metrics(reloaded)["Events"] == "1"
    assert reloaded.multiselect(key="sources").value == ["OIC"]


def test_a_venue_picked_on_the_map_filters_by_that_city(app):
    at = run(app)
    at.session_state["venue_pick"] = "Istanbul"  # the map may give the English name
    run(at)
    assert at.multiselect(key="cities").value == ["إسطنبول"]
    assert metrics(at)["Events"] == "1"
    assert at.query_params["city"] in ("إسطنبول", ["إسطنبول"])


def test_the_clear_button_empties_every_filter_and_the_url_but_keeps_the_language(app):
    app.query_params.update({"lang": "ar", "type": "summit", "actor": "مصطفى", "q": "x",
                             "undated": "0", "from": "2016-05-01"})
    at = run(app)
    assert metrics(at)["الأحداث"] == "0"
    at.button(key="clear_filters").click()
    run(at)
    assert metrics(at)["الأحداث"] == "4"
    assert all(at.multiselect(key=k).value == [] for k in SIDEBAR_FILTERS)
    assert at.text_input(key="search").value == ""
    assert at.checkbox(key="undated").value is True
    assert dict(at.query_params) == {"lang": ["ar"]} or dict(at.query_params) == {"lang": "ar"}


def test_a_hostile_url_is_only_values(app):
    app.query_params.update({"actor": ["'; DROP TABLE events; --"], "city": "\" OR 1=1 --",
                             "theme": "x');--", "q": "%' OR '1'='1"})
    at = run(app)
    assert metrics(at)["Events"] == "0"
    at.button(key="clear_filters").click()
    assert metrics(run(at))["Events"] == "4"


# -- caching per filter state ----------------------------------------------------------------

def test_a_rerun_with_the_same_filters_runs_no_sql_and_new_data_shows_after_an_ingest(
        tmp_path, monkeypatch):
    from analytics.store import Store
    from test_queries import sample_extractions
    path = tmp_path / "analytics.duckdb"
    with Store.open(path) as store:
        store.ingest(sample_extractions()[:1])
    monkeypatch.setenv("ANALYTICS_DB", str(path))
    at = run(AppTest.from_file(str(APP), default_timeout=60))
    run(at.switch_page("app_pages/records.py"))
    assert len(table(at)) == 2
    asked: list[str] = []
    query = Store.query

    def counting(self, sql, params=None):
        asked.append(sql)
        return query(self, sql, params)

    monkeypatch.setattr(Store, "query", counting)
    run(at)
    assert asked == []
    with Store.open(path) as store:  # another process's ingest, as far as the app can tell
        store.ingest(sample_extractions()[1:])
    run(at)
    assert asked  # the store's version changed: the queries ran again
    assert len(table(at)) == 4
