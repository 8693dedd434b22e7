"""The records page through Streamlit's AppTest, on a real store (test_queries.py's four events
in two articles): its four tabs follow the sidebar's filters, names follow the language, the
articles link to the article page, and every download holds exactly the kept events and opens
(CSV, Excel, JSON, Parquet and iCalendar parsed back). Article data that looks like a formula or
a script stays inert."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from analytics.charts import labels
from analytics.model import Actor, Article, Event, Extraction, Span, Venue
from analytics.store import Store
from page_checks import app_on, run
from test_queries import build_store

PAGE = "app_pages/records.py"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("records") / "analytics.duckdb")


@pytest.fixture
def downloads(monkeypatch) -> dict[str, tuple[object, str | None]]:
    """file name -> (the callable that builds it, mime type), as the page registers them:
    the files are built when a button is pressed, so the test presses them by calling."""
    found: dict[str, tuple[object, str | None]] = {}
    register = MediaFileManager.add_deferred

    def keep(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        found[file_name] = (data_callable, mimetype)
        return register(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    return found


def open_records(path: Path, monkeypatch, **params) -> AppTest:
    """The records page of a session opened on a URL with these parameters."""
    at = app_on(path, monkeypatch)
    at.query_params.update(params)
    run(at)
    return run(at.switch_page(PAGE))


def tabs(at: AppTest) -> dict[str, pd.DataFrame]:
    """Each tab's table. Only the open tab runs its query: open each in turn, as a click does."""
    lang = at.session_state["lang"]
    shown = {}
    for name in ("events", "actors", "places", "articles"):
        at.session_state["records_tab"] = labels.text(f"tab_{name}", lang)
        (frame,) = run(at).dataframe
        shown[name] = frame.value
    at.session_state["records_tab"] = labels.text("tab_events", lang)
    run(at)
    return shown


def test_the_page_has_a_tab_for_events_actors_places_and_articles(store_path, monkeypatch):
    at = open_records(store_path, monkeypatch)
    assert [t.label for t in at.tabs] == ["Events", "Actors", "Places", "Articles"]
    assert len(at.dataframe) == 1  # the closed tabs run no query
    shown = tabs(at)
    assert len(shown["events"]) == 4
    assert set(shown["actors"]["Name"]) == {"Hisham Youssef", "Rashid Khalikov", "Mustafa",
                                            "Organisation of Islamic Cooperation",
                                            "League of Arab States"}
    assert list(zip(shown["places"]["Name"], shown["places"]["Role"])) == [
        ("Istanbul", "venue"), ("Cairo", "venue"), ("Jeddah", "venue"), ("Jerusalem", "about")]
    assert list(shown["articles"]["Article"]) == ["league-2017-03-29", "oic-2016-04-21"]


def test_every_tab_follows_the_filters(store_path, monkeypatch):
    at = open_records(store_path, monkeypatch, type="summit")
    shown = tabs(at)
    assert list(shown["events"]["Name"]) == ["القمة العالمية للعمل الإنساني"]
    assert list(shown["actors"]["Name"]) == ["Organisation of Islamic Cooperation"]
    assert list(shown["places"]["Name"]) == ["Istanbul"]
    assert list(shown["articles"]["Article"]) == ["oic-2016-04-21"]
    at.multiselect(key="types").set_value([])
    at.multiselect(key="actors").set_value(["جامعة الدول العربية"])
    shown = tabs(at)
    assert list(shown["events"]["Venue"]) == ["Cairo"]
    assert list(zip(shown["places"]["Name"], shown["places"]["Role"])) == [
        ("Cairo", "venue"), ("Jerusalem", "about")]


def test_names_follow_the_language(store_path, monkeypatch):
    at = open_records(store_path, monkeypatch, lang="ar")
    shown = tabs(at)
    assert "منظمة التعاون الإسلامي" in set(shown["actors"]["الاسم"])
    assert "القدس" in set(shown["places"]["الاسم"])
    assert set(shown["events"]["المكان"].dropna()) == {"جدة", "إسطنبول", "القاهرة"}
    assert "Istanbul" not in shown["events"].to_string()


