"""Overview: key figures, events by month and by type, and the latest and upcoming events,
under the sidebar's filters. "Today" is read here, at the page's edge, and passed to the
queries."""

import datetime as dt

import streamlit as st

from analytics import charts, queries
from analytics.charts import labels
from analytics.queries import timeline

filters, lang, cached = (st.session_state[k] for k in ("filters", "lang", "cached"))

st.title(labels.text("page_overview", lang))
figures = cached(queries.key_figures, filters).iloc[0]
counts = ("events", "articles", "actors", "venues")
*count_columns, span_column = st.columns(len(counts) + 1)
for column, name in zip(count_columns, counts, strict=True):
    column.metric(labels.text(name, lang), int(figures[name]))
first, last = queries.as_date(figures["first_date"]), queries.as_date(figures["last_date"])
span_column.metric(labels.text("date_span", lang), f"{first} – {last}" if first else "–")

st.plotly_chart(charts.events_by_month(cached(queries.events_by_month, filters), lang))
st.plotly_chart(charts.events_by_type(cached(queries.events_by_type, filters), lang))

today = dt.date.today()
venue = "venue_ar" if lang == "ar" else "venue_en"
for heading, question in (("latest", timeline.latest_events),
                          ("upcoming", timeline.upcoming_events)):
    st.subheader(labels.text(heading, lang))
    listed = cached(question, filters, today)
    if listed.empty:
        st.caption(labels.text("none_listed", lang))
        continue
    shown = listed.assign(
        type=listed["type"].map(lambda code: labels.event_type(code, lang)),
        status=listed["status"].map(lambda code: labels.status(code, lang)),
        name=listed["name"].fillna(""),
        col_n_sources=listed["n_sources"],
        notes=[labels.event_marks(c, k, lang) for c, k in
               zip(listed["conflicts"], listed["corrected_fields"], strict=True)],
    )[["start_date", "end_date", "type", "name", "status", venue, "col_n_sources", "notes"]]
    st.dataframe(shown.rename(columns=lambda c: labels.column(
        "venue" if c == venue else c, lang)), hide_index=True, key=f"overview_{heading}")
