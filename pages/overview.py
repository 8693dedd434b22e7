"""Overview: key figures, and events by month and by type, under the sidebar's filters."""

import streamlit as st

from analytics import charts, queries
from analytics.charts import labels

store, filters, lang = (st.session_state[k] for k in ("store", "filters", "lang"))

st.title(labels.text("page_overview", lang))
figures = queries.key_figures(store, filters).iloc[0]
counts = ("events", "articles", "actors", "venues")
*count_columns, span_column = st.columns(len(counts) + 1)
for column, key in zip(count_columns, counts, strict=True):
    column.metric(labels.text(key, lang), int(figures[key]))
first, last = queries.as_date(figures["first_date"]), queries.as_date(figures["last_date"])
span_column.metric(labels.text("date_span", lang), f"{first} – {last}" if first else "–")

st.plotly_chart(charts.events_by_month(queries.events_by_month(store, filters), lang))
st.plotly_chart(charts.events_by_type(queries.events_by_type(store, filters), lang))
