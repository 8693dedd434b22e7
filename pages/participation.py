"""Participation: events per person and per organization, actors by theme, participants per
event, organizations that take part together, and delegations per country, under the sidebar's
filters."""

import pandas as pd
import streamlit as st

from analytics.charts import labels
from analytics.charts import participation as charts
from analytics.queries import participation

store, filters, lang = (st.session_state[k] for k in ("store", "filters", "lang"))


@st.cache_data(show_spinner=False, max_entries=128)
def ask(question: str, _store, store_key: tuple, filters, *args) -> pd.DataFrame:
    """A query's result, cached per store file and version, filter state and arguments."""
    return getattr(participation, question)(_store, filters, *args)


key = (str(store.path), store.version())
st.title(labels.text("page_participation", lang))
top = st.slider(labels.text("top_n", lang), 5, 40, 15, key="participation_top")

persons, organizations = st.columns(2)
for column, kind in ((persons, "person"), (organizations, "organization")):
    column.plotly_chart(charts.events_per_actor(
        ask("events_per_actor", store, key, filters, kind, top), kind, lang),
        key=f"participation_{kind}")
st.plotly_chart(charts.actor_themes(ask("actor_themes", store, key, filters, top), lang),
                key="participation_themes")
st.plotly_chart(charts.participants_per_event(
    ask("participants_per_event", store, key, filters, top), lang),
    key="participation_per_event")
st.plotly_chart(charts.co_participation(ask("co_participation", store, key, filters, top),
                                        lang), key="participation_pairs")
st.plotly_chart(charts.delegations(ask("delegations_per_country", store, key, filters, top),
                                   lang), key="participation_delegations")
st.caption(labels.text("delegations_note", lang))