def test_articles_link_to_the_article_page_with_the_language_and_filters(store_path,
                                                                        monkeypatch):
    at = open_records(store_path, monkeypatch, lang="ar", theme="humanitarian")
    articles = tabs(at)["articles"]
    (link,) = articles[labels.text("open_article", "ar")]
    parts = urlsplit(link)
    assert parts.path == "./read"
    assert parse_qs(parts.query) == {"article": ["oic-2016-04-21"], "lang": ["ar"],
                                     "theme": ["humanitarian"]}


def test_only_web_addresses_become_links(store_path, monkeypatch):
    at = open_records(store_path, monkeypatch)
    articles = tabs(at)["articles"].set_index("Article")
    web = articles.iloc[:, -1]
    assert web["oic-2016-04-21"] == "https://www.oic-oci.org/topic/?t_id=1"
    assert pd.isna(web["league-2017-03-29"])  # stored as javascript:alert(1)


def test_downloads_offer_five_formats(store_path, monkeypatch, downloads):
    at = open_records(store_path, monkeypatch)
    assert [b.label for b in at.get("download_button")] == [
        "Download CSV", "Download Excel", "Download JSON", "Download Parquet",
        "Download ICS (calendar)"]
    assert set(downloads) == {"events.csv", "events.xlsx", "events.json", "events.parquet",
                              "events.ics"}


def test_every_download_holds_exactly_the_kept_events(store_path, monkeypatch, downloads):
    at = open_records(store_path, monkeypatch, type="summit,meeting", lang="ar")
    wanted_ids = set(tabs(at)["events"]["معرّف الحدث"])
    assert len(wanted_ids) == 2

    def built(name: str) -> bytes:
        build, _ = downloads[name]
        return build()

    csv_data = built("events.csv")
    assert csv_data.startswith("\ufeff".encode())
    rows = pd.read_csv(io.BytesIO(csv_data), encoding="utf-8-sig")
    assert set(rows["id"]) == wanted_ids and set(rows["type"]) == {"summit", "meeting"}
    assert "القمة العالمية للعمل الإنساني" in set(rows["name"])

    sheet = load_workbook(io.BytesIO(built("events.xlsx"))).active
    assert sheet.sheet_view.rightToLeft is True
    header, *cells = list(sheet.iter_rows(values_only=True))
    assert {dict(zip(header, r, strict=True))["id"] for r in cells} == wanted_ids

    assert {r["id"] for r in json.loads(built("events.json"))} == wanted_ids
    assert set(pd.read_parquet(io.BytesIO(built("events.parquet")))["id"]) == wanted_ids

    from icalendar import Calendar
    calendar = Calendar.from_ical(built("events.ics"))
    assert len(calendar.walk("VEVENT")) == 2
    starts = {e.decoded("dtstart") for e in calendar.walk("VEVENT")}
    assert starts == {dt.date(2016, 4, 21), dt.date(2016, 5, 23)}


def test_a_large_selection_shows_its_first_rows_and_downloads_them_all(tmp_path, monkeypatch,
                                                                      downloads):
    text = "اجتماع في الرياض"
    many = [Extraction(
        article=Article(id=f"a{n:04}", text=text, published=dt.date(2020, 1, 1)),
        events=(Event(type="meeting", name=None, start=dt.date(2020, 1, 1), end=None,
                      status="held", venue=None, participants=None, actors=(), themes=(),
                      evidence=(Span(0, len(text)),), confidence=0.5, trigger=Span(0, 6),
                      source="test"),))
        for n in range(1010)]
    path = tmp_path / "large.duckdb"
    with Store.open(path) as store:
        store.ingest(many)
    at = open_records(path, monkeypatch)
    assert at.caption[0].value == ("The first 1,000 of 1,010 events are shown; the downloads "
                                   "hold all 1,010.")
    assert len(at.dataframe[0].value) == 1000
    rows = pd.read_csv(io.BytesIO(downloads["events.csv"][0]()), encoding="utf-8-sig")
    assert len(rows) == 1010 and rows["id"].is_unique
    at.session_state["records_tab"] = "Articles"
    run(at)
    assert at.caption[1].value == "The first 1,000 of 1,010 rows are shown."
    assert len(at.dataframe[0].value) == 1000


