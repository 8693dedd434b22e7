"""The dashboard's entry point (`make run`, `analytics serve`): page config, the store, the
shared sidebar (language and filters) and the navigation over the files in pages/.

Input: the store at $ANALYTICS_DB (else data/analytics.duckdb). Output: the page the analyst
chose, drawn under the sidebar's filters.

The sidebar lives here rather than in the pages so that its widgets keep their values when the
analyst changes page; its values are mirrored into the URL's query parameters, so a view can be
bookmarked or sent. Pages find `filters`, `store` and `lang` in `st.session_state`. The package's
errors become one message, here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from analytics import queries
from analytics.charts import labels
from analytics.errors import AnalyticsError
from analytics.filters import Filters
from analytics.model import EVENT_TYPES
from analytics.store import Store, default_db

PAGES = Path(__file__).parent / "pages"

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


def seed_from_url() -> Filters:
    """Start each sidebar widget from the URL's query parameters (a bookmarked or shared view)
    when the session has no value for it yet; returns the URL's filters."""
    params = st.query_params.to_dict()
    wanted = Filters.from_params(params)
    lang = params.get("lang")
    for key, value in {"lang": lang if lang in labels.LANGUAGES else "en",
                       "types": list(wanted.types), "search": wanted.search,
                       "undated": wanted.undated}.items():
        st.session_state.setdefault(key, value)
    return wanted


def date_range(span: tuple[dt.date | None, dt.date | None], wanted: Filters, lang: str
               ) -> tuple[dt.date | None, dt.date | None]:
    """The sidebar's date range; the data's own first or last day means no bound."""
    first, last = span
    if first is None or last is None:
        return None, None
    current = st.session_state.get("dates") or (wanted.start or first, wanted.end or last)
    # Keep the widget's value inside the data's span, which grows as articles are ingested.
    inside = tuple(sorted(min(max(day, first), last) for day in current))
    if inside != st.session_state.get("dates"):
        st.session_state["dates"] = inside
    picked = st.sidebar.date_input(labels.text("dates", lang), min_value=first, max_value=last,
                                   key="dates")
    picked_start = picked[0] if picked else first
    picked_end = picked[1] if len(picked) > 1 else last  # mid-selection: one day picked so far
    return (picked_start if picked_start > first else None,
            picked_end if picked_end < last else None)


def sidebar(store: Store, wanted: Filters, lang: str) -> Filters:
    st.sidebar.header(labels.text("filters", lang))
    start, end = date_range(queries.date_span(store), wanted, lang)
    types = st.sidebar.multiselect(labels.text("types", lang), EVENT_TYPES, key="types",
                                   format_func=lambda code: labels.event_type(code, lang),
                                   help=labels.text("types_help", lang))
    search = st.sidebar.text_input(labels.text("search", lang), key="search")
    undated = st.sidebar.checkbox(labels.text("undated", lang), key="undated")
    return Filters(start=start, end=end, types=tuple(types), search=search.strip(),
                   undated=undated)


def mirror_to_url(filters: Filters, lang: str) -> None:
    params = filters.to_params() | ({"lang": lang} if lang != "en" else {})
    if st.query_params.to_dict() != params:
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
    # The URL paths differ from the file names on purpose. Until st.navigation first runs in a
    # process (and in AppTest, on every run) Streamlit 1.67 treats a pages/ folder as a legacy
    # multipage app: a request for a page named like one of its files would run that file alone,
    # without this entry point (no sidebar, no store). A name it does not know falls back here.
    page = st.navigation([
        st.Page(PAGES / "overview.py", title=labels.text("page_overview", lang), icon="📊",
                url_path="summary", default=True),
        st.Page(PAGES / "records.py", title=labels.text("page_records", lang), icon="📋",
                url_path="events"),
        st.Page(PAGES / "venues.py", title=labels.text("page_venues", lang), icon="🗺️",
                url_path="map"),
        st.Page(PAGES / "calendar.py", title=labels.text("page_calendar", lang), icon="📅",
                url_path="agenda"),
    ])
    path = default_db()
    if not Path(path).exists():
        st.info(labels.text("no_store", lang, path=path))
        return
    try:
        store = open_store(str(path))
        filters = sidebar(store, wanted, lang)
        mirror_to_url(filters, lang)
        st.session_state.update(store=store, filters=filters)
        page.run()
    except AnalyticsError as exc:
        st.error(str(exc))


main()
