"""The dashboard in a real browser (Debian's chromium), offline: the venue map draws its markers
and the country outlines, the calendar is right to left with Arabic buttons, and every page
loads without an error; in each, no request leaves the machine."""

from __future__ import annotations

import re

import pytest

from e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
CALENDAR_FRAME = 'iframe[title="streamlit_calendar.calendar"]'


def test_the_venue_map_draws_markers_and_country_outlines_with_no_outbound_request(
        dashboard, page, outbound):
    page.goto(f"{dashboard}/map")
    wait_for_app(page)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-container").wait_for(timeout=30_000)
    # The four venues (Baku, Istanbul, Cairo, Amman) apart at the fitted zoom, and Jerusalem,
    # which an event is about, in its own layer.
    frame.locator("path.venue-marker").nth(3).wait_for(timeout=30_000)
    frame.locator("path.about-marker").first.wait_for(timeout=30_000)
    # Country outlines, fetched from /app/static/, in their own pane under the markers.
    frame.locator(".leaflet-countries-pane path").nth(100).wait_for(state="attached",
                                                                   timeout=30_000)
    assert frame.locator(".marker-cluster").count() == 0  # no stale cluster icon
    assert outbound.urls == []


def test_clicking_a_venue_opens_its_popup_listing_the_events_held_there(
        dashboard, page, outbound):
    page.goto(f"{dashboard}/map")
    wait_for_app(page)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-container").wait_for(timeout=30_000)
    # The tooltip names the venue; the popup lists its events.
    baku = frame.locator("path.venue-marker")
    baku.first.wait_for(timeout=30_000)
    for index in range(baku.count()):
        baku.nth(index).hover(force=True)
        tooltip = frame.locator(".leaflet-tooltip")
        if tooltip.count() and "Baku" in tooltip.first.inner_text():
            baku.nth(index).click(force=True)
            break
    else:
        pytest.fail("no marker with the tooltip Baku")
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    assert "المنتدى العالمي السابع لتحالف الحضارات" in popup.inner_text()
    assert outbound.urls == []


def test_the_calendar_is_right_to_left_with_arabic_buttons_and_shows_events(
        dashboard, page, outbound):
    page.goto(f"{dashboard}/agenda?lang=ar")
    wait_for_app(page)
    direction = page.eval_on_selector('[data-testid="stMain"]',
                                      "e => getComputedStyle(e).direction")
    assert direction == "rtl"
    frame = page.frame_locator(CALENDAR_FRAME)
    calendar = frame.locator(".fc")
    calendar.wait_for(timeout=30_000)
    assert "fc-direction-rtl" in calendar.get_attribute("class")
    buttons = frame.locator(".fc-toolbar button").all_inner_texts()
    assert {"اليوم", "شهر", "أسبوع", "قائمة"} <= {b.strip() for b in buttons}
    frame.locator(".fc-event").first.wait_for(timeout=10_000)
    assert outbound.urls == []


def test_every_registered_page_loads_without_an_exception_or_an_outbound_request(
        dashboard, page, outbound):
    page.goto(dashboard)
    wait_for_app(page)
    links = page.locator('[data-testid="stSidebarNav"] a')
    links.first.wait_for(timeout=30_000)
    paths = sorted({re.sub(r"^https?://[^/]+", "", href)
                    for href in (links.nth(i).get_attribute("href")
                                 for i in range(links.count())) if href})
    assert {"/map", "/agenda"} <= set(paths), paths
    for lang in ("en", "ar"):
        for path in paths:
            page.goto(f"{dashboard}{path}?lang={lang}")
            wait_for_app(page)
            errors = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
            assert errors.count() == 0, (path, lang, errors.all_inner_texts())
    assert outbound.urls == []
