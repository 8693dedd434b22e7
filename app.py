"""The dashboard's entry point (`make run`, `analytics serve`): page config, the store, the
shared sidebar (language and filters) and the navigation over the files in app_pages/.

Input: the store at $ANALYTICS_DB (else data/analytics.duckdb). Output: the page the analyst
chose, drawn under the sidebar's filters.

The sidebar lives here rather than in the pages so that its widgets keep their values when the
analyst changes page; its values are mirrored into the URL's query parameters, so a view can be
bookmarked or sent; "Clear all filters" empties them. Pages find `filters`, `store`, `lang` and
`cached` in `st.session_state`: `cached(query, filters, *args)` runs a query function of
`analytics.queries` once per filter state and store version (the store's file identity, which
changes when an ingest publishes), so a rerun that changes nothing runs no SQL. The map page
may put a picked venue's name in `st.session_state["venue_pick"]`: the sidebar takes it as the
venue-city filter. The package's errors become one message, here.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import queries
from analytics.charts import labels
from analytics.errors import AnalyticsError
from analytics.filters import Filters
from analytics.knowledge.places import load_gazetteer
from analytics.knowledge.themes import themes
from analytics.model import EVENT_TYPES, STATUSES
from analytics.store import Store, default_db

# Not "pages/": Streamlit takes a pages/ folder beside the entry file for a legacy multipage app
# and runs the first script of each server process in that mode, where a page's own URL
# (/map) is unknown and greets the analyst with a "Page not found" dialog.
PAGES = Path(__file__).parent / "app_pages"

# Arabic reads right to left. `unicode-bidi: plaintext` lets each paragraph take the direction of
# its own first letter (a Latin name or a date stays readable inside Arabic text), and
# `text-align: start` follows it; Streamlit otherwise pins text to the left. Never
# `bidi-override`: it reverses the letters of mixed text.
RTL_CSS = """<style>
[data-testid="stMain"], [data-testid="stSidebarContent"] { direction: rtl; }
[data-testid="stMain"] :is(p, li, h1, h2, h3, label, [data-testid="stMetricValue"]),
[data-testid="stSidebarContent"] :is(p, li, label) {
  unicode-bidi: plaintext; text-align: start; }
</style>"""


@st.cache_resource(show_spinner=False)
def open_store(path: str) -> Store:
    """One read-only store per path for the whole server (connections are shared)."""
    return Store.open(path, read_only=True)


# A query's result depends on the query, its arguments, the filters and the store's version;
# the Filters value is frozen, so its repr is a faithful cache key. The cache is shared by every
# session: its size is bounded (entries, and an hour's life) so that memory stays bounded.
@st.cache_data(show_spinner=False, max_entries=256, ttl=3600, hash_funcs={Filters: repr})
def _cached_query(name: str, path: str, version: str, filters: Filters | None,
                  args: tuple) -> pd.DataFrame:
    module, _, function = name.rpartition(".")
    query = getattr(importlib.import_module(module), function)
    store = open_store(path)
    return query(store, *args) if filters is None else query(store, filters, *args)


def cache_for(store: Store) -> Callable[..., pd.DataFrame]:
    """`cached(query, filters=None, *args)`: `query(store, filters, *args)` (or
    `query(store, *args)` without filters), cached per filter state and store version."""
    def cached(query: Callable[..., pd.DataFrame], filters: Filters | None = None,
               *args: object) -> pd.DataFrame:
        name = f"{query.__module__}.{query.__qualname__}"
        return _cached_query(name, str(store.path), store.version(), filters, args)
    return cached


# The sidebar's widgets, by session-state key; each stands for one field of Filters.
MULTI_FILTERS = {"actors": "actors", "themes": "themes", "types": "types",
                 "countries": "countries", "cities": "cities", "sources": "sources",
                 "statuses": "statuses"}
FILTER_KEYS = (*MULTI_FILTERS, "dates", "search", "undated")


def url_params() -> dict[str, list[str]]:
    """The URL's query parameters, every value of a repeated key kept."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def seed_from_url() -> Filters:
    """Start each sidebar widget from the URL's query parameters (a bookmarked or shared view)
    when the session has no value for it yet; returns the URL's filters."""
    params = url_params()
    wanted = Filters.from_params(params)
    lang = (params.get("lang") or [None])[-1]
    st.session_state.setdefault("lang", lang if lang in labels.LANGUAGES else "en")
    for key, field in MULTI_FILTERS.items():
        st.session_state.setdefault(key, list(getattr(wanted, field)))
    st.session_state.setdefault("search", wanted.search)
    st.session_state.setdefault("undated", wanted.undated)
    return wanted


