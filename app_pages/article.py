"""Article: one article's text, right to left, with its persons, organizations, places, dates
and the evidence of its events highlighted; each event's evidence links to the event (in this
view and in the timeline's detail).

The URL names what is shown: `?article=ID` (else the newest article reporting a kept event)
and, optionally, `&event=EID`, whose evidence is drawn apart from the other events'. The picker
lists the LISTED newest articles under the filters (a million events are reported by half a
million articles), says how many there are in all, and finds others by words of their title.
"""

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from analytics.charts import highlight, labels
from analytics.charts.timeline import as_day
from analytics.queries import articles

filters, lang, cached = (st.session_state[k] for k in ("filters", "lang", "cached"))
LISTED = 500

st.title(labels.text("page_article", lang))
search = st.text_input(labels.text("find_article", lang), key="article_search")
choices = cached(articles.articles_for, filters, LISTED, search)
total = int(choices["total"].iloc[0]) if len(choices) else 0
if total > len(choices):
    st.caption(labels.text("articles_capped", lang, shown=len(choices), n=total))
names = {r.id: f"{as_day(r.published) or ''} · {labels.article_name(r.title, r.opening, r.id)}"
         for r in choices.itertuples(index=False)}
wanted = st.query_params.get("article")
if wanted and wanted not in names and not search.strip():
    names = {wanted: wanted, **names}  # reached by link: shown whatever the filters,
    # unless the analyst searches for another
if not names:
    st.info(labels.text("no_article_found" if search.strip() else "no_articles", lang))
    st.stop()
chosen = st.selectbox(labels.text("choose_article", lang), list(names),
                      index=list(names).index(wanted) if wanted in names else 0,
                      format_func=names.get, key=f"article_pick_{wanted}")
if chosen != wanted:
    st.query_params.pop("event", None)
    st.query_params["article"] = chosen
    st.rerun()

found = cached(articles.article, None, chosen)
if found.empty:
    st.warning(labels.text("article_missing", lang, id=chosen))
    st.stop()
row = found.iloc[0]
event_id = st.query_params.get("event")
# Markdown elements: what comes from the data is escaped so that it stays text.
st.subheader(highlight.markdown_text(labels.article_name(row["title"], row["text"], row["id"])))
day = as_day(row["published"])
st.caption(highlight.markdown_text(" · ".join(str(x) for x in (row["source"], day, row["id"])
                                                if x)))
link = highlight.safe_href(row["url"])
if link and link.lower().startswith("http"):
    st.link_button(labels.text("source_link", lang), link)


# The marks' links reload the page (a new session): they carry the URL's filters and language.
context = {k: st.query_params.get_all(k) for k in st.query_params if k not in ("article", "event")}


def event_link(eid: str) -> str:
    """This view with the event chosen (relative, so that it works under any base path)."""
    return "./read?" + urlencode({"article": chosen, "event": eid} | context, doseq=True)


evidence = cached(articles.article_evidence, None, chosen)
mentions = cached(articles.article_mentions, None, chosen)
marks = [highlight.Mark(int(e.start), int(e.end),
                        "selected" if e.event_id == event_id else "evidence",
                        tooltip=f"{labels.event_type(e.type, lang)}: {e.name or ''}".strip(": "),
                        href=event_link(e.event_id))
         for e in evidence.itertuples(index=False)]
marks += [highlight.Mark(int(m.start), int(m.end), m.kind,
                         tooltip=f"{labels.text('kind_' + m.kind, lang)}: "
                                 f"{m.name_ar if lang == 'ar' else (m.name_en or m.name_ar)}")
          for m in mentions.itertuples(index=False)]
marks += [highlight.Mark(d.start, d.end, "date", tooltip=" – ".join(
              dict.fromkeys(str(x) for x in (d.first, d.last) if x is not None)))
          for d in articles.article_dates(row)]
kinds = ["person", "organization", "place", "date", "evidence"] + (["selected"] if event_id else [])
st.markdown(highlight.STYLE, unsafe_allow_html=True)
st.markdown(highlight.legend({k: labels.text(f"kind_{k}", lang) for k in kinds}, lang),
            unsafe_allow_html=True)
st.markdown(highlight.highlight(row["text"] or "", marks, lang="ar"), unsafe_allow_html=True)

st.subheader(labels.text("article_events", lang))
events = cached(articles.article_events, None, chosen)
if events.empty:
    st.caption(labels.text("none_listed", lang))
for e in events.itertuples(index=False):
    venue = e.venue_ar if lang == "ar" else e.venue_en
    line = " · ".join(str(x) for x in (as_day(e.start_date), labels.event_type(e.type, lang),
                                        e.name, venue, labels.event_sources_note(
                                            e.n_sources, e.conflicts, e.corrected_fields, lang))
                      if isinstance(x, str) or x is not None and not pd.isna(x))
    left, right = st.columns([3, 1])
    left.text(("▶ " if e.id == event_id else "") + line)  # text: names are data, not markup
    right.page_link("app_pages/timeline.py", label=labels.text("open_in_timeline", lang), icon="🕒",
                    query_params={"event": e.id})
