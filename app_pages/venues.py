"""Venues map: where the kept events were held (clustered, sized by events or participants) and,
in a layer of its own, the places they were about. A click on a venue puts its Arabic name in
`st.session_state["venue_pick"]` and reruns: the sidebar (app.py) takes it as its venue-city
filter, for every page.
"""

import os

import streamlit as st
from streamlit_folium import st_folium

from analytics.charts import labels, maps
from analytics.queries import places

store, filters, lang = (st.session_state[k] for k in ("store", "filters", "lang"))


@st.cache_data(show_spinner=False, max_entries=64)
def load(_store, version: str, filters):
    return places.venues(_store, filters), places.places_about(_store, filters)


st.title(labels.text("page_venues", lang))
venues, about = load(store, store.version(), filters)
size_by = st.radio(labels.text("map_size_by", lang), maps.SIZE_BY, key="venue_size",
                   horizontal=True, format_func=lambda v: labels.text(f"map_size_{v}", lang))
st.caption(labels.text("map_help", lang))
if not len(venues) and not len(about):
    st.info(labels.text("map_no_places", lang))

# Tiles need the internet: off unless the machine is known to be online.
tiles = "osm" if os.environ.get("ANALYTICS_MAP_TILES", "").lower() == "osm" else None
fmap = maps.venue_map(venues, about, lang, size_by=size_by, tiles=tiles)
state = st_folium(fmap, key="venue_map", height=560, use_container_width=True,
                  returned_objects=["last_object_clicked", "last_object_clicked_tooltip"]) or {}
clicked = state.get("last_object_clicked")
# The component repeats its last click on every rerun: act on a new one only.
if clicked and clicked != st.session_state.get("venue_map_click"):
    st.session_state["venue_map_click"] = clicked
    name = maps.venue_at(venues, clicked.get("lat"), clicked.get("lng"), lang,
                         tooltip=state.get("last_object_clicked_tooltip"))
    if name:
        st.session_state["venue_pick"] = name
        st.rerun()  # the sidebar, which runs before this page, turns it into its filter

table = venues.assign(venue=[maps.place_name(a, e, lang) for a, e in
                             zip(venues["venue_name_ar"], venues["venue_name_en"], strict=True)])
st.dataframe(table[["venue", "venue_country", "events", "participants", "lat", "lon"]]
             .rename(columns=lambda name: labels.column(name, lang)), hide_index=True)
