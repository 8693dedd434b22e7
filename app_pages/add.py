"""Add articles: uploaded files or a pasted text -> their extraction, shown for review -> the
store, when the analyst presses Store.

What is accepted and how it is read is `analytics.ingest.uploads` (limits, the pasted article,
files read from their bytes: an uploaded file's name only chooses its format and names a .txt
or .html article, and never touches a path); the preview table is `analytics.charts.preview`.
The dashboard's store is read-only; storing opens a writer (`Store.open(path)`), which
publishes a new store file: the sidebar and every page read it from the next rerun on (their
caches are keyed on the store's version).
"""

import datetime as dt

import pandas as pd
import streamlit as st

from analytics import queries
from analytics.charts import labels
from analytics.charts.highlight import markdown_text
from analytics.charts.preview import events_found
from analytics.errors import AnalyticsError
from analytics.ingest import uploads
from analytics.pipeline import process
from analytics.store import Store

lang = st.session_state["lang"]
store = st.session_state.get("store")  # None until a first store exists
db_path = st.session_state["db_path"]


def say(key: str, **values: object) -> str:
    return labels.text(key, lang, **values)


def refusal(refused: uploads.Refused) -> str:
    if refused.reason == "type":
        return say("add_bad_type", name=refused.name)  # shown in a table
    return say("add_too_big", name=refused.name, size=refused.megabytes, mb=uploads.MAX_MB)


def extract_all(files: list, published, pasted: str, title: str, source: str) -> dict:
    """Read and extract every upload and the pasted text, with a progress bar."""
    bar = st.progress(0.0)
    errors: list[AnalyticsError] = []

    def progress(n: int, total: int, name: str) -> None:
        bar.progress((n - 1) / max(total, 1),
                     text=say("add_progress", name=markdown_text(name), n=n, total=total))

    articles = uploads.articles_to_add(files, published, pasted, title, source, progress)
    extractions = list(process(articles, on_error=errors.append))
    bar.empty()
    return {"extractions": extractions, "errors": [str(e) for e in errors]}


st.title(say("page_add"))
st.caption(say("add_intro"))
done = st.session_state.pop("add_done", None)
if done:
    st.success(say("add_stored", added=done["stored"], replaced=done["replaced"],
                   unchanged=done["unchanged"]))

files = st.file_uploader(say("add_files"), type=list(uploads.SUFFIXES),
                         accept_multiple_files=True, key="add_files",
                         max_upload_size=uploads.MAX_MB,
                         help=say("add_files_help", count=uploads.MAX_FILES,
                                  mb=uploads.MAX_MB)) or []
# Streamlit's default range is ten years either side of today: archives are older.
published = st.date_input(say("add_published"), value=None, key="add_published",
                          min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
pasted = st.text_area(say("add_paste"), key="add_text", height=200)
title = st.text_input(say("add_title"), key="add_title")
source = st.text_input(say("add_source"), key="add_source")

if st.button(say("add_extract"), key="add_extract", type="primary"):
    st.session_state.pop("add_preview", None)
    if uploads.too_many(files):
        st.error(say("add_too_many", n=len(files), limit=uploads.MAX_FILES))
    else:
        kept, refused = uploads.checked_uploads(files)
        preview = extract_all(kept, published, pasted, title, source)
        preview["errors"] = [refusal(r) for r in refused] + preview["errors"]
        st.session_state["add_preview"] = preview

preview = st.session_state.get("add_preview")
if preview is not None:
    extractions = preview["extractions"]
    if preview["errors"]:
        st.warning(say("add_errors", n=len(preview["errors"])))
        # A table, not markdown: a file name or a line of a file is shown as it is.
        st.dataframe(pd.DataFrame({"problem": preview["errors"]}), hide_index=True,
                     key="add_problems")
    if not extractions:
        st.info(say("add_nothing"))
    else:
        found = events_found(extractions, lang)
        st.info(say("add_found", articles=len(extractions), events=len(found)))
        if found.empty:
            st.caption(say("add_no_events"))
        else:
            st.dataframe(found.rename(columns=lambda c: labels.column(c, lang)),
                         hide_index=True, key="add_events")
        if store is not None:
            already = queries.stored_article_ids(store, [e.article.id for e in extractions])
            if already:
                st.caption(say("add_already", n=len(already)))
        store_clicked, discard_clicked = st.columns(2)
        if store_clicked.button(say("add_store"), key="add_store", type="primary"):
            with Store.open(db_path) as writer:
                summary = writer.ingest(extractions)
            st.session_state.pop("add_preview", None)
            st.session_state["add_done"] = {"stored": summary.stored,
                                            "replaced": summary.replaced,
                                            "unchanged": summary.unchanged}
            st.rerun()  # the sidebar, drawn before this page, then reads the new store
        if discard_clicked.button(say("add_discard"), key="add_discard"):
            st.session_state.pop("add_preview", None)
            st.rerun()
