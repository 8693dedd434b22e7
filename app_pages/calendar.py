"""Calendar: the kept dated events by month, week, upcoming list or year (FullCalendar's MIT
views through streamlit-calendar), right to left with Arabic labels in Arabic, opening on the
next upcoming event; the shown events download as an .ics file."""

import datetime as dt

import streamlit as st
from streamlit_calendar import calendar

from analytics.charts import calendar as calendar_chart
from analytics.charts import labels
from analytics.exports.ics import events_to_ics
from analytics.queries import calendar as calendar_queries

store, filters, lang = (st.session_state[k] for k in ("store", "filters", "lang"))


@st.cache_data(show_spinner=False, max_entries=64)
def load(_store, version: str, filters, today: dt.date):
    summary = calendar_queries.calendar_summary(_store, filters, today)
    return summary, calendar_queries.calendar_events(_store, filters, summary["opening"])


st.title(labels.text("page_calendar", lang))
summary, shown = load(store, store.version(), filters, dt.date.today())
if summary["dated"] > len(shown):
    st.caption(labels.text("calendar_capped", lang, n=len(shown), day=summary["opening"],
                           total=summary["dated"]))
else:
    st.caption(labels.text("calendar_shown", lang, n=len(shown)))
if summary["undated"]:
    st.caption(labels.text("calendar_undated", lang, n=summary["undated"]))

calendar(events=calendar_chart.calendar_events(shown, lang),
         options=calendar_chart.calendar_options(lang, summary["opening"]),
         callbacks=[], key=f"calendar_{lang}")
# Built when clicked, not on every rerun (icalendar needs about a second for 2,000 events).
st.download_button(labels.text("download_ics", lang), lambda: events_to_ics(shown, lang),
                   file_name="events.ics", mime="text/calendar", key="calendar_ics")
