"""The venues map: places queries over a real store (three Arabic articles through the real
pipeline, tests/e2e/articles.py), the pure map builder, and the page through AppTest."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.charts import maps
from analytics.filters import Filters
from analytics.model import Actor, Article, Event, Extraction, Span, Venue
from analytics.queries import places
from analytics.store import Store
from e2e.articles import BAKU_LAT, BAKU_LON, build_store, run_page, started_app

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("venues") / "analytics.duckdb")


@pytest.fixture(scope="module")
def store(store_path):
    with Store.open(store_path, read_only=True) as opened:
        yield opened


# -- queries --------------------------------------------------------------------------------

def test_each_venue_is_one_row_with_its_coordinates_and_events(store):
    venues = places.venues(store, Filters()).set_index("venue_name_en")
    assert set(venues.index) == {"Baku", "Istanbul", "Cairo", "Amman"}
    baku = venues.loc["Baku"]
    assert (baku["venue_name_ar"], baku["lat"], baku["lon"]) == ("باكو", BAKU_LAT, BAKU_LON)
    assert baku["events"] == 1
    assert [e["name"] for e in baku["latest"]] == ["المنتدى العالمي السابع لتحالف الحضارات"]


def test_a_place_an_event_is_about_is_not_a_venue(store):
    about = places.places_about(store, Filters())
    assert list(about["name_en"]) == ["Jerusalem"]
    assert about["events"].iloc[0] == 1
    assert [e["type"] for e in about["latest"].iloc[0]] == ["summit"]
    assert "Jerusalem" not in set(places.venues(store, Filters())["venue_name_en"])


@pytest.mark.parametrize("filters, venues, about", [
    (Filters(), {"Baku", "Istanbul", "Cairo", "Amman"}, {"Jerusalem"}),
    (Filters(types=("summit",)), {"Istanbul"}, {"Jerusalem"}),
    (Filters(types=("forum",)), {"Baku"}, set()),
    (Filters(statuses=("planned",)), {"Amman"}, set()),
    (Filters(search="باكو"), {"Baku"}, set()),
], ids=repr)
def test_the_sidebar_filters_choose_the_places(store, filters, venues, about):
    assert set(places.venues(store, filters)["venue_name_en"]) == venues
    assert set(places.places_about(store, filters)["name_en"]) == about


# -- the map builder ------------------------------------------------------------------------

def frame(**overrides) -> pd.DataFrame:
    row = {"venue_name_ar": "باكو", "venue_name_en": "Baku", "venue_country": "AZ",
           "lat": BAKU_LAT, "lon": BAKU_LON, "events": 3, "participants": 2000,
           "latest": [{"id": "e1", "name": "منتدى", "type": "forum", "start_date": None,
                       "end_date": None, "status": "held"}]}
    rows = [row,
            row | {"venue_name_ar": "القاهرة", "venue_name_en": "Cairo", "lat": 30.06,
                   "lon": 31.25, "events": 1, "participants": 0},
            row | {"venue_name_ar": "نواكشوط", "venue_name_en": None, "lat": 18.08,
                   "lon": -15.97, "events": 2, "participants": 10}]
    return pd.DataFrame([r | overrides for r in rows])


NO_ABOUT = pd.DataFrame(columns=["name_ar", "name_en", "country", "lat", "lon", "events",
                                 "latest"])


def rendered(fmap) -> str:
    return fmap.get_root().render()


def test_the_map_loads_its_scripts_and_styles_from_the_apps_own_static_files():
    html = rendered(maps.venue_map(frame(), NO_ABOUT))
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/app/static/") for a in assets), assets
    for asset in assets + [maps.COUNTRIES_URL]:
        assert (ROOT / "static" / asset.removeprefix("/app/static/")).is_file(), asset


def test_the_map_fetches_no_tiles_unless_asked():
    assert "tile.openstreetmap.org" not in rendered(maps.venue_map(frame(), NO_ABOUT))
    online = rendered(maps.venue_map(frame(), NO_ABOUT, tiles="osm"))
    assert "tile.openstreetmap.org" in online


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "`${alert(1)}`",
    "\\`);alert(1);//",
])
def test_names_from_the_data_reach_popups_and_tooltips_inert(hostile):
    df = frame(venue_name_en=hostile,
               latest=[{"id": "e1", "name": hostile, "type": "forum", "start_date": None,
                        "end_date": None, "status": None}])
    html = rendered(maps.venue_map(df, NO_ABOUT))
    assert hostile not in html
    for dangerous in ("<script>alert", "<img src=x", "${alert", "`);alert"):
        assert dangerous not in html


@pytest.mark.parametrize("text", ["</script><script>alert(1)</script>", "<!--", "a & b",
                                  "\u2028", "باكو"])
def test_data_in_the_maps_script_cannot_end_the_script_and_reads_back(text):
    encoded = maps.script_json({"popup": text})
    assert not re.search(r"[<>&\u2028]", encoded)
    assert json.loads(encoded) == {"popup": text}


@pytest.mark.parametrize("template", ["{{ 7*7 }}", "{% if true %}49{% endif %}"])
def test_template_syntax_in_the_data_is_never_run_by_the_map_renderer(template):
    # folium parses rendered scripts again as Jinja templates: the data must not reach it.
    df = frame(venue_name_en=f"x{template}x",
               latest=[{"id": "e1", "name": f"y{template}y", "type": "forum",
                        "start_date": None, "end_date": None, "status": None}])
    html = rendered(maps.venue_map(df, NO_ABOUT))
    assert "x49x" not in html and "y49y" not in html
    assert "Baku" not in html  # the hostile name replaced it


def test_popups_are_right_to_left_in_arabic_and_list_the_events():
    popup = maps.popup_html("باكو", 3, frame()["latest"].iloc[0], "ar", participants=2000)
    assert popup.startswith('<div dir="rtl"')
    assert "منتدى" in popup and "2000" in popup
    assert "و2 غيرها" in popup  # three events, one listed
    assert maps.popup_html("Baku", 1, [], "en").startswith('<div dir="ltr"')


@pytest.mark.parametrize("name_ar, name_en, lang, expected", [
    ("باكو", "Baku", "en", "Baku"),
    ("باكو", "Baku", "ar", "باكو"),
    ("نواكشوط", None, "en", "نواكشوط"),
    ("نواكشوط", float("nan"), "en", "نواكشوط"),
])
def test_place_names_follow_the_language(name_ar, name_en, lang, expected):
    assert maps.place_name(name_ar, name_en, lang) == expected


def test_marker_area_grows_with_the_chosen_measure():
    assert maps.radius(0, 10) == maps.MIN_RADIUS
    assert maps.radius(10, 10) == maps.MAX_RADIUS
    assert maps.MIN_RADIUS < maps.radius(1, 10) < maps.radius(5, 10) < maps.MAX_RADIUS


@pytest.mark.parametrize("lat, lon, tooltip, expected", [
    (BAKU_LAT, BAKU_LON, "Baku (3)", "باكو"),
    # Leaflet gives the pointer's position on a large circle, not its centre.
    (BAKU_LAT + 0.8, BAKU_LON - 0.5, " Baku (3) ", "باكو"),
    (BAKU_LAT, BAKU_LON, None, "باكو"),
    (30.5, 31.0, "Cairo (1)", "القاهرة"),
    (18.0, -16.0, "نواكشوط (2)", "نواكشوط"),  # no English name: the Arabic one
    (31.77, 35.22, "Jerusalem (1)", None),    # a place events are about, not a venue
    (-40.0, 170.0, None, None),               # far from every venue
    (None, None, None, None),
], ids=repr)
def test_a_click_on_a_marker_names_its_venue(lat, lon, tooltip, expected):
    assert maps.venue_at(frame(), lat, lon, "en", tooltip=tooltip) == expected


def test_marker_size_is_events_or_participants():
    with pytest.raises(ValueError, match="size_by"):
        maps.venue_map(frame(), NO_ABOUT, size_by="articles")


# -- the page -------------------------------------------------------------------------------

@pytest.fixture
def app(store_path, monkeypatch) -> AppTest:
    return started_app(store_path, monkeypatch)


def open_venues(at: AppTest) -> AppTest:
    return run_page(at, "app_pages/venues.py")


def test_the_page_lists_the_venues_it_maps_with_their_coordinates(app):
    at = open_venues(app)
    assert at.title[0].value == "Venues map"
    table = at.dataframe[0].value.set_index("Venue")
    assert set(table.index) == {"Baku", "Istanbul", "Cairo", "Amman"}
    assert (table.loc["Baku", "Latitude"], table.loc["Baku", "Longitude"]) == (BAKU_LAT,
                                                                              BAKU_LON)


def test_the_page_follows_the_sidebar_filters(app):
    app.multiselect(key="types").set_value(["summit"])
    at = open_venues(app)
    assert list(at.dataframe[0].value["Venue"]) == ["Istanbul"]


def test_in_arabic_the_venues_have_their_arabic_names(app):
    app.radio(key="lang").set_value("ar").run()
    at = open_venues(app)
    assert at.title[0].value == "خريطة الأماكن"
    assert "باكو" in set(at.dataframe[0].value["المكان"])


def test_marker_size_can_follow_participants(app):
    at = open_venues(app)
    at.radio(key="venue_size").set_value("participants").run()
    assert not at.exception
    assert at.radio(key="venue_size").value == "participants"


def test_the_map_the_page_sends_holds_baku_at_its_coordinates_and_jerusalem_apart(app):
    at = open_venues(app)
    (component,) = [c for c in at.get("component_instance")
                    if c.proto.component_name == "streamlit_folium.st_folium"]
    args = json.loads(component.proto.json_args)
    script = args["script"]
    assert f'"lat": {BAKU_LAT}, "lon": {BAKU_LON}' in script
    assert "venue-marker" in script and "about-marker" in script
    assert "المنتدى العالمي السابع لتحالف الحضارات" in script  # Baku's popup
    assert all(link.startswith("/app/static/") for link in args["js_links"] + args["css_links"])


def test_a_popup_lists_the_latest_five_events_of_its_venue_latest_first(tmp_path):
    # Seven meetings of different people in Riyadh on six days, two on the last: the popup
    # names the five latest, newest first (of one day, the greater id first), and the marker
    # counts seven.
    riyadh = Venue("الرياض", "Riyadh", "SA", 24.69, 46.72, "geo:108410")
    days = [dt.date(2020, 3, d) for d in (1, 2, 3, 4, 5, 6, 6)]
    extractions = []
    for n, day in enumerate(days):
        text = f"اجتمع الوزير رقم {n} في الرياض."
        article = Article(id=f"riyadh-{n}", text=text, published=day)
        event = Event(type="meeting", name=None, start=day, end=None, status="held",
                      venue=riyadh, participants=None,
                      actors=(Actor(f"وزير {n}", f"Minister {n}", "person"),), themes=(),
                      evidence=(Span(0, len(text)),), confidence=0.8, trigger=Span(0, 5))
        extractions.append(Extraction(article=article, events=(event,)))
    with Store.open(tmp_path / "analytics.duckdb") as writer:
        writer.ingest(extractions)
    with Store.open(tmp_path / "analytics.duckdb", read_only=True) as store:
        row = places.venues(store, Filters()).iloc[0]
        events = store.query("SELECT id, start_date FROM events")
    assert row["events"] == 7
    latest = [(e["start_date"], e["id"]) for e in row["latest"]]
    expected = sorted(((d.date(), i) for i, d in zip(events["id"], events["start_date"])),
                      reverse=True)[:5]
    assert latest == expected
    assert [d.day for d, _ in latest] == [6, 6, 5, 4, 3]
