"""Records: the events the sidebar's filters keep, with tabs for their actors, places and
articles, and downloads of exactly the kept events (CSV, Excel, JSON, Parquet, iCalendar).

Only the open tab runs its query, and each tab shows its first SHOWN rows, cut in SQL: a page
of a million events never fetches a whole table. The downloads are built when their button is
pressed, from all the kept events, read and written a chunk of rows at a time.
"""

import importlib.util
from functools import partial
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from analytics import queries
from analytics.charts import labels
from analytics.exports import tables
from analytics.queries import records

store, filters, lang, cached = (st.session_state[k]
                                 for k in ("store", "filters", "lang", "cached"))
SHOWN = 1000
other = "en" if lang == "ar" else "ar"


def shown(frame: pd.DataFrame, drop: tuple[str, ...] = ()) -> pd.DataFrame:
    """Codes as words, names in the interface's language, headings translated."""
    frame = frame.drop(columns=[c for c in drop if c in frame.columns])
    for column, label in (("type", labels.event_type), ("status", labels.status)):
        if column in frame.columns:
            frame = frame.assign(**{column: frame[column].map(lambda c, f=label: f(c, lang))})
    return frame.rename(columns=lambda name: labels.column(name, lang))


def named(frame: pd.DataFrame, ar: str, en: str, into: str) -> pd.DataFrame:
    """`into`: the English name falling back to the Arabic one in English, the Arabic one in
    Arabic; the two source columns are dropped."""
    name = frame[ar] if lang == "ar" else frame[en].where(frame[en].notna(), frame[ar])
    return frame.drop(columns=[ar, en]).assign(**{into: name})


def first_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """A tab's first SHOWN rows (cut by the query, which counts them all in `total`), saying
    so when there are more."""
    total = int(frame["total"].iloc[0]) if len(frame) else 0
    if total > SHOWN:
        st.caption(labels.text("tab_capped", lang, shown=SHOWN, n=total))
    return frame.drop(columns="total")


def download(build, lang_aware: bool) -> bytes:
    """Every kept event (not only the rows shown), as a file. Runs when the button is pressed,
    outside the page's run: it uses only the values it was given. The rows come in chunks and
    the file is written as they come: a million events are never held at once."""
    rows = queries.event_table_chunks(store, filters)
    return build(rows, lang=lang) if lang_aware else build(rows)


st.title(labels.text("page_records", lang))
total = cached(queries.count_events, filters)
st.caption(labels.text("rows", lang, n=total) if total <= SHOWN
           else labels.text("rows_capped", lang, shown=SHOWN, n=total))
tab_events, tab_actors, tab_places, tab_articles = st.tabs(
    [labels.text(f"tab_{t}", lang) for t in ("events", "actors", "places", "articles")],
    key="records_tab", on_change="rerun")

if tab_events.open:
    with tab_events:
        events = cached(queries.event_table, filters, SHOWN)
        if lang != "ar":  # a venue without an English name shows its Arabic one
            events = events.assign(venue_name_en=events["venue_name_en"].where(
                events["venue_name_en"].notna(), events["venue_name_ar"]))
        # The other language's names stay in the downloads, not on the screen.
        drop = ("venue_name_en", "actors_en") if lang == "ar" else ("venue_name_ar", "actors_ar")
        st.dataframe(shown(events, drop), hide_index=True)
        # Files keep the data's own codes and column names (scripts read them); they are built when
        # a button is pressed, not on every rerun.
        downloads = [("download_csv", tables.to_csv, False, "csv", tables.CSV_MIME),
                     ("download_xlsx", tables.to_xlsx, True, "xlsx", tables.XLSX_MIME),
                     ("download_json", tables.to_json, False, "json", tables.JSON_MIME),
                     ("download_parquet", tables.to_parquet, False, "parquet", tables.PARQUET_MIME)]
        if importlib.util.find_spec("analytics.exports.ics") is not None:
            from analytics.exports.ics import events_to_ics
            downloads.append(("download_ics", events_to_ics, True, "ics", "text/calendar"))
        columns = st.columns(len(downloads))
        for column, (label, build, lang_aware, suffix, mime) in zip(columns, downloads,
                                                                    strict=True):
            column.download_button(labels.text(label, lang), partial(download, build, lang_aware),
                                   file_name=f"events.{suffix}", mime=mime, key=f"get_{suffix}",
                                   on_click="ignore")
        if len(downloads) == 4:
            st.caption(labels.text("ics_unavailable", lang))

if tab_actors.open:
    with tab_actors:
        actors = first_rows(cached(records.actor_table, filters, SHOWN))
        actors = named(actors, "name_ar", "name_en", "name").assign(
            kind=actors["kind"].map(lambda k: labels.text(f"kind_{k}", lang)
                                    if k in ("person", "organization", "place") else k))
        st.dataframe(shown(actors[["name", "kind", "events", "articles", "first_date",
                                   "last_date"]]), hide_index=True)

if tab_places.open:
    with tab_places:
        places = first_rows(cached(records.place_table, filters, SHOWN))
        places = named(places, "name_ar", "name_en", "name").assign(
            role=places["role"].map(lambda r: labels.text(f"role_{r}", lang)))
        st.dataframe(shown(places[["name", "role", "country", "events", "lat", "lon"]]),
                     hide_index=True)

if tab_articles.open:
    with tab_articles:
        articles = first_rows(cached(records.article_table, filters, SHOWN))
        # The article page (url path "read") opens in a new tab, in a new session: the link carries
        # the language and the filters, so that it opens on the same view.
        context = filters.to_params() | ({"lang": lang} if lang != "en" else {})
        link = articles["id"].map(
            lambda i: "./read?" + urlencode({"article": i} | context, doseq=True))
        # Only web addresses are links: a "javascript:" URL from an article stays inert text.
        web = articles["url"].where(articles["url"].fillna("").str.match(r"(?i)https?://"))
        articles = articles.assign(article_link=link, url=web)[
            ["id", "title", "published", "source", "events", "article_link", "url"]]
        headings = {"id": "article_id", "article_link": "open_article"}
        articles = articles.rename(columns=lambda c: labels.text(headings.get(c, c), lang))
        opened = labels.text("open_article", lang)
        st.dataframe(articles, hide_index=True, column_config={
            opened: st.column_config.LinkColumn(opened, display_text=opened),
            labels.text("url", lang): st.column_config.LinkColumn(labels.text("url", lang))})
