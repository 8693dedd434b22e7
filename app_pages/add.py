"""Add articles: uploaded files or a pasted text -> their extraction, shown for review -> the
store, when the analyst presses Store.

Files are read from their bytes (`analytics.ingest.readers.read_uploads`): an uploaded file's
name only chooses its format and names a .txt or .html article, and never touches a path. The
dashboard's store is read-only; storing opens a writer (`Store.open(path)`), which publishes a
new store file: the sidebar and every page read it from the next rerun on (their caches are
keyed on the store's version).
"""

import datetime as dt
import hashlib
import re

import pandas as pd
import streamlit as st

from analytics import queries
from analytics.charts import labels
from analytics.errors import AnalyticsError, IngestError
from analytics.ingest.readers import read_uploads
from analytics.ingest.records import article_from_record
from analytics.pipeline import process
from analytics.store import Store

MAX_FILES = 50
MAX_MB = 20
SUFFIXES = ("txt", "jsonl", "csv", "html", "htm")

lang = st.session_state["lang"]
store = st.session_state.get("store")  # None until a first store exists
db_path = st.session_state["db_path"]


def say(key: str, **values: object) -> str:
    return labels.text(key, lang, **values)


def literal(name: str) -> str:
    """A file name as text in Streamlit's markdown (progress, messages): its markup and links
    are escaped, so a name is shown, never rendered."""
    return re.sub(r"([\\`*_{}\[\]()<>#+\-.!|~:$])", r"\\\1", name)


def checked_uploads(files: list) -> tuple[list, list[str]]:
    """The files within the limits, and a message for each one that is not."""
    kept, refused = [], []
    for upload in files:
        suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in SUFFIXES:
            refused.append(say("add_bad_type", name=upload.name))  # shown in a table
        elif upload.size > MAX_MB * 2**20:
            refused.append(say("add_too_big", name=upload.name, size=upload.size / 2**20,
                               mb=MAX_MB))
        else:
            kept.append(upload)
    return kept, refused


def pasted_article(text: str, published, title: str, source: str):
    """The pasted text as an article record, its id drawn from the text itself (the same text
    pasted twice is the same article)."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return article_from_record({"id": f"pasted-{digest}", "text": text,
                                "published": published.isoformat() if published else None,
                                "title": title or None, "source": source or None})


def extract_all(files: list, published, pasted: str, title: str, source: str) -> dict:
    """Read and extract every upload and the pasted text, with a progress bar."""
    bar = st.progress(0.0)
    total = len(files) + (1 if pasted.strip() else 0)
    errors: list[AnalyticsError] = []

    def uploads():
        for n, upload in enumerate(files, 1):
            bar.progress((n - 1) / max(total, 1),
                         text=say("add_progress", name=literal(upload.name), n=n, total=total))
            yield upload.name, upload.getvalue()

    def articles():
        yield from read_uploads(uploads(), published)
        if pasted.strip():
            try:
                yield pasted_article(pasted, published, title.strip(), source.strip())
            except IngestError as err:
                yield err

    extractions = list(process(articles(), on_error=errors.append))
    bar.progress(1.0)
    bar.empty()
    return {"extractions": extractions, "errors": [str(e) for e in errors]}


def events_found(extractions: list) -> pd.DataFrame:
    rows = []
    for extraction in extractions:
        for event in extraction.events:
            venue = event.venue
            venue_name = None
            if venue is not None:
                venue_name = venue.name_ar if lang == "ar" else (venue.name_en or venue.name_ar)
            actors = [a.name_ar if lang == "ar" else (a.name_en or a.name_ar)
                      for a in event.actors]
            rows.append({
                "article_id": extraction.article.id,
                "type": labels.event_type(event.type, lang), "name": event.name,
                "start_date": event.start, "end_date": event.end,
                "status": labels.status(event.status, lang), "venue": venue_name,
                "actors": "، ".join(actors) if lang == "ar" else ", ".join(actors),
                "participants": event.participants})
    return pd.DataFrame(rows, columns=["article_id", "type", "name", "start_date", "end_date",
                                       "status", "venue", "actors",
                                       "participants"])


st.title(say("page_add"))
st.caption(say("add_intro"))
done = st.session_state.pop("add_done", None)
if done:
    st.success(say("add_stored", added=done["stored"], replaced=done["replaced"],
                   unchanged=done["unchanged"]))

files = st.file_uploader(say("add_files"), type=list(SUFFIXES), accept_multiple_files=True,
                         key="add_files", max_upload_size=MAX_MB,
                         help=say("add_files_help", count=MAX_FILES, mb=MAX_MB)) or []
# Streamlit's default range is ten years either side of today: archives are older.
published = st.date_input(say("add_published"), value=None, key="add_published",
                          min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
pasted = st.text_area(say("add_paste"), key="add_text", height=200)
title = st.text_input(say("add_title"), key="add_title")
source = st.text_input(say("add_source"), key="add_source")

if st.button(say("add_extract"), key="add_extract", type="primary"):
    st.session_state.pop("add_preview", None)
    if len(files) > MAX_FILES:
        st.error(say("add_too_many", n=len(files), limit=MAX_FILES))
    else:
        kept, refused = checked_uploads(files)
        preview = extract_all(kept, published, pasted, title, source)
        preview["errors"] = refused + preview["errors"]
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
        found = events_found(extractions)
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
