"""Participation: events per person and per organization, actors by theme, participants per
event, organizations that take part together, and delegations per country, under the sidebar's
filters."""

import streamlit as st

from analytics.charts import labels
from analytics.charts import participation as charts
from analytics.queries import participation

filters, lang, cached = (st.session_state[k] for k in ("filters", "lang", "cached"))

st.title(labels.text("page_participation", lang))
# A number, not a slider: a slider runs left to right whatever the page's direction.
top = int(st.number_input(labels.text("top_n", lang), min_value=1, max_value=40, value=15,
                          step=1, key="participation_top"))

persons, organizations = st.columns(2)
for column, kind in ((persons, "person"), (organizations, "organization")):
    column.plotly_chart(charts.events_per_actor(
        cached(participation.events_per_actor, filters, kind, top), kind, lang),
        key=f"participation_{kind}")
st.plotly_chart(charts.actor_themes(cached(participation.actor_themes, filters, top), lang),
                key="participation_themes")
st.plotly_chart(charts.participants_per_event(
    cached(participation.participants_per_event, filters, top), lang),
    key="participation_per_event")
st.plotly_chart(charts.co_participation(cached(participation.co_participation, filters, top),
                                        lang), key="participation_pairs")
st.plotly_chart(charts.delegations(cached(participation.delegations_per_country, filters, top),
                                   lang), key="participation_delegations")
st.caption(labels.text("delegations_note", lang))