def test_in_english_a_name_without_an_english_form_shows_the_arabic_one(tmp_path, monkeypatch):
    text = "عقد اجتماع في بلدة الزهور"
    event = Event(type="meeting", name=None, start=dt.date(2020, 1, 1), end=None,
                  status="held", venue=Venue("بلدة الزهور", None, "LB", None, None),
                  participants=None, actors=(Actor("لجنة الزهور", None, "organization"),),
                  themes=(), evidence=(Span(0, len(text)),), confidence=0.5,
                  trigger=Span(4, 10), source="test")
    path = tmp_path / "names.duckdb"
    with Store.open(path) as store:
        store.ingest([Extraction(article=Article(id="z", text=text), events=(event,))])
    shown = tabs(open_records(path, monkeypatch))
    assert list(shown["events"]["Venue"]) == ["بلدة الزهور"]
    assert list(shown["events"]["Actors"]) == ["لجنة الزهور"]
    assert list(shown["actors"]["Name"]) == ["لجنة الزهور"]
    assert list(shown["places"]["Name"]) == ["بلدة الزهور"]


# -- hostile article data -------------------------------------------------------------------

HOSTILE_TEXT = "افتتح =HYPERLINK(\"http://evil.example\") مؤتمرا في <script>alert(1)</script>."


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> Path:
    article = Article(id="<img src=x onerror=alert(1)>", text=HOSTILE_TEXT,
                      title="<script>alert('t')</script>", published=dt.date(2020, 1, 2),
                      source="@evil", url="javascript:alert(document.cookie)")
    trigger = HOSTILE_TEXT.index("مؤتمرا")
    event = Event(type="conference", name="=HYPERLINK(\"http://evil.example\",\"x\")",
                  start=dt.date(2020, 1, 2), end=None, status="held",
                  venue=Venue("+cmd|' /C calc'!A0", "-2+3", "SA", 21.5, 39.2),
                  participants=None,
                  actors=(Actor("@SUM(1+1)", "<b>bold</b>", "organization"),),
                  themes=(), evidence=(Span(0, len(HOSTILE_TEXT)),), confidence=0.5,
                  trigger=Span(trigger, trigger + len("مؤتمرا")), source="test")
    path = tmp_path_factory.mktemp("hostile") / "analytics.duckdb"
    with Store.open(path) as store:
        store.ingest([Extraction(article=article, events=(event,))])
    return path


def test_formula_like_names_are_neutralized_in_csv_and_excel(hostile_store, monkeypatch,
                                                             downloads):
    open_records(hostile_store, monkeypatch)
    text = downloads["events.csv"][0]().decode("utf-8-sig")
    rows = pd.read_csv(io.StringIO(text))
    assert rows["name"][0] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert rows["venue_name_ar"][0] == "'+cmd|' /C calc'!A0"
    assert rows["venue_name_en"][0] == "'-2+3"
    assert rows["actors_ar"][0] == "'@SUM(1+1)"
    sheet = load_workbook(io.BytesIO(downloads["events.xlsx"][0]())).active
    header, values = list(sheet.iter_rows(min_row=1, max_row=2))
    cells = {h.value: c for h, c in zip(header, values, strict=True)}
    assert cells["name"].value.startswith("'=") and cells["name"].data_type == "s"
    assert cells["actors_ar"].value == "'@SUM(1+1)"


def test_hostile_titles_and_urls_stay_inert_on_the_page(hostile_store, monkeypatch):
    at = open_records(hostile_store, monkeypatch)
    articles = tabs(at)["articles"]
    assert list(articles["Title"]) == ["<script>alert('t')</script>"]  # shown as text
    assert pd.isna(articles.iloc[0, -1])  # the javascript: URL is no link
    assert not [m for m in at.markdown if "<script>" in m.value]
