"""Calendar files: an events frame -> iCalendar (RFC 5545) bytes, for the calendar page's and
the records page's downloads.

Input: a DataFrame with the columns of `analytics.queries.event_table` (or the subset that
`analytics.queries.calendar.calendar_events` returns: `id`, `start_date`, `end_date`, `type`,
`name`, `status`, venue and actor names), or an iterable of such DataFrames (a million events
come in chunks: each event is written out as it is made, never all held as objects), and a
language code. Output: the bytes of a
VCALENDAR with one all-day VEVENT per dated row (undated rows cannot be placed on a calendar
and are left out).

- DTEND is exclusive (RFC 5545 3.6.1): a one-day event on 23 May ends on 24 May.
- UID is derived from the event id alone, so a re-export replaces rather than duplicates the
  events in a calendar program.
- DTSTAMP is the export time (pass `stamp` for a reproducible file).
"""

from __future__ import annotations

import datetime as dt
import tempfile

import pandas as pd
from icalendar import Calendar, Event

from analytics.charts import labels
from analytics.exports.tables import Rows, chunks

PRODID = "-//analytics//Arabic news event observatory//EN"
UID_DOMAIN = "analytics.events"
# held and ongoing events are reported as taking place; planned ones may still move.
ICS_STATUS = {"held": "CONFIRMED", "ongoing": "CONFIRMED", "planned": "TENTATIVE"}


def _text(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _day(value: object) -> dt.date | None:
    # pd.isna covers None, NaN and NaT (which is also a datetime instance).
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def event_uid(event_id: str) -> str:
    """The VEVENT's UID: stable for an event id."""
    return f"{event_id}@{UID_DOMAIN}"


def events_to_ics(rows: Rows, lang: str = "en", *,
                  stamp: dt.datetime | None = None) -> bytes:
    """The dated rows as an iCalendar file (UTF-8 bytes). Names follow `lang`: the
    English venue and actor names falling back to the Arabic ones in English, the Arabic
    ones in Arabic; the summary is the event's name, else its type and venue."""
    stamp = stamp or dt.datetime.now(dt.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", labels.text("app_title", lang))
    # The calendar's own lines, then each event's as it is made, then the calendar's end: the
    # bytes Calendar.to_ical() gives with every event added to it.
    head = cal.to_ical()
    end = b"END:VCALENDAR\r\n"
    if not head.endswith(end):
        raise ValueError("unexpected iCalendar serialization")
    with tempfile.TemporaryFile() as out:
        out.write(head[:-len(end)])
        for df in chunks(rows):
            for row in df.to_dict("records"):
                event = _vevent(row, lang, stamp)
                if event is not None:
                    out.write(event.to_ical())
        out.write(end)
        out.seek(0)
        return out.read()


def _vevent(row: dict, lang: str, stamp: dt.datetime) -> Event | None:
    """The VEVENT of an event row; None when it is undated."""
    start = _day(row.get("start_date"))
    if start is None:
        return None
    last = max(_day(row.get("end_date")) or start, start)
    type_label = labels.event_type(_text(row.get("type")) or "", lang)
    venue_ar, venue_en = _text(row.get("venue_name_ar")), _text(row.get("venue_name_en"))
    venue = (venue_en or venue_ar) if lang == "en" else (venue_ar or venue_en)
    actors_ar, actors_en = _text(row.get("actors_ar")), _text(row.get("actors_en"))
    actors = (actors_en or actors_ar) if lang == "en" else (actors_ar or actors_en)
    summary = _text(row.get("name")) or (f"{type_label} – {venue}" if venue else type_label)

    event = Event()
    event.add("uid", event_uid(str(row["id"])))
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", last + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("categories", [type_label])
    if venue:
        country = _text(row.get("venue_country"))
        event.add("location", f"{venue} ({country})" if country else venue)
    if actors:
        event.add("description", f"{labels.text('actors', lang)}: {actors}")
    status = ICS_STATUS.get(_text(row.get("status")) or "")
    if status:
        event.add("status", status)
    return event
