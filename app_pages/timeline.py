"""Timeline: the kept events in time, coloured by type or theme, one row per actor, venue or
organization; clicking an event (or choosing it below) opens its detail: fields, actors,
places it is about, and each source article with its evidence sentences highlighted.

The chosen event is kept in the URL (`?event=ID`), so a detail can be linked to (the article
view does) and bookmarked.
"""

import pandas as pd
import streamlit as st

from analytics.charts import highlight, labels
from analytics.charts import timeline as timeline_chart
from analytics.queries import articles, timeline

filters, lang, cached = (st.session_state[k] for k in ("filters", "lang", "cached"))
ar = lang == "ar"

st.title(labels.text("page_timeline", lang))
left, right = st.columns(2)
color_by = left.radio(labels.text("color_by", lang), timeline_chart.COLOR_BY, horizontal=True,
                      key="timeline_color", format_func=lambda c: labels.text(f"color_{c}", lang))
group_by = right.radio(labels.text("group_by", lang), timeline.GROUPINGS, horizontal=True,
                       key="timeline_group",
                       format_func=lambda g: labels.text(f"group_{g}", lang))
rows = cached(timeline.timeline, filters, group_by)
picked = st.plotly_chart(timeline_chart.timeline(rows, color_by, lang), key="timeline_chart",
                         on_select="rerun", selection_mode="points")
st.caption(labels.text("timeline_capped", lang, groups=timeline.DEFAULT_GROUPS,
                       bars=timeline.DEFAULT_BARS) + " " + labels.text("timeline_undated", lang))

# A click on the chart picks an event; the selectbox shows (and can change) the pick.
clicked = timeline_chart.clicked_event(picked.selection if picked else None)
if clicked and clicked != st.session_state.get("timeline_clicked"):
    st.session_state["timeline_clicked"] = clicked
    st.query_params["event"] = clicked
choices = rows.drop_duplicates("id").sort_values(["start_date", "id"])
names = {r.id: f"{timeline_chart.as_day(r.start_date)} · "
         f"{r.name if isinstance(r.name, str) and r.name else labels.event_type(r.type, lang)}"
         for r in choices.itertuples(index=False)}
wanted = st.query_params.get("event")
if wanted and wanted not in names and not cached(articles.event, None, wanted).empty:
    names[wanted] = wanted  # an event reached by link, outside the chart's rows
options = [None, *names]
chosen = st.selectbox(labels.text("choose_event", lang), options,
                      index=options.index(wanted) if wanted in names else 0,
                      format_func=lambda e: "—" if e is None else names[e],
                      help=labels.text("choose_event_help", lang), key=f"timeline_pick_{wanted}")
if chosen != wanted:
    if chosen is None:
        st.query_params.pop("event", None)
    else:
        st.query_params["event"] = chosen
    st.rerun()

if chosen:
    event = cached(articles.event, None, chosen)
    st.subheader(labels.text("event_detail", lang))
    fields = event.iloc[0]
    themes = fields["themes"] if fields["themes"] is not None else []
    venue = fields["venue_ar"] if ar else (fields["venue_en"] or fields["venue_ar"])
    shown = {
        "name": fields["name"] or "", "type": labels.event_type(fields["type"], lang),
        "start_date": str(timeline_chart.as_day(fields["start_date"]) or ""),
        "end_date": str(timeline_chart.as_day(fields["end_date"]) or ""),
        "status": labels.status(fields["status"], lang), "venue": venue or "",
        "venue_country": fields["venue_country"] or "",
        "participants": "" if pd.isna(fields["participants"]) else str(fields["participants"]),
        "themes": ("، " if ar else ", ").join(timeline_chart.theme_name(t, lang) for t in themes),
        "confidence": f"{fields['confidence']:.2f}", "id": fields["id"],
        "col_n_sources": labels.sources_text(fields["n_sources"], lang),
        "notes": labels.event_marks(fields["conflicts"], fields["corrected_fields"], lang),
    }
    st.dataframe(pd.DataFrame({labels.text("field", lang): [labels.column(k, lang) for k in shown],
                               labels.text("value", lang): list(shown.values())}),
                 hide_index=True, key="timeline_fields")
    for heading, question in (("actors", articles.event_actors), ("about", articles.event_about)):
        found = cached(question, None, chosen)
        if not found.empty:
            st.markdown(f"**{labels.text(heading, lang)}**")
            st.dataframe(found.rename(columns=lambda c: labels.column(c, lang)),
                         hide_index=True, key=f"timeline_{heading}")
    st.markdown(f"**{labels.text('sources', lang)}**")
    st.markdown(highlight.STYLE, unsafe_allow_html=True)
    for source in cached(articles.event_sources, None, chosen).itertuples(index=False):
        day = timeline_chart.as_day(source.published)
        header = " · ".join(str(x) for x in (source.source, day) if x)
        with st.container(border=True):
            st.text(labels.article_name(source.title, source.text, source.article_id))
            st.caption(highlight.markdown_text(header))  # data: kept as text
            spans = articles.spans_of(source.evidence)
            marks = [highlight.Mark(s, e, "selected") for s, e in spans]
            mentions = cached(articles.article_mentions, None, source.article_id)
            marks += [highlight.Mark(int(m.start), int(m.end), m.kind,
                                     tooltip=labels.text(f"kind_{m.kind}", lang))
                      for m in mentions.itertuples(index=False)]
            st.markdown(highlight.highlight(source.text or "", marks, lang="ar", ranges=spans),
                        unsafe_allow_html=True)
            st.page_link("app_pages/article.py", label=labels.text("open_article", lang), icon="📄",
                         query_params={"article": source.article_id, "event": chosen})
