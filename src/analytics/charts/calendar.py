"""The calendar: `queries.calendar.calendar_events` frames -> FullCalendar events and options
(what `streamlit_calendar.calendar` takes).

Input: a frame of events (the columns of `queries.calendar.calendar_events`), a language code
and the day the calendar opens on. Output: plain lists and dicts, JSON for the component; pure,
no streamlit. Only FullCalendar's MIT views are named (dayGrid, timeGrid, list, multiMonth).

streamlit-calendar bundles no locale packs: a locale code alone gives English buttons, so Arabic
mode passes a whole locale object (code, direction, button texts) built from `labels`.
Titles are escaped like every text from the data that reaches the page.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

from analytics.charts import EVENT_COLORS, labels

UPCOMING_DAYS = 90
VIEWS = "dayGridMonth,timeGridWeek,listUpcoming,multiMonthYear"


def event_title(row: pd.Series | dict, lang: str) -> str:
    """An event's calendar title, escaped: its name (else its type), its venue, and its number
    of sources with its marks (sources that disagree, an analyst's correction)."""
    name = row.get("name")
    title = name if isinstance(name, str) and name else labels.event_type(row.get("type") or "",
                                                                          lang)
    venue_en, venue_ar = row.get("venue_name_en"), row.get("venue_name_ar")
    venue = venue_en if lang == "en" and isinstance(venue_en, str) and venue_en else venue_ar
    if isinstance(venue, str) and venue:
        title = f"{title} – {venue}"
    if "n_sources" in row:
        note = labels.event_sources_note(row.get("n_sources"), row.get("conflicts"),
                                         row.get("corrected_fields"), lang)
        title = f"{title} ({note})"
    return html.escape(title)


def _day(value: object) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def calendar_events(df: pd.DataFrame, lang: str = "en") -> list[dict]:
    """One all-day FullCalendar event per dated row; FullCalendar's `end` is exclusive, hence
    the day after the last day."""
    events = []
    for row in df.to_dict("records"):
        start = _day(row.get("start_date"))
        if start is None:
            continue
        last = _day(row.get("end_date")) or start
        color = EVENT_COLORS.get(row.get("type"), "#3788d8")
        events.append({
            "id": str(row["id"]), "title": event_title(row, lang), "allDay": True,
            "start": start.isoformat(), "end": (max(last, start) + dt.timedelta(days=1)).isoformat(),
            "backgroundColor": color, "borderColor": color,
        })
    return events


def locale(lang: str) -> dict:
    """FullCalendar's locale object for `lang`: in Arabic right to left, Saturday first, with
    Arabic button texts."""
    def t(key: str) -> str:
        return labels.text(key, lang)
    return {
        "code": lang, "direction": "rtl" if lang == "ar" else "ltr",
        "week": {"dow": 6 if lang == "ar" else 1, "doy": 12 if lang == "ar" else 4},
        "buttonText": {"prev": t("cal_prev"), "next": t("cal_next"), "today": t("cal_today"),
                       "month": t("cal_month"), "week": t("cal_week"), "list": t("cal_list"),
                       "year": t("cal_year")},
        "allDayText": t("cal_all_day"), "noEventsText": t("cal_no_events"),
        "moreLinkText": t("cal_more"),
    }


def calendar_options(lang: str, opening: dt.date, view: str = "dayGridMonth") -> dict:
    """The calendar's options: month, week, upcoming-list and year views (the list starts on
    the opening day, so upcoming events come first), opening on `opening`."""
    return {
        "initialView": view, "initialDate": opening.isoformat(),
        "locale": locale(lang), "direction": "rtl" if lang == "ar" else "ltr",
        "headerToolbar": {"left": "prev,next today", "center": "title", "right": VIEWS},
        "views": {
            "listUpcoming": {"type": "list", "duration": {"days": UPCOMING_DAYS},
                             "buttonText": labels.text("cal_list", lang)},
            "multiMonthYear": {"type": "multiMonth", "duration": {"years": 1},
                               "buttonText": labels.text("cal_year", lang)},
        },
        "firstDay": 6 if lang == "ar" else 1,
        "height": 680, "dayMaxEvents": 4, "navLinks": False, "editable": False,
    }
