"""The participation page under AppTest, on the hand-made store (tests/dashboard_stores.py): its
six charts hold the store's figures and follow the sidebar and the top-N control."""

from __future__ import annotations

import pytest

from dashboard_stores import handmade_store
from page_checks import app_on, figures, open_page, run


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    return handmade_store(tmp_path_factory.mktemp("page_participation") / "analytics.duckdb")


@pytest.fixture
def app(store_path, monkeypatch):
    return app_on(store_path, monkeypatch)


def charts_by_title(at) -> dict[str, dict]:
    return {fig["layout"]["title"]["text"]: fig for fig in figures(at)}


def bars(fig: dict) -> dict[str, int]:
    (trace,) = fig["data"]
    return dict(zip(trace["y"], trace["x"], strict=True))


def test_the_page_draws_its_six_charts_from_the_store(app):
    at = open_page(app, "participation.py")
    assert at.title[0].value == "Participation"
    charts = charts_by_title(at)
    assert set(charts) == {"Events per person", "Events per organization", "Actors by theme",
                           "Participants per event", "Organizations taking part together",
                           "Delegations per country"}
    assert bars(charts["Events per organization"]) == {
        "Organisation of Islamic Cooperation": 2, "United Nations": 1,
        "League of Arab States": 1}
    assert bars(charts["Events per person"]) == {"Rashid Khalikov": 1, "Mustafa": 1,
                                                 "Hisham Youssef": 1}
    assert bars(charts["Delegations per country"]) == {"Azerbaijan": 1, "Egypt": 1}
    (pairs,) = charts["Organizations taking part together"]["data"]
    assert set(pairs["x"]) == {"Organisation of Islamic Cooperation", "United Nations",
                               "League of Arab States"}
    assert "delegation is a country" in at.caption[0].value


def test_the_sidebar_filters_change_every_chart(app):
    run(app)
    app.multiselect(key="types").set_value(["summit"])
    at = run(app.switch_page("app_pages/participation.py"))
    charts = charts_by_title(at)
    assert bars(charts["Events per organization"]) == {"Organisation of Islamic Cooperation": 1}
    assert [a["text"] for a in charts["Delegations per country"]["layout"]["annotations"]] == \
        ["No event matches these filters."]


def test_the_top_n_control_limits_the_rows(app):
    at = open_page(app, "participation.py")
    at.number_input(key="participation_top").set_value(1)
    run(at)
    charts = charts_by_title(at)
    assert bars(charts["Events per organization"]) == {"Organisation of Islamic Cooperation": 2}
    assert len(bars(charts["Events per person"])) == 1


def test_in_arabic_the_charts_are_named_in_arabic_and_mirrored(app):
    app.query_params["lang"] = "ar"
    at = open_page(app, "participation.py")
    charts = charts_by_title(at)
    delegations = charts["الوفود حسب البلد"]
    assert bars(delegations) == {"أذربيجان": 1, "مصر": 1}
    assert delegations["layout"]["xaxis"]["autorange"] == "reversed"


def test_in_arabic_the_heat_maps_put_their_colour_bar_on_the_left_clear_of_the_names(app):
    app.query_params["lang"] = "ar"
    at = open_page(app, "participation.py")
    (heat,) = charts_by_title(at)["الفاعلون حسب الموضوع"]["data"]
    assert heat["colorbar"]["x"] < 0 and heat["colorbar"]["xanchor"] == "right"
    assert at.number_input(key="participation_top").value == 15  # a number: no slider