def clear_filters() -> None:
    """The "clear all" button: every filter back to its default, in the widgets and the URL
    (the language stays)."""
    for key in FILTER_KEYS:
        st.session_state.pop(key, None)
    lang = st.session_state.get("lang", "en")
    st.query_params.from_dict(({"lang": lang} if lang != "en" else {}) | page_params())


def date_range(span: tuple[dt.date | None, dt.date | None], wanted: Filters, lang: str
               ) -> tuple[dt.date | None, dt.date | None]:
    """The sidebar's date range; the data's own first or last day means no bound."""
    first, last = span
    if first is None or last is None:
        return None, None
    current = list(st.session_state.get("dates") or (wanted.start or first, wanted.end or last))
    # The data's span grows as articles are ingested: a bound left at the old span's end (no
    # bound) moves with it, and the value is kept inside the new span.
    previous = st.session_state.get("_dates_span")
    if previous is not None:
        current = [bound if day == old else day
                   for day, old, bound in zip(current, previous, (first, last))]
    st.session_state["_dates_span"] = (first, last)
    inside = tuple(sorted(min(max(day, first), last) for day in current))
    if inside != st.session_state.get("dates"):
        st.session_state["dates"] = inside
    picked = st.sidebar.date_input(labels.text("dates", lang), min_value=first, max_value=last,
                                   key="dates")
    picked_start = picked[0] if picked else first
    picked_end = picked[1] if len(picked) > 1 else last  # mid-selection: one day picked so far
    return (picked_start if picked_start > first else None,
            picked_end if picked_end < last else None)


@st.cache_data(show_spinner=False, max_entries=8)
def filter_options(path: str, version: str) -> dict[str, pd.DataFrame]:
    """Every stored value each filter can take (read once per store version)."""
    store = open_store(path)
    return {"actors": queries.actor_options(store), "cities": queries.venue_options(store),
            "countries": queries.country_options(store), "themes": queries.theme_options(store),
            "sources": queries.source_options(store)}


@st.cache_resource(show_spinner=False)
def country_names() -> dict[str, tuple[str, str]]:
    """ISO code -> (Arabic, English) country name, from the gazetteer."""
    gazetteer = load_gazetteer()
    return {place.country: (place.name_ar, place.name_en or place.name_ar)
            for place in gazetteer.by_id.values()
            if place.kind == "country" and place.country}


def named(frame: pd.DataFrame, lang: str) -> dict[str, str]:
    """name_ar -> the name to show: `name_en` (else `name_ar`) in English, `name_ar` in
    Arabic."""
    if lang == "ar" or frame.empty:
        return dict(zip(frame["name_ar"], frame["name_ar"], strict=True))
    return {ar: (en if isinstance(en, str) and en else ar)
            for ar, en in zip(frame["name_ar"], frame["name_en"], strict=True)}


def take_venue_pick(venues: pd.DataFrame) -> None:
    """A venue picked on the map becomes the venue-city filter (once per pick)."""
    pick = st.session_state.pop("venue_pick", None)
    if not isinstance(pick, str) or not pick.strip() or \
            pick == st.session_state.get("_venue_pick_taken"):
        return
    st.session_state["_venue_pick_taken"] = pick
    # The map may give either name; the filter's choices are the Arabic ones.
    by_english = dict(zip(venues["name_en"], venues["name_ar"], strict=True))
    st.session_state["cities"] = [by_english.get(pick, pick.strip())]


def multiselect(key: str, options: Sequence[str], lang: str,
                format_func: Callable[[str], str] = str) -> tuple[str, ...]:
    # The current choice stays selectable even when it is not among the offered values (a
    # shared URL naming an actor beyond the most frequent, a store that changed).
    chosen = [v for v in st.session_state.get(key, []) if isinstance(v, str)]
    offered = list(dict.fromkeys([*options, *chosen]))
    picked = st.sidebar.multiselect(labels.text(f"filter_{key}", lang), offered, key=key,
                                    format_func=format_func,
                                    help=labels.text("filter_any", lang))
    return tuple(picked)


