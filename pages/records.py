"""The events table: one row per event kept by the sidebar's filters, and its CSV download."""

import streamlit as st

from analytics import queries
from analytics.charts import labels

store, filters, lang = (st.session_state[k] for k in ("store", "filters", "lang"))

st.title(labels.text("page_records", lang))
table = queries.event_table(store, filters)
shown = table.assign(
    type=table["type"].map(lambda code: labels.event_type(code, lang)),
    status=table["status"].map(lambda code: labels.status(code, lang)))
st.caption(labels.text("rows", lang, n=len(table)))
st.dataframe(shown.rename(columns=lambda name: labels.column(name, lang)), hide_index=True)
# The file keeps the data's own codes and column names (scripts read it); the byte order mark
# makes spreadsheet programs read the Arabic as UTF-8.
st.download_button(labels.text("download_csv", lang),
                   table.to_csv(index=False).encode("utf-8-sig"),
                   file_name="events.csv", mime="text/csv")
