"""The timeline page under AppTest, on the hand-made store (tests/dashboard_stores.py): what the
figure holds, how its controls and the sidebar change it, and the detail of a chosen event."""

from __future__ import annotations

import pytest

from dashboard_stores import BAKU_ID, BAKU_TITLE, baku_event_id, handmade_store
from page_checks import app_on, figures, html_blocks, open_page, run


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    return handmade_store(tmp_path_factory.mktemp("page_timeline") / "analytics.duckdb")


@pytest.fixture(scope="module")
def baku_event(store_path) -> str:
    return baku_event_id(store_path)


@pytest.fixture
def app(store_path, monkeypatch):
    return app_on(store_path, monkeypatch)


def rows_drawn(at) -> set[str]:
    (fig,) = figures(at)
    return {y for trace in fig["data"] for y in trace["y"]}


def ids_drawn(at) -> set[str]:
    (fig,) = figures(at)
    return {c[0] for trace in fig["data"] for c in trace["customdata"]}


def test_the_timeline_draws_every_dated_event_one_row_per_actor(app):
    at = open_page(app, "timeline.py")
    assert at.title[0].value == "Timeline"
    assert {"Organisation of Islamic Cooperation", "United Nations", "Azerbaijan",
            "Hisham Youssef", "League of Arab States"} <= rows_drawn(at)
    assert len(ids_drawn(at)) == 4  # the undated visit is not drawn


def test_grouping_by_venue_gives_one_row_per_venue(app):
    at = open_page(app, "timeline.py")
    at.radio(key="timeline_group").set_value("venue")
    run(at)
    assert rows_drawn(at) == {"Baku", "Cairo", "Istanbul", "Jeddah"}


def test_colouring_by_theme_makes_one_legend_entry_per_theme(app):
    at = open_page(app, "timeline.py")
    at.radio(key="timeline_color").set_value("theme")
    run(at)
    (fig,) = figures(at)
    assert {t["name"] for t in fig["data"]} == {"Humanitarian", "Education",
                                                "Intercultural dialogue"}
    assert [t["name"] for t in fig["data"] if t.get("showlegend", True)] == \
        ["Education", "Humanitarian", "Intercultural dialogue"]


def test_the_sidebar_filters_narrow_the_timeline(app):
    at = open_page(app, "timeline.py")
    at.multiselect(key="types").set_value(["summit"])
    run(at)
    assert rows_drawn(at) == {"Organisation of Islamic Cooperation"}
    assert len(ids_drawn(at)) == 1


def test_choosing_an_event_opens_its_detail_and_puts_it_in_the_url(app, baku_event):
    at = open_page(app, "timeline.py")
    assert not [s for s in at.subheader if s.value == "Event detail"]
    picker = next(s for s in at.selectbox if s.key.startswith("timeline_pick"))
    picker.set_value(baku_event)
    run(at)
    assert at.query_params["event"] == baku_event
    assert [s.value for s in at.subheader] == ["Event detail"]
    fields = at.dataframe[0].value
    shown = dict(zip(fields["Field"], fields["Value"], strict=True))
    assert (shown["Type"], shown["Venue"], shown["Start"]) == ("Meeting", "Baku", "2016-04-25")
    assert shown["Themes"] == "Intercultural dialogue"


def test_a_linked_event_shows_its_actors_places_about_and_highlighted_evidence(
        app, baku_event):
    at = open_page(app, "timeline.py", event=baku_event)
    actors, about = (df.value for df in at.dataframe[1:3])
    assert list(actors["Name"]) == ["Organisation of Islamic Cooperation", "United Nations",
                                    "Azerbaijan", "Egypt"]
    assert list(about["Name"]) == ["Jerusalem"]
    (evidence,) = html_blocks(at, 'class="hl-text"')
    assert 'class="hl-selected"' in evidence and "باكو" in evidence
    assert "الحوار بين الثقافات" not in evidence  # only the evidence sentence is shown
    (link,) = at.get("page_link")
    assert (link.proto.page, link.proto.query_string) == (
        "read", f"article={BAKU_ID}&event={baku_event}")


def test_the_source_title_from_the_data_is_shown_as_text_not_html(app, baku_event):
    at = open_page(app, "timeline.py", event=baku_event)
    assert BAKU_TITLE in [t.value for t in at.text]
    assert not any("<script>" in m.value for m in at.markdown)


def test_in_arabic_the_timeline_is_mirrored_and_named_in_arabic(app):
    app.query_params["lang"] = "ar"
    at = open_page(app, "timeline.py")
    assert at.title[0].value == "الخط الزمني"
    (fig,) = figures(at)
    assert fig["layout"]["xaxis"]["autorange"] == "reversed"
    assert "منظمة التعاون الإسلامي" in rows_drawn(at)