def sidebar(store: Store, wanted: Filters, lang: str) -> Filters:
    st.sidebar.header(labels.text("filters", lang))
    st.sidebar.button(labels.text("clear_filters", lang), on_click=clear_filters,
                      key="clear_filters", icon="✖️")
    options = filter_options(str(store.path), store.version())
    start, end = date_range(cache_for(store)(queries.date_span), wanted, lang)
    search = st.sidebar.text_input(labels.text("search", lang), key="search")
    types = st.sidebar.multiselect(labels.text("types", lang), EVENT_TYPES, key="types",
                                   format_func=lambda code: labels.event_type(code, lang),
                                   help=labels.text("types_help", lang))
    actor_names = named(options["actors"], lang)
    actors = multiselect("actors", list(actor_names), lang,
                         lambda name: actor_names.get(name, name))
    theme_table = themes()

    def theme_label(theme_id: str) -> str:
        theme = theme_table.get(theme_id)
        if theme is None:
            return theme_id
        return theme.label_ar if lang == "ar" else theme.label_en

    chosen_themes = multiselect("themes", list(options["themes"]["theme"]), lang, theme_label)
    countries = country_names()

    def country_label(code: str) -> str:
        names = countries.get(code)
        return f"{names[0 if lang == 'ar' else 1]} ({code})" if names else code

    chosen_countries = multiselect("countries", list(options["countries"]["country"]), lang,
                                   country_label)
    take_venue_pick(options["cities"])
    city_names = named(options["cities"], lang)
    cities = multiselect("cities", list(city_names), lang, lambda n: city_names.get(n, n))
    sources = multiselect("sources", list(options["sources"]["source"]), lang)
    statuses = multiselect("statuses", list(STATUSES), lang,
                           lambda code: labels.status(code, lang))
    undated = st.sidebar.checkbox(labels.text("undated", lang), key="undated")
    return Filters(start=start, end=end, types=tuple(types), search=search.strip(),
                   undated=undated, actors=actors, themes=chosen_themes,
                   countries=chosen_countries, cities=cities, sources=sources,
                   statuses=statuses)


def as_lists(params: dict[str, str | list[str]]) -> dict[str, list[str]]:
    return {k: [v] if isinstance(v, str) else list(v) for k, v in params.items()}


# Query parameters that belong to a page rather than to the filters (the article view's
# `?article=ID&event=EID`, the timeline's chosen event): the mirror keeps them.
PAGE_PARAMS = ("article", "event")


def page_params() -> dict[str, str]:
    return {key: st.query_params[key] for key in PAGE_PARAMS if key in st.query_params}


def mirror_to_url(filters: Filters, lang: str) -> None:
    params = filters.to_params() | ({"lang": lang} if lang != "en" else {}) | page_params()
    if url_params() != as_lists(params):
        st.query_params.from_dict(params)


def main() -> None:
    wanted = seed_from_url()
    lang = st.session_state["lang"]
    st.set_page_config(page_title=labels.text("app_title", lang), page_icon="🗓️",
                       layout="wide")
    st.sidebar.radio("Language / اللغة", list(labels.LANGUAGES), key="lang", horizontal=True,
                     format_func=labels.LANGUAGES.get)
    if lang == "ar":
        st.markdown(RTL_CSS, unsafe_allow_html=True)
    # Each page's URL is its url_path; the default page is served at the root, /, whatever its
    # url_path (/summary answers "Page not found" and shows it).
    page = st.navigation([
        st.Page(PAGES / "overview.py", title=labels.text("page_overview", lang), icon="📊",
                url_path="summary", default=True),
        st.Page(PAGES / "records.py", title=labels.text("page_records", lang), icon="📋",
                url_path="events"),
        st.Page(PAGES / "add.py", title=labels.text("page_add", lang), icon="➕",
                url_path="upload"),
        st.Page(PAGES / "venues.py", title=labels.text("page_venues", lang), icon="🗺️",
                url_path="map"),
        st.Page(PAGES / "timeline.py", title=labels.text("page_timeline", lang), icon="🕒",
                url_path="chronology"),
        st.Page(PAGES / "participation.py", title=labels.text("page_participation", lang),
                icon="🤝", url_path="participants"),
        st.Page(PAGES / "article.py", title=labels.text("page_article", lang), icon="📄",
                url_path="read"),
        st.Page(PAGES / "calendar.py", title=labels.text("page_calendar", lang), icon="📅",
                url_path="agenda"),
        st.Page(PAGES / "review.py", title=labels.text("page_review", lang), icon="✏️",
                url_path="correct"),
        st.Page(PAGES / "audit.py", title=labels.text("page_audit", lang), icon="🧾",
                url_path="corrections-log"),
    ])
    path = default_db()
    st.session_state["db_path"] = str(path)
    try:
        if not Path(path).exists():
            # The add-articles page builds the first store; every other page needs one.
            if page.url_path == "upload":
                page.run()
            else:
                st.info(labels.text("no_store", lang, path=path))
            return
        store = open_store(str(path))
        filters = sidebar(store, wanted, lang)
        mirror_to_url(filters, lang)
        st.session_state.update(store=store, filters=filters, cached=cache_for(store))
        page.run()
    except AnalyticsError as exc:
        st.error(str(exc))


main()
