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


def marker_named(page, frame, name: str):
    """The venue marker whose tooltip shows `name` (hovering each in turn)."""
    markers = frame.locator("path.venue-marker")
    markers.first.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)  # let the map finish fitting its bounds
    for _ in range(3):
        for index in range(markers.count()):
            markers.nth(index).hover(force=True)
            page.wait_for_timeout(200)
            texts = frame.locator(".leaflet-tooltip").all_inner_texts()
            if any(name in text for text in texts):
                return markers.nth(index)
    pytest.fail(f"no venue marker with the tooltip {name}")


def test_clicking_a_venue_filters_every_view_and_its_popup_lists_the_events_held_there(
        dashboard, page, outbound):
    page.goto(f"{dashboard}/map")
    wait_for_app(page)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.venue-marker").nth(3).wait_for(timeout=30_000)
    marker_named(page, frame, "Baku").click(force=True)
    # The pick becomes the sidebar's venue filter, mirrored in the URL, and the map redraws
    # with Baku alone.
    page.wait_for_function("() => new URLSearchParams(location.search).has('city')",
                           timeout=30_000)
    assert "باكو" in page.evaluate("() => new URLSearchParams(location.search).getAll('city')")
    wait_for_app(page)
    frame.locator("path.venue-marker").first.wait_for(timeout=30_000)
    page.wait_for_function(
        """() => [...document.querySelectorAll('iframe')].some(f => {
               const d = f.contentDocument;
               return d && d.querySelectorAll('path.venue-marker').length === 1; })""",
        timeout=30_000)
    marker_named(page, frame, "Baku").click(force=True)
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
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

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
            # The direction comes with the run's first elements, a few frames after the title
            # may be drawn: wait for it (up to 10 s) rather than read it at one instant.
            wanted = "rtl" if lang == "ar" else "ltr"
            try:
                page.wait_for_function(
                    """wanted => getComputedStyle(document.querySelector(
                           '[data-testid="stMain"]')).direction === wanted""",
                    arg=wanted, timeout=10_000)
            except PlaywrightTimeout:
                pass
            direction = page.eval_on_selector('[data-testid="stMain"]',
                                              "e => getComputedStyle(e).direction")
            assert direction == wanted, (path, lang)
    assert outbound.urls == []
